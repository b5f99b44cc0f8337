"""The sandbox as a test suite feels it: walking large catalogs, and reads under concurrency.

* Walking every product (``page_size=100``) of a company with 10 000 and with 50 000 products,
  with a bare ``http.client`` connection (so the time is the sandbox's).  The companies are
  written to a state file and loaded with ``--state`` (creating 50 000 products over HTTP would
  take minutes).  Target: linear, 50 000 in ≤ 5× the time of 10 000 (main before issue 14:
  10 000 took 1.8 s, growing with the square of the count).
* Walking every sales invoice (``GET /v1/invoices``, ``page_size=100``) of companies with
  10 000 and 50 000 invoices, the same way: the document store is one for every kind, and a
  page of it should cost its own size (before issue 14's second round every page filtered every
  document, so walking grew with the square of the count).  Target: linear, as for products.
* ``GET /v1/products/{id}`` from 1, 4 and 16 concurrent keep-alive clients (threads, one
  connection each) for a few seconds: requests per second.  Target: does not fall as clients
  are added (main: ~1 000 req/s, falling).
Run: ``.venv/bin/python benchmarks/bench_sandbox_scale.py [--quick]``.
"""

from __future__ import annotations

import copy
import http.client
import json
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import requests
from _common import ACCESS_KEY, PARTNER_ID, sandbox_process, summary, table

from siigo.sandbox import Sandbox
from siigo.sandbox.demo import seed_demo
from siigo.sandbox.persist import save_state

QUICK = "--quick" in sys.argv
SIZES = (2_000, 10_000) if QUICK else (10_000, 50_000)
CLIENTS = (1, 4, 16)
SECONDS = 2.0 if QUICK else 4.0


def _invoice_template(sandbox: Sandbox) -> dict[str, Any]:
    """One stored invoice of the default company (the demo data's first)."""
    client = sandbox.client()
    seed_demo(client, 1)
    client.close()
    return copy.deepcopy(next(iter(sandbox.tenant().invoices.values())))


def write_state(path: Path) -> dict[int, str]:
    """A state file with one company per size for products, and one per size for invoices; the
    first product id of each."""
    with Sandbox() as sandbox:
        client = sandbox.client()
        template = client.products.create(code="TPL", name="Producto", account_group=1821).model_dump()
        client.close()
        stored = copy.deepcopy(sandbox.tenant().products[template["id"]])
        invoice = _invoice_template(sandbox)
        first: dict[int, str] = {}
        for size in SIZES:
            tenant = sandbox.state.tenant(f"escala{size}@example.com")
            for n in range(size):
                product = copy.deepcopy(stored)
                product["id"] = str(uuid.uuid4())
                product["code"] = f"E{n:06d}"
                product["name"] = f"Producto {n}"
                tenant.products[product["id"]] = product
                first.setdefault(size, product["id"])
            invoiced = sandbox.state.tenant(f"facturas{size}@example.com")
            for n in range(size):
                row = copy.deepcopy(invoice)
                row["id"] = str(uuid.uuid4())
                row["number"] = n + 1
                row["name"] = f"FV-1-{n + 1}"
                invoiced.invoices[row["id"]] = row
        save_state(sandbox.state, path)
    return first


def token(url: str, username: str) -> dict[str, str]:
    answer = requests.post(url + "/auth", json={"username": username, "access_key": ACCESS_KEY}, timeout=30)
    return {
        "Authorization": "Bearer " + answer.json()["access_token"],
        "Partner-Id": PARTNER_ID,
        "Accept": "application/json",
    }


def walk(url: str, headers: dict[str, str], path: str = "/v1/products") -> tuple[int, float]:
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=120)
    started = time.perf_counter()
    seen, page = 0, 1
    while True:
        connection.request("GET", f"{path}?page={page}&page_size=100", headers=headers)
        results = json.loads(connection.getresponse().read())["results"]
        if not results:
            break
        seen += len(results)
        page += 1
    elapsed = time.perf_counter() - started
    connection.close()
    return seen, elapsed


