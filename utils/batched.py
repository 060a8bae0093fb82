"""Many small networks trained as one model: a grid of settings, or several seeds, side by side.

Training a dozen small networks one after another costs a dozen times Keras's fixed overhead per epoch; laid
side by side in one model, they train in one pass per epoch, and each network's gradient is exactly the one it
would get alone (each network's curves do not depend on the others; tested).

- :func:`train_stack` (lesson 08): binary classifiers with one hidden layer, ``groups`` data sets x ``members``
  settings (L1/L2 factors, dropout rate), every epoch's validation and test scores and input importances recorded.
- :func:`build_side_by_side_mlp`, :func:`side_by_side_data`, :func:`train_side_by_side`, :func:`add_network`,
  :func:`predict_side_by_side`, :func:`describe_network` (lesson 07): one multiclass MLP per (seed, dropout
  rate), the network of the plain Keras recipe, each on its own split,
  Adam, full batch, with Keras's early-stopping rule replayed per network.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import Any

from utils import progress as utils_progress
from utils._validate import (
    check_array,
    check_choice,
    check_int,
    check_int_sequence,
    check_model,
    check_real,
    check_sequence,
    check_str,
)
from utils.models import MAX_UNITS
from utils.training import _EpochBar

import keras
import numpy as np


class _MemberPenalty(keras.regularizers.Regularizer):
    """The penalty of every member of a :class:`_StackedMLP`: ``sum_m l1[m] * sum|W_m| + l2[m] * sum W_m^2``
    over the first-layer kernel, shaped ``(groups, inputs, members * units)``; biases are not penalised."""

    def __init__(self, l1: np.ndarray, l2: np.ndarray, units: int) -> None:
        self.l1 = np.asarray(l1, dtype=np.float32)
        self.l2 = np.asarray(l2, dtype=np.float32)
        self.units = units

    def __call__(self, kernel: Any) -> Any:
        groups, n_inputs = kernel.shape[0], kernel.shape[1]
        w = keras.ops.reshape(kernel, (groups, n_inputs, len(self.l1), self.units))
        return keras.ops.sum(self.l1 * keras.ops.sum(keras.ops.abs(w), axis=(1, 3))) + keras.ops.sum(
            self.l2 * keras.ops.sum(keras.ops.square(w), axis=(1, 3))
        )


class _StackedMLP(keras.layers.Layer):
    """Many independent one-hidden-layer binary classifiers in one layer (see
    :func:`train_stack`).

    Input ``(groups, rows, inputs)``: one data set per group. Each group feeds ``members`` networks
    ``inputs -> units (ReLU, dropout) -> 1 (sigmoid)``; member ``m`` has its own L1 and L2 factors on its
    first-layer kernel and its own drop rate. The first layers of a group are one matrix product (the
    fast path on a CPU); the networks share no weight and no gradient. Every member of a group starts from
    the same initial weights (Glorot-uniform, as ``Dense``), so within a group only the technique differs.
    Output ``(groups, rows, members)``: probabilities.
    """

    def __init__(self, l1: Any, l2: Any, dropout: Any, units: int, **kwargs: Any) -> None:  # pragma: no mutate block (Keras reads its signature)
        super().__init__(**kwargs)
        self.members, self.units = len(l1), units
        self.penalty = _MemberPenalty(l1, l2, units)
        self.rates = np.repeat(np.asarray(dropout, dtype=np.float32), units)
        self.seed_generator = keras.random.SeedGenerator()

    def build(self, input_shape: Any) -> None:
        groups, n_inputs = int(input_shape[0]), int(input_shape[-1])
        members, units = self.members, self.units
        self.kernel_1 = self.add_weight(shape=(groups, n_inputs, members * units), initializer="zeros",
                                        regularizer=self.penalty, name="kernel_1")
        self.bias_1 = self.add_weight(shape=(groups, 1, members * units), initializer="zeros", name="bias_1")
        self.kernel_2 = self.add_weight(shape=(groups, members, units), initializer="zeros", name="kernel_2")
        self.bias_2 = self.add_weight(shape=(groups, 1, members), initializer="zeros", name="bias_2")
        limit_1, limit_2 = float(np.sqrt(6 / (n_inputs + units))), float(np.sqrt(6 / (units + 1)))
        first = keras.random.uniform((groups, n_inputs, 1, units), -limit_1, limit_1, seed=self.seed_generator)
        second = keras.random.uniform((groups, 1, units), -limit_2, limit_2, seed=self.seed_generator)
        self.kernel_1.assign(keras.ops.reshape(keras.ops.tile(first, (1, 1, members, 1)), self.kernel_1.shape))
        self.kernel_2.assign(keras.ops.tile(second, (1, members, 1)))

    def call(self, x: Any, training: bool | None = None) -> Any:
        hidden = keras.ops.relu(keras.ops.matmul(x, self.kernel_1) + self.bias_1)
        if training and np.any(self.rates > 0):
            keep = keras.random.uniform(keras.ops.shape(hidden), seed=self.seed_generator) >= self.rates
            hidden = hidden * keras.ops.cast(keep, hidden.dtype) / (1.0 - self.rates)
        shape = keras.ops.shape(hidden)
        hidden = keras.ops.reshape(hidden, (shape[0], shape[1], self.members, self.units))
        return keras.ops.sigmoid(keras.ops.sum(hidden * keras.ops.expand_dims(self.kernel_2, 1), axis=-1) + self.bias_2)

    def importance(self) -> Any:
        """Each input's importance for each member: the L2 norm of its outgoing first-layer weights,
        shaped ``(groups, members, inputs)``."""
        groups, n_inputs = self.kernel_1.shape[0], self.kernel_1.shape[1]
        w = keras.ops.reshape(self.kernel_1, (groups, n_inputs, self.members, self.units))
        return keras.ops.transpose(keras.ops.sqrt(keras.ops.sum(keras.ops.square(w), axis=-1)), (0, 2, 1))


class _SideBySideDense(keras.layers.Layer):
    """One Dense layer per network, side by side (see :func:`build_side_by_side_mlp`).

    Input ``(networks, examples, inputs)``, output ``(networks, examples, units)``: network ``n`` multiplies its
    own inputs by its own kernel ``kernel[n]`` and adds its own bias (which starts at zero), one batched matrix
    product for all. The networks share no weight, so each gets exactly the gradient it would get alone when
    the loss is a sum of their own losses.

    Parameters
    ----------
    kernel : numpy.ndarray of shape (networks, inputs, units)
        The initial kernels, float32.
    activation : str, optional
        A Keras activation name; None for linear.
    """

    def __init__(self, kernel: np.ndarray, activation: str | None = None, **kwargs: Any) -> None:  # pragma: no mutate block (Keras reads its signature)
        super().__init__(**kwargs)
        self.init, self.activation = kernel, keras.activations.get(activation)

    def build(self, input_shape: Any) -> None:
        self.kernel = self.add_weight(shape=self.init.shape, initializer=lambda shape, dtype=None: self.init)
        self.bias = self.add_weight(shape=(self.init.shape[0], self.init.shape[2]), initializer="zeros")

    def call(self, x: Any) -> Any:
        # networks first: a batched matmul with no transposes (an einsum over (examples, networks, ...) was 2x slower)
        return self.activation(keras.ops.matmul(x, self.kernel) + keras.ops.expand_dims(self.bias, 1))


class _SideBySideDropout(keras.layers.Layer):
    """Inverted dropout with its own rate per network, for :class:`_SideBySideDense`'s outputs: a fresh mask
    for every unit of every example at every training step; nothing changes in inference mode.

    Parameters
    ----------
    rates : numpy.ndarray of shape (networks,)
        Each network's drop rate, in [0, 1).
    seed : int
        Seed of the masks.
    """

    def __init__(self, rates: np.ndarray, seed: int, **kwargs: Any) -> None:  # pragma: no mutate block (Keras reads its signature)
        super().__init__(**kwargs)
        self.rates, self.seed = np.asarray(rates, dtype=np.float64), int(seed)
        self.keep = keras.ops.convert_to_tensor(1.0 - self.rates[:, None, None].astype("float32"))
        self.generator = keras.random.SeedGenerator(seed)

    def call(self, x: Any, training: bool = False) -> Any:
        if not training:
            return x  # inference: the full network, nothing rescaled (inverted dropout)
        kept = keras.random.uniform(keras.ops.shape(x), seed=self.generator) < self.keep
        return keras.ops.where(kept, x / self.keep, 0.0)


MAX_SIDE_BY_SIDE_WEIGHTS = 50_000_000
"""Most weights :func:`build_side_by_side_mlp` builds in all (200 MB of float32)."""


def build_side_by_side_mlp(
    seeds: Sequence[int],
    rates: Sequence[float],
    *,
    n_inputs: int,
    hidden: Sequence[int] = (256, 256),
    n_classes: int,
    seed: int,
    name: str = "side_by_side",
) -> keras.Model:
    """Build many multiclass networks that train side by side in one Keras model, each with its own
    weights and its own dropout rate.

    Network ``n`` is ``n_inputs -> hidden[0] ReLU -> dropout(rates[n]) -> ... -> n_classes softmax``, the
    plain Keras network ``keras.Sequential([keras.Input((n_inputs,)), keras.layers.Dense(hidden[0],
    activation="relu"), keras.layers.Dropout(rates[n]), ..., keras.layers.Dense(n_classes,
    activation="softmax")])`` with the initial weights that network gets when it is built right after
    ``keras.utils.set_random_seed(seeds[n])`` (Glorot-uniform kernels, zero biases). Networks with the same
    seed start from the same first-layer kernel; their later kernels are the same when both have dropout
    or both have none (a ``Dropout`` layer with a rate above 0 draws a seed of its own, which moves the
    draws after it). Train it with :func:`train_side_by_side`; the masks are drawn by this model, not as the
    recipe's ``Dropout`` layers draw them.

    Parameters
    ----------
    seeds : sequence of int
        Each network's seed of its initial weights (0 to 2**32 - 1); one per network.
    rates : sequence of float
        Each network's drop rate after every hidden layer (0 <= rate < 1); one per network.
    n_inputs : int
        Input features of every network.
    hidden : sequence of int, default (256, 256)
        Units of each hidden layer (at least one layer).
    n_classes : int
        Output classes (at least 2).
    seed : int
        Seed of the dropout masks (hidden layer ``k`` uses ``seed + k``), 0 to 2**32 - 1 - len(hidden).
    name : str, default "side_by_side"
        The model's name.

    Returns
    -------
    keras.Model
        Input ``(examples, networks, n_inputs)``, output ``(examples, networks, n_classes)``: probabilities.
        Not compiled.
    """
    seeds = check_int_sequence("seeds", seeds, minimum=0, maximum=2**32 - 1, max_length=10_000, example="[42, 43]")
    rate_items = check_sequence("rates", rates, what="drop rates", example="[0.0, 0.5]")
    rate_list = [check_real("each item of rates", r, minimum=0.0, maximum=1.0, strict_maximum=True) for r in rate_items]
    if len(rate_list) != len(seeds):
        raise ValueError(f"seeds and rates need one value per network each; got {len(seeds)} seeds and {len(rate_list)} rates")
    n_inputs = check_int("n_inputs", n_inputs, minimum=1, maximum=MAX_UNITS)
    hidden = check_int_sequence("hidden", hidden, minimum=1, maximum=MAX_UNITS, max_length=100, example="(256, 256)")
    n_classes = check_int("n_classes", n_classes, minimum=2, maximum=MAX_UNITS)
    seed = check_int("seed", seed, minimum=0, maximum=2**32 - 1 - len(hidden))
    name = check_str("name", name)
    sizes = list(zip([n_inputs, *hidden], [*hidden, n_classes], strict=True))
    if len(seeds) * sum(p * u for p, u in sizes) > MAX_SIDE_BY_SIDE_WEIGHTS:
        raise ValueError(
            f"{len(seeds)} networks of {sum(p * u for p, u in sizes):,} weights each is more than "
            f"{MAX_SIDE_BY_SIDE_WEIGHTS:,} in all: give fewer seeds and rates, or smaller hidden layers"
        )
    init = {}
    for s, r in zip(seeds, rate_list, strict=True):  # the recipe's weights, drawn once per (seed, dropout or not)
        if (s, r > 0) not in init:
            init[s, r > 0] = _recipe_kernels(s, r > 0, sizes)
    kernels = [np.stack([init[s, r > 0][k] for s, r in zip(seeds, rate_list, strict=True)]) for k in range(len(sizes))]
    return _assemble_side_by_side(kernels, np.asarray(rate_list, dtype=np.float64), seed, name)


def _recipe_kernels(seed: int, dropout: bool, sizes: Sequence[tuple[int, int]]) -> list[np.ndarray]:
    """The initial kernels of the plain Keras network built right after ``keras.utils.set_random_seed(seed)``:
    ``keras.Sequential([keras.Input(...), Dense(h, activation="relu"), Dropout(rate), ..., Dense(classes,
    activation="softmax")])``.

    Keras draws the seed of each unseeded initializer, and of each ``Dropout`` layer's masks when its rate is
    above 0, from Python's ``random`` module as the layers are created, in order; the weights are then a
    stateless function of those seeds (the same on every machine). This creates the same layers in the same
    order after seeding ``random`` with ``seed``, and restores ``random``'s state afterwards. Tested against
    the recipe itself.
    """
    import random

    state = random.getstate()
    try:
        random.seed(seed)
        kernels = []
        for k, (p, u) in enumerate(sizes):
            layer = keras.layers.Dense(u)  # draws its kernel initializer's seed
            kernels.append(np.asarray(layer.kernel_initializer((p, u)), dtype="float32"))
            if dropout and k < len(sizes) - 1:
                keras.layers.Dropout(0.5)  # draws its masks' seed, as the recipe's Dropout layer does
    finally:
        random.setstate(state)
    return kernels


def _assemble_side_by_side(kernels: Sequence[np.ndarray], rates: np.ndarray, seed: int, name: str) -> keras.Model:
    """The side-by-side model of these initial kernels ``(networks, inputs, units)``, one per layer, and rates."""
    inputs = keras.Input((kernels[0].shape[0], kernels[0].shape[1]))
    h = keras.ops.transpose(inputs, (1, 0, 2))  # (networks, examples, inputs) inside
    for k in range(len(kernels) - 1):
        h = _SideBySideDropout(rates, seed + k)(_SideBySideDense(kernels[k], "relu")(h))
    outputs = keras.ops.transpose(_SideBySideDense(kernels[-1], "softmax")(h), (1, 0, 2))
    return keras.Model(inputs, outputs, name=name)


MAX_STACK_VALUES = 50_000_000
"""At most this many recorded numbers (epochs x groups x members x inputs) in :func:`train_stack` (200 MB)."""

MAX_STACK_EPOCHS = 2_000
"""Most epochs of one :func:`train_stack` call: it records every epoch, so more is a typo that would look like a hang."""


class _MemberCrossEntropy(keras.losses.Loss):
    """Binary cross-entropy of each member on its own group's rows, summed over members and groups, so
    that each member's gradient is exactly the one it would get if it were trained alone."""

    def __init__(self) -> None:
        super().__init__(reduction="sum", name="member_cross_entropy")

    def call(self, y_true: Any, y_pred: Any) -> Any:
        p = keras.ops.clip(y_pred, 1e-7, 1 - 1e-7)
        return keras.ops.mean(-(y_true * keras.ops.log(p) + (1 - y_true) * keras.ops.log(1 - p)), axis=1)


