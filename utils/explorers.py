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

import html
import io
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from utils import progress
from utils._validate import check_array, check_bool, check_names, check_real, check_same_length, check_str

import numpy as np

BATCH_NOTE = "Run this cell in JupyterLab to use it; nothing else in the lesson depends on it."


# ----------------------------------------------------------------------------------------------- pure functions


@dataclass(frozen=True)
class Frames:
    """What an explorer can show: a grid of one parameter and the series measured at each of its values.

    Validated on construction (see :func:`frames`, which builds one from keyword arguments).

    Parameters
    ----------
    parameter : str
        The parameter's name as the lesson writes it (``"alpha"``, ``"lambda"``, ``"dropout rate"``), 1 to 40
        characters.
    values : array-like of shape (n,)
        The grid: finite, strictly increasing, at least 2 values (stored as a float array).
    series : mapping of str to array-like
        At least one; each of shape (n, ...), finite: row ``i`` is what is shown at ``values[i]``.

    Raises
    ------
    TypeError
        If ``parameter`` is not a string, ``series`` not a mapping, or an array is not numeric.
    ValueError
        If the grid is not strictly increasing or has fewer than 2 values, or a series does not have one row
        per value or holds NaN or infinity.
    """

    parameter: str
    values: np.ndarray
    series: Mapping[str, np.ndarray]

    def __post_init__(self) -> None:
        name = check_str("parameter", self.parameter)
        assert name is not None
        if not 1 <= len(name.strip()) <= 40:
            raise ValueError(f"parameter must be a name of 1 to 40 characters such as 'alpha', got {name!r}")
        grid = _increasing("values", self.values)
        if not isinstance(self.series, Mapping) or not self.series:
            raise TypeError("series must be a non-empty mapping of names to arrays, e.g. {'inputs_kept': [...]}, "
                            f"got {type(self.series).__name__} {self.series!r}"[:300])
        checked = {}
        for key, array in self.series.items():
            if not isinstance(key, str):
                raise TypeError(f"series must be keyed by names (str), got {type(key).__name__} {key!r}")
            label = f"series[{key!r}]"
            checked[key] = check_array(label, array, ndim=(1, 2, 3)).astype(float)
            check_same_length(values=grid, **{label: checked[key]})
        object.__setattr__(self, "parameter", name.strip())
        object.__setattr__(self, "values", grid)
        object.__setattr__(self, "series", checked)

    def __len__(self) -> int:
        return len(self.values)

    def at(self, index: int) -> dict[str, Any]:
        """Row ``index`` (0 to ``len(self) - 1``) of every series (the only work a slider move does besides
        drawing)."""
        if isinstance(index, bool | np.bool_) or not isinstance(index, int | np.integer) or not 0 <= index < len(self):
            raise IndexError(f"index must be a whole number from 0 to {len(self) - 1}, got {index!r}"[:200])
        return {name: values[index] for name, values in self.series.items()}


def _increasing(name: str, value: Any, *, low: float | None = None, high: float | None = None,
                strict_low: bool = False) -> np.ndarray:
    """A finite, strictly increasing 1-D grid of at least 2 values within bounds, or an error naming it."""
    grid = check_array(name, value, ndim=1, min_rows=2).astype(float)
    if np.any(np.diff(grid) <= 0):
        raise ValueError(f"{name} must be strictly increasing, got {np.array2string(grid, precision=3)}"[:300])
    if low is not None and (grid[0] <= low if strict_low else grid[0] < low):
        raise ValueError(f"{name} must all be {'>' if strict_low else '>='} {low:g}, got {grid[0]:g}")
    if high is not None and grid[-1] > high:
        raise ValueError(f"{name} must all be <= {high:g}, got {grid[-1]:g}")
    return grid


def frames(parameter: str, values: Any, **series: Any) -> Frames:
    """A :class:`Frames` from keyword arguments: ``frames("lambda", lambdas, inputs_kept=kept, ...)``.

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
    """
    if not series:
        raise ValueError("give at least one series measured along the grid, e.g. inputs_kept=[...]")
    return Frames(parameter, values, series)


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

    grid = _increasing("alphas", alphas, low=0, strict_low=True)
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
    from utils import linear

    from sklearn.linear_model import ElasticNet

    X = check_array("X", X, ndim=2, min_columns=1)
    y = check_array("y", y, ndim=1)
    check_same_length(X=X, y=y)
    strength = _positive("alpha", alpha)
    ratios = _increasing("l1_ratios", l1_ratios, low=0, strict_low=True, high=1)
    # One fit per l1_ratio at a fixed alpha: the same loop as a penalty path, over the other knob.
    coefs = linear.coefficient_path(lambda r: ElasticNet(alpha=strength, l1_ratio=r, max_iter=50_000), X, y, ratios)
    return frames("l1_ratio", ratios, coef=coefs)


