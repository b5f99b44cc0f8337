"""siigo.totals: the worked examples of siigo-api.md §C.4.3 and properties against a reference."""

from __future__ import annotations

import dataclasses
import inspect
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from siigo.totals import (
    DEFAULT_READING,
    DocumentTotals,
    LineInput,
    LineTotals,
    Reading,
    TaxRate,
    UnsupportedTaxError,
    compute_document,
    compute_line,
    readings,
    round2,
    total_payments_message,
)

from .readings import acceptable_amounts, check_payments, matching_reading

D = Decimal

IVA19 = TaxRate(18401, "IVA", D(19), "IVA 19%")
IVA5 = TaxRate(18402, "IVA", D(5), "IVA 5%")
IVA0 = TaxRate(18403, "IVA", D(0), "IVA 0%")
IMPOCONSUMO8 = TaxRate(18404, "Impoconsumo", D(8), "Impoconsumo 8%")
ADVALOREM = TaxRate(18405, "AdValorem", D("3.5"), "AdValorem 3,5%")
RETEFUENTE25 = TaxRate(18406, "Retefuente", D("2.5"), "Retefuente 2,5%")
RETEFUENTE4 = TaxRate(18407, "Retefuente", D(4), "Retefuente 4%")
RETEIVA15 = TaxRate(18410, "ReteIVA", D(15), "ReteIVA 15%")
RETEICA = TaxRate(18411, "ReteICA", D("0.966"), "ReteICA 9,66 x mil")
AUTORRETENCION = TaxRate(18412, "Autorretencion", D("0.4"), "Autorretención 0,4%")

CATALOG = {
    t.id: t
    for t in (
        IVA19,
        IVA5,
        IVA0,
        IMPOCONSUMO8,
        ADVALOREM,
        RETEFUENTE25,
        RETEFUENTE4,
        RETEIVA15,
        RETEICA,
        AUTORRETENCION,
    )
}


# --- documented sample and worked examples (§C.4.1, §C.4.3) ----------------------------------------


def test_documented_sample_value_discount() -> None:
    line = compute_line(
        LineInput(D(10), D("100.00"), discount=D("50.00"), tax_ids=(IVA19.id,)), taxes=CATALOG
    )
    assert line.gross == D("1000.00")
    assert line.discount_value == D("50.00")
    assert line.base == D("950.00")
    assert [(t.id, t.base_value, t.value) for t in line.taxes] == [(IVA19.id, D("950.00"), D("180.50"))]
    assert line.total == D("1130.50")


def example_a() -> DocumentTotals:
    return compute_document(
        [
            LineInput(D(2), D(250000), discount=D(20000), tax_ids=(IVA19.id,)),
            LineInput(D(3), D(45000), tax_ids=(IVA19.id,)),
        ],
        taxes=CATALOG,
        retentions=[RETEIVA15.id, RETEICA.id],
    )


def test_example_a_lines() -> None:
    doc = example_a()
    first, second = doc.lines
    assert (first.gross, first.discount_value, first.base) == (D("500000.00"), D("20000.00"), D("480000.00"))
    assert first.discount_percentage == D("4.00")
    assert first.taxes[0].value == D("91200.00")
    assert first.total == D("571200.00")
    assert (second.base, second.taxes[0].value, second.total) == (
        D("135000.00"),
        D("25650.00"),
        D("160650.00"),
    )


def test_example_a_document() -> None:
    doc = example_a()
    assert doc.subtotal == D("615000.00")
    assert doc.tax_total == D("116850.00")
    assert doc.iva_total == D("116850.00")
    assert doc.total == D("731850.00")
    assert [(r.type, r.base_value, r.value) for r in doc.retentions] == [
        ("ReteIVA", D("116850.00"), D("17527.50")),
        ("ReteICA", D("615000.00"), D("5940.90")),
    ]
    assert doc.withholdings == D("23468.40")
    assert doc.amount_due == D("708381.60")
    assert doc.reading == ("half_up", "net_of_withholdings")
    assert doc.full_reading == DEFAULT_READING


