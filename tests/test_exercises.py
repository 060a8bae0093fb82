"""Every exercise's solution passes its own check, so does every equivalent right answer it declares, and every
typical wrong answer fails with specific feedback."""

import numbers
import re

from utils.checks import (
    Exercise,
    Incorrect,
    NotAttempted,
    as_choice,
    as_number,
    as_numbers,
    call_learner_function,
    echo,
    expect,
    expect_close,
    expect_number,
)
from utils.exercises import all_exercises

import numpy as np
import pandas as pd
import pytest

EXERCISES = all_exercises()
IDS = [n for n, _ in EXERCISES]


@pytest.fixture(scope="module")
def solutions():
    """Each exercise's solution, computed once."""
    return {name: exercise.run_solution() for name, exercise in EXERCISES}


def test_every_lesson_module_has_exercises():
    lessons = {name.split(".")[0] for name, _ in EXERCISES}
    assert lessons == {f"lesson0{i}" for i in range(9)}


@pytest.mark.parametrize(("name", "exercise"), EXERCISES, ids=IDS)
def test_solution_passes(name, exercise, solutions):
    correct, message = exercise.evaluate(solutions[name])
    assert correct, f"{name}: the solution fails its own check: {message}"


@pytest.mark.parametrize(("name", "exercise"), EXERCISES, ids=IDS)
def test_equivalent_right_answers_pass(name, exercise, solutions):
    forms = exercise.equivalent_answers(solutions[name])
    assert len(forms) >= 3, f"{name} declares fewer than three equivalent right answers"
    for form in forms:
        correct, message = exercise.evaluate(form)
        assert correct, f"{name}: the equivalent right answer {echo(form)} fails: {message}"


@pytest.mark.parametrize(("name", "exercise"), EXERCISES, ids=IDS)
def test_typical_wrong_answers_fail_with_feedback(name, exercise, solutions):
    wrong_answers = exercise.typical_wrong_answers(solutions[name])
    assert len(wrong_answers) >= 3, f"{name} lists fewer than three typical wrong answers"
    solution = solutions[name]
    for wrong in wrong_answers:
        correct, message = exercise.evaluate(wrong)
        assert not correct, f"{name}: the wrong answer {echo(wrong)} passes"
        assert message.startswith("Not yet:") and len(message) > 20, message
        assert "could not read" not in message, f"{name}: {echo(wrong)} reached the last-resort message"
        if isinstance(solution, numbers.Real) and not isinstance(wrong, str):
            # the feedback on a wrong number never gives the right one away
            feedback = message
            for own in (f"{wrong}", f"{wrong:g}" if isinstance(wrong, float) else ""):
                feedback = feedback.replace(own, "") if own else feedback  # the learner's own value, echoed
            for shown in {f"{solution:g}", f"{solution:.3g}", f"{solution:.4g}"}:
                pattern = rf"(?<![\d.]){re.escape(shown)}(?![\d])"
                assert not re.search(pattern, feedback), f"{name}: the feedback on {wrong!r} shows the answer: {message}"


@pytest.mark.parametrize(("name", "exercise"), EXERCISES, ids=IDS)
def test_not_attempted_is_recognised(name, exercise):
    correct, message = exercise.evaluate(...)
    assert not correct and message.startswith("Not attempted yet") and len(message) < 300
    if "function" in exercise.checker.__code__.co_names or "call_learner_function" in exercise.checker.__code__.co_names:
        correct, message = exercise.evaluate(lambda *args: None)  # the template: a body of `...`
        assert message.startswith("Not attempted yet")


def test_unattempted_hint_and_solution_are_printed_only_on_request(capsys):
    _, exercise = EXERCISES[0]
    exercise.check(...)
    assert "Not attempted yet" in capsys.readouterr().out
    exercise.hint()
    assert capsys.readouterr().out.startswith("Hint")
    exercise.solution()
    assert "answer" in capsys.readouterr().out


def test_exercise_definition_is_validated():
    with pytest.raises(TypeError, match="question"):
        Exercise("q", "", lambda a: None, "hint", "answer = 1")
    with pytest.raises(ValueError, match="220"):
        Exercise("q", "Why? " * 50, lambda a: None, "hint", "answer = 1")
    with pytest.raises(TypeError, match="checker"):
        Exercise("q", "Why?", "not callable", "hint", "answer = 1")
    with pytest.raises(ValueError, match="answer"):
        Exercise("q", "Why?", lambda a: None, "hint", "result = 1")


def test_a_crashing_checker_still_gives_one_message():
    exercise = Exercise("q", "Why?", lambda a: 1 / 0, "hint", "answer = 1")
    correct, message = exercise.evaluate(3)
    assert not correct and "ZeroDivisionError" in message and len(message) < 300


