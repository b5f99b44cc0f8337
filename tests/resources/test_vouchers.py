"""Cash receipts end to end over loopback HTTP: ``client.vouchers`` against the sandbox, and the
receivable side of the sandbox's books (invoices, credit notes and receipts on one ledger)."""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Any

import pytest

from siigo import BadRequestError, Client, ValidationError, _json
from siigo.models.invoices import Invoice
from siigo.models.receipts import Voucher, VoucherCreateParams
from siigo.sandbox import Sandbox, accounts, ledger

from ..conftest import example
from .test_invoices import NIT, TODAY, invoice_body, raw

D = Decimal
RC_TYPE = 28470
ELECTRONIC_RC_TYPE = 28471
POST_VOUCHERS = "^/v1/vouchers$"
OTHER_CUSTOMER = "1036654321"


def credit_invoice(shop: Client, *, quantity: int = 10, customer: str = NIT) -> Invoice:
    """``quantity`` × 100.00 + IVA 19 %, paid on credit (the whole total is one installment)."""
    total = D(quantity) * D("119.00")
    return shop.invoices.create(
        invoice_body(
            customer={"identification": customer},
            items=[{"code": "SKU-1", "quantity": quantity, "price": "100.00", "taxes": [{"id": 18401}]}],
            payments=[{"id": 6102, "value": total, "due_date": TODAY.isoformat()}],
        )
    )


def due_of(invoice: Invoice, quote: int = 1) -> dict[str, Any]:
    return {"prefix": "FV-1", "consecutive": invoice.number, "quote": quote, "date": TODAY.isoformat()}


def debt_payment(invoice: Invoice, value: str, **overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "document": {"id": RC_TYPE},
        "date": TODAY.isoformat(),
        "type": "DebtPayment",
        "customer": {"identification": NIT},
        "items": [{"due": due_of(invoice), "value": value}],
        "payment": {"id": 6103, "value": value},
    }
    body.update(overrides)
    return body


def movements_of(sandbox: Sandbox, document_id: str) -> list[tuple[str, Decimal, Decimal]]:
    rows = sandbox.tenant().ledger["movements"].get(document_id, [])
    return [(m["account"], m["debit"], m["credit"]) for m in rows]


def receivables(sandbox: Sandbox) -> Decimal:
    """Debits minus credits on the receivables account, over every posted movement."""
    rows = [m for m in ledger.movements(sandbox.tenant()) if m["account"] == accounts.RECEIVABLES]
    return sum((m["debit"] - m["credit"] for m in rows), D(0))


def test_the_examples_parse() -> None:
    voucher = Voucher.model_validate(example("get_vouchers-id__response-200.json"))
    assert voucher.name == "RC-2-22" and voucher.payment is not None and voucher.payment.value == D("119000")
    assert voucher.items and voucher.items[0].due is not None and voucher.items[0].due.prefix == "FV-1"
    detailed = Voucher.model_validate(example("post_vouchers__response-201-2.json"))
    assert detailed.type == "Detailed" and detailed.items and detailed.items[0].account is not None
    body = VoucherCreateParams.model_validate(example("post_vouchers__request.json"))
    assert body.payments_total() == body.items_total() == D("119000")
    legacy = VoucherCreateParams.model_validate(example("post_vouchers__request-2.json"))
    assert legacy.payment is None and len(legacy.items or ()) == 2


def test_an_invoice_on_credit_opens_one_receivable_installment(shop: Client, siigo_sandbox: Sandbox) -> None:
    invoice = credit_invoice(shop)
    assert invoice.balance == D("1190.00")

    [due] = ledger.dues_of(siigo_sandbox.tenant(), invoice.id)
    assert (due["prefix"], due["consecutive"], due["quote"], due["value"]) == (
        "FV-1",
        invoice.number,
        1,
        D("1190.00"),
    )
    assert due["date"] == TODAY.isoformat() and due["side"] == "receivable"
    assert sorted(movements_of(siigo_sandbox, invoice.id)) == [
        (accounts.RECEIVABLES, D("1190.00"), D(0)),
        (accounts.VAT, D(0), D("190.00")),
        (accounts.SALES, D(0), D("1000.00")),
    ]
    cash = shop.invoices.create(invoice_body())
    assert cash.balance == D(0) and ledger.dues_of(siigo_sandbox.tenant(), cash.id) == []
    assert (accounts.CASH, D("1130.50"), D(0)) in movements_of(siigo_sandbox, cash.id)


