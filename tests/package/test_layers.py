"""The package's shape: one table of kinds, no import cycles between the core modules."""

from __future__ import annotations

import ast
import functools
from pathlib import Path

import pytest

from siigo.kinds import KIND_CODES, KINDS, PAYMENT_KIND_CODES

PACKAGE = Path(__file__).resolve().parents[2] / "siigo"
# Modules allowed to spell kind codes: the table itself, the sandbox's catalog data and the
# command line's written index (the choices of its options, copied from the signatures).
TABLES = {PACKAGE / "kinds.py", PACKAGE / "sandbox" / "fixtures.py", PACKAGE / "cli" / "_index.py"}


@functools.cache
def _tree(path: Path) -> ast.Module:
    """A module of the package, parsed once per test run (several tests read every module)."""
    return ast.parse(path.read_text(encoding="utf-8"))


def _module(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _runtime_imports(path: Path) -> set[str]:
    """Relative imports that run (those under ``if TYPE_CHECKING:`` excluded)."""
    package = _module(path).split(".")
    if path.name != "__init__.py":
        package = package[:-1]
    found: set[str] = set()

    class Visitor(ast.NodeVisitor):
        def visit_If(self, node: ast.If) -> None:
            if isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING":
                return
            self.generic_visit(node)

        def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
            if node.level:
                base = package[: len(package) - node.level + 1]
                found.add(".".join(base + ([node.module] if node.module else [])))

    Visitor().visit(_tree(path))
    return found


@functools.cache
def _package_imports() -> dict[str, set[str]]:
    """Each module's run-time imports, for every module of the package."""
    return {_module(p): _runtime_imports(p) for p in PACKAGE.rglob("*.py")}


def test_every_kind_is_one_row_of_the_table() -> None:
    assert tuple(KINDS) == KIND_CODES
    assert KINDS["RP"].payment_document_type == "FC"  # Siigo answers 404 for RP payment types
    assert {k.payment_document_type for k in KINDS.values()} - {None} == set(PAYMENT_KIND_CODES)
    assert len({k.path for k in KINDS.values()}) == len(KINDS)
    assert {k.code for k in KINDS.values() if k.dian_code == "cude"} >= {"NC"}


def test_no_module_spells_a_kind_code_outside_the_table() -> None:
    spelled = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if path in TABLES:
            continue
        for node in ast.walk(_tree(path)):
            if isinstance(node, ast.Constant) and node.value in KIND_CODES:
                spelled.append(f"{path.relative_to(PACKAGE)}:{node.lineno} {node.value!r}")
    assert spelled == []


@pytest.mark.parametrize(
    ("user", "used"), [("siigo._config", "siigo._transport"), ("siigo.client", "siigo._compat")]
)
def test_no_import_cycle(user: str, used: str) -> None:
    imports = _package_imports()
    assert used in imports[user]
    assert user not in imports[used], f"{used} imports {user} back at run time"


def test_siigo_models_exports_every_public_model() -> None:
    import importlib
    import inspect
    import pkgutil

    from pydantic import BaseModel

    import siigo.models as models

    missing = []
    for info in pkgutil.iter_modules(models.__path__):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"siigo.models.{info.name}")
        for name, value in vars(module).items():
            if name.startswith("_") or name in ("RequestModel", "ResponseModel"):
                continue
            defined_here = inspect.isclass(value) and value.__module__ == module.__name__
            if defined_here and issubclass(value, BaseModel) and name not in models.__all__:
                missing.append(f"{info.name}.{name}")
    assert missing == []
