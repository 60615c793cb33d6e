"""Plan checks (SPEC §6, ``policies/xian-egov-plan.yaml``): exits, uplinks, isolation, office
subnets, private networks and probes, per the Xi'an e-government plan.

Input: the unit, the network analysis (``AuditContext.network``: exits found in configs, path
tracing) and probe observations. Output: per-subject outcomes with config-line, traced-path and
probe evidence. A unit some of whose devices could not be parsed never passes a path check
(paths through them are invisible): it is ``unknown`` with the reason. Probe-based rules are
``not_applicable`` when no probe ran at all.

Traces start at the gateway interfaces of a unit network (interfaces whose subnet lies inside
the declared prefix) from an unowned host address of that subnet, toward a representative
address: an inventoried address inside the destination prefixes (a platform device), else the
prefix's first host; the internet is represented by the city's first probe target (or
198.51.100.1) plus one address of each internet prefix the unit's devices route specifically
(office and isolation rules); the extranet by one address of every extranet prefix. A packet a
filter denies proves nothing while that filter permits other traffic of the subnet toward the
destination: a flow built from the permit rule is traced too (``_probe``). A path handed to an
uninventoried internal next hop (the municipal platform) is undecided, not internet. Unrecognized
interface / route / NAT / ACL / firewall lines on the unit's devices (or on the path) keep a
path rule from passing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from ipaddress import IPv4Address, IPv4Network

from netaudit.inventory import Unit
from netaudit.inventory.models import Campus, UnitKind
from netaudit.model import Acl, Action, AddressMatch, Device, Firewall, PortMatch, PortOp, Section
from netaudit.network.exits import InternetExit, group_exits
from netaudit.network.filters import FilterStage, RuleHit, expand_address_sets, ordered_rules
from netaudit.network.flow import Flow, Protocol
from netaudit.network.trace import Disposition, Path, StartLocation, TraceResult
from netaudit.policy.analysis import NetworkAnalysis
from netaudit.policy.context import AuditContext, ProbeObservation
from netaudit.policy.registry import Outcome, Param, ParamType, Scope, SubjectKind, register
from netaudit.policy.results import (
    ConfigEvidence,
    Evidence,
    NoteEvidence,
    PathEvidence,
    PathHop,
    ProbeEvidence,
)

_INTERNET_FALLBACK = IPv4Address("198.51.100.1")
_EXIT_SECTIONS = (Section.INTERFACES, Section.ROUTES, Section.NAT)
# What decides a path: an unrecognized line there may add a route, a filter or a NAT.
_PATH_SECTIONS = (Section.INTERFACES, Section.ROUTES, Section.NAT, Section.ACLS, Section.FIREWALL)
_MAX_PATHS_SHOWN = 4


# --------------------------------------------------------------------------- helpers


def _network(scope: Scope) -> NetworkAnalysis | str:
    if scope.ctx.network is not None:
        return scope.ctx.network
    return scope.ctx.network_error or "the network analysis was not built for this audit"


def _unparsed(ctx: AuditContext, unit: Unit) -> list[str]:
    """``name (reason)`` of the unit's devices that have no model."""
    out = []
    for spec in unit.devices:
        problem = ctx.device_problem(spec.name)
        if problem is not None:
            out.append(f"{spec.name} ({problem.reason})")
    return out


def _incomplete(ctx: AuditContext, unit: Unit, sections: Sequence[Section]) -> list[str]:
    out = []
    for spec in unit.devices:
        device = ctx.devices.get(spec.name)
        if device is not None and not device.coverage.is_complete_for(*sections):
            out.append(spec.name)
    return out


def _unit_devices(unit: Unit) -> set[str]:
    return {d.name for d in unit.devices}


def _exit_evidence(ex: InternetExit) -> list[Evidence]:
    return [ConfigEvidence.of(ex.device, s) for s in ex.sources]


def _path_evidence(path: Path) -> PathEvidence:
    hops = []
    for hop in path.hops:
        detail = None
        if hop.routes:
            detail = f"route {hop.routes[0].prefix} ({hop.routes[0].protocol})"
        if hop.rules:
            last = hop.rules[-1]
            detail = f"{last.stage}: {last.verdict} - {last.note}"
        hops.append(PathHop(hop.device, hop.in_interface, hop.out_interface, detail))
    first = path.hops[0] if path.hops else None
    src = str(path.flow.src) if first is None else None
    return PathEvidence(
        disposition=path.disposition.value,
        exit=path.exit.key if path.exit is not None else None,
        hops=tuple(hops),
        src=src,
        dst=str(path.flow.dst),
        detail=path.reason,
    )


def _trace_evidence(
    results: Iterable[TraceResult], keep: Iterable[Path] | None = None
) -> list[Evidence]:
    chosen = list(keep) if keep is not None else [p for r in results for p in r.paths]
    return [_path_evidence(p) for p in chosen[:_MAX_PATHS_SHOWN]]


def _internet_target(ctx: AuditContext) -> IPv4Address:
    targets = ctx.inventory.city.probe.targets
    return targets[0] if targets else _INTERNET_FALLBACK


@dataclass(slots=True)
class _Traced:
    """Traces from every gateway of some prefixes to one destination."""

    results: list[TraceResult]
    missing: list[IPv4Network]  # prefixes with no inventoried gateway interface
    subnets: list[IPv4Network] = field(default_factory=list)  # the LAN of each result

    def __init__(
        self,
        results: list[TraceResult],
        missing: list[IPv4Network],
        subnets: list[IPv4Network] | None = None,
    ) -> None:
        # (written out by tools/dcinit.py: compiled, unlike the decorator's)
        self.results = results
        self.missing = missing
        self.subnets = [] if subnets is None else subnets

    @property
    def paths(self) -> list[Path]:
        return [p for r in self.results for p in r.paths]


def _gateways(
    net: NetworkAnalysis, prefixes: Sequence[IPv4Network], missing: list[IPv4Network]
) -> list[tuple[StartLocation, IPv4Network]]:
    """Every gateway interface of ``prefixes`` and its subnet; a prefix without one is added
    to ``missing``."""
    out: list[tuple[StartLocation, IPv4Network]] = []
    for prefix in prefixes:
        starts = net.starts_in(prefix)
        if not starts:
            missing.append(prefix)
        out.extend(starts)
    return out


