"""Device model ↔ JSON-ready data.

Input: any model dataclass. Output: plain dicts/lists/strings/ints (``to_data``), used by
``netaudit parse --json``, golden tests and the store. Addresses become strings, enums their
values, tuples lists; field order is the dataclass order, so output is deterministic.
"""

from __future__ import annotations

import dataclasses
from enum import Enum
from ipaddress import IPv4Address, IPv4Interface, IPv4Network, IPv6Address, IPv6Network
from typing import TypeAlias

Json: TypeAlias = bool | int | float | str | list["Json"] | dict[str, "Json"] | None


def to_data(obj: object) -> Json:
    """Convert a model object (recursively) to JSON-ready data."""
    if obj is None or isinstance(obj, bool | int | float | str):
        return obj
    if isinstance(obj, Enum):
        value = obj.value
        return value if isinstance(value, str | int) else str(value)
    if isinstance(obj, IPv4Address | IPv4Interface | IPv4Network | IPv6Address | IPv6Network):
        return str(obj)
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return {f.name: to_data(getattr(obj, f.name)) for f in dataclasses.fields(obj)}
    if isinstance(obj, dict):
        return {str(k): to_data(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple | set | frozenset):
        items = [to_data(v) for v in obj]
        if isinstance(obj, set | frozenset):
            items.sort(key=str)
        return items
    raise TypeError(f"cannot serialize {type(obj).__name__}")
