"""Report files written over an earlier run's keep nothing of the old text."""

from __future__ import annotations

from pathlib import Path

import pytest

from netaudit.report.overwrite import overwrite, write_text


def test_a_shorter_report_over_a_longer_one_leaves_only_the_new_text(tmp_path: Path) -> None:
    page = tmp_path / "unit.html"
    page.write_text("旧的报告：" + "failed finding\n" * 100, encoding="utf-8")
    write_text(page, "<p>新的</p>\n")
    assert page.read_text(encoding="utf-8") == "<p>新的</p>\n"
    write_text(tmp_path / "new.html", "x")  # a file that was not there
    assert (tmp_path / "new.html").read_text(encoding="utf-8") == "x"


def test_a_write_that_fails_half_way_keeps_none_of_the_old_text(tmp_path: Path) -> None:
    page = tmp_path / "findings.csv"
    page.write_bytes(b"old row\n" * 100)
    with pytest.raises(RuntimeError), overwrite(page) as fh:
        fh.write(b"new row\n")
        raise RuntimeError("disk full")
    assert page.read_bytes() == b"new row\n"
