"""A separate process that records one synthetic run, for the kill and concurrency tests.

Usage: ``python tests/store/writer.py --db URL --id RUN --devices N [--pause SQL:N]``. It
reports stale runs of dead writers (``STALE <id>``), writes the run in many small
transactions and prints ``DONE``. With ``--pause "INSERT INTO run_results:3"`` it prints
``PAUSED`` and sleeps just before the 3rd statement starting with that SQL is sent — inside
its transaction — so the test can SIGKILL it at exactly that point.
"""

from __future__ import annotations

import argparse
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from sqlalchemy import event
from sqlalchemy.engine import Engine

from netaudit.store import open_store
from tests.store.factory import synthetic_run

DEVICE_BATCH = 5
RESULT_BATCH = 20


def install_pause(spec: str) -> None:
    prefix, _, nth = spec.rpartition(":")
    seen = {"n": 0}

    @event.listens_for(Engine, "before_cursor_execute")
    def _pause(_conn: Any, _cur: Any, statement: str, *_args: Any) -> None:
        if statement.lstrip().upper().startswith(prefix.upper()):
            seen["n"] += 1
            if seen["n"] == int(nth):
                print("PAUSED", flush=True)
                time.sleep(600)


def expected_run(run_id: str, devices: int, started: str) -> Any:
    return synthetic_run(
        run_id, devices, started=datetime.fromisoformat(started), shared_configs=True
    )


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--db", required=True)
    ap.add_argument("--id", required=True)
    ap.add_argument("--devices", type=int, default=40)
    ap.add_argument("--started", default=datetime(2026, 11, 2, 1, 0, tzinfo=UTC).isoformat())
    ap.add_argument("--pause")
    args = ap.parse_args()
    if args.pause:
        install_pause(args.pause)
    run = expected_run(args.id, args.devices, args.started)
    with open_store(args.db) as store:
        for stale in store.reap_stale_runs():
            print(f"STALE {stale.id}", flush=True)
        w = store.begin_run(
            id=run.id,
            inventory=run.inventory,
            inventory_path=run.inventory_path,
            mode=run.mode,
            started_at=run.started_at,
            tool_version=run.tool_version,
            units=run.units,
        )
        for i in range(0, len(run.devices), DEVICE_BATCH):
            w.add_devices(run.devices[i : i + DEVICE_BATCH])
        w.add_exits(run.exits)
        w.add_probes(run.probes)
        for i in range(0, len(run.results), RESULT_BATCH):
            w.add_results(run.results[i : i + RESULT_BATCH])
        w.finish(run.status, finished_at=run.finished_at, notes=run.notes)
    print("DONE", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
