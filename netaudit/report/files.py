"""Reports for machines: findings.json, findings.csv and junit.xml (SPEC §8).

Input: an ``AuditRun``. Output: the three files in the output folder. findings.json follows
``netaudit/schemas/findings.schema.json`` (shipped; a test validates against it); the CSV is
UTF-8 with a BOM and Chinese headers so Excel opens it correctly; the JUnit file has one
testcase per rule × subject: ``fail`` → <failure>, ``error`` → <error>, ``unknown`` and
``not_applicable`` → <skipped> whose message starts with the status (never shown as passed).
"""

from __future__ import annotations

import csv
import dataclasses
import io
import json
from collections.abc import Iterable, Iterator, Sequence
from json.encoder import encode_basestring
from pathlib import Path

from netaudit.pipeline.run import AuditRun
from netaudit.policy.results import (
    ConfigEvidence,
    Evidence,
    NoteEvidence,
    PathEvidence,
    ProbeEvidence,
    Result,
    Status,
)

CSV_HEADERS = [
    ("rule", "规则"),
    ("status", "状态"),
    ("severity", "严重程度"),
    ("unit", "单位"),
    ("subject", "检查对象"),
    ("device", "设备"),
    ("message", "说明"),
    ("clause", "条款"),
    ("responsible", "责任单位"),
    ("deadline", "完成期限"),
    ("title", "规则名称"),
    ("remediation", "整改建议"),
    ("evidence", "证据"),
]


def evidence_text(ev: Evidence) -> str:
    """One line of plain text for an evidence item (CSV, JUnit, terminal)."""
    if isinstance(ev, ConfigEvidence):
        return f"{ev.device} {ev.file}:{ev.line}: {ev.text}"
    if isinstance(ev, PathEvidence):
        hops = " > ".join(
            f"{h.device}({h.in_interface or '-'}|{h.out_interface or '-'})" for h in ev.hops
        )
        tail = f" exit {ev.exit}" if ev.exit else ""
        flow = f"{ev.src} -> {ev.dst}: " if ev.src and ev.dst else ""
        return f"path {flow}{hops} => {ev.disposition}{tail}"
    if isinstance(ev, ProbeEvidence):
        seen = f" observed source {ev.observed_source}" if ev.observed_source else ""
        return f"probe {ev.probe}{seen}" + (f": {ev.detail}" if ev.detail else "")
    if isinstance(ev, NoteEvidence):
        return ev.text
    raise TypeError(type(ev).__name__)


def findings_chunks(run: AuditRun) -> Iterator[str]:
    """findings.json in pieces: indented, one result per line. Python's JSON encoder is pure
    Python whenever it indents; results (150,000 in a city of 10,000 devices) are written one
    line each (``result_lines``), and in chunks, never as one string of the whole file."""
    doc = dataclasses.replace(run, results=()).findings()
    doc.pop("results")
    head = json.dumps(doc, ensure_ascii=False, indent=2)
    if not run.results:
        yield head[:-2] + ',\n  "results": []\n}\n'
        return
    yield head[:-2] + ',\n  "results": [\n'
    lines = result_lines(run.results)
    for i in range(0, len(lines), _CHUNK):
        yield (",\n" if i else "") + ",\n".join(lines[i : i + _CHUNK])
    yield "\n  ]\n}\n"


_CHUNK = 2000  # lines per write
_encode = json.JSONEncoder(ensure_ascii=False).encode


class _JsonStrings(dict[str | None, str]):
    """JSON of strings (``null`` for None), each encoded once: names, rule texts and config
    lines repeat on many results."""

    def __init__(self) -> None:
        super().__init__({None: "null"})

    def __missing__(self, text: str | None) -> str:
        assert text is not None
        self[text] = quoted = encode_basestring(text)
        return quoted


def _fast_line(r: Result, q: _JsonStrings, tails: dict[tuple[str | None, ...], str]) -> str:
    """``_encode(r.to_data())`` written directly: the key order and formats of
    ``Result.to_data``, config-line evidence without a dict per item, and the rule's titles
    and remediation (the longest and most repeated strings) encoded once per rule."""
    evidence = []
    for ev in r.evidence:
        if type(ev) is ConfigEvidence:
            evidence.append(
                f'{{"kind": "config", "device": {q[ev.device]}, "file": {q[ev.file]}, '
                f'"line": {int.__repr__(ev.line)}, "text": {q[ev.text]}}}'
            )
        else:
            evidence.append(_encode(ev.to_data()))
    key = (r.title_zh, r.title_en, r.remediation_zh, r.remediation_en, r.pack)
    tail = tails.get(key)
    if tail is None:
        tail = tails[key] = (
            f'"title_zh": {q[r.title_zh]}, "title_en": {q[r.title_en]}, '
            f'"remediation_zh": {q[r.remediation_zh]}, '
            f'"remediation_en": {q[r.remediation_en]}, "pack": {q[r.pack]}}}'
        )
    return (
        f'    {{"rule": {q[r.rule]}, "status": "{r.status.value}", '
        f'"severity": "{r.severity.value}", "unit": {q[r.unit]}, '
        f'"subject": {q[r.subject]}, "device": {q[r.device]}, '
        f'"message": {q[r.message]}, "clause": {q[r.clause]}, '
        f'"responsible": {q[r.responsible]}, "deadline": {q[r.deadline]}, '
        f'"evidence": [{", ".join(evidence)}], {tail}'
    )


