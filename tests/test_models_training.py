from utils import batched, models, repro, training

import keras
import numpy as np
import pandas as pd
import pytest


@pytest.fixture(scope="module")
def toy():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(64, 5)).astype(np.float32)
    y = (X[:, 0] > 0).astype(int)
    return X, y


def test_mlp_layers_penalties_and_dropout():
    model = models.build_mlp(
        10, (8, 4), task="multiclass", n_classes=3, kernel_regularizer=keras.regularizers.L2(0.1),
        regularize="first", dropout=0.5, input_dropout=0.2,
    )
    names = [layer.name for layer in model.layers]
    assert names == ["input_dropout", "hidden_1", "dropout_1", "hidden_2", "dropout_2", "output"]
    assert model.get_layer("hidden_1").kernel_regularizer is not None
    assert model.get_layer("hidden_2").kernel_regularizer is None
    assert model.get_layer("hidden_1").bias_regularizer is None
    assert model.output_shape == (None, 3)
    assert len(model.losses) == 1


@pytest.mark.parametrize(("regularize", "expected"), [("all", 3), ("hidden", 2), ("first", 1)])
def test_regularize_picks_layers(regularize, expected):
    model = models.build_mlp(4, (3, 3), kernel_regularizer=keras.regularizers.L1(0.01), regularize=regularize)
    assert len(model.losses) == expected


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"kernel_regularizer": "l1_l2"}, TypeError, "not the string"),
        ({"kernel_regularizer": 0.01}, TypeError, "Regularizer"),
        ({"task": "clustering"}, ValueError, "regression"),
        ({"task": "multiclass"}, ValueError, "n_classes"),
        ({"n_classes": 3}, ValueError, "only used"),
        ({"dropout": 1.0}, ValueError, "dropout"),
        ({"dropout": -0.1}, ValueError, "dropout"),
        ({"hidden": 64}, TypeError, "sequence"),
        ({"hidden": (0,)}, ValueError, "item of hidden"),
        ({"activation": "wobble"}, ValueError, "activation"),
        ({"regularize": "last"}, ValueError, "first"),
        ({"kernel_constraint": "nonneg"}, TypeError, "Constraint"),
    ],
)
def test_build_mlp_rejects_bad_arguments(kwargs, error, match):
    with pytest.raises(error, match=match):
        models.build_mlp(5, **kwargs)


def test_linear_model_and_kernels():
    model = models.build_linear(3, kernel_regularizer=keras.regularizers.L1(0.5))
    kernels = models.dense_kernels(model)
    assert list(kernels) == ["output"] and kernels["output"].shape == (3, 1)
    with pytest.raises(TypeError, match="keras.Model"):
        models.dense_kernels(np.zeros((3, 1)))
    with pytest.raises(ValueError, match="n_inputs"):
        models.build_linear(0)


def test_fit_returns_tidy_history_with_data_loss(toy):
    X, y = toy
    keras.utils.set_random_seed(0)
    model = models.build_mlp(5, (8,), kernel_regularizer=keras.regularizers.L2(0.01))
    training.compile_model(model, task="binary", learning_rate=0.01)
    history = training.fit(model, X, y, validation=(X, y), epochs=5)
    assert list(history.columns) == ["epoch", "split", "metric", "value"]
    assert set(history["metric"]) == {"total_loss", "data_loss", "accuracy"}
    assert set(history["split"]) == {"train", "validation"}
    assert history["epoch"].max() == 5 and history.attrs["seconds"] > 0
    last = training.final_metrics(history)
    # the penalised loss includes the penalty; the data loss does not
    assert last["train total_loss"] > last["train data_loss"]
    assert last["validation total_loss"] > last["validation data_loss"]
    best = training.final_metrics(history, best="data_loss")
    assert 1 <= best["epoch"] <= 5


def test_fit_mini_batches_and_regression(toy):
    X, _ = toy
    y = X @ np.arange(5, dtype=np.float32)
    model = training.compile_model(models.build_mlp(5, (), task="regression"), task="regression", optimizer="sgd",
                                   learning_rate=0.05)
    history = training.fit(model, X, y, epochs=30, batch_size=16)
    losses = history.query("metric == 'data_loss'")["value"].to_numpy()
    assert losses[-1] < losses[0] / 2
    assert set(history["split"]) == {"train"}


