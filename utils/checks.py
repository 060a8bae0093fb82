"""Exercises with immediate, specific feedback, a hint and a solution on demand.

A lesson binds its exercises (defined in :mod:`utils.exercises`) and a learner writes::

    from utils.exercises import lesson00 as ex
    answer = ...            # the learner's attempt
    ex.q1.check(answer)     # says what is right or what is wrong, specifically
    ex.q1.hint()            # a nudge, only when asked
    ex.q1.solution()        # the full solution, only when asked

Every exercise carries its solution as code, equivalent right answers in other forms and a few typical wrong
answers; the test suite runs each solution and checks that it and every equivalent form pass, and that every
typical wrong answer fails.

Fair and robust checking (the contract of every checker)
--------------------------------------------------------
The answer normalisers below are shared by every lesson's checkers, so that one answer form is read the same way
everywhere:

- **Numbers** (:func:`as_number`, :func:`expect_close`): Python and NumPy ints and floats, 0-d and one-element
  arrays (and tensors), fractions and decimals are read as numbers. **Numeric text is accepted too** (``"0.2"``,
  ``"80%"`` as 0.8), and the praise says it was read from text. A real-valued answer is right within a relative
  tolerance of :data:`REL_TOL` (0.1%: four significant digits always pass); within :data:`CLOSE_TOL` (5%) the
  feedback is "close: give more digits". NaN, infinities and integers too large for a float get a message of
  their own.
- **Sequences** (:func:`as_numbers`): any ordered container of the right length: list, tuple, NumPy array,
  pandas Series, ``range``. Sets (no order), dicts and text get a message of their own.
- **Words** (:func:`as_choice`): case-insensitive, surrounding spaces, quotes, a final full stop and a leading
  article ignored, and every word form the question offers ("grow" and "grows") accepted.
- **Functions** (:func:`call_learner_function`): a learner's function runs in a daemon thread under a time limit
  (:data:`TIME_LIMIT` seconds, portable to Windows); an exception it raises, a result of the wrong kind, a
  ``None`` from a body that does some work (a missing ``return``), or a run past the limit each get one message.
  Only a body that does nothing (the template's ``...``) counts as not attempted.

:meth:`Exercise.evaluate` never raises on any answer: a checker raises only :class:`Incorrect` or
:class:`NotAttempted`, anything else (``SystemExit`` included; only ``KeyboardInterrupt``, the learner stopping
the kernel, goes through) is caught as a last resort, and every message is one line of at most
:data:`MESSAGE_LIMIT` characters that echoes an answer in at most :data:`ECHO_LIMIT` characters. Feedback names
a learner's mistake only when the answer matches that mistake; otherwise it says what is off and points to where
to look, without stating the right formula as if it were the learner's.
"""

from __future__ import annotations

import ctypes
import math
import numbers
import threading
import warnings
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

REL_TOL = 1e-3
"""Relative tolerance within which a numeric answer is right (four significant digits always pass)."""

CLOSE_TOL = 0.05
"""Relative distance within which a wrong numeric answer is called close ("give more digits")."""

ECHO_LIMIT = 80
"""At most this many characters of an answer are echoed back in feedback."""

MESSAGE_LIMIT = 300
"""Every feedback message is shorter than this."""

TIME_LIMIT = 5.0
"""Seconds a learner's function may run before the check stops waiting for it."""


class Incorrect(Exception):
    """Raised by a checker to say, specifically, what is wrong with an answer."""


class NotAttempted(Exception):
    """Raised by a checker when the answer is still the unfilled template (e.g. a function returning None)."""


# --------------------------------------------------------------------------------------------------------------
# Describing any value safely and briefly
# --------------------------------------------------------------------------------------------------------------


def _type_name(value: Any) -> str:
    try:
        return str(type(value).__name__)
    except Exception:  # a type whose name cannot be read
        return "object"


def _shorten(text: str, limit: int = ECHO_LIMIT) -> str:
    text = " ".join(text.split()) if len(text) < 10 * limit else " ".join(text[: 10 * limit].split())
    return text if len(text) <= limit else text[: limit - 3] + "..."


