"""The sandbox company's books: the movements every accepted document posts, and the dues
(installments owed by customers or to suppliers) that documents open and pay down.

Each document handler states what its document does to the books, once, through this module:

- :func:`post` records a document's movements (double entry: its debits equal its credits, or
  :class:`Unbalanced` is raised, which is a bug in the handler, never the user's fault);
- :func:`open_due` records an installment the document leaves owed (an invoice paid with a
  credit payment type opens a receivable due, a purchase a payable one);
- :func:`pay` lets a later document (a cash receipt, a payment receipt, a credit note) pay down
  a due; it can never pay more than the due's balance (:class:`Overpaid`);
- :func:`withdraw` takes everything a document did back out (its movements, the dues it opened,
  what it paid), when it is deleted or annulled; :func:`dependents` names the documents that
  paid its dues, which forbid that.

The state is plain data in ``tenant.ledger`` (kept by ``--state`` files like the rest):
``{"movements": {document id: [movement...]}, "dues": {due key: due}}``.  A movement is
``{"document", "kind", "name", "date", "account", "debit", "credit", "third_party",
"cost_center", "description"}``; a due is ``{"key", "side", "prefix", "consecutive", "quote",
"date", "value", "balance", "document", "third_party", "paid_by": {document id: amount}}``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Literal

from . import accounts

if TYPE_CHECKING:
    from .state import Tenant

__all__ = [
    "LedgerError",
    "Overpaid",
    "Side",
    "Unbalanced",
    "balance_of",
    "dependents",
    "due",
    "due_key",
    "dues",
    "dues_of",
    "line",
    "movements",
    "open_due",
    "paid_by",
    "pay",
    "pay_in_order",
    "payment_account",
    "post",
    "trial_balance",
    "withdraw",
]

Side = Literal["receivable", "payable"]
ZERO = Decimal("0")


class LedgerError(Exception):
    """A posting the books cannot take."""


class Unbalanced(LedgerError):
    """A document's movements whose debits and credits differ."""


class Overpaid(LedgerError):
    """A payment larger than the balance of the due it pays."""

    def __init__(self, key: str, balance: Decimal, value: Decimal) -> None:
        super().__init__(f"the due {key} has a balance of {balance}, less than {value}")
        self.key = key
        self.balance = balance
        self.value = value


def _books(tenant: Tenant) -> dict[str, Any]:
    books: dict[str, Any] = tenant.ledger
    books.setdefault("movements", {})
    books.setdefault("dues", {})
    return books


def line(
    account: str,
    *,
    debit: Decimal | int = ZERO,
    credit: Decimal | int = ZERO,
    third_party: str | None = None,
    cost_center: int | None = None,
    description: str = "",
) -> dict[str, Any]:
    """One movement line before it is posted (exactly one of ``debit``/``credit`` non-zero)."""
    debit, credit = Decimal(debit), Decimal(credit)
    if debit < 0 or credit < 0 or (debit != 0) == (credit != 0):
        raise LedgerError(f"a movement on {account} needs one positive side, got {debit}/{credit}")
    return {
        "account": account,
        "debit": debit,
        "credit": credit,
        "third_party": third_party,
        "cost_center": cost_center,
        "description": description,
    }


def post(
    tenant: Tenant,
    document: dict[str, Any],
    kind: str,
    lines: Iterable[dict[str, Any]],
) -> list[dict[str, Any]]:
    """Record ``document``'s movements (replacing any it had): lines with a zero amount are
    dropped, and the rest must balance."""
    rows = []
    for entry in lines:
        if entry["debit"] == 0 and entry["credit"] == 0:
            continue
        rows.append(
            {
                **entry,
                "document": document["id"],
                "kind": kind,
                "name": document.get("name"),
                "date": str(document.get("date")),
            }
        )
    debits = sum((row["debit"] for row in rows), ZERO)
    credits = sum((row["credit"] for row in rows), ZERO)
    if debits != credits:
        raise Unbalanced(f"{document.get('name')}: debits {debits} != credits {credits}")
    books = _books(tenant)
    if rows:
        books["movements"][document["id"]] = rows
    else:
        books["movements"].pop(document["id"], None)
    return rows


def due_key(prefix: str, consecutive: int, quote: int) -> str:
    """The key of an installment: ``"FV-1/1043/1"``."""
    return f"{prefix}/{int(consecutive)}/{int(quote)}"


