"""The exercises of each lesson, one module per lesson (``lesson00``, ``lesson01``, ...).

:func:`all_exercises` lists every exercise of every lesson, for the test suite.
"""

from __future__ import annotations

import importlib
import pkgutil

from utils.checks import Exercise


def all_exercises() -> list[tuple[str, Exercise]]:
    """Every exercise defined in this package, as ``("lesson00.q1", exercise)`` pairs."""
    found: list[tuple[str, Exercise]] = []
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        module = importlib.import_module(f"{__name__}.{info.name}")
        for attr in sorted(vars(module)):
            value = getattr(module, attr)
            if isinstance(value, Exercise):
                found.append((f"{info.name}.{attr}", value))
    return found
