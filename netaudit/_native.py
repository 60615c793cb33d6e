"""Compiled modules, and the guard that keeps a stale build from running.

``make`` compiles the hot modules (``COMPILED``: the parsers, the device model, the network
analysis, the rule engine and its checks) with mypyc into C extension modules next to their
sources (``tools/compile.py``; issue 9: compiled, the parse of a big city and the checks take
about a third less time than from the sources). Python imports an extension module before the
source file of the same name, so the build also writes ``netaudit/_native.json``: the SHA-256 of
every source it compiled. At the first ``netaudit`` import, ``guard`` compares them with the
sources on disk; when one differs (a source edited or checked out since the build) every
compiled module is passed over and its source imported instead, with one warning on stderr.
``NETAUDIT_PURE_PYTHON=1`` does the same, silently (to compare, or to debug). Without a build
(no C compiler) the sources run, as ever.

Compiled and source modules never mix: an interpreted class cannot subclass a compiled one, so
it is all of them or none.
"""

from __future__ import annotations

import hashlib
import importlib.abc
import importlib.machinery
import importlib.util
import json
import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

PACKAGE_DIR = Path(__file__).resolve().parent
STAMP = PACKAGE_DIR / "_native.json"
PURE_ENV = "NETAUDIT_PURE_PYTHON"
# What ``make native`` compiles: globs under netaudit/ (a package's __init__ only if matched).
# The device model too: every parser builds it and every later stage reads it, and compiled
# classes are built and read without dictionary lookups (a third of the parse time; issue 9).
# mypyc erases a compiled class's annotations to runtime types and replaces its docstring:
# the rule-case kit reads field types from the source, and ``Platform`` (whose docstring the
# inventory schema shows) lives in ``model/platform.py``, not compiled.
COMPILED = (
    "model/device.py",
    "vendors/*.py",
    "vendors/*/*.py",
    "network/*.py",
    "policy/analysis.py",
    "policy/context.py",
    "policy/engine.py",
    "policy/results.py",
    "policy/checks/*.py",
    "pipeline/run.py",
    "store/codec.py",
    "report/files.py",
)
# Package __init__ files that hold nothing hot stay sources: mypyc gives a compiled package a
# wrong __path__ (it assumes its shared library at the top of sys.path), which breaks
# `from netaudit.network import trace`. The platform packages of vendors/ must be compiled
# (they subclass compiled classes); they import their own modules, so it does not show there.
_NOT_COMPILED = ("vendors/__init__.py", "network/__init__.py", "policy/checks/__init__.py")


@dataclass(frozen=True, slots=True)
class NativeState:
    compiled: bool  # the compiled modules are in use
    why: str  # for people: "compiled (mypyc)", or why the sources run


class _SourceFinder(importlib.abc.MetaPathFinder):
    """Finds the listed modules' source files, ahead of their compiled extensions."""

    def __init__(self, files: dict[str, Path]) -> None:
        self.files = files

    def find_spec(
        self,
        fullname: str,
        path: Sequence[str] | None,
        target: ModuleType | None = None,
    ) -> importlib.machinery.ModuleSpec | None:
        file = self.files.get(fullname)
        if file is None:
            return None
        if file.name == "__init__.py":
            return importlib.util.spec_from_file_location(
                fullname, file, submodule_search_locations=[str(file.parent)]
            )
        return importlib.util.spec_from_file_location(fullname, file)


def sha256(file: Path) -> str:
    return hashlib.sha256(file.read_bytes()).hexdigest()


def compiled_sources() -> list[Path]:
    """The source files ``make native`` compiles."""
    found = {f for pattern in COMPILED for f in PACKAGE_DIR.glob(pattern)}
    return sorted(f for f in found if f.relative_to(PACKAGE_DIR).as_posix() not in _NOT_COMPILED)


def compiled_modules() -> dict[str, Path]:
    """The modules built as extensions for this Python, and their source files."""
    suffix = importlib.machinery.EXTENSION_SUFFIXES[0]
    found: dict[str, Path] = {}
    for ext in PACKAGE_DIR.rglob(f"*{suffix}"):
        stem = ext.name[: -len(suffix)]
        if stem.endswith("__mypyc"):
            continue  # the library they all share, not a module with a source
        parts = ext.relative_to(PACKAGE_DIR.parent).parent.parts
        if stem == "__init__":  # a package
            found[".".join(parts)] = ext.with_name("__init__.py")
        else:
            found[".".join((*parts, stem))] = ext.with_name(stem + ".py")
    return found


def _module_name(source: Path) -> str:
    parts = source.relative_to(PACKAGE_DIR.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _check() -> NativeState:
    files = compiled_modules()
    if not files:
        return NativeState(False, "Python sources (not compiled)")
    try:
        stamp = json.loads(STAMP.read_text(encoding="utf-8"))
        built: dict[str, str] = dict(stamp["sources"])  # module name → SHA-256 of its source
    except (OSError, ValueError, KeyError, TypeError):
        built = {}
    stale = sorted(
        name
        for name, file in files.items()
        if name not in built or not file.is_file() or sha256(file) != built[name]
    )
    # A module added since the build would run from source beside compiled ones.
    stale += sorted({_module_name(f) for f in compiled_sources()} - files.keys())
    forced = os.environ.get(PURE_ENV, "") not in ("", "0")
    if not stale and not forced:
        return NativeState(True, "compiled (mypyc)")
    sys.meta_path.insert(0, _SourceFinder(files))
    if forced:
        return NativeState(False, f"Python sources ({PURE_ENV} is set)")
    what = ", ".join(stale[:3]) + (f" and {len(stale) - 3} more" if len(stale) > 3 else "")
    print(
        f"netaudit: warning: the compiled modules do not match their sources ({what}); "
        "running the sources (slower). `make native` compiles them again.",
        file=sys.stderr,
    )
    return NativeState(False, f"Python sources (the compiled modules are stale: {what})")


STATE = NativeState(False, "not checked yet")


def guard() -> NativeState:
    """Check the build once (``netaudit/__init__``); ``STATE`` says what runs."""
    global STATE  # noqa: PLW0603 (once per process, before any compiled module is imported)
    STATE = _check()
    return STATE
