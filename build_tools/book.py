"""The course as a book for readers: Sphinx + sphinx-book-theme + myst-nb (Jupyter Book 1's toolchain), offline.

    python build_tools/book.py                                  # every notebooks/NN_*.ipynb -> build/site/
    python build_tools/book.py notebooks/00_*.ipynb notebooks/04_*.ipynb --out DIR
    python build_tools/book.py --jupyterhub https://hub.example.edu   # + a JupyterHub launch button (nbgitpuller)

`python3 tasks.py site` runs it. The committed notebooks are rendered as they are (nothing is executed). Each
build writes its sources into build/book-src/ (never into notebooks/): a copy of each lesson with

- the Binder line after the title removed (the theme's launch menu replaces it);
- links to other lessons kept (Sphinx links the pages), links to other files of the repository (data/README.md,
  benchmarks/...) pointing to that file on GitHub ([project.urls] Repository in pyproject.toml);
- under every cell that calls an exercise's check, a short note on trying it without Jupyter (download the
  notebook, which needs a clone of the repository for `utils` and `data/`, or launch it on Binder), then the
  exercise's hint and its solution as two blocks a reader opens with a click (from utils/exercises: `hint_text`
  and `solution_code`), the solution followed by the checker's own explanation of why it is right (the message
  `Exercise.evaluate` gives for the solution's answer, run at build time), instead of the cell's
  "Not attempted yet" output;

and an index page with each lesson's summary (the opening paragraph, whole sentences) and its times, and how
to run a lesson yourself and how to serve the book (search shows excerpts only when the book is served: opened
from file://, browsers refuse the requests Sphinx's search makes for them). Sphinx then
builds with -W (any warning fails the build) into build/site/. The page's download button gives the notebook as
committed (not the copy). MathJax 3.2.2 is copied from the npm package pinned in build_tools/web/ into _static/
(build_tools/web_assets.py), so no page loads anything from the network. Readers get the theme's table of
contents, in-page outline, search, dark mode, download and launch buttons: Binder from [project.urls] Binder, and
JupyterHub (through nbgitpuller) when a hub address is given (--jupyterhub, or COURSE_JUPYTERHUB_URL).
Open build/site/index.html.
"""

from __future__ import annotations

import argparse
import html
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import nbformat

sys.path.insert(0, str(Path(__file__).resolve().parent))
import instructor
import links
import web_assets

ROOT = web_assets.ROOT
CONF = ROOT / "build_tools" / "book"
SOURCES = ROOT / "build" / "book-src"
OUT = ROOT / "build" / "site"
MD_TARGET = re.compile(r"(\]\()([^)\s]+)(\))")
TIME_RE = re.compile(r"\*\*Time:?\*\*:?\s*(.+?)\s*(?:\n\s*\n|$)", re.S)
REVEAL_TAG = "book-reveal"
SUMMARY_WORDS = 90

STATIC_CSS = """\
/* The course book: readable line length, code and figures at a comfortable size. */
.bd-article-container { max-width: 52em; }
.bd-article p, .bd-article li { max-width: 75ch; }
.bd-article img { max-width: 100%; height: auto; }
.cell_output pre { white-space: pre-wrap; word-break: break-word; }
/* Code wraps instead of scrolling sideways (lines over 80 characters); the notebook keeps its own lines. A wrapped
   line hangs: course.js puts each line in a span.course-line with --hang = its indentation + 4 characters, so the
   continuation starts 4 columns right of the line's own indentation, never at column 0. */
.bd-article div.highlight pre { white-space: pre-wrap; overflow-wrap: anywhere; }
.bd-article div.highlight pre .course-line { display: block; min-height: 1lh; padding-left: var(--hang);
  text-indent: calc(-1 * var(--hang)); }
/* Each figure links to its image at full size (build_tools/book.py wraps it): a pointer that says so. */
.bd-article a.course-figure { cursor: zoom-in; }
.course-try-pointer { font-size: .95em; color: var(--pst-color-text-muted); margin: .3em 0 .6em; }
.bd-article .cell_output, .bd-article .cell_output .output { max-width: 100%; overflow-x: auto; }
p.course-why { margin: .6em 0 .2em; padding: .4em .6em; border-left: 3px solid var(--pst-color-success);
  background: var(--pst-color-surface); }
details.course-reveal { border: 1px solid var(--pst-color-border); border-radius: .3em; padding: .3em .8em;
  margin: .4em 0 1em; }
details.course-reveal > summary { cursor: pointer; font-weight: 600; color: var(--pst-color-primary); }
details.course-reveal[open] > summary { margin-bottom: .5em; }
.course-lessons dt { margin-top: 1em; font-weight: 600; }
.course-lessons dd { margin-left: 0; }
.course-time { color: var(--pst-color-text-muted); font-size: .95em; }
"""


