"""The shipped sample city ``inventories/xian``: generated deterministically, complete, and its
EXPECTED.md readable by the audit tests.

Stage: test data. Input: the committed inventory folder and its generator. Output: assertions
on what a user of the sample city relies on (every unit, platform and config present; the
expected-results table names real rules and units).
"""

from __future__ import annotations

import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
CITY = ROOT / "inventories" / "xian"

# SPEC §6: the plan pack and the MLPS pack.
SPEC_RULES = {
    "PLAN-EXIT-COUNT",
    "PLAN-EXIT-DECLARED",
    "PLAN-EXIT-FIREWALL",
    "PLAN-INTRA-UPLINK",
    "PLAN-INTRA-ISOLATION",
    "PLAN-EXTRA-UPLINK",
    "PLAN-OFFICE-NO-PRIVATE-INTERNET",
    "PLAN-OFFICE-ROGUE-GATEWAY",
    "PLAN-PROBE-CONSISTENT",
    "PLAN-PRIVNET-INTEGRATED",
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

DISTRICTS = {
    "xincheng", "beilin", "lianhu", "yanta", "baqiao", "weiyang", "yanliang",
    "lintong", "changan", "gaoling", "huyi",
}  # fmt: skip
COUNTIES = {"lantian", "zhouzhi"}
DEVZONES = {"gaoxin", "jingkai", "qujiang", "chanba", "gangwu", "hangtian"}


def load_units() -> dict[str, dict[str, object]]:
    units = {}
    for path in sorted((CITY / "units").glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        units[data["id"]] = data
    return units


def all_devices() -> list[dict[str, str]]:
    return [d for u in load_units().values() for d in u["devices"]]  # type: ignore[attr-defined]


def expected_block() -> list[dict[str, str]]:
    text = (CITY / "EXPECTED.md").read_text(encoding="utf-8")
    m = re.search(r"```yaml\n(.*?)```", text, re.S)
    assert m, "EXPECTED.md has no ```yaml block"
    data = yaml.safe_load(m.group(1))
    assert isinstance(data, list)
    return data


def test_generator_is_deterministic_and_matches_committed_files(tmp_path: Path) -> None:
    subprocess.run(
        [sys.executable, str(CITY / "generate.py"), str(tmp_path)], check=True, cwd=tmp_path
    )
    committed = {
        p.relative_to(CITY): p.read_bytes()
        for p in CITY.rglob("*")
        if p.is_file() and p.suffix in {".yaml", ".cfg", ".md"}
    }
    fresh = {p.relative_to(tmp_path): p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()}
    assert sorted(fresh) == sorted(committed), "generated file set differs from the committed one"
    stale = [str(k) for k in fresh if fresh[k] != committed[k]]
    assert not stale, f"re-run generate.py and commit: {stale[:5]}"


def test_every_unit_and_kind_is_present() -> None:
    units = load_units()
    kinds = Counter(str(u["kind"]) for u in units.values())
    assert kinds["municipal"] == 1
    assert {k for k, u in units.items() if u["kind"] == "district"} >= DISTRICTS
    assert {k for k, u in units.items() if u["kind"] == "county"} >= COUNTIES
    assert {k for k, u in units.items() if u["kind"] == "devzone"} >= DEVZONES
    assert kinds["devzone"] >= 6
    assert kinds["department"] >= 8
    campus = {u.get("campus") for u in units.values() if u["kind"] == "department"}
    assert campus == {"inside", "outside"}


def test_at_least_150_devices_on_all_five_platforms_each_with_its_config() -> None:
    devices = all_devices()
    assert len(devices) >= 150
    assert {d["platform"] for d in devices} == {
        "huawei",
        "huawei_vrpv8",
        "hp_comware",
        "cisco_ios",
        "ruijie_os",
    }
    names = [d["name"] for d in devices]
    assert len(names) == len(set(names)), "device names must be unique"
    missing = [d["config"] for d in devices if not (CITY / d["config"]).is_file()]
    assert not missing


def test_configs_look_like_their_platform() -> None:
    for d in all_devices():
        raw = (CITY / d["config"]).read_bytes()
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            text = raw.decode("gbk")
        lines = [ln for ln in text.replace("\r\n", "\n").split("\n") if ln]
        if d["platform"] in ("cisco_ios", "ruijie_os"):
            assert lines[0] == "Building configuration...", d["name"]
            assert lines[-1] == "end", d["name"]
        else:
            assert "return" in lines[-2:], d["name"]
            assert "#" in lines, d["name"]


def test_usg_and_comware_5_and_7_styles_are_present() -> None:
    texts = [(CITY / d["config"]).read_bytes() for d in all_devices()]
    assert any(b"security-policy\n default action" in t for t in texts), "no USG firewall"
    assert any(b" version 5.20" in t for t in texts), "no Comware 5 config"
    assert any(b" version 7.1" in t for t in texts), "no Comware 7 config"
    assert any(b"telnet server disable" in t for t in texts), "no VRP8 config"


def test_a_gbk_config_with_chinese_descriptions_exists() -> None:
    gbk = []
    for p in sorted((CITY / "configs").glob("*.cfg")):
        raw = p.read_bytes()
        try:
            raw.decode("utf-8")
        except UnicodeDecodeError:
            gbk.append(raw.decode("gbk"))
    assert gbk, "no GBK-encoded config"
    assert any("办公网" in t for t in gbk)


def test_a_terminal_capture_with_pager_leftovers_exists() -> None:
    captures = [
        p.read_bytes()
        for p in sorted((CITY / "configs").glob("*.cfg"))
        if p.read_bytes().startswith(b"<")
    ]
    assert captures, "no config captured with a prompt"
    cap = captures[0]
    assert b">display current-configuration" in cap.split(b"\n", 1)[0]
    assert b"---- More ----\x1b[42D" in cap
    assert cap.rstrip().endswith(b">")


def test_no_address_from_the_forbidden_documentation_range() -> None:
    for p in sorted(CITY.rglob("*")):
        if p.is_file():
            assert b"192.0.2." not in p.read_bytes(), p


def test_declared_exits_name_real_config_interfaces() -> None:
    for u in load_units().values():
        for ex in u.get("exits", []):  # type: ignore[attr-defined]
            dev = next(d for d in u["devices"] if d["name"] == ex["device"])  # type: ignore[attr-defined]
            text = (CITY / dev["config"]).read_text(encoding="utf-8")
            assert re.search(rf"^interface {re.escape(ex['interface'])}$", text, re.M), ex


def test_expected_block_names_only_spec_rules_and_existing_units() -> None:
    rows = expected_block()
    units = load_units()
    devices = {d["name"] for d in all_devices()}
    assert rows
    for row in rows:
        assert set(row) == {"rule", "unit", "subject"}
        assert row["rule"] in SPEC_RULES, row
        assert row["unit"] in units, row
        if row["rule"].startswith("MLPS-"):
            assert row["subject"] in devices, row
    keys = [(r["rule"], r["unit"], r["subject"]) for r in rows]
    assert len(keys) == len(set(keys)), "duplicate expected rows"


def test_expected_table_and_block_agree() -> None:
    text = (CITY / "EXPECTED.md").read_text(encoding="utf-8")
    table = {
        (m.group(1), m.group(2), m.group(3))
        for m in re.finditer(r"^\| (\S+) \| (\S+) \| `([^`]+)` \|", text, re.M)
    }
    block = {(r["rule"], r["unit"], r["subject"]) for r in expected_block()}
    assert table == block


@pytest.mark.parametrize("rule", ["PLAN-OFFICE-ROGUE-GATEWAY", "PLAN-PROBE-CONSISTENT"])
def test_probe_rules_never_fail_offline(rule: str) -> None:
    assert all(r["rule"] != rule for r in expected_block())
