"""The network analysis the plan checks read: topology, FIBs, internet exits, a path tracer.

Input: the inventory (internal space, explicit links), the parsed devices and the names of the
devices that could not be parsed (paths through them end ``unknown``). Output:
``NetworkAnalysis``, built once per audit by ``analyse`` from ``netaudit.network``; the plan
checks only ask it questions (which exits sit on these devices, where does this flow go).
"""

from __future__ import annotations

import dataclasses
from bisect import bisect_left, bisect_right
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from ipaddress import IPv4Address, IPv4Network

from netaudit.inventory import Inventory
from netaudit.model import Device
from netaudit.network.exits import ExitGroup, InternetExit, find_exits, group_exits
from netaudit.network.fib import CONNECTED, LOCAL, Fib, Fibs
from netaudit.network.flow import Flow
from netaudit.network.planes import InternalSpace
from netaudit.network.topology import Link, Topology
from netaudit.network.trace import Disposition, Path, StartLocation, Tracer, TraceResult


class _AddressIndex:
    """The active interface addresses of the topology sorted by value, built on first use:
    which gateways a prefix holds and which address lies in a prefix become two binary
    searches instead of a walk over every interface of the city (once per unit network)."""

    def __init__(self, topology: Topology) -> None:
        subnets: list[tuple[int, int, int, StartLocation, IPv4Network]] = []
        addresses: list[tuple[int, int, IPv4Address, str]] = []
        order = 0
        for device in topology.devices.values():
            for name, iface in device.interfaces.items():
                if iface.shutdown or not iface.addresses:
                    continue
                for addr in iface.addresses:
                    ip = addr.address.ip
                    net = addr.address.network
                    addresses.append((int(ip), order, ip, device.name))
                    order += 1
                    if net.prefixlen < 32:
                        start = int(net.network_address)
                        subnets.append(
                            (start, net.prefixlen, order, StartLocation(device.name, name), net)
                        )
        subnets.sort(key=lambda s: (s[0], s[1], s[2]))
        addresses.sort(key=lambda a: (a[0], a[1]))
        self.subnets = subnets
        self.subnet_keys = [s[0] for s in subnets]
        self.addresses = addresses
        self.address_keys = [a[0] for a in addresses]
        self._by_order: dict[tuple[int, int], list[tuple[int, IPv4Address, str]]] = {}

    def subnets_in(self, prefix: IPv4Network) -> list[tuple[StartLocation, IPv4Network]]:
        lo = int(prefix.network_address)
        hi = int(prefix.broadcast_address)
        first = bisect_left(self.subnet_keys, lo)
        last = bisect_right(self.subnet_keys, hi)
        return [(s[3], s[4]) for s in self.subnets[first:last] if s[1] >= prefix.prefixlen]

    def first_address_in(self, prefix: IPv4Network, exclude: Collection[str]) -> IPv4Address | None:
        """The address inside ``prefix`` that comes first in device/interface order."""
        key = (int(prefix.network_address), int(prefix.broadcast_address))
        inside = self._by_order.get(key)
        if inside is None:
            first = bisect_left(self.address_keys, key[0])
            last = bisect_right(self.address_keys, key[1])
            inside = sorted((a[1], a[2], a[3]) for a in self.addresses[first:last])
            self._by_order[key] = inside
        for _, ip, device in inside:
            if device not in exclude:
                return ip
        return None


@dataclass(slots=True)
class _Lazy:
    """Indexes of a ``NetworkAnalysis`` built on first use (checks ask once per unit)."""

    index: _AddressIndex | None = None
    exits_by_device: dict[str, list[tuple[int, InternetExit]]] | None = None
    exit_by_key: dict[tuple[str, str], InternetExit] | None = None
    group_by_member: dict[str, ExitGroup] | None = None
    public_routes: dict[str, tuple[IPv4Address, ...]] = field(default_factory=dict)

    def __init__(
        self,
        index: _AddressIndex | None = None,
        exits_by_device: dict[str, list[tuple[int, InternetExit]]] | None = None,
        exit_by_key: dict[tuple[str, str], InternetExit] | None = None,
        group_by_member: dict[str, ExitGroup] | None = None,
        public_routes: dict[str, tuple[IPv4Address, ...]] | None = None,
    ) -> None:
        # (written out by tools/dcinit.py: compiled, unlike the decorator's)
        self.index = index
        self.exits_by_device = exits_by_device
        self.exit_by_key = exit_by_key
        self.group_by_member = group_by_member
        self.public_routes = {} if public_routes is None else public_routes


