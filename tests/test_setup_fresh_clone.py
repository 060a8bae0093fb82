"""`python3 tasks.py setup` succeeds in a fresh clone, as CI's does (issue 23, point 3).

CI (.ci/run) starts from a fresh clone and runs `python3 tasks.py test`, whose first step is the development
set-up; nothing tested the learner's own command, the README's `python3 tasks.py setup`, from nothing. This test
copies the files git tracks (what a clone of the working tree would hold, uncommitted edits included) into a
temporary folder, runs the set-up there with the Python that made this .venv, and checks its result: it says
"set-up complete", the stamp records the learner set-up (and not the development one), a second run installs
nothing, the course kernel points at the clone's Python, and in that environment `utils` is the clone's and
`check_environment()` says READY.

It installs a whole environment (about 1.3 GB, hard-linked from uv's cache when the cache is warm: measured about
2 minutes on a busy 2-core machine with a warm cache, more with a cold one, which downloads about 450 MB), so it
runs only when asked: ``COURSE_TEST_SETUP=1 python -m pytest tests/test_setup_fresh_clone.py``.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.skipif(
    os.environ.get("COURSE_TEST_SETUP") != "1",
    reason="installs a whole environment (minutes): set COURSE_TEST_SETUP=1 to run it",
)


def _clone(target: Path) -> None:
    """The files git tracks, as they are in the working tree."""
    listing = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True).stdout
    for name in filter(None, listing.decode().split("\0")):
        source = ROOT / name
        if source.is_file():  # a file deleted in the working tree but not yet in git's index is not cloned
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)


def _environment() -> dict[str, str]:
    """This environment without this checkout's virtualenv (no uv or Python from it on PATH)."""
    env = {key: value for key, value in os.environ.items()
           if key not in ("VIRTUAL_ENV", "PYTHONPATH", "PYTHONHOME", "COURSE_INSTALLER", "COURSE_TASKS_REEXEC")}
    env["PATH"] = os.pathsep.join(p for p in env.get("PATH", "").split(os.pathsep)
                                  if p and not Path(p).resolve().is_relative_to(ROOT))
    return env


def test_setup_succeeds_in_a_fresh_clone(tmp_path):
    if shutil.which("git") is None or not (ROOT / ".git").exists():
        pytest.skip("not a git checkout: nothing to clone")
    clone = tmp_path / "course"
    _clone(clone)
    assert not (clone / ".venv").exists()
    python = getattr(sys, "_base_executable", sys.executable)  # the interpreter this .venv was made from
    env = _environment()

    started = time.monotonic()
    first = subprocess.run([python, "tasks.py", "setup"], cwd=clone, env=env, capture_output=True, text=True,
                           timeout=1800)
    seconds = time.monotonic() - started
    assert first.returncode == 0, first.stdout[-3000:] + first.stderr[-3000:]
    assert first.stdout.rstrip().endswith("[tasks] set-up complete"), first.stdout[-2000:]
    print(f"set-up in a fresh clone: {seconds:.0f} s wall")

    venv_python = clone / ".venv" / "bin" / "python"
    stamp = json.loads((clone / ".venv" / ".course-setup.json").read_text())
    assert set(stamp) == {"learner"}, f"the learner set-up must record itself only: {stamp}"

    again = subprocess.run([python, "tasks.py", "setup"], cwd=clone, env=env, capture_output=True, text=True,
                           timeout=300)
    assert again.returncode == 0 and "environment up to date (learner); nothing to install" in again.stdout, \
        again.stdout + again.stderr
    assert "installing" not in again.stdout

    kernel = json.loads((clone / ".venv" / "share" / "jupyter" / "kernels" / "python3" / "kernel.json").read_text())
    assert Path(kernel["argv"][0]).resolve() == venv_python.resolve(), kernel
    assert kernel["display_name"] == "Python 3 (regularization course)"

    # Run from outside the clone, so that only the editable install can make `utils` the clone's.
    check = subprocess.run(
        [str(venv_python), "-c",
         "import sys, utils; from utils.environment import check_environment; print(utils.__file__); "
         "sys.exit(1 if check_environment() else 0)"],
        cwd=tmp_path, env={**env, "COURSE_PROGRESS": "0", "TF_CPP_MIN_LOG_LEVEL": "3"}, capture_output=True,
        text=True, timeout=600)
    assert check.returncode == 0, check.stdout + check.stderr[-3000:]
    lines = check.stdout.splitlines()
    assert Path(lines[0]).resolve() == (clone / "utils" / "__init__.py").resolve(), lines[0]
    assert lines[-1] == "READY: every check passed.", check.stdout