def open_due(
    tenant: Tenant,
    document: dict[str, Any],
    *,
    side: Side,
    prefix: str,
    consecutive: int,
    quote: int,
    date: str,
    value: Decimal,
    third_party: dict[str, Any],
) -> dict[str, Any]:
    """Record an installment ``document`` leaves owed (``third_party`` as the wire shows it:
    ``{id, identification, branch_office, name?}``)."""
    key = due_key(prefix, consecutive, quote)
    entry = {
        "key": key,
        "side": side,
        "prefix": prefix,
        "consecutive": int(consecutive),
        "quote": int(quote),
        "date": str(date),
        "value": Decimal(value),
        "balance": Decimal(value),
        "document": document["id"],
        "third_party": dict(third_party),
        "paid_by": {},
    }
    _books(tenant)["dues"][key] = entry
    return entry


def due(tenant: Tenant, prefix: str, consecutive: int, quote: int) -> dict[str, Any] | None:
    """The installment with that key, or ``None``."""
    found: dict[str, Any] | None = _books(tenant)["dues"].get(due_key(prefix, consecutive, quote))
    return found


def dues(
    tenant: Tenant, side: Side, *, identification: str | None = None, open_only: bool = True
) -> Iterator[dict[str, Any]]:
    """The company's installments on ``side``, in the order they were opened."""
    for entry in _books(tenant)["dues"].values():
        if entry["side"] != side:
            continue
        if identification is not None and entry["third_party"].get("identification") != identification:
            continue
        if open_only and entry["balance"] <= 0:
            continue
        yield entry


def dues_of(tenant: Tenant, document_id: str) -> list[dict[str, Any]]:
    """The installments ``document_id`` opened, in installment order."""
    found = [e for e in _books(tenant)["dues"].values() if e["document"] == document_id]
    return sorted(found, key=lambda e: e["quote"])


def balance_of(tenant: Tenant, document_id: str) -> Decimal:
    """What is still owed on ``document_id``: the sum of its installments' balances."""
    return sum((e["balance"] for e in dues_of(tenant, document_id)), ZERO)


def pay(tenant: Tenant, payer_id: str, entry: dict[str, Any], value: Decimal) -> None:
    """``payer_id`` pays ``value`` of the installment ``entry``."""
    value = Decimal(value)
    if value <= 0:
        raise LedgerError(f"a payment of {value} on {entry['key']}")
    if value > entry["balance"]:
        raise Overpaid(entry["key"], entry["balance"], value)
    entry["balance"] -= value
    entry["paid_by"][payer_id] = entry["paid_by"].get(payer_id, ZERO) + value


def paid_by(tenant: Tenant, payer_id: str) -> list[tuple[dict[str, Any], Decimal]]:
    """The installments ``payer_id`` paid, with how much of each."""
    return [
        (entry, entry["paid_by"][payer_id])
        for entry in _books(tenant)["dues"].values()
        if payer_id in entry["paid_by"]
    ]


def dependents(tenant: Tenant, document_id: str) -> list[str]:
    """The documents that paid part of ``document_id``'s installments."""
    found: list[str] = []
    for entry in dues_of(tenant, document_id):
        found.extend(payer for payer in entry["paid_by"] if payer not in found)
    return found


def withdraw(tenant: Tenant, document_id: str) -> None:
    """Take back what ``document_id`` did to the books: its movements, the installments it
    opened (which no one may have paid: check :func:`dependents` first) and its payments."""
    books = _books(tenant)
    if dependents(tenant, document_id):
        raise LedgerError(f"{document_id} has installments paid by other documents")
    books["movements"].pop(document_id, None)
    for entry in dues_of(tenant, document_id):
        del books["dues"][entry["key"]]
    for entry, value in paid_by(tenant, document_id):
        entry["balance"] += value
        del entry["paid_by"][document_id]


def movements(
    tenant: Tenant, *, date_start: str | None = None, date_end: str | None = None
) -> Iterator[dict[str, Any]]:
    """Every posted movement with a date in ``[date_start, date_end]`` (ISO dates, inclusive)."""
    for rows in _books(tenant)["movements"].values():
        for row in rows:
            day = row["date"][:10]
            if date_start is not None and day < date_start:
                continue
            if date_end is not None and day > date_end:
                continue
            yield row


