"""utils.explorers: the pure functions behind the sliders, the batch note, and the widgets' structure.

Not timing-based: the speed of a slider move is measured by build_tools/benchmark_explorers.py
(benchmarks/explorers.md). What is tested here is what makes it fast on any machine: everything is computed
once when the explorer is built, and a slider move never recomputes, never lays the figure out again and
never redraws the whole figure, only the artists that move.
"""

from __future__ import annotations

import io
from pathlib import Path

from utils import explorers

import matplotlib.figure
import nbformat
import numpy as np
import pytest
from PIL import Image
from sklearn.datasets import load_diabetes
from sklearn.linear_model import ElasticNet, Lasso, Ridge
from sklearn.preprocessing import StandardScaler

BUNCH = load_diabetes(scaled=False)
X_DIA = StandardScaler().fit_transform(BUNCH.data)
Y_DIA = BUNCH.target
NAMES = list(BUNCH.feature_names)
RNG = np.random.default_rng(0)
BASE = RNG.normal(size=(80, 2))
X_GROUPS = np.c_[np.repeat(BASE, 3, axis=1) + 0.05 * RNG.normal(size=(80, 6)), RNG.normal(size=(80, 2))]
Y_GROUPS = BASE @ np.array([1.0, -1.0]) + 0.1 * RNG.normal(size=80)
GROUP = np.array([0, 0, 0, 1, 1, 1, -1, -1])


# ----------------------------------------------------------------------------------------- pure functions


def test_frames_validates_and_indexes():
    data = explorers.frames("lambda", [0.1, 1, 10], kept=[30, 12, 0], loss=np.ones((3, 2)))
    assert len(data) == 3 and data.values.dtype == float
    row = data.at(1)
    assert row["kept"] == 12 and row["loss"].shape == (2,)


@pytest.mark.parametrize(
    ("args", "series", "error", "names"),
    [
        (("", [1, 2]), {"a": [1, 2]}, ValueError, "parameter"),
        ((3, [1, 2]), {"a": [1, 2]}, TypeError, "parameter"),
        (("p", [2, 1]), {"a": [1, 2]}, ValueError, "values must be strictly increasing"),
        (("p", [1]), {"a": [1]}, ValueError, "values"),
        (("p", [1, np.nan]), {"a": [1, 2]}, ValueError, "values"),
        (("p", [1, 2]), {"a": [1, 2, 3]}, ValueError, r"series\['a'\] has 3"),
        (("p", [1, 2]), {"a": ["x", "y"]}, TypeError, r"series\['a'\] must hold real numbers"),
        (("p", [1, 2]), {}, ValueError, "at least one series"),
    ],
)
def test_frames_refuses_bad_input_naming_it(args, series, error, names):
    with pytest.raises(error, match=names):
        explorers.frames(*args, **series)


def test_lasso_ridge_paths_match_direct_fits_and_the_lasso_zeroes():
    alphas = np.logspace(-1, 3, 9)
    data = explorers.lasso_ridge_paths(X_DIA, Y_DIA, alphas)
    assert data.parameter == "alpha" and data.series["lasso"].shape == data.series["ridge"].shape == (9, 10)
    np.testing.assert_allclose(data.series["ridge"][4], Ridge(alpha=alphas[4]).fit(X_DIA, Y_DIA).coef_)
    np.testing.assert_allclose(data.series["lasso"][2], Lasso(alpha=alphas[2], tol=1e-8, max_iter=100_000)
                               .fit(X_DIA, Y_DIA).coef_, atol=1e-6)
    zeros = (data.series["lasso"] == 0).sum(axis=1)
    assert zeros[-1] == 10 and zeros[0] < 10, "the strongest lasso is all zeros, the weakest is not"
    assert (data.series["ridge"] != 0).all(), "ridge has no exact zeros"


@pytest.mark.parametrize(("alphas", "match"), [([1.0, 0.5], "strictly increasing"), ([0.0, 1.0], "alphas must all"),
                                               ([1.0], "alphas must have at least 2")])
def test_lasso_ridge_paths_refuses_bad_grids(alphas, match):
    with pytest.raises(ValueError, match=match):
        explorers.lasso_ridge_paths(X_DIA, Y_DIA, alphas)


