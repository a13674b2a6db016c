"""What Wish tells a merchant, as data: the kinds of dashboard notification (each about the merchant's own orders,
products, tickets and releases where it names one), the Account Manager's announcements, and the System Updates
(the doc's two examples, with dates moved to the clock, and four more in the same voice)."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from mockwish.merchant.notifications.rules import month_name

DASHBOARD = "https://merchant.wish.com"
DAY = timedelta(days=1)


@dataclass
class Context:
    """The merchant's own things a notification may name (read by generate.context)."""

    merchant_id: str
    currency: str
    refunded: list[tuple[str, str]] = field(default_factory=list)  # (order id, refund reason)
    to_fulfill: int = 0
    products: list[tuple[str, str]] = field(default_factory=list)  # (product id, name)
    rejected: list[tuple[str, str]] = field(default_factory=list)  # rejected products: (id, name)
    tickets: list[str] = field(default_factory=list)  # tickets awaiting the merchant
    releases: list[tuple[str, str]] = field(default_factory=list)  # (System Update id, its first feature's title)


Text = tuple[str, str, str]  # title, message, perma_link
Kind = Callable[[random.Random, Context, datetime], Text | None]


def _payment(rng: random.Random, ctx: Context, now: datetime) -> Text:
    # Wish pays twice a month, for the periods ending on the 1st and the 15th
    end = now.replace(day=15) if now.day > 15 else now.replace(day=1)
    amount = round(rng.uniform(150, 9000) * (6.0 if ctx.currency == "CNY" else 1.0), 2)
    return ("Your payment has been sent",
            f"Your payment of {amount:,.2f} {ctx.currency} for the period ending {month_name(end)} {end.day:02d}, "
            f"{end.year} has been sent. Please allow 1-3 business days for it to arrive in your account.",
            f"{DASHBOARD}/payments")


def _refund(rng: random.Random, ctx: Context, now: datetime) -> Text | None:
    if not ctx.refunded:
        return None
    order_id, reason = rng.choice(ctx.refunded)
    return (f"New refund on order {order_id}",
            f"A customer was refunded for order {order_id}. Reason: {reason}. Refunds you are responsible for are "
            "deducted from your next payment.",
            f"{DASHBOARD}/transaction/{order_id}")


_REJECTIONS = ("the product images contain a watermark", "the listing is for a prohibited product",
               "the product title does not describe the item shown in the main image",
               "the listing may infringe the intellectual property of others")


def _rejected(rng: random.Random, ctx: Context, now: datetime) -> Text | None:
    pool = ctx.rejected or ctx.products
    if not pool:
        return None
    pid, name = rng.choice(pool)
    return ("Your product was rejected",
            f"'{name}' ({pid}) was rejected during review: {rng.choice(_REJECTIONS)}. Edit the listing to meet "
            "Wish's product listing guidelines and it will be reviewed again.",
            f"{DASHBOARD}/product/edit/{pid}")


def _ticket(rng: random.Random, ctx: Context, now: datetime) -> Text | None:
    if not ctx.tickets:
        return None
    tid = rng.choice(ctx.tickets)
    return ("A customer is waiting for your response",
            f"Ticket {tid} is awaiting your response. Tickets not answered within 48 hours may be refunded "
            "automatically and count against your customer service score.",
            f"{DASHBOARD}/ticket/{tid}")


_POLICIES = (
    ("Policy update: Prohibited products",
     "Wish has updated its list of prohibited products. Listings of weapons, weapon accessories and hazardous "
     "materials are removed and may be fined.", "policy/inappropriate"),
    ("Policy update: Intellectual property",
     "Wish has updated its policy on counterfeit and intellectual property infringement. Merchants who list "
     "counterfeit products may be fined and have their payments withheld.", "policy/ip"),
    ("Policy update: Fulfillment and delivery",
     "Orders must be fulfilled within 5 calendar days with a valid tracking number from a qualified carrier. "
     "Orders fulfilled late may be fined.", "policy/fulfillment"),
    ("Policy update: Wish Express",
     "Wish Express orders must arrive by the required delivery date. Late arrivals may lead to fines and the "
     "loss of Wish Express eligibility.", "policy/wish-express"),
)


