"""Exercises of 00_start_here: the seed and the data loaders."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from utils.checks import Exercise, Incorrect, as_numbers, expect, matches

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
    from utils.repro import get_seed

    got = as_numbers(answer, 2, "the two numbers", "[0.1, 0.2]")
    expected = _draws(SEED)
    if _same(got, expected):
        return "The same seed gives the same numbers, every time: that is what makes a lesson's output repeatable."
    expect(not _same(got, expected[::-1]), "those are the right numbers in the wrong order.")
    expect(not _same(got, _draws(SEED, skip=2)), f"those are the *next* two numbers: call utils.set_seed({SEED}) right before drawing.")
    session = get_seed()
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
def _digits_shape(seed: int) -> tuple[int, int]:
    from utils.data import load_digits_split

    rows, features = load_digits_split(n_train=N_TRAIN, seed=seed).X_train.shape
    return int(rows), int(features)


def _check_shape(answer: Any) -> str:
    from utils.repro import get_seed

    rows, features = _digits_shape(get_seed())
    got_rows, got_features = as_numbers(answer, 2, "(training rows, features)", "(100, 5)")
    expect((got_rows, got_features) != (features, rows), "the two numbers are swapped: rows come first.")
    expect(got_rows != 300, f"300 is the default number of training images; pass n_train={N_TRAIN}.")
    expect(got_rows != 1797, "1797 is the whole dataset; how many rows are left for training?")
    expect(got_features != 8, "each 8x8 image is flattened into one row of pixels: count them.")
    expect(got_rows == rows, f"{got_rows:g} is not the number of training rows; look at split.X_train.shape.")
    expect(got_features == features, f"{got_features:g} is not the number of features; look at split.X_train.shape.")
    return f"{rows} images of {features} pixels each; validation and test images are kept aside."


q2 = Exercise(
    name="q2",
    question=(
        f"Load the digits with utils.data.load_digits_split(n_train={N_TRAIN}) and give (training rows, features) "
        "of its X_train."
    ),
    checker=_check_shape,
    hint_text="The loader returns a Split; its X_train is a NumPy array, which has a .shape.",
    solution_code=f"split = utils.data.load_digits_split(n_train={N_TRAIN})\nanswer = split.X_train.shape",
    right_answers=lambda s: (list(s), np.array(s), (float(s[0]), float(s[1])), pd.Series(list(s)), np.array(s, dtype=np.int32)),
    wrong_answers=((300, 64), (64, N_TRAIN), (N_TRAIN, 8), (1797, 64), "120, 64", {"rows": 120, "features": 64}, [N_TRAIN]),
)
