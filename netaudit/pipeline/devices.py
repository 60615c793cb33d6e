"""Parse stage of an offline audit: every inventoried device's config file → a device model.

Input: the inventory (and an optional unit selection). Output: ``ParsedDevices`` — models by
device name for the devices that parsed, and a ``DeviceRecord`` for every device (status,
redacted snapshot, coverage). A device whose config is missing, unreadable or unparsable is a
record with a status and a reason, never an exception: the run goes on (SPEC §9).

Parsing runs on every core when there are many devices (it is CPU-bound): worker processes
and this one share the devices in small chunks; results are gathered in inventory order, so
output is deterministic. The models come back from the workers pickled; the records of the
device model are pickled as constructor calls, which unpickle faster than the generic
dataclass ``__setstate__`` (the parent unpickles serially), and networks and interface
addresses as integers rather than text to parse again. The cyclic garbage collector is paused
while a worker parses and pickles a device, and while the parent parses and unpickles: it would
only scan, again and again, objects that all stay alive (issue 9). Forked workers start with it
paused and keep it so; a parse leaves no cyclic garbage (none found after 200 devices of a
synthetic city), so nothing piles up.
"""

from __future__ import annotations

import copyreg
import dataclasses
import operator
import os
import pickle
import traceback
from collections.abc import Callable, Iterable
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from ipaddress import IPv4Interface, IPv4Network
from pathlib import Path

from netaudit.collect.routes import load_routing_table
from netaudit.errors import ConfigError
from netaudit.gcpause import paused_gc
from netaudit.inventory import DeviceSpec, Inventory, Unit
from netaudit.model import Device
from netaudit.model import device as device_model
from netaudit.pipeline.run import DeviceRecord, DeviceStatus, UnrecognizedLine
from netaudit.vendors.base import parse_config

# Below this many devices a process pool costs more than it saves.
_POOL_THRESHOLD = 64


def _constructor_reducer(cls: type) -> Callable[[object], tuple[type, tuple[object, ...]]]:
    names = tuple(f.name for f in dataclasses.fields(cls))
    # attrgetter of two or more names gives the values as a tuple, built in C (speed).
    fields = operator.attrgetter(*names) if len(names) >= 2 else None

    def reduce(obj: object) -> tuple[type, tuple[object, ...]]:
        if fields is None:
            return cls, tuple([getattr(obj, n) for n in names])
        values: tuple[object, ...] = fields(obj)
        return cls, values

    return reduce


def _fast_pickling(*classes: type) -> None:
    """Pickle these dataclasses as ``cls(*fields)``; only for classes whose every field
    is an ``__init__`` argument and that have no ``__post_init__`` (same object back)."""
    for cls in classes:
        fields = dataclasses.fields(cls)
        if all(f.init for f in fields) and not hasattr(cls, "__post_init__"):
            copyreg.pickle(cls, _constructor_reducer(cls))


# Every record of the device model, mutable ones too: dataclass's own pickling of a slotted
# class (``__getstate__``/``__setstate__``) walks ``fields()`` in Python per object, which cost
# as much as a fifth of the parse (issue 9).
_fast_pickling(
    *(
        cls
        for cls in vars(device_model).values()
        if isinstance(cls, type) and dataclasses.is_dataclass(cls)
    ),
    UnrecognizedLine,
    DeviceRecord,
)


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


def _parse_pickled(job: _Job) -> bytes:
    """``_parse_one`` in a worker: its outcome pickled before the collector runs again, so the
    collector never scans the device (it is freed by then)."""
    with paused_gc():
        return pickle.dumps(_parse_one(job), pickle.HIGHEST_PROTOCOL)


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
    jobs = _jobs(inv, inv.units if units is None else units)
    n = workers if workers is not None else (os.cpu_count() or 1)
    outcomes: list[tuple[DeviceRecord, Device | None]]
    if n > 1 and len(jobs) >= _POOL_THRESHOLD:
        outcomes = _parse_shared(jobs, n)
    else:
        with paused_gc():
            outcomes = [_parse_one(j) for j in jobs]
    out = ParsedDevices()
    for record, device in outcomes:
        out.records[record.name] = record
        if device is not None:
            out.models[record.name] = device
    return out


def _parse_chunk(jobs: list[_Job]) -> list[bytes]:
    return [_parse_pickled(j) for j in jobs]


def _parse_shared(jobs: list[_Job], n: int) -> list[tuple[DeviceRecord, Device | None]]:
    """Parse ``jobs`` on ``n`` cores: ``n - 1`` worker processes and this one.

    The parent has to unpickle every model a worker sends back (a sixth of the cost of
    parsing it); with ``n`` workers it did that on top of ``n`` busy cores. Here it parses a
    share itself: small chunks are handed out in order, a few ahead to each worker, and the
    parent takes the next chunk whenever it has unpickled what came back, so the shares
    balance themselves. Outcomes stay in job order (deterministic output).
    """
    size = max(4, min(32, len(jobs) // (n * 16)))
    chunks = [jobs[i : i + size] for i in range(0, len(jobs), size)]
    done: list[list[tuple[DeviceRecord, Device | None]] | None] = [None] * len(chunks)
    pending: dict[Future[list[bytes]], int] = {}
    ahead = 2 * (n - 1)  # chunks queued for the workers, so none waits while the parent parses
    nxt = 0

    def collect(futures: Iterable[Future[list[bytes]]]) -> None:
        for fut in futures:
            done[pending.pop(fut)] = [pickle.loads(b) for b in fut.result()]

    with ProcessPoolExecutor(max_workers=n - 1) as pool, paused_gc():
        while nxt < len(chunks) or pending:
            while len(pending) < ahead and nxt < len(chunks):
                pending[pool.submit(_parse_chunk, chunks[nxt])] = nxt
                nxt += 1
            if nxt < len(chunks):
                mine = nxt
                nxt += 1
                done[mine] = [_parse_one(j) for j in chunks[mine]]
                collect([f for f in pending if f.done()])
            else:
                collect(wait(pending, return_when=FIRST_COMPLETED).done)
    return [outcome for chunk in done if chunk is not None for outcome in chunk]
