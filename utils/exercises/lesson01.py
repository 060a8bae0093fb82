"""Exercises of lesson 01: the bias-variance trade-off."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from utils.checks import (
    Exercise,
    Incorrect,
    as_choice,
    as_number,
    as_whole_number,
    expect,
    expect_close,
    with_text_note,
)

import numpy as np

N_TRAIN = 60
DEGREES = range(1, 16)


@lru_cache(maxsize=4)
def _errors(seed: int) -> tuple[dict[int, float], dict[int, float]]:
    """Validation and training MSE by degree on the noisy cosine with N_TRAIN points (cached per seed)."""
    from utils.bias_variance import errors_by_degree
    from utils.data import load_noisy_cosine

    errors = errors_by_degree(load_noisy_cosine(n_train=N_TRAIN, seed=seed), DEGREES)
    degrees = [int(d) for d in errors["degree"]]
    return (
        dict(zip(degrees, errors["validation_mse"].astype(float), strict=True)),
        dict(zip(degrees, errors["train_mse"].astype(float), strict=True)),
    )


def _check_degree(answer: Any) -> str:
    from utils.repro import get_seed

    validation, train = _errors(get_seed())
    best_val, best_train = min(validation, key=validation.get), min(train, key=train.get)
    value = as_number(answer, "the degree")
    if 0 < value < 1:
        raise Incorrect("that looks like an error value; give the degree (a whole number from 1 to 15).")
    degree = as_whole_number(value, "the degree")
    expect(degree in validation, "give a whole number from 1 to 15.")
    if degree == best_val:
        return with_text_note(
            answer,
            f"Degree {best_val}: the lowest validation MSE ({validation[best_val]:.3g}) with {N_TRAIN} training points.",
        )
    expect(degree != best_train, f"degree {best_train} has the lowest *training* error; the question asks about validation.")
    direction = "lower" if best_val < degree else "higher"
    raise Incorrect(
        f"degree {degree}'s validation MSE is {validation[degree]:.3g}; a {direction} degree has a lower one: "
        "read the validation_mse column."
    )


q1 = Exercise(
    name="q1",
    question=(
        f"With {N_TRAIN} training points, data.load_noisy_cosine(n_train={N_TRAIN}), which degree from 1 to 15 has the "
        "lowest validation error in bias_variance.errors_by_degree?"
    ),
    checker=_check_degree,
    hint_text="errors_by_degree returns a DataFrame; idxmin() on its validation_mse column gives the row to read.",
    solution_code=(
        "from utils import bias_variance, data\n"
        f"errors = bias_variance.errors_by_degree(data.load_noisy_cosine(n_train={N_TRAIN}), range(1, 16))\n"
        "answer = int(errors.loc[errors['validation_mse'].idxmin(), 'degree'])"
    ),
    right_answers=lambda s: (float(s), np.int64(s), np.array(s), str(s), np.array([s])),
    wrong_answers=lambda s: (15 if s != 15 else 1, 0, 16, 0.012, 4.5, "four", [s, s], float("nan"), 10**400),
)

NOISE_Q2, EXPECTED_Q2, VARIANCE_Q2 = 0.01, 0.05, 0.004


def _check_bias2(answer: Any) -> str:
    value = as_number(answer, "bias squared")
    bias2 = EXPECTED_Q2 - NOISE_Q2 - VARIANCE_Q2
    expect(value >= 0, "bias squared is a square: it cannot be negative. Which parts add up to the expected error?")
    expect_close(
        value,
        bias2,
        what="bias squared",
        mistakes=(
            (EXPECTED_Q2 - VARIANCE_Q2, "that still contains the noise: no model removes it, and it is one of the three parts."),
            (EXPECTED_Q2 - NOISE_Q2, "that still contains the variance, the third part of the sum."),
            (EXPECTED_Q2, "that is the whole expected error; take away the two other parts."),
            (bias2**0.5, "that is the bias itself; the question asks for its square, the part of the sum."),
        ),
        otherwise=f"{value:.4g} is not it: write the expected error as the sum of its three parts and solve for the missing one.",
    )
    return with_text_note(
        answer,
        "0.05 - 0.01 - 0.004 = 0.036: bias squared is the largest part here, so this model is too rigid: it underfits.",
    )


q2 = Exercise(
    name="q2",
    question=(
        f"At one degree, the noise variance is {NOISE_Q2}, the measured expected error {EXPECTED_Q2} and the variance "
        f"{VARIANCE_Q2}. What is bias squared?"
    ),
    checker=_check_bias2,
    hint_text="The decomposition: expected error = noise + bias squared + variance. One part is unknown.",
    solution_code=f"answer = {EXPECTED_Q2} - {NOISE_Q2} - {VARIANCE_Q2}",
    right_answers=(0.036, "0.036", np.float32(0.036), np.array(0.036), np.array([0.036]), "3.6%"),
    wrong_answers=(0.046, 0.04, 0.05, 0.19, 0.064, 0.035, -0.036, "bias", float("nan"), 10**400),
)

REMEDIES = {
    "more data": ("more training data",),
    "a more flexible model": ("flexible model", "more flexibility", "a more complex model"),
    "a stronger penalty": ("stronger penalty", "more regularization"),
    "none of them": ("none", "nothing", "neither", "none of those", "none of these", "none of the above"),
}


def _check_remedy(answer: Any) -> str:
    word = as_choice(answer, REMEDIES)
    expect(
        word != "a more flexible model",
        "the two errors meet at the noise level, so bias squared is already near zero: more flexibility would only add variance.",
    )
    expect(word != "more data", "the gap between the errors is already closed: more data cannot lower an error that sits at the noise level.")
    expect(word != "a stronger penalty", "a penalty trades variance for bias; with almost no variance left, it can only add bias.")
    return "None of them: an error at the noise variance is the part no model can remove."


q3 = Exercise(
    name="q3",
    question=(
        "The noise variance is 0.04. As data grow, a model's training and validation errors meet at 0.041. Which helps: "
        "'more data', 'a more flexible model', 'a stronger penalty' or 'none of them'?"
    ),
    checker=_check_remedy,
    hint_text="Compare the plateau with the noise variance: what is left of bias squared and variance?",
    solution_code="answer = 'none of them'",
    right_answers=("None of them", "none", "nothing.", "'neither'", "none of those"),
    wrong_answers=("more data", "a stronger penalty", "a more flexible model", "dropout", ["none of them"], None),
)
