"""Unit tests of the Wish Returns Program's rules (mockwish.merchant.returns.rules): postcode and state
normalisation, the outcome address validation decides, the state read on the clock, the basic checks answered at
once, and what a product's dimensions are. No HTTP, no store."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest

from mockwish.errors import WishError
from mockwish.merchant.returns import errors, rules
from mockwish.merchant.returns.generate import PLACES

NOW = datetime(2024, 5, 1, 12, 0, 0)


def address(**changes: Any) -> dict[str, Any]:
    base = {"country": "US", "state": "AR", "city": "Bentonville", "zipcode": "72712",
            "street_address1": "4123 Example Street", "street_address2": None}
    return base | changes


# ---- postcodes -----------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("country", "raw", "normal"), [
    ("US", "72712", "72712"), ("US", "72712-1404", "72712-1404"), ("US", "727121404", "72712-1404"),
    ("US", " 72712 ", "72712"), ("MX", "44940", "44940"), ("NL", "1043 AP", "1043 AP"), ("NL", "1043ap", "1043 AP"),
    ("NL", "NL-1043 AP", "1043 AP"), ("PL", "61248", "61-248"), ("CZ", "19000", "190 00"), ("SE", "164-40", "164 40"),
    ("IE", "d11x2r8", "D11 X2R8"), ("IE", "D6W X285", "D6W X285"), ("PT", "2695066", "2695-066"),
    ("LT", "01103", "LT-01103"), ("LT", "LT-01103", "LT-01103"), ("LV", "lv 1050", "LV-1050"),
    ("LU", "1616", "L-1616"), ("MT", "vlt1117", "VLT 1117"), ("DK", "DK-2100", "2100"), ("DE", "DE-22113", "22113"),
    ("RO", "010011", "010011"), ("FR", "95700", "95700"),
])
def test_postcode_normal_forms(country: str, raw: str, normal: str) -> None:
    assert rules.postcode(country, raw) == normal


@pytest.mark.parametrize(("country", "raw"), [
    ("US", "7271"), ("US", "727123"), ("US", "ABCDE"), ("US", "11111-11"), ("MX", "4494"), ("NL", "1043 A"),
    ("NL", "AP 1043"), ("IE", "D11 X2R"), ("DE", "221130"), ("PL", "6124"), ("FR", ""), ("MT", "1117 VLT"),
])
def test_postcodes_that_fit_no_format(country: str, raw: str) -> None:
    assert rules.postcode(country, raw) is None


def test_every_region_country_has_a_postcode_format() -> None:
    assert {c for countries in rules.COUNTRIES.values() for c in countries} == set(rules.POSTCODES)
    assert len(rules.EU_MEMBERS) == 27


# ---- states --------------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("country", "raw", "normal"), [
    ("US", "AR", "AR"), ("US", "ar", "AR"), ("US", "Arkansas", "AR"), ("US", "  new   york ", "NY"),
    ("US", "US-TX", "TX"), ("US", "District of Columbia", "DC"), ("US", "PR", "PR"), ("US", "AP", "AP"),
    ("MX", "Jalisco", "Jalisco"), ("MX", "JAL", "Jalisco"), ("MX", "Nuevo Leon", "Nuevo León"),
    ("MX", "MX-QUE", "Querétaro"), ("MX", "CDMX", "Ciudad de México"), ("MX", "Distrito Federal", "Ciudad de México"),
    ("MX", "Edo. de México", None), ("MX", "Estado de México", "México"),
    ("DE", "Hamburg", "Hamburg"), ("FR", "Île-de-France", "Île-de-France"), ("NL", " Noord-Holland ", "Noord-Holland"),
])
def test_state_normal_spellings(country: str, raw: str, normal: str | None) -> None:
    assert rules.state_of(country, raw) == normal


@pytest.mark.parametrize(("country", "raw"), [("US", "TestState"), ("US", "Arkansaw"), ("US", "ZZ"),
                                              ("MX", "Texas"), ("MX", "TX"), ("DE", "   ")])
def test_unknown_states(country: str, raw: str) -> None:
    assert rules.state_of(country, raw) is None


# ---- the outcome of validation -------------------------------------------------------------------------------

def test_a_valid_address_as_sent_is_the_users() -> None:
    assert rules.review(address()) == rules.Review(rules.VALID_USER, {})
    assert rules.outcome(address(country="MX", state="Jalisco", city="Guadalajara", zipcode="44940",
                                 street_address1="Av. Lázaro Cárdenas 120")) == rules.VALID_USER
    assert rules.outcome(address(country="NL", state="Noord-Holland", city="Amsterdam", zipcode="1043 AP",
                                 street_address1="Kabelweg 37")) == rules.VALID_USER


def test_a_normalised_address_is_a_suggested_one_with_the_suggested_values() -> None:
    found = rules.review(address(state="Arkansas", zipcode="727121404"))
    assert found == rules.Review(rules.VALID_SUGGESTED, {"state": "AR", "zipcode": "72712-1404"})
    found = rules.review(address(country="MX", state="JAL", city="Guadalajara", zipcode="44940"))
    assert found == rules.Review(rules.VALID_SUGGESTED, {"state": "Jalisco"})
    found = rules.review(address(country="PL", state="Wielkopolskie", city="Poznań", zipcode="61248"))
    assert found == rules.Review(rules.VALID_SUGGESTED, {"zipcode": "61-248"})


@pytest.mark.parametrize("changes", [
    {"zipcode": "7271"},  # a digit short
    {"state": "TestState"},  # the doc's create example
    {"city": "12345"},  # no letter
    {"street_address1": "4123"},  # no street name
    {"street_address1": "Example Street"},  # no number
    {"country": "MX", "state": "AR"},  # not a Mexican state
    {"country": "NL", "state": "Noord-Holland", "zipcode": "72712-1404"},
])
def test_invalid_addresses(changes: dict[str, str]) -> None:
    assert rules.review(address(**changes)) == rules.Review(rules.INVALID)


def test_the_number_may_be_in_the_second_street_line() -> None:
    assert rules.outcome(address(street_address1="Example Street", street_address2="Dock 4")) == rules.VALID_USER


def test_an_undeliverable_address_is_invalid_whatever_it_reads() -> None:
    assert rules.outcome(address(), undeliverable=True) == rules.INVALID


def test_the_doc_example_of_create_is_invalid() -> None:
    doc = address(street_address1="20 Test Drive", city="TestCity", state="TestState", zipcode="11111")
    assert rules.outcome(doc) == rules.INVALID


@pytest.mark.parametrize("region", rules.REGIONS)
def test_the_generator_places_validate_as_written(region: str) -> None:
    """Each place's normal address is the user's; its raw spellings are suggested back to their normal form."""
    for place in PLACES[region]:
        normal = address(country=place.country, state=place.state, city=place.city, zipcode=place.zipcode,
                         street_address1=f"{place.streets[0]} 12")
        assert rules.review(normal) == rules.Review(rules.VALID_USER), place
        if place.raw_zipcode:
            found = rules.review(normal | {"zipcode": place.raw_zipcode})
            assert found.outcome == rules.VALID_SUGGESTED and set(found.suggested) == {"zipcode"}, place
            assert found.suggested["zipcode"].startswith(place.zipcode), place  # 727121404 -> 72712-1404
        if place.raw_state:
            found = rules.review(normal | {"state": place.raw_state})
            assert found == rules.Review(rules.VALID_SUGGESTED, {"state": place.state}), place
        assert rules.outcome(normal | {"zipcode": place.zipcode[:-1]}) == rules.INVALID, place


# ---- the state on the clock ----------------------------------------------------------------------------------

def test_validating_until_validate_at_then_the_outcome() -> None:
    row = address(validate_at=NOW, outcome=rules.VALID_SUGGESTED, state="Arkansas")
    assert rules.address_state(row, NOW - timedelta(seconds=1)) == rules.VALIDATING
    assert rules.address_state(row, NOW) == rules.VALID_SUGGESTED
    assert rules.shown_address(row, NOW - timedelta(seconds=1))["state"] == "Arkansas"  # as sent, until validated
    assert rules.shown_address(row, NOW)["state"] == "AR"


def test_only_a_suggested_address_shows_other_values() -> None:
    row = address(validate_at=NOW, outcome=rules.INVALID, state="Arkansas")
    assert rules.shown_address(row, NOW) == row


def test_address_changed_compares_the_address_fields_only() -> None:
    row = address(warehouse_name="A", phone_number=None)
    assert not rules.address_changed(row, {"warehouse_name": "B", "phone_number": "+1 479 555 0100"})
    assert not rules.address_changed(row, {"city": "Bentonville"})
    assert rules.address_changed(row, {"city": "Rogers"})
    assert rules.address_changed(row, {"street_address2": "Dock 4"})


def test_the_wire_spellings_of_the_states() -> None:
    assert rules.STATES == ("VALID USER ADDRESS", "VALID SUGGESTED ADDRESS", "VALIDATING", "INVALID")


# ---- basic checks --------------------------------------------------------------------------------------------

def test_country_of_a_region() -> None:
    assert rules.country_of("US", "us") == "US"
    assert rules.country_of("EU", "fr") == "FR"
    with pytest.raises(WishError) as err:
        rules.country_of("EU", "GB")  # no longer a member state
    assert err.value.definition.key == errors.COUNTRY_NOT_IN_REGION
    with pytest.raises(WishError) as err:
        rules.country_of("US", "USA")
    assert err.value.definition.key == "invalid_param"


@pytest.mark.parametrize(("region", "values", "key"), [
    ("US", {}, None),
    ("MX", {"phone_number": "+52 33 555 0100"}, None),
    ("MX", {}, errors.REQUIRED_FOR_REGION),
    ("EU", {"phone_number": "+31 20 555 0100"}, errors.REQUIRED_FOR_REGION),
    ("EU", {"email": "returns@example.com"}, errors.REQUIRED_FOR_REGION),
    ("EU", {"email": "returns@example.com", "phone_number": "+31 20 555 0100"}, None),
    ("US", {"email": "returns@"}, "invalid_param"),
    ("US", {"phone_number": "call me"}, "invalid_param"),
    ("US", {"phone_number": "12345"}, "invalid_param"),  # too few digits
    ("US", {"phone_number": "(479) 555-0100"}, None),
])
def test_contacts(region: str, values: dict[str, str], key: str | None) -> None:
    if key is None:
        rules.check_contacts(region, values)
        return
    with pytest.raises(WishError) as err:
        rules.check_contacts(region, values)
    assert err.value.definition.key == key


# ---- dimensions ----------------------------------------------------------------------------------------------

def variation(sku: str, removed: bool = False, **dims: float) -> dict[str, Any]:
    return {"sku": sku, "removed_by_wish": removed, "logistics": {"declared_name": "Bottle", **dims} if dims else None}


FULL = {"length": 10.0, "width": 5.0, "height": 2.0, "weight": 300.0}


def test_dimensions_need_all_four_positive() -> None:
    assert rules.dimensions_of(variation("a", **FULL)) == FULL
    assert rules.dimensions_of(variation("a")) is None
    assert rules.dimensions_of(variation("a", **{**FULL, "weight": 0})) is None
    partial = dict(FULL)
    del partial["height"]
    assert rules.dimensions_of(variation("a", **partial)) is None


def test_the_box_of_a_product_fits_every_variation() -> None:
    small = variation("s", length=10, width=8, height=1, weight=100)
    large = variation("l", length=12, width=5, height=3, weight=90)
    assert rules.box([small, large]) == {"length": 12, "width": 8, "height": 3, "weight": 100}
    assert rules.box([small, variation("x")]) is None
    assert rules.first_without([small, variation("x"), variation("y")])["sku"] == "x"  # type: ignore[index]


def test_variations_removed_by_wish_do_not_count_unless_all_are() -> None:
    ok = variation("ok", **FULL)
    gone = variation("gone", removed=True)
    assert rules.first_without([ok, gone]) is None
    assert rules.box([ok, gone]) == FULL
    assert rules.first_without([gone]) == gone


def test_with_dimensions_keeps_the_other_logistics() -> None:
    merged = rules.with_dimensions({"declared_name": "Bottle", "length": 1.0}, FULL)
    assert merged == {"declared_name": "Bottle", **FULL}
    assert rules.with_dimensions(None, FULL) == FULL
