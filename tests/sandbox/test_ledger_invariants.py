"""The books add up, whatever the sequence of documents: property tests over random sequences of
the documents the sandbox takes (sales invoices, credit notes, journals, cash receipts, purchases
and payment receipts), each created over loopback HTTP.  After every sequence:

* the trial balance's debits equal its credits (computed by the sandbox, and read back from the
  spreadsheet it serves), and its closing balances add up to zero;
* no due has a balance below zero or above its value;
* what customers owe (the receivable dues' balances) is the balance of the receivables account:
  invoices on credit, less what receipts and journals paid and credit notes credited; what the
  company owes suppliers (the payable dues) is the balance of the suppliers account.

The sequence is drawn from :data:`STEPS`, a table of named steps; a new document kind joins the
sequences by adding a row.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from siigo import BadRequestError, Client
from siigo.models.customers import CustomerAddressDict
from siigo.models.documents import PaymentDict
from siigo.models.invoices import Invoice
from siigo.models.journals import JournalItemDict, Movement
from siigo.rules import colombia_today
from siigo.sandbox import Sandbox, accounts, ledger
from siigo.sandbox.state import Tenant

from ..resources.test_reports import read_xlsx

D = Decimal
NIT = "900123456"
TODAY = colombia_today()
IVA = "24080501"
PLAIN = ["11050501", accounts.BANK, "51354001", "51959501", "42950501", "31050501", "23359501"]


@dataclass
class World:
    """What a sequence has made so far."""

    client: Client
    sandbox: Sandbox
    invoices: list[Invoice] = field(default_factory=list)
    """Invoices sold on credit (their dues can be paid and credited)."""
    purchases: list[str] = field(default_factory=list)
    """Ids of the purchases bought on credit."""

    @property
    def tenant(self) -> Tenant:
        return self.sandbox.tenant()


Step = Callable[[World, st.DataObject], None]


amounts = st.integers(min_value=1, max_value=2_000_000).map(lambda cents: D(cents) / 100)


def step_invoice(world: World, data: st.DataObject, *, credit: bool | None = None) -> None:
    """A sales invoice of 1-3 units at a random price with IVA 19 %, on credit or in cash."""
    if credit is None:
        credit = data.draw(st.booleans(), label="on credit")
    quantity = data.draw(st.integers(min_value=1, max_value=3), label="quantity")
    price = data.draw(amounts, label="price")
    client = world.client
    body: dict[str, Any] = {
        "document": {"id": 28451},
        "date": TODAY.isoformat(),
        "customer": {"identification": NIT},
        "seller": 4120,
        "items": [{"code": "SKU-1", "quantity": quantity, "price": price, "taxes": [{"id": 18401}]}],
    }
    total = client.invoices.compute_totals(document=body["document"], items=body["items"]).amount_due
    payment: PaymentDict = {"id": 6102 if credit else 6101, "value": total}
    if credit:
        payment["due_date"] = TODAY.isoformat()
    invoice = client.invoices.create(body, payments=[payment])
    if credit:
        world.invoices.append(invoice)


def _owed_invoices(world: World, data: st.DataObject) -> list[Invoice]:
    """The credit invoices with something owed (after selling one on credit when there is none)."""
    owed = [i for i in world.invoices if (world.client.invoices.retrieve(i.id).balance or 0) > 0]
    if not owed:
        step_invoice(world, data, credit=True)
        owed = world.invoices[-1:]
    return owed


def step_credit_note(world: World, data: st.DataObject) -> None:
    """A credit note for part of a credit invoice (one sold on credit first when there is none)."""
    candidates = _owed_invoices(world, data)
    invoice = data.draw(st.sampled_from(candidates), label="invoice credited")
    quantity = data.draw(
        st.integers(min_value=1, max_value=int(invoice.items[0].quantity or 1)), label="units"
    )
    body = world.client.credit_notes.from_invoice(invoice, document={"id": 28460}, lines={0: quantity})
    try:
        note = world.client.credit_notes.create(body)
    except BadRequestError as exc:  # more than is left to credit (an earlier note took it)
        assert exc.codes == ["invalid_amount"]
        return
    assert note.id in world.tenant.ledger["movements"]
    world.invoices.remove(invoice)  # one note per invoice keeps "left to credit" simple


def _item(code: str, movement: Movement, value: Decimal) -> JournalItemDict:
    return {
        "account": {"code": code, "movement": movement},
        "customer": {"identification": NIT},
        "value": value,
    }


def step_journal(world: World, data: st.DataObject) -> None:
    """A balanced journal over plain accounts: 1-3 debits, split into 1-3 credits."""
    debits = data.draw(st.lists(amounts, min_size=1, max_size=3), label="debits")
    total = sum(debits, D(0))
    cuts = data.draw(st.integers(min_value=1, max_value=3), label="credit lines")
    credits = [(total / cuts).quantize(D("0.01"))] * (cuts - 1)
    credits = [c for c in [*credits, total - sum(credits, D(0))] if c > 0]
    accounts_used = data.draw(
        st.lists(
            st.sampled_from(PLAIN), min_size=len(debits) + len(credits), max_size=len(debits) + len(credits)
        ),
        label="accounts",
    )
    items = [_item(code, "Debit", value) for code, value in zip(accounts_used, debits, strict=False)]
    items += [
        _item(code, "Credit", value)
        for code, value in zip(accounts_used[len(debits) :], credits, strict=True)
    ]
    world.client.journals.create(document={"id": 28480}, date=TODAY.isoformat(), items=items)


def step_journal_payment(world: World, data: st.DataObject) -> None:
    """A journal that collects part of an open receivable due into the bank; paying more than
    its balance is refused and changes nothing."""
    if not list(ledger.dues(world.tenant, "receivable")):
        step_invoice(world, data, credit=True)
    dues = list(ledger.dues(world.tenant, "receivable"))
    due = data.draw(st.sampled_from(dues), label="due")
    balance = due["balance"]
    over = data.draw(st.booleans(), label="overpay")
    paid = st.integers(min_value=1, max_value=int(balance * 100)).map(lambda c: D(c) / 100)
    value = balance + D("0.01") if over else data.draw(paid, label="paid")
    collected = _item(accounts.RECEIVABLES, "Credit", value)
    collected["due"] = {
        "prefix": due["prefix"],
        "consecutive": due["consecutive"],
        "quote": due["quote"],
        "date": due["date"],
    }
    try:
        world.client.journals.create(
            document={"id": 28480},
            date=TODAY.isoformat(),
            items=[_item(accounts.BANK, "Debit", value), collected],
        )
    except BadRequestError as exc:
        assert over and exc.codes == ["invalid_amount"]
        assert due["balance"] == balance
        return
    assert not over
    assert due["balance"] == balance - value


def _part_of(balance: Decimal, data: st.DataObject, label: str) -> Decimal:
    return data.draw(
        st.integers(min_value=1, max_value=int(balance * 100)).map(lambda c: D(c) / 100), label=label
    )


def step_receipt(world: World, data: st.DataObject) -> None:
    """A cash receipt paying part or all of a credit invoice's open installments (one sold on
    credit first when there is none)."""
    owed = _owed_invoices(world, data)
    invoice = world.client.invoices.retrieve(data.draw(st.sampled_from(owed), label="invoice paid").id)
    amount = _part_of(invoice.balance or D(0), data, "received")
    body = world.client.vouchers.for_invoice(
        invoice, payment={"id": 6103}, document={"id": 28470}, amount=amount
    )
    world.client.vouchers.create(body)
    assert world.client.invoices.retrieve(invoice.id).balance == (invoice.balance or 0) - amount


def step_purchase(world: World, data: st.DataObject, *, credit: bool | None = None) -> None:
    """A purchase of 1-3 drills at a random price with IVA 19 %, on credit or in cash."""
    if credit is None:
        credit = data.draw(st.booleans(), label="bought on credit")
    quantity = data.draw(st.integers(min_value=1, max_value=3), label="drills")
    price = data.draw(st.integers(min_value=100, max_value=2_000_000).map(lambda c: D(c) / 100), label="cost")
    items: list[Any] = [
        {
            "type": "Product",
            "code": "TAL-750-001",
            "quantity": quantity,
            "price": price,
            "warehouse": 3302,
            "taxes": [{"id": 18401}],
        }
    ]
    total = world.client.purchases.compute_totals(document={"id": 28490}, items=items).amount_due
    payment: PaymentDict = {"id": 6202 if credit else 6201, "value": total}
    if credit:
        payment["due_date"] = TODAY.isoformat()
    purchase = world.client.purchases.create(
        document={"id": 28490},
        date=TODAY.isoformat(),
        supplier={"identification": NIT},
        provider_invoice={
            "prefix": "FE",
            "number": str(data.draw(st.integers(1, 999_999), label="their number")),
        },
        items=items,
        payments=[payment],
    )
    if credit:
        world.purchases.append(purchase.id)


def step_payment_receipt(world: World, data: st.DataObject) -> None:
    """A payment receipt paying part or all of a credit purchase (one bought on credit first
    when there is none)."""
    owed = [p for p in (world.client.purchases.retrieve(i) for i in world.purchases) if (p.balance or 0) > 0]
    if not owed:
        step_purchase(world, data, credit=True)
        owed = [world.client.purchases.retrieve(world.purchases[-1])]
    purchase = data.draw(st.sampled_from(owed), label="purchase paid")
    amount = _part_of(purchase.balance or D(0), data, "paid out")
    body = world.client.payment_receipts.for_purchase(
        purchase, payment={"id": 6201}, document={"id": 28491}, amount=amount
    )
    world.client.payment_receipts.create(body)
    assert world.client.purchases.retrieve(purchase.id).balance == (purchase.balance or 0) - amount


STEPS: dict[str, Step] = {
    "invoice": step_invoice,
    "credit_note": step_credit_note,
    "journal": step_journal,
    "journal_payment": step_journal_payment,
    "receipt": step_receipt,
    "purchase": step_purchase,
    "payment_receipt": step_payment_receipt,
}
"""The documents a sequence is made of, by name (add a row for a new kind)."""


def check_the_books(world: World) -> None:
    tenant = world.tenant
    computed = ledger.trial_balance(tenant, date_start=f"{TODAY.year}-01-01", date_end=f"{TODAY.year}-12-31")
    assert computed["debit"] == computed["credit"]
    assert sum((line["closing"] for line in computed["lines"] if line["level"] == "account"), D(0)) == 0

    for due in tenant.ledger["dues"].values():
        assert 0 <= due["balance"] <= due["value"], due["key"]
    owed = sum((d["balance"] for d in ledger.dues(tenant, "receivable", open_only=False)), D(0))
    receivables = next(
        (line["closing"] for line in computed["lines"] if line["code"] == accounts.RECEIVABLES), D(0)
    )
    assert owed == receivables
    owing = sum((d["balance"] for d in ledger.dues(tenant, "payable", open_only=False)), D(0))
    payables = next(
        (line["closing"] for line in computed["lines"] if line["code"] == accounts.PAYABLES), D(0)
    )
    assert owing == -payables

    report = world.client.reports.trial_balance(year=TODAY.year, month_start=1, month_end=13)
    totals = read_xlsx(world.client.reports.download(report))[-1]
    # a cell holds a double, written with 16 digits: 76.32 reads back as 76.31999999999999
    cents = [D(value).quantize(D("0.01")) for value in totals[4:6]]
    assert totals[0] == "Totales" and cents == [computed["debit"], computed["credit"]]


def _seed(client: Client) -> None:
    address: CustomerAddressDict = {
        "address": "Calle 50 # 45-20",
        "city": {"country_code": "CO", "state_code": "05", "city_code": "05001"},
    }
    client.customers.create(
        person_type="Company",
        id_type="31",
        identification=NIT,
        name=["Ferretería El Tornillo S.A.S."],
        address=address,
        contacts=[
            {"first_name": "Carolina", "last_name": "Mejía", "email": "cartera@eltornillo.example.com"}
        ],
    )
    client.products.create(code="SKU-1", name="Servicio de instalación", account_group=1822, type="Service")
    client.products.create(
        code="TAL-750-001", name="Taladro percutor", account_group=1821, stock_control=True
    )


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(names=st.lists(st.sampled_from(sorted(STEPS)), min_size=2, max_size=10), data=st.data())
def test_the_books_add_up_after_any_sequence_of_documents(
    siigo_sandbox: Sandbox, names: list[str], data: st.DataObject
) -> None:
    siigo_sandbox.reset()
    with siigo_sandbox.client() as client:
        _seed(client)
        world = World(client, siigo_sandbox)
        for name in names:
            STEPS[name](world, data)
            for due in world.tenant.ledger["dues"].values():
                assert due["balance"] >= 0, (name, due["key"])
        check_the_books(world)
