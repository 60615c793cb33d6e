"""Parse stage of an offline audit: every inventoried device's config file → a device model.

Input: the inventory (and an optional unit selection). Output: ``ParsedDevices`` — models by
device name for the devices that parsed, and a ``DeviceRecord`` for every device (status,
redacted snapshot, coverage). A device whose config is missing, unreadable or unparsable is a
record with a status and a reason, never an exception: the run goes on (SPEC §9).

Parsing runs on every core when there are many devices (it is CPU-bound): forked worker
processes and this one share the devices in small chunks; results are gathered in inventory
order, so output is deterministic. ``start_parsing`` starts the workers and returns at once
(the audit opens the store meanwhile); ``start_parsing_early`` starts them before the inventory
is read, to be offered each unit as it loads (the audit); ``Parsing.finish()`` joins them.
The models come back from the workers pickled; the records of the device model are pickled
as constructor calls, which unpickle faster than the generic dataclass ``__setstate__`` (the
parent unpickles serially), and networks and interface addresses as integers rather than text
to parse again. The cyclic garbage collector is paused while the workers and the parent parse,
pickle and unpickle: it would only scan, again and again, objects that all stay alive (issue
9). A parse leaves no cyclic garbage (none found after 200 devices of a synthetic city), so
nothing piles up.
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
from netaudit.inventory.load import inventory_path
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
    return [_job(inv.root, unit, spec) for unit in units for spec in unit.devices]


def _job(root: Path, unit: Unit, spec: DeviceSpec) -> _Job:
    def at(relative: Path) -> str:
        return str(inventory_path(root, relative))

    rt = spec.routing_table
    return _Job(
        spec.name,
        unit.id,
        spec.platform.value,
        spec.role.value if spec.role else None,
        at(spec.config) if spec.config is not None else None,
        spec.config.as_posix() if spec.config is not None else None,
        at(rt) if rt is not None else None,
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
    n = _cores(workers)
    parsing = Parsing(inv.root, n if len(jobs) >= _POOL_THRESHOLD else 1)
    parsing.plan(jobs)
    return parsing


def _cores(workers: int | None) -> int:
    return workers if workers is not None else (os.cpu_count() or 1)


def start_parsing_early(root: Path, workers: int | None = None) -> Parsing:
    """Start the parse workers before the inventory is loaded: hand each unit to ``offer``
    as it loads (an idle worker parses it at once), then every device to ``plan``."""
    return Parsing(root, _cores(workers))


# A worker's message: chunk index and payload length, then the pickled outcomes.
_HEADER = struct.Struct("<II")
_TICKET = struct.Struct("<I")
# Header bit of the outcomes of a unit offered early (the rest of the index: its number).
_EARLY = 1 << 31
# Units offered to a worker while the inventory loads and not parsed yet, at most: enough
# that it never waits for the next, few enough that the shares stay balanced afterwards.
_EARLY_BACKLOG = 2
# Chunks handed out through the ticket pipe, written whole before any process reads it: the
# pipe's buffer (64 KiB on Linux) holds this many tickets.
_MAX_CHUNKS = 8192
# Device records handed to ``Parsing.stream`` at a time (one store transaction each).
_STREAM_BATCH = 512
# The result and job pipes of each worker are grown to this (Linux allows 1 MiB unprivileged).
_RESULT_PIPE = 1 << 20

Outcome = tuple[DeviceRecord, Device | None]


class Parsing:
    """Configs being parsed on ``n`` cores: ``n - 1`` forked worker processes and, from
    ``finish()`` on, this one.

    The workers start first (``start_parsing_early``: even before the inventory is loaded).
    While the inventory loads, each unit is offered as it is read (``offer``): a worker with
    fewer than ``_EARLY_BACKLOG`` units to go takes it and parses it at once, so the second
    core works while the first reads YAML (issue 9). Once every device is known (``plan``),
    the devices not taken yet go out in small chunks as tickets (chunk numbers) in one pipe
    that every process reads from, so the shares balance themselves: this process parses
    chunks too, and also unpickles every model the workers send back (a sixth of the cost of
    parsing it). A worker writes each unit's or chunk's outcomes, pickled, into its own pipe,
    keeping in its memory what the pipe cannot take yet, so it never waits for this process:
    the workers go on while this process still opens the store and loads the rule packs.
    From ``finish()`` on, this process drains the pipes without waiting after every device
    it parses. (With a process pool the worker sat blocked on a full result pipe a quarter
    of the time: the pool's reader thread gets the interpreter only between this process's
    devices, 64 KiB per turn.) Outcomes stay in job order (deterministic output). A unit or
    chunk a worker did not deliver (it died) is parsed here at the end, with a warning.

    With one core, or when this process cannot fork safely (no ``os.fork``, other threads
    running), everything is parsed here in ``finish()``.
    """

    def __init__(self, root: Path, n: int) -> None:
        self.started = time.perf_counter()
        self._root = root
        self._jobs: list[_Job] = []
        self._stream: Callable[[list[DeviceRecord]], None] | None = None
        self._streamed = 0  # chunks handed to the stream
        self._chunks: list[list[_Job]] = []
        self._offered: list[tuple[str, list[_Job]]] = []  # early units: (unit id, jobs)
        self._early_chunk: dict[int, int] = {}  # early unit number → its chunk
        self._workers: list[_Worker] = []
        self._tickets = -1
        self._fill = -1
        if n < 2 or not can_fork():
            return
        self._tickets, self._fill = os.pipe()
        try:
            for _ in range(n - 1):
                self._workers.append(_fork_worker(self._tickets, self._fill, self._workers))
        except OSError as exc:  # no more processes or memory: parse with those there are
            log.warning("could not start a parse worker (%s); parsing on fewer cores", exc)
        except BaseException:
            self.cancel()
            raise
        if not self._workers:
            self._stop()

    def offer(self, unit: Unit) -> None:
        """While the inventory loads: ``unit``, just read, to a worker that is short of work
        (it parses it at once); else its devices wait for ``plan``."""
        if not unit.devices:
            return
        for w in self._workers:
            if w.backlog() >= _EARLY_BACKLOG:
                continue
            jobs = [_job(self._root, unit, spec) for spec in unit.devices]
            if w.send(("unit", len(self._offered), jobs)):
                self._offered.append((unit.id, jobs))
            return

    def plan(self, jobs: list[_Job]) -> None:
        """Every device (the inventory loaded): the units offered early stay with the workers
        that took them; the others are handed out in chunks."""
        self.started = time.perf_counter()  # (the parse stage: from here to the end)
        self._jobs = jobs
        if not self._workers:
            return
        early = {unit: (number, offered) for number, (unit, offered) in enumerate(self._offered)}
        segments: list[tuple[int | None, list[_Job]]] = []  # (early number or None, jobs)
        i = 0
        while i < len(jobs):
            end = i + 1
            while end < len(jobs) and jobs[end].unit == jobs[i].unit:
                end += 1
            number, offered = early.get(jobs[i].unit, (None, None))
            if number is not None and offered == jobs[i:end]:
                segments.append((number, jobs[i:end]))
            elif segments and segments[-1][0] is None:
                segments[-1][1].extend(jobs[i:end])
            else:
                segments.append((None, jobs[i:end]))
            i = end
        rest = sum(len(seg) for number, seg in segments if number is None)
        floor = max(4, -(-rest // _MAX_CHUNKS))
        n = len(self._workers) + 1
        tickets: list[int] = []
        for number, seg in segments:
            if number is not None:
                self._early_chunk[number] = len(self._chunks)
                self._chunks.append(seg)
                continue
            at = 0
            while at < len(seg):
                # Up to 32 devices, smaller toward the end (a quarter of what is left per
                # core, at least 4) so that the processes finish together.
                piece = seg[at : at + max(floor, min(32, rest // (4 * n)))]
                tickets.append(len(self._chunks))
                self._chunks.append(piece)
                at += len(piece)
                rest -= len(piece)
        table: list[list[_Job] | None] = [None] * len(self._chunks)
        for index in tickets:
            table[index] = self._chunks[index]
        for w in self._workers:
            w.send(("plan", table))
            w.close_jobs()
        try:
            os.write(self._fill, b"".join(_TICKET.pack(i) for i in tickets))
        finally:
            self._close_tickets()

    def plan_inventory(self, inv: Inventory) -> None:
        """``plan`` with every device of the loaded inventory."""
        self.plan(_jobs(inv, inv.units))

    def _close_tickets(self) -> None:
        if self._fill >= 0:
            os.close(self._fill)
            self._fill = -1

    def finish(self) -> ParsedDevices:
        """This process's share parsed, the workers' gathered: every device, in job order."""
        with paused_gc():
            if self._chunks:
                outcomes = self._shared()
            else:
                self._stop()  # (workers with nothing to do, if any)
                outcomes = [_parse_one(j) for j in self._jobs]
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
        self._close_tickets()
        if self._tickets >= 0:
            os.close(self._tickets)
            self._tickets = -1
        statuses = [w.stop() for w in self._workers]
        self._workers = []
        return statuses

    def _chunk_of(self, index: int) -> int | None:
        """The chunk a worker's message is about (None: an early unit the plan dropped)."""
        if index & _EARLY:
            return self._early_chunk.get(index & ~_EARLY)
        return index

    def _shared(self) -> list[Outcome]:
        chunks, workers = self._chunks, self._workers
        done: list[list[Outcome] | None] = [None] * len(chunks)
        try:
            while (mine := _next_ticket(self._tickets)) is not None:
                out = []
                for job in chunks[mine]:
                    out.append(_parse_one(job))
                    for w in workers:
                        w.drain(done, self._chunk_of)
                done[mine] = out
                self._flush(done, _STREAM_BATCH)
            while any(w.fd >= 0 for w in workers):
                ready, _, _ = select.select([w.fd for w in workers if w.fd >= 0], [], [])
                for w in workers:
                    if w.fd in ready:
                        w.drain(done, self._chunk_of)
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


