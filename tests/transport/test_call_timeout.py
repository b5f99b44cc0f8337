"""Per-call ``timeout=``: every resource method takes one, it applies to that call only (and to
the pages a list fetches later), and it wins over the client's ``timeout`` both ways."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import pytest

from siigo import APITimeoutError, Client, RetryPolicy, Timeout, ValidationError
from siigo.sandbox import Sandbox

from ..resources.test_invoices import invoice_body

NO_RETRY = RetryPolicy(max_retries=0)
DELAY = 0.9
SHORT = 0.25
LONG = 5.0

Call = Callable[[Client, dict[str, str]], Any]


@pytest.fixture
def ids(shop: Client) -> dict[str, str]:
    """One product, one customer and one invoice (stamped) to call the methods on."""
    product = shop.products.create(code="T-1", name="Tornillo", account_group=1821)
    customer = shop.customers.list(identification="900123456").items[0]
    invoice = shop.invoices.create(**invoice_body())
    return {"product": product.id, "customer": customer.id, "invoice": invoice.id}


# (name, path regex the delay is put on, HTTP method, the call with a per-call timeout)
CALLS: list[tuple[str, str, str, Call]] = [
    ("products.list", r"^/v1/products$", "GET", lambda c, i: c.products.list(timeout=SHORT)),
    (
        "products.retrieve",
        r"^/v1/products/",
        "GET",
        lambda c, i: c.products.retrieve(i["product"], timeout=SHORT),
    ),
    (
        "products.create",
        r"^/v1/products$",
        "POST",
        lambda c, i: c.products.create(code="T-2", name="Tuerca", account_group=1821, timeout=SHORT),
    ),
    (
        "products.update",
        r"^/v1/products/",
        "PUT",
        lambda c, i: c.products.update(
            i["product"], code="T-1", name="Tornillo", account_group=1821, timeout=SHORT
        ),
    ),
    (
        "products.delete",
        r"^/v1/products/",
        "DELETE",
        lambda c, i: c.products.delete(i["product"], timeout=SHORT),
    ),
    ("customers.list", r"^/v1/customers$", "GET", lambda c, i: c.customers.list(timeout=SHORT)),
    (
        "customers.list(type)",
        r"^/v1/customers$",
        "GET",
        lambda c, i: c.customers.list(type="Customer", timeout=SHORT),
    ),
    (
        "customers.retrieve",
        r"^/v1/customers/",
        "GET",
        lambda c, i: c.customers.retrieve(i["customer"], timeout=SHORT),
    ),
    (
        "customers.update",
        r"^/v1/customers/",
        "PUT",
        lambda c, i: c.customers.update(
            i["customer"], c.customers.retrieve(i["customer"]).to_update_params(), timeout=SHORT
        ),
    ),
    ("invoices.list", r"^/v1/invoices$", "GET", lambda c, i: c.invoices.list(timeout=SHORT)),
    (
        "invoices.retrieve",
        r"^/v1/invoices/[^/]+$",
        "GET",
        lambda c, i: c.invoices.retrieve(i["invoice"], timeout=SHORT),
    ),
    (
        "invoices.create",
        r"^/v1/invoices$",
        "POST",
        lambda c, i: c.invoices.create(**invoice_body(), timeout=SHORT),
    ),
    ("invoices.pdf", r"/pdf$", "GET", lambda c, i: c.invoices.pdf(i["invoice"], timeout=SHORT)),
    ("invoices.xml", r"/xml$", "GET", lambda c, i: c.invoices.xml(i["invoice"], timeout=SHORT)),
    (
        "invoices.send_email",
        r"/mail$",
        "POST",
        lambda c, i: c.invoices.send_email(i["invoice"], mail_to="a@example.com", timeout=SHORT),
    ),
    ("invoices.annul", r"/annul$", "POST", lambda c, i: c.invoices.annul(i["invoice"], timeout=SHORT)),
    (
        "invoices.stamp_errors",
        r"/stamp/errors$",
        "GET",
        lambda c, i: c.invoices.stamp_errors(i["invoice"], timeout=SHORT),
    ),
    (
        "invoices.delete",
        r"^/v1/invoices/[^/]+$",
        "DELETE",
        lambda c, i: c.invoices.delete(i["invoice"], timeout=SHORT),
    ),
    ("taxes.list", r"^/v1/taxes$", "GET", lambda c, i: c.taxes.list(timeout=SHORT)),
    ("users.list", r"^/v1/users$", "GET", lambda c, i: c.users.list(timeout=SHORT)),
    (
        "account_groups.list",
        r"^/v1/account-groups$",
        "GET",
        lambda c, i: c.account_groups.list(timeout=SHORT),
    ),
    (
        "account_groups.create",
        r"^/v1/account-groups$",
        "POST",
        lambda c, i: c.account_groups.create(code="77", name="Grupo", timeout=SHORT),
    ),
    ("price_lists.list", r"^/v1/price-lists$", "GET", lambda c, i: c.price_lists.list(timeout=SHORT)),
    ("warehouses.list", r"^/v1/warehouses$", "GET", lambda c, i: c.warehouses.list(timeout=SHORT)),
    ("cost_centers.list", r"^/v1/cost-centers$", "GET", lambda c, i: c.cost_centers.list(timeout=SHORT)),
    ("fixed_assets.list", r"^/v1/fixed-assets$", "GET", lambda c, i: c.fixed_assets.list(timeout=SHORT)),
    (
        "document_types.list",
        r"^/v1/document-types$",
        "GET",
        lambda c, i: c.document_types.list(type="FV", timeout=SHORT),
    ),
    (
        "payment_types.list",
        r"^/v1/payment-types$",
        "GET",
        lambda c, i: c.payment_types.list(document_type="FV", timeout=SHORT),
    ),
]


@pytest.mark.parametrize(("name", "path", "method", "call"), CALLS, ids=[c[0] for c in CALLS])
def test_a_per_call_timeout_shorter_than_the_clients_times_out(
    name: str,
    path: str,
    method: str,
    call: Call,
    ids: dict[str, str],
    siigo_sandbox: Sandbox,
    make_client: Callable[..., Client],
) -> None:
    client = make_client(retry=NO_RETRY, timeout=LONG)
    client.invoices.compute_totals(invoice_body())  # the invoice catalogs, read with the default
    siigo_sandbox.inject_fault(method=method, path=path, delay=DELAY, count=1)
    started = time.monotonic()
    with pytest.raises(APITimeoutError) as caught:
        call(client, ids)
    assert time.monotonic() - started < LONG  # the per-call timeout, not the client's
    assert caught.value.method == method
    assert "timeout after 1 attempt(s)" in str(caught.value)


def test_a_per_call_timeout_longer_than_the_clients_waits(
    ids: dict[str, str], siigo_sandbox: Sandbox, make_client: Callable[..., Client]
) -> None:
    client = make_client(retry=NO_RETRY, timeout=SHORT)
    siigo_sandbox.inject_fault(method="GET", path=r"^/v1/products/", delay=DELAY, count=1)
    assert client.products.retrieve(ids["product"], timeout=LONG).id == ids["product"]
    siigo_sandbox.inject_fault(method="GET", path=r"^/v1/products/", delay=DELAY, count=1)
    with pytest.raises(APITimeoutError) as caught:
        client.products.retrieve(ids["product"])
    assert caught.value.path == f"/v1/products/{ids['product']}"


def test_the_per_call_timeout_takes_every_form_of_the_clients(
    ids: dict[str, str], siigo_sandbox: Sandbox, make_client: Callable[..., Client]
) -> None:
    client = make_client(retry=NO_RETRY, timeout=SHORT)
    for timeout in (LONG, (1.0, LONG), Timeout(connect=1.0, read=LONG)):
        siigo_sandbox.inject_fault(method="GET", path=r"^/v1/products/", delay=DELAY, count=1)
        assert client.products.retrieve(ids["product"], timeout=timeout).code == "T-1"


def test_a_per_call_timeout_applies_to_that_call_only(
    ids: dict[str, str], siigo_sandbox: Sandbox, make_client: Callable[..., Client]
) -> None:
    client = make_client(retry=NO_RETRY, timeout=LONG)
    siigo_sandbox.inject_fault(method="GET", path=r"^/v1/products/", delay=DELAY, count=2)
    with pytest.raises(APITimeoutError) as caught:
        client.products.retrieve(ids["product"], timeout=SHORT)
    assert "timeout" in str(caught.value) and caught.value.path.startswith("/v1/products/")
    assert client.products.retrieve(ids["product"]).id == ids["product"]
    assert client.timeout.read == LONG


def test_the_pages_a_list_fetches_later_use_its_timeout(
    shop: Client, siigo_sandbox: Sandbox, make_client: Callable[..., Client]
) -> None:
    for n in range(12):
        shop.products.create(code=f"P-{n}", name=f"Producto {n}", account_group=1821)
    client = make_client(retry=NO_RETRY, timeout=LONG)
    first = client.products.list(page_size=10, timeout=SHORT)
    assert first.has_next_page()
    siigo_sandbox.inject_fault(method="GET", path=r"^/v1/products$", delay=DELAY, count=1)
    with pytest.raises(APITimeoutError) as caught:
        first.next_page()
    assert caught.value.path == "/v1/products"
    siigo_sandbox.inject_fault(method="GET", path=r"^/v1/products$", delay=DELAY, count=1)
    assert client.products.list(page_size=10).next_page() is not None


def test_wait_for_stamp_passes_request_timeout_to_each_read(
    ids: dict[str, str], siigo_sandbox: Sandbox, make_client: Callable[..., Client]
) -> None:
    client = make_client(retry=NO_RETRY, timeout=LONG)
    siigo_sandbox.inject_fault(method="GET", path=r"^/v1/invoices/[^/]+$", delay=DELAY, count=1)
    with pytest.raises(APITimeoutError) as caught:
        client.invoices.wait_for_stamp(ids["invoice"], timeout=LONG, request_timeout=SHORT)
    assert caught.value.path == f"/v1/invoices/{ids['invoice']}"


@pytest.mark.parametrize(
    ("timeout", "why"),
    [(-1, "more than 0 seconds"), (float("nan"), "finite"), ((1.0,), "(connect, read)"), ("30", "number")],
)
def test_a_bad_per_call_timeout_is_refused_before_sending(
    timeout: Any, why: str, ids: dict[str, str], siigo_sandbox: Sandbox, shop: Client
) -> None:
    siigo_sandbox.clear_journal()
    with pytest.raises(ValidationError) as caught:
        shop.products.retrieve(ids["product"], timeout=timeout)
    assert caught.value.codes == ["invalid_value"] and caught.value.errors[0].params == ("timeout",)
    assert why in str(caught.value)
    assert siigo_sandbox.journal() == []


def test_a_bad_timeout_of_an_invoice_create_is_refused_before_any_request(
    siigo_sandbox: Sandbox, make_client: Callable[..., Client], shop: Client
) -> None:
    client = make_client()  # its catalog cache is empty: a preflight would read catalogs
    siigo_sandbox.clear_journal()
    with pytest.raises(ValidationError) as caught:
        client.invoices.create(**invoice_body(), timeout=0)
    assert caught.value.errors[0].params == ("timeout",) and caught.value.idempotency_key
    assert siigo_sandbox.journal() == []
