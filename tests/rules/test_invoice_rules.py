"""Every invoice rule, accepted and rejected, over HTTP.

* Rules the SDK can check from the catalogs: the preflight refuses them with Siigo's code and
  sends nothing; with ``preflight=False`` the sandbox refuses them with the same code.
* Rules only the server can check (customers, products, sellers, resolutions, numbering, its
  pinned reading of the math): the preflight lets them through and the sandbox refuses them.
* Valid variants of each rule are created.
"""

from __future__ import annotations

import datetime as _dt
from decimal import Decimal
from typing import Any

import pytest

from siigo import BadRequestError, Client, ValidationError
from siigo.sandbox import Sandbox

from ..resources.test_invoices import NIT, TODAY, invoice_body, posted, raw

Body = dict[str, Any]
YESTERDAY = (TODAY - _dt.timedelta(days=1)).isoformat()
DUE = (TODAY + _dt.timedelta(days=30)).isoformat()


def item(**fields: Any) -> dict[str, Any]:
    line: dict[str, Any] = {"code": "SKU-1", "quantity": 1, "price": 1000, "taxes": [{"id": 18401}]}
    line.update(fields)
    return line


def cash(value: Any) -> list[dict[str, Any]]:
    return [{"id": 6101, "value": Decimal(str(value))}]


# name -> (body, code both the preflight and the sandbox answer)
BOTH: dict[str, tuple[Body, str]] = {
    "wrong total": (invoice_body(payments=cash("1130.49")), "invalid_total_payments"),
    "unknown document type": (invoice_body(document={"id": 99999}), "invalid_reference"),
    "inactive document type": (invoice_body(document={"id": 28459}), "parameter_inactive"),
    "unknown tax": (invoice_body(items=[item(taxes=[{"id": 99999}])]), "invalid_reference"),
    "inactive tax": (invoice_body(items=[item(taxes=[{"id": 18499}])]), "parameter_inactive"),
    "ReteIVA as an item tax": (invoice_body(items=[item(taxes=[{"id": 18410}])]), "invalid_array"),
    "two taxes of one type": (
        invoice_body(items=[item(taxes=[{"id": 18401}, {"id": 18402}])]),
        "invalid_array",
    ),
    "IVA with AdValorem": (invoice_body(items=[item(taxes=[{"id": 18401}, {"id": 18413}])]), "invalid_array"),
    "unknown retention": (invoice_body(retentions=[{"id": 99999}]), "invalid_reference"),
    "Retefuente as a retention": (invoice_body(retentions=[{"id": 18405}]), "invalid_retentions"),
    "retention off in the document type": (invoice_body(retentions=[{"id": 18412}]), "invalid_retentions"),
    "unknown payment type": (
        invoice_body(payments=[{"id": 6999, "value": Decimal("1130.50")}]),
        "invalid_reference",
    ),
    "inactive payment type": (
        invoice_body(payments=[{"id": 6109, "value": Decimal("1130.50")}]),
        "parameter_inactive",
    ),
    "supplier payment type": (
        invoice_body(payments=[{"id": 6201, "value": Decimal("1130.50")}]),
        "invalid_payment",
    ),
    "credit without due_date": (
        invoice_body(payments=[{"id": 6102, "value": Decimal("1130.50")}]),
        "parameter_required",
    ),
    "credit with another payment": (
        invoice_body(
            payments=[{"id": 6102, "value": Decimal("1000.50"), "due_date": DUE}, {"id": 6101, "value": 130}]
        ),
        "invalid_array",
    ),
    "unknown global discount": (
        invoice_body(global_discounts=[{"id": 999, "percentage": 3}]),
        "invalid_reference",
    ),
    "seller per item missing": (invoice_body(document={"id": 28456}, cost_center=7701), "document_settings"),
    "mandatory cost center missing": (
        invoice_body(document={"id": 28456}, items=[item(seller=4121)], payments=cash("1190")),
        "document_settings",
    ),
    "item seller without seller per item": (
        invoice_body(items=[item(seller=4121)], payments=cash("1190")),
        "document_settings",
    ),
    "manual numbering without number": (invoice_body(document={"id": 28455}), "parameter_required"),
    "number on an automatic type": (invoice_body(number=77), "document_settings"),
    "advance payment not allowed": (invoice_body(advance_payment=100), "document_settings"),
    "health data on a non-health type": (
        invoice_body(healthcare_company={"operation_type": "SS-Recaudo"}),
        "document_settings",
    ),
    "electronic invoice dated yesterday": (
        invoice_body(document={"id": 28453}, date=YESTERDAY),
        "invalid_date",
    ),
    "discount above the line value": (invoice_body(items=[item(discount=1001)]), "invalid_amount"),
    "percentage discount above 100": (
        invoice_body(document={"id": 28452}, items=[item(discount=150)]),
        "invalid_amount",
    ),
}