def _trace_prefixes(
    net: NetworkAnalysis, prefixes: Sequence[IPv4Network], dst: IPv4Address
) -> _Traced:
    missing: list[IPv4Network] = []
    gateways = _gateways(net, prefixes, missing)
    results = [net.trace(Flow(net.host_in(subnet), dst), start) for start, subnet in gateways]
    return _Traced(results, missing, [subnet for _, subnet in gateways])


_UNDECIDED = frozenset({Disposition.UNKNOWN, Disposition.INSUFFICIENT_INFO})


def _blind(path: Path, blind: bool) -> bool:
    """The path decides nothing: it ended unknown / insufficient_info, or (``blind``: devices
    of the unit could not be parsed) it left the inventory through an interface that is not
    an internet exit, toward a next hop that may well be one of the unparsed devices."""
    if path.disposition in _UNDECIDED:
        return True
    return (
        blind
        and path.disposition is Disposition.EXITS_NETWORK
        and path.exit is not None
        and not path.exit.internet_exit
    )


def _reaches(path: Path, dst_prefixes: Sequence[IPv4Network]) -> bool:
    """The path gets to the destination network (not via the internet)."""
    if path.disposition in (Disposition.ACCEPTED, Disposition.DELIVERED_TO_SUBNET):
        return True
    if path.disposition is Disposition.EXITS_NETWORK and path.exit is not None:
        return not path.exit.to_internet and any(path.flow.dst in p for p in dst_prefixes)
    return False


def _reachability(
    scope: Scope,
    sources: Sequence[IPv4Network],
    targets: Sequence[IPv4Network],
    what: str,
) -> Outcome:
    """Pass when every source prefix has a path to ``targets``; shared by the uplink rules."""
    net = _network(scope)
    if isinstance(net, str):
        return Outcome.unknown(f"cannot trace {what}: {net}")
    dst = net.address_in(targets, exclude=_unit_devices(scope.unit))
    if dst is None:
        return Outcome.unknown(f"cannot trace {what}: city.yaml declares no platform prefixes")
    traced = _trace_prefixes(net, sources, dst)
    unparsed = _unparsed(scope.ctx, scope.unit)
    notes: list[Evidence] = [NoteEvidence(f"not parsed: {u}") for u in unparsed]
    if traced.missing:
        listed = ", ".join(str(p) for p in traced.missing)
        return Outcome.unknown(
            f"cannot trace {what}: no inventoried gateway interface in {listed}",
            *notes,
        )
    blind = bool(unparsed)

    def good(p: Path) -> bool:
        return _reaches(p, targets) and not _blind(p, blind)

    # A subnet has its uplink when any of its gateways reaches the platform: a second router
    # on an office LAN (a rogue exit, PLAN-OFFICE-*) does not cut the LAN off the platform.
    subnet_ok: dict[IPv4Network, bool] = {}
    for result, subnet in zip(traced.results, traced.subnets, strict=True):
        ok = any(good(p) for p in result.paths)
        subnet_ok[subnet] = subnet_ok.get(subnet, False) or ok
    per_prefix_ok = [subnet_ok[subnet] for subnet in traced.subnets]
    if traced.results and all(per_prefix_ok):
        shown = [p for r in traced.results for p in r.paths if good(p)]
        # a path found stands unless a device on it has lines that were not read
        unread = _unread(scope.ctx, _hop_devices(shown))
        if unread:
            return Outcome.unknown(
                f"cannot confirm {what}: every network reaches {dst} on the lines read, but "
                f"{unread.why}",
                *unread.evidence,
                *_trace_evidence((), shown),
            )
        return Outcome.passed(f"{what}: every network reaches {dst}", *_trace_evidence((), shown))
    failing = [r for r, ok in zip(traced.results, per_prefix_ok, strict=True) if not ok]
    undecided = [p for r in failing for p in r.paths if _blind(p, blind)]
    # no path found: an unread line anywhere on the unit (or on the way) may be the route
    unread = _unread(
        scope.ctx, _unit_devices(scope.unit) | _hop_devices(p for r in failing for p in r.paths)
    )
    if undecided or unparsed or unread:
        why = "; ".join(p.reason for p in undecided[:2]) or "devices of the unit were not parsed"
        if unread:
            why = unread.why if not (undecided or unparsed) else f"{why}; {unread.why}"
        return Outcome.unknown(
            f"cannot tell whether {what} exists: {why}",
            *notes,
            *unread.evidence,
            *_trace_evidence((), undecided or [p for r in failing for p in r.paths]),
        )
    starts = ", ".join(f"{r.start} ({r.flow.src})" for r in failing[:3])
    return Outcome.failed(
        f"no path for {what}: from {starts} to {dst}",
        *_trace_evidence(failing),
    )


# --------------------------------------------------------------------------- coverage


@dataclass(frozen=True, slots=True)
class _Unread:
    """Devices whose path-deciding sections hold lines the parser did not recognize."""

    devices: tuple[str, ...]
    evidence: tuple[Evidence, ...]
    sections: tuple[Section, ...] = _PATH_SECTIONS

    def __init__(
        self,
        devices: tuple[str, ...],
        evidence: tuple[Evidence, ...],
        sections: tuple[Section, ...] = _PATH_SECTIONS,
    ) -> None:
        # (written out by tools/dcinit.py: compiled, unlike the decorator's)
        object.__setattr__(self, "devices", devices)
        object.__setattr__(self, "evidence", evidence)
        object.__setattr__(self, "sections", sections)

    def __bool__(self) -> bool:
        return bool(self.devices)

    @property
    def why(self) -> str:
        what = "/".join(_SECTION_WORDS.get(s, s.value) for s in self.sections)
        return f"{what} lines not recognized on {', '.join(self.devices)}"


_SECTION_WORDS = {
    Section.INTERFACES: "interface",
    Section.ROUTES: "route",
    Section.NAT: "NAT",
    Section.ACLS: "ACL",
    Section.FIREWALL: "firewall",
}


