"""Purchases and purchase support documents end to end over loopback HTTP: creation by item
type, VAT-inclusive prices, the stock they raise, the books they post, the payable dues they open
and the balance that follows them, edits with their immutable fields, deletion, the DIAN
lifecycle of support documents, and every refusal with Siigo's code and field."""

from __future__ import annotations

import datetime as _dt
from decimal import Decimal
from typing import Any

import pytest

from siigo import APIConnectionError, BadRequestError, Client, NotFoundError, ValidationError
from siigo.kinds import PURCHASE, PURCHASE_SUPPORT
from siigo.models.purchases import Purchase, PurchaseSupportDocument
from siigo.sandbox import Sandbox, accounts, ledger

from ..cli.runner import run_siigo
from .test_invoices import NIT, TODAY, raw

D = Decimal
DUE = (TODAY + _dt.timedelta(days=30)).isoformat()
PURCHASE_TYPE = 28490
SUPPORT_TYPE = 28493
ELECTRONIC_SUPPORT_TYPE = 28494
CASH_OUT = 6201  # "Pago a proveedor": paid at once, from the bank
CREDIT = 6202  # "Crédito proveedor": a credit type (due_date true)


def purchase_body(**overrides: Any) -> dict[str, Any]:
    """Two drills bought on credit: 2 × 250 000, IVA 19 % → 595 000.00."""
    body: dict[str, Any] = {
        "document": {"id": PURCHASE_TYPE},
        "date": TODAY.isoformat(),
        "supplier": {"identification": NIT, "branch_office": 0},
        "provider_invoice": {"prefix": "FE", "number": "4512"},
        "items": [
            {
                "type": "Product",
                "code": "TAL-750-001",
                "quantity": 2,
                "price": D("250000"),
                "warehouse": 3302,
                "taxes": [{"id": 18401}],
            }
        ],
        "payments": [{"id": CREDIT, "value": D("595000.00"), "due_date": DUE}],
    }
    body.update(overrides)
    return body


def support_body(**overrides: Any) -> dict[str, Any]:
    body = purchase_body(document={"id": SUPPORT_TYPE})
    body.pop("provider_invoice")
    body["supplier_receipt_number"] = {"prefix": "RS", "number": "77"}
    body.update(overrides)
    return body


def _stock(sandbox: Sandbox, code: str, warehouse: int) -> Decimal:
    product = next(p for p in sandbox.tenant().products.values() if p["code"] == code)
    return next((D(w["quantity"]) for w in product.get("warehouses") or [] if w["id"] == warehouse), D(0))


def _movements(sandbox: Sandbox, document_id: str) -> list[tuple[str, Decimal, Decimal]]:
    rows = sandbox.tenant().ledger["movements"].get(document_id, [])
    return sorted((m["account"], m["debit"], m["credit"]) for m in rows)


def _codes_and_fields(exc: ValidationError | BadRequestError) -> list[tuple[str, tuple[str, ...]]]:
    return [(e.code, e.params) for e in exc.errors]


# --- the everyday job --------------------------------------------------------------------------


