"""The course's plotting style and the figures more than one lesson draws.

Call :func:`set_style` once at the top of a notebook. Every helper draws on an ``Axes`` (a new one
unless ``ax`` is given), labels its axes with units, tells series apart by marker or line style as well
as colour (seaborn's colour-blind-safe palette), and returns the ``Axes``. Line styles are chosen where
they carry meaning (each helper sets them), never by the style's property cycle: a cycle would also dash
the lines libraries draw for other purposes, such as the error bars of ``seaborn.pointplot``.
"""

from __future__ import annotations

import base64
import io
from collections.abc import Mapping, Sequence
from typing import Any

from utils._validate import (
    check_array,
    check_bool,
    check_choice,
    check_int,
    check_names,
    check_real,
    check_str,
)

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import seaborn as sns
from cycler import cycler

PALETTE = "colorblind"
MARKERS = ("o", "s", "^", "D", "v", "P", "X", "*")
LINESTYLES = ("-", "--", ":", "-.")
MAX_BINS = 1_000
"""Most histogram bins: more draws nothing more on screen, and 10**9 would hang."""
DPI = 80
"""Inline figures are drawn at this resolution: sharp enough on screen, and keeps notebooks small."""


def set_style() -> None:
    """Apply the course style: seaborn ``whitegrid``, colour-blind-safe palette, readable font sizes, a
    modest figure size and resolution.

    The property cycle holds colours only. Every line drawn without an explicit ``linestyle`` is solid:
    error bars (``seaborn.pointplot``, ``Axes.errorbar``) and reference lines included. The helpers here
    (and lessons, with :data:`LINESTYLES`) set line styles explicitly where they tell series apart.
    """
    sns.set_theme(context="notebook", style="whitegrid", palette=PALETTE)
    colors = sns.color_palette(PALETTE, n_colors=len(LINESTYLES) * 2)
    mpl.rcParams.update(
        {
            "figure.figsize": (6.4, 4.0),
            "figure.dpi": DPI,
            "savefig.dpi": DPI,
            "axes.titlesize": 13,
            "axes.labelsize": 12,
            "legend.fontsize": 10,
            "legend.frameon": True,
            "lines.linewidth": 2.0,
            "lines.markersize": 6,
            "axes.prop_cycle": cycler(color=colors),
            "lines.linestyle": "-",
        }
    )


def _axes(ax: Any) -> plt.Axes:
    if ax is None:
        return plt.subplots()[1]
    if not isinstance(ax, plt.Axes):
        raise TypeError(f"ax must be a matplotlib Axes or None, got {type(ax).__name__}")
    return ax


