"""Each lesson's core path as reveal.js slides that work with no network.

    python build_tools/slides.py                          # every notebooks/NN_*.ipynb -> outputs/slides/
    python build_tools/slides.py notebooks/01_*.ipynb --out DIR

`python3 tasks.py slides` runs it. The core path is every cell before the first heading whose text starts with
"Going further" (the whole lesson if there is none). Slide breaks are set on a temporary copy from the headings,
so nobody maintains them by hand: a cell opening with `#` or `##` starts a new slide, `###` a sub-slide (reveal.js'
vertical stack), every other cell continues the current one (long slides scroll). Committed notebooks are never
changed. reveal.js 5.2.1, MathJax 2.7.9, require.js and jQuery are copied into outputs/slides/_static/ from the
npm packages pinned in build_tools/web/ (see build_tools/web_assets.py): open outputs/slides/index.html or any
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
import web_assets

ROOT = web_assets.ROOT
HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*$")


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
    for index, cell in enumerate(core.cells):
        if cell.cell_type == "markdown" and any(
            (m := HEADING.match(line)) and m.group(2).lower().startswith("going further")
            for line in cell.source.splitlines()
        ):
            core.cells = core.cells[:index]
            break
    return core


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
    return SlidesExporter(config=config)


def build(paths: list[Path], out: Path) -> list[Path]:
    """Write out/NN_name.slides.html for each notebook, out/_static/ and out/index.html; the pages written."""
    out.mkdir(parents=True, exist_ok=True)
    urls = web_assets.install_assets(out, slides=True)
    slides = exporter(urls)
    written, items = [], []
    for path in sorted(paths, key=lambda p: p.name):
        notebook = nbformat.read(path, as_version=4)
        web_assets.strip_for_export(notebook)
        deck = set_slide_breaks(core_path(notebook))
        body, _ = slides.from_notebook_node(deck, resources={"metadata": {"name": path.stem}})
        target = out / f"{path.stem}.slides.html"
        target.write_text(body, encoding="utf-8")
        written.append(target)
        count = sum(c.metadata["slideshow"]["slide_type"] in ("slide", "subslide") for c in deck.cells)
        items.append(f'<li><a href="{target.name}">{html.escape(web_assets.first_heading(notebook))}</a> '
                     f"({count} slides, {len(deck.cells)} of {len(notebook.cells)} cells)</li>")
        print(f"[slides] {target.relative_to(out.parent) if out.parent in target.parents else target}: "
              f"{count} slides from {len(deck.cells)} of {len(notebook.cells)} cells", flush=True)
    (out / "index.html").write_text(
        '<!DOCTYPE html>\n<html lang="en">\n<head><meta charset="utf-8"><title>Slides: the core path of each '
        'lesson</title></head>\n<body>\n<main>\n<h1>Slides: the core path of each lesson</h1>\n'
        "<p>Arrow keys move between slides; <kbd>s</kbd> opens the speaker view, <kbd>Esc</kbd> the overview. "
        "Works offline.</p>\n<ol>\n" + "\n".join(items) + "\n</ol>\n</main>\n</body>\n</html>\n",
        encoding="utf-8",
    )
    return written


def main(argv: list[str] | None = None) -> int:
    return web_assets.command_line(build, "slides", __doc__.split("\n")[0], argv)


if __name__ == "__main__":
    sys.exit(main())