def _unread(
    ctx: AuditContext, names: Iterable[str], sections: Sequence[Section] = _PATH_SECTIONS
) -> _Unread:
    """The devices among ``names`` with unrecognized lines in ``sections`` (or a truncated
    file), with the first lines of each as evidence."""
    devices: list[str] = []
    evidence: list[Evidence] = []
    for name in sorted(set(names)):
        device = ctx.devices.get(name)
        if device is None or device.coverage.is_complete_for(*sections):
            continue
        devices.append(name)
        lines = [src for sec, src in device.coverage.unrecognized_lines if sec in sections]
        evidence.extend(ConfigEvidence.of(name, src) for src in lines[:2])
        if device.coverage.truncated:
            evidence.append(NoteEvidence(f"the configuration of {name} is truncated"))
    return _Unread(tuple(devices), tuple(evidence), tuple(sections))


def _hop_devices(paths: Iterable[Path]) -> set[str]:
    return {h.device for p in paths for h in p.hops}


# --------------------------------------------------------------------------- probing


def _to_internal_hop(path: Path, net: NetworkAnalysis) -> bool:
    """The path leaves the inventory through an interface that is not an internet exit,
    toward an uninventoried next hop inside internal space (the municipal platform, or a
    router missing from the inventory): where the traffic goes from there is not visible."""
    ex = path.exit
    return (
        path.disposition is Disposition.EXITS_NETWORK
        and ex is not None
        and not ex.internet_exit
        and ex.next_hop is not None
        and net.internal_space.contains(ex.next_hop)
    )


def _why(path: Path, net: NetworkAnalysis) -> str:
    if _to_internal_hop(path, net) and path.exit is not None:
        return (
            f"{path.exit.key} hands {path.flow.dst} to {path.exit.next_hop}, an uninventoried "
            "internal next hop (the municipal platform or a router not in the inventory)"
        )
    return path.reason


_DENIED = frozenset({Disposition.DENIED_IN, Disposition.DENIED_OUT})
_MAX_DERIVED = 8  # flows built from permit rules, per gateway and kind of destination
_MASK = 0xFFFFFFFF
_PROTOCOLS = {
    "ip": Protocol.IP,
    "any": Protocol.IP,
    "0": Protocol.IP,
    "tcp": Protocol.TCP,
    "6": Protocol.TCP,
    "udp": Protocol.UDP,
    "17": Protocol.UDP,
    "icmp": Protocol.ICMP,
    "1": Protocol.ICMP,
}


@dataclass(frozen=True, slots=True)
class _Permit:
    """A permit rule of a denying filter that could match traffic from the subnet toward
    the destinations, and a flow it matches (None: no traceable flow, ``why``)."""

    rule: str
    flow: Flow | None
    why: str = ""

    def __init__(self, rule: str, flow: Flow | None, why: str = "") -> None:
        # (written out by tools/dcinit.py: compiled, unlike the decorator's)
        object.__setattr__(self, "rule", rule)
        object.__setattr__(self, "flow", flow)
        object.__setattr__(self, "why", why)


@dataclass(frozen=True, slots=True)
class _Origin:
    device: str
    stage: FilterStage
    name: str
    rule: str

    def __init__(self, device: str, stage: FilterStage, name: str, rule: str) -> None:
        # (written out by tools/dcinit.py: compiled, unlike the decorator's)
        object.__setattr__(self, "device", device)
        object.__setattr__(self, "stage", stage)
        object.__setattr__(self, "name", name)
        object.__setattr__(self, "rule", rule)


@dataclass(slots=True)
class _Probe:
    """Every path traced from a unit network toward some destinations, and the denies that
    prove nothing (the denying filter permits other traffic of the subnet toward them)."""

    paths: list[Path] = field(default_factory=list)
    doubts: list[tuple[str, Path]] = field(default_factory=list)
    missing: list[IPv4Network] = field(default_factory=list)

    def __init__(
        self,
        paths: list[Path] | None = None,
        doubts: list[tuple[str, Path]] | None = None,
        missing: list[IPv4Network] | None = None,
    ) -> None:
        # (written out by tools/dcinit.py: compiled, unlike the decorator's)
        self.paths = [] if paths is None else paths
        self.doubts = [] if doubts is None else doubts
        self.missing = [] if missing is None else missing


def _filter_label(device: str, hit: RuleHit) -> str:
    if hit.stage is FilterStage.ZONE_POLICY:
        return f"the {hit.name} policy of {device}"
    return f"ACL {hit.name} ({hit.stage.value}) on {device}"


def _probe(
    net: NetworkAnalysis,
    prefixes: Sequence[IPv4Network],
    dsts: Sequence[IPv4Address],
    wanted: Callable[[IPv4Address], bool],
    toward: str,
) -> _Probe:
    """Trace from every gateway of ``prefixes`` toward each of ``dsts``. One packet (protocol
    ip, no ports) proves little when a filter denies it: when that filter has a permit rule
    matching some traffic from the subnet toward an address ``wanted`` accepts, a flow built
    from the rule (its protocol and port, a source inside both) is traced too; a rule no
    flow can be built from, or a built flow the same filter still denies, is a doubt."""
    out = _Probe()
    for start, subnet in _gateways(net, prefixes, out.missing):
        _probe_start(net, start, subnet, dsts=dsts, wanted=wanted, toward=toward, out=out)
    return out


def _probe_start(
    net: NetworkAnalysis,
    start: StartLocation,
    subnet: IPv4Network,
    *,
    dsts: Sequence[IPv4Address],
    wanted: Callable[[IPv4Address], bool],
    toward: str,
    out: _Probe,
) -> None:
    host = net.host_in(subnet)
    queue: list[tuple[Flow, _Origin | None]] = [(Flow(host, d), None) for d in dsts]
    seen = {f for f, _ in queue}
    derived = 0
    while queue:
        flow, origin = queue.pop(0)
        for path in net.trace(flow, start).paths:
            out.paths.append(path)
            hit = path.decided_by
            if path.disposition not in _DENIED or hit is None:
                continue
            where = path.hops[-1].device
            label = _filter_label(where, hit)
            if origin is not None and (origin.device, origin.stage, origin.name) == (
                where,
                hit.stage,
                hit.name,
            ):
                out.doubts.append(
                    (
                        f"{label} permits some traffic from {subnet} toward {toward} (rule "
                        f"{origin.rule}), but the flow built from that rule ({flow}) was "
                        "still denied",
                        path,
                    )
                )
                continue
            device = net.topology.device(where)
            if device is None:
                continue
            permits = _permits(device, hit, _Wanted(path.flow, flow, subnet, wanted))
            for permit in permits:
                if permit.flow is None:
                    out.doubts.append(
                        (
                            f"one packet ({flow}) was denied by {label}, but its rule "
                            f"{permit.rule} permits some traffic from {subnet} toward "
                            f"{toward}, and {permit.why}",
                            path,
                        )
                    )
                    continue
                if permit.flow in seen:
                    continue
                if derived >= _MAX_DERIVED:
                    out.doubts.append(
                        (
                            f"one packet ({flow}) was denied by {label}, but it has more "
                            f"permit rules for traffic from {subnet} toward {toward} than "
                            f"were traced ({_MAX_DERIVED})",
                            path,
                        )
                    )
                    break
                seen.add(permit.flow)
                derived += 1
                queue.append((permit.flow, _Origin(where, hit.stage, hit.name, permit.rule)))