def plot_learning_curves(
    history: pd.DataFrame,
    *,
    metric: str = "data_loss",
    by: str | None = None,
    ax: plt.Axes | None = None,
    ylabel: str | None = None,
    log_y: bool = False,
) -> plt.Axes:
    """Training and validation curves of one metric against the epoch.

    Training is drawn solid with filled markers, validation dashed with hollow markers (so the two differ in the
    legend too, where a short dashed sample can look solid); with ``by``, each model gets its own colour and marker.

    Parameters
    ----------
    history : pandas.DataFrame
        Tidy history from :func:`utils.training.fit` (columns ``epoch``, ``split``, ``metric``, ``value``),
        possibly several concatenated with an extra column naming the model.
    metric : str, default "data_loss"
        Which metric to draw.
    by : str, optional
        Column that tells models apart (e.g. ``"model"``).
    ax : matplotlib Axes, optional
    ylabel : str, optional
        Axis label; default: the metric's name.
    log_y : bool, default False
        Logarithmic y axis (for losses that fall towards 0).

    Returns
    -------
    matplotlib Axes
    """
    if not isinstance(history, pd.DataFrame) or not {"epoch", "split", "metric", "value"} <= set(history):
        raise TypeError("history must be a tidy DataFrame from utils.training.fit")
    check_str("metric", metric)
    check_str("by", by, optional=True)
    check_str("ylabel", ylabel, optional=True)
    log_y = check_bool("log_y", log_y)
    if metric not in set(history["metric"]):
        raise ValueError(f"metric {metric!r} is not in this history; it has {sorted(history['metric'].unique())}")
    if by is not None and by not in history:
        raise ValueError(f"by={by!r} is not a column of history; columns are {list(history.columns)}")
    ax = _axes(ax)
    rows = history[history["metric"] == metric]
    groups = [(None, rows)] if by is None else list(rows.groupby(by, sort=False))
    colors = sns.color_palette(PALETTE, n_colors=max(len(groups), 1))
    for i, (name, frame) in enumerate(groups):
        for split, style, face in (("train", "-", colors[i]), ("validation", "--", "white")):
            part = frame[frame["split"] == split].sort_values("epoch")
            if part.empty:
                continue
            label = split if name is None else f"{name} ({split})"
            ax.plot(
                part["epoch"], part["value"], linestyle=style, color=colors[i], marker=MARKERS[i % len(MARKERS)],
                markerfacecolor=face, markevery=max(len(part) // 8, 1), label=label,
            )
    ax.set_xlabel("epoch (passes over the training set)")
    ax.set_ylabel(ylabel or metric.replace("_", " "))
    if log_y:
        ax.set_yscale("log")
    ax.legend()
    return ax


def plot_coefficient_paths(
    alphas: Any,
    coefs: Any,
    *,
    feature_names: Sequence[str] | None = None,
    ax: plt.Axes | None = None,
    xlabel: str = "penalty strength alpha (log scale)",
    ylabel: str = "coefficient (per standard deviation of the feature)",
    label_top: int = 5,
) -> plt.Axes:
    """Each coefficient against the penalty strength, on a log axis.

    Parameters
    ----------
    alphas : array-like of shape (n_alphas,)
        Penalty strengths (> 0).
    coefs : array-like of shape (n_alphas, n_features)
        Coefficients fitted at each strength.
    feature_names : sequence of str, optional
        Names; the ``label_top`` largest at the weakest penalty are labelled in the legend.
    ax : matplotlib Axes, optional
    xlabel, ylabel : str
        Axis labels.
    label_top : int, default 5
        How many features get a legend entry (the rest are drawn thin and grey).

    Returns
    -------
    matplotlib Axes
    """
    alphas = check_array("alphas", alphas, ndim=1)
    coefs = check_array("coefs", coefs, ndim=2)
    if coefs.shape[0] != len(alphas):
        raise ValueError(f"coefs has {coefs.shape[0]} rows but there are {len(alphas)} alphas (one row per alpha)")
    if np.any(alphas <= 0):
        raise ValueError("alphas must all be > 0 to be drawn on a log scale")
    names = (
        check_names("feature_names", feature_names, coefs.shape[1], of="coefficients")
        if feature_names is not None
        else [f"x{i}" for i in range(coefs.shape[1])]
    )
    check_str("xlabel", xlabel)
    check_str("ylabel", ylabel)
    label_top = check_int("label_top", label_top, minimum=0, maximum=100)
    ax = _axes(ax)
    order = np.argsort(-np.abs(coefs[np.argmin(alphas)]), kind="stable")
    labelled = set(order[: max(label_top, 0)].tolist())
    colors = sns.color_palette(PALETTE, n_colors=max(label_top, 1))
    for rank, j in enumerate(order):
        if j in labelled:
            ax.plot(alphas, coefs[:, j], color=colors[rank % len(colors)], linestyle=LINESTYLES[rank % 4],
                    marker=MARKERS[rank % len(MARKERS)], markevery=max(len(alphas) // 6, 1), label=names[j])
        else:
            ax.plot(alphas, coefs[:, j], color="0.6", linewidth=1.0, linestyle="-")
    ax.set_xscale("log")
    ax.axhline(0.0, color="black", linewidth=0.8)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    if labelled:
        ax.legend(title="largest coefficients", loc="upper left", bbox_to_anchor=(1.02, 1.0), borderaxespad=0)
    return ax


def plot_weight_histograms(
    weights: Mapping[str, Any],
    *,
    ax: plt.Axes | None = None,
    bins: int = 40,
    scale: str = "log",
) -> plt.Axes:
    """Histograms of weight magnitudes, one per model, as step outlines with different line styles.

    On the log scale, exact zeros cannot be drawn; they are counted in the legend instead.

    Parameters
    ----------
    weights : mapping of str to array-like
        Label to weights (e.g. ``{"no penalty": w0, "L2": w2}``).
    ax : matplotlib Axes, optional
    bins : int, default 40
    scale : {"log", "linear"}, default "log"
        ``"log"`` draws ``|w|`` on a log axis; ``"linear"`` draws ``w`` itself.

    Returns
    -------
    matplotlib Axes
    """
    if not isinstance(weights, Mapping) or not weights:
        raise TypeError("weights must be a non-empty dict of label -> array of weights")
    check_choice("scale", scale, ("log", "linear"))
    bins = check_int("bins", bins, minimum=2, maximum=MAX_BINS)
    from utils.measures import _flat_weights

    flats = {str(k): _flat_weights(v, f"weights[{k!r}]").astype(np.float64) for k, v in weights.items()}
    ax = _axes(ax)
    if scale == "log":
        nonzero = np.concatenate([np.abs(w[w != 0]) for w in flats.values()])
        if nonzero.size == 0:
            raise ValueError("every weight is exactly zero: nothing to draw on a log scale")
        low, high = np.log10(nonzero.min()), np.log10(nonzero.max())
        if low == high:  # every magnitude equal: one decade around it, so that the bins have a width
            low, high = low - 0.5, high + 0.5
        edges = np.logspace(low, high, bins + 1)
    else:
        every = np.concatenate(list(flats.values()))
        if every.size == 0:
            raise ValueError("weights holds no values: nothing to draw")
        low, high = every.min(), every.max()
        if low == high:  # every weight equal: a unit-wide range around it
            low, high = low - 0.5, high + 0.5
        edges = np.linspace(low, high, bins + 1)
    colors = sns.color_palette(PALETTE, n_colors=len(flats))
    for i, (label, w) in enumerate(flats.items()):
        values = np.abs(w[w != 0]) if scale == "log" else w
        zeros = int(np.count_nonzero(w == 0))
        note = f" ({zeros} exact zeros not drawn)" if scale == "log" and zeros else ""
        ax.hist(values, bins=edges, histtype="step", linewidth=2, color=colors[i],
                linestyle=LINESTYLES[i % len(LINESTYLES)], label=f"{label}{note}")
    if scale == "log":
        ax.set_xscale("log")
        ax.set_xlabel("weight magnitude |w| (log scale)")
    else:
        ax.set_xlabel("weight value w")
    ax.set_ylabel("number of weights")
    ax.legend()
    return ax


def plot_curves(
    x: Any,
    curves: Mapping[str, Any],
    *,
    xlabel: str,
    ylabel: str,
    ax: plt.Axes | None = None,
    log_x: bool = False,
    log_y: bool = False,
    mark: Any = None,
    mark_label: str | None = None,
) -> plt.Axes:
    """Several curves over one x axis, each with its own colour, marker and line style.

    Parameters
    ----------
    x : array-like of shape (n,)
        Shared x values (e.g. degrees, penalty strengths, training-set sizes).
    curves : mapping of str to array-like of shape (n,)
        Label to y values.
    xlabel, ylabel : str
        Axis labels: what is measured, with its unit.
    ax : matplotlib Axes, optional
    log_x, log_y : bool, default False
        Logarithmic axes.
    mark : float, optional
        An x value to mark with a vertical dotted line (e.g. the best degree).
    mark_label : str, optional
        Legend label of that line.

    Returns
    -------
    matplotlib Axes
    """
    x = check_array("x", x, ndim=1)
    if not isinstance(curves, Mapping) or not curves:
        raise TypeError("curves must be a non-empty dict of label -> y values")
    for label, y in curves.items():
        if len(check_array(f"curves[{label!r}]", y, ndim=1)) != len(x):
            raise ValueError(f"curves[{label!r}] has {len(y)} values for {len(x)} x values")
    if not isinstance(xlabel, str) or not isinstance(ylabel, str):
        raise TypeError("xlabel and ylabel must be strings naming what is measured and its unit")
    log_x, log_y = check_bool("log_x", log_x), check_bool("log_y", log_y)
    if log_x and np.any(x <= 0):
        raise ValueError("x must be > 0 everywhere for log_x=True: a log axis cannot show 0 or negative values")
    if mark is not None:
        mark = check_real("mark", mark)
    check_str("mark_label", mark_label, optional=True)
    ax = _axes(ax)
    colors = sns.color_palette(PALETTE, n_colors=len(curves))
    for i, (label, y) in enumerate(curves.items()):
        ax.plot(x, np.asarray(y, dtype=float), color=colors[i], linestyle=LINESTYLES[i % len(LINESTYLES)],
                marker=MARKERS[i % len(MARKERS)], markevery=max(len(x) // 12, 1), label=label)
    if mark is not None:
        ax.axvline(float(mark), color="0.3", linestyle=":", linewidth=1.5, label=mark_label)
    if log_x:
        ax.set_xscale("log")
        if np.all(np.equal(np.mod(x, 1), 0)) and np.all(x > 0):  # counts: label values drawn, plainly
            ticks: list[float] = []
            for value in np.sort(x):  # skip values too close to the previous label to be read
                if not ticks or np.log10(value / ticks[-1]) >= 0.15:
                    ticks.append(float(value))
            ax.set_xticks(ticks, [f"{int(v)}" for v in ticks])
            ax.xaxis.set_minor_formatter(mpl.ticker.NullFormatter())
    if log_y:
        ax.set_yscale("log")
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    if len(curves) > 3:  # many curves: keep the legend off the data
        ax.legend(loc="upper left", bbox_to_anchor=(1.02, 1.0), borderaxespad=0)
    else:
        ax.legend()
    return ax


def show(fig: Any = None, *, alt: str) -> None:
    """Show a figure in the notebook with a text alternative, and close it.

    Every lesson shows its figures with this, never with ``plt.show()``: the PNG output carries ``alt`` in its
    metadata (the static site turns it into ``<img alt>``, screen readers read it) and as its plain-text form
    (what a reader without images, or nbval, sees).

    Parameters
    ----------
    fig : matplotlib.figure.Figure, optional
        The figure; default: the current one (``plt.gcf()``). An empty figure, or no figure open, is refused
        (it would show a blank image under a text describing a figure).
    alt : str
        What the figure shows, in one or two sentences: the axes, the series and the shape that matters,
        e.g. ``"Validation loss against penalty strength (log scale): high at both ends, lowest near 1e-3."``.
        10 to 1,000 characters.
    """
    text = check_str("alt", alt)
    assert text is not None
    text = " ".join(text.split())
    if not 10 <= len(text) <= 1_000:
        raise ValueError(
            f"alt must say what the figure shows in 10 to 1,000 characters, got {len(text)} characters: {alt!r}"[:300]
        )
    if fig is None:
        if not plt.get_fignums():
            raise ValueError(
                "fig: no figure is open, so there is nothing to show (was it shown or closed already?); "
                "draw the figure first, e.g. fig, ax = plt.subplots(), or pass fig=..."
            )
        fig = plt.gcf()
    elif not isinstance(fig, mpl.figure.Figure):
        raise TypeError(f"fig must be a matplotlib Figure or None, got {type(fig).__name__}")
    if not fig.get_children()[1:]:  # only the background patch: a blank image
        raise ValueError("fig is empty (no axes, no text): there is nothing to show; draw on it first")
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=DPI, bbox_inches="tight")
    plt.close(fig)
    from IPython.display import display

    display(
        {"image/png": base64.b64encode(buffer.getvalue()).decode("ascii"), "text/plain": f"[Figure: {text}]"},
        raw=True,
        metadata={"image/png": {"alt": text}},
    )
