"""How a parcel is shown: the create_order elements, the tracking `<tracks>` element, the order_status object,
a cancel failure, and what its label prints."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from mockwish.wishpost import labels, reference
from mockwish.wishpost.parcels import rules
from mockwish.wishpost.wire_v3 import beijing
from mockwish.wishpost.wire_xml import Node

if TYPE_CHECKING:
    from mockwish.wishpost.ops import WPCall

NO_SUCH_BARCODE = {"cn": "无此运单号", "en": "Invalid Barcode"}  # WP-DOC; the English one from a client (YB)
COLLECTION_SAVED = {"zh": "揽收信息更新成功,可稍后查询该订单状态。",  # WP-DOC's success example
                    "en": "The collection option was updated; query the order status later."}
# a printcode's label format -> download_label's `format` (supplement 4: A4, 10, 15)
DOWNLOAD_FORMATS = {"A4": "A4", "10": "10", "4x2": "15"}
CHARGE_OK = "Charge successfully"


def download_format(fmt: str) -> str:
    return DOWNLOAD_FORMATS.get(fmt, "10")


def created_nodes(row: dict[str, Any]) -> list[Node]:
    """One created order of create_order: its WOSP id and barcode (empty under review) with guid and state,
    and its warehouse."""
    state = "Reviewing" if row["reviewed"] else "Created"  # the order is Created; its barcode may be under review
    nodes = [Node("wish_standard_tracking_id", row["id"], {"guid": row["guid"], "state": "Created"}),
             Node("barcode", None if row["reviewed"] else row["barcode"], {"guid": row["guid"], "state": state})]
    code, name = warehouse_of(row)
    if code:
        nodes.append(Node("warehouse", name, {"warehouse_code": str(code)}))
    return nodes


def warehouse_of(row: dict[str, Any]) -> tuple[int, str]:
    """(code, name) of the warehouse a parcel goes to: the one its order named, or EPC's first for EPC."""
    channel = reference.channels().get(row["otype"])
    if row["warehouse_code"]:
        name = reference.create_order_warehouses().get(row["warehouse_code"], "")
        return row["warehouse_code"], name
    if channel is not None and channel.family == "epc":
        code = min(reference.epc_warehouses())
        return code, reference.epc_warehouses()[code].name_cn
    return 0, ""


def tracks_node(row: dict[str, Any], number: str, view: rules.View, language: str) -> Node:
    attrs = {"barcode": number}
    if view.last_mile_assigned and row["last_mile_tracking_id"]:
        attrs |= {"last_mile_tracking_id": row["last_mile_tracking_id"], "last_mile_carrier": row["last_mile_carrier"]}
    statuses = reference.tracking_statuses()
    tracks = []
    for event in view.events:
        status = statuses.get(event.status)
        children = [Node("date", beijing(event.at)), Node("status_number", str(event.status)),
                    Node("status_desc", status.desc(language) if status else ""),
                    Node("remark", event.remark or None), Node("city"), Node("state"), Node("country_code")]
        if event.charge:
            weight, fee = rules.charge(row)
            if row["last_mile_tracking_id"]:  # the hub hands it to the last-mile carrier (EPC)
                children += [Node("lm_carrier", row["last_mile_carrier"]),
                             Node("lm_tracking_id", row["last_mile_tracking_id"])]
            children += [Node("charge_status", "0"), Node("charge_status_message", CHARGE_OK),
                         Node("pricing_weight", f"{weight:.2f}"), Node("charged_shipping_fee", f"{fee:.2f}")]
        tracks.append(Node("track", None, {}, tuple(children)))
    return Node("tracks", None, attrs, tuple(tracks))


