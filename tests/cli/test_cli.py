"""The ``siigo`` command against a sandbox over loopback HTTP.  Most tests run it in process
(:mod:`tests.cli.runner`; ``SIIGO_TEST_CLI=subprocess`` runs those as real subprocesses too); the
ones that need a fresh process (``python -m siigo``, a missing extra, memory, signals, a terminal,
a sandbox of its own) start one."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from decimal import Decimal
from functools import cached_property
from pathlib import Path
from typing import Any

import pytest

from siigo import Client
from siigo.cli.output import write_rows
from siigo.cli.registry import resources
from siigo.invoice_rules import colombia_today
from siigo.sandbox import DEFAULT_ACCESS_KEY, DEFAULT_PARTNER_ID, DEFAULT_USERNAME, Sandbox
from siigo.sandbox.demo import seed_demo
from siigo.sandbox.state import copy_document

from .runner import run_siigo

Run = Callable[..., subprocess.CompletedProcess[str]]

TIMEOUT = 120  # generous: the machine is shared


def _env(sandbox: Sandbox | None, tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SIIGO_")}
    env.update({"SIIGO_LANG": "en", "SIIGO_CONFIG": str(tmp_path / "config.ini")})
    if sandbox is not None:
        env.update(
            {
                "SIIGO_BASE_URL": sandbox.url,
                "SIIGO_USERNAME": DEFAULT_USERNAME,
                "SIIGO_ACCESS_KEY": DEFAULT_ACCESS_KEY,
                "SIIGO_PARTNER_ID": DEFAULT_PARTNER_ID,
            }
        )
    env.update(extra)
    return env


@pytest.fixture
def run(siigo_sandbox: Sandbox, tmp_path: Path) -> Run:
    def runner(*args: str, input: str | None = None, **env: str) -> subprocess.CompletedProcess[str]:
        return run_siigo(args, input=input, timeout=TIMEOUT, env=_env(siigo_sandbox, tmp_path, **env))

    return runner


@pytest.fixture
def demo(siigo_sandbox: Sandbox) -> Iterator[Client]:
    with siigo_sandbox.client() as client:
        seed_demo(client, 30)
        yield client


def _one_error_line(finished: subprocess.CompletedProcess[str]) -> str:
    assert "Traceback" not in finished.stderr
    lines = finished.stderr.strip().splitlines()
    assert len(lines) == 1, finished.stderr
    return lines[0]


def test_help_lists_every_resource_of_the_client(run: Run) -> None:
    finished = run("--help")
    assert finished.returncode == 0, finished.stderr
    attributes = [name for name, member in vars(Client).items() if isinstance(member, cached_property)]
    assert len(attributes) >= 12
    for name in attributes:
        assert re.search(rf"^\s+{name.replace('_', '-')}\s", finished.stdout, re.M), name
    assert set(resources()) == {name.replace("_", "-") for name in attributes}


def test_list_filters_are_the_sdk_signature(run: Run) -> None:
    finished = run("invoices", "list", "--help")
    assert finished.returncode == 0
    for flag in (
        "--date-start",
        "--date-end",
        "--customer-identification",
        "--document-id",
        "--all",
        "--limit",
    ):
        assert flag in finished.stdout
    assert "--type [Product|Service|ConsumerGood|Combo]" in run("products", "list", "--help").stdout


def test_products_as_json_lines_match_the_sdk(run: Run, demo: Client) -> None:
    finished = run("products", "list", "--format", "jsonl")
    assert finished.returncode == 0, finished.stderr
    rows = [json.loads(line) for line in finished.stdout.splitlines()]
    assert [r["code"] for r in rows] == [p.code for p in demo.products.list()]


def test_a_month_of_invoices_exported_to_csv_with_progress(
    run: Run, siigo_sandbox: Sandbox, tmp_path: Path
) -> None:
    with siigo_sandbox.client() as client:
        seed_demo(client, 150)
        start, end = month_bounds(client)
        month = list(client.invoices.list(date_start=start, date_end=end))
    assert len(month) > 20
    target = tmp_path / "month.csv"
    finished = run(
        "invoices",
        "list",
        "--date-start",
        start,
        "--date-end",
        end,
        "--all",
        "--page-size",
        "10",
        "--format",
        "csv",
        "--columns",
        "name,date,customer.identification,total,balance",
        "-o",
        str(target),
    )
    assert finished.returncode == 0, finished.stderr
    with target.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert sorted(r["name"] for r in rows) == sorted(str(i.name) for i in month)
    assert all(start <= r["date"] <= end for r in rows)
    by_name = {str(i.name): i for i in month}
    assert all(Decimal(r["total"]) == by_name[r["name"]].total for r in rows)
    progress = finished.stderr.strip().splitlines()
    pages = -(-len(month) // 10)
    assert progress[-1] == f"invoices: {len(month)} rows in {pages} pages"
    assert len(progress) == pages + 1
    assert progress[0] == f"invoices: 10 of {len(month)} (page 1)"


def month_date(client: Client) -> Any:
    dates = sorted({i.date for i in client.invoices.list() if i.date})
    return dates[len(dates) // 2]


def month_bounds(client: Client) -> tuple[str, str]:
    import calendar

    day = month_date(client)
    last = calendar.monthrange(day.year, day.month)[1]
    return f"{day.year:04d}-{day.month:02d}-01", f"{day.year:04d}-{day.month:02d}-{last:02d}"


def test_table_on_json_and_limit(run: Run, demo: Client) -> None:
    finished = run("invoices", "list", "--limit", "3", "--format", "table", "--quiet")
    assert finished.returncode == 0, finished.stderr
    lines = finished.stdout.splitlines()
    assert lines[0].split()[:2] == ["id", "name"]
    assert len(lines) == 2 + 3
    assert finished.stderr == ""
    as_json = json.loads(run("invoices", "list", "--limit", "2", "--format", "json", "-q").stdout)
    assert len(as_json) == 2 and isinstance(as_json[0]["total"], int | float)


def test_get_pdf_xml_and_wait(run: Run, demo: Client, tmp_path: Path) -> None:
    invoice = next(i for i in demo.invoices.list() if i.stamp and i.stamp.status != "Draft")
    shown = json.loads(run("invoices", "get", invoice.id, "--format", "json").stdout)
    assert shown["id"] == invoice.id and shown["name"] == invoice.name
    target = tmp_path / "invoice.pdf"
    finished = run("invoices", "pdf", invoice.id, "-o", str(target))
    assert finished.returncode == 0, finished.stderr
    assert target.read_bytes().startswith(b"%PDF")
    assert finished.stderr.strip() == f"wrote {target.stat().st_size} bytes to {target}"
    xml = run("invoices", "xml", invoice.id)
    assert xml.returncode == 0 and "<" in xml.stdout
    waited = run("invoices", "wait", invoice.id, "--timeout", "30", "--interval", "0.2", "--format", "json")
    assert waited.returncode == 0, waited.stderr
    assert json.loads(waited.stdout)["stamp"]["status"] == "Accepted"


def test_create_from_stdin_and_a_local_refusal(run: Run, siigo_sandbox: Sandbox) -> None:
    body = {"code": "CLI-1", "name": "Creado desde la terminal", "account_group": 1821}
    created = run("products", "create", "--format", "json", input=json.dumps(body))
    assert created.returncode == 0, created.stderr
    assert json.loads(created.stdout)["code"] == "CLI-1"
    before = len(siigo_sandbox.journal(method="POST", path="^/v1/products$"))
    refused = run("products", "create", input=json.dumps({"code": "CLI-2", "account_group": 1821}))
    assert refused.returncode == 3
    line = _one_error_line(refused)
    assert line.startswith("Refused locally, nothing was sent: parameter_required [field name]")
    assert len(siigo_sandbox.journal(method="POST", path="^/v1/products$")) == before
    verbose = run(
        "--verbose", "products", "create", input=json.dumps({"code": "CLI-2", "account_group": 1821})
    )
    assert verbose.returncode == 3
    assert "Detail: The field name is required" in verbose.stderr
    assert "https://developer.siigo.com/introduction/codigos-de-error/parameter_required" in verbose.stderr
    assert "Traceback" not in verbose.stderr


def test_api_errors_connection_errors_and_usage(run: Run, tmp_path: Path) -> None:
    missing = run("invoices", "get", "9e6f8516-f256-4f47-a4a7-39b0adad113e")
    assert missing.returncode == 4
    assert _one_error_line(missing).startswith("Not found (HTTP 404): not_found")
    spanish = run("--lang", "es", "invoices", "get", "9e6f8516-f256-4f47-a4a7-39b0adad113e")
    assert spanish.returncode == 4
    assert _one_error_line(spanish).startswith("No encontrado (HTTP 404): not_found")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed = probe.getsockname()[1]
    unreachable = run("taxes", "list", SIIGO_BASE_URL=f"http://127.0.0.1:{closed}")
    assert unreachable.returncode == 5
    assert _one_error_line(unreachable).startswith("Could not reach Siigo")
    usage = run("products", "list", "--nonsense")
    assert usage.returncode == 2 and "--nonsense" in usage.stderr and "Traceback" not in usage.stderr
    bad_json = tmp_path / "bad.json"
    bad_json.write_text("{nope", encoding="utf-8")
    unreadable = run("products", "create", str(bad_json))
    assert unreadable.returncode == 2
    assert _one_error_line(unreadable).startswith(f"{bad_json} is not valid JSON")
    config = run("taxes", "list", SIIGO_PARTNER_ID="no spaces allowed")
    assert config.returncode == 2
    assert "partner_id" in _one_error_line(config)


def test_a_configuration_error_in_spanish(run: Run) -> None:
    """``--lang es`` prints the client's configuration error in Spanish, with the same exit code."""
    spanish = run("--lang", "es", "taxes", "list", SIIGO_PARTNER_ID="no spaces allowed")
    assert spanish.returncode == 2
    assert _one_error_line(spanish) == (
        "Error de configuración: El partner_id 'no spaces allowed' tiene caracteres distintos de "
        "letras y dígitos. Siigo exige el encabezado Partner-Id en cada llamada: el nombre de su "
        "integración, de 3 a 100 letras y dígitos sin nada más (sin espacios, guiones ni guiones "
        "bajos), el mismo para todas las empresas que atiende, p. ej. 'MiTiendaERP'. Pase "
        "partner_id=... o defina SIIGO_PARTNER_ID."
    )
    english = run("--lang", "en", "taxes", "list", SIIGO_PARTNER_ID="no spaces allowed")
    assert _one_error_line(english).startswith(
        "Configuration error: partner_id 'no spaces allowed' contains characters other than letters"
    )
    http = run("--lang", "es", "taxes", "list", SIIGO_BASE_URL="http://siigo.example.com")
    assert http.returncode == 2
    assert _one_error_line(http).startswith(
        "Error de configuración: base_url 'http://siigo.example.com' usa http sin cifrar"
    )


