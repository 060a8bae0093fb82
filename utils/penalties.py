"""Penalty strengths between scikit-learn and Keras, and soft-thresholding for exact zeros.

For a Keras ``Dense(1)`` trained with ``loss="mse"`` on ``n`` rows, the objective is
``(1/n) ||y - Xw - b||^2 + P(w)``. Matching it with scikit-learn's objectives gives:

==================================  ===========================================
scikit-learn                        Keras penalty on the kernel
==================================  ===========================================
``Ridge(alpha=a)``                  ``L2(a / n)``
``Lasso(alpha=a)``                  ``L1(2 * a)``
``ElasticNet(alpha=a, l1_ratio=r)`` ``L1L2(l1=2 * a * r, l2=a * (1 - r))``
``SGDRegressor("l2", alpha=a)``     ``L2(a)``
==================================  ===========================================
"""

from __future__ import annotations

from typing import Any

from utils._validate import check_array, check_finite_result, check_int, check_real

import keras
import numpy as np


def _alpha(name: str, value: Any) -> float:
    return check_real(name, value, minimum=0.0)


def ridge_to_keras_l2(alpha: float, n_samples: int) -> float:
    """Keras ``L2`` factor equivalent to scikit-learn's ``Ridge(alpha)`` on ``n_samples`` rows: ``alpha / n``.

    Parameters
    ----------
    alpha : float
        Ridge's ``alpha`` (>= 0); Ridge minimises ``||y - Xw||^2 + alpha ||w||^2`` (no 1/n).
    n_samples : int
        Rows in the training set (1 to 10**18).

    Returns
    -------
    float
    """
    return _alpha("alpha", alpha) / check_int("n_samples", n_samples, minimum=1, maximum=10**18)


def lasso_to_keras_l1(alpha: float) -> float:
    """Keras ``L1`` factor equivalent to scikit-learn's ``Lasso(alpha)``: ``2 * alpha``.

    Lasso minimises ``(1/(2n)) ||y - Xw||^2 + alpha ||w||_1``; Keras's mse has no 1/2, hence the 2.

    Parameters
    ----------
    alpha : float
        Lasso's ``alpha`` (>= 0).

    Returns
    -------
    float
    """
    return check_finite_result("alpha", 2.0 * _alpha("alpha", alpha), of="2 * alpha")


def elastic_net_to_keras_l1l2(alpha: float, l1_ratio: float) -> tuple[float, float]:
    """Keras ``L1L2(l1, l2)`` factors equivalent to ``ElasticNet(alpha, l1_ratio)``.

    Parameters
    ----------
    alpha : float
        ElasticNet's ``alpha`` (>= 0).
    l1_ratio : float
        ElasticNet's ``l1_ratio`` in [0, 1]; 1 is the lasso.

    Returns
    -------
    (l1, l2) : tuple of float
        ``(2 * alpha * l1_ratio, alpha * (1 - l1_ratio))``.
    """
    alpha = _alpha("alpha", alpha)
    l1_ratio = check_real("l1_ratio", l1_ratio, minimum=0.0, maximum=1.0)
    return check_finite_result("alpha", 2.0 * alpha * l1_ratio, of="2 * alpha * l1_ratio"), alpha * (1.0 - l1_ratio)


def keras_l1l2_to_elastic_net(l1: float, l2: float) -> tuple[float, float]:
    """Inverse of :func:`elastic_net_to_keras_l1l2`: ``(alpha, l1_ratio)`` from Keras's ``(l1, l2)``.

    Parameters
    ----------
    l1, l2 : float
        Keras factors (>= 0, not both 0).

    Returns
    -------
    (alpha, l1_ratio) : tuple of float
    """
    l1, l2 = check_real("l1", l1, minimum=0.0), check_real("l2", l2, minimum=0.0)
    alpha = check_finite_result("l1 and l2", l1 / 2.0 + l2, of="alpha = l1 / 2 + l2")
    if alpha == 0:
        raise ValueError("l1 and l2 are both 0: that is no penalty, and has no ElasticNet alpha")
    return alpha, (l1 / 2.0) / alpha


