"""Local refusals: each one a message id, its arguments and a Siigo error code.

Every rule the SDK checks before sending (the models' validators, :mod:`siigo.rules`, the
resources' argument checks) refuses through the helpers here, never with a literal message:

>>> from siigo._refusals import detail
>>> problem = detail("parameter_inactive", "rules.document_type_inactive", "document.id", id=5)
>>> problem.message
'The document type 5 is inactive'
>>> problem.in_language("es").message
'El tipo de documento 5 está inactivo'

The texts live in :data:`REFUSALS`, one template per language with the same ``{placeholders}``;
a test fails when an id has one language only, when the two templates take different
placeholders, or when a refusal is written without an id.  The message of an
:class:`~siigo.errors.ErrorDetail` is rendered in English when it is made (the sandbox answers
with it, as Siigo answers in English); :meth:`~siigo.errors.ErrorDetail.in_language` and
:meth:`~siigo.errors.ValidationError.in_language` render it again in Spanish.

An argument may itself be a :class:`Refusal` (a part of the sentence that is translated too) or
a :class:`Term` (a word given in both languages, such as a document kind's name).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from .errors import ErrorDetail, ValidationError

__all__ = ["REFUSALS", "Refusal", "Term", "detail", "refusal", "refuse", "summary", "term"]


@dataclass(frozen=True)
class Term:
    """A word or phrase given in both languages, used as an argument of a refusal."""

    en: str
    es: str

    def render(self, language: str) -> str:
        return self.es if language == "es" else self.en

    def __str__(self) -> str:
        return self.en


@dataclass(frozen=True)
class Refusal:
    """A message of the catalog: its ``id`` and the ``args`` it is rendered with."""

    id: str
    args: tuple[tuple[str, Any], ...] = ()

    def __post_init__(self) -> None:
        if self.id not in REFUSALS:
            raise KeyError(f"no refusal {self.id!r} in siigo._refusals.REFUSALS: add it in both languages")

    def render(self, language: str = "en") -> str:
        """The message in ``language`` (``"en"`` or ``"es"``) with its arguments filled in."""
        templates = REFUSALS[self.id]
        values = {
            name: value.render(language) if isinstance(value, (Refusal, Term)) else value
            for name, value in self.args
        }
        return templates.get(language, templates["en"]).format(**values)

    def __str__(self) -> str:
        return self.render("en")


def refusal(message_id: str, /, **args: Any) -> Refusal:
    """The message ``message_id`` with ``args`` (a ``KeyError`` when the catalog lacks it)."""
    return Refusal(message_id, tuple(args.items()))


def term(en: str, es: str) -> Term:
    return Term(en, es)


def detail(code: str, message_id: str, /, *params: str, **args: Any) -> ErrorDetail:
    """One problem: Siigo's error ``code``, the message ``message_id`` with ``args`` and the
    field paths ``params``."""
    text = refusal(message_id, **args)
    return ErrorDetail(code, text.render("en"), tuple(params), refusal=text)


def refuse(
    code: str,
    message_id: str,
    /,
    *params: str,
    subject: str | None = None,
    idempotency_key: str | None = None,
    **args: Any,
) -> ValidationError:
    """A :class:`ValidationError` of one problem (see :func:`detail`), its message prefixed with
    ``subject`` (what was refused) when given."""
    problem = detail(code, message_id, *params, **args)
    assert problem.refusal is not None
    top = refusal("refused.prefixed", subject=subject, problem=problem.refusal) if subject else problem.refusal
    return ValidationError(top.render("en"), [problem], idempotency_key=idempotency_key, refusal=top)


def summary(subject: str, details: Sequence[ErrorDetail], language: str = "en") -> str:
    """The message of a refusal of ``subject`` listing every problem of ``details`` (already in
    ``language``)."""
    lines = "\n".join(f"  - {d.message} ({d.code})" for d in details)
    key = "refused.one" if len(details) == 1 else "refused.many"
    return refusal(key, subject=subject, count=len(details), lines=lines).render(language)


REFUSALS: dict[str, dict[str, str]] = {
    # -- how a refusal is put together
    "refused.one": {
        "en": "{subject} was rejected locally ({count} problem):\n{lines}",
        "es": "{subject} se rechazó localmente ({count} problema):\n{lines}",
    },
    "refused.many": {
        "en": "{subject} was rejected locally ({count} problems):\n{lines}",
        "es": "{subject} se rechazó localmente ({count} problemas):\n{lines}",
    },
    "refused.prefixed": {"en": "{subject}: {problem}", "es": "{subject}: {problem}"},

    # -- siigo.rules.documents: what every document kind checks against the company's catalogs
    "rules.document_type_other_kind": {
        "en": "The document type {id} is of type {type}; a {kind} needs an {code} document type "
        "(GET /v1/document-types?type={code})",
        "es": "El tipo de documento {id} es de tipo {type}; el documento ({kind}) necesita un tipo de "
        "documento {code} (GET /v1/document-types?type={code})",
    },
    "rules.document_type_inactive": {
        "en": "The document type {id} is inactive",
        "es": "El tipo de documento {id} está inactivo",
    },
    "rules.tax_unknown": {
        "en": "The tax {id} does not exist (see GET /v1/taxes)",
        "es": "El impuesto {id} no existe (consulte GET /v1/taxes)",
    },
    "rules.tax_inactive": {"en": "The tax {tax} is inactive", "es": "El impuesto {tax} está inactivo"},
    "rules.retention_unknown": {
        "en": "The retention {id} does not exist (see GET /v1/taxes)",
        "es": "La retención {id} no existe (consulte GET /v1/taxes)",
    },
    "rules.retention_inactive": {
        "en": "The retention {tax} is inactive",
        "es": "La retención {tax} está inactiva",
    },
    "rules.retention_kind": {
        "en": "The tax {tax} is of type {type}; document retentions can only be ReteIVA, ReteICA or "
        "Autorretencion (item withholdings such as Retefuente go in items[].taxes)",
        "es": "El impuesto {tax} es de tipo {type}; las retenciones del documento solo pueden ser "
        "ReteIVA, ReteICA o Autorretencion (las retenciones por ítem, como la Retefuente, van en "
        "items[].taxes)",
    },
    "rules.retention_not_allowed": {
        "en": "The document type {dt} does not allow {type} ({flag} is off in its tax settings); "
        "remove retention {id}",
        "es": "El tipo de documento {dt} no permite {type} ({flag} está desactivado en su configuración "
        "de impuestos); quite la retención {id}",
    },
    "rules.totals_uncomputable": {
        "en": "The {kind} totals cannot be computed: {reason}",
        "es": "No se pueden calcular los totales del documento ({kind}): {reason}",
    },
    "rules.advance_above_total": {
        "en": "The advance_payment {advance} is above the {kind} total {total}",
        "es": "El advance_payment {advance} supera el total del documento ({kind}), {total}",
    },
    "rules.total_payments": {
        "en": "The total payments must be equal to the total invoice. The total invoice calculated is "
        "{expected} (payments add up to {paid})",
        "es": "La suma de los pagos debe ser igual al total del documento. El total calculado es "
        "{expected} (los pagos suman {paid})",
    },
    "rules.retention_as_item_tax": {
        "en": "{type} cannot be an item tax: send it in the invoice's retentions instead",
        "es": "{type} no puede ser un impuesto del ítem: envíelo en las retenciones (retentions) del documento",
    },
    "rules.item_tax_type_twice": {
        "en": "an item cannot carry two taxes of the same type ({types})",
        "es": "un ítem no puede llevar dos impuestos del mismo tipo ({types})",
    },
    "rules.item_iva_and_advalorem": {
        "en": "an item cannot carry IVA and AdValorem together",
        "es": "un ítem no puede llevar IVA y AdValorem a la vez",
    },
    "rules.payment_type_unknown": {
        "en": "The payment type {id} does not exist (see GET /v1/payment-types?document_type={document_type})",
        "es": "La forma de pago {id} no existe (consulte GET /v1/payment-types?document_type={document_type})",
    },
    "rules.payment_type_inactive": {
        "en": "The payment type {label} is inactive",
        "es": "La forma de pago {label} está inactiva",
    },
    "rules.payment_type_other_side": {
        "en": "The payment type {label} is of type {type}; {kinds} take {allowed} payment types",
        "es": "La forma de pago {label} es de tipo {type}; {kinds} usan formas de pago de tipo {allowed}",
    },
    "rules.due_date_for_credit": {
        "en": "The field payments[{k}].due_date is required: payment type {label} is a credit type",
        "es": "El campo payments[{k}].due_date es obligatorio: la forma de pago {label} es a crédito",
    },
    "rules.due_date_required": {
        "en": "The field payments[{k}].due_date is required",
        "es": "El campo payments[{k}].due_date es obligatorio",
    },
    "rules.credit_payment_alone": {
        "en": "A credit payment type (one that requires due_date) must be the only payment of the {kind}",
        "es": "Una forma de pago a crédito (la que exige due_date) debe ser el único pago del documento ({kind})",
    },
    "rules.adjustment_unknown": {
        "en": "{id} is not one of the {field} of document type {dt}",
        "es": "{id} no es uno de los {field} del tipo de documento {dt}",
    },
    "rules.adjustment_inactive": {
        "en": "The {field} entry {id} is inactive",
        "es": "El elemento {id} de {field} está inactivo",
    },
    "rules.seller_required": {
        "en": "The document type {dt} uses a seller per item: items[{i}].seller is required",
        "es": "El tipo de documento {dt} usa vendedor por ítem: items[{i}].seller es obligatorio",
    },
    "rules.seller_not_used": {
        "en": "The document type {dt} does not use a seller per item: remove items[{i}].seller",
        "es": "El tipo de documento {dt} no usa vendedor por ítem: quite items[{i}].seller",
    },
    "rules.customer_by_item": {
        "en": "The document type {dt} does not take third-party income per item: remove items[{i}].customer",
        "es": "El tipo de documento {dt} no maneja ingresos para terceros por ítem: quite items[{i}].customer",
    },
    "rules.transport_not_used": {
        "en": "The document type {dt} is not a cargo-transport type: remove items[{i}].transport",
        "es": "El tipo de documento {dt} no es de transporte de carga: quite items[{i}].transport",
    },
    "rules.cost_center_required": {
        "en": "The document type {dt} requires a cost_center",
        "es": "El tipo de documento {dt} exige un centro de costo (cost_center)",
    },
    "rules.healthcare_required": {
        "en": "The field healthcare_company is required: document type {dt} is a health-sector type",
        "es": "El campo healthcare_company es obligatorio: el tipo de documento {dt} es del sector salud",
    },
    "rules.healthcare_not_used": {
        "en": "The document type {dt} is not a health-sector type: remove healthcare_company",
        "es": "El tipo de documento {dt} no es del sector salud: quite healthcare_company",
    },
    "rules.number_required": {
        "en": "The field number is required: document type {dt} uses manual numbering",
        "es": "El campo number es obligatorio: el tipo de documento {dt} usa numeración manual",
    },
    "rules.number_required_next": {
        "en": "The field number is required: document type {dt} uses manual numbering (the next one is {next})",
        "es": "El campo number es obligatorio: el tipo de documento {dt} usa numeración manual (el "
        "siguiente es {next})",
    },
    "rules.number_automatic": {
        "en": "The document type {dt} numbers {kinds} automatically: remove number",
        "es": "El tipo de documento {dt} numera {kinds} automáticamente: quite number",
    },
    "rules.advance_not_allowed": {
        "en": "The document type {dt} does not allow advance payments: remove advance_payment",
        "es": "El tipo de documento {dt} no permite anticipos: quite advance_payment",
    },
    "rules.date_in_the_past": {
        "en": "The date {date} is before today ({today}): electronic {kinds} cannot be dated in the past",
        "es": "La fecha {date} es anterior a hoy ({today}): {kinds} no pueden tener fecha pasada cuando "
        "el tipo de documento es electrónico",
    },
    "rules.discount_percentage": {
        "en": "items[{i}].discount is a percentage for this document type (discount_type Percentage) "
        "and must be at most 100, got {discount}",
        "es": "items[{i}].discount es un porcentaje en este tipo de documento (discount_type Percentage) "
        "y no puede pasar de 100; se recibió {discount}",
    },
    "rules.discount_above_line": {
        "en": "items[{i}].discount ({discount}) is the discount for the whole line (discount_type Value) "
        "and exceeds its value {value}",
        "es": "items[{i}].discount ({discount}) es el descuento de toda la línea (discount_type Value) "
        "y supera su valor, {value}",
    },

    # -- siigo.rules.credit_notes and the credit-note helpers
    "credit_notes.invoice_annulled": {
        "en": "The invoice {label} is annulled",
        "es": "La factura {label} está anulada",
    },
    "credit_notes.invoice_not_electronic": {
        "en": "The invoice {label} is not electronic: the electronic credit-note type {type} only credits "
        "electronic invoices",
        "es": "La factura {label} no es electrónica: el tipo de nota crédito electrónica {type} solo "
        "acredita facturas electrónicas",
    },
    "credit_notes.invoice_not_accepted": {
        "en": "The invoice {label} has not been accepted by DIAN (stamp status {status}): an electronic "
        "credit note needs an accepted electronic invoice",
        "es": "La DIAN no ha aceptado la factura {label} (estado del envío: {status}): una nota crédito "
        "electrónica necesita una factura electrónica aceptada",
    },
    "credit_notes.not_sent": {"en": "not sent", "es": "no enviada"},
    "credit_notes.currency": {
        "en": "The currency of the credit note ({ours}) must be the invoice's ({theirs})",
        "es": "La moneda de la nota crédito ({ours}) debe ser la de la factura ({theirs})",
    },
    "credit_notes.above_remaining": {
        "en": "The credit note total {total} is more than what is left to credit on invoice {invoice} "
        "({remaining} of {invoice_total})",
        "es": "El total de la nota crédito, {total}, supera lo que queda por acreditar de la factura "
        "{invoice} ({remaining} de {invoice_total})",
    },
    "credit_notes.no_refund_payment_type": {
        "en": "the company has no active NC payment type to refund with: pass payment_type",
        "es": "la empresa no tiene una forma de pago NC activa para la devolución: indique payment_type",
    },
    "credit_notes.line_key": {
        "en": "a line is an index or a code, got {key}",
        "es": "una línea se indica con su posición o su código; se recibió {key}",
    },
    "credit_notes.line_index": {"en": "line {index}", "es": "la línea {index}"},
    "credit_notes.line_code": {"en": "code {code}", "es": "el código {code}"},
    "credit_notes.line_code_many": {
        "en": "code {code} (it appears on several lines: use its index)",
        "es": "el código {code} (aparece en varias líneas: use su posición)",
    },
    "credit_notes.no_such_line": {
        "en": "the invoice has no {label}",
        "es": "la factura no tiene {label}",
    },
    "credit_notes.line_quantity": {
        "en": "{label} ({code}): credit a quantity above 0 and at most the {invoiced} invoiced, got {quantity}",
        "es": "{label} ({code}): acredite una cantidad mayor que 0 y de máximo {invoiced}, lo facturado; "
        "se recibió {quantity}",
    },
    # -- siigo._checks, siigo._catalogs and the resources' arguments
    "seconds.not_a_number": {
        "en": "{name} must be a number of seconds, got {type}",
        "es": "{name} debe ser un número de segundos; se recibió {type}",
    },
    "seconds.too_large": {
        "en": "{name} is too large to be a number of seconds",
        "es": "{name} es demasiado grande para ser un número de segundos",
    },
    "seconds.not_finite": {
        "en": "{name} must be a finite number of seconds, got {value}",
        "es": "{name} debe ser un número finito de segundos; se recibió {value}",
    },
    "seconds.not_negative": {
        "en": "{name} must be 0 or more seconds, got {value}",
        "es": "{name} debe ser de 0 segundos o más; se recibió {value}",
    },
    "seconds.positive": {
        "en": "{name} must be more than 0 seconds, got {value}",
        "es": "{name} debe ser de más de 0 segundos; se recibió {value}",
    },
    "catalogs.kind_not_text": {
        "en": "{name} must be a document kind such as 'FV', got {type}",
        "es": "{name} debe ser una clase de documento como 'FV'; se recibió {type}",
    },
    "catalogs.not_one_of": {
        "en": "{name} must be one of {choices}, got {value}",
        "es": "{name} debe ser uno de {choices}; se recibió {value}",
    },
    "catalogs.no_payment_types_of_kind": {
        "en": "{name} must be one of {choices}, got {value} (Siigo has no {code} payment types: use {use} "
        "for {kinds})",
        "es": "{name} debe ser uno de {choices}; se recibió {value} (Siigo no tiene formas de pago {code}: "
        "use {use} para {kinds})",
    },
    "resources.not_a_guid": {
        "en": "{what} must be a Siigo GUID like '9e6f8516-f256-4f47-a4a7-39b0adad113e', got {value}",
        "es": "{what} debe ser un GUID de Siigo como '9e6f8516-f256-4f47-a4a7-39b0adad113e'; se recibió {value}",
    },
    "resources.not_an_int_id": {
        "en": "{what} must be a non-negative integer id, got {value}",
        "es": "{what} debe ser un id entero no negativo; se recibió {value}",
    },
    "resources.bad_timeout": {"en": "{reason}", "es": "{reason}"},
    "resources.too_deep": {
        "en": "The body nests more than {most} levels deep (or contains itself)",
        "es": "El cuerpo tiene más de {most} niveles de anidación (o se contiene a sí mismo)",
    },
    "resources.key_not_text": {
        "en": "field names are strings, got {key}",
        "es": "los nombres de campo son textos; se recibió {key}",
    },
    "resources.repr_fails": {
        "en": "a value of type {type} cannot be used: its repr() fails",
        "es": "no se puede usar un valor de tipo {type}: su repr() falla",
    },
    "resources.not_a_body": {
        "en": "expected a model or a mapping of wire fields, got {type}",
        "es": "se esperaba un modelo o un diccionario con los campos de la API; se recibió {type}",
    },
    "resources.not_a_model_body": {
        "en": "expected a model or a mapping of wire fields, got {type}",
        "es": "se esperaba un modelo o un diccionario con los campos de la API; se recibió {type}",
    },
    "resources.bad_date_filter": {
        "en": "{name} must be a date, a datetime, or a string 'yyyy-MM-dd' or 'yyyy-MM-ddTHH:mm:ssZ', got {value}",
        "es": "{name} debe ser una fecha (date o datetime) o un texto 'yyyy-MM-dd' o 'yyyy-MM-ddTHH:mm:ssZ'; "
        "se recibió {value}",
    },
    "resources.filter_at_least_1": {
        "en": "must be at least 1, got {value}",
        "es": "debe ser al menos 1; se recibió {value}",
    },
    "resources.filter_64_bits": {
        "en": "must fit in 64 bits, got {value}",
        "es": "debe caber en 64 bits; se recibió {value}",
    },
    "resources.filter_empty": {"en": "must not be empty", "es": "no puede estar vacío"},
    "resources.filter_unsupported": {
        "en": "unsupported filter value {value}",
        "es": "valor de filtro no admitido: {value}",
    },
    "resources.filter_one_of": {
        "en": "must be one of {choices}, got {value}",
        "es": "debe ser uno de {choices}; se recibió {value}",
    },
    "resources.filter_account_group": {
        "en": "must be an account group id (an int)",
        "es": "debe ser el id de un grupo de inventario (un entero)",
    },
    "resources.filter_branch_office": {
        "en": "must be an int from 0 to 999, got {value}",
        "es": "debe ser un entero de 0 a 999; se recibió {value}",
    },
    "resources.guids_not_a_list": {
        "en": "pass a list of GUIDs, got {value}",
        "es": "indique una lista de GUID; se recibió {value}",
    },
    "resources.guids_count": {
        "en": "takes 1 to {most} GUIDs, got {count}",
        "es": "recibe de 1 a {most} GUID; se recibieron {count}",
    },
    "resources.guid_in_list": {"en": "{problem}", "es": "{problem}"},
    "resources.totals_uncomputable": {
        "en": "{reason}",
        "es": "no se pueden calcular los totales: {reason}",
    },
    "resources.batch_too_large": {
        "en": "The batch body is {size} bytes encoded; Siigo accepts at most {most} bytes (1 MB): send its "
        "{count} invoices in several batches",
        "es": "El cuerpo del lote ocupa {size} bytes; Siigo acepta máximo {most} bytes (1 MB): envíe sus "
        "{count} facturas en varios lotes",
    },
    "resources.batch_item": {
        "en": "invoices[{i}] ({key}): {problem}",
        "es": "invoices[{i}] ({key}): {problem}",
    },
    "resources.notification_not_json": {
        "en": "the notification is not JSON: {reason}",
        "es": "la notificación no es JSON: {reason}",
    },
    "resources.notification_not_object": {
        "en": "a batch notification is a JSON object, got {type}",
        "es": "una notificación de lote es un objeto JSON; se recibió {type}",
    },
    "resources.idempotency_key": {
        "en": "idempotency_key must be 1-30 letters or digits (no hyphens, spaces or symbols), got {value}",
        "es": "idempotency_key debe tener de 1 a 30 letras o dígitos (sin guiones, espacios ni símbolos); "
        "se recibió {value}",
    },
    "resources.reading_type": {
        "en": "reading must be a Reading or a dict of its settings, got {value}",
        "es": "reading debe ser un Reading o un diccionario con sus opciones; se recibió {value}",
    },
    "resources.reading_setting": {
        "en": "reading has no setting {name} (settings: {known})",
        "es": "reading no tiene la opción {name} (opciones: {known})",
    },
    "resources.reading_value": {
        "en": "reading {name} must be {choices}, got {value}",
        "es": "la opción {name} de reading debe ser {choices}; se recibió {value}",
    },
    "resources.document_type_unknown": {
        "en": "The document type {id} does not exist in this company (see GET /v1/document-types?type={code})",
        "es": "El tipo de documento {id} no existe en esta empresa (consulte GET /v1/document-types?type={code})",
    },
}
"""Every local refusal's text, by message id, in English and Spanish."""


_KINDS_ES: dict[str, tuple[str, str]] = {
    "FV": ("factura de venta", "las facturas de venta"),
    "NC": ("nota crédito", "las notas crédito"),
    "C": ("cotización", "las cotizaciones"),
    "FC": ("factura de compra", "las facturas de compra"),
    "DS": ("documento soporte", "los documentos soporte"),
    "RC": ("recibo de caja", "los recibos de caja"),
    "RP": ("recibo de pago", "los recibos de pago"),
    "CC": ("comprobante contable", "los comprobantes contables"),
}


def kind_term(kind: Any, *, plural: bool = False) -> Term:
    """A document kind's name (:class:`siigo.kinds.Kind`) in both languages; the Spanish plural
    carries its article (``"las facturas de venta"``)."""
    one, many = _KINDS_ES.get(kind.code, (kind.label.lower(), kind.label.lower()))
    return Term(f"{kind.name}s", many) if plural else Term(kind.name, one)
