"""Reading and validating a scenario file: the whole file is checked before anything is written, and every
problem is reported with its location (`merchants[0].orders[1].state`, and the file's line when known), not only
the first. Two passes: the models (mockwish.scenarios.model: shapes, types, ranges, unknown keys), then the rules
the models cannot say alone (keys other entries name, duplicates, scopes, order and parcel states, ticket
stories, fault rules as POST /sandbox/api/faults checks them). No HTTP and no store here."""

from __future__ import annotations

import json
import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from mockwish.auth.scopes import ALL_SCOPES
from mockwish.merchant.orders import rules as order_rules
from mockwish.merchant.products.shipping import express
from mockwish.merchant.tickets import labels as ticket_labels
from mockwish.merchant.tickets.generate import STORIES
from mockwish.reference import currency_rates, shippable_countries
from mockwish.sandbox.faults import validate_rule
from mockwish.scenarios.model import AppSpec, FaultSpec, MerchantSpec, Scenario, TokenSpec, WishPostUserSpec
from mockwish.wishpost import reference as wishpost_reference
from mockwish.wishpost.parcels.generate import STATES as PARCEL_STATES
from mockwish.wishpost.scopes import WISHPOST_SCOPES

MAX_FILE_BYTES = 4 * 1024 * 1024

# messages tests compare (each problem's message starts with one of these, its details after)
NOT_A_FIELD = "not a field of a scenario (misspelt?)"
MISSING = "required"
SYNTAX = "not valid {kind}"
NOT_AN_OBJECT = "a scenario is an object (a YAML mapping) at the top level"
TOO_BIG = f"the file is larger than {MAX_FILE_BYTES} bytes"
UNREADABLE = "cannot read the file"
DUPLICATE = "duplicate"
UNKNOWN_MERCHANT = "no merchant of this file has this key"
UNKNOWN_SCOPE = "unknown scope"
UNKNOWN_ORDER_STATE = "unknown order state"
UNKNOWN_PARCEL_STATE = "unknown parcel state"
UNKNOWN_TICKET_STATE = "unknown ticket state"
UNKNOWN_SKU = "not a SKU of this merchant's items"
NOT_ORDERABLE = "buyers cannot order this SKU (its product is not approved, or it is disabled)"
NO_PRODUCTS = "orders need products to buy: give products.items or products.generate"
NO_ORDERS = "tickets about orders need orders: give orders, or ticket_type pre_purchase_questions"
STATE_AND_STATES = "give state or states, not both"
BAD_WEIGHTS = "weights must be numbers >= 0, not all 0"
TOO_MANY_ORDERS = f"at most {order_rules.MAX_GENERATED} orders per merchant"


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a scenario: where (a path into the file, and its line when known) and why."""

    location: str
    message: str
    line: int | None = None  # 1-based line of the file

    def describe(self) -> dict[str, Any]:
        out: dict[str, Any] = {"location": self.location, "message": self.message}
        if self.line is not None:
            out["line"] = self.line
        return out

    def __str__(self) -> str:
        where = f"{self.location} (line {self.line})" if self.line is not None else self.location
        return f"{where}: {self.message}"


class ScenarioInvalid(Exception):
    """A scenario that cannot be loaded (raised by apply_rows when the store refuses it: a token or a username
    already taken, a catalogue with nothing buyers can order)."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        super().__init__("; ".join(map(str, problems)))
        self.problems = list(problems)


# ---- reading -------------------------------------------------------------------------------------------

def load_path(path: str | Path) -> Scenario | list[Problem]:
    """A scenario file by path: JSON when it ends in .json, else YAML (which reads JSON too)."""
    p = Path(path)
    try:
        if p.stat().st_size > MAX_FILE_BYTES:
            return [Problem(str(p), TOO_BIG)]
        data = p.read_bytes()
    except OSError as err:
        return [Problem(str(p), f"{UNREADABLE} ({err.strerror or err})")]
    return load_bytes(data, fmt="json" if p.suffix.lower() == ".json" else "yaml")


