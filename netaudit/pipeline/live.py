"""Live audits: the collection runner's per-device results → the parse stage's output.

Input: ``DeviceCollection`` values from ``netaudit.collect.runner`` (redacted configs already
parsed, routing tables attached as the device's RIB). Output: ``ParsedDevices`` — the same value
an offline audit's parse stage produces — so the rest of the audit cannot tell the two apart
except by the run's ``mode``. A device that was not collected keeps its collection status
(``timeout``, ``auth_failed``, ...) and becomes ``unknown`` in every rule that reads it.
"""

from __future__ import annotations

from collections.abc import Iterable

from netaudit.collect.result import DeviceCollection
from netaudit.pipeline.devices import ParsedDevices, record_for
from netaudit.pipeline.run import DeviceRecord, DeviceStatus


def parsed_from_collection(results: Iterable[DeviceCollection]) -> ParsedDevices:
    out = ParsedDevices()
    for c in results:
        file = f"ssh://{c.host}" if c.host else None
        if c.status.ok and c.device is not None and c.config is not None:
            record = record_for(
                c.name,
                c.unit,
                c.platform,
                role=None,
                file=file,
                device=c.device,
                redacted=c.config,
            )
            out.models[c.name] = c.device
        else:
            status = DeviceStatus(c.status.value)
            if c.status.ok:  # collected but nothing parseable came back
                status = DeviceStatus.PARSE_FAILED
            record = DeviceRecord(
                name=c.name,
                unit=c.unit,
                platform=c.platform,
                status=status,
                message=c.message or status.value,
                file=file,
                config=c.config,
            )
        out.records[c.name] = record
    return out
