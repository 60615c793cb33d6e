"""Store stage, the codec: ``AuditRun`` parts ↔ table rows (plain dicts for bulk inserts).

Input: the typed values of ``netaudit.pipeline.run`` / ``netaudit.policy`` (to encode) or
ORM rows (to decode). Output: the other side. Every field is named explicitly in both
directions (no reflection), so ``tests/store/test_codec_fields.py`` can check that a field added
to a dataclass is also stored — a field the store silently dropped would break the round trip.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime, timedelta, timezone
from ipaddress import IPv4Address, ip_address
from json.encoder import encode_basestring
from typing import Any

from sqlalchemy import Row as SaRow

from netaudit.errors import StoreError
from netaudit.model.serialize import Json
from netaudit.pipeline.run import (
    DeviceRecord,
    DeviceStatus,
    ExitRecord,
    UnitInfo,
    UnrecognizedLine,
)
from netaudit.policy.context import ForwardingHost, ProbeObservation
from netaudit.policy.results import (
    ConfigEvidence,
    Evidence,
    NoteEvidence,
    PathEvidence,
    PathHop,
    ProbeEvidence,
    Result,
    Severity,
    Status,
)
from netaudit.store.schema import (
    DeviceRow,
    ExitRow,
    ProbeRow,
    RuleTextRow,
    UnitRow,
    UnrecognizedRow,
)

Row = dict[str, Any]  # one bulk-insert row; never leaves the store package
Values = tuple[Any, ...]  # one bulk-insert row in the order of a ``*_COLUMNS`` constant
# Bulk reads decode plain result rows (sqlalchemy Row) with the same attribute names as the
# ORM classes; these aliases say which table's columns a decoder expects.
DeviceCols = DeviceRow | SaRow[Any]
UnrecognizedCols = UnrecognizedRow | SaRow[Any]


# --------------------------------------------------------------------------- datetimes


def split_dt(value: datetime) -> tuple[datetime, int | None]:
    """A datetime → (naive UTC, offset seconds); a naive datetime is kept as is (offset None)."""
    off = value.utcoffset()
    if off is None:
        return value, None
    return value.astimezone(UTC).replace(tzinfo=None), int(off.total_seconds())


def join_dt(value: datetime, offset: int | None) -> datetime:
    if offset is None:
        return value
    tz = timezone(timedelta(seconds=offset))
    return value.replace(tzinfo=UTC).astimezone(tz)


# --------------------------------------------------------------------------- evidence


def encode_evidence(ev: Evidence) -> dict[str, Json]:
    match ev:
        case ConfigEvidence():
            return {
                "kind": "config",
                "device": ev.device,
                "file": ev.file,
                "line": ev.line,
                "text": ev.text,
            }
        case PathEvidence():
            return {
                "kind": "path",
                "disposition": ev.disposition,
                "exit": ev.exit,
                "hops": [
                    {
                        "device": h.device,
                        "in": h.in_interface,
                        "out": h.out_interface,
                        "detail": h.detail,
                    }
                    for h in ev.hops
                ],
                "src": ev.src,
                "dst": ev.dst,
                "detail": ev.detail,
            }
        case ProbeEvidence():
            return {
                "kind": "probe",
                "probe": ev.probe,
                "observed_source": ev.observed_source,
                "detail": ev.detail,
            }
        case NoteEvidence():
            return {"kind": "note", "text": ev.text}


_JSON = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
"""The engines' JSON serializer (``engine._json``): compact, UTF-8 kept as is."""