def _invoice(value: str) -> dict[str, Any]:
    from siigo.invoice_rules import colombia_today

    today = colombia_today().isoformat()
    return {
        "document": {"id": 28451},
        "date": today,
        "customer": {"identification": "900123456", "branch_office": 0},
        "seller": 4120,
        "items": [
            {
                "code": "SKU-1",
                "quantity": 10,
                "price": "100.00",
                "discount": "50.00",
                "taxes": [{"id": 18401}],
            }
        ],
        "payments": [{"id": 6101, "value": value, "due_date": today}],
    }


def test_invoices_check_reproduces_siigo_totals(run: Run, tmp_path: Path) -> None:
    good = tmp_path / "good.json"
    good.write_text(json.dumps(_invoice("1130.50")), encoding="utf-8")
    finished = run("invoices", "check", str(good))
    assert finished.returncode == 0, finished.stderr
    assert finished.stdout.splitlines() == [
        "line 1: SKU-1  base 950.00  taxes 180.50  total 1130.50",
        "    IVA 19% 19% on 950.00: 180.50",
        "subtotal 950.00",
        "taxes 180.50",
        "total 1130.50",
        "the payments must add up to 1130.50",
        "the payments add up to 1130.50",
        "Siigo would accept this document",
    ]
    bad = run("invoices", "check", "--format", "json", input=json.dumps(_invoice("1130.00")))
    assert bad.returncode == 3
    report = json.loads(bad.stdout)
    assert report["ok"] is False and report["totals"]["amount_due"] == 1130.5
    assert [p["code"] for p in report["problems"]] == ["invalid_total_payments"]
    structural = run("invoices", "check", input=json.dumps({**_invoice("1130.50"), "items": []}))
    assert structural.returncode == 3
    assert "items" in structural.stdout


