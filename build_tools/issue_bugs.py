"""Replay issue 23's hand-made bugs: apply each to a scratch copy of the repository, run the unit tests that must
catch it, and report which of them fail.

    python build_tools/issue_bugs.py            # all bugs; writes benchmarks/mutation/issue_bugs.md
    python build_tools/issue_bugs.py --check    # only that every bug still applies to the code (seconds)

An audit (issue 23) made small deliberate bugs in the code the lessons stand on (a dropped factor, swapped factors,
an off-by-one); the unit tests of the time let 9 of them through. Each bug here is that edit, written as text
replacements in one file, with the tests written to catch it. The replay first runs those tests on the unchanged
copy (they must pass, or a failure under the bug would prove nothing), then, bug by bug, applies the edit, runs the
tests and restores the file. A bug is caught when at least one of its tests fails. The copy lives in a temporary
folder; the repository is not touched.

``--check`` (also run by ``tests/test_mutation_tooling.py``) fails when an edit no longer applies (the code it
changes was rewritten) or a test it names is gone, so the list cannot silently go stale.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REPORT = ROOT / "benchmarks" / "mutation" / "issue_bugs.md"
COPIED = ("utils", "tests", "build_tools", "data", "notebooks", "benchmarks")
COPIED_FILES = ("conftest.py", "pyproject.toml", "requirements.txt", "requirements.lock", "README.md")


@dataclass(frozen=True)
class Bug:
    """One hand-made bug: ``edits`` (old, new) applied to ``path``; ``tests`` the pytest ids that must catch it."""

    code: str
    bug: str
    path: str
    edits: tuple[tuple[str, str], ...]
    tests: tuple[str, ...]


BUGS: tuple[Bug, ...] = (
    Bug("batched._SideBySideDropout", "no inverted-dropout rescaling (`x / keep` became `x`)", "utils/batched.py",
        (("return keras.ops.where(kept, x / self.keep, 0.0)", "return keras.ops.where(kept, x, 0.0)"),),
        ("tests/test_batched_against_keras.py::test_side_by_side_dropout_scales_as_keras_dropout_in_training_and_not_in_inference",
         "tests/test_batched_against_keras.py::test_side_by_side_network_in_training_mode_has_the_scale_of_keras_dropout")),
    Bug("batched._MemberPenalty", "L1 and L2 factors swapped", "utils/batched.py",
        (("keras.ops.sum(self.l1 * keras.ops.sum(keras.ops.abs(w)", "keras.ops.sum(self.l2 * keras.ops.sum(keras.ops.abs(w)"),
         ("self.l2 * keras.ops.sum(keras.ops.square(w)", "self.l1 * keras.ops.sum(keras.ops.square(w)")),
        ("tests/test_batched_against_keras.py::test_member_penalty_equals_keras_l1l2_per_member",
         "tests/test_batched_against_keras.py::test_stacked_layer_adds_the_member_penalty_to_the_loss")),
    Bug("batched.train_side_by_side", "best weights keep updating after the stop", "utils/batched.py",
        (("        if epoch == 0:\n            record[\"weights\"]",
          "        improved = val < record[\"best\"]  # the bug: blind to the stop\n        if epoch == 0:\n"
          "            record[\"weights\"]"),
         ("elif (better & watched).any():", "elif (improved & watched).any():"),
         ("kept[better & watched] = now[better & watched]", "kept[improved & watched] = now[improved & watched]")),
        ("tests/test_batched_against_keras.py::test_side_by_side_early_stopping_matches_keras_on_a_curve_with_a_later_lower_minimum",
         "tests/test_models_training.py::test_side_by_side_early_stopping_keeps_the_best_weights")),
    Bug("notebook_inputs.stale_reasons", "an appended code cell not flagged", "build_tools/notebook_inputs.py",
        (("    if len(now) != len(then):", "    if len(now) < len(then):"),
         ("enumerate(zip(now, then, strict=True))", "enumerate(zip(now, then, strict=False))")),
        ("tests/test_notebook_freshness.py::test_an_appended_code_cell_is_caught",)),
    Bug("notebook_inputs.stale_reasons", "\"is gone\" and \"is new\" reasons dropped", "build_tools/notebook_inputs.py",
        (("reasons.append(f\"{name} is gone\")", "pass"),
         ("reasons.append(f\"{file.relative_to(root).as_posix()} is new\")", "pass")),
        ("tests/test_notebook_freshness.py::test_a_deleted_recorded_module_is_gone",
         "tests/test_notebook_freshness.py::test_a_deleted_data_file_is_gone",
         "tests/test_notebook_freshness.py::test_a_new_data_file_is_new")),
    Bug("instructor.anchor", "spaces become underscores", "build_tools/instructor.py",
        ((".strip().replace(\" \", \"-\")", ".strip().replace(\" \", \"_\")"),),
        ("tests/test_instructor.py::test_each_link_of_the_minutes_table_reaches_its_heading_in_the_built_page",)),
    Bug("linear.one_standard_error_alpha", "standard deviation instead of standard error", "utils/linear.py",
        (("se = mse.std(axis=1, ddof=1) / np.sqrt(mse.shape[1])", "se = mse.std(axis=1, ddof=1)"),),
        ("tests/test_linear.py::test_one_standard_error_rule_on_a_hand_computed_mse_path",
         "tests/test_linear.py::test_one_standard_error_rule_at_its_boundaries")),
    Bug("bias_variance.decompose", "variance halved", "utils/bias_variance.py",
        (("variance = float(np.mean(predictions.var(axis=1)))", "variance = float(np.mean(predictions.var(axis=1))) / 2"),),
        ("tests/test_bias_variance.py::test_decompose_matches_the_known_answer_of_least_squares",
         "tests/test_bias_variance.py::test_decompose_at_new_inputs_matches_least_squares_in_closed_form")),
    Bug("checks.as_choice", "a leading \"the\" no longer ignored", "utils/checks.py",
        (("for article in (\"a \", \"an \", \"the \"):", "for article in (\"a \", \"an \"):"),),
        ("tests/test_exercises.py::test_as_choice_ignores_a_leading_article",
         "tests/test_answer_readers.py::test_as_choice_normalises_case_spaces_quotes_stops_and_one_leading_article")),
)


def apply(bug: Bug, text: str) -> str:
    """``text`` with ``bug``'s edits made; each old text must occur exactly once (else the bug no longer applies)."""
    for old, new in bug.edits:
        found = text.count(old)
        if found != 1:
            raise ValueError(f"the bug '{bug.bug}' in {bug.path} no longer applies: {old!r} occurs {found} times, "
                             "not once; rewrite its edit for the code as it is now")
        text = text.replace(old, new)
    return text


