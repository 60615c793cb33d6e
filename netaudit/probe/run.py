"""One probe run, start to end: ARP scan, egress traces, source observation, rogue sweep.

Stage: probe. Input: a checked ``ProbePlan`` (``plan.py``), on a host where ``preflight`` passed
(root, the interface exists). Output: a ``ProbeReport``. A packet or time bound that stops the run
early is not an error: the report says so (``complete=False``, ``error``) and keeps what was seen.
scapy is imported here, lazily, so planning and ``--dry-run`` never load it.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import UTC, datetime
from enum import StrEnum
from ipaddress import IPv4Address
from typing import TYPE_CHECKING

from netaudit.probe import analysis
from netaudit.probe.client import ReflectorClient, ReplyListener
from netaudit.probe.plan import ProbePlan
from netaudit.probe.report import Gateway, LanHost, ProbeReport, Protocol, SourceObservation, Trace
from netaudit.probe.safety import Guard, LimitReached

if TYPE_CHECKING:
    from netaudit.probe.engine import Engine


class Phase(StrEnum):
    TRACE = "trace"  # egress traces to each target
    SOURCES = "sources"  # ask each reflector which source it saw
    SWEEP = "sweep"  # rogue-gateway sweep (the ARP scan always runs: it finds the gateway)


def run_probe(plan: ProbePlan, phases: Collection[Phase] = tuple(Phase)) -> ProbeReport:
    """Run the ``phases`` of ``plan`` (all by default); a phase not run leaves its part of the
    report empty (``traces``, ``sources``) or None (``gateways``)."""
    from netaudit.probe.engine import Engine  # noqa: PLC0415  scapy: only in a real run

    started = datetime.now(UTC)
    guard = Guard(plan.targets, plan.lan, plan.limits)
    engine = Engine(plan, guard)
    client = ReflectorClient(guard, plan.address, plan.reflector_port, plan.wait)
    notes = list(plan.notes)
    hosts: list[LanHost] | None = None
    traces: list[Trace] = []
    sources: list[SourceObservation] = []
    gateways: tuple[Gateway, ...] | None = None
    error: str | None = None
    try:
        hosts = engine.arp_scan()
        if plan.next_hop is None:
            notes.append("no default route on the interface: traces and source observation skipped")
        elif Phase.TRACE in phases:
            mac = engine.resolve(plan.next_hop, hosts)
            if mac is None:
                notes.append(f"next hop {plan.next_hop} did not answer ARP: traces skipped")
            else:
                for raw in engine.trace(plan.targets, mac):
                    traces.append(
                        analysis.make_trace(
                            raw.target, raw.protocol, raw.hops, raw.reached, plan.is_internal
                        )
                    )
        if plan.next_hop is not None and Phase.SOURCES in phases:
            sources = _observe_sources(plan, client)
        if Phase.SWEEP in phases:
            gateways = _sweep(plan, client, engine, hosts, notes)
    except LimitReached as exc:
        error = str(exc)
    return ProbeReport(
        probe=plan.probe.id,
        unit=plan.unit.id,
        started_at=started,
        finished_at=datetime.now(UTC),
        interface=plan.interface,
        address=plan.address,
        lan=plan.lan,
        sanctioned_gateway=plan.sanctioned_gateway,
        targets=plan.targets,
        reflectors=plan.reflectors,
        traces=tuple(traces),
        sources=tuple(sources),
        exits=analysis.observed_exits(plan.unit, traces, sources),
        lan_hosts=None if hosts is None else tuple(hosts),
        gateways=gateways,
        packets_sent=guard.sent,
        complete=error is None,
        error=error,
        notes=tuple(notes),
    )


def _observe_sources(plan: ProbePlan, client: ReflectorClient) -> list[SourceObservation]:
    out: list[SourceObservation] = []
    for r in plan.reflectors:
        udp = client.observe_udp(r)
        out.append(
            analysis.source_observation(
                plan.unit,
                reflector=r,
                protocol=Protocol.UDP,
                observed=udp.source if udp else None,
                port=udp.port if udp else None,
                error=f"no answer from {r}:{plan.reflector_port} over UDP",
            )
        )
        tcp, err = client.observe_tcp(r)
        out.append(
            analysis.source_observation(
                plan.unit,
                reflector=r,
                protocol=Protocol.TCP,
                observed=tcp.source if tcp else None,
                port=tcp.port if tcp else None,
                error=err,
            )
        )
    return out


def _sweep(
    plan: ProbePlan, client: ReflectorClient, engine: Engine, hosts: list[LanHost], notes: list[str]
) -> tuple[Gateway, ...] | None:
    if not plan.reflectors:
        notes.append("rogue-gateway sweep skipped: no reflector in city.yaml probe.reflectors")
        return None
    reflector = plan.reflectors[0]
    # One packet per MAC: a router answering ARP for many addresses (proxy ARP) is one host.
    # The sanctioned gateway's address goes first, so its MAC is reported under that address.
    per_mac: dict[str, LanHost] = {}
    # Then inventoried devices' addresses, so a known router is reported under its own address.
    for h in sorted(
        hosts,
        key=lambda h: (h.address != plan.sanctioned_gateway, h.address not in plan.inventoried),
    ):
        per_mac.setdefault(h.mac, h)
    with ReplyListener(plan.address) as listener:
        sent = engine.sweep(list(per_mac.values()), reflector, listener.port)
        replies = listener.collect([p.nonce for p in sent], plan.wait)
    missing = [p.nonce for p in sent if p.nonce not in replies]
    logged: dict[str, IPv4Address] = {}
    if missing and plan.next_hop is not None:
        found, err = client.query_log(reflector, missing)
        logged = {n: s.source for n, s in found.items()}
        if err:
            notes.append(f"{err}: hosts whose reply did not come back may still have forwarded")
    result = analysis.gateways(
        plan.unit,
        {p.nonce: p.host for p in sent},
        {n: s.source for n, s in replies.items()},
        logged,
        plan.sanctioned_gateway,
        inventoried=plan.inventoried,
    )
    for g in result:
        if g.address != plan.sanctioned_gateway and g.address in plan.inventoried:
            notes.append(
                f"{g.address} forwards: it is {plan.inventoried[g.address]} (an inventoried "
                "device, e.g. the other router of a VRRP pair), so it is not reported as rogue"
            )
    sanctioned = plan.sanctioned_gateway
    if sanctioned is not None and not any(g.address == sanctioned for g in result):
        if any(h.address == sanctioned for h in hosts):
            notes.append(
                f"the sanctioned gateway {sanctioned} did not forward the sweep packet to "
                f"{reflector}: the reflector may be unreachable, so a silent host is no proof "
                "that it does not forward"
            )
        else:
            notes.append(f"the sanctioned gateway {sanctioned} did not answer the ARP scan")
    return result
