"""The probe against a real office network in network namespaces (see ``topology.py``).

The probe runs inside the office namespace (``ip netns exec``) and must find the two declared
exits, the undeclared one and the rogue gateway — and nothing else — while tcpdump on the root
namespace's interfaces sees none of its packets. Runs as root; skips otherwise.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from ipaddress import IPv4Address
from pathlib import Path

import pytest

from netaudit.probe.report import GatewayEvidence, ProbeReport

from .topology import (
    CORE_ADDR,
    EXITS,
    NFT_MASQUERADE,
    PRINTER_ADDR,
    PROBE_ADDR,
    REFLECTORS,
    ROGUE_ADDR,
    ROGUE_WAN,
    Capture,
    Lab,
    missing_tools,
    root_interfaces,
)

pytestmark = pytest.mark.skipif(
    os.geteuid() != 0, reason="needs root: builds network namespaces and sends raw packets"
)

# Everything the probe (or the topology) could put on a wire.
LAB_TRAFFIC = (
    "net 198.51.100.0/24 or net 203.0.113.0/24 or net 172.21.10.0/24 or net 10.255.0.0/16 "
    "or arp net 172.21.10.0/24"
)
PROBE_ID = "office-probe-1"
# What the probe host sends: IP from its address, ARP requests asking in its name (not the
# ARP replies its kernel gives to neighbours refreshing their caches).
PROBE_SENT = (
    f"(ip and src host {PROBE_ADDR}) or "
    f"(arp and arp[6:2] = 1 and arp[14:4] = {int(IPv4Address(PROBE_ADDR)):#x})"
)


@pytest.fixture(scope="module")
def lab() -> Iterator[Lab]:
    missing = missing_tools()
    if missing:
        message = (
            f"missing tools: {', '.join(missing)} "
            "(apt-get install iproute2 nftables iptables tcpdump)"
        )
        if os.environ.get("NETAUDIT_REQUIRE_ORACLES") == "1":
            pytest.fail(message + " and NETAUDIT_REQUIRE_ORACLES=1")
        pytest.skip(message)
    topo = Lab()
    topo.up()
    try:
        yield topo
    finally:
        topo.down()
    leftovers = subprocess.run(
        ["ip", "netns", "list"], capture_output=True, text=True, check=False
    ).stdout
    assert topo.prefix not in leftovers


@pytest.fixture(scope="module")
def inventory(lab: Lab, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return lab.write_inventory(tmp_path_factory.mktemp("inv"))


@dataclass(frozen=True)
class FullRun:
    proc: subprocess.CompletedProcess[str]
    out: Path
    root: dict[str, int]  # matching packets per root-namespace interface
    own: dict[str, int]  # the probe's packets on its own interface, inside its namespace


@pytest.fixture(scope="module")
def full_run(lab: Lab, inventory: Path, tmp_path_factory: pytest.TempPathFactory) -> FullRun:
    """One real probe run, captured in the root namespace and on the probe's own interface."""
    work = tmp_path_factory.mktemp("capture")
    out = work / "report.json"
    with (
        Capture(root_interfaces(), LAB_TRAFFIC, work) as root,
        Capture(["eth0"], PROBE_SENT, work, netns=lab.ns("probe")) as own,
    ):
        proc = lab.netaudit(
            "probe", "probe", str(inventory), "--probe", PROBE_ID, "--json", "--out", str(out)
        )
        root_counts = root.stop()
        own_counts = own.stop()
    return FullRun(proc, out, root_counts, own_counts)


def _report(full_run: FullRun) -> ProbeReport:
    assert full_run.proc.returncode == 0, full_run.proc.stderr
    report = ProbeReport.from_data(json.loads(full_run.out.read_text(encoding="utf-8")))
    assert json.loads(full_run.proc.stdout) == report.to_data()
    return report


