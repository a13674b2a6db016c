"""SQLModel tables. Every row a merchant owns carries `merchant_id`; repositories always filter on it."""

from __future__ import annotations

from typing import Any

from pydantic import NaiveDatetime
from sqlalchemy import JSON, Column, Index, LargeBinary, Table, UniqueConstraint
from sqlmodel import Field, SQLModel
from sqlmodel.main import SQLModelConfig


def table_of(model: type[SQLModel]) -> Table:
    """The Core table of a table model, for SQLAlchemy Core statements."""
    return model.__table__  # type: ignore[attr-defined]  # SQLModel declares no __table__; its metaclass sets it


class _Table(SQLModel):
    """The base of every table model. The store reads and writes rows with SQLAlchemy Core (table_of): no table
    model is validated or serialised by pydantic, so pydantic builds their validators and serializers on first
    use (defer_build), never in practice, instead of at import (~25 ms of every start for the 33 models)."""

    model_config = SQLModelConfig(defer_build=True)


class Merchant(_Table, table=True):
    __tablename__ = "merchant"
    id: str = Field(primary_key=True, max_length=24)
    name: str
    username: str = Field(index=True, unique=True)
    password: str
    payment_currency: str = "USD"
    localized_currency: str = "USD"
    ships_worldwide: bool = False
    locale: str = "en"  # the merchant's default locale for error messages
    # country code -> USD price, or None for "Use Product Shipping Price"
    shipping_settings: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    # warehouse names besides STANDARD, e.g. EXPRESS-US
    warehouses: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    created_at: NaiveDatetime


class App(_Table, table=True):
    """An OAuth app: public (any merchant may authorize it) or private to its owning merchant."""

    __tablename__ = "app"
    client_id: str = Field(primary_key=True, max_length=24)
    client_secret: str = Field(max_length=32)
    name: str
    redirect_uri: str
    public: bool = True
    merchant_id: str | None = Field(default=None, foreign_key="merchant.id")  # owner of a private app
    scopes: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    created_at: NaiveDatetime


class AuthCode(_Table, table=True):
    """An authorization code: single use, valid 5 minutes of the mock's clock."""

    __tablename__ = "auth_code"
    code: str = Field(primary_key=True, max_length=32)
    client_id: str = Field(foreign_key="app.client_id", index=True)
    merchant_id: str = Field(foreign_key="merchant.id")
    scopes: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    created_at: NaiveDatetime
    expires_at: NaiveDatetime
    redeemed_at: NaiveDatetime | None = None


class RefreshToken(_Table, table=True):
    """A refresh token: does not expire; one use (a refresh issues a new pair and retires this one)."""

    __tablename__ = "refresh_token"
    token: str = Field(primary_key=True, max_length=32)
    client_id: str = Field(foreign_key="app.client_id", index=True)
    merchant_id: str = Field(foreign_key="merchant.id")
    scopes: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    access_token: str  # the access token issued with it
    created_at: NaiveDatetime
    used_at: NaiveDatetime | None = None
    revoked_at: NaiveDatetime | None = None


class AccessToken(_Table, table=True):
    __tablename__ = "access_token"
    token: str = Field(primary_key=True)
    merchant_id: str = Field(foreign_key="merchant.id", index=True)
    scopes: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    app_id: str | None = None
    created_at: NaiveDatetime
    expires_at: NaiveDatetime | None = None  # None: never expires (the documented example token)
    revoked_at: NaiveDatetime | None = None


