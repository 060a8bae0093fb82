"""Shared test set-up: a non-interactive plotting backend and the repository root."""

from __future__ import annotations

from pathlib import Path

import matplotlib
import pytest

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
