"""A real probe run feeds the plan rules: `netaudit probe` in a namespace office network (see
``tests/probe/topology.py``), then `netaudit audit` with its report file or with what
`probe --db` stored. The configs show the two declared exits only; the probe also sees the
undeclared third exit and the rogue gateway, and the rules say so — and nothing else fails.

Packets stay inside the namespaces the lab creates (tests/probe/test_namespaces.py proves it with
captures on the root namespace); the audits themselves send nothing. Runs as root; skips
otherwise.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

from netaudit.probe.report import ProbeReport
from netaudit.store import open_store
from tests.probe.topology import (
    CORE_ADDR,
    EXITS,
    LAN,
    ROGUE_ADDR,
    ROGUE_WAN,
    Lab,
    missing_tools,
)

pytestmark = pytest.mark.skipif(
    os.geteuid() != 0, reason="needs root: builds network namespaces and sends raw packets"
)

PROBE_ID = "office-probe-1"
UNDECLARED = EXITS["exc"][2]  # 203.0.113.10: the exit no config and no unit file shows
# The devices of the lab's unit file, as the configs a reviewer would have: the core routes the
# LAN to the two declared exit routers (the third exit hangs off a link the core's config does
# not show, which is the point), and each exit router has its public uplink.
CONFIGS = {
    "core": f"""sysname core
#
interface Vlanif10
 ip address {CORE_ADDR} 255.255.255.0
#
interface GigabitEthernet0/0/1
 ip address {EXITS["exa"][1]} 255.255.255.252
#
interface GigabitEthernet0/0/2
 ip address {EXITS["exb"][1]} 255.255.255.252
#
ip route-static 0.0.0.0 0.0.0.0 {EXITS["exa"][0]}
ip route-static 198.51.100.64 255.255.255.192 {EXITS["exb"][0]}
#
return
""",
    **{
        name: f"""sysname {name}
#
interface GigabitEthernet0/0/0
 ip address {EXITS[ns][0]} 255.255.255.252
#
interface GigabitEthernet1/0/1
 ip address {EXITS[ns][2]} 255.255.255.252
#
ip route-static 0.0.0.0 0.0.0.0 {EXITS[ns][3]}
ip route-static {LAN.split("/")[0]} 255.255.255.0 {EXITS[ns][1]}
#
return
"""
        for name, ns in (("exit-a", "exa"), ("exit-b", "exb"))
    },
}

Findings = dict[str, Any]
Key = tuple[str, str]
Plan = dict[Key, dict[str, Any]]


def _inventory(lab: Lab, root: Path) -> Path:
    """The lab's inventory (tests/probe/topology.py) with a config file for every device."""
    lab.write_inventory(root)
    unit_file = root / "units" / "office.yaml"
    unit = yaml.safe_load(unit_file.read_text(encoding="utf-8"))
    (root / "configs").mkdir()
    for device in unit["devices"]:
        name = device["name"]
        (root / "configs" / f"{name}.cfg").write_text(CONFIGS[name], encoding="utf-8")
        device["config"] = f"configs/{name}.cfg"
    unit_file.write_text(yaml.safe_dump(unit, allow_unicode=True), encoding="utf-8")
    return root


def _audit(inventory: Path, out: Path, *args: str) -> subprocess.CompletedProcess[str]:
    # In the root namespace: an audit reads files and the store and sends nothing.
    return subprocess.run(
        [sys.executable, "-m", "netaudit", "audit", str(inventory), "--out", str(out), *args],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def _plan(out: Path) -> Plan:
    doc: Findings = json.loads((out / "findings.json").read_text(encoding="utf-8"))
    return {(r["rule"], r["subject"]): r for r in doc["results"] if r["rule"].startswith("PLAN-")}


@dataclass(frozen=True)
class Probed:
    lab: Lab
    inventory: Path
    db: str
    probe: subprocess.CompletedProcess[str]
    report: ProbeReport
    work: Path


@pytest.fixture(scope="module")
def probed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Probed]:
    missing = missing_tools()
    if missing:
        message = (
            f"missing tools: {', '.join(missing)} (apt-get install iproute2 nftables iptables)"
        )
        if os.environ.get("NETAUDIT_REQUIRE_ORACLES") == "1":
            pytest.fail(message + " and NETAUDIT_REQUIRE_ORACLES=1")
        pytest.skip(message)
    work = tmp_path_factory.mktemp("probe-audit")
    lab = Lab()
    lab.up()
    try:
        inventory = _inventory(lab, work / "inv")
        db = f"sqlite:///{work / 'store.db'}"
        report_file = work / "report.json"
        proc = lab.netaudit(
            "probe", "probe", str(inventory), "--probe", PROBE_ID, "--out", str(report_file),
            "--db", db,
        )  # fmt: skip
        assert proc.returncode == 0, proc.stderr
        report = ProbeReport.from_data(json.loads(report_file.read_text(encoding="utf-8")))
        yield Probed(lab, inventory, db, proc, report, work)
    finally:
        lab.down()


@pytest.fixture(scope="module")
def rogue_mac(probed: Probed) -> str:
    hosts = {str(h.address): h.mac for h in probed.report.lan_hosts or ()}
    return hosts[ROGUE_ADDR]


@pytest.fixture(scope="module")
def without_probes(probed: Probed, tmp_path_factory: pytest.TempPathFactory) -> Plan:
    out = tmp_path_factory.mktemp("no-probe") / "out"
    proc = _audit(probed.inventory, out, "--no-store")
    assert proc.returncode in (0, 1), proc.stderr  # no device missing (MLPS gaps may fail)
    return _plan(out)


def _failing(plan: Plan) -> set[Key]:
    return {k for k, r in plan.items() if r["status"] == "fail"}


