#!/usr/bin/env python3
"""Set up, open and test the course with one command each. Standard library only.

    python3 tasks.py lab        # set everything up (first time only), then open JupyterLab on the start page
    python3 tasks.py test       # set everything up (with the development tools), then run every test
    python3 tasks.py setup      # only set up: .venv from the lock, utils (editable), the kernel (--dev: + tools)
    python3 tasks.py execute    # re-execute every notebook in place, top to bottom (after editing one)
    python3 tasks.py lint       # ruff over code and notebooks
    python3 tasks.py measure    # each notebook's wall time and peak kernel memory, against the budgets (outputs/)
    python3 tasks.py benchmark  # the same, written to benchmarks/notebooks.md (--binder: also under Binder's limits)
    python3 tasks.py browser    # open and run every notebook in JupyterLab in Chromium, then check the book, the
                                # slides and the plans there (needs: apt-get install chromium)
    python3 tasks.py lock       # after editing requirements.txt or requirements-dev.txt: regenerate the locks
                                # (requirements.lock, requirements-dev.lock) and environment.yml
    python3 tasks.py platforms  # check that the locks resolve to wheels on every supported platform
    python3 tasks.py drift      # try the newest releases of the direct dependencies against every lesson's checks
    python3 tasks.py links      # write every Binder launch link (README, each lesson's header) from pyproject.toml
    python3 tasks.py slides     # each lesson's core path as reveal.js slides with speaker notes, offline (outputs/slides/)
    python3 tasks.py site       # the course as a book (Sphinx + sphinx-book-theme + myst-nb), offline (build/site/)
    python3 tasks.py instructor # each lesson with its notes and every solution run and checked, and a printable
                                # one-page plan per lesson (build/instructor/)
    python3 tasks.py mutate [utils/penalties.py]  # mutation testing of one module (mutmut; minutes: not in CI,
                                # run it in the background), report in benchmarks/mutation/<module>.md
                                # (--sample N: a random sample of N of its mutants, for a module too slow to run whole;
                                # --children N: N mutants at a time; --report-only [--seconds S]: rewrite the report)

Set-up installs the locked versions of every package (requirements.lock, with hashes), with uv when it can
(installed into .venv by pip, or found on PATH; COURSE_INSTALLER=pip forces pip). It is idempotent: .venv is
reused and packages are reinstalled only when a lock or pyproject.toml changed. Extra arguments after `lab`
go to JupyterLab (e.g. `python3 tasks.py lab --no-browser --port 8899`); after `test`, to pytest.
"""

from __future__ import annotations

import hashlib
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PYTHON = BIN / ("python.exe" if os.name == "nt" else "python")
STAMP = VENV / ".course-setup.json"
LEARNER_LOCK, DEV_LOCK = "requirements.lock", "requirements-dev.lock"
LEARNER_FILES = (LEARNER_LOCK, "pyproject.toml")
DEV_FILES = (*LEARNER_FILES, DEV_LOCK)
SETUP_REVISION = "2: bytecode compiled at set-up"
"""Part of the set-up stamp: changing it makes every existing .venv run the set-up steps again once."""
WANTED = (3, 11)


def binder_url() -> str:
    """Binder at the start page, from pyproject.toml's [project.urls] (read without tomllib: any Python 3)."""
    match = re.search(r'^Binder\s*=\s*"([^"]+)"', (ROOT / "pyproject.toml").read_text(), re.MULTILINE)
    base = match.group(1) if match else "https://mybinder.org"
    return f"{base.rstrip('/')}?urlpath=lab/tree/notebooks/00_start_here.ipynb"


BINDER_URL = binder_url()
# The platforms the lock covers: (platform.system(), platform.machine()) -> (name, uv's --python-platform).
# TensorFlow 2.21.0 has wheels for these four only (tensorflow-cpu: Linux x86-64, Windows x86-64; tensorflow:
# macOS arm64, Linux aarch64 manylinux_2_28). Intel Macs stopped at 2.16.
SUPPORTED = {
    ("Linux", "x86_64"): ("Linux x86-64", "x86_64-unknown-linux-gnu"),
    ("Windows", "AMD64"): ("Windows x86-64", "x86_64-pc-windows-msvc"),
    ("Darwin", "arm64"): ("macOS on Apple silicon (arm64)", "aarch64-apple-darwin"),
    ("Linux", "aarch64"): ("Linux aarch64 (ARM64)", "aarch64-unknown-linux-gnu"),
}
# requirements.txt pins tensorflow-cpu (what Linux x86-64, CI and Binder use); the lock replaces it by two
# lines with environment markers, so that macOS arm64 and Linux aarch64 get `tensorflow` at the same version.
CPU_TF_MARKER = (
    "(sys_platform == 'linux' and platform_machine == 'x86_64') or "
    "(sys_platform == 'win32' and platform_machine == 'AMD64')"
)
FULL_TF_MARKER = (
    "(sys_platform == 'darwin' and platform_machine == 'arm64') or "
    "(sys_platform == 'linux' and platform_machine == 'aarch64')"
)
# environment.yml is the lock as seen from Linux x86-64 (Binder, conda). Any Python 3.11 patch release from
# 3.11.5 on gives the same packages (soupsieve forks at 3.11.5); conda-forge's python=3.11 is the newest one.
CONDA_PYTHON = "3.11.9"


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
        "is on PATH. Nothing was installed. Install Python 3.11 (with pip and venv), then run: "
        f"python3.11 tasks.py ...\nOr use the course on Binder, in the browser with nothing to install: {BINDER_URL}"
    )


