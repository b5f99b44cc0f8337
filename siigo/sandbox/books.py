"""What the sandbox's documents post to the books (:mod:`siigo.sandbox.ledger`), in one place.

* A sales invoice debits what settles it — each payment on the account its payment type moves
  (:func:`~siigo.sandbox.ledger.payment_account`: receivables for a credit type, cash, or the
  bank) and the withholdings the customer practised (when the payments are net of them) — and
  credits the VAT, the other taxes and the sales (what is left, so the entry always balances).
  Each credit payment opens one receivable installment: prefix = the document type's prefix
  (``FV-1``), consecutive = the invoice number, quote = 1..n in the order of the payments, date =
  the payment's due date (or the invoice's), value = the payment's.
* A credit note is the mirror entry on sales returns: it pays the invoice's installments down in
  installment order and credits the receivables with what it paid, the rest (a refund) on the
  account of its first payment type.
* A purchase or a support document posts what :mod:`siigo.sandbox.handlers.purchases` says, and
  each of its credit payments opens one payable installment, named as a sale's (``FC-1``, the
  purchase number, quote 1..n).
* Receipts post what :mod:`siigo.sandbox.handlers.vouchers` says: a cash receipt pays receivable
  installments down, a payment receipt payable ones.

:func:`open_dues` opens the installments of both sides, and :func:`refresh_balance` is the one
place that keeps a document's ``balance`` (invoices, purchases, support documents) equal to what
its installments still owe: every handler that opens installments calls it, and :func:`pay` and
:func:`withdraw` (a receipt paying, a document taken back out) call it for the documents whose
installments they touch, so a read answers the stored row as it is.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any

from ..kinds import KINDS, Kind
from ..totals import DocumentTotals
from . import accounts, ledger
from .state import Tenant

__all__ = [
    "entry",
    "open_dues",
    "pay",
    "payment_types",
    "post_sale",
    "refresh_balance",
    "side_of",
    "withdraw",
]

ZERO = Decimal(0)


def entry(account: str, amount: Decimal, side: str, third_party: str | None = None) -> dict[str, Any] | None:
    """A line of ``amount`` on ``side`` (``"debit"``/``"credit"``) of ``account``; a negative
    amount goes on the other side; ``None`` for zero."""
    if amount == 0:
        return None
    if amount < 0:
        side, amount = ("credit" if side == "debit" else "debit"), -amount
    if side == "debit":
        return ledger.line(account, debit=amount, third_party=third_party)
    return ledger.line(account, credit=amount, third_party=third_party)


def side_of(kind: Kind) -> ledger.Side:
    """The side of the books ``kind``'s installments are on: receivable for a customer's
    documents, payable for a supplier's."""
    return "receivable" if kind.third_party == "customer" else "payable"


def payment_types(tenant: Tenant, kind: Kind) -> dict[int, Mapping[str, Any]]:
    """The company's payment types of ``kind`` (read with its ``payment_document_type``), by id."""
    code = kind.payment_document_type
    rows: Iterable[Mapping[str, Any]] = tenant.catalogs["payment_types"].get(code, []) if code else []
    return {row["id"]: row for row in rows}


def post_sale(
    tenant: Tenant,
    row: dict[str, Any],
    kind: Kind,
    totals: DocumentTotals,
    settlements: Sequence[tuple[str, Decimal]],
    *,
    returns: bool,
) -> None:
    """Post a sales invoice (``returns=False``) or a credit note (the mirror entry): the
    ``settlements`` ``(account, value)`` and the withholdings against the taxes and the sales."""
    party = str(row["customer"]["identification"])
    settle, earn = ("credit", "debit") if returns else ("debit", "credit")
    lines = [entry(account, value, settle, party) for account, value in settlements]
    settled = sum((value for _, value in settlements), ZERO)
    if totals.payments_basis == "net_of_withholdings":
        for retention in totals.retentions:
            account = accounts.WITHHELD.get(retention.type)
            if account is not None and retention.reduces_amount_due:
                lines.append(entry(account, retention.value, settle, party))
                settled += retention.value
        if totals.item_withholdings:
            lines.append(entry(accounts.WITHHELD["Retefuente"], totals.item_withholdings, settle, party))
            settled += totals.item_withholdings
    vat = totals.iva_total
    other = totals.tax_total - vat
    lines.append(entry(accounts.VAT, vat, earn))
    lines.append(entry(accounts.CONSUMPTION_TAX, other, earn))
    lines.append(entry(accounts.SALES_RETURNS if returns else accounts.SALES, settled - vat - other, earn))
    ledger.post(tenant, row, kind.code, [line for line in lines if line is not None])


def open_dues(
    tenant: Tenant,
    row: dict[str, Any],
    kind: Kind,
    prefix: str,
    payments: Iterable[Any],
    *,
    third_party: Mapping[str, Any] | None = None,
) -> list[dict[str, Any]]:
    """One installment per credit payment (its payment type has ``due_date: true``) of the
    document ``row`` of ``kind``, on its side of the books: quotes 1..n in payments order, dated
    the payment's due date (else the document's), for the payment's value, owed by (or to)
    ``third_party`` (default: the row's customer or supplier as the wire shows it).  The
    installments opened, in order."""
    types = payment_types(tenant, kind)
    party = dict(third_party if third_party is not None else row[kind.third_party])
    opened: list[dict[str, Any]] = []
    for payment in payments:
        if not (types.get(payment.id) or {}).get("due_date"):
            continue
        opened.append(
            ledger.open_due(
                tenant,
                row,
                side=side_of(kind),
                prefix=prefix,
                consecutive=row["number"],
                quote=len(opened) + 1,
                date=payment.due_date.isoformat() if payment.due_date is not None else row["date"],
                value=payment.value,
                third_party=party,
            )
        )
    return opened


def refresh_balance(tenant: Tenant, document_id: str, timestamp: str | None = None) -> None:
    """Set the ``balance`` of the document ``document_id`` (any kind that shows one) to what its
    installments still owe; ``timestamp`` also sets its ``metadata.last_updated``."""
    for kind in KINDS.values():
        row = tenant.documents[kind.code].get(document_id)
        if row is not None and "balance" in row:
            row["balance"] = ledger.balance_of(tenant, document_id)
            if timestamp is not None:
                row["metadata"]["last_updated"] = timestamp
            return


def pay(
    tenant: Tenant, payer_id: str, due: dict[str, Any], value: Decimal, timestamp: str | None = None
) -> None:
    """``payer_id`` pays ``value`` of the installment ``due`` (:func:`siigo.sandbox.ledger.pay`)
    and the ``balance`` of the document that opened it follows."""
    ledger.pay(tenant, payer_id, due, value)
    refresh_balance(tenant, due["document"], timestamp)


def withdraw(tenant: Tenant, document_id: str, timestamp: str | None = None) -> None:
    """Take back what ``document_id`` did to the books (:func:`siigo.sandbox.ledger.withdraw`):
    the documents it paid owe it again (their ``balance`` follows, ``timestamp`` their
    ``metadata.last_updated``), and its own balance is what is left (nothing)."""
    paid = {due["document"] for due, _ in ledger.paid_by(tenant, document_id)}
    ledger.withdraw(tenant, document_id)
    for other in paid:
        refresh_balance(tenant, other, timestamp)
    refresh_balance(tenant, document_id)
