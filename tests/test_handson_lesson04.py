"""Lesson 04's hands-on exercise (q1): the learner writes the Keras model with L2 on the hidden layers' kernels.

Fair: the solution and every right form pass (Sequential or functional, built or not, a builder function, the
lower-case alias, ``L1L2(l2=...)``, activation layers, the output kernel penalised or not). Specific: each typical
mistake fails with its own message. Robust: a builder that raises or never returns gets one clear message.
What the checker reads is tied to what Keras computes: the penalty in ``model.losses``.
"""

import utils.checks
from utils.exercises import lesson04

import keras
import numpy as np
import pytest

Q1 = lesson04.q1
LAMBDA = lesson04.LAMBDA_Q1


@pytest.fixture(scope="module")
def solution():
    return Q1.run_solution()


def keras_penalty(model: keras.Model) -> float:
    """The penalty Keras itself adds to the loss."""
    return float(sum(keras.ops.convert_to_numpy(loss) for loss in model.losses))


def squared_kernels(model: keras.Model, which: slice) -> float:
    dense = [layer for layer in model._flatten_layers() if isinstance(layer, keras.layers.Dense)]
    return float(sum(np.square(layer.kernel.numpy().astype(np.float64)).sum() for layer in dense[which]))


def test_solution_passes_and_its_penalty_is_keras_own(solution):
    correct, message = Q1.evaluate(solution)
    assert correct, message
    # Keras adds LAMBDA * sum(w^2) of the two hidden kernels, nothing for the output layer or the biases
    assert keras_penalty(solution) == pytest.approx(LAMBDA * squared_kernels(solution, slice(0, 2)), rel=1e-5)


def test_right_answers_in_other_forms_pass(solution):
    forms = Q1.equivalent_answers(solution)
    assert len(forms) >= 3
    for form in forms:
        correct, message = Q1.evaluate(form)
        assert correct, message
        model = form() if callable(form) and not isinstance(form, keras.Model) else form
        if not model.built:
            model.build((None, 64))
        hidden = LAMBDA * squared_kernels(model, slice(0, 2))
        assert keras_penalty(model) >= hidden * (1 - 1e-5)  # every form penalises both hidden kernels at LAMBDA


def test_the_output_kernel_may_carry_the_same_penalty_or_none():
    for output in (None, keras.regularizers.L2(LAMBDA), keras.regularizers.l2(LAMBDA)):
        correct, message = Q1.evaluate(lesson04._build(output_regularizer=output))
        assert correct, message


MISTAKES = {
    "output only": (lambda: lesson04._build((None, None), "L2"), "only the output layer"),
    "a hidden layer missed": (lambda: lesson04._build(("L2", None)), "second hidden layer has no kernel_regularizer"),
    "on the biases": (
        lambda: lesson04._build((None, None), bias_regularizer=keras.regularizers.L2(LAMBDA)),
        "bias_regularizer",
    ),
    "on the activity": (
        lambda: lesson04._build((None, None), activity_regularizer=keras.regularizers.L2(LAMBDA)),
        "activity_regularizer",
    ),
    "the string 'l2'": (lambda: lesson04._build(("l2", "l2")), "Keras's default factor"),
    "L1 for L2": (lambda: lesson04._build((keras.regularizers.L1(LAMBDA),) * 2), "is L1"),
    "lambda / 2": (lambda: lesson04._build((keras.regularizers.L2(LAMBDA / 2),) * 2), "factor of 2"),
    "twice lambda": (lambda: lesson04._build((keras.regularizers.L2(2 * LAMBDA),) * 2), "too large by a factor of 2"),
    "weight decay instead": (lesson04._wrong_q1(None)[7], "weight_decay on the optimizer"),
    "a bias penalty as well": (
        lambda: lesson04._build(bias_regularizer=keras.regularizers.L2(LAMBDA)),
        "has a bias_regularizer",
    ),
    "another output penalty": (
        lambda: lesson04._build(output_regularizer=keras.regularizers.L1(LAMBDA)),
        "leave the output layer unpenalised",
    ),
    "biases removed": (lambda: lesson04._build(use_bias=False), "use_bias=False"),
    "the lesson's own network": (lambda: lesson04._build(units=(256, 256, 10)), "[256, 256, 10] units"),
    "dropout added": (
        lambda: keras.Sequential([keras.Input(shape=(64,)), keras.layers.Dense(128, "relu"), keras.layers.Dropout(0.5),
                                  keras.layers.Dense(64, "relu"), keras.layers.Dense(10, "softmax")]),
        "without dropout",
    ),
    "no softmax": (
        lambda: keras.Sequential([keras.Input(shape=(64,)), keras.layers.Dense(128, "relu"),
                                  keras.layers.Dense(64, "relu"), keras.layers.Dense(10)]),
        "softmax",
    ),
}


@pytest.mark.parametrize("mistake", list(MISTAKES))
def test_each_typical_mistake_is_named(mistake):
    make, says = MISTAKES[mistake]
    answer = make()
    correct, message = Q1.evaluate(answer)
    assert not correct
    assert message.startswith("Not yet:") and says in message, message
    assert "could not read" not in message


def test_the_typical_mistakes_get_distinct_messages():
    messages = {name: Q1.evaluate(make())[1] for name, (make, _) in MISTAKES.items()}
    assert len(set(messages.values())) == len(messages), messages


def test_the_string_l2_is_keras_default_factor():
    """What the checker calls "Keras's default factor" is what Keras computes for the string 'l2'."""
    model = lesson04._build(("l2", "l2"))
    assert keras_penalty(model) == pytest.approx(0.01 * squared_kernels(model, slice(0, 2)), rel=1e-5)


def test_declared_wrong_answers_fail(solution):
    wrong = Q1.typical_wrong_answers(solution)
    assert len(wrong) >= 5
    messages = [Q1.evaluate(answer) for answer in wrong]
    assert not any(correct for correct, _ in messages)
    assert len({message for _, message in messages}) == len(messages)


def test_a_builder_that_raises_is_told_so():
    def build():
        raise RuntimeError("I forgot something")

    correct, message = Q1.evaluate(build)
    assert not correct and "raised RuntimeError: I forgot something" in message


def test_a_builder_that_never_returns_is_stopped(monkeypatch):
    monkeypatch.setattr(utils.checks, "TIME_LIMIT", 0.5)

    def build():
        while True:
            pass

    correct, message = Q1.evaluate(build)
    assert not correct and "did not return within 0.5 s" in message


@pytest.mark.parametrize(
    ("answer", "says"),
    [
        (None, "None"),
        (keras.Sequential, "the class Sequential"),
        ([keras.layers.Dense(10)], "list of layers"),
        (keras.layers.Dense(10), "single Dense layer"),
        ("model", "keras Model"),
        (3, "keras Model"),
    ],
    ids=repr,
)
def test_what_is_not_a_model_gets_one_clear_message(answer, says):
    correct, message = Q1.evaluate(answer)
    assert not correct and says in message and len(message) < utils.checks.MESSAGE_LIMIT


def test_a_model_on_other_inputs_is_told_the_width():
    model = keras.Sequential([keras.Input(shape=(20,)), keras.layers.Dense(128, "relu"), keras.layers.Dense(10)])
    correct, message = Q1.evaluate(model)
    assert not correct and "20 features" in message and "64" in message


def test_not_attempted():
    def build():
        ...

    for answer in (..., build):
        correct, message = Q1.evaluate(answer)
        assert not correct and message.startswith("Not attempted yet")
