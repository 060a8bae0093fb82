"""utils.model_checks: reading a learner's Keras model, compared with what Keras itself computes."""

from __future__ import annotations

import time

import utils  # noqa: F401  (first: quiet TensorFlow)
from utils import model_checks as mc
from utils.checks import Incorrect, NotAttempted

import keras
import numpy as np
import pytest

R = keras.regularizers
L = keras.layers


def _penalty_by_keras(regularizer, kernel: np.ndarray) -> float:
    return float(keras.ops.convert_to_numpy(regularizer(keras.ops.convert_to_tensor(kernel))))


@pytest.mark.parametrize(
    "regularizer",
    [R.L1(0.03), R.L2(1e-3), R.L1L2(l1=0.2, l2=0.05), R.L1L2(l1=0.4), R.l1(0.5), R.l2(0.7), R.l1_l2(0.1, 0.3),
     "l1", "l2", "l1l2"],
)
def test_penalty_of_reproduces_the_penalty_keras_adds(regularizer) -> None:
    kernel = np.array([[0.5, -2.0], [1.5, -0.25], [0.0, 3.0]], dtype="float32")
    l1, l2 = mc.penalty_of(regularizer)
    by_hand = l1 * np.abs(kernel).sum() + l2 * (kernel**2).sum()
    assert by_hand == pytest.approx(_penalty_by_keras(R.get(regularizer), kernel), rel=1e-6)


def test_penalty_of_reads_exact_factors_and_refuses_what_it_cannot_read() -> None:
    assert mc.penalty_of(None) is None
    assert mc.penalty_of(R.L1(0.03)) == pytest.approx((0.03, 0.0))
    assert mc.penalty_of(R.L2(1e-3)) == pytest.approx((0.0, 1e-3))
    assert mc.penalty_of(R.L1L2(0.2, 0.05)) == pytest.approx((0.2, 0.05))
    assert mc.penalty_of("l2") == pytest.approx((0.0, 0.01))
    with pytest.raises(Incorrect, match="L1L2"):
        mc.penalty_of("l1_l2")
    with pytest.raises(Incorrect, match="cannot read"):
        mc.penalty_of(R.OrthogonalRegularizer(0.1))


def _sequential() -> keras.Model:
    return keras.Sequential([L.Dense(8, activation="relu", kernel_regularizer=R.L1(0.03)), L.Dropout(0.5),
                             L.Dense(1, activation="sigmoid")])


def _functional() -> keras.Model:
    inputs = keras.Input((5,))
    hidden = L.Dense(8, activation="relu", kernel_regularizer=R.L1L2(l1=0.03), name="my hidden")(inputs)
    hidden = L.Dropout(0.5)(hidden)
    return keras.Model(inputs, L.Dense(1, activation="sigmoid")(hidden))


@pytest.mark.parametrize("answer", [_sequential, _sequential(), _functional, _functional(),
                                    lambda: keras.Sequential([keras.Input((5,)), *_sequential().layers])])
def test_every_form_reads_as_the_same_layers(answer) -> None:
    specs = mc.layers_of(mc.read_model(answer, input_dim=5))
    assert [spec.kind for spec in specs] == ["Dense", "Dropout", "Dense"]
    assert [spec.units for spec in mc.dense(specs)] == [8, 1]
    assert [spec.activation for spec in mc.dense(specs)] == ["relu", "sigmoid"]
    assert specs[1].rate == pytest.approx(0.5)
    assert specs[0].kernel_penalty == pytest.approx((0.03, 0.0))
    assert specs[2].kernel_penalty is None and specs[0].bias_penalty is None
    assert mc.summary(specs) == "Dense(8, relu, kernel L1=0.03) → Dropout(0.5) → Dense(1, sigmoid)"


def test_a_nested_model_is_flattened() -> None:
    outer = keras.Sequential([keras.Input((5,)), _sequential(), L.Dense(2)])
    assert [spec.kind for spec in mc.layers_of(outer)] == ["Dense", "Dropout", "Dense", "Dense"]


