"""The machine a benchmark ran on, in one line: cores, CPU model, memory, OS, Python.

Stage: benchmark helper. Input: ``/proc`` and the running interpreter. Output: a string such as
``2 cores (nproc), AMD EPYC, 23.4 GiB RAM, Debian 12, Python 3.11.7, parsers: compiled
(mypyc)`` printed with each result.
"""

from __future__ import annotations

import os
import platform
from pathlib import Path

from netaudit._native import STATE


def _cpu_model() -> str:
    try:
        for line in (
            Path("/proc/cpuinfo").read_text(encoding="ascii", errors="replace").splitlines()
        ):
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def _memory() -> str:
    try:
        for line in Path("/proc/meminfo").read_text(encoding="ascii").splitlines():
            if line.startswith("MemTotal:"):
                return f"{int(line.split()[1]) / 2**20:.1f} GiB RAM"
    except OSError:
        pass
    return "unknown RAM"


def _os() -> str:
    try:
        info = platform.freedesktop_os_release()
        return f"{info.get('NAME', 'Linux').split()[0]} {info.get('VERSION_ID', '')}".strip()
    except OSError:
        return platform.system()


def describe() -> str:
    cores = len(os.sched_getaffinity(0))
    load = os.getloadavg()[0]
    return (
        f"{cores} cores (nproc), {_cpu_model()}, {_memory()}, {_os()}, "
        f"Python {platform.python_version()}, parsers: {STATE.why}; "
        f"load average at start {load:.1f}"
    )
