"""``paused_gc()``: the cyclic garbage collector paused for a stretch of work (issue 9).

netaudit builds large structures that live until the work ends and hold hardly any cyclic
garbage: a parse (objects for every line), the audit (models, topology, FIBs, results), a run
decoded from the store. While they grow, each full collection walks every object again for
nothing (a fifth of the parse stage, half of loading a 5,000-device run, most of the checks
at 1,000 devices before this). Reference counting still frees what is dropped.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator


@contextlib.contextmanager
def paused_gc() -> Iterator[None]:
    """The cyclic garbage collector paused for the duration, then as it was (nests)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
