"""Load and validate an inventory folder (SPEC §4), reporting every problem at once.

Input: the inventory folder (``city.yaml``, ``units/*.yaml``, the config files they name).
Output: an ``Inventory`` (models + where each unit came from) and a list of ``Problem``s, each
with file, line, a stable code and a message. ``load_inventory`` raises ``InventoryError`` when
there is any problem; ``validate_inventory`` returns them (for ``netaudit validate``).
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from ipaddress import IPv4Network
from pathlib import Path
from typing import TypeVar

from pydantic import BaseModel, ValidationError

from netaudit.errors import InventoryError, NetauditError
from netaudit.inventory.models import City, DeviceSpec, Unit
from netaudit.inventory.yamlsrc import Located, PathKey, YamlData, load_yaml
from netaudit.vendors.base import parse_bytes

_SECRET_KEY = re.compile(r"(pass(word)?|secret|community|(auth|priv)_?key|psk|token)$", re.I)


@dataclass(frozen=True, slots=True)
class Problem:
    file: str
    line: int
    code: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}"

    def to_data(self) -> dict[str, str | int]:
        return {"file": self.file, "line": self.line, "code": self.code, "message": self.message}


def inventory_path(root: Path, relative: Path) -> Path:
    """A path the inventory gives (``config:``, ``routing_table:``), relative to its folder
    ``root`` unless absolute."""
    return relative if relative.is_absolute() else root / relative


@dataclass(slots=True)
class Inventory:
    root: Path
    city: City
    units: list[Unit]
    unit_files: dict[str, Path] = field(default_factory=dict)
    sources: dict[str, Located] = field(default_factory=dict)  # unit id (or "city") → YAML

    def device_specs(self) -> list[tuple[Unit, DeviceSpec]]:
        return [(u, d) for u in self.units for d in u.devices]

    def unit(self, unit_id: str) -> Unit:
        for u in self.units:
            if u.id == unit_id:
                return u
        raise KeyError(unit_id)

    def path(self, relative: Path) -> Path:
        return inventory_path(self.root, relative)

    def line_of(self, unit_id: str, path: PathKey) -> int:
        src = self.sources.get(unit_id)
        return src.line_of(path) if src else 1


def _fmt_loc(loc: tuple[str | int, ...]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _model_problems(
    src: Located, model: type[BaseModel], exc: ValidationError, skip: set[PathKey]
) -> list[Problem]:
    problems = []
    for err in exc.errors():
        loc = tuple(err["loc"])
        if any(loc[: len(s)] == s for s in skip):
            continue
        line = src.line_of(loc)
        where = _fmt_loc(loc)
        kind = err["type"]
        if kind == "extra_forbidden":
            key = str(loc[-1])
            if _SECRET_KEY.search(key):
                problems.append(
                    Problem(
                        str(src.file),
                        line,
                        "inline-secret",
                        f"secret written inline at '{where}': secrets never go in inventory "
                        "files; use a credentials profile in city.yaml with {env: VAR}",
                    )
                )
                continue
            problems.append(Problem(str(src.file), line, "unknown-key", f"unknown key '{where}'"))
        elif kind == "missing":
            problems.append(
                Problem(str(src.file), line, "missing-key", f"missing required key '{where}'")
            )
        elif "ipv4" in kind or "network" in kind or "address" in kind:
            value = err.get("input")
            problems.append(
                Problem(
                    str(src.file),
                    line,
                    "bad-address",
                    f"'{where}': {value!r} is not valid: {err['msg']}",
                )
            )
        else:
            problems.append(Problem(str(src.file), line, "invalid", f"'{where}': {err['msg']}"))
    return problems


def _inline_secrets(src: Located) -> tuple[list[Problem], set[PathKey]]:
    """Credential fields given as a plain value instead of {env: VAR}."""
    problems: list[Problem] = []
    skip: set[PathKey] = set()
    data = src.data
    if not isinstance(data, dict):
        return problems, skip
    creds = data.get("credentials")
    if not isinstance(creds, dict):
        return problems, skip
    for name, profile in creds.items():
        if not isinstance(profile, dict):
            continue
        for key, value in profile.items():
            if key.endswith("_protocol") or isinstance(value, dict):
                continue
            path: PathKey = ("credentials", name, key)
            skip.add(path)
            problems.append(
                Problem(
                    str(src.file),
                    src.line_of(path),
                    "inline-secret",
                    f"secret written inline at 'credentials.{name}.{key}': give "
                    f"{{env: VAR}} or {{env_file: VAR}} instead, never the value",
                )
            )
    return problems, skip


M = TypeVar("M", bound=BaseModel)


def _load_model(
    file: Path, model: type[M], problems: list[Problem]
) -> tuple[M | None, Located | None]:
    try:
        src = load_yaml(file)
    except InventoryError as exc:
        m = re.match(r"^.*?:(\d+): (.*)$", str(exc), re.S)
        line, msg = (int(m.group(1)), m.group(2)) if m else (1, str(exc).split(": ", 1)[-1])
        problems.append(Problem(str(file), line, "bad-yaml", msg))
        return None, None
    for key, line in src.duplicates:
        problems.append(Problem(str(file), line, "duplicate-key", f"duplicate key '{key}'"))
    if not isinstance(src.data, dict):
        problems.append(Problem(str(file), 1, "invalid", "expected a mapping at the top level"))
        return None, src
    inline, skip = _inline_secrets(src)
    problems.extend(inline)
    data = dict(src.data)
    raw_creds = data.get("credentials")
    if skip and isinstance(raw_creds, dict):
        # Drop inline values so the rest of the file still validates.
        creds: dict[str, YamlData] = {}
        for name, prof in raw_creds.items():
            creds[name] = (
                {k: v for k, v in prof.items() if ("credentials", name, k) not in skip}
                if isinstance(prof, dict)
                else prof
            )
        data["credentials"] = creds
    # Validate; on errors, report them, prune what was invalid and validate again, so the
    # rest of the file is still checked (semantic checks need the model) — every problem at once.
    seen: set[tuple[str, int, str]] = set()
    current: YamlData = data
    for _ in range(8):
        try:
            return model.model_validate(current), src
        except ValidationError as exc:
            for p in _model_problems(src, model, exc, skip):
                if (p.code, p.line, p.message) not in seen:
                    seen.add((p.code, p.line, p.message))
                    problems.append(p)
            pruned = _prune(current, [tuple(e["loc"]) for e in exc.errors()])
            if pruned is None:
                return None, src
            current = pruned
    return None, src


def _has(container: YamlData, part: str | int | None) -> bool:
    if isinstance(container, dict):
        return isinstance(part, str) and part in container
    if isinstance(container, list):
        return isinstance(part, int) and 0 <= part < len(container)
    return False


def _prune(data: YamlData, locs: list[tuple[str | int, ...]]) -> YamlData | None:
    """Copy of ``data`` without what each error points at; None when nothing can be removed.

    A bad key is dropped from its mapping; a missing key drops the list item that needs it.
    """
    out = copy.deepcopy(data)
    removed = False
    # Highest list index first, so earlier removals do not shift later ones.
    for loc in sorted(locs, key=lambda loc: [str(x).zfill(8) for x in loc], reverse=True):
        container: YamlData = out
        parents: list[YamlData] = []
        for part in loc[:-1]:
            parents.append(container)
            if not _has(container, part):
                container = None
                break
            container = container[part]  # type: ignore[index]
        last = loc[-1] if loc else None
        if _has(container, last):
            del container[last]  # type: ignore[arg-type, union-attr]
            removed = True
            continue
        # A missing key: drop the nearest enclosing list item.
        for depth in range(len(parents) - 1, -1, -1):
            parent, idx = parents[depth], loc[depth]
            if isinstance(parent, list) and _has(parent, idx):
                del parent[idx]  # type: ignore[arg-type]
                removed = True
                break
    return out if removed else None


def _check_units(inv: Inventory, problems: list[Problem]) -> None:
    city_file = str(inv.root / "city.yaml")
    seen_units: dict[str, str] = {}
    seen_devices: dict[str, str] = {}
    for unit in inv.units:
        file = str(inv.unit_files[unit.id])
        src = inv.sources[unit.id]
        if unit.id in seen_units:
            problems.append(
                Problem(
                    file,
                    src.line_of(("id",)),
                    "duplicate-id",
                    f"duplicate unit id '{unit.id}' (also in {seen_units[unit.id]})",
                )
            )
        seen_units.setdefault(unit.id, file)
        names = {d.name for d in unit.devices}
        for i, dev in enumerate(unit.devices):
            line = src.line_of(("devices", i, "name"))
            if dev.name in seen_devices:
                problems.append(
                    Problem(
                        file,
                        line,
                        "duplicate-id",
                        f"duplicate device name '{dev.name}' (also in {seen_devices[dev.name]})",
                    )
                )
            seen_devices.setdefault(dev.name, file)
            for attr in ("config", "routing_table"):
                rel = getattr(dev, attr)
                if rel is not None and not inv.path(rel).is_file():
                    problems.append(
                        Problem(
                            file,
                            src.line_of(("devices", i, attr)),
                            "missing-file",
                            f"device '{dev.name}': {attr} file {inv.path(rel)} does not exist",
                        )
                    )
            for attr, profile in (
                ("credentials", dev.credentials),
                ("snmp", dev.snmp.credentials if dev.snmp else None),
            ):
                if profile is not None and profile not in inv.city.credentials:
                    known = ", ".join(sorted(inv.city.credentials)) or "none"
                    problems.append(
                        Problem(
                            file,
                            src.line_of(("devices", i, attr)),
                            "unknown-credentials",
                            f"device '{dev.name}': credentials profile '{profile}' does not "
                            f"exist in {city_file} (known: {known})",
                        )
                    )
        exit_ids: set[str] = set()
        for i, ex in enumerate(unit.exits):
            if ex.id in exit_ids:
                problems.append(
                    Problem(
                        file,
                        src.line_of(("exits", i, "id")),
                        "duplicate-id",
                        f"duplicate exit id '{ex.id}'",
                    )
                )
            exit_ids.add(ex.id)
            if ex.device not in names and not any(
                ex.device in {d.name for d in u.devices} for u in inv.units
            ):
                problems.append(
                    Problem(
                        file,
                        src.line_of(("exits", i, "device")),
                        "unknown-device",
                        f"exit '{ex.id}' names device '{ex.device}', which is not in the inventory",
                    )
                )
        probe_ids: set[str] = set()
        for i, pr in enumerate(unit.probes):
            if pr.id in probe_ids:
                problems.append(
                    Problem(
                        file,
                        src.line_of(("probes", i, "id")),
                        "duplicate-id",
                        f"duplicate probe id '{pr.id}'",
                    )
                )
            probe_ids.add(pr.id)


def _unit_prefixes(unit: Unit) -> list[tuple[IPv4Network, PathKey]]:
    out: list[tuple[IPv4Network, PathKey]] = []
    nets = unit.networks
    for plane in ("intranet", "extranet", "management"):
        for i, p in enumerate(getattr(nets, plane)):
            out.append((p, ("networks", plane, i)))
    for j, priv in enumerate(nets.private):
        for i, p in enumerate(priv.prefixes):
            out.append((p, ("networks", "private", j, "prefixes", i)))
    return out


def _check_overlaps(inv: Inventory, problems: list[Problem]) -> None:
    """Prefixes of two different units must not overlap (planes would be ambiguous)."""
    entries = [(unit, net, path) for unit in inv.units for net, path in _unit_prefixes(unit)]
    entries.sort(key=lambda e: (int(e[1].network_address), -e[1].prefixlen))
    # Sorted by start address: an overlap is always with an earlier still-open prefix.
    open_: list[tuple[Unit, IPv4Network, PathKey]] = []
    for unit, net, path in entries:
        open_ = [e for e in open_ if int(e[1].broadcast_address) >= int(net.network_address)]
        for other_unit, other, _ in open_:
            if other_unit.id != unit.id and net.overlaps(other):
                problems.append(
                    Problem(
                        str(inv.unit_files[unit.id]),
                        inv.line_of(unit.id, path),
                        "overlapping-prefix",
                        f"unit '{unit.id}' prefix {net} overlaps {other} of unit "
                        f"'{other_unit.id}' ({inv.unit_files[other_unit.id]})",
                    )
                )
        open_.append((unit, net, path))


# An `interface NAME` block header at the start of a line (every platform writes the full name
# there, the form an inventory's exits use).
_INTERFACE_HEADER = re.compile(rb"^[ \t]*interface[ \t]+([^\s]+)", re.MULTILINE)


def _declares_interface(path: Path, name: str) -> bool:
    """Whether the config has an `interface NAME` block header, found without parsing.

    The fast path of the exit-interface check: a name found here is an interface of the parsed
    device; one not found here is confirmed (or refuted) by a full parse. Parsing every exit
    device here was most of the inventory loading time on a large city; so was collecting
    every header with a regular expression (the name is looked for instead).
    """
    try:
        data = path.read_bytes()
    except OSError:
        return False
    wanted = name.encode("utf-8", "replace")
    needle = b"interface " + wanted
    at = data.find(needle)
    while at >= 0:
        start = data.rfind(b"\n", 0, at) + 1
        end = at + len(needle)
        if not data[start:at].strip(b" \t") and (end == len(data) or data[end : end + 1].isspace()):
            return True
        at = data.find(needle, at + 1)
    # Not in the usual form (several blanks after `interface`, say): every header.
    return any(m == wanted for m in _INTERFACE_HEADER.findall(data))


def _check_exit_interfaces(inv: Inventory, problems: list[Problem]) -> None:
    """An exit's interface must exist on its device (needs the device's config)."""
    specs = {d.name: d for _, d in inv.device_specs()}
    cache: dict[str, set[str] | None] = {}
    for unit in inv.units:
        src = inv.sources[unit.id]
        for i, ex in enumerate(unit.exits):
            spec = specs.get(ex.device)
            if spec is None or spec.config is None or not inv.path(spec.config).is_file():
                continue
            if _declares_interface(inv.path(spec.config), ex.interface):
                continue
            if ex.device not in cache:
                try:
                    data = inv.path(spec.config).read_bytes()
                    dev = parse_bytes(data, spec.platform, str(spec.config), spec.name)
                    cache[ex.device] = set(dev.interfaces)
                except (NetauditError, ImportError):
                    cache[ex.device] = None
            interfaces = cache[ex.device]
            if interfaces is not None and ex.interface not in interfaces:
                problems.append(
                    Problem(
                        str(inv.unit_files[unit.id]),
                        src.line_of(("exits", i, "interface")),
                        "unknown-interface",
                        f"exit '{ex.id}' names interface '{ex.interface}', which device "
                        f"'{ex.device}' ({spec.config}) does not have",
                    )
                )


def validate_inventory(
    root: Path, on_unit: Callable[[Unit], None] | None = None
) -> tuple[Inventory | None, list[Problem]]:
    """Load ``root`` and return the inventory (None if unusable) and every problem found.
    ``on_unit`` is handed each unit as soon as its file is read (the audit starts parsing its
    devices meanwhile); the inventory may still turn out invalid."""
    problems: list[Problem] = []
    if not root.is_dir():
        raise InventoryError(f"{root}: not an inventory folder (expected city.yaml and units/)")
    city_file = root / "city.yaml"
    if not city_file.is_file():
        raise InventoryError(f"{city_file}: missing; an inventory folder needs city.yaml")
    city, city_src = _load_model(city_file, City, problems)
    units: list[Unit] = []
    unit_files: dict[str, Path] = {}
    sources: dict[str, Located] = {}
    unit_dir = root / "units"
    files = sorted(unit_dir.glob("*.yaml")) + sorted(unit_dir.glob("*.yml"))
    if not files:
        problems.append(Problem(str(unit_dir), 1, "no-units", "no unit files (units/*.yaml)"))
    for file in files:
        unit, src = _load_model(file, Unit, problems)
        if unit is None or src is None:
            continue
        if unit.id in unit_files:
            problems.append(
                Problem(
                    str(file),
                    src.line_of(("id",)),
                    "duplicate-id",
                    f"duplicate unit id '{unit.id}' (also in {unit_files[unit.id]})",
                )
            )
            continue
        units.append(unit)
        unit_files[unit.id] = file
        sources[unit.id] = src
        if on_unit is not None:
            on_unit(unit)
    if city is None:
        return None, problems
    if city_src is not None:
        sources["city"] = city_src
    inv = Inventory(root, city, units, unit_files, sources)
    _check_units(inv, problems)
    _check_overlaps(inv, problems)
    _check_exit_interfaces(inv, problems)
    problems.sort(key=lambda p: (p.file, p.line, p.code))
    return inv, problems


def load_city(root: Path) -> City:
    """Only the inventory's ``city.yaml`` (name, parameters), validated; for a caller that
    needs no unit (``netaudit report``: reading 5,000 devices' units took seconds)."""
    city_file = root / "city.yaml"
    if not city_file.is_file():
        raise InventoryError(f"{city_file}: missing; an inventory folder needs city.yaml")
    problems: list[Problem] = []
    city, _ = _load_model(city_file, City, problems)
    if problems or city is None:
        listing = "\n".join(f"  {p}" for p in problems)
        raise InventoryError(f"{city_file} has {len(problems)} problem(s):\n{listing}")
    return city


def load_inventory(root: Path, on_unit: Callable[[Unit], None] | None = None) -> Inventory:
    """Load a valid inventory or raise ``InventoryError`` listing every problem
    (``on_unit``: as in ``validate_inventory``)."""
    inv, problems = validate_inventory(root, on_unit)
    if problems or inv is None:
        listing = "\n".join(f"  {p}" for p in problems)
        raise InventoryError(
            f"inventory {root} has {len(problems)} problem(s):\n{listing}", list(problems)
        )
    return inv