@dataclass(frozen=True, slots=True)
class NetworkAnalysis:
    topology: Topology
    tracer: Tracer
    exits: tuple[InternetExit, ...]
    groups: tuple[ExitGroup, ...]
    internal_space: InternalSpace
    unknown_devices: frozenset[str]
    _lazy: _Lazy = field(default_factory=_Lazy, compare=False, repr=False)

    def __init__(  # noqa: PLR0917 (the dataclass's fields)
        self,
        topology: Topology,
        tracer: Tracer,
        exits: tuple[InternetExit, ...],
        groups: tuple[ExitGroup, ...],
        internal_space: InternalSpace,
        unknown_devices: frozenset[str],
        _lazy: _Lazy | None = None,
    ) -> None:
        # (written out by tools/dcinit.py: compiled, unlike the decorator's)
        object.__setattr__(self, "topology", topology)
        object.__setattr__(self, "tracer", tracer)
        object.__setattr__(self, "exits", exits)
        object.__setattr__(self, "groups", groups)
        object.__setattr__(self, "internal_space", internal_space)
        object.__setattr__(self, "unknown_devices", unknown_devices)
        object.__setattr__(self, "_lazy", _Lazy() if _lazy is None else _lazy)

    def _index(self) -> _AddressIndex:
        if self._lazy.index is None:
            self._lazy.index = _AddressIndex(self.topology)
        return self._lazy.index

    def _exit_indexes(self) -> _Lazy:
        lazy = self._lazy
        if lazy.exits_by_device is None or lazy.exit_by_key is None:
            by_device: dict[str, list[tuple[int, InternetExit]]] = {}
            by_key: dict[tuple[str, str], InternetExit] = {}
            for pos, e in enumerate(self.exits):
                by_device.setdefault(e.device, []).append((pos, e))
                by_key.setdefault((e.device, e.interface), e)
            lazy.exits_by_device, lazy.exit_by_key = by_device, by_key
        if lazy.group_by_member is None:
            by_member: dict[str, ExitGroup] = {}
            for g in self.groups:
                for m in g.members:
                    by_member.setdefault(m.key, g)
            lazy.group_by_member = by_member
        return lazy

    def exits_on(self, devices: Collection[str]) -> list[InternetExit]:
        """The exits on these devices, in ``exits`` order."""
        by_device = self._exit_indexes().exits_by_device or {}
        found = [pe for d in set(devices) for pe in by_device.get(d, ())]
        return [e for _, e in sorted(found, key=lambda pe: pe[0])]

    def exit(self, device: str, interface: str) -> InternetExit | None:
        return (self._exit_indexes().exit_by_key or {}).get((device, interface))

    def group_of(self, key: str) -> ExitGroup | None:
        return (self._exit_indexes().group_by_member or {}).get(key)

    def public_route_targets(self, devices: Collection[str]) -> list[IPv4Address]:
        """Internet destinations these devices route specifically: one address of a prefix
        outside internal space per distinct (device, VRF, next hops) of its static / collected
        routes other than the default (a public DNS server routed to a 4G router on the office
        LAN). One per next-hop set, not one per prefix: a table of hundreds of ISP prefixes
        toward one line costs one trace. Sorted, each once."""
        cache = self._lazy.public_routes
        found: set[IPv4Address] = set()
        for name in set(devices):
            if name not in cache:
                cache[name] = ()
                if name in self.tracer.fibs:
                    cache[name] = _public_targets(self.tracer.fibs[name], self.internal_space)
            found.update(cache[name])
        return sorted(found)

    def trace(self, flow: Flow, start: StartLocation) -> TraceResult:
        """The tracer's result; when it stopped at its path limit (an ECMP explosion), one more
        path, ``insufficient_info``, stands for those not followed, so a rule never passes on a
        partial trace (the checks treat an undecided path as unknown)."""
        result = self.tracer.trace(flow, start)
        if not result.truncated:
            return result
        rest = Path(
            (),
            Disposition.INSUFFICIENT_INFO,
            flow,
            f"more than {self.tracer.max_paths} paths (equal-cost branches): the rest were "
            "not followed",
        )
        return dataclasses.replace(result, paths=(*result.paths, rest))

    def starts_in(self, prefix: IPv4Network) -> list[tuple[StartLocation, IPv4Network]]:
        """Interfaces whose connected subnet lies inside ``prefix`` (the gateways of that
        network), as trace starts, with the subnet; sorted. Point-to-point transit subnets
        (/30, /31) are used only when the prefix holds nothing larger (no terminal LAN)."""
        out = set(self._index().subnets_in(prefix))
        lans = {s for s in out if s[1].prefixlen <= 29}
        return sorted(lans or out, key=lambda s: (s[0].device, s[0].interface or "", str(s[1])))

    def host_in(self, net: IPv4Network) -> IPv4Address:
        """An address in ``net`` that no inventoried interface owns (a terminal's address)."""
        last = int(net.broadcast_address) - 1
        first = int(net.network_address) + 1
        for value in range(last, max(first - 1, last - 64), -1):
            ip = IPv4Address(value)
            if not self.topology.owners(ip):
                return ip
        return IPv4Address(last)

    def address_in(
        self, prefixes: Collection[IPv4Network], exclude: Collection[str] = ()
    ) -> IPv4Address | None:
        """An inventoried address inside ``prefixes`` on a device not in ``exclude`` (a
        platform device), else the first host of the first prefix; None when no prefixes."""
        for prefix in sorted(prefixes):
            found = self._index().first_address_in(prefix, exclude)
            if found is not None:
                return found
        if not prefixes:
            return None
        first = sorted(prefixes)[0]
        return first.network_address + 1 if first.num_addresses > 1 else first.network_address


