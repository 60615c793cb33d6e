"""findings.json / findings.csv / junit.xml: schema-valid, Excel-friendly, JUnit-readable."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET
from pathlib import Path

import jsonschema

from netaudit.report.files import write_machine_files
from tests.report.sample_run import sample_run

SCHEMA = Path(__file__).parents[2] / "netaudit" / "schemas" / "findings.schema.json"


def test_findings_json_validates_against_shipped_schema(tmp_path: Path) -> None:
    write_machine_files(sample_run(), tmp_path)
    doc = json.loads((tmp_path / "findings.json").read_text(encoding="utf-8"))
    jsonschema.validate(doc, json.loads(SCHEMA.read_text(encoding="utf-8")))
    assert doc["schema"] == "netaudit.findings/1"
    first = doc["results"][0]
    assert list(first)[:11] == [
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
    kinds = [e["kind"] for e in first["evidence"]]
    assert kinds == ["config", "path", "probe"]
    assert first["evidence"][0]["line"] == 41


def test_schema_rejects_a_result_without_status(tmp_path: Path) -> None:
    write_machine_files(sample_run(), tmp_path)
    doc = json.loads((tmp_path / "findings.json").read_text(encoding="utf-8"))
    del doc["results"][0]["status"]
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    try:
        jsonschema.validate(doc, schema)
    except jsonschema.ValidationError as exc:
        assert "status" in exc.message
    else:
        raise AssertionError("schema accepted a result without status")


def test_csv_has_bom_chinese_headers_and_round_trips(tmp_path: Path) -> None:
    run = sample_run()
    write_machine_files(run, tmp_path)
    raw = (tmp_path / "findings.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "Excel needs the UTF-8 BOM"
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0][:4] == ["规则", "状态", "严重程度", "单位"]
    assert len(rows) == 1 + len(run.results)
    assert rows[1][0] == "PLAN-EXIT-COUNT" and rows[1][1] == "fail"
    assert "configs/yanta-fw2.cfg:41" in rows[1][-1]


def test_junit_one_testcase_per_rule_and_subject(tmp_path: Path) -> None:
    run = sample_run()
    write_machine_files(run, tmp_path)
    root = ET.parse(tmp_path / "junit.xml").getroot()
    assert root.tag == "testsuites"
    cases = root.findall(".//testcase")
    assert len(cases) == len(run.results)
    assert root.get("failures") == "2"
    failing = [c for c in cases if c.find("failure") is not None]
    names = {(c.get("classname"), c.get("name")) for c in failing}
    assert ("xian-egov-plan.PLAN-EXIT-COUNT", "yanta") in names
    skipped = [c.find("skipped") for c in cases if c.find("skipped") is not None]
    assert skipped and all(
        s is not None and (s.get("message") or "").startswith("unknown") for s in skipped
    )
