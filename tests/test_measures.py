from utils import measures, models

import keras
import numpy as np
import pytest


def test_norms_and_zero_counts():
    w = np.array([[3.0, 0.0], [-4.0, 1e-4]])
    assert measures.weight_norm(w) == pytest.approx(np.sqrt(25 + 1e-8))
    assert measures.weight_norm(w, ord=1) == pytest.approx(7.0001)
    assert measures.count_zeros(w) == 1
    assert measures.count_zeros(w, tol=1e-3) == 2
    assert measures.count_zeros([w, np.zeros(3)]) == 4
    table = measures.sparsity_table({"a": w}, tols=(0.0, 1e-3))
    assert table["count"].tolist() == [1, 2] and table["of"].tolist() == [4, 4]


def test_model_weights_exclude_biases():
    model = models.build_mlp(3, (2,))
    model.get_layer("hidden_1").bias.assign(np.ones(2))
    kernels = models.dense_kernels(model)
    total = sum(np.square(k).sum() for k in kernels.values())
    assert measures.weight_norm(model) == pytest.approx(np.sqrt(total), rel=1e-6)
    assert measures.input_importance(model).shape == (3,)


def test_importance_selection_and_recovery():
    kernel = np.zeros((6, 2))
    kernel[[1, 4]] = 1.0
    kernel[2] = 0.1
    importance = measures.input_importance(kernel)
    assert measures.select_features(importance, top=2).tolist() == [1, 4]
    assert measures.select_features(importance, threshold=0).tolist() == [1, 2, 4]
    scores = measures.feature_recovery([1, 2, 4], [1, 4, 5], n_features=6)
    assert scores["precision"] == pytest.approx(2 / 3) and scores["recall"] == pytest.approx(2 / 3)
    mask = np.array([False, True, False, False, True, False])
    assert measures.feature_recovery(mask, [1, 4])["precision"] == 1.0
    assert measures.feature_recovery([], [1])["precision"] == 0.0


@pytest.mark.parametrize(
    ("call", "error", "match"),
    [
        (lambda: measures.weight_norm(np.ones(3), ord=3), ValueError, "ord"),
        (lambda: measures.count_zeros(np.ones(3), tol=-1), ValueError, "tol"),
        (lambda: measures.count_zeros("weights"), TypeError, "array-like"),
        (lambda: measures.sparsity_table(np.ones(3), tols=0.1), TypeError, "tols"),
        (lambda: measures.select_features(np.ones(3)), ValueError, "exactly one"),
        (lambda: measures.select_features(np.ones(3), top=5), ValueError, "top"),
        (lambda: measures.feature_recovery([0.5], [1]), ValueError, "integer"),
        (lambda: measures.feature_recovery([7], [1], n_features=5), ValueError, "only 5"),
        (lambda: measures.feature_recovery([1], []), ValueError, "empty"),
        (lambda: measures.feature_recovery(np.ones(3, bool), [1], n_features=5), ValueError, "mask"),
        (lambda: measures.compare_to_reference([1, 2], [1]), ValueError, "shape"),
        (lambda: measures.compare_to_reference([1], [0], kind="max_rel"), ValueError, "zeros"),
        (lambda: measures.input_importance(np.ones((2, 2, 2))), ValueError, "dimension"),
    ],
)
def test_bad_inputs(call, error, match):
    with pytest.raises(error, match=match):
        call()


def test_compare_to_reference():
    assert measures.compare_to_reference([1.0, 2.5], [1.0, 2.0]) == pytest.approx(0.5)
    assert measures.compare_to_reference([1.0, 2.5], [1.0, 2.0], kind="max_rel") == pytest.approx(0.25)


def test_l1_model_weights_have_no_exact_zeros_without_proximal_steps():
    """The property lesson 03 builds on, in miniature: Adam + L1 leaves near-zeros, not zeros."""
    keras.utils.set_random_seed(1)
    from utils import training

    rng = np.random.default_rng(1)
    X = rng.normal(size=(100, 20)).astype(np.float32)
    y = (X[:, 0] > 0).astype(int)
    model = models.build_mlp(20, (8,), kernel_regularizer=keras.regularizers.L1(0.05), regularize="first")
    training.compile_model(model, task="binary", learning_rate=0.01)
    training.fit(model, X, y, epochs=100)
    first = models.dense_kernels(model)["hidden_1"]
    assert measures.count_zeros(first) == 0
    assert measures.count_zeros(first, tol=1e-2) > first.size // 2


def test_kept_inputs():
    kernel = np.array([[0.0, 0.0], [0.5, 0.0], [0.01, -0.02]])
    assert measures.kept_inputs(kernel).tolist() == [1, 2]
    assert measures.kept_inputs(kernel, threshold=0.1).tolist() == [1]
    with pytest.raises(ValueError, match="threshold"):
        measures.kept_inputs(kernel, threshold=-1)


def test_feature_recovery_refuses_masks_of_different_lengths():
    with pytest.raises(ValueError, match="masks of different lengths \\(2 and 3\\)"):
        measures.feature_recovery([True, False], [True, False, False])
    with pytest.raises(ValueError, match="true has index 3, but the mask selected allows only 3"):
        measures.feature_recovery([True, False, False], [3])
    assert measures.feature_recovery([True, True, False], [0])["precision"] == 0.5


def test_input_importance_accepts_dense_kernels_of_a_model():
    model = models.build_mlp(3, (4,))
    from_dict = measures.input_importance(models.dense_kernels(model))
    np.testing.assert_array_equal(from_dict, measures.input_importance(model))
    np.testing.assert_array_equal(measures.kept_inputs(models.dense_kernels(model)), measures.kept_inputs(model))
    with pytest.raises(ValueError, match="weights must have 1 or 2 dimension"):
        measures.input_importance(np.float64(3.0))


def test_weight_norm_of_huge_weights_is_finite():
    assert measures.weight_norm(np.array([1e200, 1e200])) == pytest.approx(np.sqrt(2) * 1e200)


def test_sparsity_table_names_tols():
    with pytest.raises(TypeError, match="tols must be a sequence"):
        measures.sparsity_table(np.zeros(3), tols="0")
    with pytest.raises(ValueError, match="item of tols"):
        measures.sparsity_table(np.zeros(3), tols=[-1.0])
