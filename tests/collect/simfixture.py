"""Run ``netaudit simulate`` as a real subprocess for tests (loopback only) and stop it after.

Each simulation gets its own base address (127.<n>.<pid>.0) so runs never collide, and the
credentials the test inventory's profiles name are set in the environment of both sides.
"""

from __future__ import annotations

import itertools
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

LIVE = Path(__file__).parent / "inventories" / "live"

ENV = {
    "NETAUDIT_TEST_USER": "auditor",
    "NETAUDIT_TEST_PASSWORD": "Pa55-word-for-tests",
    "NETAUDIT_TEST_ENABLE": "En4ble-secret",
    "NETAUDIT_TEST_COMMUNITY": "c0mmunity-ro",
    "NETAUDIT_TEST_SNMP_USER": "audit-v3",
    "NETAUDIT_TEST_SNMP_AUTH": "auth-key-2024",
    "NETAUDIT_TEST_SNMP_PRIV": "priv-key-2024",
}
SECRETS = [v for k, v in ENV.items() if k != "NETAUDIT_TEST_USER" and "SNMP_USER" not in k]

_counter = itertools.count(0)


def netaudit_env(extra: Mapping[str, str] | None = None) -> dict[str, str]:
    env = dict(os.environ)
    env.update(ENV)
    env.update(extra or {})
    return env


def next_base() -> str:
    return f"127.{120 + next(_counter) % 100}.{os.getpid() % 250}.0"


@dataclass(frozen=True, slots=True)
class Running:
    hosts: Path
    known_hosts: Path
    stdout: str  # what `simulate` printed before `ready`


@contextmanager
def simulate(
    tmp: Path,
    *args: str,
    inventory: Path = LIVE,
    faults: str | None = None,
    base: str | None = None,
    timeout: float = 60.0,
) -> Iterator[Running]:
    hosts = tmp / "hosts.json"
    known = tmp / "known_hosts"
    cmd = [
        sys.executable,
        "-m",
        "netaudit",
        "simulate",
        str(inventory),
        "--hosts-out",
        str(hosts),
        "--known-hosts-out",
        str(known),
        "--base-address",
        base or next_base(),
        "--ssh-port",
        "2222",
        "--snmp-port",
        "1161",
        *args,
    ]
    if faults is not None:
        fault_file = tmp / "faults.yaml"
        fault_file.write_text(faults, encoding="utf-8")
        cmd += ["--faults", str(fault_file)]
    proc = subprocess.Popen(
        cmd,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=netaudit_env(),
    )
    lines: list[str] = []
    deadline = time.monotonic() + timeout
    try:
        assert proc.stdout is not None
        while time.monotonic() < deadline:
            line = proc.stdout.readline()
            if not line:
                _, err = proc.communicate(timeout=5)
                raise AssertionError(f"simulate exited ({proc.returncode}): {err}")
            lines.append(line)
            if line.startswith("ready:"):
                break
        else:
            raise AssertionError("simulate did not become ready")
        yield Running(hosts, known, "".join(lines))
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def run_netaudit(
    *args: str, timeout: float = 300, env: Mapping[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "netaudit", *args],
        check=False,
        capture_output=True,
        text=True,
        timeout=timeout,
        env=netaudit_env() if env is None else dict(env),
    )
