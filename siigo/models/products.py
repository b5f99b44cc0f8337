"""Products, services and combos: request bodies (siigo-api.md §C.1) and responses (§D.3).

Request models check every structural rule Siigo documents for ``POST /v1/products`` and
``PUT /v1/products/{id}`` and raise errors whose type is the Siigo error code, so the SDK
refuses a bad body before sending it and the sandbox answers the very same error.  Rules that
need the company's data (account group, taxes, price lists, component products, unique codes)
are checked by the sandbox handler and, in production, by Siigo.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from decimal import Decimal
from typing import Annotated, Any, Literal, get_args

from pydantic import AfterValidator, BeforeValidator, Field, field_validator, model_validator
from typing_extensions import Required, TypedDict

from ._base import Amount, Money, Quantity, RequestModel, ResponseModel, Timestamp, build, rule_error
from .common import (
    ALLOWED_CURRENCIES,
    CodeName,
    CurrencyCode,
    IdName,
    Metadata,
    MoneyInput,
    TaxTypeValue,
    code_object,
    to_int,
)

__all__ = [
    "MAX_PRICE_LISTS",
    "MAX_PRODUCT_TAXES",
    "PRODUCT_TYPES",
    "SUGARY_DRINK_RATES",
    "TAX_CLASSIFICATIONS",
    "PriceDict",
    "PriceListEntryDict",
    "PriceListEntryParam",
    "PriceParam",
    "Product",
    "ProductAdditionalFields",
    "ProductAdditionalFieldsDict",
    "ProductAdditionalFieldsParam",
    "ProductComponent",
    "ProductComponentDict",
    "ProductComponentParam",
    "ProductCreateParams",
    "ProductMetadata",
    "ProductPrice",
    "ProductPriceListEntry",
    "ProductTax",
    "ProductTaxDict",
    "ProductTaxParam",
    "ProductType",
    "ProductTypeValue",
    "ProductUnit",
    "ProductUpdateParams",
    "ProductWarehouse",
    "SugaryDrinkRate",
    "TaxClassification",
    "TaxClassificationValue",
    "check_product_code",
]

ProductType = Literal["Product", "Service", "ConsumerGood", "Combo"]
PRODUCT_TYPES: tuple[str, ...] = get_args(ProductType)

TaxClassification = Literal["Taxed", "Exempt", "Excluded"]
TAX_CLASSIFICATIONS: tuple[str, ...] = get_args(TaxClassification)

ProductTypeValue = ProductType | str
"""``type`` of a product in a response: one of :data:`ProductType`, or any other string Siigo sends."""

TaxClassificationValue = TaxClassification | str
"""``tax_classification`` in a response: one of :data:`TaxClassification`, or any other string."""

MAX_PRODUCT_TAXES = 3
MAX_PRICE_LISTS = 12
SugaryDrinkRate = Literal[18, 28, 35, 38, 55, 65]
"""A rate (per 100 ml) of the sugary-drinks tax (``taxes[].rate``)."""
SUGARY_DRINK_RATES: frozenset[int] = frozenset(get_args(SugaryDrinkRate))

_CODE_RE = re.compile(r"^[^'\s]+$")
_DIGITS_RE = re.compile(r"^\d+$")


def check_product_code(value: str) -> str:
    """Siigo's rule for product codes: no spaces and no single quotes (``invalid_code``)."""
    if not _CODE_RE.match(value):
        raise rule_error("invalid_code", "models.product_code", value=repr(value))
    return value


def _text_only(what: str) -> Any:
    """Refuse numbers for codes that may carry leading zeros (``0101210000`` as a number loses them)."""

    def check(value: Any) -> Any:
        if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
            raise rule_error(
                "invalid_type", "models.code_as_number", what=what, quoted=repr(str(value)), value=value
            )
        return value

    return check


def _digits_only(value: str) -> str:
    if not _DIGITS_RE.match(value):
        raise rule_error("invalid_value", "models.tariff_digits", value=repr(value))
    return value


_CatalogId = Annotated[int, BeforeValidator(to_int)]
_ProductCode = Annotated[str, Field(min_length=1, max_length=30), AfterValidator(check_product_code)]


