"""One simulated device: what it serves, and its CLI session over SSH.

Stage: simulation. Input: a ``SimDevice`` (config text, version and routing-table outputs, the
credentials it accepts, its faults) and an asyncssh server process (one SSH session). Output: the
session a real device gives: login banner, prompt without a newline, echo of every typed
character (asyncssh's line editor is off), a bare ``\\n`` or ``\\r`` as Enter, ``\\r\\n`` line
endings, paging with the platform's More marker until its paging-off command, `enable` + secret
on IOS/RGOS, the platform's caret and error marker for unknown commands, and the logout command.
``ssh host COMMAND`` (an exec request, as OpenSSH sends it) runs one command without paging.

The vendor words come from ``collect.platforms.CLI`` so the collector and the simulator agree.
"""

from __future__ import annotations

import asyncio
import hmac
import random
from dataclasses import dataclass, field

import asyncssh

from netaudit.collect.credentials import SnmpCredentials, SshCredentials
from netaudit.collect.platforms import CliFacts
from netaudit.model import Platform
from netaudit.simulate.faults import NO_FAULTS, DeviceFaults

PAGE_LINES = 24
ENTER = (0x0A, 0x0D)
BACKSPACE = (0x08, 0x7F)
CTRL_C = 0x03

_VRP_NOTICE = (
    "Info: The max number of VTY users is 10, and the number\r\n"
    "      of current VTY users on line is 1.\r\n"
    "      The current login time is 2024-03-01 09:00:00+08:00.\r\n"
)
_BANNERS = {
    Platform.HUAWEI: _VRP_NOTICE,
    Platform.HUAWEI_VRPV8: _VRP_NOTICE,
    Platform.HP_COMWARE: (
        "*" * 78 + "\r\n"
        "* Copyright (c) 2004-2020 New H3C Technologies Co., Ltd. All rights reserved.*\r\n"
        "* Without the owner's prior written consent,                                 *\r\n"
        "* no decompiling or reverse-engineering shall be allowed.                    *\r\n"
        + "*" * 78
        + "\r\n"
    ),
    Platform.CISCO_IOS: "",
    Platform.RUIJIE_OS: "",
}
_VRP_PAGING_INFO = (
    "Info: The configuration takes effect on the current user terminal interface only."
)
_PAGING_INFO = {Platform.HUAWEI: _VRP_PAGING_INFO, Platform.HUAWEI_VRPV8: _VRP_PAGING_INFO}


@dataclass(slots=True)
class SimDevice:
    name: str
    platform: Platform
    cli: CliFacts
    prompt_name: str  # the configured sysname / hostname
    config_text: str  # served as is (\n line ends; sent as \r\n)
    version_text: str
    routes_text: str
    ssh: SshCredentials | None  # None: any login is accepted
    snmp: SnmpCredentials | None
    banner: str | None = None  # from the config (`header login` / `banner motd`)
    faults: DeviceFaults = NO_FAULTS
    sessions: int = field(default=0)

    def check_login(self, username: str, password: str) -> bool:
        if self.faults.wrong_password:
            return False
        if self.ssh is None:
            return True
        return hmac.compare_digest(username.encode(), self.ssh.username.encode()) and (
            hmac.compare_digest(password.encode(), self.ssh.password.encode())
        )

    def check_secret(self, secret: str) -> bool:
        if self.ssh is None:
            return True
        return hmac.compare_digest(secret.encode(), self.ssh.enable_secret.encode())


class SimServer(asyncssh.SSHServer):
    """Password authentication against the device's credentials profile."""

    def __init__(self, device: SimDevice) -> None:
        self.device = device

    def begin_auth(self, username: str) -> bool:
        return True

    def password_auth_supported(self) -> bool:
        return True

    def validate_password(self, username: str, password: str) -> bool:
        return self.device.check_login(username, password)


def _crlf(text: str) -> bytes:
    return text.replace("\r\n", "\n").replace("\n", "\r\n").encode("utf-8")


