"""Inventory: models (``models.py``), YAML with lines (``yamlsrc.py``), loading and validation."""

from netaudit.inventory.load import Inventory, Problem, load_inventory, validate_inventory
from netaudit.inventory.models import City, DeviceSpec, Unit, UnitKind

__all__ = [
    "City",
    "DeviceSpec",
    "Inventory",
    "Problem",
    "Unit",
    "UnitKind",
    "load_inventory",
    "validate_inventory",
]
