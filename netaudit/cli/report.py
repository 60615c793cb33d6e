"""``netaudit report [--run ID] [--out DIR]``: re-render the reports of any stored run.

Reads the run, the run before it and the recent history from the store and writes the same
files ``audit`` writes (HTML pages, findings.json/csv, junit.xml). The city's name and exit
limit come from the ``city.yaml`` of the inventory the run was made from when it is still there.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from netaudit.cli.db import open_store
from netaudit.errors import NetauditError, UsageError
from netaudit.inventory.load import load_city
from netaudit.report.files import write_machine_files
from netaudit.report.html import render_html
from netaudit.report.views import HistoryPoint


def report(
    run: Annotated[
        str, typer.Option("--run", help="Run id, unique id prefix, latest or previous.")
    ] = "latest",
    out: Annotated[Path, typer.Option("--out", help="Folder for the reports.")] = Path(
        "reports/out"
    ),
    db: Annotated[str | None, typer.Option("--db", help="SQLAlchemy URL of the store.")] = None,
    lang: Annotated[str, typer.Option("--lang", help="Report language: zh | en.")] = "zh",
) -> None:
    """Render the reports of a stored run."""
    if lang not in ("zh", "en"):
        raise UsageError(f"--lang {lang!r}: expected zh or en")
    with open_store(db) as store:
        if not store.list_runs(limit=1):
            raise UsageError(f"the store {store.url} has no runs yet; run `netaudit audit` first")
        stored = store.load_run(run, configs=False)  # the pages show no config text
        previous = store.previous_run(stored.inventory, before=stored.id, configs=False)
        history = [
            HistoryPoint(h.run_id, h.started_at, h.totals.failed, h.totals.unknown)
            for h in store.history(stored.inventory, 10, upto=stored.id)
        ]
    city_name = None
    limit = 2
    try:
        city = load_city(Path(stored.inventory_path))
        city_name = city.name
        value = city.parameters.get("PLAN-EXIT-COUNT", {}).get("max", 2)
        limit = int(value) if isinstance(value, int | float | str) else 2
    except NetauditError:
        pass  # the inventory moved or changed: the run itself is all the report needs
    try:
        write_machine_files(stored, out)
        render_html(
            stored,
            out,
            lang="en" if lang == "en" else "zh",
            previous=previous,
            history=history,
            exit_limit=limit,
            city_name=city_name,
        )
    except OSError as exc:
        raise NetauditError(f"--out {out}: cannot write the reports ({exc.strerror})") from None
    typer.echo(f"run {stored.id}: reports written to {out}")
