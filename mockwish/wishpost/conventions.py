"""The v3 query conventions of wishpost-v3-api-3.0.6 ("General Querying Techniques"), applied by the WishPost
pipeline to every v3 GET operation: `fields` (partial responses), and, on an operation that declares a
`Collection`, `sort_by={attr}.{asc|desc}`, the inclusive `{attr}_min`/`{attr}_max` range and `limit`.
Handlers answer their whole list; the pipeline narrows it."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Collection:
    """The list a v3 GET operation answers, and what may sort and page it."""

    key: str  # where the list is in the answer's keys: "bags", "data", or a nested "data.announcements"
    sortable: tuple[str, ...] = ()  # the attributes `sort_by` may name
    ranges: tuple[str, ...] = ()  # the attributes with `{attr}_min` / `{attr}_max` (inclusive)
    max_limit: int = 100  # `limit` may not exceed this (1000 invalid param)
