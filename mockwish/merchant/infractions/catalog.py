"""The infractions Wish issues, as data: the message (`reason`), the detail (`extra_reason`), the fine in USD
(0: a warning without a fine) and the proofs that show it, each a documented proof type naming one of the
merchant's own objects. The first entry is the doc's example ("Inappropriate content detected for product
listing", "Weapon", 10.0)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Reason:
    key: str
    reason: str
    extras: tuple[str, ...]  # extra_reason, one picked; "{n}" is replaced by a number from `numbers`
    fine_usd: float
    proofs: tuple[str, ...]  # the proof types, in the order listed
    order_states: tuple[str, ...] = ()  # which of the merchant's orders an ORDER proof names (any when empty)
    numbers: tuple[int, int] = (2, 9)
    messages: dict[str, str] = field(default_factory=dict)  # proof type -> its message (default: the reason)


REASONS: tuple[Reason, ...] = (
    Reason("inappropriate_content", "Inappropriate content detected for product listing",
           ("Weapon", "Adult content", "Drugs and drug paraphernalia", "Hazardous materials", "Tobacco products"),
           10.0, ("PRODUCT",)),
    Reason("counterfeit", "Counterfeit product detected for product listing",
           ("Product images show a registered trademark the merchant is not authorized to use",
            "Listing infringes a registered brand", "Blurred brand logo in product images"),
           10.0, ("PRODUCT", "MERCHANT"),
           messages={"MERCHANT": "Merchant listed counterfeit products"}),
    Reason("misleading_listing", "Product listing is misleading",
           ("The product received does not match the product images", "Misleading product size",
            "Product description misrepresents the material"),
           100.0, ("PRODUCT", "VARIATION", "TICKET"),
           messages={"VARIATION": "Variation shipped differs from its listing",
                     "TICKET": "Customer reported the item is not as described"}),
    Reason("late_fulfillment", "Order was fulfilled late",
           ("Order fulfilled {n} days after it was released to the merchant",),
           1.0, ("ORDER",), order_states=("SHIPPED",), numbers=(6, 12),
           messages={"ORDER": "Order fulfilled after the 5 day fulfillment window"}),
    Reason("invalid_tracking", "Order was fulfilled with an invalid tracking number",
           ("The tracking number has no carrier scan {n} days after fulfillment",
            "The tracking number was used for another order"),
           100.0, ("ORDER",), order_states=("SHIPPED",), numbers=(7, 14),
           messages={"ORDER": "Tracking number cannot be verified with the carrier"}),
    Reason("high_refund_ratio", "Product has a high refund ratio",
           ("Refund ratio of {n}% over the last 30 days",), 0.0, ("PRODUCT", "ORDER", "TICKET"),
           order_states=("REFUNDED",), numbers=(12, 35),
           messages={"ORDER": "Order refunded: item did not work as described",
                     "TICKET": "Customer asked for a refund"}),
    Reason("unresponsive_tickets", "Merchant did not respond to customer tickets in time",
           ("Ticket unanswered for more than {n} hours",), 0.0, ("TICKET",), numbers=(72, 96),
           messages={"TICKET": "Ticket was not answered within 72 hours"}),
    Reason("low_rating", "Product has a low average rating",
           ("Average rating below 3.0 over the last 90 days",), 0.0, ("PRODUCT", "RATING"),
           messages={"RATING": "1 star rating: poor quality"}),
    Reason("merchant_cancellation", "Order was cancelled by the merchant",
           ("Order refunded by the merchant before fulfillment",), 2.0, ("ORDER",), order_states=("REFUNDED",),
           messages={"ORDER": "Order cancelled before fulfillment"}),
    Reason("wish_express_late", "Wish Express order arrived late",
           ("Delivered {n} days after the required delivery date",), 5.0, ("ORDER",), order_states=("SHIPPED",),
           numbers=(1, 6), messages={"ORDER": "Wish Express order delivered after the required delivery date"}),
    Reason("account_information", "Merchant account information is incomplete or inaccurate",
           ("The store address could not be verified", "The business license does not match the store owner"),
           0.0, ("MERCHANT",)),
)
BY_KEY = {r.key: r for r in REASONS}
BY_TEXT = {r.reason: r for r in REASONS}


def custom(reason: str) -> Reason:
    """An infraction with a reason the catalogue does not know (the sandbox's own text): a warning without a
    fine, shown by the merchant itself unless a proof is named."""
    return BY_TEXT.get(reason) or Reason("custom", reason, ("",), 0.0, ("MERCHANT",))
