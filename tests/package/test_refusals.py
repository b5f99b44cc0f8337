"""Every local refusal has a message id and a text in English and Spanish.

The catalog test fails when an id has one language only, when its two templates take different
placeholders, and when a refusal is written in the sources without an id (a literal message given
to ``ErrorDetail``, ``ValidationError``, ``ConfigurationError``, ``rule_error`` or a module's ``_err``
helper).
"""

from __future__ import annotations

import ast
import pickle
from pathlib import Path

import pytest

from siigo import Client, ConfigurationError, ValidationError
from siigo._config import PARTNER_ID_RULE, check_base_url, check_partner_id
from siigo._refusals import REFUSALS, Refusal, detail, refusal, refuse
from siigo.errors import ErrorDetail
from siigo.messages import LANGUAGES, TEXTS, describe, explain, placeholders
from siigo.models.invoices import InvoiceCreateParams
from siigo.sandbox import Sandbox

PACKAGE = Path(__file__).resolve().parents[2] / "siigo"

# Where an ErrorDetail, a ValidationError or a ConfigurationError is made from what Siigo (or the sandbox, speaking as
# Siigo) sent, not from a rule of the SDK.
SIIGO_SPEAKS = {"errors.py", "_refusals.py"}

# Functions that build details from Siigo's own answer, or build an id from a checked prefix.
ALLOWED = {
    ("models/invoices.py", "error_details"),  # Siigo's batch notification, as Siigo wrote it
    ("models/_base.py", "rule_error"),  # the one PydanticCustomError: it carries the refusal
    ("models/_base.py", "_max_places"),  # f"amount.noun.{what}": a KeyError at import if missing
    ("models/_base.py", "_amount_rules"),  # the same
    ("_transport.py", "parse_error_body"),  # Siigo's error envelope
    ("_transport.py", "_error"),  # the same, with secrets masked
    ("pagination.py", "_results_count"),  # a page of Siigo's answer with too many results
}

# The helpers that take (code, message_id, ...) and the position of the message id.
ID_ARGUMENT = {"rule_error": 1, "_err": 1, "detail": 1, "refuse": 1, "_refused": 1, "refusal": 0}
ID_ARGUMENT |= {"bad_filter": 1, "_bad_value": 1}


def _sources() -> list[Path]:
    return [
        path
        for path in sorted(PACKAGE.rglob("*.py"))
        if "sandbox" not in path.relative_to(PACKAGE).parts and path.name not in SIIGO_SPEAKS
    ]


