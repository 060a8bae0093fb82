"""Exercises of lesson 03: applying L1 regularization to a deep learning model.

q1 (core path) asks the learner to write the Keras code: a network with an L1 penalty on the first layer's kernel
only. q2 is one gradient step on the penalty by hand; q3 and q4 go further (the penalty's gradient as a function,
the strength a fixed soft-threshold stands for).
"""

from __future__ import annotations

from typing import Any

from utils import model_checks as mc
from utils.checks import (
    Exercise,
    Incorrect,
    as_array,
    as_number,
    call_learner_function,
    expect,
    expect_close,
    with_text_note,
)

import numpy as np

# ---------------------------------------------------------------------------------------------------------------
# q1: the Keras code, written by the learner
# ---------------------------------------------------------------------------------------------------------------

N_INPUTS, HIDDEN_UNITS, L1_Q1 = 500, 32, 0.02
_ACTIVATION_LAYERS = {"Activation", "ReLU"}


def _dense_with_activations(specs: list[mc.LayerSpec]) -> list[tuple[mc.LayerSpec, str]]:
    """The Dense layers with their effective activation: a linear Dense followed by ``Activation("relu")`` or
    ``ReLU()`` counts as a ReLU layer (two right ways to write one)."""
    result: list[tuple[mc.LayerSpec, str]] = []
    for spec in specs:
        if spec.kind == "Dense":
            result.append((spec, spec.activation or "linear"))
        elif spec.kind in _ACTIVATION_LAYERS and result and result[-1][1] == "linear":
            name = "relu" if spec.kind == "ReLU" else (spec.activation or "linear")
            result[-1] = (result[-1][0], name)
    return result


def _check_model(answer: Any) -> str:
    model = mc.read_model(answer, input_dim=N_INPUTS)
    specs = mc.layers_of(model)
    shape = mc.summary(specs)
    extra = [s.kind for s in specs if s.kind != "Dense" and s.kind not in _ACTIVATION_LAYERS]
    expect(not extra, f"your model has {', '.join(extra)} layers ({shape}); the task asks for Dense layers only.")
    layers = _dense_with_activations(specs)
    expect(
        len(layers) == 3,
        f"your model has {len(layers)} Dense layer{'s' if len(layers) != 1 else ''} ({shape}); the task asks for two "
        f"hidden layers and one output layer.",
    )
    (first, act1), (second, act2), (output, act_out) = layers
    for where, (spec, act) in (("the first hidden layer", layers[0]), ("the second hidden layer", layers[1])):
        expect(spec.units == HIDDEN_UNITS, f"{where} has {spec.units} units; the task asks for {HIDDEN_UNITS}.")
        expect(act == "relu", f"{where}'s activation is {act}; the task asks for ReLU (activation='relu').")
    expect(
        output.units == 1 and act_out == "sigmoid",
        f"the output layer is Dense({output.units}, {act_out}); a binary classifier ends in Dense(1, "
        "activation='sigmoid').",
    )
    for where, spec in (("the first hidden layer", first), ("the second hidden layer", second),
                        ("the output layer", output)):
        expect(spec.use_bias is not False, f"{where} has no bias (use_bias=False): keep the biases, unpenalised.")
    penalised_later = [spec for spec in (second, output) if spec.kernel_penalty not in (None, (0.0, 0.0))]
    first_penalty = first.kernel_penalty not in (None, (0.0, 0.0))
    if not first_penalty and penalised_later and first.bias_penalty is None and first.activity_penalty is None:
        where = "the output layer" if penalised_later == [output] else "a later layer"
        raise Incorrect(
            f"the penalty is on {where}, not on the first layer: only the first layer's weights each belong to one "
            "input, so that is where L1 can switch inputs off."
        )
    mc.expect_kernel_penalty(first, l1=L1_Q1, where="the first hidden layer")
    mc.expect_no_penalty(first, where="the first hidden layer", parts=("bias", "activity"))
    expect(
        not penalised_later,
        "every Dense layer carries the penalty; the task puts it on the first layer only (its weights are the "
        "ones that belong to inputs)." if len(penalised_later) == 2
        else "a later layer carries a kernel penalty too; the task puts it on the first layer only.",
    )
    for where, spec in (("the second hidden layer", second), ("the output layer", output)):
        mc.expect_no_penalty(spec, where=where)
    return (
        f"{shape}: L1 on the first layer's kernel only, where each weight belongs to one input, so the penalty "
        "can switch inputs off; biases and later layers are untouched."
    )


