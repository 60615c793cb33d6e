"""Internet exits of each kind, the lines that prove them, and HA-pair grouping."""

from __future__ import annotations

from ipaddress import IPv4Network

from netaudit.model import Platform
from netaudit.network.exits import ExitKind, find_exits, group_exits

from .conftest import Net


def _exits(net: Net, space: list[str] | None = None) -> dict[str, tuple[ExitKind, ...]]:
    internal = None if space is None else [IPv4Network(p) for p in space]
    devices = [b.device for b in net.builders.values()]
    return {e.key: e.kinds for e in find_exits(devices, internal)}


def test_public_address_is_an_exit_but_not_on_loopback_or_shut(net: Net) -> None:
    (
        net.device("fw", Platform.HUAWEI)
        .iface("GE1/0/1", "203.0.113.2/29")
        .iface("GE1/0/2", "198.51.100.2/30", shutdown=True)
        .iface("LoopBack0", "198.51.100.9/32")
        .iface("GE1/0/3", "10.1.0.1/24")
    )
    assert _exits(net) == {"fw:GE1/0/1": (ExitKind.PUBLIC_ADDRESS,)}
    (exit_,) = find_exits([net["fw"].device])
    assert [s.text for s in exit_.sources] == [" ip address 203.0.113.2/29"]


def test_city_internal_space_decides_what_is_public(net: Net) -> None:
    net.device("r1").iface("Gi0/0", "192.168.1.1/24")
    assert _exits(net) == {}
    assert _exits(net, ["10.0.0.0/8"]) == {"r1:Gi0/0": (ExitKind.PUBLIC_ADDRESS,)}


def test_dialer_cellular_and_pppoe_interfaces_are_exits(net: Net) -> None:
    (
        net.device("r1")
        .iface("Dialer0", dialer=True)
        .iface("Cellular0/0")
        .iface("Gi0/1", pppoe=True)
        .iface("Gi0/2", "10.0.0.1/24")
    )
    assert _exits(net) == {
        "r1:Cellular0/0": (ExitKind.DIAL_UP,),
        "r1:Dialer0": (ExitKind.DIAL_UP,),
        "r1:Gi0/1": (ExitKind.DIAL_UP,),
    }


def test_default_route_to_a_public_next_hop_marks_its_out_interface(net: Net) -> None:
    (
        net.device("r1", Platform.HUAWEI)
        .iface("GE0/0/1", "10.200.0.2/30")
        .iface("GE0/0/2", "10.201.0.2/30")
        .route("0.0.0.0/0", "203.0.113.1", "GE0/0/1")
        .route("10.0.0.0/8", "10.201.0.1")
    )
    (exit_,) = find_exits([net["r1"].device])
    assert (exit_.key, exit_.kinds) == ("r1:GE0/0/1", (ExitKind.DEFAULT_ROUTE,))
    assert [s.text for s in exit_.sources] == ["ip route 0.0.0.0/0 GE0/0/1 203.0.113.1"]


def test_default_route_to_an_internal_next_hop_is_not_an_exit(net: Net) -> None:
    net.device("r1").iface("Gi0/0", "10.200.0.2/30").route("0.0.0.0/0", "10.200.0.1")
    assert _exits(net) == {}


def test_outbound_nat_toward_a_public_next_hop(net: Net) -> None:
    (
        net.device("r1", Platform.HUAWEI)
        .iface("GE0/0/1", "10.200.0.2/30")
        .iface("GE0/0/2", "10.201.0.2/30")
        .route("198.51.100.0/24", "198.51.100.1", "GE0/0/1")
        .route("0.0.0.0/0", "10.201.0.1")
        .snat(interface="GE0/0/1", acl="2000")
        .snat(interface="GE0/0/2", acl="2000")  # NAT toward an internal next hop: no exit
    )
    (exit_,) = find_exits([net["r1"].device])
    assert (exit_.key, exit_.kinds) == ("r1:GE0/0/1", (ExitKind.OUTBOUND_NAT,))
    texts = [s.text for s in exit_.sources]
    assert "nat outbound 2000" in texts
    assert "ip route 198.51.100.0/24 GE0/0/1 198.51.100.1" in texts


