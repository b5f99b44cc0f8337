"""A chaos run: create invoices through one client while the sandbox injects faults, then audit.

Faults hit a random share of the requests: 429 with and without ``Retry-After``, 500, 503,
answers delayed past the client's read timeout (the invoice is still created), and connections
dropped after the invoice was committed.  They hit the invoice creations and, at the same rate,
everything around them: logins (tokens are expired by the sandbox's clock every
``expire_every`` invoices) and the catalog reads of the preflight (the client's catalog cache
is emptied every ``refresh_every`` invoices).  Afterwards every invoice whose ``create`` returned must
exist exactly once; every ``create`` that raised must have raised a typed error carrying its
idempotency key, and retrying with that key must return the same invoice, never a second one.

Used by ``benchmarks/chaos.py`` (300+ invoices, a sandbox in another process) and by the test
suite (a smaller run).  It drives the sandbox only through its HTTP control plane, so it works
against a sandbox in this process or another one.
"""

from __future__ import annotations

import datetime as _dt
import re
import time
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import requests

from .._transport import Timeout
from ..client import Client
from ..errors import SiigoError

__all__ = ["FAULT_MIX", "ChaosReport", "run_chaos"]

FAULT_MIX: tuple[tuple[str, dict[str, Any]], ...] = (
    ("429 with Retry-After", {"status": 429, "retry_after": 0.2}),
    ("429 without Retry-After", {"status": 429}),
    ("500", {"status": 500}),
    ("503", {"status": 503}),
    ("delay past read timeout", {"delay": None}),
    ("dropped after commit", {"drop": "after"}),
)
"""Fault kinds, each given an equal share of the fault rate."""


_INVOICE_POSTS = "^/v1/invoices$"
_AROUND = "^/(auth|v1/(?!invoices$).*)$"
"""Logins and every ``/v1`` route except the invoice creation itself."""


@dataclass
class ChaosReport:
    invoices: int
    attempts: int = 0
    faults: dict[str, int] = field(default_factory=dict)
    other_requests: int = 0
    other_faults: dict[str, int] = field(default_factory=dict)
    successes: int = 0
    typed_failures: int = 0
    failures_by_error: dict[str, int] = field(default_factory=dict)
    failures_without_key: int = 0
    untyped_failures: int = 0
    recovered: int = 0
    duplicates: int = 0
    lost: int = 0
    seconds: float = 0.0
    retries: int = 0
    """Invoice POSTs that repeated an earlier one's idempotency key (a create that failed before
    reaching Siigo, e.g. at its login or catalog read, makes no attempt at all)."""

    @property
    def ok(self) -> bool:
        return (
            self.duplicates == 0
            and self.lost == 0
            and self.untyped_failures == 0
            and self.failures_without_key == 0
            and self.recovered == self.typed_failures
        )

    def rows(self) -> list[tuple[str, str]]:
        rows = [("invoices asked", str(self.invoices)), ("HTTP attempts", str(self.attempts))]
        rows += [(f"  fault: {kind}", str(count)) for kind, count in sorted(self.faults.items())]
        rows += [("other requests (logins, catalogs)", str(self.other_requests))]
        rows += [(f"  fault: {kind}", str(count)) for kind, count in sorted(self.other_faults.items())]
        rows += [
            ("retries", str(self.retries)),
            ("successes", str(self.successes)),
            ("typed failures (with key)", str(self.typed_failures)),
            *[(f"  {name}", str(count)) for name, count in sorted(self.failures_by_error.items())],
            ("failures without key", str(self.failures_without_key)),
            ("untyped failures", str(self.untyped_failures)),
            ("recovered by retrying the key", str(self.recovered)),
            ("duplicates", str(self.duplicates)),
            ("lost", str(self.lost)),
            ("seconds", f"{self.seconds:.1f}"),
        ]
        return rows

    def as_dict(self) -> dict[str, Any]:
        return {
            "invoices": self.invoices,
            "attempts": self.attempts,
            "faults": dict(self.faults),
            "other_requests": self.other_requests,
            "other_faults": dict(self.other_faults),
            "retries": self.retries,
            "successes": self.successes,
            "typed_failures": self.typed_failures,
            "failures_by_error": dict(self.failures_by_error),
            "failures_without_key": self.failures_without_key,
            "untyped_failures": self.untyped_failures,
            "recovered": self.recovered,
            "duplicates": self.duplicates,
            "lost": self.lost,
            "seconds": round(self.seconds, 2),
            "ok": self.ok,
        }


def _control(client: Client, method: str, path: str, **kwargs: Any) -> Any:
    response = requests.request(method, f"{client.base_url}/_sandbox{path}", timeout=30, **kwargs)
    response.raise_for_status()
    return response.json()


