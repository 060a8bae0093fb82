"""Values and bounds of ``utils.training`` (issue 23, mutation testing).

What each function computes is compared with a hand-written NumPy computation on known weights (losses, accuracy,
penalties, norms), with Keras's own losses and metrics, or with the plain Keras recipe it stands for
(``fit_linear`` against ``Dense(1)`` + ``Adam`` with the documented step-down schedule); each argument is checked at
its documented bounds, with the message naming it. Models are tiny and train for one to a few full-batch epochs:
every test takes about a second or less.
"""

from __future__ import annotations

import time

from utils import models, repro, training

import keras
import numpy as np
import pandas as pd
import pytest

RNG = np.random.default_rng(0)
X = RNG.normal(size=(24, 4)).astype(np.float32)
Y = {
    "regression": (X @ np.array([1.0, -2.0, 0.5, 0.0]) + 0.1 * RNG.normal(size=24)).astype(np.float32),
    "binary": (X[:, 0] > 0).astype(int),
    "multiclass": (X[:, 0] > 0).astype(int) + (X[:, 1] > 0.5).astype(int),
}
N_CLASSES = {"regression": None, "binary": None, "multiclass": 3}


def _forward(model, X):
    """The model's output in inference mode, by hand: relu hidden layers, then the output activation."""
    h = X.astype(np.float64)
    for layer in model.layers:
        if not isinstance(layer, keras.layers.Dense):
            continue
        z = h @ np.array(layer.kernel.numpy(), np.float64) + np.array(layer.bias.numpy(), np.float64)
        name = layer.activation.__name__
        if name == "relu":
            h = np.maximum(z, 0.0)
        elif name == "sigmoid":
            h = 1.0 / (1.0 + np.exp(-z))
        elif name == "softmax":
            e = np.exp(z - z.max(axis=1, keepdims=True))
            h = e / e.sum(axis=1, keepdims=True)
        else:
            h = z
    return h


def _hand_scores(model, X, y, task):
    """Data loss and accuracy from the hand-computed output (no clipping is needed at these probabilities)."""
    p = _forward(model, X)
    if task == "regression":
        return {"data_loss": float(np.mean((p.ravel() - y) ** 2))}
    if task == "binary":
        p = p.ravel()
        return {"data_loss": float(np.mean(-(y * np.log(p) + (1 - y) * np.log(1 - p)))),
                "accuracy": float(np.mean((p > 0.5) == (y == 1)))}
    return {"data_loss": float(np.mean(-np.log(p[np.arange(len(y)), y]))),
            "accuracy": float(np.mean(p.argmax(axis=1) == y))}


def _l2(model, factor):
    return sum(factor * float(np.sum(np.array(layer.kernel.numpy(), np.float64) ** 2))
               for layer in model.layers if isinstance(layer, keras.layers.Dense))


def _model(task, *, factor=0.05, dropout=0.0, seed=0):
    keras.utils.set_random_seed(seed)
    return models.build_mlp(4, (3,), task=task, n_classes=N_CLASSES[task],
                            kernel_regularizer=keras.regularizers.L2(factor), dropout=dropout)


# ---------------------------------------------------------------- compile_model, fit, evaluate: the numbers ------


@pytest.mark.parametrize("task", ["regression", "binary", "multiclass"])
def test_fit_reports_the_tasks_loss_the_penalty_and_accuracy(task):
    """One full-batch epoch: the training row is computed at the starting weights (before the step), the validation
    row at the weights after it; total_loss is data_loss plus 0.05 * sum(w^2) over every kernel (Keras's L2);
    evaluate() gives the validation numbers again."""
    model = training.compile_model(_model(task), task=task, optimizer="sgd", learning_rate=0.1)
    y = Y[task]
    before, penalty_before = _hand_scores(model, X, y, task), _l2(model, 0.05)
    history = training.fit(model, X, y, validation=(X[:12], y[:12]), epochs=1)
    after, penalty_after = _hand_scores(model, X[:12], y[:12], task), _l2(model, 0.05)
    assert penalty_after != pytest.approx(penalty_before, rel=1e-3)  # the step moved the weights
    last = training.final_metrics(history)
    assert last["train data_loss"] == pytest.approx(before["data_loss"], rel=1e-4)
    assert last["train total_loss"] == pytest.approx(before["data_loss"] + penalty_before, rel=1e-4)
    assert last["validation data_loss"] == pytest.approx(after["data_loss"], rel=1e-4)
    assert last["validation total_loss"] == pytest.approx(after["data_loss"] + penalty_after, rel=1e-4)
    scores = training.evaluate(model, X[:12], y[:12])
    assert scores["data_loss"] == pytest.approx(after["data_loss"], rel=1e-4)
    assert scores["total_loss"] == pytest.approx(after["data_loss"] + penalty_after, rel=1e-4)
    expected = {"total_loss", "data_loss"} | ({"accuracy"} if task != "regression" else set())
    assert set(history["metric"]) == expected and set(scores) == expected
    if task != "regression":
        assert last["train accuracy"] == pytest.approx(before["accuracy"])
        assert last["validation accuracy"] == scores["accuracy"] == pytest.approx(after["accuracy"])


def test_validation_and_evaluate_run_the_network_in_inference_mode():
    """With dropout 0.5 in the network, validation and evaluate() still compute the deterministic network."""
    model = training.compile_model(_model("binary", dropout=0.5), task="binary")
    history = training.fit(model, X, Y["binary"], validation=(X, Y["binary"]), epochs=1)
    expected = _hand_scores(model, X, Y["binary"], "binary")
    assert training.final_metrics(history)["validation data_loss"] == pytest.approx(expected["data_loss"], rel=1e-4)
    assert training.evaluate(model, X, Y["binary"])["data_loss"] == pytest.approx(expected["data_loss"], rel=1e-4)


