"""Messages in English and Spanish: the summary of every error class, a hint for every Siigo
error code, and the command line's own text.

>>> from siigo import messages
>>> messages.hint("document_settings", "es")
'Revise la configuración del tipo de documento ...'

The catalog is keyed by message id (or error code) and holds one template per language; a test
fails when an id exists in one language only, or when the two templates of an id take different
``{placeholders}``.  What is translated: the one-line summary of an error (its class, its Siigo
code and the field named), the hint that says what to fix, every line the ``siigo`` command
writes, and the detail of every local refusal (:data:`REFUSALS`, kept in :mod:`siigo._refusals`:
each refusal carries its message id and arguments, so :func:`explain` and :func:`describe` show
it in the language asked for).  What is not: the detailed ``message`` of an error Siigo sent,
which is Siigo's own (Siigo answers in English); :func:`explain` shows it as it came.

The Siigo Nube menus named in the hints are those of Siigo Nube's Spanish interface (the only one
it has), so they are given in Spanish in both languages.  They were written from Siigo's help
pages and could not be checked against the live product: menus move between Siigo Nube releases,
so every hint names its menu as where the setting *usually* is ("usually under ..." /
"por lo general en ...").
"""

from __future__ import annotations

import locale
import os
import string
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from ._refusals import REFUSALS, refusal
from .errors import (
    APIConnectionError,
    APIError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    ConfigurationError,
    ConflictError,
    ErrorDetail,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    ServerError,
    SiigoError,
    ValidationError,
)

__all__ = [
    "CODES",
    "LANGUAGES",
    "REFUSALS",
    "TEXTS",
    "CodeHelp",
    "Language",
    "check_language",
    "describe",
    "explain",
    "hint",
    "resolve_language",
    "text",
]

Language = Literal["en", "es"]
LANGUAGES: tuple[Language, ...] = ("en", "es")

DOC_URL = "https://developer.siigo.com/introduction/codigos-de-error/"
"""Siigo's page per error code (the ``Detail`` of its error envelope points there)."""


@dataclass(frozen=True)
class CodeHelp:
    """What to do about one Siigo error code.

    ``menu`` is the Siigo Nube menu where the fix is *usually* made when it is a company
    setting: taken from Siigo's help pages, not checked against the live product (menus move
    between releases), so it is always shown as "usually under ..." and never as a fact;
    ``documented`` is true for the codes of Siigo's published list, which have a page at
    :attr:`url`.
    """

    code: str
    en: str
    es: str
    menu: str | None = None
    documented: bool = True

    @property
    def url(self) -> str | None:
        return DOC_URL + self.code if self.documented else None

    def text(self, language: Language) -> str:
        return self.es if language == "es" else self.en


_DOCS = "Configuración > Documentos"


def _codes(*entries: CodeHelp) -> dict[str, CodeHelp]:
    return {entry.code: entry for entry in entries}


