"""Credit notes end to end over loopback HTTP: ``client.credit_notes`` against the sandbox."""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Any

import pytest

from siigo import BadRequestError, Client, ValidationError
from siigo.models.credit_notes import CreditNote, CreditNoteCreateParams, CreditNotePdf
from siigo.models.invoices import Invoice
from siigo.resources.credit_notes import CreditNoteInvoiceDataDict
from siigo.sandbox import Sandbox

from ..conftest import example
from .test_invoices import NIT, TODAY, invoice_body

POST_NOTES = "^/v1/credit-notes$"
NOTE_TYPE = 28460
ELECTRONIC_NOTE_TYPE = 28461


def two_line_invoice(shop: Client, **overrides: Any) -> Invoice:
    """10 × 100.00 − 50.00 and 3 × 45 000.00, IVA 19 % on both; paid on credit (balance = total)."""
    body = invoice_body(
        items=[
            {
                "code": "SKU-1",
                "quantity": 10,
                "price": "100.00",
                "discount": "50.00",
                "taxes": [{"id": 18401}],
            },
            {"code": "SERV-INST-CER", "quantity": 3, "price": "45000", "taxes": [{"id": 18401}]},
        ],
        payments=[{"id": 6102, "value": "161780.50", "due_date": TODAY.isoformat()}],
    )
    body.update(overrides)
    return shop.invoices.create(body)


def test_the_examples_parse() -> None:
    note = CreditNote.model_validate(example("get_credit-notes-id__response-200.json"))
    assert note.cude and note.invoice is not None and note.invoice.name == "FV-2-20"
    assert note.total == Decimal("2546.05")
    CreditNote.model_validate(example("post_credit-notes__response-201.json"))
    listed = example("get_credit-notes__response-200.json")
    assert [CreditNote.model_validate(r).name for r in listed["results"]]
    assert CreditNotePdf.model_validate(example("get_credit-notes-id-pdf__response-200.json")).id
    body = CreditNoteCreateParams.model_validate(example("post_credit-notes__request.json"))
    assert body.reason == 1 and body.payments_total() == Decimal("1273.03")


def test_a_whole_invoice_is_credited_and_its_balance_goes_to_zero(
    shop: Client, siigo_sandbox: Sandbox
) -> None:
    invoice = two_line_invoice(shop)
    assert invoice.balance == Decimal("161780.50")

    body = shop.credit_notes.from_invoice(invoice, document={"id": NOTE_TYPE})
    note = shop.credit_notes.create(body)

    assert note.name == "NC-1-87" and note.invoice is not None and note.invoice.id == invoice.id
    assert note.total == invoice.total == Decimal("161780.50")
    assert [p.value for p in note.payments or ()] == [Decimal("161780.50")]
    assert note.customer is not None and note.customer.identification == NIT
    assert shop.invoices.retrieve(invoice.id).balance == Decimal("0")
    assert shop.credit_notes.retrieve(note.id).model_dump() == note.model_dump()


def test_chosen_lines_and_quantities_are_credited_in_proportion(shop: Client) -> None:
    invoice = two_line_invoice(shop)
    body = shop.credit_notes.from_invoice(
        invoice, document={"id": NOTE_TYPE}, lines={0: 1, "SERV-INST-CER": 2}
    )

    # Line 0: 1 of 10 × 100.00 with its share (5.00) of the 50.00 discount: 95.00 + 18.05 IVA.
    assert [(i.code, i.quantity, i.discount) for i in body.items] == [
        ("SKU-1", Decimal("1"), Decimal("5.00")),
        ("SERV-INST-CER", Decimal("2"), None),
    ]
    note = shop.credit_notes.create(body)
    assert note.total == Decimal("113.05") + Decimal("107100.00")
    assert shop.invoices.retrieve(invoice.id).balance == Decimal("161780.50") - note.total


