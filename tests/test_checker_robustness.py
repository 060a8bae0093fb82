"""A checker never crashes and never hangs (CONTRIBUTING.md, rule 7).

Arbitrary values, from Hypothesis and from a list of known troublemakers, are thrown at every exercise's checker:
each gets one short message, no exception other than the checker's own ``Incorrect`` / ``NotAttempted`` escapes,
and the answer is judged within a deadline. A learner's function that loops forever is stopped by the time limit.
"""

import threading
import time
import warnings
from decimal import Decimal
from fractions import Fraction
from unittest import mock

from utils import checks
from utils.checks import Incorrect, NotAttempted, call_learner_function
from utils.exercises import all_exercises

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

EXERCISES = all_exercises()
IDS = [n for n, _ in EXERCISES]
SHORT_LIMIT = 0.3  # seconds: the learner-function time limit during these tests
DEFAULT_TIME_LIMIT = checks.TIME_LIMIT  # read before the fixture below shortens it
DEADLINE = 3.0  # seconds within which any answer must be judged (after warm-up)


def loops_forever(*args):
    while True:
        pass


def raises(*args):
    raise RuntimeError("learner bug " + "x" * 500)


class BrokenEverything:
    """An object whose every protocol method raises."""

    def __eq__(self, other):
        raise RuntimeError("__eq__")

    __hash__ = object.__hash__

    def __len__(self):
        raise RuntimeError("__len__")

    def __iter__(self):
        raise RuntimeError("__iter__")

    def __float__(self):
        raise RuntimeError("__float__")

    def __array__(self, *args, **kwargs):
        raise RuntimeError("__array__")

    def __repr__(self):
        raise RuntimeError("__repr__")

    def __bool__(self):
        raise RuntimeError("__bool__")


class BrokenGetattr:
    def __getattr__(self, name):
        raise RuntimeError(name)


LEARNER_FUNCTIONS = [
    loops_forever,
    raises,
    lambda *a: "a string",
    lambda *a: {"a": 1},
    lambda *a: None,
    lambda *a: float("nan"),
    lambda *a: 10**400,
    lambda *a: [1, 2],
    lambda *a: np.zeros(3),
    lambda *a: np.full((5, 3), np.inf),
    lambda *a: BrokenEverything(),
    lambda: 1,  # wrong number of arguments
    lambda *a: exit(),
]

TROUBLEMAKERS = [
    float("nan"), float("inf"), -float("inf"), 10**400, -(10**400), 10**100_000, 1e308, -0.0, 2**63,
    "x" * 10_000_000, "", " ", "\x00", "nan", "inf", "1e400", "-0", "%", "1_000",
    b"0.2", {}, {1: 2}, {"l1": float("nan"), "l2": 1}, set(), frozenset({1}), None, True, np.True_, 1 + 2j,
    Fraction(10**400, 3), Decimal("NaN"), Decimal("sNaN"), Decimal("1e400"),
    np.array(0.5), np.array(np.nan), np.array([]), np.zeros((2, 0)), np.array(["a", "b"]), np.array([None, 1]),
    np.array([[1, 2], [3, 4]]), np.float16(65504), np.int8(-128), np.datetime64("2026-01-01"),
    [[1, 2], [3, 4]], [[[1]]], [None, None], [float("nan"), 1], (10**400, 1), list(range(1000)),
    BrokenEverything(), BrokenGetattr(), object(), type, print, Ellipsis, ...,
    *LEARNER_FUNCTIONS,
]


def _judge(exercise, answer):
    """Run the checker (it may raise only Incorrect / NotAttempted) and evaluate; return the message and time."""
    start = time.perf_counter()
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        try:
            exercise.checker(answer)
        except (Incorrect, NotAttempted):
            pass
    correct, message = exercise.evaluate(answer)
    elapsed = time.perf_counter() - start
    assert isinstance(correct, bool) and isinstance(message, str)
    assert len(message) < checks.MESSAGE_LIMIT and "\n" not in message, message
    assert "could not read" not in message, f"the last-resort message was needed: {message}"
    return message, elapsed


@pytest.fixture(scope="module", autouse=True)
def _warm_up_and_short_time_limit():
    """Compute each checker's cached expectations once (any answer does), and shorten the learner time limit."""
    for _, exercise in EXERCISES:
        exercise.evaluate(None)
    with mock.patch.object(checks, "TIME_LIMIT", SHORT_LIMIT):
        yield
    time.sleep(0.2)


@pytest.mark.parametrize(("name", "exercise"), EXERCISES, ids=IDS)
def test_known_troublemakers_get_one_short_message(name, exercise):
    for answer in TROUBLEMAKERS:
        message, elapsed = _judge(exercise, answer)
        assert elapsed < DEADLINE, f"{name}: {checks.echo(answer)} took {elapsed:.1f} s"


answers = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.integers(min_value=10**300, max_value=10**500),
    st.floats(allow_nan=True, allow_infinity=True),
    st.complex_numbers(),
    st.fractions(),
    st.decimals(allow_nan=True),
    st.text(max_size=30),
    st.binary(max_size=10),
    st.recursive(
        st.integers() | st.floats() | st.text(max_size=5),
        lambda inner: st.lists(inner, max_size=4) | st.tuples(inner, inner) | st.dictionaries(st.text(max_size=3), inner, max_size=3),
        max_leaves=8,
    ),
    st.sets(st.integers(), max_size=3),
    hnp.arrays(
        dtype=st.sampled_from([np.float64, np.float32, np.int64, np.bool_, np.complex128]),
        shape=hnp.array_shapes(min_dims=0, max_dims=3, min_side=0, max_side=4),
    ),
    st.sampled_from(LEARNER_FUNCTIONS),
    st.from_type(type).flatmap(st.from_type).filter(lambda v: not isinstance(v, threading.Thread)),
)


@pytest.mark.parametrize(("name", "exercise"), EXERCISES, ids=IDS)
@settings(
    max_examples=25,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture, HealthCheck.filter_too_much],
)
@given(answer=answers)
def test_any_answer_gets_one_short_message_in_time(name, exercise, answer):
    message, elapsed = _judge(exercise, answer)
    assert elapsed < DEADLINE, f"{name}: {checks.echo(answer)} took {elapsed:.1f} s"


def test_a_learner_function_that_loops_forever_is_stopped():
    before = threading.active_count()
    start = time.perf_counter()
    with pytest.raises(Incorrect, match="did not return within 0.5 s"):
        call_learner_function(loops_forever, signature="()", time_limit=0.5)
    assert time.perf_counter() - start < 1.5
    for _ in range(50):  # the runaway thread is stopped, not left spinning
        if threading.active_count() <= before:
            break
        time.sleep(0.02)
    assert threading.active_count() <= before


def test_the_default_time_limit_is_a_few_seconds():
    assert 2 <= DEFAULT_TIME_LIMIT <= 10
