"""siigo-python quickstart.

With SIIGO_USERNAME, SIIGO_ACCESS_KEY and SIIGO_PARTNER_ID set, this talks to the real Siigo API
(use a test company: it creates a customer, products, an invoice and a credit note, and asks for
the month's trial balance).  Otherwise it starts the
local Siigo sandbox that ships with the package and talks to it over HTTP on 127.0.0.1.

Run it with ``make demo`` (or ``.venv/bin/python examples/quickstart.py``).
"""

from __future__ import annotations

import os
import sys
import uuid
from contextlib import ExitStack
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from siigo import Client, ValidationError
from siigo.kinds import KindCode
from siigo.models import DocumentType, Invoice, PaymentType, Tax

OUTPUT_DIR = Path(os.environ.get("SIIGO_QUICKSTART_DIR", "."))


def heading(text: str) -> None:
    print(f"\n== {text} " + "=" * max(0, 70 - len(text)))


def connect(stack: ExitStack) -> Client:
    if all(os.environ.get(name) for name in ("SIIGO_USERNAME", "SIIGO_ACCESS_KEY", "SIIGO_PARTNER_ID")):
        print("Using the real Siigo API with the SIIGO_* credentials of this shell.")
        # A test company allows 10 requests per minute.
        limit = int(os.environ.get("SIIGO_RATE_LIMIT", "10"))
        return stack.enter_context(Client(rate_limit=limit))
    from siigo.sandbox import Sandbox

    sandbox = stack.enter_context(Sandbox())
    print(f"No SIIGO_* credentials: using the embedded Siigo sandbox at {sandbox.url}")
    return stack.enter_context(sandbox.client())


def pick_catalogs(client: Client) -> tuple[DocumentType, Tax, PaymentType, PaymentType, int]:
    heading("Catalogs")
    taxes = client.taxes.list()
    document_types = client.document_types.list(type="FV")
    payment_types = client.payment_types.list(document_type="FV")
    users = client.users.list()
    print(
        f"{len(taxes)} taxes, {len(document_types)} FV document types, {len(payment_types)} FV payment types,"
    )
    print(
        f"{users.total_results or len(users.items)} users, {len(client.warehouses.list())} warehouses, "
        f"{len(client.cost_centers.list())} cost centers, {len(client.price_lists.list())} price lists, "
        f"{len(client.account_groups.list())} account groups."
    )
    for tax in taxes:
        if tax.active:
            print(f"  tax {tax.id:>6}  {tax.type or '':<14} {tax.percentage!s:>7}%  {tax.name}")
    document_type = next(
        d
        for d in document_types
        if d.active and not d.is_electronic and d.automatic_number and not d.seller_by_item
    )
    iva = next(t for t in taxes if t.active and t.type == "IVA" and t.percentage == Decimal(19))
    cash = next(p for p in payment_types if p.active and not p.due_date)
    # Paid on credit the invoice keeps a balance, which the credit note below lowers.
    credit = next((p for p in payment_types if p.active and p.due_date), cash)
    seller = next(u for u in users if u.active)
    print(
        f"Invoices below use document type {document_type.id} ({document_type.name}, "
        f"{document_type.discount_type} discounts), {iva.name}, payment '{cash.name}' and seller {seller.id}."
    )
    return document_type, iva, cash, credit, seller.id


def create_master_data(client: Client, iva: Tax) -> tuple[Any, Any]:
    heading("A customer and a product")
    suffix = uuid.uuid4().hex[:6].upper()
    customer = client.customers.create(
        person_type="Company",
        id_type="31",
        identification="900123456",  # the NIT check digit is computed locally: 8
        branch_office=int(suffix[:2], 16) % 999 + 1,
        name=["Ferretería El Tornillo S.A.S."],
        commercial_name="El Tornillo",
        fiscal_responsibilities=[{"code": "O-13"}],
        address={
            "address": "Calle 50 # 45-20 Local 3",
            "city": {"country_code": "Co", "state_code": "05", "city_code": "05001"},
        },
        phones=[{"indicative": "57", "number": "6044445566"}],
        contacts=[
            {"first_name": "Carolina", "last_name": "Mejía", "email": "facturacion@eltornillo.example.com"}
        ],
    )
    print(
        f"Customer {customer.id}: NIT {customer.identification}-{customer.check_digit}, {customer.full_name}"
    )
    account_group = next(g for g in client.account_groups.list() if g.active)
    product = client.products.create(
        code=f"TAL-{suffix}",
        name="Taladro percutor 1/2 pulgada 750 W",
        account_group=account_group.id,
        taxes=[{"id": iva.id}],
        prices=[{"currency_code": "COP", "price_list": [{"position": 1, "value": Decimal("289900")}]}],
    )
    print(f"Product {product.id}: {product.code} — {product.name}")
    for n in range(1, 11):  # a few more, so that listing them takes two pages
        client.products.create(
            code=f"TOR-{suffix}-{n:02d}",
            name=f"Tornillo drywall 6 x {n} pulgadas",
            account_group=account_group.id,
        )
    print(f"... and 10 screws TOR-{suffix}-01 to TOR-{suffix}-10")
    return customer, product