CODES: dict[str, CodeHelp] = _codes(
    CodeHelp(
        "already_exists",
        "A record with this unique key already exists (product code, customer identification and "
        "branch office, group code): use another one, or update the existing record.",
        "Ya existe un registro con esa clave única (código de producto, identificación y sucursal "
        "del cliente, código de grupo): use otra, o actualice el registro existente.",
    ),
    CodeHelp(
        "disabled_functionality",
        "Siigo has switched this operation off for the company (deleting customers often is); do "
        "it in Siigo Nube or ask Siigo's support.",
        "Siigo tiene desactivada esta operación para la empresa (borrar clientes suele estarlo); "
        "hágala en Siigo Nube o consulte al soporte de Siigo.",
    ),
    CodeHelp(
        "company_settings",
        "The request uses a company feature that is off (foreign currency, tax data): enable it "
        "in the company's settings.",
        "La solicitud usa una función de la empresa que está apagada (moneda extranjera, datos "
        "tributarios): actívela en la configuración de la empresa.",
        menu="Configuración > Empresa",
    ),
    CodeHelp(
        "customer_settings",
        "The customer has no contacts; add at least one contact with an e-mail to the customer.",
        "El tercero no tiene contactos; agréguele al menos un contacto con correo electrónico.",
        menu="Ventas > Clientes (contactos del tercero)",
    ),
    CodeHelp(
        "delete_not_allowed",
        "The record has movements or other documents refer to it: remove those first, or mark it "
        "inactive instead.",
        "El registro tiene movimientos o lo usan otros documentos: elimínelos primero, o "
        "márquelo como inactivo.",
    ),
    CodeHelp(
        "blocked_transactions",
        "The document date is on or before the company's transaction lock date: use a later date "
        "or move the lock date.",
        "La fecha del documento es igual o anterior a la fecha de bloqueo de transacciones: use "
        "una fecha posterior o cambie la fecha de bloqueo.",
        menu="Configuración > Empresa > Bloqueo de transacciones",
    ),
    CodeHelp(
        "documents_service",
        "Siigo's documents service is unavailable: try again in a few minutes.",
        "El servicio de documentos de Siigo no está disponible: intente de nuevo en unos minutos.",
    ),
    CodeHelp(
        "document_settings",
        "The document type's configuration does not allow this (seller per item, cost center, "
        "automatic numbering, discount type, decimals; an electronic type needs a valid DIAN "
        "numbering resolution): check the document type.",
        "La configuración del tipo de documento no lo permite (vendedor por ítem, centro de costo, "
        "numeración automática, tipo de descuento, decimales; un tipo electrónico necesita una "
        "resolución de numeración DIAN vigente): revise el tipo de documento.",
        menu=f"{_DOCS} > (el tipo de documento) > Resolución DIAN y numeración",
    ),
    CodeHelp(
        "duplicated_document",
        "The same document already exists (a repeated number): send another number, or retry "
        "with the same Idempotency-Key to get the document created before.",
        "El documento ya existe (número repetido): envíe otro número, o reintente con la misma "
        "Idempotency-Key para obtener el documento creado antes.",
    ),
    CodeHelp(
        "header_required",
        "A required header is missing (usually Partner-Id): set partner_id or SIIGO_PARTNER_ID.",
        "Falta un encabezado obligatorio (por lo general Partner-Id): defina partner_id o SIIGO_PARTNER_ID.",
    ),
    CodeHelp(
        "invalid_array",
        "A list is not valid (too many contacts, taxes or items, a name that is not [first, last] "
        "or [company], a tax repeated, a payment type of the other side): fix the list named.",
        "Una lista no es válida (demasiados contactos, impuestos o ítems, un nombre que no es "
        "[nombres, apellidos] o [razón social], un impuesto repetido, una forma de pago del otro "
        "lado): corrija la lista indicada.",
    ),
    CodeHelp(
        "invalid_amount",
        "An amount is not positive, is too large or has too many decimals (prices 6, other "
        "amounts 2), or pays more than a due's balance.",
        "Un valor no es positivo, es demasiado grande o tiene demasiados decimales (precios 6, "
        "otros valores 2), o paga más que el saldo de una cuota.",
    ),
    CodeHelp(
        "invalid_code",
        "A code has spaces or a single quote: remove them.",
        "Un código tiene espacios o comilla simple: quítelos.",
    ),
    CodeHelp(
        "invalid_cost_center",
        "The cost center does not exist: use an id of GET /v1/cost-centers (siigo cost-centers list).",
        "El centro de costo no existe: use un id de GET /v1/cost-centers (siigo cost-centers list).",
        menu="Configuración > Centros de costo",
    ),
    CodeHelp(
        "invalid_currency",
        "The currency is not needed or not enabled (leave it out for COP; on credit notes use the "
        "invoice's currency).",
        "La moneda no se necesita o no está habilitada (no la envíe para COP; en notas crédito use "
        "la moneda de la factura).",
        menu="Configuración > Empresa > Moneda extranjera",
    ),
    CodeHelp(
        "invalid_date",
        "The date has another format (yyyy-MM-dd) or is not allowed: electronic documents cannot "
        "be dated before today.",
        "La fecha tiene otro formato (yyyy-MM-dd) o no se permite: los documentos electrónicos no "
        "pueden tener fecha anterior a hoy.",
    ),
    CodeHelp(
        "invalid_description",
        "The description has characters Siigo does not accept: keep to letters, digits, spaces and "
        "common punctuation.",
        "La descripción tiene caracteres que Siigo no acepta: use letras, números, espacios y "
        "signos de puntuación comunes.",
    ),
    CodeHelp(
        "invalid_document",
        "document.id is not a document type of this kind (e.g. an FV type for a sales invoice): "
        "pick one from the document types of that kind.",
        "document.id no es un tipo de documento de esta clase (p. ej. un tipo FV para una factura "
        "de venta): elija uno de los tipos de documento de esa clase.",
        menu=_DOCS,
    ),
    CodeHelp(
        "invalid_email",
        "An e-mail address is not valid: correct it.",
        "Un correo electrónico no es válido: corríjalo.",
    ),
    CodeHelp(
        "invalid_identification",
        "The identification must be 3 or more letters or digits, with hyphens only inside.",
        "La identificación debe tener 3 o más letras o dígitos, con guiones solo en medio.",
    ),
    CodeHelp(
        "invalid_idempotency_key",
        "The Idempotency-Key must be 1 to 30 letters and digits (no hyphens).",
        "La Idempotency-Key debe tener de 1 a 30 letras y dígitos (sin guiones).",
    ),
    CodeHelp(
        "invalid_name",
        "The name has characters Siigo does not accept, or is empty.",
        "El nombre tiene caracteres que Siigo no acepta, o está vacío.",
    ),
    CodeHelp(
        "invalid_payment",
        "The payment type is not one of this document kind: use a payment type of this kind, or "
        "enable it for the kind.",
        "La forma de pago no es de esta clase de documento: use una forma de pago de esta clase, "
        "o habilítela para ella.",
        menu="Configuración > Formas de pago",
    ),
    CodeHelp(
        "invalid_partner_id",
        "Partner-Id must be 3 to 100 letters and digits (no spaces, hyphens or underscores).",
        "Partner-Id debe tener de 3 a 100 letras y dígitos (sin espacios, guiones ni guiones bajos).",
    ),
    CodeHelp(
        "payment_types_service",
        "Siigo's payment types service is unavailable: try again later.",
        "El servicio de formas de pago de Siigo no está disponible: intente más tarde.",
    ),
    CodeHelp(
        "invalid_range",
        "A value is outside its allowed range.",
        "Un valor está fuera de su rango permitido.",
    ),
    CodeHelp(
        "invalid_reference",
        "An id or code refers to nothing in the company (a tax, seller, product, customer or "
        "document type): list the catalog and use one of its ids.",
        "Un id o código no corresponde a nada de la empresa (impuesto, vendedor, producto, "
        "cliente o tipo de documento): liste el catálogo y use uno de sus ids.",
    ),
    CodeHelp(
        "invalid_total_payments",
        "The payments do not add up to the total Siigo computes: run 'siigo <kind> check FILE' "
        "with the document's command (invoices, credit-notes, purchases...) to see the amount "
        "they must add up to.",
        "Los pagos no suman el total que calcula Siigo: ejecute 'siigo <clase> check ARCHIVO' "
        "con el comando del documento (invoices, credit-notes, purchases...) para ver el valor "
        "que deben sumar.",
    ),
    CodeHelp(
        "invalid_retentions",
        "The document type's tax settings do not allow this withholding (ReteIVA, ReteICA, "
        "autorretención): remove it or enable it for the document type.",
        "La configuración de impuestos del tipo de documento no permite esta retención (ReteIVA, "
        "ReteICA, autorretención): quítela o habilítela en el tipo de documento.",
        menu=f"{_DOCS} > (el tipo de documento) > Impuestos y retenciones",
    ),
    CodeHelp(
        "invalid_type",
        "A field has the wrong JSON type (text for a number, a list for an object).",
        "Un campo tiene el tipo JSON equivocado (texto en lugar de número, lista en lugar de objeto).",
    ),
    CodeHelp(
        "busy",
        "The webhook receiver has too many events waiting for its handler: the sender should retry "
        "later (a larger queue_size or a faster handler helps).",
        "El receptor de webhooks tiene demasiados eventos esperando a su manejador: el remitente "
        "debe reintentar más tarde (un queue_size mayor o un manejador más rápido ayudan).",
        documented=False,
    ),
    CodeHelp(
        "companies_limit",
        "The sandbox already holds its maximum of companies (max_companies): reset it or start it "
        "with a larger limit.",
        "El sandbox ya tiene su máximo de empresas (max_companies): reinícielo o inícielo con un "
        "límite mayor.",
        documented=False,
    ),
    CodeHelp(
        "too_many_results",
        "A page of the answer held more results than Siigo ever sends in one page (100): the "
        "server is not behaving like Siigo, so the page was refused before reading it.",
        "Una página de la respuesta traía más resultados de los que Siigo envía en una página "
        "(100): el servidor no se comporta como Siigo, así que la página se rechazó sin leerla.",
        documented=False,
    ),
    CodeHelp(
        "invalid_url",
        "A URL is malformed: give an absolute http(s) URL.",
        "Una URL está mal formada: use una URL http(s) completa.",
    ),
    CodeHelp(
        "update_not_allowed",
        "This field cannot change any more (a product's account group once it has movements).",
        "Este campo ya no puede cambiar (el grupo de inventario de un producto con movimientos).",
    ),
    CodeHelp(
        "invalid_value",
        "A value is not valid (quantity, number, due, or one of a closed list of options).",
        "Un valor no es válido (cantidad, número, cuota, o una opción de una lista cerrada).",
    ),
    CodeHelp(
        "length_max",
        "A field is longer than allowed (the limit is in the message).",
        "Un campo es más largo de lo permitido (el límite está en el mensaje).",
    ),
    CodeHelp(
        "length_min",
        "A field is shorter than allowed.",
        "Un campo es más corto de lo permitido.",
    ),
    CodeHelp(
        "not_found",
        "It does not exist (or this company cannot see it): check the id.",
        "No existe (o esta empresa no puede verlo): revise el id.",
    ),
    CodeHelp(
        "parameter_empty",
        "A field was sent empty (unit, fiscal responsibilities): give a value or leave it out.",
        "Un campo se envió vacío (unidad, responsabilidades fiscales): dé un valor o no lo envíe.",
    ),
    CodeHelp(
        "parameter_inactive",
        "The catalog entry used is inactive (seller, payment type, tax, price list): activate it "
        "or use an active one.",
        "El elemento del catálogo usado está inactivo (vendedor, forma de pago, impuesto, lista "
        "de precios): actívelo o use uno activo.",
        menu="Configuración (catálogo correspondiente: Usuarios y vendedores, Formas de pago, Impuestos)",
    ),
    CodeHelp(
        "parameter_required",
        "A required field or query parameter is missing: add it.",
        "Falta un campo o parámetro obligatorio: agréguelo.",
    ),
    CodeHelp(
        "parameters_exclusive",
        "Two fields that cannot go together were sent: keep one.",
        "Se enviaron dos campos que no pueden ir juntos: deje uno.",
    ),
    CodeHelp(
        "invalid_plan_type",
        "The company's Siigo plan does not allow this: check the plan.",
        "El plan de Siigo de la empresa no lo permite: revise el plan.",
        menu="Mi cuenta > Plan",
    ),
    CodeHelp(
        "invalid_account",
        "The ledger account does not exist or cannot be used here.",
        "La cuenta contable no existe o no puede usarse aquí.",
        menu="Configuración > Contabilidad > Plan de cuentas",
    ),
    CodeHelp(
        "product_settings",
        "The product has no stock control, so a warehouse cannot be given for it.",
        "El producto no maneja inventario, así que no se le puede dar bodega.",
        menu="Inventario > Productos",
    ),
    CodeHelp(
        "requests_limit",
        "Too many requests (10 a minute for a test company, 100 for production): wait and retry.",
        "Demasiadas solicitudes (10 por minuto en una empresa de pruebas, 100 en producción): "
        "espere y reintente.",
    ),
    CodeHelp(
        "unauthorized",
        "The credentials or the token were refused: check the API user and access key.",
        "Se rechazaron las credenciales o el token: revise el usuario API y la access key.",
        menu="Alianzas > Mi credencial API",
    ),
    CodeHelp(
        "unhandled_error",
        "Siigo failed on its side: retry later; if it persists, write to soporteapi@siigo.com.",
        "Siigo falló de su lado: reintente más tarde; si persiste, escriba a soporteapi@siigo.com.",
    ),
    CodeHelp(
        "request_timeout",
        "Siigo did not finish in time: retry in a few seconds (documents with the same Idempotency-Key).",
        "Siigo no terminó a tiempo: reintente en unos segundos (los documentos con la misma "
        "Idempotency-Key).",
    ),
    CodeHelp(
        "service_unavailable",
        "Siigo is overloaded or in maintenance: retry in a few seconds.",
        "Siigo está sobrecargado o en mantenimiento: reintente en unos segundos.",
    ),
    CodeHelp(
        "warehouse_settings",
        "Warehouse management is off for the company: leave the warehouse out, or turn it on.",
        "El manejo de bodegas está apagado en la empresa: no envíe la bodega, o actívelo.",
        menu="Configuración > Inventario > Bodegas",
    ),
    CodeHelp(
        "invalid_balance",
        "Debits and credits do not balance: make them equal.",
        "Los débitos y créditos no cuadran: iguálelos.",
    ),
    CodeHelp(
        "values_limit",
        "A value passes its allowed limit.",
        "Un valor supera su límite permitido.",
    ),
    CodeHelp(
        "invalid_date_range",
        "A date range is backwards: the start must not be after the end.",
        "Un rango de fechas está al revés: el inicio no puede ser posterior al fin.",
    ),
    CodeHelp(
        "date_settings",
        "The company's settings do not allow this document date.",
        "La configuración de la empresa no permite esta fecha de documento.",
        menu="Configuración > Empresa",
    ),
    CodeHelp(
        "parameter_not_allowed",
        "A value is not allowed here (a VAT-free item outside a VAT-free day, a tax of the wrong "
        "kind for the field).",
        "Un valor no se permite aquí (un ítem exento fuera de un día sin IVA, un impuesto de otra "
        "clase para el campo).",
    ),
    CodeHelp(
        "non_editable",
        "The document cannot be edited any more (sent to or accepted by DIAN): issue a credit note instead.",
        "El documento ya no se puede editar (enviado o aceptado por la DIAN): emita una nota crédito.",
    ),
    CodeHelp(
        "entry_service",
        "Siigo's accounting entry service cannot complete the request now: retry later.",
        "El servicio de asientos contables de Siigo no puede completar la solicitud ahora: "
        "reintente más tarde.",
    ),
    CodeHelp(
        "general_service",
        "A Siigo service is unavailable: retry in a few minutes.",
        "Un servicio de Siigo no está disponible: reintente en unos minutos.",
    ),
    CodeHelp(
        "invalid_parameter",
        "A field is not part of this request: check its name (the SDK refuses unknown fields).",
        "Un campo no pertenece a esta solicitud: revise su nombre (el SDK rechaza campos desconocidos).",
        documented=False,
    ),
    CodeHelp(
        "method_not_allowed",
        "The route exists, but not with this HTTP method.",
        "La ruta existe, pero no con este método HTTP.",
        documented=False,
    ),
    CodeHelp(
        "unsupported_media_type",
        "The body must be JSON (Content-Type: application/json).",
        "El cuerpo debe ser JSON (Content-Type: application/json).",
        documented=False,
    ),
)
"""A hint per Siigo error code (siigo-api.md E.3), plus the codes the SDK and the sandbox add
(``documented=False``)."""


