"""End to end in a real browser: each notebook opened and run in JupyterLab, in Debian's Chromium.

Run it with ``python3 tasks.py browser`` (or ``pytest tests/test_browser.py -m browser``; ``-k 01_bias`` picks
notebooks). It needs Chromium at /usr/bin/chromium (``apt-get install chromium``; another path through
``COURSE_CHROMIUM``) and the Python package playwright from requirements-dev.txt, which drives that browser
(no browser is downloaded). Without them the test is skipped, except under ``CI=true``, where it fails.
In any other run (``pytest tests``, ``python3 tasks.py test``) it is skipped with a note saying how to run it.

For each notebook: JupyterLab (served from this repository, token off, on 127.0.0.1 and a free port) opens it,
the test clears its outputs and runs every cell through JupyterLab's own menus (Edit > Clear Outputs of All
Cells, Run > Run All Cells), waits until the kernel is idle and every code cell has an execution count, then
asserts that the cells ran once each, top to bottom, with no error and no stderr output, and that every figure
of the committed notebook appears as a loaded image. JupyterLab never saves: autosave is off (settings in a
temporary folder), pages close without saving, checkpoints go to a temporary folder, and every file of the repository is compared (content and
modification time, and ``git status``) before and after. A screenshot of each notebook goes to
outputs/screenshots/ (ignored by git).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent
# COURSE_BROWSER_NOTEBOOKS="notebooks/00_start_here.ipynb notebooks/01_bias_variance_tradeoff.ipynb" picks some
# (paths relative to the repository; `-k 01_bias` does the same by name).
NOTEBOOKS = (
    [ROOT / name for name in os.environ["COURSE_BROWSER_NOTEBOOKS"].split()]
    if os.environ.get("COURSE_BROWSER_NOTEBOOKS")
    else sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
)
SCREENSHOTS = ROOT / "outputs" / "screenshots"
CHROMIUM = Path(os.environ.get("COURSE_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
HOW_TO_RUN = "install Chromium (`sudo apt-get install chromium` on Debian/Ubuntu), then run `python3 tasks.py browser`"
# Not compared: the repository's own machinery and what this test writes.
UNWATCHED = {".git", ".venv", "outputs"}
NOTEBOOK_TIMEOUT_S = 600

pytestmark = pytest.mark.browser


def _selected(config: pytest.Config) -> bool:
    expression = config.getoption("markexpr") or ""
    return "browser" in expression and "not browser" not in expression


def _missing_or_skip(reason: str) -> None:
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"CI=true and {reason}: the browser test must run in CI ({HOW_TO_RUN})", pytrace=False)
    pytest.skip(f"{reason}: to run the browser test, {HOW_TO_RUN}")


def _repository_state() -> tuple[dict[str, tuple[str, int]], str]:
    """Every file's hash and modification time, and git's view of the working tree."""
    files = {}
    for folder, dirs, names in os.walk(ROOT):
        rel = Path(folder).relative_to(ROOT)
        if rel == Path("."):
            dirs[:] = [d for d in dirs if d not in UNWATCHED]
        for name in names:
            path = Path(folder) / name
            files[str(path.relative_to(ROOT))] = (hashlib.sha256(path.read_bytes()).hexdigest(), path.stat().st_mtime_ns)
    status = ""
    if shutil.which("git") and (ROOT / ".git").exists():
        status = subprocess.run(["git", "status", "--porcelain", "--untracked-files=all"], cwd=ROOT,
                                capture_output=True, text=True, check=False).stdout
    return files, status


def _differences(before, after) -> list[str]:
    (files_a, status_a), (files_b, status_b) = before, after
    changed = [f"changed: {p}" for p in files_a.keys() & files_b.keys() if files_a[p] != files_b[p]]
    changed += [f"created: {p}" for p in files_b.keys() - files_a.keys()]
    changed += [f"deleted: {p}" for p in files_a.keys() - files_b.keys()]
    if status_a != status_b:
        changed.append(f"git status was {status_a!r}, is {status_b!r}")
    return sorted(changed)


def _say(config: pytest.Config, line: str) -> None:
    """Print progress and timings as they happen, past pytest's output capture."""
    capture = config.pluginmanager.get_plugin("capturemanager")
    reporter = config.pluginmanager.get_plugin("terminalreporter")
    if capture and reporter:
        with capture.global_and_fixture_disabled():
            reporter.write_line(line)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _settings(folder: Path) -> None:
    """JupyterLab user settings for the test: never save, all cells in the page, no news fetched."""
    overrides = {
        "@jupyterlab/docmanager-extension/plugin": {"autosave": False},
        "@jupyterlab/notebook-extension/tracker": {"windowingMode": "none"},
        "@jupyterlab/apputils-extension/notification": {"fetchNews": "false", "checkForUpdates": False},
    }
    for plugin, values in overrides.items():
        path = folder / f"{plugin}.jupyterlab-settings"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(values))


