"""Merchant API v2."""
