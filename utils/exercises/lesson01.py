"""Exercises of lesson 01: the bias-variance trade-off."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from utils.checks import (
    Exercise,
    Incorrect,
    as_choice,
    as_number,
    describe,
    expect,
    expect_close,
    with_text_note,
)
from utils.exercises._seed import session_seed

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


DEGREE_Q1 = 1
PREDICTIONS = {
    "a lot": ("lot", "falls a lot", "below half", "halves", "much lower"),
    "little": ("a little", "falls little", "not much", "stays", "stays about the same", "about the same", "the same", "little change"),
}
REASONS = {"bias": ("bias squared", "bias^2", "the bias"), "variance": ("the variance",)}


def _read_prediction(answer: Any) -> tuple[str, str]:
    """(prediction, reason) from a pair of words, or from one text that names both."""
    if isinstance(answer, str):
        for mark in ",:;()[].!'\"":
            answer = answer.replace(mark, " ")
        words = answer.lower().split()
        reason = [r for r in REASONS if r in words]
        fillers = (*REASONS, "because", "of", "its", "it", "the", "error", "validation", "squared")
        text = " ".join(w for w in words if w not in fillers)
        expect(len(reason) < 2, "name one reason, 'bias' or 'variance', not both.")
        expect(
            len(reason) == 1 and text != "",
            "give both parts: the prediction ('a lot' or 'little') and the reason ('bias' or 'variance').",
        )
        return as_choice(text, PREDICTIONS), reason[0]
    expect(
        isinstance(answer, list | tuple) and len(answer) == 2,
        f"give two words, e.g. ('a lot', 'variance'): the prediction, then the reason; you gave {describe(answer)}.",
    )
    first, second = answer
    try:  # the reason first is fine too
        return as_choice(second, PREDICTIONS), as_choice(first, REASONS)
    except Incorrect:
        return as_choice(first, PREDICTIONS), as_choice(second, REASONS)


def _check_prediction(answer: Any) -> str:
    prediction, reason = _read_prediction(answer)
    expect(
        prediction == "little",
        "more points shrink the variance, how far the fit swings from one training set to another; a straight line "
        "hardly swings. Compare errors_by_degree on 30 and 60 points.",
    )
    expect(
        reason == "bias",
        "right prediction, but a straight line has little variance (2 coefficients, 30 points); what stays is the "
        "part no number of points removes for a line: which one?",
    )
    praise = f"Little: degree {DEGREE_Q1}'s error is bias, a line against a curve, and more points do not bend a line."
    try:
        seed = session_seed()
    except Incorrect:  # an unreadable COURSE_SEED: the answer does not depend on it, only the numbers below do
        return praise
    validation, _ = _errors(seed)
    before, after = _errors_30(seed), validation[DEGREE_Q1]
    change = " (it even rose: that split draws other training and validation points)" if after > before else ""
    return f"{praise} Here its validation MSE went from {before:.3g} (30 points) to {after:.3g} (60){change}."


@lru_cache(maxsize=4)
def _errors_30(seed: int) -> float:
    """Degree 1's validation MSE with the lesson's 30 training points."""
    from utils.bias_variance import errors_by_degree
    from utils.data import load_noisy_cosine

    return float(errors_by_degree(load_noisy_cosine(seed=seed), [DEGREE_Q1])["validation_mse"].iloc[0])


q1 = Exercise(
    name="q1",
    question=(
        f"Predict, then verify: fitted to {N_TRAIN} training points (load_noisy_cosine(n_train={N_TRAIN})) instead "
        "of 30, does degree 1's validation error fall 'a lot' (below half) or change 'little', and why: 'bias' or 'variance'?"
    ),
    checker=_check_prediction,
    hint_text="Which part of the error does a straight line suffer from on a curve? Does that part depend on the number of points?",
    solution_code=(
        "from utils import bias_variance, data\n"
        "val = {n: bias_variance.errors_by_degree(data.load_noisy_cosine(n_train=n), [1])['validation_mse'].iloc[0]\n"
        f"       for n in (30, {N_TRAIN})}}\n"
        f"answer = ('a lot' if val[{N_TRAIN}] < val[30] / 2 else 'little', 'bias')"
    ),
    right_answers=(["little", "bias"], ("Little", " Bias "), "little, because of bias", ("stays about the same", "bias squared"),
                   "little: bias", "little (bias)", "The error falls little because of bias", ("bias", "little")),
    wrong_answers=(("a lot", "variance"), ("a lot", "bias"), ("little", "variance"), "little", ("little",), 5,
                   ("little", "noise"), ["variance", "little"], None, "bias", "little: bias or variance", "a lot (variance)"),
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
    "none of them": ("none", "nothing", "nothing helps", "none of them helps", "none helps", "neither", "none of those", "none of these", "none of the above"),
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
    right_answers=("None of them", "none", "nothing.", "'neither'", "none of those", "nothing helps", "none of them helps"),
    wrong_answers=("more data", "a stronger penalty", "a more flexible model", "dropout", ["none of them"], None),
)