@pytest.fixture(scope="module")
def lab(request, tmp_path_factory):
    """A JupyterLab server for the repository (which it must not change by starting)."""
    if not _selected(request.config):
        pytest.skip("the browser test runs on its own: `python3 tasks.py browser` (needs Chromium)")
    if not CHROMIUM.exists():
        _missing_or_skip(f"Chromium is not installed at {CHROMIUM}")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        _missing_or_skip("the Python package playwright is not installed (python3 tasks.py setup --dev)")
    before = _repository_state()
    tmp = tmp_path_factory.mktemp("jupyterlab")
    _settings(tmp / "settings")
    port = _free_port()
    env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1", JUPYTER_RUNTIME_DIR=str(tmp / "runtime"))
    env.pop("MPLBACKEND", None)
    # As a learner runs it: progress bars on (the root conftest.py turns them off for nbval, not for this test).
    env.pop("COURSE_PROGRESS", None)
    log = (tmp / "jupyterlab.log").open("w")
    command = [
        sys.executable, "-m", "jupyterlab", "--no-browser", f"--port={port}", "--ServerApp.token=",
        "--ServerApp.password=", "--ServerApp.ip=127.0.0.1", "--allow-root", f"--ServerApp.root_dir={ROOT}",
        "--ServerApp.disable_check_xsrf=True", f"--LabApp.user_settings_dir={tmp / 'settings'}",
        f"--LabApp.workspaces_dir={tmp / 'workspaces'}",
        # JupyterLab copies a notebook to .ipynb_checkpoints/ beside it when it opens one: keep those copies here.
        f"--FileCheckpoints.checkpoint_dir={tmp / 'checkpoints'}",
    ]
    started = time.perf_counter()
    server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        while True:
            if server.poll() is not None:
                pytest.fail(f"JupyterLab exited with {server.returncode}; log: {tmp / 'jupyterlab.log'}")
            if time.perf_counter() - started > 120:
                pytest.fail(f"JupyterLab did not answer within 120 s; log: {tmp / 'jupyterlab.log'}")
            try:
                with urllib.request.urlopen(f"{url}/api/status", timeout=2):
                    break
            except OSError:
                time.sleep(0.3)
        problems = _differences(before, _repository_state())
        assert not problems, f"starting JupyterLab changed files in the repository: {problems}"
        _say(request.config, f"[browser] JupyterLab answered in {time.perf_counter() - started:.1f} s at {url}")
        yield {"url": url, "log": tmp / "jupyterlab.log"}
    finally:
        server.terminate()
        try:
            server.wait(20)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()


@pytest.fixture(scope="module")
def chromium(lab, request):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        started = time.perf_counter()
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        _say(request.config, f"[browser] Chromium {browser.version} started in {time.perf_counter() - started:.1f} s")
        yield browser
        browser.close()


