"""Values and bounds of ``utils.models`` (issue 23, mutation testing): what the built networks compute, compared
with a hand-written NumPy forward pass and with Keras's own layers, which kernels carry the penalty (its value, not
only its count), each argument at its documented bounds with the message naming it and pruning at its threshold
(``MCDropout``: ``test_models_mc_dropout.py``).

Fast: no training (a model is built and called once); the tests of training are in ``test_models_training.py``
and ``test_training_values.py``.
"""

from __future__ import annotations

import warnings

from utils import models, training

import keras
import numpy as np
import pytest

RNG = np.random.default_rng(0)
X4 = RNG.normal(size=(6, 4)).astype(np.float32)


def _relu(z):
    return np.maximum(z, 0.0)


def _forward(model, X, hidden_activation=_relu, output_activation=lambda z: z):
    """The network's output computed by hand from its weights (inference mode: dropout does nothing)."""
    kernels = models.dense_kernels(model)
    biases = {layer.name: np.array(layer.bias.numpy()) for layer in model.layers if isinstance(layer, keras.layers.Dense)}
    h = X.astype(np.float64)
    for name in kernels:
        z = h @ kernels[name] + biases[name]
        h = output_activation(z) if name == "output" else hidden_activation(z)
    return h


def _sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def _softmax(z):
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


@pytest.mark.parametrize(
    ("task", "n_classes", "out", "units"),
    [("regression", None, lambda z: z, 1), ("binary", None, _sigmoid, 1), ("multiclass", 3, _softmax, 3)],
)
def test_mlp_computes_the_documented_network(task, n_classes, out, units):
    """Hidden layers with the given activation, then one linear unit, one sigmoid unit or n_classes softmax units;
    dropout changes nothing in inference mode."""
    keras.utils.set_random_seed(1)
    model = models.build_mlp(4, (5, 3), task=task, n_classes=n_classes, dropout=0.5, input_dropout=0.2)
    assert model.output_shape == (None, units)
    np.testing.assert_allclose(np.asarray(model(X4, training=False)), _forward(model, X4, output_activation=out),
                               rtol=1e-5, atol=1e-6)


def test_mlp_hidden_activation_is_the_one_named():
    keras.utils.set_random_seed(2)
    model = models.build_mlp(4, (5,), task="regression", activation="tanh")
    np.testing.assert_allclose(np.asarray(model(X4)), _forward(model, X4, hidden_activation=np.tanh), rtol=1e-5, atol=1e-6)
    assert [layer.activation.__name__ for layer in model.layers] == ["tanh", "linear"]


def test_mlp_layer_names_units_and_model_name():
    model = models.build_mlp(4, (5, 3), dropout=0.25, input_dropout=0.1, name="wide")
    assert model.name == "wide" and models.build_mlp(4).name == "mlp"
    assert [layer.name for layer in model.layers] == [
        "input_dropout", "hidden_1", "dropout_1", "hidden_2", "dropout_2", "output"]
    assert [layer.rate for layer in model.layers if isinstance(layer, keras.layers.Dropout)] == [0.1, 0.25, 0.25]
    assert [layer.units for layer in model.layers if isinstance(layer, keras.layers.Dense)] == [5, 3, 1]
    assert model.input_shape == (None, 4) and [t.name for t in model.inputs] == ["inputs"]
    # no dropout asked: no Dropout layer at all
    assert [layer.name for layer in models.build_mlp(4, (5,)).layers] == ["hidden_1", "output"]


@pytest.mark.parametrize(
    ("regularize", "hidden", "penalised"),
    [
        ("all", (3, 2), ["hidden_1", "hidden_2", "output"]),
        ("hidden", (3, 2), ["hidden_1", "hidden_2"]),
        ("first", (3, 2), ["hidden_1"]),
        ("first", (), ["output"]),  # no hidden layer: the output layer is the first one
        ("all", (), ["output"]),
    ],
)
def test_penalty_is_the_regularizers_value_on_the_chosen_kernels(regularize, hidden, penalised):
    """The model's penalty is 0.1 * sum(w^2) over exactly the chosen kernels (Keras's L2), never on biases; the
    constraint goes to the same kernels."""
    keras.utils.set_random_seed(3)
    constraint = keras.constraints.MaxNorm(2.0)
    model = models.build_mlp(4, hidden, kernel_regularizer=keras.regularizers.L2(0.1), regularize=regularize,
                             kernel_constraint=constraint)
    kernels = models.dense_kernels(model)
    expected = sum(0.1 * float(np.sum(kernels[name].astype(np.float64) ** 2)) for name in penalised)
    total = sum(float(keras.ops.convert_to_numpy(loss)) for loss in model.losses)
    assert total == pytest.approx(expected, rel=1e-5)
    for layer in model.layers:
        on = layer.name in penalised
        assert (layer.kernel_regularizer is not None) is on and layer.bias_regularizer is None, layer.name
        assert (layer.kernel_constraint is constraint) is on, layer.name