def refuse_unsupported_platform(system: str | None = None, machine: str | None = None) -> None:
    """Stop, before anything is installed, on a platform the lock does not cover."""
    system = platform.system() if system is None else system
    machine = platform.machine() if machine is None else machine
    if (system, machine) in SUPPORTED:
        return
    what = f"{system} on {machine or 'an unknown processor'}"
    if system == "Darwin" and machine == "x86_64":
        what = "macOS on an Intel processor (or a Python built for Intel running under Rosetta)"
    supported = ", ".join(name for name, _ in SUPPORTED.values())
    sys.exit(
        f"[tasks] this computer ({what}) is not a platform the course's locked environment covers: "
        f"TensorFlow 2.21 publishes no installable package for it. Nothing was installed.\n"
        f"Supported, with Python 3.11: {supported}.\n"
        f"Use the course on Binder instead, in the browser with nothing to install: {BINDER_URL}"
    )


def fingerprint(files: tuple[str, ...]) -> str:
    digest = hashlib.sha256(SETUP_REVISION.encode())
    for name in files:
        digest.update(name.encode())
        digest.update((ROOT / name).read_bytes())
    return digest.hexdigest()


def uv_pin() -> str:
    """The uv version pinned in requirements-dev.txt (the one set-up installs into .venv)."""
    match = re.search(r"^uv==([^\s#;]+)", (ROOT / "requirements-dev.txt").read_text(), re.MULTILINE)
    if not match:
        sys.exit("[tasks] requirements-dev.txt must pin uv (uv==X.Y.Z)")
    return match.group(1)


def uv_locked_requirement() -> str:
    """uv's entry in requirements-dev.lock, with its hashes (so that pip verifies what it downloads)."""
    match = re.search(r"^uv==\S+ \\\n(?:\s+--hash=\S+(?: \\)?\n)+", (ROOT / DEV_LOCK).read_text(), re.MULTILINE)
    return match.group(0) if match else f"uv=={uv_pin()}\n"


def find_uv(bootstrap: bool) -> Path | None:
    """uv from .venv, else from PATH, else (if bootstrap) installed into .venv by pip; None if unavailable."""
    if os.environ.get("COURSE_INSTALLER") == "pip":
        return None
    for candidate in (BIN / ("uv.exe" if os.name == "nt" else "uv"), shutil.which("uv")):
        if candidate and Path(candidate).exists():
            return Path(candidate)
    if not bootstrap:
        return None
    requirement = VENV / "uv-requirement.txt"
    requirement.write_text(uv_locked_requirement())
    code = run(PYTHON, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "--no-deps", "-r", requirement)
    installed = BIN / ("uv.exe" if os.name == "nt" else "uv")
    if code == 0 and installed.exists():
        return installed
    say("could not install uv into .venv: falling back to pip, which installs the same locked versions "
        "but takes several times longer (measured: about 5 times on a first set-up)")
    return None


