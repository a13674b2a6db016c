"""Tickets on demand (the seed, `POST /sandbox/api/tickets` and `mockwish generate`): a buyer opens a ticket
on one of the merchant's orders (or asks about a product before buying), and the ticket is carried to the
state asked for by the rules' own actions (a merchant reply, the buyer writing back, an appeal, Wish Support
answering, a close), each at its own instant between the order's last event and `now`."""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection

from mockwish import ids
from mockwish.errors import WishError
from mockwish.merchant.catalogue import store as catalogue_store
from mockwish.merchant.tickets import errors, labels, rules, store
from mockwish.merchant.tickets.labels import Label
from mockwish.reference import IMAGE_BASE
from mockwish.wire.format import ts

Row = dict[str, Any]

MAX_COUNT = 50

# what happens to a ticket after the buyer opens it, by the state it ends in (the sandbox's `state`)
STORIES: dict[str, tuple[str, ...]] = {
    "awaiting_merchant": (),  # Awaiting your response, state_id 1
    "answered_back": ("merchant", "buyer"),  # Awaiting your response, state_id 4
    "awaiting_buyer": ("merchant",),
    "awaiting_wish": ("merchant", "buyer", "appeal"),
    "awaiting_store": ("appeal", "wish"),
    "closed_by_user": ("merchant", "buyer_close"),
    "closed_by_merchant": ("merchant", "close"),
    "closed_by_wish_support": ("appeal", "wish_close"),
    "closed_by_wish_automated_support": ("merchant", "auto_close"),
}


@dataclass(frozen=True)
class Opening:
    """What the buyer writes first, when not the label's usual message: (message, English, Chinese)."""

    message: str
    translated_message: str
    translated_message_zh: str



def locale_of(country: str | None) -> str:
    return labels.COUNTRY_LOCALES.get(country or "", "en")


def buyer_of(order: Row) -> dict[str, str]:
    """The UserInfo of the buyer of `order`: the same for every ticket of the buyer (joined_date derived from
    the buyer's id, some time before the order)."""
    detail = order["shipping_detail"] or {}
    own = random.Random(order["buyer_id"])
    joined = order["order_time"] - timedelta(days=own.randint(30, 2500), seconds=own.randint(0, 86_399))
    return {"id": order["buyer_id"], "joined_date": ts(joined) or "", "locale": locale_of(detail.get("country")),
            "name": str(detail.get("name") or "Wish Customer")}


def shopper(rng: random.Random, now: datetime) -> dict[str, str]:
    """A buyer with no order yet (a pre-purchase question)."""
    locale = rng.choice(labels.LOCALES)
    joined = now - timedelta(days=rng.randint(10, 2500), seconds=rng.randint(0, 86_399))
    return {"id": ids.seeded_id(rng), "joined_date": ts(joined) or "", "locale": locale,
            "name": rng.choice(labels.BUYER_NAMES[locale])}


def since(order: Row, now: datetime) -> datetime:
    """The last thing that happened to the order: a buyer writes after it."""
    for key in ("refunded_at", "shipped_at", "released_at"):
        at = order.get(key)
        if at is not None and at <= now:
            return at
    return min(order["order_time"], now)


def _instants(rng: random.Random, base: datetime, now: datetime, n: int, end_now: bool) -> list[datetime]:
    """n instants in order from after `base` up to `now` (the last one `now` itself when `end_now`)."""
    out, at = [], base
    for _ in range(n):
        at = at + (now - at) * rng.uniform(0.15, 0.5)
        out.append(at)
    if end_now and out:
        out[-1] = now
    return out


