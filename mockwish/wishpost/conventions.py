"""The v3 query conventions of wishpost-v3-api-3.0.6 ("General Querying Techniques"), applied by the WishPost
pipeline to every v3 GET operation: `fields` (partial responses), and, on an operation that declares a
`Collection`, `sort_by={attr}.{asc|desc}`, the inclusive `{attr}_min`/`{attr}_max` range and `limit`.
Handlers answer their whole list; the pipeline narrows it. No HTTP here: the pipeline hands over the
request's raw parameters and the handler's answer."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import orjson

from mockwish.errors import WishError, register, wishpost_error

ALWAYS = ("timestamp", "code", "message")  # survive any `fields` selection (the envelope)
WILDCARD = "*"
_NAME = re.compile(r"[A-Za-z0-9_\-]+|\*")
_DATE_FORMATS = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d")

register(
    wishpost_error("wp_invalid_fields", 1000, 400, "invalid_param",
                   "Invalid fields '{value}': {reason}", "fields 参数 '{value}' 无效：{reason}"),
    wishpost_error("wp_invalid_sort_by", 1000, 400, "invalid_param",
                   "Invalid sort_by '{value}': use {{attribute}}.asc or {{attribute}}.desc with one of: {allowed}",
                   "sort_by 参数 '{value}' 无效：请使用 {{attribute}}.asc 或 {{attribute}}.desc，可用属性：{allowed}"),
    wishpost_error("wp_invalid_bound", 1000, 400, "invalid_param",
                   "{value} is an invalid {param}: expected {kind}", "{value} 是无效的 {param}：应为{kind_zh}"),
    wishpost_error("wp_invalid_limit", 1000, 400, "invalid_param",
                   "{value} is an invalid limit: expected an integer from 1 to {max}",
                   "{value} 是无效的 limit：应为 1 到 {max} 的整数"),
)


@dataclass(frozen=True)
class Collection:
    """The list a v3 GET operation answers, and what may sort and page it."""

    key: str  # where the list is in the answer's keys: "bags", "data", or a nested "data.announcements"
    sortable: tuple[str, ...] = ()  # the attributes `sort_by` may name
    ranges: tuple[str, ...] = ()  # the attributes with `{attr}_min` / `{attr}_max` (inclusive)
    max_limit: int = 100  # `limit` may not exceed this (1000 invalid param)
    aliases: Mapping[str, str] = field(default_factory=dict)  # another name of an attribute: the item's key


# ---- fields: a small recursive-descent parser ---------------------------------------------------------

Selection = dict[str, "Selection | None"]  # name -> what to keep below it (None: all of it)


class _Parser:
    def __init__(self, text: str) -> None:
        self.text, self.at = text, 0

    def fail(self, reason: str) -> WishError:
        return WishError("wp_invalid_fields", value=self.text, reason=f"{reason} at position {self.at + 1}")

    def peek(self) -> str:
        return self.text[self.at] if self.at < len(self.text) else ""

    def items(self, depth: int) -> Selection:
        if depth > 16:
            raise self.fail("too deeply nested")
        out: Selection = {}
        while True:
            _merge(out, self.item(depth))
            if self.peek() != ",":
                return out
            self.at += 1

    def item(self, depth: int) -> Selection:
        """path ['(' items ')'], path = name ('/' name)*: a chain of one-key selections."""
        names = [self.name()]
        while self.peek() == "/":
            self.at += 1
            names.append(self.name())
        below: Selection | None = None
        if self.peek() == "(":
            self.at += 1
            below = self.items(depth + 1)
            if self.peek() != ")":
                raise self.fail("')' expected")
            self.at += 1
        for name in reversed(names):
            below = {name: below}
        assert below is not None
        return below

    def name(self) -> str:
        found = _NAME.match(self.text, self.at)
        if found is None:
            raise self.fail("a field name expected")
        self.at = found.end()
        return found.group()


def _merge(into: Selection, more: Selection) -> None:
    for name, below in more.items():
        if name not in into:
            into[name] = below
        elif into[name] is None or below is None:  # one of them keeps everything
            into[name] = None
        else:
            _merge(into[name], below)  # type: ignore[arg-type]  # neither is None here


def parse_fields(text: str) -> Selection:
    """`title,items(id,info/name)` -> {"title": None, "items": {"id": None, "info": {"name": None}}}."""
    parser = _Parser(text.replace(" ", ""))
    if not parser.text:
        raise parser.fail("empty")
    selection = parser.items(0)
    if parser.at != len(parser.text):
        raise parser.fail(f"unexpected {parser.peek()!r}")
    return selection


def select(value: Any, selection: Selection | None) -> Any:
    """`value` narrowed to `selection`: a list narrows each of its items; names it lacks are left out."""
    if selection is None or WILDCARD in selection and selection[WILDCARD] is None:
        return value
    if isinstance(value, list):
        return [select(v, selection) for v in value]
    if not isinstance(value, dict):
        return value
    out = {}
    for key, item in value.items():
        if key in selection:
            out[key] = select(item, selection[key])
        elif WILDCARD in selection:
            out[key] = select(item, selection[WILDCARD])
    return out


def partial(body: dict[str, Any], selection: Selection) -> dict[str, Any]:
    """The answer's keys narrowed to `selection`. The envelope's keys always stay; `data` may be left out of
    the expression (the 3.0.6 document: "the top level attribute data can be ignored")."""
    out = {k: body[k] for k in ALWAYS if k in body}
    if "data" in body and "data" not in selection:
        out["data"] = select(body["data"], selection)
        return {**out, **{k: select(v, selection[k]) for k, v in body.items() if k in selection and k != "data"}}
    for key, value in body.items():
        if key not in out and (key in selection or WILDCARD in selection):
            out[key] = select(value, selection.get(key, selection.get(WILDCARD)))
    return out


# ---- sort_by, {attr}_min / {attr}_max, limit -----------------------------------------------------------

@dataclass(frozen=True)
class Narrowing:
    """What one request asks of an operation's list."""

    sort: tuple[str, bool] | None = None  # (item key, descending)
    bounds: tuple[tuple[str, str, str, str], ...] = ()  # (item key, "min" or "max", parameter name, raw value)
    limit: int | None = None


