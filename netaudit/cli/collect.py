"""``netaudit collect INVENTORY [--unit ID]... [--out DIR] [--db URL]``: live collection only.

Thin: load the inventory, build ``RunnerOptions`` from the options (``live_options``, shared
with ``audit --live``), refuse a ``--hosts-override`` that misses a device to collect (that
device would be reached at its real address), run ``collect_inventory``
(``netaudit/collect/runner.py``), write the redacted snapshot folder, record the collection in
the store when ``--db`` (or ``$NETAUDIT_DB``) names one — a run of mode ``collect`` with every
device's status and redacted config snapshot and no results
(``netaudit.pipeline.live.collection_run``) — print one line per device that failed (stderr) and
a summary (stdout). Exit 0 when every device was collected, 3 when some were not (SPEC §7:
incomplete), 2 for usage/input errors (a missing credential variable names the profile and the
variable).
"""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from netaudit.cli.exitcodes import ExitCode
from netaudit.errors import UsageError
from netaudit.inventory import load_inventory

if TYPE_CHECKING:
    from netaudit.collect.runner import RunnerOptions
    from netaudit.inventory import Inventory
    from netaudit.store import Store

DEFAULT_KNOWN_HOSTS = Path("~/.ssh/known_hosts")
DEFAULT_WORKERS = 16  # collect.runner.DEFAULT_WORKERS (not imported at start-up: see below)


def collect(  # noqa: PLR0917 (typer: one parameter per option)
    inventory: Annotated[Path, typer.Argument(help="Inventory folder (city.yaml, units/).")],
    unit: Annotated[
        list[str] | None, typer.Option("--unit", help="Collect only this unit (repeatable).")
    ] = None,
    out: Annotated[
        Path, typer.Option("--out", help="Write redacted configs, routing tables, statuses here.")
    ] = Path("collected"),
    hosts_override: Annotated[
        Path | None,
        typer.Option("--hosts-override", help="JSON map device → host/ports (netaudit simulate)."),
    ] = None,
    known_hosts: Annotated[
        Path, typer.Option("--known-hosts", help="SSH known-hosts file checked before login.")
    ] = DEFAULT_KNOWN_HOSTS,
    trust_on_first_use: Annotated[
        bool,
        typer.Option(
            "--trust-on-first-use", help="Accept and record host keys not yet in --known-hosts."
        ),
    ] = False,
    workers: Annotated[int, typer.Option("--workers", help="Devices collected at once.")] = (
        DEFAULT_WORKERS
    ),
    timeout: Annotated[
        float, typer.Option("--timeout", help="Seconds per command until the prompt returns.")
    ] = 30.0,
    connect_timeout: Annotated[
        float, typer.Option("--connect-timeout", help="Seconds for TCP, SSH banner and login.")
    ] = 10.0,
    retries: Annotated[
        int, typer.Option("--retries", help="Extra attempts after a timeout or a dropped session.")
    ] = 1,
    snmp_timeout: Annotated[
        float, typer.Option("--snmp-timeout", help="Seconds per SNMP request.")
    ] = (2.0),
    db: Annotated[
        str | None,
        typer.Option(
            "--db",
            help="Also record the collection in this store (SQLAlchemy URL; default "
            "$NETAUDIT_DB when set, else not recorded): a run of mode `collect` with each "
            "device's status and redacted config, no rule results.",
        ),
    ] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the statuses as JSON.")] = False,
) -> None:
    """Collect running configs, routing tables and SNMP facts from live devices."""
    # Imported here: netmiko and pysnmp take ~1 s to import, which every other command would pay.
    from netaudit.collect.runner import collect_inventory, write_collection  # noqa: PLC0415

    options = live_options(
        workers=workers,
        hosts_override=hosts_override,
        known_hosts=known_hosts,
        trust_on_first_use=trust_on_first_use,
        timeout=timeout,
        connect_timeout=connect_timeout,
        retries=retries,
        snmp_timeout=snmp_timeout,
        quiet=quiet,
    )
    inv = load_inventory(inventory)
    selected = None
    if unit:
        known = {u.id for u in inv.units}
        missing = [u for u in unit if u not in known]
        if missing:
            raise UsageError(
                f"--unit {missing[0]}: no such unit (units: {', '.join(sorted(known))})"
            )
        selected = [u for u in inv.units if u.id in unit]
    require_override_coverage(inv, unit, options, hosts_override)
    db = db or os.environ.get("NETAUDIT_DB") or None
    store = _open_store(db) if db is not None else None  # a bad URL fails before collecting
    try:
        started = datetime.now(UTC)
        results = collect_inventory(inv, selected, options)
        write_collection(results, out)
        run_id = None
        if store is not None:
            from netaudit.pipeline.live import collection_run  # noqa: PLC0415

            run = collection_run(
                inv, unit, results, started_at=started, finished_at=datetime.now(UTC)
            )
            store.save_run(run)
            run_id = run.id
    finally:
        if store is not None:
            store.close()
    failed = [r for r in results if not r.status.ok]
    if as_json:
        typer.echo(json.dumps([r.to_data() for r in results], ensure_ascii=False, indent=2))
    else:
        for r in failed:
            typer.echo(f"{r.name}: {r.status.value}: {r.message}", err=True)
        for r in results:
            for note in r.notes:
                typer.echo(f"{r.name}: note: {note.message}", err=True)
        typer.echo(
            f"{len(results)} devices: {len(results) - len(failed)} collected, "
            f"{len(failed)} not collected; written to {out}"
            + (f"; recorded as run {run_id} (mode collect)" if run_id else "")
        )
    raise typer.Exit(ExitCode.INCOMPLETE if failed else ExitCode.OK)