class Product(_Table, table=True):
    __tablename__ = "product"
    __table_args__ = (
        UniqueConstraint("merchant_id", "parent_sku", name="uq_product_parent_sku"),
        Index("ix_product_merchant_updated", "merchant_id", "last_updated", "id"),
    )
    id: str = Field(primary_key=True, max_length=24)
    merchant_id: str = Field(foreign_key="merchant.id")
    parent_sku: str
    name: str
    description: str = ""
    tags: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    main_image: str = ""
    extra_images: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    clean_image: str | None = None
    original_image_url: str | None = None
    review_status: str = "pending"
    enabled: bool = True
    removed_by_merchant: bool = False
    is_promoted: bool = False
    num_sold: int = 0
    num_saves: int = 0
    category: str | None = None
    default_shipping_price: float | None = None
    localized_default_shipping_price: float | None = None
    landing_page_url: str | None = None
    upc: str | None = None
    requested_product_brand_id: str | None = None
    max_quantity: int | None = None
    condition: str | None = None
    unit: str | None = None
    reference_value: float | None = None
    demo_video_asset_url: str | None = None
    # warehouse -> country -> {"price", "localized_price", "enabled", "use_product_shipping", "regions": {...}}
    shipping: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    date_uploaded: NaiveDatetime
    last_updated: NaiveDatetime


class Variant(_Table, table=True):
    __tablename__ = "variant"
    __table_args__ = (
        UniqueConstraint("merchant_id", "sku", name="uq_variant_sku"),
        Index("ix_variant_product", "product_id", "position"),
        Index("ix_variant_merchant", "merchant_id", "id"),
    )
    id: str = Field(primary_key=True, max_length=24)
    merchant_id: str = Field(foreign_key="merchant.id")
    product_id: str = Field(foreign_key="product.id")
    position: int = 0
    sku: str
    color: str | None = None
    size: str | None = None
    condition: str | None = None
    price: float
    localized_price: float | None = None
    msrp: float | None = None
    localized_msrp: float | None = None
    shipping_time: str | None = None
    main_image: str | None = None
    quantity_value: float | None = None
    enabled: bool = True
    removed_by_wish: bool = False
    # warehouse -> {"inventory": int, "shipping": float | None, "localized_shipping": float | None}
    stock: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    logistics: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON, nullable=True))
    last_updated: NaiveDatetime


class Job(_Table, table=True):
    """An asynchronous job; its state is derived from the clock when read (see mockwish.jobs)."""

    __tablename__ = "job"
    __table_args__ = (Index("ix_job_merchant_kind", "merchant_id", "kind"),)
    id: str = Field(primary_key=True, max_length=24)
    # the owner: a merchant id, or a WishPost user id for a payment statement (issue 14), hence no foreign key
    merchant_id: str
    kind: str
    params: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    created_at: NaiveDatetime
    pending_seconds: float
    running_seconds: float
    cancelled_at: NaiveDatetime | None = None
    settled: bool = False  # the job's work has been carried out (at its finish or cancel instant)
    total_count: int = 0
    result: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON, nullable=True))


class JobFile(_Table, table=True):
    """A file a finished job produced (the CSV behind a download_link)."""

    __tablename__ = "job_file"
    job_id: str = Field(primary_key=True, foreign_key="job.id")
    merchant_id: str  # the job's owner (a merchant, or a WishPost user: see Job)
    name: str = Field(index=True, unique=True)
    content: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    ready_at: NaiveDatetime


class TempImage(_Table, table=True):
    __tablename__ = "temp_image"
    id: str = Field(primary_key=True, max_length=32)
    merchant_id: str = Field(foreign_key="merchant.id")
    content: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    created_at: NaiveDatetime


class SandboxState(_Table, table=True):
    """Key/value facts about the sandbox itself (seed used, schema version)."""

    __tablename__ = "sandbox_state"
    key: str = Field(primary_key=True)
    value: str


# ---- Merchant orders ---------------------------------------------------------------------------------

