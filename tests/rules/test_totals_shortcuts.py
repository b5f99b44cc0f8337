"""siigo.totals: a document's lines, computed with the work shared by lines with the same taxes,
are exactly the lines computed one by one; the steps a line without discount or withholding
skips give what the full steps give.  Random lines include extreme and negative decimals (the
math takes any ``LineInput``), so the errors are compared too."""

from __future__ import annotations

import decimal
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from siigo.totals import (
    ITEM_WITHHOLDING_TYPES,
    READING_SETTINGS,
    LineInput,
    LineTotals,
    TaxRate,
    compute_document,
    compute_line,
    line_value,
)

D = Decimal

CATALOG = {
    t.id: t
    for t in (
        TaxRate(1, "IVA", D(19), "IVA 19%"),
        TaxRate(2, "IVA", D("5.000"), "IVA 5%"),
        TaxRate(3, "Impoconsumo", D(8), "Impoconsumo 8%"),
        TaxRate(4, "AdValorem", D("3.5"), "AdValorem"),
        TaxRate(5, "Retefuente", D("-2.5"), "Retefuente negativa"),
        TaxRate(6, "Retefuente", D(4), "Retefuente 4%"),
        TaxRate(7, "Autorretencion", D("0.4"), "Autorretención"),
        TaxRate(8, "IVA", D("-150"), "IVA imposible"),
        TaxRate(9, "IVA", D("1E+30"), "IVA enorme"),
    )
}
TAX_IDS = st.lists(st.sampled_from(sorted(CATALOG)), max_size=3, unique=True).map(tuple)

AMOUNTS = st.one_of(
    st.decimals(min_value=D(0), max_value=D("100000"), places=2),
    st.decimals(min_value=D("-1000"), max_value=D("1000"), places=6),
    st.sampled_from([D(0), D("0.00"), D("-0"), D("0.005"), D("0.015"), D("1E+30"), D("1E-30"), D("9E+40")]),
    st.decimals(allow_nan=False, allow_infinity=False),
)


@st.composite
def line_inputs(draw: st.DrawFn) -> LineInput:
    price = draw(AMOUNTS)
    taxed = draw(st.booleans())
    return LineInput(
        draw(AMOUNTS),
        None if taxed else price,
        price if taxed else None,
        discount=draw(st.one_of(st.none(), AMOUNTS)),
        tax_ids=draw(TAX_IDS),
        tax_base=draw(st.one_of(st.none(), AMOUNTS)),
        taxpayer=draw(st.sampled_from([None, "Customer", "Company"])),
        tax_included=draw(st.booleans()) and not taxed,
    )


def _one_by_one(line: LineInput, **settings: str) -> LineTotals | str:
    try:
        return compute_line(line, taxes=CATALOG, **settings)  # type: ignore[arg-type]
    except ArithmeticError as exc:
        return f"the amounts cannot be computed ({type(exc).__name__})"
    except ValueError as exc:
        return str(exc)


def _exact(line: LineTotals) -> list[str]:
    """Every value of ``line`` as text: equal Decimals with other exponents differ here."""
    values: list[object] = [line.gross, line.discount_value, line.discount_percentage, line.base, line.price]
    values += [line.total, line.withholding, line.seller_bears_taxes]
    for tax in line.taxes:
        values += [tax.id, tax.type, tax.name, tax.percentage, tax.base_value, tax.value]
    return [repr(value) for value in values]


SETTINGS = st.fixed_dictionaries(
    {
        "discount_type": st.sampled_from(["Value", "Percentage"]),
        **{
            name: st.sampled_from(values)
            for name, values in READING_SETTINGS.items()
            if name != "payments_basis"
        },
    }
)


@settings(max_examples=400, deadline=None)
@given(lines=st.lists(line_inputs(), min_size=1, max_size=5), chosen=SETTINGS)
def test_a_documents_lines_are_its_lines_computed_one_by_one(
    lines: list[LineInput], chosen: dict[str, str]
) -> None:
    expected = [_one_by_one(line, **chosen) for line in lines]
    failed = [i for i, line in enumerate(expected) if isinstance(line, str)]
    try:
        document = compute_document(lines, taxes=CATALOG, **chosen)  # type: ignore[arg-type]
    except ValueError as exc:
        assert failed, exc
        assert str(exc) == f"items[{failed[0]}]: {expected[failed[0]]}"
        return
    assert not failed
    assert [_exact(line) for line in document.lines] == [_exact(line) for line in expected]  # type: ignore[arg-type]


@settings(max_examples=400, deadline=None)
@given(line=line_inputs(), rounding=st.sampled_from(["half_up", "half_even"]))
def test_no_discount_and_nothing_withheld_are_what_the_full_steps_give(
    line: LineInput, rounding: str
) -> None:
    got = _one_by_one(line, rounding=rounding)
    if isinstance(got, str):
        return
    context = decimal.Context(prec=60, traps=[decimal.InvalidOperation, decimal.DivisionByZero])
    mode = decimal.ROUND_HALF_UP if rounding == "half_up" else decimal.ROUND_HALF_EVEN
    with decimal.localcontext(context):
        iva = sum((CATALOG[i].percentage for i in line.tax_ids if CATALOG[i].type == "IVA"), D(0))
        exact = line_value(line, iva_percentage=iva, rounding=rounding)  # type: ignore[arg-type]
        discount = line.discount or D(0)
        cent = D("0.01")
        assert repr(got.discount_value) == repr(discount.quantize(cent, mode))
        percentage = (discount * 100 / exact).quantize(cent, mode) if exact else D(0)
        assert repr(got.discount_percentage) == repr(percentage)
        withheld = D(0)
        for tax in got.taxes:
            if tax.type in ITEM_WITHHOLDING_TYPES:
                withheld += tax.value
        assert repr(got.withholding) == repr(withheld.quantize(cent, mode))