def _open_store(url: str) -> Store:
    from netaudit.store import open_store  # noqa: PLC0415 (SQLAlchemy: only when storing)

    return open_store(url)


def require_override_coverage(
    inv: Inventory, unit_ids: list[str] | None, options: RunnerOptions, hosts_override: Path | None
) -> None:
    """With ``--hosts-override``, every device to collect must have an entry: a device without
    one would be reached at its inventory address — the real network — which a run against
    simulated devices (a CI job, a drill) must never do. Refused before any connection."""
    if hosts_override is None:
        return
    missing = [
        spec.name
        for u, spec in inv.device_specs()
        if (not unit_ids or u.id in unit_ids) and spec.transports and spec.name not in options.hosts
    ]
    if missing:
        shown = ", ".join(missing[:5]) + (", ..." if len(missing) > 5 else "")
        raise UsageError(
            f"--hosts-override {hosts_override}: no entry for {len(missing)} device(s) to "
            f"collect ({shown}); refusing to reach them at their inventory addresses. Serve "
            "them too (netaudit simulate) or select the served units with --unit."
        )


def live_options(
    *,
    workers: int,
    hosts_override: Path | None,
    known_hosts: Path,
    trust_on_first_use: bool,
    timeout: float,
    connect_timeout: float,
    retries: int,
    snmp_timeout: float,
    quiet: bool,
) -> RunnerOptions:
    """The runner's options from the CLI options ``collect`` and ``audit --live`` share,
    checked (a bad value is a ``UsageError`` naming the option)."""
    from netaudit.collect.result import load_hosts_override  # noqa: PLC0415 (slow imports)
    from netaudit.collect.runner import RunnerOptions  # noqa: PLC0415
    from netaudit.collect.ssh import KnownHosts, SshOptions  # noqa: PLC0415

    if retries < 0:
        raise UsageError(f"--retries {retries}: must be 0 or more")
    if timeout <= 0 or connect_timeout <= 0 or snmp_timeout <= 0:
        raise UsageError("--timeout, --connect-timeout and --snmp-timeout must be positive")
    return RunnerOptions(
        workers=workers,
        ssh=SshOptions(
            known_hosts=KnownHosts(known_hosts.expanduser(), trust_on_first_use),
            connect_timeout=connect_timeout,
            timeout=timeout,
            retries=retries,
        ),
        snmp_timeout=snmp_timeout,
        snmp_retries=retries,
        hosts=load_hosts_override(hosts_override) if hosts_override is not None else {},
        hosts_only=hosts_override is not None,
        quiet=quiet,
    )
