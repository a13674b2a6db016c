"""Scenario files (YAML or JSON): merchants, apps, tokens, products, orders, tickets, WishPost users and parcels,
rate limits and faults, loaded in one go. `load` reads and validates a file (every problem, with its location),
`apply` writes its rows in the caller's transaction and then applies its in-memory controls. The file's JSON
Schema is scenario.schema.json beside this module (`python -m mockwish.scenarios` writes it again)."""

from __future__ import annotations

from pathlib import Path

SCHEMA_PATH = Path(__file__).with_name("scenario.schema.json")


def shipped(fixtures_dir: Path | None) -> dict[str, Path]:
    """The shipped scenarios (fixtures/scenarios/*.yaml), by name, in name order."""
    folder = fixtures_dir / "scenarios" if fixtures_dir is not None else None
    if folder is None or not folder.is_dir():
        return {}
    return {path.stem: path for path in sorted(folder.glob("*.yaml"))}
