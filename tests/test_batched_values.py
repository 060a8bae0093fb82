"""utils.batched's results against plain Keras, value by value, on tiny networks (issue 23, mutation testing).

Each batched helper stands for networks a learner would train one by one with ``model.fit``; here a few tiny
networks are trained both ways for a few full-batch epochs and every recorded number (losses, accuracies, input
importances, early stopping's bookkeeping) is compared. The two ways do the same float32 operations in another
order, so results agree to about 1e-6 relative after a few Adam steps: the tolerances (1e-4) leave room for that
and for another CPU's last digits, while any dropped factor, swapped index or off-by-one moves them far more.
Kept fast (tiny networks, 3 to 6 epochs) so that a mutation run can re-run them for every mutant.
"""

from __future__ import annotations

from utils import batched, model_checks

import keras
import numpy as np
import pytest

RTOL, ATOL = 1e-4, 1e-6


# ------------------------------------------------------------------ train_stack against plain Keras networks


def _stack_sets(seed: int = 3, groups: int = 2, inputs: int = 3) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    rng = np.random.default_rng(seed)
    sets = {}
    for name, rows in (("train", 16), ("validation", 7), ("test", 5)):  # parts of different sizes: no slice mixes them
        X = rng.normal(size=(groups, rows, inputs)).astype(np.float32)
        sets[name] = X, (X[..., 0] - 0.5 * X[..., 1] + 0.5 * rng.normal(size=(groups, rows)) > 0).astype(int)
    return sets


def _stack_initial_weights(seed: int, l1, l2, dropout, units: int, shape) -> tuple[np.ndarray, np.ndarray]:
    """The initial first- and second-layer kernels train_stack draws after keras.utils.set_random_seed(seed)."""
    keras.utils.set_random_seed(seed)
    layer = batched._StackedMLP(l1, l2, dropout, units)
    layer.build(shape)
    return keras.ops.convert_to_numpy(layer.kernel_1), keras.ops.convert_to_numpy(layer.kernel_2)


