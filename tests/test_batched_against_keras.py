"""utils.batched against Keras's own implementations (issue 23): a bug in the batched machinery that lesson 07
and 08 stand on (a dropped rescaling, swapped penalty factors, best weights that keep moving after the stop)
fails here, because each piece is compared with the Keras layer, regularizer or callback it replaces, not with
a copy of its own rule."""

from __future__ import annotations

from typing import Any

from utils import batched, models

import keras
import numpy as np
import pytest


def _side_model(seeds, rates, inputs: int = 4, hidden=(6, 5), classes: int = 3) -> keras.Model:
    return batched.build_side_by_side_mlp(seeds, rates, n_inputs=inputs, hidden=hidden, n_classes=classes, seed=11)


def _side_data(networks: int = 2, rows: int = 30, inputs: int = 4, classes: int = 3, seed: int = 5):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(rows, networks, inputs)).astype(np.float32)
    return X, (X[..., 0] > 0).astype(int) + (X[..., 1] > 0.5).astype(int) * (classes - 2)


# ------------------------------------------------------------------ dropout: the side-by-side layer vs keras Dropout


def test_side_by_side_dropout_scales_as_keras_dropout_in_training_and_not_in_inference():
    """The first hidden layer's output after dropout, side by side, against keras.layers.Dropout on the same
    activations of build_mlp's network with the same weights: kept units are scaled by 1 / (1 - rate) exactly
    as Keras scales them, about `rate` of them are dropped, and nothing changes in inference mode."""
    rate = 0.5
    model = _side_model([1, 2], [rate, 0.0])
    plain = models.build_mlp(4, (6, 5), task="multiclass", n_classes=3, dropout=rate)
    plain.set_weights([w[0] for w in model.get_weights()])
    X, _ = _side_data(rows=2000)
    dense, dropout = model.layers[1], model.layers[2]
    assert isinstance(dropout, batched._SideBySideDropout)
    # the layers work networks first (networks, examples, units): the model transposes its input once
    h_side = keras.ops.convert_to_numpy(dense(np.swapaxes(X, 0, 1)))
    h_plain = keras.ops.convert_to_numpy(plain.layers[0](X[:, 0]))  # the same weights: the same activations
    np.testing.assert_allclose(h_side[0], h_plain, rtol=1e-5, atol=1e-6)
    keras_dropout = next(layer for layer in plain.layers if isinstance(layer, keras.layers.Dropout))
    ours = keras.ops.convert_to_numpy(dropout(h_side, training=True))
    theirs = keras.ops.convert_to_numpy(keras_dropout(h_plain, training=True))
    active = h_plain > 0.05  # units a mask can visibly drop
    for out, h in ((ours[0], h_side[0]), (theirs, h_plain)):
        kept = active & (out != 0)
        np.testing.assert_allclose(out[kept] / h[kept], 1 / (1 - rate), rtol=1e-5)  # inverted dropout's scale
        assert abs(1 - kept.sum() / active.sum() - rate) < 0.03  # about `rate` of the units dropped
    np.testing.assert_allclose(ours[0][active & (ours[0] != 0)].mean(), theirs[active & (theirs != 0)].mean(),
                               rtol=0.1)
    np.testing.assert_array_equal(ours[1], h_side[1])  # rate 0: untouched
    # inference mode: the full network, as Keras's Dropout leaves it
    np.testing.assert_array_equal(keras.ops.convert_to_numpy(dropout(h_side, training=False)), h_side)
    np.testing.assert_array_equal(keras.ops.convert_to_numpy(keras_dropout(h_plain, training=False)), h_plain)
    proba = batched.predict_side_by_side(model, X[:50], np.zeros((50, 2), dtype=int))["proba"][:, 0]
    np.testing.assert_allclose(proba, plain.predict(X[:50, 0], verbose=0), rtol=1e-5, atol=1e-6)