q1 = Exercise(
    name="q1",
    question=(
        f"Write the Keras network for our {N_INPUTS} inputs: two hidden layers of {HIDDEN_UNITS} ReLU units and a "
        f"sigmoid output, with L1({L1_Q1}) on the first layer's kernel only. Give the model or a function that builds it."
    ),
    checker=_check_model,
    hint_text=(
        "keras.Sequential([keras.Input(shape=(500,)), keras.layers.Dense(..., kernel_regularizer=...), ...]): "
        "which Dense layer gets keras.regularizers.L1(...)?"
    ),
    solution_code=(
        "import keras\n\n"
        "answer = keras.Sequential([\n"
        "    keras.Input(shape=(500,)),\n"
        "    keras.layers.Dense(32, activation=\"relu\", kernel_regularizer=keras.regularizers.L1(0.02)),\n"
        "    keras.layers.Dense(32, activation=\"relu\"),\n"
        "    keras.layers.Dense(1, activation=\"sigmoid\"),\n"
        "])"
    ),
    right_answers=lambda _: _right_models(),
    wrong_answers=lambda _: _wrong_models(),
)


def _right_models() -> list[Any]:
    """Right answers written differently (used by the tests)."""
    import keras

    L, R = keras.layers, keras.regularizers

    def functional() -> keras.Model:
        inputs = keras.Input(shape=(N_INPUTS,), name="features")
        x = L.Dense(HIDDEN_UNITS, activation="relu", kernel_regularizer=R.L1L2(l1=L1_Q1), name="select")(inputs)
        x = L.Dense(HIDDEN_UNITS, activation="relu", name="mix")(x)
        return keras.Model(inputs, L.Dense(1, activation="sigmoid", name="p")(x))

    def no_input_layer() -> keras.Model:
        return keras.Sequential([L.Dense(HIDDEN_UNITS, kernel_regularizer=R.l1(L1_Q1)), L.ReLU(),
                                 L.Dense(HIDDEN_UNITS), L.Activation("relu"), L.Dense(1, activation="sigmoid")])

    built = keras.Sequential([L.Dense(HIDDEN_UNITS, activation="relu", kernel_regularizer=R.L1(l1=L1_Q1)),
                              L.Dense(HIDDEN_UNITS, activation="relu"), L.Dense(1, activation="sigmoid")])
    built.build((None, N_INPUTS))
    return [functional, no_input_layer, built, functional()]


def _wrong_models() -> list[Any]:
    """Typical mistakes, each named by its own message (used by the tests)."""
    import keras

    L, R = keras.layers, keras.regularizers

    def net(first: dict, second: dict | None = None, output: dict | None = None) -> keras.Model:
        return keras.Sequential([
            keras.Input(shape=(N_INPUTS,)),
            L.Dense(HIDDEN_UNITS, activation="relu", **first),
            L.Dense(HIDDEN_UNITS, activation="relu", **(second or {})),
            L.Dense(1, activation="sigmoid", **(output or {})),
        ])

    l1 = R.L1(L1_Q1)
    return [
        net({}, output={"kernel_regularizer": R.L1(L1_Q1)}),                      # on the output layer only
        net({"kernel_regularizer": l1}, {"kernel_regularizer": R.L1(L1_Q1)},
            {"kernel_regularizer": R.L1(L1_Q1)}),                                  # on every layer
        net({"bias_regularizer": R.L1(L1_Q1)}),                                    # on the biases
        net({"activity_regularizer": R.L1(L1_Q1)}),                                # on the outputs (activity)
        net({"kernel_regularizer": "l1"}),                                         # Keras's default 0.01
        net({"kernel_regularizer": R.L2(L1_Q1)}),                                  # L2 for L1
        net({"kernel_regularizer": R.L1(0.2)}),                                    # another factor
        net({}),                                                                   # no penalty at all
        keras.Sequential([keras.Input(shape=(N_INPUTS,)), L.Dense(HIDDEN_UNITS, activation="relu",
                                                                  kernel_regularizer=R.L1(L1_Q1)),
                          L.Dense(1, activation="sigmoid")]),                      # one hidden layer
        _raises,
        _loops,
        keras.Sequential,                                                          # the class, not a model
    ]


def _raises() -> Any:
    import keras

    return keras.Sequential([keras.layers.Dense(32, kernel_regularizer=keras.regularizers.L1(-1))])


def _loops() -> Any:
    import time

    while True:
        time.sleep(0.01)


W0, LR, L1_Q2 = 0.002, 0.1, 0.03


