from utils import bias_variance as bv
from utils import data

import numpy as np
import pytest


def test_polynomial_model_fits_float32_inputs_without_warnings():
    x = np.linspace(0, 1, 30, dtype=np.float32)[:, None]
    with np.errstate(all="raise"):
        model = bv.polynomial_model(15).fit(x, np.cos(3 * x[:, 0]))
        assert np.all(np.isfinite(model.predict(x)))
    assert bv.polynomial_model(3, alpha=1.0)[-1].alpha == 1.0


def test_errors_by_degree_training_error_falls():
    errors = bv.errors_by_degree(data.load_noisy_cosine(seed=0), range(1, 8))
    assert list(errors.columns) == ["degree", "train_mse", "validation_mse"]
    assert errors["train_mse"].iloc[-1] < errors["train_mse"].iloc[0]


@pytest.mark.parametrize("seed", [0, 7, 42])
def test_training_error_never_rises_with_the_degree(seed):
    # Nested least-squares fits (30 points, degrees up to 20): a higher degree can never fit its own training set worse. Raw powers of x on
    # [0, 1] broke this from degree 11 on (rank lost inside the solver); the Legendre basis must not.
    errors = bv.errors_by_degree(data.load_noisy_cosine(seed=seed), range(1, 21))
    assert np.all(np.diff(errors["train_mse"]) <= 1e-9)


def test_polynomial_model_spans_the_same_polynomials_as_the_powers():
    x = np.linspace(2.0, 5.0, 40)
    y = 1 - 2 * x + 0.5 * x**3  # a cubic, exactly
    model = bv.polynomial_model(3).fit(x[:, None], y)
    assert np.allclose(model.predict(x[:, None]), y, atol=1e-8)


def test_learning_curve_uses_the_median_for_both_curves():
    curve = bv.learning_curve(data.cosine_truth, degree=1, sizes=[10], noise_sd=0.1, repeats=3, n_val=50,
                              rng=np.random.default_rng(0))
    rng = np.random.default_rng(0)
    x_val = rng.uniform(0, 1, 50)
    y_val = data.sample_function(data.cosine_truth, x_val, noise_sd=0.1, rng=rng)[:, 0]
    train, val = [], []
    for _ in range(3):
        x = rng.uniform(0, 1, 10)
        y = data.sample_function(data.cosine_truth, x, noise_sd=0.1, rng=rng)[:, 0]
        model = bv.polynomial_model(1).fit(x[:, None], y)
        train.append(np.mean((model.predict(x[:, None]) - y) ** 2))
        val.append(np.mean((model.predict(x_val[:, None]) - y_val) ** 2))
    assert curve["train_mse"].iloc[0] == pytest.approx(np.median(train))
    assert curve["validation_mse"].iloc[0] == pytest.approx(np.median(val))


def test_decomposition_adds_up_and_knows_the_noise():
    x = np.linspace(-1, 1, 30)
    parts = bv.decompose(data.runge, x, noise_sd=0.1, model=bv.polynomial_model(5), repeats=500,
                         rng=np.random.default_rng(0))
    assert parts["noise"] == pytest.approx(0.01)
    assert parts["sum"] == pytest.approx(parts["measured"], rel=0.05)
    assert parts["bias2"] > 0 and parts["variance"] > 0


def test_learning_curve_and_double_descent_shapes():
    curve = bv.learning_curve(data.cosine_truth, degree=2, sizes=[10, 40], noise_sd=0.1, repeats=3, n_val=50,
                              rng=np.random.default_rng(0))
    assert curve["size"].tolist() == [10, 40]
    dd = bv.double_descent(n_train=20, n_features=(5, 20, 80), draws=2, n_test=100, rng=np.random.default_rng(0))
    assert dd.set_index("n_features")["min_norm_mse"].idxmax() == 20