class Order(_Table, table=True):
    """One order line of a buyer's transaction (several orders can share a transaction_id). The state
    machine lives in mockwish.merchant.orders.rules; scheduled instants (release after review, carrier
    confirmation of tracking, then of delivery) are settled on the mock's clock by
    mockwish.merchant.orders.lifecycle."""

    __tablename__ = "orders"
    __table_args__ = (
        Index("ix_orders_merchant_updated", "merchant_id", "last_updated", "id"),
        Index("ix_orders_merchant_state", "merchant_id", "state", "is_fbw", "order_time", "id"),
        Index("ix_orders_merchant_time", "merchant_id", "order_time", "id"),
        Index("ix_orders_review_due", "state", "released_at"),
        # the order clock's searches (lifecycle.py): each a range at the end of equal columns
        Index("ix_orders_scan_due", "state", "tracking_confirmed", "tracking_confirm_at"),
        Index("ix_orders_delivery_due", "state", "tracking_confirmed", "delivery_confirmed", "delivery_confirm_at"),
    )
    id: str = Field(primary_key=True, max_length=24)
    merchant_id: str = Field(foreign_key="merchant.id")
    transaction_id: str = Field(max_length=24)
    buyer_id: str = Field(max_length=24)
    product_id: str = Field(max_length=24)
    variant_id: str = Field(max_length=24)
    sku: str
    product_name: str
    product_image_url: str
    color: str | None = None
    size: str | None = None
    quantity: int = 1
    # buyer-facing unit price and shipping, and the merchant's share of each (after commission)
    price: float
    shipping: float
    cost: float
    shipping_cost: float
    currency_code: str = "USD"
    state: str  # REQUIRE_REVIEW, APPROVED, SHIPPED, REFUNDED
    order_time: NaiveDatetime
    released_at: NaiveDatetime  # released_to_merchant_time (scheduled while REQUIRE_REVIEW)
    last_updated: NaiveDatetime
    warehouse: str = "STANDARD"  # the stock the order took its units from
    is_wish_express: bool = False
    we_required_delivery_date: NaiveDatetime | None = None
    requires_delivery_confirmation: bool = False
    is_combined_order: bool = False
    is_fbw: bool = False
    fbw_warehouse_code: str | None = None
    fine_ids: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    # name, street_address1, street_address2, city, state, zipcode, country, phone_number
    shipping_detail: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    original_shipping_detail: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON, nullable=True))
    shipping_provider: str | None = None
    tracking_number: str | None = None
    origin_country_code: str | None = None
    ship_note: str | None = None
    shipped_at: NaiveDatetime | None = None
    tracking_confirm_at: NaiveDatetime | None = None  # when the carrier's first scan confirms tracking
    tracking_confirmed: bool = False
    delivery_confirm_at: NaiveDatetime | None = None  # when the carrier confirms delivery (tracked parcels)
    delivery_confirmed: bool = False
    refunded_at: NaiveDatetime | None = None
    refund_reason_code: int | None = None
    refunded_reason: str | None = None
    refunded_by: str | None = None
    refund_amount: float | None = None
    merchant_responsible_amount: float | None = None


# ==== WishPost (users, OAuth apps, codes and tokens) ====================================================
# The OAuth tables mirror the Merchant ones column for column, with the tenant column `user_id`; the OAuth
# domain (mockwish.auth.oauth) works on either set through a Realm.

class WishPostUser(_Table, table=True):
    """A WishPost (logistics) account: signs in on the WishPost authorize page; owns WishPost orders."""

    __tablename__ = "wishpost_user"
    id: str = Field(primary_key=True, max_length=24)
    username: str = Field(index=True, unique=True)
    password: str
    display_name: str  # the company shown on labels and in account_info
    locale: str = "en"  # default language of error messages when the call sends no `locale`
    # the Merchant account whose Wish orders this user ships (a parcel naming one of its orders is linked)
    merchant_id: str | None = Field(default=None, foreign_key="merchant.id")
    created_at: NaiveDatetime


class WishPostApp(_Table, table=True):
    """A WishPost OAuth app: public (an ERP) or private to its owning user."""

    __tablename__ = "wishpost_app"
    client_id: str = Field(primary_key=True, max_length=24)
    client_secret: str = Field(max_length=32)
    name: str
    redirect_uri: str
    public: bool = True
    user_id: str | None = Field(default=None, foreign_key="wishpost_user.id")  # owner of a private app
    scopes: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    created_at: NaiveDatetime


class WishPostAuthCode(_Table, table=True):
    __tablename__ = "wishpost_auth_code"
    code: str = Field(primary_key=True, max_length=32)
    client_id: str = Field(foreign_key="wishpost_app.client_id", index=True)
    user_id: str = Field(foreign_key="wishpost_user.id")
    scopes: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    created_at: NaiveDatetime
    expires_at: NaiveDatetime
    redeemed_at: NaiveDatetime | None = None


