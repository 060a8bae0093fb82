"""User-facing commands and checks that had no test (issue 23, point 3): `python3 tasks.py lab` starts
JupyterLab, answers on its port and stops; `utils.environment.check_environment` says READY or lists what is
wrong."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from utils import environment

import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parents[1]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _learner_environment_is_set_up() -> bool:
    """Whether `tasks.py lab`'s set-up step has nothing to install (else it would download packages)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("course_tasks", ROOT / "tasks.py")
    tasks = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(tasks)
    if not tasks.STAMP.exists() or not (tasks.BIN / "jupyter").exists():
        return False
    return json.loads(tasks.STAMP.read_text()).get("learner") == tasks.fingerprint(tasks.LEARNER_FILES)


def test_tasks_lab_answers_on_its_port_and_stops():
    if not _learner_environment_is_set_up():
        pytest.skip("run `python3 tasks.py setup` first: `tasks.py lab` would install the learner packages")
    port = _free_port()
    command = [sys.executable, str(ROOT / "tasks.py"), "lab", "--no-browser", f"--port={port}",
               "--ServerApp.ip=127.0.0.1", "--IdentityProvider.token=course-test", "--ServerApp.port_retries=0"]
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                               env={**os.environ, "JUPYTER_NO_CONFIG": "1"}, start_new_session=True)
    try:
        deadline, answer = time.monotonic() + 120, None
        while time.monotonic() < deadline and process.poll() is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/api", timeout=2) as response:
                    answer = json.loads(response.read())
                    break
            except OSError:
                time.sleep(0.5)
        assert answer is not None and "version" in answer, (
            f"JupyterLab did not answer on port {port} within 120 s (exit code {process.poll()})"
        )
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/lab?token=course-test", timeout=10) as response:
            assert response.status == 200 and "JupyterLab" in response.read().decode("utf-8", "replace")
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)  # the session started here: the server and its children
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)
            pytest.fail("JupyterLab did not stop within 30 s of SIGTERM")
    with socket.socket() as sock:  # the port is free again
        assert sock.connect_ex(("127.0.0.1", port)) != 0, f"something still answers on port {port}"


def test_check_environment_says_ready_here(capsys):
    """In the test environment (set up from the lock), every check passes."""
    problems = environment.check_environment()
    out = capsys.readouterr().out
    assert problems == [], out
    assert out.rstrip().endswith("READY: every check passed.")
    assert "utils imported from this repository: yes" in out


def test_check_environment_lists_each_problem(monkeypatch, capsys):
    """A package at another version and a data file with another checksum are each listed, and it is NOT READY."""
    report = pd.DataFrame([{"package": "python", "required": "3.11", "installed": "3.11"},
                           {"package": "numpy", "required": "2.0.0", "installed": "1.26.4"}])
    report["ok"] = report["required"] == report["installed"]
    monkeypatch.setattr(environment, "environment_report", lambda: report)
    import utils.data

    monkeypatch.setattr(utils.data, "verify_datasets",
                        lambda: {"noisy_cosine": "ok", "sparse_signals": "data/sparse_signals.csv: SHA-256 differs"})
    problems = environment.check_environment()
    out = capsys.readouterr().out
    assert problems == ["numpy: 1.26.4 installed, 2.0.0 required", "data/sparse_signals.csv: SHA-256 differs"]
    assert "packages at their pinned versions: 1 of 2" in out and "data files with the recorded SHA-256: 1 of 2" in out
    assert "NOT READY" in out and "  - numpy: 1.26.4 installed, 2.0.0 required" in out
