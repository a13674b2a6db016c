"""The request journal: every request to a Wish surface, kept in memory in a bounded ring, and verification
of what arrived (WireMock's journal and its near misses are the model).

Recording runs on the hot path of every API request, so it only keeps references to the raw pieces (query
bytes, the ASGI header list, body bytes, response bytes) in one small object appended to a deque. All the work
(decoding the query, masking tokens, parsing the Wish code out of the answer) happens when the journal is
read, which is rare. The one exception bounds memory: a request body longer than the body cap is kept as its
first `body_cap` bytes (and its size), an answer longer than RESPONSE_KEPT bytes as its first RESPONSE_KEPT
(the Wish code is at its start), so a full ring of 100 KB order pages does not hold a gigabyte. No FastAPI
here: the control routes are in journal_routes.py."""

from __future__ import annotations

import codecs
import re
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from difflib import SequenceMatcher
from typing import Any
from urllib.parse import parse_qs
from xml.etree.ElementTree import Element

import orjson
from defusedxml import ElementTree as SafeET

from mockwish.sandbox.faults import SURFACES, surface_matches

__all__ = ["SURFACES", "Filter", "Journal", "Raw", "mask", "parse_code", "parse_instant"]

# parameters and headers whose values are credentials: shown as their first 4 characters then "…"
SECRET_PARAMS = frozenset({"access_token", "client_secret", "refresh_token", "code", "password"})
SECRET_HEADERS = frozenset({"authorization", "proxy-authorization", "x-api-key", "cookie", "x-sandbox-token"})
SHOWN = 4
ELLIPSIS = "…"
MAX_NEAR_MISSES = 5
CODE_HEAD = 32  # of an answer that starts with its code ({"code":1004,...): the code and then some
RESPONSE_KEPT = 2048  # of an answer: its Wish code comes first (WishPost v3: after a timestamp and a message)

_SECRETS = "|".join(sorted(SECRET_PARAMS))
# the same parameters inside a body kept as text: form fields, JSON members, XML elements (a value cut by the
# body cap is masked too: the closing delimiter is optional)
_FORM_SECRET = re.compile(rf"(?:^|(?<=&))({_SECRETS})=([^&]*)")
_JSON_SECRET = re.compile(rf'"({_SECRETS})"(\s*:\s*)"((?:[^"\\]|\\.)*)')
_XML_SECRET = re.compile(rf"<({_SECRETS})>([^<]*)")
# the Wish code of an XML answer: Merchant v2 `format=xml` has <code>, WishPost v2 has <status>; the first wins
_XML_CODE = re.compile(rb"<(code|status)>\s*(-?\d+)\s*</\1>")
_JSON_CODE_FIRST = re.compile(rb'\A\s*\{\s*"code"\s*:\s*(-?\d+)')  # the Merchant envelope's first member
_JSON_CODE_ANY = re.compile(rb'(?<!\\)"code"\s*:\s*(-?\d+)')  # in an answer kept as its start only
_UNPARSED = object()


def mask(value: str) -> str:
    """A credential as its first 4 characters then an ellipsis (the whole of a short one is never shown)."""
    return (value[:SHOWN] if len(value) > SHOWN else "") + ELLIPSIS


def mask_header(name: str, value: str) -> str:
    """Authorization keeps its scheme: `Bearer an_e…`."""
    if name in ("authorization", "proxy-authorization"):
        scheme, space, credential = value.partition(" ")
        if space and credential:
            return f"{scheme} {mask(credential.strip())}"
    return mask(value)


def mask_body_text(text: str) -> str:
    text = _FORM_SECRET.sub(lambda m: f"{m[1]}={mask(m[2])}", text)
    text = _JSON_SECRET.sub(lambda m: f'"{m[1]}"{m[2]}"{mask(m[3])}', text)  # the closing quote stays
    return _XML_SECRET.sub(lambda m: f"<{m[1]}>{mask(m[2])}", text)


def iso_ms(instant: datetime) -> str:
    """An instant as ISO 8601 with milliseconds and Z (naive instants are UTC, as every mock time is)."""
    if instant.tzinfo is not None:
        instant = instant.astimezone(UTC).replace(tzinfo=None)
    return instant.isoformat(timespec="milliseconds") + "Z"


def iso_real(real: float) -> str:
    return iso_ms(datetime.fromtimestamp(real, UTC))


