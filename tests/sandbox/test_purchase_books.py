"""The books a purchase posts, as a property over random purchases sent over loopback HTTP: every
purchase balances and debits its total, the balance is what its credit payments left owed,
products enter stock, the company's books stay balanced, and a deletion leaves no trace."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from siigo import Client
from siigo.models.catalogs import Tax
from siigo.models.purchases import PurchaseCreateParams
from siigo.rules import tax_rates
from siigo.sandbox import Sandbox, ledger
from siigo.totals import compute_document

from ..resources.test_invoices import NIT, TODAY
from ..resources.test_purchases import CASH_OUT, CREDIT, DUE, PURCHASE_TYPE, _stock

D = Decimal
CENT = D("0.01")

ITEMS: st.SearchStrategy[dict[str, Any]] = st.sampled_from(
    [
        {"type": "Product", "code": "TAL-750-001", "warehouse": 3301},
        {"type": "Product", "code": "SKU-1"},
        {"type": "Account", "code": "51354001"},
        {"type": "FixedAsset", "code": "9101"},
    ]
)
TAXES: st.SearchStrategy[list[int]] = st.sampled_from([[], [18401], [18402], [18401, 18405], [18401, 18404]])


@st.composite
def purchases(draw: st.DrawFn) -> dict[str, Any]:
    items = []
    for _ in range(draw(st.integers(1, 3))):
        item: dict[str, Any] = dict(draw(ITEMS))
        item["quantity"] = D(draw(st.integers(1, 500))) / (100 if draw(st.booleans()) else 1)
        item["price"] = D(draw(st.integers(100, 10**9))) / 100  # at least 1.00: never worth 0.00
        taxes = draw(TAXES)
        if taxes:
            item["taxes"] = [{"id": t} for t in taxes]
        items.append(item)
    body: dict[str, Any] = {
        "document": {"id": PURCHASE_TYPE},
        "date": TODAY.isoformat(),
        "supplier": {"identification": NIT},
        "provider_invoice": {"prefix": "FE", "number": str(draw(st.integers(1, 10**11 - 1)))},
        "tax_included": draw(st.booleans()),
        "items": items,
        "payments": [],
    }
    retentions = draw(st.sampled_from([[], [18410], [18411], [18410, 18411]]))
    if retentions:
        body["retentions"] = [{"id": r} for r in retentions]
    body["credit_parts"] = draw(st.lists(st.booleans(), min_size=1, max_size=3))
    return body


def _amount_due(body: dict[str, Any], sandbox: Sandbox) -> Decimal:
    params = PurchaseCreateParams.model_validate({**body, "payments": [{"id": CASH_OUT, "value": "1"}]})
    taxes = {row["id"]: Tax.model_validate(row) for row in sandbox.tenant().catalogs["taxes"]}
    return compute_document(
        params.line_inputs(), taxes=tax_rates(taxes), retentions=params.retention_ids()
    ).amount_due


def _split(total: Decimal, credit_parts: list[bool]) -> list[dict[str, Any]]:
    parts = credit_parts if total >= CENT * len(credit_parts) else credit_parts[:1]
    share = (total / len(parts)).quantize(CENT, rounding="ROUND_DOWN")
    values = [share] * (len(parts) - 1) + [total - share * (len(parts) - 1)]
    return [
        {"id": CREDIT, "value": value, "due_date": DUE} if credit else {"id": CASH_OUT, "value": value}
        for value, credit in zip(values, parts, strict=True)
    ]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=purchases())
def test_random_purchases_keep_the_books_balanced_and_leave_nothing_when_deleted(
    body: dict[str, Any], shop: Client, siigo_sandbox: Sandbox
) -> None:
    credit_parts = body.pop("credit_parts")
    due = _amount_due(body, siigo_sandbox)
    body["payments"] = _split(due, credit_parts)
    stocked = sum((i["quantity"] for i in body["items"] if i["code"] == "TAL-750-001"), D(0))
    before = _stock(siigo_sandbox, "TAL-750-001", 3301)
    tenant = siigo_sandbox.tenant()

    purchase = shop.purchases.create(body)

    owed = sum((D(p["value"]) for p in body["payments"] if p["id"] == CREDIT), D(0))
    assert purchase.balance == owed
    assert sum(d["balance"] for d in ledger.dues_of(tenant, purchase.id)) == owed
    rows = tenant.ledger["movements"][purchase.id]
    debits = sum((m["debit"] for m in rows), D(0))
    assert debits == sum((m["credit"] for m in rows), D(0)) == purchase.total
    assert _stock(siigo_sandbox, "TAL-750-001", 3301) == before + stocked
    every = list(ledger.movements(tenant))
    assert sum(m["debit"] for m in every) == sum(m["credit"] for m in every)

    shop.purchases.delete(purchase.id)

    assert purchase.id not in tenant.ledger["movements"]
    assert ledger.dues_of(tenant, purchase.id) == []
    assert _stock(siigo_sandbox, "TAL-750-001", 3301) == before