@dataclass(frozen=True, slots=True)
class _Wanted:
    """What a permit rule must match to matter: traffic from ``subnet`` toward an address
    ``wanted`` accepts; ``seen`` is the flow as the filter saw it (after any NAT), ``orig`` as
    it left the subnet."""

    seen: Flow
    orig: Flow
    subnet: IPv4Network
    wanted: Callable[[IPv4Address], bool]

    def __init__(
        self, seen: Flow, orig: Flow, subnet: IPv4Network, wanted: Callable[[IPv4Address], bool]
    ) -> None:
        # (written out by tools/dcinit.py: compiled, unlike the decorator's)
        object.__setattr__(self, "seen", seen)
        object.__setattr__(self, "orig", orig)
        object.__setattr__(self, "subnet", subnet)
        object.__setattr__(self, "wanted", wanted)


def _permits(
    device: Device,
    hit: RuleHit,
    want: _Wanted,
) -> list[_Permit]:
    """The permit rules of the filter ``hit`` names that could match traffic from ``subnet``
    toward an address ``wanted`` accepts (``_Wanted``)."""
    if hit.stage is FilterStage.ZONE_POLICY:
        return _zone_permits(device, hit, want)
    acl = device.acls.get(hit.name)
    if acl is None:
        return []
    return _acl_permits(acl, device.firewall, want)


def _acl_permits(
    acl: Acl,
    fw: Firewall | None,
    want: _Wanted,
) -> list[_Permit]:
    out: list[_Permit] = []
    for rule in ordered_rules(acl):
        if rule.action is not Action.PERMIT or rule.established:
            continue
        label = f"{acl.name} {rule.sequence if rule.sequence is not None else rule.source.text}"
        service = (rule.protocol, rule.src_ports, rule.dst_ports)
        out.extend(
            _built(
                label,
                ([rule.src], [rule.dst], [service]),
                fw,
                want,
            )
        )
    return out


def _zone_ok(zones: Sequence[str], zone: str) -> bool:
    if not zones or any(z.lower() == "any" for z in zones):
        return True
    return zone != "-" and any(z.casefold() == zone.casefold() for z in zones)


def _zone_permits(
    device: Device,
    hit: RuleHit,
    want: _Wanted,
) -> list[_Permit]:
    fw = device.firewall
    if fw is None:
        return []
    in_zone, _, out_zone = hit.name.partition(" -> ")
    out: list[_Permit] = []
    for rule in fw.rules:
        if not rule.enabled or rule.action is not Action.PERMIT:
            continue
        if not _zone_ok(rule.source_zones, in_zone) or not _zone_ok(
            rule.destination_zones, out_zone
        ):
            continue
        if rule.acl is not None:
            acl = device.acls.get(rule.acl)
            if acl is None:
                out.append(_Permit(rule.name, None, f"its ACL {rule.acl} is not defined"))
                continue
            out.extend(
                _Permit(f"{rule.name} (ACL {p.rule})", p.flow, p.why)
                for p in _acl_permits(acl, fw, want)
            )
            continue
        services: list[_Service] = [(sv.protocol, (), sv.dst_ports) for sv in rule.services] or [
            ("ip", (), ())
        ]
        out.extend(
            _built(
                rule.name,
                (rule.source_addresses, rule.destination_addresses, services),
                fw,
                want,
            )
        )
    return out


def _expand(matches: Sequence[AddressMatch], fw: Firewall | None) -> list[AddressMatch] | None:
    """Literal address matches, address sets expanded; empty = any; None: a set is unknown."""
    return expand_address_sets(matches, fw) if matches else [AddressMatch()]


def _pick(
    matches: Sequence[AddressMatch],
    fw: Firewall | None,
    seen: IPv4Address,
    orig: IPv4Address,
    ok: Callable[[IPv4Address], bool],
) -> IPv4Address | bool | None:
    """An address the matches accept and ``ok`` accepts, close to ``orig`` (its free bits
    kept); None when there is none; False when an address set is unknown. ``seen`` is the
    address the filter saw: when NAT changed it, the rule must accept it and ``orig`` stays."""
    expanded = _expand(matches, fw)
    if expanded is None:
        return False
    if seen != orig:
        return orig if any(m.contains(seen) for m in expanded) else None
    for m in expanded:
        w = int(m.wildcard)
        candidate = IPv4Address((int(m.address) & ~w & _MASK) | (int(orig) & w))
        if ok(candidate):
            return candidate
    return None


def _port(ports: Sequence[PortMatch]) -> int | None:
    if not ports:
        return None
    p = ports[0]
    if p.op is PortOp.GT or p.op is PortOp.NEQ:
        return p.low + 1 if p.low < 65535 else p.low - 1
    if p.op is PortOp.LT:
        return max(p.low - 1, 0)
    return p.low


_Service = tuple[str, Sequence[PortMatch], Sequence[PortMatch]]  # protocol, sports, dports