def _credit_note(value: str) -> dict[str, Any]:
    from siigo.invoice_rules import colombia_today

    return {
        "document": {"id": 28460},
        "date": colombia_today().isoformat(),
        "invoice": "9e6f8516-f256-4f47-a4a7-39b0adad113e",
        "reason": 1,
        "items": [{"code": "SKU-1", "quantity": 2, "price": "100.00", "taxes": [{"id": 18401}]}],
        "payments": [{"id": 6101, "value": value}],
    }


def _quotation(document_id: int) -> dict[str, Any]:
    from siigo.invoice_rules import colombia_today

    return {
        "document": {"id": document_id},
        "date": colombia_today().isoformat(),
        "customer": {"identification": "900123456", "branch_office": 0},
        "seller": 4120,
        "items": [{"code": "SKU-1", "quantity": 3, "price": "50.00", "taxes": [{"id": 18401}]}],
    }


def test_credit_notes_check_prints_the_totals_and_the_amount_due(run: Run) -> None:
    good = run("credit-notes", "check", input=json.dumps(_credit_note("238.00")))
    assert good.returncode == 0, good.stderr
    assert good.stdout.splitlines() == [
        "line 1: SKU-1  base 200.00  taxes 38.00  total 238.00",
        "    IVA 19% 19% on 200.00: 38.00",
        "subtotal 200.00",
        "taxes 38.00",
        "total 238.00",
        "the payments must add up to 238.00",
        "the payments add up to 238.00",
        "Siigo would accept this document",
    ]
    short = run("credit-notes", "check", "--format", "json", input=json.dumps(_credit_note("200.00")))
    assert short.returncode == 3
    report = json.loads(short.stdout)
    assert report["ok"] is False and report["totals"]["amount_due"] == 238
    assert [(p["code"], p["params"]) for p in report["problems"]] == [
        ("invalid_total_payments", ["payments"])
    ]
    assert report["problems"][0]["message_id"] == "rules.total_payments"
    spanish = run("--lang", "es", "credit-notes", "check", input=json.dumps(_credit_note("200.00")))
    assert spanish.returncode == 3
    assert "los pagos deben sumar 238.00" in spanish.stdout
    assert (
        "Detalle: La suma de los pagos debe ser igual al total del documento. El total calculado es "
        "238.00 (los pagos suman 200.00)" in spanish.stdout
    )


