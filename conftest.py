"""Test-run settings shared by the unit tests and the notebook tests (nbval).

``COURSE_ONE_CORE=1`` pins each pytest worker, and so each notebook kernel it starts, to a single CPU core:
TensorFlow and the BLAS library then run one thread each, which changes the order of floating-point
operations the way a smaller machine would. ``python3 tasks.py test`` uses it for the pass under
``COURSE_SEED=7`` (see CONTRIBUTING.md, "The nbval policy"), so that each notebook runs on one core without
the pass taking twice as long.

Progress bars (``utils.progress``) are turned off for every test run, so that nbval compares what
``python3 tasks.py execute`` committed.
"""

from __future__ import annotations

import os
import warnings


def pytest_configure(config):
    # No progress bars in notebook outputs that nbval compares (utils.progress), however pytest was started.
    os.environ["COURSE_PROGRESS"] = "0"
    if os.environ.get("COURSE_ONE_CORE") != "1":
        return
    if not hasattr(os, "sched_setaffinity"):
        warnings.warn("COURSE_ONE_CORE=1 has no effect here: this system cannot pin a process to a core",
                      stacklevel=1)
        return
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if worker is None and getattr(config.option, "numprocesses", None):
        return  # the xdist controller: its workers pin themselves, one core each
    worker = worker or "gw0"
    cores = sorted(os.sched_getaffinity(0))
    index = int(worker[2:]) if worker[2:].isdigit() else 0
    os.sched_setaffinity(0, {cores[index % len(cores)]})
