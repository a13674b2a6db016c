"""WishPost back office: account."""