@pytest.mark.parametrize(
    ("call", "error", "match"),
    [
        (lambda: bv.polynomial_model(0), ValueError, "degree"),
        (lambda: bv.polynomial_model(3, alpha=0), ValueError, "alpha"),
        (lambda: bv.errors_by_degree("split", [1]), TypeError, "Split"),
        (lambda: bv.errors_by_degree(data.load_noisy_cosine(), 3), TypeError, "sequence"),
        (lambda: bv.errors_by_degree(data.load_correlated_groups(), [1]), ValueError, "one input column"),
        (lambda: bv.decompose(data.runge, np.zeros(5), noise_sd=0.1, model="poly"), TypeError, "regressor"),
        (lambda: bv.decompose(data.runge, np.zeros(5), noise_sd=0.1, model=bv.polynomial_model(1), repeats=1),
         ValueError, "repeats"),
        (lambda: bv.learning_curve(data.runge, degree=5, sizes=[5], noise_sd=0.1), ValueError, "size"),
        (lambda: bv.learning_curve(data.runge, degree=1, sizes=[10], noise_sd=0.1, low=1, high=0), ValueError, "low"),
        (lambda: bv.double_descent(n_features=[]), ValueError, "n_features"),
        (lambda: bv.double_descent(ridge_alpha=0), ValueError, "ridge_alpha"),
        (lambda: bv.double_descent(progress=""), ValueError, r"^progress must be a short label of 1 to 60 characters"),
        (lambda: bv.double_descent(progress=3), TypeError, "progress"),
    ],
)
def test_bad_inputs(call, error, match):
    with pytest.raises(error, match=match):
        call()


def test_errors_by_degree_names_degrees_when_given_none():
    with pytest.raises(TypeError, match="degrees must be a sequence of whole numbers.*NoneType"):
        bv.errors_by_degree(data.load_noisy_cosine(), None)


def test_learning_curve_refuses_a_string_as_rng():
    with pytest.raises(TypeError, match="rng must be a numpy.random.Generator"):
        bv.learning_curve(data.cosine_truth, degree=1, sizes=[10], noise_sd=0.1, rng="seed")


def test_learning_curve_refuses_an_endless_number_of_fits():
    with pytest.raises(ValueError, match="sizes .* times repeats"):
        bv.learning_curve(data.cosine_truth, degree=1, sizes=list(range(3, 1003)), repeats=1000, noise_sd=0.1)


@pytest.mark.parametrize("truth_name", ["line", "parabola"])
def test_decompose_matches_the_known_answer_of_least_squares(truth_name):
    """A straight line fitted by least squares at n fixed inputs has, averaged over the inputs, variance
    noise_sd**2 * 2 / n exactly (the trace of the hat matrix is 2) and squared bias the mean squared distance of
    the truth from its own least-squares line (0 for a line; from numpy.polyfit for a parabola). The estimates
    must be within about 1% of these (a halved variance or a dropped square is far outside)."""
    from sklearn.linear_model import LinearRegression

    x, sd = np.linspace(-1, 1, 10), 0.5
    truth = (lambda t: 2 * t + 1) if truth_name == "line" else (lambda t: 3 * t**2)
    line = np.polyval(np.polyfit(x, truth(x), 1), x)
    bias2 = float(np.mean((truth(x) - line) ** 2))
    variance = sd**2 * 2 / len(x)
    parts = bv.decompose(truth, x, noise_sd=sd, model=LinearRegression(), repeats=40_000, rng=np.random.default_rng(0))
    assert parts["noise"] == sd**2
    assert parts["variance"] == pytest.approx(variance, rel=0.015)
    assert parts["bias2"] == pytest.approx(bias2, rel=0.01, abs=1e-4)
    assert parts["measured"] == pytest.approx(sd**2 + bias2 + variance, rel=0.01)
    assert parts["sum"] == pytest.approx(parts["noise"] + parts["bias2"] + parts["variance"])


