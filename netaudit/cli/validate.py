"""``netaudit validate INVENTORY``: report every problem of an inventory, each with file:line."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from netaudit.cli.exitcodes import ExitCode
from netaudit.inventory import validate_inventory


def validate(
    inventory: Annotated[Path, typer.Argument(help="Inventory folder (city.yaml, units/).")],
    as_json: Annotated[bool, typer.Option("--json", help="Print problems as JSON.")] = False,
) -> None:
    """Check an inventory: keys, prefixes, ids, exits, files, credentials."""
    inv, problems = validate_inventory(inventory)
    if as_json:
        typer.echo(
            json.dumps(
                {
                    "inventory": str(inventory),
                    "valid": not problems,
                    "problems": [p.to_data() for p in problems],
                },
                ensure_ascii=False,
                indent=2,
            )
        )
    else:
        for p in problems:
            typer.echo(str(p), err=True)
        if not problems and inv is not None:
            devices = sum(len(u.devices) for u in inv.units)
            typer.echo(f"{inventory}: valid ({len(inv.units)} units, {devices} devices)")
        else:
            typer.echo(f"{inventory}: {len(problems)} problem(s)", err=True)
    raise typer.Exit(ExitCode.INPUT_ERROR if problems else ExitCode.OK)
