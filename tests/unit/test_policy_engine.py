"""The rule engine: metadata attached, overrides applied, failures isolated, nothing passes
by default."""

from __future__ import annotations

import json
import textwrap
from collections.abc import Iterator
from ipaddress import IPv4Address
from pathlib import Path

import pytest

from netaudit.inventory import Inventory
from netaudit.inventory.models import City, Unit
from netaudit.model import Device, IntSetting, LineKind, MgmtLine, Platform, Source
from netaudit.policy.context import AuditContext, DeviceFailure
from netaudit.policy.engine import register, run_rules
from netaudit.policy.pack import (
    DEFAULT_POLICY_DIR,
    RulePack,
    apply_overrides,
    load_pack,
    load_packs,
)
from netaudit.policy.registry import Outcome, Scope, SubjectKind, unregister
from netaudit.policy.results import Result, Severity, Status


def _unit(uid: str, kind: str, devices: list[tuple[str, str]]) -> Unit:
    return Unit.model_validate(
        {
            "id": uid,
            "name": f"{uid}-name",
            "kind": kind,
            "responsible": f"{uid} 政府",
            "devices": [{"name": n, "platform": p} for n, p in devices],
        }
    )


def _inventory(*units: Unit) -> Inventory:
    return Inventory(Path("/inv"), City(id="t", name="T"), list(units))


def _device(name: str, platform: Platform = Platform.HUAWEI, timeout: int = 300) -> Device:
    file = f"configs/{name}.cfg"
    line = MgmtLine(
        LineKind.VTY,
        0,
        4,
        Source(file, 40, "user-interface vty 0 4"),
        idle_timeout_seconds=IntSetting(timeout, Source(file, 41, "idle-timeout"), True),
    )
    dev = Device(name, platform, file)
    dev.mgmt.lines.append(line)
    dev.mgmt.ntp_servers.append((IPv4Address("10.0.0.1"), Source(file, 50, "ntp server")))
    return dev


@pytest.fixture
def mlps() -> list[RulePack]:
    return load_packs([DEFAULT_POLICY_DIR / "mlps-l3-network.yaml"])


def _only(results: list[Result], rule: str) -> list[Result]:
    return [r for r in results if r.rule == rule]


def test_results_carry_rule_metadata_and_platform_remediation(mlps: list[RulePack]) -> None:
    inv = _inventory(_unit("yanta", "district", [("r1", "cisco_ios")]))
    ctx = AuditContext.build(inv, {"r1": _device("r1", Platform.CISCO_IOS, timeout=0)})
    (res,) = _only(run_rules(mlps, ctx), "MLPS-AUTH-IDLE-TIMEOUT")
    assert res.status is Status.FAIL
    assert res.severity is Severity.LOW
    assert res.unit == "yanta" and res.subject == "r1" and res.device == "r1"
    assert res.responsible == "yanta 政府"
    assert res.clause == "GB/T 22239-2019 8.1.4.1 b"
    assert "exec-timeout 10 0" in res.remediation_en  # the IOS wording, not VRP's
    data = res.to_data()
    assert list(data)[:11] == [
        "rule",
        "status",
        "severity",
        "unit",
        "subject",
        "device",
        "message",
        "clause",
        "responsible",
        "deadline",
        "evidence",
    ]
    assert data["evidence"][0] == {
        "kind": "config",
        "device": "r1",
        "file": "configs/r1.cfg",
        "line": 40,
        "text": "user-interface vty 0 4",
    }
    json.dumps(data, ensure_ascii=False)


def test_city_override_changes_the_verdict(mlps: list[RulePack]) -> None:
    inv = _inventory(_unit("yanta", "district", [("sw1", "huawei")]))
    ctx = AuditContext.build(inv, {"sw1": _device("sw1", timeout=300)})
    (before,) = _only(run_rules(mlps, ctx), "MLPS-AUTH-IDLE-TIMEOUT")
    assert before.status is Status.PASS
    stricter = apply_overrides(mlps, {"MLPS-AUTH-IDLE-TIMEOUT": {"max_seconds": 120}}, "city")
    (after,) = _only(run_rules(stricter, ctx), "MLPS-AUTH-IDLE-TIMEOUT")
    assert after.status is Status.FAIL
    assert "at most 120 s" in after.message


def test_unparsed_and_uncollected_devices_are_unknown_never_pass(mlps: list[RulePack]) -> None:
    inv = _inventory(
        _unit("yanta", "district", [("sw1", "huawei"), ("sw2", "huawei"), ("sw3", "huawei")])
    )
    failures = {"sw1": DeviceFailure("parse_failed", "configs/sw1.cfg: binary data")}
    ctx = AuditContext.build(inv, {"sw3": _device("sw3")}, failures)
    results = run_rules(mlps, ctx)
    for rule_id in {r.rule for r in results}:
        by_device = {r.device: r for r in _only(results, rule_id)}
        assert by_device["sw1"].status is Status.UNKNOWN
        assert "binary data" in by_device["sw1"].message
        assert by_device["sw2"].status is Status.UNKNOWN
        assert "not collected" in by_device["sw2"].message
    assert {r.status for r in results if r.device in ("sw1", "sw2")} == {Status.UNKNOWN}