def _setup(client: Client, run: str) -> tuple[dict[str, Any], Decimal]:
    identification = str(800_000_000 + int(run[-6:], 16) % 99_999_999)
    client.customers.create(
        person_type="Company",
        id_type="31",
        identification=identification,
        name=[f"Cliente caos {run}"],
        address={
            "address": "Calle 1",
            "city": {"country_code": "Co", "state_code": "11", "city_code": "11001"},
        },
        contacts=[{"first_name": "Caos", "last_name": "Prueba", "email": "caos@example.com"}],
    )
    client.products.create(code=f"CHAOS{run}", name="Servicio de prueba", account_group=1822, type="Service")
    today = _dt.date.today()
    body: dict[str, Any] = {
        "document": {"id": 28451},
        "date": today,
        "customer": {"identification": identification, "branch_office": 0},
        "seller": 4120,
        "items": [
            {"code": f"CHAOS{run}", "quantity": 1, "price": Decimal("100000"), "taxes": [{"id": 18401}]}
        ],
    }
    total = client.invoices.compute_totals(body).amount_due
    body["payments"] = [{"id": 6101, "value": total, "due_date": today}]
    return body, total


def run_chaos(
    client: Client,
    *,
    invoices: int = 300,
    fault_rate: float = 0.2,
    delay: float | None = None,
    run: str | None = None,
    refresh_every: int = 20,
    expire_every: int = 50,
) -> ChaosReport:
    """Create ``invoices`` invoices under faults and audit the result (see the module docstring).

    ``client`` must point at a sandbox.  Its retry policy and read timeout decide how many
    creates give up; a delay fault waits ``delay`` seconds (default: the read timeout + 0.3 s).
    """
    run = run or f"{int(time.time() * 1000) % 16**6:06X}"
    # Setting up, retrying the failures and auditing are not under test: they run with generous
    # timeouts (on the same connections and token), so a slow moment of a busy machine cannot
    # pass for a fault there.
    steady = client.with_options(timeout=Timeout(connect=10.0, read=60.0))
    _control(client, "DELETE", "/faults")
    body, _ = _setup(steady, run)
    share = fault_rate / len(FAULT_MIX)
    wait = delay if delay is not None else client.timeout.read + 0.3
    for index, (_, fault) in enumerate(FAULT_MIX):
        spec = dict(fault)
        if "delay" in spec:
            spec["delay"] = wait
        # Faults are tried in order, each on what the previous ones let through.
        probability = min(1.0, share / max(1e-9, 1.0 - share * index))
        for path, method in ((_INVOICE_POSTS, "POST"), (_AROUND, None)):
            _control(
                client,
                "POST",
                "/faults",
                json={"path": path, "method": method, "count": None, "probability": probability, **spec},
            )
    _control(client, "DELETE", "/journal")

    report = ChaosReport(invoices=invoices)
    created: dict[str, str] = {}
    failed: list[str] = []
    errors: Counter[str] = Counter()
    started = time.monotonic()
    for n in range(invoices):
        if n and refresh_every and n % refresh_every == 0:
            client.catalog_cache.invalidate()
        if n and expire_every and n % expire_every == 0:
            _control(client, "POST", "/clock", json={"advance": 25 * 3600})
        key = f"CHAOS{run}N{n:05d}"
        try:
            invoice = client.invoices.create({**body, "observations": key}, idempotency_key=key)
        except SiigoError as exc:
            errors[type(exc).__name__] += 1
            if exc.idempotency_key == key:
                report.typed_failures += 1
                failed.append(key)
            else:
                report.failures_without_key += 1
            continue
        except Exception:  # anything else is a bug this run exists to find
            report.untyped_failures += 1
            continue
        report.successes += 1
        created[key] = invoice.id
    report.seconds = time.monotonic() - started
    report.failures_by_error = dict(errors)

    journal: list[dict[str, Any]] = _control(client, "GET", "/journal")
    mine = [row for row in journal if row["method"] == "POST" and re.match(_INVOICE_POSTS, row["path"])]
    around = [row for row in journal if re.match(_AROUND, row["path"])]
    report.attempts = len(mine)
    report.retries = len(mine) - len({row["idempotency_key"] for row in mine})
    report.faults = dict(Counter(FAULT_NAMES.get(row["fault"], row["fault"]) for row in mine if row["fault"]))
    report.other_requests = len(around)
    report.other_faults = dict(
        Counter(FAULT_NAMES.get(row["fault"], row["fault"]) for row in around if row["fault"])
    )

    # Faults off: every failed create is retried with its key and must give one invoice.
    _control(client, "DELETE", "/faults")
    for key in failed:
        try:
            invoice = steady.invoices.create({**body, "observations": key}, idempotency_key=key)
        except SiigoError:
            continue
        report.recovered += 1
        created[key] = invoice.id

    # Audit: each key must appear on exactly one invoice, and every returned id must exist.
    seen: Counter[str] = Counter()
    ids_by_key: dict[str, set[str]] = {}
    for invoice in steady.invoices.list(
        customer_identification=body["customer"]["identification"], page_size=100
    ):
        key = invoice.observations or ""
        if key.startswith(f"CHAOS{run}N"):
            seen[key] += 1
            ids_by_key.setdefault(key, set()).add(invoice.id)
    report.duplicates = sum(count - 1 for count in seen.values() if count > 1)
    report.lost = sum(
        1 for key, invoice_id in created.items() if invoice_id not in ids_by_key.get(key, set())
    )
    report.lost += sum(1 for key in failed if key not in created)
    return report


FAULT_NAMES = {
    "status_429_retry_after": "429 with Retry-After",
    "status_429": "429 without Retry-After",
    "status_500": "500",
    "status_503": "503",
    "delay": "delay past read timeout",
    "drop_after": "dropped after commit",
}