TEXTS: dict[str, dict[Language, str]] = {
    # -- error classes: the first words of an error's one-line summary
    "error.ValidationError": {
        "en": "Refused locally, nothing was sent",
        "es": "Rechazado localmente, no se envió nada",
    },
    "error.ConfigurationError": {"en": "Configuration error", "es": "Error de configuración"},
    "error.BadRequestError": {"en": "Siigo refused the request", "es": "Siigo rechazó la solicitud"},
    "error.AuthenticationError": {
        "en": "Siigo refused the credentials",
        "es": "Siigo rechazó las credenciales",
    },
    "error.PermissionDeniedError": {
        "en": "Siigo does not allow this operation",
        "es": "Siigo no permite esta operación",
    },
    "error.NotFoundError": {"en": "Not found", "es": "No encontrado"},
    "error.ConflictError": {
        "en": "The request conflicts with the current state",
        "es": "La solicitud choca con el estado actual",
    },
    "error.RateLimitError": {"en": "Too many requests", "es": "Demasiadas solicitudes"},
    "error.ServerError": {"en": "Siigo failed to answer", "es": "Siigo no pudo responder"},
    "error.APIError": {"en": "Siigo answered with an error", "es": "Siigo respondió con un error"},
    "error.APITimeoutError": {"en": "No answer in time", "es": "Sin respuesta a tiempo"},
    "error.APIConnectionError": {"en": "Could not reach Siigo", "es": "No se pudo contactar a Siigo"},
    "error.SiigoError": {"en": "Error", "es": "Error"},
    "error.field": {"en": "field {field}", "es": "campo {field}"},
    "error.status": {"en": "HTTP {status}", "es": "HTTP {status}"},
    "error.request_id": {"en": "request id {request_id}", "es": "id de solicitud {request_id}"},
    "error.idempotency_key": {
        "en": "idempotency key {key} (retry with it to avoid a duplicate)",
        "es": "clave de idempotencia {key} (reintente con ella para no duplicar)",
    },
    "error.menu": {
        "en": "In Siigo Nube this is usually under {menu} (menu not verified against the live product)",
        "es": "En Siigo Nube esto suele estar en {menu} (menú sin verificar en el producto en vivo)",
    },
    "error.doc": {"en": "Siigo's page: {url}", "es": "Página de Siigo: {url}"},
    "error.detail": {"en": "Detail: {message}", "es": "Detalle: {message}"},
    "error.more": {"en": "(and {count} more)", "es": "(y {count} más)"},
    # -- the command line
    "cli.needs_click": {
        "en": "the siigo command needs its extra: pip install 'siigo-python[cli]'",
        "es": "el comando siigo necesita su extra: pip install 'siigo-python[cli]'",
    },
    "cli.needs_sandbox": {
        "en": "the sandbox needs werkzeug: pip install 'siigo-python[sandbox]'",
        "es": "el sandbox necesita werkzeug: pip install 'siigo-python[sandbox]'",
    },
    "cli.help": {
        "en": "Look up, export and check Siigo Nube data from the command line.",
        "es": "Consulte, exporte y valide datos de Siigo Nube desde la línea de comandos.",
    },
    "cli.opt.profile": {
        "en": "named profile of the config file",
        "es": "perfil con nombre del archivo de configuración",
    },
    "cli.opt.sandbox": {
        "en": "run against an embedded local sandbox (no credentials needed)",
        "es": "usar un sandbox local embebido (no necesita credenciales)",
    },
    "cli.opt.lang": {
        "en": "language of messages (default: SIIGO_LANG or the system locale)",
        "es": "idioma de los mensajes (por defecto: SIIGO_LANG o el idioma del sistema)",
    },
    "cli.opt.verbose": {
        "en": "show the full detail of errors",
        "es": "mostrar el detalle completo de los errores",
    },
    "cli.opt.format": {
        "en": "output format (default: table on a terminal, json otherwise)",
        "es": "formato de salida (por defecto: tabla en una terminal, json si no)",
    },
    "cli.opt.columns": {
        "en": "columns for table and csv, comma-separated (dotted for nested fields)",
        "es": "columnas para tabla y csv, separadas por comas (con punto para campos anidados)",
    },
    "cli.opt.all": {
        "en": "walk every page (progress on stderr)",
        "es": "recorrer todas las páginas (progreso en stderr)",
    },
    "cli.opt.limit": {"en": "stop after this many rows", "es": "parar después de estas filas"},
    "cli.opt.quiet": {"en": "no progress on stderr", "es": "sin progreso en stderr"},
    "cli.opt.output": {"en": "write to this file", "es": "escribir en este archivo"},
    "cli.opt.filter": {"en": "filter {name} (see the SDK)", "es": "filtro {name} (vea el SDK)"},
    "cli.opt.param": {"en": "{name} (see the SDK)", "es": "{name} (vea el SDK)"},
    "cli.resource.help": {
        "en": "{resource}: {verbs}",
        "es": "{resource}: {verbs}",
    },
    "cli.list.help": {"en": "List {resource}.", "es": "Listar {resource}."},
    "cli.get.help": {
        "en": "Show one of {resource} by id.",
        "es": "Mostrar un registro de {resource} por id.",
    },
    "cli.create.help": {
        "en": "Create one of {resource} from a JSON file (- for stdin).",
        "es": "Crear un registro de {resource} desde un archivo JSON (- para stdin).",
    },
    "cli.update.help": {
        "en": "Replace one of {resource} with a JSON file (- for stdin).",
        "es": "Reemplazar un registro de {resource} con un archivo JSON (- para stdin).",
    },
    "cli.delete.help": {"en": "Delete one of {resource}.", "es": "Eliminar un registro de {resource}."},
    "cli.action.help": {
        "en": "{action} one of {resource} (client.{attr}.{method} of the SDK).",
        "es": "{action} un registro de {resource} (client.{attr}.{method} del SDK).",
    },
    "cli.action.annul.help": {
        "en": "Annul one of {resource} (it stays, marked annulled).",
        "es": "Anular un registro de {resource} (queda, marcado como anulado).",
    },
    "cli.action.pdf.help": {
        "en": "Save the PDF of one of {resource} (-o FILE).",
        "es": "Guardar el PDF de un registro de {resource} (-o ARCHIVO).",
    },
    "cli.action.xml.help": {
        "en": "Save the DIAN XML of one of {resource} (-o FILE).",
        "es": "Guardar el XML DIAN de un registro de {resource} (-o ARCHIVO).",
    },
    "cli.action.send_email.help": {
        "en": "E-mail one of {resource} to --mail-to (and --copy-to).",
        "es": "Enviar por correo un registro de {resource} a --mail-to (y --copy-to).",
    },
    "cli.action.stamp.help": {
        "en": "Send one of {resource} to DIAN and e-mail it (its stamp and mail).",
        "es": "Enviar a la DIAN un registro de {resource} y enviarlo por correo (su estado DIAN y su correo).",
    },
    "cli.action.stamp_errors.help": {
        "en": "Why DIAN rejected one of {resource}.",
        "es": "Por qué la DIAN rechazó un registro de {resource}.",
    },
    "cli.action.wait_for_stamp.help": {
        "en": "Wait for DIAN's answer on one of {resource} (seconds on stderr).",
        "es": "Esperar la respuesta de la DIAN sobre un registro de {resource} (segundos en stderr).",
    },
    "cli.no_company": {
        "en": "no company configured: set SIIGO_USERNAME, SIIGO_ACCESS_KEY and SIIGO_PARTNER_ID, "
        "use --profile NAME (see siigo profiles add), or try --sandbox",
        "es": "no hay empresa configurada: defina SIIGO_USERNAME, SIIGO_ACCESS_KEY y SIIGO_PARTNER_ID, "
        "use --profile NOMBRE (vea siigo profiles add), o pruebe --sandbox",
    },
    "cli.check.help": {
        "en": "Check a draft document locally and show Siigo's totals; nothing is sent.",
        "es": "Validar localmente un borrador y mostrar los totales de Siigo; no se envía nada.",
    },
    "cli.sandbox.help": {
        "en": "Run the local Siigo sandbox (see 'siigo sandbox --help').",
        "es": "Ejecutar el sandbox local de Siigo (vea 'siigo sandbox --help').",
    },
    "cli.profiles.help": {
        "en": "Named profiles of the config file.",
        "es": "Perfiles con nombre del archivo de configuración.",
    },
    "cli.profiles.list.help": {
        "en": "List the profiles (never their access keys).",
        "es": "Listar los perfiles (nunca sus access keys).",
    },
    "cli.profiles.add.help": {
        "en": "Add or replace a profile.",
        "es": "Agregar o reemplazar un perfil.",
    },
    "cli.profiles.remove.help": {"en": "Remove a profile.", "es": "Eliminar un perfil."},
    "cli.profiles.path.help": {
        "en": "Print where the config file is.",
        "es": "Mostrar dónde está el archivo de configuración.",
    },
    "cli.opt.username": {"en": "the API user (Usuario API)", "es": "el usuario API"},
    "cli.opt.partner_id": {"en": "your integration's Partner-Id", "es": "el Partner-Id de su integración"},
    "cli.opt.base_url": {"en": "API URL (default Siigo's)", "es": "URL de la API (por defecto la de Siigo)"},
    "cli.opt.access_key_env": {
        "en": "name of the environment variable holding the access key (nothing stored)",
        "es": "nombre de la variable de entorno que tiene la access key (no se guarda nada)",
    },
    "cli.opt.store_access_key": {
        "en": "ask for the access key and store it in the file, in plain text",
        "es": "pedir la access key y guardarla en el archivo, en texto plano",
    },
    "cli.prompt.access_key": {"en": "Access key", "es": "Access key"},
    "cli.profiles.plain_text_warning": {
        "en": "the access key is stored in plain text in {path} (readable only by you); "
        "prefer --access-key-env",
        "es": "la access key queda en texto plano en {path} (solo usted puede leerla); "
        "mejor use --access-key-env",
    },
    "cli.profiles.saved": {"en": "profile {name} saved in {path}", "es": "perfil {name} guardado en {path}"},
    "cli.profiles.removed": {"en": "profile {name} removed", "es": "perfil {name} eliminado"},
    "cli.profiles.none": {
        "en": "no profiles in {path}",
        "es": "no hay perfiles en {path}",
    },
    "cli.profiles.key_env": {"en": "key from ${var}", "es": "clave de ${var}"},
    "cli.profiles.key_stored": {"en": "key stored in the file", "es": "clave guardada en el archivo"},
    "cli.profiles.key_none": {"en": "no key", "es": "sin clave"},
    "cli.profiles.unknown": {
        "en": "no profile {name} in {path} (add it with: siigo profiles add {name} ...)",
        "es": "no existe el perfil {name} en {path} (agréguelo con: siigo profiles add {name} ...)",
    },
    "cli.profiles.bad_file": {
        "en": "cannot read the config file {path}: {reason}",
        "es": "no se puede leer el archivo de configuración {path}: {reason}",
    },
    "cli.profiles.env_missing": {
        "en": "profile {name} reads the access key from ${var}, which is not set",
        "es": "el perfil {name} lee la access key de ${var}, que no está definida",
    },
    "cli.bad_json": {
        "en": "{path} is not valid JSON: {reason}",
        "es": "{path} no es JSON válido: {reason}",
    },
    "cli.not_object": {
        "en": "{path} must hold one JSON object",
        "es": "{path} debe contener un objeto JSON",
    },
    "cli.cannot_read": {"en": "cannot read {path}: {reason}", "es": "no se puede leer {path}: {reason}"},
    "cli.cannot_write": {
        "en": "cannot write {path}: {reason}",
        "es": "no se puede escribir {path}: {reason}",
    },
    "cli.binary_to_terminal": {
        "en": "this is a binary file: give -o FILE (or redirect stdout)",
        "es": "es un archivo binario: indique -o ARCHIVO (o redirija stdout)",
    },
    "cli.saved_file": {"en": "wrote {size} bytes to {path}", "es": "se escribieron {size} bytes en {path}"},
    "cli.progress": {
        "en": "{resource}: {done} of {total} (page {page})",
        "es": "{resource}: {done} de {total} (página {page})",
    },
    "cli.progress_done": {
        "en": "{resource}: {done} rows in {pages} pages",
        "es": "{resource}: {done} filas en {pages} páginas",
    },
    "cli.waiting": {
        "en": "waiting for DIAN's answer... {seconds} s",
        "es": "esperando la respuesta de la DIAN... {seconds} s",
    },
    "cli.interrupted": {"en": "interrupted", "es": "interrumpido"},
    "cli.unexpected": {
        "en": "unexpected error {kind}: {reason} (run with --verbose and report it)",
        "es": "error inesperado {kind}: {reason} (ejecute con --verbose y repórtelo)",
    },
    "cli.offline": {
        "en": "no company configured: checking against the sandbox's demo catalogs",
        "es": "no hay empresa configurada: se valida contra los catálogos de demostración del sandbox",
    },
    "cli.check.line": {
        "en": "line {n}: {code}  base {base}  taxes {taxes}  total {total}",
        "es": "línea {n}: {code}  base {base}  impuestos {taxes}  total {total}",
    },
    "cli.check.tax": {
        "en": "    {name} {percentage}% on {base}: {value}",
        "es": "    {name} {percentage}% sobre {base}: {value}",
    },
    "cli.check.subtotal": {"en": "subtotal {value}", "es": "subtotal {value}"},
    "cli.check.tax_total": {"en": "taxes {value}", "es": "impuestos {value}"},
    "cli.check.total": {"en": "total {value}", "es": "total {value}"},
    "cli.check.retention": {
        "en": "withholding {name} {percentage}% on {base}: {value}",
        "es": "retención {name} {percentage}% sobre {base}: {value}",
    },
    "cli.check.amount_due": {
        "en": "the payments must add up to {value}",
        "es": "los pagos deben sumar {value}",
    },
    "cli.check.payments": {"en": "the payments add up to {value}", "es": "los pagos suman {value}"},
    "cli.check.undocumented": {
        "en": "not in these totals (Siigo does not document their effect): {parts}",
        "es": "no incluidos en estos totales (Siigo no documenta su efecto): {parts}",
    },
    "cli.check.ok": {
        "en": "Siigo would accept this document",
        "es": "Siigo aceptaría este documento",
    },
    "cli.check.refused": {
        "en": "Siigo would refuse this document; problems found: {count}",
        "es": "Siigo rechazaría este documento; problemas encontrados: {count}",
    },
    "cli.check.problem": {"en": "  - {code} {field}: {hint}", "es": "  - {code} {field}: {hint}"},
    "cli.deleted": {"en": "deleted {id}", "es": "eliminado {id}"},
    "cli.no_rows": {"en": "(no rows)", "es": "(sin filas)"},
    # -- the sandbox inspector (siigo/sandbox/inspector/), read through GET /_sandbox/texts
    "inspector.title": {"en": "Siigo sandbox inspector", "es": "Inspector del sandbox de Siigo"},
    "inspector.heading": {"en": "Siigo sandbox", "es": "Sandbox de Siigo"},
    "inspector.language": {"en": "Language", "es": "Idioma"},
    "inspector.company": {"en": "Company", "es": "Empresa"},
    "inspector.refresh": {"en": "Refresh", "es": "Actualizar"},
    "inspector.reset": {"en": "Reset company", "es": "Reiniciar empresa"},
    "inspector.documents": {"en": "Documents", "es": "Documentos"},
    "inspector.no_company": {
        "en": "No company yet: make a request to the sandbox with any credentials.",
        "es": "Aún no hay empresas: haga una solicitud al sandbox con cualquier credencial.",
    },
    "inspector.customers": {"en": "Customers", "es": "Clientes"},
    "inspector.products": {"en": "Products", "es": "Productos"},
    "inspector.deliveries": {"en": "Webhook deliveries", "es": "Entregas de webhooks"},
    "inspector.outbox": {"en": "E-mails", "es": "Correos enviados"},
    "inspector.faults": {"en": "Faults", "es": "Fallas"},
    "inspector.fault.method": {"en": "Method", "es": "Método"},
    "inspector.fault.any": {"en": "any", "es": "cualquiera"},
    "inspector.fault.path": {"en": "Path (regex)", "es": "Ruta (regex)"},
    "inspector.fault.status": {"en": "Status", "es": "Estado HTTP"},
    "inspector.fault.drop": {"en": "Drop", "es": "Cortar"},
    "inspector.fault.no": {"en": "no", "es": "no"},
    "inspector.fault.before": {"en": "before", "es": "antes"},
    "inspector.fault.after": {"en": "after", "es": "después"},
    "inspector.fault.delay": {"en": "Delay s", "es": "Demora (s)"},
    "inspector.fault.count": {"en": "Count", "es": "Veces"},
    "inspector.fault.always": {"en": "every request", "es": "en cada solicitud"},
    "inspector.fault.add": {"en": "Add fault", "es": "Agregar falla"},
    "inspector.fault.clear": {"en": "Clear all", "es": "Quitar todas"},
    "inspector.journal": {"en": "Request log", "es": "Registro de solicitudes"},
    "inspector.journal.clear": {"en": "Clear", "es": "Limpiar"},
    "inspector.journal.note": {
        "en": "Method, path, status, errors and idempotency key of each request; tokens and access keys are never kept.",
        "es": "Método, ruta, estado, errores y clave de idempotencia de cada solicitud; nunca se guardan tokens ni access keys.",
    },
    "inspector.settings": {"en": "Settings", "es": "Configuración"},
    "inspector.none": {"en": "None yet.", "es": "Todavía no hay registros."},
    "inspector.col.name": {"en": "Name", "es": "Nombre"},
    "inspector.col.date": {"en": "Date", "es": "Fecha"},
    "inspector.col.customer": {"en": "Customer", "es": "Cliente"},
    "inspector.col.total": {"en": "Total", "es": "Total"},
    "inspector.col.balance": {"en": "Balance", "es": "Saldo"},
    "inspector.col.dian": {"en": "DIAN", "es": "DIAN"},
    "inspector.col.mail": {"en": "Mail", "es": "Correo"},
    "inspector.col.pdf": {"en": "PDF", "es": "PDF"},
    "inspector.col.method": {"en": "Method", "es": "Método"},
    "inspector.col.path": {"en": "Path", "es": "Ruta"},
    "inspector.col.effect": {"en": "Effect", "es": "Efecto"},
    "inspector.col.left": {"en": "Left", "es": "Restantes"},
    "inspector.col.hits": {"en": "Hits", "es": "Aplicada"},
    "inspector.col.time": {"en": "Time", "es": "Hora"},
    "inspector.col.status": {"en": "Status", "es": "Estado"},
    "inspector.col.errors": {"en": "Errors", "es": "Errores"},
    "inspector.col.idempotency_key": {"en": "Idempotency key", "es": "Clave de idempotencia"},
    "inspector.col.company": {"en": "Company", "es": "Empresa"},
    "inspector.col.setting": {"en": "Setting", "es": "Opción"},
    "inspector.col.value": {"en": "Value", "es": "Valor"},
    "inspector.col.identification": {"en": "Identification", "es": "Identificación"},
    "inspector.col.branch": {"en": "Branch", "es": "Sucursal"},
    "inspector.col.type": {"en": "Type", "es": "Tipo"},
    "inspector.col.active": {"en": "Active", "es": "Activo"},
    "inspector.col.contacts": {"en": "Contacts", "es": "Contactos"},
    "inspector.col.code": {"en": "Code", "es": "Código"},
    "inspector.col.stock": {"en": "Stock", "es": "Existencias"},
    "inspector.col.when": {"en": "When", "es": "Cuándo"},
    "inspector.col.url": {"en": "URL", "es": "URL"},
    "inspector.col.event": {"en": "Event", "es": "Evento"},
    "inspector.col.sent": {"en": "Sent", "es": "Enviado"},
    "inspector.col.document": {"en": "Document", "es": "Documento"},
    "inspector.col.to": {"en": "To", "es": "Para"},
    "inspector.col.reason": {"en": "Reason", "es": "Motivo"},
    "inspector.annulled": {"en": "{name} (annulled)", "es": "{name} (anulado)"},
    "inspector.stamp.change": {"en": "change…", "es": "cambiar…"},
    "inspector.stamp.set": {"en": "set {status}", "es": "poner {status}"},
    "inspector.stamp.label": {"en": "DIAN status of {name}", "es": "Estado DIAN de {name}"},
    "inspector.stamp.changed": {"en": "{name}: DIAN status {status}", "es": "{name}: estado DIAN {status}"},
    "inspector.kind.count": {"en": "{kind} ({count})", "es": "{kind} ({count})"},
    "inspector.kind.none": {"en": "No {kind} yet.", "es": "Todavía no hay {kind}."},
    "inspector.effect.status": {"en": "status {status}", "es": "estado {status}"},
    "inspector.effect.drop": {"en": "drop {when}", "es": "cortar {when}"},
    "inspector.effect.delay": {"en": "delay {seconds} s", "es": "demora de {seconds} s"},
    "inspector.fault.remove": {"en": "Remove", "es": "Quitar"},
    "inspector.faults.none": {
        "en": "No faults: every request is answered normally.",
        "es": "Sin fallas: cada solicitud se responde normalmente.",
    },
    "inspector.journal.dropped": {"en": "dropped", "es": "cortada"},
    "inspector.journal.fault": {"en": "[fault {id}]", "es": "[falla {id}]"},
    "inspector.journal.none": {"en": "No requests yet.", "es": "Todavía no hay solicitudes."},
    "inspector.deliveries.none": {"en": "No webhook deliveries.", "es": "No hay entregas de webhooks."},
    "inspector.outbox.none": {"en": "No e-mails sent.", "es": "No se han enviado correos."},
    "inspector.status.updated": {"en": "updated {time}", "es": "actualizado a las {time}"},
    "inspector.status.reset": {"en": "{company} reset", "es": "{company} reiniciada"},
    "inspector.status.fault_added": {"en": "fault added", "es": "falla agregada"},
    # -- python -m siigo sandbox
    "sandbox.listening": {
        "en": "Siigo sandbox listening on {url}",
        "es": "Sandbox de Siigo escuchando en {url}",
    },
    "sandbox.export": {
        "en": "  export SIIGO_BASE_URL={url}   (accepts {accepted}; Ctrl+C stops it)",
        "es": "  export SIIGO_BASE_URL={url}   (acepta {accepted}; Ctrl+C lo detiene)",
    },
    "sandbox.inspector": {
        "en": "  inspector: {url}/ in a browser",
        "es": "  inspector: {url}/ en un navegador",
    },
    "sandbox.accepts_given": {"en": "the --credentials given", "es": "las --credentials indicadas"},
    "sandbox.accepts_any": {
        "en": "any username and access key",
        "es": "cualquier usuario y access key",
    },
    "sandbox.seeded": {
        "en": "  demo data: {customers} customers, {products} products, {invoices} invoices for {username}",
        "es": "  datos de demostración: {customers} clientes, {products} productos, {invoices} facturas para {username}",
    },
    "sandbox.state_loaded": {"en": "  state read from {path}", "es": "  estado leído de {path}"},
    "sandbox.state_saved": {"en": "state saved to {path}", "es": "estado guardado en {path}"},
    "sandbox.bad_state": {
        "en": "cannot read the state file {path}: {reason}",
        "es": "no se puede leer el archivo de estado {path}: {reason}",
    },
    "sandbox.bad_credentials": {
        "en": "--credentials takes USERNAME:ACCESS_KEY, got {item}",
        "es": "--credentials recibe USUARIO:ACCESS_KEY, se recibió {item}",
    },
    "sandbox.tls_pair": {
        "en": "--tls-cert and --tls-key go together",
        "es": "--tls-cert y --tls-key van juntas",
    },
    "sandbox.bad_fault": {"en": "--fault {item}: {reason}", "es": "--fault {item}: {reason}"},
    "sandbox.bad_setting": {"en": "--setting {item}: {reason}", "es": "--setting {item}: {reason}"},
    "sandbox.port_taken": {
        "en": "port {port} on {host} is taken by another program: stop it or choose another with --port",
        "es": "el puerto {port} en {host} está ocupado por otro programa: deténgalo o elija otro con --port",
    },
    "sandbox.port_forbidden": {
        "en": "not allowed to listen on port {port} on {host}: choose a port above 1023 with --port",
        "es": "no se permite escuchar en el puerto {port} en {host}: elija un puerto mayor que 1023 con --port",
    },
    "sandbox.bad_host": {
        "en": "cannot listen on {host}: it is not an address of this machine",
        "es": "no se puede escuchar en {host}: no es una dirección de esta máquina",
    },
    "sandbox.cannot_start": {
        "en": "cannot start the sandbox on {host}:{port}: {reason}",
        "es": "no se puede iniciar el sandbox en {host}:{port}: {reason}",
    },
    "sandbox.opt.description": {
        "en": "run the local Siigo sandbox on 127.0.0.1",
        "es": "ejecutar el sandbox local de Siigo en 127.0.0.1",
    },
    "sandbox.opt.port": {
        "en": "port to listen on (default 8765)",
        "es": "puerto donde escuchar (por defecto 8765)",
    },
    "sandbox.opt.host": {
        "en": "address to listen on (default 127.0.0.1, this machine only)",
        "es": "dirección donde escuchar (por defecto 127.0.0.1, solo esta máquina)",
    },
    "sandbox.opt.rate_limit": {
        "en": "requests per minute per company",
        "es": "solicitudes por minuto por empresa",
    },
    "sandbox.opt.credentials": {
        "en": "accept only these credentials",
        "es": "aceptar solo estas credenciales",
    },
    "sandbox.opt.tls_cert": {
        "en": "serve HTTPS with this certificate (with --tls-key)",
        "es": "servir HTTPS con este certificado (con --tls-key)",
    },
    "sandbox.opt.tls_key": {"en": "the certificate's private key", "es": "la clave privada del certificado"},
    "sandbox.opt.seed": {
        "en": "fill the default company with demo customers, products and invoices (default 20)",
        "es": "llenar la empresa por defecto con clientes, productos y facturas de demostración (por defecto 20)",
    },
    "sandbox.opt.state": {
        "en": "read the companies from FILE at start (if it exists) and write them back at exit",
        "es": "leer las empresas de FILE al iniciar (si existe) y escribirlas al salir",
    },
    "sandbox.opt.fault": {
        "en": 'inject a fault, e.g. \'{{"path": "^/v1/invoices$", "status": 503, "count": 2}}\'',
        "es": 'inyectar una falla, p. ej. \'{{"path": "^/v1/invoices$", "status": 503, "count": 2}}\'',
    },
    "sandbox.opt.setting": {
        "en": "a sandbox setting, e.g. stamp_outcome=Rejected or rate_limit=10",
        "es": "una opción del sandbox, p. ej. stamp_outcome=Rejected o rate_limit=10",
    },
    "sandbox.not_a_port": {"en": "{text} is not a port number", "es": "{text} no es un número de puerto"},
    "sandbox.port_range": {
        "en": "{port} is not a port number (0 to 65535; 0 picks a free one)",
        "es": "{port} no es un número de puerto (0 a 65535; 0 elige uno libre)",
    },
}
"""Every other message, by id, in both languages."""


