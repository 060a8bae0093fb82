"""Benchmark every notebook as a learner runs it, on this machine and (optionally) under Binder's limits.

    python3 tasks.py benchmark                       # every notebook, this machine
    python3 tasks.py benchmark --binder              # the same, plus a second pass under Binder's limits
    python3 tasks.py benchmark notebooks/00_*.ipynb  # some notebooks (the table then covers only those)
    python3 tasks.py benchmark --report-only         # never exit non-zero for a budget (still for a crash)
    python3 tasks.py benchmark --rounds 1            # one run per notebook instead of the median of three

Each notebook runs top to bottom in a fresh kernel (nbclient, in memory: nothing is written into notebooks/),
one notebook after another. On this machine the pass runs in ``--rounds`` rounds (default 3), each the floor
(below) and then every notebook once, and each notebook is reported by its run of median wall time: wall times
on a shared 2-core machine swing by up to 15% between back-to-back runs, more than the changes the budgets are
about, and a round keeps the floor and the notebooks it is compared with under the same conditions. Per
notebook it records:

- wall time: from asking for a kernel to the end of the last cell (kernel start included, shutdown not);
- kernel start: until the kernel answers; start + imports: until the end of the first code cell (every lesson
  imports its stack there);
- the slowest cell, as the execution count JupyterLab shows (``[n]``), and its seconds;
- peak kernel memory: the kernel process's high-water mark of resident memory (``VmHWM`` in /proc/<pid>/status,
  read after every cell; kernels start no child processes), in MB (10^6 bytes).

It also measures the floor, a fresh kernel that only imports numpy, pandas, scikit-learn, seaborn, matplotlib,
tensorflow and keras (median of ``--floor-runs`` runs, spread over the rounds), and the ratio total / (floor x
notebooks), the total being the sum of the notebooks' median wall times.

``--binder`` runs a second pass in a cgroup v1 with one CPU (CFS quota equal to its period) and 2 GiB of memory
(swap included), which holds every kernel *and* a running JupyterLab server, as mybinder.org does. It needs the
cgroup v1 ``cpu`` and ``memory`` controllers mounted read-write at /sys/fs/cgroup and root; where they are not,
it says so and skips that pass. A kernel the kernel's OOM killer ends is reported as "killed (memory)".

*Cold* (issue 22): each notebook's first code cell (kernel start and imports) once more, in a fresh kernel with
``PYTHONDONTWRITEBYTECODE=1``: a kernel that can keep no bytecode it compiles, as in many container images or a
read-only environment on a class hub, and like the first kernel after a fresh set-up. Set-up compiles the whole
environment to bytecode (``tasks.py``), so it must come within 1.5 s of the warm start + imports; the warm pass
runs with bytecode writing allowed.

Budgets (issues 12 and 22): on this machine each notebook at most 30 s, 1.0 GB and 5 x the floor; under Binder's
limits at most 45 s and not killed; the serial total at most 2.5 x floor x notebooks; cold start + imports at most
1.5 s over warm. The command exits 1 when a budget is exceeded (unless
``--report-only``) and 2 when a notebook fails to run. Results go to ``benchmarks/notebooks.md`` and
``benchmarks/notebooks.csv`` (``--out`` chooses another folder).
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import os
import platform
import shlex
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, DeadKernelError

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"

BUDGET_SECONDS = 30.0
BUDGET_MB = 1000.0  # 1.0 GB
BINDER_BUDGET_SECONDS = 45.0
BUDGET_FLOOR_RATIO = 2.5
BUDGET_NOTEBOOK_FLOORS = 5.0
"""No notebook may take more than this many floors on this machine."""
BUDGET_COLD_SECONDS = 1.5
"""A kernel that cannot keep bytecode may start and import at most this much slower than a warm one."""
BINDER_MEMORY_BYTES = 2 * 2**30
CGROUP_ROOT = Path("/sys/fs/cgroup")

FLOOR_SOURCE = (
    "import numpy, pandas, sklearn, seaborn, matplotlib, tensorflow, keras\n"
    "import sklearn.linear_model, matplotlib.pyplot"
)
VERSIONED = (
    "tensorflow-cpu", "tensorflow", "keras", "numpy", "pandas", "scikit-learn", "matplotlib", "seaborn",
    "jupyterlab", "ipykernel", "nbclient",
)


@dataclass
class Run:
    """One notebook (or the floor) executed once in a fresh kernel."""

    name: str
    status: str = "ok"  # ok | error: ... | killed (memory) | died
    wall: float = float("nan")
    kernel_start: float = float("nan")
    start_imports: float = float("nan")
    slowest_cell: int | None = None
    slowest_seconds: float = float("nan")
    peak_mb: float = float("nan")
    cgroup_peak_mb: float = float("nan")
    cells: int = 0
    cell_times: list[tuple[int, str, float]] = field(default_factory=list)  # (cell [n], source SHA-256, s)

    @property
    def ok(self) -> bool:
        return self.status == "ok"


@dataclass
class Pass:
    """Every notebook, plus the floor, under one set of conditions, in one or more rounds."""

    label: str
    runs: list[Run] = field(default_factory=list)  # per notebook, its run of median wall time
    rounds: dict[str, list[float]] = field(default_factory=dict)  # per notebook, its wall time in every round
    floors: list[Run] = field(default_factory=list)
    skipped: str | None = None
    server_peak_mb: float = float("nan")  # the JupyterLab server's VmHWM (Binder pass)
    cold: dict[str, float] = field(default_factory=dict)  # start + imports with PYTHONDONTWRITEBYTECODE=1

    @property
    def floor_run(self) -> Run | None:
        """The floor's run of median wall time among those that ran to the end (:func:`median_run`); if every
        one failed, the first (so the report shows the failure); None before any ran."""
        ok = [f for f in self.floors if f.ok]
        return median_run(ok) if ok else (self.floors[0] if self.floors else None)

    @property
    def floor(self) -> float:
        """The floor's wall time: that of :attr:`floor_run`, NaN if no floor ran to the end."""
        run = self.floor_run
        return run.wall if run is not None and run.ok else float("nan")

    @property
    def floor_peak(self) -> float:
        peaks = [f.peak_mb for f in self.floors if f.ok]
        return max(peaks) if peaks else float("nan")

    @property
    def total(self) -> float:
        return sum(r.wall for r in self.runs)

    @property
    def ratio(self) -> float:
        return self.total / (self.floor * len(self.runs)) if self.runs and self.floor > 0 else float("nan")