def throughput(url: str, headers: dict[str, str], product_id: str, clients: int) -> float:
    parts = urlsplit(url)
    stop = threading.Event()
    counts = [0] * clients
    start = threading.Barrier(clients + 1)

    def run(index: int) -> None:
        connection = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=60)
        connection.request("GET", f"/v1/products/{product_id}", headers=headers)
        connection.getresponse().read()
        start.wait()
        while not stop.is_set():
            connection.request("GET", f"/v1/products/{product_id}", headers=headers)
            response = connection.getresponse()
            response.read()
            assert response.status == 200, response.status
            counts[index] += 1
        connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(clients)]
    for thread in threads:
        thread.start()
    start.wait()
    began = time.perf_counter()
    time.sleep(SECONDS)
    stop.set()
    for thread in threads:
        thread.join()
    return sum(counts) / (time.perf_counter() - began)


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "state.json"
        first = write_state(path)
        with sandbox_process("--state", str(path)) as url:
            walks: dict[int, dict[str, Any]] = {size: {"runs": []} for size in SIZES}
            logins = {size: token(url, f"escala{size}@example.com") for size in SIZES}
            for _ in range(3):  # interleaved, so that a noisy neighbour hurts both sizes alike
                for size in SIZES:
                    seen, seconds = walk(url, logins[size])
                    assert seen == size, (seen, size)
                    walks[size]["runs"].append(seconds)
            for size in SIZES:
                walks[size]["seconds"] = min(walks[size]["runs"])
            invoice_walks: dict[int, dict[str, Any]] = {size: {"runs": []} for size in SIZES}
            invoice_logins = {size: token(url, f"facturas{size}@example.com") for size in SIZES}
            for _ in range(3):
                for size in SIZES:
                    seen, seconds = walk(url, invoice_logins[size], "/v1/invoices")
                    assert seen == size, (seen, size)
                    invoice_walks[size]["runs"].append(seconds)
            for size in SIZES:
                invoice_walks[size]["seconds"] = min(invoice_walks[size]["runs"])
            headers = token(url, f"escala{SIZES[0]}@example.com")
            rates = {clients: throughput(url, headers, first[SIZES[0]], clients) for clients in CLIENTS}
            rates_again = {clients: throughput(url, headers, first[SIZES[0]], clients) for clients in CLIENTS}
            rates = {c: max(rates[c], rates_again[c]) for c in CLIENTS}
    small, large = SIZES
    growth = walks[large]["seconds"] / walks[small]["seconds"]
    table(
        "Walking every product with page_size=100 (bare http.client; best of 3, interleaved)",
        ["products", "seconds", "µs per product"],
        [[size, f"{w['seconds']:.2f}", f"{w['seconds'] / size * 1e6:.0f}"] for size, w in walks.items()],
    )
    print(f"\n{large} vs {small}: {growth:.2f}× the time for {large / small:.0f}× the products (target ≤ 5×)")
    invoice_growth = invoice_walks[large]["seconds"] / invoice_walks[small]["seconds"]
    table(
        "Walking every sales invoice with page_size=100 (bare http.client; best of 3, interleaved)",
        ["invoices", "seconds", "µs per invoice"],
        [
            [size, f"{w['seconds']:.2f}", f"{w['seconds'] / size * 1e6:.0f}"]
            for size, w in invoice_walks.items()
        ],
    )
    print(
        f"\n{large} vs {small}: {invoice_growth:.2f}× the time for {large / small:.0f}× the invoices (target ≤ 5×)"
    )
    table(
        "GET /v1/products/{id}, concurrent keep-alive clients (best of 2 runs)",
        ["clients", "requests/s", "vs 1 client"],
        [[c, f"{r:,.0f}", f"{r / rates[1]:.2f}×"] for c, r in rates.items()],
    )
    checks = {
        "walk_linear": growth <= 5.0,
        "invoice_walk_linear": invoice_growth <= 5.0,
        "get_does_not_fall": rates[CLIENTS[-1]] >= 0.9 * rates[1],
    }
    print("\nTargets:", ", ".join(f"{k}={'met' if v else 'MISSED'}" for k, v in checks.items()))
    summary(
        "sandbox_scale",
        {
            "walk_seconds": {str(k): round(v["seconds"], 3) for k, v in walks.items()},
            "walk_growth": round(growth, 3),
            "invoice_walk_seconds": {str(k): round(v["seconds"], 3) for k, v in invoice_walks.items()},
            "invoice_walk_growth": round(invoice_growth, 3),
            "get_per_second": {str(k): round(v) for k, v in rates.items()},
            "targets": checks,
        },
    )


if __name__ == "__main__":
    main()