def _plain_stack(kernel_1: np.ndarray, kernel_2: np.ndarray, l1, l2, units: int, learning_rates,
                 sets: dict, epochs: int) -> dict[str, np.ndarray]:
    """The same networks as plain Keras: one Dense(units, relu, kernel_regularizer=L1L2(l1, l2)) -> Dense(1,
    sigmoid) network per (group, member), each trained full batch by its own keras.optimizers.Adam with its
    member's learning rate on its binary cross-entropy plus its penalty (what fit does for each alone),
    recorded after every epoch. Keras's train step is run eagerly: tracing fit for a one-off model of a dozen
    layers would cost seconds, the step itself milliseconds."""
    import tensorflow as tf

    groups, n_inputs = kernel_1.shape[0], kernel_1.shape[1]
    members = len(l1)
    networks = []
    for g in range(groups):
        for m in range(members):
            network = keras.Sequential([
                keras.Input((n_inputs,)),
                keras.layers.Dense(units, activation="relu",
                                   kernel_regularizer=keras.regularizers.L1L2(l1=float(l1[m]), l2=float(l2[m]))),
                keras.layers.Dense(1, activation="sigmoid"),
            ])
            network.set_weights([kernel_1[g][:, m * units:(m + 1) * units], np.zeros(units, np.float32),
                                 kernel_2[g, m][:, None], np.zeros(1, np.float32)])
            networks.append(network)
    optimizers = [keras.optimizers.Adam(float(learning_rates[i % members])) for i in range(len(networks))]

    def predict(X: np.ndarray) -> np.ndarray:  # (groups, rows, members)
        out = [keras.ops.convert_to_numpy(net(X[i // members], training=False))[:, 0] for i, net in enumerate(networks)]
        return np.stack(out).reshape(groups, members, -1).transpose(0, 2, 1)

    X, y = sets["train"]
    record: dict[str, list] = {"importance": [], "validation": [], "test": []}
    for _ in range(epochs):
        for i, network in enumerate(networks):
            with tf.GradientTape() as tape:
                p = network(X[i // members], training=True)
                loss = keras.ops.mean(keras.losses.binary_crossentropy(y[i // members][:, None].astype(np.float32), p))
                loss += sum(network.losses)
            variables = network.trainable_variables
            optimizers[i].apply_gradients(zip(tape.gradient(loss, variables), variables, strict=True))
        kernels = np.stack([keras.ops.convert_to_numpy(net.layers[0].kernel) for net in networks])
        record["importance"].append(np.linalg.norm(kernels, axis=-1).reshape(groups, members, n_inputs))
        for name in ("validation", "test"):
            record[name].append(predict(sets[name][0]))
    return {**{k: np.array(v) for k, v in record.items()}, "train": predict(X)}


def _bce(y: np.ndarray, p: np.ndarray) -> np.ndarray:
    """Keras's binary cross-entropy per example, ``y`` broadcast over the last axis of ``p``."""
    target = np.broadcast_to(y[..., None], p.shape).astype(np.float32)
    return keras.ops.convert_to_numpy(keras.losses.binary_crossentropy(target[..., None], p[..., None]))


def test_train_stack_matches_plain_keras_networks_epoch_by_epoch(monkeypatch, capsys):
    """Two groups x two members with different L1 and L2 factors, trained by train_stack and as plain Keras
    branches with kernel_regularizer=L1L2 and fit: the same validation and test losses and accuracies after
    every epoch, the same input importances (first-layer kernel norms) and the same final training scores."""
    l1, l2, units, lr, epochs = [0.02, 0.01], [0.0, 0.03], 16, 0.01, 4  # units and learning rate: the defaults
    sets = _stack_sets()
    X, y = sets["train"]
    kernel_1, kernel_2 = _stack_initial_weights(5, l1, l2, [0.0] * 2, units, (2, 16, 3))
    keras.utils.set_random_seed(5)
    monkeypatch.setenv("COURSE_PROGRESS", "1")
    ours = batched.train_stack(X, y, l1=l1, l2=l2, dropout=[0.0] * 2, epochs=epochs,
                               evaluate={"validation": sets["validation"], "test": sets["test"]}, progress="stack")
    shown = capsys.readouterr()
    assert "stack:" in shown.err and "0/4" in shown.err and shown.out == ""  # a bar of the epochs, and nothing else
    theirs = _plain_stack(kernel_1, kernel_2, l1, l2, units, [lr, lr], sets, epochs)
    np.testing.assert_allclose(ours["importance"], theirs["importance"], rtol=RTOL, atol=ATOL)
    for name in ("validation", "test"):
        y_part = sets[name][1]
        loss = np.stack([_bce(y_part, p).mean(axis=1) for p in theirs[name]])
        right = np.stack([((p > 0.5) == (y_part[..., None] > 0.5)).mean(axis=1) for p in theirs[name]])
        assert ours["loss"][name].shape == ours["accuracy"][name].shape == (epochs, 2, 2)
        np.testing.assert_allclose(ours["loss"][name], loss, rtol=RTOL, atol=ATOL)
        np.testing.assert_array_equal(ours["accuracy"][name], right)
    np.testing.assert_allclose(ours["train_loss"], _bce(y, theirs["train"]).mean(axis=1), rtol=RTOL, atol=ATOL)
    np.testing.assert_array_equal(ours["train_accuracy"], ((theirs["train"] > 0.5) == (y[..., None] > 0.5)).mean(axis=1))
    assert 0 < ours["seconds"] < 60
    assert np.abs(np.diff(ours["loss"]["validation"], axis=0)).min() > 1e-4  # every epoch moves: a skipped one shows


# ------------------------------------------------------------------ side by side (lesson 07) against plain Keras


def _side_data(rows: int, networks: int = 2, seed: int = 5) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(rows, networks, 4)).astype(np.float32)
    return X, (X[..., 0] > 0).astype(int) + (X[..., 1] > 0.5).astype(int)


def _recipe(seed: int, rate: float, hidden=(6, 5)) -> keras.Sequential:
    """The lesson's plain Keras network, built right after keras.utils.set_random_seed(seed)."""
    keras.utils.set_random_seed(seed)
    layers: list = [keras.Input((4,))]
    for units in hidden:
        layers.append(keras.layers.Dense(units, activation="relu"))
        if rate > 0:
            layers.append(keras.layers.Dropout(rate))
    return keras.Sequential([*layers, keras.layers.Dense(3, activation="softmax")])


def test_train_side_by_side_matches_fit_and_add_network_joins_a_plain_network(monkeypatch, capsys):
    """A network without dropout trained side by side (the default learning rate) records the curves that
    model.fit records for the same network: its "loss" and "val_loss" after every epoch. Then add_network puts a
    plain Keras network with Dropout(0.25) among them: it predicts there as Keras predicts it, the others keep
    their predictions, and early stopping's bookkeeping replayed on its history is keras.callbacks.EarlyStopping's
    on a curve with a later, lower second minimum (after the stop)."""
    from test_batched_against_keras import _keras_early_stopping

    X, y = _side_data(16)
    X_val, y_val = _side_data(9, seed=6)
    epochs, patience = 6, 2
    model = batched.build_side_by_side_mlp([4, 9], [0.0, 0.5], n_inputs=4, hidden=(6, 5), n_classes=3, seed=1)
    monkeypatch.setenv("COURSE_PROGRESS", "1")  # the bar, when shown, counts the epochs under its (stripped) label
    run = batched.train_side_by_side(model, X, y, X_val, y_val, epochs=epochs, patience=patience, progress=" side ")
    err = capsys.readouterr().err
    assert "side:" in err and " side" not in err and "0/6" in err
    monkeypatch.setenv("COURSE_PROGRESS", "0")
    plain = _recipe(4, 0.0)
    plain.compile(optimizer=keras.optimizers.Adam(3e-3), loss="sparse_categorical_crossentropy")
    history = plain.fit(X[:, 0], y[:, 0], batch_size=len(X), epochs=epochs, validation_data=(X_val[:, 0], y_val[:, 0]),
                        shuffle=False, verbose=0).history
    assert run["fit"].shape == run["validation"].shape == (epochs, 2)
    np.testing.assert_allclose(run["fit"][:, 0], history["loss"], rtol=RTOL, atol=ATOL)
    np.testing.assert_allclose(run["validation"][:, 0], history["val_loss"], rtol=RTOL, atol=ATOL)
    np.testing.assert_allclose(batched.predict_side_by_side(model, X_val, y_val)["proba"][:, 0],
                               plain.predict(X_val[:, 0], verbose=0), rtol=RTOL, atol=ATOL)
    assert run["model"] is model and run["early_stop"]["patience"] == patience

    before = batched.predict_side_by_side(model, X_val, y_val)["proba"]
    network = _recipe(2, 0.25)
    curve = {"loss": [1.5, 1.2, 1.1, 1.0, 0.9, 0.8], "val_loss": [1.4, 1.0, 1.1, 1.2, 0.5, 0.4]}  # stops after epoch 4
    merged, joined = batched.add_network(model, run, network, curve, index=1)
    assert merged.input_shape == (None, 3, 4) and joined["model"] is merged
    X3, y3 = np.insert(X_val, 1, X_val[:, 1], axis=1), np.insert(y_val, 1, y_val[:, 1], axis=1)
    after = batched.predict_side_by_side(merged, X3, y3)["proba"]
    np.testing.assert_allclose(after[:, 1], network.predict(X_val[:, 1], verbose=0), rtol=RTOL, atol=ATOL)
    np.testing.assert_allclose(after[:, [0, 2]], before, rtol=1e-6, atol=1e-7)  # another batch of matmuls: last bits
    np.testing.assert_allclose(joined["fit"][:, 1], curve["loss"], rtol=1e-7)  # (the run's training curve is float32)
    np.testing.assert_allclose(joined["validation"][:, 1], curve["val_loss"], rtol=1e-7)
    np.testing.assert_array_equal(joined["fit"][:, [0, 2]], run["fit"])
    np.testing.assert_array_equal(joined["validation"][:, [0, 2]], run["validation"])
    stop, old = joined["early_stop"], run["early_stop"]
    epochs_run, best_epoch = _keras_early_stopping(np.array(curve["val_loss"]), patience)
    assert (stop["stop_epoch"][1], stop["best"][1]) == (epochs_run, curve["val_loss"][best_epoch]) == (4, 1.0)
    assert stop["wait"][1] == epochs - 1 - best_epoch  # epochs since its best one, counted to the end
    for key in ("stop_epoch", "best", "wait"):
        np.testing.assert_array_equal(np.delete(stop[key], 1), old[key])
    assert stop["patience"] == patience
    for kept, ours, theirs in zip(stop["weights"], old["weights"], network.get_weights(), strict=True):
        np.testing.assert_array_equal(kept[1], theirs)  # not watched: its final weights
        np.testing.assert_array_equal(np.delete(kept, 1, axis=0), ours)
    assert batched.describe_network(merged, 1) == "Dense(6, relu) → Dropout(0.25) → Dense(5, relu) → Dropout(0.25) → Dense(3, softmax)"
    assert batched.describe_network(merged, 2) == batched.describe_network(model, 1)
    # the joined run goes on as any run: its kept weights predict with the model
    kept = batched.predict_side_by_side(merged, X3, y3, weights=stop["weights"])["proba"]
    np.testing.assert_allclose(kept[:, 1], after[:, 1])


def test_train_stack_learning_rates_per_member_are_keras_adams():
    """Each member's own learning rate (learning_rates) trains it as keras.optimizers.Adam(learning_rate=rate)
    trains the plain network alone: the same validation losses and importances after every epoch."""
    l1, l2, units, rates, epochs = [0.0, 0.01, 0.0], [0.02, 0.0, 0.0], 3, [0.08, 0.01, 0.05], 3
    sets = _stack_sets(seed=4, groups=1)
    X, y = sets["train"]
    kernel_1, kernel_2 = _stack_initial_weights(7, l1, l2, [0.0, 0.0, 0.5], units, (1, 16, 3))
    keras.utils.set_random_seed(7)
    ours = batched.train_stack(X, y, l1=l1, l2=l2, dropout=[0.0, 0.0, 0.5], units=units, epochs=epochs,
                               learning_rates=rates, learning_rate=5.0,
                               evaluate={"validation": sets["validation"], "train": (X, y)})
    theirs = _plain_stack(kernel_1[..., :2 * units], kernel_2[:, :2], l1[:2], l2[:2], units, rates, sets, epochs)
    np.testing.assert_allclose(ours["importance"][..., :2, :], theirs["importance"], rtol=RTOL, atol=ATOL)
    loss = np.stack([_bce(sets["validation"][1], p).mean(axis=1) for p in theirs["validation"]])
    np.testing.assert_allclose(ours["loss"]["validation"][..., :2], loss, rtol=RTOL, atol=ATOL)
    # the final training scores are inference-mode scores (dropout off), as those of any evaluated set
    np.testing.assert_allclose(ours["train_loss"], ours["loss"]["train"][-1], rtol=1e-6)
    np.testing.assert_array_equal(ours["train_accuracy"], ours["accuracy"]["train"][-1])
    assert np.all(np.abs(ours["importance"][-1] - ours["importance"][0]).max(axis=-1) > 1e-3)  # both members move


def test_stacked_dropout_has_keras_dropouts_scale_in_training_and_none_in_inference():
    """The stacked layer's dropout: in inference mode each member is the plain network without dropout; in
    training mode its mean output over many masks is that of the plain network with keras Dropout(rate)
    (inverted dropout: kept units scaled by 1 / (1 - rate)); a member with rate 0 is untouched."""
    rate, units = 0.5, 32
    keras.utils.set_random_seed(2)
    layer = batched._StackedMLP([0.0, 0.0], [0.0, 0.0], [rate, 0.0], units)
    X = np.repeat(np.random.default_rng(1).normal(size=(1, 1, 3)).astype(np.float32), 4000, axis=1)
    layer.build(X.shape)
    kernel_1, kernel_2 = (keras.ops.convert_to_numpy(w) for w in (layer.kernel_1, layer.kernel_2))
    plain = keras.Sequential([keras.Input((3,)), keras.layers.Dense(units, activation="relu"), keras.layers.Dropout(rate),
                              keras.layers.Dense(1, activation="sigmoid")])
    plain.set_weights([kernel_1[0][:, :units], np.zeros(units, np.float32), kernel_2[0, 0][:, None], np.zeros(1, np.float32)])
    inference = keras.ops.convert_to_numpy(layer(X, training=False))[0]
    np.testing.assert_allclose(inference[:, 0], keras.ops.convert_to_numpy(plain(X[0], training=False))[:, 0], rtol=1e-5)
    np.testing.assert_allclose(inference[:, 1], inference[:, 0], rtol=1e-6)  # the same initial weights
    training = keras.ops.convert_to_numpy(layer(X, training=True))[0]
    theirs = keras.ops.convert_to_numpy(plain(X[0], training=True))[:, 0]
    assert training[:, 0].std() > 0.01 and abs(training[:, 0].mean() - theirs.mean()) < 0.01
    assert abs(training[:, 0].std() - theirs.std()) < 0.01
    np.testing.assert_array_equal(training[:, 1], inference[:, 1])  # rate 0: no mask


# ------------------------------------------------------------------ arguments at their bounds: named, and the bound itself


_S = _stack_sets(groups=1)


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"units": 0}, ValueError, r"^units must be >= 1"),
        ({"units": 10_001}, ValueError, r"^units must be <= 10000"),
        ({"epochs": 0}, ValueError, r"^epochs must be >= 1"),
        ({"epochs": 2_001}, ValueError, r"^epochs must be <= 2000"),
        ({"learning_rate": 0.0}, ValueError, r"^learning_rate must be > 0"),
        ({"learning_rate": 10.5}, ValueError, r"^learning_rate must be <= 10"),
        ({"learning_rates": [10.5]}, ValueError, r"^learning_rates must be <= 10"),
        ({"learning_rates": [0.0]}, ValueError, r"^learning_rates must all be greater than 0 \(Adam's step size of each member\)$"),
        ({"learning_rates": [0.1, 0.1]}, ValueError, r"^learning_rates needs one value per member \(1\), got 2"),
        ({"l1": [1.5e6]}, ValueError, r"^l1 must be <= 1"),
        ({"l1": [1_000_000.5]}, ValueError, r"^l1 must be <= 1000000\.0, got 1000000\.5$"),  # just past the bound
        ({"l2": [1_000_000.5]}, ValueError, r"^l2 must be <= 1000000\.0, got 1000000\.5$"),
        ({"progress": " "}, ValueError, r"^progress must be a short label"),
        ({"l1": [[0.0]]}, ValueError, r"^l1 must have 1 dimension\(s\), got shape \(1, 1\)$"),
        ({"y_train": np.zeros(16)}, ValueError, r"^y_train must have 2 dimension\(s\), got shape \(16,\)$"),
        ({"l2": [-0.5]}, ValueError, r"^l2 must be >= 0"),
        ({"dropout": [1.0]}, ValueError, r"^dropout must be < 1"),
        ({"dropout": [0.0, 0.0]}, ValueError, r"^l1, l2 and dropout need one value per member each; got lengths 1, 1, 2"),
        ({"evaluate": [("a", "b")]}, TypeError, r"^evaluate must be a dict of name to \(X, y\), got list"),
        ({"evaluate": {1: _S["test"]}}, TypeError, r"^evaluate must be a string, got int"),  # a key that is no name
        ({"evaluate": {"v": [_S["test"][0], _S["test"][1]]}}, TypeError, r"^evaluate\['v'\] must be a tuple \(X, y\), got list"),
        ({"evaluate": {"v": (_S["test"][0][..., :2], _S["test"][1])}}, ValueError, r"^evaluate\['v'\] X has 2 inputs but X_train has 3"),
        ({"evaluate": {"v": (_S["test"][0], _S["test"][1][:, :3])}}, ValueError, r"^evaluate\['v'\] y must have shape"),
        ({"evaluate": {"v": (_S["test"][0], _S["test"][1] + 1)}}, ValueError, r"^evaluate\['v'\] y must hold binary labels"),
        ({"X_train": np.zeros((16, 3))}, ValueError, r"^X_train must have 3 dimensions|^X_train"),
        ({"evaluate": {"v": (np.zeros((2, 5, 3)), np.zeros((2, 5)))}}, ValueError, r"^evaluate\['v'\] X has 2 groups but X_train has 1"),
        ({"X_train": np.zeros((1, 0, 3))}, ValueError, r"^X_train must have at least one group, one row and one input"),
        ({"X_train": np.zeros((1, 16, 0))}, ValueError, r"^X_train must have at least one group"),
        ({"y_train": np.zeros((1, 15))}, ValueError, r"^y_train must have shape \(groups, rows\) = \(1, 16\) to match X_train"),
    ],
)
def test_train_stack_names_the_argument_out_of_bounds(kwargs, error, match):
    X, y = _S["train"]
    args = {"X_train": X, "y_train": y, "l1": [0.0], "l2": [0.0], "dropout": [0.0], "units": 2, "epochs": 1, **kwargs}
    with pytest.raises(error, match=match):
        batched.train_stack(args.pop("X_train"), args.pop("y_train"), **args)


def test_train_stack_takes_every_bound_itself_and_limits_what_it_records(monkeypatch):
    """The largest accepted values train; one more recorded number (epochs x groups x members x inputs) or weight
    (groups x members x units x inputs) than the limit is refused."""
    sets = _stack_sets(groups=2)
    X, y = sets["train"]
    monkeypatch.setattr(batched, "MAX_STACK_VALUES", 36)  # 3 epochs x 2 groups x 2 members x 3 inputs, and 2 x 2 x 3 units x 3
    two = {"l1": [1e6, 0.0], "l2": [0.0, 1e6], "dropout": [0.0, 0.999]}
    record = batched.train_stack(X, y, **two, units=3, epochs=3, learning_rate=10.0, learning_rates=[10.0, 10.0],
                                 evaluate={"v": sets["test"]})
    assert record["loss"]["v"].shape == (3, 2, 2) and np.all(np.isfinite(record["loss"]["v"]))
    with pytest.raises(ValueError, match=r"^epochs x groups x members x inputs = 48 numbers to record \(or as many "
                                         r"weights\) is more than 36"):
        batched.train_stack(X, y, **two, units=3, epochs=4)
    with pytest.raises(ValueError, match=r"^epochs x groups x members x inputs = 12 numbers .* more than 36"):
        batched.train_stack(X, y, **two, units=4, epochs=1)  # 2 x 2 x 4 x 3 = 48 weights


def test_train_stack_scores_are_keras_binary_cross_entropy_and_accuracy_at_the_edges():
    """Predictions of exactly 0.5 (an all-zero row before any real step: ReLU gives 0, the biases start at 0)
    count as class 0, as keras.metrics.binary_accuracy's `y_pred > 0.5`, and cost log 2; predictions saturated
    at exactly 0 or 1 (huge inputs) are clipped as Keras clips them, so a wrong one costs -log(1e-7), not inf."""
    rng = np.random.default_rng(0)
    keras.utils.set_random_seed(0)  # a start whose 8 units are not all of one sign: no row's hidden layer is all 0
    X, y = rng.normal(size=(1, 8, 1)).astype(np.float32), np.array([[0, 1] * 4])  # one input is enough
    zeros, y_zeros = np.zeros((1, 4, 1), np.float32), np.array([[0, 1, 1, 1]])
    huge = np.concatenate([X, -X], axis=1) * 1e6
    y_huge = np.concatenate([y, 1 - y], axis=1)  # every prediction is wrong on one half or the other
    record = batched.train_stack(huge, y_huge, l1=[0.0], l2=[0.0], dropout=[0.0], units=8, epochs=1, learning_rate=1e-30,
                                 evaluate={"zeros": (zeros, y_zeros), "huge": (huge, y_huge), "one row": (zeros[:, :1], y_zeros[:, :1])})
    assert record["accuracy"]["one row"][0, 0, 0] == 1.0  # (a part of one row is enough)
    assert record["accuracy"]["zeros"][0, 0, 0] == keras.ops.convert_to_numpy(
        keras.metrics.binary_accuracy(y_zeros[0].astype(np.float32), np.full(4, 0.5, np.float32))).mean() == 0.25
    assert record["loss"]["zeros"][0, 0, 0] == pytest.approx(np.log(2), rel=1e-6)
    loss = record["loss"]["huge"][0, 0, 0]
    assert np.isfinite(loss) and 1 < loss <= -np.log(1e-7) + 1e-6  # many rows saturated wrong, each at most -log(1e-7)
    right = record["accuracy"]["huge"][0, 0, 0]  # every prediction is exactly 0 or 1: clipped in float64, a wrong
    assert loss == pytest.approx((1 - right) * -np.log(1e-7) + right * -np.log(1 - 1e-7), rel=1e-9)  # one costs 16.1
    assert record["train_loss"][0, 0] == pytest.approx(loss) and np.isfinite(record["importance"]).all()



def _side_args(**kwargs):
    return {"seeds": [1, 2], "rates": [0.0, 0.5], "n_inputs": 4, "hidden": (3,), "n_classes": 3, "seed": 0, **kwargs}


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"seeds": [1, 2**32]}, ValueError, r"^each item of seeds must be <= 4294967295|^seeds"),
        ({"rates": [0.0, -0.1]}, ValueError, r"^each item of rates must be >= 0"),
        ({"rates": [0.0, 1.0]}, ValueError, r"^each item of rates must be < 1"),
        ({"rates": [0.0]}, ValueError, r"^seeds and rates need one value per network each; got 2 seeds and 1 rates"),
        ({"n_inputs": 0}, ValueError, r"^n_inputs must be >= 1"),
        ({"hidden": (0,)}, ValueError, r"hidden"),
        ({"n_classes": 1}, ValueError, r"^n_classes must be >= 2"),
        ({"seed": -1}, ValueError, r"^seed must be >= 0"),
        ({"seed": 2**32 - 2, "hidden": (3, 3)}, ValueError, r"^seed must be <= 4294967293"),
        ({"name": 3}, TypeError, r"^name"),
        ({"seeds": [0] * 10_001, "rates": [0.0] * 10_001}, ValueError, r"^seeds must have at most 10000 items, got 10001"),
        ({"seeds": "12"}, TypeError, r"^seeds must be a sequence of whole numbers such as \[42, 43\]"),
        ({"rates": 0.5}, TypeError, r"^rates must be a sequence of drop rates such as \[0\.0, 0\.5\]"),
        ({"hidden": (1,) * 101}, ValueError, r"^hidden must have at most 100 items, got 101"),
        ({"hidden": 8}, TypeError, r"^hidden must be a sequence of whole numbers such as \(256, 256\)"),
        ({"hidden": (100_001,)}, ValueError, r"hidden.* must be <= 100000"),
        ({"n_inputs": 100_001}, ValueError, r"^n_inputs must be <= 100000"),
        ({"n_classes": 100_001}, ValueError, r"^n_classes must be <= 100000"),
    ],
)
def test_build_side_by_side_mlp_names_the_argument_out_of_bounds(kwargs, error, match):
    with pytest.raises(error, match=match):
        batched.build_side_by_side_mlp(**_side_args(**kwargs))


