#!/usr/bin/env python3
"""Set up, open and test the course with one command each. Standard library only.

    python3 tasks.py lab        # set everything up (first time only), then open JupyterLab on the start page
    python3 tasks.py test       # set everything up (with the development tools), then run every test
    python3 tasks.py setup      # only set up: .venv with the pinned packages, utils (editable), the kernel
    python3 tasks.py execute    # re-execute every notebook in place, top to bottom (after editing one)
    python3 tasks.py lint       # ruff over code and notebooks
    python3 tasks.py measure    # each notebook's wall time and peak kernel memory, against the budgets (outputs/)
    python3 tasks.py benchmark  # the same, written to benchmarks/notebooks.md (--binder: also under Binder's limits)
    python3 tasks.py browser    # open and run every notebook in JupyterLab in Chromium (needs: apt-get install chromium)

Set-up is idempotent: the virtual environment in .venv is reused and packages are reinstalled only
when requirements.txt, requirements-dev.txt or pyproject.toml changed. Extra arguments after `lab`
go to JupyterLab (e.g. `python3 tasks.py lab --no-browser --port 8899`); after `test`, to pytest.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PYTHON = BIN / ("python.exe" if os.name == "nt" else "python")
STAMP = VENV / ".course-setup.json"
LEARNER_FILES = ("requirements.txt", "pyproject.toml")
DEV_FILES = (*LEARNER_FILES, "requirements-dev.txt")
WANTED = (3, 11)


def say(message: str) -> None:
    print(f"[tasks] {message}", flush=True)


def run(*args: str | Path, env: dict[str, str] | None = None) -> int:
    say(" ".join(str(a) for a in args))
    return subprocess.call([str(a) for a in args], cwd=ROOT, env=env)


def must(*args: str | Path, env: dict[str, str] | None = None) -> None:
    code = run(*args, env=env)
    if code:
        sys.exit(f"[tasks] failed (exit {code}): {' '.join(str(a) for a in args)}")


def ensure_python() -> None:
    """Re-run this script with Python 3.11 if another version started it."""
    if sys.version_info[:2] == WANTED:
        return
    other = shutil.which("python3.11")
    if other and not os.environ.get("COURSE_TASKS_REEXEC"):
        say(f"Python {sys.version_info.major}.{sys.version_info.minor} started this; switching to {other}")
        os.environ["COURSE_TASKS_REEXEC"] = "1"
        os.execv(other, [other, *sys.argv])
    sys.exit(
        f"[tasks] the course needs Python 3.11, but this is Python {sys.version.split()[0]} and no python3.11 "
        "is on PATH. Install Python 3.11 (with pip and venv), then run: python3.11 tasks.py ..."
    )


def fingerprint(files: tuple[str, ...]) -> str:
    digest = hashlib.sha256()
    for name in files:
        digest.update(name.encode())
        digest.update((ROOT / name).read_bytes())
    return digest.hexdigest()


def setup(dev: bool) -> None:
    """Create .venv if needed and install what changed since the last set-up."""
    ensure_python()
    if not PYTHON.exists():
        say("creating the virtual environment in .venv")
        code = run(sys.executable, "-m", "venv", VENV)
        if code or not PYTHON.exists():
            sys.exit("[tasks] could not create .venv; on Debian/Ubuntu install python3.11-venv first")
        must(PYTHON, "-m", "pip", "install", "--quiet", "--upgrade", "pip")
    stamp = json.loads(STAMP.read_text()) if STAMP.exists() else {}
    key, files = ("dev", DEV_FILES) if dev else ("learner", LEARNER_FILES)
    wanted = fingerprint(files)
    if stamp.get(key) == wanted:
        say(f"environment up to date ({key}); nothing to install")
        return
    requirements = "requirements-dev.txt" if dev else "requirements.txt"
    say(f"installing the pinned packages from {requirements} (the first time takes a few minutes)")
    must(PYTHON, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "-r", requirements)
    must(PYTHON, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "--no-deps", "--editable", ".")
    must(
        PYTHON, "-m", "ipykernel", "install", "--sys-prefix", "--name", "python3",
        "--display-name", "Python 3 (regularization course)",
    )
    stamp[key] = wanted
    if dev:
        stamp["learner"] = fingerprint(LEARNER_FILES)
    STAMP.write_text(json.dumps(stamp, indent=2))
    say("set-up complete")


def lab(extra: list[str]) -> None:
    setup(dev=False)
    jupyter = BIN / "jupyter"
    # Serve the whole repository (so data/README.md and utils/ are browsable) and open the start page.
    args = [
        str(jupyter), "lab", f"--ServerApp.root_dir={ROOT}",
        "--LabApp.default_url=/lab/tree/notebooks/00_start_here.ipynb", *extra,
    ]
    say(" ".join(args))
    os.chdir(ROOT)
    os.execv(str(jupyter), args)


def pytest_env(seed: str | None, **settings: str) -> dict[str, str]:
    env = dict(os.environ)
    env.pop("COURSE_SEED", None)
    if seed is not None:
        env["COURSE_SEED"] = seed
    env["PYTHONHASHSEED"] = "0"
    env.pop("MPLBACKEND", None)  # notebooks draw inline; a non-interactive backend here would drop figures
    env.update(settings)
    return env


# The two passes over the notebooks run under different floating-point conditions, so that a test that passes
# here passes on a learner's machine too (CONTRIBUTING.md, "The nbval policy"):
# - the strict pass compares outputs with TensorFlow's oneDNN kernels switched on (the committed outputs were
#   made with them off): training numbers move as they do on another CPU, and only outputs that do not depend
#   on training (untagged cells) are compared;
# - the claims pass runs another seed with each notebook's kernel pinned to one core (one TensorFlow and one
#   BLAS thread).
PERTURBED = {"TF_ENABLE_ONEDNN_OPTS": "1"}
ONE_CORE = {"TF_ENABLE_ONEDNN_OPTS": "0", "COURSE_ONE_CORE": "1"}


def test(extra: list[str]) -> None:
    setup(dev=True)
    failures = []
    if run(BIN / "ruff", "check", "."):
        failures.append("ruff (lint of code and notebooks)")
    strict = [
        PYTHON, "-m", "pytest", "tests", "notebooks", "--nbval", "--nbval-current-env",
        "--nbval-sanitize-with", "tests/nbval_sanitize.cfg", "-n", "2", "--dist", "loadfile", "-p", "no:cacheprovider",
        *extra,
    ]
    if run(*strict, env=pytest_env(None, **PERTURBED)):
        failures.append("pytest: unit tests and notebooks (nbval, default seed, oneDNN on)")
    other_seed = [
        PYTHON, "-m", "pytest", "notebooks", "--nbval-lax", "--nbval-current-env", "-n", "2", "--dist", "loadfile",
        "-p", "no:cacheprovider",
    ]
    if run(*other_seed, env=pytest_env("7", **ONE_CORE)):
        failures.append("pytest: notebooks' claim checks with COURSE_SEED=7, one core per notebook (--nbval-lax)")
    if failures:
        sys.exit("[tasks] FAILED: " + "; ".join(failures))
    say("all tests passed")


def execute(extra: list[str]) -> None:
    setup(dev=True)
    must(PYTHON, "build_tools/execute_notebooks.py", *extra, env=pytest_env(None, TF_ENABLE_ONEDNN_OPTS="0"))


def benchmark(extra: list[str]) -> None:
    setup(dev=True)
    must(PYTHON, "build_tools/benchmark_notebooks.py", *extra, env=pytest_env(None))


def measure(extra: list[str]) -> None:
    """The benchmark as a quick look: results under outputs/ (ignored by git), budgets reported, not enforced."""
    benchmark(["--report-only", "--out", "outputs/benchmark", *extra])


def browser(extra: list[str]) -> None:
    """The end-to-end test in a real browser (tests/test_browser.py); never installs system packages."""
    setup(dev=True)
    must(PYTHON, "-m", "pytest", "tests/test_browser.py", "-m", "browser", "-p", "no:cacheprovider", *extra,
         env=pytest_env(None))


def lint(extra: list[str]) -> None:
    setup(dev=True)
    must(BIN / "ruff", "check", ".", *extra)


def main() -> None:
    commands = {"setup": None, "lab": lab, "test": test, "execute": execute, "lint": lint, "measure": measure,
                "benchmark": benchmark, "browser": browser}
    if len(sys.argv) < 2 or sys.argv[1] not in commands:
        print(__doc__)
        sys.exit(2 if len(sys.argv) >= 2 and sys.argv[1] not in ("-h", "--help") else 0)
    command, extra = sys.argv[1], sys.argv[2:]
    if command == "setup":
        setup(dev="--dev" in extra)
    else:
        commands[command](extra)


if __name__ == "__main__":
    main()
