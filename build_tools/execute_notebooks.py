"""Re-execute notebooks in place, top to bottom in a fresh kernel, the same way every time.

    python build_tools/execute_notebooks.py                 # every notebook in notebooks/
    python build_tools/execute_notebooks.py notebooks/02_*  # some of them

Run through `python3 tasks.py execute`, which unsets COURSE_SEED (the committed outputs use the default
seed) and uses the course environment. Cell timing metadata is not recorded, so a re-run changes the
file only where an output really changed. Prints each notebook's wall time.

Each notebook gets a record of its inputs in its metadata (``course.inputs``: its code cells, the ``utils``
modules it imported, its data files and the pins; see ``build_tools/notebook_inputs.py``), which the test
suite compares with the working tree to catch a notebook that was changed, or whose inputs changed, without
being re-executed.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbconvert.preprocessors import CoalesceStreamsPreprocessor

sys.path.insert(0, str(Path(__file__).resolve().parent))
from notebook_inputs import LOADED_MODULES_CODE, METADATA_KEY, inputs_of

ROOT = Path(__file__).resolve().parent.parent
TIMEOUT_PER_CELL = 300


def execute(path: Path) -> float:
    notebook = nbformat.read(path, as_version=4)
    notebook.metadata["kernelspec"] = {"display_name": "Python 3", "language": "python", "name": "python3"}
    notebook.metadata.pop("widgets", None)
    client = NotebookClient(
        notebook,
        timeout=TIMEOUT_PER_CELL,
        kernel_name="python3",
        resources={"metadata": {"path": str(path.parent)}},
        record_timing=False,
    )
    # One extra cell, run last and removed before saving, asks the kernel which utils modules it imported.
    notebook.cells.append(nbformat.v4.new_code_cell(LOADED_MODULES_CODE))
    start = time.perf_counter()
    client.execute()
    seconds = time.perf_counter() - start
    probe = notebook.cells.pop()
    module_files = json.loads("".join(o.get("text", "") for o in probe.outputs if o.get("name") == "stdout"))
    notebook.metadata.setdefault(METADATA_KEY, {})["inputs"] = inputs_of(notebook, module_files, ROOT)
    for cell in notebook.cells:
        cell.metadata.pop("execution", None)
    # one print can reach the notebook as two stream messages (its text, then its newline) on a loaded machine:
    # merged, as JupyterLab shows them, so a re-run does not differ from the last one by how the text was split
    notebook, _ = CoalesceStreamsPreprocessor().preprocess(notebook, {})
    nbformat.write(notebook, path)
    return seconds


def main(argv: list[str]) -> int:
    paths = [Path(a) for a in argv] or sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    for path in paths:
        if path.suffix != ".ipynb" or not path.is_file():
            print(f"not a notebook: {path}", file=sys.stderr)
            return 2
        print(f"{path.name}: executed in {execute(path):.1f} s", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
