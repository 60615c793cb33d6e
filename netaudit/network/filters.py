"""Packet filters: interface ACLs and firewall zone policies, evaluated for one flow.

Stage: analysis (used by path tracing). Input: a ``Device``, an ACL name or a pair of zones, and
a ``Flow``. Output: a ``RuleHit`` saying permit / deny / unknown, which rule decided and the
config line (``Source``) that proves it.

Semantics, per platform:

- ACL rules match in config order (VRP/Comware ``match-order auto``: most specific first, an
  approximation of depth-first order). No match → ``Acl.default_action`` (IOS/RGOS implicit
  deny; VRP traffic-filter / Comware packet-filter permit; the parser sets it).
- An interface ACL that is referenced but not defined filters nothing on every supported
  platform (IOS, RGOS, VRP traffic-filter, Comware packet-filter): permit, with a note.
- A flow without ports matches only rules without port conditions; a flow of protocol ``ip``
  matches only rules for any protocol; ``established`` rules never match a new flow.
- An address set the device does not define makes the decision ``unknown``, never permit.
- Zone policy: enabled rules in order (zones, addresses, services, an H3C zone-pair ACL); no
  match → the firewall's default action; an unknown default → ``unknown``. Traffic between
  interfaces of one zone is not checked (VRP USG and Comware permit intra-zone by default).
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from ipaddress import IPv4Address

from netaudit.model import (
    Acl,
    AclRule,
    Action,
    AddressMatch,
    Device,
    Firewall,
    PortMatch,
    SecurityRule,
    ServiceMatch,
    Source,
)
from netaudit.network.flow import Flow, Protocol

_PROTOCOL_NUMBERS = {"ip": None, "any": None, "0": None, "tcp": 6, "udp": 17, "icmp": 1, "gre": 47}
_FLOW_NUMBERS = {Protocol.IP: None, Protocol.TCP: 6, Protocol.UDP: 17, Protocol.ICMP: 1}


class Verdict(StrEnum):
    PERMIT = "permit"
    DENY = "deny"
    UNKNOWN = "unknown"


class FilterStage(StrEnum):
    ACL_IN = "acl_in"
    ACL_OUT = "acl_out"
    ZONE_POLICY = "zone_policy"


@dataclass(frozen=True, slots=True)
class RuleHit:
    """The decision of one filter on one hop."""

    stage: FilterStage
    name: str  # ACL name, or "<in-zone> -> <out-zone>" for a zone policy
    verdict: Verdict
    rule: str | None  # rule id / policy rule name; None for a default or a missing ACL
    source: Source | None  # the line that decided (rule, ACL header for a default, ...)
    note: str  # human-readable reason

    def __init__(  # noqa: PLR0917 (the dataclass's fields)
        self,
        stage: FilterStage,
        name: str,
        verdict: Verdict,
        rule: str | None,
        source: Source | None,
        note: str,
    ) -> None:
        # (written out by tools/dcinit.py: compiled, unlike the decorator's)
        object.__setattr__(self, "stage", stage)
        object.__setattr__(self, "name", name)
        object.__setattr__(self, "verdict", verdict)
        object.__setattr__(self, "rule", rule)
        object.__setattr__(self, "source", source)
        object.__setattr__(self, "note", note)


def _verdict(action: Action) -> Verdict:
    return Verdict.PERMIT if action is Action.PERMIT else Verdict.DENY


@functools.lru_cache(maxsize=1024)
def _protocol_number(rule_protocol: str) -> int | None:
    """The IP protocol number a rule names (None: any protocol; -1: one we do not model)."""
    key = rule_protocol.lower()
    return _PROTOCOL_NUMBERS[key] if key in _PROTOCOL_NUMBERS else _number(key)


def _protocol_matches(rule_protocol: str, flow: Flow) -> bool:
    wanted = _protocol_number(rule_protocol)
    if wanted is None:
        return True
    return _FLOW_NUMBERS[flow.protocol] == wanted


def _number(text: str) -> int | None:
    try:
        value = int(text)
    except ValueError:
        return -1  # a protocol we do not model never matches a modelled flow
    return None if value == 0 else value


def _ports_match(ports: Sequence[PortMatch], port: int | None) -> bool:
    if not ports:
        return True
    return port is not None and any(p.matches(port) for p in ports)


def _address_matches(
    match: AddressMatch,
    ip: IPv4Address,
    firewall: Firewall | None,
    within: frozenset[str] = frozenset(),
) -> bool | None:
    """True / False, or None when the match names an address set we do not know (or a set
    that names itself, through others: ``within`` are the sets being expanded)."""
    if match.object_group is None:
        return match.contains(ip)
    name = match.object_group
    aset = None if firewall is None or name in within else firewall.address_sets.get(name)
    if aset is None:
        return None
    results = [_address_matches(m, ip, firewall, within | {name}) for m in aset.members]
    if any(r is True for r in results):
        return True
    return None if any(r is None for r in results) else False


def expand_address_sets(
    matches: Sequence[AddressMatch],
    firewall: Firewall | None,
    within: frozenset[str] = frozenset(),
) -> list[AddressMatch] | None:
    """The literal matches of ``matches``, address sets (nested too) replaced by their members;
    None when a set is not defined, or names itself (``within``: the sets being expanded)."""
    out: list[AddressMatch] = []
    for m in matches:
        if m.object_group is None:
            out.append(m)
            continue
        name = m.object_group
        aset = None if firewall is None or name in within else firewall.address_sets.get(name)
        if aset is None:
            return None
        members = expand_address_sets(aset.members, firewall, within | {name})
        if members is None:
            return None
        out.extend(members)
    return out


def any_address_matches(
    matches: Sequence[AddressMatch], ip: IPv4Address, firewall: Firewall | None
) -> bool | None:
    if not matches:
        return True
    results = [_address_matches(m, ip, firewall) for m in matches]
    if any(r is True for r in results):
        return True
    return None if any(r is None for r in results) else False


def _specificity(rule: AclRule) -> tuple[int, int]:
    bits = bin(int(rule.src.wildcard)).count("1") + bin(int(rule.dst.wildcard)).count("1")
    return (bits, rule.sequence if rule.sequence is not None else 0)


def ordered_rules(acl: Acl) -> list[AclRule]:
    """Rules in evaluation order (config order, or most specific first for ``auto``)."""
    if acl.match_order == "auto":
        return sorted(acl.rules, key=_specificity)
    return list(acl.rules)


def _rule_label(rule: AclRule) -> str:
    return str(rule.sequence) if rule.sequence is not None else f"line {rule.source.line}"


# One ACL rule reduced to what matching reads: (rule, destination ports (None: any), source
# ports, source address set to expand per flow (None: literal), source wildcard, source
# ``address | wildcard``, then the same for the destination). ``ip | wildcard`` equals
# ``address | wildcard`` when ``ip`` matches. A plain tuple: a NamedTuple is built by a
# Python-level __new__.
_Compiled = tuple[
    AclRule,
    tuple[PortMatch, ...] | None,
    tuple[PortMatch, ...] | None,
    AddressMatch | None,
    int,
    int,
    AddressMatch | None,
    int,
    int,
]


def compile_acl(acl: Acl, protocol: int | None) -> list[_Compiled]:
    """The rules of ``acl`` that can match a flow of IP protocol number ``protocol`` (None: a
    flow of protocol ``ip``), in evaluation order, ready for ``first_acl_match``. A rule for
    another protocol (a ``tcp`` rule for an ``ip`` flow) never matches and is left out, as
    are ``established`` rules, which never match a new flow."""
    out: list[_Compiled] = []
    for rule in ordered_rules(acl):
        if rule.established:
            continue
        wanted = _protocol_number(rule.protocol)
        if wanted is not None and wanted != protocol:
            continue
        src, dst = rule.src, rule.dst
        sw, dw = int(src.wildcard), int(dst.wildcard)
        out.append(
            (
                rule,
                tuple(rule.dst_ports) if rule.dst_ports else None,
                tuple(rule.src_ports) if rule.src_ports else None,
                None if src.object_group is None else src,
                sw,
                int(src.address) | sw,
                None if dst.object_group is None else dst,
                dw,
                int(dst.address) | dw,
            )
        )
    return out


class CompiledAcls:
    """ACLs compiled once per flow protocol and matched against many flows (the tracer's), by
    identity: for models that no longer change. Converting every rule's addresses on every
    match was the largest cost of path tracing at 5,000 devices: each ACL of hundreds of rules
    is matched by about seven flows, mostly ``ip`` flows that only the ``ip`` rules (a fifth
    of them) can match."""

    __slots__ = ("_by_id",)

    def __init__(self) -> None:
        # id → (the ACL, kept alive so that its id is not reused; flow protocol → its rules)
        self._by_id: dict[int, tuple[Acl, dict[int | None, list[_Compiled]]]] = {}

    def of(self, acl: Acl, protocol: int | None) -> list[_Compiled]:
        entry = self._by_id.get(id(acl))
        if entry is None or entry[0] is not acl:
            entry = self._by_id[id(acl)] = (acl, {})
        rules = entry[1].get(protocol)
        if rules is None:
            rules = entry[1][protocol] = compile_acl(acl, protocol)
        return rules


def first_acl_match(
    acl: Acl,
    flow: Flow,
    firewall: Firewall | None,
    compiled: CompiledAcls | None = None,
) -> tuple[AclRule | None, bool]:
    """The first matching rule, and whether an undecidable rule came before any match.

    The hot loop of path tracing (a flow walks whole ACLs of hundreds of rules): the rules of
    the flow's protocol, compiled to ints (``compiled`` keeps them across flows)."""
    protocol = _FLOW_NUMBERS[flow.protocol]
    rules = compiled.of(acl, protocol) if compiled is not None else compile_acl(acl, protocol)
    sport, dport = flow.sport, flow.dport
    src, dst = int(flow.src), int(flow.dst)
    for rule, dst_ports, src_ports, src_set, sw, sv, dst_set, dw, dv in rules:
        if dst_ports is not None and (
            dport is None or not any(p.matches(dport) for p in dst_ports)
        ):
            continue
        if src_ports is not None and (
            sport is None or not any(p.matches(sport) for p in src_ports)
        ):
            continue
        src_hit: bool | None = True
        if src_set is None:
            if (src | sw) != sv:
                continue
        else:
            src_hit = _address_matches(src_set, flow.src, firewall)
            if src_hit is False:
                continue
        dst_hit: bool | None = True
        if dst_set is None:
            if (dst | dw) != dv:
                continue
        else:
            dst_hit = _address_matches(dst_set, flow.dst, firewall)
            if dst_hit is False:
                continue
        return rule, src_hit is None or dst_hit is None
    return None, False


def evaluate_acl(
    device: Device,
    name: str,
    flow: Flow,
    stage: FilterStage,
    compiled: CompiledAcls | None = None,
) -> RuleHit:
    """Apply the interface ACL ``name`` of ``device`` to ``flow`` (``compiled``: a cache of
    compiled ACLs kept across flows)."""
    acl = device.acls.get(name)
    if acl is None:
        return RuleHit(
            stage,
            name,
            Verdict.PERMIT,
            None,
            None,
            f"ACL {name} is applied but not defined: {device.platform} filters nothing",
        )
    rule, undecidable = first_acl_match(acl, flow, device.firewall, compiled)
    if rule is not None and undecidable:
        return RuleHit(
            stage,
            name,
            Verdict.UNKNOWN,
            _rule_label(rule),
            rule.source,
            f"ACL {name} rule {_rule_label(rule)} names an address set that is not defined",
        )
    if rule is not None:
        return RuleHit(
            stage,
            name,
            _verdict(rule.action),
            _rule_label(rule),
            rule.source,
            f"ACL {name} rule {_rule_label(rule)} {rule.action}",
        )
    implicit = "implicit " if acl.default_action is Action.DENY else "default "
    return RuleHit(
        stage,
        name,
        _verdict(acl.default_action),
        None,
        acl.source,
        f"ACL {name}: no rule matched, {implicit}{acl.default_action}",
    )


# --------------------------------------------------------------------------- zone policy


def zone_of(device: Device, interface: str | None) -> str | None:
    """The firewall zone of an interface (``Interface.zone`` or the zone's member list).

    A packet the device originates comes from the ``local`` zone (VRP and Comware name).
    """
    if interface is None:
        return "local"
    iface = device.interfaces.get(interface)
    if iface is not None and iface.zone is not None:
        return iface.zone
    if device.firewall is not None:
        for zone in sorted(device.firewall.zones.values(), key=lambda z: z.name):
            if interface in zone.interfaces:
                return zone.name
    return None


def has_zone_policy(device: Device) -> bool:
    fw = device.firewall
    return fw is not None and (device.is_firewall or bool(fw.zones) or bool(fw.rules))


def _zone_in(zones: Sequence[str], zone: str | None) -> bool:
    if not zones or any(z.lower() == "any" for z in zones):
        return True
    return zone is not None and any(z.casefold() == zone.casefold() for z in zones)


def _service_matches(services: Sequence[ServiceMatch], flow: Flow) -> bool:
    if not services:
        return True
    for svc in services:
        if _protocol_matches(svc.protocol, flow) and _ports_match(svc.dst_ports, flow.dport):
            return True
    return False


def _security_rule_matches(
    device: Device,
    rule: SecurityRule,
    in_zone: str | None,
    out_zone: str | None,
    flow: Flow,
    *,
    compiled: CompiledAcls | None,
) -> tuple[bool | None, Action, str]:
    """(matched?, action, note); matched None means undecidable."""
    fw = device.firewall
    if not rule.enabled or not _zone_in(rule.source_zones, in_zone):
        return False, rule.action, ""
    if not _zone_in(rule.destination_zones, out_zone) or not _service_matches(rule.services, flow):
        return False, rule.action, ""
    src = any_address_matches(rule.source_addresses, flow.src, fw)
    dst = any_address_matches(rule.destination_addresses, flow.dst, fw)
    if src is False or dst is False:
        return False, rule.action, ""
    if src is None or dst is None:
        return None, rule.action, f"rule {rule.name} names an address set that is not defined"
    if rule.acl is None:
        return True, rule.action, f"rule {rule.name} {rule.action}"
    acl = device.acls.get(rule.acl)
    if acl is None:
        return None, rule.action, f"rule {rule.name} uses ACL {rule.acl}, which is not defined"
    acl_rule, undecidable = first_acl_match(acl, flow, fw, compiled)
    if acl_rule is None:
        return False, rule.action, ""
    if undecidable:
        return None, rule.action, f"ACL {rule.acl} names an address set that is not defined"
    action = acl_rule.action if rule.action is Action.PERMIT else Action.DENY
    return True, action, f"rule {rule.name} ACL {rule.acl} rule {_rule_label(acl_rule)} {action}"


def evaluate_zone_policy(
    device: Device,
    in_zone: str | None,
    out_zone: str | None,
    flow: Flow,
    compiled: CompiledAcls | None = None,
) -> RuleHit:
    """Apply the firewall's security policy between two zones to ``flow`` (``compiled``: as
    for ``evaluate_acl``)."""
    fw = device.firewall
    name = f"{in_zone or '-'} -> {out_zone or '-'}"
    stage = FilterStage.ZONE_POLICY
    if fw is None:
        return RuleHit(stage, name, Verdict.PERMIT, None, None, "no firewall function")
    for rule in fw.rules:
        matched, action, note = _security_rule_matches(
            device, rule, in_zone, out_zone, flow, compiled=compiled
        )
        if matched is None:
            return RuleHit(stage, name, Verdict.UNKNOWN, rule.name, rule.source, note)
        if matched:
            return RuleHit(stage, name, _verdict(action), rule.name, rule.source, note)
    default = fw.default_action
    if default is None or default.value is None:
        why = default.note if default is not None and default.note else "not visible"
        return RuleHit(
            stage,
            name,
            Verdict.UNKNOWN,
            None,
            None if default is None else default.source,
            f"no policy rule matched and the default action is unknown ({why})",
        )
    verdict = Verdict.PERMIT if default.value else Verdict.DENY
    return RuleHit(
        stage,
        name,
        verdict,
        None,
        default.source,
        f"no policy rule matched: default action {verdict}",
    )


__all__ = [
    "CompiledAcls",
    "FilterStage",
    "RuleHit",
    "Verdict",
    "any_address_matches",
    "compile_acl",
    "evaluate_acl",
    "evaluate_zone_policy",
    "expand_address_sets",
    "first_acl_match",
    "has_zone_policy",
    "ordered_rules",
    "zone_of",
]
