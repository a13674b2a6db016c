"""The shape of a scenario file (YAML or JSON): pydantic models, every one `extra="forbid"` so a misspelt key is
an error, not a silently ignored line. What the models cannot say alone (a key another entry names, a scope or a
state the mock knows, a fault rule the fault machinery accepts) is checked by mockwish.scenarios.load.

The JSON Schema published beside this file (scenario.schema.json) is generated from these models:
`python -m mockwish.scenarios` writes it again."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from mockwish.merchant.orders.rules import MAX_GENERATED
from mockwish.merchant.tickets.generate import MAX_COUNT as MAX_TICKETS
from mockwish.sandbox.faults import FaultIn
from mockwish.wishpost.parcels.generate import MAX_PARCELS

# what one file may ask for: a scenario is loaded inside one transaction on the serving loop, so it stays small
MAX_MERCHANTS = 20
MAX_USERS = 20
MAX_APPS = 20
MAX_FAULTS = 100
MAX_TOKENS = 20
MAX_PRODUCTS = 500  # explicit products, and generated ones, per merchant
MAX_VARIATIONS = 100
MAX_BATCHES = 20  # orders / tickets / parcels entries per merchant or user
SECONDS_10Y = 10 * 365 * 86400

Key = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,39}$")]
Credential = Annotated[str, StringConstraints(pattern=r"^[\x21-\x7e]{1,128}$")]  # printable, no spaces
ObjectId = Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{24}$")]
Text = Annotated[str, StringConstraints(min_length=1, max_length=255)]
Share = Annotated[float, Field(ge=0, le=1)]


class _Strict(BaseModel):
    # strict: YAML's `count: "10"` is a string, and a string is not a count
    model_config = ConfigDict(extra="forbid", strict=True)


class TokenSpec(_Strict):
    """An access token. Its value is the tenant's credential prefix followed by `token` (random when omitted)."""

    token: Credential | None = Field(default=None, description="The token's value (default: random hex)")
    scopes: list[str] | None = Field(default=None, max_length=64, description="Scope names (default: every "
                                     "scope of the realm)")
    expires_in_seconds: int | None = Field(default=None, ge=-SECONDS_10Y, le=SECONDS_10Y,
                                           description="Expires this long after loading, on the mock's clock "
                                           "(negative: already expired; default: never)")


class RateLimitSpec(_Strict):
    """The same settings as POST /sandbox/api/rate-limits for this merchant or WishPost user."""

    quota: int | None = Field(default=None, ge=0, le=10_000_000, description="Calls per window")
    window_seconds: int | None = Field(default=None, ge=1, le=86_400)
    force_429: int | None = Field(default=None, ge=0, le=1_000_000, description="The next N calls answer 429")


class VariationSpec(_Strict):
    sku: Text
    color: str | None = Field(default=None, max_length=100)
    size: str | None = Field(default=None, max_length=100)
    price: float = Field(default=9.99, ge=0.01, le=100_000, description="USD; the localized price follows the "
                         "merchant's currency rate")
    shipping: float = Field(default=2.99, ge=0, le=1000, description="USD")
    msrp: float | None = Field(default=None, ge=0, le=100_000)
    inventory: int = Field(default=100, ge=0, le=500_000)
    enabled: bool = True


class ProductSpec(_Strict):
    parent_sku: Text
    name: Text
    description: str = Field(default="", max_length=5000)
    tags: list[Text] = Field(default_factory=list, max_length=10)
    main_image: str | None = Field(default=None, max_length=2000, description="URL (default: a Wish image URL)")
    review_status: Literal["approved", "pending", "rejected"] = Field(
        default="approved", description="approved (default) products can be ordered; /product/add makes pending ones")
    enabled: bool = True
    variations: list[VariationSpec] = Field(min_length=1, max_length=MAX_VARIATIONS)


class ProductsSpec(_Strict):
    generate: int = Field(default=0, ge=0, le=MAX_PRODUCTS, description="Realistic products made by the seed's "
                          "catalogue generator (some pending, rejected or disabled, as a real catalogue is)")
    items: list[ProductSpec] = Field(default_factory=list, max_length=MAX_PRODUCTS)


class OrdersSpec(_Strict):
    """Orders bought from the merchant's catalogue, carried into their state as POST /sandbox/api/transactions
    does (same options)."""

    count: int = Field(ge=1, le=MAX_GENERATED)
    state: str | None = Field(default=None, description="REQUIRE_REVIEW, APPROVED, SHIPPED or REFUNDED "
                              "(default APPROVED)")
    states: dict[str, float] | None = Field(default=None, description='A mix: {"APPROVED": 0.7, "SHIPPED": 0.3}')
    skus: list[Text] | None = Field(default=None, max_length=MAX_PRODUCTS * MAX_VARIATIONS,
                                    description="Only these variations (SKUs of the merchant's `items`)")
    country: str | None = Field(default=None, pattern=r"^[A-Za-z]{2}$", description="Buyers' country")
    wish_express_share: Share = 0.0
    combined_share: Share = 0.0
    fbw_share: Share = 0.0
    confirmed_share: Share = 0.5
    refund_after_shipping_share: Share = 0.5
    changed_address_share: Share = 0.0


