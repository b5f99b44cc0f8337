"""The sandbox inspector: a web page at the sandbox's root URL and the JSON it reads.

The page (``siigo/sandbox/inspector/``: plain HTML, CSS and JavaScript, no build step) reads only
these ``/_sandbox`` routes, and the journal, faults and reset routes of the control plane:

* ``GET /_sandbox/inspect``: the companies, the settings (without credentials) and the kinds.
* ``GET /_sandbox/texts?lang=es``: the page's words in English or Spanish (the ``inspector.*``
  messages of :mod:`siigo.messages`, and each document kind's name): ``lang`` when given, else
  the browser's ``Accept-Language``, else English.  The page has a switch for it and remembers
  the choice.
* ``GET /_sandbox/companies/{company}``: the company's documents by kind (every dict of stored
  rows of the company, so a kind added to the sandbox shows with no change here), customers,
  products, webhook deliveries (any list the company keeps under a name with ``deliver``) and
  e-mails.
* ``GET /_sandbox/companies/{company}/{kind}/{id}/pdf``: a document's PDF, as the API's
  ``GET /v1/{kind}/{id}/pdf`` renders it, as a download.
* ``POST /_sandbox/companies/{company}/reset``: the company as new (its tokens stay valid).
* ``DELETE /_sandbox/faults/{id}``: remove one fault.

Nothing here shows a token or an access key: the journal keeps neither, and the settings are
shown without ``credentials`` (only the usernames accepted).
"""

from __future__ import annotations

import base64
import dataclasses
import mimetypes
from collections.abc import Callable
from importlib import resources
from typing import TYPE_CHECKING, Any

from werkzeug.datastructures import Headers, MultiDict
from werkzeug.wrappers import Request, Response

from .. import messages
from .._refusals import kind_term
from ..errors import ConfigurationError
from ..kinds import KINDS
from .app import Ctx, SiigoHTTPError, not_found
from .control import control_route
from .state import Tenant

if TYPE_CHECKING:
    from .app import SandboxApp

__all__ = ["UI_PREFIX", "document_kinds", "serve_page"]

UI_PREFIX = "/_sandbox/ui/"
_NOT_KINDS = frozenset({"catalogs", "idempotency", "extra", "requests", "outbox", "customers", "products"})
_SUMMARY = ("id", "name", "date", "prefix", "number", "total", "balance", "annulled", "observations")


def serve_page(path: str) -> Response:
    """``/`` and the page's files under :data:`UI_PREFIX` (``/favicon.ico``: none, and no journal
    entry)."""
    if path == "/favicon.ico":
        return Response(b"", status=204)
    name = "index.html" if path in ("/", "") else path[len(UI_PREFIX) :]
    folder = resources.files("siigo.sandbox") / "inspector"
    if "/" in name or name.startswith(".") or not (folder / name).is_file():
        return Response("not found", status=404, content_type="text/plain; charset=utf-8")
    kind = mimetypes.guess_type(name)[0] or "application/octet-stream"
    if kind.startswith("text/") or kind.endswith("javascript"):
        kind += "; charset=utf-8"
    response = Response((folder / name).read_bytes(), content_type=kind)
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


def _is_rows(value: Any) -> bool:
    return isinstance(value, dict) and all(isinstance(v, dict) and "id" in v for v in value.values())


def document_kinds(
    tenant: Tenant, served: Callable[[str], bool] | None = None
) -> dict[str, dict[str, dict[str, Any]]]:
    """The company's stores of documents, by kind: the document store's kinds (:mod:`siigo.kinds`;
    with ``served``, those with rows or whose collection path it serves), then any attribute of
    the tenant or entry of its ``extra`` holding rows with an ``id``."""
    kinds: dict[str, dict[str, dict[str, Any]]] = {}
    for kind in KINDS.values():
        rows = tenant.documents[kind.code]
        if served is None or rows or served(kind.path):
            kinds[kind.path.rsplit("/", 1)[-1].replace("-", "_")] = rows
    for name, value in vars(tenant).items():
        if name not in kinds and name not in _NOT_KINDS and not name.startswith("_") and _is_rows(value):
            kinds[name] = value
    for name, value in tenant.extra.items():
        if name not in kinds and value and _is_rows(value) and "deliver" not in name:
            kinds[name] = value
    return kinds


