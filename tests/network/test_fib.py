"""Forwarding tables: connected, static (preference, recursion, null, leaking) and RIB."""

from __future__ import annotations

from ipaddress import IPv4Address, IPv4Network

from netaudit.model import Platform
from netaudit.network.fib import build_fib

from .conftest import Net

IP = IPv4Address


def _router(net: Net, platform: Platform = Platform.CISCO_IOS) -> None:
    (
        net.device("r1", platform)
        .iface("Gi0/0", "10.0.1.1/24")
        .iface("Gi0/1", "10.0.12.1/30")
        .iface("Gi0/2", "10.0.13.1/30")
        .iface("Gi0/3", "10.0.14.1/30", shutdown=True)
    )


def _forwards(net: Net, dst: str, vrf: str = "default") -> list[tuple[str | None, str | None]]:
    fib = build_fib(net["r1"].device)
    return [
        (f.interface, None if f.arp_ip is None else str(f.arp_ip))
        for f in fib.lookup(IP(dst), vrf).forwards
    ]


def test_connected_and_local_routes_come_from_up_interfaces(net: Net) -> None:
    _router(net)
    fib = build_fib(net["r1"].device)
    assert fib.lookup(IP("10.0.1.77")).route.protocol == "connected"  # type: ignore[union-attr]
    assert fib.lookup(IP("10.0.1.1")).local
    assert fib.lookup(IP("10.0.14.2")).route is None  # Gi0/3 is shut
    assert _forwards(net, "10.0.1.77") == [("Gi0/0", "10.0.1.77")]


def test_equal_static_routes_are_ecmp_and_lower_preference_wins(net: Net) -> None:
    _router(net)
    net["r1"].route("10.9.0.0/16", "10.0.12.2").route("10.9.0.0/16", "10.0.13.2")
    net["r1"].route("10.8.0.0/16", "10.0.12.2").route("10.8.0.0/16", "10.0.13.2", preference=200)
    assert _forwards(net, "10.9.1.1") == [("Gi0/1", "10.0.12.2"), ("Gi0/2", "10.0.13.2")]
    assert _forwards(net, "10.8.1.1") == [("Gi0/1", "10.0.12.2")]


def test_huawei_default_preference_loses_to_an_explicit_lower_one(net: Net) -> None:
    _router(net, Platform.HUAWEI)
    net["r1"].route("0.0.0.0/0", "10.0.12.2").route("0.0.0.0/0", "10.0.13.2", preference=10)
    assert _forwards(net, "198.51.100.7") == [("Gi0/2", "10.0.13.2")]


def test_recursive_next_hop_resolves_through_other_routes(net: Net) -> None:
    _router(net)
    net["r1"].route("10.50.0.0/16", "10.60.0.1").route("10.60.0.0/16", "10.0.12.2")
    fib = build_fib(net["r1"].device)
    (fwd,) = fib.lookup(IP("10.50.3.3")).forwards
    assert (fwd.interface, fwd.arp_ip) == ("Gi0/1", IP("10.0.12.2"))
    assert [str(r.prefix) for r in fwd.routes] == ["10.50.0.0/16", "10.60.0.0/16", "10.0.12.0/30"]
    assert fwd.routes[0].sources[0].text == "ip route 10.50.0.0/16 10.60.0.1"


def test_interface_only_route_arps_for_the_destination_and_null_route_drops(net: Net) -> None:
    _router(net)
    net["r1"].route("10.70.0.0/16", None, "Gi0/2").route("10.80.0.0/16", null=True)
    assert _forwards(net, "10.70.1.1") == [("Gi0/2", "10.70.1.1")]
    assert _forwards(net, "10.80.1.1") == [(None, None)]


def test_static_routes_that_cannot_forward_are_inactive_with_a_reason(net: Net) -> None:
    _router(net)
    net["r1"].route("10.90.0.0/16", "10.200.0.1")  # next hop on no subnet
    net["r1"].route("10.91.0.0/16", None, "Gi0/3")  # shut interface
    fib = build_fib(net["r1"].device)
    assert fib.lookup(IP("10.90.0.1")).route is None
    reasons = sorted(r.reason for r in fib.inactive)
    assert reasons == ["next hop 10.200.0.1 unresolvable", "out-interface Gi0/3 shut down"]


def test_static_route_leaks_into_another_vrf(net: Net) -> None:
    net.device("r1", Platform.HUAWEI).iface("Gi0/0", "10.1.0.1/24", vrf="A").iface(
        "Gi0/1", "10.2.0.1/24"
    )
    net["r1"].route("10.2.0.0/24", "10.2.0.2", vrf="A", next_hop_vrf="default")
    assert _forwards(net, "10.2.0.9", "A") == [("Gi0/1", "10.2.0.2")]
    assert _forwards(net, "10.1.0.9", "default") == []


def test_rib_replaces_config_routes_and_expands_ecmp_at_every_level(net: Net) -> None:
    _router(net)
    net["r1"].route("10.99.0.0/16", "10.0.1.254")  # ignored: the RIB wins
    net["r1"].rib(
        ("10.0.12.0/30", "connected", [(None, "Gi0/1")]),
        ("10.0.13.0/30", "connected", [(None, "Gi0/2")]),
        ("10.1.1.0/24", "ospf", [("10.0.12.2", "Gi0/1"), ("10.0.13.2", "Gi0/2")]),
        ("10.2.2.0/24", "ospf", [("10.0.13.2", "Gi0/2")]),
        ("10.99.0.0/16", "bgp", [("10.1.1.1", None), ("10.2.2.2", None)]),
    )
    # 10.1.1.1 resolves two ways, 10.2.2.2 one way that duplicates one of them: merged.
    assert _forwards(net, "10.99.5.5") == [("Gi0/1", "10.0.12.2"), ("Gi0/2", "10.0.13.2")]
    assert _forwards(net, "10.0.1.5") == []  # the RIB has no route for Gi0/0's subnet


def test_rib_null_route_and_huawei_direct_rows(net: Net) -> None:
    net.device("r1", Platform.HUAWEI).iface("Vlanif10", "10.5.0.1/24")
    net["r1"].rib(
        ("10.5.0.0/24", "direct", [("10.5.0.1", "Vlanif10")]),  # VRP prints its own address
        ("10.5.0.1/32", "direct", [("127.0.0.1", "Vlanif10")]),
        ("10.6.0.0/16", "static", [(None, "Null0")]),
    )
    fib = build_fib(net["r1"].device)
    assert [(f.interface, str(f.arp_ip)) for f in fib.lookup(IP("10.5.0.9")).forwards] == [
        ("Vlanif10", "10.5.0.9")
    ]
    assert fib.lookup(IP("10.5.0.1")).local
    assert fib.lookup(IP("10.6.1.1")).forwards[0].null
    assert fib.route(IPv4Network("10.6.0.0/16")) is not None