def test_credit_notes_never_add_up_to_more_than_the_invoice(shop: Client) -> None:
    invoice = two_line_invoice(shop)
    shop.credit_notes.create(
        shop.credit_notes.from_invoice(invoice, document={"id": NOTE_TYPE}, lines={1: 1})
    )

    with pytest.raises(BadRequestError) as caught:
        shop.credit_notes.create(shop.credit_notes.from_invoice(invoice, document={"id": NOTE_TYPE}))
    assert caught.value.codes == ["invalid_amount"]
    assert "left to credit" in caught.value.message


def test_a_cancellation_credits_what_is_left_and_nothing_more_can_be_credited(shop: Client) -> None:
    invoice = two_line_invoice(shop)
    shop.credit_notes.create(
        shop.credit_notes.from_invoice(invoice, document={"id": NOTE_TYPE}, lines={1: 1})
    )
    cancel = shop.credit_notes.from_invoice(invoice, document={"id": NOTE_TYPE}, reason=2, lines={0: 1})
    shop.credit_notes.create(cancel)
    assert shop.invoices.retrieve(invoice.id).balance == Decimal("0")

    with pytest.raises(BadRequestError) as caught:
        shop.credit_notes.create(
            shop.credit_notes.from_invoice(invoice, document={"id": NOTE_TYPE}, lines={0: 1})
        )
    assert caught.value.codes == ["invalid_amount"]


def test_a_credited_invoice_refuses_edit_delete_and_annul(shop: Client) -> None:
    invoice = two_line_invoice(shop)
    note = shop.credit_notes.create(
        shop.credit_notes.from_invoice(invoice, document={"id": NOTE_TYPE}, lines={0: 1})
    )

    with pytest.raises(BadRequestError) as deleting:
        shop.invoices.delete(invoice.id)
    assert deleting.value.codes == ["delete_not_allowed"] and str(note.name) in deleting.value.message
    with pytest.raises(BadRequestError) as annulling:
        shop.invoices.annul(invoice.id)
    assert annulling.value.codes == ["delete_not_allowed"]
    with pytest.raises(BadRequestError) as editing:
        shop.invoices.update(invoice.id, invoice_body())
    assert editing.value.codes == ["non_editable"]


def test_the_referenced_invoice_must_exist(shop: Client) -> None:
    body = {
        "document": {"id": NOTE_TYPE},
        "date": TODAY.isoformat(),
        "invoice": str(uuid.uuid4()),
        "reason": 1,
        "items": [{"code": "SKU-1", "quantity": 1, "price": "100.00", "taxes": [{"id": 18401}]}],
        "payments": [{"id": 6101, "value": "119.00"}],
    }
    with pytest.raises(BadRequestError) as caught:
        shop.credit_notes.create(body)
    assert caught.value.codes == ["invalid_reference"]
    assert caught.value.errors[0].params == ("invoice",)
    assert caught.value.idempotency_key is not None


def test_an_electronic_note_needs_an_electronic_invoice_accepted_by_dian(
    shop: Client, siigo_sandbox: Sandbox
) -> None:
    paper = two_line_invoice(shop)
    with pytest.raises(BadRequestError) as caught:
        shop.credit_notes.create(shop.credit_notes.from_invoice(paper, document={"id": ELECTRONIC_NOTE_TYPE}))
    assert caught.value.codes == ["invalid_document"]
    assert "not electronic" in caught.value.message

    electronic = two_line_invoice(shop, document={"id": 28453})
    assert electronic.stamp is not None and electronic.stamp.status == "Draft"
    with pytest.raises(BadRequestError) as caught:
        shop.credit_notes.create(
            shop.credit_notes.from_invoice(electronic, document={"id": ELECTRONIC_NOTE_TYPE})
        )
    assert caught.value.codes == ["invalid_document"]
    assert "accepted by DIAN" in caught.value.message

    siigo_sandbox.stamp(electronic.id, "Accepted")
    body = shop.credit_notes.from_invoice(electronic.id, document={"id": ELECTRONIC_NOTE_TYPE})
    note = shop.credit_notes.create(body, stamp={"send": True})
    assert note.stamp is not None and note.stamp.status == "Accepted"
    assert note.cude is not None and len(note.cude) == 96


