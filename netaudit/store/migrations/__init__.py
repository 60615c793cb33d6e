"""Store stage, schema history: the Alembic environment and revisions of a netaudit store.

Input: a connection (from ``netaudit.store.engine.prepare``) or, for developers, a URL given as
``alembic -c netaudit/store/migrations/alembic.ini -x db=URL ...``. Output: the schema at a
revision. Revisions are append-only: ``r0001_baseline`` is the first released schema and stays
as is; each later change is a new small revision, tested by upgrading a store created at
``r0001`` with data in it (tests/store/test_migrations.py).
"""
