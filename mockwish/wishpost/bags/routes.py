"""Wire of the WishPost bag: v3 JSON orders_bag/create, orders_bag (query), orders_bag/cancel and the
orders_bag/download_label PDF (wishpost-api.txt "Create Orders Bag" to "Cancel Orders Bag"). A WishPost user
(Bearer or access_token) or a pickup carrier (`X-API-Key`) calls them; download_label is the users' only, as
its parameter table (no X-API-Key) and its error example (4000 "API key is unauthorized") show. The rules live
in bags.rules; the handlers read, call a rule, save, render."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from starlette.responses import Response

from mockwish.errors import WishError
from mockwish.wire.spec import Int, Json, NameList, Str, spec
from mockwish.wire.v2 import public_base_url
from mockwish.wishpost import labels, wire_v3
from mockwish.wishpost.bags import errors, render, rules, store
from mockwish.wishpost.conventions import Collection
from mockwish.wishpost.ops import ORIGINAL_PATH, WishPostRouter, WPCall

router = WishPostRouter("WishPost bags")

ORDER_WRITE, ORDER_READ, LABEL_READ = "user.order.write", "user.order.read", "user.label.read"
TOKEN = Str("access_token", "Access token (or `Authorization: Bearer`; a carrier sends `X-API-Key`)", max_len=100)
CREATE, QUERY, CANCEL, LABEL = ("/api/v3/orders_bag/create", "/api/v3/orders_bag", "/api/v3/orders_bag/cancel",
                                "/api/v3/orders_bag/download_label")
LIST_FORMS = ("Repeated `name[]=a&name[]=b`, one comma separated value `name[]=a,b` (as WP-DOC writes it), "
              "plain `name=a,b`, or a JSON list in a JSON body")


def caller_of(call: WPCall) -> rules.Caller:
    if call.carrier is not None:
        return rules.Caller(carrier_id=call.carrier.id, carrier_hub=call.carrier.hub_warehouse_code)
    return rules.Caller(user_id=call.user_id)


def _listed(call: WPCall, name: str) -> list[str]:
    """A list parameter as the pipeline read it, whatever form it came in (mockwish.wishpost.ops.list_values)."""
    return list(call.params.get(name) or [])


def _limit(values: list[str], name: str, most: int) -> list[str]:
    if len(values) > most:
        raise WishError("wp_bag_too_many", max=most, param=name, count=len(values))
    return rules.unique_codes(values)


def label_url(call: WPCall, numbers: list[str]) -> str:
    """download_label of these bags on the WishPost surface as the caller reaches it (WP-DOC's
    `...?access_token=<access_token>&bag_numbers[]=WI...BAG`); a carrier's has no token (it prints no labels)."""
    prefix = "" if ORIGINAL_PATH in call.request.scope else "/wishpost"
    query = [("access_token", call.principal.token)] if call.principal is not None else []
    query += [("bag_numbers[]", n) for n in numbers]
    base = public_base_url(call.request, call.ctx.settings.public_url)
    return f"{base}{prefix}{LABEL}?{urlencode(query, safe='[]')}"


def refused(call: WPCall, fields: dict[str, Any]) -> Response:
    """WP-DOC's business refusal (code 1000 "Failed due to business reason", HTTP 400) with the operation's
    own keys filled in: failed_logistics_orders, failed_bags."""
    err = WishError(errors.FAILED)
    return wire_v3.render({**wire_v3.error_body(err, call.locale, call.now), **fields}, err.status)


# ---- orders_bag/create ---------------------------------------------------------------------------------------

CREATE_FIELDS = {"bag_number": "", "label_url": "", "failed_logistics_orders": []}


@router.op(CREATE, scope=ORDER_WRITE, methods=("POST",), carriers=True, summary="Create an orders bag",
           spec=spec(TOKEN,
                     Int("pickup_service", "2801 (STO pickup) or 9999 (self-delivery); a number or a numeric string",
                         required=True, low=0, high=99_999),
                     Int("hub_warehouse_code", "3001 (Hub East China warehouse 1) or 3002 (Hub South China "
                         "warehouse 1)", required=True, low=0, high=99_999),
                     NameList("logistics_order_codes", "1 to 1000 logistics order codes (not WOSP ids). "
                              + LIST_FORMS.replace("name", "logistics_order_codes"))),
           errors=("wp_bag_failed", "wp_bag_too_many_codes", "wp_bag_carrier_hub", "wp_invalid_param",
                   "wp_missing_param"),
           error_fields=CREATE_FIELDS)