def status_object(call: WPCall, row: dict[str, Any], view: rules.View) -> dict[str, Any]:
    """One parcel as order_status lists it (WP-DOC's example, key for key)."""
    from mockwish.wishpost.parcels import store
    from mockwish.wishpost.parcels.routes import label_urls  # the routes build URLs; they import this module

    urls = label_urls(call, row["mark"]) if view.accepted else {}
    code, name = warehouse_of(row)
    epc = reference.epc_warehouses().get(code)
    address = epc.warehouse_address_cn if epc is not None else None
    return {
        "wish_standard_tracking_id": row["id"],
        "logistics_order_code": row["logistics_order_code"] if view.accepted else "",
        "wish_transaction_ids": store.transactions_of(call.conn, row["linked_order_ids"]),
        "state_name": view.state_name, "state_code": view.state,
        "cancel_reason_code": row["cancel_reason_code"] if view.state == rules.CANCELED else "",
        "cancel_fail_reason": "", "message": "", "reference_qrcode": "",
        "PDF_10_LCL_URL": urls.get("PDF_10_LCL_URL", ""), "PDF_10_EN_URL": urls.get("PDF_10_EN_URL", ""),
        "dest_warehouse_code": code, "dest_warehouse_name": name, "hub_warehouse_code": "",
        "dest_warehouse_address_cn": _address(address, name),
        # the collection option the client confirmed (order/collection_option/confirm), once there is one: an
        # order that never had one answers WP-DOC's keys exactly
        **({"collection_option": row["collection"]} if row["collection"] else {}),
    }


def _address(address: Any, name: str) -> dict[str, Any]:
    if address is None:
        return {"province": "", "city": "", "name": name, "district": "", "zipcode": "", "address": "",
                "phone_number": "", "email": None}
    return {"province": address.province or "", "city": address.city or "", "name": address.name or name,
            "district": address.district or "", "zipcode": address.zipcode or "", "address": address.address or "",
            "phone_number": address.phone_number or "", "email": address.email}


CANCELLING = "The order is being cancelled"  # the mock's text for an accepted cancel (the docs show none)


def cancel_failure(code: int) -> dict[str, Any]:
    return {"cancel_result_code": code, "cancel_result_message": reference.CANCEL_RESULTS[code]}


def cancel_accepted() -> dict[str, Any]:
    return {"cancel_result_code": 0, "cancel_result_message": CANCELLING}


def label_parcel(row: dict[str, Any], now: datetime) -> labels.LabelParcel:
    """What the parcel's label prints: the tracking number once the client knows it, else the WOSP id."""
    f = row["fields"]
    channel = reference.channels().get(row["otype"])
    view = rules.view(row, now)
    number = row["barcode"] if (not row["reviewed"] or view.accepted) else row["id"]
    items = row["items"]
    quantity = sum(int(i.get("product_item_num") or 1) for i in items) if items else 1
    weight, value = rules.goods_totals(items)
    return labels.LabelParcel(
        tracking_number=number, wish_standard_tracking_id=row["id"],
        channel_name=channel.name if channel else row["otype"], otype=row["otype"],
        sender_name=f.get("from", ""), sender_address=f.get("sender_addres", ""), sender_city=f.get("sender_city", ""),
        sender_province=f.get("sender_province", ""), sender_phone=f.get("sender_phone", ""),
        sender_zipcode=f.get("sender_zipcode", ""), to=f.get("to", ""),
        recipient_address=f.get("recipient_addres", ""), recipient_city=f.get("recipient_city", ""),
        recipient_province=f.get("recipient_province", ""), recipient_postcode=f.get("recipient_postcode", ""),
        recipient_country=f.get("recipient_country", ""), recipient_country_short=row["dest_country"],
        recipient_phone=f.get("recipient_phone", ""), to_local=f.get("to_local", ""),
        recipient_address_local=f.get("recipient_addres_local", ""),
        recipient_city_local=f.get("recipient_city_local", ""),
        recipient_province_local=f.get("recipient_province_local", ""),
        recipient_country_local=f.get("recipient_country_local", ""),
        content=", ".join(i.get("product_item_name", "") for i in items), quantity=quantity, weight_kg=weight,
        declared_value=value, currency=(f.get("currency") or "USD").upper(), user_desc=f.get("user_desc", ""),
        created=beijing(row["created_at"]))
