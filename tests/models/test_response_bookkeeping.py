"""Parsed responses share pydantic's per-instance bookkeeping (the set of fields each was given,
the empty dict of unknown fields) and take their own copy before anything changes them."""

from __future__ import annotations

import copy
import pickle
from decimal import Decimal
from typing import Any

import pytest

from siigo.models import _base
from siigo.models.invoices import Invoice
from siigo.models.products import Product


def _product(code: str, **extra: Any) -> dict[str, Any]:
    return {
        "id": f"id-{code}",
        "code": code,
        "name": f"Producto {code}",
        "account_group": {"id": 1253, "name": "Productos"},
        "type": "Product",
        "stock_control": False,
        "active": True,
        "prices": [{"currency_code": "COP", "price_list": [{"position": 1, "name": "Lista", "value": 12.5}]}],
        **extra,
    }


def test_responses_with_the_same_fields_share_one_set_and_no_empty_dict() -> None:
    first, second = Product.model_validate(_product("A")), Product.model_validate(_product("B"))
    assert first.__pydantic_fields_set__ is second.__pydantic_fields_set__
    assert first.account_group is not None and second.account_group is not None
    assert first.account_group.__pydantic_fields_set__ is second.account_group.__pydantic_fields_set__
    assert first.__pydantic_extra__ is None
    assert first.model_fields_set == set(_product("A"))
    assert first.model_dump(exclude_unset=True)["prices"][0]["price_list"][0]["value"] == Decimal("12.5")


def test_changing_one_response_changes_no_other() -> None:
    first, second = Product.model_validate(_product("A")), Product.model_validate(_product("B"))
    first.description = "Nueva"
    setattr(first, "colour", "rojo")  # noqa: B010 - an unknown field, kept as Siigo's responses keep them
    assert "description" in first.model_fields_set and "colour" in first.model_fields_set
    assert first.model_extra == {"colour": "rojo"}
    assert "description" not in second.model_fields_set and "colour" not in second.model_fields_set
    assert second.model_extra is None
    assert "description" not in second.model_dump(exclude_unset=True)
    third = Product.model_validate(_product("C"))
    assert "description" not in third.model_fields_set

    delattr(first, "colour")
    assert first.model_extra == {}


def test_the_fields_set_a_caller_reads_is_a_copy() -> None:
    first, second = Product.model_validate(_product("A")), Product.model_validate(_product("B"))
    first.model_fields_set.add("description")
    assert "description" not in first.model_fields_set
    assert "description" not in second.model_fields_set


def test_copies_and_pickles_own_their_bookkeeping() -> None:
    first, second = Product.model_validate(_product("A")), Product.model_validate(_product("B"))
    changed = first.model_copy(update={"description": "Copia", "colour": "azul"})
    assert changed.description == "Copia" and changed.model_extra == {"colour": "azul"}
    assert "description" in changed.model_fields_set
    assert "description" not in second.model_fields_set and second.model_extra is None

    deep = copy.deepcopy(first)
    deep.description = "Profunda"
    assert "description" not in second.model_fields_set

    restored = pickle.loads(pickle.dumps([first, second]))
    restored[0].description = "Restaurada"
    assert "description" in restored[0].model_fields_set
    assert "description" not in restored[1].model_fields_set
    assert "description" not in second.model_fields_set
    assert restored[1] == second


def test_a_server_inventing_new_fields_does_not_grow_the_shared_sets_forever() -> None:
    for n in range(_base._SHARED_FIELDS_SETS_MAX + 50):
        parsed = Product.model_validate(_product("X", **{f"invented_{n}": n}))
        assert parsed.model_extra == {f"invented_{n}": n}
    assert len(_base._SHARED_FIELDS_SETS) <= _base._SHARED_FIELDS_SETS_MAX
    assert Product.model_validate(_product("Y", invented_0=1)).model_extra == {"invented_0": 1}


def test_an_invoice_keeps_its_exact_amounts_and_equality() -> None:
    body = {
        "id": "f1",
        "name": "FV-1-1",
        "number": 1,
        "date": "2026-03-04",
        "total": "12345678901.123456",
        "balance": 0,
        "items": [{"code": "A", "quantity": 2, "price": "0.000001", "total": 1}],
        "payments": [{"id": 6101, "value": "12345678901.123456"}],
    }
    first, second = Invoice.model_validate(body), Invoice.model_validate(body)
    assert first == second and first.total == Decimal("12345678901.123456")
    assert first.items[0].price == Decimal("0.000001")
    second.items[0].description = "Cambiada"
    assert first != second and first.items[0].description is None


def test_a_set_given_to_model_construct_is_never_shared(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_base, "_SHARED_FIELDS_SETS", {})
    given = {"id", "code", "name"}
    Product.model_construct(_fields_set=given, id="1", code="A", name="Uno")
    given.add("description")
    parsed = Product.model_validate({"id": "2", "code": "B", "name": "Dos"})
    assert parsed.model_fields_set == {"id", "code", "name"}
    assert "description" not in parsed.model_dump(exclude_unset=True)
