"""All settings in one place (env prefix MOCKWISH_). Build one Settings per app; never a global."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="MOCKWISH_", env_file=None, extra="ignore")

    host: str = "127.0.0.1"
    port: int = 8000
    wishpost_port: int = 8001  # the WishPost surface also answers at the root of this port (0: off)
    data_dir: Path = Path("data")
    database_url: str | None = None  # default: sqlite:///<data_dir>/mockwish.db
    seed: int = 42
    fixtures_dir: Path | None = None  # default: the fixtures/ directory of the source tree
    products_per_merchant: int = 300
    public_url: str | None = None  # base for paging links and download links; default: the request's base URL
    default_locale: Literal["en", "zh", "fr", "de"] = "en"
    log_level: str = "info"
    access_log: bool = False
    defer_writes: bool = True  # answers written when the event loop turns (mockwish.deferred_writes)
    # with defer_writes: the API requests of one turn of the loop share one commit (mockwish.store.owner)
    group_commit: bool = True
    max_body_bytes: int = 16 * 1024 * 1024  # a 5 MB image, base64 and form-encoded, must fit
    read_cache_max_bytes: int = 64 * 1024 * 1024  # rendered products and orders kept (estimated size)
    # XML bodies are parsed with bounded work: the docs give no maximum of <order> elements per create_order,
    # so the mock fixes one, and the element budget of any XML body is sized from it
    wishpost_max_orders_per_request: int = 1000
    xml_max_depth: int = 32

    # the sandbox control API (/sandbox/api): who may call it. Host names accepted besides localhost,
    # 127.0.0.1, [::1] and the public URL's host ("*": any, as in the Docker image whose port is published
    # on purpose); a token every control call must present in X-Sandbox-Token when set (a shared sandbox)
    sandbox_allowed_hosts: str = ""
    sandbox_token: str | None = None

    # the request journal (GET /sandbox/api/requests): every API request, newest kept, in memory
    journal: bool = True  # MOCKWISH_JOURNAL=false: off (the benchmark measures its cost)
    journal_capacity: int = Field(10_000, ge=1)  # entries in the ring (the oldest go first)
    journal_body_bytes: int = Field(16_384, ge=0)  # of a request's body kept per entry

    # tenants (POST /sandbox/api/tenants): a store, clock and quotas of their own, at most this many at once
    max_tenants: int = Field(200, ge=0)
    tenant_read_cache_bytes: int = 8 * 1024 * 1024  # each tenant's rendered reads (the default data's: above)
    # a scenario file (YAML or JSON, see fixtures/scenarios) loaded into the default data at start-up
    scenario: Path | None = None

    # asynchronous jobs: seconds spent PENDING, then RUNNING (progress is derived from the clock)
    job_pending_seconds: float = 2.0
    job_running_seconds: float = 5.0
    download_link_ttl_hours: int = 72
    temp_image_ttl_days: int = 14

    # Merchant API rate limits per merchant per app; the defaults never trip CI by accident
    rate_limit_enabled: bool = True  # off: no accounting at all (the benchmark's baseline)
    rate_limit_quota: int = 1000
    rate_limit_window_seconds: int = 60
    wishpost_rate_limit_quota: int = 600  # per user per minute on WishPost endpoints without a documented level

    # orders (see README "Orders"): the commission Wish keeps, the order clock and the rules' era
    order_commission: float = 0.15  # cost = price x (1 - commission), since 2017
    order_review_seconds: int = 3600  # REQUIRE_REVIEW orders are released to the merchant after this
    order_fulfill_hours: int = 120  # the fulfilment deadline counted from release (days/hours_to_fulfill)
    order_tracking_confirm_seconds: int = 2 * 86400  # the carrier's first scan after shipping
    order_delivery_confirm_seconds: int = 5 * 86400  # the carrier confirms delivery this long after that scan
    order_origin_country_required: bool = True  # since late 2018; False for clients of the older API
    order_refund_reasons: Literal["2019", "2017"] = "2019"  # era C (1, 25, 32) or era B (the long list)
    order_confirmed_delivery_min_total: float = 10.0  # USD; orders at or above need a confirmed-delivery carrier
    order_csv_currency_column: bool = False  # the 2020 CSV layout (Currency Code after Color)
    # fulfil-one and modify-tracking refuse a tracking number that cannot belong to its provider (off: the docs
    # and the supplement record no such rule in the real API)
    order_tracking_number_check: bool = False

    # Wish Returns Program (see README "Returns"): a return warehouse's address is VALIDATING this long after it
    # is created or its address edited ("This may take several minutes"), then valid or INVALID
    returns_validation_seconds: int = 300

    # WishPost parcels (see README "WishPost parcels"; supplement-wishpost.md 8.1 and 5): the share of new
    # parcels that goes through Reviewing (no barcode at first), the share of those rejected, when Created or
    # Reviewing ends (Accepted, or Rejected), then one tracking event per step; the sandbox can force an
    # outcome per parcel
    wishpost_review_share: float = 0.2
    wishpost_reject_share: float = 0.1
    wishpost_accept_seconds: int = 0  # Created or Reviewing until this long after create_order
    wishpost_tracking_step_seconds: int = 6 * 3600
    wishpost_max_tracking_barcodes: int = 10  # per tracking call (the docs' error says 10)
    wishpost_max_label_barcodes: int = 50  # per generate_label call
    # announcements (POST /api/v3/announcements, WP-DOC): how far back start_date may go ("Start date should
    # not be earlier than 30 days ago.") and the page size when `limit` is not sent (the docs allow 1-50)
    wishpost_announcement_window_days: int = 30
    wishpost_announcement_default_limit: int = 10
    # fulfil the linked Wish order (carrier WishPost, the parcel's tracking number) once its parcel is Accepted
    wishpost_auto_fulfill: bool = False
    # WishPost charges and statements (see README "WishPost charges and statements"): the longest range a payment
    # statement covers (days, both ends included), how long its link works once the file is ready (the docs' S3
    # link says X-Amz-Expires=259200: 72 hours), and how long after its creation a charge completes
    wishpost_statement_max_days: int = 31
    wishpost_statement_link_ttl_hours: int = 72
    wishpost_charge_complete_seconds: int = 1
    # WishPost bags (orders_bag; see README "WishPost bags"): a new bag is Created until its carrier picks it up
    # this long after it was made (Shipping from then on), and Terminated once every parcel in it is Completed,
    # or this long after the pickup at the latest
    wishpost_bag_pickup_seconds: int = 12 * 3600
    wishpost_bag_terminate_seconds: int = 15 * 86400

    # wire choices where the docs disagree (see README "Wire choices")
    # the merchant doc's examples and the supplement say `previous` (the PHP SDK's pager reads it); `prev`
    # is what the doc's overview prose says, kept for clients written against it
    paging_back_link: Literal["prev", "previous"] = "previous"
    error_type_field: bool = False  # add SPEC's `type` string to error bodies

    @property
    def own_wishpost_port(self) -> int:
        """The port WishPost answers at the root of, when it is not the main one; 0 when there is none."""
        return 0 if self.wishpost_port == self.port else self.wishpost_port

    @property
    def db_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'mockwish.db').as_posix()}"

    @property
    def db_path(self) -> Path | None:
        url = self.db_url
        if url.startswith("sqlite:///") and ":memory:" not in url:
            return Path(url.removeprefix("sqlite:///"))
        return None