def _policy(rng: random.Random, ctx: Context, now: datetime) -> Text:
    title, message, path = rng.choice(_POLICIES)
    return title, message, f"{DASHBOARD}/{path}"


def _release(rng: random.Random, ctx: Context, now: datetime) -> Text | None:
    """The doc's own example: title 'There is a new ...', the feature's title as message, a /release/ link."""
    if not ctx.releases:
        return None
    release_id, title = rng.choice(ctx.releases)
    return "There is a new system update", title, f"{DASHBOARD}/release/{release_id}"


def _fulfill(rng: random.Random, ctx: Context, now: datetime) -> Text | None:
    if not ctx.to_fulfill:
        return None
    n = ctx.to_fulfill
    return ("You have orders to fulfill",
            f"{n} order{'s are' if n > 1 else ' is'} awaiting fulfillment. Fulfill orders within 5 days of the order "
            "being released to avoid being fined for late fulfillment.",
            f"{DASHBOARD}/transactions/action")


def _account_manager(rng: random.Random, ctx: Context, now: datetime) -> Text:
    return ("You have a new message from your Account Manager",
            "Your Account Manager has sent you an announcement. Read it on the home page of your Merchant Dashboard.",
            f"{DASHBOARD}/home")


def _low_inventory(rng: random.Random, ctx: Context, now: datetime) -> Text | None:
    if not ctx.products:
        return None
    pid, name = rng.choice(ctx.products)
    return ("Some of your products are running low on inventory",
            f"'{name}' ({pid}) has fewer than {rng.choice((5, 10, 20))} units left in stock. Update its inventory "
            "so that customers can keep ordering it.",
            f"{DASHBOARD}/product/edit/{pid}")


KINDS: dict[str, Kind] = {
    "payment": _payment, "refund": _refund, "product_rejected": _rejected, "ticket": _ticket,
    "policy_update": _policy, "system_update": _release, "orders_to_fulfill": _fulfill,
    "account_manager": _account_manager, "low_inventory": _low_inventory,
}


def infraction_text(infraction_id: str, reason: str) -> Text:
    """The notification Wish posts with a new infraction."""
    return ("You have a new infraction",
            f"{reason}. Review the infraction and, if you disagree, dispute it within 90 days.",
            f"{DASHBOARD}/warning/view/{infraction_id}")


# ---- Account Manager announcements ------------------------------------------------------------------------

ACCOUNT_MANAGERS = ("Tracy Zhang", "Kevin Liu", "Amy Chen", "Jason Wang", "Lily Huang", "Daniel Brooks",
                    "Sophie Martin", "Ryan Patel")

BD_TEXTS: tuple[tuple[str, str], ...] = (
    ("关于下调Wish Express产品运费门槛的通知",
     "感谢大家一直以来对Wish的支持！自下个月起，Wish Express产品的妥投时效要求保持不变，"
     "但加入Wish Express的产品门槛将下调，更多产品可以享受流量扶持。请及时检查您的海外仓库存，"
     "并为热销产品开通Wish Express。如有疑问，请随时联系我。"),
    ("Merchant meetup: growing your sales on Wish",
     "Dear merchant, we are hosting a merchant meetup next month with sessions on product listing quality, "
     "ProductBoost and Wish Express. Seats are limited: reply to this announcement to reserve yours."),
    ("Training: how to lower your refund rate",
     "Join our free online training this Thursday at 10:00 AM (UTC+8). We will go through the main causes of "
     "refunds on Wish (late delivery, items not as described, size issues) and how to avoid them."),
    ("需要您关注：部分产品退款率偏高",
     "您好！我们注意到您店铺中有几款产品近30天的退款率高于平台平均水平。请检查这些产品的描述、尺码表和图片是否与实物"
     "一致，并尽快优化，以免产品被限流或产生罚款。"),
    ("New feature: local currency payments",
     "You can now receive your payments in your local currency. Go to Account > Payment Settings to choose your "
     "payment provider and currency. Contact me if you need help with the switch."),
    ("关于商户培训课程的通知",
     "为帮助商户更好地运营店铺，我们将于本周五下午举办线上培训，内容包括：产品上架规范、知识产权政策解读、物流选择"
     "与时效优化。欢迎大家报名参加。"),
)


