"""Injected faults (the sandbox control plane): rules that make matching Wish requests fail the way a real
service fails, so a client's retries, timeouts and error handling can be tested.

A rule matches on surface, method, path (exact, or a glob: `/api/v2/product*`), tenant (the merchant or WishPost
user the token belongs to) and parameter values, and does one thing: answer a Wish error by its code (rendered
by the registry in the surface's own format), answer a bare HTTP status (500, 502, 503, 504), break the
transport (`drop`: the connection closes after the status line; `truncate`: half the body, then the connection
closes; `malformed`: a well-framed answer whose body is cut in half), with or without added latency (fixed or a
range) — or only add the latency. It fires for its next `times` matches (then it is gone), with a
`probability`, or until deleted. A request may also ask for its own fault with a `Mockwish-Fault` header
(`code=1056`, `status=503`, `latency_ms=300`, `fault=drop`, several joined by `;`): safe beside parallel tests.

The pipelines ask `check` twice: once the parameters are read (rules without a tenant, and the header), and once
the caller is authenticated (rules naming a tenant). An error or a status is raised there, so the request writes
nothing; latency and transport breaks are carried out by the front door when it sends the answer. Faults never
fire on /sandbox or /healthz (only the API pipelines ask), and a global reset clears every rule."""

from __future__ import annotations

import asyncio
import fnmatch
import itertools
import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from string import Formatter
from typing import Any, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, StrictFloat, StrictInt, StrictStr
from starlette.responses import Response
from starlette.types import Receive, Scope, Send

from mockwish.errors import REGISTRY, WISHPOST_LOCALES, WishError

SurfaceName = Literal["merchant", "merchant-oauth", "wishpost", "wishpost-xml", "wishpost-oauth"]
SURFACES: tuple[str, ...] = get_args(SurfaceName)
STATUSES = (500, 502, 503, 504)
BREAKS = ("drop", "truncate", "malformed")
HEADER = b"mockwish-fault"
SCOPE_KEY = "mockwish.fault"  # the fault a request got, for the front door and the journal
TENANT = "mockwish.tenant"  # the merchant or WishPost user a request is authenticated as (for the journal)
NOW = "mockwish.now"  # the mock clock's instant the pipeline took for the request (for the journal)
MAX_LATENCY_MS = 60_000
_REASONS = {500: "Internal Server Error", 502: "Bad Gateway", 503: "Service Unavailable", 504: "Gateway Timeout"}


def surface_of(path: str) -> str:
    """The surface of an API path as the front door maps it (the WishPost port's root paths under /wishpost)."""
    if path.startswith("/wishpost/"):
        if "/oauth/" in path:
            return "wishpost-oauth"
        return "wishpost-xml" if path.startswith("/wishpost/api/v2/") else "wishpost"
    return "merchant-oauth" if "/oauth/" in path else "merchant"


def surface_matches(rule_surface: str, surface: str) -> bool:
    """`wishpost` names every WishPost surface, `merchant` every Merchant one; a full name names itself."""
    return surface == rule_surface or surface.startswith(rule_surface + "-")


def error_key(code: int, surface: str) -> str | None:
    """The registry entry a fault answers for a Wish code on a surface: the first the registry holds with that code
    among the surface's entries (the generic one: invalid_param for 1000, missing_param for 1001, ...)."""
    wishpost = surface.startswith("wishpost")
    return next((e.key for e in REGISTRY.values()
                 if e.code == code and (set(e.messages) == set(WISHPOST_LOCALES)) == wishpost), None)


def fault_error(key: str) -> WishError:
    """The entry's error with each placeholder of its message filled ("No 'Product' Found with id: 'fault'")."""
    entry = REGISTRY[key]
    names = {name for text in entry.messages.values() for _, name, _, _ in Formatter().parse(text) if name}
    return WishError(key, **{n: "id" if n == "field" else "fault" for n in names})


