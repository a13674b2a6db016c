"""WishPost back office: payments."""
