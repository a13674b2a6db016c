"""The WishPost v2 XML wire: requests are XML documents (root `<root>`, `<orders>` or `<tracks>`) whose
children are the parameters; answers are `<root><status>..</status><timestamp>YYYY/MM/DD HH:MM:SS</timestamp>
...</root>` with HTTP 200, and an error puts its code in `<status>` (supplement-wishpost.md 3, 7.1).

Bodies are parsed with bounded work: defusedxml's hardened expat parser (no DTD, no entity declarations, no
external references) fed in chunks of XML_CHUNK_BYTES, with a target that counts every element (and attribute) as
expat reports it and stops the parse at once, mid-chunk, when the document nests deeper than the depth limit
or holds more elements than the largest legitimate request needs (`element_budget`), and with no unfinished
token (tag, comment) longer than MAX_TOKEN_BYTES. Any refusal is the
malformed-body error (wp_invalid_body, 1101) with its reason. `parse_async` yields to the event loop
between chunks, so a large body never holds the loop for more than one chunk's worth of parsing."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any, NamedTuple
from xml.etree.ElementTree import Element, TreeBuilder

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import DefusedXMLParser
from starlette.responses import Response

from mockwish.config import Settings
from mockwish.errors import WishError
from mockwish.ids import new_hex
from mockwish.wire.xml import xml_text
from mockwish.wishpost.wire_v3 import beijing

XML = "application/xml"
# The most parsing one step does before the next check and yield: 16 KiB of the densest markup (<a/>) is
# ~4,000 elements, about 15 ms here (64 KiB steps measured up to ~45 ms).
XML_CHUNK_BYTES = 16 * 1024
# Expat re-scans an unfinished token (a tag, comment or declaration) on every feed and handles a start tag's
# attributes only once the tag is complete, so one long token would undo the chunking (a 14 MB start tag of
# a million attributes took 3.7 s in one step); no legitimate request has a token near this size.
MAX_TOKEN_BYTES = 16 * 1024

# The element budget. The largest legitimate XML body is a create_order (wishpost-api.txt): one <orders>
# root, its own parameters (access_token, api_key, mark, bid), then one <order> per parcel whose children
# are flat text fields. Each of the doc's two create_order tables lists 87 per-order fields (91 rows less
# the 4 document-level ones); the current one names the goods product_item_*, the older one content, num,
# single_price, has_battery, ...; a client mixing both vocabularies sends at most 101 distinct names. With
# headroom for undocumented extras, one order is budgeted 128 elements (itself included), and the document
# 64 more. generate_label (one <barcode> per label) and tracking (<tracks>, at most 10 barcodes) need fewer.
ORDER_FIELDS_DOCUMENTED = 101
ORDER_FIELDS_MARGIN = 26
ELEMENTS_PER_ORDER = 1 + ORDER_FIELDS_DOCUMENTED + ORDER_FIELDS_MARGIN  # 128
DOCUMENT_ELEMENTS = 64
DEFAULT_MAX_DEPTH: int = Settings.model_fields["xml_max_depth"].default  # the settings' defaults, not copies
DEFAULT_MAX_ORDERS: int = Settings.model_fields["wishpost_max_orders_per_request"].default


def element_budget(max_orders: int) -> int:
    """The most elements an XML body may hold: a create_order of `max_orders` orders, with headroom."""
    return max_orders * ELEMENTS_PER_ORDER + DOCUMENT_ELEMENTS


@dataclass(frozen=True)
class XMLLimits:
    """From the settings: max_body_bytes, xml_max_depth, element_budget(wishpost_max_orders_per_request)."""

    max_bytes: int
    max_depth: int = DEFAULT_MAX_DEPTH
    max_elements: int = element_budget(DEFAULT_MAX_ORDERS)


class _Counted:
    """The parser's target: a TreeBuilder behind a guard that counts depth and elements at each start tag
    and raises (from inside expat's callback, which ends the parse there) once a limit is passed."""

    def __init__(self, limits: XMLLimits) -> None:
        self._limits = limits
        self._builder = TreeBuilder()
        self.depth = 0
        self.elements = 0

    def start(self, tag: str, attrs: dict[str, str]) -> Element:
        self.depth += 1
        self.elements += 1 + len(attrs)  # an attribute costs what an element does
        if self.depth > self._limits.max_depth:
            raise WishError("wp_invalid_body", reason=f"XML nested deeper than {self._limits.max_depth} levels")
        if self.elements > self._limits.max_elements:
            raise WishError("wp_invalid_body",
                            reason=f"more than {self._limits.max_elements} XML elements and attributes")
        return self._builder.start(tag, attrs)

    def end(self, tag: str) -> Element:
        self.depth -= 1
        return self._builder.end(tag)

    def data(self, text: str) -> None:
        self._builder.data(text)

    def close(self) -> Element:
        return self._builder.close()


class BoundedXMLParser:
    """One body's parse, fed chunk by chunk; `feed` and `close` raise WishError("wp_invalid_body")."""

    def __init__(self, limits: XMLLimits) -> None:
        self.limits = limits
        self.target = _Counted(limits)
        self.chunks_fed = 0
        self.bytes_fed = 0
        self._parser = DefusedXMLParser(target=self.target, forbid_dtd=True, forbid_entities=True,
                                        forbid_external=True)

    def feed(self, chunk: bytes) -> None:
        self.chunks_fed += 1
        self.bytes_fed += len(chunk)
        with _as_invalid_body():
            self._parser.feed(chunk)
        # between feeds, expat's position is where its last complete token ended: the rest is unfinished
        if self.bytes_fed - self._parser.parser.CurrentByteIndex > MAX_TOKEN_BYTES:
            raise WishError("wp_invalid_body", reason=f"an XML tag, comment or declaration longer than "
                                                      f"{MAX_TOKEN_BYTES} bytes")

    def close(self) -> Element:
        with _as_invalid_body():
            return self._parser.close()


@contextmanager
def _as_invalid_body() -> Iterator[None]:
    """Whatever the XML machinery raises on client input is the malformed-body error, never a 9000."""
    try:
        yield
    except WishError:
        raise
    except DefusedXmlException as exc:
        raise WishError("wp_invalid_body", reason="entities and DTDs are not allowed") from exc
    except LookupError as exc:  # <?xml version="1.0" encoding="x-unknown"?>
        raise WishError("wp_invalid_body", reason="not well-formed XML (unknown encoding)") from exc
    except Exception as exc:  # ParseError, UnicodeError, RecursionError, whatever else expat raises
        raise WishError("wp_invalid_body", reason="not well-formed XML") from exc


def _chunks(body: bytes) -> Iterator[bytes]:
    for at in range(0, len(body), XML_CHUNK_BYTES):
        yield body[at:at + XML_CHUNK_BYTES]


def _check_size(body: bytes, limits: XMLLimits) -> bool:
    """False for an empty body; WishError for an oversized one."""
    if len(body) > limits.max_bytes:
        raise WishError("wp_body_too_large", limit=limits.max_bytes)
    return bool(body.strip())


def parse(body: bytes, max_bytes: int, max_depth: int = DEFAULT_MAX_DEPTH,
          max_elements: int = element_budget(DEFAULT_MAX_ORDERS)) -> Element | None:
    """The document element of an XML body (None when empty); WishErrors for oversized or malformed bodies,
    bodies nested deeper than max_depth and bodies of more than max_elements elements. Synchronous: the
    work is bounded by the limits, but from async code prefer parse_async."""
    limits = XMLLimits(max_bytes, max_depth, max_elements)
    if not _check_size(body, limits):
        return None
    parser = BoundedXMLParser(limits)
    for chunk in _chunks(body):
        parser.feed(chunk)
    return parser.close()


async def parse_async(body: bytes, limits: XMLLimits) -> Element | None:
    """parse(), yielding to the event loop between chunks."""
    if not _check_size(body, limits):
        return None
    parser = BoundedXMLParser(limits)
    for chunk in _chunks(body):
        if parser.chunks_fed:
            await asyncio.sleep(0)
        parser.feed(chunk)
    return parser.close()


def fields(root: Element | None) -> dict[str, str]:
    """The text of each flat child of an element, by tag (the last one wins, as in a form): the parameters of
    a call, or the fields of one create_order <order>. Children with children of their own (<order>,
    <product_items>) are not parameters."""
    if root is None:
        return {}
    return {child.tag: (child.text or "").strip() for child in root if isinstance(child.tag, str) and len(child) == 0}


def ok_body(values: dict[str, Any], now: datetime) -> dict[str, Any]:
    return {"status": 0, "timestamp": beijing(now, "%Y/%m/%d %H:%M:%S"), **values}


def error_body(err: WishError, locale: str, now: datetime) -> dict[str, Any]:
    return {"status": err.code, "timestamp": beijing(now, "%Y/%m/%d %H:%M:%S"),
            "error_message": err.message(locale), "error_ref_id": new_hex(32)}


class Node(NamedTuple):
    """An element with attributes, text and children, where the answer needs more than <tag>text</tag>:
    `<barcode guid=".." state="..">..</barcode>`, `<tracks barcode=".."><track>..</track></tracks>`. A tuple:
    a tracking answer is hundreds of them."""

    tag: str
    text: str | None = None
    attrs: dict[str, str] | None = None
    children: tuple[Node, ...] = ()


class Raw(NamedTuple):
    """Markup rendered before (a cached fragment), written as is."""

    xml: str


def fragment(node: Node) -> Raw:
    """A node rendered once, to be kept and written again as is."""
    out: list[str] = []
    _write(out, node.tag, node)
    return Raw("".join(out))


def _write(out: list[str], tag: str, value: Any) -> None:
    if isinstance(value, Raw):
        out.append(value.xml)
    elif isinstance(value, Node):
        attrs = "".join(f' {k}="{xml_text(str(v), _ATTR)}"' for k, v in value.attrs.items()) if value.attrs else ""
        if value.text is None and not value.children:
            out.append(f"<{value.tag}{attrs}></{value.tag}>")
            return
        out.append(f"<{value.tag}{attrs}>{xml_text(value.text or '')}")
        for child in value.children:
            _write(out, child.tag, child)
        out.append(f"</{value.tag}>")
    elif isinstance(value, list):
        for item in value:  # repeated elements of one name
            _write(out, tag, item)
    elif isinstance(value, dict):
        out.append(f"<{tag}>")
        for k, v in value.items():
            _write(out, k, v)
        out.append(f"</{tag}>")
    else:
        out.append(f"<{tag}>{'' if value is None else xml_text(str(value))}</{tag}>")


_ATTR = {'"': "&quot;"}


def document(body: dict[str, Any]) -> bytes:
    """`<?xml version="1.0" encoding="utf-8"?><root>...</root>` as live WishPost traffic shows it (supplement
    3.1); a list value repeats its element, a Node carries attributes."""
    out = ['<?xml version="1.0" encoding="utf-8"?>']
    _write(out, "root", body)
    return "".join(out).encode("utf-8")


def render(body: dict[str, Any], headers: dict[str, str] | None = None) -> Response:
    """HTTP 200 whatever the status (no client of the XML API reads anything else)."""
    return Response(document(body), media_type=XML, headers=headers)
