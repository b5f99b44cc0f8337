"""Payment receipts end to end over loopback HTTP: ``client.payment_receipts`` against the sandbox,
paying real purchases (``client.purchases``) bought on supplier credit: the purchase's payable
installments (prefix ``FC-1``, the purchase number, quotes 1..n) are paid down, its ``balance``
follows, and a paid purchase is locked until the receipt is removed."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from siigo import BadRequestError, Client, NotFoundError, ValidationError
from siigo.models.purchases import Purchase
from siigo.models.receipts import PaymentReceipt, PaymentReceiptCreateParams, ReceiptTaxParam
from siigo.pagination import Envelope
from siigo.sandbox import Sandbox, accounts, ledger

from ..conftest import example
from .test_invoices import NIT, TODAY, raw
from .test_purchases import CREDIT, DUE, PURCHASE_TYPE
from .test_vouchers import credit_invoice, due_of

D = Decimal
RP_TYPE = 28491
SUPPLIER = "830117028"


@pytest.fixture
def supplier(shop: Client) -> str:
    shop.customers.create(
        type="Supplier",
        person_type="Company",
        id_type="31",
        identification=SUPPLIER,
        name=["Distribuidora Andina de Herramientas S.A."],
        address={
            "address": "Cra 7 # 10-20",
            "city": {"country_code": "CO", "state_code": "11", "city_code": "11001"},
        },
        contacts=[{"first_name": "Compras", "email": "compras@andina.example.com"}],
    )
    return SUPPLIER


def purchase_body(price: str = "500000.00", *, vat: bool = False, **overrides: Any) -> dict[str, Any]:
    """Transport services bought from the supplier on supplier credit (6202, due in 30 days):
    one payable installment of the total (``price``, plus 19 % IVA when ``vat``)."""
    total = D(price) * (D("1.19") if vat else 1)
    body: dict[str, Any] = {
        "document": {"id": PURCHASE_TYPE},
        "date": TODAY.isoformat(),
        "supplier": {"identification": SUPPLIER, "branch_office": 0},
        "provider_invoice": {"prefix": "FE", "number": "8841"},
        "items": [
            {
                "type": "Account",
                "code": "51354001",
                "quantity": 1,
                "price": D(price),
                **({"taxes": [{"id": 18401}]} if vat else {}),
            }
        ],
        "payments": [{"id": CREDIT, "value": total.quantize(D("0.01")), "due_date": DUE}],
    }
    body.update(overrides)
    return body


def credit_purchase(shop: Client, price: str = "500000.00", *, vat: bool = False) -> Purchase:
    """A purchase created through ``client.purchases`` (FC-1-310 first, then 311...)."""
    return shop.purchases.create(purchase_body(price, vat=vat))


def advance(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "document": {"id": RP_TYPE},
        "date": TODAY.isoformat(),
        "type": "AdvancePayment",
        "supplier": {"identification": SUPPLIER},
        "payment": {"id": 6201, "value": "250000.00"},
        "observations": "Anticipo orden de compra 55",
    }
    body.update(overrides)
    return body


def movements_of(sandbox: Sandbox, document_id: str) -> list[tuple[str, Decimal, Decimal]]:
    rows = sandbox.tenant().ledger["movements"].get(document_id, [])
    return sorted((m["account"], m["debit"], m["credit"]) for m in rows)


def test_the_examples_parse() -> None:
    receipt = PaymentReceipt.model_validate(example("get_payment-receipts-id__response-200.json"))
    assert receipt.name == "RP-2-22" and receipt.supplier is not None and receipt.supplier.identification
    listed = Envelope[PaymentReceipt].model_validate(example("get_payment-receipts__response-200.json"))
    assert [r.items[0].due.prefix for r in listed.results if r.items and r.items[0].due] == ["FC-1"]
    body = PaymentReceiptCreateParams.model_validate(example("post_payment-receipts__request.json"))
    assert body.supplier.identification == "13832081" and body.payments_total() == D("119000")
    # Real list items sometimes carry no payment at all (F#15).
    bare = PaymentReceipt.model_validate({"id": receipt.id, "type": "DebtPayment", "items": []})
    assert bare.payment is None


def test_an_advance_is_created_edited_and_deleted(
    shop: Client, supplier: str, siigo_sandbox: Sandbox
) -> None:
    created = shop.payment_receipts.create(advance())
    assert created.name == "RP-1-15" and created.supplier is not None and created.supplier.id
    assert movements_of(siigo_sandbox, created.id) == [
        (accounts.BANK, D(0), D("250000.00")),
        (accounts.SUPPLIER_ADVANCES, D("250000.00"), D(0)),
    ]

    edited = shop.payment_receipts.update(created.id, advance(observations="Anticipo corregido"))
    assert (edited.id, edited.number, edited.observations) == (
        created.id,
        created.number,
        "Anticipo corregido",
    )
    assert edited.metadata is not None and edited.metadata.last_updated is not None
    assert shop.payment_receipts.retrieve(created.id).observations == "Anticipo corregido"

    assert shop.payment_receipts.delete(created.id).deleted is True
    assert movements_of(siigo_sandbox, created.id) == []
    with pytest.raises(NotFoundError):
        shop.payment_receipts.retrieve(created.id)


def test_a_purchase_is_paid_down_and_a_deleted_receipt_makes_it_owed_again(
    shop: Client, supplier: str, siigo_sandbox: Sandbox
) -> None:
    purchase = credit_purchase(shop)
    assert (purchase.name, purchase.total, purchase.balance) == ("FC-1-310", D("500000.00"), D("500000.00"))
    body = shop.payment_receipts.for_purchase(
        purchase, payment={"id": 6201}, document={"id": RP_TYPE}, amount="200000"
    )
    assert body.items and body.items[0].due is not None
    assert (body.items[0].due.prefix, body.items[0].due.consecutive, body.items[0].due.quote) == (
        "FC-1",
        310,
        1,
    )

    receipt = shop.payment_receipts.create(body)
    assert shop.purchases.retrieve(purchase.id).balance == D("300000.00")
    assert [p.balance for p in shop.purchases.list()] == [D("300000.00")]
    [due] = ledger.dues_of(siigo_sandbox.tenant(), purchase.id)
    assert due["balance"] == D("300000.00")
    assert movements_of(siigo_sandbox, receipt.id) == [
        (accounts.BANK, D(0), D("200000.00")),
        (accounts.PAYABLES, D("200000.00"), D(0)),
    ]

    with pytest.raises(BadRequestError) as overpaid:
        shop.payment_receipts.create(
            body,
            items=[{"due": body.items[0].due, "value": "300000.01"}],
            payment={"id": 6201, "value": "300000.01"},
        )
    assert overpaid.value.codes == ["invalid_amount"] and overpaid.value.errors[0].params == (
        "items[0].value",
    )
    assert shop.purchases.retrieve(purchase.id).balance == D("300000.00")

    # A purchase a receipt paid is locked: neither deleted nor edited while the receipt stands.
    with pytest.raises(BadRequestError) as deleting:
        shop.purchases.delete(purchase.id)
    assert deleting.value.codes == ["delete_not_allowed"] and deleting.value.errors[0].params == ()
    assert str(receipt.name) in deleting.value.message
    with pytest.raises(BadRequestError) as editing:
        shop.purchases.update(purchase.id, purchase_body(observations="Corregida"))
    assert editing.value.codes == ["non_editable"] and editing.value.errors[0].params == ()
    assert str(receipt.name) in editing.value.message

    shop.payment_receipts.delete(receipt.id)
    assert shop.purchases.retrieve(purchase.id).balance == D("500000.00")
    assert due["balance"] == D("500000.00")

    with pytest.raises(ValidationError) as too_much:
        shop.payment_receipts.for_purchase(purchase, payment=6201, document=RP_TYPE, amount="500000.01")
    assert too_much.value.codes == ["invalid_amount"] and too_much.value.errors[0].params == ("amount",)

    # Owed again and paid by no one: the purchase can be edited and deleted again.
    assert (
        shop.purchases.update(purchase.id, purchase_body(observations="Corregida")).observations
        == "Corregida"
    )
    assert shop.purchases.delete(purchase.id).deleted is True


def test_withholdings_practised_on_the_supplier(shop: Client, supplier: str, siigo_sandbox: Sandbox) -> None:
    purchase = credit_purchase(shop, "100000.00", vat=True)
    assert purchase.balance == D("119000.00")
    body = shop.payment_receipts.for_purchase(purchase, payment=6201, document=RP_TYPE)
    assert body.items and body.items[0].value == D("119000.00")
    line = body.items[0].model_copy(update={"taxes": [ReceiptTaxParam(id=18406, base=D("100000.00"))]})
    # Retefuente 4 % of 100 000.00 → 4 000.00 withheld: 115 000.00 leaves the bank.
    receipt = shop.payment_receipts.create(body, items=[line], payment={"id": 6201, "value": "115000.00"})
    assert movements_of(siigo_sandbox, receipt.id) == sorted(
        [
            (accounts.BANK, D(0), D("115000.00")),
            (accounts.TO_WITHHOLD["Retefuente"], D(0), D("4000.00")),
            (accounts.PAYABLES, D("119000.00"), D(0)),
        ]
    )
    assert shop.purchases.retrieve(purchase.id).balance == D(0)


def test_a_payment_receipt_pays_payables_only(shop: Client, supplier: str, siigo_sandbox: Sandbox) -> None:
    invoice = credit_invoice(shop)
    body: dict[str, Any] = {
        "document": {"id": RP_TYPE},
        "date": TODAY.isoformat(),
        "type": "DebtPayment",
        "supplier": {"identification": NIT},
        "items": [{"due": due_of(invoice), "value": "10.00"}],
        "payment": {"id": 6201, "value": "10.00"},
    }
    with pytest.raises(BadRequestError) as caught:
        shop.payment_receipts.create(body)
    assert caught.value.codes == ["invalid_value"] and caught.value.errors[0].params == ("items[0].due",)
    assert shop.invoices.retrieve(invoice.id).balance == D("1190.00")


def test_payment_types_are_read_with_fc(shop: Client, supplier: str, siigo_sandbox: Sandbox) -> None:
    siigo_sandbox.clear_journal()
    with pytest.raises(ValidationError) as sales:
        shop.payment_receipts.create(advance(payment={"id": 6101, "value": "1.00"}))
    assert sales.value.codes == ["invalid_reference"] and sales.value.errors[0].params == ("payment.id",)
    assert [e.query for e in siigo_sandbox.journal(method="GET", path="^/v1/payment-types$")] == [
        "document_type=FC"
    ]
    with pytest.raises(ValidationError) as credit:
        shop.payment_receipts.create(advance(payment={"id": 6202, "value": "1.00"}))
    assert credit.value.codes == ["invalid_payment"] and credit.value.errors[0].params == ("payment.id",)
    with pytest.raises(BadRequestError) as server:
        shop.payment_receipts.create(advance(payment={"id": 6202, "value": "1.00"}), preflight=False)
    assert server.value.codes == ["invalid_payment"] and server.value.errors[0].params == ("payment.id",)


def test_the_type_rules_are_local(shop: Client, supplier: str, siigo_sandbox: Sandbox) -> None:
    siigo_sandbox.clear_journal()
    with pytest.raises(ValidationError) as misc:
        shop.payment_receipts.create(advance(type="MiscIncome"))
    assert misc.value.codes == ["invalid_value"] and misc.value.errors[0].params == ("type",)
    with pytest.raises(ValidationError) as both:
        shop.payment_receipts.create(advance(payments=[{"id": 6201, "value": "250000.00"}]))
    assert both.value.codes == ["parameters_exclusive"] and both.value.errors[0].params == ("payments",)
    with pytest.raises(ValidationError) as detailed:
        shop.payment_receipts.create(
            advance(
                type="Detailed", items=[{"account": {"code": "22050501", "movement": "Debit"}, "value": "1"}]
            )
        )
    assert detailed.value.codes == ["invalid_payment"] and detailed.value.errors[0].params == ("payment",)
    assert siigo_sandbox.journal(method="POST", path="^/v1/payment-receipts$") == []

    plural = shop.payment_receipts.create(advance(payment=None, payments=[{"id": 6201, "value": "10.00"}]))
    assert plural.payments and plural.payments[0].value == D("10.00")


def test_put_validates_the_body_before_the_id(shop: Client, supplier: str, siigo_sandbox: Sandbox) -> None:
    unknown = "b0dbd5b7-0e5a-48d1-8fe3-a8f8ea860f46"
    answer = raw(siigo_sandbox, "PUT", f"/v1/payment-receipts/{unknown}", {})
    assert answer.status_code == 400 and "parameter_required" in [e["Code"] for e in answer.json()["Errors"]]
    assert raw(siigo_sandbox, "PUT", f"/v1/payment-receipts/{unknown}", advance()).status_code == 404


def test_a_refused_edit_changes_nothing(shop: Client, supplier: str, siigo_sandbox: Sandbox) -> None:
    purchase = credit_purchase(shop)
    receipt = shop.payment_receipts.create(
        shop.payment_receipts.for_purchase(purchase, payment=6201, document=RP_TYPE, amount="100000")
    )
    body = shop.payment_receipts.for_purchase(purchase, payment=6201, document=RP_TYPE)
    too_much = body.model_copy(deep=True)
    assert too_much.items and too_much.payment
    too_much.items[0].value = too_much.payment.value = D("500000.01")
    with pytest.raises(BadRequestError) as caught:
        shop.payment_receipts.update(receipt.id, too_much)
    assert caught.value.codes == ["invalid_amount"] and caught.value.errors[0].params == ("items[0].value",)
    [due] = ledger.dues_of(siigo_sandbox.tenant(), purchase.id)
    assert due["balance"] == D("400000.00")
    assert shop.purchases.retrieve(purchase.id).balance == D("400000.00")
    assert shop.payment_receipts.retrieve(receipt.id).paid_total() == D("100000")

    # The whole purchase: what the receipt already paid is available again to its edit.
    whole = shop.payment_receipts.update(receipt.id, body)
    assert whole.paid_total() == D("500000.00")
    [due] = ledger.dues_of(siigo_sandbox.tenant(), purchase.id)
    assert due["balance"] == D(0)
    assert shop.purchases.retrieve(purchase.id).balance == D(0)


def test_what_the_company_owes_a_supplier(shop: Client, supplier: str, siigo_sandbox: Sandbox) -> None:
    first = credit_purchase(shop, "500000.00")
    second = credit_purchase(shop, "80000.00")
    assert (first.name, second.name) == ("FC-1-310", "FC-1-311")
    shop.payment_receipts.create(shop.payment_receipts.for_purchase(second, payment=6201, document=RP_TYPE))
    assert shop.purchases.retrieve(second.id).balance == D(0)

    siigo_sandbox.clear_journal()
    owed = shop.payment_receipts.owed_to(SUPPLIER)  # read from client.purchases
    assert siigo_sandbox.journal(method="GET", path="^/v1/purchases$")
    assert owed.total == D("500000.00") and [row.name for row in owed] == ["FC-1-310"]
    assert owed.documents[0].open_installments[0].due()["prefix"] == "FC-1"
    assert shop.payment_receipts.owed_to(NIT).total == D(0)

    # The purchases given instead: only what they say is read.
    assert shop.payment_receipts.owed_to(SUPPLIER, purchases=[first, second]).total == D("580000.00")


def test_the_list_ignores_the_customer_filters_of_other_lists(
    shop: Client, supplier: str, siigo_sandbox: Sandbox
) -> None:
    first = shop.payment_receipts.create(advance())
    second = shop.payment_receipts.create(advance(payment={"id": 6103, "value": "5.00"}))
    answer = raw(
        siigo_sandbox, "GET", f"/v1/payment-receipts?customer_identification={NIT}&customer_branch_office=0"
    )
    assert answer.status_code == 200
    assert [r["id"] for r in answer.json()["results"]] == [first.id, second.id]
    assert [r.id for r in shop.payment_receipts.list(name=str(second.name))] == [second.id]
    assert [r.id for r in shop.payment_receipts.list(created_start=TODAY)] == [first.id, second.id]
