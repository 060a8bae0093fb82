"""What a committed notebook's outputs were made from, and whether it has gone stale since.

When ``python3 tasks.py execute`` runs a notebook, it records in the notebook's metadata (``course.inputs``)
a SHA-256 digest of everything its outputs depend on:

- each code cell's source, in order;
- each ``utils`` module the kernel had imported by the end of the run;
- the data files in ``data/``, when the notebook imported ``utils.data``;
- the learner pins (the packages the lessons run on).

``stale_reasons`` recomputes those digests from the working tree and lists what changed: a test fails with
that list for every notebook that was edited, or whose ``utils`` modules, data or pins changed, without being
re-executed. Text files are read with their line endings normalised, so a checkout with Windows line endings
is not stale.

    python build_tools/notebook_inputs.py        # print the stale notebooks and why (exit 1 if any)
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PIN_FILES = ("requirements.txt", "requirements.lock")
"""The learner pins (direct, and the lock of every package): a change means every notebook must be re-executed."""
DATA_PATTERNS = ("*.csv",)
METADATA_KEY = "course"

# Run in the kernel after the notebook's last cell: the files of the utils modules it imported.
LOADED_MODULES_CODE = (
    "import json as _json, sys as _sys\n"
    "print(_json.dumps(sorted({getattr(m, '__file__', None) or '' for n, m in list(_sys.modules.items())"
    " if n == 'utils' or n.startswith('utils.')} - {''})))"
)


def digest(path: Path) -> str:
    """SHA-256 of a file, with CRLF line endings read as LF (so a Windows checkout hashes the same)."""
    data = path.read_bytes().replace(b"\r\n", b"\n")
    return hashlib.sha256(data).hexdigest()


def source_digest(source: str) -> str:
    """SHA-256 of one code cell's source."""
    return hashlib.sha256(source.replace("\r\n", "\n").encode()).hexdigest()


def code_sources(notebook: dict[str, Any]) -> list[str]:
    """The sources of a notebook's code cells (nbformat 4 JSON), in order."""
    sources = []
    for cell in notebook["cells"]:
        if cell["cell_type"] == "code":
            source = cell["source"]
            sources.append("".join(source) if isinstance(source, list) else source)
    return sources


def inputs_of(notebook: dict[str, Any], module_files: list[str], root: Path = ROOT) -> dict[str, Any]:
    """The record to store in a notebook executed with the given imported ``utils`` module files.

    Parameters
    ----------
    notebook : dict
        The notebook (nbformat 4 JSON or a ``NotebookNode``).
    module_files : list of str
        Absolute paths of the ``utils`` modules the kernel imported.
    root : Path
        The repository root the paths are recorded relative to.

    Returns
    -------
    dict
        ``{"code_cells": [sha256, ...], "files": {relative path: sha256}}``.

    Raises
    ------
    ValueError
        If a ``utils`` module was imported from outside ``root`` (another checkout's ``utils``).
    """
    files: dict[str, str] = {}
    for name in module_files:
        path = Path(name).resolve()
        try:
            relative = path.relative_to(root.resolve())
        except ValueError:
            raise ValueError(
                f"the kernel imported utils from {path}, outside this repository ({root}); "
                "run `pip install -e .` in this repository (python3 tasks.py setup does it)"
            ) from None
        files[relative.as_posix()] = digest(path)
    if any(name.startswith("utils/data.py") for name in files):
        for pattern in DATA_PATTERNS:
            for path in sorted((root / "data").glob(pattern)):
                files[path.relative_to(root).as_posix()] = digest(path)
    for name in PIN_FILES:
        files[name] = digest(root / name)
    return {"code_cells": [source_digest(s) for s in code_sources(notebook)], "files": dict(sorted(files.items()))}


def stale_reasons(path: Path, root: Path = ROOT) -> list[str]:
    """Why the committed outputs of the notebook at ``path`` no longer match its inputs (empty if they do).

    Parameters
    ----------
    path : Path
        A committed, executed notebook.
    root : Path
        The repository root its record is relative to.

    Returns
    -------
    list of str
        One reason per changed input, e.g. ``"code cell 4 (cell 9 of the notebook) was edited"`` or
        ``"utils/training.py changed"``.
    """
    notebook = json.loads(Path(path).read_text(encoding="utf-8"))
    record = notebook.get("metadata", {}).get(METADATA_KEY, {}).get("inputs")
    if not record:
        return ["it carries no record of its inputs: it was saved without `python3 tasks.py execute`"]
    reasons = []
    now = [source_digest(s) for s in code_sources(notebook)]
    then = record.get("code_cells", [])
    cell_numbers = [i for i, cell in enumerate(notebook["cells"]) if cell["cell_type"] == "code"]
    if len(now) != len(then):
        reasons.append(f"it has {len(now)} code cells, but {len(then)} when it was executed")
    else:
        for index, (a, b) in enumerate(zip(now, then, strict=True)):
            if a != b:
                reasons.append(f"code cell {index} (cell {cell_numbers[index]} of the notebook) was edited")
    for name, recorded in record.get("files", {}).items():
        file = root / name
        if not file.is_file():
            reasons.append(f"{name} is gone")
        elif digest(file) != recorded:
            reasons.append(f"{name} changed")
    for name in PIN_FILES:
        if name not in record.get("files", {}):
            reasons.append(f"{name} was not part of its record (the pins it was executed with are unknown)")
    if "utils/data.py" in record.get("files", {}):
        for pattern in DATA_PATTERNS:
            for file in sorted((root / "data").glob(pattern)):
                if file.relative_to(root).as_posix() not in record["files"]:
                    reasons.append(f"{file.relative_to(root).as_posix()} is new")
    return reasons


def main(argv: list[str]) -> int:
    paths = [Path(a) for a in argv] or sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    stale = 0
    for path in paths:
        reasons = stale_reasons(path)
        if reasons:
            stale += 1
            print(f"{path.name} is stale: " + "; ".join(reasons))
    if stale:
        print("re-execute with: python3 tasks.py execute [notebooks/NN_name.ipynb ...]")
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
