"""Hostile and malformed input to the invoice calls, idempotency keys on every error, exact
money in answers, and pinning the totals reading on creation — all over loopback HTTP.

Whatever is passed, the SDK raises one of its documented errors (a ``siigo.ValidationError``
when the input is wrong) and nothing invalid leaves the client.
"""

from __future__ import annotations

import contextlib
import copy
import datetime as _dt
import http.server
import json
import math
import re
import threading
import warnings
from collections.abc import Callable, Iterator
from decimal import Decimal
from fractions import Fraction
from typing import Any

import pydantic
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from siigo import (
    APIConnectionError,
    APIError,
    APITimeoutError,
    BadRequestError,
    Client,
    ConfigurationError,
    ServerError,
    SiigoError,
    ValidationError,
)
from siigo.errors import WrongFormatInputError
from siigo.invoice_rules import check_invoice
from siigo.models._base import build
from siigo.models.catalogs import Tax
from siigo.models.documents import ReadBackWarning
from siigo.models.invoices import (
    Invoice,
    InvoiceBatchNotification,
    InvoiceCreateParams,
    InvoiceItemDict,
    PaymentParam,
)
from siigo.resources._base import MAX_NESTING, guid_path, int_path, plain, shown
from siigo.resources.invoices import InvoiceFields, Invoices
from siigo.sandbox import DEFAULT_PARTNER_ID, Sandbox

from .test_bad_input import JSON_VALUES, VALID, mutated
from .test_invoices import TODAY, invoice_body, posted, seed, token

GUID = "9e6f8516-f256-4f47-a4a7-39b0adad113e"
NOTIFY = "https://erp.example.com/hooks/siigo/lotes"
KEYWORDS = sorted(InvoiceFields.__annotations__)
LEGACY_ORDER = ("document", "date", "customer", "seller", "items", "payments")
HEX_KEY = re.compile(r"[0-9a-f]{30}")


# --- hostile values ----------------------------------------------------------------------------


def deep_list(depth: int) -> list[Any]:
    top: list[Any] = []
    current = top
    for _ in range(depth):
        inner: list[Any] = []
        current.append(inner)
        current = inner
    return top


def keyed(body: dict[str, Any], key: str) -> Any:
    """A batch invoice: ``body`` with its ``idempotency_key`` (untyped, as tests send bad ones)."""
    return {**body, "idempotency_key": key}


def deep_dict(depth: int) -> dict[str, Any]:
    top: dict[str, Any] = {}
    current = top
    for _ in range(depth):
        inner: dict[str, Any] = {}
        current["a"] = inner
        current = inner
    return top


def self_dict() -> dict[str, Any]:
    value: dict[str, Any] = {"id": 1}
    value["self"] = value
    return value


def self_list() -> list[Any]:
    value: list[Any] = [1]
    value.append(value)
    return value


class Opaque:
    def __repr__(self) -> str:
        raise RuntimeError("no repr")


def param_id(value: Any) -> str:
    """A parameter's id that is the same in every process (the parallel runner compares the
    ids its workers collect): ``shown`` names an object by its address."""
    return "Opaque" if isinstance(value, Opaque) else shown(value)


HOSTILE_MAKERS: dict[str, Callable[[], Any]] = {
    "deep list": lambda: deep_list(2000),
    "deep dict": lambda: deep_dict(2000),
    "just too deep": lambda: deep_dict(MAX_NESTING + 1),
    "self dict": self_dict,
    "self list": self_list,
    "huge int": lambda: 10**5000,
    "int64 + 1": lambda: 2**63,
    "sNaN": lambda: Decimal("sNaN"),
    "NaN": lambda: Decimal("NaN"),
    "inf": lambda: math.inf,
    "huge exponent": lambda: Decimal("1e999999"),
    "bytes": lambda: b"\xff\x00",
    "set": lambda: {1, 2},
    "tuple": lambda: (1, "x"),
    "int keys": lambda: {1: 2},
    "None key": lambda: {None: "x"},
    "object": Opaque,
    "fraction": lambda: Fraction(1, 3),
    "huge text": lambda: "ñ" * 100_000,
    "datetime": lambda: _dt.datetime(1, 1, 1, tzinfo=_dt.timezone.utc),
}
HOSTILE = st.sampled_from(sorted(HOSTILE_MAKERS)).map(lambda name: HOSTILE_MAKERS[name]())
JUNK = st.one_of(
    JSON_VALUES,
    HOSTILE,
    st.lists(HOSTILE, min_size=1, max_size=2),
    st.dictionaries(st.text(max_size=5), HOSTILE, min_size=1, max_size=2),
)


def builds(body: Any) -> bool:
    """True when ``body`` passes the structural validation of an invoice."""
    try:
        build(InvoiceCreateParams, plain(body, dump_models=True))
    except ValidationError:
        return False
    return True


def writes(sandbox: Sandbox) -> list[Any]:
    return [entry for entry in sandbox.journal() if entry.method in ("POST", "PUT") and entry.path != "/auth"]


@pytest.fixture
def shop(siigo_sandbox: Sandbox, make_client: Callable[..., Client]) -> Client:
    client = make_client(max_retries=0)
    seed(client)
    siigo_sandbox.clear_journal()
    return client


# --- 1. bad input raises our errors and sends nothing ------------------------------------------


NOT_A_BODY: list[Any] = ["x", [1], 5, 1.5, b"{}", Opaque(), ("a", "b")]


