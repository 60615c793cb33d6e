"""Benchmark: the rogue-gateway sweep of a /24 office LAN, in network namespaces.

Input: nothing (builds the test topology of ``tests/probe/topology.py`` with extra answering
hosts, runs as root). Output: one JSON line per repetition and a summary — the time the sweep
takes (ARP scan of the 253 other addresses, one packet per answering host to the reflector,
waiting for replies, asking the reflector about the rest) at the default rates (20 packets/s to
targets, 250 ARP requests/s) and the default 1 s answer wait, and what it found. The time goal
(a /24 in a few seconds) lives here, not in the tests. Results go in BENCHMARKS.md, "Probes".

    sudo .venv/bin/python benchmarks/probe_sweep.py [--hosts 20] [--repeat 3]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))

from probe.topology import Lab, missing_tools  # noqa: E402

# Runs inside the office namespace: scapy and the plan are loaded before the clock starts.
SWEEP = """
import json, sys, time
from pathlib import Path
from netaudit.inventory import load_inventory
from netaudit.probe import engine  # scapy
from netaudit.probe.plan import build_plan
from netaudit.probe.run import Phase, run_probe
from netaudit.probe.safety import Limits

inv = load_inventory(Path(sys.argv[1]))
plan = build_plan(inv, "office-probe-1", limits=Limits(rate=float(sys.argv[2])))
t0 = time.perf_counter()
report = run_probe(plan, phases={Phase.SWEEP})
seconds = time.perf_counter() - t0
print(json.dumps({
    "seconds": round(seconds, 3),
    "rate": plan.limits.rate,
    "lan": str(plan.lan),
    "arp_requests": len(plan.lan_addresses()),
    "hosts_answering": len(report.lan_hosts or ()),
    "gateways": sorted(str(g.address) for g in report.gateways or ()),
    "rogue": [str(g.address) for g in report.rogue_gateways],
    "packets_sent": report.packets_sent,
    "complete": report.complete,
}))
"""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--hosts", type=int, default=20, help="extra answering LAN hosts")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--rate", type=float, default=20.0, help="packets/s to targets (inventory default: 20)"
    )
    args = parser.parse_args()
    if os.geteuid() != 0:
        print("needs root (network namespaces, raw packets)", file=sys.stderr)
        return 2
    if missing_tools():
        print(f"missing tools: {', '.join(missing_tools())}", file=sys.stderr)
        return 2
    lab = Lab(extra_hosts=args.hosts)
    results = []
    with tempfile.TemporaryDirectory() as tmp, lab:
        inv = lab.write_inventory(Path(tmp) / "inv")
        for _ in range(args.repeat):
            proc = lab.python("probe", "-c", SWEEP, str(inv), str(args.rate))
            if proc.returncode != 0:
                print(proc.stderr, file=sys.stderr)
                return 1
            result = json.loads(proc.stdout)
            print(json.dumps(result))
            results.append(result)
    times = [r["seconds"] for r in results]
    print(
        f"/24 sweep, {results[0]['hosts_answering']} answering hosts, rate {args.rate:g}/s: "
        f"median {statistics.median(times):.2f} s (min {min(times):.2f}, max {max(times):.2f}) "
        f"over {len(times)} runs; rogue found: {results[0]['rogue']}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