def test_a_purchase_on_credit_raises_stock_posts_its_books_and_opens_a_payable_due(
    shop: Client, siigo_sandbox: Sandbox
) -> None:
    before = _stock(siigo_sandbox, "TAL-750-001", 3302)

    purchase = shop.purchases.create(purchase_body(cost_center=7701))

    assert isinstance(purchase, Purchase)
    assert (purchase.name, purchase.total, purchase.balance) == ("FC-1-310", D("595000.00"), D("595000.00"))
    assert purchase.supplier is not None and purchase.supplier.identification == NIT
    assert purchase.provider_invoice is not None and purchase.provider_invoice.number == "4512"
    assert purchase.items is not None and purchase.items[0].type == "Product"
    assert _stock(siigo_sandbox, "TAL-750-001", 3302) == before + 2
    assert _movements(siigo_sandbox, purchase.id) == [
        (accounts.INVENTORY, D("500000.00"), D(0)),
        (accounts.PAYABLES, D(0), D("595000.00")),
        (accounts.DEDUCTIBLE_VAT, D("95000.00"), D(0)),
    ]
    (due,) = ledger.dues_of(siigo_sandbox.tenant(), purchase.id)
    assert (due["side"], due["prefix"], due["consecutive"], due["quote"]) == ("payable", "FC-1", 310, 1)
    assert (due["date"], due["value"], due["balance"]) == (DUE, D("595000.00"), D("595000.00"))
    assert due["third_party"]["identification"] == NIT
    assert due["third_party"]["name"] == "Ferretería El Tornillo S.A.S."
    assert (due["cost_center"], due["currency"]) == (7701, None)
    assert {m["cost_center"] for m in siigo_sandbox.tenant().ledger["movements"][purchase.id]} == {7701}

    again = shop.purchases.retrieve(purchase.id)
    assert (again.id, again.total, again.balance) == (purchase.id, purchase.total, D("595000.00"))
    assert [p.id for p in shop.purchases.list()] == [purchase.id]


def test_the_balance_follows_the_dues_and_a_paid_purchase_cannot_be_deleted_or_edited(
    shop: Client, siigo_sandbox: Sandbox
) -> None:
    purchase = shop.purchases.create(
        purchase_body(
            payments=[
                {"id": CREDIT, "value": D("300000.00"), "due_date": DUE},
                {"id": CREDIT, "value": D("295000.00"), "due_date": DUE},
            ]
        )
    )
    tenant = siigo_sandbox.tenant()
    dues = ledger.dues_of(tenant, purchase.id)
    assert [(d["quote"], d["value"]) for d in dues] == [(1, D("300000.00")), (2, D("295000.00"))]

    receipt = shop.payment_receipts.create(
        shop.payment_receipts.for_purchase(purchase, payment=CASH_OUT, document=28491, amount="100000.00")
    )
    assert dues[0]["balance"] == D("200000.00") and dues[1]["balance"] == D("295000.00")

    assert shop.purchases.retrieve(purchase.id).balance == D("495000.00")
    assert [p.balance for p in shop.purchases.list()] == [D("495000.00")]
    with pytest.raises(BadRequestError) as refused:
        shop.purchases.delete(purchase.id)
    assert refused.value.codes == ["delete_not_allowed"] and refused.value.errors[0].params == ()
    assert str(receipt.name) in refused.value.message
    with pytest.raises(BadRequestError) as frozen:
        shop.purchases.update(purchase.id, purchase_body(payments=[{"id": CASH_OUT, "value": "595000.00"}]))
    assert frozen.value.codes == ["non_editable"] and frozen.value.errors[0].params == ()
    assert len(ledger.dues_of(tenant, purchase.id)) == 2


def test_deleting_takes_the_stock_movements_and_dues_back_out(shop: Client, siigo_sandbox: Sandbox) -> None:
    before = _stock(siigo_sandbox, "TAL-750-001", 3302)
    purchase = shop.purchases.create(purchase_body())

    result = shop.purchases.delete(purchase.id)

    assert (result.id, result.deleted) == (purchase.id, True)
    assert _stock(siigo_sandbox, "TAL-750-001", 3302) == before
    assert _movements(siigo_sandbox, purchase.id) == []
    assert ledger.dues_of(siigo_sandbox.tenant(), purchase.id) == []
    with pytest.raises(NotFoundError) as gone:
        shop.purchases.retrieve(purchase.id)
    assert gone.value.codes == ["not_found"]


