"""Path tracing on small topologies: every disposition, ECMP, NAT, ACLs, zone policy."""

from __future__ import annotations

import json
from ipaddress import IPv4Address, IPv4Network

import pytest

from netaudit.errors import UsageError
from netaudit.model import Action, AddressMatch, AddressSet, Firewall, Platform, Source
from netaudit.network.filters import FilterStage, Verdict, any_address_matches
from netaudit.network.flow import Flow
from netaudit.network.nat import NatKind
from netaudit.network.planes import InternalSpace
from netaudit.network.trace import (
    AmbiguousStartError,
    Disposition,
    NoStartError,
    StartLocation,
)
from netaudit.policy.analysis import NetworkAnalysis

from .conftest import Net, path_set

D = Disposition


def _diamond(net: Net) -> None:
    """r1 reaches r4's loopback two ways, via r2 and via r3 (equal-cost statics)."""
    (
        net.device("r1")
        .iface("Gi0/0", "10.0.1.1/24")
        .iface("Gi0/1", "10.0.12.1/30")
        .iface("Gi0/2", "10.0.13.1/30")
        .route("10.9.9.4/32", "10.0.12.2")
        .route("10.9.9.4/32", "10.0.13.2")
        .route("10.4.0.0/24", "10.0.12.2")
    )
    (
        net.device("r2")
        .iface("Gi0/0", "10.0.12.2/30")
        .iface("Gi0/1", "10.0.24.1/30")
        .route("10.9.9.4/32", "10.0.24.2")
        .route("10.4.0.0/24", "10.0.24.2")
        .route("10.0.1.0/24", "10.0.12.1")
    )
    (
        net.device("r3")
        .iface("Gi0/0", "10.0.13.2/30")
        .iface("Gi0/1", "10.0.34.1/30")
        .route("10.9.9.4/32", "10.0.34.2")
    )
    (
        net.device("r4")
        .iface("Gi0/0", "10.0.24.2/30")
        .iface("Gi0/1", "10.0.34.2/30")
        .iface("Gi0/2", "10.4.0.1/24")
        .iface("Loopback0", "10.9.9.4/32")
    )


def test_ecmp_returns_every_path(net: Net) -> None:
    _diamond(net)
    result = net.trace("10.0.1.10", "10.9.9.4", "r1:Gi0/0")
    assert path_set(result) == {
        (
            (("r1", "Gi0/0", "Gi0/1"), ("r2", "Gi0/0", "Gi0/1"), ("r4", "Gi0/0", None)),
            "accepted",
        ),
        (
            (("r1", "Gi0/0", "Gi0/2"), ("r3", "Gi0/0", "Gi0/1"), ("r4", "Gi0/1", None)),
            "accepted",
        ),
    }
    first_hop = result.paths[0].hops[0]
    assert first_hop.routes[0].sources[0].text == "ip route 10.9.9.4/32 10.0.12.2"
    assert first_hop.routes[0].sources[1].text == "ip route 10.9.9.4/32 10.0.13.2"


def test_local_delivery_and_delivered_to_subnet(net: Net) -> None:
    _diamond(net)
    accepted = net.trace("10.0.1.10", "10.0.24.1", "r1:Gi0/0")
    assert [p.disposition for p in accepted.paths] == [D.NO_ROUTE]  # r1 has no route to it
    own = net.trace("10.0.1.10", "10.0.12.1", "r1:Gi0/0")
    assert path_set(own) == {((("r1", "Gi0/0", None),), "accepted")}
    lan = net.trace("10.0.1.10", "10.4.0.50", "r1:Gi0/0")
    assert path_set(lan) == {
        (
            (("r1", "Gi0/0", "Gi0/1"), ("r2", "Gi0/0", "Gi0/1"), ("r4", "Gi0/0", "Gi0/2")),
            "delivered_to_subnet",
        )
    }


def test_shut_interface_breaks_one_ecmp_branch(net: Net) -> None:
    _diamond(net)
    net["r2"].device.interfaces["Gi0/1"].shutdown = True
    result = net.trace("10.0.1.10", "10.9.9.4", "r1:Gi0/0")
    assert {(p.hops[-1].device, p.disposition) for p in result.paths} == {
        ("r2", D.NO_ROUTE),
        ("r4", D.ACCEPTED),
    }