def test_quotations_check_has_no_payments_to_add_up(run: Run) -> None:
    good = run("quotations", "check", input=json.dumps(_quotation(28492)))
    assert good.returncode == 0, good.stderr
    assert good.stdout.splitlines() == [
        "line 1: SKU-1  base 150.00  taxes 28.50  total 178.50",
        "    IVA 19% 19% on 150.00: 28.50",
        "subtotal 150.00",
        "taxes 28.50",
        "total 178.50",
        "Siigo would accept this document",
    ]
    invoice_type = run("quotations", "check", "--format", "json", input=json.dumps(_quotation(28451)))
    assert invoice_type.returncode == 3
    problems = json.loads(invoice_type.stdout)["problems"]
    assert [(p["code"], p["params"]) for p in problems] == [("invalid_document", ["document.id"])]
    unknown = run("--lang", "es", "quotations", "check", input=json.dumps(_quotation(99)))
    assert unknown.returncode == 3
    assert "invalid_reference document.id" in unknown.stdout
    assert "Detalle: El tipo de documento 99 no existe en esta empresa" in unknown.stdout


def test_invoices_check_offline_uses_the_demo_catalogs(tmp_path: Path) -> None:
    finished = run_siigo(
        ("--lang", "es", "invoices", "check", "-"),
        input=json.dumps(_invoice("1130.50")),
        timeout=TIMEOUT,
        env=_env(None, tmp_path),
    )
    assert finished.returncode == 0, finished.stderr
    assert "los pagos deben sumar 1130.50" in finished.stdout
    assert finished.stdout.strip().endswith("Siigo aceptaría este documento")
    assert "catálogos de demostración" in finished.stderr


