"""Topology inference and plane classification."""

from __future__ import annotations

from ipaddress import IPv4Address, IPv4Network

from netaudit.model import Platform
from netaudit.network.planes import INTERNAL, INTERNET, PlaneMap
from netaudit.network.topology import IfaceRef, Link

from .conftest import Net


def _lan(net: Net) -> None:
    net.device("r1").iface("Gi0/0", "10.0.0.1/24").iface("Lo0", "10.9.9.1/32")
    net.device("r2").iface("Gi0/0", "10.0.0.2/24").iface("Gi0/1", "10.0.23.1/30")
    net.device("r3").iface("Gi0/0", "10.0.0.3/24", shutdown=True).iface("Gi0/1", "10.0.23.2/30")


def test_links_are_inferred_from_shared_subnets_without_shut_or_loopback(net: Net) -> None:
    _lan(net)
    topo = net.topology()
    assert topo.links() == [
        Link("r1", "Gi0/0", "r2", "Gi0/0"),
        Link("r2", "Gi0/1", "r3", "Gi0/1"),
    ]
    assert topo.neighbors("r1", "Gi0/0") == [IfaceRef("r2", "Gi0/0")]
    assert topo.neighbors("r1", "Lo0") == []


def test_shut_interface_owns_nothing(net: Net) -> None:
    _lan(net)
    topo = net.topology()
    assert topo.owners(IPv4Address("10.0.0.3")) == []
    assert [o.device for o in topo.owners(IPv4Address("10.0.0.2"))] == ["r2"]
    assert [o.device for o in topo.on_subnet(IPv4Network("10.0.0.0/24"))] == ["r1", "r2"]


def test_explicit_link_joins_unnumbered_interfaces(net: Net) -> None:
    net.device("a").iface("Tunnel0")
    net.device("b").iface("Tunnel0")
    net.link("a:Tunnel0", "b:Tunnel0")
    topo = net.topology()
    assert topo.neighbors("a", "Tunnel0") == [IfaceRef("b", "Tunnel0")]
    assert topo.next_hop_owners("b", "Tunnel0", IPv4Address("10.1.1.1")) == [
        IfaceRef("a", "Tunnel0")
    ]


def test_duplicate_address_on_two_devices_is_reported_not_fatal(net: Net) -> None:
    net.device("as2border2").iface("Loopback0", "2.1.1.2/32")
    net.device("as2dept1").iface("Loopback0", "2.1.1.2/32")
    topo = net.topology()
    dup = topo.duplicate_addresses()
    assert list(dup) == [IPv4Address("2.1.1.2")]
    assert [o.device for o in dup[IPv4Address("2.1.1.2")]] == ["as2border2", "as2dept1"]


def test_planes_most_specific_prefix_wins_then_internal_or_internet() -> None:
    planes = PlaneMap(
        {
            "office": [IPv4Network("172.21.10.0/24")],
            "extranet": [IPv4Network("172.21.0.0/16")],
            "intranet": [IPv4Network("10.61.0.0/16")],
            "platform-intranet": [IPv4Network("10.0.0.0/16")],
        }
    )
    assert planes.classify(IPv4Address("172.21.10.7")) == "office"
    assert planes.classify(IPv4Address("172.21.99.7")) == "extranet"
    assert planes.classify(IPv4Address("10.0.3.1")) == "platform-intranet"
    assert planes.classify(IPv4Address("10.77.0.1")) == INTERNAL
    assert planes.classify(IPv4Address("100.64.1.1")) == INTERNAL  # CGNAT space is internal
    assert planes.classify(IPv4Address("203.0.113.9")) == INTERNET


def test_planes_use_the_city_internal_space_and_classify_interfaces(net: Net) -> None:
    planes = PlaneMap({}, internal_space=[IPv4Network("10.0.0.0/8")])
    assert planes.classify(IPv4Address("192.168.1.1")) == INTERNET
    net.device("r1", Platform.HUAWEI).iface("Vlanif10", "10.1.1.1/24").iface("Vlanif20")
    device = net["r1"].device
    assert planes.classify_interface(device.interfaces["Vlanif10"]) == INTERNAL
    assert planes.classify_interface(device.interfaces["Vlanif20"]) is None
