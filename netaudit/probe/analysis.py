"""From raw answers to observations: egress hops, exits, gateways. Pure functions, no packets.

Stage: probe (after the wire). Input: the hops of each trace, the sightings reflectors reported,
the ARP scan's hosts and which of them forwarded, the unit's declared exits and devices. Output:
``Trace`` (with its egress: the last internal hop before the first non-internal one),
``SourceObservation`` (the observed source mapped to a declared exit, or undeclared),
``ObservedExit`` (one per exit the LAN's normal path used) and ``Gateway`` (sanctioned or rogue).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from ipaddress import IPv4Address

from netaudit.inventory import Unit
from netaudit.inventory.models import DeclaredExit
from netaudit.probe.report import (
    Gateway,
    GatewayEvidence,
    Hop,
    LanHost,
    ObservedExit,
    Protocol,
    SourceObservation,
    Trace,
)


def egress_of(
    hops: Sequence[Hop], is_internal: Callable[[IPv4Address], bool]
) -> tuple[IPv4Address | None, int | None, IPv4Address | None]:
    """(egress, its TTL, first non-internal hop) of a trace's hops, ordered by TTL.

    The egress is the last answering internal hop below the first non-internal one; when no
    non-internal hop answered, the egress is unknown (None) — the trace never left.
    """
    last_internal: Hop | None = None
    for hop in sorted(hops, key=lambda h: h.ttl):
        if hop.address is None:
            continue
        if is_internal(hop.address):
            last_internal = hop
            continue
        if last_internal is None:
            return None, None, hop.address
        return last_internal.address, last_internal.ttl, hop.address
    return None, None, None


def make_trace(
    target: IPv4Address,
    protocol: Protocol,
    hops: Sequence[Hop],
    reached: bool,
    is_internal: Callable[[IPv4Address], bool],
) -> Trace:
    egress, ttl, first_external = egress_of(hops, is_internal)
    return Trace(target, protocol, tuple(hops), reached, egress, ttl, first_external)


def exit_by_public(unit: Unit, addr: IPv4Address | None) -> DeclaredExit | None:
    """The unit's declared exit whose ``public_ips`` hold ``addr``."""
    if addr is None:
        return None
    for ex in unit.exits:
        if addr in ex.public_ips:
            return ex
    return None


def exit_by_hop(unit: Unit, hop: IPv4Address | None) -> DeclaredExit | None:
    """The unit's declared exit on the device whose management address is ``hop`` (when that
    device carries exactly one declared exit)."""
    if hop is None:
        return None
    devices = {d.name for d in unit.devices if d.host == hop}
    candidates = [ex for ex in unit.exits if ex.device in devices]
    return candidates[0] if len(candidates) == 1 else None


def source_observation(
    unit: Unit,
    *,
    reflector: IPv4Address,
    protocol: Protocol,
    observed: IPv4Address | None,
    port: int | None,
    error: str | None = None,
) -> SourceObservation:
    ex = exit_by_public(unit, observed)
    return SourceObservation(
        reflector, protocol, observed, port, ex.id if ex else None, None if observed else error
    )


def observed_exits(
    unit: Unit, traces: Sequence[Trace], sources: Sequence[SourceObservation]
) -> tuple[ObservedExit, ...]:
    """One entry per exit the LAN's normal path used.

    Reflector sightings name the exit by its public address; the egress hop of the trace to the
    same reflector by the same protocol (and the ICMP trace, when every sighting of that
    reflector agrees) is the internal side. Targets no reflector answered for contribute their
    egress hop alone, matched by the exit device's management address.
    """
    egress = {(t.target, t.protocol): t.egress for t in traces}
    by_public: dict[IPv4Address, tuple[list[IPv4Address], list[IPv4Address]]] = {}
    publics_of: dict[IPv4Address, set[IPv4Address]] = {}
    for s in sources:
        if s.observed_source is None:
            continue
        publics_of.setdefault(s.reflector, set()).add(s.observed_source)
        hops, targets = by_public.setdefault(s.observed_source, ([], []))
        _add(targets, s.reflector)
        _add(hops, egress.get((s.reflector, s.protocol)))
    for reflector, publics in publics_of.items():
        if len(publics) == 1:
            _add(by_public[next(iter(publics))][0], egress.get((reflector, Protocol.ICMP)))
    out: list[ObservedExit] = []
    explained: set[IPv4Address] = set()
    for public, (hops, targets) in by_public.items():
        ex = exit_by_public(unit, public)
        if ex is None:
            # A declared exit that lists no public address is matched by its device; one that
            # lists them and not this one is not this exit.
            hop_ex = _single(exit_by_hop(unit, h) for h in hops)
            ex = hop_ex if hop_ex is not None and not hop_ex.public_ips else None
        out.append(
            ObservedExit(
                public,
                ex.id if ex else None,
                ex.device if ex else None,
                tuple(hops),
                tuple(targets),
            )
        )
        explained.update(hops)
    by_hop: dict[IPv4Address, list[IPv4Address]] = {}
    for t in traces:
        if t.target in publics_of or t.egress is None or t.egress in explained:
            continue
        _add(by_hop.setdefault(t.egress, []), t.target)
    for hop, targets in by_hop.items():
        ex = exit_by_hop(unit, hop)
        out.append(
            ObservedExit(
                None, ex.id if ex else None, ex.device if ex else None, (hop,), tuple(targets)
            )
        )
    return tuple(out)


def gateways(
    unit: Unit,
    sent: Mapping[str, LanHost],
    replies: Mapping[str, IPv4Address],
    logged: Mapping[str, IPv4Address],
    sanctioned: IPv4Address | None,
    *,
    inventoried: Mapping[IPv4Address, str] | None = None,
) -> tuple[Gateway, ...]:
    """The hosts that forwarded: ``sent`` maps each sweep nonce to the host whose MAC the packet
    was addressed to; ``replies`` / ``logged`` map nonces to the source the reflector saw
    (from the reply that came back / from the reflector's memory). A host whose address is an
    interface of an inventoried device (``inventoried``: the other router of a VRRP pair) is
    sanctioned like the LAN's gateway: a known device, not a rogue one."""
    out: list[Gateway] = []
    for nonce, host in sent.items():
        if nonce in replies:
            seen, evidence = replies[nonce], GatewayEvidence.REPLY
        elif nonce in logged:
            seen, evidence = logged[nonce], GatewayEvidence.REFLECTOR_LOG
        else:
            continue
        ex = exit_by_public(unit, seen)
        out.append(
            Gateway(
                address=host.address,
                mac=host.mac,
                vendor=host.vendor,
                sanctioned=host.address == sanctioned or host.address in (inventoried or {}),
                observed_source=seen,
                exit_id=ex.id if ex else None,
                evidence=evidence,
            )
        )
    return tuple(sorted(out, key=lambda g: (g.address, g.mac)))


def _add(items: list[IPv4Address], item: IPv4Address | None) -> None:
    if item is not None and item not in items:
        items.append(item)


def _single(items: Iterable[DeclaredExit | None]) -> DeclaredExit | None:
    found = {ex.id: ex for ex in items if ex is not None}
    return next(iter(found.values())) if len(found) == 1 else None
