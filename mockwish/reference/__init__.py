"""Reference data read from the docs (shippable countries, customizable regions, units, accepted carriers,
confirmed delivery) or standards (ISO 3166-1). Each table is loaded once per process, on first use."""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any

# where Wish serves product images, as the docs' examples show them: products, orders and tickets alike
IMAGE_BASE = "https://contestimg.wish.com/api/webimage"


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


@cache
def fbw_fee_schedule() -> tuple[dict[str, Any], ...]:
    """The fees an FBW order carries: fee_type, fee_name, fee_type_text, usd, per ("unit" or "order")."""
    return tuple(_load("fbw_fees.json")["fees"])


@cache
def refund_reasons() -> dict[int, str]:
    """Refund reason code -> the text an order's refunded_reason shows."""
    return {int(k): v for k, v in _load("refund_reasons.json")["reasons"].items()}


@cache
def refund_reason_era(era: str) -> tuple[frozenset[int], frozenset[int]]:
    """(codes accepted for a shipped order, codes accepted for an order that has not shipped) of an era."""
    entry = _load("refund_reasons.json")["eras"][era]
    return frozenset(entry["shipped"]), frozenset(entry["unshipped"])


# ---- fulfillment: carriers.json and confirmed_delivery.json (wish-merchant-api-v2.txt, Fulfillment) --------

@cache
def _carriers_table() -> dict[str, Any]:
    return _load("carriers.json")


@cache
def _confirmed_delivery_table() -> dict[str, Any]:
    return _load("confirmed_delivery.json")


@cache
def accepted_carriers() -> tuple[str, ...]:
    """The accepted shipping providers in their canonical spellings, alphabetized (ASCII order) as
    /fulfillment/get-shipping-carriers answers them: the union of the doc's full list and its example."""
    return tuple(_carriers_table()["carriers"])


@cache
def _carrier_spellings() -> dict[str, str]:
    return {name.casefold(): name for name in accepted_carriers()}


def carrier_canonical(name: str) -> str | None:
    """The canonical spelling of an accepted carrier, matched case-insensitively ('usps' -> 'USPS',
    ' dhl ' -> 'DHL'); None when it is not an accepted carrier."""
    return _carrier_spellings().get(name.strip().casefold())


@cache
def carriers_without_tracking() -> frozenset[str]:
    """Accepted carriers whose shipments need no tracking_number (canonical spellings). The docs name none, so
    the data file's set is empty: every carrier requires a tracking number (see its _without_tracking_note)."""
    return frozenset(_carriers_table()["without_tracking"])


@cache
def confirmed_delivery_countries() -> tuple[str, ...]:
    """ISO codes of the countries that require Confirmed Delivery, in the doc's order."""
    return tuple(_confirmed_delivery_table()["countries"])


@cache
def _confirmed_delivery_carriers_by_country() -> dict[str, tuple[str, ...]]:
    return {country: tuple(names) for country, names in _confirmed_delivery_table()["carriers"].items()}


def confirmed_delivery_carriers(country: str) -> tuple[str, ...]:
    """The confirmed-delivery carriers for a country (ISO alpha-2, any case), in the doc's order; empty for a
    country that does not require confirmed delivery."""
    return _confirmed_delivery_carriers_by_country().get(country.strip().upper(), ())


def confirmed_delivery_extra_info(country: str) -> dict[str, str]:
    """Carrier -> link describing that carrier's additional requirements for confirmed delivery to the
    country (the doc's `extra_info`); empty for a country that does not require confirmed delivery."""
    return dict(_confirmed_delivery_table()["extra_info"].get(country.strip().upper(), {}))
