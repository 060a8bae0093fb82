"""Exercises of lesson 08: choosing a regularizer."""

from __future__ import annotations

from typing import Any

from utils.checks import Exercise, expect, expect_choice

CHOICES = ("L1", "L2", "Elastic Net", "dropout", "early stopping")


def _word(answer: Any) -> str:
    return expect_choice(answer, CHOICES)


def _check_sparse(answer: Any) -> str:
    word = _word(answer)
    expect(word != "dropout", "dropout does nothing for irrelevant inputs: see this lesson's comparison.")
    expect(word != "l2", "L2 keeps every input with a small weight; you would not learn which ones matter.")
    expect(word != "early stopping", "early stopping leaves every input in use.")
    expect(word != "elastic net", "nothing says the inputs are correlated; the simpler L1 does the job (lesson 03).")
    return "L1: it uses few inputs and shows which, as lessons 02, 03 and 08 showed."


q1 = Exercise(
    name="q1",
    question=(
        "A network gets 2,000 uncorrelated inputs, of which you expect a handful to matter, and you need to know which. "
        "'L1', 'L2', 'Elastic Net', 'dropout' or 'early stopping'?"
    ),
    checker=_check_sparse,
    hint_text="Which technique kept the fewest inputs in this lesson's comparison?",
    solution_code="answer = 'L1'",
    wrong_answers=("dropout", "L2", "early stopping"),
)


def _check_groups(answer: Any) -> str:
    word = _word(answer)
    expect(word != "l1", "the lasso keeps an arbitrary part of each correlated group (lesson 05).")
    expect(word == "elastic net", "which technique kept whole correlated groups in lesson 05?")
    return "Elastic Net: its L2 part spreads weight evenly over near-copies, so whole groups stay in."


q2 = Exercise(
    name="q2",
    question=(
        "Your features come in groups of near-duplicates (e.g. the same measurement from several sensors) and you want "
        "to keep or drop whole groups. 'L1', 'L2', 'Elastic Net', 'dropout' or 'early stopping'?"
    ),
    checker=_check_groups,
    hint_text="Lesson 05's grouping table.",
    solution_code="answer = 'Elastic Net'",
    wrong_answers=("L1", "dropout", "L2"),
)
