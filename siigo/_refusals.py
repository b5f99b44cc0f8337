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

__all__ = [
    "REFUSALS",
    "Refusal",
    "Term",
    "detail",
    "either",
    "joined",
    "kind_term",
    "refusal",
    "refuse",
    "summary",
    "term",
]


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
    top = (
        refusal("refused.prefixed", subject=subject, problem=problem.refusal) if subject else problem.refusal
    )
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
    # -- siigo.rules.purchases: the supplier's numbering, supplier per item, what an edit keeps
    "purchases.prefix_too_long": {
        "en": "The field {path} must have a maximum length of {most}, got {value}",
        "es": "El campo {path} debe tener una longitud máxima de {most}; se recibió {value}",
    },
    "purchases.prefix_chars": {
        "en": "The field {path} allows letters and digits only, got {value}",
        "es": "El campo {path} solo admite letras y dígitos; se recibió {value}",
    },
    "purchases.number_too_long": {
        "en": "The field {path} must have a maximum length of {most} digits, got {value}",
        "es": "El campo {path} debe tener máximo {most} dígitos; se recibió {value}",
    },
    "purchases.number_digits": {
        "en": "The field {path} is the supplier's number: 1 to {most} digits, got {value}",
        "es": "El campo {path} es el número del proveedor: de 1 a {most} dígitos; se recibió {value}",
    },
    "purchases.supplier_by_item": {
        "en": "items[{i}].supplier is only allowed when supplier_by_item is true",
        "es": "items[{i}].supplier solo se permite cuando supplier_by_item es true",
    },
    "purchases.non_editable": {
        "en": "The field {path} cannot be changed (it is {old}, the body sends {new})",
        "es": "El campo {path} no se puede cambiar (su valor es {old} y el cuerpo envía {new})",
    },
    "purchases.none": {"en": "none", "es": "ninguno"},
    "purchases.undocumented_inclusive": {
        "en": "tax_included with items[{i}] taxed with {type}: Siigo does not document whether a "
        "VAT-inclusive price also includes it; the totals split IVA only and the preflight does not "
        "check the payments of such a document",
        "es": "tax_included con items[{i}] gravado con {type}: Siigo no documenta si un precio con IVA "
        "incluido también lo incluye; los totales separan solo el IVA y la validación previa no revisa "
        "los pagos de un documento así",
    },
    # -- siigo.rules.receipts: cash and payment receipts, their type, their dues
    "receipts.due_label": {
        "en": "{prefix}-{consecutive} installment {quote}",
        "es": "{quote} de {prefix}-{consecutive}",
    },
    "receipts.payment_or_payments": {
        "en": "send either payment or payments, not both",
        "es": "envíe payment o payments, no ambos",
    },
    "receipts.detailed_no_payment": {
        "en": "not allowed: a {type} {kind} carries no payment, its lines are the movements",
        "es": "no se permite: un {kind} de tipo {type} no lleva payment, sus líneas son los movimientos",
    },
    "receipts.detailed_needs_lines": {
        "en": "a {type} {kind} needs its accounting lines in items",
        "es": "un {kind} de tipo {type} necesita sus líneas contables en items",
    },
    "receipts.detailed_line_account": {
        "en": "required on a Detailed line (the ledger account and its movement)",
        "es": "obligatorio en una línea Detailed (la cuenta contable y su movimiento)",
    },
    "receipts.payment_required": {
        "en": "required on a {type} {kind}: how it was paid",
        "es": "obligatorio en un {kind} de tipo {type}: cómo se pagó",
    },
    "receipts.debt_needs_items": {
        "en": "a {type} {kind} needs items: the dues it pays",
        "es": "un {kind} de tipo {type} necesita items: las cuotas que paga",
    },
    "receipts.debt_line_due": {
        "en": "required: a DebtPayment line pays a due",
        "es": "obligatorio: una línea DebtPayment paga una cuota",
    },
    "receipts.advance_no_items": {
        "en": "not allowed: a {type} {kind} is money on account, it has no items",
        "es": "no se permite: un {kind} de tipo {type} es dinero a cuenta (un anticipo), no lleva items",
    },
    "receipts.misc_income_required": {
        "en": "required on a MiscIncome cash receipt (an income concept of GET /v1/misc-incomes)",
        "es": "obligatorio en un recibo de caja MiscIncome (un concepto de ingreso de GET /v1/misc-incomes)",
    },
    "receipts.due_twice": {
        "en": "{due} is already paid in items[{first}]: the same due cannot appear twice",
        "es": "la cuota {due} ya se paga en items[{first}]: la misma cuota no puede aparecer dos veces",
    },
    "receipts.payment_type_credit": {
        "en": "The payment type {label} is a credit type (it has due dates); a {kind} is paid with a "
        "payment type whose account has no due dates",
        "es": "La forma de pago {label} es a crédito (tiene fechas de vencimiento); un {kind} se paga con "
        "una forma de pago cuya cuenta no tiene fechas de vencimiento",
    },
    "receipts.payment_total": {
        "en": "The payment ({paid}) must equal what the items pay ({wanted}, the sum of their values, "
        "less their discounts)",
        "es": "El pago ({paid}) debe ser igual a lo que pagan los ítems ({wanted}: la suma de sus valores, "
        "menos sus descuentos)",
    },
    "receipts.due_unknown": {
        "en": "The due {due} does not exist: no open {side} installment has that prefix, consecutive and "
        "quote",
        "es": "La cuota {due} no existe: ninguna cuota {side} abierta tiene ese prefijo, consecutivo y "
        "número de cuota (quote)",
    },
    "receipts.due_other_party": {
        "en": "The due {due} belongs to another {owner} ({identification}, branch office {branch_office}), "
        "not to {theirs}",
        "es": "La cuota {due} es de otro {owner} ({identification}, sucursal {branch_office}), no de "
        "{theirs}",
    },
    "receipts.due_overpaid": {
        "en": "items[{i}].value ({value}) is more than the balance of {due} ({balance})",
        "es": "items[{i}].value ({value}) supera el saldo de la cuota {due} ({balance})",
    },
    "receipts.owes_nothing": {
        "en": "{label} owes nothing: its balance is 0",
        "es": "{label} no tiene nada pendiente: su saldo es 0",
    },
    "receipts.amount_invalid": {
        "en": "amount must be above 0 with at most 2 decimals, got {value}",
        "es": "amount debe ser mayor que 0 y tener máximo 2 decimales; se recibió {value}",
    },
    "receipts.amount_above_owed": {
        "en": "amount {amount} is more than what {label} still owes ({owed})",
        "es": "amount {amount} supera el saldo pendiente de {label} ({owed})",
    },
    "receipts.not_a_catalog_id": {
        "en": "{what} is a catalog id (or {{'id': ...}}), got {value}",
        "es": "{what} es un id de un catálogo (o {{'id': ...}}); se recibió {value}",
    },
    "receipts.no_third_party": {
        "en": "the document names no third party (identification)",
        "es": "el documento no indica un tercero (identification)",
    },
    # -- siigo.rules.journals and siigo.models.journals: accounting journals (comprobantes contables)
    "journals.unbalanced": {
        "en": "The journal does not balance: the debits add up to {debits} and the credits to {credits} "
        "(a difference of {difference})",
        "es": "El comprobante contable no está balanceado: los débitos suman {debits} y los créditos "
        "{credits} (una diferencia de {difference})",
    },
    "journals.document_type_other_kind": {
        "en": "The document type {id} is of type {type}; a journal needs a {code} document type "
        "(GET /v1/document-types?type={code})",
        "es": "El tipo de documento {id} es de tipo {type}; un comprobante contable necesita un tipo de "
        "documento {code} (GET /v1/document-types?type={code})",
    },
    "journals.date_too_far": {
        "en": "The date {date} is more than {days} days from today ({today}): an electronic journal type "
        "takes a date within {days} days",
        "es": "La fecha {date} está a más de {days} días de hoy ({today}): un tipo de comprobante contable "
        "electrónico solo admite fechas a {days} días de hoy o menos",
    },
    "models.account_code": {
        "en": "an account code is digits only (e.g. '11100501'), got {value}",
        "es": "un código de cuenta solo lleva dígitos (p. ej. '11100501'); se recibió {value}",
    },
    "models.fixed_asset_twice": {
        "en": "send the fixed asset once: fixed_asset {{id}} or fixed_assets (its id), not both",
        "es": "envíe el activo fijo una sola vez: fixed_asset {{id}} o fixed_assets (su id), no ambos",
    },
    "models.journal_items_none": {
        "en": "a journal needs at least 1 item (a debit and a credit to balance)",
        "es": "un comprobante contable necesita al menos 1 ítem (un débito y un crédito que se balanceen)",
    },
    "models.journal_items_count": {
        "en": "a journal takes at most {most} items here, got {count}",
        "es": "un comprobante contable lleva máximo {most} ítems en este SDK; se recibieron {count}",
    },
    # -- siigo.rules.reports and siigo.resources.reports: the trial balance and the accounts payable
    "reports.year_digits": {
        "en": "The year must have 4 digits, got {year}",
        "es": "El año (year) debe tener 4 dígitos; se recibió {year}",
    },
    "reports.month_range": {
        "en": "The {name} must be between 1 and {most} (13 is the closing period), got {month}",
        "es": "El mes {name} debe estar entre 1 y {most} (13 es el período de cierre); se recibió {month}",
    },
    "reports.months_order": {
        "en": "The month_start {start} is after the month_end {end}",
        "es": "El mes inicial (month_start) {start} es posterior al mes final (month_end) {end}",
    },
    "reports.accounts_order": {
        "en": "The account_start {start} is after the account_end {end}",
        "es": "La cuenta inicial (account_start) {start} es posterior a la cuenta final (account_end) {end}",
    },
    "reports.branch_needs_provider": {
        "en": "The provider_branch_office filter needs provider_identification",
        "es": "El filtro provider_branch_office necesita provider_identification (la identificación del "
        "proveedor)",
    },
    "reports.branch_range": {
        "en": "The provider_branch_office must be 0-999, got {value}",
        "es": "provider_branch_office debe estar entre 0 y 999; se recibió {value}",
    },
    "reports.due_dates_order": {
        "en": "The due_date_start {start} is after the due_date_end {end}",
        "es": "La fecha inicial de vencimiento (due_date_start) {start} es posterior a la final "
        "(due_date_end) {end}",
    },
    "reports.download_no_url": {
        "en": "download needs a report with a file_url (or the URL), got {value}",
        "es": "download necesita un reporte con file_url (o la URL); se recibió {value}",
    },
    "reports.download_insecure": {
        "en": "Refusing to download a report from {host}: only https links (or the client's own API host) "
        "are followed",
        "es": "No se descarga un reporte desde {host}: solo se siguen enlaces https (o los del mismo host de "
        "la API del cliente)",
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
    # -- siigo.models._base: the field a problem is in, amounts, dates, pydantic's own types
    "field.required": {"en": "The field {path} is required", "es": "El campo {path} es obligatorio"},
    "field.unknown": {
        "en": "The field {path} is not a known field of this request",
        "es": "El campo {path} no es un campo conocido de esta solicitud",
    },
    "field.problem": {"en": "The field {path}: {problem}", "es": "El campo {path}: {problem}"},
    "field.bare": {"en": "{problem}", "es": "{problem}"},
    "model.not_an_object": {
        "en": "expected an object (a mapping or the model), got {type}",
        "es": "se esperaba un objeto (un diccionario o el modelo); se recibió {type}",
    },
    "amount.noun.amount": {"en": "an amount", "es": "un valor"},
    "amount.noun.price": {"en": "a unit price", "es": "un precio unitario"},
    "amount.noun.quantity": {"en": "a quantity", "es": "una cantidad"},
    "amount.out_of_range": {
        "en": "{value} is out of range for an amount",
        "es": "{value} está fuera del rango de un valor",
    },
    "amount.boolean": {
        "en": "expected a number, got a boolean",
        "es": "se esperaba un número; se recibió un booleano",
    },
    "amount.not_a_number": {"en": "{value} is not a number", "es": "{value} no es un número"},
    "amount.not_finite": {"en": "{what} must be a finite number", "es": "{what} debe ser un número finito"},
    "amount.decimals": {
        "en": "{what} allows at most {places} decimal places, got {value}",
        "es": "{what} admite máximo {places} decimales; se recibió {value}",
    },
    "amount.negative": {
        "en": "must not be negative, got {value}",
        "es": "no puede ser negativo; se recibió {value}",
    },
    "amount.not_positive": {
        "en": "must be greater than 0, got {value}",
        "es": "debe ser mayor que 0; se recibió {value}",
    },
    "amount.too_large": {
        "en": "must not exceed {most}, got {value}",
        "es": "no puede pasar de {most}; se recibió {value}",
    },
    "date.format": {
        "en": "dates are written yyyy-MM-dd, got {value}",
        "es": "las fechas se escriben yyyy-MM-dd; se recibió {value}",
    },
    "date.not_a_day": {
        "en": "{value} is not a calendar date",
        "es": "{value} no es una fecha del calendario",
    },
    "date.type": {
        "en": "expected a date or a 'yyyy-MM-dd' string, got {value}",
        "es": "se esperaba una fecha o un texto 'yyyy-MM-dd'; se recibió {value}",
    },
    # pydantic's own checks: the English is pydantic's message, the Spanish is written here
    "pydantic.other": {"en": "{message}", "es": "valor no válido ({message})"},
    "pydantic.string_too_long": {
        "en": "String should have at most {max_length} characters",
        "es": "debe tener máximo {max_length} caracteres",
    },
    "pydantic.string_too_short": {
        "en": "String should have at least {min_length} characters",
        "es": "debe tener al menos {min_length} caracteres",
    },
    "pydantic.too_long": {
        "en": "{field_type} should have at most {max_length} items after validation, not {actual_length}",
        "es": "la lista ({field_type}) debe tener máximo {max_length} elementos, no {actual_length}",
    },
    "pydantic.too_short": {
        "en": "{field_type} should have at least {min_length} items after validation, not {actual_length}",
        "es": "la lista ({field_type}) debe tener al menos {min_length} elementos, no {actual_length}",
    },
    "pydantic.literal_error": {"en": "Input should be {expected}", "es": "debe ser {expected}"},
    "pydantic.enum": {"en": "Input should be {expected}", "es": "debe ser {expected}"},
    "pydantic.string_pattern_mismatch": {
        "en": "String should match pattern '{pattern}'",
        "es": "debe cumplir el patrón '{pattern}'",
    },
    "pydantic.greater_than": {"en": "Input should be greater than {gt}", "es": "debe ser mayor que {gt}"},
    "pydantic.greater_than_equal": {
        "en": "Input should be greater than or equal to {ge}",
        "es": "debe ser mayor o igual que {ge}",
    },
    "pydantic.less_than": {"en": "Input should be less than {lt}", "es": "debe ser menor que {lt}"},
    "pydantic.less_than_equal": {
        "en": "Input should be less than or equal to {le}",
        "es": "debe ser menor o igual que {le}",
    },
    "pydantic.int_parsing": {
        "en": "Input should be a valid integer, unable to parse string as an integer",
        "es": "debe ser un número entero (el texto no se puede leer como entero)",
    },
    "pydantic.int_type": {"en": "Input should be a valid integer", "es": "debe ser un número entero"},
    "pydantic.int_from_float": {
        "en": "Input should be a valid integer, got a number with a fractional part",
        "es": "debe ser un número entero; se recibió un número con decimales",
    },
    "pydantic.float_parsing": {
        "en": "Input should be a valid number, unable to parse string as a number",
        "es": "debe ser un número (el texto no se puede leer como número)",
    },
    "pydantic.float_type": {"en": "Input should be a valid number", "es": "debe ser un número"},
    "pydantic.decimal_parsing": {
        "en": "Input should be a valid decimal",
        "es": "debe ser un número decimal",
    },
    "pydantic.decimal_type": {
        "en": "Decimal input should be an integer, float, string or Decimal object",
        "es": "debe ser un número (entero, decimal o texto con un número)",
    },
    "pydantic.string_type": {"en": "Input should be a valid string", "es": "debe ser un texto"},
    "pydantic.bool_type": {
        "en": "Input should be a valid boolean",
        "es": "debe ser un booleano (true o false)",
    },
    "pydantic.bool_parsing": {
        "en": "Input should be a valid boolean, unable to interpret input",
        "es": "debe ser un booleano (true o false)",
    },
    "pydantic.dict_type": {"en": "Input should be a valid dictionary", "es": "debe ser un objeto"},
    "pydantic.model_type": {
        "en": "Input should be a valid dictionary or instance of {class_name}",
        "es": "debe ser un objeto o una instancia de {class_name}",
    },
    "pydantic.model_attributes_type": {
        "en": "Input should be a valid dictionary or object to extract fields from",
        "es": "debe ser un objeto del que se puedan leer los campos",
    },
    "pydantic.list_type": {"en": "Input should be a valid list", "es": "debe ser una lista"},
    "pydantic.date_type": {"en": "Input should be a valid date", "es": "debe ser una fecha"},
    "pydantic.date_parsing": {
        "en": "Input should be a valid date in the format YYYY-MM-DD, {error}",
        "es": "debe ser una fecha con el formato AAAA-MM-DD ({error})",
    },
    "pydantic.datetime_type": {"en": "Input should be a valid datetime", "es": "debe ser una fecha y hora"},
    "pydantic.union_tag_invalid": {
        "en": "Input tag '{tag}' found using {discriminator} does not match any of the expected tags: "
        "{expected_tags}",
        "es": "la etiqueta '{tag}' de {discriminator} no es ninguna de las esperadas: {expected_tags}",
    },
    # -- siigo.models.documents: what every document body checks by itself
    "amount.noun.payment": {"en": "a payment", "es": "un pago"},
    "models.email": {
        "en": "{value} is not a valid e-mail address",
        "es": "{value} no es un correo electrónico válido",
    },
    "models.emails": {
        "en": "not valid e-mail addresses: {addresses}",
        "es": "correos electrónicos no válidos: {addresses}",
    },
    "models.item_code": {
        "en": "product codes cannot contain spaces or single quotes, got {value}",
        "es": "los códigos de producto no pueden tener espacios ni comillas simples; se recibió {value}",
    },
    "models.description_chars": {
        "en": "contains characters Siigo does not accept: {chars} (letters, digits, spaces and "
        '. @ - \\ % _ ; ( ) [ ] # ? ¡ / : {{ }} * + , $ " are allowed)',
        "es": "tiene caracteres que Siigo no acepta: {chars} (se permiten letras, dígitos, espacios y "
        '. @ - \\ % _ ; ( ) [ ] # ? ¡ / : {{ }} * + , $ ")',
    },
    "models.positive_number": {
        "en": "must be a number greater than 0, got {value}",
        "es": "debe ser un número mayor que 0; se recibió {value}",
    },
    "models.percentage": {
        "en": "a percentage from 0.01 to 99.99 with 2 decimals, got {value}",
        "es": "debe ser un porcentaje de 0.01 a 99.99 con 2 decimales; se recibió {value}",
    },
    "models.payment_too_large": {
        "en": "a payment must not exceed {most}, got {value}",
        "es": "un pago no puede pasar de {most}; se recibió {value}",
    },
    "models.health_amount": {
        "en": "allows at most 10 integer digits, got {value}",
        "es": "admite máximo 10 dígitos enteros; se recibió {value}",
    },
    "models.currency": {
        "en": "{value} is not a currency Siigo accepts; use one of {known}",
        "es": "{value} no es una moneda que Siigo acepte; use una de {known}",
    },
    "models.shipment_number": {
        "en": "shipment_number allows letters, digits, spaces and - _ / , only, got {value}",
        "es": "shipment_number solo admite letras, dígitos, espacios y - _ / ,; se recibió {value}",
    },
    "models.item_taxes_count": {
        "en": "an item takes at most {most} taxes, got {count}",
        "es": "un ítem lleva máximo {most} impuestos; se recibieron {count}",
    },
    "models.item_tax_twice": {
        "en": "the same tax cannot be applied twice to an item: {ids}",
        "es": "no se puede aplicar dos veces el mismo impuesto a un ítem: {ids}",
    },
    "models.price_required": {
        "en": "price is required (or taxed_price, the price including IVA)",
        "es": "price es obligatorio (o taxed_price, el precio con IVA incluido)",
    },
    "models.gift_item": {
        "en": "a gift item (price 0) needs {missing}: tax_base is the real value used as tax base and "
        "taxpayer says who bears the VAT (Customer or Company)",
        "es": "un ítem de obsequio (precio 0) necesita {missing}: tax_base es el valor real que se usa "
        "como base del impuesto y taxpayer indica quién asume el IVA (Customer o Company)",
    },
    "models.code_range": {
        "en": "expected a code from {low} to {high}, got {value}",
        "es": "se esperaba un código de {low} a {high}; se recibió {value}",
    },
    "models.health_recaudo": {
        "en": "healthcare_company.{fields} not allowed for SS-Recaudo",
        "es": "healthcare_company.{fields} no se permite en SS-Recaudo",
    },
    "models.health_period": {
        "en": "healthcare_company.{fields} required for {op}",
        "es": "en {op} se exige healthcare_company.{fields}",
    },
    "models.health_range": {
        "en": "healthcare_company.period_start ({start}) is after period_end ({end})",
        "es": "healthcare_company.period_start ({start}) es posterior a period_end ({end})",
    },
    "models.health_cufe_only": {
        "en": "healthcare_company.{fields} only allowed for SS-CUFE",
        "es": "healthcare_company.{fields} solo se permite en SS-CUFE",
    },
    "models.health_cufe_amounts": {
        "en": "an SS-CUFE invoice needs at least one of healthcare_company.copayment, coinsurance, "
        "cost_sharing or recovery_charge",
        "es": "una factura SS-CUFE necesita al menos uno de healthcare_company.copayment, coinsurance, "
        "cost_sharing o recovery_charge",
    },
    "models.health_policy_or_contract": {
        "en": "send either healthcare_company.policy_number or contract_number, not both",
        "es": "envíe healthcare_company.policy_number o contract_number, no ambos",
    },
    "models.health_non_contract": {
        "en": "healthcare_company.non_contract_invoice_reason is only for invoices without contract_number",
        "es": "healthcare_company.non_contract_invoice_reason es solo para facturas sin contract_number",
    },
    "models.copy_to_count": {
        "en": "copy_to takes at most {most} addresses, got {count}",
        "es": "copy_to admite máximo {most} direcciones; se recibieron {count}",
    },
    "models.items_none": {
        "en": "a document needs at least 1 item",
        "es": "un documento necesita al menos 1 ítem",
    },
    "models.items_count": {
        "en": "a document takes at most {most} items, got {count}",
        "es": "un documento lleva máximo {most} ítems; se recibieron {count}",
    },
    "models.payments_none": {
        "en": "at least one payment is required",
        "es": "se necesita al menos un pago",
    },
    "models.payments_total": {
        "en": "the payments add up to {total}; the maximum is {most}",
        "es": "los pagos suman {total}; el máximo es {most}",
    },
    "models.retention_twice": {
        "en": "the same retention cannot be sent twice: {ids}",
        "es": "no se puede enviar dos veces la misma retención: {ids}",
    },
    # -- siigo.models: customers, products, catalogs, credit notes, invoices, webhooks
    "models.group_code": {
        "en": "the code takes only letters and digits (no spaces), got {value}",
        "es": "el código solo admite letras y dígitos (sin espacios); se recibió {value}",
    },
    "models.id_too_long": {
        "en": "an id of more than 19 digits is out of range",
        "es": "un id de más de 19 dígitos está fuera de rango",
    },
    "models.id_number_too_long": {
        "en": "a number of more than 19 digits is out of range for an id",
        "es": "un número de más de 19 dígitos está fuera de rango para un id",
    },
    "models.credit_reason": {
        "en": "reason must be a DIAN concept from 1 to 7, got {value}",
        "es": "reason debe ser un concepto DIAN de 1 a 7; se recibió {value}",
    },
    "models.credit_invoice_guid": {
        "en": "invoice is the GUID (id) of a Siigo invoice, not its name or number, got {value}",
        "es": "invoice es el GUID (id) de una factura de Siigo, no su nombre ni su número; se recibió {value}",
    },
    "models.credit_invoice_or_data": {
        "en": "send exactly one of invoice (the GUID of a Siigo invoice) and invoice_data (an invoice "
        "issued outside Siigo)",
        "es": "envíe solo uno de invoice (el GUID de una factura de Siigo) e invoice_data (una factura "
        "emitida por fuera de Siigo)",
    },
    "models.credit_invoice_data_needs": {
        "en": "a credit note with invoice_data needs {missing} (they are not read from an invoice Siigo "
        "does not have)",
        "es": "una nota crédito con invoice_data necesita {missing} (no se pueden leer de una factura que "
        "Siigo no tiene)",
    },
    "models.credit_invoice_date": {
        "en": "invoice_data.date ({invoice}) must be before the credit note's date ({note})",
        "es": "invoice_data.date ({invoice}) debe ser anterior a la fecha de la nota crédito ({note})",
    },
    "models.credit_cancellation_needs": {
        "en": "reason 2 (cancellation) needs {fields}",
        "es": "el concepto 2 (anulación) necesita {fields}",
    },
    "models.dane_code_number": {
        "en": "{what} must be a string such as {example}: DANE codes keep their leading zeros, and the "
        "number {value} has lost them",
        "es": "{what} debe ser un texto como {example}: los códigos DANE conservan sus ceros a la "
        "izquierda, y el número {value} los perdió",
    },
    "models.phone_digits": {
        "en": "phone parts take digits only, got {value}",
        "es": "las partes del teléfono solo admiten dígitos; se recibió {value}",
    },
    "models.state_code": {
        "en": "state_code {value} is not a Colombian department: use its 2-digit DANE code, e.g. '05' for "
        "Antioquia or '11' for Bogotá",
        "es": "state_code {value} no es un departamento de Colombia: use su código DANE de 2 dígitos, "
        "p. ej. '05' para Antioquia u '11' para Bogotá",
    },
    "models.state_code_padded": {
        "en": "state_code {value} is not a Colombian department: use its 2-digit DANE code, e.g. '05' for "
        "Antioquia or '11' for Bogotá (did you mean {padded}?)",
        "es": "state_code {value} no es un departamento de Colombia: use su código DANE de 2 dígitos, "
        "p. ej. '05' para Antioquia u '11' para Bogotá (¿quiso decir {padded}?)",
    },
    "models.city_code": {
        "en": "city_code must be the 5-digit DANE municipality code, e.g. '05001' for Medellín, got {value}",
        "es": "city_code debe ser el código DANE del municipio, de 5 dígitos, p. ej. '05001' para Medellín; "
        "se recibió {value}",
    },
    "models.city_of_other_state": {
        "en": "city_code {city} does not belong to department {state}: a municipality code starts with its "
        "department code",
        "es": "city_code {city} no pertenece al departamento {state}: el código de un municipio empieza por "
        "el de su departamento",
    },
    "models.postal_code": {
        "en": "postal_code takes letters and digits only, got {value}",
        "es": "postal_code solo admite letras y dígitos; se recibió {value}",
    },
    "models.fiscal_responsibility": {
        "en": "{value} is not a fiscal responsibility code; use one of {known}",
        "es": "{value} no es un código de responsabilidad fiscal; use uno de {known}",
    },
    "models.id_type": {
        "en": "{value} is not a DIAN identification type; use e.g. {known} or another of {codes}",
        "es": "{value} no es un tipo de identificación DIAN; use p. ej. {known} u otro de {codes}",
    },
    "models.invoice_id_type": {
        "en": "{value} is not a DIAN identification type; use one of {codes}",
        "es": "{value} no es un tipo de identificación DIAN; use uno de {codes}",
    },
    "models.nit_with_digit": {
        "en": "write the NIT without its check digit: identification {number} and check_digit {digit}",
        "es": "escriba el NIT sin su dígito de verificación: identification {number} y check_digit {digit}",
    },
    "models.id_digits": {
        "en": "an identification of type {type} ({name}) takes 3 to 13 digits only, got {value}",
        "es": "una identificación de tipo {type} ({name}) solo admite de 3 a 13 dígitos; se recibió {value}",
    },
    "models.id_chars": {
        "en": "an identification takes at least 3 letters, digits or underscores, with hyphens only "
        "between them, got {value}",
        "es": "una identificación lleva al menos 3 letras, dígitos o guiones bajos, con guiones solo entre "
        "ellos; se recibió {value}",
    },
    "models.id_length": {
        "en": "an identification of type {type} ({name}) takes at most {most} characters, got {count}",
        "es": "una identificación de tipo {type} ({name}) admite máximo {most} caracteres; se recibieron {count}",
    },
    "models.check_digit": {
        "en": "check_digit is one digit from 0 to 9, got {value}",
        "es": "check_digit es un dígito de 0 a 9; se recibió {value}",
    },
    "models.check_digit_wrong": {
        "en": "check_digit {value} is wrong for NIT {nit}: its check digit is {expected}",
        "es": "check_digit {value} no corresponde al NIT {nit}: su dígito de verificación es {expected}",
    },
    "models.person_name": {
        "en": "the name of a Person is 2 elements, [given names, surnames], e.g. ['Juan Camilo', "
        "'Restrepo Vélez']; got {count}",
        "es": "el nombre de una persona (Person) son 2 elementos, [nombres, apellidos], p. ej. "
        "['Juan Camilo', 'Restrepo Vélez']; se recibieron {count}",
    },
    "models.company_name": {
        "en": "the name of a Company is 1 element, [legal name], e.g. ['Ferretería El Tornillo S.A.S.']; "
        "got {count}",
        "es": "el nombre de una empresa (Company) es 1 elemento, [razón social], p. ej. "
        "['Ferretería El Tornillo S.A.S.']; se recibieron {count}",
    },
    "models.fiscal_empty": {
        "en": "fiscal_responsibilities cannot be empty: leave it out for the default R-99-PN or give codes",
        "es": "fiscal_responsibilities no puede estar vacío: no lo envíe para usar R-99-PN, o indique códigos",
    },
    "models.fiscal_twice": {
        "en": "each fiscal responsibility may appear once: {codes}",
        "es": "cada responsabilidad fiscal puede aparecer una sola vez: {codes}",
    },
    "models.contacts_count": {
        "en": "a third party has at most {most} contacts, got {count}",
        "es": "un tercero tiene máximo {most} contactos; se recibieron {count}",
    },
    "models.inline_person_name": {
        "en": "customer.name for a {type} must be [given names, surnames] (2 elements), got {count}",
        "es": "customer.name de un {type} debe ser [nombres, apellidos] (2 elementos); se recibieron {count}",
    },
    "models.inline_company_name": {
        "en": "customer.name for a {type} must be [legal name] (1 element), got {count}",
        "es": "customer.name de un {type} debe ser [razón social] (1 elemento); se recibieron {count}",
    },
    "models.inline_customer": {
        "en": "the inline customer is not a valid customer: {problems}",
        "es": "el cliente incluido en el documento no es un cliente válido: {problems}",
    },
    "models.invoice_items_none": {
        "en": "an invoice needs at least 1 item",
        "es": "una factura necesita al menos 1 ítem",
    },
    "models.invoice_items_count": {
        "en": "an invoice takes at most {most} items, got {count}",
        "es": "una factura lleva máximo {most} ítems; se recibieron {count}",
    },
    "models.idempotency_key": {
        "en": "idempotency_key must be 1-30 letters or digits (no hyphens or spaces), got {value}",
        "es": "idempotency_key debe tener de 1 a 30 letras o dígitos (sin guiones ni espacios); se recibió {value}",
    },
    "models.batch_empty": {
        "en": "a batch needs at least 1 invoice",
        "es": "un lote necesita al menos 1 factura",
    },
    "models.batch_keys_twice": {
        "en": "each invoice of a batch needs its own idempotency_key; repeated: {keys}",
        "es": "cada factura del lote necesita su propia idempotency_key; repetidas: {keys}",
    },
    "models.notification_url_length": {
        "en": "notification_url must be shorter than 2048 characters, got {count}",
        "es": "notification_url debe tener menos de 2048 caracteres; se recibieron {count}",
    },
    "models.notification_url_https": {
        "en": "notification_url must be an https:// URL, got {value}",
        "es": "notification_url debe ser una URL https://; se recibió {value}",
    },
    "models.product_code": {
        "en": "product codes take letters, digits and symbols without spaces or single quotes, got {value}",
        "es": "los códigos de producto admiten letras, dígitos y símbolos, sin espacios ni comillas simples; "
        "se recibió {value}",
    },
    "models.code_as_number": {
        "en": "{what} must be a string (write {quoted} in quotes, keeping any leading zeros), got the number "
        "{value}",
        "es": "{what} debe ser un texto (escriba {quoted} entre comillas, con sus ceros a la izquierda); se "
        "recibió el número {value}",
    },
    "models.tariff_digits": {
        "en": "the customs tariff takes digits only, got {value}",
        "es": "la partida arancelaria solo admite dígitos; se recibió {value}",
    },
    "models.sugary_rate": {
        "en": "the sugary-drinks rate must be one of {rates}, got {value}",
        "es": "la tarifa del impuesto a bebidas azucaradas debe ser una de {rates}; se recibió {value}",
    },
    "models.sugary_both": {
        "en": "the sugary-drinks tax needs both milliliters and rate: {missing} is missing",
        "es": "el impuesto a bebidas azucaradas necesita milliliters y rate: falta {missing}",
    },
    "models.price_lists_count": {
        "en": "a product has at most {most} price lists, got {count}",
        "es": "un producto tiene máximo {most} listas de precios; se recibieron {count}",
    },
    "models.price_list_twice": {
        "en": "each price-list position may appear once, repeated: {positions}",
        "es": "cada posición de lista de precios puede aparecer una sola vez; repetidas: {positions}",
    },
    "models.product_taxes_count": {
        "en": "a product takes at most {most} taxes, got {count}",
        "es": "un producto lleva máximo {most} impuestos; se recibieron {count}",
    },
    "models.product_tax_twice": {
        "en": "the same tax cannot be given twice: {ids}",
        "es": "no se puede indicar dos veces el mismo impuesto: {ids}",
    },
    "models.currency_twice": {
        "en": "give each currency once and put all its price lists in one price_list: {currencies}",
        "es": "indique cada moneda una sola vez, con todas sus listas de precios en un price_list: {currencies}",
    },
    "models.unit_empty": {
        "en": "unit cannot be empty: leave it out for the default '94' (unidad) or give a DIAN unit code",
        "es": "unit no puede estar vacío: no lo envíe para usar '94' (unidad), o indique un código de unidad DIAN",
    },
    "models.component_twice": {
        "en": "list each component once and add up its quantity: {codes}",
        "es": "liste cada componente una sola vez y sume su cantidad: {codes}",
    },
    "models.combo_components": {
        "en": "a Combo needs components: [{{code, quantity}}, ...] of its products",
        "es": "un Combo necesita components: [{{code, quantity}}, ...] de sus productos",
    },
    "models.combo_itself": {
        "en": "the combo {code} cannot be one of its own components",
        "es": "el combo {code} no puede ser uno de sus propios componentes",
    },
    "models.components_not_combo": {
        "en": "components are only for type 'Combo', not for {type}",
        "es": "components es solo para el tipo 'Combo', no para {type}",
    },
    "models.url_length": {
        "en": "url must be at most {most} characters",
        "es": "url debe tener máximo {most} caracteres",
    },
    "models.url_invalid": {"en": "url is not a valid URL", "es": "url no es una URL válida"},
    "models.url_absolute": {
        "en": "url must be an absolute https URL such as 'https://erp.example.com/hooks/siigo'",
        "es": "url debe ser una URL https completa, como 'https://erp.example.com/hooks/siigo'",
    },
    "models.url_credentials": {
        "en": "url must not carry a user name or password",
        "es": "url no puede llevar usuario ni contraseña",
    },
    "models.url_fragment": {"en": "url must not have a #fragment", "es": "url no puede tener un #fragmento"},
    "models.url_https": {
        "en": "Siigo delivers webhooks only over HTTPS: use https:// (plain http is accepted only for a "
        "receiver on a loopback address, for the sandbox), got {origin}",
        "es": "Siigo entrega los webhooks solo por HTTPS: use https:// (http sin cifrar solo se acepta para "
        "un receptor en una dirección local, para el sandbox); se recibió {origin}",
    },
    "models.subscription_guid": {
        "en": "id must be the subscription's GUID",
        "es": "id debe ser el GUID de la suscripción",
    },
    # -- siigo.webhooks: what a received event must be
    "webhooks.not_an_event": {
        "en": "not a Siigo webhook event: {problem}",
        "es": "no es un evento de webhook de Siigo: {problem}",
    },
    "webhooks.body_type": {
        "en": "the body must be bytes or text, got {type}",
        "es": "el cuerpo debe ser bytes o texto; se recibió {type}",
    },
    "webhooks.body_too_large": {
        "en": "the body is larger than {most} bytes",
        "es": "el cuerpo ocupa más de {most} bytes",
    },
    "webhooks.not_json_type": {"en": "the Content-Type is not JSON", "es": "el Content-Type no es JSON"},
    "webhooks.other_company": {
        "en": "the event belongs to another company",
        "es": "el evento es de otra empresa",
    },
    "webhooks.other_user": {
        "en": "the event was sent for another API user",
        "es": "el evento se envió para otro usuario API",
    },
    "webhooks.body_not_json": {
        "en": "the body is not JSON ({reason})",
        "es": "el cuerpo no es JSON ({reason})",
    },
    "webhooks.not_an_object": {
        "en": "an event is a JSON object, got {type}",
        "es": "un evento es un objeto JSON; se recibió {type}",
    },
    "webhooks.field_required": {
        "en": "the field {name} is required (a non-empty string)",
        "es": "el campo {name} es obligatorio (un texto no vacío)",
    },
    "webhooks.too_deep": {
        "en": "the body nests too deeply",
        "es": "el cuerpo tiene demasiados niveles de anidación",
    },
    "webhooks.unreadable": {"en": "{reason}", "es": "{reason}"},
    "transport.unsafe_path": {
        "en": "refusing to send a request to an unsafe path {path}",
        "es": "no se envía la solicitud a una ruta insegura: {path}",
    },
    "rules.undocumented_advance": {
        "en": "advance_payment ({advance}): Siigo does not document whether the payments must then equal "
        "amount_due or amount_due minus the advance; amount_due ignores it and the preflight accepts both",
        "es": "advance_payment ({advance}): Siigo no documenta si los pagos deben entonces sumar amount_due "
        "o amount_due menos el anticipo; amount_due no lo tiene en cuenta y la validación previa acepta "
        "ambos",
    },
    "rules.undocumented_global": {
        "en": "{field}: Siigo does not document how they change the total, the VAT or the payments; "
        "amount_due ignores them and the preflight does not check the payments of such an invoice",
        "es": "{field}: Siigo no documenta cómo cambian el total, el IVA o los pagos; amount_due no los "
        "tiene en cuenta y la validación previa no revisa los pagos de un documento así",
    },
    "config.timeout_pair": {
        "en": "timeout as a pair is (connect, read) in seconds, got {value}",
        "es": "timeout como par es (conexión, lectura) en segundos; se recibió {value}",
    },
    "refused.idempotency_key": {
        "en": "{message} (idempotency key {key})",
        "es": "{message} (clave de idempotencia {key})",
    },
    # -- the client's settings (ConfigurationError): the English text is the one of earlier versions
    "config.partner_id_rule": {
        "en": "Siigo requires a Partner-Id header on every call: the name of your integration, 3 to 100 "
        "letters and digits with nothing else (no spaces, hyphens or underscores), the same for all "
        "the companies you serve, e.g. 'MiTiendaERP'. Pass partner_id=... or set SIIGO_PARTNER_ID.",
        "es": "Siigo exige el encabezado Partner-Id en cada llamada: el nombre de su integración, de 3 a "
        "100 letras y dígitos sin nada más (sin espacios, guiones ni guiones bajos), el mismo para todas "
        "las empresas que atiende, p. ej. 'MiTiendaERP'. Pase partner_id=... o defina SIIGO_PARTNER_ID.",
    },
    "config.partner_id_missing": {"en": "partner_id is missing. {rule}", "es": "Falta el partner_id. {rule}"},
    "config.partner_id_type": {
        "en": "partner_id must be a string, got {type}. {rule}",
        "es": "partner_id debe ser un texto; se recibió {type}. {rule}",
    },
    "config.partner_id_bad": {
        "en": "partner_id {shown} {problem}. {rule}",
        "es": "El partner_id {shown} {problem}. {rule}",
    },
    "config.partner_id_too_short": {"en": "is too short", "es": "es demasiado corto"},
    "config.partner_id_too_long": {"en": "is too long", "es": "es demasiado largo"},
    "config.partner_id_characters": {
        "en": "contains characters other than letters and digits",
        "es": "tiene caracteres distintos de letras y dígitos",
    },
    "config.characters": {"en": "({count} characters)", "es": "({count} caracteres)"},
    "config.base_url_type": {
        "en": "base_url must be a string such as {example}, got {type}",
        "es": "base_url debe ser un texto como {example}; se recibió {type}",
    },
    "config.base_url_invalid": {
        "en": "base_url is not a valid URL ({reason}); use one such as {example}",
        "es": "base_url no es una URL válida ({reason}); use una como {example}",
    },
    "config.base_url_userinfo": {
        "en": "base_url must not carry user info (credentials go in username/access_key): {shown}",
        "es": "base_url no puede llevar usuario ni contraseña (las credenciales van en "
        "username/access_key): {shown}",
    },
    "config.base_url_absolute": {
        "en": "base_url must be an absolute URL such as {example}, got {shown}",
        "es": "base_url debe ser una URL absoluta como {example}; se recibió {shown}",
    },
    "config.base_url_http": {
        "en": "base_url {shown} uses plain http: credentials would travel unencrypted. Use https (plain "
        "http is accepted only for loopback addresses such as the local sandbox).",
        "es": "base_url {shown} usa http sin cifrar: las credenciales viajarían sin protección. Use https "
        "(http sin cifrar solo se acepta para direcciones locales (loopback), como el sandbox local).",
    },
    "config.base_url_query": {
        "en": "base_url must not carry a query or fragment: {shown}",
        "es": "base_url no puede llevar parámetros de consulta ni fragmento: {shown}",
    },
    "config.retry_type": {
        "en": "retry must be a siigo.RetryPolicy, got {type}",
        "es": "retry debe ser un siigo.RetryPolicy; se recibió {type}",
    },
    "config.max_retries": {
        "en": "max_retries must be a whole number, 0 or more, got {value}",
        "es": "max_retries debe ser un número entero, 0 o más; se recibió {value}",
    },
    "config.max_response_bytes": {
        "en": "max_response_bytes must be a whole number of bytes, at least 1024, or None; got {value}",
        "es": "max_response_bytes debe ser un número entero de bytes, al menos 1024, o None; se recibió {value}",
    },
    "config.read_ahead": {
        "en": "read_ahead must be True (always), False (never) or None (where it pays); got {value}",
        "es": "read_ahead debe ser True (siempre), False (nunca) o None (donde conviene); se recibió {value}",
    },
    "config.rate_limit": {
        "en": "rate_limit must be a whole number of requests per minute, at least 1 (100 for a production "
        "company, 10 for a test company), or None to switch it off; got {value}",
        "es": "rate_limit debe ser un número entero de solicitudes por minuto, al menos 1 (100 para una "
        "empresa en producción, 10 para una empresa de pruebas), o None para desactivarlo; se recibió {value}",
    },
    "config.username_or_email": {
        "en": "pass either username or email (its old name), not both",
        "es": "pase username o email (su nombre anterior), no ambos",
    },
    "config.store_or_shared": {
        "en": "pass either token_store or shared_url, not both",
        "es": "pase token_store o shared_url, no ambos",
    },
    "config.shared_needs_username": {
        "en": "shared_url needs the username (SIIGO_USERNAME): the shared token and rate limit belong to "
        "one company, named by its API user",
        "es": "shared_url necesita el username (SIIGO_USERNAME): el token y el límite de solicitudes "
        "compartidos pertenecen a una sola empresa, identificada por su usuario API",
    },
    "config.shared_key": {
        "en": "shared_key must be a string of at least 16 characters",
        "es": "shared_key debe ser un texto de al menos 16 caracteres",
    },
    "config.session_type": {
        "en": "session must be a requests.Session, got {type}",
        "es": "session debe ser un requests.Session; se recibió {type}",
    },
    "config.token_store_methods": {
        "en": "token_store must have get(key), set(key, token) and delete(key) methods",
        "es": "token_store debe tener los métodos get(key), set(key, token) y delete(key)",
    },
    "config.update_route": {
        "en": "webhook_update_route must be one of {routes}, got {value}",
        "es": "webhook_update_route debe ser uno de {routes}; se recibió {value}",
    },
    "config.credentials": {
        "en": "{missing}. Both are shown in Siigo Nube under Alianzas > Mi credencial API (the "
        "'Usuario API' and its 'Access Key').",
        "es": "{missing}. Ambos aparecen en Siigo Nube en Alianzas > Mi credencial API (el "
        "'Usuario API' y su 'Access Key').",
    },
    "config.access_key_missing": {
        "en": "access_key is missing (pass access_key=... or set SIIGO_ACCESS_KEY)",
        "es": "Falta el access_key (pase access_key=... o defina SIIGO_ACCESS_KEY)",
    },
    "config.username_missing": {
        "en": "username is missing (pass username=... or set SIIGO_USERNAME)",
        "es": "Falta el username (pase username=... o defina SIIGO_USERNAME)",
    },
    "config.no_credentials": {
        "en": "no credentials: pass username=... and access_key=... (or set SIIGO_USERNAME and "
        "SIIGO_ACCESS_KEY), or token=... with an access token",
        "es": "No hay credenciales: pase username=... y access_key=... (o defina SIIGO_USERNAME y "
        "SIIGO_ACCESS_KEY), o token=... con un token de acceso",
    },
    "config.string_type": {
        "en": "{name} must be a string, got {type}",
        "es": "{name} debe ser un texto; se recibió {type}",
    },
    "config.sealer_secret": {
        "en": "the shared store's secret must be at least 8 characters long",
        "es": "el secreto del almacén compartido debe tener al menos 8 caracteres",
    },
    "config.redis_missing": {
        "en": "a redis:// shared_url needs the redis client: pip install 'siigo-python[redis]'",
        "es": "un shared_url redis:// necesita el cliente de Redis: pip install 'siigo-python[redis]'",
    },
    "config.redis_url": {
        "en": "shared_url is not a usable Redis URL ({reason})",
        "es": "shared_url no es una URL de Redis utilizable ({reason})",
    },
    "config.shared_url_type": {
        "en": "shared_url must be a Redis URL ('redis://host:6379/0'), 'sqlite:///path/file.db' or a file "
        "path, got {got}",
        "es": "shared_url debe ser una URL de Redis ('redis://host:6379/0'), 'sqlite:///ruta/archivo.db' o "
        "la ruta de un archivo; se recibió {got}",
    },
    "config.empty_string": {"en": "an empty string", "es": "un texto vacío"},
    "config.sqlite_file": {
        "en": "a sqlite shared_url names a file: 'sqlite:///var/lib/app/siigo.db'",
        "es": "un shared_url sqlite nombra un archivo: 'sqlite:///var/lib/app/siigo.db'",
    },
    "config.shared_scheme": {
        "en": "shared_url scheme {scheme} is not supported: use redis://, rediss://, unix://, sqlite:/// "
        "or a file path",
        "es": "el esquema {scheme} de shared_url no se admite: use redis://, rediss://, unix://, "
        "sqlite:/// o la ruta de un archivo",
    },
    "config.no_token": {
        "en": "no access token: pass username and access_key (or set SIIGO_USERNAME and SIIGO_ACCESS_KEY), "
        "or pass token=...",
        "es": "no hay token de acceso: pase username y access_key (o defina SIIGO_USERNAME y "
        "SIIGO_ACCESS_KEY), o pase token=...",
    },
    "config.token_not_empty": {
        "en": "an access token must be a non-empty string, got {type}",
        "es": "un token de acceso debe ser un texto no vacío; se recibió {type}",
    },
    "config.token_unusable": {
        "en": "an access token is printable ASCII without spaces or line breaks (this one has {length} "
        "characters and is not)",
        "es": "un token de acceso es texto ASCII imprimible sin espacios ni saltos de línea (este tiene "
        "{length} caracteres y no lo es)",
    },
    "config.expires_in": {
        "en": "expires_in must be a finite number of seconds, got {value}",
        "es": "expires_in debe ser un número finito de segundos; se recibió {value}",
    },
    "config.token_type": {
        "en": "an access token must be a string, got {type}",
        "es": "un token de acceso debe ser un texto; se recibió {type}",
    },
    "config.token_empty": {"en": "the access token is empty", "es": "el token de acceso está vacío"},
    "config.log_level": {
        "en": "SIIGO_LOG must be one of {levels}, got {value}",
        "es": "SIIGO_LOG debe ser uno de {levels}; se recibió {value}",
    },
    "config.cannot_send": {
        "en": "cannot send {method} {path}: {kind}: {reason}",
        "es": "no se puede enviar {method} {path}: {kind}: {reason}",
    },
    "config.cannot_build": {
        "en": "cannot build the request {method} {path}: {kind}: {reason}",
        "es": "no se puede armar la solicitud {method} {path}: {kind}: {reason}",
    },
    "config.generate_token": {
        "en": "generate_token() needs the email (username) and access_key",
        "es": "generate_token() necesita el email (username) y el access_key",
    },
    "config.set_token": {
        "en": "set_token() needs the access token, a non-empty string",
        "es": "set_token() necesita el token de acceso, un texto no vacío",
    },
    "config.language": {
        "en": "language must be 'en' or 'es', got {value}",
        "es": "language debe ser 'en' o 'es'; se recibió {value}",
    },
}
"""Every local refusal's text, by message id, in English and Spanish."""


