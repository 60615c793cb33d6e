"""The synthetic city generator of the scale benchmarks (``benchmarks/gencity.py``).

Stage: test data. Input: small generated cities (tens of devices) in a temporary folder.
Output: assertions on what the benchmarks rely on: the same seed writes the same bytes, the
inventory validates, every platform is there, every generated line is understood by its parser,
configs have a realistic size, and the planted violations are the ones an audit reports.
"""

from __future__ import annotations

import importlib.util
import json
import logging
import os
import shutil
import statistics
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from netaudit.cli import main as cli_main
from netaudit.inventory import Inventory, validate_inventory
from netaudit.model import Platform
from netaudit.pipeline import devices
from netaudit.pipeline.audit import run_audit
from netaudit.pipeline.devices import ParsedDevices, parse_inventory
from netaudit.pipeline.run import AuditRun, DeviceStatus
from netaudit.policy.results import Status
from tests._processes import children

ROOT = Path(__file__).resolve().parents[2]


def _load_gencity() -> ModuleType:
    spec = importlib.util.spec_from_file_location("gencity", ROOT / "benchmarks" / "gencity.py")
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = mod
    spec.loader.exec_module(mod)
    return mod


gencity: Any = _load_gencity()

# What each planted MLPS fault must fail (per device) — SPEC §6, the MLPS pack.
DEVICE_FAULT_RULE = {
    "telnet": "MLPS-MGMT-SECURE-PROTOCOLS",
    "ssh1": "MLPS-MGMT-SECURE-PROTOCOLS",
    "http": "MLPS-SERVICES-MINIMAL",
    "snmp-public": "MLPS-SNMP",
    "no-syslog": "MLPS-AUDIT-SYSLOG",
    "no-ntp": "MLPS-AUDIT-NTP",
    "cleartext": "MLPS-STORED-SECRETS",
    "type7": "MLPS-STORED-SECRETS",
    "no-pwpolicy": "MLPS-AUTH-PASSWORD-POLICY",
    "no-lockout": "MLPS-AUTH-LOCKOUT",
    "vty-no-acl": "MLPS-MGMT-ACL",
    "idle0": "MLPS-AUTH-IDLE-TIMEOUT",
    "console-none": "MLPS-AUTH-LOGIN",
}
# What each planted plan fault must fail for its unit (subject: the unit, or on its firewall).
UNIT_FAULT_RULE = {
    "three-isps": "PLAN-EXIT-COUNT",
    "undeclared-isp": "PLAN-EXIT-DECLARED",
    "intra-internet": "PLAN-INTRA-ISOLATION",
    "extranet-down": "PLAN-EXTRA-UPLINK",
    "privnet-isolated": "PLAN-PRIVNET-INTEGRATED",
    "fw-default-permit": "MLPS-BOUNDARY-DEFAULT-DENY",
    "exposed-rdp": "MLPS-BOUNDARY-EXPOSED-SERVICES",
}


def _files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def _generate(out: Path, units: int, per_unit: int, seed: int, violations: float) -> Path:
    gencity.generate(out, gencity.CitySize(units, per_unit), seed=seed, violations=violations)
    return out


def _load(root: Path) -> Inventory:
    inv, problems = validate_inventory(root)
    assert not problems, "\n".join(str(p) for p in problems)
    assert inv is not None
    return inv


