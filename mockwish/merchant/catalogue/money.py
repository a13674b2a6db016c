"""Localized pricing. USD-paid merchants set USD prices (the localized value follows the rate unless
given); merchants paid in another currency must set the localized value and cannot set USD prices."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from mockwish.errors import WishError
from mockwish.reference import currency_rates

HIDDEN_USD = 999999  # what Wish shows in USD fields to merchants paid in another currency


@dataclass(frozen=True)
class Wallet:
    payment_currency: str
    localized_currency: str

    @property
    def non_usd(self) -> bool:
        return self.payment_currency != "USD"

    @property
    def rate(self) -> float:
        return currency_rates().get(self.localized_currency, 1.0)


def check_currency_code(wallet: Wallet, params: dict[str, Any], localized_fields: tuple[str, ...]) -> None:
    """localized_currency_code must come with localized fields and must be the merchant's currency."""
    code = params.get("localized_currency_code")
    if code is not None and code.upper() != wallet.localized_currency:
        raise WishError("currency_mismatch", expected=wallet.localized_currency, value=code)
    if code is None and any(f in params for f in localized_fields):
        raise WishError("missing_param", param="localized_currency_code")


def amount(wallet: Wallet, params: dict[str, Any], usd_field: str, local_field: str, *, required: bool,
           usd_max: float) -> tuple[float, float] | None:
    """(usd, localized) for a price-like pair of params, or None when neither was sent."""
    usd = params.get(usd_field)
    local = params.get(local_field)
    if wallet.non_usd:
        if usd is not None:
            raise WishError("usd_not_allowed", param=usd_field, currency=wallet.payment_currency,
                            localized=local_field)
        if local is None:
            if required:
                raise WishError("localized_required", param=local_field, currency=wallet.payment_currency)
            return None
        usd = round(local / wallet.rate, 2)
    else:
        if usd is None:
            if local is not None:  # a USD merchant may still set only the localized display value
                return (round(local / wallet.rate, 2), local)
            if required:
                raise WishError("missing_param", param=usd_field)
            return None
        if local is None:
            local = round(usd * wallet.rate, 2)
    if usd > usd_max:
        raise WishError("out_of_range", param=local_field if wallet.non_usd else usd_field, low=0,
                        high=f"{usd_max:g} USD", value=f"{usd:.2f} USD")
    return (float(usd), float(local))
