"""Which platform parsers exist in this checkout (a platform is skipped until its module lands)."""

from __future__ import annotations

import importlib.util
import signal
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from netaudit.model import Platform
from netaudit.vendors.base import PARSERS


def _exists(module: str) -> bool:
    """The platform's package exists and exposes ``PARSER`` (another helper may be mid-way)."""
    try:
        if importlib.util.find_spec(module) is None:
            return False
        return hasattr(importlib.import_module(module), "PARSER")
    except ImportError:
        return False


ALL_PLATFORMS = list(Platform)


def platform_params() -> list[object]:
    """Every registered platform; those whose module does not exist yet are skipped."""
    return [
        pytest.param(
            p,
            id=p.value,
            marks=()
            if _exists(PARSERS[p])
            else pytest.mark.skip(reason=f"{PARSERS[p]} does not exist yet"),
        )
        for p in ALL_PLATFORMS
    ]


class Hang(Exception):
    """A parse ran far past any reasonable time: treated as a hang."""


@contextmanager
def hang_guard(seconds: int) -> Iterator[None]:
    """Fail instead of hanging forever (a liveness guard, not a performance assertion)."""

    def _fire(signum: int, frame: object) -> None:
        raise Hang(f"parse still running after {seconds} s")

    old = signal.signal(signal.SIGALRM, _fire)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)
