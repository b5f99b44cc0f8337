"""A pool of worker processes creating invoices for one Siigo company.

Every worker has its own ``Client`` with the same credentials and the same ``shared_url``: the
processes share one access token (one login for the whole pool) and the company's rate limit
(Siigo allows 100 requests a minute, 10 for a test company), so together they never get a 429.

With SIIGO_USERNAME, SIIGO_ACCESS_KEY and SIIGO_PARTNER_ID set this talks to the real API (use a
test company); otherwise it starts the local sandbox, enforcing 10 requests a minute over a
6-second window so that the run is short.  The shared state lives in SIIGO_SHARED_URL
(``redis://host:6379/0``) or, by default, in a SQLite file in a temporary folder.

Run: ``.venv/bin/python examples/worker_pool.py [--workers 4 --invoices 12]``.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import queue
import tempfile
import time
import uuid
from contextlib import ExitStack
from datetime import date
from decimal import Decimal
from typing import Any

from siigo import Client, SiigoError

CUSTOMER_NIT = "900123456"


def connection_settings(stack: ExitStack) -> dict[str, Any]:
    """Keyword arguments for ``Client`` that every worker uses."""
    shared_url = os.environ.get("SIIGO_SHARED_URL") or (
        "sqlite://" + os.path.join(stack.enter_context(tempfile.TemporaryDirectory()), "siigo-shared.db")
    )
    if all(os.environ.get(name) for name in ("SIIGO_USERNAME", "SIIGO_ACCESS_KEY", "SIIGO_PARTNER_ID")):
        return {"shared_url": shared_url, "rate_limit": int(os.environ.get("SIIGO_RATE_LIMIT", "10"))}
    from siigo.sandbox import Sandbox
    from siigo.sandbox.server import DEFAULT_ACCESS_KEY, DEFAULT_PARTNER_ID, DEFAULT_USERNAME

    sandbox = stack.enter_context(Sandbox(rate_limit=10, rate_window=6.0))
    print(f"No SIIGO_* credentials: the local sandbox at {sandbox.url}, 10 requests per 6 s")
    return {
        "username": DEFAULT_USERNAME,
        "access_key": DEFAULT_ACCESS_KEY,
        "partner_id": DEFAULT_PARTNER_ID,
        "base_url": sandbox.url,
        "shared_url": shared_url,
        "rate_limit": 10,
        "window": 6.0,
    }


def open_client(settings: dict[str, Any]) -> Client:
    """The client of one process (plain settings travel to a new process; clients do not)."""
    options = dict(settings)
    window = options.pop("window", None)
    if window is not None:
        # The sandbox's short window needs a limiter told about it (against Siigo, a number
        # of requests per minute is all it takes).
        from siigo import SqliteRateLimiter, company_key

        name = company_key(options["base_url"], options["username"]) + ":rate"
        path = options["shared_url"].removeprefix("sqlite://")
        options["rate_limit"] = SqliteRateLimiter(path, name, options["rate_limit"], period=window)
    return Client(**options)


def prepare(client: Client) -> dict[str, Any]:
    """A customer and a product for the invoices, and the parts every invoice repeats."""
    taxes = client.taxes.list()
    iva = next(t for t in taxes if t.active and t.type == "IVA" and t.percentage == Decimal(19))
    document_type = next(
        d
        for d in client.document_types.list(type="FV")
        if d.active and not d.is_electronic and d.automatic_number and not d.seller_by_item
    )
    cash = next(p for p in client.payment_types.list(document_type="FV") if p.active and not p.due_date)
    seller = next(u for u in client.users.list() if u.active)
    customer = client.customers.create(
        person_type="Company",
        id_type="31",
        identification=CUSTOMER_NIT,
        branch_office=int(uuid.uuid4().hex[:2], 16) % 999 + 1,
        name=["Ferretería El Tornillo S.A.S."],
        address={
            "address": "Calle 50 # 45-20",
            "city": {"country_code": "Co", "state_code": "05", "city_code": "05001"},
        },
        contacts=[{"first_name": "Carolina", "email": "facturacion@eltornillo.example.com"}],
    )
    account_group = next(g for g in client.account_groups.list() if g.active)
    product = client.products.create(
        code=f"TAL-{uuid.uuid4().hex[:6].upper()}",
        name="Taladro percutor 750 W",
        account_group=account_group.id,
        taxes=[{"id": iva.id}],
    )
    return {
        "document": {"id": document_type.id},
        "customer": {"identification": customer.identification, "branch_office": customer.branch_office},
        "seller": seller.id,
        "product": product.code,
        "iva": iva.id,
        "cash": cash.id,
    }


def worker(settings: dict[str, Any], parts: dict[str, Any], jobs: Any, results: Any) -> None:
    """One process: one client, invoices taken from ``jobs`` until it is empty."""
    with open_client(settings) as client:
        while True:
            try:
                number, key = jobs.get_nowait()
            except queue.Empty:
                break
            invoice: dict[str, Any] = {
                "document": parts["document"],
                "date": date.today(),
                "customer": parts["customer"],
                "seller": parts["seller"],
                "items": [
                    {
                        "code": parts["product"],
                        "quantity": 1 + number % 3,
                        "price": Decimal("289900"),
                        "taxes": [{"id": parts["iva"]}],
                    }
                ],
                "observations": f"Pedido {number}",
            }
            totals = client.invoices.compute_totals(invoice)
            invoice["payments"] = [
                {"id": parts["cash"], "value": totals.amount_due, "due_date": date.today()}
            ]
            try:
                # The key makes a retry (now or later) safe: Siigo keeps one invoice per key.
                created = client.invoices.create(invoice, idempotency_key=key)
                results.put((os.getpid(), number, created.name, None))
            except SiigoError as exc:
                results.put((os.getpid(), number, None, f"{type(exc).__name__}: {exc}"))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--invoices", type=int, default=12)
    args = parser.parse_args()
    context = multiprocessing.get_context("spawn")
    with ExitStack() as stack:
        settings = connection_settings(stack)
        with open_client(settings) as client:
            parts = prepare(client)
            logins_before = client._tokens.logins
        jobs = context.Queue()
        for number in range(1, args.invoices + 1):
            jobs.put((number, uuid.uuid4().hex[:30]))
        time.sleep(0.1)  # let the queue's feeder thread hand the jobs over
        results = context.Queue()
        started = time.monotonic()
        processes = [
            context.Process(target=worker, args=(settings, parts, jobs, results)) for _ in range(args.workers)
        ]
        for process in processes:
            process.start()
        done = [results.get(timeout=600) for _ in range(args.invoices)]
        for process in processes:
            process.join()
        elapsed = time.monotonic() - started
    failed = [row for row in done if row[3] is not None]
    by_worker: dict[int, int] = {}
    for pid, _, name, _ in done:
        if name is not None:
            by_worker[pid] = by_worker.get(pid, 0) + 1
    print(f"{len(done) - len(failed)} invoices created by {len(by_worker)} processes in {elapsed:.1f} s")
    print(
        f"  per process: {sorted(by_worker.values(), reverse=True)}; logins before the pool: {logins_before}"
    )
    for _, number, _, error in failed:
        print(f"  invoice {number} failed: {error}")
    if failed:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
