"""A real office network in Linux network namespaces, for the probe tests and the benchmark.

Input: a unique name prefix. Output: namespaces wired as below, a reflector running in the
"internet" namespace, and the matching inventory folder. Every veth is created directly between
two namespaces (``ip -n A link add X type veth peer name Y netns B``): nothing is ever added to
the root namespace. ``up()`` runs ``down()`` first; ``down()`` kills what runs in the namespaces
and deletes them. "Internet" addresses are 198.51.100.0/24 and 203.0.113.0/24, inside the
namespaces only.

    office LAN 172.21.10.0/24 (bridge in ``sw``)
      probe   .250   the probe host (default route via core)
      core    .1     the sanctioned gateway: 198.51.100.0/26 → exa, .64/26 → exb, .128/26 → exc
      rogue   .66    forwards, its own uplink 203.0.113.14 (MASQUERADE, nftables)
      printer .77    forwards nothing
    exa  10.255.1.2 ─ 203.0.113.2   declared exit office-ct   (MASQUERADE, nftables)
    exb  10.255.2.2 ─ 203.0.113.6   declared exit office-cu   (MASQUERADE, iptables)
    exc  10.255.3.2 ─ 203.0.113.10  undeclared exit           (MASQUERADE, nftables)
    inet reflectors 198.51.100.7 (via exa), .70 (via exb), .135 (via exc)
"""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
PYTHON = sys.executable

LAN = "172.21.10.0/24"
PROBE_ADDR = "172.21.10.250"
CORE_ADDR = "172.21.10.1"
ROGUE_ADDR = "172.21.10.66"
PRINTER_ADDR = "172.21.10.77"
REFLECTORS = ("198.51.100.7", "198.51.100.70", "198.51.100.135")
EXITS = {  # namespace: (inside address, core side, WAN address, internet side, reflector net)
    "exa": ("10.255.1.2", "10.255.1.1", "203.0.113.2", "203.0.113.1", "198.51.100.0/26"),
    "exb": ("10.255.2.2", "10.255.2.1", "203.0.113.6", "203.0.113.5", "198.51.100.64/26"),
    "exc": ("10.255.3.2", "10.255.3.1", "203.0.113.10", "203.0.113.9", "198.51.100.128/26"),
}
ROGUE_WAN, ROGUE_UPSTREAM = "203.0.113.14", "203.0.113.13"
PORT = 33434
ROLES = ("sw", "probe", "core", "rogue", "printer", "exa", "exb", "exc", "inet")
TOOLS = ("ip", "nft", "iptables", "tcpdump")

NFT_MASQUERADE = """
table ip nat {
  chain post {
    type nat hook postrouting priority 100;
    oifname "wan" masquerade
  }
}
"""


def missing_tools() -> list[str]:
    return [t for t in TOOLS if shutil.which(t) is None]


def run(*cmd: str, stdin: str | None = None) -> str:
    proc = subprocess.run(
        list(cmd), input=stdin, capture_output=True, text=True, check=False, timeout=60
    )
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)}: exit {proc.returncode}: {proc.stderr.strip()}")
    return proc.stdout


