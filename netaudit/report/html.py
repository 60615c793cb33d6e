"""HTML reports for the e-government office: ``index.html`` and one ``<unit>.html`` per unit.

Input: an ``AuditRun``, the previous run of the same inventory and a short history (both from
the store, optional). Output: self-contained pages (inline CSS and SVG, no script, no external
URL) rendered with Jinja2 from ``reports/templates/`` with autoescaping on everywhere and
``StrictUndefined``, so device-provided strings (descriptions, banners, names) print as text and
a template typo fails loudly instead of printing nothing.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Iterator, Sequence
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from jinja2.ext import Extension
from jinja2.lexer import Token, TokenStream
from jinja2.runtime import Macro

from netaudit import __version__
from netaudit.errors import UsageError
from netaudit.pipeline.run import AuditRun
from netaudit.report.i18n import LABELS, STATUS_MARK, Lang, Translator
from netaudit.report.overwrite import write_text
from netaudit.report.views import HistoryPoint, RunIndex, index_view, unit_view

TEMPLATE_DIR = Path(__file__).resolve().parent.parent.parent / "reports" / "templates"
SEVERITIES = ["critical", "high", "medium", "low", "info"]


def template_dir() -> Path:
    override = os.environ.get("NETAUDIT_TEMPLATES")
    path = Path(override) if override else TEMPLATE_DIR
    if not (path / "unit.html.j2").is_file():
        raise UsageError(
            f"report templates not found in {path}; set NETAUDIT_TEMPLATES to the "
            "reports/templates folder of a netaudit checkout"
        )
    return path


def environment(lang: Lang = "zh") -> Environment:
    """The Jinja2 environment of the template folder for a language; one per folder, language
    and process, so the templates are compiled once (the loader still reloads a template whose
    file changed)."""
    return _environment(template_dir(), lang)


@functools.cache
def _environment(path: Path, lang: Lang) -> Environment:
    env = Environment(
        loader=FileSystemLoader(str(path)),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        extensions=[Labels],
    )
    labels = env.extensions[Labels.identifier]
    assert isinstance(labels, Labels)
    labels.labels = {key: text[lang] for key, text in LABELS.items()}
    return env


class Labels(Extension):
    """``t("key")`` (the ``Translator`` every page gets, a literal key) compiled as the label.

    A label is a constant of the language: put in when a template compiles, it is escaped then,
    once, instead of called and escaped on every page (sixty labels a page, a page per unit: a
    call from a template costs microseconds). The page is the same. ``t`` with any other
    argument (``t("mode_" + run.mode)``) or an unknown key, and ``t.status(...)`` and the
    like, stay calls."""

    def __init__(self, environment: Environment) -> None:
        super().__init__(environment)
        self.labels: dict[str, str] = {}

    def filter_stream(self, stream: TokenStream) -> Iterator[Token]:
        tokens = list(stream)
        i = 0
        while i < len(tokens):
            token = tokens[i]
            call = tokens[i + 1 : i + 4]
            if (
                token.type == "name"
                and token.value == "t"
                and (i == 0 or tokens[i - 1].type not in ("dot", "pipe"))
                and [c.type for c in call] == ["lparen", "string", "rparen"]
                and call[1].value in self.labels
            ):
                yield Token(token.lineno, "string", self.labels[call[1].value])
                i += 4
            else:
                yield token
                i += 1


class Memo:
    """``memo(macro, *args)`` in a template: the macro's output for these arguments, rendered
    once per ``render_html`` call and reused. Only for macros whose output depends on their
    arguments and the rendering's constants (language, marks) alone: the matrix rows of
    statuses, which repeat across devices and units."""

    def __init__(self) -> None:
        self._done: dict[tuple[object, ...], str] = {}

    def __call__(self, macro: Macro, *args: Sequence[object]) -> str:
        key = (macro.name, *(tuple(a) for a in args))
        out = self._done.get(key)
        if out is None:
            out = self._done[key] = macro(*args)
        return out


def render_html(
    run: AuditRun,
    out: Path,
    *,
    lang: Lang = "zh",
    previous: AuditRun | None = None,
    history: Sequence[HistoryPoint] = (),
    exit_limit: int | None = 2,
    city_name: str | None = None,
    share: tuple[int, int, int] | None = None,
) -> list[Path]:
    """Write index.html and <unit>.html for every unit of the run; returns the paths.

    ``share=(start, stop, n)``: only the pages of the units at the positions ``i`` of the run
    with ``start <= i % n < stop``, and index.html only when ``start == 0`` (shares that
    partition ``range(n)``, rendered by different processes, write every page once, as a
    single call writes it)."""
    if lang not in ("zh", "en"):
        raise UsageError(f"--lang {lang!r}: expected zh or en")
    env = environment(lang)
    t = Translator(lang)
    common = {
        "t": t,
        "lang": lang,
        "run": run,
        "marks": STATUS_MARK,
        "severities": SEVERITIES,
        "tool_version": __version__,
        "memo": Memo(),
    }
    out.mkdir(parents=True, exist_ok=True)
    unit_tpl = env.get_template("unit.html.j2")
    index = RunIndex.of(run)
    before = RunIndex.of(previous) if previous is not None else None
    start, stop, n = share or (0, 1, 1)
    with_index = start == 0
    views = [
        unit_view(run, unit, previous, index=index, previous_index=before)
        for i, unit in enumerate(run.units)
        if with_index or start <= i % n < stop
    ]
    written = []
    for i, view in enumerate(views):
        if with_index and not start <= i % n < stop:
            continue  # (its view is needed for the overview; another share writes the page)
        path = out / view.file
        write_text(path, unit_tpl.render(common | {"u": view}))
        written.append(path)
    if not with_index:
        return written
    overview = index_view(run, views, history, exit_limit, index=index)
    path = out / "index.html"
    write_text(
        path,
        env.get_template("index.html.j2").render(
            common | {"view": overview, "city": city_name or run.inventory}
        ),
    )
    written.append(path)
    return written
