"""Routing-table parsers: a device's routing-table command output → ``RibRoute`` list.

Stage: collection (live, or a saved ``routing_table:`` file of the inventory). Input: the text of
`display ip routing-table` (VRP, Comware) or `show ip route` (IOS, RGOS) and the platform.
Output: ``list[RibRoute]``, one entry per (VRF, prefix) with all its ECMP next hops, in the order
the device printed them (IOS `Routing Table: NAME` sections give the VRF; every other table is
the default VRF). Raises ``ConfigError`` naming the line it does not understand.

Comware goes through ntc-templates (TextFSM). IOS does not: the ntc-templates
`cisco_ios_show_ip_route` template silently drops `is directly connected` ECMP continuation
lines and unknown lines, and TextFSM gives no line numbers; the line parser below (shared with
RGOS, whose layout is the same with `GigabitEthernet 0/1` and `is local host.`) fails on any
line it does not understand instead. VRP has only a `verbose` template. docs/tracing.md has the
details. Protocol names are normalized: `connected`, `local` (the device's own addresses),
`static`, `ospf`, `bgp`, `rip`, `isis`, `eigrp`, or the device's word in lower case.
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
from netaudit.model import DEFAULT_VRF, Platform, RibNextHop, RibRoute, Source, vrf_key

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
# A prompt with the command echoed, left in a saved file: `R1#show ip route`, `<HUAWEI>display
# ip routing-table`, `[H3C]`, a trailing bare `R1#`.
_PROMPT = re.compile(
    r"^\s*(?:[A-Za-z][\w.\-]*[#>]|<[^<>\s]+>|\[[^\[\]\s]+\])\s*(?:(?:sh|show|dis|display)\b.*)?$"
)


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
    routes: dict[tuple[str, IPv4Network], RibRoute]

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
        vrf: str = DEFAULT_VRF,
        next_hop_vrf: str | None = None,
    ) -> None:
        if protocol in (CONNECTED, LOCAL):
            next_hop = None
        null = _is_null(interface)
        if null:
            next_hop = None
        hop = RibNextHop(next_hop, interface, next_hop_vrf)
        route = self.routes.get((vrf, prefix))
        if route is None:
            self.routes[(vrf, prefix)] = RibRoute(
                prefix=prefix,
                protocol=protocol,
                next_hops=[hop],
                vrf=vrf,
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
_VRP_BARE = re.compile(r"^\s+(?P<nh>\d+\.\d+\.\d+\.\d+)\s+(?P<iface>\S+)\s*$")
_VRP_SKIP = re.compile(
    r"^\s*$|^Route Flags|^-{5,}|^Routing Tables?:|^\s*Destinations\s*:|^Destination/Mask"
    r"|^\s*Summary Count",
    re.IGNORECASE,
)


def _parse_vrp(text: str, file: str, *, comware: bool) -> list[RibRoute]:
    build = _Builder(file, {})
    last: tuple[IPv4Network, str, int, int] | None = None  # (prefix, protocol, pre, cost)
    in_table = False
    for number, line in enumerate(text.splitlines(), 1):
        if line.lstrip().startswith("Destination/Mask"):
            in_table = True
            continue
        if _VRP_SKIP.match(line) or _PROMPT.match(line):
            continue
        m = _VRP_ROW.match(line)
        bare = _VRP_BARE.match(line) if m is None and last is not None else None
        if m is None and bare is None:
            if not in_table:
                continue
            raise ConfigError(f"{file}:{number}: routing-table line not understood: {line.strip()}")
        if m is not None:
            if m.group("dest"):
                addr, length = m.group("dest").split("/")
                prefix = _network(addr, length, file, number)
            elif last is None:
                raise ConfigError(
                    f"{file}:{number}: next hop without a destination: {line.strip()}"
                )
            else:
                prefix = last[0]
            proto = m.group("proto").lower()
            last = (
                prefix,
                _VRP_PROTOCOLS.get(proto, proto),
                int(m.group("pre")),
                int(m.group("cost")),
            )
            hop_match = m
        else:
            assert bare is not None
            hop_match = bare  # Comware 7 ECMP row: next hop and interface only
        assert last is not None
        prefix, protocol, pre, cost = last
        next_hop = IPv4Address(hop_match.group("nh"))
        iface = expand_comware(hop_match.group("iface")) if comware else hop_match.group("iface")
        if protocol == CONNECTED and next_hop == _LOOPBACK:
            protocol = LOCAL  # the device's own address (VRP/Comware show it via 127.0.0.1)
        build.add(
            prefix,
            protocol,
            next_hop=next_hop,
            interface=iface,
            preference=pre,
            metric=cost,
            line=number,
            text=line,
        )
    return build.result()


# --------------------------------------------------------------------------- IOS / RGOS


# The code column: a code letter, `*` (candidate default), a sub-type (OSPF E1/E2/N1/N2/IA,
# EIGRP EX, IS-IS L1/L2/ia/su), and the IOS-XE flags `+` (replicated), `%` (next-hop override),
# `p` (PfR), `&`; then the network, with or without its mask (classful children of an
# `is subnetted` header carry none).
_IOS_ROUTE = re.compile(
    r"^(?P<code>[A-Za-z])(?P<star>\*)?\s*(?P<type>E1|E2|N1|N2|IA|EX|L1|L2|ia|su|SU)?"
    r"\s*(?:[+%&p]\s*)*\s*(?P<net>\d{1,3}(?:\.\d{1,3}){3})(?:/(?P<len>\d{1,2}))?(?:\s+(?P<rest>.*))?$"
)
# `      10.0.0.0/24 is subnetted, 3 subnets` / `... is variably subnetted, 7 subnets, 2 masks`
_IOS_HEADER = re.compile(
    r"^\s+\d{1,3}(?:\.\d{1,3}){3}/(?P<len>\d{1,2}) is (?P<variably>variably )?subnetted\b"
)
_AGE = r"\d[\dwdhms:.]*"
# `[110/20] via 1.0.1.1, 00:13:21, GigabitEthernet1/0`, `[200/50] via 10.12.11.2, 00:11:37`
# (recursive: no interface), `[200/0] via 10.10.254.10 (AMB), 3w4d` (next hop in VRF AMB).
_IOS_VIA = re.compile(
    r"^\[(?P<pre>\d+)/(?P<metric>\d+)\]\s+via\s+(?P<nh>\d{1,3}(?:\.\d{1,3}){3})"
    r"(?:\s+\((?P<nhvrf>[^)]+)\))?(?:,\s*(?P<age>"
    + _AGE
    + r"))?(?:,\s*(?P<iface>[A-Za-z].*?))?\s*$"
)
# `[200/0], 3w4d, Null0` (a BGP aggregate / summary without `via`)
_IOS_BARE = re.compile(
    r"^\[(?P<pre>\d+)/(?P<metric>\d+)\](?:,\s*" + _AGE + r")?,\s*(?P<iface>[A-Za-z].*?)\s*$"
)
# `is directly connected, GigabitEthernet1/0`, `is directly connected, 3w4d, Vlan5`,
# `is a summary, 00:01:00, Null0`
_IOS_DIRECT = re.compile(
    r"^is (?:directly connected|a summary),\s*(?:" + _AGE + r",\s*)?(?P<iface>[A-Za-z].*?)\s*$"
)
_IOS_LOCAL_HOST = re.compile(r"^is local host\.?\s*$")  # RGOS: the device's own address
_IOS_SKIP = re.compile(
    r"^\s*$|^\s*Codes:|^\s+(?:[A-Za-z0-9*+%&]{1,3}) - |^\s*Gateway of last resort"
    r"|^\s*Load for |^\s*Time source is|^\s*%"
)
_IOS_TABLE = re.compile(r"^\s*Routing Table:\s*(?P<vrf>\S+)\s*$")


def _parse_ios(text: str, file: str, *, ruijie: bool = False) -> list[RibRoute]:
    """`show ip route` of IOS / IOS-XE (and RGOS, which prints the same layout with spaced
    interface names and `is local host.` rows). Every line of the table is understood or the
    parse fails naming it: a route silently dropped would make a path look absent."""
    build = _Builder(file, {})
    classful: int | None = None  # the mask of an `is subnetted` header's children
    vrf = DEFAULT_VRF
    last: tuple[IPv4Network, str] | None = None  # route of the last code line (continuations)
    for number, line in enumerate(text.splitlines(), 1):
        table = _IOS_TABLE.match(line)
        if table is not None:
            # `show ip route vrf *` heads each user VRF's table (the global one has no header);
            # in `via IP (default)` below, "default" is the global table.
            vrf = vrf_key(table.group("vrf"))
            classful, last = None, None
            continue
        header = _IOS_HEADER.match(line)
        if header is not None:
            classful = None if header.group("variably") else int(header.group("len"))
            continue
        if _IOS_SKIP.match(line) or _PROMPT.match(line):
            continue
        m = _IOS_ROUTE.match(line)
        if m is not None:
            length: str | int | None = m.group("len")
            if length is None:
                length = classful if classful is not None else _classful_length(m.group("net"))
            network = _network(m.group("net"), length, file, number)
            protocol = _IOS_CODES.get(m.group("code"), m.group("code").lower())
            last = (network, protocol)
            rest = (m.group("rest") or "").strip()
            if not rest:
                continue  # a long prefix: its `[ad/metric] via ...` follows on the next line
        elif line[:1].isspace() and last is not None:
            network, protocol = last
            rest = line.strip()
        else:
            raise ConfigError(f"{file}:{number}: routing-table line not understood: {line.strip()}")
        if not _ios_next_hop(
            build,
            rest,
            network=network,
            protocol=protocol,
            vrf=vrf,
            number=number,
            line=line,
            ruijie=ruijie,
        ):
            raise ConfigError(f"{file}:{number}: routing-table line not understood: {line.strip()}")
    return build.result()


def _ios_next_hop(
    build: _Builder,
    rest: str,
    *,
    network: IPv4Network,
    protocol: str,
    vrf: str,
    number: int,
    line: str,
    ruijie: bool,
) -> bool:
    """Add the next hop written in ``rest``; False when ``rest`` is not a next-hop form."""

    def iface(name: str) -> str:
        return join_ruijie(name) if ruijie else name.strip()

    if _IOS_LOCAL_HOST.match(rest):
        build.add(
            network,
            LOCAL,
            next_hop=None,
            interface=None,
            preference=0,
            metric=0,
            line=number,
            text=line,
            vrf=vrf,
        )
        return True
    d = _IOS_DIRECT.match(rest)
    if d is not None:
        # IOS prints no distance for connected / local routes: theirs is 0. A static route to
        # an interface (`S 10.200.0.0 is directly connected, Null0`) keeps its protocol.
        pref = 0 if protocol in (CONNECTED, LOCAL) else None
        build.add(
            network,
            protocol,
            next_hop=None,
            interface=iface(d.group("iface")),
            preference=pref,
            metric=0 if pref == 0 else None,
            line=number,
            text=line,
            vrf=vrf,
        )
        return True
    v = _IOS_VIA.match(rest)
    if v is not None:
        nh = IPv4Address(v.group("nh"))
        name = iface(v.group("iface")) if v.group("iface") else None
        build.add(
            network,
            protocol,
            # `via 0.0.0.0, ..., Null0`: a BGP aggregate's discard route.
            next_hop=None if nh == IPv4Address(0) else nh,
            interface=name,
            preference=int(v.group("pre")),
            metric=int(v.group("metric")),
            line=number,
            text=line,
            vrf=vrf,
            next_hop_vrf=v.group("nhvrf"),
        )
        return True
    b = _IOS_BARE.match(rest)
    if b is not None:
        build.add(
            network,
            protocol,
            next_hop=None,
            interface=iface(b.group("iface")),
            preference=int(b.group("pre")),
            metric=int(b.group("metric")),
            line=number,
            text=line,
            vrf=vrf,
        )
        return True
    return False


def _classful_length(address: str) -> int:
    """The classful mask of a network printed without one and outside any header."""
    first = int(address.split(".", 1)[0])
    return 8 if first < 128 else 16 if first < 192 else 24


# --------------------------------------------------------------------------- TextFSM


@functools.cache
def _template_text(name: str) -> str:
    path = Path(ntc_templates.__file__).parent / "templates" / name
    return path.read_text(encoding="utf-8")


def _fsm(name: str) -> textfsm.TextFSM:
    return textfsm.TextFSM(io.StringIO(_template_text(name)))


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


# --------------------------------------------------------------------------- entry point


def parse_routing_table(text: str, platform: Platform | str, file: str = "<ssh>") -> list[RibRoute]:
    """Parse one routing-table command output of ``platform`` into RIB routes."""
    plat = Platform(platform)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    # Prompt lines left in a saved file are blanked (not removed: line numbers stay right).
    text = "\n".join("" if _PROMPT.match(line) else line for line in text.split("\n"))
    match plat:
        case Platform.HUAWEI | Platform.HUAWEI_VRPV8:
            routes = _parse_vrp(text, file, comware=False)
        case Platform.HP_COMWARE:
            routes = _parse_comware(text, file)
        case Platform.CISCO_IOS:
            routes = _parse_ios(text, file)
        case Platform.RUIJIE_OS:
            routes = _parse_ios(text, file, ruijie=True)
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