def echo(value: Any, limit: int = ECHO_LIMIT) -> str:
    """A repr of ``value`` cut to ``limit`` characters, that never raises (huge ints, broken ``__repr__``)."""
    if isinstance(value, int) and not isinstance(value, bool) and abs(value).bit_length() > 200:
        return f"an integer of about {int(abs(value).bit_length() * math.log10(2)) + 1} digits"
    if isinstance(value, str | bytes) and len(value) > 10 * limit:
        value = value[: 10 * limit]
    try:
        text = repr(value)
    except Exception:  # a broken __repr__
        text = f"<{_type_name(value)}>"
    return _shorten(text, limit)


def _has(value: Any, attr: str) -> bool:
    """``hasattr`` that never raises (an object's ``__getattr__`` may raise anything)."""
    try:
        return hasattr(value, attr)
    except Exception:
        return False


def describe(value: Any) -> str:
    """A short phrase for what ``value`` is, e.g. ``"a dict"``, ``"a list of 3"``, ``"an array of shape (2, 3)"``."""
    name = _type_name(value)
    article = "an" if name[:1].lower() in "aeiou" else "a"
    try:
        if isinstance(value, str):
            return f"the text {echo(value, 40)}"
        shape = getattr(value, "shape", None) if not isinstance(value, type) else None
        if isinstance(shape, tuple) and len(shape) < 10:
            return f"{article} {name} of shape {shape}"
        if isinstance(value, list | tuple | set | frozenset | dict):
            return f"{article} {name} of {len(value)}"
    except Exception:  # a broken shape or __len__
        pass
    return f"{article} {name}"


def _text_of_exception(exc: BaseException) -> str:
    try:
        text = str(exc)
    except Exception:  # a broken __str__
        text = ""
    name = _type_name(exc)
    return _shorten(f"{name}: {text}" if text else name, 2 * ECHO_LIMIT)


# --------------------------------------------------------------------------------------------------------------
# Numbers
# --------------------------------------------------------------------------------------------------------------


def _from_text(answer: str | bytes, what: str) -> float:
    if isinstance(answer, bytes):
        raise Incorrect(f"{what} should be a number, but you gave bytes ({echo(answer)}).")
    text = answer.strip().strip("'\"").strip().replace("_", "")
    percent = text.endswith("%")
    if percent:
        text = text[:-1].strip()
    if len(text) > 60:
        raise Incorrect(f"{what} should be a number, but you gave a long text ({echo(answer)}).")
    try:
        value = float(text)
    except ValueError:
        raise Incorrect(f"{what} should be a number, but you gave the text {echo(answer)}, which is not one.") from None
    return value / 100 if percent else value


def as_number(answer: Any, what: str = "the answer") -> float:
    """Read ``answer`` as a finite real number, or raise :class:`Incorrect` saying why it is not one.

    Accepted: ``int``, ``float``, NumPy scalars, fractions, decimals, arrays and tensors holding exactly one
    number (including 0-d arrays), and numeric text (``"0.2"``, ``"80%"`` meaning 0.8).

    Parameters
    ----------
    answer : object
        Anything.
    what : str
        Names the quantity in the message, e.g. ``"the seed"``.

    Returns
    -------
    float
    """
    import numpy as np

    if answer is None:
        raise Incorrect(f"{what} should be a number, but you gave None.")
    if isinstance(answer, bool | np.bool_):
        raise Incorrect(f"{what} should be a number, not {bool(answer)}.")
    if isinstance(answer, str | bytes):
        value = _from_text(answer, what)
    elif isinstance(answer, numbers.Real | np.integer | np.floating):
        try:
            value = float(answer)
        except OverflowError:
            raise Incorrect(f"{what} should be a number of ordinary size; {echo(answer)} is far too large.") from None
    elif isinstance(answer, numbers.Complex | np.complexfloating):
        raise Incorrect(f"{what} should be a real number, but you gave a complex one ({echo(answer)}).")
    elif isinstance(answer, list | tuple | set | frozenset | dict):
        if isinstance(answer, list | tuple) and len(answer) == 1:
            raise Incorrect(f"{what} should be one number: give the number itself, not {describe(answer)} holding it.")
        raise Incorrect(f"{what} should be one number, but you gave {describe(answer)}.")
    elif isinstance(answer, np.ndarray | np.generic) or _has(answer, "__array__"):
        try:
            array = np.asarray(answer)
        except Exception:
            raise Incorrect(f"{what} should be a number; {describe(answer)} could not be read as one.") from None
        if array.size != 1:
            raise Incorrect(f"{what} should be one number, but you gave an array of shape {array.shape}.")
        item = array.reshape(()).item()
        if isinstance(item, np.ndarray | np.generic) or _has(item, "__array__"):  # an object array of arrays
            raise Incorrect(f"{what} should be a number; {describe(answer)} holds {describe(item)}.")
        return as_number(item, what)
    else:
        try:
            value = float(answer)
        except OverflowError:
            raise Incorrect(f"{what} should be a number of ordinary size; {echo(answer)} is far too large.") from None
        except Exception:
            raise Incorrect(f"{what} should be a number, but you gave {describe(answer)}.") from None
    if math.isnan(value):
        raise Incorrect(f"{what} is NaN (not a number): something in the computation went wrong, e.g. 0/0.")
    if math.isinf(value):
        raise Incorrect(f"{what} is infinite; give a finite number.")
    return value


