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
