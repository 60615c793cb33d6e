"""Config-based path tracing: where a flow goes, hop by hop, and why.

Stage: analysis. Input: a ``Topology`` (devices + links), their forwarding tables (``Fibs``),
the internet exits, a ``Flow`` and a start location (enter device D at interface I, originate at
device D, or just the source address, which must sit on exactly one device's subnet). Output: a
``TraceResult`` with every path (ECMP: all branches), each a list of ``Hop`` records — device,
in/out interface, the route and the filter rules that decided (with their config lines), NAT
applied — ending in a ``Disposition`` named as Batfish names it.

On each device, in this order:

1. the device is marked unknown (not parsed, or reached through an address the caller says
   belongs to an unparsed device) → ``unknown``; the same (device, VRF, in-interface,
   flow) seen before on this branch → ``loop``;
2. inbound interface ACL → ``denied_in``;
3. destination NAT (server / static NAT whose global address and port the flow targets);
4. the device owns the destination in the ingress VRF → ``accepted`` (a firewall's policy
   for traffic to itself, the ``local`` zone, is not evaluated);
5. longest-prefix match in the ingress VRF → ``no_route`` / ``null_routed`` / one branch per
   ECMP forward;
6. firewall zone policy between the in-zone (``local`` when originated) and the out-zone →
   ``denied_out`` (``unknown`` when the default action is unknown and no rule matched);
7. source NAT and the outbound interface ACL → ``denied_out``. IOS/RGOS translate before the
   outbound ACL (IOS NAT order of operations) and do not apply an outbound ACL to packets the
   router originates; VRP/Comware apply the outbound ACL to the untranslated packet;
8. the next device is whoever owns the ARP address (next hop, or the destination itself on a
   connected route) on a subnet shared with the out-interface, or the far end of an explicit
   link. Nobody → ``delivered_to_subnet`` when the destination is on the out-interface's
   subnet; ``exits_network`` when the out-interface is an internet exit or the destination is
   not inside the inventoried network; ``insufficient_info`` otherwise (an uninventoried
   router between inventoried ones).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from ipaddress import IPv4Address, IPv4Network

from netaudit.errors import UsageError
from netaudit.model import DEFAULT_VRF, Device, Interface, Platform, Source
from netaudit.model.serialize import Json, to_data
from netaudit.network.exits import InternetExit, find_exits
from netaudit.network.fib import FibRoute, Fibs, Forward
from netaudit.network.filters import (
    CompiledAcls,
    FilterStage,
    RuleHit,
    Verdict,
    evaluate_acl,
    evaluate_zone_policy,
    has_zone_policy,
    zone_of,
)
from netaudit.network.flow import Flow, Protocol
from netaudit.network.nat import NatApplied, destination_nat, source_nat
from netaudit.network.planes import InternalSpace, as_internal_space
from netaudit.network.topology import IfaceRef, Topology

_IOS_FAMILY = frozenset({Platform.CISCO_IOS, Platform.RUIJIE_OS})
MAX_HOPS = 64
MAX_PATHS = 512


class Disposition(StrEnum):
    """How a path ends (Batfish's vocabulary, lower case)."""

    ACCEPTED = "accepted"
    DELIVERED_TO_SUBNET = "delivered_to_subnet"
    EXITS_NETWORK = "exits_network"
    INSUFFICIENT_INFO = "insufficient_info"
    DENIED_IN = "denied_in"
    DENIED_OUT = "denied_out"
    NO_ROUTE = "no_route"
    NULL_ROUTED = "null_routed"
    LOOP = "loop"
    UNKNOWN = "unknown"


class StartKind(StrEnum):
    ENTER = "enter"
    ORIGINATE = "originate"


@dataclass(frozen=True, slots=True)
class StartLocation:
    """Where the flow starts: entering ``device`` at ``interface``, or originated by it."""

    device: str
    interface: str | None = None  # None: the device itself sends the packet
    vrf: str | None = None  # originate only: the VRF to route in (default VRF when None)

    def __init__(self, device: str, interface: str | None = None, vrf: str | None = None) -> None:
        # (written out by tools/dcinit.py: compiled, unlike the decorator's)
        object.__setattr__(self, "device", device)
        object.__setattr__(self, "interface", interface)
        object.__setattr__(self, "vrf", vrf)

    @property
    def kind(self) -> StartKind:
        return StartKind.ORIGINATE if self.interface is None else StartKind.ENTER

    def __str__(self) -> str:
        return self.device if self.interface is None else f"{self.device}:{self.interface}"

    def sort_key(self) -> tuple[str, str, str]:
        return (self.device, self.interface or "", self.vrf or "")

    def to_data(self) -> dict[str, Json]:
        return {"node": self.device, "interface": self.interface, "kind": self.kind.value}


class StartError(UsageError):
    """The start of a trace cannot be determined from the source address."""


class AmbiguousStartError(StartError):
    """The source address sits on a subnet of several devices; pick one with a start."""

    def __init__(self, src: IPv4Address, candidates: Sequence[StartLocation]) -> None:
        self.src = src
        self.candidates = tuple(candidates)
        listed = ", ".join(f"{c} ({c.kind})" for c in self.candidates)
        super().__init__(
            f"source {src} is ambiguous: it could start at {listed}; "
            "give the start explicitly (--start DEVICE[:INTERFACE])"
        )


class NoStartError(StartError):
    def __init__(self, src: IPv4Address) -> None:
        self.src = src
        super().__init__(
            f"source {src} is on no interface subnet of any inventoried device; "
            "give the start explicitly (--start DEVICE[:INTERFACE])"
        )


# --------------------------------------------------------------------------- results


# RouteUsed, Hop and the tracer's _State and _Here are never changed once built, but not
# frozen: tracing builds several per hop (250,000 in the checks of a 5,000-device city) and a
# frozen dataclass's __init__ costs three times as much (issue 9). The first three are
# hashable by value, as a frozen one is (_Here holds a device model and never was).
@dataclass(slots=True, unsafe_hash=True)
class RouteUsed:
    """A route that decided (or resolved) a forwarding step."""

    vrf: str
    prefix: IPv4Network
    protocol: str
    preference: int
    sources: tuple[Source, ...]

    def __init__(
        self,
        vrf: str,
        prefix: IPv4Network,
        protocol: str,
        preference: int,
        sources: tuple[Source, ...],
    ) -> None:
        # (written out by tools/dcinit.py: compiled, unlike the decorator's)
        self.vrf = vrf
        self.prefix = prefix
        self.protocol = protocol
        self.preference = preference
        self.sources = sources

    @classmethod
    def of(cls, route: FibRoute) -> RouteUsed:
        return cls(route.vrf, route.prefix, route.protocol, route.preference, route.sources)


@dataclass(slots=True, unsafe_hash=True)
class Hop:
    device: str
    in_interface: str | None  # None: the device originated the packet
    out_interface: str | None  # None: the packet stopped here (accepted, denied_in, ...)
    vrf: str
    routes: tuple[RouteUsed, ...] = ()  # the matched route, then the routes resolving it
    next_hop: IPv4Address | None = None  # the address ARPed for on the out-interface
    rules: tuple[RuleHit, ...] = ()  # every filter evaluated here, in order
    nat: tuple[NatApplied, ...] = ()

    def __init__(  # noqa: PLR0917 (the dataclass's fields)
        self,
        device: str,
        in_interface: str | None,
        out_interface: str | None,
        vrf: str,
        routes: tuple[RouteUsed, ...] = (),
        next_hop: IPv4Address | None = None,
        rules: tuple[RuleHit, ...] = (),
        nat: tuple[NatApplied, ...] = (),
    ) -> None:
        # (written out by tools/dcinit.py: compiled, unlike the decorator's)
        self.device = device
        self.in_interface = in_interface
        self.out_interface = out_interface
        self.vrf = vrf
        self.routes = routes
        self.next_hop = next_hop
        self.rules = rules
        self.nat = nat

    def to_data(self) -> dict[str, Json]:
        return {
            "node": self.device,
            "in": self.in_interface,
            "out": self.out_interface,
            "vrf": self.vrf,
            "next_hop": None if self.next_hop is None else str(self.next_hop),
            "routes": [to_data(r) for r in self.routes],
            "rules": [to_data(r) for r in self.rules],
            "nat": [
                {
                    "kind": n.kind.value,
                    "before": _json_dict(n.before.to_data()),
                    "after": _json_dict(n.after.to_data()),
                    "source": to_data(n.source),
                    "note": n.note,
                }
                for n in self.nat
            ],
        }


def _json_dict(data: dict[str, str | int | None]) -> dict[str, Json]:
    return dict(data)


@dataclass(frozen=True, slots=True)
class ExitPoint:
    """Where a path leaves the inventoried network."""

    device: str
    interface: str
    next_hop: IPv4Address | None
    internet_exit: bool  # the interface is one of the internet exits (exits.py)
    to_internet: bool  # internet_exit, or the destination lies outside internal space

    def __init__(
        self,
        device: str,
        interface: str,
        next_hop: IPv4Address | None,
        internet_exit: bool,
        to_internet: bool,
    ) -> None:
        # (written out by tools/dcinit.py: compiled, unlike the decorator's)
        object.__setattr__(self, "device", device)
        object.__setattr__(self, "interface", interface)
        object.__setattr__(self, "next_hop", next_hop)
        object.__setattr__(self, "internet_exit", internet_exit)
        object.__setattr__(self, "to_internet", to_internet)

    @property
    def key(self) -> str:
        return f"{self.device}:{self.interface}"


@dataclass(frozen=True, slots=True)
class Path:
    hops: tuple[Hop, ...]
    disposition: Disposition
    flow: Flow  # the flow as it is at the end of the path (after NAT)
    reason: str
    exit: ExitPoint | None = None  # for exits_network, delivered_to_subnet, insufficient_info

    def __init__(
        self,
        hops: tuple[Hop, ...],
        disposition: Disposition,
        flow: Flow,
        reason: str,
        exit: ExitPoint | None = None,
    ) -> None:
        # (written out by tools/dcinit.py: compiled, unlike the decorator's)
        object.__setattr__(self, "hops", hops)
        object.__setattr__(self, "disposition", disposition)
        object.__setattr__(self, "flow", flow)
        object.__setattr__(self, "reason", reason)
        object.__setattr__(self, "exit", exit)

    @property
    def decided_by(self) -> RuleHit | None:
        """The filter rule that ended the path (denied / unknown), if one did."""
        if self.disposition in (Disposition.DENIED_IN, Disposition.DENIED_OUT, Disposition.UNKNOWN):
            last = self.hops[-1]
            return last.rules[-1] if last.rules else None
        return None

    @property
    def reaches_internet(self) -> bool:
        return (
            self.exit is not None
            and self.exit.to_internet
            and self.disposition
            in (
                Disposition.EXITS_NETWORK,
                Disposition.DELIVERED_TO_SUBNET,
            )
        )

    def sort_key(self) -> tuple[tuple[tuple[str, str, str], ...], str]:
        return (
            tuple((h.device, h.in_interface or "", h.out_interface or "") for h in self.hops),
            self.disposition.value,
        )

    def to_data(self) -> dict[str, Json]:
        exit_data: Json = None
        if self.exit is not None:
            exit_data = {
                "device": self.exit.device,
                "interface": self.exit.interface,
                "key": self.exit.key,
                "next_hop": None if self.exit.next_hop is None else str(self.exit.next_hop),
                "internet_exit": self.exit.internet_exit,
                "to_internet": self.exit.to_internet,
            }
        return {
            "disposition": self.disposition.value,
            "reason": self.reason,
            "hops": [h.to_data() for h in self.hops],
            "exit": exit_data,
            "final_flow": _json_dict(self.flow.to_data()),
        }


@dataclass(frozen=True, slots=True)
class TraceResult:
    flow: Flow
    start: StartLocation
    paths: tuple[Path, ...]  # sorted by hops then disposition
    truncated: bool = False  # more than the path limit; the rest were not followed

    def __init__(
        self, flow: Flow, start: StartLocation, paths: tuple[Path, ...], truncated: bool = False
    ) -> None:
        # (written out by tools/dcinit.py: compiled, unlike the decorator's)
        object.__setattr__(self, "flow", flow)
        object.__setattr__(self, "start", start)
        object.__setattr__(self, "paths", paths)
        object.__setattr__(self, "truncated", truncated)

    @property
    def dispositions(self) -> frozenset[Disposition]:
        return frozenset(p.disposition for p in self.paths)

    def to_data(self) -> dict[str, Json]:
        return {
            "flow": _json_dict(self.flow.to_data()),
            "start": self.start.to_data(),
            "paths": [p.to_data() for p in self.paths],
            "truncated": self.truncated,
        }

    def to_text(self) -> str:
        """A plain-text rendering: each path, each hop with its route and rules."""
        lines = [f"flow {self.flow} from {self.start} ({self.start.kind})"]
        for i, path in enumerate(self.paths, 1):
            lines.append(f"path {i}: {path.disposition} - {path.reason}")
            for hop in path.hops:
                lines.append(
                    f"  {hop.device} in {hop.in_interface or '-'} out {hop.out_interface or '-'}"
                    + (f" (vrf {hop.vrf})" if hop.vrf != DEFAULT_VRF else "")
                )
                for rule in hop.rules:
                    lines.append(
                        f"    {rule.stage}: {rule.verdict} - {rule.note}{_at(rule.source)}"
                    )
                for nat in hop.nat:
                    lines.append(f"    nat: {nat.note}{_at(nat.source)}")
                for route in hop.routes:
                    src = _at(route.sources[0]) if route.sources else ""
                    lines.append(f"    route {route.prefix} ({route.protocol}){src}")
                if hop.next_hop is not None and hop.out_interface is not None:
                    lines.append(f"    next hop {hop.next_hop}")
        if self.truncated:
            lines.append(f"(stopped after {len(self.paths)} paths)")
        return "\n".join(lines)


def _at(source: Source | None) -> str:
    return "" if source is None else f" [{source.file}:{source.line}: {source.text.strip()}]"


# --------------------------------------------------------------------------- start


def start_candidates(topology: Topology, src: IPv4Address) -> list[StartLocation]:
    """Where a flow from ``src`` could start: the devices owning ``src`` (originate), else every
    interface whose connected subnet contains it (enter). Sorted."""
    owners = topology.owners(src)
    if owners:
        found = {StartLocation(o.device, None, o.vrf) for o in owners}
    else:
        found = {StartLocation(o.device, o.interface) for o in topology.subnets_containing(src)}
    return sorted(found, key=StartLocation.sort_key)


def resolve_start(topology: Topology, src: IPv4Address) -> StartLocation:
    """The one start for ``src``; raises ``AmbiguousStartError`` / ``NoStartError``."""
    candidates = start_candidates(topology, src)
    if not candidates:
        raise NoStartError(src)
    if len({(c.device, c.interface) for c in candidates}) > 1:
        raise AmbiguousStartError(src, candidates)
    return candidates[0]


# --------------------------------------------------------------------------- tracing


@dataclass(slots=True, unsafe_hash=True)
class _State:
    device: str
    in_interface: str | None
    vrf: str
    flow: Flow

    def __init__(self, device: str, in_interface: str | None, vrf: str, flow: Flow) -> None:
        # (written out by tools/dcinit.py: compiled, unlike the decorator's)
        self.device = device
        self.in_interface = in_interface
        self.vrf = vrf
        self.flow = flow


@dataclass(slots=True)
class _Here:
    """What one device's processing has established before branching per ECMP forward."""

    device: Device
    state: _State
    in_iface: Interface | None
    in_zone: str | None
    base: Hop
    hops: tuple[Hop, ...]
    visited: frozenset[_State]

    def __init__(  # noqa: PLR0917 (the dataclass's fields)
        self,
        device: Device,
        state: _State,
        in_iface: Interface | None,
        in_zone: str | None,
        base: Hop,
        hops: tuple[Hop, ...],
        visited: frozenset[_State],
    ) -> None:
        # (written out by tools/dcinit.py: compiled, unlike the decorator's)
        self.device = device
        self.state = state
        self.in_iface = in_iface
        self.in_zone = in_zone
        self.base = base
        self.hops = hops
        self.visited = visited


class Tracer:
    """Traces flows through one network; build once, trace many flows."""

    def __init__(
        self,
        topology: Topology,
        *,
        fibs: Fibs | None = None,
        exits: Iterable[InternetExit] | None = None,
        internal_space: InternalSpace | Iterable[IPv4Network] | None = None,
        unknown_devices: Collection[str] = (),
        unknown_addresses: Mapping[IPv4Address, str] | None = None,
        max_paths: int = MAX_PATHS,
        max_hops: int = MAX_HOPS,
    ) -> None:
        self.topology = topology
        self.internal_space = as_internal_space(internal_space)
        self.fibs = fibs if fibs is not None else Fibs(topology.devices)
        if exits is None:
            exits = find_exits(topology.devices.values(), self.internal_space, self.fibs)
        self._exits: frozenset[IfaceRef] = frozenset(e.ref for e in exits)
        self.unknown_devices = frozenset(unknown_devices)
        # Addresses known to belong to devices that could not be parsed (e.g. their inventory
        # management address): a next hop there leads into an unknown device, not outside.
        self.unknown_addresses = dict(unknown_addresses or {})
        self.max_paths = max_paths
        self.max_hops = max_hops
        self._acls = CompiledAcls()  # the ACLs of these (unchanging) models, for many flows

    def trace(self, flow: Flow, start: StartLocation | None = None) -> TraceResult:
        """All paths of ``flow`` from ``start`` (resolved from ``flow.src`` when None)."""
        if start is None:
            start = resolve_start(self.topology, flow.src)
        device = self.topology.device(start.device)
        if device is None and start.device not in self.unknown_devices:
            raise UsageError(f"start device {start.device!r} is not in the inventory")
        if (
            device is not None
            and start.interface is not None
            and start.interface not in device.interfaces
        ):
            raise UsageError(f"start interface {start} does not exist on {start.device}")
        paths: list[Path] = []
        truncated = False
        vrf = self._ingress_vrf(device, start.interface, start.vrf)
        first = _State(start.device, start.interface, vrf, flow)
        for path in self._walk(first, (), frozenset()):
            if len(paths) >= self.max_paths:
                truncated = True
                break
            paths.append(path)
        paths.sort(key=Path.sort_key)
        return TraceResult(flow, start, tuple(paths), truncated)

    # ------------------------------------------------------------------ internals

    @staticmethod
    def _ingress_vrf(device: Device | None, interface: str | None, vrf: str | None) -> str:
        if device is not None and interface is not None:
            iface = device.interfaces.get(interface)
            if iface is not None:
                return iface.vrf
        return vrf or DEFAULT_VRF

    def _walk(
        self, st: _State, hops: tuple[Hop, ...], visited: frozenset[_State]
    ) -> Iterator[Path]:
        name, in_name, vrf, flow = st.device, st.in_interface, st.vrf, st.flow
        device = self.topology.device(name)

        def stop(disposition: Disposition, reason: str, rules: tuple[RuleHit, ...] = ()) -> Path:
            return Path(
                (*hops, Hop(name, in_name, None, vrf, rules=rules)), disposition, flow, reason
            )

        if device is None or name in self.unknown_devices:
            yield stop(Disposition.UNKNOWN, f"{name} could not be parsed: its behaviour is unknown")
            return
        if st in visited:
            yield stop(Disposition.LOOP, f"{name} is reached again in the same state")
            return
        if len(hops) >= self.max_hops:
            yield stop(Disposition.LOOP, f"more than {self.max_hops} hops")
            return
        visited = visited | {st}
        in_iface = device.interfaces.get(in_name) if in_name is not None else None
        rules: list[RuleHit] = []
        nats: list[NatApplied] = []

        if in_iface is not None and in_iface.acl_in is not None:
            hit = evaluate_acl(device, in_iface.acl_in, flow, FilterStage.ACL_IN, self._acls)
            rules.append(hit)
            if hit.verdict is not Verdict.PERMIT:
                disp = Disposition.DENIED_IN if hit.verdict is Verdict.DENY else Disposition.UNKNOWN
                yield stop(disp, hit.note, tuple(rules))
                return

        zoned = has_zone_policy(device)
        in_zone = zone_of(device, in_name) if zoned else None
        dnat = destination_nat(device, in_iface, in_zone, flow)
        if dnat is not None:
            flow, record = dnat
            nats.append(record)

        if self.topology.owned_by(name, flow.dst, vrf):
            yield Path(
                (*hops, Hop(name, in_name, None, vrf, rules=tuple(rules), nat=tuple(nats))),
                Disposition.ACCEPTED,
                flow,
                f"{flow.dst} is an address of {name}",
            )
            return

        lookup = self.fibs[name].lookup(flow.dst, vrf)
        base = Hop(name, in_name, None, vrf, rules=tuple(rules), nat=tuple(nats))
        if lookup.route is None:
            yield Path((*hops, base), Disposition.NO_ROUTE, flow, f"no route to {flow.dst}")
            return
        if lookup.local:
            hop = _routed(base, (RouteUsed.of(lookup.route),))
            yield Path((*hops, hop), Disposition.ACCEPTED, flow, f"{flow.dst} is local to {name}")
            return
        if not lookup.forwards:
            hop = _routed(base, (RouteUsed.of(lookup.route),))
            reason = f"route {lookup.route.prefix} has no resolvable next hop"
            yield Path((*hops, hop), Disposition.NO_ROUTE, flow, reason)
            return
        for fwd in lookup.forwards:
            here = _Here(device, st, in_iface, in_zone, base, hops, visited)
            yield from self._forward(here, flow, fwd)

    def _forward(self, here: _Here, flow: Flow, fwd: Forward) -> Iterator[Path]:
        device, st, in_iface, in_zone = here.device, here.state, here.in_iface, here.in_zone
        base, hops, visited = here.base, here.hops, here.visited
        routes = tuple(RouteUsed.of(r) for r in fwd.routes)
        if fwd.interface is None:
            hop = _routed(base, routes)
            reason = f"route {routes[0].prefix} is a null route"
            yield Path((*hops, hop), Disposition.NULL_ROUTED, flow, reason)
            return
        out_name = fwd.interface
        out_iface = device.interfaces.get(out_name)
        rules = list(base.rules)
        nats = list(base.nat)
        hop = _routed(base, routes, out_name, fwd.arp_ip)

        def ended(
            disposition: Disposition, reason: str, exit_point: ExitPoint | None = None
        ) -> Path:
            last = _filtered(hop, rules, nats)
            return Path((*hops, last), disposition, flow, reason, exit_point)

        out_zone = None
        if has_zone_policy(device):
            out_zone = zone_of(device, out_name)
            same = in_zone is not None and out_zone is not None and in_zone == out_zone
            if not same:
                hit = evaluate_zone_policy(device, in_zone, out_zone, flow, self._acls)
                rules.append(hit)
                if hit.verdict is Verdict.DENY:
                    yield ended(Disposition.DENIED_OUT, hit.note)
                    return
                if hit.verdict is Verdict.UNKNOWN:
                    yield ended(Disposition.UNKNOWN, hit.note)
                    return

        ios = device.platform in _IOS_FAMILY
        originated = st.in_interface is None

        def translate() -> None:
            nonlocal flow
            snat = source_nat(
                device,
                in_iface=in_iface,
                out_iface=out_iface,
                in_zone=in_zone,
                out_zone=out_zone,
                flow=flow,
                compiled=self._acls,
            )
            if snat is not None:
                flow, record = snat
                nats.append(record)

        if ios:
            translate()
        if out_iface is not None and out_iface.acl_out is not None and not (ios and originated):
            hit = evaluate_acl(device, out_iface.acl_out, flow, FilterStage.ACL_OUT, self._acls)
            rules.append(hit)
            if hit.verdict is not Verdict.PERMIT:
                disp = (
                    Disposition.DENIED_OUT if hit.verdict is Verdict.DENY else Disposition.UNKNOWN
                )
                yield ended(disp, hit.note)
                return
        if not ios:
            translate()

        arp = fwd.arp_ip if fwd.arp_ip is not None else flow.dst
        neighbors = self.topology.next_hop_owners(device.name, out_name, arp)
        if neighbors:
            done = _filtered(hop, rules, nats)
            for nb in neighbors:
                nb_device = self.topology.device(nb.device)
                vrf = self._ingress_vrf(nb_device, nb.interface, None)
                nxt = _State(nb.device, nb.interface, vrf, flow)
                yield from self._walk(nxt, (*hops, done), visited)
            return

        unparsed = self.unknown_addresses.get(arp)
        if unparsed is not None:
            done = _filtered(hop, rules, nats)
            nxt = _State(unparsed, None, DEFAULT_VRF, flow)
            yield from self._walk(nxt, (*hops, done), visited)
            return

        internet_exit = IfaceRef(device.name, out_name) in self._exits
        outside = not self.internal_space.contains(flow.dst)
        exit_point = ExitPoint(device.name, out_name, arp, internet_exit, internet_exit or outside)
        if out_iface is not None and any(
            flow.dst in a.address.network for a in out_iface.addresses
        ):
            reason = f"{flow.dst} is on the subnet of {out_name}; no inventoried device owns it"
            yield ended(Disposition.DELIVERED_TO_SUBNET, reason, exit_point)
        elif internet_exit or not self.topology.is_inside_network(flow.dst):
            reason = f"next hop {arp} is outside the inventory"
            if internet_exit:
                reason += f"; {device.name}:{out_name} is an internet exit"
            yield ended(Disposition.EXITS_NETWORK, reason, exit_point)
        else:
            reason = (
                f"next hop {arp} is not inventoried, but {flow.dst} is inside the inventoried "
                "network"
            )
            yield ended(Disposition.INSUFFICIENT_INFO, reason, exit_point)


# Hops are rebuilt field by field, not with ``dataclasses.replace``, which looks the fields up
# on every call (35,000 calls in the checks of a 5,000-device city).
def _routed(
    base: Hop,
    routes: tuple[RouteUsed, ...],
    out_interface: str | None = None,
    next_hop: IPv4Address | None = None,
) -> Hop:
    """``base`` (a hop without routes, out-interface or next hop yet) with them."""
    return Hop(
        base.device,
        base.in_interface,
        out_interface,
        base.vrf,
        routes,
        next_hop,
        base.rules,
        base.nat,
    )


def _filtered(hop: Hop, rules: list[RuleHit], nats: list[NatApplied]) -> Hop:
    """``hop`` with these filter decisions and NAT translations."""
    return Hop(
        hop.device,
        hop.in_interface,
        hop.out_interface,
        hop.vrf,
        hop.routes,
        hop.next_hop,
        tuple(rules),
        tuple(nats),
    )


def trace(topology: Topology, flow: Flow, start: StartLocation | None = None) -> TraceResult:
    """One-shot convenience: build a ``Tracer`` with defaults and trace one flow."""
    return Tracer(topology).trace(flow, start)


__all__ = [
    "AmbiguousStartError",
    "Disposition",
    "ExitPoint",
    "Flow",
    "Hop",
    "NoStartError",
    "Path",
    "Protocol",
    "RouteUsed",
    "StartError",
    "StartKind",
    "StartLocation",
    "TraceResult",
    "Tracer",
    "resolve_start",
    "start_candidates",
    "trace",
]
