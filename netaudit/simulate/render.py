"""What a simulated device prints: its routing table and `display/show version`, per platform.

Stage: simulation. Input: a parsed ``Device`` (from the config the simulator serves). Output:
``device_rib`` — the routing table the device would hold (computed with the same forwarding rules
the offline audit uses, ``network.fib``: connected, local and installed static routes of the
default VRF, plus each platform's own housekeeping routes), and the text each platform prints for
it (`display ip routing-table` on VRP and Comware 7, `show ip route` on IOS and RGOS) and for its
version command. ``collect/routes.py`` parses these texts back; the tests hold the two together.
"""

from __future__ import annotations

from collections.abc import Iterable
from ipaddress import IPv4Address, IPv4Network

from netaudit.collect.routes import COMWARE_ABBREVIATIONS, CONNECTED, LOCAL, STATIC
from netaudit.model import DEFAULT_VRF, Device, Platform, RibNextHop, RibRoute
from netaudit.network.fib import build_fib

_LO = IPv4Address("127.0.0.1")
_ANY = IPv4Address("0.0.0.0")


def _vrp_family(platform: Platform) -> bool:
    return platform in (Platform.HUAWEI, Platform.HUAWEI_VRPV8, Platform.HP_COMWARE)


def device_rib(device: Device) -> list[RibRoute]:
    """The default-VRF routing table ``device`` shows, in the shape ``collect.routes`` parses."""
    fib = build_fib(device)
    platform = device.platform
    vrp = _vrp_family(platform)
    comware = platform is Platform.HP_COMWARE
    inloop = "InLoopBack0"
    routes: list[RibRoute] = []
    for r in fib.routes(DEFAULT_VRF):
        hops: list[RibNextHop] = []
        null = False
        for h in r.next_hops:
            if h.null or (h.interface or "").lower().startswith("null"):
                null = True
                hops.append(RibNextHop(None, "NULL0" if vrp else "Null0"))
                continue
            iface = h.interface
            if r.protocol == LOCAL:
                if comware:
                    iface = inloop
                elif platform is Platform.RUIJIE_OS:
                    iface = None
            elif iface is None and vrp and h.next_hop is not None:
                # VRP and Comware print the resolved out-interface of a recursive static.
                forwards = fib.lookup(h.next_hop).forwards
                iface = forwards[0].interface if forwards else None
            next_hop = h.next_hop if r.protocol not in (CONNECTED, LOCAL) else None
            hop = RibNextHop(next_hop, iface)
            if hop not in hops:
                hops.append(hop)
        routes.append(
            RibRoute(
                prefix=r.prefix,
                protocol=r.protocol,
                next_hops=hops,
                preference=r.preference,
                metric=0,
                null=null,
            )
        )
    if vrp:
        routes.extend(_vrp_housekeeping(routes, comware))
    routes.sort(key=lambda r: (int(r.prefix.network_address), r.prefix.prefixlen))
    return routes


def _vrp_housekeeping(routes: list[RibRoute], comware: bool) -> Iterable[RibRoute]:
    """Routes VRP and Comware always list: loopback range, broadcasts (and Comware's multicast)."""
    have = {r.prefix for r in routes}
    inloop = "InLoopBack0"

    def local(prefix: str, iface: str = inloop) -> RibRoute:
        return RibRoute(
            IPv4Network(prefix), LOCAL, [RibNextHop(None, iface)], preference=0, metric=0
        )

    extra = [local("127.0.0.0/8"), local("127.0.0.1/32"), local("127.255.255.255/32")]
    extra.append(local("255.255.255.255/32"))
    for r in routes:
        if r.protocol == CONNECTED and r.prefix.prefixlen < 31 and r.next_hops:
            iface = r.next_hops[0].interface or inloop
            bcast = IPv4Network(r.prefix.broadcast_address)
            if comware:
                net = IPv4Network(r.prefix.network_address)
                for p in (net, bcast):
                    extra.append(
                        RibRoute(p, CONNECTED, [RibNextHop(None, iface)], preference=0, metric=0)
                    )
            else:
                extra.append(local(str(bcast), iface))
    if comware:
        extra.append(local("0.0.0.0/32"))
        for mcast in ("224.0.0.0/4", "224.0.0.0/24"):
            extra.append(
                RibRoute(
                    IPv4Network(mcast),
                    CONNECTED,
                    [RibNextHop(None, "NULL0")],
                    preference=0,
                    metric=0,
                    null=True,
                )
            )
    seen = set(have)
    for r in extra:
        if r.prefix not in seen:
            seen.add(r.prefix)
            yield r


