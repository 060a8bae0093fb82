from utils import measures, penalties, training

import keras
import numpy as np
import pytest
from sklearn.datasets import load_diabetes
from sklearn.linear_model import ElasticNet, Lasso, LinearRegression, Ridge, SGDRegressor


@pytest.fixture(scope="module")
def diabetes():
    X, y = load_diabetes(return_X_y=True)
    X = (X - X.mean(axis=0)) / X.std(axis=0)
    return X.astype(np.float32), ((y - y.mean()) / y.std()).astype(np.float32)


def test_conversions_follow_the_objectives():
    assert penalties.ridge_to_keras_l2(10.0, 442) == pytest.approx(10 / 442)
    assert penalties.lasso_to_keras_l1(0.05) == pytest.approx(0.1)
    assert penalties.elastic_net_to_keras_l1l2(0.1, 0.3) == pytest.approx((0.06, 0.07))
    alpha, ratio = penalties.keras_l1l2_to_elastic_net(*penalties.elastic_net_to_keras_l1l2(0.2, 0.7))
    assert (alpha, ratio) == pytest.approx((0.2, 0.7))


def test_regularizer_objects_for_estimators():
    l2 = penalties.keras_regularizer_for(Ridge(alpha=5.0), n_samples=100)
    assert isinstance(l2, keras.regularizers.L2) and float(l2.l2) == pytest.approx(0.05)
    l1 = penalties.keras_regularizer_for(Lasso(alpha=0.1))
    assert type(l1) is keras.regularizers.L1 and float(l1.l1) == pytest.approx(0.2)
    both = penalties.keras_regularizer_for(ElasticNet(alpha=0.1, l1_ratio=0.5))
    assert (float(both.l1), float(both.l2)) == pytest.approx((0.1, 0.05))
    sgd = penalties.keras_regularizer_for(SGDRegressor(penalty="l2", alpha=1e-3))
    assert float(sgd.l2) == pytest.approx(1e-3)


@pytest.mark.parametrize(
    ("call", "error", "match"),
    [
        (lambda: penalties.keras_regularizer_for(Ridge()), ValueError, "n_samples"),
        (lambda: penalties.keras_regularizer_for(LinearRegression()), TypeError, "Ridge, Lasso"),
        (lambda: penalties.keras_regularizer_for(SGDRegressor(penalty="l1")), ValueError, "penalty"),
        (lambda: penalties.ridge_to_keras_l2(-1, 10), ValueError, "alpha"),
        (lambda: penalties.ridge_to_keras_l2(1, 0), ValueError, "n_samples"),
        (lambda: penalties.lasso_to_keras_l1("0.1"), TypeError, "alpha"),
        (lambda: penalties.elastic_net_to_keras_l1l2(0.1, 1.5), ValueError, "l1_ratio"),
        (lambda: penalties.keras_l1l2_to_elastic_net(0, 0), ValueError, "no penalty"),
        (lambda: penalties.soft_threshold([1.0], -0.1), ValueError, "threshold"),
        (lambda: penalties.SoftThreshold(0), ValueError, "threshold"),
    ],
)
def test_bad_inputs(call, error, match):
    with pytest.raises(error, match=match):
        call()


def test_soft_threshold_numpy_and_constraint_agree():
    w = np.array([-2.0, -0.05, 0.0, 0.05, 0.3])
    expected = np.array([-1.9, 0.0, 0.0, 0.0, 0.2])
    assert np.allclose(penalties.soft_threshold(w, 0.1), expected)
    constrained = keras.ops.convert_to_numpy(penalties.SoftThreshold(0.1)(keras.ops.convert_to_tensor(w)))
    assert np.allclose(constrained, expected)
    assert penalties.SoftThreshold(0.1).get_config() == {"threshold": 0.1}


@pytest.mark.slow
def test_keras_linear_model_with_converted_l2_matches_ridge(diabetes):
    X, y = diabetes
    keras.utils.set_random_seed(0)
    for alpha in (1.0, 100.0):
        ridge = Ridge(alpha=alpha).fit(X, y)
        coef, intercept = training.fit_linear(X, y, kernel_regularizer=penalties.keras_regularizer_for(ridge, len(y)))
        assert measures.compare_to_reference(coef, ridge.coef_) < 1e-3
        assert abs(intercept - ridge.intercept_) < 1e-3


@pytest.mark.slow
def test_unconverted_penalty_does_not_match(diabetes):
    """The conversion matters: using Ridge's alpha directly as the Keras factor lands elsewhere."""
    X, y = diabetes
    ridge = Ridge(alpha=10.0).fit(X, y)
    coef, _ = training.fit_linear(X, y, kernel_regularizer=keras.regularizers.L2(10.0))
    assert measures.compare_to_reference(coef, ridge.coef_) > 0.05


def _keras_objective_gradient(X, y, coef, intercept, regularizer) -> np.ndarray:
    """Gradient of Keras's own objective (mse loss plus the kernel regularizer) of a Dense(1) model at the
    given weights."""
    import tensorflow as tf

    model = keras.Sequential([keras.Input((X.shape[1],)), keras.layers.Dense(1, kernel_regularizer=regularizer)])
    model.set_weights([np.asarray(coef, np.float32).reshape(-1, 1), np.asarray([intercept], np.float32)])
    with tf.GradientTape() as tape:
        loss = keras.losses.MeanSquaredError()(y.reshape(-1, 1), model(X)) + tf.add_n(model.losses)
    return np.asarray(tape.gradient(loss, model.trainable_variables[0])).ravel()


def test_sgd_conversion_against_a_fit():
    """SGDRegressor(penalty='l2', alpha) fitted to convergence (well-conditioned data, adaptive steps): at its
    coefficients, Keras's objective with the converted L2 factor is flat (gradient near 0), and with twice or half
    the factor it is not."""
    rng = np.random.default_rng(0)
    X = rng.normal(size=(400, 5))
    y = X @ np.array([1.0, -2.0, 0.5, 0.0, 0.3]) + 0.3 * rng.normal(size=400)
    sgd = SGDRegressor(penalty="l2", alpha=0.1, learning_rate="adaptive", eta0=0.01, max_iter=1000, tol=1e-8,
                       n_iter_no_change=20, random_state=0).fit(X, y)
    regularizer = penalties.keras_regularizer_for(sgd)
    factor = float(regularizer.l2)
    X32, y32 = X.astype(np.float32), y.astype(np.float32)
    flat = np.abs(_keras_objective_gradient(X32, y32, sgd.coef_, sgd.intercept_[0], regularizer)).max()
    for wrong in (2 * factor, factor / 2):
        tilted = np.abs(_keras_objective_gradient(X32, y32, sgd.coef_, sgd.intercept_[0], keras.regularizers.L2(wrong))).max()
        assert flat < tilted / 10, f"the gradient at SGD's fit is {flat:.2g} with L2({factor:g}), {tilted:.2g} with L2({wrong:g})"
