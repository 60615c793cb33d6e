"""Live collection of an inventory: a bounded pool of workers, one ``DeviceCollection`` per device.

Stage: live collection. Input: an ``Inventory`` (optionally some units), ``RunnerOptions``
(workers, SSH/SNMP timeouts and retries, host-key store, hosts override) and the environment
(credential profiles resolve from it only; every needed variable is checked before the first
connection, and a missing one is a ``UsageError`` naming the profile and variable). Output: a
``DeviceCollection`` per device in inventory order — status, message, the REDACTED config parsed
into a ``Device`` (with the collected routing table as ``Device.rib``), SNMP facts and their
cross-check notes — and, with ``write_collection``, a folder an offline audit can read back
(``configs/<device>.cfg`` redacted, ``state/<device>.routes``, ``collection.json``).

A device that fails is data (its status and why), never an exception: the run goes on. Progress
(a rich bar with ok/failed counts) goes to stderr, and only when stderr is a terminal.
"""

from __future__ import annotations

import json
import os
import sys
import time
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
)

from netaudit.collect.credentials import (
    SnmpCredentials,
    SshCredentials,
    snmp_credentials,
    ssh_credentials,
)
from netaudit.collect.platforms import CLI
from netaudit.collect.result import (
    CollectStatus,
    CrossCheckNote,
    DeviceCollection,
    HostOverride,
    SnmpFacts,
    TransportOutcome,
)
from netaudit.collect.routes import parse_routing_table
from netaudit.collect.snmp import SnmpTarget, collect_snmp, cross_check
from netaudit.collect.ssh import SshOptions, SshTarget, collect_ssh
from netaudit.errors import CollectError, ConfigError, UsageError
from netaudit.inventory import DeviceSpec, Inventory, Unit
from netaudit.inventory.models import Transport
from netaudit.model import Device, RibRoute
from netaudit.model.serialize import Json
from netaudit.vendors.base import parse_config
from netaudit.vendors.textio import decode

DEFAULT_WORKERS = 16
COLLECTION_SCHEMA = "netaudit.collection/1"


@dataclass(frozen=True, slots=True)
class RunnerOptions:
    workers: int = DEFAULT_WORKERS
    ssh: SshOptions = field(default_factory=SshOptions)
    snmp_timeout: float = 2.0
    snmp_retries: int = 1
    hosts: Mapping[str, HostOverride] = field(default_factory=dict)
    # With a hosts override in force (a run against simulated devices), a device without an
    # entry is not collected: reaching it at its inventory address would touch the real network.
    hosts_only: bool = False
    quiet: bool = False


@dataclass(frozen=True, slots=True)
class Job:
    unit: str
    spec: DeviceSpec
    ssh: SshTarget | None
    ssh_creds: SshCredentials | None
    snmp: SnmpTarget | None
    snmp_creds: SnmpCredentials | None
    skip: DeviceCollection | None = None  # set when the device cannot be collected at all

    @classmethod
    def skipped(cls, unit: Unit, spec: DeviceSpec, status: CollectStatus, message: str) -> Job:
        result = DeviceCollection(spec.name, unit.id, spec.platform.value, status, message)
        return cls(unit.id, spec, None, None, None, None, result)


def plan(
    inv: Inventory,
    units: Iterable[Unit] | None,
    options: RunnerOptions,
    environ: Mapping[str, str],
) -> list[Job]:
    """One job per device; credentials are resolved here (a missing variable stops the run)."""
    jobs: list[Job] = []
    cache: dict[str, SshCredentials] = {}
    for unit in inv.units if units is None else units:
        for spec in unit.devices:
            jobs.append(_job(inv, unit, spec, options=options, environ=environ, cache=cache))
    return jobs