# --- request parts -----------------------------------------------------------------------------


class ProductTaxParam(RequestModel):
    """A tax of the product, by id (``GET /v1/taxes``).

    ``milliliters`` and ``rate`` are only for the sugary-drinks tax and go together;
    ``rate`` is one of 18, 28, 35, 38, 55 or 65.
    """

    id: _CatalogId
    milliliters: Annotated[int, BeforeValidator(to_int), Field(gt=0)] | None = None
    rate: Annotated[int, BeforeValidator(to_int)] | None = None

    @field_validator("rate")
    @classmethod
    def _known_rate(cls, value: int | None) -> int | None:
        if value is not None and value not in SUGARY_DRINK_RATES:
            raise rule_error(
                "invalid_value",
                "models.sugary_rate",
                rates=", ".join(map(str, sorted(SUGARY_DRINK_RATES))),
                value=value,
            )
        return value

    @model_validator(mode="after")
    def _both_or_neither(self) -> ProductTaxParam:
        if (self.milliliters is None) != (self.rate is None):
            missing = "rate" if self.rate is None else "milliliters"
            raise rule_error("parameter_required", "models.sugary_both", missing=missing)
        return self


class PriceListEntryParam(RequestModel):
    """A price in one price list: ``position`` is the list's position (1-12), not its id."""

    position: Annotated[int, BeforeValidator(to_int), Field(ge=1, le=12)]
    value: Amount


class PriceParam(RequestModel):
    """The prices of the product in one currency."""

    currency_code: str
    price_list: Annotated[list[PriceListEntryParam], Field(min_length=1)]

    @field_validator("currency_code")
    @classmethod
    def _known_currency(cls, value: str) -> str:
        if value not in ALLOWED_CURRENCIES:
            raise rule_error(
                "invalid_currency",
                "models.currency",
                value=repr(value),
                known=", ".join(sorted(ALLOWED_CURRENCIES)),
            )
        return value

    @field_validator("price_list")
    @classmethod
    def _price_lists(cls, value: list[PriceListEntryParam]) -> list[PriceListEntryParam]:
        if len(value) > MAX_PRICE_LISTS:
            raise rule_error(
                "invalid_array", "models.price_lists_count", most=MAX_PRICE_LISTS, count=len(value)
            )
        positions = [entry.position for entry in value]
        repeated = sorted({p for p in positions if positions.count(p) > 1})
        if repeated:
            raise rule_error("invalid_array", "models.price_list_twice", positions=repeated)
        return value


class ProductAdditionalFieldsParam(RequestModel):
    """Barcode, brand, customs tariff (digits, as a string) and model."""

    barcode: Annotated[str, Field(max_length=50)] | None = None
    brand: Annotated[str, Field(max_length=50)] | None = None
    tariff: (
        Annotated[
            str,
            Field(max_length=10),
            BeforeValidator(_text_only("tariff")),
            AfterValidator(_digits_only),
        ]
        | None
    ) = None
    model: Annotated[str, Field(max_length=50)] | None = None


class ProductComponentParam(RequestModel):
    """A product of a combo, by code, with its quantity."""

    code: _ProductCode
    quantity: Quantity


# --- request bodies ----------------------------------------------------------------------------