def check_language(value: object) -> Language:
    """``value`` as a language code (``"en"`` or ``"es"``; ``"es_CO.UTF-8"`` reads as ``"es"``);
    :class:`~siigo.errors.ConfigurationError` otherwise."""
    if isinstance(value, str):
        short = value.strip().lower().replace("-", "_").split("_")[0].split(".")[0]
        if short == "es":
            return "es"
        if short == "en":
            return "en"
    wrong = refusal("config.language", value=repr(value))
    raise ConfigurationError(wrong.render("en"), refusal=wrong)


def _system_language(environ: Mapping[str, str]) -> Language:
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = environ.get(name)
        if value:
            return "es" if value.lower().startswith("es") else "en"
    try:
        current = locale.getlocale()[0] or ""
    except ValueError:
        current = ""
    return "es" if current.lower().startswith("es") else "en"


def resolve_language(
    value: str | None = None,
    *,
    environ: Mapping[str, str] | None = None,
    system_default: bool = False,
) -> Language:
    """The language to use: ``value``, else ``SIIGO_LANG``, else the system locale (when
    ``system_default``, as the command line does) or English (as the library does)."""
    env = os.environ if environ is None else environ
    if value:
        return check_language(value)
    if env.get("SIIGO_LANG"):
        return check_language(env["SIIGO_LANG"])
    return _system_language(env) if system_default else "en"


