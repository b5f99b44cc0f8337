"""Receipts: a customer's payment built from an invoice, a payment receipt written out, what is
owed read as Decimals."""

from __future__ import annotations

from decimal import Decimal

from siigo import Client
from siigo.resources.receipts import ReceiptItemDict


def record_payment(client: Client, invoice_id: str) -> Decimal:
    invoice = client.invoices.retrieve(invoice_id)
    body = client.vouchers.for_invoice(invoice, payment={"id": 6103}, document={"id": 28470}, amount="500.00")
    receipt = client.vouchers.create(
        body, observations="Transferencia", idempotency_key="RC88412", timeout=120
    )
    return receipt.paid_total()


def pay_supplier(client: Client) -> str | None:
    line: ReceiptItemDict = {
        "due": {"prefix": "FC-1", "consecutive": 310, "quote": 1, "date": "2026-04-15"},
        "value": Decimal("200000"),
    }
    receipt = client.payment_receipts.create(
        document={"id": 28491},
        date="2026-04-15",
        type="DebtPayment",
        supplier={"identification": "830117028"},
        items=[line],
        payment={"id": 6201, "value": Decimal("200000")},
    )
    client.payment_receipts.update(receipt.id, receipt, observations="Pago parcial")
    return receipt.name


def owed(client: Client) -> Decimal:
    summary = client.vouchers.owed_by("900123456")
    return summary.total + sum((row.balance for row in summary), Decimal(0))


def stamp_a_receipt(client: Client, receipt_id: str) -> str | None:
    sent = client.vouchers.stamp(receipt_id, timeout=60)
    return sent.status if sent.code else None