def install(uv: Path | None, *args: str) -> None:
    """`pip install ARGS` into .venv, with uv if given."""
    if uv is None:
        must(PYTHON, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", *args)
    else:
        must(uv, "pip", "install", "--quiet", "--python", PYTHON, *args)


def site_packages() -> Path:
    """The .venv's site-packages folder."""
    out = subprocess.run([PYTHON, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                         capture_output=True, text=True, check=True)
    return Path(out.stdout.strip())


def compile_command() -> list[str | Path]:
    """Compile every module in .venv to bytecode, in parallel; modules already compiled are skipped (seconds).

    uv installs no bytecode (pip does, uv only with ``--compile-bytecode``, and then only when it installs
    something), so without this the first kernel compiles TensorFlow's sources (measured: ``import tensorflow``
    15 s instead of 6 s), and every kernel does where bytecode cannot be written (``PYTHONDONTWRITEBYTECODE=1``,
    common in containers, or a read-only environment on a class hub). ``compileall`` writes bytecode even when
    that variable is set.
    """
    return [PYTHON, "-m", "compileall", "-q", "-j", "0", site_packages()]


def compile_bytecode() -> None:
    say("compiling the installed packages to bytecode, so that no kernel has to (about 20 s the first time)")
    code = subprocess.run(compile_command(), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True).returncode
    if code:  # a package shipping a file that is not Python 3 (e.g. a template): the rest is compiled all the same
        say("some files could not be compiled to bytecode (not Python 3 sources); the others were")


def setup(dev: bool) -> None:
    """Create .venv if needed and install what changed since the last set-up, from the lock."""
    refuse_unsupported_platform()
    ensure_python()
    if not PYTHON.exists():
        say("creating the virtual environment in .venv")
        code = run(sys.executable, "-m", "venv", VENV)
        if code or not PYTHON.exists():
            sys.exit("[tasks] could not create .venv; on Debian/Ubuntu install python3.11-venv first")
    stamp = json.loads(STAMP.read_text()) if STAMP.exists() else {}
    key, files = ("dev", DEV_FILES) if dev else ("learner", LEARNER_FILES)
    wanted = fingerprint(files)
    if stamp.get(key) == wanted:
        say(f"environment up to date ({key}); nothing to install")
        return
    lock_file = DEV_LOCK if dev else LEARNER_LOCK
    uv = find_uv(bootstrap=True)
    if uv is None and os.environ.get("COURSE_INSTALLER") == "pip":
        say("COURSE_INSTALLER=pip: installing with pip")
    say(f"installing the locked packages from {lock_file} with {'uv' if uv else 'pip'} "
        "(the first time downloads about 450 MB)")
    install(uv, "--require-hashes", "-r", lock_file)
    install(uv, "--no-deps", "--editable", ".")
    compile_bytecode()
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
    if getattr(os, "geteuid", lambda: 1)() == 0 and "--allow-root" not in extra:
        args.append("--allow-root")  # e.g. in a container; JupyterLab otherwise refuses to start as root
    say(" ".join(args))
    os.chdir(ROOT)
    os.execv(str(jupyter), args)


def pytest_env(seed: str | None, **settings: str) -> dict[str, str]:
    env = dict(os.environ)
    env.pop("COURSE_SEED", None)
    if seed is not None:
        env["COURSE_SEED"] = seed
    env["PYTHONHASHSEED"] = "0"
    env["COURSE_PROGRESS"] = "0"  # no progress bar in executed or compared outputs (utils.progress)
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
INSTRUCTOR_OUT = "build/instructor"


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
    # The second pass runs the instructor editions, not the lessons: they hold every lesson cell (so every claim
    # check still runs under another seed) plus every exercise's solution, asserted to pass its check.
    if run(PYTHON, "build_tools/instructor.py", "--out", INSTRUCTOR_OUT):
        failures.append("instructor editions: build (build_tools/instructor.py)")
    else:
        other_seed = [
            PYTHON, "-m", "pytest", INSTRUCTOR_OUT, "--nbval-lax", "--nbval-current-env", "-n", "2", "--dist",
            "loadfile", "-p", "no:cacheprovider",
        ]
        if run(*other_seed, env=pytest_env("7", **ONE_CORE)):
            failures.append("pytest: instructor editions (every lesson's claim checks and every exercise's solution) "
                            "with COURSE_SEED=7, one core per notebook (--nbval-lax)")
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
    """The end-to-end tests in a real browser (tests/test_browser.py: the notebooks in JupyterLab;
    tests/test_book_browser.py: the book, the slides and the plans); never installs system packages."""
    setup(dev=True)
    must(PYTHON, "-m", "pytest", "tests/test_browser.py", "tests/test_book_browser.py", "-m", "browser", "-p",
         "no:cacheprovider", *extra, env=pytest_env(None))


def lint(extra: list[str]) -> None:
    setup(dev=True)
    must(BIN / "ruff", "check", ".", *extra)


def universal_input(dev: bool) -> str:
    """The text uv compiles: requirements.txt with tensorflow-cpu split by platform (+ the dev tools)."""
    lines = []
    for line in (ROOT / "requirements.txt").read_text().splitlines():
        match = re.match(r"^tensorflow-cpu==([^\s#;]+)", line)
        if match:
            lines.append(f"tensorflow-cpu=={match.group(1)} ; {CPU_TF_MARKER}")
            lines.append(f"tensorflow=={match.group(1)} ; {FULL_TF_MARKER}")
        else:
            lines.append(line)
    if dev:
        lines += [line for line in (ROOT / "requirements-dev.txt").read_text().splitlines()
                  if not line.startswith("-r ")]
    return "\n".join(lines) + "\n"


def uv_or_exit() -> Path:
    uv = find_uv(bootstrap=False)
    if uv is None:
        setup(dev=True)
        uv = find_uv(bootstrap=False)
    if uv is None:
        sys.exit(f"[tasks] this command needs uv: pip install uv=={uv_pin()}")
    return uv


def locked_for(uv: Path, lock_file: str, target: str, python_version: str) -> list[str]:
    """`name==version` of every package of a lock that one platform installs (uv evaluates the markers)."""
    args = [
        str(uv), "pip", "compile", "--python-platform", target, "--python-version", python_version,
        "--no-header", "--no-annotate", "--quiet", lock_file,
    ]
    result = subprocess.run(args, cwd=ROOT, capture_output=True, text=True)
    if result.returncode:
        sys.exit(f"[tasks] could not read {lock_file} for {target}: {result.stderr}")
    return sorted((line.strip() for line in result.stdout.splitlines() if "==" in line),
                  key=lambda pin: pin.split("==")[0])


def lock(extra: list[str]) -> None:
    """Regenerate requirements.lock, requirements-dev.lock (universal, hashed) and environment.yml."""
    uv = uv_or_exit()
    for dev, out in ((False, LEARNER_LOCK), (True, DEV_LOCK)):
        args = [
            str(uv), "pip", "compile", "--universal", "--generate-hashes", "--python-version", "3.11",
            "--custom-compile-command", "python3 tasks.py lock", "--quiet", "--output-file", out, *extra, "-",
        ]
        say(" ".join(args) + (" < requirements.txt + requirements-dev.txt" if dev else " < requirements.txt"))
        result = subprocess.run(args, cwd=ROOT, input=universal_input(dev), text=True)
        if result.returncode:
            sys.exit(f"[tasks] uv pip compile failed for {out}")
    # environment.yml: every package of the learner lock that Linux x86-64 installs, at its locked version.
    pins = locked_for(uv, LEARNER_LOCK, "x86_64-unknown-linux-gnu", CONDA_PYTHON)
    direct = "\n".join(
        line for line in (ROOT / "requirements.txt").read_text().splitlines() if line and not line.startswith("#")
    )
    (ROOT / "environment.yml").write_text(
        "# Conda environment for conda users and for Binder (repo2docker reads this file, not the requirements).\n"
        "# GENERATED by `python3 tasks.py lock` from requirements.lock: every package Linux x86-64 installs, at its\n"
        "# locked version. Do not edit; edit requirements.txt and run `python3 tasks.py lock`.\n"
        "# Self-contained on purpose: no `-r` and no `-e .` (they disable repo2docker's cached build); postBuild\n"
        "# installs utils. tests/test_environment_pins.py checks it against the lock.\n"
        "# Direct dependencies (requirements.txt):\n#   " + direct.replace("\n", "\n#   ") + "\n"
        "name: regularization-course\nchannels:\n  - conda-forge\ndependencies:\n  - python=3.11\n  - pip\n  - pip:\n"
        + "".join(f"      - {pin}\n" for pin in pins)
    )
    say(f"wrote {LEARNER_LOCK}, {DEV_LOCK} and environment.yml ({len(pins)} packages for Linux); "
        "now run `python3 tasks.py platforms`, then the tests")


def received_bytes() -> int | None:
    """Bytes received on this machine's network interfaces (Linux only), to measure downloads."""
    try:
        lines = Path("/proc/net/dev").read_text().splitlines()[2:]
    except OSError:
        return None
    return sum(int(line.split(":", 1)[1].split()[0]) for line in lines if not line.strip().startswith("lo:"))


def platforms(extra: list[str]) -> None:
    """Resolve both locks to wheels for every supported platform, reading only wheel metadata."""
    uv = uv_or_exit()
    targets = [(name, target, True) for name, target in SUPPORTED.values()]
    targets.append(("macOS on Intel (x86-64): expected to fail", "x86_64-apple-darwin", False))
    failures, rows = [], []
    with tempfile.TemporaryDirectory(prefix="course-platforms-") as tmp:
        env = {**os.environ, "UV_CACHE_DIR": str(Path(tmp) / "cache")}  # empty cache: measure what it fetches
        before, started = received_bytes(), time.monotonic()
        for name, target, supported in targets:
            for lock_file in (LEARNER_LOCK, DEV_LOCK):
                # soupsieve's version differs below and above Python 3.11.5: try both patch levels once
                versions = ("3.11.2", "3.11.9") if (supported and lock_file == DEV_LOCK and target == targets[0][1]) \
                    else ("3.11.9",)
                for version in versions:
                    args = [
                        str(uv), "pip", "install", "--dry-run", "--python-platform", target, "--python-version",
                        version, "--target", str(Path(tmp) / "target"), "--only-binary", ":all:", "--require-hashes",
                        "-r", lock_file, *extra,
                    ]
                    t0, rx0 = time.monotonic(), received_bytes()
                    result = subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True)
                    seconds, rx1 = time.monotonic() - t0, received_bytes()
                    mb = f"{(rx1 - rx0) / 1e6:5.0f} MB" if rx0 is not None and rx1 is not None else ""
                    out = result.stdout + result.stderr
                    tf = re.findall(r"^ \+ (tensorflow(?:-cpu)?==\S+)", out, re.MULTILINE)
                    ok = result.returncode == 0
                    why = re.search(r"[Bb]ecause (\S+) has no (?:usable )?wheels", out)
                    verdict = ("resolves" if ok else "FAILS") + (f" ({tf[0]})" if tf else "")
                    verdict += f": {why.group(1)} has no wheel" if why and not ok else ""
                    rows.append(f"{name:42} {lock_file:22} {version:7} {verdict:60} {seconds:5.1f} s {mb}")
                    if ok != supported:
                        failures.append(f"{name} / {lock_file} / Python {version}")
                        say(out[-1500:])
                    if not supported:
                        break  # one try is enough to show it fails
                if not supported:
                    break
        after, total = received_bytes(), time.monotonic() - started
        cache_mb = sum(f.stat().st_size for f in Path(tmp, "cache").rglob("*") if f.is_file()) / 1e6
    print("\n".join(rows))
    network = (f"{(after - before) / 1e6:.0f} MB received on this machine's network interfaces meanwhile (other "
               "processes' traffic included)") if before and after else ""
    say(f"{len(rows)} resolutions in {total:.0f} s; uv cache grew to {cache_mb:.0f} MB (index pages and wheel "
        f"metadata, no whole wheel){'; ' + network if network else ''}")
    if failures:
        sys.exit("[tasks] platform check FAILED: " + "; ".join(failures))
    say(f"platform check passed on {time.strftime('%Y-%m-%d')}: every supported platform resolves to wheels")


def read_pins(text: str) -> dict[str, str]:
    """`name==version` lines of a requirements file (names lower case, `_` as `-`)."""
    pins = {}
    for match in re.finditer(r"^([A-Za-z0-9_.\-]+)==([^\s#;\\]+)", text, re.MULTILINE):
        pins[match.group(1).lower().replace("_", "-")] = match.group(2)
    return pins


def drift(extra: list[str]) -> None:
    """Newest releases of the direct dependencies, in a throwaway venv, against every lesson's claim checks.

    Not part of CI (it trains every lesson's models: ~10 minutes on 2 cores). Writes build/drift-report.md.
    Arguments are pytest's (default: notebooks).
    """
    refuse_unsupported_platform()
    ensure_python()
    uv = uv_or_exit()
    direct = read_pins((ROOT / "requirements.txt").read_text())
    if (platform.system(), platform.machine()) in (("Darwin", "arm64"), ("Linux", "aarch64")):
        direct["tensorflow"] = direct.pop("tensorflow-cpu")
    report_path = ROOT / "build" / "drift-report.md"
    report_path.parent.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="course-drift-") as tmp:
        venv = Path(tmp) / "venv"
        python = venv / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
        must(uv, "venv", "--quiet", "--python", sys.executable, venv)
        must(uv, "pip", "install", "--quiet", "--python", python, *direct)  # no versions: the newest releases
        must(uv, "pip", "install", "--quiet", "--python", python, "--no-deps", "--editable", ".")
        freeze = subprocess.run([str(uv), "pip", "freeze", "--python", str(python)], cwd=ROOT,
                                capture_output=True, text=True, check=True).stdout
        tried = read_pins(freeze)
        target = SUPPORTED[(platform.system(), platform.machine())][1]
        locked_all = read_pins("\n".join(locked_for(uv, LEARNER_LOCK, target, platform.python_version())))
        moved = sorted(n for n, v in tried.items() if n in locked_all and locked_all[n] != v)
        new = sorted(n for n in tried if n not in locked_all and n != "regularization-course-utils")
        nice = ["nice", "-n", "19"] if shutil.which("nice") else []
        args = [*nice, str(python), "-m", "pytest", *(extra or ["notebooks"]), "--nbval-lax", "--nbval-current-env",
                "-p", "no:cacheprovider", "-q", "-rf"]
        say(" ".join(args))
        t0 = time.monotonic()
        result = subprocess.run(args, cwd=ROOT, env=pytest_env(None), capture_output=True, text=True)
        minutes = (time.monotonic() - t0) / 60
    out = result.stdout + result.stderr
    summary = next((line.strip("= ") for line in reversed(out.splitlines())
                    if re.search(r"\d+ (passed|failed|error)", line)), "no pytest summary (see the log)")
    failed = [line for line in out.splitlines() if line.startswith(("FAILED", "ERROR"))]
    lines = [
        "# Drift report", "",
        f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, {platform.system()} {platform.machine()}, "
        f"Python {platform.python_version()}: the newest releases of the direct dependencies (requirements.txt), "
        f"resolved afresh, against `pytest {' '.join(extra or ['notebooks'])} --nbval-lax` ({minutes:.1f} min).", "",
        "| package | locked | tried |", "|---|---|---|",
        *(f"| {n} | {v} | {tried.get(n, 'missing')}{' (newer)' if tried.get(n) != v else ''} |"
          for n, v in direct.items()),
        "",
        "Other packages at another version than the lock: "
        + (", ".join(f"{n} {locked_all[n]} -> {tried[n]}" for n in moved if n not in direct) or "none") + ".",
        f"Packages not in the lock: {', '.join(f'{n} {tried[n]}' for n in new) or 'none'}.", "",
        f"Result: {summary}.", "",
        "Nothing broke." if result.returncode == 0 else "What broke:\n\n" + "\n".join(f"- {f}" for f in failed),
        "",
    ]
    report_path.write_text("\n".join(lines))
    (report_path.parent / "drift-pytest.log").write_text(out)
    print("\n".join(lines))
    say(f"wrote {report_path.relative_to(ROOT)} (full pytest output: build/drift-pytest.log)")