def test_profiles_keep_the_key_out_of_the_file(run: Run, tmp_path: Path, siigo_sandbox: Sandbox) -> None:
    added = run(
        "profiles",
        "add",
        "empresa",
        "--username",
        DEFAULT_USERNAME,
        "--partner-id",
        "MiIntegracion",
        "--base-url",
        siigo_sandbox.url,
        "--access-key-env",
        "EMPRESA_KEY",
    )
    assert added.returncode == 0, added.stderr
    config = (tmp_path / "config.ini").read_text(encoding="utf-8")
    assert "EMPRESA_KEY" in config and DEFAULT_ACCESS_KEY not in config
    assert oct((tmp_path / "config.ini").stat().st_mode & 0o777) == "0o600"
    listed = run("profiles", "list")
    assert "empresa" in listed.stdout and "key from $EMPRESA_KEY" in listed.stdout
    used = run(
        "--profile", "empresa", "taxes", "list", "--format", "json",
        SIIGO_USERNAME="", SIIGO_ACCESS_KEY="", EMPRESA_KEY=DEFAULT_ACCESS_KEY,
    )  # fmt: skip
    assert used.returncode == 0, used.stderr
    assert any(t["id"] == 18401 for t in json.loads(used.stdout))
    unset = run("--profile", "empresa", "taxes", "list")
    assert unset.returncode == 2
    assert (
        _one_error_line(unset) == "profile empresa reads the access key from $EMPRESA_KEY, which is not set"
    )
    unknown = run("--profile", "otra", "taxes", "list")
    assert unknown.returncode == 2 and "no profile otra" in unknown.stderr
    stored = run(
        "profiles", "add", "guardada", "--username", "u@example.com", "--partner-id", "MiApp",
        "--store-access-key", input="clave-secreta\n",
    )  # fmt: skip
    assert stored.returncode == 0, stored.stderr
    assert "stored in plain text" in stored.stderr
    assert "clave-secreta" not in stored.stdout + stored.stderr
    assert "clave-secreta" not in run("profiles", "list").stdout


def test_without_a_company_it_says_how_to_choose_one(tmp_path: Path) -> None:
    finished = subprocess.run(
        [sys.executable, "-m", "siigo", "taxes", "list"],
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        env=_env(None, tmp_path),
    )
    assert finished.returncode == 2
    assert _one_error_line(finished) == (
        "no company configured: set SIIGO_USERNAME, SIIGO_ACCESS_KEY and SIIGO_PARTNER_ID, "
        "use --profile NAME (see siigo profiles add), or try --sandbox"
    )