_KINDS_ES: dict[str, tuple[str, str]] = {  # by the kind's English name (siigo.kinds)
    "sales invoice": ("factura de venta", "las facturas de venta"),
    "credit note": ("nota crédito", "las notas crédito"),
    "quotation": ("cotización", "las cotizaciones"),
    "purchase": ("factura de compra", "las facturas de compra"),
    "purchase support document": ("documento soporte", "los documentos soporte"),
    "cash receipt": ("recibo de caja", "los recibos de caja"),
    "payment receipt": ("recibo de pago", "los recibos de pago"),
    "journal": ("comprobante contable", "los comprobantes contables"),
}


def kind_term(kind: Any, *, plural: bool = False) -> Term:
    """A document kind's name (:class:`siigo.kinds.Kind`) in both languages; the Spanish plural
    carries its article (``"las facturas de venta"``)."""
    one, many = _KINDS_ES.get(kind.name, (kind.label.lower(), kind.label.lower()))
    return Term(f"{kind.name}s", many) if plural else Term(kind.name, one)


def joined(items: Sequence[str]) -> Term:
    """``items`` joined with "and" / "y"."""
    return Term(" and ".join(items), " y ".join(items))


def either(items: Sequence[str]) -> Term:
    """``items`` joined with "or" / "o"."""
    return Term(" or ".join(items), " o ".join(items))
