"""``netaudit runs [--db URL] [--json] [--inventory ID] [--limit N]``: list stored runs.

Input: the store. Output: a table of runs, newest first (id, start, inventory, mode, status,
devices, pass/fail/unknown), or the same as JSON. A run whose writer died shows as
``running (stale)``.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from netaudit.cli.db import DbOption, console, open_store

if TYPE_CHECKING:
    from netaudit.store import RunSummary


def status_text(s: RunSummary) -> str:
    return f"{s.status.value} (stale)" if s.stale else s.status.value


def runs(
    db: DbOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print runs as JSON.")] = False,
    inventory: Annotated[
        str | None, typer.Option("--inventory", help="Only runs of this inventory (city id).")
    ] = None,
    limit: Annotated[int | None, typer.Option("--limit", min=1, help="At most N runs.")] = None,
) -> None:
    """List stored audit runs, newest first."""
    with open_store(db) as store:
        found = store.list_runs(inventory=inventory, limit=limit)
        url = store.url
    if as_json:
        data = {"store": url, "runs": [s.to_data() for s in found]}
        typer.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    if not found:
        typer.echo(f"{url}: no runs")
        return
    table = Table(title=f"runs in {url}", title_justify="left")
    for col in ("run", "started", "inventory", "mode", "status", "devices"):
        table.add_column(col, no_wrap=col == "run")
    for col in ("fail", "unknown", "pass"):
        table.add_column(col, justify="right")
    for s in found:
        devices = f"{s.devices}" + (f" ({s.devices_not_ok} not ok)" if s.devices_not_ok else "")
        table.add_row(
            s.id,
            s.started_at.strftime("%Y-%m-%d %H:%M"),
            s.inventory,
            s.mode,
            status_text(s),
            devices,
            str(s.results.failed),
            str(s.results.unknown),
            str(s.results.passed),
        )
    console().print(table)