STATIC_JS = """\
/* The course book. Opened from a file (file://), browsers refuse the fetch() Sphinx's search makes for each
   result's excerpt: turn the excerpts off there (no failed request) and say on the search page how to serve the
   book. Served (python -m http.server -d build/site), nothing changes. */
if (window.location.protocol === "file:" && typeof DOCUMENTATION_OPTIONS !== "undefined") {
  DOCUMENTATION_OPTIONS.SHOW_SEARCH_SUMMARY = false;
  document.addEventListener("DOMContentLoaded", () => {
    const results = document.getElementById("search-results");
    if (!results) return;
    const note = document.createElement("p");
    note.className = "course-search-note";
    note.textContent = "Opened from a file, search lists the pages without an excerpt of each. For excerpts, " +
      "serve the book from the repository's root: python -m http.server -d build/site 8000, then open " +
      "http://localhost:8000/search.html";
    results.parentNode.insertBefore(note, results);
  });
}
/* Code blocks: each line in its own span.course-line with its indentation, for the hanging indent of a wrapped
   line (course.css). The text is unchanged (the line feeds stay), so copying the code gives the same lines. */
function courseHang(pre) {
  const lines = [];
  let open = [], current = "";
  for (const token of pre.innerHTML.split(/(<[^>]+>)/)) {
    if (!token) continue;
    if (token.startsWith("</")) { open.pop(); current += token; continue; }
    if (token.startsWith("<")) { if (!token.endsWith("/>")) open.push(token); current += token; continue; }
    const parts = token.split("\\n");
    parts.forEach((part, i) => {
      if (i > 0) { lines.push(current + "\\n" + "</span>".repeat(open.length)); current = open.join(""); }
      current += part;
    });
  }
  if (current.replace(/<[^>]+>/g, "")) lines.push(current);
  pre.innerHTML = lines.map((line) => {
    const indent = line.replace(/<[^>]+>/g, "").match(/^ */)[0].length;
    return `<span class="course-line" style="--hang: ${indent + 4}ch">${line}</span>`;
  }).join("");
}
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll(".bd-article div.highlight pre").forEach(courseHang);
});
/* Served, each result's excerpt is read from the page's main block, which in this theme also holds the
   header's buttons ("System Settings Light Dark..."): leave the page's chrome out of the excerpt. */
document.addEventListener("DOMContentLoaded", () => {
  if (typeof Search === "undefined" || !Search.htmlToText) return;
  const original = Search.htmlToText;
  Search.htmlToText = (htmlString, anchor) => {
    const page = new DOMParser().parseFromString(htmlString, "text/html");
    page.querySelectorAll(".bd-header-article, .header-article-items, .bd-sidebar-secondary, .prev-next-area, "
      + "nav, footer").forEach((element) => element.remove());
    return original(page.documentElement.outerHTML, anchor);
  };
});
"""


def _slugify(text: str) -> str:
    from mdit_py_plugins.anchors.index import slugify  # myst-parser's heading anchors (myst_heading_anchors)

    return slugify(re.sub(r"[`*]", "", text))