def test_side_by_side_network_in_training_mode_has_the_scale_of_keras_dropout():
    """The whole network in training mode: its mean output over many examples and masks matches build_mlp's
    network with keras Dropout and the same weights (a missing rescaling shrinks the hidden activations, and
    the mean class probabilities move)."""
    model = _side_model([3, 3], [0.5, 0.5], hidden=(32,))
    plain = models.build_mlp(4, (32,), task="multiclass", n_classes=3, dropout=0.5)
    plain.set_weights([w[0] for w in model.get_weights()])
    X, _ = _side_data(rows=1, seed=2)
    repeated = np.repeat(X, 4000, axis=0)
    ours = keras.ops.convert_to_numpy(model(repeated, training=True))[:, 0].mean(axis=0)
    theirs = keras.ops.convert_to_numpy(plain(repeated[:, 0], training=True)).mean(axis=0)
    np.testing.assert_allclose(ours, theirs, atol=0.02)
    dropped_scale = _without_rescaling(model, repeated)
    assert np.abs(dropped_scale - theirs).max() > 0.03, "the check cannot tell a missing rescaling apart"


def _without_rescaling(model: keras.Model, X: np.ndarray) -> np.ndarray:
    """The network's mean output in training mode when kept units are not rescaled (what the test must
    tell apart from Keras): the same masks' expectation, the activations halved."""
    dense1, dense2 = model.layers[1], model.layers[3]
    h = keras.ops.convert_to_numpy(dense1(np.swapaxes(X, 0, 1)))  # the layers work networks first
    rng = np.random.default_rng(0)
    mask = rng.uniform(size=h.shape) >= 0.5
    return keras.ops.convert_to_numpy(dense2(np.where(mask, h, 0.0)))[0].mean(axis=0)


# ------------------------------------------------------------------ the members' penalty vs keras L1L2


def test_member_penalty_equals_keras_l1l2_per_member():
    """On a fixed kernel (groups, inputs, members * units), the stacked penalty is the sum over groups and
    members of keras.regularizers.L1L2(l1[m], l2[m]) on that member's block: L1 and L2 factors that differ,
    so that swapping them is seen."""
    l1, l2, units = np.array([0.3, 0.0, 0.05]), np.array([0.0, 0.7, 2.0]), 4
    rng = np.random.default_rng(0)
    kernel = rng.normal(size=(2, 5, 3 * units)).astype(np.float32)
    ours = float(keras.ops.convert_to_numpy(batched._MemberPenalty(l1, l2, units)(keras.ops.convert_to_tensor(kernel))))
    expected = sum(
        float(keras.ops.convert_to_numpy(keras.regularizers.L1L2(l1=float(l1[m]), l2=float(l2[m]))(kernel[g][:, m * units:(m + 1) * units])))
        for g in range(2) for m in range(3)
    )
    assert ours == pytest.approx(expected, rel=1e-5)


def test_stacked_layer_adds_the_member_penalty_to_the_loss():
    """The stacked layer's regularization loss after building equals the L1L2 sum on its first kernel."""
    layer = batched._StackedMLP([0.1, 0.0], [0.0, 0.2], [0.0, 0.0], units=3)
    layer.build((1, 4, 5))
    kernel = keras.ops.convert_to_numpy(layer.kernel_1)
    expected = sum(float(keras.ops.convert_to_numpy(keras.regularizers.L1L2(l1=a, l2=b)(kernel[0][:, m * 3:(m + 1) * 3])))
                   for m, (a, b) in enumerate([(0.1, 0.0), (0.0, 0.2)]))
    assert float(sum(keras.ops.convert_to_numpy(loss) for loss in layer.losses)) == pytest.approx(expected, rel=1e-5)


# ------------------------------------------------------------------ early stopping vs keras.callbacks.EarlyStopping


