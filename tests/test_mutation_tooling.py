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
