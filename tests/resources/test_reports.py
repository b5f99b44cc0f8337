"""Reports over loopback HTTP: the trial balance computed from the ledger, downloaded as a real
.xlsx and opened; its range rules locally and in the sandbox; the download never carries the
token; the accounts payable from the ledger's open payable dues, in both envelopes."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable
from decimal import Decimal
from typing import Any
from xml.etree import ElementTree

import pytest
import requests

from siigo import (
    APIConnectionError,
    BadRequestError,
    Client,
    NotFoundError,
    ResponseTooLargeError,
    ValidationError,
)
from siigo.kinds import JOURNAL, PURCHASE
from siigo.sandbox import DEFAULT_PARTNER_ID, Sandbox, accounts, ledger

from .test_invoices import NIT, token

D = Decimal
SHEET = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
OTHER = "1036654321"  # Laura Gómez Duque, seeded by the shop fixture


def read_xlsx(content: bytes) -> list[list[str]]:
    """The first sheet's rows as text, read from the workbook's XML (no spreadsheet library)."""
    with zipfile.ZipFile(io.BytesIO(content)) as book:
        assert book.testzip() is None
        types = book.read("[Content_Types].xml").decode()
        assert "spreadsheetml.sheet.main+xml" in types
        assert 'name="Balance de prueba"' in book.read("xl/workbook.xml").decode()
        strings = [
            "".join(t.text or "" for t in item.iter(f"{SHEET}t"))
            for item in ElementTree.fromstring(book.read("xl/sharedStrings.xml")).iter(f"{SHEET}si")
        ]
        sheet = ElementTree.fromstring(book.read("xl/worksheets/sheet1.xml"))
    rows: list[list[str]] = []
    for row in sheet.iter(f"{SHEET}row"):
        while len(rows) < int(row.get("r", "0")) - 1:
            rows.append([])  # a row with no cells is not written
        cells: dict[int, str] = {}
        for cell in row.iter(f"{SHEET}c"):
            letters = re.match(r"[A-Z]+", cell.get("r", ""))
            value = cell.find(f"{SHEET}v")
            if letters is None or value is None or value.text is None:
                continue
            column = sum((ord(ch) - 64) * 26**i for i, ch in enumerate(reversed(letters.group()))) - 1
            cells[column] = strings[int(value.text)] if cell.get("t") == "s" else value.text
        rows.append([cells.get(i, "") for i in range(max(cells, default=-1) + 1)])
    assert rows, "the sheet has no rows"
    return rows


def by_code(rows: list[list[str]]) -> dict[str, list[str]]:
    """The account, group and class rows of a general trial balance, by code."""
    return {row[1]: row for row in rows if row and row[0] in ("Clase", "Grupo", "Auxiliar")}


def journal(client: Client, date: str, debit: str, credit: str, value: str, who: str = NIT) -> None:
    client.journals.create(
        document={"id": 28480},
        date=date,
        items=[
            {
                "account": {"code": debit, "movement": "Debit"},
                "customer": {"identification": who},
                "value": value,
            },
            {
                "account": {"code": credit, "movement": "Credit"},
                "customer": {"identification": who},
                "value": value,
            },
        ],
    )


def test_the_trial_balance_is_computed_from_the_ledger_and_opens_as_a_spreadsheet(
    shop: Client, siigo_sandbox: Sandbox
) -> None:
    journal(shop, "2026-02-15", accounts.BANK, "31050501", "10000000")  # before the period
    journal(shop, "2026-03-10", "51354001", accounts.BANK, "1850000")
    journal(shop, "2026-04-02", "51354001", accounts.BANK, "99")  # after it

    report = shop.reports.trial_balance(year=2026, month_start=3, month_end=3)

    assert report.file_id and report.file_url and report.file_url.endswith(".xlsx")
    assert report.file_url.startswith(siigo_sandbox.url + "/reports/")
    siigo_sandbox.clear_journal()
    content = shop.reports.download(report)
    rows = read_xlsx(content)

    assert rows[0] == ["Balance de prueba general"]
    assert rows[5] == ["Nivel", "Código", "Nombre", "Saldo inicial", "Débitos", "Créditos", "Saldo final"]
    lines = by_code(rows)
    assert list(lines) == ["1", "11", "11100501", "3", "31", "31050501", "5", "51", "51354001"]
    assert lines["11100501"][2:] == [
        "Bancos nacionales - cuenta corriente",
        "10000000",
        "0",
        "1850000",
        "8150000",
    ]
    assert lines["31050501"][3:] == ["-10000000", "0", "0", "-10000000"]
    assert lines["51354001"][3:] == ["0", "1850000", "0", "1850000"]
    assert lines["1"][:3] == ["Clase", "1", "Activo"] and lines["11"][2] == "Disponible"
    assert lines["5"][3:] == lines["51354001"][3:]
    assert rows[-1][0] == "Totales" and rows[-1][4] == rows[-1][5] == "1850000"

    downloads = siigo_sandbox.journal(method="GET", path="^/reports/")
    assert [(d.status, d.authorized, d.partner_id) for d in downloads] == [(200, False, None)]


def test_the_trial_balance_by_third_party_has_a_line_per_third_party(shop: Client) -> None:
    journal(shop, "2026-03-03", "51354001", accounts.BANK, "100", who=NIT)
    journal(shop, "2026-03-04", "51354001", accounts.BANK, "40", who=OTHER)

    every = read_xlsx(
        shop.reports.download(
            shop.reports.trial_balance_by_third_party(year=2026, month_start=1, month_end=13)
        )
    )
    one = read_xlsx(
        shop.reports.download(
            shop.reports.trial_balance_by_third_party(
                year=2026, month_start=1, month_end=13, customer={"identification": OTHER}
            )
        )
    )

    assert every[0] == ["Balance de prueba por tercero"]
    lines = [row for row in every if row and row[0] == "Auxiliar" and row[1] == "51354001"]
    assert [(row[3], row[4], row[6]) for row in lines] == [
        (OTHER, "Laura Gómez Duque", "40"),
        (NIT, "Ferretería El Tornillo S.A.S.", "100"),
    ]
    only = [row for row in one if row and row[0] == "Auxiliar"]
    assert {row[3] for row in only} == {OTHER} and len(only) == 2
    assert one[-1][0] == "Totales" and one[-1][6] == one[-1][7] == "40"


BAD_RANGES: list[tuple[dict[str, Any], str, str]] = [
    ({"month_start": 0}, "invalid_range", "month_start"),
    ({"month_end": 14}, "invalid_range", "month_end"),
    ({"month_start": 5, "month_end": 4}, "invalid_range", "month_start"),
    ({"year": 226}, "invalid_range", "year"),
    ({"account_start": "41350501", "account_end": "11050501"}, "invalid_account", "account_start"),
]


@pytest.mark.parametrize(("change", "code", "field"), BAD_RANGES)
def test_range_rules_are_checked_locally_and_by_the_sandbox(
    shop: Client, siigo_sandbox: Sandbox, change: dict[str, Any], code: str, field: str
) -> None:
    fields: dict[str, Any] = {"year": 2026, "month_start": 1, "month_end": 12, **change}
    for call in (shop.reports.trial_balance, shop.reports.trial_balance_by_third_party):
        with pytest.raises(ValidationError) as local:
            call(**fields)
        assert [(e.code, e.params) for e in local.value.errors] == [(code, (field,))]
    assert siigo_sandbox.journal(method="POST", path="^/v1/test-balance") == []

    for path in ("/v1/test-balance-report", "/v1/test-balance-report-by-thirdparty"):
        answer = requests.post(
            siigo_sandbox.url + path,
            json={**fields, "includes_tax_difference": False},
            headers={"Authorization": f"Bearer {token(siigo_sandbox)}", "Partner-Id": DEFAULT_PARTNER_ID},
            timeout=10,
        )
        assert answer.status_code == 400
        assert [(e["Code"], e["Params"]) for e in answer.json()["Errors"]] == [(code, [field])]


def test_an_account_outside_the_chart_is_invalid_reference(shop: Client) -> None:
    with pytest.raises(BadRequestError) as refused:
        shop.reports.trial_balance(year=2026, month_start=1, month_end=1, account_start="11111111")
    assert [(e.code, e.params) for e in refused.value.errors] == [("invalid_reference", ("account_start",))]
    with pytest.raises(BadRequestError) as unknown:
        shop.reports.trial_balance_by_third_party(
            year=2026, month_start=1, month_end=1, customer={"identification": "123123123"}
        )
    assert [(e.code, e.params) for e in unknown.value.errors] == [
        ("invalid_reference", ("customer.identification",))
    ]


def test_a_download_never_goes_to_a_plain_http_host_elsewhere(shop: Client, siigo_sandbox: Sandbox) -> None:
    siigo_sandbox.clear_journal()
    with pytest.raises(ValidationError) as refused:
        shop.reports.download("http://reports.example.com/Balance.xlsx")
    assert [(e.code, e.params) for e in refused.value.errors] == [("invalid_url", ("file_url",))]
    with pytest.raises(ValidationError) as empty:
        shop.reports.download("")
    assert [(e.code, e.params) for e in empty.value.errors] == [("parameter_required", ("file_url",))]
    assert siigo_sandbox.journal() == []


def test_a_download_is_held_to_the_size_limit_and_a_missing_file_is_not_found(
    shop: Client, siigo_sandbox: Sandbox, make_client: Callable[..., Client]
) -> None:
    report = shop.reports.trial_balance(year=2026, month_start=1, month_end=12)
    assert report.file_url is not None
    with pytest.raises(NotFoundError):
        shop.reports.download(
            report.file_url.replace(report.file_id or "", "00000000-0000-4000-8000-000000000000")
        )
    small = make_client(max_response_bytes=2048)
    with pytest.raises(ResponseTooLargeError):
        small.reports.download(report)
    assert len(shop.reports.download(report)) > 2048


def _payable(
    tenant: Any, document_id: str, consecutive: int, value: str, date: str, who: dict[str, Any]
) -> None:
    """A supplier's due written straight into the books (what a credit purchase leaves owed), for
    dates, branches and counts that would take many purchases (one purchase end to end is
    :func:`test_a_purchase_on_credit_is_owed_until_it_is_paid`)."""
    row = {"id": document_id, "name": f"FC-1-{consecutive}", "date": date}
    ledger.post(
        tenant,
        row,
        PURCHASE.code,
        [
            ledger.line("51959501", debit=D(value)),
            ledger.line(accounts.PAYABLES, credit=D(value), third_party=who["identification"]),
        ],
    )
    ledger.open_due(
        tenant,
        row,
        side="payable",
        prefix="FC-1",
        consecutive=consecutive,
        quote=1,
        date=date,
        value=D(value),
        third_party=who,
    )


SUPPLIER = {
    "id": "s-1",
    "identification": "830117028",
    "branch_office": 0,
    "name": "Distribuidora Andina S.A.",
}
BRANCH = {
    "id": "s-2",
    "identification": "830117028",
    "branch_office": 1,
    "name": "Distribuidora Andina Sede Sur",
}


def test_accounts_payable_lists_the_open_payable_dues(shop: Client, siigo_sandbox: Sandbox) -> None:
    tenant = siigo_sandbox.tenant()
    for n in range(12):
        _payable(tenant, f"fc-{n}", 100 + n, f"{1000 + n}.00", f"2026-04-{n + 1:02d}", SUPPLIER)
    _payable(tenant, "fc-b", 200, "50.00", "2026-05-01", BRANCH)
    ledger.pay(tenant, "rp-1", tenant.ledger["dues"]["FC-1/100/1"], D("1000.00"))  # paid in full

    page = shop.accounts_payable.list(page_size=10)
    everything = page.to_list()

    assert (len(page.items), page.total_results, page.has_next_page()) == (10, 12, True)
    assert [d.due.consecutive for d in everything if d.due] == [*range(101, 112), 200]
    first = everything[0]
    assert first.due is not None and first.provider is not None
    assert (first.due.prefix, first.due.quote, first.due.balance) == ("FC-1", 1, D("1001.00"))
    assert (first.provider.identification, first.provider.name) == ("830117028", "Distribuidora Andina S.A.")

    dated = shop.accounts_payable.list(due_date_start="2026-04-10", due_date_end="2026-04-11")
    assert [d.due.consecutive for d in dated if d.due] == [109, 110]
    branch = shop.accounts_payable.list(provider_identification="830117028", provider_branch_office=1)
    assert [d.due.consecutive for d in branch if d.due] == [200]


def test_accounts_payable_reads_the_wrapped_envelope_too(shop: Client, siigo_sandbox: Sandbox) -> None:
    tenant = siigo_sandbox.tenant()
    for n in range(11):
        _payable(tenant, f"fc-{n}", 300 + n, "10.00", "2026-06-01", SUPPLIER)
    tenant.extra["accounts_payable_envelope"] = "value"

    page = shop.accounts_payable.list(page_size=10)

    assert (len(page.items), page.total_results) == (10, 11)
    assert [d.due.consecutive for d in page if d.due] == list(range(300, 311))


def test_accounts_payable_filters_are_checked_locally_and_by_the_sandbox(
    shop: Client, siigo_sandbox: Sandbox
) -> None:
    cases: list[tuple[dict[str, Any], str, str]] = [
        ({"provider_branch_office": 1}, "parameter_required", "provider_identification"),
        (
            {"due_date_start": "2026-05-02", "due_date_end": "2026-05-01"},
            "invalid_date_range",
            "due_date_start",
        ),
    ]
    siigo_sandbox.clear_journal()
    for filters, code, field in cases:
        with pytest.raises(ValidationError) as local:
            shop.accounts_payable.list(**filters)
        assert [(e.code, e.params) for e in local.value.errors] == [(code, (field,))]
        answer = requests.get(
            siigo_sandbox.url + "/v1/accounts-payable",
            params=filters,
            headers={"Authorization": f"Bearer {token(siigo_sandbox)}", "Partner-Id": DEFAULT_PARTNER_ID},
            timeout=10,
        )
        assert answer.status_code == 400
        assert [(e["Code"], e["Params"]) for e in answer.json()["Errors"]] == [(code, [field])]
    # only the two raw requests reached the sandbox: the client sent nothing
    assert [e.status for e in siigo_sandbox.journal(method="GET", path="^/v1/accounts-payable$")] == [
        400,
        400,
    ]


def test_a_failed_download_does_not_show_the_links_signature(make_client: Callable[..., Client]) -> None:
    client = make_client()
    with pytest.raises(APIConnectionError) as failed:
        client.reports.download("https://127.0.0.1:1/reportes/Balance.xlsx?sv=2024&sig=S3CR3TSIGNATURE")
    assert "S3CR3TSIGNATURE" not in str(failed.value)
    assert "https://127.0.0.1:1/reportes/Balance.xlsx" in str(failed.value)


def test_the_account_range_narrows_the_trial_balance(shop: Client) -> None:
    journal(shop, "2026-03-10", "51354001", accounts.BANK, "1850000")
    journal(shop, "2026-03-11", "53050501", "11050501", "12000")

    report = shop.reports.trial_balance(
        year=2026, month_start=3, month_end=3, account_start="51050601", account_end="53052001"
    )
    lines = by_code(read_xlsx(shop.reports.download(report)))

    assert list(lines) == ["5", "51", "51354001", "53", "53050501"]
    assert lines["5"][4] == "1862000"


def test_a_stored_report_survives_a_state_file(tmp_path: Any) -> None:
    from siigo.sandbox.persist import load_state, save_state
    from siigo.sandbox.reports import find_report, render_xlsx, store_report
    from siigo.sandbox.state import SandboxState

    state = SandboxState()
    tenant = state.tenant("empresa@example.com")
    ledger.post(
        tenant,
        {"id": "cc-1", "name": "CC-1-1", "date": "2026-03-10"},
        JOURNAL.code,
        [ledger.line("51354001", debit=D("10.25")), ledger.line(accounts.BANK, credit=D("10.25"))],
    )
    computed = ledger.trial_balance(tenant, date_start="2026-03-01", date_end="2026-03-31")
    store_report(
        tenant,
        "f-1",
        {
            "title": "Balance de prueba general",
            "file_name": "Balance.xlsx",
            "company": tenant.username,
            "period": "2026, meses 3",
            "created": "now",
            **computed,
        },
    )
    save_state(state, tmp_path / "state.json")
    again = SandboxState()
    load_state(again, tmp_path / "state.json")

    report = find_report(again, "f-1")
    assert report is not None and report["debit"] == report["credit"] == D("10.25")
    lines = by_code(read_xlsx(render_xlsx(report)))
    assert lines["51354001"][3:] == ["0", "10.25", "0", "10.25"]


def test_a_purchase_on_credit_is_owed_until_it_is_paid(shop: Client) -> None:
    from .test_purchases import purchase_body

    purchase = shop.purchases.create(purchase_body())
    owed = shop.accounts_payable.list(provider_identification=NIT).to_list()
    assert [(o.due.prefix, o.due.consecutive, o.due.quote, o.due.balance) for o in owed if o.due] == [
        ("FC-1", purchase.number, 1, D("595000.00"))
    ]
    assert owed[0].provider is not None and owed[0].provider.identification == NIT

    receipt = shop.payment_receipts.for_purchase(
        purchase, payment={"id": 6201}, document={"id": 28491}, amount="95000"
    )
    shop.payment_receipts.create(receipt)
    assert [o.due.balance for o in shop.accounts_payable.list() if o.due] == [D("500000.00")]

    rest = shop.payment_receipts.for_purchase(
        shop.purchases.retrieve(purchase.id), payment={"id": 6201}, document={"id": 28491}
    )
    shop.payment_receipts.create(rest)
    assert shop.accounts_payable.list().to_list() == []