def _calls(path: Path) -> list[tuple[str, ast.Call]]:
    """Every call of the module, with the name of the function it is in."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: list[tuple[str, ast.Call]] = []

    def visit(node: ast.AST, function: str) -> None:
        for child in ast.iter_child_nodes(node):
            inner = child.name if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)) else function
            if isinstance(child, ast.Call):
                found.append((function, child))
            visit(child, inner)

    visit(tree, "")
    return found


def _name(call: ast.Call) -> str:
    func = call.func
    return func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""


@pytest.mark.parametrize("key", sorted(REFUSALS))
def test_every_refusal_exists_in_both_languages(key: str) -> None:
    templates = REFUSALS[key]
    assert set(templates) == set(LANGUAGES), f"{key} exists in {sorted(templates)} only"
    assert all(templates[lang].strip() for lang in LANGUAGES), key
    assert placeholders(templates["en"]) == placeholders(templates["es"]), key
    for lang in LANGUAGES:
        templates[lang].format(**dict.fromkeys(placeholders(templates[lang]), "x"))
    assert key not in TEXTS, f"{key} is both a refusal and a message of siigo.messages"


def test_no_refusal_is_written_without_an_id() -> None:
    """A literal refusal text anywhere in the SDK (outside the sandbox, which answers as Siigo
    does, in English) fails here: refusals go through an id of the catalog."""
    literal: list[str] = []
    unknown: list[str] = []
    used: set[str] = set()
    for path in _sources():
        where = path.relative_to(PACKAGE)
        for function, call in _calls(path):
            if (str(where), function) in ALLOWED:
                continue
            name = _name(call)
            keywords = {k.arg for k in call.keywords}
            if (
                name in ("ErrorDetail", "ValidationError", "ConfigurationError")
                and "refusal" not in keywords
                and "subject" not in keywords
            ):
                literal.append(f"{where}:{call.lineno} {name}(...) without refusal=")
            if name == "PydanticCustomError":
                literal.append(f"{where}:{call.lineno} PydanticCustomError outside rule_error")
            position = ID_ARGUMENT.get(name)
            if position is None or len(call.args) <= position:
                continue
            argument = call.args[position]
            if isinstance(argument, ast.JoinedStr) or (
                isinstance(argument, ast.Constant)
                and isinstance(argument.value, str)
                and " " in argument.value
            ):
                literal.append(f"{where}:{call.lineno} {name}(...) with a literal message")
            elif isinstance(argument, ast.Constant) and isinstance(argument.value, str):
                used.add(argument.value)
                if argument.value not in REFUSALS:
                    unknown.append(f"{where}:{call.lineno} {argument.value}")
    assert literal == [], "refusals written without a message id:\n" + "\n".join(literal)
    assert unknown == [], "message ids missing from siigo._refusals.REFUSALS:\n" + "\n".join(unknown)
    assert len(used) > 150  # the scan sees the SDK's refusals (it would pass on an empty package)


def test_the_scan_catches_a_literal_refusal(tmp_path: Path) -> None:
    """The check above is not vacuous: a module written the old way is caught."""
    sample = tmp_path / "receipts.py"
    sample.write_text(
        "def _err(code, message, *params):\n    return ErrorDetail(code, message, params)\n\n"
        'problem = _err("invalid_amount", f"The receipt pays {value}, more than the balance", "items")\n'
        'raise ConfigurationError(f"receipt_prefix must be a string, got {prefix!r}")\n',
        encoding="utf-8",
    )
    calls = [call for _, call in _calls(sample)]
    assert any(_name(c) == "ErrorDetail" and not c.keywords for c in calls)
    assert any(_name(c) == "ConfigurationError" and not c.keywords for c in calls)
    assert any(_name(c) == "_err" and isinstance(c.args[1], ast.JoinedStr) for c in calls)


def test_an_unknown_id_fails_at_once() -> None:
    with pytest.raises(KeyError, match=r"receipts\.overpaid"):
        detail("invalid_amount", "receipts.overpaid", "items", value=1)


def test_a_refusal_in_both_languages() -> None:
    problem = detail("parameter_inactive", "rules.document_type_inactive", "document.id", id=5)
    assert problem.message == "The document type 5 is inactive"  # English, as before
    assert problem.message_id == "rules.document_type_inactive" and problem.message_args == {"id": 5}
    spanish = problem.in_language("es")
    assert spanish.message == "El tipo de documento 5 está inactivo"
    assert (spanish.code, spanish.params) == ("parameter_inactive", ("document.id",))
    assert spanish.message_id == problem.message_id and spanish.refusal == problem.refusal
    siigo_own = ErrorDetail("invalid_reference", "The tax 9 does not exist", ("items[0].taxes[0].id",))
    assert siigo_own.in_language("es") is siigo_own  # Siigo's own words are kept as they came
    error = refuse("invalid_value", "resources.filter_empty", "name", subject="name")
    assert str(error) == "name: must not be empty"
    assert error.in_language("es").message == "name: no puede estar vacío"
    assert pickle.loads(pickle.dumps(error.in_language("es"))).errors[0].message == "no puede estar vacío"


def _bad_invoice() -> dict[str, object]:
    return {
        "document": {"id": 28451},
        "date": "2026-02-30",
        "customer": {"identification": "900123456"},
        "seller": 4120,
        "items": [{"code": "SKU 1", "quantity": 1, "price": "-1"}],
        "payments": [],
    }


def test_a_model_refuses_in_english_and_explains_in_spanish() -> None:
    with pytest.raises(ValidationError) as caught:
        InvoiceCreateParams.model_validate(_bad_invoice())
    error = caught.value
    assert error.codes == ["invalid_date", "invalid_code", "invalid_amount", "parameter_required"]
    assert error.errors[0].message == "The field date: '2026-02-30' is not a calendar date"
    assert error.language == "en"
    lines = explain(error, "es")
    assert "  Detalle: El campo date: '2026-02-30' no es una fecha del calendario" in lines
    assert "  Detalle: El campo items[0].price: no puede ser negativo; se recibió -1" in lines
    assert "  Detalle: El campo payments: se necesita al menos un pago" in lines
    assert describe(error, "es").startswith(
        "Rechazado localmente, no se envió nada: invalid_date [campo date]"
    )
    spanish = error.in_language("es")
    assert spanish.message.startswith("InvoiceCreateParams se rechazó localmente (4 problemas):\n")
    assert "  - El campo items[0].code: los códigos de producto no pueden tener espacios" in spanish.message
    assert error.message.startswith("InvoiceCreateParams was rejected locally (4 problems):\n")


def test_a_spanish_client_refuses_in_spanish(siigo_sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch) -> None:
    spanish = siigo_sandbox.client(language="es")
    with pytest.raises(ValidationError) as caught:
        spanish.invoices.create(_bad_invoice())
    assert caught.value.language == "es"
    assert caught.value.codes[0] == "invalid_date"
    assert caught.value.errors[0].message == "El campo date: '2026-02-30' no es una fecha del calendario"
    assert caught.value.message.startswith("InvoiceCreateParams se rechazó localmente")
    with pytest.raises(ValidationError) as bad_id:
        spanish.invoices.retrieve("12")
    assert bad_id.value.errors[0].params == ("id",)
    assert bad_id.value.message == (
        "id debe ser un GUID de Siigo como '9e6f8516-f256-4f47-a4a7-39b0adad113e'; se recibió '12'"
    )
    with pytest.raises(ValidationError) as english:
        siigo_sandbox.client().invoices.retrieve("12")
    assert english.value.message.startswith("id must be a Siigo GUID") and english.value.language == "en"
    monkeypatch.setenv("SIIGO_LANG", "es")
    env = Client(base_url=siigo_sandbox.url, username="u", access_key="k", partner_id="SiigoPythonTests")
    with env, pytest.raises(ValidationError) as from_env:
        env.products.list(page=0)
    assert from_env.value.errors[0].message == "debe ser al menos 1; se recibió 0"


def test_catalog_rules_refuse_in_spanish_with_the_kind_named(siigo_sandbox: Sandbox) -> None:
    """A rule of siigo.rules (a document type of another kind) in a Spanish client: Siigo's code
    and field stay, the kind is named in Spanish."""
    client = siigo_sandbox.client(language="es")
    types = client.document_types.list(type="NC")
    assert types, "the sandbox company has credit-note types"
    body = {**_bad_invoice(), "date": "2026-03-02", "document": {"id": types[0].id}}
    body["items"] = [{"code": "SKU-1", "quantity": 1, "price": "100"}]
    body["payments"] = [{"id": 6101, "value": "100"}]
    result = client.invoices.check(body)
    problem = next(p for p in result.problems if p.code == "invalid_document")
    assert problem.params == ("document.id",)
    assert problem.message_id == "rules.document_type_other_kind"
    assert "el documento (factura de venta) necesita un tipo de documento FV" in problem.message


def test_refusal_ids_are_not_english_sentences() -> None:
    assert all(" " not in key and "." in key for key in REFUSALS)
    assert isinstance(refusal("field.required", path="x"), Refusal)


def test_a_spanish_check_names_what_the_totals_leave_out(siigo_sandbox: Sandbox) -> None:
    body = {
        "document": {"id": 28451},
        "date": "2026-03-02",
        "customer": {"identification": "900123456", "branch_office": 0},
        "seller": 4120,
        "items": [{"code": "SKU-1", "quantity": 1, "price": "100.00", "taxes": [{"id": 18401}]}],
        "payments": [{"id": 6101, "value": "119.00"}],
        "advance_payment": "10.00",
    }
    spanish = siigo_sandbox.client(language="es").invoices.check(body)
    english = siigo_sandbox.client().invoices.check(body)
    assert spanish.totals is not None and english.totals is not None
    assert spanish.totals.amount_due == english.totals.amount_due == 119
    assert english.totals.undocumented[0].startswith("advance_payment (10.00): Siigo does not document")
    assert spanish.totals.undocumented[0].startswith("advance_payment (10.00): Siigo no documenta")
    assert [p.code for p in spanish.problems] == [p.code for p in english.problems]


def test_the_idempotency_key_is_named_in_the_error_s_language(siigo_sandbox: Sandbox) -> None:
    with pytest.raises(ValidationError) as caught:
        siigo_sandbox.client(language="es").invoices.create(_bad_invoice())
    key = caught.value.idempotency_key
    assert key and str(caught.value).endswith(f"(clave de idempotencia {key})")
    assert str(caught.value.in_language("en")).endswith(f"(idempotency key {key})")


def test_journals_and_reports_refuse_in_spanish(siigo_sandbox: Sandbox) -> None:
    """The rules merged with journals and reports speak both languages, with the same codes."""
    spanish = siigo_sandbox.client(language="es")

    def line(movement: str, value: str) -> dict[str, object]:
        code = "51354001" if movement == "Debit" else "11100501"
        return {
            "account": {"code": code, "movement": movement},
            "customer": {"identification": "900123456"},
            "value": value,
        }

    unbalanced = {
        "document": {"id": 28480},
        "date": "2026-03-02",
        "items": [line("Debit", "10"), line("Credit", "9")],
    }
    with pytest.raises(ValidationError) as journal:
        spanish.journals.create(unbalanced)
    assert journal.value.codes == ["invalid_balance"]
    assert journal.value.errors[0].message_id == "journals.unbalanced"
    assert "El comprobante contable no está balanceado: los débitos suman 10" in journal.value.message
    assert journal.value.in_language("en").errors[0].message.startswith("The journal does not balance")

    with pytest.raises(ValidationError) as months:
        spanish.reports.trial_balance(year=2026, month_start=5, month_end=3)
    assert [(e.code, e.params) for e in months.value.errors] == [("invalid_range", ("month_start",))]
    assert "El mes inicial (month_start) 5 es posterior al mes final (month_end) 3" in months.value.message

    with pytest.raises(ValidationError) as link:
        spanish.reports.download("http://reports.example.com/Balance.xlsx")
    assert link.value.errors[0].message.startswith(
        "No se descarga un reporte desde http://reports.example.com"
    )
    assert (
        link.value.in_language("en")
        .errors[0]
        .message.startswith("Refusing to download a report from http://")
    )

    with pytest.raises(ValidationError) as branch:
        spanish.accounts_payable.list(provider_branch_office=1000)
    assert [e.message_id for e in branch.value.errors] == [
        "reports.branch_needs_provider",
        "reports.branch_range",
    ]
    assert "se recibió 1000" in branch.value.message


def test_configuration_errors_in_both_languages() -> None:
    """A configuration error keeps the English text of earlier versions and carries its id."""
    with pytest.raises(ConfigurationError) as caught:
        check_partner_id("Mi App")
    error = caught.value
    assert error.message == (
        f"partner_id 'Mi App' contains characters other than letters and digits. {PARTNER_ID_RULE}"
    )
    assert error.language == "en" and error.refusal is not None
    assert error.refusal.id == "config.partner_id_bad"
    assert REFUSALS["config.partner_id_rule"]["en"] == PARTNER_ID_RULE
    spanish = error.in_language("es")
    assert spanish.language == "es" and spanish.refusal == error.refusal
    assert spanish.message.startswith(
        "El partner_id 'Mi App' tiene caracteres distintos de letras y dígitos. Siigo exige el "
        "encabezado Partner-Id en cada llamada"
    )
    assert str(spanish) == spanish.message and error.message.startswith("partner_id 'Mi App'")
    assert pickle.loads(pickle.dumps(spanish)).message == spanish.message
    assert describe(error, "es") == f"Error de configuración: {spanish.message}"
    assert explain(error, "es") == [f"Error de configuración: {spanish.message}"]

    with pytest.raises(ConfigurationError) as long_id:
        check_partner_id("x" * 120)
    assert long_id.value.in_language("es").message.startswith(
        "El partner_id (120 caracteres) es demasiado largo."
    )

    with pytest.raises(ConfigurationError) as http:
        check_base_url("http://siigo.example.com")
    assert http.value.refusal is not None and http.value.refusal.id == "config.base_url_http"
    assert http.value.in_language("es").message == (
        "base_url 'http://siigo.example.com' usa http sin cifrar: las credenciales viajarían sin "
        "protección. Use https (http sin cifrar solo se acepta para direcciones locales (loopback), "
        "como el sandbox local)."
    )


def test_a_spanish_client_refuses_its_settings_in_spanish(monkeypatch: pytest.MonkeyPatch) -> None:
    """``language=`` (when valid), else ``SIIGO_LANG``, is the language of the client's own
    configuration errors, even those raised before the client is made."""
    for name in ("SIIGO_LANG", "SIIGO_USERNAME", "SIIGO_ACCESS_KEY", "SIIGO_PARTNER_ID", "SIIGO_BASE_URL"):
        monkeypatch.delenv(name, raising=False)
    with pytest.raises(ConfigurationError) as missing:
        Client(language="es")
    assert missing.value.language == "es"
    assert missing.value.refusal is not None and missing.value.refusal.id == "config.credentials"
    assert missing.value.message == (
        "No hay credenciales: pase username=... y access_key=... (o defina SIIGO_USERNAME y "
        "SIIGO_ACCESS_KEY), o token=... con un token de acceso. Ambos aparecen en Siigo Nube en "
        "Alianzas > Mi credencial API (el 'Usuario API' y su 'Access Key')."
    )
    assert missing.value.in_language("en").message.startswith("no credentials: pass username=...")
    with pytest.raises(ConfigurationError) as english:
        Client()
    assert english.value.language == "en" and english.value.message.startswith("no credentials:")

    monkeypatch.setenv("SIIGO_LANG", "es")
    with pytest.raises(ConfigurationError) as limit:
        Client(username="u", access_key="k", partner_id="MiApp", rate_limit=0)
    assert limit.value.refusal is not None and limit.value.refusal.id == "config.rate_limit"
    assert limit.value.message.startswith(
        "rate_limit debe ser un número entero de solicitudes por minuto, al menos 1"
    )
    assert limit.value.message.endswith("o None para desactivarlo; se recibió 0")
    with pytest.raises(ConfigurationError) as route:
        Client(username="u", access_key="k", partner_id="MiApp", webhook_update_route="nope")  # type: ignore[arg-type]
    assert route.value.message.startswith("webhook_update_route debe ser uno de ")
    # A wrong language= overrides SIIGO_LANG and is refused in English, the library's default.
    with pytest.raises(ConfigurationError) as wrong:
        Client(username="u", access_key="k", partner_id="MiApp", language="fr")
    assert wrong.value.message == "language must be 'en' or 'es', got 'fr'"
    assert wrong.value.in_language("es").message == "language debe ser 'en' o 'es'; se recibió 'fr'"