def test_receipts_pay_an_invoice_down_to_zero_and_never_beyond(shop: Client, siigo_sandbox: Sandbox) -> None:
    invoice = credit_invoice(shop)

    part = shop.vouchers.for_invoice(invoice, payment={"id": 6103}, document={"id": RC_TYPE}, amount="500.00")
    first = shop.vouchers.create(part)
    assert first.name == "RC-1-45" and first.type == "DebtPayment"
    assert first.items and first.items[0].due is not None
    assert (first.items[0].due.prefix, first.items[0].due.consecutive, first.items[0].due.quote) == (
        "FV-1",
        invoice.number,
        1,
    )
    assert first.payment is not None and (first.payment.name, first.payment.value) == (
        "Transferencia Bancolombia",
        D("500.00"),
    )
    assert shop.invoices.retrieve(invoice.id).balance == D("690.00")

    with pytest.raises(ValidationError) as too_much:
        shop.vouchers.for_invoice(invoice.id, payment=6103, document=RC_TYPE, amount="690.01")
    assert too_much.value.codes == ["invalid_amount"] and too_much.value.errors[0].params == ("amount",)
    assert "690.00" in too_much.value.message

    with pytest.raises(BadRequestError) as overpaid:
        shop.vouchers.create(debt_payment(invoice, "690.01"))
    assert overpaid.value.codes == ["invalid_amount"]
    assert overpaid.value.errors[0].params == ("items[0].value",)

    rest = shop.vouchers.for_invoice(invoice.id, payment=6101, document=RC_TYPE)
    assert rest.payments_total() == D("690.00")
    second = shop.vouchers.create(rest)
    assert shop.invoices.retrieve(invoice.id).balance == D(0)
    assert receivables(siigo_sandbox) == D(0)
    assert (accounts.CASH, D("690.00"), D(0)) in movements_of(siigo_sandbox, second.id)

    with pytest.raises(ValidationError) as nothing:
        shop.vouchers.for_invoice(invoice.id, payment=6101, document=RC_TYPE)
    assert nothing.value.codes == ["invalid_amount"] and nothing.value.errors[0].params == ("amount",)
    assert "owes nothing" in nothing.value.message


def test_a_due_that_does_not_exist_or_is_another_customers_is_refused(shop: Client) -> None:
    invoice = credit_invoice(shop)
    unknown = debt_payment(invoice, "10.00")
    unknown["items"][0]["due"]["consecutive"] = 999
    with pytest.raises(BadRequestError) as caught:
        shop.vouchers.create(unknown)
    assert caught.value.codes == ["invalid_value"]
    assert caught.value.errors[0].params == ("items[0].due",) and "does not exist" in caught.value.message

    theirs = credit_invoice(shop, customer=OTHER_CUSTOMER)
    with pytest.raises(BadRequestError) as other:
        shop.vouchers.create(debt_payment(theirs, "10.00"))
    assert other.value.codes == ["invalid_value"] and other.value.errors[0].params == ("items[0].due",)
    assert "another customer" in other.value.message
    assert shop.invoices.retrieve(theirs.id).balance == D("1190.00")