def result_lines(results: Sequence[Result]) -> list[str]:
    """One line of findings.json per result: ``"    " + encode(r.to_data())``.

    ``_fast_line`` is checked against ``to_data`` on the first result of every rule (every
    shape of evidence a rule gives); should ``Result.to_data`` ever change, the check fails
    and every line is encoded from ``to_data`` as before, so the file never drifts from it.
    """
    q = _JsonStrings()
    tails: dict[tuple[str | None, ...], str] = {}
    checked: set[str] = set()
    for r in results:
        if r.rule not in checked:
            checked.add(r.rule)
            if _fast_line(r, q, tails) != "    " + _encode(r.to_data()):
                return ["    " + _encode(r.to_data()) for r in results]
    return [_fast_line(r, q, tails) for r in results]


def write_json(run: AuditRun, out: Path) -> Path:
    path = out / "findings.json"
    with path.open("w", encoding="utf-8") as fh:
        for chunk in findings_chunks(run):
            fh.write(chunk)
    return path


def _csv_field(text: str) -> str:
    """A field as ``csv.writer`` (excel dialect, minimal quoting, ``\\r\\n``) writes it."""
    if "," in text or '"' in text or "\n" in text or "\r" in text:
        return '"' + text.replace('"', '""') + '"'
    return text


class _Quoted(dict[str, str]):
    """``_csv_field`` of the values that repeat on every row of a rule or unit, once each."""

    def __missing__(self, text: str) -> str:
        self[text] = quoted = _csv_field(text)
        return quoted


def evidence_bodies(results: Sequence[Result]) -> list[str]:
    """The plain-text evidence of each result (``evidence_text`` lines), for CSV and JUnit."""
    return ["\n".join([evidence_text(e) for e in r.evidence]) for r in results]


def _csv_row(r: Result, evidence: str) -> list[str]:
    """One row of findings.csv, as strings (the ``csv.writer`` input)."""
    return [
        r.rule,
        r.status.value,
        r.severity.value,
        r.unit or "",
        r.subject,
        r.device or "",
        r.message,
        r.clause,
        r.responsible or "",
        r.deadline or "",
        r.title_zh,
        r.remediation_zh,
        evidence,
    ]


def _csv_line(r: Result, evidence: str, q: _Quoted) -> str:
    """``_csv_row`` as ``csv.writer`` writes it, the repeated values quoted once (``q``)."""
    return (
        f"{q[r.rule]},{r.status.value},{r.severity.value},{q[r.unit or '']},"
        f"{_csv_field(r.subject)},{q[r.device or '']},{_csv_field(r.message)},"
        f"{q[r.clause]},{q[r.responsible or '']},{q[r.deadline or '']},{q[r.title_zh]},"
        f"{q[r.remediation_zh]},{_csv_field(evidence)}\r\n"
    )


def _csv_writer_text(rows: Iterable[list[str]]) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerows(rows)
    return buf.getvalue()


def _first_of_each_rule(results: Sequence[Result]) -> list[int]:
    first: dict[str, int] = {}
    for i, r in enumerate(results):
        first.setdefault(r.rule, i)
    return list(first.values())


def csv_chunks(run: AuditRun, bodies: Sequence[str] | None = None) -> Iterator[str]:
    """findings.csv in pieces, as ``csv.writer`` writes ``_csv_row`` of every result but
    quoted here: the writer scans every character of the long rule texts repeated on every
    row, ``_Quoted`` quotes each of them once. Checked against ``csv.writer`` on the first
    row of every rule (the whole file falls back to it should they ever differ).
    ``bodies``: ``evidence_bodies(run.results)``, when the caller has them."""
    results = run.results
    evidence = evidence_bodies(results) if bodies is None else bodies
    yield _csv_writer_text([[zh for _, zh in CSV_HEADERS]])
    q = _Quoted()
    for i in _first_of_each_rule(results):
        if _csv_line(results[i], evidence[i], q) != _csv_writer_text(
            [_csv_row(results[i], evidence[i])]
        ):
            for k in range(0, len(results), _CHUNK):
                part = zip(results[k : k + _CHUNK], evidence[k : k + _CHUNK], strict=True)
                yield _csv_writer_text(_csv_row(r, e) for r, e in part)
            return
    for k in range(0, len(results), _CHUNK):
        part = zip(results[k : k + _CHUNK], evidence[k : k + _CHUNK], strict=True)
        yield "".join([_csv_line(r, e, q) for r, e in part])