def as_whole_number(answer: Any, what: str = "the answer") -> int:
    """Read ``answer`` as a whole number (``3``, ``3.0``, ``"3"``, a 0-d array), or raise :class:`Incorrect`."""
    value = as_number(answer, what)
    if value != round(value):  # 12 digits, so that 3.9999999 is not shown as "4"
        raise Incorrect(f"{what} should be a whole number, but you gave {value:.12g}.")
    return int(round(value))


def relative_error(value: float, target: float) -> float:
    """``|value - target| / |target|`` (0 or infinity when ``target`` is 0); never raises."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        diff = abs(value - target)
        if target == 0:  # no scale to be relative to: only (almost exactly) zero matches zero
            return 0.0 if diff <= 1e-12 else math.inf
        return diff / abs(target)


def matches(value: float, target: float, rel: float = REL_TOL) -> bool:
    """Whether ``value`` equals ``target`` within the relative tolerance ``rel`` (inclusive)."""
    return relative_error(value, target) <= rel * (1 + 1e-9)


def expect_close(
    value: float,
    target: float,
    *,
    mistakes: Iterable[tuple[float, str]] = (),
    otherwise: str,
    what: str = "it",
    close_within: float | None = None,
) -> None:
    """Raise :class:`Incorrect` unless ``value`` is ``target`` within :data:`REL_TOL`.

    The message is, in this order: the one of ``mistakes`` (pairs of a typical wrong value and what that mistake
    is) that ``value`` matches; "close: give more digits" within :data:`CLOSE_TOL` (or, when ``close_within`` is
    given, within that absolute distance of ``target``); else ``otherwise``, which should say where to look
    without naming the right formula.

    ``close_within`` is for answers whose relative size says little, such as a factor near 1 (0.98 and 1.0 are 2%
    apart, but one shrinks a weight and the other does not): give the absolute distance that still counts as
    close, e.g. a quarter of the distance of ``target`` from 1.
    """
    if close_within is not None and not (isinstance(close_within, int | float) and 0 < close_within < math.inf):
        raise ValueError(f"close_within must be a positive finite number or None, got {close_within!r}")
    if matches(value, target):
        return
    for wrong, message in mistakes:
        if matches(value, wrong):
            raise Incorrect(message)
    if close_within is None:
        close, band = matches(value, target, CLOSE_TOL), "within 5% of"
    else:
        close, band = abs(value - target) <= close_within, f"within {close_within:g} of"
    if close:
        raise Incorrect(
            f"close: {value:.4g} is {band} {what} but not within 0.1%: give more digits (four significant "
            "digits are enough)."
        )
    raise Incorrect(otherwise)


def with_text_note(answer: Any, praise: str) -> str:
    """``praise``, plus a note when the number was read from text."""
    if isinstance(answer, str):
        return praise + " (Read from your text; a number works without quotes too.)"
    return praise


# --------------------------------------------------------------------------------------------------------------
# Sequences
# --------------------------------------------------------------------------------------------------------------


def as_items(answer: Any, length: int, what: str = "the answer", example: str = "(1, 2)") -> list[Any]:
    """The ``length`` entries of an ordered container (list, tuple, array, Series, range), or raise
    :class:`Incorrect` saying what was expected."""
    import numpy as np

    expected = f"give {what} as a tuple or list of {length}, e.g. {example}"
    if isinstance(answer, str | bytes):
        raise Incorrect(f"that is text ({echo(answer, 40)}); {expected}, without quotes.")
    if isinstance(answer, Mapping):
        raise Incorrect(f"that is {describe(answer)} (keys and values); {expected}, in order.")
    if isinstance(answer, set | frozenset):
        raise Incorrect(f"a set has no order; {expected}.")
    if isinstance(answer, np.ndarray) or (_has(answer, "__array__") and not isinstance(answer, list | tuple)):
        try:
            array = np.asarray(answer)
        except Exception:
            raise Incorrect(f"{describe(answer)} could not be read; {expected}.") from None
        if array.ndim == 0:
            raise Incorrect(f"that is a single value; {expected}.")
        if array.size != length or max(array.shape) != array.size:
            raise Incorrect(f"that is an array of shape {array.shape}; {expected}.")
        return list(array.reshape(-1))
    if not isinstance(answer, Iterable) or not _has(answer, "__len__"):
        raise Incorrect(f"that is {describe(answer)}; {expected}.")
    try:
        items = list(answer)
    except Exception:
        raise Incorrect(f"{describe(answer)} could not be read; {expected}.") from None
    if len(items) != length:
        raise Incorrect(f"that has {len(items)} {'entry' if len(items) == 1 else 'entries'}; {expected}.")
    return items


def as_numbers(answer: Any, length: int, what: str = "the answer", example: str = "(1, 2)") -> list[float]:
    """The ``length`` numbers of an ordered container, each read with :func:`as_number`."""
    items = as_items(answer, length, what, example)
    return [as_number(item, f"entry {i + 1}") for i, item in enumerate(items)]


# --------------------------------------------------------------------------------------------------------------
# Words
# --------------------------------------------------------------------------------------------------------------


def _normalise_words(text: str) -> str:
    text = " ".join(text.lower().split()).strip(" '\"`.!")
    for article in ("a ", "an ", "the "):
        if text.startswith(article):
            text = text[len(article) :]
    return text


def as_choice(answer: Any, choices: Mapping[str, Iterable[str]] | Sequence[str]) -> str:
    """Return the choice ``answer`` names, or raise :class:`Incorrect` listing the choices.

    Parameters
    ----------
    answer : object
        The learner's answer.
    choices : mapping or sequence of str
        The choices as the question words them, each optionally mapped to other accepted forms, e.g.
        ``{"grow": ("grows",), "shrink": ("shrinks",)}``. Case, surrounding spaces and quotes, a final full stop
        and a leading article are ignored.

    Returns
    -------
    str
        The choice, spelled as in ``choices``.
    """
    forms = choices if isinstance(choices, Mapping) else {c: () for c in choices}
    lookup: dict[str, str] = {}
    for choice, others in forms.items():
        for form in (choice, *others):
            lookup[_normalise_words(form)] = choice
    offered = ", ".join(repr(c) for c in forms)
    if not isinstance(answer, str):
        raise Incorrect(f"answer with one of {offered} (as text, in quotes); you gave {describe(answer)}.")
    word = _normalise_words(answer[:200]) if len(answer) <= 200 else None
    if word not in lookup:
        raise Incorrect(f"{echo(answer, 40)} is not one of the choices: answer with one of {offered}.")
    return lookup[word]


# --------------------------------------------------------------------------------------------------------------
# A learner's function, under a time limit
# --------------------------------------------------------------------------------------------------------------


class _Stopped(BaseException):
    """Raised inside a learner's function that ran past the time limit (BaseException: ``except Exception``
    in the learner's code does not swallow it)."""