def build(*, ticket_id: str, merchant_id: str, store_name: str, label: Label, buyer: dict[str, str],
          orders: Sequence[Row], product_ids: Sequence[str], base: datetime, now: datetime, rng: random.Random,
          story: str = "awaiting_merchant", opening: Opening | None = None, photo: bool | None = None,
          end_now: bool = False) -> tuple[Row, list[Row]]:
    """A ticket and its replies carried through `story`, not yet stored."""
    steps = STORIES[story]
    times = _instants(rng, base, now, 1 + len(steps), end_now)
    locale = buyer["locale"]
    said = (opening.message, opening.translated_message, opening.translated_message_zh) if opening else \
        label.opening.said(locale)
    with_photo = rng.random() < label.photo_share if photo is None else photo
    images = (f"{IMAGE_BASE}/{ids.seeded_id(rng)}-original.jpg",) if with_photo else ()
    first = orders[0] if orders else None
    ticket: Row = {
        "id": ticket_id, "merchant_id": merchant_id, "ticket_type": label.ticket_type,
        "transaction_id": first["transaction_id"] if first else None, "order_ids": [o["id"] for o in orders],
        "product_ids": list(dict.fromkeys(product_ids)), "buyer": buyer, "subject": label.subject_in(locale),
        "label": label.name, "sublabel": label.sublabel, "default_refund_reason": label.default_refund_reason,
        "photo_proof": with_photo, "state": rules.AWAITING_MERCHANT, "state_id": rules.NEW, "open_date": times[0],
        "last_update_date": times[0], "state_since": times[0], "close_date": None, "closed_by": None}
    replies = [store.reply_row(ticket, 0, rules.Message(rules.USER, *said, image_urls=images), times[0])]
    for step_name, at in zip(steps, times[1:], strict=True):
        step = _step(step_name, ticket, at, rng, locale, store_name)
        ticket |= step.changes
        if step.message is not None:
            replies.append(store.reply_row(ticket, len(replies), step.message, at))
    return ticket, replies


def _buyer_says(phrase: labels.Phrase, locale: str) -> rules.Message:
    return rules.Message(rules.USER, *phrase.said(locale))


def _step(name: str, ticket: Row, at: datetime, rng: random.Random, locale: str, store_name: str) -> rules.Step:
    if name == "merchant":
        return rules.reply(ticket, rng.choice(labels.MERCHANT_REPLIES).format(store=store_name), at)
    if name == "buyer":
        said = _buyer_says(rng.choice(labels.follow_ups(ticket["ticket_type"])), locale)
        return rules.buyer_message(ticket, said, at, close_it=False)
    if name == "buyer_close":
        return rules.buyer_message(ticket, _buyer_says(labels.THANKS, locale), at, close_it=True)
    if name == "appeal":
        return rules.appeal(ticket, at)
    if name == "wish":
        return rules.wish_reply(ticket, rules.Message(rules.WISH_SUPPORT, labels.WISH_HAND_BACK), at, close_it=False)
    if name == "wish_close":
        return rules.wish_reply(ticket, rules.Message(rules.WISH_SUPPORT, labels.WISH_CLOSE), at, close_it=True)
    if name == "close":
        return rules.close(ticket, at)
    assert name == "auto_close", name
    return rules.close(ticket, at, rules.WISH_AUTOMATED, rules.Message(rules.WISH_AUTOMATED, labels.AUTOMATED_CLOSE))


# ---- choosing what a buyer asks about --------------------------------------------------------------------

def named_label(label: str, ticket_type: str | None) -> Label:
    """The label of that name, which must belong to `ticket_type` when one is given."""
    found = labels.BY_NAME.get(label)
    if found is None:
        raise WishError(errors.UNKNOWN_LABEL, label=label, labels=", ".join(labels.BY_NAME))
    if ticket_type is not None and found.ticket_type != ticket_type:
        raise WishError(errors.LABEL_TYPE, label=label, expected=found.ticket_type, value=ticket_type)
    return found


def _pick_order(rng: random.Random, orders: Sequence[Row], busy: set[str], label: Label | None) -> Row | None:
    """A random order that no open ticket is about, nor any order of its transaction (a label about the whole
    transaction takes them in; one `label` fits, when given), else one only itself free, else any order."""
    taken = {o["transaction_id"] for o in orders if o["id"] in busy}
    alone = [o for o in orders if o["id"] not in busy]
    free = [o for o in alone if o["transaction_id"] not in taken]
    for pool in ([o for o in free if label is None or o["state"] in label.order_states], free, alone, list(orders)):
        if pool:
            return rng.choice(pool)
    return None


