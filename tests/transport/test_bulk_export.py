"""Bulk reads: walking any number of pages holds one page, and ``Page.iter_raw()`` /
``Page.iter_json()`` stream the items as Siigo sent them without building models."""

from __future__ import annotations

import copy
import gc
import json
import tracemalloc
import uuid
from decimal import Decimal
from typing import Any

import pytest

from siigo import Client
from siigo.models.invoices import Invoice
from siigo.sandbox import Sandbox

DAY = "2026-03-04"


def _seed_invoices(sandbox: Sandbox, client: Client, count: int) -> None:
    """``count`` invoices: one created through the API, the others copies of it with their own
    id, number and amounts, stored directly (creating thousands over HTTP takes minutes)."""
    client.products.create(code="BULK-1", name="Tornillo", account_group=1821)
    client.customers.create(
        person_type="Company",
        id_type="31",
        identification="900123456",
        name=["Ferretería El Tornillo S.A.S."],
        address={
            "address": "Cra 1",
            "city": {"country_code": "Co", "state_code": "05", "city_code": "05001"},
        },
        contacts=[{"first_name": "Ana", "last_name": "Ruiz", "email": "ana@example.com"}],
    )
    created = client.invoices.create(
        document={"id": 28451},
        date=DAY,
        customer={"identification": "900123456", "branch_office": 0},
        seller=4120,
        items=[{"code": "BULK-1", "quantity": 3, "price": "100", "taxes": [{"id": 18401}]}],
        payments=[{"id": 6101, "value": "357", "due_date": DAY}],
    )
    tenant = sandbox.tenant()
    template = tenant.invoices[created.id]
    with sandbox.state.lock:
        for n in range(1, count):
            row = copy.deepcopy(template)
            row["id"] = str(uuid.uuid4())
            row["number"] = template["number"] + n
            row["name"] = f"{template['name'].rsplit('-', 1)[0]}-{row['number']}"
            row["total"] = Decimal("357") + Decimal(n) / 100
            row["observations"] = f"Pedido {n} " + "x" * 200
            tenant.invoices[row["id"]] = row


def _peak(walk: Any) -> tuple[int, int]:
    """Peak traced bytes while ``walk()`` runs, and what it returned."""
    gc.collect()
    tracemalloc.start()
    try:
        seen = walk()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return peak, seen


@pytest.mark.parametrize("read_ahead", [False, True])
def test_walking_invoices_holds_one_page_whatever_the_number_of_pages(
    siigo_sandbox: Sandbox, siigo_client: Client, read_ahead: bool
) -> None:
    _seed_invoices(siigo_sandbox, siigo_client, 400)
    # With reading ahead every walk also holds the following page's answer.
    siigo_client = siigo_client.with_options(read_ahead=read_ahead)

    def models(pages: int) -> int:
        seen = 0
        for invoice in siigo_client.invoices.list(page_size=10):
            assert isinstance(invoice, Invoice)
            seen += 1
            if seen == pages * 10:
                break
        return seen

    def raw(pages: int) -> int:
        seen = 0
        for row in siigo_client.invoices.list(page_size=10).iter_raw():
            assert isinstance(row["total"], (int, Decimal))  # exact: never a float
            seen += 1
            if seen == pages * 10:
                break
        return seen

    for walk in (models, raw):
        walk(2)  # schemas, connections, sandbox indexes: built before anything is measured
        few, seen_few = _peak(lambda walk=walk: walk(4))
        many, seen_many = _peak(lambda walk=walk: walk(40))
        assert (seen_few, seen_many) == (40, 400)
        # Ten times the pages: the peak is still about that of one page (plus the sandbox's
        # own transient work), nowhere near ten times.
        assert many < 2 * few, (walk.__name__, few, many)
        siigo_sandbox.clear_journal()
        walk(4)
        # Left on page 4: a walk that reads ahead has asked for page 5 as well.
        asked = len(siigo_sandbox.journal(method="GET", path="^/v1/invoices$"))
        assert asked == (5 if read_ahead else 4), (walk.__name__, asked)


def test_iter_raw_gives_every_item_of_every_page_as_siigo_sent_it(
    siigo_sandbox: Sandbox, siigo_client: Client
) -> None:
    _seed_invoices(siigo_sandbox, siigo_client, 35)
    first = siigo_client.invoices.list(page_size=10)
    as_models = list(first)
    as_rows = list(first.iter_raw())
    assert len(as_rows) == len(as_models) == 35
    assert [r["id"] for r in as_rows] == [m.id for m in as_models]
    assert [r["total"] for r in as_rows] == [m.total for m in as_models]
    stored = siigo_sandbox.tenant().invoices
    assert all(r["total"] == stored[r["id"]]["total"] for r in as_rows)
    assert all(isinstance(r, dict) and isinstance(r["metadata"]["created"], str) for r in as_rows)
    # Only pages of ten, one request each: the first page is not read twice.
    journal = siigo_sandbox.journal(method="GET", path="^/v1/invoices$")
    pages = [entry.query for entry in journal]
    assert len(pages) == 1 + 3 + 3, pages  # list(first) read 3 more pages; iter_raw 3 again


def test_iter_json_writes_exact_json_lines(siigo_sandbox: Sandbox, siigo_client: Client) -> None:
    _seed_invoices(siigo_sandbox, siigo_client, 12)
    tenant = siigo_sandbox.tenant()
    tenant.invoices[next(iter(tenant.invoices))]["total"] = Decimal("12345678901.123456789")
    lines = list(siigo_client.invoices.list(page_size=10).iter_json())
    assert len(lines) == 12 and all("\n" not in line for line in lines)
    rows = [json.loads(line, parse_float=Decimal) for line in lines]
    assert {r["id"] for r in rows} == set(tenant.invoices)
    assert Decimal("12345678901.123456789") in {r["total"] for r in rows}


def test_iter_raw_of_a_filtered_page_keeps_the_filter(siigo_client: Client) -> None:
    for n in range(12):
        siigo_client.products.create(code=f"RAW{n:02d}", name=f"Producto {n}", account_group=1821)
    rows = list(siigo_client.products.list(page_size=10).iter_raw())
    assert [r["code"] for r in rows] == [f"RAW{n:02d}" for n in reversed(range(12))]
    one = list(siigo_client.products.list(code="RAW03").iter_raw())
    assert [r["code"] for r in one] == ["RAW03"]


def test_a_catalog_streams_like_a_page(siigo_client: Client) -> None:
    taxes = siigo_client.taxes.list()
    rows = list(taxes.iter_raw())
    assert [r["id"] for r in rows] == [t.id for t in taxes]
    assert [json.loads(line)["id"] for line in taxes.iter_json()] == [t.id for t in taxes]
