"""`display ip routing-table` (Huawei VRP5, VRP8, H3C Comware 5 and 7) and RGOS `show ip route`
as the devices print them → the routes an engineer reads there, and what tracing does with them.

Fixtures are written in each platform's real layout: VRP's `Route Flags` legend and `Flags`
column (`RD` relay + download), the device's own addresses as `Direct` via 127.0.0.1, ECMP rows
that repeat protocol/preference/cost (VRP, Comware 5) or print only next hop and interface
(Comware 7), Comware 7's abbreviated interface names, recursive BGP rows printed with their
original next hop and the resolved out-interface, NULL0 routes, RGOS's spaced interface names
(`GigabitEthernet 0/1`) and `is local host.` rows, and the prompt left in a saved file.
"""

from __future__ import annotations

from ipaddress import IPv4Address, IPv4Interface

import pytest

from netaudit.collect.routes import parse_routing_table
from netaudit.errors import ConfigError
from netaudit.model import (
    Device,
    Interface,
    InterfaceAddress,
    InterfaceKind,
    Platform,
    RibRoute,
    Source,
)
from netaudit.network.fib import build_fib

VRP5 = """\
<yanta-core>display ip routing-table
Route Flags: R - relay, D - download to fib
------------------------------------------------------------------------------
Routing Tables: Public
         Destinations : 12       Routes : 13

Destination/Mask    Proto   Pre  Cost      Flags NextHop         Interface

        0.0.0.0/0   Static  60   0          RD   10.62.0.254     GigabitEthernet0/0/1
       10.62.0.0/24 Direct  0    0           D   10.62.0.1       GigabitEthernet0/0/1
       10.62.0.1/32 Direct  0    0           D   127.0.0.1       GigabitEthernet0/0/1
     10.62.0.255/32 Direct  0    0           D   127.0.0.1       GigabitEthernet0/0/1
       10.62.1.0/24 Direct  0    0           D   10.62.1.1       GigabitEthernet0/0/2
       10.62.9.9/32 OSPF    10   2           D   10.62.0.2       GigabitEthernet0/0/1
       10.70.0.0/16 OSPF    10   2           D   10.62.0.2       GigabitEthernet0/0/1
                    OSPF    10   2           D   10.62.1.2       GigabitEthernet0/0/2
       10.80.0.0/16 IBGP    255  0          RD   10.62.9.9       GigabitEthernet0/0/1
       10.99.0.0/16 O_ASE   150  1           D   10.62.0.2       GigabitEthernet0/0/1
      10.200.0.0/16 Static  60   0           D   0.0.0.0         NULL0
      127.0.0.0/8   Direct  0    0           D   127.0.0.1       InLoopBack0
      127.0.0.1/32  Direct  0    0           D   127.0.0.1       InLoopBack0
<yanta-core>
"""

VRP8 = """\
<HUAWEI>display ip routing-table
Proto: Protocol        Pre: Preference
Route Flags: R - relay, D - download to fib, T - to vpn-instance, B - black hole route
------------------------------------------------------------------------------
Routing Table : _public_
         Destinations : 7        Routes : 8

Destination/Mask    Proto   Pre  Cost        Flags NextHop         Interface

        0.0.0.0/0   Static  60   0             RD  172.21.255.1    Vlanif100
       10.70.0.0/16 OSPF    10   3             D   172.21.255.1    Vlanif100
                    OSPF    10   3             D   172.21.254.1    Eth-Trunk1
      172.21.10.0/24 Direct 0    0             D   172.21.10.1     Vlanif10
     172.21.10.1/32 Direct  0    0             D   127.0.0.1       Vlanif10
    172.21.254.0/30 Direct  0    0             D   172.21.254.2    Eth-Trunk1
    172.21.255.0/30 Direct  0    0             D   172.21.255.2    Vlanif100
"""

COMWARE5 = """\
<H3C>display ip routing-table
Routing Tables: Public
        Destinations : 7        Routes : 8

Destination/Mask    Proto  Pre  Cost         NextHop         Interface

0.0.0.0/0           Static 60   0            172.22.0.1      Vlan-interface2
10.70.0.0/16        OSPF   10   2            172.22.0.2      Vlan-interface2
                    OSPF   10   2            172.22.1.2      GigabitEthernet1/0/24
127.0.0.0/8         Direct 0    0            127.0.0.1       InLoopBack0
127.0.0.1/32        Direct 0    0            127.0.0.1       InLoopBack0
172.22.0.0/24       Direct 0    0            172.22.0.10     Vlan-interface2
172.22.0.10/32      Direct 0    0            127.0.0.1       InLoopBack0
172.22.1.0/30       Direct 0    0            172.22.1.1      GigabitEthernet1/0/24
"""