def _built(
    label: str,
    match: tuple[Sequence[AddressMatch], Sequence[AddressMatch], Sequence[_Service]],
    fw: Firewall | None,
    want: _Wanted,
) -> list[_Permit]:
    srcs, dsts, services = match
    seen, orig, subnet = want.seen, want.orig, want.subnet
    src = _pick(srcs, fw, seen.src, orig.src, lambda ip: ip in subnet)
    dst = _pick(dsts, fw, seen.dst, orig.dst, want.wanted)
    if src is None or dst is None:
        return []
    if not isinstance(src, IPv4Address) or not isinstance(dst, IPv4Address):
        return [_Permit(label, None, "it names an address set that is not defined")]
    out: list[_Permit] = []
    for protocol, sports, dports in services:
        proto = _PROTOCOLS.get(protocol.lower())
        if proto is None:
            out.append(_Permit(label, None, f"protocol {protocol} cannot be traced"))
            continue
        ported = proto in (Protocol.TCP, Protocol.UDP)
        sport = _port(sports) if ported else None
        dport = _port(dports) if ported else None
        out.append(_Permit(label, Flow(src, dst, proto, sport, dport)))
    return out


def _internet_targets(net: NetworkAnalysis, ctx: AuditContext, unit: Unit) -> list[IPv4Address]:
    """The internet as the unit's devices see it: the city's first probe target, and one
    address of each internet prefix they route specifically (a public DNS server sent to a
    4G router); each once."""
    targets = [_internet_target(ctx)]
    for ip in net.public_route_targets(_unit_devices(unit)):
        if ip not in targets:
            targets.append(ip)
    return targets


# --------------------------------------------------------------------------- exits


@dataclass(frozen=True, slots=True)
class _ProbeExit:
    """A probe-observed egress address that no exit found in the configs explains."""

    address: IPv4Address
    probe: str

    def __init__(self, address: IPv4Address, probe: str) -> None:
        # (written out by tools/dcinit.py: compiled, unlike the decorator's)
        object.__setattr__(self, "address", address)
        object.__setattr__(self, "probe", probe)


def _declared_keys(ctx: AuditContext) -> dict[str, str]:
    """``device:interface`` → declaring unit id, city-wide."""
    return ctx.declared_exits()


def _unit_exits(net: NetworkAnalysis, unit: Unit) -> list[InternetExit]:
    """Exits on the unit's devices, plus exits the unit declares on other units' devices (a
    city unified exit) when the configs show them."""
    mine = net.exits_on(_unit_devices(unit))
    keys = {e.key for e in mine}
    for declared in unit.exits:
        ex = net.exit(declared.device, declared.interface)
        if ex is not None and ex.key not in keys:
            mine.append(ex)
            keys.add(ex.key)
    return sorted(mine, key=lambda e: (e.device, e.interface))


def _explains(ex: InternetExit, unit: Unit, ip: IPv4Address) -> bool:
    if any(ip in n for n in ex.public_subnets):
        return True
    return any(
        d.device == ex.device and d.interface == ex.interface and ip in d.public_ips
        for d in unit.exits
    )


def _reflector(ctx: AuditContext) -> IPv4Address:
    """Where the probes send the packets whose source the reflector reports."""
    reflectors = ctx.inventory.city.probe.reflectors
    return reflectors[0] if reflectors else _internet_target(ctx)


def _unseen_exits_of_probe(
    net: NetworkAnalysis, unit: Unit, probe: str, target: IPv4Address
) -> list[str]:
    """Keys of the exits whose public address the configs do not show (dial-up, DHCP, NAT to a
    carrier-assigned address) that the probe's own traffic leaves through: traced from its
    declared gateway, from its address to the reflector target."""
    spec = next((p for p in unit.probes if p.id == probe), None)
    if spec is None or spec.gateway is None:
        return []
    keys: set[str] = set()
    for owner in net.topology.owners(spec.gateway):
        result = net.trace(Flow(spec.address, target), StartLocation(owner.device, owner.interface))
        for path in result.paths:
            ex = net.exit(path.exit.device, path.exit.interface) if path.exit else None
            if path.reaches_internet and ex is not None and not ex.public_subnets:
                keys.add(ex.key)
    return sorted(keys)


def _probe_only_exits(
    exits: Sequence[InternetExit],
    unit: Unit,
    observations: Sequence[ProbeObservation],
    net: NetworkAnalysis,
    target: IPv4Address,
) -> list[_ProbeExit]:
    """Egress addresses the probes saw that no exit explains. An address is explained by an
    exit whose public subnet holds it, by a declared public address, or, when the probe's traffic
    leaves through an exit whose address the configs cannot show (a 4G or DHCP line), by that
    exit: the carrier's address is what the reflector sees."""
    declared_ips = {ip for d in unit.exits for ip in d.public_ips}
    out: dict[IPv4Address, _ProbeExit] = {}
    for obs in observations:
        unseen: list[str] | None = None
        for ip in obs.observed_sources:
            if ip in declared_ips or any(_explains(e, unit, ip) for e in exits):
                continue
            if unseen is None:
                unseen = _unseen_exits_of_probe(net, unit, obs.probe, target)
            if unseen:
                continue
            out.setdefault(ip, _ProbeExit(ip, obs.probe))
    return [out[k] for k in sorted(out)]


@register(
    "plan.exit_count",
    subject=SubjectKind.UNIT,
    params=(Param("max", ParamType.INT, 2, "internet exits (ISP lines) allowed per unit"),),
)
def exit_count(scope: Scope) -> Outcome:
    """At most ``max`` internet exits per unit (HA pairs on one ISP line count once)."""
    limit = scope.params.get_int("max")
    net = _network(scope)
    if isinstance(net, str):
        return Outcome.unknown(f"cannot count exits: {net}")
    exits = _unit_exits(net, scope.unit)
    groups = group_exits(exits)
    observations = scope.ctx.probes_of(scope.unit.id) or []
    probe_only = _probe_only_exits(exits, scope.unit, observations, net, _reflector(scope.ctx))
    count = len(groups) + len(probe_only)
    evidence: list[Evidence] = []
    for group in groups:
        for ex in group.members:
            evidence.extend(_exit_evidence(ex))
        if len(group.members) > 1:
            members = ", ".join(m.key for m in group.members)
            evidence.append(NoteEvidence(f"one ISP line: {members} ({'; '.join(group.shared)})"))
    evidence.extend(
        ProbeEvidence(p.probe, str(p.address), "egress address not explained by any config")
        for p in probe_only
    )
    names = ", ".join([g.key for g in groups] + [f"{p.address} (probe)" for p in probe_only])
    if count > limit:
        return Outcome.failed(
            f"{count} internet exits found, at most {limit} allowed: {names}", *evidence
        )
    unparsed = _unparsed(scope.ctx, scope.unit)
    incomplete = _incomplete(scope.ctx, scope.unit, _EXIT_SECTIONS)
    if unparsed or incomplete:
        why = [f"not parsed: {', '.join(unparsed)}"] if unparsed else []
        if incomplete:
            why.append(f"unrecognized interface/route/NAT lines on {', '.join(incomplete)}")
        return Outcome.unknown(
            f"{count} internet exit(s) found so far, but exits may hide on devices that "
            f"could not be fully read ({'; '.join(why)})",
            *evidence,
        )
    return Outcome.passed(
        f"{count} internet exit(s), at most {limit} allowed" + (f": {names}" if names else ""),
        *evidence,
    )


