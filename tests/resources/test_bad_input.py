"""Random and malformed input: every request model and the 0.1 calls either accept it or raise
one of our documented errors (never another exception), and nothing invalid leaves the client."""

from __future__ import annotations

import contextlib
import copy
import inspect
import warnings
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from siigo import Client, SiigoError, ValidationError, _json
from siigo.models import (
    AccountGroupParams,
    CustomerCreateParams,
    CustomerUpdateParams,
    InvoiceBatchParams,
    InvoiceCreateParams,
    InvoiceMailParams,
    InvoiceUpdateParams,
    ProductCreateParams,
    ProductUpdateParams,
)
from siigo.models._base import RequestModel, build
from siigo.models.webhooks import WebhookCreateParams, WebhookUpdateParams
from siigo.sandbox import Sandbox

JSON_LEAVES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**20), max_value=10**20),
    st.floats(allow_nan=True, allow_infinity=True),
    st.decimals(allow_nan=True, allow_infinity=True),
    st.text(max_size=40),
    st.sampled_from(["", " ", "0", "-1", "1e400", "NaN", "2026-02-30", "../x", "%2F", "ñ" * 300, "'", "a b"]),
)
JSON_VALUES = st.recursive(
    JSON_LEAVES,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=10), inner, max_size=4)
    ),
    max_leaves=12,
)

VALID: dict[type[RequestModel], dict[str, Any]] = {
    AccountGroupParams: {"code": "HERR", "name": "Herramientas"},
    WebhookCreateParams: {
        "application_id": "ErpTornillo",
        "topic": "public.siigoapi.products.stock.update",
        "url": "https://erp.example.com:8443/hooks/siigo?x=1",
    },
    WebhookUpdateParams: {
        "id": "2a557d15-32cf-473d-86ef-ffd0ba608716",
        "application_id": "ErpTornillo",
        "topic": "public.siigoapi.products.create",
        "url": "http://127.0.0.1:9000/hooks",
        "active": False,
    },
    ProductCreateParams: {
        "code": "TAL-750",
        "name": "Taladro",
        "account_group": 1821,
        "taxes": [{"id": 18401}],
        "prices": [{"currency_code": "COP", "price_list": [{"position": 1, "value": 289900}]}],
        "additional_fields": {"barcode": "7701", "tariff": "8467210000"},
    },
    CustomerCreateParams: {
        "person_type": "Company",
        "id_type": "31",
        "identification": "900123456",
        "name": ["Ferretería El Tornillo S.A.S."],
        "address": {
            "address": "Calle 50",
            "city": {"country_code": "Co", "state_code": "05", "city_code": "05001"},
        },
        "phones": [{"indicative": "57", "number": "6044445566"}],
        "contacts": [{"first_name": "Carolina", "last_name": "Mejía", "email": "c@example.com"}],
    },
    InvoiceCreateParams: {
        "document": {"id": 28451},
        "date": "2026-03-04",
        "customer": {"identification": "900123456", "branch_office": 0},
        "seller": 4120,
        "items": [
            {
                "code": "TAL-750",
                "quantity": 10,
                "price": "100.00",
                "discount": "50.00",
                "taxes": [{"id": 18401}],
            }
        ],
        "payments": [{"id": 6101, "value": "1130.50", "due_date": "2026-03-04"}],
    },
    InvoiceMailParams: {"mail_to": "cliente@example.com", "copy_to": "a@example.com;b@example.com"},
}
VALID[ProductUpdateParams] = VALID[ProductCreateParams]
VALID[CustomerUpdateParams] = VALID[CustomerCreateParams]
VALID[InvoiceUpdateParams] = VALID[InvoiceCreateParams]
VALID[InvoiceBatchParams] = {
    "notification_url": "https://erp.example.com/hooks/siigo",
    "invoices": [{**VALID[InvoiceCreateParams], "idempotency_key": "PEDIDO1"}],
}


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix] if prefix else []
    if isinstance(value, dict):
        for key, item in value.items():
            found.extend(_paths(item, (*prefix, key)))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found.extend(_paths(item, (*prefix, index)))
    return found


@st.composite
def mutated(draw: st.DrawFn, model: type[RequestModel]) -> dict[str, Any]:
    """A valid body with one to three places replaced by junk, deleted, or junk keys added."""
    body = copy.deepcopy(VALID[model])
    for _ in range(draw(st.integers(min_value=1, max_value=3))):
        paths = _paths(body)
        if not paths:
            break
        path = draw(st.sampled_from(paths))
        parent: Any = body
        for step in path[:-1]:
            parent = parent[step]
        action = draw(st.sampled_from(["replace", "delete", "add"]))
        if action == "replace":
            parent[path[-1]] = draw(JSON_VALUES)
        elif action == "delete" and isinstance(parent, dict):
            del parent[path[-1]]
        elif isinstance(parent, dict):
            parent[draw(st.text(max_size=8))] = draw(JSON_VALUES)
    return body


def _check(model: type[RequestModel], body: Any) -> None:
    try:
        params = build(model, body)
    except ValidationError as exc:
        assert exc.errors, "a ValidationError must say what is wrong"
        assert all(e.code and e.message for e in exc.errors)
        return
    # What validates must also serialise to an exact JSON body.
    _json.loads(_json.dumps(params.to_wire()))


def binds(call: Callable[..., Any], body: dict[str, Any]) -> bool:
    """True when Python accepts ``call(**body)`` (every keyword known, none missing)."""
    try:
        inspect.signature(call).bind(**body)
    except TypeError:
        return False
    return True


def builds_as(model: type[RequestModel], body: Any) -> bool:
    """True when ``body`` passes the model's structural validation."""
    try:
        build(model, copy.deepcopy(body))
    except ValidationError:
        return False
    return True


