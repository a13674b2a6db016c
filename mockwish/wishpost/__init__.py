"""WishPost (logistics) surface: v2 XML and v3 JSON, served under /wishpost and at the root of its own port."""
