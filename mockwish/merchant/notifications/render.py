"""Notifications and announcements as the docs' examples print them: entity wrappers, keys as printed, booleans
as "True"/"False" strings, each date in its endpoint's own format."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from mockwish.merchant.notifications import content, rules
from mockwish.wire.format import flag

Row = dict[str, Any]


def notification(row: Row) -> dict[str, Any]:
    """{"GetNotiResponse": {perma_link, message, id, title}} (noti/fetch-unviewed)."""
    return {"GetNotiResponse": {"perma_link": row["perma_link"], "message": row["message"], "id": row["id"],
                                "title": row["title"]}}


def bd_announcement(row: Row) -> dict[str, Any]:
    """{"GetBDAnnouncementResponse": {...}} (fetch-bd-announcement): created as 'Apr 01, 2016'."""
    return {"GetBDAnnouncementResponse": {
        "title": row["title"], "created": rules.bd_created(row["created_at"]), "bd_id": row["bd_id"],
        "bd_name": row["bd_name"], "message": row["message"], "viewed": flag(row["viewed"])}}


def feature(row: Row, f: dict[str, Any]) -> dict[str, Any]:
    """One Feature of a release. The call to action's date is kept as seconds after the release (it moves with
    the release when the seeded data is brought to the clock); '' when the feature has none."""
    f = content.dated_texts(f, row["release_date"])
    after = f.get("cta_after_seconds")
    return {"Feature": {
        "cn_title": f["cn_title"], "body": f["body"], "title": f["title"], "link": f["link"],
        "cn_body": f["cn_body"], "cn_link": f["cn_link"], "categories": list(f["categories"]),
        "program": f.get("program") or rules.NO_PROGRAM, "important": flag(bool(f.get("important"))),
        "cta_text_en": f.get("cta_text_en", ""), "cta_text_cn": f.get("cta_text_cn", ""),
        "cta_effective_date": "" if after is None else rules.cta_date(row["release_date"]
                                                                      + timedelta(seconds=after)),
    }}


def system_update(row: Row) -> dict[str, Any]:
    """{"SystemUpdatesResponse": {release_date, id, features}} (fetch-sys-updates-noti)."""
    return {"SystemUpdatesResponse": {"release_date": rules.release_date(row["release_date"]), "id": row["id"],
                                      "features": [feature(row, f) for f in row["features"]]}}
