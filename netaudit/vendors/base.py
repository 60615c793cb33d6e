"""The contract between the pipeline and the vendor parsers, and the platform registry.

Input: a config's bytes (or text) and its platform. Output: a ``Device`` (netaudit.model).
Each platform package under ``netaudit/vendors/`` exposes ``PARSER``, an object satisfying
``VendorParser``; ``PARSERS`` maps platforms to those packages explicitly (no discovery magic),
so adding a vendor is one package plus one line here.

Shared helpers every parser uses: ``CoverageRecorder`` (each line lands in exactly one
bucket) and ``Redactor`` (secret patterns as data; keeps the keyword and storage type).
"""

from __future__ import annotations

import dataclasses
import functools
import importlib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from ipaddress import IPv4Address
from typing import Any, Protocol

from netaudit.errors import ConfigError
from netaudit.gcpause import paused_gc
from netaudit.model import (
    Action,
    AddressMatch,
    Coverage,
    Device,
    LineStatus,
    Platform,
    PortMatch,
    PortOp,
    Section,
    Source,
)
from netaudit.vendors.textio import CleanLine, CleanText, clean_text, decode


@functools.lru_cache(maxsize=4096)
def port_match(op: str, low: int, high: int) -> PortMatch:
    """The ``PortMatch`` of operator ``op`` (a ``PortOp`` value: ``eq``, ``range``...), one
    object per value (immutable; ACLs repeat their ports, and a shared object is built and
    pickled once: issue 9). Keyed by text: an enum member hashes in Python."""
    return PortMatch(PortOp(op), low, high)


# Shared immutable values of ACL parsing (speed: an ACL entry would otherwise build them each
# time): the match of `any`, a host's wildcard, the actions by keyword.
ANY_ADDRESS = AddressMatch()
HOST_WILDCARD = IPv4Address(0)
ACTIONS = {"permit": Action.PERMIT, "deny": Action.DENY}

# What a statement handler may raise on a malformed token (``int("²")``, an index past the
# words of a short line): the dispatchers turn it into an unrecognized line.
MALFORMED = (ValueError, IndexError, KeyError, OverflowError)

REDACTED = "<redacted>"
# Marks a secret whose value was a well-known default (public/private/...): the rule
# MLPS-SNMP needs to know that, and a redacted config must still parse to the same model.
REDACTED_WELL_KNOWN = "<redacted:well-known>"
WELL_KNOWN_SECRETS = frozenset(
    {"public", "private", "admin", "cisco", "huawei", "h3c", "ruijie", "community", "secret"}
)


class VendorParser(Protocol):
    platform: Platform
    redactor: Redactor  # the platform's secret patterns

    def parse(self, text: CleanText, file: str, name: str | None = None) -> Device:
        """Parse cleaned lines into a Device; never raises except ``ConfigError``.

        The lines are redacted first (``Redactor.redact_text``) unless ``text.redacted``."""
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
    return parse_config(data, platform, file, name, snapshot=False)[0]


def parse_config(
    data: bytes,
    platform: Platform | str,
    file: str,
    name: str | None = None,
    *,
    snapshot: bool = True,
) -> tuple[Device, str]:
    """Decode, clean and parse one config file's bytes; also the redacted snapshot of the file
    (its text with CRLF → LF and every line redacted: ``parser.redact`` of it), or ``""`` when
    ``snapshot`` is false.

    Each line is redacted once, for the parse and the snapshot both (issue 9: redaction was
    a quarter of the parse stage when the snapshot redacted the file again).
    """
    parser = get_parser(platform)
    with paused_gc():
        decoded, encoding = decode(data, file)
        clean = clean_text(decoded, encoding)
        redacted = parser.redactor.redact_text(clean)
        device = parser.parse(redacted, file, name)
        device.coverage.notes[:0] = clean.notes
        stored = _snapshot(decoded, clean, redacted, parser.redactor) if snapshot else ""
    return device, stored


