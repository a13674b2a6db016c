"""Return warehouses on demand, in a chosen validation state (the seed, POST /sandbox/api/return-warehouses and
`mockwish generate`). Addresses are real logistics districts with their real postcodes; the state a warehouse is
in follows from its address by the validation rules (mockwish.merchant.returns.rules), never from a forced
column: a suggested one is sent in a form validation normalises, an invalid one with a postcode missing a
character, a validating one is validated `validation_seconds` from now."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection

from mockwish.errors import WishError
from mockwish.ids import new_id, seeded_id
from mockwish.merchant.catalogue import store as catalogue
from mockwish.merchant.returns import program, rules, store

MAX_GENERATED = 50  # return warehouses one call may make


@dataclass(frozen=True)
class Place:
    """A warehouse district: `zipcode` and `state` as validation normalises them, and `raw` the way a merchant
    may type them instead (validation then suggests the normal form)."""

    country: str
    city: str
    state: str
    zipcode: str
    phone: str  # the country and area prefix
    streets: tuple[str, ...]
    raw_zipcode: str | None = None
    raw_state: str | None = None


US_PLACES = (
    Place("US", "Bentonville", "AR", "72712", "+1 479", ("SE J St", "Moberly Ln", "Logistics Dr"),
          "727121404", "Arkansas"),
    Place("US", "Rogers", "AR", "72756", "+1 479", ("N 2nd St", "Commerce Pkwy"), raw_state="arkansas"),
    Place("US", "Memphis", "TN", "38118", "+1 901", ("Distribution Way", "Airways Blvd"), raw_state="Tennessee"),
    Place("US", "Columbus", "OH", "43228", "+1 614", ("Westbelt Dr", "Industrial Pkwy"), "432281122", "Ohio"),
    Place("US", "Ontario", "CA", "91761", "+1 909", ("E Francis St", "S Milliken Ave"), raw_state="California"),
    Place("US", "Carlisle", "PA", "17013", "+1 717", ("Allen Rd", "Distribution Dr"), raw_state="pa"),
    Place("US", "Dallas", "TX", "75241", "+1 214", ("Cleveland Rd", "Telephone Rd"), raw_state="Texas"),
    Place("US", "Reno", "NV", "89502", "+1 775", ("Mill St", "Kietzke Ln"), raw_state="Nevada"),
)
EU_PLACES = (
    Place("NL", "Amsterdam", "Noord-Holland", "1043 AP", "+31 20", ("Kabelweg", "Radarweg"), "1043ap"),
    Place("PL", "Poznań", "Wielkopolskie", "61-248", "+48 61", ("ul. Krzywoustego", "ul. Głogowska"), "61248"),
    Place("CZ", "Praha", "Praha", "190 00", "+420 2", ("Kolbenova", "Poděbradská"), "19000"),
    Place("IE", "Dublin", "Dublin", "D11 X2R8", "+353 1", ("Ballycoolin Road", "Cappagh Road"), "d11x2r8"),
    Place("SE", "Stockholm", "Stockholms län", "164 40", "+46 8", ("Kistagången", "Torshamnsgatan"), "16440"),
    Place("PT", "Lisboa", "Lisboa", "2695-066", "+351 21", ("Rua da Indústria", "Estrada da Bobadela"),
          "2695066"),
    Place("DE", "Hamburg", "Hamburg", "22113", "+49 40", ("Halskestraße", "Billbrookdeich"), "DE-22113"),
    Place("FR", "Roissy-en-France", "Île-de-France", "95700", "+33 1", ("Rue de la Belle Borne",), "FR-95700"),
)
MX_PLACES = (
    Place("MX", "Guadalajara", "Jalisco", "44940", "+52 33", ("Av. Lázaro Cárdenas", "Calle Washington"),
          raw_state="JAL"),
    Place("MX", "Monterrey", "Nuevo León", "64000", "+52 81", ("Av. Constitución", "Calle Zaragoza"),
          raw_state="Nuevo Leon"),
    Place("MX", "Tlalnepantla", "México", "54030", "+52 55", ("Av. Gustavo Baz", "Calle Industria"),
          raw_state="MEX"),
    Place("MX", "Querétaro", "Querétaro", "76120", "+52 442", ("Av. 5 de Febrero", "Calle Pie de la Cuesta"),
          raw_state="Queretaro"),
)
PLACES = {rules.US: US_PLACES, rules.EU: EU_PLACES, rules.MX: MX_PLACES}
SUITES = ("Dock 4", "Suite 200", "Building B", "Unit 12", "Gate 3")


def make_return_warehouses(conn: Connection, *, merchant_id: str, now: datetime, rng: random.Random, count: int,
                           region: str | None = None, state: str | None = None,
                           validation_seconds: float = 300) -> list[dict[str, Any]]:
    """`count` return warehouses of the merchant in `region` (default: any) whose address_valid_state is `state`
    at `now` (default: any). Validated ones were created days ago; a VALIDATING one is created now and
    validated `validation_seconds` later. The same rng makes the same warehouses, with new ids. Answers the stored
    rows."""
    if not 1 <= count <= MAX_GENERATED:
        raise WishError("invalid_param", value=str(count), param=f"count (1 to {MAX_GENERATED})")
    if region is not None and region not in rules.REGIONS:
        raise WishError("invalid_param", value=region, param="region")
    if state is not None and state not in rules.STATES:
        raise WishError("invalid_param", value=state, param="state")
    merchant = catalogue.find_merchant(conn, merchant_id)
    if merchant is None:
        raise WishError("invalid_param", value=merchant_id, param="merchant_id")
    rows = [warehouse_row(merchant, now=now, rng=rng, region=region or rng.choice(rules.REGIONS),
                          state=state or rng.choice(rules.STATES), validation=timedelta(seconds=validation_seconds))
            | {"id": new_id()} for _ in range(count)]
    store.insert_warehouses(conn, rows)
    return rows


def warehouse_row(merchant: dict[str, Any], *, now: datetime, rng: random.Random, region: str, state: str,
                  validation: timedelta) -> dict[str, Any]:
    """One warehouse row of `region` whose state at `now` is `state`; its id too comes from rng (the seed's ids
    are deterministic)."""
    place = rng.choice(PLACES[region])
    number = rng.randint(100, 9999) if region == rules.US else rng.randint(1, 250)
    street = rng.choice(place.streets)
    phone = f"{place.phone} {rng.randint(200, 999)} {rng.randint(1000, 9999)}"
    slug = "".join(c for c in merchant["name"].lower() if c.isalnum())[:20] or "store"
    row: dict[str, Any] = {
        "id": seeded_id(rng), "merchant_id": merchant["id"], "region": region,
        "warehouse_name": program.default_name(place.city), "ship_to": merchant["name"],
        "country": place.country, "city": place.city, "state": place.state, "zipcode": place.zipcode,
        "street_address1": f"{number} {street}" if region == rules.US else f"{street} {number}",
        "street_address2": rng.choice(SUITES) if rng.random() < 0.3 else None,
        "phone_number": phone if region != rules.US or rng.random() < 0.6 else None,
        "email": f"returns@{slug}.example.com" if region == rules.EU or rng.random() < 0.7 else None,
        "undeliverable": False,
    }
    if state == rules.VALID_SUGGESTED:
        if place.raw_zipcode is not None and (place.raw_state is None or rng.random() < 0.5):
            row["zipcode"] = place.raw_zipcode
        else:
            row["state"] = place.raw_state or place.state.lower()
    elif state == rules.INVALID:
        row["zipcode"] = place.zipcode[:-1]  # a character short: fits no format
    if state == rules.VALIDATING:
        created, validate_at = now, now + max(validation, timedelta(seconds=1))
    else:
        created = (now - timedelta(days=rng.uniform(1, 120)) - validation).replace(microsecond=0)
        validate_at = created + validation
    row |= {"created_at": created, "last_updated": created, "validate_at": validate_at,
            "outcome": rules.outcome(row)}
    assert rules.address_state(row, now) == state, (row, state)  # each place validates as written above
    return row
