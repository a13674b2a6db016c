"""The store: SQLModel tables on SQLite, read and written through SQLAlchemy Core on the hot paths."""
