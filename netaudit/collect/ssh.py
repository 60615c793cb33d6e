"""SSH collection of one device: running config, routing table and version, over netmiko.

Stage: live collection. Input: an ``SshTarget`` (platform, address, port), ``SshCredentials``
and ``SshOptions`` (timeouts, retries, the known-hosts store). Output: ``SshResult`` — either an
``SshOutput`` (the raw config without echo, prompt or preamble, unredacted: the caller redacts it
before keeping it anywhere; the raw routing-table and version outputs) or the ``CollectError``
that stopped it (its ``status`` a ``CollectStatus``, its message naming the device and never a
secret), with the number of attempts.

This is the only module that imports netmiko (and paramiko under it); their exceptions are
translated here. What is tuned against netmiko 4.8 defaults (NOTES-integration.md):

- host keys are checked by our own paramiko policy during the handshake, before the password is
  sent: known → must match; unknown → refused, or recorded when trust-on-first-use is asked;
- commands are written and read on the channel directly with the full prompt anchored at the end
  of the buffer (`<NAME>` / `NAME#` + ``\\s*$``): complete output, no polling sleeps, a closed
  channel noticed at once (not after a read timeout), a More marker noticed on the first page;
- logout is the platform's logout command and a socket close, skipping netmiko's cleanup (which
  sleeps ~2.2 s on huawei and ruijie_os);
- empty output is an error, never an empty config.
"""

from __future__ import annotations

import contextlib
import errno
import re
import socket
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import paramiko
from netmiko import BaseConnection, ConnectHandler, log
from netmiko.exceptions import (
    NetmikoAuthenticationException,
    NetmikoTimeoutException,
    ReadException,
)

from netaudit.collect.credentials import SshCredentials
from netaudit.collect.platforms import CLI, MORE_REGEX, CliFacts
from netaudit.collect.result import CollectStatus
from netaudit.errors import CollectError
from netaudit.model import Platform

RETRYABLE = frozenset(
    {
        CollectStatus.TIMEOUT,
        CollectStatus.DISCONNECTED,
        CollectStatus.REFUSED,
        CollectStatus.UNREACHABLE,
    }
)


@dataclass(frozen=True, slots=True)
class SshTarget:
    name: str
    platform: Platform
    host: str
    port: int = 22

    @property
    def where(self) -> str:
        return f"{self.host}:{self.port}"


@dataclass(frozen=True, slots=True)
class SshOutput:
    config: str  # raw: the caller redacts it before keeping it anywhere
    routes_text: str | None
    version_text: str | None


# --------------------------------------------------------------------------- host keys


class KnownHosts:
    """A known-hosts file shared by all workers; appends under a lock (trust on first use)."""

    def __init__(self, path: Path | None, trust_on_first_use: bool = False) -> None:
        self.path = path
        self.tofu = trust_on_first_use
        self._keys = paramiko.HostKeys()
        self._lock = threading.Lock()
        if path is not None and path.is_file():
            try:
                self._keys.load(str(path))
            except (OSError, paramiko.SSHException) as exc:
                raise CollectError(
                    f"--known-hosts {path}: cannot read ({exc})", CollectStatus.HOST_KEY_UNKNOWN
                ) from None

    @staticmethod
    def entry(host: str, port: int) -> str:
        return host if port == 22 else f"[{host}]:{port}"

    def check(self, name: str, key: paramiko.PKey) -> None:
        """Accept ``key`` for ``name`` or raise (paramiko calls this before authentication)."""
        with self._lock:
            known = self._keys.lookup(name)
            if known is not None and key.get_name() in known:
                if known[key.get_name()] == key:
                    return
                raise paramiko.BadHostKeyException(name, key, known[key.get_name()])
            if known is not None and len(known) > 0:
                # A key of another type is known: a changed host, not a new one.
                expected = next(iter(known.values()))
                raise paramiko.BadHostKeyException(name, key, expected)
            if not self.tofu:
                raise UnknownHostKey(name)
            self._keys.add(name, key.get_name(), key)
            if self.path is not None:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                with self.path.open("a", encoding="utf-8") as fh:
                    fh.write(f"{name} {key.get_name()} {key.get_base64()}\n")


