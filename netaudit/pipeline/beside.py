"""Run two independent jobs at once on a multi-core machine: one in a forked child.

After the checks, an audit has two jobs left that need nothing from each other: writing the
run into the store and writing the report files. Each takes a few seconds at a few thousand
devices, and a Python process uses one core; ``beside(main, side)`` runs ``side`` in a forked
child (it sees the finished run as it is in memory, copy-on-write, nothing to serialise) while
``main`` runs here, then waits for the child.

The child only writes files: it must not touch state it shares with this process (the store's
connections, the terminal), and it leaves with ``os._exit`` so that no cleanup of inherited
objects runs twice. Its outcome comes back through a pipe: nothing, a user-facing error
(``NetauditError``: raised here again with the same message, so the CLI reports it as it
would have) or a bug (raised here as ``RuntimeError`` with the child's traceback text, shown
only with ``--debug`` like any internal error).

Without ``os.fork`` (not POSIX), with other threads running, or when the caller says the jobs
are too small to be worth a process, the two run one after the other, ``main`` first; the
results are the same.
"""

from __future__ import annotations

import gc
import os
import sys
import threading
import traceback
from collections.abc import Callable

from netaudit.errors import NetauditError

_USER = b"U"
_BUG = b"B"


def beside(main: Callable[[], None], side: Callable[[], None], *, parallel: bool = True) -> None:
    """``main()`` here and ``side()`` in a forked child, both to the end; the first error of
    ``main``, else of ``side``, is raised."""
    # A fork copies only the calling thread: a lock another thread held (logging's, say) would
    # stay locked in the child forever. After a live collection its threads may linger.
    if not parallel or not hasattr(os, "fork") or threading.active_count() > 1:
        main()
        side()
        return
    # Buffered output would be written twice (by each process) if the child flushed it.
    sys.stdout.flush()
    sys.stderr.flush()
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child
        status = 1
        try:
            # The collector would walk (and so copy) every object inherited from the parent.
            gc.disable()
            os.close(read_end)
            _report(write_end, side)
            status = 0
        finally:
            os._exit(status)
    os.close(write_end)
    try:
        main()
    finally:
        outcome = _drain(read_end)
        _, code = os.waitpid(pid, 0)
    if outcome.startswith(_USER):
        raise NetauditError(outcome[1:].decode("utf-8", "replace"))
    if outcome.startswith(_BUG):
        raise RuntimeError("in the report writer:\n" + outcome[1:].decode("utf-8", "replace"))
    if code != 0:
        raise RuntimeError(f"the report writer stopped ({_describe(code)})")


def _report(fd: int, side: Callable[[], None]) -> None:
    message = b""
    try:
        side()
    except NetauditError as exc:
        message = _USER + str(exc).encode("utf-8", "replace")
    except BaseException:  # a bug: its traceback goes to the parent, as text
        message = _BUG + traceback.format_exc().encode("utf-8", "replace")
    with os.fdopen(fd, "wb") as pipe:
        pipe.write(message)


def _drain(fd: int) -> bytes:
    with os.fdopen(fd, "rb") as pipe:
        return pipe.read()


def _describe(code: int) -> str:
    if os.WIFSIGNALED(code):
        return f"signal {os.WTERMSIG(code)}"
    return f"exit status {os.waitstatus_to_exitcode(code)}"
