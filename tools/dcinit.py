"""Write out the ``__init__`` of every dataclass in the compiled modules (``make inits``).

mypyc compiles a dataclass's own methods but not those the ``dataclass`` decorator makes at
import: their ``__init__`` stays interpreted Python that sets each field through the generic
attribute path (issue 9: a quarter of the parse went on building statements, lines, sources
and model objects that way; written out, mypyc compiles an ``__init__`` 6 to 14 times faster).
The decorator keeps an ``__init__`` the class defines, so the class is still a dataclass
(fields, repr, equality, hashing, ordering as before).

For each ``@dataclass`` class of the files in ``netaudit._native.COMPILED`` this writes, after
the last field, an ``__init__`` with the parameters the decorator would give (same names, order,
defaults; a field with a ``default_factory`` takes ``None`` for "make a new one"), marked by its
first line so it is rewritten when the fields change. Frozen classes set their fields with
``object.__setattr__`` (compiled, a plain store; from source, what the decorator's does).

    .venv/bin/python tools/dcinit.py           # rewrite the files
    .venv/bin/python tools/dcinit.py --check   # exit 1 naming the classes out of date (tests)
"""

from __future__ import annotations

import ast
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))

from compile import NATIVE  # noqa: E402 (tools/ is not a package)

MARK = "# (written out by tools/dcinit.py: compiled, unlike the decorator's)"
MAX_POSITIONAL = 5  # ruff's PLR0917 (self not counted)
LITERALS = {"list": "[]", "dict": "{}", "set": "set()"}


class Unsupported(Exception):
    """A dataclass the tool cannot write an ``__init__`` for (say so; write it by hand)."""


@dataclass
class Field:
    name: str
    annotation: str
    default: str | None  # source text of the default value
    factory: str | None  # expression making a new default value
    init: bool


def _text(source: str, node: ast.AST) -> str:
    segment = ast.get_source_segment(source, node)
    assert segment is not None
    return segment


def _decorator(cls: ast.ClassDef) -> dict[str, bool] | None:
    """The decorator's boolean options, or None when the class is not a dataclass."""
    for dec in cls.decorator_list:
        if isinstance(dec, ast.Name) and dec.id == "dataclass":
            return {}
        if (
            isinstance(dec, ast.Call)
            and isinstance(dec.func, ast.Name)
            and dec.func.id == "dataclass"
        ):
            options = {}
            for kw in dec.keywords:
                if kw.arg is None or not isinstance(kw.value, ast.Constant):
                    raise Unsupported("dataclass options that are not constants")
                options[kw.arg] = bool(kw.value.value)
            return options
    return None


def _factory(source: str, node: ast.expr) -> str:
    if isinstance(node, ast.Name) and node.id in LITERALS:
        return LITERALS[node.id]
    if isinstance(node, ast.Lambda) and not node.args.args:
        return _text(source, node.body)
    if isinstance(node, ast.Name | ast.Attribute):
        return f"{_text(source, node)}()"
    raise Unsupported(f"default_factory {_text(source, node)}")


def _fields(source: str, cls: ast.ClassDef) -> list[Field]:
    fields = []
    for stmt in cls.body:
        if not isinstance(stmt, ast.AnnAssign) or not isinstance(stmt.target, ast.Name):
            continue
        annotation = _text(source, stmt.annotation)
        if annotation.startswith(("ClassVar", "InitVar", "KW_ONLY")):
            if annotation.startswith("ClassVar"):
                continue
            raise Unsupported(annotation)
        default = factory = None
        init = True
        value = stmt.value
        if (
            isinstance(value, ast.Call)
            and isinstance(value.func, ast.Name)
            and value.func.id == "field"
        ):
            for kw in value.keywords:
                if kw.arg == "default":
                    default = _text(source, kw.value)
                elif kw.arg == "default_factory":
                    factory = _factory(source, kw.value)
                elif kw.arg == "init":
                    init = bool(ast.literal_eval(kw.value))
                elif kw.arg == "kw_only":
                    raise Unsupported("kw_only fields")
        elif value is not None:
            default = _text(source, value)
        if factory is not None and init and _may_be_none(annotation):
            # (None would mean "make a new one", not the value None.)
            raise Unsupported(f"{stmt.target.id}: a default_factory on a field that may be None")
        fields.append(Field(stmt.target.id, annotation, default, factory, init))
    return fields


def _may_be_none(annotation: str) -> bool:
    """``X | None``, ``None | X``, ``Optional[X]``: None would be a value of the field."""
    parts = {part.strip() for part in annotation.split("|")}
    return "None" in parts or annotation.startswith(("Optional[", "typing.Optional["))


