"""Measures of what a penalty did to a model: weight norms, zero counts, which inputs a model keeps,
and how well those match a known ground truth."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from numbers import Real
from typing import Any

from utils._validate import check_array, check_choice, check_int, check_real, check_sequence

import numpy as np
import pandas as pd


def _flat_weights(weights: Any, name: str = "weights") -> np.ndarray:
    """Accept a Keras model (its Dense kernels), a dict or list of arrays, or one array."""
    try:
        import keras

        if isinstance(weights, keras.Model):
            from utils.models import dense_kernels

            weights = list(dense_kernels(weights).values())
    except ImportError:  # pragma: no cover - keras is always installed in the course environment
        pass
    if isinstance(weights, Mapping):
        weights = list(weights.values())
    if isinstance(weights, list | tuple) and weights and all(np.ndim(w) >= 1 for w in weights):
        return np.concatenate([check_array(name, w, min_rows=0).ravel() for w in weights])
    return check_array(name, weights, min_rows=0).ravel()


def _first_kernel(weights: Any) -> Any:
    """A model's first Dense kernel, or the first of a dict of kernels (as :func:`utils.models.dense_kernels`
    returns); anything else is returned as it is."""
    try:
        import keras

        if isinstance(weights, keras.Model):
            from utils.models import dense_kernels

            return next(iter(dense_kernels(weights).values()))
    except ImportError:  # pragma: no cover - keras is always installed in the course environment
        pass
    if isinstance(weights, Mapping):
        if not weights:
            raise ValueError("weights is an empty dict; give a model, a kernel, or utils.models.dense_kernels(model)")
        return next(iter(weights.values()))
    return weights


def weight_norm(weights: Any, *, ord: int = 2) -> float:
    """The L1 or L2 norm of all the given weights taken together.

    Parameters
    ----------
    weights : keras.Model, array-like, or list/dict of arrays
        A model stands for the kernels of its Dense layers (biases left out, as penalties leave them out).
    ord : {1, 2}, default 2
        1: sum of absolute values; 2: square root of the sum of squares.

    Returns
    -------
    float
    """
    if isinstance(ord, bool) or not isinstance(ord, Real) or ord not in (1, 2):
        raise ValueError(f"ord must be 1 or 2, got {ord!r}")
    flat = _flat_weights(weights).astype(np.float64)
    with np.errstate(over="ignore"):
        norm = float(np.abs(flat).sum() if ord == 1 else np.sqrt(np.square(flat).sum()))
    if not np.isfinite(norm):  # huge weights overflow the sum: scale by the largest first
        top = float(np.max(np.abs(flat)))
        scaled = flat / top
        norm = top * float(np.abs(scaled).sum() if ord == 1 else np.sqrt(np.square(scaled).sum()))
    return norm


def count_zeros(weights: Any, *, tol: float = 0.0) -> int:
    """How many weights are exactly zero (``tol=0``) or within ``tol`` of zero.

    Parameters
    ----------
    weights : keras.Model, array-like, or list/dict of arrays
    tol : float, default 0.0
        0 counts exact zeros only; e.g. 1e-3 counts near-zeros too.

    Returns
    -------
    int
    """
    tol = check_real("tol", tol, minimum=0.0)
    flat = _flat_weights(weights)
    return int(np.count_nonzero(flat == 0 if tol == 0 else np.abs(flat) <= tol))


def sparsity_table(weights: Any, *, tols: Sequence[float] = (0.0, 1e-6, 1e-3)) -> pd.DataFrame:
    """Counts and fractions of weights at or near zero, one row per tolerance.

    Parameters
    ----------
    weights : keras.Model, array-like, or list/dict of arrays
    tols : sequence of float, default (0, 1e-6, 1e-3)

    Returns
    -------
    pandas.DataFrame
        Columns ``tolerance``, ``count``, ``fraction``, ``of``.
    """
    tols = check_sequence("tols", tols, what="tolerances (>= 0)", example="(0, 1e-3)")
    if not tols:
        raise ValueError("tols must not be empty; give tolerances such as (0, 1e-3)")
    tols = [check_real("each item of tols", tol, minimum=0.0) for tol in tols]
    flat = _flat_weights(weights)
    rows = []
    for tol in tols:
        count = count_zeros(flat, tol=tol)
        rows.append({"tolerance": float(tol), "count": count, "fraction": count / max(flat.size, 1), "of": flat.size})
    return pd.DataFrame(rows)


def input_importance(weights: Any) -> np.ndarray:
    """How much each input feeds forward: the L2 norm of its row in the first Dense kernel.

    Parameters
    ----------
    weights : keras.Model, dict of kernels, or array-like of shape (n_inputs, n_units)
        A model (its first Dense layer), :func:`utils.models.dense_kernels` of one (its first kernel),
        or the kernel itself.

    Returns
    -------
    numpy.ndarray of shape (n_inputs,)
    """
    kernel = check_array("weights", _first_kernel(weights), ndim=(1, 2))
    return np.abs(kernel) if kernel.ndim == 1 else np.sqrt(np.square(kernel.astype(np.float64)).sum(axis=1))


def kept_inputs(weights: Any, *, threshold: float = 0.0) -> np.ndarray:
    """Indices of the inputs that still feed the network: those with at least one outgoing weight in the
    first Dense kernel larger than ``threshold`` in size (0: any non-zero weight).

    Parameters
    ----------
    weights : keras.Model, dict of kernels, or array-like of shape (n_inputs, n_units)
        As for :func:`input_importance`.
    threshold : float, default 0.0

    Returns
    -------
    numpy.ndarray of int
    """
    threshold = check_real("threshold", threshold, minimum=0.0)
    kernel = check_array("weights", _first_kernel(weights), ndim=2)
    return np.flatnonzero((np.abs(kernel) > threshold).any(axis=1))


def select_features(
    importance: Any, *, top: int | None = None, threshold: float | None = None
) -> np.ndarray:
    """Indices of the inputs a model keeps: the ``top`` most important, or those above ``threshold``.

    Parameters
    ----------
    importance : array-like of shape (n_features,)
        E.g. from :func:`input_importance` or ``abs(coef_)``.
    top : int, optional
        Keep this many.
    threshold : float, optional
        Keep those with importance strictly above this (0 keeps every non-zero).

    Returns
    -------
    numpy.ndarray of int
        Sorted indices.
    """
    importance = check_array("importance", importance, ndim=1)
    if (top is None) == (threshold is None):
        raise ValueError("give exactly one of top (how many to keep) or threshold (keep those above it)")
    if top is not None:
        top = check_int("top", top, minimum=1)
        if top > len(importance):
            raise ValueError(f"top={top} but importance has only {len(importance)} entries to choose from")
        return np.sort(np.argsort(-np.abs(importance), kind="stable")[:top])
    threshold = check_real("threshold", threshold, minimum=0.0)
    return np.flatnonzero(np.abs(importance) > threshold)


def feature_recovery(selected: Any, true: Any, *, n_features: int | None = None) -> dict[str, float]:
    """Precision and recall of a set of selected features against the known true ones.

    Parameters
    ----------
    selected : array-like of int, or boolean mask
        Indices (or a mask) of the features a model keeps.
    true : array-like of int, or boolean mask
        Indices (or a mask) of the features that truly matter.
    n_features : int, optional
        Total number of features, to check indices against.

    Returns
    -------
    dict
        ``precision`` (share of selected that are true; 0 when nothing is selected), ``recall`` (share of
        true that are selected), ``n_selected``, ``n_true``, ``true_positives``.
    """

    if n_features is not None:
        n_features = check_int("n_features", n_features, minimum=1)
    arrays = {name: check_array(name, value, ndim=1, min_rows=0) for name, value in (("selected", selected), ("true", true))}
    masks = {name: len(array) for name, array in arrays.items() if array.dtype == bool}
    if n_features is not None:
        for name, length in masks.items():
            if length != n_features:
                raise ValueError(f"{name} is a mask of length {length}, expected n_features = {n_features}")
    elif len(set(masks.values())) > 1:
        raise ValueError(
            f"selected and true are boolean masks of different lengths ({masks['selected']} and {masks['true']}); "
            "both must have one entry per feature"
        )
    limit, source = (n_features, "n_features") if n_features is not None else (
        (next(iter(masks.values())), f"the mask {next(iter(masks))}") if masks else (None, "")
    )

    def as_index(name: str, array: np.ndarray) -> set[int]:
        if array.dtype == bool:
            return {int(i) for i in np.flatnonzero(array)}
        if array.size and (not np.all(np.equal(np.mod(array, 1), 0)) or array.min() < 0):
            raise ValueError(f"{name} must hold non-negative integer indices or be a boolean mask")
        if limit is not None and array.size and array.max() >= limit:
            raise ValueError(f"{name} has index {int(array.max())}, but {source} allows only {limit} features")
        return {int(i) for i in array}

    chosen, truth = as_index("selected", arrays["selected"]), as_index("true", arrays["true"])
    if not truth:
        raise ValueError("true is empty: recall needs at least one truly relevant feature")
    hits = len(chosen & truth)
    return {
        "precision": hits / len(chosen) if chosen else 0.0,
        "recall": hits / len(truth),
        "n_selected": len(chosen),
        "n_true": len(truth),
        "true_positives": hits,
    }


def compare_to_reference(values: Any, reference: Any, *, kind: str = "max_abs") -> float:
    """How far ``values`` are from ``reference``: the largest absolute or relative difference.

    Parameters
    ----------
    values, reference : array-like of the same shape
    kind : {"max_abs", "max_rel"}, default "max_abs"
        ``max_rel`` divides by ``max(|reference|)``.

    Returns
    -------
    float
    """
    values = check_array("values", values, min_rows=0).astype(np.float64)
    reference = check_array("reference", reference, min_rows=0).astype(np.float64)
    if values.shape != reference.shape:
        raise ValueError(f"values has shape {values.shape} but reference has {reference.shape}")
    check_choice("kind", kind, ("max_abs", "max_rel"))
    gap = float(np.max(np.abs(values - reference))) if values.size else 0.0
    if kind == "max_rel":
        scale = float(np.max(np.abs(reference))) if reference.size else 0.0
        if scale == 0:
            raise ValueError("reference is all zeros: a relative difference is undefined; use kind='max_abs'")
        gap /= scale
    return gap
