"""Test helper: the child processes of this one (the parse workers and forked jobs a test
started must all be reaped when the call returns: none left running, none a zombie)."""

from __future__ import annotations

import os
from pathlib import Path


def children() -> list[int]:
    """Pids of this process's children, zombies included (Linux ``/proc``)."""
    pid = os.getpid()
    text = Path(f"/proc/{pid}/task/{pid}/children").read_text(encoding="ascii")
    return [int(p) for p in text.split()]
