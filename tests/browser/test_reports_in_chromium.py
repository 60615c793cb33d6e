"""The report pages in a real headless Chromium: facts visible, links work, nothing runs,
nothing is fetched from the network, no console errors."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from netaudit.report.html import render_html
from netaudit.report.views import HistoryPoint
from tests.report.sample_run import XSS, sample_run


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("site")
    prev = sample_run("run-1", datetime(2026, 11, 18, 9, 0, tzinfo=UTC))
    render_html(
        sample_run(),
        out,
        previous=prev,
        history=[
            HistoryPoint("run-0", datetime(2026, 11, 11, tzinfo=UTC), 5),
            HistoryPoint("run-1", prev.started_at, 2),
        ],
    )
    return out


def _open(browser: Any, url: str) -> tuple[Any, list[str], list[str], list[str]]:
    page = browser.new_page()
    errors: list[str] = []
    requests: list[str] = []
    dialogs: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("request", lambda r: requests.append(r.url))
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(url)
    page.wait_for_load_state("load")
    return page, errors, requests, dialogs


def test_index_and_unit_pages(browser: Any, site: Path, artifacts: Path) -> None:
    page, errors, requests, _ = _open(browser, (site / "index.html").as_uri())
    assert "雁塔区" in page.inner_text("body")
    assert page.inner_text("#count-fail") == "2"
    page.screenshot(path=str(artifacts / "index.png"), full_page=True)
    # Follow the link to the unit page.
    page.click("text=雁塔区")
    page.wait_for_load_state("load")
    assert page.url.endswith("/yanta.html")
    body = page.inner_text("body")
    assert "configs/yanta-fw2.cfg:41" in body
    assert "3 internet exits found, at most 2 allowed" in body
    page.screenshot(path=str(artifacts / "yanta.png"), full_page=True)
    page.click("text=返回全市概览")
    page.wait_for_load_state("load")
    assert page.url.endswith("/index.html")
    assert errors == []
    assert all(u.startswith("file://") for u in requests), requests


def test_xss_payloads_show_as_text_and_never_run(browser: Any, site: Path) -> None:
    page, errors, requests, dialogs = _open(browser, (site / "yanta.html").as_uri())
    assert dialogs == [], "a script from a device string ran"
    assert page.locator("script").count() == 0
    assert page.locator("img").count() == 0
    assert XSS in page.inner_text("body")
    assert errors == []
    assert all(u.startswith("file://") for u in requests)
