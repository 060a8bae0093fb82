import random

import utils
from utils import repro

import numpy as np
import pytest


def test_default_seed_when_unset(monkeypatch):
    monkeypatch.delenv("COURSE_SEED", raising=False)
    assert repro.get_seed() == repro.DEFAULT_SEED


def test_seed_read_from_environment(monkeypatch):
    monkeypatch.setenv("COURSE_SEED", " 7 ")
    assert utils.get_seed() == 7


@pytest.mark.parametrize("raw", ["seven", "1.5", "-3", str(2**32)])
def test_bad_seed_variable_says_what_is_accepted(monkeypatch, raw):
    monkeypatch.setenv("COURSE_SEED", raw)
    with pytest.raises(ValueError, match="COURSE_SEED"):
        repro.get_seed()


def test_set_seed_makes_python_numpy_and_keras_repeat(monkeypatch):
    import keras

    monkeypatch.delenv("COURSE_SEED", raising=False)
    draws = []
    for _ in range(2):
        assert repro.set_seed() == repro.DEFAULT_SEED
        draws.append(
            (random.random(), np.random.rand(), float(keras.random.uniform((1,))[0]))  # noqa: NPY002
        )
    assert draws[0] == draws[1]


@pytest.mark.parametrize(("seed", "error"), [("3", TypeError), (-1, ValueError), (2.0, TypeError), (True, TypeError)])
def test_set_seed_rejects_bad_seeds(seed, error):
    with pytest.raises(error, match="seed"):
        repro.set_seed(seed)


def test_rng_depends_on_seed_and_offset(monkeypatch):
    monkeypatch.setenv("COURSE_SEED", "1")
    a, b = repro.rng().normal(), repro.rng(1).normal()
    monkeypatch.setenv("COURSE_SEED", "2")
    assert repro.rng().normal() not in (a, b)
    with pytest.raises(ValueError, match="offset"):
        repro.rng(-1)


def _environment_after_import(**preset: str) -> tuple[str, str]:
    """TF_CPP_MIN_LOG_LEVEL and TF_ENABLE_ONEDNN_OPTS as a fresh interpreter sees them after `import utils`."""
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if k not in ("TF_CPP_MIN_LOG_LEVEL", "TF_ENABLE_ONEDNN_OPTS")}
    env.update(preset)
    code = "import os, utils; print(os.environ['TF_CPP_MIN_LOG_LEVEL'], os.environ['TF_ENABLE_ONEDNN_OPTS'])"
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    level, onednn = out.stdout.split()
    return level, onednn


def test_tensorflow_noise_is_silenced_by_default():
    assert _environment_after_import() == ("3", "0")


def test_import_keeps_the_learners_settings():
    assert _environment_after_import(TF_CPP_MIN_LOG_LEVEL="1", TF_ENABLE_ONEDNN_OPTS="1") == ("1", "1")


def test_unknown_attribute_lists_submodules():
    with pytest.raises(AttributeError, match="submodules"):
        utils.nonexistent  # noqa: B018
