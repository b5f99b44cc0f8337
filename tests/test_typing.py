"""The typing suite: small user programs checked with ``mypy --strict`` (no pydantic plugin, as
a user's project runs it).  Programs in ``tests/typing/passing`` must check clean; each line of a
program in ``tests/typing/failing`` whose statement ends with ``# E: <fragment>`` must get an
error (on one of the statement's lines) containing every fragment, and no other statement may
get one."""

from __future__ import annotations

import ast
import json
import re
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

import pytest

from .once import once_per_run

HERE = Path(__file__).parent / "typing"
PASSING = sorted((HERE / "passing").glob("*.py"))
FAILING = sorted((HERE / "failing").glob("*.py"))
_ERROR = re.compile(r"^(?P<path>[^:]+):(?P<line>\d+): error: (?P<message>.*)$")
_EXPECTED = re.compile(r"# E: (.+?)(?=\s+# E: |$)")

Errors = dict[tuple[str, int], list[str]]

# One mypy run serves the whole module, and its cache is one folder: under pytest-xdist
# (``make pytest``) the first worker to need it runs it, and the others read its answer.
pytestmark = pytest.mark.xdist_group("typing-suite")


def _mypy(files: list[Path], cache: Path) -> Errors:
    """One mypy run over ``files``: the error messages by (file name, line)."""
    command = [sys.executable, "-m", "mypy", "--config-file", str(HERE / "mypy.ini")]
    command += ["--cache-dir", str(cache), "--no-error-summary", "--no-pretty", *map(str, files)]
    done = subprocess.run(command, capture_output=True, text=True, timeout=600, check=False)
    if done.returncode not in (0, 1):
        pytest.fail(f"mypy could not run ({done.returncode}):\n{done.stdout}\n{done.stderr}")
    errors: Errors = defaultdict(list)
    for line in done.stdout.splitlines():
        found = _ERROR.match(line)
        if found:
            errors[(Path(found["path"]).name, int(found["line"]))].append(found["message"])
    return errors


@pytest.fixture(scope="module")
def reported(tmp_path_factory: pytest.TempPathFactory) -> Errors:
    # One run for both groups keeps the suite to a few seconds once the cache is warm.
    cache = Path(__file__).resolve().parents[1] / ".mypy_cache" / "typing-suite"
    if not cache.parent.is_dir():
        cache = tmp_path_factory.mktemp("mypy-cache")

    def check(folder: Path) -> None:
        errors = _mypy(PASSING + FAILING, cache)
        rows = [[name, line, messages] for (name, line), messages in errors.items()]
        (folder / "errors.json").write_text(json.dumps(rows), encoding="utf-8")

    rows = json.loads((once_per_run(tmp_path_factory, "typing-suite", check) / "errors.json").read_text())
    return {(name, line): messages for name, line, messages in rows}


def _expected(path: Path) -> dict[range, list[str]]:
    """The marked statements of a program (their lines) and the fragments expected there."""
    text = path.read_text(encoding="utf-8")
    statements = {
        node.end_lineno: range(node.lineno, node.end_lineno + 1)
        for node in ast.walk(ast.parse(text))
        if isinstance(node, ast.stmt) and node.end_lineno is not None and not hasattr(node, "body")
    }
    marks: dict[range, list[str]] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        fragments = _EXPECTED.findall(line)
        if fragments:
            marks[statements.get(number, range(number, number + 1))] = [f.strip() for f in fragments]
    return marks


def test_the_suite_has_programs_of_both_kinds() -> None:
    assert len(PASSING) >= 3 and len(FAILING) >= 3
    assert all(_expected(path) for path in FAILING), "every failing program marks its errors"
    assert not any(_expected(path) for path in PASSING)


@pytest.mark.parametrize("path", PASSING, ids=[p.name for p in PASSING])
def test_a_correct_program_checks_clean(path: Path, reported: Errors) -> None:
    errors = {line: messages for (name, line), messages in reported.items() if name == path.name}
    assert errors == {}


@pytest.mark.parametrize("path", FAILING, ids=[p.name for p in FAILING])
def test_each_mistake_is_reported_where_marked(path: Path, reported: Errors) -> None:
    expected = _expected(path)
    errors = {line: messages for (name, line), messages in reported.items() if name == path.name}
    unmarked = {line: m for line, m in errors.items() if not any(line in lines for lines in expected)}
    assert unmarked == {}, "errors where no mistake is marked"
    for lines, fragments in expected.items():
        messages = [m for line in lines for m in errors.get(line, [])]
        for fragment in fragments:
            assert any(fragment in message for message in messages), (lines, fragment, messages)
