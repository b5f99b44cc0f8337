"""Sales invoices end to end over loopback HTTP: creation, preflight, idempotency, the catalog
cache, numbering, lists, changes, documents, e-mail, the DIAN lifecycle and the 0.1 calls.

The helpers at the top (``seed``, ``invoice_body``, ``raw``...) are shared by the other
``test_invoice_*`` files.
"""

from __future__ import annotations

import datetime as _dt
import re
import threading
import xml.etree.ElementTree as ET
from collections.abc import Callable
from decimal import Decimal
from typing import Any
from urllib.parse import parse_qs

import pytest
import requests

from siigo import (
    APIConnectionError,
    APITimeoutError,
    BadRequestError,
    Client,
    NotFoundError,
    PermissionDeniedError,
    ValidationError,
    _json,
)
from siigo.invoice_rules import colombia_today
from siigo.models.common import DOCUMENT_TYPE_CODES
from siigo.models.customers import ContactDict, CustomerAddressDict
from siigo.models.invoices import InvoiceCreateParams, InvoiceItemDict
from siigo.resources.invoices import new_idempotency_key
from siigo.sandbox import DEFAULT_ACCESS_KEY, DEFAULT_PARTNER_ID, DEFAULT_USERNAME, Sandbox
from siigo.sandbox.handlers.invoices import set_stamp, set_stamp_delay

TODAY = colombia_today()
POST_INVOICES = "^/v1/invoices$"

NIT = "900123456"
CUSTOMER_EMAIL = "facturacion@eltornillo.example.com"
_ADDRESS: CustomerAddressDict = {
    "address": "Calle 50 # 45-20",
    "city": {"country_code": "CO", "state_code": "05", "city_code": "05001"},
}


# --- shared helpers ----------------------------------------------------------------------------


def seed(client: Client) -> None:
    """Customers and products the invoices refer to (created through the API)."""
    contact: ContactDict = {"first_name": "Carolina", "last_name": "Mejía", "email": CUSTOMER_EMAIL}
    client.customers.create(
        person_type="Company",
        id_type="31",
        identification=NIT,
        name=["Ferretería El Tornillo S.A.S."],
        address=_ADDRESS,
        contacts=[contact],
    )
    client.customers.create(
        person_type="Company",
        id_type="31",
        identification=NIT,
        branch_office=1,
        name=["Ferretería El Tornillo S.A.S. Sede Norte"],
        address=_ADDRESS,
        contacts=[contact],
    )
    client.customers.create(
        person_type="Person",
        id_type="13",
        identification="1036654321",
        name=["Laura", "Gómez Duque"],
        address=_ADDRESS,
        contacts=[{"first_name": "Laura", "email": "laura@example.com"}],
    )
    client.customers.create(
        person_type="Company",
        id_type="31",
        identification="800111222",
        name=["Sin Contactos SAS"],
        address=_ADDRESS,
    )
    client.customers.create(
        person_type="Company",
        id_type="31",
        identification="811000111",
        name=["Cliente Inactivo SAS"],
        address=_ADDRESS,
        contacts=[contact],
        active=False,
    )
    client.products.create(code="SKU-1", name="Servicio de instalación", account_group=1822, type="Service")
    client.products.create(
        code="TAL-750-001", name="Taladro percutor", account_group=1821, stock_control=True
    )
    client.products.create(
        code="SERV-INST-CER", name="Instalación de cerradura", account_group=1822, type="Service"
    )
    client.products.create(code="OLD-1", name="Producto retirado", account_group=1821, active=False)


def invoice_body(**overrides: Any) -> dict[str, Any]:
    """The documented sample: 10 × 100.00 − 50.00, IVA 19 % → 1 130.50, paid in cash."""
    body: dict[str, Any] = {
        "document": {"id": 28451},
        "date": TODAY.isoformat(),
        "customer": {"identification": NIT, "branch_office": 0},
        "seller": 4120,
        "items": [
            {
                "code": "SKU-1",
                "quantity": 10,
                "price": Decimal("100.00"),
                "discount": Decimal("50.00"),
                "taxes": [{"id": 18401}],
            }
        ],
        "payments": [{"id": 6101, "value": Decimal("1130.50"), "due_date": TODAY.isoformat()}],
    }
    body.update(overrides)
    return body


def token(sandbox: Sandbox) -> str:
    answer = requests.post(
        sandbox.url + "/auth",
        json={"username": DEFAULT_USERNAME, "access_key": DEFAULT_ACCESS_KEY},
        timeout=5,
    )
    return str(answer.json()["access_token"])


def raw(
    sandbox: Sandbox, method: str, path: str, body: Any = None, headers: dict[str, str] | None = None
) -> requests.Response:
    """A request without the SDK (to see exactly what the sandbox answers)."""
    sent = {
        "Authorization": f"Bearer {token(sandbox)}",
        "Partner-Id": DEFAULT_PARTNER_ID,
        "Content-Type": "application/json",
        **(headers or {}),
    }
    data = _json.dumps(body) if body is not None else None
    return requests.request(method, sandbox.url + path, data=data, headers=sent, timeout=10)


def posted(sandbox: Sandbox) -> list[Any]:
    return sandbox.journal(method="POST", path=POST_INVOICES)


@pytest.fixture
def shop(siigo_sandbox: Sandbox, siigo_client: Client) -> Client:
    """A client whose company has customers and products; the journal starts empty."""
    seed(siigo_client)
    siigo_sandbox.clear_journal()
    return siigo_client


@pytest.fixture
def fast_shop(shop: Client, make_client: Callable[..., Client]) -> Client:
    """Like ``shop`` but with short retry waits."""
    return make_client()


# --- creation ----------------------------------------------------------------------------------


