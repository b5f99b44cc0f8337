"""Small models and code tables shared by several API areas."""

from __future__ import annotations

import datetime as _dt
from decimal import Decimal
from typing import Annotated, Any, Literal, get_args

from pydantic import BeforeValidator, Field
from typing_extensions import Required, TypedDict

from ..kinds import KIND_CODES, KindCode
from ._base import RequestModel, ResponseModel, Timestamp, rule_error

__all__ = [
    "ALLOWED_CURRENCIES",
    "DOCUMENT_TYPE_CODES",
    "ID_TYPE_CODES",
    "TAX_TYPES",
    "BranchOffice",
    "CodeName",
    "CurrencyCode",
    "CustomerRef",
    "CustomerRefDict",
    "DateInput",
    "DeleteResult",
    "DocumentTypeCode",
    "DocumentTypeCodeValue",
    "IdName",
    "IdRef",
    "IdRefDict",
    "IdTypeCode",
    "Link",
    "Links",
    "Metadata",
    "MoneyInput",
    "Pagination",
    "PersonType",
    "PersonTypeValue",
    "TaxType",
    "TaxTypeValue",
    "code_object",
    "to_int",
]

TaxType = Literal["IVA", "Retefuente", "ReteIVA", "ReteICA", "Impoconsumo", "AdValorem", "Autorretencion"]
TAX_TYPES: tuple[str, ...] = get_args(TaxType)

DocumentTypeCode = KindCode
"""A document kind (the table is :data:`siigo.kinds.KINDS`)."""
DOCUMENT_TYPE_CODES: tuple[str, ...] = KIND_CODES

IdTypeCode = Literal[
    "13", "31", "11", "12", "21", "22", "41", "42", "43", "47", "48", "50", "89", "91", "R-00-PN"
]
"""A DIAN identification type (``id_type``, siigo-api.md C.2.1); names in
:data:`siigo.models.customers.ID_TYPES`."""
ID_TYPE_CODES: tuple[str, ...] = get_args(IdTypeCode)

PersonType = Literal["Person", "Company"]
"""``person_type`` of a third party."""

# Response fields read a known set as ``Literal[...] | str``: a type checker (and an editor) shows
# the values Siigo documents, and a value Siigo adds later still parses, kept as the plain string.

DocumentTypeCodeValue = DocumentTypeCode | str
"""A document kind in a response: one of :data:`DocumentTypeCode`, or any other string Siigo sends."""

TaxTypeValue = TaxType | str
"""A tax type in a response: one of :data:`TaxType`, or any other string Siigo sends."""

PersonTypeValue = PersonType | str
"""``person_type`` in a response: one of :data:`PersonType`, or any other string Siigo sends."""

MoneyInput = Decimal | int | str
"""An amount in a request: a ``Decimal`` (or an int, or a numeric string); never a float."""

DateInput = _dt.date | str
"""A date in a request body: a ``datetime.date`` or ``'yyyy-MM-dd'``."""

CurrencyCode = Literal[
    "COP",
    "EUR",
    "USD",
    "ANG",
    "ARS",
    "AUD",
    "BOB",
    "BRL",
    "CAD",
    "CHF",
    "CLP",
    "CRC",
    "GBP",
    "GTQ",
    "HNL",
    "JPY",
    "MXN",
    "NZD",
    "PAB",
    "PEN",
    "SGD",
    "UYU",
]
"""A currency code Siigo accepts in ``currency.code`` and ``prices[].currency_code`` (siigo-api.md C.3.8)."""
ALLOWED_CURRENCIES: frozenset[str] = frozenset(get_args(CurrencyCode))


def to_int(value: Any) -> Any:
    """Accept ``3`` or ``"3"`` for integer fields (Siigo's examples use both)."""
    if type(value) is int:  # the usual id first
        return value
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        if len(value.strip()) > 19:
            raise rule_error("invalid_type", "models.id_too_long")
        return int(value.strip())
    if isinstance(value, Decimal) and value.is_finite() and value and value.adjusted() > 18:
        # Turning Decimal('1e999999999') into an int would build a billion-digit number.
        raise rule_error("invalid_type", "models.id_number_too_long")
    return value


BranchOffice = Annotated[int, BeforeValidator(to_int), Field(ge=0, le=999)]
"""Sucursal number, 0-999 (default 0)."""


class IdRef(RequestModel):
    """A reference to a catalog entry by its integer id, e.g. ``{"id": 18401}``."""

    id: Annotated[int, BeforeValidator(to_int)]


class CustomerRef(RequestModel):
    """A third party referenced by identification and branch office."""

    identification: Annotated[str, Field(min_length=1, max_length=50)]
    branch_office: BranchOffice = 0


class IdRefDict(TypedDict):
    """:class:`IdRef` as a dict: ``{"id": 18401}``."""

    id: int


class CustomerRefDict(TypedDict, total=False):
    """:class:`CustomerRef` as a dict."""

    identification: Required[str]
    branch_office: int


# --- responses ---------------------------------------------------------------------------------


class IdName(ResponseModel):
    """``{id, name}`` as Siigo expands references in responses."""

    id: int | str | None = None
    name: str | None = None


def code_object(value: Any) -> Any:
    """Accept ``"31"`` where Siigo normally answers ``{"code": "31", "name": "NIT"}``."""
    if isinstance(value, (str, int)) and not isinstance(value, bool):
        return {"code": str(value)}
    return value


class CodeName(ResponseModel):
    """``{code, name}`` as Siigo expands coded values (id types, units, responsibilities)."""

    code: str | None = None
    name: str | None = None


class Metadata(ResponseModel):
    created: Timestamp = None
    last_updated: Timestamp = None


class DeleteResult(ResponseModel):
    """Body of a successful DELETE (``{"id": ..., "deleted": true}``)."""

    id: str | None = None
    deleted: bool | None = None


class Link(ResponseModel):
    href: str | None = None


class Links(ResponseModel):
    previous: Link | None = None
    self_: Link | None = Field(default=None, alias="self")
    next: Link | None = None


class Pagination(ResponseModel):
    page: int = 1
    page_size: int = 0
    total_results: int = 0
