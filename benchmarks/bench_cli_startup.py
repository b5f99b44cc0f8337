"""The start-up of the ``siigo`` command: wall time of fresh ``python -m siigo ...`` processes.

Every row is the median of several processes, all the rows interleaved round by round so that a
busy neighbour hurts each alike.  Two floors run in the same rounds: ``python -c pass`` (the
interpreter) and ``python -c "import requests, pydantic"`` (the SDK's dependencies, which a
command that calls the API cannot avoid).  Byte-code is compiled once beforehand, into a
temporary ``PYTHONPYCACHEPREFIX`` (as an installed package has it), whatever
``PYTHONDONTWRITEBYTECODE`` says.

* ``siigo --help``: target ≤ 0.25 s (before: ~0.77 s on a 2-core shared machine, every
  resource and model imported to list the commands).
* ``siigo <resource> --help``, ``siigo <resource> <command> --help``, ``siigo profiles path``:
  each should pay for what it uses only (a command's own help, like the resource's, is read
  from the written index: it imports no client, resource or model; before: ~0.48 s).

``--baseline PATH`` adds the same rows for another checkout (its ``PYTHONPATH``), interleaved
with this one's: run it against main to compare.  ``--quick``: fewer rounds.

Run: ``.venv/bin/python benchmarks/bench_cli_startup.py [--quick] [--baseline ../main]``.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _common import summary, table

QUICK = "--quick" in sys.argv
ROUNDS = 5 if QUICK else 11
TARGETS = {"help_s": 0.25}
# Before the written index (commit ea8910d, this machine, interleaved with the rows below).
TODAY = {
    "help_s": "~0.77",
    "help_es_s": "~0.76",
    "resource_help_s": "~0.55",
    "command_help_s": "~0.48",
    "profiles_path_s": "~0.42",
}
HERE = str(Path(__file__).resolve().parent.parent)

FLOORS = {
    "python -c pass": ["-c", "pass"],
    "python -c 'import requests, pydantic'": ["-c", "import requests, pydantic"],
}
COMMANDS = {
    "siigo --help": ["--help"],
    "siigo --lang es --help": ["--lang", "es", "--help"],
    "siigo invoices --help": ["invoices", "--help"],
    "siigo products list --help": ["products", "list", "--help"],
    "siigo profiles path": ["profiles", "path"],
}
KEYS = {
    "siigo --help": "help_s",
    "siigo --lang es --help": "help_es_s",
    "siigo invoices --help": "resource_help_s",
    "siigo products list --help": "command_help_s",
    "siigo profiles path": "profiles_path_s",
}


def _baseline() -> str | None:
    if "--baseline" not in sys.argv:
        return None
    return str(Path(sys.argv[sys.argv.index("--baseline") + 1]).resolve())


def _seconds(args: list[str], env: dict[str, str], cwd: str) -> float:
    # From a folder without sources: ``python -m`` puts the working folder first on the path.
    started = time.perf_counter()
    subprocess.run([sys.executable, *args], env=env, cwd=cwd, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - started


def main() -> None:
    baseline = _baseline()
    with tempfile.TemporaryDirectory() as folder:
        common = {k: v for k, v in os.environ.items() if not k.startswith("SIIGO_")}
        common.pop("PYTHONDONTWRITEBYTECODE", None)
        common["SIIGO_CONFIG"] = os.path.join(folder, "config.ini")
        trees = {"this checkout": HERE, **({"baseline": baseline} if baseline else {})}
        envs: dict[str, dict[str, str]] = {}
        for name, tree in trees.items():
            # One byte-code folder per tree: the two may hold different sources at the same paths.
            prefix = os.path.join(folder, f"pycache-{len(envs)}")
            envs[name] = {**common, "PYTHONPATH": tree, "PYTHONPYCACHEPREFIX": prefix}
        runs: dict[tuple[str, str], list[float]] = {}
        cases: list[tuple[str, str, list[str]]] = [("floor", name, a) for name, a in FLOORS.items()]
        for tree in trees:
            cases += [(tree, name, ["-m", "siigo", *a]) for name, a in COMMANDS.items()]
        for tree, _, args in cases:  # compile, and warm the file cache
            _seconds(args, envs.get(tree, envs["this checkout"]), folder)
        for _ in range(ROUNDS):
            for tree, name, args in cases:
                env = envs.get(tree, envs["this checkout"])
                runs.setdefault((tree, name), []).append(_seconds(args, env, folder))
    medians = {key: statistics.median(samples) for key, samples in runs.items()}
    bare = medians[("floor", "python -c pass")]
    deps = medians[("floor", "python -c 'import requests, pydantic'")]
    rows = []
    for (tree, name), value in medians.items():
        target = TARGETS.get(KEYS.get(name, ""), "")
        rows.append(
            [
                tree,
                name,
                f"{value:.3f}",
                f"{value - bare:.3f}",
                f"{value / deps:.2f}",
                TODAY.get(KEYS.get(name, ""), "") if tree == "this checkout" else "",
                f"≤ {target}" if target and tree == "this checkout" else "",
            ]
        )
    table(
        f"Start-up, wall seconds (median of {ROUNDS} processes each, interleaved)",
        ["tree", "what", "s", "beyond python", "× requests+pydantic", "before", "target"],
        rows,
    )
    ours = {KEYS[name]: medians[("this checkout", name)] for name in COMMANDS}
    data: dict[str, object] = {
        "rounds": ROUNDS,
        "python_s": bare,
        "requests_pydantic_s": deps,
        **ours,
        "targets": TARGETS,
        "today": TODAY,
        "help_target_met": ours["help_s"] <= TARGETS["help_s"],
    }
    if baseline:
        data["baseline"] = {KEYS[name]: medians[("baseline", name)] for name in COMMANDS}
    summary("cli_startup", data)


if __name__ == "__main__":
    main()
