"""The operations of the Wish Returns Program, one per endpoint, without HTTP: each reads the store, applies the
rules (mockwish.merchant.returns.rules) and writes, or raises the registry's WishError before writing anything."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection

from mockwish.errors import WishError
from mockwish.ids import ordered_id
from mockwish.merchant.catalogue import store as catalogue
from mockwish.merchant.returns import errors, rules, store

Row = dict[str, Any]
CONTACTS = ("phone_number", "email")
OPTIONAL = ("street_address2", *CONTACTS)  # may be absent (None); every other field of a warehouse is required


def default_name(city: str) -> str:
    """warehouse_name when a create leaves it out (the doc's own example does)."""
    return f"{city} Return Warehouse"


def create_warehouse(conn: Connection, *, merchant_id: str, values: Row, now: datetime,
                     validation: timedelta) -> Row:
    """A new return warehouse, VALIDATING until now + `validation`. `values`: the fields sent (stripped; an
    optional field left blank is None). ship_to defaults to the merchant's name, warehouse_name to the city's."""
    region = values["region"]
    country = rules.country_of(region, values["country"])
    rules.check_contacts(region, values)
    if not values.get("ship_to"):
        merchant = catalogue.find_merchant(conn, merchant_id)
        assert merchant is not None  # the authenticated merchant exists
        values = {**values, "ship_to": merchant["name"]}
    row: Row = {
        "id": ordered_id(now), "merchant_id": merchant_id, "region": region, "country": country,
        "warehouse_name": values.get("warehouse_name") or default_name(values["city"]), "ship_to": values["ship_to"],
        **{k: values[k] for k in ("city", "state", "zipcode", "street_address1")},
        **{k: values.get(k) or None for k in OPTIONAL},
        "undeliverable": False, "created_at": now, "last_updated": now,
    }
    row |= {"validate_at": now + validation, "outcome": rules.outcome(row)}
    store.insert_warehouses(conn, [row])
    return row


def edit_warehouse(conn: Connection, *, merchant_id: str, warehouse_id: str, changes: Row, now: datetime,
                   validation: timedelta) -> None:
    """Apply the fields sent. An address that changes is validated anew (VALIDATING until now + `validation`,
    and no longer marked undeliverable); a name, ship_to or contact change keeps the warehouse's state."""
    row = _warehouse(conn, merchant_id, warehouse_id)
    rules.check_contacts(row["region"], {**row, **changes})
    values = {k: v for k, v in changes.items() if v != row[k]}
    if rules.address_changed(row, values):
        values |= {"validate_at": now + validation, "outcome": rules.outcome({**row, **values}),
                   "undeliverable": False}
    if values:
        store.update_warehouse(conn, merchant_id, warehouse_id, {**values, "last_updated": now})


def enroll(conn: Connection, *, merchant_id: str, product_id: str, region: str, warehouse_id: str,
           now: datetime) -> None:
    """Enable returns of the product in `region` to the warehouse; enrolling again changes the warehouse."""
    product = _product(conn, merchant_id, product_id)
    if product["removed_by_merchant"]:
        raise WishError("product_removed", id=product_id)
    wh = _warehouse(conn, merchant_id, warehouse_id)
    if wh["region"] != region:
        raise WishError(errors.REGION_MISMATCH, warehouse_id=warehouse_id, warehouse_region=wh["region"],
                        region=region)
    state = rules.address_state(wh, now)
    if state == rules.VALIDATING:
        raise WishError(errors.WAREHOUSE_VALIDATING, warehouse_id=warehouse_id)
    if state == rules.INVALID:
        raise WishError(errors.WAREHOUSE_INVALID, warehouse_id=warehouse_id)
    missing = rules.first_without(catalogue.variants_of(conn, merchant_id, [product_id])[product_id])
    if missing is not None:
        raise WishError(errors.NO_LOGISTICS, id=product_id, sku=missing["sku"])
    store.save_setting(conn, merchant_id, product_id, region, warehouse_id, now)


def disable(conn: Connection, *, merchant_id: str, product_id: str, region: str, now: datetime) -> None:
    """Returns of the product in `region` stop; the setting stays, inactive."""
    _product(conn, merchant_id, product_id)
    found = store.setting(conn, merchant_id, product_id, region)
    if found is None or not found["is_active"]:
        raise WishError(errors.NOT_ENROLLED, id=product_id, region=region)
    store.deactivate(conn, merchant_id, product_id, region, now)


def settings(conn: Connection, *, merchant_id: str, product_id: str) -> list[Row]:
    _product(conn, merchant_id, product_id)
    return store.settings_of(conn, merchant_id, product_id)


def dimensions(conn: Connection, *, merchant_id: str, product_id: str, variation_id: str | None
               ) -> tuple[str, dict[str, float]]:
    """(variation_id, dimensions): a variation's own, or without one the product's (the box every variation
    fits in, variation_id "")."""
    _product(conn, merchant_id, product_id)
    variants = catalogue.variants_of(conn, merchant_id, [product_id])[product_id]
    if variation_id is not None:
        v = _variation(variants, product_id, variation_id)
        dims = rules.dimensions_of(v)
        if dims is None:
            raise WishError(errors.NO_DIMENSIONS, id=product_id, variation_id=v["id"], sku=v["sku"])
        return variation_id, dims
    found = rules.box(variants)
    if found is None:
        missing = rules.first_without(variants)
        raise WishError(errors.NO_DIMENSIONS, id=product_id, variation_id=missing["id"] if missing else "",
                        sku=missing["sku"] if missing else "")
    return "", found


def set_logistics(conn: Connection, *, merchant_id: str, product_id: str, variation_id: str | None,
                  dims: dict[str, float], now: datetime) -> None:
    """Write the dimensions into the variation's LogisticsMetadata (every variation's without variation_id),
    keeping its other logistics: /variant and /product show the same numbers."""
    product = _product(conn, merchant_id, product_id)
    if product["removed_by_merchant"]:
        raise WishError("product_removed", id=product_id)
    variants = catalogue.variants_of(conn, merchant_id, [product_id])[product_id]
    targets = [_variation(variants, product_id, variation_id)] if variation_id is not None else variants
    for v in targets:
        catalogue.update_variant(conn, merchant_id, v["id"], {
            "logistics": rules.with_dimensions(v["logistics"], dims), "last_updated": now})
    catalogue.touch_product(conn, merchant_id, product_id, now)


def mark_undeliverable(conn: Connection, row: Row, now: datetime) -> Row:
    """The sandbox: the address cannot be delivered to; the warehouse ends INVALID (at once if validated)."""
    values = {"undeliverable": True, "outcome": rules.INVALID, "last_updated": now}
    store.update_warehouse(conn, row["merchant_id"], row["id"], values)
    return {**row, **values}


def validate_now(conn: Connection, row: Row, now: datetime) -> Row:
    """The sandbox: a validation still running completes now."""
    if row["validate_at"] <= now:
        return row
    values = {"validate_at": now, "last_updated": now}
    store.update_warehouse(conn, row["merchant_id"], row["id"], values)
    return {**row, **values}


def _product(conn: Connection, merchant_id: str, product_id: str) -> Row:
    found = catalogue.product_by_id(conn, merchant_id, product_id)
    if found is None:
        raise WishError("product_not_found", field="id", value=product_id)
    return found


def _warehouse(conn: Connection, merchant_id: str, warehouse_id: str) -> Row:
    found = store.warehouse(conn, merchant_id, warehouse_id)
    if found is None:
        raise WishError(errors.WAREHOUSE_NOT_FOUND, id=warehouse_id)
    return found


def _variation(variants: list[Row], product_id: str, variation_id: str) -> Row:
    found = next((v for v in variants if v["id"] == variation_id), None)
    if found is None:
        raise WishError(errors.VARIATION_NOT_FOUND, id=variation_id, product_id=product_id)
    return found