def test_multiclass_training(toy):
    X, _ = toy
    y = np.arange(len(X)) % 3
    model = training.compile_model(models.build_mlp(5, (4,), task="multiclass", n_classes=3), task="multiclass")
    history = training.fit(model, X, y, epochs=2)
    assert "accuracy" in set(history["metric"])
    with pytest.raises(ValueError, match="integer class labels"):
        training.fit(model, X, y + 0.5, epochs=1)


def test_fit_rejects_bad_use(toy):
    X, y = toy
    model = models.build_mlp(5, (4,))
    with pytest.raises(ValueError, match="compile_model"):
        training.fit(model, X, y, epochs=1)
    training.compile_model(model, task="binary")
    with pytest.raises(ValueError, match="columns"):
        training.fit(model, X[:, :3], y, epochs=1)
    with pytest.raises(ValueError, match="0 or 1"):
        training.fit(model, X, y * 2, epochs=1)
    with pytest.raises(ValueError, match="epochs"):
        training.fit(model, X, y, epochs=0)
    with pytest.raises(TypeError, match="tuple"):
        training.fit(model, X, y, validation=[X, y], epochs=1)
    with pytest.raises(TypeError, match="callback"):
        training.fit(model, X, y, epochs=1, callbacks=["stop"])
    with pytest.raises(ValueError, match="same number of rows"):
        training.fit(model, X, y[:10], epochs=1)


def test_compile_rejects_bad_arguments():
    model = models.build_linear(2)
    with pytest.raises(ValueError, match="adam"):
        training.compile_model(model, task="regression", optimizer="lbfgs")
    with pytest.raises(ValueError, match="learning_rate"):
        training.compile_model(model, task="regression", learning_rate=0)
    with pytest.raises(TypeError, match="Optimizer"):
        training.compile_model(model, task="regression", optimizer=42)
    with pytest.raises(TypeError, match="keras.Model"):
        training.compile_model("model", task="regression")


def test_make_dataset_steps():
    X, y = np.zeros((10, 2)), np.zeros(10)
    assert training.make_dataset(X, y)[1] == 1
    assert training.make_dataset(X, y, batch_size=4)[1] == 3
    with pytest.raises(ValueError, match="batch_size"):
        training.make_dataset(X, y, batch_size=0)


def test_tidy_history_and_final_metrics_validation():
    history = training.tidy_history({"loss": [3.0, 2.0], "val_data_loss": [2.5, 2.7]}, seconds=1.0)
    assert history.attrs["seconds"] == 1.0
    assert training.final_metrics(history, best="data_loss")["epoch"] == 1
    with pytest.raises(ValueError, match="best=.accuracy.: there is no validation"):
        training.final_metrics(history, best="accuracy")
    with pytest.raises(TypeError, match="DataFrame"):
        training.final_metrics(pd.DataFrame({"a": [1]}))
    with pytest.raises(TypeError, match="dict"):
        training.tidy_history({})


def test_pruned_copy_and_evaluate(toy):
    X, y = toy
    keras.utils.set_random_seed(0)
    model = training.compile_model(models.build_mlp(5, (8,)), task="binary")
    training.fit(model, X, y, epochs=3)
    pruned = models.pruned_copy(model, 0.2, layer="hidden_1")
    first = models.dense_kernels(pruned)["hidden_1"]
    assert np.all((first == 0) | (np.abs(first) > 0.2))
    assert np.array_equal(models.dense_kernels(pruned)["output"], models.dense_kernels(model)["output"])
    assert models.dense_kernels(model)["hidden_1"].min() != 0  # the original is untouched
    scores = training.evaluate(pruned, X, y)
    assert set(scores) == {"total_loss", "data_loss", "accuracy"}
    with pytest.raises(ValueError, match="Dense layers"):
        models.pruned_copy(model, 0.1, layer="hidden_9")
    with pytest.raises(ValueError, match="threshold"):
        models.pruned_copy(model, 0.0)
    with pytest.raises(ValueError, match="compile_model"):
        training.evaluate(models.build_mlp(5, (2,)), X, y)


