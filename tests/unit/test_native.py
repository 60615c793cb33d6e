"""The compiled parsers (``make native``, mypyc): the same models as the sources, and a build
that no longer matches its sources is never run (``netaudit._native``)."""

from __future__ import annotations

import os
import pickle
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import netaudit
from netaudit import _native
from netaudit.inventory import load_inventory
from netaudit.pipeline import devices
from netaudit.vendors import hashblock

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "inventories" / "xian"
PACKAGE = Path(netaudit.__file__).resolve().parent


def _require_compiled() -> None:
    if _native.STATE.compiled:
        return
    message = f"the parsers are not compiled: {_native.STATE.why}"
    if os.environ.get("NETAUDIT_REQUIRE_NATIVE") == "1":
        pytest.fail(message + " and NETAUDIT_REQUIRE_NATIVE=1", pytrace=False)
    pytest.skip(message + " (`make native`)")


_DUMP = """
import pickle, sys
from pathlib import Path
from netaudit import _native
from netaudit.inventory import load_inventory
from netaudit.pipeline import devices
import netaudit.vendors.hashblock as h
inv = load_inventory(Path(sys.argv[1]))
out = [devices._parse_one(j) for j in devices._jobs(inv, inv.units)]
sys.stdout.buffer.write(pickle.dumps((_native.STATE, h.__file__, out)))
"""


def _python(code: str, *args: str, pythonpath: Path | None = None, **env: str) -> bytes:
    environ = {k: v for k, v in os.environ.items() if k != _native.PURE_ENV}
    environ.update(env)
    if pythonpath is not None:
        environ["PYTHONPATH"] = str(pythonpath)
    done = subprocess.run(
        [sys.executable, "-c", code, *args],
        capture_output=True,
        env=environ,
        cwd=pythonpath or ROOT,  # (`-c` puts the working folder first on sys.path)
        check=True,
        timeout=300,
    )
    assert b"Traceback" not in done.stderr, done.stderr.decode()
    return done.stdout


def test_compiled_parsers_give_the_sources_models() -> None:
    """Every device of the sample city: record (coverage, redacted snapshot, unrecognized
    lines) and model equal, compiled and run from the sources."""
    _require_compiled()
    state, file, pure = pickle.loads(_python(_DUMP, str(SAMPLE), NETAUDIT_PURE_PYTHON="1"))
    assert not state.compiled and file.endswith("hashblock.py")
    inv = load_inventory(SAMPLE)
    compiled = [devices._parse_one(j) for j in devices._jobs(inv, inv.units)]
    assert not hashblock.__file__.endswith(".py")  # this process runs the compiled parser
    assert len(compiled) == len(pure) > 100
    for (rec_c, dev_c), (rec_p, dev_p) in zip(compiled, pure, strict=True):
        assert rec_c == rec_p, rec_c.name
        assert dev_c == dev_p, rec_c.name
    assert sum(dev is not None for _, dev in compiled) > 100


def _copy_package(tmp_path: Path) -> Path:
    shutil.copytree(PACKAGE, tmp_path / "netaudit", ignore=shutil.ignore_patterns("__pycache__"))
    return tmp_path


_WHICH = """
import netaudit.vendors.hashblock as h, netaudit.vendors.huawei as hw
from netaudit import _native
print(h.__file__, hw.__file__, _native.STATE.compiled)
"""


def test_a_source_edited_after_the_build_runs_as_source_with_a_warning(tmp_path: Path) -> None:
    _require_compiled()
    root = _copy_package(tmp_path)
    out = _python(_WHICH, pythonpath=root).decode().split()
    assert out[0].startswith(str(root)) and not out[0].endswith(".py")
    assert out[2] == "True"
    textio = root / "netaudit" / "vendors" / "textio.py"
    textio.write_text(textio.read_text(encoding="utf-8") + "# edited\n", encoding="utf-8")
    environ = {k: v for k, v in os.environ.items() if k != _native.PURE_ENV}
    environ["PYTHONPATH"] = str(root)
    done = subprocess.run(
        [sys.executable, "-c", _WHICH],
        capture_output=True,
        env=environ,
        cwd=root,
        text=True,
        check=True,
    )
    hashblock, huawei, compiled = done.stdout.split()
    # All the parsers from their sources, the unchanged ones too (they cannot mix).
    assert hashblock == str(root / "netaudit" / "vendors" / "hashblock.py")
    assert huawei == str(root / "netaudit" / "vendors" / "huawei" / "__init__.py")
    assert compiled == "False"
    assert "compiled parsers do not match their sources (netaudit.vendors.textio)" in done.stderr
    assert "make native" in done.stderr


def test_pure_python_switch_and_a_missing_record(tmp_path: Path) -> None:
    _require_compiled()
    root = _copy_package(tmp_path)
    out = _python(_WHICH, pythonpath=root, NETAUDIT_PURE_PYTHON="1").decode().split()
    assert out == [
        str(root / "netaudit" / "vendors" / "hashblock.py"),
        str(root / "netaudit" / "vendors" / "huawei" / "__init__.py"),
        "False",
    ]
    # Extensions without the build's record (copied by hand, say): not trusted either.
    (root / "netaudit" / "vendors" / "_native.json").unlink()
    out = _python(_WHICH, pythonpath=root).decode().split()
    assert out[0].endswith("hashblock.py") and out[2] == "False"