def _stop_thread(thread: threading.Thread) -> None:
    """Best effort: raise :class:`_Stopped` inside ``thread`` (works for pure-Python loops, on every OS)."""
    if thread.ident is None:
        return
    try:
        ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(thread.ident), ctypes.py_object(_Stopped))
    except Exception:  # not CPython: the daemon thread is left to finish on its own
        pass


def call_learner_function(answer: Any, *args: Any, signature: str, time_limit: float | None = None) -> Any:
    """Call the learner's function with ``args`` under a time limit and return its result.

    The call runs in a daemon thread; if it has not returned within ``time_limit`` seconds (default
    :data:`TIME_LIMIT`), the check stops waiting, tries to stop the function, and raises :class:`Incorrect`.

    Raises
    ------
    Incorrect
        If ``answer`` is not callable, raises, runs past the limit, or does some work but returns ``None`` (a
        missing ``return``).
    NotAttempted
        If it is still the unfilled template: a body of ``...`` (or ``pass``) that returns ``None``.
    """
    if not callable(answer):
        raise Incorrect(f"give a function {signature}; you gave {describe(answer)}.")
    limit = TIME_LIMIT if time_limit is None else float(time_limit)
    outcome: dict[str, Any] = {}

    def run() -> None:
        try:
            outcome["result"] = answer(*args)
        except _Stopped:
            outcome["stopped"] = True
        except BaseException as exc:  # the learner's code failed (even SystemExit): report it, never re-raise
            outcome["error"] = exc

    thread = threading.Thread(target=run, name="learner-function", daemon=True)
    thread.start()
    try:
        thread.join(limit)
    except BaseException:  # the learner interrupted the kernel while waiting: do not leave the function running
        _stop_thread(thread)
        raise
    if thread.is_alive():
        _stop_thread(thread)
        raise Incorrect(
            f"your function did not return within {limit:g} s, so the check stopped waiting: look for a loop "
            "that never ends."
        )
    if "error" in outcome:
        raise Incorrect(f"your function raised {_text_of_exception(outcome['error'])}")
    if "result" not in outcome:
        raise Incorrect("your function was stopped before it returned.")
    if outcome["result"] is None:
        if _is_empty(answer):
            raise NotAttempted
        raise Incorrect("your function returned None: it must return a value (is a `return` missing?).")
    return outcome["result"]


