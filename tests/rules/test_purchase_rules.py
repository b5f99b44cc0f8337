"""Purchases in the one totals math and their own rules: VAT-inclusive prices (``tax_included``)
split exactly like a ``taxed_price``, at the rounding edges too; the relaxed checks where Siigo
leaves purchases open; the immutable fields of an edit; the response quirks."""

from __future__ import annotations

import datetime as _dt
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from siigo.kinds import PURCHASE, PURCHASE_SUPPORT
from siigo.models.catalogs import DocumentType, PaymentType, Tax
from siigo.models.purchases import Purchase, PurchaseCreateParams, PurchaseSupportDocumentCreateParams
from siigo.rules.purchases import check_purchase, check_unchanged
from siigo.totals import LineInput, TaxRate, compute_document, compute_line, iter_documents_by_reading, round2

D = Decimal
IVA19 = TaxRate(18401, "IVA", D(19), "IVA 19%")
IVA5 = TaxRate(18402, "IVA", D(5), "IVA 5%")
IVA0 = TaxRate(18403, "IVA", D(0), "IVA 0%")
RATES = {rate.id: rate for rate in (IVA19, IVA5, IVA0)}
TODAY = _dt.date(2026, 3, 4)

CATALOG_TAXES = {
    18401: Tax(id=18401, name="IVA 19%", type="IVA", percentage=D(19), active=True),
    18404: Tax(id=18404, name="Impoconsumo 8%", type="Impoconsumo", percentage=D(8), active=True),
}
PAYMENT_TYPES = {
    6201: PaymentType(id=6201, name="Pago a proveedor", type="Proveedor", active=True, due_date=False),
    6202: PaymentType(id=6202, name="Crédito proveedor", type="Proveedor", active=True, due_date=True),
}
FC_TYPE = DocumentType(id=28490, type="FC", active=True, discount_type="Value", automatic_number=True)


def _inclusive(price: str, quantity: str = "1", tax: int = 18401) -> LineInput:
    return LineInput(quantity=D(quantity), price=D(price), tax_ids=(tax,), tax_included=True)


def test_the_documented_sample_1000_is_840_34_plus_159_66() -> None:
    line = compute_line(_inclusive("1000"), taxes=RATES)
    assert (line.base, line.taxes[0].value, line.total, line.price) == (
        D("840.34"),
        D("159.66"),
        D("1000.00"),
        D("840.34"),
    )


def test_tax_included_is_the_taxed_price_split_of_the_same_math() -> None:
    for quantity in ("1", "3", "2.5"):
        inclusive = compute_document([_inclusive("99.99", quantity)], taxes=RATES)
        taxed = compute_document(
            [LineInput(quantity=D(quantity), taxed_price=D("99.99"), tax_ids=(18401,))], taxes=RATES
        )
        assert inclusive.lines == taxed.lines
        assert inclusive.total == taxed.total


@given(
    cents=st.integers(min_value=1, max_value=10**10),
    quantity=st.integers(min_value=1, max_value=500),
    rate=st.sampled_from([IVA19, IVA5, IVA0]),
    rounding=st.sampled_from(["half_up", "half_even"]),
)
def test_an_inclusive_price_is_never_more_or_less_than_what_is_paid(
    cents: int, quantity: int, rate: TaxRate, rounding: Any
) -> None:
    price = D(cents) / 100
    line = compute_line(
        LineInput(quantity=D(quantity), price=price, tax_ids=(rate.id,), tax_included=True),
        taxes=RATES,
        rounding=rounding,
    )
    paid = round2(D(quantity) * price, rounding)
    assert line.total == paid  # the line total is the VAT-inclusive amount, to the cent
    assert line.base + line.taxes[0].value == paid
    assert line.base == round2(D(quantity) * price / (1 + rate.percentage / 100), rounding)
    assert line.base <= paid and line.taxes[0].value >= 0


def test_a_midpoint_split_follows_the_rounding_mode() -> None:
    # 99.98975 / 1.19 = 84.025 exactly: half up 84.03, half even 84.02; the VAT takes the rest of
    # the 99.99 paid.
    up = compute_line(_inclusive("99.98975"), taxes=RATES, rounding="half_up")
    even = compute_line(_inclusive("99.98975"), taxes=RATES, rounding="half_even")
    assert (up.base, up.taxes[0].value, up.total) == (D("84.03"), D("15.96"), D("99.99"))
    assert (even.base, even.taxes[0].value, even.total) == (D("84.02"), D("15.97"), D("99.99"))


def test_the_per_unit_reading_rounds_the_unit_price_first() -> None:
    # 3 × 10.00 VAT-inclusive: per line 30 / 1.19 = 25.21; per unit 3 × round2(8.4033…) = 25.20.
    found = {
        reading.taxed_price_division: document
        for reading, document in iter_documents_by_reading(
            [_inclusive("10", "3")],
            taxes=RATES,
            rounding="half_up",
            payments_basis="gross_total",
            price_precision="as_sent",
            percentage_discount="rounded_value",
        )
    }
    assert not isinstance(found["per_line"], ValueError) and not isinstance(found["per_unit"], ValueError)
    assert (found["per_line"].subtotal, found["per_line"].total) == (D("25.21"), D("30.00"))
    assert (found["per_unit"].subtotal, found["per_unit"].total) == (D("25.20"), D("30.00"))


def test_without_iva_an_inclusive_price_is_its_own_base() -> None:
    line = compute_line(_inclusive("1000", tax=18403), taxes=RATES)
    assert (line.base, line.total) == (D("1000.00"), D("1000.00"))


