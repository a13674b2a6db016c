"""The errors of notifications and announcements, in the one registry (mockwish.errors). The docs print none for
these sections: the codes are the API's generic ones (1004 not found, 1002 already in that state, 1000 invalid)
and the texts are the mock's, in the form of the documented not-found messages ("No 'Order' Found with id")."""

from __future__ import annotations

from mockwish.errors import merchant_error, register

# noti/mark-as-viewed: no notification of the caller's with that id (another merchant's answers the same)
NOTIFICATION_NOT_FOUND = "notification_not_found"
# noti/mark-as-viewed: the doc promises success only "if there exists an unviewed notification with the id"
NOTIFICATION_ALREADY_VIEWED = "notification_already_viewed"
# POST /sandbox/api/announcements: a field of the other kind of announcement
ANNOUNCEMENT_FIELD = "announcement_field_not_for_kind"

register(
    merchant_error(NOTIFICATION_NOT_FOUND, 1004, 400, "not_found",
                   "No 'Notification' Found with id: '{id}'", "未找到 id 为 '{id}' 的 'Notification'",
                   "Aucune 'Notification' trouvée avec id : '{id}'", "Keine 'Notification' mit id: '{id}' gefunden"),
    merchant_error(NOTIFICATION_ALREADY_VIEWED, 1002, 400, "invalid_param",
                   "Notification {id} has already been viewed", "通知 {id} 已被查看",
                   "La notification {id} a déjà été consultée", "Benachrichtigung {id} wurde bereits angesehen"),
    merchant_error(ANNOUNCEMENT_FIELD, 1000, 400, "invalid_param",
                   "'{field}' is not a field of a {kind} announcement", "'{field}' 不是 {kind} 公告的字段",
                   "'{field}' n'est pas un champ d'une annonce {kind}",
                   "'{field}' ist kein Feld einer {kind}-Ankündigung"),
)