@pytest.fixture
def exploding() -> Iterator[str]:
    name = "test.explodes"

    @register(name, subject=SubjectKind.DEVICE)
    def explodes(scope: Scope) -> Outcome:
        device = scope.require_device()
        if device.name == "bad":
            raise ValueError("community s3cr3t-value rejected")
        return Outcome.passed("fine")

    yield name
    unregister(name)


def _test_pack(tmp_path: Path, check: str, subject: str = "device", extra: str = "") -> Path:
    path = tmp_path / "t.yaml"
    path.write_text(
        textwrap.dedent(
            f"""\
            id: t
            name: {{zh: 测试, en: test}}
            version: "1"
            rules:
              - id: T-ONE
                title: {{zh: 一, en: one}}
                clause: 二(一)3
                severity: high
                check: {check}
                subject: {subject}
                applies_to: [district, county]
                deadline: 2017-06-30
                {extra}
                remediation: {{zh: 修, en: fix}}
            """
        ),
        encoding="utf-8",
    )
    return path


def test_a_raising_check_is_an_error_for_that_subject_only(tmp_path: Path, exploding: str) -> None:
    pack = load_pack(_test_pack(tmp_path, exploding))
    inv = _inventory(_unit("yanta", "district", [("bad", "huawei"), ("good", "huawei")]))
    ctx = AuditContext.build(inv, {"bad": _device("bad"), "good": _device("good")})
    bad, good = run_rules([pack], ctx)
    assert bad.status is Status.ERROR and bad.subject == "bad"
    assert "ValueError" in bad.message
    assert "s3cr3t" not in bad.message and "Traceback" not in bad.message
    assert good.status is Status.PASS
    assert bad.deadline == "2017-06-30" and bad.clause == "二(一)3"


def test_unit_kinds_and_selection_filter_units(tmp_path: Path, exploding: str) -> None:
    pack = load_pack(_test_pack(tmp_path, exploding))
    inv = _inventory(
        _unit("yanta", "district", [("d1", "huawei")]),
        _unit("gongan", "department", [("d2", "huawei")]),
        _unit("huxian", "county", [("d3", "huawei")]),
    )
    devices = {n: _device(n) for n in ("d1", "d2", "d3")}
    all_units = run_rules([pack], AuditContext.build(inv, devices))
    assert [r.unit for r in all_units] == ["yanta", "huxian"]  # inventory order; no department
    only = run_rules([pack], AuditContext.build(inv, devices, selected_units=frozenset({"huxian"})))
    assert [r.unit for r in only] == ["huxian"]


def test_unit_rule_outcomes_and_fixed_responsible(tmp_path: Path) -> None:
    name = "test.unit_subjects"

    @register(name, subject=SubjectKind.EXIT)
    def exits(scope: Scope) -> list[Outcome]:
        return [
            Outcome.failed("undeclared", subject=f"{scope.unit.id}-fw:Gi0/1", device="x-fw"),
            Outcome.not_applicable("nothing here", subject=f"{scope.unit.id}-fw:Gi0/2"),
        ]

    try:
        pack = load_pack(_test_pack(tmp_path, name, "exit", extra="responsible: 市电子政务办"))
        inv = _inventory(_unit("yanta", "district", []))
        first, second = run_rules([pack], AuditContext.build(inv, {}))
    finally:
        unregister(name)
    assert (first.subject, first.device, first.status) == ("yanta-fw:Gi0/1", "x-fw", Status.FAIL)
    assert (second.subject, second.device) == ("yanta-fw:Gi0/2", None)
    assert first.responsible == "市电子政务办"


def test_severity_order() -> None:
    assert Severity.CRITICAL > Severity.HIGH > Severity.MEDIUM > Severity.LOW > Severity.INFO
    assert sorted([Severity.INFO, Severity.CRITICAL, Severity.LOW]) == [
        Severity.INFO,
        Severity.LOW,
        Severity.CRITICAL,
    ]
    assert Severity.HIGH.at_least(Severity.MEDIUM) and not Severity.LOW.at_least(Severity.HIGH)


def test_a_check_returning_nothing_for_a_device_is_an_error(tmp_path: Path) -> None:
    name = "test.silent"

    @register(name, subject=SubjectKind.DEVICE)
    def silent(scope: Scope) -> list[Outcome]:
        return []

    try:
        pack = load_pack(_test_pack(tmp_path, name))
        inv = _inventory(_unit("yanta", "district", [("d1", "huawei")]))
        (res,) = run_rules([pack], AuditContext.build(inv, {"d1": _device("d1")}))
    finally:
        unregister(name)
    assert res.status is Status.ERROR