class Lab:
    def __init__(self, prefix: str | None = None, extra_hosts: int = 0) -> None:
        # Short: namespace names become file names; unique per run so runs never collide.
        self.prefix = prefix or f"na{secrets.token_hex(3)}"
        self.extra_hosts = extra_hosts  # silent-but-present LAN hosts (benchmark)
        self.reflector: subprocess.Popen[str] | None = None
        self.reflector_log: list[str] = []

    def ns(self, role: str) -> str:
        return f"{self.prefix}-{role}"

    def sh(self, role: str, *cmd: str, stdin: str | None = None) -> str:
        return run("ip", "netns", "exec", self.ns(role), *cmd, stdin=stdin)

    def ip(self, role: str, *args: str) -> str:
        return run("ip", "-n", self.ns(role), *args)

    def sysctl(self, role: str, key: str, value: str) -> None:
        # /proc/sys/net as seen from inside the namespace (no procps needed).
        path = "/proc/sys/" + key.replace(".", "/")
        self.sh(role, "sh", "-c", f"echo {value} > {path}")

    # -- lifecycle ----------------------------------------------------------------------------
    def up(self) -> Lab:
        self.down()
        try:
            self._build()
        except BaseException:
            self.down()
            raise
        return self

    def down(self) -> None:
        if self.reflector is not None:
            self.reflector.terminate()
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.reflector.wait(5)
            if self.reflector.poll() is None:
                self.reflector.kill()
            self.reflector = None
        existing = subprocess.run(
            ["ip", "netns", "list"], capture_output=True, text=True, check=False
        ).stdout.split()
        for name in existing:
            if not name.startswith(self.prefix + "-"):
                continue
            pids = subprocess.run(
                ["ip", "netns", "pids", name], capture_output=True, text=True, check=False
            ).stdout.split()
            for pid in pids:
                with contextlib.suppress(ProcessLookupError, ValueError):
                    os.kill(int(pid), signal.SIGKILL)
            subprocess.run(["ip", "netns", "del", name], capture_output=True, check=False)

    def __enter__(self) -> Lab:
        return self.up()

    def __exit__(self, *exc: object) -> None:
        self.down()

    # -- building -----------------------------------------------------------------------------
    def _veth(self, a: str, a_if: str, b: str, b_if: str) -> None:
        run(
            "ip",
            "-n",
            self.ns(a),
            "link",
            "add",
            a_if,
            "type",
            "veth",
            "peer",
            "name",
            b_if,
            "netns",
            self.ns(b),
        )
        self.ip(a, "link", "set", a_if, "up")
        self.ip(b, "link", "set", b_if, "up")

    def _build(self) -> None:
        for role in ROLES:
            run("ip", "netns", "add", self.ns(role))
            self.ip(role, "link", "set", "lo", "up")
            self.sysctl(role, "net.ipv4.ip_forward", "0")
            # Routers answer every TTL-expired probe (the kernel rate-limits ICMP errors per
            # destination, which a test's burst of traces would hit).
            self.sysctl(role, "net.ipv4.icmp_ratelimit", "0")
        # The office LAN: a bridge in "sw", one veth per host.
        self.ip("sw", "link", "add", "br0", "type", "bridge")
        self.ip("sw", "link", "set", "br0", "up")
        for role, addr in (
            ("probe", PROBE_ADDR),
            ("core", CORE_ADDR),
            ("rogue", ROGUE_ADDR),
            ("printer", PRINTER_ADDR),
        ):
            self._veth(role, "eth0", "sw", f"lan-{role}")
            self.ip("sw", "link", "set", f"lan-{role}", "master", "br0")
            self.ip(role, "addr", "add", f"{addr}/24", "dev", "eth0")
        for i in range(self.extra_hosts):
            # Benchmark only: more answering-but-silent hosts on the LAN (macvlans of the
            # printer's veth would share its namespace; one namespace each is closer to life).
            role = f"h{i}"
            run("ip", "netns", "add", self.ns(role))
            self._veth(role, "eth0", "sw", f"lan-h{i}")
            self.ip("sw", "link", "set", f"lan-h{i}", "master", "br0")
            self.ip(role, "addr", "add", f"172.21.10.{100 + i}/24", "dev", "eth0")
        for role in ("probe", "printer"):
            self.ip(role, "route", "add", "default", "via", CORE_ADDR)
        # The sanctioned gateway and its three exits.
        self.sysctl("core", "net.ipv4.ip_forward", "1")
        for ex, (inside, core_side, wan, upstream, refl_net) in EXITS.items():
            self._veth("core", f"to-{ex}", ex, "to-core")
            self.ip("core", "addr", "add", f"{core_side}/30", "dev", f"to-{ex}")
            self.ip(ex, "addr", "add", f"{inside}/30", "dev", "to-core")
            self.ip("core", "route", "add", refl_net, "via", inside)
            self._veth(ex, "wan", "inet", f"to-{ex}")
            self.ip(ex, "addr", "add", f"{wan}/30", "dev", "wan")
            self.ip("inet", "addr", "add", f"{upstream}/30", "dev", f"to-{ex}")
            self.ip(ex, "route", "add", "default", "via", upstream)
            self.ip(ex, "route", "add", LAN, "via", core_side)
            self.sysctl(ex, "net.ipv4.ip_forward", "1")
            if ex == "exb":
                self.sh(
                    ex,
                    "iptables",
                    "-t",
                    "nat",
                    "-A",
                    "POSTROUTING",
                    "-o",
                    "wan",
                    "-j",
                    "MASQUERADE",
                )
            else:
                self.sh(ex, "nft", "-f", "-", stdin=NFT_MASQUERADE)
        self.ip("core", "route", "add", "default", "via", EXITS["exa"][0])
        # The rogue: forwards, with its own uplink and NAT.
        self._veth("rogue", "wan", "inet", "to-rogue")
        self.ip("rogue", "addr", "add", f"{ROGUE_WAN}/30", "dev", "wan")
        self.ip("inet", "addr", "add", f"{ROGUE_UPSTREAM}/30", "dev", "to-rogue")
        self.ip("rogue", "route", "add", "default", "via", ROGUE_UPSTREAM)
        self.sysctl("rogue", "net.ipv4.ip_forward", "1")
        self.sh("rogue", "nft", "-f", "-", stdin=NFT_MASQUERADE)
        # The internet: the reflectors' addresses, one wildcard reflector process.
        for addr in REFLECTORS:
            self.ip("inet", "addr", "add", f"{addr}/32", "dev", "lo")
        self.reflector = subprocess.Popen(
            [
                "ip",
                "netns",
                "exec",
                self.ns("inet"),
                PYTHON,
                "-m",
                "netaudit",
                "reflector",
                "--listen",
                f"0.0.0.0:{PORT}",
                "--log",
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            cwd=REPO,
        )
        assert self.reflector.stdout is not None
        line = self.reflector.stdout.readline()
        if "listening" not in line:
            raise RuntimeError(f"reflector did not start: {line}")
        # Drain its log so a full pipe never blocks it; tests read what it saw.
        threading.Thread(target=self._drain, args=(self.reflector.stdout,), daemon=True).start()

    def _drain(self, stream: object) -> None:
        for line in stream:  # type: ignore[attr-defined]
            self.reflector_log.append(line.rstrip("\n"))

    # -- running the probe ----------------------------------------------------------------------
    def python(
        self, role: str, *args: str, timeout: float = 180
    ) -> subprocess.CompletedProcess[str]:
        """Run this Python (the repo's venv) inside the namespace of ``role``."""
        return subprocess.run(
            ["ip", "netns", "exec", self.ns(role), PYTHON, *args],
            capture_output=True,
            text=True,
            check=False,
            timeout=timeout,
            cwd=REPO,
        )

    def netaudit(
        self, role: str, *args: str, timeout: float = 180
    ) -> subprocess.CompletedProcess[str]:
        return self.python(role, "-m", "netaudit", *args, timeout=timeout)

    def write_inventory(self, root: Path, *, targets: tuple[str, ...] = REFLECTORS) -> Path:
        """The inventory this topology matches: two declared exits, exc left undeclared."""
        (root / "units").mkdir(parents=True, exist_ok=True)
        (root / "city.yaml").write_text(
            "id: lab\nname: 实验市\n"
            "probe:\n"
            f"  reflectors: [{', '.join(REFLECTORS)}]\n"
            f"  targets: [{', '.join(targets)}]\n"
            f"  reflector_port: {PORT}\n"
            "  rate: 200\n",
            encoding="utf-8",
        )
        (root / "units" / "office.yaml").write_text(
            f"""id: office
name: 实验区
kind: district
networks:
  office: [{LAN}]
exits:
  - id: office-ct
    device: exit-a
    interface: GigabitEthernet1/0/1
    isp: 中国电信
    public_ips: [{EXITS["exa"][2]}]
  - id: office-cu
    device: exit-b
    interface: GigabitEthernet1/0/1
    isp: 中国联通
    public_ips: [{EXITS["exb"][2]}]
devices:
  - name: core
    platform: huawei
    role: router
    host: {CORE_ADDR}
  - name: exit-a
    platform: huawei
    role: firewall
    host: {EXITS["exa"][0]}
  - name: exit-b
    platform: huawei
    role: firewall
    host: {EXITS["exb"][0]}
probes:
  - id: office-probe-1
    network: office
    address: {PROBE_ADDR}
    interface: eth0
    gateway: {CORE_ADDR}
""",
            encoding="utf-8",
        )
        return root


def root_interfaces() -> list[str]:
    """The root namespace's interfaces that are up, except loopback (where a leak would show;
    an interface that is down carries nothing)."""
    out = run("ip", "-o", "link", "show", "up")
    names = [line.split(":")[1].strip().split("@")[0] for line in out.splitlines()]
    return [n for n in names if n != "lo"]


class Capture:
    """tcpdump on interfaces of one namespace (None: the root namespace), counting packets
    that match ``bpf``."""

    def __init__(
        self, interfaces: list[str], bpf: str, workdir: Path, netns: str | None = None
    ) -> None:
        self.procs: list[tuple[str, subprocess.Popen[str], Path]] = []
        prefix = ["ip", "netns", "exec", netns] if netns else []
        for name in interfaces:
            pcap = workdir / f"{netns or 'root'}-{name}.pcap"
            pcap.unlink(missing_ok=True)
            proc = subprocess.Popen(
                [*prefix, "tcpdump", "-i", name, "-n", "-U", "-w", str(pcap), bpf],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
                text=True,
            )
            self.procs.append((name, proc, pcap))
        deadline = time.monotonic() + 10
        for name, proc, pcap in self.procs:
            # tcpdump creates the file once it listens.
            while not pcap.exists():
                if proc.poll() is not None or time.monotonic() > deadline:
                    err = proc.stderr.read() if proc.stderr else ""
                    raise RuntimeError(f"tcpdump on {name} did not start: {err}")
                time.sleep(0.05)

    def __enter__(self) -> Capture:
        return self

    def __exit__(self, *exc: object) -> None:
        for _name, proc, _pcap in self.procs:
            if proc.poll() is None:
                proc.kill()
                proc.wait(5)

    def stop(self) -> dict[str, int]:
        """Stop and return the number of matching packets seen per interface."""
        counts: dict[str, int] = {}
        for name, proc, pcap in self.procs:
            proc.send_signal(signal.SIGINT)
            with contextlib.suppress(subprocess.TimeoutExpired):
                proc.wait(10)
            out = subprocess.run(
                ["tcpdump", "-n", "-r", str(pcap)], capture_output=True, text=True, check=False
            ).stdout
            counts[name] = len([line for line in out.splitlines() if line.strip()])
        return counts
