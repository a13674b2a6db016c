"""Reading request parameters the way Wish does: query string, urlencoded form, multipart form or a JSON
object body, merged into one bucket of strings (the body wins over the query; the last repeat wins)."""

from __future__ import annotations

import logging
from contextlib import aclosing
from urllib.parse import parse_qsl

import orjson
from starlette.datastructures import UploadFile
from starlette.requests import ClientDisconnect, Request
from starlette.responses import Response

from mockwish.errors import WishError

_QUOTES = ("'", '"')
CLIENT_CLOSED = 499  # nginx's "client closed request": how a request whose client left is answered (to no one)


def _unquote(value: str) -> str:
    # The docs' own curl examples send values like id='57bb5803ba2a1f181de31b01'; Wish accepts them.
    if len(value) >= 2 and value[0] == value[-1] and value[0] in _QUOTES:
        return value[1:-1]
    return value


def _scalar(value: object) -> str:
    if isinstance(value, str):
        return value
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value) if isinstance(value, float) else str(value)
    return orjson.dumps(value).decode()


class RawParams(dict[str, str]):
    """Merged parameters (str -> str). `pairs` keeps every (name, value) in arrival order for paging links."""

    pairs: list[tuple[str, str]]
    body_array: bool  # the body was a bare JSON array, read as one list parameter (WishPost cancel_orders)
    structured: frozenset[str]  # names a JSON body gave an object or an array (kept as JSON text)

    def __init__(self, pairs: list[tuple[str, str]], body_array: bool = False,
                 structured: frozenset[str] = frozenset()) -> None:
        super().__init__()
        self.pairs = pairs
        self.body_array = body_array
        self.structured = structured
        for k, v in pairs:
            self[k] = v


MAX_FIELDS = 10_000


def form_pairs(text: str, max_fields: int | None = None) -> list[tuple[str, str]]:
    """`parse_qsl(text, keep_blank_values=True, max_num_fields=max_fields)`, without its per-field unquoting
    when nothing is quoted (no % and no +: most of an ERP's requests), where it costs more than the rest."""
    if "%" in text or "+" in text:
        return parse_qsl(text, keep_blank_values=True, max_num_fields=max_fields, encoding="utf-8", errors="replace")
    out = [part.partition("=")[::2] for part in text.split("&") if part]
    if max_fields is not None and len(out) > max_fields:
        raise ValueError("Max number of fields exceeded")
    return out


def query_pairs(request: Request) -> list[tuple[str, str]]:
    """The query string's parameters, in order."""
    query = request.scope.get("query_string", b"").decode("utf-8", "replace")  # no URL object: hot path
    return [(k, _unquote(v)) for k, v in form_pairs(query)]


async def read_body(request: Request, max_body: int) -> bytes:
    """The request's body, never read past `max_body` bytes: refused with body_too_large up front when
    Content-Length says more, else as soon as the running total of the stream (a chunked body) passes the
    limit. The body is then cached on the request, where Starlette's body(), stream() and form() replay it."""
    cached: bytes | None = getattr(request, "_body", None)
    if cached is not None:
        if len(cached) > max_body:
            raise WishError("body_too_large", limit=max_body)
        return cached
    length = request.headers.get("content-length")
    if length is not None and length.isdigit() and int(length) > max_body:
        raise WishError("body_too_large", limit=max_body)
    first = await request.receive()  # nearly every body comes whole in its first message: no stream to set up
    if first["type"] == "http.disconnect":
        request._is_disconnected = True
        raise ClientDisconnect()
    body = first.get("body", b"")
    if len(body) > max_body:
        raise WishError("body_too_large", limit=max_body)
    if first.get("more_body", False):
        chunks, total = [body], len(body)
        async with aclosing(request.stream()) as stream:  # the rest, until the message without more_body
            async for chunk in stream:
                total += len(chunk)
                if total > max_body:
                    raise WishError("body_too_large", limit=max_body)
                chunks.append(chunk)
        body = b"".join(chunks)
    request._body = body  # Starlette's own cache: stream() yields it instead of reading the socket again
    return body


def client_gone(log: logging.Logger, path: str) -> Response:
    """The answer to a client that disconnected before its body was read (starlette's ClientDisconnect):
    not a server fault, so one debug line and an empty answer that nobody receives."""
    log.debug("client disconnected before its request body was read: %s", path)
    return Response(status_code=CLIENT_CLOSED)


async def read_params(request: Request, max_body: int) -> RawParams:
    """All parameters of a request; raises WishError for bodies that cannot be read or pass `max_body`."""
    pairs = query_pairs(request)
    if request.method in ("POST", "PUT", "PATCH", "DELETE"):
        body = await read_body(request, max_body)
        ctype = request.headers.get("content-type", "").split(";", 1)[0].strip().lower()
        if ctype == "multipart/form-data":
            try:  # parsed from the body read above (request.stream() replays the cached body)
                form = await request.form(max_part_size=max_body)
            except Exception as exc:  # malformed multipart of any kind
                raise WishError("invalid_body", kind="multipart/form-data") from exc
            for k, v in form.multi_items():
                if isinstance(v, UploadFile):
                    v = (await v.read()).decode("utf-8", errors="replace")
                pairs.append((k, _unquote(str(v))))
        elif body:
            if ctype.endswith("json") or (not ctype and body[:1] in (b"{", b"[")):
                obj = _json_object(body)
                pairs.extend((str(k), _unquote(_scalar(v))) for k, v in obj.items())
                return RawParams(pairs, structured=frozenset(str(k) for k, v in obj.items()
                                                             if isinstance(v, dict | list)))
            pairs.extend(_form_body(body))
    return RawParams(pairs)


def _json_object(body: bytes) -> dict[str, object]:
    try:
        obj = orjson.loads(body)
    except orjson.JSONDecodeError as exc:
        raise WishError("invalid_body", kind="JSON") from exc
    if not isinstance(obj, dict):
        raise WishError("invalid_body", kind="a JSON object")
    return obj


def _form_body(body: bytes) -> list[tuple[str, str]]:
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        text = body.decode("latin-1")
    try:
        return [(k, _unquote(v)) for k, v in form_pairs(text, MAX_FIELDS)]
    except ValueError as exc:
        raise WishError("invalid_body", kind="application/x-www-form-urlencoded") from exc
