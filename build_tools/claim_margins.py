"""Measure how close every claim check comes to failing, over several seeds (a robustness audit).

    python build_tools/claim_margins.py                          # every lesson, seeds 42 7 0 1 2 3 4 5
    python build_tools/claim_margins.py notebooks/03_*.ipynb --seeds 42 7 11 --onednn 1 --jobs 2

Every ``assert`` in a notebook's code cells that compares two numbers (``a < b``, ``(x > 0).all()``,
``np.all(np.diff(v) < 0)``, ``a < b and c > d``) is instrumented: just before it runs, the two sides are
recorded. The *margin* of a comparison is how far the measured side is from the bound, relative to the
bound: ``(b - a) / |b|`` for ``a < b`` (for arrays, the smallest over elements). A negative margin is a
failed claim; a margin under 10% is a claim that another CPU or seed may break. Equality and boolean
checks (``==``, ``np.isclose``, ``not np.array_equal``) are recorded as pass/fail only.

The notebooks are executed in a fresh kernel per seed, in memory (nothing is written to ``notebooks/``), with
``COURSE_SEED`` set and, with ``--onednn 1``, TensorFlow's oneDNN kernels on (a stand-in for another CPU).
Results go to ``outputs/claim_margins.csv`` and a summary table to ``outputs/claim_margins.md`` (``outputs/``
is ignored by git; copy a table you want to keep into ``benchmarks/``).
"""

from __future__ import annotations

import argparse
import ast
import csv
import json
import os
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "outputs"
DEFAULT_SEEDS = (42, 7, 0, 1, 2, 3, 4, 5)
FLAG = 0.10

RECORDER = r'''
import math as _m
__claim_margins__ = []
def __record__(key, text, op, thunk):
    import numpy as _np
    try:
        a, b = thunk()
        a = _np.asarray(a, dtype=float); b = _np.asarray(b, dtype=float)
        a, b = _np.broadcast_arrays(a, b)
        # relative to the bound; for a bound of 0 (e.g. np.diff(v) < 0: a monotone sequence), relative to the
        # typical size of the measured side, so that one step much smaller than the others shows as a small margin
        typical = max(float(_np.mean(_np.abs(a))) if a.size else 0.0, 1e-300)
        scale = _np.where(_np.abs(b) > 0, _np.abs(b), typical)
        if op in ("<", "<="):
            rel = (b - a) / scale
        else:
            rel = (a - b) / scale
        i = int(_np.argmin(rel)) if rel.size else 0
        __claim_margins__.append({"key": key, "text": text, "op": op, "a": float(a.flat[i]) if a.size else None,
                                  "b": float(b.flat[i]) if b.size else None,
                                  "margin": float(rel.flat[i]) if rel.size else None})
    except Exception as error:  # a side that is not numeric: record the kind of check only
        __claim_margins__.append({"key": key, "text": text, "op": op, "a": None, "b": None, "margin": None,
                                  "note": type(error).__name__})
'''

DUMP = "import json as _j; print('__CLAIMS__' + _j.dumps(__claim_margins__))"


def _comparisons(test: ast.expr) -> list[ast.Compare]:
    """The two-sided numeric comparisons inside an assert's test."""
    found: list[ast.Compare] = []
    if isinstance(test, ast.BoolOp) and isinstance(test.op, ast.And):
        for value in test.values:
            found += _comparisons(value)
    elif isinstance(test, ast.Compare) and len(test.ops) == 1 and isinstance(
        test.ops[0], (ast.Lt, ast.LtE, ast.Gt, ast.GtE)
    ):
        found.append(test)
    elif isinstance(test, ast.Compare) and len(test.ops) == 2 and all(
        isinstance(op, (ast.Lt, ast.LtE)) for op in test.ops
    ):  # lo < x < hi: two comparisons
        found.append(ast.Compare(left=test.left, ops=[test.ops[0]], comparators=[test.comparators[0]]))
        found.append(ast.Compare(left=test.comparators[0], ops=[test.ops[1]], comparators=[test.comparators[1]]))
    elif isinstance(test, ast.Call):
        func = test.func
        if isinstance(func, ast.Attribute) and func.attr == "all" and not test.args:
            found += _comparisons(func.value)  # (a < b).all()
        elif isinstance(func, ast.Attribute) and func.attr == "all" and len(test.args) == 1:
            found += _comparisons(test.args[0])  # np.all(a < b)
    return found


SYMBOL = {ast.Lt: "<", ast.LtE: "<=", ast.Gt: ">", ast.GtE: ">="}