# ---------------------------------------------------------------------------------------------- measuring


def _vm_hwm_mb(pid: int) -> float | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024 / 1e6
    except OSError:
        return None
    return None


class Progress:
    """One line per notebook; on a terminal, a live cell counter on that line."""

    def __init__(self) -> None:
        self.live = sys.stdout.isatty()

    def cell(self, prefix: str, done: int, total: int, seconds: float) -> None:
        if self.live:
            print(f"\r{prefix} cell {done}/{total}, {seconds:5.1f} s", end="", flush=True)

    def line(self, prefix: str, text: str) -> None:
        print(("\r" if self.live else "") + f"{prefix} {text}" + " " * 10, flush=True)


def source_digest(source: str) -> str:
    """First 16 hex digits of the SHA-256 of a cell's source (line endings normalised): matches a row of
    benchmarks/cells.csv to a cell of the current notebook."""
    import hashlib

    return hashlib.sha256(source.replace("\r\n", "\n").encode("utf-8")).hexdigest()[:16]


SLOW_CELL_SECONDS = 1.0
"""benchmarks/cells.csv lists the cells that took at least this long (tests/test_progress_feedback.py reads it)."""


def execute(notebook: nbformat.NotebookNode, name: str, prefix: str, progress: Progress,
            cgroup: Cgroup | None = None) -> Run:
    """Run ``notebook`` in a fresh kernel, in memory, and measure it."""
    run = Run(name)
    code_cells = [c for c in notebook.cells if c.cell_type == "code" and c.source.strip()]
    run.cells = len(code_cells)
    client = NotebookClient(
        notebook, timeout=900, startup_timeout=120, kernel_name="python3",
        resources={"metadata": {"path": str(NOTEBOOKS)}},
    )
    state = {"pid": None, "cell_start": 0.0, "done": 0, "peak": 0.0}
    start = time.perf_counter()

    def on_notebook_start(notebook):
        run.kernel_start = time.perf_counter() - start
        provisioner = getattr(client.km, "provisioner", None)
        state["pid"] = getattr(provisioner, "pid", None) or getattr(getattr(provisioner, "process", None), "pid", None)

    def on_cell_execute(cell, cell_index):
        state["cell_start"] = time.perf_counter()

    def on_cell_executed(cell, cell_index, execute_reply):
        now = time.perf_counter()
        seconds = now - state["cell_start"]
        state["done"] += 1
        if state["done"] == 1:
            run.start_imports = now - start
        run.cell_times.append((state["done"], source_digest(cell.source), seconds))
        if not seconds <= run.slowest_seconds:  # also replaces the initial NaN
            run.slowest_seconds, run.slowest_cell = seconds, state["done"]
        run.wall = now - start
        if state["pid"]:
            hwm = _vm_hwm_mb(state["pid"])
            if hwm is not None:
                state["peak"] = max(state["peak"], hwm)
        progress.cell(prefix, state["done"], run.cells, now - start)

    client.on_notebook_start = on_notebook_start
    client.on_cell_execute = on_cell_execute
    client.on_cell_executed = on_cell_executed

    # A sampler as a fallback for a kernel that dies before its last cell (VmHWM is gone with the process).
    stop = threading.Event()

    def sample() -> None:
        while not stop.wait(0.2):
            if state["pid"]:
                hwm = _vm_hwm_mb(state["pid"])
                if hwm is not None:
                    state["peak"] = max(state["peak"], hwm)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    oom_before = cgroup.oom_kills() if cgroup else 0
    if cgroup:
        cgroup.reset_peak()
    try:
        # The kernel's own stderr (TensorFlow's C++ start-up lines, ipykernel's warnings) is not a cell output.
        client.execute(stderr=subprocess.DEVNULL, **({"preexec_fn": cgroup.join} if cgroup else {}))
    except DeadKernelError:
        run.status = "died"
    except CellExecutionError as error:
        lines = [ln for ln in str(error).splitlines() if ln.strip()]
        run.status = "error: " + (lines[-1][:120] if lines else "a cell raised")
    except Exception as error:  # a kernel that cannot start, a timeout: report it, keep going
        run.status = f"error: {type(error).__name__}: {str(error)[:120]}"
    finally:
        stop.set()
        sampler.join()
    if cgroup:
        run.cgroup_peak_mb = cgroup.peak_mb()
        if cgroup.oom_kills() > oom_before:
            run.status = "killed (memory)"
    if run.status == "ok" and state["done"] < run.cells:
        run.status = "died"
    run.peak_mb = state["peak"] or float("nan")
    return run


