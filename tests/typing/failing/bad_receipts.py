"""Receipt mistakes that mypy --strict reports (each line marked with the expected message)."""

from __future__ import annotations

from siigo import Client
from siigo.resources.receipts import ReceiptItemDict


def mistakes(client: Client) -> None:
    no_value: ReceiptItemDict = {
        "due": {"prefix": "FV-1", "consecutive": 1, "quote": 1, "date": "2026-01-01"}
    }  # E: Missing key "value" for TypedDict "ReceiptItemDict"
    client.vouchers.create(
        type="Payment"
    )  # E: Argument "type" to "create" of "Vouchers" has incompatible type "Literal['Payment']"
    client.payment_receipts.create(
        type="MiscIncome"
    )  # E: Argument "type" to "create" of "PaymentReceipts" has incompatible type "Literal['MiscIncome']"
    client.payment_receipts.create(
        idempotency_key="K1"
    )  # E: Unexpected keyword argument "idempotency_key" for "create" of "PaymentReceipts"
    print(no_value)