def test_evaluate_without_a_penalty_and_with_targets_as_a_column():
    keras.utils.set_random_seed(1)
    model = training.compile_model(models.build_mlp(4, (3,), task="regression"), task="regression")
    y = Y["regression"]
    scores = training.evaluate(model, X, y.reshape(-1, 1))
    expected = _hand_scores(model, X, y, "regression")["data_loss"]
    assert scores == pytest.approx({"total_loss": expected, "data_loss": expected}, rel=1e-5)


@pytest.mark.parametrize(
    ("name", "kind"),
    [("adam", keras.optimizers.Adam), ("adamw", keras.optimizers.AdamW), ("sgd", keras.optimizers.SGD),
     ("rmsprop", keras.optimizers.RMSprop)],
)
def test_compile_model_builds_the_named_optimizer_with_its_rate(name, kind):
    model = training.compile_model(models.build_linear(2), task="regression", optimizer=name, learning_rate=0.02)
    assert type(model.optimizer) is kind
    assert float(model.optimizer.learning_rate) == pytest.approx(0.02)
    if name == "sgd":
        assert model.optimizer.momentum == 0  # plain SGD, as documented
    assert model._course_task == "regression"


def test_compile_model_takes_a_schedule_or_a_ready_optimizer():
    schedule = keras.optimizers.schedules.ExponentialDecay(0.1, decay_steps=10, decay_rate=0.5)
    model = training.compile_model(models.build_linear(2), task="regression", learning_rate=schedule)
    assert model.optimizer._learning_rate is schedule
    ready = keras.optimizers.SGD(learning_rate=0.3)
    model = training.compile_model(models.build_linear(2), task="regression", optimizer=ready, learning_rate=5.0)
    assert model.optimizer is ready and float(ready.learning_rate) == pytest.approx(0.3)


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda: training.compile_model(models.build_linear(2), task="regression", optimizer="lbfgs"), ValueError,
         r"^optimizer must be one of 'adam', 'adamw', 'sgd', 'rmsprop'; got 'lbfgs'$"),
        (lambda: training.compile_model(models.build_linear(2), task="regression", learning_rate=0), ValueError,
         r"^learning_rate must be > 0"),
        (lambda: training.compile_model(models.build_linear(2), task="regression", optimizer=42), TypeError,
         r"^optimizer must be one of \('adam', 'adamw', 'sgd', 'rmsprop'\) or a keras.optimizers.Optimizer, got int$"),
        (lambda: training.compile_model(models.build_linear(2), task="ranking"), ValueError, r"^task must be one of"),
        (lambda: training.compile_model(None, task="binary"), TypeError, r"^model must be a keras.Model"),
        (lambda: training.fit(models.build_linear(4), X, Y["regression"], epochs=1), ValueError,
         r"^compile the model with utils.training.compile_model\(model, task=...\) first$"),
        (lambda: training.evaluate(models.build_linear(4), X, Y["regression"]), ValueError,
         r"^compile the model with utils.training.compile_model"),
        (lambda: training.fit("model", X, Y["regression"], epochs=1), TypeError, r"^model must be a keras.Model"),
    ],
)
def test_compile_names_a_bad_argument(call, error, message):
    with pytest.raises(error, match=message):
        call()


# ---------------------------------------------------------------- fit: epochs, batches, seed, progress ----------


class _Count(keras.callbacks.Callback):
    def __init__(self, stop_after=None):
        super().__init__()
        self.batches, self.stop_after = [], stop_after

    def on_epoch_begin(self, epoch, logs=None):
        self.batches.append(0)

    def on_train_batch_end(self, batch, logs=None):
        self.batches[-1] += 1

    def on_epoch_end(self, epoch, logs=None):
        if self.stop_after is not None and epoch + 1 >= self.stop_after:
            self.model.stop_training = True


def _regressor(seed=0):
    keras.utils.set_random_seed(seed)
    return training.compile_model(models.build_mlp(4, (3,), task="regression"), task="regression",
                                  optimizer="sgd", learning_rate=0.01)


@pytest.mark.parametrize(("batch_size", "steps"), [(None, 1), (8, 3), (10, 3), (1, 24), (24, 1), (50, 1)])
def test_fit_takes_ceil_n_over_batch_size_steps_an_epoch(batch_size, steps):
    counter = _Count()
    history = training.fit(_regressor(), X, Y["regression"], epochs=2, batch_size=batch_size, callbacks=[counter])
    assert counter.batches == [steps, steps]
    assert sorted(history["epoch"].unique()) == [1, 2] and set(history["split"]) == {"train"}


def test_fit_accepts_the_most_epochs_and_refuses_more():
    """MAX_EPOCHS itself is accepted (a callback stops the run after one epoch), one more is refused."""
    counter = _Count(stop_after=1)
    history = training.fit(_regressor(), X, Y["regression"], epochs=training.MAX_EPOCHS, callbacks=[counter])
    assert history["epoch"].max() == 1 and counter.batches == [1]
    with pytest.raises(ValueError, match=r"^epochs must be <= 100000, got 100001$"):
        training.fit(_regressor(), X, Y["regression"], epochs=training.MAX_EPOCHS + 1)
    with pytest.raises(ValueError, match=r"^epochs must be >= 1, got 0$"):
        training.fit(_regressor(), X, Y["regression"], epochs=0)


def test_fit_shuffles_mini_batches_with_its_seed():
    """Same weights, same seed: the same run; another seed: another order of mini-batches, another run."""
    runs = {}
    for key, seed in (("a", 1), ("b", 1), ("c", 2)):
        history = training.fit(_regressor(), X, Y["regression"], epochs=3, batch_size=5, seed=seed)
        runs[key] = history["value"].to_numpy()
    np.testing.assert_array_equal(runs["a"], runs["b"])
    assert np.abs(runs["a"] - runs["c"]).max() > 1e-6
    # the default seed is the course seed (COURSE_SEED, else 42)
    default = training.fit(_regressor(), X, Y["regression"], epochs=3, batch_size=5)["value"].to_numpy()
    explicit = training.fit(_regressor(), X, Y["regression"], epochs=3, batch_size=5, seed=repro.get_seed())
    np.testing.assert_array_equal(default, explicit["value"].to_numpy())