class _MemberAdam(keras.optimizers.Adam):
    """Adam with each member's own step size in a :class:`_StackedMLP`: the per-member learning rates enter
    Adam's update exactly where a single network's learning rate does (``alpha = lr * sqrt(1 - beta_2^t) /
    (1 - beta_1^t)``), so member ``m`` moves as Adam with ``learning_rate=rates[m]`` would move it alone."""

    def __init__(self, rates: np.ndarray, units: int) -> None:
        super().__init__(learning_rate=1.0, name="member_adam")
        self.member_rates, self.units = np.asarray(rates, dtype=np.float32), units
        self._scales: list[Any] = []

    def build(self, variables: Any) -> None:
        super().build(variables)
        per_unit = np.repeat(self.member_rates, self.units)
        shapes = {"kernel_1": per_unit[None, None, :], "bias_1": per_unit[None, None, :],
                  "kernel_2": self.member_rates[None, :, None], "bias_2": self.member_rates[None, None, :]}
        self._scales = [shapes[v.name] for v in variables]

    def update_step(self, gradient: Any, variable: Any, learning_rate: Any) -> None:
        scale = self._scales[self._get_variable_index(variable)]
        super().update_step(gradient, variable, keras.ops.cast(learning_rate, variable.dtype) * keras.ops.cast(scale, variable.dtype))