def rewrite_links(source: str, pages: dict[str, list[str]], repository: str, branch: str = "main") -> str:
    """Markdown links: to a built lesson -> kept (its JupyterLab anchor made MyST's); other files -> GitHub."""

    def fix(match: re.Match[str]) -> str:
        target = match.group(2)
        if re.match(r"^([a-z][a-z0-9+.-]*:|#)", target, re.I):
            return match.group(0)
        file_part, sep, fragment = target.partition("#")
        if file_part.endswith(".ipynb") and "/" not in file_part and file_part[:-6] in pages:
            if fragment:
                headings = pages[file_part[:-6]]
                found = [h for h in headings if instructor.anchor(h) == fragment or _slugify(h) == fragment]
                fragment = _slugify(found[0]) if found else ""
            return f"{match.group(1)}{file_part}{'#' + fragment if fragment else ''}{match.group(3)}"
        parts: list[str] = []
        for part in (Path("notebooks") / file_part).as_posix().split("/"):
            if part == "..":
                parts = parts[:-1]
            elif part not in ("", "."):
                parts.append(part)
        return f"{match.group(1)}{repository.rstrip('/')}/blob/{branch}/{'/'.join(parts)}{sep}{fragment}{match.group(3)}"

    return MD_TARGET.sub(fix, source)


def headings_of(notebook: nbformat.NotebookNode) -> list[str]:
    return [m.group(2) for cell in notebook.cells if cell.cell_type == "markdown"
            for line in cell.source.splitlines() if (m := instructor.HEADING.match(line))]


def correct_message(exercise: object) -> str:
    """What the exercise's checker says to its own solution's answer ("Correct! ..."), or "" when the solution
    cannot run on its own. The solution runs here, in a namespace of its own with `utils`, `np` and `pd`."""
    import contextlib
    import io

    code = str(getattr(exercise, "solution_code", ""))
    namespace: dict[str, object] = {}
    os.environ.setdefault("COURSE_PROGRESS", "0")
    try:
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
            exec("import utils\nimport numpy as np\nimport pandas as pd\n" + code, namespace)
            correct, message = exercise.evaluate(namespace["answer"])  # type: ignore[attr-defined]
    except Exception as error:  # a solution that needs the lesson's variables
        print(f"[site] {getattr(exercise, 'name', '?')}: no checker message ({type(error).__name__}: {error})")
        return ""
    return message if correct else ""


def try_it_note(launch: str, repository: str, label: str = "course-try-it") -> str:
    """The note under an exercise's answer cell: how to try it without Jupyter (MyST admonition)."""
    return "\n".join([
        ":::{admonition} Try it yourself",
        ":class: tip course-try",
        f":name: {label}",
        "This page shows the lesson as it ran, without Jupyter: the cell above waits for your answer. To answer "
        "it, run the lesson: download the notebook (the download button at the top of the page) or "
        f"[open it on Binder]({launch}) (the launch button), replace `...` and run the cell. A downloaded notebook "
        "needs the course's `utils` package and `data/` folder: clone "
        f"[the repository]({repository}) and run the one command of its README, `python3 tasks.py lab`. Or open "
        "the hint and the solution below with a click.",
        ":::",
    ])


def try_it_pointer(label: str = "course-try-it") -> str:
    """Under the second and later exercises of a page: one line pointing to the note under the first."""
    return ('<p class="course-try-pointer">To answer it yourself: as for the first exercise of this page (see '
            f'<a href="#{label}"><em>Try it yourself</em></a> above), or open the hint and the solution '
            "below.</p>")


