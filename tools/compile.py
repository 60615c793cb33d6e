"""Compile the hot modules with mypyc: C extensions next to their sources (``make native``).

Compiled (``netaudit._native.COMPILED``): the parsers (every module of ``netaudit/vendors`` but
the package's own ``__init__``), the device model they build (``netaudit/model/device.py``), the
network analysis (``netaudit/network``) and the rule engine with its checks — into one shared
library (``netaudit/_native__mypyc``) and a small extension per module; then
``netaudit/_native.json`` records the SHA-256 of each source, which ``netaudit._native`` checks
at import (a source edited since is run as a source, with a warning). Without a C compiler this
says so and leaves the sources to run (slower), unless NETAUDIT_REQUIRE_NATIVE is set (CI), when
it fails. ``--clean`` only removes the compiled files.
"""

from __future__ import annotations

import hashlib
import importlib.machinery
import importlib.util
import json
import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parent.parent


def _native() -> ModuleType:
    """``netaudit/_native.py`` alone (the list, the record's place), not the package."""
    spec = importlib.util.spec_from_file_location("_native", ROOT / "netaudit" / "_native.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


NATIVE = _native()
STAMP: Path = NATIVE.STAMP

BUILD = ROOT / "build" / "mypyc"
GROUP = "netaudit._native"


def module_name(file: Path) -> str:
    rel = file.relative_to(ROOT).with_suffix("")
    parts = rel.parts[:-1] if rel.name == "__init__" else rel.parts
    return ".".join(parts)


def clean() -> None:
    suffix = importlib.machinery.EXTENSION_SUFFIXES[0]
    for ext in (ROOT / "netaudit").rglob(f"*{suffix}"):
        ext.unlink()
    STAMP.unlink(missing_ok=True)


def fail(message: str) -> int:
    required = os.environ.get("NETAUDIT_REQUIRE_NATIVE", "") not in ("", "0")
    print(
        f"tools/compile.py: {message}; "
        + ("NETAUDIT_REQUIRE_NATIVE is set." if required else "the modules run as Python sources."),
        file=sys.stderr,
    )
    return 1 if required else 0


def main(argv: list[str]) -> int:
    clean()
    if argv == ["--clean"]:
        return 0
    cc = (sysconfig.get_config_var("CC") or "cc").split()[0]
    if shutil.which(cc) is None:
        return fail(f"no C compiler ({cc})")
    files: list[Path] = NATIVE.compiled_sources()
    # A child process: setuptools and mypy stay out of this one, and its output is kept
    # for when it fails.
    script = (
        "import sys\n"
        "from setuptools import setup\n"
        "from mypyc.build import mypycify\n"
        "paths = sys.argv[1:]\n"
        "sys.argv = sys.argv[:1]\n"
        f"setup(name='netaudit-native', ext_modules=mypycify(paths, opt_level='3', "
        f"group_name={GROUP!r}, target_dir={str(BUILD)!r}), "
        f"script_args=['build_ext', '--inplace', '--build-temp', {str(BUILD / 'temp')!r}])\n"
    )
    print(f"compiling {len(files)} modules with mypyc (five to seven minutes) ...", flush=True)
    done = subprocess.run(
        [sys.executable, "-c", script, *(str(f.relative_to(ROOT)) for f in files)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        clean()
        sys.stderr.write(done.stdout[-4000:] + done.stderr[-4000:])
        return fail("mypyc could not compile the modules")
    digests = {module_name(f): _sha256(f) for f in files}
    STAMP.write_text(json.dumps({"sources": digests}, indent=1, sort_keys=True) + "\n")
    print(f"compiled: {len(files)} modules; record in {STAMP.relative_to(ROOT)}")
    return 0


def _sha256(file: Path) -> str:
    return hashlib.sha256(file.read_bytes()).hexdigest()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
