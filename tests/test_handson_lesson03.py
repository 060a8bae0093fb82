"""Lesson 03's hands-on exercise (q1: write the Keras network with L1 on the first layer's kernel) is fair, and
proven fair: the solution and right answers written differently pass; each typical mistake fails with its own
message; a builder that raises or loops gets a clear message. Also: q3 (the penalty's gradient as a function) tries
two strengths and refuses results that are not real numbers."""

from __future__ import annotations

import time

import utils  # noqa: F401  (first: quiet TensorFlow)
from utils.exercises import lesson03 as ex

import keras
import numpy as np
import pytest

L, R = keras.layers, keras.regularizers
N, UNITS, L1 = ex.N_INPUTS, ex.HIDDEN_UNITS, ex.L1_Q1


def _net(first: dict | None = None, second: dict | None = None, output: dict | None = None) -> keras.Model:
    return keras.Sequential([
        keras.Input(shape=(N,)),
        L.Dense(UNITS, activation="relu", **(first or {})),
        L.Dense(UNITS, activation="relu", **(second or {})),
        L.Dense(1, activation="sigmoid", **(output or {})),
    ])


def _passes(answer) -> str:
    correct, message = ex.q1.evaluate(answer)
    assert correct, message
    return message


def _fails(answer) -> str:
    correct, message = ex.q1.evaluate(answer)
    assert not correct, f"passed: {message}"
    assert message.startswith("Not yet:") and "could not read" not in message, message
    return message


def test_the_solution_passes_and_prints_plain_keras(capsys) -> None:
    _passes(ex.q1.run_solution())
    ex.q1.solution()
    shown = capsys.readouterr().out
    assert "keras.regularizers.L1(0.02)" in shown and "utils" not in shown


def _functional_with_names() -> keras.Model:
    inputs = keras.Input(shape=(N,), name="pixels")
    x = L.Dense(UNITS, activation="relu", kernel_regularizer=R.L1L2(l1=L1), name="chooser")(inputs)
    x = L.Dense(UNITS, activation="relu", name="middle")(x)
    return keras.Model(inputs, L.Dense(1, activation="sigmoid", name="prob")(x))


def _separate_activation_layers() -> keras.Model:
    return keras.Sequential([L.Dense(UNITS, kernel_regularizer=R.l1(L1)), L.ReLU(), L.Dense(UNITS),
                             L.Activation("relu"), L.Dense(1), L.Activation("sigmoid")])


def _built_without_input() -> keras.Model:
    model = keras.Sequential([L.Dense(UNITS, activation="relu", kernel_regularizer=R.L1(l1=L1)),
                              L.Dense(UNITS, activation="relu"), L.Dense(1, activation="sigmoid")])
    model.build((None, N))
    return model


def _compiled_with_explicit_zero_l2() -> keras.Model:
    model = _net({"kernel_regularizer": R.l1_l2(l1=L1, l2=0.0)})
    model.compile(optimizer="adam", loss="binary_crossentropy")
    return model


@pytest.mark.parametrize(
    "answer",
    [_functional_with_names, _functional_with_names(), _separate_activation_layers, _built_without_input(),
     _compiled_with_explicit_zero_l2(), lambda: _net({"kernel_regularizer": R.L1(L1)})],
    ids=["functional builder, own names", "functional model", "ReLU and Activation layers, no Input",
         "built without Input", "L1L2(l1, l2=0), compiled", "Sequential builder"],
)
def test_right_answers_written_differently_pass(answer) -> None:
    _passes(answer)


