"""Every exercise's solution passes its own check, and every typical wrong answer fails it."""

from utils.checks import Exercise, Incorrect, expect, expect_number
from utils.exercises import all_exercises

import pytest

EXERCISES = all_exercises()


def test_every_lesson_module_has_exercises():
    assert len(EXERCISES) >= 2


@pytest.mark.parametrize(("name", "exercise"), EXERCISES, ids=[n for n, _ in EXERCISES])
def test_solution_passes(name, exercise):
    correct, message = exercise.evaluate(exercise.run_solution())
    assert correct, f"{name}: the solution fails its own check: {message}"


@pytest.mark.parametrize(("name", "exercise"), EXERCISES, ids=[n for n, _ in EXERCISES])
def test_typical_wrong_answers_fail_with_feedback(name, exercise):
    assert exercise.wrong_answers, f"{name} lists no typical wrong answer"
    for wrong in exercise.wrong_answers:
        correct, message = exercise.evaluate(wrong)
        assert not correct, f"{name}: the wrong answer {wrong!r} passes"
        assert message.startswith("Not yet:") and len(message) > 20


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
    with pytest.raises(TypeError, match="checker"):
        Exercise("q", "Why?", "not callable", "hint", "answer = 1")
    with pytest.raises(ValueError, match="answer"):
        Exercise("q", "Why?", lambda a: None, "hint", "result = 1")


def test_checker_helpers():
    with pytest.raises(Incorrect, match="number"):
        expect_number("3", "The seed")
    assert expect_number(3, "x") == 3.0
    with pytest.raises(Incorrect, match="nope"):
        expect(False, "nope")


def test_choice_and_learner_function_helpers():
    from utils.checks import NotAttempted, call_learner_function, expect_choice

    assert expect_choice(" Yes ", ("yes", "no")) == "yes"
    with pytest.raises(Incorrect, match="'yes', 'no'"):
        expect_choice("maybe", ("yes", "no"))
    with pytest.raises(Incorrect, match="function of"):
        call_learner_function(3, 1, signature="(x)")
    with pytest.raises(Incorrect, match="ZeroDivisionError"):
        call_learner_function(lambda x: 1 / x, 0, signature="(x)")
    with pytest.raises(NotAttempted):
        call_learner_function(lambda x: None, 1, signature="(x)")
    assert call_learner_function(lambda x: x + 1, 1, signature="(x)") == 2
