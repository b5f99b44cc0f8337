"""What the ``siigo`` command imports and builds before it runs: the helps come from the written
index of commands (:mod:`siigo.cli._index`), and a command imports the resource it uses only.

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
from siigo.cli.app import Env, build
from siigo.cli.registry import command_index, index_source, resources
from siigo.messages import Language

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


def _modules_after(*args: str, tmp_path: Path) -> set[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SIIGO_")}
    env["SIIGO_CONFIG"] = str(tmp_path / "config.ini")
    finished = subprocess.run(
        [sys.executable, "-c", _MODULES_AFTER, *args],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        check=True,
    )
    result = json.loads(finished.stdout)
    assert result["code"] == 0, finished.stderr
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
        ("profiles", "path"),
        ("sandbox", "--help"),
    ],
    ids=" ".join,
)
def test_helps_import_no_resource_model_or_client(args: tuple[str, ...], tmp_path: Path) -> None:
    modules = _modules_after(*args, tmp_path=tmp_path)
    assert "siigo.cli.app" in modules or args[0] == "sandbox"
    assert _heavy(modules) == []


def test_a_command_imports_its_own_resource_only(tmp_path: Path) -> None:
    modules = _modules_after("products", "list", "--help", tmp_path=tmp_path)
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
