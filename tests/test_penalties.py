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


# Issue 23 (mutation testing): each argument is checked at its documented bounds, and the message names it.


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda: penalties.ridge_to_keras_l2(-1, 10), ValueError, r"^alpha must be >= 0"),
        (lambda: penalties.ridge_to_keras_l2(1, 0), ValueError, r"^n_samples must be >= 1,"),
        (lambda: penalties.ridge_to_keras_l2(1, 10**18 + 1), ValueError, r"^n_samples must be <= 10+, got 10+1$"),
        (lambda: penalties.lasso_to_keras_l1(-0.1), ValueError, r"^alpha must be >= 0"),
        (lambda: penalties.lasso_to_keras_l1(1e308), ValueError, r"^alpha is too large: 2 \* alpha overflows"),
        (lambda: penalties.elastic_net_to_keras_l1l2(-0.1, 0.5), ValueError, r"^alpha must be >= 0"),
        (lambda: penalties.elastic_net_to_keras_l1l2(0.1, -0.1), ValueError, r"^l1_ratio must be >= 0"),
        (lambda: penalties.elastic_net_to_keras_l1l2(0.1, 1.5), ValueError, r"^l1_ratio must be <= 1"),
        (lambda: penalties.elastic_net_to_keras_l1l2(1e308, 1.0), ValueError,
         r"^alpha is too large: 2 \* alpha \* l1_ratio overflows"),
        (lambda: penalties.keras_l1l2_to_elastic_net(-0.1, 1.0), ValueError, r"^l1 must be >= 0"),
        (lambda: penalties.keras_l1l2_to_elastic_net(1.0, -0.1), ValueError, r"^l2 must be >= 0"),
        (lambda: penalties.keras_l1l2_to_elastic_net(1e308, 1.7e308), ValueError,
         r"^l1 and l2 is too large: alpha = l1 / 2 \+ l2 overflows"),
        (lambda: penalties.keras_l1l2_to_elastic_net(0.0, 0.0), ValueError,
         r"^l1 and l2 are both 0: that is no penalty, and has no ElasticNet alpha$"),
        (lambda: penalties.keras_regularizer_for(Ridge(alpha=1.0)), ValueError,
         r"^Ridge's objective has no 1/n, so the conversion needs n_samples"),
        (lambda: penalties.keras_regularizer_for(SGDRegressor(penalty="l2", alpha=-1.0)), ValueError,
         r"^alpha must be >= 0"),
        (lambda: penalties.keras_regularizer_for(LinearRegression()), TypeError,
         r"^estimator must be a scikit-learn Ridge, Lasso, ElasticNet or SGDRegressor\(penalty='l2'\), "
         r"got LinearRegression$"),
        (lambda: penalties.soft_threshold([1.0, np.nan], 0.1), ValueError, r"^w must not contain NaN"),
        (lambda: penalties.soft_threshold([1.0], -0.1), ValueError, r"^threshold must be >= 0"),
        (lambda: penalties.SoftThreshold(0), ValueError, r"^threshold must be > 0"),
        (lambda: penalties.SoftThreshold(0.1)([1.0, np.inf]), ValueError, r"^w must not contain NaN or infinity"),
        (lambda: penalties.SoftThreshold(0.1)(keras.ops.convert_to_tensor([True, False])), TypeError,
         r"^w must be a kernel of real numbers \(a tensor of floats\), got dtype"),
    ],
)
def test_each_argument_is_named_at_its_bounds(call, error, message):
    with pytest.raises(error, match=message):
        call()


def test_conversions_at_the_edges_of_what_they_accept():
    assert penalties.ridge_to_keras_l2(3.0, 1) == 3.0  # one row: no division
    assert penalties.ridge_to_keras_l2(5.0, 10**18) == pytest.approx(5e-18)
    assert penalties.ridge_to_keras_l2(0, 10) == 0.0
    assert penalties.lasso_to_keras_l1(0) == 0.0
    assert penalties.elastic_net_to_keras_l1l2(0.4, 0.0) == pytest.approx((0.0, 0.4))  # ridge-like
    assert penalties.elastic_net_to_keras_l1l2(0.4, 1.0) == pytest.approx((0.8, 0.0))  # the lasso
    assert penalties.keras_l1l2_to_elastic_net(0.0, 0.3) == pytest.approx((0.3, 0.0))
    assert penalties.keras_l1l2_to_elastic_net(0.8, 0.0) == pytest.approx((0.4, 1.0))
    # the largest alpha whose doubled value is still finite
    assert np.isfinite(penalties.lasso_to_keras_l1(8e307))


def test_soft_threshold_of_no_values_and_of_integers():
    assert penalties.soft_threshold([], 0.1).shape == (0,)
    assert penalties.soft_threshold(np.array([], dtype=np.float32), 0.1).shape == (0,)
    assert np.array_equal(penalties.soft_threshold([-3, 0, 2], 1.0), [-2.0, 0.0, 1.0])
    assert np.array_equal(penalties.soft_threshold([True, False], 0.25), [0.75, 0.0])
    constraint = penalties.SoftThreshold(1.0)
    assert keras.ops.convert_to_numpy(constraint([])).shape == (0,)
    for values in ([-3, 0, 2], np.array([-3, 0, 2]), [-3.0, 0.0, 2.0]):
        assert np.allclose(keras.ops.convert_to_numpy(constraint(values)), [-2.0, 0.0, 1.0]), values


@pytest.mark.parametrize("dtype", ["float32", "float64", "float16", "bfloat16", "int32", "int64", "uint8"])
def test_soft_threshold_constraint_takes_a_tensor_of_any_real_dtype(dtype):
    w = keras.ops.cast(keras.ops.convert_to_tensor([4.0, 0.0, 2.0, 1.0]), dtype)
    if not dtype.startswith("u"):
        w = w * keras.ops.cast(keras.ops.convert_to_tensor([-1.0, 1.0, 1.0, 1.0]), dtype)
    out = keras.ops.convert_to_numpy(keras.ops.cast(penalties.SoftThreshold(1.0)(w), "float32"))
    expected = [3.0, 0.0, 1.0, 0.0] if dtype.startswith("u") else [-3.0, 0.0, 1.0, 0.0]
    assert np.array_equal(out, expected)


def test_soft_threshold_constraint_runs_in_a_compiled_graph_and_on_a_variable():
    """Keras applies a kernel constraint to the kernel variable inside fit's compiled step: there is no NumPy
    array to read, so the constraint must stay in tensor operations (and keep the kernel's dtype)."""
    import tensorflow as tf

    constraint = penalties.SoftThreshold(0.1)
    kernel = keras.Variable(np.array([[-2.0], [0.05], [0.3]], dtype=np.float32))
    for out in (tf.function(constraint)(tf.constant([[-2.0], [0.05], [0.3]])), constraint(kernel),
                tf.function(lambda: constraint(kernel))()):
        assert keras.backend.standardize_dtype(out.dtype) == "float32"
        assert np.allclose(keras.ops.convert_to_numpy(out), [[-1.9], [0.0], [0.2]])


def test_soft_threshold_keeps_a_float32_kernels_dtype():
    w = np.array([-2.0, 0.05, 0.3], dtype=np.float32)
    assert penalties.soft_threshold(w, 0.1).dtype == np.float32
    assert keras.backend.standardize_dtype(penalties.SoftThreshold(0.1)(w).dtype) == "float32"
