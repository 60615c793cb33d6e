"""JSON Schemas of the inventory files, generated from the pydantic models.

Output: ``netaudit/schemas/inventory-city.schema.json`` and ``inventory-unit.schema.json``
(shipped in the package for editors: point yaml-language-server at them). Regenerate with
``python -m netaudit.inventory.schema``; a test fails when the shipped files are stale.
"""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import BaseModel

from netaudit.inventory.models import City, Unit

SCHEMA_DIR = Path(__file__).resolve().parent.parent / "schemas"
SCHEMAS: dict[str, type[BaseModel]] = {
    "inventory-city.schema.json": City,
    "inventory-unit.schema.json": Unit,
}


def render(name: str) -> str:
    model = SCHEMAS[name]
    schema = model.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = f"netaudit:{name}"
    return json.dumps(schema, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def write_all() -> None:
    SCHEMA_DIR.mkdir(exist_ok=True)
    for name in SCHEMAS:
        (SCHEMA_DIR / name).write_text(render(name), encoding="utf-8")


if __name__ == "__main__":
    write_all()
