"""The learner requirements, environment.yml and the Binder files agree, and stay self-contained."""

import re
import shutil
import subprocess
import sys
from pathlib import Path

from utils.environment import environment_report, read_pins

import pytest

PIN = re.compile(r"^([A-Za-z0-9_.\-]+)==([^\s#;]+)$")


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
        pins[match.group(1).lower().replace("_", "-")] = match.group(2)
    return spec, deps, pins


def test_requirements_and_environment_yml_pin_the_same_packages(root):
    _, _, yml = _yaml_pip_pins(root)
    txt = read_pins(root / "requirements.txt")
    assert txt == yml, f"only in requirements.txt: {set(txt.items()) - set(yml.items())}; " \
                       f"only in environment.yml: {set(yml.items()) - set(txt.items())}"


def test_every_requirement_line_is_an_exact_pin(root):
    for line in (root / "requirements.txt").read_text().splitlines():
        line = line.split("#")[0].strip()
        if line:
            assert PIN.match(line), f"requirements.txt line {line!r} is not name==version"


def test_environment_yml_is_self_contained_conda_forge_python_311(root):
    spec, deps, _ = _yaml_pip_pins(root)
    assert spec["channels"] == ["conda-forge"]
    assert "python=3.11" in deps
    text = (root / "environment.yml").read_text()
    assert not re.search(r"^\s*-\s*(-r|-e|\.)", text, re.MULTILINE), "no -r, -e or local paths in environment.yml"


def test_development_tools_stay_out_of_the_learner_environment(root):
    learner = read_pins(root / "requirements.txt")
    dev = read_pins(root / "requirements-dev.txt")
    for tool in ("ruff", "pytest-xdist", "jupyter-repo2docker"):
        assert tool in dev and tool not in learner
    assert "-r requirements.txt" in (root / "requirements-dev.txt").read_text()


def test_required_stack_is_pinned(root):
    pins = read_pins(root / "requirements.txt")
    assert pins["tensorflow-cpu"] == "2.21.0"
    for name in ("keras", "scikit-learn", "seaborn", "matplotlib", "pandas", "numpy", "jupyterlab", "ipykernel",
                 "ipywidgets", "nbval", "pytest"):
        assert name in pins, f"{name} is not pinned"
    assert "tensorflow" not in pins, "use tensorflow-cpu (half the download), not tensorflow"


def test_installed_versions_match_the_pins():
    report = environment_report()
    assert report["ok"].all(), report[~report["ok"]].to_string()


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
