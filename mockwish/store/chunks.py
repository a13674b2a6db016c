"""Values for `IN (...)` a part at a time: a list of ids can outgrow SQLite's bound-parameter limit."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TypeVar

T = TypeVar("T")
IN_LIMIT = 500  # values per IN (...): well under SQLite's bound-parameter limit, with the query's own beside them


def chunks(values: Sequence[T], size: int = IN_LIMIT) -> Iterator[list[T]]:
    for start in range(0, len(values), size):
        yield list(values[start:start + size])
