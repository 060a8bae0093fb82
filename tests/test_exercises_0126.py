"""Issue 19, point 3, for lessons 00, 01 and 06, and issue 20's new pieces of lesson 01.

- Lesson 06's function exercise (q2) tries two rates, refuses non-real results, and tells a function that drops
  nothing, and one that drops everything, what it does.
- A bad ``COURSE_SEED`` gets a clear message (at the seed cell and in the checkers that need the seed); a right
  answer passes under any valid seed.
- Lesson 01's core exercise (q1) asks for a prediction and its reason.
- ``bias_variance.decompose`` judges the fits at fresh inputs when given ``x_new`` (compared with a hand-computed
  variance).
"""

import utils
from utils import bias_variance as bv
from utils import data
from utils.exercises import lesson00, lesson01, lesson06

import numpy as np
import pytest


def _spatial(h, rate, rng):
    keep = rng.uniform(size=(h.shape[0], 1, h.shape[2])) >= rate
    return np.where(keep, h / (1 - rate), 0.0)


# --------------------------------------------------------------------------------------------------------------
# Lesson 06, q2: my_spatial_dropout
# --------------------------------------------------------------------------------------------------------------


def test_spatial_dropout_is_tried_at_two_rates():
    rates = []

    def spy(h, rate, rng):
        rates.append(rate)
        return _spatial(h, rate, rng)

    correct, message = lesson06.q2.evaluate(spy)
    assert correct, message
    assert len(set(rates)) >= 2, f"the checker tried only the rates {rates}"


@pytest.mark.parametrize("fixed", [0.3, 0.6])
def test_a_rate_written_into_the_function_fails(fixed):
    def hard_coded(h, rate, rng):
        return _spatial(h, fixed, rng)

    correct, message = lesson06.q2.evaluate(hard_coded)
    assert not correct
    assert "rate" in message


def test_hard_coded_scaling_fails():
    def hard_scale(h, rate, rng):
        keep = rng.uniform(size=(h.shape[0], 1, h.shape[2])) >= rate
        return np.where(keep, h / 0.7, 0.0)

    correct, message = lesson06.q2.evaluate(hard_scale)
    assert not correct and "multiplied by" in message


@pytest.mark.parametrize(
    ("result", "word"),
    [
        (lambda h, rate, rng: _spatial(h, rate, rng) + 0j, "complex"),
        (lambda h, rate, rng: _spatial(h, rate, rng) + 1e-3j, "complex"),
        (lambda h, rate, rng: _spatial(h, rate, rng).astype(str), "text"),
        (lambda h, rate, rng: _spatial(h, rate, rng).astype(str).tolist(), "text"),
        (lambda h, rate, rng: "1.0", "text"),
        (lambda h, rate, rng: _spatial(h, rate, rng).astype(object), None),
    ],
)
def test_non_real_results_are_refused(result, word):
    correct, message = lesson06.q2.evaluate(result)
    if word is None:  # an object array of real numbers is still real numbers: it may pass
        return
    assert not correct
    assert word in message, message
    assert "could not read" not in message


def test_dropping_nothing_and_dropping_everything_get_their_own_messages():
    nothing_ok, nothing = lesson06.q2.evaluate(lambda h, rate, rng: h * 1.0)
    everything_ok, everything = lesson06.q2.evaluate(lambda h, rate, rng: np.zeros_like(h))
    assert not nothing_ok and not everything_ok
    assert "drops nothing" in nothing and "same channels" not in nothing
    assert "drops everything" in everything and "same channels" not in everything


def test_same_channels_for_every_example_is_still_named():
    correct, message = lesson06.q2.evaluate(
        lambda h, rate, rng: np.where(rng.uniform(size=(1, 1, h.shape[2])) >= rate, h / (1 - rate), 0.0)
    )
    assert not correct and "same channels" in message


def test_lesson06_core_exercise_is_q1():
    assert "keep" in lesson06.q1.question and "Dropout(0.35)" in lesson06.q1.question
    assert "my_spatial_dropout" in lesson06.q2.question
    assert "fit" in lesson06.q3.question


# --------------------------------------------------------------------------------------------------------------
# COURSE_SEED: a bad one gets a clear message; a right answer passes under any valid seed
# --------------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("bad", ["abc", "-1", "7.5", str(2**32)])
def test_a_bad_course_seed_is_named_at_the_seed_cell(monkeypatch, bad):
    monkeypatch.setenv("COURSE_SEED", bad)
    with pytest.raises(ValueError, match="COURSE_SEED"):
        utils.set_seed()


@pytest.mark.parametrize("bad", ["abc", "-1"])
def test_a_bad_course_seed_is_named_by_the_checkers_not_blamed_on_the_answer(monkeypatch, bad):
    right_draws = list(np.random.RandomState(lesson00.SEED).random_sample(2))
    monkeypatch.setenv("COURSE_SEED", bad)
    for exercise, answer in ((lesson00.q2, (120, 1177)), (lesson00.q1, [0.5, 0.5])):
        correct, message = exercise.evaluate(answer)
        assert not correct
        assert "could not read" not in message
        assert "COURSE_SEED" in message and "restart the kernel" in message, message
    # answers that do not depend on the seed still pass
    assert lesson00.q1.evaluate(right_draws)[0]
    assert lesson01.q1.evaluate(("little", "bias"))[0]