@register("plan.exit_declared", subject=SubjectKind.EXIT)
def exit_declared(scope: Scope) -> list[Outcome]:
    """Every internet exit found (configs or probes) is declared in a unit file."""
    net = _network(scope)
    if isinstance(net, str):
        return [Outcome.unknown(f"cannot find exits: {net}")]
    declared = _declared_keys(scope.ctx)
    exits = net.exits_on(_unit_devices(scope.unit))
    out: list[Outcome] = []
    for ex in exits:
        evidence = _exit_evidence(ex)
        why = "; ".join(r.detail for r in ex.reasons)
        if ex.key in declared:
            owner = declared[ex.key]
            note = "" if owner == scope.unit.id else f" (declared by unit {owner})"
            out.append(
                Outcome.passed(
                    f"declared exit{note}: {why}", *evidence, subject=ex.key, device=ex.device
                )
            )
            continue
        group = net.group_of(ex.key)
        sibling = next(
            (m.key for m in group.members if m.key in declared) if group is not None else iter(()),
            None,
        )
        if sibling is not None:
            out.append(
                Outcome.passed(
                    f"shares one ISP line with declared exit {sibling}: {why}",
                    *evidence,
                    subject=ex.key,
                    device=ex.device,
                )
            )
            continue
        out.append(
            Outcome.failed(
                f"internet exit not declared in the unit file: {why}",
                *evidence,
                subject=ex.key,
                device=ex.device,
            )
        )
    observations = scope.ctx.probes_of(scope.unit.id) or []
    unit_exits = _unit_exits(net, scope.unit)
    target = _reflector(scope.ctx)
    for p in _probe_only_exits(unit_exits, scope.unit, observations, net, target):
        out.append(
            Outcome.failed(
                f"probe {p.probe} left through {p.address}, which no declared or configured "
                "exit explains",
                ProbeEvidence(p.probe, str(p.address)),
                subject=str(p.address),
            )
        )
    for name in _unparsed(scope.ctx, scope.unit):
        device = name.split(" ", 1)[0]
        out.append(
            Outcome.unknown(
                f"exits on {name} are not visible", subject=f"{device}:*", device=device
            )
        )
    out.extend(_hidden_exits(scope))
    if not out:
        out.append(
            Outcome.not_applicable(
                "no internet exit found on the unit's devices", subject=scope.unit.id
            )
        )
    return out


def _hidden_exits(scope: Scope) -> list[Outcome]:
    """One ``unknown`` per device of the unit whose interface / route / NAT lines were not
    all recognized: an exit may hide there."""
    out = []
    for device in _unread(scope.ctx, _unit_devices(scope.unit), _EXIT_SECTIONS).devices:
        unread = _unread(scope.ctx, [device], _EXIT_SECTIONS)
        out.append(
            Outcome.unknown(
                f"exits on {device} may not all be visible: {unread.why}",
                *unread.evidence,
                subject=f"{device}:*",
                device=device,
            )
        )
    return out


@register("plan.exit_firewall", subject=SubjectKind.EXIT)
def exit_firewall(scope: Scope) -> list[Outcome]:
    """Every internet exit sits on a firewall whose default action is deny."""
    net = _network(scope)
    if isinstance(net, str):
        return [Outcome.unknown(f"cannot find exits: {net}")]
    out: list[Outcome] = []
    for ex in net.exits_on(_unit_devices(scope.unit)):
        device = scope.ctx.devices[ex.device]
        evidence = _exit_evidence(ex)
        kw = {"subject": ex.key, "device": ex.device}
        fw = device.firewall
        if fw is None and not device.is_firewall:
            out.append(
                Outcome.failed(
                    f"the exit sits on {ex.device}, which is not a firewall", *evidence, **kw
                )
            )
            continue
        default = fw.default_action if fw is not None else None
        if default is None or default.value is None:
            note = default.note if default is not None and default.note else None
            out.append(
                Outcome.unknown(
                    "the firewall's default action is not visible" + (f" ({note})" if note else ""),
                    *evidence,
                    **kw,
                )
            )
        elif default.value:
            src = [ConfigEvidence.of(ex.device, default.source)] if default.source else []
            out.append(
                Outcome.failed("the firewall's default action is permit", *src, *evidence, **kw)
            )
        else:
            src = [ConfigEvidence.of(ex.device, default.source)] if default.source else []
            unread = _unread(scope.ctx, [ex.device], (Section.FIREWALL, Section.ACLS))
            if unread:
                out.append(
                    Outcome.unknown(
                        "the firewall denies by default on the lines read, but its "
                        "firewall/ACL lines were not all recognized (one may change the default "
                        "or permit everything)",
                        *src,
                        *unread.evidence,
                        *evidence,
                        **kw,
                    )
                )
                continue
            out.append(Outcome.passed("on a firewall denying by default", *src, *evidence, **kw))
    for name in _unparsed(scope.ctx, scope.unit):
        device_name = name.split(" ", 1)[0]
        out.append(
            Outcome.unknown(
                f"exits on {name} are not visible",
                subject=f"{device_name}:*",
                device=device_name,
            )
        )
    out.extend(_hidden_exits(scope))
    if not out:
        out.append(
            Outcome.not_applicable(
                "no internet exit found on the unit's devices", subject=scope.unit.id
            )
        )
    return out


# --------------------------------------------------------------------------- planes