def _check_step(answer: Any) -> str:
    value = as_number(answer, "the weight after the step")
    expect_close(
        value,
        W0 - LR * L1_Q2,
        what="the weight",
        mistakes=(
            (0.0, "that is where a soft-threshold (proximal) step would put it; a gradient step moves by a fixed amount."),
            (W0, "the penalty's slope is not zero at w = 0.002, so the step moves the weight."),
            (W0 + LR * L1_Q2, "the step goes against the slope: w is positive, so it moves down."),
            (LR * L1_Q2 - W0, "the size is right, the sign is not: start from w = 0.002 and move down."),
            (W0 - L1_Q2, "multiply the slope by the learning rate."),
            (W0 - LR * L1_Q2 * W0, "that shrinks w in proportion to its size, as L2 would; the slope of |w| does not depend on its size."),
        ),
        otherwise=f"{value:.4g} is not it: the step is w - learning rate * (slope of 0.03 * |w| at w = 0.002).",
    )
    return with_text_note(
        answer,
        "0.002 - 0.1 * 0.03 = -0.001: the step overshoots zero. Gradient steps on |w| jump across zero rather than "
        "landing on it, which is why they leave near-zeros, not zeros.",
    )


q2 = Exercise(
    name="q2",
    question=(
        f"A first-layer weight is w = {W0}. One plain SGD step at learning rate {LR} on the L1({L1_Q2}) penalty alone "
        "(no data gradient): what is w after the step?"
    ),
    checker=_check_step,
    hint_text="An SGD step subtracts the learning rate times the slope of the penalty. What is the slope of 0.03 * |w| at w > 0?",
    solution_code=f"answer = {W0} - {LR} * {L1_Q2} * np.sign({W0})",
    right_answers=(-0.001, "-0.001", np.float32(-0.001), np.array(-0.001), -0.0010004),
    wrong_answers=(0, 0.002, 0.005, -0.028, 0.001994, -0.00105, 0.001, "zero", float("nan")),
)

# ---------------------------------------------------------------------------------------------------------------
# q3: the penalty's gradient, as a function
# ---------------------------------------------------------------------------------------------------------------

L1_STRENGTHS = (0.07, 0.004)
"""The strengths the learner's function is tried at: two, so that a constant written into the function fails."""


def _kernel(seed: int) -> np.ndarray:
    kernel = np.random.default_rng(seed).normal(size=(5, 3)).astype(np.float32)
    kernel[1, 2] = kernel[3, 0] = 0.0  # exact zeros: where |w| has no slope
    return kernel


def _close(a: np.ndarray, b: np.ndarray) -> bool:
    return a.shape == b.shape and bool(np.allclose(a, b, rtol=1e-3, atol=1e-7))


def _real_array(result: Any) -> np.ndarray:
    """The learner's result as a float array; complex numbers and text are refused, not converted."""
    try:
        raw = np.asarray(result) if not isinstance(result, str | bytes) else None
    except Exception:  # a ragged list or an object NumPy cannot read: as_array says so
        raw = None
    if raw is not None and np.iscomplexobj(raw):
        raise Incorrect("your function returned complex numbers; the gradient of a real penalty is real.")
    if raw is not None and raw.dtype.kind in "USO" and any(isinstance(v, str | bytes) for v in raw.ravel()[:1000]):
        raise Incorrect("your function returned text; return numbers (an array shaped like kernel).")
    return as_array(result)


def _expect_no_nan_at_zeros(result: Any, kernel: np.ndarray, expected: np.ndarray) -> None:
    """Name the common slip of writing sign(w) as w / |w|: right everywhere except at the exact zeros (0 / 0)."""
    try:
        raw = np.asarray(result, dtype=np.float64)
    except Exception:  # text, ragged lists, complex numbers: _real_array says what is wrong
        return
    if raw.shape != kernel.shape:
        return
    missing = np.isnan(raw)
    zeros = kernel == 0
    if missing.any() and np.array_equal(missing, zeros) and _close(raw[~zeros], expected[~zeros]):
        raise Incorrect(
            "right for every non-zero weight, but NaN where a weight is exactly 0 (w / |w| is 0 / 0 there): "
            "TensorFlow takes the slope of |w| at 0 as 0, as np.sign does."
        )


