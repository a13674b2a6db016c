"""The tenant measures of `make bench` (issue 16), run by bench/run.py's `tenants` section against a running
mockwish, on one kept-alive connection (bench/keepalive.py), each call timed from the request sent to the
last byte of its answer read:
- create: `POST /sandbox/api/tenants` with one kind's body (checked: 201, an id and a token), then at once
  `GET /api/v2/auth_test?access_token=<the new token>` (checked: code 0, the tenant's merchant);
- rounds: a kind created again and again, then every tenant deleted (`DELETE /sandbox/api/tenants`, timed);
- resets: `POST /sandbox/api/tenants/{id}/reset` of one tenant, again and again;
- many: `count` tenants of one kind created in a row, kept (for the server's memory per tenant).
The servers, the memory readings and the tables are run.py's."""

from __future__ import annotations

import json
import math
import statistics
from dataclasses import dataclass, field
from typing import Any

from keepalive import Connection

PATH = "/sandbox/api/tenants"
JSON = {"Content-Type": "application/json"}


@dataclass(frozen=True)
class Kind:
    label: str  # in the tables
    body: dict[str, Any]  # of POST /sandbox/api/tenants
    target_ms: float | None  # issue 16's target for the creation, when it sets one
    runs_full: bool = False  # measured `--tenant-full-runs` times (else `--tenant-runs`)


KINDS = (
    Kind("`none`", {"data": "none"}, 100.0),
    Kind("`small`", {"data": "small"}, 100.0),
    Kind("`full`", {"data": "full"}, 2000.0, runs_full=True),
    Kind("`small` + `wishpost: true`", {"data": "small", "wishpost": True}, None),
    Kind("scenario `ten-orders-to-ship`", {"scenario": "ten-orders-to-ship"}, None),
)


@dataclass(frozen=True)
class Created:
    tenant_id: str
    create_s: float  # POST /sandbox/api/tenants
    auth_s: float  # the first GET /api/v2/auth_test with its token, right after


@dataclass
class Round:
    """One kind on one server: its first creation there, then `runs` more, then every tenant deleted."""

    first: Created
    runs: list[Created] = field(default_factory=list)
    deleted: int = 0
    delete_s: float = 0.0

    def create_ms(self) -> list[float]:
        return [c.create_s * 1000 for c in self.runs]

    def auth_ms(self) -> list[float]:
        return [c.auth_s * 1000 for c in self.runs]


def p(values: list[float], q: float) -> float:
    """The nearest-rank percentile: of 20 values, p95 is the 19th smallest; of 5, the largest."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(q * len(ordered)) - 1)]


def summary_ms(values: list[float]) -> str:
    """median / p95 / max, in ms."""
    return f"{statistics.median(values):.1f} / {p(values, 0.95):.1f} / {max(values):.1f}"


class Client:
    def __init__(self, port: int) -> None:
        self.conn = Connection(port)

    def close(self) -> None:
        self.conn.close()

    def _json(self, method: str, target: str, body: dict[str, Any] | None, want: int) -> tuple[Any, float]:
        data = json.dumps(body).encode() if body is not None else None
        status, answer, seconds = self.conn.send(method, target, data, JSON if data is not None else None)
        if status != want:
            raise RuntimeError(f"{method} {target} answered {status}: {answer[:300]!r}")
        return json.loads(answer), seconds

    def create(self, kind: Kind) -> Created:
        out, create_s = self._json("POST", PATH, kind.body, 201)
        tenant_id, token = out.get("id"), out.get("access_token")
        if not tenant_id or not token:
            raise RuntimeError(f"{kind.label}: the new tenant lacks an id or a token: {str(out)[:300]}")
        auth, auth_s = self._json("GET", f"/api/v2/auth_test?access_token={token}", None, 200)
        if auth.get("code") != 0 or auth["data"].get("merchant_id") != out.get("merchant_id"):
            raise RuntimeError(f"{kind.label}: auth_test with the new token answered {str(auth)[:300]}")
        return Created(tenant_id, create_s, auth_s)

    def delete_all(self) -> tuple[int, float]:
        out, seconds = self._json("DELETE", PATH, None, 200)
        return int(out["deleted"]), seconds

    def reset(self, tenant_id: str) -> float:
        out, seconds = self._json("POST", f"{PATH}/{tenant_id}/reset", None, 200)
        if out.get("reset") is not True:
            raise RuntimeError(f"reset of tenant {tenant_id} answered {str(out)[:300]}")
        return seconds


def one_round(port: int, kind: Kind, runs: int) -> Round:
    """The kind's first creation on this server, `runs` more, then every tenant deleted."""
    client = Client(port)
    try:
        result = Round(client.create(kind))
        result.runs = [client.create(kind) for _ in range(runs)]
        result.deleted, result.delete_s = client.delete_all()
    finally:
        client.close()
    return result


def first_only(port: int, kind: Kind) -> Created:
    """One creation (on a server just started: the first of anything there), then every tenant deleted."""
    client = Client(port)
    try:
        created = client.create(kind)
        client.delete_all()
    finally:
        client.close()
    return created


def resets(port: int, kind: Kind, runs: int) -> list[float]:
    """One tenant of `kind`, reset `runs` times (seconds each), then every tenant deleted."""
    client = Client(port)
    try:
        tenant = client.create(kind)
        times = [client.reset(tenant.tenant_id) for _ in range(runs)]
        client.delete_all()
    finally:
        client.close()
    return times


def many(port: int, kind: Kind, count: int) -> list[Created]:
    """`count` tenants of `kind` created in a row and kept."""
    client = Client(port)
    try:
        return [client.create(kind) for _ in range(count)]
    finally:
        client.close()


def delete_all(port: int) -> tuple[int, float]:
    client = Client(port)
    try:
        return client.delete_all()
    finally:
        client.close()
