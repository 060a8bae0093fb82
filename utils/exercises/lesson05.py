"""Exercises of lesson 05: Elastic Net regularization."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from utils.checks import (
    CLOSE_TOL,
    Exercise,
    Incorrect,
    as_choice,
    as_number,
    as_numbers,
    as_whole_number,
    describe,
    expect,
    expect_close,
    matches,
    with_text_note,
)

import numpy as np
import pandas as pd

# ----------------------------------------------------------------------------------------------------------------
# q1 (core, hands-on): the learner writes the Keras model that matches a given ElasticNet
# ----------------------------------------------------------------------------------------------------------------

MODEL_ALPHA, MODEL_RATIO, N_INPUTS = 0.2, 0.7, 10
MODEL_L1, MODEL_L2 = 2 * MODEL_ALPHA * MODEL_RATIO, MODEL_ALPHA * (1 - MODEL_RATIO)  # (0.28, 0.06)
KERAS_DEFAULT = 0.01  # the factor of the strings "l1" and "l2", and of L1() and L2()
TWO = {"2 (scikit-learn's data term is 1/(2n) times the squared error, Keras's mse 1/n)": 2.0}
MSE_NAMES = {"mse", "mean_squared_error", "meansquarederror"}

MODEL_SOLUTION = f"""import keras


def build():
    alpha, l1_ratio = {MODEL_ALPHA}, {MODEL_RATIO}
    penalty = keras.regularizers.L1L2(l1=2 * alpha * l1_ratio, l2=alpha * (1 - l1_ratio))
    return keras.Sequential([
        keras.Input(shape=({N_INPUTS},)),
        keras.layers.Dense(1, kernel_regularizer=penalty),  # linear, with an unpenalised bias
    ])


answer = build
"""


def _loss_name(model: Any) -> str | None:
    """The compiled loss as a lower-case name without underscores' variants, or None when not compiled."""
    loss = getattr(model, "loss", None)
    if loss is None:
        return None
    if isinstance(loss, str):
        return loss.lower()
    name = getattr(loss, "name", None) or getattr(loss, "__name__", None) or type(loss).__name__
    return str(name).lower()


def _read_linear_model(answer: Any) -> Any:
    """The learner's model, with a specific message for the string 'l1_l2' (Keras 3 cannot read it)."""
    from utils import model_checks as mc

    try:
        return mc.read_model(answer, input_dim=N_INPUTS)
    except Incorrect as wrong:
        if "regularizer identifier" in str(wrong):
            raise Incorrect(
                "your function raised: Keras 3 cannot read the string 'l1_l2' as a regularizer (and 'l1l2' would be "
                "L1L2(0, 0), no penalty at all): build it, keras.regularizers.L1L2(l1=..., l2=...)."
            ) from None
        raise