def test_linear_model_is_one_dense_unit_with_its_penalty_and_constraint():
    keras.utils.set_random_seed(4)
    constraint = keras.constraints.NonNeg()
    model = models.build_linear(4, kernel_regularizer=keras.regularizers.L1(0.5), kernel_constraint=constraint,
                                name="twin")
    assert model.name == "twin" and models.build_linear(2).name == "linear"
    (layer,) = model.layers
    assert layer.name == "output" and layer.units == 1 and layer.kernel_constraint is constraint
    assert [t.name for t in model.inputs] == ["inputs"]  # as build_mlp names its input
    w, b = np.array(layer.kernel.numpy()), np.array(layer.bias.numpy())
    np.testing.assert_allclose(np.asarray(model(X4)), X4 @ w + b, rtol=1e-5, atol=1e-6)
    assert float(keras.ops.convert_to_numpy(model.losses[0])) == pytest.approx(0.5 * np.abs(w).sum(), rel=1e-5)
    assert models.build_linear(4).losses == []


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda: models.build_mlp(0), ValueError, r"^n_inputs must be >= 1,"),
        (lambda: models.build_mlp(models.MAX_UNITS + 1), ValueError, r"^n_inputs must be <= 100000,"),
        (lambda: models.build_mlp(4, (1,) * 101), ValueError, r"^hidden must have at most 100 items, got 101"),
        (lambda: models.build_mlp(4, 5), TypeError, r"^hidden must be a sequence of whole numbers such as \(64,\) or "
                                                    r"\(256, 256\)"),
        (lambda: models.build_mlp(4, (0,)), ValueError, r"^each item of hidden must be >= 1"),
        (lambda: models.build_mlp(4, (models.MAX_UNITS + 1,)), ValueError, r"^each item of hidden must be <= 100000"),
        (lambda: models.build_mlp(4, task="clustering"), ValueError, r"^task must be one of 'regression', 'binary', "
                                                                     r"'multiclass'"),
        (lambda: models.build_mlp(4, task="multiclass"), ValueError,
         r"^task='multiclass' needs n_classes \(the number of classes, at least 3\)$"),
        (lambda: models.build_mlp(4, task="multiclass", n_classes=2), ValueError, r"^n_classes must be >= 3,"),
        (lambda: models.build_mlp(4, task="multiclass", n_classes=models.MAX_UNITS + 1), ValueError,
         r"^n_classes must be <= 100000"),
        (lambda: models.build_mlp(4, task="binary", n_classes=3), ValueError,
         r"^n_classes is only used with task='multiclass', got n_classes=3 for 'binary'$"),
        (lambda: models.build_mlp(4, activation=None), TypeError,
         r"^activation must be a Keras activation name such as 'relu', got None$"),
        (lambda: models.build_mlp(4, activation="wobble"), ValueError,
         r"^activation 'wobble' is not a Keras activation; try 'relu', 'tanh' or 'elu'$"),
        (lambda: models.build_mlp(4, kernel_regularizer="l2"), TypeError,
         r"^kernel_regularizer must be a regularizer object such as keras.regularizers.L2\(1e-3\), not the string "
         r"'l2': in Keras 3 'l1_l2' raises and 'l1l2' silently builds L1L2\(0, 0\), which adds nothing$"),
        (lambda: models.build_mlp(4, kernel_regularizer=0.01), TypeError,
         r"^kernel_regularizer must be a keras.regularizers.Regularizer or None, got float$"),
        (lambda: models.build_mlp(4, kernel_regularizer=keras.regularizers.L1L2()), ValueError,
         r"^kernel_regularizer is L1L2\(l1=0.0, l2=0.0\): every factor is 0, so it adds no penalty. Give explicit "
         r"factors such as keras.regularizers.L1L2\(l1=1e-3, l2=1e-3\), or None for no penalty$"),
        (lambda: models.build_mlp(4, kernel_constraint="nonneg"), TypeError,
         r"^kernel_constraint must be a keras.constraints.Constraint or None, got str$"),
        (lambda: models.build_mlp(4, regularize="last"), ValueError, r"^regularize must be one of 'all', 'hidden', "
                                                                     r"'first'"),
        (lambda: models.build_mlp(4, (), regularize="hidden"), ValueError,
         r"^regularize='hidden' needs at least one hidden layer$"),
        (lambda: models.build_mlp(4, dropout=1.0), ValueError, r"^dropout must be < 1.0"),
        (lambda: models.build_mlp(4, dropout=-0.1), ValueError, r"^dropout must be >= 0"),
        (lambda: models.build_mlp(4, input_dropout=1.0), ValueError, r"^input_dropout must be < 1.0"),
        (lambda: models.build_mlp(4, input_dropout=-0.1), ValueError, r"^input_dropout must be >= 0"),
        (lambda: models.build_mlp(4, name=3), TypeError, r"^name must be a string"),
        (lambda: models.build_linear(0), ValueError, r"^n_inputs must be >= 1,"),
        (lambda: models.build_linear(models.MAX_UNITS + 1), ValueError, r"^n_inputs must be <= 100000,"),
        (lambda: models.build_linear(2, kernel_regularizer="l1"), TypeError, r"^kernel_regularizer must be a "
                                                                             r"regularizer object"),
        (lambda: models.build_linear(2, kernel_regularizer=keras.regularizers.L2(0.0)), ValueError,
         r"^kernel_regularizer is L2\(l2=0.0\): every factor is 0"),
        (lambda: models.build_linear(2, kernel_constraint=1), TypeError, r"^kernel_constraint must be a "
                                                                         r"keras.constraints.Constraint or None"),
        (lambda: models.build_linear(2, name=None), TypeError, r"^name must be a string"),
    ],
)
def test_each_argument_is_named_at_its_bounds(call, error, message):
    with pytest.raises(error, match=message):
        call()


