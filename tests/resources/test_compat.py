"""The siigo-python 0.1 surface, end to end against the sandbox."""

from __future__ import annotations

import inspect
from typing import Any

import pytest

from siigo import BadRequestError, ConfigurationError, ValidationError
from siigo.client import Client
from siigo.exceptions import ContactsLimitExceededError, UnauthorizedError, WrongFormatInputError
from siigo.sandbox import DEFAULT_ACCESS_KEY, DEFAULT_USERNAME, Sandbox

CUSTOMER: dict[str, Any] = {
    "person_type": "Person",
    "id_type": "13",
    "name": ["Marcos", "Castillo"],
    "contacts": [{"first_name": "Marcos", "last_name": "Castillo", "email": "marcos.castillo@contacto.com"}],
    "phones": [{"indicative": "57", "number": "3006003345", "extension": "132"}],
    "address": {
        "address": "Cra. 18 #79A - 42",
        "city": {"country_code": "Co", "state_code": "19", "city_code": "19001"},
        "postal_code": "110911",
    },
    "identification": "13832081",
}


@pytest.fixture
def legacy(siigo_sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch) -> Client:
    monkeypatch.setenv("SIIGO_PARTNER_ID", "MiTiendaLegacy")
    monkeypatch.setenv("SIIGO_BASE_URL", siigo_sandbox.url)
    return Client(DEFAULT_USERNAME, DEFAULT_ACCESS_KEY)


def test_signatures_match_siigo_python_0_1() -> None:
    expected = {
        "list_users": ["page_size", "page"],
        "list_products": [
            "code",
            "created_start",
            "created_end",
            "updated_start",
            "updated_end",
            "id",
            "page_size",
            "page",
        ],
        "create_product": [
            "code",
            "name",
            "account_group",
            "type",
            "stock_control",
            "active",
            "tax_classification",
            "tax_included",
            "tax_consumption_value",
            "taxes",
            "prices",
            "unit",
            "unit_label",
            "reference",
            "description",
            "additional_fields",
        ],
        "list_customers": [
            "identification",
            "branch_office",
            "created_start",
            "created_end",
            "updated_start",
            "updated_end",
            "page_size",
            "page",
        ],
        "create_customer": [
            "person_type",
            "id_type",
            "name",
            "contacts",
            "phones",
            "address",
            "identification",
            "check_digit",
            "type",
            "commercial_name",
            "branch_office",
            "active",
            "vat_responsible",
            "fiscal_responsibilities",
            "comments",
            "related_users",
        ],
        "list_invoices": [
            "identification",
            "branch_office",
            "created_start",
            "created_end",
            "updated_start",
            "updated_end",
            "page_size",
            "page",
        ],
        "create_invoice": [
            "document",
            "date",
            "customer",
            "seller",
            "items",
            "payments",
            "cost_center",
            "currency",
            "observations",
            "additional_fields",
        ],
        "list_document_types": ["doc_type"],
        "list_payment_types": ["doc_type"],
        "set_token": ["access_token"],
        "generate_token": [],
    }
    for name, params in expected.items():
        assert list(inspect.signature(getattr(Client, name)).parameters)[1:] == params, name
    assert list(inspect.signature(Client).parameters)[:3] == ["username", "access_key", "partner_id"]


def test_token_calls_and_catalogs(legacy: Client, siigo_sandbox: Sandbox) -> None:
    with pytest.deprecated_call(match=r"client\.authenticate"):
        answer = legacy.generate_token()
    assert set(answer) >= {"access_token", "expires_in", "token_type"}
    assert len(siigo_sandbox.journal(path="^/auth$")) == 1
    with pytest.deprecated_call(match=r"client\.taxes\.list"):
        taxes = legacy.list_taxes()
    assert isinstance(taxes, list) and taxes[0]["id"] == 18401 and taxes[0]["percentage"] == 19
    with pytest.deprecated_call(match=r"client\.account_groups\.list"):
        assert legacy.list_group_accounts()[0]["id"] == 1821
    with pytest.deprecated_call(match=r"client\.price_lists"):
        assert legacy.list_price_lists()[0]["position"] == 1
    with pytest.deprecated_call(match=r"client\.cost_centers"):
        assert any(c["code"] == "13-1" for c in legacy.list_cost_centers())
    with pytest.deprecated_call(match=r"client\.document_types\.list"):
        assert {d["type"] for d in legacy.list_document_types("FV")} == {"FV"}
    with pytest.deprecated_call(match=r"client\.payment_types\.list"):
        assert any(p["due_date"] for p in legacy.list_payment_types("FV"))
    with pytest.deprecated_call(match=r"client\.users\.list"):
        users = legacy.list_users(page_size=10, page=1)
    assert users["pagination"]["page_size"] == 10 and users["results"][0]["id"] == 4120
    # generate_token() stored the token: no second login happened.
    assert len(siigo_sandbox.journal(path="^/auth$")) == 1
    partner_ids = {e.partner_id for e in siigo_sandbox.journal(path="^/v1/")}
    assert partner_ids == {"MiTiendaLegacy"}


