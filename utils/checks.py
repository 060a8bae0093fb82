"""Exercises with immediate, specific feedback, a hint and a solution on demand.

A lesson binds its exercises (defined in :mod:`utils.exercises`) and a learner writes::

    from utils.exercises import lesson00 as ex
    answer = ...            # the learner's attempt
    ex.q1.check(answer)     # says what is right or what is wrong, specifically
    ex.q1.hint()            # a nudge, only when asked
    ex.q1.solution()        # the full solution, only when asked

Every exercise carries its solution as code and a few typical wrong answers; the test suite runs each
solution and checks that it passes, and that every typical wrong answer fails.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any


class Incorrect(Exception):
    """Raised by a checker to say, specifically, what is wrong with an answer."""


class NotAttempted(Exception):
    """Raised by a checker when the answer is still the unfilled template (e.g. a function returning None)."""


@dataclass
class Exercise:
    """One exercise.

    Parameters
    ----------
    name : str
        Short identifier, e.g. ``"q1"``.
    question : str
        What is asked, one or two sentences (also shown in the notebook).
    checker : callable
        ``checker(answer)`` returns ``None`` (or a message of praise) when the answer is right and raises
        :class:`Incorrect` with a specific message when it is not.
    hint : str
        A nudge that does not give the answer away.
    solution_code : str
        Python code that assigns the right answer to a variable named ``answer``; it may use ``utils``,
        ``numpy as np`` and ``pandas as pd``. The tests execute it.
    wrong_answers : sequence
        Typical wrong answers; the tests check that each one fails.
    """

    name: str
    question: str
    checker: Callable[[Any], str | None]
    hint_text: str
    solution_code: str
    wrong_answers: Sequence[Any] = field(default_factory=tuple)

    def __post_init__(self) -> None:
        for attr in ("name", "question", "hint_text", "solution_code"):
            value = getattr(self, attr)
            if not isinstance(value, str) or not value.strip():
                raise TypeError(f"Exercise {attr} must be a non-empty string, got {value!r}")
        if not callable(self.checker):
            raise TypeError(f"Exercise checker must be a function of the answer, got {type(self.checker).__name__}")
        if "answer" not in self.solution_code:
            raise ValueError(f"the solution code of {self.name} must assign the variable 'answer'")

    def evaluate(self, answer: Any) -> tuple[bool, str]:
        """Judge ``answer`` without printing.

        Parameters
        ----------
        answer : object
            The learner's answer; ``...`` (Ellipsis) means not attempted yet.

        Returns
        -------
        (correct, message) : tuple of bool and str
        """
        not_yet = f"Not attempted yet: replace `...` with your answer, then run this cell again. ({self.question})"
        if answer is Ellipsis:
            return False, not_yet
        try:
            praise = self.checker(answer)
        except NotAttempted:
            return False, not_yet
        except Incorrect as wrong:
            return False, f"Not yet: {wrong}"
        return True, "Correct!" + (f" {praise}" if praise else "")

    def check(self, answer: Any) -> None:
        """Print whether ``answer`` is right and, if not, what specifically is wrong."""
        correct, message = self.evaluate(answer)
        print(("✓ " if correct else "○ " if message.startswith("Not attempted") else "✗ ") + message)

    def hint(self) -> None:
        """Print the hint."""
        print(f"Hint ({self.name}): {self.hint_text}")

    def solution(self) -> None:
        """Print the full solution code."""
        print(f"Solution ({self.name}):\n{self.solution_code.strip()}")

    def run_solution(self) -> Any:
        """Execute the solution code and return the ``answer`` it computes (used by the tests)."""
        import utils

        import numpy as np
        import pandas as pd

        namespace: dict[str, Any] = {"utils": utils, "np": np, "pd": pd}
        exec(compile(self.solution_code, f"<solution {self.name}>", "exec"), namespace)
        if "answer" not in namespace:
            raise RuntimeError(f"the solution of {self.name} did not assign 'answer'")
        return namespace["answer"]


def expect(condition: bool, message: str) -> None:
    """Raise :class:`Incorrect` with ``message`` unless ``condition`` holds: the building block of checkers."""
    if not condition:
        raise Incorrect(message)


def expect_number(answer: Any, what: str) -> float:
    """Return ``answer`` as a float, or raise :class:`Incorrect` saying a number was expected."""
    import numbers

    import numpy as np

    if isinstance(answer, bool) or not isinstance(answer, numbers.Real | np.number):
        raise Incorrect(f"{what} should be a number, but you gave a {type(answer).__name__} ({answer!r}).")
    return float(answer)


def expect_choice(answer: Any, choices: Sequence[str]) -> str:
    """Return ``answer`` lower-cased and stripped if it is one of ``choices`` (case-insensitive), else raise
    :class:`Incorrect` listing them."""
    allowed = {c.lower(): c for c in choices}
    if not isinstance(answer, str) or answer.strip().lower() not in allowed:
        raise Incorrect(f"answer with one of {', '.join(repr(c) for c in choices)}.")
    return answer.strip().lower()


def call_learner_function(answer: Any, *args: Any, signature: str) -> Any:
    """Call the learner's function with ``args`` and return its result.

    Raises :class:`Incorrect` if ``answer`` is not callable or raises, and :class:`NotAttempted` if it returns
    ``None`` (the unfilled template ``...``). ``signature`` names the expected call, e.g. ``"(kernel, l1)"``.
    """
    if not callable(answer):
        raise Incorrect(f"give a function of {signature}.")
    try:
        result = answer(*args)
    except Exception as exc:  # the learner's code failed: say how, instead of a traceback
        raise Incorrect(f"your function raised {type(exc).__name__}: {exc}") from None
    if result is None:
        raise NotAttempted
    return result
