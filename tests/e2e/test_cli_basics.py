"""The CLI's contract: --help, --version, validate exit codes, the error boundary (SPEC §7)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from netaudit import __version__
from netaudit.cli import main as cli_main

INV = Path(__file__).parent.parent / "inventories"


def netaudit(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "netaudit", *args],
        check=False,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_version_and_help() -> None:
    r = netaudit("--version")
    assert r.returncode == 0 and r.stdout.strip() == f"netaudit {__version__}"
    r = netaudit("--help")
    assert r.returncode == 0
    assert "validate" in r.stdout


def test_validate_valid_inventory_exits_0() -> None:
    r = netaudit("validate", str(INV / "mini"))
    assert r.returncode == 0, r.stderr
    assert "valid (2 units, 3 devices)" in r.stdout


def test_validate_broken_inventory_exits_2_naming_file_and_line() -> None:
    r = netaudit("validate", str(INV / "broken" / "unknown_key"))
    assert r.returncode == 2
    assert f"{INV / 'broken/unknown_key/units/east.yaml'}:29: unknown key" in r.stderr
    assert "Traceback" not in r.stderr


def test_validate_json() -> None:
    r = netaudit("validate", "--json", str(INV / "broken" / "missing_config"))
    assert r.returncode == 2
    doc = json.loads(r.stdout)
    assert doc["valid"] is False
    assert doc["problems"][0]["code"] == "missing-file"
    assert doc["problems"][0]["line"] == 31


def test_usage_error_exits_2() -> None:
    r = netaudit("validate")
    assert r.returncode == 2
    r = netaudit("no-such-command")
    assert r.returncode == 2


def test_missing_inventory_is_one_clear_message() -> None:
    r = netaudit("validate", "/nonexistent/inventory")
    assert r.returncode == 2
    assert r.stderr.strip() == (
        "error: /nonexistent/inventory: not an inventory folder (expected city.yaml and units/)"
    )


def test_internal_error_exits_70_without_locals(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    secret_local = "s3cr3t-local-value"

    def boom(*_: object, **__: object) -> None:
        password = secret_local  # a local that must never be printed
        raise RuntimeError("boom " + password[:0])

    monkeypatch.setattr("netaudit.cli.validate.validate_inventory", boom)
    assert cli_main.run(["validate", str(INV / "mini")]) == 70
    err = capsys.readouterr().err
    assert "internal error: RuntimeError" in err
    assert "Traceback" not in err
    assert cli_main.run(["--debug", "validate", str(INV / "mini")]) == 70
    err = capsys.readouterr().err
    assert "Traceback" in err and secret_local not in err
