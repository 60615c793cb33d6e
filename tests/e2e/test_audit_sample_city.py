"""The whole sample city, audited offline through the CLI: the planted violations and nothing
else fail (inventories/xian/EXPECTED.md, both directions); every output file is right."""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

ROOT = Path(__file__).parents[2]
XIAN = ROOT / "inventories" / "xian"
GOLDEN = Path(__file__).parent / "golden" / "xian-findings.json"
SCHEMA = ROOT / "netaudit" / "schemas" / "findings.schema.json"

Audit = tuple[subprocess.CompletedProcess[str], Path]


@pytest.fixture(scope="module")
def audit(
    tmp_path_factory: pytest.TempPathFactory,
) -> Audit:
    tmp = tmp_path_factory.mktemp("xian")
    out = tmp / "out"
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "netaudit",
            "audit",
            str(XIAN),
            "--out",
            str(out),
            "--db",
            f"sqlite:///{tmp / 'store.db'}",
        ],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
        cwd=tmp,
    )
    return proc, out


def _findings(out: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((out / "findings.json").read_text(encoding="utf-8"))
    return data


def _expected() -> set[tuple[str, str, str]]:
    text = (XIAN / "EXPECTED.md").read_text(encoding="utf-8")
    match = re.search(r"```yaml\n(.*?)```", text, re.S)
    assert match, "EXPECTED.md has no machine-readable yaml block"
    return {(d["rule"], d["unit"], d["subject"]) for d in yaml.safe_load(match.group(1))}


def test_exit_code_and_summary(audit: Audit) -> None:
    proc, _ = audit
    assert proc.returncode == 1, proc.stderr  # high-severity failures are planted
    assert "Traceback" not in proc.stderr
    assert "未央区 (weiyang)" in proc.stdout
    assert "171 devices (0 not collected/parsed)" in proc.stdout


def test_failures_equal_expected_md(audit: Audit) -> None:
    _, out = audit
    results = _findings(out)["results"]
    failing = {(r["rule"], r["unit"], r["subject"]) for r in results if r["status"] == "fail"}
    expected = _expected()
    assert sorted(expected - failing) == [], "planted violations not found"
    assert sorted(failing - expected) == [], "failures not listed in EXPECTED.md"
    errors = [(r["rule"], r["subject"], r["message"]) for r in results if r["status"] == "error"]
    assert errors == []


def test_every_failure_carries_evidence(
    audit: Audit,
) -> None:
    _, out = audit
    for r in _findings(out)["results"]:
        if r["status"] == "fail":
            assert r["evidence"], (r["rule"], r["subject"])
            for e in r["evidence"]:
                if e["kind"] == "config":
                    assert e["file"].startswith("configs/") and e["line"] >= 1


def test_findings_json_schema_and_golden(audit: Audit, update_golden: bool) -> None:
    _, out = audit
    doc = _findings(out)
    jsonschema.validate(doc, json.loads(SCHEMA.read_text(encoding="utf-8")))
    # The golden keeps every result that is not a pass (full), and the count of passes.
    summary = {
        "passes": sum(r["status"] == "pass" for r in doc["results"]),
        "others": [r for r in doc["results"] if r["status"] != "pass"],
    }
    text = json.dumps(summary, ensure_ascii=False, indent=1, sort_keys=True) + "\n"
    if update_golden or not GOLDEN.exists():
        GOLDEN.write_text(text, encoding="utf-8")
    assert json.loads(GOLDEN.read_text(encoding="utf-8")) == summary, (
        "findings changed: run pytest --update-golden and review the diff"
    )


def test_csv_and_junit(audit: Audit) -> None:
    _, out = audit
    doc = _findings(out)
    raw = (out / "findings.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0][0] == "规则" and len(rows) == len(doc["results"]) + 1
    root = ET.parse(out / "junit.xml").getroot()
    fails = sum(r["status"] == "fail" for r in doc["results"])
    assert int(root.get("failures", "-1")) == fails
    assert int(root.get("tests", "-1")) == len(doc["results"])


def test_one_page_per_unit(audit: Audit) -> None:
    _, out = audit
    units = sorted(p.stem for p in (XIAN / "units").glob("*.yaml"))
    pages = sorted(p.stem for p in out.glob("*.html") if p.stem != "index")
    assert pages == units
    weiyang = (out / "weiyang.html").read_text(encoding="utf-8")
    assert "weiyang-rogue:GigabitEthernet0/0/1" in weiyang
    assert "PLAN-OFFICE-NO-PRIVATE-INTERNET" in weiyang