@pytest.mark.parametrize("body", NOT_A_BODY, ids=lambda v: type(v).__name__)
def test_a_body_that_is_not_a_mapping_is_refused_locally(
    siigo_sandbox: Sandbox, make_client: Callable[..., Client], body: Any
) -> None:
    client = make_client(max_retries=0)
    calls: list[Callable[[], object]] = [
        lambda: client.invoices.create(body),
        lambda: client.invoices.update(GUID, body),
        lambda: client.invoices.batch(body),
        lambda: client.invoices.compute_totals(body),
    ]
    for call in calls:
        with pytest.raises(ValidationError) as caught:
            call()
        assert caught.value.codes == ["invalid_type"]
    assert siigo_sandbox.journal(path="^/v1/") == []


@pytest.mark.parametrize(
    "maker", ["deep list", "deep dict", "just too deep", "self dict", "self list", "int keys", "None key"]
)
@pytest.mark.parametrize("where", ["body", "items", "date", "customer", "nested item field"])
def test_deep_self_referencing_or_oddly_keyed_values_are_refused_locally(
    siigo_sandbox: Sandbox, make_client: Callable[..., Client], maker: str, where: str
) -> None:
    client = make_client(max_retries=0)
    hostile = HOSTILE_MAKERS[maker]()
    body = invoice_body()
    if where == "body":
        body = hostile if isinstance(hostile, dict) else {"items": hostile}
    elif where == "nested item field":
        body["items"][0]["taxes"] = [hostile]
    else:
        body[where] = hostile
    calls: list[Callable[[], object]] = [
        lambda: client.invoices.create(body),
        lambda: client.invoices.update(GUID, body),
        lambda: client.invoices.compute_totals(body),
        lambda: client.invoices.batch(notification_url=NOTIFY, invoices=[keyed(body, "K1")]),
    ]
    with warnings.catch_warnings():
        # A hostile body with an "id" reads as a document sent back: its warning is not the point.
        warnings.simplefilter("ignore", ReadBackWarning)
        for call in calls:
            with pytest.raises(ValidationError):
                call()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        with pytest.raises(ValidationError):
            client.create_invoice(hostile, TODAY.isoformat(), {"identification": "1"}, 4120, [hostile], [])
    with pytest.raises(ValidationError):
        client.products.create(code="A1", name="x", account_group=1821, additional_fields=hostile)
    with pytest.raises(ValidationError):
        client.customers.create({"person_type": "Person", "name": hostile})
    assert writes(siigo_sandbox) == []


def test_a_100000_deep_body_is_refused_without_recursion_errors(
    siigo_sandbox: Sandbox, make_client: Callable[..., Client]
) -> None:
    client = make_client(max_retries=0)
    hostiles: list[Any] = [deep_list(100_000), deep_dict(100_000)]
    for hostile in hostiles:
        for body in ({"items": hostile}, {**invoice_body(), "observations": hostile}, {"a": hostile}):
            with pytest.raises(ValidationError) as caught:
                client.invoices.create(body)
            assert caught.value.idempotency_key
            with pytest.raises(ValidationError):
                client.invoices.update(GUID, body)
            with pytest.raises(ValidationError):
                client.invoices.compute_totals(body)
        with pytest.raises(ValidationError):
            client.invoices.send_email(GUID, mail_to="a@example.com", copy_to=[hostile])
    assert writes(siigo_sandbox) == []


@pytest.mark.parametrize(
    ("timeout", "interval"),
    [
        (None, 2.0),
        (120.0, None),
        (120.0, 0),
        (120.0, 0.0),
        (-1, 2.0),
        (120.0, -0.5),
        (math.nan, 2.0),
        (120.0, math.nan),
        (math.inf, 2.0),
        (120.0, -math.inf),
        (10**400, 2.0),
        (Decimal("sNaN"), 2.0),
        ("5", 2.0),
        (True, 2.0),
        ([1], 2.0),
    ],
)
def test_wait_for_stamp_refuses_impossible_waits_before_polling(
    siigo_sandbox: Sandbox, make_client: Callable[..., Client], timeout: Any, interval: Any
) -> None:
    client = make_client(max_retries=0)
    with pytest.raises(ValidationError) as caught:
        client.invoices.wait_for_stamp(GUID, timeout=timeout, interval=interval)
    assert caught.value.codes == ["invalid_value"]
    assert caught.value.errors[0].params[0] in ("timeout", "interval")
    assert siigo_sandbox.journal(path="^/v1/") == []


def test_wait_for_stamp_with_no_time_left_checks_once(shop: Client, siigo_sandbox: Sandbox) -> None:
    invoice = shop.invoices.create(**invoice_body())
    siigo_sandbox.clear_journal()
    with pytest.raises(APITimeoutError):
        shop.invoices.wait_for_stamp(invoice.id, timeout=0, interval=Fraction(1, 10))  # type: ignore[arg-type]
    assert len(siigo_sandbox.journal(method="GET", path="^/v1/invoices/")) == 1


@pytest.mark.parametrize(
    "copy_to", [5, [5], [None], {"a": 1}, [b"a@example.com"], 1.5, Opaque()], ids=param_id
)
def test_send_email_refuses_copy_to_that_is_not_addresses(
    siigo_sandbox: Sandbox, make_client: Callable[..., Client], copy_to: Any
) -> None:
    client = make_client(max_retries=0)
    with pytest.raises(ValidationError) as caught:
        client.invoices.send_email(GUID, mail_to="cliente@example.com", copy_to=copy_to)
    assert caught.value.errors
    with pytest.raises(ValidationError):
        client.invoices.send_email(GUID, mail_to=copy_to)
    assert writes(siigo_sandbox) == []


