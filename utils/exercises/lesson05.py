"""Exercises of lesson 05: Elastic Net regularization."""

from __future__ import annotations

from typing import Any

from utils.checks import Exercise, Incorrect, expect, expect_choice, expect_number

import numpy as np


def _check_conversion(answer: Any) -> str:
    if not isinstance(answer, tuple | list) or len(answer) != 2:
        raise Incorrect("give a pair (l1, l2), e.g. (0.1, 0.2).")
    l1, l2 = (expect_number(a, "Each factor") for a in answer)
    expect(not (np.isclose(l1, 0.025) and np.isclose(l2, 0.075)), "l1 needs a factor 2: Lasso's loss has a 1/2 that Keras's does not.")
    expect(not np.isclose(l2, 0.0375), "no 1/2 on l2: scikit-learn's alpha*(1-r)/2 becomes alpha*(1-r) once the loss is doubled.")
    expect(not (np.isclose(l1, 0.1) and np.isclose(l2, 0.25)), "those are alpha and l1_ratio unchanged; convert them.")
    expect(np.isclose(l1, 0.05) and np.isclose(l2, 0.075), f"({l1:g}, {l2:g}) is not it: l1 = 2*alpha*r, l2 = alpha*(1-r).")
    return "L1L2(l1=0.05, l2=0.075)."


q1 = Exercise(
    name="q1",
    question="Convert ElasticNet(alpha=0.1, l1_ratio=0.25) to the factors (l1, l2) of Keras's L1L2 for a Dense(1) model with MSE.",
    checker=_check_conversion,
    hint_text="Multiply scikit-learn's objective by 2 so that its loss becomes Keras's mean squared error.",
    solution_code="answer = utils.penalties.elastic_net_to_keras_l1l2(0.1, 0.25)",
    wrong_answers=((0.025, 0.075), (0.05, 0.0375), (0.1, 0.25), 0.05),
)

DIRECTIONS = ("grows", "shrinks", "stays the same")


def _check_direction(answer: Any) -> str:
    expect(expect_choice(answer, DIRECTIONS) == "shrinks", "more L1 means more lasso-like: it keeps fewer members of a correlated group.")
    return "It shrinks: from the whole group (ridge-like) towards an arbitrary part of it (the lasso)."


q2 = Exercise(
    name="q2",
    question=(
        "As l1_ratio moves from 0 towards 1 (at a fixed fit quality), does the number of members kept from a group of "
        "correlated features 'grow', 'shrink' or 'stay the same'? Answer 'grows', 'shrinks' or 'stays the same'."
    ),
    checker=_check_direction,
    hint_text="l1_ratio = 1 is the lasso. Compare the two columns of the grouping table.",
    solution_code="answer = 'shrinks'",
    wrong_answers=("grows", "stays the same", 1),
)


def _check_cap(answer: Any) -> str:
    value = expect_number(answer, "The number of features")
    expect(value != 50, "the lasso cannot keep every feature here: with p > n it is capped.")
    expect(value in (19, 20), f"{value:g} is not the cap: it is the number of rows.")
    return "At most n = 20 (19 once the intercept has taken its share): no more non-zeros than rows."


q3 = Exercise(
    name="q3",
    question="With 20 rows and 50 features, at most how many features can the lasso keep?",
    checker=_check_cap,
    hint_text="Look at the 'more features than rows' section.",
    solution_code="answer = 20",
    wrong_answers=(50, 10, "20 features"),
)
