"""Build rule-check cases (napalm-style triplets) from their folders.

A case is ``tests/checks/<RULE-ID>/<case>/`` holding ``case.yaml`` (the unit, the devices and
what the case is about) and ``expected.json`` (the rule's results, ``Result.to_data()``).
``probes:`` lists probe observations (absent: no probe ran).
A device is either a config file parsed by its vendor parser (``config: r1.cfg``), a device
model written in YAML (``model:``, field names of ``netaudit.model``), or a failure
(``failure: {status, reason}``: the device could not be collected or parsed).

Model shorthands, to keep cases small: a ``Source`` is ``"LINE: text"`` (the file is the
device's), a ``Flag`` or ``IntSetting`` may be a bare value (explicit), and an interface or
ACL dict entry takes its ``name`` from its key.
"""

from __future__ import annotations

import ast
import dataclasses
import functools
import sys
import types
from collections.abc import Mapping
from enum import Enum
from ipaddress import IPv4Address, IPv4Interface, IPv4Network
from pathlib import Path
from typing import Any, Union, get_args, get_origin

import yaml

from netaudit.inventory import Inventory
from netaudit.inventory.models import City, Unit
from netaudit.model import Device, Flag, IntSetting, Platform, Source
from netaudit.policy.context import AuditContext, DeviceFailure, ForwardingHost, ProbeObservation
from netaudit.vendors.base import parse_bytes


class CaseError(Exception):
    pass


@functools.cache
def _field_types(tp: type) -> dict[str, Any]:
    """The dataclass's field types, read from its module's source file.

    ``get_type_hints`` would do for an interpreted class, but a class compiled with mypyc
    (``netaudit._native``) keeps only the erased runtime types (``list``, not ``list[Source]``):
    the annotations are taken from the class bodies in the source and evaluated in the
    module's namespace, whichever of the two is loaded.
    """
    hints: dict[str, Any] = {}
    for cls in reversed(tp.__mro__):
        module = sys.modules.get(cls.__module__)
        if module is None or not dataclasses.is_dataclass(cls) or module.__file__ is None:
            continue
        source = Path(module.__file__).with_name(cls.__module__.rsplit(".", 1)[-1] + ".py")
        tree = ast.parse(source.read_text(encoding="utf-8"))
        body = next(
            node.body
            for node in ast.walk(tree)
            if isinstance(node, ast.ClassDef) and node.name == cls.__name__
        )
        namespace = {**vars(module), "Union": Union}
        for stmt in body:
            if isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name):
                hints[stmt.target.id] = eval(ast.unparse(stmt.annotation), namespace)
    return hints


def _build(tp: Any, data: Any, file: str, where: str) -> Any:
    origin = get_origin(tp)
    if origin is Union or origin is types.UnionType:
        args = [a for a in get_args(tp) if a is not type(None)]
        if data is None:
            return None
        errors = []
        for arg in args:
            try:
                return _build(arg, data, file, where)
            except (CaseError, TypeError, ValueError) as exc:
                errors.append(str(exc))
        raise CaseError(f"{where}: {data!r} fits none of {args}: {errors}")
    if origin is list:
        (item,) = get_args(tp)
        return [_build(item, x, file, f"{where}[{i}]") for i, x in enumerate(data or [])]
    if origin is tuple:
        items = get_args(tp)
        pairs = enumerate(zip(items, data, strict=True))
        return tuple(_build(t, x, file, f"{where}[{i}]") for i, (t, x) in pairs)
    if origin is dict:
        _, value_tp = get_args(tp)
        out = {}
        for key, raw in (data or {}).items():
            value = raw
            if isinstance(raw, dict) and dataclasses.is_dataclass(value_tp):
                names = {f.name for f in dataclasses.fields(value_tp)}
                if "name" in names and "name" not in raw:
                    value = {"name": key, **raw}
            out[key] = _build(value_tp, value, file, f"{where}.{key}")
        return out
    if tp is Source:
        if isinstance(data, str):
            line, _, text = data.partition(":")
            return Source(file, int(line), text.strip())
        return Source(data.get("file", file), int(data["line"]), data["text"])
    if tp in (Flag, IntSetting) and not isinstance(data, dict):
        return tp(data, explicit=True)
    if dataclasses.is_dataclass(tp) and isinstance(tp, type):
        if not isinstance(data, dict):
            raise CaseError(f"{where}: expected a mapping for {tp.__name__}, got {data!r}")
        hints = _field_types(tp)
        names = {f.name for f in dataclasses.fields(tp)}
        unknown = set(data) - names
        if unknown:
            raise CaseError(f"{where}: {tp.__name__} has no field(s) {sorted(unknown)}")
        kwargs = {k: _build(hints[k], v, file, f"{where}.{k}") for k, v in data.items()}
        return tp(**kwargs)
    if isinstance(tp, type) and issubclass(tp, Enum):
        return tp(data)
    if tp in (IPv4Address, IPv4Interface, IPv4Network):
        return tp(data)
    if tp is bool:
        if not isinstance(data, bool):
            raise CaseError(f"{where}: expected a boolean, got {data!r}")
        return data
    if tp is int:
        if isinstance(data, bool) or not isinstance(data, int):
            raise CaseError(f"{where}: expected an integer, got {data!r}")
        return data
    if tp is str:
        if not isinstance(data, str):
            raise CaseError(f"{where}: expected a string, got {data!r}")
        return data
    raise CaseError(f"{where}: cannot build {tp!r}")


