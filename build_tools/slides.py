"""Each lesson's core path as reveal.js slides for a projector, with the instructor notes as speaker notes, offline.

    python build_tools/slides.py                          # every notebooks/NN_*.ipynb -> outputs/slides/
    python build_tools/slides.py notebooks/01_*.ipynb --out DIR

`python3 tasks.py slides` runs it. The core path is every cell before the first heading whose text starts with
"Going further" (the whole lesson if there is none). The deck is made from a temporary copy (slide types are set
there, never in notebooks/), so nobody maintains slides by hand:

- the title slide holds the title, the objectives and the time; the opening paragraph goes to its speaker notes;
- `#`/`##` headings start a slide, `###` headings (each "The claim, checked" included, even mid-cell) a sub-slide
  below it, and so does every figure and the text under a figure, so that a section is several screens of one idea
  each; prose longer than about six lines on a projector (WORDS_PER_SLIDE words) continues on the next sub-slide,
  cut between paragraphs, list items or sentences;
- a claim's slide holds its heading, its one italic sentence and the result its check printed (the check's code
  is in the speaker notes), so the claim and its result are on one screen of 1280x720; the claim's further
  explanation follows on the next sub-slide;
- a figure's code is hidden (the figure shows) and goes to the speaker notes;
- the instructor notes (cell metadata `instructor`, see CONTRIBUTING.md) are the speaker notes (`s`);
- no dead slides: the Setup section (imports), explorer cells ("run this in JupyterLab"), the learners' answer cells
  ("Not attempted yet") are left out; an exercise shows its question, with its solution in the notes;
- slides are the size of the screen (no scaling), code and output in 22 px type, and any slide taller than the
  screen scrolls, the first one included.

reveal.js 5.2.1, MathJax 2.7.9, require.js and jQuery are copied into outputs/slides/_static/ from the npm
packages pinned in build_tools/web/ (see build_tools/web_assets.py): open outputs/slides/index.html or any
NN_name.slides.html from disk, offline. Keys: arrows move, `s` opens the speaker view, `Esc` the overview.
"""

from __future__ import annotations

import copy
import html
import re
import sys
from pathlib import Path

import nbformat
from nbconvert import SlidesExporter
from traitlets.config import Config

sys.path.insert(0, str(Path(__file__).resolve().parent))
import instructor
import web_assets