def text(key: str, language: Language, /, **params: object) -> str:
    """The message ``key`` in ``language``, with ``params`` filled in."""
    templates = TEXTS[key]
    return templates.get(language, templates["en"]).format(**params)


def placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def hint(code: str, language: Language = "en") -> str | None:
    """What to do about Siigo error ``code``, in ``language`` (``None`` for an unknown code)."""
    entry = CODES.get(code)
    return entry.text(language) if entry else None


_CLASSES: tuple[type[SiigoError], ...] = (
    ValidationError,
    ConfigurationError,
    BadRequestError,
    AuthenticationError,
    PermissionDeniedError,
    NotFoundError,
    ConflictError,
    RateLimitError,
    ServerError,
    APIError,
    APITimeoutError,
    APIConnectionError,
    SiigoError,
)


def _class_key(error: SiigoError) -> str:
    for cls in _CLASSES:
        if isinstance(error, cls):
            return f"error.{cls.__name__}"
    return "error.SiigoError"  # pragma: no cover - every SiigoError is one of them


def _details(error: SiigoError) -> list[ErrorDetail]:
    found = getattr(error, "errors", None)
    return list(found) if isinstance(found, list) else []


def _message(error: SiigoError, language: Language) -> str:
    """The error's own message in ``language`` when the SDK wrote it from the catalog."""
    return error.refusal.render(language) if error.refusal is not None else error.message


