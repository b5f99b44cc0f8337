"""What the ``siigo`` command imports and builds before it runs: the helps and the usage errors
come from the written index of commands (:mod:`siigo.cli._index`), and a command imports the
resource it uses only, when it runs.

The import tests run ``python -m siigo``'s ``main`` in a fresh interpreter and look at
``sys.modules`` afterwards; they time nothing."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from siigo.cli import _index
from siigo.cli.app import EXIT_USAGE, Env, build
from siigo.cli.registry import command_index, index_source, resources
from siigo.messages import Language
from siigo.sandbox import DEFAULT_ACCESS_KEY, DEFAULT_PARTNER_ID, DEFAULT_USERNAME, Sandbox

_MODULES_AFTER = """
import contextlib, io, json, sys
from siigo.__main__ import main
with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
    code = main(sys.argv[1:])
print(json.dumps({"code": code, "modules": sorted(sys.modules)}))
"""

# What a help must not cost: the client and its HTTP stack, pydantic, any resource or model, the
# sandbox, the registry (which reads the resources' signatures) and the writers.
HEAVY = (
    "requests",
    "pydantic",
    "siigo.client",
    "siigo.cli.registry",
    "siigo.cli.output",
    "siigo.resources",
    "siigo.models",
    "siigo.sandbox",
    "siigo.totals",
)


def _modules_after(
    *args: str, tmp_path: Path, code: int = 0, company: dict[str, str] | None = None
) -> set[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SIIGO_")}
    env["SIIGO_CONFIG"] = str(tmp_path / "config.ini")
    env.update(company or {})
    finished = subprocess.run(
        [sys.executable, "-c", _MODULES_AFTER, *args],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        check=True,
    )
    result = json.loads(finished.stdout)
    assert result["code"] == code, finished.stderr
    return set(result["modules"])


def _heavy(modules: set[str]) -> list[str]:
    return sorted(m for m in modules if any(m == h or m.startswith(h + ".") for h in HEAVY))


@pytest.mark.parametrize(
    "args",
    [
        ("--help",),
        ("--lang", "es", "--help"),
        ("invoices", "--help"),
        ("credit-notes", "--help"),
        ("products", "list", "--help"),
        ("invoices", "create", "--help"),
        ("--lang", "es", "invoices", "create", "--help"),
        ("invoices", "check", "--help"),
        ("profiles", "path"),
        ("sandbox", "--help"),
    ],
    ids=" ".join,
)
def test_helps_import_no_resource_model_or_client(args: tuple[str, ...], tmp_path: Path) -> None:
    modules = _modules_after(*args, tmp_path=tmp_path)
    assert "siigo.cli.app" in modules or args[0] == "sandbox"
    assert _heavy(modules) == []


@pytest.mark.parametrize(
    "args",
    [
        ("document-types", "list"),  # --type is required
        ("document-types", "list", "--type", "XX"),
        ("invoices", "get"),  # no ID
        ("invoices", "mail", "1"),  # --mail-to is required
        ("--lang", "es", "reports", "trial-balance", "--year", "twenty"),
        ("products", "list", "--nope"),
        ("products", "lis"),
    ],
    ids=" ".join,
)
def test_usage_errors_import_no_resource_model_or_client(args: tuple[str, ...], tmp_path: Path) -> None:
    modules = _modules_after(*args, tmp_path=tmp_path, code=EXIT_USAGE)
    assert _heavy(modules) == []


def test_a_command_imports_its_own_resource_only(siigo_sandbox: Sandbox, tmp_path: Path) -> None:
    company = {
        "SIIGO_BASE_URL": siigo_sandbox.url,
        "SIIGO_USERNAME": DEFAULT_USERNAME,
        "SIIGO_ACCESS_KEY": DEFAULT_ACCESS_KEY,
        "SIIGO_PARTNER_ID": DEFAULT_PARTNER_ID,
    }
    modules = _modules_after("products", "list", "--format", "json", tmp_path=tmp_path, company=company)
    assert {"siigo.client", "siigo.resources.products", "siigo.models.products"} <= modules
    others = {"siigo.resources.invoices", "siigo.models.invoices", "siigo.models.customers"}
    assert not others & modules
    assert not {m for m in modules if m.startswith("siigo.sandbox")}


def test_the_index_is_what_the_registry_finds() -> None:
    expected = command_index()
    assert expected == _index.RESOURCES, "the commands changed: run python -m siigo.cli.registry"
    assert Path(_index.__file__).read_text(encoding="utf-8") == index_source()
    assert {"invoices", "products", "credit-notes"} <= set(expected)


def _helps(group_args: list[list[str]], lang: Language, eager: bool) -> list[tuple[int, str]]:
    """The exit code and output of each command line, from the index or (``eager``) from the
    resources' own specs."""
    specs = resources() if eager else None
    shown = []
    for args in group_args:
        result = CliRunner().invoke(build(Env(lang), specs), args, prog_name="siigo")
        shown.append((result.exit_code, result.output))
    return shown