def _check_model(answer: Any) -> str:
    from utils import model_checks as mc

    model = _read_linear_model(answer)
    specs = mc.layers_of(model)
    dense_layers = mc.dense(specs)
    expect(bool(dense_layers), f"your model has no Dense layer ({mc.summary(specs) or 'no layers'}): the linear model is one Dense(1).")
    expect(
        len(dense_layers) == 1,
        f"your model has {len(dense_layers)} Dense layers ({mc.summary(specs)}): a hidden layer makes it a network, "
        "but ElasticNet is a linear model, one Dense(1) on the inputs.",
    )
    output = dense_layers[0]
    for spec in specs:
        if spec.kind == "Activation" and spec.activation not in (None, "linear"):
            raise Incorrect(
                f"your model adds a {spec.activation} nonlinearity ({mc.summary(specs)}): ElasticNet predicts X w + b, "
                "a linear model; leave the activation out."
            )
        if spec.kind not in ("Dense", "Activation"):
            raise Incorrect(
                f"your model has a {spec.kind} layer ({mc.summary(specs)}): the linear model that matches ElasticNet "
                "is Input -> Dense(1), nothing else."
            )
    expect(output.units == 1, f"the Dense layer has {output.units} units: the linear model predicts one number, Dense(1).")
    expect(
        output.activation in (None, "linear"),
        f"Dense(1, activation='{output.activation}') is not linear: ElasticNet predicts X w + b, so leave the "
        "activation out (or 'linear').",
    )
    expect(
        output.use_bias is not False,
        "your Dense layer has no bias (use_bias=False): keep it, it plays ElasticNet's intercept, which is never "
        "penalised.",
    )
    got = output.kernel_penalty
    if got is not None:
        mistakes = {
            (MODEL_ALPHA, MODEL_ALPHA): "you passed alpha straight as both factors: convert ElasticNet(alpha, "
            "l1_ratio) into Keras's two factors first (utils.penalties shows how).",
            (MODEL_ALPHA, MODEL_RATIO): "those are alpha and l1_ratio unchanged: Keras's L1L2 takes the two factors "
            "that multiply sum|w| and sum w^2, not a strength and a mix.",
            (MODEL_ALPHA * MODEL_RATIO, MODEL_ALPHA * (1 - MODEL_RATIO) / 2): "those are the factors in "
            "scikit-learn's objective, both half the Keras ones: Keras's mse is twice scikit-learn's 1/(2n) data "
            "term, so double both.",
        }
        for (l1, l2), message in mistakes.items():
            if matches(got[0], l1) and matches(got[1], l2):
                raise Incorrect(message)
        if matches(got[0], MODEL_L1) and matches(got[1], 2 * MODEL_L2):  # doubled alpha*(1-r), forgetting its own 1/2
            raise Incorrect(
                f"your Dense layer's L2 factor is {got[1]:g}, too large by a factor of 2: scikit-learn's L2 term "
                "already carries a 1/2 (alpha * (1 - l1_ratio) / 2), which doubling the objective only cancels."
            )
        for part, used, unused in (("l1", got[0], got[1]), ("l2", got[1], got[0])):
            if not unused and matches(used, KERAS_DEFAULT):
                raise Incorrect(
                    f"that is {part.upper()} alone with Keras's default factor 0.01 (what the string '{part}' or "
                    f"{part.upper()}() gives): Elastic Net needs both parts, each converted from alpha and l1_ratio: "
                    "build keras.regularizers.L1L2(l1=..., l2=...)."
                )
    mc.expect_kernel_penalty(output, l1=MODEL_L1, l2=MODEL_L2, where="your Dense layer", off_by=TWO, reveal=False)
    mc.expect_no_penalty(output, where="your Dense layer", parts=("bias", "activity"))
    loss = _loss_name(model)
    if loss is not None:
        expect(
            loss.replace("_", "") in {name.replace("_", "") for name in MSE_NAMES},
            f"your model is compiled with the loss {loss!r}: the conversion holds for mean squared error, "
            "compile with loss='mse'.",
        )
    then = "" if loss is not None else " Compile it with loss='mse' before fitting."
    return f"{mc.summary(specs)}: the Keras twin of ElasticNet(alpha={MODEL_ALPHA}, l1_ratio={MODEL_RATIO}).{then}"


