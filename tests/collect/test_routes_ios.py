"""IOS `show ip route` as real routers print it → the routes an engineer reads there, and the
forwarding decisions path tracing takes from them.

The fixture is written in IOS 15 / IOS-XE layout with everything real output has: the codes
legend, classful `is subnetted` headers whose children carry no mask, `variably subnetted`
headers whose children do, ECMP continuation lines (`[ad/metric] via ...` and
`is directly connected, ...`), recursive BGP next hops (`via IP` without an interface), Null0
routes in their three spellings, codes C/L/S/O/O E2/O IA/B/D EX, the IOS-XE `+` (replicated)
and `%` (next-hop override) flags, a prefix too long for its column (the rest of the route on
the next line), a `Routing Table: NAME` section and the prompt with the command left in the
saved file.
"""

from __future__ import annotations

from ipaddress import IPv4Address, IPv4Network

import pytest

from netaudit.collect.routes import parse_routing_table
from netaudit.errors import ConfigError
from netaudit.model import Device, Platform, RibRoute
from netaudit.network.fib import build_fib

SHOW_IP_ROUTE = """\
R1#show ip route
Codes: L - local, C - connected, S - static, R - RIP, M - mobile, B - BGP
       D - EIGRP, EX - EIGRP external, O - OSPF, IA - OSPF inter area
       N1 - OSPF NSSA external type 1, N2 - OSPF NSSA external type 2
       E1 - OSPF external type 1, E2 - OSPF external type 2
       i - IS-IS, su - IS-IS summary, L1 - IS-IS level-1, L2 - IS-IS level-2
       ia - IS-IS inter area, * - candidate default, U - per-user static route
       o - ODR, P - periodic downloaded static route, H - NHRP, l - LISP
       a - application route
       + - replicated route, % - next hop override, p - overrides from PfR

Gateway of last resort is 10.1.12.2 to network 0.0.0.0

S*    0.0.0.0/0 [1/0] via 10.1.12.2
      10.0.0.0/8 is variably subnetted, 9 subnets, 3 masks
C        10.1.12.0/24 is directly connected, GigabitEthernet0/0
L        10.1.12.1/32 is directly connected, GigabitEthernet0/0
C        10.1.13.0/24 is directly connected, GigabitEthernet0/1
L        10.1.13.1/32 is directly connected, GigabitEthernet0/1
O        10.2.0.0/16 [110/2] via 10.1.12.2, 00:13:21, GigabitEthernet0/0
                     [110/2] via 10.1.13.3, 00:13:21, GigabitEthernet0/1
O E2     10.12.11.0/24 [110/20] via 10.1.12.2, 00:13:21, GigabitEthernet0/0
O IA     10.30.0.0/16 [110/3] via 10.1.13.3, 1d02h, GigabitEthernet0/1
B        10.40.0.0/16 [200/0], 3w4d, Null0
S        10.50.0.0/16 is directly connected, Null0
      10.0.0.0/32 is subnetted, 2 subnets
C        10.255.0.1 is directly connected, Loopback0
S        10.255.0.9 [1/0] via 10.1.12.2
                    [1/0] via 10.1.13.3
      90.0.0.0/8 is variably subnetted, 3 subnets, 2 masks
C        90.90.90.0/24 is directly connected, GigabitEthernet2/0
                       is directly connected, GigabitEthernet3/0
L        90.90.90.1/32 is directly connected, GigabitEthernet2/0
L        90.90.90.2/32 is directly connected, GigabitEthernet3/0
      172.16.0.0/24 is subnetted, 2 subnets
B        172.16.128.0 [200/50] via 10.12.11.2, 00:11:37
B        172.16.200.0 [200/0] via 0.0.0.0, 00:12:22, Null0
B     198.51.100.0/24 [20/0] via 10.1.13.3, 2w0d
O E2  192.168.60.0/24 [110/20] via 10.1.13.3, 00:13:26, GigabitEthernet0/1
                      [110/20] via 10.1.12.2, 00:13:21, GigabitEthernet0/0
D EX  192.168.70.0/24
           [170/2297856] via 10.1.13.3, 00:12:01, GigabitEthernet0/1

Routing Table: CUST
Codes: L - local, C - connected, S - static, R - RIP, M - mobile, B - BGP
       + - replicated route, % - next hop override

Gateway of last resort is not set

      10.0.0.0/8 is variably subnetted, 2 subnets, 2 masks
C        10.9.9.0/24 is directly connected, GigabitEthernet4/0
L        10.9.9.1/32 is directly connected, GigabitEthernet4/0
B     203.0.113.0/24 [200/0] via 10.1.12.2 (default), 1d05h
B   + 10.7.0.0/16 [20/0] via 10.9.9.2, 00:05:00
O   % 10.8.0.0/16 [110/2] via 10.9.9.2, 00:05:00, GigabitEthernet4/0
R1#
"""


