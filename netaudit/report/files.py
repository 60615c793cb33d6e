"""Reports for machines: findings.json, findings.csv and junit.xml (SPEC §8).

Input: an ``AuditRun``. Output: the three files in the output folder. findings.json follows
``netaudit/schemas/findings.schema.json`` (shipped; a test validates against it); the CSV is
UTF-8 with a BOM and Chinese headers so Excel opens it correctly; the JUnit file has one
testcase per rule × subject: ``fail`` → <failure>, ``error`` → <error>, ``unknown`` and
``not_applicable`` → <skipped> whose message starts with the status (never shown as passed).
"""

from __future__ import annotations

import codecs
import csv
import dataclasses
import io
import json
import os
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
    Severity,
    Status,
)
from netaudit.report.overwrite import overwrite

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


def findings_chunks(run: AuditRun) -> Iterator[bytes]:
    """findings.json in pieces, UTF-8: indented, one result per line. Python's JSON encoder is
    pure Python whenever it indents; results (150,000 in a city of 10,000 devices) are written
    one line each (``result_parts``), and in chunks, never as one string of the whole file."""
    doc = dataclasses.replace(run, results=()).findings()
    doc.pop("results")
    head = json.dumps(doc, ensure_ascii=False, indent=2)
    if not run.results:
        yield (head[:-2] + ',\n  "results": []\n}\n').encode()
        return
    yield (head[:-2] + ',\n  "results": [\n').encode()
    parts = result_parts(run.results)
    step = 5 * _CHUNK
    for i in range(0, len(parts), step):
        yield b"".join(parts[i : i + step])
    yield b"\n  ]\n}\n"


_CHUNK = 2000  # lines per write
_encode = json.JSONEncoder(ensure_ascii=False).encode
# ``.value`` of an enum member is a Python-level property: one lookup here instead, per field.
_STATUS = {s: s.value for s in Status}
_SEVERITY = {s: s.value for s in Severity}


class _JsonStrings(dict[str | None, str]):
    """JSON of strings (``null`` for None), each encoded once: names and rule texts repeat on
    many results."""

    def __init__(self) -> None:
        super().__init__({None: "null"})

    def __missing__(self, text: str | None) -> str:
        assert text is not None
        self[text] = quoted = encode_basestring(text)
        return quoted


class _Lines:
    """The per-run caches of ``result_parts``: JSON strings, and the UTF-8 pieces of a line that
    repeat (a rule's texts; a rule's clause in a unit), each encoded once."""

    def __init__(self) -> None:
        self.q = _JsonStrings()
        self.middles: dict[tuple[str | None, ...], bytes] = {}
        self.tails: dict[tuple[str | None, ...], bytes] = {}
        # The shapes of evidence ``_other_evidence`` has met: whether its text matched
        # ``_encode(ev.to_data())`` on the first item of that shape.
        self.shapes: dict[tuple[object, ...], bool] = {}


def _fast_line(r: Result, c: _Lines) -> tuple[bytes, bytes, bytes, bytes]:
    """``"    " + _encode(r.to_data())`` written directly, in four UTF-8 pieces: the key order
    and formats of ``Result.to_data``; evidence without a dict per item; the clause,
    responsible unit and deadline (Chinese: slow to encode) and the rule's titles and
    remediation (the longest and most repeated strings) as pieces encoded once each."""
    q = c.q
    evidence = []
    for ev in r.evidence:
        if type(ev) is ConfigEvidence:
            # Short strings: encoded each time (in C) costs less than a lookup, which first
            # hashes each new string object (a run loaded from the store has one per line).
            evidence.append(
                f'{{"kind": "config", "device": {encode_basestring(ev.device)}, '
                f'"file": {encode_basestring(ev.file)}, "line": {int.__repr__(ev.line)}, '
                f'"text": {encode_basestring(ev.text)}}}'
            )
        else:
            evidence.append(_other_evidence(ev, c))
    unit_key = (r.clause, r.responsible, r.deadline)
    middle = c.middles.get(unit_key)
    if middle is None:
        middle = c.middles[unit_key] = (
            f'"clause": {q[r.clause]}, "responsible": {q[r.responsible]}, '
            f'"deadline": {q[r.deadline]}, "evidence": ['
        ).encode()
    key = (r.title_zh, r.title_en, r.remediation_zh, r.remediation_en, r.pack)
    tail = c.tails.get(key)
    if tail is None:
        tail = c.tails[key] = (
            f'], "title_zh": {q[r.title_zh]}, "title_en": {q[r.title_en]}, '
            f'"remediation_zh": {q[r.remediation_zh]}, '
            f'"remediation_en": {q[r.remediation_en]}, "pack": {q[r.pack]}}}'
        ).encode()
    head = (
        f'    {{"rule": {q[r.rule]}, "status": "{_STATUS[r.status]}", '
        f'"severity": "{_SEVERITY[r.severity]}", "unit": {q[r.unit]}, '
        f'"subject": {encode_basestring(r.subject)}, "device": {q[r.device]}, '
        f'"message": {encode_basestring(r.message)}, '
    )
    return head.encode(), middle, ", ".join(evidence).encode(), tail


