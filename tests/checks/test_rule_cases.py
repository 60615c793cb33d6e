"""Every rule against its case folders: ``tests/checks/<RULE-ID>/<case>/``.

Each case holds ``case.yaml`` (unit + devices, see ``casekit.py``) and ``expected.json`` (the
rule's results as findings.json items). Run ``pytest tests/checks --update-golden`` to rewrite
``expected.json`` from the current output, then review the diff. Every rule of the shipped packs
must have at least one failing, one passing and one unknown case.
"""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

import pytest
from casekit import load_case

from netaudit.policy.engine import run_rule
from netaudit.policy.pack import DEFAULT_POLICY_DIR, Rule, load_packs

HERE = Path(__file__).parent
CASES = sorted(p.parent for p in HERE.glob("*/*/case.yaml"))
PACKS = load_packs(sorted(DEFAULT_POLICY_DIR.glob("*.yaml")))
RULES: dict[str, Rule] = {r.id: r for p in PACKS for r in p.rules}


def _case_id(case: Path) -> str:
    return str(case.relative_to(HERE))


@pytest.mark.parametrize("case", CASES, ids=_case_id)
def test_case(case: Path, update_golden: bool) -> None:
    rule_id = case.parent.name
    assert rule_id in RULES, f"{case}: no rule {rule_id} in the shipped packs"
    ctx = load_case(case)
    actual = [r.to_data() for r in run_rule(RULES[rule_id], ctx)]
    assert actual, f"{case}: the rule produced no result"
    path = case / "expected.json"
    text = json.dumps(actual, ensure_ascii=False, indent=2) + "\n"
    if update_golden or not path.exists():
        path.write_text(text, encoding="utf-8")
        if not update_golden:
            pytest.fail(f"{path} did not exist; written — review it and re-run")
        return
    expected = json.loads(path.read_text(encoding="utf-8"))
    assert actual == expected, f"{path} differs (run with --update-golden and review the diff)"


def test_every_rule_has_fail_pass_and_unknown_cases() -> None:
    """The napalm triplet: each shipped rule is shown failing, passing and unknown."""
    seen: dict[str, set[str]] = defaultdict(set)
    for case in CASES:
        path = case / "expected.json"
        if path.exists():
            for item in json.loads(path.read_text(encoding="utf-8")):
                seen[case.parent.name].add(item["status"])
    missing = {
        rule_id: sorted({"fail", "pass", "unknown"} - seen[rule_id])
        for rule_id in RULES
        if not {"fail", "pass", "unknown"} <= seen[rule_id]
    }
    assert not missing, f"rules without a fail/pass/unknown case: {missing}"