# ---- System Updates ---------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Release:
    """A System Update to seed: released `days_ago`, with its features (stored as the table keeps them)."""

    days_ago: float
    features: tuple[dict[str, Any], ...]
    doc_id: str | None = None  # the id the doc's example prints (given to the docs' merchant only)


def _shipping_prices_feature() -> dict[str, Any]:
    """The doc's first example (released 'Thursday May 19, 2016'), as printed."""
    return {
        "title": "New Feature About Updating International Shipping Prices Per Product",
        "cn_title": "关于更新每个产品国际运费的新功能",
        "body": "We are very excited to announce that you can set international shipping prices per product now. No "
                "matter what sizes and weights your products are or what countries you are shipping to, you can "
                "always set shipping prices accordingly. You can start with changing overall default shipping prices "
                "on shipping settings page. Next step is to update per product shipping prices for specific "
                "countries by updating manually or a CSV file.\n\nFor a step to step guide, please visit our FAQ "
                "page for more information:",
        "cn_body": "尊敬的商户,我们非常荣幸的通知您,您现在可以给每个产品针对不同国家来设置不同运费了。"
                   "无论您的产品是什么尺寸和重量或者要寄往哪些国家,您总可以根据不同的产品设定邮费。"
                   "操作方法如下,您可以先使用配送设置页面来设置每个国家的默认运费,"
                   "再去产品一览页面根据不同的国家更改每个产品的运费,可以手动修改或者上传CSV文件。 "
                   "如果您想要获取更多信息和具体操作步骤,请访问常见问题:",
        "link": "https://merchantfaq.wish.com/hc/en-us/articles/218812008",
        "cn_link": "https://merchantfaq.wish.com/hc/zh-cn/articles/218812008",
        "categories": ["LOGISTICS_PRICING", "ORDERS", "PRODUCTS"], "program": "ADVANCED_LOGISTICS",
        "important": False, "cta_text_en": "", "cta_text_cn": "", "cta_after_seconds": None,
    }


def _part(at: datetime) -> tuple[str, str]:
    """Which part of its month a day is in, in English and Chinese."""
    if at.day <= 10:
        return "early", "上旬"
    return ("mid", "中旬") if at.day <= 20 else ("late", "下旬")


DATED = "dated_by_release"  # a feature whose texts name dates counted from its release (rewritten when read)


def dated_texts(feature: dict[str, Any], released: datetime) -> dict[str, Any]:
    """`feature` with the texts its release dates (the Wish Express one): written again from the release as it
    is now, since a sandbox reset moves the release with the clock but not the words stored with it."""
    return {**feature, **wish_express_feature(released)} if feature.get(DATED) else feature


