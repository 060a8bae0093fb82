"""Exercises of lesson 06: dropout."""

from __future__ import annotations

from typing import Any

from utils.checks import (
    Exercise,
    Incorrect,
    as_array,
    as_choice,
    as_number,
    call_learner_function,
    expect,
    expect_close,
    with_text_note,
)

import numpy as np

RATE = 0.3
SHAPE = (300, 20, 40)  # (batch, steps, channels)


def _check_spatial(answer: Any) -> str:
    h = np.random.default_rng(3).uniform(0.5, 1.5, size=SHAPE)
    result = call_learner_function(
        answer, h.copy(), RATE, np.random.default_rng(4), signature="(h, rate, rng) that returns an array shaped like h"
    )
    out = as_array(result)
    expect(out.shape == h.shape, f"the result has shape {out.shape}; h has shape {h.shape}.")
    kept = out != 0
    per_channel = kept.mean(axis=1)  # (batch, channels): 0 or 1 when whole channels are dropped
    expect(
        bool(np.isin(per_channel, (0.0, 1.0)).all()),
        "you drop single entries; drop whole channels: one decision per example and channel, shared by all steps.",
    )
    channel_kept = per_channel.astype(bool)
    expect(
        not (channel_kept == channel_kept[:1]).all(),
        "every example drops the same channels; Keras draws a separate mask for each example.",
    )
    fraction = channel_kept.mean()
    expect(abs(fraction - RATE) > 0.03, "you keep a fraction equal to rate: rate is the fraction dropped.")
    expect(abs(fraction - (1 - RATE)) < 0.03, f"you keep {fraction:.2f} of the channels; with rate {RATE} expect about {1 - RATE:.2f}.")
    ratio = float(np.median(out[kept] / h[kept]))
    expect(not np.isclose(ratio, 1.0), "the survivors are not scaled: Keras scales them so that the mean stays the same.")
    expect(not np.isclose(ratio, 1 - RATE), "that scales by (1 - rate), the paper's test-time rule; Keras scales survivors the other way.")
    expect(bool(np.isclose(ratio, 1 / (1 - RATE))), f"survivors are multiplied by {ratio:.3g}; the mean activation should stay the same.")
    return "Spatial dropout: one keep-or-drop per example and channel, survivors divided by 1 - rate, as SpatialDropout1D does."


def _spatial(h: np.ndarray, rate: float, rng: np.random.Generator) -> np.ndarray:
    keep = rng.uniform(size=(h.shape[0], 1, h.shape[2])) >= rate
    return np.where(keep, h / (1 - rate), 0.0)


q1 = Exercise(
    name="q1",
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
        lambda h, rate, rng: np.where(rng.uniform(size=(h.shape[0], 1, h.shape[2])) >= rate, h, 0.0),
        lambda h, rate, rng: np.where(rng.uniform(size=(h.shape[0], 1, h.shape[2])) < rate, h / rate, 0.0),
        lambda h, rate, rng: np.where(rng.uniform(size=(h.shape[0], 1, h.shape[2])) >= rate, h * (1 - rate), 0.0),
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


q2 = Exercise(
    name="q2",
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

RATE_Q3 = 0.35


def _check_kept(answer: Any) -> str:
    value = as_number(answer, "the fraction kept")
    if 1 < value <= 100 and abs(value - 100 * (1 - RATE_Q3)) < 1e-6:
        raise Incorrect(f"{value:g} looks like a percentage: give the fraction, between 0 and 1 (or the text '{value:g}%').")
    expect_close(
        value,
        1 - RATE_Q3,
        what="the fraction",
        mistakes=(
            (RATE_Q3, f"{RATE_Q3} is the fraction dropped: Keras's rate is the drop rate."),
            (1 / (1 - RATE_Q3), "that is the factor the survivors are scaled by, not the fraction kept."),
        ),
        otherwise=(
            f"{value:g} is not it: rate is the probability that a unit is dropped."
            if 0 <= value <= 1
            else f"{value:g} is not a fraction: a fraction lies between 0 and 1."
        ),
    )
    return with_text_note(answer, f"{1 - RATE_Q3:g}: Keras's rate is the fraction dropped (the paper's p was the fraction kept).")


q3 = Exercise(
    name="q3",
    question=f"During training, what fraction of a layer's units does keras.layers.Dropout({RATE_Q3}) keep, on average?",
    checker=_check_kept,
    hint_text="rate is the probability of dropping a unit.",
    solution_code=f"answer = 1 - {RATE_Q3}",
    right_answers=(0.65, "0.65", "65%", np.float32(0.65), np.array(0.65), 0.6501),
    wrong_answers=(RATE_Q3, 0.5, 65, 1.5385, "65 percent", 0.63, -0.65, float("inf")),
)