def _model_forms(kind: str) -> Any:
    """Builders of right (``kind='right'``) or typical wrong (``'wrong'``) answers, made lazily (no keras import
    until the tests ask for them)."""
    import keras

    L1L2, Dense, Input = keras.regularizers.L1L2, keras.layers.Dense, keras.Input

    def linear(**dense_kwargs: Any) -> Any:
        return lambda: keras.Sequential([Input(shape=(N_INPUTS,)), Dense(1, **dense_kwargs)])

    def functional() -> Any:
        inputs = Input(shape=(N_INPUTS,), name="features")
        outputs = Dense(1, kernel_regularizer=keras.regularizers.l1_l2(MODEL_L1, MODEL_L2), name="y_hat")(inputs)
        return keras.Model(inputs, outputs)

    def unbuilt_compiled() -> Any:
        model = keras.Sequential([Dense(1, activation="linear", kernel_regularizer=L1L2(MODEL_L1, MODEL_L2))])
        model.compile(optimizer="adam", loss="mean_squared_error")
        return model

    def with_utils() -> Any:
        from utils import penalties

        l1, l2 = penalties.elastic_net_to_keras_l1l2(MODEL_ALPHA, MODEL_RATIO)
        return keras.Sequential([Input(shape=(N_INPUTS,)), Dense(1, kernel_regularizer=L1L2(l1=l1, l2=l2))])

    if kind == "right":
        return (
            linear(kernel_regularizer=L1L2(l1=MODEL_L1, l2=MODEL_L2))(),  # a model, not a builder
            functional,
            unbuilt_compiled,
            with_utils,
        )

    def hidden() -> Any:
        return keras.Sequential([Input(shape=(N_INPUTS,)), Dense(16, activation="relu"),
                                 Dense(1, kernel_regularizer=L1L2(MODEL_L1, MODEL_L2))])

    def string_l1_l2() -> Any:
        return keras.Sequential([Input(shape=(N_INPUTS,)), Dense(1, kernel_regularizer="l1_l2")])

    def mae() -> Any:
        model = linear(kernel_regularizer=L1L2(MODEL_L1, MODEL_L2))()
        model.compile(optimizer="adam", loss="mae")
        return model

    return (
        linear(kernel_regularizer=L1L2(MODEL_ALPHA, MODEL_ALPHA)),  # alpha as both factors
        linear(kernel_regularizer=L1L2(MODEL_ALPHA * MODEL_RATIO, MODEL_L2)),  # l1 off by 2
        linear(kernel_regularizer=L1L2(MODEL_L1, MODEL_L2 / 2)),  # l2 off by 2
        linear(kernel_regularizer=L1L2(MODEL_L1, 2 * MODEL_L2)),  # l2 doubled, its own 1/2 forgotten
        linear(kernel_regularizer="l2"),  # L2(0.01) alone
        linear(kernel_regularizer=L1L2(MODEL_ALPHA * MODEL_RATIO, MODEL_L2 / 2)),  # scikit-learn's factors
        linear(kernel_regularizer=L1L2(MODEL_L2, MODEL_L1)),  # swapped
        linear(bias_regularizer=L1L2(MODEL_L1, MODEL_L2)),  # on the bias
        linear(activity_regularizer=L1L2(MODEL_L1, MODEL_L2)),  # on the output
        linear(kernel_regularizer=L1L2(MODEL_L1, MODEL_L2), bias_regularizer=L1L2(MODEL_L1, MODEL_L2)),
        hidden,
        linear(activation="relu", kernel_regularizer=L1L2(MODEL_L1, MODEL_L2)),
        string_l1_l2,
        linear(kernel_regularizer="l1l2"),  # L1L2(0, 0)
        linear(kernel_regularizer=L1L2(MODEL_L1)),  # no L2 part
        linear(kernel_regularizer=L1L2(MODEL_L1, MODEL_L2), use_bias=False),
        mae,
        keras.Sequential,  # the class, not a model
    )


q1 = Exercise(
    name="q1",
    question=(
        f"Write the Keras linear model (one Dense unit on the {N_INPUTS} diabetes features, mse loss) whose kernel "
        f"penalty matches ElasticNet(alpha={MODEL_ALPHA}, l1_ratio={MODEL_RATIO}): give the model or a function that "
        "builds it."
    ),
    checker=_check_model,
    hint_text=(
        "Copy the recipe cell's model and change only the two factors: Keras's mse is twice scikit-learn's data "
        "term, so multiply scikit-learn's whole objective by 2 and read what multiplies sum|w| and sum w^2."
    ),
    solution_code=MODEL_SOLUTION,
    right_answers=lambda _solution: _model_forms("right"),
    wrong_answers=lambda _solution: _model_forms("wrong"),
)