def _init(fields: list[Field], frozen: bool, post_init: bool, indent: str) -> list[str]:
    params = ["self"]
    body = [MARK]
    for f in fields:
        if f.init:
            if f.factory is not None:
                params.append(f"{f.name}: {f.annotation} | None = None")
                value = f"{f.factory} if {f.name} is None else {f.name}"
            else:
                default = "" if f.default is None else f" = {f.default}"
                params.append(f"{f.name}: {f.annotation}{default}")
                value = f.name
        elif f.factory is not None:
            value = f.factory
        elif f.default is not None:
            value = f.default
        else:
            raise Unsupported(f"{f.name}: init=False without a default")
        if frozen:
            body.append(f'object.__setattr__(self, "{f.name}", {value})')
        else:
            body.append(f"self.{f.name} = {value}")
    if post_init:
        body.append("self.__post_init__()")
    inner = indent + "    "
    if len(params) - 1 > MAX_POSITIONAL:
        # (one parameter a line, the trailing comma keeps it so, and ruff's noqa on the first)
        lines = [f"{indent}def __init__(  # noqa: PLR0917 (the dataclass's fields)"]
        lines += [f"{inner}{param}," for param in params]
        lines.append(f"{indent}) -> None:")
    else:
        lines = [f"{indent}def __init__({', '.join(params)}) -> None:"]
    lines += [inner + line for line in body]
    return lines


def _is_written(fn: ast.FunctionDef, lines: list[str]) -> bool:
    first = fn.body[0]
    return lines[first.lineno - 2].strip() == MARK if first.lineno >= 2 else False


def rewrite(source: str, path: Path) -> tuple[str, list[str]]:
    """``source`` (the text of ``path``) with every dataclass ``__init__`` written out, and the
    problems found (classes left as they were)."""
    tree = ast.parse(source)
    lines = source.split("\n")
    edits: list[tuple[int, int, list[str]]] = []  # (start, stop) 0-based line range → new
    problems = []
    for cls in tree.body:
        if not isinstance(cls, ast.ClassDef):
            continue
        try:
            options = _decorator(cls)
            if options is None or options.get("init") is False:
                continue
            if options.get("kw_only"):
                raise Unsupported("kw_only=True")
            if cls.bases:
                raise Unsupported("a dataclass with base classes")
            fields = _fields(source, cls)
            if not fields:
                continue
            methods = {stmt.name: stmt for stmt in cls.body if isinstance(stmt, ast.FunctionDef)}
            indent = " " * (cls.body[0].col_offset)
            new = _init(
                fields,
                bool(options.get("frozen")),
                "__post_init__" in methods,
                indent,
            )
            old = methods.get("__init__")
            if old is not None:
                if not _is_written(old, lines):
                    continue  # the class's own __init__, written by hand
                assert old.end_lineno is not None
                start = old.lineno - 1 - len(old.decorator_list)
                edits.append((start, old.end_lineno, new))
            else:
                last = max(
                    s.end_lineno or s.lineno for s in cls.body if isinstance(s, ast.AnnAssign)
                )
                edits.append((last, last, ["", *new]))
        except Unsupported as exc:
            problems.append(f"{path}:{cls.lineno}: {cls.name}: {exc}")
    for start, stop, new in sorted(edits, reverse=True):
        lines[start:stop] = new
    return _format("\n".join(lines), path), problems


def _format(text: str, path: Path) -> str:
    ruff = Path(sys.executable).parent / "ruff"
    done = subprocess.run(
        [str(ruff), "format", "--stdin-filename", str(ROOT / path), "-"],
        input=text,
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
    )
    if done.returncode != 0:
        raise SystemExit(f"ruff format failed on {path}: {done.stderr.strip()}")
    return done.stdout


def main(argv: list[str]) -> int:
    check = "--check" in argv
    stale = []
    problems = []
    for path in NATIVE.compiled_sources():
        text, found = rewrite(path.read_text(encoding="utf-8"), path.relative_to(ROOT))
        problems += found
        if text != path.read_text(encoding="utf-8"):
            stale.append(path)
            if not check:
                path.write_text(text, encoding="utf-8")
    for problem in problems:
        print(f"not written out: {problem}", file=sys.stderr)
    if check and stale:
        names = ", ".join(str(p.relative_to(ROOT)) for p in stale)
        print(f"dataclass __init__ out of date in {names}: run tools/dcinit.py", file=sys.stderr)
        return 1
    if not check:
        print(f"{len(stale)} file(s) rewritten")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