def test_send_email_still_takes_a_list_a_tuple_or_a_generator(shop: Client, siigo_sandbox: Sandbox) -> None:
    invoice = shop.invoices.create(**invoice_body())
    addresses: list[Any] = [["a@example.com", "b@example.com"], ("a@example.com",), iter(["c@example.com"])]
    for copy_to in addresses:
        result = shop.invoices.send_email(invoice.id, mail_to="cliente@example.com", copy_to=copy_to)
        assert result.status is not None
    assert len(siigo_sandbox.journal(method="POST", path="/mail$")) == 3


@pytest.mark.parametrize(
    "body",
    ["x", 5, None, 1.5, "[1]", "5", "null", b"\xff\xfe\x00", "[" * 100_000, '{"invoices": "x"}', ["x"]],
    ids=shown,
)
def test_parse_batch_notification_refuses_what_is_not_a_notification(body: Any) -> None:
    with pytest.raises(ValidationError) as caught:
        Invoices.parse_batch_notification(body)
    assert caught.value.codes and caught.value.codes[0] in ("invalid_type", "invalid_value")


@pytest.mark.parametrize(
    "moment",
    [
        _dt.datetime(1, 1, 1, tzinfo=_dt.timezone(_dt.timedelta(hours=5))),
        _dt.datetime(9999, 12, 31, 23, 0, tzinfo=_dt.timezone(_dt.timedelta(hours=-5))),
        "2026-02-30",
        "2026-01-01\n",
        "2026-01-01T00:00:00Z\n",
        "２０２６-01-01",
        5,
        deep_list(5000),
    ],
    ids=shown,
)
def test_date_filters_that_cannot_be_written_in_utc_are_refused(
    siigo_sandbox: Sandbox, make_client: Callable[..., Client], moment: Any
) -> None:
    client = make_client(max_retries=0)
    for name in ("created_start", "updated_end", "date_start"):
        with pytest.raises(ValidationError) as caught:
            client.invoices.list(**{name: moment})
        assert caught.value.codes == ["invalid_date"]
    with pytest.raises(ValidationError):
        client.products.list(created_end=moment)
    assert siigo_sandbox.journal(path="^/v1/") == []


def test_date_filters_are_written_with_four_digit_years_in_utc(
    siigo_sandbox: Sandbox, make_client: Callable[..., Client]
) -> None:
    client = make_client(max_retries=0)
    client.invoices.list(
        created_start=_dt.datetime(1, 1, 1, tzinfo=_dt.timezone.utc),
        created_end=_dt.datetime(2026, 3, 4, 20, 30, 5, tzinfo=_dt.timezone(_dt.timedelta(hours=-5))),
        date_start=_dt.date(999, 1, 2),
    )
    [request] = siigo_sandbox.journal(method="GET", path="^/v1/invoices$")
    assert "created_start=0001-01-01T00%3A00%3A00Z" in request.query
    assert "created_end=2026-03-05T01%3A30%3A05Z" in request.query
    assert "date_start=0999-01-02" in request.query


@pytest.mark.parametrize("page", [10**5000, 2**63, 0, -1], ids=shown)
def test_integer_filters_out_of_range_are_refused(
    siigo_sandbox: Sandbox, make_client: Callable[..., Client], page: int
) -> None:
    client = make_client(max_retries=0)
    with pytest.raises(ValidationError) as caught:
        client.invoices.list(page=page)
    assert caught.value.codes == ["invalid_value"]
    if page > 0:
        with pytest.raises(ValidationError):
            client.invoices.list(document_id=page)
        with pytest.raises(ValidationError):
            client.invoices.list(customer_branch_office=-page)
    assert siigo_sandbox.journal(path="^/v1/") == []


HOSTILE_IDS: list[Any] = [
    "../x",
    "a/b",
    "?q",
    "%2F",
    "",
    " ",
    "\t",
    GUID + "\n",
    GUID + "/..",
    " " + GUID,
    GUID.replace("-", ""),
    None,
    5,
    b"9e6f8516",
]


@pytest.mark.parametrize("hostile", HOSTILE_IDS, ids=repr)
def test_hostile_ids_raise_siigo_validation_errors(
    siigo_sandbox: Sandbox, make_client: Callable[..., Client], hostile: Any
) -> None:
    with pytest.raises(ValidationError) as caught:
        guid_path(hostile)
    assert isinstance(caught.value, ValueError) and isinstance(caught.value, WrongFormatInputError)
    assert caught.value.codes == ["invalid_value"] and caught.value.errors[0].params == ("id",)
    client = make_client(max_retries=0)
    for call in (
        client.invoices.retrieve,
        client.invoices.delete,
        client.invoices.annul,
        client.invoices.pdf,
        client.invoices.xml,
        client.invoices.stamp_errors,
        client.products.retrieve,
        client.customers.delete,
    ):
        with pytest.raises(ValidationError):
            call(hostile)
    with pytest.raises(ValidationError):
        client.invoices.update(hostile, invoice_body())
    with pytest.raises(ValidationError):
        client.invoices.send_email(hostile, mail_to="a@example.com")
    with pytest.raises(ValidationError):
        client.invoices.wait_for_stamp(hostile)
    assert siigo_sandbox.journal(path="^/v1/") == []


@pytest.mark.parametrize("hostile", [-1, True, "3", 3.0, 2**63, 10**5000, None, "../1"], ids=shown)
def test_hostile_catalog_ids_raise_siigo_validation_errors(
    siigo_sandbox: Sandbox, make_client: Callable[..., Client], hostile: Any
) -> None:
    with pytest.raises(ValidationError) as caught:
        int_path(hostile)
    assert isinstance(caught.value, ValueError) and caught.value.codes == ["invalid_value"]
    client = make_client(max_retries=0)
    with pytest.raises(ValidationError):
        client.account_groups.update(hostile, code="HERR", name="Herramientas")
    assert siigo_sandbox.journal(path="^/v1/") == []
    assert int_path(0) == "0" and int_path(2**63 - 1) == str(2**63 - 1)


