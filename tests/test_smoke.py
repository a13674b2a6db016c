from support import Wish


def test_auth_test(wish: Wish) -> None:
    data = wish.ok("auth_test", "GET")
    assert data["success"] is True and data["merchant_username"] == "merchant@example.com"


def test_doc_product(wish: Wish) -> None:
    data = wish.ok("product", "GET", id="4ef2858a9795c776ce000120")
    assert data["Product"]["id"] == "4ef2858a9795c776ce000120"
