"""WishPost pickup carriers (domain): who an `X-API-Key` belongs to. A carrier may bag and query parcels
bound for its hub, whoever booked them; it has no account, charges or statements. No HTTP here."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, insert, select

from mockwish.store.tables import WishPostCarrier, table_of

CARRIER = table_of(WishPostCarrier)


@dataclass(frozen=True)
class Carrier:
    id: str
    name: str
    api_key: str
    hub_warehouse_code: int


def by_key(conn: Connection, api_key: str) -> Carrier | None:
    row = conn.execute(select(CARRIER.c.id, CARRIER.c.name, CARRIER.c.api_key, CARRIER.c.hub_warehouse_code)
                       .where(CARRIER.c.api_key == api_key)).first()
    return Carrier(*row) if row is not None else None


def list_carriers(conn: Connection) -> list[Carrier]:
    rows = conn.execute(select(CARRIER.c.id, CARRIER.c.name, CARRIER.c.api_key, CARRIER.c.hub_warehouse_code)
                        .order_by(CARRIER.c.created_at, CARRIER.c.name))
    return [Carrier(*r) for r in rows]


def create_carrier(conn: Connection, *, carrier_id: str, name: str, api_key: str, hub_warehouse_code: int,
                   now: datetime) -> Carrier:
    conn.execute(insert(CARRIER), [{"id": carrier_id, "name": name, "api_key": api_key,
                                    "hub_warehouse_code": hub_warehouse_code, "created_at": now}])
    return Carrier(carrier_id, name, api_key, hub_warehouse_code)
