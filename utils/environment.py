"""What is installed, and whether the course environment is ready."""

from __future__ import annotations

import re
import sys
from importlib import metadata
from pathlib import Path

import pandas as pd

REPO_ROOT = Path(__file__).resolve().parent.parent
REQUIREMENTS = REPO_ROOT / "requirements.txt"
SAME_PACKAGE = {"tensorflow-cpu": "tensorflow"}
"""Pins that another distribution of the same code satisfies: macOS on Apple silicon and Linux aarch64 have no
``tensorflow-cpu`` wheel, so the lock installs ``tensorflow`` (the same version) there."""
_PIN = re.compile(r"^\s*([A-Za-z0-9_.\-]+)\s*==\s*([^\s#;]+)")


def read_pins(path: str | Path = REQUIREMENTS) -> dict[str, str]:
    """Read ``name==version`` pins from a requirements file (comments and other lines are skipped).

    Parameters
    ----------
    path : str or pathlib.Path, default the repository's requirements.txt

    Returns
    -------
    dict of str to str
        Normalised package name (lower case, ``_`` as ``-``) to version.
    """
    if not isinstance(path, str | Path):
        raise TypeError(f"path must be a str or pathlib.Path, got {type(path).__name__} {path!r}")
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"no requirements file at {path}")
    pins: dict[str, str] = {}
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise ValueError(
            f"path {str(path)!r} is not a requirements file in UTF-8 text (byte {exc.start} cannot be read): "
            "give the path of a text file of name==version lines"
        ) from None
    for line in text.splitlines():
        match = _PIN.match(line)
        if match:
            pins[match.group(1).lower().replace("_", "-")] = match.group(2)
    return pins


def environment_report() -> pd.DataFrame:
    """Every pinned package with the version required and the version installed.

    Returns
    -------
    pandas.DataFrame
        Columns ``package``, ``required``, ``installed`` (``"missing"`` if absent) and ``ok``; the first
        row is Python itself (major.minor only, which is what the course pins).
    """
    rows = [
        {
            "package": "python",
            "required": "3.11",
            "installed": f"{sys.version_info.major}.{sys.version_info.minor}",
        }
    ]
    for name, version in read_pins().items():
        label = name
        try:
            installed = metadata.version(name)
        except metadata.PackageNotFoundError:
            installed = "missing"
            alternative = SAME_PACKAGE.get(name)
            if alternative is not None:
                try:
                    installed = metadata.version(alternative)
                    label = f"{name} (as {alternative})"
                except metadata.PackageNotFoundError:
                    pass
        rows.append({"package": label, "required": version, "installed": installed})
    report = pd.DataFrame(rows)
    report["ok"] = report["required"] == report["installed"]
    return report


def check_environment() -> list[str]:
    """Check versions, the ``utils`` install, TensorFlow's import and the data checksums.

    Prints one line per check and ends with ``READY`` or with the list of what is wrong.

    Returns
    -------
    list of str
        The problems found (empty when ready).
    """
    problems: list[str] = []
    report = environment_report()
    for row in report[~report["ok"]].itertuples():
        problems.append(f"{row.package}: {row.installed} installed, {row.required} required")
    print(f"packages at their pinned versions: {int(report['ok'].sum())} of {len(report)}")

    import utils

    location = Path(utils.__file__).resolve().parent
    if location != REPO_ROOT / "utils":
        problems.append(f"`import utils` found another copy at {location}; reinstall with `python tasks.py setup`")
    print(f"utils imported from this repository: {'yes' if location == REPO_ROOT / 'utils' else 'no'}")

    try:
        import keras
        import tensorflow as tf

        print(f"TensorFlow {tf.__version__} with Keras {keras.__version__}: imports quietly")
    except Exception as exc:  # pragma: no cover - depends on the machine
        problems.append(f"TensorFlow does not import: {exc}")

    from utils.data import verify_datasets

    status = verify_datasets()
    bad = {name: message for name, message in status.items() if message != "ok"}
    problems += list(bad.values())
    print(f"data files with the recorded SHA-256: {len(status) - len(bad)} of {len(status)}")

    if problems:
        print("NOT READY. Fix these, then run this cell again:")
        for problem in problems:
            print(f"  - {problem}")
    else:
        print("READY: every check passed.")
    return problems
