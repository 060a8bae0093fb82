"""utils.checks.relative_error and matches, by hand: every numeric answer of the exercises is graded with them (issue
23: a sign bug in relative_error was caught by one exercise only)."""

import math

from utils.checks import REL_TOL, matches, relative_error

import pytest


@pytest.mark.parametrize(
    ("value", "target", "expected"),
    [
        (1.1, 1.0, 0.1),
        (0.9, 1.0, 0.1),
        (-1.1, -1.0, 0.1),  # a negative target: still a positive distance
        (-0.9, -1.0, 0.1),
        (1.0, -1.0, 2.0),  # the right size with the wrong sign is 200% off, not 0%
        (-3.0, 2.0, 2.5),
        (5.0, 5.0, 0.0),
        (0.0, 0.0, 0.0),
        (1e-13, 0.0, 0.0),  # within 1e-12 of a zero target counts as zero
        (1e-6, 0.0, math.inf),
        (-1e-6, 0.0, math.inf),
    ],
)
def test_relative_error_by_hand(value, target, expected):
    assert relative_error(value, target) == pytest.approx(expected, rel=1e-12)


def test_matches_is_inclusive_and_sign_aware():
    assert matches(-2.002, -2.0) and matches(-1.998, -2.0)  # 0.1% either side, exactly at the tolerance
    assert not matches(-2.0021, -2.0) and not matches(2.0, -2.0)
    assert matches(1.0 + 0.9 * REL_TOL, 1.0) and not matches(1.0 + 1.1 * REL_TOL, 1.0)
    assert matches(1.04, 1.0, rel=0.05) and not matches(1.06, 1.0, rel=0.05)
    assert not matches(math.nan, 1.0) and not matches(1.0, 0.0)