def test_an_expense_with_withholdings_credits_what_the_company_owes_dian(
    shop: Client, siigo_sandbox: Sandbox
) -> None:
    # 1 000 000 of courier services: IVA 190 000, Retefuente 2.5 % 25 000, ReteIVA 15 % of the
    # VAT 28 500, ReteICA 9.66 per thousand 9 660 → the supplier is paid 1 126 840.00.
    purchase = shop.purchases.create(
        purchase_body(
            items=[
                {
                    "type": "Account",
                    "code": "51354001",
                    "quantity": 1,
                    "price": "1000000",
                    "taxes": [{"id": 18401}, {"id": 18405}],
                }
            ],
            retentions=[{"id": 18410}, {"id": 18411}],
            payments=[{"id": CASH_OUT, "value": "1126840.00"}],
        )
    )
    assert (purchase.total, purchase.balance) == (D("1190000.00"), D(0))
    assert (
        purchase.items is not None
        and purchase.items[0].description == "Servicios de correo, portes y transporte"
    )
    assert _movements(siigo_sandbox, purchase.id) == [
        (accounts.BANK, D(0), D("1126840.00")),
        (accounts.WITHHOLDING_PAYABLE, D(0), D("25000.00")),
        (accounts.VAT_WITHHELD_PAYABLE, D(0), D("28500.00")),
        (accounts.ICA_WITHHELD_PAYABLE, D(0), D("9660.00")),
        (accounts.DEDUCTIBLE_VAT, D("190000.00"), D(0)),
        ("51354001", D("1000000.00"), D(0)),
    ]
    assert ledger.dues_of(siigo_sandbox.tenant(), purchase.id) == []


def test_a_fixed_asset_is_debited_to_the_fixed_assets_account(shop: Client, siigo_sandbox: Sandbox) -> None:
    purchase = shop.purchases.create(
        purchase_body(
            items=[{"type": "FixedAsset", "code": "9102", "quantity": 1, "price": "4000000"}],
            payments=[{"id": CASH_OUT, "value": "4000000.00"}],
        )
    )
    assert purchase.items is not None and purchase.items[0].description == "Servidor contable"
    assert _movements(siigo_sandbox, purchase.id) == [
        (accounts.BANK, D(0), D("4000000.00")),
        (accounts.FIXED_ASSETS, D("4000000.00"), D(0)),
    ]


def test_a_creation_that_may_have_reached_siigo_is_not_sent_twice(
    shop: Client, siigo_sandbox: Sandbox
) -> None:
    siigo_sandbox.inject_fault(method="POST", path="^/v1/purchases$", drop="after", count=1)
    with pytest.raises(APIConnectionError):
        shop.purchases.create(purchase_body())
    assert [a.status for a in siigo_sandbox.journal(method="POST", path="^/v1/purchases$")] == [0]
    assert len(siigo_sandbox.tenant().documents[PURCHASE.code]) == 1  # it was created: check first


def test_a_creation_refused_at_the_door_is_retried(shop: Client, siigo_sandbox: Sandbox) -> None:
    siigo_sandbox.inject_fault(method="POST", path="^/v1/purchases$", status=429, count=1)
    purchase = shop.purchases.create(purchase_body())
    assert [a.status for a in siigo_sandbox.journal(method="POST", path="^/v1/purchases$")] == [429, 201]
    assert list(siigo_sandbox.tenant().documents[PURCHASE.code]) == [purchase.id]


# --- VAT-inclusive prices ----------------------------------------------------------------------


def test_tax_included_prices_are_split_by_the_totals_math(shop: Client) -> None:
    purchase = shop.purchases.create(
        purchase_body(
            tax_included=True,
            items=[
                {"type": "Product", "code": "SKU-1", "quantity": 1, "price": "1000", "taxes": [{"id": 18401}]}
            ],
            payments=[{"id": CASH_OUT, "value": "1000.00"}],
        )
    )
    assert purchase.total == D("1000.00")
    assert purchase.items is not None
    (item,) = purchase.items
    assert item.price == D("840.34")
    assert item.taxes is not None and item.taxes[0].value == D("159.66")


