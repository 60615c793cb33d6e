"""``netaudit collect INVENTORY [--unit ID]... [--out DIR]``: live collection only (SSH, SNMP).

Thin: load the inventory, build ``RunnerOptions`` from the options, run ``collect_inventory``
(``netaudit/collect/runner.py``), write the redacted snapshot folder, print one line per device
that failed (stderr) and a summary (stdout). Exit 0 when every device was collected, 3 when some
were not (SPEC §7: incomplete), 2 for usage/input errors (a missing credential variable names the
profile and the variable).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from netaudit.cli.exitcodes import ExitCode
from netaudit.errors import UsageError
from netaudit.inventory import load_inventory

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
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the statuses as JSON.")] = False,
) -> None:
    """Collect running configs, routing tables and SNMP facts from live devices."""
    # Imported here: netmiko and pysnmp take ~1 s to import, which every other command would pay.
    from netaudit.collect.result import load_hosts_override  # noqa: PLC0415
    from netaudit.collect.runner import (  # noqa: PLC0415
        RunnerOptions,
        collect_inventory,
        write_collection,
    )
    from netaudit.collect.ssh import KnownHosts, SshOptions  # noqa: PLC0415

    if retries < 0:
        raise UsageError(f"--retries {retries}: must be 0 or more")
    if timeout <= 0 or connect_timeout <= 0 or snmp_timeout <= 0:
        raise UsageError("--timeout, --connect-timeout and --snmp-timeout must be positive")
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
    options = RunnerOptions(
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
        quiet=quiet,
    )
    results = collect_inventory(inv, selected, options)
    write_collection(results, out)
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
        )
    raise typer.Exit(ExitCode.INCOMPLETE if failed else ExitCode.OK)