# --- check_purchase ----------------------------------------------------------------------------


def _body(**overrides: Any) -> PurchaseCreateParams:
    body: dict[str, Any] = {
        "document": {"id": 28490},
        "date": TODAY.isoformat(),
        "supplier": {"identification": "900123456"},
        "tax_included": True,
        "items": [
            {"type": "Product", "code": "SKU-1", "quantity": 1, "price": "1000", "taxes": [{"id": 18401}]}
        ],
        "payments": [{"id": 6201, "value": "1000.00"}],
    }
    body.update(overrides)
    return PurchaseCreateParams.model_validate(body)


def _check(body: PurchaseCreateParams, **options: Any) -> Any:
    return check_purchase(
        body,
        kind=PURCHASE,
        document_type=FC_TYPE,
        taxes=CATALOG_TAXES,
        payment_types=PAYMENT_TYPES,
        today=TODAY,
        **options,
    )


def test_a_vat_inclusive_purchase_passes_and_a_wrong_total_does_not() -> None:
    totals, errors = _check(_body())
    assert errors == [] and totals is not None and totals.total == D("1000.00")
    _, errors = _check(_body(payments=[{"id": 6201, "value": "1190.00"}]))
    assert [(e.code, e.params) for e in errors] == [("invalid_total_payments", ("payments",))]


def test_inclusive_prices_with_other_taxes_are_not_checked_locally_but_are_by_the_sandbox() -> None:
    items = [
        {
            "type": "Product",
            "code": "SKU-1",
            "quantity": 1,
            "price": "1000",
            "taxes": [{"id": 18401}, {"id": 18404}],
        }
    ]
    body = _body(items=items, payments=[{"id": 6201, "value": "1000.00"}])
    totals, errors = _check(body)
    assert errors == []
    assert totals is not None and any("Impoconsumo" in note for note in totals.undocumented)
    _, exact = _check(body, exact=True, rounding="half_up", payments_basis="net_of_withholdings")
    assert [e.code for e in exact] == ["invalid_total_payments"]


def test_the_body_discount_type_overrides_the_document_types() -> None:
    items = [{"type": "Product", "code": "SKU-1", "quantity": 1, "price": "100", "discount": 150}]
    _, as_value = _check(_body(tax_included=False, items=items, payments=[{"id": 6201, "value": "1.00"}]))
    assert [e.code for e in as_value] == ["invalid_amount"]
    _, as_percentage = _check(
        _body(
            tax_included=False,
            discount_type="Percentage",
            items=items,
            payments=[{"id": 6201, "value": "1.00"}],
        )
    )
    assert [(e.code, e.params) for e in as_percentage] == [("invalid_amount", ("items[0].discount",))]
    assert "at most 100" in as_percentage[0].message


def test_unchanged_fields_compare_with_the_document_read_back() -> None:
    stored = Purchase.model_validate(
        {
            "id": "63f918c2-ca65-4edc-a7db-66bcdd5159fb",
            "document": {"id": 28490},
            "number": 310,
            "supplier": {"id": "x", "identification": "900123456", "branch_office": 0},
        }
    )
    assert check_unchanged(_body(), stored) == []
    assert check_unchanged(_body(number=310), stored) == []
    changed = check_unchanged(_body(number=311, supplier={"identification": "1036654321"}), stored)
    assert [(e.code, e.params) for e in changed] == [
        ("non_editable", ("supplier.identification",)),
        ("non_editable", ("number",)),
    ]
    in_dollars = check_unchanged(_body(currency={"code": "USD", "exchange_rate": "3950.25"}), stored)
    assert [(e.code, e.params) for e in in_dollars] == [("non_editable", ("currency.code",))]
    unknown = Purchase.model_validate({"id": stored.id})
    assert check_unchanged(_body(number=311), unknown) == []


@pytest.mark.parametrize("item_type", ["item", "Product", "SomethingNew"])
def test_a_response_item_type_is_kept_as_siigo_sends_it(item_type: str) -> None:
    purchase = Purchase.model_validate(
        {"id": "63f918c2-ca65-4edc-a7db-66bcdd5159fb", "items": [{"type": item_type, "code": "Item-1"}]}
    )
    assert purchase.items is not None and purchase.items[0].type == item_type


def test_a_support_document_on_a_purchase_type_flagged_for_support_is_only_refused_exactly() -> None:
    body = PurchaseSupportDocumentCreateParams.model_validate(
        {
            "document": {"id": 28490},
            "date": TODAY.isoformat(),
            "supplier": {"identification": "900123456"},
            "items": [{"type": "Account", "code": "51354001", "quantity": 1, "price": "100"}],
            "payments": [{"id": 6201, "value": "100.00"}],
        }
    )
    flagged = FC_TYPE.model_copy(update={"document_support": True})
    arguments: dict[str, Any] = {
        "kind": PURCHASE_SUPPORT,
        "taxes": CATALOG_TAXES,
        "payment_types": PAYMENT_TYPES,
        "today": TODAY,
    }
    assert check_purchase(body, document_type=flagged, **arguments)[1] == []
    _, exact = check_purchase(body, document_type=flagged, exact=True, **arguments)
    assert [e.code for e in exact] == ["invalid_document"]
    _, plain = check_purchase(body, document_type=FC_TYPE, **arguments)
    assert [e.code for e in plain] == ["invalid_document"]
