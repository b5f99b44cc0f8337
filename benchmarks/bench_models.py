"""Model throughput: validate 10 000 invoice responses from bytes (``Invoice.model_validate_json``).

Each payload is a realistic sales invoice (the shape of siigo-api.md D.5: 2 to 6 items with
taxes, retentions, payments, stamp, mail, metadata) with its own ids and amounts.
Run: ``.venv/bin/python benchmarks/bench_models.py``.
"""

from __future__ import annotations

import json
import random
import time
import uuid
from decimal import Decimal

from _common import summary, table

from siigo.models.invoices import Invoice

COUNT = 10_000


def payload(rng: random.Random, number: int) -> bytes:
    items = []
    for _ in range(rng.randint(2, 6)):
        quantity = rng.randint(1, 20)
        price = Decimal(rng.randint(1000, 500000)) / 100
        base = quantity * price
        iva = (base * Decimal("0.19")).quantize(Decimal("0.01"))
        items.append(
            {
                "id": str(uuid.UUID(int=rng.getrandbits(128))),
                "code": f"SKU-{rng.randint(1, 9999)}",
                "description": "Artículo de ferretería",
                "quantity": quantity,
                "price": float(price),
                "discount": {"percentage": 0, "value": 0},
                "taxes": [
                    {"id": 18401, "name": "IVA 19%", "type": "IVA", "percentage": 19, "value": float(iva)}
                ],
                "total": float(base + iva),
            }
        )
    total = sum(Decimal(str(i["total"])) for i in items)
    body = {
        "id": str(uuid.UUID(int=rng.getrandbits(128))),
        "document": {"id": 28451},
        "prefix": "FV",
        "number": number,
        "name": f"FV-1-{number}",
        "date": "2026-03-04",
        "customer": {"id": str(uuid.uuid4()), "identification": "900123456", "branch_office": 0},
        "cost_center": 7701,
        "seller": 4120,
        "retentions": [
            {"id": 18410, "name": "ReteIVA 15%", "type": "ReteIVA", "percentage": 15, "value": 10.5}
        ],
        "advance_payment": 0,
        "total": float(total),
        "balance": 0,
        "observations": "Pedido web",
        "items": items,
        "payments": [{"id": 6101, "name": "Efectivo", "value": float(total), "due_date": "2026-03-04"}],
        "stamp": {"status": "Draft", "cufe": "", "observations": "", "errors": ""},
        "mail": {"status": "not_sent", "observations": ""},
        "public_url": "https://documentview.siigo.com/document?data=abc",
        "metadata": {"created": "2026-03-04T16:40:05.1120000+00:00", "last_updated": None},
        "annulled": False,
    }
    return json.dumps(body).encode()


def main() -> None:
    rng = random.Random(20261123)
    payloads = [payload(rng, 1000 + n) for n in range(COUNT)]
    size = sum(len(p) for p in payloads) / COUNT
    Invoice.model_validate_json(payloads[0])  # build the validator before timing
    rounds = []
    for _ in range(3):
        started = time.perf_counter()
        for raw in payloads:
            Invoice.model_validate_json(raw)
        rounds.append(time.perf_counter() - started)
    best = min(rounds)
    per_invoice = best / COUNT * 1e6
    table(
        "Invoice.model_validate_json over 10 000 invoice responses (best of 3 rounds)",
        ["invoices", "mean bytes", "seconds", "µs per invoice", "invoices/s"],
        [[COUNT, f"{size:.0f}", f"{best:.3f}", f"{per_invoice:.1f}", f"{COUNT / best:,.0f}"]],
    )
    summary(
        "models",
        {
            "invoices": COUNT,
            "mean_bytes": round(size),
            "seconds": round(best, 4),
            "us_per_invoice": round(per_invoice, 2),
        },
    )


if __name__ == "__main__":
    main()