@register("plan.intranet_uplink", subject=SubjectKind.UNIT)
def intranet_uplink(scope: Scope) -> Outcome:
    """The unit's intranet reaches the municipal intranet platform."""
    prefixes = scope.unit.networks.intranet
    if not prefixes:
        return Outcome.unknown("the unit file declares no intranet prefixes; nothing to trace")
    platform = scope.ctx.inventory.city.platforms.intranet
    return _reachability(scope, prefixes, platform, "an intranet uplink to the municipal platform")


@register("plan.extranet_uplink", subject=SubjectKind.UNIT)
def extranet_uplink(scope: Scope) -> Outcome:
    """The unit's extranet reaches the municipal extranet platform."""
    unit = scope.unit
    if unit.kind is UnitKind.DEPARTMENT and unit.campus is not Campus.OUTSIDE:
        where = "inside the admin-centre campus" if unit.campus is Campus.INSIDE else "campus unset"
        return Outcome.not_applicable(f"department {where}; only departments outside it join")
    prefixes = unit.networks.extranet
    if not prefixes:
        return Outcome.unknown("the unit file declares no extranet prefixes; nothing to trace")
    platform = scope.ctx.inventory.city.platforms.extranet
    return _reachability(scope, prefixes, platform, "an extranet uplink to the municipal platform")


@register("plan.intranet_isolation", subject=SubjectKind.UNIT)
def intranet_isolation(scope: Scope) -> Outcome:
    """No path from the unit's intranet to the internet or to the extranet."""
    unit, ctx = scope.unit, scope.ctx
    prefixes = unit.networks.intranet
    if not prefixes:
        return Outcome.not_applicable("the unit file declares no intranet prefixes")
    net = _network(scope)
    if isinstance(net, str):
        return Outcome.unknown(f"cannot trace from the intranet: {net}")
    unparsed = _unparsed(ctx, unit)
    blind = bool(unparsed)
    leaks: list[tuple[str, Path]] = []
    undecided: list[Path] = []
    held: list[Path] = []
    internet = _probe(
        net,
        prefixes,
        _internet_targets(net, ctx, unit),
        lambda ip: not net.internal_space.contains(ip),
        "the internet",
    )
    for path in internet.paths:
        if _blind(path, blind) or _to_internal_hop(path, net):
            undecided.append(path)
        elif path.reaches_internet:
            leaks.append(("the internet", path))
        else:
            held.append(path)
    # one address of every extranet prefix (the unit's and the platform's), on a device
    # other than the intranet's own gateways
    extranet = list(
        dict.fromkeys([*unit.networks.extranet, *ctx.inventory.city.platforms.extranet])
    )
    gateways = {s.device for p in prefixes for s, _ in net.starts_in(p)}
    ext_dsts = list(
        dict.fromkeys(
            ip for p in extranet if (ip := net.address_in([p], exclude=gateways)) is not None
        )
    )

    def in_extranet(ip: IPv4Address) -> bool:
        return any(ip in p for p in extranet)

    extra = _probe(net, prefixes, ext_dsts, in_extranet, "the extranet")
    for path in extra.paths:
        hop = path.exit.next_hop if path.exit is not None else None
        if _blind(path, blind) or (
            _to_internal_hop(path, net) and (hop is None or not in_extranet(hop))
        ):
            undecided.append(path)
        elif _reaches(path, extranet):
            leaks.append(("the extranet", path))
        else:
            held.append(path)
    if leaks:
        where = sorted({label for label, _ in leaks})
        return Outcome.failed(
            f"the intranet has a path to {' and '.join(where)}",
            *_trace_evidence((), [p for _, p in leaks]),
        )
    missing = internet.missing
    doubts = [*internet.doubts, *extra.doubts]
    unread = _unread(ctx, _unit_devices(unit) | _hop_devices(internet.paths + extra.paths))
    if undecided or doubts or unparsed or missing or unread:
        why = list(dict.fromkeys(_why(p, net) for p in undecided))[:2]
        why += list(dict.fromkeys(d for d, _ in doubts))[:2]
        if unparsed:
            why.append(f"not parsed: {', '.join(unparsed)}")
        if missing:
            why.append(f"no inventoried gateway in {', '.join(str(m) for m in missing)}")
        if unread:
            why.append(unread.why)
        return Outcome.unknown(
            f"cannot confirm the intranet is isolated: {'; '.join(why)}",
            *unread.evidence,
            *_trace_evidence((), undecided + [p for _, p in doubts]),
        )
    return Outcome.passed(
        "no path from the intranet to the internet or the extranet", *_trace_evidence((), held)
    )


@register("plan.office_no_private_internet", subject=SubjectKind.OFFICE_SUBNET)
def office_no_private_internet(scope: Scope) -> list[Outcome]:
    """Office subnets reach the internet only through the unit's declared exits."""
    unit, ctx = scope.unit, scope.ctx
    if not unit.networks.office:
        return [Outcome.not_applicable("the unit file declares no office subnets")]
    net = _network(scope)
    if isinstance(net, str):
        return [Outcome.unknown(f"cannot trace office subnets: {net}")]
    declared = {f"{d.device}:{d.interface}" for d in unit.exits}
    sanctioned = set(declared)
    for key in declared:
        group = net.group_of(key)
        if group is not None:
            sanctioned.update(m.key for m in group.members)
    unparsed = _unparsed(ctx, unit)
    blind = bool(unparsed)
    dsts = _internet_targets(net, ctx, unit)
    out: list[Outcome] = []

    def undecided(p: Path) -> bool:
        return _blind(p, blind) or _to_internal_hop(p, net)

    for prefix in unit.networks.office:
        subject = str(prefix)
        probe = _probe(
            net, [prefix], dsts, lambda ip: not net.internal_space.contains(ip), "the internet"
        )
        if probe.missing:
            out.append(
                Outcome.unknown(
                    f"no inventoried gateway interface in {prefix}; cannot trace",
                    subject=subject,
                )
            )
            continue
        paths = probe.paths
        private = [
            p
            for p in paths
            if p.reaches_internet
            and (p.exit is None or p.exit.key not in sanctioned)
            and not undecided(p)
        ]
        if private:
            exits = sorted({p.exit.key for p in private if p.exit is not None})
            out.append(
                Outcome.failed(
                    f"office terminals reach the internet through undeclared exit(s) "
                    f"{', '.join(exits)}",
                    *_trace_evidence((), private),
                    subject=subject,
                )
            )
            continue
        unsure = [p for p in paths if undecided(p)]
        unread = _unread(ctx, _unit_devices(unit) | _hop_devices(paths))
        if unsure or probe.doubts or unparsed or unread:
            why = list(dict.fromkeys(_why(p, net) for p in unsure))[:2]
            why += list(dict.fromkeys(d for d, _ in probe.doubts))[:2]
            if unparsed:
                why.append(f"not parsed: {', '.join(unparsed)}")
            if unread:
                why.append(unread.why)
            out.append(
                Outcome.unknown(
                    f"cannot tell where office traffic leaves: {'; '.join(why)}",
                    *unread.evidence,
                    *_trace_evidence((), unsure + [p for _, p in probe.doubts]),
                    subject=subject,
                )
            )
            continue
        internet = [p for p in paths if p.reaches_internet]
        message = (
            "internet traffic leaves only through declared exits"
            if internet
            else "no path from the subnet to the internet"
        )
        out.append(
            Outcome.passed(message, *_trace_evidence((), internet or paths), subject=subject)
        )
    return out