def _peak_kib(run_env: dict[str, str], *args: str) -> int:
    """Peak memory (KiB) of one ``siigo`` process, measured by a parent of its own."""
    code = (
        "import resource, subprocess, sys\n"
        f"subprocess.run([sys.executable, '-m', 'siigo', *{list(args)!r}], check=True)\n"
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
    )
    finished = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=TIMEOUT, env=run_env
    )
    assert finished.returncode == 0, finished.stderr
    return int(finished.stdout.split()[-1])


def test_exports_keep_memory_flat(siigo_sandbox: Sandbox, tmp_path: Path) -> None:
    export = ("invoices", "list", "--all", "--page-size", "100", "--format", "csv", "-q", "-o", os.devnull)
    env = _env(siigo_sandbox, tmp_path)
    with siigo_sandbox.client() as client:
        seed_demo(client, 200)
        small = _peak_kib(env, *export)
        day = str(next(iter(client.invoices.list())).date)
        created = client.invoices.create(
            document={"id": 28451},
            date=day,
            customer={"identification": "900123456", "branch_office": 0},
            seller=4120,
            items=[{"code": "SKU-1", "quantity": 3, "price": "100", "taxes": [{"id": 18401}]}],
            payments=[{"id": 6101, "value": "357", "due_date": day}],
        )
        # 2 799 more like it, each with its own id and number, stored directly (creating them
        # one request at a time took most of this test's time, and the export reads them alike).
        invoices = siigo_sandbox.tenant().invoices
        template = invoices[created.id]
        with siigo_sandbox.state.lock:
            for n in range(1, 2800):
                row = copy_document(template)
                row["id"] = str(uuid.uuid4())
                row["number"] = template["number"] + n
                row["name"] = f"{template['name'].rsplit('-', 1)[0]}-{row['number']}"
                invoices[row["id"]] = row
        assert client.invoices.list().total_results == 3000
    large = _peak_kib(env, *export)
    # Holding 3 000 invoices costs tens of MiB more; streaming them, about one page more.
    assert large - small < 12 * 1024, (small, large)


def test_embedded_sandbox_needs_no_credentials(tmp_path: Path) -> None:
    finished = subprocess.run(
        [sys.executable, "-m", "siigo", "--sandbox", "invoices", "list", "--all", "--format", "jsonl"],
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        env=_env(None, tmp_path),
    )
    assert finished.returncode == 0, finished.stderr
    rows = [json.loads(line) for line in finished.stdout.splitlines()]
    assert len(rows) == 12 and all(r["name"].startswith("FV-") for r in rows)


def test_without_the_cli_extra_it_says_what_to_install(tmp_path: Path) -> None:
    code = "import sys; sys.modules['click'] = None; from siigo.__main__ import main; sys.exit(main(['taxes', 'list']))"
    finished = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        env=_env(None, tmp_path),
    )
    assert finished.returncode == 2
    assert finished.stderr.strip() == "the siigo command needs its extra: pip install 'siigo-python[cli]'"


def test_rows_are_written_as_they_come() -> None:
    consumed: list[int] = []
    written_after: list[int] = []

    def rows() -> Iterator[dict[str, Any]]:
        for n in range(5000):
            consumed.append(n)
            yield {"id": n, "total": Decimal("10.50")}

    class Sink(io.StringIO):
        def write(self, text: str) -> int:
            written_after.append(len(consumed))
            return super().write(text)

    for fmt in ("jsonl", "csv", "json", "table"):
        consumed.clear()
        written_after.clear()
        sink = Sink()
        assert write_rows(rows(), fmt, sink) == 5000
        assert written_after[0] <= 100, fmt  # the first row goes out before the rest is read
        assert "10.50" in sink.getvalue()


