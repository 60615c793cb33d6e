"""Exit codes of every command (SPEC §7)."""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    OK = 0  # no failed result at or above --fail-on
    FAILURES = 1  # failed results at or above --fail-on
    INPUT_ERROR = 2  # usage or input error
    INCOMPLETE = 3  # devices not collected or not parsed, and no --allow-incomplete
    INTERNAL = 70  # a bug: "internal error"
