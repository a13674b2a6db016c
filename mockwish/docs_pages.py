"""The mock's own API reference and its landing page, served offline.

FastAPI's default /docs and /redoc pages load Swagger UI and ReDoc from a CDN, so they are blank on a machine
without internet access — exactly where a sandbox runs. Here both pages load assets the package ships:

- Swagger UI 5 (swagger-ui-dist, Apache-2.0) and ReDoc 2 (redoc, MIT), vendored verbatim from their npm
  packages into mockwish/reference_ui/ with their licence files (see reference_ui/README.md for versions and
  how to update them). Swagger UI must be 5.x: FastAPI emits OpenAPI 3.1.0, which Swagger UI 4 refuses to
  render ("Unable to render this definition") — and the PyPI package swagger-ui-bundle 1.1.0 ships 4.15.5.
- Every URL in the pages is root-relative (request's root_path + path), so the same page works on the main
  port and on the WishPost port (which passes /docs, /redoc and /openapi.json through unchanged), each page
  reading the openapi document of the port that served it.

`/` answers a small landing page (HTML for browsers, JSON otherwise) naming every surface's base URL,
built from the request's base URL or MOCKWISH_PUBLIC_URL like every other link the mock hands out.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from fastapi import FastAPI, Request
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html
from jinja2 import Environment, PackageLoader, select_autoescape
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.staticfiles import StaticFiles

from mockwish import __version__
from mockwish.config import Settings
from mockwish.wire.v2 import public_base_url

ASSETS = Path(__file__).resolve().parent / "reference_ui"
STATIC = "/docs/static"  # under /docs: the WishPost port passes every /docs path through as it is
SWAGGER_STATIC = STATIC + "/swagger-ui"
REDOC_STATIC = STATIC + "/redoc"
FAVICON = SWAGGER_STATIC + "/favicon-32x32.png"
README = "README.md in the mockwish source"

TEMPLATES = Environment(loader=PackageLoader("mockwish", "reference_ui"), autoescape=select_autoescape())


def _root(request: Request) -> str:
    return str(request.scope.get("root_path", "")).rstrip("/")


def base_url(request: Request, settings: Settings) -> str:
    return public_base_url(request, settings.public_url)


def wishpost_port_root(base: str, settings: Settings) -> str | None:
    """`http://<host>:<wishpost port>/`, the host being the one the client used; None when the port is off."""
    port = settings.own_wishpost_port
    if not port:
        return None
    host = urlsplit(base).hostname or "localhost"
    if ":" in host:  # an IPv6 literal
        host = f"[{host}]"
    return f"http://{host}:{port}/"


def surfaces(request: Request, settings: Settings) -> list[dict[str, Any]]:
    """Every entry of the landing page, in order: key (the JSON name), label, url (None: not served), note."""
    base = base_url(request, settings)
    rows: list[tuple[str, str, str | None, str]] = [
        ("merchant_api_v2", "Merchant API v2", f"{base}/api/v2/", f"alias {base}/v2/; every operation takes GET "
                                                                  "and POST, Authorization: Bearer <token>"),
        ("merchant_oauth_authorize", "Merchant OAuth authorize", f"{base}/v3/oauth/authorize",
         f"tokens at {base}/api/v3/oauth/access_token, refresh_token, test"),
        ("wishpost_api_v3", "WishPost API v3 (JSON)", f"{base}/wishpost/api/v3/",
         f"API v2 (XML) at {base}/wishpost/api/v2/"),
        ("wishpost_port", "WishPost port root", wishpost_port_root(base, settings),
         "the WishPost surface at the root of its own port (/api/v3/..., /api/v2/...)"
         if settings.own_wishpost_port else "off (MOCKWISH_WISHPOST_PORT=0)"),
        ("sandbox_api", "Sandbox control", f"{base}/sandbox/api/",
         "reset, seed, clock, faults, test transactions; not part of Wish's API"),
        ("merchant_tokens", "Seeded merchants and tokens", f"{base}/sandbox/api/merchants",
         "the access tokens, usernames and passwords of the seeded merchants"),
        ("wishpost_tokens", "Seeded WishPost users and tokens", f"{base}/sandbox/api/wishpost/users",
         "the WishPost users' passwords and access tokens"),
        ("docs", "API reference (Swagger UI)", f"{base}/docs", "served offline"),
        ("redoc", "API reference (ReDoc)", f"{base}/redoc", "served offline"),
        ("openapi", "OpenAPI document", f"{base}/openapi.json", "OpenAPI 3.1"),
        ("healthz", "Health", f"{base}/healthz", "GET or HEAD; for Docker HEALTHCHECK and CI wait loops"),
    ]
    return [{"key": k, "label": label, "url": url, "note": note} for k, label, url, note in rows]


def wants_html(request: Request) -> bool:
    return "text/html" in request.headers.get("accept", "").lower()


def mount(app: FastAPI, settings: Settings) -> None:
    """Serve /docs, /redoc, their assets under /docs/static/, and the landing page at /.
    The app must be built with FastAPI(docs_url=None, redoc_url=None): these replace the CDN pages."""
    app.mount(SWAGGER_STATIC, StaticFiles(directory=ASSETS / "swagger-ui"), name="swagger-ui-assets")
    app.mount(REDOC_STATIC, StaticFiles(directory=ASSETS / "redoc"), name="redoc-assets")
    openapi_url = app.openapi_url or "/openapi.json"

    async def swagger_ui(request: Request) -> HTMLResponse:
        root = _root(request)
        return get_swagger_ui_html(
            openapi_url=root + openapi_url, title=f"{app.title} {app.version} - Swagger UI",
            swagger_js_url=f"{root}{SWAGGER_STATIC}/swagger-ui-bundle.js",
            swagger_css_url=f"{root}{SWAGGER_STATIC}/swagger-ui.css",
            swagger_favicon_url=root + FAVICON, oauth2_redirect_url=None,
            swagger_ui_parameters=app.swagger_ui_parameters)

    async def redoc(request: Request) -> HTMLResponse:
        root = _root(request)
        return get_redoc_html(
            openapi_url=root + openapi_url, title=f"{app.title} {app.version} - ReDoc",
            redoc_js_url=f"{root}{REDOC_STATIC}/redoc.standalone.js", redoc_favicon_url=root + FAVICON,
            with_google_fonts=False)

    async def landing(request: Request) -> Response:
        rows = surfaces(request, settings)
        headers = {"Vary": "Accept"}
        if wants_html(request):
            html = TEMPLATES.get_template("landing.html").render(
                version=__version__, rows=rows, readme=README, favicon=_root(request) + FAVICON)
            return HTMLResponse(html, headers=headers)
        return JSONResponse({
            "service": "mockwish", "version": __version__,
            "description": "Offline sandbox of the Wish Merchant API v2 and the WishPost API",
            "base_url": base_url(request, settings),
            "links": {row["key"]: row["url"] for row in rows},
            "readme": README,
        }, headers=headers)

    for path, endpoint, name in (("/docs", swagger_ui, "swagger_ui"), ("/redoc", redoc, "redoc"),
                                 ("/", landing, "landing")):
        app.add_api_route(path, endpoint, methods=["GET", "HEAD"], include_in_schema=False, name=name)