def _next_ticket(fd: int) -> int | None:
    """The next chunk number from the ticket pipe (a 4-byte read is atomic), None when all
    are taken."""
    data = os.read(fd, _TICKET.size)
    return _TICKET.unpack(data)[0] if data else None


class _Worker:
    """This process's ends of one worker: its pid, the pipe its outcomes come through, the
    pipe its jobs go through until the plan, and the one it says which early units it
    finished through."""

    __slots__ = ("acks", "buf", "fd", "jobs", "pid", "scratch", "sent")

    def __init__(self, pid: int, fd: int, jobs: int, acks: int) -> None:
        self.pid = pid
        self.fd = fd
        self.jobs = jobs
        self.acks = acks
        self.sent = 0  # early units sent
        self.buf = bytearray()
        self.scratch = bytearray(_RESULT_PIPE)  # read into, not allocated per read

    def backlog(self) -> int:
        """Early units sent and not parsed yet (a dead worker: a full backlog)."""
        if self.jobs < 0:
            return _EARLY_BACKLOG
        try:
            done = len(os.read(self.acks, 4 * _EARLY_BACKLOG * 64)) // _TICKET.size
        except BlockingIOError:
            done = 0
        self.sent -= done
        return self.sent

    def send(self, message: object) -> bool:
        """Pickled, length first, through the job pipe; False when the worker is gone."""
        if self.jobs < 0:
            return False
        payload = pickle.dumps(message, pickle.HIGHEST_PROTOCOL)
        try:
            _write_all(self.jobs, _TICKET.pack(len(payload)) + payload)
        except OSError:  # it died: what it was given is parsed here at the end
            self.close_jobs()
            return False
        if isinstance(message, tuple) and message[0] == "unit":
            self.sent += 1
        return True

    def close_jobs(self) -> None:
        for attr in ("jobs", "acks"):
            fd = getattr(self, attr)
            if fd >= 0:
                os.close(fd)
                setattr(self, attr, -1)

    def drain(
        self, done: list[list[Outcome] | None], chunk_of: Callable[[int], int | None]
    ) -> None:
        """Read what the worker has written so far (without waiting); unpickle each unit or
        chunk that came in whole; close the pipe at its end."""
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
            chunk = chunk_of(index)
            if chunk is not None:
                done[chunk] = pickle.loads(memoryview(buf)[at + _HEADER.size : end])
            at = end
        if at:
            del buf[:at]

    def stop(self) -> int:
        """Reap the worker (it is done, or this process is leaving early: then killed);
        its wait status."""
        self.close_jobs()
        if self.fd >= 0:
            os.close(self.fd)
            self.fd = -1
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.pid, signal.SIGKILL)
        return os.waitpid(self.pid, 0)[1]


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def _fork_worker(tickets: int, fill: int, others: list[_Worker]) -> _Worker:
    read_end, write_end = os.pipe()
    jobs_read, jobs_write = os.pipe()
    acks_read, acks_write = os.pipe()
    for fd in (write_end, jobs_write):
        with contextlib.suppress(OSError):  # not Linux, or a lower limit: the default size
            fcntl.fcntl(fd, getattr(fcntl, "F_SETPIPE_SZ", 1031), _RESULT_PIPE)

    def worker() -> None:
        # (It only parses and pickles objects that are freed at once: nothing to collect.)
        for fd in (read_end, jobs_write, acks_read, fill):
            os.close(fd)
        for w in others:
            for fd in (w.fd, w.jobs, w.acks):
                if fd >= 0:
                    os.close(fd)
        _work(jobs_read, acks_write, tickets, write_end)

    try:
        pid = fork_child(worker)
    except OSError:
        for fd in (read_end, write_end, jobs_read, jobs_write, acks_read, acks_write):
            os.close(fd)
        raise
    for fd in (write_end, jobs_read, acks_write):
        os.close(fd)
    os.set_blocking(read_end, False)
    os.set_blocking(acks_read, False)
    return _Worker(pid, read_end, jobs_write, acks_read)


