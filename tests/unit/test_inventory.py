"""Inventory loading and validation: every problem kind, pinned message text with file:line."""

from __future__ import annotations

import json
import shutil
from ipaddress import IPv4Address, IPv4Network
from pathlib import Path

import pytest

from netaudit.errors import InventoryError
from netaudit.inventory import load_inventory, validate_inventory
from netaudit.inventory.models import UnitKind
from netaudit.inventory.schema import SCHEMA_DIR, SCHEMAS, render
from netaudit.model import Platform

INV = Path(__file__).parent.parent / "inventories"
MINI = INV / "mini"
BROKEN = INV / "broken"

# One broken inventory per problem kind: (folder, file, line, code, message).
CASES = [
    ("unknown_key", "units/east.yaml", 29, "unknown-key", "unknown key 'devices[1].vendor'"),
    (
        "bad_prefix",
        "units/east.yaml",
        8,
        "bad-address",
        "'networks.office[0]': '172.21.10.0/33' is not valid",
    ),
    (
        "duplicate_device",
        "units/west.yaml",
        10,
        "duplicate-id",
        "duplicate device name 'east-core'",
    ),
    ("duplicate_unit", "units/west.yaml", 1, "duplicate-id", "duplicate unit id 'east'"),
    (
        "exit_unknown_device",
        "units/east.yaml",
        14,
        "unknown-device",
        "exit 'east-ct' names device 'east-fw9', which is not in the inventory",
    ),
    (
        "exit_unknown_interface",
        "units/east.yaml",
        15,
        "unknown-interface",
        "exit 'east-ct' names interface 'GigabitEthernet0/7', which device 'east-fw1'",
    ),
    (
        "overlapping_prefixes",
        "units/west.yaml",
        7,
        "overlapping-prefix",
        "unit 'west' prefix 10.61.128.0/17 overlaps 10.61.0.0/16 of unit 'east'",
    ),
    (
        "missing_config",
        "units/east.yaml",
        31,
        "missing-file",
        "device 'east-core': config file",
    ),
    (
        "inline_secret",
        "city.yaml",
        16,
        "inline-secret",
        "secret written inline at 'credentials.default.password'",
    ),
    (
        "inline_secret_device",
        "units/west.yaml",
        14,
        "inline-secret",
        "secret written inline at 'devices[0].password'",
    ),
    (
        "unknown_credentials",
        "units/west.yaml",
        13,
        "unknown-credentials",
        "device 'west-r1': credentials profile 'ops' does not exist",
    ),
    ("bad_yaml", "units/east.yaml", 4, "bad-yaml", "expected ',' or ']'"),
    ("unknown_kind", "units/east.yaml", 3, "invalid", "'kind': Input should be 'municipal'"),
]


def test_mini_inventory_loads() -> None:
    inv = load_inventory(MINI)
    assert inv.city.name == "迷你市"
    assert [u.id for u in inv.units] == ["east", "west"]
    east = inv.unit("east")
    assert east.kind is UnitKind.DISTRICT
    assert east.networks.office == [IPv4Network("172.21.10.0/24")]
    assert east.exits[0].public_ips == [IPv4Address("203.0.113.2")]
    assert east.devices[0].platform is Platform.CISCO_IOS
    assert east.networks.private[0].name == "社保专网"
    # internal_space given explicitly; the default adds 100.64.0.0/10.
    assert IPv4Network("192.168.0.0/16") in inv.city.internal_space


@pytest.mark.parametrize(("folder", "file", "line", "code", "message"), CASES)
def test_each_problem_named_with_file_and_line(
    folder: str, file: str, line: int, code: str, message: str
) -> None:
    inv_dir = BROKEN / folder
    if code == "unknown-interface":
        pytest.importorskip("netaudit.vendors.cisco_ios")
    _, problems = validate_inventory(inv_dir)
    assert problems, f"{folder}: no problem reported"
    p = problems[0]
    assert (Path(p.file), p.line, p.code) == (inv_dir / file, line, code), str(p)
    assert message in p.message
    assert str(p).startswith(f"{inv_dir / file}:{line}: ")


def test_all_problems_reported_at_once(tmp_path: Path) -> None:
    inv = tmp_path / "inv"
    shutil.copytree(MINI, inv)
    east = inv / "units/east.yaml"
    east.write_text(
        east.read_text()
        .replace("office: [172.21.10.0/24]", "office: [172.21.10.0/33]")
        .replace("device: east-fw1", "device: nope")
        .replace("    role: core\n", "    role: core\n    colour: red\n")
    )
    (inv / "configs/west-r1.cfg").unlink()
    _, problems = validate_inventory(inv)
    codes = sorted(p.code for p in problems)
    assert codes == ["bad-address", "missing-file", "unknown-device", "unknown-key"]


def test_load_raises_listing_problems() -> None:
    with pytest.raises(InventoryError) as err:
        load_inventory(BROKEN / "unknown_key")
    assert "1 problem(s)" in str(err.value)
    assert "unknown key 'devices[1].vendor'" in str(err.value)


def test_secret_values_never_echoed() -> None:
    _, problems = validate_inventory(BROKEN / "inline_secret")
    _, problems2 = validate_inventory(BROKEN / "inline_secret_device")
    text = json.dumps([p.to_data() for p in problems + problems2])
    assert "Huawei@123" not in text and "Admin@123" not in text


def test_not_a_folder(tmp_path: Path) -> None:
    with pytest.raises(InventoryError, match="not an inventory folder"):
        validate_inventory(tmp_path / "missing")
    with pytest.raises(InventoryError, match=r"city\.yaml: missing"):
        validate_inventory(tmp_path)


@pytest.mark.parametrize("name", sorted(SCHEMAS))
def test_shipped_json_schema_is_current(name: str) -> None:
    shipped = (SCHEMA_DIR / name).read_text(encoding="utf-8")
    assert shipped == render(name), "run: python -m netaudit.inventory.schema"
    schema = json.loads(shipped)
    assert schema["additionalProperties"] is False


@pytest.mark.parametrize(
    ("config", "found"),
    [
        (b"sysname fw\n#\ninterface GigabitEthernet1/0/2\n ip address 1.1.1.1 24\n", True),
        (b"interface GigabitEthernet1/0/20\n", False),  # a longer name is not the name
        (b"description interface GigabitEthernet1/0/2\n", False),  # not a block header
        (b"!\n  interface GigabitEthernet1/0/2", True),  # indented, at the end of the file
        (b"interface \t GigabitEthernet1/0/2\r\n", True),  # blanks: the header scan finds it
    ],
)
def test_exit_interface_found_in_the_config_without_parsing(
    tmp_path: Path, config: bytes, found: bool
) -> None:
    """The exit-interface check's fast path: a block header for exactly that name."""
    from netaudit.inventory.load import _declares_interface  # noqa: PLC0415

    cfg = tmp_path / "fw.cfg"
    cfg.write_bytes(config)
    assert _declares_interface(cfg, "GigabitEthernet1/0/2") is found