def links(extra: list[str]) -> None:
    """Every Binder launch link, from pyproject.toml's [project.urls] (build_tools/links.py; --check: only check)."""
    setup(dev=True)
    must(PYTHON, "build_tools/links.py", *extra)


def slides(extra: list[str]) -> None:
    """Each lesson's core path (before "Going further") as reveal.js slides in outputs/slides/, no CDN."""
    setup(dev=True)
    must(PYTHON, "build_tools/slides.py", *extra)


def site(extra: list[str]) -> None:
    """The course as a book in build/site/ (build_tools/book.py: Sphinx, -W, offline); --jupyterhub URL adds
    a JupyterHub launch button."""
    setup(dev=True)
    must(PYTHON, "build_tools/book.py", *extra)


def instructor(extra: list[str]) -> None:
    """Each lesson's instructor edition in build/instructor/: notes shown, every solution run (alone, at build
    time) and checked, and a printable one-page plan per lesson (NN_name.plan.html, index.html)."""
    setup(dev=True)
    must(PYTHON, "build_tools/instructor.py", "--execute", *extra)


MUTMUT_PIN = "mutmut==3.8.1"
"""Not in the dev lock (it is a maintainer's tool, never run by CI): installed into .venv on first use."""

MUTATION_TESTS = {
    "utils/penalties.py": ["tests/test_penalties.py"],
    "utils/linear.py": ["tests/test_linear.py"],
    "utils/measures.py": ["tests/test_measures.py"],
    "utils/bias_variance.py": ["tests/test_bias_variance.py"],
    # batched: its Keras comparisons, and only the fast batched tests of test_models_training.py (its three
    # "alone as in a crowd" trainings take 4-5 s each and compare the code with itself)
    "utils/batched.py": ["tests/test_batched_against_keras.py", "tests/test_batched_values.py"] + [
        f"tests/test_models_training.py::test_{name}" for name in (
            "side_by_side_mlp_draws_the_recipes_weights_per_seed", "side_by_side_network_is_build_mlp_with_its_weights",
            "side_by_side_early_stopping_keeps_the_best_weights", "side_by_side_data_stacks_each_networks_split",
            "build_side_by_side_mlp_rejects_bad_arguments", "train_side_by_side_rejects_bad_arguments",
            "predict_side_by_side_rejects_weights_of_another_model", "train_stack_rejects_bad_arguments",
            "train_stack_members_of_a_group_start_alike")],
    "utils/training.py": ["tests/test_training_values.py", "tests/test_train_steps.py",
                          "tests/test_models_training.py::test_tensorflow_logger_keeps_a_level_the_learner_set"],
    # The focused files run in seconds (the training tests took ~7 s a mutant under load, and hit mutmut's time
    # limit). MCDropout cannot be built in mutmut's copy (its mutated __init__ has no `self` argument, which Keras's
    # Operation.__new__ reads): its tests are in tests/test_models_mc_dropout.py, left out here (models.explained.toml).
    "utils/models.py": ["tests/test_models_values.py"],
    # The answer readers' own tests. The rest of test_exercises.py runs every exercise's solution (minutes), and
    # three of its reader tests have ids that mutmut cannot find again (a backslash or a line break in them: pytest
    # exits 4, which mutmut counts as a timeout, that is as killed); tests/test_answer_readers.py has their cases.
    "utils/checks.py": ["tests/test_answer_readers.py", *(f"tests/test_exercises.py::{name}" for name in (
        "test_as_number_reads_every_reasonable_form", "test_expect_close_tolerance_and_messages",
        "test_as_choice_accepts_the_offered_forms", "test_backwards_compatible_helpers",
        "test_a_near_whole_number_is_shown_with_its_digits", "test_expect_close_with_an_absolute_close_band",
        "test_as_choice_ignores_a_leading_article", "test_as_array_refuses_complex_numbers_and_text",
        "test_as_array_reads_real_numbers_as_before",
    ))],
    "build_tools/notebook_inputs.py": ["tests/test_notebook_freshness.py"],
    "build_tools/instructor.py": ["tests/test_instructor.py"],
}
"""Each module the lessons' numbers stand on, and the unit tests that must kill its mutants."""