@pytest.mark.parametrize("truth_name", ["line", "parabola"])
def test_decompose_at_new_inputs_matches_least_squares_in_closed_form(truth_name):
    """At a new input x0, a least-squares line fitted at n fixed inputs has variance
    noise_sd**2 * (1/n + (x0 - mean x)**2 / sum (x - mean x)**2), and squared bias the squared distance of the
    truth from its own least-squares line at x0 (numpy.polyfit). Over 40 000 training sets the variance estimate
    has a relative standard error of about 0.6% (measured over 30 seeds): within 2%. Giving x_new must not change
    the in-sample results."""
    from sklearn.linear_model import LinearRegression

    x, sd, x_new = np.linspace(-1, 1, 10), 0.5, np.array([-1.5, 0.0, 0.3, 2.0])
    truth = (lambda t: 2 * t + 1) if truth_name == "line" else (lambda t: 3 * t**2)
    variance = float(np.mean(sd**2 * (1 / len(x) + (x_new - x.mean()) ** 2 / np.sum((x - x.mean()) ** 2))))
    bias2 = float(np.mean((truth(x_new) - np.polyval(np.polyfit(x, truth(x), 1), x_new)) ** 2))
    parts = bv.decompose(truth, x, noise_sd=sd, model=LinearRegression(), repeats=40_000, rng=np.random.default_rng(0),
                         x_new=x_new)
    assert parts["variance_new"] == pytest.approx(variance, rel=0.02)
    assert parts["bias2_new"] == pytest.approx(bias2, rel=0.01, abs=1e-3)
    assert parts["measured_new"] == pytest.approx(sd**2 + bias2 + variance, rel=0.02)
    assert parts["sum_new"] == pytest.approx(sd**2 + parts["bias2_new"] + parts["variance_new"], rel=1e-12)
    in_sample = bv.decompose(truth, x, noise_sd=sd, model=LinearRegression(), repeats=40_000,
                             rng=np.random.default_rng(0))
    assert {k: parts[k] for k in in_sample} == in_sample


def test_polynomial_model_is_the_least_squares_polynomial():
    """Plain least squares in any basis of the polynomials of degree d gives the same fit as numpy's
    Polynomial.fit; with alpha, ridge on the standardised Legendre polynomials of x mapped onto [-1, 1]
    (the docstring's recipe, built from numpy and scikit-learn)."""
    from numpy.polynomial import Polynomial, legendre
    from sklearn.linear_model import Ridge
    from sklearn.preprocessing import StandardScaler

    rng = np.random.default_rng(3)
    x = rng.uniform(2.0, 5.0, 40)
    y = np.sin(x) + 0.1 * rng.normal(size=40)
    x_test = np.linspace(2.0, 5.0, 7)
    for degree in (1, 4, 9):
        fitted = bv.polynomial_model(degree).fit(x[:, None], y)
        np.testing.assert_allclose(fitted.predict(x_test[:, None]), Polynomial.fit(x, y, degree)(x_test), atol=1e-8)
    t = 2 * (x - x.min()) / (x.max() - x.min()) - 1
    t_test = 2 * (x_test - x.min()) / (x.max() - x.min()) - 1
    scaler = StandardScaler().fit(legendre.legvander(t, 3)[:, 1:])
    ridge = Ridge(alpha=2.0).fit(scaler.transform(legendre.legvander(t, 3)[:, 1:]), y)
    expected = ridge.predict(scaler.transform(legendre.legvander(t_test, 3)[:, 1:]))
    model = bv.polynomial_model(3, alpha=2.0).fit(x[:, None], y)
    np.testing.assert_allclose(model.predict(x_test[:, None]), expected, rtol=1e-10)
    assert bv.polynomial_model(bv.MAX_DEGREE)[-1].__class__.__name__ == "LinearRegression"


def test_errors_by_degree_by_hand():
    from numpy.polynomial import Polynomial

    split = data.load_noisy_cosine(seed=0)
    errors = bv.errors_by_degree(split, [1, 3])
    x, y, xv, yv = split.X_train[:, 0], np.ravel(split.y_train), split.X_val[:, 0], np.ravel(split.y_val)
    for row, degree in zip(errors.itertuples(), [1, 3], strict=True):
        p = Polynomial.fit(x, y, degree)
        assert row.degree == degree
        assert row.train_mse == pytest.approx(np.mean((p(x) - y) ** 2), rel=1e-9)
        assert row.validation_mse == pytest.approx(np.mean((p(xv) - yv) ** 2), rel=1e-9)


def _estimated_seconds(message: str) -> float:
    import re

    return float(re.search(r"would take about ([\d,]+) s", message).group(1).replace(",", ""))


