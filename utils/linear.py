"""Penalised linear models, measured: the lasso's alpha_max and entry order, coefficient paths, and the
one-standard-error rule for choosing a penalty by cross-validation."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from utils._validate import check_array, check_callable, check_names, check_same_length

import numpy as np
import pandas as pd


def _xy(X: Any, y: Any) -> tuple[np.ndarray, np.ndarray]:
    """Validate a feature matrix and its targets and return them as float64 arrays."""
    X = check_array("X", X, ndim=2, min_columns=1).astype(np.float64)
    y = check_array("y", y, ndim=1).astype(np.float64)
    check_same_length(X=X, y=y)
    return X, y


def lasso_alpha_max(X: Any, y: Any) -> float:
    """The smallest lasso penalty at which every coefficient is zero: ``max |X^T (y - mean y)| / n``.

    Valid for scikit-learn's ``Lasso`` objective ``(1/(2n)) ||y - Xw - b||^2 + alpha ||w||_1`` with an
    unpenalised intercept and centred (e.g. standardised) columns of ``X``.

    Parameters
    ----------
    X : array-like of shape (n, p)
        Centred features.
    y : array-like of shape (n,)
        Targets.

    Returns
    -------
    float
    """
    X, y = _xy(X, y)
    return float(np.max(np.abs(X.T @ (y - y.mean()))) / len(y))


def lasso_entry_order(X: Any, y: Any, feature_names: Sequence[str]) -> pd.DataFrame:
    """When each feature enters the exact lasso path (LARS), and whether it ever leaves it again.

    Parameters
    ----------
    X : array-like of shape (n, p)
        Centred features.
    y : array-like of shape (n,)
        Targets.
    feature_names : sequence of str
        One name per column.

    Returns
    -------
    pandas.DataFrame
        One row per feature in order of entry (largest penalty first), with ``enters_at`` (the penalty
        below which it is non-zero), ``leaves_at`` and ``re_enters_at`` (NaN unless the feature drops out of
        the model again at a smaller penalty).
    """
    from sklearn.linear_model import lars_path

    X, y = _xy(X, y)
    names = check_names("feature_names", feature_names, X.shape[1])
    alphas, _, coefs = lars_path(X, y - y.mean(), method="lasso")
    nonzero = coefs != 0  # (p, n_knots); knots run from the largest penalty down
    rows = []
    for j, name in enumerate(names):
        on = np.flatnonzero(nonzero[j])
        if not len(on):
            rows.append({"feature": name, "enters_at": np.nan, "leaves_at": np.nan, "re_enters_at": np.nan})
            continue
        first = on[0]
        off_after = np.flatnonzero(~nonzero[j, first:])
        leaves = re_enters = np.nan
        if len(off_after):
            k = first + off_after[0]
            leaves = alphas[k]  # zero from this knot on
            back = np.flatnonzero(nonzero[j, k:])
            re_enters = alphas[k + back[0] - 1] if len(back) else np.nan
        rows.append({"feature": name, "enters_at": alphas[first - 1], "leaves_at": leaves, "re_enters_at": re_enters})
    table = pd.DataFrame(rows).sort_values("enters_at", ascending=False, na_position="last")
    return table.reset_index(drop=True)


def coefficient_path(make_model: Callable[[float], Any], X: Any, y: Any, alphas: Any) -> np.ndarray:
    """Fit one model per penalty and stack the coefficients.

    Parameters
    ----------
    make_model : callable
        ``make_model(alpha)`` returns an unfitted scikit-learn linear model (or a pipeline ending in one).
    X : array-like of shape (n, p)
    y : array-like of shape (n,)
    alphas : array-like of shape (n_alphas,)
        Penalties (> 0).

    Returns
    -------
    numpy.ndarray of shape (n_alphas, p)
    """
    check_callable("make_model", make_model, of="alpha", example="lambda a: Lasso(alpha=a)")
    X = check_array("X", X, ndim=2, min_columns=1)
    y = check_array("y", y, ndim=1)
    check_same_length(X=X, y=y)
    alphas = check_array("alphas", alphas, ndim=1)
    if np.any(alphas <= 0):
        raise ValueError("alphas must all be > 0")
    rows = []
    for alpha in alphas:
        model = make_model(float(alpha))
        if not hasattr(model, "fit"):
            raise TypeError(
                f"make_model must return an unfitted scikit-learn model such as Lasso(alpha=a), got {type(model).__name__}"
            )
        model = model.fit(X, y)
        final = model[-1] if hasattr(model, "steps") else model
        if not hasattr(final, "coef_"):
            raise TypeError(f"make_model must return a linear model (one with coef_), got {type(final).__name__}")
        rows.append(np.ravel(final.coef_))
    return np.vstack(rows)


def one_standard_error_alpha(cv_model: Any) -> float:
    """The largest penalty whose cross-validated error is within one standard error of the minimum.

    Parameters
    ----------
    cv_model : fitted LassoCV or ElasticNetCV (with one l1_ratio)
        Its ``mse_path_`` (penalties by folds) and ``alphas_`` are read.

    Returns
    -------
    float
        At least ``cv_model.alpha_``: a simpler model whose error is statistically indistinguishable.
    """
    if not hasattr(cv_model, "mse_path_") or not hasattr(cv_model, "alphas_"):
        raise TypeError("cv_model must be a fitted LassoCV or ElasticNetCV (it needs mse_path_ and alphas_)")
    mse = np.asarray(cv_model.mse_path_)
    alphas = np.asarray(cv_model.alphas_)
    if mse.ndim != 2 or alphas.ndim != 1:
        raise ValueError("cv_model must have been fitted with a single l1_ratio (mse_path_ of penalties by folds)")
    if mse.shape[0] != len(alphas) or mse.shape[1] < 2 or not np.all(np.isfinite(mse)):
        raise ValueError(
            f"cv_model must hold finite errors for each of its {len(alphas)} penalties on at least 2 folds; "
            f"its mse_path_ has shape {mse.shape}"
        )
    mean = mse.mean(axis=1)
    se = mse.std(axis=1, ddof=1) / np.sqrt(mse.shape[1])
    best = int(np.argmin(mean))
    return float(alphas[mean <= mean[best] + se[best]].max())