@pytest.fixture
def client(make_client: Callable[..., Client]) -> Client:
    """A client without retries, one for all the examples of a property test (a client for
    each example logged in again each time; what it sends is read from the sandbox's journal,
    cleared by each example)."""
    return make_client(max_retries=0)


@pytest.mark.parametrize("model", list(VALID), ids=lambda m: m.__name__)
def test_valid_examples_validate(model: type[RequestModel]) -> None:
    build(model, VALID[model])


@pytest.mark.parametrize("model", list(VALID), ids=lambda m: m.__name__)
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_mutated_bodies_validate_or_raise_our_error(model: type[RequestModel], data: st.DataObject) -> None:
    _check(model, data.draw(mutated(model)))


@pytest.mark.parametrize("model", list(VALID), ids=lambda m: m.__name__)
@settings(max_examples=60, deadline=None)
@given(body=JSON_VALUES)
def test_arbitrary_json_validates_or_raises_our_error(model: type[RequestModel], body: Any) -> None:
    _check(model, body)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_invalid_documents_never_leave_the_client(
    siigo_sandbox: Sandbox, client: Client, data: st.DataObject
) -> None:
    siigo_sandbox.clear_journal()
    product = data.draw(mutated(ProductCreateParams))
    customer = data.draw(mutated(CustomerCreateParams))
    for call, body, path in (
        (client.products.create, product, "^/v1/products$"),
        (client.customers.create, customer, "^/v1/customers$"),
    ):
        try:
            valid = build(ProductCreateParams if path.endswith("products$") else CustomerCreateParams, body)
        except ValidationError:
            valid = None
        if not binds(call, body):
            # A junk keyword argument: Python itself refuses the call.
            assert valid is None
            with pytest.raises(TypeError):
                call(**body)
            continue
        with contextlib.suppress(SiigoError):
            call(**body)
        sent = siigo_sandbox.journal(method="POST", path=path)
        assert (len(sent) == 1) == (valid is not None)
        siigo_sandbox.clear_journal()


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_invalid_invoices_never_leave_the_client(
    siigo_sandbox: Sandbox, client: Client, data: st.DataObject
) -> None:
    siigo_sandbox.clear_journal()
    body = data.draw(mutated(InvoiceCreateParams))
    legacy = data.draw(mutated(InvoiceCreateParams))
    # Decided apart from the call under test: a structurally invalid body must never be sent.
    structurally_valid = builds_as(InvoiceCreateParams, body)
    try:
        client.invoices.create(body)
        refused_locally = False
    except ValidationError as exc:
        refused_locally = True
        assert exc.idempotency_key
    except SiigoError as exc:
        refused_locally = False
        assert exc.idempotency_key
    sent = siigo_sandbox.journal(method="POST", path="^/v1/invoices$")
    assert len(sent) == (0 if refused_locally else 1)
    if not structurally_valid:
        assert refused_locally and sent == []
    siigo_sandbox.clear_journal()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        if not binds(client.create_invoice, legacy):
            # A junk or missing keyword: Python refuses the call before anything runs.
            with pytest.raises(TypeError):
                client.create_invoice(**legacy)
            return
        try:
            client.create_invoice(**legacy)
            refused_locally = False
        except ValidationError:
            refused_locally = True
        except SiigoError:
            refused_locally = False
    assert len(siigo_sandbox.journal(method="POST", path="^/v1/invoices$")) == (0 if refused_locally else 1)
    if not builds_as(InvoiceCreateParams, {k: v for k, v in legacy.items() if v is not None}):
        assert refused_locally


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_legacy_calls_validate_or_raise_our_error(
    siigo_sandbox: Sandbox, client: Client, data: st.DataObject
) -> None:
    product = data.draw(mutated(ProductCreateParams))
    customer = data.draw(mutated(CustomerCreateParams))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        for call, body in ((client.create_product, product), (client.create_customer, customer)):
            if not binds(call, body):
                with pytest.raises(TypeError):  # missing/unknown keyword: refused by Python
                    call(**body)
                continue
            with contextlib.suppress(SiigoError):
                call(**body)
        values: list[Any] = [data.draw(JSON_VALUES), "FV", "RP", None, 7]
        for value in values:
            try:
                client.list_document_types(value)
                client.list_payment_types(value)
            except SiigoError:
                pass
        with contextlib.suppress(SiigoError):
            client.list_products(id=data.draw(JSON_VALUES), created_start=data.draw(JSON_VALUES))


@pytest.mark.parametrize(
    "hostile", ["../x", "a/b", "?q", "%2F", "", " ", "x" * 37, "9e6f8516-f256-4f47-a4a7-39b0adad113e/.."]
)
def test_hostile_document_ids_never_change_the_path(
    siigo_sandbox: Sandbox, make_client: Callable[..., Client], hostile: str
) -> None:
    client = make_client()
    for call in (
        client.products.retrieve,
        client.products.delete,
        client.customers.retrieve,
        client.customers.delete,
        client.invoices.retrieve,
        client.invoices.delete,
        client.invoices.pdf,
        client.invoices.annul,
    ):
        with pytest.raises(ValueError):
            call(hostile)
    assert siigo_sandbox.journal(path="^/v1/") == []


def test_decimal_noise_is_refused_not_rounded() -> None:
    body = copy.deepcopy(VALID[InvoiceCreateParams])
    body["items"][0]["price"] = 0.1 + 0.2
    with pytest.raises(ValidationError) as caught:
        build(InvoiceCreateParams, body)
    assert "invalid_amount" in caught.value.codes
    body["items"][0]["price"] = Decimal("0.300000")
    build(
        InvoiceCreateParams, {**body, "payments": [{"id": 6101, "value": "3.52", "due_date": "2026-03-04"}]}
    )
