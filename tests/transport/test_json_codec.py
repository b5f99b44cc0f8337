"""The fast JSON encoder and decoder against the plain ones, on random documents with extreme
decimals: the same bytes out, the same exact values back."""

from __future__ import annotations

import datetime as _dt
import decimal
import json
import re
import subprocess
import sys
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from siigo import _json

LIMIT = _json.DOTNET_DECIMAL_MAX
SCALE = _json.DOTNET_DECIMAL_SCALE

# Amounts Siigo can hold: huge, tiny, with many digits, negative zero, written with exponents.
in_range = st.one_of(
    st.decimals(allow_nan=False, allow_infinity=False, places=2, min_value=-LIMIT, max_value=LIMIT),
    st.builds(
        lambda digits, exponent, negative: Decimal((int(negative), tuple(digits), exponent)),
        st.lists(st.integers(0, 9), min_size=1, max_size=28),
        st.integers(-SCALE, 0),
        st.booleans(),
    ),
    st.builds(lambda n, e: Decimal(n).scaleb(e), st.integers(-(10**12), 10**12), st.integers(-16, 16)),
    st.sampled_from(
        [
            Decimal("-0"),
            Decimal("-0.00"),
            Decimal("0E+7"),
            Decimal("0E-30"),
            Decimal("1E-28"),
            Decimal("-1E-28"),
            Decimal("1E+28"),
            Decimal(LIMIT),
            Decimal(-LIMIT),
            Decimal("7.9228162514264337593543950335"),
            Decimal("12345678901.123456"),
            Decimal("1.000000000000000000000000000"),
            Decimal("100E-2"),
        ]
    ),
)
# Any finite Decimal: what the encoder must write exactly, in range or not.
any_decimal = st.one_of(in_range, st.decimals(allow_nan=False, allow_infinity=False))

MARKER = _json._MARK  # the encoder's own marker, and texts that hold it as written
text = st.one_of(
    st.text(max_size=30),
    st.sampled_from([MARKER, f"a{MARKER}b", f'a"{MARKER}', f'{MARKER}"', "\\u0000", '"', "ñ€😀"]),
)
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-LIMIT, LIMIT),
    text,
    st.dates(),
    st.datetimes(timezones=st.none() | st.just(_dt.timezone.utc)),
)


def documents(numbers: st.SearchStrategy[Decimal]) -> st.SearchStrategy[Any]:
    return st.recursive(
        st.one_of(scalars, numbers),
        lambda children: st.one_of(
            st.lists(children, max_size=5),
            st.tuples(children, children),
            st.dictionaries(text, children, max_size=5),
        ),
        max_leaves=25,
    )


