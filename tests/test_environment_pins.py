"""The pins agree: requirements.txt (input), the locks, environment.yml and what is installed.

Also: the Binder files stay self-contained, tasks.py refuses clearly where the lock cannot work, and git keeps
the data files byte for byte on a checkout with core.autocrlf=true.
"""

import hashlib
import importlib.util
import re
import shutil
import subprocess
import sys
from importlib import metadata
from pathlib import Path

from utils.data import DATASETS
from utils.environment import environment_report, read_pins

import pytest
from packaging.markers import default_environment
from packaging.requirements import Requirement

PIN = re.compile(r"^([A-Za-z0-9_.\-]+)==([^\s#;]+)$")
ROOT = Path(__file__).resolve().parent.parent

# Marker environments of the platforms the lock covers (what pip or uv would see there with Python 3.11).
PLATFORMS = {
    "Linux x86-64": {"sys_platform": "linux", "platform_machine": "x86_64", "os_name": "posix",
                     "platform_system": "Linux"},
    "Windows x86-64": {"sys_platform": "win32", "platform_machine": "AMD64", "os_name": "nt",
                       "platform_system": "Windows"},
    "macOS on Apple silicon (arm64)": {"sys_platform": "darwin", "platform_machine": "arm64", "os_name": "posix",
                                       "platform_system": "Darwin"},
    "Linux aarch64 (ARM64)": {"sys_platform": "linux", "platform_machine": "aarch64", "os_name": "posix",
                              "platform_system": "Linux"},
}


def _environment(platform_name, python="3.11.9"):
    env = default_environment()
    env.update(PLATFORMS[platform_name], python_version="3.11", python_full_version=python,
               implementation_name="cpython", platform_python_implementation="CPython")
    return env


def _normal(name):
    return re.sub(r"[-_.]+", "-", name).lower()


def _lock(name):
    """The entries of a lock file: (Requirement, hashes) for every `name==version ; marker` line."""
    text = (ROOT / name).read_text().replace("\\\n", " ")
    entries = []
    for line in text.splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        requirement, *hashes = line.split(" --hash=")
        entries.append((Requirement(requirement.strip()), [h.strip() for h in hashes]))
    return entries


def _resolved(name, platform_name, python="3.11.9"):
    """name -> version of a lock's packages that install on one platform."""
    env = _environment(platform_name, python)
    pins = {}
    for req, _ in _lock(name):
        if req.marker is None or req.marker.evaluate(env):
            (spec,) = req.specifier
            assert _normal(req.name) not in pins, f"{req.name} twice for {platform_name} in {name}"
            pins[_normal(req.name)] = spec.version
    return pins