def load_bytes(data: bytes | str, *, fmt: str | None = None) -> Scenario | list[Problem]:
    """A scenario from the file's bytes; `fmt` "json" or "yaml" (None: JSON when it starts with `{`)."""
    if len(data) > MAX_FILE_BYTES:
        return [Problem("", TOO_BIG)]
    text = data.decode("utf-8", "replace") if isinstance(data, bytes) else data
    if fmt is None:
        fmt = "json" if text.lstrip().startswith("{") else "yaml"
    if fmt == "json":
        try:
            raw = json.loads(text)
        except json.JSONDecodeError as err:
            return [Problem(f"line {err.lineno}, column {err.colno}", SYNTAX.format(kind="JSON") + f": {err.msg}",
                            err.lineno)]
    else:
        try:
            raw = yaml.safe_load(text)
        except yaml.MarkedYAMLError as err:
            mark = err.problem_mark or err.context_mark
            line = mark.line + 1 if mark is not None else None
            where = f"line {line}, column {mark.column + 1}" if mark is not None else ""
            return [Problem(where, SYNTAX.format(kind="YAML") + f": {err.problem or err.context}", line)]
        except yaml.YAMLError as err:
            return [Problem("", SYNTAX.format(kind="YAML") + f": {err}")]
    result = validate(raw)
    if isinstance(result, list):
        lines = _line_finder(text)
        located = [Problem(p.location, p.message, lines(p.location)) for p in result]
        return sorted(located, key=lambda p: p.line or 0)  # in the file's order (stable: same line, same order)
    return result


def validate(raw: Any) -> Scenario | list[Problem]:
    """A parsed scenario (e.g. a JSON body) checked in full: the Scenario, or every problem found."""
    if not isinstance(raw, dict):
        return [Problem("", NOT_AN_OBJECT)]
    try:
        scenario = Scenario.model_validate(raw)
    except ValidationError as err:
        # the rules are checked too, on every entry the models accept: all the problems at once, not in rounds
        return model_problems(err.errors()) + _check(*_valid_entries(raw))
    return check(scenario) or scenario


Entries = list[tuple[int, Any]]
Keys = dict[str, list[tuple[int, str]]]  # "merchants" / "wishpost_users" -> (index, key)
_SECTIONS: tuple[tuple[str, type[BaseModel]], ...] = (
    ("merchants", MerchantSpec), ("apps", AppSpec), ("wishpost_users", WishPostUserSpec), ("faults", FaultSpec))


def _valid_entries(raw: dict[str, Any]) -> tuple[Entries, Entries, Entries, Entries, Keys]:
    """(index, model) of each entry of each list that its model accepts, and every key the file gives (an entry
    naming the key of a merchant with a problem of its own is not wrong too; two entries with a key are two)."""
    out: list[Entries] = []
    for name, model in _SECTIONS:
        items = raw.get(name)
        entries: Entries = []
        for i, item in enumerate(items if isinstance(items, list) else []):
            try:
                entries.append((i, model.model_validate(item)))
            except ValidationError:
                continue
        out.append(entries)
    keys: Keys = {}
    for section in ("merchants", "wishpost_users"):
        items = raw.get(section)
        keys[section] = [(i, item["key"]) for i, item in enumerate(items if isinstance(items, list) else [])
                         if isinstance(item, dict) and isinstance(item.get("key"), str)]
    return out[0], out[1], out[2], out[3], keys


# ---- the models' problems, in plain words --------------------------------------------------------------

def _is_branch(part: Any) -> bool:
    """A union member's tag in a pydantic location (`int`, `list[int]`, `literal['a','b']`), not a field."""
    return isinstance(part, str) and ("[" in part or part in ("int", "str", "float", "bool", "list", "dict", "none"))


def location(parts: Iterable[Any]) -> str:
    """merchants[0].orders[1].state from ("merchants", 0, "orders", 1, "state")."""
    out = ""
    for part in parts:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


def _shown(value: Any) -> str:
    try:
        text = json.dumps(value, default=str, ensure_ascii=False)
    except (TypeError, ValueError):
        text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


