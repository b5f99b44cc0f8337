"""A document read from Siigo becomes a request body (siigo.models.documents.request_fields)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from siigo import Client, ValidationError
from siigo.models._base import build
from siigo.models.credit_notes import CreditNoteCreateParams
from siigo.models.documents import looks_read, request_fields
from siigo.models.invoices import InvoiceCreateParams
from siigo.models.quotations import QuotationCreateParams

from ..conftest import example
from ..resources.test_invoices import invoice_body


def test_siigos_invoice_example_reads_back_as_an_invoice_body() -> None:
    read = example("get_invoices-id__response-200.json")
    assert looks_read(read)
    body, notes = request_fields(read)
    params = build(InvoiceCreateParams, body)
    assert "id" not in body and "total" not in body and "metadata" not in body
    assert all(set(t.to_wire()) == {"id"} for item in params.items for t in item.taxes or ())
    assert any("dropped what Siigo only returns" in n for n in notes)


def test_a_percentage_document_type_reads_the_discount_percentage() -> None:
    read = example("get_quotations-id__response-200.json")
    value, _ = request_fields(read, discount_type="Value")
    percentage, notes = request_fields(read, discount_type="Percentage")
    assert value["items"][0]["discount"] == 130 and percentage["items"][0]["discount"] == 13
    assert any("read as its percentage" in n for n in notes)
    assert build(QuotationCreateParams, percentage).items[0].discount == Decimal(13)


def test_what_siigo_does_not_return_must_still_be_given() -> None:
    body, _ = request_fields(example("get_credit-notes-id__response-200.json"))
    assert body["invoice"] == "302580df-838b-4531-b8bf-dd3c98b34059"
    with pytest.raises(ValidationError) as caught:
        build(CreditNoteCreateParams, body)
    assert caught.value.errors[0].params == ("reason",)
    assert build(CreditNoteCreateParams, {**body, "reason": 1}).reason == 1


def test_a_misspelled_field_survives_to_be_refused() -> None:
    read = {**example("get_quotations-id__response-200.json"), "sellr": 629}
    body, _ = request_fields(read)
    with pytest.raises(ValidationError) as caught:
        build(QuotationCreateParams, body)
    assert caught.value.codes == ["invalid_parameter"] and caught.value.errors[0].params == ("sellr",)


def test_an_invoice_gives_its_update_params(shop: Client) -> None:
    invoice = shop.invoices.create(invoice_body())
    params = invoice.to_update_params()
    item = params.to_wire()["items"][0]
    assert (item["code"], item["discount"], item["taxes"]) == ("SKU-1", Decimal("50.00"), [{"id": 18401}])
    assert params.number is None and [p.value for p in params.payments] == [Decimal("1130.50")]
    updated = shop.invoices.update(invoice.id, params, observations="Entregar en bodega")
    assert updated.observations == "Entregar en bodega" and updated.total == invoice.total