def _tasks():
    spec = importlib.util.spec_from_file_location("course_tasks", ROOT / "tasks.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _yaml_pip_pins(root):
    import yaml

    spec = yaml.safe_load((root / "environment.yml").read_text())
    deps = spec["dependencies"]
    pip_sections = [d["pip"] for d in deps if isinstance(d, dict) and "pip" in d]
    assert len(pip_sections) == 1, "environment.yml needs exactly one pip: section"
    pins = {}
    for line in pip_sections[0]:
        match = PIN.match(line.strip())
        assert match, f"environment.yml pip entry {line!r} is not an exact name==version pin"
        pins[_normal(match.group(1))] = match.group(2)
    return spec, deps, pins


# --- input: requirements.txt, requirements-dev.txt -------------------------------------------------------------

def test_every_requirement_line_is_an_exact_pin(root):
    for name in ("requirements.txt", "requirements-dev.txt"):
        for line in (root / name).read_text().splitlines():
            line = line.split("#")[0].strip()
            if line and line != "-r requirements.txt":
                assert PIN.match(line), f"{name} line {line!r} is not name==version"


def test_development_tools_stay_out_of_the_learner_environment(root):
    learner = read_pins(root / "requirements.txt")
    dev = read_pins(root / "requirements-dev.txt")
    for tool in ("ruff", "pytest-xdist", "jupyter-repo2docker", "uv"):
        assert tool in dev and tool not in learner
    assert "-r requirements.txt" in (root / "requirements-dev.txt").read_text()


def test_required_stack_is_pinned(root):
    pins = read_pins(root / "requirements.txt")
    assert pins["tensorflow-cpu"] == "2.21.0"
    for name in ("keras", "scikit-learn", "seaborn", "matplotlib", "pandas", "numpy", "jupyterlab", "ipykernel",
                 "ipywidgets", "nbval", "pytest"):
        assert name in pins, f"{name} is not pinned"
    assert "tensorflow" not in pins, "pin tensorflow-cpu (half the download); the lock adds tensorflow where needed"


# --- the locks ---------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("lock_name", ["requirements.lock", "requirements-dev.lock"])
def test_lock_is_complete_exact_and_hashed(lock_name):
    entries = _lock(lock_name)
    assert len(entries) > 100, f"{lock_name} has {len(entries)} entries: not a full lock"
    for req, hashes in entries:
        (spec,) = req.specifier
        assert spec.operator == "==", f"{req} is not an exact pin"
        assert hashes and all(h.startswith("sha256:") for h in hashes), f"{req.name} has no hash"
    header = (ROOT / lock_name).read_text()
    assert "python3 tasks.py lock" in header, "generate the lock with `python3 tasks.py lock`"


@pytest.mark.parametrize("platform_name", PLATFORMS)
@pytest.mark.parametrize("python", ["3.11.2", "3.11.9"])
def test_lock_pins_every_direct_requirement_on_every_platform(root, platform_name, python):
    direct = read_pins(root / "requirements.txt")
    dev = {n: v for n, v in read_pins(root / "requirements-dev.txt").items()}
    for lock_name, wanted in (("requirements.lock", direct), ("requirements-dev.lock", {**direct, **dev})):
        resolved = _resolved(lock_name, platform_name, python)
        for name, version in wanted.items():
            if name == "tensorflow-cpu" and platform_name.startswith(("macOS", "Linux aarch64")):
                assert "tensorflow-cpu" not in resolved, f"{lock_name}: no tensorflow-cpu wheel on {platform_name}"
                name = "tensorflow"
            assert resolved.get(name) == version, (
                f"{lock_name} on {platform_name}: {name} {resolved.get(name)}, requirements say {version}: "
                "run `python3 tasks.py lock`"
            )


@pytest.mark.parametrize("platform_name", PLATFORMS)
def test_exactly_one_tensorflow_per_platform(platform_name):
    resolved = _resolved("requirements.lock", platform_name)
    tensorflows = sorted(name for name in resolved if name in ("tensorflow", "tensorflow-cpu"))
    expected = ["tensorflow"] if platform_name.startswith(("macOS", "Linux aarch64")) else ["tensorflow-cpu"]
    assert tensorflows == expected


def test_dev_lock_has_the_learner_lock_versions():
    """The development environment tests what learners install: same version of every shared package."""
    for platform_name in PLATFORMS:
        learner = _resolved("requirements.lock", platform_name)
        dev = _resolved("requirements-dev.lock", platform_name)
        differ = {n: (v, dev.get(n)) for n, v in learner.items() if dev.get(n) != v}
        assert not differ, f"{platform_name}: learner vs dev lock {differ}"


def test_set_up_bootstraps_the_pinned_uv_with_its_hashes():
    tasks = _tasks()
    assert tasks.uv_pin() == _resolved("requirements-dev.lock", "Linux x86-64")["uv"]
    requirement = tasks.uv_locked_requirement()
    assert requirement.startswith(f"uv=={tasks.uv_pin()} ") and requirement.count("--hash=sha256:") > 5


def test_installed_versions_match_the_pins():
    report = environment_report()
    assert report["ok"].all(), report[~report["ok"]].to_string()


def test_installed_versions_match_the_lock():
    """Every locked package for this platform is installed at its locked version (after `tasks.py setup`)."""
    tasks = _tasks()
    import platform

    name = tasks.SUPPORTED.get((platform.system(), platform.machine()), (None,))[0]
    if name is None:
        pytest.skip("not a platform the lock covers")
    try:
        metadata.version("ruff")
        lock_name = "requirements-dev.lock"
    except metadata.PackageNotFoundError:
        lock_name = "requirements.lock"
    wrong = {}
    for package, version in _resolved(lock_name, name, platform.python_version()).items():
        try:
            installed = metadata.version(package)
        except metadata.PackageNotFoundError:
            installed = "missing"
        if installed != version:
            wrong[package] = f"{installed} installed, {version} locked"
    assert not wrong, f"not as in {lock_name} (run `python3 tasks.py setup --dev`): {wrong}"


# --- environment.yml (Binder, conda) -----------------------------------------------------------------------------

def test_environment_yml_is_the_lock_for_linux(root):
    _, _, yml = _yaml_pip_pins(root)
    locked = _resolved("requirements.lock", "Linux x86-64")
    assert yml == locked, (
        f"only in environment.yml: {sorted(set(yml.items()) - set(locked.items()))}; "
        f"only in requirements.lock (Linux): {sorted(set(locked.items()) - set(yml.items()))}. "
        "Run `python3 tasks.py lock`."
    )
    direct = read_pins(root / "requirements.txt")
    assert all(yml.get(n) == v for n, v in direct.items()), "environment.yml misses a direct pin"


def test_environment_yml_is_self_contained_conda_forge_python_311(root):
    spec, deps, _ = _yaml_pip_pins(root)
    assert spec["channels"] == ["conda-forge"]
    assert "python=3.11" in deps
    text = (root / "environment.yml").read_text()
    assert not re.search(r"^\s*-\s*(-r|-e|\.)", text, re.MULTILINE), "no -r, -e or local paths in environment.yml"


def test_binder_scripts(root):
    post_build = (root / "postBuild").read_text()
    assert post_build.startswith("#!/bin/bash") and "set -e" in post_build
    assert "--editable ." in post_build or "-e ." in post_build
    start = (root / "start").read_text().strip().splitlines()
    assert start[-1] == 'exec "$@"'
    assert any("OMP_NUM_THREADS=1" in line for line in start)
    for script in ("postBuild", "start"):
        assert (root / script).stat().st_mode & 0o111, f"{script} must be executable"


@pytest.mark.tooling
def test_repo2docker_reads_the_conda_environment_and_runs_post_build(root):
    beside = Path(sys.executable).parent / "jupyter-repo2docker"
    exe = str(beside) if beside.exists() else shutil.which("jupyter-repo2docker")
    if exe is None:
        pytest.skip("jupyter-repo2docker is a development tool (requirements-dev.txt)")
    result = subprocess.run(
        [exe, "--no-build", "--debug", str(root)], capture_output=True, text=True, timeout=300, cwd=root
    )
    out = result.stdout + result.stderr
    assert result.returncode == 0, out[-2000:]
    assert "Building conda environment for python=3.11" in out
    # the conda build pack copies its Python 3.11 lock file (the path is escaped: "." -> "-2e", "-" -> "-2d")
    assert re.search(r"conda-2fenvironment-2epy-2d3-2e11-2dlinux-2d64-2elock|conda/environment\.py-3\.11", out), (
        "not the conda build pack with Python 3.11"
    )
    assert "RUN ./postBuild" in out
    assert 'R2D_ENTRYPOINT="${REPO_DIR}/start"' in out
    assert 'environment.yml' in out


# --- refusal where the lock cannot work ----------------------------------------------------------------------------

@pytest.fixture
def tasks_nowhere(monkeypatch, tmp_path):
    """tasks.py with .venv in a temporary folder and every subprocess forbidden."""
    tasks = _tasks()
    monkeypatch.setattr(tasks, "VENV", tmp_path / ".venv")
    monkeypatch.setattr(tasks, "PYTHON", tmp_path / ".venv" / "bin" / "python")

    def forbidden(*args, **kwargs):
        raise AssertionError(f"tried to run {args[0]!r} before refusing")

    monkeypatch.setattr(tasks.subprocess, "call", forbidden)
    monkeypatch.setattr(tasks.subprocess, "run", forbidden)
    monkeypatch.setattr(tasks.os, "execv", forbidden)
    return tasks


def test_intel_mac_is_refused_before_anything_is_installed(tasks_nowhere, tmp_path, monkeypatch):
    monkeypatch.setattr(tasks_nowhere.platform, "system", lambda: "Darwin")
    monkeypatch.setattr(tasks_nowhere.platform, "machine", lambda: "x86_64")
    with pytest.raises(SystemExit) as stop:
        tasks_nowhere.setup(dev=False)
    message = str(stop.value)
    assert "macOS on an Intel processor" in message
    assert "Nothing was installed" in message
    assert "macOS on Apple silicon (arm64)" in message and "Windows x86-64" in message
    assert tasks_nowhere.BINDER_URL in message
    assert not (tmp_path / ".venv").exists()


@pytest.mark.parametrize("system, machine", [("Windows", "ARM64"), ("Linux", "armv7l"), ("FreeBSD", "amd64")])
def test_other_unsupported_platforms_are_refused(tasks_nowhere, system, machine):
    with pytest.raises(SystemExit, match="Nothing was installed.*\n.*\n.*mybinder.org"):
        tasks_nowhere.refuse_unsupported_platform(system, machine)


def test_supported_platforms_pass(tasks_nowhere):
    for system, machine in tasks_nowhere.SUPPORTED:
        tasks_nowhere.refuse_unsupported_platform(system, machine)


def test_other_python_without_python311_is_refused(tasks_nowhere, tmp_path, monkeypatch):
    monkeypatch.setattr(tasks_nowhere, "WANTED", (3, 99))  # i.e. this Python is not the wanted one
    monkeypatch.setattr(tasks_nowhere, "refuse_unsupported_platform", lambda: None)
    monkeypatch.setattr(tasks_nowhere.shutil, "which", lambda name: None)
    with pytest.raises(SystemExit) as stop:
        tasks_nowhere.setup(dev=False)
    message = str(stop.value)
    assert "needs Python 3.11" in message and "no python3.11" in message and "Nothing was installed" in message
    assert tasks_nowhere.BINDER_URL in message
    assert not (tmp_path / ".venv").exists()


def test_refusal_points_at_the_readme_binder_link(root):
    assert _tasks().BINDER_URL in (root / "README.md").read_text()


def test_readme_lists_every_supported_platform(root):
    readme = (root / "README.md").read_text()
    for name, _ in _tasks().SUPPORTED.values():
        assert name in readme, f"README's supported-systems table misses {name}"


# --- data files keep their bytes ------------------------------------------------------------------------------------

def _data_checksums():
    expected = {}
    for entry in DATASETS.values():
        expected[entry["file"]] = entry["sha256"]
        if "truth" in entry:
            expected[entry["truth"]] = entry["truth_sha256"]
    return expected


def test_gitattributes_keeps_data_csvs_byte_for_byte(root):
    assert re.search(r"^data/\*\.csv\s+(-text|binary)\b", (root / ".gitattributes").read_text(), re.MULTILINE)


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_clone_with_autocrlf_keeps_data_bytes(root, tmp_path):
    """A Windows-style checkout (core.autocrlf=true) of the committed repository: data/ unchanged."""
    if subprocess.run(["git", "-C", str(root), "rev-parse", "HEAD"], capture_output=True).returncode:
        pytest.skip("not a git repository")
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "--quiet", "--no-hardlinks", "-c", "core.autocrlf=true", str(root), str(clone)],
                   check=True, capture_output=True)
    # the setting was active: an ordinary text file did get CRLF line endings
    assert b"\r\n" in (clone / "README.md").read_bytes()
    for filename, expected in _data_checksums().items():
        data = (clone / "data" / filename).read_bytes()
        assert b"\r\n" not in data, f"data/{filename} got CRLF line endings"
        assert hashlib.sha256(data).hexdigest() == expected, f"data/{filename} changed in the clone"


