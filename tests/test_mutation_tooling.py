"""The mutation run's fork server must not start TensorFlow before it forks (issue 23).

`tasks.py mutate` runs mutmut with its fork server: one process collects the module's tests, then forks one child
per mutant. A child forked after TensorFlow has started its thread pools waits forever in its first graph function,
so every mutant whose tests train a network times out. Collecting a test file must therefore run no TensorFlow:
build models inside the tests, not in a ``parametrize`` list or at module level.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

PROBE = r"""
import os, signal, sys, time
import pytest
code = pytest.main(["--collect-only", "-q", "-p", "no:cacheprovider", *sys.argv[1:]])
if code != 0:
    sys.exit(f"collection failed ({code})")
pid = os.fork()
if pid == 0:
    import tensorflow as tf
    tf.function(lambda x: x * 2.0)(tf.constant(1.0))
    os._exit(0)
for _ in range(120):
    done, status = os.waitpid(pid, os.WNOHANG)
    if done:
        sys.exit(0 if status == 0 else "the forked child failed")
    time.sleep(0.25)
os.kill(pid, signal.SIGKILL)
sys.exit("HUNG: a child forked after collecting these files waits forever in a graph function")
"""


def _mutation_test_files() -> list[str]:
    sys.path.insert(0, str(ROOT))
    import tasks

    return sorted({test.split("::")[0] for tests in tasks.MUTATION_TESTS.values() for test in tests})


def test_collecting_the_mutation_tests_starts_no_tensorflow():
    files = _mutation_test_files()
    assert "tests/test_models_training.py" in files  # the file whose parametrize list once built a Keras model
    result = subprocess.run([sys.executable, "-c", PROBE, *files], cwd=ROOT, capture_output=True, text=True,
                            timeout=240, env={**os.environ, "COURSE_PROGRESS": "0"})
    assert result.returncode == 0, (result.stderr or result.stdout)[-2000:]


# ------------------------------------------------------------------ the report of a sampled run (--sample N)


def _mutation_module():
    sys.path.insert(0, str(ROOT / "build_tools"))
    import mutation

    return mutation


def test_wilson_interval_matches_published_values():
    mutation = _mutation_module()
    low, high = mutation.wilson_interval(85, 100)  # Newcombe (1998), Wilson score interval: 0.7672 to 0.9069
    assert abs(low - 0.7672) < 5e-4 and abs(high - 0.9069) < 5e-4
    low, high = mutation.wilson_interval(0, 10)  # 0 of 10: 0 to 0.2775
    assert low == 0.0 and abs(high - 0.2775) < 5e-4
    low, high = mutation.wilson_interval(10, 10)
    assert abs(low - 0.7225) < 5e-4 and high == 1.0


def test_a_sampled_run_is_reported_as_a_sample_with_its_interval(tmp_path, monkeypatch):
    import json

    mutation = _mutation_module()
    verdicts = {f"m{i}": "killed" for i in range(17)} | {"m17": "survived", "m18": "timeout"} | {
        f"n{i}": "not checked" for i in range(81)}
    monkeypatch.setattr(mutation, "statuses_of", lambda work: verdicts)
    monkeypatch.setattr(mutation, "changes_of", lambda work, names: {})
    monkeypatch.setattr(mutation, "REPORTS", tmp_path / "reports")
    work = tmp_path / "work"
    work.mkdir()
    (work / "sample.json").write_text(json.dumps({"seed": 23, "size": 19, "of": 100, "mutants": []}))
    text = mutation.report("utils/fake.py", work, 60.0, ["tests/test_fake.py"]).read_text()
    low, high = mutation.wilson_interval(18, 19)
    assert "**A random sample:** 19 of the 100 mutants, drawn uniformly with seed 23" in text
    assert f"95% interval {low:.0%} to {high:.0%}" in text and "95%" in text
    assert "| 100 | 19 | 18 | 1 | 0 | 81 | 95% | 85% |" in text  # made, run, killed (a timeout counts), ...
    (tmp_path / "reports" / "README.md").unlink(missing_ok=True)
    index = mutation.index().read_text()
    assert "**a sample** (19 of 100 run)" in index
    (work / "sample.json").unlink()  # the same verdicts from a run stopped before the end
    mutation.report("utils/fake.py", work, 60.0, ["tests/test_fake.py"])
    assert "**not all run** (81 not run)" in mutation.index().read_text()


def test_the_sample_is_seeded_sorted_and_no_larger_than_the_module(tmp_path, monkeypatch):
    import json

    sys.path.insert(0, str(ROOT))
    import tasks

    names = [f"utils.fake.x_f__mutmut_{i}" for i in range(1, 41)]

    def fake_mutmut(args, cwd, **kwargs):  # what mutmut leaves after making the mutants
        meta = Path(cwd) / "mutants" / "utils" / "fake.py.meta"
        meta.parent.mkdir(parents=True, exist_ok=True)
        meta.write_text(json.dumps({"exit_code_by_key": dict.fromkeys(names)}))
        return 1

    monkeypatch.setattr(tasks.subprocess, "call", fake_mutmut)
    monkeypatch.setattr(tasks, "ROOT", tmp_path)
    first = tasks._mutation_sample("utils/fake.py", tmp_path, 10, ["mutmut"], {})
    again = tasks._mutation_sample("utils/fake.py", tmp_path, 10, ["mutmut"], {})
    assert first == again == sorted(first) and len(set(first)) == 10 and set(first) <= set(names)
    assert first != sorted(names)[:10]  # drawn, not the first ten
    saved = json.loads((tmp_path / "sample.json").read_text())
    assert saved == {"seed": tasks.MUTATION_SAMPLE_SEED, "size": 10, "of": 40, "mutants": first}
    assert tasks._mutation_sample("utils/fake.py", tmp_path, 400, ["mutmut"], {}) == sorted(names)  # all there are


# ------------------------------------------------------------------ a full run, how it was made, mutants at a time


def test_a_sample_run_to_the_end_is_a_full_run_and_the_report_says_how_it_was_made(tmp_path, monkeypatch):
    """A sample whose other mutants then ran too is reported whole (target met, not "a sample"); the module's
    how.md is quoted under the title and is no row of the index; two mutants at a time is said, and the index
    still reads the run time."""
    import json

    mutation = _mutation_module()
    verdicts = {f"m{i}": "killed" for i in range(90)} | {f"s{i}": "survived" for i in range(10)}
    monkeypatch.setattr(mutation, "statuses_of", lambda work: verdicts)
    monkeypatch.setattr(mutation, "changes_of", lambda work, names: {
        n: ("return a * b", "return a / b") if n == "s0" else ("x = `y`", "x = None") for n in names})
    reports = tmp_path / "reports"
    monkeypatch.setattr(mutation, "REPORTS", reports)
    reports.mkdir()
    (reports / "fake.how.md").write_text("**How this run was made:** a sample, then the rest.\n")
    (reports / "fake.explained.toml").write_text('s0 = "equivalent: b is 1"\nm3 = "an old number, now killed"\n')
    work = tmp_path / "work"
    work.mkdir()
    (work / "sample.json").write_text(json.dumps({"seed": 23, "size": 19, "of": 100, "mutants": []}))
    text = mutation.report("utils/fake.py", work, 5400.0, ["tests/test_fake.py"], children=2).read_text()
    assert "A random sample" not in text
    assert text.splitlines()[2] == "**How this run was made:** a sample, then the rest."
    assert "`python3 tasks.py mutate utils/fake.py --children 2`" in text
    assert "under `nice`, 2 mutants at a time: 90.0 min wall." in text
    assert "| 100 | 100 | 90 | 10 | 1 | 0 | 90% | 85% |" in text
    assert "- `s0` (survived): `return a * b` → `return a / b`: equivalent: b is 1" in text  # the change, then why
    assert "- `s1` (survived): `` x = `y` `` → `x = None`: **not explained**" in text
    assert text.rstrip().endswith("Explained but killed (remove these entries; after an edit their numbers may name "
                                  "other mutants): `m3`")
    rows = [line for line in mutation.index().read_text().splitlines() if line.startswith("| `")]
    assert len(rows) == 1 and "| yes | 90.0 min wall |" in rows[0]  # the how file is no report
    mutation.report("utils/fake.py", work, None, ["tests/test_fake.py"])
    assert "under `nice`, one mutant at a time: run time not recorded." in (reports / "fake.md").read_text()
    with pytest.raises(ValueError, match=r"^children must be a whole number of mutants run at a time, at least 1, got 0"):
        mutation.report("utils/fake.py", work, None, [], children=0)


def test_the_mutate_options_take_a_whole_number_and_name_a_wrong_one():
    sys.path.insert(0, str(ROOT))
    import tasks

    extra = ["utils/linear.py", "--children", "2", "--report-only"]
    assert tasks._count_option(extra, "--children", "how many") == 2
    assert extra == ["utils/linear.py", "--report-only"]  # the option and its value are taken out
    assert tasks._count_option(extra, "--sample", "how many") is None
    for bad in (["--children"], ["--children", "0"], ["--children", "two"], ["--children", "-1"]):
        with pytest.raises(SystemExit, match=r"^\[tasks\] --children needs how many mutants, at least 1$"):
            tasks._count_option(bad, "--children", "how many mutants")


# ------------------------------------------------------------------ issue 23's hand-made bugs, replayed


def _issue_bugs_module():
    sys.path.insert(0, str(ROOT / "build_tools"))
    import issue_bugs

    return issue_bugs


def test_every_hand_made_bug_still_applies_and_names_existing_tests():
    """The replay list is not stale: each bug's edit applies once to the code as it is, and its tests exist."""
    issue_bugs = _issue_bugs_module()
    assert issue_bugs.check() == []
    assert len(issue_bugs.BUGS) == 9  # the issue's 8 rows, one of which holds 2 bugs


