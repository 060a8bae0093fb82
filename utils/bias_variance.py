"""Under- and overfitting, measured: polynomial models of chosen complexity, their errors by complexity,
learning curves, and the bias-variance decomposition estimated by refitting on many fresh training sets
drawn from a known truth."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

from utils._validate import check_array, check_callable, check_int, check_int_sequence, check_real, check_rng
from utils.data import MAX_DRAWS, MAX_NOISE_SD, Split, sample_function

import numpy as np
import pandas as pd
from sklearn.linear_model import LinearRegression, Ridge
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.preprocessing import FunctionTransformer, MinMaxScaler, StandardScaler

MAX_DEGREE = 30
"""Highest polynomial degree the course fits (a guard against typos such as 300)."""


def polynomial_model(degree: int, *, alpha: float | None = None) -> Pipeline:
    """A polynomial regression of the given degree: x mapped onto [-1, 1], Legendre polynomials of it up
    to ``degree``, standardised, then least squares (or ridge, with ``alpha``).

    The Legendre basis spans the same polynomials as the powers ``x, x**2, ...``, but its columns stay far
    from collinear, so least squares keeps full rank: a higher degree never fits its own training set worse
    while there are comfortably more points than coefficients (tested: 30 random points, degrees up to 20).
    With raw powers of x on [0, 1] the solver silently dropped directions from degree 11 or so on, and the
    training error rose with the degree. The map onto [-1, 1] uses the training inputs' range, as
    :meth:`numpy.polynomial.Polynomial.fit` does.

    Parameters
    ----------
    degree : int
        Highest power of x (>= 1): the model's complexity.
    alpha : float, optional
        Ridge penalty (scikit-learn's ``alpha``, > 0); ``None`` for plain least squares.

    Returns
    -------
    sklearn.pipeline.Pipeline
        Unfitted; fits one-column ``X`` and one or many target columns.
    """
    degree = check_int("degree", degree, minimum=1, maximum=MAX_DEGREE)
    head = LinearRegression() if alpha is None else Ridge(alpha=check_real("alpha", alpha, minimum=0, strict_minimum=True))
    # float32 inputs lose precision at high degrees: compute in float64.
    return make_pipeline(
        FunctionTransformer(_as_float64),
        MinMaxScaler(feature_range=(-1, 1)),
        FunctionTransformer(_legendre_features, kw_args={"degree": degree}),
        StandardScaler(),
        head,
    )


def _as_float64(X: Any) -> np.ndarray:
    return np.asarray(X, dtype=np.float64)


def _legendre_features(X: np.ndarray, degree: int) -> np.ndarray:
    """Legendre polynomials P_1 .. P_degree of every input column (P_0, the constant, is the intercept's)."""
    X = np.asarray(X, dtype=np.float64)
    return np.hstack([np.polynomial.legendre.legvander(X[:, j], degree)[:, 1:] for j in range(X.shape[1])])


def _mse(y: np.ndarray, p: np.ndarray) -> float:
    return float(np.mean((np.asarray(y, dtype=float).reshape(p.shape) - p) ** 2))


def errors_by_degree(split: Split, degrees: Sequence[int]) -> pd.DataFrame:
    """Training and validation mean squared error of a polynomial fit of each degree.

    Parameters
    ----------
    split : Split
        One input column (e.g. :func:`utils.data.load_noisy_cosine`).
    degrees : sequence of int
        Degrees to fit.

    Returns
    -------
    pandas.DataFrame
        Columns ``degree``, ``train_mse``, ``validation_mse``.
    """
    if not isinstance(split, Split):
        raise TypeError(f"split must be a utils.data.Split, got {type(split).__name__}")
    if split.n_features != 1:
        raise ValueError(f"errors_by_degree needs one input column, this split has {split.n_features}")
    degrees = check_int_sequence("degrees", degrees, minimum=1, maximum=MAX_DEGREE, example="range(1, 13)")
    rows = []
    for degree in degrees:
        model = polynomial_model(degree).fit(split.X_train, split.y_train)
        rows.append(
            {
                "degree": int(degree),
                "train_mse": _mse(split.y_train, model.predict(split.X_train)),
                "validation_mse": _mse(split.y_val, model.predict(split.X_val)),
            }
        )
    return pd.DataFrame(rows)


def decompose(
    truth: Callable[[np.ndarray], np.ndarray],
    x: Any,
    *,
    noise_sd: float,
    model: Any,
    repeats: int = 200,
    rng: np.random.Generator | None = None,
    x_new: Any = None,
) -> dict[str, float]:
    """Measure noise, bias squared and variance of ``model`` by refitting it on many training sets.

    Every training set has the same inputs ``x`` (a fixed design) and fresh noise. All ``repeats`` sets are
    fitted at once, as one multi-output regression. The expected error is measured directly too, against
    fresh noisy targets, so that the decomposition can be checked.

    Where the fits are judged matters. They are judged at the training inputs ``x`` themselves: the
    *in-sample* error (Hastie, Tibshirani & Friedman, 2009, section 7.4), whose variance part is exactly
    ``noise_sd**2 * k / n`` for least squares with ``k`` coefficients, averaged over the ``n`` inputs. Given
    ``x_new``, the same fits are also judged at those inputs (fresh inputs the fits never saw), where a flexible
    fit can swing between and beyond its training inputs.

    Parameters
    ----------
    truth : callable
        The true function, e.g. :func:`utils.data.runge`.
    x : array-like of shape (n,)
        The fixed inputs.
    noise_sd : float
        Standard deviation of the noise (> 0).
    model : scikit-learn regressor
        Unfitted; must accept several target columns (e.g. :func:`polynomial_model`).
    repeats : int, default 200
        Number of training sets.
    rng : numpy.random.Generator, optional
        Source of the noise; default: one derived from the course seed.
    x_new : array-like of shape (m,), optional
        Further inputs at which to judge the same fits (at least 2). The in-sample results do not change when
        it is given (the same training sets are drawn).

    Returns
    -------
    dict
        ``noise`` (noise_sd squared), ``bias2``, ``variance``, ``sum`` (of the three) and ``measured``
        (mean squared error against fresh targets), each averaged over ``x``; with ``x_new``, also
        ``bias2_new``, ``variance_new``, ``sum_new`` and ``measured_new``, averaged over ``x_new``.
    """
    check_callable("truth", truth, of="x", example="utils.data.runge")
    x = check_array("x", x, ndim=1, min_rows=2)
    noise_sd = check_real("noise_sd", noise_sd, minimum=0, maximum=MAX_NOISE_SD, strict_minimum=True)
    repeats = check_int("repeats", repeats, minimum=2, maximum=max(MAX_DRAWS // len(x), 2))
    if isinstance(model, type):
        raise TypeError(
            f"model must be a scikit-learn regressor object, got the class {model.__name__} itself: "
            f"add the brackets, model={model.__name__}(), or use polynomial_model(degree)"
        )
    if not hasattr(model, "fit") or not hasattr(model, "predict"):
        raise TypeError(f"model must be a scikit-learn regressor (with fit and predict), got {type(model).__name__}")
    rng = check_rng("rng", rng)
    if x_new is not None:
        x_new = check_array("x_new", x_new, ndim=1, min_rows=2)
        if len(x_new) * repeats > MAX_DRAWS:
            raise ValueError(
                f"x_new ({len(x_new)} inputs) times repeats ({repeats}) must be at most {MAX_DRAWS:,} draws; "
                "use fewer inputs or repeats"
            )
    if rng is None:
        from utils.repro import rng as course_rng

        rng = course_rng(1)
    targets = sample_function(truth, x, noise_sd=noise_sd, repeats=repeats, rng=rng)
    model = model.fit(x[:, None], targets)
    noise = float(noise_sd) ** 2

    def judged_at(at: np.ndarray) -> tuple[float, float, float]:
        predictions = model.predict(at[:, None]).reshape(len(at), repeats)
        fresh = sample_function(truth, at, noise_sd=noise_sd, repeats=repeats, rng=rng)
        f = np.asarray(truth(at), dtype=np.float64)
        bias2 = float(np.mean((predictions.mean(axis=1) - f) ** 2))
        variance = float(np.mean(predictions.var(axis=1)))
        return bias2, variance, float(np.mean((fresh - predictions) ** 2))

    bias2, variance, measured = judged_at(x)
    parts = {"noise": noise, "bias2": bias2, "variance": variance, "sum": noise + bias2 + variance, "measured": measured}
    if x_new is not None:
        bias2, variance, measured = judged_at(x_new)
        parts |= {"bias2_new": bias2, "variance_new": variance, "sum_new": noise + bias2 + variance,
                  "measured_new": measured}
    return parts


MAX_SECONDS = 60.0
"""Longest estimated run of one call of :func:`learning_curve` or :func:`double_descent` (about a minute on
the course's reference machine, two cores); a call estimated longer is refused before it starts, since no
alarm can interrupt the linear algebra once it runs."""

MAX_FITS = 10_000
"""Most polynomial fits :func:`learning_curve` makes in one call (about 45 s: some 4 ms each)."""


def _learning_curve_seconds(*, degree: int, sizes: Sequence[int], repeats: int, n_val: int) -> float:
    """Estimated CPU seconds of :func:`learning_curve` with these arguments (an upper estimate).

    Measured on the reference machine (CPU time, 2026-12): about 4 ms per fit of a small training set, plus
    the least-squares work, which grows with the training size times the number of coefficients (about 4e-7 s
    per point and coefficient) and the predictions on the validation set (about 2e-8 s per point and
    coefficient). ``sizes=[10**5], repeats=10**4`` is estimated at some 15 minutes and refused.
    """
    per_coefficient = 4e-7 * sum(sizes) + 2e-8 * n_val * len(sizes)
    return repeats * (0.005 * len(sizes) + per_coefficient * (degree + 1))


def _double_descent_seconds(*, n_train: int, n_inputs: int, n_features: Sequence[int], draws: int, n_test: int) -> float:
    """Estimated CPU seconds of :func:`double_descent` with these arguments (an upper estimate).

    Measured on the reference machine (CPU time, 2026-12): per draw and number of features ``p``, about 10 ms,
    plus 8e-8 s per feature and data point (the random features of the training and test sets), plus the
    least-squares solve (about 2e-9 s times ``min(n_train, p)**2 * max(n_train, p)``). The defaults take about
    5 s; ``n_features=[10_000] * 5, draws=1000`` is estimated at some 2.6 hours and refused.
    """
    total = 0.0
    for p in n_features:
        total += 0.01 + 8e-8 * p * (n_train + n_test + n_inputs) + 2e-9 * min(n_train, p) ** 2 * max(n_train, p)
    return draws * total


def _refuse_long(seconds: float, asked: str, advice: str) -> None:
    if seconds > MAX_SECONDS:
        raise ValueError(
            f"{asked} would take about {seconds:,.0f} s (estimated), more than the {MAX_SECONDS:.0f} s allowed "
            f"in one call: {advice}"
        )


def learning_curve(
    truth: Callable[[np.ndarray], np.ndarray],
    *,
    degree: int,
    sizes: Sequence[int],
    noise_sd: float,
    repeats: int = 20,
    n_val: int = 1000,
    low: float = 0.0,
    high: float = 1.0,
    rng: np.random.Generator | None = None,
) -> pd.DataFrame:
    """Training and validation error of a polynomial model against the training-set size.

    For each size, ``repeats`` training sets are drawn (inputs uniform on [low, high], fresh noise); both
    curves are the **median** over these sets (a few tiny training sets give wild high-degree fits, which a
    mean would let dominate); the validation set is one large fresh draw.

    Parameters
    ----------
    truth : callable
        The true function.
    degree : int
        The polynomial's degree.
    sizes : sequence of int
        Training-set sizes (each > degree + 1).
    noise_sd : float
        Noise standard deviation.
    repeats : int, default 20
        Training sets per size.
    n_val : int, default 1000
        Validation points.
    low, high : float, default 0 and 1
        Range of the inputs (within +-10**(150 / degree), so that powers of x cannot overflow).
    rng : numpy.random.Generator, optional
        Default: derived from the course seed.

    Returns
    -------
    pandas.DataFrame
        Columns ``size``, ``train_mse``, ``validation_mse``: medians over the ``repeats`` training sets.

    Raises
    ------
    ValueError
        Also when the call is estimated to take more than :data:`MAX_SECONDS` (about a minute).
    """
    check_callable("truth", truth, of="x", example="utils.data.cosine_truth")
    degree = check_int("degree", degree, minimum=1, maximum=MAX_DEGREE)
    sizes = check_int_sequence("sizes", sizes, minimum=degree + 2, maximum=1_000_000, example="[15, 30, 100]")
    noise_sd = check_real("noise_sd", noise_sd, minimum=0, maximum=MAX_NOISE_SD, strict_minimum=True)
    repeats = check_int("repeats", repeats, minimum=1, maximum=10_000)
    if len(sizes) * repeats > MAX_FITS:
        raise ValueError(
            f"sizes ({len(sizes)} sizes) times repeats ({repeats}) asks for {len(sizes) * repeats} fits; "
            f"at most {MAX_FITS} are allowed (fewer sizes or repeats)"
        )
    n_val = check_int("n_val", n_val, minimum=10, maximum=10_000_000)
    _refuse_long(_learning_curve_seconds(degree=degree, sizes=sizes, repeats=repeats, n_val=n_val),
                 f"sizes (total {sum(sizes):,} points), repeats ({repeats}), degree ({degree}) and n_val ({n_val:,})",
                 "fewer or smaller sizes, fewer repeats or a smaller n_val")
    limit = 10 ** (150 / degree)  # |x| ** degree must stay far from overflow, squared inside least squares
    low = check_real("low", low, minimum=-limit, maximum=limit)
    high = check_real("high", high, minimum=-limit, maximum=limit)
    if not low < high:
        raise ValueError(f"low must be below high, got low={low}, high={high}")
    rng = check_rng("rng", rng)
    if rng is None:
        from utils.repro import rng as course_rng

        rng = course_rng(2)
    x_val = rng.uniform(low, high, n_val)
    try:
        y_val = sample_function(truth, x_val, noise_sd=noise_sd, rng=rng)[:, 0]
    except ValueError as error:  # the truth refuses inputs this far out: say which arguments put them there
        raise ValueError(f"truth cannot take inputs drawn from [low, high] = [{low:g}, {high:g}]: {error}; choose "
                         "low and high inside the range the truth accepts") from None
    rows = []
    for size in sizes:
        train, val = [], []
        for _ in range(repeats):
            x = rng.uniform(low, high, size)
            y = sample_function(truth, x, noise_sd=noise_sd, rng=rng)[:, 0]
            model = polynomial_model(degree).fit(x[:, None], y)
            train.append(_mse(y, model.predict(x[:, None])))
            val.append(_mse(y_val, model.predict(x_val[:, None])))
        rows.append({"size": size, "train_mse": float(np.median(train)), "validation_mse": float(np.median(val))})
    return pd.DataFrame(rows)


def double_descent(
    *,
    n_train: int = 100,
    n_inputs: int = 5,
    n_features: Sequence[int] = (10, 25, 50, 75, 90, 100, 110, 125, 150, 250, 500, 1000, 2000),
    ridge_alpha: float = 0.1,
    noise_sd: float = 0.1,
    draws: int = 5,
    n_test: int = 2000,
    rng: np.random.Generator | None = None,
    progress: str | None = None,
) -> pd.DataFrame:
    """Test error of least squares on random ReLU features, against the number of features.

    The truth is ``tanh(x @ beta)`` on ``n_inputs`` standard-normal inputs plus noise. Each model maps the
    inputs through ``p`` random ReLU features and fits the output weights by minimum-norm least squares
    (what gradient descent from zero converges to) or by ridge. Medians over ``draws`` random feature sets.

    Parameters
    ----------
    n_train : int, default 100
        Training points: the least-squares error peaks where the number of features equals this.
    n_inputs : int, default 5
    n_features : sequence of int
        The numbers of random features to try.
    ridge_alpha : float, default 0.1
        Ridge penalty of the comparison model.
    noise_sd : float, default 0.1
    draws : int, default 5
    n_test : int, default 2000
    rng : numpy.random.Generator, optional
        Default: derived from the course seed.
    progress : str, optional
        A label for a progress bar over the numbers of features (see :mod:`utils.progress`; nothing is shown
        when ``COURSE_PROGRESS=0``). Default: no bar.

    Returns
    -------
    pandas.DataFrame
        Columns ``n_features``, ``min_norm_mse``, ``ridge_mse``.

    Raises
    ------
    ValueError
        Also when the call is estimated to take more than :data:`MAX_SECONDS` (about a minute).
    """
    n_train = check_int("n_train", n_train, minimum=2, maximum=10_000)
    n_inputs = check_int("n_inputs", n_inputs, minimum=1, maximum=1_000)
    n_features = check_int_sequence("n_features", n_features, minimum=1, maximum=10_000, example="(10, 100, 1000)")
    ridge_alpha = check_real("ridge_alpha", ridge_alpha, minimum=0, strict_minimum=True)
    noise_sd = check_real("noise_sd", noise_sd, minimum=0, maximum=MAX_NOISE_SD)
    draws = check_int("draws", draws, minimum=1, maximum=1_000)
    n_test = check_int("n_test", n_test, minimum=10, maximum=100_000)
    _refuse_long(_double_descent_seconds(n_train=n_train, n_inputs=n_inputs, n_features=n_features, draws=draws,
                                        n_test=n_test),
                 f"n_features (total {sum(n_features):,} features), draws ({draws}), n_train ({n_train:,}) and "
                 f"n_test ({n_test:,})", "fewer or smaller n_features, fewer draws, or a smaller n_train or n_test")
    rng = check_rng("rng", rng)
    sizes: Iterable[int] = n_features
    if progress is not None:
        from utils.progress import label, track

        sizes = track(n_features, desc=label(progress, name="progress"))
    if rng is None:
        from utils.repro import rng as course_rng

        rng = course_rng(4)
    beta = rng.standard_normal(n_inputs)
    X, X_test = rng.standard_normal((n_train, n_inputs)), rng.standard_normal((n_test, n_inputs))
    y = np.tanh(X @ beta) + noise_sd * rng.standard_normal(n_train)
    y_test = np.tanh(X_test @ beta) + noise_sd * rng.standard_normal(n_test)
    rows = []
    for p in sizes:
        plain, ridged = [], []
        for _ in range(draws):
            W = rng.standard_normal((n_inputs, p)) / np.sqrt(n_inputs)
            b = 0.5 * rng.standard_normal(p)
            F, F_test = np.maximum(X @ W + b, 0), np.maximum(X_test @ W + b, 0)
            w = np.linalg.lstsq(F, y, rcond=None)[0]
            plain.append(_mse(y_test, F_test @ w))
            ridged.append(_mse(y_test, Ridge(alpha=ridge_alpha).fit(F, y).predict(F_test)))
        rows.append({"n_features": p, "min_norm_mse": float(np.median(plain)), "ridge_mse": float(np.median(ridged))})
    return pd.DataFrame(rows)
