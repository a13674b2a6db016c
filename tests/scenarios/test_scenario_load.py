"""Reading and validating scenario files: every shipped fixture is valid; a bad file reports all of its problems,
each with its location and line; syntax errors name their line; nothing is written when a file is refused."""

from __future__ import annotations

from pathlib import Path

import pytest
from scenario_support import FIXTURES, parsed
from sqlalchemy import func, select
from starlette.testclient import TestClient

from mockwish.scenarios import load
from mockwish.scenarios.apply import apply_rows
from mockwish.scenarios.load import Problem, ScenarioInvalid, load_bytes, load_path
from mockwish.scenarios.model import Scenario
from mockwish.store.tables import AccessToken, Merchant, table_of
from support import DEFAULT_TOKEN, on_store

SHIPPED = ("empty-merchant.yaml", "ten-orders-to-ship.yaml", "token-about-to-expire.yaml",
           "merchant-at-rate-limit.yaml", "wishpost-parcels-in-transit.yaml", "flaky-wish.yaml")

BAD = """\
version: 1
merchants:
  - key: shop
    tokens:
      - token: same_token
        scopes: [orders:read, order:write]
    products:
      items:
        - parent_sku: P1
          name: A product
          variations: [{sku: S1}]
    orders:
      - count: 2
        state: APPROVD
      - count: 1
        skus: [S9]
  - key: broken
    cuont: 3
    orders:
      - count: 0
apps:
  - name: Private ERP
    public: false
    merchant: nobody
wishpost_users:
  - key: shipper
    merchant: ghost
    tokens: [{token: same_token}]
    parcels: [{count: 3, state: flying}]
faults:
  - surface: merchant
    code: 99999
  - status: 503
    probability: 1.5
  - latency_ms: slow
"""


@pytest.mark.parametrize("name", SHIPPED)
def test_every_shipped_scenario_is_valid_and_says_what_it_is_for(name: str) -> None:
    path = FIXTURES / name
    assert isinstance(load_path(path), Scenario), load_path(path)
    assert path.read_text().startswith("# ")  # a comment first: what the scenario is for


def test_the_shipped_scenarios_are_the_documented_six() -> None:
    assert sorted(p.name for p in FIXTURES.glob("*.yaml")) == sorted(SHIPPED)


def test_a_file_with_many_problems_reports_every_one_with_its_location() -> None:
    found = load_bytes(BAD)
    assert isinstance(found, list)
    by_location = {p.location: p for p in found}
    expected = {
        "merchants[0].tokens[0].scopes[1]": load.UNKNOWN_SCOPE,
        "merchants[0].orders[0].state": load.UNKNOWN_ORDER_STATE,
        "merchants[0].orders[1].skus[0]": load.UNKNOWN_SKU,
        "merchants[1].cuont": load.NOT_A_FIELD,
        "merchants[1].orders[0].count": "greater than or equal to 1",
        "apps[0].merchant": load.UNKNOWN_MERCHANT,
        "wishpost_users[0].merchant": load.UNKNOWN_MERCHANT,
        "wishpost_users[0].tokens[0].token": load.DUPLICATE,
        "wishpost_users[0].parcels[0].state": load.UNKNOWN_PARCEL_STATE,
        "faults[0].code": "not a Wish code of the registry",
        "faults[1].probability": "less than or equal to 1",
        "faults[2].latency_ms": "valid integer",
    }
    for where, text in expected.items():
        assert where in by_location, (where, [str(p) for p in found])
        assert text in by_location[where].message, by_location[where]
    assert len(found) == len(expected), [str(p) for p in found]
    # the file's line of each problem, in the file's order
    lines = BAD.splitlines()
    assert by_location["merchants[0].orders[0].state"].line == lines.index("        state: APPROVD") + 1
    assert by_location["faults[2].latency_ms"].line == lines.index("  - latency_ms: slow") + 1
    assert [p.line for p in found] == sorted(p.line or 0 for p in found)


def test_semantic_problems_of_a_well_shaped_file() -> None:
    found = load_bytes("""
merchants:
  - {key: a, username: same@x}
  - {key: a, username: same@x, orders: [{count: 1, state: SHIPPED, states: {APPROVED: 1}}]}
apps:
  - {name: x, public: true, merchant: a, scopes: [everything]}
""")
    assert isinstance(found, list)
    assert {(p.location, p.message.split(" ")[0]) for p in found} >= {
        ("merchants[1].key", "duplicate"), ("merchants[1].username", "duplicate"),
        ("merchants[1].orders[0]", "give"), ("merchants[1].orders", "orders"),
        ("apps[0].scopes[0]", "unknown"), ("apps[0].merchant", "only")}


@pytest.mark.parametrize(("text", "fmt", "line"), [
    ("merchants:\n  - key: a\n   name: x\n", "yaml", 3),
    ('{\n  "merchants": [1,]\n}', "json", 2),
])
def test_syntax_errors_name_their_line(text: str, fmt: str, line: int) -> None:
    found = load_bytes(text, fmt=fmt)
    assert isinstance(found, list) and len(found) == 1
    assert found[0].line == line and found[0].location.startswith(f"line {line}, column ")
    assert found[0].message.startswith(load.SYNTAX.format(kind=fmt.upper()))


def test_a_file_that_is_not_an_object_or_missing(tmp_path: Path) -> None:
    assert load_bytes("- just\n- a list\n") == [Problem("", load.NOT_AN_OBJECT)]
    missing = load_path(tmp_path / "nope.yaml")
    assert isinstance(missing, list) and missing[0].message.startswith(load.UNREADABLE)


def test_a_refused_load_changes_nothing_in_the_store(client: TestClient) -> None:
    """A token the store already holds is refused (with the other conflicts) and nothing is written: not even
    the merchant before it in the file."""
    ctx = client.app.state.ctx  # type: ignore[attr-defined]
    scenario = parsed(f"""
merchants:
  - key: fresh
    tokens: [{{token: a_fresh_token}}]
  - key: clash
    username: merchant@example.com
    tokens: [{{token: {DEFAULT_TOKEN}}}]
""")

    def counts() -> tuple[int, ...]:
        return on_store(client, lambda conn: tuple(conn.execute(select(func.count()).select_from(table_of(t)))
                                                   .scalar_one() for t in (Merchant, AccessToken)))

    before = counts()

    def run() -> None:
        with ctx.owner.begin() as conn:
            apply_rows(conn, scenario, now=ctx.clock.now(), token_prefix="", order_policy=ctx.order_policy, seed=1)

    with pytest.raises(ScenarioInvalid) as refused:
        ctx.owner.call(run)
    assert {p.location for p in refused.value.problems} == {"merchants[1].username", "merchants[1].tokens[0].token"}
    assert counts() == before


def test_a_generator_refusal_is_a_problem_with_its_location(client: TestClient) -> None:
    """Every generated product may come out unorderable; an explicit catalogue of pending products surely is."""
    ctx = client.app.state.ctx  # type: ignore[attr-defined]
    scenario = parsed("""
merchants:
  - key: pending
    products:
      items:
        - {parent_sku: P, name: Pending thing, review_status: pending, variations: [{sku: S}]}
    orders: [{count: 1}]
""")

    def run() -> None:
        with ctx.owner.begin() as conn:
            apply_rows(conn, scenario, now=ctx.clock.now(), token_prefix="", order_policy=ctx.order_policy, seed=1)

    with pytest.raises(ScenarioInvalid) as refused:
        ctx.owner.call(run)
    assert [p.location for p in refused.value.problems] == ["merchants[0].orders[0]"]
    assert "no approved, enabled product" in refused.value.problems[0].message
