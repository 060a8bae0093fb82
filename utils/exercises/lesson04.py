"""Exercises of lesson 04: applying L2 regularization to a deep learning model."""

from __future__ import annotations

from typing import Any

from utils.checks import (
    Exercise,
    Incorrect,
    as_choice,
    as_number,
    as_numbers,
    expect,
    expect_close,
    matches,
    with_text_note,
)

import numpy as np

LR_Q1, FACTOR_Q1 = 0.05, 0.999


def _check_decay(answer: Any) -> str:
    lam, decay = as_numbers(answer, 2, "(lambda, weight_decay)", "(0.1, 0.2)")
    shrink = 1 - FACTOR_Q1  # what one step takes from the weight: learning rate * 2 * lambda = learning rate * d
    right_lam, right_decay = shrink / (2 * LR_Q1), shrink / LR_Q1
    if matches(lam, right_lam) and matches(decay, right_decay):
        return "lambda = 0.001 / (2 * 0.05) = 0.01 and d = 0.001 / 0.05 = 0.02 = 2 * lambda, as for any plain SGD step."
    expect(not (matches(lam, right_decay) and matches(decay, right_lam)), "the two numbers are swapped: lambda comes first.")
    expect(
        not matches(lam, shrink / LR_Q1),
        "that lambda is the decay's value: the gradient of lambda * w^2 is 2 * lambda * w, so the step takes "
        "learning rate * 2 * lambda * w.",
    )
    expect(not matches(lam, shrink), "that is the fraction the step takes; the learning rate multiplies the gradient.")
    expect(not matches(decay, shrink), "that d is the fraction the step takes; weight decay's step is learning rate * d * w.")
    expect(matches(lam, right_lam), f"lambda = {lam:.4g} is not it: one SGD step on lambda * w^2 multiplies w by what?")
    expect(matches(decay, right_decay), f"lambda is right; d = {decay:.4g} is not: one step of weight decay multiplies w by what?")
    raise Incorrect("not yet: compare both steps with the factor 0.999.")  # unreachable


q1 = Exercise(
    name="q1",
    question=(
        f"Plain SGD at learning rate {LR_Q1} with L2(lambda) multiplies a weight that no data push by {FACTOR_Q1} per "
        "step. Give (lambda, weight_decay): lambda, and the SGD weight_decay that takes the same step."
    ),
    checker=_check_decay,
    hint_text="One SGD step on lambda * w^2 multiplies w by 1 - lr * 2 * lambda; one step of weight decay d by 1 - lr * d.",
    solution_code=f"lam = (1 - {FACTOR_Q1}) / (2 * {LR_Q1})\nanswer = (lam, 2 * lam)",
    right_answers=((0.01, 0.02), [0.01, 0.02], np.array([0.01, 0.02]), ("0.01", "0.02"), (0.010004, 0.019996)),
    wrong_answers=((0.02, 0.01), (0.02, 0.04), (0.001, 0.002), (0.01, 0.001), (0.01, 0.01), 0.01, "0.01, 0.02", [0.01]),
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
        # The factor is 0.98, only 0.02 from 1 (no change): a 5% band would call 1.0 or 0.96 "close". Close means
        # getting the shrink 1 - factor right within a quarter: 0.005, i.e. answers from 0.975 to 0.985.
        close_within=(1 - one_step**STEPS_Q3) / 4,
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