def test_probe_finds_declared_and_undeclared_exits(full_run: FullRun) -> None:
    report = _report(full_run)
    assert report.complete and report.error is None
    found = {(e.public_source, e.exit_id) for e in report.exits}
    assert found == {
        (IPv4Address(EXITS["exa"][2]), "office-ct"),
        (IPv4Address(EXITS["exb"][2]), "office-cu"),
        (IPv4Address(EXITS["exc"][2]), None),
    }
    assert [str(e.public_source) for e in report.undeclared_exits] == [EXITS["exc"][2]]
    # The egress hop of each exit is the exit router's inside address, seen by the traces.
    hops = {e.public_source: e.egress_hops for e in report.exits}
    for ex in ("exa", "exb", "exc"):
        assert hops[IPv4Address(EXITS[ex][2])] == (IPv4Address(EXITS[ex][0]),)
    # Every reflector answered over UDP and TCP, with the exit's public address.
    assert len(report.sources) == 2 * len(REFLECTORS)
    assert all(s.observed_source is not None for s in report.sources)
    # Every trace (ICMP, UDP, TCP) left through the same egress as the reflector saw.
    assert len(report.traces) == 3 * len(REFLECTORS)
    for t in report.traces:
        assert t.reached, t
        assert t.egress is not None and str(t.egress).startswith("10.255.")


def test_probe_finds_the_rogue_gateway_and_nothing_else(full_run: FullRun) -> None:
    report = _report(full_run)
    assert report.lan_hosts is not None and report.gateways is not None
    assert {str(h.address) for h in report.lan_hosts} == {CORE_ADDR, ROGUE_ADDR, PRINTER_ADDR}
    by_addr = {str(g.address): g for g in report.gateways}
    assert set(by_addr) == {CORE_ADDR, ROGUE_ADDR}  # the printer forwards nothing
    assert by_addr[CORE_ADDR].sanctioned
    assert by_addr[CORE_ADDR].exit_id == "office-ct"
    rogue = by_addr[ROGUE_ADDR]
    assert rogue.rogue and [g.address for g in report.rogue_gateways] == [rogue.address]
    assert str(rogue.observed_source) == ROGUE_WAN and rogue.exit_id is None
    mac = {str(h.address): h.mac for h in report.lan_hosts}[ROGUE_ADDR]
    assert rogue.mac == mac and rogue.evidence is GatewayEvidence.REPLY
    # What the audit reads.
    obs = report.to_observation()
    assert set(map(str, obs.observed_sources)) == {EXITS[e][2] for e in ("exa", "exb", "exc")}
    assert obs.forwarders is not None
    assert [(str(f.address), str(f.observed_source)) for f in obs.forwarders] == [
        (ROGUE_ADDR, ROGUE_WAN)
    ]


def test_no_probe_packet_leaves_the_namespaces(full_run: FullRun) -> None:
    report = _report(full_run)
    assert full_run.root  # at least one interface was watched
    assert full_run.root == dict.fromkeys(full_run.root, 0)
    own = full_run.own
    # The same capture inside the office namespace sees the probe's packets (the ARP scan
    # alone is 253): the root namespace's zero is not a capture that sees nothing.
    assert report.packets_sent > 253
    assert own["eth0"] >= 253


def test_probe_refuses_a_target_outside_the_allow_list(lab: Lab, tmp_path: Path) -> None:
    # The reflectors list names 198.51.100.135, the allow-list does not.
    inv = lab.write_inventory(tmp_path / "inv", targets=REFLECTORS[:2])
    with Capture(["eth0"], PROBE_SENT, tmp_path, netns=lab.ns("probe")) as own:
        proc = lab.netaudit("probe", "probe", str(inv), "--probe", PROBE_ID)
        by_target = lab.netaudit(
            "probe", "probe", str(inv), "--probe", PROBE_ID, "--target", "203.0.113.99"
        )
        counts = own.stop()
    assert proc.returncode == 2
    assert "refusing to probe 198.51.100.135" in proc.stderr
    assert "198.51.100.7, 198.51.100.70" in proc.stderr  # the allow-list, named
    assert by_target.returncode == 2
    assert "refusing to probe 203.0.113.99 (--target)" in by_target.stderr
    assert "Traceback" not in proc.stderr + by_target.stderr
    assert counts == {"eth0": 0}  # refused before a single packet, ARP included


