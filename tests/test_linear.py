from utils import linear

import numpy as np
import pytest
from sklearn.datasets import load_diabetes
from sklearn.linear_model import Lasso, LassoCV, Ridge
from sklearn.preprocessing import StandardScaler


@pytest.fixture(scope="module")
def diabetes():
    bunch = load_diabetes(scaled=False)
    return StandardScaler().fit_transform(bunch.data), bunch.target, bunch.feature_names


def test_alpha_max_is_where_every_coefficient_vanishes(diabetes):
    X, y, _ = diabetes
    alpha_max = linear.lasso_alpha_max(X, y)
    assert alpha_max == pytest.approx(45.16, abs=0.01)  # the facts page's value for standardised X, raw y
    assert np.count_nonzero(Lasso(alpha=1.001 * alpha_max, tol=1e-8).fit(X, y).coef_) == 0
    assert np.count_nonzero(Lasso(alpha=0.99 * alpha_max, tol=1e-8).fit(X, y).coef_) == 1


def test_entry_order_matches_the_literature(diabetes):
    X, y, names = diabetes
    order = linear.lasso_entry_order(X, y, names)
    assert order["feature"].head(5).tolist() == ["bmi", "s5", "bp", "s3", "sex"]
    s3 = order.set_index("feature").loc["s3"]
    assert s3["leaves_at"] == pytest.approx(0.104, abs=0.001)
    assert s3["re_enters_at"] == pytest.approx(0.062, abs=0.001)
    assert order["leaves_at"].notna().sum() == 1


def test_coefficient_path_and_bad_inputs(diabetes):
    X, y, _ = diabetes
    path = linear.coefficient_path(lambda a: Ridge(alpha=a), X, y, np.logspace(-1, 3, 5))
    assert path.shape == (5, 10)
    assert np.all(np.diff(np.linalg.norm(path, axis=1)) < 0)
    with pytest.raises(ValueError, match="> 0"):
        linear.coefficient_path(lambda a: Ridge(alpha=a), X, y, [0.0, 1.0])
    with pytest.raises(TypeError, match="function of alpha"):
        linear.coefficient_path(Ridge(), X, y, [1.0])
    with pytest.raises(ValueError, match="names"):
        linear.lasso_entry_order(X, y, ["a"])
    with pytest.raises(ValueError, match="same number of rows"):
        linear.lasso_alpha_max(X, y[:10])


def test_one_standard_error_rule_picks_a_larger_penalty(diabetes):
    X, y, _ = diabetes
    cv = LassoCV(cv=5, alphas=20).fit(X, y)
    alpha_1se = linear.one_standard_error_alpha(cv)
    assert alpha_1se >= cv.alpha_
    mean = cv.mse_path_.mean(axis=1)
    assert mean[list(cv.alphas_).index(alpha_1se)] <= mean.min() + cv.mse_path_.std(axis=1, ddof=1).max()
    with pytest.raises(TypeError, match="LassoCV"):
        linear.one_standard_error_alpha(Lasso())


def test_entry_order_refuses_a_string_of_feature_names(diabetes):
    X, y, _ = diabetes
    with pytest.raises(TypeError, match="feature_names must be a sequence of names.*got str"):
        linear.lasso_entry_order(X[:, :3], y, "abc")


def test_one_standard_error_rule_on_a_hand_computed_mse_path():
    """Four penalties on four folds, worked out by hand: the best penalty (0.1) has mean error 2 and fold errors
    1, 3, 1, 3, so a sample SD of sqrt(4/3) = 1.155 and a standard error of 1.155 / sqrt(4) = 0.577. Within
    2 + 0.577 = 2.577: the penalties 0.1 and 0.25 (mean 2.55), not 0.5 (mean 3, which one SD, 3.155, would let
    in) nor 1.0 (mean 4); with the population SD (ddof 0) the bound would be 2.5 and leave out 0.25."""
    from types import SimpleNamespace

    fitted = SimpleNamespace(
        alphas_=np.array([1.0, 0.5, 0.25, 0.1]),
        mse_path_=np.array([[4.0, 4.0, 4.0, 4.0], [3.0, 3.0, 3.0, 3.0], [2.55, 2.55, 2.55, 2.55], [1.0, 3.0, 1.0, 3.0]]),
    )
    assert linear.one_standard_error_alpha(fitted) == 0.25
    fitted.mse_path_[2] = 2.6  # just outside one standard error: the best penalty itself
    assert linear.one_standard_error_alpha(fitted) == 0.1


