"""The MIB a simulated device answers over SNMP, built from its parsed config.

Stage: simulation. Input: a parsed ``Device``, its routing table (``render.device_rib``) and its
sysDescr. Output: a ``Mib`` with system (sysDescr, sysObjectID, sysUpTime, sysName), ifTable,
ifXTable, ipAddrTable and ipCidrRouteTable, every value consistent with the config: one ifIndex
per configured interface in config order, ifAdminStatus down for `shutdown` interfaces, the
configured addresses, and the routes the device's CLI prints.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from ipaddress import IPv4Address

from netaudit.model import Device, InterfaceKind, Platform, RibRoute
from netaudit.simulate import ber
from netaudit.simulate.snmp_agent import Mib

SYSTEM = (1, 3, 6, 1, 2, 1, 1)
IF_NUMBER = (1, 3, 6, 1, 2, 1, 2, 1, 0)
IF_ENTRY = (1, 3, 6, 1, 2, 1, 2, 2, 1)
IFX_ENTRY = (1, 3, 6, 1, 2, 1, 31, 1, 1, 1)
IPADDR_ENTRY = (1, 3, 6, 1, 2, 1, 4, 20, 1)
CIDR_ENTRY = (1, 3, 6, 1, 2, 1, 4, 24, 4, 1)

SYS_OBJECT_ID = {
    Platform.HUAWEI: (1, 3, 6, 1, 4, 1, 2011, 2, 224, 67),
    Platform.HUAWEI_VRPV8: (1, 3, 6, 1, 4, 1, 2011, 2, 239, 12),
    Platform.HP_COMWARE: (1, 3, 6, 1, 4, 1, 25506, 1, 1210),
    Platform.CISCO_IOS: (1, 3, 6, 1, 4, 1, 9, 1, 1165),
    Platform.RUIJIE_OS: (1, 3, 6, 1, 4, 1, 4881, 1, 1, 10, 1, 193),
}
# IANAifType per interface kind.
IF_TYPE = {
    InterfaceKind.ETHERNET: 6,
    InterfaceKind.VLAN: 136,  # l3ipvlan
    InterfaceKind.LOOPBACK: 24,
    InterfaceKind.AGGREGATE: 161,
    InterfaceKind.SUBINTERFACE: 135,
    InterfaceKind.DIALER: 23,
    InterfaceKind.CELLULAR: 23,
    InterfaceKind.TUNNEL: 131,
    InterfaceKind.NULL: 1,
    InterfaceKind.MANAGEMENT: 6,
    InterfaceKind.VIRTUAL_TEMPLATE: 23,
    InterfaceKind.OTHER: 1,
}
# ipCidrRouteProto per RIB protocol.
ROUTE_PROTO = {"connected": 2, "local": 2, "static": 3, "ospf": 13, "bgp": 14, "rip": 8, "isis": 9}
_ZERO = IPv4Address(0)


def _mac(name: str, device: str) -> bytes:
    return b"\x00\xe0" + hashlib.sha1(f"{device}/{name}".encode()).digest()[:4]


def if_indexes(device: Device, rib: Sequence[RibRoute] = ()) -> dict[str, int]:
    """ifIndex per interface: config order from 1, then the routing table's own interfaces
    (NULL0, InLoopBack0: real agents list them too)."""
    index = {name: i for i, name in enumerate(device.interfaces, 1)}
    for route in rib:
        for hop in route.next_hops:
            if hop.interface is not None and hop.interface not in index:
                index[hop.interface] = len(index) + 1
    return index


def _implicit_kind(name: str) -> InterfaceKind:
    low = name.lower()
    if low.startswith("null"):
        return InterfaceKind.NULL
    return InterfaceKind.LOOPBACK if "loop" in low else InterfaceKind.OTHER


def build_mib(
    device: Device, rib: list[RibRoute], descr: str, uptime_ticks: int = 104_524_000
) -> Mib:
    values: dict[tuple[int, ...], bytes] = {}
    name = device.hostname or device.name
    values[(*SYSTEM, 1, 0)] = ber.octets(descr)
    values[(*SYSTEM, 2, 0)] = ber.oid(SYS_OBJECT_ID[device.platform])
    values[(*SYSTEM, 3, 0)] = ber.unsigned(uptime_ticks, ber.TIMETICKS)
    values[(*SYSTEM, 4, 0)] = ber.octets("netaudit simulator")
    values[(*SYSTEM, 5, 0)] = ber.octets(name)
    values[(*SYSTEM, 6, 0)] = ber.octets("")
    values[(*SYSTEM, 7, 0)] = ber.integer(6)
    index = if_indexes(device, rib)
    values[IF_NUMBER] = ber.integer(len(index))
    for ifname, i in index.items():
        iface = device.interfaces.get(ifname)
        kind = iface.kind if iface is not None else _implicit_kind(ifname)
        up = 2 if iface is not None and iface.shutdown else 1
        speed = 1_000_000_000 if kind is InterfaceKind.ETHERNET else 0
        row = {
            1: ber.integer(i),
            2: ber.octets(ifname),
            3: ber.integer(IF_TYPE.get(kind, 1)),
            4: ber.integer(1500),
            5: ber.unsigned(speed, ber.GAUGE32),
            6: ber.octets(_mac(ifname, device.name)),
            7: ber.integer(up),
            8: ber.integer(up),
        }
        for col, value in row.items():
            values[(*IF_ENTRY, col, i)] = value
        values[(*IFX_ENTRY, 1, i)] = ber.octets(ifname)
        values[(*IFX_ENTRY, 15, i)] = ber.unsigned(speed // 1_000_000, ber.GAUGE32)
        values[(*IFX_ENTRY, 18, i)] = ber.octets((iface.description if iface else None) or "")
        for addr in iface.addresses if iface is not None else ():
            ip = addr.address.ip
            key = tuple(ip.packed)
            values[(*IPADDR_ENTRY, 1, *key)] = ber.ip_address(ip)
            values[(*IPADDR_ENTRY, 2, *key)] = ber.integer(i)
            values[(*IPADDR_ENTRY, 3, *key)] = ber.ip_address(addr.address.netmask)
            values[(*IPADDR_ENTRY, 4, *key)] = ber.integer(1)
    for route in rib:
        for hop in route.next_hops:
            nh = hop.next_hop or _ZERO
            key = (
                *route.prefix.network_address.packed,
                *route.prefix.netmask.packed,
                0,
                *nh.packed,
            )
            route_type = 2 if route.null else 3 if hop.next_hop is None else 4
            row = {
                1: ber.ip_address(route.prefix.network_address),
                2: ber.ip_address(route.prefix.netmask),
                3: ber.integer(0),
                4: ber.ip_address(nh),
                5: ber.integer(index.get(hop.interface or "", 0)),
                6: ber.integer(route_type),
                7: ber.integer(ROUTE_PROTO.get(route.protocol, 1)),
                8: ber.integer(0),
                11: ber.integer(route.metric or 0),
                16: ber.integer(1),
            }
            for col, value in row.items():
                values[(*CIDR_ENTRY, col, *key)] = value
    return Mib(values)
