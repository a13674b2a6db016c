"""Notifications and announcements on demand (the seed, `POST /sandbox/api/notifications`,
`POST /sandbox/api/announcements` and `mockwish generate`). Each generator answers what it made as the API
renders it."""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection

from mockwish.errors import WishError
from mockwish.ids import seeded_id
from mockwish.merchant.catalogue.store import merchant
from mockwish.merchant.notifications import content, render, rules, store
from mockwish.merchant.notifications.errors import ANNOUNCEMENT_FIELD

MAX_COUNT = 100  # per sandbox call
BD_FIELDS = ("title", "message", "bd_id", "bd_name", "viewed")
SYSTEM_FIELDS = ("title", "body", "link", "cn_title", "cn_body", "cn_link", "categories", "program", "important",
                 "cta_text_en", "cta_text_cn", "cta_effective_date")



def fresh_ids(rows: list[dict[str, Any]], ids: random.Random | None) -> None:
    """Give rows ids of their own stream (the sandbox: a seed repeats the texts, never the ids)."""
    if ids is not None:
        for row in rows:
            row["id"] = seeded_id(ids)


def context(conn: Connection, merchant_id: str) -> content.Context:
    """The merchant's own things its notifications may name."""
    products = store.products(conn, merchant_id)
    return content.Context(
        merchant_id=merchant_id, currency=merchant(conn, merchant_id)["payment_currency"],
        refunded=store.refunded_orders(conn, merchant_id), to_fulfill=store.orders_to_fulfill(conn, merchant_id),
        products=[(pid, name) for pid, name, _ in products],
        rejected=[(pid, name) for pid, name, status in products if status == "rejected"],
        tickets=store.open_tickets(conn, merchant_id), releases=store.releases(conn, merchant_id))


def text(rng: random.Random, ctx: content.Context, now: datetime, kind: str | None = None) -> content.Text:
    """A notification's (title, message, perma_link) of `kind`, else of a kind the merchant has something for."""
    if kind is not None:
        made = content.KINDS[kind](rng, ctx, now)
        if made is None:
            raise WishError("invalid_param", value=kind, param="kind (the merchant has nothing of that kind to be "
                                                               "notified about)")
        return made
    while True:  # payment, policy_update and account_manager always apply
        found = content.KINDS[rng.choice(sorted(content.KINDS))](rng, ctx, now)
        if found is not None:
            return found


def notification_row(rng: random.Random, merchant_id: str, texts: content.Text, created: datetime,
                     viewed_at: datetime | None = None, noti_id: str | None = None) -> dict[str, Any]:
    title, message, link = texts
    return {"id": noti_id or seeded_id(rng), "merchant_id": merchant_id, "title": title, "message": message,
            "perma_link": link, "viewed": viewed_at is not None, "created_at": created, "viewed_at": viewed_at}


def make_notifications(conn: Connection, *, merchant_id: str, now: datetime, rng: random.Random, count: int = 1,
                       title: str | None = None, message: str | None = None, perma_link: str | None = None,
                       kind: str | None = None, ids: random.Random | None = None) -> list[dict[str, Any]]:
    """`count` unviewed notifications posted now: of `kind` (content.KINDS) or a random kind the merchant has
    something for, each of title, message and perma_link replaced when given. `ids`: the random stream of the
    new ids (default: rng)."""
    if not 1 <= count <= MAX_COUNT:
        raise WishError("out_of_range", param="count", low=1, high=MAX_COUNT, value=str(count))
    if kind is not None and kind not in content.KINDS:
        raise WishError("invalid_param", value=kind, param="kind (one of " + ", ".join(content.KINDS) + ")")
    ctx = context(conn, merchant_id)
    rows = []
    for _ in range(count):
        t, m, link = text(rng, ctx, now, kind)
        texts = (title if title is not None else t, message if message is not None else m,
                 perma_link if perma_link is not None else link)
        rows.append(notification_row(rng, merchant_id, texts, now))
    fresh_ids(rows, ids)
    store.insert_notifications(conn, rows)
    return [render.notification(r) for r in rows]


def post_notification(conn: Connection, *, merchant_id: str, rng: random.Random, texts: content.Text,
                      created: datetime, viewed_at: datetime | None = None) -> dict[str, Any]:
    """One notification with these texts (another area's event: a new infraction)."""
    row = notification_row(rng, merchant_id, texts, created, viewed_at)
    store.insert_notifications(conn, [row])
    return row


# ---- announcements ----------------------------------------------------------------------------------------

def account_manager(conn: Connection, merchant_id: str, rng: random.Random) -> tuple[str, str]:
    """(bd_id, bd_name) of the merchant's Account Manager: who sent the latest announcement, else a new one."""
    latest = store.latest_bd(conn, merchant_id)
    if latest is not None:
        return latest["bd_id"], latest["bd_name"]
    return seeded_id(rng), rng.choice(content.ACCOUNT_MANAGERS)