def _job(
    inv: Inventory,
    unit: Unit,
    spec: DeviceSpec,
    *,
    options: RunnerOptions,
    environ: Mapping[str, str],
    cache: dict[str, SshCredentials],
) -> Job:
    override = options.hosts.get(spec.name)
    host = override.host if override else spec.host
    if not spec.transports:
        return Job.skipped(
            unit,
            spec,
            CollectStatus.NOT_COLLECTED,
            f"{spec.name}: no live transport (add `transports: [ssh]` to its unit file)",
        )
    if override is None and options.hosts_only:
        return Job.skipped(
            unit,
            spec,
            CollectStatus.NOT_COLLECTED,
            f"{spec.name}: not in the hosts override; not reached at its inventory address",
        )
    if host is None:
        return Job.skipped(
            unit, spec, CollectStatus.NOT_COLLECTED, f"{spec.name}: no `host` to reach"
        )
    ssh = ssh_creds = snmp = snmp_creds = None
    if Transport.SSH in spec.transports:
        if spec.credentials is None:
            return Job.skipped(
                unit,
                spec,
                CollectStatus.NO_CREDENTIALS,
                f"{spec.name}: no `credentials` profile for SSH",
            )
        if spec.credentials not in cache:
            cache[spec.credentials] = ssh_credentials(inv.city, spec.credentials, environ)
        ssh_creds = cache[spec.credentials]
        port = override.ssh_port if override and override.ssh_port else spec.port
        ssh = SshTarget(spec.name, spec.platform, str(host), port)
    if Transport.SNMP in spec.transports:
        if spec.snmp is None:
            return Job.skipped(
                unit,
                spec,
                CollectStatus.NO_CREDENTIALS,
                f"{spec.name}: transport snmp without an `snmp:` access (version, credentials)",
            )
        snmp_creds = snmp_credentials(inv.city, spec.snmp, environ)
        port = override.snmp_port if override and override.snmp_port else spec.snmp.port
        snmp = SnmpTarget(spec.name, str(host), port)
    return Job(unit.id, spec, ssh, ssh_creds, snmp, snmp_creds)


# --------------------------------------------------------------------------- one device


def _match_interfaces(routes: list[RibRoute], device: Device) -> None:
    """RIB interface names as the model writes them (RGOS `GigabitEthernet 0/1`, any case)."""
    keys = {name.replace(" ", "").lower(): name for name in device.interfaces}
    for route in routes:
        for hop in route.next_hops:
            if hop.interface is not None:
                hop.interface = keys.get(hop.interface.replace(" ", "").lower(), hop.interface)


@dataclass(slots=True)
class _SshPart:
    outcome: TransportOutcome
    config: str | None = None
    routes: tuple[RibRoute, ...] | None = None
    routes_text: str | None = None
    version_text: str | None = None
    device: Device | None = None
    warnings: list[str] = field(default_factory=list)


def _ssh_part(job: Job, options: RunnerOptions) -> _SshPart:
    assert job.ssh is not None and job.ssh_creds is not None
    spec = job.spec
    started = time.monotonic()
    result = collect_ssh(job.ssh, job.ssh_creds, options.ssh)
    seconds = time.monotonic() - started

    def outcome(status: CollectStatus, message: str | None = None) -> TransportOutcome:
        return TransportOutcome("ssh", status, message, result.attempts, seconds)

    if result.error is not None:
        return _SshPart(outcome(CollectStatus(result.error.status), str(result.error)))
    out = result.output
    assert out is not None
    display = f"ssh://{spec.name}"
    command = CLI[spec.platform].config_command
    try:
        decode(out.config.encode("utf-8"), display)
    except ConfigError:
        msg = f"{spec.name}: the answer to `{command}` is not text (binary or garbage)"
        return _SshPart(outcome(CollectStatus.BAD_OUTPUT, msg))
    try:
        # One redaction for the parse and the stored snapshot (``parse_config``). The answer
        # has LF line ends (``clean_config``), so the snapshot is ``parser.redact`` of it.
        device, redacted = parse_config(
            out.config.encode("utf-8"), spec.platform, display, spec.name
        )
    except (ConfigError, ImportError) as exc:
        return _SshPart(outcome(CollectStatus.PARSE_FAILED, f"{spec.name}: {exc}"))
    except Exception as exc:  # a parser bug: this device is unknown, the others go on
        msg = f"{spec.name}: internal parser error ({type(exc).__name__}); please report it"
        return _SshPart(outcome(CollectStatus.PARSE_FAILED, msg))
    part = _SshPart(outcome(CollectStatus.OK), config=redacted, version_text=out.version_text)
    if device.coverage.recognized == 0:
        part.outcome = outcome(
            CollectStatus.BAD_OUTPUT,
            f"{spec.name}: no line of the answer to `{command}` is a {spec.platform.value} "
            "configuration statement",
        )
        return part
    if out.routes_text is not None:
        part.routes_text = out.routes_text
        try:
            routes = parse_routing_table(out.routes_text, spec.platform, f"{display}/routes")
        except ConfigError as exc:
            part.warnings.append(f"routing table not used: {exc}")
        else:
            _match_interfaces(routes, device)
            device.rib = routes
            part.routes = tuple(routes)
    part.device = device
    return part


