"""``netaudit db upgrade [--db URL]``: create or migrate the store's schema to this version.

Input: the database URL (``--db``, ``NETAUDIT_DB`` or ``./netaudit.db``). Output: one line
saying what happened to the schema. Also the ``--db`` option and the console that every store
command shares.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console

if TYPE_CHECKING:
    from netaudit.store import Store

DbOption = Annotated[
    str | None,
    typer.Option(
        "--db",
        help="Store database: any SQLAlchemy URL or a SQLite file path "
        "(default: $NETAUDIT_DB, else ./netaudit.db).",
        show_default=False,
    ),
]


def open_store(db: str | None) -> Store:
    """``netaudit.store.open_store``, imported on first use: SQLAlchemy takes a third of a
    second to import, which the commands that never open the store should not wait for, and
    which ``audit`` spends while its parse workers already run (issue 9)."""
    from netaudit.store import open_store as open_  # noqa: PLC0415

    return open_(db)


def console() -> Console:
    """A rich console for tables; piped output gets a wide fixed width instead of 80 columns."""
    return Console(highlight=False, width=None if sys.stdout.isatty() else 200)


app = typer.Typer(
    help="Manage the store database.",
    no_args_is_help=True,
    context_settings={"help_option_names": ["-h", "--help"]},
)


@app.command("upgrade")
def upgrade(db: DbOption = None) -> None:
    """Create the store or migrate its schema to this netaudit's version."""
    with open_store(db) as store:
        m = store.migration
        if m is None:
            typer.echo(f"{store.url}: schema is up to date")
        elif m.from_revision is None:
            typer.echo(f"{store.url}: created store (schema {m.to_revision})")
        else:
            typer.echo(f"{store.url}: upgraded schema {m.from_revision} -> {m.to_revision}")
