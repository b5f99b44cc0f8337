"""Invoice mistakes that mypy --strict reports (each line marked with the expected message)."""

from __future__ import annotations

from siigo import Client
from siigo.models.invoices import InvoiceItemDict, PaymentDict


def mistakes(client: Client) -> None:
    floats: InvoiceItemDict = {
        "code": "SKU-1",
        "quantity": 1.5,
    }  # E: TypedDict item "quantity" has type "Decimal | int | str"
    no_value: PaymentDict = {"id": 6101}  # E: Missing key "value" for TypedDict "PaymentDict"
    client.invoices.create(
        document={"id": 28451}, date="2026-04-15", seller=629
    )  # E: No overload variant of "create" of "Invoices"
    client.invoices.compute_totals(
        document={"id": 28451}, items=[{"quantity": 1}]
    )  # E: List item 0 has incompatible type "dict[str, int]"; expected "ItemParam | ItemDict"
    client.document_types.list(
        type="XX"
    )  # E: Argument "type" to "list" of "DocumentTypes" has incompatible type "Literal['XX']"
    page = client.invoices.list()
    count = len(page)  # E: Argument 1 to "len" has incompatible type "Page[Invoice]"
    first = page[0]  # E: Value of type "Page[Invoice]" is not indexable
    client.invoices.stamp(page.items[0].id, 60)  # E: Too many positional arguments for "stamp" of "Invoices"
    print(floats, no_value, count, first)