def _read_exactly(fd: int, size: int) -> bytes | None:
    parts = []
    while size:
        part = os.read(fd, min(size, _RESULT_PIPE))
        if not part:
            return None
        parts.append(part)
        size -= len(part)
    return b"".join(parts)


def _work(jobs: int, acks: int, tickets: int, fd: int) -> None:
    """A worker's loop: parse the units offered while the inventory loads, then, given the
    plan, the chunks it takes; send each unit's or chunk's outcomes, pickled, without ever
    waiting for the reader (what the pipe cannot take yet is kept); at the end, the rest."""
    queue: collections.deque[memoryview] = collections.deque()
    os.set_blocking(fd, False)

    def put(index: int, outcomes: list[Outcome]) -> None:
        payload = pickle.dumps(outcomes, pickle.HIGHEST_PROTOCOL)
        queue.append(memoryview(_HEADER.pack(index, len(payload))))
        queue.append(memoryview(payload))
        _send(fd, queue)

    table: list[list[_Job] | None] = []
    while (size := _read_exactly(jobs, _TICKET.size)) is not None:
        message = _read_exactly(jobs, _TICKET.unpack(size)[0])
        if message is None:
            break
        kind, *args = pickle.loads(message)
        if kind == "plan":
            (table,) = args
            break
        number, unit_jobs = args
        put(_EARLY | number, [_parse_one(j) for j in unit_jobs])
        with contextlib.suppress(OSError):  # (gone once the plan came: nobody counts then)
            os.write(acks, _TICKET.pack(number))
    os.close(jobs)
    os.close(acks)
    if table:  # (no plan: the audit stopped while the inventory loaded)
        while (index := _next_ticket(tickets)) is not None:
            chunk = table[index]
            if chunk is not None:
                put(index, [_parse_one(j) for j in chunk])
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