def test_validation_metrics_match_keras_evaluate(toy):
    X, y = toy
    keras.utils.set_random_seed(0)
    model = training.compile_model(
        models.build_mlp(5, (8,), kernel_regularizer=keras.regularizers.L2(0.01)), task="binary"
    )
    history = training.fit(model, X, y, validation=(X, y), epochs=2)
    last = training.final_metrics(history)
    ours = training.evaluate(model, X, y)
    keras_own = model.evaluate(X, y.reshape(-1, 1).astype("float32"), verbose=0, return_dict=True)
    for name, value in (("data_loss", keras_own["data_loss"]), ("total_loss", keras_own["loss"]),
                        ("accuracy", keras_own["accuracy"])):
        assert ours[name] == pytest.approx(value, rel=1e-4), name
        assert last[f"validation {name}"] == pytest.approx(value, rel=1e-4), name


def test_record_weight_norms(toy):
    X, y = toy
    model = training.compile_model(models.build_mlp(5, (4,)), task="binary")
    recorder = training.RecordWeightNorms()
    training.fit(model, X, y, epochs=3, callbacks=[recorder])
    frame = recorder.frame()
    assert frame["epoch"].tolist() == [1, 1, 2, 2, 3, 3]
    assert set(frame["layer"]) == {"hidden_1", "output"}
    last = frame[(frame["epoch"] == 3) & (frame["layer"] == "hidden_1")]["norm"].iloc[0]
    assert last == pytest.approx(np.linalg.norm(models.dense_kernels(model)["hidden_1"]), rel=1e-5)


# Issue 14: misuse gives a clear message naming the parameter; another spelling of a valid value (NumPy integers
# for widths, a layer rebuilt from its config) gives the same model.


def _compiled(n_inputs=5, task="binary", n_classes=None):
    model = models.build_mlp(n_inputs, (4,), task=task, n_classes=n_classes)
    return training.compile_model(model, task=task)


def test_compile_refuses_an_output_layer_of_another_task():
    with pytest.raises(ValueError, match="sigmoid activation, which does not fit task='regression'"):
        training.compile_model(models.build_mlp(4, task="binary"), task="regression")
    with pytest.raises(ValueError, match="does not fit task='binary'"):
        training.compile_model(models.build_mlp(4, task="regression"), task="binary")
    with pytest.raises(ValueError, match="does not fit task='multiclass'"):
        training.compile_model(models.build_mlp(4, task="binary"), task="multiclass")


def test_fit_refuses_a_single_callback():
    X, y = np.zeros((8, 5), np.float32), np.zeros(8, int)
    with pytest.raises(TypeError, match=r"callbacks must be a list.*callbacks=\[EarlyStopping"):
        training.fit(_compiled(), X, y, epochs=1, callbacks=keras.callbacks.EarlyStopping())


def test_labels_outside_the_models_classes_are_named():
    X, y = np.zeros((10, 5), np.float32), np.arange(10) % 5
    model = _compiled(task="multiclass", n_classes=3)
    with pytest.raises(ValueError, match="y_train must hold class labels from 0 to 2 .*got labels from 0 to 4"):
        training.fit(model, X, y, epochs=1)
    with pytest.raises(ValueError, match="y_val must hold class labels from 0 to 2"):
        training.fit(model, X, y % 3, validation=(X, y), epochs=1)
    with pytest.raises(ValueError, match="y must hold class labels from 0 to 2"):
        training.evaluate(model, X, y)


def test_validation_and_evaluation_columns_are_checked(toy):
    X, y = toy
    model = _compiled()
    with pytest.raises(ValueError, match="X_val has 3 columns but the model 'mlp' expects 5"):
        training.fit(model, X, y, validation=(X[:, :3], y), epochs=1)
    with pytest.raises(ValueError, match="X has 3 columns but the model 'mlp' expects 5"):
        training.evaluate(model, X[:, :3], y)