def test_tax_included_payments_of_the_price_before_vat_are_refused_locally_and_by_the_sandbox(
    shop: Client, siigo_sandbox: Sandbox
) -> None:
    body = purchase_body(
        tax_included=True,
        items=[
            {"type": "Product", "code": "SKU-1", "quantity": 1, "price": "1000", "taxes": [{"id": 18401}]}
        ],
        payments=[{"id": CASH_OUT, "value": "1190.00"}],
    )
    with pytest.raises(ValidationError) as local:
        shop.purchases.create(body)
    assert _codes_and_fields(local.value) == [("invalid_total_payments", ("payments",))]
    assert "1000.00" in local.value.message
    with pytest.raises(BadRequestError) as server:
        shop.purchases.create(body, preflight=False)
    assert _codes_and_fields(server.value) == [("invalid_total_payments", ("payments",))]
    assert siigo_sandbox.tenant().documents[PURCHASE.code] == {}


def test_a_percentage_discount_type_of_the_body_is_how_discounts_are_read(shop: Client) -> None:
    purchase = shop.purchases.create(
        purchase_body(
            discount_type="Percentage",
            items=[
                {
                    "type": "Product",
                    "code": "SKU-1",
                    "quantity": 3,
                    "price": "45000",
                    "discount": 10,
                    "taxes": [{"id": 18401}],
                }
            ],
            payments=[{"id": CASH_OUT, "value": "144585.00"}],
        )
    )
    assert purchase.discount_type == "Percentage"
    assert purchase.items is not None and purchase.items[0].discount is not None
    assert purchase.items[0].discount.value == D("13500.00")


# --- refusals ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("change", "code", "field"),
    [
        ({"supplier": {"identification": "555000999"}}, "invalid_reference", "supplier.identification"),
        ({"supplier": {"identification": "811000111"}}, "parameter_inactive", "supplier"),
        (
            {"items": [{"type": "FixedAsset", "code": "9999", "quantity": 1, "price": "10"}]},
            "invalid_reference",
            "items[0].code",
        ),
        (
            {"items": [{"type": "FixedAsset", "code": "9109", "quantity": 1, "price": "10"}]},
            "parameter_inactive",
            "items[0].code",
        ),
        (
            {"items": [{"type": "Account", "code": "14350101", "quantity": 1, "price": "10"}]},
            "invalid_account",
            "items[0].code",
        ),
        (
            {"items": [{"type": "Account", "code": "24081001", "quantity": 1, "price": "10"}]},
            "invalid_account",
            "items[0].code",
        ),
        (
            {"items": [{"type": "Account", "code": "15281001", "quantity": 1, "price": "10"}]},
            "invalid_account",
            "items[0].code",
        ),
        (
            {"items": [{"type": "Account", "code": "99999999", "quantity": 1, "price": "10"}]},
            "invalid_account",
            "items[0].code",
        ),
        (
            {"items": [{"type": "Product", "code": "NO-SUCH", "quantity": 1, "price": "10"}]},
            "invalid_reference",
            "items[0].code",
        ),
        (
            {
                "items": [
                    {"type": "Account", "code": "51354001", "quantity": 1, "price": "10"},
                    {"type": "Product", "code": "SKU-1", "quantity": 1, "price": "10", "warehouse": 3301},
                ]
            },
            "product_settings",
            "items[1].warehouse",
        ),
    ],
)
def test_references_the_sandbox_refuses_with_siigos_code_and_field(
    change: dict[str, Any], code: str, field: str, shop: Client, siigo_sandbox: Sandbox
) -> None:
    body = purchase_body(**change)
    if "items" in change:
        total = sum(D(i["price"]) * i["quantity"] for i in change["items"])
        body["payments"] = [{"id": CASH_OUT, "value": f"{total:.2f}"}]
    with pytest.raises(BadRequestError) as caught:
        shop.purchases.create(body)
    assert _codes_and_fields(caught.value) == [(code, (field,))]
    assert siigo_sandbox.tenant().documents[PURCHASE.code] == {}


