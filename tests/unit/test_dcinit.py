"""The written-out dataclass ``__init__`` of the compiled modules (``tools/dcinit.py``, issue 9):
up to date with the fields, and built as the decorator's would be."""

from __future__ import annotations

import dataclasses
import importlib
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from netaudit import _native
from netaudit.model import device as model
from netaudit.vendors import hashblock, textio

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tools"))

import dcinit  # noqa: E402 (tools/ is not a package)


def test_every_compiled_dataclass_init_is_up_to_date() -> None:
    done = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "dcinit.py"), "--check"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "not written out" not in done.stderr  # no dataclass the tool had to leave alone


def test_a_field_added_without_rewriting_is_caught_and_rewritten() -> None:
    path = Path("netaudit/model/device.py")
    source = (ROOT / path).read_text(encoding="utf-8")
    edited = source.replace(
        "    line: int\n    text: str\n",
        "    line: int\n    text: str\n    column: int = 0\n"
        "    tags: list[str] = field(default_factory=list)\n",
        1,
    )
    assert edited != source
    rewritten, problems = dcinit.rewrite(edited, path)
    assert problems == []
    assert rewritten != edited  # --check would fail: the __init__ lacks the new fields
    cls = rewritten[rewritten.index("class Source:") : rewritten.index("class LineStatus")]
    assert "column: int = 0" in cls
    assert "tags: list[str] | None = None" in cls
    assert "self.column = column" in cls
    assert "self.tags = [] if tags is None else tags" in cls
    assert cls.count("def __init__") == 1  # the old one replaced, not a second one added


def _dataclasses() -> list[type]:
    found = []
    for name in sorted(_native.compiled_modules()):
        module = importlib.import_module(name)
        found += [
            cls
            for cls in vars(module).values()
            if isinstance(cls, type)
            and cls.__module__ == module.__name__
            and dataclasses.is_dataclass(cls)
        ]
    return found


SOURCE = model.Source("core.cfg", 12, "interface Vlanif10")


@pytest.mark.parametrize(
    "make",
    [
        # Defaults, factories (a new list each time), frozen classes, positional order.
        lambda: model.Interface("Vlanif10", model.InterfaceKind.VLAN, SOURCE),
        model.AddressMatch,
        model.Coverage,
        lambda: textio.CleanLine(3, " ip route-static 0.0.0.0 0 10.0.0.1"),
        lambda: hashblock.make_stmt(textio.CleanLine(7, " undo shutdown")),
    ],
)
def test_written_inits_build_what_the_decorator_built(make: Callable[[], Any]) -> None:
    first, second = make(), make()
    assert first == second
    for f in dataclasses.fields(first):
        value = getattr(first, f.name)  # every field set (an unset slot raises here)
        if f.default_factory is not dataclasses.MISSING:
            assert value == f.default_factory()
            if isinstance(value, list | dict):
                assert value is not getattr(second, f.name)  # not one list shared by all
        elif f.default is not dataclasses.MISSING:
            assert value == f.default


def test_no_compiled_dataclass_runs_the_decorators_init() -> None:
    """The decorator's ``__init__`` is Python it writes at import (its code comes from
    ``<string>``): with it, a compiled module's objects are built interpreted again."""
    classes = _dataclasses()
    assert len(classes) > 80  # (the model, the parsers, the analysis, the checks)
    generated = [
        cls.__qualname__
        for cls in classes
        if getattr(getattr(cls.__init__, "__code__", None), "co_filename", "") == "<string>"
    ]
    assert generated == []


def test_a_default_factory_on_a_field_that_may_be_none_is_refused() -> None:
    """(``None`` is the written ``__init__``'s "make a new one": it could not be passed.)"""
    path = Path("netaudit/model/device.py")
    source = (ROOT / path).read_text(encoding="utf-8")
    edited = source.replace(
        "    line: int\n    text: str\n",
        "    line: int\n    text: str\n    tags: list[str] | None = field(default_factory=list)\n",
        1,
    )
    _, problems = dcinit.rewrite(edited, path)
    assert len(problems) == 1 and "Source" in problems[0] and "may be None" in problems[0]


def test_frozen_classes_stay_frozen_and_arguments_land_in_their_fields() -> None:
    match = model.AddressMatch()
    with pytest.raises(dataclasses.FrozenInstanceError):
        match.object_group = "servers"  # type: ignore[misc]
    stmt = hashblock.make_stmt(textio.CleanLine(7, " undo shutdown"))
    assert (stmt.neg, stmt.words, stmt.indent, stmt.children) == (True, ["shutdown"], 1, [])
    interface = model.Interface("Vlanif10", model.InterfaceKind.VLAN, SOURCE, "office")
    assert (interface.description, interface.vrf, interface.sources) == ("office", "default", [])
