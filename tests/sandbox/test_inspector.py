"""The sandbox inspector, in a real headless Chromium (Debian's ``chromium``, driven by Playwright).

Skipped when Chromium or Playwright is missing, unless ``SIIGO_REQUIRE_BROWSER=1`` (CI), where a
missing browser fails the run instead.
"""

from __future__ import annotations

import os
import re
import shutil
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import requests

from siigo import BadRequestError, Client, ServerError
from siigo.sandbox import DEFAULT_ACCESS_KEY, Sandbox
from siigo.sandbox.demo import seed_demo

CHROMIUM = os.environ.get("SIIGO_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
WAIT_MS = 30_000  # the machine is shared: be patient


def _browser_or_skip() -> Any:
    required = os.environ.get("SIIGO_REQUIRE_BROWSER") == "1"
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        if required:
            pytest.fail("SIIGO_REQUIRE_BROWSER=1 but playwright is not installed (pip install playwright)")
        pytest.skip("playwright is not installed")
    if not os.path.exists(CHROMIUM):
        if required:
            pytest.fail(
                f"SIIGO_REQUIRE_BROWSER=1 but there is no Chromium at {CHROMIUM} (apt-get install chromium)"
            )
        pytest.skip(f"no Chromium at {CHROMIUM}")
    return sync_playwright


def _page(tmp_path: Path, locale: str) -> Iterator[Any]:
    """A page of a fresh Chromium whose ``Accept-Language`` is ``locale``'s."""
    sync_playwright = _browser_or_skip()
    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(tmp_path / "profile"),
            executable_path=CHROMIUM,
            headless=True,
            args=FLAGS,
            accept_downloads=True,
            locale=locale,
        )
        try:
            context.set_default_timeout(WAIT_MS)
            yield context.new_page()
        finally:
            context.close()


@pytest.fixture
def page(tmp_path: Path) -> Iterator[Any]:
    yield from _page(tmp_path, "en-US")


@pytest.fixture
def spanish_page(tmp_path: Path) -> Iterator[Any]:
    yield from _page(tmp_path, "es-CO")


def _eventually(check: Callable[[], bool], what: str, seconds: float = 30.0) -> None:
    deadline = time.monotonic() + seconds
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.1)


def test_root_serves_the_page_without_touching_the_journal(siigo_sandbox: Sandbox) -> None:
    answer = requests.get(siigo_sandbox.url + "/", timeout=10)
    assert answer.status_code == 200 and answer.headers["Content-Type"].startswith("text/html")
    assert 'data-t="title">Siigo sandbox inspector</title>' in answer.text
    script = requests.get(siigo_sandbox.url + "/_sandbox/ui/app.js", timeout=10)
    assert script.status_code == 200 and "javascript" in script.headers["Content-Type"]
    assert requests.get(siigo_sandbox.url + "/_sandbox/ui/../state.py", timeout=10).status_code == 404
    assert requests.get(siigo_sandbox.url + "/favicon.ico", timeout=10).status_code == 204
    assert siigo_sandbox.journal() == []


def test_other_sites_cannot_change_the_sandbox(siigo_sandbox: Sandbox) -> None:
    host = siigo_sandbox.url.split("//", 1)[1]
    evil = requests.post(
        siigo_sandbox.url + "/_sandbox/faults",
        json={"status": 503},
        headers={"Origin": "http://evil.example"},
        timeout=10,
    )
    assert evil.status_code == 403 and evil.json()["Errors"][0]["Code"] == "disabled_functionality"
    assert siigo_sandbox.faults() == []
    own = requests.post(
        siigo_sandbox.url + "/_sandbox/faults",
        json={"status": 503},
        headers={"Origin": f"http://{host}"},
        timeout=10,
    )
    assert own.status_code == 201 and len(siigo_sandbox.faults()) == 1
    assert requests.get(
        siigo_sandbox.url + "/_sandbox/faults", headers={"Origin": "http://evil.example"}, timeout=10
    ).ok


def test_settings_are_shown_without_access_keys(siigo_sandbox: Sandbox) -> None:
    siigo_sandbox.configure(credentials={"solo@example.com": "clave-muy-secreta"})
    overview = requests.get(siigo_sandbox.url + "/_sandbox/inspect", timeout=10).json()
    assert overview["settings"]["accepted_usernames"] == ["solo@example.com"]
    assert "clave-muy-secreta" not in str(overview) and "credentials" not in overview["settings"]