def wish_express_feature(released: datetime) -> dict[str, Any]:
    """The doc's second example, its dates moved with its release: inventory due 30 days after the release at
    noon UTC (the doc: released December 11 2019, due January 10, 2020 12:00 PM UTC), the busy weeks after."""
    released = released.replace(microsecond=0)  # whole seconds to the due instant: the release plus them is due
    due = (released + 30 * DAY).replace(hour=12, minute=0, second=0, microsecond=0)
    peak, end = due + 5 * DAY, due + 26 * DAY
    due_en = f"{month_name(due)} {due.day}, {due.year}"
    due_cn = f"{due.year}年{due.month}月{due.day}日"
    window_en = f"{_part(peak)[0]} {month_name(peak)} to {_part(end)[0]} {month_name(end)} {end.year}"
    window_en_body = f"{_part(peak)[0]} {month_name(peak)} and {_part(end)[0]} {month_name(end)}, {end.year}"
    window_cn = f"{peak.year}年{peak.month}月{_part(peak)[1]}至{end.month}月{_part(end)[1]}"
    return {
        "title": "Prepare sufficient Wish Express inventory in anticipation of increased demand for faster shipping "
                 f"Wish products {window_en}",
        "cn_title": f"针对{window_cn}消费者对更快速发货的Wish产品需求的增加,请商户们及时准备充足的Wish Express库存",
        "body": "Based on historical data analysis, Wish products that offer fast-shipping options such as those with "
                "Wish Express enabled will likely experience an increased demand from customers between "
                f"{window_en_body}.\n\nIn anticipation of this potentially increased demand and sales for Wish "
                "Express products overall, Wish Express merchants are strongly encouraged to prepare for sufficient "
                f"inventory now. Please plan for the inventory to arrive at your Wish Express warehouses by {due_en}."
                "\n\nTo add more products to your Wish Express warehouse(s) now, please visit the link below:",
        "cn_body": "根据历史数据分析,提供快速配送选择的Wish产品(如启用Wish Express的产品)可能在"
                   f"{window_cn}期间会经历消费者需求增加的情况。\n\n由于预计在此期间Wish Express产品的消费者需求和销售"
                   "整体上可能会增加,我们强烈鼓励Wish Express商户们现在就准备充足的库存。请为您的库存计划在"
                   f"{due_cn}前到达您的Wish Express仓库。\n\n"
                   "若需立即向您的Wish Express仓库添加更多产品,请访问以下链接:",
        "link": "https://merchant.wish.com/products/add",
        "cn_link": "https://merchant.wish.com/products/add",
        "categories": ["LOGISTICS", "PRODUCTS"], "program": "None", "important": True,
        "cta_text_en": f"Please plan for your Wish Express inventory to arrive at Wish Express warehouses by {due_en}",
        "cta_text_cn": f"请为您的Wish Express库存计划在{due_cn}前到达Wish Express仓库。",
        "cta_after_seconds": int((due - released).total_seconds()), DATED: True,
    }


