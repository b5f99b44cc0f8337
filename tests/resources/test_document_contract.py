"""One contract for every document kind the client has: hostile ids, malformed bodies,
pagination, idempotent replay after a dropped connection, each refusal with Siigo's code.

A kind added to :data:`CASES` inherits every test here."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
import requests

from siigo import BadRequestError, Client, NotFoundError, ValidationError
from siigo.kinds import (
    CREDIT_NOTE,
    INVOICE,
    JOURNAL,
    PAYMENT_RECEIPT,
    PURCHASE,
    PURCHASE_SUPPORT,
    QUOTATION,
    RECEIPT,
    Kind,
)
from siigo.sandbox import DEFAULT_PARTNER_ID, Sandbox

from .test_invoices import NIT, TODAY, invoice_body, token


@dataclass(frozen=True)
class Case:
    kind: Kind
    resource: str
    body: Callable[[Client], dict[str, Any]]
    """A valid body (creating whatever it refers to first)."""

    def create(self, client: Client, body: dict[str, Any], **options: Any) -> Any:
        return getattr(client, self.resource).create(body, **options)


def _invoice(client: Client) -> dict[str, Any]:
    return invoice_body()


def _credit_note(client: Client) -> dict[str, Any]:
    invoice = client.invoices.create(
        invoice_body(
            items=[{"code": "SKU-1", "quantity": 100, "price": "100.00", "taxes": [{"id": 18401}]}],
            payments=[{"id": 6102, "value": "11900.00", "due_date": TODAY.isoformat()}],
        )
    )
    body = client.credit_notes.from_invoice(invoice, document={"id": 28460}, lines={0: 1})
    return body.to_wire()


def _quotation(client: Client) -> dict[str, Any]:
    return {
        "document": {"id": 28492},
        "date": TODAY.isoformat(),
        "customer": {"identification": NIT},
        "seller": 4120,
        "items": [{"code": "SKU-1", "quantity": 1, "price": "100.00", "taxes": [{"id": 18401}]}],
    }


def _journal(client: Client) -> dict[str, Any]:
    return {
        "document": {"id": 28480},
        "date": TODAY.isoformat(),
        "items": [
            {
                "account": {"code": "51354001", "movement": "Debit"},
                "customer": {"identification": NIT},
                "cost_center": 7701,
                "description": "Servicio de mensajería",
                "value": "185000.00",
            },
            {
                "account": {"code": "11100501", "movement": "Credit"},
                "customer": {"identification": NIT},
                "cost_center": 7701,
                "description": "Pago desde cuenta corriente",
                "value": "185000.00",
            },
        ],
        "observations": "Causación y pago de mensajería",
    }


def _voucher(client: Client) -> dict[str, Any]:
    invoice = client.invoices.create(
        invoice_body(
            items=[{"code": "SKU-1", "quantity": 1, "price": "100.00", "taxes": [{"id": 18401}]}],
            payments=[{"id": 6102, "value": "119.00", "due_date": TODAY.isoformat()}],
        )
    )
    return client.vouchers.for_invoice(invoice, payment={"id": 6103}, document={"id": 28470}).to_wire()


def _payment_receipt(client: Client) -> dict[str, Any]:
    return {
        "document": {"id": 28491},
        "date": TODAY.isoformat(),
        "type": "AdvancePayment",
        "supplier": {"identification": NIT},
        "payment": {"id": 6201, "value": "1000.00"},
    }


def _purchase(client: Client) -> dict[str, Any]:
    from .test_purchases import purchase_body

    return purchase_body()


def _support_document(client: Client) -> dict[str, Any]:
    from .test_purchases import support_body

    return support_body()


CASES = [
    Case(INVOICE, "invoices", _invoice),
    Case(CREDIT_NOTE, "credit_notes", _credit_note),
    Case(QUOTATION, "quotations", _quotation),
    Case(JOURNAL, "journals", _journal),
    Case(RECEIPT, "vouchers", _voucher),
    Case(PAYMENT_RECEIPT, "payment_receipts", _payment_receipt),
    Case(PURCHASE, "purchases", _purchase),
    Case(PURCHASE_SUPPORT, "purchase_support_documents", _support_document),
]
IDEMPOTENT = [case for case in CASES if case.kind.idempotent]


def ids(case: Case) -> str:
    return case.kind.code


@pytest.mark.parametrize("case", CASES, ids=ids)
@pytest.mark.parametrize(
    "hostile", ["", "../invoices", "1043", "FV-1-1043", "b0dbd5b7-0e5a-48d1-8fe3-a8f8ea860f4/"]
)
def test_hostile_ids_are_refused_before_any_request(
    case: Case, hostile: str, shop: Client, siigo_sandbox: Sandbox
) -> None:
    with pytest.raises(ValidationError) as caught:
        getattr(shop, case.resource).retrieve(hostile)
    assert caught.value.codes == ["invalid_value"]
    assert siigo_sandbox.journal() == []


@pytest.mark.parametrize("case", CASES, ids=ids)
def test_an_unknown_id_is_not_found(case: Case, shop: Client) -> None:
    with pytest.raises(NotFoundError) as caught:
        getattr(shop, case.resource).retrieve("b0dbd5b7-0e5a-48d1-8fe3-a8f8ea860f46")
    assert caught.value.codes == ["not_found"]


@pytest.mark.parametrize("case", CASES, ids=ids)
@pytest.mark.parametrize(
    ("raw", "code"),
    [(b"{not json", "invalid_type"), (b"[1, 2]", "invalid_type"), (b"{}", "parameter_required")],
)
def test_malformed_bodies_get_siigos_code(
    case: Case, raw: bytes, code: str, shop: Client, siigo_sandbox: Sandbox
) -> None:
    answer = requests.post(
        siigo_sandbox.url + case.kind.path,
        data=raw,
        headers={
            "Authorization": f"Bearer {token(siigo_sandbox)}",
            "Partner-Id": DEFAULT_PARTNER_ID,
            "Content-Type": "application/json",
        },
        timeout=10,
    )
    assert answer.status_code == 400
    assert code in [e["Code"] for e in answer.json()["Errors"]]
    assert siigo_sandbox.tenant().documents[case.kind.code] == {}


@pytest.mark.parametrize("case", CASES, ids=ids)
def test_a_misspelled_field_is_refused_locally(case: Case, shop: Client, siigo_sandbox: Sandbox) -> None:
    body = case.body(shop)
    body["observation"] = "typo"
    siigo_sandbox.clear_journal()
    with pytest.raises(ValidationError) as caught:
        case.create(shop, body)
    assert caught.value.errors[0].params == ("observation",)
    assert siigo_sandbox.journal(method="POST", path=f"^{case.kind.path}$") == []


@pytest.mark.parametrize("case", CASES, ids=ids)
def test_an_unknown_document_type_is_refused_with_invalid_reference(case: Case, shop: Client) -> None:
    body = case.body(shop)
    body["document"] = {"id": 99999}
    with pytest.raises(ValidationError) as local:
        case.create(shop, body)
    assert local.value.codes == ["invalid_reference"]
    with pytest.raises(BadRequestError) as server:
        case.create(shop, body, preflight=False)
    assert server.value.codes == ["invalid_reference"]


@pytest.mark.parametrize("case", CASES, ids=ids)
def test_a_document_type_of_another_kind_is_refused_with_invalid_document(case: Case, shop: Client) -> None:
    body = case.body(shop)
    other = 28470 if case.kind is not RECEIPT else 28480  # a cash-receipt type; a journal's for RC
    body["document"] = {"id": other}
    with pytest.raises(ValidationError) as local:
        case.create(shop, body)
    assert "invalid_document" in local.value.codes
    with pytest.raises(BadRequestError) as server:
        case.create(shop, body, preflight=False)
    assert "invalid_document" in server.value.codes


@pytest.mark.parametrize("case", CASES, ids=ids)
def test_numbering_and_pagination(case: Case, shop: Client) -> None:
    created = [case.create(shop, case.body(shop)) for _ in range(12)]
    numbers = [doc.number for doc in created]
    assert numbers == list(range(numbers[0], numbers[0] + 12))
    if not case.kind.has("list"):
        assert not hasattr(getattr(shop, case.resource), "list")
        return

    listed = getattr(shop, case.resource).list(page_size=10)
    assert (listed.page, len(listed.items), listed.total_results) == (1, 10, 12)
    assert listed.has_next_page()
    assert [doc.id for doc in listed] == [doc.id for doc in created]
    assert [doc.id for doc in getattr(shop, case.resource).list(name=created[3].name)] == [created[3].id]


@pytest.mark.parametrize("case", IDEMPOTENT, ids=ids)
def test_a_dropped_connection_is_replayed_under_the_same_key(
    case: Case, shop: Client, siigo_sandbox: Sandbox
) -> None:
    body = case.body(shop)
    siigo_sandbox.clear_journal()
    path = f"^{case.kind.path}$"
    siigo_sandbox.inject_fault(method="POST", path=path, drop="after", count=1)

    document = case.create(shop, body)

    assert list(siigo_sandbox.tenant().documents[case.kind.code]) == [document.id]
    attempts = siigo_sandbox.journal(method="POST", path=path)
    assert [a.status for a in attempts] == [0, 201]
    assert attempts[0].idempotency_key == attempts[1].idempotency_key is not None


@pytest.mark.parametrize("case", IDEMPOTENT, ids=ids)
def test_a_key_replays_what_it_created(case: Case, shop: Client, siigo_sandbox: Sandbox) -> None:
    body = case.body(shop)
    first = case.create(shop, body, idempotency_key="REPLAY1")
    again = case.create(shop, body, idempotency_key="REPLAY1")
    assert again.id == first.id
    assert list(siigo_sandbox.tenant().documents[case.kind.code]) == [first.id]
    with pytest.raises(ValidationError) as caught:
        case.create(shop, body, idempotency_key="not-valid")
    assert caught.value.codes == ["invalid_idempotency_key"]


@pytest.mark.parametrize("case", [c for c in CASES if not c.kind.idempotent], ids=ids)
def test_a_kind_without_idempotency_takes_no_key(case: Case, shop: Client, siigo_sandbox: Sandbox) -> None:
    with pytest.raises(ValidationError) as caught:
        case.create(shop, case.body(shop), idempotency_key="REPLAY1")
    assert caught.value.codes == ["invalid_parameter"]
    assert caught.value.errors[0].params == ("idempotency_key",)
    assert siigo_sandbox.journal(method="POST", path=f"^{case.kind.path}$") == []


@pytest.mark.parametrize("case", CASES, ids=ids)
def test_a_per_call_timeout_is_the_same_option_on_every_kind(
    case: Case, shop: Client, siigo_sandbox: Sandbox
) -> None:
    created = case.create(shop, case.body(shop), timeout=5.0)
    assert getattr(shop, case.resource).retrieve(created.id, timeout=(2.0, 5.0)).id == created.id
    if case.kind.has("list"):
        assert [d.id for d in getattr(shop, case.resource).list(timeout=5.0)] == [created.id]
    with pytest.raises(ValidationError) as caught:
        getattr(shop, case.resource).retrieve(created.id, timeout=-1)
    assert caught.value.errors[0].params == ("timeout",)