@pytest.mark.parametrize("case", sorted(BOTH))
def test_preflight_and_sandbox_refuse_with_the_same_code(
    case: str, shop: Client, siigo_sandbox: Sandbox
) -> None:
    body, code = BOTH[case]
    with pytest.raises(ValidationError) as local:
        shop.invoices.create(body)
    assert code in local.value.codes, local.value
    assert posted(siigo_sandbox) == []

    with pytest.raises(BadRequestError) as server:
        shop.invoices.create(body, preflight=False)
    assert code in server.value.codes, server.value
    assert [e.status for e in posted(siigo_sandbox)] == [400]
    assert siigo_sandbox.tenant().invoices == {}


def _customer(identification: str, branch_office: int = 0) -> dict[str, Any]:
    return {"identification": identification, "branch_office": branch_office}


# name -> (body, code only the sandbox can answer)
SERVER_ONLY: dict[str, tuple[Body, str]] = {
    "unknown customer": (invoice_body(customer=_customer("123456789")), "invalid_reference"),
    "unknown branch office": (invoice_body(customer=_customer(NIT, 7)), "invalid_reference"),
    "customer without contacts": (invoice_body(customer=_customer("800111222")), "customer_settings"),
    "inactive customer": (invoice_body(customer=_customer("811000111")), "parameter_inactive"),
    "unknown product": (
        invoice_body(items=[item(code="NO-EXISTE")], payments=cash("1190")),
        "invalid_reference",
    ),
    "inactive product": (
        invoice_body(items=[item(code="OLD-1")], payments=cash("1190")),
        "parameter_inactive",
    ),
    "unknown seller": (invoice_body(seller=9999), "invalid_reference"),
    "inactive seller": (invoice_body(seller=4129), "parameter_inactive"),
    "unknown cost center": (invoice_body(cost_center=1), "invalid_cost_center"),
    "inactive cost center": (invoice_body(cost_center=7709), "parameter_inactive"),
    "warehouse on a product without stock control": (
        invoice_body(items=[item(warehouse=3301)], payments=cash("1190")),
        "product_settings",
    ),
    "inactive warehouse": (
        invoice_body(items=[item(code="TAL-750-001", warehouse=3309)], payments=cash("1190")),
        "parameter_inactive",
    ),
    "currency for a COP invoice": (
        invoice_body(currency={"code": "COP", "exchange_rate": 1}),
        "invalid_currency",
    ),
    "electronic type without resolution": (invoice_body(document={"id": 28454}), "document_settings"),
}


@pytest.mark.parametrize("case", sorted(SERVER_ONLY))
def test_rules_only_the_sandbox_can_check(case: str, shop: Client, siigo_sandbox: Sandbox) -> None:
    body, code = SERVER_ONLY[case]
    with pytest.raises(BadRequestError) as server:
        shop.invoices.create(body)
    assert server.value.codes == [code], server.value
    assert siigo_sandbox.tenant().invoices == {}


def test_the_resolution_rule_can_be_switched_off(shop: Client, siigo_sandbox: Sandbox) -> None:
    siigo_sandbox.configure(electronic_requires_resolution=False)
    assert shop.invoices.create(invoice_body(document={"id": 28454})).name == "FV-4-1"


def test_the_live_message_of_document_settings(siigo_sandbox: Sandbox, shop: Client) -> None:
    answer = raw(siigo_sandbox, "POST", "/v1/invoices", invoice_body(document={"id": 28454}))
    assert answer.status_code == 400
    assert answer.json()["Errors"] == [
        {
            "Code": "document_settings",
            "Message": "The document.id cannot be used, you must verify the document settings",
            "Params": [],
            "Detail": None,
        }
    ]


def test_errors_come_in_siigos_order(shop: Client, siigo_sandbox: Sandbox) -> None:
    # A bad Idempotency-Key is reported before the body is read.
    answer = raw(siigo_sandbox, "POST", "/v1/invoices", {"items": []}, {"Idempotency-Key": "a-b"})
    assert [e["Code"] for e in answer.json()["Errors"]] == ["invalid_idempotency_key"]
    # The body: every structural problem at once.
    answer = raw(siigo_sandbox, "POST", "/v1/invoices", {"document": {"id": 28451}, "items": []})
    codes = [e["Code"] for e in answer.json()["Errors"]]
    assert "parameter_required" in codes and "invalid_array" in codes
    # References before the math: a wrong customer hides a wrong total.
    body = invoice_body(customer=_customer("123456789"), payments=cash(1))
    with pytest.raises(BadRequestError) as caught:
        shop.invoices.create(body, preflight=False)
    assert caught.value.codes == ["invalid_reference"]
    # Several reference problems are reported together, in pipeline order.
    body = invoice_body(customer=_customer("800111222"), items=[item(taxes=[{"id": 18499}])])
    with pytest.raises(BadRequestError) as caught:
        shop.invoices.create(body, preflight=False)
    assert caught.value.codes == ["customer_settings", "parameter_inactive"]
    # The resolution check (step 10) comes before the totals (step 11): it hides a wrong total.
    with pytest.raises(BadRequestError) as caught:
        shop.invoices.create(invoice_body(document={"id": 28454}, payments=cash(1)), preflight=False)
    assert caught.value.codes == ["document_settings"]
    # ...and is reported with the other step 9-10 problems, after them.
    body = invoice_body(document={"id": 28454}, seller=9999, payments=cash(1))
    with pytest.raises(BadRequestError) as caught:
        shop.invoices.create(body, preflight=False)
    assert caught.value.codes == ["invalid_reference", "document_settings"]