def test_example_a_gross_basis() -> None:
    doc = compute_document(
        [
            LineInput(D(2), D(250000), discount=D(20000), tax_ids=(IVA19.id,)),
            LineInput(D(3), D(45000), tax_ids=(IVA19.id,)),
        ],
        taxes=CATALOG,
        retentions=[RETEIVA15.id, RETEICA.id],
        payments_basis="gross_total",
    )
    assert doc.total == D("731850.00")
    assert doc.withholdings == D("23468.40")
    assert doc.amount_due == D("731850.00")


def test_example_b_percentage_discount() -> None:
    line = compute_line(
        LineInput(D(3), D(45000), discount=D(10), tax_ids=(IVA19.id,)),
        taxes=CATALOG,
        discount_type="Percentage",
    )
    assert line.gross == D("135000.00")
    assert line.discount_value == D("13500.00")
    assert line.discount_percentage == D(10)
    assert line.base == D("121500.00")
    assert line.taxes[0].value == D("23085.00")
    assert line.total == D("144585.00")


def test_example_c_taxed_price() -> None:
    line = compute_line(LineInput(D(1), taxed_price=D(59500), tax_ids=(IVA19.id,)), taxes=CATALOG)
    assert line.base == D("50000.00")
    assert line.price == D("50000.00")
    assert line.taxes[0].value == D("9500.00")
    assert line.total == D("59500.00")


def test_taxed_price_documented_sample() -> None:
    line = compute_line(LineInput(D(1), taxed_price=D(10000), tax_ids=(IVA19.id,)), taxes=CATALOG)
    assert (line.base, line.taxes[0].value, line.total) == (D("8403.36"), D("1596.64"), D("10000.00"))


def test_taxed_price_divides_per_line() -> None:
    # 3 × 10 000 / 1.19 = 25 210.084… → 25 210.08 (per unit it would be 3 × 8 403.36 = 25 210.08 too,
    # so use a price where the two differ): 3 × 100 / 1.19 = 252.100… → 252.10 vs 3 × 84.03 = 252.09.
    line = compute_line(LineInput(D(3), taxed_price=D(100), tax_ids=(IVA19.id,)), taxes=CATALOG)
    assert line.base == D("252.10")
    assert line.price == D("84.03")
    assert line.taxes[0].value == D("47.90")
    assert line.total == D("300.00")


def test_example_d_foreign_currency_amounts() -> None:
    doc = compute_document([LineInput(D(2), D("120.50"), tax_ids=(IVA19.id,))], taxes=CATALOG)
    assert doc.subtotal == D("241.00")
    assert doc.lines[0].taxes[0].value == D("45.79")
    assert doc.total == D("286.79")
    assert doc.amount_due == D("286.79")


def test_midpoint_half_up_vs_half_even() -> None:
    line = LineInput(D(1), D("10001.50"), tax_ids=(IVA19.id,))
    up = compute_line(line, taxes=CATALOG, rounding="half_up")
    even = compute_line(line, taxes=CATALOG, rounding="half_even")
    assert up.taxes[0].value == D("1900.29")
    assert even.taxes[0].value == D("1900.28")
    assert (up.total, even.total) == (D("11901.79"), D("11901.78"))


def test_round2() -> None:
    assert round2(D("0.125")) == D("0.13")
    assert round2(D("0.125"), "half_even") == D("0.12")
    assert round2(D("0.135"), "half_even") == D("0.14")
    assert round2(D("-0.125")) == D("-0.13")
    assert round2(D(7)) == D("7.00")
    with pytest.raises(ValueError, match="half_up"):
        round2(D(1), "up")  # type: ignore[arg-type]


# --- other taxes and withholdings ----------------------------------------------------------------------


def test_impoconsumo_adds_and_retefuente_is_withheld() -> None:
    line = compute_line(
        LineInput(D(1), D(1000), tax_ids=(IVA19.id, IMPOCONSUMO8.id, RETEFUENTE25.id)), taxes=CATALOG
    )
    assert [(t.type, t.value) for t in line.taxes] == [
        ("IVA", D("190.00")),
        ("Impoconsumo", D("80.00")),
        ("Retefuente", D("25.00")),
    ]
    assert line.total == D("1270.00")
    assert line.withholding == D("25.00")
    assert line.net == D("1245.00")
    assert [t.is_withholding for t in line.taxes] == [False, False, True]


