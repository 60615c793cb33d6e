"""Benchmark: the offline audit end to end on synthetic cities of 1,000 / 5,000 / 10,000 devices.

Stage: benchmark of the whole offline pipeline. Input: city sizes (devices), a seed, the number
of runs. For each size the city is generated once by ``benchmarks/gencity.py`` into a scratch
folder (never in the repository), then audited ``--runs`` times in two ways:

- **end to end**: the real command, ``netaudit audit CITY --out OUT --db sqlite:///... -q``,
  in a child process; wall time, and peak memory as the child's own peak RSS (``ru_maxrss``)
  and the peak of the whole process tree (the audit, its parse worker and its report writer),
  sampled from ``/proc``: PSS every 0.5 s (a page a forked process still shares with its
  parent counted once: the memory the audit takes; reading it costs the kernel a page-table
  walk, which slowed the audit when sampled every 50 ms) and RSS summed every 50 ms (a
  shared page counted in each process);
- **per stage**, in this process with the same calls the command makes: load (inventory
  loading and validation), parse, network model, checks, store (record the run in SQLite),
  reports (findings.json/csv, junit.xml, index.html and every unit page).

Path tracing of the plan rules runs inside "checks" (``benchmarks/trace.py`` measures tracing
alone). Output: a Markdown table of medians (min–max) for BENCHMARKS.md, the growth per device
from the smallest to the largest city, and JSON lines with ``--json``.

    .venv/bin/python benchmarks/audit.py [--sizes 1000 5000 10000] [--runs 3]
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import gencity  # noqa: E402
from machine import describe  # noqa: E402

from netaudit.gcpause import paused_gc  # noqa: E402
from netaudit.inventory import load_inventory  # noqa: E402
from netaudit.pipeline.audit import StageTimes, run_audit, unit_infos  # noqa: E402
from netaudit.report.files import write_machine_files  # noqa: E402
from netaudit.report.html import render_html  # noqa: E402
from netaudit.report.views import HistoryPoint  # noqa: E402
from netaudit.store import open_store  # noqa: E402

NETAUDIT = ROOT / ".venv" / "bin" / "netaudit"
STAGES = ("load", "parse", "network", "checks", "store", "reports")


# --------------------------------------------------------------------------- measurements


def _tree(pid: int) -> list[int]:
    """``pid`` and all its descendants (those still there)."""
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        try:
            for task in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{task}/children", encoding="ascii") as fh:
                    todo += [int(c) for c in fh.read().split()]
        except (OSError, ValueError):
            continue
    return out


def _field(path: str, name: str) -> int:
    try:
        with open(path, encoding="ascii") as fh:
            for line in fh:
                if line.startswith(name):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError):
        pass
    return 0


def tree_rss(pid: int) -> int:
    """Resident bytes of ``pid`` and its descendants, summed (a page a forked child still
    shares with its parent counts in both); cheap to read."""
    return sum(_field(f"/proc/{p}/status", "VmRSS:") for p in _tree(pid))


def tree_pss(pid: int) -> int:
    """Proportional resident bytes of ``pid`` and its descendants (a shared page counted
    once): the memory the process tree takes. The kernel walks every page table to answer,
    so it is sampled less often."""
    return sum(_field(f"/proc/{p}/smaps_rollup", "Pss:") for p in _tree(pid))


@dataclass
class EndToEnd:
    wall: float
    exit_code: int
    tree_peak: int  # bytes, sampled: RSS summed over the process tree
    tree_pss_peak: int  # bytes, sampled: PSS summed (pages shared after a fork counted once)
    main_peak: int  # bytes, ru_maxrss of the largest process (the audit or a parse worker)


def end_to_end(city: Path, scratch: Path) -> EndToEnd:
    """One ``netaudit audit`` run of ``city`` into a fresh store and report folder."""
    db = scratch / "e2e.db"
    for f in scratch.glob("e2e.db*"):
        f.unlink()
    shutil.rmtree(scratch / "out-e2e", ignore_errors=True)  # (a new machine's first run)
    cmd = [str(NETAUDIT), "audit", str(city), "--out", str(scratch / "out-e2e")]
    cmd += ["--db", f"sqlite:///{db}", "-q"]
    # ru_maxrss of RUSAGE_CHILDREN is the largest child waited for so far: run the audit
    # from a fresh helper process so earlier runs do not mask this one.
    helper = (
        "import resource, subprocess, sys;"
        "rc = subprocess.call(sys.argv[1:]);"
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss);"
        "sys.exit(rc)"
    )
    peak = peak_pss = 0
    t0 = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-c", helper, *cmd], stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    done = threading.Event()

    def sample() -> None:
        nonlocal peak, peak_pss
        tick = 0
        while not done.is_set():
            peak = max(peak, tree_rss(proc.pid))
            if tick % 10 == 0:
                peak_pss = max(peak_pss, tree_pss(proc.pid))
            tick += 1
            time.sleep(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out, err = proc.communicate()
    wall = time.perf_counter() - t0
    done.set()
    sampler.join()
    if proc.returncode not in (0, 1, 3):
        raise RuntimeError(f"netaudit audit failed ({proc.returncode}): {err.decode()[-2000:]}")
    main_peak = int(out.decode().split()[-1]) * 1024
    return EndToEnd(wall, proc.returncode, peak, peak_pss, main_peak)


def stage_times(city: Path, scratch: Path, workers: int | None) -> dict[str, float]:
    """The command's steps, one by one, timed (same calls as ``netaudit.cli.audit``, with the
    collector paused as the command pauses it; the command writes the store and the reports
    at once from 5,000 results on, here they are timed one after the other)."""
    with paused_gc():
        out = _stage_times(city, scratch, workers)
    gc.collect()  # (outside the clock) what this run left, before the next one
    return out


def _stage_times(city: Path, scratch: Path, workers: int | None) -> dict[str, float]:
    out: dict[str, float] = {}
    db = scratch / "stages.db"
    for f in scratch.glob("stages.db*"):
        f.unlink()
    t0 = time.perf_counter()
    inv = load_inventory(city)
    out["load"] = time.perf_counter() - t0
    times = StageTimes()
    run = run_audit(inv, workers=workers, times=times)
    out["parse"], out["network"], out["checks"] = times.parse, times.network, times.checks
    t1 = time.perf_counter()
    store = open_store(f"sqlite:///{db}")
    writer = store.begin_run(
        id=run.id,
        inventory=run.inventory,
        inventory_path=run.inventory_path,
        mode=run.mode,
        started_at=run.started_at,
        tool_version=run.tool_version,
        units=unit_infos(inv, None),
    )
    writer.add_devices(run.devices)
    writer.add_exits(run.exits)
    writer.add_probes(run.probes)
    writer.add_results(run.results)
    writer.finish(run.status, finished_at=run.finished_at, notes=run.notes)
    t2 = time.perf_counter()
    out["store"] = t2 - t1
    previous = store.previous_run(run.inventory, before=run.id, configs=False)
    history = [
        HistoryPoint(h.run_id, h.started_at, h.totals.failed, h.totals.unknown)
        for h in store.history(run.inventory, 10, upto=run.id)
    ]
    write_machine_files(run, scratch / "out-stages")
    render_html(
        run, scratch / "out-stages", previous=previous, history=history, city_name=inv.city.name
    )
    store.close()
    out["reports"] = time.perf_counter() - t2
    out["total"] = time.perf_counter() - t0
    out["results"] = float(len(run.results))
    return out


# --------------------------------------------------------------------------- reporting


@dataclass
class SizeResult:
    devices: int
    units: int
    config_lines: int
    config_bytes: int
    e2e: list[EndToEnd] = field(default_factory=list)
    stages: list[dict[str, float]] = field(default_factory=list)

    def median(self, get: Callable[[EndToEnd], float]) -> float:
        return statistics.median(get(r) for r in self.e2e)

    def stage(self, name: str) -> float:
        return statistics.median(s[name] for s in self.stages)

    def spread(self, name: str) -> str:
        vals = [s[name] for s in self.stages]
        return f"{statistics.median(vals):.2f} ({min(vals):.2f}–{max(vals):.2f})"


def gib(n: float) -> str:
    return f"{n / 2**30:.2f} GiB"


def table(results: list[SizeResult]) -> str:
    head = "| | " + " | ".join(f"{r.devices:,} devices" for r in results) + " |"
    rows = [head, "|---|" + "---|" * len(results)]

    def row(label: str, cells: list[str]) -> None:
        rows.append(f"| {label} | " + " | ".join(cells) + " |")

    row("units / config lines", [f"{r.units:,} / {r.config_lines / 1e6:.2f} M" for r in results])
    row(
        "**`netaudit audit` wall time**",
        [
            f"**{r.median(lambda e: e.wall):.1f} s** "
            f"({min(e.wall for e in r.e2e):.1f}–{max(e.wall for e in r.e2e):.1f})"
            for r in results
        ],
    )
    row("peak RSS, largest process", [gib(r.median(lambda e: e.main_peak)) for r in results])
    row(
        "peak memory, process tree, PSS (sampled)",
        [gib(r.median(lambda e: e.tree_pss_peak)) for r in results],
    )
    row(
        "peak RSS summed over the process tree (sampled)",
        [gib(r.median(lambda e: e.tree_peak)) for r in results],
    )
    for name in STAGES:
        label = "checks, incl. path tracing" if name == "checks" else name
        row(f"stage: {label} (s)", [r.spread(name) for r in results])
    row("stages total (s)", [r.spread("total") for r in results])
    row("results", [f"{int(r.stage('results')):,}" for r in results])
    return "\n".join(rows)


def growth(results: list[SizeResult]) -> str:
    """Time per device of each stage at each size, relative to the smallest city."""
    if len(results) < 2:
        return ""
    first = results[0]
    lines = [
        "| per-device cost vs the smallest city | "
        + " | ".join(f"{r.devices:,}" for r in results[1:])
        + " |",
        "|---|" + "---|" * (len(results) - 1),
    ]
    for name in (*STAGES, "total"):
        base = first.stage(name) / first.devices
        cells = []
        for r in results[1:]:
            per = r.stage(name) / r.devices
            cells.append(f"{per / base:.2f}×" if base > 0 else "–")
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    if all(r.e2e for r in results):
        base_mem = first.median(lambda e: e.tree_pss_peak) / first.devices
        cells = [
            f"{r.median(lambda e: e.tree_pss_peak) / r.devices / base_mem:.2f}×"
            for r in results[1:]
        ]
        lines.append("| peak memory (process tree, PSS) | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    ap.add_argument("--sizes", type=int, nargs="+", default=[1000, 5000, 10000])
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--per-unit", type=int, default=10)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--workers", type=int, default=None, help="parse workers (default: cores)")
    ap.add_argument("--scratch", type=Path, default=None, help="where cities go (default: tmp)")
    ap.add_argument("--skip-e2e", action="store_true", help="per-stage runs only")
    ap.add_argument("--skip-stages", action="store_true", help="end-to-end runs only")
    ap.add_argument("--json", action="store_true", help="print JSON lines")
    args = ap.parse_args(argv)

    scratch_root = args.scratch or Path(tempfile.mkdtemp(prefix="netaudit-scale-"))
    results = []
    for devices in args.sizes:
        size = gencity.CitySize.for_devices(devices, args.per_unit)
        city = scratch_root / f"city-{size.devices}"
        if not (city / "planted.json").exists():
            gencity.generate(city, size, seed=args.seed)
        cfgs = list((city / "configs").glob("*.cfg"))
        res = SizeResult(
            size.devices,
            size.units + 1,
            sum(p.read_bytes().count(b"\n") for p in cfgs),
            sum(p.stat().st_size for p in cfgs),
        )
        work = scratch_root / f"work-{size.devices}"
        work.mkdir(exist_ok=True)
        for k in range(args.runs):
            if not args.skip_e2e:
                e = end_to_end(city, work)
                res.e2e.append(e)
                if args.json:
                    print(json.dumps({"devices": size.devices, "run": k, "e2e": vars(e)}))
            if not args.skip_stages:
                s = stage_times(city, work, args.workers)
                res.stages.append(s)
                if args.json:
                    print(json.dumps({"devices": size.devices, "run": k, "stages": s}))
            print(f"{size.devices} devices, run {k + 1}/{args.runs} done", file=sys.stderr)
        results.append(res)

    if args.skip_e2e or args.skip_stages:
        for r in results:
            print(
                r.devices,
                {n: round(r.stage(n), 2) for n in (*STAGES, "total")} if r.stages else "",
                [round(e.wall, 1) for e in r.e2e],
            )
        return 0
    text = table(results) + "\n\n" + growth(results)
    print(describe())
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
