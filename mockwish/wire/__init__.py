"""Wire machinery shared by every surface: parameter reading and specs, envelopes, XML, ids."""
