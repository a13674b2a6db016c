"""Declared parameter specs, one list per operation (as stripe-mock does): the same spec parses the request,
raises the documented 1000/1001 errors and describes the operation in /openapi.json."""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property
from typing import Any, ClassVar

import orjson

from mockwish.errors import WishError
from mockwish.ids import is_object_id

# ASCII digits only (int() and float() would take other scripts' digits) and no padding: what a client's
# number serializer sends, and what the integer/number types of the OpenAPI document promise
_NUMBER = re.compile(r"^-?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?$")
_INT = re.compile(r"^-?[0-9]{1,18}$")
_TRUE = ("true", "True", "TRUE")
_FALSE = ("false", "False", "FALSE")
BLANK = " \t"  # a value made only of these counts as not sent


# characters XML 1.0 cannot carry (C0 controls but tab, LF and CR; U+FFFE, U+FFFF): free text holding one is
# refused, as it could never be shown back in an XML answer
NOT_TEXT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _show(value: str) -> str:
    """A value as an error message quotes it: at most 80 characters, control characters written out (\\x00)."""
    value = NOT_TEXT.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), value)
    return value if len(value) <= 80 else value[:77] + "..."


@dataclass(frozen=True)
class Param:
    """One documented parameter. Subclasses convert the raw string and check the documented range."""

    name: str
    description: str = ""
    required: bool = False
    takes_json: ClassVar[bool] = False  # a JSON body may give it an object or an array (Json, name lists)

    def convert(self, raw: str) -> Any:
        return raw

    def schema(self) -> dict[str, Any]:
        return {"type": "string"}

    def invalid(self, raw: str) -> WishError:
        return WishError("invalid_param", value=_show(raw), param=self.name)


@dataclass(frozen=True)
class Str(Param):
    max_len: int | None = None
    min_len: int = 0
    pattern: str | None = None

    def convert(self, raw: str) -> str:
        if NOT_TEXT.search(raw):
            raise self.invalid(raw)
        if self.max_len is not None and len(raw) > self.max_len:
            raise WishError("too_long", param=self.name, max=self.max_len)
        if len(raw) < self.min_len:
            raise self.invalid(raw)
        if self.pattern is not None and not re.fullmatch(self.pattern, raw):
            raise self.invalid(raw)
        return raw

    def schema(self) -> dict[str, Any]:
        s: dict[str, Any] = {"type": "string"}
        if self.max_len is not None:
            s["maxLength"] = self.max_len
        if self.min_len:
            s["minLength"] = self.min_len
        if self.pattern is not None:
            s["pattern"] = "^" + self.pattern + "$"
        return s


@dataclass(frozen=True)
class Id(Param):
    """A 24-hex Wish id; anything else is the documented 'invalid id' (1000/2014)."""

    def convert(self, raw: str) -> str:
        value = raw.lower()
        if not is_object_id(value):
            raise WishError("invalid_id", value=_show(raw))
        return value

    def schema(self) -> dict[str, Any]:
        return {"type": "string", "pattern": "^[0-9a-fA-F]{24}$"}


@dataclass(frozen=True)
class Int(Param):
    low: int = 0
    high: int = 2**31 - 1

    def convert(self, raw: str) -> int:
        if not _INT.match(raw):
            raise self.invalid(raw)
        value = int(raw)
        if not self.low <= value <= self.high:
            raise WishError("out_of_range", param=self.name, low=self.low, high=self.high, value=_show(raw))
        return value

    def schema(self) -> dict[str, Any]:
        return {"type": "integer", "minimum": self.low, "maximum": self.high}


@dataclass(frozen=True)
class Num(Param):
    """A decimal number (prices, dimensions). `low_exclusive` for prices that must be positive.
    A leading '$' is accepted where the docs accept it (declared_value)."""

    low: float = 0.0
    high: float = 1e9
    low_exclusive: bool = False
    dollar: bool = False

    def convert(self, raw: str) -> float:
        text = raw
        if self.dollar and text.startswith("$"):
            text = text[1:]
        if not _NUMBER.match(text):
            raise self.invalid(raw)
        value = float(text)
        too_low = value <= self.low if self.low_exclusive else value < self.low
        if not math.isfinite(value) or too_low or value > self.high:
            raise WishError("out_of_range", param=self.name, low=num_text(self.low), high=num_text(self.high),
                            value=_show(raw))
        return value

    def schema(self) -> dict[str, Any]:
        s: dict[str, Any] = {"type": "number", "maximum": self.high}
        if self.low_exclusive:
            s["exclusiveMinimum"] = self.low
        else:
            s["minimum"] = self.low
        return s


def num_text(v: float) -> str:
    """A bound as the out-of-range message shows it: 10000, not 10000.0 or 1e+04."""
    return str(int(v)) if float(v).is_integer() else str(v)


@dataclass(frozen=True)
class Bool(Param):
    """true/True/TRUE or false/False/FALSE (the docs show True and true); '0' and 'Yes' are refused."""

    def convert(self, raw: str) -> bool:
        if raw in _TRUE:
            return True
        if raw in _FALSE:
            return False
        raise self.invalid(raw)

    def schema(self) -> dict[str, Any]:
        return {"type": "string", "enum": [*_TRUE, *_FALSE]}