def floor_notebook() -> nbformat.NotebookNode:
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_code_cell(FLOOR_SOURCE)]
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    return notebook


def run_pass(label: str, paths: list[Path], floor_runs: int, progress: Progress,
             cgroup: Cgroup | None = None, rounds: int = 1) -> Pass:
    """``rounds`` rounds, each the floor (``floor_runs`` runs spread over the rounds, at least one per round)
    and then every notebook once; each notebook is kept by its run of median wall time (:func:`median_run`)."""
    if rounds < 1 or floor_runs < 1:
        raise ValueError(f"rounds and floor_runs must be at least 1, got {rounds} and {floor_runs}")
    result = Pass(label)
    per_round = -(-floor_runs // rounds)  # ceiling: at least floor_runs in all, at least one per round
    steps = rounds * (per_round + len(paths))
    step = 0
    runs: dict[str, list[Run]] = {path.stem: [] for path in paths}
    for r in range(rounds):
        tag = f"{label} round {r + 1}/{rounds}" if rounds > 1 else label
        for _ in range(per_round):
            step += 1
            prefix = f"[{tag}: {step}/{steps}] floor"
            run = execute(floor_notebook(), "floor", prefix, progress, cgroup)
            progress.line(prefix, describe(run))
            result.floors.append(run)
        for path in paths:
            step += 1
            prefix = f"[{tag}: {step}/{steps}] {path.stem}"
            run = execute(nbformat.read(path, as_version=4), path.stem, prefix, progress, cgroup)
            progress.line(prefix, describe(run))
            runs[path.stem].append(run)
    for name, kept in runs.items():
        result.runs.append(median_run(kept))
        result.rounds[name] = [run.wall for run in kept]
    return result


def median_run(runs: list[Run]) -> Run:
    """The run of median wall time (of an even number, the faster of the middle two); a failed run wins, so
    that a notebook that failed in any round is reported as failed."""
    if not runs:
        raise ValueError("no runs to take the median of")
    failed = [run for run in runs if not run.ok]
    if failed:
        return failed[0]
    ordered = sorted(runs, key=lambda run: run.wall)
    return ordered[(len(ordered) - 1) // 2]


def first_code_cell(notebook: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """``notebook`` cut after its first code cell (every lesson imports its stack there)."""
    cut = nbformat.from_dict(dict(notebook))
    for index, cell in enumerate(cut.cells):
        if cell.cell_type == "code" and cell.source.strip():
            cut.cells = cut.cells[: index + 1]
            break
    return cut


def cold_starts(paths: list[Path], progress: Progress) -> dict[str, float]:
    """Start + imports of each notebook in a fresh kernel that can write no bytecode (see the module's doc)."""
    times: dict[str, float] = {}
    saved = os.environ.get("PYTHONDONTWRITEBYTECODE")
    os.environ["PYTHONDONTWRITEBYTECODE"] = "1"  # inherited by each kernel nbclient starts
    try:
        for i, path in enumerate(paths, start=1):
            prefix = f"[cold {i}/{len(paths)}] {path.stem}"
            run = execute(first_code_cell(nbformat.read(path, as_version=4)), path.stem, prefix, progress)
            progress.line(prefix, f"start+imports {run.start_imports:4.1f} s ({run.status})")
            times[path.stem] = run.start_imports if run.ok else float("nan")
    finally:
        if saved is None:
            os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
        else:
            os.environ["PYTHONDONTWRITEBYTECODE"] = saved
    return times


def describe(run: Run) -> str:
    text = (f"{run.wall:6.1f} s (start+imports {run.start_imports:4.1f} s), slowest [{run.slowest_cell}] "
            f"{run.slowest_seconds:4.1f} s, peak {run.peak_mb:5.0f} MB")
    if run.cgroup_peak_mb == run.cgroup_peak_mb:
        text += f", cgroup peak {run.cgroup_peak_mb:5.0f} MB"
    return text + ("" if run.ok else f"  {run.status.upper()}")


# ---------------------------------------------------------------------------------------------- Binder limits


class CgroupUnavailable(RuntimeError):
    pass


class Cgroup:
    """A cgroup v1 pair (cpu + memory) with one CPU and 2 GiB, removed again by ``close``."""

    def __init__(self, name: str) -> None:
        self.cpu = CGROUP_ROOT / "cpu" / name
        self.memory = CGROUP_ROOT / "memory" / name
        for controller in ("cpu", "memory"):
            base = CGROUP_ROOT / controller
            if not os.path.ismount(base) and not (base / "cgroup.procs").exists():
                raise CgroupUnavailable(f"the cgroup v1 '{controller}' controller is not mounted at {base}")
            if not os.access(base, os.W_OK):
                raise CgroupUnavailable(f"{base} is not writable (needs root and a read-write cgroup v1 mount)")
        try:
            self.cpu.mkdir()
            self.memory.mkdir()
            period = int((self.cpu / "cpu.cfs_period_us").read_text())
            (self.cpu / "cpu.cfs_quota_us").write_text(str(period))  # one CPU
            (self.memory / "memory.limit_in_bytes").write_text(str(BINDER_MEMORY_BYTES))
            memsw = self.memory / "memory.memsw.limit_in_bytes"
            if memsw.exists():  # no escape into swap either
                memsw.write_text(str(BINDER_MEMORY_BYTES))
        except OSError as error:
            self.close()
            raise CgroupUnavailable(f"could not create a cgroup: {error}") from error

    def join(self) -> None:
        """Move the calling process into both groups (used as ``preexec_fn``: runs in the child)."""
        pid = str(os.getpid())
        (self.cpu / "cgroup.procs").write_text(pid)
        (self.memory / "cgroup.procs").write_text(pid)

    def _read(self, name: str) -> str:
        return (self.memory / name).read_text()

    def oom_kills(self) -> int:
        for line in self._read("memory.oom_control").splitlines():
            if line.startswith("oom_kill "):
                return int(line.split()[1])
        return int(self._read("memory.failcnt"))  # older kernels: hits of the limit

    def reset_peak(self) -> None:
        (self.memory / "memory.max_usage_in_bytes").write_text("0")

    def peak_mb(self) -> float:
        return int(self._read("memory.max_usage_in_bytes")) / 1e6

    def close(self) -> None:
        for group in (self.cpu, self.memory):
            if not group.exists():
                continue
            for _ in range(50):
                pids = [p for p in (group / "cgroup.procs").read_text().split() if p]
                if not pids:
                    break
                for pid in pids:
                    try:
                        os.kill(int(pid), signal.SIGKILL)
                    except ProcessLookupError:
                        pass
                time.sleep(0.1)
            try:
                group.rmdir()
            except OSError as error:
                print(f"[benchmark] could not remove {group}: {error}", file=sys.stderr)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_jupyterlab(cgroup: Cgroup, runtime_dir: Path) -> subprocess.Popen:
    port = free_port()
    env = dict(os.environ, JUPYTER_RUNTIME_DIR=str(runtime_dir))
    server = subprocess.Popen(
        [sys.executable, "-m", "jupyterlab", "--no-browser", f"--port={port}", "--ServerApp.token=",
         "--ServerApp.ip=127.0.0.1", "--allow-root", f"--ServerApp.root_dir={ROOT}",
         f"--LabApp.workspaces_dir={runtime_dir}", f"--LabApp.user_settings_dir={runtime_dir}"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, preexec_fn=cgroup.join, env=env,
    )
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"JupyterLab exited with code {server.returncode} under the Binder limits")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/lab", timeout=2) as response:
                if response.status == 200:
                    return server
        except OSError:
            time.sleep(0.5)
    server.kill()
    raise RuntimeError("JupyterLab did not answer within 90 s under the Binder limits")


def binder_pass(paths: list[Path], floor_runs: int, progress: Progress) -> Pass:
    try:
        cgroup = Cgroup(f"course-benchmark-{os.getpid()}")
    except CgroupUnavailable as error:
        message = f"Binder limits not simulated: {error}. Skipping that pass."
        print(f"[benchmark] {message}", flush=True)
        return Pass("binder", skipped=message)
    import tempfile

    server = None
    try:
        with tempfile.TemporaryDirectory(prefix="course-benchmark-") as runtime:
            server = start_jupyterlab(cgroup, Path(runtime))
            print(f"[benchmark] JupyterLab (pid {server.pid}) runs in the cgroup: "
                  f"{cgroup.peak_mb():.0f} MB charged at start", flush=True)
            result = run_pass("binder", paths, floor_runs, progress, cgroup)
            result.server_peak_mb = _vm_hwm_mb(server.pid) or float("nan")
            server.terminate()
            try:
                server.wait(10)
            except subprocess.TimeoutExpired:
                server.kill()
            return result
    finally:
        if server and server.poll() is None:
            server.kill()
        cgroup.close()


# ---------------------------------------------------------------------------------------------- reporting


def verdicts(here: Pass, binder: Pass | None) -> list[str]:
    """Every budget exceeded, as sentences (empty: within budget)."""
    over = []
    for run in here.runs:
        if not run.ok:
            over.append(f"{run.name}: {run.status}")
        if run.wall > BUDGET_SECONDS:
            over.append(f"{run.name}: {run.wall:.1f} s > {BUDGET_SECONDS:.0f} s on this machine")
        if run.peak_mb > BUDGET_MB:
            over.append(f"{run.name}: peak kernel memory {run.peak_mb:.0f} MB > {BUDGET_MB:.0f} MB")
        if here.floor > 0 and run.wall > BUDGET_NOTEBOOK_FLOORS * here.floor:
            over.append(f"{run.name}: {run.wall:.1f} s > {BUDGET_NOTEBOOK_FLOORS:g} x floor ({here.floor:.1f} s)")
        cold = here.cold.get(run.name)
        if cold is not None and not cold - run.start_imports <= BUDGET_COLD_SECONDS:
            over.append(f"{run.name}: cold start + imports {cold:.1f} s, more than {BUDGET_COLD_SECONDS:g} s over "
                        f"warm ({run.start_imports:.1f} s)")
    if here.ratio > BUDGET_FLOOR_RATIO:
        over.append(f"serial total {here.total:.1f} s is {here.ratio:.2f} x floor x notebooks "
                    f"> {BUDGET_FLOOR_RATIO:g}")
    if binder and not binder.skipped:
        for run in binder.runs:
            if not run.ok:
                over.append(f"{run.name} under Binder's limits: {run.status}")
            if run.wall > BINDER_BUDGET_SECONDS:
                over.append(f"{run.name}: {run.wall:.1f} s > {BINDER_BUDGET_SECONDS:.0f} s under Binder's limits")
    return over


def environment() -> dict[str, str]:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    versions = []
    for name in VERSIONED:
        try:
            versions.append(f"{name} {metadata.version(name)}")
        except metadata.PackageNotFoundError:
            pass
    return {
        "command": "python3 tasks.py benchmark " + shlex.join(sys.argv[1:]),
        "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "cpu": f"{cpu}, {os.cpu_count()} logical CPUs",
        "memory": _mem_total(),
        "python": platform.python_version(),
        "versions": ", ".join(versions),
    }


def _mem_total() -> str:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return f"{int(line.split()[1]) / 2**20:.1f} GiB"
    except OSError:
        pass
    return "unknown"


def _f(value: float, digits: int = 1) -> str:
    return "" if value != value else f"{value:.{digits}f}"


COLUMNS = ["notebook", "wall_s", "kernel_start_s", "start_imports_s", "cold_start_imports_s", "slowest_cell",
           "slowest_cell_s", "peak_kernel_rss_mb", "status", "binder_wall_s", "binder_start_imports_s", "binder_slowest_cell",
           "binder_slowest_cell_s", "binder_peak_kernel_rss_mb", "binder_cgroup_peak_mb", "binder_status",
           "wall_each_round_s"]


def _row(name: str, here: Run | None, binder: Run | None, cold: float | None = None,
         rounds: list[float] | None = None) -> list[str]:
    row = [name]
    if here:
        row += [_f(here.wall), _f(here.kernel_start), _f(here.start_imports), "" if cold is None else _f(cold),
                str(here.slowest_cell or ""), _f(here.slowest_seconds), _f(here.peak_mb, 0), here.status]
    else:
        row += [""] * 8
    if binder:
        row += [_f(binder.wall), _f(binder.start_imports), str(binder.slowest_cell or ""),
                _f(binder.slowest_seconds), _f(binder.peak_mb, 0), _f(binder.cgroup_peak_mb, 0), binder.status]
    else:
        row += [""] * 7
    return row + [" ".join(_f(wall) for wall in rounds or [])]


def write_reports(out: Path, here: Pass, binder: Pass | None, env: dict[str, str], over: list[str]) -> None:
    out.mkdir(parents=True, exist_ok=True)
    rounds = max((len(walls) for walls in here.rounds.values()), default=1)
    b_runs = {r.name: r for r in binder.runs} if binder else {}
    floor_here = here.floor_run
    floor_binder = binder.floor_run if binder else None

    buffer = io.StringIO()
    for key, value in env.items():
        buffer.write(f"# {key}: {value}\n")
    buffer.write(f"# ratio: {here.ratio:.2f}\n")  # serial total / (floor x notebooks), from the unrounded times
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(COLUMNS)
    for run in here.runs:
        writer.writerow(_row(run.name, run, b_runs.get(run.name), here.cold.get(run.name), here.rounds.get(run.name)))
    writer.writerow(_row("floor (median)", floor_here, floor_binder, rounds=[f.wall for f in here.floors]))
    total = ["serial total", _f(here.total)] + [""] * 7 + [_f(binder.total) if binder and binder.runs else ""]
    writer.writerow(total + [""] * (len(COLUMNS) - len(total)))
    (out / "notebooks.csv").write_text(buffer.getvalue())

    # Per cell, on this machine: every cell of at least SLOW_CELL_SECONDS. A cell over 3 s must show progress.
    buffer = io.StringIO()
    buffer.write(f"# cells of at least {SLOW_CELL_SECONDS:.0f} s in the run on this machine; {env['date']}\n")
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["notebook", "cell", "source_sha256_16", "seconds"])
    for run in here.runs:
        for number, digest, seconds in run.cell_times:
            if seconds >= SLOW_CELL_SECONDS:
                writer.writerow([run.name, number, digest, f"{seconds:.2f}"])
    (out / "cells.csv").write_text(buffer.getvalue())

    has_binder = bool(binder and not binder.skipped)
    lines = [
        "# Notebook benchmark",
        "",
        f"Command: `{env['command']}`  ",
        f"Date: {env['date']}  ",
        f"Machine: {env['cpu']}, {env['memory']}; Python {env['python']}  ",
        f"Versions: {env['versions']}",
        "",
        f"Each notebook ran top to bottom in a fresh kernel (nbclient), one after another, in {rounds} round(s) on "
        "this machine, each round the floor and then every notebook; every column of this machine is from the "
        "notebook's run of median wall time (*wall in each round* lists them all). *Wall*: from asking for a "
        "kernel to the end of the last cell. *Start + imports*: to the end of the first code cell. *Slowest cell*: "
        "the execution count JupyterLab shows, and its seconds. *Peak*: the kernel process's resident-memory "
        "high-water mark (VmHWM), MB = 10^6 bytes. *Cold*: start + imports again in a fresh kernel with "
        "`PYTHONDONTWRITEBYTECODE=1` (it can keep no bytecode it compiles: a container image, a read-only class "
        "hub, or the first kernel after a fresh set-up); set-up compiled the environment, so it should match warm.",
    ]
    if has_binder:
        lines += ["", "*Binder limits*: a cgroup v1 with one CPU (CFS quota = period) and 2 GiB of memory and swap, "
                  "holding the kernel and a running JupyterLab server; *cgroup peak* is both together as the "
                  "cgroup counts them. Pages of files already cached by other processes (TensorFlow's shared "
                  "libraries) stay charged to whoever read them first, so the cgroup peak can be below the "
                  "kernel's own peak; the kernel's peak plus the JupyterLab server's "
                  f"({_f(binder.server_peak_mb, 0)} MB) is the conservative figure against Binder's 2 GB."]
    elif binder and binder.skipped:
        lines += ["", f"*Binder limits*: {binder.skipped}"]
    header = ("| notebook | wall (s) | wall in each round (s) | start + imports (s) | cold start + imports (s) "
              "| slowest cell (s) | peak (MB) |")
    rule = "|---|---:|---:|---:|---:|---:|---:|"
    if has_binder:
        header += " Binder: wall (s) | Binder: slowest cell (s) | Binder: peak (MB) | Binder: cgroup peak (MB) |"
        rule += "---:|---:|---:|---:|"
    lines += ["", header, rule]

    def cells(run: Run | None, binder_run: Run | None, name: str) -> str:
        def status(r: Run) -> str:
            return "" if r.ok else f" **{r.status}**"

        text = f"| {name} |"
        if run:
            cold = here.cold.get(name)
            each = here.rounds.get(name) if name in here.rounds else [f.wall for f in here.floors]
            text += (f" {_f(run.wall)}{status(run)} | {', '.join(_f(wall) for wall in each)} | {_f(run.start_imports)} | {'' if cold is None else _f(cold)} | "
                     f"[{run.slowest_cell or ''}] {_f(run.slowest_seconds)} | {_f(run.peak_mb, 0)} |")
        if has_binder:
            if binder_run:
                text += (f" {_f(binder_run.wall)}{status(binder_run)} | [{binder_run.slowest_cell or ''}] "
                         f"{_f(binder_run.slowest_seconds)} | {_f(binder_run.peak_mb, 0)} | "
                         f"{_f(binder_run.cgroup_peak_mb, 0)} |")
            else:
                text += " | | | |"
        return text

    for run in here.runs:
        lines.append(cells(run, b_runs.get(run.name), run.name))
    if floor_here:
        lines.append(cells(floor_here, floor_binder, f"floor (median of {len(here.floors)})"))
    total_line = f"| **serial total** | {_f(here.total)} | | | | | |"
    if has_binder:
        total_line += f" {_f(binder.total)} | | | |"
    lines.append(total_line)
    n = len(here.runs)
    lines += [
        "",
        f"Ratio total / (floor x notebooks) on this machine: {here.total:.1f} / ({here.floor:.1f} x {n}) = "
        f"{here.ratio:.2f} (budget {BUDGET_FLOOR_RATIO:g})"
        + (f"; under Binder's limits: {binder.ratio:.2f}." if has_binder else "."),
        "",
        f"Budgets: each notebook at most {BUDGET_SECONDS:.0f} s, {BUDGET_MB / 1000:.1f} GB and "
        f"{BUDGET_NOTEBOOK_FLOORS:g} x floor here, cold start + imports at most {BUDGET_COLD_SECONDS:g} s over warm; "
        f"at most {BINDER_BUDGET_SECONDS:.0f} s and not killed under Binder's limits; total at most "
        f"{BUDGET_FLOOR_RATIO:g} x floor x notebooks.",
        "",
        ("**Over budget:**\n\n" + "\n".join(f"- {o}" for o in over)) if over else "**Within every budget.**",
        "",
    ]
    if binder is None:
        lines.insert(-3, "(Binder limits not measured in this run: add `--binder`.)")
    (out / "notebooks.md").write_text("\n".join(lines))


# ---------------------------------------------------------------------------------------------- main


def resolve(names: list[str]) -> list[Path]:
    if not names:
        return sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))
    paths = []
    for name in names:
        path = Path(name)
        if not path.exists():
            matches = sorted(NOTEBOOKS.glob(f"{name}*.ipynb"))
            if not matches:
                sys.exit(f"[benchmark] no notebook matches {name!r} (give a path or a prefix such as 01)")
            paths += matches
        else:
            paths.append(path.resolve())
    return paths