def test_the_type_rules_are_local_and_the_sandbox_has_the_same(shop: Client, siigo_sandbox: Sandbox) -> None:
    invoice = credit_invoice(shop)
    base = debt_payment(invoice, "100.00")
    cases: list[tuple[dict[str, Any], str, str]] = [
        ({**base, "items": []}, "invalid_array", "items"),
        ({**base, "type": "AdvancePayment"}, "invalid_array", "items"),
        ({**base, "type": "MiscIncome", "items": None}, "parameter_required", "income"),
        ({**base, "payment": None}, "parameter_required", "payment"),
        (
            {
                **base,
                "type": "Detailed",
                "items": [{"account": {"code": "11050501", "movement": "Debit"}, "value": 1}],
            },
            "invalid_payment",
            "payment",
        ),
        ({**base, "items": [base["items"][0], base["items"][0]]}, "invalid_array", "items[1].due"),
        ({**base, "items": [{"value": "100.00"}]}, "parameter_required", "items[0].due"),
        ({**base, "payment": {"id": 6103, "value": "100.001"}}, "invalid_amount", "payment.value"),
    ]
    for body, code, field in cases:
        body = {k: v for k, v in body.items() if v is not None}
        with pytest.raises(ValidationError) as local:
            shop.vouchers.create(body)
        assert (local.value.codes, local.value.errors[0].params) == ([code], (field,)), body
        answer = raw(siigo_sandbox, "POST", "/v1/vouchers", body)
        assert answer.status_code == 400
        assert [(e["Code"], e["Params"]) for e in answer.json()["Errors"]] == [(code, [field])]
    # Only the raw requests reached the sandbox: the client sent none of them.
    assert len(siigo_sandbox.journal(method="POST", path=POST_VOUCHERS)) == len(cases)
    assert siigo_sandbox.tenant().documents["RC"] == {}


def test_the_payment_type_is_an_rc_type_without_due_dates(shop: Client, siigo_sandbox: Sandbox) -> None:
    invoice = credit_invoice(shop)
    siigo_sandbox.clear_journal()
    body = debt_payment(invoice, "100.00", payment={"id": 6102, "value": "100.00"})
    with pytest.raises(ValidationError) as local:
        shop.vouchers.create(body)
    assert local.value.codes == ["invalid_reference"] and local.value.errors[0].params == ("payment.id",)
    assert [e.query for e in siigo_sandbox.journal(method="GET", path="^/v1/payment-types$")] == [
        "document_type=RC"
    ]
    with pytest.raises(BadRequestError) as server:
        shop.vouchers.create(body, preflight=False)
    assert server.value.codes == ["invalid_reference"]

    siigo_sandbox.tenant().catalogs["payment_types"]["RC"].append(
        {"id": 6105, "name": "Crédito", "type": "Cartera", "active": True, "due_date": True}
    )
    shop.catalog_cache.refresh()
    with pytest.raises(ValidationError) as credit:
        shop.vouchers.create(body, payment={"id": 6105, "value": "100.00"})
    assert credit.value.codes == ["invalid_payment"] and credit.value.errors[0].params == ("payment.id",)
    assert "due dates" in credit.value.message


def test_the_payment_must_settle_what_the_items_pay(shop: Client, siigo_sandbox: Sandbox) -> None:
    invoice = credit_invoice(shop)
    body = debt_payment(invoice, "100.00", payment={"id": 6103, "value": "90.00"})
    with pytest.raises(ValidationError) as local:
        shop.vouchers.create(body)
    assert local.value.codes == ["invalid_total_payments"] and local.value.errors[0].params == (
        "payment.value",
    )
    with pytest.raises(BadRequestError) as server:
        shop.vouchers.create(body, preflight=False)
    assert server.value.codes == ["invalid_total_payments"] and "items pay (100.00" in server.value.message
    assert server.value.errors[0].params == ("payment.value",)
    assert shop.invoices.retrieve(invoice.id).balance == D("1190.00")


