"""A resource or document kind added elsewhere shows up in the command line and the inspector
with no code of theirs."""

from __future__ import annotations

from functools import cached_property
from typing import Literal

import click
import requests
from click.testing import CliRunner

from siigo import Client
from siigo.cli.app import Env, build
from siigo.cli.registry import resources
from siigo.kinds import PURCHASE
from siigo.models.common import DeleteResult
from siigo.models.quotations import Quotation, QuotationCreateParams
from siigo.pagination import Page
from siigo.resources._documents import DocumentResource
from siigo.sandbox import Sandbox


class Quotations:
    """Stands for a resource another module adds to the client."""

    def __init__(self, client: Client) -> None:
        self._client = client

    def list(
        self,
        *,
        customer_identification: str | None = None,
        status: Literal["Open", "Closed"] | None = None,
        ids: list[str] | None = None,
        page: int | None = None,
        page_size: int | None = None,
    ) -> Page[DeleteResult]:
        raise NotImplementedError

    def retrieve(self, id: str) -> DeleteResult:
        raise NotImplementedError

    def pdf(self, id: str) -> bytes:
        raise NotImplementedError

    def _private(self, id: str) -> None:
        raise NotImplementedError


class LargerClient(Client):
    @cached_property
    def payrolls(self) -> Quotations:
        return Quotations(self)


def test_a_new_resource_becomes_a_command_group() -> None:
    specs = resources(LargerClient)
    spec = specs["payrolls"]
    assert sorted(spec.verbs) == ["get", "list", "pdf"]
    assert spec.paged and not spec.has_totals
    options = {o.name: o for o in spec.verbs["list"].options}
    assert options["status"].kind == "choice" and options["status"].choices == ("Open", "Closed")
    assert options["ids"].kind == "many" and options["customer_identification"].kind == "str"
    assert spec.verbs["pdf"].returns_bytes
    group = build(Env("en"), specs)
    payrolls = group.get_command(click.Context(group), "payrolls")
    assert isinstance(payrolls, click.Group)
    shown = CliRunner().invoke(group, ["payrolls", "list", "--help"])
    assert shown.exit_code == 0
    assert "--status [Open|Closed]" in shown.output and "--customer-identification" in shown.output
    spanish = CliRunner().invoke(build(Env("es"), specs), ["payrolls", "--help"])
    assert "Guardar el PDF de un registro de payrolls" in spanish.output


def test_a_new_document_kind_and_webhook_deliveries_show_in_the_inspector(siigo_sandbox: Sandbox) -> None:
    with siigo_sandbox.client() as client:
        client.taxes.list()  # the company exists once it has logged in
    tenant = siigo_sandbox.tenant()
    tenant.extra["payrolls"] = {
        "c1": {"id": "c1", "name": "NE-1-1", "date": "2026-12-01", "total": 100, "stamp": {"status": "Draft"}}
    }
    tenant.extra["webhook_deliveries"] = [
        {"url": "http://127.0.0.1:9/hook", "topic": "invoice.created", "status": 200}
    ]
    view = requests.get(f"{siigo_sandbox.url}/_sandbox/companies/{tenant.username}", timeout=10).json()
    assert view["documents"]["payrolls"] == {
        "pdf": False,
        "rows": [
            {
                "id": "c1",
                "name": "NE-1-1",
                "date": "2026-12-01",
                "total": 100,
                "stamp": {"status": "Draft", "cufe": None},
            }
        ],
    }
    assert view["documents"]["invoices"] == {"pdf": True, "rows": []}
    assert view["documents"]["credit_notes"] == {"pdf": True, "rows": []}
    assert view["deliveries"] == [
        {"url": "http://127.0.0.1:9/hook", "topic": "invoice.created", "status": 200}
    ]
    no_pdf = requests.get(
        f"{siigo_sandbox.url}/_sandbox/companies/{tenant.username}/payrolls/c1/pdf", timeout=10
    )
    assert no_pdf.status_code == 404 and no_pdf.json()["Errors"][0]["Code"] == "not_found"


class Purchases(DocumentResource[Quotation]):
    """Stands for a document kind with totals another module adds (purchases, FC)."""

    kind = PURCHASE
    model = Quotation

    def create(self, params: QuotationCreateParams | dict[str, object] | None = None, /) -> Quotation:
        raise NotImplementedError

    def retrieve(self, id: str) -> Quotation:
        raise NotImplementedError


class WithPurchases(Client):
    @cached_property
    def purchases(self) -> Purchases:  # type: ignore[override]  # the stand-in replaces the real one
        return Purchases(self)


def test_a_new_document_kind_with_totals_gets_check() -> None:
    specs = resources(WithPurchases)
    assert specs["purchases"].has_totals
    assert Purchases.draft_model() is QuotationCreateParams
    specs_now = resources(Client)
    with_totals = {name for name, spec in specs_now.items() if spec.has_totals}
    assert {"credit-notes", "invoices", "quotations"} <= with_totals  # and any kind added since
    assert not with_totals & {"customers", "products", "taxes", "document-types"}
    group = build(Env("en"), specs)
    shown = CliRunner().invoke(group, ["purchases", "--help"])
    assert shown.exit_code == 0 and "check" in shown.output