def test_routing_loop_is_detected(net: Net) -> None:
    net.device("r1").iface("Gi0/0", "10.0.12.1/30").route("0.0.0.0/0", "10.0.12.2")
    net.device("r2").iface("Gi0/0", "10.0.12.2/30").route("0.0.0.0/0", "10.0.12.1")
    result = net.trace("10.0.12.1", "10.77.0.1")
    (path,) = result.paths
    assert result.start == StartLocation("r1", None, "default")
    assert path.disposition is D.LOOP
    assert [(h.device, h.in_interface) for h in path.hops] == [
        ("r1", None),
        ("r2", "Gi0/0"),
        ("r1", "Gi0/0"),
        ("r2", "Gi0/0"),
    ]


def test_acl_deny_names_the_rule_and_its_line(net: Net) -> None:
    _diamond(net)
    net["r2"].acl("BLOCK", "deny tcp any host 10.9.9.4 eq 23", "permit ip any any")
    net["r2"].device.interfaces["Gi0/0"].acl_in = "BLOCK"
    telnet = net.trace("10.0.1.10", "10.9.9.4", "r1:Gi0/0", protocol="tcp", dport=23)
    denied = [p for p in telnet.paths if p.disposition is D.DENIED_IN]
    assert len(denied) == 1 and len(telnet.paths) == 2
    hit = denied[0].decided_by
    assert hit is not None and hit.rule == "10" and hit.stage is FilterStage.ACL_IN
    assert hit.source is not None and hit.source.text == " 10 deny tcp any host 10.9.9.4 eq 23"
    assert denied[0].hops[-1].out_interface is None
    ssh = net.trace("10.0.1.10", "10.9.9.4", "r1:Gi0/0", protocol="tcp", dport=22)
    assert ssh.dispositions == {D.ACCEPTED}


def test_implicit_deny_and_undefined_acl(net: Net) -> None:
    _diamond(net)
    net["r2"].acl("ONLY-WEB", "permit tcp any any eq 443")
    net["r2"].device.interfaces["Gi0/0"].acl_in = "ONLY-WEB"
    net["r3"].device.interfaces["Gi0/0"].acl_in = "MISSING"
    result = net.trace("10.0.1.10", "10.9.9.4", "r1:Gi0/0", protocol="udp", dport=53)
    by_device = {p.hops[1].device: p for p in result.paths}
    assert by_device["r2"].disposition is D.DENIED_IN
    assert "implicit deny" in by_device["r2"].reason
    assert by_device["r3"].disposition is D.ACCEPTED
    missing = by_device["r3"].hops[1].rules[0]
    assert missing.verdict is Verdict.PERMIT and "not defined" in missing.note


def test_ios_outbound_acl_skips_router_originated_traffic(net: Net) -> None:
    _diamond(net)
    net["r1"].acl("NOTHING-OUT", "deny ip any any")
    for name in ("Gi0/1", "Gi0/2"):
        net["r1"].device.interfaces[name].acl_out = "NOTHING-OUT"
    originated = net.trace("10.0.12.1", "10.9.9.4", "r1")
    assert originated.dispositions == {D.ACCEPTED}
    transit = net.trace("10.0.1.10", "10.9.9.4", "r1:Gi0/0")
    assert transit.dispositions == {D.DENIED_OUT}
    assert {p.hops[-1].out_interface for p in transit.paths} == {"Gi0/1", "Gi0/2"}


def test_huawei_outbound_acl_filters_originated_traffic(net: Net) -> None:
    net.device("h1", Platform.HUAWEI).iface("GE0/0/1", "10.0.12.1/30", acl_out="3000")
    net["h1"].acl("3000", "deny ip any any", default=Action.PERMIT)
    net.device("h2", Platform.HUAWEI).iface("GE0/0/1", "10.0.12.2/30")
    result = net.trace("10.0.12.1", "10.0.12.2", "h1")
    assert path_set(result) == {((("h1", None, "GE0/0/1"),), "denied_out")}


def test_null_route(net: Net) -> None:
    _diamond(net)
    net["r1"].route("10.50.0.0/16", null=True)
    result = net.trace("10.0.1.10", "10.50.1.1", "r1:Gi0/0")
    (path,) = result.paths
    assert path.disposition is D.NULL_ROUTED
    assert path.hops[-1].out_interface is None
    assert path.hops[-1].routes[0].prefix.compressed == "10.50.0.0/16"


