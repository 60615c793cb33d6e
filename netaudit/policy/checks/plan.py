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
198.51.100.1).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from ipaddress import IPv4Address, IPv4Network

from netaudit.inventory import Unit
from netaudit.inventory.models import Campus, UnitKind
from netaudit.model import Section
from netaudit.network.exits import InternetExit, group_exits
from netaudit.network.flow import Flow
from netaudit.network.trace import Disposition, Path, TraceResult
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

    @property
    def paths(self) -> list[Path]:
        return [p for r in self.results for p in r.paths]


def _trace_prefixes(
    net: NetworkAnalysis, prefixes: Sequence[IPv4Network], dst: IPv4Address
) -> _Traced:
    results: list[TraceResult] = []
    missing: list[IPv4Network] = []
    subnets: list[IPv4Network] = []
    for prefix in prefixes:
        starts = net.starts_in(prefix)
        if not starts:
            missing.append(prefix)
            continue
        for start, subnet in starts:
            flow = Flow(net.host_in(subnet), dst)
            results.append(net.trace(flow, start))
            subnets.append(subnet)
    return _Traced(results, missing, subnets)


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
        return Outcome.passed(f"{what}: every network reaches {dst}", *_trace_evidence((), shown))
    failing = [r for r, ok in zip(traced.results, per_prefix_ok, strict=True) if not ok]
    undecided = [p for r in failing for p in r.paths if _blind(p, blind)]
    if undecided or unparsed:
        why = "; ".join(p.reason for p in undecided[:2]) or "devices of the unit were not parsed"
        return Outcome.unknown(
            f"cannot tell whether {what} exists: {why}",
            *notes,
            *_trace_evidence((), undecided or [p for r in failing for p in r.paths]),
        )
    starts = ", ".join(f"{r.start} ({r.flow.src})" for r in failing[:3])
    return Outcome.failed(
        f"no path for {what}: from {starts} to {dst}",
        *_trace_evidence(failing),
    )


# --------------------------------------------------------------------------- exits


@dataclass(frozen=True, slots=True)
class _ProbeExit:
    """A probe-observed egress address that no exit found in the configs explains."""

    address: IPv4Address
    probe: str


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


def _probe_only_exits(
    exits: Sequence[InternetExit], unit: Unit, observations: Sequence[ProbeObservation]
) -> list[_ProbeExit]:
    declared_ips = {ip for d in unit.exits for ip in d.public_ips}
    out: dict[IPv4Address, _ProbeExit] = {}
    for obs in observations:
        for ip in obs.observed_sources:
            if ip in declared_ips or any(_explains(e, unit, ip) for e in exits):
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
    probe_only = _probe_only_exits(exits, scope.unit, observations)
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
    for p in _probe_only_exits(_unit_exits(net, scope.unit), scope.unit, observations):
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
    if not out:
        out.append(
            Outcome.not_applicable(
                "no internet exit found on the unit's devices", subject=scope.unit.id
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
    extranet = list(unit.networks.extranet) + list(ctx.inventory.city.platforms.extranet)
    targets: list[tuple[str, IPv4Address, list[IPv4Network]]] = [
        ("the internet", _internet_target(ctx), [])
    ]
    ext_dst = net.address_in(extranet)
    if ext_dst is not None:
        targets.append(("the extranet", ext_dst, extranet))
    leaks: list[tuple[str, Path]] = []
    undecided: list[Path] = []
    held: list[Path] = []
    missing: list[IPv4Network] = []
    unparsed = _unparsed(ctx, unit)
    for label, dst, dst_prefixes in targets:
        traced = _trace_prefixes(net, prefixes, dst)
        missing = traced.missing
        for path in traced.paths:
            reached = path.reaches_internet if not dst_prefixes else _reaches(path, dst_prefixes)
            if _blind(path, bool(unparsed)):
                undecided.append(path)
            elif reached:
                leaks.append((label, path))
            else:
                held.append(path)
    if leaks:
        where = sorted({label for label, _ in leaks})
        return Outcome.failed(
            f"the intranet has a path to {' and '.join(where)}",
            *_trace_evidence((), [p for _, p in leaks]),
        )
    if undecided or unparsed or missing:
        why = [p.reason for p in undecided[:2]]
        if unparsed:
            why.append(f"not parsed: {', '.join(unparsed)}")
        if missing:
            why.append(f"no inventoried gateway in {', '.join(str(m) for m in missing)}")
        return Outcome.unknown(
            f"cannot confirm the intranet is isolated: {'; '.join(why)}",
            *_trace_evidence((), undecided),
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
    dst = _internet_target(ctx)
    out: list[Outcome] = []
    for prefix in unit.networks.office:
        subject = str(prefix)
        traced = _trace_prefixes(net, [prefix], dst)
        if traced.missing:
            out.append(
                Outcome.unknown(
                    f"no inventoried gateway interface in {prefix}; cannot trace",
                    subject=subject,
                )
            )
            continue
        paths = traced.paths
        blind = bool(unparsed)
        private = [
            p
            for p in paths
            if p.reaches_internet
            and (p.exit is None or p.exit.key not in sanctioned)
            and not _blind(p, blind)
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
        undecided = [p for p in paths if _blind(p, blind)]
        if undecided or unparsed:
            why = [p.reason for p in undecided[:2]]
            if unparsed:
                why.append(f"not parsed: {', '.join(unparsed)}")
            out.append(
                Outcome.unknown(
                    f"cannot tell where office traffic leaves: {'; '.join(why)}",
                    *_trace_evidence((), undecided),
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
    unexplained = _probe_only_exits(exits, unit, usable)
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
