"""``netaudit diff RUN_A RUN_B [--db URL] [--json]``: what changed between two stored runs.

Input: two run references (id, unique id prefix, ``latest``, ``previous``) and the store.
Output: new, resolved, no-longer-verified and still-failing results (by rule and subject),
internet exits added and removed, devices added and removed, and devices whose redacted config
changed with a unified diff — or the same as JSON.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Annotated

import typer

from netaudit.cli.db import DbOption, open_store

if TYPE_CHECKING:
    from netaudit.store import ResultChange


def _change(c: ResultChange) -> str:
    r = c.latest
    before = c.before.status.value if c.before else "absent"
    after = c.after.status.value if c.after else "absent"
    unit = f" [{r.unit}]" if r.unit else ""
    return f"  {r.severity.value:8} {c.rule}  {c.subject}{unit}: {before} -> {after}: {r.message}"


def diff(
    run_a: Annotated[str, typer.Argument(metavar="RUN_A", help="The earlier run.")],
    run_b: Annotated[str, typer.Argument(metavar="RUN_B", help="The later run.")],
    db: DbOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the diff as JSON.")] = False,
) -> None:
    """Compare two stored runs: results, exits and device configs."""
    with open_store(db) as store:
        d = store.diff(run_a, run_b)
    if as_json:
        typer.echo(json.dumps(d.to_data(), ensure_ascii=False, indent=2))
        return
    typer.echo(f"diff {d.run_a.id} -> {d.run_b.id}")
    sections = (
        ("new failures", d.new),
        ("resolved", d.resolved),
        ("no longer verified (now unknown, error or not checked)", d.unverified),
        ("still failing", d.still_failing),
    )
    for title, changes in sections:
        typer.echo(f"{title}: {len(changes)}")
        for c in changes:
            typer.echo(_change(c))
    typer.echo(f"exits added: {len(d.exits_added)}")
    for e in d.exits_added:
        typer.echo(f"  {e.subject} [{e.unit or '-'}] ({', '.join(e.reasons)})")
    typer.echo(f"exits removed: {len(d.exits_removed)}")
    for e in d.exits_removed:
        typer.echo(f"  {e.subject} [{e.unit or '-'}]")
    if d.devices_added:
        typer.echo(f"devices added: {', '.join(d.devices_added)}")
    if d.devices_removed:
        typer.echo(f"devices removed: {', '.join(d.devices_removed)}")
    typer.echo(f"configs changed: {len(d.config_changed)}")
    for cc in d.config_changed:
        typer.echo(f"  {cc.device} [{cc.unit}]")
        typer.echo(cc.diff, nl=False)
