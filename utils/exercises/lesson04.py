"""Exercises of lesson 04: applying L2 regularization to a deep learning model."""

from __future__ import annotations

from typing import Any

from utils.checks import Exercise, call_learner_function, expect, expect_choice, expect_number

import numpy as np


def _check_decay(answer: Any) -> str:
    value = expect_number(answer, "The weight decay")
    expect(abs(value - 5e-4) > 1e-15, "that is lambda itself; the gradient of lambda * w^2 is 2 * lambda * w.")
    expect(abs(value - 2.5e-4) > 1e-15, "the factor goes the other way: the derivative of w^2 is 2w.")
    expect(abs(value - 1e-3) < 1e-15, f"{value:g} is not it: weight_decay = 2 * lambda for plain SGD.")
    return "weight_decay = 2 * 0.0005 = 0.001 (with biases excluded, as the penalty excludes them)."


q1 = Exercise(
    name="q1",
    question="With plain SGD, which weight_decay trains exactly like L2(0.0005) on the kernels?",
    checker=_check_decay,
    hint_text="One SGD step on lambda * w^2 subtracts learning_rate * (its gradient); weight decay subtracts learning_rate * d * w.",
    solution_code="answer = 2 * 0.0005",
    wrong_answers=(5e-4, 2.5e-4, 0.1),
)


def _check_adam(answer: Any) -> str:
    expect(
        expect_choice(answer, ("yes", "no")) == "no",
        "the twins above drifted apart: Adam divides the penalty's gradient by its running scale, weight decay is not divided.",
    )
    return "No: with Adam an L2 penalty changes the objective; AdamW changes the update. They converge elsewhere."


q2 = Exercise(
    name="q2",
    question="Do Adam with L2(lambda) and AdamW(weight_decay=2*lambda), from the same start, train to the same weights? ('yes' or 'no')",
    checker=_check_adam,
    hint_text="Look at the relative difference printed for the Adam pair.",
    solution_code="answer = 'no'",
    wrong_answers=("yes", True, "maybe"),
)


def _check_l2(answer: Any) -> str:
    import keras

    kernel = np.random.default_rng(1).normal(size=(4, 6)).astype(np.float32)
    l2 = 0.03
    got = call_learner_function(answer, kernel, l2, signature="(kernel, l2) that returns a number")
    value = expect_number(float(np.asarray(got)) if np.size(got) == 1 else got, "The penalty")
    expected = float(keras.regularizers.L2(l2)(keras.ops.convert_to_tensor(kernel)))
    expect(not np.isclose(value, 0.5 * expected, rtol=1e-4), "Keras's L2 has no factor 1/2.")
    expect(not np.isclose(value, l2 * np.abs(kernel).sum(), rtol=1e-4), "that is the L1 penalty: square the weights.")
    expect(not np.isclose(value, l2 * np.sqrt(np.square(kernel).sum()), rtol=1e-4), "no square root: the sum of squares.")
    expect(np.isclose(value, expected, rtol=1e-4), f"your function gives {value:.4g} where Keras gives {expected:.4g}.")
    return "L2(l2) adds l2 * sum w^2: no 1/2, no mean, no square root."


q3 = Exercise(
    name="q3",
    question="Write l2_penalty(kernel, l2): the number Keras's L2(l2) regularizer adds to the loss for this kernel.",
    checker=_check_l2,
    hint_text="Square every weight, sum them all, multiply by l2.",
    solution_code="def answer(kernel, l2):\n    return l2 * np.square(kernel).sum()",
    wrong_answers=(
        lambda k, l2: 0.5 * l2 * np.square(k).sum(),
        lambda k, l2: l2 * np.abs(k).sum(),
        lambda k, l2: l2 * np.sqrt(np.square(k).sum()),
    ),
)
