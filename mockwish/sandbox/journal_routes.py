"""The request journal's control routes: list (GET /sandbox/api/requests), clear (DELETE) and verify
(POST /sandbox/api/requests/verify). The journal itself is mockwish.sandbox.journal.

GET reads its filter from the query string and refuses a parameter it does not know (a misspelt filter
would otherwise match everything); verify takes the same filter as a JSON object."""

from __future__ import annotations

from datetime import datetime
from typing import Any, TypeVar

from fastapi import APIRouter, Request
from fastapi.exceptions import RequestValidationError
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StrictBool,
    StrictInt,
    StrictStr,
    ValidationError,
    field_validator,
)

from mockwish.context import ctx_of
from mockwish.errors import WishError
from mockwish.sandbox.faults import SurfaceName
from mockwish.sandbox.journal import Filter, Journal, parse_instant
from mockwish.wire.v2 import render_error

router = APIRouter(prefix="/sandbox/api", tags=["Sandbox control"])

INSTANTS = ("since", "until", "mock_since", "mock_until")
MAX_LIMIT = 1000
MAX_START = 1_000_000
_ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"description": "A filter that is not valid (1000): the message names the field"}}


class FilterIn(BaseModel):
    """Which journal entries: every field set must match (unset fields match everything)."""

    model_config = ConfigDict(extra="forbid")
    surface: SurfaceName | None = Field(default=None, description="`merchant` and `wishpost` also select their OAuth "
                                    "(and WishPost XML) requests, as fault rules do")
    method: StrictStr | None = Field(default=None, min_length=1, max_length=16, description="Case-insensitive")
    path: StrictStr | None = Field(default=None, min_length=1, max_length=2048,
                                   description="Exact, or a glob where * is any run of characters: /api/v2/product*")
    tenant: StrictStr | None = Field(default=None, min_length=1, max_length=64,
                                     description="The merchant id or WishPost user id the request authenticated as")
    code: StrictInt | None = Field(default=None, ge=-(2**31), le=2**31 - 1, description="The Wish code answered")
    status: StrictInt | None = Field(default=None, ge=100, le=599, description="The HTTP status answered")
    request_id: StrictStr | None = Field(default=None, min_length=1, max_length=64,
                                         description="The Wish-Request-Id the answer carried")
    since: StrictStr | None = Field(default=None, description="Real time, ISO 8601 (UTC without an offset); "
                                    "bounds are included", json_schema_extra={"format": "date-time"})
    until: StrictStr | None = Field(default=None, description="Real time, ISO 8601",
                                    json_schema_extra={"format": "date-time"})
    mock_since: StrictStr | None = Field(default=None, description="Mock-clock time, ISO 8601",
                                         json_schema_extra={"format": "date-time"})
    mock_until: StrictStr | None = Field(default=None, description="Mock-clock time, ISO 8601",
                                         json_schema_extra={"format": "date-time"})

    @field_validator(*INSTANTS)
    @classmethod
    def _instant(cls, value: str | None) -> str | None:
        if value is not None:
            try:
                parse_instant(value)
            except (ValueError, OverflowError, IndexError):
                raise ValueError("not an ISO 8601 instant") from None
        return value

    def to_filter(self, params: dict[str, Any] | None = None) -> Filter:
        instants: dict[str, datetime | None] = {
            name: parse_instant(value) if (value := getattr(self, name)) is not None else None for name in INSTANTS}
        return Filter(surface=self.surface, method=self.method, path=self.path, tenant=self.tenant, code=self.code,
                      status=self.status, request_id=self.request_id, params=params or {}, **instants)


class PageIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    start: StrictInt = Field(default=0, ge=0, le=MAX_START)
    limit: StrictInt = Field(default=100, ge=1, le=MAX_LIMIT)


