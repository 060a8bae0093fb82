"""Lesson 07's hands-on exercise q1 (issue 18): the learner writes, in plain Keras, the digits network with dropout
after each hidden layer, trains it and measures its generalization gap.

Fair, and proven fair: the solution passes; right answers written differently pass (functional API, ``.add``
with no Input, logits, mini-batches, the gap by hand); each typical mistake fails with its own message; a
builder that raises or never returns gets a clear message, never a traceback or a hang. Also: the side-by-side
helper of the lesson builds the recipe's network (same layers and rates, same initial weights for the same seed)
and a network trained with ``fit`` joins a side-by-side run unchanged.
"""

from __future__ import annotations

import utils  # noqa: F401  (first: silences TensorFlow's start-up messages)
from utils import batched, checks, model_checks
from utils.exercises import lesson07

import numpy as np
import pytest

q1 = lesson07.q1


@pytest.fixture(autouse=True)
def _patient_time_limit(monkeypatch):
    """These tests judge right and wrong answers, not speed: on a busy machine a 20-epoch fit can take longer than
    the learner's limit (20 s), so they allow 2 minutes (the looping test sets its own short limit)."""
    monkeypatch.setattr(checks, "TIME_LIMIT", 30.0)


@pytest.fixture(scope="module")
def solution():
    return q1.run_solution()  # a function: nothing runs until it is judged


def test_the_solution_passes(solution):
    correct, message = q1.evaluate(solution)
    assert correct, message
    assert "Dropout(0.3)" in message


@pytest.mark.parametrize("answer", q1.right_answers, ids=lambda f: f.__name__)
def test_right_answers_written_differently_pass(answer):
    correct, message = q1.evaluate(answer)
    assert correct, f"{answer.__name__}: {message}"


MISTAKES = {
    "wrong_dropout_after_output": "after its output layer",
    "wrong_dropout_on_inputs": "drops inputs",
    "wrong_keep_probability": "fraction of units DROPPED",
    "wrong_second_layer_without_dropout": "hidden layer 2 has no dropout",
    "wrong_untrained": "never trained",
    "wrong_one_epoch": "trained for 1 epoch;",
    "wrong_accuracy_gap": "difference of accuracies",
    "wrong_gap_from_history": "training loss fit recorded",
    "wrong_sign": "wrong sign",
    "wrong_loss_minus_accuracy": "but the model you returned measures",
}


def test_the_declared_mistakes_are_the_ones_tested():
    assert sorted(f.__name__ for f in q1.wrong_answers) == sorted(MISTAKES)


@pytest.fixture(scope="module")
def mistake_messages():
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(checks, "TIME_LIMIT", 30.0)
        return {f.__name__: q1.evaluate(f) for f in q1.wrong_answers}


@pytest.mark.parametrize("name", sorted(MISTAKES))
def test_each_typical_mistake_fails_with_its_own_message(name, mistake_messages):
    correct, message = mistake_messages[name]
    assert not correct, f"{name} passed: {message}"
    assert message.startswith("Not yet:"), message
    assert MISTAKES[name] in message, f"{name}: {message}"
    others = [m for other, (_, m) in mistake_messages.items() if other != name]
    assert message not in others, f"{name} shares its message with another mistake"


def test_a_raising_function_gets_a_clear_message():
    def train_and_measure(X_train, y_train, X_val, y_val):
        raise ValueError("my bad")

    correct, message = q1.evaluate(train_and_measure)
    assert not correct and "raised ValueError" in message and "my bad" in message


def test_a_looping_function_is_stopped_with_a_clear_message(monkeypatch):
    monkeypatch.setattr(checks, "TIME_LIMIT", 0.25)  # q1 allows 4 times the checks' limit: 1 s here

    def train_and_measure(X_train, y_train, X_val, y_val):
        while True:
            pass

    correct, message = q1.evaluate(train_and_measure)
    assert not correct and "did not return within 1 s" in message


@pytest.mark.parametrize(
    ("answer", "expected"),
    [
        (..., "Not attempted"),
        (lambda X_train, y_train, X_val, y_val: print(end=""), "returned None"),
        (lambda X_train, y_train, X_val, y_val: 0.2, "two things"),
        (lambda X_train, y_train, X_val, y_val: ("model", 0.2), "keras Model"),
        ("train_and_measure", "give a function"),
    ],
)
def test_odd_answers_get_one_line(answer, expected):
    correct, message = q1.evaluate(answer)
    assert not correct and expected in message and "\n" not in message


def test_the_template_counts_as_not_attempted():
    def train_and_measure(X_train, y_train, X_val, y_val):
        ...

    correct, message = q1.evaluate(train_and_measure)
    assert not correct and message.startswith("Not attempted")


def test_a_model_instead_of_the_function_is_named():
    correct, message = q1.evaluate(lesson07._sequential())
    assert not correct and "give your function itself" in message


# ------------------------------------------------------------------ the shortcut builds the recipe's network