def parse_instant(value: str) -> datetime:
    """An ISO 8601 instant (`Z` or an offset; UTC when it has none) as naive UTC. ValueError when not one."""
    text = value.strip()
    at = datetime.fromisoformat(text[:-1] + "+00:00" if text[-1:] in ("Z", "z") else text)
    if at.tzinfo is not None:
        at = at.astimezone(UTC).replace(tzinfo=None)
    return at


def parse_code(body: bytes | None, content_type: str | None) -> int | None:
    """The Wish code of an answer: a JSON object's `code` (the Merchant envelope, WishPost v3), or the first
    <code> or <status> element of an XML one; None for a file, an empty or an unparseable answer."""
    if not body:
        return None
    kind = (content_type or "").split(";", 1)[0].strip().lower()
    head = body[:1].strip() or body.lstrip()[:1]
    if kind.endswith("json") or (not kind and head == b"{"):
        first = _JSON_CODE_FIRST.match(body)
        if first is not None:
            return int(first[1])
        try:
            value = orjson.loads(body)
        except orjson.JSONDecodeError:  # cut at RESPONSE_KEPT (or not JSON at all): the first "code" member
            found = _JSON_CODE_ANY.search(body)
            return int(found[1]) if found is not None else None
        code = value.get("code") if isinstance(value, dict) else None
        if isinstance(code, bool):
            return None
        if isinstance(code, int):
            return code
        if isinstance(code, str) and code.lstrip("-").isdigit():
            return int(code)
        return None
    if kind.endswith("xml") or (not kind and head == b"<"):
        found = _XML_CODE.search(body)
        return int(found[2]) if found is not None else None
    return None


def _text_prefix(kept: bytes, size: int) -> str:
    """A body kept whole or cut at the cap, as text; a cut one never ends in half a UTF-8 sequence."""
    decoder = codecs.getincrementaldecoder("utf-8")("replace")
    return decoder.decode(kept, final=len(kept) >= size)


def _header(headers: Sequence[tuple[bytes, bytes]], name: bytes) -> str | None:
    for key, value in headers:
        if key.lower() == name:
            return value.decode("latin-1")
    return None


def _flat_xml(root: Element) -> Iterator[tuple[str, str]]:
    for el in root.iter():
        if isinstance(el.tag, str) and len(el) == 0:
            yield el.tag, (el.text or "").strip()


def body_params(body: bytes | None, content_type: str | None) -> dict[str, list[Any]]:
    """The parameters a body carries: form fields, a JSON object's members, or an XML body's leaf elements
    (WishPost v2: <access_token>, <tracking_id>...); {} for anything else (multipart, files, garbage)."""
    if not body:
        return {}
    kind = (content_type or "").split(";", 1)[0].strip().lower()
    head = body.lstrip()[:1]
    if kind.endswith("json") or head in (b"{", b"["):
        try:
            value = orjson.loads(body)
        except orjson.JSONDecodeError:
            return {}
        return {k: [v] for k, v in value.items()} if isinstance(value, dict) else {}
    if kind.endswith("xml") or head == b"<":
        try:
            root = SafeET.fromstring(body)
        except Exception:  # noqa: BLE001 (defusedxml raises its own refusals and ParseError)
            return {}
        found: dict[str, list[Any]] = {}
        for tag, text in _flat_xml(root):
            found.setdefault(tag, []).append(text)
        return found
    if kind in ("application/x-www-form-urlencoded", ""):
        return dict(parse_qs(body.decode("utf-8", "replace"), keep_blank_values=True))
    return {}