def _loops() -> keras.Model:
    while True:
        time.sleep(0.01)


def _raises() -> keras.Model:
    raise ValueError("a typo in my builder")


def _forgets_return() -> None:
    keras.Sequential([L.Dense(1)])


def _template() -> None:
    ...


@pytest.mark.parametrize(
    ("answer", "message"),
    [
        (None, "is None"),
        (keras.Sequential, "the class Sequential itself"),
        (L.Dense(3), "single Dense layer"),
        ([L.Dense(3), L.Dense(1)], "list of layers"),
        ("Dense(3)", "should be a keras Model"),
        (_raises, "raised ValueError: a typo in my builder"),
        (_forgets_return, "returned None"),
        (lambda: (_sequential(), 1), "returned a tuple"),
        (lambda: 3, "should return a keras Model, but it returned an int"),
        (keras.Sequential(), "has no layers"),
        (keras.Sequential([keras.Input((7,)), L.Dense(1)]), "inputs of 7 features, but the data has 5"),
    ],
)
def test_each_wrong_kind_of_answer_gets_its_own_message(answer, message) -> None:
    with pytest.raises(Incorrect, match=message):
        mc.read_model(answer, input_dim=5)


def test_a_looping_builder_is_stopped_and_the_template_is_not_attempted() -> None:
    with pytest.raises(Incorrect, match="did not return within 0.3 s"):
        mc.read_model(_loops, input_dim=5, time_limit=0.3)
    for answer in (Ellipsis, _template):
        with pytest.raises(NotAttempted):
            mc.read_model(answer, input_dim=5)


def test_a_builder_gets_its_arguments() -> None:
    model = mc.read_model(lambda rate: keras.Sequential([L.Dense(3), L.Dropout(rate), L.Dense(1)]), input_dim=4,
                          args=(0.2,))
    assert mc.layers_of(model)[1].rate == pytest.approx(0.2)


def _layer(**kwargs) -> mc.LayerSpec:
    model = keras.Sequential([keras.Input((3,)), L.Dense(4, **kwargs)])
    return mc.layers_of(model)[0]


ASKED_L1 = {"l1": 0.03, "where": "the first layer", "off_by": {"2 (the 1/(2n) convention)": 2.0}}


@pytest.mark.parametrize("regularizer", [R.L1(0.03), R.l1(0.03), R.L1L2(l1=0.03), R.L1L2(0.03, 0.0), R.L1(0.030001)])
def test_every_right_spelling_of_the_penalty_passes(regularizer) -> None:
    mc.expect_kernel_penalty(_layer(kernel_regularizer=regularizer), **ASKED_L1)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({}, "has no kernel_regularizer"),
        ({"bias_regularizer": R.L1(0.03)}, "bias_regularizer, which penalises the biases"),
        ({"activity_regularizer": R.L1(0.03)}, "activity_regularizer, which penalises the layer's outputs"),
        ({"kernel_regularizer": "l1l2"}, "L1L2\\(0, 0\\), which adds nothing"),
        ({"kernel_regularizer": R.L2(0.03)}, "is L2 \\(a sum of squares\\); the task asks for L1"),
        ({"kernel_regularizer": "l1"}, "0.01 is Keras's default factor"),
        ({"kernel_regularizer": R.L1(0.06)}, "too large by a factor of 2 \\(the 1/\\(2n\\) convention\\)"),
        ({"kernel_regularizer": R.L1(0.015)}, "too small by a factor of 2"),
        ({"kernel_regularizer": R.L1L2(0.03, 0.01)}, "adds an L2 part too"),
        ({"kernel_regularizer": R.L1(0.5)}, "kernel penalty is L1=0.5; the task asks for L1=0.03"),
    ],
)
def test_each_typical_mistake_is_named(kwargs, message) -> None:
    with pytest.raises(Incorrect, match=message):
        mc.expect_kernel_penalty(_layer(**kwargs), **ASKED_L1)


