"""Bag labels of orders_bag/download_label as a real PDF (wishpost-api.txt "Download Bag Label"): one 10x10 cm
label per bag, one per page, with the bag number as text and as a Code 128 barcode, the hub warehouse (name and
code), the pickup service, the parcel count and weight, the owner and when the bag was made. No HTTP, no
database: the routes turn bag rows into `BagLabelData` values. The drawing machinery (fonts, CJK text, Code 128)
is labels.py's."""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass

from mockwish.wishpost import labels
from mockwish.wishpost.labels import _barcode_text, _join, _Painter, _render

BAG_FORMAT = "10"  # the 10x10 cm stock a hub prints bag labels on


@dataclass(frozen=True, slots=True)
class BagLabelData:
    """What one bag label shows."""

    bag_number: str
    hub_warehouse_code: int
    hub_warehouse_name: str  # Chinese, as hub_warehouse_table prints it
    hub_warehouse_name_en: str
    pickup_service: int
    pickup_service_name: str  # STO pickup, self-delivery
    parcel_count: int
    weight_kg: float
    owner: str  # the user who made it, or the carrier
    created: str  # Beijing time, YYYY-MM-DD HH:mm:ss


def render_bag_labels(bags: Sequence[BagLabelData], fmt: str = BAG_FORMAT) -> bytes:
    """One PDF, one bag label per page. ValueError for an unknown format or no bags."""
    key = labels.format_key(fmt)
    if not bags:
        raise ValueError("no bags to label")
    return _render(key, "WishPost bag labels", [functools.partial(_draw, b) for b in bags])


def _draw(b: BagLabelData, pt: _Painter, layout: str, key: str) -> None:
    number = _barcode_text(b.bag_number)
    hub = _join(pt.clean(b.hub_warehouse_name), pt.clean(b.hub_warehouse_name_en), sep="  ")
    hub_line = f"HUB {b.hub_warehouse_code}"
    service = f"Pickup service: {b.pickup_service} {pt.clean(b.pickup_service_name)}".strip()
    facts = f"Parcels: {b.parcel_count}    Weight: {b.weight_kg:.3f} kg"
    who = _join(f"Owner: {pt.clean(b.owner)}" if b.owner else "", f"Created: {pt.clean(b.created)}", sep="    ")
    if layout == "wide":  # 10x5 cm or 4x2 in stock
        pt.box(1, 1, 98, 48, weight=0.5)
        pt.text(2.5, 43.5, "WishPost BAG", 9, 45, bold=True)
        pt.text(48, 43.5, hub_line, 9, 49.5, bold=True, align="right")
        pt.hline(41.5, 1, 99, 0.4)
        pt.text(2.5, 35.5, hub, 11, 95, bold=True)
        pt.text(2.5, 30.5, _join(service, facts, sep="    "), 6.5, 95)
        pt.text(2.5, 26.5, who, 6, 95)
        pt.barcode(number, 1, 10, 98, 13, 0.4)
        pt.text(1, 5.5, number, 9, 98, bold=True, align="center")
        pt.text(73, 2, f"sandbox \u00b7 {key}", 4.5, 24.5, align="right")
        return
    pt.box(1.5, 1.5, 97, 97, weight=0.6)
    pt.text(3, 91, "WishPost BAG LABEL", 13, 60, bold=True)
    pt.text(63, 91, hub_line, 13, 33.5, bold=True, align="right")
    pt.hline(86, 1.5, 98.5, 0.5)
    pt.text(3, 76, hub, 16, 94, bold=True)
    pt.text(3, 68, service, 10, 94)
    pt.text(3, 62, facts, 10, 94)
    pt.text(3, 56, who, 8, 94)
    pt.hline(50, 1.5, 98.5, 0.5)
    pt.barcode(number, 1.5, 22, 97, 22, 0.45)
    pt.text(1.5, 15, number, 12, 97, bold=True, align="center")
    pt.text(3, 3.2, f"mockwish sandbox bag label  \u00b7  {key}", 5, 93)
