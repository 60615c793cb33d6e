"""``netaudit audit INVENTORY``: audit, record the run, render the reports, set the exit code.

Thin: load the inventory, collect live (``--live``, with the runner options ``collect`` has)
or parse the config files, take probe observations from ``--probe-report`` files and/or the
newest ones ``netaudit probe --db`` stored (``--probes-from-store``, ``--probe-max-age``), run the
pipeline (``netaudit.pipeline.audit``), write the run to the store as it goes (a killed audit
stays ``running`` and the next one says so), render every report into ``--out``, print a
units × results table, and exit per SPEC §7: 3 when devices could not be collected or parsed
(unless ``--allow-incomplete``), 1 when a result failed at or above ``--fail-on``, else 0.
"""

from __future__ import annotations

import functools
import gc
import json
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, ParamSpec, TypeVar

import typer
from rich.console import Console
from rich.table import Table

from netaudit.cli.collect import live_options, require_override_coverage
from netaudit.cli.db import open_store
from netaudit.cli.exitcodes import ExitCode
from netaudit.errors import NetauditError, UsageError
from netaudit.gcpause import paused_gc
from netaudit.inventory import Inventory, load_inventory
from netaudit.pipeline.audit import (
    StageTimes,
    new_run_id,
    run_audit,
    select_units,
    unit_infos,
)
from netaudit.pipeline.beside import beside
from netaudit.pipeline.devices import ParsedDevices, start_parsing_early
from netaudit.pipeline.run import AuditRun, RunStatus
from netaudit.policy.context import ProbeObservation
from netaudit.policy.results import Severity, Status
from netaudit.report.files import write_machine_files
from netaudit.report.html import render_html
from netaudit.report.views import HistoryPoint

if TYPE_CHECKING:
    from netaudit.collect.runner import RunnerOptions
    from netaudit.pipeline.run import DeviceRecord
    from netaudit.policy.results import Result
    from netaudit.store import RunWriter, Store

P = ParamSpec("P")
R = TypeVar("R")

# From this many results on, the report files are written by a forked process while this one
# writes the store (below it, a fork costs more than it saves).
PARALLEL_RENDER_RESULTS = 5_000

# The audit's objects, kept until the process exits (the console entry point leaves without
# freeing them one by one: seconds on a big city). Emptied by each audit, so tests that call
# the command in-process keep one audit's objects at most.
_RETAINED: list[object] = []


def _collector_paused(command: Callable[P, R]) -> Callable[P, R]:
    """The cyclic garbage collector paused while the command runs, and what it made frozen
    (never scanned) at the end.

    An audit keeps millions of objects alive to its end and makes hardly any cyclic garbage:
    every full collection would walk them all again (writing the store of a 5,000-device run
    took 8 s instead of 3). Objects made while the collector is paused all sit in its youngest
    generation, so the first collection after it resumes would walk them all once more (2.8 s
    at 5,000 devices); frozen, they are freed by reference counting as usual and only cyclic
    garbage among them would stay, in a process that exits next.
    """

    @functools.wraps(command)
    def paused(*args: P.args, **kwargs: P.kwargs) -> R:
        with paused_gc():
            try:
                return command(*args, **kwargs)
            finally:
                gc.freeze()

    return paused