@pytest.mark.parametrize("seed", ["0", "7", " 13 ", "4294967295"])
def test_right_answers_pass_under_any_valid_seed(monkeypatch, seed):
    monkeypatch.setenv("COURSE_SEED", seed)
    for exercise in (lesson00.q1, lesson00.q2, lesson01.q1):
        answer = exercise.run_solution()
        correct, message = exercise.evaluate(answer)
        assert correct, f"{exercise.name} under COURSE_SEED={seed!r}: {message}"
    # and the answer of lesson 00's q2 follows the seed: the split it counts is the one the learner gets
    split = data.load_digits_split(n_train=lesson00.N_TRAIN)
    assert lesson00.q2.evaluate((len(split.X_train), len(split.X_test)))[0]


# --------------------------------------------------------------------------------------------------------------
# Lesson 01, q1: a prediction with its reason
# --------------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("answer", "right"),
    [
        (("little", "bias"), True),
        (["bias", "little"], True),
        ("little, because of bias", True),
        (("a lot", "variance"), False),
        (("a lot", "bias"), False),
        (("little", "variance"), False),
    ],
)
def test_lesson01_q1_reads_the_prediction_and_the_reason(answer, right):
    correct, message = lesson01.q1.evaluate(answer)
    assert correct == right, message


def test_lesson01_q1_names_what_is_wrong():
    assert "right prediction" in lesson01.q1.evaluate(("little", "variance"))[1]
    assert "variance" in lesson01.q1.evaluate(("a lot", "variance"))[1]
    assert "both parts" in lesson01.q1.evaluate("little")[1]


def test_lesson01_q1_prediction_holds_at_many_seeds():
    """The question's answer does not depend on the seed: degree 1's validation error never halves with 60 points."""
    for seed in range(0, 60, 3):
        before = bv.errors_by_degree(data.load_noisy_cosine(seed=seed), [1])["validation_mse"].iloc[0]
        after = bv.errors_by_degree(data.load_noisy_cosine(n_train=60, seed=seed), [1])["validation_mse"].iloc[0]
        assert after > before / 2, f"seed {seed}: degree 1's validation error fell from {before:.3g} to {after:.3g}"


# --------------------------------------------------------------------------------------------------------------
# decompose(..., x_new=...): the fits judged at fresh inputs
# --------------------------------------------------------------------------------------------------------------


def test_decompose_at_new_inputs_matches_the_hand_computed_variance():
    x = np.linspace(-1, 1, 20)
    x_new = np.array([1.5, 2.0, 3.0])  # beyond the design: a line's variance grows with the distance
    parts = bv.decompose(data.runge, x, noise_sd=0.2, model=bv.polynomial_model(1), repeats=4000,
                         rng=np.random.default_rng(0), x_new=x_new)
    design = np.c_[np.ones_like(x), x]
    at = np.c_[np.ones_like(x_new), x_new]
    expected = 0.04 * np.mean(np.einsum("ij,jk,ik->i", at, np.linalg.inv(design.T @ design), at))
    assert parts["variance_new"] == pytest.approx(expected, rel=0.1)
    assert parts["sum_new"] == pytest.approx(parts["measured_new"], rel=0.05)
    assert parts["variance"] == pytest.approx(0.04 * 2 / 20, rel=0.1)  # sigma^2 k / n at the design points
    assert parts["variance_new"] > 3 * parts["variance"]


def test_decompose_without_x_new_is_unchanged_and_judges_the_same_fits():
    x = np.linspace(-1, 1, 30)
    a = bv.decompose(data.runge, x, noise_sd=0.1, model=bv.polynomial_model(5), repeats=300, rng=np.random.default_rng(3))
    b = bv.decompose(data.runge, x, noise_sd=0.1, model=bv.polynomial_model(5), repeats=300, rng=np.random.default_rng(3),
                     x_new=x)
    assert a == pytest.approx({key: b[key] for key in a})  # in-sample: unchanged by x_new
    assert b["variance_new"] == pytest.approx(b["variance"])  # the same fits, judged at the same inputs
    assert b["bias2_new"] == pytest.approx(b["bias2"])


@pytest.mark.parametrize(
    ("x_new", "match"),
    [(np.zeros((3, 2)), "x_new"), (np.array([0.5]), "x_new"), (np.zeros(60_000), "x_new"), ("abc", "x_new")],
)
def test_decompose_rejects_bad_x_new(x_new, match):
    with pytest.raises((TypeError, ValueError), match=match):
        bv.decompose(data.runge, np.linspace(-1, 1, 10), noise_sd=0.1, model=bv.polynomial_model(1), repeats=1000,
                     x_new=x_new)