@pytest.fixture(scope="module")
def city(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """14 units (every profile twice) of 6 devices, half of units and devices with faults."""
    return _generate(tmp_path_factory.mktemp("gencity") / "city", 14, 6, 7, 0.5)


@pytest.fixture(scope="module")
def parsed(city: Path) -> Iterator[tuple[Inventory, ParsedDevices]]:
    inv = _load(city)
    yield inv, parse_inventory(inv, workers=1)


@pytest.fixture(scope="module")
def audited(parsed: tuple[Inventory, ParsedDevices]) -> AuditRun:
    inv, devices = parsed
    return run_audit(inv, parsed=devices)


def test_same_seed_same_bytes_other_seed_other_city(tmp_path: Path) -> None:
    a = _files(_generate(tmp_path / "a", 7, 6, 3, 0.3))
    b = _files(_generate(tmp_path / "b", 7, 6, 3, 0.3))
    c = _files(_generate(tmp_path / "c", 7, 6, 4, 0.3))
    assert a == b
    assert len(a) == 7 * 6 + 3 + 8 + 2  # configs, unit files, city.yaml and planted.json
    assert len(c) == len(a) and c != a


def test_a_unit_does_not_depend_on_the_size_of_the_city(tmp_path: Path) -> None:
    small = _files(_generate(tmp_path / "small", 3, 7, 1, 0.2))
    big = _files(_generate(tmp_path / "big", 9, 7, 1, 0.2))
    for name, data in small.items():
        if name.startswith("configs/") and not name.startswith("configs/xa-"):
            assert big[name] == data, name


def test_generated_inventory_validates(city: Path) -> None:
    inv = _load(city)
    assert len(inv.units) == 15  # 14 units and the municipal platform
    assert sum(len(u.devices) for u in inv.units) == 14 * 6 + 3


def test_every_platform_is_present(parsed: tuple[Inventory, ParsedDevices]) -> None:
    inv, _ = parsed
    platforms = {d.platform for _, d in inv.device_specs()}
    assert platforms == set(Platform)


def test_every_line_is_understood(parsed: tuple[Inventory, ParsedDevices]) -> None:
    _, devices = parsed
    for rec in devices.records.values():
        assert rec.status is DeviceStatus.OK, (rec.name, rec.message)
        assert rec.lines_unrecognized == 0, (rec.name, rec.unrecognized[:5])
        assert not rec.truncated, rec.name


def test_configs_have_a_realistic_size(parsed: tuple[Inventory, ParsedDevices]) -> None:
    _, devices = parsed
    unit_lines = [r.lines_total for r in devices.records.values() if not r.name.startswith("xa-")]
    assert statistics.median(unit_lines) >= 300
    assert max(unit_lines) <= 1500
    assert all(n >= 100 for n in unit_lines)


def test_planted_mlps_faults_are_reported(city: Path, audited: AuditRun) -> None:
    planted = json.loads((city / "planted.json").read_text(encoding="utf-8"))
    assert planted["devices"], "violations 0.5 planted nothing"
    failed = {(r.rule, r.subject) for r in audited.results if r.status is Status.FAIL}
    for device, faults in planted["devices"].items():
        for fault in faults:
            assert (DEVICE_FAULT_RULE[fault], device) in failed, (device, fault)


def test_planted_plan_faults_are_reported(city: Path, audited: AuditRun) -> None:
    planted = json.loads((city / "planted.json").read_text(encoding="utf-8"))
    assert planted["units"], "violations 0.5 planted nothing"
    failed = {(r.rule, r.unit) for r in audited.results if r.status is Status.FAIL}
    for unit, fault in planted["units"].items():
        assert (UNIT_FAULT_RULE[fault], unit) in failed, (unit, fault)


def test_a_city_without_violations_has_no_failures(tmp_path: Path) -> None:
    inv = _load(_generate(tmp_path / "clean", 7, 5, 2, 0.0))
    run = run_audit(inv, workers=1)
    failed = {(r.rule, r.subject) for r in run.results if r.status is Status.FAIL}
    # Except what USG6000 firewalls always fail (as in the sample city's EXPECTED.md): their
    # configuration holds no administrator password policy.
    usg = {d.name for d in run.devices if d.platform == "huawei" and d.role == "firewall"}
    assert usg, "the clean city has no USG firewall (profile 'usg' of unit 6)"
    assert failed == {("MLPS-AUTH-PASSWORD-POLICY", n) for n in usg}
    assert not [r for r in run.results if r.status in (Status.UNKNOWN, Status.ERROR)]


def test_sizes_outside_the_address_plan_are_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="per-unit"):
        gencity.generate(tmp_path / "x", gencity.CitySize(2, 4))
    with pytest.raises(ValueError, match="units"):
        gencity.generate(tmp_path / "y", gencity.CitySize(gencity.MAX_UNITS + 1, 5))


def test_parsing_on_two_cores_gives_the_serial_result(
    parsed: tuple[Inventory, ParsedDevices],
) -> None:
    # 87 devices: above the pool threshold, so one worker process and this one share the
    # parse; the models come back pickled. Same models, same records, same order.
    inv, serial = parsed
    shared = parse_inventory(inv, workers=2)
    assert list(shared.records) == list(serial.records)
    assert shared.records == serial.records
    assert shared.models == serial.models
    assert len(shared.models) == 87


