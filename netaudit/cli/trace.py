"""``netaudit trace INVENTORY --src IP --dst IP``: config-based path tracing of one flow.

Stage: CLI (analysis). Input: the inventory (configs, saved routing tables) and the flow.
Output: every path (ECMP: all of them) hop by hop with the route and the rule that decided each
hop, and the disposition (Batfish's vocabulary); ``--json`` prints the same as data. The flow
starts where ``--src`` lives, or at ``--start DEVICE[:INTERFACE]`` (enter that interface, or
originate at the device; the interface may be abbreviated, `Gi3/0`). An ambiguous ``--src``
(a subnet shared by several devices, or an address several devices own) is a usage error that
lists one ready-to-paste ``--start`` per candidate. docs/tracing.md describes the rules.
"""

from __future__ import annotations

import json
import re
from ipaddress import AddressValueError, IPv4Address
from pathlib import Path
from typing import Annotated

import typer

from netaudit.errors import UsageError
from netaudit.inventory import load_inventory
from netaudit.model import Device
from netaudit.network.flow import Flow, Protocol
from netaudit.network.trace import AmbiguousStartError, StartLocation
from netaudit.pipeline.devices import parse_inventory
from netaudit.pipeline.run import DeviceStatus
from netaudit.policy.analysis import analyse

_IFNAME = re.compile(r"^([A-Za-z][A-Za-z\-_ ]*?)\s*(\d[\d/:.]*)$")


def _ip(value: str, option: str) -> IPv4Address:
    try:
        return IPv4Address(value)
    except (AddressValueError, ValueError):
        raise UsageError(f"{option} {value!r}: not an IPv4 address") from None


def _port(value: int | None, option: str) -> int | None:
    if value is not None and not 0 <= value <= 65535:
        raise UsageError(f"{option} {value}: a port is 0-65535")
    return value


def _interface(device: Device, given: str, option: str) -> str:
    """The device's interface named ``given``: exactly, ignoring case, or as an abbreviation
    of the type with the same number (`Gi3/0` → `GigabitEthernet3/0`) when only one fits."""
    if given in device.interfaces:
        return given
    names = sorted(device.interfaces)
    found = [n for n in names if n.lower() == given.lower()]
    if not found:
        m = _IFNAME.match(given)
        if m is not None:
            kind, number = m.group(1).lower(), m.group(2)
            for name in names:
                n = _IFNAME.match(name)
                if n and n.group(2) == number and n.group(1).lower().startswith(kind):
                    found.append(name)
    if len(found) == 1:
        return found[0]
    raise UsageError(
        f"--start {option}: {device.name} has no interface {given!r}; "
        f"its interfaces: {', '.join(names) or 'none'}"
    )


def _ambiguous(exc: AmbiguousStartError) -> str:
    """The ambiguity, with one ready-to-paste ``--start`` per candidate."""
    lines = [
        f"--src {exc.src} is ambiguous: {len(exc.candidates)} places could send it "
        "(its subnet is shared, or several devices own it); pick one with --start:"
    ]
    for c in exc.candidates:
        what = f"enter {c.device} at {c.interface}" if c.interface else f"{c.device} sends it"
        lines.append(f"  --start {c}    ({what})")
    return "\n".join(lines)


def trace(  # noqa: PLR0917 (typer: one parameter per option)
    inventory: Annotated[Path, typer.Argument(help="Inventory folder (city.yaml, units/).")],
    src: Annotated[str, typer.Option("--src", help="Source IPv4 address.")],
    dst: Annotated[str, typer.Option("--dst", help="Destination IPv4 address.")],
    proto: Annotated[str, typer.Option("--proto", help="ip | tcp | udp | icmp")] = "ip",
    sport: Annotated[int | None, typer.Option("--sport", help="Source port.")] = None,
    dport: Annotated[int | None, typer.Option("--dport", help="Destination port.")] = None,
    start: Annotated[
        str | None,
        typer.Option(
            "--start",
            help="DEVICE[:INTERFACE]: enter that interface, or originate "
            "at the device (default: where --src lives).",
        ),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the paths as JSON.")] = False,
) -> None:
    """Trace a flow through the inventory's configs."""
    try:
        protocol = Protocol(proto.lower())
    except ValueError:
        choices = ", ".join(p.value for p in Protocol)
        raise UsageError(f"--proto {proto!r}: expected one of {choices}") from None
    flow = Flow(
        _ip(src, "--src"),
        _ip(dst, "--dst"),
        protocol,
        _port(sport, "--sport"),
        _port(dport, "--dport"),
    )
    inv = load_inventory(inventory)
    parsed = parse_inventory(inv)
    unknown = [n for n, r in parsed.records.items() if r.status is not DeviceStatus.OK]
    analysis = analyse(inv, parsed.models, unknown)
    location = None
    if start is not None:
        device, _, interface = start.partition(":")
        if device not in parsed.records:
            raise UsageError(f"--start {start}: no device {device!r} in {inventory}")
        model = parsed.models.get(device)
        if interface and model is not None:
            interface = _interface(model, interface, start)
        location = StartLocation(device, interface or None)
    try:
        result = analysis.tracer.trace(flow, location)
    except AmbiguousStartError as exc:
        raise UsageError(_ambiguous(exc)) from None
    if as_json:
        typer.echo(json.dumps(result.to_data(), ensure_ascii=False, indent=2))
    else:
        for name in unknown:
            rec = parsed.records[name]
            typer.echo(
                f"note: {name} not parsed ({rec.status.value}): paths through it end unknown",
                err=True,
            )
        typer.echo(result.to_text())
