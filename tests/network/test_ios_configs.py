"""Tracing over a tiny IOS config parsed by the real parser: numbered ACLs, NAT, exits."""

from __future__ import annotations

from ipaddress import IPv4Address

import pytest

from netaudit.model import Device
from netaudit.network.exits import ExitKind, find_exits
from netaudit.network.flow import Flow, Protocol
from netaudit.network.nat import NatKind
from netaudit.network.topology import Topology
from netaudit.network.trace import Disposition, StartLocation, Tracer
from netaudit.vendors.base import parse_bytes

GW = b"""hostname gw
!
interface GigabitEthernet0/0
 ip address 10.0.1.1 255.255.255.0
 ip access-group 101 in
 ip nat inside
!
interface GigabitEthernet0/1
 ip address 203.0.113.2 255.255.255.248
 ip nat outside
!
interface GigabitEthernet0/2
 ip address 10.0.2.1 255.255.255.0
 shutdown
!
ip nat inside source list 1 interface GigabitEthernet0/1 overload
ip nat inside source static tcp 10.0.1.80 8080 203.0.113.3 80
ip route 0.0.0.0 0.0.0.0 203.0.113.1
!
access-list 1 permit 10.0.1.0 0.0.0.255
access-list 101 deny   tcp any host 198.51.100.7 eq 23
access-list 101 permit ip any any
!
end
"""

LAN = StartLocation("gw", "GigabitEthernet0/0")
WAN = StartLocation("gw", "GigabitEthernet0/1")


@pytest.fixture(scope="module")
def gw() -> Device:
    return parse_bytes(GW, "cisco_ios", "configs/gw.cfg")


def _tcp(src: str, dst: str, dport: int) -> Flow:
    return Flow(IPv4Address(src), IPv4Address(dst), Protocol.TCP, 40000, dport)


def test_office_traffic_leaves_nat_ed_through_the_exit(gw: Device) -> None:
    result = Tracer(Topology([gw])).trace(_tcp("10.0.1.10", "198.51.100.7", 443), LAN)
    (path,) = result.paths
    assert path.disposition is Disposition.EXITS_NETWORK and path.reaches_internet
    assert path.exit is not None and path.exit.key == "gw:GigabitEthernet0/1"
    assert str(path.flow.src) == "203.0.113.2"
    assert path.hops[0].nat[0].source.line == 16


def test_numbered_acl_denies_telnet_with_its_line(gw: Device) -> None:
    result = Tracer(Topology([gw])).trace(_tcp("10.0.1.10", "198.51.100.7", 23), LAN)
    (path,) = result.paths
    assert path.disposition is Disposition.DENIED_IN
    hit = path.decided_by
    assert hit is not None and hit.source is not None
    assert (hit.source.file, hit.source.line) == ("configs/gw.cfg", 21)


def test_static_nat_publishes_the_inside_server(gw: Device) -> None:
    result = Tracer(Topology([gw])).trace(_tcp("198.51.100.7", "203.0.113.3", 80), WAN)
    (path,) = result.paths
    assert path.disposition is Disposition.DELIVERED_TO_SUBNET
    assert path.hops[0].out_interface == "GigabitEthernet0/0"
    assert (str(path.flow.dst), path.flow.dport) == ("10.0.1.80", 8080)
    assert [n.kind for n in path.hops[0].nat] == [NatKind.DESTINATION]


def test_shut_subnet_falls_to_the_default_route(gw: Device) -> None:
    result = Tracer(Topology([gw])).trace(_tcp("10.0.1.10", "10.0.2.5", 22), LAN)
    (path,) = result.paths
    assert path.hops[0].out_interface == "GigabitEthernet0/1"
    assert path.disposition is Disposition.EXITS_NETWORK


def test_exit_found_with_every_reason(gw: Device) -> None:
    (exit_,) = find_exits([gw])
    assert exit_.key == "gw:GigabitEthernet0/1"
    assert exit_.kinds == (
        ExitKind.PUBLIC_ADDRESS,
        ExitKind.OUTBOUND_NAT,
        ExitKind.DEFAULT_ROUTE,
    )
    assert [s.line for s in exit_.sources] == [9, 16, 18]