def reveal_cell(exercise: object, message: str = "", note: str = "") -> nbformat.NotebookNode:
    """The hint and the solution of one exercise, each a block the reader opens with a click; under the solution,
    `message` (what the checker says to it: why it is right); `note` (Markdown) before them."""
    name = getattr(exercise, "name", "")
    hint = str(getattr(exercise, "hint_text", "")).strip()
    code = str(getattr(exercise, "solution_code", "")).strip("\n")
    fence = "````" if "```" in code else "```"
    why = [f'<p class="course-why"><strong>Why it is right</strong> (what the checker says to this answer): '
           f"{html.escape(' '.join(message.split()))}</p>", ""] if message else []
    source = "\n".join([
        *([note, ""] if note else []),
        f'<details class="course-reveal"><summary>Hint ({html.escape(name)})</summary>', "", hint, "", "</details>",
        "",
        f'<details class="course-reveal"><summary>Solution ({html.escape(name)})</summary>', "",
        f"{fence}python", code, fence, "", *why, "</details>",
    ])
    cell = nbformat.v4.new_markdown_cell(source)
    cell.metadata["tags"] = [REVEAL_TAG]
    return cell


def book_copy(notebook: nbformat.NotebookNode, name: str, pages: dict[str, list[str]],
              repository: str, urls: dict[str, str] | None = None, messages: bool = True,
              branch: str = "main") -> nbformat.NotebookNode:
    """The lesson as the book renders it (see the module's docstring); `notebook` is not changed. With
    `messages`, each solution runs once to show the checker's message under it."""
    exercises = instructor.checked_exercises(notebook, name)
    label = f"course-try-{Path(name).stem.replace('_', '-')}"  # Sphinx's labels are global: one per page
    note = try_it_note(links.launch_url(Path(name).name, urls), repository, label)
    copy = nbformat.v4.new_notebook(metadata=nbformat.from_dict(dict(notebook.metadata)), cells=[])
    copy.metadata.pop("widgets", None)
    first = True  # the note in full under the page's first exercise, a one-line pointer under the others
    for index, cell in enumerate(notebook.cells):
        cell = nbformat.from_dict(cell)
        if cell.cell_type == "markdown":
            source = links.LAUNCH_RE.sub("", cell.source)
            source = re.sub(r"\n{3,}", "\n\n", source)
            cell.source = rewrite_links(source, pages, repository, branch)
        if cell.cell_type == "code" and index in exercises:  # the learner's answer cell: no "Not attempted yet"
            cell.outputs = [o for o in cell.get("outputs", []) if "Not attempted yet" not in str(o.get("text", ""))]
        copy.cells.append(cell)
        for _call, _module, _attr, exercise in exercises.get(index, []):
            copy.cells.append(reveal_cell(exercise, correct_message(exercise) if messages else "",
                                          note if first else try_it_pointer(label)))
            first = False
    return copy


def _plain(markdown: str) -> str:
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", " ".join(markdown.split()))
    return re.sub(r"<[^>]+>", "", text)


def summary_of(notebook: nbformat.NotebookNode, words: int = SUMMARY_WORDS) -> str:
    """The opening paragraph after the title (Markdown kept, math too), whole sentences, at most `words` words
    unless its first sentence is longer."""
    source = links.LAUNCH_RE.sub("", notebook.cells[0].source) if notebook.cells else ""
    for block in source.split("\n\n")[1:]:
        block = block.strip()
        if not block or block.startswith(("#", "**Objectives", "**Prerequisites", "**Time", "<")):
            continue
        text = " ".join(block.split())
        text = re.sub(r"\]\((?!https?:)[^)]*\)", "]()", text)  # links to other files: the text alone
        text = re.sub(r"\[([^\]]*)\]\(\)", r"\1", text)
        sentences = re.split(r"(?<=[.!?])\s+(?=[A-Z*_(\"'])", text)
        kept: list[str] = []
        for sentence in sentences:
            if kept and len(_plain(" ".join([*kept, sentence])).split()) > words:
                break
            kept.append(sentence)
        return " ".join(kept)
    return ""


def times_of(notebook: nbformat.NotebookNode) -> str:
    """What the lesson's first cell says after **Time:** (e.g. "core about 15 min, full about 35 min")."""
    match = TIME_RE.search(notebook.cells[0].source) if notebook.cells else None
    return " ".join(match.group(1).split()).rstrip(".") if match else ""