def _assert_probe_verdicts(plan: Plan, rogue_mac: str, without_probes: Plan) -> None:
    rogue = plan[("PLAN-OFFICE-ROGUE-GATEWAY", PROBE_ID)]
    assert rogue["status"] == "fail"
    assert ROGUE_ADDR in rogue["message"] and rogue_mac in rogue["message"]
    assert CORE_ADDR not in rogue["message"]  # the sanctioned gateway forwards too: not rogue
    [ev] = rogue["evidence"]
    assert ev["kind"] == "probe" and ev["probe"] == PROBE_ID
    assert ev["observed_source"] == ROGUE_WAN
    assert ROGUE_ADDR in ev["detail"] and rogue_mac in ev["detail"]

    consistent = plan[("PLAN-PROBE-CONSISTENT", "office")]
    assert consistent["status"] == "fail"
    assert UNDECLARED in consistent["message"]
    seen = {e["observed_source"] for e in consistent["evidence"]}
    assert seen == {EXITS[e][2] for e in ("exa", "exb", "exc")}

    # The undeclared exit fails; the two sanctioned exits, found in the configs, do not.
    assert plan[("PLAN-EXIT-DECLARED", UNDECLARED)]["status"] == "fail"
    assert plan[("PLAN-EXIT-DECLARED", "exit-a:GigabitEthernet1/0/1")]["status"] == "pass"
    assert plan[("PLAN-EXIT-DECLARED", "exit-b:GigabitEthernet1/0/1")]["status"] == "pass"
    count = plan[("PLAN-EXIT-COUNT", "office")]
    assert count["status"] == "fail" and count["message"].startswith("3 internet exits")
    # What the probe adds to the configs' verdicts, and nothing else.
    assert _failing(plan) - _failing(without_probes) == {
        ("PLAN-EXIT-COUNT", "office"),
        ("PLAN-EXIT-DECLARED", UNDECLARED),
        ("PLAN-OFFICE-ROGUE-GATEWAY", PROBE_ID),
        ("PLAN-PROBE-CONSISTENT", "office"),
    }
    assert _failing(without_probes) <= _failing(plan)


def test_without_probes_the_configs_look_clean(without_probes: Plan) -> None:
    plan = without_probes
    assert plan[("PLAN-EXIT-COUNT", "office")]["status"] == "pass"
    assert plan[("PLAN-OFFICE-ROGUE-GATEWAY", PROBE_ID)]["status"] == "not_applicable"
    assert plan[("PLAN-PROBE-CONSISTENT", "office")]["status"] == "not_applicable"
    assert [k for k in plan if k[0] == "PLAN-EXIT-DECLARED"] == [
        ("PLAN-EXIT-DECLARED", "exit-a:GigabitEthernet1/0/1"),
        ("PLAN-EXIT-DECLARED", "exit-b:GigabitEthernet1/0/1"),
    ]


def test_probe_report_file_makes_the_rules_fire(
    probed: Probed, rogue_mac: str, without_probes: Plan, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    proc = _audit(
        probed.inventory, out, "--no-store", "--probe-report", str(probed.work / "report.json")
    )
    assert proc.returncode == 1, proc.stderr
    _assert_probe_verdicts(_plan(out), rogue_mac, without_probes)


def test_probe_db_records_the_observation_with_its_evidence(probed: Probed, rogue_mac: str) -> None:
    assert "(mode probe)" in probed.probe.stderr
    with open_store(probed.db) as store:
        [summary] = store.list_runs()
        assert summary.mode == "probe" and summary.devices == 0
        run = store.load_run(summary.id)
        [stored] = store.latest_probes("lab")
    assert run.probes == (probed.report.to_observation(),)
    assert stored.observation == probed.report.to_observation()
    assert stored.observed_at == probed.report.started_at
    assert run.results == ()
    notes = "\n".join(run.notes)
    assert f"rogue gateway {ROGUE_ADDR} {rogue_mac}" in notes
    assert f"undeclared exit {UNDECLARED}: egress hop {EXITS['exc'][0]}" in notes
    assert f"declared exit office-ct {EXITS['exa'][2]}" in notes


def test_audit_uses_the_latest_stored_probe_observation(
    probed: Probed, rogue_mac: str, without_probes: Plan, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    proc = _audit(probed.inventory, out, "--db", probed.db, "--probes-from-store")
    assert proc.returncode == 1, proc.stderr
    assert "no observation in the store" not in proc.stderr
    _assert_probe_verdicts(_plan(out), rogue_mac, without_probes)
    with open_store(probed.db) as store:
        audit = store.load_run("latest")
    assert audit.mode == "offline"
    assert [p.probe for p in audit.probes] == [PROBE_ID]


def test_a_stale_stored_observation_is_not_used(probed: Probed, tmp_path: Path) -> None:
    # 0.0001 h is 0.36 s: the probe ran before that. No fresh observation is not a clean LAN.
    out = tmp_path / "out"
    proc = _audit(
        probed.inventory, out, "--db", probed.db, "--probes-from-store", "--probe-max-age", "0.0001"
    )
    assert proc.returncode == 1, proc.stderr
    assert f"note: probe {PROBE_ID} (office): no observation in the store" in proc.stderr
    plan = _plan(out)
    rogue = plan[("PLAN-OFFICE-ROGUE-GATEWAY", PROBE_ID)]
    assert rogue["status"] == "unknown" and "reported no observation" in rogue["message"]
    assert plan[("PLAN-PROBE-CONSISTENT", "office")]["status"] == "unknown"
    assert plan[("PLAN-EXIT-COUNT", "office")]["status"] == "pass"
