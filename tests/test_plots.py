from utils import plots, training

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest


@pytest.fixture(autouse=True)
def style():
    plots.set_style()


def test_style_is_colour_blind_safe_and_cycles_colours_only():
    cycle = mpl.rcParams["axes.prop_cycle"].by_key()
    assert set(cycle) == {"color"} and len(set(cycle["color"])) >= 4
    assert mpl.rcParams["figure.dpi"] == plots.DPI
    assert len(set(plots.LINESTYLES)) >= 3  # the helpers pick line styles from here explicitly


def test_error_bars_are_solid():
    """Issue 10: a line-style cycle drew seaborn's error bars solid, dashed and dotted, one style per group."""
    import seaborn as sns

    frame = pd.DataFrame({"method": list("aabbccdd"), "value": [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0]})
    ax = sns.pointplot(frame, y="method", x="value", errorbar="sd", markers="D", linestyles="none", capsize=0.3)
    bars = ax.get_lines()[1:]  # the first line joins the means (linestyles="none"); then one per group
    assert len(bars) == 4 and {line.get_linestyle() for line in bars} == {"-"}
    _, ax = plt.subplots()
    for shift in range(4):  # Axes.errorbar: bars and the line through the points
        ax.errorbar([1, 2], [shift, shift + 1], yerr=[0.1, 0.2])
    assert {line.get_linestyle() for line in ax.get_lines()} == {"-"}
    assert all(ls == [(0.0, None)] for c in ax.collections for ls in [c.get_linestyle()])
    plt.close("all")


def _history():
    a = training.tidy_history({"data_loss": [1.0, 0.5, 0.2], "val_data_loss": [1.1, 0.9, 1.0]})
    b = a.assign(value=a["value"] * 2)
    return pd.concat([a.assign(model="baseline"), b.assign(model="L2")])


def test_learning_curves_draw_train_solid_and_validation_dashed():
    ax = plots.plot_learning_curves(_history(), by="model")
    styles = {line.get_label(): line.get_linestyle() for line in ax.get_lines()}
    assert styles["baseline (train)"] == "-" and styles["L2 (validation)"] == "--"
    faces = {line.get_label(): line.get_markerfacecolor() for line in ax.get_lines()}
    assert faces["L2 (validation)"] in ("white", "w", (1.0, 1.0, 1.0, 1.0)), "validation markers are hollow"
    assert faces["L2 (train)"] not in ("white", "w", (1.0, 1.0, 1.0, 1.0)), "training markers are filled"
    assert ax.get_xlabel().startswith("epoch") and ax.get_ylabel() == "data loss"


def test_learning_curves_reject_bad_input():
    with pytest.raises(ValueError, match="metric"):
        plots.plot_learning_curves(_history(), metric="accuracy")
    with pytest.raises(ValueError, match="column"):
        plots.plot_learning_curves(_history(), by="seed")
    with pytest.raises(TypeError, match="tidy"):
        plots.plot_learning_curves({"loss": [1]})
    with pytest.raises(TypeError, match="Axes"):
        plots.plot_learning_curves(_history(), ax="left")


def test_coefficient_paths():
    alphas = np.logspace(-2, 1, 5)
    coefs = np.outer(1 / (1 + alphas), [3.0, -1.0, 0.5])
    ax = plots.plot_coefficient_paths(alphas, coefs, feature_names=["a", "b", "c"], label_top=2)
    assert ax.get_xscale() == "log"
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["a", "b"]
    with pytest.raises(ValueError, match="one row per alpha"):
        plots.plot_coefficient_paths(alphas[:3], coefs)
    with pytest.raises(ValueError, match="> 0"):
        plots.plot_coefficient_paths(np.zeros(5), coefs)
    with pytest.raises(ValueError, match="names"):
        plots.plot_coefficient_paths(alphas, coefs, feature_names=["a"])


def test_weight_histograms_count_exact_zeros():
    ax = plots.plot_weight_histograms({"L1": np.array([0.0, 0.0, 1e-4, 0.5]), "L2": np.array([0.1, 0.2])})
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels == ["L1 (2 exact zeros not drawn)", "L2"]
    ax = plots.plot_weight_histograms({"w": np.array([-1.0, 1.0])}, scale="linear")
    assert ax.get_xscale() == "linear"
    with pytest.raises(ValueError, match="exactly zero"):
        plots.plot_weight_histograms({"w": np.zeros(3)})
    with pytest.raises(TypeError, match="dict"):
        plots.plot_weight_histograms([np.ones(3)])
    with pytest.raises(ValueError, match="bins"):
        plots.plot_weight_histograms({"w": np.ones(3)}, bins=1)
    plt.close("all")


def test_plot_curves():
    ax = plots.plot_curves([1, 2, 3], {"a": [3, 2, 1], "b": [1, 2, 3]}, xlabel="degree", ylabel="MSE",
                           log_y=True, mark=2, mark_label="best")
    assert ax.get_yscale() == "log"
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["a", "b", "best"]
    styles = [line.get_linestyle() for line in ax.get_lines()[:2]]
    assert styles[0] != styles[1]
    with pytest.raises(ValueError, match="3 x values"):
        plots.plot_curves([1, 2, 3], {"a": [1, 2]}, xlabel="x", ylabel="y")
    with pytest.raises(TypeError, match="dict"):
        plots.plot_curves([1, 2], {}, xlabel="x", ylabel="y")
    with pytest.raises(TypeError, match="strings"):
        plots.plot_curves([1, 2], {"a": [1, 2]}, xlabel=None, ylabel="y")


def test_coefficient_paths_refuse_a_string_of_feature_names():
    with pytest.raises(TypeError, match="feature_names must be a sequence of names.*got str"):
        plots.plot_coefficient_paths([1.0, 2.0], np.ones((2, 3)), feature_names="abc")


def test_weight_histograms_take_numpy_integers_and_bound_bins():
    w = {"a": np.random.default_rng(0).normal(size=50)}
    assert isinstance(plots.plot_weight_histograms(w, bins=np.int64(40)), plt.Axes)
    with pytest.raises(ValueError, match="bins must be <= 1000, got 1000000000"):
        plots.plot_weight_histograms(w, bins=10**9)
    with pytest.raises(TypeError, match="bins must be a whole number"):
        plots.plot_weight_histograms(w, bins=40.0)


def test_weight_histograms_of_equal_weights_draw():
    assert isinstance(plots.plot_weight_histograms({"a": np.full(5, 0.3)}, scale="linear"), plt.Axes)
    assert isinstance(plots.plot_weight_histograms({"a": np.full(5, 0.3)}), plt.Axes)


def test_curves_refuse_strings_as_booleans_and_log_of_zero():
    with pytest.raises(TypeError, match="log_x must be True or False"):
        plots.plot_curves([1, 2], {"a": [1, 2]}, xlabel="x", ylabel="y", log_x="no")
    with pytest.raises(ValueError, match="x must be > 0 everywhere for log_x"):
        plots.plot_curves([0, 2], {"a": [1, 2]}, xlabel="x", ylabel="y", log_x=True)
    with pytest.raises(TypeError, match="mark must be a real number"):
        plots.plot_curves([1, 2], {"a": [1, 2]}, xlabel="x", ylabel="y", mark="best")
