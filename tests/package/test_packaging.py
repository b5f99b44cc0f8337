"""The package installs as the README says: what the wheel and the sdist hold, and links that
lead somewhere."""

from __future__ import annotations

import re
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest

from ..once import once_per_run

ROOT = Path(__file__).resolve().parents[2]

# One build serves the whole module (and builds in the source tree): under pytest-xdist
# (``make pytest``) the first worker to need it builds, and the others wait for that build.
pytestmark = pytest.mark.xdist_group("packaging")


@pytest.fixture(scope="module")
def dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    def build(out: Path) -> None:
        built = subprocess.run(
            [sys.executable, "-m", "build", "--no-isolation", "--outdir", str(out), str(ROOT)],
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert built.returncode == 0, built.stdout[-2000:] + built.stderr[-2000:]

    return once_per_run(tmp_path_factory, "dist", build)


def _declared_pythons() -> list[str]:
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    return re.findall(r'"Programming Language :: Python :: (3\.\d+)"', text)


def test_the_wheel_has_the_plugin_the_types_and_the_licence(dist: Path) -> None:
    (wheel,) = dist.glob("*.whl")
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        info = next(n.split("/")[0] for n in names if n.endswith(".dist-info/METADATA"))
        entry_points = archive.read(f"{info}/entry_points.txt").decode()
        metadata = archive.read(f"{info}/METADATA").decode()
    assert {"siigo/py.typed", "siigo/pytest_plugin.py", f"{info}/licenses/LICENSE"} <= names
    inspector = {f"siigo/sandbox/inspector/{n}" for n in ("index.html", "app.js", "style.css")}
    assert inspector <= names, inspector - names
    assert "Provides-Extra: cli" in metadata
    assert "siigo_sandbox = siigo.pytest_plugin" in entry_points
    assert "siigo = siigo.__main__:main" in entry_points
    assert "License: MIT" in metadata and "Project-URL: Source," in metadata
    assert "Requires-Python: >=3.10" in metadata
    classified = re.findall(r"Classifier: Programming Language :: Python :: (3\.\d+)", metadata)
    assert classified == _declared_pythons() == ["3.10", "3.11", "3.12", "3.13"]
    # Nothing of the repository's tooling or tests ships in the wheel.
    assert not [n for n in names if n.startswith(("tests/", "benchmarks/", ".ci/"))]


def test_the_sdist_holds_what_the_readme_tells_a_user_to_run(dist: Path) -> None:
    (sdist,) = dist.glob("*.tar.gz")
    with tarfile.open(sdist) as archive:
        names = {name.split("/", 1)[1] for name in archive.getnames() if "/" in name}
    needed = {
        "Makefile",
        "pyproject.toml",
        "mypy.ini",
        "README.md",
        "README.es.md",
        "CHANGELOG.md",
        "LICENSE",
        "docs/design.md",
        "docs/cli.md",
        "docs/inspector.md",
        "examples/quickstart.py",
        ".ci/run",
        ".ci/pythons",
        "tests/conftest.py",
        "siigo/py.typed",
    }
    assert needed <= names, needed - names
    assert any(n.startswith("tests/data/examples/") for n in names)
    assert {str(p.relative_to(ROOT)) for p in (ROOT / "benchmarks").glob("*.py")} <= names
    assert not [n for n in names if n.startswith((".venv", "dist/")) or "__pycache__" in n]


def _relative_links(markdown: Path) -> list[str]:
    text = markdown.read_text(encoding="utf-8")
    links = re.findall(r"\]\(([^)\s]+)\)", text)
    return [
        link.split("#")[0] for link in links if not re.match(r"[a-z]+:", link) and not link.startswith("#")
    ]


@pytest.mark.parametrize(
    "document",
    ["README.md", "README.es.md", *sorted(str(p.relative_to(ROOT)) for p in (ROOT / "docs").glob("*.md"))],
)
def test_documents_link_only_to_files_that_exist(document: str) -> None:
    path = ROOT / document
    links = _relative_links(path)
    missing = [link for link in links if not (path.parent / link).exists()]
    assert missing == []
    # Files named in backticks as paths of this repository exist too.
    named = re.findall(
        r"`((?:siigo|tests|examples|benchmarks|docs|\.ci)/[\w./-]+\.(?:py|md))`", path.read_text()
    )
    assert [name for name in named if not (ROOT / name).exists()] == []
