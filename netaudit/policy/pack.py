"""Rule packs: load ``policies/*.yaml`` into typed rules, and apply the city's overrides.

Input: rule-pack YAML files (SPEC §6) and the city's ``parameters`` (``city.yaml``). Output:
``RulePack`` values whose ``Rule``s carry their resolved ``CheckSpec`` and ``Params``
(check defaults < pack values < city overrides). Every problem (an unknown key, a bad
severity, an unknown check or parameter, a parameter of the wrong type, a duplicate rule id,
an override naming no rule) is reported at once in one ``PolicyError``, each as ``file:line``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from netaudit.errors import InventoryError, PolicyError
from netaudit.inventory import Inventory, Unit, UnitKind
from netaudit.inventory.yamlsrc import Located, PathKey, load_yaml
from netaudit.model import Platform
from netaudit.policy.registry import CheckSpec, Params, ParamValue, SubjectKind, get_check
from netaudit.policy.results import Severity

DEFAULT_POLICY_DIR = Path(__file__).resolve().parents[2] / "policies"
RESPONSIBLE_UNIT = "unit"  # `responsible: unit` → the unit's own `responsible` (or its name)
_RULE_ID = r"^[A-Z][A-Z0-9]*(-[A-Z0-9]+)+$"


# --------------------------------------------------------------------------- YAML shape


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Localized(_Model):
    zh: str
    en: str


class Remediation(_Model):
    """A remediation hint; ``platforms`` gives platform-specific wording (commands)."""

    zh: str
    en: str
    platforms: dict[Platform, Localized] = Field(default_factory=dict)

    def for_platform(self, platform: Platform | None) -> Localized:
        if platform is not None and platform in self.platforms:
            return self.platforms[platform]
        return Localized(zh=self.zh, en=self.en)


class RuleModel(_Model):
    id: str = Field(pattern=_RULE_ID)
    title: Localized
    clause: str
    severity: Severity
    check: str
    subject: SubjectKind
    applies_to: list[UnitKind] = Field(min_length=1)
    responsible: str = RESPONSIBLE_UNIT
    deadline: date | None = None
    parameters: dict[str, ParamValue] = Field(default_factory=dict)
    remediation: Remediation
    description: Localized | None = None


class PackModel(_Model):
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    name: Localized
    version: str
    description: Localized | None = None
    rules: list[RuleModel] = Field(min_length=1)


# --------------------------------------------------------------------------- typed rules


@dataclass(frozen=True, slots=True)
class Rule:
    """One rule, ready to run."""

    id: str
    pack: str
    title: Localized
    clause: str
    severity: Severity
    check: CheckSpec
    params: Params
    subject: SubjectKind
    applies_to: frozenset[UnitKind]
    responsible: str
    deadline: date | None
    remediation: Remediation
    file: str
    line: int

    def applies(self, unit: Unit) -> bool:
        return unit.kind in self.applies_to

    def responsible_for(self, unit: Unit) -> str:
        if self.responsible == RESPONSIBLE_UNIT:
            return unit.responsible or unit.name
        return self.responsible


@dataclass(frozen=True, slots=True)
class RulePack:
    id: str
    name: Localized
    version: str
    file: str
    rules: tuple[Rule, ...]

    def rule(self, rule_id: str) -> Rule | None:
        for r in self.rules:
            if r.id == rule_id:
                return r
        return None


@dataclass(frozen=True, slots=True)
class _Problem:
    file: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}"


def _raise(problems: Sequence[_Problem], what: str) -> None:
    if problems:
        listing = "\n".join(f"  {p}" for p in sorted(problems, key=lambda p: (p.file, p.line)))
        raise PolicyError(f"{what} has {len(problems)} problem(s):\n{listing}")


def _fmt_loc(loc: Iterable[str | int]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


_UNION_TAG = re.compile(r"^(int|float|str|bool|list\[.*\])$")


def _clean_loc(loc: tuple[str | int, ...]) -> tuple[str | int, ...]:
    """Drop pydantic's union-member tags (``int``, ``list[str]``) from an error location."""
    return tuple(p for p in loc if not (isinstance(p, str) and _UNION_TAG.match(p)))


# --------------------------------------------------------------------------- loading


