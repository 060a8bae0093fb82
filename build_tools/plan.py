"""A printable one-page plan per lesson, from its instructor notes (build_tools/instructor.py writes them).

Each plan is one HTML page (build/instructor/NN_name.plan.html) that prints on one sheet of A4 or US Letter:
the sections in teaching order with a running clock, their minutes and what the 15- and 45-minute routes do
with them, where learners stumble, the questions for the room with their answers, the live run time of each
slow cell (benchmarks/cells.csv) with what to say while it runs, and what to skip when late. No script, no
network: open it and print (Ctrl+P).
"""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any

import instructor
import nbformat

CSS = """
@page { margin: 11mm 12mm; }
* { box-sizing: border-box; }
body { font: 8pt/1.2 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; color: #111;
  max-width: 186mm; margin: 1.5em auto; padding: 0 1em; }
h1 { font-size: 14pt; margin: 0 0 .2em; }
p.meta { margin: 0 0 .6em; color: #333; }
table { border-collapse: collapse; width: 100%; }
th, td { border-top: 1px solid #bbb; padding: .15em .3em; vertical-align: top; text-align: left; }
th { background: #eee; font-weight: 600; }
td.n, th.n { text-align: right; white-space: nowrap; }
th:last-child, td:last-child { width: 60%; }
tr.further td { color: #333; background: #f7f7f7; }
ul, ol { margin: .1em 0 .1em 1.1em; padding: 0; }
.ask b, .run b { font-weight: 600; }
.late { margin-top: .6em; border: 1px solid #999; padding: .3em .5em; }
code { font-size: 95%; }
@media print { body { margin: 0; padding: 0; max-width: none; font-size: 7.5pt; line-height: 1.15; } a { color: inherit; text-decoration: none; } }
"""


def _clock(minutes: int) -> str:
    return f"{minutes // 60}:{minutes % 60:02d}"


def _md(text: str) -> str:
    """Inline Markdown (code, emphasis) as HTML, escaped."""
    import re

    out = html.escape(text)
    out = re.sub(r"`([^`]+)`", r"<code>\1</code>", out)
    out = re.sub(r"\*\*([^*]+)\*\*", r"<b>\1</b>", out)
    return re.sub(r"\*([^*]+)\*", r"<i>\1</i>", out)


def short_answer(message: str, limit: int = 160) -> str:
    """The checked answer in a checker's message, for the plan: its first sentence without "✓ Correct!", cut
    before its explanation (after ": ") when what comes before holds a value (a digit or "=")."""
    import re

    text = " ".join(message.split()).lstrip("✓ ").removeprefix("Correct!").strip()
    text = re.split(r"(?<=[.!?])\s+(?=[A-Z])", text, maxsplit=1)[0]
    head, colon, _ = text.partition(": ")
    if colon and re.search(r"[=\d]", head):  # "(1 - 2 * 0.01 * 0.001)^1000 = 0.980: plain SGD ..." -> the value
        text = head
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _route(note: Any, minutes: str) -> str:
    """What a route does with a section, with the minutes it spends there when it does not teach all of it."""
    choice = note.route(minutes)
    return choice if choice != "skim" else f"skim ({note.route_minutes(minutes)})"


