"""Warehouses (wish-merchant-api-v2.txt, Warehouse): the merchant's standard and Wish Express warehouses."""