def test_alpha_max_by_hand_on_one_uncentred_column():
    """X^T (y - mean y) / n with X = (1, 2, 3), y = (1, 2, 6): (1 * -2 + 2 * -1 + 3 * 3) / 3 = 5/3. The formula
    holds for uncentred X too (y - mean y sums to zero, so centring X changes nothing), as scikit-learn's Lasso
    with its intercept confirms."""
    X, y = np.array([[1.0], [2.0], [3.0]]), np.array([1.0, 2.0, 6.0])
    alpha_max = linear.lasso_alpha_max(X, y)
    assert alpha_max == pytest.approx(5 / 3, rel=1e-12)
    assert Lasso(alpha=1.001 * alpha_max, tol=1e-10).fit(X, y).coef_[0] == 0
    assert Lasso(alpha=0.999 * alpha_max, tol=1e-10).fit(X, y).coef_[0] != 0
    assert linear.lasso_alpha_max([[1], [2], [3]], [1, 2, 6]) == pytest.approx(5 / 3, rel=1e-12)  # ints are fine


def test_entry_order_agrees_with_lasso_fits_between_the_knots():
    """Eight features on six points: a zero column (a) and one feature (h) never enter, f leaves and never comes
    back, g leaves and re-enters. Between every two knots of the exact path, the features the table says are
    in the model must be exactly those scikit-learn's coordinate-descent Lasso keeps at that penalty."""
    from sklearn.linear_model import lars_path

    rng = np.random.default_rng(29)
    X = rng.normal(size=(6, 8))
    X[:, 0] = 0.0
    X -= X.mean(axis=0)
    y = rng.normal(size=6)
    names = list("abcdefgh")
    order = linear.lasso_entry_order(X, y, names)
    assert order["feature"].tolist()[-2:] == ["a", "h"]  # never entered: last
    assert order["enters_at"].iloc[0] == pytest.approx(linear.lasso_alpha_max(X, y), rel=1e-9)
    table = order.set_index("feature").loc[names]
    assert table.loc["f"].isna().tolist() == [False, False, True]
    assert table.loc["g"].notna().all()
    enters, leaves, back = (np.nan_to_num(table[c].to_numpy(dtype=float), nan=-1.0)
                            for c in ("enters_at", "leaves_at", "re_enters_at"))
    knots = lars_path(X, y - y.mean(), method="lasso")[0]
    for alpha in np.sqrt(knots[:-2] * knots[1:-1]):  # between knots (the last one is at 0)
        expected = (alpha < enters) & ~((alpha < leaves) & (alpha >= back))
        kept = Lasso(alpha=alpha, tol=1e-12, max_iter=100_000).fit(X, y).coef_ != 0
        assert kept.tolist() == expected.tolist(), f"at alpha={alpha:.4g}"


def test_entry_order_says_nan_when_no_feature_leaves():
    """Two orthogonal centred features: both enter, neither leaves; the empty columns hold NaN (floats), not None."""
    X = np.array([[1.0, 1.0], [-1.0, 1.0], [1.0, -1.0], [-1.0, -1.0]])
    y = np.array([3.0, -1.0, 1.0, -3.0])  # X^T y / 4 = (2, 1): x1 enters at 2, x2 at 1
    order = linear.lasso_entry_order(X, y, ["x1", "x2"])
    assert order["feature"].tolist() == ["x1", "x2"]
    np.testing.assert_allclose(order["enters_at"], [2.0, 1.0])
    assert np.isnan(order["leaves_at"].to_numpy(dtype=float)).all()
    assert order[["leaves_at", "re_enters_at"]].dtypes.tolist() == [np.float64, np.float64]


def test_coefficient_path_reads_the_last_step_of_a_pipeline(diabetes):
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import FunctionTransformer

    X, y, _ = diabetes
    X_raw = X * 10 + 3  # the pipeline standardises it back
    path = linear.coefficient_path(
        lambda a: make_pipeline(FunctionTransformer(), StandardScaler(), Lasso(alpha=a)), X_raw, y, [1.0, 10.0]
    )
    expected = [Lasso(alpha=a).fit(StandardScaler().fit_transform(X_raw), y).coef_ for a in (1.0, 10.0)]
    np.testing.assert_allclose(path, expected, rtol=1e-6, atol=1e-8)
    assert linear.coefficient_path(lambda a: Lasso(alpha=a), X[:, :1], y, [1.0]).shape == (1, 1)