def test_bad_readings_are_refused_locally(siigo_sandbox: Sandbox, make_client: Callable[..., Client]) -> None:
    client = make_client(max_retries=0)
    body = invoice_body()
    pinned: list[tuple[Any, Any]] = [("up", None), (None, "net"), (5, None), ("half_up", ["gross_total"])]
    for rounding, basis in pinned:
        with pytest.raises(ValidationError) as caught:
            client.invoices.create(body, reading={"rounding": rounding, "payments_basis": basis})
        assert caught.value.codes == ["invalid_value"] and caught.value.idempotency_key
        with pytest.raises(ValidationError):
            client.invoices.update(GUID, body, reading={"rounding": rounding, "payments_basis": basis})
        with pytest.raises(ValidationError):
            client.invoices.batch(
                notification_url=NOTIFY,
                invoices=[keyed(body, "K1")],
                reading={"rounding": rounding, "payments_basis": basis},
            )
    # compute_totals gives one answer: a setting left open takes its default, a bad one is refused.
    required: list[tuple[Any, Any]] = [("up", "gross_total"), ("half_up", "gross"), (1, None)]
    for rounding, basis in required:
        with pytest.raises(ValidationError) as caught:
            client.invoices.compute_totals(body, reading={"rounding": rounding, "payments_basis": basis})
        assert "invalid_value" in caught.value.codes
    assert writes(siigo_sandbox) == []


