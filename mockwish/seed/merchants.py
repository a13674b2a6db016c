"""The seeded merchants: fixed identities (tokens, usernames) so tests and docs can name them; everything
else about them is generated."""

from __future__ import annotations

from dataclasses import dataclass

from mockwish.reference import shippable_countries

DEFAULT_TOKEN = "an_example_access_token"  # the token every docs example uses
SECOND_TOKEN = "second_example_access_token"
WORLDWIDE_TOKEN = "worldwide_example_access_token"


@dataclass(frozen=True)
class MerchantPlan:
    key: str
    token: str
    username: str
    password: str
    payment_currency: str
    localized_currency: str
    ships_worldwide: bool
    warehouses: tuple[str, ...]
    doc_fixtures: bool  # seed the entities the docs' examples refer to
    not_shipped: tuple[str, ...] = ()  # shippable countries left out of the shipping settings


PLANS: tuple[MerchantPlan, ...] = (
    # USD-paid with CNY localized prices, as in the docs' examples (price '100.0', localized '60', CNY)
    MerchantPlan("default", DEFAULT_TOKEN, "merchant@example.com", "sandbox-password", "USD", "CNY", False,
                 ("EXPRESS-US", "EXPRESS-CA", "EXPRESS-FR", "EXPRESS-ES", "EXPRESS-GB", "EXPRESS-DE"), True),
    # paid in CNY: must send localized_* values, sees 999999 in USD fields
    MerchantPlan("second", SECOND_TOKEN, "second@example.com", "sandbox-password", "CNY", "CNY", False,
                 ("EXPRESS-US",), False, not_shipped=("JP", "KR", "SG", "NZ", "IL")),
    # ships to every shippable country without per-country settings
    MerchantPlan("worldwide", WORLDWIDE_TOKEN, "worldwide@example.com", "sandbox-password", "USD", "USD", True,
                 (), False),
)


def shipping_settings(plan: MerchantPlan) -> dict[str, float | None]:
    """Country -> USD shipping price of the merchant's shipping settings; None = "Use Product Shipping
    Price" (so /product/get-shipping answers the documented error for that country)."""
    if plan.ships_worldwide:
        return {}
    out: dict[str, float | None] = {cc: 4.99 for cc in shippable_countries() if cc not in plan.not_shipped}
    out["US"] = None
    if plan.doc_fixtures:  # product/get-shipping-setting's example answers AU, CA and GB at these
        out.update(DOC_SHIPPING_SETTINGS)
    return out


DOC_SHIPPING_SETTINGS = {"AU": 1.0, "CA": 2.0, "GB": 3.0}


# the ready-made OAuth app (public, every scope), printed at startup
SEED_APP_NAME = "Example ERP"
SEED_APP_REDIRECT_URI = "http://localhost:8765/wish/callback"
