"""Every field of every stored dataclass is stored: a new field must be added to the codec."""

from __future__ import annotations

import dataclasses

import pytest

from netaudit.pipeline.run import AuditRun
from netaudit.store.codec import COVERED_FIELDS

# AuditRun's own fields are stored by Store.begin_run / finish_run (runs table) and the
# child tables; listed here so a new AuditRun field also fails this test.
AUDITRUN_STORED = {
    "id", "inventory", "inventory_path", "mode", "started_at", "finished_at", "status",
    "tool_version", "units", "devices", "exits", "probes", "results", "notes",
}  # fmt: skip


@pytest.mark.parametrize("cls", list(COVERED_FIELDS), ids=lambda c: c.__name__)
def test_codec_stores_every_field(cls: type) -> None:
    fields = {f.name for f in dataclasses.fields(cls)}
    assert fields == COVERED_FIELDS[cls], (
        f"{cls.__name__} fields changed: add them to netaudit/store/codec.py (and a migration)"
    )


def test_auditrun_fields_are_all_stored() -> None:
    assert {f.name for f in dataclasses.fields(AuditRun)} == AUDITRUN_STORED
