"""The registry entries of the Ticket endpoints. The Ticket section prints no errors: these use the generic
codes (1004 not found, worded like Wish's other not-founds; 1002 for an action whose result is already the
ticket's state; 1000 for an action the ticket's state refuses), with the mock's own texts."""

from __future__ import annotations

from mockwish.errors import merchant_error, register

NOT_FOUND = "ticket_not_found"  # unknown, or another merchant's
CLOSED = "ticket_closed"  # a reply or an appeal on a closed ticket
ALREADY_CLOSED = "ticket_already_closed"  # close on a closed ticket
NOT_CLOSED = "ticket_not_closed"  # re-open on an open ticket
ALREADY_APPEALED = "ticket_already_appealed"  # appeal while awaiting Wish Support
NOT_APPEALED = "ticket_not_appealed"  # the sandbox's Wish Support hands back a ticket nobody appealed
UNKNOWN_LABEL = "ticket_unknown_label"  # the sandbox opens a ticket with a label the mock does not know
LABEL_TYPE = "ticket_label_type"  # the sandbox's label belongs to another ticket_type
NO_SUBJECT = "ticket_nothing_to_ask_about"  # the sandbox cannot find an order or product to open a ticket on

register(
    merchant_error(NOT_FOUND, 1004, 400, "not_found",
                   "No 'Ticket' Found with id: '{id}'", "未找到 id 为 '{id}' 的 'Ticket'",
                   "Aucun 'Ticket' trouvé avec id : '{id}'", "Kein 'Ticket' mit id: '{id}' gefunden"),
    merchant_error(CLOSED, 1000, 400, "invalid_param",
                   "Ticket {id} is closed; re-open it first", "工单 {id} 已关闭，请先重新打开",
                   "Le ticket {id} est fermé ; rouvrez-le d'abord",
                   "Ticket {id} ist geschlossen; öffnen Sie es zuerst erneut"),
    merchant_error(ALREADY_CLOSED, 1002, 400, "invalid_param",
                   "Ticket {id} is already closed", "工单 {id} 已关闭",
                   "Le ticket {id} est déjà fermé", "Ticket {id} ist bereits geschlossen"),
    merchant_error(NOT_CLOSED, 1002, 400, "invalid_param",
                   "Ticket {id} is already open; only a closed ticket can be re-opened",
                   "工单 {id} 已处于打开状态，只有已关闭的工单才能重新打开",
                   "Le ticket {id} est déjà ouvert ; seul un ticket fermé peut être rouvert",
                   "Ticket {id} ist bereits offen; nur ein geschlossenes Ticket kann wieder geöffnet werden"),
    merchant_error(ALREADY_APPEALED, 1002, 400, "invalid_param",
                   "Ticket {id} is already awaiting a response from Wish Support",
                   "工单 {id} 已在等待 Wish 客服回复",
                   "Le ticket {id} attend déjà une réponse du support Wish",
                   "Ticket {id} wartet bereits auf eine Antwort des Wish-Supports"),
    merchant_error(NOT_APPEALED, 1000, 400, "invalid_param",
                   "Ticket {id} is not awaiting a response from Wish Support",
                   "工单 {id} 未在等待 Wish 客服回复",
                   "Le ticket {id} n'attend pas de réponse du support Wish",
                   "Ticket {id} wartet nicht auf eine Antwort des Wish-Supports"),
    merchant_error(UNKNOWN_LABEL, 1000, 400, "invalid_param",
                   "'{label}' is not a ticket label; use one of: {labels}",
                   "'{label}' 不是工单标签，请使用以下之一：{labels}",
                   "'{label}' n'est pas un libellé de ticket ; utilisez l'un de : {labels}",
                   "'{label}' ist kein Ticket-Label; verwenden Sie eines von: {labels}"),
    merchant_error(LABEL_TYPE, 1000, 400, "invalid_param",
                   "The label '{label}' belongs to ticket_type {expected}, not {value}",
                   "标签 '{label}' 属于 ticket_type {expected}，而不是 {value}",
                   "Le libellé '{label}' appartient au ticket_type {expected}, pas {value}",
                   "Das Label '{label}' gehört zu ticket_type {expected}, nicht {value}"),
    merchant_error(NO_SUBJECT, 1000, 400, "invalid_param",
                   "Merchant {merchant_id} has no {what} a buyer could open a ticket about",
                   "商户 {merchant_id} 没有可供买家提交工单的{what}",
                   "Le marchand {merchant_id} n'a aucun(e) {what} sur lequel un acheteur pourrait ouvrir un ticket",
                   "Händler {merchant_id} hat kein(e) {what}, zu dem ein Käufer ein Ticket eröffnen könnte"),
)
