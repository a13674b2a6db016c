"""A merchant's rendered orders as one JSON text in the multi-get's order, so that a page is a slice of it.

An ERP polls pages of the same listing over and over. With every order's JSON already in the read cache,
a page still looks up and joins a hundred entries; a book, made from those same entries, turns the page into
one slice of bytes. It is only an index over what the cache holds, so it is made only once every order of
the merchant is cached (never by rendering orders itself), and it goes with any change to any order of the
merchant (its tag is the merchant-wide wildcard) and when the clock leaves the hour its countdowns were
rendered for. A merchant whose book would take more than a quarter of the cache never gets one."""

from __future__ import annotations

from datetime import datetime

from mockwish.merchant.orders.keys import FIRST_LOOK
from mockwish.merchant.orders.render import Entry

ATTEMPT_EVERY = FIRST_LOOK  # quiet pages (no order change) before a look at whether a book can be made: a
# merchant whose orders change every few pages never pays for a book that would go with the next change
MAX_ATTEMPT_EVERY = 4096  # each look that fails (~1 ms per 10k orders) doubles the wait, up to this many pages
MISSING_SHARE = 50  # a look renders the orders not cached yet when they are at most a 1/50 of them,
MISSING_PAGE = 250  # or at most a page's worth (the most one multi-get answers): ~50 us each
BYTES_PER_ORDER = 1024  # less than any rendered order: a merchant whose book could not fit is not looked at


class Book:
    """The JSON of the orders at positions 0..n of the merchant's OrderKeys, joined by commas; `offsets[i]`
    is where order i starts (offsets[n] is the end plus one, as if a comma followed the last)."""

    __slots__ = ("entries", "text", "offsets", "after", "until")

    def __init__(self, entries: list[Entry], now: datetime) -> None:
        self.entries = entries  # the cached renders it was made from (any change to one drops the book)
        self.text, self.offsets = b"", [0]
        self.refresh(now)

    def refresh(self, now: datetime) -> None:
        """The text as of `now`: each countdown brought to `now`'s hour (a merchant with thousands of approved
        orders crosses an hour boundary every second or so; each crossing costs this one pass)."""
        entries = self.entries
        self.after, self.until = datetime.min, datetime.max
        for e in entries:
            e.as_json(now)
            if e.due is not None:  # valid while every countdown holds: (latest after, earliest until]
                self.after, self.until = max(self.after, e.after), min(self.until, e.until)
        raws = [e.raw for e in entries]
        self.text = b",".join(raws)
        offsets, at = [], 0
        for raw in raws:
            offsets.append(at)
            at += len(raw) + 1
        offsets.append(at)
        self.offsets = offsets

    @staticmethod
    def estimate(entries: list[Entry]) -> int:
        """The size a book of `entries` would have, before making it."""
        return sum(len(e.raw) + 9 for e in entries) + 400

    @property
    def size(self) -> int:
        return len(self.text) + 16 * len(self.offsets) + 400

    def holds(self, now: datetime) -> bool:
        return self.after < now <= self.until

    def slice(self, first: int, last: int) -> tuple[bytes | memoryview, ...]:
        """The JSON array of the orders at positions [first, last), as parts (no copy: the answer joins them)."""
        if first >= last:
            return (b"[]",)
        return b"[", memoryview(self.text)[self.offsets[first]:self.offsets[last] - 1], b"]"
