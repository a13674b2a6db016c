"""The one error registry. Domain code raises `WishError("<key>", **params)`; the code, HTTP status,
`data` sub-code and the message in each locale come from here, and each surface renders them."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

LOCALES = ("en", "zh", "fr", "de")


@dataclass(frozen=True)
class ErrorDef:
    key: str
    code: int
    status: int
    type: str
    messages: dict[str, str]  # locale -> template with {placeholders}
    data: Any = field(default_factory=dict)  # a sub-code int, "{param}" template, or {}


def _d(key: str, code: int, status: int, type_: str, en: str, zh: str, fr: str, de: str,
       data: Any = None) -> ErrorDef:
    return ErrorDef(key, code, status, type_, {"en": en, "zh": zh, "fr": fr, "de": de},
                    {} if data is None else data)


REGISTRY: dict[str, ErrorDef] = {e.key: e for e in [
    # --- parameters ------------------------------------------------------------------------
    _d("missing_param", 1001, 400, "missing_param",
       "Required Param '{param}' Missing", "缺少必需参数 '{param}'",
       "Paramètre obligatoire '{param}' manquant", "Erforderlicher Parameter '{param}' fehlt",
       data="{param}"),
    _d("missing_either", 1001, 400, "missing_param",
       "Must specify either '{a}' or '{b}'", "必须指定 '{a}' 或 '{b}'",
       "Vous devez indiquer '{a}' ou '{b}'", "Entweder '{a}' oder '{b}' muss angegeben werden",
       data="{a}"),
    _d("invalid_param", 1000, 400, "invalid_param",
       "{value} is an invalid {param}", "{value} 是无效的 {param}",
       "{value} n'est pas un(e) {param} valide", "{value} ist ein ungültiger Wert für {param}"),
    _d("invalid_id", 1000, 400, "invalid_param",
       "{value} is an invalid id", "{value} 是无效的 id",
       "{value} n'est pas un id valide", "{value} ist eine ungültige ID", data=2014),
    _d("out_of_range", 1000, 400, "invalid_param",
       "{param} must be between {low} and {high}, got {value}", "{param} 必须介于 {low} 和 {high} 之间，收到 {value}",
       "{param} doit être compris entre {low} et {high}, reçu {value}",
       "{param} muss zwischen {low} und {high} liegen, erhalten: {value}"),
    _d("too_long", 1000, 400, "invalid_param",
       "{param} must be at most {max} characters", "{param} 最多 {max} 个字符",
       "{param} ne doit pas dépasser {max} caractères", "{param} darf höchstens {max} Zeichen lang sein"),
    _d("invalid_field", 1000, 400, "invalid_param",
       "{param} is invalid ({reason}): {value}", "{param} 无效（{reason}）：{value}",
       "{param} n'est pas valide ({reason}) : {value}", "{param} ist ungültig ({reason}): {value}"),
    _d("invalid_json", 1000, 400, "invalid_param",
       "{param} is not valid JSON", "{param} 不是有效的 JSON",
       "{param} n'est pas un JSON valide", "{param} ist kein gültiges JSON"),
    _d("invalid_body", 1000, 400, "invalid_param",
       "The request body could not be parsed as {kind}", "无法将请求正文解析为 {kind}",
       "Le corps de la requête n'a pas pu être lu comme {kind}",
       "Der Anfragetext konnte nicht als {kind} gelesen werden"),
    _d("json_body_invalid", 1000, 400, "invalid_param",
       "The request body is not valid JSON ({reason} at character {position})",
       "请求正文不是有效的 JSON（第 {position} 个字符处：{reason}）",
       "Le corps de la requête n'est pas un JSON valide ({reason} au caractère {position})",
       "Der Anfragetext ist kein gültiges JSON ({reason} bei Zeichen {position})"),
    _d("body_not_object", 1000, 400, "invalid_param",
       "The request body must be a JSON object", "请求正文必须是 JSON 对象",
       "Le corps de la requête doit être un objet JSON", "Der Anfragetext muss ein JSON-Objekt sein"),
    _d("unknown_field", 1000, 400, "invalid_param",
       "'{param}' is not a field of this request", "'{param}' 不是此请求的字段",
       "'{param}' n'est pas un champ de cette requête", "'{param}' ist kein Feld dieser Anfrage"),
    _d("body_too_large", 1000, 413, "invalid_param",
       "Request body exceeds the maximum size of {limit} bytes", "请求正文超过最大大小 {limit} 字节",
       "Le corps de la requête dépasse la taille maximale de {limit} octets",
       "Der Anfragetext überschreitet die Höchstgröße von {limit} Bytes"),
    _d("image_url", 1000, 400, "invalid_param",
       "Cannot get image from URL {url}", "无法从 URL {url} 获取图片",
       "Impossible de récupérer l'image depuis l'URL {url}", "Bild kann nicht von URL {url} geladen werden",
       data=13),
    _d("too_many_images", 1000, 400, "invalid_param",
       "The total number of extra images plus variation images must not exceed 100, got {count}",
       "附加图片与变体图片总数不得超过 100，当前 {count}",
       "Le nombre total d'images supplémentaires et d'images de variantes ne doit pas dépasser 100 ({count})",
       "Zusatzbilder und Variantenbilder dürfen zusammen höchstens 100 sein, erhalten: {count}"),
    _d("size_or_color", 1000, 400, "invalid_param",
       "A product variation needs a size or a color", "产品变体需要尺寸或颜色",
       "Une variante doit avoir une taille ou une couleur", "Eine Variante braucht eine Größe oder eine Farbe",
       data=2219),
    _d("duplicate_variation", 1000, 400, "invalid_param",
       "A variation with color '{color}' and size '{size}' already exists for this product",
       "该产品已存在颜色 '{color}'、尺寸 '{size}' 的变体",
       "Une variante de couleur '{color}' et de taille '{size}' existe déjà pour ce produit",
       "Eine Variante mit Farbe '{color}' und Größe '{size}' existiert für dieses Produkt bereits"),
    _d("too_many_variations", 1000, 400, "invalid_param",
       "The number of variations of a product must not exceed {max}", "产品变体数量不得超过 {max}",
       "Le nombre de variantes d'un produit ne doit pas dépasser {max}",
       "Ein Produkt darf höchstens {max} Varianten haben"),
    _d("duplicate_sku", 1000, 400, "invalid_param",
       "SKU '{sku}' is already in use by another product or variation", "SKU '{sku}' 已被其他产品或变体使用",
       "Le SKU '{sku}' est déjà utilisé par un autre produit ou une autre variante",
       "SKU '{sku}' wird bereits von einem anderen Produkt oder einer anderen Variante verwendet"),
    _d("currency_mismatch", 1000, 400, "invalid_param",
       "localized_currency_code must be your localized currency {expected}, got {value}",
       "localized_currency_code 必须是您的本地货币 {expected}，收到 {value}",
       "localized_currency_code doit être votre devise locale {expected}, reçu {value}",
       "localized_currency_code muss Ihre lokale Währung {expected} sein, erhalten: {value}"),
    _d("localized_required", 1000, 400, "invalid_param",
       "{param} is required for merchants paid in {currency}", "以 {currency} 收款的商户必须提供 {param}",
       "{param} est obligatoire pour les marchands payés en {currency}",
       "{param} ist für Händler mit Auszahlung in {currency} erforderlich"),
    _d("usd_not_allowed", 1000, 400, "invalid_param",
       "{param} cannot be set by merchants paid in {currency}; use {localized}",
       "以 {currency} 收款的商户不能设置 {param}，请使用 {localized}",
       "{param} ne peut pas être défini par les marchands payés en {currency} ; utilisez {localized}",
       "{param} kann von Händlern mit Auszahlung in {currency} nicht gesetzt werden; verwenden Sie {localized}"),
    _d("country_not_shipped", 1000, 400, "invalid_param",
       "You do not ship to {country}; enable it in your shipping settings first",
       "您的配送设置不包含 {country}", "Vous ne livrez pas en {country} ; activez-le d'abord dans vos réglages",
       "Sie liefern nicht nach {country}; aktivieren Sie es zuerst in Ihren Versandeinstellungen"),
    _d("uses_product_shipping", 1000, 400, "invalid_param",
       "Your shipping settings use product variation shipping prices for {country}",
       "您的配送设置对 {country} 使用产品变体运费",
       "Vos réglages utilisent les frais de port des variantes pour {country}",
       "Ihre Versandeinstellungen verwenden für {country} die Versandpreise der Varianten"),
    _d("ships_worldwide", 1000, 400, "invalid_param",
       "Your shipping settings ship worldwide; per-country shipping prices are not available",
       "您的配送设置为全球配送，无法获取按国家的运费",
       "Vos réglages livrent dans le monde entier ; les prix par pays ne sont pas disponibles",
       "Ihre Versandeinstellungen liefern weltweit; Preise pro Land sind nicht verfügbar"),
    _d("no_warehouse", 1000, 400, "invalid_param",
       "Warehouse '{name}' does not exist", "仓库 '{name}' 不存在",
       "L'entrepôt '{name}' n'existe pas", "Lager '{name}' existiert nicht"),
    _d("region_price", 1000, 400, "invalid_param",
       "The shipping price of {region} must be at most 2 times the country shipping price ({max})",
       "{region} 的运费不得超过国家运费的 2 倍（{max}）",
       "Le prix de livraison de {region} ne doit pas dépasser 2 fois le prix du pays ({max})",
       "Der Versandpreis für {region} darf höchstens das Doppelte des Landespreises betragen ({max})"),
    _d("product_removed", 1000, 400, "invalid_param",
       "Product {id} has been removed by the merchant and cannot be edited",
       "产品 {id} 已被商户删除，无法编辑",
       "Le produit {id} a été supprimé par le marchand et ne peut plus être modifié",
       "Produkt {id} wurde vom Händler entfernt und kann nicht bearbeitet werden"),
    _d("variant_removed_by_wish", 1000, 400, "invalid_param",
       "Variation {sku} has been removed by Wish and cannot be re-enabled",
       "变体 {sku} 已被 Wish 移除，无法重新启用",
       "La variante {sku} a été retirée par Wish et ne peut pas être réactivée",
       "Variante {sku} wurde von Wish entfernt und kann nicht wieder aktiviert werden"),
    _d("too_many_ids", 1000, 400, "invalid_param",
       "At most {max} {param} are allowed, got {count}", "{param} 最多 {max} 个，收到 {count}",
       "Au plus {max} {param} sont autorisés, reçu {count}", "Höchstens {max} {param} erlaubt, erhalten: {count}"),
    _d("bulk_too_large", 1000, 400, "invalid_param",
       "A bulk update accepts at most {max} SKUs, got {count}", "批量更新最多 {max} 个 SKU，收到 {count}",
       "Une mise à jour groupée accepte au plus {max} SKU, reçu {count}",
       "Ein Sammel-Update akzeptiert höchstens {max} SKUs, erhalten: {count}"),
    _d("image_too_large", 1000, 400, "invalid_param",
       "The maximum size of the image is 5 MB", "图片最大为 5 MB",
       "La taille maximale de l'image est de 5 Mo", "Das Bild darf höchstens 5 MB groß sein"),
    _d("invalid_image", 1000, 400, "invalid_param",
       "image must be a base64 encoded JPG image", "image 必须是 base64 编码的 JPG 图片",
       "image doit être une image JPG encodée en base64", "image muss ein base64-kodiertes JPG-Bild sein"),
    # --- lookups ---------------------------------------------------------------------------
    _d("product_not_found", 1004, 400, "not_found",
       "No 'Product' Found with {field}: '{value}'", "未找到 {field} 为 '{value}' 的 'Product'",
       "Aucun 'Product' trouvé avec {field} : '{value}'", "Kein 'Product' mit {field}: '{value}' gefunden",
       data=2018),
    _d("variant_not_found", 1004, 400, "not_found",
       "No 'Variant' Found with sku: '{sku}'", "未找到 sku 为 '{sku}' 的 'Variant'",
       "Aucune 'Variant' trouvée avec sku : '{sku}'", "Keine 'Variant' mit sku: '{sku}' gefunden"),
    _d("job_not_found", 1004, 400, "not_found",
       "No '{kind}' Found with id: '{id}'", "未找到 id 为 '{id}' 的 '{kind}'",
       "Aucun '{kind}' trouvé avec id : '{id}'", "Kein '{kind}' mit id: '{id}' gefunden"),
    _d("record_not_found", 1004, 404, "not_found",  # the sandbox control API's own records (parcels, users)
       "No {kind} found with id: '{id}'", "未找到 id 为 '{id}' 的 {kind}",
       "Aucun {kind} trouvé avec id : '{id}'", "Kein {kind} mit id: '{id}' gefunden"),
    _d("endpoint_not_found", 1004, 404, "not_found",
       "No endpoint found at '{path}'", "未找到端点 '{path}'",
       "Aucun point d'accès à '{path}'", "Kein Endpunkt unter '{path}'"),
    _d("method_not_allowed", 1000, 405, "invalid_param",
       "Method {method} is not allowed; use {allowed}", "不允许使用 {method} 方法，请使用 {allowed}",
       "La méthode {method} n'est pas autorisée ; utilisez {allowed}",
       "Methode {method} ist nicht erlaubt; verwenden Sie {allowed}"),
    # --- orders (supplement-merchant.md 2.x and 4; texts the sources leave open are the mock's) -----
    _d("order_not_found", 1004, 400, "not_found",
       "No 'Order' Found with id: '{id}'", "未找到 id 为 '{id}' 的 'Order'",
       "Aucun 'Order' trouvé avec id : '{id}'", "Keine 'Order' mit id: '{id}' gefunden", data=2021),
    _d("carrier_not_accepted", 1000, 400, "invalid_param",
       "Tracking provider is not one of the accepted providers on Wish", "物流商不是 Wish 认可的物流商之一",
       "Le transporteur ne fait pas partie des transporteurs acceptés par Wish",
       "Der Versanddienstleister gehört nicht zu den von Wish akzeptierten Anbietern", data=2003),
    _d("order_already_fulfilled", 1002, 400, "invalid_param",
       "Order {id} has already been fulfilled", "订单 {id} 已履行", "La commande {id} a déjà été expédiée",
       "Bestellung {id} wurde bereits versandt"),
    _d("order_under_review", 1000, 400, "invalid_param",
       "Order {id} is under review; it can be fulfilled or refunded once it is released",
       "订单 {id} 正在审核中，放行后才能履行或退款",
       "La commande {id} est en cours de vérification ; elle pourra être expédiée ou remboursée une fois libérée",
       "Bestellung {id} wird geprüft; sie kann nach der Freigabe versandt oder erstattet werden"),
    _d("order_fulfilled_by_wish", 1000, 400, "invalid_param",
       "Order {id} is fulfilled by Wish", "订单 {id} 由 Wish 履行", "La commande {id} est expédiée par Wish",
       "Bestellung {id} wird von Wish versandt"),
    _d("order_not_shipped", 1000, 400, "invalid_param",
       "Order {id} is not shipped", "订单 {id} 尚未发货", "La commande {id} n'est pas expédiée",
       "Bestellung {id} ist nicht versandt"),
    _d("order_already_shipped", 1000, 400, "invalid_param",
       "Order {id} has already been shipped", "订单 {id} 已发货", "La commande {id} a déjà été expédiée",
       "Bestellung {id} wurde bereits versandt"),
    _d("order_already_refunded", 1000, 400, "invalid_param",
       "Order {id} has already been refunded", "订单 {id} 已退款", "La commande {id} a déjà été remboursée",
       "Bestellung {id} wurde bereits erstattet"),
    _d("tracking_unchanged", 1014, 400, "invalid_param",
       "Tracking information is unchanged", "物流信息未改变", "Les informations de suivi sont inchangées",
       "Die Sendungsverfolgungsdaten sind unverändert"),
    _d("invalid_reason_code", 1000, 400, "invalid_param",
       "Invalid reason_code {code}", "无效的 reason_code {code}", "reason_code {code} non valide",
       "Ungültiger reason_code {code}"),
    _d("reason_needs_shipment", 1000, 400, "invalid_param",
       "reason_code {code} cannot be used for order {id}, which has not been shipped",
       "reason_code {code} 不能用于尚未发货的订单 {id}",
       "reason_code {code} ne peut pas être utilisé pour la commande {id}, qui n'a pas été expédiée",
       "reason_code {code} kann für die nicht versandte Bestellung {id} nicht verwendet werden"),
    _d("invalid_tracking_number", 1000, 400, "invalid_param",
       "{value} is an invalid tracking_number: use letters and digits only, without spaces",
       "{value} 是无效的 tracking_number：只能使用字母和数字，不能包含空格",
       "{value} n'est pas un tracking_number valide : lettres et chiffres uniquement, sans espaces",
       "{value} ist eine ungültige tracking_number: nur Buchstaben und Ziffern, ohne Leerzeichen"),
    _d("confirmed_delivery_carrier", 1000, 400, "invalid_param",
       "Order {id} requires Confirmed Delivery to {country}: {provider} is not a confirmed delivery carrier "
       "for {country}",
       "订单 {id} 需要向 {country} 妥投确认：{provider} 不是 {country} 的妥投确认物流商",
       "La commande {id} exige une livraison confirmée vers {country} : {provider} n'est pas un transporteur "
       "à livraison confirmée pour {country}",
       "Bestellung {id} erfordert bestätigte Zustellung nach {country}: {provider} ist für {country} kein "
       "Versanddienstleister mit Zustellbestätigung"),
    # --- auth and limits -------------------------------------------------------------------
    _d("unauthorized", 4000, 401, "unauthorized",
       "Unauthorized Request", "未经授权的请求", "Requête non autorisée", "Nicht autorisierte Anfrage"),
    _d("token_expired", 1015, 401, "unauthorized",
       "This access token has expired.", "此访问令牌已过期。", "Ce jeton d'accès a expiré.",
       "Dieses Zugriffstoken ist abgelaufen."),
    _d("token_revoked", 1016, 401, "unauthorized",
       "This access token has been revoked.", "此访问令牌已被撤销。", "Ce jeton d'accès a été révoqué.",
       "Dieses Zugriffstoken wurde widerrufen."),
    _d("insufficient_scope", 4000, 401, "unauthorized",
       "Unauthorized access on this API", "无权访问此 API", "Accès non autorisé à cette API",
       "Kein Zugriff auf diese API"),
    # --- v3 token test (the v3 surface's own codes) ------------------------------------------
    _d("v3_no_token", 1012, 401, "unauthorized",
       "Missing access token in authorization header", "授权标头中缺少访问令牌",
       "Jeton d'accès manquant dans l'en-tête d'autorisation", "Zugriffstoken fehlt im Authorization-Header"),
    _d("v3_unknown_token", 1006, 401, "unauthorized",
       "No access token found or the app does not exist", "未找到访问令牌或应用不存在",
       "Aucun jeton d'accès trouvé ou l'application n'existe pas",
       "Kein Zugriffstoken gefunden oder die App existiert nicht"),
    _d("v3_token_expired", 1007, 401, "unauthorized",
       "This access token has expired. Please restart the OAuth process", "此访问令牌已过期，请重新进行 OAuth 授权",
       "Ce jeton d'accès a expiré. Veuillez recommencer le processus OAuth",
       "Dieses Zugriffstoken ist abgelaufen. Bitte starten Sie den OAuth-Vorgang neu"),
    _d("v3_token_revoked", 1008, 401, "unauthorized",
       "This access token has been revoked", "此访问令牌已被撤销", "Ce jeton d'accès a été révoqué",
       "Dieses Zugriffstoken wurde widerrufen"),
    # --- OAuth code exchange and refresh --------------------------------------------------------
    _d("oauth_grant_type", 1001, 400, "invalid_param",
       "grant_type must be set to '{grant}'", "grant_type 必须设置为 '{grant}'",
       "grant_type doit valoir '{grant}'", "grant_type muss '{grant}' sein"),
    _d("oauth_bad_client", 10001, 400, "unauthorized",
       "Incorrect credentials: client_id, client_secret or redirect_url does not match",
       "凭据不正确：client_id、client_secret 或 redirect_url 不匹配",
       "Identifiants incorrects : client_id, client_secret ou redirect_url ne correspond pas",
       "Falsche Zugangsdaten: client_id, client_secret oder redirect_url stimmt nicht"),
    _d("oauth_bad_refresh", 10001, 400, "unauthorized",
       "Incorrect credentials: client_id or client_secret does not match, or the refresh token is not valid",
       "凭据不正确：client_id 或 client_secret 不匹配，或刷新令牌无效",
       "Identifiants incorrects : client_id ou client_secret ne correspond pas, ou le jeton de rafraîchissement "
       "n'est pas valide",
       "Falsche Zugangsdaten: client_id oder client_secret stimmt nicht, oder das Refresh-Token ist ungültig"),
    _d("oauth_code_redeemed", 10002, 400, "invalid_param",
       "The authorization code has already been redeemed", "授权码已被使用",
       "Le code d'autorisation a déjà été utilisé", "Der Autorisierungscode wurde bereits eingelöst"),
    _d("oauth_code_expired", 10004, 400, "invalid_param",
       "The authorization code has expired", "授权码已过期", "Le code d'autorisation a expiré",
       "Der Autorisierungscode ist abgelaufen"),
    _d("oauth_bad_code", 10008, 400, "invalid_param",
       "Incorrect authorization code provided", "提供的授权码不正确", "Code d'autorisation incorrect",
       "Falscher Autorisierungscode angegeben"),
    # the v2 OAuth generation answered with fewer codes (as the official SDK reads them)
    _d("v2_oauth_unauthorized", 4000, 401, "unauthorized",
       "Unauthorized access", "未经授权的访问", "Accès non autorisé", "Nicht autorisierter Zugriff"),
    _d("v2_oauth_code_expired", 1016, 400, "invalid_param",
       "Access code expired", "授权码已过期", "Code d'accès expiré", "Zugangscode abgelaufen"),
    _d("rate_limited", 1056, 429, "rate_limited",
       "Too many requests.", "请求过多。", "Trop de requêtes.", "Zu viele Anfragen."),
    _d("unknown_error", 9000, 500, "unknown",
       "Unknown error", "未知错误", "Erreur inconnue", "Unbekannter Fehler"),
    # --- the sandbox control API's guard (mockwish.sandbox.guard; not Wish's: 4000, Wish's code for refused
    # access, with the HTTP status that says why) ---------------------------------------------------------
    _d("sandbox_host_refused", 4000, 403, "unauthorized",
       "Host '{host}' may not call the sandbox control API; allow it with MOCKWISH_SANDBOX_ALLOWED_HOSTS",
       "主机 '{host}' 无权调用沙箱控制 API；请通过 MOCKWISH_SANDBOX_ALLOWED_HOSTS 允许它",
       "L'hôte '{host}' ne peut pas appeler l'API de contrôle du bac à sable ; autorisez-le avec "
       "MOCKWISH_SANDBOX_ALLOWED_HOSTS",
       "Host '{host}' darf die Sandbox-Steuer-API nicht aufrufen; erlauben Sie ihn mit "
       "MOCKWISH_SANDBOX_ALLOWED_HOSTS"),
    _d("sandbox_origin_refused", 4000, 403, "unauthorized",
       "Cross-origin request refused: a page from '{origin}' may not change the sandbox",
       "已拒绝跨源请求：来自 '{origin}' 的页面无权更改沙箱",
       "Requête d'origine croisée refusée : une page de '{origin}' ne peut pas modifier le bac à sable",
       "Ursprungsübergreifende Anfrage abgelehnt: eine Seite von '{origin}' darf die Sandbox nicht ändern"),
    _d("sandbox_token_required", 4000, 401, "unauthorized",
       "The sandbox control API requires the sandbox token in the X-Sandbox-Token header",
       "沙箱控制 API 需要在 X-Sandbox-Token 标头中提供沙箱令牌",
       "L'API de contrôle du bac à sable exige le jeton du bac à sable dans l'en-tête X-Sandbox-Token",
       "Die Sandbox-Steuer-API erfordert das Sandbox-Token im Header X-Sandbox-Token"),
]}


# ==== WishPost (wishpost-v3-api-3.0.6 "General Error Code"; supplement-wishpost.md 3.2, 6, 7) =============
# WishPost promises en and zh only; a WishPost entry carries those two and any other locale falls back to en.
WISHPOST_LOCALES = ("en", "zh")


def _wp(key: str, code: int, status: int, type_: str, en: str, zh: str) -> ErrorDef:
    return ErrorDef(key, code, status, type_, {"en": en, "zh": zh}, {})


# the rate-limit levels of codes 4290-4296 and the words their message uses for each
WISHPOST_RATE_LEVELS: dict[int, tuple[str, str]] = {
    4290: ("ip", "IP"), 4291: ("user", "用户"), 4292: ("ip and user", "IP 和用户"),
    4293: ("ip and agent", "IP 和客户端"), 4294: ("ip, user and agent", "IP、用户和客户端"),
    4295: ("app", "应用"), 4296: ("ip and app", "IP 和应用"),
}

REGISTRY.update({e.key: e for e in [
    _wp("wp_missing_param", 1001, 400, "missing_param",
        "Required Param '{param}' Missing", "缺少必需参数 '{param}'"),
    _wp("wp_invalid_param", 1000, 400, "invalid_param",
        "Invalid Param '{param}': {value}", "无效参数 '{param}'：{value}"),
    _wp("wp_invalid_body", 1101, 400, "invalid_param",
        "Invalid Request Body: {reason}", "无效的请求正文：{reason}"),
    _wp("wp_body_too_large", 1101, 413, "invalid_param",
        "Invalid Request Body: it exceeds the maximum size of {limit} bytes",
        "无效的请求正文：超过最大大小 {limit} 字节"),
    _wp("wp_token_expired", 1007, 401, "unauthorized",
        "The access token has been Expired", "访问令牌已过期"),
    _wp("wp_token_revoked", 1008, 401, "unauthorized",
        "The access token has been revoked", "访问令牌已被撤销"),
    _wp("wp_token_unknown", 1020, 401, "unauthorized",
        "Access token is not exsited", "访问令牌不存在"),  # sic: WP-V3's spelling
    _wp("wp_bad_auth_header", 1102, 401, "unauthorized",
        "Badly formatted authorization header", "授权标头格式错误"),
    _wp("wp_insufficient_scope", 1103, 403, "unauthorized",
        "The wishpost user does not have sufficient roles to use this API", "该 WishPost 用户没有足够的权限使用此 API"),
    # the XML surface's request-level failure (<status>1</status>, WP-DOC's example)
    _wp("wp_unauthorized_request", 1, 401, "unauthorized",
        "Unauthorized Request", "未经授权的请求"),
    # OAuth exchange and refresh (old numbers, now also in JSON: supplement 7.2)
    _wp("wp_bad_client", 4000, 401, "unauthorized",
        "Unauthorized access on this API: client_id or client_secret does not match",
        "无权访问此 API：client_id 或 client_secret 不匹配"),
    _wp("wp_bad_code", 4000, 401, "unauthorized",
        "The authorization code is not recognised, please authorize again", "无法识别授权码，请重新授权"),
    _wp("wp_bad_refresh", 4000, 401, "unauthorized",
        "The refresh token is not valid, please authorize again", "刷新令牌无效，请重新授权"),
    _wp("wp_bad_redirect", 1000, 400, "invalid_param",
        "Invalid Param 'redirect_uri': it does not match the app's redirect uri",
        "无效参数 'redirect_uri'：与应用的回调地址不匹配"),
    _wp("wp_code_expired", 1009, 400, "invalid_param",
        "The authorization code has expired", "授权码已过期"),
    _wp("wp_code_redeemed", 1010, 400, "invalid_param",
        "The authorization code has already been redeemed", "授权码已被使用"),
    _wp("wp_method_not_allowed", 4005, 405, "invalid_param",
        "Please use {allowed} instead of {method}", "请使用 {allowed} 而不是 {method}"),
    _wp("wp_endpoint_not_found", 1000, 404, "not_found",
        "No endpoint found at '{path}'", "未找到端点 '{path}'"),
    *[_wp(f"wp_rate_limited_{code}", code, 429, "rate_limited",
          f"This api can be called no more than {{limit}} times per {{per}} per {en}, please slow down and call later",
          f"此 API 每{{per_zh}}每{zh}最多调用 {{limit}} 次，请稍后再调用")
      for code, (en, zh) in WISHPOST_RATE_LEVELS.items()],
    _wp("wp_unknown_error", 9000, 500, "unknown", "Unknown Error", "未知错误"),
    # parcels (supplement-wishpost.md 3-5, 8): request-level refusals of the XML calls answer status 1
    _wp("wp_too_many_barcodes", 1, 400, "invalid_param",
        "At most {max} barcodes per request", "一次最多提交{max}个barcode"),
    _wp("wp_no_barcodes", 1, 400, "missing_param", "No barcode is provided", "未提供barcode"),
    _wp("wp_unknown_barcode", 1, 400, "not_found", "Invalid Barcode: {barcode}", "无此运单号：{barcode}"),
    _wp("wp_no_orders", 1, 400, "missing_param", "No order is provided", "未提供订单"),
    _wp("wp_too_many_orders", 1, 400, "invalid_param",
        "At most {max} orders per request", "一次最多提交{max}个订单"),
    _wp("wp_label_not_found", 1, 404, "not_found",
        "No label found for {name} {value}", "未找到 {name} 为 {value} 的面单"),
    _wp("wp_invalid_label_param", 1, 400, "invalid_param",
        "Invalid Param '{param}': {value}", "无效参数 '{param}'：{value}"),
    # v3 JSON parcel calls (WP-DOC's example texts where it prints one)
    _wp("wp_no_tracking_ids", 1001, 400, "missing_param",
        "No valid wish_standard_tracking_ids is provided", "未提供有效的 wish_standard_tracking_ids"),
    _wp("wp_tracking_id_missing", 1001, 400, "missing_param",
        "tracking_id must be provided", "必须提供 tracking_id"),
    _wp("wp_invalid_reason", 1001, 400, "missing_param",
        "invalid_reason must be provided when cancel_reason_code is {code}",
        "cancel_reason_code 为 {code} 时必须提供 invalid_reason"),
    _wp("wp_parcel_not_found", 1000, 400, "not_found",
        "No order found for wish_standard_tracking_id {id}", "未找到 wish_standard_tracking_id 为 {id} 的订单"),
    _wp("wp_api_key_unauthorized", 4000, 401, "unauthorized", "API key is unauthorized", "API key 未授权"),
    _wp("wp_collection_closed", 1002, 400, "invalid_param",
        "The collection option can no longer be changed: the order is {state}",
        "订单已是{state}状态，无法修改揽收信息"),
]})
for _e in REGISTRY.values():  # every entry speaks the locales its API promises (WishPost: en and zh)
    assert set(_e.messages) in (set(LOCALES), set(WISHPOST_LOCALES)), _e.key


def register(*entries: ErrorDef) -> None:
    """Entries kept beside the domain that raises them (mockwish/wishpost/<area>/errors.py), in this one
    registry; a module registers its entries when it is imported, before any of them can be raised."""
    for entry in entries:
        assert set(entry.messages) in (set(LOCALES), set(WISHPOST_LOCALES)), entry.key
        assert REGISTRY.get(entry.key, entry) == entry, f"error {entry.key!r} registered twice"
        REGISTRY[entry.key] = entry


wishpost_error = _wp  # for the areas' own errors.py: (key, code, HTTP status, type, en, zh)
merchant_error = _d  # likewise for the Merchant areas: (key, code, HTTP status, type, en, zh, fr, de, data=None)


class WishError(Exception):
    """A documented Wish error. Raise it anywhere below the wire; the wire renders it."""

    def __init__(self, key: str, **params: Any) -> None:
        if key not in REGISTRY:
            raise KeyError(f"unregistered error {key!r}")
        super().__init__(key)
        self.definition = REGISTRY[key]
        self.params = params

    @property
    def code(self) -> int:
        return self.definition.code

    @property
    def status(self) -> int:
        return self.definition.status

    def message(self, locale: str = "en") -> str:
        template = self.definition.messages.get(locale) or self.definition.messages["en"]
        try:
            return template.format(**self.params)
        except (KeyError, IndexError, ValueError):
            return self.definition.messages["en"]

    def data(self) -> Any:
        data = self.definition.data
        if isinstance(data, str):
            try:
                return data.format(**self.params)
            except (KeyError, IndexError, ValueError):
                return data
        if isinstance(data, dict):
            return dict(data)
        return data

    def __str__(self) -> str:
        return f"{self.code}: {self.message()}"


def message(key: str, locale: str = "en", **params: Any) -> str:
    """The rendered message of a registry entry; tests import this instead of copying strings."""
    return WishError(key, **params).message(locale)