def test_the_sandbox_enforces_its_pinned_reading_of_the_math(shop: Client, siigo_sandbox: Sandbox) -> None:
    # Base 10 001.50 × 19 % = 1 900.285: 1 900.29 half up, 1 900.28 half even.
    midpoint = [item(price=Decimal("10001.50"))]
    half_up, half_even = cash("11901.79"), cash("11901.78")
    siigo_sandbox.configure(rounding_mode="half_even")
    with pytest.raises(BadRequestError) as caught:
        shop.invoices.create(invoice_body(items=midpoint, payments=half_up))  # the preflight accepts both
    assert caught.value.codes == ["invalid_total_payments"]
    assert "calculated is 11901.78" in caught.value.errors[0].message
    assert shop.invoices.create(invoice_body(items=midpoint, payments=half_even)).total == Decimal("11901.78")

    siigo_sandbox.configure(payments_basis="gross_total")
    retained = {"items": [item()], "retentions": [{"id": 18410}]}  # IVA 190, ReteIVA 28.50
    with pytest.raises(BadRequestError) as caught:
        shop.invoices.create(invoice_body(**retained, payments=cash("1161.50")))
    assert "calculated is 1190.00" in caught.value.errors[0].message
    assert shop.invoices.create(invoice_body(**retained, payments=cash("1190"))).total == Decimal("1190")


def test_strict_due_dates(shop: Client, siigo_sandbox: Sandbox) -> None:
    siigo_sandbox.configure(strict_due_date=True)
    body = invoice_body(payments=cash("1130.50"))
    with pytest.raises(BadRequestError) as caught:
        shop.invoices.create(body)
    assert caught.value.codes == ["parameter_required"]
    assert shop.invoices.create(invoice_body()).name == "FV-1-1001"  # the sample sends due_date


# name -> (body, expected total, expected balance)
ACCEPTED: dict[str, tuple[Body, str, str]] = {
    "documented sample": (invoice_body(), "1130.50", "0"),
    "percentage discount": (
        invoice_body(
            document={"id": 28452},
            items=[item(quantity=3, price=45000, discount=10)],
            payments=cash("144585"),
        ),
        "144585",
        "0",
    ),
    "price including IVA": (
        invoice_body(items=[item(price=None, taxed_price=59500)], payments=cash("59500")),
        "59500",
        "0",
    ),
    "withholdings on the net basis, on credit": (
        invoice_body(
            items=[
                item(code="TAL-750-001", quantity=2, price=250000, discount=20000, warehouse=3301),
                item(code="SERV-INST-CER", quantity=3, price=45000),
            ],
            retentions=[{"id": 18410}, {"id": 18411}],
            payments=[{"id": 6102, "value": Decimal("708381.60"), "due_date": DUE}],
        ),
        "731850",
        "708381.60",
    ),
    "item Retefuente": (
        invoice_body(items=[item(taxes=[{"id": 18401}, {"id": 18405}])], payments=cash("1165")),
        "1190",
        "0",
    ),
    "Impoconsumo": (invoice_body(items=[item(taxes=[{"id": 18404}])], payments=cash("1080")), "1080", "0"),
    "no taxes": (invoice_body(items=[item(taxes=None)], payments=cash("1000")), "1000", "0"),
    "gift item paid by the customer": (
        invoice_body(items=[item(price=0, tax_base=10000, taxpayer="Customer")], payments=cash("1900")),
        "1900",
        "0",
    ),
    "several cash payments": (
        invoice_body(payments=[{"id": 6101, "value": 130}, {"id": 6103, "value": Decimal("1000.50")}]),
        "1130.50",
        "0",
    ),
    "foreign currency": (
        invoice_body(
            currency={"code": "USD", "exchange_rate": Decimal("3950.25")},
            items=[item(quantity=2, price=Decimal("120.50"))],
            payments=cash("286.79"),
        ),
        "286.79",
        "0",
    ),
    "global discount (math not checked)": (
        invoice_body(global_discounts=[{"id": 551, "percentage": 3}], payments=cash("1101.99")),
        "1130.50",
        "0",
    ),
    "seller per item with its cost center": (
        invoice_body(
            document={"id": 28456}, cost_center=7701, items=[item(seller=4121)], payments=cash("1190")
        ),
        "1190",
        "0",
    ),
    "manual numbering": (invoice_body(document={"id": 28455}, number=300), "1130.50", "0"),
    "electronic invoice dated today": (invoice_body(document={"id": 28453}), "1130.50", "0"),
    "additional fields and observations": (
        invoice_body(
            observations="Pedido web 117",
            additional_fields={"purchase_order": {"prefix": "OC", "number": "5521"}},
        ),
        "1130.50",
        "0",
    ),
}


