"""`netaudit audit --live` over real SSH and SNMP against `netaudit simulate` finds exactly what
the offline audit finds in the same configs; a device that refuses the login is `unknown` with its
status while the others are audited; `netaudit collect --db` records the collection.

The inventory is a self-contained part of the sample city (copied, so the offline audit parses
exactly the devices the live audit collects) covering every platform: cisco_ios (weiyang), huawei
(gaoling), hp_comware (huyi), huawei_vrpv8 (municipal) and ruijie_os (lantian), with the
municipal platform the uplink rules trace to.
"""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from ipaddress import IPv4Address
from pathlib import Path
from typing import Any

import pytest

from netaudit.collect.result import HostOverride, write_hosts_override
from netaudit.inventory import load_inventory
from netaudit.pipeline.run import AuditRun, DeviceStatus, RunStatus
from netaudit.store import open_store
from tests.collect.simfixture import run_netaudit, simulate

ROOT = Path(__file__).parents[2]
XIAN = ROOT / "inventories" / "xian"
UNITS = ("municipal", "weiyang", "gaoling", "huyi", "lantian", "xincheng")
PLATFORMS = {"cisco_ios", "huawei", "hp_comware", "huawei_vrpv8", "ruijie_os"}
# What inventories/xian/city.yaml's credential profiles read (the simulator accepts the same).
XIAN_ENV = {
    "NETAUDIT_USER": "auditor",
    "NETAUDIT_PASSWORD": "Xian-live-audit-pw",
    "NETAUDIT_SNMP_USER": "audit-v3",
    "NETAUDIT_SNMP_AUTH": "xian-auth-key-1",
    "NETAUDIT_SNMP_PRIV": "xian-priv-key-1",
}
# A static-route statement of any platform: `ip route-static` (VRP, Comware), `ip route` (IOS,
# RGOS). Evidence for a route cites this line offline and the collected routing table live.
ROUTE_STATEMENT = re.compile(r"^\s*ip route(-static)?\s")

Findings = dict[str, Any]
Key = tuple[str, str, str]


def subset_inventory(dest: Path, units: tuple[str, ...]) -> Path:
    """A copy of the sample city with only ``units``: city.yaml, their unit files, configs and
    saved routing tables."""
    inv = load_inventory(XIAN)
    (dest / "units").mkdir(parents=True)
    shutil.copy(XIAN / "city.yaml", dest / "city.yaml")
    for unit in inv.units:
        if unit.id not in units:
            continue
        shutil.copy(XIAN / "units" / f"{unit.id}.yaml", dest / "units" / f"{unit.id}.yaml")
        for spec in unit.devices:
            for rel in (spec.config, spec.routing_table):
                if rel is not None:
                    (dest / rel).parent.mkdir(parents=True, exist_ok=True)
                    shutil.copy(XIAN / rel, dest / rel)
    return dest


@pytest.fixture(scope="module")
def xian_env() -> Iterator[None]:
    with pytest.MonkeyPatch.context() as mp:
        for k, v in XIAN_ENV.items():
            mp.setenv(k, v)
        yield


def _findings(out: Path) -> Findings:
    data: Findings = json.loads((out / "findings.json").read_text(encoding="utf-8"))
    return data


def _load(db: str, mode: str) -> AuditRun:
    with open_store(db) as store:
        runs = [r for r in store.list_runs() if r.mode == mode]
        assert len(runs) == 1, [(r.id, r.mode) for r in runs]
        return store.load_run(runs[0].id)


# --------------------------------------------------------------------------- live == offline


@dataclass(frozen=True)
class Pair:
    inventory: Path
    db: str
    live: Any  # CompletedProcess[str]
    offline: Any
    live_out: Path
    offline_out: Path
    known_hosts: Path