def test_fit_prints_nothing_and_times_itself(capsys):
    start = time.perf_counter()
    history = training.fit(_regressor(), X, Y["regression"], epochs=2)
    took = time.perf_counter() - start
    assert 0 < history.attrs["seconds"] <= took
    out = capsys.readouterr()
    assert out.out == "" and out.err == ""


class _FakeBar:
    made: list[_FakeBar] = []

    def __init__(self, total, *, desc):
        self.total, self.desc, self.updates, self.closed = total, desc, [], 0
        _FakeBar.made.append(self)

    def update(self, n=1):
        self.updates.append(n)

    def close(self):
        self.closed += 1


def test_fit_advances_a_progress_bar_once_per_epoch(monkeypatch):
    _FakeBar.made = []
    monkeypatch.setattr(training.utils_progress, "bar", _FakeBar)
    training.fit(_regressor(), X, Y["regression"], epochs=3)
    assert _FakeBar.made == []  # no label: no bar
    training.fit(_regressor(), X, Y["regression"], epochs=3, progress="  ridge sweep ")
    (bar,) = _FakeBar.made
    assert (bar.total, bar.desc, bar.updates, bar.closed) == (3, "ridge sweep", [1, 1, 1], 1)
    with pytest.raises(ValueError, match=r"^progress must be a short label of 1 to 60 characters"):
        training.fit(_regressor(), X, Y["regression"], epochs=1, progress=" ")


def test_train_steps_advances_a_progress_bar_once_per_step(monkeypatch):
    """train_steps runs its steps as one Keras epoch: its bar counts steps, not epochs."""
    _FakeBar.made = []
    monkeypatch.setattr(training.utils_progress, "bar", _FakeBar)
    training.train_steps(_regressor(), X, Y["regression"], steps=4)
    assert _FakeBar.made == []
    training.train_steps(_regressor(), X, Y["regression"], steps=4, progress="twins")
    (bar,) = _FakeBar.made
    assert (bar.total, bar.desc, bar.updates, bar.closed) == (4, "twins", [1, 1, 1, 1], 1)


def test_an_epoch_bar_leaves_keras_its_asynchronous_step_callbacks():
    """A callback with a per-step hook makes Keras wait for every step's numbers: the epoch bar has none."""
    assert training._EpochBar.on_train_batch_end is keras.callbacks.Callback.on_train_batch_end
    assert training._StepBar.on_epoch_end is keras.callbacks.Callback.on_epoch_end


# ---------------------------------------------------------------- fit and evaluate: the data they accept ---------


def test_values_up_to_1e18_are_accepted_and_larger_refused():
    model = _regressor()
    X_big = X.copy()
    X_big[0, 0] = 1e18
    assert np.isfinite(training.evaluate(model, X_big, Y["regression"])["total_loss"])
    X_edge = X.astype(np.float64)  # exactly 1e18 (in float32 it rounds below): the bound itself is accepted
    X_edge[0, 0] = 1e18
    assert np.isfinite(training.evaluate(model, X_edge, Y["regression"])["total_loss"])
    X_big[0, 0] = -1.5e18
    with pytest.raises(ValueError, match=r"^X holds values as large as 1.5e\+18; training computes in float32, "
                                         r"where their squares overflow to infinity: keep every \|value\| at most 1e\+18"):
        training.evaluate(model, X_big, Y["regression"])
    with pytest.raises(ValueError, match=r"^X_train holds values as large as 1.5e\+18"):
        training.fit(model, X_big, Y["regression"], epochs=1)
    y_big = Y["regression"].astype(np.float64) * 1e19
    with pytest.raises(ValueError, match=r"^y_train holds values as large as"):
        training.fit(model, X, y_big, epochs=1)
    with pytest.raises(ValueError, match=r"^y_val holds values as large as"):
        training.fit(model, X, Y["regression"], validation=(X, y_big), epochs=1)
    with pytest.raises(ValueError, match=r"^X_val holds values as large as"):
        training.fit(model, X, Y["regression"], validation=(X_big, Y["regression"]), epochs=1)


def test_boolean_features_are_read_as_zeros_and_ones():
    model = training.compile_model(models.build_linear(4), task="regression")
    as_bool = training.evaluate(model, X > 0, Y["regression"])
    assert as_bool == training.evaluate(model, (X > 0).astype(np.float32), Y["regression"])


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda m: training.fit(m, X[:, :0], Y["regression"], epochs=1), ValueError,
         r"^X_train must have at least 1 column"),
        (lambda m: training.fit(m, X[:, :3], Y["regression"], epochs=1), ValueError,
         r"^X_train has 3 columns but the model 'mlp' expects 4$"),
        (lambda m: training.fit(m, X, Y["regression"][:, None, None], epochs=1), ValueError,
         r"^y_train must have 1 or 2 dimension"),
        (lambda m: training.fit(m, X, Y["regression"][:10], epochs=1), ValueError,
         r"^these must have the same number of rows: X_train has 24, y_train has 10$"),
        (lambda m: training.fit(m, X, Y["regression"], validation=(X, Y["regression"][:10]), epochs=1), ValueError,
         r"^these must have the same number of rows: X_val has 24, y_val has 10$"),
        (lambda m: training.fit(m, X, Y["regression"], validation=(X, Y["regression"], None), epochs=1), TypeError,
         r"^validation must be a tuple \(X_val, y_val\), got tuple$"),
        (lambda m: training.fit(m, X, Y["regression"], validation=[X, Y["regression"]], epochs=1), TypeError,
         r"^validation must be a tuple \(X_val, y_val\), got list$"),
        (lambda m: training.fit(m, X, Y["regression"], epochs=1, callbacks=[None]), TypeError,
         r"^each item of callbacks must be a keras.callbacks.Callback"),
        (lambda m: training.evaluate(m, X[:, :2], Y["regression"]), ValueError,
         r"^X has 2 columns but the model 'mlp' expects 4$"),
        (lambda m: training.evaluate(m, X, Y["regression"][:5]), ValueError,
         r"^these must have the same number of rows: X has 24, y has 5$"),
    ],
)
def test_fit_and_evaluate_name_bad_data(call, error, message):
    with pytest.raises(error, match=message):
        call(_regressor())