def _keras_early_stopping(curve: np.ndarray, patience: int) -> tuple[int, int]:
    """Epochs run and the 0-based best epoch whose weights Keras's EarlyStopping(restore_best_weights=True)
    restores, on the validation curve ``curve``, driven as fit drives it."""

    class Recorder:  # what EarlyStopping reads of a model: the weights (here, the epoch) and stop_training
        stop_training = False
        epoch = 0

        def get_weights(self) -> list[Any]:
            return [self.epoch]

        def set_weights(self, weights: list[Any]) -> None:
            self.epoch = weights[0]

    callback = keras.callbacks.EarlyStopping(monitor="val_loss", patience=patience, restore_best_weights=True)
    recorder = Recorder()
    callback.set_model(recorder)
    callback.on_train_begin()
    epochs_run = len(curve)
    for epoch, value in enumerate(curve):
        recorder.epoch = epoch
        callback.on_epoch_end(epoch, {"val_loss": float(value)})
        if recorder.stop_training:
            epochs_run = epoch + 1
            break
    best_epoch = callback.best_weights[0] if callback.best_weights is not None else len(curve) - 1
    return epochs_run, best_epoch


def test_side_by_side_early_stopping_matches_keras_on_a_curve_with_a_later_lower_minimum(monkeypatch):
    """Validation curves are scripted (the training itself is real): network 0 bottoms out, stops after
    `patience` epochs without improvement and later reaches a lower second minimum; network 1 never stops.
    The stop epoch, the best value and the kept weights must be those keras.callbacks.EarlyStopping gives: the
    weights after the first minimum, not after the later one."""
    patience, epochs = 3, 14
    curves = np.array([
        [5.0, 4.0, 3.0, 3.2, 3.1, 3.3, 3.4, 1.0, 0.5, 0.4, 0.3, 0.2, 0.1, 0.05],  # stops after epoch 6, lower minimum later
        [5.0, 4.5, 4.0, 3.5, 3.0, 2.5, 2.0, 1.5, 1.4, 1.3, 1.2, 1.1, 1.0, 0.9],  # improves to the end
    ]).T
    seen: list[list[np.ndarray]] = []
    calls = iter(range(epochs))
    X, y = _side_data(rows=12)
    model = _side_model([1, 2], [0.0, 0.0])

    def scripted_loss(proba: np.ndarray, labels: np.ndarray) -> np.ndarray:
        seen.append([w.copy() for w in model.get_weights()])  # the weights after this epoch's step
        return curves[next(calls)][None, :]

    monkeypatch.setattr(batched, "_side_by_side_cross_entropy", scripted_loss)
    run = batched.train_side_by_side(model, X, y, X, y, epochs=epochs, learning_rate=0.05, patience=patience)
    stop = run["early_stop"]
    for n in range(2):
        epochs_run, best_epoch = _keras_early_stopping(curves[:, n], patience)
        assert stop["stop_epoch"][n] == epochs_run, f"network {n}: stop epoch"
        assert stop["best"][n] == curves[best_epoch, n], f"network {n}: best value"
        for kept, then in zip(stop["weights"], seen[best_epoch], strict=True):
            np.testing.assert_array_equal(kept[n], then[n], err_msg=f"network {n}: weights of epoch {best_epoch + 1}")
    assert stop["stop_epoch"][0] == 6 and stop["stop_epoch"][1] == epochs  # the scripted curves do what they say


def test_side_by_side_validation_curve_is_measured_after_each_step_with_dropout_off():
    """The validation loss of an epoch is the inference-mode loss of the weights that epoch's step left: after the
    last epoch it equals predict_side_by_side's loss (dropout off); with dropout on it would differ at rate 0.5."""
    X, y = _side_data(rows=40)
    X_val, y_val = _side_data(rows=25, seed=6)
    model = _side_model([1, 2], [0.5, 0.5])
    run = batched.train_side_by_side(model, X, y, X_val, y_val, epochs=3, learning_rate=0.05)
    after = batched.predict_side_by_side(model, X_val, y_val)["loss"].mean(axis=0)
    np.testing.assert_allclose(run["validation"][-1], after, rtol=1e-6)
    assert not np.allclose(run["validation"][-2], after, rtol=1e-6)  # each epoch measures its own weights