def test_discounts_and_withholdings_at_payment_time(shop: Client, siigo_sandbox: Sandbox) -> None:
    invoice = credit_invoice(shop)
    line = {
        "due": due_of(invoice),
        "value": "1190.00",
        "discounts": [{"id": 5301, "value": "10.00"}],  # 53053501 - Descuentos comerciales condicionados
        "taxes": [{"id": 18405, "base": "1000.00"}],  # Retefuente 2.5 % → 25.00
    }
    body = debt_payment(invoice, "1155.00", items=[line])
    receipt = shop.vouchers.create(body)

    assert receipt.items and receipt.items[0].taxes and receipt.items[0].taxes[0].value == D("25.00")
    assert sorted(movements_of(siigo_sandbox, receipt.id)) == sorted(
        [
            (accounts.BANK, D("1155.00"), D(0)),
            (accounts.DISCOUNTS_GRANTED, D("10.00"), D(0)),
            (accounts.WITHHELD["Retefuente"], D("25.00"), D(0)),
            (accounts.RECEIVABLES, D(0), D("1190.00")),
        ]
    )
    assert shop.invoices.retrieve(invoice.id).balance == D(0)

    second = credit_invoice(shop)
    # With tax adjustments the local check leaves the payment alone (their math is undocumented);
    # the sandbox, one concrete Siigo, wants the payment net of them.
    with pytest.raises(BadRequestError) as caught:
        shop.vouchers.create(debt_payment(second, "1190.00", items=[{**line, "due": due_of(second)}]))
    assert caught.value.codes == ["invalid_total_payments"] and "must be 1155.00" in caught.value.message
    assert caught.value.errors[0].params == ("payment.value",)


def test_advances_and_other_income(shop: Client, siigo_sandbox: Sandbox) -> None:
    advance = shop.vouchers.create(
        document={"id": RC_TYPE},
        date=TODAY.isoformat(),
        type="AdvancePayment",
        customer={"identification": NIT},
        payment={"id": 6101, "value": "300000.00"},
        observations="Anticipo pedido 77",
    )
    assert advance.items == [] and advance.payment is not None
    assert sorted(movements_of(siigo_sandbox, advance.id)) == [
        (accounts.CASH, D("300000.00"), D(0)),
        (accounts.CUSTOMER_ADVANCES, D(0), D("300000.00")),
    ]

    siigo_sandbox.tenant().catalogs["misc_incomes"] = [
        {"id": 7001, "name": "42100501 - Intereses", "active": True},
        {"id": 7002, "name": "Aprovechamientos", "active": True},
    ]
    misc: dict[str, Any] = {
        "document": {"id": RC_TYPE},
        "date": TODAY.isoformat(),
        "type": "MiscIncome",
        "customer": {"identification": NIT},
        "income": {"id": 7001},
        "payment": {"id": 6103, "value": "4500.00"},
    }
    siigo_sandbox.clear_journal()
    interest = shop.vouchers.create(misc)
    assert [entry.query for entry in siigo_sandbox.journal(method="POST", path="/v1/vouchers")] == [
        "type=MiscIncome"
    ]
    assert interest.income is not None and interest.income.name == "42100501 - Intereses"
    assert (accounts.BANK, D("4500.00"), D(0)) in movements_of(siigo_sandbox, interest.id)
    assert ("42100501", D(0), D("4500.00")) in movements_of(siigo_sandbox, interest.id)
    other = shop.vouchers.create(misc, income={"id": 7002})
    assert (accounts.MISC_INCOME, D(0), D("4500.00")) in movements_of(siigo_sandbox, other.id)

    with pytest.raises(BadRequestError) as unknown:
        shop.vouchers.create(misc, income={"id": 7099})
    assert unknown.value.codes == ["invalid_reference"] and unknown.value.errors[0].params == ("income.id",)

    with pytest.raises(BadRequestError) as disagreeing:  # the address and the body must agree
        shop._transport.request(
            "POST", "/v1/vouchers", params={"type": "DebtPayment"}, body=_json.dumps(misc)
        )
    assert disagreeing.value.codes == ["invalid_parameter"] and disagreeing.value.errors[0].params == (
        "type",
    )
    advance_body = {**misc, "type": "AdvancePayment", "income": None}
    siigo_sandbox.clear_journal()
    shop.vouchers.create({k: v for k, v in advance_body.items() if v is not None})
    assert [entry.query for entry in siigo_sandbox.journal(method="POST", path="/v1/vouchers")] == [""]


