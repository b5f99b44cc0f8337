"""Product mistakes that mypy --strict reports (each line marked with the expected message)."""

from __future__ import annotations

from siigo import Client
from siigo.models.products import PriceDict, ProductTaxDict


def mistakes(client: Client) -> None:
    wrong_key: PriceDict = {
        "currency": "COP",
        "price_list": [],
    }  # E: Extra key "currency" for TypedDict "PriceDict" # E: Missing key "currency_code"
    bad_currency: PriceDict = {
        "currency_code": "PESOS",
        "price_list": [],
    }  # E: TypedDict item "currency_code" has type "Literal['COP', 'EUR'
    bad_rate: ProductTaxDict = {
        "id": 1,
        "rate": 20,
    }  # E: TypedDict item "rate" has type "Literal[18, 28, 35, 38, 55, 65]"
    client.products.create(
        code="A", name="B", account_group=1, prices=[{"currency": "COP"}]
    )  # E: List item 0 has incompatible type "dict[str, str]"; expected "PriceParam | PriceDict"
    client.products.create(code="A", name="B")  # E: No overload variant of "create" of "Products"
    client.products.create(
        code="A", name="B", account_group=1, type="Kit"
    )  # E: No overload variant of "create" of "Products"
    client.products.retrieve(
        "x", timeout="30"
    )  # E: Argument "timeout" to "retrieve" of "Products" has incompatible type "str"
    product = client.products.retrieve("x")
    unit = product.unit.code  # E: Item "None" of "ProductUnit | None" has no attribute "code"
    print(wrong_key, bad_currency, bad_rate, unit)