def test_coefficient_path_says_what_is_wrong(diabetes):
    from sklearn.neighbors import KNeighborsRegressor

    X, y, _ = diabetes
    ridge = lambda a: Ridge(alpha=a)  # noqa: E731
    cases = [
        (lambda: linear.coefficient_path("Ridge", X, y, [1.0]), TypeError,
         r"^make_model must be a function of alpha such as lambda a: Lasso\(alpha=a\), got str"),
        (lambda: linear.coefficient_path(ridge, X[:, 0], y, [1.0]), ValueError, r"^X must have 2 dimension"),
        (lambda: linear.coefficient_path(ridge, X, y[:, None], [1.0]), ValueError, r"^y must have 1 dimension"),
        (lambda: linear.coefficient_path(ridge, X[:, :0], y, [1.0]), ValueError, r"^X must have at least 1 column"),
        (lambda: linear.coefficient_path(ridge, X, y[:-1], [1.0]), ValueError, r"same number of rows: X has 442, y has 441"),
        (lambda: linear.coefficient_path(ridge, X, y, [[1.0]]), ValueError, r"^alphas must have 1 dimension"),
        (lambda: linear.coefficient_path(ridge, X, y, [-1.0]), ValueError, r"^alphas must all be > 0$"),
        (lambda: linear.coefficient_path(lambda a: "Lasso", X, y, [1.0]), TypeError,
         r"^make_model must return an unfitted scikit-learn model such as Lasso\(alpha=a\), got str$"),
        (lambda: linear.coefficient_path(lambda a: KNeighborsRegressor(), X, y, [1.0]), TypeError,
         r"^make_model must return a linear model \(one with coef_\), got KNeighborsRegressor$"),
    ]
    for call, error, match in cases:
        with pytest.raises(error, match=match):
            call()


def test_alpha_max_and_entry_order_say_what_is_wrong(diabetes):
    X, y, names = diabetes
    with pytest.raises(ValueError, match=r"^X must have 2 dimension"):
        linear.lasso_alpha_max(X[:, 0], y)
    with pytest.raises(ValueError, match=r"^y must have 1 dimension"):
        linear.lasso_alpha_max(X, y[:, None])
    with pytest.raises(ValueError, match=r"^y must have 1 dimension"):
        linear.lasso_entry_order(X, y[:, None], names)
    with pytest.raises(ValueError, match=r"^X must have at least 1 column"):
        linear.lasso_alpha_max(np.empty((len(y), 0)), y)


def test_one_standard_error_rule_at_its_boundaries():
    """Two folds: the best penalty (0.1) has fold errors 1 and 3, mean 2, SD sqrt(2), standard error exactly 1, so
    a penalty with mean error exactly 3 is within one standard error (the rule's bound is inclusive)."""
    from types import SimpleNamespace

    fitted = SimpleNamespace(alphas_=np.array([1.0, 0.5, 0.1]), mse_path_=np.array([[3.5, 3.5], [3.0, 3.0], [1.0, 3.0]]))
    assert linear.one_standard_error_alpha(fitted) == 0.5
    fitted.mse_path_[1] = [3.0, 3.0 + 1e-9]
    assert linear.one_standard_error_alpha(fitted) == 0.1


def test_one_standard_error_rule_says_what_is_wrong():
    from types import SimpleNamespace

    from sklearn.linear_model import ElasticNetCV

    four = np.array([1.0, 0.5, 0.25, 0.1])
    cases = [
        (SimpleNamespace(mse_path_=np.ones((4, 3))), TypeError, r"^cv_model must be a fitted LassoCV or ElasticNetCV"),
        (SimpleNamespace(alphas_=four), TypeError, r"^cv_model must be a fitted LassoCV or ElasticNetCV"),
        (SimpleNamespace(alphas_=four[:, None], mse_path_=np.ones((4, 3))), ValueError,
         r"^cv_model must have been fitted with a single l1_ratio"),
        (SimpleNamespace(alphas_=four, mse_path_=np.ones((4, 3, 2))), ValueError, r"^cv_model must have been fitted"),
        (SimpleNamespace(alphas_=four[:3], mse_path_=np.ones((4, 3))), ValueError,
         r"^cv_model must hold finite errors for each of its 3 penalties on at least 2 folds; .* shape \(4, 3\)"),
        (SimpleNamespace(alphas_=four, mse_path_=np.ones((4, 1))), ValueError, r"at least 2 folds"),
        (SimpleNamespace(alphas_=four, mse_path_=np.full((4, 3), np.nan)), ValueError, r"finite errors"),
    ]
    for fitted, error, match in cases:
        with pytest.raises(error, match=match):
            linear.one_standard_error_alpha(fitted)
    rng = np.random.default_rng(0)
    X, y = rng.normal(size=(30, 3)), rng.normal(size=30)
    with pytest.raises(ValueError, match="single l1_ratio"):
        linear.one_standard_error_alpha(ElasticNetCV(l1_ratio=[0.5, 1.0], cv=3, alphas=5).fit(X, y))
