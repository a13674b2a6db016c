"""Wire layer of the account-level endpoints: /auth_test, /api/v3/oauth/test, /image, /get-currency-code."""

from __future__ import annotations

import base64
import binascii

from sqlalchemy import insert

from mockwish.auth.scopes import NONE
from mockwish.errors import WishError
from mockwish.ids import new_hex
from mockwish.store.tables import TempImage, table_of
from mockwish.wire.spec import Str, spec
from mockwish.wire.v2 import Call, V2Result, V2Router

router = V2Router("Account")
IMAGE_MAX_BYTES = 5 * 1024 * 1024
_IMG = table_of(TempImage)


@router.op("/auth_test", scope=NONE, summary="Test Authentication", spec=spec())
def auth_test(call: Call) -> V2Result:
    """Answers the merchant the token belongs to."""
    pr = call.principal
    return V2Result({"merchant_username": pr.username, "merchant_id": pr.merchant_id, "success": True})


@router.op("/oauth/test", scope=NONE, summary="Test an OAuth access token", spec=spec(), prefixes=("/api/v3",),
           auth="v3", errors=("v3_no_token", "v3_unknown_token", "v3_token_expired", "v3_token_revoked"))
def oauth_test(call: Call) -> V2Result:
    """The v3 token test the docs' sandbox section uses: answers the merchant id of the token."""
    return V2Result({"merchant_id": call.principal.merchant_id})


@router.op("/get-currency-code", scope="merchant:read", summary="Merchant Currency Code", spec=spec())
def get_currency_code(call: Call) -> V2Result:
    """The localized currency used in price updates and the currency the merchant is paid in."""
    pr = call.principal
    return V2Result({"localized_currency_code": pr.localized_currency,
                     "payment_currency_code": pr.payment_currency,
                     "product_boost_currency_code": pr.payment_currency})


@router.op("/image", scope="products:write", summary="Upload a Temporary Image",
           spec=spec(Str("image", "The image, base64 encoded JPG (URL encoded in the form body); at most 5 MB "
                                  "once decoded", required=True)),
           errors=("invalid_image", "image_too_large"))
def upload_image(call: Call) -> V2Result:
    """Stores the image for 2 weeks and answers its URL on the mock, which serves the decoded bytes.

    The docs' own example image ("ABCD1234abcd") is not a JPEG, so any base64 payload is accepted. Lenient as a
    client would hope: a `data:image/...;base64,` prefix, line breaks, the URL-safe alphabet, missing padding,
    and spaces where a client forgot to URL-encode '+' are all read as the image meant."""
    text = call.params["image"].strip()
    if text[:5].lower() == "data:" and "," in text:
        text = text.split(",", 1)[1]
    text = "".join(text.replace(" ", "+").split())
    text = text.replace("-", "+").replace("_", "/")
    try:
        content = base64.b64decode(text + "=" * (-len(text) % 4), validate=True)
    except (binascii.Error, ValueError) as exc:
        raise WishError("invalid_image") from exc
    if not content:
        raise WishError("invalid_image")
    if len(content) > IMAGE_MAX_BYTES:
        raise WishError("image_too_large")
    image_id = new_hex(32)
    call.conn.execute(insert(_IMG).values(id=image_id, merchant_id=call.merchant_id, content=content,
                                          created_at=call.now))
    return V2Result({"url": call.url(f"/static/tmp-uploads/{image_id}.jpg", {"v": new_hex(6)[:5]})})