def _committed(path: Path) -> tuple[int, int]:
    """Code cells and image outputs in the committed notebook."""
    notebook = nbformat.read(path, as_version=4)
    code = [c for c in notebook.cells if c.cell_type == "code"]
    images = sum(
        1 for cell in code for output in cell.get("outputs", [])
        if any(key.startswith("image/") for key in output.get("data", {}))
    )
    return len(code), images


STATE_JS = """() => {
  const panel = document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden)');
  if (!panel) return null;
  const prompts = [...panel.querySelectorAll('.jp-CodeCell .jp-InputPrompt')].map(e => e.textContent.trim());
  const status = [...document.querySelectorAll('.jp-StatusBar-TextItem')]
    .map(e => e.textContent).find(t => t.includes(' | ')) || '';
  const images = [...panel.querySelectorAll('.jp-OutputArea-output img')];
  return {
    prompts,
    kernel: status.split(' | ').pop().trim(),
    stderr: [...panel.querySelectorAll('.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]')]
      .map(e => e.textContent.slice(0, 500)),
    outputs: panel.querySelectorAll('.jp-OutputArea-output').length,
    images: images.length,
    loaded: images.filter(i => i.complete && i.naturalWidth > 0).length,
  };
}"""


def _menu(page, top: str, item: str) -> None:
    """Click a JupyterLab menu entry, as a learner does."""
    page.locator(".lm-MenuBar-itemLabel", has_text=re.compile(f"^{top}$")).click()
    page.locator(".lm-Menu-item:visible .lm-Menu-itemLabel", has_text=re.compile(f"^{re.escape(item)}$")).click()


def _stopped(state) -> bool:
    """Run All Cells stopped early (a cell raised): idle, nothing running or queued, some cells never ran."""
    return state["kernel"] == "Idle" and "[*]:" not in state["prompts"] and "[ ]:" in state["prompts"] \
        and any(p != "[ ]:" for p in state["prompts"])


def _wait(page, condition, timeout: float, what: str, running: bool = False):
    deadline = time.perf_counter() + timeout
    stopped_since = None
    while True:
        state = page.evaluate(STATE_JS)
        if state and condition(state):
            return state
        if state and state["kernel"] == "Dead":
            pytest.fail(f"the kernel is {state['kernel']} while waiting for {what}: {state}")
        if running and state and _stopped(state):
            stopped_since = stopped_since or time.perf_counter()
            if time.perf_counter() - stopped_since > 5:
                pytest.fail(f"execution stopped before the last cell: prompts {state['prompts']}, "
                            f"stderr/error outputs {state['stderr']}")
        else:
            stopped_since = None
        if time.perf_counter() > deadline:
            pytest.fail(f"timed out after {timeout:.0f} s waiting for {what}; last state: {state}")
        time.sleep(0.25)


@pytest.fixture(scope="module")
def app(chromium, lab, request):
    """One JupyterLab page, loaded once; a test that leaves it in doubt closes it and the next loads a new one."""
    holder = {"page": None}

    def get():
        if holder["page"] is None:
            started = time.perf_counter()
            page = chromium.new_page(viewport={"width": 1280, "height": 900})
            page.goto(f"{lab['url']}/lab?reset")
            page.wait_for_selector(".lm-MenuBar-itemLabel", timeout=120_000)
            _say(request.config, f"[browser] JupyterLab's page loaded in {time.perf_counter() - started:.1f} s")
            holder["page"] = page
        return holder["page"]

    def discard():
        if holder["page"] is not None:
            holder["page"].close(run_before_unload=False)
            holder["page"] = None

    yield get, discard
    discard()


def _open(page, rel: str) -> None:
    """File > Open from Path..., as a learner can do."""
    _menu(page, "File", "Open from Path…")
    dialog = page.locator(".jp-Dialog")
    dialog.locator("input").fill(rel)
    dialog.locator("input").press("Enter")