def test_documented_sample_is_created_end_to_end(shop: Client, siigo_sandbox: Sandbox) -> None:
    invoice = shop.invoices.create(**invoice_body())

    assert invoice.name == "FV-1-1001"
    assert invoice.number == 1001
    assert invoice.total == Decimal("1130.50")
    assert invoice.balance == 0
    item = invoice.items[0] if invoice.items else None
    assert item is not None and item.discount is not None and item.taxes
    assert (item.discount.value, item.discount.percentage) == (Decimal("50"), Decimal("5"))
    assert (item.taxes[0].base_value, item.taxes[0].value) == (Decimal("950"), Decimal("180.50"))
    assert item.total == Decimal("1130.50") and item.description == "Servicio de instalación"
    assert invoice.stamp is not None and invoice.stamp.status == "Draft"
    assert invoice.mail is not None and invoice.mail.status == "not_sent"
    assert invoice.annulled is False and invoice.public_url
    assert invoice.customer is not None and invoice.customer.id in siigo_sandbox.tenant().customers
    assert invoice.metadata is not None and invoice.metadata.created is not None

    again = shop.invoices.retrieve(invoice.id)
    assert again.model_dump() == invoice.model_dump()
    [request] = posted(siigo_sandbox)
    assert request.status == 201
    assert request.idempotency_key is not None and re.fullmatch(r"[A-Za-z0-9]{1,30}", request.idempotency_key)


def test_create_takes_a_model_a_dict_or_overrides(shop: Client) -> None:
    model = InvoiceCreateParams.model_validate(invoice_body())
    assert shop.invoices.create(model).name == "FV-1-1001"
    assert shop.invoices.create(invoice_body()).name == "FV-1-1002"
    observed = shop.invoices.create(model, observations="Pedido 117")
    assert (observed.name, observed.observations) == ("FV-1-1003", "Pedido 117")


def test_compute_totals_says_what_the_payments_must_add_up_to(shop: Client) -> None:
    items: list[InvoiceItemDict] = [
        {
            "code": "TAL-750-001",
            "quantity": 2,
            "price": 250000,
            "discount": 20000,
            "warehouse": 3301,
            "taxes": [{"id": 18401}],
        },
        {"code": "SERV-INST-CER", "quantity": 3, "price": 45000, "taxes": [{"id": 18401}]},
    ]
    totals = shop.invoices.compute_totals(
        document={"id": 28451}, items=items, retentions=[{"id": 18410}, {"id": 18411}]
    )
    assert [line.base for line in totals.lines] == [Decimal("480000.00"), Decimal("135000.00")]
    assert [line.taxes[0].value for line in totals.lines] == [Decimal("91200.00"), Decimal("25650.00")]
    assert [line.total for line in totals.lines] == [Decimal("571200.00"), Decimal("160650.00")]
    assert totals.total == Decimal("731850.00")
    assert [r.value for r in totals.retentions] == [Decimal("17527.50"), Decimal("5940.90")]
    assert totals.amount_due == Decimal("708381.60")

    due = (TODAY + _dt.timedelta(days=30)).isoformat()
    invoice = shop.invoices.create(
        **invoice_body(
            items=items,
            cost_center=7701,
            retentions=[{"id": 18410}, {"id": 18411}],
            payments=[{"id": 6102, "value": totals.amount_due, "due_date": due}],
        )
    )
    assert invoice.total == totals.total
    assert invoice.balance == Decimal("708381.60")
    assert invoice.retentions and [r.value for r in invoice.retentions] == [
        Decimal("17527.5"),
        Decimal("5940.9"),
    ]
    assert invoice.items and invoice.items[0].warehouse is not None

    # A whole invoice is accepted too; the gross basis ignores the withholdings.
    gross = shop.invoices.compute_totals(invoice_body(items=items), reading={"payments_basis": "gross_total"})
    assert gross.amount_due == gross.total == Decimal("731850.00")


def test_compute_totals_refuses_unknown_references(shop: Client) -> None:
    with pytest.raises(ValidationError) as caught:
        shop.invoices.compute_totals(
            document={"id": 28451}, items=[{"code": "X", "quantity": 1, "price": 1, "taxes": [{"id": 99}]}]
        )
    assert caught.value.codes == ["invalid_reference"]
    with pytest.raises(ValidationError) as caught:
        shop.invoices.compute_totals(document={"id": 1}, items=[{"code": "X", "quantity": 1, "price": 1}])
    assert caught.value.codes == ["invalid_reference"]


# --- preflight ---------------------------------------------------------------------------------


def test_preflight_refuses_a_wrong_total_and_sends_nothing(shop: Client, siigo_sandbox: Sandbox) -> None:
    with pytest.raises(ValidationError) as caught:
        shop.invoices.create(**invoice_body(payments=[{"id": 6101, "value": 1000}]))

    error = caught.value
    assert error.codes == ["invalid_total_payments"]
    assert "The total invoice calculated is 1130.50" in str(error)
    assert "payments add up to 1000.00" in str(error)
    assert error.idempotency_key is not None and re.fullmatch(r"[0-9a-f]{30}", error.idempotency_key)
    assert posted(siigo_sandbox) == []


def test_preflight_false_lets_the_sandbox_reject_with_the_same_code(
    shop: Client, siigo_sandbox: Sandbox
) -> None:
    with pytest.raises(BadRequestError) as caught:
        shop.invoices.create(
            **invoice_body(payments=[{"id": 6101, "value": 1000}]),
            preflight=False,
        )
    error = caught.value
    assert error.codes == ["invalid_total_payments"]
    assert error.errors[0].message == (
        "The total payments must be equal to the total invoice. The total invoice calculated is 1130.50"
    )
    assert error.errors[0].params == ("payments",)
    assert "payments sent add up to 1000.00" in str(error)
    [request] = posted(siigo_sandbox)
    assert request.status == 400 and request.idempotency_key == error.idempotency_key
    # Skipping the preflight also skips the catalog lookups.
    assert siigo_sandbox.journal(path="^/v1/(taxes|document-types|payment-types)$") == []


