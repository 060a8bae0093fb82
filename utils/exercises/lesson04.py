"""Exercises of lesson 04: applying L2 regularization to a deep learning model."""

from __future__ import annotations

from typing import Any

from utils import model_checks as mc
from utils.checks import (
    Exercise,
    Incorrect,
    as_choice,
    as_number,
    as_numbers,
    expect,
    expect_close,
    matches,
    with_text_note,
)

import numpy as np

# --------------------------------------------------------------------------------------------------------------
# q1 (core): the learner writes the Keras model, with L2 on the hidden layers' kernels
# --------------------------------------------------------------------------------------------------------------

INPUTS_Q1, HIDDEN_Q1, CLASSES_Q1, LAMBDA_Q1 = 64, (128, 64), 10, 5e-4
_OFF_BY_Q1 = {"2 (the lambda/2 convention: Keras's L2(x) adds x * sum(w^2), with no 1/2)": 2.0}
_ACTIVATION_LAYERS = {"Activation", "ReLU", "Softmax"}
_LAYER_WORDS = ("first hidden layer", "second hidden layer", "output layer")


def _with_activations(specs: list[mc.LayerSpec]) -> list[tuple[mc.LayerSpec, str]]:
    """Each Dense layer with the activation it effectively has (a linear Dense followed by an Activation, ReLU
    or Softmax layer takes that layer's); raises Incorrect for any other kind of layer."""
    found: list[tuple[mc.LayerSpec, str]] = []
    for spec in specs:
        if spec.kind == "Dense":
            found.append((spec, spec.activation or "linear"))
        elif spec.kind in _ACTIVATION_LAYERS and found and found[-1][1] == "linear":
            name = spec.activation or spec.kind.lower()
            found[-1] = (found[-1][0], name)
        elif spec.kind in _ACTIVATION_LAYERS:
            raise Incorrect(f"a {spec.kind} layer follows a layer that already has an activation: remove it.")
        elif "Dropout" in spec.kind:
            raise Incorrect(f"your model has a {spec.kind} layer: this exercise asks for L2 only, without dropout.")
        else:
            raise Incorrect(f"your model has a {spec.kind} layer; the task asks for Dense layers only.")
    return found


def _optimizer_decay(model: Any) -> float:
    """The weight_decay of the optimizer the model was compiled with (0 when none or not compiled)."""
    optimizer = getattr(model, "optimizer", None)
    try:
        return float(getattr(optimizer, "weight_decay", None) or 0.0)
    except (TypeError, ValueError):
        return 0.0


def _check_keras_model(answer: Any) -> str:
    model = mc.read_model(answer, input_dim=INPUTS_Q1)
    layers = _with_activations(mc.layers_of(model))
    asked = [*HIDDEN_Q1, CLASSES_Q1]
    units = [spec.units for spec, _ in layers]
    expect(
        units == asked,
        f"your model's Dense layers have {units} units; the task asks for {asked} (two hidden layers, then the "
        "output layer).",
    )
    activations = [name for _, name in layers]
    expect(activations[-1] == "softmax", f"the output layer's activation is {activations[-1]}; the task asks for "
           "softmax (10 class probabilities).")
    for word, name in zip(_LAYER_WORDS, activations[:-1], strict=False):
        expect(name == "relu", f"the {word}'s activation is {name}; the task asks for relu.")
    hidden, output = [spec for spec, _ in layers[:-1]], layers[-1][0]
    for word, spec in zip(_LAYER_WORDS, [*hidden, output], strict=True):
        expect(spec.use_bias is not False, f"the {word} has no bias (use_bias=False): keep the biases, just leave "
               "them unpenalised.")
    if all(spec.kernel_penalty is None for spec in hidden):
        if _optimizer_decay(model) > 0 and output.kernel_penalty is None:
            raise Incorrect(
                "no layer carries a penalty: you put weight_decay on the optimizer. Under Adam that is not L2 (the "
                "lesson's Going further shows it); give the hidden layers kernel_regularizer=L2(...)."
            )
        if output.kernel_penalty is not None:
            raise Incorrect("only the output layer carries a kernel penalty; the task asks for it on both hidden "
                            "layers' kernels.")
    for word, spec in zip(_LAYER_WORDS[:2], hidden, strict=True):
        mc.expect_kernel_penalty(spec, l2=LAMBDA_Q1, where=f"the {word}", off_by=_OFF_BY_Q1)
    for word, spec in zip(_LAYER_WORDS, [*hidden, output], strict=True):
        mc.expect_no_penalty(spec, where=f"the {word}", parts=("bias", "activity"))
    if output.kernel_penalty is not None and output.kernel_penalty != (0.0, 0.0):
        try:
            mc.expect_kernel_penalty(output, l2=LAMBDA_Q1, where="the output layer", off_by=_OFF_BY_Q1)
        except Incorrect as wrong:
            raise Incorrect(f"{wrong} (Or leave the output layer unpenalised: both are allowed.)") from None
    output_penalised = output.kernel_penalty is not None and output.kernel_penalty != (0.0, 0.0)
    penalised = "all three kernels" if output_penalised else "the two hidden kernels"
    added = f"Keras adds {LAMBDA_Q1:g} * sum(w^2) of {penalised} to the loss"
    notes = ""
    if output.kernel_penalty == (0.0, 0.0):
        added += "; the output layer's regularizer, of factor 0, adds nothing"
    if _optimizer_decay(model) > 0:
        notes = (" Note: your optimizer's weight_decay also decays every weight, biases included; the recipe's Adam "
                 "has none.")
    if not notes and output.kernel_penalty != (0.0, 0.0):
        return f"{mc.summary(mc.layers_of(model))}. {added}; compile and fit it as in the lesson's recipe."
    praise = f"{mc.summary(mc.layers_of(model))}. {added}.{notes}"
    return praise if len(praise) <= 260 else f"{added}.{notes}"  # with "Correct! ", within MESSAGE_LIMIT - 20


