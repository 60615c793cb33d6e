"""Routing-table parsers: a device's routing-table command output → ``RibRoute`` list.

Stage: collection (live, or a saved ``routing_table:`` file of the inventory). Input: the text of
`display ip routing-table` (VRP, Comware) or `show ip route` (IOS, RGOS) and the platform.
Output: ``list[RibRoute]`` (default VRF), one entry per prefix with all its ECMP next hops, in
the order the device printed them. Raises ``ConfigError`` naming the line it does not understand.

IOS and Comware go through ntc-templates (TextFSM); VRP (only a `verbose` template exists) and
RGOS (none exists; it prints `GigabitEthernet 0/1` with a space) use the parsers below.
Protocol names are normalized: `connected`, `local` (the device's own addresses), `static`,
`ospf`, `bgp`, `rip`, `isis`, `eigrp`, or the device's word in lower case.
"""

from __future__ import annotations

import functools
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass
from ipaddress import IPv4Address, IPv4Network
from pathlib import Path

import ntc_templates
import textfsm

from netaudit.errors import ConfigError
from netaudit.model import Platform, RibNextHop, RibRoute, Source

CONNECTED = "connected"
LOCAL = "local"
STATIC = "static"

# IOS / RGOS route codes (the first column of `show ip route`).
_IOS_CODES = {
    "C": CONNECTED,
    "L": LOCAL,
    "S": STATIC,
    "O": "ospf",
    "B": "bgp",
    "R": "rip",
    "D": "eigrp",
    "I": "isis",
    "i": "isis",
    "M": "mobile",
    "U": STATIC,  # per-user static
    "P": STATIC,  # periodic downloaded static
    "o": "odr",
    "H": "nhrp",
    "l": "lisp",
    "a": "application",
    "V": "overflow",
}
# VRP / Comware `Proto` column.
_VRP_PROTOCOLS = {
    "direct": CONNECTED,
    "static": STATIC,
    "ospf": "ospf",
    "o_ase": "ospf",
    "o_nssa": "ospf",
    "o_intra": "ospf",
    "o_inter": "ospf",
    "o_ase1": "ospf",
    "o_ase2": "ospf",
    "o_nssa1": "ospf",
    "o_nssa2": "ospf",
    "ibgp": "bgp",
    "ebgp": "bgp",
    "bgp": "bgp",
    "rip": "rip",
    "isis": "isis",
    "isis-l1": "isis",
    "isis-l2": "isis",
    "unr": "unr",
}
# Comware 7 abbreviates interface names in its routing table.
COMWARE_ABBREVIATIONS = {
    "ge": "GigabitEthernet",
    "xge": "Ten-GigabitEthernet",
    "fge": "FortyGigE",
    "hge": "HundredGigE",
    "mge": "M-GigabitEthernet",
    "eth": "Ethernet",
    "vlan": "Vlan-interface",
    "loop": "LoopBack",
    "inloop": "InLoopBack",
    "ragg": "Route-Aggregation",
    "bagg": "Bridge-Aggregation",
    "dia": "Dialer",
    "tun": "Tunnel",
    "ser": "Serial",
    "null": "NULL",
    "cell": "Cellular",
    "vt": "Virtual-Template",
}
_IFNAME = re.compile(r"^([A-Za-z][A-Za-z\-_]*?)\s*(\d[\d/:.]*)$")
_LOOPBACK = IPv4Address("127.0.0.1")


def expand_comware(name: str) -> str:
    m = _IFNAME.match(name)
    if m is None:
        return name
    full = COMWARE_ABBREVIATIONS.get(m.group(1).lower())
    return (full + m.group(2)) if full else name


def join_ruijie(name: str) -> str:
    """RGOS prints `GigabitEthernet 0/1`; the model writes `GigabitEthernet0/1`."""
    m = _IFNAME.match(name.strip())
    return (m.group(1) + m.group(2)) if m else name.strip()


def _is_null(interface: str | None) -> bool:
    return interface is not None and interface.lower().startswith("null")


@dataclass(slots=True)
class _Builder:
    """Collects next hops per prefix, keeping the device's order."""

    file: str
    routes: dict[IPv4Network, RibRoute]

    def add(
        self,
        prefix: IPv4Network,
        protocol: str,
        *,
        next_hop: IPv4Address | None,
        interface: str | None,
        preference: int | None,
        metric: int | None,
        line: int,
        text: str,
    ) -> None:
        if protocol in (CONNECTED, LOCAL):
            next_hop = None
        null = _is_null(interface)
        if null:
            next_hop = None
        hop = RibNextHop(next_hop, interface)
        route = self.routes.get(prefix)
        if route is None:
            self.routes[prefix] = RibRoute(
                prefix=prefix,
                protocol=protocol,
                next_hops=[hop],
                preference=preference,
                metric=metric,
                null=null,
                source=Source(self.file, line, text.strip()),
            )
        elif hop not in route.next_hops:
            route.next_hops.append(hop)

    def result(self) -> list[RibRoute]:
        return list(self.routes.values())