def evidence_json(evidence: Iterable[Evidence]) -> str:
    """The evidence column's JSON text: what ``_JSON([encode_evidence(ev), ...])`` gives.

    Results are the bulk of a run (73,000 for 5,000 devices) and almost all their evidence is
    config lines: those are written straight to text (``encode_basestring`` is the JSON
    encoder's own string quoting), skipping a dict per item and a serializer call per row.
    """
    q = encode_basestring
    parts = []
    for ev in evidence:
        if type(ev) is ConfigEvidence:
            parts.append(
                f'{{"kind":"config","device":{q(ev.device)},"file":{q(ev.file)},'
                f'"line":{int.__repr__(ev.line)},"text":{q(ev.text)}}}'
            )
        else:
            parts.append(_JSON(encode_evidence(ev)))
    return "[" + ",".join(parts) + "]"


def decode_evidence(data: Any) -> Evidence:
    try:
        kind = data["kind"]
        if kind == "config":
            return ConfigEvidence(data["device"], data["file"], int(data["line"]), data["text"])
        if kind == "path":
            hops = tuple(
                PathHop(h["device"], h.get("in"), h.get("out"), h.get("detail"))
                for h in data["hops"]
            )
            return PathEvidence(
                data["disposition"],
                data.get("exit"),
                hops,
                data.get("src"),
                data.get("dst"),
                data.get("detail"),
            )
        if kind == "probe":
            return ProbeEvidence(data["probe"], data.get("observed_source"), data.get("detail"))
        if kind == "note":
            return NoteEvidence(data["text"])
    except (KeyError, TypeError, ValueError) as exc:
        raise StoreError(f"stored evidence is malformed: {exc!r}") from exc
    raise StoreError(f"stored evidence has an unknown kind {kind!r}")


def config_evidence(data: Any) -> ConfigEvidence:
    ev = decode_evidence(data)
    if not isinstance(ev, ConfigEvidence):
        raise StoreError("stored exit evidence is not a config line")
    return ev


# --------------------------------------------------------------------------- rows


def unit_row(run_id: str, seq: int, u: UnitInfo) -> Row:
    return {
        "run_id": run_id,
        "seq": seq,
        "id": u.id,
        "name": u.name,
        "kind": u.kind,
        "responsible": u.responsible,
        "campus": u.campus,
    }


def unit_of(r: UnitRow) -> UnitInfo:
    return UnitInfo(r.id, r.name, r.kind, r.responsible, r.campus)


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


DEVICE_COLUMNS = (
    "run_id",
    "seq",
    "name",
    "unit",
    "platform",
    "status",
    "message",
    "file",
    "config_sha256",
    "hostname",
    "os_version",
    "role",
    "lines_total",
    "lines_recognized",
    "lines_unsupported",
    "lines_unrecognized",
    "truncated",
)
"""The ``run_devices`` columns ``device_values`` gives, in this order."""


def device_values(run_id: str, seq: int, d: DeviceRecord, config_sha256: str | None) -> Values:
    """A ``run_devices`` row; ``config_sha256`` is ``d.config_hash`` (a property that hashes
    the whole config: the caller reads it once)."""
    return (
        run_id,
        seq,
        d.name,
        d.unit,
        d.platform,
        d.status.value,
        d.message,
        d.file,
        config_sha256,
        d.hostname,
        d.os_version,
        d.role,
        d.lines_total,
        d.lines_recognized,
        d.lines_unsupported,
        d.lines_unrecognized,
        d.truncated,
    )


UNRECOGNIZED_COLUMNS = ("run_id", "device_seq", "seq", "section", "line", "text")


def unrecognized_values(run_id: str, device_seq: int, d: DeviceRecord) -> list[Values]:
    return [
        (run_id, device_seq, i, u.section, u.line, u.text) for i, u in enumerate(d.unrecognized)
    ]


def device_of(
    r: DeviceCols, config: str | None, unrecognized: list[UnrecognizedCols]
) -> DeviceRecord:
    return DeviceRecord(
        name=r.name,
        unit=r.unit,
        platform=r.platform,
        status=DeviceStatus(r.status),
        message=r.message,
        file=r.file,
        config=config,
        hostname=r.hostname,
        os_version=r.os_version,
        role=r.role,
        lines_total=r.lines_total,
        lines_recognized=r.lines_recognized,
        lines_unsupported=r.lines_unsupported,
        lines_unrecognized=r.lines_unrecognized,
        truncated=r.truncated,
        unrecognized=tuple(UnrecognizedLine(u.section, u.line, u.text) for u in unrecognized),
    )