def test_structural_validation_always_runs(shop: Client, siigo_sandbox: Sandbox) -> None:
    body = invoice_body()
    body["items"][0]["quantity"] = 0
    with pytest.raises(ValidationError) as caught:
        shop.invoices.create(**body, preflight=False)
    assert caught.value.codes == ["invalid_amount"]
    assert caught.value.idempotency_key is not None
    with pytest.raises(ValidationError) as caught:
        shop.invoices.create(invoice_body(surprise=True), preflight=False)
    assert caught.value.codes == ["invalid_parameter"]
    assert siigo_sandbox.journal() == []


# --- idempotency -------------------------------------------------------------------------------


def test_a_dropped_connection_is_retried_with_the_same_key_and_creates_one_invoice(
    fast_shop: Client, siigo_sandbox: Sandbox
) -> None:
    fast_shop.catalog_cache.taxes()  # warm the cache so the journal shows only the POSTs
    siigo_sandbox.inject_fault(method="POST", path=POST_INVOICES, drop="after", count=1)

    invoice = fast_shop.invoices.create(**invoice_body())

    assert invoice.name == "FV-1-1001"
    assert list(siigo_sandbox.tenant().invoices) == [invoice.id]
    attempts = posted(siigo_sandbox)
    assert [a.status for a in attempts] == [0, 201]
    assert attempts[0].fault == "drop_after"
    assert attempts[0].idempotency_key == attempts[1].idempotency_key is not None


def test_a_key_given_by_the_caller_replays_the_invoice(shop: Client, siigo_sandbox: Sandbox) -> None:
    key = "PEDIDO20260304117"
    first = shop.invoices.create(**invoice_body(), idempotency_key=key)
    siigo_sandbox.configure(idempotent_replay_status=200)
    # Even with another body, the key returns the invoice it created and creates nothing.
    second = shop.invoices.create(**invoice_body(observations="otra vez"), idempotency_key=key)
    assert second.id == first.id and second.name == "FV-1-1001"
    assert len(siigo_sandbox.tenant().invoices) == 1
    assert [(e.status, e.idempotency_key) for e in posted(siigo_sandbox)] == [(201, key), (200, key)]
    # A new call gets a new key.
    assert shop.invoices.create(**invoice_body()).name == "FV-1-1002"
    assert posted(siigo_sandbox)[-1].idempotency_key not in (None, key)


def test_a_failed_call_can_be_retried_later_with_its_key(shop: Client, siigo_sandbox: Sandbox) -> None:
    with pytest.raises(BadRequestError) as caught:
        shop.invoices.create(**invoice_body(payments=[{"id": 6101, "value": 1000}]), preflight=False)
    key = caught.value.idempotency_key
    assert key is not None
    invoice = shop.invoices.create(**invoice_body(), idempotency_key=key)
    assert shop.invoices.create(**invoice_body(), idempotency_key=key).id == invoice.id
    assert len(siigo_sandbox.tenant().invoices) == 1


def test_idempotency_keys_are_checked(shop: Client, siigo_sandbox: Sandbox) -> None:
    for bad in ("PEDIDO-117", "a" * 31, "", "con espacio"):
        with pytest.raises(ValidationError) as caught:
            shop.invoices.create(**invoice_body(), idempotency_key=bad)
        assert caught.value.codes == ["invalid_idempotency_key"]
    assert posted(siigo_sandbox) == []
    generated = {new_idempotency_key() for _ in range(50)}
    assert len(generated) == 50 and all(re.fullmatch(r"[0-9a-f]{30}", k) for k in generated)

    answer = raw(
        siigo_sandbox, "POST", "/v1/invoices", {"not": "even an invoice"}, {"Idempotency-Key": "PEDIDO-117"}
    )
    assert answer.status_code == 400
    assert answer.json() == {
        "Status": 400,
        "Errors": [
            {
                "Code": "invalid_idempotency_key",
                "Message": "The header Idempotency-Key has an invalid value",
                "Params": [],
                "Detail": None,
            }
        ],
    }


# --- the catalog cache -------------------------------------------------------------------------


def _catalog_fetches(sandbox: Sandbox) -> dict[str, int]:
    counts = {"taxes": 0, "document-types": 0, "payment-types": 0}
    for entry in sandbox.journal(method="GET", path="^/v1/(taxes|document-types|payment-types)$"):
        counts[entry.path.rsplit("/", 1)[1]] += 1
    return counts


def test_the_catalog_cache_fetches_each_catalog_once(shop: Client, siigo_sandbox: Sandbox) -> None:
    shop.invoices.create(**invoice_body())
    shop.invoices.create(**invoice_body())
    with pytest.raises(ValidationError) as caught:
        shop.invoices.create(**invoice_body(payments=[{"id": 6101, "value": 1}]))
    assert [(e.code, e.params) for e in caught.value.errors] == [("invalid_total_payments", ("payments",))]
    assert _catalog_fetches(siigo_sandbox) == {"taxes": 1, "document-types": 1, "payment-types": 1}
    assert [e.query for e in siigo_sandbox.journal(path="^/v1/(document|payment)-types$")] == [
        "type=FV",
        "document_type=FV",
    ]

    # A copy made with with_options shares the cache.
    shop.with_options(timeout=30).invoices.create(**invoice_body())
    assert _catalog_fetches(siigo_sandbox) == {"taxes": 1, "document-types": 1, "payment-types": 1}

    shop.catalog_cache.refresh()
    assert _catalog_fetches(siigo_sandbox) == {"taxes": 2, "document-types": 2, "payment-types": 2}
    shop.catalog_cache.invalidate()
    shop.invoices.create(**invoice_body())
    assert _catalog_fetches(siigo_sandbox) == {"taxes": 3, "document-types": 3, "payment-types": 3}


