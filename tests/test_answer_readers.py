"""The answer readers of utils.checks, value by value and at their boundaries (issue 23: mutation testing).

Every lesson's checkers read a learner's answer with these functions, so a reader that accepts a wrong form, or
refuses a right one, misjudges answers in every lesson. The expected values here are written out by hand. The
exercises themselves (each solution, its equivalent forms, its typical wrong answers) are tested in
tests/test_exercises.py.
"""

from __future__ import annotations

import math
import re
from decimal import Decimal
from fractions import Fraction

from utils.checks import (
    Incorrect,
    as_array,
    as_choice,
    as_items,
    as_number,
    as_numbers,
    as_whole_number,
    expect_choice,
    expect_close,
    expect_number,
    matches,
    relative_error,
    with_text_note,
)

import numpy as np
import pytest


def _id(value) -> str:
    """A short test id of letters, digits and a few signs, the same in every process: mutmut collects the tests in
    one process and runs them by id in another, and an id with a memory address, a backslash or a line break
    (from a regular expression or an array's repr) is not found there (pytest exits 4, which mutmut counts as a
    timeout, that is as killed)."""
    text = re.sub(r" at 0x[0-9a-fA-F]+", "", repr(value))
    return re.sub(r"[^A-Za-z0-9_.,+-]+", "_", text).strip("_")[:40] or "_"


# --------------------------------------------------------------------------------------------------- numbers


@pytest.mark.parametrize(
    ("answer", "expected"),
    [
        ("0.25", 0.25),
        ("'0.25'", 0.25),
        ('"0.25"', 0.25),
        (" ' 0.25 ' ", 0.25),
        ("1_000", 1000.0),
        ("80%", 0.8),
        (" 80 % ", 0.8),
        ("-12.5%", -0.125),
        ("1e-3", 0.001),
        (Fraction(1, 4), 0.25),
        (Decimal("0.25"), 0.25),
        (np.float32(0.25), 0.25),
        (np.int8(-3), -3.0),
        (np.array([[[0.25]]]), 0.25),
        (np.array([7], dtype=object), 7.0),
    ],
    ids=_id,
)
def test_as_number_reads_the_value_itself(answer, expected):
    value = as_number(answer)
    assert value == expected and type(value) is float


def test_as_number_reads_an_object_that_converts_itself_to_float():
    class Quantity:
        def __float__(self):
            return 2.5

    assert as_number(Quantity()) == 2.5


@pytest.mark.parametrize(
    ("answer", "says"),
    [
        (np.True_, r"^the rate should be a number, not True\.$"),
        (False, r"^the rate should be a number, not False\.$"),
        (None, r"^the rate should be a number, but you gave None\.$"),
        ((0.25,), r"^the rate should be one number: give the number itself, not a tuple of 1 holding it\.$"),
        ([0.25, 0.5], r"^the rate should be one number, but you gave a list of 2\.$"),
        ({0.25}, r"^the rate should be one number, but you gave a set of 1\.$"),
        (np.complex128(1 + 0j), r"^the rate should be a real number, but you gave a complex one"),
        (np.ones((1, 2)), r"^the rate should be one number, but you gave an array of shape \(1, 2\)\.$"),
        ("", r"^the rate should be a number, but you gave the text '', which is not one\.$"),
        ("%", r"which is not one"),
        ("1" * 61, r"^the rate should be a number, but you gave a long text"),
        (object(), r"^the rate should be a number, but you gave an object\.$"),
        ("-inf", r"^the rate is infinite; give a finite number\.$"),
        ("1e400", r"^the rate is infinite"),
        (10**400, r"^the rate should be a number of ordinary size; an integer of about 401 digits is far too large\.$"),
        ("three", r"^the rate should be a number, but you gave the text 'three', which is not one\.$"),
        (b"3", r"^the rate should be a number, but you gave bytes \(b'3'\)\.$"),
        (1 + 2j, r"^the rate should be a real number, but you gave a complex one \(\(1\+2j\)\)\.$"),
        ({"x": 3}, r"^the rate should be one number, but you gave a dict of 1\.$"),
        ([3], r"^the rate should be one number: give the number itself, not a list of 1 holding it\.$"),
        (np.zeros(3), r"^the rate should be one number, but you gave an array of shape \(3,\)\.$"),
        ("nan%", r"^the rate is NaN \(not a number\)"),
    ],
    ids=_id,
)
def test_as_number_names_what_is_wrong(answer, says):
    with pytest.raises(Incorrect, match=says):
        as_number(answer, "the rate")