def _check_gradient(answer: Any) -> str:
    for attempt, l1 in enumerate(L1_STRENGTHS):
        kernel = _kernel(attempt)
        result = call_learner_function(answer, kernel.copy(), l1, signature="(kernel, l1) that returns an array shaped like kernel")
        expected = l1 * np.sign(kernel)
        _expect_no_nan_at_zeros(result, kernel, expected)
        got = _real_array(result)
        expect(got.size != 1, "that is one number; return the gradient for every weight: an array shaped like kernel.")
        expect(got.shape == kernel.shape, f"the result has shape {got.shape}; the kernel's is {kernel.shape}.")
        if _close(got, expected):
            continue
        if attempt > 0:
            first = L1_STRENGTHS[0]
            expect(not _close(got, first * np.sign(kernel)),
                   f"right for l1 = {first:g}, but with l1 = {l1:g} your function still uses {first:g}: use its argument l1.")
        zeros = kernel == 0
        expect(not _close(got, 2 * l1 * kernel), "that is the slope of l1 * w^2, the L2 penalty.")
        expect(not _close(got, np.sign(kernel)), "multiply by the strength l1.")
        expect(not _close(got, l1 * np.abs(kernel)), "that is each weight's share of the penalty; the question asks for its slope.")
        expect(
            not _close(got[~zeros], expected[~zeros]),
            "right for every non-zero weight; where a weight is exactly 0, TensorFlow takes the slope of |w| as 0.",
        )
        expect(not _close(got, expected / kernel.size), "the penalty is a sum, not a mean: each weight's slope does not depend on how many there are.")
        first_off = np.flatnonzero(~np.isclose(got, expected, rtol=1e-3, atol=1e-7).ravel())[0]
        index = np.unravel_index(first_off, kernel.shape)
        w, g = float(kernel[index]), float(got[index])
        raise Incorrect(f"at the weight {w:.3g} with l1 = {l1:g} your gradient is {g:.3g}; what is the slope of l1 * |w| there?")
    return (
        "l1 * sign(w) (tried at two strengths): the same push for every non-zero weight, however small, so a gradient "
        "step jumps across zero instead of stopping on it (question 2)."
    )


q3 = Exercise(
    name="q3",
    question=(
        "Write l1_gradient(kernel, l1): the gradient of Keras's L1(l1) penalty with respect to each kernel weight, "
        "an array shaped like kernel (0 where a weight is exactly 0)."
    ),
    checker=_check_gradient,
    hint_text="The penalty is l1 * sum |w|: each term depends on one weight only. What is the slope of |w| for w > 0, w < 0?",
    solution_code="def answer(kernel, l1):\n    return l1 * np.sign(kernel)",
    right_answers=(
        lambda k, l1: (l1 * np.sign(k)).tolist(),
        lambda k, l1: np.where(k > 0, l1, np.where(k < 0, -l1, 0.0)),
        lambda k, l1: l1 * np.sign(k).astype(np.float32),
        lambda k, l1: np.asarray(l1 * np.sign(k), dtype=np.float64),
    ),
    wrong_answers=(
        lambda k, l1: 2 * l1 * k,
        lambda k, l1: np.sign(k),
        lambda k, l1: l1 * np.abs(k),
        lambda k, l1: np.where(k >= 0, l1, -l1),
        lambda k, l1: l1 * k / np.abs(k),                       # sign written as w / |w|: NaN at the zeros
        lambda k, l1: l1 * np.abs(k).sum(),
        lambda k, l1: 0.07 * np.sign(k),
        lambda k, l1: (l1 * np.sign(k)).astype(complex),
        lambda k, l1: (l1 * np.sign(k)).astype(str),
        lambda k, l1: "l1 * sign(w)",
        lambda k, l1: {"gradient": l1},
        lambda k, l1: 1 / 0,
        0.03,
    ),
)

LR_Q4, T_Q4, LR_LATE = 0.05, 0.001, 0.005


def _check_threshold(answer: Any) -> str:
    value = as_number(answer, "the L1 strength")
    expect_close(
        value,
        T_Q4 / LR_LATE,
        what="the strength",
        mistakes=(
            (T_Q4 / LR_Q4, "that is the strength before the change; t stays, the learning rate is ten times smaller."),
            (T_Q4, "that is the threshold t itself; t is a step size, the strength times the learning rate."),
            (T_Q4 * LR_LATE, "multiplying goes the wrong way: t is the product of the learning rate and the strength."),
            (LR_LATE / T_Q4, "that is the learning rate over t, the other way round."),
        ),
        otherwise=f"{value:.4g} is not it: which strength, times the new learning rate, gives the same t?",
    )
    return with_text_note(
        answer,
        "t / lr = 0.001 / 0.005 = 0.2, ten times the 0.02 it stood for at the start: with a fixed t, lowering the "
        "learning rate strengthens the penalty, so scale t with the learning rate.",
    )


q4 = Exercise(
    name="q4",
    question=(
        f"You train with plain SGD at learning rate {LR_Q4} and SoftThreshold({T_Q4}). Later you lower the learning "
        f"rate to {LR_LATE} and keep t. Which L1 strength lambda does the proximal step stand for now?"
    ),
    checker=_check_threshold,
    hint_text="Each proximal step moves a weight by the learning rate times the strength, at most: that is t.",
    solution_code=f"answer = {T_Q4} / {LR_LATE}",
    right_answers=(0.2, "0.2", "20%", np.float32(0.2), np.array([0.2]), 0.20015),
    wrong_answers=(0.02, 0.001, 5e-6, 5, 0.21, None, "t"),
)
