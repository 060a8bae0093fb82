"""Exercises of lesson 02: lasso and ridge regularization."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from utils.checks import Exercise, as_choice, as_number, expect, expect_close, with_text_note

import numpy as np

REMOVED = ("bmi", "s5", "bp")
"""The first three features of the full path (printed in the lesson above the exercise) are removed, so that the
answer is not in any cell above it: it is not the fourth of the full path either."""


@lru_cache(maxsize=1)
def _first_features() -> tuple[str, str, tuple[str, ...]]:
    """(first feature without the REMOVED ones on standardised data, first on raw units, the remaining names)."""
    from utils.linear import lasso_entry_order

    from sklearn.datasets import load_diabetes
    from sklearn.preprocessing import StandardScaler

    bunch = load_diabetes(scaled=False)
    names = [str(n) for n in bunch.feature_names]
    keep = [j for j, n in enumerate(names) if n not in REMOVED]
    X_raw = bunch.data[:, keep]
    kept_names = [names[j] for j in keep]
    standardised = lasso_entry_order(StandardScaler().fit_transform(X_raw), bunch.target, kept_names)
    raw = lasso_entry_order(X_raw - X_raw.mean(axis=0), bunch.target, kept_names)
    return str(standardised["feature"].iloc[0]), str(raw["feature"].iloc[0]), tuple(kept_names)


_REMOVED_TEXT = ", ".join(REMOVED[:-1]) + " and " + REMOVED[-1]


def _check_first(answer: Any) -> str:
    first, raw_first, names = _first_features()
    name = as_choice(answer, (*REMOVED, *names))
    expect(name not in REMOVED, f"{name} is removed in this question: which of the other {len(names)} enters first?")
    expect(name != raw_first or raw_first == first, f"{raw_first} comes first on *raw* units; the question is about standardised features.")
    expect(
        name == first,
        f"{name} is not the first: at alpha_max the lasso admits the remaining feature most correlated with the target "
        "(the order of the full path depends on which features are already in the model).",
    )
    return f"{first}: without {_REMOVED_TEXT}, it is the feature whose correlation with the target is largest."


q1 = Exercise(
    name="q1",
    question=(
        f"On the standardised diabetes features without {_REMOVED_TEXT}, which feature does the lasso admit first as "
        "the penalty falls from alpha_max? Predict it, then verify with utils.linear.lasso_entry_order."
    ),
    checker=_check_first,
    hint_text="alpha_max = max |X^T (y - mean y)| / n: the first feature is the one that attains this maximum.",
    solution_code=(
        "from sklearn.datasets import load_diabetes\n"
        "from sklearn.preprocessing import StandardScaler\n"
        "bunch = load_diabetes(scaled=False, as_frame=True)\n"
        f"X = bunch.data.drop(columns={list(REMOVED)})\n"
        "order = utils.linear.lasso_entry_order(StandardScaler().fit_transform(X), bunch.target.to_numpy(), X.columns)\n"
        "answer = order['feature'].iloc[0]"
    ),
    right_answers=lambda s: (s.upper(), f" {s} ", f"'{s}'"),
    wrong_answers=(*REMOVED, "s3", "s1", "age", 2, ["s4"], "the first one"),
)

N_ROWS = 300
ALPHA_RIDGE = 10


def _check_ridge(answer: Any) -> str:
    value = as_number(answer, "the Keras L2 factor")
    expect_close(
        value,
        ALPHA_RIDGE / N_ROWS,
        what="the factor",
        mistakes=(
            (ALPHA_RIDGE, "that is scikit-learn's alpha unchanged; Ridge's loss is a sum over the rows, Keras's a mean."),
            (ALPHA_RIDGE / (2 * N_ROWS), "that halves it: neither Ridge's objective nor Keras's L2 has a factor 1/2."),
            (ALPHA_RIDGE * N_ROWS, "that multiplies by the number of rows; Keras's data loss is the smaller one, a mean."),
        ),
        otherwise=(
            f"{value:.4g} is not it: write Ridge's objective with a mean over the rows, as Keras's loss is, and read "
            "what multiplies ||w||^2."
        ),
    )
    return with_text_note(answer, f"L2({ALPHA_RIDGE} / {N_ROWS}) = L2(0.0333): Ridge sums the squared errors, Keras averages them.")


q2 = Exercise(
    name="q2",
    question=(
        f"Ridge(alpha={ALPHA_RIDGE}) is fitted on {N_ROWS} training rows. Which factor l2 makes Keras's L2(l2) on a "
        "Dense(1) model with mean squared error fit the same model?"
    ),
    checker=_check_ridge,
    hint_text="Divide Ridge's objective by n so that its loss becomes a mean, as in Keras: what multiplies ||w||^2?",
    solution_code=f"answer = {ALPHA_RIDGE} / {N_ROWS}",
    right_answers=(0.0333, "0.0333", 0.03333, np.float32(1 / 30), np.array(1 / 30), np.array([1 / 30]), "3.333%"),
    wrong_answers=(10, 10 / 600, 3000, 0.033, 0.05, float("nan"), float("inf"), 10**400, "0.03 3", [1 / 30, 1]),
)

ALPHA_LASSO = 0.1


def _check_lasso(answer: Any) -> str:
    value = as_number(answer, "the Keras L1 factor")
    expect_close(
        value,
        2 * ALPHA_LASSO,
        what="the factor",
        mistakes=(
            (ALPHA_LASSO, "that is scikit-learn's alpha unchanged; look at the 1/(2n) in front of Lasso's loss."),
            (ALPHA_LASSO / 2, "that divides by 2; bring Lasso's loss to Keras's mean squared error and see which way the 2 goes."),
            (ALPHA_LASSO / N_ROWS, "Lasso's loss is already a mean over the rows: no division by n here."),
        ),
        otherwise=(
            f"{value:.4g} is not it: scale Lasso's objective until its loss is Keras's mean squared error, then read "
            "what multiplies ||w||_1."
        ),
    )
    if isinstance(answer, str):
        return with_text_note(answer, "L1(0.2): Lasso's loss carries a 1/2 that Keras's mean squared error does not.")
    return "L1(2 * alpha) = L1(0.2): Lasso's loss carries a 1/2 that Keras's mean squared error does not."


q3 = Exercise(
    name="q3",
    question=(
        f"Which factor l1 makes Keras's L1(l1) on a Dense(1) model with mean squared error match "
        f"Lasso(alpha={ALPHA_LASSO})?"
    ),
    checker=_check_lasso,
    hint_text="Multiply Lasso's objective by 2: its loss becomes (1/n)||y - Xw||^2. What multiplies ||w||_1 now?",
    solution_code=f"answer = 2 * {ALPHA_LASSO}",
    right_answers=("0.2", 0.2, np.float32(0.2), np.array(0.2), "20%", 0.19999),
    wrong_answers=(0.1, 0.05, 0.21, 2, "two", None, float("-inf")),
)