def _validation_problems(src: Located, exc: ValidationError) -> list[_Problem]:
    problems: dict[tuple[str, int], _Problem] = {}
    for err in exc.errors():
        loc = _clean_loc(tuple(err["loc"]))
        line = src.line_of(loc)
        where = _fmt_loc(loc) or "top level"
        if err["type"] == "extra_forbidden":
            message = f"unknown key '{where}'"
        elif err["type"] == "missing":
            message = f"missing required key '{where}'"
        else:
            message = f"'{where}': {err['msg']}"
        # A union-typed parameter yields one error per member; keep the first per location.
        problems.setdefault((where, line), _Problem(str(src.file), line, message))
    return list(problems.values())


def _resolve_rule(
    model: RuleModel, index: int, src: Located, pack_id: str, problems: list[_Problem]
) -> Rule | None:
    file = str(src.file)

    def at(*path: str | int) -> int:
        return src.line_of(("rules", index, *path))

    spec = get_check(model.check)
    if spec is None:
        problems.append(
            _Problem(file, at("check"), f"rule {model.id}: unknown check '{model.check}'")
        )
        return None
    ok = True
    if spec.subject is not model.subject:
        problems.append(
            _Problem(
                file,
                at("subject"),
                f"rule {model.id}: check '{spec.name}' reports on '{spec.subject}' subjects, "
                f"not '{model.subject}'",
            )
        )
        ok = False
    values = spec.defaults()
    for name, value in model.parameters.items():
        param = spec.param(name)
        if param is None:
            known = ", ".join(p.name for p in spec.params) or "none"
            problems.append(
                _Problem(
                    file,
                    at("parameters", name),
                    f"rule {model.id}: check '{spec.name}' has no parameter '{name}' "
                    f"(known: {known})",
                )
            )
            ok = False
        elif not param.accepts(value):
            problems.append(
                _Problem(
                    file,
                    at("parameters", name),
                    f"rule {model.id}: parameter '{name}' must be {param.type.value}, "
                    f"not {value!r}",
                )
            )
            ok = False
        else:
            values[name] = value
    if not ok:
        return None
    return Rule(
        id=model.id,
        pack=pack_id,
        title=model.title,
        clause=model.clause,
        severity=model.severity,
        check=spec,
        params=Params(values),
        subject=model.subject,
        applies_to=frozenset(model.applies_to),
        responsible=model.responsible,
        deadline=model.deadline,
        remediation=model.remediation,
        file=file,
        line=at(),
    )


def _load(file: Path, problems: list[_Problem]) -> RulePack | None:
    try:
        src = load_yaml(file)
    except InventoryError as exc:  # load_yaml's message starts with "file:line:" or "file:"
        rest = str(exc).removeprefix(f"{file}:")
        m = re.match(r"(\d+):\s*(.*)", rest, re.S)
        line, message = (int(m.group(1)), m.group(2)) if m else (1, rest.strip())
        problems.append(_Problem(str(file), line, message))
        return None
    for key, line in src.duplicates:
        problems.append(_Problem(str(file), line, f"duplicate key '{key}'"))
    if not isinstance(src.data, dict):
        problems.append(_Problem(str(file), 1, "a rule pack is a mapping (id, name, rules)"))
        return None
    try:
        model = PackModel.model_validate(src.data)
    except ValidationError as exc:
        problems.extend(_validation_problems(src, exc))
        return None
    rules: list[Rule] = []
    seen: set[str] = set()
    for i, rule_model in enumerate(model.rules):
        if rule_model.id in seen:
            problems.append(
                _Problem(
                    str(file),
                    src.line_of(("rules", i, "id")),
                    f"duplicate rule id '{rule_model.id}'",
                )
            )
            continue
        seen.add(rule_model.id)
        rule = _resolve_rule(rule_model, i, src, model.id, problems)
        if rule is not None:
            rules.append(rule)
    return RulePack(model.id, model.name, model.version, str(file), tuple(rules))


def load_pack(file: Path) -> RulePack:
    """Load one rule pack, or raise ``PolicyError`` listing every problem with file:line."""
    problems: list[_Problem] = []
    pack = _load(file, problems)
    _raise(problems, f"rule pack {file}")
    assert pack is not None
    return pack


