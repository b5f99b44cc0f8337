"""A small chaos run in the suite (benchmarks/chaos.py runs 300+ invoices)."""

from __future__ import annotations

from collections.abc import Callable

from siigo import Client, RetryPolicy
from siigo.sandbox import Sandbox
from siigo.sandbox.chaos import run_chaos


def test_faults_never_duplicate_or_lose_an_invoice(
    siigo_sandbox: Sandbox, make_client: Callable[..., Client]
) -> None:
    client = make_client(
        timeout=(2.0, 0.4),
        retry=RetryPolicy(max_retries=1, backoff_base=0.01, backoff_max=0.05, retry_after_max=0.3),
    )
    report = run_chaos(client, invoices=60, fault_rate=0.4, delay=0.6, refresh_every=5, expire_every=15)
    summary = report.as_dict()  # shown with any failed assertion below
    assert report.faults, ("the run must actually inject faults", summary)
    # Logins and catalog reads were faulted too, not only the invoice creations.
    assert report.other_requests >= 20 and sum(report.other_faults.values()) >= 1, summary
    assert sum(report.faults.values()) >= 10, summary
    assert report.retries > 0, summary  # faults caused retries with the same key
    assert report.successes + report.typed_failures == report.invoices, summary
    assert report.untyped_failures == 0, summary
    assert report.failures_without_key == 0, summary
    assert report.recovered == report.typed_failures, summary
    assert report.duplicates == 0, summary
    assert report.lost == 0, summary
    assert report.ok, summary
    # Each invoice of the run exists exactly once in the sandbox.
    tenant = siigo_sandbox.tenant()
    keys = [inv.get("observations") for inv in tenant.invoices.values()]
    assert len(keys) == len(set(keys)) == report.invoices