def _template() -> None:
    ...


def _is_empty(function: Any) -> bool:
    """Whether ``function``'s body does nothing (``...``, ``pass`` or ``return None``): the unfilled template."""
    try:
        return bool(function.__code__.co_code == _template.__code__.co_code)
    except Exception:  # not a plain Python function (a builtin, a callable object)
        return False


def _refuse_non_real(raw: Any, what: str) -> None:
    """Raise :class:`Incorrect` if the array ``raw`` holds complex numbers or text (which a conversion to float
    would silently drop the imaginary part of, or parse)."""
    kind = raw.dtype.kind
    items = raw.reshape(-1)[:10_000] if kind == "O" else ()
    if kind == "c" or any(isinstance(item, complex | numbers.Complex) and not isinstance(item, numbers.Real)
                          for item in items):
        raise Incorrect(f"{what} holds complex numbers; it should hold real numbers only (is a square root of a "
                        "negative number, or np.fft, in the computation?).")
    if kind in "USV" or any(isinstance(item, str | bytes) for item in items):
        raise Incorrect(f"{what} holds text; it should hold numbers (drop the quotes).")


def as_array(result: Any, what: str = "your function's result") -> Any:
    """Read a learner's result as a float NumPy array, or raise :class:`Incorrect` saying why it is not one:
    text, complex numbers (even with a zero imaginary part), NaN and infinity are refused."""
    import numpy as np

    if isinstance(result, str | bytes | Mapping | set | frozenset) or result is None:
        raise Incorrect(f"{what} should be an array of numbers, but it is {describe(result)}.")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            raw = np.asarray(result)
            _refuse_non_real(raw, what)
            array = raw.astype(float)
    except Incorrect:
        raise
    except OverflowError:
        raise Incorrect(f"{what} holds a number far too large for a float.") from None
    except Exception:
        raise Incorrect(f"{what} should be an array of numbers; {describe(result)} could not be read as one.") from None
    if not np.isfinite(array).all():
        raise Incorrect(f"{what} holds NaN or infinite values: something in the computation went wrong.")
    return array


# --------------------------------------------------------------------------------------------------------------
# The exercise
# --------------------------------------------------------------------------------------------------------------


def _safe_message(text: Any) -> str:
    try:
        message = str(text)
    except Exception:
        message = "this answer could not be read."
    message = " ".join(message.split())
    room = MESSAGE_LIMIT - 20
    return message if len(message) <= room else message[: room - 3] + "..."