def test_elastic_net_coefficients_match_and_ratio_one_is_the_lasso():
    data = explorers.elastic_net_coefficients(X_GROUPS, Y_GROUPS, 0.05, [0.1, 0.5, 1.0])
    assert data.parameter == "l1_ratio" and data.series["coef"].shape == (3, 8)
    np.testing.assert_allclose(data.series["coef"][1], ElasticNet(alpha=0.05, l1_ratio=0.5, max_iter=50_000)
                               .fit(X_GROUPS, Y_GROUPS).coef_)
    np.testing.assert_allclose(data.series["coef"][2], Lasso(alpha=0.05, max_iter=50_000).fit(X_GROUPS, Y_GROUPS).coef_,
                               atol=1e-10)
    kept = (data.series["coef"][:, :6] != 0).sum(axis=1)
    assert kept[0] >= kept[-1], "a smaller share of L1 keeps at least as many members of the groups"


@pytest.mark.parametrize(("kwargs", "error", "match"), [
    ({"alpha": 0.0}, ValueError, "alpha must be > 0"), ({"alpha": "1"}, TypeError, "alpha must be a real"),
    ({"l1_ratios": [0.0, 1.0]}, ValueError, "l1_ratios must all be > 0"),
    ({"l1_ratios": [0.5, 1.5]}, ValueError, "l1_ratios must all be <= 1"),
])
def test_elastic_net_coefficients_refuses_bad_input(kwargs, error, match):
    with pytest.raises(error, match=match):
        explorers.elastic_net_coefficients(**{"X": X_GROUPS, "y": Y_GROUPS, "alpha": 0.05, "l1_ratios": [0.5, 1.0],
                                             **kwargs})


def test_describe_says_what_the_figure_shows():
    paths = explorers.frames("alpha", [1, 10], lasso=[[1.0, 0.0, 2.0], [0.0, 0.0, 0.0]], ridge=np.ones((2, 3)))
    assert explorers.describe("penalty_paths", paths, 0, feature_names=["a", "b", "c"]) == (
        "alpha = 1: the lasso keeps 2 of 3 coefficients (exactly zero: b); ridge keeps 3. Sum of |coefficients|: "
        "ridge 3, lasso 3.")
    sweep = explorers.frames("lambda", [0.01, 0.1], inputs_kept=[40, 9], validation_loss=[0.52, 0.4449])
    assert explorers.describe("lambda_sweep", sweep, 1) == "lambda = 0.1: 9 inputs kept, validation data loss 0.445."
    enet = explorers.frames("l1_ratio", [0.5, 1.0], coef=[[1, 1, 0, 2, 0, 0, 0, 0], [1, 0, 0, 0, 0, 0, 0, 0]])
    assert explorers.describe("l1_ratio_group", enet, 0, group=GROUP) == (
        "l1_ratio = 0.5: members kept per group 2, 1 (of 3 each); 3 of 8 coefficients non-zero in all.")
    gap = explorers.frames("dropout rate", [0, 0.5], train_loss=[0.01, 0.05], validation_loss=[0.4, 0.2],
                           gap=[0.39, 0.15])
    assert explorers.describe("dropout_gap", gap, 1) == (
        "dropout rate 0.5: training loss 0.05, validation loss 0.2, gap 0.15.")


@pytest.mark.parametrize(("kind", "index", "match"), [("nope", 0, "kind must be one of"),
                                                      ("lambda_sweep", 0, "missing"),
                                                      ("dropout_gap", 2, "index must be a whole number from 0 to 1"),
                                                      ("dropout_gap", True, "index")])
def test_describe_refuses_bad_input(kind, index, match):
    gap = explorers.frames("dropout rate", [0, 0.5], train_loss=[0.01, 0.05], validation_loss=[0.4, 0.2],
                           gap=[0.39, 0.15])
    with pytest.raises(ValueError, match=match):
        explorers.describe(kind, gap, index)


# ----------------------------------------------------------------------------------------- batch runs


def test_the_test_suite_is_a_batch_run(monkeypatch):
    assert not explorers.is_live(), "conftest.py sets COURSE_PROGRESS=0: explorers must not draw widgets"
    monkeypatch.setenv("COURSE_PROGRESS", "1")
    assert explorers.is_live() and not explorers.is_live(False)
    with pytest.raises(TypeError, match="live"):
        explorers.is_live("no")


