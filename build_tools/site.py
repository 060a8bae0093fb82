"""Every executed lesson and the start page as a static HTML site, readable with no Jupyter and no network.

    python build_tools/site.py                          # every notebooks/NN_*.ipynb -> outputs/site/
    python build_tools/site.py notebooks/00_*.ipynb notebooks/01_*.ipynb --out DIR

`python3 tasks.py site` runs it. nbconvert's HTMLExporter renders each notebook as committed (outputs included,
nothing is executed) with a template override (build_tools/templates/course_lab): previous/next navigation and a
link to the index on every page, each figure's `alt` metadata as `<img alt>`, and no script from a CDN (no
require.js, mermaid or widget manager; MathJax 2.7.9 is copied into _static/ from the npm package pinned in
build_tools/web/, so formulas render offline). Links between lessons (`01_x.ipynb#anchor`) become links between
pages (`01_x.html#anchor`); other relative links (../data/README.md, ../CONTRIBUTING.md...) point to the file in
the repository on GitHub ([project.urls] Repository in pyproject.toml). Open outputs/site/index.html.
"""

from __future__ import annotations

import html
import re
import sys
from pathlib import Path

import nbformat
from nbconvert import HTMLExporter
from traitlets.config import Config

sys.path.insert(0, str(Path(__file__).resolve().parent))
import links
import web_assets

ROOT = web_assets.ROOT
MD_TARGET = re.compile(r"(\]\()([^)\s]+)(\))")


def rewrite_links(source: str, pages: set[str], repository: str, branch: str = "main") -> str:
    """Markdown links: NN_x.ipynb -> NN_x.html (when that page is built), other relative files -> the repository."""

    def fix(match: re.Match[str]) -> str:
        target = match.group(2)
        if re.match(r"^([a-z][a-z0-9+.-]*:|#)", target, re.I):
            return match.group(0)
        file_part, sep, anchor = target.partition("#")
        if file_part.endswith(".ipynb") and "/" not in file_part and file_part[:-6] in pages:
            return f"{match.group(1)}{file_part[:-6]}.html{sep}{anchor}{match.group(3)}"
        path = (Path("notebooks") / file_part).as_posix()
        parts: list[str] = []
        for part in path.split("/"):
            if part == "..":
                parts = parts[:-1]
            elif part not in ("", "."):
                parts.append(part)
        return f"{match.group(1)}{repository.rstrip('/')}/blob/{branch}/{'/'.join(parts)}{sep}{anchor}{match.group(3)}"

    return MD_TARGET.sub(fix, source)


def nav(pages: list[tuple[str, str]], index: int) -> str:
    """Previous / contents / next links for pages[index] ((stem, title) in course order)."""
    parts = []
    if index > 0:
        stem, title = pages[index - 1]
        parts.append(f'<a rel="prev" href="{stem}.html">Previous: {html.escape(title)}</a>')
    else:
        parts.append("<span></span>")
    parts.append('<a href="index.html">All lessons</a>')
    if index + 1 < len(pages):
        stem, title = pages[index + 1]
        parts.append(f'<a rel="next" href="{stem}.html">Next: {html.escape(title)}</a>')
    else:
        parts.append("<span></span>")
    return '<nav class="course-nav" aria-label="Lessons">' + "".join(parts) + "</nav>"


def exporter(urls: dict[str, str]) -> HTMLExporter:
    config = Config()
    config.HTMLExporter.extra_template_basedirs = [str(web_assets.TEMPLATES)]
    config.HTMLExporter.extra_template_paths = [str(web_assets.TEMPLATES)]  # for png_alt.j2
    config.HTMLExporter.template_name = "course_lab"
    config.HTMLExporter.mathjax_url = urls["mathjax"]
    config.HTMLExporter.require_js_url = ""
    config.HTMLExporter.exclude_input_prompt = True
    config.HTMLExporter.exclude_output_prompt = True
    return HTMLExporter(config=config)


def index_page(entries: list[tuple[str, str, str]]) -> str:
    items = "\n".join(
        f'<li><a href="{stem}.html">{html.escape(title)}</a><br><span>{html.escape(summary)}</span></li>'
        for stem, title, summary in entries
    )
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1.0">\n'
        "<title>Regularization for deep learning: the lessons</title>\n"
        "<style>body{font-family:sans-serif;max-width:900px;margin:2em auto;padding:0 1em;line-height:1.5}"
        "li{margin-bottom:1em}</style>\n</head>\n<body>\n<main>\n"
        "<h1>Regularization for deep learning: the lessons</h1>\n"
        "<p>Every lesson as executed, with its figures and results, in course order. These pages need no "
        "Jupyter and no network; to run the code, open the notebooks in JupyterLab (see the README).</p>\n"
        f"<ol>\n{items}\n</ol>\n</main>\n</body>\n</html>\n"
    )


def summary_of(notebook: nbformat.NotebookNode) -> str:
    """The first paragraph after the H1 (and the launch line), as plain text, shortened."""
    lines = notebook.cells[0].source.split("\n\n") if notebook.cells else []
    for block in lines[1:]:
        if block.strip() and not links.LAUNCH_RE.search(block) and not block.startswith("#"):
            text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", " ".join(block.split()))
            text = re.sub(r"[*_`]", "", text)
            return text if len(text) <= 240 else text[:237].rsplit(" ", 1)[0] + "..."
    return ""


def build(paths: list[Path], out: Path) -> list[Path]:
    """Write out/NN_name.html per notebook, out/index.html and out/_static/; the pages written."""
    out.mkdir(parents=True, exist_ok=True)
    urls = web_assets.install_assets(out, slides=False)
    repository = links.project_urls()["Repository"]
    exporter_ = exporter(urls)
    notebooks = [(path, nbformat.read(path, as_version=4)) for path in sorted(paths, key=lambda p: p.name)]
    pages = [(path.stem, web_assets.first_heading(nb)) for path, nb in notebooks]
    stems = {stem for stem, _ in pages}
    written, entries = [], []
    for number, (path, notebook) in enumerate(notebooks):
        web_assets.strip_for_export(notebook)
        for cell in notebook.cells:
            if cell.cell_type == "markdown":
                cell.source = rewrite_links(cell.source, stems, repository)
        resources = {"metadata": {"name": pages[number][1]}, "course_nav": nav(pages, number)}
        body, _ = exporter_.from_notebook_node(notebook, resources=resources)
        target = out / f"{path.stem}.html"
        target.write_text(body, encoding="utf-8")
        written.append(target)
        entries.append((path.stem, pages[number][1], summary_of(notebook)))
        print(f"[site] {target.name}: {pages[number][1]}", flush=True)
    (out / "index.html").write_text(index_page(entries), encoding="utf-8")
    return written


def main(argv: list[str] | None = None) -> int:
    return web_assets.command_line(build, "site", __doc__.split("\n")[0], argv)


if __name__ == "__main__":
    sys.exit(main())
