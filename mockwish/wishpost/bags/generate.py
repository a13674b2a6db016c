"""Bags on demand (the seed and `POST /sandbox/api/wishpost/bags`): a bag of a user's parcels with the
instants that put it in the state asked for at `now`. Parcels it needs and the user lacks are made first
(EPC parcels, Accepted, bound for the bag's hub), with the parcel generator and its rules."""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection

from mockwish.errors import WishError
from mockwish.wishpost.bags import rules, store
from mockwish.wishpost.parcels import generate as parcel_generate
from mockwish.wishpost.parcels import rules as parcel_rules
from mockwish.wishpost.parcels import store as parcel_store

STATES = ("created", "shipping", "cancelled", "terminated", "abnormal")
EPC_OTYPE = "36-1"
# an EPC warehouse of each hub: a parcel made for a hub goes there
HUB_WAREHOUSE = {rules.EAST_CHINA_HUB: 1001, rules.SOUTH_CHINA_HUB: 1003}
MAX_PARCELS = 100
SANDBOX_REASON = "sandbox"


def placed(state: str, bag: dict[str, Any], now: datetime, policy: rules.BagPolicy) -> dict[str, Any]:
    """The instants that put `bag` in `state` from `now` on (the sandbox's bags and its state hook); it then
    moves on by the clock as any bag does."""
    pickup = bag["pickup_at"] if bag["pickup_at"] > now else now + timedelta(seconds=max(policy.pickup_seconds, 1))
    later = timedelta(seconds=max(policy.terminate_seconds, 1))
    if state == "created":
        return {"pickup_at": pickup, "terminate_at": max(bag["terminate_at"], pickup + later), "abnormal_at": None,
                "cancelled_at": None}
    if state == "shipping":
        return {"pickup_at": min(bag["pickup_at"], now), "terminate_at": max(bag["terminate_at"], now + later),
                "abnormal_at": None, "cancelled_at": None}
    if state == "terminated":
        return {"pickup_at": min(bag["pickup_at"], now), "terminate_at": now, "abnormal_at": None,
                "cancelled_at": None}
    if state == "abnormal":
        return {"pickup_at": min(bag["pickup_at"], now), "abnormal_at": now, "cancelled_at": None}
    if state == "cancelled":
        return {"cancelled_at": now, "cancel_reason": bag["cancel_reason"] or SANDBOX_REASON}
    raise WishError("invalid_param", value=state, param="state (one of " + ", ".join(STATES) + ")")


def _eligible(conn: Connection, user_id: str, hub: int, pickup_service: int, now: datetime) -> list[dict[str, Any]]:
    """The user's parcels a new bag for `hub` may take now, oldest first."""
    rows = [r for r in store.parcels_of_user(conn, user_id) if r["logistics_order_code"]]
    bagged = store.bagged_parcels(conn, [r["id"] for r in rows])
    return [r for r in rows if rules.reason_for(r, r["logistics_order_code"], hub=hub, pickup_service=pickup_service,
                                                bagged=r["id"] in bagged, now=now) is None]


def new_parcels(conn: Connection, *, user_id: str, count: int, hub: int, now: datetime, rng: random.Random,
                state: str = "accepted") -> list[dict[str, Any]]:
    """`count` EPC parcels of the user in `state` (a parcel state), bound for `hub`."""
    rows = parcel_generate.make_parcels(conn, user_id=user_id, merchant_id=None, count=count, now=now,
                                        policy=parcel_rules.Policy(), rng=rng, state=state, channel=EPC_OTYPE,
                                        linked_share=0.0)
    warehouse = HUB_WAREHOUSE[hub]
    for row in rows:
        if rules.hub_of_parcel(row) != hub:
            parcel_store.save(conn, row["id"], {"warehouse_code": warehouse})
            row["warehouse_code"] = warehouse
    return rows