def instrument(source: str, cell_index: int) -> str:
    """Return ``source`` with a recording call before every assert that compares numbers."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return source
    lines = source.splitlines()
    inserts: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Assert):
            continue
        indent = lines[node.lineno - 1][: len(lines[node.lineno - 1]) - len(lines[node.lineno - 1].lstrip())]
        comparisons = _comparisons(node.test)
        text = ast.get_source_segment(source, node.test) or ""
        if not comparisons:
            inserts.append((node.lineno, f"{indent}__record__({f'{cell_index}:{node.lineno}'!r}, {text!r}, 'bool', "
                                         f"lambda: (float(bool({text})), 0.5))"))
        for number, comparison in enumerate(comparisons):
            left = ast.unparse(comparison.left)
            right = ast.unparse(comparison.comparators[0])
            op = SYMBOL[type(comparison.ops[0])]
            key = f"{cell_index}:{node.lineno}.{number}"
            label = f"{left} {op} {right}"
            inserts.append((node.lineno, f"{indent}__record__({key!r}, {label!r}, {op!r}, lambda: (({left}), ({right})))"))
    for lineno, code in sorted(inserts, key=lambda item: item[0], reverse=True):
        lines.insert(lineno - 1, code)
    return "\n".join(lines)


def run_one(path: str, seed: int, onednn: str) -> list[dict]:
    """Execute one notebook under one seed; return its claim records."""
    import nbformat
    from nbclient import NotebookClient

    os.environ["COURSE_SEED"] = str(seed)
    os.environ["TF_ENABLE_ONEDNN_OPTS"] = onednn
    os.environ["PYTHONHASHSEED"] = "0"
    os.environ["COURSE_PROGRESS"] = "0"
    os.environ.pop("MPLBACKEND", None)
    notebook = nbformat.read(path, as_version=4)
    for index, cell in enumerate(notebook.cells):
        if cell.cell_type == "code" and "assert" in cell.source:
            cell.source = instrument(cell.source, index)
    notebook.cells.insert(0, nbformat.v4.new_code_cell(RECORDER))
    notebook.cells.append(nbformat.v4.new_code_cell(DUMP))
    client = NotebookClient(notebook, timeout=600, kernel_name="python3", allow_errors=True,
                            resources={"metadata": {"path": str(Path(path).parent)}})
    start = time.perf_counter()
    client.execute()
    seconds = time.perf_counter() - start
    errors = [
        f"cell {i - 1}: {o.get('ename')}: {str(o.get('evalue'))[:200]}"
        for i, cell in enumerate(notebook.cells) if cell.cell_type == "code"
        for o in cell.get("outputs", []) if o.get("output_type") == "error"
    ]
    records: list[dict] = []
    for output in notebook.cells[-1].get("outputs", []):
        text = output.get("text", "")
        if text.startswith("__CLAIMS__"):
            records = json.loads(text[len("__CLAIMS__"):])
    for record in records:
        record.update(notebook=Path(path).name, seed=seed, onednn=onednn)
        record["key"] = str(int(record["key"].split(":")[0]) - 1) + ":" + record["key"].split(":")[1]
    records.append({"notebook": Path(path).name, "seed": seed, "onednn": onednn, "key": "_run",
                    "text": "; ".join(errors) or "no error", "op": "", "a": seconds, "b": None, "margin": None})
    return records


FIELDS = ["notebook", "seed", "onednn", "key", "text", "op", "a", "b", "margin", "note"]


def write_records(rows: list[dict], out: Path) -> None:
    """Every claim record as ``out``.csv and the per-seed table as ``out``.md."""
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.with_suffix(".csv").open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=FIELDS)
        writer.writeheader()
        writer.writerows(rows)
    out.with_suffix(".md").write_text(summarise(rows))


def summarise(rows: list[dict]) -> str:
    """A Markdown table: per comparison, the margin at each seed and the smallest."""
    by_claim: dict[tuple[str, str], list[dict]] = {}
    for row in rows:
        if row["key"] != "_run":
            by_claim.setdefault((row["notebook"], row["key"], row["text"]), []).append(row)
    seeds = sorted({(r["seed"], r["onednn"]) for r in rows}, key=lambda s: (s[1], s[0]))
    header = "| notebook | cell:line | comparison | " + " | ".join(f"{s}{'*' if o == '1' else ''}" for s, o in seeds)
    lines = [header + " | min |", "|" + "---|" * (4 + len(seeds))]

    def cell_key(item):
        (nb, key, _), _ = item
        cell, rest = key.split(":")
        return nb, int(cell), rest

    for (notebook, key, text), records in sorted(by_claim.items(), key=cell_key):
        values = {(r["seed"], r["onednn"]): r for r in records}
        cells, margins = [], []
        for seed in seeds:
            record = values.get(seed)
            if record is None:
                cells.append("-")
            elif record["op"] == "bool":
                ok = record["a"] == 1.0
                cells.append("ok" if ok else "FAIL")
            elif record["margin"] is None:
                cells.append("?")
            else:
                margins.append(record["margin"])
                flag = "**" if record["margin"] < FLAG else ""
                cells.append(f"{flag}{record['margin']:.0%}{flag}")
        low = f"{min(margins):.0%}" if margins else ""
        short = text if len(text) < 70 else text[:67] + "..."
        lines.append(f"| {notebook[:2]} | {key} | `{short}` | " + " | ".join(cells) + f" | {low} |")
    runs = [r for r in rows if r["key"] == "_run" and r["text"] != "no error"]
    lines.append("")
    lines.append("Seeds marked * ran with oneDNN on. Margins in bold are under 10% of the bound.")
    for run in runs:
        lines.append(f"- {run['notebook']} seed {run['seed']} oneDNN {run['onednn']}: {run['text']}")
    return "\n".join(lines) + "\n"


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("notebooks", nargs="*")
    parser.add_argument("--seeds", type=int, nargs="+", default=list(DEFAULT_SEEDS))
    parser.add_argument("--onednn", choices=("0", "1"), nargs="+", default=["0"])
    parser.add_argument("--jobs", type=int, default=1)
    parser.add_argument("--out", default=str(OUT / "claim_margins"))
    args = parser.parse_args(argv)
    paths = args.notebooks or [str(p) for p in sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))]
    tasks = [(p, s, o) for p in paths for o in args.onednn for s in args.seeds]
    rows: list[dict] = []
    with ProcessPoolExecutor(max_workers=args.jobs) as pool:
        futures = {pool.submit(run_one, *task): task for task in tasks}
        for done, future in enumerate(futures, 1):
            task = futures[future]
            result = future.result()
            rows += result
            print(f"[{done}/{len(tasks)}] {Path(task[0]).name} seed {task[1]} oneDNN {task[2]}: "
                  f"{result[-1]['a']:.0f} s, {result[-1]['text'][:100]}", flush=True)
    out = Path(args.out)
    write_records(rows, out)
    print(f"wrote {out.with_suffix('.csv')} and {out.with_suffix('.md')}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