def test_item_retefuente_reduces_amount_due_on_net_basis_only() -> None:
    lines = [LineInput(D(1), D(1000), tax_ids=(IVA19.id, RETEFUENTE4.id))]
    net = compute_document(lines, taxes=CATALOG, retentions=[RETEIVA15.id])
    assert net.total == D("1190.00")
    assert net.item_withholdings == D("40.00")
    assert net.retentions[0].value == D("28.50")
    assert net.withholdings == D("68.50")
    assert net.amount_due == D("1121.50")
    gross = compute_document(lines, taxes=CATALOG, retentions=[RETEIVA15.id], payments_basis="gross_total")
    assert gross.amount_due == D("1190.00")


def test_autorretencion_applies_above_the_limit_and_never_reduces_amount_due() -> None:
    lines = [LineInput(D(1), D(1000), tax_ids=(IVA19.id,))]
    above = compute_document(
        lines, taxes=CATALOG, retentions=[AUTORRETENCION.id], self_withholding_limit=D("999.99")
    )
    assert above.retentions[0].value == D("4.00")
    assert not above.retentions[0].reduces_amount_due
    assert above.withholdings == D("0.00")
    assert above.amount_due == D("1190.00")
    at_limit = compute_document(
        lines, taxes=CATALOG, retentions=[AUTORRETENCION.id], self_withholding_limit=D(1000)
    )
    assert at_limit.retentions[0].value == D("0.00")
    no_limit = compute_document(lines, taxes=CATALOG, retentions=[AUTORRETENCION.id])
    assert no_limit.retentions[0].value == D("4.00")


def test_gift_line_taxes_on_tax_base() -> None:
    customer = compute_line(
        LineInput(D(1), D(0), tax_ids=(IVA19.id,), tax_base=D(5000), taxpayer="Customer"), taxes=CATALOG
    )
    assert customer.base == D("0.00")
    assert (customer.taxes[0].base_value, customer.taxes[0].value) == (D("5000.00"), D("950.00"))
    assert customer.total == D("950.00")
    company = compute_line(
        LineInput(D(1), D(0), tax_ids=(IVA19.id,), tax_base=D(5000), taxpayer="Company"), taxes=CATALOG
    )
    assert company.total == D("0.00")
    assert company.seller_bears_taxes
    doc = compute_document(
        [LineInput(D(1), D(0), tax_ids=(IVA19.id,), tax_base=D(5000), taxpayer="Company")],
        taxes=CATALOG,
        retentions=[RETEIVA15.id],
    )
    assert doc.iva_total == D("0.00")
    assert doc.amount_due == D("0.00")


def test_item_level_reteiva_and_unknown_taxes_are_refused() -> None:
    with pytest.raises(UnsupportedTaxError, match="retentions"):
        compute_line(LineInput(D(1), D(10), tax_ids=(RETEIVA15.id,)), taxes=CATALOG)
    with pytest.raises(UnsupportedTaxError, match="not in the taxes catalog"):
        compute_line(LineInput(D(1), D(10), tax_ids=(999,)), taxes=CATALOG)
    odd = {1: TaxRate(1, "Bolsas", D(1))}
    with pytest.raises(UnsupportedTaxError, match="Bolsas"):
        compute_line(LineInput(D(1), D(10), tax_ids=(1,)), taxes=odd)
    with pytest.raises(UnsupportedTaxError, match="document-level retention"):
        compute_document([LineInput(D(1), D(10))], taxes=CATALOG, retentions=[RETEFUENTE4.id])


def test_line_needs_a_price_and_a_discount_within_its_value() -> None:
    with pytest.raises(ValueError, match="price or taxed_price"):
        compute_line(LineInput(D(1)), taxes=CATALOG)
    with pytest.raises(ValueError, match="exceeds the line value"):
        compute_line(LineInput(D(1), D(10), discount=D(11)), taxes=CATALOG)


# --- readings and the payments check ---------------------------------------------------------------


MIDPOINT_LINES = [LineInput(D(1), D("10001.50"), tax_ids=(IVA19.id,))]


