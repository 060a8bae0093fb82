"""How fast each explorer (utils/explorers.py) answers a slider move, written to benchmarks/explorers.md.

    python build_tools/benchmark_explorers.py              # writes benchmarks/explorers.md
    python build_tools/benchmark_explorers.py --out FILE

For each explorer: the time to build it (everything computed once, the figure laid out and drawn once), then
the slider's callback timed through the widget itself (``slider.value = i``: traitlets notifies the observer,
which picks the precomputed row, redraws the moving artists over the kept background and encodes the PNG),
over every grid value forwards then backwards, after one warm-up pass. Lessons 02 and 05 use their real data
(diabetes; the correlated groups, at the alpha ElasticNetCV chooses as in the lesson); lessons 03 and 07 pass
arrays of the lesson's sizes (5 strengths, 3 rates), because their values come from training and the drawing
cost does not depend on them. The budget is 100 ms per move. Run it on a quiet machine; it uses one process.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
BUDGET_MS = 100.0


def cases() -> list[tuple[str, object]]:
    """(lesson and explorer, a zero-argument builder) for the four explorers."""
    from utils import data, explorers

    import numpy as np
    from sklearn.datasets import load_diabetes
    from sklearn.linear_model import ElasticNetCV
    from sklearn.preprocessing import StandardScaler

    bunch = load_diabetes(scaled=False)
    X_all = StandardScaler().fit_transform(bunch.data)
    groups = data.load_correlated_groups()
    group = groups.truth["group"].to_numpy()
    enet_alpha = ElasticNetCV(cv=5, l1_ratio=0.5, alphas=30).fit(groups.X_train, groups.y_train).alpha_
    return [
        ("02 penalty_paths (49 alphas, 10 features)",
         lambda: explorers.penalty_paths(X_all, bunch.target, list(bunch.feature_names), live=True)),
        ("03 lambda_sweep (5 strengths)",
         lambda: explorers.lambda_sweep([1e-3, 1e-2, 0.03, 0.1, 0.3], [310, 90, 24, 12, 0],
                                        [0.95, 0.52, 0.44, 0.5, 0.69], chance=np.log(2), live=True)),
        ("05 l1_ratio_group (20 ratios, 5 groups of 6)",
         lambda: explorers.l1_ratio_group(groups.X_train, groups.y_train, group, enet_alpha, live=True)),
        ("07 dropout_gap (3 rates)",
         lambda: explorers.dropout_gap([0.0, 0.2, 0.5], [0.0012, 0.004, 0.02], [0.45, 0.33, 0.26], live=True)),
    ]


def measure() -> list[dict[str, object]]:
    from utils import plots

    plots.set_style()
    rows = []
    for name, make in cases():
        t0 = time.perf_counter()
        explorer = make()
        build = time.perf_counter() - t0
        slider = explorer.slider
        indices = list(range(len(slider.options)))
        for i in indices:  # warm-up
            slider.value = i
        times = []
        for i in [*indices, *reversed(indices)]:
            if slider.value == i:
                slider.value = (i + 1) % len(indices)
            t0 = time.perf_counter()
            slider.value = i
            times.append((time.perf_counter() - t0) * 1000)
        rows.append({"explorer": name, "build_s": build, "moves": len(times), "median_ms": statistics.median(times),
                     "p90_ms": sorted(times)[int(0.9 * (len(times) - 1))], "max_ms": max(times),
                     "png_kb": len(explorer.image.value) / 1000})
        print(f"[explorers] {name}: build {build:.2f} s, callback median {rows[-1]['median_ms']:.1f} ms, "
              f"max {rows[-1]['max_ms']:.1f} ms", flush=True)
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "explorers.md")
    args = parser.parse_args(argv)
    rows = measure()
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    lines = [
        "# Explorers: time to answer a slider move", "",
        f"Made by `python build_tools/benchmark_explorers.py` on {time.strftime('%Y-%m-%d')}, "
        f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores, load average {load:.1f}, Python "
        f"{platform.python_version()}. Kernel side, outside JupyterLab: the callback from the slider's new value "
        "to the new PNG and sentence set on the widgets (what the browser then receives over the widget comm). "
        f"Budget: {BUDGET_MS:.0f} ms per move.", "",
        "| explorer | build (s) | moves timed | median (ms) | 90th percentile (ms) | max (ms) | PNG (kB) |",
        "|---|---:|---:|---:|---:|---:|---:|",
        *(f"| {r['explorer']} | {r['build_s']:.2f} | {r['moves']} | {r['median_ms']:.1f} | {r['p90_ms']:.1f} | "
          f"{r['max_ms']:.1f} | {r['png_kb']:.0f} |" for r in rows),
        "",
        "Within budget (median and 90th percentile under 100 ms): "
        + ("yes" if all(r["p90_ms"] < BUDGET_MS for r in rows) else "NO") + ".", "",
    ]
    args.out.write_text("\n".join(lines))
    print(f"[explorers] wrote {args.out}")
    return 0 if all(r["p90_ms"] < BUDGET_MS for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
