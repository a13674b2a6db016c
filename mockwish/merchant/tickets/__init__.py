"""Tickets (wish-merchant-api-v2.txt, Ticket): a buyer's questions and complaints about the merchant's orders."""