# ----------------------------------------------------------------------------------------------------------------
# q2 (going further): the conversion as numbers
# ----------------------------------------------------------------------------------------------------------------

ALPHA, L1_RATIO = 0.1, 0.25
RIGHT = (2 * ALPHA * L1_RATIO, ALPHA * (1 - L1_RATIO))  # (0.05, 0.075)


def _pair(answer: Any) -> list[float]:
    """(l1, l2) from a pair in any order-keeping container, a mapping with keys l1 and l2, or a Keras L1L2."""
    config = None
    if isinstance(answer, Mapping):
        config = answer
    elif callable(getattr(type(answer), "get_config", None)) and type(answer).__name__ == "L1L2":
        try:
            config = answer.get_config()
        except Exception:
            raise Incorrect(f"could not read the factors of {describe(answer)}.") from None
    if config is not None:
        if not ({"l1", "l2"} <= set(config)):
            raise Incorrect("give the pair (l1, l2), or a dict with keys 'l1' and 'l2'.")
        return [as_number(config["l1"], "l1"), as_number(config["l2"], "l2")]
    return as_numbers(answer, 2, "the pair (l1, l2)", "(0.1, 0.2)")


def _check_conversion(answer: Any) -> str:
    l1, l2 = _pair(answer)
    right_l1, right_l2 = matches(l1, RIGHT[0]), matches(l2, RIGHT[1])
    if right_l1 and right_l2:
        return with_text_note(answer, "L1L2(l1=0.05, l2=0.075): twice scikit-learn's objective is Keras's.")
    expect(not (matches(l1, RIGHT[1]) and matches(l2, RIGHT[0])), "the two are swapped: l1 comes first.")
    expect(not (matches(l1, ALPHA) and matches(l2, L1_RATIO)), "those are alpha and l1_ratio unchanged; convert them.")
    expect(not (matches(l1, ALPHA * L1_RATIO) and matches(l2, ALPHA * (1 - L1_RATIO) / 2)), (
        "those are the factors in scikit-learn's objective, both half the Keras ones: Keras's mse is twice "
        "scikit-learn's 1/(2n) data term, so double both."))
    expect(not matches(l1, ALPHA * L1_RATIO), (
        "l1 needs a factor 2: scikit-learn's data term is 1/(2n) times the squared error, Keras's mse 1/n."))
    expect(not matches(l2, ALPHA * (1 - L1_RATIO) / 2), "no 1/2 on l2: doubling scikit-learn's objective doubles its alpha*(1-r)/2 too.")
    expect(not (right_l1 and matches(l2, 2 * RIGHT[1])), (
        "l1 is right; l2 is twice too large: scikit-learn's L2 term already carries a 1/2, alpha*(1-r)/2, which "
        "doubling the objective only cancels."))
    if right_l1:
        expect_close(l2, RIGHT[1], what="l2", otherwise=(
            f"l1 is right; l2 = {l2:.4g} is not: read what multiplies ||w||^2 once the loss is doubled."))
    if right_l2:
        expect_close(l1, RIGHT[0], what="l1", otherwise=(
            f"l2 is right; l1 = {l1:.4g} is not: read what multiplies ||w||_1 once the loss is doubled."))
    if matches(l1, RIGHT[0], CLOSE_TOL) and matches(l2, RIGHT[1], CLOSE_TOL):
        raise Incorrect(
            f"close: ({l1:.4g}, {l2:.4g}) is within 5% of the pair but not within 0.1%: give more digits (four "
            "significant digits are enough)."
        )
    raise Incorrect(
        f"({l1:.4g}, {l2:.4g}) is not it: multiply scikit-learn's objective by 2 so that its loss is Keras's mean "
        "squared error, then read the two factors."
    )


