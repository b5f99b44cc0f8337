"""siigo-python webhooks quickstart: keep a shop's stock in sync with Siigo.

It starts the embedded Siigo sandbox and a local webhook receiver (the SDK's WSGI app on
127.0.0.1, with a secret in its path), subscribes the receiver to stock updates, sells a
stock-controlled product with an invoice, and prints the stock the event brought.

Run it with ``.venv/bin/python examples/webhooks_quickstart.py``.  Against the real Siigo the
receiver must be reachable over HTTPS from the internet (see docs/webhooks.md).
"""

from __future__ import annotations

import queue
import secrets
import sys
import threading
from contextlib import ExitStack
from datetime import date
from decimal import Decimal
from typing import Any
from wsgiref.simple_server import WSGIRequestHandler, make_server

from siigo.models.webhooks import TOPIC_STOCK_UPDATE
from siigo.sandbox import Sandbox
from siigo.webhooks import ProductStockUpdateEvent, WebhookEvent, WebhookReceiver

WAIT_SECONDS = 15.0


class QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


def show(event: ProductStockUpdateEvent) -> None:
    by_warehouse = ", ".join(f"{w.name}: {w.quantity}" for w in event.warehouses or ())
    print(f"  event {event.topic}: {event.code} has {event.available_quantity} in stock ({by_warehouse})")


def main() -> int:
    events: queue.Queue[WebhookEvent] = queue.Queue()
    with ExitStack() as stack:
        sandbox = stack.enter_context(Sandbox())
        client = stack.enter_context(sandbox.client())
        company = sandbox.tenant()
        print(f"Embedded Siigo sandbox at {sandbox.url}, company {company.company_key}")

        # 1. The receiver: only this company's events, only on the secret path.
        path_secret = secrets.token_urlsafe(24)
        receiver = WebhookReceiver(
            events.put, company_key=company.company_key, username=company.username, path_secret=path_secret
        )
        stack.callback(receiver.close)
        server = make_server("127.0.0.1", 0, receiver, handler_class=QuietHandler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        stack.callback(server.server_close)
        stack.callback(server.shutdown)
        url = f"http://127.0.0.1:{server.server_port}/hooks/siigo/{path_secret}"
        print(f"Receiver listening on http://127.0.0.1:{server.server_port}/hooks/siigo/<secret>")

        # 2. Subscribe it to stock updates (subscribing again would return the same subscription).
        subscription = client.webhooks.create(application_id="MiTienda", topic=TOPIC_STOCK_UPDATE, url=url)
        print(f"Subscribed: {subscription!r}")

        # 3. A stock-controlled product with 20 units in the main warehouse.
        iva = next(t for t in client.taxes.list() if t.active and t.type == "IVA" and t.percentage == 19)
        group = next(g for g in client.account_groups.list() if g.active)
        product = client.products.create(
            code="TAL-750-001",
            name="Taladro percutor 1/2 pulgada 750 W",
            account_group=group.id,
            stock_control=True,
            taxes=[{"id": iva.id}],
        )
        warehouse = next(w for w in client.warehouses.list() if w.active)
        sandbox.set_stock(product.id, 20, warehouse=warehouse.id)  # an inventory adjustment
        print(f"\nProduct {product.code} created; 20 units put in {warehouse.name}:")
        show(next_stock_event(events))

        # 4. Sell 3 of them.
        customer = client.customers.create(
            person_type="Company",
            id_type="31",
            identification="900123456",
            name=["Ferretería El Tornillo S.A.S."],
            address={
                "address": "Calle 50 # 45-20",
                "city": {"country_code": "Co", "state_code": "05", "city_code": "05001"},
            },
            contacts=[
                {
                    "first_name": "Carolina",
                    "last_name": "Mejía",
                    "email": "facturacion@eltornillo.example.com",
                }
            ],
        )
        document_type = next(
            d
            for d in client.document_types.list(type="FV")
            if d.active and not d.is_electronic and d.automatic_number and not d.seller_by_item
        )
        cash = next(p for p in client.payment_types.list(document_type="FV") if p.active and not p.due_date)
        seller = next(u for u in client.users.list() if u.active)
        invoice: dict[str, Any] = {
            "document": {"id": document_type.id},
            "date": date.today(),
            "customer": {"identification": customer.identification, "branch_office": customer.branch_office},
            "seller": seller.id,
            "items": [
                {
                    "code": product.code,
                    "quantity": 3,
                    "price": Decimal("289900"),
                    "taxes": [{"id": iva.id}],
                    "warehouse": warehouse.id,
                }
            ],
        }
        total = client.invoices.compute_totals(
            document=invoice["document"], items=invoice["items"]
        ).amount_due
        invoice["payments"] = [{"id": cash.id, "value": total, "due_date": date.today()}]
        sold = client.invoices.create(invoice)
        print(f"\nInvoice {sold.name} sells 3 units ({sold.total:,.2f} COP):")
        show(next_stock_event(events))

        sandbox.wait_for_webhooks(WAIT_SECONDS)
        [delivery] = sandbox.webhook_deliveries()[-1:]
        attempt = delivery["attempts"][-1]
        print(
            f"\nLast delivery: {delivery['state']}, HTTP {attempt['status']} in {attempt['latency_ms']:.1f} ms"
        )
    print("Done.")
    return 0


def next_stock_event(events: queue.Queue[WebhookEvent]) -> ProductStockUpdateEvent:
    """The next stock event the receiver handed over (they arrive within milliseconds)."""
    while True:
        event = events.get(timeout=WAIT_SECONDS)
        if isinstance(event, ProductStockUpdateEvent):
            return event


if __name__ == "__main__":
    sys.exit(main())