def test_vrf_leak_by_static_route(net: Net) -> None:
    pe = net.device("pe", Platform.HUAWEI)
    pe.iface("GE0/0/0", "10.1.0.1/24", vrf="A").iface("GE0/0/1", "10.2.0.1/24")
    net.device("srv", Platform.HUAWEI).iface("GE0/0/0", "10.2.0.2/24")
    without = net.trace("10.1.0.5", "10.2.0.2", "pe:GE0/0/0")
    assert without.dispositions == {D.NO_ROUTE}
    pe.route("10.2.0.0/24", "10.2.0.2", vrf="A", next_hop_vrf="default")
    leaked = net.trace("10.1.0.5", "10.2.0.2", "pe:GE0/0/0")
    assert path_set(leaked) == {
        ((("pe", "GE0/0/0", "GE0/0/1"), ("srv", "GE0/0/0", None)), "accepted")
    }
    assert leaked.paths[0].hops[0].vrf == "A"


def test_hairpin_in_and_out_the_same_interface(net: Net) -> None:
    net.device("r1").iface("Gi0/0", "10.0.0.1/24").route("10.9.0.0/16", "10.0.0.2")
    net.device("r2").iface("Gi0/0", "10.0.0.2/24").iface("Loopback0", "10.9.9.9/32")
    result = net.trace("10.0.0.10", "10.9.9.9", "r1:Gi0/0")
    assert path_set(result) == {
        ((("r1", "Gi0/0", "Gi0/0"), ("r2", "Gi0/0", None)), "accepted"),
    }


def test_duplicated_address_does_not_crash_and_shows_both(net: Net) -> None:
    net.device("r1").iface("Gi0/0", "10.0.0.1/24").route("10.9.0.0/16", "10.0.0.2")
    net.device("r2").iface("Gi0/0", "10.0.0.2/24").iface("Loopback0", "10.9.9.9/32")
    net.device("r3").iface("Gi0/0", "10.0.0.2/24").iface("Loopback0", "10.9.9.9/32")
    result = net.trace("10.0.0.1", "10.9.9.9", "r1")
    assert {p.hops[-1].device for p in result.paths} == {"r2", "r3"}
    assert result.dispositions == {D.ACCEPTED}


def test_unknown_device_on_the_path(net: Net) -> None:
    _diamond(net)
    result = net.trace("10.0.1.10", "10.9.9.4", "r1:Gi0/0", unknown_devices={"r3"})
    assert {(p.hops[-1].device, p.disposition) for p in result.paths} == {
        ("r3", D.UNKNOWN),
        ("r4", D.ACCEPTED),
    }


def test_next_hop_on_an_unparsed_device_is_unknown_not_an_exit(net: Net) -> None:
    net.device("r1").iface("Gi0/0", "10.0.1.1/24").iface("Gi0/1", "10.0.9.1/30")
    net["r1"].route("0.0.0.0/0", "10.0.9.2")
    unparsed = {IPv4Address("10.0.9.2"): "broken-fw"}
    result = net.trace("10.0.1.10", "198.51.100.7", "r1:Gi0/0", unknown_addresses=unparsed)
    assert path_set(result) == {
        ((("r1", "Gi0/0", "Gi0/1"), ("broken-fw", None, None)), "unknown"),
    }


def test_uninventoried_next_hop_exits_network_or_lacks_information(net: Net) -> None:
    net.device("r1").iface("Gi0/0", "10.0.1.1/24").iface("Gi0/1", "10.0.9.1/30")
    net["r1"].route("10.200.0.0/16", "10.0.9.2").route("10.0.5.0/24", "10.0.9.2")
    net.device("r5").iface("Gi0/0", "10.0.5.1/24")
    away = net.trace("10.0.1.10", "10.200.1.1", "r1:Gi0/0")
    (path,) = away.paths
    assert path.disposition is D.EXITS_NETWORK
    assert path.exit is not None and path.exit.key == "r1:Gi0/1"
    assert not path.exit.internet_exit and not path.reaches_internet
    inside = net.trace("10.0.1.10", "10.0.5.9", "r1:Gi0/0")
    assert inside.dispositions == {D.INSUFFICIENT_INFO}


