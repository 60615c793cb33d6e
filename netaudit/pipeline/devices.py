"""Parse stage of an offline audit: every inventoried device's config file → a device model.

Input: the inventory (and an optional unit selection). Output: ``ParsedDevices`` — models by
device name for the devices that parsed, and a ``DeviceRecord`` for every device (status,
redacted snapshot, coverage). A device whose config is missing, unreadable or unparsable is a
record with a status and a reason, never an exception: the run goes on (SPEC §9).

Parsing runs on every core when there are many devices (it is CPU-bound): forked worker
processes and this one share the devices in small chunks; results are gathered in inventory
order, so output is deterministic. ``start_parsing`` starts the workers and returns at once
(the audit opens the store meanwhile); ``Parsing.finish()`` joins them. The models come back
from the workers pickled; the records of the device model are pickled as constructor calls,
which unpickle faster than the generic dataclass ``__setstate__`` (the parent unpickles
serially), and networks and interface addresses as integers rather than text to parse again.
The cyclic garbage collector is paused while the workers and the parent parse, pickle and
unpickle: it would only scan, again and again, objects that all stay alive (issue 9). A parse
leaves no cyclic garbage (none found after 200 devices of a synthetic city), so nothing piles
up.
"""

from __future__ import annotations

import collections
import contextlib
import copyreg
import fcntl
import logging
import os
import pickle
import select
import signal
import struct
import time
import traceback
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from ipaddress import IPv4Interface, IPv4Network
from pathlib import Path

from netaudit.collect.routes import load_routing_table
from netaudit.errors import ConfigError
from netaudit.gcpause import paused_gc
from netaudit.inventory import DeviceSpec, Inventory, Unit
from netaudit.model import Device
from netaudit.model import device as device_model
from netaudit.model.pickling import by_constructor, dataclasses_of
from netaudit.pipeline.beside import can_fork, describe_status, fork_child
from netaudit.pipeline.run import DeviceRecord, DeviceStatus, UnrecognizedLine
from netaudit.vendors.base import parse_config

log = logging.getLogger(__name__)

# Below this many devices worker processes cost more than they save.
_POOL_THRESHOLD = 64


# Every record of the device model, mutable ones too (speed; ``model.pickling``).
by_constructor([*dataclasses_of(device_model), UnrecognizedLine, DeviceRecord])


def _reduce_network(net: IPv4Network) -> tuple[type[IPv4Network], tuple[tuple[int, int]]]:
    return IPv4Network, ((int(net.network_address), net.prefixlen),)


def _reduce_interface(itf: IPv4Interface) -> tuple[type[IPv4Interface], tuple[tuple[int, int]]]:
    return IPv4Interface, ((int(itf.ip), itf.network.prefixlen),)


# ipaddress pickles networks and interfaces as text, which the parent would parse again.
copyreg.pickle(IPv4Network, _reduce_network)
copyreg.pickle(IPv4Interface, _reduce_interface)


@dataclass(slots=True)
class ParsedDevices:
    models: dict[str, Device] = field(default_factory=dict)
    records: dict[str, DeviceRecord] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class _Job:
    name: str
    unit: str
    platform: str
    role: str | None
    path: str | None  # absolute path of the config file
    display: str | None  # inventory-relative path shown in evidence
    routes_path: str | None = None  # a saved routing table (`routing_table:`), absolute
    routes_display: str | None = None


def record_for(
    job_name: str,
    unit: str,
    platform: str,
    *,
    role: str | None,
    file: str | None,
    device: Device,
    redacted: str,
) -> DeviceRecord:
    cov = device.coverage
    return DeviceRecord(
        name=job_name,
        unit=unit,
        platform=platform,
        status=DeviceStatus.OK,
        file=file,
        config=redacted,
        hostname=device.hostname,
        os_version=device.os_version,
        role=role,
        lines_total=cov.total,
        lines_recognized=cov.recognized,
        lines_unsupported=cov.unsupported,
        lines_unrecognized=cov.unrecognized,
        truncated=cov.truncated,
        unrecognized=tuple(
            UnrecognizedLine(section.value, src.line, src.text)
            for section, src in cov.unrecognized_lines
        ),
    )