def bd_row(rng: random.Random, merchant_id: str, manager: tuple[str, str], created: datetime, viewed: bool,
           title: str | None = None, message: str | None = None) -> dict[str, Any]:
    default_title, default_message = rng.choice(content.BD_TEXTS)
    return {"id": seeded_id(rng), "merchant_id": merchant_id, "title": default_title if title is None else title,
            "message": default_message if message is None else message, "bd_id": manager[0], "bd_name": manager[1],
            "viewed": viewed, "created_at": created}


def system_row(rng: random.Random, merchant_id: str, released: datetime, features: list[dict[str, Any]],
               release_id: str | None = None) -> dict[str, Any]:
    return {"id": release_id or seeded_id(rng), "merchant_id": merchant_id, "release_date": released,
            "features": features}


def _feature(now: datetime, fields: dict[str, Any]) -> dict[str, Any]:
    """A System Update's one feature: the default feature with the fields given."""
    feature = content.default_feature()
    if any(k in fields for k in ("title", "body", "link")):
        # the caller's own update: the default feature's other texts would describe something else. What is not
        # given is blank, and the Chinese fields repeat the English ones (the mock does not translate)
        feature.update(title="", body="", link="")
        feature.update({k: fields[k] for k in ("title", "body", "link") if k in fields})
        feature.update(cn_title=feature["title"], cn_body=feature["body"], cn_link=feature["link"])
    for key in SYSTEM_FIELDS:
        if key in fields and key != "cta_effective_date":
            feature[key] = fields[key]
    feature["categories"] = rules.check_categories(feature["categories"])
    feature["program"] = feature["program"] or rules.NO_PROGRAM
    when = fields.get("cta_effective_date")
    if when is not None:
        feature["cta_after_seconds"] = int((when - now).total_seconds())
    return feature


def make_announcement(conn: Connection, *, merchant_id: str, now: datetime, rng: random.Random, count: int = 1,
                      kind: str = "bd", ids: random.Random | None = None, **fields: Any) -> list[dict[str, Any]]:
    """`count` announcements of `kind` sent now, as the API renders them. "bd": from the merchant's Account Manager
    (title, message, bd_id, bd_name, viewed); the last one made is the one fetch-bd-announcement answers.
    "system": a System Update of one feature (title, body, link, cn_title, cn_body, cn_link, categories, program,
    important, cta_text_en, cta_text_cn, cta_effective_date: a datetime), posted with its "There is a new
    system update" notification, as Wish does. A field of the other kind is an error. `ids`: the random stream
    of the new ids (default: rng)."""
    if kind not in rules.KINDS:
        raise WishError("invalid_param", value=kind, param="kind (bd or system)")
    if not 1 <= count <= MAX_COUNT:
        raise WishError("out_of_range", param="count", low=1, high=MAX_COUNT, value=str(count))
    allowed = BD_FIELDS if kind == "bd" else SYSTEM_FIELDS
    given = {k: v for k, v in fields.items() if v is not None}
    stray = next((k for k in given if k not in allowed), None)
    if stray is not None:
        raise WishError(ANNOUNCEMENT_FIELD, field=stray, kind=kind)
    if kind == "bd":
        manager = account_manager(conn, merchant_id, rng)
        manager = (given.get("bd_id", manager[0]), given.get("bd_name", manager[1]))
        rows = [bd_row(rng, merchant_id, manager, now, bool(given.get("viewed", False)), given.get("title"),
                       given.get("message")) for _ in range(count)]
        fresh_ids(rows, ids)
        store.insert_bd(conn, rows)
        return [render.bd_announcement(r) for r in rows]
    rows = [system_row(rng, merchant_id, now, [_feature(now, given)]) for _ in range(count)]
    fresh_ids(rows, ids)
    store.insert_system_updates(conn, rows)
    for row in rows:
        post_notification(conn, merchant_id=merchant_id, rng=ids or rng, created=now,
                          texts=("There is a new system update", row["features"][0]["title"],
                                 f"{content.DASHBOARD}/release/{row['id']}"))
    return [render.system_update(r) for r in rows]


def seed_releases(conn: Connection, *, merchant_id: str, rng: random.Random, now: datetime, doc: bool) -> None:
    """The seeded System Updates (content.releases), the docs' ids for the docs' merchant."""
    rows = [system_row(rng, merchant_id, now - timedelta(days=r.days_ago), [dict(f) for f in r.features],
                       r.doc_id if doc else None) for r in content.releases(now)]
    store.insert_system_updates(conn, rows[::-1])  # oldest first: created in the order they were released