COMWARE7 = """\
<weiyang-core>display ip routing-table

Destinations : 10       Routes : 11

Destination/Mask   Proto   Pre Cost        NextHop         Interface
0.0.0.0/0          Static  60  0           172.22.0.1      Vlan2
10.70.0.0/16       O_INTRA 10  2           172.22.0.2      Vlan2
                                           172.22.9.2      XGE1/0/49
10.80.0.0/16       BGP     255 0           10.255.0.7      Vlan2
10.255.0.7/32      O_INTRA 10  1           172.22.0.2      Vlan2
127.0.0.0/8        Direct  0   0           127.0.0.1       InLoop0
127.0.0.1/32       Direct  0   0           127.0.0.1       InLoop0
172.22.0.0/24      Direct  0   0           172.22.0.10     Vlan2
172.22.0.10/32     Direct  0   0           127.0.0.1       InLoop0
172.22.9.0/30      Direct  0   0           172.22.9.1      XGE1/0/49
224.0.0.0/4        Direct  0   0           0.0.0.0         NULL0
"""

RGOS = """\
Ruijie#show ip route

Codes:  C - Connected, L - Local, S - Static
        R - RIP, O - OSPF, B - BGP, I - IS-IS, V - Overflow route
        N1 - OSPF NSSA external type 1, N2 - OSPF NSSA external type 2
        E1 - OSPF external type 1, E2 - OSPF external type 2
        SU - IS-IS summary, L1 - IS-IS level-1, L2 - IS-IS level-2
        IA - Inter area, EV - BGP EVPN, A - Arp to host
        * - candidate default

Gateway of last resort is 10.63.0.254 to network 0.0.0.0
S*    0.0.0.0/0 [1/0] via 10.63.0.254
C     10.63.0.0/24 is directly connected, GigabitEthernet 0/1
C     10.63.0.1/32 is local host.
C     10.63.1.0/24 is directly connected, GigabitEthernet 0/2
L     10.63.1.1/32 is directly connected, GigabitEthernet 0/2
O     10.70.0.0/16 [110/2] via 10.63.0.2, 00:10:11, GigabitEthernet 0/1
                   [110/2] via 10.63.1.2, 00:10:11, GigabitEthernet 0/2
O E2  10.99.0.0/16 [110/20] via 10.63.0.2, 00:10:11, GigabitEthernet 0/1
B     10.80.0.0/16 [200/0] via 10.70.0.9, 01:02:03
S     10.200.0.0/16 is directly connected, Null 0
C     172.23.10.0/24 is directly connected, VLAN 10
C     172.23.10.1/32 is local host.
"""


def _parse(text: str, platform: str) -> dict[str, RibRoute]:
    return {r.prefix.with_prefixlen: r for r in parse_routing_table(text, platform, "rt")}


def _hops(route: RibRoute) -> list[tuple[str | None, str | None]]:
    return [(str(h.next_hop) if h.next_hop else None, h.interface) for h in route.next_hops]


def test_vrp5_rows_flags_ecmp_and_own_addresses() -> None:
    routes = _parse(VRP5, "huawei")
    assert len(routes) == 12  # the `Destinations : 12` the device printed
    assert sum(len(r.next_hops) for r in routes.values()) == 13  # `Routes : 13`
    assert (routes["0.0.0.0/0"].protocol, routes["0.0.0.0/0"].preference) == ("static", 60)
    assert _hops(routes["10.70.0.0/16"]) == [
        ("10.62.0.2", "GigabitEthernet0/0/1"),
        ("10.62.1.2", "GigabitEthernet0/0/2"),
    ]
    assert routes["10.99.0.0/16"].protocol == "ospf"  # O_ASE
    assert (routes["10.80.0.0/16"].protocol, routes["10.80.0.0/16"].preference) == ("bgp", 255)
    assert routes["10.62.0.1/32"].protocol == "local"  # Direct via 127.0.0.1
    assert routes["10.62.0.0/24"].protocol == "connected"
    assert _hops(routes["10.62.0.0/24"]) == [(None, "GigabitEthernet0/0/1")]
    assert routes["10.200.0.0/16"].null
    source = routes["10.80.0.0/16"].source
    assert source is not None and source.line == 17
    assert VRP5.splitlines()[16].strip() == source.text