MUTATION_FUNCTIONS = {
    "utils/checks.py": (
        "_from_text", "as_number", "as_whole_number", "relative_error", "matches", "expect_close", "with_text_note",
        "as_items", "as_numbers", "_normalise_words", "as_choice", "_refuse_non_real", "as_array", "expect_number",
        "expect_choice",
    ),
}
"""Modules mutated in part: only these top-level functions (utils.checks: its answer readers, not its feedback
wording, the learner-function runner or the Exercise class). The rest is fenced off with mutmut's
`# pragma: no mutate start/end` in the scratch copy only: the module itself is hashed into every lesson's record
of inputs, so a comment added there would make every lesson stale."""


def _fence_off(path: Path, keep: tuple[str, ...]) -> None:
    """Wrap every top-level function and class of ``path`` not named in ``keep`` in no-mutate pragmas."""
    import ast

    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    tree = ast.parse("".join(lines))
    missing = set(keep) - {node.name for node in tree.body if isinstance(node, ast.FunctionDef | ast.ClassDef)}
    if missing:
        sys.exit(f"[tasks] MUTATION_FUNCTIONS names what {path.name} does not define: {sorted(missing)}")
    for node in reversed(tree.body):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef) and node.name not in keep:
            first = min([node.lineno, *(d.lineno for d in node.decorator_list)])
            lines.insert(node.end_lineno, "# pragma: no mutate end\n")
            lines.insert(first - 1, "# pragma: no mutate start\n")
    path.write_text("".join(lines), encoding="utf-8")