def _network(address: str, length: str | int, file: str, line: int) -> IPv4Network:
    try:
        return IPv4Network(f"{address}/{length}", strict=False)
    except ValueError:
        raise ConfigError(f"{file}:{line}: {address}/{length} is not an IPv4 prefix") from None


# --------------------------------------------------------------------------- VRP


_VRP_ROW = re.compile(
    r"^\s*(?P<dest>\d+\.\d+\.\d+\.\d+/\d+)?\s+(?P<proto>[A-Za-z][\w-]*)\s+(?P<pre>\d+)\s+"
    r"(?P<cost>\d+)\s+(?:(?P<flags>[A-Z]+)\s+)?(?P<nh>\d+\.\d+\.\d+\.\d+)\s+(?P<iface>\S+)\s*$"
)
_VRP_SKIP = re.compile(
    r"^\s*$|^Route Flags|^-{5,}|^Routing Tables?:|^\s*Destinations\s*:|^Destination/Mask"
    r"|^\s*Summary Count",
    re.IGNORECASE,
)


def _parse_vrp(text: str, file: str, *, comware: bool) -> list[RibRoute]:
    build = _Builder(file, {})
    last: IPv4Network | None = None
    in_table = False
    for number, line in enumerate(text.splitlines(), 1):
        if line.lstrip().startswith("Destination/Mask"):
            in_table = True
            continue
        if _VRP_SKIP.match(line):
            continue
        m = _VRP_ROW.match(line)
        if m is None:
            if not in_table:
                continue
            raise ConfigError(f"{file}:{number}: routing-table line not understood: {line.strip()}")
        if m.group("dest"):
            addr, length = m.group("dest").split("/")
            last = _network(addr, length, file, number)
        elif last is None:
            raise ConfigError(f"{file}:{number}: next hop without a destination: {line.strip()}")
        proto = m.group("proto").lower()
        protocol = _VRP_PROTOCOLS.get(proto, proto)
        next_hop = IPv4Address(m.group("nh"))
        iface = expand_comware(m.group("iface")) if comware else m.group("iface")
        if protocol == CONNECTED and next_hop == _LOOPBACK:
            protocol = LOCAL  # the device's own address (VRP/Comware show it via 127.0.0.1)
        build.add(
            last,
            protocol,
            next_hop=next_hop,
            interface=iface,
            preference=int(m.group("pre")),
            metric=int(m.group("cost")),
            line=number,
            text=line,
        )
    return build.result()


# --------------------------------------------------------------------------- IOS (TextFSM)


@functools.cache
def _template_text(name: str) -> str:
    path = Path(ntc_templates.__file__).parent / "templates" / name
    return path.read_text(encoding="utf-8")


def _fsm(name: str) -> textfsm.TextFSM:
    return textfsm.TextFSM(io.StringIO(_template_text(name)))


def _parse_ios(text: str, file: str) -> list[RibRoute]:
    fsm = _fsm("cisco_ios_show_ip_route.textfsm")
    try:
        rows = fsm.ParseTextToDicts(text)
    except textfsm.TextFSMError as exc:
        raise ConfigError(f"{file}: `show ip route` output not understood: {exc}") from None
    build = _Builder(file, {})
    lines = text.splitlines()
    for row in rows:
        if row.get("VRF"):
            continue  # another VRF's table: only the global table is collected
        network = _network(row["NETWORK"], row["PREFIX_LENGTH"] or 32, file, 0)
        protocol = _IOS_CODES.get(row["PROTOCOL"], row["PROTOCOL"].lower())
        number, line = _find_line(lines, network)
        build.add(
            network,
            protocol,
            next_hop=IPv4Address(row["NEXTHOP_IP"]) if row["NEXTHOP_IP"] else None,
            interface=row["NEXTHOP_IF"] or None,
            preference=int(row["DISTANCE"]) if row["DISTANCE"] else None,
            metric=int(row["METRIC"]) if row["METRIC"] else None,
            line=number,
            text=line,
        )
    return build.result()


def _find_line(lines: list[str], network: IPv4Network) -> tuple[int, str]:
    """The line a TextFSM row came from (TextFSM does not say): first mention of the prefix."""
    needles = (f" {network.with_prefixlen} ", f" {network.network_address} ")
    for number, line in enumerate(lines, 1):
        if any(n in f" {line} " for n in needles):
            return number, line
    return 0, network.with_prefixlen


# --------------------------------------------------------------------------- Comware (TextFSM)


def _parse_comware(text: str, file: str) -> list[RibRoute]:
    fsm = _fsm("hp_comware_display_ip_routing-table.textfsm")
    try:
        rows = fsm.ParseTextToDicts(text)
    except textfsm.TextFSMError:
        # The template stops at lines it does not know (e.g. VRP-style `Flags`); ours is wider.
        return _parse_vrp(text, file, comware=True)
    build = _Builder(file, {})
    lines = text.splitlines()
    for row in rows:
        network = _network(row["NETWORK"], row["PREFIX_LENGTH"], file, 0)
        proto = row["PROTOCOL"].lower()
        protocol = _VRP_PROTOCOLS.get(proto, proto)
        next_hop = IPv4Address(row["NEXTHOP_IP"])
        if protocol == CONNECTED and next_hop == _LOOPBACK:
            protocol = LOCAL
        number, line = _find_line(lines, network)
        build.add(
            network,
            protocol,
            next_hop=next_hop,
            interface=expand_comware(row["NEXTHOP_IF"]) if row["NEXTHOP_IF"] else None,
            preference=int(row["DISTANCE"]),
            metric=int(row["METRIC"]),
            line=number,
            text=line,
        )
    return build.result()