class WishPostRefreshToken(_Table, table=True):
    __tablename__ = "wishpost_refresh_token"
    token: str = Field(primary_key=True, max_length=32)
    client_id: str = Field(foreign_key="wishpost_app.client_id", index=True)
    user_id: str = Field(foreign_key="wishpost_user.id")
    scopes: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    access_token: str
    created_at: NaiveDatetime
    used_at: NaiveDatetime | None = None
    revoked_at: NaiveDatetime | None = None


class WishPostAccessToken(_Table, table=True):
    __tablename__ = "wishpost_access_token"
    token: str = Field(primary_key=True)
    user_id: str = Field(foreign_key="wishpost_user.id", index=True)
    scopes: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    app_id: str | None = None
    created_at: NaiveDatetime
    expires_at: NaiveDatetime | None = None  # None: a seeded long-lived token
    revoked_at: NaiveDatetime | None = None


# ---- WishPost parcels ------------------------------------------------------------------------------------

class WishPostParcel(_Table, table=True):
    """A logistics order booked with create_order. Its state and tracking are derived from the mock's clock
    (mockwish.wishpost.parcels.rules.view) from the instants fixed here at creation; only a cancel, a
    collection option or a sandbox hook writes to it afterwards."""

    __tablename__ = "wishpost_parcel"
    __table_args__ = (
        Index("ix_parcel_user_seq", "user_id", "seq"),
        # a user's lookups by number use both columns (SQLite, without statistics, would otherwise walk every
        # parcel of the user through ix_parcel_user_seq); the plain ones serve lookups across users
        Index("ix_parcel_user_barcode", "user_id", "barcode"),
        Index("ix_parcel_user_logistics", "user_id", "logistics_order_code"),
        Index("ix_parcel_barcode", "barcode"),
        Index("ix_parcel_logistics", "logistics_order_code"),
    )
    id: str = Field(primary_key=True, max_length=19)  # the wish_standard_tracking_id: WOSP + 12 digits + ISO3
    seq: int = Field(unique=True)  # the 12 digits
    user_id: str = Field(foreign_key="wishpost_user.id")
    guid: str  # the client's id of the order, returned with the barcode
    mark: str  # the label group of the create_order request
    otype: str
    barcode: str  # the tracking number; "" while a parcel under review has none
    logistics_order_code: str  # what order_status reports once Accepted
    reviewed: bool  # went through Reviewing (no barcode at creation)
    outcome: str  # "accepted" or "rejected": decided at creation, shown once review ends
    created_at: NaiveDatetime
    decided_at: NaiveDatetime  # Created/Reviewing end: Accepted (or Rejected) from here
    step_seconds: int  # between two tracking events once Accepted
    cancel_requested_at: NaiveDatetime | None = None
    cancel_reason_code: int | None = None
    invalid_reason: str | None = None
    forced_state: str | None = None  # a sandbox hook's state, with its instant in forced_at
    forced_at: NaiveDatetime | None = None
    extra_events: list[dict[str, Any]] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    wish_order_ids: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    merchant_id: str | None = Field(default=None, foreign_key="merchant.id")  # set when linked
    linked_order_ids: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    auto_fulfilled: bool = False
    dest_country: str  # ISO2
    warehouse_code: int | None = None
    last_mile_carrier: str = ""
    last_mile_tracking_id: str = ""
    fields: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))  # as sent
    items: list[dict[str, Any]] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    collection: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))


class WishPostLabelBatch(_Table, table=True):
    """A group of parcels printed together: a create_order `mark` (the parcels of one or more requests that
    sent it) or a generate_label `api_orderid`."""

    __tablename__ = "wishpost_label_batch"
    # a mark is the user's own label group: two users sending the same mark ("0", say) keep theirs apart
    user_id: str = Field(foreign_key="wishpost_user.id", primary_key=True)
    id: str = Field(primary_key=True, max_length=50)
    kind: str  # "mark" or "api_orderid"
    parcel_ids: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    printlang: int = 1
    printcode: int = 2
    created_at: NaiveDatetime


