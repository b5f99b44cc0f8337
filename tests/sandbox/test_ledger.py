"""The sandbox's books: balanced postings, dues paid down and never overpaid, withdrawals."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from siigo.sandbox import accounts, ledger
from siigo.sandbox.persist import load_state, save_state
from siigo.sandbox.state import SandboxState, Tenant

D = Decimal
CUSTOMER = {"id": "c-1", "identification": "900123456", "branch_office": 0}


def _invoice(tenant: Tenant, value: str = "1190.00") -> dict[str, Any]:
    row = {"id": "inv-1", "name": "FV-1-1043", "date": "2026-04-03"}
    ledger.post(
        tenant,
        row,
        "FV",
        [
            ledger.line(accounts.RECEIVABLES, debit=D(value), third_party="900123456"),
            ledger.line(accounts.SALES, credit=D("1000.00")),
            ledger.line("24080501", credit=D(value) - D("1000.00")),
        ],
    )
    for quote, part in ((1, D(value) / 2), (2, D(value) / 2)):
        ledger.open_due(
            tenant,
            row,
            side="receivable",
            prefix="FV-1",
            consecutive=1043,
            quote=quote,
            date="2026-05-03",
            value=part,
            third_party=CUSTOMER,
        )
    return row


def test_every_account_the_reference_uses_is_in_the_chart() -> None:
    for code in ("11050501", "11100501", "41350501", "51354001"):
        assert accounts.account(code) is not None, code
    assert accounts.parents("11100501") == (("1", "Activo"), ("11", "Disponible"))
    assert {code[0] for code in accounts.ACCOUNTS} == set("123456")


def test_an_unbalanced_posting_is_refused_and_leaves_nothing() -> None:
    tenant = Tenant("books@example.com")
    with pytest.raises(ledger.Unbalanced, match="debits 10 != credits 9"):
        ledger.post(
            tenant,
            {"id": "x", "name": "CC-1-1", "date": "2026-01-01"},
            "CC",
            [ledger.line(accounts.CASH, debit=10), ledger.line(accounts.SALES, credit=9)],
        )
    assert list(ledger.movements(tenant)) == []


def test_a_line_has_one_positive_side() -> None:
    with pytest.raises(ledger.LedgerError, match="one positive side"):
        ledger.line(accounts.CASH, debit=1, credit=1)
    with pytest.raises(ledger.LedgerError, match="one positive side"):
        ledger.line(accounts.CASH, debit=-1)


def test_dues_are_paid_down_never_beyond_their_balance() -> None:
    tenant = Tenant("books@example.com")
    _invoice(tenant)
    assert ledger.balance_of(tenant, "inv-1") == D("1190.00")
    first = ledger.due(tenant, "FV-1", 1043, 1)
    assert first is not None
    ledger.pay(tenant, "rc-1", first, D("500.00"))
    assert first["balance"] == D("95.00")
    with pytest.raises(ledger.Overpaid) as refused:
        ledger.pay(tenant, "rc-2", first, D("95.01"))
    assert (refused.value.key, refused.value.balance) == ("FV-1/1043/1", D("95.00"))
    assert ledger.balance_of(tenant, "inv-1") == D("690.00")
    assert ledger.dependents(tenant, "inv-1") == ["rc-1"]
    assert [e["quote"] for e in ledger.dues(tenant, "receivable", identification="900123456")] == [1, 2]


def test_withdrawing_a_payment_restores_the_balance_and_a_paid_document_stays() -> None:
    tenant = Tenant("books@example.com")
    _invoice(tenant)
    first = ledger.due(tenant, "FV-1", 1043, 1)
    assert first is not None
    ledger.pay(tenant, "rc-1", first, D("595.00"))
    assert [e["quote"] for e in ledger.dues(tenant, "receivable")] == [2]
    with pytest.raises(ledger.LedgerError, match="paid by other documents"):
        ledger.withdraw(tenant, "inv-1")
    ledger.withdraw(tenant, "rc-1")
    assert ledger.balance_of(tenant, "inv-1") == D("1190.00")
    ledger.withdraw(tenant, "inv-1")
    assert ledger.dues_of(tenant, "inv-1") == []
    assert list(ledger.movements(tenant)) == []


def test_movements_are_read_by_date_and_kept_in_state_files(tmp_path: object) -> None:
    state = SandboxState()
    tenant = state.tenant("books@example.com")
    _invoice(tenant)
    assert len(list(ledger.movements(tenant, date_start="2026-04-03", date_end="2026-04-03"))) == 3
    assert list(ledger.movements(tenant, date_start="2026-04-04")) == []
    path = f"{tmp_path}/state.json"
    save_state(state, path)
    restored = SandboxState()
    load_state(restored, path)
    again = restored.tenant("books@example.com")
    assert ledger.balance_of(again, "inv-1") == D("1190.00")
    assert sum(m["debit"] for m in ledger.movements(again)) == D("1190.00")
