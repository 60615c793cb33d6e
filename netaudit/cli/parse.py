"""``netaudit parse FILE --platform P [--json]``: one config to the device model.

Prints a readable summary (interfaces, routes, NAT, management, coverage) or the model as JSON.
``--platform auto`` detects the platform from the text.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from netaudit.errors import ConfigError, UsageError
from netaudit.model import Device, Flag
from netaudit.model.serialize import to_data
from netaudit.vendors.base import parse_bytes
from netaudit.vendors.detect import detect_platform
from netaudit.vendors.textio import decode


def parse(
    file: Annotated[Path, typer.Argument(help="A saved device configuration.")],
    platform: Annotated[
        str,
        typer.Option(
            "--platform",
            "-p",
            help="huawei | huawei_vrpv8 | hp_comware | cisco_ios | ruijie_os | auto",
        ),
    ] = "auto",
    as_json: Annotated[bool, typer.Option("--json", help="Print the model as JSON.")] = False,
) -> None:
    """Parse one configuration file into the device model."""
    try:
        data = file.read_bytes()
    except FileNotFoundError:
        raise UsageError(f"{file}: no such file") from None
    except IsADirectoryError:
        raise UsageError(f"{file}: is a folder, expected a configuration file") from None
    except OSError as exc:
        raise ConfigError(f"{file}: cannot read ({exc.strerror})") from None
    if platform == "auto":
        text, _ = decode(data, str(file))
        platform = detect_platform(text).value
    device = parse_bytes(data, platform, str(file))
    if as_json:
        typer.echo(json.dumps(to_data(device), ensure_ascii=False, indent=2))
        return
    _summary(device)


def _flag(f: Flag) -> str:
    if f.value is None:
        return "unknown" + (f" ({f.note})" if f.note else "")
    text = "on" if f.value else "off"
    return text if f.explicit else f"{text} (default{': ' + f.note if f.note else ''})"


def _summary(dev: Device) -> None:
    out = Console(highlight=False)
    out.print(
        f"[bold]{dev.hostname or dev.name}[/bold]  platform {dev.platform.value}  "
        f"version {dev.os_version or 'unknown'}  file {dev.file}"
    )
    t = Table("interface", "addresses", "vrf", "state", "zone", "acl in/out", "nat", title=None)
    for itf in dev.interfaces.values():
        addrs = ", ".join(str(a.address) + (" sec" if a.secondary else "") for a in itf.addresses)
        nat_flags = " ".join(
            n
            for n, on in (
                ("inside", itf.nat_inside),
                ("outside", itf.nat_outside),
                ("dialer", itf.dialer),
            )
            if on
        )
        acls = f"{itf.acl_in or '-'}/{itf.acl_out or '-'}"
        state = "shutdown" if itf.shutdown else "up"
        t.add_row(itf.name, addrs, itf.vrf, state, itf.zone or "", acls, nat_flags)
    out.print(t)
    if dev.static_routes:
        r = Table("vrf", "prefix", "next hop", "interface", "pref", "line")
        for rt in dev.static_routes:
            nh = "Null" if rt.null else str(rt.next_hop or "")
            pref = "" if rt.preference is None else str(rt.preference)
            r.add_row(rt.vrf, str(rt.prefix), nh, rt.interface or "", pref, str(rt.source.line))
        out.print(r)
    nat = dev.nat
    if nat.source_rules or nat.static_rules:
        out.print(f"NAT: {len(nat.source_rules)} source rule(s), {len(nat.static_rules)} static")
        for s in nat.static_rules:
            out.print(
                f"  static {s.protocol or 'ip'} {s.global_ip}:{s.global_port or '*'} -> "
                f"{s.inside_ip}:{s.inside_port or '*'} (line {s.source.line})"
            )
    m = dev.mgmt
    out.print(
        f"management: telnet {_flag(m.telnet_server)}; ssh {_flag(m.ssh_server)}; "
        f"http {_flag(m.http_server)}; https {_flag(m.https_server)}; ftp {_flag(m.ftp_server)}"
    )
    out.print(
        f"  lines {len(m.lines)}, users {len(m.users)}, snmp communities "
        f"{len(m.snmp.communities)}, v3 users {len(m.snmp.users)}, syslog "
        f"{len(m.syslog_hosts)}, ntp {len(m.ntp_servers)}"
    )
    c = dev.coverage
    out.print(
        f"coverage: {c.total} lines: {c.recognized} recognized, {c.unsupported} unsupported, "
        f"{c.unrecognized} unrecognized" + (" (file truncated)" if c.truncated else "")
    )
    for section, src in c.unrecognized_lines[:20]:
        out.print(f"  unrecognized [{section.value}] line {src.line}: {src.text}", markup=False)
    if len(c.unrecognized_lines) > 20:
        out.print(f"  ... and {len(c.unrecognized_lines) - 20} more")
    for note in c.notes:
        out.print(f"note: {note}", markup=False)
