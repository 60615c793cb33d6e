"""HTML pages: self-contained, escaped, translated, with evidence and changes."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

import pytest

from netaudit.report.html import render_html
from netaudit.report.i18n import LABELS
from netaudit.report.views import HistoryPoint
from tests.report.sample_run import sample_run


@pytest.fixture
def pages(tmp_path: Path) -> Path:
    prev = sample_run("run-1", datetime(2026, 11, 18, 9, 0, tzinfo=UTC))
    history = [
        HistoryPoint("run-0", datetime(2026, 11, 11, tzinfo=UTC), 5),
        HistoryPoint("run-1", prev.started_at, 2),
    ]
    render_html(sample_run(), tmp_path, previous=prev, history=history)
    return tmp_path


def test_unit_page_shows_key_facts(pages: Path) -> None:
    html = (pages / "yanta.html").read_text(encoding="utf-8")
    assert "<h1>雁塔区" in html
    assert "雁塔区人民政府" in html
    assert "configs/yanta-fw2.cfg:41" in html
    assert "ip route-static 0.0.0.0 0.0.0.0 203.0.113.9" in html
    assert "3 internet exits found, at most 2 allowed" in html
    assert 'id="count-fail">2<' in html
    assert "<svg" in html and "yanta-fw2" in html  # exits diagram
    assert "未申报" in html  # the undeclared exit is labelled


def test_device_strings_are_escaped(pages: Path) -> None:
    html = (pages / "yanta.html").read_text(encoding="utf-8")
    assert "<script" not in html and "<img" not in html
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in html


def test_no_external_urls(pages: Path) -> None:
    for page in pages.glob("*.html"):
        html = page.read_text(encoding="utf-8")
        urls = re.findall(r"""(?:src|href)=["']?([^"' >]+)""", html)
        assert all(not re.match(r"^[a-z]+:", u) for u in urls), (page.name, urls)
        assert "http://" not in html.replace('xmlns="http://www.w3.org/2000/svg"', "")
        assert "https://" not in html


def test_index_lists_units_worst_first_with_trend(pages: Path) -> None:
    html = (pages / "index.html").read_text(encoding="utf-8")
    assert html.index("yanta.html") < html.index("beilin.html")
    assert "<polyline" in html  # the trend chart
    assert "✗" in html  # greyscale-readable marks next to colours


def test_changes_since_previous_run(tmp_path: Path) -> None:
    prev = sample_run("run-1")
    # The previous run did not have the MLPS failure: it is new now.
    prev = prev.__class__(
        **{
            **{f: getattr(prev, f) for f in prev.__dataclass_fields__},
            "results": prev.results[:2] + prev.results[3:],
        }
    )
    render_html(sample_run(), tmp_path, previous=prev)
    html = (tmp_path / "yanta.html").read_text(encoding="utf-8")
    section = html[html.index("新增问题") :]
    assert "MLPS-MGMT-SECURE-PROTOCOLS" in section.split("</ul>")[0]


def test_english_pages_have_no_chinese_labels(tmp_path: Path) -> None:
    render_html(sample_run(), tmp_path, lang="en")
    html = (tmp_path / "yanta.html").read_text(encoding="utf-8")
    for key, text in LABELS.items():
        if key == "lang_switch":
            continue
        assert f">{text['zh']}<" not in html, key
    assert "Findings" in html and "Plan requirements checklist" in html
