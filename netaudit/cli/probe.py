"""``netaudit probe INVENTORY --probe ID``: egress probes from a host inside a unit's network.

Input: the inventory, the probe id and the safety options. Output: the probe report (text, or
JSON with ``--json``; ``--out FILE`` also writes the JSON; ``--db URL`` or ``$NETAUDIT_DB`` also
records it in the store as a run of mode ``probe`` that ``audit --probes-from-store`` reads), or
with ``--dry-run`` what the run would send. Exit 0 when the run completed, 3 when a packet or
time bound stopped it early (the report says where), 2 when the probe cannot run (not root,
unknown interface, a target outside the allow-list, an unusable store, ...).
"""

from __future__ import annotations

import json
import os
from ipaddress import AddressValueError, IPv4Address
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from netaudit.cli.exitcodes import ExitCode
from netaudit.errors import ProbeError, UsageError
from netaudit.inventory import load_inventory
from netaudit.probe.plan import DEFAULT_MAX_TTL, DEFAULT_WAIT, build_plan, preflight
from netaudit.probe.report import ProbeReport
from netaudit.probe.safety import DEFAULT_LAN_RATE, DEFAULT_MAX_PACKETS, DEFAULT_TIMEOUT, Limits

if TYPE_CHECKING:
    from netaudit.store import Store


def probe(
    inventory: Annotated[Path, typer.Argument(help="Inventory folder (city.yaml, units/).")],
    *,
    probe_id: Annotated[
        str, typer.Option("--probe", help="The probe's id in its unit file (probes:).")
    ],
    interface: Annotated[
        str | None,
        typer.Option(
            "--interface",
            help="Interface on the probe's LAN (default: the unit "
            "file's, else the default route's).",
        ),
    ] = None,
    target: Annotated[
        list[str] | None,
        typer.Option("--target", help="Probe only this allow-listed target (repeatable)."),
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Print what would be sent; send nothing.")
    ] = False,
    rate: Annotated[
        float | None,
        typer.Option("--rate", help="Packets/s toward targets (default: city.yaml probe.rate)."),
    ] = None,
    lan_rate: Annotated[
        float, typer.Option("--lan-rate", help="ARP requests/s on the probe's LAN.")
    ] = DEFAULT_LAN_RATE,
    max_packets: Annotated[
        int, typer.Option("--max-packets", help="Stop after this many packets.")
    ] = DEFAULT_MAX_PACKETS,
    timeout: Annotated[
        float, typer.Option("--timeout", help="Stop after this many seconds.")
    ] = DEFAULT_TIMEOUT,
    max_ttl: Annotated[int, typer.Option("--max-ttl", help="Longest trace.")] = DEFAULT_MAX_TTL,
    wait: Annotated[
        float, typer.Option("--wait", help="Seconds to wait for answers after each round.")
    ] = DEFAULT_WAIT,
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
    out: Annotated[
        Path | None, typer.Option("--out", help="Also write the JSON report to this file.")
    ] = None,
    db: Annotated[
        str | None,
        typer.Option(
            "--db",
            help="Also record the observation in this store (SQLAlchemy URL; default "
            "$NETAUDIT_DB when set, else not recorded) for `netaudit audit --probes-from-store`.",
        ),
    ] = None,
) -> None:
    """Trace the egress, ask reflectors which source they saw, sweep the LAN for rogue gateways.

    Run as root on the probe host. Sends only to city.yaml probe.targets (and ARP on its LAN).
    """
    inv = load_inventory(inventory)
    targets = [_address(t) for t in target or []]
    limits = Limits(
        rate=rate if rate is not None else inv.city.probe.rate,
        lan_rate=lan_rate,
        max_packets=max_packets,
        timeout=timeout,
    )
    if not wait > 0:
        raise UsageError("--wait must be a positive number of seconds")
    plan = build_plan(
        inv,
        probe_id,
        limits=limits,
        interface=interface,
        targets=targets or None,
        max_ttl=max_ttl,
        wait=wait,
    )
    if not dry_run:
        preflight()
    if dry_run:
        typer.echo("dry run: nothing is sent")
        for line in plan.describe():
            typer.echo(line)
        raise typer.Exit(ExitCode.OK)
    db = db or os.environ.get("NETAUDIT_DB") or None
    store = _open_store(db) if db is not None else None  # a bad URL fails before sending
    try:
        from netaudit.probe.run import run_probe  # noqa: PLC0415  loads scapy: real runs only

        report = run_probe(plan)
        data = report.to_data()
        text = json.dumps(data, ensure_ascii=False, indent=2)
        if out is not None:
            try:
                out.write_text(text + "\n", encoding="utf-8")
            except OSError as exc:
                raise ProbeError(f"--out {out}: cannot write ({exc.strerror or exc})") from exc
        if store is not None:
            from netaudit.pipeline.live import probe_run  # noqa: PLC0415

            run = probe_run(inv, report)
            store.save_run(run)
            typer.echo(f"recorded as run {run.id} (mode probe)", err=True)
    finally:
        if store is not None:
            store.close()
    typer.echo(text if as_json else render(report))
    raise typer.Exit(ExitCode.OK if report.complete else ExitCode.INCOMPLETE)


def _open_store(url: str) -> Store:
    from netaudit.store import open_store  # noqa: PLC0415 (SQLAlchemy: only when storing)

    return open_store(url)


def _address(text: str) -> IPv4Address:
    try:
        return IPv4Address(text)
    except AddressValueError:
        raise UsageError(f"--target {text!r}: not an IPv4 address") from None


def render(report: ProbeReport) -> str:
    """The report for a terminal."""
    lines = [
        f"probe {report.probe} (unit {report.unit}) on {report.interface} {report.address} "
        f"in {report.lan}, {report.packets_sent} packets sent",
    ]
    lines.append("exits seen on the LAN's normal path:")
    for ex in report.exits:
        who = f"declared exit {ex.exit_id} ({ex.device})" if ex.exit_id else "UNDECLARED"
        public = str(ex.public_source) if ex.public_source else "public address unknown"
        hops = ", ".join(map(str, ex.egress_hops)) or "egress hop unknown"
        lines.append(f"  {public}: {who}; egress hop {hops}; targets {_join(ex.targets)}")
    if not report.exits:
        lines.append("  none (no reflector answered and no trace left the internal space)")
    for s in report.sources:
        if s.observed_source is None:
            lines.append(f"  reflector {s.reflector} {s.protocol.value}: {s.error}")
    if report.gateways is None:
        lines.append("rogue-gateway sweep: not run")
    else:
        hosts = len(report.lan_hosts or ())
        lines.append(f"rogue-gateway sweep: {hosts} hosts answered ARP; forwarding hosts:")
        for g in report.gateways:
            kind = "sanctioned gateway" if g.sanctioned else "ROGUE GATEWAY"
            vendor = f" ({g.vendor})" if g.vendor else ""
            exit_ = f", declared exit {g.exit_id}" if g.exit_id else ""
            lines.append(
                f"  {kind} {g.address} {g.mac}{vendor}: reflector saw {g.observed_source}"
                f"{exit_} [{g.evidence.value}]"
            )
        if not report.gateways:
            lines.append("  none")
    if report.error:
        lines.append(f"INCOMPLETE: {report.error}")
    lines.extend(f"note: {n}" for n in report.notes)
    return "\n".join(lines)


def _join(addrs: tuple[IPv4Address, ...]) -> str:
    return ", ".join(map(str, addrs))