class UnknownHostKey(paramiko.SSHException):
    def __init__(self, name: str) -> None:
        super().__init__(f"host key of {name} is not in the known-hosts file")
        self.name = name


class _Policy(paramiko.MissingHostKeyPolicy):
    """Every host is "missing" for paramiko (we load no keys into it); ``KnownHosts`` decides."""

    def __init__(self, store: KnownHosts) -> None:
        self.store = store

    def missing_host_key(
        self, client: paramiko.SSHClient, hostname: str, key: paramiko.PKey
    ) -> None:
        self.store.check(hostname, key)


@dataclass(frozen=True, slots=True)
class SshOptions:
    known_hosts: KnownHosts = field(default_factory=lambda: KnownHosts(None))
    connect_timeout: float = 10.0  # TCP connect, SSH banner, authentication
    timeout: float = 30.0  # per command, until the prompt comes back
    retries: int = 1  # extra attempts after a timeout / disconnect / refused / unreachable
    retry_delay: float = 0.5
    routes: bool = True
    version: bool = True


# --------------------------------------------------------------------------- errors


def _causes(exc: BaseException) -> list[BaseException]:
    """The exception and what it wraps (netmiko re-raises without ``from``; paramiko collects
    one socket error per address in ``NoValidConnectionsError.errors``)."""
    out: list[BaseException] = []
    todo: list[BaseException] = [exc]
    while todo:
        cur = todo.pop(0)
        if cur in out:
            continue
        out.append(cur)
        if isinstance(cur, paramiko.ssh_exception.NoValidConnectionsError):
            todo.extend(cur.errors.values())
        nxt = cur.__cause__ or cur.__context__
        if nxt is not None:
            todo.append(nxt)
    return out


def translate(exc: BaseException, target: SshTarget, profile: str) -> CollectError:
    """netmiko / paramiko / socket exceptions → ``CollectError`` with a status (no secrets)."""
    where = f"{target.name} ({target.where})"
    for cause in _causes(exc):
        if isinstance(cause, paramiko.BadHostKeyException):
            return CollectError(
                f"{where}: SSH host key differs from the known-hosts entry "
                f"(got {cause.key.get_name()} {cause.key.fingerprint}); refusing to log in",
                CollectStatus.HOST_KEY_MISMATCH,
            )
        if isinstance(cause, UnknownHostKey):
            return CollectError(
                f"{where}: SSH host key is not in the known-hosts file; add it or pass "
                "--trust-on-first-use",
                CollectStatus.HOST_KEY_UNKNOWN,
            )
        if isinstance(cause, ConnectionRefusedError) or (
            isinstance(cause, OSError) and cause.errno == errno.ECONNREFUSED
        ):
            return CollectError(f"{where}: connection refused", CollectStatus.REFUSED)
        if isinstance(cause, OSError) and cause.errno in (errno.EHOSTUNREACH, errno.ENETUNREACH):
            return CollectError(f"{where}: {cause.strerror}", CollectStatus.UNREACHABLE)
        if isinstance(cause, TimeoutError | socket.timeout):
            return CollectError(f"{where}: no answer (connection timed out)", CollectStatus.TIMEOUT)
        if isinstance(cause, NetmikoAuthenticationException | paramiko.AuthenticationException):
            return CollectError(
                f"{where}: login refused (credential profile {profile!r})",
                CollectStatus.AUTH_FAILED,
            )
        if isinstance(cause, ReadException):
            return CollectError(
                f"{where}: no prompt within the timeout (device slow or not a "
                f"{target.platform.value} CLI)",
                CollectStatus.TIMEOUT,
            )
        if isinstance(cause, ValueError) and "enable mode" in str(cause):
            return CollectError(
                f"{where}: `enable` refused (credential profile {profile!r}: check `secret`)",
                CollectStatus.AUTH_FAILED,
            )
        if isinstance(cause, EOFError | ConnectionResetError | BrokenPipeError):
            return CollectError(
                f"{where}: the device closed the session", CollectStatus.DISCONNECTED
            )
    text = str(exc).strip().splitlines()
    first = text[0] if text else type(exc).__name__
    if "banner" in first.lower():
        return CollectError(f"{where}: no SSH banner within the timeout", CollectStatus.TIMEOUT)
    if isinstance(exc, NetmikoTimeoutException):
        return CollectError(f"{where}: {first}", CollectStatus.TIMEOUT)
    if isinstance(exc, OSError):
        return CollectError(f"{where}: {exc.strerror or first}", CollectStatus.DISCONNECTED)
    return CollectError(f"{where}: SSH session failed: {first}", CollectStatus.DISCONNECTED)