def test_build_side_by_side_mlp_takes_its_bounds_and_limits_its_weights(monkeypatch):
    model = batched.build_side_by_side_mlp(**_side_args(seeds=[0, 2**32 - 1], rates=[0.0, 0.999], n_inputs=1,
                                                        hidden=(1, 1), n_classes=2, seed=2**32 - 3, name="edge"))
    assert model.name == "edge" and [w.shape for w in model.get_weights()][0::2] == [(2, 1, 1), (2, 1, 1), (2, 1, 2)]
    monkeypatch.setattr(batched, "MAX_SIDE_BY_SIDE_WEIGHTS", 2 * (4 * 3 + 3 * 3))  # networks x weights each
    batched.build_side_by_side_mlp(**_side_args())
    with pytest.raises(ValueError, match=r"^3 networks of 21 weights each is more than 42 in all"):
        batched.build_side_by_side_mlp(**_side_args(seeds=[1, 2, 3], rates=[0.0, 0.0, 0.0]))


def test_describe_network_names_each_networks_layers_as_model_checks_summary():
    """describe_network gives, for each network, what utils.model_checks.summary gives for the plain Keras
    network it stands for (a rate of 0: no Dropout layer); the index is bounded by the number of networks."""
    model = batched.build_side_by_side_mlp([1, 1, 2], [0.5, 0.0, 0.125], n_inputs=4, hidden=(6, 5), n_classes=3, seed=0)
    for index, rate in enumerate([0.5, 0.0, 0.125]):
        expected = model_checks.summary(model_checks.layers_of(_recipe(index, rate)))
        assert batched.describe_network(model, index) == expected
    assert batched.describe_network(model, 1) == "Dense(6, relu) → Dense(5, relu) → Dense(3, softmax)"
    assert model.name == "side_by_side"  # the documented default name
    with pytest.raises(ValueError, match=r"^index must be <= 2"):
        batched.describe_network(model, 3)
    with pytest.raises(ValueError, match=r"^index must be >= 0"):
        batched.describe_network(model, -1)