def _must_not_start(*args, **kwargs):
    raise AssertionError("a call estimated at more than MAX_SECONDS was started")


def _double_descent_model(n_train=100, n_inputs=5, n_features=(), draws=5, n_test=2000):
    """The cost model the docstring of double_descent states, per draw and number of features p: 10 ms, plus
    8e-8 s per feature and data point, plus 2e-9 s * min(n_train, p)**2 * max(n_train, p)."""
    return draws * sum(0.01 + 8e-8 * p * (n_train + n_test + n_inputs) + 2e-9 * min(n_train, p) ** 2 * max(n_train, p)
                       for p in n_features)


@pytest.mark.parametrize(
    "kwargs",
    [
        {"n_features": [10_000] * 5, "draws": 1000},  # the docstring's example: some 2.6 hours
        {"n_features": [10_000], "n_inputs": 1000, "n_train": 2, "n_test": 10, "draws": 100},  # inputs dominate
        {"n_features": [10_000], "n_inputs": 1, "n_train": 10_000, "n_test": 10, "draws": 1},  # the solve dominates
        {"n_features": [10] * 7 + [1], "n_train": 2, "n_test": 10, "draws": 1000},  # the fixed 10 ms dominate
    ],
)
def test_double_descent_refuses_long_calls_with_the_documented_estimate(kwargs, monkeypatch):
    expected = _double_descent_model(**kwargs)
    monkeypatch.setattr(bv, "check_rng", _must_not_start)  # a broken guard fails at once, not after hours
    with pytest.raises(ValueError, match=r"would take about .* more than the 60 s allowed") as caught:
        bv.double_descent(**kwargs)
    assert _estimated_seconds(str(caught.value)) == pytest.approx(expected, abs=0.51)
    draws, n_features = kwargs["draws"], kwargs["n_features"]
    assert f"n_features (total {sum(n_features):,} features), draws ({draws}), n_train (" in str(caught.value)
    assert str(caught.value).endswith(": fewer or smaller n_features, fewer draws, or a smaller n_train or n_test")


def test_learning_curve_refuses_long_calls_with_the_documented_estimate(monkeypatch):
    """The docstring's cost model: per training set 5 ms per size, plus 4e-7 s per training point and 2e-8 s per
    validation point and size, both per coefficient; sizes=[10**5] with 10**4 repeats is some 15 minutes (and
    exactly MAX_FITS fits, which alone is allowed)."""
    cases = [
        ({"degree": 1, "sizes": [100_000], "repeats": 10_000}, 10_000 * (0.005 + 4e-7 * 100_000 * 2 + 2e-8 * 1000 * 2)),
        ({"degree": 1, "sizes": [3, 3], "repeats": 200, "n_val": 10_000_000},
         200 * (0.01 + (4e-7 * 6 + 2e-8 * 10_000_000 * 2) * 2)),
        ({"degree": 3, "sizes": [10] * 100, "repeats": 100, "n_val": 200_000},
         100 * (0.5 + (4e-7 * 1000 + 2e-8 * 200_000 * 100) * 4)),
    ]
    monkeypatch.setattr(bv, "check_rng", _must_not_start)  # a broken guard fails at once, not after minutes
    for kwargs, expected in cases:
        with pytest.raises(ValueError, match=r"would take about .* more than the 60 s allowed") as caught:
            bv.learning_curve(data.cosine_truth, noise_sd=0.1, **kwargs)
        assert _estimated_seconds(str(caught.value)) == pytest.approx(expected, abs=0.51)
        assert f"sizes (total {sum(kwargs['sizes']):,} points), repeats ({kwargs['repeats']}), degree (" in str(caught.value)
        assert str(caught.value).endswith(": fewer or smaller sizes, fewer repeats or a smaller n_val")
    assert 12 * 60 < cases[0][1] < 18 * 60


