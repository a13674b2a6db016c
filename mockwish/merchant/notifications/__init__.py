"""Notifications and announcements (wish-merchant-api-v2.txt, Notifications and Announcements)."""