def test_builders_accept_their_bounds():
    assert models.build_mlp(1, (1,)).input_shape == (None, 1)
    assert models.build_mlp(4, task="multiclass", n_classes=3).output_shape == (None, 3)
    assert models.build_mlp(4, dropout=0.0, input_dropout=0.0).layers[0].name == "hidden_1"
    assert models.build_linear(1).input_shape == (None, 1)


def test_builders_accept_the_largest_sizes():
    assert len(models.build_mlp(2, (1,) * 100).layers) == 101  # 100 hidden layers: the most (about 1 s)
    assert models.build_linear(models.MAX_UNITS).input_shape == (None, models.MAX_UNITS)
    assert models.build_mlp(models.MAX_UNITS, (1,)).input_shape == (None, models.MAX_UNITS)
    assert models.build_mlp(2, (models.MAX_UNITS,)).layers[0].units == models.MAX_UNITS


class _NoConfig(keras.regularizers.Regularizer):
    def __call__(self, w):
        return 0.0 * keras.ops.sum(w)


class _Scaled(keras.regularizers.Regularizer):
    def __init__(self, kind, factor):
        self.kind, self.factor = kind, factor

    def __call__(self, w):
        return self.factor * keras.ops.sum(keras.ops.abs(w))

    def get_config(self):
        return {"kind": self.kind, "factor": self.factor, "flag": False}


def test_custom_regularizers_are_judged_by_their_numeric_factors():
    """A regularizer without a config is accepted; one whose every number is 0 is refused, whatever its other
    settings (a string, a boolean), and a True flag is not a factor."""
    assert models.build_linear(2, kernel_regularizer=_NoConfig()).losses
    with pytest.raises(ValueError, match=r"^kernel_regularizer is _Scaled\(factor=0\): every factor is 0"):
        models.build_linear(2, kernel_regularizer=_Scaled("l1", 0))
    assert models.build_linear(2, kernel_regularizer=_Scaled("l1", 0.5)).losses
    assert models.build_mlp(2, (3,), kernel_regularizer=keras.regularizers.L1L2(l1=0.0, l2=0.01)).losses


