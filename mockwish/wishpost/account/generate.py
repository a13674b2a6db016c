"""Seed data of WishPost accounts and announcements (the seed, `POST /sandbox/api/wishpost/announcements`):
an account with realistic balances per user, and announcements over the last few months written from a handful
of templates in the voice of WP-DOC's examples (Chinese notices signed "Wish Post", some bilingual)."""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import Connection

from mockwish.wishpost.account import rules, store

SEED_MONTHS = 4  # announcements cover this many months before the seed's `now`
SEED_COUNT = (14, 22)  # announcements per user (inclusive range)

_WAREHOUSES = ("华东1仓", "华南1仓", "华东2仓", "华南2仓", "华南3仓", "华东3仓")
_COUNTRIES = ("叙利亚、也门", "关岛、帕劳", "加那利群岛、桑给巴尔", "黑山、纽埃岛", "圣马丁、库拉索")
_HOLIDAYS = (("春节", "Spring Festival"), ("国庆节", "National Day"), ("劳动节", "Labour Day"),
             ("端午节", "Dragon Boat Festival"), ("中秋节", "Mid-Autumn Festival"))
# month -> the holiday a notice of that month announces (the next one)
_NEXT_HOLIDAY = {1: 0, 2: 0, 3: 2, 4: 2, 5: 3, 6: 3, 7: 4, 8: 4, 9: 1, 10: 0, 11: 0, 12: 0}
_CHANNELS = (("WISH邮EPC", "Wishpost EPC"), ("WISH邮中国邮政挂号", "China Post Registered"),
             ("WISH邮E邮宝", "EUB"), ("WISH邮云途", "Wishpost YunExpress"))
_SIGN = " 感谢您使用Wish邮! Wish Post "

# (title, paragraphs): str.format fields d1/d2 (dates), wh (warehouse), cc (countries), hz/he (holiday),
# ch/ce (channel), pct (a percentage)
TEMPLATES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("{hz}期间揽收及仓库作业安排", (
        " 尊敬的Wish平台商户: 您好! {hz}将至,{d1}至{d2}期间各EPC仓库将调整作业时间,期间入库的包裹将顺延处理,"
        "请各位商户合理安排发货。" + _SIGN,)),
    ("{he} operations notice / {hz}作业通知", (
        "Dear Wish merchants, from {d1} to {d2} the EPC warehouses work reduced hours for {he}; parcels received "
        "in that period are processed afterwards.",
        "尊敬的Wish平台商户: {d1}至{d2}期间,EPC仓库作业时间调整,期间到仓包裹将顺延处理。" + _SIGN)),
    ("关于{cc}等地区停止收寄的通知", (
        " 尊敬的Wish平台商户: 从{d1}起,中国邮政将停止接收寄往{cc}等地区的邮件。在此之前已经交给中国邮政的邮件不受影响,"
        "会正常寄送;之后接收的邮件,中国邮政将会联系商户安排退回。" + _SIGN,)),
    ("{wh}仓库地址变更通知", (
        " 尊敬的Wish平台商户: 自{d1}起,Wish EPC{wh}将迁至新址,请商户通过仓库接口(/api/v3/warehouse)获取最新地址,"
        "并及时更新揽收及退件地址。" + _SIGN,)),
    ("{ch}渠道运费调整公告", (
        " 尊敬的Wish平台商户: 为提升服务质量,自{d1}起,{ch}渠道部分国家的运费将上调约{pct}%,"
        "具体价格请以后台运费试算为准。" + _SIGN,)),
    ("{ce} rate update", (
        "Dear Wish merchants, from {d1} the {ce} rates to some destinations change by about {pct}%. Please check "
        "the shipping fee calculator in the WishPost dashboard for the prices.",)),
    ("包裹面单及包装规范提醒", (
        " 尊敬的Wish平台商户: 您好! 近期部分商户在使用Wish官方物流渠道时出现了面单打印不规范、包装封装不规范等问题。"
        "面单小于10cm*10cm或条码无法扫描的包裹将被退回商户,请各商户进行自查。" + _SIGN,)),
    ("禁运品寄送提醒", (
        " 尊敬的Wish平台商户: 严禁使用Wish官方物流产品寄送粉末类、液体类及管制刀具等禁运产品。"
        "近期出现的禁运品寄送造成航空安检整票扣留,影响大量商户包裹运输,请各位商户知晓此类事件的严重性。" + _SIGN,)),
    ("API升级通知 / API upgrade", (
        "Dear developers, from {d1} the WishPost API accepts the access token in the Authorization: Bearer header "
        "on every v3 call. Tokens sent as access_token keep working.",
        "尊敬的开发者: 自{d1}起,WishPost API v3接口均支持通过Authorization: Bearer请求头传递访问令牌。" + _SIGN)),
    ("{wh}爆仓预警", (
        " 尊敬的Wish平台商户: 近期{wh}到仓包裹量激增,{d1}至{d2}期间入库时效可能延迟1-3天,建议商户分仓发货。"
        + _SIGN,)),
)