@pytest.fixture(scope="module")
def pair(xian_env: None, tmp_path_factory: pytest.TempPathFactory) -> Pair:
    tmp = tmp_path_factory.mktemp("live-vs-offline")
    inv = subset_inventory(tmp / "inv", UNITS)
    db = f"sqlite:///{tmp / 'store.db'}"
    known = tmp / "known_hosts"  # empty: every host key is learnt on first use
    with simulate(tmp, "--quiet", inventory=inv) as sim:
        live = run_netaudit(
            "audit",
            str(inv),
            "--live",
            "--hosts-override",
            str(sim.hosts),
            "--known-hosts",
            str(known),
            "--trust-on-first-use",
            "--out",
            str(tmp / "live"),
            "--db",
            db,
        )
    offline = run_netaudit("audit", str(inv), "--out", str(tmp / "offline"), "--db", db)
    return Pair(inv, db, live, offline, tmp / "live", tmp / "offline", known)


def test_the_inventory_covers_every_platform(pair: Pair) -> None:
    inv = load_inventory(pair.inventory)
    assert {spec.platform.value for _, spec in inv.device_specs()} == PLATFORMS


def test_live_audit_is_complete_stored_as_live_and_learns_host_keys(pair: Pair) -> None:
    assert pair.live.returncode == 1, pair.live.stderr  # planted high failures, nothing missing
    assert pair.offline.returncode == 1, pair.offline.stderr
    assert "35 devices (0 not collected/parsed)" in pair.live.stdout
    assert "Traceback" not in pair.live.stderr
    run = _load(pair.db, "live")
    assert run.status is RunStatus.COMPLETE
    assert len(run.devices) == 35
    assert all(d.file is not None and d.file.startswith("ssh://127.") for d in run.devices)
    # Trust on first use recorded one key per simulated device.
    hosts = {line.split()[0] for line in pair.known_hosts.read_text().splitlines() if line}
    assert len(hosts) == 35


def test_live_snapshots_equal_the_config_files(pair: Pair) -> None:
    # The redacted running configs fetched over SSH are byte for byte the redacted files: a
    # `netaudit diff` between the two runs shows no config change.
    live, offline = _load(pair.db, "live"), _load(pair.db, "offline")
    live_hash = {d.name: d.config_hash for d in live.devices}
    off_hash = {d.name: d.config_hash for d in offline.devices}
    assert None not in live_hash.values()
    assert live_hash == off_hash


def _normalize(doc: Findings, *, live: bool, config_of: dict[str, str]) -> dict[Key, Any]:
    """Results by (rule, unit, subject) with the inherent live/offline differences removed:

    - config evidence names its source: ``ssh://DEVICE`` live, ``configs/DEVICE.cfg`` offline
      (asserted here, then replaced by one token), and so does absence evidence ("SOURCE: no
      line configures this");
    - route evidence: the live audit routes with the routing table it collected (SPEC §4: a
      collected RIB replaces the config's routes), so it cites the RIB line
      (``ssh://DEVICE/routes``) where the offline audit cites the static-route statement. Both
      are dropped; ``routed`` is set where either side had one, and the test asserts the two
      sides had route evidence on the same results.
    """
    out: dict[Key, Any] = {}
    for r in doc["results"]:
        evidence = []
        routed = False
        for e in r["evidence"]:
            if e["kind"] == "note" and r["device"] is not None:
                # Absence evidence names where it looked: "SOURCE: no line configures this".
                source = f"ssh://{r['device']}" if live else config_of[r["device"]]
                text = e["text"]
                if text.startswith(f"{source}: "):
                    text = "<config>" + text[len(source) :]
                evidence.append({**e, "text": text})
                continue
            if e["kind"] != "config":
                evidence.append(e)
                continue
            device = e["device"]
            if e["file"] in (f"ssh://{device}/routes",) or e["file"].startswith("state/"):
                routed = True
                continue
            assert e["file"] == (f"ssh://{device}" if live else config_of[device]), e
            if ROUTE_STATEMENT.match(e["text"]):
                routed = True
                continue
            evidence.append({**e, "file": "<config>"})
        key = (r["rule"], r["unit"], r["subject"])
        assert key not in out, f"duplicate result {key}"
        out[key] = {
            "status": r["status"],
            "severity": r["severity"],
            "device": r["device"],
            "message": r["message"],
            "evidence": evidence,
            "routed": routed,
        }
    return out