def write_csv(run: AuditRun, out: Path, bodies: Sequence[str] | None = None) -> Path:
    path = out / "findings.csv"
    # utf-8-sig writes the BOM Excel needs to read UTF-8; newline="": the rows end in \r\n.
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        for chunk in csv_chunks(run, bodies):
            fh.write(chunk)
    return path


# ElementTree's escaping (``_escape_cdata`` / ``_escape_attrib``), so junit.xml stays the same
# bytes as when ElementTree wrote it.
_CDATA_ESCAPES = (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;"))
_ATTR_ESCAPES = (
    *_CDATA_ESCAPES,
    ('"', "&quot;"),
    ("\r", "&#13;"),
    ("\n", "&#10;"),
    ("\t", "&#09;"),
)


def _escape(text: str, escapes: tuple[tuple[str, str], ...]) -> str:
    for char, entity in escapes:
        if char in text:
            text = text.replace(char, entity)
    return text


def _attr(text: str) -> str:
    """An attribute value escaped as ElementTree escapes it."""
    return _escape(text, _ATTR_ESCAPES)


def _cdata(text: str) -> str:
    """Element text escaped as ElementTree escapes it."""
    return _escape(text, _CDATA_ESCAPES)


def _child(tag: str, attrs: str, body: str) -> str:
    """A childless element on its own line, as ElementTree writes it (empty: ``<x ... />``)."""
    if body:
        return f"      <{tag}{attrs}>{_cdata(body)}</{tag}>"
    return f"      <{tag}{attrs} />"


def _testcase(r: Result, body: str) -> str:
    classname = _attr(f"{r.pack or 'netaudit'}.{r.rule}")
    head = f'    <testcase classname="{classname}" name="{_attr(r.subject)}" time="0"'
    status = r.status
    if status is Status.FAIL:
        attrs = f' message="{_attr(r.message)}" type="{_attr(r.severity.value)}"'
        child = _child("failure", attrs, body)
    elif status is Status.ERROR:
        child = _child("error", f' message="{_attr(r.message)}" type="error"', body)
    elif status is Status.UNKNOWN or status is Status.NOT_APPLICABLE:
        child = _child("skipped", f' message="{_attr(f"{status.value}: {r.message}")}"', "")
    elif body:
        child = _child("system-out", "", body)
    else:
        return head + " />"
    return head + ">\n" + child + "\n    </testcase>"


def junit_chunks(run: AuditRun, bodies: Sequence[str] | None = None) -> Iterator[str]:
    """junit.xml in pieces: the text ``ET.indent`` + ``ET.tostring`` give for the tree of
    testsuites (one per unit) and testcases, written directly — building and serializing a
    quarter of a million elements for a city of 10,000 devices took longer than the checks.
    ``bodies``: ``evidence_bodies(run.results)``, when the caller has them."""
    evidence = evidence_bodies(run.results) if bodies is None else bodies
    by_unit: dict[str, list[int]] = {}
    for i, r in enumerate(run.results):
        by_unit.setdefault(r.unit or "(city)", []).append(i)
    totals = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
    started = _attr(run.started_at.isoformat())
    suites: list[tuple[str, list[int]]] = []
    for unit, indexes in by_unit.items():
        statuses = [run.results[i].status for i in indexes]
        counts = {
            "tests": len(statuses),
            "failures": statuses.count(Status.FAIL),
            "errors": statuses.count(Status.ERROR),
            "skipped": statuses.count(Status.UNKNOWN) + statuses.count(Status.NOT_APPLICABLE),
        }
        for k, v in counts.items():
            totals[k] += v
        numbers = "".join(f' {k}="{v}"' for k, v in counts.items())
        head = f'  <testsuite name="{_attr(unit)}" timestamp="{started}" time="0"{numbers}>'
        suites.append((head, indexes))
    numbers = "".join(f' {k}="{v}"' for k, v in totals.items())
    root = f'<testsuites name="{_attr(f"netaudit {run.inventory}")}"{numbers}'
    yield "<?xml version='1.0' encoding='utf-8'?>\n" + root
    if not suites:
        yield " />\n"
        return
    yield ">\n"
    for head, indexes in suites:
        lines = [head]
        lines += [_testcase(run.results[i], evidence[i]) for i in indexes]
        lines.append("  </testsuite>\n")
        yield "\n".join(lines)
    yield "</testsuites>\n"


def write_junit(run: AuditRun, out: Path, bodies: Sequence[str] | None = None) -> Path:
    path = out / "junit.xml"
    with path.open("w", encoding="utf-8", newline="") as fh:
        for chunk in junit_chunks(run, bodies):
            fh.write(chunk)
    return path


def write_machine_files(run: AuditRun, out: Path) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    bodies = evidence_bodies(run.results)
    return [write_json(run, out), write_csv(run, out, bodies), write_junit(run, out, bodies)]
