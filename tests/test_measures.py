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


def test_norms_and_counts_by_hand():
    assert measures.weight_norm([]) == 0.0  # nothing to measure
    assert measures.weight_norm((np.array([3.0]), np.array([[4.0]]))) == pytest.approx(5.0)  # a tuple of arrays
    assert measures.weight_norm([3.0, -4.0], ord=1) == 7.0  # a list of numbers is one array
    assert measures.weight_norm([3, 4]) == 5.0  # ints: no integer overflow or truncation
    assert measures.weight_norm(np.array([1e308, 1e308]), ord=1) == np.inf  # the true sum is beyond float64
    assert measures.weight_norm(np.array([3e200, -4e200]), ord=2) == pytest.approx(5e200)
    assert measures.count_zeros(np.array([1e-3, -1e-3, 2e-3]), tol=1e-3) == 2  # inclusive at the tolerance
    assert measures.count_zeros(np.array([0.0, 1e-300])) == 1  # tol 0: exact zeros only
    assert measures.count_zeros(np.array([0.5, 1.0, 1.5]), tol=1) == 2
    assert measures.count_zeros([np.zeros(2), np.zeros(0)]) == 2  # an empty array among them is fine
    with pytest.raises(ValueError, match=r"^ord must be 1 or 2, got True"):
        measures.weight_norm([1.0], ord=True)
    with pytest.raises(TypeError, match=r"^weights must be array-like"):
        measures.count_zeros("weights")
    with pytest.raises(ValueError, match=r"^weights must not contain NaN"):
        measures.count_zeros([np.zeros(2), np.array([np.nan])])
    with pytest.raises(ValueError, match=r"^tol must be >= 0"):
        measures.count_zeros(np.zeros(2), tol=-1e-9)


def test_weight_norm_of_huge_weights_warns_nothing():
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert measures.weight_norm(np.array([1e300, 1e300])) == pytest.approx(np.sqrt(2) * 1e300)


def test_sparsity_table_by_hand():
    table = measures.sparsity_table([np.array([0.0, 1e-7, 0.5, -2e-4])], tols=(0, 1e-6, 1e-3))
    assert table.to_dict("list") == {
        "tolerance": [0.0, 1e-6, 1e-3], "count": [1, 2, 3], "fraction": [0.25, 0.5, 0.75], "of": [4, 4, 4]
    }
    assert table["tolerance"].dtype == np.float64
    one = measures.sparsity_table(np.array([0.0]))
    assert one["fraction"].tolist() == [1.0, 1.0, 1.0] and one["tolerance"].tolist() == [0.0, 1e-6, 1e-3]
    empty = measures.sparsity_table(np.zeros(0), tols=[0.0])
    assert empty.to_dict("list") == {"tolerance": [0.0], "count": [0], "fraction": [0.0], "of": [0]}
    with pytest.raises(ValueError, match=r"^tols must not be empty"):
        measures.sparsity_table(np.zeros(3), tols=[])
    with pytest.raises(TypeError, match=r"^tols must be a sequence of tolerances \(>= 0\) such as \(0, 1e-3\), got float"):
        measures.sparsity_table(np.zeros(3), tols=0.1)
    with pytest.raises(ValueError, match=r"^each item of tols must be >= 0"):
        measures.sparsity_table(np.zeros(3), tols=[0.0, -1.0])


def test_importance_and_kept_inputs_by_hand():
    kernel = np.array([[3.0, -4.0], [0.0, 0.0], [0.1, 0.0]])
    np.testing.assert_allclose(measures.input_importance(kernel), [5.0, 0.0, 0.1])
    np.testing.assert_allclose(measures.input_importance(np.array([-2.0, 1.0])), [2.0, 1.0])  # one unit
    np.testing.assert_allclose(measures.input_importance({"hidden_1": kernel, "output": np.ones((2, 1))}), [5.0, 0.0, 0.1])
    assert measures.kept_inputs(kernel, threshold=0.1).tolist() == [0]  # strictly larger than the threshold
    assert measures.kept_inputs({"first": kernel}).tolist() == [0, 2]
    with pytest.raises(ValueError, match=r"^weights is an empty dict"):
        measures.input_importance({})
    with pytest.raises(ValueError, match=r"^weights must have 2 dimension"):
        measures.kept_inputs(np.ones(3))
    with pytest.raises(ValueError, match=r"^threshold must be >= 0"):
        measures.kept_inputs(kernel, threshold=-1.0)