def exit_row(run_id: str, seq: int, e: ExitRecord) -> Row:
    return {
        "run_id": run_id,
        "seq": seq,
        "unit": e.unit,
        "device": e.device,
        "interface": e.interface,
        "declared_id": e.declared_id,
        "reasons": list(e.reasons),
        "evidence": [encode_evidence(ev) for ev in e.evidence],
        "group": e.group,
        "source": e.source,
        "isp": e.isp,
    }


def exit_of(r: ExitRow) -> ExitRecord:
    return ExitRecord(
        unit=r.unit,
        device=r.device,
        interface=r.interface,
        declared_id=r.declared_id,
        reasons=tuple(r.reasons),
        evidence=tuple(config_evidence(ev) for ev in r.evidence),
        group=r.group,
        source=r.source,
        isp=r.isp,
    )


def _addr(text: str) -> IPv4Address:
    addr = ip_address(text)
    if not isinstance(addr, IPv4Address):
        raise StoreError(f"stored probe address {text!r} is not IPv4")
    return addr


def probe_row(run_id: str, seq: int, p: ProbeObservation) -> Row:
    forwarders: list[Json] | None = None
    if p.forwarders is not None:
        forwarders = [
            {
                "address": str(f.address),
                "mac": f.mac,
                "observed_source": None if f.observed_source is None else str(f.observed_source),
            }
            for f in p.forwarders
        ]
    return {
        "run_id": run_id,
        "seq": seq,
        "probe": p.probe,
        "unit": p.unit,
        "observed_sources": [str(a) for a in p.observed_sources],
        "forwarders": forwarders,
        "error": p.error,
    }


def probe_of(r: ProbeRow) -> ProbeObservation:
    forwarders: tuple[ForwardingHost, ...] | None = None
    if r.forwarders is not None:
        items: list[Any] = list(r.forwarders)
        forwarders = tuple(
            ForwardingHost(
                _addr(f["address"]),
                f.get("mac"),
                None if f.get("observed_source") is None else _addr(f["observed_source"]),
            )
            for f in items
        )
    return ProbeObservation(
        probe=r.probe,
        unit=r.unit,
        observed_sources=tuple(_addr(a) for a in r.observed_sources),
        forwarders=forwarders,
        error=r.error,
    )


def rule_text_key(r: Result) -> tuple[str | None, ...]:
    """The rule-constant texts of a result (``rule_text_row`` hashes them), as a dict key."""
    return (
        r.clause,
        r.deadline,
        r.title_zh,
        r.title_en,
        r.remediation_zh,
        r.remediation_en,
        r.pack,
    )


def rule_text_row(r: Result) -> Row:
    """The rule-constant texts of a result, with their content hash as key."""
    row: Row = {
        "clause": r.clause,
        "deadline": r.deadline,
        "title_zh": r.title_zh,
        "title_en": r.title_en,
        "remediation_zh": r.remediation_zh,
        "remediation_en": r.remediation_en,
        "pack": r.pack,
    }
    row["sha256"] = sha256(json.dumps(row, ensure_ascii=False, sort_keys=True))
    return row


RESULT_COLUMNS = (
    "rule",
    "status",
    "severity",
    "unit",
    "subject",
    "device",
    "message",
    "responsible",
    "rule_text_sha256",
    "evidence",
)
"""The ``run_results`` columns ``results_of`` expects, in this order (evidence as JSON text)."""

RESULT_INSERT_COLUMNS = ("run_id", "seq", *RESULT_COLUMNS)
"""The ``run_results`` columns ``result_values`` gives, in this order (evidence: JSON text)."""


