"""The course seed as a checker needs it: the answer a learner computes depends on ``COURSE_SEED``, so a checker
that recomputes it reads the same seed, and says clearly when that variable cannot be read."""

from __future__ import annotations

from utils.checks import Incorrect


def session_seed() -> int:
    """The course seed the learner's session uses (:func:`utils.repro.get_seed`).

    Raises
    ------
    Incorrect
        If ``COURSE_SEED`` is set to something that is not a seed (``"abc"``, ``"-1"``): the message says so and
        how to fix it, instead of blaming the learner's answer.
    """
    from utils.repro import get_seed

    try:
        return get_seed()
    except ValueError as error:
        raise Incorrect(
            f"this check needs the course seed to work out the answer: {error}. Fix it, restart the kernel and run "
            "the lesson from the top."
        ) from None
