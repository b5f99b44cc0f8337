"""``POST /v1/invoices/batch`` over HTTP, with the notification delivered to a loopback receiver."""

from __future__ import annotations

import http.server
import queue
import threading
import time
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest

from siigo import Client, ValidationError
from siigo.sandbox import DEFAULT_USERNAME, Sandbox
from siigo.sandbox.handlers.invoices import batch_notification

from .test_invoices import invoice_body, raw


class Receiver:
    """A tiny HTTP server on 127.0.0.1 that keeps every body POSTed to it."""

    def __init__(self) -> None:
        self.bodies: queue.Queue[bytes] = queue.Queue()
        bodies = self.bodies

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                bodies.put(self.rfile.read(length))
                self.send_response(204)
                self.end_headers()

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"https://127.0.0.1:{self.server.server_address[1]}/hooks/siigo/lotes"

    def next(self, timeout: float = 5.0) -> bytes:
        return self.bodies.get(timeout=timeout)

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    made = Receiver()
    yield made
    made.close()


def batch_item(key: str, **overrides: Any) -> Any:
    return {"idempotency_key": key, **invoice_body(**overrides)}


def test_a_batch_is_acknowledged_then_notified(
    shop: Client, siigo_sandbox: Sandbox, receiver: Receiver
) -> None:
    receipt = shop.invoices.batch(
        notification_url=receiver.url,
        invoices=[
            batch_item("PEDIDO117", stamp={"send": True}, document={"id": 28453}),
            batch_item("PEDIDO118", payments=[{"id": 6101, "value": 1000}]),
        ],
        preflight=False,
    )
    assert receipt.status == "Received" and receipt.id and receipt.received_at is not None

    notification = shop.invoices.parse_batch_notification(receiver.next())
    assert (notification.id, notification.status) == (receipt.id, "Processed")
    assert notification.notification_url == receiver.url
    created, failed = notification.invoices or []
    assert created.ok and created.status_code == "201" and created.idempotency_key == "PEDIDO117"
    assert created.name == "FV-3-5001" and created.total == Decimal("1130.50")
    assert created.stamp is not None and created.stamp.status == "Accepted"
    assert not failed.ok and failed.status_code == "400" and failed.idempotency_key == "PEDIDO118"
    [error] = failed.error_details()
    assert error.code == "invalid_total_payments" and "1130.50" in error.message
    assert list(siigo_sandbox.tenant().invoices) == [created.id]
    assert shop.invoices.retrieve(str(created.id)).name == "FV-3-5001"

    # The receiver has the notification; the sandbox records the delivery once its POST returns.
    deadline = time.monotonic() + 5
    stored = batch_notification(siigo_sandbox.state, DEFAULT_USERNAME, str(receipt.id))
    while stored is None and time.monotonic() < deadline:
        time.sleep(0.01)
        stored = batch_notification(siigo_sandbox.state, DEFAULT_USERNAME, str(receipt.id))
    assert stored is not None and stored["delivery"]["delivered"] is True
    assert stored["delivery"]["url"].startswith("http://127.0.0.1:")


def test_batch_keys_share_the_idempotency_of_single_creations(
    shop: Client, siigo_sandbox: Sandbox, receiver: Receiver
) -> None:
    single = shop.invoices.create(invoice_body(), idempotency_key="PEDIDO200")
    shop.invoices.batch(
        notification_url=receiver.url, invoices=[batch_item("PEDIDO200"), batch_item("PEDIDO201")]
    )
    first = shop.invoices.parse_batch_notification(receiver.next())
    assert [(r.status_code, r.id == single.id) for r in first.invoices or []] == [
        ("201", True),
        ("201", False),
    ]
    shop.invoices.batch(notification_url=receiver.url, invoices=[batch_item("PEDIDO201")])
    again = shop.invoices.parse_batch_notification(receiver.next())
    assert (again.invoices or [])[0].id == (first.invoices or [])[1].id
    assert len(siigo_sandbox.tenant().invoices) == 2


def test_the_preflight_checks_every_invoice_of_a_batch(shop: Client, siigo_sandbox: Sandbox) -> None:
    with pytest.raises(ValidationError) as caught:
        shop.invoices.batch(
            notification_url="https://erp.example.com/hooks",
            invoices=[batch_item("A1"), batch_item("A2", payments=[{"id": 6101, "value": 1}])],
        )
    [problem] = caught.value.errors
    assert problem.code == "invalid_total_payments"
    assert problem.params == ("invoices[1].payments",) and "A2" in problem.message
    with pytest.raises(ValidationError) as caught:
        shop.invoices.batch(notification_url="http://erp.example.com/hooks", invoices=[batch_item("A1")])
    assert caught.value.codes == ["invalid_url"]
    with pytest.raises(ValidationError) as caught:
        shop.invoices.batch(
            notification_url="https://erp.example.com/hooks", invoices=[batch_item("A1"), batch_item("A1")]
        )
    assert caught.value.codes == ["invalid_idempotency_key"]
    assert siigo_sandbox.journal(method="POST") == []


def test_the_sandbox_validates_the_envelope_at_once(shop: Client, siigo_sandbox: Sandbox) -> None:
    answer = raw(
        siigo_sandbox,
        "POST",
        "/v1/invoices/batch",
        {"notification_url": "http://erp.example.com", "invoices": [batch_item("A-1")]},
    )
    assert answer.status_code == 400
    assert sorted(e["Code"] for e in answer.json()["Errors"]) == ["invalid_idempotency_key", "invalid_url"]
    big = {
        "notification_url": "https://erp.example.com",
        "invoices": [batch_item("A1", observations="x" * 4000)] * 300,
    }
    answer = raw(siigo_sandbox, "POST", "/v1/invoices/batch", big)
    assert answer.status_code == 400 and answer.json()["Errors"][0]["Code"] == "length_max"


def test_only_loopback_urls_are_contacted(shop: Client, siigo_sandbox: Sandbox) -> None:
    receipt = shop.invoices.batch(
        notification_url="https://erp.example.com/hooks", invoices=[batch_item("B1")]
    )
    deadline = time.monotonic() + 5
    stored = None
    while stored is None and time.monotonic() < deadline:
        stored = batch_notification(siigo_sandbox.state, DEFAULT_USERNAME, str(receipt.id))
        time.sleep(0.02)
    assert stored is not None
    assert stored["delivery"] == {
        "delivered": False,
        "url": "https://erp.example.com/hooks",
        "status": None,
        "error": "not a loopback URL: not contacted",
    }
    assert stored["invoices"][0]["name"] == "FV-1-1001"