# --------------------------------------------------------------------------- session


def _connect(target: SshTarget, creds: SshCredentials, options: SshOptions) -> BaseConnection:
    facts = CLI[target.platform]
    conn = ConnectHandler(
        device_type=facts.device_type,
        host=target.host,
        port=target.port,
        username=creds.username,
        password=creds.password,
        secret=creds.enable_secret,
        conn_timeout=options.connect_timeout,
        auth_timeout=options.connect_timeout,
        banner_timeout=options.connect_timeout,
        read_timeout_override=options.timeout,
        allow_agent=False,
        use_keys=False,
        system_host_keys=False,
        alt_host_keys=False,
        ssh_config_file=None,
        auto_connect=False,
    )
    conn.key_policy = _Policy(options.known_hosts)
    try:
        # netmiko's _open() without its disconnect-on-failure (slow cleanup, see the docstring).
        conn._modify_connection_params()
        conn.establish_connection()
        conn.write_channel(conn.RETURN)
        time.sleep(0.1)
        conn.session_preparation()
        if facts.needs_enable and target.platform is Platform.CISCO_IOS:
            conn.enable()  # RGOS enters enable inside session_preparation
    except BaseException:
        _close(conn, None)
        raise
    return conn


def _close(conn: BaseConnection, facts: CliFacts | None) -> None:
    """Fast logout: the logout command, then close the socket (no netmiko cleanup)."""
    try:
        if facts is not None and conn.remote_conn is not None:
            conn.write_channel(facts.logout_command + conn.RETURN)
    except (OSError, EOFError, paramiko.SSHException):
        pass
    with contextlib.suppress(OSError, EOFError, paramiko.SSHException):
        conn.paramiko_cleanup()
    log.removeFilter(conn._secrets_filter)


def run_command(
    conn: BaseConnection, command: str, prompt: re.Pattern[str], timeout: float, where: str
) -> str:
    """Send one command and read to the anchored prompt; the answer without echo and prompt.

    The prompt counts only after the command's echo: whatever arrived before the echo (a late
    answer to the session preparation's paging-off command, under load) is discarded instead of
    being mistaken for this command's answer.
    """
    chan = conn.remote_conn
    assert isinstance(chan, paramiko.Channel)
    conn.write_channel(command + conn.RETURN)
    echo = command.encode()
    buf = bytearray()
    start = -1  # offset in ``buf`` just past the echo, once seen
    deadline = time.monotonic() + timeout
    while True:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise CollectError(
                f"{where}: `{command}` did not finish within {timeout:g}s "
                f"({len(buf)} bytes received)",
                CollectStatus.TIMEOUT,
            )
        chan.settimeout(min(remaining, 1.0))
        try:
            data = chan.recv(65536)
        except TimeoutError:
            continue
        if not data:
            raise CollectError(
                f"{where}: the device closed the session during `{command}` after {len(buf)} bytes",
                CollectStatus.DISCONNECTED,
            )
        buf += data
        if start < 0:
            at = buf.find(echo)
            if at < 0:
                continue
            start = at + len(echo)
        tail = buf[max(start, len(buf) - 4096) :].decode("utf-8", errors="ignore")
        tail = tail.replace("\r", "")
        if prompt.search(tail):
            break
        if MORE_REGEX.search(_strip_ansi(tail)):
            raise CollectError(
                f"{where}: the device is still paging `{command}` (a More prompt) although "
                "paging was turned off",
                CollectStatus.BAD_OUTPUT,
            )
    text = conn.normalize_linefeeds(buf[start:].decode("utf-8", errors="replace"))
    text = conn.strip_ansi_escape_codes(text)
    lines = text.split("\n")
    if lines:
        lines = lines[1:]  # the rest of the echo line
    if lines and prompt.search("\n" + lines[-1]):
        lines = lines[:-1]  # the prompt
    return "\n".join(lines)


