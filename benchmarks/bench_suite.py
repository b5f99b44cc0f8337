"""How long ``make test`` takes: lint, ``mypy --strict`` and the whole suite, as CI runs them.

* cold: as on a clean clone, with no mypy cache and no bytecode (``MYPY_CACHE_DIR`` and
  ``PYTHONPYCACHEPREFIX`` point at an empty temporary folder; nothing of the tree is deleted);
* warm: a second run with those same caches kept.

Wall time and the CPU of every process started (user + system, from ``getrusage``).  Issue 14's
target is 45 s of wall time with nothing less tested; main took about 80 s (one process, before
the suite ran in parallel: about 5 min).  ``--warm`` runs only the warm case (one cold run first
still fills the caches, but it is not reported).

Run: ``.venv/bin/python benchmarks/bench_suite.py [--warm]``, from the repository's root.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _common import summary, table

ROOT = Path(__file__).resolve().parent.parent
TARGET_S = 45.0
TODAY = "~80 s"
WARM_ONLY = "--warm" in sys.argv


def run_make_test(env: dict[str, str]) -> tuple[float, float, bool]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(["make", "test"], cwd=ROOT, env=env, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if done.returncode != 0:
        sys.stderr.write(done.stdout[-4000:] + done.stderr[-4000:])
    return wall, cpu, done.returncode == 0


def main() -> None:
    rows = []
    figures: dict[str, dict[str, float | bool]] = {}
    with tempfile.TemporaryDirectory() as caches:
        env = {
            **os.environ,
            "MYPY_CACHE_DIR": os.path.join(caches, "mypy"),
            "PYTHONPYCACHEPREFIX": os.path.join(caches, "pycache"),
        }
        for case in ("cold", "warm"):
            wall, cpu, passed = run_make_test(env)
            if case == "cold" and WARM_ONLY:
                continue
            figures[case] = {"wall_s": round(wall, 1), "cpu_s": round(cpu, 1), "passed": passed}
            rows.append(
                [
                    f"make test, {case}",
                    f"{wall:.1f}",
                    f"{cpu:.1f}",
                    "yes" if passed else "NO",
                    TODAY,
                    f"≤ {TARGET_S:g}",
                ]
            )
    table(
        f"make test on {os.cpu_count()} CPUs",
        ["what", "wall s", "CPU s", "green", "main before issue 14", "target s"],
        rows,
    )
    met = {case: bool(f["passed"]) and float(f["wall_s"]) <= TARGET_S for case, f in figures.items()}
    print("Targets: " + ", ".join(f"{case}={'met' if ok else 'MISSED'}" for case, ok in met.items()))
    summary("suite", {"figures": figures, "targets": met})


if __name__ == "__main__":
    main()