def model_problems(errors: Sequence[Any]) -> list[Problem]:
    """pydantic's errors as problems: one per location (a union's failed branches are joined with "or")."""
    by_location: dict[str, list[str]] = {}
    given: dict[str, str] = {}
    for e in errors:
        where = location(p for p in e.get("loc", ()) if not _is_branch(p))
        kind = e.get("type", "")
        if kind == "extra_forbidden":
            message = NOT_A_FIELD
        elif kind == "missing":
            message = MISSING
        else:
            message = str(e.get("msg", "")).removeprefix("Value error, ")
            given[where] = _shown(e.get("input"))
        seen = by_location.setdefault(where, [])
        if message not in seen:
            seen.append(message)
    return [Problem(where, " or ".join(messages) + (f", got {given[where]}" if where in given else ""))
            for where, messages in by_location.items()]


# ---- the rules the models cannot say alone -------------------------------------------------------------

def _duplicates(values: Iterable[tuple[str, str | None]], what: str) -> list[Problem]:
    """(location, value) pairs: a problem at every repeat of a value after its first."""
    pairs = [(loc, v) for loc, v in values if v is not None]
    counts = Counter(v for _, v in pairs)
    first: dict[str, str] = {}
    out = []
    for loc, v in pairs:
        if counts[v] > 1:
            if v in first:
                out.append(Problem(loc, f"{DUPLICATE} {what} {v!r} (also at {first[v]})"))
            else:
                first[v] = loc
    return out


def _scopes(where: str, scopes: list[str] | None, known: tuple[str, ...]) -> list[Problem]:
    return [Problem(f"{where}[{i}]", f"{UNKNOWN_SCOPE} {s!r} (one of {', '.join(known)})")
            for i, s in enumerate(scopes or []) if s not in known]


def _tokens(where: str, tokens: list[TokenSpec], known: tuple[str, ...]) -> list[Problem]:
    return [p for i, t in enumerate(tokens) for p in _scopes(f"{where}.tokens[{i}].scopes", t.scopes, known)]


def check(s: Scenario) -> list[Problem]:
    """Every problem of a scenario the models accepted."""
    keys = {"merchants": [(i, m.key) for i, m in enumerate(s.merchants)],
            "wishpost_users": [(i, u.key) for i, u in enumerate(s.wishpost_users)]}
    return _check(list(enumerate(s.merchants)), list(enumerate(s.apps)), list(enumerate(s.wishpost_users)),
                  list(enumerate(s.faults)), keys)


def _check(merchant_entries: Entries, app_entries: Entries, user_entries: Entries, fault_entries: Entries,
           keys: Keys) -> list[Problem]:
    problems: list[Problem] = []
    merchants: list[tuple[int, MerchantSpec]] = merchant_entries
    apps: list[tuple[int, AppSpec]] = app_entries
    users: list[tuple[int, WishPostUserSpec]] = user_entries
    faults: list[tuple[int, FaultSpec]] = fault_entries
    merchant_keys = {k for _, k in keys["merchants"]}
    problems += _duplicates(((f"merchants[{i}].key", k) for i, k in keys["merchants"]), "merchant key")
    problems += _duplicates(((f"wishpost_users[{i}].key", k) for i, k in keys["wishpost_users"]),
                            "WishPost user key")
    problems += _duplicates([*((f"merchants[{i}].id", m.id) for i, m in merchants),
                             *((f"wishpost_users[{i}].id", u.id) for i, u in users)], "id")
    problems += _duplicates(((f"merchants[{i}].username", m.username) for i, m in merchants), "username")
    problems += _duplicates(((f"wishpost_users[{i}].username", u.username) for i, u in users), "username")
    # one namespace for every credential: a token that meant two things would be a trap
    problems += _duplicates([
        *((f"merchants[{i}].tokens[{j}].token", t.token) for i, m in merchants for j, t in enumerate(m.tokens)),
        *((f"wishpost_users[{i}].tokens[{j}].token", t.token) for i, u in users for j, t in enumerate(u.tokens)),
        *((f"wishpost_users[{i}].api_key", u.api_key) for i, u in users)], "token")
    problems += _duplicates(((f"apps[{i}].client_id", a.client_id) for i, a in apps), "client_id")
    for i, m in merchants:
        problems += _merchant(f"merchants[{i}]", m)
    for i, a in apps:
        where = f"apps[{i}]"
        problems += _scopes(f"{where}.scopes", a.scopes, ALL_SCOPES)
        if a.merchant is not None and a.merchant not in merchant_keys:
            problems.append(Problem(f"{where}.merchant", f"{UNKNOWN_MERCHANT}: {a.merchant!r}"))
        if a.public and a.merchant is not None:
            problems.append(Problem(f"{where}.merchant", "only a private app (public: false) has an owner"))
        if not a.public and a.merchant is None:
            problems.append(Problem(f"{where}.merchant", "a private app (public: false) needs its owner's key"))
    for i, u in users:
        problems += _wishpost_user(f"wishpost_users[{i}]", u, merchant_keys)
    for i, f in faults:
        latency = [f.latency_ms] if isinstance(f.latency_ms, int) else f.latency_ms
        # the control API's own checks (mockwish.sandbox.faults.validate_rule): "field: reason"
        for found in validate_rule(f.surface, f.code, f.status, f.fault, latency):
            field, _, reason = found.partition(": ")
            problems.append(Problem(f"faults[{i}].{field}", reason))
    return problems