def test_validation_metrics_refuse_nan_features(toy):
    X, y = toy
    with pytest.raises(ValueError, match="X_val must not contain NaN"):
        training.ValidationMetrics(np.full_like(X, np.nan), y, task="binary")
    callback = training.ValidationMetrics(X[:, :3], y, task="binary")
    with pytest.raises(ValueError, match="X_val has 3 columns"):
        training.fit(_compiled(), X, y, epochs=1, callbacks=[callback])


def test_make_dataset_refuses_a_string_as_shuffle(toy):
    X, y = toy
    with pytest.raises(TypeError, match="shuffle must be True or False, got str 'no'"):
        training.make_dataset(X, y, batch_size=8, shuffle="no")


def test_epochs_have_an_upper_bound(toy):
    X, y = toy
    with pytest.raises(ValueError, match="epochs must be <="):
        training.fit(_compiled(), X, y, epochs=10**9)


def test_build_refuses_a_regularizer_that_adds_nothing():
    with pytest.raises(ValueError, match=r"L1L2\(l1=0.0, l2=0.0\): every factor is 0"):
        models.build_mlp(4, kernel_regularizer=keras.regularizers.L1L2())
    with pytest.raises(ValueError, match="every factor is 0"):
        models.build_linear(4, kernel_regularizer=keras.regularizers.L2(0.0))
    assert models.build_mlp(4, kernel_regularizer=keras.regularizers.L1L2(l1=0.01)).losses


def test_build_mlp_takes_numpy_widths_and_bounds_them():
    model = models.build_mlp(np.int64(4), np.array([3, 2]))
    assert [layer.units for layer in model.layers] == [3, 2, 1]
    with pytest.raises(ValueError, match="item of hidden must be <="):
        models.build_mlp(4, (10**9,))
    with pytest.raises(TypeError, match="hidden must be a sequence"):
        models.build_mlp(4, "64")


def test_tensorflow_logger_keeps_a_level_the_learner_set():
    import logging

    import tensorflow as tf

    logger = tf.get_logger()
    saved = logger.level
    try:
        logger.setLevel(logging.DEBUG)
        training._quiet_tensorflow_logger()
        assert logger.level == logging.DEBUG  # the learner's choice is kept
        logger.setLevel(logging.NOTSET)
        training._quiet_tensorflow_logger()
        assert logger.level == logging.ERROR  # quiet by default, errors still shown
    finally:
        logger.setLevel(saved)


def _stack_data(groups: int = 2, rows: int = 24, inputs: int = 5) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(3)
    X = rng.normal(size=(groups, rows, inputs)).astype(np.float32)
    return X, (X[..., 0] + 0.3 * rng.normal(size=(groups, rows)) > 0).astype(int)


def test_train_stack_members_train_independently():
    """A member's curve does not depend on which other members share the model (same seed, same init)."""
    X, y = _stack_data()
    repro.set_seed(0)
    alone = batched.train_stack(X, y, l1=[0.01], l2=[0.0], dropout=[0.0], units=4, epochs=15,
                                 evaluate={"validation": (X, y)})
    repro.set_seed(0)
    crowd = batched.train_stack(X, y, l1=[0.1, 0.01, 0.0], l2=[1.0, 0.0, 0.0], dropout=[0.5, 0.0, 0.0], units=4,
                                 epochs=15, evaluate={"validation": (X, y)})
    np.testing.assert_allclose(crowd["loss"]["validation"][:, :, 1], alone["loss"]["validation"][:, :, 0], rtol=1e-4)
    np.testing.assert_allclose(crowd["importance"][:, :, 1], alone["importance"][:, :, 0], rtol=1e-4)
    assert crowd["loss"]["validation"].shape == (15, 2, 3)
    assert crowd["importance"].shape == (15, 2, 3, 5)
    assert crowd["train_loss"].shape == crowd["train_accuracy"].shape == (2, 3)
    # the unpenalised member fits its training rows better than the strongly penalised one
    assert np.all(crowd["train_loss"][:, 2] < crowd["train_loss"][:, 0])


