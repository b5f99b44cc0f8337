"""Quotations end to end over loopback HTTP: ``client.quotations`` against the sandbox."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from siigo import BadRequestError, Client, NotFoundError, ValidationError
from siigo.models.documents import ReadBackWarning
from siigo.models.quotations import Quotation, QuotationCreateParams, QuotationUpdateParams
from siigo.sandbox import Sandbox

from ..conftest import example
from .test_invoices import NIT, TODAY

QUOTATION_TYPE = 28492


def quotation_body(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "document": {"id": QUOTATION_TYPE},
        "date": TODAY.isoformat(),
        "customer": {"identification": NIT, "branch_office": 0},
        "seller": 4120,
        "items": [
            {
                "code": "SKU-1",
                "quantity": 10,
                "price": "100.00",
                "discount": "50.00",
                "taxes": [{"id": 18401}],
            }
        ],
    }
    body.update(overrides)
    return body


def test_the_examples_parse() -> None:
    for name in (
        "get_quotations-id__response-200.json",
        "post_quotations__response-201.json",
        "put_quotations-id__response-201.json",
    ):
        quotation = Quotation.model_validate(example(name))
        assert quotation.name == "C-1-22" and quotation.total == Decimal("2546.05")
    assert [Quotation.model_validate(r).id for r in example("get_quotations__response-200.json")["results"]]
    assert QuotationCreateParams.model_validate(example("post_quotations__request.json")).seller == 629
    assert QuotationUpdateParams.model_validate(example("put_quotations-id__request.json")).items


def test_a_quotation_is_numbered_and_totalled_like_an_invoice(shop: Client) -> None:
    first = shop.quotations.create(quotation_body())
    second = shop.quotations.create(**quotation_body())

    assert (first.name, second.name) == ("C-1-22", "C-1-23")
    assert first.total == Decimal("1130.50")  # 10 × 100.00 − 50.00 + 19 % IVA
    assert first.public_url is not None and first.public_url.startswith("https://publicview.siigo.com/")
    assert shop.quotations.retrieve(first.id).total == first.total
    assert [q.id for q in shop.quotations.list()] == [first.id, second.id]


def test_the_customer_must_exist_and_be_active(shop: Client) -> None:
    with pytest.raises(BadRequestError) as missing:
        shop.quotations.create(quotation_body(customer={"identification": "111222333"}))
    assert missing.value.codes == ["invalid_reference"]
    assert missing.value.errors[0].params == ("customer.identification",)
    with pytest.raises(BadRequestError) as inactive:
        shop.quotations.create(quotation_body(customer={"identification": "811000111"}))
    assert inactive.value.codes == ["parameter_inactive"]


def test_a_quotation_takes_no_payments_and_needs_its_kind_of_document_type(
    shop: Client, siigo_sandbox: Sandbox
) -> None:
    with pytest.raises(ValidationError) as payments:
        shop.quotations.create(quotation_body(payments=[{"id": 6101, "value": "1130.50"}]))
    assert payments.value.errors[0].params == ("payments",)
    with pytest.raises(ValidationError) as wrong_kind:
        shop.quotations.create(quotation_body(document={"id": 28451}))
    assert wrong_kind.value.codes == ["invalid_document"]
    with pytest.raises(BadRequestError) as server:
        shop.quotations.create(quotation_body(document={"id": 28451}), preflight=False)
    assert server.value.codes == ["invalid_document"]


def test_put_replaces_the_items_and_keeps_the_immutable_fields(shop: Client) -> None:
    quotation = shop.quotations.create(quotation_body())
    items = [{"code": "SERV-INST-CER", "quantity": 1, "price": "45000", "taxes": [{"id": 18401}]}]

    updated = shop.quotations.update(quotation.id, quotation_body(items=items))

    assert updated.id == quotation.id and updated.name == quotation.name
    assert [i.code for i in updated.items or ()] == ["SERV-INST-CER"]
    assert updated.total == Decimal("53550.00")
    assert updated.metadata is not None and updated.metadata.last_updated is not None
    with pytest.raises(BadRequestError) as caught:
        shop.quotations.update(quotation.id, quotation_body(customer={"identification": "1036654321"}))
    assert caught.value.codes == ["non_editable"]
    assert caught.value.errors[0].params == ("customer.identification",)


def test_delete_then_not_found(shop: Client) -> None:
    quotation = shop.quotations.create(quotation_body())
    assert shop.quotations.delete(quotation.id).deleted is True
    with pytest.raises(NotFoundError) as caught:
        shop.quotations.retrieve(quotation.id)
    assert caught.value.codes == ["not_found"]


def test_a_quotation_becomes_an_invoice_body_the_caller_adds_payments_to(shop: Client) -> None:
    quotation = shop.quotations.create(quotation_body())
    body = shop.quotations.to_invoice(quotation, document={"id": 28451})
    assert "payments" not in body

    assert quotation.total is not None
    invoice = shop.invoices.create(body, payments=[{"id": 6101, "value": quotation.total}])

    assert invoice.total == quotation.total
    assert invoice.customer is not None and invoice.customer.identification == NIT
    assert [(i.code, i.quantity) for i in invoice.items or ()] == [("SKU-1", Decimal("10"))]


def test_a_reading_argument_pins_the_math(shop: Client) -> None:
    with pytest.raises(ValidationError) as caught:
        shop.quotations.create(quotation_body(), reading={"rounding": "up"})
    assert caught.value.codes == ["invalid_value"]
    with pytest.raises(ValidationError) as unknown:
        shop.quotations.create(quotation_body(), reading={"roundng": "half_up"})
    assert unknown.value.codes == ["invalid_value"] and "roundng" in unknown.value.message
    assert shop.quotations.create(quotation_body(), reading={"rounding": "half_even"}).name


def test_a_quotation_read_from_siigo_can_be_sent_back(shop: Client) -> None:
    quotation = shop.quotations.create(quotation_body())
    read = shop.quotations.retrieve(quotation.id)

    with pytest.warns(ReadBackWarning, match="dropped what Siigo only returns"):
        updated = shop.quotations.update(quotation.id, read, observations="Precio sostenido 30 días")
    assert updated.observations == "Precio sostenido 30 días"
    assert updated.total == quotation.total and [i.code for i in updated.items or ()] == ["SKU-1"]

    as_json = shop.request("GET", f"/v1/quotations/{quotation.id}")
    with pytest.warns(ReadBackWarning):
        copy = shop.quotations.create(as_json)
    assert copy.id != quotation.id and copy.total == quotation.total

    as_json["observaciones"] = "typo"
    with pytest.warns(ReadBackWarning), pytest.raises(ValidationError) as caught:
        shop.quotations.create(as_json)
    assert caught.value.codes == ["invalid_parameter"]
    assert caught.value.errors[0].params == ("observaciones",)