@pytest.mark.parametrize(
    ("change", "code", "field"),
    [
        ({"provider_invoice": {"prefix": "ABCDEFG", "number": "1"}}, "length_max", "provider_invoice.prefix"),
        ({"provider_invoice": {"prefix": "F-1", "number": "1"}}, "invalid_value", "provider_invoice.prefix"),
        ({"provider_invoice": {"prefix": "FE", "number": "12a"}}, "invalid_value", "provider_invoice.number"),
        (
            {"provider_invoice": {"prefix": "FE", "number": "123456789012"}},
            "length_max",
            "provider_invoice.number",
        ),
        (
            {
                "items": [
                    {
                        **purchase_body()["items"][0],
                        "supplier": {"identification": NIT},
                    }
                ]
            },
            "parameter_not_allowed",
            "items[0].supplier",
        ),
        ({"payments": [{"id": CASH_OUT, "value": "595000.01"}]}, "invalid_total_payments", "payments"),
        ({"payments": [{"id": 6101, "value": "595000.00"}]}, "invalid_reference", "payments[0].id"),
        ({"payments": [{"id": CREDIT, "value": "595000.00"}]}, "parameter_required", "payments[0].due_date"),
        ({"retentions": [{"id": 18405}]}, "invalid_retentions", "retentions[0].id"),
    ],
)
def test_rules_refused_locally_and_by_the_sandbox(
    change: dict[str, Any], code: str, field: str, shop: Client, siigo_sandbox: Sandbox
) -> None:
    body = purchase_body(**change)
    with pytest.raises(ValidationError) as local:
        shop.purchases.create(body)
    assert _codes_and_fields(local.value) == [(code, (field,))]
    assert siigo_sandbox.journal(method="POST", path="^/v1/purchases$") == []
    with pytest.raises(BadRequestError) as server:
        shop.purchases.create(body, preflight=False)
    assert _codes_and_fields(server.value) == [(code, (field,))]


@pytest.mark.parametrize(
    ("item", "field"),
    [
        ({"type": "Service", "code": "SKU-1", "quantity": 1, "price": "10"}, "items[0].type"),
        ({"type": "Product", "code": "SKU-1", "quantity": "1.005", "price": "10"}, "items[0].quantity"),
        ({"type": "Product", "code": "SKU-1", "quantity": 1, "price": "10.0000001"}, "items[0].price"),
    ],
)
def test_item_shapes_are_refused_by_the_model(
    item: dict[str, Any], field: str, shop: Client, siigo_sandbox: Sandbox
) -> None:
    body = purchase_body(items=[item], payments=[{"id": CASH_OUT, "value": "10.00"}])
    with pytest.raises(ValidationError) as local:
        shop.purchases.create(body)
    assert [e.params for e in local.value.errors] == [(field,)]
    assert local.value.codes[0] in ("invalid_value", "invalid_amount")
    assert siigo_sandbox.journal(method="POST", path="^/v1/purchases$") == []
    server = raw(siigo_sandbox, "POST", "/v1/purchases", body)
    assert server.status_code == 400
    assert [(e["Code"], e["Params"]) for e in server.json()["Errors"]] == [(local.value.codes[0], [field])]


def test_several_credit_installments_are_accepted_and_checked_as_one_total(shop: Client) -> None:
    halves = [
        {"id": CREDIT, "value": "297500.00", "due_date": DUE},
        {"id": CREDIT, "value": "297500.01", "due_date": DUE},
    ]
    with pytest.raises(ValidationError) as caught:
        shop.purchases.create(purchase_body(payments=halves))
    assert caught.value.codes == ["invalid_total_payments"]
    halves[1]["value"] = "297500.00"
    assert shop.purchases.create(purchase_body(payments=halves)).balance == D("595000.00")