def plan_html(notebook: Any, name: str, answers: dict[str, str] | None = None,
              table: Path | None = None) -> str:
    """The plan of one lesson as a complete HTML page.

    `answers`: exercise (`q1`) -> the message its solution printed when checked (instructor.checked_answers of
    the executed edition); `table`: the benchmark's cells.csv (default benchmarks/cells.csv)."""
    answers = answers or {}
    title = next((line[2:] for line in notebook.cells[0].source.splitlines() if line.startswith("# ")), name)
    notes = instructor.notes_of(notebook, name)
    measured, unmeasured = instructor.cell_times(notebook, name, table or instructor.CELLS_CSV)
    exercises = instructor.checked_exercises(notebook, name)
    core = [note for note in notes if not note.going_further]
    meta = [f"Core path {sum(n.minutes for n in core)} min, whole lesson {sum(n.minutes for n in notes)} min "
            "(the notes' minutes; the lesson's Time line and the course map say the same)"]
    rows, clock, clock15, clock45 = [], 0, 0, 0
    for note in notes:
        live = instructor.live_run(notebook, note, measured, unmeasured)
        details = []  # where learners stumble: in the edition, under each section (the plan keeps to one page)
        for number, question in enumerate(note.ask):
            answer = note.answers[number] if number < len(note.answers) else "(no answer in the notes yet)"
            details.append(f'<div class="ask"><b>Ask:</b> {_md(question)} <b>Answer:</b> {_md(answer)}</div>')
        if live or note.while_running:
            run = f"<b>Live run: {html.escape(live)}.</b> " if live else ""
            details.append(f'<div class="run">{run}{_md(note.while_running)}</div>')
        exercise_names = [attr for index, found in exercises.items() if index in instructor.section_cells(
            notebook, note) for _c, _m, attr, _ex in found]
        if note.in_one_sentence and "skip" in (note.route("15"), note.route("45")):
            details.append(f'<div class="say"><b>Skipped? Say:</b> {_md(note.in_one_sentence)}</div>')
        for attr in exercise_names:
            checked = answers.get(attr)
            shown = (html.escape(short_answer(checked)) if checked else
                     "its checked answer shows in the edition built with <code>python3 tasks.py instructor</code>")
            details.append(f'<div class="answer"><b>Exercise {html.escape(attr)}:</b> {shown}</div>')
        start = "" if note.going_further else _clock(clock)
        start15 = _clock(clock15) if note.route("15") != "skip" else ""
        start45 = _clock(clock45) if note.route("45") != "skip" else ""
        rows.append(
            f'<tr class="{"further" if note.going_further else "core"}"><td class="n">{start}</td>'
            f'<td class="n">{start15}</td><td class="n">{start45}</td><td>{_md(note.heading)}</td>'
            f'<td class="n">{note.minutes}</td><td>{_route(note, "15")}</td><td>{_route(note, "45")}</td>'
            f"<td>{''.join(details)}</td></tr>")
        if not note.going_further:
            clock += note.minutes
        clock15 += note.route_minutes("15")
        clock45 += note.route_minutes("45")
    late = [note.heading for note in core if note.cell != 0 and note.route("15") != "teach"]  # never the title
    routes15 = instructor.route_total(notes, "15")
    late_text = ("If you run late, follow the 15-minute route: " + ("skim or skip " + "; ".join(_md(h) for h in late)
                 if late else "stop after the exercise: the Key takeaways can be read at home") + ". The Going "
                 "further sections are optional.")
    problems = instructor.time_agreement(notebook, notes, name)
    warning = "".join(f"<p class=\"meta\"><b>Times disagree:</b> {html.escape(p)}.</p>" for p in problems)
    meta.append(f"the 15-minute route {routes15} min, the 45-minute route {clock45} min")
    if unmeasured:
        warning += ('<p class="meta">A slow cell edited since the benchmark has no live run time here: '
                    "<code>python3 tasks.py benchmark</code> measures it again.</p>")
    body = (f"<h1>{_md(title)}: lesson plan</h1>\n<p class=\"meta\">{html.escape('; '.join(meta))}. Clocks: "
            "minutes from the start, on the core path and on the 15- and 45-minute routes (skimmed sections count "
            "half: show the figure and the claim, not the code). "
            "Where learners stumble: in the instructor edition, under each section.</p>\n"
            f"{warning}<table>\n<thead><tr><th class=\"n\">core</th><th class=\"n\">15</th><th class=\"n\">45</th>"
            "<th>section</th><th class=\"n\">min</th><th>15-min route</th><th>45-min route</th><th>questions for the room, slow "
            "cells, exercises</th></tr></thead>\n<tbody>\n"
            + "\n".join(rows) + f"\n</tbody>\n</table>\n<p class=\"late\">{late_text}</p>\n")
    if not notes:
        body = (f"<h1>{_md(title)}: lesson plan</h1>\n<p>This lesson has no instructor notes yet (see "
                "CONTRIBUTING.md).</p>\n")
    return ('<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
            '<meta name="viewport" content="width=device-width, initial-scale=1.0">\n'
            f"<title>Plan: {html.escape(title)}</title>\n<style>{CSS}</style>\n</head>\n<body>\n<main>\n{body}"
            "</main>\n</body>\n</html>\n")


def write_plan(notebook: Any, name: str, target: Path, answers: dict[str, str] | None = None) -> Path:
    target.write_text(plan_html(notebook, name, answers), encoding="utf-8")
    return target


def write_index(paths: list[Path], out: Path) -> Path:
    """out/index.html: each lesson's plan and instructor edition."""
    items = []
    for path in paths:
        notebook = nbformat.read(path, as_version=4)
        title = next((line[2:] for line in notebook.cells[0].source.splitlines() if line.startswith("# ")), path.stem)
        items.append(f'<li>{html.escape(title)}: <a href="{path.stem}.plan.html">printable plan</a>, '
                     f'<a href="{path.name}">instructor edition (notebook)</a></li>')
    target = out / "index.html"
    target.write_text(
        '<!DOCTYPE html>\n<html lang="en">\n<head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1.0"><title>Instructor kit</title>'
        f"<style>{CSS}</style></head>\n<body>\n<main>\n<h1>Instructor kit</h1>\n"
        "<p>Per lesson: a one-page plan to print (A4 or Letter) and the instructor edition (open it in JupyterLab: "
        "notes under each section, every exercise's solution with its checked answer).</p>\n<ol>\n"
        + "\n".join(items) + "\n</ol>\n</main>\n</body>\n</html>\n", encoding="utf-8")
    return target
