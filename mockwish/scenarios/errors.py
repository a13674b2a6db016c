"""The scenario loader's error, in the one registry: every problem in `data.problems`, the first in the message."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from mockwish.errors import WishError, merchant_error, register

if TYPE_CHECKING:
    from mockwish.scenarios.load import Problem

SCENARIO_INVALID = "The scenario is invalid ({count} problems); the first: {first}"
UNKNOWN_SCENARIO = "No shipped scenario is named '{name}' (fixtures/scenarios: {known})"

register(
    merchant_error("scenario_invalid", 1000, 400, "invalid_param", SCENARIO_INVALID,
                   "场景无效（{count} 个问题）；第一个：{first}",
                   "Le scénario n'est pas valide ({count} problèmes) ; le premier : {first}",
                   "Das Szenario ist ungültig ({count} Probleme); das erste: {first}"),
    merchant_error("unknown_scenario", 1004, 404, "not_found", UNKNOWN_SCENARIO,
                   "没有名为 '{name}' 的内置场景（fixtures/scenarios：{known}）",
                   "Aucun scénario fourni ne s'appelle '{name}' (fixtures/scenarios : {known})",
                   "Kein mitgeliefertes Szenario heißt '{name}' (fixtures/scenarios: {known})"),
)


class ScenarioRefused(WishError):
    """scenario_invalid, with every problem (location, message, line) in the answer's `data`."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        super().__init__("scenario_invalid", count=len(problems), first=str(problems[0]))
        self.problems = list(problems)

    def data(self) -> Any:
        return {"problems": [p.describe() for p in self.problems]}