# ---- WishPost carriers (the X-API-Key of orders_bag and hub_warehouse_table) ----------------------------

class WishPostCarrier(_Table, table=True):
    """A pickup carrier: authenticates with `X-API-Key`, may bag any user's parcels bound for its hub, and
    reads no user's account, charges or statements."""

    __tablename__ = "wishpost_carrier"
    id: str = Field(primary_key=True, max_length=24)
    name: str
    api_key: str = Field(index=True, unique=True)
    hub_warehouse_code: int  # 3001 or 3002 (hub_warehouse_table)
    created_at: NaiveDatetime


# ---- WishPost bags (issue 14; mockwish/wishpost/bags) -----------------------------------------------------

class WishPostBag(_Table, table=True):
    """An orders_bag: parcels bound for one hub warehouse, bagged by a user (`user_id`) or a pickup carrier
    (`carrier_id`). Its state is derived from the instants fixed here and its parcels' states
    (mockwish.wishpost.bags.rules.view); only a cancel or a sandbox hook writes to it afterwards."""

    __tablename__ = "wishpost_bag"
    __table_args__ = (
        Index("ix_bag_user_seq", "user_id", "seq"),
        Index("ix_bag_hub_seq", "hub_warehouse_code", "seq"),
    )
    bag_number: str = Field(primary_key=True, max_length=23)  # WI + 16 digits + BAG
    seq: int = Field(unique=True)  # the last 8 of the 16 digits (after the Beijing date), over every bag
    user_id: str | None = Field(default=None, foreign_key="wishpost_user.id")  # the user who bagged it
    carrier_id: str | None = Field(default=None, foreign_key="wishpost_carrier.id")  # or the carrier
    hub_warehouse_code: int  # 3001 or 3002
    pickup_service: int  # 2801 STO pickup or 9999 self-delivery
    created_at: NaiveDatetime
    pickup_at: NaiveDatetime  # Created -> Shipping (the carrier picks it up)
    terminate_at: NaiveDatetime  # Terminated from here at the latest
    abnormal_at: NaiveDatetime | None = None  # a sandbox hook: Abnormal from here
    cancelled_at: NaiveDatetime | None = None
    cancel_reason: str | None = None


class WishPostBagParcel(_Table, table=True):
    """A parcel in a bag, by its logistics order code as the client named it."""

    __tablename__ = "wishpost_bag_parcel"
    __table_args__ = (
        Index("ix_bag_parcel_code", "logistics_order_code"),
        Index("ix_bag_parcel_parcel", "parcel_id"),
    )
    bag_number: str = Field(foreign_key="wishpost_bag.bag_number", primary_key=True)
    parcel_id: str = Field(foreign_key="wishpost_parcel.id", primary_key=True)
    position: int  # the order the client listed the codes in
    logistics_order_code: str
    user_id: str = Field(foreign_key="wishpost_user.id")  # the parcel's owner



# ---- WishPost charges and statements (issue 14; mockwish/wishpost/payments) ------------------------------

class WishPostCharge(_Table, table=True):
    """A payment request posted by the sandbox or the seed (mockwish.wishpost.payments). The logistics charge a
    warehouse scan makes, and its refund when a charged parcel is cancelled, are not stored: they are derived
    from the parcel and the clock when read, as tracking is."""

    __tablename__ = "wishpost_charge"
    __table_args__ = (Index("ix_charge_user_created", "user_id", "created_at"),
                      Index("ix_charge_parcel", "parcel_id"))
    prid: str = Field(primary_key=True, max_length=20)  # WI + 12 digits + PR
    user_id: str = Field(foreign_key="wishpost_user.id")
    parcel_id: str = Field(foreign_key="wishpost_parcel.id")
    type: str  # RECHARGE, REFUND, CHARGE, COMPENSATE, WITHDRAW, REPAYMENT, OTHER
    state: str  # EMPTY ... OTHER (get_order_payment's appendix, without "state.")
    fee_type: str
    amount: str  # CNY, two decimals
    remark: str | None = None  # None: the fee type's own remark, in the caller's language
    created_at: NaiveDatetime
    completed_at: NaiveDatetime | None = None
    flat_rate_shipping: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))



