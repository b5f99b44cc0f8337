"""Shared plumbing for the benchmark scripts: a sandbox in its own process, timing, output.

The sandbox runs in a separate process so that its work does not compete with the measured
client for the interpreter lock.  Every script prints a table and ends with one JSON line.
"""

from __future__ import annotations

import json
import os
import platform
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import requests

USERNAME = "bench@empresa.example.com"
ACCESS_KEY = "bench-key"
PARTNER_ID = "SiigoPythonBench"


@contextmanager
def sandbox_process(*args: str, tls: bool = False) -> Iterator[str]:
    """Start ``python -m siigo sandbox`` on a free port; yield its base URL.

    With ``tls`` the sandbox serves HTTPS (like the real API) with a throw-away self-signed
    certificate, whose path is then in ``os.environ["REQUESTS_CA_BUNDLE"]`` for the duration.
    """
    with tempfile.TemporaryDirectory() as folder:
        extra: list[str] = []
        if tls:
            cert, key = os.path.join(folder, "cert.pem"), os.path.join(folder, "key.pem")
            subprocess.run(
                [
                    "openssl",
                    "req",
                    "-x509",
                    "-newkey",
                    "ec",
                    "-pkeyopt",
                    "ec_paramgen_curve:prime256v1",
                    "-nodes",
                    "-keyout",
                    key,
                    "-out",
                    cert,
                    "-days",
                    "1",
                    "-subj",
                    "/CN=127.0.0.1",
                    "-addext",
                    "subjectAltName=IP:127.0.0.1",
                ],
                check=True,
                capture_output=True,
            )
            extra = ["--tls-cert", cert, "--tls-key", key]
            previous = os.environ.get("REQUESTS_CA_BUNDLE")
            os.environ["REQUESTS_CA_BUNDLE"] = cert
        try:
            with _sandbox_process([*args, *extra]) as url:
                yield url
        finally:
            if tls:
                if previous is None:
                    os.environ.pop("REQUESTS_CA_BUNDLE", None)
                else:
                    os.environ["REQUESTS_CA_BUNDLE"] = previous


@contextmanager
def _sandbox_process(args: list[str]) -> Iterator[str]:
    process = subprocess.Popen(
        [sys.executable, "-m", "siigo", "sandbox", "--port", "0", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        match = re.search(r"https?://127\.0\.0\.1:\d+", line)
        if not match:
            raise RuntimeError(f"the sandbox did not start: {line!r}")
        url = match.group(0)
        deadline = time.monotonic() + 15
        while True:
            try:
                requests.get(url + "/_sandbox/settings", timeout=2)
                break
            except requests.ConnectionError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)
        if process.stdout is not None:
            process.stdout.close()


def machine() -> dict[str, Any]:
    return {
        "python": platform.python_version(),
        "implementation": platform.python_implementation(),
        "system": f"{platform.system()} {platform.release()}",
        "machine": platform.machine(),
        "cpus": os.cpu_count(),
    }


def median_us(samples: Sequence[float]) -> float:
    return statistics.median(samples) * 1e6


def table(title: str, headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    cells = [[str(c) for c in row] for row in rows]
    widths = [max(len(h), *(len(r[i]) for r in cells)) for i, h in enumerate(headers)]
    print(f"\n{title}")
    print("  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)))
    print("  ".join("-" * w for w in widths))
    for row in cells:
        print("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)))


def summary(name: str, data: dict[str, Any]) -> None:
    print()
    print(json.dumps({"benchmark": name, "machine": machine(), **data}, sort_keys=True))
