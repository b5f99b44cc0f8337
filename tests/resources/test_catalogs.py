"""Catalog resources over HTTP, and their models against Siigo's published examples."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from pydantic import TypeAdapter

from siigo import Client, NotFoundError, ValidationError
from siigo.models.catalogs import (
    AccountGroup,
    AssetGroup,
    AvailableDocument,
    CostCenter,
    DocumentType,
    Expense,
    FixedAsset,
    MiscIncome,
    PaymentType,
    PriceList,
    Tax,
    Warehouse,
)
from siigo.sandbox import Sandbox

from ..conftest import EXAMPLES, example_bytes

ARRAY_EXAMPLES: dict[str, type[Any]] = {
    "get_account-groups__response-200.json": AccountGroup,
    "get_taxes__response-200.json": Tax,
    "get_price-lists__response-200.json": PriceList,
    "get_warehouses__response-200.json": Warehouse,
    "get_cost-centers__response-200.json": CostCenter,
    "get_fixed-assets__response-200.json": FixedAsset,
    "get_payment-types-document-type-fv__response-200.json": PaymentType,
}


@pytest.mark.parametrize("name", sorted(ARRAY_EXAMPLES))
def test_catalog_examples_parse(name: str) -> None:
    model = ARRAY_EXAMPLES[name]
    rows: list[Any] = TypeAdapter(list[model]).validate_json(example_bytes(name))  # type: ignore[valid-type]
    assert rows and all(isinstance(row, model) and isinstance(row.id, int) for row in rows)


@pytest.mark.parametrize("path", sorted(p.name for p in EXAMPLES.glob("get_document-types-type-*.json")))
def test_document_type_examples_parse(path: str) -> None:
    rows = TypeAdapter(list[DocumentType]).validate_json(example_bytes(path))
    assert rows and all(row.id > 0 and row.type for row in rows)


def test_account_group_write_examples_parse() -> None:
    for name in ("post_account-groups__response-201.json", "put_account-groups-id__response-201.json"):
        group = AccountGroup.model_validate_json(example_bytes(name))
        assert group.id


def test_every_catalog_over_http(siigo_sandbox: Sandbox, make_client: Callable[..., Client]) -> None:
    client = make_client()
    taxes = client.taxes.list()
    iva = next(t for t in taxes if t.id == 18401)
    assert iva.type == "IVA" and iva.percentage == Decimal("19")
    assert any(t.active is False for t in taxes)
    assert [p.position for p in client.price_lists.list()][:3] == [1, 2, 3]
    assert any(w.active is False for w in client.warehouses.list())
    assert any(c.code == "13-1" for c in client.cost_centers.list())
    assert all(a.group for a in client.fixed_assets.list())
    assert {g.id for g in client.account_groups.list()} >= {1821, 1822}
    users = client.users.list()
    assert any(u.id == 4120 for u in users)
    fv = client.document_types.list(type="FV")
    assert fv and all(d.type == "FV" for d in fv)
    assert any(d.discount_type == "Percentage" for d in fv) and any(d.is_electronic for d in fv)
    assert {d.type for d in client.document_types.list(type="NC")} == {"NC"}
    credit = [p for p in client.payment_types.list(document_type="FV") if p.due_date]
    assert credit and credit[0].type == "Cartera"


def test_account_groups_create_and_update(siigo_sandbox: Sandbox, make_client: Callable[..., Client]) -> None:
    client = make_client()
    group = client.account_groups.create(code="HERR", name="Herramientas")
    assert group.active is True
    renamed = client.account_groups.update(group.id, code="HERR2", name="Herramienta eléctrica")
    assert (renamed.id, renamed.code, renamed.name) == (group.id, "HERR2", "Herramienta eléctrica")
    with pytest.raises(NotFoundError):
        client.account_groups.update(999999, code="NADA", name="No existe")


def test_catalog_arguments_are_checked_locally(
    siigo_sandbox: Sandbox, make_client: Callable[..., Client]
) -> None:
    client = make_client()
    with pytest.raises(ValidationError, match="FV, NC"):
        client.document_types.list(type="XX")  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match="use FC for payment receipts"):
        client.payment_types.list(document_type="RP")  # type: ignore[arg-type]
    assert siigo_sandbox.journal(path="^/v1/") == []


def test_sandbox_requires_the_type_filters(
    siigo_sandbox: Sandbox, make_client: Callable[..., Client]
) -> None:
    client = make_client()
    client.authenticate()
    for path, field in (("/v1/document-types", "type"), ("/v1/payment-types", "document_type")):
        response = client._session.get(
            siigo_sandbox.url + path,
            headers={
                "Authorization": "Bearer " + client._tokens.token(),
                "Partner-Id": "MiApp",
            },
        )
        assert response.status_code == 400
        assert response.json()["Errors"][0]["Code"] == "parameter_required"
        assert response.json()["Errors"][0]["Message"] == f"The field {field} is required"


def _fetches(sandbox: Sandbox, path: str) -> int:
    return len(sandbox.journal(method="GET", path=f"^{path}$"))


def test_expenses_misc_incomes_and_asset_groups_are_listed_and_cached(
    siigo_sandbox: Sandbox, make_client: Callable[..., Client]
) -> None:
    client = make_client()
    expenses = client.expenses.list()
    assert expenses[0].name == "53053501 - Descuentos comerciales condicionados"
    assert expenses[0].account_code == "53053501"
    assert any(e.active is False for e in expenses)
    incomes = client.misc_incomes.list()
    assert {i.account_code for i in incomes} >= {"42100501", "42950501"}
    assert any(i.active is False for i in incomes)
    groups = client.asset_groups.list()
    assert any(g.name == "Equipo de cómputo" and g.active for g in groups)
    assert any(g.active is False for g in groups)

    siigo_sandbox.clear_journal()
    cache = client.catalog_cache
    for _ in range(3):
        assert cache.expenses()[5301].account_code == "53053501"
        assert cache.misc_incomes()[4209].active is False
        assert cache.asset_groups()[1502].name == "Equipo de cómputo"
    assert [_fetches(siigo_sandbox, p) for p in ("/v1/expenses", "/v1/misc-incomes", "/v1/asset-groups")] == [
        1,
        1,
        1,
    ]
    cache.refresh()
    assert [_fetches(siigo_sandbox, p) for p in ("/v1/expenses", "/v1/misc-incomes", "/v1/asset-groups")] == [
        2,
        2,
        2,
    ]


def test_available_documents_count_what_dian_accepted(shop: Client) -> None:
    from .test_invoices import invoice_body

    before = {d.type: d for d in shop.available_documents.list()}
    assert set(before) == {"FV", "NC", "DS"}
    assert (before["FV"].total_purchased, before["FV"].used, before["FV"].available) == (500, 0, 500)

    shop.invoices.create(invoice_body(document={"id": 28453}, stamp={"send": True}))  # electronic, accepted
    shop.invoices.create(invoice_body())  # not electronic: uses nothing

    after = {d.type: d for d in shop.available_documents.list()}
    assert (after["FV"].used, after["FV"].available) == (1, 499)
    assert (after["NC"].used, after["NC"].available) == (0, 100)


def test_the_new_catalogs_parse_what_siigos_references_show() -> None:
    expense = Expense.model_validate(
        {"id": "5301", "name": "53052001 - Descuentos comerciales condicionados"}
    )
    assert (expense.id, expense.account_code, expense.active) == (5301, "53052001", None)
    assert MiscIncome.model_validate({"id": 1, "name": "Otros ingresos"}).account_code is None
    quota = AvailableDocument.model_validate(
        {"type": "FV", "total_purchased": 100, "used": 3, "available": 97}
    )
    assert (quota.type, quota.available) == ("FV", 97)
    assert AssetGroup.model_validate({"id": 1501, "name": "Flota", "active": True, "extra": 1}).active is True