def _side_run(model: keras.Model, epochs: int = 3) -> dict:
    """A run dict shaped as train_side_by_side returns it, without training (for add_network's checks)."""
    n = model.input_shape[1]
    return {"model": model, "fit": np.ones((epochs, n), np.float32), "validation": np.ones((epochs, n)),
            "early_stop": {"patience": 2, "stop_epoch": np.full(n, epochs), "best": np.ones(n), "wait": np.zeros(n, int),
                           "weights": model.get_weights()}}


@pytest.mark.parametrize(
    ("change", "error", "match"),
    [
        ({"index": 3}, ValueError, r"^index must be <= 2"),
        ({"index": -1}, ValueError, r"^index must be >= 0"),
        ({"run": [1]}, TypeError, r"^run must be the dict that train_side_by_side returned"),
        ({"run": {"fit": 1, "validation": 1}}, TypeError, r"^run must be the dict"),
        ({"history": {"loss": [1.0] * 3}}, TypeError, r"^history must be what fit\(\.\.\., validation_data=\.\.\.\) returned: "
         r"a History, or its \.history dict with 'loss' and 'val_loss'$"),
        ({"history": {"loss": [1.0] * 2, "val_loss": [1.0] * 2}}, ValueError,
         r"^history must hold one loss and one val_loss per epoch of the run \(3\), got 2 and 2"),
        ({"history": {"loss": [1.0] * 3, "val_loss": [1.0] * 4}}, ValueError, r"^history must hold .* got 3 and 4"),
        ({"network": "recipe"}, TypeError, r"^network"),
        ({"hidden": (6,)}, ValueError, r"^network must have the layers of one side-by-side network: weights of shapes "
         r"\[\(4, 6\), \(6,\), \(6, 5\), \(5,\), \(5, 3\), \(3,\)\], got \[\(4, 6\), \(6,\), \(6, 3\), \(3,\)\]"),
        ({"hidden": (6, 4)}, ValueError, r"^network must have the layers of one side-by-side network"),
        ({"rates": (0.1, 0.2)}, ValueError, r"^network must use one dropout rate after every hidden layer, got \[0\.1, 0\.2\]"),
    ],
)
def test_add_network_names_what_does_not_fit(change, error, match):
    model = batched.build_side_by_side_mlp([1, 2], [0.0, 0.5], n_inputs=4, hidden=(6, 5), n_classes=3, seed=0)
    rates, hidden = change.pop("rates", (0.3, 0.3)), change.pop("hidden", (6, 5))
    keras.utils.set_random_seed(0)
    layers: list = [keras.Input((4,))]
    for units, rate in zip(hidden, rates, strict=False):
        layers += [keras.layers.Dense(units, activation="relu"), keras.layers.Dropout(rate)]
    network = keras.Sequential([*layers, keras.layers.Dense(3, activation="softmax")])
    args = {"run": _side_run(model), "network": network, "history": {"loss": [1.0] * 3, "val_loss": [1.0] * 3},
            "index": 0, **change}
    with pytest.raises(error, match=match):
        batched.add_network(model, args["run"], args["network"], args["history"], index=args["index"])


