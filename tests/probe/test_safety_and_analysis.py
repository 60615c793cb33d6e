"""Without packets: the allow-list, the bounds, egress and exit matching, the report's JSON.

No root needed. The namespace tests (``test_namespaces.py``) show the same on real packets.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from datetime import UTC, datetime
from ipaddress import IPv4Address, IPv4Network
from pathlib import Path

import pytest

from netaudit.errors import ProbeError
from netaudit.inventory import load_inventory
from netaudit.probe import analysis
from netaudit.probe.oui import vendor_of
from netaudit.probe.plan import HostView, build_plan
from netaudit.probe.report import (
    Gateway,
    GatewayEvidence,
    Hop,
    LanHost,
    ObservedExit,
    ProbeReport,
    Protocol,
    SourceObservation,
)
from netaudit.probe.safety import Guard, LimitReached, Limits, check_targets

from .topology import Lab

A = IPv4Address


def _internal(addr: IPv4Address) -> bool:
    return any(addr in n for n in (IPv4Network("10.0.0.0/8"), IPv4Network("172.16.0.0/12")))


@pytest.fixture
def inventory(tmp_path: Path) -> Path:
    return Lab("unused").write_inventory(tmp_path / "inv")


def _host(lan: str = "172.21.10.0/24") -> HostView:
    return HostView("eth0", True, A("172.21.10.250"), IPv4Network(lan), A("172.21.10.1"))


def test_allow_list_refusal_names_the_address_and_the_list() -> None:
    allowed = [A("198.51.100.7"), A("198.51.100.70")]
    assert check_targets([A("198.51.100.70")], allowed, "--target") == (A("198.51.100.70"),)
    with pytest.raises(ProbeError) as err:
        check_targets([A("198.51.100.9")], allowed, "--target")
    assert str(err.value) == (
        "refusing to probe 198.51.100.9 (--target): not in the allow-list city.yaml "
        "probe.targets [198.51.100.7, 198.51.100.70]; a probe sends only to those addresses "
        "(and ARP on its own LAN)"
    )


@pytest.mark.parametrize("addr", ["192.0.2.1", "127.0.0.1", "224.0.0.1", "255.255.255.255"])
def test_some_targets_are_refused_even_when_allow_listed(addr: str) -> None:
    with pytest.raises(ProbeError, match=re.escape(f"refusing to probe {addr}")):
        check_targets([A(addr)], [A(addr)], "city.yaml probe.targets")


def test_guard_checks_every_destination_and_stops_at_the_bounds() -> None:
    lan = IPv4Network("172.21.10.0/24")
    guard = Guard([A("198.51.100.7")], lan, Limits(rate=1000, max_packets=10))
    guard.check_ip(A("198.51.100.7"))
    with pytest.raises(ProbeError, match=r"refusing to send to 198\.51\.100\.8"):
        guard.check_ip(A("198.51.100.8"))
    guard.check_arp(A("172.21.10.9"))
    with pytest.raises(ProbeError, match=re.escape("outside the probe's LAN 172.21.10.0/24")):
        guard.check_arp(A("172.21.11.9"))
    guard.spend(8, "the ARP scan")
    with pytest.raises(LimitReached, match="packet bound of 10 reached before the sweep"):
        guard.spend(3, "the sweep")
    expired = Guard([], lan, Limits(rate=1, timeout=1), clock=0.0)  # started long ago
    with pytest.raises(LimitReached, match="time bound of 1 s"):
        expired.spend(1, "the traces")


def test_limits_refuse_nonsense() -> None:
    with pytest.raises(ProbeError, match="--rate"):
        Limits(rate=0)
    with pytest.raises(ProbeError, match="--max-packets"):
        Limits(rate=1, max_packets=0)


def test_plan_uses_the_allow_list_and_refuses_a_reflector_outside_it(
    inventory: Path, tmp_path: Path
) -> None:
    inv = load_inventory(inventory)
    plan = build_plan(inv, "office-probe-1", limits=Limits(rate=20), host=_host())
    assert [str(t) for t in plan.targets] == ["198.51.100.7", "198.51.100.70", "198.51.100.135"]
    assert plan.sanctioned_gateway == A("172.21.10.1")
    text = "\n".join(plan.describe())
    assert "ARP who-has for 253 addresses of 172.21.10.0/24 on eth0" in text
    assert "one UDP packet to reflector 198.51.100.7:33434" in text
    narrow = Lab("unused").write_inventory(tmp_path / "narrow", targets=("198.51.100.7",))
    with pytest.raises(ProbeError, match=r"refusing to probe 198\.51\.100\.70 \(city.yaml"):
        build_plan(load_inventory(narrow), "office-probe-1", limits=Limits(rate=20), host=_host())


def test_a_vrrp_standby_router_on_the_lan_is_a_known_device_not_a_rogue(inventory: Path) -> None:
    # The office LAN has a VRRP pair: the virtual gateway .1 (sanctioned) and the standby router's
    # own address .3. Its config in the inventory shows .3 is an inventoried device's interface:
    # the plan knows it, and a sweep in which it forwards does not call it rogue.
    (inventory / "configs").mkdir()
    (inventory / "configs" / "core.cfg").write_text(
        "sysname core\n#\ninterface Vlanif10\n ip address 172.21.10.3 255.255.255.0\n"
        " vrrp vrid 1 virtual-ip 172.21.10.1\n#\n"
        "interface GigabitEthernet0/0/1\n ip address 10.255.1.1 255.255.255.252\n#\nreturn\n",
        encoding="utf-8",
    )
    unit_file = inventory / "units" / "office.yaml"
    text = unit_file.read_text(encoding="utf-8")
    unit_file.write_text(
        text.replace(
            "    host: 172.21.10.1\n", "    host: 172.21.10.1\n    config: configs/core.cfg\n"
        ),
        encoding="utf-8",
    )
    inv = load_inventory(inventory)
    plan = build_plan(inv, "office-probe-1", limits=Limits(rate=20), host=_host())
    assert dict(plan.inventoried) == {A("172.21.10.3"): "core:Vlanif10"}
    assert "known device on the LAN: 172.21.10.3 (core:Vlanif10)" in "\n".join(plan.describe())
    standby = LanHost(A("172.21.10.3"), "00:e0:fc:00:00:03", "Huawei")
    rogue = LanHost(A("172.21.10.66"), "50:c7:bf:00:00:02", "TP-Link")
    gws = analysis.gateways(
        inv.unit("office"),
        {"n1": standby, "n2": rogue},
        {"n1": A("203.0.113.2"), "n2": A("203.0.113.14")},
        {},
        plan.sanctioned_gateway,
        inventoried=plan.inventoried,
    )
    assert [(str(g.address), g.rogue) for g in gws] == [
        ("172.21.10.3", False),
        ("172.21.10.66", True),
    ]


def test_plan_refuses_unknown_probe_missing_interface_and_huge_lan(inventory: Path) -> None:
    inv = load_inventory(inventory)
    with pytest.raises(ProbeError, match=r"--probe nope: no such probe .*known: office-probe-1"):
        build_plan(inv, "nope", limits=Limits(rate=20), host=_host())
    gone = HostView("eth9", False, None, None, None)
    with pytest.raises(ProbeError, match="interface eth9 does not exist on this host"):
        build_plan(inv, "office-probe-1", limits=Limits(rate=20), host=gone)
    with pytest.raises(ProbeError, match="the ARP sweep covers at most a /20"):
        build_plan(inv, "office-probe-1", limits=Limits(rate=20), host=_host("172.16.0.0/12"))
    with pytest.raises(
        ProbeError, match=re.escape("the ARP scan of 172.21.10.0/24 needs 253 packets")
    ):
        build_plan(inv, "office-probe-1", limits=Limits(rate=20, max_packets=100), host=_host())


def test_cli_refuses_a_target_before_anything_else(inventory: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "netaudit", "probe", str(inventory), "--probe", "office-probe-1",
         "--target", "198.51.100.99", "--dry-run"],
        capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert proc.returncode == 2
    assert proc.stderr.startswith("error: refusing to probe 198.51.100.99 (--target)")


def test_egress_is_the_last_internal_hop_before_the_first_external_one() -> None:
    hops = [
        Hop(1, A("172.21.10.1"), True),
        Hop(2, A("10.255.1.2"), True),
        Hop(3, None, None),
        Hop(4, A("203.0.113.1"), False),
        Hop(5, A("10.9.9.9"), True),  # internal again beyond: the egress stays hop 2
    ]
    assert analysis.egress_of(hops, _internal) == (A("10.255.1.2"), 2, A("203.0.113.1"))
    # Never left the internal space: unknown, not "no exit".
    assert analysis.egress_of(hops[:2], _internal) == (None, None, None)


def test_exits_are_matched_by_public_address_else_undeclared(inventory: Path) -> None:
    unit = load_inventory(inventory).unit("office")
    sources = [
        analysis.source_observation(
            unit, reflector=A("198.51.100.7"), protocol=Protocol.UDP,
            observed=A("203.0.113.2"), port=1,
        ),
        analysis.source_observation(
            unit, reflector=A("198.51.100.135"), protocol=Protocol.UDP,
            observed=A("203.0.113.10"), port=1,
        ),
        analysis.source_observation(
            unit, reflector=A("198.51.100.70"), protocol=Protocol.TCP,
            observed=None, port=None, error="timed out",
        ),
    ]  # fmt: skip
    assert [(s.exit_id, s.to_data()["exit"]) for s in sources] == [
        ("office-ct", "office-ct"),
        (None, "undeclared"),
        (None, None),  # no answer is unknown, not undeclared
    ]
    traces = [
        analysis.make_trace(A("198.51.100.7"), Protocol.UDP,
                            [Hop(1, A("10.255.1.2"), True), Hop(2, A("198.51.100.7"), False)],
                            True, _internal),
        # A target no reflector answered for: matched by the exit device's management address.
        analysis.make_trace(A("198.51.100.70"), Protocol.ICMP,
                            [Hop(1, A("10.255.2.2"), True), Hop(2, A("198.51.100.70"), False)],
                            True, _internal),
    ]  # fmt: skip
    exits = analysis.observed_exits(unit, traces, sources)
    assert exits == (
        ObservedExit(A("203.0.113.2"), "office-ct", "exit-a", (A("10.255.1.2"),),
                     (A("198.51.100.7"),)),
        ObservedExit(A("203.0.113.10"), None, None, (), (A("198.51.100.135"),)),
        ObservedExit(None, "office-cu", "exit-b", (A("10.255.2.2"),), (A("198.51.100.70"),)),
    )  # fmt: skip


def test_gateways_sanctioned_rogue_and_silent(inventory: Path) -> None:
    unit = load_inventory(inventory).unit("office")
    core = LanHost(A("172.21.10.1"), "00:e0:fc:00:00:01", vendor_of("00:e0:fc:00:00:01"))
    rogue = LanHost(A("172.21.10.66"), "50:c7:bf:00:00:02", vendor_of("50:c7:bf:00:00:02"))
    printer = LanHost(A("172.21.10.77"), "00:80:77:00:00:03", vendor_of("00:80:77:00:00:03"))
    gws = analysis.gateways(
        unit,
        {"n1": core, "n2": rogue, "n3": printer},
        {"n1": A("203.0.113.2")},
        {"n2": A("203.0.113.14")},  # its reply never came back; the reflector saw it
        A("172.21.10.1"),
    )
    assert gws == (
        Gateway(core.address, core.mac, "Huawei", True, A("203.0.113.2"), "office-ct",
                GatewayEvidence.REPLY),
        Gateway(rogue.address, rogue.mac, "TP-Link", False, A("203.0.113.14"), None,
                GatewayEvidence.REFLECTOR_LOG),
    )  # fmt: skip
    assert vendor_of("02:00:00:00:00:01") == "locally administered"
    assert vendor_of("00-80-77-aa-bb-cc") == "Brother"


def test_report_json_round_trip_and_audit_view() -> None:
    now = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
    rogue = Gateway(A("172.21.10.66"), "50:c7:bf:00:00:02", "TP-Link", False,
                    A("203.0.113.14"), None, GatewayEvidence.REPLY)  # fmt: skip
    report = ProbeReport(
        probe="p1", unit="office", started_at=now, finished_at=now, interface="eth0",
        address=A("172.21.10.250"), lan=IPv4Network("172.21.10.0/24"),
        sanctioned_gateway=A("172.21.10.1"), targets=(A("198.51.100.7"),),
        reflectors=(A("198.51.100.7"),),
        traces=(analysis.make_trace(A("198.51.100.7"), Protocol.TCP,
                                    [Hop(1, A("10.255.1.2"), True, 0.5),
                                     Hop(2, None, None), Hop(3, A("198.51.100.7"), False, 1.0)],
                                    True, _internal),),
        sources=(SourceObservation(A("198.51.100.7"), Protocol.UDP, A("203.0.113.2"), 4000,
                                   "office-ct"),),
        exits=(ObservedExit(A("203.0.113.2"), "office-ct", "exit-a", (A("10.255.1.2"),),
                            (A("198.51.100.7"),)),),
        lan_hosts=(LanHost(rogue.address, rogue.mac, rogue.vendor),),
        gateways=(rogue,), packets_sent=42, complete=False, error="packet bound", notes=("n",),
    )  # fmt: skip
    data = json.loads(json.dumps(report.to_data()))
    assert data["rogue_gateways"] == ["172.21.10.66"]
    assert ProbeReport.from_data(data) == report
    obs = report.to_observation()
    assert obs.observed_sources == (A("203.0.113.2"),)
    assert obs.forwarders is not None and obs.forwarders[0].observed_source == A("203.0.113.14")
    assert obs.error == "packet bound"