def test_train_stack_learning_rate_per_member_is_adams_own():
    """A member with its own learning rate trains as Keras's Adam with that rate trains it alone, and a flipped or
    dropped rate shows (lesson 08 gives every technique the choice of two learning rates)."""
    X, y = _stack_data()
    curves = {}
    for lr in (1e-3, 3e-2):
        repro.set_seed(0)
        curves[lr] = batched.train_stack(X, y, l1=[0.01], l2=[0.0], dropout=[0.0], units=4, epochs=12,
                                         learning_rate=lr, evaluate={"validation": (X, y)})["loss"]["validation"][:, :, 0]
    repro.set_seed(0)
    mixed = batched.train_stack(X, y, l1=[0.01, 0.01], l2=[0.0, 0.0], dropout=[0.0, 0.0], units=4, epochs=12,
                                learning_rates=[3e-2, 1e-3], evaluate={"validation": (X, y)})["loss"]["validation"]
    np.testing.assert_allclose(mixed[:, :, 0], curves[3e-2], rtol=1e-4)
    np.testing.assert_allclose(mixed[:, :, 1], curves[1e-3], rtol=1e-4)
    assert np.abs(curves[3e-2] - curves[1e-3]).max() > 1e-3  # the two rates give different curves
    with pytest.raises(ValueError, match="learning_rates"):
        batched.train_stack(X, y, l1=[0.0], l2=[0.0], dropout=[0.0], epochs=1, learning_rates=[1e-3, 1e-2])
    with pytest.raises(ValueError, match="learning_rates"):
        batched.train_stack(X, y, l1=[0.0], l2=[0.0], dropout=[0.0], epochs=1, learning_rates=[0.0])


def test_train_stack_members_of_a_group_start_alike():
    """Twins (same factors, same start) train alike; a drop rate alone makes one train differently."""
    X, y = _stack_data(groups=1)
    record = batched.train_stack(X, y, l1=[0.0, 0.0], l2=[0.0, 0.0], dropout=[0.0, 0.0], units=3, epochs=3)
    np.testing.assert_array_equal(record["importance"][:, :, 0], record["importance"][:, :, 1])
    assert record["loss"] == {} and record["seconds"] > 0
    assert record["importance"].dtype == np.float32  # 4 bytes a number: MAX_STACK_VALUES numbers are 200 MB
    assert np.all(record["importance"] > 0)  # recorded after every epoch without an evaluated set too
    dropped = batched.train_stack(X, y, l1=[0.0, 0.0], l2=[0.0, 0.0], dropout=[0.0, 0.5], units=3, epochs=3)
    assert np.abs(dropped["importance"][:, :, 0] - dropped["importance"][:, :, 1]).max() > 1e-4


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"l1": [0.0, 0.0]}, "one value per member"),
        ({"dropout": [1.0]}, "dropout"),
        ({"l2": [-1.0]}, "l2"),
        ({"evaluate": {"test": (np.zeros((3, 4, 5)), np.zeros((3, 4)))}}, "groups"),
        ({"evaluate": {"test": (np.zeros((2, 4, 5)), np.full((2, 4), 0.5))}}, "binary labels"),
        ({"epochs": 5000}, "epochs"),
    ],
)
def test_train_stack_rejects_bad_arguments(kwargs, match):
    X, y = _stack_data()
    args = {"l1": [0.0], "l2": [0.0], "dropout": [0.0], "units": 2, "epochs": 1, **kwargs}
    with pytest.raises(ValueError, match=match):
        batched.train_stack(X, y, **args)


# ------------------------------------------------------------------ side by side (lesson 07)


def _side_data(networks: int = 2, rows: int = 30, inputs: int = 4, classes: int = 3, seed: int = 5):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(rows, networks, inputs)).astype(np.float32)
    return X, (X[..., 0] > 0).astype(int) + (X[..., 1] > 0.5).astype(int) * (classes - 2)


def _side_model(seeds, rates, inputs: int = 4, hidden=(6, 5), classes: int = 3):
    return batched.build_side_by_side_mlp(seeds, rates, n_inputs=inputs, hidden=hidden, n_classes=classes, seed=11)


