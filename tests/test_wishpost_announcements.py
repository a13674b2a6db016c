"""WishPost announcements over HTTP: POST (WP-DOC's paged `data`, its two date errors relative to the mock's
clock), GET (WP-V3's list under `data`), the seeded announcements, the sandbox's announcement, the page an
announcement's url opens, and isolation between users."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

import pytest
from starlette.testclient import TestClient
from wishpost_account_support import V3, doc_example, doc_request_body, post, same_shape, v3_ok
from wishpost_support import DEFAULT_WISHPOST_TOKEN, SECOND_WISHPOST_TOKEN, bearer

from mockwish.errors import message
from support import freeze

SANDBOX = "/sandbox/api/wishpost/announcements"
URL = "/wishpost/announcement?announcement_id="


def announce(client: TestClient, title: str, day: date | None = None, token: str = DEFAULT_WISHPOST_TOKEN,
             text: list[str] | None = None) -> dict[str, Any]:
    body: dict[str, Any] = {"title": title, "text": text or [f"{title} text"]}
    if day is not None:
        body["publish_time"] = day.isoformat()
    r = client.post(SANDBOX, json=body, headers=bearer(token))
    assert r.status_code == 200, r.text
    return dict(r.json())


def today_beijing(at: datetime) -> date:
    return (at + timedelta(hours=8)).date()


def listed(client: TestClient, token: str = DEFAULT_WISHPOST_TOKEN, **params: Any) -> dict[str, Any]:
    return dict(v3_ok(post(client, "announcements", token, **params))["data"])


def test_announcements_replay_the_docs_example(client: TestClient, wp_doc: str) -> None:
    """With the mock's clock on the example's end date, seven announcements of that month: the example's
    request (offset 3, limit 3) answers its page, with `next` and `previous` as the example shows them."""
    r = client.post("/sandbox/api/clock", json={"set": "2018-10-17T04:00:00", "freeze": True})
    assert r.status_code == 200, r.text
    for n in range(7):
        announce(client, f"Notice {n}", date(2018, 10, 17) - timedelta(days=4 * n))
    request, (success,), errors = doc_example(wp_doc, "/api/v3/announcements")
    body = v3_ok(client.post(f"{V3}/announcements", json=doc_request_body(request)))
    same_shape(body, success)
    assert body["message"] == success["message"] == "All success"
    page = body["data"]
    assert [a["title"] for a in page["announcements"]] == ["Notice 3", "Notice 4", "Notice 5"]
    assert page["pagination"] == {"total": 7, "next": {"limit": 3, "offset": 6}, "previous": {"limit": 3, "offset": 0}}
    assert (page["start_date"], page["end_date"], page["extra_data"]) == ("2018-09-17", "2018-10-17", None)
    assert [e["message"] for e in errors] == [message("wp_end_before_start"), message("wp_start_too_early", days=30)]


def test_the_seeded_announcements_of_the_last_30_days(client: TestClient) -> None:
    at = freeze(client)
    page = listed(client, limit=50)
    items = page["announcements"]
    first = today_beijing(at) - timedelta(days=30)
    assert items and page["pagination"]["total"] == len(items) and page["pagination"]["previous"] is None
    assert (page["start_date"], page["end_date"]) == (first.isoformat(), today_beijing(at).isoformat())
    days = [a["publish_time"] for a in items]
    assert days == sorted(days, reverse=True) and all(first.isoformat() <= d for d in days)
    for a in items:
        assert a["url"].startswith("http://testserver" + URL) and len(a["url"].rsplit("=", 1)[1]) == 24
        assert a["title"] and a["text"] and all(type(t) is str for t in a["text"])
    assert len(listed(client)["announcements"]) == min(10, len(items))  # the default limit


def test_paging_with_offset_and_limit(client: TestClient) -> None:
    at = freeze(client)
    today = today_beijing(at)
    titles = [announce(client, f"Paged {n}", today - timedelta(days=n), SECOND_WISHPOST_TOKEN)["title"]
              for n in range(5)]
    start = (today - timedelta(days=4)).isoformat()

    def page(offset: int, limit: int) -> dict[str, Any]:
        found = listed(client, SECOND_WISHPOST_TOKEN, start_date=start, offset=offset, limit=limit)
        return {"titles": [a["title"] for a in found["announcements"]], **found["pagination"]}

    seeded = listed(client, SECOND_WISHPOST_TOKEN, start_date=start, limit=50)["pagination"]["total"] - 5
    first = page(0, 2)
    assert first["previous"] is None and first["next"] == {"limit": 2, "offset": 2}
    assert first["total"] == 5 + seeded
    every = [t for off in range(0, first["total"], 2) for t in page(off, 2)["titles"]]
    assert [t for t in every if t.startswith("Paged")] == titles  # newest first, each once
    last = page(first["total"] - 1, 2)
    assert last["next"] is None and last["previous"] == {"limit": 2, "offset": first["total"] - 3}
    assert page(first["total"] + 5, 2)["titles"] == []


@pytest.mark.parametrize("locale", ["en", "zh"])
def test_the_date_errors(client: TestClient, locale: str) -> None:
    at = freeze(client)
    today = today_beijing(at)

    def call(**params: Any) -> Any:
        return post(client, "announcements", locale=locale, **params)

    body = v3_ok(call(start_date=today.isoformat(), end_date=(today - timedelta(days=1)).isoformat()), 400, 1000)
    assert body["message"] == message("wp_end_before_start", locale)
    oldest = (today - timedelta(days=30)).isoformat()
    body = v3_ok(call(start_date=(today - timedelta(days=31)).isoformat()), 400, 1000)
    assert body["message"] == message("wp_start_too_early", locale, days=30)
    assert v3_ok(call(start_date=oldest, end_date=oldest))  # 30 days ago, a single day: fine
    r = client.post("/sandbox/api/clock", json={"advance_seconds": 86400})
    assert r.status_code == 200
    body = v3_ok(call(start_date=oldest), 400, 1000)  # a day later it is 31 days ago
    assert body["message"] == message("wp_start_too_early", locale, days=30)
    body = v3_ok(call(start_date="2018/09/17"), 400, 1000)
    assert body["message"] == message("wp_invalid_date", locale, param="start_date", value="2018/09/17")
    for bad in ({"offset": 101}, {"offset": -1}, {"limit": 0}, {"limit": 51}, {"limit": "x"}):
        assert v3_ok(call(**bad), 400, 1000)


def test_user_b_never_sees_user_a_announcements(client: TestClient) -> None:
    mine = announce(client, "Only for the first user")
    for method in ("POST", "GET"):
        if method == "POST":
            found = listed(client, SECOND_WISHPOST_TOKEN, limit=50)["announcements"]
        else:
            r = client.get(f"{V3}/announcements", headers=bearer(SECOND_WISHPOST_TOKEN))
            found = v3_ok(r)["data"]
        assert mine["url"] not in {a["url"] for a in found}
    assert mine["url"] in {a["url"] for a in listed(client, limit=50)["announcements"]}


def test_get_is_the_v3_list_under_data(client: TestClient) -> None:
    at = freeze(client)
    today = today_beijing(at)
    old = announce(client, "From last year", today - timedelta(days=365))
    r = client.get(f"{V3}/announcements", headers=bearer(DEFAULT_WISHPOST_TOKEN))
    items = v3_ok(r)["data"]
    assert isinstance(items, list) and old["url"] in {a["url"] for a in items}  # no 30-day window here
    assert all(set(a) == {"url", "text", "publish_time", "title"} for a in items)
    day = (today - timedelta(days=365)).isoformat()
    r = client.get(f"{V3}/announcements", params={"start_date": day, "end_date": day},
                   headers=bearer(DEFAULT_WISHPOST_TOKEN))
    assert [a["title"] for a in v3_ok(r)["data"]] == ["From last year"]
    r = client.get(f"{V3}/announcements", params={"start_date": day, "end_date": "2000-01-01"},
                   headers=bearer(DEFAULT_WISHPOST_TOKEN))
    assert v3_ok(r, 400, 1000)["message"] == message("wp_end_before_start")


def test_the_sandbox_announcement_and_its_page(client: TestClient) -> None:
    at = freeze(client)
    made = announce(client, "关于<停运>的通知", text=["第一段", "Second paragraph"])
    assert made["publish_time"] == today_beijing(at).isoformat() and made["text"] == ["第一段", "Second paragraph"]
    top = listed(client)["announcements"]
    assert {k: made[k] for k in ("url", "text", "publish_time", "title")} in top
    page = client.get(made["url"])
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert "关于&lt;停运&gt;的通知" in page.text and "<p>Second paragraph</p>" in page.text
    r = client.get(URL + "0" * 24)
    assert v3_ok(r, 404, 1000)["message"] == message("wp_announcement_not_found", id="0" * 24)
    for bad in ({"title": "x", "text": ["y"], "publish_time": "2020-13-01"}, {"title": "x", "text": []},
                {"title": "x"}):
        assert client.post(SANDBOX, json=bad, headers=bearer(DEFAULT_WISHPOST_TOKEN)).status_code == 400
    assert client.post(SANDBOX, json={"title": "x", "text": ["y"]}).status_code == 400  # whose?
