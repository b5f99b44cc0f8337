"""The payable side of the sandbox's books under any sequence of purchases, support documents,
payment receipts (paying a purchase in order, or part of one of its installments), edits of
those receipts and deletions of either, over loopback HTTP: no installment below zero, every purchase's balance equal to what
its open installments still owe, the payables account equal to the sum of the open payable
installments, and the company's books balanced."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from siigo import BadRequestError, Client, ValidationError
from siigo.sandbox import Sandbox, accounts, ledger

from ..resources.test_invoices import NIT, TODAY, seed
from ..resources.test_purchases import CASH_OUT, CREDIT, DUE, PURCHASE_TYPE, SUPPORT_TYPE

D = Decimal
CENT = D("0.01")
RP_TYPE = 28491
# What a refused step may answer: the sequence is random, so paying more than an installment
# holds (or a purchase owes), naming an installment a purchase does not have, or deleting a
# purchase a receipt paid are expected refusals, not failures.
EXPECTED = {"invalid_amount", "invalid_value", "delete_not_allowed"}

PURCHASE = st.tuples(
    # a purchase (or a support document) of 1.00..3 000.00, in 1..3 credit installments and
    # maybe a part paid at once
    st.just("purchase"),
    st.integers(100, 300_000),
    st.integers(1, 3),
    st.booleans(),
    st.booleans(),
)
# a payment receipt for what a purchase owes, or an amount spread over its installments in order
PAY = st.tuples(st.just("pay"), st.integers(0, 5), st.sampled_from([None, "0.01", "150.00", "999.99"]))
# a payment receipt for part of one installment (any, not only the first open one)
PAY_DUE = st.tuples(
    st.just("pay_due"), st.integers(0, 5), st.integers(0, 2), st.sampled_from(["0.01", "100.00", "2000.00"])
)
# a payment receipt edited to pay a purchase (what it owes, or an amount) instead
EDIT_RECEIPT = st.tuples(
    st.just("edit_receipt"), st.integers(0, 5), st.integers(0, 5), st.sampled_from([None, "0.01", "500.00"])
)
DELETE_RECEIPT = st.tuples(st.just("delete_receipt"), st.integers(0, 5))
DELETE_PURCHASE = st.tuples(st.just("delete_purchase"), st.integers(0, 5))
# Payments and their deletions twice as likely as the rest: they are what the property is about.
STEPS = st.lists(
    st.one_of(
        PURCHASE, PAY, PAY, PAY_DUE, PAY_DUE, EDIT_RECEIPT, DELETE_RECEIPT, DELETE_RECEIPT, DELETE_PURCHASE
    ),
    min_size=1,
    max_size=10,
)


def _body(cents: int, credit_parts: int, cash: bool, support: bool) -> dict[str, Any]:
    total = D(cents) / 100
    parts = min(credit_parts + cash, cents)
    share = (total / parts).quantize(CENT, rounding="ROUND_DOWN")
    values = [share] * (parts - 1) + [total - share * (parts - 1)]
    payments: list[dict[str, Any]] = [{"id": CREDIT, "value": v, "due_date": DUE} for v in values]
    if cash and parts > 1:
        payments[-1] = {"id": CASH_OUT, "value": values[-1]}
    body: dict[str, Any] = {
        "document": {"id": SUPPORT_TYPE if support else PURCHASE_TYPE},
        "date": TODAY.isoformat(),
        "supplier": {"identification": NIT, "branch_office": 0},
        "items": [{"type": "Account", "code": "51354001", "quantity": 1, "price": total}],
        "payments": payments,
    }
    if support:
        body["supplier_receipt_number"] = {"prefix": "RS", "number": str(cents)}
    else:
        body["provider_invoice"] = {"prefix": "FE", "number": str(cents)}
    return body


def _resource(client: Client, support: bool) -> Any:
    return client.purchase_support_documents if support else client.purchases


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=STEPS)
def test_the_payables_add_up_after_any_sequence(siigo_sandbox_server: Sandbox, steps: list[Any]) -> None:
    sandbox = siigo_sandbox_server
    sandbox.reset()
    with sandbox.client() as client:
        seed(client)
        purchases: list[tuple[str, bool]] = []  # (id, is a support document)
        receipts: list[str] = []
        for step in steps:
            if step[0] != "purchase" and not (receipts if "receipt" in step[0] else purchases):
                continue  # nothing to pay or delete yet
            try:
                if step[0] == "purchase":
                    _, cents, credit_parts, cash, support = step
                    created = _resource(client, support).create(_body(cents, credit_parts, cash, support))
                    purchases.append((created.id, support))
                elif step[0] == "pay":
                    purchase_id, support = purchases[step[1] % len(purchases)]
                    purchase = _resource(client, support).retrieve(purchase_id)
                    body = client.payment_receipts.for_purchase(
                        purchase, payment=CASH_OUT, document=RP_TYPE, amount=step[2]
                    )
                    receipts.append(client.payment_receipts.create(body).id)
                elif step[0] == "pay_due":
                    purchase_id, support = purchases[step[1] % len(purchases)]
                    purchase = _resource(client, support).retrieve(purchase_id)
                    installments = client.payment_receipts.installments_of(purchase)
                    installment = installments[step[2] % len(installments)]
                    receipt = client.payment_receipts.create(
                        document={"id": RP_TYPE},
                        date=TODAY,
                        type="DebtPayment",
                        supplier={"identification": NIT, "branch_office": 0},
                        items=[{"due": installment.due(), "value": step[3]}],
                        payment={"id": CASH_OUT, "value": step[3]},
                    )
                    receipts.append(receipt.id)
                elif step[0] == "edit_receipt":
                    receipt_id = receipts[step[1] % len(receipts)]
                    purchase_id, support = purchases[step[2] % len(purchases)]
                    purchase = _resource(client, support).retrieve(purchase_id)
                    body = client.payment_receipts.for_purchase(
                        purchase, payment=CASH_OUT, document=RP_TYPE, amount=step[3]
                    )
                    client.payment_receipts.update(receipt_id, body)
                elif step[0] == "delete_receipt":
                    receipt_id = receipts[step[1] % len(receipts)]
                    client.payment_receipts.delete(receipt_id)
                    receipts.remove(receipt_id)
                else:
                    purchase_id, support = purchases[step[1] % len(purchases)]
                    _resource(client, support).delete(purchase_id)
                    purchases.remove((purchase_id, support))
                event(f"{step[0]}: done")
            except (BadRequestError, ValidationError) as exc:
                assert set(exc.codes) <= EXPECTED, exc
                event(f"{step[0]}: refused {' '.join(exc.codes)}")
            _check_books(sandbox, client, purchases)


def _check_books(sandbox: Sandbox, client: Client, purchases: list[tuple[str, bool]]) -> None:
    tenant = sandbox.tenant()
    dues = list(ledger.dues(tenant, "payable", open_only=False))
    assert all(due["balance"] >= 0 for due in dues)
    assert {due["document"] for due in dues} <= {purchase_id for purchase_id, _ in purchases}
    for purchase_id, support in purchases:
        balance = _resource(client, support).retrieve(purchase_id).balance
        open_dues = [d["balance"] for d in ledger.dues_of(tenant, purchase_id) if d["balance"] > 0]
        assert balance == sum(open_dues, D(0))
    rows = list(ledger.movements(tenant))
    payables = sum((m["credit"] - m["debit"] for m in rows if m["account"] == accounts.PAYABLES), D(0))
    assert payables == sum((d["balance"] for d in ledger.dues(tenant, "payable")), D(0))
    assert sum((m["debit"] for m in rows), D(0)) == sum((m["credit"] for m in rows), D(0))