def describe(error: SiigoError, language: Language = "en") -> str:
    """One line about ``error`` in ``language``: its kind, its first Siigo code with the field
    and the hint (how many more problems there are), or the error's own message when it has no
    code (a connection or configuration error, whose text the SDK writes)."""
    head = text(_class_key(error), language)
    details = _details(error)
    status = getattr(error, "status", None)
    if isinstance(error, APIError) and not isinstance(error, ValidationError) and status:
        head += f" ({text('error.status', language, status=status)})"
    if not details:
        return f"{head}: {_message(error, language)}"
    first = details[0].in_language(language)
    where = f" [{text('error.field', language, field=first.params[0])}]" if first.params else ""
    advice = hint(first.code, language) or first.message
    line = f"{head}: {first.code}{where}: {advice}"
    if len(details) > 1:
        line += " " + text("error.more", language, count=len(details) - 1)
    return line


def explain(error: SiigoError, language: Language = "en") -> list[str]:
    """Every line about ``error``: :func:`describe`, then each problem with its hint, Siigo Nube
    menu, Siigo's page and the original detail, then the request id and idempotency key."""
    lines = [describe(error, language)]
    for detail in (d.in_language(language) for d in _details(error)):
        where = f" [{text('error.field', language, field=', '.join(detail.params))}]" if detail.params else ""
        lines.append(f"- {detail.code}{where}: {hint(detail.code, language) or detail.message}")
        entry = CODES.get(detail.code)
        if entry is not None and entry.menu:
            lines.append("  " + text("error.menu", language, menu=entry.menu))
        if entry is not None and entry.url:
            lines.append("  " + text("error.doc", language, url=entry.url))
        lines.append("  " + text("error.detail", language, message=detail.message))
    if not _details(error) and _message(error, language) not in lines[0]:
        lines.append(text("error.detail", language, message=_message(error, language)))
    request_id = getattr(error, "request_id", None)
    if request_id:
        lines.append(text("error.request_id", language, request_id=request_id))
    if error.idempotency_key:
        lines.append(text("error.idempotency_key", language, key=error.idempotency_key))
    return lines
