"""Wire of the WishPost parcel: v2 XML create_order, generate_label, download_label and tracking; v3 JSON
order_status, cancel_orders and order/collection_option/confirm (wishpost-api.txt, supplement-wishpost.md
3-5 and 8). The rules live in parcels.rules; the handlers read, call a rule, save, render."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlencode
from xml.etree.ElementTree import Element

import orjson
from starlette.responses import Response

from mockwish.errors import WishError
from mockwish.ids import new_hex
from mockwish.store.read_cache import entry_size
from mockwish.wire.ratelimit import WISHPOST_IP_USER_30, WISHPOST_IP_USER_300
from mockwish.wire.spec import Bool, Int, Json, NameList, Str, spec
from mockwish.wire.v2 import public_base_url
from mockwish.wishpost import labels, reference, wire_v3, wire_xml
from mockwish.wishpost.conventions import Collection
from mockwish.wishpost.ops import ORIGINAL_PATH, WishPostRouter, WPCall
from mockwish.wishpost.parcels import render, rules, store
from mockwish.wishpost.parcels.link import held_orders, link_orders, sync_orders
from mockwish.wishpost.wire_xml import Node, Raw, fragment

router = WishPostRouter("WishPost Parcels")

ORDER_WRITE, ORDER_READ = "user.order.write", "user.order.read"
LABEL_READ, TRACKING_READ = "user.label.read", "user.tracking.read"
# generate_label is covered by three scopes (WP-DOC's /api/v3/scopes example lists it under user.order.read
# and user.order.write; the label scope names it too): any one of them will do
LABEL_ANY = f"{LABEL_READ}|{ORDER_READ}|{ORDER_WRITE}"
TOKEN = Str("access_token", "Access token (or `Authorization: Bearer`)", max_len=100)
API_KEY = Str("api_key", "The v1 credential, on /api/v1/<op> (84 characters)", max_len=100)


def wishpost_url(call: WPCall, path: str, query: dict[str, str]) -> str:
    """An absolute URL on the WishPost surface as the caller reaches it: the root of the WishPost port, or
    /wishpost on the main one."""
    prefix = "" if ORIGINAL_PATH in call.request.scope else "/wishpost"
    return f"{public_base_url(call.request, call.ctx.settings.public_url)}{prefix}{path}?{urlencode(query)}"


def label_urls(call: WPCall, mark: str) -> dict[str, str]:
    """The create_order answer's label links (WP-DOC's two, and the A4 and 10x5 ones supplement 3.3 lists)."""
    token = call.principal.token if call.principal else ""

    def url(fmt: str, local: bool) -> str:
        return wishpost_url(call, "/api/v2/download_label", {"access_token": token, "format": fmt,
                                                             "use_local": "true" if local else "false",
                                                             "mark": mark})
    return {"PDF_A4_EN_URL": url("A4", False), "PDF_A4_LCL_URL": url("A4", True),
            "PDF_10_EN_URL": url("10", False), "PDF_10_LCL_URL": url("10", True),
            "PDF_15_EN_URL": url("15", False)}


# the requests as WP-DOC shows them (shortened), for /openapi.json
CREATE_EXAMPLE = (
    '<?xml version="1.0" ?><orders><access_token>an_example_wishpost_token</access_token><mark/><bid>0</bid>'
    "<order><guid>12345</guid><otype>36-1</otype><from>ZENG WEI</from><sender_province>GUANGDONG</sender_province>"
    "<sender_city>SHENZHEN</sender_city><sender_addres>756 ROOM 2 DANYUAN MEILONGYUAN LONGHUA</sender_addres>"
    "<sender_phone>18620352867</sender_phone><pickup_from_local>曾伟</pickup_from_local>"
    "<pickup_phone>18620352867</pickup_phone><pickup_addres_local>龙华区美龙苑</pickup_addres_local>"
    "<pickup_province_local>广东省</pickup_province_local><pickup_city_local>深圳市</pickup_city_local>"
    "<to>Kalynn Stiles</to><recipient_addres>25380 County Rd. 21A</recipient_addres>"
    "<recipient_country>United States</recipient_country><recipient_country_short>US</recipient_country_short>"
    "<recipient_province>California</recipient_province><recipient_city>Esparto</recipient_city>"
    "<recipient_postcode>95627</recipient_postcode><recipient_phone>(530)787-3999</recipient_phone>"
    "<type_no>5</type_no><doorpickup>1</doorpickup><product_items><product_item>"
    "<wish_order_id>5a80417edf3b162557f66545</wish_order_id><product_item_name>LED light</product_item_name>"
    "<product_item_name_chinese>发光二极管</product_item_name_chinese><product_item_num>3</product_item_num>"
    "<product_item_weight>0.15</product_item_weight><product_item_single_price>2</product_item_single_price>"
    "<product_item_has_battery>0</product_item_has_battery><product_item_product_url>"
    "https://www.wish.com/c/561f48726475cc5873cda03e</product_item_product_url></product_item></product_items>"
    "</order></orders>")
LABEL_EXAMPLE = ('<?xml version="1.0" ?><root><access_token>an_example_wishpost_token</access_token>'
                 "<printlang>1</printlang><printcode>2</printcode><barcodes><barcode>01922451085</barcode>"
                 "<barcode>RQ990073255CN</barcode></barcodes></root>")
TRACKING_EXAMPLE = ('<?xml version="1.0" ?><tracks><access_token>an_example_wishpost_token</access_token>'
                    "<language>cn</language><track><barcode>85632702094</barcode></track>"
                    "<track><barcode>RW022229594CN</barcode></track></tracks>")


# ---- create_order ----------------------------------------------------------------------------------------------

def read_orders(root: Element | None) -> list[tuple[dict[str, str], list[dict[str, str]] | None]]:
    """Each <order> of the body: its flat fields and its <product_items><product_item> blocks (None: the
    order has no <product_items>, the legacy form)."""
    if root is None:
        return []
    out = []
    for order in root.findall("order"):  # the root's own <order>s (one nested in another is not a parcel)
        blocks = order.findall("product_items")
        items = [wire_xml.fields(i) for block in blocks for i in block.findall("product_item")] if blocks else None
        out.append((wire_xml.fields(order), items))
    return out


@router.op("/api/v2/create_order", scope=ORDER_WRITE, wire="xml", methods=("POST",),
           aliases=("/api/v1/create_order",), summary="Create orders (parcels)",
           spec=spec(TOKEN, API_KEY, Str("mark", "A previous answer's mark: the labels go into the same PDF",
                                         max_len=50), Int("bid", "A submission id of the caller's", low=0,
                                                          high=99_999)),
           errors=("wp_no_orders", "wp_too_many_orders"), xml_example=CREATE_EXAMPLE)
def create_order(call: WPCall) -> dict[str, Any]:
    """`<orders>` (or `<root>`) with the token, `<mark/>`, `<bid>` and one `<order>` per parcel, in the
    `<product_items>` form or the legacy flat goods fields. Per order: `wish_standard_tracking_id` and
    `barcode` with `guid` and `state` (an order under review has an empty barcode), the warehouse, one
    `mark` for the request and the label URLs; a refused order is an `error_message` with `guid`, `code`,
    `error_ref_id`. Status 0 when at least one order was created, 2 when none was."""
    orders = read_orders(call.root)
    if not orders:
        raise WishError("wp_no_orders")
    limit = call.ctx.settings.wishpost_max_orders_per_request
    if len(orders) > limit:
        raise WishError("wp_too_many_orders", max=limit)
    user_id, pol = call.user_id, call.ctx.parcel_policy
    mark = call.params.get("mark") or new_hex(32)
    existing = store.batch(call.conn, user_id, mark)
    if existing is not None and existing["kind"] != "mark":  # a generate_label api_orderid: not a mark to extend
        mark, existing = new_hex(32), None
    seq = store.next_seq(call.conn)
    merchant_id = store.linked_merchant(call.conn, user_id)
    forced = call.ctx.sandbox_parcel_outcomes.get(user_id, [])
    checked: list[rules.Draft | rules.Refused] = []
    for fields, items in orders:
        try:
            checked.append(rules.check_order(fields, items))
        except rules.Refused as refused:
            checked.append(refused)
    held = held_orders(call.conn, merchant_id, [o for d in checked if isinstance(d, rules.Draft)
                                                for o in d.wish_order_ids])
    rows: list[dict[str, Any]] = []
    out: list[Node] = []
    for (fields, _), draft in zip(orders, checked, strict=True):
        if isinstance(draft, rules.Refused):
            out.append(Node("error_message", draft.message(call.locale), {
                "guid": fields.get("guid", ""), "code": str(draft.code), "error_ref_id": new_hex(32),
                "wish_standard_tracking_id": ""}))
            continue
        reviewed, outcome = rules.outcome(seq, pol, forced.pop(0) if forced else None)
        linked, link_merchant = link_orders(held, merchant_id, draft.wish_order_ids)
        row = rules.new_row(draft, seq, user_id=user_id, mark=mark, step_seconds=pol.step_seconds,
                            reviewed=reviewed, outcome=outcome, created_at=call.now,
                            decided_at=call.now + timedelta(seconds=pol.accept_seconds), linked=linked,
                            merchant_id=link_merchant)
        seq += 1
        rows.append(row)
        out += render.created_nodes(row)
    store.insert_parcels(call.conn, rows)
    if rows:
        ids = [*(existing["parcel_ids"] if existing else []), *(r["id"] for r in rows)]
        store.put_batch(call.conn, {"id": mark, "kind": "mark", "user_id": user_id, "parcel_ids": ids,
                                    "printlang": 1, "printcode": 2, "created_at": call.now})
        call.ctx.parcels.schedule(min(r["decided_at"] for r in rows))
    answer: dict[str, Any] = {"status": 0 if rows else 2, "items": out, "mark": mark}
    return {**answer, **label_urls(call, mark)}


# ---- labels ------------------------------------------------------------------------------------------------------

def _barcodes(call: WPCall, limit: int) -> list[str]:
    """The barcodes a call names, at least one and at most `limit`: <barcodes><barcode>...</barcode></barcodes>
    (the wire), any <barcode> of the body (tracking's <track><barcode>), or WP-DOC's flat `barcode`."""
    found: list[str] = []
    if call.root is not None:
        found = [(b.text or "").strip() for b in call.root.iter("barcode")]
    elif call.raw.get("barcode"):
        found = [b.strip() for b in call.raw["barcode"].split(",")]
    numbers = [b for b in found if b]
    if not numbers:
        raise WishError("wp_no_barcodes")
    if len(numbers) > limit:
        raise WishError("wp_too_many_barcodes", max=limit)
    return numbers


@router.op("/api/v2/generate_label", scope=LABEL_ANY, wire="xml", methods=("POST",),
           aliases=("/api/v1/generate_label",), summary="Generate a label PDF for barcodes",
           spec=spec(TOKEN, API_KEY, Int("printlang", "1 English, 2 the recipient country's language", low=1,
                                         high=2),
                     Int("printcode", "1 A4, 2 4x4 in (10x10 cm), 3 4x2 in (DLP)", low=1, high=3)),
           errors=("wp_no_barcodes", "wp_too_many_barcodes", "wp_unknown_barcode"), xml_example=LABEL_EXAMPLE)
def generate_label(call: WPCall) -> dict[str, Any]:
    """`<barcodes><barcode>..</barcode></barcodes>` (at most 50): a `PDF_URL` to download_label with an
    `api_orderid`."""
    numbers = _barcodes(call, call.ctx.settings.wishpost_max_label_barcodes)
    found = store.by_numbers(call.conn, call.user_id, numbers)
    ids = []
    for number in numbers:
        parcel = found.get(number)
        if parcel is None or not _known_number(parcel, number, call.now):
            raise WishError("wp_unknown_barcode", barcode=number)
        ids.append(parcel["id"])
    printlang, printcode = call.params.get("printlang", 1), call.params.get("printcode", 2)
    batch_id = new_hex(32)
    store.put_batch(call.conn, {"id": batch_id, "kind": "api_orderid", "user_id": call.user_id,
                                "parcel_ids": list(dict.fromkeys(ids)), "printlang": printlang,
                                "printcode": printcode, "created_at": call.now})
    fmt = labels.PRINTCODE_FORMATS.get(printcode, "10")
    token = call.principal.token if call.principal else ""
    return {"PDF_URL": wishpost_url(call, "/api/v2/download_label", {
        "access_token": token, "use_local": "True" if printlang == 2 else "False", "api_orderid": batch_id,
        "format": render.download_format(fmt)})}


def _known_number(parcel: dict[str, Any], number: str, now: datetime) -> bool:
    """A WOSP id always names its parcel; a tracking number once the client could know it: at once, or, for a
    parcel under review, from its acceptance on (and still after a later cancel)."""
    return number == parcel["id"] or not parcel["reviewed"] or rules.number_given(parcel, now)


@router.op("/api/v2/download_label", scope=LABEL_READ, wire="xml", methods=("GET", "POST"),
           aliases=("/api/v1/download_label",), summary="Download the label PDF of a mark or an api_orderid",
           spec=spec(TOKEN, API_KEY, Str("format", "A4, 10 (10x10 cm) or 15 (10x5 cm)", max_len=8),
                     Bool("use_local", "true: the recipient's language"),
                     Str("mark", "A create_order mark", max_len=50),
                     Str("api_orderid", "A generate_label api_orderid", max_len=50)),
           errors=("wp_label_not_found", "wp_invalid_label_param"), file_type="application/pdf")
def download_label(call: WPCall) -> Response:
    """The PDF (`application/pdf`), one label per parcel; an unknown mark or api_orderid answers XML status 1."""
    p = call.params
    try:
        fmt = labels.format_key(p.get("format", "10"))
    except ValueError:
        raise WishError("wp_invalid_label_param", param="format", value=p.get("format", "")) from None
    if p.get("mark"):
        name, value, kind = "mark", p["mark"], "mark"
    elif p.get("api_orderid"):
        name, value, kind = "api_orderid", p["api_orderid"], "api_orderid"
    else:
        raise WishError("wp_missing_param", param="mark")
    batch = store.batch(call.conn, call.user_id, value, kind)
    if batch is None:
        raise WishError("wp_label_not_found", name=name, value=value)
    parcels = store.by_ids(call.conn, call.user_id, batch["parcel_ids"])
    ordered = [parcels[i] for i in batch["parcel_ids"] if i in parcels]
    pdf = labels.render_labels([render.label_parcel(row, call.now) for row in ordered], fmt,
                               bool(p.get("use_local", False)))
    name_ = labels.label_filename(call.principal.username if call.principal else "wishpost", call.now)
    return Response(pdf, media_type="application/pdf",
                    headers={"Content-Disposition": f'attachment; filename="{name_}"'})


# ---- tracking ----------------------------------------------------------------------------------------------------

@router.op("/api/v2/tracking", scope=TRACKING_READ, wire="xml", methods=("POST",), level=WISHPOST_IP_USER_300,
           aliases=("/api/v1/tracking",), summary="Tracking events of up to 10 barcodes",
           spec=spec(TOKEN, API_KEY, Str("language", "cn or en (any case)", max_len=8)),
           errors=("wp_no_barcodes", "wp_too_many_barcodes"), xml_example=TRACKING_EXAMPLE)
def tracking(call: WPCall) -> dict[str, Any]:
    """`<tracks>` with `<language>` and `<track><barcode>..</barcode></track>` (at most 10): one `<tracks
    barcode=..>` per barcode with its `<track>` events; an unknown barcode has an `error_message` attribute."""
    numbers = _barcodes(call, call.ctx.settings.wishpost_max_tracking_barcodes)
    language = "en" if call.params.get("language", "cn").strip().lower() == "en" else "cn"
    cache, user, now = call.ctx.read_cache, call.user_id, call.now
    cache.sync(call.conn)
    kept: dict[str, Raw] = {}
    for number in numbers:  # a parcel's <tracks> holds until its next event or a write to it
        entry = cache.get(("tracks", user, number, language))
        if entry is not None and entry[1] <= now < entry[2]:
            kept[number] = entry[0]
    missing = [n for n in numbers if n not in kept]
    found = store.by_numbers(call.conn, user, missing) if missing else {}
    out: list[Raw | Node] = []
    for number in numbers:
        if number in kept:
            out.append(kept[number])
            continue
        parcel = found.get(number)
        if parcel is None or not _known_number(parcel, number, now):
            out.append(Node("tracks", None, {"barcode": number, "error_message": render.NO_SUCH_BARCODE[language]}))
            continue
        raw = fragment(render.tracks_node(parcel, number, rules.view(parcel, now), language))
        cache.put(call.conn, ("tracks", user, number, language), (raw, now, rules.next_change(parcel, now)),
                  entry_size(len(raw.xml) * 2), [("w", user, parcel["id"])])
        out.append(raw)
    return {"tracks": out}


# ---- v3: order_status, cancel_orders, collection option ------------------------------------------------------------

ORDER_FIELDS = ("wish_standard_tracking_id", "state_code", "logistics_order_code")  # sort_by and _min/_max


@router.op("/api/v3/order_status", scope=ORDER_READ, level=WISHPOST_IP_USER_30, summary="Order status",
           spec=spec(TOKEN, NameList("wish_standard_tracking_ids", "Up to 500 WOSP ids", max_items=500),
                     NameList("wish_transaction_ids", "Up to 10 Wish transaction ids", max_items=10)),
           errors=("wp_no_tracking_ids",), error_fields={"orders": []},
           collection=Collection("orders", sortable=ORDER_FIELDS, ranges=ORDER_FIELDS, max_limit=500))
def order_status(call: WPCall) -> dict[str, Any]:
    """The state of each parcel named (by WOSP id, or every parcel of the Wish transactions named). Unknown
    ids are left out and the call's `message` says so, with code 0."""
    p = call.params
    ids = p.get("wish_standard_tracking_ids") or []
    tx = p.get("wish_transaction_ids") or []
    if not ids and not tx:
        raise WishError("wp_no_tracking_ids")
    rows: list[dict[str, Any]] = []
    missing = False
    if ids:
        found = store.by_ids(call.conn, call.user_id, ids)
        missing = any(i not in found for i in ids)
        rows += [found[i] for i in dict.fromkeys(ids) if i in found]
    if tx:
        by_tx = store.by_transactions(call.conn, call.user_id, tx)
        found_tx = set(store.transactions_of(call.conn, [o for r in by_tx for o in r["linked_order_ids"]]))
        missing = missing or any(t not in found_tx for t in tx)
        rows += [r for r in by_tx if r["id"] not in {x["id"] for x in rows}]
    orders = [render.status_object(call, r, rules.view(r, call.now)) for r in rows]
    message = ("Some orders are not found. " if missing else "") + (
        "Some orders are not accepted. " if any(o["state_code"] not in (6, 7, 8) for o in orders) else "")
    return {"message": message, "orders": orders}


CANCEL_ORDER = Json("orders", "The orders to cancel: [{tracking_id or wish_standard_tracking_id, "
                    "cancel_reason_code, invalid_reason}] (or the body itself as a JSON array, WP-V3)", kind=list)


@router.op("/api/v3/cancel_orders", scope=ORDER_WRITE, summary="Cancel orders", spec=spec(TOKEN, CANCEL_ORDER),
           array_body="orders", errors=("wp_tracking_id_missing", "wp_invalid_reason"),
           error_fields={"is_cancelling_orders": [], "failed_cancel_orders": []})
def cancel_orders(call: WPCall) -> dict[str, Any] | Response:
    """Each order named by `tracking_id` (its logistics code) or `wish_standard_tracking_id`; Created,
    Reviewing and Accepted parcels are cancelled (`is_cancelling_orders`), others fail with a result code
    (`failed_cancel_orders`). A bare JSON array body answers an array of the same size."""
    items = call.params.get("orders")
    if not items:
        raise WishError("wp_tracking_id_missing")
    if len(items) > MAX_CANCELS:
        raise WishError("wp_invalid_param", param="orders", value=f"{len(items)} orders (at most {MAX_CANCELS})")
    numbers = [str(i.get("wish_standard_tracking_id") or i.get("tracking_id") or "").strip()
               for i in items if isinstance(i, dict)]
    found = store.by_numbers(call.conn, call.user_id, numbers)  # every parcel named, in one lookup
    results = [_cancel_one(call, item, found) for item in items]
    if call.raw.body_array:  # WP-V3: an array of the same size, one result per request item
        return Response(orjson.dumps([r for r, _ in results]), media_type=wire_v3.JSON)
    return {"message": "All the orders' cancel results are fetched.",
            "failed_cancel_orders": [r for r, ok in results if not ok],
            "is_cancelling_orders": [r for r, ok in results if ok]}


MAX_CANCELS = 100


def _cancel_one(call: WPCall, item: Any, found: dict[str, dict[str, Any]]) -> tuple[dict[str, Any], bool]:
    """One request item: its result and whether the parcel is now being cancelled. `found` holds the parcels
    the request names (a cancel updates its row there, so the same parcel named twice fails the second time)."""
    if not isinstance(item, dict):
        raise WishError("wp_invalid_param", param="orders", value=str(item)[:80])
    tracking_id = str(item.get("tracking_id") or "").strip()
    wosp = str(item.get("wish_standard_tracking_id") or "").strip()
    if not tracking_id and not wosp:
        raise WishError("wp_tracking_id_missing")
    raw_code = item.get("cancel_reason_code")
    if raw_code is None or raw_code == "":
        raise WishError("wp_missing_param", param="cancel_reason_code")
    reason = reference.cancel_reason(raw_code) if isinstance(raw_code, int | str) else None
    if reason is None:
        raise WishError("wp_invalid_param", param="cancel_reason_code", value=str(raw_code))
    if reason.requires_invalid_reason and not str(item.get("invalid_reason") or "").strip():
        raise WishError("wp_invalid_reason", code=reason.code)
    out = {"user_id": call.user_id, "tracking_id": tracking_id, "wish_standard_tracking_id": wosp}
    number = wosp or tracking_id
    parcel = found.get(number)
    if parcel is None or (number != parcel["id"] and not _known_number(parcel, number, call.now)):
        code = rules.NOT_OWNED if store.exists_elsewhere(call.conn, call.user_id, number) else rules.NOT_FOUND
        return {**out, **render.cancel_failure(code)}, False
    out["wish_standard_tracking_id"] = parcel["id"]
    state = rules.view(parcel, call.now)
    out["tracking_id"] = tracking_id or (parcel["logistics_order_code"] if state.accepted else "")
    code = rules.cancel_result(state.state)
    if code != rules.CANCEL_ACCEPTED:
        return {**out, **render.cancel_failure(code)}, False
    values = {"cancel_requested_at": call.now, "cancel_reason_code": reason.code,
              "invalid_reason": str(item.get("invalid_reason") or "") or None}
    store.save(call.conn, parcel["id"], values)
    parcel.update(values)
    sync_orders(call.conn, parcel, call.now)  # its Wish orders wait for no scan any more
    return {**out, **render.cancel_accepted()}, True


ADDRESS = Json("pickup_address", "Where the carrier collects: pickup_from_local, pickup_phone, pickup_zipcode, "
               "pickup_address_local, pickup_province_local, pickup_city_local, pickup_district_local")
RETURN_ADDRESS = Json("return_address", "Where returns go: return_name_local, return_phone, return_zipcode, "
                      "return_address_local, return_province_local, return_city_local, return_district_local")


@router.op("/api/v3/order/collection_option/confirm", scope=ORDER_WRITE, summary="Confirm a collection option",
           spec=spec(TOKEN, Str("wish_standard_tracking_id", "The parcel", required=True, max_len=40),
                     Int("doorpickup", "0 drop off, 1 door pickup", required=True, low=0, high=1),
                     Str("pickup_service", "25-1, 27-1 or 42-0 (door pickup)", max_len=20),
                     Int("return_action_in_country", "0 abandon, 2 return to the pickup address, 3 to the return "
                         "address", low=0, high=3),
                     Int("reverse_logistics_mode", "1 by the pickup carrier, 3 express prepaid", low=1, high=3),
                     ADDRESS, RETURN_ADDRESS),
           errors=("wp_parcel_not_found", "wp_collection_closed"))
def collection_option(call: WPCall) -> dict[str, Any]:
    """Door pickup (with a pickup service and address) or drop-off, and what happens to a return; accepted
    until the parcel ships."""
    p = call.params
    wosp = p["wish_standard_tracking_id"]
    parcel = store.by_ids(call.conn, call.user_id, [wosp]).get(wosp)
    if parcel is None:
        raise WishError("wp_parcel_not_found", id=wosp)
    rules.check_collection(rules.view(parcel, call.now).state)
    option = rules.collection_option(p)
    store.save(call.conn, wosp, {"collection": option})
    return {"message": render.COLLECTION_SAVED[call.locale]}
