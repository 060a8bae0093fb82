"""Exercises of 00_start_here: the seed and the data loaders."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from utils.checks import Exercise, Incorrect, as_numbers, expect, matches
from utils.exercises._seed import session_seed

import numpy as np
import pandas as pd

SEED = 7


def _draws(seed: int, n: int = 2, skip: int = 0) -> tuple[float, ...]:
    """What ``np.random.random(n)`` gives after ``utils.set_seed(seed)`` (it seeds NumPy's global state),
    computed on a private generator so that checking leaves the learner's random state alone."""
    return tuple(np.random.RandomState(seed).random_sample(skip + n)[skip:])


def _same(got: list[float], expected: tuple[float, ...]) -> bool:
    return all(matches(g, e) for g, e in zip(got, expected, strict=True))


def _check_draws(answer: Any) -> str:
    got = as_numbers(answer, 2, "the two numbers", "[0.1, 0.2]")
    expected = _draws(SEED)
    if _same(got, expected):
        return "The same seed gives the same numbers, every time: that is what makes a lesson's output repeatable."
    expect(not _same(got, expected[::-1]), "those are the right numbers in the wrong order.")
    expect(
        not all(abs(g - e) <= 0.005 for g, e in zip(got, expected, strict=True)),
        "those are the right numbers rounded too far: give at least four decimals, or the array itself.",
    )
    expect(not _same(got, _draws(SEED, skip=2)), f"those are the *next* two numbers: call utils.set_seed({SEED}) right before drawing.")
    session = session_seed()
    expect(
        session == SEED or not _same(got, _draws(session)),
        f"those are the numbers after this session's seed ({session}); call utils.set_seed({SEED}) first.",
    )
    fresh = tuple(np.random.default_rng(SEED).random(2))
    expect(not _same(got, fresh), "that is a new Generator seeded with 7; utils.set_seed seeds the global state that np.random.random draws from.")
    expect(all(0 <= g < 1 for g in got), "np.random.random draws from [0, 1): both numbers lie in that range.")
    raise Incorrect(f"those are not the numbers np.random.random(2) gives right after utils.set_seed({SEED}).")


q1 = Exercise(
    name="q1",
    question=(
        f"Call utils.set_seed({SEED}), then np.random.random(2). Which two numbers do you get? Run it twice: the seed "
        "makes them repeat."
    ),
    checker=_check_draws,
    hint_text="Two lines: utils.set_seed(7), then answer = np.random.random(2). Run the cell again to see them repeat.",
    solution_code=(
        f"utils.set_seed({SEED})\nanswer = np.random.random(2)\nutils.set_seed()  # back to this session's seed"
    ),
    right_answers=lambda s: (list(s), tuple(float(x) for x in s), np.asarray(s, dtype=np.float32),
                             [round(float(x), 4) for x in s], [str(x) for x in s]),
    wrong_answers=(
        _draws(SEED)[::-1],
        [round(x, 3) for x in _draws(SEED)],
        _draws(SEED, skip=2),
        tuple(np.random.default_rng(SEED).random(2)),
        (0.5, 0.5),
        [0.07],
        "0.0763, 0.7799",
        (1.5, 2.0),
    ),
)

N_TRAIN = 120


@lru_cache(maxsize=4)
def _digits_sizes(seed: int) -> tuple[int, int, int, int]:
    """(training rows, test rows, validation rows, features) of the digits split with N_TRAIN training images."""
    from utils.data import load_digits_split

    split = load_digits_split(n_train=N_TRAIN, seed=seed)
    return len(split.X_train), len(split.X_test), len(split.X_val), int(split.X_train.shape[1])


def _check_shape(answer: Any) -> str:
    rows, test, val, features = _digits_sizes(session_seed())
    got_rows, got_test = as_numbers(answer, 2, "(training rows, test rows)", "(100, 5)")
    expect((got_rows, got_test) != (test, rows), "the two numbers are swapped: training rows come first.")
    expect((got_rows, got_test) != (300, 997), f"those are the sizes with the default 300 training images; pass n_train={N_TRAIN}.")
    expect(got_rows == rows, f"{got_rows:g} is not the number of training rows; look at split.X_train.shape.")
    expect(got_test != features, "that is the number of features (pixels), the second entry of a shape; count the test rows.")
    expect(got_test != val, "that is the number of validation rows; the test set is what is left after training and validation.")
    expect(got_test != 1797 - rows, "that leaves out the validation set: the test set is what is left after training and validation.")
    expect(got_test == test, f"{got_test:g} is not the number of test rows; look at split.X_test.shape or split.sizes().")
    return f"{rows} training, {val} validation and {test} test images: fewer training images leave more for the test."


q2 = Exercise(
    name="q2",
    question=(
        f"Load the digits with utils.data.load_digits_split(n_train={N_TRAIN}) and give (training rows, test rows): "
        "how many images are in its X_train and in its X_test?"
    ),
    checker=_check_shape,
    hint_text="The loader returns a Split; split.sizes() gives every part's size, and each X_ array has a .shape.",
    solution_code=(
        f"split = utils.data.load_digits_split(n_train={N_TRAIN})\nanswer = (len(split.X_train), len(split.X_test))"
    ),
    right_answers=lambda s: (list(s), np.array(s), (float(s[0]), float(s[1])), pd.Series(list(s)), np.array(s, dtype=np.int32)),
    wrong_answers=((300, 997), (1177, N_TRAIN), (N_TRAIN, 64), (N_TRAIN, 500), (N_TRAIN, 1677), "120, 1177",
                   {"train": 120, "test": 1177}, [N_TRAIN]),
)