# --------------------------------------------------------------------------- text


def _comware_short(name: str | None) -> str:
    if name is None:
        return "NULL0"
    for short, full in COMWARE_ABBREVIATIONS.items():
        if name.startswith(full) and name[len(full) :][:1].isdigit():
            return {"vlan": "Vlan", "inloop": "InLoop", "loop": "Loop", "null": "NULL0"}.get(
                short, short.upper()
            ) + (name[len(full) :] if short != "null" else "")
    return name


def _ruijie_name(name: str) -> str:
    for i, ch in enumerate(name):
        if ch.isdigit():
            return f"{name[:i]} {name[i:]}"
    return name


def render_routes(platform: Platform, rib: list[RibRoute]) -> str:
    match platform:
        case Platform.HUAWEI | Platform.HUAWEI_VRPV8:
            return _render_vrp(rib)
        case Platform.HP_COMWARE:
            return _render_comware(rib)
        case Platform.CISCO_IOS:
            return _render_ios(rib)
        case Platform.RUIJIE_OS:
            return _render_ruijie(rib)


_VRP_PROTO = {CONNECTED: "Direct", LOCAL: "Direct", STATIC: "Static"}


def _vrp_hop(r: RibRoute, h: RibNextHop) -> tuple[str, str]:
    if r.protocol == LOCAL:
        return str(_LO), h.interface or "InLoopBack0"
    if r.null:
        return str(_ANY), h.interface or "NULL0"
    return str(h.next_hop or _ANY), h.interface or "NULL0"


def _render_vrp(rib: list[RibRoute]) -> str:
    """VRP 5/8: the subnet route's next hop is the interface's own address (as on Comware)."""
    lines = [
        "Route Flags: R - relay, D - download to fib",
        "-" * 78,
        "Routing Tables: Public",
        f"         Destinations : {len(rib)}        Routes : {sum(len(r.next_hops) for r in rib)}",
        "",
        "Destination/Mask    Proto   Pre  Cost      Flags NextHop         Interface",
        "",
    ]
    for r in rib:
        proto = _VRP_PROTO.get(r.protocol, r.protocol.upper())
        for i, h in enumerate(r.next_hops):
            nh, iface = _vrp_hop(r, h)
            if r.protocol == CONNECTED and not r.null:
                nh = str(_connected_self(rib, r) or _LO)
            flags = "RD" if r.protocol == STATIC and h.next_hop is not None else "D"
            dest = r.prefix.with_prefixlen if i == 0 else ""
            lines.append(
                f"{dest:>18}  {proto:<7} {r.preference or 0:<4} {r.metric or 0:<9} "
                f"{flags:>2}   {nh:<15} {iface}"
            )
    return "\r\n".join(lines) + "\r\n"


def _render_comware(rib: list[RibRoute]) -> str:
    lines = [
        "",
        f"Destinations : {len(rib)}        Routes : {sum(len(r.next_hops) for r in rib)}",
        "",
        "Destination/Mask   Proto   Pre Cost        NextHop         Interface",
    ]
    for r in rib:
        proto = _VRP_PROTO.get(r.protocol, r.protocol.upper())
        for i, h in enumerate(r.next_hops):
            nh, iface = _vrp_hop(r, h)
            if r.protocol == CONNECTED and not r.null:
                nh = str(_connected_self(rib, r) or _LO)
            short = _comware_short(iface)
            if i == 0:
                lines.append(
                    f"{r.prefix.with_prefixlen:<18} {proto:<7} {r.preference or 0:<3} "
                    f"{r.metric or 0:<11} {nh:<15} {short}"
                )
            else:
                lines.append(f"{'':<42}{nh:<15} {short}")
    return "\r\n".join(lines) + "\r\n"


