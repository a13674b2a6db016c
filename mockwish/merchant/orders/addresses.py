"""Buyers and shipping addresses valid for their country, from Faker's locale of that country (or, for the
small shippable countries Faker has no address data for, real city and street names with the country's
postcode format). Deterministic for a given seed.

Fast enough for 10,000 orders: Faker instances are built once per process and locale, and each country
keeps pools of names, streets, localities and phones that grow with the country's share of the orders
(8 of each, one more per 16 addresses, at most POOL); past that, addresses are new combinations of pooled
parts, which costs no Faker call at all."""

from __future__ import annotations

import random
import threading
from dataclasses import dataclass
from typing import Any

from faker import Faker

POOL = 64  # at most this many distinct values per component and country; then parts are recombined

# country -> Faker locale (names, streets, cities, postcodes and phones of that country)
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
    """A shippable country Faker has no address data for: buyer names from a neighbouring locale, a few real
    cities and streets, and the national postcode format ('#' a digit, '?' a capital letter)."""

    names: str
    cities: tuple[str, ...]
    streets: tuple[str, ...]
    postcode: str


SMALL: dict[str, Local] = {
    "AD": Local("es_ES", ("Andorra la Vella", "Escaldes-Engordany"), ("Avinguda Meritxell", "Carrer Major"), "AD###"),
    "AL": Local("hr_HR", ("Tirana", "Durrës", "Vlorë"), ("Rruga e Durrësit", "Bulevardi Zogu I"), "####"),
    "BA": Local("hr_HR", ("Sarajevo", "Banja Luka", "Mostar"), ("Ferhadija", "Maršala Tita"), "#####"),
    "BG": Local("bg_BG", ("Sofia", "Plovdiv", "Varna", "Burgas"), ("bul. Vitosha", "ul. Graf Ignatiev"), "####"),
    "CR": Local("es_MX", ("San José", "Alajuela", "Heredia"), ("Avenida Central", "Calle 5"), "#####"),
    "EE": Local("et_EE", ("Tallinn", "Tartu", "Pärnu"), ("Narva mnt", "Pärnu mnt", "Tartu mnt"), "#####"),
    "GI": Local("en_GB", ("Gibraltar",), ("Main Street", "Irish Town", "Queensway"), "GX11 1AA"),
    "IS": Local("is_IS", ("Reykjavík", "Kópavogur", "Akureyri"), ("Laugavegur", "Skólavörðustígur"), "###"),
    "LI": Local("de_LI", ("Vaduz", "Schaan", "Balzers"), ("Städtle", "Landstrasse"), "949#"),
    "LT": Local("lt_LT", ("Vilnius", "Kaunas", "Klaipėda"), ("Gedimino pr.", "Laisvės al.", "Pilies g."), "LT-#####"),
    "LU": Local("de_LU", ("Luxembourg", "Esch-sur-Alzette"), ("Grand-Rue", "Avenue de la Gare"), "L-####"),
    "LV": Local("lv_LV", ("Rīga", "Daugavpils", "Liepāja"), ("Brīvības iela", "Elizabetes iela"), "LV-####"),
    "MC": Local("fr_FR", ("Monaco",), ("Boulevard des Moulins", "Avenue de la Costa"), "980##"),
    "MD": Local("ro_RO", ("Chișinău", "Bălți", "Cahul"), ("Bulevardul Ștefan cel Mare", "Strada Pușkin"), "MD-####"),
    "ME": Local("hr_HR", ("Podgorica", "Nikšić", "Budva"), ("Bulevar Svetog Petra Cetinjskog", "Njegoševa"), "8####"),
    "MT": Local("en_GB", ("Valletta", "Sliema", "Birkirkara"), ("Triq ir-Repubblika", "Triq il-Merkanti"), "???? ####"),
    "PE": Local("es_CL", ("Lima", "Arequipa", "Trujillo"), ("Avenida Larco", "Jirón de la Unión"), "#####"),
    "PR": Local("es_MX", ("San Juan", "Bayamón", "Ponce"), ("Calle Loíza", "Avenida Ashford"), "009##"),
    "RS": Local("hr_HR", ("Beograd", "Novi Sad", "Niš"), ("Knez Mihailova", "Bulevar oslobođenja"), "#####"),
    "SG": Local("en_GB", ("Singapore",), ("Orchard Road", "Tampines Avenue 4", "Ang Mo Kio Avenue 3"), "######"),
    "SM": Local("it_IT", ("San Marino", "Serravalle"), ("Contrada Santa Croce", "Via Tre Settembre"), "4789#"),
    "VI": Local("en_US", ("Charlotte Amalie", "Christiansted"), ("Main Street", "Veterans Drive"), "008##"),
}