def test_add_network_appends_at_the_last_index_and_keeps_the_history_object():
    """index = the number of networks puts it last; a History object works as its .history dict; a network with
    no dropout gets rate 0 (no Dropout in its description); a curve that never stops keeps its lowest value, and
    a tie with it is no improvement (as in keras.callbacks.EarlyStopping: one epoch waited)."""
    model = batched.build_side_by_side_mlp([1, 2], [0.0, 0.5], n_inputs=4, hidden=(6, 5), n_classes=3, seed=0)
    network = _recipe(3, 0.0)
    history = keras.callbacks.History()
    history.history = {"loss": [0.9, 0.8, 0.7], "val_loss": [0.95, 0.85, 0.85]}  # a tie is no improvement
    run = _side_run(model)
    del run["model"]  # what add_network needs of a run: its curves and early stopping's record
    merged, joined = batched.add_network(model, run, network, history, index=2)
    assert merged.name == model.name
    X, y = _side_data(5, networks=3)
    np.testing.assert_allclose(batched.predict_side_by_side(merged, X, y)["proba"][:, 2],
                               network.predict(X[:, 2], verbose=0), rtol=RTOL, atol=ATOL)
    assert batched.describe_network(merged, 2) == "Dense(6, relu) → Dense(5, relu) → Dense(3, softmax)"
    assert batched.describe_network(merged, 1).count("Dropout(0.5)") == 2
    stop = joined["early_stop"]
    assert (stop["stop_epoch"][2], stop["best"][2], stop["wait"][2]) == (3, 0.85, 1)
    np.testing.assert_allclose(joined["validation"][:, 2], [0.95, 0.85, 0.85])