def test_a_bug_whose_code_was_rewritten_is_named():
    issue_bugs = _issue_bugs_module()
    bug = issue_bugs.Bug("m.f", "factor dropped", "m.py", (("2 * x", "x"),), ())
    assert issue_bugs.apply(bug, "y = 2 * x\n") == "y = x\n"
    for text, found in (("y = 3 * x\n", 0), ("y = 2 * x + 2 * x\n", 2)):
        with pytest.raises(ValueError, match=rf"^the bug 'factor dropped' in m.py no longer applies: '2 \* x' occurs "
                                             rf"{found} times, not once"):
            issue_bugs.apply(bug, text)


def test_the_replay_reports_a_caught_and_a_missed_bug_and_leaves_the_code_alone(tmp_path, monkeypatch):
    """On a small project: the failing test is named under a caught bug, a bug no test sees is "not caught", the
    replay exits non-zero for it, and the project's own file is unchanged."""
    issue_bugs = _issue_bugs_module()
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "mod.py").write_text("def double(x):\n    return 2 * x\n")
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "test_mod.py").write_text(
        "from pkg.mod import double\n\n\ndef test_double():\n    assert double(3) == 6\n\n\n"
        "def test_type():\n    assert isinstance(double(1), int)\n")
    (tmp_path / "conftest.py").write_text("")
    tests = ("tests/test_mod.py::test_double", "tests/test_mod.py::test_type")
    bugs = (issue_bugs.Bug("mod.double", "factor dropped", "pkg/mod.py", (("return 2 * x", "return x"),), tests),
            issue_bugs.Bug("mod.double", "plus nothing", "pkg/mod.py", (("return 2 * x", "return 2 * x + 0"),), tests))
    for name, value in (("ROOT", tmp_path), ("BUGS", bugs), ("COPIED", ("pkg", "tests")), ("COPIED_FILES", ("conftest.py",)),
                        ("REPORT", tmp_path / "issue_bugs.md")):
        monkeypatch.setattr(issue_bugs, name, value)
    results = issue_bugs.replay()
    assert [r for _, r in results] == [{tests[0]: "failed", tests[1]: "passed"}, dict.fromkeys(tests, "passed")]
    text = issue_bugs.write_report(results, 3.0).read_text()
    assert "**1 of 2 bugs caught.**" in text
    assert "| `mod.double` | factor dropped | `tests/test_mod.py::test_double` | `tests/test_mod.py::test_type` (passed) |" in text
    assert "| `mod.double` | plus nothing | **none: not caught** |" in text
    assert (tmp_path / "pkg" / "mod.py").read_text() == "def double(x):\n    return 2 * x\n"
    (tmp_path / "tests" / "test_mod.py").write_text("def test_double():\n    assert False\n\n\ndef test_type():\n    pass\n")
    with pytest.raises(SystemExit, match=r"without any bug these tests do not pass: \['tests/test_mod.py::test_double'\]"):
        issue_bugs.replay()


def test_a_mutants_change_is_read_from_its_diff_without_the_file_headers():
    mutation = _mutation_module()
    diff = ("--- utils/batched.py\n+++ utils/batched.py\n@@ -1,4 +1,4 @@\n def f(a, b):\n-    return a * b\n"
            "+    return a / b\n     # --- not a header\n-    x = 1\n+    x = 2\n")
    assert mutation.changed_lines(diff) == ("return a * b / x = 1", "return a / b / x = 2")
    assert mutation.changed_lines("") == ("", "")