@pytest.mark.parametrize("lang", ["en", "es"])
def test_helps_from_the_index_are_those_of_the_resources(lang: Language) -> None:
    """Every help the index answers, and the suggestions of a mistyped command, as the groups
    made from the resources themselves show them."""
    cases = [["--help"], ["prof"]]
    for command, (_, verbs, check) in _index.RESOURCES.items():
        cases += [[command, "--help"], [command], [command, "nope"], [command, verbs[0][0][:-1]]]
        if check:
            cases.append([command, "chek"])
    lazy = _helps(cases, lang, eager=False)
    assert lazy == _helps(cases, lang, eager=True)
    assert "products: create, delete, get, list, update" in lazy[0][1]
    assert any("Did you mean 'list'?" in output for _, output in lazy)


def _usage_errors() -> list[list[str]]:
    """For every command of every resource: a missing ``ID``, each required option missing, a
    bad value of each choice and of each number, and an unknown option."""
    cases = []
    for command, (_, verbs, _) in _index.RESOURCES.items():
        for name, _, _, id_kind, options, _, _ in verbs:
            if id_kind:
                cases.append([command, name])
            given = [command, name, *(["7"] if id_kind else [])]
            required = {
                o[0]: ["--" + o[0].replace("_", "-"), o[3][0] if o[3] else "1"] for o in options if o[2]
            }
            for option, kind, _, _ in options:
                if kind in ("choice", "int", "float"):
                    cases.append([*given, "--" + option.replace("_", "-"), "nope"])
                if option in required:
                    others = [part for other, value in required.items() if other != option for part in value]
                    cases.append([*given, *others])
            cases.append([*given, "--no-such-option"])
    return cases


@pytest.mark.parametrize("lang", ["en", "es"])
def test_every_command_help_from_the_index_is_that_of_its_resource(lang: Language) -> None:
    """``siigo <resource> <command> --help`` for every command, made from the index, shows what
    the command made from the resource's signature shows."""
    cases = [
        [command, name, "--help"]
        for command, (_, verbs, check) in _index.RESOURCES.items()
        for name in [verb[0] for verb in verbs] + (["check"] if check else [])
    ]
    lazy = _helps(cases, lang, eager=False)
    assert lazy == _helps(cases, lang, eager=True)
    assert all(code == 0 for code, _ in lazy)
    shown = {" ".join(case): output for case, (_, output) in zip(cases, lazy, strict=True)}
    assert "--document-type [FV|NC|RC|FC]" in shown["payment-types list --help"]
    assert "--mail-to TEXT" in shown["invoices mail --help"] and "[required]" in shown["invoices mail --help"]
    assert "siigo invoices get [OPTIONS] ID" in shown["invoices get --help"]
    assert "--format [table|json|jsonl|csv]" in shown["products get --help"]
    assert "--format" not in shown["invoices pdf --help"] and "--output" in shown["invoices pdf --help"]


@pytest.mark.parametrize("lang", ["en", "es"])
def test_usage_errors_from_the_index_are_those_of_the_resources(lang: Language) -> None:
    """A missing argument or option, a bad choice or number and an unknown option: the same
    error, with the same exit code, from the index as from the resources' own specs."""
    cases = _usage_errors()
    lazy = _helps(cases, lang, eager=False)
    assert lazy == _helps(cases, lang, eager=True)
    errors = {" ".join(case): output for case, (_, output) in zip(cases, lazy, strict=True)}
    assert [case for case, (code, _) in zip(cases, lazy, strict=True) if code != EXIT_USAGE] == []
    assert len(errors) > 100
    if lang == "en":
        assert "Missing option '--type'" in errors["document-types list"]
        assert "'nope' is not one of 'FV', 'NC'" in errors["document-types list --type nope"]
        assert "Missing argument 'ID'" in errors["invoices get"]
        assert "'nope' is not a valid integer" in errors["reports trial-balance --year nope"]