def test_elastic_net_mistakes_are_named() -> None:
    asked = {"l1": 0.2, "l2": 0.05, "where": "the layer"}
    mc.expect_kernel_penalty(_layer(kernel_regularizer=R.L1L2(l1=0.2, l2=0.05)), **asked)
    with pytest.raises(Incorrect, match="swapped"):
        mc.expect_kernel_penalty(_layer(kernel_regularizer=R.L1L2(l1=0.05, l2=0.2)), **asked)
    with pytest.raises(Incorrect, match="has no L2 part"):
        mc.expect_kernel_penalty(_layer(kernel_regularizer=R.L1(0.2)), **asked)


def test_hidden_factors_are_never_revealed_when_finding_them_is_the_exercise() -> None:
    asked = {"l1": 0.28, "l2": 0.06, "where": "the layer", "off_by": {"2": 2.0}, "reveal": False}
    wrong = [R.L1L2(0.14, 0.12), R.L1L2(0.06, 0.28), R.L1L2(0.5, 0.5), R.L1(0.5), R.L2(0.5), "l1", None, "l1l2"]
    for regularizer in wrong:
        with pytest.raises(Incorrect) as caught:
            mc.expect_kernel_penalty(_layer(kernel_regularizer=regularizer), **asked)
        learner_gave = set(mc.penalty_of(regularizer) or ())
        for secret in (0.28, 0.06):
            assert secret in learner_gave or f"{secret:g}" not in str(caught.value), (regularizer, caught.value)
    with pytest.raises(Incorrect, match=r"L1 factor is 0.14, too small by a factor of 2\.$"):
        mc.expect_kernel_penalty(_layer(kernel_regularizer=R.L1L2(0.14, 0.06)), **asked)
    with pytest.raises(Incorrect, match="other factors: check how each is converted"):
        mc.expect_kernel_penalty(_layer(kernel_regularizer=R.L1L2(0.5, 0.5)), **asked)


def test_expect_no_penalty_names_the_regularizer_present() -> None:
    mc.expect_no_penalty(_layer(), where="the output layer")
    mc.expect_no_penalty(_layer(kernel_regularizer=R.L1L2(0.0, 0.0)), where="the output layer")
    with pytest.raises(Incorrect, match="the output layer has a kernel_regularizer \\(L2=0.001\\)"):
        mc.expect_no_penalty(_layer(kernel_regularizer=R.L2(1e-3)), where="the output layer")
    with pytest.raises(Incorrect, match="bias_regularizer"):
        mc.expect_no_penalty(_layer(bias_regularizer=R.L2(1e-3)), where="the output layer", parts=("bias",))
    mc.expect_no_penalty(_layer(kernel_regularizer=R.L2(1e-3)), where="x", parts=("bias", "activity"))


@pytest.mark.parametrize(
    ("call", "error"),
    [
        (lambda: mc.read_model(_sequential, input_dim=0), ValueError),
        (lambda: mc.read_model(_sequential, input_dim="5"), TypeError),
        (lambda: mc.layers_of("model"), TypeError),
        (lambda: mc.dense("specs"), TypeError),
        (lambda: mc.summary([1, 2]), TypeError),
        (lambda: mc.expect_kernel_penalty("spec", l1=0.1, where="x"), TypeError),
        (lambda: mc.expect_kernel_penalty(_layer(), where="x"), ValueError),
        (lambda: mc.expect_kernel_penalty(_layer(), l1=-1.0, where="x"), ValueError),
        (lambda: mc.expect_kernel_penalty(_layer(), l1=0.1, where="x", off_by={"one": 1.0}), ValueError),
        (lambda: mc.expect_no_penalty(_layer(), where="x", parts="kernel"), ValueError),
    ],
)
def test_bad_calls_get_clear_errors(call, error) -> None:
    with pytest.raises(error):
        call()
