"""The WishPost XML wire's bounded parsing (issue #11, items 3 and 5): depth and element limits, no DTDs or
entities, no unfinished token past MAX_TOKEN_BYTES, unknown encodings answered as malformed XML on every XML
route, and a parser that stops within its budget and yields to the loop between chunks."""

from __future__ import annotations

import asyncio
import re
from xml.etree import ElementTree

import pytest
from starlette.testclient import TestClient
from wishpost_support import DEFAULT_WISHPOST_TOKEN

from mockwish.config import Settings
from mockwish.errors import WishError, message
from mockwish.wishpost import oauth_routes, wire_xml

# every operation of the v2 XML wire, at /wishpost/... on the main port and at the root of the WishPost port
XML_PATHS = [op.path for op in oauth_routes.router.operations if op.wire == "xml"]
XML_URLS = [f"/wishpost{p}" for p in XML_PATHS] + [f"http://testserver:8001{p}" for p in XML_PATHS]
AUTH_TEST = "/wishpost/api/v2/auth_test"
BUDGET = wire_xml.element_budget(Settings().wishpost_max_orders_per_request)
BIG = 16 * 1024 * 1024


def _xml(r) -> dict[str, str]:  # noqa: ANN001
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/xml"), r.text
    root = ElementTree.fromstring(r.content)
    assert root.tag == "root"
    return {child.tag: child.text or "" for child in root}


def _malformed(r, reason: str | None = None) -> None:  # noqa: ANN001
    got = _xml(r)
    assert got["status"] == "1101", got  # wp_invalid_body, in the XML envelope
    assert got["error_message"].startswith("Invalid Request Body: "), got
    assert re.fullmatch(r"[0-9a-f]{32}", got["error_ref_id"])
    if reason is not None:
        assert got["error_message"] == message("wp_invalid_body", reason=reason), got


def _auth_test(inner: str) -> bytes:
    return f"<root><access_token>{DEFAULT_WISHPOST_TOKEN}</access_token>{inner}</root>".encode()


def test_the_six_xml_routes() -> None:
    assert sorted(XML_PATHS) == ["/api/v2/auth_test", "/api/v2/oauth/access_token", "/api/v2/oauth/refresh_token"]


# ---- depth -------------------------------------------------------------------------------------------

def test_depth_32_is_accepted(client: TestClient) -> None:
    nested = "<a>" * 31 + "</a>" * 31  # under <root>: 32 levels
    got = _xml(client.post(AUTH_TEST, content=_auth_test(nested)))
    assert got["status"] == "0" and got["user_id"], got


def test_depth_33_is_malformed_xml(client: TestClient) -> None:
    nested = "<a>" * 32 + "</a>" * 32  # 33 levels
    _malformed(client.post(AUTH_TEST, content=_auth_test(nested)), "XML nested deeper than 32 levels")


# ---- the element budget ------------------------------------------------------------------------------

def test_budget_is_sized_from_the_order_maximum() -> None:
    # a create_order of 1,000 orders, each with every documented field (101 names across both tables)
    assert wire_xml.ELEMENTS_PER_ORDER >= 1 + wire_xml.ORDER_FIELDS_DOCUMENTED
    assert BUDGET == 1000 * wire_xml.ELEMENTS_PER_ORDER + wire_xml.DOCUMENT_ELEMENTS
    order = "<order>" + "".join(f"<f{i}>value</f{i}>" for i in range(wire_xml.ORDER_FIELDS_DOCUMENTED)) + "</order>"
    body = ("<orders><access_token>t</access_token><mark/><bid>0</bid>" + order * 1000 + "</orders>").encode()
    root = wire_xml.parse(body, BIG)
    assert root is not None and len(root.findall("order")) == 1000


def test_budget_is_accepted_and_one_more_is_malformed(client: TestClient) -> None:
    # <root> and <access_token> are two elements
    got = _xml(client.post(AUTH_TEST, content=_auth_test("<x/>" * (BUDGET - 2))))
    assert got["status"] == "0", got
    _malformed(client.post(AUTH_TEST, content=_auth_test("<x/>" * (BUDGET - 1))),
               f"more than {BUDGET} XML elements and attributes")


def test_attributes_count_against_the_budget() -> None:
    with pytest.raises(WishError) as info:
        wire_xml.parse(b"<root>" + b"<x a='' b=''/>" * 10 + b"</root>", BIG, max_elements=25)
    assert info.value.definition.key == "wp_invalid_body"
    assert wire_xml.parse(b"<root>" + b"<x a=''/>" * 12 + b"</root>", BIG, max_elements=25) is not None


