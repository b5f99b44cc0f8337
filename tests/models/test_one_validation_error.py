"""One ``ValidationError``: building a request model directly refuses a bad body with the same
``siigo.ValidationError`` (codes, field paths, message) as a ``create`` of the same body."""

from __future__ import annotations

import importlib
import json
import pkgutil
from typing import Any

import pydantic
import pytest

import siigo
from siigo import Client, SiigoError, ValidationError
from siigo.models import CustomerCreateParams, InvoiceCreateParams, ProductCreateParams
from siigo.models.products import PriceParam

from ..resources.test_invoices import invoice_body

BAD_PRODUCT: dict[str, Any] = {
    "code": "CON ESPACIO",
    "name": "Tornillo",
    "account_group": 1821,
    "prices": [{"currency_code": "XXX", "price_list": [{"position": 1, "value": 10}]}],
}


def test_a_request_model_built_directly_raises_siigos_validation_error() -> None:
    with pytest.raises(ValidationError) as caught:
        ProductCreateParams(**BAD_PRODUCT)
    error = caught.value
    assert isinstance(error, SiigoError)
    assert pydantic.ValidationError not in type(error).__mro__
    # Both problems, the nested one included, in one error with their Siigo codes and paths.
    assert sorted(error.codes) == ["invalid_code", "invalid_currency"]
    assert {p for e in error.errors for p in e.params} == {"code", "prices[0].currency_code"}
    assert str(error).startswith("ProductCreateParams was rejected locally (2 problems):")


def test_model_validate_and_json_raise_the_same_error() -> None:
    with pytest.raises(ValidationError) as direct:
        ProductCreateParams(**BAD_PRODUCT)
    with pytest.raises(ValidationError) as validated:
        ProductCreateParams.model_validate(BAD_PRODUCT)
    with pytest.raises(ValidationError) as parsed:
        ProductCreateParams.model_validate_json(json.dumps(BAD_PRODUCT))
    assert sorted(direct.value.codes) == ["invalid_code", "invalid_currency"]
    assert str(direct.value) == str(validated.value) == str(parsed.value)
    assert direct.value.errors == validated.value.errors == parsed.value.errors


def test_a_nested_part_built_alone_raises_it_too() -> None:
    with pytest.raises(ValidationError) as caught:
        PriceParam(currency_code="COP", price_list=[])
    assert caught.value.codes == ["invalid_array"]
    assert caught.value.errors[0].params == ("price_list",)


def test_the_message_is_the_one_a_create_raises(siigo_client: Client) -> None:
    with pytest.raises(ValidationError) as built:
        ProductCreateParams(**BAD_PRODUCT)
    with pytest.raises(ValidationError) as created:
        siigo_client.products.create(**BAD_PRODUCT)
    assert sorted(built.value.codes) == ["invalid_code", "invalid_currency"]
    assert str(created.value) == str(built.value)
    assert created.value.errors == built.value.errors

    body = invoice_body(items=[{"code": "SKU-1", "quantity": 0, "price": 1}])
    with pytest.raises(ValidationError) as built_invoice:
        InvoiceCreateParams(**body)
    with pytest.raises(ValidationError) as created_invoice:
        siigo_client.invoices.create(**body)
    # The create adds its idempotency key to the text; the message and details are the same.
    assert created_invoice.value.message == built_invoice.value.message
    assert created_invoice.value.errors == built_invoice.value.errors
    assert built_invoice.value.codes == ["invalid_amount"]


def test_a_missing_required_field_names_it() -> None:
    with pytest.raises(ValidationError) as caught:
        CustomerCreateParams.model_validate({"person_type": "Company", "id_type": "31"})
    missing = {e.params[0] for e in caught.value.errors if e.code == "parameter_required"}
    assert missing == {"identification", "name", "address"}


def test_valid_models_still_build_and_nest() -> None:
    product = ProductCreateParams(
        code="T-1",
        name="Tornillo",
        account_group=1821,
        prices=[PriceParam(currency_code="COP", price_list=[{"position": 1, "value": 10}])],  # type: ignore[list-item]
    )
    assert product.to_wire()["prices"][0]["price_list"][0]["value"] == 10


def test_no_second_class_named_validation_error_is_exported() -> None:
    seen: dict[str, object] = {}
    for info in pkgutil.walk_packages(siigo.__path__, "siigo."):
        if ".sandbox" in info.name:
            continue
        module = importlib.import_module(info.name)
        for name in getattr(module, "__all__", ()):
            if name == "ValidationError":
                seen[info.name] = getattr(module, name)
    seen["siigo"] = siigo.ValidationError
    assert set(map(id, seen.values())) == {id(ValidationError)}, seen