def make_bag(conn: Connection, *, user_id: str, now: datetime, rng: random.Random, state: str = "created",
             count: int = 2, hub: int = rules.EAST_CHINA_HUB, pickup_service: int = rules.SELF_DELIVERY,
             codes: list[str] | None = None, policy: rules.BagPolicy | None = None) -> dict[str, Any]:
    """A bag of the user's parcels in `state` at `now`: the parcels named by `codes` (each must be one a new bag
    may take), else `count` of those it may take, made when the user has too few. Answers the bag row with
    its parcels under "parcels"."""
    if not 1 <= count <= MAX_PARCELS:
        raise WishError("invalid_param", value=str(count), param=f"count (1 to {MAX_PARCELS})")
    if not rules.check_hub(hub):
        raise WishError("invalid_param", value=str(hub), param="hub_warehouse_code (3001 or 3002)")
    if not rules.check_pickup_service(pickup_service):
        raise WishError("invalid_param", value=str(pickup_service), param="pickup_service (2801 or 9999)")
    caller = rules.Caller(user_id=user_id)
    if codes:
        found = store.parcels_by_codes(conn, caller, codes)
        bagged = store.bagged_parcels(conn, [r["id"] for r in found.values()])
        parcels = []
        for code in rules.unique_codes(codes):
            parcel = found.get(code)
            reason = rules.reason_for(parcel, code, hub=hub, pickup_service=pickup_service, now=now,
                                      bagged=parcel is not None and parcel["id"] in bagged)
            if reason is not None or parcel is None:
                raise WishError("invalid_param", value=code, param="logistics_order_codes (a parcel a new bag "
                                f"may take: {reason})")
            parcels.append(parcel)
    else:
        parcels = _eligible(conn, user_id, hub, pickup_service, now)[:count]
        if len(parcels) < count:
            parcels += new_parcels(conn, user_id=user_id, count=count - len(parcels), hub=hub, now=now, rng=rng)
    policy = policy or rules.BagPolicy()
    bag = rules.new_bag(store.next_seq(conn), caller=caller, hub=hub, pickup_service=pickup_service, now=now,
                        policy=policy)
    bag |= placed(state, bag, now, policy)
    store.insert_bag(conn, bag, parcels)
    return bag | {"parcels": parcels}


def seed_bags(conn: Connection, *, user_id: str, rng: random.Random, now: datetime) -> int:
    """Each seeded user's bags, one in every state, of EPC parcels made for them (the user's other seeded
    parcels stay free to bag): Created (two Accepted parcels, picked up later), Shipping (two Shipping parcels,
    picked up an hour ago), Terminated (two Completed parcels), Abnormal (a Shipping parcel and one cancelled
    after the pickup) and Cancelled (one Accepted parcel, free to bag again). Answers the bag count."""
    policy = rules.BagPolicy()
    hour = timedelta(hours=1)
    plans: list[tuple[str, list[str], dict[str, Any]]] = [
        ("created", ["accepted", "accepted"], {"created_at": now - hour}),
        ("shipping", ["shipping", "shipping"], {"created_at": now - 3 * hour, "pickup_at": now - hour}),
        ("terminated", ["completed", "completed"], {"created_at": now - 48 * hour, "pickup_at": now - 40 * hour}),
        ("abnormal", ["shipping", "canceled"], {"created_at": now - 5 * hour, "pickup_at": now - 4 * hour}),
        ("cancelled", ["accepted"], {"cancelled_at": now - hour / 2, "cancel_reason": "seeded"}),
    ]
    for _state, parcel_states, instants in plans:
        parcels = [p for s in parcel_states
                   for p in new_parcels(conn, user_id=user_id, count=1, hub=rules.EAST_CHINA_HUB, now=now, rng=rng,
                                        state=s)]
        created = instants.get("created_at", now - hour)
        bag = rules.new_bag(store.next_seq(conn), caller=rules.Caller(user_id=user_id), hub=rules.EAST_CHINA_HUB,
                            pickup_service=rng.choice((rules.STO_PICKUP, rules.SELF_DELIVERY)), now=created,
                            policy=policy)
        store.insert_bag(conn, bag | instants, parcels)
    return len(plans)