def _other_evidence(ev: Evidence, c: _Lines) -> str:
    """``_encode(ev.to_data())`` of a path, probe or note, written directly: the encoder's
    set-up costs more than the encoding of such a small item. Checked on the first item of
    every shape (which optional values are None); a shape that differs is encoded from
    ``to_data`` from then on."""
    q = c.q
    if type(ev) is PathEvidence:
        shape: tuple[object, ...] = (
            PathEvidence,
            ev.exit is None,
            ev.src is None,
            ev.dst is None,
            ev.detail is None,
            *[(h.in_interface is None, h.out_interface is None, h.detail is None) for h in ev.hops],
        )
        hops = ", ".join(
            [
                f'{{"device": {q[h.device]}, "in": {q[h.in_interface]}, '
                f'"out": {q[h.out_interface]}'
                + ("}" if h.detail is None else f', "detail": {q[h.detail]}}}')
                for h in ev.hops
            ]
        )
        text = (
            f'{{"kind": "path", "disposition": {q[ev.disposition]}, "exit": {q[ev.exit]}, '
            f'"hops": [{hops}]'
            + ("" if ev.src is None else f', "src": {q[ev.src]}')
            + ("" if ev.dst is None else f', "dst": {q[ev.dst]}')
            + ("}" if ev.detail is None else f', "detail": {q[ev.detail]}}}')
        )
    elif type(ev) is NoteEvidence:
        shape = (NoteEvidence,)
        text = f'{{"kind": "note", "text": {q[ev.text]}}}'
    elif type(ev) is ProbeEvidence:
        shape = (ProbeEvidence, ev.observed_source is None, ev.detail is None)
        text = (
            f'{{"kind": "probe", "probe": {q[ev.probe]}, '
            f'"observed_source": {q[ev.observed_source]}'
            + ("}" if ev.detail is None else f', "detail": {q[ev.detail]}}}')
        )
    else:
        return _encode(ev.to_data())
    same = c.shapes.get(shape)
    if same is None:
        same = c.shapes[shape] = text == _encode(ev.to_data())
    return text if same else _encode(ev.to_data())


def _generic_line(r: Result) -> bytes:
    return ("    " + _encode(r.to_data())).encode()


def result_parts(results: Sequence[Result]) -> list[bytes]:
    """The lines of findings.json's results, ``"    " + encode(r.to_data())`` each, UTF-8,
    joined by ",\\n": five pieces per line (the separator, then ``_fast_line``'s), the first
    separator empty.

    ``_fast_line`` is checked against ``to_data`` on the first result of every rule (every
    shape of evidence a rule gives); should ``Result.to_data`` ever change, the check fails
    and every line is encoded from ``to_data`` as before, so the file never drifts from it.
    """
    c = _Lines()
    checked: set[str] = set()
    parts: list[bytes] = []
    sep = b",\n"
    for r in results:
        line = _fast_line(r, c)
        if r.rule not in checked:
            checked.add(r.rule)
            if b"".join(line) != _generic_line(r):
                parts = [p for r in results for p in (sep, _generic_line(r), b"", b"", b"")]
                break
        parts.append(sep)
        parts += line
    if parts:
        parts[0] = b""
    return parts


def write_json(run: AuditRun, out: Path) -> Path:
    path = out / "findings.json"
    # Written as bytes: the line ends a text file would write (os.linesep).
    newline = os.linesep.encode()
    with overwrite(path) as fh:
        for chunk in findings_chunks(run):
            fh.write(chunk if newline == b"\n" else chunk.replace(b"\n", newline))
    return path


def _csv_field(text: str) -> str:
    """A field as ``csv.writer`` (excel dialect, minimal quoting, ``\\r\\n``) writes it."""
    if "," in text or '"' in text or "\n" in text or "\r" in text:
        return '"' + text.replace('"', '""') + '"'
    return text


class _Quoted(dict[str, str]):
    """``_csv_field`` of the values that repeat on many rows (a rule's, a unit's, a device's,
    a message), once each."""

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


