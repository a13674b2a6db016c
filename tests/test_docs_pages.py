"""The API reference works offline (/docs, /redoc load nothing from a CDN), the landing page at / names every
surface, and HEAD /healthz answers like GET."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urljoin, urlsplit

import pytest
from fastapi import FastAPI
from starlette.testclient import TestClient

from mockwish import __version__

PAGES = ("/docs", "/redoc")
CONTENT_TYPES = {".js": "javascript", ".css": "text/css", ".png": "image/png"}


class Assets(HTMLParser):
    """Every <script src> and <link href> of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        wanted = {"script": "src", "link": "href"}.get(tag)
        for name, value in attrs:
            if name == wanted and value:
                self.urls.append(value)


def assets_of(html: str) -> list[str]:
    parser = Assets()
    parser.feed(html)
    return parser.urls


def spec_url_of(html: str) -> str:
    """The openapi URL the page loads: Swagger UI's `url: '...'`, ReDoc's `spec-url="..."`."""
    found = re.search(r"""\burl:\s*'([^']+)'|spec-url="([^"]+)\"""", html)
    assert found, html
    return found.group(1) or found.group(2)


def on_the_mock(page_url: str, url: str) -> str:
    """The asset's absolute URL, asserting that it stays on the host that served the page."""
    absolute = urljoin(page_url, url)
    assert urlsplit(absolute).netloc == urlsplit(page_url).netloc, f"{url} leaves the mock"
    assert not urlsplit(url).netloc and not urlsplit(url).scheme, f"{url} is not a local URL"
    return absolute


@pytest.mark.parametrize("base", ["http://testserver", "http://testserver:8001"], ids=["main", "wishpost-port"])
@pytest.mark.parametrize("page", PAGES)
def test_reference_pages_load_only_local_assets(client: TestClient, page: str, base: str) -> None:
    r = client.get(base + page)
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    assert "://" not in r.text  # no CDN, no Google Fonts, no favicon of another site
    urls = assets_of(r.text)
    assert any(u.endswith(".js") for u in urls), urls  # the page does load its UI
    for url in urls:
        asset = client.get(on_the_mock(base + page, url))
        suffix = "." + url.rsplit(".", 1)[-1]
        assert asset.status_code == 200, url
        assert asset.content, url
        assert CONTENT_TYPES[suffix] in asset.headers["content-type"], (url, asset.headers["content-type"])


@pytest.mark.parametrize("base", ["http://testserver", "http://testserver:8001"], ids=["main", "wishpost-port"])
@pytest.mark.parametrize("page", PAGES)
def test_reference_pages_read_the_openapi_document_of_their_port(client: TestClient, page: str, base: str) -> None:
    html = client.get(base + page).text
    spec = client.get(on_the_mock(base + page, spec_url_of(html)))
    assert spec.status_code == 200
    document = spec.json()
    assert document["openapi"].startswith("3.") and document["paths"]
    assert document == client.get(base + "/openapi.json").json()


def test_swagger_ui_renders_openapi_3_1(client: TestClient) -> None:
    """FastAPI emits OpenAPI 3.1, which Swagger UI 4 refuses ("Unable to render this definition"): the page
    must load Swagger UI 5 or later."""
    assert client.get("/openapi.json").json()["openapi"].startswith("3.1")
    bundle = next(u for u in assets_of(client.get("/docs").text) if u.endswith(".js"))
    text = client.get(bundle).text
    assert "isOAS31" in text  # Swagger UI 5's OpenAPI 3.1 plugin (4.x has none)


def test_reference_assets_answer_head_and_404(client: TestClient) -> None:
    bundle = next(u for u in assets_of(client.get("/redoc").text) if u.endswith(".js"))
    head = client.head(bundle)
    assert head.status_code == 200 and head.content == b"" and int(head.headers["content-length"]) > 0
    missing = client.get(bundle.rsplit("/", 1)[0] + "/no-such-file.js")
    assert missing.status_code == 404 and missing.json()["code"] == 1004  # the mock's own envelope