_NOT_ROUTED = frozenset({CONNECTED, LOCAL, "direct", "c", "l"})


def _public_targets(fib: Fib, space: InternalSpace) -> tuple[IPv4Address, ...]:
    chosen: dict[tuple[str, tuple[str, ...]], IPv4Address] = {}
    for route in fib.routes():
        if route.protocol in _NOT_ROUTED:
            continue
        net = route.prefix
        length = net.prefixlen
        if length == 0:
            continue
        # The first address after the network one (the network address of a /31 or /32),
        # as an int: most routes are internal and are dropped before any object is built.
        value = int(net.network_address) + (1 if length < 31 else 0)
        if space.contains_value(value) or all(h.null for h in route.next_hops):
            continue
        hops = tuple(sorted(f"{h.next_hop}/{h.interface}/{h.vrf}" for h in route.next_hops))
        chosen.setdefault((route.vrf, hops), IPv4Address(value))
    return tuple(sorted(set(chosen.values())))


def analyse(
    inventory: Inventory,
    devices: Mapping[str, Device],
    unknown_devices: Collection[str] = (),
) -> NetworkAnalysis:
    """Build the analysis for one audit."""
    space = InternalSpace(inventory.city.internal_space)
    links = []
    for unit in inventory.units:
        for link in unit.links:
            da, ia = link.a.split(":", 1)
            db, ib = link.b.split(":", 1)
            links.append(Link(da, ia, db, ib))
    topology = Topology(devices.values(), links)
    fibs = Fibs(topology.devices)
    exits = tuple(find_exits(topology.devices.values(), space, fibs))
    tracer = Tracer(
        topology,
        fibs=fibs,
        exits=exits,
        internal_space=space,
        unknown_devices=frozenset(unknown_devices),
    )
    return NetworkAnalysis(
        topology,
        tracer,
        exits,
        tuple(group_exits(exits)),
        space,
        frozenset(unknown_devices),
    )


__all__ = ["NetworkAnalysis", "analyse"]