# ---------------------------------------------------------------- make_dataset ------------------------------------


def _one_epoch(dataset, steps):
    xs, ys = zip(*[(np.asarray(x), np.asarray(y)) for x, y in dataset.take(steps)], strict=True)
    return xs, ys


def test_make_dataset_full_batch_is_the_whole_set_as_float32():
    Xd, yd = np.arange(20.0).reshape(10, 2), np.arange(10.0)
    dataset, steps = training.make_dataset(Xd, yd)
    assert steps == 1
    for x, y in dataset.take(2):  # repeats
        assert x.dtype == np.float32
        np.testing.assert_array_equal(np.asarray(x), Xd)
        np.testing.assert_array_equal(np.asarray(y), yd)


def test_make_dataset_mini_batches_cover_each_row_once_an_epoch_reshuffled():
    Xd, yd = np.arange(20.0).reshape(10, 2), np.arange(10.0)
    dataset, steps = training.make_dataset(Xd, yd, batch_size=4, seed=0)
    assert steps == 3
    first, second = (_one_epoch(dataset.skip(k * steps), steps) for k in (0, 1))
    for xs, ys in (first, second):
        assert [len(x) for x in xs] == [4, 4, 2]
        order = np.concatenate(ys)
        assert sorted(order) == list(range(10))  # each row once
        np.testing.assert_array_equal(np.concatenate(xs), Xd[order.astype(int)])  # rows and targets stay paired
    assert not np.array_equal(np.concatenate(first[1]), np.concatenate(second[1]))  # reshuffled every epoch
    assert not np.array_equal(np.concatenate(first[1]), yd)
    again = _one_epoch(training.make_dataset(Xd, yd, batch_size=4, seed=0)[0], steps)
    np.testing.assert_array_equal(np.concatenate(again[1]), np.concatenate(first[1]))
    other = _one_epoch(training.make_dataset(Xd, yd, batch_size=4, seed=1)[0], steps)
    assert not np.array_equal(np.concatenate(other[1]), np.concatenate(first[1]))
    plain, _ = training.make_dataset(Xd, yd, batch_size=4, shuffle=False)
    np.testing.assert_array_equal(np.concatenate(_one_epoch(plain, steps)[1]), yd)
    assert training.make_dataset(Xd, yd, batch_size=1)[1] == 10
    assert training.make_dataset(Xd, yd, batch_size=11)[1] == 1
    assert training.make_dataset(Xd, yd, batch_size=4, seed=2**32 - 1)[1] == 3


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"X": np.zeros(10)}, ValueError, r"^X must have 2 dimension"),
        ({"X": np.zeros((10, 0))}, ValueError, r"^X must have at least 1 column"),
        ({"y": np.zeros((10, 1, 1))}, ValueError, r"^y must have 1 or 2 dimension"),
        ({"y": np.zeros(9)}, ValueError, r"^these must have the same number of rows: X has 10, y has 9$"),
        ({"batch_size": 0}, ValueError, r"^batch_size must be >= 1, got 0$"),
        ({"seed": -1}, ValueError, r"^seed must be >= 0"),
        ({"seed": 2**32}, ValueError, r"^seed must be <= 4294967295, got 4294967296$"),
        ({"shuffle": 1}, TypeError, r"^shuffle must be True or False"),
    ],
)
def test_make_dataset_names_a_bad_argument(kwargs, error, message):
    args = {"X": np.zeros((10, 2)), "y": np.zeros(10), "batch_size": 4, **kwargs}
    with pytest.raises(error, match=message):
        training.make_dataset(**args)


# ---------------------------------------------------------------- ValidationMetrics and the scores ---------------


def test_validation_metrics_check_their_inputs_and_ignore_missing_logs():
    callback = training.ValidationMetrics(X, Y["regression"], task="regression")
    assert callback.on_epoch_end(0, None) is None
    assert callback.n_columns == 4 and callback.task == "regression"
    with pytest.raises(ValueError, match=r"^y_val must hold binary labels 0 or 1 for task='binary', got values such "
                                         r"as \[0, 2\]$"):
        training.ValidationMetrics(X, Y["binary"] * 2, task="binary")
    with pytest.raises(ValueError, match=r"^task must be one of"):
        training.ValidationMetrics(X, Y["binary"], task="ranking")
    with pytest.raises(ValueError, match=r"^these must have the same number of rows: X_val has 24, y_val has 3$"):
        training.ValidationMetrics(X, Y["binary"][:3], task="binary")
    with pytest.raises(ValueError, match=r"^X_val must have 2 dimension"):
        training.ValidationMetrics(X[:, 0], Y["binary"], task="binary")
    with pytest.raises(ValueError, match=r"^y_val must have 1 or 2 dimension"):
        training.ValidationMetrics(X, Y["binary"][:, None, None], task="binary")
    with pytest.raises(ValueError, match=r"^y_val must hold integer class labels"):
        training.ValidationMetrics(X, Y["multiclass"] + 0.5, task="multiclass")