class ProductCreateParams(RequestModel):
    """Body of ``POST /v1/products`` (siigo-api.md §C.1).

    Omitted optional fields take Siigo's defaults: ``type`` Product, ``stock_control`` false,
    ``active`` true, ``tax_classification`` Taxed, ``tax_included`` false, ``unit`` "94".
    """

    code: _ProductCode
    name: Annotated[str, Field(min_length=1, max_length=100)]
    account_group: _CatalogId
    type: ProductType | None = None
    stock_control: bool | None = None
    active: bool | None = None
    tax_classification: TaxClassification | None = None
    tax_included: bool | None = None
    tax_consumption_value: Money | None = None
    taxes: list[ProductTaxParam] | None = None
    prices: list[PriceParam] | None = None
    unit: str | None = None
    unit_label: str | None = None
    reference: Annotated[str, Field(max_length=80)] | None = None
    description: Annotated[str, Field(max_length=2500)] | None = None
    additional_fields: ProductAdditionalFieldsParam | None = None
    components: list[ProductComponentParam] | None = None

    @field_validator("taxes")
    @classmethod
    def _taxes(cls, value: list[ProductTaxParam] | None) -> list[ProductTaxParam] | None:
        if value is None:
            return value
        if len(value) > MAX_PRODUCT_TAXES:
            raise rule_error(
                "invalid_array", "models.product_taxes_count", most=MAX_PRODUCT_TAXES, count=len(value)
            )
        ids = [tax.id for tax in value]
        repeated = sorted({i for i in ids if ids.count(i) > 1})
        if repeated:
            raise rule_error("invalid_array", "models.product_tax_twice", ids=repeated)
        return value

    @field_validator("prices")
    @classmethod
    def _one_entry_per_currency(cls, value: list[PriceParam] | None) -> list[PriceParam] | None:
        if value is None:
            return value
        currencies = [price.currency_code for price in value]
        repeated = sorted({c for c in currencies if currencies.count(c) > 1})
        if repeated:
            raise rule_error("invalid_array", "models.currency_twice", currencies=repeated)
        return value

    @field_validator("unit")
    @classmethod
    def _unit_not_empty(cls, value: str | None) -> str | None:
        if value is not None and not value.strip():
            raise rule_error("parameter_empty", "models.unit_empty")
        return value

    @field_validator("components")
    @classmethod
    def _distinct_components(
        cls, value: list[ProductComponentParam] | None
    ) -> list[ProductComponentParam] | None:
        if value is None:
            return value
        codes = [component.code for component in value]
        repeated = sorted({c for c in codes if codes.count(c) > 1})
        if repeated:
            raise rule_error("invalid_array", "models.component_twice", codes=repeated)
        return value

    @model_validator(mode="after")
    def _combo_components(self) -> ProductCreateParams:
        if self.type == "Combo":
            if not self.components:
                raise rule_error("parameter_required", "models.combo_components")
            if any(component.code == self.code for component in self.components):
                raise rule_error("invalid_value", "models.combo_itself", code=repr(self.code))
        elif self.components is not None:
            raise rule_error(
                "parameters_exclusive", "models.components_not_combo", type=repr(self.type or "Product")
            )
        return self


class ProductUpdateParams(ProductCreateParams):
    """Body of ``PUT /v1/products/{id}``: a full replacement, so send the whole product
    (omitted fields go back to their defaults).  :meth:`Product.to_update_params` builds one
    from a product read from Siigo."""


# --- the request parts as typed dicts ----------------------------------------------------------
# What a type checker holds a plain dict to, wherever a ``...Param`` model is accepted: the same
# wire names, the keys Siigo requires marked ``Required``.


class ProductTaxDict(TypedDict, total=False):
    """:class:`ProductTaxParam` as a dict."""

    id: Required[int]
    milliliters: int
    rate: SugaryDrinkRate


class PriceListEntryDict(TypedDict):
    """:class:`PriceListEntryParam` as a dict."""

    position: int
    value: MoneyInput


class PriceDict(TypedDict):
    """:class:`PriceParam` as a dict: ``{"currency_code": "COP", "price_list": [...]}``."""

    currency_code: CurrencyCode
    price_list: Sequence[PriceListEntryParam | PriceListEntryDict]


class ProductAdditionalFieldsDict(TypedDict, total=False):
    """:class:`ProductAdditionalFieldsParam` as a dict."""

    barcode: str
    brand: str
    tariff: str
    model: str


class ProductComponentDict(TypedDict):
    """:class:`ProductComponentParam` as a dict."""

    code: str
    quantity: MoneyInput


# --- responses ---------------------------------------------------------------------------------


class ProductTax(ResponseModel):
    """A tax of a product, expanded by Siigo (``id, name, type, percentage``)."""

    id: int | None = None
    name: str | None = None
    type: TaxTypeValue | None = None
    percentage: Decimal | None = None
    milliliters: Decimal | None = None
    rate: Decimal | None = None