def same(a: Any, b: Any) -> bool:
    """Equal values of the same types, Decimals with the same digits and exponent."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return list(a) == list(b) and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, Decimal):
        return bool(a.as_tuple() == b.as_tuple())
    if isinstance(a, float) and a != a:  # NaN, which the standard library reads
        return bool(b != b)
    return bool(a == b)


def expected(value: Any) -> Any:
    """What a document should read back as: dates as ISO strings, tuples as lists."""
    if isinstance(value, dict):
        return {k: expected(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [expected(v) for v in value]
    if isinstance(value, (_dt.date, _dt.datetime)):
        return value.isoformat()
    return value


def equal_values(read: Any, original: Any) -> bool:
    if isinstance(original, Decimal):
        return isinstance(read, (int, Decimal)) and not isinstance(read, bool) and read == original
    if isinstance(original, dict):
        return (
            isinstance(read, dict)
            and list(read) == list(original)
            and all(equal_values(read[k], original[k]) for k in original)
        )
    if isinstance(original, list):
        return (
            isinstance(read, list)
            and len(read) == len(original)
            and all(equal_values(x, y) for x, y in zip(read, original, strict=True))
        )
    return type(read) is type(original) and read == original


@settings(max_examples=300, deadline=None)
@given(documents(any_decimal))
@example({"total": Decimal("-0"), "rate": Decimal("1E+5"), "tiny": Decimal("1E-28")})
@example([MARKER, Decimal("1.50")])
def test_the_fast_encoder_writes_the_plain_encoders_bytes(document: Any) -> None:
    fast = _json.dumps(document)
    assert fast == _json.dumps_plain(document)
    # And it is JSON that the standard library reads back to the same exact numbers.
    assert equal_values(json.loads(fast, parse_float=Decimal), expected(document))


def _written_alike(value: Decimal) -> list[Decimal]:
    """``value`` and Decimals equal to it written with other exponents and signs of zero."""
    exact = decimal.Context(prec=1000)  # no rounding on the way
    variants = [value, value.normalize(exact), value.copy_negate().copy_negate()]
    if value.is_zero():
        variants += [Decimal("-0"), Decimal("0E+5"), Decimal("-0E-9")]
    exponent = value.as_tuple().exponent
    if isinstance(exponent, int) and len(value.as_tuple().digits) < 60:
        variants.append(value.quantize(Decimal(1).scaleb(exponent - 3), context=exact))  # 3 more zeros
    return variants


@settings(max_examples=200, deadline=None)
@given(any_decimal, st.randoms(use_true_random=False))
@example(Decimal("1.50"), None)
@example(Decimal("0.00"), None)
@example(Decimal("1E+2"), None)
def test_equal_amounts_written_differently_are_each_written_exactly(value: Decimal, order: Any) -> None:
    # The fast encoder writes each distinct amount once and reuses the text for equal ones.
    amounts = _written_alike(value) + _written_alike(value.copy_negate()) + [value.next_plus()]
    if order is not None:
        order.shuffle(amounts)
    document = {"items": [{"price": a, "echo": [a]} for a in amounts]}
    assert _json.dumps(document) == _json.dumps_plain(document)


def test_the_development_environment_decodes_with_msgspec() -> None:
    # The speed extra is part of dev: without it the tests below would compare a path with itself.
    assert _json._fast_decode is not None
    assert _json._fast_decode(b'{"total": 1.50}') == {"total": Decimal("1.50")}


@settings(max_examples=300, deadline=None)
@given(documents(in_range))
def test_the_fast_decoder_reads_what_the_plain_decoder_reads(document: Any) -> None:
    encoded = _json.dumps(document)
    fast = _json.loads(encoded)
    assert same(fast, _json.loads_plain(encoded))
    assert same(fast, _json.loads_stdlib(encoded))
    assert same(fast, _json.loads(encoded.decode("ascii")))
    assert equal_values(fast, expected(document))


def _stdlib(data: bytes | str) -> tuple[Any, BaseException | None]:
    """What the standard library's path reads from ``data``, or the error it refuses it with."""
    try:
        return _json.loads_stdlib(data), None
    except (ValueError, RecursionError) as refused:
        return None, refused


# Bytes near JSON: fragments of valid documents, the literals the standard library accepts and
# msgspec does not, control characters, surrogates, a byte-order mark, stray separators.
STRUCTURE = [
    b"{",
    b"}",
    b"[",
    b"]",
    b",",
    b":",
    b'"',
    b"\\",
    b"\\u",
    b"d800",
    b"0",
    b"1",
    b"-",
    b".",
    b"e",
    b"+",
]
ODD_BYTES = [b" ", b"\t", b"\n", b"\x00", b"\x01", b"\x0c", b"\xef\xbb\xbf", b"\xed\xa0\x80", b"\xff"]
TOKENS = [b"true", b"null", b"NaN", b"Infinity", b'"a"', b'"\xc3\xb1"', b"12.50", b"1e5"]
near_json = st.lists(st.sampled_from([*STRUCTURE, *ODD_BYTES, *TOKENS]), max_size=12).map(b"".join)


@settings(max_examples=400, deadline=None)
@given(near_json)
@example(b"NaN")
@example(b'"\xed\xa0\x80"')
@example(b"\xef\xbb\xbf[1.5]")
@example(b'{"a": 1, "a": 2.50}')
@example(b"[1e50]")
@example(b"\x00d800")
@example(b"\xef\xbb\xbf\xff")
def test_what_msgspec_reads_the_standard_library_reads_alike(data: bytes) -> None:
    assert _json._fast_decode is not None
    try:
        fast = _json._fast_decode(data)
    except (ValueError, RecursionError):
        # Refused by msgspec: loads answers what the standard library answers.
        plain, refused = _stdlib(data)
        if refused is None:
            assert same(_json.loads(data), plain)
        else:
            with pytest.raises(type(refused), match=f"^{re.escape(str(refused))}") as raised:
                _json.loads(data)
            assert str(raised.value) == str(refused)  # notes (Python 3.12+) aside, the same text
        return
    assert same(fast, _json.loads_stdlib(data))


