"""Exercises of 00_start_here: getting to know the seed and the data loaders."""

from __future__ import annotations

from typing import Any

from utils.checks import Exercise, Incorrect, expect, expect_number


def _check_seed(answer: Any) -> str:
    from utils.repro import DEFAULT_SEED, get_seed

    if isinstance(answer, str):
        raise Incorrect("that is text; give the seed as a number (an int), without quotes.")
    value = expect_number(answer, "The seed")
    seed = get_seed()
    expect(
        value == seed,
        f"{value:g} is not the seed this session uses. If you typed the default ({DEFAULT_SEED}), remember "
        "that COURSE_SEED may change it: ask utils rather than assuming.",
    )
    return "Every lesson reads its seed from this one place."


q1 = Exercise(
    name="q1",
    question="Which random seed is this session using? Get it from utils rather than typing it.",
    checker=_check_seed,
    hint_text="utils has a function whose name starts with get_ that reads COURSE_SEED.",
    solution_code="answer = utils.get_seed()",
    wrong_answers=("42", -1, 3.5),
)


def _check_shape(answer: Any) -> str:
    from utils.data import load_diabetes_split

    split = load_diabetes_split()
    rows, features = split.X_train.shape
    if not isinstance(answer, tuple) or len(answer) != 2:
        raise Incorrect("give a tuple of two numbers: (training rows, features), e.g. (100, 5).")
    got_rows, got_features = (expect_number(a, "Each entry") for a in answer)
    expect((got_rows, got_features) != (features, rows), "the two numbers are swapped: rows come first.")
    expect(got_rows != 442, "442 is the whole dataset; how many rows are left for training after the split?")
    expect(got_rows == rows, f"{got_rows:g} is not the number of training rows; look at split.X_train.shape.")
    expect(got_features == features, f"{got_features:g} is not the number of features.")
    return f"{rows} rows to learn from; validation and test rows are kept aside."


q2 = Exercise(
    name="q2",
    question="Load the diabetes split with utils and give (training rows, features) of its training matrix.",
    checker=_check_shape,
    hint_text="utils.data.load_diabetes_split() returns a Split; its X_train has a .shape.",
    solution_code="split = utils.data.load_diabetes_split()\nanswer = split.X_train.shape",
    wrong_answers=((442, 10), (10, 266), [266, 10], "266, 10"),
)
