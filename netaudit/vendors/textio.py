"""Raw config bytes → numbered, cleaned lines (shared by every vendor parser).

Input: the bytes of a saved or collected config. Output: ``CleanText``: one ``CleanLine`` per
physical line of the file, numbered as in the file (provenance must point at the real line),
with ANSI escapes, backspace overstrikes and pager markers (``---- More ----``, ``--More--``)
removed from inside lines, and prompt/command-echo lines marked as ``noise``.

Handles: UTF-8 (with or without BOM), GBK/GB18030 (common on Chinese-locale devices and
terminals), CRLF and lone CR, binary files and empty files (``ConfigError``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from netaudit.errors import ConfigError

# ESC [ ... final byte, ESC ] ... BEL, and lone two-byte escapes.
_ANSI = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07]*\x07|\x1b[@-Z\\-_]")
# Pager prompts as printed by VRP/Comware ("  ---- More ----") and IOS/RGOS (" --More-- ").
_PAGER = re.compile(r"\s*-{2,4}\s?[Mm]ore\s?-{2,4}\s*")
# A prompt, optionally followed by an echoed command: <NAME>cmd, [NAME]cmd, [~NAME]cmd,
# NAME#cmd, NAME>cmd (IOS user mode). Hostnames have no spaces.
_PROMPT = re.compile(
    r"^(?:<[^<>\s]{1,64}>|\[[~*]?[^\[\]\s]{1,64}\]|[A-Za-z0-9][\w.\-()]{0,63}[#>])"
    r"(?:\s*(?:dis(?:play)?|sh(?:ow)?|screen-length|terminal|term|enable|en|quit|exit|"
    r"n?o? ?pag(?:e|ing)|more)\b.*)?$"
)


# Not frozen, but never changed once built: one is built per line of every config, and a
# frozen dataclass's __init__ costs three times as much (issue 9).
@dataclass(slots=True)
class CleanLine:
    number: int  # 1-based line number in the original file
    text: str  # cleaned text, trailing whitespace removed, leading whitespace kept
    noise: bool = False  # a prompt / echoed command / pager leftover, not configuration

    def __init__(self, number: int, text: str, noise: bool = False) -> None:
        # (written out by tools/dcinit.py: compiled, unlike the decorator's)
        self.number = number
        self.text = text
        self.noise = noise


@dataclass(slots=True)
class CleanText:
    lines: list[CleanLine]
    encoding: str
    notes: list[str] = field(default_factory=list)
    redacted: bool = False  # secrets already replaced (``base.Redactor.redact_text``)
    # Indices of the lines cleaning changed (``clean_lines``: not the line of the file as it
    # was), and of the lines redaction changed (``Redactor.redact_text``); None: not known.
    altered: list[int] | None = None
    redacted_at: list[int] | None = None

    def __init__(  # noqa: PLR0917 (the dataclass's fields)
        self,
        lines: list[CleanLine],
        encoding: str,
        notes: list[str] | None = None,
        redacted: bool = False,
        altered: list[int] | None = None,
        redacted_at: list[int] | None = None,
    ) -> None:
        # (written out by tools/dcinit.py: compiled, unlike the decorator's)
        self.lines = lines
        self.encoding = encoding
        self.notes = [] if notes is None else notes
        self.redacted = redacted
        self.altered = altered
        self.redacted_at = redacted_at


# Every byte except the control characters that mark binary data (tab, newlines, ESC,
# backspace, bell and form feed appear in terminal captures of real configs).
_NOT_CONTROL = bytes(b for b in range(256) if b >= 32 or b in (9, 10, 13, 27, 8, 7, 12))


def decode(data: bytes, file: str) -> tuple[str, str]:
    """Decode config bytes; returns (text, encoding). Raises ``ConfigError`` for binary data."""
    if not data.strip():
        raise ConfigError(f"{file}: the file is empty; expected a device configuration")
    sample = data[:65536]
    if b"\x00" in sample:
        raise ConfigError(f"{file}: this is a binary file (NUL bytes), not a device configuration")
    controls = len(sample.translate(None, _NOT_CONTROL))  # C speed; configs are large
    if controls > max(8, len(sample) // 50):
        raise ConfigError(f"{file}: this looks like a binary file, not a device configuration")
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace"), "utf-8-sig"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030"), "gb18030"
    except UnicodeDecodeError:
        return data.decode("utf-8", errors="replace"), "utf-8 (invalid bytes replaced)"


_CSI = re.compile(r"\x1b\[([0-?]*)([ -/]*)([@-~])")


def _emulate(line: str) -> str:
    """Replay a terminal line: backspace and ESC[nD move left, ESC[nC right, ESC[K erases.

    Pagers erase their prompt this way (VRP: ``---- More ----`` then ``ESC[42D``, spaces,
    ``ESC[42D``; IOS: ``--More--`` then backspaces), so replaying gives the real line.
    """
    buf: list[str] = []
    cur = 0
    i = 0
    n = len(line)
    while i < n:
        ch = line[i]
        if ch == "\x1b":
            m = _CSI.match(line, i)
            if m:
                arg = m.group(1)
                count = int(arg) if arg.isdigit() else 1
                final = m.group(3)
                if final == "D":
                    cur = max(0, cur - count)
                elif final == "C":
                    cur += count
                elif final == "K":
                    del buf[cur:]
                i = m.end()
                continue
            m2 = _ANSI.match(line, i)
            i = m2.end() if m2 else i + 1
            continue
        if ch == "\b":
            cur = max(0, cur - 1)
        elif ch == "\r":
            cur = 0
        else:
            while len(buf) < cur:
                buf.append(" ")
            if cur < len(buf):
                buf[cur] = ch
            else:
                buf.append(ch)
            cur += 1
        i += 1
    return "".join(buf)


def _clean(line: str) -> str:
    if "\x1b" in line or "\b" in line:
        line = _emulate(line)
    if "ore" in line and _PAGER.match(line):
        # A pager marker whose erase sequence was lost (e.g. stripped by a capture tool).
        line = _PAGER.sub("", line, count=1)
    return line.rstrip()


def clean_lines(text: str) -> CleanText:
    """Split into numbered lines and clean them; prompts and echoes become ``noise``."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines: list[CleanLine] = []
    notes: list[str] = []
    noise_count = 0
    # Terminal escapes come only from captures: look for them once in the whole text, and
    # clean a line in full only when it may hold one or a pager marker (issue 9).
    escapes = "\x1b" in text or "\b" in text
    altered: list[int] = []
    for i, raw in enumerate(text.split("\n"), start=1):
        cleaned = _clean(raw) if escapes or "ore" in raw else raw.rstrip()
        if cleaned is not raw:  # (rstrip gives the same object back when it strips nothing)
            altered.append(i - 1)
        # (Every prompt holds `>`, `]` or `#`: three substring tests skip the regex on most
        # lines, issue 9.)
        may_be_prompt = "#" in cleaned or ">" in cleaned or "]" in cleaned
        noise = may_be_prompt and _PROMPT.match(cleaned) is not None
        if noise:
            noise_count += 1
        lines.append(CleanLine(i, cleaned, noise))
    # A trailing newline yields one empty last element; it is not a line of the file.
    if lines and lines[-1].text == "" and text.endswith("\n"):
        lines.pop()
    if noise_count:
        notes.append(f"{noise_count} prompt/command-echo line(s) from a terminal capture ignored")
    return CleanText(lines, "", notes, altered=[i for i in altered if i < len(lines)])


def read_config(data: bytes, file: str) -> CleanText:
    """Decode and clean a config file's bytes."""
    text, encoding = decode(data, file)
    return clean_text(text, encoding)


def clean_text(text: str, encoding: str) -> CleanText:
    """Clean decoded text (``decode``'s result); notes say an unusual encoding."""
    result = clean_lines(text)
    result.encoding = encoding
    if encoding not in {"utf-8", "utf-8-sig"}:
        result.notes.insert(0, f"decoded as {encoding}")
    return result