def index_page(lessons: list[tuple[str, nbformat.NotebookNode]], repository: str = "") -> str:
    """index.md: what the book is, each lesson (title, times, summary) and the table of contents."""
    repository = repository or links.project_urls()["Repository"]
    entries = []
    for stem, notebook in lessons:
        title = web_assets.first_heading(notebook)
        time = times_of(notebook)
        entries += [f"[{title}]({stem}.ipynb)", f": {summary_of(notebook)}" + (
            f' <span class="course-time">Time: {html.escape(time)}.</span>' if time else ""), ""]
    return "\n".join([
        "# Regularization for deep learning", "",
        "Every lesson of the course as executed, with its figures, tables and checked claims, readable with no "
        "Jupyter. Each page has a table of contents on the left, its outline on the right, search at the top, a "
        "button to download the notebook and a launch menu to run it (Binder; a JupyterHub when the course has "
        "one). Under each exercise, a hint and the solution open with a click, with the checker's explanation "
        "of why the solution is right.", "",
        "```{toctree}", ":hidden:", ":maxdepth: 1", "", *(f"{stem}" for stem, _ in lessons), "```", "",
        "## The lessons", "",
        "::::{container} course-lessons", "", *entries, "::::", "",
        "The times are the lesson's own estimate for reading and running it: the core path (the idea, the main "
        "demonstration, its checked claim and one exercise) and the whole lesson with its *Going further* "
        "sections.", "",
        "## Running a lesson yourself", "",
        "Each page's launch button opens the lesson on Binder, ready to run in the browser. The download button "
        "gives the notebook alone, and a notebook needs the course's `utils` package and its `data/` folder: "
        f"clone [the repository]({repository}) and run the one command of its README, `python3 tasks.py lab` "
        "(it sets everything up and opens JupyterLab).", "",
        "## Searching this book", "",
        "Search works everywhere. Its results show an excerpt of each page only when the book is served: opened "
        "from a file (`file://`), browsers refuse the requests Sphinx's search makes for the excerpts. To serve it "
        "from the repository's root: `python -m http.server -d build/site 8000`, then open "
        "<http://localhost:8000/>.", "",
    ])


def binder_settings(urls: dict[str, str]) -> dict[str, str]:
    """COURSE_BOOK_* settings for conf.py from [project.urls]: the repository, its branch and the BinderHub."""
    binder = urlsplit(urls["Binder"])
    branch = binder.path.rstrip("/").rsplit("/", 1)[-1] or "main"
    return {"COURSE_BOOK_REPOSITORY": urls["Repository"], "COURSE_BOOK_BRANCH": branch,
            "COURSE_BOOK_BINDERHUB": f"{binder.scheme}://{binder.netloc}"}


def write_sources(paths: list[Path], src: Path) -> list[tuple[str, nbformat.NotebookNode]]:
    """build/book-src/: the lessons' book copies, index.md, _static/ (MathJax, course.css, course.js)."""
    if src.exists():
        shutil.rmtree(src)
    (src / "_static").mkdir(parents=True)
    urls = links.project_urls()
    repository = urls["Repository"]
    lessons = [(path, nbformat.read(path, as_version=4)) for path in sorted(paths, key=lambda p: p.name)]
    pages = {path.stem: headings_of(notebook) for path, notebook in lessons}
    branch = binder_settings(urls)["COURSE_BOOK_BRANCH"]
    for path, notebook in lessons:
        try:
            shown = path.resolve().relative_to(ROOT).as_posix()
        except ValueError:
            shown = str(path)
        nbformat.write(book_copy(notebook, shown, pages, repository, urls, branch=branch), src / path.name)
    (src / "index.md").write_text(index_page([(path.stem, nb) for path, nb in lessons], repository),
                                  encoding="utf-8")
    modules = web_assets.ensure_packages()
    web_assets.copy_tree_parts(modules / "mathjax3", web_assets.MATHJAX3_FILES, src / "_static" / "mathjax")
    (src / "_static" / "course.css").write_text(STATIC_CSS, encoding="utf-8")
    (src / "_static" / "course.js").write_text(STATIC_JS, encoding="utf-8")
    return [(path.stem, nb) for path, nb in lessons]