# --- edits -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"document": {"id": SUPPORT_TYPE}}, "document.id"),
        ({"supplier": {"identification": "1036654321"}}, "supplier.identification"),
        ({"currency": {"code": "USD", "exchange_rate": "3950.25"}}, "currency.code"),
        ({"number": 999}, "number"),
    ],
)
def test_immutable_fields_are_refused_locally_after_a_read_and_by_the_sandbox(
    change: dict[str, Any], field: str, shop: Client, siigo_sandbox: Sandbox
) -> None:
    created = shop.purchases.create(purchase_body())
    body = purchase_body(**change)
    siigo_sandbox.clear_journal()
    with pytest.raises(ValidationError) as local:
        shop.purchases.update(created.id, body)
    assert _codes_and_fields(local.value) == [("non_editable", (field,))]
    assert siigo_sandbox.journal(method="PUT") == []
    with pytest.raises(BadRequestError) as server:
        shop.purchases.update(created.id, body, preflight=False)
    assert _codes_and_fields(server.value) == [("non_editable", (field,))]


def test_an_edit_replaces_the_lines_the_stock_the_books_and_the_dues(
    shop: Client, siigo_sandbox: Sandbox
) -> None:
    before = _stock(siigo_sandbox, "TAL-750-001", 3302)
    created = shop.purchases.create(purchase_body())
    edited = purchase_body(
        items=[
            {
                "type": "Product",
                "code": "TAL-750-001",
                "quantity": 5,
                "price": D("250000"),
                "warehouse": 3302,
                "taxes": [{"id": 18401}],
            }
        ],
        payments=[{"id": CASH_OUT, "value": "1487500.00"}],
        observations="Llegaron cinco",
    )
    updated = shop.purchases.update(created.id, edited)
    assert (updated.id, updated.number, updated.total, updated.balance) == (
        created.id,
        created.number,
        D("1487500.00"),
        D(0),
    )
    assert updated.metadata is not None and updated.metadata.last_updated is not None
    assert _stock(siigo_sandbox, "TAL-750-001", 3302) == before + 5
    assert ledger.dues_of(siigo_sandbox.tenant(), created.id) == []
    assert (accounts.BANK, D(0), D("1487500.00")) in _movements(siigo_sandbox, created.id)


def test_an_edit_needs_the_provider_invoice(shop: Client) -> None:
    created = shop.purchases.create(purchase_body())
    body = purchase_body()
    del body["provider_invoice"]
    with pytest.raises(ValidationError) as caught:
        shop.purchases.update(created.id, body)
    assert _codes_and_fields(caught.value) == [("parameter_required", ("provider_invoice",))]


def test_a_purchase_read_back_can_be_sent_again(shop: Client) -> None:
    created = shop.purchases.create(
        purchase_body(
            tax_included=True,
            items=[
                {"type": "Product", "code": "SKU-1", "quantity": 1, "price": "1000", "taxes": [{"id": 18401}]}
            ],
            payments=[{"id": CASH_OUT, "value": "1000.00"}],
        )
    )
    with pytest.warns(UserWarning, match="read from Siigo"):
        again = shop.purchases.update(created.id, created)
    assert again.total == D("1000.00")


# --- support documents -------------------------------------------------------------------------


def test_a_support_document_is_a_purchase_with_the_suppliers_receipt(
    shop: Client, siigo_sandbox: Sandbox
) -> None:
    document = shop.purchase_support_documents.create(support_body())
    assert isinstance(document, PurchaseSupportDocument)
    assert (document.name, document.total, document.balance) == ("DS-1-8", D("595000.00"), D("595000.00"))
    assert document.supplier_receipt_number is not None and document.supplier_receipt_number.number == "77"
    assert document.stamp is not None and document.stamp.status == "Draft"
    (due,) = ledger.dues_of(siigo_sandbox.tenant(), document.id)
    assert (due["prefix"], due["consecutive"], due["quote"]) == ("DS-1", 8, 1)
    assert shop.purchase_support_documents.retrieve(document.id).total == D("595000.00")
    assert shop.purchase_support_documents.delete(document.id).deleted is True
    assert siigo_sandbox.tenant().documents[PURCHASE_SUPPORT.code] == {}


