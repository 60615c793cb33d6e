"""The contract between the pipeline and the vendor parsers, and the platform registry.

Input: a config's bytes (or text) and its platform. Output: a ``Device`` (netaudit.model).
Each platform package under ``netaudit/vendors/`` exposes ``PARSER``, an object satisfying
``VendorParser``; ``PARSERS`` maps platforms to those packages explicitly (no discovery magic),
so adding a vendor is one package plus one line here.

Shared helpers every parser uses: ``CoverageRecorder`` (each line lands in exactly one
bucket) and ``Redactor`` (secret patterns as data; keeps the keyword and storage type).
"""

from __future__ import annotations

import functools
import importlib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from netaudit.errors import ConfigError
from netaudit.model import Coverage, Device, LineStatus, Platform, Section, Source
from netaudit.vendors.textio import CleanLine, CleanText, read_config

REDACTED = "<redacted>"
# Marks a secret whose value was a well-known default (public/private/...): the rule
# MLPS-SNMP needs to know that, and a redacted config must still parse to the same model.
REDACTED_WELL_KNOWN = "<redacted:well-known>"
WELL_KNOWN_SECRETS = frozenset(
    {"public", "private", "admin", "cisco", "huawei", "h3c", "ruijie", "community", "secret"}
)


class VendorParser(Protocol):
    platform: Platform

    def parse(self, text: CleanText, file: str, name: str | None = None) -> Device:
        """Parse cleaned lines into a Device; never raises except ``ConfigError``."""
        ...

    def redact(self, text: str) -> str:
        """Return ``text`` with every secret value replaced; line count unchanged."""
        ...


PARSERS: dict[Platform, str] = {
    Platform.HUAWEI: "netaudit.vendors.huawei",
    Platform.HUAWEI_VRPV8: "netaudit.vendors.huawei_vrpv8",
    Platform.HP_COMWARE: "netaudit.vendors.hp_comware",
    Platform.CISCO_IOS: "netaudit.vendors.cisco_ios",
    Platform.RUIJIE_OS: "netaudit.vendors.ruijie_os",
}


def get_parser(platform: Platform | str) -> VendorParser:
    try:
        plat = Platform(platform)
    except ValueError:
        known = ", ".join(p.value for p in Platform)
        raise ConfigError(f"unknown platform {platform!r}; expected one of: {known}") from None
    module = importlib.import_module(PARSERS[plat])
    parser: VendorParser = module.PARSER
    return parser


def parse_bytes(
    data: bytes, platform: Platform | str, file: str, name: str | None = None
) -> Device:
    """Decode, clean and parse one config file's bytes."""
    parser = get_parser(platform)
    text = read_config(data, file)
    device = parser.parse(text, file, name)
    device.coverage.notes[:0] = text.notes
    return device


# --------------------------------------------------------------------------- coverage


class CoverageRecorder:
    """Counts each line into exactly one bucket; build once per parse."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.coverage = Coverage()

    def source(self, line: CleanLine) -> Source:
        return Source(self.file, line.number, line.text.strip())

    def mark(self, line: CleanLine, status: LineStatus, section: Section = Section.OTHER) -> None:
        cov = self.coverage
        cov.total += 1
        if status is LineStatus.RECOGNIZED:
            cov.recognized += 1
        elif status is LineStatus.UNSUPPORTED:
            cov.unsupported += 1
        else:
            cov.unrecognized += 1
            cov.unrecognized_lines.append((section, self.source(line)))


# --------------------------------------------------------------------------- redaction


@dataclass(frozen=True, slots=True)
class SecretPattern:
    """A regex whose named group ``secret`` holds a secret value to replace.

    Patterns are vendor data (see each platform's ``redaction.py``); they match against the
    whole line, case-insensitively, anywhere in the line.
    """

    regex: re.Pattern[str]
    well_known_ok: bool = False  # may keep the "well-known" marker (SNMP communities)


def secret(pattern: str, *, well_known_ok: bool = False) -> SecretPattern:
    return SecretPattern(re.compile(pattern, re.IGNORECASE), well_known_ok)


class Redactor:
    def __init__(self, patterns: Sequence[SecretPattern]) -> None:
        self.patterns = tuple(patterns)

    def redact_line(self, line: str) -> str:
        for pat in self.patterns:
            line = pat.regex.sub(functools.partial(_replace, pat=pat), line)
        return line

    def redact(self, text: str) -> str:
        return "\n".join(self.redact_line(line) for line in text.split("\n"))


def _replace(m: re.Match[str], pat: SecretPattern) -> str:
    value = m.group("secret")
    if value in (REDACTED, REDACTED_WELL_KNOWN):
        return m.group(0)
    marker = REDACTED
    if pat.well_known_ok and value.strip('"').lower() in WELL_KNOWN_SECRETS:
        marker = REDACTED_WELL_KNOWN
    start, end = m.span("secret")
    base = m.start(0)
    whole = m.group(0)
    return whole[: start - base] + marker + whole[end - base :]


def is_well_known(value: str) -> bool:
    """True for a default/guessable secret value or its redaction marker."""
    return value == REDACTED_WELL_KNOWN or value.strip('"').lower() in WELL_KNOWN_SECRETS
