"""Every message exists in English and Spanish; every Siigo error code has a hint in both."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from siigo import ConfigurationError, NotFoundError, ValidationError
from siigo.errors import ErrorDetail
from siigo.messages import CODES, LANGUAGES, TEXTS, describe, explain, hint, placeholders, resolve_language
from siigo.models._base import SIIGO_ERROR_CODES
from siigo.sandbox import Sandbox

PACKAGE = Path(__file__).resolve().parents[2] / "siigo"
SETTINGS_CODES = {
    "company_settings",
    "document_settings",
    "invalid_payment",
    "invalid_retentions",
    "warehouse_settings",
    "blocked_transactions",
    "invalid_cost_center",
    "parameter_inactive",
    "unauthorized",
}


def _sources() -> str:
    return "\n".join(p.read_text(encoding="utf-8") for p in PACKAGE.rglob("*.py"))


@pytest.mark.parametrize("key", sorted(TEXTS))
def test_every_text_exists_in_both_languages(key: str) -> None:
    templates = TEXTS[key]
    assert set(templates) == set(LANGUAGES), f"{key} exists in {sorted(templates)} only"
    assert all(templates[lang].strip() for lang in LANGUAGES), key
    assert placeholders(templates["en"]) == placeholders(templates["es"]), key
    for lang in LANGUAGES:  # every template formats with its own placeholders
        templates[lang].format(**dict.fromkeys(placeholders(templates[lang]), "x"))


def test_every_siigo_code_has_a_hint_in_both_languages() -> None:
    emitted = set(
        re.findall(r'(?:ErrorDetail|PydanticCustomError|error_entry|_err)\(\s*"([a-z_]+)"', _sources())
    )
    emitted |= set(re.findall(r'SiigoHTTPError\.one\(\s*\d+,\s*"([a-z_]+)"', _sources()))
    emitted |= set(re.findall(r'\(\d{3}, "([a-z_]+)"', _sources()))
    missing = (SIIGO_ERROR_CODES | emitted) - set(CODES)
    assert not missing, f"codes without a hint: {sorted(missing)}"
    assert len(SIIGO_ERROR_CODES) >= 55
    for code, entry in CODES.items():
        assert entry.en.strip() and entry.es.strip() and entry.en != entry.es, code
        if entry.documented:
            assert entry.url == f"https://developer.siigo.com/introduction/codigos-de-error/{code}"
        else:
            assert entry.url is None
    for code in SETTINGS_CODES:
        assert CODES[code].menu, f"{code} is a company setting: name the Siigo Nube menu"


def test_every_message_id_the_code_uses_exists() -> None:
    used = set(re.findall(r'(?:\.t|text)\(\s*"([a-z_]+\.[\w.]+)"', _sources()))
    used |= {f"cli.{verb}.help" for verb in ("create", "update")}  # built from the verb's name
    assert len(used) > 60
    assert not used - set(TEXTS), sorted(used - set(TEXTS))


def test_the_command_line_has_no_text_outside_the_catalog() -> None:
    for path in (PACKAGE / "cli").glob("*.py"):
        source = path.read_text(encoding="utf-8")
        literal = re.findall(r'(?:click\.echo|Failure|report|help=)\(?\s*f?"[A-Za-z]', source)
        assert not literal, f"{path.name}: {literal}"


def test_describe_and_explain_in_spanish() -> None:
    error = ValidationError(
        "InvoiceCreateParams was rejected locally",
        [ErrorDetail("document_settings", "The document.id cannot be used", ("document.id",))],
    )
    assert describe(error, "es") == (
        "Rechazado localmente, no se envió nada: document_settings [campo document.id]: "
        + str(hint("document_settings", "es"))
    )
    lines = explain(error, "es")
    assert (
        "  En Siigo Nube esto suele estar en Configuración > Documentos > (el tipo de documento) > "
        "Resolución DIAN y numeración (menú sin verificar en el producto en vivo)" in lines
    )
    assert (
        "  Página de Siigo: https://developer.siigo.com/introduction/codigos-de-error/document_settings"
        in lines
    )
    assert "  Detalle: The document.id cannot be used" in lines
    assert describe(error, "en").startswith(
        "Refused locally, nothing was sent: document_settings [field document.id]"
    )


def test_client_language(siigo_sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch) -> None:
    assert siigo_sandbox.client().language == "en"
    monkeypatch.setenv("SIIGO_LANG", "es_CO.UTF-8")
    client = siigo_sandbox.client()
    assert client.language == "es"
    with pytest.raises(NotFoundError) as caught:
        client.invoices.retrieve("9e6f8516-f256-4f47-a4a7-39b0adad113e")
    assert client.describe(caught.value).startswith("No encontrado (HTTP 404): not_found: No existe")
    assert siigo_sandbox.client(language="en").describe(caught.value).startswith("Not found (HTTP 404)")
    with pytest.raises(ConfigurationError, match="language must be 'en' or 'es'"):
        siigo_sandbox.client(language="fr")


def test_the_command_line_defaults_to_the_system_locale() -> None:
    assert resolve_language(environ={"LANG": "es_CO.UTF-8"}, system_default=True) == "es"
    assert resolve_language(environ={"LANG": "es_CO.UTF-8"}) == "en"  # the library: English
    assert resolve_language(environ={"LANG": "es_CO.UTF-8", "SIIGO_LANG": "en"}, system_default=True) == "en"
    assert resolve_language("es", environ={}) == "es"