def test_learning_curve_allows_exactly_max_fits(monkeypatch):
    monkeypatch.setattr(bv, "MAX_FITS", 4)
    curve = bv.learning_curve(data.cosine_truth, degree=1, sizes=[3, 4], repeats=2, noise_sd=0.1, n_val=10,
                              rng=np.random.default_rng(0))
    assert curve["size"].tolist() == [3, 4]
    with pytest.raises(ValueError, match=r"^sizes \(2 sizes\) times repeats \(3\) asks for 6 fits; at most 4 are allowed"):
        bv.learning_curve(data.cosine_truth, degree=1, sizes=[3, 4], repeats=3, noise_sd=0.1, n_val=10)


def test_arguments_at_their_bounds_are_accepted():
    """Each documented lower bound is allowed (the upper ones are refused one step beyond, below)."""
    dd = bv.double_descent(n_train=2, n_inputs=1, n_features=[1], ridge_alpha=1e-9, noise_sd=0.0, draws=1, n_test=10,
                           rng=np.random.default_rng(0))
    assert dd.shape == (1, 3) and np.isfinite(dd.to_numpy()).all()
    curve = bv.learning_curve(data.cosine_truth, degree=2, sizes=[4], repeats=1, noise_sd=1e-9, n_val=10,
                              low=-1.0, high=-0.5, rng=np.random.default_rng(0))
    assert curve["size"].tolist() == [4] and np.isfinite(curve[["train_mse", "validation_mse"]].to_numpy()).all()
    parts = bv.decompose(data.runge, [0.0, 1.0], noise_sd=1e-9, model=bv.polynomial_model(1), repeats=2,
                         x_new=[0.5, 2.0], rng=np.random.default_rng(0))
    assert parts["bias2"] < 1e-12 and parts["variance"] < 1e-12  # a line through two points fits them
    assert bv.polynomial_model(1)[-1].__class__.__name__ == "LinearRegression"
    assert bv.polynomial_model(30, alpha=1e-12)[-1].alpha == 1e-12