def test_select_features_by_hand():
    assert measures.select_features([-3.0, 1.0, 2.0], top=1).tolist() == [0]  # by size, sign ignored
    assert measures.select_features([1.0, 2.0], top=2).tolist() == [0, 1]  # all of them is allowed
    tied = np.random.default_rng(0).integers(0, 3, 100).astype(float)  # about 33 twos
    assert measures.select_features(tied, top=10).tolist() == np.flatnonzero(tied == 2)[:10].tolist()  # ties: first
    assert measures.select_features([0.5, -0.2, 0.1], threshold=0.1).tolist() == [0, 1]  # strictly above
    assert measures.select_features([0.5, -0.2, 0.0], threshold=0).tolist() == [0, 1]
    cases = [
        (lambda: measures.select_features(np.ones((2, 2)), top=1), ValueError, r"^importance must have 1 dimension"),
        (lambda: measures.select_features([1.0], top=1, threshold=0.5), ValueError,
         r"^give exactly one of top \(how many to keep\) or threshold"),
        (lambda: measures.select_features([1.0], top=0), ValueError, r"^top must be >= 1"),
        (lambda: measures.select_features([1.0], top=1.5), TypeError, r"^top must be a whole number"),
        (lambda: measures.select_features([1.0, 2.0], top=3), ValueError,
         r"^top=3 but importance has only 2 entries to choose from"),
        (lambda: measures.select_features([1.0], threshold=-1.0), ValueError, r"^threshold must be >= 0"),
    ]
    for call, error, match in cases:
        with pytest.raises(error, match=match):
            call()


def test_feature_recovery_by_hand():
    assert measures.feature_recovery([0, 2, 3], [2, 3, 4, 5]) == {
        "precision": 2 / 3, "recall": 0.5, "n_selected": 3, "n_true": 4, "true_positives": 2
    }
    assert measures.feature_recovery(np.array([1.0, 2.0]), [2], n_features=3)["true_positives"] == 1  # whole floats
    assert measures.feature_recovery([4], [0], n_features=5)["precision"] == 0.0  # the last index is allowed
    assert measures.feature_recovery([], [0], n_features=1)["n_selected"] == 0
    both = measures.feature_recovery([True, False, True], [False, False, True], n_features=3)
    with pytest.raises(ValueError, match=r"\(2 and 3\); both must have one entry per feature$"):
        measures.feature_recovery([True, False], [True, False, False])
    assert both["precision"] == 0.5 and both["recall"] == 1.0
    cases = [
        (lambda: measures.feature_recovery([5], [0], n_features=5), r"^selected has index 5, but n_features allows only 5"),
        (lambda: measures.feature_recovery([0], [3], n_features=3), r"^true has index 3, but n_features allows only 3"),
        (lambda: measures.feature_recovery([-1], [0]), r"^selected must hold non-negative integer indices"),
        (lambda: measures.feature_recovery([0], [0.5]), r"^true must hold non-negative integer indices"),
        (lambda: measures.feature_recovery([0], [True, False], n_features=3),
         r"^true is a mask of length 2, expected n_features = 3"),
        (lambda: measures.feature_recovery([3], [True, False, False]),
         r"^selected has index 3, but the mask true allows only 3"),
        (lambda: measures.feature_recovery([0], [0], n_features=0), r"^n_features must be >= 1"),
        (lambda: measures.feature_recovery([[0]], [0]), r"^selected must have 1 dimension"),
        (lambda: measures.feature_recovery([0], [[0]]), r"^true must have 1 dimension"),
        (lambda: measures.feature_recovery([0], np.array([], dtype=int)), r"^true is empty"),
    ]
    for call, match in cases:
        with pytest.raises(ValueError, match=match):
            call()


def test_compare_to_reference_by_hand():
    assert measures.compare_to_reference([], []) == 0.0  # nothing differs
    assert measures.compare_to_reference([[1, 2], [3, 4]], [[1, 2], [3, 7]]) == 3.0
    assert measures.compare_to_reference([1.0, -2.0], [2.0, -4.0], kind="max_rel") == 0.5  # by max |reference|
    cases = [
        (lambda: measures.compare_to_reference("abc", [1.0]), TypeError, r"^values must be array-like"),
        (lambda: measures.compare_to_reference([1.0], "abc"), TypeError, r"^reference must be array-like"),
        (lambda: measures.compare_to_reference([1.0], [1.0], kind="rel"), ValueError,
         r"^kind must be one of 'max_abs', 'max_rel'"),
        (lambda: measures.compare_to_reference([], [], kind="max_rel"), ValueError, r"relative difference is undefined"),
        (lambda: measures.compare_to_reference([1.0], [0.0], kind="max_rel"), ValueError, r"^reference is all zeros"),
    ]
    for call, error, match in cases:
        with pytest.raises(error, match=match):
            call()
