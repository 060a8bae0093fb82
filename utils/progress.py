"""Progress while a slow cell runs: a bar in JupyterLab, nothing in an executed (committed) notebook.

Every cell that takes more than 3 s on the course's machines wraps its loop in :func:`track` (or trains with
``utils.training.fit(..., progress="...")``), so a learner sees it moving. The bar is ``tqdm.auto``'s: a widget
in JupyterLab, which disappears when the loop ends (``leave=False``).

Set ``COURSE_PROGRESS=0`` to turn it off. ``python3 tasks.py execute``, the test suite (the root
``conftest.py``) and the benchmark do, so that no bar, timing or widget state reaches a committed output or
changes what nbval compares.
"""

from __future__ import annotations

import math
import os
from collections.abc import Iterable, Iterator
from typing import Any, TypeVar

from utils._validate import check_int, check_str

ENV = "COURSE_PROGRESS"
"""The environment variable that turns progress off (``0``, ``off``, ``false``, ``no``, ``disabled``...) or on
(unset, empty, ``1``, ``on``, ``true``, ``yes``, ``enabled``), case and surrounding spaces ignored; any other
value is refused with a message."""
OFF = ("0", "off", "false", "no", "disabled", "disable", "none")
ON = ("", "1", "on", "true", "yes", "enabled", "enable")

T = TypeVar("T")


def enabled() -> bool:
    """Whether progress is shown, from ``COURSE_PROGRESS``.

    Off: ``0`` (also ``0.0``, ``00``: any number equal to 0), ``off``, ``false``, ``no``, ``disabled``,
    ``disable``, ``none``. On: unset, empty, ``1`` (any other number), ``on``, ``true``, ``yes``, ``enabled``,
    ``enable``. Case and surrounding spaces are ignored.

    Raises
    ------
    ValueError
        For any other value (a typo such as ``"of"`` would otherwise leave the bars on silently).
    """
    raw = os.environ.get(ENV, "1")
    value = raw.strip().lower()
    if value in OFF:
        return False
    if value in ON:
        return True
    try:
        number = float(value)
    except ValueError:
        number = math.nan
    if math.isfinite(number):
        return number != 0
    raise ValueError(
        f"{ENV}={raw[:40]!r} is not understood: set it to 0 (or off, false, no, disabled) to turn progress bars "
        "off, or to 1 (or on, true, yes) or leave it unset to show them"
    )


def label(desc: Any, *, name: str = "desc") -> str:
    """Return ``desc`` stripped if it is a label of 1 to 60 characters, else raise naming ``name``."""
    check_str("name", name)
    text = check_str(name, desc)
    assert text is not None
    text = text.strip()
    if not text or len(text) > 60:
        shown = desc if len(desc) <= 80 else desc[:77] + "..."
        raise ValueError(f"{name} must be a short label of 1 to 60 characters such as 'penalty sweep', got {shown!r}")
    return text


def _total(total: Any) -> int | None:
    if total is None:
        return None
    return check_int("total", total, minimum=1, maximum=10**9)


class _Quiet:
    """What :func:`bar` returns when progress is off: same methods, does nothing."""

    def update(self, n: int = 1) -> None:
        """Do nothing."""

    def close(self) -> None:
        """Do nothing."""

    def __enter__(self) -> _Quiet:
        return self

    def __exit__(self, *exc: object) -> None:
        return None


def bar(total: int, *, desc: str) -> Any:
    """A progress bar of ``total`` steps to ``update()`` by hand (use it as a context manager).

    Parameters
    ----------
    total : int
        Number of steps, at least 1.
    desc : str
        Short label shown before the bar, 1 to 60 characters.

    Returns
    -------
    object
        A ``tqdm.auto.tqdm`` bar, or an object with the same ``update``/``close`` methods that does nothing
        when progress is off.
    """
    total = check_int("total", total, minimum=1, maximum=10**9)
    desc = label(desc)
    if not enabled():
        return _Quiet()
    from tqdm.auto import tqdm

    return tqdm(total=total, desc=desc, leave=False)


def track(iterable: Iterable[T], *, desc: str, total: int | None = None) -> Iterator[T]:
    """Iterate over ``iterable`` showing a progress bar.

    Parameters
    ----------
    iterable : iterable
        What the loop goes over (a list of seeds, of penalty strengths...). Not a string.
    desc : str
        Short label shown before the bar, 1 to 60 characters, e.g. ``"penalty sweep"``.
    total : int, optional
        Number of items, when ``len(iterable)`` does not give it.

    Returns
    -------
    iterator
        The items of ``iterable``, unchanged.

    Examples
    --------
    >>> [x * 2 for x in track([1, 2, 3], desc="doubling")]
    [2, 4, 6]
    """
    if isinstance(iterable, str | bytes) or not hasattr(iterable, "__iter__"):
        raise TypeError(f"iterable must be an iterable of items such as a list, got {type(iterable).__name__} {iterable!r}")
    desc = label(desc)
    total = _total(total)
    if not enabled():
        return iter(iterable)
    from tqdm.auto import tqdm

    return iter(tqdm(iterable, desc=desc, total=total, leave=False))