@dataclass
class Exercise:
    """One exercise.

    Parameters
    ----------
    name : str
        Short identifier, e.g. ``"q1"``.
    question : str
        What is asked, one or two sentences (also shown in the notebook), at most 220 characters.
    checker : callable
        ``checker(answer)`` returns ``None`` (or a message of praise) when the answer is right and raises
        :class:`Incorrect` with a specific message when it is not (or :class:`NotAttempted`). It reads answers
        with this module's normalisers.
    hint_text : str
        A nudge that does not give the answer away.
    solution_code : str
        Python code that assigns the right answer to a variable named ``answer``; it may use ``utils``,
        ``numpy as np`` and ``pandas as pd``. The tests execute it.
    wrong_answers : sequence or callable
        Typical wrong answers; the tests check that each one fails with feedback. A callable receives the
        solution's answer and returns them.
    right_answers : sequence or callable
        The right answer in other reasonable forms (a list for a tuple, text for a number, another word form);
        the tests check that each one passes. A callable receives the solution's answer and returns them, for
        answers that depend on the data or the seed.
    """

    name: str
    question: str
    checker: Callable[[Any], str | None]
    hint_text: str
    solution_code: str
    wrong_answers: Sequence[Any] | Callable[[Any], Sequence[Any]] = field(default_factory=tuple)
    right_answers: Sequence[Any] | Callable[[Any], Sequence[Any]] = field(default_factory=tuple)

    def __post_init__(self) -> None:
        for attr in ("name", "question", "hint_text", "solution_code"):
            value = getattr(self, attr)
            if not isinstance(value, str) or not value.strip():
                raise TypeError(f"Exercise {attr} must be a non-empty string, got {value!r}")
        if len(self.question) > 220:
            raise ValueError(f"the question of {self.name} must be at most 220 characters, got {len(self.question)}")
        if not callable(self.checker):
            raise TypeError(f"Exercise checker must be a function of the answer, got {type(self.checker).__name__}")
        if "answer" not in self.solution_code:
            raise ValueError(f"the solution code of {self.name} must assign the variable 'answer'")

    def evaluate(self, answer: Any) -> tuple[bool, str]:
        """Judge ``answer`` without printing; never raises (except ``KeyboardInterrupt``, to stop the kernel).

        Parameters
        ----------
        answer : object
            The learner's answer; ``...`` (Ellipsis) means not attempted yet.

        Returns
        -------
        (correct, message) : tuple of bool and str
            ``message`` is one line shorter than :data:`MESSAGE_LIMIT` characters.
        """
        import numpy as np

        not_yet = f"Not attempted yet: replace `...` with your answer, then run this cell again. ({self.question})"
        if answer is Ellipsis:
            return False, not_yet
        try:
            with warnings.catch_warnings(), np.errstate(all="ignore"):
                warnings.simplefilter("ignore")
                praise = self.checker(answer)
        except NotAttempted:
            return False, not_yet
        except Incorrect as wrong:
            return False, _safe_message(f"Not yet: {wrong}")
        except KeyboardInterrupt:  # the learner stopping the kernel: let it through
            raise
        except BaseException as exc:  # last resort, SystemExit included: a checker must not crash on any answer
            return False, _safe_message(
                f"Not yet: this check could not read {describe(answer)} ({_text_of_exception(exc)}); "
                "give the kind of answer the question asks for."
            )
        return True, _safe_message("Correct!" + (f" {praise}" if praise else ""))

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

    def equivalent_answers(self, solution: Any) -> list[Any]:
        """The declared right answers in other forms (computed from ``solution`` when given as a callable)."""
        forms = self.right_answers(solution) if callable(self.right_answers) else self.right_answers
        return list(forms)

    def typical_wrong_answers(self, solution: Any) -> list[Any]:
        """The declared typical wrong answers (computed from ``solution`` when given as a callable)."""
        forms = self.wrong_answers(solution) if callable(self.wrong_answers) else self.wrong_answers
        return list(forms)


def expect(condition: bool, message: str) -> None:
    """Raise :class:`Incorrect` with ``message`` unless ``condition`` holds: the building block of checkers."""
    if not condition:
        raise Incorrect(message)


def expect_number(answer: Any, what: str) -> float:
    """Alias of :func:`as_number`, kept for existing checkers."""
    return as_number(answer, what)


def expect_choice(answer: Any, choices: Mapping[str, Iterable[str]] | Sequence[str]) -> str:
    """The chosen word, lower-cased (see :func:`as_choice` for what is accepted)."""
    return as_choice(answer, choices).lower()