def test_the_legacy_detailed_shape_posts_its_lines(shop: Client, siigo_sandbox: Sandbox) -> None:
    lines = [
        {
            "account": {"code": "11050501", "movement": "Debit"},
            "description": "Consignación",
            "value": "119000",
        },
        {"account": {"code": "11100501", "movement": "Credit"}, "description": "Retiro", "value": "119000"},
    ]
    body: dict[str, Any] = {
        "document": {"id": RC_TYPE},
        "date": TODAY.isoformat(),
        "type": "Detailed",
        "customer": {"identification": NIT},
        "items": lines,
    }
    detailed = shop.vouchers.create(body)
    assert detailed.payment is None and detailed.items and detailed.items[0].account is not None
    assert sorted(movements_of(siigo_sandbox, detailed.id)) == [
        ("11050501", D("119000"), D(0)),
        ("11100501", D(0), D("119000")),
    ]

    with pytest.raises(BadRequestError) as unbalanced:
        shop.vouchers.create({**body, "items": [lines[0], {**lines[1], "value": "100"}]})
    assert unbalanced.value.codes == ["invalid_balance"] and unbalanced.value.errors[0].params == ("items",)
    with pytest.raises(BadRequestError) as unknown:
        shop.vouchers.create(
            {**body, "items": [lines[0], {**lines[1], "account": {"code": "99999999", "movement": "Credit"}}]}
        )
    assert unknown.value.codes == ["invalid_account"] and unknown.value.errors[0].params == (
        "items[1].account.code",
    )


def test_a_credit_note_and_a_receipt_share_the_installments(shop: Client, siigo_sandbox: Sandbox) -> None:
    invoice = credit_invoice(shop)
    note = shop.credit_notes.create(
        shop.credit_notes.from_invoice(invoice, document={"id": 28460}, lines={0: 2})
    )
    assert note.total == D("238.00")
    assert shop.invoices.retrieve(invoice.id).balance == D("952.00")
    assert sorted(movements_of(siigo_sandbox, note.id)) == [
        (accounts.RECEIVABLES, D(0), D("238.00")),
        (accounts.VAT, D("38.00"), D(0)),
        (accounts.SALES_RETURNS, D("200.00"), D(0)),
    ]

    with pytest.raises(BadRequestError) as overpaid:
        shop.vouchers.create(debt_payment(invoice, "1190.00"))
    assert overpaid.value.codes == ["invalid_amount"] and "952.00" in overpaid.value.message
    assert overpaid.value.errors[0].params == ("items[0].value",)

    receipt = shop.vouchers.create(
        shop.vouchers.for_invoice(shop.invoices.retrieve(invoice.id), payment=6101, document=RC_TYPE)
    )
    assert receipt.payment is not None and receipt.payment.value == D("952.00")
    assert shop.invoices.retrieve(invoice.id).balance == D(0)
    assert receivables(siigo_sandbox) == D(0)
    debits = sum((m["debit"] for m in ledger.movements(siigo_sandbox.tenant())), D(0))
    assert debits == sum((m["credit"] for m in ledger.movements(siigo_sandbox.tenant())), D(0))


def test_an_invoice_a_receipt_paid_cannot_be_deleted_annulled_or_edited(
    shop: Client, siigo_sandbox: Sandbox
) -> None:
    invoice = credit_invoice(shop)
    receipt = shop.vouchers.create(debt_payment(invoice, "100.00"))

    with pytest.raises(BadRequestError) as deleting:
        shop.invoices.delete(invoice.id)
    assert deleting.value.codes == ["delete_not_allowed"] and str(receipt.name) in deleting.value.message
    with pytest.raises(BadRequestError) as annulling:
        shop.invoices.annul(invoice.id)
    assert annulling.value.codes == ["delete_not_allowed"]
    with pytest.raises(BadRequestError) as editing:
        shop.invoices.update(invoice.id, invoice_body())
    assert editing.value.codes == ["non_editable"]
    assert shop.invoices.retrieve(invoice.id).balance == D("1090.00")


