"""Network address translation on one hop: destination (server/static) NAT and source NAT.

Stage: analysis (used by path tracing). Input: a ``Device``, the hop's in/out interfaces and
zones, and a ``Flow``. Output: the translated ``Flow`` plus a ``NatApplied`` record (kind, before,
after, the config line), or None when nothing applies.

Where a rule applies, per platform family:

- IOS / RGOS: ``ip nat inside source static`` translates the destination of packets entering an
  ``ip nat outside`` interface, and the source of packets from its inside address leaving one;
  ``ip nat inside source list ACL (pool P | interface X overload)`` translates packets arriving on
  an ``ip nat inside`` interface and leaving an ``ip nat outside`` one. Router-originated packets
  are not translated by dynamic rules.
- VRP / Comware: ``nat server`` / ``nat static`` bound to an interface translate packets
  arriving on it, bound to a zone packets arriving from it, unbound any packet;
  ``nat outbound`` on an interface translates packets leaving it (selected by its ACL); a
  firewall ``nat-policy`` rule by source / destination zone and source address; ``no-nat``
  exempts.

A static rule wins over dynamic rules; the first matching dynamic rule wins.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from ipaddress import IPv4Address

from netaudit.model import Action, Device, Interface, Platform, Source, SourceNat, StaticNat
from netaudit.network.filters import CompiledAcls, any_address_matches, first_acl_match
from netaudit.network.flow import Flow

_IOS_FAMILY = frozenset({Platform.CISCO_IOS, Platform.RUIJIE_OS})


class NatKind(StrEnum):
    DESTINATION = "destination"
    SOURCE = "source"


@dataclass(frozen=True, slots=True)
class NatApplied:
    kind: NatKind
    before: Flow
    after: Flow
    source: Source
    note: str

    def __init__(self, kind: NatKind, before: Flow, after: Flow, source: Source, note: str) -> None:
        # (written out by tools/dcinit.py: compiled, unlike the decorator's)
        object.__setattr__(self, "kind", kind)
        object.__setattr__(self, "before", before)
        object.__setattr__(self, "after", after)
        object.__setattr__(self, "source", source)
        object.__setattr__(self, "note", note)


def _primary_ip(device: Device, interface: str | None) -> IPv4Address | None:
    if interface is None:
        return None
    iface = device.interfaces.get(interface)
    if iface is None or iface.primary is None:
        return None
    return iface.primary.address.ip


def _global_ip(device: Device, rule: StaticNat) -> IPv4Address | None:
    return rule.global_ip if rule.global_ip is not None else _primary_ip(device, rule.interface)


def _same_zone(a: str | None, b: str | None) -> bool:
    return a is not None and b is not None and a.casefold() == b.casefold()


def _protocol_ok(rule: StaticNat, flow: Flow) -> bool:
    return rule.protocol is None or rule.protocol.lower() in ("ip", "any", flow.protocol.value)


def destination_nat(
    device: Device, in_iface: Interface | None, in_zone: str | None, flow: Flow
) -> tuple[Flow, NatApplied] | None:
    """Server / static NAT of the destination, on the way in."""
    ios = device.platform in _IOS_FAMILY
    for rule in device.nat.static_rules:
        if _global_ip(device, rule) != flow.dst or not _protocol_ok(rule, flow):
            continue
        if rule.global_port is not None and flow.dport != rule.global_port:
            continue
        if ios:
            if in_iface is None or not in_iface.nat_outside:
                continue
        else:
            if rule.interface is not None and (in_iface is None or in_iface.name != rule.interface):
                continue
            if rule.zone is not None and not _same_zone(rule.zone, in_zone):
                continue
        port = rule.inside_port if rule.global_port is not None else None
        after = flow.replace(dst=rule.inside_ip, dport=port)
        note = f"destination {flow.dst} -> {rule.inside_ip}"
        return after, NatApplied(NatKind.DESTINATION, flow, after, rule.source, note)
    return None


def _static_reverse(
    device: Device, out_iface: Interface | None, flow: Flow
) -> tuple[Flow, NatApplied] | None:
    ios = device.platform in _IOS_FAMILY
    for rule in device.nat.static_rules:
        if rule.inside_ip != flow.src or not _protocol_ok(rule, flow):
            continue
        if rule.inside_port is not None and flow.sport != rule.inside_port:
            continue
        if ios and (out_iface is None or not out_iface.nat_outside):
            continue
        if (
            not ios
            and rule.interface is not None
            and (out_iface is None or out_iface.name != rule.interface)
        ):
            continue
        new_src = _global_ip(device, rule)
        if new_src is None:
            continue
        port = rule.global_port if rule.inside_port is not None else None
        after = flow.replace(src=new_src, sport=port)
        note = f"source {flow.src} -> {new_src} (static)"
        return after, NatApplied(NatKind.SOURCE, flow, after, rule.source, note)
    return None


def _dynamic_scope(
    device: Device,
    rule: SourceNat,
    *,
    in_iface: Interface | None,
    out_iface: Interface,
    in_zone: str | None,
    out_zone: str | None,
) -> bool:
    if device.platform in _IOS_FAMILY:
        return in_iface is not None and in_iface.nat_inside and out_iface.nat_outside
    if rule.interface is not None:
        return rule.interface == out_iface.name
    if rule.destination_zones or rule.source_zones:
        dst_ok = not rule.destination_zones or any(
            _same_zone(z, out_zone) for z in rule.destination_zones
        )
        src_ok = not rule.source_zones or any(_same_zone(z, in_zone) for z in rule.source_zones)
        return dst_ok and src_ok
    return False


def _selected(device: Device, rule: SourceNat, flow: Flow, compiled: CompiledAcls | None) -> bool:
    if rule.acl is not None:
        acl = device.acls.get(rule.acl)
        if acl is None:
            return False
        hit, undecidable = first_acl_match(acl, flow, device.firewall, compiled)
        return hit is not None and not undecidable and hit.action is Action.PERMIT
    return any_address_matches(rule.source_addresses, flow.src, device.firewall) is True


def source_nat(
    device: Device,
    *,
    in_iface: Interface | None,
    out_iface: Interface | None,
    in_zone: str | None,
    out_zone: str | None,
    flow: Flow,
    compiled: CompiledAcls | None = None,
) -> tuple[Flow, NatApplied] | None:
    """Source NAT on the way out of ``out_iface`` (``compiled``: a cache of compiled ACLs kept
    across flows)."""
    static = _static_reverse(device, out_iface, flow)
    if static is not None:
        return static
    if out_iface is None:
        return None
    for rule in device.nat.source_rules:
        if not _dynamic_scope(
            device,
            rule,
            in_iface=in_iface,
            out_iface=out_iface,
            in_zone=in_zone,
            out_zone=out_zone,
        ):
            continue
        if not _selected(device, rule, flow, compiled):
            continue
        if rule.no_nat:
            return None
        new_src: IPv4Address | None
        if rule.pool is not None and not rule.easy_ip:
            pool = device.nat.pools.get(rule.pool)
            new_src = None if pool is None else pool.start
            where = f"pool {rule.pool}"
        else:
            via = rule.interface or out_iface.name
            new_src = _primary_ip(device, via)
            where = f"address of {via}"
        if new_src is None:
            # The translated address is not visible (undefined pool, negotiated address):
            # record the translation, keep the source.
            after = flow
            note = f"source {flow.src} -> {where} (address not visible)"
        else:
            after = flow.replace(src=new_src)
            note = f"source {flow.src} -> {new_src} ({where})"
        return after, NatApplied(NatKind.SOURCE, flow, after, rule.source, note)
    return None


__all__ = ["NatApplied", "NatKind", "destination_nat", "source_nat"]