@pytest.mark.parametrize(
    ("change", "error", "match"),
    [
        ({"learning_rate": 10.5}, ValueError, r"^learning_rate must be <= 10"),
        ({"learning_rate": 0.0}, ValueError, r"^learning_rate must be > 0"),
        ({"patience": 2_001}, ValueError, r"^patience must be <= 2000"),
        ({"patience": 0}, ValueError, r"^patience must be >= 1, got 0"),
        ({"X_train": np.zeros((16, 2, 3))}, ValueError, r"^X_train must have shape \(examples, 2 networks, 4 inputs\)"),
        ({"X_train": np.zeros((16, 8))}, ValueError, r"^X_train must have 3 dimension\(s\), got shape \(16, 8\)"),
        ({"epochs": 2_001}, ValueError, r"^epochs must be <= 2000"),
        ({"progress": " "}, ValueError, r"^progress must be a short label"),
        ({"X_val": np.zeros((5, 2, 3))}, ValueError, r"^X_val must have shape \(examples, 2 networks, 4 inputs\)"),
        ({"y_val": np.zeros((4, 2))}, ValueError, r"^y_val must have shape \(examples, networks\) = \(5, 2\) to match X_val"),
        ({"y_train": -np.ones((16, 2))}, ValueError, r"^y_train must hold integer class labels from 0 to 2"),
        ({"y_train": np.full((16, 2), 1.5)}, ValueError, r"^y_train must hold integer class labels"),
        ({"watch": np.array([1.0, 0.0])}, TypeError, r"^watch must hold True or False, one per network, got dtype float64"),
        ({"watch": np.array([True])}, ValueError, r"^watch must have one value per network \(2\), got 1"),
        ({"watch": np.array([[True, False]])}, ValueError, r"^watch must have 1 dimension\(s\), got shape \(1, 2\)"),
        ({"y_train": np.zeros(16)}, ValueError, r"^y_train must have 2 dimension\(s\), got shape \(16,\)"),
    ],
)
def test_train_side_by_side_names_what_is_wrong(change, error, match):
    X, y = _side_data(16)
    X_val, y_val = _side_data(5, seed=1)
    model = batched.build_side_by_side_mlp([1, 2], [0.0, 0.5], n_inputs=4, hidden=(3,), n_classes=3, seed=0)
    args = {"X_train": X, "y_train": y, "X_val": X_val, "y_val": y_val, "epochs": 1, **change}
    with pytest.raises(error, match=match):
        batched.train_side_by_side(model, **args)


def test_predict_side_by_side_takes_float_labels_and_names_wrong_weights():
    """Labels given as whole floats give the same result as ints; the largest class is a valid label; weights of
    another count or shape are refused naming what model.get_weights() holds, and the model keeps its own."""
    model = batched.build_side_by_side_mlp([1, 2], [0.0, 0.5], n_inputs=4, hidden=(3,), n_classes=3, seed=0)
    X, y = _side_data(6)
    y[0] = 2
    ints = batched.predict_side_by_side(model, X, y)
    floats = batched.predict_side_by_side(model, X, y.astype(float))
    for key in ("loss", "right", "proba"):
        np.testing.assert_array_equal(floats[key], ints[key])
    proba = ints["proba"]
    np.testing.assert_allclose(ints["loss"], -np.log(np.take_along_axis(proba, y[..., None], axis=-1)[..., 0]), rtol=1e-6)
    np.testing.assert_array_equal(ints["right"], proba.argmax(axis=-1) == y)
    weights = model.get_weights()
    with pytest.raises(ValueError, match=r"^weights must match model.get_weights\(\): 4 arrays of shapes .*; got 3 items"):
        batched.predict_side_by_side(model, X, y, weights=weights[:3])
    with pytest.raises(ValueError, match=r"^weights must match model.get_weights\(\): .*; got shapes"):
        batched.predict_side_by_side(model, X, y, weights=[w[:1] for w in weights])
    zero = batched.predict_side_by_side(model, X, y, weights=[np.zeros_like(w) for w in weights])["proba"]
    np.testing.assert_allclose(zero, 1 / 3, rtol=1e-6)  # all-zero weights: uniform probabilities
    for now, before in zip(model.get_weights(), weights, strict=True):
        np.testing.assert_array_equal(now, before)


def test_side_by_side_data_refuses_empty_and_mismatched_splits():
    import dataclasses

    from utils import data

    a = data.load_digits_split(n_train=40, n_val=30, seed=1)
    b = data.load_digits_split(n_train=40, n_val=20, seed=2)
    X, y = batched.side_by_side_data([a, b], "train")
    assert X.shape == (40, 2, 64) and X.dtype == np.float32
    np.testing.assert_array_equal(y[:, 1], b.y_train)
    with pytest.raises(ValueError, match=r"^splits must all have the same shape of X_val, got \[\(20, 64\), \(30, 64\)\]"):
        batched.side_by_side_data([a, b], "val")
    one = dataclasses.replace(a, X_val=a.X_val[:1], y_val=a.y_val[:1])
    assert batched.side_by_side_data([one, one], "val")[0].shape == (1, 2, 64)  # one row is enough
    with pytest.raises(ValueError, match=r"^splits have no rows in part 'val'"):
        batched.side_by_side_data([dataclasses.replace(a, X_val=a.X_val[:0], y_val=a.y_val[:0])], "val")
    with pytest.raises(ValueError, match=r"^part must be one of"):
        batched.side_by_side_data([a], "validation")
    assert batched.side_by_side_data([one, a], "test")[0].shape == (len(a.X_test), 2, 64)  # every part by name
    with pytest.raises(TypeError, match=r"^splits must be a sequence of utils.data.Split objects such as \[split_42, "
                                        r"split_43\]"):
        batched.side_by_side_data(3, "val")
    with pytest.raises(ValueError, match=r"^splits must not be empty: give one utils.data.Split per network"):
        batched.side_by_side_data([], "val")
    with pytest.raises(TypeError, match=r"^each item of splits must be a utils.data.Split, got int"):
        batched.side_by_side_data([a, 3], "val")
    with pytest.raises(TypeError, match=r"^splits must be a sequence of utils.data.Split \(one per network\), got a single "
                                        r"Split; write \[split\]"):
        batched.side_by_side_data(a, "val")


def test_train_side_by_side_default_patience_and_ties_are_keras_early_stoppings(monkeypatch):
    """Scripted validation curves (the training is real): with the default patience (10), a curve that ties its
    best value for ten epochs stops as keras.callbacks.EarlyStopping(patience=10) stops it (a tie is no
    improvement), and keeps its first best value; one that improves by a little every epoch never stops."""
    from test_batched_against_keras import _keras_early_stopping

    epochs = 13
    curves = np.array([[2.0, 1.0] + [1.0] * 10 + [0.5], np.linspace(2.0, 1.0, epochs)]).T
    calls = iter(range(epochs))
    monkeypatch.setattr(batched, "_side_by_side_cross_entropy", lambda proba, y: curves[next(calls)][None, :])
    X, y = _side_data(8)
    model = batched.build_side_by_side_mlp([1, 2], [0.0, 0.0], n_inputs=4, hidden=(3,), n_classes=3, seed=0)
    stop = batched.train_side_by_side(model, X, y, X, y, epochs=epochs)["early_stop"]
    assert stop["patience"] == 10
    for n in range(2):
        epochs_run, best_epoch = _keras_early_stopping(curves[:, n], 10)
        assert (stop["stop_epoch"][n], stop["best"][n]) == (epochs_run, curves[best_epoch, n])
    assert stop["stop_epoch"].tolist() == [12, epochs] and stop["best"][0] == 1.0
    assert stop["wait"].tolist() == [11, 0]  # epochs since the best one, counted to the end