def _stack_part(name: str, X: Any, y: Any, *, groups: int | None, n_inputs: int | None) -> tuple[np.ndarray, np.ndarray]:
    X = check_array(name if not isinstance(name, tuple) else name[0], X, ndim=3)
    x_name, y_name = (name, f"y of {name}") if isinstance(name, str) else name
    y = check_array(y_name, y, ndim=2)
    if X.shape[0] < 1 or X.shape[1] < 1 or X.shape[2] < 1:
        raise ValueError(f"{x_name} must have at least one group, one row and one input, got shape {X.shape}")
    if y.shape != X.shape[:2]:
        raise ValueError(f"{y_name} must have shape (groups, rows) = {X.shape[:2]} to match {x_name}, got {y.shape}")
    if groups is not None and X.shape[0] != groups:
        raise ValueError(f"{x_name} has {X.shape[0]} groups but X_train has {groups}")
    if n_inputs is not None and X.shape[2] != n_inputs:
        raise ValueError(f"{x_name} has {X.shape[2]} inputs but X_train has {n_inputs}")
    if not np.all((y == 0) | (y == 1)):
        raise ValueError(f"{y_name} must hold binary labels 0 and 1 only")
    return X.astype(np.float32), y.astype(np.float32)[..., None]


def _factors(name: str, value: Any, *, maximum: float, strict_maximum: bool = False) -> np.ndarray:
    array = check_array(name, value, ndim=1)
    for item in array:
        check_real(name, float(item), minimum=0.0, maximum=maximum, strict_maximum=strict_maximum)
    return array.astype(np.float32)


