"""Exercises of lesson 06: dropout."""

from __future__ import annotations

import numbers
from typing import Any

from utils.checks import (
    Exercise,
    Incorrect,
    as_array,
    as_choice,
    as_number,
    call_learner_function,
    echo,
    expect,
    expect_close,
    with_text_note,
)

import numpy as np

CASES = ((0.3, (300, 20, 40), 3), (0.6, (200, 10, 30), 5))
"""(rate, shape (batch, steps, channels), seed of the data): two rates, so that a function with the rate written
into it fails."""


def _real_array(result: Any) -> np.ndarray:
    """The learner's result as a float array; complex numbers, text and other non-real values are refused."""
    if isinstance(result, str | bytes):
        raise Incorrect(f"your function returned text ({echo(result, 30)}); return an array of real numbers shaped like h.")
    try:
        raw = np.asarray(result)
    except Exception:
        raw = None
    if raw is not None and raw.dtype.kind == "c":
        raise Incorrect("your function returned complex numbers; dropout only zeroes and rescales real activations.")
    if raw is not None and raw.dtype.kind in "USO" and raw.size and not all(
        isinstance(v, numbers.Real) and not isinstance(v, bool) for v in raw.ravel()[:1000]
    ):
        raise Incorrect("your function's result holds text or other values that are not real numbers; return an array of floats shaped like h.")
    return as_array(result)


def _check_spatial(answer: Any) -> str:
    for rate, shape, data_seed in CASES:
        h = np.random.default_rng(data_seed).uniform(0.5, 1.5, size=shape)
        result = call_learner_function(
            answer, h.copy(), rate, np.random.default_rng(data_seed + 1),
            signature="(h, rate, rng) that returns an array shaped like h",
        )
        out = _real_array(result)
        expect(out.shape == h.shape, f"with h of shape {h.shape} the result has shape {out.shape}; return an array shaped like h.")
        kept = out != 0
        expect(kept.any(), f"at rate {rate} your function drops everything: every output is zero. Drop each channel with probability rate.")
        expect(not kept.all(), f"at rate {rate} your function drops nothing: every output is non-zero. Drop each channel with probability rate.")
        per_channel = kept.mean(axis=1)  # (batch, channels): 0 or 1 when whole channels are dropped
        if not np.isin(per_channel, (0.0, 1.0)).all():
            per_step = kept.mean(axis=2)  # (batch, steps): 0 or 1 when whole time steps are dropped
            expect(
                not np.isin(per_step, (0.0, 1.0)).all(),
                "you drop whole time steps (one decision per example and step); SpatialDropout1D drops whole "
                "channels: one decision per example and channel, shared by all steps.",
            )
            raise Incorrect(
                "you drop single entries; drop whole channels: one decision per example and channel, shared by all steps."
            )
        channel_kept = per_channel.astype(bool)
        expect(
            not (channel_kept == channel_kept[:1]).all(),
            "every example drops the same channels; Keras draws a separate mask for each example.",
        )
        fraction = channel_kept.mean()
        expect(abs(fraction - rate) > 0.05, f"at rate {rate} you keep {fraction:.2f}, about rate itself: rate is the fraction dropped.")
        others = [r for r, _, _ in CASES if r != rate]
        expect(
            not any(abs(fraction - (1 - r)) < 0.05 for r in others),
            f"at rate {rate} you keep {fraction:.2f} of the channels, as if rate were {others[0]}: use the rate you are given.",
        )
        expect(abs(fraction - (1 - rate)) < 0.05, f"you keep {fraction:.2f} of the channels; with rate {rate} expect about {1 - rate:.2f}.")
        ratio = float(np.median(out[kept] / h[kept]))
        expect(not np.isclose(ratio, 1.0), "the survivors are not scaled: Keras scales them so that the mean stays the same.")
        expect(not np.isclose(ratio, 1 - rate), "that scales by (1 - rate), the paper's test-time rule; Keras scales survivors the other way.")
        expect(
            bool(np.isclose(ratio, 1 / (1 - rate))),
            f"at rate {rate} survivors are multiplied by {ratio:.3g}; the mean activation should stay the same.",
        )
    return "Spatial dropout: one keep-or-drop per example and channel, survivors divided by 1 - rate, as SpatialDropout1D does."


def _spatial(h: np.ndarray, rate: float, rng: np.random.Generator) -> np.ndarray:
    keep = rng.uniform(size=(h.shape[0], 1, h.shape[2])) >= rate
    return np.where(keep, h / (1 - rate), 0.0)