def make_tickets(conn: Connection, *, merchant_id: str, now: datetime, rng: random.Random, count: int = 1,
                 order_id: str | None = None, product_id: str | None = None, label: str | None = None,
                 ticket_type: str | None = None, message: str | None = None, state: str = "awaiting_merchant",
                 photo: bool | None = None) -> list[Row]:
    """`count` tickets a buyer opens now on the merchant's orders (on `order_id`, else each on a random order no
    open ticket is about, the label fitting the order's state when none is given) or, for pre_purchase_questions,
    on its products (`product_id`, else a random listed one), carried to `state` (one of STORIES; the last event
    happens now; the same `rng` seed tells the same stories, under new ticket ids). `message` replaces the buyer's
    first message (the mock does not translate: both translations repeat it). Answers the stored ticket rows."""
    if not 1 <= count <= MAX_COUNT:
        raise WishError("out_of_range", param="count", low=1, high=MAX_COUNT, value=str(count))
    if state not in STORIES:
        raise WishError("invalid_param", value=state, param="state (one of " + ", ".join(STORIES) + ")")
    said = rules.text(message, "message", required=False)
    opening = Opening(said, said, said) if said else None
    store_name = catalogue_store.merchant(conn, merchant_id)["name"]
    chosen_label = named_label(label, ticket_type) if label is not None else None
    kind = chosen_label.ticket_type if chosen_label else (
        ticket_type or (labels.PRE_PURCHASE if product_id is not None else labels.POST_PURCHASE))
    if kind not in labels.TICKET_TYPES:
        raise WishError("invalid_param", value=kind, param="ticket_type")
    if kind == labels.PRE_PURCHASE and order_id is not None:
        raise WishError("invalid_param", value=order_id, param="order_id (not for pre_purchase_questions)")
    if kind != labels.PRE_PURCHASE and product_id is not None:
        raise WishError("invalid_param", value=product_id, param="product_id (pre_purchase_questions only)")
    tickets: list[Row] = []
    replies: list[Row] = []
    if kind == labels.PRE_PURCHASE:
        products = store.listed_products(conn, merchant_id, [product_id] if product_id else None)
        if product_id is not None and not products:
            raise WishError("product_not_found", field="id", value=product_id)
        if not products:
            raise WishError(errors.NO_SUBJECT, merchant_id=merchant_id, what="product")
        for _ in range(count):
            chosen = chosen_label or rng.choice(labels.of_type(kind))
            buyer = shopper(rng, now)
            t, r = build(ticket_id=ids.new_id(), merchant_id=merchant_id, store_name=store_name, label=chosen,
                         buyer=buyer, orders=[], product_ids=[rng.choice(products)], base=now - timedelta(days=2),
                         now=now, rng=rng, story=state, opening=opening, photo=photo, end_now=True)
            tickets.append(t)
            replies += r
    else:
        orders = store.orders(conn, merchant_id, [order_id] if order_id else None)
        if order_id is not None and not orders:
            raise WishError("order_not_found", id=order_id)
        if not orders:
            raise WishError(errors.NO_SUBJECT, merchant_id=merchant_id, what="order")
        busy = store.open_order_ids(conn, merchant_id)
        for _ in range(count):
            order = orders[0] if order_id else _pick_order(rng, orders, busy, chosen_label)
            assert order is not None  # orders is not empty
            chosen = chosen_label or rng.choice(labels.fitting(kind, order["state"]) or labels.of_type(kind))
            others = [o for o in store.transaction_orders(conn, merchant_id, order["transaction_id"])
                      if o["id"] != order["id"]] if chosen.whole_transaction else []
            items = [order, *others]
            t, r = build(ticket_id=ids.new_id(), merchant_id=merchant_id, store_name=store_name, label=chosen,
                         buyer=buyer_of(order), orders=items, product_ids=[i["product_id"] for i in items],
                         base=since(order, now), now=now, rng=rng, story=state, opening=opening, photo=photo,
                         end_now=True)
            busy |= set(t["order_ids"])
            tickets.append(t)
            replies += r
    store.insert_tickets(conn, tickets, replies)
    return tickets
