"""Alembic environment of the netaudit store: runs revisions on one connection.

Input: ``config.attributes["connection"]`` (how ``netaudit.store.engine.prepare`` calls it,
inside its locked transaction) or, from the alembic command line, ``-x db=URL`` /
``NETAUDIT_DB``. Output: the database migrated; ``Base.metadata`` is the autogenerate target.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from netaudit.store.engine import create, resolve_url
from netaudit.store.schema import VERSION_TABLE, Base


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        version_table=VERSION_TABLE,
        render_as_batch=True,  # SQLite cannot ALTER most things; batch mode copies the table
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def _main() -> None:
    given = context.config.attributes.get("connection")
    if given is not None:
        _run(given)
        return
    url = resolve_url(context.get_x_argument(as_dictionary=True).get("db"))
    engine = create(url)
    try:
        with engine.connect() as connection:
            _run(connection)
            connection.commit()
    finally:
        engine.dispose()


_main()
