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

N_ROWS, N_ROWS_NEW, ALPHA_RIDGE = 300, 600, 10


def _check_ridge(answer: Any) -> str:
    value = as_number(answer, "the Ridge alpha")
    l2 = ALPHA_RIDGE / N_ROWS
    expect_close(
        value,
        l2 * N_ROWS_NEW,
        what="the alpha",
        mistakes=(
            (ALPHA_RIDGE, "the Keras factor is the same, but Ridge's loss is a sum over the rows: with twice the rows, "
                          "does the same penalty weigh more or less against it?"),
            (ALPHA_RIDGE * N_ROWS / N_ROWS_NEW, "that goes the wrong way: Keras's loss is a mean and stays the same size, "
                                                "while Ridge's sum doubles with the rows."),
            (l2, "that is the Keras factor itself; Ridge's alpha multiplies ||w||^2 next to a sum, not a mean."),
        ),
        otherwise=(
            f"{value:.4g} is not it: first find the Keras factor l2 from Ridge(alpha={ALPHA_RIDGE}) on {N_ROWS} rows, "
            f"then convert back with {N_ROWS_NEW} rows."
        ),
    )
    return with_text_note(
        answer,
        f"alpha = l2 * n = ({ALPHA_RIDGE} / {N_ROWS}) * {N_ROWS_NEW} = 20: the same Keras factor is a stronger Ridge "
        "penalty on more rows, because Ridge's loss grows with n and Keras's does not.",
    )


q2 = Exercise(
    name="q2",
    question=(
        f"Keras's L2(l2) on a Dense(1) model with mean squared error matches Ridge(alpha={ALPHA_RIDGE}) on {N_ROWS} "
        f"rows. Trained on {N_ROWS_NEW} rows with the same l2, which Ridge alpha does it match?"
    ),
    checker=_check_ridge,
    hint_text="Two conversions: Ridge to Keras on 300 rows gives l2; then Keras to Ridge on 600 rows.",
    solution_code=f"l2 = {ALPHA_RIDGE} / {N_ROWS}\nanswer = l2 * {N_ROWS_NEW}",
    right_answers=(20, "20", 20.0, np.float32(20), np.array(20.0), np.array([20]), 19.99),
    wrong_answers=(10, 5, 1 / 30, 0.0667, 19, 40, float("nan"), float("inf"), 10**400, "twenty", [20, 1]),
)

ALPHA_MAX_Q3 = 0.8


def _check_lasso(answer: Any) -> str:
    value = as_number(answer, "the Keras L1 factor")
    expect_close(
        value,
        2 * ALPHA_MAX_Q3,
        what="the factor",
        mistakes=(
            (ALPHA_MAX_Q3, "that is scikit-learn's alpha_max unchanged; Lasso's loss and Keras's are scaled differently."),
            (ALPHA_MAX_Q3 / 2, "that goes the wrong way; bring Lasso's loss to Keras's mean squared error and see where the 2 goes."),
        ),
        otherwise=(
            f"{value:.4g} is not it: alpha_max is a Lasso alpha; convert it as you would any Lasso alpha, by comparing "
            "the two objectives."
        ),
    )
    return with_text_note(
        answer,
        "L1(2 * 0.8) = L1(1.6): alpha_max converts like any Lasso alpha (Lasso's loss carries a 1/2 that Keras's mean "
        "squared error does not). Above it, all-zero weights are the optimum, though Adam only gets near them.",
    )


q3 = Exercise(
    name="q3",
    question=(
        f"On some standardised data, Lasso's alpha_max is {ALPHA_MAX_Q3}. Above which factor l1 is an all-zero kernel "
        "the optimum of Keras's L1(l1) on a Dense(1) model with mean squared error, same data?"
    ),
    checker=_check_lasso,
    hint_text="alpha_max is a value of Lasso's alpha. How does a Lasso alpha convert to a Keras L1 factor?",
    solution_code=f"answer = 2 * {ALPHA_MAX_Q3}",
    right_answers=("1.6", 1.6, np.float32(1.6), np.array(1.6), "160%", 1.6005),
    wrong_answers=(0.8, 0.4, 1.5, 3.2, "two", None, float("-inf")),
)