def test_deleting_or_annulling_an_invoice_takes_its_movements_out(
    shop: Client, siigo_sandbox: Sandbox
) -> None:
    tenant = siigo_sandbox.tenant()
    deleted = credit_invoice(shop)
    annulled = credit_invoice(shop)
    assert receivables(siigo_sandbox) == D("2380.00")

    shop.invoices.delete(deleted.id)
    assert movements_of(siigo_sandbox, deleted.id) == [] and ledger.dues_of(tenant, deleted.id) == []
    shop.invoices.annul(annulled.id)
    assert movements_of(siigo_sandbox, annulled.id) == [] and ledger.dues_of(tenant, annulled.id) == []
    assert shop.invoices.retrieve(annulled.id).balance == D(0)
    assert receivables(siigo_sandbox) == D(0)
    with pytest.raises(ValidationError) as nothing:
        shop.vouchers.for_invoice(annulled.id, payment=6101, document=RC_TYPE)
    assert nothing.value.codes == ["invalid_amount"] and nothing.value.errors[0].params == ("amount",)


def test_an_edited_invoice_posts_again(shop: Client, siigo_sandbox: Sandbox) -> None:
    invoice = credit_invoice(shop)
    body = invoice_body(
        items=[{"code": "SKU-1", "quantity": 5, "price": "100.00", "taxes": [{"id": 18401}]}],
        payments=[{"id": 6102, "value": "595.00", "due_date": TODAY.isoformat()}],
    )
    edited = shop.invoices.update(invoice.id, body)
    assert edited.balance == D("595.00")
    [due] = ledger.dues_of(siigo_sandbox.tenant(), invoice.id)
    assert due["value"] == D("595.00") and receivables(siigo_sandbox) == D("595.00")


def test_what_a_customer_owes(shop: Client, siigo_sandbox: Sandbox) -> None:
    first = credit_invoice(shop)
    second = credit_invoice(shop, quantity=2)
    credit_invoice(shop, customer=OTHER_CUSTOMER)
    shop.invoices.create(invoice_body())  # paid in cash: owes nothing
    shop.vouchers.create(debt_payment(first, "190.00"))

    owed = shop.vouchers.owed_by(NIT)
    assert owed.total == D("1000.00") + D("238.00")
    assert [(row.name, row.balance) for row in owed] == [
        (first.name, D("1000.00")),
        (second.name, D("238.00")),
    ]
    [installment] = owed.documents[0].open_installments
    assert (installment.prefix, installment.consecutive, installment.quote) == ("FV-1", first.number, 1)
    assert (installment.value, installment.balance) == (D("1190.00"), D("1000.00"))
    assert shop.vouchers.owed_by(NIT, branch_office=1).total == D(0)
    assert len(shop.vouchers.owed_by(OTHER_CUSTOMER)) == 1


def test_an_amount_is_spread_over_installments_in_order(shop: Client) -> None:
    """Siigo allows one credit payment per invoice, so an invoice read back with two credit
    installments is built here to check the spreading."""
    invoice = credit_invoice(shop)
    data = invoice.model_dump(by_alias=True)
    data["payments"] = [
        {"id": 6102, "value": "600.00", "due_date": TODAY.isoformat()},
        {"id": 6102, "value": "590.00", "due_date": "2099-01-31"},
    ]
    data["balance"] = "1000.00"  # 190.00 of the first installment already paid
    two = Invoice.model_validate(data)
    body = shop.vouchers.for_invoice(two, payment=6101, document=RC_TYPE, amount="500.00")
    assert [(i.due.quote if i.due else None, i.value) for i in body.items or ()] == [
        (1, D("410.00")),
        (2, D("90.00")),
    ]
    assert body.items and body.items[1].due and body.items[1].due.date.isoformat() == "2099-01-31"
    assert body.payments_total() == D("500.00")