BATCH_CALLS = {
    "02": (lambda: explorers.penalty_paths(X_DIA, Y_DIA, NAMES),
           "Explorer: a slider over alpha (49 values from 0.01 to 10000) shows the lasso's and ridge's "
           "coefficients at that alpha. " + explorers.BATCH_NOTE),
    "03": (lambda: explorers.lambda_sweep([1e-3, 1e-2, 0.03, 0.1, 0.3], [300, 80, 25, 12, 0],
                                          [0.9, 0.5, 0.45, 0.5, 0.69], chance=np.log(2)),
           "Explorer: a slider over the 5 strengths of the sweep (lambda from 0.001 to 0.3) rings the inputs kept "
           "and the validation loss at that lambda. " + explorers.BATCH_NOTE),
    "05": (lambda: explorers.l1_ratio_group(X_GROUPS, Y_GROUPS, GROUP, 0.05),
           "Explorer: a slider over l1_ratio (20 values from 0.05 to 1, at a fixed alpha) shows the coefficients "
           "of the members of each of the 2 correlated groups. " + explorers.BATCH_NOTE),
    "07": (lambda: explorers.dropout_gap([0.0, 0.2, 0.5], [0.01, 0.02, 0.05], [0.4, 0.3, 0.2]),
           "Explorer: a slider over the 3 dropout rates (from 0 to 0.5) shows the training and validation losses "
           "and the gap between them. " + explorers.BATCH_NOTE),
}


@pytest.mark.parametrize("lesson", sorted(BATCH_CALLS))
def test_batch_run_outputs_one_stable_line_and_computes_nothing(lesson, monkeypatch):
    """What nbval compares and the static site shows: plain text, no widget, nothing fitted."""
    def refuse(*args, **kwargs):
        raise AssertionError("a batch run must not compute the explorer's data")

    monkeypatch.setattr(explorers, "lasso_ridge_paths", refuse)
    monkeypatch.setattr(explorers, "elastic_net_coefficients", refuse)
    make, expected = BATCH_CALLS[lesson]
    note = make()
    assert isinstance(note, explorers.BatchNote) and repr(note) == expected
    assert not hasattr(note, "_repr_mimebundle_"), "no widget view in committed outputs"


@pytest.mark.parametrize(("call", "match"), [
    (lambda: explorers.penalty_paths(X_DIA, Y_DIA, NAMES[:-1]), "feature_names has 9 names for 10"),
    (lambda: explorers.penalty_paths(X_DIA, Y_DIA[:-1], NAMES), "X has 442, y has 441"),
    (lambda: explorers.penalty_paths(X_DIA, Y_DIA, NAMES, start=-1.0), "start must be > 0"),
    (lambda: explorers.lambda_sweep([0.1, 1], [3, 2, 1], [0.5, 0.4]), "inputs_kept has 3"),
    (lambda: explorers.lambda_sweep([0.1, 1], [3, 2], [0.5, 0.4], chance=-1), "chance must be >= 0"),
    (lambda: explorers.dropout_gap([0.0, 1.0], [0.1, 0.1], [0.2, 0.2]), "rates must lie in"),
    (lambda: explorers.l1_ratio_group(X_GROUPS, Y_GROUPS, GROUP[:-1], 0.05), "one whole-number id per column"),
    (lambda: explorers.l1_ratio_group(X_GROUPS, Y_GROUPS, -np.ones(8), 0.05), "at least one feature"),
])
def test_builders_validate_in_batch_runs_too(call, match):
    with pytest.raises(ValueError, match=match):
        call()


# ----------------------------------------------------------------------------------------- live widgets


def build_live(lesson: str):
    calls = {
        "02": lambda: explorers.penalty_paths(X_DIA, Y_DIA, NAMES, alphas=np.logspace(-1, 3, 9), live=True),
        "03": lambda: explorers.lambda_sweep([1e-3, 1e-2, 0.03, 0.1, 0.3], [300, 80, 25, 12, 0],
                                             [0.9, 0.5, 0.45, 0.5, 0.69], chance=np.log(2), live=True),
        "05": lambda: explorers.l1_ratio_group(X_GROUPS, Y_GROUPS, GROUP, 0.05, [0.1, 0.5, 1.0], live=True),
        "07": lambda: explorers.dropout_gap([0.0, 0.2, 0.5], [0.01, 0.02, 0.05], [0.4, 0.3, 0.2], live=True),
    }
    return calls[lesson]()


