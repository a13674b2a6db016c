"""Infractions on demand (the seed, `POST /sandbox/api/infractions` and `mockwish generate`): a reason of the
catalogue (or the caller's), its fine in the merchant's currency, and proofs naming the merchant's own tickets,
orders, products and variations. Each new infraction posts the "You have a new infraction" notification, as
Wish does."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection

from mockwish.errors import WishError
from mockwish.ids import is_object_id, seeded_id
from mockwish.merchant.infractions import catalog, render, rules, store
from mockwish.merchant.infractions.errors import INFRACTION_NO_PROOF_OBJECT
from mockwish.merchant.notifications import content as noti_content
from mockwish.merchant.notifications import generate as notifications

MAX_COUNT = 100  # per sandbox call
PROOF_KINDS = {"TICKET": "ticket", "ORDER": "order", "PRODUCT": "product", "VARIATION": "variation",
               "MERCHANT": "merchant", "RATING": "rating"}



@dataclass
class Pools:
    """The merchant's objects proofs may name."""

    merchant_id: str
    currency: str
    products: list[str]
    variants: list[tuple[str, str]]  # (variant id, product id)
    orders: list[tuple[str, str]]  # (order id, state)
    tickets: list[str]

    @classmethod
    def load(cls, conn: Connection, merchant_id: str) -> Pools:
        return cls(merchant_id, store.payment_currency(conn, merchant_id), store.product_ids(conn, merchant_id),
                   store.variants(conn, merchant_id), store.orders(conn, merchant_id),
                   store.ticket_ids(conn, merchant_id))

    def pick(self, rng: random.Random, proof_type: str, reason: catalog.Reason, product: str | None) -> str | None:
        """An object of the merchant's for a proof of `proof_type` (None when it has none): the variation of the
        infraction's product, an order in a state the reason is about (any order when none is)."""
        if proof_type == "MERCHANT":
            return self.merchant_id
        if proof_type == "RATING":
            return seeded_id(rng)
        if proof_type == "PRODUCT":
            return product
        if proof_type == "VARIATION":
            own = [v for v, p in self.variants if p == product]
            pool = own or [v for v, _ in self.variants]
            return rng.choice(pool) if pool else None
        if proof_type == "ORDER":
            fitting = [o for o, s in self.orders if s in reason.order_states]
            pool = fitting or [o for o, _ in self.orders]
            return rng.choice(pool) if pool else None
        return rng.choice(self.tickets) if self.tickets else None


def _proof(reason: catalog.Reason, proof_type: str, object_id: str) -> dict[str, str]:
    return {"proof_type": proof_type, "object_id": object_id, "message": reason.messages.get(proof_type, reason.reason)}


def proofs(rng: random.Random, pools: Pools, reason: catalog.Reason) -> list[dict[str, str]]:
    """The reason's proofs on the merchant's objects; a TICKET proof names an order when it has no ticket (and
    any proof it has nothing for is left out; the merchant itself is the proof of last resort)."""
    product = rng.choice(pools.products) if pools.products else None
    out = []
    for proof_type in reason.proofs:
        found, shown = pools.pick(rng, proof_type, reason, product), proof_type
        if found is None and proof_type == "TICKET":
            found, shown = pools.pick(rng, "ORDER", reason, product), "ORDER"
        if found is not None:
            out.append(_proof(reason, shown, found))
    return out or [_proof(reason, "MERCHANT", pools.merchant_id)]


def named_proof(conn: Connection, rng: random.Random, pools: Pools, reason: catalog.Reason, proof_type: str,
                object_id: str | None) -> dict[str, str]:
    """The one proof a caller named: its object must be the merchant's own (1000 malformed, 1004 not found);
    without an object, one of the merchant's of that type."""
    kind = PROOF_KINDS[proof_type]
    if object_id is None:
        product = rng.choice(pools.products) if pools.products else None
        found = pools.pick(rng, proof_type, reason, product)
        if found is None:
            raise WishError(INFRACTION_NO_PROOF_OBJECT, kind=kind, proof_type=proof_type)
        return _proof(reason, proof_type, found)
    object_id = object_id.lower()
    if not is_object_id(object_id):
        raise WishError("invalid_id", value=object_id)
    if not store.owns(conn, pools.merchant_id, proof_type, object_id):
        raise WishError("record_not_found", kind=f"{kind} of merchant {pools.merchant_id}", id=object_id)
    return _proof(reason, proof_type, object_id)


def extra(rng: random.Random, reason: catalog.Reason) -> str:
    return rng.choice(reason.extras).replace("{n}", str(rng.randint(*reason.numbers)))


def infraction_row(rng: random.Random, pools: Pools, reason: catalog.Reason, *, state: str, created: datetime,
                   updated: datetime, proof_list: list[dict[str, str]], extra_reason: str | None = None,
                   fine_amount: float | None = None, fine_currency: str | None = None,
                   infraction_id: str | None = None) -> dict[str, Any]:
    return {"id": infraction_id or seeded_id(rng), "merchant_id": pools.merchant_id, "state": state,
            "reason": reason.reason, "extra_reason": extra(rng, reason) if extra_reason is None else extra_reason,
            "fine_amount": rules.fine_in(reason.fine_usd, pools.currency) if fine_amount is None else fine_amount,
            "fine_currency": fine_currency or pools.currency, "proofs": proof_list, "created_time": created,
            "last_updated": updated}