_FAKERS: dict[str, Faker] = {}
_LOCK = threading.Lock()  # the cached Faker instances are shared; each book swaps in its own random


def _faker(locale: str) -> Faker:
    fake = _FAKERS.get(locale)
    if fake is None:
        fake = _FAKERS[locale] = Faker(locale)
    return fake


def _phone(fake: Faker) -> str:
    return fake.phone_number().split("x")[0].strip()


def pattern(rng: random.Random, template: str) -> str:
    """A random text of a pattern: '#' a digit, '?' a capital letter, anything else as it is."""
    return "".join(str(rng.randrange(10)) if ch == "#" else chr(65 + rng.randrange(26)) if ch == "?" else ch
                   for ch in template)


class AddressBook:
    """ShippingDetail dicts (keys of mockwish.merchant.orders.rules.ADDRESS_KEYS, `state` only where the
    country has one) for a seed. Not thread-safe itself; shares Faker instances safely with other books."""

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
        small = SMALL.get(country)
        locale = small.names if small else LOCALES.get(country, "en_US")
        with _LOCK:
            fake = _faker(locale)
            fake.random = self._randoms.setdefault(locale, random.Random(f"{self.seed}-{locale}"))  # type: ignore[attr-defined]  # faker's proxy.pyi omits the random property
            if key == "name":
                return fake.name()
            if key == "phone":
                return _phone(fake)
            if small is not None:
                return self._small(small, key)
            return self._street(fake, country) if key == "street" else self._locality(fake, country)

    def _small(self, small: Local, key: str) -> Any:
        rng = self.rng
        if key == "street":
            return f"{rng.choice(small.streets)} {rng.randint(1, 220)}", None
        return rng.choice(small.cities), None, pattern(rng, small.postcode)

    def _street(self, fake: Faker, country: str) -> tuple[str, str | None]:
        if country == "JP":
            return f"{fake.town()}{fake.chome()}{fake.ban()}{fake.gou()}", None
        lines = [line.strip() for line in fake.street_address().split("\n") if line.strip()]
        street1, street2 = lines[-1], (" ".join(lines[:-1]) or None)  # "Flat 3\n12 High St" -> 12 High St, Flat 3
        if street2 is None and country in ("US", "CA", "AU") and self.rng.random() < 0.25:
            street2 = fake.secondary_address()
        return street1, street2

    def _locality(self, fake: Faker, country: str) -> tuple[str, str | None, str]:
        city, state, zipcode = fake.city(), None, fake.postcode()
        if country == "US":
            state = fake.state_abbr(include_territories=False, include_freely_associated_states=False)
            zipcode = fake.postcode_in_state(state)
        elif country == "CA":
            state = fake.province_abbr()
            code = fake.postcode_in_province(state).replace(" ", "")
            zipcode = f"{code[:3]} {code[3:]}"
        elif country in ("AU", "IT"):
            state = fake.state_abbr()
        elif country == "MX":
            state, zipcode = fake.state_abbr(), "".join(ch for ch in zipcode if ch.isdigit())[:5]
        elif country == "BR":
            digits = "".join(ch for ch in zipcode if ch.isdigit())
            state, zipcode = fake.estado_sigla(), f"{digits[:5]}-{digits[5:8]}"
        elif country == "JP":
            state = fake.prefecture()
        elif country == "ES":
            state = fake.state()
        return city, state, zipcode