def test_dense_kernels_are_the_layers_own_and_refuse_what_has_none():
    keras.utils.set_random_seed(5)
    model = models.build_mlp(4, (3,), input_dropout=0.1, dropout=0.1)
    kernels = models.dense_kernels(model)
    assert list(kernels) == ["hidden_1", "output"]
    np.testing.assert_array_equal(kernels["hidden_1"], model.get_layer("hidden_1").kernel.numpy())
    np.testing.assert_array_equal(kernels["output"], model.get_layer("output").kernel.numpy())
    unbuilt = keras.Sequential([keras.layers.Dense(2, name="d")], name="later")
    with pytest.raises(ValueError, match=r"^model 'later' is not built yet \(Dense layers \['d'\] have no weights\): "
                                         r"start it with keras.Input"):
        models.dense_kernels(unbuilt)
    no_dense = keras.Sequential([keras.Input((3,)), keras.layers.Dropout(0.1)], name="empty")
    with pytest.raises(ValueError, match=r"^model 'empty' has no Dense layer$"):
        models.dense_kernels(no_dense)
    with pytest.raises(TypeError, match=r"^model must be a keras.Model"):
        models.dense_kernels("model")


def _model_with_kernels():
    model = models.build_mlp(3, (2,), task="regression")
    model.get_layer("hidden_1").kernel.assign(np.array([[0.5, -0.25], [0.75, -0.5], [0.125, 1.0]], np.float32))
    model.get_layer("output").kernel.assign(np.array([[0.5], [-0.25]], np.float32))
    return model


def test_pruned_copy_zeros_weights_at_and_below_the_threshold():
    """|w| <= threshold becomes exactly 0 (the boundary included), larger weights and biases are kept, the copy
    computes what the pruned network computes, and the original is untouched."""
    model = _model_with_kernels()
    pruned = models.pruned_copy(model, 0.5)
    kernels = models.dense_kernels(pruned)
    np.testing.assert_array_equal(kernels["hidden_1"], [[0.0, 0.0], [0.75, 0.0], [0.0, 1.0]])
    np.testing.assert_array_equal(kernels["output"], [[0.0], [0.0]])
    assert kernels["hidden_1"].dtype == np.float32
    np.testing.assert_array_equal(models.dense_kernels(model)["hidden_1"][0], [0.5, -0.25])
    only = models.dense_kernels(models.pruned_copy(model, 0.25, layer="output"))
    np.testing.assert_array_equal(only["output"], [[0.5], [0.0]])
    np.testing.assert_array_equal(only["hidden_1"], models.dense_kernels(model)["hidden_1"])
    np.testing.assert_allclose(np.asarray(pruned(X4[:, :3])), _forward(pruned, X4[:, :3]), rtol=1e-5, atol=1e-6)
    assert not hasattr(pruned, "_course_task") or pruned._course_task is None  # not compiled: it was not
    with warnings.catch_warnings():  # beyond float32: every weight goes, with no overflow warning for the learner
        warnings.simplefilter("error")
        huge = models.dense_kernels(models.pruned_copy(model, 1e300))
    assert all(not k.any() for k in huge.values())


def test_pruned_copy_of_a_compiled_model_is_compiled_for_the_same_task():
    model = training.compile_model(_model_with_kernels(), task="regression")
    pruned = models.pruned_copy(model, 0.3)
    assert pruned._course_task == "regression"
    y = np.zeros(6, np.float32)
    expected = float(np.mean(_forward(pruned, X4[:, :3]).ravel() ** 2))
    assert training.evaluate(pruned, X4[:, :3], y)["data_loss"] == pytest.approx(expected, rel=1e-5)


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"threshold": 0.0}, ValueError, r"^threshold must be > 0"),
        ({"threshold": "0.1"}, TypeError, r"^threshold must be a real number"),
        ({"threshold": 0.1, "layer": 3}, TypeError, r"^layer must be a string or None"),
        ({"threshold": 0.1, "layer": "hidden_9"}, ValueError,
         r"^layer 'hidden_9' is not a Dense layer of this model; its Dense layers are \['hidden_1', 'output'\]$"),
    ],
)
def test_pruned_copy_names_a_bad_argument(kwargs, error, message):
    with pytest.raises(error, match=message):
        models.pruned_copy(_model_with_kernels(), **kwargs)
    with pytest.raises(TypeError, match=r"^model must be a keras.Model"):
        models.pruned_copy(None, 0.1)
