"""``netaudit show RUN [--db URL] [--json]``: re-print a stored run's summary.

Input: a run reference (id, unique id prefix, ``latest``, ``previous``) and the store. Output:
the run's header, a units × pass/fail/unknown table, the devices that were not collected or
parsed, and the run's notes — or the same as JSON.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from netaudit.cli.db import DbOption, console, open_store
from netaudit.model.serialize import Json
from netaudit.pipeline.run import AuditRun, DeviceStatus

if TYPE_CHECKING:
    from netaudit.store import StatusCounts

_NO_UNIT = "(no unit)"


def unit_counts(run: AuditRun) -> dict[str, StatusCounts]:
    """Result counts per unit id, in the run's unit order (results without a unit last)."""
    from netaudit.store import StatusCounts  # noqa: PLC0415 (SQLAlchemy: imported on use)

    counts = {u.id: StatusCounts() for u in run.units}
    for r in run.results:
        counts.setdefault(r.unit or _NO_UNIT, StatusCounts()).add(r.status)
    return counts


def show(
    run_ref: Annotated[
        str, typer.Argument(metavar="RUN", help="Run id, prefix, latest, previous.")
    ],
    db: DbOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the summary as JSON.")] = False,
) -> None:
    """Print a stored run's summary: units x pass/fail/unknown."""
    from netaudit.store import StatusCounts  # noqa: PLC0415 (SQLAlchemy: imported on use)

    with open_store(db) as store:
        run = store.load_run(run_ref)
    counts = unit_counts(run)
    names = {u.id: u.name for u in run.units}
    totals = StatusCounts()
    for r in run.results:
        totals.add(r.status)
    not_ok = [d for d in run.devices if d.status is not DeviceStatus.OK]
    if as_json:
        data: dict[str, Json] = {
            "run": run.run_data(),
            "units": [
                {"id": uid, "name": names.get(uid), **c.to_data()} for uid, c in counts.items()
            ],
            "totals": totals.to_data(),
            "devices": len(run.devices),
            "devices_not_ok": [
                {"name": d.name, "unit": d.unit, "status": d.status.value, "message": d.message}
                for d in not_ok
            ],
            "notes": list(run.notes),
        }
        typer.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    out = console()
    finished = run.finished_at.isoformat(timespec="seconds") if run.finished_at else "-"
    out.print(
        f"run {run.id}  inventory {run.inventory}  mode {run.mode}  status {run.status.value}",
        markup=False,
    )
    out.print(
        f"started {run.started_at.isoformat(timespec='seconds')}  finished {finished}  "
        f"netaudit {run.tool_version}  devices {len(run.devices)} ({len(not_ok)} not ok)",
        markup=False,
    )
    table = Table()
    table.add_column("unit")
    for col in ("pass", "fail", "unknown", "n/a", "error"):
        table.add_column(col, justify="right")

    def row(label: str, c: StatusCounts) -> list[str]:
        return [label, *(str(v) for v in c.to_data().values())]

    for uid, c in counts.items():
        label = f"{uid} {names[uid]}" if uid in names else uid
        table.add_row(*row(label, c))
    table.add_section()
    table.add_row(*row("total", totals))
    out.print(table)
    for d in not_ok:
        out.print(f"device {d.name} ({d.unit}): {d.status.value}: {d.message}", markup=False)
    for note in run.notes:
        out.print(f"note: {note}", markup=False)
