"""Small hand-built device models (no parser needed) for routing-table and SNMP tests."""

from __future__ import annotations

from ipaddress import IPv4Address, IPv4Interface, IPv4Network

from netaudit.model import (
    Device,
    Interface,
    InterfaceAddress,
    InterfaceKind,
    Platform,
    Source,
    StaticRoute,
)

NAMES = {
    Platform.HUAWEI: ("GigabitEthernet0/0/1", "Vlanif10", "LoopBack0", "GigabitEthernet0/0/2"),
    Platform.HUAWEI_VRPV8: ("GE1/0/1", "Vlanif10", "LoopBack0", "GE1/0/2"),
    Platform.HP_COMWARE: (
        "GigabitEthernet1/0/1",
        "Vlan-interface10",
        "LoopBack0",
        "Ten-GigabitEthernet1/0/49",
    ),
    Platform.CISCO_IOS: ("GigabitEthernet0/0", "Vlan10", "Loopback0", "GigabitEthernet0/1"),
    Platform.RUIJIE_OS: ("GigabitEthernet0/1", "VLAN10", "Loopback0", "TenGigabitEthernet0/49"),
}


def _src(line: int) -> Source:
    return Source("test.cfg", line, "")


def sample_device(platform: Platform, name: str = "r1") -> Device:
    """Uplink /30, a /24 VLAN, a /32 loopback, a shut interface; default, ECMP, null statics."""
    up, vlan, loop, shut = NAMES[platform]

    def iface(
        n: str, kind: InterfaceKind, addr: str, line: int, shutdown: bool = False
    ) -> Interface:
        return Interface(
            name=n,
            kind=kind,
            source=_src(line),
            addresses=[InterfaceAddress(IPv4Interface(addr), False, _src(line + 1))],
            shutdown=shutdown,
        )

    dev = Device(name=name, platform=platform, file="test.cfg", hostname=name)
    for i in (
        iface(up, InterfaceKind.ETHERNET, "10.1.255.2/30", 10),
        iface(vlan, InterfaceKind.VLAN, "172.21.10.1/24", 20),
        iface(loop, InterfaceKind.LOOPBACK, "10.255.0.1/32", 30),
        iface(shut, InterfaceKind.ETHERNET, "10.9.9.1/24", 40, shutdown=True),
    ):
        dev.interfaces[i.name] = i
    dev.static_routes = [
        StaticRoute(IPv4Network("0.0.0.0/0"), _src(50), next_hop=IPv4Address("10.1.255.1")),
        StaticRoute(IPv4Network("10.61.0.0/16"), _src(51), next_hop=IPv4Address("172.21.10.2")),
        StaticRoute(IPv4Network("10.61.0.0/16"), _src(52), next_hop=IPv4Address("172.21.10.3")),
        StaticRoute(IPv4Network("10.200.0.0/16"), _src(53), interface="NULL0", null=True),
        StaticRoute(IPv4Network("10.7.0.0/16"), _src(54), next_hop=IPv4Address("10.9.9.2")),
    ]
    return dev