def snapshot(folder: Path) -> dict[str, tuple[int, int]]:
    return {str(p): (p.stat().st_mtime_ns, p.stat().st_size) for p in folder.rglob("*") if p.is_file()}


README_START, README_END = "<!-- benchmark table -->", "<!-- /benchmark table -->"


def readme_table(csv_text: str) -> str:
    """The README's speed table, made from a ``notebooks.csv`` written by :func:`write_reports`.

    One row per notebook, then the floor and the serial total; the date and the machine come from the CSV's
    header, so the README says which run it shows.
    """
    header = {}
    lines = csv_text.splitlines()
    for line in lines:
        if line.startswith("# ") and ": " in line:
            key, value = line[2:].split(": ", 1)
            header[key] = value
    rows = list(csv.DictReader(line for line in lines if not line.startswith("#")))
    if not rows or "wall_s" not in rows[0]:
        raise ValueError("not a notebooks.csv of this benchmark: no header row with wall_s")
    out = [f"Last run: {header.get('date', '?')}, {header.get('cpu', '?')} (`{header.get('command', '?')}`).", "",
           "| notebook | wall (s) | start + imports (s) | cold start + imports (s) | peak kernel memory (MB) "
           "| under Binder's limits: wall (s) |",
           "|---|---:|---:|---:|---:|---:|"]
    for row in rows:
        name = row["notebook"]
        if name == "serial total":
            out.append(f"| **serial total** | {row['wall_s']} | | | | {row['binder_wall_s']} |")
        else:
            out.append(f"| {name} | {row['wall_s']} | {row['start_imports_s']} | {row['cold_start_imports_s']} "
                       f"| {row['peak_kernel_rss_mb']} | {row['binder_wall_s']} |")
    notebooks = [row for row in rows if row["notebook"] not in ("floor (median)", "serial total")]
    floor = next(float(row["wall_s"]) for row in rows if row["notebook"] == "floor (median)")
    total = next(float(row["wall_s"]) for row in rows if row["notebook"] == "serial total")
    ratio = header.get("ratio", f"{total / (floor * len(notebooks)):.2f}")
    out += ["", f"Serial total / (floor x notebooks): {total:.1f} / ({floor:.1f} x {len(notebooks)}) = {ratio} "
                f"(budget {BUDGET_FLOOR_RATIO:g})."]
    return "\n".join(out)