def _merchant(where: str, m: MerchantSpec) -> list[Problem]:
    problems = _tokens(where, m.tokens, ALL_SCOPES)
    rates = currency_rates()
    for name in ("payment_currency", "localized_currency"):
        code = getattr(m, name)
        if code is not None and code not in rates:
            problems.append(Problem(f"{where}.{name}", f"unknown currency {code!r} (one of {', '.join(rates)})"))
    shippable = shippable_countries()
    for j, cc in enumerate(m.ships_to or []):
        if cc not in shippable:
            problems.append(Problem(f"{where}.ships_to[{j}]", f"not a country Wish ships to: {cc!r}"))
    express_names = {express(cc) for cc in shippable}
    for j, wh in enumerate(m.warehouses):
        if wh not in express_names:
            problems.append(Problem(f"{where}.warehouses[{j}]", f"not a Wish Express warehouse (EXPRESS-<country>): "
                                                                f"{wh!r}"))
    items = m.products.items if m.products else []
    problems += _duplicates(((f"{where}.products.items[{j}].parent_sku", p.parent_sku)
                             for j, p in enumerate(items)), "parent_sku")
    problems += _duplicates(((f"{where}.products.items[{j}].variations[{k}].sku", v.sku)
                             for j, p in enumerate(items) for k, v in enumerate(p.variations)), "sku")
    orderable = {v.sku for p in items if p.review_status == "approved" and p.enabled
                 for v in p.variations if v.enabled}
    skus = {v.sku for p in items for v in p.variations}
    has_products = bool(items) or bool(m.products and m.products.generate)
    if m.orders and not has_products:
        problems.append(Problem(f"{where}.orders", NO_PRODUCTS))
    if sum(o.count for o in m.orders) > order_rules.MAX_GENERATED:
        problems.append(Problem(f"{where}.orders", TOO_MANY_ORDERS))
    for j, o in enumerate(m.orders):
        at = f"{where}.orders[{j}]"
        if o.state is not None and o.states is not None:
            problems.append(Problem(at, STATE_AND_STATES))
        if o.state is not None and o.state.strip().upper() not in order_rules.STATES:
            problems.append(Problem(f"{at}.state", f"{UNKNOWN_ORDER_STATE} {o.state!r} "
                                                   f"(one of {', '.join(order_rules.STATES)})"))
        if o.states is not None:
            for name in o.states:
                if name.strip().upper() not in order_rules.STATES:
                    problems.append(Problem(f"{at}.states.{name}", f"{UNKNOWN_ORDER_STATE} {name!r} "
                                                                   f"(one of {', '.join(order_rules.STATES)})"))
            weights = list(o.states.values())
            if not weights or any(not math.isfinite(w) or w < 0 for w in weights) or sum(weights) <= 0:
                problems.append(Problem(f"{at}.states", BAD_WEIGHTS))
        for k, sku in enumerate(o.skus or []):
            if sku not in skus:
                problems.append(Problem(f"{at}.skus[{k}]", f"{UNKNOWN_SKU}: {sku!r}"))
            elif sku not in orderable:
                problems.append(Problem(f"{at}.skus[{k}]", f"{NOT_ORDERABLE}: {sku!r}"))
        if o.country is not None and o.country.upper() not in shippable:
            problems.append(Problem(f"{at}.country", f"not a country Wish ships to: {o.country!r}"))
    for j, t in enumerate(m.tickets):
        at = f"{where}.tickets[{j}]"
        if t.state not in STORIES:
            problems.append(Problem(f"{at}.state", f"{UNKNOWN_TICKET_STATE} {t.state!r} "
                                                   f"(one of {', '.join(STORIES)})"))
        if t.ticket_type is not None and t.ticket_type not in ticket_labels.TICKET_TYPES:
            problems.append(Problem(f"{at}.ticket_type", f"unknown ticket type {t.ticket_type!r} "
                                                         f"(one of {', '.join(ticket_labels.TICKET_TYPES)})"))
        label = ticket_labels.BY_NAME.get(t.label) if t.label is not None else None
        if t.label is not None and label is None:
            problems.append(Problem(f"{at}.label", f"unknown label {t.label!r}"))
        pre = (t.ticket_type or (label.ticket_type if label else None)) == ticket_labels.PRE_PURCHASE
        if not pre and not m.orders:
            problems.append(Problem(at, NO_ORDERS))
        if pre and not has_products:
            problems.append(Problem(at, "a pre-purchase question needs products: give products"))
    return problems