class VerifyIn(FilterIn):
    """The filter, the parameters the requests must carry, and how many of them: `count` (exactly) or
    `at_least` (default: at least 1)."""

    # values checked by hand (not a union type): pydantic would name the refused member `params.sku.str`
    params: dict[StrictStr, Any] | None = Field(
        default=None, max_length=50, description="Parameter name -> value each request must carry, in its query "
        "string or its form, JSON or XML body (`\"5\"` matches 5; true matches True)",
        json_schema_extra={"additionalProperties": {"type": ["string", "number", "boolean"]}})
    count: StrictInt | None = Field(default=None, ge=0, le=10_000_000, description="Exactly this many")
    at_least: StrictInt | None = Field(default=None, ge=0, le=10_000_000, description="At least this many")

    @field_validator("params")
    @classmethod
    def _scalars(cls, value: dict[str, Any] | None) -> dict[str, Any] | None:
        for name, given in (value or {}).items():
            if not isinstance(given, str | int | float):  # bool is an int
                raise ValueError(f"the value of {name[:64]!r} must be a string, a number or a boolean")
        return value


class EntryOut(BaseModel):
    id: int = Field(description="Sequence number, increasing across clears")
    request_id: str
    time: str = Field(description="Real time, ISO 8601 with milliseconds, UTC")
    mock_time: str = Field(description="The mock clock's time")
    surface: str
    method: str
    path: str
    query: dict[str, list[str]] = Field(description="Credentials masked: their first 4 characters then …")
    headers: dict[str, str] = Field(description="Lower-case names; Authorization, X-API-Key and Cookie masked")
    body: str | None = Field(description="As text, credentials masked, cut at MOCKWISH_JOURNAL_BODY_BYTES")
    body_truncated: bool
    body_bytes: int = Field(description="The full size of the body sent")
    tenant: str | None
    status: int
    code: int | None = Field(description="The Wish code answered; null for a file or an unreadable answer")
    latency_ms: float
    fault: dict[str, Any] | None = Field(description="The injected fault this request got")


class RequestsOut(BaseModel):
    requests: list[EntryOut] = Field(description="Newest first")
    total: int = Field(description="Entries matching the filter")
    dropped: int = Field(description="Entries the ring has let go (the oldest) since the last clear")
    enabled: bool = Field(description="False when MOCKWISH_JOURNAL_ENABLED=false: nothing is recorded")


class ClearedOut(BaseModel):
    cleared: int
    tenant: str | None


class DifferenceOut(BaseModel):
    field: str = Field(description="surface, method, path, tenant, status, code, request_id, since, until, "
                                   "mock_since, mock_until, or params.<name>")
    expected: Any
    actual: Any


class NearMissOut(BaseModel):
    request: EntryOut
    differences: list[DifferenceOut]


class VerifyOut(BaseModel):
    matched: bool
    count: int = Field(description="How many entries match")
    expected: dict[str, Any] = Field(description="The filter as understood, with count or at_least")
    near_misses: list[NearMissOut] = Field(description="When not matched: the up to 5 entries nearest the filter "
                                           "(fewest differing fields first), and what differed")



def _journal(request: Request) -> Journal:
    return ctx_of(request).journal


Q = TypeVar("Q", bound=BaseModel)


def _own(request: Request, query: Q) -> Q:
    """Under /sandbox/api/tenants/{id}: that tenant's entries only, whatever tenant the filter names."""
    tenant_id = ctx_of(request).tenant_id
    return query if tenant_id is None else query.model_copy(update={"tenant": tenant_id})


def _from_query(request: Request, model: type[BaseModel], ints: tuple[str, ...]) -> Any:
    """A model from the query string: each field once, ints as ints; an unknown, repeated or malformed parameter
    is refused with an error naming it."""
    values: dict[str, Any] = {}
    for name, value in request.query_params.multi_items():
        if name not in model.model_fields:
            raise WishError("unknown_field", param=name[:64])
        if name in values:
            raise WishError("invalid_field", param=name, reason="given more than once", value=value[:80])
        if name in ints:
            try:
                values[name] = int(value)
            except ValueError:
                raise WishError("invalid_param", param=name, value=value[:80]) from None
        else:
            values[name] = value
    try:
        return model.model_validate(values)
    except ValidationError as exc:  # the app's handler words it as a Wish error naming the field
        raise RequestValidationError(exc.errors()) from None


class ListQuery(FilterIn, PageIn):
    pass