# ---- WishPost account and announcements (issue 14; mockwish/wishpost/account) ---------------------------

class WishPostAccount(_Table, table=True):
    """A WishPost user's money (account_info), in fen (CNY cents). The balance account_info shows is `cash_fen`
    less what the user's parcels have been charged (mockwish.wishpost.payments.ledger.net_charged); a user
    without a row has an empty account."""

    __tablename__ = "wishpost_account"
    user_id: str = Field(primary_key=True, foreign_key="wishpost_user.id", max_length=24)
    cash_fen: int  # deposited (top-ups less withdrawals)
    unavailable_fen: int  # frozen cash (claims, pending reviews): not withdrawable
    debt_fen: int  # the debt outside the parcels' charges, <= 0 (WP-DOC shows "-1636.97")
    debt_frozen_fen: int  # frozen debt, <= 0
    debt_limit_fen: int | None = None  # None: no limit ("无上限的")
    currency: str = "CNY"
    created_at: NaiveDatetime


class WishPostAnnouncement(_Table, table=True):
    """An announcement a WishPost user sees (announcements): kept per user so sandbox tests stay apart."""

    __tablename__ = "wishpost_announcement"
    __table_args__ = (Index("ix_announcement_user_date", "user_id", "publish_date"),)
    id: str = Field(primary_key=True, max_length=24)  # the url's announcement_id
    user_id: str = Field(foreign_key="wishpost_user.id")
    title: str
    text: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))  # paragraphs
    publish_date: str = Field(max_length=10)  # YYYY-MM-DD, Beijing date (publish_time)
    created_at: NaiveDatetime


# ==== Merchant customer support, notifications, infractions, returns =====================================
# Every instant a seed places relative to its moment of seeding is listed in mockwish.store.shift.SEEDED_TIMES,
# so a sandbox reset brings them to the clock with the orders they refer to.

class Ticket(_Table, table=True):
    """A buyer's question or complaint (mockwish.merchant.tickets). `state` is the mock's own code
    (tickets.rules.STATE_NAMES); the wire shows the documented strings. `state_since`: when the ticket entered
    its state (get-action-required lists the longest waiting first)."""

    __tablename__ = "ticket"
    __table_args__ = (Index("ix_ticket_merchant_state", "merchant_id", "ticket_type", "state", "state_since", "id"),)
    id: str = Field(primary_key=True, max_length=24)
    merchant_id: str = Field(foreign_key="merchant.id")
    ticket_type: str = "post_purchase_tickets"  # post_purchase_tickets, post_customer_support_questions, ...
    transaction_id: str | None = Field(default=None, max_length=24)  # at most one transaction
    order_ids: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))  # items
    product_ids: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))  # products
    buyer: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))  # UserInfo
    subject: str
    label: str
    sublabel: str = ""
    default_refund_reason: str | None = None
    photo_proof: bool = False
    state: str
    state_id: str = "1"
    open_date: NaiveDatetime
    last_update_date: NaiveDatetime
    state_since: NaiveDatetime
    close_date: NaiveDatetime | None = None
    closed_by: str | None = None


class TicketReply(_Table, table=True):
    """One message of a ticket, in the order sent."""

    __tablename__ = "ticket_reply"
    __table_args__ = (Index("ix_ticket_reply_ticket", "ticket_id", "position"),)
    id: int | None = Field(default=None, primary_key=True)
    ticket_id: str = Field(foreign_key="ticket.id", max_length=24)
    merchant_id: str = Field(foreign_key="merchant.id")
    position: int
    sender: str  # user, merchant, wish support, wish automated support
    message: str
    translated_message: str | None = None
    translated_message_zh: str | None = None
    image_urls: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    date: NaiveDatetime


