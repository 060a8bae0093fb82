"""Exercises of lesson 07: applying dropout to a deep learning model."""

from __future__ import annotations

from typing import Any

from utils.checks import Exercise, as_choice, expect

GAP_CHOICES = {
    "the one recorded by fit": ("fit", "fit()", "recorded by fit", "one recorded by fit", "the one from fit",
                                "the training loss recorded by fit", "history"),
    "model.evaluate on the training set": ("evaluate", "evaluate()", "model.evaluate", "model.evaluate()",
                                           "model.evaluate(x_train, y_train)", "evaluate on the training set",
                                           "evaluate on the training data", "model.evaluate on the training data",
                                           "inference mode", "the inference-mode one", "the inference-mode training loss"),
}


def _check_gap(answer: Any) -> str:
    word = as_choice(answer, GAP_CHOICES)
    expect(
        word == "model.evaluate on the training set",
        "fit records the training loss with dropout on (a handicapped network), before each step's update (and, "
        "with mini-batches, averaged over an epoch while the weights change); the validation loss is measured on "
        "the full network.",
    )
    return "model.evaluate runs the full network (dropout off) on the training set, as the validation loss does: like for like."


q1 = Exercise(
    name="q1",
    question=(
        "To measure a dropout network's generalization gap, which training loss do you compare with its validation "
        "loss: 'the one recorded by fit' or 'model.evaluate on the training set'?"
    ),
    checker=_check_gap,
    hint_text="The gap compares two measurements of the same network. Is dropout on or off in each of them?",
    solution_code="answer = 'model.evaluate on the training set'",
    right_answers=("evaluate", "model.evaluate", "Model.evaluate on the training set.", " EVALUATE ", "evaluate()",
                   "model.evaluate(X_train, y_train)", "inference mode"),
    wrong_answers=("the one recorded by fit", "fit", "history", 0.5, "both"),
)

CHOICES = {
    "a bug": ("bug",),
    "the dropout handicap": ("dropout handicap", "handicap", "dropout"),
    "overfitting": ("overfit",),
}


def _check_reason(answer: Any) -> str:
    word = as_choice(answer, CHOICES)
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
    right_answers=("dropout handicap", "The Dropout Handicap", "handicap", "'the dropout handicap'.", "dropout"),
    wrong_answers=("a bug", "overfitting", 1, "underfitting"),
)