def _positive(name: str, value: Any) -> float:
    return check_real(name, value, minimum=0, strict_minimum=True)


def _number(value: float) -> str:
    """Three significant digits, without an exponent from 0.001 to 99 999 (10000, not 1e+04)."""
    value = float(value)
    if value == 0 or 1e-3 <= abs(value) < 1e5:
        return np.format_float_positional(value, precision=3, unique=False, fractional=False, trim="-")
    return f"{value:.3g}"


KINDS = {
    "penalty_paths": ("lasso", "ridge"),
    "lambda_sweep": ("inputs_kept", "validation_loss"),
    "l1_ratio_group": ("coef",),
    "dropout_gap": ("train_loss", "validation_loss", "gap"),
}
"""Each explorer's kind and the series its :class:`Frames` must hold."""


def describe(kind: str, data: Frames, index: int, *, feature_names: Any = None, group: Any = None) -> str:
    """The sentence an explorer shows between its slider and its figure at ``data.values[index]``.

    It says in words what the figure shows, for readers of the figure and for screen readers (an
    ``ipywidgets.Image`` has no ``alt``; and giving it a ``tooltip`` stops JupyterLab 4.6 from drawing it:
    "Could not create a view", seen with jupyterlab_widgets 3.0.17).

    Parameters
    ----------
    kind : {"penalty_paths", "lambda_sweep", "l1_ratio_group", "dropout_gap"}
        Which explorer; ``data`` must hold the series of :data:`KINDS` ``[kind]``.
    data : Frames
    index : int
        Position on the grid, 0 to ``len(data) - 1``.
    feature_names : sequence of str, optional
        penalty_paths only: one name per coefficient; default ``x0, x1, ...``.
    group : array-like of int, optional
        l1_ratio_group only (required there): one group id per coefficient, -1 for none.

    Returns
    -------
    str
    """
    if not isinstance(kind, str) or kind not in KINDS:
        raise ValueError(f"kind must be one of {', '.join(map(repr, KINDS))}; got {kind!r}")
    if not isinstance(data, Frames):
        raise TypeError(f"data must be a Frames (from utils.explorers.frames), got {type(data).__name__}")
    missing = [key for key in KINDS[kind] if key not in data.series]
    if missing:
        raise ValueError(f"data for {kind!r} must hold the series {list(KINDS[kind])}; missing {missing}")
    if isinstance(index, bool | np.bool_) or not isinstance(index, int | np.integer) or not 0 <= index < len(data):
        raise ValueError(f"index must be a whole number from 0 to {len(data) - 1}, got {index!r}")
    for name, given, owner in (("feature_names", feature_names, "penalty_paths"), ("group", group, "l1_ratio_group")):
        if given is not None and kind != owner:
            raise ValueError(f"{name} is read by kind={owner!r} only, not by kind={kind!r}: leave it out")
    row, value = data.at(int(index)), _number(data.values[index])
    if kind == "penalty_paths":
        lasso, ridge = np.ravel(row["lasso"]), np.ravel(row["ridge"])
        names = [f"x{j}" for j in range(len(lasso))] if feature_names is None else \
            check_names("feature_names", feature_names, len(lasso), of="coefficients")
        zero = [n for n, c in zip(names, lasso, strict=True) if c == 0]
        return (f"alpha = {value}: the lasso keeps {len(names) - len(zero)} of {len(names)} coefficients"
                + (f" (exactly zero: {', '.join(zero)})" if 0 < len(zero) < len(names) else "")
                + f"; ridge keeps {int(np.count_nonzero(ridge))}. Sum of |coefficients|: ridge "
                f"{_number(np.abs(ridge).sum())}, lasso {_number(np.abs(lasso).sum())}.")
    if kind == "lambda_sweep":
        return (f"lambda = {value}: {int(round(float(np.mean(row['inputs_kept']))))} inputs kept, validation data "
                f"loss {_number(float(np.mean(row['validation_loss'])))}.")
    if kind == "l1_ratio_group":
        coef = np.ravel(row["coef"])
        group = check_array("group", group, ndim=1)
        if len(group) != len(coef):
            raise ValueError(f"group must give one id per coefficient ({len(coef)}), got {len(group)}")
        shown = sorted(g for g in set(group.tolist()) if g >= 0)
        kept = [int(np.count_nonzero(coef[group == g])) for g in shown]
        sizes = {int(np.sum(group == g)) for g in shown}
        of = f" (of {sizes.pop()} each)" if len(sizes) == 1 else ""
        return (f"l1_ratio = {value}: members kept per group {', '.join(map(str, kept))}{of}; "
                f"{int(np.count_nonzero(coef))} of {len(coef)} coefficients non-zero in all.")
    train, val = float(np.mean(row["train_loss"])), float(np.mean(row["validation_loss"]))
    return (f"dropout rate {value}: training loss {_number(train)}, validation loss {_number(val)}, "
            f"gap {_number(val - train)}.")