def list_back(client: Client, customer: Any, product: Any) -> None:
    heading("Listing them back (pagination)")
    customers = client.customers.list(identification=customer.identification, page_size=10)
    print(f"customers.list(identification=...): page {customers.page}, {customers.total_results} result(s)")
    found = [c for c in customers if c.id == customer.id]
    print(f"  our customer is there: {bool(found)}")
    first = client.products.list(created_start=date.today(), page_size=10)
    pages = list(first.iter_pages())
    codes = [p.code for page in pages for p in page]
    sizes = " + ".join(str(len(p.items)) for p in pages)
    print(
        f"products.list(created_start=today, page_size=10): {first.total_results} products in {len(pages)} pages ({sizes})"
    )
    print(f"  ours among them: {product.code in codes}; newest first: {codes[:3]}")


def show_local_rejection(client: Client) -> None:
    heading("Rejected locally, before any request")
    try:
        client.customers.create(
            person_type="Person",
            id_type="13",
            identification="1036654321",
            name=["Juan Camilo Restrepo Vélez"],  # a person needs [given names, surnames]
            address={
                "address": "Cra 1",
                "city": {"country_code": "Co", "state_code": "05", "city_code": "05001"},
            },
        )
    except ValidationError as exc:
        print(exc)


def invoice_flow(
    client: Client,
    document_type: DocumentType,
    iva: Tax,
    cash: PaymentType,
    credit: PaymentType,
    seller: int,
    customer: Any,
    product: Any,
) -> Invoice:
    heading("An invoice, to the cent")
    invoice: dict[str, Any] = {
        "document": {"id": document_type.id},
        "date": date.today(),
        "customer": {"identification": customer.identification, "branch_office": customer.branch_office},
        "seller": seller,
        "items": [
            {
                "code": product.code,
                "quantity": 10,
                "price": Decimal("100.00"),
                "discount": Decimal("50.00"),
                "taxes": [{"id": iva.id}],
            }
        ],
        "payments": [{"id": cash.id, "value": Decimal("1130.00"), "due_date": date.today()}],  # 0.50 short
    }
    totals = client.invoices.compute_totals(invoice)
    line = totals.lines[0]
    print(f"line: base {line.base}  IVA {line.taxes[0].value}  total {line.total}")
    print(f"invoice total {totals.total}; the payments must add up to {totals.amount_due}")

    try:
        client.invoices.create(invoice)
    except ValidationError as exc:
        print("\nWith a wrong payment the invoice is refused locally:")
        print(exc)

    invoice["payments"] = [{"id": credit.id, "value": totals.amount_due, "due_date": date.today()}]
    created = client.invoices.create(invoice)
    stamp = created.stamp.status if created.stamp else "-"
    print(f"\nCreated {created.name}: total {created.total:,.2f} COP, DIAN status {stamp}")
    print(f"Paid with '{credit.name}': the customer owes {created.balance or 0:,.2f} COP")
    pdf = client.invoices.pdf(created.id)
    path = OUTPUT_DIR / f"invoice-{created.name}.pdf"
    path.write_bytes(pdf)
    print(f"Saved its PDF ({len(pdf):,} bytes, starts with {pdf[:5]!r}) to {path}")
    return created


def credit_note_flow(client: Client, invoice: Invoice) -> None:
    heading("The customer returns 3 of the 10: a credit note")
    note_type = next(
        d
        for d in client.document_types.list(type="NC")
        if d.active and not d.is_electronic and d.automatic_number
    )
    # Lines and quantities taken from the invoice itself; the payment is Siigo's total for them.
    body = client.credit_notes.from_invoice(
        invoice, document={"id": note_type.id}, lines={0: 3}, observations="Devolución de 3 unidades"
    )
    line = body.items[0]
    print(f"returned: {line.quantity} x {line.price} with {line.discount} of the line discount")
    note = client.credit_notes.create(body)
    print(
        f"Created {note.name} against {note.invoice.name if note.invoice else invoice.name}: {note.total:,.2f} COP"
    )
    after = client.invoices.retrieve(invoice.id)
    print(f"Invoice {after.name} balance: {invoice.balance or 0:,.2f} -> {after.balance or 0:,.2f} COP")


