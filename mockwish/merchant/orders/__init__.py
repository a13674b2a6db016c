"""Merchant orders: rules (the state machine), lifecycle (what the clock does to orders), store, render,
routes (the /order/* wire), download (the CSV export job) and generate (test transactions)."""
