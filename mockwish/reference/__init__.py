"""Reference data read from the docs (shippable countries, customizable regions, units) or standards
(ISO 3166-1). Each table is loaded once per process, on first use."""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any


def _load(name: str) -> dict[str, Any]:
    return json.loads(resources.files(__package__).joinpath("data", name).read_text(encoding="utf-8"))


@cache
def shippable_countries() -> dict[str, str]:
    """Code -> name, in the docs' order (the 'Shippable Countries' table)."""
    return _load("shippable_countries.json")["countries"]


@cache
def regions() -> dict[str, dict[str, Any]]:
    """Region code (e.g. US_AK) -> {code, name, country, standard_enabled, express_enabled}."""
    return _load("regions.json")["regions"]


@cache
def iso_countries() -> dict[str, str]:
    return _load("iso_countries.json")["countries"]


@cache
def units() -> frozenset[str]:
    return frozenset(_load("units.json")["units"])


@cache
def currency_rates() -> dict[str, float]:
    """Units of the currency per USD."""
    return _load("currency_rates.json")["rates"]
