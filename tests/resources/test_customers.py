"""Customers (third parties): models against Siigo's examples, local rules (including the NIT
check digit and DANE codes), and the resource over loopback HTTP."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

import pytest

from siigo import BadRequestError, Client, NotFoundError, PermissionDeniedError, ValidationError, _json
from siigo.models._base import build
from siigo.models.customers import (
    Customer,
    CustomerCreateParams,
    CustomerUpdateParams,
    nit_check_digit,
)
from siigo.pagination import Envelope
from siigo.sandbox import Sandbox
from siigo.sandbox.app import Ctx

from ..conftest import example, example_bytes

CUSTOMERS = "^/v1/customers"
UNKNOWN_GUID = "3553cc8f-7f5b-4283-b384-7039b1c51c26"
_DROP = object()


def body(**changes: Any) -> dict[str, Any]:
    """A valid company body, with ``changes`` applied (dotted paths; ``_DROP`` removes a key)."""
    data: dict[str, Any] = {
        "type": "Customer",
        "person_type": "Company",
        "id_type": "31",
        "identification": "900123456",
        "name": ["Ferretería El Tornillo S.A.S."],
        "commercial_name": "El Tornillo",
        "branch_office": 0,
        "active": True,
        "vat_responsible": True,
        "fiscal_responsibilities": [{"code": "O-13"}],
        "address": {
            "address": "Calle 50 # 45-20 Local 3",
            "city": {"country_code": "CO", "state_code": "05", "city_code": "05001"},
            "postal_code": "050010",
        },
        "phones": [{"indicative": "57", "number": "6044445566", "extension": "12"}],
        "contacts": [
            {
                "first_name": "Carolina",
                "last_name": "Mejía Arango",
                "email": "facturacion@eltornillo.example.com",
                "phone": {"indicative": "57", "number": "3104567890"},
            }
        ],
        "comments": "Cliente mayorista zona centro",
        "related_users": {"seller_id": 4120, "collector_id": 4121},
    }
    for path, value in changes.items():
        target: Any = data
        *parents, last = path.split(".")
        for part in parents:
            target = target[int(part)] if isinstance(target, list) else target[part]
        if value is _DROP:
            del target[last]
        else:
            target[last] = value
    return data


def person(**changes: Any) -> dict[str, Any]:
    base = {
        "person_type": "Person",
        "id_type": "13",
        "identification": "1036654321",
        "name": ["Juan Camilo", "Restrepo Vélez"],
        "fiscal_responsibilities": [{"code": "R-99-PN"}],
    }
    return body(**{**base, **changes})


# --- Siigo's examples --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    [
        "get_customers-id__response-200.json",
        "post_customers__response-201.json",
        "put_customers-id__response-200.json",
    ],
)
def test_customer_examples_parse(name: str) -> None:
    customer = Customer.model_validate_json(example_bytes(name))
    assert customer.id == "6b6ceb28-b2eb-4b98-b3dd-26648a933c81"
    assert customer.id_type is not None and customer.id_type.code == "13"
    assert customer.id_type.name == "Cédula de ciudadanía"
    assert customer.full_name == "Marcos Castillo"
    assert customer.address is not None and customer.address.city is not None
    assert customer.address.city.city_code == "19001" and customer.address.city.city_name == "Popayán"
    assert customer.related_users is not None and customer.related_users.seller_id == 629
    assert customer.contacts and customer.contacts[0].phone is not None
    assert customer.metadata is not None and customer.metadata.last_updated is None


def test_customer_list_example_parses() -> None:
    envelope = Envelope[Customer].model_validate_json(example_bytes("get_customers__response-200.json"))
    assert envelope.pagination is not None and envelope.pagination.page_size == 25
    assert envelope.results[0].fiscal_responsibilities
    assert envelope.results[0].fiscal_responsibilities[0].code == "R-99-PN"


@pytest.mark.parametrize(
    ("name", "model"),
    [
        ("post_customers__request.json", CustomerCreateParams),
        ("put_customers-id__request.json", CustomerUpdateParams),
    ],
)
def test_customer_request_examples_validate(name: str, model: type[CustomerCreateParams]) -> None:
    params = build(model, example(name))
    wire = params.to_wire()
    # A cédula with a check digit: accepted and sent as given (Siigo echoes it back).
    assert wire["check_digit"] == "4" and wire["id_type"] == "13"
    assert wire["address"]["city"] == {"country_code": "Co", "state_code": "19", "city_code": "19001"}


def test_tolerant_customer_parsing() -> None:
    raw = example("get_customers-id__response-200.json")
    raw["id_type"] = "31"
    raw["identification"] = 900123456
    raw["branch_office"] = "2"
    raw["type"] = "Employee"
    raw["related_users"] = {"seller_id": "4120", "collector_id": None}
    raw["custom_fields"] = [{"key": "CUCON", "value": "123"}]
    raw["unknown"] = True
    customer = Customer.model_validate(raw)
    assert customer.id_type is not None and customer.id_type.code == "31"
    assert customer.identification == "900123456" and customer.branch_office == 2
    assert customer.type == "Employee"
    assert customer.related_users is not None and customer.related_users.seller_id == 4120
    assert customer.custom_fields and customer.custom_fields[0].key == "CUCON"


# --- NIT check digit ---------------------------------------------------------------------------


@pytest.mark.parametrize(("nit", "digit"), [("900123456", "8"), ("860034313", "7"), ("830117028", "0")])
def test_nit_check_digit(siigo_sandbox: Sandbox, siigo_client: Client, nit: str, digit: str) -> None:
    assert nit_check_digit(nit) == digit
    assert build(CustomerCreateParams, body(identification=nit)).check_digit == digit
    assert build(CustomerCreateParams, body(identification=nit, check_digit=digit)).check_digit == digit
    created = siigo_client.customers.create(body(identification=nit))
    assert created.check_digit == digit and created.id_type is not None and created.id_type.name == "NIT"


def test_wrong_nit_check_digit_states_the_right_one(siigo_sandbox: Sandbox, siigo_client: Client) -> None:
    with pytest.raises(ValidationError) as info:
        siigo_client.customers.create(body(check_digit="3"))
    assert info.value.codes == ["invalid_value"]
    assert "its check digit is 8" in str(info.value) and info.value.errors[0].params == ("check_digit",)
    with pytest.raises(ValidationError) as info:
        siigo_client.customers.create(body(identification="900123456-8"))
    assert info.value.codes == ["invalid_identification"]
    assert "identification '900123456' and check_digit '8'" in str(info.value)
    with pytest.raises(ValueError):
        nit_check_digit("900.123.456")
    assert siigo_sandbox.journal(method="POST", path=CUSTOMERS) == []


def test_check_digit_of_other_id_types_is_passed_through(
    siigo_sandbox: Sandbox, siigo_client: Client
) -> None:
    assert build(CustomerCreateParams, person()).check_digit is None
    created = siigo_client.customers.create(person(check_digit=4))
    assert created.check_digit == "4"
    without = siigo_client.customers.create(person(identification="1036654322"))
    assert without.check_digit == ""


# --- the resource over HTTP --------------------------------------------------------------------


def test_create_retrieve_update_delete(siigo_sandbox: Sandbox, siigo_client: Client) -> None:
    created = siigo_client.customers.create(**body())
    assert created.id_type is not None and (created.id_type.code, created.id_type.name) == ("31", "NIT")
    assert created.fiscal_responsibilities is not None
    assert [(f.code, f.name) for f in created.fiscal_responsibilities] == [("O-13", "Gran contribuyente")]
    city = created.address.city if created.address else None
    assert city is not None
    assert (city.country_name, city.state_code, city.state_name, city.city_code, city.city_name) == (
        "Colombia",
        "05",
        "Antioquia",
        "05001",
        "Medellín",
    )
    assert created.address is not None and created.address.postal_code == "050010"
    assert created.contacts and created.contacts[0].phone is not None
    assert created.contacts[0].phone.extension == ""
    assert created.metadata is not None and created.metadata.last_updated is None
    assert siigo_client.customers.retrieve(created.id).model_dump() == created.model_dump()

    # PUT replaces everything: what is left out becomes empty or default.
    updated = siigo_client.customers.update(
        created.id,
        person_type="Company",
        id_type="31",
        identification="900123456",
        name=["Ferretería El Tornillo S.A.S. BIC"],
        address={
            "address": "Carrera 7 # 72-10",
            "city": {"country_code": "CO", "state_code": "11", "city_code": "11001"},
        },
    )
    assert updated.name == ["Ferretería El Tornillo S.A.S. BIC"]
    assert updated.commercial_name == "" and updated.contacts == [] and updated.phones == []
    assert (
        updated.fiscal_responsibilities is not None and updated.fiscal_responsibilities[0].code == "R-99-PN"
    )
    assert updated.address is not None and updated.address.city is not None
    assert updated.address.city.city_name == "Bogotá, D.C."
    assert updated.metadata is not None and updated.metadata.last_updated is not None

    result = siigo_client.customers.delete(created.id)
    assert result.deleted is True and result.id == created.id
    with pytest.raises(NotFoundError) as info:
        siigo_client.customers.retrieve(created.id)
    assert info.value.codes == ["not_found"]


def test_delete_can_be_disabled_like_on_siigos_test_companies(
    siigo_sandbox: Sandbox, siigo_client: Client
) -> None:
    created = siigo_client.customers.create(body())
    siigo_sandbox.configure(customer_delete="disabled")
    with pytest.raises(PermissionDeniedError) as info:
        siigo_client.customers.delete(created.id)
    assert info.value.status == 403 and info.value.codes == ["disabled_functionality"]
    assert info.value.errors[0].message == "This functionality is temporarily disabled."
    assert siigo_client.customers.retrieve(created.id).id == created.id


def test_params_objects_round_trip_and_ids(siigo_sandbox: Sandbox, siigo_client: Client) -> None:
    siigo_sandbox.configure(put_status=201)
    created = siigo_client.customers.create(CustomerCreateParams.model_validate(body()))
    params = siigo_client.customers.retrieve(created.id).to_update_params()
    assert params.to_wire() == build(CustomerUpdateParams, body()).to_wire()
    params.comments = "Cambió de zona"
    updated = siigo_client.customers.update(created.id, params)
    assert updated.comments == "Cambió de zona" and updated.related_users == created.related_users
    assert siigo_sandbox.journal(method="PUT", path=CUSTOMERS)[-1].status == 201
    with pytest.raises(NotFoundError):
        siigo_client.customers.update(UNKNOWN_GUID, body())
    with pytest.raises(NotFoundError):
        siigo_client.customers.delete(UNKNOWN_GUID)
    # A model or a dict with keyword overrides: the keywords replace its fields.
    overridden = siigo_client.customers.update(created.id, params, comments="Otra vez")
    assert overridden.comments == "Otra vez" and overridden.identification == created.identification
    with pytest.raises(BadRequestError) as caught:
        siigo_client.customers.create(body(), comments="x")  # the same identification again
    assert caught.value.codes == ["already_exists"]
    before = len(siigo_sandbox.journal(path=CUSTOMERS))
    for bad in ("", "900123456", "not-a-guid"):
        with pytest.raises(ValueError):
            siigo_client.customers.retrieve(bad)
    assert len(siigo_sandbox.journal(path=CUSTOMERS)) == before


def test_customer_without_contacts_is_accepted_with_a_warning(
    siigo_sandbox: Sandbox, siigo_client: Client, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, logger="siigo"):
        created = siigo_client.customers.create(body(contacts=_DROP, phones=_DROP))
    assert created.contacts == []
    assert any("customer_settings" in record.getMessage() for record in caplog.records)


# --- local rules: each one accepted and rejected -----------------------------------------------

ACCEPTED = [
    pytest.param(body(), id="company"),
    pytest.param(person(), id="person"),
    pytest.param(person(type="Supplier"), id="supplier"),
    pytest.param(body(type="Other"), id="other"),
    pytest.param(body(identification=900123456), id="identification-number"),
    pytest.param(body(id_type=31), id="id-type-number"),
    pytest.param(person(identification="1" * 13), id="cc-13-digits"),
    pytest.param(person(identification="123"), id="cc-3-digits"),
    pytest.param(person(id_type="41", identification="AB123456"), id="passport"),
    pytest.param(person(id_type="22", identification="E-12345"), id="foreign-id-hyphen"),
    pytest.param(person(id_type="41", identification="P" * 20), id="passport-20"),
    pytest.param(person(id_type="R-00-PN", identification="X" * 13), id="no-rut-13"),
    pytest.param(person(id_type="12", identification="T1234567890"), id="tarjeta-identidad"),
    pytest.param(body(name=["N" * 100]), id="name-100"),
    pytest.param(body(branch_office=999), id="branch-999"),
    pytest.param(body(branch_office="3"), id="branch-text"),
    pytest.param(
        body(fiscal_responsibilities=[{"code": "O-15"}, {"code": "O-23", "name": "ignorado"}]), id="resp"
    ),
    pytest.param(body(fiscal_responsibilities=_DROP), id="responsibilities-default"),
    pytest.param(body(**{"address.address": "A" * 256}), id="address-256"),
    pytest.param(
        body(**{"address.city": {"country_code": "Co", "state_code": "08", "city_code": "08001"}}), id="co"
    ),
    pytest.param(
        body(**{"address.city": {"country_code": "US", "state_code": "01", "city_code": "0101"}}), id="us"
    ),
    pytest.param(body(**{"address.postal_code": "ABC123"}), id="postal-alnum"),
    pytest.param(body(**{"address.postal_code": _DROP}), id="postal-missing"),
    pytest.param(body(phones=[{"indicative": 57, "number": 6044445566}]), id="phone-numbers"),
    pytest.param(body(phones=[{"number": "1" * 10, "extension": ""}]), id="phone-10"),
    pytest.param(body(contacts=[{"first_name": f"C{i}"} for i in range(10)]), id="ten-contacts"),
    pytest.param(body(**{"contacts.0.email": "a.b-c+d@sub.example.co"}), id="email"),
    pytest.param(
        body(**{"contacts.0.first_name": "F" * 50, "contacts.0.last_name": "L" * 50}), id="names-50"
    ),
    pytest.param(body(comments="c" * 4000), id="comments-4000"),
    pytest.param(body(related_users={"seller_id": "4122"}), id="seller-text"),
    pytest.param(body(custom_fields=[{"key": "CUCON", "value": "12345"}]), id="custom-fields"),
]


@pytest.mark.parametrize("data", ACCEPTED)
def test_local_rules_accept(siigo_sandbox: Sandbox, siigo_client: Client, data: dict[str, Any]) -> None:
    created = siigo_client.customers.create(data)
    assert siigo_client.customers.retrieve(created.id).identification == str(data["identification"])


REJECTED = [
    pytest.param(body(person_type=_DROP), "parameter_required", id="person-type-missing"),
    pytest.param(body(person_type="Natural"), "invalid_value", id="person-type-unknown"),
    pytest.param(body(type="Client"), "invalid_value", id="type-unknown"),
    pytest.param(body(name=["Juan", "Pérez"]), "invalid_array", id="company-two-names"),
    pytest.param(person(name=["Juan Camilo Restrepo"]), "invalid_array", id="person-one-name"),
    pytest.param(person(name=["Juan", "Camilo", "Restrepo"]), "invalid_array", id="person-three-names"),
    pytest.param(body(name=["N" * 101]), "length_max", id="name-101"),
    pytest.param(body(name=[""]), "length_min", id="name-empty"),
    pytest.param(body(id_type="99"), "invalid_value", id="id-type-unknown"),
    pytest.param(body(identification="90012345A"), "invalid_identification", id="nit-letters"),
    pytest.param(person(identification="12"), "invalid_identification", id="cc-2-digits"),
    pytest.param(person(identification="1" * 14), "invalid_identification", id="cc-14-digits"),
    pytest.param(person(id_type="41", identification="P" * 21), "invalid_identification", id="passport-21"),
    pytest.param(
        person(id_type="41", identification="-AB123"), "invalid_identification", id="leading-hyphen"
    ),
    pytest.param(person(id_type="41", identification="AB 123"), "invalid_identification", id="space"),
    pytest.param(
        person(id_type="R-00-PN", identification="X" * 14), "invalid_identification", id="no-rut-14"
    ),
    pytest.param(person(check_digit="12"), "invalid_value", id="check-digit-two-digits"),
    pytest.param(body(branch_office=1000), "invalid_value", id="branch-1000"),
    pytest.param(body(fiscal_responsibilities=[]), "parameter_empty", id="responsibilities-empty"),
    pytest.param(
        body(fiscal_responsibilities=[{"code": "O-99"}]), "invalid_value", id="responsibility-unknown"
    ),
    pytest.param(
        body(fiscal_responsibilities=[{"code": "O-13"}] * 2), "invalid_array", id="responsibility-twice"
    ),
    pytest.param(body(address=_DROP), "parameter_required", id="address-missing"),
    pytest.param(body(**{"address.address": "A" * 257}), "length_max", id="address-257"),
    pytest.param(body(**{"address.city.city_code": 5001}), "invalid_type", id="city-code-number"),
    pytest.param(body(**{"address.city.state_code": 5}), "invalid_type", id="state-code-number"),
    pytest.param(body(**{"address.city.state_code": "5"}), "invalid_value", id="state-code-one-digit"),
    pytest.param(body(**{"address.city.state_code": "02"}), "invalid_value", id="state-code-unknown"),
    pytest.param(body(**{"address.city.city_code": "5001"}), "invalid_value", id="city-code-four-digits"),
    pytest.param(
        body(**{"address.city.city_code": "08001"}), "invalid_value", id="city-of-another-department"
    ),
    pytest.param(body(**{"address.city.country_code": _DROP}), "parameter_required", id="country-missing"),
    pytest.param(body(**{"address.postal_code": 50010}), "invalid_type", id="postal-number"),
    pytest.param(body(**{"address.postal_code": "050 010"}), "invalid_value", id="postal-space"),
    pytest.param(body(**{"address.postal_code": "0" * 11}), "length_max", id="postal-11"),
    pytest.param(body(**{"phones.0.number": "604-444-55"}), "invalid_value", id="phone-hyphens"),
    pytest.param(body(**{"phones.0.number": "1" * 11}), "length_max", id="phone-11"),
    pytest.param(body(**{"phones.0.number": ""}), "length_min", id="phone-empty"),
    pytest.param(body(**{"phones.0.extension": "ext12"}), "invalid_value", id="extension-letters"),
    pytest.param(
        body(contacts=[{"first_name": f"C{i}"} for i in range(11)]), "invalid_array", id="eleven-contacts"
    ),
    pytest.param(
        body(**{"contacts.0.first_name": _DROP}), "parameter_required", id="contact-first-name-missing"
    ),
    pytest.param(body(**{"contacts.0.first_name": "F" * 51}), "length_max", id="first-name-51"),
    pytest.param(body(**{"contacts.0.last_name": "L" * 51}), "length_max", id="last-name-51"),
    pytest.param(body(**{"contacts.0.email": "facturacion@eltornillo"}), "invalid_email", id="email-no-tld"),
    pytest.param(body(**{"contacts.0.email": "fact uracion@x.co"}), "invalid_email", id="email-space"),
    pytest.param(body(**{"contacts.0.email": "a" * 95 + "@x.com"}), "length_max", id="email-101"),
    pytest.param(body(comments="c" * 4001), "length_max", id="comments-4001"),
    pytest.param(body(related_users={"seller_id": "Andrés"}), "invalid_type", id="seller-not-id"),
    pytest.param(body(custom_fields=[{"key": "", "value": "x"}]), "length_min", id="custom-field-key-empty"),
    pytest.param(body(vat_responsable=True), "invalid_parameter", id="misspelled-field"),
]


@pytest.mark.parametrize(("data", "code"), REJECTED)
def test_local_rules_reject_before_sending(
    siigo_sandbox: Sandbox, siigo_client: Client, data: dict[str, Any], code: str
) -> None:
    with pytest.raises(ValidationError) as info:
        siigo_client.customers.create(data)
    assert code in info.value.codes
    with pytest.raises(ValidationError) as info:
        siigo_client.customers.update(UNKNOWN_GUID, data)
    assert code in info.value.codes
    assert siigo_sandbox.journal(method="POST", path=CUSTOMERS) == []
    assert siigo_sandbox.journal(method="PUT", path=CUSTOMERS) == []


def test_messages_say_which_shape_is_expected() -> None:
    with pytest.raises(ValidationError) as info:
        build(CustomerCreateParams, person(name=["Juan Camilo Restrepo Vélez"]))
    assert "[given names, surnames]" in str(info.value) and info.value.errors[0].params == ("name",)
    with pytest.raises(ValidationError) as info:
        build(CustomerCreateParams, body(name=["Ferretería", "El Tornillo"]))
    assert "[legal name]" in str(info.value)
    with pytest.raises(ValidationError) as info:
        build(CustomerCreateParams, body(**{"address.city.city_code": 5001}))
    assert "'05001'" in str(info.value) and "leading zeros" in str(info.value)
    with pytest.raises(ValidationError) as info:
        build(
            CustomerCreateParams, body(**{"address.city.state_code": "5", "address.city.city_code": "5001"})
        )
    assert "did you mean '05'" in str(info.value)


def test_the_sandbox_applies_the_same_rules_to_raw_bodies(
    siigo_sandbox: Sandbox, siigo_client: Client
) -> None:
    raw = person(name=["Solo un nombre"], check_digit="x", **{"contacts.0.email": "malo"})
    transport: Any = siigo_client._transport
    with pytest.raises(BadRequestError) as info:
        transport.request("POST", "/v1/customers", body=_json.dumps(raw))
    assert {"invalid_array", "invalid_value", "invalid_email"} <= set(info.value.codes)
    with pytest.raises(BadRequestError) as info:
        transport.request("POST", "/v1/customers", body=_json.dumps(body(check_digit="1")))
    assert info.value.codes == ["invalid_value"] and "is 8" in info.value.errors[0].message
    assert siigo_sandbox.tenant().customers == {}


# --- DANE codes keep their leading zeros -------------------------------------------------------


def test_city_codes_keep_leading_zeros(siigo_sandbox: Sandbox, siigo_client: Client) -> None:
    cases = [("05", "05001", "Antioquia", "Medellín"), ("08", "08001", "Atlántico", "Barranquilla")]
    for index, (state, city, state_name, city_name) in enumerate(cases):
        created = siigo_client.customers.create(
            body(
                identification=f"90012345{index}",
                **{"address.city.state_code": state, "address.city.city_code": city},
            )
        )
        again = siigo_client.customers.retrieve(created.id)
        assert again.address is not None and again.address.city is not None
        got = again.address.city
        assert (got.state_code, got.city_code, got.state_name, got.city_name) == (
            state,
            city,
            state_name,
            city_name,
        )
    # A municipality the sandbox has no name for is named by its code.
    other = siigo_client.customers.create(
        body(
            identification="800111222", **{"address.city.city_code": "05002", "address.postal_code": "055030"}
        )
    )
    assert other.address is not None and other.address.city is not None
    assert (other.address.city.city_code, other.address.city.city_name) == ("05002", "05002")
    assert other.address.postal_code == "055030"


# --- server-side rules -------------------------------------------------------------------------


def test_identification_and_branch_office_are_unique(siigo_sandbox: Sandbox, siigo_client: Client) -> None:
    first = siigo_client.customers.create(body())
    with pytest.raises(BadRequestError) as info:
        siigo_client.customers.create(body(commercial_name="Copia"))
    assert info.value.status == 400 and info.value.codes == ["already_exists"]
    branch = siigo_client.customers.create(body(branch_office=1, commercial_name="Sede norte"))
    assert branch.branch_office == 1
    with pytest.raises(BadRequestError) as info:
        siigo_client.customers.update(branch.id, body())
    assert info.value.codes == ["already_exists"]
    assert siigo_client.customers.update(first.id, body(comments="Sin cambios de clave")).id == first.id


@pytest.mark.parametrize(
    ("related", "code"),
    [
        ({"seller_id": 9999}, "invalid_reference"),
        ({"collector_id": 9999}, "invalid_reference"),
        ({"seller_id": 4129}, "parameter_inactive"),
        ({"seller_id": 4120, "collector_id": 4129}, "parameter_inactive"),
    ],
)
def test_related_users_must_exist_and_be_active(
    siigo_sandbox: Sandbox, siigo_client: Client, related: dict[str, int], code: str
) -> None:
    with pytest.raises(BadRequestError) as info:
        siigo_client.customers.create(body(related_users=related))
    assert info.value.codes == [code]
    assert info.value.errors[0].params[0].startswith("related_users.")
    assert siigo_sandbox.tenant().customers == {}


# --- lists -------------------------------------------------------------------------------------


def test_list_walks_pages(siigo_sandbox: Sandbox, siigo_client: Client) -> None:
    ids = [f"{1036654300 + n}" for n in range(23)]
    for identification in ids:
        siigo_client.customers.create(person(identification=identification))
    page = siigo_client.customers.list(page_size=10)
    assert (page.page_size, page.total_results, len(page.items)) == (10, 23, 10)
    assert [c.identification for c in page] == ids
    assert [len(p.items) for p in page.iter_pages()] == [10, 10, 3]
    assert len(siigo_client.customers.list(page_size=1).items) == 10  # Siigo raises sizes below 10


def test_list_filters(siigo_sandbox: Sandbox, siigo_client: Client) -> None:
    siigo_client.customers.create(body())
    siigo_client.customers.create(body(branch_office=1))
    siigo_client.customers.create(person(type="Supplier"))
    siigo_client.customers.create(person(identification="1036654322", type="Other", active=False))

    def keys(**filters: Any) -> set[tuple[str | None, int | None]]:
        return {(c.identification, c.branch_office) for c in siigo_client.customers.list(**filters)}

    assert keys() == {("900123456", 0), ("900123456", 1), ("1036654321", 0)}
    assert keys(identification="900123456") == {("900123456", 0), ("900123456", 1)}
    assert keys(identification="900123456", branch_office=1) == {("900123456", 1)}
    assert keys(branch_office=0) == {("900123456", 0), ("1036654321", 0)}
    assert keys(type="Supplier") == {("1036654321", 0)}
    assert keys(type="Customer", person_type="Company") == {("900123456", 0), ("900123456", 1)}
    assert keys(person_type="Person") == {("1036654321", 0)}
    assert keys(active=False) == {("1036654322", 0)}
    assert keys(active=False, type="Other") == {("1036654322", 0)}
    for bad in (
        {"type": "Client"},
        {"person_type": "Natural"},
        {"branch_office": 1000},
        {"identification": ""},
    ):
        with pytest.raises(ValidationError):
            siigo_client.customers.list(**bad)


def test_list_date_filters(siigo_sandbox: Sandbox, siigo_client: Client) -> None:
    old = siigo_client.customers.create(body())
    siigo_sandbox.advance_clock(2 * 86400)
    today = siigo_sandbox.state.now_datetime().date()
    siigo_client.customers.create(person())

    def ids(**filters: Any) -> list[str | None]:
        return [c.identification for c in siigo_client.customers.list(**filters)]

    assert ids(created_start=today) == ["1036654321"]
    assert ids(created_end=today - dt.timedelta(days=1)) == ["900123456"]
    assert ids(date_start=today.isoformat()) == ["1036654321"]
    assert ids(updated_start=today) == []
    siigo_client.customers.update(old.id, body(comments="Editado"))
    assert ids(updated_start=today, updated_end=today) == ["900123456"]


def test_type_filter_is_applied_again_on_the_client(
    siigo_sandbox: Sandbox, siigo_client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Siigo was seen answering ``type=Supplier`` with customers mixed in; make the sandbox do it."""
    for n in range(12):
        siigo_client.customers.create(person(identification=f"{1036654300 + n}"))  # customers first
    for n in range(3):
        siigo_client.customers.create(person(identification=f"{1036654400 + n}", type="Supplier"))

    route = next(r for r in siigo_sandbox.app.routes if r.method == "GET" and r.resource == "/v1/customers")
    honest = route.handler

    def mixed(ctx: Ctx) -> tuple[int, Any]:
        ctx.args = ctx.args.copy()
        ctx.args.pop("type", None)
        return honest(ctx)

    monkeypatch.setattr(route, "handler", mixed)
    first = siigo_client.customers.list(type="Supplier", page_size=10)
    assert first.items == []  # the first page held only customers...
    assert first.has_next_page()  # ...but the walk goes on
    suppliers = list(first)
    assert [c.identification for c in suppliers] == ["1036654400", "1036654401", "1036654402"]
    assert all(c.type == "Supplier" for c in suppliers)
    assert len(siigo_sandbox.journal(method="GET", path=CUSTOMERS)) == 2


def test_round_trip_of_a_minimal_customer(siigo_sandbox: Sandbox, siigo_client: Client) -> None:
    minimal = {
        "person_type": "Person",
        "id_type": "13",
        "identification": "1036654321",
        "name": ["Juan Camilo", "Restrepo Vélez"],
        "address": {
            "address": "Calle 10",
            "city": {"country_code": "CO", "state_code": "05", "city_code": "05001"},
        },
    }
    created = siigo_client.customers.create(minimal)
    params = created.to_update_params()
    assert params.to_wire() == {
        **minimal,
        "type": "Customer",
        "branch_office": 0,
        "active": True,
        "vat_responsible": False,
        "fiscal_responsibilities": [{"code": "R-99-PN"}],
        "commercial_name": "",
        "comments": "",
    }
    assert siigo_client.customers.update(created.id, params).model_dump(
        exclude={"metadata"}
    ) == created.model_dump(exclude={"metadata"})
