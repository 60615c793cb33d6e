"""Store stage, comparison: two stored runs' results, exits and configs → a ``RunDiff``.

Input: each run's result keys (rule, subject, status), exits and (device, unit, snapshot hash)
triples, plus loaders for full results and redacted snapshot texts (only the changed ones are
read: a 5,000-device run has 65,000 results). Output: ``RunDiff``. Pure: the store
loads, this module compares, so the rules of "new / resolved / still failing" live in one place.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from netaudit.pipeline.run import ExitRecord
from netaudit.policy.results import Result, Status
from netaudit.store.records import ConfigChange, ResultChange, RunDiff, RunSummary

_RESOLVED = (Status.PASS, Status.NOT_APPLICABLE)


@dataclass(frozen=True, slots=True)
class DeviceSnap:
    name: str
    unit: str
    sha256: str | None


@dataclass(frozen=True, slots=True)
class ResultKey:
    """What comparing needs of a result; the full ``Result`` is loaded only for changes."""

    rule: str
    subject: str
    status: Status
    seq: int


@dataclass(frozen=True, slots=True)
class Side:
    summary: RunSummary
    results: Sequence[ResultKey]
    exits: Sequence[ExitRecord]
    devices: Sequence[DeviceSnap]


Texts = Callable[[set[str]], dict[str, str]]
"""Snapshot hashes → their redacted texts."""
Results = Callable[[str, list[int]], dict[int, Result]]
"""(run id, result seqs) → those results."""


def _by_key(results: Sequence[ResultKey]) -> dict[tuple[str, str], ResultKey]:
    out: dict[tuple[str, str], ResultKey] = {}
    for r in results:
        key = (r.rule, r.subject)
        prev = out.get(key)
        # Several results for one key (same rule, same subject on two devices): keep the worst,
        # so a failure is never hidden behind a pass.
        if prev is None or (prev.status is not Status.FAIL and r.status is Status.FAIL):
            out[key] = r
    return out


def compare(a: Side, b: Side, texts: Texts, results: Results) -> RunDiff:
    """Compare two runs; ``texts`` and ``results`` load what the changes need."""
    ra, rb = _by_key(a.results), _by_key(b.results)
    groups: dict[str, list[tuple[ResultKey | None, ResultKey | None]]] = {
        "new": [],
        "resolved": [],
        "unverified": [],
        "still": [],
    }
    for key in sorted(ra.keys() | rb.keys()):
        before, after = ra.get(key), rb.get(key)
        failed_before = before is not None and before.status is Status.FAIL
        failed_after = after is not None and after.status is Status.FAIL
        if failed_before and failed_after:
            groups["still"].append((before, after))
        elif failed_after:
            groups["new"].append((before, after))
        elif failed_before:
            resolved = after is not None and after.status in _RESOLVED
            groups["resolved" if resolved else "unverified"].append((before, after))
    pairs = [p for g in groups.values() for p in g]
    full_a = results(a.summary.id, [x.seq for x, _ in pairs if x is not None])
    full_b = results(b.summary.id, [y.seq for _, y in pairs if y is not None])

    def changes(name: str) -> tuple[ResultChange, ...]:
        out = []
        for x, y in groups[name]:
            key = x or y
            assert key is not None
            out.append(
                ResultChange(
                    key.rule,
                    key.subject,
                    None if x is None else full_a[x.seq],
                    None if y is None else full_b[y.seq],
                )
            )
        return tuple(out)

    ea = {(e.device, e.interface): e for e in a.exits}
    eb = {(e.device, e.interface): e for e in b.exits}
    exits_added = tuple(eb[k] for k in sorted(eb.keys() - ea.keys()))
    exits_removed = tuple(ea[k] for k in sorted(ea.keys() - eb.keys()))

    da = {d.name: d for d in a.devices}
    db = {d.name: d for d in b.devices}
    changed = [
        (da[n], db[n])
        for n in sorted(da.keys() & db.keys())
        if da[n].sha256 is not None and db[n].sha256 is not None and da[n].sha256 != db[n].sha256
    ]
    needed = {x.sha256 for pair in changed for x in pair if x.sha256 is not None}
    text = texts(needed) if needed else {}
    config_changed = []
    for old, cur in changed:
        assert old.sha256 is not None and cur.sha256 is not None
        lines = difflib.unified_diff(
            text[old.sha256].splitlines(keepends=True),
            text[cur.sha256].splitlines(keepends=True),
            fromfile=f"{a.summary.id}/{old.name}",
            tofile=f"{b.summary.id}/{cur.name}",
        )
        diff = "".join(ln if ln.endswith("\n") else ln + "\n" for ln in lines)
        config_changed.append(ConfigChange(cur.name, cur.unit, old.sha256, cur.sha256, diff))

    return RunDiff(
        run_a=a.summary,
        run_b=b.summary,
        new=changes("new"),
        resolved=changes("resolved"),
        unverified=changes("unverified"),
        still_failing=changes("still"),
        exits_added=exits_added,
        exits_removed=exits_removed,
        devices_added=tuple(sorted(db.keys() - da.keys())),
        devices_removed=tuple(sorted(da.keys() - db.keys())),
        config_changed=tuple(config_changed),
    )