def _connected_self(rib: list[RibRoute], route: RibRoute) -> IPv4Address | None:
    """Comware shows a connected route's next hop as the interface's own address.

    For the subnet route and its network/broadcast /32 routes alike: the device's own address
    inside the connected subnet that holds the route.
    """
    for subnet in rib:
        if (
            subnet.protocol != CONNECTED
            or subnet.null
            or subnet.prefix.prefixlen >= 31
            or not route.prefix.subnet_of(subnet.prefix)
        ):
            continue
        for r in rib:
            if (
                r.protocol == LOCAL
                and r.prefix.prefixlen == 32
                and r.prefix.network_address in subnet.prefix
                and r.prefix.network_address
                not in (subnet.prefix.network_address, subnet.prefix.broadcast_address)
            ):
                return r.prefix.network_address
    return None


_IOS_CODES_HEADER = """\
Codes: L - local, C - connected, S - static, R - RIP, M - mobile, B - BGP
       D - EIGRP, EX - EIGRP external, O - OSPF, IA - OSPF inter area
       N1 - OSPF NSSA external type 1, N2 - OSPF NSSA external type 2
       E1 - OSPF external type 1, E2 - OSPF external type 2
       i - IS-IS, su - IS-IS summary, L1 - IS-IS level-1, L2 - IS-IS level-2
       ia - IS-IS inter area, * - candidate default, U - per-user static route
       o - ODR, P - periodic downloaded static route, H - NHRP, l - LISP
       a - application route
       + - replicated route, % - next hop override, p - overrides from PfR"""

_RUIJIE_CODES_HEADER = """\
Codes:  C - Connected, L - Local, S - Static
        R - RIP, O - OSPF, B - BGP, I - IS-IS, V - Overflow route
        N1 - OSPF NSSA external type 1, N2 - OSPF NSSA external type 2
        E1 - OSPF external type 1, E2 - OSPF external type 2
        SU - IS-IS summary, L1 - IS-IS level-1, L2 - IS-IS level-2
        IA - Inter area, EV - BGP EVPN, A - Arp to host
        * - candidate default"""

_CODE = {CONNECTED: "C", LOCAL: "L", STATIC: "S", "ospf": "O", "bgp": "B", "rip": "R"}


def _gateway(rib: list[RibRoute]) -> str:
    for r in rib:
        if r.prefix.prefixlen == 0:
            nh = next((h.next_hop for h in r.next_hops if h.next_hop is not None), _ANY)
            return f"Gateway of last resort is {nh} to network 0.0.0.0"
    return "Gateway of last resort is not set"


def _ios_tail(r: RibRoute, h: RibNextHop, *, ruijie: bool) -> str:
    name = h.interface
    if name is not None and ruijie:
        name = _ruijie_name(name)
    if r.protocol == LOCAL and ruijie:
        return "is local host. "
    if r.protocol in (CONNECTED, LOCAL) or h.next_hop is None:
        return f"is directly connected, {name}"
    via = f"[{r.preference if r.preference is not None else 1}/{r.metric or 0}] via {h.next_hop}"
    return f"{via}, {name}" if name else via


def _classful(prefix: IPv4Network) -> int:
    first = int(prefix.network_address) >> 24
    return 8 if first < 128 else 16 if first < 192 else 24


def _render_ios(rib: list[RibRoute]) -> str:
    lines = [_IOS_CODES_HEADER, "", _gateway(rib), ""]
    groups: dict[IPv4Network, list[RibRoute]] = {}
    order: list[IPv4Network | RibRoute] = []
    for r in rib:
        major_len = _classful(r.prefix)
        if r.prefix.prefixlen <= major_len:
            order.append(r)
            continue
        major = r.prefix.supernet(new_prefix=major_len)
        if major not in groups:
            groups[major] = []
            order.append(major)
        groups[major].append(r)

    def emit(r: RibRoute, indent: int, with_len: bool) -> None:
        code = _CODE.get(r.protocol, r.protocol[:1].upper())
        flag = "*" if r.prefix.prefixlen == 0 else " "
        dest = r.prefix.with_prefixlen if with_len else str(r.prefix.network_address)
        for i, h in enumerate(r.next_hops):
            tail = _ios_tail(r, h, ruijie=False)
            if i == 0:
                lines.append(f"{code}{flag}".ljust(indent) + f"{dest} {tail}")
            else:
                lines.append(" " * (indent + len(dest) + 1) + tail)

    for item in order:
        if isinstance(item, RibRoute):
            emit(item, 6, True)
            continue
        members = groups[item]
        masks = {m.prefix.prefixlen for m in members}
        if len(masks) == 1:
            lines.append(
                f"      {item.network_address}/{next(iter(masks))} is subnetted, "
                f"{len(members)} subnets"
            )
            for m in members:
                emit(m, 9, False)
        else:
            lines.append(
                f"      {item.with_prefixlen} is variably subnetted, {len(members)} subnets, "
                f"{len(masks)} masks"
            )
            for m in members:
                emit(m, 9, True)
    return "\r\n".join(lines) + "\r\n"