def _default_sigint() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def test_sandbox_command_seeds_keeps_state_and_injects_faults(tmp_path: Path) -> None:
    state = tmp_path / "state.json"

    def start(*extra: str, until: str = "  inspector") -> tuple[subprocess.Popen[str], str]:
        process = subprocess.Popen(
            [sys.executable, "-m", "siigo", "sandbox", "--port", "0", "--state", str(state), *extra],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=_env(None, tmp_path),
            # Ctrl+C as a terminal sends it: a suite started in the background (``make test &``)
            # hands its children SIGINT ignored, and the sandbox would never see it.
            preexec_fn=_default_sigint,
        )
        assert process.stdout is not None
        lines = []
        deadline = time.monotonic() + TIMEOUT
        while time.monotonic() < deadline:
            line = process.stdout.readline()
            lines.append(line)
            if line.startswith(until) or not line:
                break
        url = re.search(r"http://127\.0\.0\.1:\d+", lines[0])
        assert url, lines
        return process, url.group(0)

    def stop(process: subprocess.Popen[str]) -> str:
        process.send_signal(signal.SIGINT)
        _, err = process.communicate(timeout=TIMEOUT)
        assert process.returncode == 0, err
        return err

    first, url = start("--seed", "5", until="  demo data")
    try:
        with Client(DEFAULT_USERNAME, DEFAULT_ACCESS_KEY, DEFAULT_PARTNER_ID, base_url=url) as client:
            assert len(list(client.invoices.list())) == 5
    finally:
        assert stop(first).strip() == f"state saved to {state}"
    second, url = start()
    try:
        with Client(DEFAULT_USERNAME, DEFAULT_ACCESS_KEY, DEFAULT_PARTNER_ID, base_url=url) as client:
            assert len(list(client.invoices.list())) == 5
            assert {p.code for p in client.products.list()} >= {"SKU-1", "CAB-3M"}
    finally:
        stop(second)
    fault = '{"path": "^/v1/taxes$", "status": 503, "count": null}'
    third, url = start("--fault", fault)
    try:
        with Client(
            DEFAULT_USERNAME, DEFAULT_ACCESS_KEY, DEFAULT_PARTNER_ID, base_url=url, max_retries=0
        ) as c:
            from siigo import ServerError

            with pytest.raises(ServerError) as caught:
                c.taxes.list()
            assert caught.value.status == 503 and caught.value.code == "service_unavailable"
    finally:
        stop(third)
    refused = run_siigo(("sandbox", "--fault", '{"status": 99}'), timeout=TIMEOUT, env=_env(None, tmp_path))
    assert refused.returncode == 2
    assert "fault status must be an HTTP error status from 400 to 599" in refused.stderr