def pixels(png: bytes) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(png)))


@pytest.mark.parametrize("lesson", ["02", "03", "05", "07"])
def test_a_slider_move_only_indexes_and_redraws_what_moves(lesson, monkeypatch):
    calls = {"compute": 0, "full draws": 0, "figures": 0}
    for name in ("lasso_ridge_paths", "elastic_net_coefficients"):
        original = getattr(explorers, name)

        def counted(*args, _original=original, **kwargs):
            calls["compute"] += 1
            return _original(*args, **kwargs)

        monkeypatch.setattr(explorers, name, counted)
    explorer = build_live(lesson)
    computed = calls["compute"]
    assert computed == (1 if lesson in ("02", "05") else 0), "the data is computed once, when the explorer is built"

    full_draw, new_figure = matplotlib.figure.Figure.draw, matplotlib.figure.Figure.__init__

    def counting_draw(self, renderer):
        calls["full draws"] += 1
        return full_draw(self, renderer)

    def counting_init(self, *args, **kwargs):
        calls["figures"] += 1
        return new_figure(self, *args, **kwargs)

    monkeypatch.setattr(matplotlib.figure.Figure, "draw", counting_draw)
    monkeypatch.setattr(matplotlib.figure.Figure, "__init__", counting_init)
    seen = {}
    for index in [*range(len(explorer.slider.options)), 0]:
        if explorer.slider.value == index:
            explorer.slider.value = (index + 1) % len(explorer.slider.options)
        explorer.slider.value = index
        seen.setdefault(index, explorer.image.value)
        assert explorer.image.value == seen[index], "the same setting gives the same picture, whatever came before"
        assert explorer.readout.value == f"<p>{explorers.describe(explorer.kind, explorer.data, index, **explorer.context)}</p>"
        assert not explorer.image.tooltip, "a tooltip stops JupyterLab from drawing the image"
    assert calls == {"compute": computed, "full draws": 0, "figures": 0}, calls
    assert len({bytes(v) for v in seen.values()}) == len(seen), "every setting draws a different picture"
    assert explorer.figure.get_layout_engine() is None or type(explorer.figure.get_layout_engine()).__name__ == \
        "PlaceHolderLayoutEngine", "the layout is solved once, not at each move"


@pytest.mark.parametrize("lesson", ["02", "05"])
def test_blitting_leaves_no_trace_of_the_previous_setting(lesson):
    """The picture after moving from the first setting to the last equals a fresh explorer's picture at the last."""
    moved = build_live(lesson)
    last = len(moved.slider.options) - 1
    moved.slider.value = 0
    moved.slider.value = last
    fresh = build_live(lesson)
    fresh.slider.value = last
    assert np.array_equal(pixels(moved.image.value), pixels(fresh.image.value))


def test_the_explorer_displays_as_its_widget():
    explorer = build_live("07")
    bundle = explorer._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle
    assert bundle["application/vnd.jupyter.widget-view+json"]["model_id"] == explorer.widget.model_id


WIDGET_MIME = ("application/vnd.jupyter.widget-view+json", "application/vnd.jupyter.widget-state+json")


@pytest.mark.parametrize("path", sorted((Path(__file__).resolve().parents[1] / "notebooks").glob("*.ipynb")),
                         ids=lambda p: p.stem)
def test_committed_notebooks_hold_no_widget_state(path):
    """Explorers and progress bars are widgets only in a live session: a committed lesson holds none (its
    outputs come from `python3 tasks.py execute`, a batch run)."""
    notebook = nbformat.read(path, as_version=4)
    assert "widgets" not in notebook.metadata, f"{path.name}: widget state saved in the notebook's metadata"
    views = [index + 1 for index, cell in enumerate(notebook.cells) if cell.cell_type == "code"
             for output in cell.get("outputs", []) if any(m in output.get("data", {}) for m in WIDGET_MIME)]
    assert not views, f"{path.name}: widget outputs in cells {views} (re-execute with `python3 tasks.py execute`)"