def _customer_name(customers: dict[str, dict[str, Any]], ref: Any) -> str | None:
    if not isinstance(ref, dict):
        return None
    wanted = ref.get("id")
    row = customers.get(wanted) if isinstance(wanted, str) else None
    if row is None:
        ident = ref.get("identification")
        row = next((c for c in customers.values() if c.get("identification") == ident), None)
    if row is None:
        return None
    name = row.get("name")
    return " ".join(name) if isinstance(name, list) else str(name) if name else None


def _summary(row: dict[str, Any], customers: dict[str, dict[str, Any]]) -> dict[str, Any]:
    out = {key: row[key] for key in _SUMMARY if key in row}
    party = row.get("customer") or row.get("supplier")
    if isinstance(party, dict):
        out["customer"] = {
            "identification": party.get("identification"),
            "branch_office": party.get("branch_office"),
            "name": _customer_name(customers, party),
        }
    stamp = row.get("stamp")
    if isinstance(stamp, dict):
        out["stamp"] = {"status": stamp.get("status"), "cufe": stamp.get("cufe") or None}
    mail = row.get("mail")
    if isinstance(mail, dict):
        out["mail"] = {"status": mail.get("status")}
    if isinstance(row.get("document"), dict):
        out["document"] = {"id": row["document"].get("id")}
    return out


def _deliveries(tenant: Tenant) -> list[Any]:
    found: list[Any] = []
    sources = [*vars(tenant).items(), *tenant.extra.items()]
    for name, value in sources:
        if "deliver" not in name.lower():
            continue
        if isinstance(value, list):
            found.extend(value)
        elif isinstance(value, dict):
            found.extend(value.values())
    return found


def _company(app: SandboxApp, company: str) -> Tenant:
    tenant = app.state.tenants.get(company)
    if tenant is None:
        raise not_found("company")
    return tenant


def _settings(app: SandboxApp) -> dict[str, Any]:
    settings = dataclasses.asdict(app.state.settings)
    credentials = settings.pop("credentials")
    settings["accepted_usernames"] = sorted(credentials) if credentials else None
    return settings


def _language(request: Request) -> messages.Language:
    wanted = request.args.get("lang")
    if wanted:
        try:
            return messages.check_language(wanted)
        except ConfigurationError:
            pass
    best = request.accept_languages.best_match(messages.LANGUAGES)
    return "es" if best == "es" else "en"


def _kind_names(language: messages.Language) -> dict[str, str]:
    """The page's heading of each document kind (by its store's name), in ``language``."""
    names: dict[str, str] = {}
    for kind in KINDS.values():
        store = kind.path.rsplit("/", 1)[-1].replace("-", "_")
        if language == "es":
            plural = kind_term(kind, plural=True).render("es").split(" ", 1)[-1]
            names[store] = plural[:1].upper() + plural[1:]
        else:
            names[store] = store.replace("_", " ").capitalize()
    return names


@control_route("GET", "/texts")
def _texts(app: SandboxApp, request: Request, params: dict[str, str], body: Any) -> tuple[int, Any]:
    language = _language(request)
    prefix = "inspector."
    return 200, {
        "language": language,
        "languages": list(messages.LANGUAGES),
        "texts": {
            key[len(prefix) :]: templates.get(language, templates["en"])
            for key, templates in messages.TEXTS.items()
            if key.startswith(prefix)
        },
        "kinds": _kind_names(language),
    }


