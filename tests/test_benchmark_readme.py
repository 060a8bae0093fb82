"""The README's speed table is the committed benchmark's (build_tools/benchmark_notebooks.py writes both)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "build_tools"))

import benchmark_notebooks as bench  # noqa: E402

CSV = """# command: python3 tasks.py benchmark --binder
# date: 2026-01-02 03:04 UTC
# cpu: Test CPU, 2 logical CPUs
# ratio: 2.40
notebook,wall_s,kernel_start_s,start_imports_s,cold_start_imports_s,slowest_cell,slowest_cell_s,peak_kernel_rss_mb,status,binder_wall_s,binder_start_imports_s,binder_slowest_cell,binder_slowest_cell_s,binder_peak_kernel_rss_mb,binder_cgroup_peak_mb,binder_status
01_a,9.0,0.5,4.0,4.1,1,3.0,800,ok,10.0,4.0,1,3.5,800,500,ok
02_b,10.2,0.5,4.2,4.3,3,5.0,810,ok,12.5,4.1,3,6.0,810,510,ok
floor (median),4.0,0.5,4.0,,1,3.0,700,ok,4.2,4.2,1,3.2,700,400,ok
serial total,19.2,,,,,,,,22.5,,,,,,
"""


def test_readme_table_reads_every_row_the_date_and_the_ratio():
    table = bench.readme_table(CSV)
    assert table.startswith("Last run: 2026-01-02 03:04 UTC, Test CPU, 2 logical CPUs")
    assert "| 01_a | 9.0 | 4.0 | 4.1 | 800 | 10.0 |" in table
    assert "| 02_b | 10.2 | 4.2 | 4.3 | 810 | 12.5 |" in table
    assert "| **serial total** | 19.2 | | | | 22.5 |" in table
    assert "19.2 / (4.0 x 2) = 2.40 (budget 2.5)" in table


def test_readme_table_computes_the_ratio_when_the_csv_has_none():
    table = bench.readme_table(CSV.replace("# ratio: 2.40\n", ""))
    assert "19.2 / (4.0 x 2) = 2.40" in table  # 19.2 / 8


def test_readme_table_refuses_another_file():
    with pytest.raises(ValueError, match="wall_s"):
        bench.readme_table("a,b\n1,2\n")


def test_update_readme_replaces_only_the_marked_block(tmp_path):
    readme = tmp_path / "README.md"
    readme.write_text(f"before\n{bench.README_START}\nold table\n{bench.README_END}\nafter\n")
    assert bench.update_readme(readme, CSV)
    text = readme.read_text()
    assert text.startswith("before\n") and text.endswith(f"{bench.README_END}\nafter\n") and "old table" not in text
    assert not bench.update_readme(readme, CSV)  # nothing new: unchanged
    with pytest.raises(ValueError, match="block"):
        bench.update_readme(_plain(tmp_path), CSV)


def _plain(tmp_path: Path) -> Path:
    path = tmp_path / "PLAIN.md"
    path.write_text("no markers\n")
    return path


def test_the_readme_shows_the_committed_benchmark():
    """The README's table is the one made from benchmarks/notebooks.csv: re-run the benchmark (or
    `benchmark_notebooks.update_readme`) after editing either."""
    readme = (ROOT / "README.md").read_text()
    block = readme.split(bench.README_START, 1)[1].split(bench.README_END, 1)[0].strip()
    assert block == bench.readme_table((ROOT / "benchmarks" / "notebooks.csv").read_text())
