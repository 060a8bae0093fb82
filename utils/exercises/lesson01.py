"""Exercises of lesson 01: the bias-variance trade-off."""

from __future__ import annotations

from typing import Any

from utils.checks import Exercise, Incorrect, expect, expect_number


def _best_degree() -> tuple[int, int, int]:
    from utils.bias_variance import errors_by_degree
    from utils.data import load_noisy_cosine

    errors = errors_by_degree(load_noisy_cosine(), range(1, 16))
    best_val = int(errors.loc[errors["validation_mse"].idxmin(), "degree"])
    best_train = int(errors.loc[errors["train_mse"].idxmin(), "degree"])
    return best_val, best_train, int(errors["degree"].min())


def _check_degree(answer: Any) -> str:
    best_val, best_train, simplest = _best_degree()
    if isinstance(answer, float) and 0 < answer < 1:
        raise Incorrect("that looks like an error value; give the degree (a whole number from 1 to 15).")
    value = expect_number(answer, "The degree")
    expect(value == int(value) and 1 <= value <= 15, "give a whole number from 1 to 15.")
    expect(
        value != best_train or best_train == best_val,
        f"degree {best_train} has the lowest *training* error; which has the lowest validation error?",
    )
    expect(value != simplest, "degree 1 underfits: its validation error is among the highest.")
    expect(value == best_val, f"degree {value:g} is not the one with the lowest validation error; look again.")
    return f"Degree {best_val}: flexible enough to follow the curve, not so flexible that it follows the noise."


q1 = Exercise(
    name="q1",
    question=(
        "Using bias_variance.errors_by_degree on data.load_noisy_cosine() for degrees 1 to 15, which degree has "
        "the lowest validation error?"
    ),
    checker=_check_degree,
    hint_text="errors_by_degree returns a DataFrame; idxmin() on its validation_mse column gives the row to read.",
    solution_code=(
        "from utils import bias_variance, data\n"
        "errors = bias_variance.errors_by_degree(data.load_noisy_cosine(), range(1, 16))\n"
        "answer = int(errors.loc[errors['validation_mse'].idxmin(), 'degree'])"
    ),
    wrong_answers=(15, 1, 0.012, "four"),
)


def _words(answer: Any, what: str) -> str:
    if not isinstance(answer, str):
        raise Incorrect(f"answer with a word in quotes: {what}.")
    return answer.strip().lower()


def _check_diagnosis(answer: Any) -> str:
    word = _words(answer, "'bias' or 'variance'")
    expect(word in {"bias", "variance", "high bias", "high variance"}, "answer 'bias' or 'variance'.")
    expect(
        "variance" in word,
        "a high-bias model has a high training error too; here the training error is tiny and the gap is large.",
    )
    return "A near-zero training error with a large validation error, closing as data grows, is variance."


q2 = Exercise(
    name="q2",
    question=(
        "A model has training error 0.002 and validation error 0.9, and the gap shrinks as you add data. "
        "Is its main problem high 'bias' or high 'variance'?"
    ),
    checker=_check_diagnosis,
    hint_text="Compare with the degree-12 learning curve: which of the two shapes does this look like?",
    solution_code="answer = 'variance'",
    wrong_answers=("bias", 0.9, "overfitting"),
)

REMEDIES = ("more data", "a more flexible model", "a stronger penalty")


def _check_remedy(answer: Any) -> str:
    word = _words(answer, " or ".join(repr(r) for r in REMEDIES))
    expect(word in REMEDIES, f"choose one of {', '.join(repr(r) for r in REMEDIES)}.")
    expect(word != "more data", "the degree-1 learning curve is flat at large sizes: more data does not lower it.")
    expect(word != "a stronger penalty", "a penalty lowers variance and raises bias; this model needs less bias.")
    return "High bias needs more flexibility (or better features); data and penalties fight variance."


q3 = Exercise(
    name="q3",
    question=(
        "Training and validation errors of a model meet on a plateau far above the noise level. Which helps: "
        "'more data', 'a more flexible model' or 'a stronger penalty'?"
    ),
    checker=_check_remedy,
    hint_text="This is the degree-1 learning curve. What did adding data do to it?",
    solution_code="answer = 'a more flexible model'",
    wrong_answers=("more data", "a stronger penalty", "dropout"),
)
