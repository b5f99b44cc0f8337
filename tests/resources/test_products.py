"""Products: models against Siigo's examples, local rules, and the resource over loopback HTTP."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any
from urllib.parse import parse_qs

import pytest

from siigo import BadRequestError, Client, NotFoundError, ValidationError, _json
from siigo.models._base import build
from siigo.models.common import DeleteResult
from siigo.models.products import (
    Product,
    ProductCreateParams,
    ProductTaxParam,
    ProductUpdateParams,
)
from siigo.pagination import Envelope
from siigo.sandbox import Sandbox
from siigo.sandbox.handlers.products import mark_movement

from ..conftest import example, example_bytes

D = Decimal
PRODUCTS = "^/v1/products"
UNKNOWN_GUID = "9e6f8516-f256-4f47-a4a7-39b0adad113e"
_DROP = object()


def body(**changes: Any) -> dict[str, Any]:
    """A valid product body for the sandbox's catalogs, with ``changes`` applied (dotted paths;
    ``_DROP`` removes a key)."""
    data: dict[str, Any] = {
        "code": "TAL-750-001",
        "name": "Taladro percutor 1/2 pulgada 750 W",
        "account_group": 1821,
        "type": "Product",
        "stock_control": True,
        "active": True,
        "tax_classification": "Taxed",
        "tax_included": False,
        "tax_consumption_value": D("0"),
        "taxes": [{"id": 18401}],
        "prices": [
            {
                "currency_code": "COP",
                "price_list": [{"position": 1, "value": D("289900")}, {"position": 2, "value": D("259900")}],
            }
        ],
        "unit": "94",
        "unit_label": "unidad",
        "reference": "HT-750-PR",
        "description": "Taladro percutor con mandril de 13 mm",
        "additional_fields": {
            "barcode": "7701234567891",
            "brand": "Hertz",
            "tariff": "8467210000",
            "model": "HT750",
        },
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


def posts(sandbox: Sandbox) -> int:
    return len(sandbox.journal(method="POST", path=PRODUCTS))


# --- Siigo's examples --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    [
        "get_products-id__response-200.json",
        "post_products__response-201.json",
        "put_products-id__response-200.json",
    ],
)
def test_product_examples_parse(name: str) -> None:
    product = Product.model_validate_json(example_bytes(name))
    assert product.id == "00584089-4ebc-49de-bf75-6a6cc968a96d"
    assert product.account_group is not None and product.account_group.id == 1253
    assert product.unit is not None and product.unit.code == "94"
    assert product.price() == D("12000")
    assert product.taxes and product.taxes[0].percentage == D("19")
    assert product.metadata is not None and product.metadata.created is not None
    assert product.metadata.last_updated is None


def test_product_list_and_delete_examples_parse() -> None:
    envelope = Envelope[Product].model_validate_json(example_bytes("get_products__response-200.json"))
    assert envelope.pagination is not None and envelope.pagination.total_results == 253
    assert envelope.results[0].code == "Item-1"
    assert envelope.links is not None and envelope.links.next is not None
    deleted = DeleteResult.model_validate_json(example_bytes("delete_products-id__response-200.json"))
    assert deleted.deleted is True and deleted.id == "63f918c2-ca65-4edc-a7db-66bcdd5159fb"


@pytest.mark.parametrize(
    ("name", "model"),
    [
        ("post_products__request.json", ProductCreateParams),
        ("put_products-id__request.json", ProductUpdateParams),
    ],
)
def test_product_request_examples_validate(name: str, model: type[ProductCreateParams]) -> None:
    params = build(model, example(name))
    assert params.taxes == [ProductTaxParam(id=13156, milliliters=1000, rate=35)]
    assert params.to_wire()["prices"][0]["price_list"][0]["value"] == D("12000")


def test_tolerant_product_parsing() -> None:
    raw = example("get_products-id__response-200.json")
    raw["prices"][0]["price_list"][0]["value"] = "12000.50"
    raw["warehouses"][0]["quantity"] = "3"
    raw["unit"] = "94"
    raw["type"] = "Kit"
    raw["new_field"] = {"x": 1}
    raw["metadata"] = {"created": "2026-08-22T08:41:40", "last_updated": "null"}
    raw["components"] = [{"id": UNKNOWN_GUID, "code": "A", "name": "Parte"}]
    product = Product.model_validate(raw)
    assert product.price() == D("12000.50")
    assert product.warehouses and product.warehouses[0].quantity == D("3")
    assert product.unit is not None and product.unit.code == "94"
    assert product.type == "Kit"
    assert product.components and product.components[0].code == "A"
    assert product.metadata is not None and product.metadata.last_updated is None


# --- the resource over HTTP --------------------------------------------------------------------


def test_create_retrieve_update_delete(siigo_sandbox: Sandbox, siigo_client: Client) -> None:
    created = siigo_client.products.create(**body())
    assert created.code == "TAL-750-001"
    assert created.account_group is not None and created.account_group.name
    assert created.taxes and created.taxes[0].type == "IVA" and created.taxes[0].percentage == D("19")
    assert created.price(2) == D("259900")
    assert created.prices and created.prices[0].price_list
    assert created.prices[0].price_list[0].name == "Precio al detal"
    assert created.unit is not None and created.unit.name == "Unidad"
    assert created.additional_fields is not None and created.additional_fields.tariff == "8467210000"
    assert created.metadata is not None and created.metadata.created is not None
    assert created.metadata.last_updated is None

    fetched = siigo_client.products.retrieve(created.id)
    assert fetched.model_dump() == created.model_dump()

    # PUT is a full replacement: what is left out goes back to its default.
    updated = siigo_client.products.update(
        created.id, code="TAL-750-001", name="Taladro 750 W", account_group=1822, unit="KGM"
    )
    assert updated.name == "Taladro 750 W"
    assert updated.account_group is not None and updated.account_group.id == 1822
    assert updated.taxes == [] and updated.prices == [] and updated.description == ""
    assert updated.stock_control is False
    assert updated.unit is not None and updated.unit.code == "KGM"
    assert updated.metadata is not None and updated.metadata.last_updated is not None
    assert updated.metadata.created == created.metadata.created

    result = siigo_client.products.delete(created.id)
    assert result.deleted is True and result.id == created.id
    with pytest.raises(NotFoundError) as info:
        siigo_client.products.retrieve(created.id)
    assert info.value.codes == ["not_found"]
    with pytest.raises(NotFoundError):
        siigo_client.products.delete(created.id)


def test_params_objects_dicts_and_round_trip(siigo_sandbox: Sandbox, siigo_client: Client) -> None:
    params = ProductCreateParams.model_validate(body())
    first = siigo_client.products.create(params)
    second = siigo_client.products.create(body(code="TAL-750-002"))
    assert {first.code, second.code} == {"TAL-750-001", "TAL-750-002"}

    update = first.to_update_params()
    assert update.to_wire() == build(ProductUpdateParams, body()).to_wire()
    update.name = "Taladro renombrado"
    again = siigo_client.products.update(first.id, update)
    assert again.name == "Taladro renombrado" and again.price() == D("289900")

    # A model or a dict with keyword overrides: the keywords replace its fields.
    renamed = siigo_client.products.update(first.id, update, name="Taladro otra vez")
    assert renamed.name == "Taladro otra vez" and renamed.code == first.code
    with pytest.raises(BadRequestError) as caught:
        siigo_client.products.create(params, name="x")
    assert caught.value.codes == ["already_exists"]


def test_put_status_setting_and_unknown_ids(siigo_sandbox: Sandbox, siigo_client: Client) -> None:
    siigo_sandbox.configure(put_status=201)
    product = siigo_client.products.create(**body())
    assert siigo_client.products.update(product.id, body(name="Otro nombre")).name == "Otro nombre"
    assert siigo_sandbox.journal(method="PUT", path=PRODUCTS)[-1].status == 201

    with pytest.raises(NotFoundError):
        siigo_client.products.retrieve(UNKNOWN_GUID)
    with pytest.raises(NotFoundError):
        siigo_client.products.update(UNKNOWN_GUID, body())
    before = len(siigo_sandbox.journal(path=PRODUCTS))
    for bad in ("", "123", "not-a-guid", "../taxes"):
        with pytest.raises(ValueError):
            siigo_client.products.retrieve(bad)
        with pytest.raises(ValueError):
            siigo_client.products.delete(bad)
    assert len(siigo_sandbox.journal(path=PRODUCTS)) == before


def test_sandbox_answers_malformed_ids_with_404(siigo_sandbox: Sandbox, siigo_client: Client) -> None:
    transport: Any = siigo_client._transport
    with pytest.raises(NotFoundError) as info:
        transport.request("GET", "/v1/products/not-a-guid")
    assert info.value.codes == ["not_found"]


# --- local rules: each one accepted and rejected -----------------------------------------------

ACCEPTED = [
    pytest.param({}, id="full-body"),
    pytest.param({"code": "A" * 30}, id="code-30"),
    pytest.param({"code": "ÑOÑO-#1/a.b"}, id="code-symbols"),
    pytest.param({"name": "N" * 100}, id="name-100"),
    pytest.param({"account_group": "1821"}, id="account-group-as-text"),
    pytest.param({"type": "Service"}, id="type-service"),
    pytest.param({"type": "ConsumerGood"}, id="type-consumer-good"),
    pytest.param({"tax_classification": "Excluded", "taxes": _DROP}, id="excluded"),
    pytest.param({"tax_consumption_value": "1250.50"}, id="consumption-value"),
    pytest.param({"taxes": [{"id": 18401}, {"id": 18404}, {"id": 18405}]}, id="three-taxes"),
    pytest.param({"taxes": [{"id": 18404, "milliliters": 350, "rate": 18}]}, id="sugary-rate"),
    pytest.param(
        {"prices.0.price_list": [{"position": p, "value": D("1000.25")} for p in (1, 2, 3)]}, id="price-lists"
    ),
    pytest.param(
        {"prices": [{"currency_code": "USD", "price_list": [{"position": 1, "value": 10}]}]}, id="usd"
    ),
    pytest.param({"unit": "KGM"}, id="unit"),
    pytest.param({"reference": "R" * 80}, id="reference-80"),
    pytest.param({"description": "d" * 2500}, id="description-2500"),
    pytest.param(
        {"additional_fields": {"barcode": "7" * 50, "brand": "b" * 50, "model": "m" * 50}}, id="extras"
    ),
    pytest.param({"additional_fields.tariff": "0101210000"}, id="tariff-leading-zero"),
]


@pytest.mark.parametrize("changes", ACCEPTED)
def test_local_rules_accept(siigo_sandbox: Sandbox, siigo_client: Client, changes: dict[str, Any]) -> None:
    product = siigo_client.products.create(body(**changes))
    assert siigo_client.products.retrieve(product.id).code == product.code
    if "additional_fields.tariff" in changes:
        assert product.additional_fields is not None and product.additional_fields.tariff == "0101210000"


REJECTED = [
    pytest.param({"code": _DROP}, "parameter_required", id="code-missing"),
    pytest.param({"code": "TAL 750"}, "invalid_code", id="code-space"),
    pytest.param({"code": "TAL'750"}, "invalid_code", id="code-quote"),
    pytest.param({"code": "A" * 31}, "length_max", id="code-31"),
    pytest.param({"name": "N" * 101}, "length_max", id="name-101"),
    pytest.param({"name": ""}, "length_min", id="name-empty"),
    pytest.param({"account_group": _DROP}, "parameter_required", id="account-group-missing"),
    pytest.param({"type": "Kit"}, "invalid_value", id="type-unknown"),
    pytest.param({"tax_classification": "Gravado"}, "invalid_value", id="classification-spanish"),
    pytest.param({"tax_consumption_value": "10.005"}, "invalid_amount", id="consumption-3-decimals"),
    pytest.param({"tax_consumption_value": -1}, "invalid_amount", id="consumption-negative"),
    pytest.param(
        {"taxes": [{"id": i} for i in (18401, 18404, 18405, 18410)]}, "invalid_array", id="four-taxes"
    ),
    pytest.param({"taxes": [{"id": 18401}, {"id": 18401}]}, "invalid_array", id="tax-twice"),
    pytest.param(
        {"taxes": [{"id": 18404, "milliliters": 350, "rate": 20}]}, "invalid_value", id="sugary-bad-rate"
    ),
    pytest.param({"taxes": [{"id": 18404, "rate": 18}]}, "parameter_required", id="rate-without-ml"),
    pytest.param({"prices.0.price_list.0.position": 0}, "invalid_value", id="position-0"),
    pytest.param({"prices.0.price_list.0.position": 13}, "invalid_value", id="position-13"),
    pytest.param({"prices.0.price_list.0.value": 0}, "invalid_amount", id="price-zero"),
    pytest.param({"prices.0.price_list.0.value": "1.234"}, "invalid_amount", id="price-3-decimals"),
    pytest.param({"prices.0.price_list.1.position": 1}, "invalid_array", id="position-twice"),
    pytest.param(
        {"prices.0.price_list": [{"position": 1 + i % 12, "value": 1} for i in range(13)]},
        "invalid_array",
        id="thirteen-price-lists",
    ),
    pytest.param({"prices.0.price_list": []}, "invalid_array", id="price-list-empty"),
    pytest.param({"prices.0.currency_code": "XYZ"}, "invalid_currency", id="currency-unknown"),
    pytest.param(
        {"prices": [{"currency_code": "COP", "price_list": [{"position": p, "value": 1}]} for p in (1, 2)]},
        "invalid_array",
        id="currency-twice",
    ),
    pytest.param({"unit": ""}, "parameter_empty", id="unit-empty"),
    pytest.param({"unit": "  "}, "parameter_empty", id="unit-blank"),
    pytest.param({"reference": "R" * 81}, "length_max", id="reference-81"),
    pytest.param({"description": "d" * 2501}, "length_max", id="description-2501"),
    pytest.param({"additional_fields.barcode": "7" * 51}, "length_max", id="barcode-51"),
    pytest.param({"additional_fields.brand": "b" * 51}, "length_max", id="brand-51"),
    pytest.param({"additional_fields.model": "m" * 51}, "length_max", id="model-51"),
    pytest.param({"additional_fields.tariff": "84672A"}, "invalid_value", id="tariff-letters"),
    pytest.param({"additional_fields.tariff": "84672100001"}, "length_max", id="tariff-11"),
    pytest.param({"additional_fields.tariff": 8467210000}, "invalid_type", id="tariff-number"),
    pytest.param(
        {"components": [{"code": "X", "quantity": 1}]}, "parameters_exclusive", id="components-no-combo"
    ),
    pytest.param({"type": "Combo"}, "parameter_required", id="combo-without-components"),
    pytest.param(
        {"type": "Combo", "components": [{"code": "A", "quantity": 1}, {"code": "A", "quantity": 2}]},
        "invalid_array",
        id="component-twice",
    ),
    pytest.param(
        {"type": "Combo", "components": [{"code": "A", "quantity": 0}]}, "invalid_amount", id="qty-0"
    ),
    pytest.param(
        {"type": "Combo", "components": [{"code": "TAL-750-001", "quantity": 1}]},
        "invalid_value",
        id="self-component",
    ),
    pytest.param({"product_id": UNKNOWN_GUID}, "invalid_parameter", id="unknown-field"),
]


@pytest.mark.parametrize(("changes", "code"), REJECTED)
def test_local_rules_reject_before_sending(
    siigo_sandbox: Sandbox, siigo_client: Client, changes: dict[str, Any], code: str
) -> None:
    with pytest.raises(ValidationError) as info:
        siigo_client.products.create(body(**changes))
    assert code in info.value.codes
    with pytest.raises(ValidationError) as info:
        siigo_client.products.update(UNKNOWN_GUID, body(**changes))
    assert code in info.value.codes
    assert siigo_sandbox.journal(method="POST", path=PRODUCTS) == []
    assert siigo_sandbox.journal(method="PUT", path=PRODUCTS) == []


def test_error_messages_say_what_to_fix() -> None:
    with pytest.raises(ValidationError) as info:
        build(ProductCreateParams, body(code="TAL 750", unit=""))
    text = str(info.value)
    assert "without spaces or single quotes" in text and "unit cannot be empty" in text
    assert info.value.errors[0].params == ("code",)
    with pytest.raises(ValidationError) as info:
        build(ProductCreateParams, body(**{"additional_fields.tariff": 101210000}))
    assert "'101210000' in quotes" in str(info.value)


def test_the_sandbox_applies_the_same_rules_to_raw_bodies(
    siigo_sandbox: Sandbox, siigo_client: Client
) -> None:
    raw = body(code="TAL 750", **{"prices.0.price_list.0.value": 0, "taxes": [{"id": i} for i in range(4)]})
    transport: Any = siigo_client._transport
    with pytest.raises(BadRequestError) as info:
        transport.request("POST", "/v1/products", body=_json.dumps(raw))
    assert {"invalid_code", "invalid_amount", "invalid_array"} <= set(info.value.codes)
    assert siigo_sandbox.tenant().products == {}


# --- server-side rules -------------------------------------------------------------------------

SERVER_REJECTED = [
    pytest.param({"account_group": 9999}, "invalid_reference", id="account-group-unknown"),
    pytest.param({"account_group": 1829}, "parameter_inactive", id="account-group-inactive"),
    pytest.param({"taxes": [{"id": 99999}]}, "invalid_reference", id="tax-unknown"),
    pytest.param({"taxes": [{"id": 18499}]}, "parameter_inactive", id="tax-inactive"),
    pytest.param({"taxes": [{"id": 18401}, {"id": 18402}]}, "invalid_array", id="two-iva"),
    pytest.param({"prices.0.price_list.1.position": 9}, "invalid_reference", id="price-list-unknown"),
    pytest.param({"prices.0.price_list.1.position": 4}, "parameter_inactive", id="price-list-inactive"),
    pytest.param(
        {"type": "Combo", "components": [{"code": "NOPE", "quantity": 1}]}, "invalid_reference", id="comp"
    ),
]


@pytest.mark.parametrize(("changes", "code"), SERVER_REJECTED)
def test_server_rules(
    siigo_sandbox: Sandbox, siigo_client: Client, changes: dict[str, Any], code: str
) -> None:
    with pytest.raises(BadRequestError) as info:
        siigo_client.products.create(body(**changes))
    assert info.value.status == 400 and code in info.value.codes
    assert len(siigo_sandbox.journal(method="POST", path=PRODUCTS)) == 1
    assert siigo_sandbox.tenant().products == {}


def test_codes_are_unique(siigo_sandbox: Sandbox, siigo_client: Client) -> None:
    first = siigo_client.products.create(body())
    other = siigo_client.products.create(body(code="OTRO-1"))
    with pytest.raises(BadRequestError) as info:
        siigo_client.products.create(body(name="Copia"))
    assert info.value.codes == ["already_exists"]
    with pytest.raises(BadRequestError) as info:
        siigo_client.products.update(other.id, body())
    assert info.value.codes == ["already_exists"]
    assert siigo_client.products.update(first.id, body(name="Mismo código")).name == "Mismo código"


def test_combos(siigo_sandbox: Sandbox, siigo_client: Client) -> None:
    drill = siigo_client.products.create(body())
    bits = siigo_client.products.create(body(code="BRO-SET-10", name="Brocas"))
    old = siigo_client.products.create(body(code="VIEJO", name="Descontinuado", active=False))
    combo = siigo_client.products.create(
        code="KIT-OBRA-01",
        name="Kit obra blanca",
        account_group=1821,
        type="Combo",
        components=[{"code": "TAL-750-001", "quantity": 1}, {"code": "BRO-SET-10", "quantity": D("2")}],
    )
    assert combo.type == "Combo" and combo.components is not None
    assert [(c.id, c.code, c.quantity) for c in combo.components] == [
        (drill.id, "TAL-750-001", D("1")),
        (bits.id, "BRO-SET-10", D("2")),
    ]
    with pytest.raises(BadRequestError) as info:
        siigo_client.products.create(
            code="KIT-2",
            name="Kit",
            account_group=1821,
            type="Combo",
            components=[{"code": old.code, "quantity": 1}],
        )
    assert info.value.codes == ["parameter_inactive"]
    with pytest.raises(BadRequestError) as info:
        siigo_client.products.create(
            code="KIT-3",
            name="Kit",
            account_group=1821,
            type="Combo",
            components=[{"code": combo.code, "quantity": 1}],
        )
    assert info.value.codes == ["invalid_reference"]
    # A product inside a combo cannot be deleted.
    with pytest.raises(BadRequestError) as info:
        siigo_client.products.delete(bits.id)
    assert info.value.codes == ["delete_not_allowed"]


def test_products_with_movements(siigo_sandbox: Sandbox, siigo_client: Client) -> None:
    product = siigo_client.products.create(body())
    combo = siigo_client.products.create(
        code="KIT",
        name="Kit",
        account_group=1821,
        type="Combo",
        components=[{"code": product.code, "quantity": 1}],
    )
    tenant = siigo_sandbox.tenant()
    with siigo_sandbox.state.lock:
        mark_movement(tenant, product.id)
        mark_movement(tenant, combo.id)
    with pytest.raises(BadRequestError) as info:
        siigo_client.products.update(product.id, body(account_group=1822))
    assert info.value.codes == ["update_not_allowed"]
    assert siigo_client.products.update(product.id, body(name="Renombrado")).name == "Renombrado"
    with pytest.raises(BadRequestError) as info:
        siigo_client.products.update(
            combo.id,
            code="KIT",
            name="Kit",
            account_group=1821,
            type="Combo",
            components=[{"code": product.code, "quantity": 3}],
        )
    assert info.value.codes == ["update_not_allowed"]
    with pytest.raises(BadRequestError) as info:
        siigo_client.products.delete(product.id)
    assert info.value.codes == ["delete_not_allowed"]


# --- lists -------------------------------------------------------------------------------------


def test_list_walks_pages_newest_first(siigo_sandbox: Sandbox, siigo_client: Client) -> None:
    codes = [f"P-{n:02d}" for n in range(25)]
    for code in codes:
        siigo_client.products.create(body(code=code))
    page = siigo_client.products.list(page_size=10)
    assert (page.page, page.page_size, page.total_results, len(page.items)) == (1, 10, 25, 10)
    assert [p.code for p in page] == codes[::-1]
    assert [len(p.items) for p in page.iter_pages()] == [10, 10, 5]
    third = siigo_client.products.list(page=3, page_size=10)
    assert [p.code for p in third.items] == codes[4::-1] and not third.has_next_page()
    clamped = siigo_client.products.list(page_size=3)
    assert clamped.page_size == 10 and len(clamped.items) == 10
    queries = [parse_qs(e.query) for e in siigo_sandbox.journal(method="GET", path=PRODUCTS)]
    assert [(q.get("page"), q["page_size"]) for q in queries[:3]] == [
        (None, ["10"]),
        (["2"], ["10"]),
        (["3"], ["10"]),
    ]


def test_list_filters(siigo_sandbox: Sandbox, siigo_client: Client) -> None:
    drill = siigo_client.products.create(body())
    service = siigo_client.products.create(
        code="SERV-1", name="Instalación", account_group=1822, type="Service", stock_control=False
    )
    retired = siigo_client.products.create(body(code="VIEJO", active=False))
    consumable = siigo_client.products.create(body(code="LIJA", type="ConsumerGood", stock_control=False))

    def codes(**filters: Any) -> set[str | None]:
        return {p.code for p in siigo_client.products.list(**filters)}

    assert codes() == {"TAL-750-001", "SERV-1", "LIJA"}  # active by default
    assert codes(active=False) == {"VIEJO"}
    assert codes(code="SERV-1") == {"SERV-1"}
    assert codes(account_group=1822) == {"SERV-1"}
    assert codes(type="ConsumerGood") == {"LIJA"}
    assert codes(stock_control=True) == {"TAL-750-001"}
    assert codes(stock_control=False, account_group=1821) == {"LIJA"}
    assert codes(ids=[drill.id, service.id, retired.id]) == {"TAL-750-001", "SERV-1"}
    assert codes(ids=[consumable.id], active=True) == {"LIJA"}
    assert "ids=" in siigo_sandbox.journal(method="GET", path=PRODUCTS)[-1].query

    transport: Any = siigo_client._transport  # Siigo's docs also name the filter ``id``
    raw = transport.request("GET", "/v1/products", params={"id": f"{drill.id},{service.id}"})
    assert {row["code"] for row in raw.json()["results"]} == {"TAL-750-001", "SERV-1"}


def test_list_date_filters(siigo_sandbox: Sandbox, siigo_client: Client) -> None:
    old = siigo_client.products.create(body(code="ANTIGUO"))
    siigo_sandbox.advance_clock(3 * 86400)
    now = siigo_sandbox.state.now_datetime()
    new = siigo_client.products.create(body(code="NUEVO"))

    def codes(**filters: Any) -> list[str | None]:
        return [p.code for p in siigo_client.products.list(**filters)]

    today = now.date()
    assert codes(created_start=today) == ["NUEVO"]
    assert codes(created_end=today - dt.timedelta(days=1)) == ["ANTIGUO"]
    assert codes(created_start=now - dt.timedelta(hours=1), created_end=now + dt.timedelta(hours=1)) == [
        "NUEVO"
    ]
    assert codes(date_start=today.isoformat()) == ["NUEVO"]
    assert codes(date_end=(today - dt.timedelta(days=2)).isoformat()) == ["ANTIGUO"]
    assert codes(updated_start=today - dt.timedelta(days=10)) == []
    siigo_client.products.update(old.id, body(code="ANTIGUO", name="Editado"))
    assert codes(updated_start=today) == ["ANTIGUO"]
    assert codes(created_start=(now - dt.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%SZ")) == [new.code]
    with pytest.raises(BadRequestError) as info:
        siigo_client.products.list(created_start=today, created_end=today - dt.timedelta(days=1)).to_list()
    assert info.value.codes == ["invalid_date_range"]


def test_list_filters_are_checked_locally(siigo_sandbox: Sandbox, siigo_client: Client) -> None:
    bad: list[dict[str, Any]] = [
        {"ids": [UNKNOWN_GUID] * 21},
        {"ids": []},
        {"ids": ["not-a-guid"]},
        {"ids": UNKNOWN_GUID},
        {"type": "Kit"},
        {"created_start": "15/01/2026"},
        {"updated_end": "2026-02-30"},
        {"page": 0},
        {"code": " "},
    ]
    for filters in bad:
        with pytest.raises(ValidationError):
            siigo_client.products.list(**filters)
    assert siigo_sandbox.journal(path=PRODUCTS) == []
    assert siigo_client.products.list(ids=[UNKNOWN_GUID] * 20).items == []