def _parse_one(job: _Job) -> tuple[DeviceRecord, Device | None]:
    def fail(status: DeviceStatus, message: str) -> tuple[DeviceRecord, None]:
        return (
            DeviceRecord(
                name=job.name,
                unit=job.unit,
                platform=job.platform,
                status=status,
                message=message,
                file=job.display,
                role=job.role,
            ),
            None,
        )

    if job.path is None:
        return fail(DeviceStatus.NO_CONFIG, f"device {job.name}: no config file in the inventory")
    try:
        with open(job.path, "rb") as fh:
            data = fh.read()
    except OSError as exc:
        return fail(DeviceStatus.READ_ERROR, f"{job.display}: cannot read ({exc.strerror})")
    display = job.display or job.path
    try:
        device, redacted = parse_config(data, job.platform, display, job.name)
    except ConfigError as exc:
        return fail(DeviceStatus.PARSE_FAILED, str(exc))
    except Exception as exc:  # a parser bug: this device is unknown, the audit goes on
        frames = traceback.extract_tb(exc.__traceback__)
        at = f" at {Path(frames[-1].filename).name}:{frames[-1].lineno}" if frames else ""
        return fail(
            DeviceStatus.PARSE_FAILED,
            f"{display}: internal parser error ({type(exc).__name__}{at}); please report it",
        )
    if job.routes_path is not None:
        # A saved RIB replaces config routes in path tracing; an unreadable one leaves the
        # device unknown rather than silently tracing with the wrong routes.
        try:
            device.rib = load_routing_table(
                Path(job.routes_path), job.platform, job.routes_display or job.routes_path
            )
        except ConfigError as exc:
            return fail(DeviceStatus.PARSE_FAILED, f"routing table: {exc}")
    record = record_for(
        job.name,
        job.unit,
        job.platform,
        role=job.role,
        file=display,
        device=device,
        redacted=redacted,
    )
    return record, device


def _jobs(inv: Inventory, units: Iterable[Unit]) -> list[_Job]:
    jobs = []
    for unit in units:
        for spec in unit.devices:
            jobs.append(_job(inv, unit, spec))
    return jobs


def _job(inv: Inventory, unit: Unit, spec: DeviceSpec) -> _Job:
    path = str(inv.path(spec.config)) if spec.config is not None else None
    display = spec.config.as_posix() if spec.config is not None else None
    rt = spec.routing_table
    return _Job(
        spec.name,
        unit.id,
        spec.platform.value,
        spec.role.value if spec.role else None,
        path,
        display,
        str(inv.path(rt)) if rt is not None else None,
        rt.as_posix() if rt is not None else None,
    )


def parse_inventory(
    inv: Inventory, units: Iterable[Unit] | None = None, workers: int | None = None
) -> ParsedDevices:
    """Parse the config of every device of ``units`` (default: all units)."""
    return start_parsing(inv, units, workers).finish()


def start_parsing(
    inv: Inventory, units: Iterable[Unit] | None = None, workers: int | None = None
) -> Parsing:
    """Start parsing the configs of ``units`` (default: all units) on ``workers`` cores
    (default: all): the worker processes begin at once, while this process goes on with
    other work; ``finish()`` parses this process's share and returns every device."""
    jobs = _jobs(inv, inv.units if units is None else units)
    n = workers if workers is not None else (os.cpu_count() or 1)
    return Parsing(jobs, n)


# A worker's message: chunk index and payload length, then the pickled outcomes.
_HEADER = struct.Struct("<II")
_TICKET = struct.Struct("<I")
# Chunks handed out through the ticket pipe, written whole before any process reads it: the
# pipe's buffer (64 KiB on Linux) holds this many tickets.
_MAX_CHUNKS = 8192
# Device records handed to ``Parsing.stream`` at a time (one store transaction each).
_STREAM_BATCH = 512
# The result pipe of each worker is grown to this (Linux allows 1 MiB unprivileged).
_RESULT_PIPE = 1 << 20

Outcome = tuple[DeviceRecord, Device | None]