def test_inspector_in_chromium(page: Any, siigo_sandbox: Sandbox, tmp_path: Path) -> None:
    with siigo_sandbox.client() as client:
        seed_demo(client, 4)
        invoices = list(client.invoices.list())
        electronic = next(i for i in invoices if i.stamp and i.stamp.status == "Accepted")
        token = client._tokens.token()
        with pytest.raises(BadRequestError) as refused:  # it must show in the log
            client.products.create({"code": "SKU-1", "name": "Repetido", "account_group": 1821})
        assert refused.value.codes == ["already_exists"]

        page.goto(siigo_sandbox.url + "/")
        rows = page.locator("#kind-invoices tr[data-id]")
        rows.first.wait_for()
        assert rows.count() == len(invoices) == 4
        text = page.inner_text("body")
        for invoice in invoices:
            assert str(invoice.name) in text
        assert "Ferretería El Tornillo S.A.S." in text and "TAL-750-001" in text
        assert "Accepted" in text
        # Each section of the page fills in on its own: wait for the request log's row.
        page.locator("#journal").get_by_text("already_exists").first.wait_for()
        log = page.inner_text("#journal")
        assert "already_exists" in log and "/v1/products" in log
        created = siigo_sandbox.journal(method="POST", path="^/v1/invoices$")[0]
        assert created.idempotency_key and created.idempotency_key in log
        assert token not in page.content() and DEFAULT_ACCESS_KEY not in page.content()

        # A click downloads the PDF.
        row = page.locator(f"#kind-invoices tr[data-id='{electronic.id}']")
        with page.expect_download() as download:
            row.locator("a.pdf").click()
        saved = tmp_path / "invoice.pdf"
        download.value.save_as(saved)
        assert saved.read_bytes().startswith(b"%PDF")
        assert download.value.suggested_filename == f"{electronic.name}.pdf"

        # The DIAN status changes from the page.
        row.locator("select").select_option("Rejected")

        def rejected() -> bool:
            stamp = client.invoices.retrieve(electronic.id).stamp
            return stamp is not None and stamp.status == "Rejected"

        _eventually(rejected, "the DIAN status to change")
        page.locator(f"#kind-invoices tr[data-id='{electronic.id}'] .badge.Rejected").wait_for()

        # A fault switch changes the next API answer.
        page.fill("#fault-form input[name=path]", "^/v1/taxes$")
        page.fill("#fault-form input[name=status]", "503")
        page.click("#fault-form button[type=submit]")
        page.locator("#faults tr", has_text="status 503").wait_for()
        with Client(
            client.username, DEFAULT_ACCESS_KEY, client.partner_id, base_url=siigo_sandbox.url, max_retries=0
        ) as fresh:
            with pytest.raises(ServerError) as caught:
                fresh.taxes.list()
            assert caught.value.status == 503
            assert fresh.taxes.list()  # the fault was for one request
        page.click("#refresh")
        page.locator("#journal tr.error", has_text="service_unavailable").wait_for()

        # Reset the company.
        page.click("#reset-company")
        page.locator("#kind-invoices", has_text="No invoices yet.").wait_for()
        assert list(client.invoices.list()) == []


def test_the_page_speaks_the_browser_s_language(siigo_sandbox: Sandbox) -> None:
    spanish = requests.get(
        siigo_sandbox.url + "/_sandbox/texts", headers={"Accept-Language": "es-CO,es;q=0.9"}, timeout=10
    ).json()
    assert spanish["language"] == "es" and spanish["texts"]["journal"] == "Registro de solicitudes"
    assert spanish["kinds"]["invoices"] == "Facturas de venta"
    chosen = requests.get(
        siigo_sandbox.url + "/_sandbox/texts?lang=en", headers={"Accept-Language": "es"}, timeout=10
    ).json()
    assert chosen["language"] == "en" and chosen["texts"]["journal"] == "Request log"
    other = requests.get(siigo_sandbox.url + "/_sandbox/texts", headers={"Accept-Language": "fr"}, timeout=10)
    assert other.json()["language"] == "en"
    assert siigo_sandbox.journal() == []


def test_every_word_of_the_page_is_in_the_catalog() -> None:
    from siigo.messages import TEXTS

    folder = Path(__file__).resolve().parents[2] / "siigo" / "sandbox" / "inspector"
    html = (folder / "index.html").read_text(encoding="utf-8")
    script = (folder / "app.js").read_text(encoding="utf-8")
    used = set(re.findall(r'data-t(?:-placeholder)?="([\w.]+)"', html))
    used |= set(re.findall(r'\bt\("([\w.]+)"', script))
    used |= set(re.findall(r'"(col\.\w+)"', script))  # the column headers, mapped through t()
    used = (used - {"fault."}) | {f"fault.{when}" for when in ("before", "after")}  # t("fault." + f.drop)
    assert len(used) > 70
    missing = {key for key in used if f"inspector.{key}" not in TEXTS}
    assert not missing, sorted(missing)


def test_inspector_in_spanish_in_chromium(spanish_page: Any, siigo_sandbox: Sandbox) -> None:
    page = spanish_page
    with siigo_sandbox.client() as client:
        seed_demo(client, 2)
        invoices = list(client.invoices.list())
        page.goto(siigo_sandbox.url + "/")
        page.locator("#kind-invoices tr[data-id]").first.wait_for()
        page.locator("#kind-invoices h3", has_text=f"Facturas de venta ({len(invoices)})").wait_for()
        assert page.get_attribute("html", "lang") == "es"
        assert page.input_value("#lang") == "es"
        assert page.inner_text("#journal-section h2").startswith("Registro de solicitudes")
        headers = page.locator("#kind-invoices th").all_inner_texts()
        assert headers[:5] == ["Nombre", "Fecha", "Cliente", "Total", "Saldo"]
        assert "Todavía no hay notas crédito." in page.inner_text("#kind-credit_notes")
        assert page.get_attribute("#fault-form input[name=method]", "placeholder") == "cualquiera"

        page.fill("#fault-form input[name=path]", "^/v1/taxes$")
        page.fill("#fault-form input[name=status]", "503")
        page.click("#fault-form button[type=submit]")
        page.locator("#faults tr", has_text="estado 503").wait_for()
        page.locator("#status", has_text="falla agregada").wait_for()

        # The switch turns the page to English and the choice outlives a reload.
        page.select_option("#lang", "en")
        page.locator("#journal-section h2", has_text="Request log").wait_for()
        page.locator("#faults tr", has_text="status 503").wait_for()
        page.reload()
        page.locator("#kind-invoices h3", has_text=f"Invoices ({len(invoices)})").wait_for()
        assert page.get_attribute("html", "lang") == "en"