def test_legacy_calls_refuse_bad_tokens_and_junk_with_our_errors(
    siigo_sandbox: Sandbox, make_client: Callable[..., Client]
) -> None:
    client = make_client(max_retries=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        tokens: list[Any] = [5, None, "", "Bearer ", b"token"]
        for bad in tokens:
            with pytest.raises(ConfigurationError):
                client.set_token(bad)
        junk: list[Any] = [deep_list(3000), self_dict(), Opaque(), 10**5000]
        for doc_type in junk:
            with pytest.raises(ValidationError):
                client.list_document_types(doc_type)
            with pytest.raises(ValidationError):
                client.list_payment_types(doc_type)
            with pytest.raises(ValidationError):
                client.list_products(created_start=doc_type)
            with pytest.raises(ValidationError):
                client.list_invoices(page=doc_type)
    assert siigo_sandbox.journal(path="^/v1/") == []


def test_set_token_strips_bearer_like_the_client(
    siigo_sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("SIIGO_USERNAME", "SIIGO_ACCESS_KEY"):
        monkeypatch.delenv(name, raising=False)
    client = Client(partner_id=DEFAULT_PARTNER_ID, base_url=siigo_sandbox.url, token="expired")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        client.set_token(f"  Bearer {token(siigo_sandbox)}  ")
        taxes = client.list_taxes()
    assert any(tax["id"] == 18401 for tax in taxes)
    assert siigo_sandbox.journal(method="GET", path="^/v1/taxes$")[0].status == 200
    client.close()


def test_a_catalog_percentage_the_math_cannot_use_is_not_a_crash(
    shop: Client, siigo_sandbox: Sandbox
) -> None:
    for tax in siigo_sandbox.tenant().catalogs["taxes"]:
        if tax["id"] == 18401:
            tax["percentage"] = Decimal("-100")
    shop.catalog_cache.refresh()
    item: InvoiceItemDict = {
        "code": "SKU-1",
        "quantity": 1,
        "taxed_price": 100,
        "discount": 1,
        "taxes": [{"id": 18401}],
    }
    with pytest.raises(ValidationError) as caught:
        shop.invoices.compute_totals(document={"id": 28451}, items=[item])
    assert caught.value.codes == ["invalid_amount"]

    params = build(InvoiceCreateParams, invoice_body(items=[item]))
    document_type = shop.catalog_cache.document_types("FV")[28451]
    payment_types = shop.catalog_cache.payment_types("FV")
    for percentage in (Decimal("-100"), Decimal("NaN"), Decimal("sNaN"), Decimal("1e60")):
        taxes = {18401: Tax.model_construct(id=18401, type="IVA", percentage=percentage, active=True)}
        totals, errors = check_invoice(
            params, document_type=document_type, taxes=taxes, payment_types=payment_types
        )
        assert totals is None and "invalid_total_payments" not in [e.code for e in errors]


# --- hypothesis: random values at every keyword ------------------------------------------------


@pytest.fixture
def client(make_client: Callable[..., Client]) -> Client:
    """A client without retries, one for all the examples of a property test (a client for
    each example logged in again each time; what it writes is read from the sandbox's journal,
    cleared by each example)."""
    return make_client(max_retries=0)


@settings(
    max_examples=80,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_wrong_types_at_every_keyword_raise_only_our_errors_and_send_nothing(
    siigo_sandbox: Sandbox, client: Client, data: st.DataObject
) -> None:
    keyword = data.draw(st.sampled_from(KEYWORDS), label="keyword")
    junk = data.draw(JUNK, label="junk")
    body = {**copy.deepcopy(VALID[InvoiceCreateParams]), keyword: junk}
    assume(not builds(body))
    siigo_sandbox.clear_journal()

    with pytest.raises(ValidationError) as caught:
        client.invoices.create(**body)
    assert caught.value.errors and caught.value.idempotency_key
    with pytest.raises(ValidationError) as caught:
        client.invoices.create(body, idempotency_key="PEDIDO117")
    assert caught.value.idempotency_key == "PEDIDO117"
    with pytest.raises(ValidationError):
        client.invoices.update(GUID, **body)
    with pytest.raises(ValidationError):
        client.invoices.batch(notification_url=NOTIFY, invoices=[keyed(body, "K1")])
    with contextlib.suppress(SiigoError):
        client.invoices.compute_totals(body)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        legacy = {k: v for k, v in body.items() if k in LEGACY_ORDER or k == "cost_center"}
        if keyword in legacy and builds(legacy) is False:
            with pytest.raises(ValidationError) as caught:
                client.create_invoice(**legacy)
            assert caught.value.idempotency_key
    assert writes(siigo_sandbox) == []


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_random_bodies_raise_only_our_errors_and_send_nothing(
    siigo_sandbox: Sandbox, client: Client, data: st.DataObject
) -> None:
    body = data.draw(st.one_of(JSON_VALUES, JUNK, mutated(InvoiceCreateParams)), label="body")
    assume(not builds(body))
    position = data.draw(st.integers(min_value=0, max_value=len(LEGACY_ORDER) - 1), label="position")
    junk = data.draw(JUNK, label="legacy junk")
    siigo_sandbox.clear_journal()

    calls: list[Callable[[], object]] = [
        lambda: client.invoices.create(body),
        lambda: client.invoices.update(GUID, body),
        lambda: client.invoices.batch(body),
        lambda: client.invoices.batch(notification_url=NOTIFY, invoices=body),
        lambda: client.invoices.compute_totals(body),
    ]
    with warnings.catch_warnings():
        # A random body with an "id" reads as a document sent back: its warning is not the point.
        warnings.simplefilter("ignore", ReadBackWarning)
        for call in calls:
            try:
                call()
            except SiigoError as exc:
                assert str(exc)
    valid = VALID[InvoiceCreateParams]
    arguments = [copy.deepcopy(valid[name]) for name in LEGACY_ORDER]
    arguments[position] = junk
    if not builds(dict(zip(LEGACY_ORDER, arguments, strict=True))):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            with pytest.raises(ValidationError) as caught:
                client.create_invoice(*arguments)
        assert caught.value.idempotency_key
    assert writes(siigo_sandbox) == []


# --- 2. every error of invoices.create carries the idempotency key -----------------------------


def test_an_invalid_key_is_reported_with_the_key_given(shop: Client, siigo_sandbox: Sandbox) -> None:
    for bad in ("PEDIDO-117", "a" * 31, "abc\n", "con espacio", ""):
        with pytest.raises(ValidationError) as caught:
            shop.invoices.create(**invoice_body(), idempotency_key=bad)
        assert caught.value.codes == ["invalid_idempotency_key"]
        assert caught.value.idempotency_key == bad
    with pytest.raises(ValidationError) as caught:
        shop.invoices.create(**invoice_body(), idempotency_key=117)  # type: ignore[call-overload]
    assert caught.value.codes == ["invalid_idempotency_key"]
    assert posted(siigo_sandbox) == []


@pytest.mark.parametrize("caller_key", [None, "PEDIDO117"])
def test_every_local_refusal_carries_the_key(
    shop: Client, siigo_sandbox: Sandbox, caller_key: str | None
) -> None:
    def key_of(call: Callable[[], object]) -> str | None:
        with pytest.raises(ValidationError) as caught:
            call()
        return caught.value.idempotency_key

    wrong_total = invoice_body(payments=[{"id": 6101, "value": 1000}])
    keys = [
        key_of(lambda: shop.invoices.create("x", idempotency_key=caller_key)),  # type: ignore[call-overload]
        key_of(lambda: shop.invoices.create({"a": self_dict()}, idempotency_key=caller_key)),
        key_of(lambda: shop.invoices.create(**invoice_body(seller="x"), idempotency_key=caller_key)),
        key_of(
            lambda: shop.invoices.create(
                **invoice_body(), reading={"rounding": "up"}, idempotency_key=caller_key
            )
        ),
        key_of(lambda: shop.invoices.create(**wrong_total, idempotency_key=caller_key)),
        key_of(lambda: shop.invoices.create(**invoice_body(document={"id": 1}), idempotency_key=caller_key)),
        key_of(
            lambda: shop.invoices.create(
                **invoice_body(retentions=[{"id": 18410}]),
                reading={"payments_basis": "net_of_withholdings"},
                idempotency_key=caller_key,
            )
        ),
    ]
    assert all(key is not None for key in keys)
    if caller_key is None:
        assert all(key is not None and HEX_KEY.fullmatch(key) for key in keys)
        assert len(set(keys)) == len(keys)
    else:
        assert set(keys) == {caller_key}
    assert posted(siigo_sandbox) == []


def test_a_failed_catalog_fetch_during_the_preflight_carries_the_key(
    shop: Client, siigo_sandbox: Sandbox
) -> None:
    shop.catalog_cache.invalidate()
    siigo_sandbox.inject_fault(method="GET", path="^/v1/taxes$", status=500, count=1)
    with pytest.raises(ServerError) as caught:
        shop.invoices.create(**invoice_body(), idempotency_key="PEDIDO118")
    assert caught.value.idempotency_key == "PEDIDO118"
    siigo_sandbox.inject_fault(method="GET", path="^/v1/taxes$", status=500, count=1)
    with pytest.raises(ServerError) as caught:
        shop.invoices.create(**invoice_body())
    assert caught.value.idempotency_key is not None and HEX_KEY.fullmatch(caught.value.idempotency_key)
    assert posted(siigo_sandbox) == []


def test_server_refusals_and_lost_answers_carry_the_key_that_was_sent(
    shop: Client, siigo_sandbox: Sandbox
) -> None:
    shop.catalog_cache.taxes()
    with pytest.raises(BadRequestError) as refused:
        shop.invoices.create(**invoice_body(payments=[{"id": 6101, "value": 1000}]), preflight=False)
    siigo_sandbox.inject_fault(method="POST", path="^/v1/invoices$", drop="before", count=1)
    with pytest.raises(APIConnectionError) as dropped:
        shop.invoices.create(**invoice_body())
    sent = [entry.idempotency_key for entry in posted(siigo_sandbox)]
    assert [refused.value.idempotency_key, dropped.value.idempotency_key] == sent
    assert all(key is not None and HEX_KEY.fullmatch(key) for key in sent) and sent[0] != sent[1]


class JunkServer:
    """A loopback HTTP server that answers every request with one fixed status and body, and
    keeps what it received (for answers the sandbox never gives: 2xx bodies that are not JSON
    or not an invoice)."""

    def __init__(self) -> None:
        self.status = 201
        self.body = b"not json"
        self.received: list[tuple[str, str, str | None]] = []
        server = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def _answer(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                self.rfile.read(length)
                server.received.append((self.command, self.path, self.headers.get("Idempotency-Key")))
                self.send_response(server.status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(server.body)))
                self.end_headers()
                self.wfile.write(server.body)

            do_GET = do_POST = do_PUT = _answer

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def junk(monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[JunkServer, Client]]:
    for name in ("SIIGO_USERNAME", "SIIGO_ACCESS_KEY", "SIIGO_BASE_URL"):
        monkeypatch.delenv(name, raising=False)
    server = JunkServer()
    client = Client(partner_id=DEFAULT_PARTNER_ID, base_url=server.url, token="t0k3n", max_retries=0)
    yield server, client
    client.close()
    server.close()


@pytest.mark.parametrize(
    "answer",
    [b"not json", b"", b"{}", b'{"id": null}', b"[1]", b"[" * 100_000, b"\xff\xfe"],
    ids=["text", "empty", "no id", "null id", "array", "deep", "not utf-8"],
)
def test_an_unreadable_answer_to_a_creation_carries_the_key_that_was_sent(
    junk: tuple[JunkServer, Client], answer: bytes
) -> None:
    server, client = junk
    server.body = answer
    with pytest.raises(APIError) as caught:
        client.invoices.create(**invoice_body(), preflight=False)
    assert caught.value.status == 201 and caught.value.method == "POST"
    with pytest.raises(APIError) as given:
        client.invoices.create(**invoice_body(), preflight=False, idempotency_key="PEDIDO119")
    [(_, _, first), (_, _, second)] = server.received
    assert caught.value.idempotency_key == first and first is not None and HEX_KEY.fullmatch(first)
    assert given.value.idempotency_key == second == "PEDIDO119"


@pytest.mark.parametrize(
    "answer", [b"not json", b"[" * 100_000, b'{"base64": "a"}'], ids=["text", "deep", "bad base64"]
)
def test_unreadable_answers_elsewhere_are_api_errors(junk: tuple[JunkServer, Client], answer: bytes) -> None:
    server, client = junk
    server.status = 200
    server.body = answer
    with pytest.raises(APIError):
        client.invoices.pdf(GUID)
    with pytest.raises(APIError):
        client.invoices.xml(GUID)
    if answer != b'{"base64": "a"}':
        with pytest.raises(APIError):
            client.invoices.list()
        with pytest.raises(APIError):
            client.taxes.list()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            with pytest.raises(APIError):
                client.list_taxes()
            with pytest.raises(APIError):
                client.list_invoices()
    assert server.received


def test_the_legacy_create_invoice_errors_carry_the_key_that_was_sent(
    shop: Client, siigo_sandbox: Sandbox
) -> None:
    body = invoice_body()
    shop.catalog_cache.taxes()
    siigo_sandbox.inject_fault(method="POST", path="^/v1/invoices$", status=503, count=1)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        with pytest.raises(ServerError) as caught:
            shop.create_invoice(**{k: body[k] for k in LEGACY_ORDER})
        with pytest.raises(ValidationError) as local:
            shop.create_invoice(**{**{k: body[k] for k in LEGACY_ORDER}, "payments": "x"})
    [entry] = posted(siigo_sandbox)
    assert caught.value.idempotency_key == entry.idempotency_key is not None
    assert local.value.idempotency_key is not None and local.value.idempotency_key != entry.idempotency_key


def test_a_refused_batch_names_each_invoice_and_its_key(shop: Client, siigo_sandbox: Sandbox) -> None:
    with pytest.raises(ValidationError) as caught:
        shop.invoices.batch(
            notification_url=NOTIFY,
            invoices=[
                keyed(invoice_body(), "PEDIDO200"),
                keyed(invoice_body(payments=[{"id": 6101, "value": 1}]), "PEDIDO201"),
                keyed(invoice_body(document={"id": 1}), "PEDIDO202"),
            ],
        )
    messages = [e.message for e in caught.value.errors]
    assert [e.params[0].split(".")[0] for e in caught.value.errors] == ["invoices[1]", "invoices[2]"]
    assert "PEDIDO201" in messages[0] and "PEDIDO202" in messages[1]
    assert siigo_sandbox.journal(method="POST", path="^/v1/invoices/batch$") == []


# --- 3. money never passes through float -------------------------------------------------------


EXACT = b"""{"id": "11891aa3-8cd5-4377-8bd5-404ad79ce22b", "name": "FV-1-9", "number": 9,
 "date": "2026-04-15", "total": 1234567890123.45,
 "balance": 0.30000000000000004441,
 "items": [{"price": 12345678901.123456, "quantity": 10000,
            "taxes": [{"percentage": 19.000000000000001, "value": 1.005}],
            "discount": 99999999999.999999}],
 "payments": [{"value": 9999999999999.99}],
 "healthcare_company": {"copayment": 12345678901234567.89}}"""


def test_invoice_models_read_json_numbers_exactly() -> None:
    invoice = Invoice.model_validate_json(EXACT)
    item = (invoice.items or [])[0]
    assert invoice.total == Decimal("1234567890123.45")
    assert invoice.balance == Decimal("0.30000000000000004441")
    assert item.price == Decimal("12345678901.123456")
    assert item.taxes and item.taxes[0].percentage == Decimal("19.000000000000001")
    assert item.discount is not None and item.discount.value == Decimal("99999999999.999999")
    assert (invoice.payments or [])[0].value == Decimal("9999999999999.99")
    assert invoice.healthcare_company == {"copayment": Decimal("12345678901234567.89")}
    assert Invoice.model_validate_json(bytearray(EXACT)) == invoice
    assert Invoice.model_validate_json(EXACT.decode()) == invoice

    notification = InvoiceBatchNotification.model_validate_json(
        b'{"invoices": [{"total": 12345678901.123456}]}'
    )
    assert (notification.invoices or [])[0].total == Decimal("12345678901.123456")
    parsed = Invoices.parse_batch_notification(b'{"invoices": [{"total": 12345678901.123456}]}')
    assert (parsed.invoices or [])[0].total == Decimal("12345678901.123456")


def test_invalid_json_is_still_a_pydantic_error_from_model_validate_json() -> None:
    for bad in (b"{bad", b"", "[" * 100_000):
        with pytest.raises(pydantic.ValidationError) as caught:
            Invoice.model_validate_json(bad)
        assert caught.value.errors()[0]["type"] == "json_invalid"


def test_answers_keep_every_digit_end_to_end(shop: Client, siigo_sandbox: Sandbox) -> None:
    big = shop.invoices.create(
        **invoice_body(
            items=[{"code": "SKU-1", "quantity": 10000, "price": Decimal("123456789.012345")}],
            payments=[{"id": 6101, "value": Decimal("1234567890123.45")}],
        )
    )
    assert big.total == Decimal("1234567890123.45")
    assert (big.payments or [])[0].value == Decimal("1234567890123.45")
    fine = shop.invoices.create(
        **invoice_body(
            items=[{"code": "SKU-1", "quantity": 1, "price": Decimal("12345678901.123456")}],
            payments=[{"id": 6101, "value": Decimal("12345678901.12")}],
        )
    )
    assert (fine.items or [])[0].price == Decimal("12345678901.123456")
    assert (shop.invoices.retrieve(fine.id).items or [])[0].price == Decimal("12345678901.123456")
    listed = {invoice.id: invoice for invoice in shop.invoices.list()}
    assert listed[big.id].total == Decimal("1234567890123.45")
    assert (listed[fine.id].items or [])[0].price == Decimal("12345678901.123456")


def test_the_legacy_calls_keep_returning_plain_json_types(shop: Client) -> None:
    body = invoice_body(
        items=[{"code": "SKU-1", "quantity": 10000, "price": Decimal("123456789.012345")}],
        payments=[{"id": 6101, "value": Decimal("1234567890123.45")}],
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        created = shop.create_invoice(**{k: body[k] for k in LEGACY_ORDER})
        listed = shop.list_invoices()
    assert isinstance(created["total"], float) and isinstance(created["number"], int)
    assert Decimal(str(created["total"])) == Decimal("1234567890123.45")
    assert json.loads(json.dumps(created)) == created
    assert isinstance(listed["results"][0]["total"], float)


def test_a_payment_may_reach_the_documented_payments_limit() -> None:
    assert PaymentParam(id=6101, value=Decimal("9999999999999.99")).value == Decimal("9999999999999.99")
    assert PaymentParam.model_validate({"id": 6101, "value": "100000000000.00"}).value == Decimal(
        "100000000000"
    )
    for too_much in ("10000000000000.00", "9999999999999.999", "0", "-1"):
        with pytest.raises(ValidationError) as caught:
            build(PaymentParam, {"id": 6101, "value": too_much})
        assert caught.value.codes == ["invalid_amount"]
    for not_finite in ("NaN", "sNaN", "Infinity", Decimal("-Infinity")):
        with pytest.raises(ValidationError):
            build(PaymentParam, {"id": 6101, "value": not_finite})


# --- 4. pinning the totals reading on creation -------------------------------------------------

MIDPOINT_ITEM = {"code": "SKU-1", "quantity": 1, "price": Decimal("10001.50"), "taxes": [{"id": 18401}]}
"""Base 10 001.50 × IVA 19 % = 1 900.285: 1 900.29 half up, 1 900.28 half even."""


def midpoint_invoice(value: str) -> dict[str, Any]:
    return invoice_body(items=[MIDPOINT_ITEM], payments=[{"id": 6101, "value": Decimal(value)}])


def withholding_invoice(value: str) -> dict[str, Any]:
    """1 130.50 with ReteIVA 15 % of 180.50 = 27.08: 1 103.42 net, 1 130.50 gross."""
    return invoice_body(retentions=[{"id": 18410}], payments=[{"id": 6101, "value": Decimal(value)}])


def test_compute_totals_agrees_with_the_cases(shop: Client) -> None:
    assert shop.invoices.compute_totals(midpoint_invoice("1")).amount_due == Decimal("11901.79")
    assert shop.invoices.compute_totals(
        midpoint_invoice("1"), reading={"rounding": "half_even"}
    ).amount_due == Decimal("11901.78")
    assert shop.invoices.compute_totals(withholding_invoice("1")).amount_due == Decimal("1103.42")
    gross = shop.invoices.compute_totals(withholding_invoice("1"), reading={"payments_basis": "gross_total"})
    assert gross.amount_due == Decimal("1130.50")


def test_a_pinned_rounding_refuses_a_total_that_only_the_other_rounding_gives(
    shop: Client, siigo_sandbox: Sandbox
) -> None:
    with pytest.raises(ValidationError) as caught:
        shop.invoices.create(midpoint_invoice("11901.78"), reading={"rounding": "half_up"})
    assert caught.value.codes == ["invalid_total_payments"]
    assert "The total invoice calculated is 11901.79" in str(caught.value)
    assert posted(siigo_sandbox) == []

    siigo_sandbox.configure(rounding_mode="half_even")
    unpinned = shop.invoices.create(midpoint_invoice("11901.78"))
    pinned = shop.invoices.create(midpoint_invoice("11901.78"), reading={"rounding": "half_even"})
    assert unpinned.total == pinned.total == Decimal("11901.78")
    with pytest.raises(ValidationError):
        shop.invoices.create(midpoint_invoice("11901.79"), reading={"rounding": "half_even"})
    assert len(posted(siigo_sandbox)) == 2


def test_a_pinned_payments_basis_refuses_a_total_that_only_the_other_basis_gives(
    shop: Client, siigo_sandbox: Sandbox
) -> None:
    with pytest.raises(ValidationError) as caught:
        shop.invoices.create(
            withholding_invoice("1130.50"), reading={"payments_basis": "net_of_withholdings"}
        )
    assert caught.value.codes == ["invalid_total_payments"]
    assert "The total invoice calculated is 1103.42" in str(caught.value)
    with pytest.raises(ValidationError) as caught:
        shop.invoices.create(
            withholding_invoice("1103.42"), reading={"payments_basis": "gross_total", "rounding": "half_up"}
        )
    assert "The total invoice calculated is 1130.50" in str(caught.value)
    assert posted(siigo_sandbox) == []

    siigo_sandbox.configure(payments_basis="gross_total")
    unpinned = shop.invoices.create(withholding_invoice("1130.50"))
    pinned = shop.invoices.create(withholding_invoice("1130.50"), reading={"payments_basis": "gross_total"})
    assert unpinned.total == pinned.total == Decimal("1130.50")
    assert len(posted(siigo_sandbox)) == 2


def test_update_and_batch_take_the_same_pins(shop: Client, siigo_sandbox: Sandbox) -> None:
    siigo_sandbox.configure(rounding_mode="half_even", payments_basis="gross_total")
    invoice = shop.invoices.create(**invoice_body())
    siigo_sandbox.clear_journal()

    with pytest.raises(ValidationError) as caught:
        shop.invoices.update(invoice.id, midpoint_invoice("11901.78"), reading={"rounding": "half_up"})
    assert caught.value.codes == ["invalid_total_payments"]
    with pytest.raises(ValidationError) as caught:
        shop.invoices.update(
            invoice.id, withholding_invoice("1130.50"), reading={"payments_basis": "net_of_withholdings"}
        )
    assert caught.value.codes == ["invalid_total_payments"]
    assert siigo_sandbox.journal(method="PUT") == []
    updated = shop.invoices.update(invoice.id, midpoint_invoice("11901.78"))
    assert updated.total == Decimal("11901.78")
    assert len(siigo_sandbox.journal(method="PUT")) == 1

    batch = [
        keyed(midpoint_invoice("11901.78"), "LOTE1"),
        keyed(withholding_invoice("1130.50"), "LOTE2"),
    ]
    with pytest.raises(ValidationError) as caught:
        shop.invoices.batch(notification_url=NOTIFY, invoices=batch, reading={"rounding": "half_up"})
    assert [e.params[0].split(".")[0] for e in caught.value.errors] == ["invoices[0]"]
    with pytest.raises(ValidationError) as caught:
        shop.invoices.batch(
            notification_url=NOTIFY,
            invoices=batch,
            reading={"rounding": "half_even", "payments_basis": "net_of_withholdings"},
        )
    assert [e.params[0].split(".")[0] for e in caught.value.errors] == ["invoices[1]"]
    assert siigo_sandbox.journal(method="POST", path="^/v1/invoices/batch$") == []
    receipt = shop.invoices.batch(notification_url=NOTIFY, invoices=batch)
    assert receipt.status == "Received"
    assert len(siigo_sandbox.journal(method="POST", path="^/v1/invoices/batch$")) == 1


# --- numbers beyond any amount or id Siigo can hold -----------------------------------------------


@pytest.mark.parametrize(
    ("field", "value", "code"),
    [
        ("quantity", Decimal("1e999999999"), "invalid_amount"),
        ("quantity", Decimal("-1e999999999"), "invalid_amount"),
        ("quantity", Decimal("1e-999999999"), "invalid_amount"),
        ("price", "1e999999999", "invalid_amount"),
        ("price", 1e300, "invalid_amount"),
        ("discount", Decimal("9" * 40), "invalid_amount"),
    ],
)
def test_astronomical_item_numbers_are_refused_quickly_and_locally(
    shop: Client, siigo_sandbox: Sandbox, field: str, value: Any, code: str
) -> None:
    body = invoice_body()
    body["items"][0][field] = value
    with pytest.raises(ValidationError) as caught:
        shop.invoices.create(body)
    assert code in caught.value.codes
    assert caught.value.idempotency_key is not None
    assert writes(siigo_sandbox) == []


@pytest.mark.parametrize("value", [Decimal("1e999999999"), "1" * 40])
def test_an_id_beyond_64_bits_is_refused_locally(shop: Client, siigo_sandbox: Sandbox, value: Any) -> None:
    body = invoice_body()
    body["seller"] = value
    with pytest.raises(ValidationError) as caught:
        shop.invoices.create(body)
    assert "invalid_type" in caught.value.codes
    assert writes(siigo_sandbox) == []