class Parsing:
    """Configs being parsed on ``n`` cores: ``n - 1`` forked worker processes and, from
    ``finish()`` on, this one.

    Small chunks of jobs are handed out as tickets (chunk numbers) in one pipe that every
    process reads from, so the shares balance themselves: this process parses chunks too,
    and also unpickles every model the workers send back (a sixth of the cost of parsing
    it). A worker writes each chunk's outcomes, pickled, into its own pipe, keeping in its
    memory what the pipe cannot take yet, so it never waits for this process: the workers
    start while this process still opens the store and loads the rule packs. From
    ``finish()`` on, this process drains the pipes without waiting after every device it
    parses. (With a process pool the worker sat blocked on a full result pipe a quarter of
    the time: the pool's reader thread gets the interpreter only between this process's
    devices, 64 KiB per turn.) Outcomes stay in job order (deterministic output). A chunk a
    worker did not deliver (it died) is parsed here at the end, with a warning.

    Below ``_POOL_THRESHOLD`` jobs, with one core, or when this process cannot fork safely
    (no ``os.fork``, other threads running), everything is parsed here in ``finish()``.
    """

    def __init__(self, jobs: list[_Job], n: int) -> None:
        self.started = time.perf_counter()
        self._jobs = jobs
        self._stream: Callable[[list[DeviceRecord]], None] | None = None
        self._streamed = 0  # chunks handed to the stream
        self._chunks: list[list[_Job]] = []
        self._workers: list[_Worker] = []
        self._tickets = -1
        if n < 2 or len(jobs) < _POOL_THRESHOLD or not can_fork():
            return
        self._chunks = _chunked(jobs, n)
        tickets, fill = os.pipe()
        try:
            os.write(fill, b"".join(_TICKET.pack(i) for i in range(len(self._chunks))))
        finally:
            os.close(fill)
        self._tickets = tickets
        try:
            for _ in range(n - 1):
                self._workers.append(_fork_worker(self._chunks, tickets, self._workers))
        except OSError as exc:  # no more processes or memory: parse with those there are
            log.warning("could not start a parse worker (%s); parsing on fewer cores", exc)
        except BaseException:
            self.cancel()
            raise

    def finish(self) -> ParsedDevices:
        """This process's share parsed, the workers' gathered: every device, in job order."""
        with paused_gc():
            outcomes = self._shared() if self._chunks else [_parse_one(j) for j in self._jobs]
        out = ParsedDevices()
        for record, device in outcomes:
            out.records[record.name] = record
            if device is not None:
                out.models[record.name] = device
        return out

    def stream(self, records: Callable[[list[DeviceRecord]], None]) -> None:
        """From ``finish()`` on, hand ``records`` the device records parsed so far, in job
        order, a few hundred at a time, while the parse goes on (the audit writes them to the
        store: the work balances over the cores with the parse's). Not every record need
        come this way (none on one core): the caller takes the rest from the result."""
        self._stream = records

    def _flush(self, done: list[list[Outcome] | None], at_least: int) -> None:
        if self._stream is None:
            return
        end = self._streamed
        count = 0
        while end < len(done) and (chunk_out := done[end]) is not None:
            count += len(chunk_out)
            end += 1
        if count < at_least or count == 0:
            return
        records = [
            rec for chunk_out in done[self._streamed : end] if chunk_out for rec, _ in chunk_out
        ]
        self._streamed = end
        # (Many at once when the workers ran ahead of this process: still a batch at a time.)
        for at in range(0, len(records), _STREAM_BATCH):
            self._stream(records[at : at + _STREAM_BATCH])

    def cancel(self) -> None:
        """Stop the workers (the audit stopped before ``finish()``)."""
        self._stop()

    def _stop(self) -> list[int]:
        """Close the ticket pipe, reap the workers (killed if not done): their wait statuses."""
        if self._tickets >= 0:
            os.close(self._tickets)
            self._tickets = -1
        statuses = [w.stop() for w in self._workers]
        self._workers = []
        return statuses

    def _shared(self) -> list[Outcome]:
        chunks, workers = self._chunks, self._workers
        done: list[list[Outcome] | None] = [None] * len(chunks)
        try:
            while (mine := _next_ticket(self._tickets)) is not None:
                out = []
                for job in chunks[mine]:
                    out.append(_parse_one(job))
                    for w in workers:
                        w.drain(done)
                done[mine] = out
                self._flush(done, _STREAM_BATCH)
            while any(w.fd >= 0 for w in workers):
                ready, _, _ = select.select([w.fd for w in workers if w.fd >= 0], [], [])
                for w in workers:
                    if w.fd in ready:
                        w.drain(done)
                self._flush(done, _STREAM_BATCH)
        finally:
            statuses = self._stop()
        missing = [i for i, chunk_out in enumerate(done) if chunk_out is None]
        if missing:  # a worker died with them
            log.warning(
                "a parse worker stopped (%s); %d devices it had taken were parsed again here",
                ", ".join(describe_status(st) for st in statuses if st) or "no status",
                sum(len(chunks[i]) for i in missing),
            )
            for i in missing:
                done[i] = [_parse_one(j) for j in chunks[i]]
        return [outcome for chunk_out in done if chunk_out is not None for outcome in chunk_out]