@pytest.mark.parametrize(
    ("call", "error", "match"),
    [
        (lambda: bv.polynomial_model(31), ValueError, r"^degree must be <= 30"),
        (lambda: bv.polynomial_model(2.0), TypeError, r"^degree must be a whole number"),
        (lambda: bv.polynomial_model(3, alpha=-1.0), ValueError, r"^alpha must be > 0"),
        (lambda: bv.errors_by_degree(data.load_noisy_cosine(), [0]), ValueError, r"^each item of degrees must be >= 1"),
        (lambda: bv.errors_by_degree(data.load_noisy_cosine(), [31]), ValueError, r"^each item of degrees must be <= 30"),
        (lambda: bv.errors_by_degree("split", [1]), TypeError, r"^split must be a utils.data.Split, got str"),
        (lambda: bv.errors_by_degree(data.load_correlated_groups(), [1]), ValueError,
         r"^errors_by_degree needs one input column, this split has \d+"),
        (lambda: bv.decompose("runge", [0.0, 1.0], noise_sd=0.1, model=bv.polynomial_model(1)), TypeError,
         r"^truth must be a function of x such as utils.data.runge"),
        (lambda: bv.decompose(data.runge, [0.0], noise_sd=0.1, model=bv.polynomial_model(1)), ValueError,
         r"^x must have at least 2 row"),
        (lambda: bv.decompose(data.runge, [[0.0, 1.0]], noise_sd=0.1, model=bv.polynomial_model(1)), ValueError,
         r"^x must have 1 dimension"),
        (lambda: bv.decompose(data.runge, [0.0, 1.0], noise_sd=0.0, model=bv.polynomial_model(1)), ValueError,
         r"^noise_sd must be > 0"),
        (lambda: bv.decompose(data.runge, [0.0, 1.0], noise_sd=2e6, model=bv.polynomial_model(1)), ValueError,
         r"^noise_sd must be <= 1000000"),
        (lambda: bv.decompose(data.runge, [0.0, 1.0], noise_sd=0.1, model=bv.polynomial_model(1), repeats=1),
         ValueError, r"^repeats must be >= 2"),
        (lambda: bv.decompose(data.runge, [0.0, 1.0], noise_sd=0.1, model=bv.polynomial_model(1), repeats=25_000_001),
         ValueError, r"^repeats must be <= 25000000"),
        (lambda: bv.decompose(data.runge, [0.0, 1.0], noise_sd=0.1, model=bv.polynomial_model(1), rng=0), TypeError,
         r"^rng must be a numpy.random.Generator"),
        (lambda: bv.decompose(data.runge, [0.0, 1.0], noise_sd=0.1, model=bv.polynomial_model(1), x_new=[0.5]),
         ValueError, r"^x_new must have at least 2 row"),
        (lambda: bv.decompose(data.runge, [0.0, 1.0], noise_sd=0.1, model=bv.polynomial_model(1), x_new=[[0.5, 1.0]]),
         ValueError, r"^x_new must have 1 dimension"),
        (lambda: bv.learning_curve("cos", degree=1, sizes=[10], noise_sd=0.1), TypeError,
         r"^truth must be a function of x such as utils.data.cosine_truth"),
        (lambda: bv.learning_curve(data.cosine_truth, degree=0, sizes=[10], noise_sd=0.1), ValueError,
         r"^degree must be >= 1"),
        (lambda: bv.learning_curve(data.cosine_truth, degree=31, sizes=[40], noise_sd=0.1), ValueError,
         r"^degree must be <= 30"),
        (lambda: bv.learning_curve(data.cosine_truth, degree=2, sizes=[3], noise_sd=0.1), ValueError,
         r"^each item of sizes must be >= 4"),
        (lambda: bv.learning_curve(data.cosine_truth, degree=2, sizes=[1_000_001], noise_sd=0.1, repeats=1), ValueError,
         r"^each item of sizes must be <= 1000000"),
        (lambda: bv.learning_curve(data.cosine_truth, degree=2, sizes=5, noise_sd=0.1), TypeError,
         r"^sizes must be a sequence of whole numbers such as \[15, 30, 100\]"),
        (lambda: bv.learning_curve(data.cosine_truth, degree=1, sizes=[10], noise_sd=0.0), ValueError,
         r"^noise_sd must be > 0"),
        (lambda: bv.learning_curve(data.cosine_truth, degree=1, sizes=[10], noise_sd=2e6), ValueError,
         r"^noise_sd must be <= 1000000"),
        (lambda: bv.learning_curve(data.cosine_truth, degree=1, sizes=[10], noise_sd=0.1, repeats=0), ValueError,
         r"^repeats must be >= 1"),
        (lambda: bv.learning_curve(data.cosine_truth, degree=1, sizes=[10], noise_sd=0.1, repeats=10_001), ValueError,
         r"^repeats must be <= 10000"),
        (lambda: bv.learning_curve(data.cosine_truth, degree=1, sizes=[10], noise_sd=0.1, n_val=9), ValueError,
         r"^n_val must be >= 10"),
        (lambda: bv.learning_curve(data.cosine_truth, degree=1, sizes=[10], noise_sd=0.1, n_val=10_000_001, repeats=1),
         ValueError, r"^n_val must be <= 10000000"),
        (lambda: bv.learning_curve(data.cosine_truth, degree=30, sizes=[40], noise_sd=0.1, low=-1.5e5), ValueError,
         r"^low must be >= -100000"),
        (lambda: bv.learning_curve(data.cosine_truth, degree=30, sizes=[40], noise_sd=0.1, low=1.5e5, high=2e5),
         ValueError, r"^low must be <= 100000"),
        (lambda: bv.learning_curve(data.cosine_truth, degree=30, sizes=[40], noise_sd=0.1, high=1.5e5), ValueError,
         r"^high must be <= 100000"),
        (lambda: bv.learning_curve(data.cosine_truth, degree=1, sizes=[10], noise_sd=0.1, low=0.5, high=0.5),
         ValueError, r"^low must be below high, got low=0.5, high=0.5"),
        (lambda: bv.double_descent(n_train=1, n_inputs=1, n_features=[3], draws=1, n_test=10), ValueError, r"^n_train must be >= 2"),
        (lambda: bv.double_descent(n_train=10_001, n_inputs=1, n_features=[3], draws=1, n_test=10), ValueError, r"^n_train must be <= 10000"),
        (lambda: bv.double_descent(n_inputs=0, n_train=5, n_features=[3], draws=1, n_test=10), ValueError, r"^n_inputs must be >= 1"),
        (lambda: bv.double_descent(n_inputs=1001, n_train=5, n_features=[3], draws=1, n_test=10), ValueError, r"^n_inputs must be <= 1000"),
        (lambda: bv.double_descent(n_features=[0], n_train=5, n_inputs=1, draws=1, n_test=10), ValueError, r"^each item of n_features must be >= 1"),
        (lambda: bv.double_descent(n_features=[10_001], n_train=5, n_inputs=1, draws=1, n_test=10), ValueError, r"^each item of n_features must be <= 10000"),
        (lambda: bv.double_descent(n_features=5), TypeError,
         r"^n_features must be a sequence of whole numbers such as \(10, 100, 1000\)"),
        (lambda: bv.double_descent(ridge_alpha=0.0, n_train=5, n_inputs=1, n_features=[3], draws=1, n_test=10), ValueError, r"^ridge_alpha must be > 0"),
        (lambda: bv.double_descent(noise_sd=-0.1, n_train=5, n_inputs=1, n_features=[3], draws=1, n_test=10), ValueError, r"^noise_sd must be >= 0"),
        (lambda: bv.double_descent(noise_sd=2e6, n_train=5, n_inputs=1, n_features=[3], draws=1, n_test=10), ValueError, r"^noise_sd must be <= 1000000"),
        (lambda: bv.double_descent(draws=0, n_train=5, n_inputs=1, n_features=[3], n_test=10), ValueError, r"^draws must be >= 1"),
        (lambda: bv.double_descent(draws=1001, n_train=5, n_inputs=1, n_features=[3], n_test=10), ValueError, r"^draws must be <= 1000"),
        (lambda: bv.double_descent(n_test=9, n_train=5, n_inputs=1, n_features=[3], draws=1), ValueError, r"^n_test must be >= 10"),
        (lambda: bv.double_descent(n_test=100_001, n_train=5, n_inputs=1, n_features=[3], draws=1), ValueError, r"^n_test must be <= 100000"),
        (lambda: bv.double_descent(rng="seed", n_train=5, n_inputs=1, n_features=[3], draws=1, n_test=10), TypeError, r"^rng must be a numpy.random.Generator"),
    ],
)
def test_bad_inputs_are_named_with_what_is_accepted(call, error, match):
    with pytest.raises(error, match=match):
        call()