def test_an_electronic_support_document_is_stamped_with_a_cude_and_then_locked(shop: Client) -> None:
    document = shop.purchase_support_documents.create(
        support_body(document={"id": ELECTRONIC_SUPPORT_TYPE}, stamp={"send": True})
    )
    assert document.stamp is not None and document.stamp.status == "Accepted"
    assert document.cude is not None and len(document.cude) == 96
    with pytest.raises(BadRequestError) as edit:
        shop.purchase_support_documents.update(
            document.id, support_body(document={"id": ELECTRONIC_SUPPORT_TYPE})
        )
    assert edit.value.codes == ["non_editable"]
    with pytest.raises(BadRequestError) as delete:
        shop.purchase_support_documents.delete(document.id)
    assert delete.value.codes == ["delete_not_allowed"]


def test_a_support_document_dian_rejects_stays_editable(shop: Client, siigo_sandbox: Sandbox) -> None:
    siigo_sandbox.configure(stamp_outcome="Rejected")
    document = shop.purchase_support_documents.create(
        support_body(document={"id": ELECTRONIC_SUPPORT_TYPE}, stamp={"send": True})
    )
    assert document.stamp is not None and document.stamp.status == "Rejected"
    assert not document.cude
    edited = shop.purchase_support_documents.update(
        document.id, support_body(document={"id": ELECTRONIC_SUPPORT_TYPE}, observations="Corregido")
    )
    assert (edited.observations, edited.stamp is not None and edited.stamp.status) == (
        "Corregido",
        "Rejected",
    )
    assert shop.purchase_support_documents.delete(document.id).deleted is True


def test_an_electronic_support_type_without_a_resolution_is_refused(
    shop: Client, siigo_sandbox: Sandbox
) -> None:
    siigo_sandbox.tenant().resolutions.discard(ELECTRONIC_SUPPORT_TYPE)
    with pytest.raises(BadRequestError) as caught:
        shop.purchase_support_documents.create(support_body(document={"id": ELECTRONIC_SUPPORT_TYPE}))
    assert caught.value.codes == ["document_settings"]


@pytest.mark.parametrize(
    ("receipt", "code", "field"),
    [
        ({"prefix": "ABCDEFG", "number": "1"}, "length_max", "supplier_receipt_number.prefix"),
        ({"prefix": "RS", "number": "RS-77"}, "invalid_value", "supplier_receipt_number.number"),
    ],
)
def test_the_suppliers_receipt_number_format(
    receipt: dict[str, Any], code: str, field: str, shop: Client
) -> None:
    body = support_body(supplier_receipt_number=receipt)
    with pytest.raises(ValidationError) as local:
        shop.purchase_support_documents.create(body)
    assert _codes_and_fields(local.value) == [(code, (field,))]
    with pytest.raises(BadRequestError) as server:
        shop.purchase_support_documents.create(body, preflight=False)
    assert _codes_and_fields(server.value) == [(code, (field,))]


def test_an_electronic_support_document_cannot_be_dated_in_the_past(shop: Client) -> None:
    body = support_body(
        document={"id": ELECTRONIC_SUPPORT_TYPE}, date=(TODAY - _dt.timedelta(days=1)).isoformat()
    )
    with pytest.raises(ValidationError) as caught:
        shop.purchase_support_documents.create(body)
    assert _codes_and_fields(caught.value) == [("invalid_date", ("date",))]


# --- the command line --------------------------------------------------------------------------


