"""Products: nested parts as typed dicts or models, responses without None checks."""

from __future__ import annotations

from decimal import Decimal

from siigo import Client, Timeout
from siigo.models.products import PriceDict, PriceListEntryParam, PriceParam, ProductTaxDict


def create(client: Client) -> str:
    tax: ProductTaxDict = {"id": 13156, "milliliters": 1000, "rate": 35}
    price: PriceDict = {"currency_code": "COP", "price_list": [{"position": 1, "value": Decimal("12000")}]}
    product = client.products.create(
        code="BEB-01",
        name="Bebida",
        account_group=1821,
        type="Product",
        taxes=[tax, {"id": 18401}],
        prices=[price, {"currency_code": "USD", "price_list": [{"position": 1, "value": 3}]}],
        additional_fields={"barcode": "7701234", "tariff": "0101210000"},
        timeout=30,
    )
    updated = client.products.update(product.id, product.to_update_params(), timeout=(2, 60))
    again = client.products.retrieve(updated.id, timeout=Timeout(connect=2, read=10))
    return again.code + " " + again.name  # always present: no None check


def combo(client: Client) -> None:
    client.products.create(
        code="KIT-1",
        name="Kit",
        account_group=1821,
        type="Combo",
        components=[{"code": "BEB-01", "quantity": 2}, {"code": "TAL-1", "quantity": Decimal("1.5")}],
    )


def with_models(client: Client) -> None:
    usd = PriceParam(currency_code="USD", price_list=[PriceListEntryParam(position=1, value=Decimal(3))])
    client.products.create(code="A-1", name="A", account_group=1821, prices=[usd])


def from_a_dict(client: Client, body: dict[str, object]) -> None:
    client.products.create(body)  # a whole body from elsewhere: checked when the call runs
