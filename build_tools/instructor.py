"""The instructor edition of every lesson: its notes shown and every exercise's solution inline, run and checked.

    python build_tools/instructor.py                          # every notebooks/NN_*.ipynb -> build/instructor/
    python build_tools/instructor.py notebooks/02_*.ipynb --out DIR

`python3 tasks.py instructor` runs it. Nothing here is a second copy of a lesson: each edition is made from the
committed notebook every time (build/ is ignored by git), and nobody edits it.

- **Notes.** They live in the lesson, in the cell metadata of each core-path heading cell (the lesson's first
  cell and every `##` heading before the first "Going further" heading), under the key `instructor`:
  `{"minutes": 4, "stumbles": ["..."], "ask": ["..."]}` (`minutes`: int, 1-60; `stumbles`: 1-3 sentences;
  `ask`: optional, 1-3 questions). Each note is shown as a Markdown cell right after its heading, and a table of
  minutes per section opens the edition. A malformed note stops the build with a message naming the notebook,
  the cell and what is wrong. A lesson without notes still builds (with solutions only).
- **Solutions.** After every cell that calls `ex.qN.check(...)` (or `qN.check(...)`, imported from
  `utils.exercises.lessonNN`), a code cell runs that exercise's `solution_code` and asserts that `answer`
  passes the check. A solution that assigns other names than `answer` at top level runs inside a function, so
  it cannot replace a variable of the lesson.

`python3 tasks.py test` builds the editions and runs them (instead of the lessons) in its second notebook pass
(`COURSE_SEED=7`, `--nbval-lax`, one core per notebook): every lesson cell runs there, and every solution must
pass its check.
"""

from __future__ import annotations

import argparse
import ast
import copy
import importlib
import json
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import nbformat

ROOT = Path(__file__).resolve().parent.parent
NOTE_KEY = "instructor"
NOTE_FIELDS = {"minutes", "stumbles", "ask", "answers", "while_running", "routes", "in_one_sentence"}
ROUTES = ("15", "45")
ROUTE_BUDGETS = {"15": 15, "45": 45}
"""Each route's budget in minutes: its sections' minutes (`route_minutes`) add up to at most this, and to at
least 80% of it, or of the whole lesson's minutes when the lesson is shorter."""
ROUTE_CHOICES = ("teach", "skim", "skip")
MAX_MINUTES = 60
HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*$")
CHECK_CALL = re.compile(r"^\s*(?:([A-Za-z_]\w*)\.)?(q\d+)\.check\(")
CORE_TIME = re.compile(r"core about (\d+) min", re.IGNORECASE)
FULL_TIME = re.compile(r"full about (\d+) min", re.IGNORECASE)
EDITION_TAG = "instructor-edition"
CELLS_CSV = ROOT / "benchmarks" / "cells.csv"
START_PAGE = ROOT / "notebooks" / "00_start_here.ipynb"
OWN_NAMES = {"np": "import numpy as np", "pd": "import pandas as pd", "utils": "import utils"}


class NotesError(ValueError):
    """A malformed instructor note, or an exercise call the builder cannot resolve."""


