"""A tiny builder for devices and topologies, so network tests read like a diagram.

    net = Net()
    net.device("r1").iface("Gi0/0", "10.0.12.1/24").route("0.0.0.0/0", "10.0.12.2")
    tracer = net.tracer()

ACL rules are written as short strings: ``"deny tcp any host 10.0.0.1 eq 23"``; addresses are
``any``, ``host A`` or ``A/len``. Every fact gets a ``Source`` with a running line number in
``configs/<device>.cfg`` so tests can assert the deciding line.
"""

from __future__ import annotations

from collections.abc import Iterable
from ipaddress import IPv4Address, IPv4Interface, IPv4Network
from typing import Self

import pytest

from netaudit.model import (
    DEFAULT_VRF,
    Acl,
    AclKind,
    AclRule,
    Action,
    AddressMatch,
    Device,
    Firewall,
    Flag,
    Interface,
    InterfaceAddress,
    InterfaceKind,
    Platform,
    PortMatch,
    PortOp,
    RibNextHop,
    RibRoute,
    SecurityRule,
    ServiceMatch,
    Source,
    SourceNat,
    StaticNat,
    StaticRoute,
    Zone,
)
from netaudit.network.flow import Flow, Protocol
from netaudit.network.topology import Link, Topology
from netaudit.network.trace import StartLocation, Tracer, TraceResult

_KINDS = {
    "loopback": InterfaceKind.LOOPBACK,
    "dialer": InterfaceKind.DIALER,
    "cellular": InterfaceKind.CELLULAR,
    "vlan": InterfaceKind.VLAN,
    "null": InterfaceKind.NULL,
}


def _kind(name: str) -> InterfaceKind:
    low = name.lower()
    for prefix, kind in _KINDS.items():
        if low.startswith(prefix):
            return kind
    return InterfaceKind.ETHERNET


def _addr(text: str) -> AddressMatch:
    if text == "any":
        return AddressMatch()
    return AddressMatch.from_network(IPv4Network(text, strict=False))


def _parse_rule(text: str, source: Source, seq: int) -> AclRule:
    words = text.split()
    action = Action(words.pop(0))
    protocol = words.pop(0)
    matches: list[AddressMatch] = []
    ports: list[PortMatch] = []
    while words:
        word = words.pop(0)
        if word == "host":
            matches.append(_addr(words.pop(0) + "/32"))
        elif word == "eq":
            port = int(words.pop(0))
            ports.append(PortMatch(PortOp.EQ, port, port))
        else:
            matches.append(_addr(word))
    return AclRule(action, source, seq, protocol, matches[0], matches[1], [], ports)