def _render_ruijie(rib: list[RibRoute]) -> str:
    lines = [_RUIJIE_CODES_HEADER, "", _gateway(rib)]
    for r in rib:
        code = "C" if r.protocol == LOCAL else _CODE.get(r.protocol, r.protocol[:1].upper())
        flag = "*" if r.prefix.prefixlen == 0 else " "
        dest = r.prefix.with_prefixlen
        for i, h in enumerate(r.next_hops):
            tail = _ios_tail(r, h, ruijie=True)
            if i == 0:
                lines.append(f"{code}{flag}".ljust(6) + f"{dest} {tail}")
            else:
                lines.append(" " * (7 + len(dest)) + tail)
    return "\r\n".join(lines) + "\r\n"


# --------------------------------------------------------------------------- version


def render_version(device: Device, uptime: str = "12 days, 3 hours, 4 minutes") -> str:
    """The version command's output (the first line or two are also SNMP sysDescr)."""
    name = device.hostname or device.name
    version = device.os_version
    match device.platform:
        case Platform.HUAWEI:
            text = (
                "Huawei Versatile Routing Platform Software\r\n"
                f"VRP (R) software, Version 5.170 ({version or 'AR2200 V200R010C10SPC700'})\r\n"
                "Copyright (C) 2011-2020 HUAWEI TECH CO., LTD\r\n"
                f"Huawei AR2220 Router uptime is {uptime}\r\n"
            )
        case Platform.HUAWEI_VRPV8:
            text = (
                "Huawei Versatile Routing Platform Software\r\n"
                f"VRP (R) software, Version 8.180 ({version or 'CE6850 V200R005C10SPC800'})\r\n"
                "Copyright (C) 2012-2020 Huawei Technologies Co., Ltd.\r\n"
                f"HUAWEI CE6850-48S6Q-HI uptime is {uptime}\r\n"
            )
        case Platform.HP_COMWARE:
            text = (
                f"H3C Comware Software, Version {version or '7.1.064, Release 0821P11'}\r\n"
                "Copyright (c) 2004-2020 New H3C Technologies Co., Ltd. All rights reserved.\r\n"
                f"H3C S6520-26Q-SI uptime is {uptime}\r\n"
            )
        case Platform.CISCO_IOS:
            text = (
                "Cisco IOS Software, ISR Software (X86_64_LINUX_IOSD-UNIVERSALK9-M), "
                f"Version {version or '15.5(3)S5'}, RELEASE SOFTWARE (fc2)\r\n"
                "Technical Support: http://www.cisco.com/techsupport\r\n"
                "Copyright (c) 1986-2017 by Cisco Systems, Inc.\r\n"
                "\r\n"
                f"{name} uptime is {uptime}\r\n"
            )
        case Platform.RUIJIE_OS:
            text = (
                "System description      : Ruijie 10G Ethernet Switch(S5750-28GT4XS-H) "
                "By Ruijie Networks\r\n"
                f"System software version : {version or 'S5750_RGOS 11.4(1)B12P1'}\r\n"
                f"System uptime           : {uptime}\r\n"
            )
    return text


def sys_descr(device: Device) -> str:
    """SNMP sysDescr: the first lines of the version output, as the platforms answer it."""
    lines = render_version(device).split("\r\n")
    return "\r\n".join(lines[:2])
