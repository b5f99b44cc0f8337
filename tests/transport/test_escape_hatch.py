"""What the SDK does not model yet: ``client.request`` and the raw answers of any call."""

from __future__ import annotations

from decimal import Decimal

import pytest

from siigo import BadRequestError, Client, NotFoundError
from siigo.sandbox import Sandbox

from ..resources.test_invoices import invoice_body


def test_request_returns_parsed_json_with_exact_amounts(shop: Client) -> None:
    taxes = shop.request("GET", "/v1/taxes")
    assert isinstance(taxes, list) and {t["id"] for t in taxes} >= {18401}
    assert all(isinstance(t["percentage"], (int, Decimal)) for t in taxes if "percentage" in t)

    page = shop.request("get", "/v1/document-types", params={"type": "NC"})
    assert [d["type"] for d in page] and {d["type"] for d in page} == {"NC"}


def test_request_posts_a_document_under_an_idempotency_key(shop: Client, siigo_sandbox: Sandbox) -> None:
    siigo_sandbox.inject_fault(method="POST", path="^/v1/invoices$", drop="after", count=1)
    created = shop.request("POST", "/v1/invoices", body=invoice_body())
    assert created["name"] == "FV-1-1001" and created["total"] == Decimal("1130.50")
    attempts = siigo_sandbox.journal(method="POST", path="^/v1/invoices$")
    assert [a.status for a in attempts] == [0, 201]
    assert attempts[0].idempotency_key == attempts[1].idempotency_key is not None
    assert list(siigo_sandbox.tenant().invoices) == [created["id"]]


def test_request_raises_the_typed_errors(shop: Client) -> None:
    with pytest.raises(BadRequestError) as caught:
        shop.request("POST", "/v1/invoices", body=invoice_body(payments=[{"id": 6101, "value": 1}]))
    assert caught.value.codes == ["invalid_total_payments"]
    assert caught.value.idempotency_key is not None
    with pytest.raises(NotFoundError) as missing:
        shop.request("GET", "/v1/invoices/b0dbd5b7-0e5a-48d1-8fe3-a8f8ea860f46")
    assert missing.value.codes == ["not_found"]
    with pytest.raises(ValueError, match="/v1/"):
        shop.request("GET", "https://elsewhere.example.com/v1/taxes")
    with pytest.raises(ValueError, match="method"):
        shop.request("TRACE", "/v1/taxes")


def test_raw_responses_of_any_call(shop: Client, siigo_sandbox: Sandbox) -> None:
    siigo_sandbox.inject_fault(method="GET", path="^/v1/taxes$", status=503, count=1)
    with shop.raw_responses() as seen:
        shop.taxes.list()
        invoice = shop.invoices.create(invoice_body())
    assert [(r.method, r.status_code) for r in seen if "/v1/" in r.url][:2] == [("GET", 503), ("GET", 200)]
    created = [r for r in seen if r.method == "POST" and r.url.endswith("/v1/invoices")]
    assert [r.status_code for r in created] == [201]
    assert created[0].headers["Content-Type"].startswith("application/json")
    assert invoice.id.encode() in created[0].content
    recorded = len(seen)
    shop.taxes.list()
    assert len(seen) == recorded  # nothing is recorded after the block