def link_figures(page: Path) -> int:
    """Each figure of a built page (an image in a cell's output) wrapped in a link to its image file, so a reader
    opens it at full size (the page shows it at most the text's width); its alt text is kept. The figures linked."""
    from bs4 import BeautifulSoup  # nbconvert's and the theme's dependency

    text = page.read_text(encoding="utf-8")
    if "cell_output" not in text:
        return 0
    soup = BeautifulSoup(text, "html.parser")
    linked = 0
    for image in soup.select("div.cell_output img"):
        if image.find_parent("a") is not None or not image.get("src"):
            continue
        link = soup.new_tag("a", href=image["src"], attrs={"class": "course-figure",
                                                           "title": "Open the figure at full size"})
        image.wrap(link)
        linked += 1
    if linked:
        page.write_text(str(soup), encoding="utf-8")
    return linked


def build(paths: list[Path], out: Path, jupyterhub: str | None = None, quiet: bool = True) -> Path:
    """Write the sources, run Sphinx (-W) into `out`; return out/index.html."""
    sources = SOURCES if out.resolve() == OUT.resolve() else out.parent / f"{out.name}-sources"
    write_sources(paths, sources)
    env = {**os.environ, **binder_settings(links.project_urls()), "PYTHONHASHSEED": "0",
           "COURSE_BOOK_STATIC": str(sources / "_static")}
    hub = jupyterhub or os.environ.get("COURSE_JUPYTERHUB_URL")
    if hub:
        env["COURSE_BOOK_JUPYTERHUB"] = hub
    else:
        env.pop("COURSE_BOOK_JUPYTERHUB", None)
    if out.exists():
        shutil.rmtree(out)
    args = [sys.executable, "-m", "sphinx", "-W", "--keep-going", "-b", "html", "-c", str(CONF), "-j", "1",
            "-d", str(sources.parent / f"{sources.name}-doctrees"), *(["-q"] if quiet else []), str(sources), str(out)]
    print("[site] " + " ".join(args[2:]), flush=True)
    result = subprocess.run(args, env=env, cwd=ROOT)
    if result.returncode:
        raise SystemExit(f"[site] Sphinx failed (exit {result.returncode}): every warning is an error here")
    for path in paths:  # the download button gives the lesson as committed, not the book's copy
        target = out / "_sources" / path.name
        if target.exists():
            shutil.copy2(path, target)
    for page in out.glob("*.html"):
        link_figures(page)
    remote = [f"{page.name}: {ref}" for page in out.rglob("*.html")
              for ref in web_assets.remote_references(page.read_text(encoding="utf-8"))]
    if remote:
        raise SystemExit(f"[site] pages would load remote URLs: {remote[:5]}")
    return out / "index.html"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("notebooks", nargs="*", type=Path, help="default: notebooks/[0-9][0-9]_*.ipynb")
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--jupyterhub", help="a JupyterHub's address, for a launch button through nbgitpuller "
                        "(default: COURSE_JUPYTERHUB_URL; none: no JupyterHub button)")
    parser.add_argument("--verbose", action="store_true", help="Sphinx's own progress output")
    args = parser.parse_args(argv)
    paths = args.notebooks or sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    sys.path.insert(0, str(ROOT))  # utils.exercises from this checkout
    try:
        index = build(paths, args.out, args.jupyterhub, quiet=not args.verbose)
    except instructor.NotesError as error:
        print(f"[site] FAILED: {error}", file=sys.stderr, flush=True)
        return 1
    print(f"[site] open {index}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