@dataclass(frozen=True)
class Effect:
    """What happens to a request: an error code or a status (at most one), a transport break, a latency."""

    code: int | None = None
    status: int | None = None
    fault: str | None = None
    latency_ms: tuple[int, int] | None = None  # a range; a fixed latency is (n, n)

    def describe(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        if self.code is not None:
            out["code"] = self.code
        if self.status is not None:
            out["status"] = self.status
        if self.fault is not None:
            out["fault"] = self.fault
        if self.latency_ms is not None:
            out["latency_ms"] = list(self.latency_ms)
        return out


@dataclass
class Rule:
    id: str
    effect: Effect
    surface: str | None = None
    method: str | None = None
    path: str | None = None
    tenant: str | None = None
    params: Mapping[str, str] | None = None
    times: int | None = None  # matches left; None: until deleted
    probability: float = 1.0
    fired: int = 0

    # A rule matches a request when its tenant is the caller's (None before authentication: a rule naming a
    # tenant waits for it), it `fits` the method and path, and it `applies` to the surface and parameters.

    def fits(self, method: str, path: str) -> bool:
        return (self.method is None or self.method == method) and (self.path is None or _path_matches(self.path, path))

    def applies(self, surface: str, params: Mapping[str, str]) -> bool:
        if self.surface is not None and not surface_matches(self.surface, surface):
            return False
        return self.params is None or all(params.get(k) == v for k, v in self.params.items())

    def describe(self) -> dict[str, Any]:
        out: dict[str, Any] = {"id": self.id}
        for name in ("surface", "method", "path", "tenant"):
            value = getattr(self, name)
            if value is not None:
                out[name] = value
        if self.params is not None:
            out["params"] = dict(self.params)
        out.update(self.effect.describe())
        out["times"] = self.times
        out["probability"] = self.probability
        out["fired"] = self.fired
        return out


def _path_matches(pattern: str, path: str) -> bool:
    """Exact, or a glob (`*`, `?`, `[...]`); the /v2 alias of a Merchant path answers to its /api/v2 form too."""
    candidates = (path, "/api" + path) if path.startswith("/v2/") else (path,)
    if any(ch in pattern for ch in "*?["):
        return any(fnmatch.fnmatchcase(p, pattern) for p in candidates)
    return pattern in candidates


@dataclass(frozen=True)
class Hit:
    """The fault one request got: its effect and where it came from (a rule's id, or the header)."""

    effect: Effect
    source: str
    latency_ms: int = 0  # drawn from the effect's range

    def describe(self) -> dict[str, Any]:
        return {"source": self.source, **self.effect.describe(),
                **({"latency_applied_ms": self.latency_ms} if self.effect.latency_ms else {})}


class FaultStatus(Exception):
    """A fault answering a bare HTTP status: the pipeline answers it as a proxy in front of Wish would."""

    def __init__(self, status: int) -> None:
        super().__init__(status)
        self.status = status

    def response(self) -> Response:
        return Response(f"{self.status} {_REASONS.get(self.status, '')}".strip(), status_code=self.status,
                        media_type="text/plain")


class _Bucket:
    """The rules of one tenant (or of none), with the ones that can match each (method, path) worked out once: a
    request then looks only at the rules whose method and path fit it, in creation order, and checks their
    surface and parameters (the benchmark loads 100 rules). Operations' paths are few, so the memo is small."""

    __slots__ = ("memo", "rules")

    def __init__(self, rules: list[Rule]) -> None:
        self.rules = rules  # in creation order
        self.memo: dict[tuple[str, str], list[Rule]] = {}

    def candidates(self, method: str, path: str) -> list[Rule]:
        found = self.memo.get((method, path))
        if found is None:
            if len(self.memo) >= MEMO_LIMIT:
                self.memo.clear()
            found = self.memo[(method, path)] = [r for r in self.rules if r.fits(method, path)]
        return found


MEMO_LIMIT = 4096  # (method, path) pairs remembered per bucket: far above the API's operations


class Faults:
    """The rules in force (in memory: a reset clears them) and the decision for each request."""

    def __init__(self, rng: random.Random | None = None) -> None:
        self.rules: list[Rule] = []
        self._ids = itertools.count(1)
        self._rng = rng or random.Random()
        self.header_token: str | None = None  # MOCKWISH_SANDBOX_TOKEN: the header is honoured only beside it
        self._buckets: dict[str | None, _Bucket] = {}  # by tenant (None: the rules matched before auth)
        # whose rules there are (None: rules naming no tenant): the pipelines ask after auth only if need be
        self.tenants: frozenset[str | None] = frozenset()

    def _changed(self) -> None:
        by_tenant: dict[str | None, list[Rule]] = {}
        for rule in self.rules:
            by_tenant.setdefault(rule.tenant, []).append(rule)
        self._buckets = {tenant: _Bucket(rules) for tenant, rules in by_tenant.items()}
        self.tenants = frozenset(self._buckets)

    # ---- the control API's side ----------------------------------------------------------------------

    def add(self, effect: Effect, *, surface: str | None = None, method: str | None = None, path: str | None = None,
            tenant: str | None = None, params: Mapping[str, str] | None = None, times: int | None = None,
            probability: float = 1.0) -> Rule:
        rule = Rule(f"fault-{next(self._ids)}", effect, surface, method.upper() if method else None, path, tenant,
                    dict(params) if params is not None else None, times, probability)
        self.rules.append(rule)
        self._changed()
        return rule

    def remove(self, rule_id: str) -> bool:
        before = len(self.rules)
        self.rules = [r for r in self.rules if r.id != rule_id]
        self._changed()
        return len(self.rules) != before

    def clear(self, tenant: str | None = None) -> None:
        """Every rule, or only those naming `tenant`."""
        self.rules = [] if tenant is None else [r for r in self.rules if r.tenant != tenant]
        self._changed()

    # ---- the pipelines' side ------------------------------------------------------------------------

    def check(self, scope: Scope, params: Mapping[str, str], tenant: str | None, surface: str) -> None:
        """Decide this request's fault for one phase (tenant None: the parameters are read; else the caller is
        known). Raises the Wish error (WishError) or the bare status (FaultStatus) it answers; a latency or a
        transport break is left in the scope for the front door. At most one fault per request."""
        if SCOPE_KEY in scope:
            return
        hit = self._header_hit(scope, surface) if tenant is None else None
        if hit is None:
            bucket = self._buckets.get(tenant)
            if bucket is not None:
                hit = self._rule_hit(bucket, scope, params, tenant, surface)
        if hit is None:
            return
        scope[SCOPE_KEY] = hit
        effect = hit.effect
        if effect.code is not None:
            key = error_key(effect.code, surface)
            raise fault_error(key if key is not None else "unknown_error")
        if effect.status is not None:
            raise FaultStatus(effect.status)

    def _rule_hit(self, bucket: _Bucket, scope: Scope, params: Mapping[str, str], tenant: str | None,
                  surface: str) -> Hit | None:
        for rule in bucket.candidates(scope["method"], scope["path"]):
            if not rule.applies(surface, params):
                continue
            if rule.effect.code is not None and error_key(rule.effect.code, surface) is None:
                continue  # {"code": 1056} without a surface: WishPost has no such code, its calls go on
            if rule.probability < 1.0 and self._rng.random() >= rule.probability:
                continue
            rule.fired += 1
            if rule.times is not None:
                rule.times -= 1
                if rule.times <= 0:
                    self.rules.remove(rule)
                    self._changed()
            return self._hit(rule.effect, rule.id)
        return None

    def _header_hit(self, scope: Scope, surface: str) -> Hit | None:
        raw = None
        token = None
        for name, value in scope["headers"]:
            if name == HEADER:
                raw = value
            elif name == b"x-sandbox-token":
                token = value
        if raw is None:
            return None
        if self.header_token is not None and (token is None or token.decode("latin-1") != self.header_token):
            return None
        effect = parse_header(raw.decode("latin-1"))
        if effect is None or (effect.code is not None and error_key(effect.code, surface) is None):
            return None  # a code the surface does not have is as unreadable as any other part
        return self._hit(effect, "header")

    def _hit(self, effect: Effect, source: str) -> Hit:
        latency = 0
        if effect.latency_ms is not None:
            low, high = effect.latency_ms
            latency = low if low == high else self._rng.randint(low, high)
        return Hit(effect, source, latency)


def parse_header(text: str) -> Effect | None:
    """`code=1056`, `status=503`, `latency_ms=300` or `latency_ms=200-800`, `fault=drop`, joined by `;` or `,`.
    Anything it cannot read is ignored (the header is a test's convenience, not an API)."""
    code = status = None
    fault = None
    latency: tuple[int, int] | None = None
    for part in text.replace(",", ";").split(";"):
        name, _, value = part.partition("=")
        name, value = name.strip().lower(), value.strip()
        try:
            if name == "code":
                code = int(value)
            elif name == "status" and int(value) in STATUSES:
                status = int(value)
            elif name == "fault" and value in BREAKS:
                fault = value
            elif name == "latency_ms":
                low, _, high = value.partition("-")
                bounds = (int(low), int(high or low))
                if 0 <= bounds[0] <= bounds[1] <= MAX_LATENCY_MS:
                    latency = bounds
        except ValueError:
            continue
    if code is not None and status is not None:
        status = None  # one answer: the Wish error
    if code is None and status is None and fault is None and latency is None:
        return None
    return Effect(code, status, fault, latency)


async def send_with(hit: Hit | None, response: Response, scope: Scope, receive: Receive, send: Send) -> None:
    """Send `response` as the request's fault has it: after its latency, and broken when it says so."""
    if hit is None:
        await response(scope, receive, send)
        return
    if hit.latency_ms:
        await asyncio.sleep(hit.latency_ms / 1000)
    fault = hit.effect.fault
    if fault is None:
        await response(scope, receive, send)
        return
    body = bytes(response.body)
    headers = [(k, v) for k, v in response.raw_headers if k != b"content-length"]
    if fault == "malformed":  # well framed, but the body stops halfway (a JSON or XML parser fails on it)
        body = body[: len(body) // 2]
        await send({"type": "http.response.start", "status": response.status_code,
                    "headers": [*headers, (b"content-length", str(len(body)).encode())]})
        await send({"type": "http.response.body", "body": body, "more_body": False})
        return
    await send({"type": "http.response.start", "status": response.status_code,
                "headers": [*headers, (b"content-length", str(len(body)).encode())]})
    if fault == "truncate":
        await send({"type": "http.response.body", "body": body[: len(body) // 2], "more_body": True})
    # then nothing more: the server closes the connection with the answer incomplete (drop: after the status line)


def validate_rule(surface: str | None, code: int | None, status: int | None, fault: str | None,
                  latency_ms: Sequence[int] | None) -> list[str]:
    """Why a rule cannot be stored (field: reason), empty when it can."""
    problems: list[str] = []
    if surface is not None and surface not in SURFACES and surface not in ("merchant", "wishpost"):
        problems.append(f"surface: one of {', '.join(SURFACES)}")
    if code is not None and status is not None:
        problems.append("code: give code or status, not both")
    if code is not None:
        surfaces = [surface] if surface is not None else ["merchant", "wishpost"]
        if all(error_key(code, s) is None for s in surfaces):
            problems.append(f"code: {code} is not a Wish code of the registry for {' or '.join(surfaces)}")
    if status is not None and status not in STATUSES:
        problems.append(f"status: one of {', '.join(map(str, STATUSES))}")
    if fault is not None and fault not in BREAKS:
        problems.append(f"fault: one of {', '.join(BREAKS)}")
    if latency_ms is not None:
        if len(latency_ms) not in (1, 2) or not 0 <= latency_ms[0] <= latency_ms[-1] <= MAX_LATENCY_MS:
            problems.append(f"latency_ms: a number or [low, high] within 0..{MAX_LATENCY_MS}")
    if code is None and status is None and fault is None and latency_ms is None:
        problems.append("code: a rule needs an effect (code, status, fault or latency_ms)")
    return problems


class FaultIn(BaseModel):
    """Which requests (every field optional: a rule without any matches every API request) and what happens."""

    model_config = ConfigDict(extra="forbid")
    surface: SurfaceName | None = Field(default=None, description="merchant and wishpost name their OAuth and XML "
                                                              "surfaces too")
    method: StrictStr | None = Field(default=None, pattern="^(?i:get|post)$",
                                     description="GET or POST (any case): every API operation answers both")
    path: StrictStr | None = Field(default=None, max_length=500, description="Exact, or a glob: /api/v2/product*")
    tenant: StrictStr | None = Field(default=None, max_length=64, description="A merchant id or WishPost user id: "
                                     "matched once the request is authenticated")
    params: dict[StrictStr, StrictStr] | None = Field(default=None, description="Parameter values the request must "
                                                      "carry, e.g. {\"id\": \"...\"}")
    code: StrictInt | None = Field(default=None, description="Answer this Wish error, rendered in the surface's "
                                   "format (e.g. 1056: too many requests)")
    status: Literal[500, 502, 503, 504] | None = Field(default=None, description="Answer this bare HTTP status")
    fault: Literal["drop", "truncate", "malformed"] | None = Field(
        default=None, description="drop: the connection closes after the status line; truncate: after half the "
        "body; malformed: a complete answer whose body stops halfway")
    latency_ms: StrictInt | list[StrictInt] | None = Field(default=None, description="Added latency: a number or "
                                                           "[low, high] (a random draw per request)")
    times: StrictInt | None = Field(default=None, ge=1, le=1_000_000, description="For the next N matches (default: "
                                    "until deleted)")
    probability: StrictInt | StrictFloat = Field(default=1.0, gt=0, le=1, description="Fire on this share of "
                                                 "the matches")

    def latency(self) -> list[int] | None:
        return [self.latency_ms] if isinstance(self.latency_ms, int) else self.latency_ms

    def effect(self) -> Effect:
        latency = self.latency()
        return Effect(self.code, self.status, self.fault, (latency[0], latency[-1]) if latency is not None else None)



assert set(get_args(Literal["drop", "truncate", "malformed"])) == set(BREAKS)
