"""Store tests (SQLite and PostgreSQL)."""