def _snmp_part(job: Job, options: RunnerOptions) -> tuple[TransportOutcome, SnmpFacts | None]:
    assert job.snmp is not None and job.snmp_creds is not None
    started = time.monotonic()
    try:
        facts = collect_snmp(job.snmp, job.snmp_creds, options.snmp_timeout, options.snmp_retries)
    except CollectError as exc:
        seconds = time.monotonic() - started
        return TransportOutcome("snmp", CollectStatus(exc.status), str(exc), 1, seconds), None
    seconds = time.monotonic() - started
    return TransportOutcome("snmp", CollectStatus.OK, None, 1, seconds), facts


def collect_device(job: Job, options: RunnerOptions) -> DeviceCollection:
    """Collect one device over its transports; never raises for a device's own failure."""
    if job.skip is not None:
        return job.skip
    spec = job.spec
    outcomes: list[TransportOutcome] = []
    ssh = _ssh_part(job, options) if job.ssh is not None else None
    if ssh is not None:
        outcomes.append(ssh.outcome)
    facts = None
    notes: list[CrossCheckNote] = []
    if job.snmp is not None:
        outcome, facts = _snmp_part(job, options)
        outcomes.append(outcome)
        if facts is not None and ssh is not None and ssh.device is not None:
            notes = cross_check(facts, ssh.device)
    failed = [o for o in outcomes if not o.status.ok]
    messages = [o.message for o in failed if o.message] + (ssh.warnings if ssh else [])
    where = job.ssh.where if job.ssh is not None else job.snmp.where if job.snmp else None
    return DeviceCollection(
        name=spec.name,
        unit=job.unit,
        platform=spec.platform.value,
        status=failed[0].status if failed else CollectStatus.OK,
        message="; ".join(messages) or None,
        host=where,
        config=ssh.config if ssh else None,
        routes=ssh.routes if ssh else None,
        routes_text=ssh.routes_text if ssh else None,
        version_text=ssh.version_text if ssh else None,
        snmp=facts,
        notes=tuple(notes),
        transports=tuple(outcomes),
        device=ssh.device if ssh else None,
    )


# --------------------------------------------------------------------------- many devices


def _progress(total: int, quiet: bool) -> Progress:
    console = Console(stderr=True)
    return Progress(
        TextColumn("collecting"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("ok {task.fields[ok]}  failed {task.fields[failed]}"),
        TimeElapsedColumn(),
        console=console,
        disable=quiet or not sys.stderr.isatty(),
        transient=False,
    )


def collect_inventory(
    inv: Inventory,
    units: Iterable[Unit] | None = None,
    options: RunnerOptions | None = None,
    environ: Mapping[str, str] | None = None,
    on_result: Callable[[DeviceCollection], None] | None = None,
) -> list[DeviceCollection]:
    """Collect every device of ``units`` (default: all) with a bounded pool; inventory order."""
    opts = options or RunnerOptions()
    if opts.workers < 1:
        raise UsageError(f"--workers {opts.workers}: must be at least 1")
    jobs = plan(inv, units, opts, os.environ if environ is None else environ)
    results: list[DeviceCollection | None] = [None] * len(jobs)
    ok = failed = 0
    with _progress(len(jobs), opts.quiet) as progress:
        task = progress.add_task("collect", total=len(jobs), ok=0, failed=0)
        with ThreadPoolExecutor(max_workers=opts.workers, thread_name_prefix="collect") as pool:
            futures = {pool.submit(collect_device, job, opts): i for i, job in enumerate(jobs)}
            for future in as_completed(futures):
                result = future.result()
                results[futures[future]] = result
                if result.status.ok:
                    ok += 1
                else:
                    failed += 1
                progress.update(task, advance=1, ok=ok, failed=failed)
                if on_result is not None:
                    on_result(result)
    return [r for r in results if r is not None]


def write_collection(results: list[DeviceCollection], out: Path) -> None:
    """A folder an offline audit can point at: redacted configs, routing tables, statuses."""
    configs = out / "configs"
    state = out / "state"
    configs.mkdir(parents=True, exist_ok=True)
    state.mkdir(parents=True, exist_ok=True)
    for r in results:
        if r.config is not None:
            (configs / f"{r.name}.cfg").write_text(r.config, encoding="utf-8")
        if r.routes_text is not None:
            (state / f"{r.name}.routes").write_text(r.routes_text, encoding="utf-8")
    doc: dict[str, Json] = {
        "schema": COLLECTION_SCHEMA,
        "devices": [r.to_data() for r in results],
    }
    (out / "collection.json").write_text(
        json.dumps(doc, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