def test_the_catalog_cache_sees_catalog_changes_after_refresh(shop: Client, siigo_sandbox: Sandbox) -> None:
    assert shop.catalog_cache.taxes()[18401].active is True
    for tax in siigo_sandbox.tenant().catalogs["taxes"]:
        if tax["id"] == 18401:
            tax["active"] = False
    # The cached copy still says active: the preflight lets it through and Siigo refuses it.
    with pytest.raises(BadRequestError) as server:
        shop.invoices.create(**invoice_body())
    assert server.value.codes == ["parameter_inactive"]
    siigo_sandbox.clear_journal()
    shop.catalog_cache.refresh()
    with pytest.raises(ValidationError) as caught:
        shop.invoices.create(**invoice_body())
    assert caught.value.codes == ["parameter_inactive"]
    assert posted(siigo_sandbox) == []


def test_the_catalog_cache_honours_its_ttl(
    shop: Client, siigo_sandbox: Sandbox, make_client: Callable[..., Client]
) -> None:
    client = make_client(catalog_ttl=0.0)
    client.invoices.create(**invoice_body())
    client.invoices.create(**invoice_body())
    assert _catalog_fetches(siigo_sandbox) == {"taxes": 2, "document-types": 2, "payment-types": 2}


def test_the_catalog_cache_fetches_once_under_concurrent_use(
    shop: Client, siigo_sandbox: Sandbox, make_client: Callable[..., Client]
) -> None:
    client = make_client()
    siigo_sandbox.inject_fault(method="GET", path="^/v1/taxes$", delay=0.3, count=1)
    results: list[int] = []
    barrier = threading.Barrier(8)

    def use() -> None:
        barrier.wait()
        results.append(len(client.catalog_cache.taxes()))

    threads = [threading.Thread(target=use) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    assert len(results) == 8 and len(set(results)) == 1
    assert _catalog_fetches(siigo_sandbox)["taxes"] == 1


# --- numbering and lists -----------------------------------------------------------------------


def test_numbering_follows_each_document_type(shop: Client) -> None:
    names = [shop.invoices.create(**invoice_body()).name for _ in range(3)]
    assert names == ["FV-1-1001", "FV-1-1002", "FV-1-1003"]
    percentage = invoice_body(
        document={"id": 28452},
        items=[{"code": "SKU-1", "quantity": 3, "price": 45000, "discount": 10, "taxes": [{"id": 18401}]}],
        payments=[{"id": 6101, "value": Decimal("144585.00")}],
    )
    assert shop.invoices.create(**percentage).name == "FV-2-1"
    manual = invoice_body(document={"id": 28455}, number=300)
    assert shop.invoices.create(**manual).name == "FV-5-300"
    with pytest.raises(BadRequestError) as caught:
        shop.invoices.create(**manual)
    assert caught.value.codes == ["duplicated_document"]
    types = {t.id: t for t in shop.document_types.list(type="FV")}
    assert (types[28451].consecutive, types[28452].consecutive, types[28455].consecutive) == (1004, 2, 301)


def test_every_list_filter(shop: Client, siigo_sandbox: Sandbox) -> None:
    first = shop.invoices.create(**invoice_body(date="2026-01-10"))
    siigo_sandbox.advance_clock(3600)
    middle = shop.invoices.create(
        **invoice_body(date="2026-02-10", customer={"identification": NIT, "branch_office": 1})
    )
    siigo_sandbox.advance_clock(3600)
    other = shop.invoices.create(
        **invoice_body(
            document={"id": 28452},
            date="2026-03-10",
            customer={"identification": "1036654321"},
            items=[{"code": "SKU-1", "quantity": 1, "price": 100, "taxes": [{"id": 18401}]}],
            payments=[{"id": 6101, "value": 119}],
        )
    )
    siigo_sandbox.advance_clock(3600)
    shop.invoices.update(first.id, invoice_body(date="2026-01-10", observations="corregida"))

    def names(**filters: Any) -> list[str | None]:
        return [invoice.name for invoice in shop.invoices.list(**filters)]

    assert names() == ["FV-1-1001", "FV-1-1002", "FV-2-1"]
    assert names(document_id=28452) == ["FV-2-1"]
    assert names(customer_identification=NIT) == ["FV-1-1001", "FV-1-1002"]
    assert names(customer_identification=NIT, customer_branch_office=1) == ["FV-1-1002"]
    assert names(customer_branch_office=0) == ["FV-1-1001", "FV-2-1"]
    assert names(name="FV-1-1002") == ["FV-1-1002"]
    assert names(date_start="2026-02-01") == ["FV-1-1002", "FV-2-1"]
    assert names(date_end=_dt.date(2026, 2, 10)) == ["FV-1-1001", "FV-1-1002"]
    assert names(date_start="2026-02-01", date_end="2026-02-28") == ["FV-1-1002"]

    assert middle.metadata is not None and middle.metadata.created is not None
    created = middle.metadata.created
    assert names(created_start=created) == ["FV-1-1002", "FV-2-1"]
    assert names(created_end=created + _dt.timedelta(seconds=1)) == ["FV-1-1001", "FV-1-1002"]
    assert names(
        created_start=created - _dt.timedelta(minutes=1), created_end=created + _dt.timedelta(minutes=1)
    ) == ["FV-1-1002"]
    assert other.metadata is not None and other.metadata.created is not None
    assert names(updated_start=other.metadata.created) == ["FV-1-1001"]
    assert names(updated_end=other.metadata.created) == []

    with pytest.raises(ValidationError) as caught:
        shop.invoices.list(date_start="10/01/2026")
    assert [(e.code, e.params) for e in caught.value.errors] == [("invalid_date", ("date_start",))]


def test_lists_walk_every_page(shop: Client, siigo_sandbox: Sandbox) -> None:
    for _ in range(12):
        shop.invoices.create(**invoice_body())
    siigo_sandbox.clear_journal()
    page = shop.invoices.list(page_size=10)
    assert (len(page.items), page.total_results, page.has_next_page()) == (10, 12, True)
    assert [i.number for i in page] == list(range(1001, 1013))
    assert len(siigo_sandbox.journal(method="GET", path="^/v1/invoices$")) == 2
    second = shop.invoices.list(page=2, page_size=10)
    assert [i.number for i in second.items] == [1011, 1012]


# --- update, delete, annul ---------------------------------------------------------------------


def test_update_is_a_full_replacement(shop: Client, siigo_sandbox: Sandbox) -> None:
    invoice = shop.invoices.create(**invoice_body(observations="original"))
    items = [{"code": "SKU-1", "quantity": 2, "price": 500, "taxes": [{"id": 18402}]}]
    updated = shop.invoices.update(
        invoice.id, invoice_body(items=items, payments=[{"id": 6101, "value": 1050}])
    )
    assert (updated.id, updated.name, updated.total) == (invoice.id, "FV-1-1001", Decimal("1050"))
    assert updated.observations == ""  # omitted fields are emptied
    assert updated.metadata is not None and updated.metadata.last_updated is not None
    assert shop.invoices.retrieve(invoice.id).total == Decimal("1050")
    assert siigo_sandbox.journal(method="PUT")[-1].status == 200

    siigo_sandbox.clear_journal()
    with pytest.raises(ValidationError) as caught:
        shop.invoices.update(invoice.id, invoice_body(items=items))
    assert caught.value.codes == ["invalid_total_payments"]
    assert siigo_sandbox.journal(method="PUT") == []

    with pytest.raises(BadRequestError) as server:
        shop.invoices.update(invoice.id, invoice_body(customer={"identification": "1036654321"}))
    assert server.value.codes == ["non_editable"]
    with pytest.raises(BadRequestError) as server:
        shop.invoices.update(invoice.id, invoice_body(document={"id": 28455}, number=300))
    assert [(e.code, e.params) for e in server.value.errors] == [
        ("non_editable", ("document.id",)),
        ("non_editable", ("number",)),
    ]

    siigo_sandbox.configure(put_status=201)
    assert shop.invoices.update(invoice.id, **invoice_body()).total == Decimal("1130.50")


def test_delete(shop: Client) -> None:
    invoice = shop.invoices.create(**invoice_body())
    result = shop.invoices.delete(invoice.id)
    assert (result.id, result.deleted) == (invoice.id, True)
    with pytest.raises(NotFoundError) as gone:
        shop.invoices.retrieve(invoice.id)
    assert gone.value.codes == ["not_found"]
    with pytest.raises(NotFoundError) as gone:
        shop.invoices.delete(invoice.id)
    assert gone.value.codes == ["not_found"]
    with pytest.raises(ValueError):
        shop.invoices.retrieve("FV-1-1001")


def test_annul(shop: Client, siigo_sandbox: Sandbox) -> None:
    invoice = shop.invoices.create(**invoice_body())
    result = shop.invoices.annul(invoice.id)
    assert result.annulled and result.deleted and result.id == invoice.id
    assert shop.invoices.retrieve(invoice.id).annulled is True
    with pytest.raises(BadRequestError) as caught:
        shop.invoices.annul(invoice.id)
    assert caught.value.codes == ["non_editable"]
    with pytest.raises(BadRequestError) as caught:
        shop.invoices.update(invoice.id, invoice_body())
    assert caught.value.codes == ["non_editable"]

    siigo_sandbox.configure(annul_body="Annul")
    other = shop.invoices.create(**invoice_body())
    result = shop.invoices.annul(other.id)
    assert result.annul is True and result.deleted is None and result.annulled


# --- documents and e-mail ----------------------------------------------------------------------


def test_pdf_is_a_small_but_real_pdf(shop: Client) -> None:
    invoice = shop.invoices.create(**invoice_body())
    pdf = shop.invoices.pdf(invoice.id)
    assert pdf.startswith(b"%PDF-1.4") and pdf.rstrip().endswith(b"%%EOF")
    assert b"FV-1-1001" in pdf and b"1130.50" in pdf and b"/Type /Page " in pdf
    # The xref table points at each object.
    startxref = int(pdf.rsplit(b"startxref", 1)[1].split()[0])
    assert pdf[startxref:].startswith(b"xref")
    rows = pdf[startxref:].split(b"\n")[3:8]
    for number, row in enumerate(rows, start=1):
        offset = int(row.split()[0])
        assert pdf[offset:].startswith(f"{number} 0 obj".encode())


def test_xml_is_well_formed(shop: Client) -> None:
    invoice = shop.invoices.create(**invoice_body())
    xml = shop.invoices.xml(invoice.id)
    assert xml.startswith(b"<?xml")
    root = ET.fromstring(xml)
    ns = {"cbc": "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"}
    assert root.findtext("cbc:ID", namespaces=ns) == "FV-1-1001"
    assert root.findtext(".//cbc:PayableAmount", namespaces=ns) == "1130.50"


def test_send_email_and_the_outbox(shop: Client, siigo_sandbox: Sandbox) -> None:
    invoice = shop.invoices.create(**invoice_body())
    assert siigo_sandbox.tenant().outbox == []
    result = shop.invoices.send_email(
        invoice.id,
        mail_to="tesoreria@cliente.example.com",
        copy_to=["a@cliente.example.com", "b@cliente.example.com"],
    )
    assert (result.status, result.observations) == ("sent", "")
    [mail] = siigo_sandbox.tenant().outbox
    assert mail["to"] == "tesoreria@cliente.example.com" and mail["invoice_name"] == "FV-1-1001"
    assert mail["copy_to"] == ["a@cliente.example.com", "b@cliente.example.com"]
    assert shop.invoices.retrieve(invoice.id).mail is not None

    on_creation = shop.invoices.create(**invoice_body(mail={"send": True}))
    assert on_creation.mail is not None and on_creation.mail.status == "sent"
    assert siigo_sandbox.tenant().outbox[-1]["to"] == CUSTOMER_EMAIL
    outbox = requests.get(siigo_sandbox.url + "/_sandbox/outbox", timeout=5).json()
    assert [m["invoice_name"] for m in outbox] == ["FV-1-1001", "FV-1-1002"]

    siigo_sandbox.clear_journal()
    with pytest.raises(ValidationError) as caught:
        shop.invoices.send_email(
            invoice.id, mail_to="x@example.com", copy_to=[f"c{i}@example.com" for i in range(6)]
        )
    assert caught.value.codes == ["invalid_array"]
    with pytest.raises(ValidationError) as caught:
        shop.invoices.send_email(invoice.id, mail_to="not-an-address")
    assert caught.value.codes == ["invalid_email"]
    assert siigo_sandbox.journal() == []


# --- the DIAN lifecycle ------------------------------------------------------------------------


def electronic(**overrides: Any) -> dict[str, Any]:
    return invoice_body(document={"id": 28453}, stamp={"send": True}, **overrides)


def test_an_accepted_invoice_is_final(shop: Client) -> None:
    invoice = shop.invoices.create(**electronic())
    assert invoice.name == "FV-3-5001"
    assert invoice.stamp is not None and invoice.stamp.status == "Accepted"
    assert invoice.cufe is not None and re.fullmatch(r"[0-9a-f]{96}", invoice.cufe)
    assert invoice.metadata is not None and invoice.metadata.last_updated is None
    assert invoice.cufe.encode() in shop.invoices.pdf(invoice.id)
    assert shop.invoices.stamp_errors(invoice.id).errors == []
    assert shop.invoices.wait_for_stamp(invoice.id, timeout=1).cufe == invoice.cufe

    for attempt, code in (
        (lambda: shop.invoices.update(invoice.id, electronic()), "non_editable"),
        (lambda: shop.invoices.delete(invoice.id), "delete_not_allowed"),
        (lambda: shop.invoices.annul(invoice.id), "delete_not_allowed"),
    ):
        with pytest.raises(BadRequestError) as caught:
            attempt()
        assert caught.value.codes == [code]
        assert "DIAN" in caught.value.errors[0].message
    assert shop.invoices.retrieve(invoice.id).annulled is False


def test_a_rejected_invoice_can_be_fixed_and_sent_again(shop: Client, siigo_sandbox: Sandbox) -> None:
    siigo_sandbox.configure(stamp_outcome="Rejected")
    invoice = shop.invoices.create(**electronic())
    assert invoice.stamp is not None and invoice.stamp.status == "Rejected" and not invoice.stamp.cufe
    errors = shop.invoices.stamp_errors(invoice.id)
    assert errors.id == invoice.id and errors.errors and "FAD06" in (errors.errors[0].message or "")

    siigo_sandbox.configure(stamp_outcome="Accepted")
    fixed = shop.invoices.update(invoice.id, electronic(observations="NIT corregido"))
    assert fixed.stamp is not None and fixed.stamp.status == "Accepted" and fixed.name == invoice.name
    assert shop.invoices.stamp_errors(invoice.id).errors == []


def test_wait_for_stamp_follows_a_delayed_dian_answer(shop: Client, siigo_sandbox: Sandbox) -> None:
    set_stamp_delay(siigo_sandbox.state, DEFAULT_USERNAME, 0.4)
    invoice = shop.invoices.create(**electronic(mail={"send": True}))
    assert invoice.stamp is not None and invoice.stamp.status == "Draft"
    assert invoice.mail is not None and invoice.mail.status == "pending_send"
    assert siigo_sandbox.tenant().outbox == []
    with pytest.raises(BadRequestError) as caught:
        shop.invoices.delete(invoice.id)
    assert caught.value.codes == ["delete_not_allowed"]

    settled = shop.invoices.wait_for_stamp(invoice.id, timeout=5, interval=0.05)
    assert settled.stamp is not None and settled.stamp.status == "Accepted" and settled.cufe
    assert settled.mail is not None and settled.mail.status == "sent"
    assert [m["invoice_name"] for m in siigo_sandbox.tenant().outbox] == ["FV-3-5001"]


def test_tests_control_the_dian_answer(shop: Client, siigo_sandbox: Sandbox) -> None:
    invoice = shop.invoices.create(**invoice_body(document={"id": 28453}))
    assert invoice.stamp is not None and invoice.stamp.status == "Draft"
    with pytest.raises(APITimeoutError) as caught:
        shop.invoices.wait_for_stamp(invoice.id, timeout=0.2, interval=0.05)
    assert "FV-3-5001" in str(caught.value) and "Draft" in str(caught.value)

    answer = requests.post(
        f"{siigo_sandbox.url}/_sandbox/invoices/{invoice.id}/stamp",
        json={"status": "Rejected", "errors": [{"code": "FAU04", "message": "Regla: FAU04, Rechazo: total"}]},
        timeout=5,
    )
    assert answer.status_code == 200 and answer.json()["stamp"]["status"] == "Rejected"
    rejected = shop.invoices.wait_for_stamp(invoice.id, timeout=1, interval=0.05)
    assert rejected.stamp is not None and rejected.stamp.errors == "Regla: FAU04, Rechazo: total"
    stamp_errors = shop.invoices.stamp_errors(invoice.id).errors
    assert stamp_errors is not None and [(e.code, e.message) for e in stamp_errors] == [
        ("FAU04", "Regla: FAU04, Rechazo: total")
    ]

    accepted = set_stamp(siigo_sandbox.state, DEFAULT_USERNAME, invoice.id, "Accepted")
    assert re.fullmatch(r"[0-9a-f]{96}", accepted["stamp"]["cufe"])
    assert shop.invoices.retrieve(invoice.id).cufe == accepted["stamp"]["cufe"]
    assert (
        requests.post(
            f"{siigo_sandbox.url}/_sandbox/invoices/{invoice.id}/stamp", json={}, timeout=5
        ).status_code
        == 400
    )
    unknown = requests.post(
        f"{siigo_sandbox.url}/_sandbox/invoices/00000000-0000-4000-8000-000000000000/stamp",
        json={"status": "Accepted"},
        timeout=5,
    )
    assert unknown.status_code == 404


def test_stamp_send_on_a_non_electronic_type_leaves_a_draft(shop: Client) -> None:
    invoice = shop.invoices.create(**invoice_body(stamp={"send": True}))
    assert invoice.stamp is not None and invoice.stamp.status == "Draft" and not invoice.stamp.cufe


def test_stamp_sends_a_saved_invoice_to_dian_and_mails_it(shop: Client, siigo_sandbox: Sandbox) -> None:
    invoice = shop.invoices.create(**invoice_body(document={"id": 28453}, stamp={"send": False}))
    assert invoice.stamp is not None and invoice.stamp.status == "Draft"
    assert siigo_sandbox.tenant().outbox == []

    sent = shop.invoices.stamp(invoice.id)
    assert sent.status == "Accepted" and sent.stamp is not None
    assert sent.code is not None and re.fullmatch(r"[0-9a-f]{96}", sent.code)
    assert sent.mail is not None and sent.mail.status == "sent"
    [mail] = siigo_sandbox.tenant().outbox
    assert (mail["invoice_id"], mail["to"], mail["reason"]) == (invoice.id, CUSTOMER_EMAIL, "mail.send")

    settled = shop.invoices.wait_for_stamp(invoice.id, timeout=1)
    assert settled.cufe == sent.code and shop.invoices.retrieve(invoice.id).cufe == sent.code
    assert settled.mail is not None and settled.mail.status == "sent"
    assert shop.invoices.stamp_errors(invoice.id).errors == []

    again = shop.invoices.stamp(invoice.id)  # already accepted: the same answer, nothing re-sent
    assert (again.status, again.code) == ("Accepted", sent.code)
    assert len(siigo_sandbox.tenant().outbox) == 1
    assert len(siigo_sandbox.journal(method="POST", path=r"^/v1/invoices/[^/]+/stamp$")) == 2


def test_stamp_answers_a_rejection_and_a_corrected_invoice_is_sent_again(
    shop: Client, siigo_sandbox: Sandbox
) -> None:
    invoice = shop.invoices.create(**invoice_body(document={"id": 28453}))
    siigo_sandbox.configure(stamp_outcome="Rejected")
    rejected = shop.invoices.stamp(invoice.id)
    assert rejected.status == "Rejected" and not rejected.code
    assert rejected.stamp is not None and "FAD06" in str(rejected.stamp.errors)
    assert rejected.mail is not None and rejected.mail.status == "not_sent"
    assert siigo_sandbox.tenant().outbox == []
    errors = shop.invoices.stamp_errors(invoice.id).errors
    assert errors and "FAD06" in (errors[0].message or "")
    assert shop.invoices.wait_for_stamp(invoice.id, timeout=0).stamp.status == "Rejected"  # type: ignore[union-attr]

    siigo_sandbox.configure(stamp_outcome="Accepted")
    accepted = shop.invoices.stamp(invoice.id)
    assert accepted.status == "Accepted" and accepted.code
    assert shop.invoices.stamp_errors(invoice.id).errors == []
    assert len(siigo_sandbox.tenant().outbox) == 1


def test_stamp_of_an_invoice_waiting_for_dian_sends_nothing_again(
    shop: Client, siigo_sandbox: Sandbox
) -> None:
    set_stamp_delay(siigo_sandbox.state, DEFAULT_USERNAME, 0.3)
    invoice = shop.invoices.create(**invoice_body(document={"id": 28453}))
    waiting = shop.invoices.stamp(invoice.id)
    assert waiting.status == "Draft" and waiting.mail is not None and waiting.mail.status == "pending_send"
    assert shop.invoices.stamp(invoice.id).status == "Draft"
    settled = shop.invoices.wait_for_stamp(invoice.id, timeout=5, interval=0.05)
    assert settled.stamp is not None and settled.stamp.status == "Accepted"
    assert len(siigo_sandbox.tenant().outbox) == 1


def test_a_stamp_whose_answer_is_lost_is_not_retried_and_a_second_send_is_harmless(
    fast_shop: Client, siigo_sandbox: Sandbox
) -> None:
    invoice = fast_shop.invoices.create(**invoice_body(document={"id": 28453}))
    stamp_path = rf"^/v1/invoices/{invoice.id}/stamp$"
    siigo_sandbox.inject_fault(method="POST", path=stamp_path, drop="after", count=1)
    with pytest.raises(APIConnectionError):
        fast_shop.invoices.stamp(invoice.id)
    assert [a.fault for a in siigo_sandbox.journal(method="POST", path=stamp_path)] == ["drop_after"]

    settled = fast_shop.invoices.wait_for_stamp(invoice.id, timeout=1)  # it did reach DIAN
    assert settled.stamp is not None and settled.stamp.status == "Accepted"
    again = fast_shop.invoices.stamp(invoice.id)
    assert again.code == settled.cufe and len(siigo_sandbox.tenant().outbox) == 1


def test_stamp_refuses_a_non_electronic_or_annulled_invoice(shop: Client, siigo_sandbox: Sandbox) -> None:
    plain_invoice = shop.invoices.create(**invoice_body())
    with pytest.raises(BadRequestError) as caught:
        shop.invoices.stamp(plain_invoice.id)
    assert caught.value.codes == ["document_settings"]
    assert caught.value.errors[0].params == ("document.id",)

    electronic_invoice = shop.invoices.create(**invoice_body(document={"id": 28453}))
    shop.invoices.annul(electronic_invoice.id)
    with pytest.raises(BadRequestError) as caught:
        shop.invoices.stamp(electronic_invoice.id)
    assert caught.value.codes == ["invalid_document"] and caught.value.errors[0].params == ("id",)
    assert shop.invoices.retrieve(electronic_invoice.id).stamp.status == "Draft"  # type: ignore[union-attr]
    with pytest.raises(NotFoundError) as missing:
        shop.invoices.stamp("00000000-0000-4000-8000-000000000000")
    assert missing.value.codes == ["not_found"]
    assert siigo_sandbox.tenant().outbox == []


# --- siigo-python 0.1 calls --------------------------------------------------------------------


def test_compatibility_create_invoice_and_list_invoices(shop: Client, siigo_sandbox: Sandbox) -> None:
    body = invoice_body()
    with pytest.deprecated_call():
        created = shop.create_invoice(
            body["document"], body["date"], body["customer"], body["seller"], body["items"], body["payments"]
        )
    assert created["name"] == "FV-1-1001" and created["total"] == pytest.approx(1130.5)
    assert posted(siigo_sandbox)[0].idempotency_key is not None

    with pytest.deprecated_call(), pytest.raises(ValidationError) as caught:
        shop.create_invoice(
            body["document"],
            body["date"],
            body["customer"],
            body["seller"],
            body["items"],
            [{"id": 6101, "value": 5}],
        )
    assert caught.value.codes == ["invalid_total_payments"] and caught.value.idempotency_key
    assert len(posted(siigo_sandbox)) == 1

    with pytest.deprecated_call():
        listed = shop.list_invoices(identification=NIT, branch_office=0)
    assert [row["name"] for row in listed["results"]] == ["FV-1-1001"]
    assert listed["pagination"]["total_results"] == 1
    with pytest.deprecated_call():
        assert shop.list_invoices(identification="1036654321")["results"] == []


def test_the_catalog_cache_checks_the_kind(shop: Client, siigo_sandbox: Sandbox) -> None:
    with pytest.raises(ValidationError) as caught:
        shop.catalog_cache.document_types("XX")
    assert [(e.code, e.params) for e in caught.value.errors] == [("invalid_value", ("type",))]
    with pytest.raises(ValidationError) as caught:
        shop.catalog_cache.payment_types("RP")
    assert [(e.code, e.params) for e in caught.value.errors] == [("invalid_value", ("document_type",))]
    assert siigo_sandbox.journal() == []
    assert set(shop.catalog_cache.payment_types("FC")) == {6201, 6202, 6103}
    assert {t.type for t in shop.catalog_cache.document_types("NC").values()} == {"NC"}


def test_a_document_type_of_another_kind(shop: Client, siigo_sandbox: Sandbox) -> None:
    credit_note_type = invoice_body(document={"id": 28460})
    with pytest.raises(ValidationError) as local:
        shop.invoices.create(credit_note_type)  # not an FV type, but an NC type of the company
    assert local.value.codes == ["invalid_document"]  # what Siigo answers (§H.1 step 9)
    assert "is of type NC" in local.value.errors[0].message
    assert posted(siigo_sandbox) == []
    with pytest.raises(BadRequestError) as server:
        shop.invoices.create(credit_note_type, preflight=False)
    assert server.value.codes == ["invalid_document"]
    with pytest.raises(ValidationError) as totals:
        shop.invoices.compute_totals(credit_note_type)
    assert totals.value.codes == ["invalid_document"]


def test_a_failed_lookup_of_another_kind_is_raised_not_taken_for_a_missing_type(
    shop: Client, siigo_sandbox: Sandbox
) -> None:
    shop.catalog_cache.document_types("FV")  # cached: only the other kinds are fetched below
    siigo_sandbox.inject_fault(path="^/v1/document-types$", status=403, count=1)
    with pytest.raises(PermissionDeniedError) as caught:
        shop.invoices.create(invoice_body(document={"id": 28460}))
    assert caught.value.idempotency_key is not None
    assert posted(siigo_sandbox) == []
    with pytest.raises(ValidationError) as retried:  # nothing wrong was cached
        shop.invoices.create(invoice_body(document={"id": 28460}))
    assert retried.value.codes == ["invalid_document"]


def test_a_document_type_that_does_not_exist(shop: Client, siigo_sandbox: Sandbox) -> None:
    unknown = invoice_body(document={"id": 99999})
    with pytest.raises(ValidationError) as local:
        shop.invoices.create(unknown)
    assert local.value.codes == ["invalid_reference"]
    with pytest.raises(BadRequestError) as server:
        shop.invoices.create(unknown, preflight=False)
    assert server.value.codes == ["invalid_reference"]
    # Every kind was looked up once and is cached: a second try asks nothing more.
    lookups = siigo_sandbox.journal(method="GET", path="^/v1/document-types")
    kinds = [parse_qs(entry.query)["type"][0] for entry in lookups]
    assert sorted(kinds) == sorted(DOCUMENT_TYPE_CODES)
    siigo_sandbox.clear_journal()
    with pytest.raises(ValidationError) as again:
        shop.invoices.create(unknown)
    assert again.value.codes == ["invalid_reference"]
    assert siigo_sandbox.journal() == []


def test_invoiced_products_have_movements(shop: Client, siigo_sandbox: Sandbox) -> None:
    shop.invoices.create(invoice_body())
    [product] = [p for p in siigo_sandbox.tenant().products.values() if p["code"] == "SKU-1"]
    with pytest.raises(BadRequestError) as caught:
        shop.products.delete(product["id"])
    assert caught.value.codes == ["delete_not_allowed"]
