"""Wire layer of /returns/* (wish-merchant-api-v2.txt, Wish Returns Program): the parameters each endpoint takes
and how its answer is rendered. The operations live in returns.program, the rules in returns.rules."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from mockwish.errors import WishError
from mockwish.merchant.returns import errors, program, render, rules, store
from mockwish.merchant.returns.rules import REGIONS
from mockwish.wire.spec import Enum, Id, Num, Str, num_text, spec
from mockwish.wire.v2 import Call, V2Result, V2Router

router = V2Router("Wish Returns Program")

READ, WRITE = "returns:read", "returns:write"
PRODUCT_ID = Id("id", "The unique Wish identifier of the product", required=True)
VARIATION_ID = Id("variation_id", "Optional. The unique Wish identifier of one of the product's variations "
                  "(/variant under 'id')")
REGION = Enum("region", 'The returns region: "EU", "MX" or "US"', required=True, values=REGIONS)
WAREHOUSE_ID = Id("warehouse_id", "The unique Wish identifier of the return warehouse "
                  "(/returns/get-all-warehouses under 'id')", required=True)
STREET1_ALIAS = Str("street_address_1", "Alias of street_address1 (the doc's PHP example sends this name); "
                    "street_address1 wins when both are sent", max_len=200)


def _fields(required: bool) -> tuple[Str, ...]:
    """The warehouse's fields: required ones on create (warehouse_name and ship_to have defaults there)."""
    return (
        Str("warehouse_name", "The name of the return warehouse (create: default '<city> Return Warehouse')",
            max_len=100),
        Str("ship_to", "The entity return parcels are addressed to (create: default the merchant's name)",
            max_len=100),
        Str("phone_number", "The warehouse's phone number: optional for US, required for EU and MX", max_len=32),
        Str("email", "The warehouse's email: optional for MX and US, required for EU", max_len=254),
        Str("city", "The city the warehouse is in", required=required, max_len=100),
        Str("state", "The state (US: a state code or name; MX: a state name or code; EU: the province or "
            "region)", required=required, max_len=100),
        Str("zipcode", "The zip code / postal code", required=required, max_len=20),
        Str("street_address1", "The primary street address (required on create, as street_address1 or "
            "street_address_1)", max_len=200),
        STREET1_ALIAS,
        Str("street_address2", "Optional. The secondary street address", max_len=200),
    )


CREATE_FIELDS = (
    Enum("region", 'The region of the return warehouse: "EU", "MX" or "US"', required=True, values=REGIONS),
    Str("country", "ISO 3166 alpha-2 code of the warehouse's country: US for US, MX for MX, an EU member state "
        "for EU", required=True, max_len=8),
    *_fields(required=True),
)
EDIT_FIELDS = (WAREHOUSE_ID, *_fields(required=False))
TEXT = ("warehouse_name", "ship_to", "phone_number", "email", "city", "state", "zipcode", "street_address1",
        "street_address2")
DIMENSIONS = (
    Num("height", "The height (cm)", required=True, low=0, high=10_000, low_exclusive=True),
    Num("length", "The length (cm)", required=True, low=0, high=10_000, low_exclusive=True),
    Num("width", "The width (cm)", required=True, low=0, high=10_000, low_exclusive=True),
    Num("weight", "The weight (g)", required=True, low=0, high=1_000_000, low_exclusive=True),
)


_HIGHS = {d.name: d.high for d in DIMENSIONS}
DIMENSION_DECIMALS = 2  # what /variant's LogisticsMetadata and get-product-variation-dimensions show


def _dimensions(params: dict[str, Any]) -> dict[str, float]:
    """The four dimensions as stored and shown (to DIMENSION_DECIMALS): a value that shows as 0 is refused like 0,
    so what an ERP reads back is what was checked."""
    out = {}
    for k in rules.DIMENSIONS:
        value = round(params[k], DIMENSION_DECIMALS)
        if value <= 0:
            raise WishError("out_of_range", param=k, low=0, high=num_text(_HIGHS[k]), value=f"{params[k]:g}")
        out[k] = value
    return out


def _validation(call: Call) -> timedelta:
    return timedelta(seconds=call.ctx.settings.returns_validation_seconds)


def _text(params: dict[str, Any]) -> dict[str, Any]:
    """The warehouse fields sent, stripped (street_address_1 as street_address1); a blank one as ""."""
    out = {k: params[k].strip() for k in TEXT if k in params}
    if "street_address1" not in out and "street_address_1" in params:
        out["street_address1"] = params["street_address_1"].strip()
    return out


@router.op("/returns/get-all-warehouses", scope=READ, spec=spec(), summary="Get all Return Warehouses",
           description="Your return warehouses, each with its address and the state of its validation "
                       "(VALIDATING, then VALID USER ADDRESS, VALID SUGGESTED ADDRESS or INVALID).")
def get_all_warehouses(call: Call) -> V2Result:
    return V2Result([render.warehouse(row, call.now) for row in store.warehouses(call.conn, call.merchant_id)])


@router.op("/returns/create-return-warehouse", scope=WRITE, spec=spec(*CREATE_FIELDS),
           summary="Create a Return Warehouse",
           description="Basic validation (formatting) answers at once; the address itself is VALIDATING for "
                       "MOCKWISH_RETURNS_VALIDATION_SECONDS, then valid or INVALID.",
           errors=("invalid_param", "missing_param", "too_long", errors.COUNTRY_NOT_IN_REGION,
                   errors.REQUIRED_FOR_REGION))