def test_live_findings_equal_offline_findings(pair: Pair) -> None:
    inv = load_inventory(pair.inventory)
    config_of = {spec.name: spec.config.as_posix() for _, spec in inv.device_specs() if spec.config}
    live = _normalize(_findings(pair.live_out), live=True, config_of=config_of)
    offline = _normalize(_findings(pair.offline_out), live=False, config_of=config_of)
    assert sorted(set(live) ^ set(offline)) == []
    differing = {k: (live[k], offline[k]) for k in live if live[k] != offline[k]}
    assert differing == {}
    statuses = {v["status"] for v in live.values()}
    assert {"pass", "fail"} <= statuses and "unknown" not in statuses
    # The live audit did trace with the collected routing tables (the normalization above
    # is not hiding an empty side).
    assert any(v["routed"] for v in live.values())
    doc = _findings(pair.live_out)
    assert doc["run"]["mode"] == "live"


def test_live_exits_equal_offline_exits(pair: Pair) -> None:
    def exits(run: AuditRun) -> set[tuple[Any, ...]]:
        return {(e.unit, e.device, e.interface, e.declared_id, e.group) for e in run.exits}

    live, offline = _load(pair.db, "live"), _load(pair.db, "offline")
    assert exits(live) == exits(offline)
    assert len(live.exits) >= 5


# --------------------------------------------------------------------------- a wrong password


FAULT_UNITS = ("municipal", "lantian")
FAULTY = "lantian-fw1"  # hp_comware firewall; its console logs in without authentication


@dataclass(frozen=True)
class FaultRun:
    audit: Any  # CompletedProcess[str]
    collect: Any
    out: Path
    db: str
    offline_out: Path


@pytest.fixture(scope="module")
def fault(xian_env: None, tmp_path_factory: pytest.TempPathFactory) -> FaultRun:
    tmp = tmp_path_factory.mktemp("live-fault")
    inv = subset_inventory(tmp / "inv", FAULT_UNITS)
    db = f"sqlite:///{tmp / 'store.db'}"
    with simulate(
        tmp, "--quiet", inventory=inv, faults=f"{FAULTY}: {{wrong_password: true}}\n"
    ) as sim:
        common = ["--hosts-override", str(sim.hosts), "--known-hosts", str(sim.known_hosts)]
        audit = run_netaudit(
            "audit",
            str(inv),
            "--live",
            *common,
            "--timeout",
            "10",
            "--connect-timeout",
            "10",
            "--retries",
            "1",
            "--snmp-timeout",
            "2",
            "--out",
            str(tmp / "out"),
            "--db",
            db,
        )
        collect = run_netaudit(
            "collect", str(inv), *common, "--out", str(tmp / "collected"), "--db", db, "--quiet"
        )
    offline = run_netaudit("audit", str(inv), "--out", str(tmp / "offline"), "--no-store")
    assert offline.returncode == 1, offline.stderr
    return FaultRun(audit, collect, tmp / "out", db, tmp / "offline")


def test_wrong_password_makes_the_audit_incomplete(fault: FaultRun) -> None:
    assert fault.audit.returncode == 3, fault.audit.stderr
    assert f"not audited: {FAULTY}: auth_failed" in fault.audit.stdout
    assert "Traceback" not in fault.audit.stderr
    run = _load(fault.db, "live")
    assert run.status is RunStatus.INCOMPLETE
    status = {d.name: d.status for d in run.devices}
    assert status.pop(FAULTY) is DeviceStatus.AUTH_FAILED
    assert set(status.values()) == {DeviceStatus.OK}
    assert "login refused" in next(d.message or "" for d in run.devices if d.name == FAULTY)
    # The secret is in no message, note or snapshot.
    stored = json.dumps([d.to_data() for d in run.devices]) + " ".join(run.notes)
    assert XIAN_ENV["NETAUDIT_PASSWORD"] not in stored