@dataclass(frozen=True)
class Note:
    """One validated note: where it is (0-based cell index), its heading and its fields."""

    cell: int
    level: int
    heading: str
    minutes: int
    stumbles: tuple[str, ...]
    ask: tuple[str, ...]
    answers: tuple[str, ...] = ()
    while_running: str = ""
    routes: tuple[tuple[str, str], ...] = ()
    going_further: bool = False
    in_one_sentence: str = ""

    def route(self, minutes: str) -> str:
        """What the 15- or 45-minute route does with this section: "teach", "skim" or "skip"."""
        given = dict(self.routes)
        if minutes in given:
            return given[minutes]
        return "skip" if self.going_further else "teach"

    def route_minutes(self, minutes: str) -> int:
        """The minutes the 15- or 45-minute route spends on this section: all of them when it teaches it, half
        (rounded up) when it skims it (the figure and the claim, not the code), none when it skips it."""
        return {"teach": self.minutes, "skim": (self.minutes + 1) // 2, "skip": 0}[self.route(minutes)]


def route_total(notes: list[Note], minutes: str) -> int:
    """The minutes of the 15- or 45-minute route through a lesson: the sum of its sections' `route_minutes`
    (core path and Going further alike)."""
    return sum(note.route_minutes(minutes) for note in notes)


def route_problems(notes: list[Note]) -> list[str]:
    """Sentences saying where a route does not fit its budget (ROUTE_BUDGETS): above it, or below 80% of it
    (of the whole lesson's minutes when the lesson has less than the budget)."""
    if not any(not note.going_further for note in notes):
        return []
    whole = sum(note.minutes for note in notes)
    problems = []
    for route, budget in ROUTE_BUDGETS.items():
        total, floor = route_total(notes, route), 0.8 * min(budget, whole)
        if total > budget:
            problems.append(f"the {route}-minute route adds up to {total} min, over its {budget} min")
        elif total < floor:
            problems.append(f"the {route}-minute route adds up to {total} min, under {floor:.0f} min "
                            f"(80% of {min(budget, whole)} min): it leaves time unused")
    return problems


def opening_heading(cell: Any) -> tuple[int, str] | None:
    """(level, text) of the heading a Markdown cell opens with, or None."""
    if cell.cell_type != "markdown":
        return None
    first = next((line for line in cell.source.splitlines() if line.strip()), "")
    match = HEADING.match(first)
    return (len(match.group(1)), match.group(2)) if match else None


def going_further_index(notebook: Any) -> int:
    """Index of the first cell with a heading that starts with "Going further" (len(cells) if none)."""
    for index, cell in enumerate(notebook.cells):
        if cell.cell_type == "markdown" and any(
            (m := HEADING.match(line)) and m.group(2).lower().startswith("going further")
            for line in cell.source.splitlines()
        ):
            return index
    return len(notebook.cells)


def note_headings(notebook: Any) -> list[tuple[int, int, str]]:
    """(cell index, level, text) of every heading that may carry a note: the first cell, then every `##`
    (the core path's and the Going further sections')."""
    found = []
    for index, cell in enumerate(notebook.cells):
        heading = opening_heading(cell)
        if heading is not None and (index == 0 or heading[0] == 2):
            found.append((index, *heading))
    return found


def core_headings(notebook: Any) -> list[tuple[int, int, str]]:
    """(cell index, level, text) of the headings that carry notes: the first cell, then every `##` before
    the first "Going further" heading."""
    found = []
    for index, cell in enumerate(notebook.cells[: going_further_index(notebook)]):
        heading = opening_heading(cell)
        if heading is not None and (index == 0 or heading[0] == 2):
            found.append((index, *heading))
    return found


def _where(name: str, index: int, notebook: Any) -> str:
    cell = notebook.cells[index]
    heading = opening_heading(cell)
    what = f"the heading {'#' * heading[0] + ' ' + heading[1]!r}" if heading else f"a {cell.cell_type} cell"
    return f"{name}, cell {index + 1} of the notebook (counting from 1; {what})"


def _strings(value: Any, field: str, low: int, high: int, where: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not low <= len(value) <= high:
        raise NotesError(f"{where}: instructor note field {field!r} must be a list of {low} to {high} strings, "
                         f"got {value!r}")
    for item in value:
        if not isinstance(item, str) or not item.strip():
            raise NotesError(f"{where}: instructor note field {field!r} must hold non-empty strings, got {item!r}")
    return tuple(item.strip() for item in value)


def validate_note(note: Any, where: str) -> tuple[int, tuple[str, ...], tuple[str, ...]]:
    """Check one `instructor` metadata value against the schema; (minutes, stumbles, ask) or NotesError.

    The optional keys (answers, while_running, routes) are checked too; `validate_extras` returns them."""
    if not isinstance(note, dict):
        raise NotesError(f"{where}: the instructor note must be an object such as "
                         f'{{"minutes": 4, "stumbles": ["..."], "ask": ["..."]}}, got {note!r}')
    unknown = sorted(set(note) - NOTE_FIELDS)
    if unknown:
        raise NotesError(f"{where}: unknown instructor note field(s) {unknown}; accepted: {sorted(NOTE_FIELDS)}")
    for required in ("minutes", "stumbles"):
        if required not in note:
            raise NotesError(f"{where}: the instructor note lacks {required!r} (required: minutes, stumbles)")
    minutes = note["minutes"]
    if isinstance(minutes, bool) or not isinstance(minutes, int) or not 1 <= minutes <= MAX_MINUTES:
        raise NotesError(f"{where}: instructor note field 'minutes' must be a whole number of minutes from 1 to "
                         f"{MAX_MINUTES}, got {minutes!r}")
    stumbles = _strings(note["stumbles"], "stumbles", 1, 3, where)
    ask = _strings(note["ask"], "ask", 1, 3, where) if "ask" in note else ()
    validate_extras(note, ask, where)
    return minutes, stumbles, ask


def validate_extras(note: dict[str, Any], ask: tuple[str, ...], where: str) -> tuple[
        tuple[str, ...], str, tuple[tuple[str, str], ...]]:
    """The optional keys of a note: (answers, while_running, routes), checked, or NotesError.

    - `answers`: one answer per `ask` question, in the same order (only with `ask`);
    - `while_running`: what to say while the section's slow cell runs (the builder adds its measured time);
    - `routes`: {"15": ..., "45": ...}, each "teach", "skim" or "skip": what the 15- and 45-minute routes do
      with the section (default: "teach" on the core path, "skip" in Going further);
    - `in_one_sentence`: the one sentence that stands in for the section when a route skips it (checked here;
      read by `notes_of`).
    """
    answers: tuple[str, ...] = ()
    if "answers" in note:
        if not ask:
            raise NotesError(f"{where}: instructor note field 'answers' needs 'ask' (one answer per question)")
        answers = _strings(note["answers"], "answers", len(ask), len(ask), where)
    while_running = note.get("while_running", "")
    if not isinstance(while_running, str) or ("while_running" in note and not while_running.strip()):
        raise NotesError(f"{where}: instructor note field 'while_running' must be a non-empty string (what to "
                         f"say while the slow cell runs), got {while_running!r}")
    routes = note.get("routes", {})
    if not isinstance(routes, dict) or set(routes) - set(ROUTES) or any(
            value not in ROUTE_CHOICES for value in routes.values()):
        raise NotesError(f"{where}: instructor note field 'routes' must map '15' and/or '45' (minutes) to one of "
                         f"{list(ROUTE_CHOICES)}, e.g. {{\"15\": \"skip\", \"45\": \"teach\"}}; got {routes!r}")
    sentence = note.get("in_one_sentence", "")
    if not isinstance(sentence, str) or ("in_one_sentence" in note and not sentence.strip()):
        raise NotesError(f"{where}: instructor note field 'in_one_sentence' must be a non-empty string (what to say "
                         f"instead of the section when a route skips it), got {sentence!r}")
    return answers, while_running.strip(), tuple(sorted(routes.items()))


def notes_of(notebook: Any, name: str) -> list[Note]:
    """Every note of a notebook, validated: on a core-path heading cell, and well formed."""
    allowed = {index for index, _, _ in note_headings(notebook)}
    further = going_further_index(notebook)
    notes = []
    for index, cell in enumerate(notebook.cells):
        if NOTE_KEY not in cell.get("metadata", {}):
            continue
        where = _where(name, index, notebook)
        if index not in allowed:
            raise NotesError(f"{where}: instructor notes belong on heading cells only (the first cell and the "
                             "`##` headings, of the core path or of the Going further sections)")
        minutes, stumbles, ask = validate_note(cell.metadata[NOTE_KEY], where)
        answers, while_running, routes = validate_extras(cell.metadata[NOTE_KEY], ask, where)
        level, heading = opening_heading(cell)  # type: ignore[misc]  # allowed cells open with a heading
        sentence = str(cell.metadata[NOTE_KEY].get("in_one_sentence", "")).strip()
        notes.append(Note(index, level, heading, minutes, stumbles, ask, answers, while_running, routes,
                          going_further=index >= further, in_one_sentence=sentence))
    return notes


def stated_core_minutes(notebook: Any) -> int | None:
    """The N of "core about N min" in the first cell, if the lesson states it."""
    match = CORE_TIME.search(notebook.cells[0].source) if notebook.cells else None
    return int(match.group(1)) if match else None


def stated_full_minutes(notebook: Any) -> int | None:
    """The N of "full about N min" in the first cell (the whole lesson, Going further included), if stated."""
    match = FULL_TIME.search(notebook.cells[0].source) if notebook.cells else None
    return int(match.group(1)) if match else None


def anchor(heading: str) -> str:
    """JupyterLab's anchor for a heading (spaces become hyphens)."""
    return re.sub(r"[`*]", "", heading).strip().replace(" ", "-")


def section_cells(notebook: Any, note: Note) -> range:
    """The cells of a note's section: from its heading to the next heading of the same or a higher level."""
    end = len(notebook.cells)
    for index in range(note.cell + 1, len(notebook.cells)):
        heading = opening_heading(notebook.cells[index])
        if heading is not None and heading[0] <= max(note.level, 2):
            end = index
            break
    return range(note.cell, end)


def _source_digest(source: str) -> str:
    """The key of a cell in benchmarks/cells.csv (build_tools/benchmark_notebooks.py's `source_digest`)."""
    import hashlib

    return hashlib.sha256(source.replace("\r\n", "\n").encode("utf-8")).hexdigest()[:16]


def cell_times(notebook: Any, name: str, table: Path = CELLS_CSV) -> tuple[dict[int, float], set[int]]:
    """The slow cells of a lesson in benchmarks/cells.csv: ({cell index: seconds}, {cell indexes not measured}).

    A row is matched to a code cell by the hash of its source. A row that matches no cell's source is stale
    (the cell was edited after the benchmark): the code cell at the row's position (its `cell` column, the
    n-th code cell counting from 1) is then a slow cell whose time is not known, listed in the second set.
    """
    import csv

    if not table.exists():
        return {}, set()
    stem = Path(name).stem
    rows = [row for row in csv.reader(line for line in table.read_text().splitlines() if not line.startswith("#"))]
    rows = [row for row in rows[1:] if len(row) == 4 and row[0] == stem]
    code = [index for index, cell in enumerate(notebook.cells) if cell.cell_type == "code"]
    digests = {index: _source_digest(notebook.cells[index].source) for index in code}
    measured: dict[int, float] = {}
    unmeasured: set[int] = set()
    for number, digest, seconds in ((row[1], row[2], row[3]) for row in rows):
        found = [index for index in code if digests[index] == digest]
        if found:
            for index in found:
                measured[index] = float(seconds)
        elif number.isdigit() and 1 <= int(number) <= len(code):
            unmeasured.add(code[int(number) - 1])
    return measured, unmeasured - set(measured)


def slow_cells(notebook: Any, name: str, table: Path = CELLS_CSV) -> dict[int, float]:
    """Cell index -> seconds, for the cells benchmarks/cells.csv lists (matched by the hash of their source)."""
    return cell_times(notebook, name, table)[0]


def section_seconds(notebook: Any, note: Note, slow: dict[int, float]) -> float:
    return sum(seconds for index, seconds in slow.items() if index in section_cells(notebook, note))


def live_run(notebook: Any, note: Note, measured: dict[int, float], unmeasured: set[int]) -> str:
    """The live run time of a section's slow cells, in words: "7 s", "3 s + 1 slow cell not measured (...)",
    "time not measured (...)" or "" (no slow cell). The title cell's section is only the title: no run."""
    if note.cell == 0:
        return ""
    cells = section_cells(notebook, note)
    seconds = sum(value for index, value in measured.items() if index in cells)
    stale = sum(1 for index in unmeasured if index in cells)
    why = "edited since the benchmark"
    if stale and seconds >= 1:
        return f"{seconds:.0f} s + {stale} slow cell{'s' if stale > 1 else ''} not measured ({why})"
    if stale:
        return f"time not measured ({why})"
    return f"{seconds:.0f} s" if seconds >= 1 else ""


def note_cell(note: Note, running_seconds: float = 0.0, live: str | None = None) -> Any:
    """The note as a Markdown cell: a block quote, so it stands apart from the lesson text."""
    where = "on this Going further section, if there is time" if note.going_further else "on this section"
    lines = [f"> **Instructor note: {note.minutes} min {where}.**", ">", "> *Where learners stumble:*"]
    lines += [f"> - {text}" for text in note.stumbles]
    if note.ask:
        lines += [">", "> *Ask the room (let them predict before you run the next cell):*"]
        for number, text in enumerate(note.ask, 1):
            lines.append(f"> {number}. {text}")
            if number <= len(note.answers):
                lines.append(f">    *Answer:* {note.answers[number - 1]}")
    if live is None:
        live = f"{running_seconds:.0f} s" if running_seconds >= 1 else ""
    if live:
        say = f" {note.while_running}" if note.while_running else ""
        lines += [">", f"> *While it runs* (its slow cells: {live}; benchmarks/cells.csv):{say}"]
    elif note.while_running:
        lines += [">", f"> *While it runs:* {note.while_running}"]
    if note.routes or note.going_further:
        shown = {r: note.route(r) + (f" ({note.route_minutes(r)} min)" if note.route(r) == "skim" else "")
                 for r in ROUTES}
        lines += [">", f"> *Routes:* 15 min: {shown['15']}; 45 min: {shown['45']}."]
    if note.in_one_sentence:
        lines += [">", f"> *When a route skips it, say instead:* {note.in_one_sentence}"]
    cell = nbformat.v4.new_markdown_cell("\n".join(lines))
    cell.metadata["tags"] = [EDITION_TAG, "instructor-note"]
    return cell


def course_map_minutes(lesson: str, start_page: Path = START_PAGE) -> tuple[int, int] | None:
    """(core, whole) minutes of a lesson in the start page's course map ("| 04 | ... | 15 min / 35 min |")."""
    number = re.match(r"(\d\d)_", Path(lesson).name)
    if number is None or not start_page.exists():
        return None
    notebook = nbformat.read(start_page, as_version=4)
    for cell in notebook.cells:
        for line in cell.source.splitlines():
            if line.startswith(f"| {number.group(1)} |"):
                match = re.search(r"(\d+) min / (\d+) min", line)
                if match:
                    return int(match.group(1)), int(match.group(2))
    return None


def time_agreement(notebook: Any, notes: list[Note], name: str) -> list[str]:
    """Sentences saying where the lesson's "Time" line or the course map disagrees with the notes.

    The notes' minutes per section are the one source: the lesson's "core about N min" must be what the core
    path's notes add up to, its "full about M min" what all its notes add up to (Going further included), and
    the course map (00_start_here.ipynb) must say the same N and M."""
    core = [note for note in notes if not note.going_further]
    if not core:
        return []
    total, whole = sum(note.minutes for note in core), sum(note.minutes for note in notes)
    stated, stated_full = stated_core_minutes(notebook), stated_full_minutes(notebook)
    mapped = course_map_minutes(name)
    problems = []
    if stated is not None and total != stated:
        problems.append(f"the core path's notes add up to {total} min, the lesson says core about {stated} min")
    if stated_full is not None and whole != stated_full:
        problems.append(f"the notes add up to {whole} min for the whole lesson, the lesson says full about "
                        f"{stated_full} min")
    if mapped is not None and mapped != (total, whole):
        problems.append(f"the course map says {mapped[0]} min core / {mapped[1]} min whole, the notes add up to "
                        f"{total} min / {whole} min")
    return problems + route_problems(notes)


def summary_cell(notebook: Any, notes: list[Note], solutions: int, name: str = "") -> Any:
    """The table of minutes per section (or a line saying the lesson has no notes yet)."""
    lines = ["**Instructor edition.** Built by `python3 tasks.py instructor` from the lesson and its notes (cell "
             "metadata `instructor` of the headings); do not edit this copy. "
             f"{solutions} exercise solution{'s' if solutions != 1 else ''} run inline after the learners' "
             "check cells."]
    if notes:
        core = [note for note in notes if not note.going_further]
        further = [note for note in notes if note.going_further]
        total = sum(note.minutes for note in core)
        stated = stated_core_minutes(notebook)
        lines += ["", "| section | minutes | 15-min route | 45-min route |", "|---|---:|---|---|"]
        lines += [f"| [{note.heading}](#{anchor(note.heading)}) | {note.minutes} | {note.route('15')} | "
                  f"{note.route('45')} |" for note in notes]
        lines += [f"| **total, core path** | **{total}** | | |"]
        if further:
            lines += [f"| **total, Going further** | **{sum(note.minutes for note in further)}** | | |"]
        lines += [f"| **total, each route** (skimmed sections count half) | | **{route_total(notes, '15')}** | "
                  f"**{route_total(notes, '45')}** |"]
        if stated is not None:
            full = stated_full_minutes(notebook)
            lines += ["", f"The lesson states: core about {stated} min" + (f", full about {full} min." if full
                                                                          else ".")]
        mapped = course_map_minutes(name) if name else None
        if mapped is not None:
            lines += [f"The course map (00_start_here.ipynb) states: {mapped[0]} min core, {mapped[1]} min whole."]
        for problem in time_agreement(notebook, notes, name):
            lines += [f"**Times disagree:** {problem}."]
        asks = sum(len(note.ask) for note in notes)
        answered = sum(len(note.answers) for note in notes)
        lines += ["", f"Questions for the room: {asks} ({answered} with an answer), shown under their sections."]
    else:
        lines += ["", "This lesson has no instructor notes yet: add them to the `instructor` metadata of its "
                  "headings (see CONTRIBUTING.md)."]
    cell = nbformat.v4.new_markdown_cell("\n".join(lines))
    cell.metadata["tags"] = [EDITION_TAG, "instructor-summary"]
    return cell


def exercise_names(notebook: Any, name: str) -> tuple[dict[str, str], dict[str, tuple[str, str]]]:
    """From the notebook's imports: alias -> exercises module, and name -> (module, exercise attribute)."""
    modules: dict[str, str] = {}
    direct: dict[str, tuple[str, str]] = {}
    for cell in notebook.cells:
        if cell.cell_type != "code":
            continue
        try:
            tree = ast.parse(cell.source)
        except SyntaxError:
            continue  # cell magics and the like: no exercise import there
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module == "utils.exercises":
                for alias in node.names:
                    modules[alias.asname or alias.name] = f"utils.exercises.{alias.name}"
            elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("utils.exercises."):
                for alias in node.names:
                    direct[alias.asname or alias.name] = (node.module, alias.name)  # type: ignore[assignment]
            elif isinstance(node, ast.Import):
                for alias in node.names:
                    if alias.name.startswith("utils.exercises.") and alias.asname:
                        modules[alias.asname] = alias.name
    return modules, direct


def _top_level_names(code: str) -> set[str]:
    """Names a piece of code binds at module level (assignments, defs, imports, loop targets...)."""
    names: set[str] = set()
    for statement in ast.parse(code).body:
        if isinstance(statement, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            names.add(statement.name)
            continue
        if isinstance(statement, ast.Import | ast.ImportFrom):
            names.update((a.asname or a.name).split(".")[0] for a in statement.names)
            continue
        for node in ast.walk(statement):
            if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
                names.add(node.id)
    return names


def solution_source(call: str, module: str, attr: str, code: str) -> str:
    """A cell that runs the solution and checks it: `call` is how the lesson names the exercise (`ex.q1`)."""
    used = {node.id for node in ast.walk(ast.parse(code)) if isinstance(node, ast.Name)}
    imports = [line for short, line in OWN_NAMES.items() if short in used]
    label = f"{module.rsplit('.', 1)[-1]}.{attr}"
    header = f"# Instructor edition: the solution of {label} ({module.replace('.', '/')}.py), run and checked."
    code = code.strip("\n")
    if _top_level_names(code) - {"answer"}:
        function = f"solution_{attr}"
        body = "\n".join(f"    {line}" if line.strip() else "" for line in [*imports, *code.splitlines()])
        lines = [header, "# It runs in a function so that its own variables do not replace the lesson's.",
                 f"def {function}():", body, "    return answer", "", "", f"answer = {function}()"]
    else:
        lines = [header, *imports, code]
    lines += [f"{call}.check(answer)",
              f'assert {call}.evaluate(answer)[0], "instructor edition: the solution of {label} fails its check"']
    return "\n".join(lines) + "\n"


def checked_exercises(notebook: Any, name: str) -> dict[int, list[tuple[str, str, str, Any]]]:
    """Cell index -> (call, module, attribute, exercise) for every exercise check the cell calls, in order.

    `call` is how the lesson names the exercise (`ex.q1` or `q1`); `exercise` is the utils.checks.Exercise.
    """
    modules, direct = exercise_names(notebook, name)
    number = re.match(r"(\d\d)_", Path(name).name)
    fallback = f"utils.exercises.lesson{number.group(1)}" if number else None
    found: dict[int, list[tuple[str, str, str, Any]]] = {}
    for index, cell in enumerate(notebook.cells):
        if cell.cell_type != "code":
            continue
        for line in cell.source.splitlines():
            match = CHECK_CALL.match(line)
            if not match:
                continue
            owner, attr = match.groups()
            where = _where(name, index, notebook)
            if owner is None:
                if attr not in direct:
                    raise NotesError(f"{where}: {attr}.check(...) but {attr} is not imported from utils.exercises")
                module, attr = direct[attr]
                call = match.group(2)
            else:
                module = modules.get(owner) or fallback
                call = f"{owner}.{attr}"
                if module is None:
                    raise NotesError(f"{where}: cannot tell which utils.exercises module {owner!r} is")
            try:
                exercise = getattr(importlib.import_module(module), attr)
                exercise.solution_code  # noqa: B018  # every exercise has one
            except (ImportError, AttributeError) as error:
                raise NotesError(f"{where}: {call}.check(...) names no exercise in {module} ({error})") from None
            found.setdefault(index, []).append((call, module, attr, exercise))
    return found


def solution_cells(notebook: Any, name: str) -> dict[int, list[Any]]:
    """Cell index -> the solution cells to insert after it, one per exercise check the cell calls."""
    inserts: dict[int, list[Any]] = {}
    for index, found in checked_exercises(notebook, name).items():
        for call, module, attr, exercise in found:
            solution = nbformat.v4.new_code_cell(solution_source(call, module, attr, exercise.solution_code))
            solution.metadata["tags"] = [EDITION_TAG, "instructor-solution"]
            inserts.setdefault(index, []).append(solution)
    return inserts


def build_edition(notebook: Any, name: str) -> Any:
    """The instructor edition of one lesson (a new notebook; `notebook` is not changed)."""
    notes = notes_of(notebook, name)
    solutions = solution_cells(notebook, name)
    measured, unmeasured = cell_times(notebook, name)
    edition = copy.deepcopy(notebook)
    by_cell = {note.cell: note for note in notes}
    cells = []
    for index, cell in enumerate(edition.cells):
        cells.append(cell)
        if index == 0:
            cells.append(summary_cell(notebook, notes, sum(len(v) for v in solutions.values()), name))
        if index in by_cell:
            note = by_cell[index]
            cells.append(note_cell(note, live=live_run(notebook, note, measured, unmeasured)))
        cells.extend(solutions.get(index, []))
    edition.cells = cells
    edition.metadata.pop("widgets", None)
    course = edition.metadata.setdefault("course", {})
    course.pop("inputs", None)  # the record of what the lesson's outputs were made from is the lesson's own
    course["edition"] = "instructor"
    return edition


def _exercise_imports(edition: Any) -> str:
    imports = []
    for cell in edition.cells:
        if cell.cell_type != "code" or EDITION_TAG in cell.metadata.get("tags", []):
            continue
        try:
            tree = ast.parse(cell.source)
        except SyntaxError:
            continue
        for node in tree.body:
            if isinstance(node, ast.Import | ast.ImportFrom) and "exercises" in ast.unparse(node):
                imports.append(ast.unparse(node))
    return "\n".join(dict.fromkeys(imports))


def execute_solutions(editions: list[Any], timeout: int = 300) -> tuple[int, list[str], float]:
    """Run the editions' solution cells (only them, each lesson's after its exercise imports) in one kernel and
    keep their outputs, so each edition shows every checked answer without running the lesson.

    Returns (solutions that ran and passed, messages for those that did not, seconds). A solution that needs a
    lesson's own variables cannot run alone: it keeps no output and shows its answer when the edition runs.
    """
    import os
    import time

    from nbclient import NotebookClient

    cells = [nbformat.v4.new_code_cell("import utils")]
    where: list[tuple[Any, int] | None] = [None]
    for edition in editions:
        positions = [i for i, c in enumerate(edition.cells) if "instructor-solution" in c.metadata.get("tags", [])]
        if not positions:
            continue
        cells.append(nbformat.v4.new_code_cell(_exercise_imports(edition)))
        where.append(None)
        for position in positions:
            cells.append(copy.deepcopy(edition.cells[position]))
            where.append((edition, position))
    if len(cells) == 1:
        return 0, [], 0.0
    runner = nbformat.v4.new_notebook(cells=cells, metadata={
        "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}})
    saved = {key: os.environ.get(key) for key in ("COURSE_PROGRESS", "TF_CPP_MIN_LOG_LEVEL")}
    os.environ.update(COURSE_PROGRESS="0", TF_CPP_MIN_LOG_LEVEL="3")
    started = time.monotonic()
    try:
        NotebookClient(runner, timeout=timeout, kernel_name="python3", allow_errors=True,
                       resources={"metadata": {"path": str(ROOT / "notebooks")}}).execute()
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
    seconds = time.monotonic() - started
    passed, problems = 0, []
    for target, ran in zip(where, runner.cells, strict=True):
        errors = [o for o in ran.outputs if o.output_type == "error"]
        if target is None:
            if errors:
                problems.append(f"imports failed: {errors[0].ename}: {errors[0].evalue[:120]}")
            continue
        edition, position = target
        if errors:
            problems.append(f"{ran.source.splitlines()[0][2:70]}...: {errors[0].ename}: {errors[0].evalue[:120]}")
            continue
        edition.cells[position].outputs = [o for o in ran.outputs if o.get("name") != "stderr"]
        edition.cells[position].execution_count = None
        passed += 1
    return passed, problems, seconds


SOLUTION_OF = re.compile(r"the solution of \w+\.(q\d+) ")


def checked_answers(edition: Any) -> dict[str, str]:
    """Exercise attribute (`q1`) -> the message its solution printed when run (`execute_solutions`), e.g.
    "✓ Correct! (1 - 2 * 0.01 * 0.001)^1000 = 0.980: ..."; only the solutions that ran and passed."""
    found = {}
    for cell in edition.cells:
        if "instructor-solution" not in cell.metadata.get("tags", []):
            continue
        match = SOLUTION_OF.search(cell.source.splitlines()[0] if cell.source else "")
        text = "".join(o.get("text", "") for o in cell.get("outputs", []) if o.get("output_type") == "stream")
        if match and text.strip().startswith("✓"):
            found[match.group(1)] = text.strip()
    return found


def apply_content(notebook: Any, content: dict[str, dict[str, Any]], name: str) -> list[str]:
    """Merge proposed note keys ({heading text: {key: value}}) into the notebook's heading cells, in memory;
    the headings not found. Used by --content to preview notes before they are written into the lessons."""
    by_heading = {heading: index for index, _level, heading in note_headings(notebook)}
    missing = []
    for heading, keys in content.items():
        if heading not in by_heading:
            missing.append(heading)
            continue
        cell = notebook.cells[by_heading[heading]]
        cell.metadata[NOTE_KEY] = {**cell.metadata.get(NOTE_KEY, {}), **keys}
    return missing


def build(paths: list[Path], out: Path, execute: bool = False, plans: bool = True,
          content: dict[str, dict[str, dict[str, Any]]] | None = None) -> list[Path]:
    """Write out/NN_name.ipynb (the instructor edition) for each lesson, with `execute` its solutions' outputs,
    with `plans` out/NN_name.plan.html (the printable plan) and out/index.html; the notebooks written."""
    out.mkdir(parents=True, exist_ok=True)
    written, editions = [], []
    for path in sorted(paths, key=lambda p: p.name):
        notebook = nbformat.read(path, as_version=4)
        try:
            shown = path.resolve().relative_to(ROOT).as_posix()
        except ValueError:
            shown = str(path)
        if content and path.name in content:
            missing = apply_content(notebook, content[path.name], shown)
            if missing:
                raise NotesError(f"{shown}: --content names headings the lesson does not have: {missing}")
        edition = build_edition(notebook, shown)
        editions.append((path, edition, notebook, shown))
    if execute:
        passed, problems, seconds = execute_solutions([edition for _, edition, _, _ in editions])
        print(f"[instructor] {passed} solutions run (alone, one kernel) and checked in {seconds:.1f} s"
              + "".join(f"\n[instructor] not run alone: {p}" for p in problems), flush=True)
    if plans:
        import plan

        for path, edition, notebook, shown in editions:
            plan.write_plan(notebook, shown, out / f"{path.stem}.plan.html", answers=checked_answers(edition))
        plan.write_index(sorted(paths, key=lambda p: p.name), out)
    for path, edition, _, _ in editions:
        target = out / path.name
        nbformat.write(edition, target)
        written.append(target)
        notes = sum("instructor-note" in c.metadata.get("tags", []) for c in edition.cells)
        solutions = sum("instructor-solution" in c.metadata.get("tags", []) for c in edition.cells)
        print(f"[instructor] {target}: {notes} notes, {solutions} solutions", flush=True)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("notebooks", nargs="*", type=Path, help="default: notebooks/[0-9][0-9]_*.ipynb")
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "instructor")
    parser.add_argument("--execute", action="store_true",
                        help="run the solution cells (only them) so the edition shows their checked answers")
    parser.add_argument("--no-plans", action="store_true", help="skip the printable plans (NN_name.plan.html)")
    parser.add_argument("--content", type=Path, help="a JSON file {notebook: {heading: {note keys}}} merged into "
                        "the notes in memory (a preview of proposed notes; the lessons are not changed)")
    args = parser.parse_args(argv)
    paths = args.notebooks or sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    sys.path.insert(0, str(ROOT))  # utils.exercises from this checkout
    try:
        content = json.loads(args.content.read_text()) if args.content else None
        build(paths, args.out, execute=args.execute, plans=not args.no_plans, content=content)
    except NotesError as error:
        print(f"[instructor] FAILED: {error}", file=sys.stderr, flush=True)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