def mutate(extra: list[str]) -> None:
    """Mutation testing of one module with mutmut, against its unit tests, in a scratch copy (build/mutate/).

    Each mutant (a flipped operator, a changed constant, ...) must make a test fail. Writes the counts and every
    surviving mutant to benchmarks/mutation/<module>.md (build_tools/mutation.py; survivors are explained in
    benchmarks/mutation/<module>.explained.toml). Takes minutes (under `nice`): not part of CI.
    """
    setup(dev=True)
    report_only = "--report-only" in extra  # rewrite the report from the last run's results, run nothing
    extra = [e for e in extra if e != "--report-only"]
    sample = _count_option(extra, "--sample", "a number of mutants, e.g. --sample 400")  # a seeded uniform sample
    children = _count_option(extra, "--children", "how many mutants to run at a time, e.g. --children 2") or 1
    seconds = _count_option(extra, "--seconds", "the run's wall time in whole seconds, e.g. --seconds 5400")
    if seconds is not None and not report_only:
        sys.exit("[tasks] --seconds is for --report-only (a run that was not timed by this command); a run times itself")
    module = extra[0] if extra else "utils/penalties.py"
    if module not in MUTATION_TESTS:
        sys.exit(f"[tasks] mutate knows these modules: {', '.join(MUTATION_TESTS)}; got {module!r}")
    mutmut = BIN / "mutmut"
    if not mutmut.exists():
        install(find_uv(bootstrap=True), MUTMUT_PIN)
    stem = Path(module).stem
    work = ROOT / "build" / "mutate" / stem
    tests = MUTATION_TESTS[module]
    env = {**os.environ, "COURSE_PROGRESS": "0", "PYTHONHASHSEED": "0"}
    if report_only:
        _mutation_report(module, work, tests, seconds=seconds, children=children)
        return
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    for folder in ("utils", "tests", "build_tools", "data", "notebooks", "benchmarks"):  # tests read cells.csv
        shutil.copytree(ROOT / folder, work / folder, ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("conftest.py", "requirements.txt", "requirements.lock", "README.md"):
        shutil.copy(ROOT / name, work / name)
    if module in MUTATION_FUNCTIONS:
        _fence_off(work / module, MUTATION_FUNCTIONS[module])
    source = Path(module).parts[0]
    config = (ROOT / "pyproject.toml").read_text(encoding="utf-8") + (
        "\n[tool.mutmut]\n"
        f"source_paths = [{source!r}]\n"
        f"only_mutate = [{module!r}]\n"
        f"pytest_add_cli_args_test_selection = {tests!r}\n"
        "pytest_add_cli_args = ['-p', 'no:cacheprovider', '-x', '-q']\n"
        # TensorFlow starts its thread pools at its first operation; a process forked after that hangs. The fork
        # server only collects the tests (imports, no operation) and forks every mutant's run from there.
        "process_isolation = 'forkserver'\n"
        "forkserver_warmup = 'collect'\n"
        # A mutant's run may take (its tests' time + timeout_constant) x timeout_multiplier of wall time, and twice
        # that in CPU seconds, before it counts as a timeout (that is, as killed). mutmut's defaults (1 s, x 15)
        # gave fast tests about 15 s, which a forked run under `nice` on a busy shared machine can exceed (seen:
        # two notebook_inputs mutants that fail at once otherwise). 6 s and x 15 then gave fast tests 90 s, but
        # utils/batched.py's training tests (timed at 98 s on a loaded machine) 26 minutes, which two mutants that
        # loop in fit were using up. 45 s and x 2 give fast tests 90 s and the training tests under 5 minutes.
        "timeout_constant = 45.0\n"
        "timeout_multiplier = 2.0\n"
        "also_copy = ['utils', 'build_tools', 'data', 'notebooks', 'benchmarks', 'conftest.py', 'requirements.txt', "
        "'requirements.lock', 'README.md']\n"
    ).replace("'", '"')
    (work / "pyproject.toml").write_text(config, encoding="utf-8")
    nice = ["nice", "-n", "10"] if shutil.which("nice") else []
    say(f"mutating {module} against {' '.join(tests)} in {work.relative_to(ROOT)} (minutes)")
    start = time.time()
    chosen: list[str] = []
    if sample is not None:
        chosen = _mutation_sample(module, work, sample, [*nice, str(mutmut)], env)
    code = subprocess.call([*nice, str(mutmut), "run", "--max-children", str(children), *chosen], cwd=work, env=env)
    if code:  # e.g. a test that fails in the copy: mutmut tested no mutant, so there is nothing to report
        sys.exit(f"[tasks] mutmut stopped with exit code {code}; no report written (see its output above)")
    _mutation_report(module, work, tests, seconds=time.time() - start, children=children)


def _count_option(extra: list[str], flag: str, what: str) -> int | None:
    """The whole number after ``flag`` in ``extra`` (both removed from it), or None when ``flag`` is absent."""
    if flag not in extra:
        return None
    at = extra.index(flag)
    if at + 1 >= len(extra) or not extra[at + 1].isdigit() or int(extra[at + 1]) < 1:
        sys.exit(f"[tasks] {flag} needs {what}, at least 1")
    value = int(extra[at + 1])
    del extra[at:at + 2]
    return value


MUTATION_SAMPLE_SEED = 23
"""Seed of the random sample of mutants that ``mutate --sample N`` runs (issue 23)."""


def _mutation_sample(module: str, work: Path, size: int, mutmut: list[str], env: dict[str, str]) -> list[str]:
    """Make every mutant of ``module`` in ``work`` without running any, then choose ``size`` of them at random
    (seeded: the same sample of the same code every time); the choice is kept in ``work/sample.json`` for the
    report."""
    import random

    # mutmut makes the mutants and collects which tests reach which function, then finds no mutant of this name
    # and stops (an assertion, by design): what is left is the list of every mutant it made
    subprocess.call([*mutmut, "run", "--max-children", "1", "tasks.py: make the mutants, run none"], cwd=work,
                    env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    meta = work / "mutants" / f"{module}.meta"
    if not meta.exists():
        sys.exit(f"[tasks] mutmut made no mutants of {module} (no {meta.relative_to(ROOT)}); run it without --sample "
                 "to see its output")
    names = sorted(json.loads(meta.read_text(encoding="utf-8"))["exit_code_by_key"])
    chosen = sorted(random.Random(MUTATION_SAMPLE_SEED).sample(names, min(size, len(names))))
    (work / "sample.json").write_text(json.dumps({"seed": MUTATION_SAMPLE_SEED, "size": len(chosen),
                                                  "of": len(names), "mutants": chosen}, indent=1), encoding="utf-8")
    say(f"a random sample of {len(chosen)} of the {len(names)} mutants (seed {MUTATION_SAMPLE_SEED})")
    return chosen


def _mutation_report(module: str, work: Path, tests: list[str], seconds: float | None, children: int = 1) -> None:
    """benchmarks/mutation/<stem>.md from mutmut's results in ``work``, and the index (build_tools/mutation.py)."""
    args = ["build_tools/mutation.py", "report", module, "--work", str(work), "--tests", *tests]
    must(PYTHON, *args, "--children", str(children), *(["--seconds", f"{seconds:.0f}"] if seconds is not None else []))


def main() -> None:
    commands = {
        "setup": None, "lab": lab, "test": test, "execute": execute, "lint": lint, "measure": measure,
        "benchmark": benchmark, "browser": browser, "lock": lock, "platforms": platforms, "drift": drift,
        "links": links, "slides": slides, "site": site, "instructor": instructor, "mutate": mutate,
    }
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
