"""Router behaviours Batfish's example network exercises, each on tiny real IOS configs parsed
by the real parser (issue 10, "router fidelity"; these run without the oracle folder).

    10.0.13.0/24            10.0.12.0/24
  r3 Gi0/0 ──── Gi0/1 r1 Gi0/0 ──── Gi0/0 r2 ── Gi0/1 10.2.1.0/24 (hosts, not inventoried)
  Gi0/1 10.5.0.0/24     Gi0/3 172.16.5.0/24 (LAN)   Gi0/2 10.0.99.0/24 (shut)

r1 filters: named extended ``EDGE_IN`` in on Gi0/1 (``host`` forms, ``eq`` with a port name and
a number, ``range``), numbered ``101`` out on Gi0/0. 10.2.0.1 is Loopback0 of r2 *and*
Loopback1 of r3 (a duplicated address, as 2.1.1.2 in the example network).
"""

from __future__ import annotations

from ipaddress import IPv4Address

import pytest

from netaudit.network.flow import Flow, Protocol
from netaudit.network.topology import Topology
from netaudit.network.trace import (
    AmbiguousStartError,
    StartLocation,
    Tracer,
    TraceResult,
    resolve_start,
)
from netaudit.vendors.base import parse_bytes

from .oracle_helpers import PathKey, oracle_paths

R1 = b"""hostname r1
!
interface Loopback0
 ip address 10.255.0.1 255.255.255.255
!
interface GigabitEthernet0/0
 ip address 10.0.12.1 255.255.255.0
 ip access-group 101 out
!
interface GigabitEthernet0/1
 ip address 10.0.13.1 255.255.255.0
 ip access-group EDGE_IN in
!
interface GigabitEthernet0/2
 ip address 10.0.99.1 255.255.255.0
 shutdown
!
interface GigabitEthernet0/3
 ip address 172.16.5.1 255.255.255.0
!
ip route 10.2.0.0 255.255.0.0 10.0.12.2
ip route 10.2.0.0 255.255.0.0 10.0.99.9
ip route 10.3.0.0 255.255.0.0 10.0.13.3
ip route 10.5.0.0 255.255.255.0 10.0.13.3
ip route 10.9.0.0 255.255.0.0 Null0
!
ip access-list extended EDGE_IN
 deny   tcp any host 10.255.0.1 eq 22
 permit tcp host 10.0.13.3 any eq www
 deny   udp 10.3.0.0 0.0.255.255 any range 5000 6000
 permit ip any any
!
access-list 101 deny   tcp any 10.2.0.0 0.0.255.255 eq telnet
access-list 101 permit ip any any
!
end
"""

R2 = b"""hostname r2
!
interface Loopback0
 ip address 10.2.0.1 255.255.255.255
!
interface GigabitEthernet0/0
 ip address 10.0.12.2 255.255.255.0
!
interface GigabitEthernet0/1
 ip address 10.2.1.1 255.255.255.0
!
ip route 0.0.0.0 0.0.0.0 10.0.12.1
!
end
"""

R3 = b"""hostname r3
!
interface Loopback0
 ip address 10.3.0.1 255.255.255.255
!
interface Loopback1
 ip address 10.2.0.1 255.255.255.255
!
interface GigabitEthernet0/0
 ip address 10.0.13.3 255.255.255.0
!
interface GigabitEthernet0/1
 ip address 10.5.0.1 255.255.255.0
!
ip route 0.0.0.0 0.0.0.0 10.0.13.1
!
end
"""

G0, G1, G2, G3 = (f"GigabitEthernet0/{i}" for i in range(4))


@pytest.fixture(scope="module")
def tracer() -> Tracer:
    devices = [
        parse_bytes(text, "cisco_ios", f"configs/{name}.cfg", name)
        for name, text in (("r1", R1), ("r2", R2), ("r3", R3))
    ]
    return Tracer(Topology(devices))


def _flow(src: str, dst: str, proto: str = "udp", dport: int | None = 33434) -> Flow:
    sport = None if proto == "ip" else 49152
    return Flow(IPv4Address(src), IPv4Address(dst), Protocol(proto), sport, dport)


def _paths(result: TraceResult) -> frozenset[PathKey]:
    return oracle_paths(result.to_data())


def _decided_by(result: TraceResult) -> str:
    [path] = result.paths
    last = path.hops[-1].rules[-1]
    assert last.source is not None
    return last.source.text.strip()


def test_local_delivery_is_accepted_on_any_own_address(tracer: Tracer) -> None:
    enter = StartLocation("r1", G1)
    for own in ("10.255.0.1", "10.0.12.1", "172.16.5.1"):
        result = tracer.trace(_flow("10.0.13.3", own), enter)
        assert _paths(result) == {((("r1", G1, None),), "accepted")}, own