def test_the_refused_device_is_unknown_never_pass(fault: FaultRun) -> None:
    results = _findings(fault.out)["results"]
    mine = [r for r in results if r["device"] == FAULTY]
    assert len(mine) >= 13  # every MLPS rule (and its exits)
    assert {r["status"] for r in mine} == {"unknown"}
    assert all("login refused" in r["message"] for r in mine), mine[0]["message"]
    # Its planted failure (console without authentication) is not hidden as a pass.
    login = next(r for r in mine if r["rule"] == "MLPS-AUTH-LOGIN")
    assert login["status"] == "unknown"


def test_the_other_devices_are_audited_as_offline(fault: FaultRun) -> None:
    def by_key(doc: Findings) -> dict[Key, str]:
        return {
            (r["rule"], r["unit"], r["subject"]): r["status"]
            for r in doc["results"]
            if r["device"] is not None and r["device"] != FAULTY
        }

    live, offline = by_key(_findings(fault.out)), by_key(_findings(fault.offline_out))
    assert live and live == offline
    assert live[("MLPS-AUTH-IDLE-TIMEOUT", "lantian", "lantian-core")] == "fail"


# --------------------------------------------------------------------------- collect --db


def test_collect_db_records_a_collection_run_that_is_not_an_audit(fault: FaultRun) -> None:
    assert fault.collect.returncode == 3, fault.collect.stderr
    assert "(mode collect)" in fault.collect.stdout
    collected = _load(fault.db, "collect")
    audited = _load(fault.db, "live")
    assert collected.status is RunStatus.INCOMPLETE
    assert collected.results == () and collected.exits == ()
    assert {u.id for u in collected.units} == set(FAULT_UNITS)
    status = {d.name: d.status for d in collected.devices}
    assert status[FAULTY] is DeviceStatus.AUTH_FAILED
    # Same redacted snapshots as the audit collected: `netaudit diff` shows config changes
    # between a collection and an audit.
    assert {d.name: d.config_hash for d in collected.devices} == {
        d.name: d.config_hash for d in audited.devices
    }
    with open_store(fault.db) as store:
        # Newer, but not an audit: `latest`, an audit's previous run and its trend skip it.
        assert store.list_runs()[0].id == collected.id
        assert store.resolve("latest") == audited.id
        previous = store.previous_run(audited.inventory)
        assert previous is not None and previous.id == audited.id
        assert [h.run_id for h in store.history(audited.inventory)] == [audited.id]
        diff = store.diff(collected.id, audited.id)
        assert diff.config_changed == ()
        # Retention counts audits and collections apart: the newer collection does not push
        # the only audit out.
        assert store.prune(keep=1).removed == ()


# --------------------------------------------------------------------------- network safety


def test_a_hosts_override_missing_devices_is_refused_before_any_connection(
    xian_env: None, tmp_path: Path
) -> None:
    inv = subset_inventory(tmp_path / "inv", FAULT_UNITS)
    # Belt and braces: should the guard ever break, the devices it misses point at loopback.
    for unit_file in (inv / "units").glob("*.yaml"):
        text = unit_file.read_text(encoding="utf-8")
        unit_file.write_text(re.sub(r"host: [0-9.]+", "host: 127.0.0.1", text), encoding="utf-8")
    served = {
        spec.name: HostOverride(IPv4Address("127.0.0.2"), 2222, 1161)
        for u, spec in load_inventory(inv).device_specs()
        if u.id == "lantian"
    }
    hosts = tmp_path / "hosts.json"
    write_hosts_override(hosts, served)
    common = ["--hosts-override", str(hosts), "--known-hosts", str(tmp_path / "kh")]
    audit = run_netaudit("audit", str(inv), "--live", *common, "--no-store", "--out", str(tmp_path))
    collect = run_netaudit("collect", str(inv), *common, "--out", str(tmp_path / "c"))
    for proc in (audit, collect):
        assert proc.returncode == 2, proc.stderr
        assert "no entry for 3 device(s) to collect (xa-intra-core" in proc.stderr
        assert "refusing to reach them at their inventory addresses" in proc.stderr
    assert not (tmp_path / "findings.json").exists() and not (tmp_path / "c").exists()
