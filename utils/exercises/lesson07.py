"""Exercises of lesson 07: applying dropout to a deep learning model."""

from __future__ import annotations

from typing import Any

from utils.checks import Exercise, expect, expect_choice, expect_number

RATES = (0.0, 0.2, 0.5)


def _check_rate(answer: Any) -> str:
    value = expect_number(answer, "The rate")
    expect(value in RATES, f"choose one of the rates trained in this lesson: {', '.join(str(r) for r in RATES)}.")
    expect(value != 0.0, "rate 0 is the baseline: it has the widest gap and the most confident mistakes.")
    return (
        "Either dropout rate is defensible here: both narrowed the gap; pick the one with the lower validation loss "
        "in your run, and remember it needs more epochs."
    )


q1 = Exercise(
    name="q1",
    question="From the curves and tables of this lesson, which dropout rate would you use for this network: 0, 0.2 or 0.5?",
    checker=_check_rate,
    hint_text="Compare the validation losses and gaps, not the training curves measured with dropout on.",
    solution_code="answer = 0.5",
    wrong_answers=(0.0, 0.8, "half"),
)

CHOICES = ("a bug", "the dropout handicap", "overfitting")


def _check_reason(answer: Any) -> str:
    word = expect_choice(answer, CHOICES)
    expect(word != "a bug", "nothing is wrong: the two losses are measured on different networks.")
    expect(word != "overfitting", "overfitting makes the training loss *lower* than the validation loss, not higher.")
    return "During fit, the training loss is measured with units dropped; the validation loss with the full network."


q2 = Exercise(
    name="q2",
    question=(
        "A dropout model's training loss, as recorded by fit, is above its validation loss. Is that 'a bug', "
        "'the dropout handicap' or 'overfitting'?"
    ),
    checker=_check_reason,
    hint_text="When is dropout on, and when is it off?",
    solution_code="answer = 'the dropout handicap'",
    wrong_answers=("a bug", "overfitting", 1),
)
