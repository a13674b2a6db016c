"""Wire layer of the Infractions endpoints: count/infractions and get/infractions (scope infractions:read), each
for a stage: 1 ACTION_REQUIRED (states NEW and AWAITING_MERCHANT), 2 AWAITING_WISH (AWAITING_ADMIN),
3 HISTORY (CLOSED)."""

from __future__ import annotations

from mockwish.merchant.infractions import render, rules, store
from mockwish.wire.format import count
from mockwish.wire.spec import Int, When, spec
from mockwish.wire.v2 import Call, V2Result, V2Router

router = V2Router("Infractions")

READ = "infractions:read"
STAGE = Int("stage", "1: ACTION_REQUIRED (Awaiting Merchant Response), 2: AWAITING_WISH (Awaiting Wish Response), "
                     "3: HISTORY (No further action needed); default 1", low=1, high=3)
PAGE = (Int("start", "Offset into the list (default 0)", low=0, high=10_000_000),
        Int("limit", "Number of infractions, 1 to 500 (default 50)", low=1, high=500))
SINCE = When("since", "Only infractions updated since (UTC; YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS)")
UPTO = When("upto", "Only infractions updated up to (inclusive of that second)")


def _states(call: Call) -> tuple[str, ...]:
    return rules.states_of(call.params.get("stage", rules.DEFAULT_STAGE))


@router.op("/count/infractions", scope=READ, summary="Infractions count", spec=spec(STAGE),
           errors=("out_of_range",))
def count_infractions(call: Call) -> V2Result:
    """{"CountInfractionsResponse": {"count": "156"}}: the count as a string, as the doc prints it."""
    n = store.count(call.conn, call.merchant_id, _states(call))
    return V2Result({"CountInfractionsResponse": {"count": count(n)}})


@router.op("/get/infractions", scope=READ, summary="Fetch infractions", spec=spec(*PAGE, STAGE, SINCE, UPTO),
           errors=("out_of_range",))
def get_infractions(call: Call) -> V2Result:
    """The stage's infractions updated in [since, upto], oldest change first, in
    {"InfractionsResponse": {"infractions": [...]}} with paging."""
    p = call.params
    start, limit = p.get("start", 0), p.get("limit", 50)
    rows = store.page(call.conn, call.merchant_id, _states(call), since=p.get("since"), upto=p.get("upto"),
                      start=start, limit=limit + 1)
    return V2Result({"InfractionsResponse": {"infractions": [render.infraction(r) for r in rows[:limit]]}},
                    paging=call.paging(start, limit, len(rows) > limit))
