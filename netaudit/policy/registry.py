"""The check registry: named check functions, their subject kind and typed parameters.

Input: modules that decorate functions with ``@register("mlps.telnet", subject=..., params=...)``
(the built-ins in ``netaudit/policy/checks/`` and third-party plugins exposed through the
``netaudit.checks`` entry-point group are registered the same way). Output: ``CheckSpec`` look-ups
for the pack loader (which validates rule packs against them) and the engine (which runs them),
plus the small types a check works with: ``Scope`` (what it may read), ``Params`` (its resolved
parameters, typed) and ``Outcome`` (one subject's status, message and evidence).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from importlib.metadata import entry_points

from netaudit.errors import PolicyError
from netaudit.inventory import Unit
from netaudit.model import Device
from netaudit.policy.context import AuditContext
from netaudit.policy.results import Evidence, NoteEvidence, Status

ParamValue = int | float | str | bool | list[str] | list[int]

BUILTIN_CHECK_MODULES = (
    "netaudit.policy.checks.mlps",
    "netaudit.policy.checks.plan",
)
ENTRY_POINT_GROUP = "netaudit.checks"


class SubjectKind(StrEnum):
    """What a rule's results are about (SPEC §8 "Subjects")."""

    UNIT = "unit"  # subject: the unit id
    DEVICE = "device"  # the device name
    EXIT = "exit"  # device:interface
    OFFICE_SUBNET = "office_subnet"  # the prefix
    PRIVATE_NETWORK = "private_network"  # the prefix (or the network's name)
    PROBE = "probe"  # the probe id


class ParamType(StrEnum):
    INT = "int"
    FLOAT = "float"
    BOOL = "bool"
    STR = "str"
    INT_LIST = "int_list"
    STR_LIST = "str_list"


@dataclass(frozen=True, slots=True)
class Param:
    """A parameter a check accepts: name, type and the default used when a pack omits it."""

    name: str
    type: ParamType
    default: ParamValue
    doc: str = ""

    def accepts(self, value: object) -> bool:
        match self.type:
            case ParamType.INT:
                return isinstance(value, int) and not isinstance(value, bool)
            case ParamType.FLOAT:
                return isinstance(value, int | float) and not isinstance(value, bool)
            case ParamType.BOOL:
                return isinstance(value, bool)
            case ParamType.STR:
                return isinstance(value, str)
            case ParamType.INT_LIST:
                return isinstance(value, list) and all(
                    isinstance(v, int) and not isinstance(v, bool) for v in value
                )
            case ParamType.STR_LIST:
                return isinstance(value, list) and all(isinstance(v, str) for v in value)


class Params:
    """A check's resolved parameters (defaults < pack < city), read with typed getters."""

    __slots__ = ("_values",)

    def __init__(self, values: Mapping[str, ParamValue]) -> None:
        self._values = dict(values)

    def _get(self, name: str) -> ParamValue:
        try:
            return self._values[name]
        except KeyError:
            raise KeyError(f"parameter {name!r} is not declared by this check") from None

    def get_int(self, name: str) -> int:
        value = self._get(name)
        assert isinstance(value, int) and not isinstance(value, bool), name
        return value

    def get_float(self, name: str) -> float:
        value = self._get(name)
        assert isinstance(value, int | float) and not isinstance(value, bool), name
        return float(value)

    def get_bool(self, name: str) -> bool:
        value = self._get(name)
        assert isinstance(value, bool), name
        return value

    def get_str(self, name: str) -> str:
        value = self._get(name)
        assert isinstance(value, str), name
        return value

    def get_int_list(self, name: str) -> list[int]:
        value = self._get(name)
        assert isinstance(value, list), name
        return [v for v in value if isinstance(v, int)]

    def get_str_list(self, name: str) -> list[str]:
        value = self._get(name)
        assert isinstance(value, list), name
        return [v for v in value if isinstance(v, str)]

    def as_dict(self) -> dict[str, ParamValue]:
        return dict(self._values)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Params) and other._values == self._values

    def __hash__(self) -> int:
        return hash(tuple(sorted((k, repr(v)) for k, v in self._values.items())))

    def __repr__(self) -> str:
        return f"Params({self._values!r})"


