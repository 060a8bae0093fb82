"""Exercises of lesson 03: applying L1 regularization to a deep learning model."""

from __future__ import annotations

from typing import Any

from utils.checks import (
    Exercise,
    Incorrect,
    as_array,
    as_number,
    call_learner_function,
    expect,
    expect_close,
    with_text_note,
)

import numpy as np

L1_STRENGTH = 0.07


def _kernel() -> np.ndarray:
    kernel = np.random.default_rng(0).normal(size=(5, 3)).astype(np.float32)
    kernel[1, 2] = kernel[3, 0] = 0.0  # exact zeros: where |w| has no slope
    return kernel


def _close(a: np.ndarray, b: np.ndarray) -> bool:
    return a.shape == b.shape and bool(np.allclose(a, b, rtol=1e-3, atol=1e-7))


def _check_gradient(answer: Any) -> str:
    kernel, l1 = _kernel(), L1_STRENGTH
    result = call_learner_function(answer, kernel.copy(), l1, signature="(kernel, l1) that returns an array shaped like kernel")
    got = as_array(result)
    expected = l1 * np.sign(kernel)
    expect(got.size != 1, "that is one number; return the gradient for every weight: an array shaped like kernel.")
    expect(got.shape == kernel.shape, f"the result has shape {got.shape}; the kernel's is {kernel.shape}.")
    if _close(got, expected):
        return (
            "l1 * sign(w): the same push for every non-zero weight, however small, so a gradient step jumps across "
            "zero instead of stopping on it (question 2)."
        )
    zeros = kernel == 0
    expect(not _close(got, 2 * l1 * kernel), "that is the slope of l1 * w^2, the L2 penalty.")
    expect(not _close(got, np.sign(kernel)), "multiply by the strength l1.")
    expect(not _close(got, l1 * np.abs(kernel)), "that is each weight's share of the penalty; the question asks for its slope.")
    expect(
        not _close(got[~zeros], expected[~zeros]),
        "right for every non-zero weight; where a weight is exactly 0, TensorFlow takes the slope of |w| as 0.",
    )
    expect(not _close(got, expected / kernel.size), "the penalty is a sum, not a mean: each weight's slope does not depend on how many there are.")
    first_off = np.flatnonzero(~np.isclose(got, expected, rtol=1e-3, atol=1e-7).ravel())[0]
    index = np.unravel_index(first_off, kernel.shape)
    w, g = float(kernel[index]), float(got[index])
    raise Incorrect(f"at the weight {w:.3g} your gradient is {g:.3g}; what is the slope of l1 * |w| there?")


q1 = Exercise(
    name="q1",
    question=(
        "Write l1_gradient(kernel, l1): the gradient of Keras's L1(l1) penalty with respect to each kernel weight, "
        "an array shaped like kernel (0 where a weight is exactly 0)."
    ),
    checker=_check_gradient,
    hint_text="The penalty is l1 * sum |w|: each term depends on one weight only. What is the slope of |w| for w > 0, w < 0?",
    solution_code="def answer(kernel, l1):\n    return l1 * np.sign(kernel)",
    right_answers=(
        lambda k, l1: (l1 * np.sign(k)).tolist(),
        lambda k, l1: np.where(k > 0, l1, np.where(k < 0, -l1, 0.0)),
        lambda k, l1: l1 * np.sign(k).astype(np.float32),
        lambda k, l1: np.asarray(l1 * np.sign(k), dtype=np.float64),
    ),
    wrong_answers=(
        lambda k, l1: 2 * l1 * k,
        lambda k, l1: np.sign(k),
        lambda k, l1: l1 * np.abs(k),
        lambda k, l1: np.where(k >= 0, l1, -l1),
        lambda k, l1: l1 * np.abs(k).sum(),
        lambda k, l1: "l1 * sign(w)",
        lambda k, l1: {"gradient": l1},
        lambda k, l1: 1 / 0,
        0.03,
    ),
)

