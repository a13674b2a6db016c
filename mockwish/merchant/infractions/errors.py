"""The errors of infractions, in the one registry (mockwish.errors). The docs print none for the section: the
API's own parameters fail with the generic 1000/1001, and these are the sandbox's refusals when it drives an
infraction (codes as the API uses them: 1002 already in that state, 1000 a move or a proof that cannot be)."""

from __future__ import annotations

from mockwish.errors import merchant_error, register

# POST /sandbox/api/infractions/{id}/state: the infraction is in that state already
INFRACTION_SAME_STATE = "infraction_same_state"
# ... a move no infraction makes (back to NEW: an infraction is new only until the merchant has seen it)
INFRACTION_MOVE_REFUSED = "infraction_move_refused"
# POST /sandbox/api/infractions: a proof type the merchant has nothing of (no ticket to name, ...)
INFRACTION_NO_PROOF_OBJECT = "infraction_no_proof_object"

register(
    merchant_error(INFRACTION_SAME_STATE, 1002, 400, "invalid_param",
                   "Infraction {id} is already {state}", "违规 {id} 已处于 {state} 状态",
                   "L'infraction {id} est déjà à l'état {state}", "Verstoß {id} ist bereits im Status {state}"),
    merchant_error(INFRACTION_MOVE_REFUSED, 1000, 400, "invalid_param",
                   "Infraction {id} cannot move from {current} to {state}",
                   "违规 {id} 无法从 {current} 状态变为 {state} 状态",
                   "L'infraction {id} ne peut pas passer de {current} à {state}",
                   "Verstoß {id} kann nicht von {current} zu {state} wechseln"),
    merchant_error(INFRACTION_NO_PROOF_OBJECT, 1000, 400, "invalid_param",
                   "The merchant has no {kind} to use as a {proof_type} proof",
                   "该商户没有可作为 {proof_type} 证据的{kind}",
                   "Le marchand n'a aucun(e) {kind} à utiliser comme preuve {proof_type}",
                   "Der Händler hat kein(e) {kind}, das als {proof_type}-Nachweis dienen kann"),
)