def test_named_inbound_acl_host_forms_and_ports(tracer: Tracer) -> None:
    enter = StartLocation("r1", G1)
    ssh = tracer.trace(_flow("10.0.13.3", "10.255.0.1", "tcp", 22), enter)
    assert _paths(ssh) == {((("r1", G1, None),), "denied_in")}
    assert _decided_by(ssh) == "deny   tcp any host 10.255.0.1 eq 22"
    web = tracer.trace(_flow("10.0.13.3", "10.2.1.5", "tcp", 80), enter)  # `eq www`
    assert {d for _, d in _paths(web)} == {"delivered_to_subnet"}
    assert web.paths[0].hops[0].rules[0].source is not None
    assert (
        web.paths[0].hops[0].rules[0].source.text.strip() == "permit tcp host 10.0.13.3 any eq www"
    )
    in_range = tracer.trace(_flow("10.3.0.7", "10.2.1.5", "udp", 5500), enter)
    assert _paths(in_range) == {((("r1", G1, None),), "denied_in")}
    assert _decided_by(in_range) == "deny   udp 10.3.0.0 0.0.255.255 any range 5000 6000"
    above = tracer.trace(_flow("10.3.0.7", "10.2.1.5", "udp", 6001), enter)
    assert {d for _, d in _paths(above)} == {"delivered_to_subnet"}


def test_numbered_outbound_acl_filters_transit_traffic(tracer: Tracer) -> None:
    enter = StartLocation("r1", G1)
    telnet = tracer.trace(_flow("10.0.13.3", "10.2.1.5", "tcp", 23), enter)
    assert _paths(telnet) == {((("r1", G1, G0),), "denied_out")}
    assert _decided_by(telnet) == "access-list 101 deny   tcp any 10.2.0.0 0.0.255.255 eq telnet"
    ssh = tracer.trace(_flow("10.0.13.3", "10.2.1.5", "tcp", 22), enter)
    assert _paths(ssh) == {((("r1", G1, G0), ("r2", G0, G1)), "delivered_to_subnet")}


def test_ios_does_not_apply_an_outbound_acl_to_traffic_it_originates(tracer: Tracer) -> None:
    telnet = tracer.trace(_flow("10.255.0.1", "10.2.1.5", "tcp", 23), StartLocation("r1"))
    assert _paths(telnet) == {((("r1", None, G0), ("r2", G0, G1)), "delivered_to_subnet")}


def test_delivered_to_subnet_when_no_inventoried_device_owns_the_address(tracer: Tracer) -> None:
    result = tracer.trace(_flow("10.0.13.3", "172.16.5.20"), StartLocation("r1", G1))
    assert _paths(result) == {((("r1", G1, G3),), "delivered_to_subnet")}
    [path] = result.paths
    assert path.exit is not None and path.exit.interface == G3


def test_shut_interface_has_no_connected_route_and_its_statics_are_inactive(
    tracer: Tracer,
) -> None:
    on_shut = tracer.trace(_flow("10.0.13.3", "10.0.99.9"), StartLocation("r1", G1))
    assert _paths(on_shut) == {((("r1", G1, None),), "no_route")}
    # `ip route 10.2.0.0/16 10.0.99.9` cannot resolve: one path (via r2), not ECMP.
    to_r2 = tracer.trace(_flow("10.0.13.3", "10.2.1.5"), StartLocation("r1", G1))
    assert _paths(to_r2) == {((("r1", G1, G0), ("r2", G0, G1)), "delivered_to_subnet")}


def test_null_route(tracer: Tracer) -> None:
    result = tracer.trace(_flow("10.0.13.3", "10.9.1.1"), StartLocation("r1", G1))
    assert _paths(result) == {((("r1", G1, None),), "null_routed")}


def test_duplicated_address_on_two_devices(tracer: Tracer) -> None:
    # Routed to r2 by r1's static route; r3 accepts its own copy.
    via_r1 = tracer.trace(_flow("10.255.0.1", "10.2.0.1"), StartLocation("r1"))
    assert _paths(via_r1) == {((("r1", None, G0), ("r2", G0, None)), "accepted")}
    own = tracer.trace(_flow("10.3.0.1", "10.2.0.1"), StartLocation("r3"))
    assert _paths(own) == {((("r3", None, None),), "accepted")}
    with pytest.raises(AmbiguousStartError) as info:
        resolve_start(tracer.topology, IPv4Address("10.2.0.1"))
    assert [str(c) for c in info.value.candidates] == ["r2", "r3"]


def test_hairpin_in_and_out_the_same_interface(tracer: Tracer) -> None:
    """A packet from r3's side for 10.5.0.0/24 goes back out r1 Gi0/1 toward r3."""
    result = tracer.trace(_flow("10.0.13.50", "10.5.0.9"), StartLocation("r1", G1))
    assert _paths(result) == {((("r1", G1, G1), ("r3", G0, G1)), "delivered_to_subnet")}
