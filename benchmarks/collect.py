"""Benchmark: live collection of N simulated devices, netaudit vs Nornir + nornir_netmiko.

Stage: benchmarks (timing goals live here, not in tests). Input: nothing but options; it builds
an inventory of N devices (the five platforms of tests/collect/inventories/live, round robin,
each with its own hostname), serves it with `netaudit simulate` in a separate process on
loopback, then collects every device twice in the same run:

- netaudit: ``collect_inventory`` with N workers (config, routing table and version per device,
  then redaction, parsing and routing-table parsing — more work than the baseline does);
- baseline: Nornir's threaded runner with the same number of workers and nornir_netmiko's
  ``netmiko_send_command`` with netmiko defaults for the same three commands (enable where the
  platform needs it), connections closed by Nornir.

Output: devices/s for both and their ratio, on stdout (and JSON with --json). Run:

    .venv/bin/python benchmarks/collect.py --devices 500 --workers 16
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from netaudit.collect.platforms import CLI  # noqa: E402
from netaudit.collect.result import load_hosts_override  # noqa: E402
from netaudit.collect.runner import RunnerOptions, collect_inventory  # noqa: E402
from netaudit.collect.ssh import KnownHosts, SshOptions  # noqa: E402
from netaudit.inventory import load_inventory  # noqa: E402
from netaudit.model import Platform  # noqa: E402

LIVE = ROOT / "tests" / "collect" / "inventories" / "live"
TEMPLATES = [
    ("north-fw1", Platform.HUAWEI),
    ("north-core", Platform.HP_COMWARE),
    ("north-dc", Platform.HUAWEI_VRPV8),
    ("north-r1", Platform.CISCO_IOS),
    ("north-sw1", Platform.RUIJIE_OS),
]
ENV = {
    "NETAUDIT_TEST_USER": "auditor",
    "NETAUDIT_TEST_PASSWORD": "Pa55-word-for-tests",
    "NETAUDIT_TEST_ENABLE": "En4ble-secret",
}
_NAME_LINE = re.compile(r"^(\s*)(sysname|hostname)\s+\S+", re.MULTILINE)


def build_inventory(root: Path, count: int) -> None:
    (root / "units").mkdir(parents=True)
    (root / "configs").mkdir()
    shutil.copy(LIVE / "city.yaml", root / "city.yaml")
    lines = ["id: bench", "name: 基准区", "kind: district", "devices:"]
    for i in range(count):
        template, platform = TEMPLATES[i % len(TEMPLATES)]
        name = f"d{i:04d}-{platform.value.replace('_', '-')}"
        text = (LIVE / "configs" / f"{template}.cfg").read_text(encoding="utf-8")
        text = _NAME_LINE.sub(rf"\g<1>\g<2> {name}", text, count=1)
        (root / "configs" / f"{name}.cfg").write_text(text, encoding="utf-8")
        profile = "rgos" if platform is Platform.RUIJIE_OS else "default"
        lines.append(
            f"  - {{name: {name}, platform: {platform.value}, "
            f"host: 10.250.{i // 250}.{i % 250 + 1}, transports: [ssh], "
            f"credentials: {profile}, config: configs/{name}.cfg}}"
        )
    (root / "units" / "bench.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")


def start_simulator(inv: Path, tmp: Path) -> tuple[subprocess.Popen[str], Path, Path]:
    hosts, known = tmp / "hosts.json", tmp / "known_hosts"
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "netaudit",
            "simulate",
            str(inv),
            "--quiet",
            "--hosts-out",
            str(hosts),
            "--known-hosts-out",
            str(known),
            "--base-address",
            "127.90.0.0",
            "--ssh-port",
            "2222",
        ],
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, **ENV},
        cwd=ROOT,
    )
    assert proc.stdout is not None
    line = proc.stdout.readline()
    if not line.startswith("ready"):
        proc.kill()
        raise SystemExit(f"simulator did not start: {line!r}")
    return proc, hosts, known


def run_netaudit(inv_dir: Path, hosts: Path, known: Path, workers: int) -> dict[str, Any]:
    inv = load_inventory(inv_dir)
    options = RunnerOptions(
        workers=workers,
        ssh=SshOptions(known_hosts=KnownHosts(known), timeout=30, retries=0),
        hosts=load_hosts_override(hosts),
        quiet=True,
    )
    start, cpu = time.perf_counter(), time.process_time()
    results = collect_inventory(inv, None, options, environ=ENV)
    seconds = time.perf_counter() - start
    print(f"netaudit CPU {time.process_time() - cpu:.1f} s in {seconds:.1f} s", file=sys.stderr)
    ok = sum(1 for r in results if r.status.ok)
    return {"devices": len(results), "ok": ok, "seconds": seconds, "per_s": len(results) / seconds}


def run_nornir(inv_dir: Path, hosts_file: Path, workers: int, tmp: Path) -> dict[str, Any]:
    from nornir import InitNornir  # noqa: PLC0415 (baseline only)
    from nornir.core.task import Result, Task  # noqa: PLC0415
    from nornir_netmiko.tasks import netmiko_send_command  # noqa: PLC0415

    inv = load_inventory(inv_dir)
    hosts = load_hosts_override(hosts_file)
    lines = []
    for _, spec in inv.device_specs():
        h = hosts[spec.name]
        lines += [
            f"{spec.name}:",
            f"  hostname: {h.host}",
            f"  port: {h.ssh_port}",
            f"  platform: {spec.platform.value}",
            f"  username: {ENV['NETAUDIT_TEST_USER']}",
            f"  password: {ENV['NETAUDIT_TEST_PASSWORD']}",
            "  connection_options:",
            "    netmiko:",
            "      extras:",
            f"        secret: {ENV['NETAUDIT_TEST_ENABLE'] if spec.platform is Platform.RUIJIE_OS else ENV['NETAUDIT_TEST_PASSWORD']}",  # noqa: E501
        ]
    (tmp / "nr_hosts.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    nr = InitNornir(
        runner={"plugin": "threaded", "options": {"num_workers": workers}},
        inventory={
            "plugin": "SimpleInventory",
            "options": {"host_file": str(tmp / "nr_hosts.yaml")},
        },
        logging={"enabled": False},
    )

    def task(t: Task) -> Result:
        cli = CLI[Platform(t.host.platform)]
        enable = t.host.platform == "cisco_ios"
        for command in (cli.config_command, cli.route_command, cli.version_command):
            t.run(task=netmiko_send_command, command_string=command, enable=enable)
        return Result(host=t.host)

    start = time.perf_counter()
    result = nr.run(task=task)
    nr.close_connections()
    seconds = time.perf_counter() - start
    ok = sum(1 for r in result.values() if not r.failed)
    return {"devices": len(result), "ok": ok, "seconds": seconds, "per_s": len(result) / seconds}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--devices", type=int, default=500)
    parser.add_argument("--workers", type=int, default=16)
    parser.add_argument("--skip-baseline", action="store_true")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="netaudit-bench-") as d:
        tmp = Path(d)
        inv_dir = tmp / "inventory"
        build_inventory(inv_dir, args.devices)
        proc, hosts, known = start_simulator(inv_dir, tmp)
        try:
            ours = run_netaudit(inv_dir, hosts, known, args.workers)
            base = None if args.skip_baseline else run_nornir(inv_dir, hosts, args.workers, tmp)
        finally:
            proc.send_signal(signal.SIGINT)
            proc.wait(timeout=30)
    report = {
        "devices": args.devices,
        "workers": args.workers,
        "cpus": os.cpu_count(),
        "netaudit": ours,
        "nornir_netmiko": base,
        "ratio": None if base is None else ours["per_s"] / base["per_s"],
    }
    if args.json:
        print(json.dumps(report, indent=2))
        return
    print(f"{args.devices} simulated devices, {args.workers} workers, {os.cpu_count()} CPUs")
    print(
        f"netaudit collect      {ours['per_s']:6.1f} devices/s  "
        f"({ours['seconds']:.1f} s, {ours['ok']} ok)"
    )
    if base is not None:
        print(
            f"nornir + netmiko      {base['per_s']:6.1f} devices/s  "
            f"({base['seconds']:.1f} s, {base['ok']} ok)"
        )
        print(f"ratio                 {report['ratio']:6.2f}x")


if __name__ == "__main__":
    main()