def test_side_by_side_mlp_draws_the_recipes_weights_per_seed():
    """Each network starts from the weights of the plain Keras recipe built after keras.utils.set_random_seed."""
    model = _side_model([3, 4, 3, 3], [0.2, 0.2, 0.5, 0.0])
    assert model.input_shape == (None, 4, 4) and model.output_shape == (None, 4, 3)
    kernels = [w for w in model.get_weights() if w.ndim == 3]
    assert [k.shape for k in kernels] == [(4, 4, 6), (4, 6, 5), (4, 5, 3)]
    for n, rate in ((0, 0.2), (3, 0.0)):
        keras.utils.set_random_seed(3)
        recipe = keras.Sequential([keras.Input((4,)), keras.layers.Dense(6, activation="relu"), keras.layers.Dropout(rate),
                                   keras.layers.Dense(5, activation="relu"), keras.layers.Dropout(rate),
                                   keras.layers.Dense(3, activation="softmax")])
        for k, kernel in enumerate(recipe.get_weights()[0::2]):
            np.testing.assert_array_equal(kernels[k][n], kernel)
    for k in range(3):  # the same seed, both with dropout: the same start
        np.testing.assert_array_equal(kernels[k][0], kernels[k][2])
    np.testing.assert_array_equal(kernels[0][0], kernels[0][3])  # without dropout: the same first layer only
    assert not np.array_equal(kernels[1][0], kernels[1][3])
    assert not np.array_equal(kernels[1][0], kernels[1][1])
    X, y = _side_data(networks=4)
    proba = batched.predict_side_by_side(model, X, y)["proba"]
    np.testing.assert_allclose(proba.sum(axis=-1), 1.0, rtol=1e-5)


