"""Tracing through a Comware 5 SecPath firewall's interzone policy, parsed by the real parser.

The fixture is the golden case ``tests/vendors/hp_comware/firewall/secpath_v5_interzone``: rules
of a zone pair match in order, and `interzone policy default by-priority` decides the rest
(higher-priority zone → lower permit, the reverse deny).
"""

from __future__ import annotations

from ipaddress import IPv4Address
from pathlib import Path

import pytest

from netaudit.model import Device
from netaudit.network.filters import FilterStage, Verdict
from netaudit.network.flow import Flow, Protocol
from netaudit.network.topology import Topology
from netaudit.network.trace import Path as TracePath
from netaudit.network.trace import StartLocation, Tracer
from netaudit.vendors.base import parse_bytes

CASE = Path(__file__).parents[1] / "vendors/hp_comware/firewall/secpath_v5_interzone/input.cfg"
TRUST = StartLocation("fw", "GigabitEthernet0/1")
UNTRUST = StartLocation("fw", "GigabitEthernet0/2")
DMZ = StartLocation("fw", "GigabitEthernet0/3")
OFFICE, INTERNET, WEB = "192.168.1.10", "198.51.100.7", "172.16.50.80"


@pytest.fixture(scope="module")
def fw() -> Device:
    return parse_bytes(CASE.read_bytes(), "hp_comware", "configs/fw.cfg", "fw")


def _path(fw: Device, start: StartLocation, src: str, dst: str, dport: int) -> TracePath:
    flow = Flow(IPv4Address(src), IPv4Address(dst), Protocol.TCP, 40000, dport)
    (path,) = Tracer(Topology([fw])).trace(flow, start).paths
    return path


def _decision(path: TracePath) -> tuple[Verdict, str | None, int | None]:
    hits = [h for h in path.hops[0].rules if h.stage is FilterStage.ZONE_POLICY]
    assert len(hits) == 1
    hit = hits[0]
    return hit.verdict, hit.rule, None if hit.source is None else hit.source.line


# (start, src, dst, dport) -> (verdict, deciding rule, its line in input.cfg)
CASES = [
    # Trust -> Untrust: rule 0 drops telnet anywhere.
    ((TRUST, OFFICE, INTERNET, 23), (Verdict.DENY, "Trust->Untrust rule 0", 27)),
    # rule 1 names the address resource office_net, which the config does not define.
    ((TRUST, OFFICE, INTERNET, 80), (Verdict.UNKNOWN, "Trust->Untrust rule 1", 30)),
    # Not http: rule 1 does not apply; rule 2 (no conditions) drops the rest of the pair,
    # before the by-priority default would have permitted it.
    ((TRUST, OFFICE, INTERNET, 443), (Verdict.DENY, "Trust->Untrust rule 2", 33)),
    ((UNTRUST, INTERNET, WEB, 80), (Verdict.PERMIT, "Untrust->DMZ rule 0", 35)),
    # No rule decides: by priority, Untrust (5) -> DMZ (50) is dropped...
    ((UNTRUST, INTERNET, WEB, 22), (Verdict.DENY, "Untrust->DMZ default by-priority", 6)),
    # ...and DMZ (50) -> Untrust (5), a pair without rules, passes.
    ((DMZ, WEB, INTERNET, 443), (Verdict.PERMIT, "DMZ->Untrust default by-priority", 6)),
    ((UNTRUST, INTERNET, OFFICE, 443), (Verdict.DENY, "Untrust->Trust default by-priority", 6)),
]


@pytest.mark.parametrize(("flow", "expected"), CASES)
def test_interzone_rules_then_the_priority_default_decide(
    fw: Device,
    flow: tuple[StartLocation, str, str, int],
    expected: tuple[Verdict, str, int],
) -> None:
    path = _path(fw, *flow)
    assert _decision(path) == expected
    passed = path.disposition.value in ("exits_network", "delivered_to_subnet")
    assert passed is (expected[0] is Verdict.PERMIT)