def update_readme(readme: Path, csv_text: str) -> bool:
    """Replace the table between the README's benchmark markers; return whether the file changed."""
    text = readme.read_text()
    if README_START not in text or README_END not in text:
        raise ValueError(f"{readme} has no {README_START} ... {README_END} block")
    head, rest = text.split(README_START, 1)
    _, tail = rest.split(README_END, 1)
    new = f"{head}{README_START}\n{readme_table(csv_text)}\n{README_END}{tail}"
    if new != text:
        readme.write_text(new)
    return new != text


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("notebooks", nargs="*", help="paths or prefixes (e.g. 01); default: every lesson")
    parser.add_argument("--binder", action="store_true", help="add a pass under Binder's limits (1 CPU, 2 GiB)")
    parser.add_argument("--report-only", action="store_true", help="exit 0 even when a budget is exceeded")
    parser.add_argument("--floor-runs", type=int, default=3, help="runs of the floor kernel (median; default 3)")
    parser.add_argument("--rounds", type=int, default=3,
                        help="rounds on this machine; each notebook's median run is reported (default 3)")
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks", help="folder for notebooks.md/.csv")
    args = parser.parse_args(argv)
    paths = resolve(args.notebooks)
    # What `import utils` sets in every lesson, so that the floor kernel runs TensorFlow the same way.
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")
    os.environ["COURSE_PROGRESS"] = "0"  # as in executed notebooks: no progress bars
    progress = Progress()
    before = snapshot(NOTEBOOKS)
    env = environment()
    if args.rounds < 1 or args.floor_runs < 1:
        parser.error(f"--rounds and --floor-runs must be at least 1, got {args.rounds} and {args.floor_runs}")
    print(f"[benchmark] {len(paths)} notebooks, one at a time, each in a fresh kernel, {args.rounds} round(s); "
          f"{env['cpu']}", flush=True)
    started = time.perf_counter()
    saved = os.environ.pop("PYTHONDONTWRITEBYTECODE", None)  # warm: kernels may keep what they compile
    try:
        here = run_pass("here", paths, args.floor_runs, progress, rounds=args.rounds)
    finally:
        if saved is not None:
            os.environ["PYTHONDONTWRITEBYTECODE"] = saved
    here.cold = cold_starts(paths, progress)
    binder = binder_pass(paths, args.floor_runs, progress) if args.binder else None
    over = verdicts(here, binder)
    write_reports(args.out, here, binder, env, over)
    if args.out.resolve() == (ROOT / "benchmarks").resolve() and not args.notebooks:
        update_readme(ROOT / "README.md", (args.out / "notebooks.csv").read_text())  # the table it shows
    if snapshot(NOTEBOOKS) != before:
        print("[benchmark] WARNING: something under notebooks/ changed during the benchmark", file=sys.stderr)
    print(f"[benchmark] {time.perf_counter() - started:.0f} s in all; serial total here {here.total:.1f} s, "
          f"floor {here.floor:.1f} s, ratio {here.ratio:.2f}"
          + (f"; under Binder's limits {binder.total:.1f} s" if binder and binder.runs else ""))
    print(f"[benchmark] wrote {args.out / 'notebooks.md'} and {args.out / 'notebooks.csv'}")
    failed = [r for r in here.runs + (binder.runs if binder else []) if r.status.startswith("error")]
    for line in over:
        print(f"[benchmark] OVER BUDGET: {line}")
    if failed:
        return 2
    if over and not args.report_only:
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