@dataclass(frozen=True)
class Query:
    fields: Selection | None = None
    narrowing: Narrowing | None = None


def parse(raw: Mapping[str, str], collection: Collection | None) -> Query:
    """The conventions a GET request uses, checked before its handler runs (a bad one answers 1000)."""
    text = raw.get("fields")
    selection = parse_fields(text) if text is not None and text.strip() else None
    return Query(selection, _narrowing(raw, collection))


def _narrowing(raw: Mapping[str, str], collection: Collection | None) -> Narrowing | None:
    sort_by = raw.get("sort_by")
    if collection is None:
        if sort_by is not None and sort_by.strip():
            raise WishError("wp_invalid_sort_by", value=sort_by, allowed="none (this API answers no list)")
        return None
    sort = None
    if sort_by is not None and sort_by.strip():
        sort = _sort(sort_by.strip(), collection)
    bounds = []
    # a range parameter by the attribute's own name, or by an alias of it (created_at_max for publish_time)
    names = (*collection.ranges, *(a for a, k in collection.aliases.items() if k in collection.ranges))
    for attr in names:
        for side in ("min", "max"):
            name = f"{attr}_{side}"
            value = raw.get(name)
            if value is not None and value.strip():
                bounds.append((collection.aliases.get(attr, attr), side, name, value.strip()))
    limit = None
    text = raw.get("limit")
    if text is not None and text.strip():
        try:
            limit = int(text.strip())
        except ValueError:
            limit = 0
        if not 1 <= limit <= collection.max_limit:
            raise WishError("wp_invalid_limit", value=text, max=collection.max_limit)
    return Narrowing(sort, tuple(bounds), limit)


