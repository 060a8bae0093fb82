"""The benchmark's rounds: each round runs the floor and then every notebook; each notebook is reported by its run
of median wall time (build_tools/benchmark_notebooks.py). Kernels are replaced by a stand-in that records the order."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "build_tools"))

import benchmark_notebooks as bench  # noqa: E402


def runs(*walls: float, name: str = "nb") -> list[bench.Run]:
    return [bench.Run(name, wall=wall) for wall in walls]


@pytest.mark.parametrize(("walls", "expected"), [
    ((5.0, 3.0, 4.0), 4.0),
    ((3.0, 9.0, 4.0), 4.0),  # an outlier does not move the median
    ((7.0,), 7.0),
    ((1.0, 2.0, 3.0, 4.0), 2.0),  # even count: the faster of the middle two
    ((4.0, 1.0), 1.0),
])
def test_median_run_is_the_run_of_median_wall_time(walls, expected):
    assert bench.median_run(runs(*walls)).wall == expected


def test_median_run_reports_a_failed_round_as_failed():
    kept = runs(4.0, 5.0, 6.0)
    kept[2].status = "died"
    assert bench.median_run(kept).status == "died"


def test_median_run_needs_a_run():
    with pytest.raises(ValueError, match="no runs"):
        bench.median_run([])


@pytest.fixture
def fake_kernels(monkeypatch, tmp_path):
    """Notebooks a.ipynb and b.ipynb; ``execute`` replaced by a stand-in whose wall times come from a table."""
    import nbformat

    paths = []
    for stem in ("a", "b"):
        path = tmp_path / f"{stem}.ipynb"
        nbformat.write(nbformat.v4.new_notebook(), path)
        paths.append(path)
    order: list[str] = []
    walls = {"floor": iter([4.0, 5.0, 4.5, 4.2, 4.4, 4.6]), "a": iter([10.0, 14.0, 11.0]), "b": iter([20.0, 19.0, 30.0])}

    def execute(notebook, name, prefix, progress, cgroup=None):
        order.append(name)
        return bench.Run(name, wall=next(walls[name]))

    monkeypatch.setattr(bench, "execute", execute)
    return paths, order


def test_each_round_runs_the_floor_then_every_notebook(fake_kernels, capsys):
    paths, order = fake_kernels
    result = bench.run_pass("here", paths, floor_runs=3, progress=bench.Progress(), rounds=3)
    assert order == ["floor", "a", "b"] * 3
    assert result.rounds == {"a": [10.0, 14.0, 11.0], "b": [20.0, 19.0, 30.0]}
    assert [run.wall for run in result.runs] == [11.0, 20.0]  # medians, in the notebooks' order
    assert result.floor == 4.5  # median of 4.0, 5.0, 4.5
    assert result.total == 31.0
    assert result.ratio == pytest.approx(31.0 / (4.5 * 2))
    assert "round 3/3" in capsys.readouterr().out


def test_one_round_runs_every_floor_first(fake_kernels):
    paths, order = fake_kernels
    result = bench.run_pass("binder", paths, floor_runs=3, progress=bench.Progress(), rounds=1)
    assert order == ["floor", "floor", "floor", "a", "b"]
    assert [run.wall for run in result.runs] == [10.0, 20.0]
    assert result.floor == 4.5


def test_more_floor_runs_than_rounds_are_spread_over_the_rounds(fake_kernels):
    paths, order = fake_kernels
    bench.run_pass("here", paths, floor_runs=5, progress=bench.Progress(), rounds=2)
    assert order == ["floor", "floor", "floor", "a", "b"] * 2  # at least 5 in all, the same in every round


def test_rounds_must_be_positive(fake_kernels):
    paths, _ = fake_kernels
    with pytest.raises(ValueError, match="at least 1"):
        bench.run_pass("here", paths, floor_runs=3, progress=bench.Progress(), rounds=0)


def test_the_report_lists_every_round_and_judges_the_median(fake_kernels, tmp_path):
    paths, _ = fake_kernels
    here = bench.run_pass("here", paths, floor_runs=3, progress=bench.Progress(), rounds=3)
    env = {"command": "python3 tasks.py benchmark", "date": "2026-01-02 03:04 UTC", "cpu": "Test CPU",
           "memory": "1 GiB", "python": "3.11", "versions": ""}
    over = bench.verdicts(here, None)
    # b's median (20.0 s) is within 5 floors (22.5 s) although one round took 30 s; the total is 3.4 floors a notebook
    assert over == ["serial total 31.0 s is 3.44 x floor x notebooks > 2.5"]
    out = tmp_path / "report"
    bench.write_reports(out, here, None, env, over)
    text = (out / "notebooks.md").read_text()
    assert "| b | 20.0 | 20.0, 19.0, 30.0 |" in text
    assert "| floor (median of 3) | 4.5 | 4.0, 5.0, 4.5 |" in text
    assert "in 3 round(s)" in text
    csv_text = (out / "notebooks.csv").read_text()
    assert "a,11.0," in csv_text and csv_text.splitlines()[-3].endswith(",20.0 19.0 30.0")
    assert "| a | 11.0 |" in bench.readme_table(csv_text)  # the README's table reads the same file


def test_the_floor_is_one_run_the_ratio_and_its_report_row_share():
    """The floor's wall time is its run of median wall time among those that ran to the end (of an even number,
    the faster of the middle two, as for a notebook); a failed floor is left out; if all failed, the floor is NaN
    and its row shows the failure."""
    result = bench.Pass("here", floors=runs(4.4, 9.0, 4.0, 4.2, name="floor"))
    assert result.floor_run is result.floors[3] and result.floor == 4.2
    result.floors[3].status = "died"
    assert result.floor == 4.4  # of 4.0, 4.4, 9.0
    for run in result.floors:
        run.status = "died"
    assert result.floor != result.floor and result.floor_run is result.floors[0]
    assert bench.Pass("empty").floor_run is None
