"""Shared helpers for the regularization course notebooks.

One module per concern:

- :mod:`utils.repro` -- the course seed (``COURSE_SEED``) and quiet, deterministic TensorFlow.
- :mod:`utils.environment` -- versions of the stack and the "ready" check of the start-here notebook.
- :mod:`utils.data` -- checksummed teaching datasets and standardised train/validation/test splits.
- :mod:`utils.models` -- Keras model builders (MLP with optional penalties and dropout, linear model).
- :mod:`utils.training` -- compiling and fitting the fast way; histories as tidy DataFrames.
- :mod:`utils.batched` -- many small networks (a grid, several seeds) trained side by side as one model.
- :mod:`utils.bias_variance` -- polynomial models, errors by complexity, learning curves, the decomposition.
- :mod:`utils.linear` -- the lasso's alpha_max and entry order, coefficient paths, the one-standard-error rule.
- :mod:`utils.measures` -- weight norms, zero counts, feature-recovery precision and recall.
- :mod:`utils.penalties` -- converting penalty strengths between scikit-learn and Keras; soft-thresholding.
- :mod:`utils.plots` -- the shared plotting style, the figures several lessons draw, figures shown with alt text.
- :mod:`utils.progress` -- progress bars for slow cells (off in executed notebooks and tests).
- :mod:`utils.checks` -- the exercise mechanism (check, hint, solution).
- :mod:`utils.model_checks` -- reading a learner's Keras model (layers, penalties, dropout) for the hands-on exercises.
- :mod:`utils.explorers` -- sliders (ipywidgets) beside a lesson's static figure, computed once, fast on each move.

Importing :mod:`utils` is cheap: TensorFlow is only imported by the modules that need it, and its
start-up log lines are silenced here, before any of them can import it.
"""

from __future__ import annotations

import importlib
import os
from types import ModuleType

# TensorFlow prints start-up lines to stderr unless both are set before it is first imported
# (see CONTRIBUTING.md). oneDNN is off by default, so that a re-run on one machine gives the same weights;
# it does not change speed here. Both are defaults only: a value the learner (or the test suite, which
# runs one pass with oneDNN on to perturb training the way another CPU does) has set is kept.
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")

from utils.repro import DEFAULT_SEED, get_seed, set_seed

__all__ = [
    "DEFAULT_SEED",
    "batched",
    "bias_variance",
    "checks",
    "data",
    "environment",
    "explorers",
    "get_seed",
    "linear",
    "measures",
    "model_checks",
    "models",
    "penalties",
    "plots",
    "progress",
    "repro",
    "set_seed",
    "training",
]

_SUBMODULES = {"batched", "bias_variance", "checks", "data", "environment", "explorers", "linear", "measures", "model_checks", "models", "penalties", "plots", "progress", "repro", "training"}


def __getattr__(name: str) -> ModuleType:
    """Import a submodule on first use, so that ``import utils`` stays light."""
    if name in _SUBMODULES:
        return importlib.import_module(f"utils.{name}")
    raise AttributeError(f"module 'utils' has no attribute {name!r}; submodules are {sorted(_SUBMODULES)}")