class Session:
    """One CLI session on one simulated device."""

    def __init__(self, device: SimDevice, process: asyncssh.SSHServerProcess[bytes]) -> None:
        self.dev = device
        self.cli = device.cli
        self.process = process
        self.enabled = False
        self.paging = True
        self.pending = bytearray()
        self.last_cr = False
        self.closed = False
        self.echo = bytearray()

    # ----------------------------------------------------------------- io

    @property
    def prompt(self) -> str:
        return self.cli.prompt(self.dev.prompt_name, self.enabled)

    def write(self, data: bytes | str) -> None:
        if self.closed or self.process.channel.is_closing():
            return  # the client is gone (a fast logout closes without waiting)
        self.process.stdout.write(data.encode("utf-8") if isinstance(data, str) else data)

    async def read_byte(self) -> int | None:
        while not self.pending:
            self.flush_echo()  # echo what was typed before waiting for more
            try:
                chunk = await self.process.stdin.read(4096)
            except (asyncssh.TerminalSizeChanged, asyncssh.BreakReceived):
                continue  # a window resize or a break is no input
            if not chunk:
                return None
            self.pending.extend(chunk)
        return self.pending.pop(0)

    def flush_echo(self) -> None:
        # Echo is batched: one SSH packet per burst of typed characters, not one per character.
        if self.echo:
            self.write(bytes(self.echo))
            self.echo.clear()

    async def read_line(self, echo: bool) -> str | None:
        """One line up to Enter (a bare \\n or \\r; \\r\\n counts once), echoing if asked."""
        buf = bytearray()
        while True:
            b = await self.read_byte()
            if b is None:
                return None
            if b == 0x0A and self.last_cr:
                self.last_cr = False
                continue
            self.last_cr = b == 0x0D
            if b in ENTER:
                self.echo.extend(b"\r\n")
                self.flush_echo()
                return buf.decode("utf-8", errors="replace")
            if b in BACKSPACE:
                if buf:
                    buf.pop()
                    if echo:
                        self.echo.extend(b"\x08 \x08")
                continue
            if b == CTRL_C:
                buf.clear()
                self.echo.extend(b"^C\r\n")
                self.flush_echo()
                return ""
            buf.append(b)
            if echo:
                self.echo.append(b)

    # ----------------------------------------------------------------- session

    async def run_shell(self) -> None:
        self.dev.sessions += 1
        banner = self.dev.banner
        self.write(b"\r\n")
        if banner:
            self.write(_crlf(banner.rstrip("\n") + "\n"))
        self.write(_crlf(_BANNERS[self.dev.platform]))
        self.write(b"\r\n" + self.prompt.encode())
        while not self.closed:
            line = await self.read_line(echo=True)
            if line is None:
                break
            await self.command(line)
            if not self.closed:
                self.write(self.prompt.encode())
        self.process.exit(0)

    async def run_exec(self, command: str) -> None:
        """`ssh host COMMAND`: one command, no paging, privileged (exec runs at the user level)."""
        self.paging = False
        self.enabled = True
        await self.command(command)
        self.process.exit(0)

    async def command(self, line: str) -> None:
        words = line.split()
        if not words:
            return
        if self.dev.faults.slow:
            await asyncio.sleep(self.dev.faults.slow)
        cli = self.cli
        if _matches(words, cli.logout_command) or _matches(words, "logout"):
            self.closed = True
            return
        for cmd in cli.paging_off:
            if _matches(words, cmd) or (
                cmd.startswith("terminal width") and _matches(words[:2], "terminal width")
            ):
                if "length" in cmd or "screen" in cmd:
                    self.paging = self.dev.faults.endless_paging
                info = _PAGING_INFO.get(self.dev.platform)
                if info and "screen" in cmd:
                    self.write(info + "\r\n")
                return
        if cli.needs_enable and _matches(words, "enable"):
            await self.enable()
            return
        if cli.needs_enable and _matches(words, "disable"):
            self.enabled = False
            return
        if _matches(words, cli.config_command):
            if cli.needs_enable and not self.enabled:
                self.error(line, _first_word_offset(line, 1))
                return
            await self.send_config()
            return
        if _matches(words, cli.version_command):
            await self.output(self.dev.version_text)
            return
        if _matches(words, cli.route_command):
            await self.output(self.dev.routes_text)
            return
        self.error(line, _unknown_offset(line, cli))

    async def enable(self) -> None:
        if self.enabled:
            return
        self.write(b"Password: ")
        secret = await self.read_line(echo=False)
        if secret is not None and self.dev.check_secret(secret):
            self.enabled = True
        else:
            self.write(b"% Access denied\r\n\r\n")

    def error(self, line: str, offset: int) -> None:
        caret = " " * (len(self.prompt) + offset) + "^"
        self.write(f"{caret}\r\n{self.cli.error_marker}\r\n")

    async def send_config(self) -> None:
        faults = self.dev.faults
        if faults.garbage_output:
            rng = random.Random(self.dev.name)
            junk = bytes(rng.choice(range(1, 256)) for _ in range(4096))
            # A device answering rubbish still ends with its prompt.
            self.write(junk.replace(b"\n", b"\r\n") + b"\r\n")
            return
        text = self.dev.config_text
        if self.cli.config_preamble:
            size = len(text.encode("utf-8"))
            text = f"Building configuration...\n\nCurrent configuration : {size} bytes\n{text}"
        if faults.disconnect_mid_output:
            data = _crlf(text)
            self.write(data[: len(data) // 2])
            await asyncio.sleep(0.05)
            self.closed = True
            self.process.channel.get_connection().abort()
            return
        await self.output(text, endless=faults.endless_paging)

    async def output(self, text: str, endless: bool = False) -> None:
        lines = text.replace("\r\n", "\n").rstrip("\n").split("\n")
        if not self.paging:
            self.write(_crlf("\n".join(lines) + "\n"))
            return
        more = self.cli.more_marker.encode()
        erase = b"\x1b[" + str(len(more)).encode() + b"D" + b" " * len(more)
        erase += b"\x1b[" + str(len(more)).encode() + b"D"
        i = 0
        budget = PAGE_LINES
        while True:
            if i >= len(lines):
                if not endless:
                    return
                i = 0  # a device that never stops paging
            chunk = lines[i : i + budget]
            i += len(chunk)
            self.write(_crlf("\n".join(chunk) + "\n"))
            if i >= len(lines) and not endless:
                return
            self.write(more)
            key = await self.read_byte()
            self.write(erase)
            if key is None or key in (ord("q"), ord("Q"), CTRL_C):
                self.write(b"\r\n")
                return
            budget = 1 if key in ENTER else PAGE_LINES


def _matches(words: list[str], command: str) -> bool:
    """Typed words select ``command`` when each is a prefix of its keyword (`dis cur`)."""
    keys = command.split()
    if len(words) != len(keys):
        return False
    return all(k.lower().startswith(w.lower()) for w, k in zip(words, keys, strict=True))


def _first_word_offset(line: str, index: int) -> int:
    pos = 0
    for i, word in enumerate(line.split()):
        pos = line.index(word, pos)
        if i == index:
            return pos
        pos += len(word)
    return len(line)


def _unknown_offset(line: str, cli: CliFacts) -> int:
    """Where the caret goes: under the first word no known command starts with."""
    commands = [
        cli.config_command,
        cli.version_command,
        cli.route_command,
        cli.logout_command,
        *cli.paging_off,
        "enable",
        "disable",
    ]
    words = line.split()
    for i in range(len(words)):
        prefix = words[: i + 1]
        if not any(
            len(c.split()) > i and _matches(prefix, " ".join(c.split()[: i + 1])) for c in commands
        ):
            return _first_word_offset(line, i)
    return _first_word_offset(line, len(words) - 1)


async def handle_process(device: SimDevice, process: asyncssh.SSHServerProcess[bytes]) -> None:
    session = Session(device, process)
    try:
        if process.command:
            await session.run_exec(process.command)
        else:
            await session.run_shell()
    except (asyncssh.Error, OSError, BrokenPipeError, ConnectionError):
        pass  # the client went away; nothing to clean up
