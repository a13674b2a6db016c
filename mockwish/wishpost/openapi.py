"""OpenAPI for the WishPost operations, generated from the same specs that parse requests (as
mockwish.wire.openapi does for the Merchant API): parameters, scope (`x-wish-scope`), the flat v3 body or
the XML document, and every documented error with its code."""

from __future__ import annotations

from copy import deepcopy
from typing import TYPE_CHECKING, Any

from mockwish.errors import REGISTRY
from mockwish.wire.openapi import doc_schema

if TYPE_CHECKING:
    from mockwish.wishpost.ops import WPOperation

V3_BODY: dict[str, Any] = {"type": "object", "required": ["timestamp", "message", "code"], "properties": {
    "timestamp": {"type": "string", "description": "YYYY-MM-DD HH:mm:ss, Beijing time"},
    "message": {"type": "string"}, "code": {"type": "integer"}}}
V3_ERROR = {**V3_BODY, "properties": {**V3_BODY["properties"], "code": {"type": "integer", "minimum": 1}}}
LOCALE = {"name": "locale", "description": "Language of error messages: en or zh (others: the default)",
          "schema": {"type": "string"}}
COMMON_V3 = ("wp_missing_param", "wp_invalid_param", "wp_body_too_large", "wp_invalid_body", "wp_unknown_error")


def _error_keys(op: WPOperation) -> list[str]:
    from mockwish.wishpost.ops import V3_AUTH_ERRORS, XML_AUTH_ERRORS  # ops imports this module

    keys = [*COMMON_V3, *op.errors]
    if op.auth != "none":  # the token errors the pipeline raises for this wire
        token_errors = (V3_AUTH_ERRORS if op.wire == "v3" else XML_AUTH_ERRORS).values()
        keys += [*token_errors, "wp_bad_auth_header", f"wp_rate_limited_{op.level.code}"]
        if op.scope:
            keys.append("wp_insufficient_scope")
    return list(dict.fromkeys(keys))


def responses_for(op: WPOperation) -> dict[int | str, dict[str, Any]]:
    lines_by_status: dict[int, list[str]] = {}
    for key in _error_keys(op):
        d = REGISTRY[key]
        line = f"{d.code} ({d.messages['en']})"
        if line not in lines_by_status.setdefault(d.status, []):
            lines_by_status[d.status].append(line)
    if op.wire == "xml":  # every XML answer is HTTP 200; the code is in <status>
        every = "; ".join(line for lines in lines_by_status.values() for line in lines)
        content: dict[str, Any] = {"application/xml": {"schema": {"type": "string"}}}
        if op.file_type:  # the file itself on success, an XML error document otherwise
            content[op.file_type] = {"schema": {"type": "string", "format": "binary"}}
        return {200: {"description": f"<root> with <status>0</status>, or the error code in <status>: {every}",
                      "content": content}}
    out: dict[int | str, dict[str, Any]] = {
        200: {"description": "Success (code 0): flat body", "content": {"application/json": {"schema": V3_BODY}}}}
    for status, lines in sorted(lines_by_status.items()):
        out[status] = {"description": "WishPost error: " + "; ".join(lines),
                       "content": {"application/json": {"schema": V3_ERROR}}}
    return out