class Notification(_Table, table=True):
    """A dashboard notification (noti/*)."""

    __tablename__ = "notification"
    __table_args__ = (Index("ix_notification_merchant_viewed", "merchant_id", "viewed", "created_at", "seq"),)
    id: str = Field(primary_key=True, max_length=24)
    merchant_id: str = Field(foreign_key="merchant.id")
    seq: int = 0  # order of creation: newest first among notifications of one second
    title: str
    message: str
    perma_link: str
    viewed: bool = False
    created_at: NaiveDatetime
    viewed_at: NaiveDatetime | None = None


class BDAnnouncement(_Table, table=True):
    """A message from the merchant's Account Manager (fetch-bd-announcement answers the latest)."""

    __tablename__ = "bd_announcement"
    __table_args__ = (Index("ix_bd_announcement_merchant", "merchant_id", "created_at", "seq"),)
    id: str = Field(primary_key=True, max_length=24)
    merchant_id: str = Field(foreign_key="merchant.id")
    seq: int = 0  # order of creation: "the most recent" of two sent in one second is the later one
    title: str
    message: str
    bd_id: str = Field(max_length=24)
    bd_name: str
    viewed: bool = False
    created_at: NaiveDatetime


class SystemUpdate(_Table, table=True):
    """A System Update (fetch-sys-updates-noti): a release with its features, kept per merchant so sandbox
    tests stay apart."""

    __tablename__ = "system_update"
    __table_args__ = (Index("ix_system_update_merchant", "merchant_id", "release_date", "seq"),)
    id: str = Field(primary_key=True, max_length=24)
    merchant_id: str = Field(foreign_key="merchant.id")
    seq: int = 0  # order of creation: newest first among releases of one second
    release_date: NaiveDatetime
    features: list[dict[str, Any]] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))


class Infraction(_Table, table=True):
    """A warning (infraction) with its fine and proofs (count/infractions, get/infractions)."""

    __tablename__ = "infraction"
    __table_args__ = (Index("ix_infraction_merchant_state", "merchant_id", "state", "last_updated", "seq"),)
    id: str = Field(primary_key=True, max_length=24)
    merchant_id: str = Field(foreign_key="merchant.id")
    seq: int = 0  # order of the last change (creation or move): orders changes of one second
    state: str  # NEW, AWAITING_MERCHANT, AWAITING_ADMIN, CLOSED
    reason: str
    extra_reason: str = ""
    fine_amount: float = 0.0
    fine_currency: str = "USD"
    # [{"proof_type": TICKET|ORDER|PRODUCT|MERCHANT|RATING|VARIATION, "object_id": ..., "message": ...}]
    proofs: list[dict[str, Any]] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    created_time: NaiveDatetime
    last_updated: NaiveDatetime


class ReturnWarehouse(_Table, table=True):
    """A Wish Returns Program warehouse. Its address is validated on the mock's clock: VALIDATING until
    `validate_at`, then `outcome` (mockwish.merchant.returns.rules)."""

    __tablename__ = "return_warehouse"
    __table_args__ = (Index("ix_return_warehouse_merchant", "merchant_id", "region", "id"),)
    id: str = Field(primary_key=True, max_length=24)
    merchant_id: str = Field(foreign_key="merchant.id")
    warehouse_name: str
    ship_to: str
    region: str
    phone_number: str | None = None
    email: str | None = None
    city: str
    state: str
    country: str
    zipcode: str
    street_address1: str
    street_address2: str | None = None
    validate_at: NaiveDatetime
    outcome: str  # the state once validated: a valid one or INVALID
    undeliverable: bool = False  # the sandbox marked the address undeliverable: ends INVALID
    created_at: NaiveDatetime
    last_updated: NaiveDatetime


class ProductReturnSetting(_Table, table=True):
    """A product enrolled in returns for a region (get-product-return-settings)."""

    __tablename__ = "product_return_setting"
    merchant_id: str = Field(foreign_key="merchant.id", primary_key=True)
    product_id: str = Field(foreign_key="product.id", primary_key=True, max_length=24)
    region: str = Field(primary_key=True)
    warehouse_id: str = Field(foreign_key="return_warehouse.id", max_length=24)
    is_active: bool = True
    updated_at: NaiveDatetime