def test_waiting_for_dian_shows_the_seconds(run: Run, siigo_sandbox: Sandbox, tmp_path: Path) -> None:
    from siigo.sandbox.documents import meta
    from siigo.sandbox.handlers.invoices import set_stamp_delay

    # DIAN answers only when the test moves the sandbox's clock: however long the command takes
    # to start on a busy machine, it is still waiting when it counts its first second.
    set_stamp_delay(siigo_sandbox.state, DEFAULT_USERNAME, 3600)
    with siigo_sandbox.client() as client:
        seed_demo(client, 2)
        pending = [i for i in client.invoices.list() if i.stamp and i.stamp.status != "Accepted"]
    assert len(pending) == 2, "the electronic invoices should wait for DIAN"
    gave_up = run("invoices", "wait", pending[-1].id, "--timeout", "0", SIIGO_LANG="es")
    assert gave_up.returncode == 5
    assert _one_error_line(gave_up).startswith("Sin respuesta a tiempo: ")
    waiting = subprocess.Popen(
        [
            *(sys.executable, "-m", "siigo", "invoices", "wait", pending[0].id),
            *("--timeout", "60", "--interval", "0.2", "--format", "json"),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=_env(siigo_sandbox, tmp_path),
    )
    assert waiting.stderr is not None
    # The command prints the seconds it has waited, a line a second: wait for the first line.
    first = waiting.stderr.readline()
    shown = [first.rstrip("\n")] if first else []
    # Now DIAN answers (on the sandbox's clock), and the next poll reads it.
    pending_answer = meta(siigo_sandbox.tenant(), pending[0].id)["pending"]
    siigo_sandbox.advance_clock(pending_answer["until"] - siigo_sandbox.state.now() + 1.0)
    stdout, stderr = waiting.communicate(timeout=TIMEOUT)
    shown += stderr.splitlines()
    assert waiting.returncode == 0, shown
    assert json.loads(stdout)["stamp"]["status"] == "Accepted"
    assert "waiting for DIAN's answer... 1 s" in shown


def test_progress_bar_on_a_terminal(siigo_sandbox: Sandbox, tmp_path: Path) -> None:
    import pty

    with siigo_sandbox.client() as client:
        seed_demo(client, 30)
    controller, terminal = pty.openpty()
    try:
        finished = subprocess.run(
            [
                sys.executable,
                "-m",
                "siigo",
                "invoices",
                "list",
                "--all",
                "--page-size",
                "10",
                "--format",
                "jsonl",
            ],
            stdout=subprocess.PIPE,
            stderr=terminal,
            text=True,
            timeout=TIMEOUT,
            env=_env(siigo_sandbox, tmp_path),
        )
        os.close(terminal)
        terminal = -1
        shown = b""
        while True:
            try:
                chunk = os.read(controller, 4096)
            except OSError:
                break
            if not chunk:
                break
            shown += chunk
    finally:
        os.close(controller)
        if terminal >= 0:
            os.close(terminal)
    assert finished.returncode == 0
    assert len(finished.stdout.splitlines()) == 30
    text = shown.decode()
    assert "\r[########................] invoices: 10 of 30 (page 1)" in text
    assert "\r[########################] invoices: 30 rows in 3 pages" in text


def test_sandbox_options_in_spanish(tmp_path: Path) -> None:
    def sandbox(*args: str) -> subprocess.CompletedProcess[str]:
        return run_siigo(("--lang", "es", "sandbox", *args), timeout=TIMEOUT, env=_env(None, tmp_path))

    shown = sandbox("--help")
    assert shown.returncode == 0
    assert "puerto donde escuchar (por defecto 8765)" in shown.stdout
    refused = sandbox("--port", "70000")
    assert refused.returncode == 2
    assert "70000 no es un número de puerto (0 a 65535; 0 elige uno libre)" in refused.stderr


def test_stamp_sends_a_saved_invoice_and_names_siigos_refusal(run: Run, demo: Client) -> None:
    plain = next(i for i in demo.invoices.list() if i.stamp is None or i.stamp.status == "Draft")
    assert plain.customer is not None and plain.items
    body: dict[str, Any] = {
        "document": {"id": 28453},
        "date": colombia_today().isoformat(),
        "customer": {"identification": plain.customer.identification, "branch_office": 0},
        "seller": 4120,
        "items": [
            {"code": item.code, "quantity": item.quantity, "price": item.price} for item in plain.items
        ],
    }
    totals = demo.invoices.compute_totals(body)
    body["payments"] = [{"id": 6101, "value": totals.amount_due, "due_date": body["date"]}]
    draft = demo.invoices.create(body)
    assert draft.stamp is not None and draft.stamp.status == "Draft"

    sent = run("invoices", "stamp", draft.id, "--format", "json")
    assert sent.returncode == 0, sent.stderr
    answer = json.loads(sent.stdout)
    assert answer["stamp"]["status"] == "Accepted" and len(answer["stamp"]["uuid"]) == 96
    assert answer["mail"]["status"] == "sent"
    assert demo.invoices.retrieve(draft.id).cufe == answer["stamp"]["uuid"]

    refused = run("invoices", "stamp", plain.id)
    assert refused.returncode != 0
    assert "document_settings" in _one_error_line(refused)
    assert "Enviar a la DIAN" in run("invoices", "stamp", "--help", SIIGO_LANG="es").stdout