def test_decompose_refuses_a_model_class_and_too_many_draws(monkeypatch):
    from sklearn.linear_model import LinearRegression

    with pytest.raises(TypeError, match=r"^model must be a scikit-learn regressor object, got the class "
                                        r"LinearRegression itself: add the brackets, model=LinearRegression\(\)"):
        bv.decompose(data.runge, [0.0, 1.0], noise_sd=0.1, model=LinearRegression)
    with pytest.raises(TypeError, match=r"^model must be a scikit-learn regressor \(with fit and predict\), got str"):
        bv.decompose(data.runge, [0.0, 1.0], noise_sd=0.1, model="poly")
    monkeypatch.setattr(bv, "MAX_DRAWS", 100)
    x, model = np.linspace(0, 1, 10), LinearRegression()
    assert bv.decompose(data.runge, x, noise_sd=0.1, model=model, repeats=10, x_new=np.linspace(0, 1, 10))["variance_new"] > 0
    with pytest.raises(ValueError, match=r"^repeats must be <= 10"):
        bv.decompose(data.runge, x, noise_sd=0.1, model=model, repeats=11)
    with pytest.raises(ValueError, match=r"^x_new \(11 inputs\) times repeats \(10\) must be at most 100 draws; use fewer inputs or repeats$"):
        bv.decompose(data.runge, x, noise_sd=0.1, model=model, repeats=10, x_new=np.linspace(0, 1, 11))
    assert bv.decompose(data.runge, np.linspace(0, 1, 60), noise_sd=0.1, model=model, repeats=2)["variance"] > 0


