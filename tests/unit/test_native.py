"""The compiled modules (``make native``, mypyc): the parsers give the same models as their
sources, the whole audit the same results, and a build that no longer matches its sources is
never run (``netaudit._native``)."""

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
from netaudit.network import trace
from netaudit.pipeline import devices
from netaudit.pipeline.audit import run_audit
from netaudit.vendors import hashblock

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "inventories" / "xian"
PACKAGE = Path(netaudit.__file__).resolve().parent


def _require_compiled() -> None:
    if _native.STATE.compiled:
        return
    message = f"not compiled: {_native.STATE.why}"
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


_AUDIT = """
import pickle, sys
from pathlib import Path
from netaudit import _native
from netaudit.inventory import load_inventory
from netaudit.pipeline.audit import run_audit
run = run_audit(load_inventory(Path(sys.argv[1])), parallel=False)
data = ([r.to_data() for r in run.results], run.exits, run.notes, run.status)
sys.stdout.buffer.write(pickle.dumps((_native.STATE, data)))
"""


def test_compiled_audit_gives_the_sources_results() -> None:
    """The network analysis, path tracing and every rule, compiled: the sample city's results
    (evidence, traced paths, notes) and exits are those of the sources, in the same order."""
    _require_compiled()
    state, pure = pickle.loads(_python(_AUDIT, str(SAMPLE), NETAUDIT_PURE_PYTHON="1"))
    assert not state.compiled
    run = run_audit(load_inventory(SAMPLE), parallel=False)
    assert not trace.__file__.endswith(".py")
    results, exits, notes, status = pure
    assert [r.to_data() for r in run.results] == results
    assert run.exits == exits and run.notes == notes and run.status is status
    assert len(results) > 2000 and any(r["status"] == "fail" for r in results)


def _copy_package(tmp_path: Path) -> Path:
    shutil.copytree(PACKAGE, tmp_path / "netaudit", ignore=shutil.ignore_patterns("__pycache__"))
    return tmp_path


_WHICH = """
import netaudit.vendors.hashblock as h, netaudit.vendors.huawei as hw, netaudit.network.trace as t
from netaudit import _native
print(h.__file__, hw.__file__, t.__file__, _native.STATE.compiled)
"""


def test_a_source_edited_after_the_build_runs_as_source_with_a_warning(tmp_path: Path) -> None:
    _require_compiled()
    root = _copy_package(tmp_path)
    out = _python(_WHICH, pythonpath=root).decode().split()
    assert out[0].startswith(str(root)) and not out[0].endswith(".py")
    assert not out[2].endswith(".py")
    assert out[3] == "True"
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
    hashblock, huawei, trace, compiled = done.stdout.split()
    # All the modules from their sources, the unchanged ones too (they cannot mix).
    assert hashblock == str(root / "netaudit" / "vendors" / "hashblock.py")
    assert huawei == str(root / "netaudit" / "vendors" / "huawei" / "__init__.py")
    assert trace == str(root / "netaudit" / "network" / "trace.py")
    assert compiled == "False"
    assert "compiled modules do not match their sources (netaudit.vendors.textio)" in done.stderr
    assert "make native" in done.stderr


def test_a_module_added_after_the_build_runs_as_source_with_the_rest(tmp_path: Path) -> None:
    _require_compiled()
    root = _copy_package(tmp_path)
    (root / "netaudit" / "network" / "added.py").write_text('"""New."""\n', encoding="utf-8")
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
    assert done.stdout.split()[3] == "False"
    assert done.stdout.split()[0].endswith("hashblock.py")
    assert "do not match their sources (netaudit.network.added)" in done.stderr


def test_pure_python_switch_and_a_missing_record(tmp_path: Path) -> None:
    _require_compiled()
    root = _copy_package(tmp_path)
    out = _python(_WHICH, pythonpath=root, NETAUDIT_PURE_PYTHON="1").decode().split()
    assert out == [
        str(root / "netaudit" / "vendors" / "hashblock.py"),
        str(root / "netaudit" / "vendors" / "huawei" / "__init__.py"),
        str(root / "netaudit" / "network" / "trace.py"),
        "False",
    ]
    # Extensions without the build's record (copied by hand, say): not trusted either.
    (root / "netaudit" / "_native.json").unlink()
    out = _python(_WHICH, pythonpath=root).decode().split()
    assert out[0].endswith("hashblock.py") and out[2].endswith("trace.py") and out[3] == "False"
