"""Lesson 05's hands-on exercise (q1): the learner writes the Keras model that matches ElasticNet(alpha, l1_ratio).

Fair and proven fair: the solution passes; right answers written in other ways pass; each typical mistake fails
with its own message; a builder that raises or loops gets a clear message, never a traceback or a hang.
"""

from __future__ import annotations

import time
from unittest import mock

import utils  # noqa: F401  (first: quiet TensorFlow)
from utils import checks
from utils.exercises import lesson05 as ex

import keras
import numpy as np
import pytest

A, R, P = ex.MODEL_ALPHA, ex.MODEL_RATIO, ex.N_INPUTS
L1, L2 = 2 * A * R, A * (1 - R)


def linear(**dense_kwargs):
    return lambda: keras.Sequential([keras.Input(shape=(P,)), keras.layers.Dense(1, **dense_kwargs)])


def test_the_asked_factors_are_scikit_learns_objective_times_two():
    """Hand-computed, not copied from the checker: for any kernel w, Keras's L1L2 penalty of the solution's model is
    twice ElasticNet's penalty alpha*r*|w|_1 + alpha*(1-r)/2*|w|^2, as Keras's mse is twice scikit-learn's
    1/(2n) data term."""
    model = ex.q1.run_solution()()
    dense = model.layers[-1]
    w = np.linspace(-1.0, 2.0, P).reshape(P, 1).astype("float32")
    dense.kernel.assign(w)
    keras_penalty = float(sum(float(p) for p in model.losses))
    sklearn_penalty = A * R * np.abs(w).sum() + 0.5 * A * (1 - R) * (w**2).sum()
    assert keras_penalty == pytest.approx(2 * sklearn_penalty, rel=1e-5)


def test_the_solution_passes():
    correct, message = ex.q1.evaluate(ex.q1.run_solution())
    assert correct, message
    assert "Dense(1" in message


def _functional():
    inputs = keras.Input(shape=(P,), name="x")
    return keras.Model(inputs, keras.layers.Dense(1, kernel_regularizer=keras.regularizers.l1_l2(l1=L1, l2=L2))(inputs))


def _positional_unbuilt():
    return keras.Sequential([keras.layers.Dense(1, None, True, kernel_regularizer=keras.regularizers.L1L2(L1, L2))])


def _built_and_named():
    model = keras.Sequential(name="twin")
    model.add(keras.layers.Dense(1, activation="linear", kernel_regularizer=keras.regularizers.L1L2(L1, L2), name="out"))
    model.build((None, P))
    model.compile(optimizer="adam", loss=keras.losses.MeanSquaredError())
    return model


def _with_separate_activation():
    return keras.Sequential([keras.Input(shape=(P,)), keras.layers.Dense(1, kernel_regularizer=keras.regularizers.L1L2(L1, L2)),
                             keras.layers.Activation("linear")])


@pytest.mark.parametrize(
    "answer",
    [
        linear(kernel_regularizer=keras.regularizers.L1L2(l1=0.28, l2=0.06)),
        linear(kernel_regularizer=keras.regularizers.L1L2(l1=2 * 0.2 * 0.7, l2=0.2 * (1 - 0.7))),  # float round-off
        _functional,
        _positional_unbuilt,
        _built_and_named,
        _with_separate_activation,
        linear(kernel_regularizer=keras.regularizers.L1L2(l1=L1, l2=L2))(),  # the model itself, not a builder
    ],
    ids=["keywords", "arithmetic", "functional-lowercase", "positional-unbuilt", "built-named-compiled",
         "linear-activation-layer", "model-object"],
)
def test_right_answers_written_differently_pass(answer):
    correct, message = ex.q1.evaluate(answer)
    assert correct, message


def _hidden():
    return keras.Sequential([keras.Input(shape=(P,)), keras.layers.Dense(8, activation="relu"),
                             keras.layers.Dense(1, kernel_regularizer=keras.regularizers.L1L2(L1, L2))])


def _relu_layer():
    return keras.Sequential([keras.Input(shape=(P,)), keras.layers.Dense(1, kernel_regularizer=keras.regularizers.L1L2(L1, L2)),
                             keras.layers.Activation("relu")])


def _string_l1_l2():
    return keras.Sequential([keras.Input(shape=(P,)), keras.layers.Dense(1, kernel_regularizer="l1_l2")])