def _query_doc(model: type[BaseModel]) -> list[dict[str, Any]]:
    """The query parameters of a GET route, as OpenAPI describes them (read by hand: see _from_query)."""
    schema = model.model_json_schema()
    out = []
    for name, prop in schema["properties"].items():
        prop = dict(prop)
        description = prop.pop("description", None)
        prop.pop("title", None)
        if "anyOf" in prop:  # X | None: the query string has no null
            prop = {**next(p for p in prop.pop("anyOf") if p.get("type") != "null"), **prop}
            prop.pop("default", None)
        param: dict[str, Any] = {"name": name, "in": "query", "required": False, "schema": prop}
        if description:
            param["description"] = description
        out.append(param)
    return out


@router.get("/requests", response_model=RequestsOut, responses=_ERRORS,
            summary="The request journal, newest first",
            description="Every request to a Wish surface (Merchant v2, both OAuth realms, WishPost v2 XML and v3 "
                        "JSON), newest first, with credentials masked. Sandbox calls are never journaled.",
            openapi_extra={"parameters": _query_doc(ListQuery)})
async def list_requests(request: Request) -> Any:
    try:
        query: ListQuery = _from_query(request, ListQuery, ("code", "status", "start", "limit"))
    except WishError as err:
        return render_error(ctx_of(request), err)
    journal = _journal(request)
    entries, total = journal.page(_own(request, query).to_filter(), query.start, query.limit)
    return {"requests": entries, "total": total, "dropped": journal.dropped, "enabled": journal.enabled}


class ClearQuery(BaseModel):
    model_config = ConfigDict(extra="forbid")
    tenant: StrictStr | None = Field(default=None, min_length=1, max_length=64,
                                     description="Only this merchant's or WishPost user's entries")


@router.delete("/requests", response_model=ClearedOut, responses=_ERRORS, summary="Clear the request journal",
               openapi_extra={"parameters": _query_doc(ClearQuery)})
async def clear_requests(request: Request) -> Any:
    try:
        query: ClearQuery = _from_query(request, ClearQuery, ())
    except WishError as err:
        return render_error(ctx_of(request), err)
    journal = _journal(request)
    before = len(journal)
    query = _own(request, query)
    journal.clear(query.tenant)
    return {"cleared": before - len(journal), "tenant": query.tenant}


class JournalSettingsIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    enabled: StrictBool = Field(description="false: journal nothing from now on (what it holds stays); true: again")


class JournalSettingsOut(BaseModel):
    enabled: bool
    capacity: int = Field(description="Entries kept, the newest (MOCKWISH_JOURNAL_CAPACITY)")
    body_bytes: int = Field(description="Of each request's body kept (MOCKWISH_JOURNAL_BODY_BYTES)")


def _settings_out(journal: Journal) -> dict[str, Any]:
    return {"enabled": journal.enabled, "capacity": journal.capacity, "body_bytes": journal.body_cap}


@router.get("/requests/settings", response_model=JournalSettingsOut, summary="Whether the journal records")
async def journal_settings(request: Request) -> Any:
    return _settings_out(_journal(request))


@router.post("/requests/settings", response_model=JournalSettingsOut, responses=_ERRORS,
             summary="Pause or resume the journal (for a load test; the default is MOCKWISH_JOURNAL)")
async def set_journal_settings(request: Request, body: JournalSettingsIn) -> Any:
    journal = _journal(request)
    journal.enabled = body.enabled
    return _settings_out(journal)


@router.post("/requests/verify", response_model=VerifyOut, responses=_ERRORS,
             summary="Verify that requests arrived exactly N or at least N times",
             description="WireMock-style verification: the filter of GET /sandbox/api/requests as a JSON object, "
                         "`params` the requests must carry, and `count` or `at_least` (default: at least 1). When "
                         "not matched, the nearest misses say what differed.")
async def verify(request: Request, body: VerifyIn | None = None) -> Any:
    body = body or VerifyIn()
    if body.count is not None and body.at_least is not None:
        return render_error(ctx_of(request), WishError("invalid_field", param="at_least",
                                                     reason="count and at_least exclude each other",
                                                     value=str(body.at_least)))
    body = _own(request, body)
    return _journal(request).verify(body.to_filter(body.params), count=body.count, at_least=body.at_least)