@_collector_paused
def audit(  # noqa: PLR0917 (typer: one parameter per option)
    inventory: Annotated[Path, typer.Argument(help="Inventory folder (city.yaml, units/).")],
    unit: Annotated[
        list[str] | None, typer.Option("--unit", help="Audit only this unit (repeatable).")
    ] = None,
    out: Annotated[Path, typer.Option("--out", help="Folder for the reports.")] = Path(
        "reports/out"
    ),
    db: Annotated[
        str | None,
        typer.Option(
            "--db",
            help="SQLAlchemy URL of the store (default $NETAUDIT_DB or sqlite:///netaudit.db).",
        ),
    ] = None,
    no_store: Annotated[
        bool, typer.Option("--no-store", help="Do not record the run (reports only).")
    ] = False,
    fail_on: Annotated[
        str,
        typer.Option(
            "--fail-on",
            help="Exit 1 on a failed result at or above this "
            "severity: critical | high | medium | low | info.",
        ),
    ] = "high",
    allow_incomplete: Annotated[
        bool,
        typer.Option(
            "--allow-incomplete",
            help="Do not exit 3 when devices could not be collected or parsed.",
        ),
    ] = False,
    lang: Annotated[str, typer.Option("--lang", help="Report language: zh | en.")] = "zh",
    live: Annotated[
        bool, typer.Option("--live", help="Collect over SSH/SNMP instead of reading configs.")
    ] = False,
    hosts_override: Annotated[
        Path | None,
        typer.Option("--hosts-override", help="JSON map device → host/ports (live; simulate)."),
    ] = None,
    known_hosts: Annotated[
        Path, typer.Option("--known-hosts", help="SSH known-hosts file (live).")
    ] = Path("~/.ssh/known_hosts"),
    trust_on_first_use: Annotated[
        bool,
        typer.Option("--trust-on-first-use", help="Accept and record unknown SSH host keys."),
    ] = False,
    workers: Annotated[
        int | None, typer.Option("--workers", help="Parallel workers (parse or collect).")
    ] = None,
    timeout: Annotated[
        float, typer.Option("--timeout", help="Seconds per command until the prompt (live).")
    ] = 30.0,
    connect_timeout: Annotated[
        float, typer.Option("--connect-timeout", help="Seconds for TCP, SSH banner, login (live).")
    ] = 10.0,
    retries: Annotated[
        int, typer.Option("--retries", help="Extra attempts after a timeout or drop (live).")
    ] = 1,
    snmp_timeout: Annotated[
        float, typer.Option("--snmp-timeout", help="Seconds per SNMP request (live).")
    ] = 2.0,
    probe_report: Annotated[
        list[Path] | None,
        typer.Option("--probe-report", help="A `netaudit probe --out` JSON file (repeatable)."),
    ] = None,
    probes_from_store: Annotated[
        bool,
        typer.Option(
            "--probes-from-store",
            help="Use each probe's newest observation that `netaudit probe --db` recorded in "
            "--db (no older than --probe-max-age); a --probe-report file wins for its probe. "
            "Probes with none count as not reported (unknown).",
        ),
    ] = False,
    probe_max_age: Annotated[
        float,
        typer.Option("--probe-max-age", help="Hours a stored probe observation stays usable."),
    ] = 24.0,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress, no table.")] = False,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print findings.json to stdout instead of the table.")
    ] = False,
    timings: Annotated[bool, typer.Option("--timings", help="Print time per stage.")] = False,
) -> None:
    """Audit an inventory against the rule packs; record the run; write the reports."""
    try:
        threshold = Severity(fail_on)
    except ValueError:
        raise UsageError(
            f"--fail-on {fail_on!r}: expected critical, high, medium, low or info"
        ) from None
    if lang not in ("zh", "en"):
        raise UsageError(f"--lang {lang!r}: expected zh or en")
    if probes_from_store and no_store:
        raise UsageError("--probes-from-store reads the store: it cannot go with --no-store")
    if not probe_max_age > 0:
        raise UsageError("--probe-max-age must be a positive number of hours")
    # The parse workers start before the inventory is read: they parse its units as they
    # load, then go on while this process opens the store (issue 9).
    parsing = None if live else start_parsing_early(inventory, workers)
    try:
        inv = load_inventory(inventory, parsing.offer if parsing is not None else None)
        selected = select_units(inv, unit)
        probes = _load_probes(probe_report or [])
        err = Console(stderr=True, highlight=False)
        live_opts = (
            live_options(
                workers=workers or 16,
                hosts_override=hosts_override,
                known_hosts=known_hosts,
                trust_on_first_use=trust_on_first_use,
                timeout=timeout,
                connect_timeout=connect_timeout,
                retries=retries,
                snmp_timeout=snmp_timeout,
                quiet=quiet,
            )
            if live
            else None
        )
        if live_opts is not None:
            require_override_coverage(inv, unit, live_opts, hosts_override)
        if parsing is not None:
            parsing.plan_inventory(inv)
    except BaseException:
        if parsing is not None:
            parsing.cancel()
        raise
    store = None
    try:
        store = None if no_store else open_store(db)
        if store is not None and probes_from_store:
            probes = _stored_probes(store, inv, selected, probes, probe_max_age, err)
        if store is not None:
            for stale in store.reap_stale_runs():
                err.print(
                    f"note: previous run {stale.id} ({stale.inventory}) did not finish; "
                    "it is now marked failed",
                    markup=False,
                )
        started = datetime.now(UTC)
        run_id = new_run_id(started)
        writer = None
        if store is not None:
            writer = store.begin_run(
                id=run_id,
                inventory=inv.city.id,
                inventory_path=str(inv.root),
                mode="live" if live else "offline",
                started_at=started,
                tool_version=_version(),
                units=unit_infos(inv, selected),
            )
        times = StageTimes()
        early = _EarlyRows(writer, selected)
        if parsing is not None and writer is not None:
            parsing.stream(early.stream)
        _RETAINED.clear()
        try:
            parsed = _collect(inv, unit, live_opts) if live_opts is not None else None
            run = run_audit(
                inv,
                unit_ids=unit,
                probes=probes,
                parsed=parsed,
                mode="live" if live else "offline",
                workers=workers,
                times=times,
                run_id=run_id,
                started_at=started,
                retain=_RETAINED,
                # Device records (config snapshots) and the first results are written while
                # the checks run.
                meanwhile=early.write if writer is not None else None,
                parsing=parsing,
            )
            _RETAINED.append(run)
            # What the reports compare with, read before this run is written.
            previous, history = _report_context(run, store)
        except BaseException:
            if writer is not None:
                _failed(writer)
            raise

        def record() -> None:
            if writer is None:
                return
            try:
                writer.add_exits(run.exits)
                writer.add_probes(run.probes)
                writer.add_results(run.results[early.results :])
                writer.finish(run.status, finished_at=run.finished_at, notes=run.notes)
            except BaseException:
                _failed(writer)
                raise

        # The store and the report files need nothing from each other: on a big city the
        # machine files and two fifths of the unit pages are written by a forked process while
        # this one writes the rest of the store, the overview and the other pages (each part
        # takes seconds, issue 9).
        split = len(run.results) >= PARALLEL_RENDER_RESULTS

        def store_and_pages() -> None:
            record()
            _render_html(run, out, lang, previous, history, inv, share=(0, 3, 5) if split else None)

        def files_and_pages() -> None:
            _write_machine_files(run, out)
            if split:
                _render_html(run, out, lang, previous, history, inv, share=(3, 5, 5))

        beside(store_and_pages, files_and_pages, parallel=split)
    except BaseException:
        if parsing is not None:
            parsing.cancel()  # workers still parsing when the audit could not start
        raise
    finally:
        if store is not None:
            store.close()

    if as_json:
        typer.echo(json.dumps(run.findings(), ensure_ascii=False, indent=2))
    elif not quiet:
        _summary(run, out, threshold, store is not None)
    if timings:
        err.print(
            f"timings: parse {times.parse:.2f}s, network+checks {times.network + times.checks:.2f}s"
            f" (network {times.network:.2f}s, checks {times.checks:.2f}s), "
            f"total {times.total:.2f}s"
        )
    raise typer.Exit(exit_code(run, threshold, allow_incomplete))


