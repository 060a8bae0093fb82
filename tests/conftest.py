"""Shared test set-up: a non-interactive plotting backend, the repository root and the Hypothesis profile."""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import matplotlib
import pytest

try:
    from hypothesis import HealthCheck, settings
except ImportError:  # a learner environment without the development tools: the property suite is skipped
    settings = None

if settings is not None:
    # "ci" (the default): the same examples on every run and every machine (derandomize, no example database),
    # few of them, each within a deadline; the whole property suite takes well under a minute.
    # HYPOTHESIS_PROFILE=thorough searches many more random examples, to run by hand after changing utils.
    settings.register_profile(
        "ci",
        derandomize=True,
        database=None,
        max_examples=10,
        deadline=timedelta(seconds=5),
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
        print_blob=True,
    )
    settings.register_profile(
        "thorough", max_examples=300, deadline=timedelta(seconds=10), database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

# Draw off-screen in this process only. (Not through MPLBACKEND: nbval kernels inherit this process's
# environment, and a non-interactive backend there would drop every inline figure.)
matplotlib.use("Agg")

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def root() -> Path:
    """The repository's root folder."""
    return ROOT


@pytest.fixture(autouse=True)
def _close_figures():
    """Close every figure a test opened."""
    yield
    import matplotlib.pyplot as plt

    plt.close("all")


@pytest.fixture
def traced_steps(monkeypatch):
    """Count how often Keras traces (runs in Python) a model's training step: once per graph it compiles.

    Read ``traced_steps["traces"]`` after training."""
    import keras

    calls = {"traces": 0}
    train_step = keras.Model.train_step

    def counted(self, data):
        calls["traces"] += 1
        return train_step(self, data)

    monkeypatch.setattr(keras.Model, "train_step", counted)
    return calls