def _norm(value: Any) -> str:
    """A parameter value as text for comparison: the query's and a form's values are text already; a JSON
    body's numbers, booleans and objects compare by their JSON text ("5" matches 5, "true" matches true)."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    return orjson.dumps(value).decode() if not isinstance(value, int | float) else str(value)


def _values_equal(expected: Any, actual: Any) -> bool:
    e, a = _norm(expected), _norm(actual)
    if isinstance(expected, bool):  # forms send True/true/TRUE alike
        return e == a.lower()
    return e == a


class Raw:
    """One journaled request as recorded: references to the raw pieces, nothing parsed."""

    __slots__ = ("body", "body_size", "code", "content_type", "fault", "headers", "latency_ms", "method", "mock",
                 "path", "query", "real", "request_id", "response_body", "seq", "status", "surface", "tenant")

    def __init__(self, seq: int, real: float, mock: datetime, surface: str, method: str, path: str, query: bytes,
                 headers: Sequence[tuple[bytes, bytes]], body: bytes | None, body_size: int, tenant: str | None,
                 status: int, response_body: bytes | None, content_type: str | None, latency_ms: float,
                 request_id: str, fault: dict[str, Any] | None) -> None:
        self.seq = seq
        self.body_size = body_size
        self.real = real
        self.mock = mock
        self.surface = surface
        self.method = method
        self.path = path
        self.query = query
        self.headers = headers
        self.body = body
        self.tenant = tenant
        self.status = status
        self.response_body = response_body
        self.content_type = content_type
        self.latency_ms = latency_ms
        self.request_id = request_id
        self.fault = fault
        self.code: Any = _UNPARSED  # the Wish code, parsed on the first read that needs it

    def wish_code(self) -> int | None:
        code = self.code
        if code is _UNPARSED:
            code = self.code = parse_code(self.response_body, self.content_type)
            self.response_body = None  # the code was all it was kept for
        return code

    def query_params(self) -> dict[str, list[str]]:
        return parse_qs(self.query.decode("utf-8", "replace"), keep_blank_values=True) if self.query else {}

    def params(self) -> dict[str, list[Any]]:
        """Query and body parameters together (the query's first, as the wire merges them)."""
        merged: dict[str, list[Any]] = dict(self.query_params())
        for name, values in body_params(self.body, _header(self.headers, b"content-type")).items():
            merged[name] = [*merged.get(name, []), *values]
        return merged


@dataclass
class Filter:
    """What GET /sandbox/api/requests and verify select on. Unset fields match everything; instants are naive
    UTC (`since`/`until` on real time, `mock_since`/`mock_until` on the mock clock), bounds included."""

    surface: str | None = None  # as fault rules match it: `merchant` and `wishpost` also name their families
    method: str | None = None
    path: str | None = None  # exact, or a glob where * is any run of characters
    tenant: str | None = None
    code: int | None = None
    status: int | None = None
    request_id: str | None = None
    since: datetime | None = None
    until: datetime | None = None
    mock_since: datetime | None = None
    mock_until: datetime | None = None
    params: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._method = self.method.upper() if self.method is not None else None
        self._glob = (re.compile(".*".join(re.escape(part) for part in self.path.split("*")), re.DOTALL)
                      if self.path is not None and "*" in self.path else None)
        # the real-time bounds as epoch seconds, as entries keep time.time()
        self._since = self.since.replace(tzinfo=UTC).timestamp() if self.since is not None else 0.0
        self._until = self.until.replace(tzinfo=UTC).timestamp() if self.until is not None else 0.0

    def shown(self) -> dict[str, Any]:
        """The fields set, as a client wrote them (instants as ISO with Z)."""
        out: dict[str, Any] = {}
        for name in ("surface", "method", "path", "tenant", "code", "status", "request_id"):
            value = getattr(self, name)
            if value is not None:
                out[name] = value
        for name in ("since", "until", "mock_since", "mock_until"):
            value = getattr(self, name)
            if value is not None:
                out[name] = iso_ms(value)
        if self.params:
            out["params"] = self.params
        return out

    def path_matches(self, path: str) -> bool:
        if self.path is None:
            return True
        return self._glob.fullmatch(path) is not None if self._glob is not None else path == self.path

    def differences(self, raw: Raw, *, first_only: bool = False, with_params: bool = True) -> list[dict[str, Any]]:
        """What of this filter the entry does not match, one {"field", "expected", "actual"} per field; the
        cheap fields are compared first, `first_only` stops at the first difference (a plain match), and
        `with_params` False leaves out the parameters (which parse the body)."""
        diffs: list[dict[str, Any]] = []

        def differ(name: str, expected: Any, actual: Any) -> bool:
            diffs.append({"field": name, "expected": expected, "actual": actual})
            return first_only

        if (self.surface is not None and not surface_matches(self.surface, raw.surface)
                and differ("surface", self.surface, raw.surface)):
            return diffs
        if self._method is not None and raw.method != self._method and differ("method", self._method, raw.method):
            return diffs
        if not self.path_matches(raw.path) and differ("path", self.path, raw.path):
            return diffs
        if self.tenant is not None and raw.tenant != self.tenant and differ("tenant", self.tenant, raw.tenant):
            return diffs
        if self.status is not None and raw.status != self.status and differ("status", self.status, raw.status):
            return diffs
        if (self.request_id is not None and raw.request_id != self.request_id
                and differ("request_id", self.request_id, raw.request_id)):
            return diffs
        if (self.since is not None and raw.real < self._since
                and differ("since", iso_ms(self.since), iso_real(raw.real))):
            return diffs
        if (self.until is not None and raw.real > self._until
                and differ("until", iso_ms(self.until), iso_real(raw.real))):
            return diffs
        if (self.mock_since is not None and raw.mock < self.mock_since
                and differ("mock_since", iso_ms(self.mock_since), iso_ms(raw.mock))):
            return diffs
        if (self.mock_until is not None and raw.mock > self.mock_until
                and differ("mock_until", iso_ms(self.mock_until), iso_ms(raw.mock))):
            return diffs
        if self.code is not None and raw.wish_code() != self.code and differ("code", self.code, raw.wish_code()):
            return diffs
        if with_params and self.params:
            diffs += self.param_differences(raw, first_only=first_only)
        return diffs

    def param_differences(self, raw: Raw, *, first_only: bool = False) -> list[dict[str, Any]]:
        """The parameters of this filter the entry did not carry with the value asked (credentials it sent are
        shown masked)."""
        diffs: list[dict[str, Any]] = []
        sent = raw.params()
        for name, expected in self.params.items():
            actual = sent.get(name, [])
            if not any(_values_equal(expected, value) for value in actual):
                shown: Any = [_shown_param(name, v) for v in actual] if len(actual) > 1 else (
                    _shown_param(name, actual[0]) if actual else None)
                diffs.append({"field": f"params.{name}", "expected": expected, "actual": shown})
                if first_only:
                    break
        return diffs

    def matches(self, raw: Raw) -> bool:
        return not self.differences(raw, first_only=True)


def _shown_param(name: str, value: Any) -> Any:
    return mask(_norm(value)) if name in SECRET_PARAMS else value


_TENANT_AT = 10  # where a ring entry holds Raw's `tenant`


class Journal:
    """The ring of journaled requests. `record` is the hot path; everything else is a read."""

    def __init__(self, capacity: int = 10_000, body_cap: int = 16_384, enabled: bool = True) -> None:
        if capacity < 1:
            raise ValueError("capacity must be at least 1")
        self.enabled = enabled
        self.capacity = capacity
        self.body_cap = max(0, body_cap)
        # each entry a tuple of Raw's fields: a tuple of immutable things leaves the garbage collector's lists after
        # its first collection, where 10,000 objects would be traversed by every full collection of a busy server
        self._ring: deque[tuple[Any, ...]] = deque(maxlen=capacity)
        self._next = 1  # the id of the next entry: ids go on across clears, so a client never sees one twice
        self._first = 1  # the id of the first entry recorded since the last full clear
        self._removed = 0  # entries a tenant's clear took out since then (not dropped by the ring)

    def record(self, *, real: float, mock: datetime, surface: str, method: str, path: str, query: bytes,
               headers: list[tuple[bytes, bytes]], body: bytes | None, tenant: str | None, status: int,
               response_body: bytes | None, content_type: str | None, latency_ms: float, request_id: str,
               fault: dict[str, Any] | None) -> None:
        if not self.enabled:
            return
        seq = self._next
        self._next = seq + 1
        size = 0
        if body is not None:
            size = len(body)
            if size > self.body_cap:
                body = body[:self.body_cap]
        if response_body is not None and len(response_body) > CODE_HEAD:
            # the Merchant envelope starts with its code: a few bytes are enough, and nothing big is kept alive
            response_body = response_body[:CODE_HEAD if response_body.startswith(b'{"code":') else RESPONSE_KEPT]
        self._ring.append((seq, real, mock, surface, method, path, query, tuple(headers), body, size, tenant, status,
                           response_body, content_type, latency_ms, request_id, fault))

    def clear(self, tenant: str | None = None) -> None:
        """Forget every entry, or only those of one tenant (its merchant or WishPost user)."""
        if tenant is None:
            self._ring.clear()
            self._first = self._next
            self._removed = 0
            return
        kept = [entry for entry in self._ring if entry[_TENANT_AT] != tenant]
        self._removed += len(self._ring) - len(kept)
        self._ring.clear()
        self._ring.extend(kept)

    def __len__(self) -> int:
        return len(self._ring)

    @property
    def dropped(self) -> int:
        """How many entries the ring has let go (the oldest, when full) since the last full clear."""
        return (self._next - self._first) - self._removed - len(self._ring)

    def newest_first(self) -> Iterator[Raw]:
        return (Raw(*entry) for entry in reversed(self._ring))

    def select(self, flt: Filter) -> list[Raw]:
        """The matching entries, newest first (a snapshot: the ring may move on while a reader works)."""
        return [raw for raw in list(self.newest_first()) if flt.matches(raw)]

    def page(self, flt: Filter, start: int = 0, limit: int = 100) -> tuple[list[dict[str, Any]], int]:
        """One page of matching entries, newest first, rendered; and how many match in all."""
        found = self.select(flt)
        return [self.render(raw) for raw in found[start:start + limit]], len(found)

    def verify(self, flt: Filter, *, count: int | None = None, at_least: int | None = None) -> dict[str, Any]:
        """Whether requests matching `flt` arrived exactly `count` times (or at least `at_least`, by default 1);
        when not, the nearest entries that did not match and what differed about each."""
        if count is not None and at_least is not None:
            raise ValueError("count and at_least exclude each other")
        snapshot = list(self.newest_first())
        actual = sum(1 for raw in snapshot if flt.matches(raw))
        want: dict[str, int] = {"count": count} if count is not None else {
            "at_least": 1 if at_least is None else at_least}
        matched = actual == count if count is not None else actual >= want["at_least"]
        answer: dict[str, Any] = {"matched": matched, "count": actual, "expected": {**flt.shown(), **want},
                                  "near_misses": []}
        if not matched:
            answer["near_misses"] = [{"request": self.render(raw), "differences": diffs}
                                     for raw, diffs in self.near_misses(flt, snapshot)]
        return answer

    def near_misses(self, flt: Filter, entries: Iterable[Raw], limit: int = MAX_NEAR_MISSES
                    ) -> list[tuple[Raw, list[dict[str, Any]]]]:
        """The entries that do not match, nearest first: fewest differing fields, then the closest path (when
        the path differs), then the newest."""
        similarity: dict[str, float] = {}

        def path_distance(raw: Raw) -> float:
            if flt.path is None or flt.path_matches(raw.path):
                return 0.0
            if raw.path not in similarity:
                similarity[raw.path] = SequenceMatcher(None, flt.path.replace("*", ""), raw.path).ratio()
            return 1.0 - similarity[raw.path]

        # rank on the cheap fields first; the parameters (a body parse each) only for entries that can still
        # make the list: one that ranks below the worst kept even before its parameters count cannot
        Key = tuple[int, float, int]
        cheap: list[tuple[Key, Raw, list[dict[str, Any]]]] = []
        for raw in entries:
            diffs = flt.differences(raw, with_params=False)
            cheap.append(((len(diffs), path_distance(raw), -raw.seq), raw, diffs))
        cheap.sort(key=lambda item: item[0])
        best: list[tuple[Key, Raw, list[dict[str, Any]]]] = []
        for (n, distance, newer), raw, diffs in cheap:
            # the least this entry can score: a non-match differs in one field at least
            if len(best) >= limit and (max(n, 1), distance, newer) > best[-1][0]:
                break
            if flt.params:
                diffs = diffs + flt.param_differences(raw)
            if diffs:
                best.append(((len(diffs), distance, newer), raw, diffs))
                best.sort(key=lambda item: item[0])
                del best[limit:]
        return [(raw, diffs) for _, raw, diffs in best]

    def render(self, raw: Raw) -> dict[str, Any]:
        """An entry as the control API shows it: query decoded, credentials masked, body capped."""
        query = {name: [mask(v) for v in values] if name in SECRET_PARAMS else values
                 for name, values in raw.query_params().items()}
        headers: dict[str, str] = {}
        for key, value in raw.headers:
            name = key.decode("latin-1").lower()
            text = value.decode("latin-1")
            if name in SECRET_HEADERS:
                text = mask_header(name, text)
            headers[name] = f"{headers[name]}, {text}" if name in headers else text
        body, size = raw.body, raw.body_size
        text_body = mask_body_text(_text_prefix(body, size)) if body else None
        return {
            "id": raw.seq,
            "request_id": raw.request_id,
            "time": iso_real(raw.real),
            "mock_time": iso_ms(raw.mock),
            "surface": raw.surface,
            "method": raw.method,
            "path": raw.path,
            "query": query,
            "headers": headers,
            "body": text_body,
            "body_truncated": size > len(body or b""),
            "body_bytes": size,
            "tenant": raw.tenant,
            "status": raw.status,
            "code": raw.wish_code(),
            "latency_ms": round(raw.latency_ms, 3),
            "fault": raw.fault,
        }
