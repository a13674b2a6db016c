"""Deterministic seed data (mockwish.seed.database). Nothing is imported here: Faker and the generators are
paid for by seeding only, not by every start of a server whose data dir is already seeded."""