def trial_balance(
    tenant: Tenant,
    *,
    date_start: str,
    date_end: str,
    account_start: str | None = None,
    account_end: str | None = None,
    third_party: str | None = None,
    by_third_party: bool = False,
) -> dict[str, Any]:
    """The trial balance of the period ``[date_start, date_end]`` (ISO dates, inclusive) from
    every posted movement: per account (and per third party with ``by_third_party``) the balance
    before the period (``opening``, debit minus credit), the period's ``debit`` and ``credit``
    and the ``closing`` balance, between ``account_start`` and ``account_end`` (inclusive) and,
    with ``third_party`` (an identification), only that third party's movements.

    Returns ``{"lines": [...], "debit": Σ, "credit": Σ}``: each line is ``{"level", "code",
    "name", "third_party", "opening", "debit", "credit", "closing"}`` where ``level`` is
    ``"class"`` or ``"group"`` (the subtotals of :func:`~siigo.sandbox.accounts.parents`) or
    ``"account"``, in code order (a class before its groups, a group before its accounts).
    The totals add the account lines only, so over every account they balance: each posted
    document does."""
    keys: dict[tuple[str, str], list[Decimal]] = {}
    for rows in _books(tenant)["movements"].values():
        for row in rows:
            day = row["date"][:10]
            code = row["account"]
            if day > date_end:
                continue
            if (account_start is not None and code < account_start) or (
                account_end is not None and code > account_end
            ):
                continue
            who = row.get("third_party") or ""
            if third_party is not None and who != third_party:
                continue
            sums = keys.setdefault((code, who if by_third_party else ""), [ZERO, ZERO, ZERO])
            if day < date_start:
                sums[0] += row["debit"] - row["credit"]
            else:
                sums[1] += row["debit"]
                sums[2] += row["credit"]
    parents: dict[str, list[Decimal]] = {}
    names: dict[str, str] = {}
    lines: list[dict[str, Any]] = []
    for (code, who), (opening, debit, credit) in keys.items():
        found = accounts.account(code)
        lines.append(
            {
                "level": "account",
                "code": code,
                "name": found.name if found else "",
                "third_party": who or None,
                "opening": opening,
                "debit": debit,
                "credit": credit,
                "closing": opening + debit - credit,
            }
        )
        for parent, name in accounts.parents(code):
            names[parent] = name
            sums = parents.setdefault(parent, [ZERO, ZERO, ZERO])
            sums[0] += opening
            sums[1] += debit
            sums[2] += credit
    for parent, (opening, debit, credit) in parents.items():
        lines.append(
            {
                "level": "class" if len(parent) == 1 else "group",
                "code": parent,
                "name": names[parent],
                "third_party": None,
                "opening": opening,
                "debit": debit,
                "credit": credit,
                "closing": opening + debit - credit,
            }
        )
    lines.sort(key=lambda line: (line["code"], line["third_party"] or ""))
    accounts_only = [line for line in lines if line["level"] == "account"]
    return {
        "lines": lines,
        "debit": sum((line["debit"] for line in accounts_only), ZERO),
        "credit": sum((line["credit"] for line in accounts_only), ZERO),
    }


def payment_account(payment_type: Mapping[str, Any] | None, side: Side) -> str:
    """The account a payment type moves: a credit type (``due_date: true``) the receivables or
    payables of ``side``; one whose name says cash (``Efectivo``, ``Caja``) the cash account;
    any other (transfers, cards, cheques) the bank.  Siigo's payment types do not say their
    account through the API, so the sandbox reads it from these."""
    from . import accounts

    entry = payment_type or {}
    if entry.get("due_date"):
        return accounts.RECEIVABLES if side == "receivable" else accounts.PAYABLES
    name = str(entry.get("name") or "").lower()
    if "efectivo" in name or "caja" in name:
        return accounts.CASH
    return accounts.BANK


def pay_in_order(tenant: Tenant, payer_id: str, document_id: str, amount: Decimal) -> Decimal:
    """``payer_id`` pays up to ``amount`` of ``document_id``'s installments, the first first,
    each up to its balance; returns what was paid (less than ``amount`` when less was owed)."""
    left = Decimal(amount)
    paid = ZERO
    for entry in dues_of(tenant, document_id):
        if left <= 0:
            break
        take = min(entry["balance"], left)
        if take > 0:
            pay(tenant, payer_id, entry, take)
            left -= take
            paid += take
    return paid
