"""Live audits: the collection runner's and the probe's results → values the audit and store use.

Input: ``DeviceCollection`` values from ``netaudit.collect.runner`` (redacted configs already
parsed, routing tables attached as the device's RIB), or one ``ProbeReport`` of ``netaudit
probe``. Output: ``ParsedDevices`` — the same value an offline audit's parse stage produces — so
the rest of the audit cannot tell the two apart except by the run's ``mode`` (a device that was
not collected keeps its collection status, ``timeout``, ``auth_failed``, ..., and becomes
``unknown`` in every rule that reads it); and, for ``collect --db`` / ``probe --db``, an
``AuditRun`` without results that the store records: mode ``collect`` (device statuses and
redacted config snapshots) or mode ``probe`` (the probe's observation, its hops and rogue hosts
as notes). The store never treats those two as an audit's previous run (``store.AUDIT_MODES``);
``audit --probes-from-store`` reads the newest probe observations back.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from netaudit import __version__
from netaudit.collect.result import DeviceCollection
from netaudit.inventory import Inventory
from netaudit.pipeline.audit import new_run_id, unit_infos
from netaudit.pipeline.devices import ParsedDevices, record_for
from netaudit.pipeline.run import AuditRun, DeviceRecord, DeviceStatus, RunStatus
from netaudit.probe.report import ProbeReport

COLLECT_MODE = "collect"
PROBE_MODE = "probe"  # = netaudit.store.PROBE_MODE: the store finds probe runs by it


def parsed_from_collection(results: Iterable[DeviceCollection]) -> ParsedDevices:
    out = ParsedDevices()
    for c in results:
        file = f"ssh://{c.host}" if c.host else None
        if c.status.ok and c.device is not None and c.config is not None:
            record = record_for(
                c.name,
                c.unit,
                c.platform,
                role=None,
                file=file,
                device=c.device,
                redacted=c.config,
            )
            out.models[c.name] = c.device
        else:
            status = DeviceStatus(c.status.value)
            if c.status.ok:  # collected but nothing parseable came back
                status = DeviceStatus.PARSE_FAILED
            record = DeviceRecord(
                name=c.name,
                unit=c.unit,
                platform=c.platform,
                status=status,
                message=c.message or status.value,
                file=file,
                config=c.config,
            )
        out.records[c.name] = record
    return out


def collection_run(
    inv: Inventory,
    unit_ids: Sequence[str] | None,
    results: Sequence[DeviceCollection],
    *,
    started_at: datetime,
    finished_at: datetime,
) -> AuditRun:
    """``netaudit collect --db``: the collection as a run of mode ``collect`` — every device's
    status and redacted config snapshot (so ``netaudit diff`` shows config changes between a
    collection and an audit), SNMP cross-check notes; no exits, no results."""
    parsed = parsed_from_collection(results)
    devices = tuple(parsed.records.values())
    notes = tuple(f"{r.name}: {n.message}" for r in results for n in r.notes)
    incomplete = any(d.status is not DeviceStatus.OK for d in devices)
    return AuditRun(
        id=new_run_id(started_at),
        inventory=inv.city.id,
        inventory_path=str(inv.root),
        mode=COLLECT_MODE,
        started_at=started_at,
        finished_at=finished_at,
        status=RunStatus.INCOMPLETE if incomplete else RunStatus.COMPLETE,
        tool_version=__version__,
        units=unit_infos(inv, frozenset(unit_ids) if unit_ids else None),
        devices=devices,
        notes=notes,
    )


def probe_run(inv: Inventory, report: ProbeReport) -> AuditRun:
    """``netaudit probe --db``: one probe run as a run of mode ``probe`` holding its
    observation (what the plan rules read), timed by the probe itself. The evidence the
    observation does not carry (egress hops per exit, rogue hosts' MAC and vendor) is kept as
    the run's notes; the whole report is the ``--out`` JSON."""
    return AuditRun(
        id=new_run_id(report.started_at),
        inventory=inv.city.id,
        inventory_path=str(inv.root),
        mode=PROBE_MODE,
        started_at=report.started_at,
        finished_at=report.finished_at,
        status=RunStatus.COMPLETE if report.complete else RunStatus.INCOMPLETE,
        tool_version=__version__,
        units=unit_infos(inv, frozenset({report.unit})),
        probes=(report.to_observation(),),
        notes=probe_notes(report),
    )


def probe_notes(report: ProbeReport) -> tuple[str, ...]:
    """One line per observed exit and per forwarding host, then the probe's own notes."""
    lines = [
        f"probe {report.probe} on {report.interface} {report.address} in {report.lan}, "
        f"{report.packets_sent} packets sent"
    ]
    for ex in report.exits:
        who = f"declared exit {ex.exit_id}" if ex.exit_id else "undeclared exit"
        public = str(ex.public_source) if ex.public_source else "public address unknown"
        hops = ", ".join(map(str, ex.egress_hops)) or "unknown"
        lines.append(f"{who} {public}: egress hop {hops}")
    for g in report.gateways or ():
        kind = "sanctioned gateway" if g.sanctioned else "rogue gateway"
        vendor = f" ({g.vendor})" if g.vendor else ""
        lines.append(
            f"{kind} {g.address} {g.mac}{vendor}: reflector saw {g.observed_source} "
            f"[{g.evidence.value}]"
        )
    if report.error:
        lines.append(f"incomplete: {report.error}")
    lines.extend(report.notes)
    return tuple(lines)