@pytest.fixture(scope="module")
def routes() -> dict[tuple[str, str], RibRoute]:
    parsed = parse_routing_table(SHOW_IP_ROUTE, "cisco_ios", "state/r1.routes")
    return {(r.vrf, r.prefix.with_prefixlen): r for r in parsed}


def _hops(route: RibRoute) -> list[tuple[str | None, str | None]]:
    return [(str(h.next_hop) if h.next_hop else None, h.interface) for h in route.next_hops]


def test_every_route_is_read_with_its_mask(routes: dict[tuple[str, str], RibRoute]) -> None:
    assert sorted(routes) == sorted(
        [
            ("default", p)
            for p in (
                "0.0.0.0/0",
                "10.1.12.0/24",
                "10.1.12.1/32",
                "10.1.13.0/24",
                "10.1.13.1/32",
                "10.2.0.0/16",
                "10.12.11.0/24",
                "10.30.0.0/16",
                "10.40.0.0/16",
                "10.50.0.0/16",
                # children of `10.0.0.0/32 is subnetted`: no mask on their lines
                "10.255.0.1/32",
                "10.255.0.9/32",
                "90.90.90.0/24",
                "90.90.90.1/32",
                "90.90.90.2/32",
                # children of `172.16.0.0/24 is subnetted`
                "172.16.128.0/24",
                "172.16.200.0/24",
                "198.51.100.0/24",
                "192.168.60.0/24",
                "192.168.70.0/24",
            )
        ]
        + [
            ("CUST", p)
            for p in ("10.7.0.0/16", "10.8.0.0/16", "10.9.9.0/24", "10.9.9.1/32", "203.0.113.0/24")
        ]
    )


def test_codes_become_protocols_with_their_distance(
    routes: dict[tuple[str, str], RibRoute],
) -> None:
    def proto(prefix: str) -> tuple[str, int | None]:
        r = routes[("default", prefix)]
        return (r.protocol, r.preference)

    assert proto("10.1.12.0/24") == ("connected", 0)
    assert proto("10.1.12.1/32") == ("local", 0)
    assert proto("0.0.0.0/0") == ("static", 1)
    assert proto("10.2.0.0/16") == ("ospf", 110)
    assert proto("10.12.11.0/24") == ("ospf", 110)  # O E2
    assert proto("10.30.0.0/16") == ("ospf", 110)  # O IA
    assert proto("172.16.128.0/24") == ("bgp", 200)  # iBGP
    assert proto("198.51.100.0/24") == ("bgp", 20)  # eBGP
    assert proto("192.168.70.0/24") == ("eigrp", 170)  # D EX
    assert routes[("default", "10.2.0.0/16")].metric == 2


def test_ecmp_continuation_lines_belong_to_the_route_above(
    routes: dict[tuple[str, str], RibRoute],
) -> None:
    assert _hops(routes[("default", "10.2.0.0/16")]) == [
        ("10.1.12.2", "GigabitEthernet0/0"),
        ("10.1.13.3", "GigabitEthernet0/1"),
    ]
    assert _hops(routes[("default", "10.255.0.9/32")]) == [("10.1.12.2", None), ("10.1.13.3", None)]
    assert _hops(routes[("default", "192.168.60.0/24")]) == [
        ("10.1.13.3", "GigabitEthernet0/1"),
        ("10.1.12.2", "GigabitEthernet0/0"),
    ]
    # A connected subnet on two interfaces (Batfish prints this; the ntc-templates template
    # drops the second line).
    assert _hops(routes[("default", "90.90.90.0/24")]) == [
        (None, "GigabitEthernet2/0"),
        (None, "GigabitEthernet3/0"),
    ]