@pytest.mark.parametrize(
    "answer",
    [3, 3.0, np.int64(3), np.float32(3), np.array(3), np.array([3]), np.array([[3.0]]), "3", " 3.0 ", "300%"],
    ids=repr,
)
def test_as_number_reads_every_reasonable_form(answer):
    assert as_number(answer, "x") == 3.0


@pytest.mark.parametrize(
    ("answer", "says"),
    [
        (float("nan"), "NaN"),
        (float("inf"), "infinite"),
        (10**400, "far too large"),
        ("1e400", "infinite"),
        ("three", "text"),
        (True, "not True"),
        (None, "None"),
        ([3], "the number itself"),
        ({"x": 3}, "dict"),
        (np.zeros(3), r"shape \(3,\)"),
        (1 + 2j, "complex"),
        (b"3", "bytes"),
    ],
    ids=repr,
)
def test_as_number_says_why_an_answer_is_not_a_number(answer, says):
    with pytest.raises(Incorrect, match=says):
        as_number(answer, "x")


def test_expect_close_tolerance_and_messages():
    expect_close(1 / 30, 10 / 300, otherwise="no")
    expect_close(0.0333, 1 / 30, otherwise="no")  # three digits of 0.0333...: within 0.1%
    with pytest.raises(Incorrect, match="close: .* give more digits"):
        expect_close(0.033, 1 / 30, otherwise="no")
    with pytest.raises(Incorrect, match="halved"):
        expect_close(1 / 60, 1 / 30, mistakes=[(1 / 60, "halved")], otherwise="no")
    with pytest.raises(Incorrect, match="^no$"):
        expect_close(5.0, 1 / 30, otherwise="no")
    with pytest.raises(Incorrect, match="^no$"):
        expect_close(0.001, 0.002, mistakes=[(0.0, "zero")], otherwise="no")  # 0 matches only 0


@pytest.mark.parametrize(
    "answer", [(266, 10), [266, 10], np.array([266, 10]), pd.Series([266, 10]), ("266", 10.0), range(266, 267 + 10, 10)],
    ids=repr,
)
def test_as_numbers_reads_any_ordered_container(answer):
    assert as_numbers(answer, 2) == [266.0, 10.0] or list(answer) == [266, 276]


@pytest.mark.parametrize(
    ("answer", "says"),
    [("266, 10", "text"), ({266, 10}, "no order"), ({"rows": 266}, "dict"), ([266], "1 entry"), (266, "an int"),
     ([[266, 10]], "1 entry"), (np.zeros((2, 2)), "shape")],
    ids=repr,
)
def test_as_numbers_says_what_is_expected(answer, says):
    with pytest.raises(Incorrect, match=says):
        as_numbers(answer, 2)


def test_as_choice_accepts_the_offered_forms():
    choices = {"grow": ("grows",), "shrink": ("shrinks",), "stay the same": ("stays the same",)}
    for form in ("grow", "Grows", " GROWS. ", "'grow'"):
        assert as_choice(form, choices) == "grow"
    assert as_choice("the same" if False else "stays the same", choices) == "stay the same"
    with pytest.raises(Incorrect, match="'grow', 'shrink', 'stay the same'"):
        as_choice("maybe", choices)
    with pytest.raises(Incorrect, match="in quotes"):
        as_choice(1, choices)


def test_echo_is_short_and_never_raises():
    class BrokenRepr:
        def __repr__(self):
            raise RuntimeError("no")

    assert len(echo("x" * 10_000_000)) <= 80
    assert "digits" in echo(10**100_000)  # beyond Python's int-to-text limit
    assert echo(BrokenRepr()) == "<BrokenRepr>"


def test_learner_function_helpers():
    with pytest.raises(Incorrect, match="give a function"):
        call_learner_function(3, 1, signature="(x)")
    with pytest.raises(Incorrect, match="ZeroDivisionError"):
        call_learner_function(lambda x: 1 / x, 0, signature="(x)")
    with pytest.raises(Incorrect, match="SystemExit"):
        call_learner_function(lambda x: exit(), 0, signature="(x)")
    with pytest.raises(NotAttempted):
        call_learner_function(lambda x: None, 1, signature="(x)")
    assert call_learner_function(lambda x: x + 1, 1, signature="(x)") == 2


def test_backwards_compatible_helpers():
    with pytest.raises(Incorrect, match="nope"):
        expect(False, "nope")
    assert expect_number(3, "x") == 3.0