def _fields(rng: random.Random, day: date) -> dict[str, Any]:
    hz, he = _HOLIDAYS[_NEXT_HOLIDAY[day.month]]
    ch, ce = rng.choice(_CHANNELS)
    start = day + timedelta(days=rng.randint(3, 20))
    return {"d1": start.isoformat(), "d2": (start + timedelta(days=rng.randint(3, 10))).isoformat(),
            "wh": rng.choice(_WAREHOUSES), "cc": rng.choice(_COUNTRIES), "hz": hz, "he": he, "ch": ch, "ce": ce,
            "pct": rng.choice((3, 5, 8, 10, 12))}


def announcement_id(at: datetime, rng: random.Random) -> str:
    """A 24-hex ObjectId-like id (WP-DOC's 5b8507913691176b431368b7): the publishing instant's seconds first."""
    seconds = min(max(int((at - datetime(1970, 1, 1)).total_seconds()), 0), 0xFFFFFFFF)
    return f"{seconds:08x}{rng.getrandbits(64):016x}"


def make_announcement(*, user_id: str, title: str, text: list[str], publish_date: date, created_at: datetime,
                      rng: random.Random) -> dict[str, Any]:
    """An announcement row, published on `publish_date` (Beijing)."""
    return {"id": announcement_id(created_at, rng), "user_id": user_id, "title": title, "text": list(text),
            "publish_date": publish_date.strftime(rules.DATE), "created_at": created_at}


def seed_announcements(conn: Connection, *, user_id: str, rng: random.Random, now: datetime) -> int:
    """Announcements of the last SEED_MONTHS months (a few in the last week, so a default call finds some), each
    from a template; answers how many."""
    today = rules.today(now)
    count = rng.randint(*SEED_COUNT)
    ages = sorted({0, rng.randint(1, 6), rng.randint(2, 12), *(rng.randint(0, SEED_MONTHS * 30)
                                                               for _ in range(count - 3))})
    rows = []
    for age in ages:
        day = today - timedelta(days=age)
        title, paragraphs = rng.choice(TEMPLATES)
        values = _fields(rng, day)
        at = datetime.combine(day, datetime.min.time()) + timedelta(hours=rng.randint(1, 10) - 8,
                                                                   minutes=rng.randint(0, 59))
        rows.append(make_announcement(user_id=user_id, title=title.format(**values),
                                      text=[p.format(**values) for p in paragraphs], publish_date=day,
                                      created_at=min(at, now), rng=rng))
    store.insert_announcements(conn, rows)
    return len(rows)


def seed_account(conn: Connection, *, user_id: str, rng: random.Random, now: datetime) -> None:
    """An account with balances like WP-DOC's example (tens of thousands of CNY, part of it frozen, a small
    debt, no debt limit)."""
    cash = rng.randint(2_000_000, 12_000_000)  # fen: 20,000-120,000 CNY
    store.put_account(conn, {
        "user_id": user_id, "cash_fen": cash, "unavailable_fen": int(cash * rng.uniform(0.2, 0.6)),
        "debt_fen": -rng.randint(0, 300_000), "debt_frozen_fen": -rng.randint(0, 30_000), "debt_limit_fen": None,
        "currency": "CNY", "created_at": now})