@register("plan.private_network_integrated", subject=SubjectKind.PRIVATE_NETWORK)
def private_network_integrated(scope: Scope) -> list[Outcome]:
    """Each business private network reaches the municipal intranet or extranet platform."""
    unit, ctx = scope.unit, scope.ctx
    if not unit.networks.private:
        return [Outcome.not_applicable("the unit file declares no business private network")]
    platforms = ctx.inventory.city.platforms
    out: list[Outcome] = []
    for private in unit.networks.private:
        for prefix in private.prefixes:
            subject = str(prefix)
            intra = _reachability(scope, [prefix], platforms.intranet, "a path to the intranet")
            extra = _reachability(scope, [prefix], platforms.extranet, "a path to the extranet")
            best = intra if intra.status.value == "pass" else extra
            if intra.status.value == "pass" or extra.status.value == "pass":
                out.append(
                    Outcome.passed(
                        f"{private.name}: {best.message}", *best.evidence, subject=subject
                    )
                )
            elif "unknown" in (intra.status.value, extra.status.value):
                pick = intra if intra.status.value == "unknown" else extra
                out.append(
                    Outcome.unknown(
                        f"{private.name}: {pick.message}", *pick.evidence, subject=subject
                    )
                )
            else:
                out.append(
                    Outcome.failed(
                        f"{private.name} has no path to the municipal intranet or extranet "
                        "platform",
                        *intra.evidence,
                        *extra.evidence,
                        subject=subject,
                    )
                )
    return out


# --------------------------------------------------------------------------- probes


@register("plan.rogue_gateway", subject=SubjectKind.PROBE)
def rogue_gateway(scope: Scope) -> list[Outcome]:
    """No host on a probe's LAN other than the sanctioned path forwards to the internet."""
    unit, ctx = scope.unit, scope.ctx
    if not unit.probes:
        return [Outcome.not_applicable("the unit file declares no probe")]
    declared_ips = {ip for d in unit.exits for ip in d.public_ips}
    out: list[Outcome] = []
    for spec in unit.probes:
        kw = {"subject": spec.id}
        if ctx.probes is None:
            out.append(Outcome.not_applicable("no probe ran in this audit", **kw))
            continue
        obs = next((o for o in ctx.probes if o.probe == spec.id), None)
        if obs is None:
            out.append(Outcome.unknown(f"probe {spec.id} reported no observation", **kw))
            continue
        if obs.error is not None:
            out.append(Outcome.unknown(f"probe {spec.id} did not complete: {obs.error}", **kw))
            continue
        if obs.forwarders is None:
            out.append(Outcome.unknown("the rogue-gateway sweep did not run", **kw))
            continue
        rogue = [
            f
            for f in obs.forwarders
            if f.address != spec.gateway
            and (f.observed_source is None or f.observed_source not in declared_ips)
        ]
        if rogue:
            hosts = ", ".join(str(f.address) + (f" ({f.mac})" if f.mac else "") for f in rogue)
            out.append(
                Outcome.failed(
                    f"host(s) on the probe's LAN forward to the internet: {hosts}",
                    *(
                        ProbeEvidence(
                            spec.id,
                            str(f.observed_source) if f.observed_source else None,
                            f"forwarded by {f.address}" + (f" ({f.mac})" if f.mac else ""),
                        )
                        for f in rogue
                    ),
                    **kw,
                )
            )
        else:
            out.append(
                Outcome.passed(
                    f"no rogue gateway among {len(obs.forwarders)} forwarding host(s)",
                    *(
                        ProbeEvidence(
                            spec.id,
                            str(f.observed_source) if f.observed_source else None,
                            f"sanctioned: {f.address}",
                        )
                        for f in obs.forwarders
                    ),
                    **kw,
                )
            )
    return out


@register("plan.probe_consistent", subject=SubjectKind.UNIT)
def probe_consistent(scope: Scope) -> Outcome:
    """The exits probes observe are the exits found in the configs."""
    unit, ctx = scope.unit, scope.ctx
    if ctx.probes is None:
        return Outcome.not_applicable("no probe ran in this audit")
    if not unit.probes:
        return Outcome.not_applicable("the unit file declares no probe")
    observations = ctx.probes_of(unit.id) or []
    usable = [o for o in observations if o.error is None and o.observed_sources]
    if not usable:
        return Outcome.unknown("no probe of the unit reported an egress address")
    net = _network(scope)
    if isinstance(net, str):
        return Outcome.unknown(f"cannot compare with the configs: {net}")
    exits = _unit_exits(net, unit)
    unexplained = _probe_only_exits(exits, unit, usable, net, _reflector(ctx))
    seen = [ProbeEvidence(o.probe, str(ip)) for o in usable for ip in o.observed_sources]
    if unexplained:
        listed = ", ".join(str(p.address) for p in unexplained)
        return Outcome.failed(
            f"probes left through {listed}, which no exit in the configs explains",
            *seen,
        )
    return Outcome.passed("every egress address the probes saw belongs to a configured exit", *seen)


__all__ = [
    "exit_count",
    "exit_declared",
    "exit_firewall",
    "extranet_uplink",
    "intranet_isolation",
    "intranet_uplink",
    "office_no_private_internet",
    "private_network_integrated",
    "probe_consistent",
    "rogue_gateway",
]