def create_return_warehouse(call: Call) -> V2Result:
    values = _text(call.params)
    if not values.get("street_address1"):
        raise WishError("missing_param", param="street_address1")
    values |= {"region": call.params["region"], "country": call.params["country"]}
    row = program.create_warehouse(call.conn, merchant_id=call.merchant_id, values=values, now=call.now,
                                   validation=_validation(call))
    return V2Result(render.created(row))


@router.op("/returns/edit-return-warehouse", scope=WRITE, spec=spec(*EDIT_FIELDS),
           summary="Edit an Existing Return Warehouse",
           description="An address change (city, state, zipcode, street addresses) is validated anew; a name, "
                       "ship_to or contact change keeps the warehouse's state. The region and country of a "
                       "warehouse cannot be changed.",
           errors=("invalid_id", "invalid_param", "missing_param", "too_long", errors.WAREHOUSE_NOT_FOUND,
                   errors.REQUIRED_FOR_REGION))
def edit_return_warehouse(call: Call) -> V2Result:
    changes: dict[str, Any] = {}
    for key, value in _text(call.params).items():
        if value:
            changes[key] = value
        elif key in program.OPTIONAL:  # sent blank: cleared (unless the region needs it)
            changes[key] = None
        else:
            raise WishError("missing_param", param=key)
    program.edit_warehouse(call.conn, merchant_id=call.merchant_id, warehouse_id=call.params["warehouse_id"],
                           changes=changes, now=call.now, validation=_validation(call))
    return V2Result({})


@router.op("/returns/get-product-return-settings", scope=READ, spec=spec(PRODUCT_ID),
           summary="Get the Return Settings for a Product",
           description="The regions the product is enrolled in, each with its warehouse and is_active "
                       "(\"False\" once disabled).",
           errors=("invalid_id", "product_not_found"))
def get_product_return_settings(call: Call) -> V2Result:
    rows = program.settings(call.conn, merchant_id=call.merchant_id, product_id=call.params["id"])
    return V2Result([render.setting(r) for r in rows])


@router.op("/returns/enroll-product-in-returns", scope=WRITE, spec=spec(PRODUCT_ID, REGION, WAREHOUSE_ID),
           summary="Enroll a Product in Returns Program",
           description="Needs a return warehouse of that region whose address is valid, and length, width, "
                       "height and weight on every variation. Enrolling again changes the warehouse.",
           errors=("invalid_id", "invalid_param", "product_not_found", "product_removed",
                   errors.WAREHOUSE_NOT_FOUND, errors.REGION_MISMATCH, errors.WAREHOUSE_VALIDATING,
                   errors.WAREHOUSE_INVALID, errors.NO_LOGISTICS))
def enroll_product_in_returns(call: Call) -> V2Result:
    p = call.params
    program.enroll(call.conn, merchant_id=call.merchant_id, product_id=p["id"], region=p["region"],
                   warehouse_id=p["warehouse_id"], now=call.now)
    return V2Result({})


@router.op("/returns/disable-return-setting-for-region", scope=WRITE, spec=spec(PRODUCT_ID, REGION),
           summary="Unenroll a Product from the Returns Program",
           errors=("invalid_id", "invalid_param", "product_not_found", errors.NOT_ENROLLED))
def disable_return_setting_for_region(call: Call) -> V2Result:
    program.disable(call.conn, merchant_id=call.merchant_id, product_id=call.params["id"],
                    region=call.params["region"], now=call.now)
    return V2Result({})


@router.op("/returns/get-product-variation-dimensions", scope=READ, spec=spec(PRODUCT_ID, VARIATION_ID),
           summary="Get Product/Variation Dimensions",
           description="Without variation_id: the product's dimensions, the box every variation fits in (the "
                       "largest length, width, height and weight), with variation_id \"\".",
           errors=("invalid_id", "product_not_found", errors.VARIATION_NOT_FOUND, errors.NO_DIMENSIONS))
def get_product_variation_dimensions(call: Call) -> V2Result:
    pid = call.params["id"]
    variation_id, dims = program.dimensions(call.conn, merchant_id=call.merchant_id, product_id=pid,
                                            variation_id=call.params.get("variation_id"))
    return V2Result(render.dimensions(pid, variation_id, dims))


@router.op("/returns/set-product-logistics", scope=WRITE, spec=spec(PRODUCT_ID, VARIATION_ID, *DIMENSIONS),
           summary="Set Product Logistics",
           description="Sets length, width, height (cm) and weight (g) in the variation's LogisticsMetadata, or "
                       "in every variation's without variation_id.",
           errors=("invalid_id", "invalid_param", "missing_param", "out_of_range", "product_not_found",
                   "product_removed", errors.VARIATION_NOT_FOUND))
def set_product_logistics(call: Call) -> V2Result:
    p = call.params
    program.set_logistics(call.conn, merchant_id=call.merchant_id, product_id=p["id"],
                          variation_id=p.get("variation_id"),
                          dims=_dimensions(p),
                          now=call.now)
    return V2Result({})
