"""The amount types and the item code keep the values they are given at once when their text
shows every rule passes; everything else goes through the separate steps.  Random inputs of
every kind a body may hold (extreme decimals, signs of zero, NaN, huge and tiny exponents,
ints, bools, floats, strings) are validated by each type and by the reference it replaces: the
values (down to their exponent) and the errors (Siigo code and message) are the same."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import AfterValidator, BeforeValidator, Field, TypeAdapter
from pydantic import ValidationError as PydanticError

from siigo.models._base import Amount, Money, Price, Quantity, _amount_rules, _to_decimal, siigo_errors_from
from siigo.models.documents import ItemCode, _check_code, _to_str

D = Decimal


def _reference(places: int, what: str, *, positive: bool) -> Any:
    return Annotated[
        Decimal, BeforeValidator(_to_decimal), AfterValidator(_amount_rules(places, what, positive=positive))
    ]


PAIRS = {
    "Money": (Money, _reference(2, "amount", positive=False)),
    "Amount": (Amount, _reference(2, "amount", positive=True)),
    "Price": (Price, _reference(6, "price", positive=False)),
    "Quantity": (Quantity, _reference(2, "quantity", positive=True)),
}
ADAPTERS = {name: (TypeAdapter(fast), TypeAdapter(slow)) for name, (fast, slow) in PAIRS.items()}

EDGES = [
    D("0"),
    D("-0"),
    D("0.00"),
    D("-0.00"),
    D("0E+3"),
    D("0E-9"),
    D("1.500"),
    D("100.000"),
    D("1.234567"),
    D("1.2345678"),
    D("9999999999"),
    D("9999999999.99"),
    D("10000000000"),
    D("99999999999.99"),
    D("99999999999.991"),
    D("99999999999.999"),
    D("99999999999.999999"),
    D("100000000000"),
    D("1E+10"),
    D("1E-7"),
    D("0.0000001"),
    D("1e999999999"),
    D("1e-999999999"),
    D("NaN"),
    D("-NaN"),
    D("sNaN"),
    D("Infinity"),
    D("-Infinity"),
    D("-5.25"),
]
INPUTS = st.one_of(
    st.sampled_from(EDGES),
    st.decimals(allow_nan=True, allow_infinity=True),
    st.decimals(min_value=D("-1000"), max_value=D("100000000000"), places=2),
    st.decimals(min_value=D(0), max_value=D("10000"), places=7),
    st.integers(min_value=-(10**12), max_value=10**12),
    st.sampled_from([0, 1, -1, 9_999_999_999, 10_000_000_000, 100_000_000_000, True, False, 10**40]),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from(["1.5", " 2 ", "abc", "", "1e5", "-0", "NaN", "0.001"]),
    st.none(),
    st.just([1]),
)


def _outcome(adapter: TypeAdapter[Any], value: Any) -> tuple[str, Any]:
    try:
        result = adapter.validate_python(value)
    except PydanticError as exc:
        return "refused", [(d.code, d.message) for d in siigo_errors_from(exc)]
    return "kept", (type(result).__name__, str(result))


@pytest.mark.parametrize("name", sorted(PAIRS))
@settings(max_examples=300, deadline=None)
@given(value=INPUTS)
def test_an_amount_type_gives_what_its_separate_steps_give(name: str, value: Any) -> None:
    fast, slow = ADAPTERS[name]
    assert _outcome(fast, value) == _outcome(slow, value)


@pytest.mark.parametrize("name", sorted(PAIRS))
@pytest.mark.parametrize("value", EDGES, ids=str)
def test_an_amount_type_gives_what_its_separate_steps_give_on_the_edges(name: str, value: Decimal) -> None:
    fast, slow = ADAPTERS[name]
    assert _outcome(fast, value) == _outcome(slow, value)


def test_amounts_kept_at_once_are_the_values_given_and_refusals_still_say_why() -> None:
    money = ADAPTERS["Money"][0]
    given_value = D("10.50")
    assert money.validate_python(given_value) is given_value
    assert str(money.validate_python(D("1.500"))) == "1.5"  # trailing zeros beyond 2 places go
    assert str(money.validate_python(7)) == "7"
    with pytest.raises(PydanticError, match="decimal places") as refused:
        money.validate_python(D("1.234"))
    assert [d.code for d in siigo_errors_from(refused.value)] == ["invalid_amount"]
    with pytest.raises(PydanticError, match="greater than 0") as refused:
        ADAPTERS["Quantity"][0].validate_python(0)
    assert [d.code for d in siigo_errors_from(refused.value)] == ["invalid_amount"]


CODE_REFERENCE = TypeAdapter(
    Annotated[str, Field(min_length=1), BeforeValidator(_to_str), AfterValidator(_check_code)]
)
CODE = TypeAdapter(ItemCode)


@settings(max_examples=300, deadline=None)
@given(
    value=st.one_of(
        st.text(max_size=12),
        st.sampled_from(["", " ", "SKU-1", "A B", "it's", "\t", "Ñandú", "0101"]),
        st.integers(),
        st.booleans(),
        st.decimals(allow_nan=False),
        st.none(),
    )
)
def test_the_item_code_gives_what_its_separate_steps_give(value: Any) -> None:
    assert _outcome(CODE, value) == _outcome(CODE_REFERENCE, value)
