"""The parse stage survives a parser bug: that device is `parse_failed` with the reason, the
others are parsed, and the audit goes on (a mock parser bug: a real one cannot be made on
demand once it is fixed)."""

from __future__ import annotations

from pathlib import Path

import pytest

from netaudit.inventory import load_inventory
from netaudit.pipeline import devices
from netaudit.pipeline.run import DeviceStatus

MINI = Path(__file__).parents[1] / "inventories" / "mini"


def test_a_parser_bug_fails_one_device_not_the_run(monkeypatch: pytest.MonkeyPatch) -> None:
    inv = load_inventory(MINI)
    names = [spec.name for _, spec in inv.device_specs() if spec.config is not None]
    victim = names[0]
    real = devices.parse_config

    def buggy(data: bytes, platform: str, file: str, name: str | None = None):  # type: ignore[no-untyped-def]
        if name == victim:
            raise TypeError("a bug")
        return real(data, platform, file, name)

    monkeypatch.setattr(devices, "parse_config", buggy)
    parsed = devices.parse_inventory(inv, workers=1)
    record = parsed.records[victim]
    assert record.status is DeviceStatus.PARSE_FAILED
    assert record.message is not None
    assert "internal parser error (TypeError at test_parse_stage.py:" in record.message
    assert victim not in parsed.models
    assert all(parsed.records[n].status is DeviceStatus.OK for n in names[1:])
    assert len(names) > 1
