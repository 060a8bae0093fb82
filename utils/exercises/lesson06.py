"""Exercises of lesson 06: dropout."""

from __future__ import annotations

from typing import Any

from utils.checks import Exercise, call_learner_function, expect, expect_choice, expect_number

import numpy as np


def _check_dropout(answer: Any) -> str:
    h = np.random.default_rng(3).uniform(0.5, 1.5, size=(400, 250))
    rate = 0.3
    out = call_learner_function(answer, h.copy(), rate, np.random.default_rng(4),
                                signature="(h, rate, rng) that returns an array shaped like h")
    out = np.asarray(out, dtype=float)
    expect(out.shape == h.shape, f"the output has shape {out.shape}, the input {h.shape}.")
    kept = out != 0
    fraction = kept.mean()
    expect(abs(fraction - rate) > 0.02, "you keep a fraction equal to rate: rate is the fraction dropped.")
    expect(abs(fraction - (1 - rate)) < 0.02, f"you keep {fraction:.2f} of the units; expected about {1 - rate:.2f}.")
    ratio = np.median(out[kept] / h[kept])
    expect(not np.isclose(ratio, 1.0), "the survivors are not scaled: multiply them by 1 / (1 - rate).")
    expect(not np.isclose(ratio, 1 - rate), "that scales by (1 - rate), the paper's test-time rule; inverted dropout divides.")
    expect(np.isclose(ratio, 1 / (1 - rate)), f"survivors are multiplied by {ratio:.3g}; expected 1 / (1 - rate).")
    expect(abs(out.mean() / h.mean() - 1) < 0.02, "the mean activation should stay where it was.")
    return "Inverted dropout: drop with probability rate, divide the survivors by 1 - rate."


q1 = Exercise(
    name="q1",
    question="Write my_dropout(h, rate, rng): inverted dropout of the activations h, as Keras does in training.",
    checker=_check_dropout,
    hint_text="Draw a keep mask with rng.uniform(size=h.shape) >= rate, then scale what you keep.",
    solution_code=(
        "def answer(h, rate, rng):\n"
        "    keep = rng.uniform(size=h.shape) >= rate\n"
        "    return np.where(keep, h / (1 - rate), 0.0)"
    ),
    wrong_answers=(
        lambda h, rate, rng: np.where(rng.uniform(size=h.shape) >= rate, h, 0.0),
        lambda h, rate, rng: np.where(rng.uniform(size=h.shape) < rate, h / rate, 0.0),
        lambda h, rate, rng: np.where(rng.uniform(size=h.shape) >= rate, h * (1 - rate), 0.0),
        "dropout",
    ),
)


def _check_predict(answer: Any) -> str:
    expect(expect_choice(answer, ("same", "different")) == "same", "predict runs in inference mode: Keras's Dropout passes its input through.")
    return "The same: dropout is off in predict; the scaling already happened during training."


q2 = Exercise(
    name="q2",
    question="A model with Dropout(0.5) layers is trained. Does predict(x) give the 'same' or 'different' outputs on two calls?",
    checker=_check_predict,
    hint_text="Look at the training-versus-inference table.",
    solution_code="answer = 'same'",
    wrong_answers=("different", True),
)


def _check_kept(answer: Any) -> str:
    value = expect_number(answer, "The fraction kept")
    expect(value != 0.2, "0.2 is the fraction dropped: Keras's rate is the drop rate.")
    expect(abs(value - 0.8) < 1e-9, f"{value:g} is not it.")
    return "0.8: Keras's rate is the fraction dropped (the paper's p was the fraction kept)."


q3 = Exercise(
    name="q3",
    question="During training, what fraction of a layer's units does keras.layers.Dropout(0.2) keep, on average?",
    checker=_check_kept,
    hint_text="rate is the probability of dropping a unit.",
    solution_code="answer = 1 - 0.2",
    wrong_answers=(0.2, 0.5, "80%"),
)
