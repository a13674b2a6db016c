"""Rules of the Wish Returns Program, without HTTP or store: the regions and their countries, the basic checks a
return warehouse must pass at once (formatting), the address validation that decides, on the mock's clock, the
state it ends in, and what enrolment needs of a product's variations.

Address validation (the docs only say "we will validate the address. This may take several minutes"): an address
is VALIDATING until `validate_at`, then

- INVALID when its postcode does not fit its country's format, when a US or Mexican state is not a real one, when
  the city has no letter, when the street address has no letter or no number, or when the sandbox marked it
  undeliverable;
- VALID SUGGESTED ADDRESS when it is valid once normalised: a postcode's case and separators (72712-1234,
  1043 AP, 61-248, 190 00, LT-01103), a US state's name or lower case spelled as its USPS code (Arkansas -> AR), a
  Mexican state's code or unaccented name spelled as its name (JAL -> Jalisco); the warehouse then shows the
  suggested values;
- VALID USER ADDRESS when it is valid as sent.

The states' wire spellings are the ones the doc's example response prints ("VALID USER ADDRESS"), not its
table's (VALID_USER_ADDRESS)."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache
from typing import Any

from mockwish.errors import WishError
from mockwish.merchant.returns import errors
from mockwish.reference import iso_countries, regions

VALID_USER = "VALID USER ADDRESS"
VALID_SUGGESTED = "VALID SUGGESTED ADDRESS"
VALIDATING = "VALIDATING"
INVALID = "INVALID"
STATES = (VALID_USER, VALID_SUGGESTED, VALIDATING, INVALID)
VALID = (VALID_USER, VALID_SUGGESTED)

EU, MX, US = "EU", "MX", "US"
REGIONS = (EU, MX, US)
EU_MEMBERS = ("AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU", "IE", "IT",
              "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK")
COUNTRIES: dict[str, tuple[str, ...]] = {EU: EU_MEMBERS, MX: ("MX",), US: ("US",)}

ADDRESS_FIELDS = ("city", "state", "zipcode", "street_address1", "street_address2")  # an edit of one revalidates
DIMENSIONS = ("length", "width", "height", "weight")  # cm, cm, cm, g

# postcode formats: '#' a digit, '?' a letter, '*' either; anything else is written as is (a space, a dash, a
# country prefix). The first format a postcode fits, once its case and separators are set aside, is its
# normal form.
POSTCODES: dict[str, tuple[str, ...]] = {
    "US": ("#####", "#####-####"), "MX": ("#####",),
    "AT": ("####",), "BE": ("####",), "BG": ("####",), "CY": ("####",), "CZ": ("### ##",), "DE": ("#####",),
    "DK": ("####",), "EE": ("#####",), "ES": ("#####",), "FI": ("#####",), "FR": ("#####",), "GR": ("### ##",),
    "HR": ("#####",), "HU": ("####",), "IE": ("?#* ****",), "IT": ("#####",), "LT": ("LT-#####",),
    "LU": ("L-####",), "LV": ("LV-####",), "MT": ("??? ####",), "NL": ("#### ??",), "PL": ("##-###",),
    "PT": ("####-###",), "RO": ("######",), "SE": ("### ##",), "SI": ("####",), "SK": ("### ##",),
}
_SLOTS = {"#": str.isdigit, "?": lambda c: c.isascii() and c.isalpha(), "*": lambda c: c.isascii() and c.isalnum()}
_SEPARATORS = re.compile(r"[\s\-.]+")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[A-Za-z]{2,}$")
_PHONE = re.compile(r"^\+?[0-9(][0-9 ().\-/]*$")
_LETTER = re.compile(r"[^\W\d_]")


# ---- regions and basic checks (answered at once) --------------------------------------------------------------

def country_of(region: str, raw: str) -> str:
    """The ISO 3166 alpha-2 code a warehouse of `region` may be in (any case accepted)."""
    code = raw.strip().upper()
    if code not in iso_countries():
        raise WishError("invalid_param", value=raw, param="country")
    if code not in COUNTRIES[region]:
        raise WishError(errors.COUNTRY_NOT_IN_REGION, country=code, region=region,
                        allowed=", ".join(COUNTRIES[region]))
    return code


def required_contacts(region: str) -> tuple[str, ...]:
    """phone_number: "Optional for US"; email: "Optional for MX & US"."""
    return {US: (), MX: ("phone_number",), EU: ("phone_number", "email")}[region]


def check_contacts(region: str, values: dict[str, str | None]) -> None:
    """The contacts a warehouse of `region` must have, and the form of those it has."""
    for key in required_contacts(region):
        if not values.get(key):
            raise WishError(errors.REQUIRED_FOR_REGION, param=key, region=region)
    email, phone = values.get("email"), values.get("phone_number")
    if email and not _EMAIL.match(email):
        raise WishError("invalid_param", value=email, param="email")
    if phone and not (_PHONE.match(phone) and 6 <= sum(c.isdigit() for c in phone) <= 20):
        raise WishError("invalid_param", value=phone, param="phone_number")


# ---- address validation (decided on the clock) ----------------------------------------------------------------

@dataclass(frozen=True)
class Review:
    """What validation finds: the outcome and, for a suggested address, the values it suggests."""

    outcome: str
    suggested: dict[str, str] = field(default_factory=dict)


def review(address: dict[str, Any]) -> Review:
    """The outcome of validating `address` (country, state, city, zipcode, street_address1/2)."""
    country = address["country"]
    zipcode = postcode(country, address["zipcode"])
    state = state_of(country, address["state"])
    streets = " ".join(s for s in (address["street_address1"], address.get("street_address2")) if s)
    if (zipcode is None or state is None or not _LETTER.search(address["city"])
            or not _LETTER.search(address["street_address1"]) or not any(c.isdigit() for c in streets)):
        return Review(INVALID)
    suggested = {k: v for k, v in (("state", state), ("zipcode", zipcode)) if v != address[k]}
    return Review(VALID_SUGGESTED if suggested else VALID_USER, suggested)


def outcome(address: dict[str, Any], undeliverable: bool = False) -> str:
    return INVALID if undeliverable else review(address).outcome


def postcode(country: str, raw: str) -> str | None:
    """The normal form of a postcode of `country`, or None when it fits none of the country's formats."""
    formats = POSTCODES.get(country)
    core = _SEPARATORS.sub("", raw.strip().upper())
    if formats is None:  # not a Returns Program country: any postcode of letters and digits
        return core if core.isalnum() else None
    for fmt in formats:
        prefix = "".join(c for c in fmt if c.isalnum())  # a country prefix written in the format (LT-, L-)
        slots = [c for c in fmt if c in _SLOTS]
        tries = [core[len(prefix):]] if prefix and core.startswith(prefix) else []
        tries.append(core)
        if core.startswith(country):  # DK-2100, NL-1043AP
            tries.append(core[len(country):])
        for text in tries:
            if len(text) == len(slots) and all(_SLOTS[s](c) for s, c in zip(slots, text, strict=True)):
                filled = iter(text)
                return "".join(next(filled) if c in _SLOTS else c for c in fmt)
    return None


