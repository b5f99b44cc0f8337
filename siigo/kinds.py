"""Siigo's document kinds, in one table (siigo-api.md §B.0, §B.5-B.13, §H.2).

Every document Siigo keeps — sales invoices (FV), credit notes (NC), quotations (C), purchases
(FC), purchase support documents (DS), cash receipts (RC), payment receipts (RP) and journals
(CC) — is a row of :data:`KINDS`: its code, its path, the ``document_type`` its payment types are
listed with, whether its third party is a customer or a supplier, whether Siigo honours an
``Idempotency-Key`` on its creation, the DIAN code it carries once accepted (CUFE or CUDE) and the
actions its endpoint has.  The catalogs, the rules, the resources and the sandbox read this table;
no other module spells a kind code.

>>> from siigo.kinds import KINDS
>>> KINDS["NC"].path
'/v1/credit-notes'
>>> KINDS["RP"].payment_document_type  # Siigo answers 404 for document_type=RP
'FC'
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Literal, get_args

__all__ = [
    "ACTIONS",
    "CREDIT_NOTE",
    "INVOICE",
    "JOURNAL",
    "KINDS",
    "KIND_CODES",
    "PAYMENT_KIND_CODES",
    "PAYMENT_RECEIPT",
    "PURCHASE",
    "PURCHASE_SUPPORT",
    "QUOTATION",
    "RECEIPT",
    "Action",
    "Kind",
    "KindCode",
    "PaymentKindCode",
    "kind_of",
]

KindCode = Literal["FV", "NC", "RC", "CC", "FC", "RP", "C", "DS"]
"""A document kind: the ``type`` of ``GET /v1/document-types?type=...``."""

PaymentKindCode = Literal["FV", "NC", "RC", "FC"]
"""A ``document_type`` that ``GET /v1/payment-types`` answers for (``RP`` is a 404, §B.0)."""

Action = Literal["retrieve", "list", "update", "delete", "annul", "pdf", "xml", "mail", "stamp"]
ACTIONS: tuple[Action, ...] = get_args(Action)

KIND_CODES: tuple[KindCode, ...] = get_args(KindCode)
PAYMENT_KIND_CODES: tuple[PaymentKindCode, ...] = get_args(PaymentKindCode)


@dataclass(frozen=True)
class Kind:
    """One kind of Siigo document.

    ``name`` is the kind in English, ``label`` as Siigo Nube titles it.
    ``payment_document_type`` is the ``document_type`` its payment types are read with (``None``:
    the kind takes no payments); ``third_party`` whether its ``customer`` is a customer or a
    ``supplier``; ``idempotent`` whether ``POST`` takes an ``Idempotency-Key`` (only then may a
    creation be retried after it could have reached Siigo); ``dian_code`` the field of ``stamp``
    that holds DIAN's code (``cufe`` for invoices, ``cude`` for notes; ``None``: never sent to
    DIAN); ``actions`` what the endpoint has besides ``POST``.
    """

    code: KindCode
    name: str
    label: str
    path: str
    payment_document_type: PaymentKindCode | None
    third_party: Literal["customer", "supplier"]
    idempotent: bool
    dian_code: Literal["cufe", "cude"] | None
    actions: frozenset[Action]

    def has(self, action: Action) -> bool:
        """True when the endpoint has ``action``."""
        return action in self.actions

    def item_path(self, guid: str) -> str:
        """The path of one document (``guid`` already checked and quoted)."""
        return f"{self.path}/{guid}"


def _actions(*names: Action) -> frozenset[Action]:
    return frozenset(names)


INVOICE = Kind(
    "FV",
    "sales invoice",
    "Factura de venta",
    "/v1/invoices",
    payment_document_type="FV",
    third_party="customer",
    idempotent=True,
    dian_code="cufe",
    actions=_actions("retrieve", "list", "update", "delete", "annul", "pdf", "xml", "mail", "stamp"),
)
CREDIT_NOTE = Kind(
    "NC",
    "credit note",
    "Nota crédito",
    "/v1/credit-notes",
    payment_document_type="NC",
    third_party="customer",
    idempotent=True,
    dian_code="cude",
    actions=_actions("retrieve", "list", "pdf"),
)
QUOTATION = Kind(
    "C",
    "quotation",
    "Cotización",
    "/v1/quotations",
    payment_document_type=None,
    third_party="customer",
    idempotent=False,
    dian_code=None,
    actions=_actions("retrieve", "list", "update", "delete"),
)
PURCHASE = Kind(
    "FC",
    "purchase",
    "Factura de compra",
    "/v1/purchases",
    payment_document_type="FC",
    third_party="supplier",
    idempotent=False,
    dian_code=None,
    actions=_actions("retrieve", "list", "update", "delete"),
)
PURCHASE_SUPPORT = Kind(
    "DS",
    "purchase support document",
    "Documento soporte",
    "/v1/purchase-support-documents",
    payment_document_type="FC",
    third_party="supplier",
    idempotent=False,
    dian_code="cude",
    actions=_actions("retrieve", "update", "delete"),
)
RECEIPT = Kind(
    "RC",
    "cash receipt",
    "Recibo de caja",
    "/v1/vouchers",
    payment_document_type="RC",
    third_party="customer",
    idempotent=True,
    dian_code=None,
    actions=_actions("retrieve", "list", "mail", "stamp"),
)
PAYMENT_RECEIPT = Kind(
    "RP",
    "payment receipt",
    "Recibo de pago",
    "/v1/payment-receipts",
    payment_document_type="FC",
    third_party="supplier",
    idempotent=False,
    dian_code=None,
    actions=_actions("retrieve", "list", "update", "delete"),
)
JOURNAL = Kind(
    "CC",
    "journal",
    "Comprobante contable",
    "/v1/journals",
    payment_document_type=None,
    third_party="customer",
    idempotent=True,
    dian_code=None,
    actions=_actions("retrieve", "list"),
)

KINDS: Mapping[str, Kind] = MappingProxyType(
    {
        kind.code: kind
        for kind in (
            INVOICE,
            CREDIT_NOTE,
            RECEIPT,
            JOURNAL,
            PURCHASE,
            PAYMENT_RECEIPT,
            QUOTATION,
            PURCHASE_SUPPORT,
        )
    }
)
"""Every kind, by code, in the order of :data:`KIND_CODES`."""

assert tuple(KINDS) == KIND_CODES, "the table and KindCode list the same kinds in the same order"
assert {k.payment_document_type for k in KINDS.values()} - {None} == set(PAYMENT_KIND_CODES)


def kind_of(code: object) -> Kind | None:
    """The kind with this code, or ``None`` for anything else."""
    return KINDS.get(code) if isinstance(code, str) else None