def exit_code(run: AuditRun, threshold: Severity, allow_incomplete: bool) -> int:
    if run.incomplete and not allow_incomplete:
        return ExitCode.INCOMPLETE
    if run.failed_at_or_above(threshold):
        return ExitCode.FAILURES
    return ExitCode.OK


def _version() -> str:
    from netaudit import __version__  # noqa: PLC0415 (tiny; keeps the import list short)

    return __version__


def _load_probes(files: list[Path]) -> list[ProbeObservation] | None:
    if not files:
        return None
    from netaudit.probe.report import ProbeReport  # noqa: PLC0415 (scapy-free module)

    out = []
    for f in files:
        try:
            data = json.loads(f.read_text(encoding="utf-8"))
            out.append(ProbeReport.from_data(data).to_observation())
        except OSError as exc:
            raise UsageError(f"--probe-report {f}: cannot read ({exc.strerror})") from None
        except (ValueError, KeyError, TypeError) as exc:
            raise UsageError(f"--probe-report {f}: not a netaudit probe report ({exc})") from None
    return out


def _stored_probes(  # noqa: PLR0917
    store: Store,
    inv: Inventory,
    selected: frozenset[str] | None,
    given: list[ProbeObservation] | None,
    max_age_hours: float,
    err: Console,
) -> list[ProbeObservation]:
    """``--probes-from-store``: the files' observations, plus the newest stored one of every
    other probe (no older than the limit). Never None: the rules then know probes were asked
    for, and a probe without a usable observation is ``unknown``, not ``not_applicable``."""
    out = list(given or [])
    have = {p.probe for p in out}
    since = datetime.now(UTC) - timedelta(hours=max_age_hours)
    stored = {s.observation.probe: s for s in store.latest_probes(inv.city.id, since=since)}
    for u in inv.units:
        if selected is not None and u.id not in selected:
            continue
        for spec in u.probes:
            if spec.id in have:
                continue
            found = stored.get(spec.id)
            if found is None or found.observation.unit != u.id:
                err.print(
                    f"note: probe {spec.id} ({u.id}): no observation in the store from the "
                    f"last {max_age_hours:g} h",
                    markup=False,
                )
                continue
            out.append(found.observation)
    return out


def _collect(inv: Inventory, unit: list[str] | None, options: RunnerOptions) -> ParsedDevices:
    # Imported here: netmiko and pysnmp take about a second to import.
    from netaudit.collect.runner import collect_inventory  # noqa: PLC0415
    from netaudit.pipeline.live import parsed_from_collection  # noqa: PLC0415

    units = [u for u in inv.units if not unit or u.id in unit]
    return parsed_from_collection(collect_inventory(inv, units, options))