def test_side_by_side_network_is_build_mlp_with_its_weights():
    """In inference mode each network computes what build_mlp's network with the same weights computes, biases
    included (they start at zero, so they are drawn here); called without training=, the model is in inference
    mode, as a Keras network is."""
    model = _side_model([1, 2], [0.5, 0.0])
    X, y = _side_data()
    rng = np.random.default_rng(0)
    weights = [w if w.ndim == 3 else rng.normal(0.0, 0.5, w.shape).astype(w.dtype) for w in model.get_weights()]
    model.set_weights(weights)  # kernels (networks, inputs, units) as built, biases (networks, units) drawn
    proba = batched.predict_side_by_side(model, X, y)["proba"]
    for n, rate in enumerate((0.5, 0.0)):
        one = models.build_mlp(4, (6, 5), task="multiclass", n_classes=3, dropout=rate)
        one.set_weights([w[n] for w in weights])
        np.testing.assert_allclose(proba[:, n], one.predict(X[:, n], verbose=0), rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(keras.ops.convert_to_numpy(model(X)), proba, rtol=1e-6, atol=1e-7)


def test_side_by_side_networks_train_independently():
    """A network's curves do not depend on the networks next to it (same seed, same data)."""
    X, y = _side_data(networks=2)
    alone = batched.train_side_by_side(_side_model([7], [0.0]), X[:, 1:], y[:, 1:], X[:, 1:], y[:, 1:], epochs=12)
    crowd = batched.train_side_by_side(_side_model([6, 7], [0.5, 0.0]), X, y, X, y, epochs=12)
    np.testing.assert_allclose(crowd["fit"][:, 1], alone["fit"][:, 0], rtol=1e-4)
    np.testing.assert_allclose(crowd["validation"][:, 1], alone["validation"][:, 0], rtol=1e-4)
    assert crowd["fit"].shape == crowd["validation"].shape == (12, 2)
    assert crowd["validation"][-1, 1] < crowd["validation"][0, 1]  # it learns


def test_side_by_side_early_stopping_keeps_the_best_weights():
    X, y = _side_data(networks=2, rows=12)
    X_val, y_val = _side_data(networks=2, rows=40, seed=9)
    model = _side_model([1, 2], [0.0, 0.0])
    run = batched.train_side_by_side(model, X, y, X_val, y_val, epochs=60, learning_rate=0.05, patience=3,
                                      watch=np.array([True, False]))
    stop = run["early_stop"]
    for n in range(2):  # EarlyStopping's rule, replayed on the recorded curve
        best, wait, expected = np.inf, 0, 60
        for epoch, value in enumerate(run["validation"][:, n]):
            if value < best:
                best, wait = value, 0
            else:
                wait += 1
            if wait >= 3:
                expected = epoch + 1
                break
        assert stop["stop_epoch"][n] == expected and stop["best"][n] == best
    final = model.get_weights()
    kept = batched.predict_side_by_side(model, X_val, y_val, weights=stop["weights"])
    np.testing.assert_allclose(kept["loss"].mean(axis=0)[0], stop["best"][0], rtol=1e-5)
    for now, before in zip(model.get_weights(), final, strict=True):  # the model keeps its own weights
        np.testing.assert_array_equal(now, before)


def test_side_by_side_data_stacks_each_networks_split():
    from utils import data

    a, b = data.load_digits_split(n_train=40, n_val=30, seed=1), data.load_digits_split(n_train=40, n_val=30, seed=2)
    X, y = batched.side_by_side_data([a, b, a], "val")
    assert X.shape == (30, 3, 64) and y.shape == (30, 3) and X.dtype == np.float32
    np.testing.assert_array_equal(X[:, 1], b.X_val)
    np.testing.assert_array_equal(y[:, 2], a.y_val)
    with pytest.raises(TypeError, match="splits"):
        batched.side_by_side_data(a, "val")
    with pytest.raises(ValueError, match="part"):
        batched.side_by_side_data([a], "validation")


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"seeds": [1, 2, 3]}, ValueError, "seeds and rates"),
        ({"rates": [0.0, 1.0]}, ValueError, "rates"),
        ({"rates": "0.5"}, TypeError, "rates"),
        ({"seeds": [1, -2]}, ValueError, "seeds"),
        ({"hidden": ()}, ValueError, "hidden"),
        ({"n_classes": 1}, ValueError, "n_classes"),
        ({"seed": 2**32 - 1}, ValueError, "seed"),
        ({"n_inputs": 100_000, "hidden": (10_000,)}, ValueError, "weights"),
    ],
)
def test_build_side_by_side_mlp_rejects_bad_arguments(kwargs, error, match):
    args = {"seeds": [1, 2], "rates": [0.0, 0.5], "n_inputs": 4, "hidden": (3,), "n_classes": 3, "seed": 0, **kwargs}
    with pytest.raises(error, match=match):
        batched.build_side_by_side_mlp(**args)


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"X_train": np.zeros((30, 3, 4))}, ValueError, "X_train"),
        ({"y_val": np.full((30, 2), 3)}, ValueError, "y_val"),
        ({"y_train": np.full((30, 2), 0.5)}, ValueError, "y_train"),
        ({"epochs": 0}, ValueError, "epochs"),
        ({"patience": 0}, ValueError, "patience"),
        ({"watch": [1, 0]}, TypeError, "watch"),
        ({"watch": [True]}, ValueError, "watch"),
        ({"learning_rate": -1.0}, ValueError, "learning_rate"),
        ({"model": "a plain build_mlp network"}, ValueError, "model"),  # built in the test, not at collection
    ],
)
def test_train_side_by_side_rejects_bad_arguments(kwargs, error, match):
    if kwargs.get("model") == "a plain build_mlp network":
        kwargs = {**kwargs, "model": models.build_mlp(4, (3,), task="multiclass", n_classes=3)}
    X, y = _side_data()
    args = {"model": _side_model([1, 2], [0.0, 0.5]), "X_train": X, "y_train": y, "X_val": X, "y_val": y,
            "epochs": 1, **kwargs}
    with pytest.raises(error, match=match):
        batched.train_side_by_side(**args)


def test_predict_side_by_side_rejects_weights_of_another_model():
    X, y = _side_data()
    model = _side_model([1, 2], [0.0, 0.5])
    with pytest.raises(ValueError, match="weights"):
        batched.predict_side_by_side(model, X, y, weights=model.get_weights()[:-1])
    with pytest.raises(ValueError, match="X"):
        batched.predict_side_by_side(model, X[..., :3], y)