def by_rounding_and_basis(amounts: dict[Reading, Decimal]) -> dict[tuple[str, str], Decimal]:
    """The amounts keyed by (rounding, payments_basis), checking that the other settings (which
    cannot matter for a document without taxed_price nor sub-cent prices) change nothing."""
    projected: dict[tuple[str, str], Decimal] = {}
    for reading, amount in amounts.items():
        key = (reading.rounding, reading.payments_basis)
        assert projected.setdefault(key, amount) == amount
    return projected


def test_acceptable_amounts_lists_every_reading_default_first() -> None:
    amounts = acceptable_amounts(MIDPOINT_LINES, taxes=CATALOG, retentions=[RETEIVA15.id])
    assert list(amounts) == readings()
    assert len(amounts) == 32
    assert list(amounts)[:2] == [
        Reading("half_up", "net_of_withholdings"),
        Reading("half_up", "net_of_withholdings", "per_line", "as_sent", "exact_value"),
    ]
    # ReteIVA: 15 % × 1 900.29 = 285.0435 → 285.04; 15 % × 1 900.28 = 285.042 → 285.04
    assert by_rounding_and_basis(amounts) == {
        ("half_up", "net_of_withholdings"): D("11616.75"),
        ("half_up", "gross_total"): D("11901.79"),
        ("half_even", "net_of_withholdings"): D("11616.74"),
        ("half_even", "gross_total"): D("11901.78"),
    }


def test_acceptable_amounts_pinned() -> None:
    pinned_rounding = acceptable_amounts(MIDPOINT_LINES, taxes=CATALOG, rounding="half_even")
    assert {r.rounding for r in pinned_rounding} == {"half_even"}
    assert by_rounding_and_basis(pinned_rounding) == {
        ("half_even", "net_of_withholdings"): D("11901.78"),
        ("half_even", "gross_total"): D("11901.78"),
    }
    pinned_basis = acceptable_amounts(
        MIDPOINT_LINES, taxes=CATALOG, retentions=[RETEIVA15.id], payments_basis="gross_total"
    )
    assert by_rounding_and_basis(pinned_basis) == {
        ("half_up", "gross_total"): D("11901.79"),
        ("half_even", "gross_total"): D("11901.78"),
    }
    assert acceptable_amounts(
        MIDPOINT_LINES,
        taxes=CATALOG,
        retentions=[RETEIVA15.id],
        rounding="half_up",
        payments_basis="net_of_withholdings",
        taxed_price_division="per_line",
        price_precision="as_sent",
        percentage_discount="rounded_value",
    ) == {DEFAULT_READING: D("11616.75")}


def test_readings_validates_pins() -> None:
    assert readings()[0] == DEFAULT_READING
    assert len(readings()) == 32 and len(set(readings())) == 32
    assert readings(
        rounding="half_even", payments_basis="gross_total", percentage_discount="rounded_value"
    ) == [
        Reading("half_even", "gross_total", "per_line", "as_sent"),
        Reading("half_even", "gross_total", "per_line", "stored"),
        Reading("half_even", "gross_total", "per_unit", "as_sent"),
        Reading("half_even", "gross_total", "per_unit", "stored"),
    ]
    with pytest.raises(ValueError):
        readings(payments_basis="net")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="taxed_price_division"):
        readings(taxed_price_division="per_item")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="price_precision"):
        readings(price_precision="2")  # type: ignore[arg-type]


def test_check_payments_accepts_any_open_reading() -> None:
    amounts = acceptable_amounts(MIDPOINT_LINES, taxes=CATALOG, retentions=[RETEIVA15.id])
    for amount in amounts.values():
        assert check_payments(amount, amounts) is None
    assert matching_reading(D("11901.78"), amounts) == Reading("half_even", "gross_total")
    assert matching_reading(D("11616.750"), amounts) == DEFAULT_READING
    assert check_payments(D("11900"), amounts) == (
        "The total payments must be equal to the total invoice. The total invoice calculated is 11616.75 "
        "(payments add up to 11900.00)"
    )