def test_train_side_by_side_takes_the_smallest_patience_as_keras_early_stopping(monkeypatch):
    """patience=1, the smallest accepted: a curve that rises once stops there, as EarlyStopping(patience=1) stops."""
    from test_batched_against_keras import _keras_early_stopping

    curves = np.array([[2.0, 1.0, 1.5, 0.5], [2.0, 1.5, 1.0, 0.5]]).T
    calls = iter(range(len(curves)))
    monkeypatch.setattr(batched, "_side_by_side_cross_entropy", lambda proba, y: curves[next(calls)][None, :])
    X, y = _side_data(8)
    model = batched.build_side_by_side_mlp([1, 2], [0.0, 0.0], n_inputs=4, hidden=(3,), n_classes=3, seed=0)
    stop = batched.train_side_by_side(model, X, y, X, y, epochs=len(curves), patience=1)["early_stop"]
    for n in range(2):
        epochs_run, best_epoch = _keras_early_stopping(curves[:, n], 1)
        assert (stop["stop_epoch"][n], stop["best"][n]) == (epochs_run, curves[best_epoch, n])
    assert stop["stop_epoch"].tolist() == [3, 4]
    assert stop["wait"].tolist() == [2, 0] and np.issubdtype(stop["wait"].dtype, np.integer)  # epochs, counted


def test_add_network_refuses_a_run_whose_kept_weights_are_not_the_models():
    """A run whose early-stopping weights have one array fewer than the model's is refused, not cut short."""
    model = batched.build_side_by_side_mlp([1, 2], [0.0, 0.5], n_inputs=4, hidden=(6, 5), n_classes=3, seed=0)
    run = _side_run(model)
    run["early_stop"]["weights"] = run["early_stop"]["weights"][:-1]
    with pytest.raises(ValueError):
        batched.add_network(model, run, _recipe(3, 0.0), {"loss": [1.0] * 3, "val_loss": [1.0] * 3}, index=0)


def test_stacked_initial_weights_are_keras_glorot_uniform():
    """The stacked networks start as Dense's default initializer (GlorotUniform) starts them: uniform on
    [-limit, limit] with Keras's limit for (inputs, units) and for (units, 1), every member of a group from the
    same draw, different groups from different draws, zero biases (its limit is read off Keras's own draws)."""

    def keras_limit(fan_in: int, fan_out: int) -> float:
        draws = [keras.ops.convert_to_numpy(keras.initializers.GlorotUniform(seed=s)((fan_in, fan_out))) for s in range(20)]
        return float(np.abs(np.concatenate([d.ravel() for d in draws])).max())  # within 0.05% of the limit

    keras.utils.set_random_seed(0)
    layer = batched._StackedMLP([0.0] * 2, [0.0] * 2, [0.0] * 2, units=40)
    layer.build((50, 1, 60))
    kernel_1, kernel_2 = (keras.ops.convert_to_numpy(w) for w in (layer.kernel_1, layer.kernel_2))
    for weights, limit in ((kernel_1[..., :40], keras_limit(60, 40)), (kernel_2[:, 0], keras_limit(40, 1))):
        assert weights.max() == pytest.approx(limit, rel=5e-3) and weights.min() == pytest.approx(-limit, rel=5e-3)
        assert abs(weights.mean()) < 0.02 * limit and len(np.unique(weights)) > 0.9 * weights.size
    np.testing.assert_array_equal(kernel_1[..., :40], kernel_1[..., 40:])  # members of a group: the same start
    np.testing.assert_array_equal(kernel_2[:, 0], kernel_2[:, 1])
    assert not np.array_equal(kernel_1[0], kernel_1[1]) and not np.array_equal(kernel_2[0], kernel_2[1])
    for weights in (layer.bias_1, layer.bias_2):
        np.testing.assert_array_equal(keras.ops.convert_to_numpy(weights), 0.0)


def test_side_by_side_helpers_refuse_a_model_with_no_fixed_number_of_networks():
    """A Keras model shaped (examples, networks, inputs) whose number of networks is not fixed is not a
    side-by-side model: every helper says so (it would be built by hand, not by build_side_by_side_mlp)."""
    inputs = keras.Input((None, 4))
    model = keras.Model(inputs, keras.layers.Dense(3, activation="softmax")(inputs))
    X, y = _side_data(5)
    with pytest.raises(ValueError, match=r"^model must come from utils.batched.build_side_by_side_mlp"):
        batched.predict_side_by_side(model, X, y)
    with pytest.raises(ValueError, match=r"^model must come from"):
        batched.describe_network(model, 0)


def test_side_by_side_dropout_layer_k_draws_its_masks_from_seed_plus_k():
    """As documented, hidden layer k's masks come from seed + k: layer 1 of a model built with seed s draws the
    masks layer 0 of a model built with seed s + 1 draws (the same networks and rates)."""
    def dropouts(seed: int) -> list:
        model = batched.build_side_by_side_mlp([1, 2], [0.5, 0.25], n_inputs=4, hidden=(6, 6), n_classes=3, seed=seed)
        return [layer for layer in model.layers if isinstance(layer, batched._SideBySideDropout)]

    h = np.ones((2, 50, 6), np.float32)
    first, second = dropouts(7), dropouts(8)
    masks = [keras.ops.convert_to_numpy(layer(h, training=True)) for layer in (first[1], second[0], first[0])]
    np.testing.assert_array_equal(masks[0], masks[1])
    assert not np.array_equal(masks[0], masks[2])


def test_predict_side_by_side_clips_a_vanishing_probability_and_names_a_non_sequence():
    """A true class whose probability underflows to 0 costs -log(1e-7), as Keras's clip makes it, not inf; weights
    that are not a sequence are refused naming what is expected."""
    model = batched.build_side_by_side_mlp([1], [0.0], n_inputs=4, hidden=(3,), n_classes=3, seed=0)
    X, y = _side_data(20, networks=1)
    big = [w * 1e3 for w in model.get_weights()]
    result = batched.predict_side_by_side(model, X * 1e3, y, weights=big)
    assert (result["proba"] == 0).any() and np.isfinite(result["loss"]).all()
    assert result["loss"].max() == pytest.approx(-np.log(1e-7), rel=1e-6)
    with pytest.raises(TypeError, match=r"^weights must be a sequence of arrays as model.get_weights\(\) gives them such "
                                        r"as model.get_weights\(\)"):
        batched.predict_side_by_side(model, X, y, weights=3)