def test_scores_match_keras_losses_and_metrics_at_the_edges():
    """Keras's binary cross-entropy and accuracy where no clipping happens; probabilities of exactly 0 and 1 are
    clipped to [1e-7, 1 - 1e-7] (hand-computed: Keras clips in float32, where 1 - 1e-7 rounds to 1 - 1.19e-7, so it
    differs there by about 1%); 0.5 counts as class 0, as in keras.metrics.BinaryAccuracy."""
    p = np.array([[0.5], [0.3], [0.9], [0.5]], np.float32)
    t = np.array([0, 1, 0, 1])
    ours = training._scores(p, t, "binary")
    keras_loss = float(np.mean(keras.ops.convert_to_numpy(keras.losses.binary_crossentropy(t[:, None].astype("float32"), p))))
    accuracy = keras.metrics.BinaryAccuracy()
    accuracy.update_state(t[:, None], p)
    assert ours["data_loss"] == pytest.approx(keras_loss, rel=1e-5)
    assert ours["accuracy"] == pytest.approx(float(accuracy.result())) == pytest.approx(0.25)
    saturated = training._scores(np.array([0.0, 1.0, 1.0]), np.array([1, 0, 1]), "binary")
    assert saturated["data_loss"] == pytest.approx((2 * -np.log(1e-7) - np.log(1 - 1e-7)) / 3, rel=1e-9)
    assert saturated["accuracy"] == pytest.approx(1 / 3)
    q = np.array([[0.0, 0.2, 0.8], [0.5, 0.5, 0.0], [0.1, 0.1, 0.8], [1.0, 0.0, 0.0]], np.float32)
    labels = np.array([0, 1, 2, 0])
    ours = training._scores(q, labels, "multiclass")
    keras_loss = float(np.mean(keras.ops.convert_to_numpy(keras.losses.sparse_categorical_crossentropy(labels, q))))
    assert ours["data_loss"] == pytest.approx(keras_loss, rel=1e-4)
    multi_accuracy = keras.metrics.SparseCategoricalAccuracy()
    multi_accuracy.update_state(labels, q)
    # rows 3 and 4 right; the tie [0.5, 0.5, 0] goes to class 0 (argmax), so row 2 (class 1) is wrong
    assert ours["accuracy"] == pytest.approx(float(multi_accuracy.result())) == pytest.approx(0.5)
    r = np.array([[1.0], [2.0], [-1.0]])
    assert training._scores(r, np.array([0.0, 2.0, 1.0]), "regression") == {"data_loss": pytest.approx(5 / 3)}


# ---------------------------------------------------------------- RecordWeightNorms ------------------------------


def test_record_weight_norms_reads_every_dense_kernel():
    keras.utils.set_random_seed(2)
    model = models.build_mlp(4, (3,), input_dropout=0.1)
    recorder = training.RecordWeightNorms()
    assert recorder.frame().empty and list(recorder.frame().columns) == ["epoch", "layer", "norm"]
    recorder.set_model(model)
    recorder.on_epoch_end(4)
    frame = recorder.frame()
    assert frame["epoch"].tolist() == [5, 5] and frame["layer"].tolist() == ["hidden_1", "output"]
    for name, norm in zip(frame["layer"], frame["norm"], strict=True):
        kernel = np.array(model.get_layer(name).kernel.numpy(), np.float64)
        assert norm == pytest.approx(np.sqrt(np.sum(kernel**2)), rel=1e-12)


# ---------------------------------------------------------------- tidy_history and final_metrics ----------------


def test_tidy_history_names_every_metric_and_split():
    history = training.tidy_history({"loss": [3.0, 2.0], "data_loss": [2.5, 1.5], "accuracy": [0.5, 0.75],
                                     "val_loss": [4.0, 3.5], "val_data_loss": [3.0, 2.5], "val_accuracy": [0.25, 0.5],
                                     "val_auc": [0.6, 0.7]})
    expected = pd.DataFrame(
        [(1, "train", "total_loss", 3.0), (2, "train", "total_loss", 2.0), (1, "train", "data_loss", 2.5),
         (2, "train", "data_loss", 1.5), (1, "train", "accuracy", 0.5), (2, "train", "accuracy", 0.75),
         (1, "validation", "total_loss", 4.0), (2, "validation", "total_loss", 3.5),
         (1, "validation", "data_loss", 3.0), (2, "validation", "data_loss", 2.5),
         (1, "validation", "accuracy", 0.25), (2, "validation", "accuracy", 0.5),
         (1, "validation", "auc", 0.6), (2, "validation", "auc", 0.7)],
        columns=["epoch", "split", "metric", "value"])
    pd.testing.assert_frame_equal(history, expected)
    assert "seconds" not in history.attrs
    assert training.tidy_history({"loss": [1.0]}, seconds=0).attrs["seconds"] == 0.0
    diverged = training.tidy_history({"loss": [1.0, float("nan")]})
    assert diverged["value"].isna().tolist() == [False, True]
    assert training.tidy_history({"loss": []}).empty


@pytest.mark.parametrize(
    ("history", "kwargs", "error", "message"),
    [
        ([1.0], {}, TypeError, r"^history must be a non-empty dict such as keras_history.history$"),
        ({3: [1.0]}, {}, TypeError, r"^history's keys must be metric names \(strings\), got int 3$"),
        ({"loss": [[1.0]]}, {}, ValueError, r"^history\['loss'\] must have 1 dimension"),
        ({"loss": [1.0]}, {"seconds": -1.0}, ValueError, r"^seconds must be >= 0"),
    ],
)
def test_tidy_history_names_a_bad_argument(history, kwargs, error, message):
    with pytest.raises(error, match=message):
        training.tidy_history(history, **kwargs)


def _history(metric, values, train=None):
    rows = [(e + 1, "validation", metric, v) for e, v in enumerate(values)]
    rows += [(e + 1, "train", metric, v) for e, v in enumerate(train or [0.5] * len(values))]
    return pd.DataFrame(rows, columns=["epoch", "split", "metric", "value"])


@pytest.mark.parametrize(
    ("metric", "epoch"),
    [("auc", 2), ("AUC", 2), ("precision", 2), ("recall", 2), ("top_k_accuracy", 2), ("data_loss", 3),
     ("mae", 3)],
)
def test_final_metrics_maximises_scores_and_minimises_the_rest(metric, epoch):
    history = _history(metric, [0.5, 0.9, 0.1])
    picked = training.final_metrics(history, best=metric)
    assert picked["epoch"] == epoch and picked[f"validation {metric}"] == [0.5, 0.9, 0.1][epoch - 1]