def _chunked(jobs: list[_Job], n: int) -> list[list[_Job]]:
    """Jobs in chunks of up to 32, smaller toward the end (a quarter of what is left per core,
    at least 4) so that the processes finish together: the last chunk is the one the others
    may wait for."""
    floor = max(4, -(-len(jobs) // _MAX_CHUNKS))
    chunks = []
    i = 0
    while i < len(jobs):
        size = max(floor, min(32, (len(jobs) - i) // (4 * n)))
        chunks.append(jobs[i : i + size])
        i += size
    return chunks


def _next_ticket(fd: int) -> int | None:
    """The next chunk number from the ticket pipe (a 4-byte read is atomic), None when all
    are taken."""
    data = os.read(fd, _TICKET.size)
    return _TICKET.unpack(data)[0] if data else None


class _Worker:
    """This process's end of one worker: its pid and the pipe its outcomes come through."""

    __slots__ = ("buf", "fd", "pid", "scratch")

    def __init__(self, pid: int, fd: int) -> None:
        self.pid = pid
        self.fd = fd
        self.buf = bytearray()
        self.scratch = bytearray(_RESULT_PIPE)  # read into, not allocated per read

    def drain(self, done: list[list[Outcome] | None]) -> None:
        """Read what the worker has written so far (without waiting); unpickle each chunk
        that came in whole; close the pipe at its end."""
        if self.fd < 0:
            return
        while True:
            try:
                got = os.readv(self.fd, [self.scratch])
            except BlockingIOError:
                break
            if not got:
                os.close(self.fd)
                self.fd = -1
                break
            self.buf += memoryview(self.scratch)[:got]
        buf = self.buf
        at = 0
        while len(buf) - at >= _HEADER.size:
            index, length = _HEADER.unpack_from(buf, at)
            end = at + _HEADER.size + length
            if len(buf) < end:
                break
            done[index] = pickle.loads(memoryview(buf)[at + _HEADER.size : end])
            at = end
        if at:
            del buf[:at]

    def stop(self) -> int:
        """Reap the worker (it is done, or this process is leaving early: then killed);
        its wait status."""
        if self.fd >= 0:
            os.close(self.fd)
            self.fd = -1
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.pid, signal.SIGKILL)
        return os.waitpid(self.pid, 0)[1]


def _fork_worker(chunks: list[list[_Job]], tickets: int, others: list[_Worker]) -> _Worker:
    read_end, write_end = os.pipe()
    with contextlib.suppress(OSError):  # not Linux, or a lower limit: the default size
        fcntl.fcntl(write_end, getattr(fcntl, "F_SETPIPE_SZ", 1031), _RESULT_PIPE)

    def worker() -> None:
        # (It only parses and pickles objects that are freed at once: nothing to collect.)
        os.close(read_end)
        for w in others:
            os.close(w.fd)
        _work(chunks, tickets, write_end)

    try:
        pid = fork_child(worker)
    except OSError:
        os.close(read_end)
        os.close(write_end)
        raise
    os.close(write_end)
    os.set_blocking(read_end, False)
    return _Worker(pid, read_end)


def _work(chunks: list[list[_Job]], tickets: int, fd: int) -> None:
    """A worker's loop: parse the chunks it takes; send each, pickled, without ever waiting
    for the reader (what the pipe cannot take yet is kept); at the end, send the rest."""
    queue: collections.deque[memoryview] = collections.deque()
    os.set_blocking(fd, False)
    while (index := _next_ticket(tickets)) is not None:
        payload = pickle.dumps([_parse_one(j) for j in chunks[index]], pickle.HIGHEST_PROTOCOL)
        queue.append(memoryview(_HEADER.pack(index, len(payload))))
        queue.append(memoryview(payload))
        _send(fd, queue)
    os.set_blocking(fd, True)
    _send(fd, queue)


def _send(fd: int, queue: collections.deque[memoryview]) -> None:
    """Write the queued pieces in order until done or, non-blocking, until the pipe is full."""
    while queue:
        try:
            n = os.write(fd, queue[0])
        except BlockingIOError:
            return
        if n == len(queue[0]):
            queue.popleft()
        else:
            queue[0] = queue[0][n:]