def _close_without_saving(page, name: str) -> None:
    """Kernel > Shut Down Kernel, then File > Close Tab and Discard in the dialog that offers to save."""
    _menu(page, "Kernel", "Shut Down Kernel")
    _menu(page, "File", "Close Tab")
    page.locator(".jp-Dialog button", has_text=re.compile("^Discard$")).click(timeout=10_000)
    page.locator(".lm-TabBar-tabLabel", has_text=re.compile(f"^{re.escape(name)}$")).wait_for(
        state="detached", timeout=10_000)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_runs_in_jupyterlab(path, lab, app, request):
    code_cells, committed_images = _committed(path)
    get_page, discard_page = app
    page = get_page()
    before = _repository_state()  # per notebook, so that a change is reported once, by the notebook that made it
    clean = False
    try:
        started = time.perf_counter()
        _open(page, path.relative_to(ROOT).as_posix())
        page.locator(".lm-DockPanel-tabBar .lm-mod-current .lm-TabBar-tabLabel",
                     has_text=re.compile(f"^{re.escape(path.name)}$")).wait_for(timeout=60_000)
        _wait(page, lambda s: s["kernel"] == "Idle" and len(s["prompts"]) == code_cells, 120, "the kernel to start")
        opened = time.perf_counter() - started

        _menu(page, "Edit", "Clear Outputs of All Cells")
        _wait(page, lambda s: s["outputs"] == 0, 30, "the outputs to clear")
        started = time.perf_counter()
        _menu(page, "Run", "Run All Cells")
        state = _wait(
            page,
            lambda s: s["kernel"] == "Idle" and all(re.fullmatch(r"\[\d+\]:", p) for p in s["prompts"]),
            NOTEBOOK_TIMEOUT_S, "every cell to run", running=True,
        )
        ran = time.perf_counter() - started
        # Images decode asynchronously: give them a moment after the last cell.
        try:
            state = _wait(page, lambda s: s["loaded"] == s["images"], 15, "the images to load")
        except pytest.fail.Exception:
            state = page.evaluate(STATE_JS)

        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        if state["images"]:
            page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-OutputArea-output img").first \
                .scroll_into_view_if_needed()
        page.screenshot(path=str(SCREENSHOTS / f"{path.stem}.png"))
        _say(request.config, f"\n[browser] {path.stem}: opened with an idle kernel in {opened:.1f} s, "
             f"Run All Cells took {ran:.1f} s, {state['images']} images")

        assert state["prompts"] == [f"[{i}]:" for i in range(1, code_cells + 1)], \
            "every code cell ran once, top to bottom"
        # JupyterLab renders both stderr streams and errors (tracebacks) with the stderr MIME type.
        assert not state["stderr"], f"stderr or error output: {state['stderr']}"
        assert state["images"] >= committed_images, \
            f"{state['images']} images rendered, the committed notebook has {committed_images}"
        assert state["loaded"] == state["images"], f"only {state['loaded']} of {state['images']} images loaded"
        started = time.perf_counter()
        _close_without_saving(page, path.name)
        clean = True
        _say(request.config, f"[browser] {path.stem}: kernel shut down and tab closed without saving in "
             f"{time.perf_counter() - started:.1f} s")
    finally:
        if not clean:  # whatever state the page is in, the next notebook starts from a new one
            discard_page()
        _shut_down_kernels(lab["url"])
    problems = _differences(before, _repository_state())
    assert not problems, f"files in the repository changed on disk: {problems}"


def _shut_down_kernels(url: str) -> None:
    """Any kernel still running (after a failure): shut down through the REST API."""
    with urllib.request.urlopen(f"{url}/api/sessions", timeout=10) as response:
        sessions = json.load(response)
    for session in sessions:
        request = urllib.request.Request(f"{url}/api/sessions/{session['id']}", method="DELETE")
        urllib.request.urlopen(request, timeout=30).close()