def test_final_metrics_reads_the_validation_rows_only():
    history = _history("data_loss", [0.3, 0.2, 0.4], train=[0.01, 0.5, 0.6])
    picked = training.final_metrics(history, best="data_loss")
    assert picked["epoch"] == 2
    assert picked.to_dict() == {"validation data_loss": 0.2, "train data_loss": 0.5, "epoch": 2}
    assert training.final_metrics(history)["epoch"] == 3  # no best: the last epoch
    partly = _history("data_loss", [float("nan"), 0.4, 0.2])
    assert training.final_metrics(partly, best="data_loss")["epoch"] == 3


@pytest.mark.parametrize(
    ("history", "best", "error", "message"),
    [
        ({"a": [1]}, None, TypeError, r"^history must be the DataFrame returned by utils.training.fit$"),
        (_history("data_loss", []), None, ValueError, r"^history is empty: it has no epoch to report$"),
        (_history("data_loss", [0.1]), 3, TypeError, r"^best must be a string or None"),
        (_history("data_loss", [0.1]), "accuracy", ValueError,
         r"^best='accuracy': there is no validation 'accuracy' in this history; it has \['data_loss'\]$"),
        (_history("data_loss", [float("nan")] * 2), "data_loss", ValueError,
         r"^every validation 'data_loss' in this history is NaN: training diverged$"),
    ],
)
def test_final_metrics_names_a_bad_argument(history, best, error, message):
    if isinstance(history, dict):
        history = pd.DataFrame(history)
    with pytest.raises(error, match=message):
        training.final_metrics(history, best=best)


# ---------------------------------------------------------------- fit_linear --------------------------------------


def test_fit_linear_is_adam_with_the_documented_step_down_schedule():
    """fit_linear(steps=10) trains as the plain Keras recipe does: Dense(1) with the same penalty and constraint,
    Adam with the boundaries 6, 8 and 9 (60%, 80%, 90%), full batch, mse. (A rate holds up to and including its
    boundary: steps 0-6 at 0.1, 7-8 at 0.01, 9 at 0.001; 10 steps never reach 1e-4, see the test with 20 steps.)"""
    Xl = X.astype(np.float64)
    y = Y["regression"].astype(np.float64)
    penalty, constraint = keras.regularizers.L2(0.05), keras.constraints.NonNeg()
    keras.utils.set_random_seed(0)
    coef, intercept = training.fit_linear(Xl, y, kernel_regularizer=penalty, kernel_constraint=constraint, steps=10)
    keras.utils.set_random_seed(0)
    recipe = keras.Sequential([keras.Input((4,)), keras.layers.Dense(1, kernel_regularizer=penalty,
                                                                     kernel_constraint=constraint)])
    schedule = keras.optimizers.schedules.PiecewiseConstantDecay([6, 8, 9], [0.1, 0.01, 0.001, 1e-4])
    recipe.compile(optimizer=keras.optimizers.Adam(learning_rate=schedule), loss="mse")
    recipe.fit(X, y.reshape(-1, 1).astype(np.float32), batch_size=len(X), epochs=10, shuffle=False, verbose=0)
    kernel, bias = (np.array(w.numpy()) for w in recipe.layers[0].weights)
    assert coef.shape == (4,) and isinstance(intercept, float)
    np.testing.assert_allclose(coef, kernel.ravel(), rtol=1e-4, atol=1e-5)
    assert intercept == pytest.approx(float(bias[0]), rel=1e-4, abs=1e-5)
    assert coef[1] == 0.0  # the constraint was applied: the true coefficient is -2


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"steps": 9}, ValueError, r"^steps must be >= 10, got 9$"),
        ({"steps": 100_001}, ValueError, r"^steps must be <= 100000, got 100001$"),
        ({"X": X[:, 0]}, ValueError, r"^X must have 2 dimension"),
        ({"X": X[:, :0]}, ValueError, r"^X must have at least 1 column"),
        ({"y": Y["regression"][:, None]}, ValueError, r"^y must have 1 dimension"),
        ({"y": Y["regression"][:5]}, ValueError, r"^these must have the same number of rows: X has 24, y has 5$"),
    ],
)
def test_fit_linear_names_a_bad_argument(kwargs, error, message):
    args = {"X": X, "y": Y["regression"], **kwargs}
    with pytest.raises(error, match=message):
        training.fit_linear(**args)


def test_compile_names_the_model_whose_output_does_not_fit_the_task():
    with pytest.raises(ValueError, match=r"^model's output layer has 1 unit\(s\) with a sigmoid activation, which does "
                                         r"not fit task='regression'"):
        training.compile_model(models.build_mlp(4, task="binary"), task="regression")


# ---------------------------------------------------------------- second pass of issue 23: the mutation survivors --


def test_scores_do_not_depend_on_the_predictions_dtype_at_the_clip_boundaries():
    """A model gives float32 probabilities; the scores clip them to [1e-7, 1 - 1e-7] in float64 all the same, so a
    saturated prediction costs -log(1e-7) whether it comes as float32 or float64 (clipping in float32 would round
    1 - 1e-7 to 1 - 1.19e-7 and change that cost by about 1%)."""
    expected = (2 * -np.log(1e-7) - np.log(1 - 1e-7)) / 3
    for dtype in (np.float32, np.float64):
        saturated = training._scores(np.array([[0.0], [1.0], [1.0]], dtype), np.array([1, 0, 1]), "binary")
        assert saturated["data_loss"] == pytest.approx(expected, rel=1e-6), dtype


def test_binary_accuracy_counts_exactly_one_half_as_class_0_as_keras_does():
    """Two predictions of exactly 0.5 for two class-0 examples: both right for keras.metrics.BinaryAccuracy
    (a probability counts as class 1 only above the 0.5 threshold)."""
    p, t = np.array([[0.5], [0.5], [0.75]], np.float32), np.array([0, 0, 0])
    keras_accuracy = keras.metrics.BinaryAccuracy()
    keras_accuracy.update_state(t[:, None], p)
    assert training._scores(p, t, "binary")["accuracy"] == pytest.approx(float(keras_accuracy.result()))
    assert training._scores(p, t, "binary")["accuracy"] == pytest.approx(2 / 3)