def test_dry_run_prints_the_plan_and_sends_nothing(
    lab: Lab, inventory: Path, tmp_path: Path
) -> None:
    with Capture(["eth0"], PROBE_SENT, tmp_path, netns=lab.ns("probe")) as own:
        proc = lab.netaudit("probe", "probe", str(inventory), "--probe", PROBE_ID, "--dry-run")
        counts = own.stop()
    assert proc.returncode == 0, proc.stderr
    assert "ARP who-has for 253 addresses of 172.21.10.0/24 on eth0" in proc.stdout
    for r in REFLECTORS:
        assert f"trace to {r} via {CORE_ADDR}" in proc.stdout
    assert counts == {"eth0": 0}


def test_missing_interface_is_a_clear_error(lab: Lab, inventory: Path) -> None:
    proc = lab.netaudit(
        "probe", "probe", str(inventory), "--probe", PROBE_ID, "--interface", "nope0"
    )
    assert proc.returncode == 2
    assert "interface nope0 does not exist on this host" in proc.stderr


def test_not_root_is_a_clear_error(lab: Lab) -> None:
    # An inventory the unprivileged user can read (pytest's tmp dirs are root-only).
    root = Path(tempfile.mkdtemp(prefix="netaudit-probe-inv-"))
    try:
        os.chmod(root, 0o755)
        inv = lab.write_inventory(root)
        proc = subprocess.run(
            [
                "ip",
                "netns",
                "exec",
                lab.ns("probe"),
                "setpriv",
                "--reuid=65534",
                "--regid=65534",
                "--clear-groups",
                sys.executable,
                "-m",
                "netaudit",
                "probe",
                str(inv),
                "--probe",
                PROBE_ID,
            ],
            capture_output=True,
            text=True,
            check=False,
            timeout=60,
            cwd="/",
        )
    finally:
        shutil.rmtree(root)
    assert proc.returncode == 2, proc.stderr
    assert "must run as root" in proc.stderr


def test_packet_bound_stops_the_run_with_a_partial_report(
    lab: Lab, inventory: Path, tmp_path: Path
) -> None:
    out = tmp_path / "partial.json"
    proc = lab.netaudit(
        "probe",
        "probe",
        str(inventory),
        "--probe",
        PROBE_ID,
        "--max-packets",
        "280",
        "--out",
        str(out),
    )
    assert proc.returncode == 3, proc.stderr
    assert "INCOMPLETE: packet bound of 280 reached" in proc.stdout
    report = ProbeReport.from_data(json.loads(out.read_text(encoding="utf-8")))
    assert not report.complete and report.packets_sent <= 280
    assert report.lan_hosts is not None and len(report.lan_hosts) == 3  # kept what it saw


def test_a_forwarder_whose_replies_cannot_return_is_found_by_the_reflector_log(
    lab: Lab, inventory: Path, tmp_path: Path
) -> None:
    # Without its NAT the rogue still forwards, but with the probe's private source: the
    # reflector sees the packet, its reply has no way back. Only the reflector's memory tells.
    lab.sh("rogue", "nft", "delete", "table", "ip", "nat")
    try:
        out = tmp_path / "report.json"
        proc = lab.netaudit(
            "probe", "probe", str(inventory), "--probe", PROBE_ID, "--out", str(out)
        )
    finally:
        lab.sh("rogue", "nft", "-f", "-", stdin=NFT_MASQUERADE)
    assert proc.returncode == 0, proc.stderr
    report = ProbeReport.from_data(json.loads(out.read_text(encoding="utf-8")))
    [rogue] = report.rogue_gateways
    assert str(rogue.address) == ROGUE_ADDR
    assert rogue.evidence is GatewayEvidence.REFLECTOR_LOG
    assert str(rogue.observed_source) == PROBE_ADDR  # forwarded without translation
    assert f"ROGUE GATEWAY {ROGUE_ADDR}" in proc.stdout
