"""Reproducibility: one course seed, applied everywhere in one call.

The seed is read from the ``COURSE_SEED`` environment variable, so that every lesson can be re-run
under another seed without editing it (``COURSE_SEED=7 jupyter lab``). Every claim a lesson checks must
hold for any seed.
"""

from __future__ import annotations

import os
import random

from utils._validate import check_int

import numpy as np

DEFAULT_SEED = 42
"""The seed the committed notebooks were executed with."""

SEED_VARIABLE = "COURSE_SEED"


def get_seed() -> int:
    """Return the course seed: ``COURSE_SEED`` from the environment, else :data:`DEFAULT_SEED`.

    Returns
    -------
    int
        A non-negative whole number below 2**32.

    Raises
    ------
    ValueError
        If ``COURSE_SEED`` is set but is not a whole number in [0, 2**32).
    """
    raw = os.environ.get(SEED_VARIABLE, "").strip()
    if not raw:
        return DEFAULT_SEED
    try:
        seed = int(raw)
    except ValueError:
        raise ValueError(
            f"{SEED_VARIABLE} must be a whole number such as 7 or 2024, got {raw!r}; "
            f"unset it to use the default seed {DEFAULT_SEED}"
        ) from None
    if not 0 <= seed < 2**32:
        raise ValueError(f"{SEED_VARIABLE} must be in [0, 2**32), got {seed}")
    return seed


def set_seed(seed: int | None = None, *, deterministic: bool = True) -> int:
    """Seed Python, NumPy and Keras (and so TensorFlow) in one call.

    Parameters
    ----------
    seed : int, optional
        The seed to use. ``None`` (the default) uses :func:`get_seed`, i.e. ``COURSE_SEED`` or the default.
    deterministic : bool, default True
        Also make TensorFlow's operations deterministic, so that a re-run gives the same weights.

    Returns
    -------
    int
        The seed that was applied, to print or to derive further seeds from.

    Raises
    ------
    TypeError, ValueError
        If ``seed`` is not a whole number in [0, 2**32).
    """
    seed = get_seed() if seed is None else check_int("seed", seed, minimum=0, maximum=2**32 - 1)
    if not isinstance(deterministic, bool):
        raise TypeError(f"deterministic must be True or False, got {deterministic!r}")
    random.seed(seed)
    np.random.seed(seed)  # noqa: NPY002 - learners and libraries still use the global NumPy state
    import keras
    import tensorflow as tf

    keras.utils.set_random_seed(seed)
    if deterministic:
        tf.config.experimental.enable_op_determinism()
    return seed


def rng(offset: int = 0) -> np.random.Generator:
    """Return a NumPy random generator derived from the course seed.

    Parameters
    ----------
    offset : int, default 0
        Added to the course seed, to get independent streams for different purposes in one lesson.

    Returns
    -------
    numpy.random.Generator
    """
    offset = check_int("offset", offset, minimum=0)
    return np.random.default_rng([get_seed(), offset])