def test_as_number_accepts_numeric_text_up_to_60_characters():
    text = "0." + "0" * 57 + "1"  # 60 characters
    assert len(text) == 60 and as_number(text) == pytest.approx(1e-58)
    with pytest.raises(Incorrect, match="long text"):
        as_number(text + "0")


def test_as_number_refuses_an_object_array_holding_an_array():
    holder = np.empty((), dtype=object)
    holder[()] = np.array([1.0, 2.0])
    with pytest.raises(Incorrect, match=r"^x should be a number; .* of shape \(\) holds .* of shape \(2,\)\.$"):
        as_number(holder, "x")


def test_as_number_says_when_a_number_is_too_large_for_a_float():
    class Huge:
        def __float__(self):
            raise OverflowError

    with pytest.raises(Incorrect, match="far too large"):
        as_number(Huge(), "x")
    with pytest.raises(Incorrect, match="far too large"):
        as_number(np.array(10**400, dtype=object), "x")


def test_as_number_says_when_an_array_like_cannot_be_read():
    class Unreadable:
        def __array__(self, dtype=None, copy=None):
            raise ValueError("no")

    with pytest.raises(Incorrect, match="could not be read as one"):
        as_number(Unreadable(), "x")


def test_the_default_name_of_the_quantity_is_the_answer():
    with pytest.raises(Incorrect, match=r"^the answer should be a number, but you gave None\.$"):
        as_number(None)
    with pytest.raises(Incorrect, match=r"^the answer should be a whole number"):
        as_whole_number(2.5)
    assert expect_number("3", "x") == 3.0


@pytest.mark.parametrize(("answer", "expected"), [(3.0, 3), ("3", 3), (np.array(-2.0), -2), (0, 0), ("1e3", 1000)])
def test_as_whole_number_reads_whole_numbers(answer, expected):
    value = as_whole_number(answer, "the degree")
    assert value == expected and type(value) is int


@pytest.mark.parametrize("answer", [2.5, "3.01", 0.5, -0.5])
def test_as_whole_number_refuses_fractions(answer):
    with pytest.raises(Incorrect, match=r"^the degree should be a whole number, but you gave -?\d"):
        as_whole_number(answer, "the degree")


@pytest.mark.parametrize(
    ("value", "target", "expected"),
    [(1.1, 1.0, 0.1), (0.9, 1.0, 0.1), (-1.1, -1.0, 0.1), (-0.9, -1.0, 0.1), (3.0, 2.0, 0.5), (0.0, 4.0, 1.0),
     (0.0, 0.0, 0.0), (1e-12, 0.0, 0.0), (-1e-12, 0.0, 0.0), (2e-12, 0.0, math.inf), (-1.0, 0.0, math.inf)],
)
def test_relative_error_by_hand(value, target, expected):
    assert relative_error(value, target) == pytest.approx(expected, rel=1e-12, abs=0)


def test_matches_is_inclusive_at_the_tolerance():
    assert matches(1.001, 1.0) and matches(0.999, 1.0) and matches(-1.001, -1.0)
    assert not matches(1.0011, 1.0) and not matches(0.9989, 1.0)
    assert matches(1.05, 1.0, rel=0.05) and not matches(1.0501, 1.0, rel=0.05)
    assert matches(0.0, 0.0) and not matches(1e-9, 0.0)


def test_expect_close_checks_mistakes_first_then_the_close_band():
    mistakes = [(2.0, "doubled"), (0.5, "halved")]
    expect_close(1.0005, 1.0, mistakes=mistakes, otherwise="no")
    for value, message in [(2.0, "^doubled$"), (0.5, "^halved$"), (0.5004, "^halved$")]:
        with pytest.raises(Incorrect, match=message):
            expect_close(value, 1.0, mistakes=mistakes, otherwise="no")
    with pytest.raises(Incorrect, match=r"^close: 1\.05 is within 5% of the rate but not within 0\.1%: give more "
                                        r"digits \(four significant digits are enough\)\.$"):
        expect_close(1.05, 1.0, otherwise="no", what="the rate")
    with pytest.raises(Incorrect, match=r"^close: 0\.96 is within 5% of it"):
        expect_close(0.96, 1.0, otherwise="no")
    with pytest.raises(Incorrect, match="^no$"):
        expect_close(1.0501, 1.0, otherwise="no")
    with pytest.raises(Incorrect, match="^no$"):
        expect_close(-1.0, 1.0, mistakes=[(-2.0, "sign and factor")], otherwise="no")


