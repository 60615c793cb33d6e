"""Rule-pack loading: the shipped packs load; every malformed pack names its file and line."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from netaudit.errors import PolicyError
from netaudit.inventory.yamlsrc import load_yaml
from netaudit.policy.pack import (
    DEFAULT_POLICY_DIR,
    apply_overrides,
    load_pack,
    load_packs,
)
from netaudit.policy.results import Severity

GOOD_RULE = """
  - id: T-NTP
    title: {zh: 时间同步, en: NTP}
    clause: GB/T 22239-2019 8.1.4.3 b
    severity: low
    check: mlps.ntp
    subject: device
    applies_to: [district]
    remediation: {zh: 配置 NTP, en: configure NTP}
"""


def _pack(tmp_path: Path, rules: str, name: str = "pack.yaml", pack_id: str = "t") -> Path:
    path = tmp_path / name
    head = f"id: {pack_id}\nname: {{zh: 测试, en: test}}\nversion: '1'\nrules:"
    path.write_text(head + textwrap.dedent(rules), encoding="utf-8")
    return path


def test_shipped_packs_load_with_every_spec_rule() -> None:
    packs = load_packs(sorted(DEFAULT_POLICY_DIR.glob("*.yaml")))
    ids = {r.id for p in packs for r in p.rules}
    mlps = {
        "MLPS-AUTH-LOGIN",
        "MLPS-AUTH-PASSWORD-POLICY",
        "MLPS-AUTH-LOCKOUT",
        "MLPS-AUTH-IDLE-TIMEOUT",
        "MLPS-MGMT-SECURE-PROTOCOLS",
        "MLPS-MGMT-ACL",
        "MLPS-STORED-SECRETS",
        "MLPS-AUDIT-SYSLOG",
        "MLPS-AUDIT-NTP",
        "MLPS-SNMP",
        "MLPS-BOUNDARY-DEFAULT-DENY",
        "MLPS-BOUNDARY-EXPOSED-SERVICES",
        "MLPS-SERVICES-MINIMAL",
    }
    assert mlps <= ids
    rule = next(r for p in packs for r in p.rules if r.id == "MLPS-AUTH-PASSWORD-POLICY")
    assert rule.params.get_int("min_length") == 8
    assert rule.params.get_int("max_age_days") == 90
    exposed = next(r for p in packs for r in p.rules if r.id == "MLPS-BOUNDARY-EXPOSED-SERVICES")
    assert exposed.params.get_int_list("risky_ports") == [22, 23, 445, 1433, 3306, 3389]


def test_good_pack_loads(tmp_path: Path) -> None:
    pack = load_pack(_pack(tmp_path, GOOD_RULE))
    (rule,) = pack.rules
    assert rule.severity is Severity.LOW
    assert rule.check.name == "mlps.ntp"
    assert rule.line == 5


def _line_of(path: Path, text: str) -> int:
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if text in line:
            return number
    raise AssertionError(text)


@pytest.mark.parametrize(
    ("change", "words"),
    [
        ("    colour: red\n", "unknown key 'rules[0].colour'"),
        ("    severity: urgent\n", "'rules[0].severity': Input should be 'critical'"),
        ("    check: mlps.nonexistent\n", "unknown check 'mlps.nonexistent'"),
        ("    parameters: {max_secs: 5}\n", "no parameter 'max_secs'"),
        ("    subject: unit\n", "reports on 'device' subjects, not 'unit'"),
    ],
)
def test_bad_rule_names_file_and_line(tmp_path: Path, change: str, words: str) -> None:
    key = change.strip().split(":")[0]
    lines = [ln for ln in GOOD_RULE.splitlines() if not ln.strip().startswith(f"{key}:")]
    path = _pack(tmp_path, "\n".join(lines) + "\n" + change)
    with pytest.raises(PolicyError) as err:
        load_pack(path)
    message = str(err.value)
    assert f"{path}:{_line_of(path, change.strip())}: " in message
    assert words in message


def test_parameter_of_wrong_type(tmp_path: Path) -> None:
    rules = GOOD_RULE.replace("check: mlps.ntp", "check: mlps.lockout").replace(
        "    remediation", "    parameters:\n      max_attempts: five\n    remediation"
    )
    path = _pack(tmp_path, rules)
    with pytest.raises(PolicyError, match=r"pack\.yaml:13: rule T-NTP: parameter 'max_attempts' "):
        load_pack(path)


def test_every_problem_is_reported_at_once(tmp_path: Path) -> None:
    second = GOOD_RULE.replace("T-NTP", "T-TWO").replace("mlps.ntp", "nope.check")
    path = _pack(tmp_path, GOOD_RULE + second + GOOD_RULE)
    with pytest.raises(PolicyError) as err:
        load_pack(path)
    message = str(err.value)
    assert "2 problem(s)" in message
    check_line = _line_of(path, "nope.check")
    assert f"{path}:{check_line}: rule T-TWO: unknown check 'nope.check'" in message
    lines = path.read_text(encoding="utf-8").splitlines()
    last_id = max(i for i, ln in enumerate(lines, 1) if "- id: T-NTP" in ln)
    assert f"{path}:{last_id}: duplicate rule id 'T-NTP'" in message


def test_bad_yaml_names_line(tmp_path: Path) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text("id: x\nrules: [\n  - a: b\n", encoding="utf-8")
    with pytest.raises(PolicyError, match=r"broken\.yaml:\d+: invalid YAML"):
        load_pack(path)


def test_rule_id_defined_in_two_packs(tmp_path: Path) -> None:
    a = _pack(tmp_path, GOOD_RULE, "a.yaml", "a")
    b = _pack(tmp_path, GOOD_RULE, "b.yaml", "b")
    with pytest.raises(
        PolicyError, match=r"b\.yaml:5: rule id 'T-NTP' is also defined in .*a\.yaml:5"
    ):
        load_packs([a, b])


def test_city_override_replaces_pack_value(tmp_path: Path) -> None:
    packs = load_packs(sorted(DEFAULT_POLICY_DIR.glob("*.yaml")))
    out = apply_overrides(packs, {"MLPS-AUTH-LOCKOUT": {"max_attempts": 3}}, "city.yaml")
    rule = next(r for p in out for r in p.rules if r.id == "MLPS-AUTH-LOCKOUT")
    assert rule.params.get_int("max_attempts") == 3
    untouched = next(r for p in out for r in p.rules if r.id == "MLPS-AUTH-IDLE-TIMEOUT")
    assert untouched.params.get_int("max_seconds") == 600


def test_city_override_of_unknown_rule_or_parameter_names_city_yaml(tmp_path: Path) -> None:
    city = tmp_path / "city.yaml"
    city.write_text(
        "id: x\nname: X\nparameters:\n  MLPS-NOPE: {max: 2}\n"
        "  MLPS-AUTH-LOCKOUT:\n    attempts: 3\n  MLPS-AUTH-IDLE-TIMEOUT: {max_seconds: ten}\n",
        encoding="utf-8",
    )
    src = load_yaml(city)
    packs = load_packs(sorted(DEFAULT_POLICY_DIR.glob("*.yaml")))
    overrides = {
        "MLPS-NOPE": {"max": 2},
        "MLPS-AUTH-LOCKOUT": {"attempts": 3},
        "MLPS-AUTH-IDLE-TIMEOUT": {"max_seconds": "ten"},
    }
    with pytest.raises(PolicyError) as err:
        apply_overrides(packs, overrides, str(city), src)
    message = str(err.value)
    assert f"{city}:4: parameters: no rule 'MLPS-NOPE'" in message
    assert f"{city}:6: parameters.MLPS-AUTH-LOCKOUT: rule has no parameter 'attempts'" in message
    assert f"{city}:7: parameters.MLPS-AUTH-IDLE-TIMEOUT.max_seconds must be int" in message