@dataclass(frozen=True, slots=True)
class Outcome:
    """One subject's result as a check reports it; the engine adds the rule's metadata.

    ``subject``/``device`` default to the device (device rules) or the unit id (others).
    """

    status: Status
    message: str
    evidence: tuple[Evidence, ...] = ()
    subject: str | None = None
    device: str | None = None

    @classmethod
    def passed(
        cls,
        message: str,
        *evidence: Evidence,
        subject: str | None = None,
        device: str | None = None,
    ) -> Outcome:
        return cls(Status.PASS, message, tuple(evidence), subject, device)

    @classmethod
    def failed(
        cls,
        message: str,
        *evidence: Evidence,
        subject: str | None = None,
        device: str | None = None,
    ) -> Outcome:
        return cls(Status.FAIL, message, tuple(evidence), subject, device)

    @classmethod
    def unknown(
        cls,
        message: str,
        *evidence: Evidence,
        subject: str | None = None,
        device: str | None = None,
    ) -> Outcome:
        return cls(Status.UNKNOWN, message, tuple(evidence), subject, device)

    @classmethod
    def not_applicable(
        cls,
        message: str,
        *evidence: Evidence,
        subject: str | None = None,
        device: str | None = None,
    ) -> Outcome:
        return cls(Status.NOT_APPLICABLE, message, tuple(evidence), subject, device)


def note(text: str) -> NoteEvidence:
    return NoteEvidence(text)


@dataclass(frozen=True, slots=True)
class Scope:
    """What one check call may read: the context, the unit, its parameters and, for device
    rules, the device (always parsed: the engine answers ``unknown`` for the others)."""

    ctx: AuditContext
    unit: Unit
    params: Params
    rule: str
    device: Device | None = None

    def require_device(self) -> Device:
        if self.device is None:
            raise RuntimeError(f"rule {self.rule}: a device check was called without a device")
        return self.device


CheckResult = Outcome | Iterable[Outcome]
CheckFn = Callable[[Scope], CheckResult]


@dataclass(frozen=True, slots=True)
class CheckSpec:
    name: str
    fn: CheckFn
    subject: SubjectKind
    params: tuple[Param, ...]
    doc: str
    # False: the check reads only its scope's device, unit, parameters and the inventory,
    # never the network analysis, so it may run while the analysis is built elsewhere.
    reads_network: bool = True

    def param(self, name: str) -> Param | None:
        for p in self.params:
            if p.name == name:
                return p
        return None

    def defaults(self) -> dict[str, ParamValue]:
        return {p.name: p.default for p in self.params}


_REGISTRY: dict[str, CheckSpec] = {}


def register(
    name: str,
    *,
    subject: SubjectKind,
    params: Iterable[Param] = (),
    reads_network: bool = True,
) -> Callable[[CheckFn], CheckFn]:
    """Register ``fn`` as check ``name``; built-ins and plugins use this same decorator.

    ``reads_network=False`` promises the check never reads ``scope.ctx.network`` (nor
    ``network_error``): a big audit then runs it while the network analysis is being built in
    another process, where the context has no analysis yet (issue 9). Leave it True unless
    the check only looks at the device, the unit, its parameters and the inventory.
    """

    def decorate(fn: CheckFn) -> CheckFn:
        existing = _REGISTRY.get(name)
        if existing is not None and existing.fn is not fn:
            where = f"{existing.fn.__module__}.{existing.fn.__qualname__}"
            raise PolicyError(f"check {name!r} is registered twice (first by {where})")
        doc = (fn.__doc__ or "").strip().split("\n", 1)[0]
        _REGISTRY[name] = CheckSpec(name, fn, subject, tuple(params), doc, reads_network)
        return fn

    return decorate


def unregister(name: str) -> None:
    """Remove a check (tests register throw-away checks)."""
    _REGISTRY.pop(name, None)


_loaded: set[str] = set()  # "builtins" once the built-in modules and plugins are imported


def load_checks() -> None:
    """Import the built-in check modules and every ``netaudit.checks`` entry point, once."""
    if _loaded:
        return
    for module in BUILTIN_CHECK_MODULES:
        importlib.import_module(module)
    for ep in entry_points(group=ENTRY_POINT_GROUP):
        try:
            ep.load()
        except Exception as exc:  # a broken plugin is a user-fixable problem
            raise PolicyError(
                f"check plugin {ep.name!r} ({ep.value}) failed to load: {type(exc).__name__}"
            ) from exc
    _loaded.add("builtins")


def get_check(name: str) -> CheckSpec | None:
    load_checks()
    return _REGISTRY.get(name)


def registered() -> Mapping[str, CheckSpec]:
    load_checks()
    return dict(_REGISTRY)


__all__ = [
    "CheckFn",
    "CheckResult",
    "CheckSpec",
    "Outcome",
    "Param",
    "ParamType",
    "ParamValue",
    "Params",
    "Scope",
    "SubjectKind",
    "get_check",
    "load_checks",
    "note",
    "register",
    "registered",
    "unregister",
]