_ANSI = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]")


def _strip_ansi(text: str) -> str:
    return _ANSI.sub("", text)


def clean_config(text: str, facts: CliFacts) -> str:
    """Drop the IOS/RGOS preamble and the blank lines around the config; keep every other byte."""
    lines = text.split("\n")
    while lines and not lines[0].strip():
        lines.pop(0)
    for pattern in facts.config_preamble:
        if lines and pattern.match(lines[0].strip()):
            lines.pop(0)
            while lines and not lines[0].strip():
                lines.pop(0)
    while lines and not lines[-1].strip():
        lines.pop()
    return "\n".join(line.rstrip("\r") for line in lines) + ("\n" if lines else "")


def _collect_once(target: SshTarget, creds: SshCredentials, options: SshOptions) -> SshOutput:
    facts = CLI[target.platform]
    where = f"{target.name} ({target.where})"
    try:
        conn = _connect(target, creds, options)
    except CollectError:
        raise
    except Exception as exc:  # the translation boundary: netmiko/paramiko/socket errors
        raise translate(exc, target, creds.profile) from None
    try:
        base = conn.base_prompt
        prompt = facts.prompt_regex(base, enabled=facts.needs_enable)
        try:
            raw = run_command(conn, facts.config_command, prompt, options.timeout, where)
            config = clean_config(raw, facts)
            if not config.strip():
                raise CollectError(
                    f"{where}: empty answer to `{facts.config_command}`", CollectStatus.BAD_OUTPUT
                )
            if facts.error_marker in config[:400]:
                raise CollectError(
                    f"{where}: the device rejected `{facts.config_command}` "
                    f"({facts.error_marker}); is the platform {target.platform.value} right?",
                    CollectStatus.BAD_OUTPUT,
                )
            routes = (
                run_command(conn, facts.route_command, prompt, options.timeout, where)
                if options.routes
                else None
            )
            version = (
                run_command(conn, facts.version_command, prompt, options.timeout, where)
                if options.version
                else None
            )
        except CollectError:
            raise
        except Exception as exc:
            raise translate(exc, target, creds.profile) from None
    finally:
        _close(conn, facts)
    return SshOutput(config, routes, version)


@dataclass(frozen=True, slots=True)
class SshResult:
    """The outcome of collecting one device: its output, or the error that stopped it."""

    output: SshOutput | None
    error: CollectError | None
    attempts: int


def collect_ssh(target: SshTarget, creds: SshCredentials, options: SshOptions) -> SshResult:
    """Collect one device, retrying transient failures ``options.retries`` times."""
    attempt = 0
    while True:
        attempt += 1
        try:
            out = _collect_once(target, creds, options)
        except CollectError as exc:
            if exc.status in RETRYABLE and attempt <= options.retries:
                time.sleep(options.retry_delay * attempt)
                continue
            return SshResult(None, exc, attempt)
        return SshResult(out, None, attempt)
