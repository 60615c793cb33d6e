"""Forwarding tables: per device, per VRF, what longest-prefix match decides.

Stage: network model. Input: one parsed ``Device``. Output: a ``Fib`` whose ``lookup(ip, vrf)``
returns the matching route and every resolved forwarding action (ECMP: all of them), each with
the out-interface, the address to ARP for, and the chain of routes (with their ``Source``) that
decided it.

Where routes come from:

- **config** (no collected RIB for the VRF): connected subnets and local /32s of active
  interfaces (preference 0), then static routes with the platform's default preference when the
  config gives none (IOS/RGOS 1, VRP/Comware 60). A static route is installed when it can
  forward: an out-interface route needs its interface configured and up; a next-hop-only route
  needs its next hop to resolve (recursively, through any route, in ``next_hop_vrf`` when the
  route leaks into another VRF) and not to be one of the device's own addresses. Among the
  installed routes to one prefix the lowest preference wins; equal preferences are ECMP.
  Inactive statics are kept in ``Fib.inactive`` with the reason.
- **collected RIB** (``Device.rib``): for every VRF the RIB lists, it replaces the config's
  routes entirely (netaudit does not simulate OSPF/BGP; the RIB has them). ``via IP`` next hops
  without an interface are resolved through the same table, expanding ECMP at every level and
  merging duplicate (interface, next hop) pairs; so are next hops printed with an interface
  whose subnets do not contain them (VRP/Comware recursive routes), and `via IP (VRF)` hops
  resolve in that VRF. VRFs the RIB does not list keep config routes.

Lookups are per-prefix-length dict probes (``PrefixTable``) and are cached per (VRF, address).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from ipaddress import IPv4Address, IPv4Network
from typing import NamedTuple

from netaudit.model import (
    DEFAULT_VRF,
    Device,
    InterfaceKind,
    Platform,
    RibNextHop,
    RibRoute,
    Source,
)
from netaudit.network.prefixes import PrefixTable

CONNECTED_PREFERENCE = 0
# Default static-route preference per platform (IOS administrative distance 1; VRP and Comware
# `preference` 60). Only compared within one device.
STATIC_PREFERENCE: dict[Platform, int] = {
    Platform.CISCO_IOS: 1,
    Platform.RUIJIE_OS: 1,
    Platform.HUAWEI: 60,
    Platform.HUAWEI_VRPV8: 60,
    Platform.HP_COMWARE: 60,
}
MAX_RECURSION = 8  # recursive next-hop resolution depth
_CACHE_LIMIT = 1 << 16

CONNECTED = "connected"
LOCAL = "local"
STATIC = "static"
# RIB protocol names that mean "this address is the device's own".
_LOCAL_PROTOCOLS = frozenset({"local", "l"})
_CONNECTED_PROTOCOLS = frozenset({"connected", "direct", "c"})


# FibNextHop and FibRoute are never changed once built, but not frozen: one of each is built
# per static route (100,000 at 5,000 devices) and a frozen dataclass's __init__ costs three
# times as much (issue 9). Hashable by value, as a frozen one is.
@dataclass(slots=True, unsafe_hash=True)
class FibNextHop:
    """One next hop of a route: a next-hop address, an out-interface, both, or null."""

    next_hop: IPv4Address | None = None
    interface: str | None = None
    vrf: str | None = None  # resolve next_hop in this VRF instead of the route's own (leak)
    null: bool = False
    # The config / RIB line of this next hop (ECMP statics: one line each); not compared.
    source: Source | None = field(default=None, compare=False)

    def __init__(
        self,
        next_hop: IPv4Address | None = None,
        interface: str | None = None,
        vrf: str | None = None,
        null: bool = False,
        source: Source | None = None,
    ) -> None:
        # (written out by tools/dcinit.py: compiled, unlike the decorator's)
        self.next_hop = next_hop
        self.interface = interface
        self.vrf = vrf
        self.null = null
        self.source = source


@dataclass(slots=True, unsafe_hash=True)
class FibRoute:
    """An installed route: one prefix in one VRF, with all its (ECMP) next hops."""

    vrf: str
    prefix: IPv4Network
    protocol: str  # connected | local | static | a RIB protocol (ospf, bgp, ...)
    preference: int
    next_hops: tuple[FibNextHop, ...]
    sources: tuple[Source, ...] = ()

    def __init__(  # noqa: PLR0917 (the dataclass's fields)
        self,
        vrf: str,
        prefix: IPv4Network,
        protocol: str,
        preference: int,
        next_hops: tuple[FibNextHop, ...],
        sources: tuple[Source, ...] = (),
    ) -> None:
        # (written out by tools/dcinit.py: compiled, unlike the decorator's)
        self.vrf = vrf
        self.prefix = prefix
        self.protocol = protocol
        self.preference = preference
        self.next_hops = next_hops
        self.sources = sources

    @property
    def is_local(self) -> bool:
        return self.protocol == LOCAL


@dataclass(frozen=True, slots=True)
class Forward:
    """One resolved forwarding action. ``interface`` None means the packet is null-routed."""

    interface: str | None
    arp_ip: IPv4Address | None  # the address to ARP for: the next hop, or the destination
    routes: tuple[FibRoute, ...]  # the matched route first, then the routes that resolved it
    vrf: str  # the VRF of the table the last route came from

    def __init__(
        self,
        interface: str | None,
        arp_ip: IPv4Address | None,
        routes: tuple[FibRoute, ...],
        vrf: str,
    ) -> None:
        # (written out by tools/dcinit.py: compiled, unlike the decorator's)
        object.__setattr__(self, "interface", interface)
        object.__setattr__(self, "arp_ip", arp_ip)
        object.__setattr__(self, "routes", routes)
        object.__setattr__(self, "vrf", vrf)

    @property
    def null(self) -> bool:
        return self.interface is None


@dataclass(frozen=True, slots=True)
class Lookup:
    """The answer of a longest-prefix match: no route, a local address, or forwards."""

    route: FibRoute | None
    forwards: tuple[Forward, ...]

    def __init__(self, route: FibRoute | None, forwards: tuple[Forward, ...]) -> None:
        # (written out by tools/dcinit.py: compiled, unlike the decorator's)
        object.__setattr__(self, "route", route)
        object.__setattr__(self, "forwards", forwards)

    @property
    def local(self) -> bool:
        return self.route is not None and self.route.is_local


@dataclass(frozen=True, slots=True)
class InactiveRoute:
    vrf: str
    prefix: IPv4Network
    reason: str
    source: Source

    def __init__(self, vrf: str, prefix: IPv4Network, reason: str, source: Source) -> None:
        # (written out by tools/dcinit.py: compiled, unlike the decorator's)
        object.__setattr__(self, "vrf", vrf)
        object.__setattr__(self, "prefix", prefix)
        object.__setattr__(self, "reason", reason)
        object.__setattr__(self, "source", source)


class _Candidate(NamedTuple):
    # A tuple, not a frozen dataclass: one is made per static route and per interface address
    # (100,000 at 5,000 devices), and a tuple is built several times faster.
    vrf: str
    prefix: IPv4Network
    protocol: str
    preference: int
    next_hop: FibNextHop
    source: Source | None


def _is_null_name(name: str | None) -> bool:
    return name is not None and name.lower().startswith("null")


def _merge(tables: dict[str, PrefixTable[FibRoute]], c: _Candidate) -> None:
    """Install one candidate: a lower preference replaces, an equal one adds an ECMP hop."""
    table = tables.get(c.vrf)
    if table is None:
        table = tables[c.vrf] = PrefixTable()
    sources = () if c.source is None else (c.source,)
    slot = table.slot(c.prefix)  # one dict of the table, found once for the get and the set
    key = int(c.prefix.network_address)
    hit = slot.get(key)
    old = None if hit is None else hit[1]
    if old is None or c.preference < old.preference:
        route = FibRoute(c.vrf, c.prefix, c.protocol, c.preference, (c.next_hop,), sources)
        slot[key] = (c.prefix, route)
    elif c.preference == old.preference:
        hops = old.next_hops if c.next_hop in old.next_hops else (*old.next_hops, c.next_hop)
        more = sources if sources and sources[0] not in old.sources else ()
        if hops is not old.next_hops or more:
            route = FibRoute(
                c.vrf, c.prefix, old.protocol, old.preference, hops, old.sources + more
            )
            slot[key] = (c.prefix, route)


def _install(candidates: Iterable[_Candidate]) -> dict[str, PrefixTable[FibRoute]]:
    """Pick the best preference per (VRF, prefix) and merge equal ones into ECMP routes."""
    tables: dict[str, PrefixTable[FibRoute]] = {}
    for c in candidates:
        _merge(tables, c)
    return tables


class Fib:
    """The forwarding tables of one device (all VRFs); final once built (lookups and route
    lists are cached)."""

    def __init__(
        self,
        device: str,
        tables: dict[str, PrefixTable[FibRoute]],
        inactive: tuple[InactiveRoute, ...] = (),
        rib_vrfs: frozenset[str] = frozenset(),
    ) -> None:
        self.device = device
        self._tables = tables
        self.inactive = inactive
        self.rib_vrfs = rib_vrfs  # VRFs whose routes come from a collected RIB
        self._cache: dict[tuple[str, int], Lookup] = {}
        self._routes: dict[str, list[FibRoute]] = {}  # per VRF, sorted; the tables are final

    @property
    def vrfs(self) -> list[str]:
        return sorted(self._tables)

    def routes(self, vrf: str | None = None) -> list[FibRoute]:
        """Installed routes (of one VRF, or all), sorted by VRF then prefix."""
        vrfs = [vrf] if vrf is not None else self.vrfs
        out: list[FibRoute] = []
        for v in vrfs:
            routes = self._routes.get(v)
            if routes is None:
                table = self._tables.get(v)
                if table is None:
                    continue
                routes = self._routes[v] = [route for _net, route in table.items()]
            out.extend(routes)
        return out

    def route(self, prefix: IPv4Network, vrf: str = DEFAULT_VRF) -> FibRoute | None:
        table = self._tables.get(vrf)
        return None if table is None else table.get(prefix)

    def lookup(self, ip: IPv4Address, vrf: str = DEFAULT_VRF) -> Lookup:
        """Longest-prefix match for ``ip`` in ``vrf``, with every ECMP forward resolved."""
        key = (vrf, int(ip))
        hit = self._cache.get(key)
        if hit is not None:
            return hit
        table = self._tables.get(vrf)
        found = None if table is None else table.longest(ip)
        if found is None:
            result = Lookup(None, ())
        elif found[1].is_local:
            result = Lookup(found[1], ())
        else:
            forwards = self._expand(found[1], ip, vrf, 0, ())
            result = Lookup(found[1], tuple(forwards))
        if len(self._cache) >= _CACHE_LIMIT:
            self._cache.clear()
        self._cache[key] = result
        return result

    def resolve(self, route: FibRoute) -> tuple[Forward, ...]:
        """The forwards of one installed route, its next hops resolved (for exits, reports)."""
        return tuple(self._expand(route, route.prefix.network_address, route.vrf, 0, ()))

    def _expand(
        self,
        route: FibRoute,
        ip: IPv4Address,
        vrf: str,
        depth: int,
        chain: tuple[FibRoute, ...],
    ) -> list[Forward]:
        chain = (*chain, route)
        out: list[Forward] = []
        seen: set[tuple[str | None, IPv4Address | None]] = set()

        def add(fwd: Forward) -> None:
            key = (fwd.interface, fwd.arp_ip)
            if key not in seen:
                seen.add(key)
                out.append(fwd)

        for nh in route.next_hops:
            if nh.null:
                add(Forward(None, None, chain, vrf))
            elif nh.interface is not None:
                add(Forward(nh.interface, nh.next_hop or ip, chain, vrf))
            elif nh.next_hop is not None and depth < MAX_RECURSION:
                nh_vrf = nh.vrf or vrf
                table = self._tables.get(nh_vrf)
                sub = None if table is None else table.longest(nh.next_hop)
                if sub is None or sub[1].is_local or sub[1] in chain:
                    continue  # unresolvable, or resolving through itself
                for fwd in self._expand(sub[1], nh.next_hop, nh_vrf, depth + 1, chain):
                    add(fwd)
        out.sort(key=lambda f: (f.interface or "", int(f.arp_ip or 0)))
        return out


# --------------------------------------------------------------------------- building


def _connected(device: Device) -> Iterator[_Candidate]:
    # Only interfaces with an address connect anything (most switch ports have none).
    for name in sorted(n for n, i in device.interfaces.items() if i.addresses):
        iface = device.interfaces[name]
        if iface.shutdown or iface.kind is InterfaceKind.NULL:
            continue
        for addr in iface.addresses:
            hop = FibNextHop(None, name, source=addr.source)
            if addr.address.network.prefixlen < 32:
                yield _Candidate(
                    iface.vrf,
                    addr.address.network,
                    CONNECTED,
                    CONNECTED_PREFERENCE,
                    hop,
                    addr.source,
                )
            yield _Candidate(
                iface.vrf,
                IPv4Network((int(addr.address.ip), 32)),
                LOCAL,
                CONNECTED_PREFERENCE,
                hop,
                addr.source,
            )


def _config_tables(
    device: Device,
) -> tuple[dict[str, PrefixTable[FibRoute]], list[InactiveRoute]]:
    default_pref = STATIC_PREFERENCE.get(device.platform, 1)
    # As ints: an IPv4Address hashes through hex() (one test per static route).
    own = {int(a.address) for i in device.interfaces.values() for a in i.addresses}
    active = list(_connected(device))
    pending: list[_Candidate] = []
    inactive: list[InactiveRoute] = []
    for r in device.static_routes:
        pref = r.preference if r.preference is not None else default_pref
        if r.null or _is_null_name(r.interface):
            active.append(
                _Candidate(
                    r.vrf, r.prefix, STATIC, pref, FibNextHop(null=True, source=r.source), r.source
                )
            )
            continue
        if r.next_hop is not None and int(r.next_hop) in own:
            inactive.append(
                InactiveRoute(r.vrf, r.prefix, "next hop is the device's own", r.source)
            )
            continue
        hop = FibNextHop(r.next_hop, r.interface, r.next_hop_vrf, source=r.source)
        cand = _Candidate(r.vrf, r.prefix, STATIC, pref, hop, r.source)
        if r.interface is not None:
            iface = device.interfaces.get(r.interface)
            if iface is None or iface.shutdown:
                why = "not configured" if iface is None else "shut down"
                inactive.append(
                    InactiveRoute(r.vrf, r.prefix, f"out-interface {r.interface} {why}", r.source)
                )
            else:
                active.append(cand)
        elif r.next_hop is not None:
            pending.append(cand)
        else:
            inactive.append(InactiveRoute(r.vrf, r.prefix, "no next hop", r.source))
    # Next-hop-only statics resolve through whatever is installed; repeat until stable.
    tables = _install(active)
    while pending:
        resolved: dict[tuple[str, int], bool] = {}  # per round: the tables grow between rounds
        ready = [c for c in pending if _resolves(tables, c, resolved)]
        if not ready:
            break
        for c in ready:
            _merge(tables, c)
        done = {id(c) for c in ready}
        pending = [c for c in pending if id(c) not in done]
    for c in pending:
        assert c.source is not None
        inactive.append(
            InactiveRoute(c.vrf, c.prefix, f"next hop {c.next_hop.next_hop} unresolvable", c.source)
        )
    return tables, inactive


def _resolves(
    tables: dict[str, PrefixTable[FibRoute]],
    cand: _Candidate,
    resolved: dict[tuple[str, int], bool],
) -> bool:
    """Whether ``Fib.lookup`` of the candidate's next hop has a forward (memo: ``resolved``).

    Asked once per next-hop-only static (all of them in a synthetic city): answered without
    building the forwards a lookup would build and sort, only to test that there is one."""
    hop = cand.next_hop
    assert hop.next_hop is not None
    vrf = hop.vrf or cand.vrf
    key = (vrf, int(hop.next_hop))
    answer = resolved.get(key)
    if answer is None:
        table = tables.get(vrf)
        found = None if table is None else table.longest(hop.next_hop)
        answer = (
            found is not None
            and not found[1].is_local
            and _forwards_somewhere(tables, found[1], vrf, 0, ())
        )
        resolved[key] = answer
    return answer


def _forwards_somewhere(
    tables: dict[str, PrefixTable[FibRoute]],
    route: FibRoute,
    vrf: str,
    depth: int,
    chain: tuple[FibRoute, ...],
) -> bool:
    """Whether ``Fib._expand`` of ``route`` yields a forward (the same walk, building none)."""
    chain = (*chain, route)
    for nh in route.next_hops:
        if nh.null or nh.interface is not None:
            return True
        if nh.next_hop is not None and depth < MAX_RECURSION:
            nh_vrf = nh.vrf or vrf
            table = tables.get(nh_vrf)
            sub = None if table is None else table.longest(nh.next_hop)
            if sub is None or sub[1].is_local or sub[1] in chain:
                continue
            if _forwards_somewhere(tables, sub[1], nh_vrf, depth + 1, chain):
                return True
    return False


def _off_link(device: Device, hop: RibNextHop) -> bool:
    """A next hop printed with an interface whose subnets do not contain it.

    VRP and Comware print a recursive (BGP) route with its original next hop and the
    out-interface it resolved to (`IBGP 255 0 RD 10.62.9.9 GigabitEthernet0/0/1`): ARPing for
    10.62.9.9 there finds nobody, so such a hop is resolved through the table like IOS's
    `via IP` without an interface. Interfaces without addresses (unnumbered) are left alone.
    """
    if hop.next_hop is None or hop.interface is None:
        return False
    iface = device.interfaces.get(hop.interface)
    if iface is None or not iface.addresses:
        return False
    return not any(hop.next_hop in a.address.network for a in iface.addresses)


def _rib_candidates(
    device: Device, rib: list[RibRoute], own: set[IPv4Address]
) -> Iterator[_Candidate]:
    for r in rib:
        protocol = r.protocol.lower()
        # VRP lists the device's own addresses as Direct routes via 127.0.0.1 / InLoopBack0.
        hops = [
            h
            for h in r.next_hops
            if not (h.interface is not None and h.interface.lower().startswith("inloopback"))
        ]
        local = (
            protocol in _LOCAL_PROTOCOLS
            or (bool(r.next_hops) and not hops)
            or any(h.next_hop is not None and h.next_hop.is_loopback for h in hops)
        )
        pref = r.preference if r.preference is not None else CONNECTED_PREFERENCE
        if local:
            yield _Candidate(r.vrf, r.prefix, LOCAL, pref, FibNextHop(source=r.source), r.source)
            continue
        if r.null:
            yield _Candidate(
                r.vrf, r.prefix, protocol, pref, FibNextHop(null=True, source=r.source), r.source
            )
            continue
        for h in hops:
            if _is_null_name(h.interface):
                hop = FibNextHop(null=True, source=r.source)
            elif h.interface is not None and (
                protocol in _CONNECTED_PROTOCOLS or h.next_hop is None or h.next_hop in own
            ):
                # VRP shows a connected route's next hop as the device's own address.
                hop = FibNextHop(None, h.interface, source=r.source)
            elif _off_link(device, h):
                hop = FibNextHop(h.next_hop, None, h.vrf, source=r.source)
            else:
                hop = FibNextHop(h.next_hop, h.interface, h.vrf, source=r.source)
            yield _Candidate(r.vrf, r.prefix, protocol, pref, hop, r.source)


def build_fib(device: Device) -> Fib:
    """Build the forwarding tables of one device (see the module docstring for the rules)."""
    tables, inactive = _config_tables(device)
    rib_vrfs: frozenset[str] = frozenset()
    if device.rib is not None:
        own = {a.address.ip for i in device.interfaces.values() for a in i.addresses}
        rib_tables = _install(list(_rib_candidates(device, device.rib, own)))
        rib_vrfs = frozenset(rib_tables) | {DEFAULT_VRF}
        for vrf in rib_vrfs:
            tables[vrf] = rib_tables.get(vrf, PrefixTable())
    return Fib(device.name, tables, tuple(inactive), rib_vrfs)


class Fibs:
    """Forwarding tables of many devices, built on first use."""

    def __init__(self, devices: Mapping[str, Device]) -> None:
        self._devices = devices
        self._fibs: dict[str, Fib] = {}

    def __getitem__(self, name: str) -> Fib:
        fib = self._fibs.get(name)
        if fib is None:
            fib = self._fibs[name] = build_fib(self._devices[name])
        return fib

    def __contains__(self, name: str) -> bool:
        return name in self._devices


__all__ = [
    "CONNECTED",
    "LOCAL",
    "STATIC",
    "STATIC_PREFERENCE",
    "Fib",
    "FibNextHop",
    "FibRoute",
    "Fibs",
    "Forward",
    "InactiveRoute",
    "Lookup",
    "build_fib",
]
