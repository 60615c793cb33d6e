"""Internet exits found in configurations (SPEC §6), and their grouping into ISP lines.

Stage: network model. Input: parsed ``Device`` objects (with their forwarding tables) and the
city's ``internal_space``. Output: ``InternetExit`` values, one per (device, interface) where
traffic leaves for the internet, each with the reasons and the config lines (``Source``) that
prove them; and ``group_exits``, which folds exits sharing one ISP line into one ``ExitGroup``.

An interface is an internet exit when it is up, not a loopback, and at least one holds:

- ``public_address``: it has an address outside ``internal_space``;
- ``dial_up``: it is a dialer / cellular / PPPoE-client interface;
- ``dhcp_client``: it takes its address by DHCP (``ip address dhcp``, ``ip address dhcp-alloc``;
  the address is unseen, like a dial-up line's) and does outbound NAT or carries a default
  route with no next hop or a non-internal one (``ip route 0.0.0.0 0.0.0.0 dhcp``): a
  broadband router's WAN port;
- ``outbound_nat``: a source-NAT rule translates traffic leaving it (``nat outbound`` on it, an
  IOS ``ip nat outside`` interface with an ``ip nat inside source`` rule, a firewall NAT policy
  toward its zone) and it faces a non-internal next hop (a route through it with a next hop
  outside internal space, a public address of its own, or a dial-up line);
- ``default_route``: it is the out-interface of a default route whose next hop lies outside
  internal space (the next hop resolved recursively through the device's table).

**What counts as one exit (HA pairs).** Counting for PLAN-EXIT-COUNT is per ISP line, not per
interface: exits whose ISP-facing subnet is the same (two firewalls with 203.0.113.2/29 and
203.0.113.3/29) or whose default route uses the same public next hop (both point at 203.0.113.1)
share one line — typically an active/standby firewall pair — and ``group_exits`` returns them as
one ``ExitGroup`` with two members. Dial-up interfaces and exits on different subnets and next
hops are separate lines, even on one device. Grouping is transitive (A~B and B~C make one group).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from ipaddress import IPv4Address, IPv4Network

from netaudit.model import Device, InterfaceKind, Platform, Source
from netaudit.network.fib import Fib, FibRoute, Fibs, build_fib
from netaudit.network.filters import zone_of
from netaudit.network.planes import InternalSpace, as_internal_space
from netaudit.network.topology import IfaceRef

_IOS_FAMILY = frozenset({Platform.CISCO_IOS, Platform.RUIJIE_OS})
_DIAL_KINDS = frozenset({InterfaceKind.DIALER, InterfaceKind.CELLULAR})
_NOT_EXITS = frozenset({InterfaceKind.LOOPBACK, InterfaceKind.NULL})


class ExitKind(StrEnum):
    PUBLIC_ADDRESS = "public_address"
    DIAL_UP = "dial_up"
    DHCP_CLIENT = "dhcp_client"
    OUTBOUND_NAT = "outbound_nat"
    DEFAULT_ROUTE = "default_route"


@dataclass(frozen=True, slots=True)
class ExitReason:
    kind: ExitKind
    detail: str
    sources: tuple[Source, ...]

    def __init__(self, kind: ExitKind, detail: str, sources: tuple[Source, ...]) -> None:
        # (written out by tools/dcinit.py: compiled, unlike the decorator's)
        object.__setattr__(self, "kind", kind)
        object.__setattr__(self, "detail", detail)
        object.__setattr__(self, "sources", sources)


@dataclass(frozen=True, slots=True)
class InternetExit:
    device: str
    interface: str
    reasons: tuple[ExitReason, ...]
    public_subnets: tuple[IPv4Network, ...] = ()  # its addresses' networks outside internal space
    public_next_hops: tuple[IPv4Address, ...] = ()  # next hops outside internal space through it

    def __init__(
        self,
        device: str,
        interface: str,
        reasons: tuple[ExitReason, ...],
        public_subnets: tuple[IPv4Network, ...] = (),
        public_next_hops: tuple[IPv4Address, ...] = (),
    ) -> None:
        # (written out by tools/dcinit.py: compiled, unlike the decorator's)
        object.__setattr__(self, "device", device)
        object.__setattr__(self, "interface", interface)
        object.__setattr__(self, "reasons", reasons)
        object.__setattr__(self, "public_subnets", public_subnets)
        object.__setattr__(self, "public_next_hops", public_next_hops)

    @property
    def ref(self) -> IfaceRef:
        return IfaceRef(self.device, self.interface)

    @property
    def key(self) -> str:
        """The SPEC §8 subject form ``device:interface``."""
        return f"{self.device}:{self.interface}"

    @property
    def kinds(self) -> tuple[ExitKind, ...]:
        return tuple(r.kind for r in self.reasons)

    @property
    def sources(self) -> tuple[Source, ...]:
        """Every config line that proves the exit, in file order, each once."""
        seen = {s for r in self.reasons for s in r.sources}
        return tuple(sorted(seen, key=lambda s: (s.file, s.line)))


@dataclass(frozen=True, slots=True)
class ExitGroup:
    """Exits sharing one ISP line (see the module docstring); ``members`` sorted."""

    members: tuple[InternetExit, ...]
    shared: tuple[str, ...]  # why they are grouped, e.g. "subnet 203.0.113.0/29"

    def __init__(self, members: tuple[InternetExit, ...], shared: tuple[str, ...]) -> None:
        # (written out by tools/dcinit.py: compiled, unlike the decorator's)
        object.__setattr__(self, "members", members)
        object.__setattr__(self, "shared", shared)

    @property
    def key(self) -> str:
        return self.members[0].key


@dataclass(slots=True)
class _Found:
    reasons: list[ExitReason]
    subnets: set[IPv4Network]
    next_hops: set[IPv4Address]

    def __init__(
        self, reasons: list[ExitReason], subnets: set[IPv4Network], next_hops: set[IPv4Address]
    ) -> None:
        # (written out by tools/dcinit.py: compiled, unlike the decorator's)
        self.reasons = reasons
        self.subnets = subnets
        self.next_hops = next_hops


def _public_next_hops(
    fib: Fib, space: InternalSpace
) -> dict[str, list[tuple[FibRoute, IPv4Address, tuple[Source, ...]]]]:
    """Per out-interface: (route, public next hop, proving lines) of every route whose own
    next hop lies outside internal space (resolved recursively to its out-interface)."""
    out: dict[str, list[tuple[FibRoute, IPv4Address, tuple[Source, ...]]]] = {}
    for route in fib.routes():
        for hop in route.next_hops:
            if hop.null or hop.next_hop is None or space.contains(hop.next_hop):
                continue
            own = (hop.source,) if hop.source is not None else route.sources
            if hop.interface is not None:
                out.setdefault(hop.interface, []).append((route, hop.next_hop, own))
                continue
            lookup = fib.lookup(hop.next_hop, hop.vrf or route.vrf)
            for fwd in lookup.forwards:
                if fwd.interface is None:
                    continue
                sources = own + tuple(s for r in fwd.routes for s in r.sources)
                out.setdefault(fwd.interface, []).append((route, hop.next_hop, sources))
    return out


def _nat_interfaces(device: Device) -> dict[str, list[Source]]:
    """Interfaces that source NAT translates traffic leaving, with the NAT rule lines."""
    out: dict[str, list[Source]] = {}
    rules = [r for r in device.nat.source_rules if not r.no_nat]
    if not rules:
        return out
    for name in sorted(device.interfaces):
        iface = device.interfaces[name]
        for rule in rules:
            if device.platform in _IOS_FAMILY:
                hit = iface.nat_outside
            elif rule.interface is not None:
                hit = rule.interface == name
            elif rule.destination_zones:
                zone = zone_of(device, name)
                hit = zone is not None and any(
                    z.casefold() == zone.casefold() for z in rule.destination_zones
                )
            else:
                hit = False
            if hit:
                out.setdefault(name, []).append(rule.source)
    return out


def _dhcp_exits(
    device: Device,
    fib: Fib,
    space: InternalSpace,
    nat_interfaces: dict[str, list[Source]],
) -> list[tuple[str, ExitReason]]:
    """DHCP-client interfaces that are exits: outbound NAT on them, or a default route out of
    them toward the DHCP-learnt gateway (no next hop) or a non-internal next hop."""
    dhcp = {n: i for n, i in device.interfaces.items() if i.dhcp_client}
    if not dhcp:
        return []
    defaults: dict[str, list[Source]] = {}
    for route in fib.routes():
        if route.prefix.prefixlen != 0:
            continue
        for hop in route.next_hops:
            if hop.null or hop.interface not in dhcp:
                continue
            if hop.next_hop is not None and space.contains(hop.next_hop):
                continue
            own = (hop.source,) if hop.source is not None else route.sources
            defaults.setdefault(hop.interface, []).extend(own)
    out: list[tuple[str, ExitReason]] = []
    for name in sorted(dhcp):
        iface = dhcp[name]
        why: list[str] = []
        proof = [iface.source, *(s for s in iface.sources if "dhcp" in s.text.lower())]
        if name in nat_interfaces:
            why.append("outbound NAT")
            proof.extend(nat_interfaces[name])
        if name in defaults:
            why.append("a default route toward the DHCP gateway")
            proof.extend(defaults[name])
        if why:
            detail = f"DHCP-client line (address unseen) with {' and '.join(why)}"
            out.append(
                (name, ExitReason(ExitKind.DHCP_CLIENT, detail, tuple(dict.fromkeys(proof))))
            )
    return out


def device_exits(
    device: Device,
    internal_space: InternalSpace | Iterable[IPv4Network] | None = None,
    fib: Fib | None = None,
) -> list[InternetExit]:
    """The internet exits of one device, sorted by interface."""
    space = as_internal_space(internal_space)
    fib = fib if fib is not None else build_fib(device)
    found: dict[str, _Found] = {}

    def add(name: str, reason: ExitReason) -> _Found:
        entry = found.setdefault(name, _Found([], set(), set()))
        entry.reasons.append(reason)
        return entry

    def usable(name: str) -> bool:
        iface = device.interfaces.get(name)
        return iface is not None and not iface.shutdown and iface.kind not in _NOT_EXITS

    for name in sorted(device.interfaces):
        iface = device.interfaces[name]
        if iface.shutdown or iface.kind in _NOT_EXITS:  # usable(name), without the lookup
            continue
        public = (
            [a for a in iface.addresses if not space.contains(a.address.ip)]
            if iface.addresses
            else []
        )
        if public:
            text = ", ".join(str(a.address) for a in public)
            entry = add(
                name,
                ExitReason(
                    ExitKind.PUBLIC_ADDRESS,
                    f"address {text} outside internal space",
                    tuple(a.source for a in public),
                ),
            )
            entry.subnets.update(a.address.network for a in public)
        if iface.dialer or iface.pppoe_client or iface.kind in _DIAL_KINDS:
            what = "PPPoE client" if iface.pppoe_client else f"{iface.kind} interface"
            lines = [iface.source, *(s for s in iface.sources if s != iface.source)]
            add(name, ExitReason(ExitKind.DIAL_UP, f"dial-up line ({what})", tuple(lines)))

    public_hops = _public_next_hops(fib, space)
    for name, entries in sorted(public_hops.items()):
        if not usable(name):
            continue
        defaults = [(r, h, s) for r, h, s in entries if r.prefix.prefixlen == 0]
        if defaults:
            hops = sorted({h for _r, h, _s in defaults})
            sources = tuple(dict.fromkeys(s for _r, _h, ss in defaults for s in ss))
            text = ", ".join(str(h) for h in hops)
            entry = add(
                name,
                ExitReason(
                    ExitKind.DEFAULT_ROUTE,
                    f"default route via {text} outside internal space",
                    sources,
                ),
            )
        found.setdefault(name, _Found([], set(), set())).next_hops.update(
            h for _r, h, _s in entries
        )

    nat_interfaces = _nat_interfaces(device)
    for name, reason in _dhcp_exits(device, fib, space, nat_interfaces):
        if usable(name):
            add(name, reason)

    for name, nat_sources in sorted(nat_interfaces.items()):
        if not usable(name):
            continue
        current = found.get(name)
        if current is None or not (current.reasons or current.next_hops):
            continue
        proof = list(nat_sources)
        for _route, _hop, sources in public_hops.get(name, []):
            proof.extend(sources)
        for reason in current.reasons:
            if reason.kind in (ExitKind.PUBLIC_ADDRESS, ExitKind.DIAL_UP, ExitKind.DHCP_CLIENT):
                proof.extend(reason.sources)
        add(
            name,
            ExitReason(
                ExitKind.OUTBOUND_NAT,
                "outbound NAT toward a non-internal next hop",
                tuple(dict.fromkeys(proof)),
            ),
        )

    exits = []
    for name in sorted(found):
        entry = found[name]
        if not entry.reasons:
            continue  # a public next hop on a non-default route alone is not an exit
        order = list(ExitKind)
        reasons = tuple(sorted(entry.reasons, key=lambda r: order.index(r.kind)))
        exits.append(
            InternetExit(
                device.name,
                name,
                reasons,
                tuple(sorted(entry.subnets)),
                tuple(sorted(entry.next_hops)),
            )
        )
    return exits


def find_exits(
    devices: Iterable[Device],
    internal_space: InternalSpace | Iterable[IPv4Network] | None = None,
    fibs: Fibs | None = None,
) -> list[InternetExit]:
    """The internet exits of every device, sorted by device then interface."""
    space = as_internal_space(internal_space)
    out: list[InternetExit] = []
    for device in sorted(devices, key=lambda d: d.name):
        fib = fibs[device.name] if fibs is not None and device.name in fibs else None
        out.extend(device_exits(device, space, fib))
    return out


def group_exits(exits: Iterable[InternetExit]) -> list[ExitGroup]:
    """Fold exits that share an ISP-facing subnet or a public next hop into one group each."""
    items = sorted(exits, key=lambda e: (e.device, e.interface))
    parent = list(range(len(items)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    owner: dict[str, int] = {}
    for i, ex in enumerate(items):
        keys = [f"subnet {n}" for n in ex.public_subnets if n.prefixlen < 32]
        keys += [f"next hop {h}" for h in ex.public_next_hops]
        for key in keys:
            j = owner.setdefault(key, i)
            parent[root(i)] = root(j)
    groups: dict[int, list[int]] = {}
    for i in range(len(items)):
        groups.setdefault(root(i), []).append(i)
    out: list[ExitGroup] = []
    for members in groups.values():
        exs = tuple(items[i] for i in members)
        shared: list[str] = []
        if len(exs) > 1:
            counts: dict[str, int] = {}
            for ex in exs:
                for key in {f"subnet {n}" for n in ex.public_subnets if n.prefixlen < 32} | {
                    f"next hop {h}" for h in ex.public_next_hops
                }:
                    counts[key] = counts.get(key, 0) + 1
            shared = sorted(k for k, c in counts.items() if c > 1)
        out.append(ExitGroup(exs, tuple(shared)))
    out.sort(key=lambda g: (g.members[0].device, g.members[0].interface))
    return out


__all__ = [
    "ExitGroup",
    "ExitKind",
    "ExitReason",
    "InternetExit",
    "device_exits",
    "find_exits",
    "group_exits",
]