MISTAKES = {
    "alpha as both": (linear(kernel_regularizer=keras.regularizers.L1L2(A, A)), "alpha straight as both factors"),
    "alpha and ratio": (linear(kernel_regularizer=keras.regularizers.L1L2(A, R)), "alpha and l1_ratio unchanged"),
    "l1 off by 2": (linear(kernel_regularizer=keras.regularizers.L1L2(A * R, L2)), "L1 factor is 0.14, too small by a factor of 2"),
    "l2 off by 2": (linear(kernel_regularizer=keras.regularizers.L1L2(L1, 2 * L2)), "L2 factor is 0.12, too large by a factor of 2: scikit-learn's L2 term already carries a 1/2"),
    "scikit-learn's factors": (linear(kernel_regularizer=keras.regularizers.L1L2(A * R, L2 / 2)), "double both"),
    "swapped": (linear(kernel_regularizer=keras.regularizers.L1L2(L2, L1)), "swapped"),
    "on the bias": (linear(bias_regularizer=keras.regularizers.L1L2(L1, L2)), "bias_regularizer, which penalises the biases"),
    "activity": (linear(activity_regularizer=keras.regularizers.L1L2(L1, L2)), "activity_regularizer"),
    "bias too": (linear(kernel_regularizer=keras.regularizers.L1L2(L1, L2), bias_regularizer=keras.regularizers.L2(0.06)),
                 "leaves it unpenalised"),
    "hidden layer": (_hidden, "a hidden layer makes it a network"),
    "relu output": (linear(activation="relu", kernel_regularizer=keras.regularizers.L1L2(L1, L2)), "is not linear"),
    "relu layer": (_relu_layer, "relu nonlinearity"),
    "string l1_l2": (_string_l1_l2, "cannot read the string 'l1_l2'"),
    "string l1l2": (linear(kernel_regularizer="l1l2"), "L1L2(0, 0), which adds nothing"),
    "L1 only": (linear(kernel_regularizer=keras.regularizers.L1(L1)), "no L2 part"),
    "default 0.01": (linear(kernel_regularizer=keras.regularizers.L1L2(L1, 0.01)), "Keras's default factor"),
    "string l2": (linear(kernel_regularizer="l2"), "L2 alone with Keras's default factor 0.01 (what the string 'l2'"),
    "string l1": (linear(kernel_regularizer="l1"), "L1 alone with Keras's default factor 0.01 (what the string 'l1'"),
    "no bias": (linear(kernel_regularizer=keras.regularizers.L1L2(L1, L2), use_bias=False), "plays ElasticNet's intercept"),
}


@pytest.mark.parametrize("mistake", list(MISTAKES), ids=list(MISTAKES))
def test_typical_mistakes_fail_with_a_message_naming_them(mistake):
    answer, says = MISTAKES[mistake]
    correct, message = ex.q1.evaluate(answer)
    assert not correct
    assert message.startswith("Not yet:") and says in message, message
    assert "could not read" not in message


def test_each_typical_mistake_has_its_own_message():
    messages = {name: ex.q1.evaluate(answer)[1] for name, (answer, _) in MISTAKES.items()}
    assert len(set(messages.values())) == len(messages), messages


def test_the_declared_answers_behave():
    solution = ex.q1.run_solution()
    assert len(ex.q1.equivalent_answers(solution)) >= 3
    for form in ex.q1.equivalent_answers(solution):
        assert ex.q1.evaluate(form)[0], ex.q1.evaluate(form)[1]
    wrong = ex.q1.typical_wrong_answers(solution)
    messages = [ex.q1.evaluate(form) for form in wrong]
    assert not any(correct for correct, _ in messages)
    assert len({message for _, message in messages}) == len(wrong)  # each with its own message


def test_a_builder_that_raises_is_told_what_it_raised():
    def broken():
        return keras.Sequential([keras.layers.Dense(1, kernel_regularizer=keras.regularizers.L1L2(l1=1 / 0))])

    correct, message = ex.q1.evaluate(broken)
    assert not correct and "raised ZeroDivisionError" in message, message


def test_a_builder_that_loops_is_stopped_with_a_clear_message():
    def forever():
        while True:
            pass

    with mock.patch.object(checks, "TIME_LIMIT", 0.5):
        start = time.perf_counter()
        correct, message = ex.q1.evaluate(forever)
        elapsed = time.perf_counter() - start
    assert not correct and "did not return within" in message, message
    assert elapsed < 5


@pytest.mark.parametrize(
    ("answer", "says"),
    [
        (..., "Not attempted yet"),
        (None, "is None"),
        (keras.Sequential, "the class Sequential"),
        (lambda: keras.layers.Dense(1), "should return a keras Model"),
        ([keras.layers.Dense(1)], "list of layers"),
        ((L1, L2), "should be a keras Model"),
        (lambda: keras.Sequential([keras.Input(shape=(3,)), keras.layers.Dense(1)]), "inputs of 3 features"),
    ],
    ids=["template", "none", "class", "layer", "list", "numbers", "width"],
)
def test_other_answers_get_one_clear_line(answer, says):
    correct, message = ex.q1.evaluate(answer)
    assert not correct and says in message and "\n" not in message, message


def test_an_empty_builder_is_not_attempted():
    def build():
        ...

    correct, message = ex.q1.evaluate(build)
    assert not correct and message.startswith("Not attempted yet")


def test_a_model_compiled_with_another_loss_is_told_the_conversion_needs_mse():
    model = linear(kernel_regularizer=keras.regularizers.L1L2(L1, L2))()
    model.compile(optimizer="adam", loss="mean_absolute_error")
    correct, message = ex.q1.evaluate(model)
    assert not correct and "mean squared error" in message, message
