"""The Wish Returns Program (wish-merchant-api-v2.txt, Wish Returns Program): return warehouses validated on the
mock's clock, product logistics, and products enrolled in returns per region."""