def _note_parsing_pids(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Each device parse appends its process id to the returned file (workers are forks:
    their memory is gone when they are)."""
    log = tmp_path / "parsed-by"
    real = devices._parse_one

    def noting(job: Any) -> Any:
        with log.open("a", encoding="ascii") as fh:
            fh.write(f"{os.getpid()}\n")
        return real(job)

    monkeypatch.setattr(devices, "_parse_one", noting)
    return log


def _workers_die(monkeypatch: pytest.MonkeyPatch) -> None:
    """From now on a worker dies (exit status 9) at the first device it parses; this
    process parses as usual."""
    here = os.getpid()
    real = devices._parse_one

    def dying(job: Any) -> Any:
        if os.getpid() != here:
            os._exit(9)
        return real(job)

    monkeypatch.setattr(devices, "_parse_one", dying)


def test_both_cores_parse_and_a_dead_worker_loses_no_device(
    parsed: tuple[Inventory, ParsedDevices],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    inv, serial = parsed
    here = os.getpid()
    log = _note_parsing_pids(tmp_path, monkeypatch)
    shared = parse_inventory(inv, workers=2)
    assert shared.models == serial.models
    by = log.read_text(encoding="ascii").split()
    assert len(by) == 87
    worker = {int(p) for p in by} - {here}
    assert len(worker) == 1 and by.count(str(here)) < 87  # the worker parsed its share

    # A worker that dies (killed, out of memory) after taking a chunk: this process parses
    # that chunk too, says so, and the devices are all there, in order.
    _workers_die(monkeypatch)
    with caplog.at_level(logging.WARNING, logger="netaudit.pipeline.devices"):
        again = parse_inventory(inv, workers=2)
    assert list(again.records) == list(serial.records)
    assert again.models == serial.models
    assert "a parse worker stopped (exit status 9)" in caplog.text


def test_parsing_starts_before_it_is_waited_for_and_can_be_called_off(
    parsed: tuple[Inventory, ParsedDevices], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The CLI starts the parse workers, then opens the store; the worker goes on meanwhile
    (it never waits for this process to read), and an audit that cannot start stops it."""
    inv, serial = parsed
    log = _note_parsing_pids(tmp_path, monkeypatch)
    parsing = devices.start_parsing(inv, workers=2)
    (worker,) = children()
    deadline = time.monotonic() + 60
    while not log.exists() or len(log.read_text(encoding="ascii").split()) < 87:
        assert time.monotonic() < deadline, "the worker did not parse on its own"
        time.sleep(0.05)
    # Every device parsed by the worker before this process took any (its outcomes wait in
    # its memory beyond what the pipe holds); finish() gathers them, in order.
    assert set(log.read_text(encoding="ascii").split()) == {str(worker)}
    shared = parsing.finish()
    assert list(shared.records) == list(serial.records)
    assert shared.models == serial.models
    assert children() == []

    parsing = devices.start_parsing(inv, workers=2)
    assert len(children()) == 1
    parsing.cancel()
    assert children() == []


def test_units_read_while_the_inventory_loads_are_parsed_by_then(
    city: Path,
    parsed: tuple[Inventory, ParsedDevices],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The audit starts the worker before it reads the inventory and offers it each unit as
    it is read: the worker parses them while this process reads YAML (it never has more than
    two to go); the rest is shared as usual. Same models and records, same order."""
    _, serial = parsed
    here = os.getpid()
    log = _note_parsing_pids(tmp_path, monkeypatch)
    parsing = devices.start_parsing_early(city, workers=2)
    (worker,) = children()
    offered: list[str] = []

    def offer(unit: Any) -> None:
        before = len(parsing._offered)
        parsing.offer(unit)
        if len(parsing._offered) > before:
            offered.append(unit.id)

    inv, problems = validate_inventory(city, offer)
    assert not problems and inv is not None
    deadline = time.monotonic() + 60
    while (len(log.read_text(encoding="ascii").split()) if log.exists() else 0) < 6:
        assert time.monotonic() < deadline, "the worker did not parse the offered units"
        time.sleep(0.05)
    assert offered and offered[0] == inv.units[0].id  # the first unit at once
    assert len(offered) < len(inv.units)  # not everything: the backlog is capped
    assert set(log.read_text(encoding="ascii").split()) == {str(worker)}
    parsing.plan_inventory(inv)
    shared = parsing.finish()
    assert list(shared.records) == list(serial.records)
    assert shared.records == serial.records and shared.models == serial.models
    by = log.read_text(encoding="ascii").split()
    assert len(by) == len(serial.records) and str(here) in by  # both shared the rest
    assert children() == []


def test_a_worker_that_dies_while_the_inventory_loads_loses_no_device(
    city: Path,
    parsed: tuple[Inventory, ParsedDevices],
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    _, serial = parsed
    _workers_die(monkeypatch)
    parsing = devices.start_parsing_early(city, workers=2)
    with caplog.at_level(logging.WARNING, logger="netaudit.pipeline.devices"):
        inv, _ = validate_inventory(city, parsing.offer)
        assert inv is not None
        parsing.plan_inventory(inv)
        again = parsing.finish()
    assert list(again.records) == list(serial.records)
    assert again.models == serial.models
    assert "a parse worker stopped (exit status 9)" in caplog.text
    assert children() == []


def test_an_inventory_that_does_not_load_stops_the_early_worker(
    city: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The worker is started before the inventory is read; a problem in the last unit file
    is still a user error (exit 2, file and line), and no worker is left running."""
    broken = tmp_path / "city"
    shutil.copytree(city, broken)
    last = sorted((broken / "units").glob("*.yaml"))[-1]
    last.write_text(last.read_text(encoding="utf-8") + "devices: [\n", encoding="utf-8")
    code = cli_main.run(["audit", str(broken), "--no-store", "--out", str(tmp_path / "o"), "-q"])
    err = capsys.readouterr().err
    assert code == 2, err
    assert last.name in err and "Traceback" not in err
    assert children() == []


def test_no_worker_can_be_started_the_audit_parses_alone(
    parsed: tuple[Inventory, ParsedDevices],
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    inv, serial = parsed

    def no_fork(body: Any) -> int:
        raise BlockingIOError(11, "Resource temporarily unavailable")

    monkeypatch.setattr(devices, "fork_child", no_fork)
    with caplog.at_level(logging.WARNING, logger="netaudit.pipeline.devices"):
        alone = parse_inventory(inv, workers=2)
    assert "could not start a parse worker" in caplog.text
    assert "Resource temporarily unavailable" in caplog.text
    assert alone.models == serial.models and list(alone.records) == list(serial.records)
    assert children() == []