def _l1l2(l1: float, l2: float) -> Any:
    import keras

    return keras.regularizers.L1L2(l1=l1, l2=l2)


q2 = Exercise(
    name="q2",
    question=(
        f"Convert ElasticNet(alpha={ALPHA}, l1_ratio={L1_RATIO}) to the factors (l1, l2) of Keras's L1L2 for a "
        "Dense(1) model with MSE."
    ),
    checker=_check_conversion,
    hint_text="Multiply scikit-learn's objective by 2 so that its loss becomes Keras's mean squared error.",
    solution_code=f"answer = utils.penalties.elastic_net_to_keras_l1l2({ALPHA}, {L1_RATIO})",
    right_answers=lambda s: (
        list(s),
        np.array(s),
        {"l1": s[0], "l2": s[1]},
        _l1l2(*s),
        ("0.05", "0.075"),
        pd.Series(list(s)),
    ),
    wrong_answers=(
        (0.025, 0.075), (0.05, 0.0375), (0.025, 0.0375), (0.05, 0.15), (0.1, 0.25), (0.075, 0.05), (0.05, 0.1), (0.2, 0.075), (0.05, 0.0751), (0.0502, 0.0748), 0.05,
        {"l1": 0.05}, {0.05, 0.075}, "0.05, 0.075", [[0.05, 0.075]],
    ),
)

DIRECTIONS = {"grow": ("grows",), "shrink": ("shrinks",), "stay the same": ("stays the same", "same")}


def _check_direction(answer: Any) -> str:
    expect(
        as_choice(answer, DIRECTIONS) == "shrink",
        "near l1_ratio 0 (almost ridge) the L2 part spreads the weight over every member; at 1 the lasso tends to keep "
        "only part of a correlated group. Try the explorer.",
    )
    return (
        "It shrinks: at this alpha a small share of L1 keeps every member with a non-zero weight, the lasso (1) only "
        "part of each group. At much weaker alphas the count is not monotone (the paths' table): alpha matters too."
    )


q3 = Exercise(
    name="q3",
    question=(
        "With alpha held at the value cross-validation chose for l1_ratio 0.5 (the explorer's), as l1_ratio moves "
        "from 0.05 to 1 (the lasso), does the number of true-group members kept 'grow', 'shrink' or 'stay the same'?"
    ),
    checker=_check_direction,
    hint_text="Move the explorer's slider from 1 towards 0.05 and count the members of each true group.",
    solution_code="answer = 'shrink'",
    right_answers=("shrinks", "Shrink", " SHRINKS. ", "'shrink'"),
    wrong_answers=("grows", "grow", "stays the same", "same", 1, "smaller"),
)

N_ROWS, N_FEATURES = 35, 200


def _check_cap(answer: Any) -> str:
    value = as_number(answer, "the number of features")
    count = as_whole_number(value, "the number of features")
    expect(count != N_FEATURES, "the lasso cannot keep every feature here: with more features than rows it is capped.")
    expect(count != N_ROWS, f"{N_ROWS} would be the cap without an intercept; centring the data for one uses up a row's worth.")
    expect(
        count == N_ROWS - 1,
        f"{count} is not the cap: see the section 'Going further: more features than rows' and what the intercept takes.",
    )
    return with_text_note(answer, f"At most n - 1 = {N_ROWS - 1}: no more non-zeros than the rows can pin down, less one for the intercept.")


q4 = Exercise(
    name="q4",
    question=(
        f"A lasso with an intercept is fitted to {N_ROWS} rows and {N_FEATURES} features. At most how many features "
        "can it keep (with non-zero coefficients) at any penalty?"
    ),
    checker=_check_cap,
    hint_text="Look at the 'more features than rows' section, and at what the intercept takes.",
    solution_code=f"answer = {N_ROWS} - 1",
    right_answers=(34.0, "34", np.int64(34), np.array(34)),
    wrong_answers=(200, 35, 10, 34.5, "34 features", float("nan"), 10**400),
)