def _recipe(rate, n_inputs=5, hidden=(7, 6), n_classes=3):
    import keras

    layers = [keras.Input(shape=(n_inputs,))]
    for units in hidden:
        layers += [keras.layers.Dense(units, activation="relu"), keras.layers.Dropout(rate)]
    return keras.Sequential([*layers, keras.layers.Dense(n_classes, activation="softmax")])


@pytest.mark.parametrize("rate", [0.0, 0.2, 0.5])
def test_the_helper_starts_from_the_recipes_initial_weights(rate):
    import keras

    keras.utils.set_random_seed(31)
    recipe = _recipe(rate)
    helper = batched.build_side_by_side_mlp([31, 8], [rate, 0.5], n_inputs=5, hidden=(7, 6), n_classes=3, seed=0)
    for mine, theirs in zip(recipe.get_weights(), helper.get_weights(), strict=True):
        np.testing.assert_array_equal(mine, theirs[0])
    summary = model_checks.summary(model_checks.layers_of(recipe))
    assert batched.describe_network(helper, 0) == (summary if rate > 0 else summary.replace(" → Dropout(0)", ""))
    X = np.random.default_rng(0).normal(size=(20, 5)).astype("float32")
    side = batched.predict_side_by_side(helper, np.stack([X, X], axis=1), np.zeros((20, 2), dtype=int))["proba"][:, 0]
    np.testing.assert_allclose(side, recipe.predict(X, verbose=0), rtol=1e-5, atol=1e-6)


def test_a_network_trained_with_fit_joins_the_run():
    import keras
    import tensorflow as tf

    rng = np.random.default_rng(3)
    X = rng.normal(size=(40, 2, 5)).astype("float32")
    y = (X[..., 0] > 0).astype(int) + (X[..., 1] > 0.5).astype(int)
    model = batched.build_side_by_side_mlp([1, 2], [0.0, 0.5], n_inputs=5, hidden=(7, 6), n_classes=3, seed=0)
    run = batched.train_side_by_side(model, X, y, X, y, epochs=12, patience=2)
    keras.utils.set_random_seed(4)
    network = _recipe(0.2)
    network.compile(optimizer=keras.optimizers.Adam(3e-3), loss="sparse_categorical_crossentropy")
    data = tf.data.Dataset.from_tensors((X[:, 0], y[:, 0]))
    history = network.fit(data.repeat(), steps_per_epoch=1, epochs=12, validation_data=data, shuffle=False, verbose=0)
    merged, joined = batched.add_network(model, run, network, history, index=1)
    assert joined["fit"].shape == joined["validation"].shape == (12, 3)
    np.testing.assert_array_equal(joined["fit"][:, 1], history.history["loss"])
    np.testing.assert_array_equal(joined["validation"][:, [0, 2]], run["validation"])
    assert batched.describe_network(merged, 1).count("Dropout(0.2)") == 2
    X3, y3 = np.insert(X, 1, X[:, 0], axis=1), np.insert(y, 1, y[:, 0], axis=1)
    after = batched.predict_side_by_side(merged, X3, y3)
    np.testing.assert_allclose(after["proba"][:, 1], network.predict(X[:, 0], verbose=0), rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(after["loss"][:, 1].mean(), history.history["val_loss"][-1], rtol=1e-4)
    best, wait, stop = np.inf, 0, 12  # Keras's EarlyStopping rule, by hand
    for epoch, value in enumerate(history.history["val_loss"]):
        if value < best:
            best, wait = value, 0
        else:
            wait += 1
        if wait >= 2:
            stop = epoch + 1
            break
    assert joined["early_stop"]["stop_epoch"][1] == stop and joined["early_stop"]["best"][1] == pytest.approx(best)


def test_add_network_refuses_a_network_of_another_shape():
    import keras

    model = batched.build_side_by_side_mlp([1], [0.0], n_inputs=5, hidden=(7, 6), n_classes=3, seed=0)
    rng = np.random.default_rng(0)
    X, y = rng.normal(size=(10, 1, 5)).astype("float32"), rng.integers(0, 3, (10, 1))
    run = batched.train_side_by_side(model, X, y, X, y, epochs=2)
    history = {"loss": [1.0, 0.9], "val_loss": [1.0, 0.9]}
    keras.utils.set_random_seed(0)
    with pytest.raises(ValueError, match="layers of one side-by-side network"):
        batched.add_network(model, run, _recipe(0.0, hidden=(7,)), history, index=0)
    with pytest.raises(ValueError, match="one loss and one val_loss per epoch"):
        batched.add_network(model, run, _recipe(0.0), {"loss": [1.0], "val_loss": [1.0]}, index=0)
    with pytest.raises(TypeError, match="History"):
        batched.add_network(model, run, _recipe(0.0), [1.0, 0.9], index=0)
    with pytest.raises(ValueError, match="index"):
        batched.add_network(model, run, _recipe(0.0), history, index=5)
