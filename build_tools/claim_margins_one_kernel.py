"""Claim margins over many seeds, every seed run in one kernel (the same instrumentation as claim_margins.py).

    python build_tools/claim_margins_one_kernel.py notebooks/01_bias_variance_tradeoff.ipynb --seeds $(seq 0 29) 42 \
        --out outputs/cm1_01

``build_tools/claim_margins.py`` starts a fresh kernel per seed: on a loaded machine most of its time goes to
starting kernels and importing TensorFlow (30-90 s per seed here on 2026-12-07, with 8 jobs sharing 2 cores).
This script starts one kernel per notebook and runs the notebook's code cells once per seed in it, with
``COURSE_SEED`` set in the kernel before each pass, so every pass starts from ``utils.set_seed()`` as a fresh run
does. The comparisons are instrumented by ``claim_margins.instrument`` and tabulated by
``claim_margins.summarise``, so the tables read the same. What a shared kernel could change (a cache keyed by
something other than the seed, a module-level state) is checked by ``--check-against``: a CSV written by
``claim_margins.py`` for some of the same seeds, whose every margin must be reproduced.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from claim_margins import DUMP, RECORDER, instrument, write_records

RESET = "__claim_margins__.clear()"


def write(rows: list[dict], out: Path) -> None:
    """The CSV of every record, the per-seed table and the compact table (rewritten after every seed)."""
    write_records(rows, out)
    out.with_name(out.name + "_compact.md").write_text(compact(rows))


def run_notebook(path: str, seeds: list[int], out: Path | None = None, done: list[dict] | None = None) -> list[dict]:
    """Execute the notebook's code cells once per seed in one kernel; return the claim records.

    With ``out``, the tables are rewritten after every seed (with the records in ``done`` first), so that an
    interrupted run keeps the seeds it finished."""
    import nbformat
    from nbclient import NotebookClient

    os.environ["TF_ENABLE_ONEDNN_OPTS"] = "0"
    os.environ["PYTHONHASHSEED"] = "0"
    os.environ["COURSE_PROGRESS"] = "0"
    os.environ.pop("MPLBACKEND", None)
    source = nbformat.read(path, as_version=4)
    code = [
        (index, instrument(cell.source, index) if "assert" in cell.source else cell.source)
        for index, cell in enumerate(source.cells) if cell.cell_type == "code"
    ]
    notebook = nbformat.v4.new_notebook()
    client = NotebookClient(notebook, timeout=900, kernel_name="python3", allow_errors=True,
                            resources={"metadata": {"path": str(Path(path).parent)}})
    rows: list[dict] = []
    with client.setup_kernel():
        def run(text: str) -> nbformat.NotebookNode:
            cell = nbformat.v4.new_code_cell(text)
            notebook.cells.append(cell)
            client.execute_cell(cell, len(notebook.cells) - 1)
            return cell

        run(RECORDER)
        for number, seed in enumerate(seeds, 1):
            run(f"import os as _os; _os.environ['COURSE_SEED'] = '{seed}'; {RESET}\n%matplotlib inline")
            start = time.perf_counter()
            errors = []
            for index, text in code:
                cell = run(text)
                errors += [f"cell {index}: {o.get('ename')}: {str(o.get('evalue'))[:200]}"
                           for o in cell.get("outputs", []) if o.get("output_type") == "error"]
                cell.outputs = []  # keep memory flat
            run("import matplotlib.pyplot as _plt; _plt.close('all')")
            seconds = time.perf_counter() - start
            dump = run(DUMP)
            records: list[dict] = []
            for output in dump.get("outputs", []):
                text = output.get("text", "")
                if text.startswith("__CLAIMS__"):
                    records = json.loads(text[len("__CLAIMS__"):])
            for record in records:
                record.update(notebook=Path(path).name, seed=seed, onednn="0")
            records.append({"notebook": Path(path).name, "seed": seed, "onednn": "0", "key": "_run",
                            "text": "; ".join(errors) or "no error", "op": "", "a": seconds, "b": None, "margin": None})
            rows += records
            if out is not None:
                write([*(done or []), *rows], out)
            print(f"[{number}/{len(seeds)}] {Path(path).name} seed {seed}: {seconds:.0f} s, {records[-1]['text'][:100]}",
                  flush=True)
            notebook.cells = []
    return rows


def compact(rows: list[dict]) -> str:
    """Per comparison: the smallest margin, the seed where it occurred, and the number of seeds where it failed."""
    seeds = sorted({r["seed"] for r in rows})
    by_claim: dict[tuple[str, str, str], list[dict]] = {}
    for row in rows:
        if row["key"] != "_run":
            by_claim.setdefault((row["notebook"], row["key"], row["text"]), []).append(row)

    def order(item: tuple[tuple[str, str, str], list[dict]]) -> tuple[str, int, str]:
        (notebook, key, _), _ = item
        cell, rest = key.split(":")
        return notebook, int(cell), rest

    lines = ["| notebook | cell:line | comparison | seeds | smallest margin | at seed | failing seeds |",
             "|---|---|---|---|---|---|---|"]
    for (notebook, key, text), records in sorted(by_claim.items(), key=order):
        if records[0]["op"] == "bool":
            failing = sorted({r["seed"] for r in records if r["a"] != 1.0})
            low, at = "ok (pass/fail)", ""
        else:
            measured = [r for r in records if r["margin"] is not None]
            failing = sorted({r["seed"] for r in measured if r["margin"] < 0})
            worst = min(measured, key=lambda r: r["margin"]) if measured else None
            low = "?" if worst is None else (f"**{worst['margin']:.1%}**" if worst["margin"] < 0.10 else f"{worst['margin']:.1%}")
            at = "" if worst is None else str(worst["seed"])
        short = text if len(text) < 80 else text[:77] + "..."
        lines.append(f"| {notebook[:2]} | {key} | `{short}` | {len({r['seed'] for r in records})} | {low} | {at} | "
                     f"{len(failing)}{' (' + ', '.join(map(str, failing)) + ')' if failing else ''} |")
    runs = [r for r in rows if r["key"] == "_run"]
    broken = [r for r in runs if r["text"] != "no error"]
    lines += ["", f"{len(runs)} runs over seeds {', '.join(map(str, seeds))}; {len(broken)} with an error."]
    lines += [f"- seed {r['seed']}: {r['text']}" for r in broken]
    return "\n".join(lines) + "\n"


def check_against(rows: list[dict], reference: str) -> list[str]:
    """Differences between these margins and a fresh-kernel run's, for the seeds both have."""
    with open(reference, newline="") as handle:
        fresh = [r for r in csv.DictReader(handle) if r["key"] != "_run"]
    ours = {(r["notebook"], str(r["seed"]), r["key"]): r for r in rows if r["key"] != "_run"}
    problems = []
    for r in fresh:
        mine = ours.get((r["notebook"], r["seed"], r["key"]))
        if mine is None:
            continue
        a = "" if mine["margin"] is None else f"{float(mine['margin']):.6g}"
        b = "" if r["margin"] in ("", None) else f"{float(r['margin']):.6g}"
        if a != b:
            problems.append(f"{r['notebook']} seed {r['seed']} {r['key']}: one kernel {a}, fresh kernels {b}")
    return problems


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("notebooks", nargs="+")
    parser.add_argument("--seeds", type=int, nargs="+", required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--check-against", help="a CSV of claim_margins.py for some of the same seeds")
    parser.add_argument("--from-csv", help="only tabulate a CSV this script wrote (no run)")
    args = parser.parse_args(argv)
    if args.from_csv:
        with open(args.from_csv, newline="") as handle:
            rows = [dict(r, seed=int(r["seed"]), a=float(r["a"]) if r["a"] else None,
                         margin=float(r["margin"]) if r["margin"] else None) for r in csv.DictReader(handle)]
        print(compact(rows), end="")
        return 0
    rows: list[dict] = []
    out = Path(args.out)
    for path in args.notebooks:
        rows += run_notebook(path, args.seeds, out, rows)
    write(rows, out)
    print(f"wrote {out.with_suffix('.csv')}, {out.with_suffix('.md')} and {out.name}_compact.md")
    if args.check_against:
        problems = check_against(rows, args.check_against)
        print(f"compared with {args.check_against}: {len(problems)} differences")
        for problem in problems:
            print("  " + problem)
        return 1 if problems else 0
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