def state_of(country: str, raw: str) -> str | None:
    """The normal spelling of a state: a US state's USPS code, a Mexican state's name; elsewhere the text as sent
    (EU addresses name a province or region freely). None when a US or Mexican state does not exist."""
    text = " ".join(raw.split())
    if country not in (US, MX):
        return text or None
    folded = _fold(text)
    for prefix in (country + "-", country + "_"):
        if folded.startswith(prefix):
            folded = folded[len(prefix):]
    return _states(country).get(folded)


@cache
def _states(country: str) -> dict[str, str]:
    """Folded spelling (code or name) -> normal spelling, from the docs' Customizable Regions table."""
    out: dict[str, str] = {}
    for key, entry in regions().items():
        if entry["country"] != country:
            continue
        code = key.split("_", 1)[1]
        normal = code if country == US else entry["name"]
        out[_fold(code)] = out[_fold(entry["name"])] = normal
    if country == US:  # USPS codes the table leaves out
        for code, name in (("PR", "Puerto Rico"), ("VI", "U.S. Virgin Islands")):
            out[_fold(code)] = out[_fold(name)] = code
    if country == MX:  # renamed in 2016; the table still says Distrito Federal
        for alias in ("Distrito Federal", "DF", "DIF", "CDMX", "CMX", "Ciudad de México"):
            out[_fold(alias)] = "Ciudad de México"
        out[_fold("Estado de México")] = "México"
    return out


def _fold(text: str) -> str:
    """Upper case without accents, dots or repeated spaces: how a spelling is looked up."""
    plain = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return " ".join(plain.replace(".", " ").upper().split())


def address_state(row: dict[str, Any], now: datetime) -> str:
    """address_valid_state as of `now`: VALIDATING until validate_at, then the outcome."""
    return VALIDATING if now < row["validate_at"] else row["outcome"]


def shown_address(row: dict[str, Any], now: datetime) -> dict[str, Any]:
    """The address a warehouse shows: once validated as a suggested address, the suggested values."""
    if address_state(row, now) == VALID_SUGGESTED:
        return {**row, **review(row).suggested}
    return row


def address_changed(row: dict[str, Any], values: dict[str, Any]) -> bool:
    return any(k in values and values[k] != row[k] for k in ADDRESS_FIELDS)


# ---- product logistics ---------------------------------------------------------------------------------------

def dimensions_of(variant: dict[str, Any]) -> dict[str, float] | None:
    """length, width, height and weight of a variation when all four are set (in its LogisticsMetadata)."""
    lg = variant["logistics"] or {}
    dims = {k: lg.get(k) for k in DIMENSIONS}
    if any(not isinstance(v, int | float) or isinstance(v, bool) or v <= 0 for v in dims.values()):
        return None
    return {k: float(v) for k, v in dims.items() if v is not None}


def counted(variants: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The variations enrolment and the product's dimensions consider: those Wish has not removed (they can be
    neither sold nor returned), or all of them when Wish removed every one."""
    live = [v for v in variants if not v["removed_by_wish"]]
    return live or variants


def first_without(variants: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The first counted variation without its four dimensions (enrolment names its SKU)."""
    return next((v for v in counted(variants) if dimensions_of(v) is None), None)


def box(variants: list[dict[str, Any]]) -> dict[str, float] | None:
    """A product's dimensions: the box every counted variation fits in (the largest of each dimension and the
    heaviest weight); None when one of them has no dimensions."""
    found = [dimensions_of(v) for v in counted(variants)]
    if not found or any(d is None for d in found):
        return None
    return {k: max(d[k] for d in found if d is not None) for k in DIMENSIONS}


def with_dimensions(logistics: dict[str, Any] | None, dims: dict[str, float]) -> dict[str, Any]:
    """A variation's LogisticsMetadata with the four dimensions set (its other keys kept)."""
    return {**(logistics or {}), **dims}
