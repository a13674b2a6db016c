"""What products and variants share: the tenant-filtered store, money rules, validation, rendering."""