def test_the_receipt_is_read_back_and_listed(shop: Client) -> None:
    invoice = credit_invoice(shop)
    receipt = shop.vouchers.create(debt_payment(invoice, "100.00"), observations="Transferencia ref. 88412")
    again = shop.vouchers.retrieve(receipt.id)
    assert again.model_dump() == receipt.model_dump()
    assert again.customer is not None and again.customer.identification == NIT and again.customer.id
    assert [v.id for v in shop.vouchers.list(date_start=TODAY, date_end=TODAY)] == [receipt.id]
    assert list(shop.vouchers.list(name="RC-1-9999")) == []
    with pytest.raises(BadRequestError) as missing:
        shop.vouchers.create(
            debt_payment(invoice, "1.00", customer={"identification": str(uuid.uuid4().int)[:12]})
        )
    assert missing.value.codes[0] == "invalid_reference"
    assert missing.value.errors[0].params == ("customer.identification",)


def test_a_receipt_is_emailed(shop: Client, siigo_sandbox: Sandbox) -> None:
    invoice = credit_invoice(shop)
    receipt = shop.vouchers.create(debt_payment(invoice, "100.00"))
    sent = shop.vouchers.send_email(
        receipt.id, mail_to="tesoreria@eltornillo.example.com", copy_to=["a@b.co"]
    )
    assert sent.status == "sent"
    [mail] = siigo_sandbox.outbox()
    assert (mail["kind"], mail["document_id"], mail["to"], mail["copy_to"]) == (
        "RC",
        receipt.id,
        "tesoreria@eltornillo.example.com",
        ["a@b.co"],
    )
    assert mail["subject"] == f"Recibo de caja {receipt.name}"
    with pytest.raises(ValidationError) as bad:
        shop.vouchers.send_email(receipt.id, mail_to="not-an-address")
    assert bad.value.codes == ["invalid_email"] and bad.value.errors[0].params == ("mail_to",)


def stamp_of(receipt: Voucher) -> dict[str, Any] | None:
    """The ``stamp`` a cash receipt carries once sent, with wire names."""
    return receipt.stamp.model_dump(exclude_none=True) if receipt.stamp is not None else None


def test_stamp_sends_an_electronic_receipt_and_mails_it(shop: Client, siigo_sandbox: Sandbox) -> None:
    invoice = credit_invoice(shop)
    receipt = shop.vouchers.create(debt_payment(invoice, "100.00", document={"id": ELECTRONIC_RC_TYPE}))
    assert receipt.name == "RC-2-1" and stamp_of(receipt) is None
    siigo_sandbox.configure(stamp_outcome="Rejected")
    rejected = shop.vouchers.stamp(receipt.id)
    assert rejected.status == "Rejected" and not rejected.code
    assert rejected.mail is not None and rejected.mail.status == "not_sent"
    assert siigo_sandbox.outbox() == []

    siigo_sandbox.configure(stamp_outcome="Accepted")
    sent = shop.vouchers.stamp(receipt.id)
    assert sent.status == "Accepted" and sent.code and len(sent.code) == 96
    assert sent.mail is not None and sent.mail.status == "sent"
    [mail] = siigo_sandbox.outbox()
    assert (mail["kind"], mail["document_id"], mail["reason"]) == ("RC", receipt.id, "mail.send")
    read = stamp_of(shop.vouchers.retrieve(receipt.id))
    assert read is not None and read["status"] == "Accepted" and read["cude"] == sent.code
    again = shop.vouchers.stamp(receipt.id)  # already accepted: answered again, not re-sent
    assert (again.status, again.code) == ("Accepted", sent.code) and len(siigo_sandbox.outbox()) == 1


def test_stamp_refuses_a_receipt_of_a_non_electronic_type(shop: Client, siigo_sandbox: Sandbox) -> None:
    invoice = credit_invoice(shop)
    receipt = shop.vouchers.create(debt_payment(invoice, "100.00"))
    with pytest.raises(BadRequestError) as caught:
        shop.vouchers.stamp(receipt.id)
    assert caught.value.codes == ["document_settings"]
    assert caught.value.errors[0].params == ("document.id",)
    assert stamp_of(shop.vouchers.retrieve(receipt.id)) is None and siigo_sandbox.outbox() == []