class TicketsSpec(_Strict):
    """Tickets buyers open on the merchant's orders (or products), as POST /sandbox/api/tickets makes them."""

    count: int = Field(default=1, ge=1, le=MAX_TICKETS)
    state: str = Field(default="awaiting_merchant", description="awaiting_merchant, answered_back, "
                       "awaiting_buyer, awaiting_wish, awaiting_store, closed_by_user, ...")
    ticket_type: str | None = None
    label: str | None = None
    message: str | None = Field(default=None, max_length=2000)


class MerchantSpec(_Strict):
    key: Key = Field(description="The name other entries use for this merchant")
    id: ObjectId | None = Field(default=None, description="24 hex digits (default: a new id)")
    name: Text | None = None
    username: Text | None = Field(default=None, description="Sign-in name (default: <key>@scenario.example)")
    password: Text = "sandbox-password"
    payment_currency: str = Field(default="USD", pattern=r"^[A-Z]{3}$")
    localized_currency: str | None = Field(default=None, pattern=r"^[A-Z]{3}$", description="Default: the "
                                           "payment currency")
    ships_worldwide: bool = False
    ships_to: list[str] | None = Field(default=None, max_length=300, description="ISO 3166 alpha-2 countries of "
                                       "the shipping settings (default: every shippable country)")
    warehouses: list[str] = Field(default_factory=list, max_length=20, description="Wish Express warehouses, "
                                  "e.g. EXPRESS-US")
    locale: Literal["en", "zh", "fr", "de"] = "en"
    tokens: list[TokenSpec] = Field(default_factory=lambda: [TokenSpec()], max_length=MAX_TOKENS,
                                    description="Default: one random token with every scope, never expiring")
    products: ProductsSpec | None = None
    orders: list[OrdersSpec] = Field(default_factory=list, max_length=MAX_BATCHES)
    tickets: list[TicketsSpec] = Field(default_factory=list, max_length=MAX_BATCHES)
    rate_limit: RateLimitSpec | None = None


class AppSpec(_Strict):
    """A Merchant OAuth app (the v3 flow): public, or private to one of the file's merchants."""

    name: Text
    client_id: Credential | None = Field(default=None, description="Default: random (the tenant's prefix first)")
    client_secret: str | None = Field(default=None, pattern=r"^[0-9a-f]{32}$", description="Default: random")
    redirect_uri: str = Field(default="http://localhost:8765/wish/callback", max_length=2000)
    public: bool = True
    merchant: Key | None = Field(default=None, description="Owner of a private app (public: false)")
    scopes: list[str] | None = Field(default=None, max_length=64, description="Default: every scope")


class ParcelsSpec(_Strict):
    count: int = Field(default=1, ge=1, le=MAX_PARCELS)
    state: str = Field(default="accepted", description="created, reviewing, accepted, shipping, completed, "
                       "rejected, canceled or invalid")
    channel: str | None = Field(default=None, description="An otype (default: a mix, mostly 36-1 EPC)")


class WishPostUserSpec(_Strict):
    key: Key
    id: ObjectId | None = None
    username: Text | None = Field(default=None, description="Default: <key>@wishpost.scenario.example")
    password: Text = "sandbox-password"
    display_name: Text | None = None
    locale: Literal["en", "zh"] = "en"
    merchant: Key | None = Field(default=None, description="The file's merchant whose Wish orders this user ships")
    tokens: list[TokenSpec] = Field(default_factory=lambda: [TokenSpec()], max_length=MAX_TOKENS)
    api_key: Credential | None = Field(default=None, description="The v1 api_key (default: random)")
    parcels: list[ParcelsSpec] = Field(default_factory=list, max_length=MAX_BATCHES)
    rate_limit: RateLimitSpec | None = None


class FaultSpec(FaultIn):
    """A fault rule, with the fields of POST /sandbox/api/faults. In a tenant, every rule is the tenant's own."""


class Scenario(_Strict):
    """A scenario: data and controls loaded into the default data or into a tenant."""

    model_config = ConfigDict(extra="forbid", strict=True, title="mockwish scenario", populate_by_name=True)
    schema_: str | None = Field(default=None, alias="$schema", description="For editors: the schema's URL or path")
    version: Literal[1] = 1
    description: str | None = Field(default=None, max_length=2000)
    seed: int | None = Field(default=None, ge=0, le=2**63, description="Same seed, same generated data (new ids)")
    merchants: list[MerchantSpec] = Field(default_factory=list, max_length=MAX_MERCHANTS)
    apps: list[AppSpec] = Field(default_factory=list, max_length=MAX_APPS)
    wishpost_users: list[WishPostUserSpec] = Field(default_factory=list, max_length=MAX_USERS)
    faults: list[FaultSpec] = Field(default_factory=list, max_length=MAX_FAULTS)


def json_schema() -> dict[str, Any]:
    """The published JSON Schema of a scenario file."""
    schema = Scenario.model_json_schema(by_alias=True)
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", **schema}
