"""The WishPost v2 XML wire: requests are XML documents (root `<root>`, `<orders>` or `<tracks>`) whose
children are the parameters; answers are `<root><status>..</status><timestamp>YYYY/MM/DD HH:MM:SS</timestamp>
...</root>` with HTTP 200, and an error puts its code in `<status>` (supplement-wishpost.md 3, 7.1).
Bodies are parsed with defusedxml (no entities, no DTDs) after a size check."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from xml.etree.ElementTree import Element

import defusedxml.ElementTree as SafeET
from defusedxml import DefusedXmlException
from starlette.responses import Response

from mockwish.errors import WishError
from mockwish.ids import new_hex
from mockwish.wire.xml import to_xml
from mockwish.wishpost.wire_v3 import beijing

XML = "application/xml"


def parse(body: bytes, max_bytes: int) -> Element | None:
    """The document element of an XML body (None when empty); WishErrors for oversized or malformed bodies."""
    if len(body) > max_bytes:
        raise WishError("wp_body_too_large", limit=max_bytes)
    if not body.strip():
        return None
    try:
        return SafeET.fromstring(body)
    except DefusedXmlException as exc:
        raise WishError("wp_invalid_body", reason="entities and DTDs are not allowed") from exc
    except (SafeET.ParseError, ValueError, RecursionError) as exc:
        raise WishError("wp_invalid_body", reason="not well-formed XML") from exc


def fields(root: Element | None) -> dict[str, str]:
    """The text of each direct child of the root, by tag (the parameters of an old-OAuth or auth_test call)."""
    if root is None:
        return {}
    return {child.tag: (child.text or "").strip() for child in root if isinstance(child.tag, str)}


def ok_body(values: dict[str, Any], now: datetime) -> dict[str, Any]:
    return {"status": 0, "timestamp": beijing(now, "%Y/%m/%d %H:%M:%S"), **values}


def error_body(err: WishError, locale: str, now: datetime) -> dict[str, Any]:
    return {"status": err.code, "timestamp": beijing(now, "%Y/%m/%d %H:%M:%S"),
            "error_message": err.message(locale), "error_ref_id": new_hex(32)}


def render(body: dict[str, Any], headers: dict[str, str] | None = None) -> Response:
    """HTTP 200 whatever the status (no client of the XML API reads anything else)."""
    return Response(to_xml("root", body), media_type=XML, headers=headers)
