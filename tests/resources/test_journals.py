"""Journals over loopback HTTP: the balance checked before sending and by the sandbox, the chart of
accounts, the parts an account needs, dues moved in the ledger, movements posted."""

from __future__ import annotations

import datetime as _dt
from decimal import Decimal
from typing import Any

import pytest
import requests

from siigo import BadRequestError, Client, ValidationError
from siigo.kinds import JOURNAL
from siigo.models.catalogs import DocumentType
from siigo.models.documents import ReadBackWarning
from siigo.models.journals import JournalCreateParams
from siigo.rules.journals import check_journal_type
from siigo.sandbox import DEFAULT_PARTNER_ID, Sandbox, ledger

from .test_invoices import NIT, TODAY, token

D = Decimal
POST = "^/v1/journals$"


def line(code: str, movement: str, value: str, **extra: Any) -> dict[str, Any]:
    return {
        "account": {"code": code, "movement": movement},
        "customer": {"identification": NIT},
        "value": value,
        **extra,
    }


def body(*items: dict[str, Any], **overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {"document": {"id": 28480}, "date": TODAY.isoformat(), "items": list(items)}
    data.update(overrides)
    return data


def paid_service(value: str = "1850000") -> dict[str, Any]:
    return body(
        line("51354001", "Debit", value, cost_center=7701, description="Servicio de mensajería marzo"),
        line("11100501", "Credit", value, cost_center=7701, description="Pago desde cuenta corriente"),
        observations="Causación y pago servicio de mensajería",
    )


def test_a_balanced_journal_is_created_posted_and_read_back(shop: Client, siigo_sandbox: Sandbox) -> None:
    journal = shop.journals.create(paid_service())

    assert journal.name == "CC-1-12" and journal.number == 12
    assert journal.balance == 0 and journal.debits == journal.credits == D("1850000")
    first = journal.items[0] if journal.items else None
    assert first is not None and first.account is not None and first.customer is not None
    assert (first.account.code, first.account.movement, first.cost_center) == ("51354001", "Debit", 7701)
    assert first.customer.identification == NIT and first.customer.id  # expanded with the customer's id
    assert shop.journals.retrieve(journal.id).model_dump() == journal.model_dump()

    movements = siigo_sandbox.tenant().ledger["movements"][journal.id]
    assert [(m["account"], m["debit"], m["credit"], m["third_party"]) for m in movements] == [
        ("51354001", D("1850000"), D("0"), NIT),
        ("11100501", D("0"), D("1850000"), NIT),
    ]
    assert {m["name"] for m in movements} == {"CC-1-12"}


def test_an_unbalanced_journal_is_refused_locally_with_both_sums(
    shop: Client, siigo_sandbox: Sandbox
) -> None:
    unbalanced = body(line("51354001", "Debit", "1000.50"), line("11100501", "Credit", "999.50"))

    with pytest.raises(ValidationError) as local:
        shop.journals.create(unbalanced)

    assert local.value.codes == ["invalid_balance"]
    assert local.value.errors[0].params == ("items",)
    assert "1000.50" in local.value.message and "999.50" in local.value.message
    assert siigo_sandbox.journal(method="POST", path=POST) == []

    with pytest.raises(BadRequestError) as server:
        shop.journals.create(unbalanced, preflight=False)
    assert server.value.codes == ["invalid_balance"]
    assert server.value.errors[0].params == ("items",)
    assert "1000.50" in server.value.errors[0].message and "999.50" in server.value.errors[0].message
    assert siigo_sandbox.tenant().documents[JOURNAL.code] == {}
    assert siigo_sandbox.tenant().ledger["movements"] == {}


@pytest.mark.parametrize(
    ("code", "why"),
    [("51350599", "does not exist"), ("15929901", "inactive")],
)
def test_an_account_outside_the_chart_or_inactive_is_invalid_account(
    shop: Client, code: str, why: str
) -> None:
    with pytest.raises(BadRequestError) as refused:
        shop.journals.create(body(line("51354001", "Debit", "10"), line(code, "Credit", "10")))
    assert refused.value.codes == ["invalid_account"]
    assert refused.value.errors[0].params == ("items[1].account.code",)
    assert why in refused.value.errors[0].message


def test_an_account_code_that_is_not_digits_never_leaves_the_client(
    shop: Client, siigo_sandbox: Sandbox
) -> None:
    with pytest.raises(ValidationError) as refused:
        shop.journals.create(body(line("5135-40", "Debit", "10"), line("11100501", "Credit", "10")))
    assert refused.value.codes == ["invalid_account"]
    assert refused.value.errors[0].params == ("items[0].account.code",)
    assert siigo_sandbox.journal(method="POST", path=POST) == []


@pytest.mark.parametrize(
    ("value", "code"), [("0", "invalid_amount"), ("-5", "invalid_amount"), ("10.005", "invalid_amount")]
)
def test_values_are_positive_with_two_decimals_locally_and_on_the_server(
    shop: Client, siigo_sandbox: Sandbox, value: str, code: str
) -> None:
    bad = body(line("51354001", "Debit", value), line("11100501", "Credit", value))
    with pytest.raises(ValidationError) as local:
        shop.journals.create(bad)
    assert local.value.codes == [code, code]
    assert local.value.errors[0].params == ("items[0].value",)

    raw = requests.post(
        siigo_sandbox.url + "/v1/journals",
        data=f'{{"document": {{"id": 28480}}, "date": "{TODAY.isoformat()}", "items": ['
        f'{{"account": {{"code": "51354001", "movement": "Debit"}}, "customer": {{"identification": "{NIT}"}}, '
        f'"value": {value}}}]}}',
        headers={
            "Authorization": f"Bearer {token(siigo_sandbox)}",
            "Partner-Id": DEFAULT_PARTNER_ID,
            "Content-Type": "application/json",
        },
        timeout=10,
    )
    assert raw.status_code == 400
    assert [(e["Code"], e["Params"]) for e in raw.json()["Errors"]] == [(code, ["items[0].value"])]


@pytest.mark.parametrize(
    ("code", "part"),
    [
        ("13050501", "due"),  # receivable
        ("22050501", "due"),  # payable
        ("24080501", "tax"),
        ("14350101", "product"),
        ("15240501", "fixed_asset"),
    ],
)
def test_an_account_that_needs_a_part_refuses_a_line_without_it(shop: Client, code: str, part: str) -> None:
    with pytest.raises(BadRequestError) as refused:
        shop.journals.create(body(line(code, "Debit", "100"), line("11100501", "Credit", "100")))
    assert refused.value.codes == ["parameter_required"]
    assert refused.value.errors[0].params == (f"items[0].{part}",)


def test_each_part_an_account_needs_is_taken_and_echoed(shop: Client) -> None:
    journal = shop.journals.create(
        body(
            line("24081001", "Debit", "19000", tax={"id": 18401, "base_value": "100000"}),
            line(
                "14350101",
                "Debit",
                "100000",
                product={"code": "TAL-750-001", "quantity": 2, "warehouse": 3301},
            ),
            line("15240501", "Debit", "500000", fixed_asset={"id": 9101}),
            line("15281001", "Debit", "300000", fixed_assets=9102),
            line("11100501", "Credit", "919000"),
        )
    )
    items = journal.items or []
    tax, product, asset, other = (items[0].tax, items[1].product, items[2].fixed_asset, items[3].fixed_asset)
    assert tax is not None and (tax.id, tax.name, tax.percentage, tax.value, tax.base_value) == (
        18401,
        "IVA 19%",
        D("19"),
        D("19000"),
        D("100000"),
    )
    assert product is not None and (product.code, product.name, product.quantity) == (
        "TAL-750-001",
        "Taladro percutor",
        D("2"),
    )
    assert asset is not None and (asset.id, asset.name) == (9101, "Camioneta de reparto")
    assert other is not None and (other.id, other.name) == (9102, "Servidor contable")


def test_both_fixed_asset_spellings_at_once_are_refused_locally(shop: Client, siigo_sandbox: Sandbox) -> None:
    with pytest.raises(ValidationError) as refused:
        shop.journals.create(
            body(
                line("15240501", "Debit", "10", fixed_asset={"id": 9101}, fixed_assets=9101),
                line("11100501", "Credit", "10"),
            )
        )
    assert refused.value.codes == ["parameters_exclusive"]
    assert refused.value.errors[0].params == ("items[0]",)
    assert siigo_sandbox.journal(method="POST", path=POST) == []


def test_references_are_checked_with_siigos_codes(shop: Client) -> None:
    with pytest.raises(BadRequestError) as refused:
        shop.journals.create(
            body(
                {**line("51354001", "Debit", "10"), "customer": {"identification": "999999999"}},
                line("11100501", "Credit", "10", cost_center=12345),
                line("15240501", "Debit", "5", fixed_asset={"id": 9109}),
                line("11050501", "Credit", "5"),
            )
        )
    assert sorted(zip(refused.value.codes, [e.params for e in refused.value.errors], strict=True)) == [
        ("invalid_cost_center", ("items[1].cost_center",)),
        ("invalid_reference", ("items[0].customer.identification",)),
        ("parameter_inactive", ("items[2].fixed_asset",)),
    ]


def test_an_unknown_tax_is_refused_locally_and_by_the_sandbox(shop: Client, siigo_sandbox: Sandbox) -> None:
    taxed = body(line("24081001", "Debit", "19", tax={"id": 77777}), line("11100501", "Credit", "19"))
    with pytest.raises(ValidationError) as local:
        shop.journals.create(taxed)
    assert (local.value.codes, local.value.errors[0].params) == (["invalid_reference"], ("items[0].tax.id",))
    assert siigo_sandbox.journal(method="POST", path=POST) == []
    with pytest.raises(BadRequestError) as server:
        shop.journals.create(taxed, preflight=False)
    assert (server.value.codes, server.value.errors[0].params) == (
        ["invalid_reference"],
        ("items[0].tax.id",),
    )


def test_a_receivable_due_is_opened_and_paid_down_never_below_zero(
    shop: Client, siigo_sandbox: Sandbox
) -> None:
    due = {"prefix": "SI-1", "consecutive": 7, "quote": 1, "date": TODAY.isoformat()}
    opening = shop.journals.create(
        body(line("13050501", "Debit", "500000", due=due), line("31050501", "Credit", "500000")),
        idempotency_key="OPENING1",
    )
    tenant = siigo_sandbox.tenant()
    opened = ledger.due(tenant, "SI-1", 7, 1)
    assert opened is not None and opened["document"] == opening.id
    assert (opened["side"], opened["value"], opened["balance"]) == ("receivable", D("500000"), D("500000"))

    payment = shop.journals.create(
        body(line("11100501", "Debit", "200000"), line("13050501", "Credit", "200000", due=due))
    )
    assert opened["balance"] == D("300000")
    assert opened["paid_by"] == {payment.id: D("200000")}

    with pytest.raises(BadRequestError) as refused:
        shop.journals.create(
            body(line("11100501", "Debit", "300000.01"), line("13050501", "Credit", "300000.01", due=due))
        )
    assert refused.value.codes == ["invalid_amount"]
    assert refused.value.errors[0].params == ("items[1].value",)
    assert opened["balance"] == D("300000")
    assert len(tenant.documents[JOURNAL.code]) == 2


def test_a_payable_due_opened_by_a_journal_is_listed_as_owed(shop: Client, siigo_sandbox: Sandbox) -> None:
    due = {"prefix": "SP-1", "consecutive": 31, "quote": 1, "date": TODAY.isoformat()}
    shop.journals.create(
        body(line("51354001", "Debit", "750000"), line("22050501", "Credit", "750000", due=due))
    )

    owed = shop.accounts_payable.list(provider_identification=NIT).to_list()

    assert len(owed) == 1 and owed[0].due is not None and owed[0].provider is not None
    assert (owed[0].due.prefix, owed[0].due.consecutive, owed[0].due.quote) == ("SP-1", 31, 1)
    assert owed[0].due.balance == D("750000")
    assert owed[0].provider.identification == NIT and owed[0].provider.name == "Ferretería El Tornillo S.A.S."


def test_journals_are_listed_by_name_and_date(shop: Client) -> None:
    earlier = (TODAY - _dt.timedelta(days=40)).isoformat()
    old = shop.journals.create(paid_service(), date=earlier)
    new = shop.journals.create(paid_service("10"))
    assert [j.id for j in shop.journals.list(date_end=earlier)] == [old.id]
    assert [j.id for j in shop.journals.list(name=new.name or "")] == [new.id]
    assert [j.id for j in shop.journals.list(document_id=28480)] == [old.id, new.id]


def test_an_electronic_journal_type_takes_a_date_within_ten_days() -> None:
    electronic = DocumentType(id=28481, type="CC", active=True, electronic_type="ElectronicJournal")
    plain = DocumentType(id=28480, type="CC", active=True, electronic_type="NoElectronic")
    today = _dt.date(2026, 3, 31)

    def journal(day: _dt.date) -> JournalCreateParams:
        return JournalCreateParams.model_validate(
            body(
                line("51354001", "Debit", "1"),
                line("11100501", "Credit", "1"),
                date=day.isoformat(),
                document={"id": 28481},
            )
        )

    for days, refused in ((10, False), (-10, False), (11, True), (-11, True)):
        errors = check_journal_type(journal(today + _dt.timedelta(days=days)), electronic, today)
        assert [e.code for e in errors] == (["invalid_date"] if refused else []), days
        assert not check_journal_type(journal(today + _dt.timedelta(days=days)), plain, today)
    assert check_journal_type(journal(today), electronic, today) == []


def test_an_electronic_journal_type_is_held_to_its_dates_by_the_client_and_the_sandbox(
    shop: Client, siigo_sandbox: Sandbox
) -> None:
    # No fixture type is electronic (Siigo documents no electronic_type value for journals): the
    # test gives the company one.
    types = siigo_sandbox.tenant().catalogs["document_types"]
    plain = next(t for t in types if t["id"] == 28480)
    types.append(
        {**plain, "id": 28489, "code": "9", "prefix": "CC-9", "electronic_type": "ElectronicJournal"}
    )
    late = (TODAY - _dt.timedelta(days=11)).isoformat()
    entry = body(line("51354001", "Debit", "10"), line("11100501", "Credit", "10"), document={"id": 28489})

    with pytest.raises(ValidationError) as local:
        shop.journals.create(entry, date=late)
    assert (local.value.codes, local.value.errors[0].params) == (["invalid_date"], ("date",))
    with pytest.raises(BadRequestError) as server:
        shop.journals.create(entry, date=late, preflight=False)
    assert (server.value.codes, server.value.errors[0].params) == (["invalid_date"], ("date",))
    ok = shop.journals.create(entry, date=(TODAY - _dt.timedelta(days=10)).isoformat())
    assert ok.name and ok.name.startswith("CC-9-")


def test_a_journal_read_back_can_be_sent_again(shop: Client, siigo_sandbox: Sandbox) -> None:
    first = shop.journals.create(
        body(
            line("24081001", "Debit", "19", tax={"id": 18401}),
            line(
                "14350101", "Debit", "100", product={"code": "TAL-750-001", "quantity": 1, "warehouse": 3301}
            ),
            line("15240501", "Debit", "50", fixed_asset={"id": 9101}),
            line("11100501", "Credit", "169"),
        )
    )
    with pytest.warns(ReadBackWarning, match="dropped what Siigo only returns"):
        again = shop.journals.create(shop.journals.retrieve(first.id))
    assert again.id != first.id and again.number == (first.number or 0) + 1
    assert [i.model_dump() for i in again.items or []] == [i.model_dump() for i in first.items or []]


def test_the_preflight_reads_taxes_only_for_a_journal_with_taxes(
    shop: Client, siigo_sandbox: Sandbox
) -> None:
    shop.journals.create(paid_service())
    assert siigo_sandbox.journal(method="GET", path="^/v1/taxes$") == []
    assert len(siigo_sandbox.journal(method="GET", path="^/v1/document-types$")) == 1
    shop.journals.create(
        body(line("24081001", "Debit", "19", tax={"id": 18401}), line("11100501", "Credit", "19"))
    )
    shop.journals.create(
        body(line("24081001", "Debit", "19", tax={"id": 18401}), line("11100501", "Credit", "19"))
    )
    assert len(siigo_sandbox.journal(method="GET", path="^/v1/taxes$")) == 1


def test_a_journal_that_collects_an_invoice_due_lowers_the_invoices_balance(shop: Client) -> None:
    from .test_invoices import invoice_body

    invoice = shop.invoices.create(
        invoice_body(payments=[{"id": 6102, "value": "1130.50", "due_date": TODAY.isoformat()}])
    )
    assert invoice.balance == D("1130.50") and invoice.name
    prefix, _, number = invoice.name.rpartition("-")
    due = {"prefix": prefix, "consecutive": int(number), "quote": 1, "date": TODAY.isoformat()}

    shop.journals.create(
        body(line("11100501", "Debit", "130.50"), line("13050501", "Credit", "130.50", due=due))
    )

    assert shop.invoices.retrieve(invoice.id).balance == D("1000.00")
