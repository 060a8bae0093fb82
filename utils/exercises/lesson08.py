"""Exercises of lesson 08: choosing a regularizer."""

from __future__ import annotations

from typing import Any

from utils.checks import Exercise, Incorrect, as_choice

CHOICES = {
    "L1": ("lasso", "l1 penalty", "l1 regularization"),
    "L2": ("ridge", "weight decay", "l2 penalty", "l2 regularization"),
    "Elastic Net": ("elasticnet", "elastic-net", "l1l2", "l1 and l2", "l1 + l2", "l1+l2"),
    "dropout": (),
    "early stopping": ("early-stopping", "earlystopping"),
}
KEEP_ALL = (
    "pushes no input's weights to (near) zero, so it selects nothing: at best it ranks the inputs by weight size, "
    "and where to cut that ranking would be up to you."
)


def _check_sparse(answer: Any) -> str:
    word = as_choice(answer, CHOICES)
    if word == "L1":
        return "L1: its penalty pushes the weights of unneeded inputs to (near) zero, so the inputs left in use show which matter."
    if word == "Elastic Net":
        return (
            "Elastic Net works too, through its L1 part; with uncorrelated inputs and more rows than inputs its L2 part "
            "is not needed, so plain L1 does it with one knob fewer."
        )
    raise Incorrect(f"{word} {KEEP_ALL}")


q1 = Exercise(
    name="q1",
    question=(
        "A network has 50,000 training rows and 2,000 uncorrelated inputs, a handful of which you expect to matter, "
        "and you need to know which. 'L1', 'L2', 'Elastic Net', 'dropout' or 'early stopping'?"
    ),
    checker=_check_sparse,
    hint_text="Which penalty can push an input's weights to (near) zero, and so show which inputs are unused?",
    solution_code="answer = 'L1'",
    right_answers=("l1", "Elastic Net", "lasso", " L1. "),
    wrong_answers=("dropout", "L2", "early stopping", "weight decay", None, "L3"),
)


def _check_groups(answer: Any) -> str:
    word = as_choice(answer, CHOICES)
    if word == "Elastic Net":
        return (
            "Elastic Net: its L2 part shares the weight among near-copies instead of picking one of them, so a group "
            "tends to stay in or go out together (the grouping effect of Zou & Hastie, 2005)."
        )
    if word == "L1":
        raise Incorrect("the lasso tends to pick one member of a group of near-copies and drop the others.")
    raise Incorrect(f"{word} keeps every feature in use, so it never drops a group.")


q2 = Exercise(
    name="q2",
    question=(
        "Your features come in groups of near-duplicates (e.g. the same measurement from several sensors) and you want "
        "to keep or drop whole groups. 'L1', 'L2', 'Elastic Net', 'dropout' or 'early stopping'?"
    ),
    checker=_check_groups,
    hint_text="Which penalty both sets weights to zero and shares weight among near-copies?",
    solution_code="answer = 'Elastic Net'",
    right_answers=("elastic net", "ElasticNet", "L1L2", "elastic-net", "L1 + L2"),
    wrong_answers=("L1", "dropout", "L2", "early stopping", 3),
)