def _edge(net: Net, default_permit: bool | None) -> None:
    """office core → firewall (trust/untrust) → ISP 203.0.113.1."""
    (
        net.device("core", Platform.HUAWEI)
        .iface("Vlanif10", "10.10.0.1/24")
        .iface("GE0/0/1", "10.255.0.1/30")
        .route("0.0.0.0/0", "10.255.0.2")
    )
    (
        net.device("fw", Platform.HUAWEI)
        .iface("GE1/0/1", "10.255.0.2/30")
        .iface("GE1/0/2", "203.0.113.2/29")
        .route("0.0.0.0/0", "203.0.113.1")
        .route("10.10.0.0/16", "10.255.0.1")
        .firewall(default_permit, ("trust", ["GE1/0/1"]), ("untrust", ["GE1/0/2"]))
        .policy("web", "permit", "trust", "untrust", service=("tcp", 443))
    )


def test_default_route_through_a_firewall_zone_policy_permit(net: Net) -> None:
    _edge(net, default_permit=False)
    web = net.trace("10.10.0.5", "198.51.100.7", "core:Vlanif10", protocol="tcp", dport=443)
    (path,) = web.paths
    assert path.disposition is D.EXITS_NETWORK
    assert [(h.device, h.in_interface, h.out_interface) for h in path.hops] == [
        ("core", "Vlanif10", "GE0/0/1"),
        ("fw", "GE1/0/1", "GE1/0/2"),
    ]
    assert path.exit is not None and path.exit.internet_exit and path.reaches_internet
    rule = path.hops[-1].rules[0]
    assert (rule.stage, rule.rule, rule.verdict) == (
        FilterStage.ZONE_POLICY,
        "web",
        Verdict.PERMIT,
    )


def test_default_route_through_a_firewall_zone_policy_default_deny(net: Net) -> None:
    _edge(net, default_permit=False)
    telnet = net.trace("10.10.0.5", "198.51.100.7", "core:Vlanif10", protocol="tcp", dport=23)
    (path,) = telnet.paths
    assert path.disposition is D.DENIED_OUT
    assert path.hops[-1].out_interface == "GE1/0/2"
    hit = path.decided_by
    assert hit is not None and hit.rule is None and hit.verdict is Verdict.DENY
    assert hit.source is not None and hit.source.text == "default action deny"


def test_unknown_firewall_default_gives_unknown_not_permit(net: Net) -> None:
    _edge(net, default_permit=None)
    telnet = net.trace("10.10.0.5", "198.51.100.7", "core:Vlanif10", protocol="tcp", dport=23)
    assert telnet.dispositions == {D.UNKNOWN}


def _nat_gateway(net: Net) -> None:
    (
        net.device("gw")
        .iface("Gi0/0", "10.0.1.1/24", nat_inside=True)
        .iface("Gi0/1", "203.0.113.2/29", nat_outside=True)
        .route("0.0.0.0/0", "203.0.113.1")
        .acl("NAT", "permit ip 10.0.1.0/24 any")
        .snat(acl="NAT", interface="Gi0/1")
        .static_nat("203.0.113.3", "10.0.1.80", protocol="tcp", global_port=80, inside_port=8080)
    )


def test_source_nat_on_the_way_out(net: Net) -> None:
    _nat_gateway(net)
    result = net.trace("10.0.1.10", "198.51.100.7", "gw:Gi0/0", protocol="udp", dport=53)
    (path,) = result.paths
    assert path.disposition is D.EXITS_NETWORK
    assert str(path.flow.src) == "203.0.113.2"
    (nat,) = path.hops[0].nat
    assert nat.kind is NatKind.SOURCE and str(nat.before.src) == "10.0.1.10"
    assert nat.source.text == "nat outbound NAT"