number_texts = st.one_of(
    st.builds(
        lambda sign, whole, fraction, exponent: f"{sign}{whole}{fraction}{exponent}",
        st.sampled_from(["", "-"]),
        st.from_regex(r"\A(0|[1-9][0-9]{0,40})\Z"),
        st.sampled_from(["", ".0", ".5"]) | st.from_regex(r"\A\.[0-9]{1,40}\Z"),
        st.sampled_from(["", "e0", "E+5", "e-30", "e29", "E-999", "e+999999999"])
        | st.from_regex(r"\A[eE][+-]?[0-9]{1,3}\Z"),
    ),
    st.sampled_from([str(LIMIT), str(LIMIT + 1), str(-LIMIT - 1), "1" * 29, "9" * 400, "0.0", "-0"]),
)


@settings(max_examples=400, deadline=None)
@given(
    st.lists(number_texts, min_size=1, max_size=4),
    st.sampled_from(["utf-8", "utf-16", "str"]),
    st.sampled_from(["", "900123456", "1" * 40]),
)
def test_extreme_numbers_are_read_or_refused_alike(numbers: list[str], encoding: str, digits: str) -> None:
    # A long run of digits in a string (a CUFE) sends the fast decoder to the checked path too.
    body = '{"values": [' + ", ".join(numbers) + '], "code": "' + digits + '"}'
    data: str | bytes = body if encoding == "str" else body.encode(encoding)
    try:
        plain = _json.loads_plain(data)
    except _json.NumberOutOfRange as refused:
        with pytest.raises(_json.NumberOutOfRange, match=f"^{re.escape(str(refused))}") as raised:
            _json.loads(data)
        assert str(raised.value) == str(refused)
        return
    assert same(_json.loads(data), plain)
    if _has_no_long_run(data):
        assert same(_json.loads_stdlib(data), plain)


def _has_no_long_run(data: bytes | str) -> bool:
    return not _json._has_long_digit_run(data)


def test_without_msgspec_answers_are_read_alike(monkeypatch: pytest.MonkeyPatch) -> None:
    body = b'{"total": 12345678901.123456, "zero": 0.00, "n": 7, "code": "900123456"}'
    with_msgspec = _json.loads(body)
    monkeypatch.setattr(_json, "_fast_decode", None)
    assert same(_json.loads(body), with_msgspec)
    assert with_msgspec == {"total": Decimal("12345678901.123456"), "zero": 0, "n": 7, "code": "900123456"}
    with pytest.raises(_json.NumberOutOfRange, match="out of Siigo's range: 1e99"):
        _json.loads(b"[1e99]")


@settings(max_examples=100, deadline=None)
@given(documents(in_range), st.floats(allow_nan=False, allow_infinity=False))
def test_floats_are_written_as_the_same_numbers(document: Any, number: float) -> None:
    wrapped = {"document": document, "float": number}
    fast = json.loads(_json.dumps(wrapped), parse_float=Decimal)
    plain = json.loads(_json.dumps_plain(wrapped), parse_float=Decimal)
    assert equal_values(fast["document"], plain["document"])
    assert Decimal(fast["float"]) == Decimal(plain["float"]) == Decimal(repr(number))


@pytest.mark.parametrize("bad", [Decimal("NaN"), Decimal("Infinity"), float("nan"), float("-inf")])
def test_both_encoders_refuse_what_is_not_a_number(bad: Any) -> None:
    for dumps in (_json.dumps, _json.dumps_plain):
        with pytest.raises(ValueError, match=r"as a JSON number|not JSON compliant"):
            dumps({"value": [bad]})


def test_both_encoders_refuse_unknown_types() -> None:
    for dumps in (_json.dumps, _json.dumps_plain):
        with pytest.raises(TypeError, match="cannot encode set"):
            dumps({"value": {1, 2}})


def test_without_the_speed_extra_the_package_decodes_with_the_standard_library() -> None:
    # A fresh interpreter in which msgspec cannot be imported, as without siigo-python[speed].
    script = (
        "import sys; sys.modules['msgspec'] = None\n"
        "from siigo import _json\n"
        "assert _json._fast_decode is None\n"
        "print(_json.loads(b'{\"total\": 12345678901.123456}')['total'])\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "12345678901.123456"