def build_device(name: str, platform: str, model: Mapping[str, Any]) -> Device:
    file = str(model.get("file", f"configs/{name}.cfg"))
    data = {"name": name, "platform": platform, "file": file, **model}
    device = _build(Device, data, file, name)
    assert isinstance(device, Device)
    return device


def _parse_config(case: Path, name: str, platform: str, config: str) -> Device:
    return parse_bytes((case / config).read_bytes(), platform, f"configs/{config}", name)


DEFAULT_UNIT: dict[str, Any] = {
    "id": "u1",
    "name": "测试区",
    "kind": "district",
    "responsible": "测试区人民政府",
}


def load_case(case: Path) -> AuditContext:
    """The audit context a case describes."""
    spec = yaml.safe_load((case / "case.yaml").read_text(encoding="utf-8"))
    city = City.model_validate({"id": "test", "name": "测试市", **spec.get("city", {})})
    devices: dict[str, Device] = {}
    failures: dict[str, DeviceFailure] = {}
    specs = []
    for name, dev in spec.get("devices", {}).items():
        platform = Platform(dev.get("platform", "huawei"))
        role = {"role": dev["role"]} if "role" in dev else {}
        specs.append({"name": name, "platform": platform.value, **role})
        if "failure" in dev:
            failures[name] = DeviceFailure(dev["failure"]["status"], dev["failure"]["reason"])
        elif "config" in dev:
            devices[name] = _parse_config(case, name, platform.value, dev["config"])
        elif "model" in dev:
            devices[name] = build_device(name, platform.value, dev["model"] or {})
    unit_data = {**DEFAULT_UNIT, **spec.get("unit", {}), "devices": specs}
    unit = Unit.model_validate(unit_data)
    inventory = Inventory(case, city, [unit], {unit.id: case / "case.yaml"}, {})
    probes = None
    if "probes" in spec:
        probes = [_probe(p, unit.id) for p in spec["probes"] or []]
    return AuditContext.build(inventory, devices, failures, probes=probes)


def _probe(data: Mapping[str, Any], unit: str) -> ProbeObservation:
    forwarders = data.get("forwarders")
    return ProbeObservation(
        probe=data["probe"],
        unit=data.get("unit", unit),
        observed_sources=tuple(IPv4Address(a) for a in data.get("observed_sources", [])),
        forwarders=None
        if forwarders is None
        else tuple(
            ForwardingHost(
                IPv4Address(f["address"]),
                f.get("mac"),
                IPv4Address(f["observed_source"]) if f.get("observed_source") else None,
            )
            for f in forwarders
        ),
        error=data.get("error"),
    )
