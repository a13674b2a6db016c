"""Wire layer of the read-only Fulfillment endpoints (wish-merchant-api-v2.txt, Fulfillment):
/fulfillment/get-shipping-carriers, /fulfillment/get-confirmed-delivery-countries and
/fulfillment/get-confirmed-delivery-shipping-carriers-for-country, plus the older `/order/` paths of the
last two (supplement-merchant.md §2: same answers, registered as their own operations).

Every answer comes from the reference tables (mockwish/reference/data/carriers.json and
confirmed_delivery.json), which hold the doc's lists and say where each name came from. Scope `orders:read`
for all of them, as the doc gives for the confirmed-delivery pair (it names none for get-shipping-carriers).

`country_code` is an ISO 3166-1 alpha-2 code in any case; the doc's own curl sends it quoted
(`country_code='US'`), so surrounding quotes are dropped. Anything that is not an ISO code is
1000 "<value> is an invalid country_code". A real country that does not require Confirmed Delivery is not an
error: it answers `{"carriers": [], "extra_info": {}}`, the doc's second example response of that section.
"""

from __future__ import annotations

from dataclasses import dataclass

from mockwish.reference import (
    accepted_carriers,
    confirmed_delivery_carriers,
    confirmed_delivery_countries,
    confirmed_delivery_extra_info,
    iso_countries,
)
from mockwish.wire.spec import BLANK, Param, spec
from mockwish.wire.v2 import Call, V2Result, V2Router

router = V2Router("Fulfillment")
ORDERS_READ = "orders:read"
_QUOTES = "'\""


@dataclass(frozen=True)
class CountryCode(Param):
    """An ISO 3166-1 alpha-2 country code, any case, with or without surrounding quotes."""

    def convert(self, raw: str) -> str:
        code = raw.strip(BLANK)
        while len(code) >= 2 and code[0] == code[-1] and code[0] in _QUOTES:
            code = code[1:-1].strip(BLANK)
        code = code.upper()
        if code not in iso_countries():
            raise self.invalid(raw)
        return code


COUNTRY = CountryCode("country_code", "The 2-letter (ISO 3166-1 alpha-2) country code you want to ship to, e.g. "
                                      "US; surrounding quotes are ignored", required=True)


@router.op("/fulfillment/get-shipping-carriers", scope=ORDERS_READ, summary="Accepted Shipping Providers",
           spec=spec())
def get_shipping_carriers(call: Call) -> V2Result:
    """An alphabetized list of all accepted shipping providers."""
    return V2Result({"shipping_carriers": list(accepted_carriers())})


ALIAS = " (older /order path)"  # supplement-merchant.md §2: the /order/ form KETU and ERP-L call


@router.op("/fulfillment/get-confirmed-delivery-countries", scope=ORDERS_READ, spec=spec(),
           summary="Get Countries that Require Confirmed Delivery")
@router.op("/order/get-confirmed-delivery-countries", scope=ORDERS_READ, spec=spec(),
           summary="Get Countries that Require Confirmed Delivery" + ALIAS)
def get_confirmed_delivery_countries(call: Call) -> V2Result:
    """Country codes of the countries that require Confirmed Delivery (Confirmed Delivery Policy)."""
    return V2Result({"countries": list(confirmed_delivery_countries())})


@router.op("/fulfillment/get-confirmed-delivery-shipping-carriers-for-country", scope=ORDERS_READ,
           spec=spec(COUNTRY), summary="Get Confirmed Delivery Shipping Carriers For Country")
@router.op("/order/get-confirmed-delivery-shipping-carriers-for-country", scope=ORDERS_READ,
           spec=spec(COUNTRY), summary="Get Confirmed Delivery Shipping Carriers For Country" + ALIAS)
def get_confirmed_delivery_carriers(call: Call) -> V2Result:
    """The shipping carriers that provide tracking with Delivery Confirmation to a country, and in `extra_info`
    a link per carrier describing its additional requirements. A country that does not require Confirmed
    Delivery answers an empty list and an empty `extra_info` (the doc's second example response)."""
    country: str = call.params["country_code"]
    return V2Result({"carriers": list(confirmed_delivery_carriers(country)),
                     "extra_info": confirmed_delivery_extra_info(country)})