def _snapshot(decoded: str, clean: CleanText, redacted: CleanText, redactor: Redactor) -> str:
    """``redactor.redact`` of the decoded text with CRLF → LF, reusing the redacted lines.

    A line of the file that cleaning left as it was (no terminal escapes, no trailing blanks)
    takes its redacted clean line; the others are redacted here.
    """
    text = decoded.replace("\r\n", "\n")
    raw = text.split("\n")
    if "\r" in text or len(raw) < len(clean.lines):
        return redactor.redact(text)  # lone CRs split lines in cleaning: no line-for-line match
    # (raw has one line more than clean.lines after a final newline.)
    n = len(clean.lines)
    redacted_at = [] if redacted is clean else redacted.redacted_at
    if clean.altered is not None and redacted_at is not None:
        # The lines of the file as they are, but those redaction changed: cleaning and
        # redaction said which (issue 9: comparing every line again was 5% of the parse).
        texts = raw
        differ = list(clean.altered)
        skip = set(differ)
        for i in redacted_at:
            if i not in skip:
                texts[i] = redacted.lines[i].text
    else:
        texts = [line.text for line in redacted.lines]
        pairs = zip(raw, clean.lines, strict=False)
        differ = [i for i, (line, cl) in enumerate(pairs) if line != cl.text]
        texts.extend(raw[n:])
    differ.extend(range(n, len(raw)))  # the empty line after a final newline
    if differ:
        others = [raw[i] for i in differ]
        for j in redactor.candidates(others):
            others[j] = redactor.redact_line(others[j])
        for i, line in zip(differ, others, strict=True):
            texts[i] = line
    return "\n".join(texts)


# --------------------------------------------------------------------------- coverage