def test_check_payments_pinned_rejects_other_readings() -> None:
    amounts = acceptable_amounts(
        MIDPOINT_LINES, taxes=CATALOG, retentions=[RETEIVA15.id], payments_basis="net_of_withholdings"
    )
    assert check_payments(D("11901.79"), amounts) is not None
    pinned = acceptable_amounts(
        MIDPOINT_LINES, taxes=CATALOG, rounding="half_even", payments_basis="gross_total"
    )
    assert check_payments(D("11901.79"), pinned) == (
        "The total payments must be equal to the total invoice. The total invoice calculated is 11901.78 "
        "(payments add up to 11901.79)"
    )
    with pytest.raises(ValueError):
        check_payments(D(1), {})


def test_example_a_message() -> None:
    amounts = acceptable_amounts(
        [
            LineInput(D(2), D(250000), discount=D(20000), tax_ids=(IVA19.id,)),
            LineInput(D(3), D(45000), tax_ids=(IVA19.id,)),
        ],
        taxes=CATALOG,
        retentions=[RETEIVA15.id, RETEICA.id],
    )
    assert check_payments(D("708381.60"), amounts) is None
    assert check_payments(D("731850"), amounts) is None
    assert check_payments(D(700000), amounts) == (
        "The total payments must be equal to the total invoice. The total invoice calculated is 708381.60 "
        "(payments add up to 700000.00)"
    )
    assert total_payments_message(D(10000)) == (
        "The total payments must be equal to the total invoice. The total invoice calculated is 10000.00"
    )


# --- properties against a plainly written reference --------------------------------------------------


def ref_round(value: Fraction, mode: str) -> Fraction:
    """Round to cents by hand: look at the remainder after whole cents, in whole numbers (the
    cents are ``|numerator| * 100 / denominator``, the remainder ``remainder / denominator``)."""
    negative = value.numerator < 0
    whole, remainder = divmod(abs(value.numerator) * 100, value.denominator)
    twice = 2 * remainder  # against one half: twice the remainder against the denominator
    if twice > value.denominator or (twice == value.denominator and (mode == "half_up" or whole % 2 == 1)):
        whole += 1
    return Fraction(-whole if negative else whole, 100)


ADDS = {"IVA", "Impoconsumo", "AdValorem"}


def ref_line(
    quantity: Fraction,
    price: Fraction,
    discount: Fraction,
    discount_type: str,
    taxes: list[TaxRate],
    mode: str,
    taxed: bool = False,
) -> tuple[Fraction, list[Fraction], Fraction, Fraction]:
    """(base, tax values, line total, withheld) computed the slow, obvious way (default reading:
    as-sent prices, a taxed price divided per line)."""
    taxed_value = quantity * price
    if taxed:
        iva = sum((Fraction(t.percentage) for t in taxes if t.type == "IVA"), Fraction(0))
        price = price / (1 + iva / 100)
    gross = quantity * price
    discount_value = discount if discount_type == "Value" else ref_round(gross * discount / 100, mode)
    base = ref_round(gross - discount_value, mode)
    if discount_type == "Percentage":
        base = max(base, Fraction(0))  # 100 % of 10.615 is shown as 10.62: the line is worth 0.00
    values = []
    for t in taxes:
        if taxed and t.type == "IVA" and discount_value == 0:
            values.append(ref_round(taxed_value, mode) - base)  # §C.4.1: iva = taxed price − base
        else:
            values.append(ref_round(base * Fraction(t.percentage) / 100, mode))
    added = sum((v for v, t in zip(values, taxes, strict=True) if t.type in ADDS), Fraction(0))
    withheld = sum((v for v, t in zip(values, taxes, strict=True) if t.type == "Retefuente"), Fraction(0))
    return base, values, base + added, withheld


TAX_SETS = st.sampled_from(
    [
        (),
        (IVA19,),
        (IVA5,),
        (IVA0,),
        (IVA19, IMPOCONSUMO8),
        (IVA19, RETEFUENTE25),
        (IVA5, IMPOCONSUMO8, RETEFUENTE4),
        (ADVALOREM,),
        (ADVALOREM, RETEFUENTE4),
        (RETEFUENTE25,),
    ]
)
QUANTITIES = st.decimals(min_value=D("0.01"), max_value=D("100000"), places=2)
PRICES = st.one_of(
    st.decimals(min_value=D(0), max_value=D("50000000"), places=2),
    st.decimals(min_value=D(0), max_value=D("1000000"), places=6),
)
MODES = st.sampled_from(["half_up", "half_even"])