def test_pages_stay_out_of_the_openapi_document(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    assert not [p for p in paths if p in ("/", "/docs", "/redoc") or p.startswith("/docs/")]
    assert list(paths["/healthz"]) == ["get"]


def landing(client: TestClient, accept: str, base: str = "") -> Any:
    r = client.get(base + "/", headers={"Accept": accept})
    assert r.status_code == 200, r.text
    assert "accept" in r.headers.get("vary", "").lower()
    return r


@pytest.mark.parametrize("accept", ["application/json", "*/*", ""])
def test_landing_page_as_json(client: TestClient, accept: str) -> None:
    r = landing(client, accept)
    assert r.headers["content-type"].startswith("application/json")
    body = r.json()
    assert body["version"] == __version__ and body["base_url"] == "http://testserver"
    assert body["links"] == {
        "merchant_api_v2": "http://testserver/api/v2/",
        "merchant_oauth_authorize": "http://testserver/v3/oauth/authorize",
        "wishpost_api_v3": "http://testserver/wishpost/api/v3/",
        "wishpost_port": "http://testserver:8001/",
        "sandbox_api": "http://testserver/sandbox/api/",
        "merchant_tokens": "http://testserver/sandbox/api/merchants",
        "wishpost_tokens": "http://testserver/sandbox/api/wishpost/users",
        "docs": "http://testserver/docs",
        "redoc": "http://testserver/redoc",
        "openapi": "http://testserver/openapi.json",
        "healthz": "http://testserver/healthz",
    }
    assert "README.md" in body["readme"]


def test_every_landing_link_on_the_mock_answers(client: TestClient) -> None:
    """Each link leads somewhere real: the pages themselves, or an operation under each base URL."""
    links = landing(client, "application/json").json()["links"]
    operation = {"merchant_api_v2": "auth_test", "wishpost_api_v3": "oauth/test", "wishpost_port": "api/v3/oauth/test",
                 "sandbox_api": "clock"}
    for key, url in links.items():
        r = client.get(url + operation.get(key, ""))
        assert r.status_code != 404 and r.status_code < 500, (key, r.status_code, r.text[:200])


def test_landing_page_as_html(client: TestClient) -> None:
    r = landing(client, "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8")  # a browser's
    assert r.headers["content-type"].startswith("text/html")
    for text in (__version__, 'href="http://testserver/api/v2/"', 'href="http://testserver/v3/oauth/authorize"',
                 'href="http://testserver/wishpost/api/v3/"', 'href="http://testserver:8001/"',
                 'href="http://testserver/sandbox/api/"', 'href="http://testserver/sandbox/api/merchants"',
                 'href="http://testserver/sandbox/api/wishpost/users"', 'href="http://testserver/docs"',
                 'href="http://testserver/redoc"', 'href="http://testserver/openapi.json"',
                 'href="http://testserver/healthz"', "README.md in the mockwish source"):
        assert text in r.text, text
    for url in assets_of(r.text):  # the favicon: local too
        assert client.get(on_the_mock("http://testserver/", url)).status_code == 200


def test_landing_page_uses_the_public_url_and_escapes_it(client: TestClient, app: FastAPI,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(app.state.ctx.settings, "public_url", 'https://mock.example/<b>"x/')
    links = landing(client, "application/json").json()["links"]
    assert links["merchant_api_v2"] == 'https://mock.example/<b>"x/api/v2/'
    assert links["wishpost_port"] == "http://mock.example:8001/"
    html = landing(client, "text/html").text
    assert "<b>" not in html and "https://mock.example/&lt;b&gt;&#34;x/api/v2/" in html


def test_landing_page_without_a_wishpost_port(client: TestClient, app: FastAPI,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    settings = app.state.ctx.settings
    monkeypatch.setattr(settings, "wishpost_port", settings.port)  # same port: no port of its own
    assert landing(client, "application/json").json()["links"]["wishpost_port"] is None
    assert "http://testserver:8001" not in landing(client, "text/html").text


@pytest.mark.parametrize("path", ["/healthz", "/", "/docs", "/redoc"])
def test_head_answers_like_get(client: TestClient, path: str) -> None:
    got, head = client.get(path), client.head(path)
    assert head.status_code == got.status_code == 200
    assert head.content == b""
    assert head.headers["content-type"] == got.headers["content-type"]
    assert head.headers["content-length"] == got.headers["content-length"]
