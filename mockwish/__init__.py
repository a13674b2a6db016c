"""mockwish: an offline sandbox of the Wish Merchant API v2 and the WishPost logistics API."""

__version__ = "0.1.0"