_SOLUTION_Q1 = f"""import keras

penalty = keras.regularizers.L2({LAMBDA_Q1:g})  # the biases get none: only kernel_regularizer is set
answer = keras.Sequential([
    keras.Input(shape=({INPUTS_Q1},)),
    keras.layers.Dense({HIDDEN_Q1[0]}, activation="relu", kernel_regularizer=penalty),
    keras.layers.Dense({HIDDEN_Q1[1]}, activation="relu", kernel_regularizer=penalty),
    keras.layers.Dense({CLASSES_Q1}, activation="softmax"),  # the task allows L2({LAMBDA_Q1:g}) here too, or none
])
"""


def _build(
    hidden_regularizers: tuple[Any, Any] = ("L2", "L2"),
    output_regularizer: Any = None,
    *,
    units: tuple[int, ...] = (*HIDDEN_Q1, CLASSES_Q1),
    **hidden_kwargs: Any,
) -> Any:
    """A Sequential model of the task's shape, for the declared right and wrong answers."""
    import keras

    def regularizer(value: Any) -> Any:
        return keras.regularizers.L2(LAMBDA_Q1) if value == "L2" else value

    layers = [keras.Input(shape=(INPUTS_Q1,))]
    for size, reg in zip(units[:-1], hidden_regularizers, strict=True):
        layers.append(keras.layers.Dense(size, activation="relu", kernel_regularizer=regularizer(reg), **hidden_kwargs))
    layers.append(keras.layers.Dense(units[-1], activation="softmax", kernel_regularizer=regularizer(output_regularizer)))
    return keras.Sequential(layers)


def _right_q1(_solution: Any) -> list[Any]:
    import keras

    inputs = keras.Input(shape=(INPUTS_Q1,), name="pixels")
    x = keras.layers.Dense(128, activation="relu", kernel_regularizer=keras.regularizers.l2(LAMBDA_Q1), name="a")(inputs)
    x = keras.layers.Dense(64, activation="relu", kernel_regularizer=keras.regularizers.L1L2(l2=LAMBDA_Q1), name="b")(x)
    functional = keras.Model(inputs, keras.layers.Dense(10, activation="softmax", name="c")(x))
    unbuilt = keras.Sequential([  # no Input: the checker builds it on 64 inputs
        keras.layers.Dense(128, kernel_regularizer=keras.regularizers.L2(l2=LAMBDA_Q1)),
        keras.layers.ReLU(),
        keras.layers.Dense(64, activation=keras.activations.relu, kernel_regularizer=keras.regularizers.L2(LAMBDA_Q1)),
        keras.layers.Dense(10),
        keras.layers.Activation("softmax"),
    ])

    def builder() -> Any:
        return _build(output_regularizer="L2")  # the output kernel penalised too: allowed

    compiled = _build(output_regularizer=keras.regularizers.L2(0.0))  # an output penalty of factor 0 is none
    compiled.compile(optimizer=keras.optimizers.Adam(), loss="sparse_categorical_crossentropy")
    return [functional, unbuilt, builder, _build(output_regularizer="L2"), compiled]


