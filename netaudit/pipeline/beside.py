"""Run independent jobs at once on a multi-core machine: one in a forked child.

An audit has stretches of work that need nothing from each other: after parsing, the network
analysis with the rules that read it, and the rules that read one device at a time; after the
checks, writing the run into the store and writing the report files. Each takes seconds at a
few thousand devices, and a Python process uses one core. ``fork_call(fn)`` starts ``fn`` in a
forked child (it sees this process's objects as they are in memory, copy-on-write, nothing to
serialise on the way in) and ``Forked.result()`` waits for it and returns its value, pickled
back through a pipe. ``beside(main, side)`` runs ``side`` so while ``main`` runs here.

The child must not touch state it shares with this process (the store's connections, the
terminal), and it leaves with ``os._exit`` so that no cleanup of inherited objects runs twice.
A user-facing error in the child (``NetauditError``) is raised here again with the same
message, so the CLI reports it as it would have; a bug is raised here as ``RuntimeError`` with
the child's traceback text (shown only with ``--debug``, like any internal error).

Without ``os.fork`` (not POSIX), with other threads running, or when the caller says the jobs
are too small to be worth a process, ``fork_call`` returns None and the caller runs the work
itself; the results are the same.
"""

from __future__ import annotations

import contextlib
import gc
import os
import pickle
import signal
import sys
import threading
import traceback
from collections.abc import Callable
from typing import Generic, TypeVar, cast

from netaudit.errors import NetauditError

T = TypeVar("T")

_VALUE = b"V"
_USER = b"U"
_BUG = b"B"


class Forked(Generic[T]):
    """A forked child running a job; ``result()`` (once) waits for it and returns its value."""

    __slots__ = ("_fd", "_pid", "_reaped", "_what")

    def __init__(self, pid: int, fd: int, what: str) -> None:
        self._pid = pid
        self._fd = fd
        self._what = what
        self._reaped = False

    def result(self) -> T:
        """The job's return value; its error raised here (see the module's docstring)."""
        if self._reaped:
            raise RuntimeError(f"{self._what}: its result was already taken")
        self._reaped = True
        try:
            with os.fdopen(self._fd, "rb") as pipe:
                outcome = pipe.read()
        finally:
            _, code = os.waitpid(self._pid, 0)
        if outcome.startswith(_VALUE):
            return cast("T", pickle.loads(outcome[1:]))
        if outcome.startswith(_USER):
            raise NetauditError(outcome[1:].decode("utf-8", "replace"))
        if outcome.startswith(_BUG):
            raise RuntimeError(f"in {self._what}:\n" + outcome[1:].decode("utf-8", "replace"))
        raise RuntimeError(f"{self._what} stopped ({describe_status(code)})")

    def cancel(self) -> None:
        """Stop the child and reap it (this process failed; its answer is not needed).
        Nothing to do once ``result()`` was called."""
        if self._reaped:
            return
        self._reaped = True
        os.close(self._fd)
        with contextlib.suppress(ProcessLookupError):
            os.kill(self._pid, signal.SIGKILL)
        os.waitpid(self._pid, 0)


def fork_call(fn: Callable[[], T], what: str) -> Forked[T] | None:
    """``fn()`` started in a forked child (``what`` names it in errors), or None when this
    process cannot fork safely (no ``os.fork``, other threads running)."""
    if not can_fork():
        return None
    read_end, write_end = os.pipe()

    def child() -> None:
        os.close(read_end)
        _report(write_end, fn)

    pid = fork_child(child)
    os.close(write_end)
    return Forked(pid, read_end, what)


def can_fork() -> bool:
    """Whether this process may fork safely: ``os.fork`` exists and no other thread runs (a
    fork copies only the calling thread: a lock another thread held, logging's say, would stay
    locked in the child forever; after a live collection its threads may linger)."""
    return hasattr(os, "fork") and threading.active_count() == 1


def fork_child(body: Callable[[], None]) -> int:
    """Fork; the child runs ``body`` with the cyclic collector off and leaves with
    ``os._exit`` (status 0 when ``body`` returned, 1 when it raised: no cleanup of inherited
    objects, no exit handlers run twice). Returns the child's pid here."""
    # Buffered output would be written twice (by each process) if the child flushed it.
    sys.stdout.flush()
    sys.stderr.flush()
    pid = os.fork()
    if pid == 0:  # the child
        status = 1
        try:
            # The collector would walk (and so copy) every object inherited from the parent.
            gc.disable()
            body()
            status = 0
        finally:
            os._exit(status)
    return pid


def beside(main: Callable[[], None], side: Callable[[], None], *, parallel: bool = True) -> None:
    """``main()`` here and ``side()`` in a forked child, both to the end; the first error of
    ``main``, else of ``side``, is raised. Without ``parallel`` (or a fork), one after the
    other, ``main`` first."""
    child = fork_call(side, "the report writer") if parallel else None
    if child is None:
        main()
        side()
        return
    try:
        main()
    except BaseException:
        # The child is waited for all the same (no process left behind); main's error is
        # the one reported.
        with contextlib.suppress(Exception):
            child.result()
        raise
    child.result()


def _report(fd: int, fn: Callable[[], object]) -> None:
    message = b""
    try:
        message = _VALUE + pickle.dumps(fn(), pickle.HIGHEST_PROTOCOL)
    except NetauditError as exc:
        message = _USER + str(exc).encode("utf-8", "replace")
    except BaseException:  # a bug: its traceback goes to the parent, as text
        message = _BUG + traceback.format_exc().encode("utf-8", "replace")
    with os.fdopen(fd, "wb") as pipe:
        pipe.write(message)


def describe_status(code: int) -> str:
    """A child's wait status in words: ``signal 9``, ``exit status 1``."""
    if os.WIFSIGNALED(code):
        return f"signal {os.WTERMSIG(code)}"
    return f"exit status {os.waitstatus_to_exitcode(code)}"
