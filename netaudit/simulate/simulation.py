"""Serve an inventory as simulated network devices: one asyncio process, one loopback address each.

Stage: simulation (CI and drills stand-in for the live network). Input: an ``Inventory`` (and an
optional unit selection), the process environment (the same credential profiles the collector
uses), faults per device, ports and a base loopback address. Output: a running ``Simulation``:
per device an SSH server (asyncssh, ``simulate/device.py``) and, when the device lists the snmp
transport, an SNMP agent (``simulate/snmp_agent.py``) on its own 127.x.y.z address, numbered from
the base in inventory order (so a device keeps its address whatever ``--unit`` selects); the
hosts-override file (device → address and ports) and a known-hosts file for the generated host key.

Each device's answers come from its config: the served text is the file itself; the routing table
(unless the inventory gives a saved one) and the SNMP MIB come from the parsed model.
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from ipaddress import IPv4Address
from pathlib import Path

import asyncssh

from netaudit.collect.credentials import snmp_credentials, ssh_credentials
from netaudit.collect.platforms import CLI
from netaudit.collect.result import HostOverride, write_hosts_override
from netaudit.errors import ConfigError, UsageError
from netaudit.inventory import DeviceSpec, Inventory
from netaudit.inventory.models import Transport
from netaudit.model import Device
from netaudit.simulate.device import SimDevice, SimServer, handle_process
from netaudit.simulate.faults import NO_FAULTS, DeviceFaults
from netaudit.simulate.mib import build_mib
from netaudit.simulate.render import device_rib, render_routes, render_version, sys_descr
from netaudit.simulate.snmp_agent import AgentConfig, Mib, UsmUser, engine_id_for, serve_agent
from netaudit.vendors.base import parse_bytes
from netaudit.vendors.textio import decode

DEFAULT_BASE = IPv4Address("127.100.0.0")
DEFAULT_SSH_PORT = 2222
DEFAULT_SNMP_PORT = 1161


@dataclass(slots=True)
class Served:
    """One device as served: its CLI, its MIB and where it listens."""

    spec: DeviceSpec
    unit: str
    device: SimDevice
    address: IPv4Address
    mib: Mib | None  # None: the device has no snmp transport
    ssh_port: int = 0
    snmp_port: int | None = None


def addresses(base: IPv4Address, count: int) -> list[IPv4Address]:
    """``count`` loopback addresses after ``base``, skipping .0 and .255 last octets."""
    out: list[IPv4Address] = []
    n = int(base)
    while len(out) < count:
        n += 1
        if n & 0xFF in (0, 255):
            continue
        addr = IPv4Address(n)
        if not addr.is_loopback:
            raise UsageError(f"--base-address {base}: {count} devices do not fit in 127.0.0.0/8")
        out.append(addr)
    return out


def _parse(spec: DeviceSpec, data: bytes, display: str, warn: Callable[[str], None]) -> Device:
    try:
        return parse_bytes(data, spec.platform, display, spec.name)
    except (ConfigError, ImportError, AttributeError) as exc:
        # Served anyway (the collector must see what a broken device says), with no routes.
        warn(f"{spec.name}: {exc}; serving the config with an empty routing table")
        return Device(name=spec.name, platform=spec.platform, file=display)


def build_device(
    inv: Inventory,
    spec: DeviceSpec,
    environ: Mapping[str, str],
    faults: DeviceFaults,
    warn: Callable[[str], None],
) -> tuple[SimDevice, Mib | None]:
    """Everything one simulated device answers, computed once before serving."""
    if spec.config is None:
        raise UsageError(f"device {spec.name}: no `config` file to serve")
    display = spec.config.as_posix()
    try:
        data = inv.path(spec.config).read_bytes()
    except OSError as exc:
        raise UsageError(f"{display}: cannot read ({exc.strerror})") from None
    text, _ = decode(data, display)
    model = _parse(spec, data, display, warn)
    rib = device_rib(model) if model.interfaces or model.static_routes else []
    if spec.routing_table is not None:
        routes_text = inv.path(spec.routing_table).read_text(encoding="utf-8", errors="replace")
    else:
        routes_text = render_routes(spec.platform, rib)
    ssh = ssh_credentials(inv.city, spec.credentials, environ) if spec.credentials else None
    snmp = None
    mib = None
    if Transport.SNMP in spec.transports and spec.snmp is not None:
        snmp = snmp_credentials(inv.city, spec.snmp, environ)
        mib = build_mib(model, rib, sys_descr(model))
    sim = SimDevice(
        name=spec.name,
        platform=spec.platform,
        cli=CLI[spec.platform],
        prompt_name=model.hostname or spec.name,
        config_text=text.replace("\r\n", "\n"),
        version_text=render_version(model),
        routes_text=routes_text,
        ssh=ssh,
        snmp=snmp,
        banner=model.mgmt.banner,
        faults=faults,
    )
    return sim, mib


@dataclass(slots=True)
class Simulation:
    inventory: Inventory
    units: Sequence[str] = ()
    environ: Mapping[str, str] = field(default_factory=dict)
    faults: Mapping[str, DeviceFaults] = field(default_factory=dict)
    base: IPv4Address = DEFAULT_BASE
    ssh_port: int = DEFAULT_SSH_PORT
    snmp_port: int = DEFAULT_SNMP_PORT
    host_key: Path | None = None
    warn: Callable[[str], None] = lambda msg: print(f"warning: {msg}", file=sys.stderr)
    served: list[Served] = field(default_factory=list)
    _servers: list[asyncio.AbstractServer | asyncssh.SSHAcceptor] = field(default_factory=list)
    _transports: list[asyncio.DatagramTransport] = field(default_factory=list)
    _key: asyncssh.SSHKey | None = None

    def plan(self) -> list[Served]:
        """Compute every device's answers and address (no socket opened yet)."""
        inv = self.inventory
        known = {u.id for u in inv.units}
        for uid in self.units:
            if uid not in known:
                raise UsageError(f"--unit {uid}: no such unit (units: {', '.join(sorted(known))})")
        pairs = inv.device_specs()
        addrs = addresses(self.base, len(pairs))
        names = {spec.name for _, spec in pairs}
        for name in self.faults:
            if name not in names:
                raise UsageError(f"faults: device {name!r} is not in the inventory")
        out = []
        for (unit, spec), addr in zip(pairs, addrs, strict=True):
            if self.units and unit.id not in self.units:
                continue
            sim, mib = build_device(
                inv, spec, self.environ, self.faults.get(spec.name, NO_FAULTS), self.warn
            )
            out.append(Served(spec, unit.id, sim, addr, mib))
        self.served = out
        return out

    def _load_key(self) -> asyncssh.SSHKey:
        if self.host_key is not None:
            try:
                return asyncssh.read_private_key(str(self.host_key))
            except (OSError, asyncssh.KeyImportError) as exc:
                raise UsageError(f"--host-key {self.host_key}: {exc}") from None
        return asyncssh.generate_private_key("ssh-ed25519")

    async def start(self) -> None:
        if not self.served:
            self.plan()
        self._key = key = self._load_key()
        for s in self.served:
            dev = s.device

            def factory(dev: SimDevice = dev) -> SimServer:
                return SimServer(dev)

            async def on_process(
                process: asyncssh.SSHServerProcess[bytes], dev: SimDevice = dev
            ) -> None:
                await handle_process(dev, process)

            try:
                acceptor = await asyncssh.create_server(
                    factory,
                    str(s.address),
                    self.ssh_port,
                    server_host_keys=[key],
                    process_factory=on_process,
                    line_editor=False,
                    encoding=None,
                    allow_scp=False,
                    agent_forwarding=False,
                    x11_forwarding=False,
                    login_timeout=30,
                    reuse_address=True,
                )
            except OSError as exc:
                await self.stop()
                raise UsageError(
                    f"cannot listen on {s.address}:{self.ssh_port} for {s.spec.name}: "
                    f"{exc.strerror or exc}"
                ) from None
            self._servers.append(acceptor)
            s.ssh_port = (
                acceptor.sockets[0].getsockname()[1] if self.ssh_port == 0 else self.ssh_port
            )
            if s.mib is not None and dev.snmp is not None:
                cfg = _agent_config(dev, s.mib)
                transport = await serve_agent(cfg, str(s.address), self.snmp_port)
                self._transports.append(transport)
                s.snmp_port = transport.get_extra_info("sockname")[1]

    async def stop(self) -> None:
        for server in self._servers:
            server.close()
        for server in self._servers:
            await server.wait_closed()
        for transport in self._transports:
            transport.close()
        self._servers.clear()
        self._transports.clear()

    def hosts(self) -> dict[str, HostOverride]:
        return {s.spec.name: HostOverride(s.address, s.ssh_port, s.snmp_port) for s in self.served}

    def known_hosts(self) -> str:
        """OpenSSH known_hosts lines for every served address (`[addr]:port keytype key`)."""
        assert self._key is not None, "start() first"
        public = self._key.export_public_key("openssh").decode().split()
        return "".join(f"[{s.address}]:{s.ssh_port} {public[0]} {public[1]}\n" for s in self.served)

    def write_files(self, hosts_file: Path, known_hosts_file: Path | None) -> None:
        write_hosts_override(hosts_file, self.hosts())
        if known_hosts_file is not None:
            known_hosts_file.write_text(self.known_hosts(), encoding="utf-8")


def _agent_config(dev: SimDevice, mib: Mib) -> AgentConfig:
    creds = dev.snmp
    assert creds is not None
    engine_id = engine_id_for(dev.name)
    cfg = AgentConfig(mib=mib, engine_id=engine_id, silent=dev.faults.snmp_silent)
    if creds.version == "v2c" and creds.community is not None:
        cfg.community = creds.community.encode("utf-8")
    elif creds.user and creds.auth_key and creds.priv_key:
        user = UsmUser.create(
            creds.user, creds.auth_key, creds.priv_key, engine_id, auth=creds.auth_protocol
        )
        cfg.users[user.name] = user
    return cfg
