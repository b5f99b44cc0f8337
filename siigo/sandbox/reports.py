"""The sandbox's report files: trial balances written as real ``.xlsx`` spreadsheets.

Siigo answers a trial-balance request with a link to an Excel file on its blob storage
(siigo-api.md §B.14).  The sandbox keeps what the report computed (plain data in
``tenant.extra["reports"]``, so ``--state`` files keep it too) and serves the spreadsheet itself,
written when it is downloaded, under :data:`PREFIX` on its own host.  Like a blob-storage link,
the file's URL is all it takes: the download needs no token (the file id is a random GUID).
"""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any
from urllib.parse import quote

from werkzeug.wrappers import Response

from .state import SandboxState, Tenant

__all__ = ["PREFIX", "XLSX_TYPE", "find_report", "render_xlsx", "report_url", "serve_report", "store_report"]

PREFIX = "/reports/"
"""Where the sandbox serves report files (outside ``/v1``: no token, no ``Partner-Id``)."""

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

_MONEY = "#,##0.00"


def store_report(tenant: Tenant, file_id: str, report: dict[str, Any]) -> None:
    """Keep a computed report under its file id."""
    tenant.extra.setdefault("reports", {})[file_id] = report


def report_url(base: str, file_id: str, file_name: str) -> str:
    """The download link of a stored report."""
    return f"{base.rstrip('/')}{PREFIX}{file_id}/{quote(file_name)}"


def find_report(state: SandboxState, file_id: str) -> dict[str, Any] | None:
    """The report with this file id, in whichever company asked for it."""
    for tenant in state.tenants.values():
        found: dict[str, Any] | None = tenant.extra.get("reports", {}).get(file_id)
        if found is not None:
            return found
    return None


def serve_report(state: SandboxState, path: str) -> Response:
    """``GET /reports/{file_id}/{file name}``: the spreadsheet, or 404."""
    parts = path[len(PREFIX) :].split("/")
    with state.lock:
        report = find_report(state, parts[0]) if len(parts) == 2 else None
    if report is None or parts[1] != report["file_name"]:
        return Response(
            b'<?xml version="1.0" encoding="utf-8"?><Error><Code>BlobNotFound</Code>'
            b"<Message>The specified blob does not exist.</Message></Error>",
            status=404,
            content_type="application/xml",
        )
    content = render_xlsx(report)
    return Response(
        content,
        status=200,
        content_type=XLSX_TYPE,
        headers={"Content-Disposition": f"attachment; filename*=UTF-8''{quote(report['file_name'])}"},
    )


def _number(value: Any) -> float:
    # A spreadsheet cell holds a double: amounts up to 15 significant digits are exact.
    return float(Decimal(str(value)))


def render_xlsx(report: dict[str, Any]) -> bytes:
    """The report as an ``.xlsx`` workbook: a title block, one row per line (class and group
    subtotals in bold) and the totals."""
    import xlsxwriter

    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True})
    sheet = book.add_worksheet("Balance de prueba")
    bold = book.add_format({"bold": True})
    money = book.add_format({"num_format": _MONEY})
    money_bold = book.add_format({"num_format": _MONEY, "bold": True})
    by_third_party = bool(report.get("by_third_party"))

    sheet.write_string(0, 0, str(report["title"]), bold)
    sheet.write_string(1, 0, f"Empresa: {report['company']}")
    sheet.write_string(2, 0, f"Periodo: {report['period']}")
    sheet.write_string(3, 0, f"Generado: {report['created']}")
    headers = ["Nivel", "Código", "Nombre"]
    if by_third_party:
        headers += ["Identificación tercero", "Nombre tercero"]
    headers += ["Saldo inicial", "Débitos", "Créditos", "Saldo final"]
    first = 5
    for column, title in enumerate(headers):
        sheet.write_string(first, column, title, bold)
    labels = {"class": "Clase", "group": "Grupo", "account": "Auxiliar"}
    row = first
    for line in report["lines"]:
        row += 1
        strong = line["level"] != "account"
        text_format = bold if strong else None
        number_format = money_bold if strong else money
        sheet.write_string(row, 0, labels.get(line["level"], line["level"]), text_format)
        sheet.write_string(row, 1, line["code"], text_format)
        sheet.write_string(row, 2, line["name"] or "", text_format)
        column = 3
        if by_third_party:
            sheet.write_string(row, 3, line.get("third_party") or "")
            sheet.write_string(row, 4, line.get("third_party_name") or "")
            column = 5
        for offset, name in enumerate(("opening", "debit", "credit", "closing")):
            sheet.write_number(row, column + offset, _number(line[name]), number_format)
    row += 1
    column = 5 if by_third_party else 3
    sheet.write_string(row, 0, "Totales", bold)
    sheet.write_number(row, column + 1, _number(report["debit"]), money_bold)
    sheet.write_number(row, column + 2, _number(report["credit"]), money_bold)
    sheet.set_column(0, 0, 10)
    sheet.set_column(1, 1, 12)
    sheet.set_column(2, 2, 48)
    sheet.set_column(3, len(headers) - 1, 18)
    book.close()
    return out.getvalue()
