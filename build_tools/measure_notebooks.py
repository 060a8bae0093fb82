"""Measure each notebook's wall time and its kernel's peak memory, as a learner would run it.

    python build_tools/measure_notebooks.py                  # every notebook
    python build_tools/measure_notebooks.py notebooks/02_*   # some of them

Runs each notebook top to bottom in a fresh kernel (outputs are not saved), samples the kernel's resident
memory (RSS, children included) every 50 ms, and prints one line per notebook. Exits 1 if a notebook
exceeds the course budgets (BUDGET_SECONDS including kernel start, BUDGET_MB of peak kernel memory).
"""

from __future__ import annotations

import sys
import threading
import time
from pathlib import Path

import nbformat
import psutil
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent
BUDGET_SECONDS = 60.0
BUDGET_MB = 1200.0


def _rss_mb(process: psutil.Process) -> float:
    total = 0
    for proc in [process, *process.children(recursive=True)]:
        try:
            total += proc.memory_info().rss
        except psutil.Error:
            pass
    return total / 2**20


def measure(path: Path) -> tuple[float, float]:
    notebook = nbformat.read(path, as_version=4)
    client = NotebookClient(notebook, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}})
    peak = 0.0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            manager = client.km
            pid = getattr(getattr(manager, "provisioner", None), "pid", None) if manager else None
            if pid:
                try:
                    peak = max(peak, _rss_mb(psutil.Process(pid)))
                except psutil.Error:
                    pass
            time.sleep(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    start = time.perf_counter()
    sampler.start()
    try:
        client.execute()
    finally:
        seconds = time.perf_counter() - start
        done.set()
        sampler.join()
    return seconds, peak


def main(argv: list[str]) -> int:
    paths = [Path(a) for a in argv] or sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    over = 0
    for path in paths:
        seconds, peak = measure(path)
        flag = "" if seconds <= BUDGET_SECONDS and peak <= BUDGET_MB else "  OVER BUDGET"
        over += bool(flag)
        print(f"{path.name:40s} {seconds:6.1f} s (kernel start included)  peak kernel RSS {peak:6.0f} MB{flag}")
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