@control_route("GET", "/inspect")
def _inspect(app: SandboxApp, request: Request, params: dict[str, str], body: Any) -> tuple[int, Any]:
    return 200, {
        "companies": sorted(app.state.tenants),
        "settings": _settings(app),
        "now": app.state.now(),
    }


@control_route("GET", "/companies/{company}")
def _company_view(app: SandboxApp, request: Request, params: dict[str, str], body: Any) -> tuple[int, Any]:
    tenant = _company(app, params["company"])
    customers = tenant.customers

    def served(path: str) -> bool:
        return any(r.method == "GET" and r.pattern.fullmatch(path) for r in app.routes)

    stores = document_kinds(tenant, served)
    pdf_kinds = {kind for kind in stores if served(f"/v1/{_path(kind)}/x/pdf")}
    return 200, {
        "company": tenant.username,
        "documents": {
            kind: {
                "pdf": kind in pdf_kinds,
                "rows": [_summary(row, customers) for row in rows.values()],
            }
            for kind, rows in stores.items()
        },
        "customers": [
            {
                "id": c.get("id"),
                "identification": c.get("identification"),
                "branch_office": c.get("branch_office"),
                "name": " ".join(c["name"]) if isinstance(c.get("name"), list) else c.get("name"),
                "type": c.get("type"),
                "active": c.get("active"),
                "contacts": len(c.get("contacts") or []),
            }
            for c in customers.values()
        ],
        "products": [
            {
                "id": p.get("id"),
                "code": p.get("code"),
                "name": p.get("name"),
                "type": p.get("type"),
                "active": p.get("active"),
                "available_quantity": p.get("available_quantity"),
            }
            for p in tenant.products.values()
        ],
        "deliveries": _deliveries(tenant),
        "outbox": [
            {k: v for k, v in mail.items() if k != "attachments"}
            for mail in app.state.outbox(tenant.username)
        ],
    }


def _path(kind: str) -> str:
    return kind.replace("_", "-")


@control_route("GET", "/companies/{company}/{kind}/{id}/pdf")
def _pdf(app: SandboxApp, request: Request, params: dict[str, str], body: Any) -> tuple[int, Any]:
    tenant = _company(app, params["company"])
    rows = document_kinds(tenant).get(params["kind"].replace("-", "_"))
    row = rows.get(params["id"]) if rows is not None else None
    if row is None:
        raise not_found("document")
    path = f"/v1/{_path(params['kind'])}/{params['id']}/pdf"
    for route_ in app.routes:
        match = route_.pattern.fullmatch(path)
        if route_.method == "GET" and match:
            ctx = Ctx(
                state=app.state,
                tenant=tenant,
                method="GET",
                path=path,
                args=MultiDict(),
                params=match.groupdict(),
                raw_body=b"",
                headers=Headers(),
            )
            _, data = route_.handler(ctx)
            content = base64.b64decode(data["base64"]) if isinstance(data, dict) else b""
            name = str(row.get("name") or row["id"])
            response = Response(content, content_type="application/pdf")
            response.headers["Content-Disposition"] = f'attachment; filename="{name}.pdf"'
            return 200, response
    raise SiigoHTTPError.one(
        404, "not_found", f"The sandbox renders no PDF of {params['kind']}", detail=False
    )


@control_route("POST", "/companies/{company}/reset")
def _reset_company(app: SandboxApp, request: Request, params: dict[str, str], body: Any) -> tuple[int, Any]:
    tenant = _company(app, params["company"])
    app.state.tenants[tenant.username] = Tenant(tenant.username)
    return 200, {"reset": tenant.username}


@control_route("DELETE", "/faults/{id}")
def _remove_fault(app: SandboxApp, request: Request, params: dict[str, str], body: Any) -> tuple[int, Any]:
    before = len(app.state.faults)
    app.state.faults[:] = [f for f in app.state.faults if f.id != params["id"]]
    if len(app.state.faults) == before:
        raise not_found("fault")
    return 200, [f.public() for f in app.state.active_faults()]