def create(call: WPCall) -> dict[str, Any] | Response:
    """One bag of logistics orders bound for a hub warehouse. Every code must be an Accepted or Shipping
    parcel of the caller (a carrier: of any user) bound for that hub, in no live bag, whose collection option
    allows the pickup service; if any is not, no bag is made and `failed_logistics_orders` groups the codes by
    reason (code 1000 "Failed due to business reason"). Success: `bag_number`, `label_url`."""
    p = call.params
    service, hub = p["pickup_service"], p["hub_warehouse_code"]
    if not rules.check_pickup_service(service):
        raise WishError("wp_invalid_param", param="pickup_service", value=str(service))
    if not rules.check_hub(hub):
        raise WishError("wp_invalid_param", param="hub_warehouse_code", value=str(hub))
    caller = caller_of(call)
    if caller.is_carrier and hub != caller.carrier_hub:
        raise WishError("wp_bag_carrier_hub", hub=caller.carrier_hub)
    sent = _listed(call, "logistics_order_codes")
    if not sent:
        raise WishError("wp_missing_param", param="logistics_order_codes")
    if len(sent) > rules.MAX_CODES:
        raise WishError("wp_bag_too_many_codes", max=rules.MAX_CODES, count=len(sent))
    codes = rules.unique_codes(sent)
    found = store.parcels_by_codes(call.conn, caller, codes)
    bagged = store.bagged_parcels(call.conn, [row["id"] for row in found.values()])
    reasons = []
    for code in codes:
        parcel = found.get(code)
        reason = rules.reason_for(parcel, code, hub=hub, pickup_service=service, now=call.now,
                                  bagged=parcel is not None and parcel["id"] in bagged)
        if reason is not None:
            reasons.append((code, reason))
    if reasons:  # nothing is half-made: the bag is made with every code or not at all
        failed = render.failed_codes(rules.group_failures(reasons), call.locale)
        return refused(call, {"bag_number": "", "label_url": "", "failed_logistics_orders": failed})
    bag = rules.new_bag(store.next_seq(call.conn), caller=caller, hub=hub, pickup_service=service, now=call.now,
                        policy=rules.BagPolicy.from_settings(call.ctx.settings))
    store.insert_bag(call.conn, bag, [found[c] for c in codes])
    return {"message": render.SUCCESSFUL, "bag_number": bag["bag_number"],
            "label_url": label_url(call, [bag["bag_number"]]), "failed_logistics_orders": []}


# ---- orders_bag (query) ---------------------------------------------------------------------------------------

@router.op(QUERY, scope=f"{ORDER_READ}|{ORDER_WRITE}", carriers=True, summary="Query orders bags",
           spec=spec(TOKEN,
                     NameList("bag_numbers", "Up to 100 bag numbers (WI...BAG). " + LIST_FORMS.replace(
                         "name", "bag_numbers")),
                     NameList("logistics_order_codes", "Up to 100 logistics order codes: the bags holding them. "
                              + LIST_FORMS.replace("name", "logistics_order_codes"))),
           errors=("wp_bag_missing_query", "wp_bag_too_many", "wp_invalid_param"),
           collection=Collection("bags", sortable=("bag_number", "state"), ranges=("bag_number", "state"),
                                 max_limit=2 * rules.MAX_BAGS))
def query(call: WPCall) -> dict[str, Any]:
    """The bags named, and the bags holding the codes named (the union), each once: `bags` of
    {logistics_order_codes, state, bag_number, state_name}. A bag number the caller does not have is left out
    (`message` then says some were not found, else "All success")."""
    numbers = _limit(_listed(call, "bag_numbers"), "bag_numbers", rules.MAX_BAGS)
    codes = _limit(_listed(call, "logistics_order_codes"), "logistics_order_codes", rules.MAX_BAGS)
    if not numbers and not codes:
        raise WishError("wp_bag_missing_query")
    caller = caller_of(call)
    found = store.bags_by_numbers(call.conn, caller, numbers)
    rows = [found[n] for n in numbers if n in found]
    by_code, hit = store.bags_by_codes(call.conn, caller, codes)
    named = {r["bag_number"] for r in rows}
    rows += [r for r in by_code if r["bag_number"] not in named]
    contents = store.contents(call.conn, [r["bag_number"] for r in rows])
    bags = [render.bag_object(r, contents[r["bag_number"]], call.now, call.locale) for r in rows]
    message = render.query_message(any(n not in found for n in numbers), any(c not in hit for c in codes),
                                   call.locale)
    return {"message": message, "bags": bags}


# ---- orders_bag/cancel ----------------------------------------------------------------------------------------

CANCEL_BAGS = Json("bags", "1 to 100 bags to cancel: [{bag_number, cancel_reason (0-100 characters)}] (also "
                   "WP-DOC's [{<bag_number>: <cancel_reason>}])", kind=list)