def _csv_line(
    r: Result, evidence: str, q: _Quoted, tails: dict[tuple[str | None, ...], bytes]
) -> tuple[bytes, bytes, bytes]:
    """``_csv_row`` as ``csv.writer`` writes it, UTF-8, in three pieces: the repeated values
    quoted once (``q``); from the clause to the remediation (a rule's texts in a unit, long
    and Chinese: slow to encode) one piece encoded once."""
    key = (r.clause, r.responsible, r.deadline, r.title_zh, r.remediation_zh)
    tail = tails.get(key)
    if tail is None:
        tail = tails[key] = (
            f",{q[r.clause]},{q[r.responsible or '']},{q[r.deadline or '']},"
            f"{q[r.title_zh]},{q[r.remediation_zh]},"
        ).encode()
    head = (
        f"{q[r.rule]},{_STATUS[r.status]},{_SEVERITY[r.severity]},{q[r.unit or '']},"
        f"{q[r.subject]},{q[r.device or '']},{q[r.message]}"
    )
    return head.encode(), tail, f"{_csv_field(evidence)}\r\n".encode()


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


def csv_chunks(run: AuditRun, bodies: Sequence[str] | None = None) -> Iterator[bytes]:
    """findings.csv in pieces, UTF-8, as ``csv.writer`` writes ``_csv_row`` of every result
    but quoted here: the writer scans every character of the long rule texts repeated on every
    row, ``_Quoted`` quotes each of them once. Checked against ``csv.writer`` on the first
    row of every rule (the whole file falls back to it should they ever differ).
    ``bodies``: ``evidence_bodies(run.results)``, when the caller has them."""
    results = run.results
    evidence = evidence_bodies(results) if bodies is None else bodies
    yield _csv_writer_text([[zh for _, zh in CSV_HEADERS]]).encode()
    q = _Quoted()
    tails: dict[tuple[str | None, ...], bytes] = {}
    for i in _first_of_each_rule(results):
        if (
            b"".join(_csv_line(results[i], evidence[i], q, tails))
            != _csv_writer_text([_csv_row(results[i], evidence[i])]).encode()
        ):
            for k in range(0, len(results), _CHUNK):
                part = zip(results[k : k + _CHUNK], evidence[k : k + _CHUNK], strict=True)
                yield _csv_writer_text(_csv_row(r, e) for r, e in part).encode()
            return
    for k in range(0, len(results), _CHUNK):
        part = zip(results[k : k + _CHUNK], evidence[k : k + _CHUNK], strict=True)
        yield b"".join([p for r, e in part for p in _csv_line(r, e, q, tails)])


def write_csv(run: AuditRun, out: Path, bodies: Sequence[str] | None = None) -> Path:
    path = out / "findings.csv"
    # The BOM Excel needs to read UTF-8 (what the utf-8-sig codec writes); the rows end in \r\n.
    with overwrite(path) as fh:
        fh.write(codecs.BOM_UTF8)
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


class _Attrs(dict[str, str]):
    """``_attr`` of the values that repeat on many testcases (rule names, subjects, messages),
    once each."""

    def __missing__(self, text: str) -> str:
        self[text] = escaped = _attr(text)
        return escaped


def _child(tag: str, attrs: str, body: str) -> str:
    """A childless element on its own line, as ElementTree writes it (empty: ``<x ... />``)."""
    if body:
        return f"      <{tag}{attrs}>{_cdata(body)}</{tag}>"
    return f"      <{tag}{attrs} />"


def _testcase(r: Result, body: str, a: _Attrs) -> str:
    classname = a[f"{r.pack or 'netaudit'}.{r.rule}"]
    head = f'    <testcase classname="{classname}" name="{a[r.subject]}" time="0"'
    status = r.status
    if status is Status.FAIL:
        attrs = f' message="{a[r.message]}" type="{a[_SEVERITY[r.severity]]}"'
        child = _child("failure", attrs, body)
    elif status is Status.ERROR:
        child = _child("error", f' message="{a[r.message]}" type="error"', body)
    elif status is Status.UNKNOWN or status is Status.NOT_APPLICABLE:
        child = f'      <skipped message="{a[f"{_STATUS[status]}: {r.message}"]}" />'
    elif body:
        child = f"      <system-out>{_cdata(body)}</system-out>"
    else:
        return head + " />"
    return f"{head}>\n{child}\n    </testcase>"


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
    results = run.results
    escaped = _Attrs()
    for head, indexes in suites:
        lines = [head]
        lines += [_testcase(results[i], evidence[i], escaped) for i in indexes]
        lines.append("  </testsuite>\n")
        yield "\n".join(lines)
    yield "</testsuites>\n"


def write_junit(run: AuditRun, out: Path, bodies: Sequence[str] | None = None) -> Path:
    path = out / "junit.xml"
    with overwrite(path) as fh:
        for chunk in junit_chunks(run, bodies):
            fh.write(chunk.encode())
    return path


def write_machine_files(run: AuditRun, out: Path) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    bodies = evidence_bodies(run.results)
    return [write_json(run, out), write_csv(run, out, bodies), write_junit(run, out, bodies)]
