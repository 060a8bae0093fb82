"""Exercises of lesson 05: Elastic Net regularization."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from utils.checks import (
    CLOSE_TOL,
    Exercise,
    Incorrect,
    as_choice,
    as_number,
    as_numbers,
    as_whole_number,
    describe,
    expect,
    expect_close,
    matches,
    with_text_note,
)

import numpy as np
import pandas as pd

ALPHA, L1_RATIO = 0.1, 0.25
RIGHT = (2 * ALPHA * L1_RATIO, ALPHA * (1 - L1_RATIO))  # (0.05, 0.075)


def _pair(answer: Any) -> list[float]:
    """(l1, l2) from a pair in any order-keeping container, a mapping with keys l1 and l2, or a Keras L1L2."""
    config = None
    if isinstance(answer, Mapping):
        config = answer
    elif callable(getattr(type(answer), "get_config", None)) and type(answer).__name__ == "L1L2":
        try:
            config = answer.get_config()
        except Exception:
            raise Incorrect(f"could not read the factors of {describe(answer)}.") from None
    if config is not None:
        if not ({"l1", "l2"} <= set(config)):
            raise Incorrect("give the pair (l1, l2), or a dict with keys 'l1' and 'l2'.")
        return [as_number(config["l1"], "l1"), as_number(config["l2"], "l2")]
    return as_numbers(answer, 2, "the pair (l1, l2)", "(0.1, 0.2)")


def _check_conversion(answer: Any) -> str:
    l1, l2 = _pair(answer)
    right_l1, right_l2 = matches(l1, RIGHT[0]), matches(l2, RIGHT[1])
    if right_l1 and right_l2:
        return with_text_note(answer, "L1L2(l1=0.05, l2=0.075): twice scikit-learn's objective is Keras's.")
    expect(not (matches(l1, RIGHT[1]) and matches(l2, RIGHT[0])), "the two are swapped: l1 comes first.")
    expect(not (matches(l1, ALPHA) and matches(l2, L1_RATIO)), "those are alpha and l1_ratio unchanged; convert them.")
    expect(not matches(l1, ALPHA * L1_RATIO), "l1 needs a factor 2: Lasso's loss has a 1/2 that Keras's does not.")
    expect(not matches(l2, ALPHA * (1 - L1_RATIO) / 2), "no 1/2 on l2: doubling scikit-learn's objective doubles its alpha*(1-r)/2 too.")
    if right_l1:
        expect_close(l2, RIGHT[1], what="l2", otherwise=(
            f"l1 is right; l2 = {l2:.4g} is not: read what multiplies ||w||^2 once the loss is doubled."))
    if right_l2:
        expect_close(l1, RIGHT[0], what="l1", otherwise=(
            f"l2 is right; l1 = {l1:.4g} is not: read what multiplies ||w||_1 once the loss is doubled."))
    if matches(l1, RIGHT[0], CLOSE_TOL) and matches(l2, RIGHT[1], CLOSE_TOL):
        raise Incorrect(
            f"close: ({l1:.4g}, {l2:.4g}) is within 5% of the pair but not within 0.1%: give more digits (four "
            "significant digits are enough)."
        )
    raise Incorrect(
        f"({l1:.4g}, {l2:.4g}) is not it: multiply scikit-learn's objective by 2 so that its loss is Keras's mean "
        "squared error, then read the two factors."
    )


def _l1l2(l1: float, l2: float) -> Any:
    import keras

    return keras.regularizers.L1L2(l1=l1, l2=l2)


q1 = Exercise(
    name="q1",
    question=(
        f"Convert ElasticNet(alpha={ALPHA}, l1_ratio={L1_RATIO}) to the factors (l1, l2) of Keras's L1L2 for a "
        "Dense(1) model with MSE."
    ),
    checker=_check_conversion,
    hint_text="Multiply scikit-learn's objective by 2 so that its loss becomes Keras's mean squared error.",
    solution_code=f"answer = utils.penalties.elastic_net_to_keras_l1l2({ALPHA}, {L1_RATIO})",
    right_answers=lambda s: (
        list(s),
        np.array(s),
        {"l1": s[0], "l2": s[1]},
        _l1l2(*s),
        ("0.05", "0.075"),
        pd.Series(list(s)),
    ),
    wrong_answers=(
        (0.025, 0.075), (0.05, 0.0375), (0.1, 0.25), (0.075, 0.05), (0.05, 0.1), (0.2, 0.075), (0.05, 0.0751), (0.0502, 0.0748), 0.05,
        {"l1": 0.05}, {0.05, 0.075}, "0.05, 0.075", [[0.05, 0.075]],
    ),
)

DIRECTIONS = {"grow": ("grows",), "shrink": ("shrinks",), "stay the same": ("stays the same", "same")}


def _check_direction(answer: Any) -> str:
    expect(
        as_choice(answer, DIRECTIONS) == "shrink",
        "at l1_ratio 0 (ridge) no coefficient is exactly zero; at 1 the lasso tends to keep only part of a correlated group.",
    )
    return (
        "It shrinks: ridge (l1_ratio 0) keeps every member with a non-zero weight; the lasso (1) tends to keep only part "
        "of a strongly correlated group."
    )


q2 = Exercise(
    name="q2",
    question=(
        "As l1_ratio moves from 0 (ridge) to 1 (the lasso), does the number of members of a group of strongly "
        "correlated features kept with a non-zero weight 'grow', 'shrink' or 'stay the same'?"
    ),
    checker=_check_direction,
    hint_text="Which of the two ends, ridge or the lasso, sets coefficients exactly to zero?",
    solution_code="answer = 'shrink'",
    right_answers=("shrinks", "Shrink", " SHRINKS. ", "'shrink'"),
    wrong_answers=("grows", "grow", "stays the same", "same", 1, "smaller"),
)

N_ROWS, N_FEATURES = 35, 200


def _check_cap(answer: Any) -> str:
    value = as_number(answer, "the number of features")
    count = as_whole_number(value, "the number of features")
    expect(count != N_FEATURES, "the lasso cannot keep every feature here: with more features than rows it is capped.")
    expect(count != N_ROWS, f"{N_ROWS} would be the cap without an intercept; centring the data for one uses up a row's worth.")
    expect(
        count == N_ROWS - 1,
        f"{count} is not the cap: see the section 'Going further: more features than rows' and what the intercept takes.",
    )
    return with_text_note(answer, f"At most n - 1 = {N_ROWS - 1}: no more non-zeros than the rows can pin down, less one for the intercept.")


q3 = Exercise(
    name="q3",
    question=(
        f"A lasso with an intercept is fitted to {N_ROWS} rows and {N_FEATURES} features. At most how many features "
        "can it keep (with non-zero coefficients) at any penalty?"
    ),
    checker=_check_cap,
    hint_text="Look at the 'more features than rows' section, and at what the intercept takes.",
    solution_code=f"answer = {N_ROWS} - 1",
    right_answers=(34.0, "34", np.int64(34), np.array(34)),
    wrong_answers=(200, 35, 10, 34.5, "34 features", float("nan"), 10**400),
)