def test_a_certain_right_multiclass_prediction_still_costs_the_clipped_amount():
    """Probability 1 for the right class is clipped to 1 - 1e-7, as Keras clips it: the loss is -log(1 - 1e-7)
    (about 1e-7), not 0. Keras computes in float32, where its rounding gives 2.4e-7 here: of the same order, not 0."""
    q = np.array([[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0]], np.float32)
    labels = np.array([0, 1, 2])
    ours = training._scores(q, labels, "multiclass")["data_loss"]
    assert ours == pytest.approx(-np.log(1 - 1e-7), rel=1e-6)
    keras_loss = float(np.mean(keras.ops.convert_to_numpy(keras.losses.sparse_categorical_crossentropy(labels, q))))
    assert 0 < keras_loss < 1e-6  # Keras clips too: a certain right answer is not free there either
    assert training._scores(q, labels, "multiclass")["accuracy"] == 1.0


class _DoublesWhenTraining(keras.layers.Layer):
    """Multiplies by 2 in training mode, and trains by default: only an explicit ``training=False`` turns it off."""

    def call(self, x, training=True):
        return x * 2.0 if training else x


def test_evaluate_and_validation_ask_every_layer_for_inference_mode():
    """A layer whose own default is training mode still runs in inference mode in evaluate() and in the validation
    rows of fit() (Keras passes training=None down to each layer's default, so it must be said explicitly)."""
    keras.utils.set_random_seed(4)
    model = keras.Sequential([keras.Input((4,)), _DoublesWhenTraining(), keras.layers.Dense(1)])
    training.compile_model(model, task="regression", optimizer="sgd", learning_rate=0.01)
    y = Y["regression"]
    history = training.fit(model, X, y, validation=(X, y), epochs=1)
    kernel, bias = (np.array(w.numpy(), np.float64) for w in model.layers[-1].weights)
    expected = float(np.mean((X.astype(np.float64) @ kernel + bias - y[:, None]) ** 2))  # the input not doubled
    assert training.final_metrics(history)["validation data_loss"] == pytest.approx(expected, rel=1e-4)
    assert training.evaluate(model, X, y)["data_loss"] == pytest.approx(expected, rel=1e-4)


def test_validation_of_a_model_without_a_penalty_reports_its_data_loss_as_total():
    """No penalty in model.losses: the validation total loss is the data loss, computed by hand."""
    keras.utils.set_random_seed(1)
    model = training.compile_model(models.build_mlp(4, (3,), task="binary"), task="binary")
    history = training.fit(model, X, Y["binary"], validation=(X[:10], Y["binary"][:10]), epochs=1)
    expected = _hand_scores(model, X[:10], Y["binary"][:10], "binary")["data_loss"]
    last = training.final_metrics(history)
    assert last["validation total_loss"] == last["validation data_loss"] == pytest.approx(expected, rel=1e-4)


def test_one_feature_is_enough_everywhere():
    """A model of one input column trains, validates and evaluates (one column is the documented minimum)."""
    model = training.compile_model(models.build_linear(1), task="regression", optimizer="sgd", learning_rate=0.01)
    x1 = X[:, :1]
    history = training.fit(model, x1, Y["regression"], validation=(x1, Y["regression"]), epochs=1, batch_size=8)
    kernel, bias = (np.array(w.numpy(), np.float64) for w in model.get_layer("output").weights)
    expected = float(np.mean((x1 @ kernel + bias - Y["regression"][:, None]) ** 2))
    assert training.final_metrics(history)["validation data_loss"] == pytest.approx(expected, rel=1e-4)
    assert training.evaluate(model, x1, Y["regression"])["data_loss"] == pytest.approx(expected, rel=1e-4)
    callback = training.ValidationMetrics(x1, Y["regression"], task="regression")
    assert callback.n_columns == 1
    dataset, steps = training.make_dataset(x1, Y["regression"], batch_size=8, seed=0)
    assert steps == 3 and next(iter(dataset))[0].shape == (8, 1)


def test_compile_model_defaults_to_adam_at_1e_3():
    model = training.compile_model(models.build_linear(2), task="regression")
    assert type(model.optimizer) is keras.optimizers.Adam
    assert float(model.optimizer.learning_rate) == pytest.approx(1e-3)


_ALMOST_INTEGER = np.where(Y["multiclass"] == 1, 1 + 1e-9, Y["multiclass"])  # not integer labels, however close


@pytest.mark.parametrize(
    ("task", "call", "message"),
    [
        ("binary", lambda m: training.evaluate(m, X, Y["binary"] * 2),
         r"^y must hold binary labels 0 or 1 for task='binary', got values such as \[0, 2\]$"),
        ("binary", lambda m: training.fit(m, X, Y["binary"] * 2, epochs=1),
         r"^y_train must hold binary labels 0 or 1 for task='binary', got values such as \[0, 2\]$"),
        ("multiclass", lambda m: training.fit(m, X, Y["multiclass"] + 1, epochs=1),
         r"^y_train must hold class labels from 0 to 2 \(the model has 3 output units\), got labels from 1 to 3$"),
        ("multiclass", lambda m: training.evaluate(m, X, Y["multiclass"] + 1),
         r"^y must hold class labels from 0 to 2 \(the model has 3 output units\), got labels from 1 to 3$"),
        ("multiclass", lambda m: training.fit(m, X, Y["multiclass"], validation=(X, _ALMOST_INTEGER), epochs=1),
         r"^y_val must hold integer class labels 0, 1, \.\.\., n_classes - 1 for task='multiclass'$"),
        ("regression", lambda m: training.fit(m, X, np.zeros((24, 0)), epochs=1),
         r"^y_train must have one value per row \(shape \(n,\) or \(n, 1\)\), got shape \(24, 0\)$"),
        ("regression", lambda m: training.fit(m, X[:, 0], Y["regression"], epochs=1),
         r"^X_train must have 2 dimension\(s\), got shape \(24,\)$"),
        ("regression", lambda m: training.evaluate(m, X[:, 0], Y["regression"]),
         r"^X must have 2 dimension\(s\), got shape \(24,\)$"),
    ],
)
def test_fit_and_evaluate_name_bad_labels_and_shapes(task, call, message):
    model = training.compile_model(_model(task), task=task)
    with pytest.raises(ValueError, match=message):
        call(model)


