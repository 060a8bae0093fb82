"""Exercises of lesson 03: applying L1 regularization to a deep learning model."""

from __future__ import annotations

from typing import Any

from utils.checks import Exercise, call_learner_function, expect, expect_choice, expect_number

import numpy as np


def _check_penalty(answer: Any) -> str:
    import keras

    rng = np.random.default_rng(0)
    kernel, l1 = rng.normal(size=(5, 3)).astype(np.float32), 0.07
    got = call_learner_function(answer, kernel, l1, signature="(kernel, l1) that returns a number")
    value = expect_number(float(np.asarray(got)) if np.size(got) == 1 else got, "The penalty")
    expected = float(keras.regularizers.L1(l1)(keras.ops.convert_to_tensor(kernel)))
    expect(not np.isclose(value, l1 * np.square(kernel).sum(), rtol=1e-4), "that squares the weights: that is L2.")
    expect(not np.isclose(value, l1 * np.abs(kernel).mean(), rtol=1e-4), "Keras sums the absolute weights; it does not average them.")
    expect(not np.isclose(value, np.abs(kernel).sum(), rtol=1e-4), "multiply by the strength l1.")
    expect(np.isclose(value, expected, rtol=1e-4), f"your function gives {value:.4g} where Keras gives {expected:.4g}.")
    return "L1(l1) adds l1 * sum |w| over the kernel, once per training step."


q1 = Exercise(
    name="q1",
    question="Write l1_penalty(kernel, l1): the number Keras's L1(l1) regularizer adds to the loss for this kernel.",
    checker=_check_penalty,
    hint_text="Absolute values, summed over every weight of the kernel (no mean), times l1.",
    solution_code="def answer(kernel, l1):\n    return l1 * np.abs(kernel).sum()",
    wrong_answers=(
        lambda k, l1: l1 * np.square(k).sum(),
        lambda k, l1: l1 * np.abs(k).mean(),
        lambda k, l1: np.abs(k).sum(),
        0.03,
    ),
)

CHOICES = ("none", "a few", "about half", "most")


def _check_zeros(answer: Any) -> str:
    word = expect_choice(answer, CHOICES)
    expect(word == "none", "|w| has no gradient at 0: Adam's steps make small weights jitter around zero, not stop on it.")
    return "None: near-zeros by the thousand, exact zeros only with a proximal step or pruning."


q2 = Exercise(
    name="q2",
    question=(
        "A network trained with Adam and L1(0.03) on its first layer: how many of that layer's weights are exactly "
        "zero: 'none', 'a few', 'about half' or 'most'?"
    ),
    checker=_check_zeros,
    hint_text="Look at the first row of the sparsity table, tolerance 0.",
    solution_code="answer = 'none'",
    wrong_answers=("most", "about half", 0),
)


def _check_threshold(answer: Any) -> str:
    value = expect_number(answer, "The threshold")
    expect(value != 0.03, "that is lambda alone; each step moves a weight by the learning rate times lambda.")
    expect(value != 0.1, "that is the learning rate alone; multiply by lambda.")
    expect(abs(value - 0.0015) > 1e-12, "no factor 1/2 here: the penalty is lambda * |w|, whose slope is lambda.")
    expect(abs(value - 0.003) < 1e-12, f"{value:g} is not it: t = learning rate * lambda.")
    return "t = 0.1 * 0.03 = 0.003: the proximal step of the L1 penalty for one SGD step."


q3 = Exercise(
    name="q3",
    question=(
        "You train with plain SGD at learning rate 0.1 and want the proximal equivalent of L1(0.03). Which threshold "
        "t do you give SoftThreshold(t)?"
    ),
    checker=_check_threshold,
    hint_text="One SGD step on lambda * |w| moves w by learning rate times the slope of the penalty.",
    solution_code="answer = 0.1 * 0.03",
    wrong_answers=(0.03, 0.1, 0.0015, 3.0),
)
