"""Start-up: a client, the models and the command line import only what is used."""

from __future__ import annotations

import ast
import importlib
import json
import subprocess
import sys
from functools import cached_property
from pathlib import Path

import pytest

import siigo.models as models
from siigo import Client

PACKAGE = Path(__file__).resolve().parents[2] / "siigo"


def _imported_after(code: str) -> dict[str, list[str]]:
    """The ``siigo`` modules a fresh interpreter has imported at each ``mark(name)`` of ``code``."""
    program = (
        "import json, sys\n"
        "seen = {}\n"
        "def mark(name):\n"
        "    seen[name] = sorted(m for m in sys.modules if m.startswith('siigo'))\n"
        f"{code}\n"
        "sys.stdout.write('\\n' + json.dumps(seen))\n"
    )
    finished = subprocess.run(
        [sys.executable, "-c", program], capture_output=True, text=True, timeout=60, cwd=PACKAGE.parent
    )
    assert finished.returncode == 0, finished.stderr
    seen: dict[str, list[str]] = json.loads(finished.stdout.splitlines()[-1])
    return seen


def test_a_client_imports_a_resource_and_its_models_on_first_use() -> None:
    seen = _imported_after(
        "from siigo import Client\n"
        "mark('imported')\n"
        "client = Client(username='api@empresa.com', access_key='k', partner_id='MiAplicacion')\n"
        "mark('made')\n"
        "client.products\n"
        "mark('products')\n"
    )
    for moment in ("imported", "made"):
        modules = seen[moment]
        assert "siigo.client" in modules
        assert not [m for m in modules if m.startswith(("siigo.models.", "siigo.resources."))], moment
        assert "siigo.pagination" not in modules and "siigo.totals" not in modules, moment
    after = seen["products"]
    assert "siigo.resources.products" in after and "siigo.models.products" in after
    for other in ("invoices", "customers", "credit_notes", "purchases", "journals"):
        assert f"siigo.resources.{other}" not in after and f"siigo.models.{other}" not in after


def test_a_model_module_imports_only_what_it_uses() -> None:
    seen = _imported_after("from siigo.models.products import Product\nmark('product')\n")
    assert "siigo.models.products" in seen["product"]
    assert "siigo.models.invoices" not in seen["product"]
    assert "siigo.models.customers" not in seen["product"]


def test_a_resource_commands_help_imports_no_resource() -> None:
    seen = _imported_after(
        "import contextlib, io\n"
        "from siigo.__main__ import main\n"
        "with contextlib.redirect_stdout(io.StringIO()) as out:\n"
        "    code = main(['products', 'list', '--help'])\n"
        "assert code == 0 and '--created-start' in out.getvalue(), out.getvalue()\n"
        "mark('help')\n"
    )
    assert "siigo.cli._index" in seen["help"]
    heavy = ("siigo.client", "siigo.resources", "siigo.models")
    assert [m for m in seen["help"] if m.startswith(heavy)] == []


def test_every_resource_property_makes_the_class_it_declares() -> None:
    client = Client(username="api@empresa.com", access_key="k", partner_id="MiAplicacion")
    namespace: dict[str, object] = {}
    for attr, member in vars(Client).items():
        if not isinstance(member, cached_property):
            continue
        made = getattr(client, attr)
        namespace[type(made).__name__] = type(made)
        declared = member.func.__annotations__["return"]
        assert declared == type(made).__name__, attr
        assert type(made).__module__.startswith("siigo.resources."), attr
    # And the names the annotations use are the ones type checkers are given.
    tree = ast.parse((PACKAGE / "client.py").read_text(encoding="utf-8"))
    checked = {
        alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.If) and ast.unparse(node.test) == "TYPE_CHECKING"
        for stmt in node.body
        if isinstance(stmt, ast.ImportFrom) and (stmt.module or "").startswith("resources.")
        for alias in stmt.names
    }
    assert checked == set(namespace)


def _checked_imports() -> dict[str, list[str]]:
    """The names ``siigo/models/__init__.py`` imports for type checkers, by submodule."""
    tree = ast.parse((PACKAGE / "models" / "__init__.py").read_text(encoding="utf-8"))
    found: dict[str, list[str]] = {}
    for node in tree.body:
        if isinstance(node, ast.If) and ast.unparse(node.test) == "TYPE_CHECKING":
            for stmt in node.body:
                assert isinstance(stmt, ast.ImportFrom) and stmt.level == 1 and stmt.module
                found.setdefault(stmt.module, []).extend(alias.name for alias in stmt.names)
    return found


def test_the_lazy_models_map_the_imports_and_all_agree() -> None:
    lazy = models._SUBMODULES
    names = [name for group in lazy.values() for name in group]
    assert len(names) == len(set(names))
    assert sorted(names) == sorted(models.__all__)
    assert {module: list(group) for module, group in lazy.items()} == _checked_imports()
    for module, group in lazy.items():
        submodule = importlib.import_module(f"siigo.models.{module}")
        for name in group:
            assert getattr(models, name) is getattr(submodule, name), name
    assert set(models.__all__) <= set(dir(models))
    with pytest.raises(AttributeError, match="NoSuchModel"):
        _ = models.NoSuchModel
    namespace: dict[str, object] = {}
    exec("from siigo.models import *", namespace)
    assert set(models.__all__) <= set(namespace)


def test_document_check_is_still_exported() -> None:
    import siigo.resources
    from siigo.resources._documents import DocumentCheck

    assert siigo.resources.DocumentCheck is DocumentCheck
    assert siigo.resources.__all__ == ["DocumentCheck"]