def notify(conn: Connection, rng: random.Random, row: dict[str, Any], viewed_at: datetime | None = None) -> None:
    """The notification Wish posts with a new infraction."""
    notifications.post_notification(conn, merchant_id=row["merchant_id"], rng=rng, created=row["created_time"],
                                    texts=noti_content.infraction_text(row["id"], row["reason"]),
                                    viewed_at=viewed_at)


def make_infractions(conn: Connection, *, merchant_id: str, now: datetime, rng: random.Random, count: int = 1,
                     state: str = rules.NEW, reason: str | None = None, extra_reason: str | None = None,
                     fine_amount: float | None = None, fine_currency: str | None = None,
                     proof_type: str | None = None, object_id: str | None = None,
                     ids: random.Random | None = None) -> list[dict[str, Any]]:
    """`count` infractions issued now in `state`, as get/infractions renders them. The reason is the caller's
    (a catalogue reason keeps its fine and proofs; another text is a warning without a fine proven by the
    merchant itself) or a random one of the catalogue; with `proof_type` the one proof is of that type (on
    `object_id`, which must be the merchant's own, else one of the merchant's). `ids`: the random stream of the
    new ids (default: rng)."""
    if not 1 <= count <= MAX_COUNT:
        raise WishError("out_of_range", param="count", low=1, high=MAX_COUNT, value=str(count))
    if state not in rules.STATES:
        raise WishError("invalid_param", value=state, param="state (one of " + ", ".join(rules.STATES) + ")")
    if proof_type is not None and proof_type not in rules.PROOF_TYPES:
        raise WishError("invalid_param", value=proof_type,
                        param="proof_type (one of " + ", ".join(rules.PROOF_TYPES) + ")")
    if object_id is not None and proof_type is None:
        raise WishError("missing_param", param="proof_type")
    if fine_amount is not None and not 0 <= fine_amount <= 1_000_000:
        raise WishError("out_of_range", param="fine_amount", low=0, high=1_000_000, value=str(fine_amount))
    pools = Pools.load(conn, merchant_id)
    rows = []
    for _ in range(count):
        r = catalog.custom(reason) if reason is not None else rng.choice(catalog.REASONS)
        named = named_proof(conn, rng, pools, r, proof_type, object_id) if proof_type is not None else None
        rows.append(infraction_row(rng, pools, r, state=state, created=now, updated=now,
                                   proof_list=[named] if named else proofs(rng, pools, r),
                                   extra_reason=extra_reason, fine_amount=fine_amount, fine_currency=fine_currency))
    notifications.fresh_ids(rows, ids)
    store.insert_infractions(conn, rows)
    for row in rows:
        notify(conn, ids or rng, row)
    return [render.infraction(r) for r in rows]


# the seeded infractions: three in each state, with how long ago each was issued and last changed (days)
SEED_PLAN: tuple[tuple[str, tuple[float, float], tuple[float, float]], ...] = (
    (rules.NEW, (0.1, 3), (0, 0)),
    (rules.AWAITING_MERCHANT, (3, 40), (0.5, 3)),
    (rules.AWAITING_ADMIN, (5, 60), (1, 10)),
    (rules.CLOSED, (30, 180), (3, 30)),
)
PER_STATE = 3
DOC_INFRACTION_ID = "5af67aaf2232612b29f6c5eb"  # the id in the link of get/infractions' example


def seed_infractions(conn: Connection, *, merchant_id: str, rng: random.Random, now: datetime, doc: bool) -> None:
    """Twelve infractions (three per state, so every stage has some) of reasons taken in turn from the shuffled
    catalogue, each with its notification (viewed once the infraction left NEW). The docs' merchant's first
    AWAITING_MERCHANT one is the doc's example: inappropriate content, "Weapon", 10.0 in its currency."""
    pools = Pools.load(conn, merchant_id)
    reasons = list(catalog.REASONS)  # every reason once (so every proof type), then the first again
    rng.shuffle(reasons)
    plan = [s for s in SEED_PLAN for _ in range(PER_STATE)]
    doc_slot = next(n for n, s in enumerate(plan) if s[0] == rules.AWAITING_MERCHANT) if doc else None
    if doc_slot is not None:  # the doc's example takes the reason it is of, in the slot of the first one waiting
        k = reasons.index(catalog.BY_KEY["inappropriate_content"])
        reasons[k], reasons[doc_slot] = reasons[doc_slot], reasons[k]
    rows: list[tuple[dict[str, Any], datetime | None]] = []
    for n, (state, issued, changed) in enumerate(plan):
        r = reasons[n % len(reasons)]
        infraction_id = DOC_INFRACTION_ID if n == doc_slot else None
        created = now - timedelta(days=rng.uniform(*issued))
        updated = min(now, created + timedelta(days=rng.uniform(*changed)))
        row = infraction_row(rng, pools, r, state=state, created=created, updated=updated,
                             proof_list=proofs(rng, pools, r), infraction_id=infraction_id,
                             extra_reason="Weapon" if infraction_id else None)
        seen = None if state == rules.NEW else created + (updated - created) * rng.uniform(0.1, 0.9)
        rows.append((row, seen))
    rows.sort(key=lambda pair: pair[0]["last_updated"])
    store.insert_infractions(conn, [row for row, _ in rows])
    for row, seen in rows:
        notify(conn, rng, row, viewed_at=seen)