def check() -> list[str]:
    """What is wrong with the list: an edit that does not apply, or a named test that is gone (empty when fine)."""
    root, problems = ROOT, []
    for bug in BUGS:
        try:
            apply(bug, (root / bug.path).read_text(encoding="utf-8"))
        except ValueError as exc:
            problems.append(str(exc))
        for test in bug.tests:
            file, _, name = test.partition("::")
            if f"def {name}(" not in (root / file).read_text(encoding="utf-8"):
                problems.append(f"the test {test}, named for the bug '{bug.bug}', is gone")
    return problems


def outcomes(copy: Path, tests: tuple[str, ...]) -> dict[str, str]:
    """Each test's outcome in ``copy`` ("passed" or "failed"; a parametrized test fails when any case fails)."""
    junit = copy / "outcomes.xml"
    junit.unlink(missing_ok=True)
    env = {**os.environ, "COURSE_PROGRESS": "0", "PYTHONHASHSEED": "0"}
    subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", f"--junitxml={junit}", *tests],
                   cwd=copy, env=env, capture_output=True, text=True, timeout=900)
    if not junit.exists():
        raise RuntimeError(f"pytest wrote no results for {tests}")
    result = dict.fromkeys(tests, "not run")
    for case in ET.parse(junit).iter("testcase"):
        file = case.get("classname", "").replace(".", "/") + ".py"
        test = f"{file}::{case.get('name', '').split('[')[0]}"
        if test not in result:
            continue
        failed = any(child.tag in ("failure", "error") for child in case)
        if failed or result[test] == "not run":
            result[test] = "failed" if failed else "passed"
    return result


def replay() -> list[tuple[Bug, dict[str, str]]]:
    """Each bug with its tests' outcomes under it, after checking they pass without it."""
    problems = check()
    if problems:
        raise SystemExit("\n".join(problems))
    with tempfile.TemporaryDirectory(prefix="issue-bugs-") as scratch:
        copy = Path(scratch)
        for folder in COPIED:
            shutil.copytree(ROOT / folder, copy / folder, ignore=shutil.ignore_patterns("__pycache__"))
        for name in COPIED_FILES:
            shutil.copy(ROOT / name, copy / name)
        every = tuple(t for bug in BUGS for t in bug.tests)
        clean = outcomes(copy, every)
        if any(v != "passed" for v in clean.values()):
            raise SystemExit(f"without any bug these tests do not pass: {[t for t, v in clean.items() if v != 'passed']}")
        results = []
        for bug in BUGS:
            file = copy / bug.path
            original = file.read_text(encoding="utf-8")
            file.write_text(apply(bug, original), encoding="utf-8")
            try:
                results.append((bug, outcomes(copy, bug.tests)))
            finally:
                file.write_text(original, encoding="utf-8")
            caught = sum(v == "failed" for v in results[-1][1].values())
            print(f"{bug.code}: {bug.bug}: {caught} of {len(bug.tests)} tests fail", flush=True)
    return results


def write_report(results: list[tuple[Bug, dict[str, str]]], seconds: float) -> Path:
    caught = sum(any(v == "failed" for v in r.values()) for _, r in results)
    lines = [
        "# Issue 23's hand-made bugs, replayed",
        "",
        f"`python build_tools/issue_bugs.py`, {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, "
        f"{seconds:.0f} s: each bug applied to a scratch copy, its tests run, the file restored. Without any bug all "
        f"{sum(len(b.tests) for b, _ in results)} tests pass. **{caught} of {len(results)} bugs caught.**",
        "",
        "| code | bug | tests that fail under it | tests that pass under it |",
        "|---|---|---|---|",
    ]
    for bug, result in results:
        failed = [t for t, v in result.items() if v == "failed"]
        passed = [t for t, v in result.items() if v != "failed"]
        lines.append(f"| `{bug.code}` | {bug.bug} | {', '.join(f'`{t}`' for t in failed) or '**none: not caught**'} | "
                     f"{', '.join(f'`{t}` ({result[t]})' for t in passed) or 'none'} |")
    REPORT.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return REPORT


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--check", action="store_true", help="only check that every bug applies and its tests exist")
    args = parser.parse_args()
    if args.check:
        problems = check()
        print("\n".join(problems) or f"all {len(BUGS)} bugs apply and name existing tests")
        sys.exit(1 if problems else 0)
    start = time.time()
    results = replay()
    path = write_report(results, time.time() - start)
    print(f"wrote {path.relative_to(ROOT)}")
    sys.exit(0 if all(any(v == "failed" for v in r.values()) for _, r in results) else 1)


if __name__ == "__main__":
    main()