def _cancel_item(item: Any, n: int) -> tuple[str, str]:
    """(bag number, reason) of one request item: {bag_number, cancel_reason}, or {<bag_number>: <reason>}."""
    if not isinstance(item, dict):
        raise WishError("wp_invalid_param", param=f"bags[{n}]", value=str(item)[:80])
    if "bag_number" not in item and len(item) == 1 and "cancel_reason" not in item:
        item = {"bag_number": next(iter(item)), "cancel_reason": next(iter(item.values()))}
    number = item.get("bag_number")
    if number is None or (isinstance(number, str) and not number.strip()):
        raise WishError("wp_missing_param", param=f"bags[{n}].bag_number")
    if not isinstance(number, str):
        raise WishError("wp_invalid_param", param=f"bags[{n}].bag_number", value=str(number)[:80])
    reason = rules.check_reason(item.get("cancel_reason"))
    if reason is None:
        raise WishError("wp_invalid_param", param=f"bags[{n}].cancel_reason",
                        value=f"at most {rules.MAX_REASON} characters of text")
    return number.strip(), reason


@router.op(CANCEL, scope=ORDER_WRITE, methods=("POST",), carriers=True, summary="Cancel orders bags",
           spec=spec(TOKEN, CANCEL_BAGS),
           errors=("wp_bag_failed", "wp_bag_too_many", "wp_invalid_param", "wp_missing_param"),
           error_fields={"failed_bags": []})
def cancel(call: WPCall) -> dict[str, Any] | Response:
    """Cancels each bag that is Created (or Abnormal with every parcel cancelled first). The others are listed
    in `failed_bags` (code 1000 "Failed due to business reason") while the valid ones of the same request are
    cancelled all the same, as WP-DOC's per-bag failures suggest. The request is checked whole first: a
    malformed item cancels nothing."""
    items = call.params.get("bags")
    if not items:
        raise WishError("wp_missing_param", param="bags")
    if len(items) > rules.MAX_BAGS:
        raise WishError("wp_bag_too_many", max=rules.MAX_BAGS, param="bags", count=len(items))
    wanted: dict[str, str] = {}
    for n, item in enumerate(items):
        number, reason = _cancel_item(item, n)
        wanted.setdefault(number, reason)  # a bag named twice is cancelled once
    caller = caller_of(call)
    found = {k: v for k, v in store.bags_by_numbers(call.conn, caller, list(wanted)).items()
             if rules.may_cancel_as(v, caller)}
    contents = store.contents(call.conn, list(found))
    failed = []
    for number, reason in wanted.items():
        bag = found.get(number)
        if bag is None:
            failed.append(render.cancel_failure(number, errors.BAG_NOT_WISHPOST, call.locale))
            continue
        states = render.parcel_states(contents[number], call.now)
        refusal = rules.cancel_refusal(rules.view(bag, states, call.now), states)
        if refusal is not None:
            failed.append(render.cancel_failure(number, refusal, call.locale))
            continue
        store.cancel(call.conn, number, reason, call.now)
    if failed:
        return refused(call, {"failed_bags": failed})
    return {"message": render.SUCCESSFUL, "failed_bags": []}


# ---- orders_bag/download_label ---------------------------------------------------------------------------------

@router.op(LABEL, scope=f"{LABEL_READ}|{ORDER_READ}|{ORDER_WRITE}", summary="Download bag labels (PDF)",
           spec=spec(TOKEN, NameList("bag_numbers", "1 to 100 bag numbers. " + LIST_FORMS.replace(
               "name", "bag_numbers"))),
           errors=("wp_bag_label_not_found", "wp_bag_too_many", "wp_missing_param", "wp_api_key_unauthorized"),
           file_type="application/pdf")
def download_label(call: WPCall) -> Response:
    """A PDF (`<user_name>_Label_<YYYYmmddHHMMSS>.pdf`) with one 10x10 cm label per bag, in the order named.
    A bag the user does not have answers a JSON error, and no PDF."""
    numbers = _limit(_listed(call, "bag_numbers"), "bag_numbers", rules.MAX_BAGS)
    if not numbers:
        raise WishError("wp_missing_param", param="bag_numbers")
    found = store.bags_by_numbers(call.conn, caller_of(call), numbers)
    for number in numbers:
        if number not in found:
            raise WishError("wp_bag_label_not_found", bag_number=number)
    contents = store.contents(call.conn, numbers)
    user_name = call.principal.username if call.principal is not None else "wishpost"
    pdf = labels.render_bag_labels([render.label_data(found[n], contents[n], user_name) for n in numbers])
    filename = labels.label_filename(user_name, call.now)
    return Response(pdf, media_type="application/pdf",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})