W0, LR, L1_Q2 = 0.002, 0.1, 0.03


def _check_step(answer: Any) -> str:
    value = as_number(answer, "the weight after the step")
    expect_close(
        value,
        W0 - LR * L1_Q2,
        what="the weight",
        mistakes=(
            (0.0, "that is where a soft-threshold (proximal) step would put it; a gradient step moves by a fixed amount."),
            (W0, "the penalty's slope is not zero at w = 0.002, so the step moves the weight."),
            (W0 + LR * L1_Q2, "the step goes against the slope: w is positive, so it moves down."),
            (LR * L1_Q2 - W0, "the size is right, the sign is not: start from w = 0.002 and move down."),
            (W0 - L1_Q2, "multiply the slope by the learning rate."),
            (W0 - LR * L1_Q2 * W0, "that shrinks w in proportion to its size, as L2 would; the slope of |w| does not depend on its size."),
        ),
        otherwise=f"{value:.4g} is not it: the step is w - learning rate * (slope of 0.03 * |w| at w = 0.002).",
    )
    return with_text_note(
        answer,
        "0.002 - 0.1 * 0.03 = -0.001: the step overshoots zero. Gradient steps on |w| jump across zero rather than "
        "landing on it, which is why they leave near-zeros, not zeros.",
    )


q2 = Exercise(
    name="q2",
    question=(
        f"A first-layer weight is w = {W0}. One plain SGD step at learning rate {LR} on the L1({L1_Q2}) penalty alone "
        "(no data gradient): what is w after the step?"
    ),
    checker=_check_step,
    hint_text="An SGD step subtracts the learning rate times the slope of the penalty. What is the slope of 0.03 * |w| at w > 0?",
    solution_code=f"answer = {W0} - {LR} * {L1_Q2} * np.sign({W0})",
    right_answers=(-0.001, "-0.001", np.float32(-0.001), np.array(-0.001), -0.0010004),
    wrong_answers=(0, 0.002, 0.005, -0.028, 0.001994, -0.00105, 0.001, "zero", float("nan")),
)

LR_Q3, T_Q3, LR_LATE = 0.05, 0.001, 0.005


def _check_threshold(answer: Any) -> str:
    value = as_number(answer, "the L1 strength")
    expect_close(
        value,
        T_Q3 / LR_LATE,
        what="the strength",
        mistakes=(
            (T_Q3 / LR_Q3, "that is the strength before the change; t stays, the learning rate is ten times smaller."),
            (T_Q3, "that is the threshold t itself; t is a step size, the strength times the learning rate."),
            (T_Q3 * LR_LATE, "multiplying goes the wrong way: t is the product of the learning rate and the strength."),
            (LR_LATE / T_Q3, "that is the learning rate over t, the other way round."),
        ),
        otherwise=f"{value:.4g} is not it: which strength, times the new learning rate, gives the same t?",
    )
    return with_text_note(
        answer,
        "t / lr = 0.001 / 0.005 = 0.2, ten times the 0.02 it stood for at the start: with a fixed t, lowering the "
        "learning rate strengthens the penalty, so scale t with the learning rate.",
    )


q3 = Exercise(
    name="q3",
    question=(
        f"You train with plain SGD at learning rate {LR_Q3} and SoftThreshold({T_Q3}). Later you lower the learning "
        f"rate to {LR_LATE} and keep t. Which L1 strength lambda does the proximal step stand for now?"
    ),
    checker=_check_threshold,
    hint_text="Each proximal step moves a weight by the learning rate times the strength, at most: that is t.",
    solution_code=f"answer = {T_Q3} / {LR_LATE}",
    right_answers=(0.2, "0.2", "20%", np.float32(0.2), np.array([0.2]), 0.20015),
    wrong_answers=(0.02, 0.001, 5e-6, 5, 0.21, None, "t"),
)