def test_predict_side_by_side_names_the_argument_that_is_wrong():
    """Inputs or labels of the wrong shape, a weight that is no array and an empty one are refused naming the
    argument, and which item (an empty weight is a weight of the wrong shape)."""
    model = batched.build_side_by_side_mlp([1, 2], [0.0, 0.5], n_inputs=4, hidden=(3,), n_classes=3, seed=0)
    X, y = _side_data(6)
    with pytest.raises(ValueError, match=r"^X must have shape \(examples, 2 networks, 4 inputs\) for this model, got \(6, 2, 3\)$"):
        batched.predict_side_by_side(model, X[..., :3], y)
    with pytest.raises(TypeError, match=r"^model must be a keras.Model \(e.g. from utils.models.build_mlp\), got str"):
        batched.predict_side_by_side("model", X, y)
    with pytest.raises(ValueError, match=r"^y must have 2 dimension\(s\), got shape \(6,\)$"):
        batched.predict_side_by_side(model, X, y[:, 0])
    weights = model.get_weights()
    with pytest.raises(TypeError, match=r"^weights\[1\] must be array-like \(a NumPy array, list or DataFrame\), got NoneType$"):
        batched.predict_side_by_side(model, X, y, weights=[weights[0], None, *weights[2:]])
    with pytest.raises(ValueError, match=r"^weights must match model.get_weights\(\): 4 arrays of shapes .*; got shapes "
                                         r"\[\(0, 4, 3\), "):
        batched.predict_side_by_side(model, X, y, weights=[np.zeros((0, 4, 3)), *weights[1:]])


def test_train_stack_traces_its_training_step_once(traced_steps):
    """train_stack builds Adam's slots before fit, so Keras traces the stacked step once, not twice."""
    rng = np.random.default_rng(0)
    X = rng.standard_normal((2, 30, 4)).astype("float32")
    y = (X[..., 0] > 0).astype("float32")
    batched.train_stack(X, y, l1=[0.0, 0.01], l2=[0.0, 0.0], dropout=[0.0, 0.5], units=3, epochs=3)
    assert traced_steps["traces"] == 1


# ------------------------------------------------------------------ found by a review of the mutation survivors


def test_side_by_side_mlp_gives_one_seed_without_then_with_dropout_each_recipes_weights():
    """The same seed for a network without dropout and then one with: each starts from its own recipe's weights
    (the recipe with Dropout layers draws its kernels too)."""
    model = batched.build_side_by_side_mlp([5, 5], [0.0, 0.5], n_inputs=4, hidden=(6, 5), n_classes=3, seed=0)
    kernels = model.get_weights()[0::2]
    for n, rate in enumerate((0.0, 0.5)):
        for got, want in zip(kernels, _recipe(5, rate).get_weights()[0::2], strict=True):
            np.testing.assert_array_equal(got[n], want)


def test_add_network_keeps_the_seeds_of_one_or_two_hidden_layers_and_replays_keras_on_a_nan_start():
    """A model with one hidden layer (one dropout layer) takes a network too; the merged model's dropout layers keep
    the model's seeds (seed, seed + 1, ...), as build_side_by_side_mlp gives them. A first val_loss of NaN (a fit
    that diverged) counts as no improvement and starts the wait at 1, so a network that then improves every epoch
    is not stopped (hand-computed; Keras 3's EarlyStopping differs here: it keeps the NaN as its best and stops)."""
    curve = [np.nan, 1.0, 0.9]
    for hidden, seeds in (((3,), [7]), ((6, 5), [7, 8])):
        model = batched.build_side_by_side_mlp([1, 2], [0.0, 0.5], n_inputs=4, hidden=hidden, n_classes=3, seed=7)
        keras.utils.set_random_seed(0)
        layers: list = [keras.Input((4,))]
        for units in hidden:
            layers += [keras.layers.Dense(units, activation="relu"), keras.layers.Dropout(0.25)]
        network = keras.Sequential([*layers, keras.layers.Dense(3, activation="softmax")])
        merged, joined = batched.add_network(model, _side_run(model), network, {"loss": [1.0] * 3, "val_loss": curve},
                                             index=1)
        drops = [layer for layer in merged.layers if isinstance(layer, batched._SideBySideDropout)]
        assert [d.seed for d in drops] == seeds
        np.testing.assert_array_equal(drops[0].rates, [0.0, 0.25, 0.5])
        stop = joined["early_stop"]  # patience 2 (_side_run): waits 1, 0, 0
        assert (stop["stop_epoch"][1], stop["best"][1], stop["wait"][1]) == (3, 0.9, 0)


@pytest.mark.parametrize("kind", ["subclassed", "unbuilt Sequential"])
def test_side_by_side_functions_refuse_a_model_they_did_not_build(kind):
    """A Keras model without input and output shapes is refused with the documented message, not an AttributeError."""

    class Plain(keras.Model):
        def call(self, x):
            return x

    model = Plain() if kind == "subclassed" else keras.Sequential([keras.layers.Dense(2)])
    with pytest.raises(ValueError, match=r"^model must come from utils\.batched\.build_side_by_side_mlp"):
        batched.predict_side_by_side(model, np.zeros((1, 2, 4)), np.zeros((1, 2), int))


def test_train_stack_warns_nothing_and_takes_one_seed_from_pythons_random(recwarn):
    """No UserWarning (fit warns when told to shuffle a tf.data.Dataset); and after keras.utils.set_random_seed it
    leaves Python's random stream where one unseeded keras.random.SeedGenerator leaves it, so the next model a
    lesson builds starts from the weights it would start from anyway."""
    import random

    X, y = _S["train"]
    keras.utils.set_random_seed(0)
    keras.random.SeedGenerator()
    expected = random.random()
    keras.utils.set_random_seed(0)
    batched.train_stack(X, y, l1=[0.0], l2=[0.0], dropout=[0.5], units=2, epochs=2)
    assert random.random() == expected
    assert [str(w.message) for w in recwarn if issubclass(w.category, UserWarning)] == []


def test_stacked_dropout_keeps_a_unit_where_the_layers_own_draw_is_at_least_the_rate():
    """In training, unit (row, member) is kept where the layer's own uniform draw is >= the rate and then scaled by
    1 / (1 - rate), as keras.random.dropout does; its draws come from the layer's seed generator."""
    n = 1000
    x = np.ones((1, n, 1), "float32")
    layer = batched._StackedMLP([0.0], [0.0], [0.5], units=1)
    layer.build(x.shape)
    layer.kernel_1.assign(np.ones(layer.kernel_1.shape, "float32"))
    layer.kernel_2.assign(np.ones(layer.kernel_2.shape, "float32"))
    layer.seed_generator.state.assign(keras.random.SeedGenerator(0).state.value)
    out = keras.ops.convert_to_numpy(layer(x, training=True))[0, :, 0]
    u = keras.ops.convert_to_numpy(keras.random.uniform((1, n, 1), seed=keras.random.SeedGenerator(0)))[0, :, 0]
    assert 0.4 < (u >= 0.5).mean() < 0.6
    np.testing.assert_allclose(out, 1 / (1 + np.exp(-np.where(u >= 0.5, 2.0, 0.0))), rtol=1e-6)