def test_products_and_customers(legacy: Client, siigo_sandbox: Sandbox) -> None:
    with pytest.deprecated_call(match=r"client\.products\.create"):
        product = legacy.create_product(
            "Item-1",
            "Camiseta de algodón",
            1821,
            "Product",
            taxes=[{"id": 18401}],
            prices=[{"currency_code": "COP", "price_list": [{"position": 1, "value": 12000}]}],
            additional_fields={"barcode": "B0123", "brand": "Gef", "tariff": "151612", "model": "Loiry"},
        )
    assert isinstance(product, dict) and product["code"] == "Item-1"
    assert product["account_group"]["id"] == 1821
    with pytest.deprecated_call():
        listed = legacy.list_products(code="Item-1")
    assert [p["id"] for p in listed["results"]] == [product["id"]]
    with pytest.deprecated_call():
        by_id = legacy.list_products(id=product["id"])
    assert by_id["results"][0]["code"] == "Item-1"
    assert "ids=" in siigo_sandbox.journal(path="^/v1/products$")[-1].query

    with pytest.deprecated_call(match=r"client\.customers\.create"):
        customer = legacy.create_customer(*CUSTOMER.values())
    assert customer["identification"] == "13832081" and customer["name"] == ["Marcos", "Castillo"]
    with pytest.deprecated_call():
        found = legacy.list_customers(identification="13832081", branch_office=0)
    assert found["pagination"]["total_results"] == 1


def test_legacy_calls_validate_locally_with_the_old_exception_names(
    legacy: Client, siigo_sandbox: Sandbox
) -> None:
    bad = {**CUSTOMER, "name": ["Marcos Castillo"]}  # a Person needs two names
    with pytest.deprecated_call(), pytest.raises(WrongFormatInputError) as caught:
        legacy.create_customer(**bad)
    assert isinstance(caught.value, ValidationError)
    assert caught.value.codes == ["invalid_array"]
    with pytest.deprecated_call(), pytest.raises(ValidationError):
        legacy.list_products(id="not-a-guid")
    with pytest.deprecated_call(), pytest.raises(ValidationError, match="FC"):
        legacy.list_payment_types("RP")
    assert siigo_sandbox.journal(path="^/v1/") == []
    with pytest.deprecated_call():
        legacy.create_product("DUP1", "Uno", 1821, "Product")
    with pytest.deprecated_call(), pytest.raises(WrongFormatInputError) as server_side:
        legacy.create_product("DUP1", "Otro", 1821, "Product")
    assert isinstance(server_side.value, BadRequestError)
    assert server_side.value.codes == ["already_exists"]


def test_token_constructor_and_set_token(siigo_sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SIIGO_PARTNER_ID", "MiTiendaLegacy")
    monkeypatch.setenv("SIIGO_BASE_URL", siigo_sandbox.url)
    token = siigo_sandbox.client()._tokens.token()
    by_keyword = Client(token=token)
    with pytest.deprecated_call():
        assert by_keyword.list_taxes()
    # The 0.1 positional form Client(email, access_key, token): a JWT is read as the token.
    with pytest.deprecated_call(match="partner_id"):
        positional = Client(None, None, token)
    assert positional.partner_id == "MiTiendaLegacy"
    with pytest.deprecated_call():
        assert positional.list_cost_centers()
    bare = Client(token="expired.or.unknown")
    with pytest.deprecated_call():
        bare.set_token(f"Bearer {token}")
    with pytest.deprecated_call():
        assert bare.list_taxes()
    stale = Client(token="stale.token.value")
    with pytest.deprecated_call(), pytest.raises(UnauthorizedError):
        stale.list_taxes()
    assert siigo_sandbox.journal(path="^/auth$")[-1].status == 200  # only the one login of this test


def test_partner_id_is_explained_when_missing(
    siigo_sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SIIGO_PARTNER_ID", raising=False)
    # Siigo refuses every call without a Partner-Id, so the 0.1 call Client(email, access_key)
    # says so when the client is built rather than at its first request.
    with pytest.raises(ConfigurationError, match="SIIGO_PARTNER_ID") as caught:
        Client(email=DEFAULT_USERNAME, access_key=DEFAULT_ACCESS_KEY, base_url=siigo_sandbox.url)
    assert siigo_sandbox.journal() == []
    assert "GearPlug" not in str(caught.value)
    assert ContactsLimitExceededError.__mro__[1].__name__ == "APIError"
