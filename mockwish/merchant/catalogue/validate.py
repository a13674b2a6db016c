"""Catalogue value rules from the Product and Variation sections (declared values, hscode, images...)."""

from __future__ import annotations

import re
from typing import Any

from mockwish.errors import WishError
from mockwish.reference import iso_countries, units

MAX_IMAGES = 100
MAX_TAGS = 10
MAX_VARIATIONS = 400

_URL = re.compile(r"^https?://[^\s/$.?#][^\s]*$", re.IGNORECASE)
_UPC = re.compile(r"^\d{8,14}$")
_HSCODE = re.compile(r"^\d{4,10}(\.\d{1,4})?$")
_DECLARED_VALUE = re.compile(r"^\$?\d+(\.\d+)?$")
_LATIN_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 ,.'&()/+\-]{1,199}$")
_LOCAL_NAME = re.compile(r"^[^\s!-/:-@\[-`{-~][^!?]{1,199}$")
_SHIPPING_TIME = re.compile(r"^(\d+)-(\d+)$")


def image_url(url: str) -> str:
    """An image URL Wish could fetch; anything else is the documented 'Cannot get image' (1000/13)."""
    url = url.strip()
    if not _URL.match(url):
        raise WishError("image_url", url=url)
    return url


def image_list(raw: str) -> list[str]:
    return [image_url(u) for u in raw.split("|") if u.strip()]


def tags(raw: str) -> list[str]:
    """Comma separated; only 10 are allowed and any past 10 are ignored (as the docs say)."""
    out: list[str] = []
    for t in raw.split(","):
        t = t.strip()
        if t and t not in out:
            out.append(t)
    return out[:MAX_TAGS]


def tag_id(name: str) -> str:
    return re.sub(r"[^0-9a-z]", "", name.lower()) or name


def upc(raw: str) -> str:
    if not _UPC.match(raw.strip()):
        raise WishError("invalid_param", value=raw, param="upc")
    return raw.strip()


def unit(raw: str) -> str:
    value = raw.strip().upper()
    if value not in units():
        raise WishError("invalid_param", value=raw, param="unit")
    return value


def shipping_time(raw: str) -> str:
    m = _SHIPPING_TIME.match(raw.strip())
    if not m or int(m.group(1)) < 2 or int(m.group(1)) > int(m.group(2)):
        raise WishError("invalid_param", value=raw, param="shipping_time")
    return raw.strip()


def count_images(extra: list[str], variant_images: int) -> None:
    total = len(extra) + variant_images
    if total > MAX_IMAGES:
        raise WishError("too_many_images", count=total)


LOGISTICS_FIELDS = ("length", "width", "height", "weight", "declared_name", "declared_local_name", "pieces",
                    "declared_value", "hscode", "origin_country", "has_powder", "has_liquid", "has_battery",
                    "has_metal")


def logistics(params: dict[str, Any], current: dict[str, Any] | None) -> dict[str, Any] | None:
    """Merge the logistics parameters sent into the variant's LogisticsMetadata, checking each rule."""
    sent = {k: params[k] for k in LOGISTICS_FIELDS if k in params}
    if not sent:
        return current
    out = dict(current or {})
    for k, v in sent.items():
        if k == "declared_name" and not _LATIN_NAME.match(v):
            raise WishError("invalid_param", value=v, param=k)
        if k == "declared_local_name" and (not _LOCAL_NAME.match(v) or v.isascii()):
            raise WishError("invalid_param", value=v, param=k)
        if k == "declared_value":
            if not _DECLARED_VALUE.match(v.strip()):
                raise WishError("invalid_param", value=v, param=k)
            v = float(v.strip().lstrip("$"))
            if v > 100000:
                raise WishError("out_of_range", param=k, low=0, high=100000, value=f"{v:g}")
        if k == "hscode" and not _HSCODE.match(v.strip()):
            raise WishError("invalid_param", value=v, param=k)
        if k == "origin_country":
            v = v.strip().upper()
            if v not in iso_countries():
                raise WishError("invalid_param", value=v, param=k)
        out[k] = v
    return out
