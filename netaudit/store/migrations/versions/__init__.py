"""Alembic revisions of the netaudit store, oldest first (see the parent package)."""