def test_the_currency_must_be_the_invoices(shop: Client) -> None:
    invoice = two_line_invoice(shop)
    body = shop.credit_notes.from_invoice(invoice, document={"id": NOTE_TYPE}, lines={0: 1})
    with pytest.raises(BadRequestError) as caught:
        shop.credit_notes.create(body, currency={"code": "USD", "exchange_rate": "3950.25"})
    assert caught.value.codes == ["invalid_currency"]


def test_payments_must_equal_siigos_total_locally(shop: Client, siigo_sandbox: Sandbox) -> None:
    invoice = two_line_invoice(shop)
    body = shop.credit_notes.from_invoice(invoice, document={"id": NOTE_TYPE}, lines={0: 1})
    with pytest.raises(ValidationError) as caught:
        shop.credit_notes.create(body, payments=[{"id": 6101, "value": "100.00"}])
    assert caught.value.codes == ["invalid_total_payments"]
    assert caught.value.idempotency_key is not None
    assert siigo_sandbox.journal(method="POST", path=POST_NOTES) == []

    # Without the preflight Siigo (the sandbox) refuses it with the total it computed.
    with pytest.raises(BadRequestError) as server:
        shop.credit_notes.create(body, payments=[{"id": 6101, "value": "100.00"}], preflight=False)
    assert server.value.codes == ["invalid_total_payments"]
    assert "113.05" in server.value.message


def test_the_reference_rules_are_local(shop: Client, siigo_sandbox: Sandbox) -> None:
    base: dict[str, Any] = {
        "document": {"id": NOTE_TYPE},
        "date": TODAY.isoformat(),
        "reason": 1,
        "items": [{"code": "SKU-1", "quantity": 1, "price": "100.00", "taxes": [{"id": 18401}]}],
        "payments": [{"id": 6101, "value": "119.00"}],
    }
    with pytest.raises(ValidationError) as neither:
        shop.credit_notes.create(base)
    assert neither.value.codes == ["parameters_exclusive"]
    outside: CreditNoteInvoiceDataDict = {"date": "2026-01-02", "prefix": "SETT", "number": 1893}
    with pytest.raises(ValidationError) as no_customer:
        shop.credit_notes.create(base, invoice_data=outside)
    assert no_customer.value.codes == ["parameter_required"]
    assert "customer and seller" in no_customer.value.message
    with pytest.raises(ValidationError) as cancel:
        shop.credit_notes.create(
            base, reason=2, invoice_data=outside, customer={"identification": NIT}, seller=4120
        )
    assert cancel.value.codes == ["parameter_required"] and "cufe" in cancel.value.message
    with pytest.raises(ValidationError) as reason:
        shop.credit_notes.create(base, reason=8, invoice=str(uuid.uuid4()))  # type: ignore[arg-type]
    assert reason.value.codes == ["invalid_value"]
    with pytest.raises(ValidationError) as name:
        shop.credit_notes.create(base, invoice="FV-1-1001")
    assert name.value.codes == ["invalid_type"]
    assert siigo_sandbox.journal(method="POST", path=POST_NOTES) == []