@dataclass(frozen=True)
class Enum(Param):
    values: tuple[str, ...] = ()
    case_insensitive: bool = True

    @cached_property
    def spellings(self) -> dict[str, str]:
        """Accepted spelling -> canonical value: as documented, or all lower / all upper case."""
        out = {v: v for v in self.values}
        if self.case_insensitive:
            for v in self.values:
                out.setdefault(v.lower(), v)
                out.setdefault(v.upper(), v)
        return out

    def convert(self, raw: str) -> str:
        found = self.spellings.get(raw)
        if found is None:
            raise self.invalid(raw)
        return found

    def schema(self) -> dict[str, Any]:
        return {"type": "string", "enum": list(self.spellings)}


@dataclass(frozen=True)
class When(Param):
    """A date or date-time: YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS (UTC)."""

    PATTERN = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}([T ][0-9]{2}:[0-9]{2}:[0-9]{2})?$"

    def convert(self, raw: str) -> datetime:
        if not re.match(self.PATTERN, raw):
            raise self.invalid(raw)
        text = raw
        for fmt in ("%Y-%m-%dT%H:%M:%S", "%Y-%m-%d", "%Y-%m-%d %H:%M:%S"):
            try:
                return datetime.strptime(text, fmt)
            except ValueError:
                continue
        raise self.invalid(raw)

    def schema(self) -> dict[str, Any]:
        return {"type": "string", "pattern": self.PATTERN}


@dataclass(frozen=True)
class Json(Param):
    """A JSON document sent as a string parameter (country_shipping_prices, updates)."""

    takes_json: ClassVar[bool] = True

    kind: type = dict

    def convert(self, raw: str) -> Any:
        try:
            value = orjson.loads(raw)
        except orjson.JSONDecodeError as exc:
            raise WishError("invalid_json", param=self.name) from exc
        if not isinstance(value, self.kind):
            raise WishError("invalid_json", param=self.name)
        return value


@dataclass(frozen=True)
class CsvList(Param):
    """A comma separated list; `item` checks each element."""

    takes_json: ClassVar[bool] = True  # a JSON array's text: split as it always was (NameList reads it as JSON)

    item: Callable[[str], str] | None = None
    max_items: int | None = None

    def convert(self, raw: str) -> list[str]:
        if NOT_TEXT.search(raw):
            raise self.invalid(raw)
        items = [p.strip() for p in raw.split(",") if p.strip()]
        if self.max_items is not None and len(items) > self.max_items:
            raise WishError("too_many_ids", max=self.max_items, param=self.name, count=len(items))
        if self.item is not None:
            items = [self.item(i) for i in items]
        return items


@dataclass(frozen=True)
class NameList(CsvList):
    """A list of names: a JSON array (a JSON body's list) or a comma separated string (a query string)."""

    def convert(self, raw: str) -> list[str]:
        text = raw.strip()
        if text.startswith("{"):  # a JSON object where a list belongs
            raise self.invalid(raw)
        if not text.startswith("["):
            return super().convert(text)
        try:
            value = orjson.loads(text)
        except orjson.JSONDecodeError as exc:
            raise self.invalid(raw) from exc
        if not isinstance(value, list) or not all(isinstance(v, str | int) and not isinstance(v, bool)
                                                  for v in value):
            raise self.invalid(raw)
        items = [str(v).strip() for v in value if str(v).strip()]
        if self.max_items is not None and len(items) > self.max_items:
            raise WishError("too_many_ids", max=self.max_items, param=self.name, count=len(items))
        return [self.item(i) for i in items] if self.item is not None else items


@dataclass(frozen=True)
class Spec:
    """The parameters of one operation plus the either/or groups the docs declare."""

    params: tuple[Param, ...] = ()
    either: tuple[tuple[str, str], ...] = ()
    extra: Callable[[dict[str, str]], dict[str, Any]] | None = None  # dynamic names (CA, localized_CA, ...)
    names: frozenset[str] = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "names", frozenset(p.name for p in self.params))

    def parse(self, raw: dict[str, str]) -> dict[str, Any]:
        """Typed values for the declared params present in `raw`; empty optional values count as absent,
        except for free-text strings where "" is meaningful (e.g. deleting a video URL)."""
        out: dict[str, Any] = {}
        structured = getattr(raw, "structured", ())  # names a JSON body gave an object or an array
        for p in self.params:
            value = raw.get(p.name)
            if structured and p.name in structured and not p.takes_json:
                raise p.invalid(value or "")  # {"reply": {"a": 1}}: not a text, whatever its JSON reads like
            if value is None or (value.strip(BLANK) == "" and not (isinstance(p, Str) and not p.required)):
                if p.required:
                    raise WishError("missing_param", param=p.name)
                continue
            out[p.name] = p.convert(value)
        for a, b in self.either:
            if a not in out and b not in out:
                raise WishError("missing_either", a=a, b=b)
        if self.extra is not None:
            out.update(self.extra(raw))
        return out


def spec(*params: Param, either: Iterable[tuple[str, str]] = (),
         extra: Callable[[dict[str, str]], dict[str, Any]] | None = None) -> Spec:
    return Spec(tuple(params), tuple(either), extra)