def test_a_million_elements_stop_within_the_budget(monkeypatch: pytest.MonkeyPatch) -> None:
    parsers: list[wire_xml.BoundedXMLParser] = []

    class Recording(wire_xml.BoundedXMLParser):
        def __init__(self, limits: wire_xml.XMLLimits) -> None:
            super().__init__(limits)
            parsers.append(self)

    monkeypatch.setattr(wire_xml, "BoundedXMLParser", Recording)
    head, element = b"<root>", b"<a/>"
    body = head + element * 1_000_000 + b"</root>"
    with pytest.raises(WishError) as info:
        wire_xml.parse(body, BIG)
    assert info.value.params["reason"] == f"more than {BUDGET} XML elements and attributes"
    (parser,) = parsers
    assert parser.target.elements == BUDGET + 1  # stopped at the first element past the budget
    needed = len(head) + len(element) * BUDGET  # the bytes holding the root and BUDGET elements
    assert parser.chunks_fed == needed // wire_xml.XML_CHUNK_BYTES + 1  # fed no further than the chunk with it
    assert parser.bytes_fed < len(body) // 7


# ---- what the parser refuses -------------------------------------------------------------------------

ENTITY_BODIES = {
    "billion laughs": b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
                      b'<!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
                      b'<!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">]>'
                      b"<root><access_token>&lol2;</access_token></root>",
    "external entity": b'<?xml version="1.0"?><!DOCTYPE root [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
                       b"<root><access_token>&xxe;</access_token></root>",
    "external DTD": b'<?xml version="1.0"?><!DOCTYPE root SYSTEM "http://example.com/evil.dtd"><root/>',
    "parameter entity": b'<!DOCTYPE root [<!ENTITY % p SYSTEM "http://example.com/p">%p;]><root/>',
    "bare doctype": b"<!DOCTYPE root><root><access_token>x</access_token></root>",
}


@pytest.mark.parametrize("body", ENTITY_BODIES.values(), ids=ENTITY_BODIES.keys())
def test_entities_and_dtds_are_refused(client: TestClient, body: bytes) -> None:
    _malformed(client.post("/wishpost/api/v2/oauth/access_token", content=body),
               "entities and DTDs are not allowed")


@pytest.mark.parametrize("body", [
    b"<root " + b" ".join(b'a%d=""' % i for i in range(200_000)) + b"/>",  # one start tag, 2 MB of attributes
    b"<" + b"a" * 100_000 + b"/>",  # one tag name
    b"<root><!--" + b"<" * 100_000 + b"--></root>",  # one comment
])
def test_an_overlong_token_is_refused_early(body: bytes) -> None:
    parser = wire_xml.BoundedXMLParser(wire_xml.XMLLimits(BIG))
    with pytest.raises(WishError) as info:
        for at in range(0, len(body), wire_xml.XML_CHUNK_BYTES):
            parser.feed(body[at:at + wire_xml.XML_CHUNK_BYTES])
    assert info.value.params["reason"] == (f"an XML tag, comment or declaration longer than "
                                           f"{wire_xml.MAX_TOKEN_BYTES} bytes")
    assert parser.bytes_fed <= wire_xml.MAX_TOKEN_BYTES + 2 * wire_xml.XML_CHUNK_BYTES


def test_long_text_is_not_a_token() -> None:
    root = wire_xml.parse(b"<root><note>" + b"x" * 1_000_000 + b"</note></root>", BIG)
    assert root is not None and wire_xml.fields(root)["note"] == "x" * 1_000_000


@pytest.mark.parametrize("url", XML_URLS)
def test_unknown_encoding_is_malformed_xml_on_every_xml_route(client: TestClient, url: str) -> None:
    r = client.post(url, content=b'<?xml version="1.0" encoding="x-unknown"?><root/>',
                    headers={"Content-Type": "application/xml"})
    _malformed(r, "not well-formed XML (unknown encoding)")


def test_declared_encodings_still_parse() -> None:
    latin = '<?xml version="1.0" encoding="iso-8859-1"?><root><a>é</a></root>'.encode("latin-1")
    utf16 = '<?xml version="1.0" encoding="utf-16"?><root><a>ü</a></root>'.encode("utf-16")
    assert wire_xml.fields(wire_xml.parse(latin, BIG)) == {"a": "é"}
    assert wire_xml.fields(wire_xml.parse(utf16, BIG)) == {"a": "ü"}


# ---- from async code ---------------------------------------------------------------------------------

def test_parse_async_yields_to_the_loop_between_chunks() -> None:
    body = b"<root>" + b"<a>some text</a>" * 20_000 + b"</root>"  # ~320 KB: many chunks, within the budget
    chunks = -(-len(body) // wire_xml.XML_CHUNK_BYTES)
    limits = wire_xml.XMLLimits(BIG)

    async def run() -> tuple[int, int]:
        ticks = 0
        done = False

        async def other_request() -> None:
            nonlocal ticks
            while not done:
                ticks += 1
                await asyncio.sleep(0)

        task = asyncio.create_task(other_request())
        await asyncio.sleep(0)  # let it start
        started = ticks
        root = await wire_xml.parse_async(body, limits)
        done = True
        await task
        assert root is not None and len(root) == 20_000
        return started, ticks

    started, ticks = asyncio.run(run())
    assert ticks - started >= chunks - 1  # the other task ran once between every two chunks
