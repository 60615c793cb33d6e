"""``netaudit simulate INVENTORY [--unit ID]...``: serve an inventory as SSH/SNMP devices.

Thin: load the inventory, read the faults file, start a ``Simulation`` (``netaudit/simulate``),
write the hosts-override and known-hosts files, print one line per device and `ready`, then serve
until interrupted (SIGINT/SIGTERM). Exit 2 for usage/input errors (a missing credential variable,
an address in use), 0 after a clean stop.
"""

from __future__ import annotations

import asyncio
import logging
import os
import signal
from ipaddress import IPv4Address
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from netaudit.errors import UsageError
from netaudit.inventory import load_inventory

if TYPE_CHECKING:
    from netaudit.simulate.simulation import Simulation

# Defaults of netaudit.simulate.simulation (not imported at start-up: asyncssh is slow to import).
DEFAULT_BASE = IPv4Address("127.100.0.0")
DEFAULT_SSH_PORT = 2222
DEFAULT_SNMP_PORT = 1161


def simulate(  # noqa: PLR0917 (typer: one parameter per option)
    inventory: Annotated[Path, typer.Argument(help="Inventory folder (city.yaml, units/).")],
    unit: Annotated[
        list[str] | None, typer.Option("--unit", help="Serve only this unit (repeatable).")
    ] = None,
    hosts_out: Annotated[
        Path,
        typer.Option("--hosts-out", help="Write the device → address map here (--hosts-override)."),
    ] = Path("simulated-hosts.json"),
    known_hosts_out: Annotated[
        Path | None,
        typer.Option("--known-hosts-out", help="Write the host keys here (for --known-hosts)."),
    ] = None,
    faults: Annotated[
        Path | None, typer.Option("--faults", help="YAML/JSON file of faults per device.")
    ] = None,
    base_address: Annotated[
        str, typer.Option("--base-address", help="Devices get the loopback addresses after this.")
    ] = str(DEFAULT_BASE),
    ssh_port: Annotated[int, typer.Option("--ssh-port", help="SSH port on every address.")] = (
        DEFAULT_SSH_PORT
    ),
    snmp_port: Annotated[int, typer.Option("--snmp-port", help="SNMP (UDP) port.")] = (
        DEFAULT_SNMP_PORT
    ),
    host_key: Annotated[
        Path | None, typer.Option("--host-key", help="SSH host private key (default: generated).")
    ] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print only `ready`.")] = False,
) -> None:
    """Serve every device of an inventory over SSH (and SNMP) on loopback addresses."""
    from netaudit.simulate.faults import load_faults  # noqa: PLC0415 (slow imports, see above)
    from netaudit.simulate.simulation import Simulation  # noqa: PLC0415

    try:
        base = IPv4Address(base_address)
    except ValueError:
        raise UsageError(f"--base-address {base_address}: not an IPv4 address") from None
    if not base.is_loopback:
        raise UsageError(f"--base-address {base}: must be inside 127.0.0.0/8 (loopback only)")
    inv = load_inventory(inventory)
    names = {spec.name for _, spec in inv.device_specs()}
    sim = Simulation(
        inventory=inv,
        units=unit or [],
        environ=dict(os.environ),
        faults=load_faults(faults, names) if faults is not None else {},
        base=base,
        ssh_port=ssh_port,
        snmp_port=snmp_port,
        host_key=host_key,
    )
    sim.plan()
    asyncio.run(_serve(sim, hosts_out, known_hosts_out, quiet))


def _quiet_disconnects() -> None:
    # Clients log out by closing the socket (netaudit's fast logout does): asyncio then warns
    # "socket.send() raised exception." for the device's last prompt. That is not a problem.
    logging.getLogger("asyncio").setLevel(logging.ERROR)


async def _serve(
    sim: Simulation, hosts_out: Path, known_hosts_out: Path | None, quiet: bool
) -> None:
    _quiet_disconnects()
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    await sim.start()
    try:
        sim.write_files(hosts_out, known_hosts_out)
        if not quiet:
            for s in sim.served:
                snmp = f" snmp {s.address}:{s.snmp_port}" if s.snmp_port else ""
                typer.echo(
                    f"{s.spec.name:<24} {s.spec.platform.value:<13} "
                    f"ssh {s.address}:{s.ssh_port}{snmp}"
                )
            typer.echo(f"hosts: {hosts_out}")
            if known_hosts_out is not None:
                typer.echo(f"known hosts: {known_hosts_out}")
        typer.echo(f"ready: {len(sim.served)} devices", nl=True)
        await stop.wait()
    finally:
        await sim.stop()