def test_expect_close_with_an_absolute_band_is_inclusive_and_validated():
    with pytest.raises(Incorrect, match=r"^close: 1\.25 is within 0\.25 of it"):
        expect_close(1.25, 1.0, otherwise="no", close_within=0.25)
    with pytest.raises(Incorrect, match="^no$"):
        expect_close(1.2501, 1.0, otherwise="no", close_within=0.25)
    with pytest.raises(Incorrect, match="^no$"):
        expect_close(1.03, 1.0, otherwise="no", close_within=0.01)  # within 5%, but the band given is narrower
    expect_close(1.0, 1.0, otherwise="no", close_within=1)
    for bad in (0, -0.1, math.inf, "0.1"):
        with pytest.raises(ValueError, match=r"^close_within must be a positive finite number or None, got"):
            expect_close(1.0, 1.0, otherwise="no", close_within=bad)


def test_with_text_note_only_for_text():
    assert with_text_note("0.5", "Right.") == "Right. (Read from your text; a number works without quotes too.)"
    assert with_text_note(0.5, "Right.") == "Right."
    assert with_text_note(np.array(0.5), "Right.") == "Right."


# ------------------------------------------------------------------------------------------------- sequences


@pytest.mark.parametrize(
    ("answer", "length", "expected"),
    [((1, 2), 2, [1, 2]), ([3], 1, [3]), (np.array([[1], [2], [3]]), 3, [1, 2, 3]), (np.array([[4, 5, 6]]), 3, [4, 5, 6]),
     (range(3), 3, [0, 1, 2]), ({"a": 1}.keys(), 1, ["a"])],
    ids=_id,
)
def test_as_items_returns_the_entries_in_order(answer, length, expected):
    assert list(as_items(answer, length)) == expected


@pytest.mark.parametrize(
    ("answer", "says"),
    [
        ("12", r"^that is text \('12'\); give the sizes as a tuple or list of 2, e\.g\. \(1, 2\), without quotes\.$"),
        (b"12", r"^that is text"),
        ({"a": 1, "b": 2}, r"^that is a dict of 2 \(keys and values\); give the sizes as a tuple or list of 2"),
        ({1, 2}, r"^a set has no order; give the sizes"),
        (frozenset({1, 2}), r"^a set has no order"),
        (np.array(1.0), r"^that is a single value; give the sizes"),
        (np.ones((2, 2)), r"^that is an array of shape \(2, 2\); give the sizes"),
        (np.ones(3), r"^that is an array of shape \(3,\)"),
        (np.ones(1), r"^that is an array of shape \(1,\)"),
        (3, r"^that is an int; give the sizes"),
        (iter([1, 2]), r"^that is a list_iterator; give the sizes"),
        ([1, 2, 3], r"^that has 3 entries; give the sizes"),
        ([1], r"^that has 1 entry; give the sizes"),
        ([], r"^that has 0 entries; give the sizes"),
    ],
    ids=_id,
)
def test_as_items_says_what_is_expected(answer, says):
    with pytest.raises(Incorrect, match=says):
        as_items(answer, 2, "the sizes")


def test_as_items_default_wording_and_unreadable_containers():
    with pytest.raises(Incorrect, match=r"give the answer as a tuple or list of 2, e\.g\. \(1, 2\)"):
        as_items("x", 2)
    with pytest.raises(Incorrect, match=r"give the answer as a tuple or list of 4, e\.g\. \(1, 2, 3, 4\)"):
        as_items("x", 4, example="(1, 2, 3, 4)")

    class Broken:
        def __len__(self):
            return 2

        def __iter__(self):
            raise RuntimeError("no")

    with pytest.raises(Incorrect, match=r"^a Broken could not be read; give the answer"):
        as_items(Broken(), 2)

    class BadArray:
        def __array__(self, dtype=None, copy=None):
            raise RuntimeError("no")

    with pytest.raises(Incorrect, match=r"^a BadArray could not be read; give the answer"):
        as_items(BadArray(), 2)


