"""Wire layer of /order/*: the parameters each endpoint takes (supplement-merchant.md section 2) and how
its answer is rendered. The rules live in orders.rules; the handlers read, call a rule, save, render."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from mockwish.errors import WishError
from mockwish.merchant import download_jobs
from mockwish.merchant.orders import download, render, rules, store
from mockwish.merchant.orders.book import BYTES_PER_ORDER, MAX_ATTEMPT_EVERY, MISSING_PAGE, MISSING_SHARE, Book
from mockwish.merchant.orders.keys import OrderKeys
from mockwish.store.read_cache import ANY, entry_size
from mockwish.wire.spec import Bool, Enum, Id, Int, Str, When, spec
from mockwish.wire.v2 import Call, RawData, V2Result, V2Router
from mockwish.wishpost.parcels.link import carrier_instants, confirmations

router = V2Router("Order")

READ, WRITE = "orders:read", "orders:write"
ORDER_ID = Id("id", "The order_id of the order", required=True)
SHOW_ORIGINAL = Bool("show_original_shipping_detail",
                     "True: add OriginalShippingDetail when the address was changed")
PAGE = (Int("start", "Offset into the list (default 0)", low=0, high=10_000_000),
        Int("limit", "Number of orders, 1 to 500 (default 50)", low=1, high=500))
SINCE = When("since", "Only orders updated since (UTC; YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS)")
UPTO = When("upto", "Only orders updated up to (inclusive)")
WE_ONLY = Bool("wish_express_only", "True: only Wish Express orders")
TRACKING = (ORDER_ID,
            Str("tracking_provider", "An accepted shipping carrier (see /fulfillment/get-shipping-carriers)",
                required=True, max_len=100),
            Str("tracking_number", "The tracking number: letters and digits, no spaces. Required (1001 when "
                "missing) unless the carrier ships without tracking (none of the accepted carriers does)",
                max_len=100),
            Str("origin_country_code", "ISO 3166 alpha-2 code of the country the parcel ships from. Required "
                "since late 2018 (1001 when missing); MOCKWISH_ORDER_ORIGIN_COUNTRY_REQUIRED=false relaxes it",
                max_len=8),
            Str("ship_note", "A private note kept with the order", max_len=1000))
LOOKUP_ERRORS = ("invalid_id", "order_not_found")
TRACKING_ERRORS = (*LOOKUP_ERRORS, "carrier_not_accepted", "invalid_tracking_number", "confirmed_delivery_carrier",
                   "order_already_refunded", "tracking_number_not_of_carrier")
SUCCESS = {"success": True}


def _policy(call: Call) -> rules.OrderPolicy:
    return call.ctx.order_policy


def _orders(call: Call, ids: list[str], page_rows: Callable[[], dict[str, Any]] | None = None) -> list[Any]:
    """The orders of `ids` as of now: JSON fragments (an order's bytes reused until its fulfilment countdown
    moves), or data for an XML answer."""
    found, now = _entries(call, ids, page_rows), call.now
    if call.fmt == "json":
        return [found[oid].as_json(now) for oid in ids]
    return [found[oid].body(now) for oid in ids]


def _entries(call: Call, ids: list[str], page_rows: Callable[[], dict[str, Any]] | None = None
             ) -> dict[str, render.Entry]:
    """The rendered orders of `ids`. Each is rendered once and kept in the read cache until it changes (an
    ERP polls the same pages over and over). The orders not in the cache are read by id, or, when they are
    many and `page_rows` reads the whole page in index order, by that."""
    show = call.params.get("show_original_shipping_detail", False)
    cache = call.ctx.read_cache
    cache.sync(call.conn)
    mid, now = call.merchant_id, call.now
    kept = cache.get_many([("order", mid, show, oid) for oid in ids])
    found: dict[str, render.Entry] = {oid: entry for oid, entry in zip(ids, kept, strict=True) if entry is not None}
    missing = [oid for oid, entry in zip(ids, kept, strict=True) if entry is None]
    if missing:
        policy = _policy(call)
        rows = page_rows() if page_rows is not None and len(missing) > MANY_MISSING else store.by_ids(
            call.conn, mid, missing)
        for oid in missing:
            row = rows.get(oid)
            if row is None:
                continue
            entry = found[oid] = render.Entry(render.rendered(row, policy, show_original=show))
            entry.as_json(now)
            cache.put(call.conn, ("order", mid, show, oid), entry, entry_size(entry.nbytes), [("o", mid, oid)])
        absent = next((oid for oid in missing if oid not in found), None)
        if absent is not None:  # by_ids found no such order of the merchant's
            raise WishError("order_not_found", id=absent)
    return found


MANY_MISSING = 16  # from this many orders of a page not in the cache, the page's rows are read in one query


def _keys(call: Call) -> OrderKeys:
    """The merchant's OrderKeys, kept in the read cache and moved write by write."""
    cache, mid = call.ctx.read_cache, call.merchant_id
    cache.sync(call.conn)
    index = cache.get(("order-keys", mid))
    if index is None:
        index = OrderKeys.load(call.conn, mid)
        cache.put(call.conn, ("order-keys", mid), index, index.size, [], follows=("o", mid))
    return index