def load_packs(files: Sequence[Path]) -> list[RulePack]:
    """Load several packs; rule ids must be unique across them."""
    problems: list[_Problem] = []
    packs: list[RulePack] = []
    first_seen: dict[str, Rule] = {}
    for file in files:
        pack = _load(file, problems)
        if pack is None:
            continue
        for rule in pack.rules:
            other = first_seen.get(rule.id)
            if other is not None:
                problems.append(
                    _Problem(
                        rule.file,
                        rule.line,
                        f"rule id '{rule.id}' is also defined in {other.file}:{other.line}",
                    )
                )
            else:
                first_seen[rule.id] = rule
        packs.append(pack)
    _raise(problems, "the rule packs")
    return packs


def pack_files(inventory: Inventory, policy_dir: Path = DEFAULT_POLICY_DIR) -> list[Path]:
    """The packs an inventory audits against: ``city.policies`` or every pack in policy_dir.

    A relative name is looked up beside the inventory first, then in ``policy_dir``.
    """
    names = inventory.city.policies
    if names is None:
        files = sorted(policy_dir.glob("*.yaml")) + sorted(policy_dir.glob("*.yml"))
        if not files:
            raise PolicyError(f"{policy_dir}: no rule packs (*.yaml) found")
        return files
    city_file = str(inventory.root / "city.yaml")
    out: list[Path] = []
    problems: list[_Problem] = []
    for i, name in enumerate(names):
        path = Path(name)
        candidates = [path] if path.is_absolute() else [inventory.root / path, policy_dir / path]
        found = next((c for c in candidates if c.is_file()), None)
        if found is None:
            looked = ", ".join(str(c) for c in candidates)
            problems.append(
                _Problem(
                    city_file,
                    inventory.line_of("city", ("policies", i)),
                    f"rule pack '{name}' not found (looked at {looked})",
                )
            )
        else:
            out.append(found)
    _raise(problems, city_file)
    return out


# --------------------------------------------------------------------------- overrides


def apply_overrides(
    packs: Sequence[RulePack],
    overrides: Mapping[str, Mapping[str, ParamValue]],
    file: str,
    source: Located | None = None,
) -> list[RulePack]:
    """Return ``packs`` with the city's parameter overrides applied.

    Every override must name a loaded rule and a parameter its check declares, with a value
    of the right type; otherwise ``PolicyError`` names ``file`` (city.yaml) and the line.
    """

    def line(path: PathKey) -> int:
        return source.line_of(path) if source is not None else 1

    rules = {r.id: r for p in packs for r in p.rules}
    problems: list[_Problem] = []
    replaced: dict[str, Rule] = {}
    for rule_id, values in overrides.items():
        rule = rules.get(rule_id)
        if rule is None:
            problems.append(
                _Problem(
                    file,
                    line(("parameters", rule_id)),
                    f"parameters: no rule '{rule_id}' in the loaded rule packs",
                )
            )
            continue
        merged = rule.params.as_dict()
        for name, value in values.items():
            param = rule.check.param(name)
            if param is None:
                known = ", ".join(p.name for p in rule.check.params) or "none"
                problems.append(
                    _Problem(
                        file,
                        line(("parameters", rule_id, name)),
                        f"parameters.{rule_id}: rule has no parameter '{name}' (known: {known})",
                    )
                )
            elif not param.accepts(value):
                problems.append(
                    _Problem(
                        file,
                        line(("parameters", rule_id, name)),
                        f"parameters.{rule_id}.{name} must be {param.type.value}, not {value!r}",
                    )
                )
            else:
                merged[name] = value
        replaced[rule_id] = replace(rule, params=Params(merged))
    _raise(problems, file)
    return [replace(p, rules=tuple(replaced.get(r.id, r) for r in p.rules)) for p in packs]


def load_rules_for(inventory: Inventory, files: Sequence[Path] | None = None) -> list[RulePack]:
    """Load the inventory's rule packs and apply its ``city.yaml`` parameter overrides."""
    packs = load_packs(files if files is not None else pack_files(inventory))
    return apply_overrides(
        packs,
        inventory.city.parameters,
        str(inventory.root / "city.yaml"),
        inventory.sources.get("city"),
    )


__all__ = [
    "DEFAULT_POLICY_DIR",
    "Localized",
    "Remediation",
    "Rule",
    "RulePack",
    "apply_overrides",
    "load_pack",
    "load_packs",
    "load_rules_for",
    "pack_files",
]