def test_as_numbers_reads_each_entry_and_names_a_bad_one():
    assert as_numbers(["0.5", np.float32(2.0), "10%"], 3) == [0.5, 2.0, 0.1]
    with pytest.raises(Incorrect, match=r"^entry 2 should be a number, but you gave None\.$"):
        as_numbers([1.0, None, 3.0], 3)
    with pytest.raises(Incorrect, match=r"^entry 1 should be a number"):
        as_numbers(["x", 2.0], 2)
    with pytest.raises(Incorrect, match=r"give the size as a tuple or list of 2, e\.g\. \(3, 4\)"):
        as_numbers([1.0], 2, "the size", "(3, 4)")


# ----------------------------------------------------------------------------------------------------- words


@pytest.mark.parametrize(
    ("answer", "expected"),
    [
        ("grow", "grow"),
        ("GROWS", "grow"),
        ("  grows  ", "grow"),
        ("'grow'", "grow"),
        ('"grow"', "grow"),
        ("`grow`", "grow"),
        ("grow.", "grow"),
        ("grow!", "grow"),
        ("Grows!.", "grow"),
        ("stays   the\tsame", "stay the same"),
        ("the weights grow", "the weights grow"),
        ("The weights grow.", "the weights grow"),
        ("weights grow", "the weights grow"),
        ("an another", "another"),
        ("another", "another"),
    ],
)
def test_as_choice_normalises_case_spaces_quotes_stops_and_one_leading_article(answer, expected):
    choices = {"grow": ("grows",), "stay the same": ("stays the same",), "the weights grow": (), "another": ()}
    assert as_choice(answer, choices) == expected


def test_as_choice_keeps_an_article_that_is_part_of_a_word():
    assert as_choice("ankle", ["ankle", "knee"]) == "ankle"
    assert as_choice("thermal", ["thermal", "ermal"]) == "thermal"
    assert as_choice("anode", ["anode", "ode"]) == "anode"


def test_as_choice_reads_answers_up_to_200_characters():
    assert as_choice(" " * 196 + "grow", ["grow", "shrink"]) == "grow"  # 200 characters
    with pytest.raises(Incorrect, match="is not one of the choices"):
        as_choice(" " * 197 + "grow", ["grow", "shrink"])


@pytest.mark.parametrize(
    ("answer", "says"),
    [
        ("grown", r"^'grown' is not one of the choices: answer with one of 'grow', 'shrink'\.$"),
        ("", r"^'' is not one of the choices"),
        (3, r"^answer with one of 'grow', 'shrink' \(as text, in quotes\); you gave an int\.$"),
        (None, r"^answer with one of 'grow', 'shrink' \(as text, in quotes\); you gave a NoneType\.$"),
        (["grow"], r"you gave a list of 1\.$"),
    ],
    ids=_id,
)
def test_as_choice_lists_the_choices_when_the_answer_is_none_of_them(answer, says):
    with pytest.raises(Incorrect, match=says):
        as_choice(answer, ("grow", "shrink"))


def test_a_choice_written_with_capitals_or_an_article_is_returned_as_written():
    choices = {"The Lasso": ("L1",), "Ridge": ()}
    assert as_choice("lasso", choices) == "The Lasso"
    assert as_choice("l1", choices) == "The Lasso"
    assert expect_choice("the lasso", choices) == "the lasso"
    assert expect_choice("RIDGE", choices) == "ridge"


# ---------------------------------------------------------------------------------------------------- arrays


def test_as_array_returns_floats():
    array = as_array([1, 2, 3])
    assert array.dtype == np.float64 and array.tolist() == [1.0, 2.0, 3.0]
    assert as_array(np.array([1, 2], dtype=object)).dtype == np.float64
    assert as_array(np.float64(2.5)).shape == ()


@pytest.mark.parametrize(
    ("result", "says"),
    [
        ("1, 2", r"^the kernel should be an array of numbers, but it is the text '1, 2'\.$"),
        (b"12", r"^the kernel should be an array of numbers, but it is a bytes\.$"),
        ({"a": 1}, r"^the kernel should be an array of numbers, but it is a dict of 1\.$"),
        ({1.0}, r"^the kernel should be an array of numbers, but it is a set of 1\.$"),
        (frozenset({1.0}), r"but it is a frozenset of 1\.$"),
        (None, r"^the kernel should be an array of numbers, but it is a NoneType\.$"),
        ([[1.0, 2.0], [3.0]], r"^the kernel should be an array of numbers; a list of 2 could not be read as one\.$"),
        ([10**400], r"^the kernel holds a number far too large for a float\.$"),
        ([1.0, math.inf], r"^the kernel holds NaN or infinite values: something in the computation went wrong\.$"),
        (np.array([1.0, 2j], dtype=object), r"^the kernel holds complex numbers; it should hold real numbers only"),
        (np.array([1.0, "2"], dtype=object), r"^the kernel holds text; it should hold numbers \(drop the quotes\)\.$"),
        (np.array([1.0, b"2"], dtype=object), r"^the kernel holds text"),
        (np.array(["1.0"], dtype="U3"), r"^the kernel holds text"),
        (np.array([b"1.0"]), r"^the kernel holds text"),
    ],
    ids=_id,
)
def test_as_array_names_what_is_wrong(result, says):
    with pytest.raises(Incorrect, match=says):
        as_array(result, "the kernel")