def _wishpost_user(where: str, u: WishPostUserSpec, merchant_keys: set[str]) -> list[Problem]:
    problems = _tokens(where, u.tokens, WISHPOST_SCOPES)
    if u.merchant is not None and u.merchant not in merchant_keys:
        problems.append(Problem(f"{where}.merchant", f"{UNKNOWN_MERCHANT}: {u.merchant!r}"))
    channels = wishpost_reference.channels()
    for j, p in enumerate(u.parcels):
        if p.state not in PARCEL_STATES:
            problems.append(Problem(f"{where}.parcels[{j}].state", f"{UNKNOWN_PARCEL_STATE} {p.state!r} "
                                                                   f"(one of {', '.join(PARCEL_STATES)})"))
        if p.channel is not None and p.channel not in channels:
            problems.append(Problem(f"{where}.parcels[{j}].channel", f"not an otype of create_order: {p.channel!r}"))
    return problems


# ---- lines of the file ---------------------------------------------------------------------------------

def _line_finder(text: str) -> Any:
    """location -> the 1-based line of the file it points at (the deepest part found), or None."""
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        root = None

    def find(where: str) -> int | None:
        node = root
        if node is None or not where or where.startswith("line "):
            return None
        line = None
        for part in _parts(where):
            child = None
            if isinstance(node, yaml.MappingNode) and isinstance(part, str):
                child = next((v for k, v in node.value if getattr(k, "value", None) == part), None)
                if child is None:  # an unknown key: the key itself
                    child = next((k for k, _ in node.value if getattr(k, "value", None) == part), None)
            elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
                child = node.value[part]
            if child is None:
                break
            node = child
            line = node.start_mark.line + 1
        return line
    return find


def _parts(where: str) -> list[str | int]:
    """("merchants", 0, "orders") from merchants[0].orders."""
    out: list[str | int] = []
    for chunk in where.split("."):
        name, _, rest = chunk.partition("[")
        if name:
            out.append(name)
        for index in rest.split("[") if rest else ():
            number = index.rstrip("]")
            if number.isdigit():
                out.append(int(number))
    return out
