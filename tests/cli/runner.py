"""Running the ``siigo`` command for a test: in the test's own process by default, or as a real
``python -m siigo`` subprocess with ``SIIGO_TEST_CLI=subprocess``.

Both give a :class:`subprocess.CompletedProcess` with the exit code and the decoded stdout and
stderr.  In process, the command gets what a fresh process would: exactly the given environment,
the given stdin (empty when there is none), stdout and stderr that are not terminals (with a
binary ``buffer``), Python's default warning filters with warnings printed to its stderr, and an
uncaught exception printed as a traceback with exit code 1.  Starting an interpreter and
importing the client for each call cost most of the CLI tests' time; what depends on a fresh
process (the console script, ``python -m siigo``, a missing extra, import-time settings, memory,
signals, terminals) keeps its own subprocess tests.
"""

from __future__ import annotations

import contextlib
import io
import os
import subprocess
import sys
import traceback
import warnings
from collections.abc import Iterator, Mapping, Sequence

SUBPROCESS = os.environ.get("SIIGO_TEST_CLI") == "subprocess"

# The filters of an interpreter started without -W or PYTHONWARNINGS.
_DEFAULT_FILTERS = (
    ("default", DeprecationWarning, "__main__"),
    ("ignore", DeprecationWarning, None),
    ("ignore", PendingDeprecationWarning, None),
    ("ignore", ImportWarning, None),
    ("ignore", ResourceWarning, None),
)


class _Stream(io.TextIOWrapper):
    """A text stream over bytes, as a pipe is: UTF-8, not a terminal, with ``buffer``."""

    def __init__(self, data: bytes = b"") -> None:
        super().__init__(io.BytesIO(data), encoding="utf-8", errors="strict", write_through=True)

    def text(self) -> str:
        self.flush()
        raw = self.buffer
        assert isinstance(raw, io.BytesIO)
        # Read back as subprocess.run(text=True) does: universal newlines.
        return io.TextIOWrapper(io.BytesIO(raw.getvalue()), encoding="utf-8").read()


@contextlib.contextmanager
def _environment(env: Mapping[str, str]) -> Iterator[None]:
    saved = dict(os.environ)
    os.environ.clear()
    os.environ.update(env)
    try:
        yield
    finally:
        os.environ.clear()
        os.environ.update(saved)


def _in_process(
    args: Sequence[str], input: str | None, env: Mapping[str, str]
) -> subprocess.CompletedProcess[str]:
    from siigo.__main__ import main

    stdin = _Stream((input or "").encode("utf-8"))
    stdout, stderr = _Stream(), _Stream()
    saved = sys.stdin, sys.stdout, sys.stderr
    with _environment(env), warnings.catch_warnings(record=True) as caught:
        warnings.resetwarnings()
        for action, category, module in _DEFAULT_FILTERS:
            warnings.filterwarnings(action, category=category, module=module or "")  # type: ignore[arg-type]
        sys.stdin, sys.stdout, sys.stderr = stdin, stdout, stderr
        try:
            try:
                code = main(list(args))
            except SystemExit as exc:
                code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
                if exc.code is not None and not isinstance(exc.code, int):
                    print(exc.code, file=sys.stderr)
            except BaseException:
                traceback.print_exc()
                code = 1
            for warning in caught:
                sys.stderr.write(
                    warnings.formatwarning(
                        warning.message, warning.category, warning.filename, warning.lineno, warning.line
                    )
                )
        finally:
            sys.stdin, sys.stdout, sys.stderr = saved
    return subprocess.CompletedProcess(["siigo", *args], code, stdout.text(), stderr.text())


def run_siigo(
    args: Sequence[str], *, env: Mapping[str, str], input: str | None = None, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    """``siigo ARGS`` with ``env`` as its whole environment and ``input`` on stdin."""
    if SUBPROCESS:
        return subprocess.run(
            [sys.executable, "-m", "siigo", *args],
            capture_output=True,
            text=True,
            input=input,
            timeout=timeout,
            env=dict(env),
        )
    return _in_process(args, input, env)
