"""Rule results: the typed values the policy stage hands to the store and the reports.

Input: nothing (this module only defines types). Output: ``Status``, ``Severity``, the evidence
types (a config line, a traced path, a probe observation, a free-text note) and ``Result``, whose
``to_data()`` is exactly one item of ``results[]`` in ``findings.json`` (SPEC §8), with a few
extra keys (titles, remediation, pack) after the SPEC ones. Everything is a frozen dataclass so
results can be hashed, compared and passed between stages without copying.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from netaudit.model import Source
from netaudit.model.serialize import Json


class Status(StrEnum):
    """Outcome of one rule for one subject. Nothing defaults to ``pass``."""

    PASS = "pass"
    FAIL = "fail"
    UNKNOWN = "unknown"
    NOT_APPLICABLE = "not_applicable"
    ERROR = "error"


class Severity(StrEnum):
    """Severity of a rule; ordered: ``Severity.CRITICAL > Severity.HIGH > ... > Severity.INFO``."""

    CRITICAL = "critical"
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"
    INFO = "info"

    @property
    def rank(self) -> int:
        """4 for critical down to 0 for info."""
        return _RANK[self]

    def at_least(self, other: Severity) -> bool:
        return self.rank >= other.rank

    # StrEnum would otherwise compare alphabetically ("critical" < "high" < "info" ...).
    def __lt__(self, other: str) -> bool:
        return self.rank < Severity(other).rank

    def __le__(self, other: str) -> bool:
        return self.rank <= Severity(other).rank

    def __gt__(self, other: str) -> bool:
        return self.rank > Severity(other).rank

    def __ge__(self, other: str) -> bool:
        return self.rank >= Severity(other).rank


_RANK = {
    Severity.CRITICAL: 4,
    Severity.HIGH: 3,
    Severity.MEDIUM: 2,
    Severity.LOW: 1,
    Severity.INFO: 0,
}


# --------------------------------------------------------------------------- evidence


@dataclass(frozen=True, slots=True)
class ConfigEvidence:
    """A config line that decided the result."""

    device: str
    file: str
    line: int
    text: str

    def __init__(self, device: str, file: str, line: int, text: str) -> None:
        # (written out by tools/dcinit.py: compiled, unlike the decorator's)
        object.__setattr__(self, "device", device)
        object.__setattr__(self, "file", file)
        object.__setattr__(self, "line", line)
        object.__setattr__(self, "text", text)

    @classmethod
    def of(cls, device: str, source: Source) -> ConfigEvidence:
        return cls(device, source.file, source.line, source.text)

    def to_data(self) -> dict[str, Json]:
        return {
            "kind": "config",
            "device": self.device,
            "file": self.file,
            "line": self.line,
            "text": self.text,
        }


@dataclass(frozen=True, slots=True)
class PathHop:
    device: str
    in_interface: str | None
    out_interface: str | None
    detail: str | None = None  # the route / rule that decided this hop

    def __init__(
        self,
        device: str,
        in_interface: str | None,
        out_interface: str | None,
        detail: str | None = None,
    ) -> None:
        # (written out by tools/dcinit.py: compiled, unlike the decorator's)
        object.__setattr__(self, "device", device)
        object.__setattr__(self, "in_interface", in_interface)
        object.__setattr__(self, "out_interface", out_interface)
        object.__setattr__(self, "detail", detail)

    def to_data(self) -> dict[str, Json]:
        data: dict[str, Json] = {
            "device": self.device,
            "in": self.in_interface,
            "out": self.out_interface,
        }
        if self.detail is not None:
            data["detail"] = self.detail
        return data


@dataclass(frozen=True, slots=True)
class PathEvidence:
    """A traced path: Batfish-style disposition, the exit (``device:interface``) and hops."""

    disposition: str
    exit: str | None
    hops: tuple[PathHop, ...]
    src: str | None = None
    dst: str | None = None
    detail: str | None = None  # e.g. the denying rule, the unparsed device

    def __init__(  # noqa: PLR0917 (the dataclass's fields)
        self,
        disposition: str,
        exit: str | None,
        hops: tuple[PathHop, ...],
        src: str | None = None,
        dst: str | None = None,
        detail: str | None = None,
    ) -> None:
        # (written out by tools/dcinit.py: compiled, unlike the decorator's)
        object.__setattr__(self, "disposition", disposition)
        object.__setattr__(self, "exit", exit)
        object.__setattr__(self, "hops", hops)
        object.__setattr__(self, "src", src)
        object.__setattr__(self, "dst", dst)
        object.__setattr__(self, "detail", detail)

    def to_data(self) -> dict[str, Json]:
        data: dict[str, Json] = {
            "kind": "path",
            "disposition": self.disposition,
            "exit": self.exit,
            "hops": [h.to_data() for h in self.hops],
        }
        if self.src is not None:
            data["src"] = self.src
        if self.dst is not None:
            data["dst"] = self.dst
        if self.detail is not None:
            data["detail"] = self.detail
        return data


@dataclass(frozen=True, slots=True)
class ProbeEvidence:
    """What a probe observed: the source address a reflector saw, or a forwarding host."""

    probe: str
    observed_source: str | None
    detail: str | None = None

    def __init__(self, probe: str, observed_source: str | None, detail: str | None = None) -> None:
        # (written out by tools/dcinit.py: compiled, unlike the decorator's)
        object.__setattr__(self, "probe", probe)
        object.__setattr__(self, "observed_source", observed_source)
        object.__setattr__(self, "detail", detail)

    def to_data(self) -> dict[str, Json]:
        data: dict[str, Json] = {
            "kind": "probe",
            "probe": self.probe,
            "observed_source": self.observed_source,
        }
        if self.detail is not None:
            data["detail"] = self.detail
        return data


@dataclass(frozen=True, slots=True)
class NoteEvidence:
    """A free-text remark (a platform default assumed, a reason a value is unknown)."""

    text: str

    def __init__(self, text: str) -> None:
        # (written out by tools/dcinit.py: compiled, unlike the decorator's)
        object.__setattr__(self, "text", text)

    def to_data(self) -> dict[str, Json]:
        return {"kind": "note", "text": self.text}


Evidence = ConfigEvidence | PathEvidence | ProbeEvidence | NoteEvidence


# --------------------------------------------------------------------------- result


@dataclass(frozen=True, slots=True)
class Result:
    """One rule's outcome for one subject, with the rule's metadata attached."""

    rule: str
    status: Status
    severity: Severity
    unit: str | None
    subject: str
    device: str | None
    message: str
    clause: str
    responsible: str | None
    deadline: str | None  # ISO date, where the plan gives one
    title_zh: str
    title_en: str
    remediation_zh: str
    remediation_en: str
    evidence: tuple[Evidence, ...] = ()
    pack: str | None = None

    def __init__(  # noqa: PLR0917 (the dataclass's fields)
        self,
        rule: str,
        status: Status,
        severity: Severity,
        unit: str | None,
        subject: str,
        device: str | None,
        message: str,
        clause: str,
        responsible: str | None,
        deadline: str | None,
        title_zh: str,
        title_en: str,
        remediation_zh: str,
        remediation_en: str,
        evidence: tuple[Evidence, ...] = (),
        pack: str | None = None,
    ) -> None:
        # (written out by tools/dcinit.py: compiled, unlike the decorator's)
        object.__setattr__(self, "rule", rule)
        object.__setattr__(self, "status", status)
        object.__setattr__(self, "severity", severity)
        object.__setattr__(self, "unit", unit)
        object.__setattr__(self, "subject", subject)
        object.__setattr__(self, "device", device)
        object.__setattr__(self, "message", message)
        object.__setattr__(self, "clause", clause)
        object.__setattr__(self, "responsible", responsible)
        object.__setattr__(self, "deadline", deadline)
        object.__setattr__(self, "title_zh", title_zh)
        object.__setattr__(self, "title_en", title_en)
        object.__setattr__(self, "remediation_zh", remediation_zh)
        object.__setattr__(self, "remediation_en", remediation_en)
        object.__setattr__(self, "evidence", evidence)
        object.__setattr__(self, "pack", pack)

    def to_data(self) -> dict[str, Json]:
        """One ``results[]`` item of findings.json: the SPEC §8 keys first, then extras."""
        return {
            "rule": self.rule,
            "status": self.status.value,
            "severity": self.severity.value,
            "unit": self.unit,
            "subject": self.subject,
            "device": self.device,
            "message": self.message,
            "clause": self.clause,
            "responsible": self.responsible,
            "deadline": self.deadline,
            "evidence": [e.to_data() for e in self.evidence],
            "title_zh": self.title_zh,
            "title_en": self.title_en,
            "remediation_zh": self.remediation_zh,
            "remediation_en": self.remediation_en,
            "pack": self.pack,
        }


__all__ = [
    "ConfigEvidence",
    "Evidence",
    "NoteEvidence",
    "PathEvidence",
    "PathHop",
    "ProbeEvidence",
    "Result",
    "Severity",
    "Status",
]