# ----------------------------------------------------------------------------------------------- widgets


def is_live(live: Any = None) -> bool:
    """Whether explorers draw widgets: ``live`` if given (True or False), else unless ``COURSE_PROGRESS=0``
    (a batch run: ``tasks.py execute``, the tests, the benchmark)."""
    if live is None:
        return progress.enabled()
    return check_bool("live", live)


class BatchNote:
    """What an explorer cell outputs in a batch run: one line of plain text, the same on every machine.

    Parameters
    ----------
    text : str
        The line, 10 to 400 characters.
    """

    def __init__(self, text: str) -> None:
        checked = check_str("text", text)
        assert checked is not None
        if not 10 <= len(checked.strip()) <= 400:
            raise ValueError(f"text must be a sentence of 10 to 400 characters, got {len(checked.strip())}")
        self.text = checked.strip()

    def __repr__(self) -> str:
        return self.text

    def __eq__(self, other: object) -> bool:
        return isinstance(other, BatchNote) and other.text == self.text

    def __hash__(self) -> int:
        return hash(self.text)


class _Explorer:
    """A figure drawn once and a slider that redraws only what moves, from precomputed rows.

    The builders return one; the notebook displays it as its widget (:attr:`widget`: the slider, a sentence,
    the image). The figure is laid out and drawn once without its ``moving`` artists, and that background is
    kept (blitting). The slider's callback, :meth:`update`, picks row ``index``, lets ``redraw`` set the
    moving artists' data, draws just those over the background and encodes the PNG.
    """

    def __init__(self, data: Frames, kind: str, figure: Any, moving: Sequence[Any], redraw: Callable[[int], None],
                 *, start: int, context: Mapping[str, Any] | None = None) -> None:
        import ipywidgets as widgets

        self.data, self.kind, self.figure, self._redraw = data, kind, figure, redraw
        self.context = dict(context or {})
        self.moving = list(moving)
        for artist in self.moving:
            artist.set_animated(True)  # left out of the full draw below, drawn by render()
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

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        return self.widget._repr_mimebundle_(**kwargs)

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
        self.readout.value = f"<p>{html.escape(text, quote=False)}</p>"


