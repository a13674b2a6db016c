"""Infractions as get/infractions prints them: {"Infraction": {...}} with the fine as a money string ("10.0"),
timestamps YYYY-MM-DDTHH:MM:SS and each proof wrapped as {"InfractionProof": {...}}."""

from __future__ import annotations

from typing import Any

from mockwish.merchant.infractions import rules
from mockwish.wire.format import money, ts


def proof(p: dict[str, Any]) -> dict[str, Any]:
    return {"InfractionProof": {"message": p["message"], "proof_type": p["proof_type"], "object_id": p["object_id"]}}


def infraction(row: dict[str, Any]) -> dict[str, Any]:
    return {"Infraction": {
        "fine_amount": money(row["fine_amount"]), "fine_currency": row["fine_currency"], "reason": row["reason"],
        "last_updated": ts(row["last_updated"]), "state": row["state"], "created_time": ts(row["created_time"]),
        "link": rules.link(row["id"]), "extra_reason": row["extra_reason"], "id": row["id"],
        "proof": [proof(p) for p in row["proofs"]],
    }}