def train_stack(
    X_train: Any,
    y_train: Any,
    *,
    l1: Sequence[float],
    l2: Sequence[float],
    dropout: Sequence[float],
    units: int = 16,
    epochs: int,
    learning_rate: float = 1e-2,
    learning_rates: Sequence[float] | None = None,
    evaluate: dict[str, tuple[Any, Any]] | None = None,
    progress: str | None = None,
) -> dict[str, Any]:
    """Train many small binary classifiers at once, full batch with Adam, and record their curves.

    Each of ``groups`` data sets (for example one split per seed) trains ``members`` independent networks
    ``inputs -> units ReLU units (dropout) -> 1 sigmoid unit``; member ``m`` adds ``l1[m] * sum|W| +
    l2[m] * sum W^2`` on its first-layer kernel (Keras's ``L1L2(l1, l2)``; biases are not penalised) and
    drops hidden units at rate ``dropout[m]`` during training. All networks are one Keras model and train
    in one ``fit`` call (one compilation, one matrix product per group and step), several times faster than
    training them one after another; each member's updates are those it would get alone. Within a group
    every member starts from the same initial weights.

    Parameters
    ----------
    X_train : array-like of shape (groups, rows, inputs)
        One training set per group.
    y_train : array-like of shape (groups, rows)
        Its 0/1 labels.
    l1, l2 : sequence of float
        Penalty factors of each member (>= 0, at most 1e6), one per member.
    dropout : sequence of float
        Drop rate of each member (0 <= rate < 1).
    units : int, default 16
        Hidden units of every network.
    epochs : int
        Full-batch steps (at most 2,000).
    learning_rate : float, default 0.01
        Adam's step size (at most 10), shared by every member.
    learning_rates : sequence of float, optional
        Each member's own Adam step size instead (each in (0, 10], one per member): member ``m`` then trains as
        Adam with ``learning_rate=learning_rates[m]`` would train it alone.
    evaluate : dict of str to (X, y), optional
        Data sets shaped like the training set (same groups and inputs, any number of rows), e.g.
        ``{"validation": (X_val, y_val), "test": (X_test, y_test)}``, scored after every epoch.
    progress : str, optional
        A short label: show a bar of the epochs (see :mod:`utils.progress`).

    Returns
    -------
    dict
        ``"loss"`` and ``"accuracy"``: for each name in ``evaluate``, an array ``(epochs, groups, members)``
        of the data loss (binary cross-entropy, in inference mode) and accuracy after each epoch;
        ``"train_loss"`` and ``"train_accuracy"``: ``(groups, members)`` after the last epoch;
        ``"importance"``: ``(epochs, groups, members, inputs)``, each input's outgoing first-layer weight
        norm after each epoch (as :func:`utils.measures.input_importance`); ``"seconds"``: the training time.
    """
    import tensorflow as tf

    X_train, y_train = _stack_part(("X_train", "y_train"), X_train, y_train, groups=None, n_inputs=None)
    groups, n_inputs = X_train.shape[0], X_train.shape[2]
    l1 = _factors("l1", l1, maximum=1e6)
    l2 = _factors("l2", l2, maximum=1e6)
    dropout = _factors("dropout", dropout, maximum=1.0, strict_maximum=True)
    if not len(l1) == len(l2) == len(dropout):
        raise ValueError(f"l1, l2 and dropout need one value per member each; got lengths {len(l1)}, {len(l2)}, {len(dropout)}")
    members = len(l1)
    units = check_int("units", units, minimum=1, maximum=10_000)
    epochs = check_int("epochs", epochs, minimum=1, maximum=MAX_STACK_EPOCHS)
    learning_rate = check_real("learning_rate", learning_rate, minimum=0.0, maximum=10.0, strict_minimum=True)
    if learning_rates is not None:
        rates = _factors("learning_rates", learning_rates, maximum=10.0)
        if len(rates) != members:
            raise ValueError(f"learning_rates needs one value per member ({members}), got {len(rates)}")
        if not np.all(rates > 0):
            raise ValueError("learning_rates must all be greater than 0 (Adam's step size of each member)")
    if evaluate is None:
        evaluate = {}
    if not isinstance(evaluate, dict):
        raise TypeError(f"evaluate must be a dict of name to (X, y), got {type(evaluate).__name__}")
    parts = {}
    for key, pair in evaluate.items():
        check_str("evaluate", key)
        if not (isinstance(pair, tuple) and len(pair) == 2):
            raise TypeError(f"evaluate[{key!r}] must be a tuple (X, y), got {type(pair).__name__}")
        parts[key] = _stack_part((f"evaluate[{key!r}] X", f"evaluate[{key!r}] y"), *pair, groups=groups, n_inputs=n_inputs)
    if epochs * groups * members * n_inputs > MAX_STACK_VALUES or groups * members * units * n_inputs > MAX_STACK_VALUES:
        raise ValueError(
            f"epochs x groups x members x inputs = {epochs * groups * members * n_inputs:,} numbers to record (or as many "
            f"weights) is more than {MAX_STACK_VALUES:,}: use fewer epochs, groups or members"
        )
    if progress is not None:
        progress = utils_progress.label(progress, name="progress")


    inputs = keras.Input(shape=(None, n_inputs), batch_size=groups)
    layer = _StackedMLP(l1, l2, dropout, units, name="stack")
    model = keras.Model(inputs, layer(inputs), name="mlp_stack")
    optimizer = (keras.optimizers.Adam(learning_rate=learning_rate) if learning_rates is None
                 else _MemberAdam(rates, units))
    model.compile(optimizer=optimizer, loss=_MemberCrossEntropy())

    names = list(parts)
    rows = np.cumsum([0] + [parts[k][0].shape[1] for k in names])
    X_eval = tf.constant(np.concatenate([parts[k][0] for k in names], axis=1)) if names else None
    y_eval = np.concatenate([parts[k][1] for k in names], axis=1) if names else None
    # Compiled as named functions, not lambdas: to convert a lambda, AutoGraph parses its whole module.
    def predict(x: Any) -> Any:
        return model(x, training=False)

    def predict_and_weigh(x: Any) -> tuple[Any, Any]:
        return layer.importance(), model(x, training=False)

    forward = tf.function(predict)
    # after each epoch one compiled call returns both the importances and the predictions on every evaluated set
    snapshot = tf.function(predict_and_weigh)
    importance_of = tf.function(layer.importance)
    loss = {k: np.empty((epochs, groups, members)) for k in names}
    accuracy = {k: np.empty((epochs, groups, members)) for k in names}
    importance = np.empty((epochs, groups, members, n_inputs), dtype=np.float32)

    def scores(pred: Any, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        p = np.clip(np.asarray(pred, dtype=np.float64), 1e-7, 1 - 1e-7)
        return -(y * np.log(p) + (1 - y) * np.log(1 - p)), (p > 0.5) == (y > 0.5)

    class Record(keras.callbacks.Callback):
        def on_epoch_end(self, epoch: int, logs: dict[str, float] | None = None) -> None:
            if X_eval is None:
                importance[epoch] = np.asarray(importance_of())
                return
            weights, pred = snapshot(X_eval)
            importance[epoch] = np.asarray(weights)
            losses, right = scores(pred, y_eval)
            for i, k in enumerate(names):
                loss[k][epoch] = losses[:, rows[i]:rows[i + 1]].mean(axis=1)
                accuracy[k][epoch] = right[:, rows[i]:rows[i + 1]].mean(axis=1)

    callbacks: list[keras.callbacks.Callback] = [Record()]
    if progress is not None:
        callbacks.append(_EpochBar(utils_progress.bar(epochs, desc=progress)))
    data = tf.data.Dataset.from_tensors((X_train, y_train)).repeat()
    optimizer.build(model.trainable_variables)  # its slots now, so the step below is traced once, not twice
    start = time.perf_counter()
    model.fit(data, steps_per_epoch=1, epochs=epochs, verbose=0, shuffle=False, callbacks=callbacks)
    seconds = time.perf_counter() - start
    train_losses, train_right = scores(forward(X_train), y_train)
    return {
        "loss": loss, "accuracy": accuracy,
        "train_loss": train_losses.mean(axis=1), "train_accuracy": train_right.mean(axis=1),
        "importance": importance, "seconds": seconds,
    }


# ------------------------------------------------------------------ many multiclass networks side by side (lesson 07)


def side_by_side_data(splits: Sequence[Any], part: str) -> tuple[np.ndarray, np.ndarray]:
    """One part of each network's own split, side by side, as :func:`train_side_by_side` takes it.

    Parameters
    ----------
    splits : sequence of utils.data.Split
        One split per network (the same split may appear several times), each with as many rows in ``part``
        and as many features.
    part : {"train", "val", "test"}
        Which part.

    Returns
    -------
    X : numpy.ndarray of shape (examples, networks, features), float32
    y : numpy.ndarray of shape (examples, networks)
    """
    from utils.data import Split

    check_choice("part", part, ("train", "val", "test"))
    items = _check_splits(splits, Split)
    X = [getattr(s, f"X_{part}") for s in items]
    y = [getattr(s, f"y_{part}") for s in items]
    if len({x.shape for x in X}) > 1:
        raise ValueError(f"splits must all have the same shape of X_{part}, got {sorted({x.shape for x in X})}")
    if len(X[0]) == 0:
        raise ValueError(f"splits have no rows in part {part!r}")
    return np.stack(X, axis=1).astype("float32"), np.stack(y, axis=1)


def _check_splits(splits: Any, split_type: type) -> list[Any]:
    """Return ``splits`` as a non-empty list of ``split_type`` objects, or raise naming ``splits``."""
    if isinstance(splits, split_type):
        raise TypeError("splits must be a sequence of utils.data.Split (one per network), got a single Split; "
                        "write [split]")
    items = check_sequence("splits", splits, what="utils.data.Split objects", example="[split_42, split_43]")
    if not items:
        raise ValueError("splits must not be empty: give one utils.data.Split per network")
    for item in items:
        if not isinstance(item, split_type):
            raise TypeError(f"each item of splits must be a utils.data.Split, got {type(item).__name__}")
    return items


def _side_by_side_cross_entropy(proba: np.ndarray, y: np.ndarray) -> np.ndarray:
    """-log p(true class) of every example and network, clipped below at 1e-7 as Keras clips it."""
    n, m = y.shape
    return -np.log(np.clip(proba[np.arange(n)[:, None], np.arange(m), y].astype("float64"), 1e-7, 1.0))


_SIDE_BY_SIDE_FORWARD: Any = None


def _side_by_side_forward(model: keras.Model, X: np.ndarray) -> np.ndarray:
    """Inference-mode probabilities (dropout off), through one compiled graph per model."""
    global _SIDE_BY_SIDE_FORWARD
    import weakref

    import tensorflow as tf

    if _SIDE_BY_SIDE_FORWARD is None:
        _SIDE_BY_SIDE_FORWARD = weakref.WeakKeyDictionary()
    if model not in _SIDE_BY_SIDE_FORWARD:
        owner = weakref.ref(model)  # the cached graph must not keep its model alive

        def predict(x: Any) -> Any:  # a named function, not a lambda: AutoGraph parses a lambda's whole module
            return owner()(x, training=False)

        _SIDE_BY_SIDE_FORWARD[model] = tf.function(predict, reduce_retracing=True)
    return _SIDE_BY_SIDE_FORWARD[model](X).numpy()


def _side_by_side_model(model: Any) -> tuple[int, int, int]:
    """Networks, inputs and classes of a model from :func:`build_side_by_side_mlp`, or raise."""
    check_model("model", model)
    shape_in, shape_out = getattr(model, "input_shape", None), getattr(model, "output_shape", None)
    if not (isinstance(shape_in, tuple) and len(shape_in) == 3 and isinstance(shape_out, tuple) and len(shape_out) == 3
            and shape_in[1] == shape_out[1] and shape_in[1] is not None):
        raise ValueError("model must come from utils.batched.build_side_by_side_mlp: input (examples, networks, inputs) "
                         f"and output (examples, networks, classes); got input {shape_in} and output {shape_out}")
    return shape_in[1], shape_in[2], shape_out[2]


def _side_by_side_part(x_name: str, y_name: str, X: Any, y: Any, shape: tuple[int, int, int]) -> tuple[np.ndarray, np.ndarray]:
    networks, n_inputs, n_classes = shape
    X = check_array(x_name, X, ndim=3)
    y = check_array(y_name, y, ndim=2)
    if X.shape[1:] != (networks, n_inputs):
        raise ValueError(f"{x_name} must have shape (examples, {networks} networks, {n_inputs} inputs) for this model, "
                         f"got {X.shape}")
    if y.shape != X.shape[:2]:
        raise ValueError(f"{y_name} must have shape (examples, networks) = {X.shape[:2]} to match {x_name}, got {y.shape}")
    if not np.all(np.equal(np.mod(y, 1), 0)) or y.min() < 0 or y.max() >= n_classes:
        raise ValueError(f"{y_name} must hold integer class labels from 0 to {n_classes - 1}")
    return X.astype(np.float32, copy=False), y if np.issubdtype(y.dtype, np.integer) else y.astype(np.int64)


def train_side_by_side(
    model: keras.Model,
    X_train: Any,
    y_train: Any,
    X_val: Any,
    y_val: Any,
    *,
    epochs: int,
    learning_rate: float = 3e-3,
    patience: int = 10,
    watch: Any = None,
    progress: str | None = None,
) -> dict[str, Any]:
    """Train the networks of a side-by-side model full batch with Adam, and record their curves.

    The loss is the sum of the networks' own mean cross-entropies, so each weight gets exactly the gradient
    it would get if its network were trained alone (and Adam scales every weight on its own): the same
    training as one ``fit`` per network, up to the random draws and the order of floating-point operations.
    Each epoch records each network's training loss as Keras's ``fit`` records it (in the training step,
    dropout on, before the update) and its validation loss (one forward pass, dropout off), and applies
    ``keras.callbacks.EarlyStopping(patience=patience, restore_best_weights=True)``'s bookkeeping to every
    network (without stopping any): the epoch it would stop at, and, for the watched networks, the weights
    of its best epoch before that.

    Parameters
    ----------
    model : keras.Model
        From :func:`build_side_by_side_mlp`; trained in place.
    X_train, y_train : array-like of shape (examples, networks, inputs) and (examples, networks)
        Each network's training set and integer class labels (see :func:`side_by_side_data`).
    X_val, y_val : array-like
        Each network's validation set, shaped the same way (any number of examples).
    epochs : int
        Full-batch steps (at most 2,000).
    learning_rate : float, default 0.003
        Adam's step size (at most 10).
    patience : int, default 10
        Early stopping's patience, in epochs.
    watch : array-like of bool of shape (networks,), optional
        The networks whose best-epoch weights are kept; default: every network.
    progress : str, optional
        A short label: show a bar of the epochs (see :mod:`utils.progress`).

    Returns
    -------
    dict
        ``"fit"`` and ``"validation"``: arrays ``(epochs, networks)`` of the training loss as fit records it
        and the validation loss; ``"early_stop"``: a dict with ``"stop_epoch"`` (networks,) the epoch each
        network would stop at (``epochs`` if never), ``"best"`` its lowest validation loss before it, ``"patience"``,
        ``"wait"`` and ``"weights"`` (the model's weights, a list as ``model.get_weights()``, holding each
        watched network's weights of its best epoch); ``"model"``: the model.
    """
    import tensorflow as tf

    shape = _side_by_side_model(model)
    n = shape[0]
    X_train, y_train = _side_by_side_part("X_train", "y_train", X_train, y_train, shape)
    X_val, y_val = _side_by_side_part("X_val", "y_val", X_val, y_val, shape)
    epochs = check_int("epochs", epochs, minimum=1, maximum=MAX_STACK_EPOCHS)
    learning_rate = check_real("learning_rate", learning_rate, minimum=0.0, maximum=10.0, strict_minimum=True)
    patience = check_int("patience", patience, minimum=1, maximum=MAX_STACK_EPOCHS)
    if watch is None:
        watched = np.ones(n, dtype=bool)
    else:
        watched = check_array("watch", watch, ndim=1)
        if watched.dtype != bool:
            raise TypeError(f"watch must hold True or False, one per network, got dtype {watched.dtype}")
        if len(watched) != n:
            raise ValueError(f"watch must have one value per network ({n}), got {len(watched)}")
    if progress is not None:
        progress = utils_progress.label(progress, name="progress")
    optimizer = keras.optimizers.Adam(learning_rate)
    optimizer.build(model.trainable_variables)  # its slots now, so the step below is traced once, not twice

    @tf.function
    def step(x: Any, y: Any, x_val: Any) -> Any:
        """One full-batch Adam step; returns each network's training loss, measured with dropout on before the
        update, and the validation probabilities after it, with dropout off (one call into the graph per epoch)."""
        with tf.GradientTape() as tape:
            losses = keras.ops.mean(keras.losses.sparse_categorical_crossentropy(y, model(x, training=True)), axis=0)
            total = keras.ops.sum(losses)
        gradients = tape.gradient(total, model.trainable_variables)
        optimizer.apply_gradients(zip(gradients, model.trainable_variables, strict=True))
        return losses, model(x_val, training=False)

    record: dict[str, Any] = {"fit": [], "validation": [], "best": np.full(n, np.inf), "patience": patience,
                              "stop_epoch": np.full(n, epochs), "wait": np.zeros(n, int)}
    loop = range(epochs) if progress is None else utils_progress.track(range(epochs), desc=progress)
    x_train, y_labels, x_val = tf.constant(X_train), tf.constant(y_train), tf.constant(X_val)  # converted once
    for epoch in loop:
        losses, proba = step(x_train, y_labels, x_val)
        record["fit"].append(losses.numpy())
        val = _side_by_side_cross_entropy(proba.numpy(), y_val).mean(axis=0)
        record["validation"].append(val)
        running = record["stop_epoch"] == epochs  # early stopping's bookkeeping, as EarlyStopping does it
        better = running & (val < record["best"])
        if epoch == 0:
            record["weights"] = [w.copy() for w in model.get_weights()]
        elif (better & watched).any():
            for kept, now in zip(record["weights"], model.get_weights(), strict=True):
                kept[better & watched] = now[better & watched]
        record["best"][better] = val[better]
        record["wait"] = np.where(better, 0, record["wait"] + 1)
        record["stop_epoch"][running & (record["wait"] >= patience)] = epoch + 1
    curves = {k: np.array(record.pop(k)) for k in ("fit", "validation")}
    return {"model": model, **curves, "early_stop": record}


def predict_side_by_side(model: keras.Model, X: Any, y: Any, *, weights: Sequence[Any] | None = None) -> dict[str, np.ndarray]:
    """Inference-mode predictions (dropout off) of every network of a side-by-side model on its own data.

    Parameters
    ----------
    model : keras.Model
        From :func:`build_side_by_side_mlp`; left with the weights it had.
    X, y : array-like of shape (examples, networks, inputs) and (examples, networks)
        Each network's data and integer class labels (see :func:`side_by_side_data`).
    weights : list of numpy.ndarray, optional
        Other weights to predict with, as ``model.get_weights()`` gives them (for example
        ``train_side_by_side(...)["early_stop"]["weights"]``); default: the model's own.

    Returns
    -------
    dict
        ``"loss"``: (examples, networks) ``-log p(true class)``, clipped as Keras clips it; ``"right"``:
        (examples, networks) whether the most probable class is the true one; ``"proba"``: (examples,
        networks, classes) the probabilities.
    """
    shape = _side_by_side_model(model)
    X, y = _side_by_side_part("X", "y", X, y, shape)
    final = model.get_weights()
    if weights is not None:
        items = check_sequence("weights", weights, what="arrays as model.get_weights() gives them",
                               example="model.get_weights()")
        expected = f"{len(final)} arrays of shapes {[f.shape for f in final]}"
        if len(items) != len(final):
            raise ValueError(f"weights must match model.get_weights(): {expected}; got {len(items)} items")
        arrays = [check_array(f"weights[{i}]", w, min_rows=0).astype(f.dtype) for i, (w, f) in enumerate(zip(items, final, strict=True))]
        if any(a.shape != f.shape for a, f in zip(arrays, final, strict=True)):
            raise ValueError(f"weights must match model.get_weights(): {expected}; got shapes {[a.shape for a in arrays]}")
        model.set_weights(arrays)
    try:
        proba = _side_by_side_forward(model, X)
    finally:
        model.set_weights(final)
    return {"loss": _side_by_side_cross_entropy(proba, y), "right": proba.argmax(axis=-1) == y, "proba": proba}


def add_network(
    model: keras.Model, run: dict[str, Any], network: keras.Model, history: Any, *, index: int
) -> tuple[keras.Model, dict[str, Any]]:
    """Put a plain Keras network, trained with ``fit``, among the networks of a side-by-side run.

    The plain network trains on its own (for example the lesson's recipe); this lays its trained weights and
    its ``fit`` curves beside the others, so that every later step (:func:`predict_side_by_side`, the curves,
    early stopping's bookkeeping) treats it as one more network.

    Parameters
    ----------
    model : keras.Model
        A side-by-side model from :func:`build_side_by_side_mlp`, trained by :func:`train_side_by_side`.
    run : dict
        What :func:`train_side_by_side` returned for ``model``.
    network : keras.Model
        A plain network of the same shape as each side-by-side network (``Dense`` layers of the same sizes, with
        ReLU hidden layers and a softmax output, each hidden one followed by the same ``Dropout`` rate or by
        none), trained full batch for as many epochs as ``run`` (one step per epoch).
    history : keras.callbacks.History or dict
        What ``network.fit(..., validation_data=...)`` returned (or its ``.history``): ``"loss"`` and
        ``"val_loss"``, one value per epoch.
    index : int
        Where the network goes among the networks (0 to the number of networks).

    Returns
    -------
    (keras.Model, dict)
        A new side-by-side model with one more network, and its run: ``"fit"`` and ``"validation"`` hold
        ``history``'s ``"loss"`` and ``"val_loss"`` in column ``index``; ``"early_stop"`` holds Keras's
        early-stopping rule replayed on ``"val_loss"`` for it, and its final weights (it is not watched).
    """
    networks, n_inputs, n_classes = _side_by_side_model(model)
    check_model("network", network)
    index = check_int("index", index, minimum=0, maximum=networks)
    if not isinstance(run, dict) or not {"fit", "validation", "early_stop"} <= set(run):
        raise TypeError("run must be the dict that train_side_by_side returned for this model")
    curves = getattr(history, "history", history)
    if not isinstance(curves, dict) or not {"loss", "val_loss"} <= set(curves):
        raise TypeError("history must be what fit(..., validation_data=...) returned: a History, or its .history "
                        "dict with 'loss' and 'val_loss'")
    epochs = run["fit"].shape[0]
    loss, val_loss = (np.asarray(curves[k], dtype=np.float64) for k in ("loss", "val_loss"))
    if loss.shape != (epochs,) or val_loss.shape != (epochs,):
        raise ValueError(f"history must hold one loss and one val_loss per epoch of the run ({epochs}), got "
                         f"{loss.shape[0]} and {val_loss.shape[0]}")
    weights = model.get_weights()
    plain = network.get_weights()
    if len(plain) != len(weights) or any(p.shape != w.shape[1:] for p, w in zip(plain, weights, strict=False)):
        raise ValueError(f"network must have the layers of one side-by-side network: weights of shapes "
                         f"{[w.shape[1:] for w in weights]}, got {[p.shape for p in plain]}")
    drops = [layer for layer in model.layers if isinstance(layer, _SideBySideDropout)]
    found = {float(layer.rate) for layer in network.layers if isinstance(layer, keras.layers.Dropout)}
    if len(found) > 1:
        raise ValueError(f"network must use one dropout rate after every hidden layer, got {sorted(found)}")
    rate = found.pop() if found else 0.0
    rates = np.insert(drops[0].rates, index, rate)
    merged = _assemble_side_by_side([np.insert(w, index, p, axis=0) for w, p in zip(weights[0::2], plain[0::2],
                                                                                     strict=True)],
                                    rates, drops[0].seed, model.name)
    merged.set_weights([np.insert(w, index, p, axis=0) for w, p in zip(weights, plain, strict=True)])
    best, wait, stop = np.inf, 0, epochs  # early stopping's bookkeeping, replayed as train_side_by_side does it
    for epoch, value in enumerate(val_loss):
        running = stop == epochs
        better = running and value < best
        best = value if better else best
        wait = 0 if better else wait + 1
        if running and wait >= run["early_stop"]["patience"]:
            stop = epoch + 1
    early = dict(run["early_stop"])
    early["stop_epoch"] = np.insert(early["stop_epoch"], index, stop)
    early["best"] = np.insert(early["best"], index, best)
    early["wait"] = np.insert(early["wait"], index, wait)
    early["weights"] = [np.insert(w, index, p, axis=0) for w, p in zip(early["weights"], plain, strict=True)]
    return merged, {**run, "model": merged, "fit": np.insert(run["fit"], index, loss, axis=1),
                    "validation": np.insert(run["validation"], index, val_loss, axis=1), "early_stop": early}


def describe_network(model: keras.Model, index: int) -> str:
    """One line naming the layers of network ``index`` of a side-by-side model, in the form of
    :func:`utils.model_checks.summary`, e.g. ``"Dense(256, relu) → Dropout(0.5) → Dense(10, softmax)"``.

    Parameters
    ----------
    model : keras.Model
        From :func:`build_side_by_side_mlp` (or :func:`add_network`).
    index : int
        Which network (0 to the number of networks - 1).

    Returns
    -------
    str
    """
    networks, _, _ = _side_by_side_model(model)
    index = check_int("index", index, minimum=0, maximum=networks - 1)
    items = []
    for layer in model.layers:
        if isinstance(layer, _SideBySideDense):
            items.append(f"Dense({layer.init.shape[2]}, {layer.activation.__name__})")
        elif isinstance(layer, _SideBySideDropout) and layer.rates[index] > 0:
            items.append(f"Dropout({layer.rates[index]:g})")
    return " → ".join(items)
