"""The merchant's warehouses: STANDARD (standard shipping) and each Wish Express warehouse its account has, the
same names products (shipping per warehouse), variations (stock per warehouse) and orders use. A Wish Express
warehouse is named EXPRESS-<country> and ships to that one country."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

STANDARD = "STANDARD"
EXPRESS_PREFIX = "EXPRESS-"
TYPES = {"1": "STANDARD", "2": "EXPRESS"}  # warehouse_type -> warehouse_type_name


@dataclass(frozen=True)
class Warehouse:
    id: str
    unit_id: str  # warehouse_unit_id: the name other calls take (warehouse_name)
    type: str  # "1" Standard Shipping, "2" Wish Express
    destination_countries: tuple[str, ...]  # Wish Express only: its one country

    @property
    def type_name(self) -> str:
        return TYPES[self.type]


def warehouse_id(merchant_id: str, name: str) -> str:
    """Wish's id of the warehouse: 24 hex, the same on every call (derived from the merchant and the name)."""
    return hashlib.sha256(f"{merchant_id}:{name}".encode()).hexdigest()[:24]


def warehouse(merchant_id: str, name: str) -> Warehouse:
    if name.startswith(EXPRESS_PREFIX):
        return Warehouse(warehouse_id(merchant_id, name), name, "2", (name.removeprefix(EXPRESS_PREFIX),))
    return Warehouse(warehouse_id(merchant_id, name), name, "1", ())


def warehouses(merchant: dict[str, Any]) -> list[Warehouse]:
    """The merchant's warehouses as the doc's example lists them: the Wish Express ones (in the order the account
    has them), then STANDARD."""
    names = [n for n in dict.fromkeys(merchant["warehouses"]) if n != STANDARD]
    return [warehouse(merchant["id"], n) for n in (*names, STANDARD)]
