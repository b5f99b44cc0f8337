"""Work that one test run does once, whichever pytest-xdist worker needs it first.

A module-scoped fixture runs once per worker that runs any of the module's tests, and the
workers take tests one by one; grouping a module onto one worker (``xdist_group``) depends on
the versions of pytest and pytest-xdist.  :func:`once_per_run` does not: the first worker to
get there does the work into a folder shared by the run's workers, under a lock, and the others
wait for it and read the same folder.
"""

from __future__ import annotations

import fcntl
import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest


def shared_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The run's temporary folder: the workers' parent folder under pytest-xdist."""
    base = tmp_path_factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


def once_per_run(
    tmp_path_factory: pytest.TempPathFactory, name: str, produce: Callable[[Path], None]
) -> Path:
    """``produce(folder)`` once in this test run; every caller gets the folder it filled.

    A ``produce`` that fails leaves nothing behind, so the next caller tries again (and fails the
    same way, in its own test)."""
    root = shared_folder(tmp_path_factory)
    folder = root / name
    done = root / f"{name}.done"
    with open(root / f"{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not done.exists():
            shutil.rmtree(folder, ignore_errors=True)
            folder.mkdir()
            try:
                produce(folder)
            except BaseException:
                shutil.rmtree(folder, ignore_errors=True)
                raise
            done.touch()
    return folder
