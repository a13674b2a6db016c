"""Fulfillment reference endpoints: accepted carriers and Confirmed Delivery (read-only)."""
