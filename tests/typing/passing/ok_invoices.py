"""Invoices: the keyword form with its required fields, a model with overrides, a batch,
responses read without None checks, stamp statuses compared with their known values."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from siigo import Client, ValidationError
from siigo.models import InvoiceCreateParams
from siigo.models.invoices import InvoiceItemDict, PaymentDict, StampStatusValue
from siigo.resources.invoices import InvoiceBatchItemFields


def create(client: Client) -> Decimal:
    item: InvoiceItemDict = {
        "code": "SKU-1",
        "quantity": 10,
        "price": Decimal("100.00"),
        "taxes": [{"id": 18401}],
    }
    payment: PaymentDict = {"id": 6101, "value": Decimal("1190.00"), "due_date": dt.date(2026, 5, 1)}
    invoice = client.invoices.create(
        document={"id": 28451},
        date=dt.date(2026, 4, 15),
        customer={"identification": "900123456", "branch_office": 0},
        seller=629,
        items=[item],
        payments=[payment],
        stamp={"send": True},
        timeout=120,
    )
    status: StampStatusValue | None = invoice.stamp.status if invoice.stamp else None
    if status == "Rejected":
        client.invoices.stamp_errors(invoice.id, timeout=10)
    return invoice.total - invoice.balance  # always present: no None check


def with_overrides(client: Client, model: InvoiceCreateParams) -> str:
    return client.invoices.create(model, observations="Pedido 117", idempotency_key="PEDIDO117").name


def batch(client: Client, body: InvoiceBatchItemFields) -> None:
    client.invoices.batch(notification_url="https://example.com/siigo", invoices=[body])


def build_locally() -> list[str]:
    try:
        InvoiceCreateParams.model_validate({"document": {"id": 28451}})
    except ValidationError as exc:  # siigo's own error, as a create raises
        return exc.codes
    return []


def walk(client: Client) -> int:
    page = client.invoices.list(page_size=100, timeout=30)
    one_page = len(page.items)
    everything = sum(1 for _ in page)
    taxes = client.taxes.list(timeout=5)
    return one_page + everything + len(taxes) + len(taxes.items)


def stamp_later(client: Client, invoice_id: str) -> str | None:
    sent = client.invoices.stamp(invoice_id, timeout=60)
    status: StampStatusValue | None = sent.stamp.status if sent.stamp else None
    if status == "Rejected":
        client.invoices.stamp_errors(invoice_id)
    mailed: str | None = sent.mail.status if sent.mail else None
    return sent.code or mailed