def _wrong_q1(_solution: Any) -> list[Any]:
    import keras

    def decay_instead() -> Any:
        model = _build((None, None))
        model.compile(optimizer=keras.optimizers.AdamW(weight_decay=2 * LAMBDA_Q1), loss="sparse_categorical_crossentropy")
        return model

    def raises() -> Any:
        raise ValueError("oops")

    return [
        _build((None, None), "L2"),  # the penalty on the output layer only
        _build(("L2", None)),  # the second hidden layer missed
        _build((None, None), bias_regularizer=keras.regularizers.L2(LAMBDA_Q1)),  # on the biases
        _build((None, None), activity_regularizer=keras.regularizers.L2(LAMBDA_Q1)),  # on the activity
        _build(("l2", "l2")),  # Keras's default factor, 0.01
        _build((keras.regularizers.L1(LAMBDA_Q1),) * 2),  # L1 instead of L2
        _build((keras.regularizers.L2(LAMBDA_Q1 / 2),) * 2),  # lambda/2
        decay_instead,  # weight decay on the optimizer instead
        _build(units=(256, 256, 10)),  # the lesson's own network, not the one asked
        _build(("L2", "L2"), keras.regularizers.L2(0.01)),  # the output layer's penalty differs
        raises,
    ]


q1 = Exercise(
    name="q1",
    question=(
        f"Write a Keras model: {INPUTS_Q1} inputs, Dense({HIDDEN_Q1[0]}, relu), Dense({HIDDEN_Q1[1]}, relu), "
        f"Dense({CLASSES_Q1}, softmax); L2({LAMBDA_Q1:g}) on both hidden kernels, no penalty on biases; the "
        f"output kernel: L2({LAMBDA_Q1:g}) or none."
    ),
    checker=_check_keras_model,
    hint_text=(
        "keras.Sequential([keras.Input(shape=(64,)), keras.layers.Dense(..., activation=..., "
        "kernel_regularizer=keras.regularizers.L2(...)), ...]): the penalty goes on each layer that should carry it."
    ),
    solution_code=_SOLUTION_Q1,
    right_answers=_right_q1,
    wrong_answers=_wrong_q1,
)

# --------------------------------------------------------------------------------------------------------------
# q2 (core) to q4 (going further)
# --------------------------------------------------------------------------------------------------------------

LR_Q3, FACTOR_Q3 = 0.05, 0.999


def _check_decay(answer: Any) -> str:
    lam, decay = as_numbers(answer, 2, "(lambda, weight_decay)", "(0.1, 0.2)")
    shrink = 1 - FACTOR_Q3  # what one step takes from the weight: learning rate * 2 * lambda = learning rate * d
    right_lam, right_decay = shrink / (2 * LR_Q3), shrink / LR_Q3
    if matches(lam, right_lam) and matches(decay, right_decay):
        return "lambda = 0.001 / (2 * 0.05) = 0.01 and d = 0.001 / 0.05 = 0.02 = 2 * lambda, as for any plain SGD step."
    expect(not (matches(lam, right_decay) and matches(decay, right_lam)), "the two numbers are swapped: lambda comes first.")
    expect(
        not matches(lam, shrink / LR_Q3),
        "that lambda is the decay's value: the gradient of lambda * w^2 is 2 * lambda * w, so the step takes "
        "learning rate * 2 * lambda * w.",
    )
    expect(not matches(lam, shrink), "that is the fraction the step takes; the learning rate multiplies the gradient.")
    expect(not matches(decay, shrink), "that d is the fraction the step takes; weight decay's step is learning rate * d * w.")
    expect(matches(lam, right_lam), f"lambda = {lam:.4g} is not it: one SGD step on lambda * w^2 multiplies w by what?")
    expect(matches(decay, right_decay), f"lambda is right; d = {decay:.4g} is not: one step of weight decay multiplies w by what?")
    raise Incorrect("not yet: compare both steps with the factor 0.999.")  # unreachable