def _failed(writer: RunWriter) -> None:
    writer.finish(
        RunStatus.FAILED,
        finished_at=datetime.now(UTC),
        notes=["the audit stopped with an error before it finished"],
    )


def _report_context(
    run: AuditRun, store: Store | None
) -> tuple[AuditRun | None, list[HistoryPoint]]:
    """The previous finished run (results only: the config texts stay in the store) and the
    trend of the last ten runs up to this one, which is counted from its results (it is not
    in the store yet)."""
    if store is None:
        return None, []
    previous = store.previous_run(run.inventory, before=run.id, configs=False)
    history = [
        HistoryPoint(h.run_id, h.started_at, h.totals.failed, h.totals.unknown)
        for h in store.history(run.inventory, 9, upto=run.id)
    ]
    counts = Counter(r.status for r in run.results)
    history.append(
        HistoryPoint(run.id, run.started_at, counts[Status.FAIL], counts[Status.UNKNOWN])
    )
    return previous, history


class _EarlyRows:
    """Writes the device records to the store while the parse goes on (``Parsing.stream``),
    the rest of them and the run's first results while the checks still run (``run_audit``'s
    ``meanwhile``); remembers how many results it wrote."""

    def __init__(self, writer: RunWriter | None, units: frozenset[str] | None) -> None:
        self.writer = writer
        self.units = units
        self.devices = 0
        self.results = 0

    def stream(self, records: list[DeviceRecord]) -> None:
        if self.writer is None:
            return
        kept = [r for r in records if self.units is None or r.unit in self.units]
        self.writer.add_devices(kept)
        self.devices += len(kept)

    def write(self, devices: tuple[DeviceRecord, ...], first: tuple[Result, ...]) -> None:
        if self.writer is None:
            return
        # (The streamed records are the first of ``devices``: both in inventory order.)
        self.writer.add_devices(devices[self.devices :])
        self.devices = len(devices)
        self.writer.add_results(first)
        self.results = len(first)


def _write_machine_files(run: AuditRun, out: Path) -> None:
    try:
        write_machine_files(run, out)
    except OSError as exc:
        raise NetauditError(f"--out {out}: cannot write the reports ({exc.strerror})") from None


def _render_html(  # noqa: PLR0917
    run: AuditRun,
    out: Path,
    lang: str,
    previous: AuditRun | None,
    history: list[HistoryPoint],
    inv: Inventory,
    *,
    share: tuple[int, int, int] | None = None,
) -> None:
    limit = inv.city.parameters.get("PLAN-EXIT-COUNT", {}).get("max", 2)
    try:
        render_html(
            run,
            out,
            lang="en" if lang == "en" else "zh",
            previous=previous,
            history=history,
            exit_limit=int(limit) if isinstance(limit, int | float | str) else 2,
            city_name=inv.city.name,
            share=share,
        )
    except OSError as exc:
        raise NetauditError(f"--out {out}: cannot write the reports ({exc.strerror})") from None


def _summary(run: AuditRun, out: Path, threshold: Severity, stored: bool) -> None:
    console = Console(highlight=False)
    table = Table(title=f"{run.inventory} · {run.id} · {run.mode}")
    for col in ("unit", "pass", "fail", "unknown", "n/a", "exits"):
        table.add_column(col, justify="left" if col == "unit" else "right")
    # One pass over results and exits (a city has 1,000 units and 150,000 results).
    count = Counter((r.unit, r.status) for r in run.results)
    exits: dict[str | None, set[str]] = {}
    for e in run.exits:
        exits.setdefault(e.unit, set()).add(e.group or e.subject)
    for u in run.units:
        fail = count[u.id, Status.FAIL]
        table.add_row(
            f"{u.name} ({u.id})",
            str(count[u.id, Status.PASS]),
            f"[bold red]{fail}[/]" if fail else "0",
            str(count[u.id, Status.UNKNOWN] + count[u.id, Status.ERROR]),
            str(count[u.id, Status.NOT_APPLICABLE]),
            str(len(exits.get(u.id, ()))),
        )
    console.print(table)
    bad = [d for d in run.devices if d.status.value != "ok"]
    for d in bad:
        console.print(
            f"[yellow]not audited[/]: {d.name}: {d.status.value}: {d.message}", markup=True
        )
    failed = run.failed_at_or_above(threshold)
    total_fail = sum(n for (_, status), n in count.items() if status is Status.FAIL)
    console.print(
        f"{len(run.devices)} devices ({len(bad)} not collected/parsed), "
        f"{len(run.results)} results, {total_fail} failed ({len(failed)} at or above "
        f"{threshold.value}); reports in {out}" + ("" if stored else " (run not stored)")
    )