MISTAKES = {
    "penalty on the output layer only": (lambda: _net(output={"kernel_regularizer": R.L1(L1)}), "on the output layer"),
    "penalty on every layer": (
        lambda: _net(*({"kernel_regularizer": R.L1(L1)} for _ in range(3))), "every Dense layer carries the penalty"),
    "bias_regularizer": (lambda: _net({"bias_regularizer": R.L1(L1)}), "bias_regularizer"),
    "activity_regularizer": (lambda: _net({"activity_regularizer": R.L1(L1)}), "activity_regularizer"),
    "the string 'l1'": (lambda: _net({"kernel_regularizer": "l1"}), "Keras's default factor"),
    "L2 instead of L1": (lambda: _net({"kernel_regularizer": R.L2(L1)}), "is L2"),
    "no penalty at all": (lambda: _net(), "no kernel_regularizer"),
    "one hidden layer only": (
        lambda: keras.Sequential([keras.Input(shape=(N,)), L.Dense(UNITS, activation="relu",
                                                               kernel_regularizer=R.L1(L1)),
                                  L.Dense(1, activation="sigmoid")]), "2 Dense layers"),
    "output without sigmoid": (
        lambda: keras.Sequential([keras.Input(shape=(N,)), L.Dense(UNITS, activation="relu",
                                                               kernel_regularizer=R.L1(L1)),
                                  L.Dense(UNITS, activation="relu"), L.Dense(1)]), "Dense(1, linear)"),
    "64 units as in the lesson": (
        lambda: keras.Sequential([keras.Input(shape=(N,)), L.Dense(64, activation="relu", kernel_regularizer=R.L1(L1)),
                                  L.Dense(UNITS, activation="relu"), L.Dense(1, activation="sigmoid")]), "has 64 units"),
    "the lesson's strength 0.03": (lambda: _net({"kernel_regularizer": R.L1(0.03)}), "L1=0.03; the task asks"),
    "a Dropout layer added": (
        lambda: keras.Sequential([keras.Input(shape=(N,)), L.Dense(UNITS, activation="relu",
                                                               kernel_regularizer=R.L1(L1)),
                                  L.Dropout(0.5), L.Dense(UNITS, activation="relu"), L.Dense(1, activation="sigmoid")]),
        "Dropout"),
    "wrong input width": (
        lambda: keras.Sequential([keras.Input(shape=(64,)), L.Dense(UNITS, activation="relu",
                                                                kernel_regularizer=R.L1(L1)),
                                  L.Dense(UNITS, activation="relu"), L.Dense(1, activation="sigmoid")]), "500"),
}


@pytest.mark.parametrize("name", list(MISTAKES))
def test_each_typical_mistake_fails_naming_it(name) -> None:
    build, says = MISTAKES[name]
    assert says in _fails(build()), name


def test_the_typical_mistakes_get_distinct_messages() -> None:
    messages = {name: _fails(build()) for name, (build, _) in MISTAKES.items()}
    assert len(set(messages.values())) == len(messages), messages


def test_declared_wrong_answers_get_distinct_messages() -> None:
    messages = [_fails(answer) for answer in ex.q1.typical_wrong_answers(None)]
    assert len(set(messages)) == len(messages), messages


def test_a_builder_that_raises_gets_a_clear_message() -> None:
    def builder():
        return keras.Sequential([L.Dense(UNITS, activation="relu", kernel_regularizer=R.L1(L1)), L.Dense(UNITS, "reluu")])

    message = _fails(builder)
    assert "your function raised ValueError" in message


def test_a_looping_builder_is_stopped_with_a_clear_message() -> None:
    def builder():
        while True:
            time.sleep(0.01)

    start = time.perf_counter()
    message = _fails(builder)
    assert "did not return within" in message and time.perf_counter() - start < 15


@pytest.mark.parametrize(
    ("answer", "says"),
    [(None, "None"), (keras.Sequential, "the class Sequential"), ([L.Dense(UNITS), L.Dense(1)], "list of layers"),
     (L.Dense(UNITS), "single Dense layer"), ("keras.Sequential([...])", "keras Model"), (lambda: 42, "returned an int")],
    ids=["None", "class", "list of layers", "one layer", "text", "builder returns a number"],
)
def test_other_kinds_of_answer_get_a_message_of_their_own(answer, says) -> None:
    assert says in _fails(answer)


def test_not_attempted_is_recognised() -> None:
    def builder():
        ...

    assert ex.q1.evaluate(...)[1].startswith("Not attempted yet")
    assert ex.q1.evaluate(builder)[1].startswith("Not attempted yet")


# ---------------------------------------------------------------------------------------------- q3: a function


def _q3(function) -> tuple[bool, str]:
    return ex.q3.evaluate(function)


def test_q3_is_tried_at_two_strengths_so_a_constant_fails() -> None:
    assert len(set(ex.L1_STRENGTHS)) >= 2
    for constant in ex.L1_STRENGTHS:
        correct, message = _q3(lambda k, l1, c=constant: c * np.sign(k))
        assert not correct and "use its argument l1" in message or "l1 = " in message, message
    assert _q3(lambda k, l1: l1 * np.sign(k))[0]


@pytest.mark.parametrize(
    ("function", "says"),
    [(lambda k, l1: (l1 * np.sign(k)).astype(complex), "complex"),
     (lambda k, l1: (l1 * np.sign(k)) + 0j, "complex"),
     (lambda k, l1: (l1 * np.sign(k)).astype(str), "text"),
     (lambda k, l1: [[str(v) for v in row] for row in (l1 * np.sign(k))], "text")],
    ids=["complex array", "complex with zero imaginary part", "array of strings", "list of strings"],
)
def test_q3_refuses_results_that_are_not_real_numbers(function, says) -> None:
    correct, message = _q3(function)
    assert not correct and says in message, message


def test_q3_right_for_one_strength_only_is_named() -> None:
    def first_only(k, l1):
        return ex.L1_STRENGTHS[0] * np.sign(k)

    correct, message = _q3(first_only)
    assert not correct and "still uses" in message, message