def test_learning_curve_names_the_range_a_truth_refuses():
    def positive_only(x):
        if np.any(np.asarray(x) < 0):
            raise ValueError("x must be >= 0")
        return np.sqrt(x)

    with pytest.raises(ValueError, match=r"^truth cannot take inputs drawn from \[low, high\] = \[-1, 1\]: x must be "
                                         r">= 0; choose low and high inside the range the truth accepts"):
        bv.learning_curve(positive_only, degree=1, sizes=[10], noise_sd=0.1, low=-1, high=1, n_val=10)


def test_defaults_are_reproducible():
    """Without rng, each function draws from its own stream derived from the course seed: the same numbers each call."""
    first = bv.decompose(data.runge, np.linspace(-1, 1, 5), noise_sd=0.1, model=bv.polynomial_model(1), repeats=3)
    assert first == bv.decompose(data.runge, np.linspace(-1, 1, 5), noise_sd=0.1, model=bv.polynomial_model(1), repeats=3)
    curve = bv.learning_curve(data.cosine_truth, degree=1, sizes=[5], noise_sd=0.1, repeats=2, n_val=10)
    assert curve.equals(bv.learning_curve(data.cosine_truth, degree=1, sizes=[5], noise_sd=0.1, repeats=2, n_val=10))
    dd = bv.double_descent(n_train=5, n_features=[3], draws=1, n_test=10)
    assert dd.equals(bv.double_descent(n_train=5, n_features=[3], draws=1, n_test=10))


def test_documented_defaults():
    """Leaving an argument out is the same as giving the default its signature documents."""
    from sklearn.linear_model import LinearRegression

    x = np.linspace(-1, 1, 5)
    assert bv.decompose(data.runge, x, noise_sd=0.1, model=LinearRegression(), rng=np.random.default_rng(0)) == \
        bv.decompose(data.runge, x, noise_sd=0.1, model=LinearRegression(), repeats=200, rng=np.random.default_rng(0))
    short = bv.learning_curve(data.cosine_truth, degree=1, sizes=[5], noise_sd=0.1, rng=np.random.default_rng(0))
    full = bv.learning_curve(data.cosine_truth, degree=1, sizes=[5], noise_sd=0.1, repeats=20, n_val=1000, low=0.0,
                             high=1.0, rng=np.random.default_rng(0))
    assert short.equals(full)
    short = bv.double_descent(n_features=[3], rng=np.random.default_rng(0))
    full = bv.double_descent(n_train=100, n_inputs=5, n_features=[3], ridge_alpha=0.1, noise_sd=0.1, draws=5, n_test=2000,
                             rng=np.random.default_rng(0))
    assert short.equals(full)
    sweep = bv.double_descent(n_train=2, n_inputs=1, draws=1, n_test=10, rng=np.random.default_rng(0))
    assert sweep["n_features"].tolist() == [10, 25, 50, 75, 90, 100, 110, 125, 150, 250, 500, 1000, 2000]
    assert sweep.columns.tolist() == ["n_features", "min_norm_mse", "ridge_mse"]
    labelled = bv.double_descent(n_train=2, n_inputs=1, draws=1, n_test=10, rng=np.random.default_rng(0), progress="sweep")
    assert labelled.equals(sweep)  # a progress bar changes nothing in the results


def test_more_messages_and_the_rng_is_used():
    from sklearn.linear_model import LinearRegression

    with pytest.raises(TypeError, match=r"such as range\(1, 13\), got NoneType"):
        bv.errors_by_degree(data.load_noisy_cosine(), None)
    with pytest.raises(TypeError, match=r"^model must be a scikit-learn regressor \(with fit and predict\), got Fits"):
        bv.decompose(data.runge, [0.0, 1.0], noise_sd=0.1, model=type("Fits", (), {"fit": lambda self, X, y: self})())
    with pytest.raises(ValueError, match=r"^high must be >= -100000"):
        bv.learning_curve(data.cosine_truth, degree=30, sizes=[40], noise_sd=0.1, low=-5e4, high=-1.5e5)
    x = np.linspace(-1, 1, 5)
    one, two = (bv.decompose(data.runge, x, noise_sd=0.1, model=LinearRegression(), repeats=3,
                             rng=np.random.default_rng(seed)) for seed in (0, 1))
    assert one["variance"] != two["variance"]  # the training sets come from the given rng
