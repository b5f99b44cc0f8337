"""The pytest plugin loads in any project where siigo-python is installed, with or without the
``[sandbox]`` extra; only the tests that use its fixtures need the extra."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from siigo.pytest_plugin import MISSING_EXTRA

USER_TESTS = {
    "test_unrelated.py": "def test_arithmetic():\n    assert 1 + 1 == 2\n",
    "test_with_sandbox.py": ("def test_taxes(siigo_client):\n    assert siigo_client.taxes.list()\n"),
}


def _run_user_project(tmp_path: Path, *, without_werkzeug: bool) -> subprocess.CompletedProcess[str]:
    project = tmp_path / "project"
    project.mkdir()
    for name, text in USER_TESTS.items():
        (project / name).write_text(text, encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST_", "SIIGO_"))}
    if without_werkzeug:
        # A package of that name that cannot be imported stands for an environment without it.
        shadow = tmp_path / "shadow" / "werkzeug"
        shadow.mkdir(parents=True)
        (shadow / "__init__.py").write_text(
            "raise ModuleNotFoundError(\"No module named 'werkzeug'\", name='werkzeug')\n", encoding="utf-8"
        )
        env["PYTHONPATH"] = str(tmp_path / "shadow")
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-rA", str(project)],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_without_the_sandbox_extra_only_the_sandbox_tests_fail(tmp_path: Path) -> None:
    run = _run_user_project(tmp_path, without_werkzeug=True)
    out = run.stdout + run.stderr
    assert run.returncode == 1, out  # tests failed; not 3 (internal error) or 4 (usage error)
    assert "PASSED test_unrelated.py::test_arithmetic" in out
    assert "ERROR test_with_sandbox.py::test_taxes" in out
    assert MISSING_EXTRA in out
    assert "No module named 'werkzeug'" in out


def test_with_the_extra_the_fixtures_serve_a_sandbox(tmp_path: Path) -> None:
    run = _run_user_project(tmp_path, without_werkzeug=False)
    out = run.stdout + run.stderr
    assert run.returncode == 0, out
    assert "PASSED test_with_sandbox.py::test_taxes" in out
    assert "PASSED test_unrelated.py::test_arithmetic" in out
