"""Routing tables: real-format outputs of each platform parse to the routes an engineer reads
there, and what the simulator prints parses back to the routing table it was printed from."""

from __future__ import annotations

from ipaddress import IPv4Address, IPv4Network
from pathlib import Path

import pytest

from netaudit.collect.routes import parse_routing_table, route_keys
from netaudit.errors import ConfigError
from netaudit.model import Platform, RibRoute
from netaudit.simulate.render import device_rib, render_routes
from tests.collect.devices import sample_device

HERE = Path(__file__).parent / "routes"


def _by_prefix(routes: list[RibRoute]) -> dict[str, RibRoute]:
    return {r.prefix.with_prefixlen: r for r in routes}


def test_huawei_real_output() -> None:
    routes = _by_prefix(parse_routing_table((HERE / "huawei.txt").read_text(), "huawei"))
    default = routes["0.0.0.0/0"]
    assert default.protocol == "static" and default.preference == 60
    assert default.next_hops[0].next_hop == IPv4Address("10.62.0.254")
    assert default.next_hops[0].interface == "GigabitEthernet0/0/1"
    # ECMP continuation lines (no destination) belong to the route above them.
    assert [h.next_hop for h in routes["10.70.0.0/16"].next_hops] == [
        IPv4Address("10.62.0.2"),
        IPv4Address("10.62.0.3"),
    ]
    assert routes["10.70.0.0/16"].protocol == "ospf"
    assert routes["10.99.0.0/16"].protocol == "ospf"  # O_ASE
    assert routes["10.200.0.0/16"].null
    # The device's own address: a Direct route via 127.0.0.1.
    assert routes["10.62.0.1/32"].protocol == "local"
    assert routes["10.62.0.0/24"].protocol == "connected"
    assert routes["10.62.0.0/24"].next_hops[0].next_hop is None


def test_comware_real_output_expands_interface_abbreviations() -> None:
    routes = _by_prefix(parse_routing_table((HERE / "hp_comware.txt").read_text(), "hp_comware"))
    assert routes["0.0.0.0/0"].next_hops[0].interface == "Vlan-interface2"
    assert routes["172.22.9.0/30"].next_hops[0].interface == "Ten-GigabitEthernet1/0/49"
    assert len(routes["10.70.0.0/16"].next_hops) == 2
    assert routes["172.22.0.10/32"].protocol == "local"
    assert routes["224.0.0.0/4"].null


def test_ios_real_output_with_subnetted_headers() -> None:
    routes = _by_prefix(parse_routing_table((HERE / "cisco_ios.txt").read_text(), "cisco_ios"))
    # The mask of `10.70.0.0` comes from its "is subnetted" header line.
    assert routes["10.70.0.0/16"].protocol == "ospf"
    assert routes["10.70.0.0/16"].preference == 110
    assert routes["10.70.0.0/16"].next_hops[0].interface == "GigabitEthernet0/0"
    assert routes["10.200.0.0/16"].null
    assert routes["172.21.10.1/32"].protocol == "local"
    assert routes["0.0.0.0/0"].next_hops[0].next_hop == IPv4Address("172.21.255.1")
    assert set(routes) == {
        "0.0.0.0/0",
        "10.70.0.0/16",
        "10.200.0.0/16",
        "172.21.10.0/24",
        "172.21.10.1/32",
        "172.21.255.0/30",
        "172.21.255.2/32",
    }


def test_ruijie_real_output_joins_spaced_interface_names() -> None:
    routes = _by_prefix(parse_routing_table((HERE / "ruijie_os.txt").read_text(), "ruijie_os"))
    assert routes["10.63.0.0/24"].next_hops[0].interface == "GigabitEthernet0/1"
    assert routes["172.23.10.0/24"].next_hops[0].interface == "VLAN10"
    assert routes["10.63.0.1/32"].protocol == "local"
    assert routes["10.99.0.0/16"].protocol == "ospf"
    assert routes["10.70.0.0/16"].next_hops[0].next_hop == IPv4Address("10.63.0.2")


@pytest.mark.parametrize("platform", list(Platform))
def test_simulated_table_parses_back(platform: Platform) -> None:
    device = sample_device(platform)
    rib = device_rib(device)
    text = render_routes(platform, rib)
    parsed = parse_routing_table(text, platform)
    assert route_keys(parsed) == route_keys(rib)
    prefixes = {r.prefix for r in parsed}
    # Shut interfaces give no route; statics through them fall back to recursion or vanish.
    assert IPv4Network("10.9.9.0/24") not in prefixes
    assert IPv4Network("0.0.0.0/0") in prefixes
    ecmp = next(r for r in parsed if r.prefix == IPv4Network("10.61.0.0/16"))
    assert {h.next_hop for h in ecmp.next_hops} == {
        IPv4Address("172.21.10.2"),
        IPv4Address("172.21.10.3"),
    }


@pytest.mark.parametrize("platform", list(Platform))
def test_garbage_is_an_error_naming_the_line(platform: Platform) -> None:
    text = (
        "Destination/Mask    Proto   Pre  Cost\n"
        "0.0.0.0/0 [1/0] via 10.1.1.1\n"
        "C     10.1.1.0/24 is directly connected, Gi0/1\n"
        "this is not a routing table %%%\n"
    )
    with pytest.raises(ConfigError, match=r"<ssh>"):
        parse_routing_table(text, platform)