class CoverageRecorder:
    """Counts each line into exactly one bucket; build once per parse."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.coverage = Coverage()

    def source(self, line: CleanLine) -> Source:
        return Source(self.file, line.number, line.text.strip())

    def mark(
        self,
        line: CleanLine,
        status: LineStatus,
        section: Section = Section.OTHER,
        source: Source | None = None,  # the line's Source, when the caller has it already
    ) -> None:
        cov = self.coverage
        cov.total += 1
        if status is LineStatus.RECOGNIZED:
            cov.recognized += 1
        elif status is LineStatus.UNSUPPORTED:
            cov.unsupported += 1
        else:
            cov.unrecognized += 1
            cov.unrecognized_lines.append((section, source or self.source(line)))


# --------------------------------------------------------------------------- redaction


@dataclass(frozen=True, slots=True)
class SecretPattern:
    """A regex whose named group ``secret`` holds a secret value to replace.

    Patterns are vendor data (see each platform's ``redaction.py``); they match against the
    whole line, case-insensitively, anywhere in the line.
    """

    regex: re.Pattern[str]
    well_known_ok: bool = False  # may keep the "well-known" marker (SNMP communities)

    def __init__(self, regex: re.Pattern[str], well_known_ok: bool = False) -> None:
        # (written out by tools/dcinit.py: compiled, unlike the decorator's)
        object.__setattr__(self, "regex", regex)
        object.__setattr__(self, "well_known_ok", well_known_ok)


def secret(pattern: str, *, well_known_ok: bool = False) -> SecretPattern:
    return SecretPattern(re.compile(pattern, re.IGNORECASE), well_known_ok)


class Redactor:
    """Applies a platform's secret patterns to each line.

    A pattern runs on a line only when the line holds one of the words it requires
    (``required_words``, read from the regex), and a line holding none of the patterns' words
    is left as it is (issue 9: running every pattern on every line that mentions a password
    was a tenth of the parse); the result is the same as running them all, one after the other.
    """

    def __init__(self, patterns: Sequence[SecretPattern]) -> None:
        self.patterns = tuple(patterns)
        # (pattern, replacement function) pairs, built once rather than per line.
        self._subs = tuple(
            (pat.regex, functools.partial(_replace, pat=pat)) for pat in self.patterns
        )
        # Does any pattern match at all? For lines with other than ASCII characters, where
        # lower-casing does not tell a case-insensitive match (below).
        self._any_secret = _any_of(self.patterns)
        # Each pattern's required words: (word, indices of the patterns requiring it), and
        # the patterns that require none (they always run).
        required = [required_words(pat.regex) for pat in self.patterns]
        by_word: dict[str, list[int]] = {}
        for idx, words in enumerate(required):
            for word in words:
                by_word.setdefault(word, []).append(idx)
        self._by_word = tuple((w, tuple(idxs)) for w, idxs in sorted(by_word.items()))
        self._always = tuple(idx for idx, words in enumerate(required) if not words)
        # The pre-filter, searched with ``str.find`` over a whole lower-cased file at once
        # (``candidates``): the words of all patterns; None (a pattern requires no word):
        # every line is a candidate.
        # (A word holding another is left out: the shorter one finds its lines.)
        self.lowered_words: tuple[str, ...] | None = (
            tuple(sorted(w for w in by_word if not any(o != w and o in w for o in by_word)))
            if by_word and not self._always
            else None
        )

    def redact_line(self, line: str) -> str:
        """``line`` with every pattern applied in turn."""
        if not line.isascii():
            # `ſ` matches `s` and `K` (Kelvin) `k` case-insensitively: words tell nothing.
            if self._any_secret is not None and self._any_secret.search(line) is None:
                return line
            for regex, repl in self._subs:
                line = regex.sub(repl, line)
            return line
        todo = self._runs(line.lower(), -1)
        k = 0
        while k < len(todo):
            idx = todo[k]
            k += 1
            regex, repl = self._subs[idx]
            new = regex.sub(repl, line)
            if new != line:
                # The line changed: the patterns after this one are chosen again.
                line = new
                todo = self._runs(new.lower(), idx)
                k = 0
        return line

    def _runs(self, low: str, after: int) -> list[int]:
        """The patterns after index ``after`` that can match the ASCII line ``low``."""
        todo = {idx for idx in self._always if idx > after}
        for word, idxs in self._by_word:
            if word in low:
                todo.update(idx for idx in idxs if idx > after)
        return sorted(todo)

    def candidates(self, lines: Sequence[str]) -> Sequence[int]:
        """The indices of the lines ``redact_line`` may change (the others it returns as they
        are), ascending.

        For speed (issue 9) the pre-filter runs once over the whole lower-cased text instead
        of a case-insensitive search per line: few lines of a config mention a secret. That is
        exact for ASCII lines only (``lower()`` maps each to one character, and a
        case-insensitive match is then a match in the lower-cased line); a line with other
        characters (``ſ`` matches ``s`` case-insensitively) is always a candidate.
        """
        if self.lowered_words is None:
            return range(len(lines))
        joined = "\n".join(lines)
        low = joined.lower()  # lower() never makes or removes a "\n": line numbers hold
        found = _lines_holding(low, self.lowered_words)
        if joined.isascii():
            return found
        others = [i for i, text in enumerate(lines) if not text.isascii()]
        return sorted({*found, *others})

    def redact(self, text: str) -> str:
        lines = text.split("\n")
        for i in self.candidates(lines):
            lines[i] = self.redact_line(lines[i])
        return "\n".join(lines)

    def redact_text(self, text: CleanText) -> CleanText:
        """``text`` with every line redacted, marked ``redacted`` (as it is if it already is);
        lines without a secret stay the same objects."""
        if text.redacted:
            return text
        lines = text.lines
        out: list[CleanLine] | None = None
        at: list[int] = []
        for i in self.candidates([cl.text for cl in lines]):
            cl = lines[i]
            new = self.redact_line(cl.text)
            if new != cl.text:
                if out is None:
                    out = list(lines)
                out[i] = CleanLine(cl.number, new, cl.noise)
                at.append(i)
        return dataclasses.replace(
            text, lines=lines if out is None else out, redacted=True, redacted_at=at
        )


def _lines_holding(low: str, words: Sequence[str]) -> list[int]:
    """The numbers (0-based, ascending) of the lines of ``low`` holding one of ``words``
    (none of which holds a line break)."""
    starts: set[int] = set()  # the offset where each line with a hit starts
    for word in words:
        at = low.find(word)
        while at >= 0:
            start = low.rfind("\n", 0, at) + 1
            starts.add(start)
            end = low.find("\n", at)
            if end < 0:
                break
            at = low.find(word, end + 1)  # one hit per line is enough
    found: list[int] = []
    line = 0  # the line number of offset `counted`
    counted = 0
    for start in sorted(starts):
        line += low.count("\n", counted, start)
        counted = start
        found.append(line)
    return found


_SRE_PARSER: Any = importlib.import_module("re._parser")


def required_words(regex: re.Pattern[str]) -> tuple[str, ...]:
    """Lower-case words one of which every match of ``regex`` holds, in a line of ASCII
    characters (where a case-insensitive match is a match in the lower-cased line); ``()``
    when none can be told.

    Read from the regex's syntax tree (``re._parser``, the module ``re`` compiles with): a
    run of literal characters in the regex's sequence, or inside a group, a repetition of at
    least once, or every alternative of a branch. Anything unexpected gives ``()``: the
    pattern then runs on every candidate line, which is never wrong.
    """
    try:
        words = _sequence_words(list(_SRE_PARSER.parse(regex.pattern, regex.flags)))
    except Exception:  # an internal module: no surprise of its may stop the redaction
        return ()
    return tuple(sorted(words)) if words else ()


def _sequence_words(items: list[tuple[Any, Any]]) -> frozenset[str] | None:
    best: frozenset[str] | None = None

    def offer(words: frozenset[str] | None) -> None:
        nonlocal best
        if words and all(words) and (best is None or _selectivity(words) > _selectivity(best)):
            best = words

    run: list[str] = []
    for op, arg in items:
        name = getattr(op, "name", None)
        if name == "LITERAL" and isinstance(arg, int) and arg < 128:
            run.append(chr(arg).lower())
            continue
        if run:
            offer(frozenset({"".join(run)}))
            run = []
        if name == "SUBPATTERN":
            offer(_sequence_words(list(arg[3])))
        elif name == "ATOMIC_GROUP":
            offer(_sequence_words(list(arg)))
        elif name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT") and arg[0] >= 1:
            offer(_sequence_words(list(arg[2])))
        elif name == "BRANCH":
            alternatives = [_sequence_words(list(alt)) for alt in arg[1]]
            if all(alternatives):
                offer(frozenset().union(*(a for a in alternatives if a)))
        elif name == "IN" and all(
            getattr(o, "name", None) == "LITERAL" and isinstance(a, int) and a < 128 for o, a in arg
        ):
            offer(frozenset(chr(a).lower() for _, a in arg))
    if run:
        offer(frozenset({"".join(run)}))
    return best


def _selectivity(words: frozenset[str]) -> tuple[int, int]:
    """Longer words first (rarer in a line), then fewer of them."""
    return min(len(w) for w in words), -len(words)


def _any_of(patterns: Sequence[SecretPattern]) -> re.Pattern[str] | None:
    """One regex that matches where any of ``patterns`` does (their ``secret`` groups made
    plain groups, as a name may appear once per regex); None when that cannot be built."""
    if not patterns or any(p.regex.flags & ~(re.IGNORECASE | re.UNICODE) for p in patterns):
        return None
    parts = [p.regex.pattern.replace("(?P<secret>", "(?:") for p in patterns]
    if any("(?P" in part or re.search(r"\\[1-9]", part) for part in parts):
        return None  # other named groups or back-references: keep it simple, no pre-check
    try:
        return re.compile("|".join(f"(?:{part})" for part in parts), re.IGNORECASE)
    except re.error:
        return None


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