def test_validation_metrics_check_the_columns_and_classes_against_the_model():
    """Used as a plain Keras callback, ValidationMetrics checks its data against the model when training begins."""
    model = training.compile_model(_model("multiclass"), task="multiclass")
    narrow = training.ValidationMetrics(X[:, :3], Y["multiclass"], task="multiclass")
    narrow.set_model(model)
    with pytest.raises(ValueError, match=r"^X_val has 3 columns but the model 'mlp' expects 4$"):
        narrow.on_train_begin()
    too_many = training.ValidationMetrics(X, Y["multiclass"] + 1, task="multiclass")  # labels up to 3, 3 units
    too_many.set_model(model)
    with pytest.raises(ValueError, match=r"^y_val must hold class labels from 0 to 2 \(the model has 3 output units\), "
                                         r"got labels from 1 to 3$"):
        too_many.on_train_begin()
    fine = training.ValidationMetrics(X, Y["multiclass"], task="multiclass")
    fine.set_model(model)
    fine.on_train_begin()
    logs = {}
    fine.on_epoch_end(0, logs)
    assert logs["val_data_loss"] == pytest.approx(_hand_scores(model, X, Y["multiclass"], "multiclass")["data_loss"],
                                                  rel=1e-4)
    with pytest.raises(ValueError, match=r"^X_val must have at least 1 column\(s\), got shape \(24, 0\)$"):
        training.ValidationMetrics(X[:, :0], Y["multiclass"], task="multiclass")


def test_fit_linear_reaches_ridge_by_its_default_steps():
    """With Keras's L2(l) on the kernel, fit_linear minimises mean((y - Xw - b)^2) + l * |w|^2: scikit-learn's Ridge
    with alpha = n * l (intercept not penalised). Its default 1,000 steps converge to about 1e-7 here; 1e-4 leaves
    room for other CPUs (their last-bit differences do not move a converged minimum that far)."""
    from sklearn.linear_model import Ridge

    Xl, y = X.astype(np.float64), Y["regression"].astype(np.float64)
    keras.utils.set_random_seed(0)
    coef, intercept = training.fit_linear(Xl, y, kernel_regularizer=keras.regularizers.L2(0.05))
    ridge = Ridge(alpha=len(Xl) * 0.05).fit(Xl, y)
    np.testing.assert_allclose(coef, ridge.coef_, atol=1e-4)
    assert intercept == pytest.approx(ridge.intercept_, abs=1e-4)


def test_fit_linear_takes_the_documented_1000_steps_by_default():
    """Lesson 02 relies on the default, 1,000 steps. A converged run cannot tell 1,000 from 1,001 steps, so the check
    uses targets 100 times too large (coefficients up to 200) for Adam to reach in 1,000 steps, at most about its
    rate per step: there every step counts (one more moved the coefficients by about 9e-5 here, 20 times their
    float32 spacing), and the default run is, bitwise, the run of steps=1000 (same seed, same process)."""
    far = 100 * Y["regression"]
    keras.utils.set_random_seed(0)
    default = training.fit_linear(X, far)
    keras.utils.set_random_seed(0)
    explicit = training.fit_linear(X, far, steps=1000)
    np.testing.assert_array_equal(default[0], explicit[0])
    assert default[1] == explicit[1]
    assert np.abs(default[0]).max() < 100  # not converged (the least-squares coefficients reach about 200)


def test_the_helpers_print_and_warn_nothing(capsys, recwarn):
    """A lesson's cell shows what fit, train_steps and fit_linear print or warn: nothing (no progress bar from Keras's
    verbose mode, no warning that a shuffle request is ignored for a tf.data pipeline)."""
    training.fit(_regressor(), X, Y["regression"], validation=(X, Y["regression"]), epochs=2, batch_size=10)
    training.train_steps(_regressor(), X, Y["regression"], steps=2)
    training.fit_linear(X, Y["regression"], steps=10)
    out = capsys.readouterr()
    assert out.out == "" and out.err == ""
    assert [str(w.message) for w in recwarn] == []


def test_fit_linear_ends_at_1e_4_on_an_odd_number_of_rows():
    """steps=20: boundaries int(0.6, 0.8, 0.9 * 20) = 12, 16, 18, and Keras's PiecewiseConstantDecay keeps a rate up
    to and including its boundary: steps 0-12 at 0.1, 13-16 at 0.01, 17-18 at 0.001 and the last one, 19, at 1e-4.
    The same run as the plain recipe with those boundaries, on 23 rows (an odd number)."""
    Xl, y = X[:23].astype(np.float64), Y["regression"][:23].astype(np.float64)
    keras.utils.set_random_seed(0)
    coef, intercept = training.fit_linear(Xl, y, steps=20)
    keras.utils.set_random_seed(0)
    recipe = keras.Sequential([keras.Input((4,)), keras.layers.Dense(1)])
    schedule = keras.optimizers.schedules.PiecewiseConstantDecay([12, 16, 18], [0.1, 0.01, 0.001, 1e-4])
    recipe.compile(optimizer=keras.optimizers.Adam(learning_rate=schedule), loss="mse")
    import tensorflow as tf

    full_batch = tf.data.Dataset.from_tensors((Xl.astype(np.float32), y.reshape(-1, 1).astype(np.float32))).repeat()
    recipe.fit(full_batch, steps_per_epoch=20, epochs=1, verbose=0, shuffle=False)  # one epoch of 20 steps: quicker
    kernel, bias = (np.array(w.numpy()) for w in recipe.layers[0].weights)
    # as above: the same updates on this machine, within 1e-4; a last step at 1e-3 instead moves them by 5e-4
    np.testing.assert_allclose(coef, kernel.ravel(), rtol=1e-4, atol=1e-5)
    assert intercept == pytest.approx(float(bias[0]), rel=1e-4, abs=1e-5)
