"""A Huawei VPN instance literally named ``default`` is its own VRF, not the global table.

VRP accepts `ip vpn-instance default` (only `_public_` is reserved); the model's global table
is also called ``default``, so the parser keeps the instance apart (``CONFIGURED_DEFAULT_VRF``).
"""

from __future__ import annotations

from ipaddress import IPv4Address, IPv4Network

import pytest

from netaudit.model import CONFIGURED_DEFAULT_VRF, DEFAULT_VRF, Device
from netaudit.network.fib import build_fib
from netaudit.network.flow import Flow, Protocol
from netaudit.network.topology import Topology
from netaudit.network.trace import Disposition, StartLocation, Tracer
from netaudit.vendors.base import parse_bytes

EDGE = b"""#
 sysname edge
#
ip vpn-instance default
 ipv4-family
  route-distinguisher 65000:9
#
interface GigabitEthernet0/0/1
 ip address 10.1.1.1 255.255.255.0
#
interface GigabitEthernet0/0/2
 ip binding vpn-instance default
 ip address 10.9.9.1 255.255.255.0
#
 ip route-static vpn-instance default 172.16.0.0 255.255.0.0 10.9.9.254
#
return
"""

LAN = StartLocation("edge", "GigabitEthernet0/0/1")
VPN = StartLocation("edge", "GigabitEthernet0/0/2")


@pytest.fixture(scope="module")
def edge() -> Device:
    return parse_bytes(EDGE, "huawei", "configs/edge.cfg")


def _flow(src: str, dst: str) -> Flow:
    return Flow(IPv4Address(src), IPv4Address(dst), Protocol.TCP, 40000, 443)


def test_bound_interface_and_route_stay_out_of_the_global_table(edge: Device) -> None:
    assert edge.interfaces["GigabitEthernet0/0/2"].vrf == CONFIGURED_DEFAULT_VRF
    assert list(edge.vrfs) == [CONFIGURED_DEFAULT_VRF]
    fib = build_fib(edge)
    assert fib.lookup(IPv4Address("10.9.9.5"), DEFAULT_VRF).route is None
    assert fib.lookup(IPv4Address("172.16.1.1"), DEFAULT_VRF).route is None
    assert fib.route(IPv4Network("172.16.0.0/16"), CONFIGURED_DEFAULT_VRF) is not None


def test_global_lan_cannot_reach_the_vpn_instance(edge: Device) -> None:
    result = Tracer(Topology([edge])).trace(_flow("10.1.1.10", "10.9.9.5"), LAN)
    assert {p.disposition for p in result.paths} == {Disposition.NO_ROUTE}


def test_the_vpn_instance_reaches_its_own_subnet_and_route(edge: Device) -> None:
    tracer = Tracer(Topology([edge]))
    (subnet,) = tracer.trace(_flow("10.9.9.10", "10.9.9.5"), VPN).paths
    assert subnet.disposition is Disposition.DELIVERED_TO_SUBNET
    (routed,) = tracer.trace(_flow("10.9.9.10", "172.16.1.1"), VPN).paths
    assert routed.hops[0].out_interface == "GigabitEthernet0/0/2"
    assert routed.hops[0].routes[0].sources[0].line == 15
