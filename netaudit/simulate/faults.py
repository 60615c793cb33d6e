"""Fault injection for simulated devices: what goes wrong, per device, for tests and drills.

Stage: simulation. Input: a YAML or JSON file mapping device names to faults, e.g.

    yanta-fw1: {wrong_password: true}
    yanta-core: {slow: 5}              # seconds before every answer
    beilin-r1: {disconnect_mid_output: true}
    lianhu-sw1: {garbage_output: true}
    xincheng-r2: {endless_paging: true}
    weiyang-fw1: {snmp_silent: true}

Output: ``DeviceFaults`` per device name (pydantic, unknown keys rejected with their name).
"""

from __future__ import annotations

from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from netaudit.errors import UsageError


class DeviceFaults(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    wrong_password: bool = False  # every login is refused, whatever the password
    slow: float = Field(default=0.0, ge=0, description="seconds before each answer")
    disconnect_mid_output: bool = False  # the session drops halfway through the config
    garbage_output: bool = False  # the config command answers random bytes
    endless_paging: bool = False  # paging-off is ignored and the config never ends
    snmp_silent: bool = False  # the SNMP agent never answers


NO_FAULTS = DeviceFaults()


def load_faults(path: Path, known: set[str] | None = None) -> dict[str, DeviceFaults]:
    """Read a faults file; every problem names the file and the device."""
    try:
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise UsageError(f"--faults {path}: cannot read ({exc.strerror})") from None
    except yaml.YAMLError as exc:
        raise UsageError(f"--faults {path}: not YAML/JSON ({exc})") from None
    if doc is None:
        return {}
    if not isinstance(doc, dict):
        raise UsageError(f"--faults {path}: expected a mapping of device names to faults")
    out: dict[str, DeviceFaults] = {}
    for name, entry in doc.items():
        if known is not None and str(name) not in known:
            raise UsageError(f"--faults {path}: device {name!r} is not in the inventory")
        try:
            out[str(name)] = DeviceFaults.model_validate(entry or {})
        except ValidationError as exc:
            problems = "; ".join(
                f"{'.'.join(str(p) for p in e['loc']) or 'value'}: {e['msg']}" for e in exc.errors()
            )
            raise UsageError(f"--faults {path}: device {name!r}: {problems}") from None
    return out