class DeviceBuilder:
    def __init__(self, name: str, platform: Platform) -> None:
        self.device = Device(name, platform, f"configs/{name}.cfg", hostname=name)
        self._line = 0

    def src(self, text: str) -> Source:
        self._line += 1
        return Source(self.device.file, self._line, text)

    def iface(
        self,
        name: str,
        *addresses: str,
        vrf: str = DEFAULT_VRF,
        shutdown: bool = False,
        acl_in: str | None = None,
        acl_out: str | None = None,
        zone: str | None = None,
        nat_inside: bool = False,
        nat_outside: bool = False,
        dialer: bool = False,
        pppoe: bool = False,
    ) -> Self:
        header = self.src(f"interface {name}")
        iface = Interface(name, _kind(name), header, vrf=vrf, shutdown=shutdown)
        for i, text in enumerate(addresses):
            line = self.src(f" ip address {text}")
            iface.addresses.append(InterfaceAddress(IPv4Interface(text), i > 0, line))
            iface.sources.append(line)
        iface.acl_in, iface.acl_out, iface.zone = acl_in, acl_out, zone
        iface.nat_inside, iface.nat_outside = nat_inside, nat_outside
        iface.dialer, iface.pppoe_client = dialer, pppoe
        self.device.interfaces[name] = iface
        return self

    def route(
        self,
        prefix: str,
        next_hop: str | None = None,
        interface: str | None = None,
        *,
        vrf: str = DEFAULT_VRF,
        preference: int | None = None,
        null: bool = False,
        next_hop_vrf: str | None = None,
    ) -> Self:
        text = " ".join(w for w in ("ip route", prefix, interface, next_hop) if w)
        self.device.static_routes.append(
            StaticRoute(
                IPv4Network(prefix),
                self.src(text),
                vrf=vrf,
                next_hop=IPv4Address(next_hop) if next_hop else None,
                interface=interface,
                preference=preference,
                null=null,
                next_hop_vrf=next_hop_vrf,
            )
        )
        return self

    def acl(self, name: str, *rules: str, default: Action = Action.DENY) -> Self:
        acl = Acl(name, AclKind.ADVANCED, self.src(f"ip access-list extended {name}"))
        acl.default_action = default
        for i, text in enumerate(rules, 1):
            acl.rules.append(_parse_rule(text, self.src(f" {i * 10} {text}"), i * 10))
        self.device.acls[name] = acl
        return self

    def firewall(self, default_permit: bool | None, *zones: tuple[str, list[str]]) -> Self:
        fw = Firewall()
        for zone_name, members in zones:
            fw.zones[zone_name] = Zone(zone_name, self.src(f"firewall zone {zone_name}"), None)
            fw.zones[zone_name].interfaces.extend(members)
        text = f"default action {'permit' if default_permit else 'deny'}"
        fw.default_action = Flag(
            default_permit, self.src(text), explicit=default_permit is not None
        )
        self.device.firewall = fw
        self.device.is_firewall = True
        return self

    def policy(
        self,
        name: str,
        action: str,
        src_zone: str,
        dst_zone: str,
        *,
        dst: str | None = None,
        service: tuple[str, int] | None = None,
    ) -> Self:
        assert self.device.firewall is not None
        rule = SecurityRule(name, Action(action), self.src(f"rule name {name}"))
        rule.source_zones, rule.destination_zones = [src_zone], [dst_zone]
        if dst is not None:
            rule.destination_addresses = [_addr(dst)]
        if service is not None:
            proto, port = service
            rule.services = [ServiceMatch(proto, [PortMatch(PortOp.EQ, port, port)])]
        self.device.firewall.rules.append(rule)
        return self

    def snat(
        self,
        *,
        interface: str | None = None,
        acl: str | None = None,
        easy_ip: bool = True,
        destination_zones: Iterable[str] = (),
    ) -> Self:
        self.device.nat.source_rules.append(
            SourceNat(
                self.src(f"nat outbound {acl or ''}"),
                interface=interface,
                acl=acl,
                easy_ip=easy_ip,
                destination_zones=list(destination_zones),
            )
        )
        return self

    def static_nat(
        self,
        global_ip: str,
        inside_ip: str,
        *,
        protocol: str | None = None,
        global_port: int | None = None,
        inside_port: int | None = None,
        interface: str | None = None,
    ) -> Self:
        self.device.nat.static_rules.append(
            StaticNat(
                self.src(f"nat server global {global_ip} inside {inside_ip}"),
                IPv4Address(global_ip),
                IPv4Address(inside_ip),
                protocol=protocol,
                global_port=global_port,
                inside_port=inside_port,
                interface=interface,
            )
        )
        return self

    def rib(self, *entries: tuple[str, str, list[tuple[str | None, str | None]]]) -> Self:
        """RIB rows: (prefix, protocol, [(next_hop, interface), ...]); ``null`` protocol → Null0."""
        rib = self.device.rib if self.device.rib is not None else []
        for prefix, protocol, hops in entries:
            rib.append(
                RibRoute(
                    IPv4Network(prefix),
                    protocol,
                    [RibNextHop(IPv4Address(h) if h else None, i) for h, i in hops],
                    null=any(i == "Null0" for _h, i in hops),
                    source=self.src(f"{protocol} {prefix}"),
                )
            )
        self.device.rib = rib
        return self


class Net:
    def __init__(self) -> None:
        self.builders: dict[str, DeviceBuilder] = {}
        self.links: list[Link] = []

    def device(self, name: str, platform: Platform = Platform.CISCO_IOS) -> DeviceBuilder:
        builder = self.builders[name] = DeviceBuilder(name, platform)
        return builder

    def __getitem__(self, name: str) -> DeviceBuilder:
        return self.builders[name]

    def link(self, a: str, b: str) -> None:
        da, ia = a.split(":", 1)
        db, ib = b.split(":", 1)
        self.links.append(Link(da, ia, db, ib))

    def topology(self) -> Topology:
        return Topology([b.device for b in self.builders.values()], self.links)

    def tracer(self, **options: object) -> Tracer:
        return Tracer(self.topology(), **options)  # type: ignore[arg-type]

    def trace(
        self,
        src: str,
        dst: str,
        start: str | None = None,
        *,
        protocol: str = "ip",
        dport: int | None = None,
        sport: int | None = None,
        **options: object,
    ) -> TraceResult:
        flow = Flow(IPv4Address(src), IPv4Address(dst), Protocol(protocol), sport, dport)
        location = None
        if start is not None:
            device, _, interface = start.partition(":")
            location = StartLocation(device, interface or None)
        return self.tracer(**options).trace(flow, location)


HopKey = tuple[str, str | None, str | None]


def path_set(result: TraceResult) -> set[tuple[tuple[HopKey, ...], str]]:
    """The oracle's comparison form: {(((node, in, out), ...), disposition)} from ``to_data``."""
    out = set()
    for path in result.to_data()["paths"]:  # type: ignore[union-attr]
        assert isinstance(path, dict)
        hops = path["hops"]
        assert isinstance(hops, list)
        key = tuple((h["node"], h["in"], h["out"]) for h in hops)  # type: ignore[index]
        out.add((key, path["disposition"]))
    return out  # type: ignore[return-value]


@pytest.fixture
def net() -> Net:
    return Net()


# Filled by test_oracle_batfish: flow id → reproduced?; summarized after the run (issue 10).
ORACLE_RESULTS: dict[str, bool] = {}


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if ORACLE_RESULTS:
        done = sum(ORACLE_RESULTS.values())
        terminalreporter.write_line(
            f"{done}/{len(ORACLE_RESULTS)} oracle flows reproduced (Batfish example network)"
        )
