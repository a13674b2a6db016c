"""Text the wire cannot carry: a control character XML 1.0 forbids is refused in any parameter that would store
or echo it (and quoted as \\x00 in the error), an XML answer stays well-formed whatever it holds, and a JSON body
that gives an object or an array where a text belongs is refused rather than stored as its JSON text."""

from __future__ import annotations

from xml.dom.minidom import parseString

import pytest
from starlette.testclient import TestClient

from mockwish.errors import message
from mockwish.wire.xml import to_xml, xml_text
from support import DEFAULT_TOKEN, Wish

TICKET = "098765432112345678901234"  # the docs' ticket, awaiting the merchant


def replies(wish: Wish) -> list[str]:
    return [r["Reply"]["message"] for r in wish.ok("ticket", "GET", id=TICKET)["Ticket"]["replies"]]


@pytest.mark.parametrize("bad", ["\x00abc", "a\x08b", "tab\tok but \x1f not", "\ufffe"])
def test_a_control_character_is_refused_and_nothing_is_stored(wish: Wish, bad: str) -> None:
    before = replies(wish)
    body = wish.err("ticket/reply", 1000, 400, id=TICKET, reply=bad)
    assert body["message"] == message("invalid_param", value=bad.encode("unicode_escape").decode()
                                      .replace("\\t", "\t"), param="reply")
    assert "\x00" not in body["message"]
    assert replies(wish) == before


def test_tab_newline_and_carriage_return_are_text(wish: Wish) -> None:
    wish.ok("ticket/reply", id=TICKET, reply="line one\r\nline two\tend")
    assert replies(wish)[-1] == "line one\r\nline two\tend"


@pytest.mark.parametrize(("path", "params"), [
    ("ticket", {"id": "e6db1eadfccca9c92fb6ab9\x00"}),
    ("noti/mark-as-viewed", {"noti_id": "\x00"}),
    ("get/infractions", {"since": "\x00"}),
    ("returns/create-return-warehouse", {"region": "\x00"}),
    ("returns/create-return-warehouse", {"region": "US", "country": "US", "city": "A\x00", "state": "AR",
                                         "zipcode": "72712", "street_address1": "1 Main St"}),
])
def test_an_error_that_echoes_a_control_character_is_well_formed_xml(client: TestClient, path: str,
                                                                      params: dict[str, str]) -> None:
    r = client.get(f"/api/v2/{path}", params={**params, "access_token": DEFAULT_TOKEN, "format": "xml"})
    assert r.status_code == 400, r.text
    doc = parseString(r.content)  # raises on a character XML cannot carry
    assert doc.getElementsByTagName("code")[0].firstChild.data == "1000"
    assert "\\x00" in doc.getElementsByTagName("message")[0].firstChild.data


def test_the_xml_writer_never_emits_what_xml_cannot_carry() -> None:
    out = to_xml("Response", {"data": {"text": "a\x00b<c>\ufffe\ud800", "list": ["\x1f"]}})
    parsed = parseString(out)
    assert parsed.getElementsByTagName("text")[0].firstChild.data == "a\ufffdb<c>\ufffd\ufffd"
    assert xml_text('say "hi" & go', {'"': "&quot;"}) == "say &quot;hi&quot; &amp; go"


@pytest.mark.parametrize("value", [{"a": 1}, ["some message"], [], {}])
def test_a_json_object_or_array_where_a_text_belongs_is_refused(client: TestClient, wish: Wish,
                                                                 value: object) -> None:
    before = replies(wish)
    r = client.post("/api/v2/ticket/reply", json={"id": TICKET, "reply": value, "access_token": DEFAULT_TOKEN})
    body = r.json()
    assert r.status_code == 400 and body["code"] == 1000, body
    assert body["message"].endswith("is an invalid reply")
    assert replies(wish) == before


def test_a_json_number_for_a_text_is_its_digits(client: TestClient, wish: Wish) -> None:
    r = client.post("/api/v2/ticket/reply", json={"id": TICKET, "reply": 123, "access_token": DEFAULT_TOKEN})
    assert r.json()["code"] == 0, r.text
    assert replies(wish)[-1] == "123"


def test_json_parameters_still_take_objects_and_name_lists_arrays(client: TestClient, wish: Wish) -> None:
    """country_shipping_prices is a JSON document: a JSON body may give it as an object."""
    r = client.post("/api/v2/product/update-multi-shipping", json={
        "id": "123456789009876543211234", "access_token": DEFAULT_TOKEN,
        "country_shipping_prices": {"CA": 4.5}})
    assert r.json()["code"] == 0, r.text