class ProductPriceListEntry(ResponseModel):
    position: int | None = None
    name: str | None = None
    value: Decimal | None = None
    """Some of Siigo's documents type it as a string; it is read as a Decimal either way."""


class ProductPrice(ResponseModel):
    currency_code: str | None = None
    price_list: list[ProductPriceListEntry] | None = None


class ProductUnit(CodeName):
    """The DIAN unit of measure: ``{"code": "94", "name": "Unidad"}``."""


class ProductAdditionalFields(ResponseModel):
    barcode: str | None = None
    brand: str | None = None
    tariff: str | None = None
    model: str | None = None


class ProductWarehouse(ResponseModel):
    id: int | None = None
    name: str | None = None
    quantity: Decimal | None = None


class ProductComponent(ResponseModel):
    """A product of a combo."""

    id: str | None = None
    code: str | None = None
    name: str | None = None
    quantity: Decimal | None = None


class ProductMetadata(Metadata):
    stock_updated: Timestamp = None


class Product(ResponseModel):
    """A product, service or combo as Siigo returns it (siigo-api.md §D.3)."""

    id: str
    code: str
    name: str
    account_group: IdName | None = None
    type: ProductTypeValue | None = None
    stock_control: bool | None = None
    active: bool | None = None
    tax_classification: TaxClassificationValue | None = None
    tax_included: bool | None = None
    tax_consumption_value: Decimal | None = None
    taxes: list[ProductTax] | None = None
    prices: list[ProductPrice] | None = None
    unit: Annotated[ProductUnit | None, BeforeValidator(code_object)] = None
    unit_label: str | None = None
    reference: str | None = None
    description: str | None = None
    additional_fields: ProductAdditionalFields | None = None
    available_quantity: Decimal | None = None
    warehouses: list[ProductWarehouse] | None = None
    components: list[ProductComponent] | None = None
    metadata: ProductMetadata | None = None

    def price(self, position: int = 1, currency_code: str = "COP") -> Decimal | None:
        """The price in the list at ``position`` (1 = the first list), or ``None``."""
        for price in self.prices or ():
            if price.currency_code == currency_code:
                for entry in price.price_list or ():
                    if entry.position == position:
                        return entry.value
        return None

    def to_update_params(self) -> ProductUpdateParams:
        """This product as a ``PUT`` body, to change a few fields and send it whole.

        Response-only data (names, stock, metadata) is left out; ``milliliters``/``rate`` of
        sugary-drink taxes and combo quantities are kept when Siigo returned them.
        """
        data: dict[str, Any] = {
            "code": self.code,
            "name": self.name,
            "account_group": self.account_group.id if self.account_group else None,
            "type": self.type,
            "stock_control": self.stock_control,
            "active": self.active,
            "tax_classification": self.tax_classification,
            "tax_included": self.tax_included,
            "tax_consumption_value": self.tax_consumption_value,
            "unit": (self.unit.code or None) if self.unit else None,
            "unit_label": self.unit_label,
            "reference": self.reference,
            "description": self.description,
        }
        if self.taxes:
            data["taxes"] = [
                {"id": t.id, "milliliters": t.milliliters, "rate": t.rate}
                for t in self.taxes
                if t.id is not None
            ]
        if self.prices:
            data["prices"] = [
                {
                    "currency_code": p.currency_code,
                    "price_list": [
                        {"position": e.position, "value": e.value}
                        for e in p.price_list or ()
                        if e.value is not None and e.value > 0
                    ],
                }
                for p in self.prices
                if any(e.value is not None and e.value > 0 for e in p.price_list or ())
            ]
        if self.additional_fields is not None:
            fields = self.additional_fields
            data["additional_fields"] = {
                "barcode": fields.barcode,
                "brand": fields.brand,
                "tariff": fields.tariff or None,
                "model": fields.model,
            }
        if self.type == "Combo" and self.components:
            data["components"] = [{"code": c.code, "quantity": c.quantity} for c in self.components]
        body: dict[str, Any] = _drop_none(data)
        return build(ProductUpdateParams, body)


def _drop_none(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _drop_none(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_drop_none(v) for v in value]
    return value