def test_vrpv8_public_table() -> None:
    routes = _parse(VRP8, "huawei_vrpv8")
    assert len(routes) == 6
    assert _hops(routes["10.70.0.0/16"]) == [
        ("172.21.255.1", "Vlanif100"),
        ("172.21.254.1", "Eth-Trunk1"),
    ]
    assert routes["172.21.10.1/32"].protocol == "local"
    assert routes["172.21.10.0/24"].next_hops[0].interface == "Vlanif10"


def test_comware5_full_interface_names_and_repeated_ecmp_columns() -> None:
    routes = _parse(COMWARE5, "hp_comware")
    assert len(routes) == 7
    assert _hops(routes["10.70.0.0/16"]) == [
        ("172.22.0.2", "Vlan-interface2"),
        ("172.22.1.2", "GigabitEthernet1/0/24"),
    ]
    assert routes["172.22.0.10/32"].protocol == "local"


def test_comware7_abbreviations_and_bare_ecmp_rows() -> None:
    routes = _parse(COMWARE7, "hp_comware")
    assert len(routes) == 10
    assert _hops(routes["10.70.0.0/16"]) == [
        ("172.22.0.2", "Vlan-interface2"),
        ("172.22.9.2", "Ten-GigabitEthernet1/0/49"),
    ]
    assert routes["10.70.0.0/16"].protocol == "ospf"  # O_INTRA
    assert routes["172.22.0.10/32"].protocol == "local"
    assert routes["224.0.0.0/4"].null
    assert routes["10.80.0.0/16"].protocol == "bgp"


def test_rgos_spaced_names_local_host_and_ecmp() -> None:
    routes = _parse(RGOS, "ruijie_os")
    assert len(routes) == 11
    assert _hops(routes["10.63.0.0/24"]) == [(None, "GigabitEthernet0/1")]
    assert routes["10.63.0.1/32"].protocol == "local"  # `is local host.`
    assert routes["10.63.1.1/32"].protocol == "local"  # RGOS 11 `L` rows
    assert _hops(routes["10.70.0.0/16"]) == [
        ("10.63.0.2", "GigabitEthernet0/1"),
        ("10.63.1.2", "GigabitEthernet0/2"),
    ]
    assert _hops(routes["10.80.0.0/16"]) == [("10.70.0.9", None)]  # recursive
    assert routes["10.200.0.0/16"].null
    assert _hops(routes["172.23.10.0/24"]) == [(None, "VLAN10")]


def _device(platform: Platform, ifaces: dict[str, str]) -> Device:
    device = Device("d", platform, "configs/d.cfg", hostname="d")
    for n, (name, address) in enumerate(ifaces.items(), 1):
        src = Source("configs/d.cfg", n, f"interface {name}")
        iface = Interface(name, InterfaceKind.ETHERNET, src)
        iface.addresses.append(InterfaceAddress(IPv4Interface(address), False, src))
        device.interfaces[name] = iface
    return device


@pytest.mark.parametrize(
    ("text", "platform", "ifaces", "expected"),
    [
        (
            VRP5,
            Platform.HUAWEI,
            {"GigabitEthernet0/0/1": "10.62.0.1/24", "GigabitEthernet0/0/2": "10.62.1.1/24"},
            [("GigabitEthernet0/0/1", "10.62.0.2")],
        ),
        (
            COMWARE7,
            Platform.HP_COMWARE,
            {"Vlan-interface2": "172.22.0.10/24", "Ten-GigabitEthernet1/0/49": "172.22.9.1/30"},
            [("Vlan-interface2", "172.22.0.2")],
        ),
    ],
    ids=["vrp5", "comware7"],
)
def test_recursive_rows_with_an_interface_resolve_their_next_hop(
    text: str, platform: Platform, ifaces: dict[str, str], expected: list[tuple[str, str]]
) -> None:
    """A BGP row shows its original next hop (not on any subnet of the interface): tracing
    must ARP for the resolved next hop, not for the BGP one."""
    device = _device(platform, ifaces)
    device.rib = parse_routing_table(text, platform, "rt")
    lookup = build_fib(device).lookup(IPv4Address("10.80.1.1"))
    assert [(f.interface, str(f.arp_ip)) for f in lookup.forwards] == expected


@pytest.mark.parametrize(
    ("text", "platform"),
    [(VRP5, "huawei"), (VRP8, "huawei_vrpv8"), (COMWARE7, "hp_comware"), (RGOS, "ruijie_os")],
)
def test_an_unknown_row_is_an_error_naming_its_line(text: str, platform: str) -> None:
    lines = text.splitlines()
    lines.insert(len(lines) - 1, "  10.1.0.0/16 ??? garbage here")
    with pytest.raises(ConfigError, match=r"^rt:\d+: "):
        parse_routing_table("\n".join(lines) + "\n", platform, "rt")