def test_as_array_default_wording():
    with pytest.raises(Incorrect, match=r"^your function's result holds NaN"):
        as_array([math.nan])


# ------------------------------------------------------------- edges found by mutation testing (issue 23)


def test_numeric_text_drops_every_underscore_and_refuses_stray_letters():
    assert as_number("1__000") == 1000.0 and as_number("_5") == 5.0
    for text in ("5X", "X5", "'5'X"):
        with pytest.raises(Incorrect, match="which is not one"):
            as_number(text)


def test_messages_echo_the_answer_itself():
    long_text = "1" * 61
    with pytest.raises(Incorrect, match=r"^the answer should be a number, but you gave a long text \('1{61}'\)\.$"):
        as_number(long_text)

    class Unreadable:
        def __array__(self, dtype=None, copy=None):
            raise ValueError("no")

    with pytest.raises(Incorrect, match=r"^x should be a number; an Unreadable could not be read as one\.$"):
        as_number(Unreadable(), "x")

    class Huge:
        def __float__(self):
            raise OverflowError

        def __repr__(self):
            return "Huge()"

    with pytest.raises(Incorrect, match=r"^x should be a number of ordinary size; Huge\(\) is far too large\.$"):
        as_number(Huge(), "x")
    cut = "'" + "x" * 36 + "..."  # echoed in at most 40 characters
    with pytest.raises(Incorrect, match=rf"^{re.escape(cut)} is not one of the choices: answer with one of 'grow'\.$"):
        as_choice("x" * 100, ["grow"])
    with pytest.raises(Incorrect, match=rf"^that is text \({re.escape(cut)}\); give the answer as a tuple or list of "
                                        r"2, e\.g\. \(1, 2\), without quotes\.$"):
        as_numbers("x" * 100, 2)


def test_the_name_of_the_quantity_reaches_every_message():
    with pytest.raises(Incorrect, match=r"^the rate is NaN"):
        as_number(np.array([math.nan]), "the rate")
    with pytest.raises(Incorrect, match=r"^the degree should be a number, but you gave None\.$"):
        as_whole_number(None, "the degree")
    with pytest.raises(Incorrect, match=r"^the seed should be a number, but you gave None\.$"):
        expect_number(None, "the seed")
    with pytest.raises(Incorrect, match=r"^that is text \('12'\); give the answer as a tuple or list of 2, e\.g\. "
                                        r"\(1, 2\), without quotes\.$"):
        as_numbers("12", 2)


def test_an_object_array_holding_an_array_like_is_refused():
    class Box:
        def __array__(self, dtype=None, copy=None):
            return np.array(5.0)

    holder = np.empty((), dtype=object)
    holder[()] = Box()
    with pytest.raises(Incorrect, match=r"^x should be a number; .* holds a Box\.$"):
        as_number(holder, "x")


def test_complex_entries_of_a_two_dimensional_object_array_are_named():
    with pytest.raises(Incorrect, match=r"^the kernel holds complex numbers; it should hold real numbers only \(is a "
                                        r"square root of a negative number, or np\.fft, in the computation\?\)\.$"):
        as_array(np.array([[1.0, 2j], [3.0, 4.0]], dtype=object), "the kernel")


def test_an_answer_over_200_characters_is_not_read_even_if_it_starts_with_a_choice():
    assert as_choice("grow" + " " * 196, ["grow", "shrink"]) == "grow"  # 200 characters
    with pytest.raises(Incorrect, match="is not one of the choices"):
        as_choice("grow" + " " * 197, ["grow", "shrink"])


def test_a_zero_tolerance_still_accepts_the_exact_value():
    assert matches(0.25, 0.25, rel=0.0) and not matches(0.25000001, 0.25, rel=0.0)