def _book(call: Call, index: OrderKeys) -> Book | None:
    """The merchant's book of rendered orders, brought to now; else, once ATTEMPT_EVERY pages were served with
    no order of the merchant changing (twice as many after each look that fails), one made from the cached
    orders when at most a page or so of them is not cached yet (mockwish.merchant.orders.book)."""
    cache, mid = call.ctx.read_cache, call.merchant_id
    show = call.params.get("show_original_shipping_detail", False)
    key = ("order-book", mid, show)
    book = cache.get(key)
    if book is not None:
        if not book.holds(call.now):  # a countdown moved to its next hour: the same orders, rendered anew
            book.refresh(call.now)
        return book
    index.pages += 1
    if index.pages < index.next_book or len(index.keys) * BYTES_PER_ORDER > cache.max_bytes // 4:
        return None
    ids = index.ids(0, len(index.keys))
    kept = cache.get_many([("order", mid, show, oid) for oid in ids])
    if kept.count(None) > max(MISSING_PAGE, len(ids) // MISSING_SHARE):
        index.next_book = min(MAX_ATTEMPT_EVERY, 2 * index.next_book)
        return None
    found = _entries(call, ids) if None in kept else dict(zip(ids, kept, strict=True))
    entries = [found[oid] for oid in ids]
    if Book.estimate(entries) > cache.max_bytes // 4:
        index.next_book = MAX_ATTEMPT_EVERY
        return None
    book = Book(entries, call.now)
    cache.put(call.conn, key, book, book.size, [("o", mid, ANY)])  # any order change of the merchant
    return book


def _page(call: Call, listing: store.Listing, start: int, limit: int) -> V2Result:
    """One page of a listing: from the merchant's OrderKeys when the listing is every order in a window of
    last_updated (as a slice of its book when there is one), else from the SQL index (limit + 1 ids: the
    extra one says a next page exists); then the orders."""
    if listing.window is None:
        ids = listing.ids(call.conn, call.merchant_id, start, limit + 1)
        has_more = len(ids) > limit
    else:
        index = _keys(call)
        first, last, high = index.span(*listing.window, start, limit)
        book = _book(call, index) if call.fmt == "json" else None
        if book is not None:
            return V2Result(RawData(book.slice(first, last)), paging=call.paging(start, limit, last < high))
        ids, has_more = index.ids(first, last), last < high
    orders = _orders(call, ids[:limit], lambda: listing.rows(call.conn, call.merchant_id, start, limit))
    return V2Result(orders, paging=call.paging(start, limit, has_more))


@router.op("/order", scope=READ, summary="Retrieve an Order", spec=spec(ORDER_ID, SHOW_ORIGINAL),
           errors=LOOKUP_ERRORS)
def retrieve(call: Call) -> V2Result:
    """One order by its order_id: {"Order": {...}}."""
    return V2Result(_orders(call, [call.params["id"]])[0])


def _changed(call: Call, fbw_only: bool) -> V2Result:
    p = call.params
    start, limit = p.get("start", 0), p.get("limit", 50)
    return _page(call, store.Listing.changed(since=p.get("since"), upto=p.get("upto"),
                                             we_only=p.get("wish_express_only", False), fbw_only=fbw_only),
                 start, limit)


@router.op("/order/multi-get", scope=READ, summary="Retrieve Recently Changed Orders",
           spec=spec(*PAGE, SINCE, UPTO, WE_ONLY, SHOW_ORIGINAL), errors=("out_of_range",))
def multi_get(call: Call) -> V2Result:
    """Orders whose last_updated lies in [since, upto], by last_updated then order_id (stable for paging:
    new and newly changed orders come last). Without since: every order."""
    return _changed(call, fbw_only=False)


@router.op("/order/multi-get-fbw", scope=READ, summary="Retrieve Recently Changed Fulfilled-By-Wish Orders",
           spec=spec(*PAGE, SINCE, UPTO, WE_ONLY, SHOW_ORIGINAL), errors=("out_of_range",))
def multi_get_fbw(call: Call) -> V2Result:
    """As multi-get, restricted to orders fulfilled by Wish (is_fbw)."""
    return _changed(call, fbw_only=True)


@router.op("/order/get-fulfill", scope=READ, summary="Retrieve Unfulfilled Orders",
           spec=spec(*PAGE, SINCE, WE_ONLY), errors=("out_of_range",))
def get_fulfill(call: Call) -> V2Result:
    """Every order that needs fulfilment now (APPROVED), oldest first, with days_to_fulfill and
    hours_to_fulfill."""
    p = call.params
    start, limit = p.get("start", 0), p.get("limit", 50)
    return _page(call, store.Listing.to_fulfill(since=p.get("since"), we_only=p.get("wish_express_only", False)),
                 start, limit)


def _shipped(call: Call, rule: Any) -> None:
    p = call.params
    o = store.get(call.conn, call.merchant_id, p["id"])
    changes = rule(o, provider=p["tracking_provider"], tracking_number=p.get("tracking_number"),
                   origin_country_code=p.get("origin_country_code"), ship_note=p.get("ship_note"), now=call.now,
                   policy=_policy(call))
    # shipped with a linked WishPost parcel's number: both APIs tell one story (parcels.link)
    instants = carrier_instants(call.conn, call.merchant_id, o["id"], changes["shipping_provider"],
                                changes["tracking_number"])
    if instants is not None:
        changes["tracking_confirm_at"], changes["delivery_confirm_at"] = confirmations(instants, call.now)
    store.save(call.conn, o["id"], changes)
    call.ctx.orders.schedule(changes["tracking_confirm_at"])


@router.op("/order/fulfill-one", scope=WRITE, summary="Fulfill an Order", spec=spec(*TRACKING),
           errors=(*TRACKING_ERRORS, "order_already_fulfilled", "order_under_review", "order_fulfilled_by_wish",
                   "missing_param"))
def fulfill_one(call: Call) -> V2Result:
    """Mark an APPROVED order shipped with its carrier and tracking number; the carrier confirms the
    tracking later on the mock's clock."""
    _shipped(call, rules.fulfill_one)
    return V2Result(dict(SUCCESS), message="Your order is been processed right now!")  # sic, as the docs print it


@router.op("/order/modify-tracking", scope=WRITE, summary="Modify Tracking of a Shipped Order",
           spec=spec(*TRACKING), errors=(*TRACKING_ERRORS, "order_not_shipped", "tracking_unchanged",
                                         "missing_param"))
def modify_tracking(call: Call) -> V2Result:
    """New carrier or tracking number for a SHIPPED order."""
    _shipped(call, rules.modify_tracking)
    return V2Result(dict(SUCCESS))


@router.op("/order/refund", scope=WRITE, summary="Refund or Cancel an Order",
           spec=spec(ORDER_ID, Int("reason_code", "A refund reason code (see the README for the accepted set)",
                                   required=True, low=-1, high=100_000),
                     Str("reason_note", "Required when reason_code is -1 (Other)", max_len=2000)),
           errors=(*LOOKUP_ERRORS, "order_already_refunded", "order_under_review", "invalid_reason_code",
                   "reason_needs_shipment", "missing_param"))
def refund(call: Call) -> V2Result:
    """Refund an APPROVED or SHIPPED order; units refunded before shipping go back to the inventory."""
    p = call.params
    o = store.get(call.conn, call.merchant_id, p["id"])
    outcome = rules.refund(o, reason_code=p["reason_code"], reason_note=p.get("reason_note"), now=call.now,
                           policy=_policy(call))
    store.save(call.conn, o["id"], outcome.changes)
    if outcome.restock:
        store.adjust_stock(call.conn, call.merchant_id, [(o["variant_id"], o["warehouse"], -o["quantity"])])
    return V2Result(dict(SUCCESS))


ADDRESS = (Str("street_address1", "First line of the street address", required=True, max_len=500),
           Str("street_address2", "Second line of the street address", max_len=500),
           Str("city", "City", required=True, max_len=200),
           Str("state", "State or province", max_len=200),
           Str("zipcode", "Postal code", required=True, max_len=50),
           Str("country", "ISO 3166 alpha-2 country code", required=True, max_len=8),
           Str("phone_number", "Phone number", max_len=100))


@router.op("/order/change-shipping", scope=WRITE, summary="Update Shipping Info of an Order",
           spec=spec(ORDER_ID, *ADDRESS),
           errors=(*LOOKUP_ERRORS, "order_already_shipped", "order_already_refunded", "missing_param",
                   "invalid_param"))
def change_shipping(call: Call) -> V2Result:
    """A new address for an order that has not shipped; the first address stays as OriginalShippingDetail."""
    p = call.params
    o = store.get(call.conn, call.merchant_id, p["id"])
    changes = rules.change_shipping(o, address={k.name: p.get(k.name) for k in ADDRESS}, now=call.now,
                                    policy=_policy(call))
    store.save(call.conn, o["id"], changes)
    return V2Result(dict(SUCCESS))


@router.op("/order/create-download-job", scope=READ, summary="Start a Batch Order Download",
           spec=spec(When("start", "Orders placed on or after this date (YYYY-MM-DD)"),
                     When("end", "Orders placed up to this date (YYYY-MM-DD, inclusive)"),
                     Int("limit", "Maximum number of orders", low=1, high=10_000_000),
                     Enum("sort", "asc or desc by order time (default desc)", values=("asc", "desc"))))
def create_download_job(call: Call) -> V2Result:
    """Begin a CSV export of the orders; poll get-download-job-status for its download_link."""
    params = download.job_params(call.params, call.ctx.settings.order_csv_currency_column)
    total = download.count(call.conn, call.merchant_id, params)
    job_id = call.ctx.jobs.create(call.conn, call.merchant_id, download.KIND, params, call.now, total)
    return V2Result({"job_id": job_id})


@router.op("/order/get-download-job-status", scope=READ, summary="Get the Status of Your Batch Order Download",
           spec=download_jobs.JOB_ID, errors=("invalid_id", "job_not_found"))
def get_download_job_status(call: Call) -> V2Result:
    """Progress of an order download; FINISHED answers carry the download_link (valid 72 hours)."""
    return download_jobs.status(call, download.KIND)


@router.op("/order/cancel-download-job", scope=READ, summary="Cancel Your Batch Order Download",
           spec=download_jobs.JOB_ID, errors=("invalid_id", "job_not_found"))
def cancel_download_job(call: Call) -> V2Result:
    """Cancel a pending or running order download."""
    return download_jobs.cancel(call, download.KIND)
