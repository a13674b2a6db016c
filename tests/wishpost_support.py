"""Helpers shared by the WishPost HTTP tests."""

from __future__ import annotations

import base64
import os
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient

from mockwish.seed.wishpost import DEFAULT_WISHPOST_TOKEN, SECOND_WISHPOST_TOKEN

__all__ = ["DEFAULT_WISHPOST_TOKEN", "SECOND_WISHPOST_TOKEN", "basic", "bearer", "user_id"]


def basic(app: dict[str, Any], secret: str | None = None) -> dict[str, str]:
    raw = f"{app['client_id']}:{app['client_secret'] if secret is None else secret}".encode()
    return {"Authorization": "Basic " + base64.b64encode(raw).decode()}


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def user_id(client: TestClient, token: str) -> str:
    return next(u["id"] for u in client.get("/sandbox/api/wishpost/users").json() if token in u["tokens"])


# ---- v3 parcel helpers (test_wishpost_parcels_v3) -------------------------------------------------------------

V3_SANDBOX_PARCELS = "/sandbox/api/wishpost/parcels"


def v3_order_xml(token: str, orders: list[tuple[dict[str, str], list[dict[str, str]]]]) -> bytes:
    """A create_order body as WP-DOC shows it: `<orders><access_token/><mark/><bid>0</bid><order>...` with the
    goods in `<product_items><product_item>`."""
    from xml.sax.saxutils import escape

    def el(tag: str, text: str) -> str:
        return f"<{tag}>{escape(text)}</{tag}>"

    body = []
    for fields, items in orders:
        goods = "".join("<product_item>" + "".join(el(k, v) for k, v in item.items()) + "</product_item>"
                        for item in items)
        body.append("<order>" + "".join(el(k, v) for k, v in fields.items())
                    + f"<product_items>{goods}</product_items></order>")
    return (f'<?xml version="1.0" encoding="utf-8"?><orders>{el("access_token", token)}<mark/><bid>0</bid>'
            f'{"".join(body)}</orders>').encode()


def v3_order_fields(guid: str, otype: str = "36-1", seed: int = 7, **extra: str
                    ) -> tuple[dict[str, str], list[dict[str, str]]]:
    """Valid create_order fields of one non-Wish parcel (the generator's `fields_for`), plus `extra` fields."""
    import random

    from mockwish.wishpost.parcels.generate import fields_for

    fields, items = fields_for(otype, [], None, random.Random(seed), guid)
    return {**fields, **extra}, items


def v3_sandbox_parcels(client: TestClient, state: str = "accepted", token: str | None = DEFAULT_WISHPOST_TOKEN,
                       count: int = 1, **body: Any) -> list[dict[str, Any]]:
    """`count` parcels in `state` through the sandbox control (the user of `token`, or `user_id` in `body`)."""
    headers = bearer(token) if token else {}
    r = client.post(V3_SANDBOX_PARCELS, json={"count": count, "state": state, **body}, headers=headers)
    assert r.status_code == 200, r.text
    parcels: list[dict[str, Any]] = r.json()["parcels"]
    assert len(parcels) == count, parcels
    return parcels


# ---- v2 XML helpers (test_wishpost_parcels_xml) ---------------------------------------------------------------

XML_TIMESTAMP = r"\d{4}/\d\d/\d\d \d\d:\d\d:\d\d"  # supplement-wishpost.md 3.1: live traffic, Beijing time


def xml_answer(r: Any) -> Any:
    """The `<root>` Element of a v2 XML answer: HTTP 200 and application/xml whatever the status, `<status>` and
    `<timestamp>` (YYYY/MM/DD HH:MM:SS) first."""
    import re
    from xml.etree import ElementTree

    assert r.status_code == 200 and r.headers["content-type"].startswith("application/xml"), (
        r.status_code, r.headers.get("content-type"), r.text[:500])
    root = ElementTree.fromstring(r.content)
    assert root.tag == "root" and [child.tag for child in root[:2]] == ["status", "timestamp"], r.text[:500]
    assert re.fullmatch(XML_TIMESTAMP, root.findtext("timestamp") or ""), r.text[:500]
    return root


def xml_error(r: Any, status: int | str) -> str:
    """The `<error_message>` of a request-level XML error whose `<status>` is `status`; asserts the 32-hex
    `<error_ref_id>` every error carries (supplement 3.2)."""
    import re

    root = xml_answer(r)
    assert root.findtext("status") == str(status), r.text[:500]
    assert re.fullmatch(r"[0-9a-f]{32}", root.findtext("error_ref_id") or ""), r.text[:500]
    text: str = root.findtext("error_message") or ""
    assert text, r.text[:500]
    return text


def xml_children(fields: dict[str, str]) -> str:
    """`<name>value</name>` for each field, the text escaped."""
    from xml.sax.saxutils import escape

    return "".join(f"<{name}>{escape(value)}</{name}>" for name, value in fields.items())


def xml_mint_token(client: TestClient, scopes: list[str], token: str = DEFAULT_WISHPOST_TOKEN) -> dict[str, Any]:
    """A new-OAuth token of `token`'s user with only `scopes` (sandbox code, then the v3 exchange): the token
    response plus the app's client_id, client_secret and redirect_uri (to refresh it)."""
    r = client.post("/sandbox/api/wishpost/oauth/codes", json={"scopes": scopes}, headers=bearer(token))
    assert r.status_code == 200, r.text
    minted = r.json()
    r = client.get("/wishpost/api/v3/oauth/access_token", headers=basic(minted), params={
        "client_id": minted["client_id"], "code": minted["code"], "grant_type": "authorization_code",
        "redirect_uri": minted["redirect_uri"]})
    assert r.status_code == 200 and r.json()["code"] == 0, r.text
    assert r.json()["scopes"] == scopes, r.text
    return {**r.json(), **{k: minted[k] for k in ("client_id", "client_secret", "redirect_uri")}}


# ---- the WishPost docs, for the tests that read them -------------------------------------------------------

DOCS = Path(os.environ.get("MOCKWISH_DOCS_DIR", Path(__file__).resolve().parents[2] / "shared" / "docs"))


def read_doc(name: str) -> str:
    """A document of ../shared/docs (or MOCKWISH_DOCS_DIR); the test is skipped where the docs are absent."""
    path = DOCS / name
    if not path.is_file():
        pytest.skip(f"the docs are not at {DOCS} (set MOCKWISH_DOCS_DIR)")
    return path.read_text(encoding="utf-8")
