"""Exercises of lesson 04: applying L2 regularization to a deep learning model."""

from __future__ import annotations

from typing import Any

from utils.checks import Exercise, as_choice, as_number, expect, expect_close, with_text_note

import numpy as np

LAMBDA_Q1 = 0.0005


def _check_decay(answer: Any) -> str:
    value = as_number(answer, "the weight decay")
    expect_close(
        value,
        2 * LAMBDA_Q1,
        what="the weight decay",
        mistakes=(
            (LAMBDA_Q1, "that is lambda itself; take the gradient of lambda * w^2."),
            (LAMBDA_Q1 / 2, "that halves lambda; the derivative of w^2 does not halve anything."),
        ),
        otherwise=f"{value:.4g} is not it: compare one SGD step on lambda * w^2 with one step of weight decay d * w.",
    )
    return with_text_note(answer, "weight_decay = 2 * 0.0005 = 0.001 (with biases excluded, as the penalty excludes them).")


q1 = Exercise(
    name="q1",
    question=f"With plain SGD, which weight_decay trains exactly like L2({LAMBDA_Q1}) on the kernels?",
    checker=_check_decay,
    hint_text="One SGD step on lambda * w^2 subtracts learning_rate * (its gradient); weight decay subtracts learning_rate * d * w.",
    solution_code=f"answer = 2 * {LAMBDA_Q1}",
    right_answers=("0.001", 1e-3, np.float32(1e-3), np.array(1e-3), "0.1%"),
    wrong_answers=(5e-4, 2.5e-4, 0.1, 0.00098, "2 * lambda", float("nan")),
)

YES_NO = {"yes": ("same",), "no": ("different",)}


def _check_rmsprop(answer: Any) -> str:
    expect(
        as_choice(answer, YES_NO) == "no",
        "RMSprop, like Adam, divides each gradient, the penalty's included, by a running scale; weight decay is "
        "applied outside that division.",
    )
    return (
        "No: as with Adam, the L2 gradient is rescaled by RMSprop and weight decay is not; only plain SGD (no "
        "momentum) makes the two the same."
    )


q2 = Exercise(
    name="q2",
    question=(
        "Do RMSprop with L2(lambda) and RMSprop(weight_decay=2*lambda), from the same start, train to the same "
        "weights? ('yes' or 'no')"
    ),
    checker=_check_rmsprop,
    hint_text="RMSprop divides each weight's gradient by a running average of its size. Which of the two goes through that?",
    solution_code="answer = 'no'",
    right_answers=("No", " no ", "NO.", "different"),
    wrong_answers=("yes", True, "maybe", 0),
)

LR_Q3, LAMBDA_Q3, STEPS_Q3 = 0.01, 0.001, 1000


def _check_blank(answer: Any) -> str:
    value = as_number(answer, "the factor")
    one_step = 1 - 2 * LR_Q3 * LAMBDA_Q3
    expect_close(
        value,
        one_step**STEPS_Q3,
        what="the factor",
        mistakes=(
            ((1 - LR_Q3 * LAMBDA_Q3) ** STEPS_Q3, "the gradient of lambda * w^2 is 2 * lambda * w: a factor 2 is missing."),
            (one_step, "that is about one step's factor (or no change at all); the factor compounds over 1,000 steps."),
            (0.0, "a gradient step multiplies the weight by a factor just below 1: it shrinks, it is not cleared."),
            ((1 - 2 * LAMBDA_Q3) ** STEPS_Q3, "the learning rate multiplies the gradient too."),
        ),
        otherwise=f"{value:.4g} is not it: what does one step multiply the weight by, and how do 1,000 steps combine?",
    )
    return with_text_note(
        answer,
        f"(1 - 2 * {LR_Q3} * {LAMBDA_Q3})^{STEPS_Q3} = {one_step**STEPS_Q3:.3f}: plain SGD + L2 barely moves a weight "
        "that no data pushes; Adam, which divides each gradient by its running scale, moves it by up to about the "
        "learning rate per step.",
    )


q3 = Exercise(
    name="q3",
    question=(
        f"An always-blank pixel's weights get no data gradient, only L2({LAMBDA_Q3})'s. By what factor does plain "
        f"SGD at learning rate {LR_Q3} multiply such a weight over {STEPS_Q3:,} steps?"
    ),
    checker=_check_blank,
    hint_text="One SGD step subtracts learning_rate * 2 * lambda * w from w: that multiplies w by a constant. Repeat it.",
    solution_code=f"answer = (1 - 2 * {LR_Q3} * {LAMBDA_Q3}) ** {STEPS_Q3}",
    right_answers=(0.98, "0.980", 0.9802, np.float32(0.980199), np.exp(-2 * LR_Q3 * LAMBDA_Q3 * STEPS_Q3), "98%"),
    wrong_answers=(0.99005, 0.99998, 0, 0.135, 1, 0.97, "almost zero", [0.98]),
)
