"""utils.training.train_steps: the same updates as Keras's own fit, one full-batch step per epoch."""

from __future__ import annotations

from utils import models, training

import keras
import numpy as np
import pytest


def _data(seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((40, 5)).astype("float32")
    return X, (X[:, 0] - X[:, 1] > 0).astype(int) + (X[:, 2] > 0.5)


def _twins(optimizer: str, dropout: bool) -> tuple[keras.Model, keras.Model]:
    """One small classifier built twice from the same seed (same weights, same dropout seeds); Adam or SGD, with
    a penalty and a constraint."""
    built = []
    for _ in range(2):
        keras.utils.set_random_seed(3)
        model = models.build_mlp(5, (8,), task="multiclass", n_classes=3, dropout=0.3 if dropout else 0.0,
                                 kernel_regularizer=keras.regularizers.L2(0.01),
                                 kernel_constraint=keras.constraints.MaxNorm(0.8))
        built.append(training.compile_model(model, task="multiclass", optimizer=optimizer, learning_rate=0.05))
    return built[0], built[1]


@pytest.mark.parametrize("optimizer, dropout", [("adam", False), ("sgd", True)])
def test_train_steps_makes_the_updates_of_keras_fit(optimizer, dropout):
    X, y = _data()
    by_fit, by_steps = _twins(optimizer, dropout)
    by_fit.fit(X, y, batch_size=len(X), epochs=7, shuffle=False, verbose=0)  # Keras itself: 7 epochs, 1 step each
    assert training.train_steps(by_steps, X, y, steps=7) is by_steps
    for a, b in zip(by_fit.get_weights(), by_steps.get_weights(), strict=True):
        np.testing.assert_allclose(b, a, rtol=1e-5, atol=1e-6)
    assert int(by_steps.optimizer.iterations) == 7


def test_train_steps_counts_its_steps():
    X, y = _data()
    six, seven = _twins("adam", False)
    training.train_steps(six, X, y, steps=6)
    training.train_steps(seven, X, y, steps=7)
    gap = max(np.abs(a - b).max() for a, b in zip(six.get_weights(), seven.get_weights(), strict=True))
    assert gap > 1e-4, "one step more changed nothing"


@pytest.mark.parametrize("steps", [0, -1, 2.5, "3"])
def test_train_steps_rejects_a_bad_count(steps):
    X, y = _data()
    model, _ = _twins("adam", False)
    with pytest.raises((TypeError, ValueError), match="steps"):
        training.train_steps(model, X, y, steps=steps)


@pytest.mark.parametrize("run", ["fit", "train_steps", "fit_linear"])
def test_the_helpers_trace_the_training_step_once(run, traced_steps):
    """Keras traces the step twice when its first trace creates variables (the optimizer's slots, the metrics'
    state); the helpers create them first (a second trace costs ~0.3 s per model in the lessons)."""
    X, y = _data()
    model, _ = _twins("adam", True)
    if run == "fit":
        training.fit(model, X, y, validation=(X, y), epochs=3)
    elif run == "train_steps":
        training.train_steps(model, X, y, steps=3)
    else:
        training.fit_linear(X, X[:, 0] - X[:, 1], steps=10)
    assert traced_steps["traces"] == 1


def test_plain_keras_traces_twice_the_case_the_helpers_avoid(traced_steps):
    """The test above can fail: without the helpers' preparation, Keras (as installed) traces the step twice."""
    X, y = _data()
    model, _ = _twins("adam", True)
    model.fit(X, y, batch_size=len(X), epochs=3, shuffle=False, verbose=0)
    assert traced_steps["traces"] == 2


def test_fit_after_the_preparation_has_keras_fits_history_and_weights():
    """Preparing the variables (a forward pass in inference mode, then the metrics reset) changes no number: the
    same weights and, epoch by epoch, the same training loss, data loss and accuracy as Keras's own fit."""
    X, y = _data()
    by_keras, by_helper = _twins("adam", True)
    history = by_keras.fit(X, y, batch_size=len(X), epochs=5, shuffle=False, verbose=0).history
    tidy = training.fit(by_helper, X, y, epochs=5)
    for a, b in zip(by_keras.get_weights(), by_helper.get_weights(), strict=True):
        np.testing.assert_array_equal(b, a)
    for metric, key in (("total_loss", "loss"), ("data_loss", "data_loss"), ("accuracy", "accuracy")):
        ours = tidy.query("split == 'train' and metric == @metric").sort_values("epoch")["value"].to_numpy()
        np.testing.assert_array_equal(ours, np.asarray(history[key]), err_msg=metric)


def test_a_network_that_drops_at_inference_too_gets_keras_fits_updates():
    """Monte Carlo dropout draws a mask at every call, in inference mode too: preparing the variables must not run
    the network (one more draw would shift every later mask and change the trained weights)."""
    X, y = _data()
    twins = []
    for _ in range(2):
        keras.utils.set_random_seed(5)
        model = keras.Sequential([keras.Input((5,)), keras.layers.Dense(8, activation="relu"), models.MCDropout(0.3),
                                  keras.layers.Dense(3, activation="softmax")])
        twins.append(training.compile_model(model, task="multiclass", learning_rate=0.05))
    by_fit, by_steps = twins
    by_fit.fit(X, y, batch_size=len(X), epochs=4, shuffle=False, verbose=0)
    training.train_steps(by_steps, X, y, steps=4)
    for a, b in zip(by_fit.get_weights(), by_steps.get_weights(), strict=True):
        np.testing.assert_array_equal(b, a)


def test_train_steps_takes_one_step_and_at_most_max_epochs():
    """One step is the documented minimum (one Keras update); MAX_EPOCHS + 1 is refused before anything trains."""
    X, y = _data()
    by_fit, by_steps = _twins("sgd", False)
    by_fit.fit(X, y, batch_size=len(X), epochs=1, shuffle=False, verbose=0)
    training.train_steps(by_steps, X, y, steps=1)
    assert int(by_steps.optimizer.iterations) == 1
    for a, b in zip(by_fit.get_weights(), by_steps.get_weights(), strict=True):
        np.testing.assert_allclose(b, a, rtol=1e-5, atol=1e-6)
    with pytest.raises(ValueError, match=r"^steps must be <= 100000, got 100001$"):
        training.train_steps(by_steps, X, y, steps=training.MAX_EPOCHS + 1)
    with pytest.raises(ValueError, match=r"^steps must be >= 1, got 0$"):
        training.train_steps(by_steps, X, y, steps=0)
    assert int(by_steps.optimizer.iterations) == 1


@pytest.mark.parametrize(
    ("change", "error", "message"),
    [
        (lambda X, y: (X[:, :3], y), ValueError, r"^X_train has 3 columns but the model 'mlp' expects 5$"),
        (lambda X, y: (X, y + 1), ValueError,
         r"^y_train must hold class labels from 0 to 2 \(the model has 3 output units\), got labels from 1 to 3$"),
        (lambda X, y: (X, y[:10]), ValueError, r"^these must have the same number of rows: X_train has 40, y_train has 10$"),
    ],
)
def test_train_steps_names_bad_data(change, error, message):
    model, _ = _twins("adam", False)
    X, y = change(*_data())
    with pytest.raises(error, match=message):
        training.train_steps(model, X, y, steps=2)


def test_train_steps_names_a_bad_progress_label_and_an_uncompiled_model():
    X, y = _data()
    model, _ = _twins("adam", False)
    with pytest.raises(ValueError, match=r"^progress must be a short label of 1 to 60 characters"):
        training.train_steps(model, X, y, steps=2, progress=" ")
    uncompiled = models.build_mlp(5, (8,), task="multiclass", n_classes=3)
    with pytest.raises(ValueError, match=r"^compile the model with utils.training.compile_model\(model, task=...\) first$"):
        training.train_steps(uncompiled, X, y, steps=2)