def test_the_command_line_creates_and_reads_a_purchase(
    shop: Client, siigo_sandbox: Sandbox, tmp_path: Any
) -> None:
    import json
    import subprocess

    from siigo import _json
    from siigo.sandbox import DEFAULT_ACCESS_KEY, DEFAULT_PARTNER_ID, DEFAULT_USERNAME

    env = {
        "PATH": "/usr/bin:/bin",
        "SIIGO_LANG": "en",
        "SIIGO_CONFIG": str(tmp_path / "config.ini"),
        "SIIGO_BASE_URL": siigo_sandbox.url,
        "SIIGO_USERNAME": DEFAULT_USERNAME,
        "SIIGO_ACCESS_KEY": DEFAULT_ACCESS_KEY,
        "SIIGO_PARTNER_ID": DEFAULT_PARTNER_ID,
    }

    def siigo(*args: str, input: str | None = None) -> subprocess.CompletedProcess[str]:
        return run_siigo(args, input=input, env=env)

    helped = siigo("purchases", "--help")
    assert helped.returncode == 0, helped.stderr
    assert "create, delete, get, list, update" in helped.stdout
    created = siigo(
        "purchases", "create", "--format", "json", "-", input=_json.dumps(purchase_body()).decode()
    )
    assert created.returncode == 0, created.stderr
    purchase = json.loads(created.stdout)
    assert (purchase["name"], purchase["balance"]) == ("FC-1-310", 595000)
    shown = siigo("purchases", "get", purchase["id"], "--format", "json")
    assert json.loads(shown.stdout)["id"] == purchase["id"]


def test_compute_totals_says_what_the_payments_must_add_up_to(shop: Client) -> None:
    body = purchase_body(
        tax_included=True,
        items=[
            {
                "type": "Account",
                "code": "51354001",
                "quantity": 1,
                "price": "1000",
                "taxes": [{"id": 18401}, {"id": 18405}],
            }
        ],
        retentions=[{"id": 18410}],
    )
    totals = shop.purchases.compute_totals(body)
    # 1 000 VAT-inclusive: base 840.34, IVA 159.66; Retefuente 2.5 % 21.01; ReteIVA 15 % 23.95.
    assert (totals.subtotal, totals.total, totals.withholdings, totals.amount_due) == (
        D("840.34"),
        D("1000.00"),
        D("44.96"),
        D("955.04"),
    )
    assert totals.undocumented == ()
    assert shop.purchases.compute_totals(body, reading={"payments_basis": "gross_total"}).amount_due == D(
        "1000.00"
    )
    created = shop.purchases.create(body, payments=[{"id": CASH_OUT, "value": totals.amount_due}])
    assert created.total == totals.total
    with pytest.raises(ValidationError) as caught:
        shop.purchase_support_documents.compute_totals(
            document={"id": SUPPORT_TYPE},
            items=[
                {"type": "Account", "code": "51354001", "quantity": 1, "price": "10", "taxes": [{"id": 99}]}
            ],
        )
    assert _codes_and_fields(caught.value) == [("invalid_reference", ("items[0].taxes[0].id",))]


def test_the_command_line_checks_a_purchase_against_the_totals(tmp_path: Any) -> None:
    import json
    import subprocess

    body = purchase_body(
        tax_included=True,
        items=[
            {"type": "Product", "code": "SKU-1", "quantity": 1, "price": "1000", "taxes": [{"id": 18401}]}
        ],
        payments=[{"id": CASH_OUT, "value": "1190.00"}],
    )
    env = {"PATH": "/usr/bin:/bin", "SIIGO_LANG": "en", "SIIGO_CONFIG": str(tmp_path / "config.ini")}

    def check(document: dict[str, Any]) -> subprocess.CompletedProcess[str]:
        from siigo import _json

        return run_siigo(
            ("purchases", "check", "--format", "json", "-"), input=_json.dumps(document).decode(), env=env
        )

    refused = check(body)
    assert refused.returncode == 3, refused.stderr
    report = json.loads(refused.stdout)
    assert [p["code"] for p in report["problems"]] == ["invalid_total_payments"]
    assert D(str(report["totals"]["amount_due"])) == D("1000.00")
    body["payments"] = [{"id": CASH_OUT, "value": "1000.00"}]
    assert check(body).returncode == 0
