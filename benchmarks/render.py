"""Benchmark: rendering the reports of the sample city (``inventories/xian``).

Stage: benchmark of the report stage. Input: the shipped sample city, audited once offline in
this process (not timed). Output: the median (and min–max) over ``--runs`` of the time to
render every unit page plus ``index.html`` (``render_html``, Chinese and English) and of the
machine-readable files (findings.json, findings.csv, junit.xml), with the page count and the
time per unit page.

    .venv/bin/python benchmarks/render.py [--runs 20]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from machine import describe  # noqa: E402

from netaudit.inventory import load_inventory  # noqa: E402
from netaudit.pipeline.audit import run_audit  # noqa: E402
from netaudit.report.files import write_machine_files  # noqa: E402
from netaudit.report.html import render_html  # noqa: E402


def timed(runs: int, work: Callable[[], object]) -> list[float]:
    out = []
    for _ in range(runs):
        t0 = time.perf_counter()
        work()
        out.append(time.perf_counter() - t0)
    return out


def show(label: str, times: list[float], per: int | None = None) -> None:
    med = statistics.median(times)
    line = (
        f"{label}: {med * 1000:.0f} ms (min {min(times) * 1000:.0f}, max {max(times) * 1000:.0f})"
    )
    if per:
        line += f", {med / per * 1000:.1f} ms per unit page"
    print(line)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    ap.add_argument("--runs", type=int, default=20)
    ap.add_argument("--inventory", type=Path, default=ROOT / "inventories" / "xian")
    args = ap.parse_args(argv)

    print(describe())
    inv = load_inventory(args.inventory)
    run = run_audit(inv, workers=1)
    out = Path(tempfile.mkdtemp(prefix="netaudit-render-"))
    pages = len(run.units)
    print(f"{inv.city.id}: {pages} units, {len(run.devices)} devices, {len(run.results)} results")
    for lang in ("zh", "en"):
        times = timed(
            args.runs,
            lambda lang=lang: render_html(  # type: ignore[misc]
                run, out / lang, lang=lang, city_name=inv.city.name
            ),
        )
        show(f"HTML ({lang}): {pages} unit pages + index.html", times, per=pages)
    show(
        "findings.json + findings.csv + junit.xml",
        timed(args.runs, lambda: write_machine_files(run, out / "files")),
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