@pytest.mark.parametrize("case", sorted(ACCEPTED))
def test_valid_invoices_are_created(case: str, shop: Client, siigo_sandbox: Sandbox) -> None:
    body, total, balance = ACCEPTED[case]
    invoice = shop.invoices.create(body)
    assert (invoice.total, invoice.balance) == (Decimal(total), Decimal(balance))
    assert list(siigo_sandbox.tenant().invoices) == [invoice.id]


def test_echoes_of_the_request(shop: Client) -> None:
    invoice = shop.invoices.create(ACCEPTED["global discount (math not checked)"][0])
    assert invoice.global_discounts and invoice.global_discounts[0].value == Decimal("28.50")
    gift = shop.invoices.create(ACCEPTED["gift item paid by the customer"][0])
    assert gift.items and gift.items[0].tax_base == Decimal("10000") and gift.items[0].taxpayer == "Customer"
    taxed = shop.invoices.create(ACCEPTED["price including IVA"][0])
    assert taxed.items and (taxed.items[0].price, taxed.items[0].taxed_price) == (
        Decimal("50000"),
        Decimal("59500"),
    )
    usd = shop.invoices.create(ACCEPTED["foreign currency"][0])
    assert usd.currency is not None and usd.currency.code == "USD"


def test_an_inline_customer_is_created_with_the_invoice(shop: Client, siigo_sandbox: Sandbox) -> None:
    customer = {
        "identification": "1017234567",
        "person_type": "Person",
        "id_type": "13",
        "name": ["Andrea", "Ríos"],
        "address": {
            "address": "Carrera 43A # 1-50",
            "city": {"country_code": "CO", "state_code": "05", "city_code": "05001"},
        },
        "contacts": [{"first_name": "Andrea", "email": "andrea@example.com"}],
    }
    invoice = shop.invoices.create(invoice_body(customer=customer, mail={"send": True}))
    assert invoice.customer is not None and invoice.customer.id
    stored = siigo_sandbox.tenant().customers[invoice.customer.id]
    assert stored["identification"] == "1017234567" and stored["id_type"]["code"] == "13"
    assert siigo_sandbox.tenant().outbox[-1]["to"] == "andrea@example.com"
    assert shop.invoices.create(invoice_body(customer=customer)).customer.id == invoice.customer.id  # type: ignore[union-attr]

    incomplete = dict(customer, identification="1017000000", id_type=None, contacts=[{"first_name": "X"}])
    del incomplete["id_type"]
    with pytest.raises(BadRequestError) as caught:
        shop.invoices.create(invoice_body(customer=incomplete))
    assert caught.value.codes == ["parameter_required"]
    assert caught.value.errors[0].params == ("customer.id_type",)


def test_an_inline_customer_is_checked_like_customers_create(shop: Client, siigo_sandbox: Sandbox) -> None:
    customer: dict[str, Any] = {
        "identification": "1017234568",
        "person_type": "Person",
        "id_type": "13",
        "name": ["Andrea Ríos"],  # a person needs [given names, surnames]
        "address": {
            "address": "Carrera 43A",
            "city": {"country_code": "CO", "state_code": "05", "city_code": "05001"},
        },
        "contacts": [{"first_name": "Andrea", "email": "andrea@example.com"}],
        "fiscal_responsibilities": [{"code": "R-99-PN"}],
        "vat_responsible": False,
    }
    with pytest.raises(ValidationError) as caught:
        shop.invoices.create(invoice_body(customer=customer))
    assert caught.value.codes == ["invalid_array"] and "customer.name" in caught.value.message
    assert siigo_sandbox.journal(method="POST", path="^/v1/invoices$") == []

    invoice = shop.invoices.create(invoice_body(customer=dict(customer, name=["Andrea", "Ríos"])))
    assert invoice.customer is not None and invoice.customer.id
    stored = siigo_sandbox.tenant().customers[invoice.customer.id]
    assert stored["vat_responsible"] is False
    assert [r["code"] for r in stored["fiscal_responsibilities"]] == ["R-99-PN"]