def test_a_note_of_an_invoice_issued_outside_siigo(shop: Client) -> None:
    note = shop.credit_notes.create(
        document={"id": NOTE_TYPE},
        date=TODAY.isoformat(),
        reason=1,
        invoice_data={"date": "2026-01-02", "prefix": "SETT", "number": 1893},
        customer={"identification": NIT, "branch_office": 0},
        seller=4120,
        items=[{"code": "SKU-1", "quantity": 1, "price": "100.00", "taxes": [{"id": 18401}]}],
        payments=[{"id": 6101, "value": "119.00"}],
    )
    assert note.invoice is None and note.invoice_data is not None and note.invoice_data.number == 1893
    assert note.customer is not None and note.customer.id is not None

    with pytest.raises(BadRequestError) as caught:
        shop.credit_notes.create(
            document={"id": NOTE_TYPE},
            date=TODAY.isoformat(),
            reason=1,
            invoice_data={"date": "2026-01-02"},
            customer={"identification": "111222333"},
            seller=4120,
            items=[{"code": "SKU-1", "quantity": 1, "price": "100.00", "taxes": [{"id": 18401}]}],
            payments=[{"id": 6101, "value": "119.00"}],
        )
    assert caught.value.codes == ["invalid_reference"]


def test_a_dropped_connection_is_retried_and_creates_exactly_one_note(
    shop: Client, siigo_sandbox: Sandbox
) -> None:
    invoice = two_line_invoice(shop)
    body = shop.credit_notes.from_invoice(invoice, document={"id": NOTE_TYPE}, lines={0: 1})
    siigo_sandbox.clear_journal()
    siigo_sandbox.inject_fault(method="POST", path=POST_NOTES, drop="after", count=1)

    note = shop.credit_notes.create(body)

    assert list(siigo_sandbox.tenant().documents["NC"]) == [note.id]
    attempts = siigo_sandbox.journal(method="POST", path=POST_NOTES)
    assert [a.status for a in attempts] == [0, 201]
    assert attempts[0].idempotency_key == attempts[1].idempotency_key is not None
    assert shop.invoices.retrieve(invoice.id).balance == Decimal("161780.50") - Decimal("113.05")


def test_list_filters_and_pdf(shop: Client) -> None:
    invoice = two_line_invoice(shop)
    first = shop.credit_notes.create(
        shop.credit_notes.from_invoice(invoice, document={"id": NOTE_TYPE}, lines={0: 1})
    )
    second = shop.credit_notes.create(
        shop.credit_notes.from_invoice(invoice, document={"id": NOTE_TYPE}, lines={1: 1})
    )

    assert [n.id for n in shop.credit_notes.list()] == [first.id, second.id]
    assert [n.id for n in shop.credit_notes.list(name=str(second.name))] == [second.id]
    pdf = shop.credit_notes.pdf(first.id)
    assert pdf.startswith(b"%PDF-1.4") and b"Nota cr" in pdf and str(invoice.name).encode() in pdf


def test_from_invoice_refuses_lines_it_does_not_have(shop: Client) -> None:
    invoice = two_line_invoice(shop)
    with pytest.raises(ValidationError) as caught:
        shop.credit_notes.from_invoice(invoice, document={"id": NOTE_TYPE}, lines={5: 1, "SKU-1": 11})
    assert caught.value.codes == ["invalid_value", "invalid_value"]
    assert "no line 5" in caught.value.message and "at most the 10" in caught.value.message


def test_returned_goods_go_back_to_stock(shop: Client, siigo_sandbox: Sandbox) -> None:
    product = next(p for p in shop.products.list() if p.code == "TAL-750-001")
    siigo_sandbox.set_stock(product.id, 10, warehouse=3301)
    item = {
        "code": "TAL-750-001",
        "quantity": 4,
        "price": "250000",
        "warehouse": 3301,
        "taxes": [{"id": 18401}],
    }
    invoice = shop.invoices.create(
        invoice_body(
            items=[item], payments=[{"id": 6102, "value": "1190000.00", "due_date": TODAY.isoformat()}]
        )
    )
    assert shop.products.retrieve(product.id).available_quantity == Decimal(6)

    shop.credit_notes.create(
        shop.credit_notes.from_invoice(invoice, document={"id": NOTE_TYPE}, lines={0: 3})
    )

    assert shop.products.retrieve(product.id).available_quantity == Decimal(9)
