"""Exercises of lesson 01: the bias-variance trade-off."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from utils.checks import Exercise, Incorrect, as_choice, as_number, as_whole_number, expect, with_text_note

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

DIAGNOSES = {"bias": ("high bias",), "variance": ("high variance",)}


def _check_diagnosis(answer: Any) -> str:
    word = as_choice(answer, DIAGNOSES)
    expect(
        word == "variance",
        "a high-bias model has a high training error too; here the training error is tiny and the gap is large.",
    )
    return "A near-zero training error with a large validation error, closing as data grows, is variance."


q2 = Exercise(
    name="q2",
    question=(
        "A model has training error 0.002 and validation error 0.9, and the gap shrinks as you add data. "
        "Is its main problem high 'bias' or high 'variance'?"
    ),
    checker=_check_diagnosis,
    hint_text="Which of the two makes the training error small and the validation error large?",
    solution_code="answer = 'variance'",
    right_answers=("Variance", " high variance ", "VARIANCE.", "'variance'"),
    wrong_answers=("bias", "high bias", 0.9, "overfitting", None),
)

REMEDIES = {
    "more data": ("more training data",),
    "a more flexible model": ("flexible model", "more flexibility", "a more complex model"),
    "a stronger penalty": ("stronger penalty", "more regularization"),
}


def _check_remedy(answer: Any) -> str:
    word = as_choice(answer, REMEDIES)
    expect(
        word != "more data",
        "when training and validation errors already meet on a plateau, more data cannot lower that plateau.",
    )
    expect(word != "a stronger penalty", "a penalty lowers variance at the price of more bias; this model has too much bias already.")
    return "High bias needs more flexibility (or better features); data and penalties fight variance."


q3 = Exercise(
    name="q3",
    question=(
        "Training and validation errors of a model meet on a plateau far above the noise level. Which helps: "
        "'more data', 'a more flexible model' or 'a stronger penalty'?"
    ),
    checker=_check_remedy,
    hint_text="The two errors already agree, so the gap (variance) is not the problem. What is left?",
    solution_code="answer = 'a more flexible model'",
    right_answers=("A more flexible model", "more flexible model", "a more flexible model."),
    wrong_answers=("more data", "a stronger penalty", "dropout", ["a more flexible model"]),
)