def _figure(ncols: int, width: float, height: float) -> tuple[Any, Any]:
    """A figure outside pyplot (so that the inline backend never shows it on its own), and its axes."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width, height), layout="constrained")
    FigureCanvasAgg(fig)
    axes = fig.subplots(1, ncols)
    return fig, axes


def _start(values: np.ndarray, start: Any, default: int) -> int:
    """The grid index nearest to ``start`` (on a log scale when the grid is positive); ``default`` if None."""
    if start is None:
        return default
    if np.all(values > 0):
        target = check_real("start", start, minimum=0, strict_minimum=True)
        return int(np.argmin(np.abs(np.log(values) - np.log(target))))
    target = check_real("start", start)
    return int(np.argmin(np.abs(values - target)))


def _grid_text(values: np.ndarray) -> str:
    return f"{len(values)} values from {_number(values[0])} to {_number(values[-1])}"


def _ring(ax: Any) -> Any:
    (ring,) = ax.plot([], [], marker="o", markersize=16, markerfacecolor="none", markeredgecolor="black",
                      markeredgewidth=2, linestyle="none")
    return ring


def _Xy(X: Any, y: Any) -> tuple[np.ndarray, np.ndarray]:
    X = check_array("X", X, ndim=2, min_rows=2, min_columns=1)
    y = check_array("y", y, ndim=1)
    check_same_length(X=X, y=y)
    return X, y


def penalty_paths(X: Any, y: Any, feature_names: Any, alphas: Any = None, *, start: Any = 1.0,
                  live: Any = None) -> _Explorer | BatchNote:
    """Lesson 02: a slider over alpha showing the lasso's and ridge's coefficient vectors at that alpha.

    Parameters
    ----------
    X, y : array-like
        Standardised features and the target (the lesson's ``X_all``, ``y_all``).
    feature_names : sequence of str
        One name per column of ``X``.
    alphas : array-like, optional
        The grid, > 0 and increasing; default ``np.logspace(-2, 4, 49)`` (8 values per decade).
    start : float, optional
        The alpha shown first (the nearest grid value); None: the middle of the grid.
    live : bool, optional
        Override the batch switch (see the module's docstring).

    Returns
    -------
    explorer or BatchNote
        Displayed as the widget in JupyterLab; a line of text in a batch run.
    """
    X, y = _Xy(X, y)
    names = check_names("feature_names", feature_names, X.shape[1])
    grid = np.logspace(-2, 4, 49) if alphas is None else _increasing("alphas", alphas, low=0, strict_low=True)
    first = _start(grid, start, len(grid) // 2)
    if not is_live(live):
        return BatchNote(f"Explorer: a slider over alpha ({_grid_text(grid)}) shows the lasso's and ridge's "
                         f"coefficients at that alpha. {BATCH_NOTE}")
    data = lasso_ridge_paths(X, y, grid)
    fig, ax = _figure(1, 8.5, 4.2)
    rows, height = np.arange(len(names)), 0.38
    ridge_bars = ax.barh(rows - height / 2, data.series["ridge"][first], height, color="C0", label="ridge")
    lasso_bars = ax.barh(rows + height / 2, data.series["lasso"][first], height, color="C1", hatch="//",
                         edgecolor="black", label="lasso (hatched)")
    limit = 1.05 * max(np.abs(data.series["lasso"]).max(), np.abs(data.series["ridge"]).max(), 1e-12)
    ax.set_xlim(-limit, limit)
    ax.set_yticks(rows, names)
    ax.invert_yaxis()
    ax.axvline(0, color="black", linewidth=0.8)
    ax.set_xlabel("coefficient (per SD of the feature)")
    fig.legend(handles=[ridge_bars, lasso_bars], loc="outside right upper", fontsize=9)
    title = ax.set_title(" ")

    def redraw(index: int) -> None:
        for bar, value in zip(ridge_bars, data.series["ridge"][index], strict=True):
            bar.set_width(value)
        for bar, value in zip(lasso_bars, data.series["lasso"][index], strict=True):
            bar.set_width(value)
        title.set_text(f"alpha = {_number(data.values[index])} (the same number weighs more in the lasso's "
                       "objective)")

    return _Explorer(data, "penalty_paths", fig, [*ridge_bars, *lasso_bars, title], redraw, start=first,
                     context={"feature_names": names})


def lambda_sweep(lambdas: Any, inputs_kept: Any, validation_loss: Any, *, chance: Any = None, start: Any = None,
                 live: Any = None) -> _Explorer | BatchNote:
    """Lesson 03: a slider over the lambda grid, the point ringed on inputs kept and on validation loss.

    Parameters
    ----------
    lambdas : array-like of shape (n,)
        The L1 strengths of the sweep, > 0 and increasing.
    inputs_kept, validation_loss : array-like of shape (n,)
        Measured at each lambda (the lesson's ``sweep`` columns).
    chance : float, optional
        The constant predictor's loss, drawn as a reference line (ln 2 for a balanced binary task).
    start : float, optional
        The lambda shown first (the nearest grid value); None: the middle of the grid.
    live : bool, optional
        Override the batch switch.

    Returns
    -------
    explorer or BatchNote
    """
    grid = _increasing("lambdas", lambdas, low=0, strict_low=True)
    kept = check_array("inputs_kept", inputs_kept, ndim=1)
    loss = check_array("validation_loss", validation_loss, ndim=1)
    check_same_length(lambdas=grid, inputs_kept=kept, validation_loss=loss)
    data = frames("lambda", grid, inputs_kept=kept, validation_loss=loss)
    level = None if chance is None else check_real("chance", chance, minimum=0)
    first = _start(grid, start, len(grid) // 2)
    if not is_live(live):
        return BatchNote(f"Explorer: a slider over the {len(data)} strengths of the sweep (lambda from "
                         f"{_number(grid[0])} to {_number(grid[-1])}) rings the inputs kept and the validation "
                         f"loss at that lambda. {BATCH_NOTE}")
    fig, axes = _figure(2, 10.5, 3.6)
    panels = [("inputs_kept", "inputs kept (pruned at lr)"), ("validation_loss", "validation data loss")]
    rings, lines = [], []
    for number, (ax, (key, ylabel)) in enumerate(zip(axes, panels, strict=True)):
        ax.plot(grid, data.series[key], marker="os"[number], linestyle="-", color=f"C{number}")
        if key == "validation_loss" and level is not None:
            ax.axhline(level, color="0.3", linestyle=":", linewidth=1.5, label=f"chance: {level:.3f}")
            ax.legend(loc="best", fontsize=9)
        rings.append(_ring(ax))
        lines.append(ax.axvline(grid[first], color="0.4", linestyle="--", linewidth=1))
        ax.set_xscale("log")
        ax.set_xlabel("L1 strength lambda (log scale)")
        ax.set_ylabel(ylabel)

    def redraw(index: int) -> None:
        x = grid[index]
        for ring, line, (key, _) in zip(rings, lines, panels, strict=True):
            ring.set_data([x], [data.series[key][index]])
            line.set_xdata([x, x])

    return _Explorer(data, "lambda_sweep", fig, [*rings, *lines], redraw, start=first)


def dropout_gap(rates: Any, train_loss: Any, validation_loss: Any, *, start: Any = None,
                live: Any = None) -> _Explorer | BatchNote:
    """Lesson 07: a slider over the dropout rates, showing both losses and the gap between them.

    Parameters
    ----------
    rates : array-like of shape (n,)
        Dropout rates, increasing, in [0, 1).
    train_loss, validation_loss : array-like of shape (n,)
        Data losses in inference mode at each rate (the lesson's ``gaps`` table).
    start : float, optional
        The rate shown first (the nearest); None: the first.
    live : bool, optional
        Override the batch switch.

    Returns
    -------
    explorer or BatchNote
    """
    grid = _increasing("rates", rates, low=0)
    if grid[-1] >= 1:
        raise ValueError(f"rates must lie in [0, 1), got {grid[-1]:g}")
    train = check_array("train_loss", train_loss, ndim=1)
    val = check_array("validation_loss", validation_loss, ndim=1)
    check_same_length(rates=grid, train_loss=train, validation_loss=val)
    data = frames("dropout rate", grid, train_loss=train, validation_loss=val, gap=val - train)
    first = _start(grid, start, 0)
    if not is_live(live):
        return BatchNote(f"Explorer: a slider over the {len(data)} dropout rates (from {_number(grid[0])} to "
                         f"{_number(grid[-1])}) shows the training and validation losses and the gap between "
                         f"them. {BATCH_NOTE}")
    fig, (left, right) = _figure(2, 10.5, 3.6)
    left.plot(grid, data.series["gap"], marker="D", color="C2")
    left.set_xlabel("dropout rate")
    left.set_ylabel("gap: validation - training loss")
    ring = _ring(left)
    bars = right.bar([0, 1], [train[first], val[first]], color=["C0", "C1"], edgecolor="black")
    bars[1].set_hatch("//")
    right.set_xticks([0, 1], ["training (solid)", "validation (hatched)"])
    top = max(float(train.max()), float(val.max()), 0.0)
    right.set_ylim(min(float(train.min()), float(val.min()), 0.0), 1.15 * top if top > 0 else 1.0)
    right.set_ylabel("data loss, inference mode")
    bracket = right.annotate("", xy=(0.5, val[first]), xytext=(0.5, train[first]),
                             arrowprops={"arrowstyle": "<->", "color": "black"})
    label = right.text(0.45, 0, " ", va="center", ha="right", bbox={"facecolor": "white", "edgecolor": "none"})
    title = right.set_title(" ")

    def redraw(index: int) -> None:
        row = data.at(index)
        ring.set_data([grid[index]], [row["gap"]])
        bars[0].set_height(row["train_loss"])
        bars[1].set_height(row["validation_loss"])
        bracket.xy, bracket.xyann = (0.5, row["validation_loss"]), (0.5, row["train_loss"])
        label.set_position((0.45, (row["train_loss"] + row["validation_loss"]) / 2))
        label.set_text(f"gap {_number(row['gap'])}")
        title.set_text(f"dropout rate {_number(grid[index])}")

    return _Explorer(data, "dropout_gap", fig, [ring, *bars, bracket, label, title], redraw, start=first)


def l1_ratio_group(X: Any, y: Any, group: Any, alpha: Any, l1_ratios: Any = None, *, start: Any = 1.0,
                   live: Any = None) -> _Explorer | BatchNote:
    """Lesson 05: a slider over l1_ratio showing the coefficients of each correlated group's members.

    Parameters
    ----------
    X, y : array-like
        The features and target (the lesson's ``groups.X_train``, ``groups.y_train``).
    group : array-like of shape (p,)
        The group id of each feature (whole numbers); features with an id >= 0 are shown, grouped (-1:
        independent, not shown).
    alpha : float
        The total strength, > 0, held fixed while the share of L1 moves (e.g. the cross-validated one).
    l1_ratios : array-like, optional
        The grid, increasing, in (0, 1]; default 0.05, 0.1, ..., 1.0 (20 values).
    start : float, optional
        The l1_ratio shown first (default 1.0: the lasso); None: the last.
    live : bool, optional
        Override the batch switch.

    Returns
    -------
    explorer or BatchNote
    """
    X, y = _Xy(X, y)
    ids = check_array("group", group, ndim=1)
    if len(ids) != X.shape[1] or np.any(ids != np.round(ids)):
        raise ValueError(f"group must give one whole-number id per column of X ({X.shape[1]}), got {len(ids)} "
                         "values" + (" with fractions" if len(ids) == X.shape[1] else ""))
    ids = ids.astype(int)
    shown = sorted(int(g) for g in set(ids.tolist()) if g >= 0)
    if not shown:
        raise ValueError("group must give at least one feature a group id >= 0")
    strength = _positive("alpha", alpha)
    ratios = np.round(np.linspace(0.05, 1.0, 20), 2) if l1_ratios is None else \
        _increasing("l1_ratios", l1_ratios, low=0, strict_low=True, high=1)
    first = _start(ratios, start, len(ratios) - 1)
    if not is_live(live):
        return BatchNote(f"Explorer: a slider over l1_ratio ({_grid_text(ratios)}, at a fixed alpha) shows the "
                         f"coefficients of the members of each of the {len(shown)} correlated groups. {BATCH_NOTE}")
    data = elastic_net_coefficients(X, y, strength, ratios)
    members = [np.flatnonzero(ids == g) for g in shown]
    positions = np.concatenate([np.arange(len(m)) + k * (max(map(len, members)) + 1.5) for k, m in enumerate(members)])
    order = np.concatenate(members)
    coefs = data.series["coef"][:, order]
    fig, ax = _figure(1, 8.5, 3.8)
    bars = ax.bar(positions, coefs[first], color=[f"C{k % 10}" for k, m in enumerate(members) for _ in m],
                  edgecolor="black")
    limit = 1.05 * max(float(np.abs(coefs).max()), 1e-12)
    ax.set_ylim(-limit if (coefs < 0).any() else 0, limit)
    starts = np.cumsum([0, *map(len, members)])
    ax.set_xticks([positions[a:b].mean() for a, b in zip(starts[:-1], starts[1:], strict=True)],
                  [f"group {g}" for g in shown])
    ax.axhline(0, color="black", linewidth=0.8)
    ax.set_ylabel("coefficient (per SD of the feature)")
    ax.set_xlabel("members of each group, side by side (the groups are told apart by position, not colour alone)")
    title = ax.set_title(" ")

    def redraw(index: int) -> None:
        for bar, value in zip(bars, coefs[index], strict=True):
            bar.set_height(value)
        title.set_text(f"l1_ratio = {_number(ratios[index])}, alpha = {_number(strength)}: one bar per member")

    return _Explorer(data, "l1_ratio_group", fig, [*bars, title], redraw, start=first, context={"group": ids})
