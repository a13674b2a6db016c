"""The payment statement job (payment_statement/download), a kind of the shared job machine (mockwish.jobs):
when it FINISHES it writes an .xlsx of the user's payment requests created on the Beijing days start..end (as
they stand at that instant): a header row, one row per payment request, and a row with the net charged."""

from __future__ import annotations

import io
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection

from mockwish.jobs import JobKind, Outcome
from mockwish.wishpost.payments import rules
from mockwish.wishpost.wire_v3 import beijing

KIND = "wishpost_payment_statement"
MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HEADER = {
    "en": ["Created Time", "Tracking ID", "WOSP ID", "Payment Request ID", "Type", "State", "Fee Type", "Amount",
           "Currency", "Charge Complete Time", "Remark"],
    "zh": ["创建时间", "跟踪号", "WOSP单号", "付款请求号", "类型", "状态", "费用类型", "金额", "币种", "扣款完成时间",
           "备注"],
}
TOTAL = {"en": "Net charged", "zh": "净扣款合计"}
SHEET = {"en": "Payment statement", "zh": "对账单"}


def params(start: date, end: date, *, locale: str, job_token: int, signature: str, complete_seconds: int
           ) -> dict[str, Any]:
    return {"start_date": start.isoformat(), "end_date": end.isoformat(), "locale": locale, "job_token": job_token,
            "signature": signature, "complete_seconds": complete_seconds}


def download_name(params: dict[str, Any], owner: str) -> str:
    """The file's name as WP-DOC's link shows it: <start>_<end>_<user id>.xlsx."""
    return f"{params['start_date']}_{params['end_date']}_{owner}.xlsx"


def _row(c: rules.Charge, parcel: dict[str, Any], now: datetime, lang: str) -> list[Any]:
    number = parcel["logistics_order_code"] if rules.known_number(parcel, parcel["barcode"], now) else ""
    return [beijing(c.created_at), number, parcel["id"], c.prid, rules.TYPE_NAMES[lang].get(c.type, c.type), c.state,
            c.fee_type, float(c.amount), rules.CURRENCY[lang],
            beijing(c.completed_at) if c.completed_at is not None else "", c.remark_in(lang)]


def workbook(charges: list[tuple[rules.Charge, dict[str, Any]]], now: datetime, lang: str) -> bytes:
    from openpyxl import Workbook  # type: ignore[import-untyped]  # no stubs locked; only a finishing statement needs it

    book = Workbook(write_only=True)
    sheet = book.create_sheet(SHEET[lang])
    sheet.append(HEADER[lang])
    for charge, parcel in charges:
        sheet.append(_row(charge, parcel, now, lang))
    total: Decimal = rules.net([c for c, _ in charges])
    sheet.append([TOTAL[lang], "", "", "", "", "", "", float(total), rules.CURRENCY[lang], "", ""])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def work(conn: Connection, row: dict[str, Any], at: datetime, fraction: float) -> Outcome:
    """The statement as of the job's finish instant `at`."""
    from mockwish.wishpost.payments.ledger import user_charges  # the ledger's queries (it imports rules, store)

    p = row["params"]
    lang = "zh" if p.get("locale") == "zh" else "en"
    first, after = rules.utc_bounds(date.fromisoformat(p["start_date"]), date.fromisoformat(p["end_date"]))
    complete = timedelta(seconds=int(p.get("complete_seconds", 1)))
    charges = [(c, parcel) for c, parcel in user_charges(conn, row["merchant_id"], at, before=after,
                                                         complete_after=complete) if c.created_at >= first]
    content = workbook(charges, at, lang)
    return Outcome(result={"rows": len(charges)}, total_count=len(charges),
                   file_name=f"wishpost-statement-{row['id']}-{p['signature']}.xlsx", file_content=content)


JOB = JobKind(KIND, "Job", work)
