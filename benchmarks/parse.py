"""Parse throughput per platform on a generated corpus, and ciscoconfparse2 on the same IOS configs.

Stage: benchmark of the parse stage (decode + clean + redact + full model extraction, i.e.
``netaudit.vendors.base.parse_bytes``). Input: nothing — a deterministic corpus of realistic
configs is generated per platform (interfaces with descriptions and addresses, VLANs, ACLs,
static routes, NAT, users, SNMP, syslog, NTP, vty lines). Output: a table on stdout and, with
``--write``, the section "Parsing" of ``BENCHMARKS.md`` (machine, Python, date, medians).

For ``cisco_ios`` the same configs are also given to ``ciscoconfparse2.CiscoConfParse`` (its tree
parse only, nothing extracted) and the ratio of its time to ours is reported; the goal is that
our full extraction is at least 3x faster than that parse alone.

    .venv/bin/python benchmarks/parse.py [--configs 100] [--runs 5] [--write]
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib
import os
import platform as pyplatform
import random
import statistics
import sys
import time
from collections.abc import Callable
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from ciscoconfparse2 import CiscoConfParse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from netaudit import _native  # noqa: E402
from netaudit.model import Platform  # noqa: E402
from netaudit.vendors.base import PARSERS, parse_bytes  # noqa: E402

# --------------------------------------------------------------------------- corpus


def _ios(rng: random.Random, n: int, ruijie: bool) -> str:
    """One IOS / RGOS router-or-L3-switch config (~400-700 lines)."""
    sp = " " if ruijie else ""
    out = ["Building configuration...", "", "Current configuration : 12345 bytes", "!"]
    out += ["version 11.4(1)B12P1" if ruijie else "version 15.2", "!"]
    out += [f"hostname dist-{n}", "!", "service password-encryption" if not ruijie else "!"]
    out += ["enable secret 5 $1$abcd$0123456789abcdefghijkl", "!"]
    out += [f"username admin{n} privilege 15 secret 5 $1$x$abcdefghijklmnop", "!"]
    if not ruijie:
        out += ["aaa new-model", "aaa authentication login default local", "!"]
    for v in range(10, 10 + rng.randint(10, 30)):
        out += [f"vlan {v}", f" name office-{v}", "!"]
    octet = n % 250
    for i in range(1, rng.randint(24, 48)):
        name = f"GigabitEthernet{sp}0/{i}"
        out += [f"interface {name}", f" description access port {i} 办公室 {n}"]
        if i % 4 == 0:
            out += [" no switchport", f" ip address 10.{octet}.{i}.1 255.255.255.252"]
            if i % 8 == 0:
                out += [" ip access-group 110 in"]
        else:
            out += [f" switchport access vlan {10 + i % 10}", " switchport mode access"]
            if not ruijie:
                out += [" spanning-tree portfast"]
        out += ["!"]
    for v in range(10, 20):
        out += [f"interface Vlan{sp}{v}" if not ruijie else f"interface VLAN {v}"]
        out += [f" ip address 172.{16 + v % 16}.{octet}.{v} 255.255.255.0", " ip nat inside", "!"]
    out += [f"interface GigabitEthernet{sp}0/0", " ip address 203.0.113.2 255.255.255.252"]
    out += [" ip nat outside", "!"]
    out += ["ip access-list extended 110"]
    for r in range(1, rng.randint(20, 60)):
        port = rng.choice(["www", "443", "22", "domain", "range 8000 8080"])
        out += [f" {r * 10} permit tcp 172.16.{r % 250}.0 0.0.0.255 any eq {port}"]
    out += [" 1000 deny ip any any", "!"]
    for r in range(1, 20):
        out += [f"access-list {r} permit 172.{16 + r}.{octet}.0 0.0.0.255"]
    out += [f"ip nat inside source list 1 interface GigabitEthernet{sp}0/0 overload"]
    out += ["ip nat inside source static tcp 10.1.1.10 443 203.0.113.2 443"]
    out += ["ip route 0.0.0.0 0.0.0.0 203.0.113.1"]
    for r in range(rng.randint(10, 40)):
        out += [f"ip route 10.{r}.0.0 255.255.0.0 10.{octet}.4.2"]
    out += ["ip http secure-server" if not ruijie else "enable service ssh-server"]
    out += ["ip ssh version 2", "snmp-server community S3cret RO 10", "logging host 10.9.0.6"]
    out += ["ntp server 10.9.0.7", "!", "line con 0", " exec-timeout 5 0", "line vty 0 4"]
    out += [" access-class 10 in", " exec-timeout 5 0", " transport input ssh", "!", "end"]
    return "\n".join(out) + "\n"


def _vrp(rng: random.Random, n: int, comware: bool) -> str:
    """One VRP / Comware config (~400-700 lines)."""
    out = [f"sysname dist-{n}", "#", "vlan batch 10 to 40" if not comware else "vlan 10 to 40", "#"]
    out += ["aaa", f" local-user admin{n} password irreversible-cipher $1a$abcdefgh$", "#"]
    octet = n % 250
    for i in range(1, rng.randint(24, 48)):
        out += [f"interface GigabitEthernet1/0/{i}", f" description access port {i} 办公室 {n}"]
        if i % 4 == 0:
            out += [f" ip address 10.{octet}.{i}.1 255.255.255.252"]
        else:
            out += [" port link-type access", f" port default vlan {10 + i % 10}"]
        out += ["#"]
    for v in range(10, 20):
        vif = "Vlan-interface" if comware else "Vlanif"
        out += [f"interface {vif}{v}", f" ip address 172.{16 + v % 16}.{octet}.{v} 24", "#"]
    out += ["acl number 3000"]
    for r in range(1, rng.randint(20, 60)):
        out += [
            f" rule {r * 5} permit tcp source 172.16.{r % 250}.0 0.0.0.255 destination-port eq 80"
        ]
    out += ["#"]
    for r in range(rng.randint(10, 40)):
        out += [f"ip route-static 10.{r}.0.0 255.255.0.0 10.{octet}.4.2"]
    out += ["ip route-static 0.0.0.0 0.0.0.0 203.0.113.1", "#"]
    out += ["snmp-agent community read cipher %^%#abcdef%^%#", "snmp-agent sys-info version v3"]
    out += ["info-center loghost 10.9.0.6", "ntp-service unicast-server 10.9.0.7", "#"]
    out += ["user-interface vty 0 4", " authentication-mode aaa", " protocol inbound ssh", "#"]
    out += ["return"]
    return "\n".join(out) + "\n"


GENERATORS: dict[Platform, Callable[[random.Random, int], str]] = {
    Platform.CISCO_IOS: lambda r, n: _ios(r, n, ruijie=False),
    Platform.RUIJIE_OS: lambda r, n: _ios(r, n, ruijie=True),
    Platform.HUAWEI: lambda r, n: _vrp(r, n, comware=False),
    Platform.HUAWEI_VRPV8: lambda r, n: _vrp(r, n, comware=False),
    Platform.HP_COMWARE: lambda r, n: _vrp(r, n, comware=True),
}


def corpus(platform: Platform, count: int) -> list[bytes]:
    rng = random.Random(f"netaudit-{platform.value}")
    return [GENERATORS[platform](rng, n).encode() for n in range(count)]


# --------------------------------------------------------------------------- timing


def _available(platform: Platform) -> bool:
    try:
        return hasattr(importlib.import_module(PARSERS[platform]), "PARSER")
    except ImportError:
        return False


def time_ours(platform: Platform, configs: list[bytes]) -> float:
    start = time.perf_counter()
    for i, data in enumerate(configs):
        parse_bytes(data, platform, f"c{i}.cfg")
    return time.perf_counter() - start


def time_ciscoconfparse2(configs: list[bytes]) -> float:
    texts = [c.decode().splitlines() for c in configs]
    start = time.perf_counter()
    for lines in texts:
        CiscoConfParse(lines, syntax="ios")
    return time.perf_counter() - start


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return (
        f"{os.cpu_count()} cores (`nproc`), {cpu}, Python {pyplatform.python_version()}, "
        f"parsers: {_native.STATE.why}"
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--configs", type=int, default=100, help="configs per platform")
    ap.add_argument("--runs", type=int, default=5, help="timed runs (median reported)")
    ap.add_argument("--ccp-runs", type=int, default=3, help="ciscoconfparse2 runs")
    ap.add_argument("--write", action="store_true", help="write BENCHMARKS.md section Parsing")
    args = ap.parse_args()

    rows: list[tuple[str, int, int, float, float, float]] = []
    ratio_line = ""
    for platform in Platform:
        if not _available(platform):
            print(f"{platform.value}: parser not available, skipped")
            continue
        configs = corpus(platform, args.configs)
        lines = sum(c.count(b"\n") for c in configs)
        time_ours(platform, configs[:5])  # warm-up (imports, regex compilation)
        runs = [time_ours(platform, configs) for _ in range(args.runs)]
        med = statistics.median(runs)
        rows.append((platform.value, len(configs), lines, med, lines / med, len(configs) / med))
        if platform is Platform.CISCO_IOS:
            ccp = statistics.median(time_ciscoconfparse2(configs) for _ in range(args.ccp_runs))
            ratio_line = (
                f"ciscoconfparse2 {ccp_version()} parse only, same {len(configs)} IOS configs: "
                f"{ccp:.2f} s ({lines / ccp:,.0f} lines/s) — netaudit full extraction is "
                f"{ccp / med:.1f}x faster (goal: at least 3x)"
            )

    header = "| platform | configs | lines | median time | lines/s | configs/s |"
    table = [header, "|---|---|---|---|---|---|"]
    for name, n, lines, med, lps, cps in rows:
        table.append(f"| {name} | {n} | {lines:,} | {med:.2f} s | {lps:,.0f} | {cps:,.0f} |")
    print("\n".join(table))
    if ratio_line:
        print(ratio_line)
    if args.write:
        write_section(table, ratio_line, args)


def ccp_version() -> str:
    try:
        return version("ciscoconfparse2")
    except PackageNotFoundError:
        return ""


def write_section(table: list[str], ratio: str, args: argparse.Namespace) -> None:
    path = ROOT / "BENCHMARKS.md"
    text = path.read_text(encoding="utf-8") if path.exists() else "# Benchmarks\n"
    body = "\n".join(
        [
            "## Parsing",
            "",
            f"`.venv/bin/python benchmarks/parse.py --configs {args.configs} --runs {args.runs} "
            "--write` — decode, clean, redact and extract the full device model "
            "(`parse_bytes`) for a generated corpus of realistic configs per platform "
            "(interfaces, VLANs, ACLs, static routes, NAT, users, SNMP, syslog, NTP, lines); "
            "median of the runs. Platforms whose parser is not in the tree yet are left out. "
            "Load from other processes on the machine moves absolute numbers by up to 2x "
            "between runs; the ciscoconfparse2 ratio compares timings taken in the same run.",
            "",
            f"Measured {dt.date.today().isoformat()}, {machine()}:",
            "",
            *table,
            "",
            ratio,
            "",
        ]
    )
    start = text.find("## Parsing")
    if start < 0:
        text = text.rstrip("\n") + "\n\n" + body
    else:
        end = text.find("\n## ", start + 1)
        text = text[:start] + body + ("\n" + text[end + 1 :] if end >= 0 else "")
    path.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