def keras_regularizer_for(estimator: Any, n_samples: int | None = None) -> keras.regularizers.Regularizer:
    """The Keras kernel regularizer that makes a ``Dense(1)`` model with mse loss minimise the same
    objective as a scikit-learn linear estimator.

    Parameters
    ----------
    estimator : Ridge, Lasso, ElasticNet or SGDRegressor
        Fitted or not; its ``alpha`` (and ``l1_ratio``, ``penalty``) are read.
    n_samples : int, optional
        Training rows; needed for ``Ridge`` only.

    Returns
    -------
    keras.regularizers.Regularizer
        ``L2``, ``L1`` or ``L1L2`` with explicit factors.
    """
    from sklearn.linear_model import ElasticNet, Lasso, Ridge, SGDRegressor

    if isinstance(estimator, Ridge):
        if n_samples is None:
            raise ValueError("Ridge's objective has no 1/n, so the conversion needs n_samples (training rows)")
        return keras.regularizers.L2(ridge_to_keras_l2(estimator.alpha, n_samples))
    if isinstance(estimator, Lasso):  # before ElasticNet: Lasso is a subclass of it
        return keras.regularizers.L1(lasso_to_keras_l1(estimator.alpha))
    if isinstance(estimator, ElasticNet):
        l1, l2 = elastic_net_to_keras_l1l2(estimator.alpha, estimator.l1_ratio)
        return keras.regularizers.L1L2(l1=l1, l2=l2)
    if isinstance(estimator, SGDRegressor):
        if estimator.penalty != "l2":
            raise ValueError(f"only SGDRegressor(penalty='l2') is converted, got penalty={estimator.penalty!r}")
        return keras.regularizers.L2(_alpha("alpha", estimator.alpha))
    raise TypeError(
        "estimator must be a scikit-learn Ridge, Lasso, ElasticNet or SGDRegressor(penalty='l2'), "
        f"got {type(estimator).__name__}"
    )


def soft_threshold(w: Any, threshold: float) -> np.ndarray:
    """The lasso's shrinkage rule ``sign(w) * max(|w| - threshold, 0)``: small values become exactly 0.

    Parameters
    ----------
    w : array-like
        Values to shrink.
    threshold : float
        How far to move every value towards 0 (>= 0).

    Returns
    -------
    numpy.ndarray
    """
    w = check_array("w", w, min_rows=0)
    if not np.issubdtype(w.dtype, np.floating):  # integers and booleans are read as floats (np.sign has no bool loop)
        w = np.asarray(w, dtype=float)
    threshold = check_real("threshold", threshold, minimum=0.0)
    return np.sign(w) * np.maximum(np.abs(w) - threshold, 0.0)


@keras.saving.register_keras_serializable(package="course")
class SoftThreshold(keras.constraints.Constraint):
    """Soft-threshold a kernel after every optimizer step (the proximal step of the lasso, ISTA).

    With plain SGD at learning rate ``lr`` on the *unpenalised* loss, ``SoftThreshold(lr * l1)``
    minimises the same objective as ``L1(l1)`` but leaves exact zeros, as scikit-learn's ``Lasso`` does.

    Parameters
    ----------
    threshold : float
        ``learning_rate * l1`` (> 0).
    """

    def __init__(self, threshold: float) -> None:
        self.threshold = check_real("threshold", threshold, minimum=0.0, strict_minimum=True)

    def __call__(self, w: Any) -> Any:
        if not (keras.ops.is_tensor(w) or isinstance(w, keras.Variable)):  # an array, a list: read its numbers
            w = check_array("w", w, min_rows=0)
            if not np.issubdtype(w.dtype, np.floating):  # integers, booleans: as floats
                w = np.asarray(w, dtype=float)
        else:
            dtype = keras.backend.standardize_dtype(w.dtype)
            if not dtype.startswith(("float", "int", "uint", "bfloat")):
                raise TypeError(f"w must be a kernel of real numbers (a tensor of floats), got dtype {w.dtype}")
            if dtype.startswith(("int", "uint")):  # subtracting the float threshold from integers fails in TensorFlow
                w = keras.ops.cast(w, "float32")
        return keras.ops.sign(w) * keras.ops.maximum(keras.ops.abs(w) - self.threshold, 0.0)

    def get_config(self) -> dict[str, float]:
        return {"threshold": self.threshold}