_OTHER_FEATURES: tuple[tuple[float, dict[str, Any]], ...] = (
    (45, {
        "title": "Origin country code required when fulfilling orders through the API",
        "cn_title": "通过API履行订单时必须提供发货国家代码",
        "body": "To comply with customs requirements, every request to /order/fulfill-one and /order/modify-tracking "
                "must include the origin_country_code parameter: the ISO 3166 code of the country the parcel ships "
                "from. Requests without it will be refused.\n\nRead the API documentation for details:",
        "cn_body": "为满足海关要求，所有 /order/fulfill-one 和 /order/modify-tracking 请求必须包含 origin_country_code "
                   "参数，即包裹发货国家的ISO 3166代码。缺少该参数的请求将被拒绝。\n\n详情请参阅API文档：",
        "link": "https://merchant.wish.com/documentation/api/v2",
        "cn_link": "https://merchant.wish.com/documentation/api/v2",
        "categories": ["API", "ORDERS"], "program": "None", "important": True,
        "cta_text_en": "Send origin_country_code with every fulfillment request",
        "cta_text_cn": "请在每个履行订单请求中提供 origin_country_code",
        "cta_after_seconds": 30 * 86400 + 12 * 3600,
    }),
    (90, {
        "title": "Updates to the Intellectual Property policy",
        "cn_title": "知识产权政策更新",
        "body": "Wish has updated its Intellectual Property policy. Listings that infringe the intellectual property "
                "of others are removed, and each counterfeit listing may be fined. Review your listings and remove "
                "any product you are not authorized to sell.\n\nRead the updated policy:",
        "cn_body": "Wish更新了知识产权政策。侵犯他人知识产权的产品将被下架，每个仿品可能会被罚款。请检查您的产品，"
                   "并下架任何您未获授权销售的产品。\n\n查看更新后的政策：",
        "link": "https://merchant.wish.com/policy/ip",
        "cn_link": "https://merchant.wish.com/policy/ip",
        "categories": ["POLICIES_AND_TERMS", "IP", "PRODUCTS"], "program": "None", "important": True,
        "cta_text_en": "Remove listings you are not authorized to sell",
        "cta_text_cn": "请下架您未获授权销售的产品",
        "cta_after_seconds": 14 * 86400,
    }),
    (130, {
        "title": "Wish collects VAT on orders shipped to the European Union",
        "cn_title": "Wish将对运往欧盟的订单代收增值税",
        "body": "Wish collects and remits value added tax on orders shipped to customers in the European Union. Your "
                "prices stay the same: the tax is added at checkout and shown on each order.\n\nLearn more:",
        "cn_body": "Wish将对运往欧盟消费者的订单代收代缴增值税。您的产品价格保持不变："
                   "税费在结账时加收，并显示在每个订单中。\n\n了解更多：",
        "link": "https://merchantfaq.wish.com/hc/en-us/articles/360050837613",
        "cn_link": "https://merchantfaq.wish.com/hc/zh-cn/articles/360050837613",
        "categories": ["TAX", "ORDERS", "PAYMENTS"], "program": "None", "important": False,
        "cta_text_en": "", "cta_text_cn": "", "cta_after_seconds": None,
    }),
)

_CARRIERS_FEATURES: tuple[dict[str, Any], ...] = (
    {
        "title": "New qualified carriers for Confirmed Delivery",
        "cn_title": "妥投确认新增合格物流商",
        "body": "More carriers now qualify for orders that require Confirmed Delivery. See the list of qualified "
                "carriers for each destination country:",
        "cn_body": "更多物流商现已可用于需要妥投确认的订单。查看各目的国的合格物流商列表：",
        "link": "https://merchant.wish.com/documentation/v2/qualifiedcarriers",
        "cn_link": "https://merchant.wish.com/documentation/v2/qualifiedcarriers",
        "categories": ["SHIPPING_CARRIERS", "LOGISTICS"], "program": "None", "important": False,
        "cta_text_en": "", "cta_text_cn": "", "cta_after_seconds": None,
    },
    {
        "title": "A new Performance page for your store",
        "cn_title": "店铺表现页面全新上线",
        "body": "The new Performance page shows your fulfillment rate, refund ratio and customer ratings week by week, "
                "so you can see what to improve before it affects your sales.",
        "cn_body": "全新的店铺表现页面按周展示您的履行率、退款率和用户评分，帮助您在影响销量之前发现需要改进的地方。",
        "link": "https://merchant.wish.com/performance",
        "cn_link": "https://merchant.wish.com/performance",
        "categories": ["INSIGHTS"], "program": "None", "important": False,
        "cta_text_en": "", "cta_text_cn": "", "cta_after_seconds": None,
    },
)


def releases(now: datetime) -> list[Release]:
    """The seeded System Updates, newest first: six releases, one of them with two features."""
    express_days = 10
    express = wish_express_feature(now - express_days * DAY)
    return [
        Release(express_days, (express,), doc_id="55bfae216daddd41f93512ce"),
        Release(25, _CARRIERS_FEATURES),
        *(Release(days, (dict(f),)) for days, f in _OTHER_FEATURES),
        Release(200, (_shipping_prices_feature(),), doc_id="573e46218db5d1487ee4bdd8"),
    ]


def default_feature() -> dict[str, Any]:
    """The feature of a System Update the sandbox posts without fields."""
    return dict(_CARRIERS_FEATURES[0])