def test_recursive_null_and_wrapped_routes(routes: dict[tuple[str, str], RibRoute]) -> None:
    bgp = routes[("default", "172.16.128.0/24")]
    assert _hops(bgp) == [("10.12.11.2", None)]  # recursive: no interface
    assert not bgp.null
    for prefix in ("10.40.0.0/16", "10.50.0.0/16", "172.16.200.0/24"):
        route = routes[("default", prefix)]
        assert route.null, prefix
        assert _hops(route) == [(None, "Null0")], prefix  # `via 0.0.0.0` is no next hop
    assert routes[("default", "10.50.0.0/16")].protocol == "static"
    assert _hops(routes[("default", "192.168.70.0/24")]) == [("10.1.13.3", "GigabitEthernet0/1")]


def test_vrf_section_and_next_hop_in_another_vrf(
    routes: dict[tuple[str, str], RibRoute],
) -> None:
    leak = routes[("CUST", "203.0.113.0/24")]
    assert leak.vrf == "CUST"
    assert [(str(h.next_hop), h.interface, h.vrf) for h in leak.next_hops] == [
        ("10.1.12.2", None, "default")
    ]


def test_each_route_names_its_own_line(routes: dict[tuple[str, str], RibRoute]) -> None:
    lines = SHOW_IP_ROUTE.splitlines()
    for route in routes.values():
        assert route.source is not None
        assert route.source.file == "state/r1.routes"
        assert lines[route.source.line - 1].strip() == route.source.text
    bgp = routes[("default", "172.16.128.0/24")].source
    assert bgp is not None and bgp.text.startswith("B        172.16.128.0 [200/50]")
    wrapped = routes[("default", "192.168.70.0/24")].source
    assert wrapped is not None and wrapped.text.startswith("[170/2297856] via 10.1.13.3")


def test_tracing_resolves_recursive_next_hops_and_expands_ecmp() -> None:
    device = Device("r1", Platform.CISCO_IOS, "configs/r1.cfg", hostname="r1")
    device.rib = parse_routing_table(SHOW_IP_ROUTE, "cisco_ios", "state/r1.routes")
    fib = build_fib(device)

    def forwards(ip: str, vrf: str = "default") -> list[tuple[str | None, str | None]]:
        lookup = fib.lookup(IPv4Address(ip), vrf)
        return [(f.interface, str(f.arp_ip) if f.arp_ip else None) for f in lookup.forwards]

    # B 172.16.128.0 via 10.12.11.2 → O E2 10.12.11.0/24 via 10.1.12.2 on Gi0/0.
    assert forwards("172.16.128.7") == [("GigabitEthernet0/0", "10.1.12.2")]
    chain = fib.lookup(IPv4Address("172.16.128.7")).forwards[0].routes
    assert [r.prefix for r in chain] == [
        IPv4Network("172.16.128.0/24"),
        IPv4Network("10.12.11.0/24"),
    ]
    # S 10.255.0.9 via two next hops, each resolved through a connected subnet.
    assert forwards("10.255.0.9") == [
        ("GigabitEthernet0/0", "10.1.12.2"),
        ("GigabitEthernet0/1", "10.1.13.3"),
    ]
    assert forwards("172.16.200.1") == [(None, None)]  # null-routed
    assert fib.lookup(IPv4Address("10.1.12.1")).local
    # The VRF's route resolves its next hop in the default table.
    assert forwards("203.0.113.9", "CUST") == [("GigabitEthernet0/0", "10.1.12.2")]


def test_an_unknown_line_is_an_error_naming_it() -> None:
    broken = SHOW_IP_ROUTE.replace(
        "O IA     10.30.0.0/16", "O IA     10.30.0.0/16 [110/3] frobnicated\nX?? what"
    )
    with pytest.raises(
        ConfigError, match=r"state/r1.routes:\d+: routing-table line not understood"
    ):
        parse_routing_table(broken, "cisco_ios", "state/r1.routes")