def _sort(text: str, collection: Collection) -> tuple[str, bool]:
    attr, _, order = text.rpartition(".")
    if not attr:  # no direction: ascending
        attr, order = text, "asc"
    # the 3.0.6 example sorts by `created_at_max.desc`: the range parameter's name stands for its attribute
    for suffix in ("_min", "_max"):
        if attr.endswith(suffix) and attr[: -len(suffix)] in (*collection.sortable, *collection.aliases):
            attr = attr[: -len(suffix)]
    names = (*collection.sortable, *(a for a, k in collection.aliases.items() if k in collection.sortable))
    if attr not in names or order.lower() not in ("asc", "desc"):
        raise WishError("wp_invalid_sort_by", value=text, allowed=", ".join(names) or "none")
    return collection.aliases.get(attr, attr), order.lower() == "desc"


def _comparable(value: Any) -> tuple[int, Any] | None:
    """A value's sort key: numbers, then instants (ISO 8601, `YYYY-MM-DD[ HH:MM:SS]`), then text; None last."""
    if value is None:
        return None
    if isinstance(value, bool):
        return (0, int(value))
    if isinstance(value, int | float):
        return (0, value)
    text = str(value).strip()
    instant = _instant(text)
    if instant is not None:
        return (1, instant)
    try:
        return (0, float(text))
    except ValueError:
        return (2, text)


def _instant(text: str) -> datetime | None:
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt)
        except ValueError:
            pass
    try:
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
        return parsed.astimezone(UTC).replace(tzinfo=None) if parsed.tzinfo else parsed
    except (ValueError, OverflowError):  # OverflowError: year 1 or 9999 moved across midnight by its offset
        return None


def narrow(items: list[Any], narrowing: Narrowing) -> list[Any]:
    """Filter by the inclusive bounds, sort, then cut to `limit`."""
    for key, side, name, raw in narrowing.bounds:
        bound = _comparable(raw)
        kinds = {k[0] for item in items if isinstance(item, dict) and (k := _comparable(item.get(key))) is not None}
        assert bound is not None
        if kinds and bound[0] not in kinds:
            kind, kind_zh = {0: ("a number", "数字"), 1: ("a date (YYYY-MM-DD or ISO 8601)", "日期"),
                             2: ("text", "文本")}[next(iter(kinds))]
            raise WishError("wp_invalid_bound", value=raw, param=name, kind=kind, kind_zh=kind_zh)
        items = [item for item in items if _within(item, key, side, bound)]
    if narrowing.sort is not None:
        key, descending = narrowing.sort
        present = [i for i in items if isinstance(i, dict) and _comparable(i.get(key)) is not None]
        absent = [i for i in items if not (isinstance(i, dict) and _comparable(i.get(key)) is not None)]
        present.sort(key=lambda i: _comparable(i[key]), reverse=descending)  # type: ignore[arg-type,return-value]
        items = present + absent  # stable: equal keys keep the handler's order
    if narrowing.limit is not None:
        items = items[: narrowing.limit]
    return items


def _within(item: Any, key: str, side: str, bound: tuple[int, Any]) -> bool:
    if not isinstance(item, dict):
        return False
    value = _comparable(item.get(key))
    if value is None or value[0] != bound[0]:
        return False
    return value >= bound if side == "min" else value <= bound


def apply(body: dict[str, Any], query: Query, collection: Collection | None) -> dict[str, Any]:
    """The handler's answer with the request's conventions applied (a handler may answer pre-rendered JSON,
    orjson.Fragment, which is read back into data first when anything is to be narrowed)."""
    if query.fields is None and (query.narrowing is None or query.narrowing == Narrowing()):
        return body
    body = orjson.loads(orjson.dumps(body))
    if query.narrowing is not None and collection is not None:
        body = _replace(body, collection.key.split("."), lambda items: narrow(items, query.narrowing))
    if query.fields is not None:
        body = partial(body, query.fields)
    return body


def _replace(body: dict[str, Any], path: list[str], change: Any) -> dict[str, Any]:
    head, rest = path[0], path[1:]
    value = body.get(head)
    if rest:
        if not isinstance(value, dict):
            return body
        return {**body, head: _replace(value, rest, change)}
    if not isinstance(value, list):
        return body
    return {**body, head: change(value)}
