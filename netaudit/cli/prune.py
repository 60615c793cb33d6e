"""``netaudit prune --keep N | --older-than DAYS [--db URL]``: remove old runs from the store.

Input: the retention rule and the store. Output: the runs removed and how many snapshots no
remaining run referenced (those are deleted; snapshots still referenced stay). ``--keep``
counts per inventory; runs being written are never removed.
"""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Annotated

import typer

from netaudit.cli.db import DbOption, open_store
from netaudit.errors import UsageError


def prune(
    keep: Annotated[
        int | None,
        typer.Option(
            "--keep",
            min=0,
            help="Keep the newest N runs per inventory (audit, collect and probe runs "
            "counted apart).",
        ),
    ] = None,
    older_than: Annotated[
        float | None,
        typer.Option("--older-than", min=0, metavar="DAYS", help="Remove runs older than DAYS."),
    ] = None,
    db: DbOption = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print what was removed as JSON.")
    ] = False,
) -> None:
    """Remove old runs (and the config snapshots only they referenced)."""
    if keep is None and older_than is None:
        raise UsageError("prune: give --keep N and/or --older-than DAYS")
    age = None if older_than is None else timedelta(days=older_than)
    with open_store(db) as store:
        report = store.prune(keep=keep, older_than=age)
        url = store.url
    if as_json:
        typer.echo(json.dumps({"store": url, **report.to_data()}, ensure_ascii=False, indent=2))
        return
    typer.echo(
        f"{url}: removed {len(report.removed)} run(s), {report.snapshots_removed} config "
        f"snapshot(s) and {report.rule_texts_removed} rule text(s) no longer referenced"
    )
    for run_id in report.removed:
        typer.echo(f"  {run_id}")