@st.composite
def lines(draw: st.DrawFn, discount_type: str = "Value") -> tuple[LineInput, list[TaxRate]]:
    quantity = draw(QUANTITIES)
    taxes = list(draw(TAX_SETS))
    taxed = draw(st.booleans()) and any(t.type == "IVA" for t in taxes)
    price = draw(PRICES)
    if discount_type == "Percentage":
        discount = draw(st.decimals(min_value=D(0), max_value=D(100), places=2))
    else:
        unit = Fraction(price)
        if taxed:
            unit /= 1 + Fraction(sum(t.percentage for t in taxes if t.type == "IVA")) / 100
        limit = Fraction(quantity) * unit
        cents = int(limit * 100)  # floor: a discount never above the line value
        discount = D(draw(st.integers(min_value=0, max_value=cents))) / 100
    if taxed:
        line = LineInput(quantity, taxed_price=price, discount=discount, tax_ids=tuple(t.id for t in taxes))
    else:
        line = LineInput(quantity, price, discount=discount, tax_ids=tuple(t.id for t in taxes))
    return line, taxes


@settings(max_examples=300, deadline=None)
@given(data=st.data(), discount_type=st.sampled_from(["Value", "Percentage"]), mode=MODES)
def test_compute_line_matches_reference(data: st.DataObject, discount_type: str, mode: str) -> None:
    line, taxes = data.draw(lines(discount_type))
    price = line.taxed_price if line.taxed_price is not None else line.price
    assert price is not None
    base, values, total, withheld = ref_line(
        Fraction(line.quantity),
        Fraction(price),
        Fraction(line.discount or 0),
        discount_type,
        taxes,
        mode,
        taxed=line.taxed_price is not None,
    )
    got = compute_line(line, taxes=CATALOG, discount_type=discount_type, rounding=mode)  # type: ignore[arg-type]
    assert Fraction(got.base) == base
    assert [Fraction(t.value) for t in got.taxes] == values
    assert Fraction(got.total) == total
    assert Fraction(got.withholding) == withheld
    assert got.total == got.base + sum((t.value for t in got.taxes if t.type in ADDS), D(0))
    for amount in (got.base, got.total, got.discount_value, *(t.value for t in got.taxes)):
        assert amount == amount.quantize(D("0.01"))


def test_a_full_percentage_discount_of_an_odd_half_cent_line_is_worth_nothing() -> None:
    # 0.55 × 19.30 = 10.615: the discount's value rounds to 10.62, above the exact line value.
    line = LineInput(D("0.55"), D("19.30"), discount=D("100"))
    for mode in ("half_up", "half_even"):
        got = compute_line(line, taxes=CATALOG, discount_type="Percentage", rounding=mode)
        assert (got.base, got.total) == (D("0.00"), D("0.00"))
        assert str(got.base) == "0.00"


RETENTION_SETS = st.sampled_from(
    [
        (),
        (RETEIVA15,),
        (RETEICA,),
        (RETEIVA15, RETEICA),
        (RETEIVA15, RETEICA, AUTORRETENCION),
        (AUTORRETENCION,),
    ]
)