def test_ios_nat_outside_with_public_address_has_every_reason(net: Net) -> None:
    (
        net.device("gw")
        .iface("Gi0/0", "10.0.1.1/24", nat_inside=True)
        .iface("Gi0/1", "203.0.113.2/29", nat_outside=True)
        .route("0.0.0.0/0", "203.0.113.1")
        .snat(acl="NAT", interface="Gi0/1")
    )
    assert _exits(net) == {
        "gw:Gi0/1": (ExitKind.PUBLIC_ADDRESS, ExitKind.OUTBOUND_NAT, ExitKind.DEFAULT_ROUTE)
    }


def test_ha_pair_on_one_isp_subnet_is_one_exit_group(net: Net) -> None:
    for name, last in (("fw1", 2), ("fw2", 3)):
        (
            net.device(name, Platform.HUAWEI)
            .iface("GE1/0/1", f"203.0.113.{last}/29")
            .route("0.0.0.0/0", "203.0.113.1")
        )
    net["fw1"].iface("Dialer1", dialer=True)  # a backup line of its own
    devices = [b.device for b in net.builders.values()]
    groups = group_exits(find_exits(devices))
    assert [[m.key for m in g.members] for g in groups] == [
        ["fw1:Dialer1"],
        ["fw1:GE1/0/1", "fw2:GE1/0/1"],
    ]
    assert groups[1].shared == ("next hop 203.0.113.1", "subnet 203.0.113.0/29")


def test_ha_pair_sharing_only_the_public_next_hop_is_grouped(net: Net) -> None:
    for name, sub in (("fw1", 1), ("fw2", 2)):
        (
            net.device(name, Platform.HUAWEI)
            .iface("GE1/0/1", f"10.20{sub}.0.2/30")
            .route("0.0.0.0/0", "203.0.113.1", "GE1/0/1")
        )
    net.device("fw3", Platform.HUAWEI).iface("GE1/0/1", "10.203.0.2/30").route(
        "0.0.0.0/0", "198.51.100.1", "GE1/0/1"
    )
    devices = [b.device for b in net.builders.values()]
    groups = group_exits(find_exits(devices))
    assert [len(g.members) for g in groups] == [2, 1]
    assert groups[0].shared == ("next hop 203.0.113.1",)


def test_dhcp_client_wan_port_with_nat_or_a_dhcp_default_is_an_exit(net: Net) -> None:
    # A broadband router: the WAN address comes by DHCP, so no public address is ever seen.
    net.device("nat").iface("Gi0/0", "10.0.1.1/24", nat_inside=True).iface(
        "Gi0/1", nat_outside=True
    ).snat(acl="1", interface="Gi0/1")
    net.device("dflt").iface("Gi0/0", "10.0.2.1/24").iface("Gi0/1").route(
        "0.0.0.0/0", None, "Gi0/1"
    )
    # DHCP toward an internal network: default via an internal next hop, no NAT
    net.device("inner").iface("Gi0/0", "10.0.3.1/24").iface("Gi0/1").route(
        "0.0.0.0/0", "10.0.9.1", "Gi0/1"
    )
    net.device("plain").iface("Gi0/0", "10.0.4.1/24").iface("Gi0/1")  # DHCP only
    for name in ("nat", "dflt", "inner", "plain"):
        net[name].device.interfaces["Gi0/1"].dhcp_client = True
    exits = _exits(net)
    assert exits == {
        "dflt:Gi0/1": (ExitKind.DHCP_CLIENT,),
        "nat:Gi0/1": (ExitKind.DHCP_CLIENT, ExitKind.OUTBOUND_NAT),
    }
