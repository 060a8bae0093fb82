"""Explorers: a slider next to a static figure, for learners who run a lesson in JupyterLab.

Each explorer computes everything it shows once, when its cell runs (from arrays the lesson already computed,
or with one of the pure functions below), draws its figure once, and on every move of the slider only picks
the precomputed row, updates the drawn artists and re-renders the PNG: well under 100 ms
(``benchmarks/explorers.md``, made by ``python build_tools/benchmark_explorers.py``).

Pure functions (no widgets; validated, unit-tested): :func:`lasso_ridge_paths` (lesson 02),
:func:`elastic_net_coefficients` (lesson 05), :class:`Frames` and :func:`frames` (a parameter grid with the
series measured along it), :func:`describe` (the sentence shown under the slider).

Widget builders: :func:`penalty_paths` (02), :func:`lambda_sweep` (03), :func:`l1_ratio_group` (05),
:func:`dropout_gap` (07). Each returns an ipywidgets box in JupyterLab. **In a batch run** (environment
variable ``COURSE_PROGRESS=0``, which ``python3 tasks.py execute``, the test suite and the benchmark set, the
same switch that turns progress bars off) it computes nothing and returns a one-line note saying what the
explorer does, as plain text: so committed outputs hold no widget state, nbval compares a stable line, and
the static site shows the sentence. ``live=True`` or ``live=False`` overrides the switch.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from utils import progress
from utils._validate import check_array, check_bool, check_real, check_same_length, check_str

import numpy as np

BATCH_NOTE = "It appears when you run this cell in JupyterLab; the figure above shows the same results."


# ----------------------------------------------------------------------------------------------- pure functions


@dataclass(frozen=True)
class Frames:
    """What an explorer can show: a grid of one parameter and the series measured at each of its values.

    Attributes
    ----------
    parameter : str
        The parameter's name as the lesson writes it (``"alpha"``, ``"lambda"``, ``"dropout rate"``).
    values : numpy.ndarray of shape (n,)
        The grid, strictly increasing.
    series : dict of str to numpy.ndarray
        Each of shape (n, ...): row ``i`` is what is shown at ``values[i]``.
    """

    parameter: str
    values: np.ndarray
    series: Mapping[str, np.ndarray]

    def __len__(self) -> int:
        return len(self.values)

    def at(self, index: int) -> dict[str, Any]:
        """Row ``index`` of every series (the only work a slider move does besides drawing)."""
        return {name: values[index] for name, values in self.series.items()}


def frames(parameter: str, values: Any, **series: Any) -> Frames:
    """Validate a parameter grid and the series measured along it.

    Parameters
    ----------
    parameter : str
        The parameter's name, 1 to 40 characters.
    values : array-like of shape (n,)
        The grid: finite, strictly increasing, at least 2 values.
    **series : array-like of shape (n, ...)
        What was measured at each value (finite numbers); at least one.

    Returns
    -------
    Frames

    Raises
    ------
    TypeError
        If ``parameter`` is not a string or an array is not numeric.
    ValueError
        If the grid is not strictly increasing, has fewer than 2 values, or a series does not have one row per
        value or holds NaN or infinity.
    """
    name = check_str("parameter", parameter)
    assert name is not None
    if not 1 <= len(name.strip()) <= 40:
        raise ValueError(f"parameter must be a name of 1 to 40 characters such as 'alpha', got {parameter!r}")
    grid = check_array("values", values, ndim=1, min_rows=2).astype(float)
    if np.any(np.diff(grid) <= 0):
        raise ValueError(f"values must be strictly increasing, got {np.array2string(grid, precision=3)}")
    if not series:
        raise ValueError("give at least one series measured along the grid, e.g. inputs_kept=[...]")
    checked = {}
    for key, array in series.items():
        checked[key] = check_array(key, array, ndim=(1, 2, 3)).astype(float)
        check_same_length(values=grid, **{key: checked[key]})
    return Frames(name.strip(), grid, checked)


def lasso_ridge_paths(X: Any, y: Any, alphas: Any) -> Frames:
    """The lasso's and ridge's coefficients at the same scikit-learn ``alpha``, on one grid (lesson 02).

    Parameters
    ----------
    X : array-like of shape (n, p)
        Standardised features.
    y : array-like of shape (n,)
        Target.
    alphas : array-like of shape (n_alphas,)
        Penalties, > 0 and strictly increasing.

    Returns
    -------
    Frames
        ``parameter="alpha"``, series ``"lasso"`` and ``"ridge"`` of shape (n_alphas, p).

    Notes
    -----
    scikit-learn's ``Lasso`` divides the squared error by ``2 n`` and ``Ridge`` does not, so at the same
    ``alpha`` the lasso's penalty is much the stronger: the explorer says so under its slider.
    """
    from utils import linear

    from sklearn.linear_model import Lasso, Ridge

    grid = check_array("alphas", alphas, ndim=1, min_rows=2)
    if np.any(grid <= 0):
        raise ValueError("alphas must all be > 0")
    lasso = linear.coefficient_path(lambda a: Lasso(alpha=a, tol=1e-8, max_iter=100_000), X, y, grid)
    ridge = linear.coefficient_path(lambda a: Ridge(alpha=a), X, y, grid)
    return frames("alpha", grid, lasso=lasso, ridge=ridge)


def elastic_net_coefficients(X: Any, y: Any, alpha: Any, l1_ratios: Any) -> Frames:
    """Elastic Net's coefficients at one total strength ``alpha`` for each share of L1 (lesson 05).

    Parameters
    ----------
    X : array-like of shape (n, p)
    y : array-like of shape (n,)
    alpha : float
        scikit-learn's total penalty strength, > 0.
    l1_ratios : array-like of shape (n_ratios,)
        Shares of L1, in (0, 1], strictly increasing.

    Returns
    -------
    Frames
        ``parameter="l1_ratio"``, series ``"coef"`` of shape (n_ratios, p).
    """
    from sklearn.linear_model import ElasticNet

    X = check_array("X", X, ndim=2, min_columns=1)
    y = check_array("y", y, ndim=1)
    check_same_length(X=X, y=y)
    strength = check_real("alpha", alpha, minimum=0)
    if strength <= 0:
        raise ValueError(f"alpha must be > 0, got {alpha!r}")
    ratios = check_array("l1_ratios", l1_ratios, ndim=1, min_rows=2)
    if np.any(ratios <= 0) or np.any(ratios > 1):
        raise ValueError(f"l1_ratios must lie in (0, 1], got {np.array2string(ratios, precision=3)}")
    coefs = [ElasticNet(alpha=strength, l1_ratio=float(r), max_iter=50_000).fit(X, y).coef_ for r in ratios]
    return frames("l1_ratio", ratios, coef=np.array(coefs))


def _number(value: float) -> str:
    return f"{value:.3g}"


def describe(kind: str, data: Frames, index: int, **context: Any) -> str:
    """The sentence an explorer shows under its slider at ``data.values[index]`` (also its image's tooltip).

    Parameters
    ----------
    kind : {"penalty_paths", "lambda_sweep", "l1_ratio_group", "dropout_gap"}
        Which explorer.
    data : Frames
    index : int
        Position on the grid, 0 to ``len(data) - 1``.
    **context
        ``feature_names`` (penalty_paths), ``group`` (l1_ratio_group: one group id per feature).

    Returns
    -------
    str
    """
    if not isinstance(data, Frames):
        raise TypeError(f"data must be a Frames (from utils.explorers.frames), got {type(data).__name__}")
    if isinstance(index, bool) or not isinstance(index, int | np.integer) or not 0 <= index < len(data):
        raise ValueError(f"index must be a whole number from 0 to {len(data) - 1}, got {index!r}")
    row, value = data.at(int(index)), _number(data.values[index])
    if kind == "penalty_paths":
        names = list(context.get("feature_names") or [f"x{j}" for j in range(len(row["lasso"]))])
        zero = [n for n, c in zip(names, row["lasso"], strict=True) if c == 0]
        kept = len(names) - len(zero)
        return (f"alpha = {value}: the lasso keeps {kept} of {len(names)} coefficients"
                + (f" (exactly zero: {', '.join(zero)})" if 0 < len(zero) < len(names) else "")
                + f"; ridge keeps {int(np.count_nonzero(row['ridge']))}, their sizes summing to "
                f"{_number(np.abs(row['ridge']).sum())} against the lasso's {_number(np.abs(row['lasso']).sum())}.")
    if kind == "lambda_sweep":
        return (f"lambda = {value}: {int(round(row['inputs_kept']))} inputs kept, validation data loss "
                f"{_number(row['validation_loss'])}.")
    if kind == "l1_ratio_group":
        group = np.asarray(context["group"])
        shown = sorted(g for g in set(group.tolist()) if g >= 0)
        kept = [int(np.count_nonzero(row["coef"][group == g])) for g in shown]
        sizes = {int(np.sum(group == g)) for g in shown}
        of = f" (of {sizes.pop()} each)" if len(sizes) == 1 else ""
        return (f"l1_ratio = {value}: members kept per group {', '.join(map(str, kept))}{of}; "
                f"{int(np.count_nonzero(row['coef']))} of {len(group)} coefficients non-zero in all.")
    if kind == "dropout_gap":
        return (f"dropout rate {value}: training loss {_number(row['train_loss'])}, validation loss "
                f"{_number(row['validation_loss'])}, gap {_number(row['validation_loss'] - row['train_loss'])}.")
    raise ValueError(f"kind must be one of 'penalty_paths', 'lambda_sweep', 'l1_ratio_group', 'dropout_gap'; "
                     f"got {kind!r}")


# ----------------------------------------------------------------------------------------------- widgets


def is_live(live: Any = None) -> bool:
    """Whether explorers draw widgets: ``live`` if given, else unless ``COURSE_PROGRESS=0`` (a batch run)."""
    if live is None:
        return progress.enabled()
    return check_bool("live", live)


class BatchNote:
    """What an explorer cell outputs in a batch run: one line of plain text, the same on every machine."""

    def __init__(self, text: str) -> None:
        self.text = text

    def __repr__(self) -> str:
        return self.text


class Explorer:
    """A figure drawn once and a slider that redraws only what moves, from precomputed rows.

    Built by the functions below; :attr:`widget` is what the notebook displays (they return it). The figure is
    laid out and drawn once without its ``moving`` artists, and that background is kept (blitting). The slider's
    callback, :meth:`update`, picks row ``index``, lets ``redraw`` set the moving artists' data, draws just those
    over the background and encodes the PNG.
    """

    def __init__(self, data: Frames, kind: str, figure: Any, moving: Sequence[Any], redraw: Callable[[int], None],
                 *, start: int, context: Mapping[str, Any] | None = None) -> None:
        import ipywidgets as widgets

        self.data, self.kind, self.figure, self._redraw = data, kind, figure, redraw
        self.context = dict(context or {})
        self.moving = list(moving)
        for artist in self.moving:
            artist.set_animated(True)  # left out of the full draw below, drawn by update()
        redraw(start)
        figure.canvas.draw()  # the layout is solved once, here ...
        figure.set_layout_engine("none")  # ... and kept
        self._background = figure.canvas.copy_from_bbox(figure.bbox)
        labels = [(f"{_number(v)}", i) for i, v in enumerate(data.values)]
        self.slider = widgets.SelectionSlider(
            options=labels, value=start, description=data.parameter, continuous_update=True,
            style={"description_width": "initial"}, layout=widgets.Layout(width="520px"),
        )
        self.readout = widgets.HTML()
        self.image = widgets.Image(format="png")
        self.widget = widgets.VBox([self.slider, self.readout, self.image])
        self.update(start)
        self.slider.observe(lambda change: self.update(change["new"]), names="value")

    def render(self, index: int) -> bytes:
        """The PNG of the figure at ``data.values[index]``: the kept background, the moving artists redrawn."""
        from PIL import Image

        self._redraw(index)
        canvas = self.figure.canvas
        canvas.restore_region(self._background)
        renderer = canvas.get_renderer()
        for artist in self.moving:
            artist.draw(renderer)
        buffer = io.BytesIO()
        Image.fromarray(np.asarray(canvas.buffer_rgba())).save(buffer, format="png", compress_level=1)
        return buffer.getvalue()

    def update(self, index: int) -> None:
        """Show ``data.values[index]`` (the slider's callback): render, then set the image and the sentence."""
        png = self.render(index)
        text = describe(self.kind, self.data, index, **self.context)
        self.image.value = png
        self.image.tooltip = text
        self.readout.value = f"<p>{text}</p>"


def _figure(ncols: int, width: float, height: float) -> tuple[Any, Any]:
    """A figure outside pyplot (so that the inline backend never shows it on its own), and its axes."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width, height), layout="constrained")
    FigureCanvasAgg(fig)
    axes = fig.subplots(1, ncols)
    return fig, axes


def _nearest(values: np.ndarray, target: float | None, default: int) -> int:
    if target is None:
        return default
    return int(np.argmin(np.abs(np.log(values) - np.log(target)))) if np.all(values > 0) \
        else int(np.argmin(np.abs(values - target)))


def _grid_text(values: np.ndarray) -> str:
    return f"{len(values)} values from {_number(values[0])} to {_number(values[-1])}"


def penalty_paths(X: Any, y: Any, feature_names: Sequence[str], alphas: Any = None, *, start: float | None = 1.0,
                  live: bool | None = None) -> Any:
    """Lesson 02: a slider over alpha showing the lasso's and ridge's coefficient vectors at that alpha.

    Parameters
    ----------
    X, y : array-like
        Standardised features and the target (the lesson's ``X_all``, ``y_all``).
    feature_names : sequence of str
        One name per column of ``X``.
    alphas : array-like, optional
        The grid; default ``np.logspace(-2, 4, 49)`` (8 values per decade).
    start : float, optional
        The alpha shown first (the nearest grid value).
    live : bool, optional
        Override the batch switch (see the module's docstring).

    Returns
    -------
    ipywidgets.VBox or BatchNote
    """
    grid = np.logspace(-2, 4, 49) if alphas is None else check_array("alphas", alphas, ndim=1, min_rows=2)
    if not is_live(live):
        return BatchNote(f"Explorer: a slider over alpha ({_grid_text(grid)}) shows the lasso's and ridge's "
                         f"coefficients at that alpha. {BATCH_NOTE}")
    data = lasso_ridge_paths(X, y, grid)
    names = [str(n) for n in feature_names]
    if len(names) != data.series["lasso"].shape[1]:
        raise ValueError(f"feature_names must name the {data.series['lasso'].shape[1]} columns of X, got {len(names)}")
    fig, ax = _figure(1, 7.5, 4.2)
    rows = np.arange(len(names))
    height = 0.38
    ridge_bars = ax.barh(rows - height / 2, data.series["ridge"][0], height, color="C0", label="ridge")
    lasso_bars = ax.barh(rows + height / 2, data.series["lasso"][0], height, color="C1", hatch="//",
                         edgecolor="black", label="lasso (hatched)")
    limit = 1.05 * max(np.abs(data.series["lasso"]).max(), np.abs(data.series["ridge"]).max())
    ax.set_xlim(-limit, limit)
    ax.set_yticks(rows, names)
    ax.invert_yaxis()
    ax.axvline(0, color="black", linewidth=0.8)
    ax.set_xlabel("coefficient (per SD of the feature)")
    ax.legend(loc="lower right", fontsize=9)
    title = ax.set_title("")

    def redraw(index: int) -> None:
        for bar, value in zip(ridge_bars, data.series["ridge"][index], strict=True):
            bar.set_width(value)
        for bar, value in zip(lasso_bars, data.series["lasso"][index], strict=True):
            bar.set_width(value)
        title.set_text(f"alpha = {_number(data.values[index])} (scikit-learn's alpha for both; the lasso's "
                       "counts more)")

    explorer = Explorer(data, "penalty_paths", fig, [*ridge_bars, *lasso_bars, title], redraw, start=_nearest(grid, start, len(grid) // 2),
                        context={"feature_names": names})
    return explorer.widget


def _sweep(data: Frames, kind: str, panels: Sequence[tuple[str, str]], *, log_x: bool, xlabel: str,
           start: int, references: Mapping[str, tuple[float, str]] | None = None) -> Any:
    """Panels of series against the parameter, the current point ringed and a vertical line at it."""
    fig, axes = _figure(len(panels), 5.2 * len(panels), 3.6)
    axes = np.atleast_1d(axes)
    markers, lines = [], []
    for number, (ax, (key, ylabel)) in enumerate(zip(axes, panels, strict=True)):
        ax.plot(data.values, data.series[key], marker="os^D"[number], linestyle="-", color=f"C{number}")
        if references and key in references:
            level, label = references[key]
            ax.axhline(level, color="0.3", linestyle=":", linewidth=1.5, label=label)
            ax.legend(loc="best", fontsize=9)
        (marker,) = ax.plot([], [], marker="o", markersize=16, markerfacecolor="none", markeredgecolor="black",
                            markeredgewidth=2, linestyle="none")
        markers.append(marker)
        lines.append(ax.axvline(data.values[start], color="0.4", linestyle="--", linewidth=1))
        if log_x:
            ax.set_xscale("log")
        ax.set_xlabel(xlabel)
        ax.set_ylabel(ylabel)

    def redraw(index: int) -> None:
        x = data.values[index]
        for marker, line, (key, _) in zip(markers, lines, panels, strict=True):
            marker.set_data([x], [data.series[key][index]])
            line.set_xdata([x, x])

    return Explorer(data, kind, fig, [*markers, *lines], redraw, start=start).widget


def lambda_sweep(lambdas: Any, inputs_kept: Any, validation_loss: Any, *, chance: float | None = None,
                 start: float | None = None, live: bool | None = None) -> Any:
    """Lesson 03: a slider over the lambda grid, the point highlighted on inputs kept and validation loss.

    Parameters
    ----------
    lambdas : array-like of shape (n,)
        The L1 strengths of the sweep, increasing, > 0.
    inputs_kept, validation_loss : array-like of shape (n,)
        Measured at each lambda (the lesson's ``sweep`` columns).
    chance : float, optional
        The constant predictor's loss, drawn as a reference line (ln 2 for a balanced binary task).
    start : float, optional
        The lambda shown first (the nearest grid value; default the middle of the grid).
    live : bool, optional
        Override the batch switch.

    Returns
    -------
    ipywidgets.VBox or BatchNote
    """
    data = frames("lambda", lambdas, inputs_kept=inputs_kept, validation_loss=validation_loss)
    if np.any(data.values <= 0):
        raise ValueError("lambdas must all be > 0 (they are drawn on a log scale)")
    if not is_live(live):
        return BatchNote(f"Explorer: a slider over the {len(data)} strengths of the sweep (lambda from "
                         f"{_number(data.values[0])} to {_number(data.values[-1])}) rings the inputs kept and the "
                         f"validation loss at that lambda. {BATCH_NOTE}")
    references = None
    if chance is not None:
        level = check_real("chance", chance, minimum=0)
        references = {"validation_loss": (level, f"chance: {level:.3f}")}
    return _sweep(data, "lambda_sweep", [("inputs_kept", "inputs kept (pruned at lr)"),
                                         ("validation_loss", "validation data loss")],
                  log_x=True, xlabel="L1 strength lambda (log scale)",
                  start=_nearest(data.values, start, len(data) // 2), references=references)


def dropout_gap(rates: Any, train_loss: Any, validation_loss: Any, *, start: float | None = None,
                live: bool | None = None) -> Any:
    """Lesson 07: a slider over the dropout rates, showing both losses and the gap between them.

    Parameters
    ----------
    rates : array-like of shape (n,)
        Dropout rates, increasing, in [0, 1).
    train_loss, validation_loss : array-like of shape (n,)
        Data losses in inference mode at each rate (the lesson's ``gaps`` table).
    start : float, optional
        The rate shown first (the nearest; default the first).
    live : bool, optional
        Override the batch switch.

    Returns
    -------
    ipywidgets.VBox or BatchNote
    """
    train = check_array("train_loss", train_loss, ndim=1)
    val = check_array("validation_loss", validation_loss, ndim=1)
    check_same_length(train_loss=train, validation_loss=val)
    data = frames("dropout rate", rates, train_loss=train, validation_loss=val, gap=val - train)
    if np.any(data.values < 0) or np.any(data.values >= 1):
        raise ValueError(f"rates must lie in [0, 1), got {np.array2string(data.values, precision=3)}")
    if not is_live(live):
        return BatchNote(f"Explorer: a slider over the {len(data)} dropout rates (from {_number(data.values[0])} to "
                         f"{_number(data.values[-1])}) shows the training and validation losses and the gap "
                         f"between them. {BATCH_NOTE}")
    fig, (left, right) = _figure(2, 10.5, 3.6)
    left.plot(data.values, data.series["gap"], marker="D", color="C2")
    left.set_xlabel("dropout rate")
    left.set_ylabel("gap: validation - training loss")
    (ring,) = left.plot([], [], marker="o", markersize=16, markerfacecolor="none", markeredgecolor="black",
                        markeredgewidth=2, linestyle="none")
    bars = right.bar([0, 1], [train[0], val[0]], color=["C0", "C1"], hatch=["", "//"], edgecolor="black")
    right.set_xticks([0, 1], ["training (solid)", "validation (hatched)"])
    right.set_ylim(0, 1.15 * max(train.max(), val.max()))
    right.set_ylabel("data loss, inference mode")
    bracket = right.annotate("", xy=(0.5, val[0]), xytext=(0.5, train[0]),
                             arrowprops={"arrowstyle": "<->", "color": "black"})
    label = right.text(0.45, 0, "", va="center", ha="right", bbox={"facecolor": "white", "edgecolor": "none"})

    def redraw(index: int) -> None:
        row = data.at(index)
        ring.set_data([data.values[index]], [row["gap"]])
        bars[0].set_height(row["train_loss"])
        bars[1].set_height(row["validation_loss"])
        bracket.xy, bracket.xyann = (0.5, row["validation_loss"]), (0.5, row["train_loss"])
        label.set_position((0.45, (row["train_loss"] + row["validation_loss"]) / 2))
        label.set_text(f"gap {_number(row['gap'])}")
        right.set_title(f"dropout rate {_number(data.values[index])}")

    moving = [ring, *bars, bracket, label, right.title]
    return Explorer(data, "dropout_gap", fig, moving, redraw, start=_nearest(data.values, start, 0)).widget


def l1_ratio_group(X: Any, y: Any, group: Any, alpha: float, l1_ratios: Any = None, *,
                   start: float | None = 1.0, live: bool | None = None) -> Any:
    """Lesson 05: a slider over l1_ratio showing the coefficients of each correlated group's members.

    Parameters
    ----------
    X, y : array-like
        The features and target (the lesson's ``groups.X_train``, ``groups.y_train``).
    group : array-like of shape (p,)
        The group id of each feature; features with an id >= 0 are shown, grouped (-1: independent, not shown).
    alpha : float
        The total strength, held fixed while the share of L1 moves (e.g. the cross-validated one).
    l1_ratios : array-like, optional
        The grid; default 0.05, 0.1, ..., 1.0 (20 values).
    start : float, optional
        The l1_ratio shown first (default 1.0: the lasso).
    live : bool, optional
        Override the batch switch.

    Returns
    -------
    ipywidgets.VBox or BatchNote
    """
    ratios = np.round(np.linspace(0.05, 1.0, 20), 2) if l1_ratios is None else \
        check_array("l1_ratios", l1_ratios, ndim=1, min_rows=2)
    ids = check_array("group", group, ndim=1)
    shown = sorted(int(g) for g in set(ids.tolist()) if g >= 0)
    if not shown:
        raise ValueError("group must give at least one feature a group id >= 0")
    if not is_live(live):
        return BatchNote(f"Explorer: a slider over l1_ratio ({_grid_text(ratios)}, at a fixed alpha) shows the "
                         f"coefficients of the members of each of the {len(shown)} correlated groups. {BATCH_NOTE}")
    data = elastic_net_coefficients(X, y, alpha, ratios)
    if len(ids) != data.series["coef"].shape[1]:
        raise ValueError(f"group must give one id per column of X ({data.series['coef'].shape[1]}), got {len(ids)}")
    members = [np.flatnonzero(ids == g) for g in shown]
    positions = np.concatenate([np.arange(len(m)) + k * (len(m) + 1.5) for k, m in enumerate(members)])
    order = np.concatenate(members)
    fig, ax = _figure(1, 8.5, 3.8)
    colors = [f"C{k % 10}" for k, m in enumerate(members) for _ in m]
    hatches = [("", "//", "..", "xx", "\\\\")[k % 5] for k, m in enumerate(members) for _ in m]
    bars = ax.bar(positions, data.series["coef"][0][order], color=colors, hatch=hatches, edgecolor="black")
    limit = 1.05 * np.abs(data.series["coef"][:, order]).max()
    ax.set_ylim(-limit if (data.series["coef"][:, order] < 0).any() else 0, limit)
    centres = [positions[sum(len(m) for m in members[:k]):][: len(members[k])].mean() for k in range(len(members))]
    ax.set_xticks(centres, [f"group {g}" for g in shown])
    ax.axhline(0, color="black", linewidth=0.8)
    ax.set_ylabel("coefficient (per SD of the feature)")
    title = ax.set_title("")

    def redraw(index: int) -> None:
        for bar, value in zip(bars, data.series["coef"][index][order], strict=True):
            bar.set_height(value)
        title.set_text(f"l1_ratio = {_number(data.values[index])}, alpha = {_number(alpha)}: one bar per member")

    return Explorer(data, "l1_ratio_group", fig, [*bars, title], redraw, start=_nearest(ratios, start, len(ratios) - 1),
                    context={"group": ids}).widget