@settings(max_examples=200, deadline=None)
@given(
    data=st.data(),
    retentions=RETENTION_SETS,
    mode=MODES,
    basis=st.sampled_from(["net_of_withholdings", "gross_total"]),
    limit=st.one_of(st.none(), st.decimals(min_value=D(0), max_value=D("5000000"), places=2)),
)
def test_compute_document_matches_reference(
    data: st.DataObject,
    retentions: tuple[TaxRate, ...],
    mode: str,
    basis: str,
    limit: Decimal | None,
) -> None:
    drawn = data.draw(st.lists(lines(), min_size=1, max_size=6))
    subtotal = total = iva = withheld = Fraction(0)
    for line, taxes in drawn:
        price = line.taxed_price if line.taxed_price is not None else line.price
        assert price is not None
        base, values, line_total, line_withheld = ref_line(
            Fraction(line.quantity),
            Fraction(price),
            Fraction(line.discount or 0),
            "Value",
            taxes,
            mode,
            taxed=line.taxed_price is not None,
        )
        subtotal += base
        total += line_total
        withheld += line_withheld
        iva += sum((v for v, t in zip(values, taxes, strict=True) if t.type == "IVA"), Fraction(0))
    expected_retentions = []
    for rate in retentions:
        base_value = iva if rate.type == "ReteIVA" else subtotal
        value = ref_round(base_value * Fraction(rate.percentage) / 100, mode)
        if rate.type == "Autorretencion" and limit is not None and subtotal <= limit:
            value = Fraction(0)
        expected_retentions.append((rate.type, value))
        if rate.type != "Autorretencion":
            withheld += value
    due = total - withheld if basis == "net_of_withholdings" else total

    doc = compute_document(
        [line for line, _ in drawn],
        taxes=CATALOG,
        retentions=[r.id for r in retentions],
        rounding=mode,  # type: ignore[arg-type]
        payments_basis=basis,  # type: ignore[arg-type]
        self_withholding_limit=limit,
    )
    assert Fraction(doc.subtotal) == subtotal
    assert Fraction(doc.total) == total
    assert doc.total == doc.subtotal + doc.tax_total
    assert [(r.type, Fraction(r.value)) for r in doc.retentions] == expected_retentions
    assert Fraction(doc.amount_due) == due
    assert Fraction(doc.iva_total) == iva

    amounts = acceptable_amounts(
        [line for line, _ in drawn],
        taxes=CATALOG,
        retentions=[r.id for r in retentions],
        self_withholding_limit=limit,
    )
    assert amounts[Reading(mode, basis)] == doc.amount_due  # type: ignore[arg-type]
    assert check_payments(doc.amount_due, amounts) is None


def test_line_totals_is_frozen() -> None:
    line = compute_line(LineInput(D(1), D(1)), taxes=CATALOG)
    assert isinstance(line, LineTotals)
    with pytest.raises(AttributeError):
        line.total = D(0)  # type: ignore[misc]


def test_computed_lines_are_what_their_constructors_build() -> None:
    """The totals build their lines and line taxes without the dataclasses' ``__init__``: the
    objects hold every field, none else, and equal (and hash as) the constructed ones."""
    lines = [
        LineInput(D(3), D("33.333333"), discount=D("1.50"), tax_ids=(18401, 18406)),
        LineInput(D(2), taxed_price=D("11900"), tax_ids=(18401,)),
        LineInput(D(1), D(0), tax_ids=(18404,), tax_base=D(100), taxpayer="Company"),
    ]
    doc = compute_document(lines, taxes=CATALOG)
    for line in doc.lines:
        rebuilt = dataclasses.replace(line)
        assert vars(line) == vars(rebuilt)
        assert line == rebuilt and hash(line) == hash(rebuilt)
        for tax in line.taxes:
            assert vars(tax) == vars(dataclasses.replace(tax))
            assert hash(tax) == hash(dataclasses.replace(tax))
    assert [t.type for t in doc.lines[0].taxes] == ["IVA", "Retefuente"]


def test_line_input_init_takes_its_fields_with_their_defaults() -> None:
    """``LineInput`` has its own ``__init__`` (a faster one): it takes the dataclass's fields, in
    their order, with their defaults, and sets them all."""
    params = inspect.signature(LineInput).parameters
    fields = dataclasses.fields(LineInput)
    assert list(params) == [f.name for f in fields]
    for f in fields:
        expected = inspect.Parameter.empty if f.default is dataclasses.MISSING else f.default
        assert params[f.name].default == expected, f.name
    line = LineInput(D(2), D("1.50"), tax_ids=(18401,))
    assert set(vars(line)) == {f.name for f in fields}
    assert line == dataclasses.replace(line) and hash(line) == hash(
        LineInput(D(2), D("1.50"), tax_ids=(18401,))
    )
    with pytest.raises(AttributeError, match="price"):
        line.price = D(0)  # type: ignore[misc]
