"""OpenAPI for the Merchant v2 operations, generated from the same specs that parse requests."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from mockwish.errors import REGISTRY
from mockwish.wire.spec import Param, Str

if TYPE_CHECKING:
    from mockwish.wire.v2 import Operation

COMMON_PARAMS: list[dict[str, Any]] = [
    {"name": "format", "description": "'json' (default; also when empty) or 'xml'",
     "schema": {"type": "string", "pattern": "^([jJ][sS][oO][nN]|[xX][mM][lL])?$"}},
    # any value is accepted (like Wish): en, zh, fr, de translate; anything else falls back to the default
    {"name": "locale", "description": "Language of error messages: en, zh, fr or de (others: the default)",
     "schema": {"type": "string"}},
]

# The back link is `previous` (every example response of the merchant doc, the supplement and the official
# PHP SDK's pager); MOCKWISH_PAGING_BACK_LINK=prev emits it as `prev` instead (the doc's overview prose). A
# page carries one of the two names, never both, and the first page neither.
PAGING = {
    "type": "object",
    "description": "Links to the neighbouring pages of a list, repeating every parameter of the request. The "
                   "back link is `previous`, or `prev` when the server runs with MOCKWISH_PAGING_BACK_LINK=prev.",
    "properties": {
        "next": {"type": "string", "description": "The next page (start + limit); absent on the last page"},
        "previous": {"type": "string", "description": "The previous page (start - limit); absent on the first "
                                                      "page. The default name of the back link"},
        "prev": {"type": "string", "description": "The previous page under the name the doc's overview uses, "
                                                  "sent instead of `previous` when MOCKWISH_PAGING_BACK_LINK=prev"},
    },
    "not": {"required": ["previous", "prev"]},
}

ENVELOPE = {
    "type": "object",
    "required": ["code", "data", "message"],
    "properties": {
        "code": {"type": "integer"},
        "message": {"type": "string"},
        "data": {},
        "paging": PAGING,
    },
}
ERROR = {
    "type": "object",
    "required": ["code", "data", "message"],
    "properties": {"code": {"type": "integer", "minimum": 1}, "message": {"type": "string"}, "data": {},
                   "type": {"type": "string"}},
}
COMMON_ERRORS = ("missing_param", "invalid_param", "unauthorized", "body_too_large", "rate_limited",
                 "unknown_error")


BLANK_VALUE = {"type": "string", "pattern": "^[ \\t]*$"}


def doc_schema(p: Param) -> dict[str, Any]:
    """A parameter's schema as the parser reads it: a blank optional value counts as not sent (PHP clients
    send every field), except for free text, where "" is a value (e.g. deleting a video URL)."""
    schema = p.schema()
    if p.required or isinstance(p, Str):
        return schema
    return {"anyOf": [schema, BLANK_VALUE]}


def _content(schema: dict[str, Any]) -> dict[str, Any]:
    return {"application/json": {"schema": schema}, "application/xml": {"schema": {"type": "string"}}}


def responses_for(errors: tuple[str, ...], limited: bool = True) -> dict[int | str, dict[str, Any]]:
    """The documented answers; `limited` False for the operations that are never rate-limited (no token)."""
    out: dict[int | str, dict[str, Any]] = {200: {"description": "Success envelope (code 0)",
                                                  "content": _content(ENVELOPE)}}
    by_status: dict[int, list[str]] = {}
    common = COMMON_ERRORS if limited else tuple(k for k in COMMON_ERRORS if k != "rate_limited")
    for key in (*common, *errors):
        d = REGISTRY[key]
        by_status.setdefault(d.status, [])
        line = f"{d.code} ({d.messages['en']})"
        if line not in by_status[d.status]:
            by_status[d.status].append(line)
    for status, lines in sorted(by_status.items()):
        out[status] = {"description": "Wish error: " + "; ".join(lines), "content": _content(ERROR)}
    return out


def operation_docs(op: Operation, method: str) -> dict[str, Any]:
    props: dict[str, Any] = {}
    required: list[str] = []
    params: list[dict[str, Any]] = []
    for p in op.spec.params:
        schema = doc_schema(p)
        if p.description:
            schema = {**schema, "description": p.description}
        props[p.name] = schema
        if p.required:
            required.append(p.name)
        params.append({"name": p.name, "in": "query", "required": p.required, "schema": doc_schema(p),
                       "description": p.description})
    description = op.description.strip()
    if op.spec.either:
        description += "\n\n" + "; ".join(f"Provide either `{a}` or `{b}`." for a, b in op.spec.either)
    description += (f"\n\nScope: `{op.scope}`. Every v2 endpoint accepts GET and POST; parameters may come in "
                    "the query string, a urlencoded or multipart form, or a JSON object body.")
    extra: dict[str, Any] = {"x-wish-scope": op.scope}
    if method == "GET":
        extra["parameters"] = params + [{**c, "in": "query", "required": False} for c in COMMON_PARAMS]
    else:
        body_schema: dict[str, Any] = {"type": "object", "properties": {
            **props, **{c["name"]: c["schema"] for c in COMMON_PARAMS}}}
        if required:
            body_schema["required"] = required
        extra["requestBody"] = {"required": bool(required),
                                "content": {"application/x-www-form-urlencoded": {"schema": body_schema}}}
    return {
        "summary": op.summary,
        "description": description,
        "tags": [op.tag],
        "openapi_extra": extra,
        "responses": responses_for(op.errors, limited=op.auth != "none"),
    }


def add_security(schema: dict[str, Any]) -> dict[str, Any]:
    """Declare the two documented ways to send the token, for every /api/v2 operation."""
    comps = schema.setdefault("components", {})
    comps.setdefault("securitySchemes", {}).update({
        "bearer": {"type": "http", "scheme": "bearer",
                   "description": "Authorization: Bearer an_example_access_token"},
        "access_token": {"type": "apiKey", "in": "query", "name": "access_token"},
    })
    for path, item in schema.get("paths", {}).items():
        if not path.startswith("/api/"):
            continue
        for op in item.values():
            if isinstance(op, dict):
                op["security"] = [{"bearer": []}, {"access_token": []}]
    return schema