def test_a_function_without_return_is_told_so_and_the_template_is_not_attempted():
    def forgot_return(kernel, l1):
        gradient = l1 * np.sign(kernel)  # noqa: F841 (the learner's mistake: no return)

    def template(kernel, l1) -> np.ndarray:
        ...  # your code here

    with pytest.raises(Incorrect, match="returned None: it must return a value"):
        call_learner_function(forgot_return, np.ones(2), 0.1, signature="(kernel, l1)")
    with pytest.raises(NotAttempted):
        call_learner_function(template, np.ones(2), 0.1, signature="(kernel, l1)")


def test_a_near_whole_number_is_shown_with_its_digits():
    from utils.checks import as_whole_number

    with pytest.raises(Incorrect, match=r"you gave 3\.9999999\."):
        as_whole_number(3.9999999, "the degree")
    assert as_whole_number(np.array(4.0), "the degree") == 4


def test_expect_close_with_an_absolute_close_band():
    # a factor near 1: 0.98 is the answer; 1.0 (no change) is 2% away but not close; 0.983 is
    expect_close(0.98, 0.980199, otherwise="no", close_within=0.005)
    with pytest.raises(Incorrect, match="close: .* within 0.005 of .* give more digits"):
        expect_close(0.983, 0.980199, otherwise="no", close_within=0.005)
    with pytest.raises(Incorrect, match="^no$"):
        expect_close(1.0, 0.980199, otherwise="no", close_within=0.005)
    with pytest.raises(ValueError, match="close_within"):
        expect_close(1.0, 0.98, otherwise="no", close_within=-1)


def test_lesson04_q2_does_not_call_no_change_close():
    from utils.exercises import lesson04

    for answer in (1.0, 0.96, 0.999):
        correct, message = lesson04.q2.evaluate(answer)
        assert not correct and "close" not in message, message
    correct, message = lesson04.q2.evaluate(0.9815)
    assert not correct and "close" in message


# ------------------------------------------------------------------ the answer readers' boundary (issues 19, 23)


@pytest.mark.parametrize(
    ("answer", "choices", "expected"),
    [
        ("the lasso", ("lasso", "ridge"), "lasso"),
        ("The Ridge.", ("lasso", "ridge"), "ridge"),
        ("  the   grows ", {"grow": ("grows",), "shrink": ()}, "grow"),
        ("a lasso", ("lasso", "ridge"), "lasso"),
        ("an elastic net", ("elastic net", "ridge"), "elastic net"),
        ("the same", ("the same", "different"), "the same"),
    ],
)
def test_as_choice_ignores_a_leading_article(answer, choices, expected):
    assert as_choice(answer, choices) == expected


@pytest.mark.parametrize(
    ("result", "says"),
    [
        (np.array([1 + 2j, 3.0]), "complex"),
        (np.array([1 + 0j]), "complex"),  # even a zero imaginary part: a real computation has none
        ([1.0, 2j], "complex"),
        (np.array(["1", "2"]), "text"),
        (["0.5", 1.0], "text"),
        ([b"1"], "text"),
        ("1, 2", "array of numbers"),
        ([float("nan")], "NaN"),
    ],
    ids=repr,
)
def test_as_array_refuses_complex_numbers_and_text(result, says):
    from utils.checks import as_array

    with pytest.raises(Incorrect, match=says):
        as_array(result)


def test_as_array_reads_real_numbers_as_before():
    from utils.checks import as_array

    for result in ([1, 2], (1.5, -2.0), np.arange(3), np.array([True, False]), np.float32(2.0), pd.Series([1.0, 2.0])):
        np.testing.assert_array_equal(as_array(result), np.asarray(result, dtype=float))


def test_evaluate_never_lets_system_exit_out_but_lets_keyboard_interrupt_through():
    def exits(answer):
        raise SystemExit(3)

    def interrupted(answer):
        raise KeyboardInterrupt

    correct, message = Exercise("q", "Why?", exits, "hint", "answer = 1").evaluate(1)
    assert not correct and "SystemExit" in message
    with pytest.raises(KeyboardInterrupt):
        Exercise("q", "Why?", interrupted, "hint", "answer = 1").evaluate(1)


@pytest.mark.parametrize(("name", "exercise"), EXERCISES, ids=IDS)
def test_a_function_answer_returning_complex_numbers_or_text_is_refused(name, exercise, solutions):
    """Where the answer is a function, the solution's results turned complex (+0j) or into text must fail."""
    solution = solutions[name]
    if not callable(solution):
        pytest.skip("the answer is not a function")

    def as_complex(*args):
        return np.asarray(solution(*args)) + 0j

    def as_text(*args):
        return np.asarray(solution(*args)).astype(str)

    for wrong in (as_complex, as_text):
        correct, message = exercise.evaluate(wrong)
        assert not correct, f"{name}: a function returning {wrong.__name__[3:]} passed: {message}"