def first_usable(client: Client, kind: KindCode) -> DocumentType:
    return next(
        d
        for d in client.document_types.list(type=kind)
        if d.active and not d.is_electronic and d.automatic_number
    )


def receipt_flow(client: Client, invoice: Invoice) -> None:
    heading("The customer pays the rest: a cash receipt")
    invoice = client.invoices.retrieve(invoice.id)
    cash = next(p for p in client.payment_types.list(document_type="RC") if p.active and not p.due_date)
    # The receipt names the invoice's open installments (prefix, number, installment) itself.
    body = client.vouchers.for_invoice(
        invoice, payment={"id": cash.id}, document={"id": first_usable(client, "RC").id}
    )
    receipt = client.vouchers.create(body)
    paid = receipt.payment.value if receipt.payment else 0
    print(f"Created {receipt.name}: {paid:,.2f} COP paid with '{cash.name}'")
    after = client.invoices.retrieve(invoice.id)
    print(f"Invoice {after.name} balance: {invoice.balance or 0:,.2f} -> {after.balance or 0:,.2f} COP")


def purchase_flow(client: Client, iva: Tax, product: Any) -> None:
    heading("The company restocks: a purchase on credit, then paid")
    supplier = client.customers.create(
        type="Supplier",
        person_type="Company",
        id_type="31",
        identification="830117028",
        branch_office=int(uuid.uuid4().hex[:2], 16) % 999 + 1,
        name=["Distribuidora Andina de Herramientas S.A."],
        fiscal_responsibilities=[{"code": "O-13"}],
        address={
            "address": "Carrera 43A # 1-50",
            "city": {"country_code": "Co", "state_code": "05", "city_code": "05001"},
        },
        phones=[{"indicative": "57", "number": "6043334455"}],
        contacts=[{"first_name": "Andrés", "last_name": "Gómez", "email": "cartera@andina.example.com"}],
    )
    on_credit = next(p for p in client.payment_types.list(document_type="FC") if p.active and p.due_date)
    purchase: dict[str, Any] = {
        "document": {"id": first_usable(client, "FC").id},
        "date": date.today(),
        "supplier": {"identification": supplier.identification, "branch_office": supplier.branch_office},
        "provider_invoice": {"prefix": "FE", "number": "4512"},
        "tax_included": True,  # the supplier's prices include IVA
        "items": [
            {
                "type": "Product",
                "code": product.code,
                "quantity": 4,
                "price": Decimal("238000"),
                "taxes": [{"id": iva.id}],
            }
        ],
    }
    totals = client.purchases.compute_totals({**purchase, "payments": []})
    line = totals.lines[0]
    print(f"4 drills at 238,000 IVA included: base {line.base:,.2f} + IVA {line.taxes[0].value:,.2f}")
    purchase["payments"] = [{"id": on_credit.id, "value": totals.amount_due, "due_date": date.today()}]
    bought = client.purchases.create(purchase)
    print(
        f"Created {bought.name}: {bought.total:,.2f} COP owed to {supplier.full_name}: {bought.balance or 0:,.2f}"
    )
    bank = next(p for p in client.payment_types.list(document_type="FC") if p.active and not p.due_date)
    body = client.payment_receipts.for_purchase(
        bought, payment={"id": bank.id}, document={"id": first_usable(client, "RP").id}
    )
    paid = client.payment_receipts.create(body)
    after = client.purchases.retrieve(bought.id)
    print(f"Paid with {paid.name} ('{bank.name}'): {bought.name} balance {after.balance or 0:,.2f} COP")


def trial_balance_flow(client: Client) -> None:
    heading("The month's trial balance, saved as a spreadsheet")
    today = date.today()
    report = client.reports.trial_balance(year=today.year, month_start=today.month, month_end=today.month)
    # The file is on Siigo's blob storage: download() fetches it without sending the Siigo token.
    content = client.reports.download(report)
    path = OUTPUT_DIR / f"balance-de-prueba-{today:%Y-%m}.xlsx"
    path.write_bytes(content)
    print(f"Report {report.file_id}: {len(content):,} bytes saved to {path}")


def main() -> int:
    with ExitStack() as stack:
        client = connect(stack)
        client.authenticate()
        print(f"Authenticated: {client!r}")
        document_type, iva, cash, credit, seller = pick_catalogs(client)
        customer, product = create_master_data(client, iva)
        list_back(client, customer, product)
        show_local_rejection(client)
        invoice = invoice_flow(client, document_type, iva, cash, credit, seller, customer, product)
        credit_note_flow(client, invoice)
        receipt_flow(client, invoice)
        purchase_flow(client, iva, product)
        trial_balance_flow(client)
    print("\nDone.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
