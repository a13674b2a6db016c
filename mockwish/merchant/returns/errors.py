"""The registry entries of the Wish Returns Program. The docs print no error for this section: the codes are the
generic ones (1000 invalid, 1001 missing, 1002 not in the state the call needs, 1004 not found) and the texts
are the mock's, in Wish's own style ("No 'X' Found with id: '...'")."""

from __future__ import annotations

from mockwish.errors import merchant_error, register

WAREHOUSE_NOT_FOUND = "returns_warehouse_not_found"  # unknown, or another merchant's
VARIATION_NOT_FOUND = "returns_variation_not_found"  # not a variation of the product named by id
REQUIRED_FOR_REGION = "returns_required_for_region"  # phone_number outside the US, email in the EU
COUNTRY_NOT_IN_REGION = "returns_country_not_in_region"
REGION_MISMATCH = "returns_region_mismatch"  # enrol: the warehouse serves another region
WAREHOUSE_VALIDATING = "returns_warehouse_validating"  # enrol: its address is not validated yet
WAREHOUSE_INVALID = "returns_warehouse_invalid"  # enrol: its address was found invalid
NO_LOGISTICS = "returns_no_logistics"  # enrol: a variation lacks length, width, height or weight
NO_DIMENSIONS = "returns_no_dimensions"  # get-product-variation-dimensions: none set
NOT_ENROLLED = "returns_not_enrolled"  # disable: the product's returns are not active in the region

register(
    merchant_error(WAREHOUSE_NOT_FOUND, 1004, 400, "not_found",
                   "No 'MerchantReturnWarehouse' Found with id: '{id}'",
                   "未找到 id 为 '{id}' 的 'MerchantReturnWarehouse'",
                   "Aucun 'MerchantReturnWarehouse' trouvé avec id : '{id}'",
                   "Kein 'MerchantReturnWarehouse' mit id: '{id}' gefunden"),
    merchant_error(VARIATION_NOT_FOUND, 1004, 400, "not_found",
                   "No 'Variation' Found with id: '{id}' in product '{product_id}'",
                   "产品 '{product_id}' 中未找到 id 为 '{id}' 的 'Variation'",
                   "Aucune 'Variation' trouvée avec id : '{id}' dans le produit '{product_id}'",
                   "Keine 'Variation' mit id: '{id}' im Produkt '{product_id}' gefunden"),
    merchant_error(REQUIRED_FOR_REGION, 1001, 400, "missing_param",
                   "Required Param '{param}' Missing: a return warehouse in region {region} needs it",
                   "缺少必需参数 '{param}'：{region} 地区的退货仓库必须提供",
                   "Paramètre obligatoire '{param}' manquant : un entrepôt de retour de la région {region} "
                   "doit l'indiquer",
                   "Erforderlicher Parameter '{param}' fehlt: ein Rücksendelager in der Region {region} "
                   "braucht ihn", data="{param}"),
    merchant_error(COUNTRY_NOT_IN_REGION, 1000, 400, "invalid_param",
                   "Country '{country}' is not in the return region '{region}' ({allowed})",
                   "国家 '{country}' 不属于退货地区 '{region}'（{allowed}）",
                   "Le pays '{country}' n'appartient pas à la région de retour '{region}' ({allowed})",
                   "Das Land '{country}' gehört nicht zur Rücksenderegion '{region}' ({allowed})"),
    merchant_error(REGION_MISMATCH, 1000, 400, "invalid_param",
                   "Return warehouse '{warehouse_id}' is in region '{warehouse_region}', not '{region}'",
                   "退货仓库 '{warehouse_id}' 位于地区 '{warehouse_region}'，而不是 '{region}'",
                   "L'entrepôt de retour '{warehouse_id}' est dans la région '{warehouse_region}', "
                   "pas '{region}'",
                   "Das Rücksendelager '{warehouse_id}' liegt in der Region '{warehouse_region}', "
                   "nicht in '{region}'"),
    merchant_error(WAREHOUSE_VALIDATING, 1000, 400, "invalid_param",
                   "The address of return warehouse '{warehouse_id}' is still being validated; enroll once "
                   "returns/get-all-warehouses shows it valid",
                   "退货仓库 '{warehouse_id}' 的地址仍在验证中；请在 returns/get-all-warehouses 显示其有效后再加入",
                   "L'adresse de l'entrepôt de retour '{warehouse_id}' est en cours de validation ; inscrivez "
                   "le produit lorsque returns/get-all-warehouses l'indique valide",
                   "Die Adresse des Rücksendelagers '{warehouse_id}' wird noch geprüft; melden Sie das Produkt "
                   "an, sobald returns/get-all-warehouses sie als gültig zeigt"),
    merchant_error(WAREHOUSE_INVALID, 1000, 400, "invalid_param",
                   "The address of return warehouse '{warehouse_id}' is invalid; edit it with "
                   "returns/edit-return-warehouse",
                   "退货仓库 '{warehouse_id}' 的地址无效；请使用 returns/edit-return-warehouse 修改",
                   "L'adresse de l'entrepôt de retour '{warehouse_id}' n'est pas valide ; modifiez-la avec "
                   "returns/edit-return-warehouse",
                   "Die Adresse des Rücksendelagers '{warehouse_id}' ist ungültig; ändern Sie sie mit "
                   "returns/edit-return-warehouse"),
    merchant_error(NO_LOGISTICS, 1000, 400, "invalid_param",
                   "Product '{id}' cannot be enrolled in returns: variation '{sku}' has no logistics (length, "
                   "width, height and weight); set them with returns/set-product-logistics",
                   "产品 '{id}' 无法加入退货计划：变体 '{sku}' 缺少物流信息（长、宽、高和重量）；"
                   "请使用 returns/set-product-logistics 设置",
                   "Le produit '{id}' ne peut pas être inscrit aux retours : la variante '{sku}' n'a pas "
                   "d'informations logistiques (longueur, largeur, hauteur et poids) ; indiquez-les avec "
                   "returns/set-product-logistics",
                   "Produkt '{id}' kann nicht für Rücksendungen angemeldet werden: Variante '{sku}' hat keine "
                   "Logistikdaten (Länge, Breite, Höhe und Gewicht); setzen Sie sie mit "
                   "returns/set-product-logistics"),
    merchant_error(NO_DIMENSIONS, 1004, 400, "not_found",
                   "No dimensions set for variation '{variation_id}' (SKU '{sku}') of product '{id}'",
                   "产品 '{id}' 的变体 '{variation_id}'（SKU '{sku}'）未设置尺寸",
                   "Aucune dimension n'est définie pour la variante '{variation_id}' (SKU '{sku}') du produit '{id}'",
                   "Für die Variante '{variation_id}' (SKU '{sku}') des Produkts '{id}' sind keine Maße gesetzt"),
    merchant_error(NOT_ENROLLED, 1002, 400, "invalid_param",
                   "Product '{id}' is not enrolled in returns for region '{region}'",
                   "产品 '{id}' 未在地区 '{region}' 加入退货计划",
                   "Le produit '{id}' n'est pas inscrit aux retours pour la région '{region}'",
                   "Produkt '{id}' ist in der Region '{region}' nicht für Rücksendungen angemeldet"),
)
