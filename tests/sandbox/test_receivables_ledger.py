"""The receivable side of the sandbox's books under any sequence of invoices, cash receipts,
credit notes, deletions and annulments (over loopback HTTP): no balance below zero, every
invoice's balance equal to what its installments still owe, the receivables account equal to
what the invoices still owe, and every posting balanced."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from siigo import BadRequestError, ValidationError
from siigo.sandbox import Sandbox, accounts, ledger

from ..resources.test_invoices import TODAY, invoice_body, seed

D = Decimal
# What a refused step may answer: the sequence is random, so paying a paid invoice, deleting a
# paid one, crediting an annulled one or more than it has are expected refusals, not failures.
EXPECTED = {"invalid_amount", "invalid_document", "invalid_value", "delete_not_allowed", "non_editable"}

STEPS = st.lists(
    st.one_of(
        st.tuples(st.just("invoice"), st.integers(1, 5), st.booleans()),
        st.tuples(
            st.just("receipt"), st.integers(0, 5), st.sampled_from([None, "50.00", "119.00", "300.00"])
        ),
        st.tuples(st.just("note"), st.integers(0, 5), st.integers(1, 2)),
        st.tuples(st.just("delete"), st.integers(0, 5), st.booleans()),
    ),
    min_size=1,
    max_size=8,
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=STEPS)
def test_the_books_add_up_after_any_sequence(siigo_sandbox_server: Sandbox, steps: list[Any]) -> None:
    sandbox = siigo_sandbox_server
    sandbox.reset()
    with sandbox.client() as client:
        seed(client)
        invoices: list[str] = []
        for step in steps:
            try:
                if step[0] == "invoice":
                    _, quantity, credit = step
                    total = D(quantity) * D("119.00")
                    payment = {"id": 6102 if credit else 6101, "value": total, "due_date": TODAY.isoformat()}
                    items = [
                        {"code": "SKU-1", "quantity": quantity, "price": "100.00", "taxes": [{"id": 18401}]}
                    ]
                    invoices.append(client.invoices.create(invoice_body(items=items, payments=[payment])).id)
                elif not invoices:
                    continue
                elif step[0] == "receipt":
                    invoice = invoices[step[1] % len(invoices)]
                    body = client.vouchers.for_invoice(invoice, payment=6101, document=28470, amount=step[2])
                    client.vouchers.create(body)
                elif step[0] == "note":
                    invoice = invoices[step[1] % len(invoices)]
                    note = client.credit_notes.from_invoice(
                        invoice, document={"id": 28460}, lines={0: step[2]}
                    )
                    client.credit_notes.create(note)
                else:
                    invoice = invoices[step[1] % len(invoices)]
                    if step[2]:
                        client.invoices.delete(invoice)
                        invoices.remove(invoice)
                    else:
                        client.invoices.annul(invoice)
            except (BadRequestError, ValidationError) as exc:
                assert set(exc.codes) <= EXPECTED, exc
            _check_books(sandbox, client, invoices)


def _check_books(sandbox: Sandbox, client: Any, invoices: list[str]) -> None:
    tenant = sandbox.tenant()
    owed = D(0)
    for invoice_id in invoices:
        balance = client.invoices.retrieve(invoice_id).balance
        assert balance >= 0
        assert balance == ledger.balance_of(tenant, invoice_id)
        owed += balance
    rows = list(ledger.movements(tenant))
    receivable = sum((m["debit"] - m["credit"] for m in rows if m["account"] == accounts.RECEIVABLES), D(0))
    assert receivable == owed
    assert sum((m["debit"] for m in rows), D(0)) == sum((m["credit"] for m in rows), D(0))
    assert all(due["balance"] >= 0 for due in ledger.dues(tenant, "receivable", open_only=False))
