"""Golden tests for every vendor parser, in two stages (batfish style).

Layout: ``tests/vendors/<platform>/<feature>/<case>/input.cfg`` plus
- ``extract.json``: the vendor-shaped extraction, when the platform module has ``extract``;
- ``expected.json``: the normalized device model (``to_data(Device)``), conversion stage.
Run ``pytest tests/vendors --update-golden`` to rewrite them, then review the diff.
"""

from __future__ import annotations

import importlib
import json
from pathlib import Path

import pytest

from netaudit.model.serialize import to_data
from netaudit.vendors.base import PARSERS, parse_bytes
from netaudit.vendors.textio import read_config

HERE = Path(__file__).parent
CASES = sorted(p.parent for p in HERE.glob("*/*/*/input.cfg"))


def _case_id(case: Path) -> str:
    return str(case.relative_to(HERE))


def _check(path: Path, actual: object, update: bool) -> None:
    text = json.dumps(actual, ensure_ascii=False, indent=2, sort_keys=False) + "\n"
    if update or not path.exists():
        path.write_text(text, encoding="utf-8")
        if not update:
            pytest.fail(f"{path} did not exist; written — review it and re-run")
        return
    expected = json.loads(path.read_text(encoding="utf-8"))
    assert actual == expected, f"{path} differs (run with --update-golden and review the diff)"


@pytest.mark.parametrize("case", CASES, ids=_case_id)
def test_golden(case: Path, update_golden: bool) -> None:
    platform = case.relative_to(HERE).parts[0]
    assert platform in {p.value for p in PARSERS}, f"unknown platform folder {platform}"
    data = (case / "input.cfg").read_bytes()
    file = "input.cfg"
    module = importlib.import_module(PARSERS[next(p for p in PARSERS if p.value == platform)])
    extract = getattr(module, "extract", None)
    if extract is not None:
        _check(case / "extract.json", extract(read_config(data, file)), update_golden)
    device = parse_bytes(data, platform, file)
    _check(case / "expected.json", to_data(device), update_golden)