def operation_docs(op: WPOperation, method: str) -> dict[str, Any]:
    props: dict[str, Any] = {}
    required: list[str] = []
    params: list[dict[str, Any]] = []
    for p in op.spec.params:
        schema = doc_schema(p)
        props[p.name] = {**schema, "description": p.description} if p.description else schema
        if p.required:
            required.append(p.name)
        params.append({"name": p.name, "in": "query", "required": p.required, "schema": schema,
                       "description": p.description})
    description = op.description.strip() + f"\n\nScope: `{op.scope or 'none (any valid token)'}`."
    extra: dict[str, Any] = {"x-wish-scope": op.scope}
    if op.auth == "none":
        extra["parameters"] = [{"name": "Authorization", "in": "header", "required": False,
                                "description": "Basic base64(client_id:client_secret)",
                                "schema": {"type": "string"}}]  # other schemes are ignored (WP-V3's sample)
    elif op.wire == "v3":  # an XML call answers HTTP 200 whatever its token: the token is a body child there
        extra["security"] = [{"bearer": []}, {"access_token": []}]
    if op.wire == "xml" and method == "GET":  # download_label: a link the client follows
        # any text is accepted as for every XML call (a bad value is a code in <status>, with HTTP 200)
        free = [{**p, "required": False, "schema": {"type": "string"},
                 "description": f"{p['description']} (type: {p['schema'].get('type', 'string')})"} for p in params]
        extra["parameters"] = [*extra.get("parameters", []), *free, {**LOCALE, "in": "query", "required": False}]
    elif op.wire == "xml":
        xml_props = {**props, "locale": LOCALE["schema"]}
        if op.auth != "none":
            xml_props["access_token"] = {"type": "string"}
        # any text is a request: whatever it holds, the answer is an XML document with HTTP 200 (a missing
        # parameter or a malformed body is a code in <status>), so the body is documented as free text with
        # its expected children named here
        children = "".join(f"<{name}>…</{name}>" for name in xml_props)
        example = op.xml_example or f"<root>{children}</root>"
        extra["requestBody"] = {"required": False, "content": {"application/xml": {"schema": {
            "type": "string", "description": f"{example} (required: {', '.join(required) or 'none'})",
            "example": example}}}}
    elif method == "GET":
        extra["parameters"] = [*extra.get("parameters", []), *params, {**LOCALE, "in": "query", "required": False}]
    else:
        body: dict[str, Any] = {"type": "object", "properties": {**props, "locale": LOCALE["schema"]}}
        if required:
            body["required"] = required
        extra["requestBody"] = {"required": bool(required),
                                "content": {"application/x-www-form-urlencoded": {"schema": body}}}
    return {"summary": op.summary, "description": description, "tags": [op.tag], "openapi_extra": extra,
            "responses": responses_for(op)}


PORT_PATHS = ("/healthz",)  # what the WishPost port serves as is, besides WishPost itself, worth documenting


def _refs(node: Any, found: set[str]) -> None:
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str):
            found.add(ref)
        for value in node.values():
            _refs(value, found)
    elif isinstance(node, list):
        for value in node:
            _refs(value, found)


def port_document(full: dict[str, Any]) -> dict[str, Any]:
    """The WishPost port's own /openapi.json, cut from the main port's document: the WishPost operations at
    the paths that port serves them (its root: `/wishpost/api/v3/x` is `/api/v3/x` there) and /healthz; the
    Merchant API, which answers 404 on that port, is left out. Only the components those operations use."""
    from mockwish.wishpost.ops import PREFIX  # ops imports this module

    paths: dict[str, Any] = {}
    for path, item in full.get("paths", {}).items():
        if path.startswith(PREFIX + "/"):
            paths[path.removeprefix(PREFIX)] = deepcopy(item)
    for path in PORT_PATHS:
        if path in full.get("paths", {}):
            paths[path] = deepcopy(full["paths"][path])
    components: dict[str, Any] = {}
    source = full.get("components", {})
    if "securitySchemes" in source:
        components["securitySchemes"] = deepcopy(source["securitySchemes"])
    # the schemas the kept operations reference, and what those reference in turn
    schemas: dict[str, Any] = {}
    pending: set[str] = set()
    _refs(paths, pending)
    while pending:
        name = pending.pop().removeprefix("#/components/schemas/")
        if name in schemas or name not in source.get("schemas", {}):
            continue
        schemas[name] = deepcopy(source["schemas"][name])
        _refs(schemas[name], pending)
    if schemas:
        components["schemas"] = dict(sorted(schemas.items()))
    info = {**full.get("info", {}), "description": (
        "Offline sandbox of the WishPost API, served at the root of this port (the same operations answer under "
        "/wishpost on the main port, whose own /openapi.json also documents the Merchant API).")}
    doc: dict[str, Any] = {"openapi": full.get("openapi", "3.1.0"), "info": info, "paths": paths}
    if components:
        doc["components"] = components
    return doc
