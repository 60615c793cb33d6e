"""The offline audit, end to end: inventory → parse → network analysis → rules → ``AuditRun``.

Input: a loaded inventory, an optional unit selection (``--unit``), optional probe
observations, and optionally device records/models already collected live. Output: an
``AuditRun`` (run metadata, device records with redacted snapshots, the internet exits found,
probe observations, every rule result). Timings per stage are kept in ``StageTimes`` for the
benchmarks. Nothing here prints or writes files: the CLI, the store and the reports do that.

The cyclic garbage collector is paused while the audit runs: the audit builds millions of
long-lived objects (models, topology, FIBs, results) and hardly any cyclic garbage, and each
full collection would walk all of them again (at 1,000 devices this halved the audit's own CPU
time). It is re-enabled when the audit returns or raises.

On a big city the network analysis and the rules that may read it run in a forked process
while this one runs the rules whose checks read one device at a time (``reads_network=False``:
the MLPS pack) and hands the device records to the caller (who writes them to the store); the
results are merged back in rule order, so the run is the one a serial audit gives.

Every device of the inventory is parsed and modelled even with ``--unit`` (paths and exits of
one unit run through the municipal platform and through other units' devices); only the
results, device records and exits of the selected units are reported.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

from netaudit import __version__
from netaudit.errors import UsageError
from netaudit.gcpause import paused_gc
from netaudit.inventory import Inventory
from netaudit.model import Device
from netaudit.model.pickling import by_constructor, dataclasses_of
from netaudit.network import exits as _exits
from netaudit.network import fib as _fib
from netaudit.network import filters as _filters
from netaudit.network import flow as _flow
from netaudit.network import nat as _nat
from netaudit.network import topology as _topology
from netaudit.network import trace as _trace
from netaudit.pipeline import run as run_records
from netaudit.pipeline.beside import fork_call
from netaudit.pipeline.devices import ParsedDevices, Parsing, parse_inventory
from netaudit.pipeline.run import (
    AuditRun,
    DeviceRecord,
    DeviceStatus,
    ExitRecord,
    RunStatus,
    UnitInfo,
)
from netaudit.policy import analysis as policy_analysis
from netaudit.policy import context as policy_context
from netaudit.policy import results as policy_results
from netaudit.policy.analysis import NetworkAnalysis
from netaudit.policy.context import AuditContext, DeviceFailure, ProbeObservation
from netaudit.policy.engine import run_rule, run_rules
from netaudit.policy.pack import Rule, load_rules_for
from netaudit.policy.results import ConfigEvidence, Result

# The forked network side sends back results, their evidence (traced paths) and the exits:
# pickled as constructor calls (``model.pickling``; compiled, they could not be otherwise).
by_constructor(
    dataclasses_of(
        policy_results,
        policy_context,
        policy_analysis,
        run_records,
        *(_fib, _filters, _nat, _flow, _topology, _exits, _trace),
    )
)

# From this many parsed devices on, the network analysis and the rules that read it run in a
# forked process while this one runs the rules that read one device at a time (issue 9).
PARALLEL_CHECKS_DEVICES = 400

# What ``run_audit`` hands its caller while the checks run: the device records and the results
# that will lead the run's results.
Meanwhile = Callable[[tuple[DeviceRecord, ...], tuple[Result, ...]], None]


@dataclass(slots=True)
class StageTimes:
    """Wall time per stage, seconds (printed by --timings and the benchmarks). ``parse`` runs
    from the start of parsing (the caller may start it before the audit) to its end. When the
    network side runs in a forked process, ``network`` is the time it took to build the
    analysis there and ``checks`` the rest of the wall time until both sides are done."""

    parse: float = 0.0
    network: float = 0.0
    checks: float = 0.0
    total: float = 0.0
    extra: dict[str, float] = field(default_factory=dict)


def select_units(inv: Inventory, unit_ids: Sequence[str] | None) -> frozenset[str] | None:
    """The ``--unit`` selection, checked against the inventory (None = every unit)."""
    if not unit_ids:
        return None
    known = {u.id for u in inv.units}
    unknown = [u for u in unit_ids if u not in known]
    if unknown:
        raise UsageError(
            f"--unit {', '.join(unknown)}: no such unit in {inv.root} "
            f"(units: {', '.join(sorted(known))})"
        )
    return frozenset(unit_ids)


def exit_records(
    inv: Inventory, analysis: NetworkAnalysis | None, selected: frozenset[str] | None
) -> tuple[ExitRecord, ...]:
    """The exits found in configs, attributed to the unit owning the device, matched to the
    declared exits of any unit (a unit's exit may sit on another unit's device), grouped
    when they share one ISP line."""
    if analysis is None:
        return ()
    unit_of = {d.name: u.id for u, d in inv.device_specs()}
    declared: dict[tuple[str, str], tuple[str, str, str | None]] = {}
    for u in inv.units:
        for d in u.exits:
            declared[(d.device, d.interface)] = (u.id, d.id, d.isp)
    group_of: dict[str, str] = {}
    for group in analysis.groups:
        if len(group.members) > 1:
            for member in group.members:
                group_of[member.key] = group.key
    records = []
    for ex in analysis.exits:
        decl = declared.get((ex.device, ex.interface))
        unit = decl[0] if decl else unit_of.get(ex.device)
        if selected is not None and unit not in selected:
            continue
        records.append(
            ExitRecord(
                unit=unit,
                device=ex.device,
                interface=ex.interface,
                declared_id=decl[1] if decl else None,
                reasons=tuple(r.kind.value for r in ex.reasons),
                evidence=tuple(ConfigEvidence.of(ex.device, s) for s in ex.sources),
                group=group_of.get(ex.key),
                isp=decl[2] if decl else None,
            )
        )
    records.sort(key=lambda r: (r.unit or "", r.subject))
    return tuple(records)


def run_audit(
    inv: Inventory,
    *,
    unit_ids: Sequence[str] | None = None,
    probes: Sequence[ProbeObservation] | None = None,
    parsed: ParsedDevices | None = None,
    mode: str = "offline",
    workers: int | None = None,
    times: StageTimes | None = None,
    run_id: str | None = None,
    started_at: datetime | None = None,
    retain: list[object] | None = None,
    parallel: bool | None = None,
    meanwhile: Meanwhile | None = None,
    parsing: Parsing | None = None,
) -> AuditRun:
    """Audit ``inv``; ``parsed`` carries live-collected devices (default: parse config files).

    ``retain``, when given, receives the audit's working state (models, network analysis): a
    caller that exits right after keeps it alive rather than spend time freeing millions of
    objects (0.6 s at 5,000 devices, issue 9).

    ``parallel``: run the network analysis and the rules that read it in a forked process
    while this one runs the rules that read one device at a time (default: from
    ``PARALLEL_CHECKS_DEVICES`` parsed devices on; without ``os.fork`` never). The results
    are the same, in the same order. ``meanwhile``, when given, is called once with the
    run's device records and the results that will lead the run's results (those of the
    rules before the first one that reads the network, when they are known by then, else
    none) while the other process works: the CLI writes them to the store then.

    ``parsing``: the config files' parse, started by the caller (``start_parsing``, or
    ``start_parsing_early`` before the inventory loads) so that its workers run while the
    caller opens the store; stopped here if the audit cannot
    start (a bad rule pack, an unknown unit).
    """
    with paused_gc():
        return _run_audit(
            inv,
            unit_ids=unit_ids,
            probes=probes,
            parsed=parsed,
            mode=mode,
            workers=workers,
            times=times if times is not None else StageTimes(),
            run_id=run_id,
            started_at=started_at,
            retain=retain,
            parallel=parallel,
            meanwhile=meanwhile,
            parsing=parsing,
        )


def _run_audit(
    inv: Inventory,
    *,
    unit_ids: Sequence[str] | None,
    probes: Sequence[ProbeObservation] | None,
    parsed: ParsedDevices | None,
    mode: str,
    workers: int | None,
    times: StageTimes,
    run_id: str | None,
    started_at: datetime | None,
    retain: list[object] | None,
    parallel: bool | None,
    meanwhile: Meanwhile | None,
    parsing: Parsing | None,
) -> AuditRun:
    t0 = time.perf_counter()
    started = started_at or datetime.now(UTC)
    try:
        selected = select_units(inv, unit_ids)
        packs = load_rules_for(inv)  # rule-pack errors surface before any work
    except BaseException:
        if parsing is not None:
            parsing.cancel()
        raise

    if parsed is None:
        if parsing is not None:
            t0 = min(t0, parsing.started)
            parsed = parsing.finish()
        else:
            parsed = parse_inventory(inv, workers=workers)
    t1 = time.perf_counter()
    times.parse = t1 - t0

    failures = {
        name: DeviceFailure(rec.status.value, rec.message or rec.status.value)
        for name, rec in parsed.records.items()
        if rec.status is not DeviceStatus.OK
    }
    units = [u for u in inv.units if selected is None or u.id in selected]
    unit_ids_kept = {u.id for u in units}
    devices = tuple(r for r in parsed.records.values() if r.unit in unit_ids_kept)
    rules = [rule for pack in packs for rule in pack.rules]
    local = [not rule.check.reads_network for rule in rules]
    if parallel is None:
        parallel = len(parsed.models) >= PARALLEL_CHECKS_DEVICES
    forked = None
    if parallel and any(local) and not all(local):
        forked = fork_call(
            lambda: _network_side(inv, parsed.models, failures, probes, selected, rules, local),
            "the network analysis",
        )
    if forked is None:
        if meanwhile is not None:
            meanwhile(devices, ())
            t1 = time.perf_counter()  # (the network stage does not count the caller's writes)
        ctx = AuditContext.build(
            inv, parsed.models, failures, probes=probes, selected_units=selected
        )
        if retain is not None:
            retain.append(ctx)
        t2 = time.perf_counter()
        times.network = t2 - t1
        results = run_rules(packs, ctx)
        times.checks = time.perf_counter() - t2
        exits = exit_records(inv, ctx.network, selected)
        network_error = ctx.network_error
    else:
        try:
            # The rules that read one device at a time run here meanwhile, on a context
            # without the analysis (their checks promise not to read it).
            ctx = AuditContext.build(
                inv,
                parsed.models,
                failures,
                probes=probes,
                selected_units=selected,
                analyse_network=False,
            )
            if retain is not None:
                retain.append(ctx)
            mine = [
                list(run_rule(rule, ctx)) if loc else []
                for rule, loc in zip(rules, local, strict=True)
            ]
            if meanwhile is not None:
                lead = next((i for i, loc in enumerate(local) if not loc), len(local))
                meanwhile(devices, _kept((r for own in mine[:lead] for r in own), unit_ids_kept))
            side = forked.result()
        except BaseException:
            forked.cancel()
            raise
        results = [
            r
            for own, theirs, loc in zip(mine, side.results, local, strict=True)
            for r in (own if loc else theirs)
        ]
        exits, network_error = side.exits, side.network_error
        times.network = side.network
        times.checks = time.perf_counter() - t1 - side.network

    incomplete = any(d.status is not DeviceStatus.OK for d in devices)
    notes = [f"network analysis: {network_error}"] if network_error else []
    run = AuditRun(
        id=run_id or new_run_id(started),
        inventory=inv.city.id,
        inventory_path=str(inv.root),
        mode=mode,
        started_at=started,
        finished_at=datetime.now(UTC),
        status=RunStatus.INCOMPLETE if incomplete else RunStatus.COMPLETE,
        tool_version=__version__,
        units=unit_infos(inv, selected),
        devices=devices,
        exits=exits,
        probes=tuple(p for p in (probes or ()) if p.unit in unit_ids_kept),
        results=_kept(results, unit_ids_kept),
        notes=tuple(notes),
    )
    times.total = time.perf_counter() - t0
    return run


@dataclass(frozen=True, slots=True)
class _NetworkSide:
    """What the forked network side sends back: its rules' results (an empty list for the
    rules run here), the exits found, why the analysis failed if it did, its build time."""

    results: list[list[Result]]
    exits: tuple[ExitRecord, ...]
    network_error: str | None
    network: float


def _network_side(  # noqa: PLR0917
    inv: Inventory,
    models: dict[str, Device],
    failures: dict[str, DeviceFailure],
    probes: Sequence[ProbeObservation] | None,
    selected: frozenset[str] | None,
    rules: list[Rule],
    local: list[bool],
) -> _NetworkSide:
    """In the forked child: the network analysis and every rule that may read it."""
    t = time.perf_counter()
    ctx = AuditContext.build(inv, models, failures, probes=probes, selected_units=selected)
    network = time.perf_counter() - t
    return _NetworkSide(
        [[] if loc else list(run_rule(rule, ctx)) for rule, loc in zip(rules, local, strict=True)],
        exit_records(inv, ctx.network, selected),
        ctx.network_error,
        network,
    )


def _kept(results: Iterable[Result], units: set[str]) -> tuple[Result, ...]:
    """The results reported: city-wide ones and those of the units of the run."""
    return tuple(r for r in results if r.unit is None or r.unit in units)


def unit_infos(inv: Inventory, selected: frozenset[str] | None) -> tuple[UnitInfo, ...]:
    return tuple(
        UnitInfo(u.id, u.name, u.kind.value, u.responsible, u.campus.value if u.campus else None)
        for u in inv.units
        if selected is None or u.id in selected
    )


def new_run_id(started: datetime) -> str:
    """Sortable and unique: UTC start time plus a random suffix."""
    return f"{started.strftime('%Y%m%dT%H%M%SZ')}-{uuid.uuid4().hex[:8]}"