ROOT = web_assets.ROOT
HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*$")
DEAD_OUTPUT = re.compile(r"Not attempted yet|Run this cell in JupyterLab|in JupyterLab to use it", re.I)
ANSWER_CELL = re.compile(r"^\s*answer\s*=\s*\.\.\.", re.M)
IMPORT_LINE = re.compile(r"^\s*(import\s|from\s\S+\simport\s|#|$)")
WORDS_PER_SLIDE = 75
"""Prose per slide: at 28 px on 1280x720, about six lines (a 10-line paragraph made the reviewer scroll)."""
LIST_ITEM = re.compile(r"^\s{0,3}(?:[-*+]|\d+\.)\s")
SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z*_(`\"'$])")
CLAIM = re.compile(r"^#{1,6}\s+The claim, checked", re.I)


def opening_heading(cell: nbformat.NotebookNode) -> tuple[int, str] | None:
    """(level, text) of the heading a Markdown cell opens with, or None."""
    if cell.cell_type != "markdown":
        return None
    first = next((line for line in cell.source.splitlines() if line.strip()), "")
    match = HEADING.match(first)
    return (len(match.group(1)), match.group(2)) if match else None


def core_path(notebook: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """A copy with the cells before the first 'Going further' heading (any level, anywhere in a cell)."""
    core = copy.deepcopy(notebook)
    core.cells = core.cells[: instructor.going_further_index(core)]
    return core


def has_image(cell: nbformat.NotebookNode) -> bool:
    return cell.cell_type == "code" and any(
        any(mime.startswith("image/") for mime in output.get("data", {})) for output in cell.get("outputs", []))


def output_text(cell: nbformat.NotebookNode) -> str:
    parts = []
    for output in cell.get("outputs", []):
        parts.append(output.get("text", ""))
        parts.append(str(output.get("data", {}).get("text/plain", "")))
        parts.append(str(output.get("data", {}).get("text/html", "")))
    return "".join(parts)


def notes(source: str) -> nbformat.NotebookNode:
    """A speaker-notes cell (its math as plain text: see `plain_math`; code blocks are left alone)."""
    parts = re.split(r"(```.*?```)", source, flags=re.S)
    source = "".join(part if part.startswith("```") else plain_math(part) for part in parts)
    cell = nbformat.v4.new_markdown_cell(source)
    cell.metadata["slideshow"] = {"slide_type": "notes"}
    return cell


def title_slide(cell: nbformat.NotebookNode) -> tuple[str, str]:
    """(the title slide's Markdown: title, objectives, time; the rest of the opening, for the notes)."""
    from links import LAUNCH_RE

    blocks = [b.strip() for b in LAUNCH_RE.sub("", cell.source).split("\n\n") if b.strip()]
    title = [b for b in blocks if b.startswith("# ")][:1]
    objectives = [b for b in blocks if b.startswith("**Objectives")]
    time = ""
    for block in blocks:
        match = re.search(r"\*\*Time:?\*\*:?\s*(.+)", block, re.S)
        if match:
            time = "**Time:** " + " ".join(match.group(1).split())
    rest = [b for b in blocks if b not in title and b not in objectives and "**Time" not in b]
    return "\n\n".join([*title, *objectives, *([time] if time else [])]), "\n\n".join(rest)


def split_claims(cell: nbformat.NotebookNode) -> list[nbformat.NotebookNode]:
    """A Markdown cell with a `###` heading after its first line, split there (each "The claim, checked")."""
    if cell.cell_type != "markdown":
        return [cell]
    lines = cell.source.splitlines()
    cuts = [i for i, line in enumerate(lines) if i > 0 and re.match(r"^#{1,3}\s", line)]
    if not cuts:
        return [cell]
    pieces, start = [], 0
    for cut in [*cuts, len(lines)]:
        text = "\n".join(lines[start:cut]).strip("\n")
        if text.strip():
            piece = copy.deepcopy(cell) if not pieces else nbformat.v4.new_markdown_cell(text)
            piece.source = text
            pieces.append(piece)
        start = cut
    return pieces


def _words(text: str) -> int:
    return len(text.split())


def _units(block: str) -> list[str]:
    """A Markdown block cut into the pieces a slide may break between: list items, or sentences of a paragraph;
    tables, math, HTML and code stay whole."""
    lines = block.splitlines()
    if LIST_ITEM.match(lines[0]):
        items: list[list[str]] = []
        for line in lines:
            if LIST_ITEM.match(line) or not items:
                items.append([line])
            else:
                items[-1].append(line)
        return ["\n".join(item) for item in items]
    if block.lstrip().startswith(("|", "$$", "<", "```", ">", "#")) or "\n|" in block:
        return [block]
    return [s for s in SENTENCE_END.split(" ".join(line.strip() for line in lines)) if s.strip()]


def break_prose(cell: nbformat.NotebookNode, limit: int = WORDS_PER_SLIDE) -> list[nbformat.NotebookNode]:
    """A Markdown cell longer than `limit` words cut into slides of at most about `limit` words each (between
    paragraphs, list items or sentences; a heading stays with what follows it). The first keeps the cell's
    metadata; each further one is a new sub-slide."""
    if cell.cell_type != "markdown" or _words(cell.source) <= limit:
        return [cell]
    blocks = [b for b in re.split(r"\n\s*\n", cell.source.strip("\n")) if b.strip()]
    chunks: list[list[str]] = [[]]
    pending_heading = ""
    for block in blocks:
        if HEADING.match(block.splitlines()[0]) and len(block.splitlines()) == 1:
            pending_heading = block  # joins the next block's chunk
            continue
        units = _units(block)
        joiner = "\n" if LIST_ITEM.match(block.splitlines()[0]) else " "
        current: list[str] = []
        for unit in units:
            text_so_far = "\n\n".join([*chunks[-1], joiner.join(current)])
            if (chunks[-1] or current) and _words(text_so_far) + _words(unit) > limit:
                if current:
                    chunks[-1].append(joiner.join(current))
                chunks.append([])
                current = []
            if pending_heading and not current:
                chunks[-1].append(pending_heading)
                pending_heading = ""
            current.append(unit)
        if current:
            chunks[-1].append(joiner.join(current))
    if pending_heading:
        chunks[-1].append(pending_heading)
    pieces = []
    for number, chunk in enumerate(c for c in chunks if c):
        text = "\n\n".join(chunk)
        if number == 0:
            piece = copy.deepcopy(cell)
            piece.source = text
        else:
            piece = nbformat.v4.new_markdown_cell(text)
            piece.metadata["slideshow"] = {"slide_type": "subslide"}
        pieces.append(piece)
    return pieces


CLAIM_LIST_WORDS = 45
"""A claim's italic sentence longer than this is shown as a list of its parts (cut at "; " and between
sentences), each still in italics: one long italic paragraph is hard to read from the back of a room."""


def claim_lines(sentence: str) -> str:
    """The claim's italic text (without its asterisks) as Markdown: itself, or a list of its parts when long."""
    if _words(sentence) <= CLAIM_LIST_WORDS:
        return f"*{sentence}*"
    parts = [part.strip() for part in re.split(r"(?<=;)\s+|(?<=[.:])\s+(?=[A-Z])", sentence) if part.strip()]
    return "\n".join(f"- *{part}*" for part in parts)


def split_claim(cell: nbformat.NotebookNode) -> tuple[nbformat.NotebookNode, str]:
    """A "The claim, checked" piece: (its heading and the claim's italic sentence, the rest of its text)."""
    blocks = [b for b in re.split(r"\n\s*\n", cell.source.strip("\n")) if b.strip()]
    head, body = blocks[0], blocks[1:]
    if len(head.splitlines()) > 1:  # the claim's sentence right under the heading, no blank line
        head, first = head.split("\n", 1)
        body = [first, *body]
    claim = copy.deepcopy(cell)
    rest = body
    shown = [head]
    if body:
        text = " ".join(line.strip() for line in body[0].splitlines())
        match = re.match(r"^\*(?!\*)(.+?)\*(?=\s|$)", text)
        if match:
            shown.append(claim_lines(match.group(1)))
            after = text[match.end():].strip()
            rest = [after, *body[1:]] if after else body[1:]
        else:
            shown.append(body[0])
            rest = body[1:]
    claim.source = "\n\n".join(shown)
    return claim, "\n\n".join(rest)


def note_text(note: instructor.Note) -> str:
    lines = [f"**{note.minutes} min.** Where learners stumble:", *[f"- {text}" for text in note.stumbles]]
    if note.ask:
        lines += ["", "Ask the room:"]
        for number, question in enumerate(note.ask):
            answer = note.answers[number] if number < len(note.answers) else ""
            lines.append(f"{number + 1}. {question}" + (f" *Answer:* {answer}" if answer else ""))
    if note.while_running:
        lines += ["", f"While it runs: {note.while_running}"]
    return "\n".join(lines)


TEX_SYMBOLS = {
    "lambda": "λ", "alpha": "α", "beta": "β", "sigma": "σ", "mu": "μ", "theta": "θ", "eta": "η", "epsilon": "ε",
    "sum": "∑", "cdot": "·", "times": "×", "le": "≤", "leq": "≤", "ge": "≥", "geq": "≥", "approx": "≈",
    "ne": "≠", "neq": "≠", "infty": "∞", "partial": "∂", "nabla": "∇", "ln": "ln", "log": "log", "exp": "exp",
    "sqrt": "√", "to": "→", "pm": "±", "quad": " ", ",": " ", "lVert": "‖", "rVert": "‖", "|": "‖",
}
SUPERSCRIPTS = str.maketrans("0123456789+-n()", "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻ⁿ⁽⁾")
SUBSCRIPTS = str.maketrans("0123456789+-ijk()", "₀₁₂₃₄₅₆₇₈₉₊₋ᵢⱼₖ₍₎")
MATH = re.compile(r"\$\$(.+?)\$\$|\$([^$\n]+?)\$", re.S)


def plain_math(text: str) -> str:
    """Inline and display TeX in a speaker note as plain Unicode text ("$\\lambda \\sum w^2$" -> "λ∑w²"): the
    speaker view shows the notes' HTML without MathJax's styles, where typeset math reads twice (its rendering
    and its assistive copy). What does not convert (a command not in TEX_SYMBOLS, a fraction) stays as code."""

    def one(match: re.Match[str]) -> str:
        tex = (match.group(1) or match.group(2)).strip()
        out = re.sub(r"\\(?:mathrm|text|mathbf|operatorname)\{([^{}]*)\}", r"\1", tex)
        out = re.sub(r"\\([A-Za-z]+|[,|])", lambda m: TEX_SYMBOLS.get(m.group(1), m.group(0)), out)
        out = re.sub(r"\^\{?([0-9+\-n()]+)\}?", lambda m: m.group(1).translate(SUPERSCRIPTS), out)
        out = re.sub(r"_\{?([0-9+\-ijk()]+)\}?", lambda m: m.group(1).translate(SUBSCRIPTS), out)
        out = re.sub(r"(?<=[∑·×≤≥≈≠±→√])\s+|\s+(?=[·×≤≥≈≠±→])", "", out) if "\\" not in out else out
        if "\\" in out or "{" in out:
            return f"`{tex}`"
        return re.sub(r"\s+", " ", out.replace("∑ ", "∑")).strip()

    return MATH.sub(one, text)


def _later(text: str) -> list[nbformat.NotebookNode]:
    """A claim's explanation: the sub-slides after its result (none when there is no explanation)."""
    if not text.strip():
        return []
    cell = nbformat.v4.new_markdown_cell(text)
    pieces = break_prose(cell)
    for piece in pieces:
        piece.metadata["slideshow"] = {"slide_type": "subslide"}
    return pieces


def deck_of(notebook: nbformat.NotebookNode, name: str = "lesson") -> nbformat.NotebookNode:
    """The slides' copy of a lesson: core path, slide types, hidden plotting code, notes, no dead cells."""
    core = core_path(notebook)
    try:
        lesson_notes = {note.cell: note for note in instructor.notes_of(notebook, name)}
    except instructor.NotesError:
        lesson_notes = {}
    try:
        exercises = instructor.checked_exercises(core, name)
    except instructor.NotesError:
        exercises = {}
    cells: list[nbformat.NotebookNode] = []
    skipping = False
    after_claim = ""  # the claim's explanation, shown after its check's result
    for index, original in enumerate(core.cells):
        cell = copy.deepcopy(original)
        heading = opening_heading(cell)
        if heading is not None and heading[0] <= 2:
            skipping = heading[1].strip().lower() == "setup"
        if skipping:
            continue
        if index == 0 and cell.cell_type == "markdown":
            shown, rest = title_slide(cell)
            cell.source = shown
            cell.metadata["slideshow"] = {"slide_type": "slide"}
            cells.append(cell)
            if rest:
                cells.append(notes(rest))
            if index in lesson_notes:
                cells.append(notes(note_text(lesson_notes[index])))
            continue
        if cell.cell_type == "markdown" and cell.source.lstrip().startswith("**Explore it yourself"):
            continue
        if cell.cell_type == "code":
            text = output_text(cell)
            if index in exercises or ANSWER_CELL.search(cell.source):
                solutions = [f"Solution of {ex.name}:\n\n```python\n{ex.solution_code.strip()}\n```"
                             for _c, _m, _a, ex in exercises.get(index, [])]
                if solutions:
                    cells.append(notes("\n\n".join(solutions)))
                continue
            if DEAD_OUTPUT.search(text):
                continue
            if not cell.get("outputs") and all(IMPORT_LINE.match(line) for line in cell.source.splitlines()):
                continue
        if cell.cell_type == "code" and cells and CLAIM.match(cells[-1].source.lstrip()):
            # the claim's check: its result on the claim's screen, its code in the notes, then the explanation
            cell.metadata["slideshow"] = {"slide_type": "-"}
            cell.metadata.setdefault("tags", []).append("remove_input")
            cells += [cell, notes(f"The check's code:\n\n```python\n{cell.source.strip()}\n```")]
            cells += _later(after_claim)
            after_claim = ""
            continue
        if after_claim:
            cells += _later(after_claim)
            after_claim = ""
        pieces = []
        for piece in split_claims(cell):
            if CLAIM.match(piece.source.lstrip()):
                piece, after_claim = split_claim(piece)
                pieces.append(piece)
            else:
                pieces += break_prose(piece)
        for piece in pieces:
            piece_heading = opening_heading(piece)
            kind = piece.metadata.get("slideshow", {}).get("slide_type", "-")
            previous = cells[-1] if cells else None
            if piece_heading is not None:
                kind = "slide" if piece_heading[0] <= 2 else "subslide" if piece_heading[0] == 3 else "-"
            elif has_image(piece):
                just_headed = previous is not None and opening_heading(previous) is not None and len(
                    previous.source.split()) < 40
                kind = "-" if just_headed else "subslide"
            elif piece.cell_type == "markdown" and previous is not None and (
                    has_image(previous) or previous.metadata.get("slideshow", {}).get("slide_type") == "notes"
                    and len(cells) > 1 and has_image(cells[-2])):
                kind = "subslide"  # the text under a figure: its own screen
            piece.metadata["slideshow"] = {"slide_type": kind}
            if has_image(piece):
                piece.metadata.setdefault("tags", []).append("remove_input")
                cells.append(piece)
                cells.append(notes(f"The code of this figure:\n\n```python\n{piece.source.strip()}\n```"))
                continue
            cells.append(piece)
            if piece is not None and index in lesson_notes and piece_heading is not None and piece_heading[0] <= 2:
                cells.append(notes(note_text(lesson_notes[index])))
    if after_claim:
        cells += _later(after_claim)
    deck = copy.deepcopy(core)
    deck.cells = continued_notes(cells, lesson_notes)
    deck.metadata.pop("widgets", None)
    return deck


def continued_notes(cells: list[nbformat.NotebookNode],
                    lesson_notes: dict[int, instructor.Note]) -> list[nbformat.NotebookNode]:
    """Speaker notes on every slide: a slide without notes of its own (a section's continuation) gets
    "Continued: <section>." and that section's instructor note, if it has one."""
    by_heading = {note.heading: note for note in lesson_notes.values()}
    slides: list[list[nbformat.NotebookNode]] = []
    for cell in cells:
        if not slides or cell.metadata.get("slideshow", {}).get("slide_type") in ("slide", "subslide"):
            slides.append([])
        slides[-1].append(cell)
    out: list[nbformat.NotebookNode] = []
    section = ""
    for slide in slides:
        heading = opening_heading(slide[0])
        if heading is not None and heading[0] <= 2:
            section = heading[1]
        has_notes = any(c.metadata.get("slideshow", {}).get("slide_type") == "notes" for c in slide)
        out += slide
        if not has_notes and section:
            note = by_heading.get(section)
            out.append(notes(f"*Continued: {section}.*" + (f"\n\n{note_text(note)}" if note else "")))
    return out


def set_slide_breaks(notebook: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Slide types from the headings: '#'/'##' slide, '###' subslide, any other cell '-' (same slide)."""
    for cell in notebook.cells:
        heading = opening_heading(cell)
        kind = "-"
        if heading is not None:
            kind = "slide" if heading[0] <= 2 else "subslide" if heading[0] == 3 else "-"
        cell.metadata["slideshow"] = {"slide_type": kind}
    return notebook


def exporter(urls: dict[str, str]) -> SlidesExporter:
    config = Config()
    config.SlidesExporter.extra_template_basedirs = [str(web_assets.TEMPLATES)]
    config.SlidesExporter.extra_template_paths = [str(web_assets.TEMPLATES)]  # for png_alt.j2
    config.SlidesExporter.template_name = "course_reveal"
    config.SlidesExporter.reveal_url_prefix = urls["reveal"]
    config.SlidesExporter.reveal_theme = "white"  # its fonts are in the package; "simple" imports Google Fonts
    config.SlidesExporter.reveal_scroll = True
    config.SlidesExporter.reveal_number = "c/t"
    config.SlidesExporter.require_js_url = urls["require"]
    config.SlidesExporter.jquery_url = urls["jquery"]
    config.SlidesExporter.mathjax_url = urls["mathjax"]
    config.SlidesExporter.exclude_input_prompt = True
    config.SlidesExporter.exclude_output_prompt = True
    config.TagRemovePreprocessor.enabled = True
    config.TagRemovePreprocessor.remove_input_tags = {"remove_input"}
    return SlidesExporter(config=config)


def unique_ids(body: str) -> str:
    """Number repeated ids (nbconvert gives every "The claim, checked" heading the same one): -2, -3..."""
    from bs4 import BeautifulSoup  # nbconvert's own dependency

    soup = BeautifulSoup(body, "html.parser")
    seen: dict[str, int] = {}
    for element in soup.find_all(id=True):
        name = element["id"]
        seen[name] = seen.get(name, 0) + 1
        if seen[name] > 1:
            new = f"{name}-{seen[name]}"
            element["id"] = new
            for link in element.find_all("a", href=f"#{name}"):
                link["href"] = f"#{new}"
    return str(soup)


def build(paths: list[Path], out: Path) -> list[Path]:
    """Write out/NN_name.slides.html for each notebook, out/_static/ and out/index.html; the pages written."""
    out.mkdir(parents=True, exist_ok=True)
    urls = web_assets.install_assets(out, slides=True)
    slides = exporter(urls)
    written, items = [], []
    for path in sorted(paths, key=lambda p: p.name):
        notebook = nbformat.read(path, as_version=4)
        web_assets.strip_for_export(notebook)
        deck = deck_of(notebook, path.name)
        body, _ = slides.from_notebook_node(deck, resources={"metadata": {"name": web_assets.first_heading(notebook)}})
        target = out / f"{path.stem}.slides.html"
        target.write_text(unique_ids(body), encoding="utf-8")
        written.append(target)
        kinds = [c.metadata["slideshow"]["slide_type"] for c in deck.cells]
        count = sum(kind in ("slide", "subslide") for kind in kinds)
        with_notes = sum(kind == "notes" for kind in kinds)
        items.append(f'<li><a href="{target.name}">{html.escape(web_assets.first_heading(notebook))}</a> '
                     f"({count} slides, {with_notes} speaker notes)</li>")
        print(f"[slides] {target.name}: {count} slides, {with_notes} speaker notes, from {len(deck.cells)} of "
              f"{len(notebook.cells)} cells", flush=True)
    (out / "index.html").write_text(
        '<!DOCTYPE html>\n<html lang="en">\n<head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1.0">'
        "<title>Slides: the core path of each lesson</title>"
        "<style>body{font-family:sans-serif;max-width:50em;margin:2em auto;padding:0 1em;line-height:1.5}</style>"
        "</head>\n<body>\n<main>\n<h1>Slides: the core path of each lesson</h1>\n"
        "<p>Arrow keys move between slides (right: next section; down: the next part of a section); <kbd>s</kbd> "
        "opens the speaker view with the instructor notes, <kbd>Esc</kbd> the overview. A slide taller than the "
        "screen scrolls. Works offline.</p>\n<ol>\n" + "\n".join(items) + "\n</ol>\n</main>\n</body>\n</html>\n",
        encoding="utf-8",
    )
    return written


def main(argv: list[str] | None = None) -> int:
    return web_assets.command_line(build, "slides", __doc__.split("\n")[0], argv)


if __name__ == "__main__":
    sys.exit(main())