q3 = Exercise(
    name="q3",
    question=(
        f"Plain SGD at learning rate {LR_Q3} with L2(lambda) multiplies a weight that no data push by {FACTOR_Q3} per "
        "step. Give (lambda, weight_decay): lambda, and the SGD weight_decay that takes the same step."
    ),
    checker=_check_decay,
    hint_text="One SGD step on lambda * w^2 multiplies w by 1 - lr * 2 * lambda; one step of weight decay d by 1 - lr * d.",
    solution_code=f"lam = (1 - {FACTOR_Q3}) / (2 * {LR_Q3})\nanswer = (lam, 2 * lam)",
    right_answers=((0.01, 0.02), [0.01, 0.02], np.array([0.01, 0.02]), ("0.01", "0.02"), (0.010004, 0.019996)),
    wrong_answers=((0.02, 0.01), (0.02, 0.04), (0.001, 0.002), (0.01, 0.001), (0.01, 0.01), 0.01, "0.01, 0.02", [0.01]),
)

YES_NO = {"yes": ("same",), "no": ("different",)}


def _check_rmsprop(answer: Any) -> str:
    expect(
        as_choice(answer, YES_NO) == "no",
        "RMSprop, like Adam, divides each gradient, the penalty's included, by a running scale; weight decay is "
        "applied outside that division.",
    )
    return (
        "No: as with Adam, the L2 gradient is rescaled by RMSprop and weight decay is not; only plain SGD (no "
        "momentum) makes the two the same."
    )


q4 = Exercise(
    name="q4",
    question=(
        "Do RMSprop with L2(lambda) and RMSprop(weight_decay=2*lambda), from the same start, train to the same "
        "weights? ('yes' or 'no')"
    ),
    checker=_check_rmsprop,
    hint_text="RMSprop divides each weight's gradient by a running average of its size. Which of the two goes through that?",
    solution_code="answer = 'no'",
    right_answers=("No", " no ", "NO.", "different"),
    wrong_answers=("yes", True, "maybe", 0),
)

LR_Q2, LAMBDA_Q2, STEPS_Q2 = 0.01, 0.001, 1000


def _check_blank(answer: Any) -> str:
    value = as_number(answer, "the factor")
    one_step = 1 - 2 * LR_Q2 * LAMBDA_Q2
    lost = 1 - one_step**STEPS_Q2  # what the weight loses over the steps, about 0.02
    expect(
        not abs(value - lost) <= lost / 4,
        "that is about the fraction of the weight that is taken away; the question asks for the factor the weight "
        "is multiplied by.",
    )
    expect_close(
        value,
        one_step**STEPS_Q2,
        what="the factor",
        mistakes=(
            ((1 - LR_Q2 * LAMBDA_Q2) ** STEPS_Q2, "the gradient of lambda * w^2 is 2 * lambda * w: a factor 2 is missing."),
            (one_step, "that is about one step's factor (or no change at all); the factor compounds over 1,000 steps."),
            (0.0, "a gradient step multiplies the weight by a factor just below 1: it shrinks, it is not cleared."),
            ((1 - 2 * LAMBDA_Q2) ** STEPS_Q2, "the learning rate multiplies the gradient too."),
        ),
        otherwise=f"{value:.4g} is not it: what does one step multiply the weight by, and how do 1,000 steps combine?",
        # The factor is 0.98, only 0.02 from 1 (no change): a 5% band would call 1.0 or 0.96 "close". Close means
        # getting the shrink 1 - factor right within a quarter: 0.005, i.e. answers from 0.975 to 0.985.
        close_within=(1 - one_step**STEPS_Q2) / 4,
    )
    return with_text_note(
        answer,
        f"(1 - 2 * {LR_Q2} * {LAMBDA_Q2})^{STEPS_Q2} = {one_step**STEPS_Q2:.3f}: plain SGD + L2 barely moves a weight "
        "that no data pushes; Adam, which divides each gradient by its running scale, moves it by up to about the "
        "learning rate per step.",
    )


q2 = Exercise(
    name="q2",
    question=(
        f"An always-blank pixel's weights get no data gradient, only L2({LAMBDA_Q2})'s. By what factor does plain "
        f"SGD at learning rate {LR_Q2} multiply such a weight over {STEPS_Q2:,} steps?"
    ),
    checker=_check_blank,
    hint_text="One SGD step subtracts learning_rate * 2 * lambda * w from w: that multiplies w by a constant. Repeat it.",
    solution_code=f"answer = (1 - 2 * {LR_Q2} * {LAMBDA_Q2}) ** {STEPS_Q2}",
    right_answers=(0.98, "0.980", 0.9802, np.float32(0.980199), np.exp(-2 * LR_Q2 * LAMBDA_Q2 * STEPS_Q2), "98%"),
    wrong_answers=(0.99005, 0.99998, 0, 0.135, 1, 0.97, 0.02, 0.0198, "almost zero", [0.98]),
)