q2 = Exercise(
    name="q2",
    question=(
        "Write my_spatial_dropout(h, rate, rng) for h shaped (batch, steps, channels): like SpatialDropout1D, drop "
        "each channel of each example over all steps with probability rate, scaled as in Keras."
    ),
    checker=_check_spatial,
    hint_text="Draw one uniform number per (example, channel): a mask of shape (batch, 1, channels) broadcasts over steps.",
    solution_code=(
        "def answer(h, rate, rng):\n"
        "    keep = rng.uniform(size=(h.shape[0], 1, h.shape[2])) >= rate\n"
        "    return np.where(keep, h / (1 - rate), 0.0)"
    ),
    right_answers=(
        lambda h, rate, rng: _spatial(h, rate, rng).tolist(),
        lambda h, rate, rng: _spatial(h, rate, rng).astype(np.float32),
        lambda h, rate, rng: h * (rng.random((h.shape[0], 1, h.shape[2])) >= rate) / (1 - rate),
    ),
    wrong_answers=(
        lambda h, rate, rng: np.where(rng.uniform(size=h.shape) >= rate, h / (1 - rate), 0.0),
        lambda h, rate, rng: np.where(rng.uniform(size=(1, 1, h.shape[2])) >= rate, h / (1 - rate), 0.0),
        lambda h, rate, rng: np.where(rng.uniform(size=(h.shape[0], h.shape[1], 1)) >= rate, h / (1 - rate), 0.0),
        lambda h, rate, rng: np.where(rng.uniform(size=(h.shape[0], 1, h.shape[2])) >= rate, h, 0.0),
        lambda h, rate, rng: np.where(rng.uniform(size=(h.shape[0], 1, h.shape[2])) < rate, h / rate, 0.0),
        lambda h, rate, rng: np.where(rng.uniform(size=(h.shape[0], 1, h.shape[2])) >= rate, h * (1 - rate), 0.0),
        lambda h, rate, rng: np.where(rng.uniform(size=(h.shape[0], 1, h.shape[2])) >= 0.3, h / 0.7, 0.0),
        lambda h, rate, rng: _spatial(h, rate, rng) + 0j,
        lambda h, rate, rng: _spatial(h, rate, rng).astype(str),
        lambda h, rate, rng: h,
        lambda h, rate, rng: np.zeros_like(h),
        lambda h, rate, rng: h[:, 0, :],
        lambda h, rate, rng: "dropout",
        "dropout",
    ),
)

ON_OFF = {"on": ("dropout on", "with dropout"), "off": ("dropout off", "without dropout")}


def _check_fit_loss(answer: Any) -> str:
    expect(
        as_choice(answer, ON_OFF) == "on",
        "fit does not run a separate clean pass to report its loss: which mode are the passes it learns from in?",
    )
    return (
        "On: the loss fit reports is the mean of its training steps' losses, computed on the thinned networks it "
        "learns from. That is one reason a dropout model's training loss can sit above its validation loss (lesson 07)."
    )


q3 = Exercise(
    name="q3",
    question=(
        "A model with Dropout(0.5) layers is trained with fit. Is the training loss that fit reports for each epoch "
        "computed with dropout 'on' or 'off'?"
    ),
    checker=_check_fit_loss,
    hint_text="Does fit compute the loss it reports in extra passes, or from the passes it updates the weights with?",
    solution_code="answer = 'on'",
    right_answers=("On", " ON ", "on.", "'on'", "dropout on", "with dropout"),
    wrong_answers=("off", "Off", "dropout off", "without dropout", True, "yes", ["on"], "same"),
)

RATE_Q1 = 0.35


def _check_kept(answer: Any) -> str:
    value = as_number(answer, "the fraction kept")
    if 1 < value <= 100 and abs(value - 100 * (1 - RATE_Q1)) < 1e-6:
        raise Incorrect(f"{value:g} looks like a percentage: give the fraction, between 0 and 1 (or the text '{value:g}%').")
    expect_close(
        value,
        1 - RATE_Q1,
        what="the fraction",
        mistakes=(
            (RATE_Q1, f"{RATE_Q1} is the fraction dropped: Keras's rate is the drop rate."),
            (1 / (1 - RATE_Q1), "that is the factor the survivors are scaled by, not the fraction kept."),
        ),
        otherwise=(
            f"{value:g} is not it: rate is the probability that a unit is dropped."
            if 0 <= value <= 1
            else f"{value:g} is not a fraction: a fraction lies between 0 and 1."
        ),
    )
    return with_text_note(answer, f"{1 - RATE_Q1:g}: Keras's rate is the fraction dropped (the paper's p was the fraction kept).")


q1 = Exercise(
    name="q1",
    question=f"During training, what fraction of a layer's units does keras.layers.Dropout({RATE_Q1}) keep, on average?",
    checker=_check_kept,
    hint_text="rate is the probability of dropping a unit.",
    solution_code=f"answer = 1 - {RATE_Q1}",
    right_answers=(0.65, "0.65", "65%", np.float32(0.65), np.array(0.65), 0.6501),
    wrong_answers=(RATE_Q1, 0.5, 65, 1.5385, "65 percent", 0.63, -0.65, float("inf")),
)
