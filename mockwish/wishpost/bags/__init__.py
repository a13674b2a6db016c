"""WishPost back office: bags."""