def result_values(run_id: str, seq: int, r: Result, rule_text_sha256: str) -> Values:
    return (
        run_id,
        seq,
        r.rule,
        r.status.value,
        r.severity.value,
        r.unit,
        r.subject,
        r.device,
        r.message,
        r.responsible,
        rule_text_sha256,
        evidence_json(r.evidence),
    )


_STATUS = {s.value: s for s in Status}
_SEVERITY = {s.value: s for s in Severity}


def results_of(rows: Sequence[Sequence[Any]], texts: dict[str, RuleTextRow]) -> list[Result]:
    """Decode ``run_results`` rows (``RESULT_COLUMNS``, evidence as JSON text) with their rule
    texts.

    The hot path of loading and diffing runs (73,000 results for 5,000 devices): plain tuples
    and dict lookups instead of attribute access and enum calls per row, and the evidence of
    all rows parsed by one ``json.loads`` (a call per row cost more than the parsing).
    """
    plain = {
        h: (
            t.clause,
            t.deadline,
            t.title_zh,
            t.title_en,
            t.remediation_zh,
            t.remediation_en,
            t.pack,
        )
        for h, t in texts.items()
    }
    try:
        evidence_lists = json.loads("[" + ",".join([row[-1] for row in rows]) + "]")
    except (TypeError, ValueError) as exc:
        raise StoreError(f"stored evidence is malformed: {exc!r}") from exc
    out = []
    try:
        for (rule, status, severity, unit, subject, device, message, resp, sha, _), evidence in zip(
            rows, evidence_lists, strict=True
        ):
            clause, deadline, t_zh, t_en, r_zh, r_en, pack = plain[sha]
            out.append(
                Result(
                    rule,
                    _STATUS[status],
                    _SEVERITY[severity],
                    unit,
                    subject,
                    device,
                    message,
                    clause,
                    resp,
                    deadline,
                    t_zh,
                    t_en,
                    r_zh,
                    r_en,
                    tuple([decode_evidence(ev) for ev in evidence]),
                    pack,
                )
            )
    except KeyError as exc:
        raise StoreError(f"stored result has an unknown status, severity or text: {exc}") from exc
    return out


# Field names each encoder covers, checked against the dataclasses by the tests.
COVERED_FIELDS: dict[type, frozenset[str]] = {
    UnitInfo: frozenset({"id", "name", "kind", "responsible", "campus"}),
    DeviceRecord: frozenset(
        {
            "name",
            "unit",
            "platform",
            "status",
            "message",
            "file",
            "config",
            "hostname",
            "os_version",
            "role",
            "lines_total",
            "lines_recognized",
            "lines_unsupported",
            "lines_unrecognized",
            "truncated",
            "unrecognized",
        }
    ),
    UnrecognizedLine: frozenset({"section", "line", "text"}),
    ExitRecord: frozenset(
        {
            "unit",
            "device",
            "interface",
            "declared_id",
            "reasons",
            "evidence",
            "group",
            "source",
            "isp",
        }
    ),
    ProbeObservation: frozenset({"probe", "unit", "observed_sources", "forwarders", "error"}),
    ForwardingHost: frozenset({"address", "mac", "observed_source"}),
    Result: frozenset(
        {
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
            "title_zh",
            "title_en",
            "remediation_zh",
            "remediation_en",
            "evidence",
            "pack",
        }
    ),
    ConfigEvidence: frozenset({"device", "file", "line", "text"}),
    PathEvidence: frozenset({"disposition", "exit", "hops", "src", "dst", "detail"}),
    PathHop: frozenset({"device", "in_interface", "out_interface", "detail"}),
    ProbeEvidence: frozenset({"probe", "observed_source", "detail"}),
    NoteEvidence: frozenset({"text"}),
}
"""Dataclass → the fields this codec stores. AuditRun's own fields are stored by the store."""