def test_destination_nat_on_the_way_in(net: Net) -> None:
    _nat_gateway(net)
    result = net.trace("198.51.100.7", "203.0.113.3", "gw:Gi0/1", protocol="tcp", dport=80)
    (path,) = result.paths
    assert path.disposition is D.DELIVERED_TO_SUBNET
    assert (str(path.flow.dst), path.flow.dport) == ("10.0.1.80", 8080)
    assert path.hops[0].out_interface == "Gi0/0"
    assert path.hops[0].nat[0].kind is NatKind.DESTINATION
    other_port = net.trace("198.51.100.7", "203.0.113.3", "gw:Gi0/1", protocol="tcp", dport=22)
    assert other_port.dispositions == {D.DELIVERED_TO_SUBNET}  # stays on the outside subnet
    assert other_port.paths[0].hops[0].out_interface == "Gi0/1"


def test_ambiguous_src_lists_the_candidates(net: Net) -> None:
    net.device("r1").iface("Gi0/0", "10.0.0.1/24")
    net.device("r2").iface("Gi0/0", "10.0.0.2/24")
    net.device("r3").iface("Gi0/0", "10.3.0.1/24")
    with pytest.raises(AmbiguousStartError) as err:
        net.trace("10.0.0.10", "10.3.0.1")
    assert [str(c) for c in err.value.candidates] == ["r1:Gi0/0", "r2:Gi0/0"]
    assert "r1:Gi0/0" in str(err.value) and "r2:Gi0/0" in str(err.value)
    assert isinstance(err.value, UsageError)
    owned = net.trace("10.0.0.2", "10.0.0.1")  # r2's own address: r2 originates
    assert path_set(owned) == {((("r2", None, "Gi0/0"), ("r1", "Gi0/0", None)), "accepted")}
    with pytest.raises(NoStartError):
        net.trace("10.77.0.1", "10.0.0.1")


def test_to_data_is_json_in_the_oracle_hop_format(net: Net) -> None:
    _diamond(net)
    data = net.trace("10.0.1.10", "10.9.9.4", "r1:Gi0/0").to_data()
    text = json.dumps(data, sort_keys=True)
    again = json.loads(text)
    assert again["start"] == {"node": "r1", "interface": "Gi0/0", "kind": "enter"}
    hop = again["paths"][0]["hops"][0]
    assert (hop["node"], hop["in"], hop["out"]) == ("r1", "Gi0/0", "Gi0/1")
    assert again["paths"][0]["disposition"] == "accepted"
    assert hop["routes"][0]["sources"][0]["line"] > 0


def test_address_sets_naming_each_other_are_unknown_not_a_crash() -> None:
    """A set that contains itself through another (a config mistake) cannot be decided: the
    match is unknown, as for an undefined set, where it used to recurse without end."""
    src = Source("fw.cfg", 1, "ip address-set a type group")
    fw = Firewall()
    fw.address_sets["a"] = AddressSet("a", src, [AddressMatch(object_group="b")])
    fw.address_sets["b"] = AddressSet(
        "b", src, [AddressMatch(object_group="a"), AddressMatch.from_network(_net("10.1.0.0/16"))]
    )
    ip = IPv4Address("10.1.2.3")
    assert any_address_matches([AddressMatch(object_group="a")], ip, fw) is True
    assert (
        any_address_matches([AddressMatch(object_group="a")], IPv4Address("10.9.0.1"), fw) is None
    )


def _net(text: str) -> IPv4Network:
    return IPv4Network(text)


def test_a_trace_cut_at_the_path_limit_ends_undecided_for_the_checks(net: Net) -> None:
    """Past the tracer's path limit the paths not followed are one `insufficient_info` path in
    what the checks see, so no rule passes on a partial trace (the cut was only a flag the plan
    checks never read)."""
    _diamond(net)
    tracer = net.tracer(max_paths=1)
    analysis = NetworkAnalysis(tracer.topology, tracer, (), (), InternalSpace(), frozenset())
    flow = Flow(IPv4Address("10.0.1.10"), IPv4Address("10.9.9.4"))
    result = analysis.trace(flow, StartLocation("r1", "Gi0/0"))
    assert result.truncated
    assert [p.disposition for p in result.paths] == [D.ACCEPTED, D.INSUFFICIENT_INFO]
    assert "the rest were not followed" in result.paths[-1].reason
    whole = NetworkAnalysis(net.topology(), net.tracer(), (), (), InternalSpace(), frozenset())
    assert [p.disposition for p in whole.trace(flow, StartLocation("r1", "Gi0/0")).paths] == [
        D.ACCEPTED,
        D.ACCEPTED,
    ]