def test_tensorflow_satisfies_the_tensorflow_cpu_pin(monkeypatch):
    """On macOS arm64 and Linux aarch64 the lock installs `tensorflow`: the start page must not call it missing."""
    from importlib import metadata

    import utils.environment as environment

    real = metadata.version

    def without_cpu_build(name: str) -> str:
        if name == "tensorflow-cpu":
            raise metadata.PackageNotFoundError(name)
        if name == "tensorflow":
            return read_pins()["tensorflow-cpu"]
        return real(name)

    monkeypatch.setattr(environment.metadata, "version", without_cpu_build)
    row = environment.environment_report().set_index("package").loc["tensorflow-cpu (as tensorflow)"]
    assert row["ok"], row


def _compiled_fraction(package: str) -> tuple[int, int]:
    """How many of ``package``'s modules have this Python's bytecode next to them, out of how many."""
    spec = importlib.util.find_spec(package)
    assert spec is not None and spec.submodule_search_locations, f"{package} is not installed"
    folder = Path(next(iter(spec.submodule_search_locations)))
    tag = sys.implementation.cache_tag
    sources = list(folder.rglob("*.py"))
    compiled = sum((source.parent / "__pycache__" / f"{source.stem}.{tag}.pyc").exists() for source in sources)
    return compiled, len(sources)


@pytest.mark.parametrize("package", ["tensorflow", "keras", "sklearn"])
def test_setup_compiled_the_stack_to_bytecode(package):
    """Set-up compiles every installed module, so no kernel compiles TensorFlow's sources (issue 22).

    Importing compiles only the modules imported (and nothing where PYTHONDONTWRITEBYTECODE=1): nearly every
    module of these packages is never imported by the lessons, so only set-up's compile step puts bytecode beside
    them all.
    """
    compiled, total = _compiled_fraction(package)
    assert total > 100 and compiled >= 0.99 * total, (
        f"only {compiled} of {package}'s {total} modules have bytecode: run `python3 tasks.py setup` (which "
        "compiles the environment); did set-up stop compiling bytecode?"
    )


def test_setup_runs_the_compile_step_over_site_packages():
    tasks = _tasks()
    command = [str(part) for part in tasks.compile_command()]
    assert command[1:4] == ["-m", "compileall", "-q"]
    assert Path(command[-1]) == Path(tasks.site_packages())
    assert "compile_bytecode()" in (ROOT / "tasks.py").read_text().split("def setup(dev: bool)")[1]
