"""Exercises of lesson 02: lasso and ridge regularization."""

from __future__ import annotations

from typing import Any

from utils.checks import Exercise, Incorrect, expect, expect_number


def _first_feature() -> str:
    from utils.linear import lasso_entry_order

    from sklearn.datasets import load_diabetes
    from sklearn.preprocessing import StandardScaler

    bunch = load_diabetes(scaled=False)
    X = StandardScaler().fit_transform(bunch.data)
    return str(lasso_entry_order(X, bunch.target, bunch.feature_names)["feature"].iloc[0])


def _check_first(answer: Any) -> str:
    if not isinstance(answer, str):
        raise Incorrect("give the feature's name as a string, e.g. 'age'.")
    name = answer.strip().lower()
    first = _first_feature()
    expect(name != "s1", "s1 comes first on *raw* units; the question is about standardised features.")
    expect(name == first, f"{name!r} is not the first; the first is the feature most correlated with the target.")
    return f"{first}: at alpha_max it is the feature whose correlation with the target is largest."


q1 = Exercise(
    name="q1",
    question=(
        "On the standardised diabetes features, which feature does the lasso admit first as the penalty falls "
        "from alpha_max? Predict it, then verify with utils.linear.lasso_entry_order."
    ),
    checker=_check_first,
    hint_text="alpha_max = max |X^T (y - mean y)| / n: the first feature is the one that attains this maximum.",
    solution_code=(
        "from sklearn.datasets import load_diabetes\n"
        "from sklearn.preprocessing import StandardScaler\n"
        "bunch = load_diabetes(scaled=False)\n"
        "X = StandardScaler().fit_transform(bunch.data)\n"
        "order = utils.linear.lasso_entry_order(X, bunch.target, bunch.feature_names)\n"
        "answer = order['feature'].iloc[0]"
    ),
    wrong_answers=("s1", "s5", "age", 2),
)


def _check_ridge(answer: Any) -> str:
    value = expect_number(answer, "The Keras L2 factor")
    expect(value != 10, "that is scikit-learn's alpha unchanged; Ridge's loss is a sum, Keras's a mean.")
    expect(abs(value - 10 / 600) > 1e-12, "Keras's L2 has no 1/2: do not halve it.")
    expect(abs(value - 10 * 300) > 1e-9, "divide by the number of rows, do not multiply.")
    expect(abs(value - 10 / 300) < 1e-9, f"{value:g} is not it; Ridge(alpha) corresponds to L2(alpha / n).")
    return "L2(alpha / n) = L2(0.0333): Ridge sums the squared errors, Keras averages them."


q2 = Exercise(
    name="q2",
    question="Ridge(alpha=10) is fitted on 300 training rows. Which factor l2 makes Keras's L2(l2) fit the same model?",
    checker=_check_ridge,
    hint_text="Divide Ridge's objective by n so that its loss becomes a mean, as in Keras: what multiplies ||w||^2?",
    solution_code="answer = 10 / 300",
    wrong_answers=(10, 10 / 600, 3000, "0.033"),
)


def _check_lasso(answer: Any) -> str:
    value = expect_number(answer, "The Keras L1 factor")
    expect(value != 0.1, "that is scikit-learn's alpha unchanged; look at the 1/(2n) in front of Lasso's loss.")
    expect(abs(value - 0.05) > 1e-12, "the factor 2 goes the other way: Keras's loss has no 1/2.")
    expect(abs(value - 0.2) < 1e-12, f"{value:g} is not it; Lasso(alpha) corresponds to L1(2 * alpha).")
    return "L1(2 * alpha) = L1(0.2): Lasso's loss carries a 1/2 that Keras's mean squared error does not."


q3 = Exercise(
    name="q3",
    question="Which factor l1 makes Keras's L1(l1) on a Dense(1) model with mean squared error match Lasso(alpha=0.1)?",
    checker=_check_lasso,
    hint_text="Multiply Lasso's objective by 2: its loss becomes (1/n)||y - Xw||^2. What multiplies ||w||_1 now?",
    solution_code="answer = 2 * 0.1",
    wrong_answers=(0.1, 0.05, "0.2"),
)
