"""WishPost parcels: create_order, labels, tracking, order_status, cancel and collection options."""