# --------------------------------------------------------------------------- RGOS


_RG_ROUTE = re.compile(
    r"^(?P<code>[A-Za-z]{1,2})(?P<flag>\*)?\s*(?P<type>[A-Z0-9]{1,2})?\s+"
    r"(?P<net>\d+\.\d+\.\d+\.\d+/\d+)\s+(?P<rest>.*)$"
)
_RG_VIA = re.compile(
    r"^\[(?P<pre>\d+)/(?P<metric>\d+)\]\s+via\s+(?P<nh>\d+\.\d+\.\d+\.\d+)"
    r"(?:,\s*(?:\d[\w:.]*,\s*)?(?P<iface>[A-Za-z][^,]*?))?\s*$"
)
_RG_DIRECT = re.compile(r"^is directly connected,\s*(?P<iface>[A-Za-z].*?)\s*$")
_RG_LOCAL = re.compile(r"^is local host\.?\s*$")
_RG_SKIP = re.compile(
    r"^\s*$|^Codes:|^\s+[A-Za-z0-9*]+ - |^Gateway of last resort|^Routing Table", re.IGNORECASE
)


def _parse_ruijie(text: str, file: str) -> list[RibRoute]:
    build = _Builder(file, {})
    last: tuple[IPv4Network, str] | None = None
    for number, line in enumerate(text.splitlines(), 1):
        stripped = line.strip()
        m = _RG_ROUTE.match(line)
        if m is not None:
            addr, length = m.group("net").split("/")
            network = _network(addr, length, file, number)
            protocol = _IOS_CODES.get(m.group("code")[0], m.group("code").lower())
            last = (network, protocol)
            rest = m.group("rest").strip()
        elif stripped.startswith("[") and last is not None:
            network, protocol = last
            rest = stripped
        elif _RG_SKIP.match(line):
            continue
        else:
            raise ConfigError(f"{file}:{number}: routing-table line not understood: {stripped}")
        if _RG_LOCAL.match(rest):
            build.add(
                network,
                LOCAL,
                next_hop=None,
                interface=None,
                preference=0,
                metric=0,
                line=number,
                text=line,
            )
            continue
        d = _RG_DIRECT.match(rest)
        if d is not None:
            iface = join_ruijie(d.group("iface"))
            pref = 0 if protocol == CONNECTED else None
            build.add(
                network,
                protocol,
                next_hop=None,
                interface=iface,
                preference=pref,
                metric=0 if pref == 0 else None,
                line=number,
                text=line,
            )
            continue
        v = _RG_VIA.match(rest)
        if v is None:
            raise ConfigError(f"{file}:{number}: routing-table line not understood: {stripped}")
        via_iface = join_ruijie(v.group("iface")) if v.group("iface") else None
        build.add(
            network,
            protocol,
            next_hop=IPv4Address(v.group("nh")),
            interface=via_iface,
            preference=int(v.group("pre")),
            metric=int(v.group("metric")),
            line=number,
            text=line,
        )
    return build.result()


# --------------------------------------------------------------------------- entry point


def parse_routing_table(text: str, platform: Platform | str, file: str = "<ssh>") -> list[RibRoute]:
    """Parse one routing-table command output of ``platform`` into RIB routes (default VRF)."""
    plat = Platform(platform)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    match plat:
        case Platform.HUAWEI | Platform.HUAWEI_VRPV8:
            routes = _parse_vrp(text, file, comware=False)
        case Platform.HP_COMWARE:
            routes = _parse_comware(text, file)
        case Platform.CISCO_IOS:
            routes = _parse_ios(text, file)
        case Platform.RUIJIE_OS:
            routes = _parse_ruijie(text, file)
    if not routes and text.strip():
        raise ConfigError(f"{file}: no route found in the {plat.value} routing-table output")
    return routes


def load_routing_table(
    path: Path, platform: Platform | str, display: str | None = None
) -> list[RibRoute]:
    """Read a saved routing table (an inventory's `routing_table:` file) and parse it."""
    name = display or str(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ConfigError(f"{name}: cannot read ({exc.strerror})") from None
    return parse_routing_table(data.decode("utf-8", errors="replace"), platform, name)


def route_key(route: RibRoute) -> tuple[str, str, bool, tuple[tuple[str, str], ...]]:
    """What two routing tables must agree on (prefix, protocol, null, next hops): for tests."""
    hops = tuple(sorted((str(h.next_hop or ""), h.interface or "") for h in route.next_hops))
    return (route.prefix.with_prefixlen, route.protocol, route.null, hops)


def route_keys(
    routes: Iterable[RibRoute],
) -> list[tuple[str, str, bool, tuple[tuple[str, str], ...]]]:
    return sorted(route_key(r) for r in routes)
