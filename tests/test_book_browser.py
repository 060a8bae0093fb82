"""The reader's and the instructor's pages in a real browser: the book, the slides and the printable plans.

Run with ``python3 tasks.py browser`` (with the JupyterLab test) or ``pytest tests/test_book_browser.py -m browser``.
Needs Debian's Chromium at /usr/bin/chromium (``COURSE_CHROMIUM`` for another path) and playwright from
requirements-dev.txt; without them the test is skipped, except under ``CI=true``, where it fails.

It builds every lesson's book page (build_tools/book.py, with a sample JupyterHub address so its launch button is
there too), slides (build_tools/slides.py) and plans (build_tools/instructor.py) into a temporary folder.
``COURSE_BROWSER_PAGES=DIR`` reuses pages built before in DIR/site, DIR/slides and DIR/instructor, each only if
it holds what the test checks: the book only if it was built with a JupyterHub address (``python3 tasks.py site
--jupyterhub https://hub.example.edu``; a plain ``tasks.py site`` has no JupyterHub button, so the test builds its
own book then), the slides and plans if lesson 04's are there; what is not reused is built here. It opens
every page in Chromium at 1280x900, the book served over http from a local server (Python's http.server, as
the book's index tells readers to serve it: search shows its excerpts only then) and its index, a lesson and the
search page from disk (file://) too, the slides and plans from disk; no network. It fails on:

- any failed request and any console error or uncaught exception;
- any image without alt text (or with a file name as its alt text), any id used twice on a page;
- any raw TeX (``\\(``, ``$$``, ``\\lambda``...) or raw Markdown table (``| a | b |`` over ``|---|``) in the text a
  reader sees (code blocks excepted);
- on the book's pages: a page that scrolls sideways at 1280 px, or a code block whose lines scroll sideways (they
  wrap); an exercise without its note on trying it without Jupyter, or a solution without the checker's
  explanation of why it is right; served search results without an excerpt;
- on the slides, at 1280x720 and at 1280x900: any slide whose content is taller than the screen and does not
  scroll (every slide is visited, the first one opened by its URL too), code or output in type smaller than 20 px,
  a paragraph taller than 8 lines, and a "The claim, checked" slide whose result (the check's output) is not on
  the first screen, with the claim;
- a plan that does not print on one page of A4 and of US Letter.

It also checks the features readers and instructors use (search finds a lesson, a solution opens, the launch menu
has Binder and JupyterHub, dark mode switches) and writes screenshots to outputs/screenshots/ (ignored by git):
book_index.png, book_lesson.png, book_lesson_dark.png, book_search.png (served, with excerpts),
book_search_file.png (from disk), book_solution.png, book_launch.png, book_code_wrap.png, slide_title.png,
slide_figure.png, slide_claim_720.png, plan.png.
"""

from __future__ import annotations

import functools
import http.server
import os
import re
import sys
import threading
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "build_tools"))
SCREENSHOTS = ROOT / "outputs" / "screenshots"
CHROMIUM = Path(os.environ.get("COURSE_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
HOW_TO_RUN = "install Chromium (`sudo apt-get install chromium` on Debian/Ubuntu), then run `python3 tasks.py browser`"
LESSONS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
SHOWN = "04_applying_l2_regularization"  # the lesson whose pages are photographed
HUB = "https://hub.example.edu"
VIEWPORT = {"width": 1280, "height": 900}
PROJECTOR = {"width": 1280, "height": 720}
MIN_CODE_PX = 20

pytestmark = pytest.mark.browser

# The text a reader sees: the page without code, scripts, styles and typeset math.
VISIBLE_TEXT_JS = """() => {
  const body = document.body.cloneNode(true);
  body.querySelectorAll('pre, code, script, style, mjx-container, .MathJax, .MathJax_Preview, aside.notes, '
    + 'noscript, template, .highlight').forEach(e => e.remove());
  return body.innerText;
}"""
DUPLICATE_IDS_JS = """() => {
  const seen = {}; const dup = new Set();
  document.querySelectorAll('[id]').forEach(e => { if (seen[e.id]) dup.add(e.id); seen[e.id] = true; });
  return [...dup];
}"""
IMAGES_WITHOUT_ALT_JS = """() => [...document.querySelectorAll('img')]
  .filter(i => !(i.getAttribute('alt') || '').trim() || /\\.(png|jpe?g|svg|gif)$/i.test(i.getAttribute('alt')))
  .map(i => (i.getAttribute('src') || '').slice(0, 80))"""
RAW_TEX = re.compile(r"\\\(|\\\)|\\\[|\\\]|\$\$|\$[^$\n]{0,80}\\[A-Za-z]+|\\(?:lambda|sum|frac|alpha|beta|sigma|mathrm|"
                     r"hat|sqrt|cdot|left|right|le|ge|times|text|mathbf|operatorname)\b")
RAW_TABLE = re.compile(r"^\s*\|[^\n]*\|\s*\n\s*\|?\s*:?-{3,}", re.M)


def _selected(config: pytest.Config) -> bool:
    expression = config.getoption("markexpr") or ""
    return "browser" in expression and "not browser" not in expression


def _missing_or_skip(reason: str) -> None:
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"CI=true and {reason}: the browser test must run in CI ({HOW_TO_RUN})", pytrace=False)
    pytest.skip(f"{reason}: to run the browser test, {HOW_TO_RUN}")


@pytest.fixture(scope="module")
def built(request, tmp_path_factory):
    """The book, the slides and the plans of every lesson, built into a temporary folder."""
    if not _selected(request.config):
        pytest.skip("the browser test runs on its own: `python3 tasks.py browser` (needs Chromium)")
    if not CHROMIUM.exists():
        _missing_or_skip(f"Chromium is not installed at {CHROMIUM}")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        _missing_or_skip("the Python package playwright is not installed (python3 tasks.py setup --dev)")
    import book
    import instructor
    import slides

    tmp = tmp_path_factory.mktemp("pages")
    given = Path(os.environ["COURSE_BROWSER_PAGES"]) if os.environ.get("COURSE_BROWSER_PAGES") else None
    started, reused = time.perf_counter(), []
    for part, ready, make in (
        ("site", lambda d: _has_hub(d / f"{SHOWN}.html"), lambda d: book.build(LESSONS, d, jupyterhub=HUB)),
        ("slides", lambda d: (d / f"{SHOWN}.slides.html").exists(), lambda d: slides.build(LESSONS, d)),
        ("instructor", lambda d: (d / f"{SHOWN}.plan.html").exists(),
         lambda d: instructor.build(LESSONS, d, execute=False, plans=True)),
    ):
        if given is not None and ready(given / part):
            (tmp / part).symlink_to((given / part).resolve(), target_is_directory=True)
            reused.append(part)
            continue
        sys.path.insert(0, str(ROOT))
        make(tmp / part)
    built_here = [part for part in ("site", "slides", "instructor") if part not in reused]
    print(f"[browser] reused {reused or 'nothing'} from COURSE_BROWSER_PAGES; built {built_here} in "
          f"{time.perf_counter() - started:.0f} s", flush=True)
    return tmp


def _has_hub(page: Path) -> bool:
    """Whether a built lesson page has the JupyterHub launch button (built with --jupyterhub): the test checks
    it, so a book built without one (a plain `tasks.py site`) is not reused."""
    return page.exists() and "/hub/user-redirect/git-pull?" in page.read_text(encoding="utf-8")


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:  # no access log in the test output
        pass


@pytest.fixture(scope="module")
def served(built):
    """The built pages over http from 127.0.0.1 (a free port), as `python -m http.server -d build/site` serves
    them: the base URL."""
    handler = functools.partial(_QuietHandler, directory=str(built))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def browser(built):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


class Watched:
    """A page with every failed request, console error and uncaught exception recorded."""

    def __init__(self, browser, local: str = "", viewport: dict | None = None, **options):
        self.context = browser.new_context(viewport=viewport or VIEWPORT, **options)
        self.page = self.context.new_page()
        self.problems: list[str] = []
        self.page.on("requestfailed", lambda r: self.problems.append(f"request failed: {r.url} ({r.failure})"))
        self.page.on("response", lambda r: r.status >= 400 and self.problems.append(f"HTTP {r.status}: {r.url}"))
        self.page.on("console", lambda m: m.type == "error" and self.problems.append(f"console error: {m.text}"))
        self.page.on("pageerror", lambda e: self.problems.append(f"uncaught exception: {e}"))
        # Nothing may come from the network: any http(s) request but to the local server (`local`) is a failure
        # of the offline build.
        self.page.route(re.compile(r"^https?://"), lambda route: route.continue_() if local and
                        route.request.url.startswith(local) else (
                            self.problems.append(f"network request: {route.request.url}"), route.abort()))

    def open(self, url: str, settle_ms: int = 600) -> None:
        self.page.goto(url, wait_until="load")
        self.page.wait_for_timeout(settle_ms)

    def check_content(self, what: str) -> list[str]:
        page, found = self.page, []
        dup = page.evaluate(DUPLICATE_IDS_JS)
        if dup:
            found.append(f"{what}: duplicate ids {dup[:5]}")
        no_alt = page.evaluate(IMAGES_WITHOUT_ALT_JS)
        if no_alt:
            found.append(f"{what}: images without alt text {no_alt[:3]}")
        text = page.evaluate(VISIBLE_TEXT_JS)
        tex = RAW_TEX.search(text)
        if tex:
            found.append(f"{what}: raw TeX {text[max(0, tex.start() - 40):tex.end() + 40]!r}")
        table = RAW_TABLE.search(text)
        if table:
            found.append(f"{what}: a raw Markdown table {table.group(0)[:80]!r}")
        return found

    def close(self) -> None:
        self.context.close()


def _wait_for_math(page) -> None:
    page.wait_for_function("() => !document.querySelector('span.math') || document.querySelector('mjx-container')",
                           timeout=20000)


SIDEWAYS_JS = """() => {
  const root = document.documentElement;
  const page = root.scrollWidth > root.clientWidth + 1 ? [`the page: ${root.scrollWidth} px wide`] : [];
  const code = [...document.querySelectorAll('article div.highlight pre')]
    .filter(p => p.offsetParent !== null && p.scrollWidth > p.clientWidth + 1)
    .map(p => p.innerText.split('\\n').sort((a, b) => b.length - a.length)[0].slice(0, 60));
  return [...page, ...code.map(c => `a code block scrolls sideways (${c}...)`)];
}"""


HANGING_JS = """() => {
  const found = [];
  document.querySelectorAll('article div.highlight pre').forEach(pre => {
    if (pre.offsetParent === null) return;
    const lines = pre.querySelectorAll('.course-line');
    if (!lines.length) { found.push('a code block without its lines marked for the hanging indent'); return; }
    const left = pre.getBoundingClientRect().left + parseFloat(getComputedStyle(pre).paddingLeft);
    const ch = (() => { const s = document.createElement('span'); s.textContent = '0'.repeat(10);
      pre.appendChild(s); const w = s.getBoundingClientRect().width / 10; s.remove(); return w; })();
    lines.forEach(line => {
      const range = document.createRange(); range.selectNodeContents(line);
      const rects = [...range.getClientRects()].filter(r => r.width > 0);
      const top = Math.min(...rects.map(r => r.top));
      const later = rects.filter(r => r.top > top + 2);
      if (!later.length) return;
      const indent = line.textContent.match(/^ */)[0].length;
      const at = (Math.min(...later.map(r => r.left)) - left) / ch;
      if (at < indent + 1) found.push(`a wrapped code line continues at column ${at.toFixed(0)}, left of its `
        + `indentation (${indent}): ${line.textContent.trim().slice(0, 50)}`);
    });
  });
  return found;
}"""


def test_book_pages(built, served, browser):
    """Every page of the book, served: offline, no error, alt text, unique ids, math typeset, no raw table, no
    sideways scrolling at 1280 px (code wraps), a note on trying each exercise and each solution's explanation."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    site = built / "site"
    watched = Watched(browser, local=served)
    problems = []
    for page_path in [site / "index.html", *[site / f"{p.stem}.html" for p in LESSONS]]:
        watched.open(f"{served}/site/{page_path.name}")
        _wait_for_math(watched.page)
        problems += watched.check_content(page_path.name)
        problems += [f"{page_path.name}: {found}" for found in watched.page.evaluate(SIDEWAYS_JS)]
        solutions = watched.page.locator("details.course-reveal", has_text="Solution").count()
        tries = watched.page.locator(".course-try").count()
        pointers = watched.page.locator(".course-try-pointer").count()
        whys = watched.page.locator("details.course-reveal p.course-why").count()
        if tries != min(solutions, 1) or pointers != max(solutions - 1, 0) or whys != solutions:
            problems.append(f"{page_path.name}: {solutions} solutions, {tries} notes on trying the exercise without "
                            f"Jupyter (want 1), {pointers} pointers to it (want one under each later exercise), "
                            f"{whys} explanations of why the solution is right")
        problems += [f"{page_path.name}: {found}" for found in watched.page.evaluate(HANGING_JS)]
        unlinked = watched.page.evaluate("() => [...document.querySelectorAll('div.cell_output img')]"
                                         ".filter(i => !i.closest('a.course-figure')).map(i => i.alt.slice(0, 40))")
        if unlinked:
            problems.append(f"{page_path.name}: figures that do not open at full size: {unlinked[:3]}")
        if solutions and "utils" not in watched.page.locator(".course-try").first.inner_text():
            problems.append(f"{page_path.name}: the note on trying an exercise does not say a download needs utils")
        if page_path.name == "index.html":
            watched.page.screenshot(path=str(SCREENSHOTS / "book_index.png"))
            lessons = watched.page.locator(".course-lessons dt a")
            assert lessons.count() == len(LESSONS), "the index lists every lesson"
            summaries = watched.page.locator(".course-lessons dd").all_inner_texts()
            assert all(s.strip().endswith((".", ".)")) for s in summaries), "a summary is cut mid-sentence"
            text = watched.page.inner_text("article")
            assert "python -m http.server -d build/site" in text and "python3 tasks.py lab" in text, \
                "the index says how to serve the book and how to run a downloaded lesson"
        if page_path.stem == SHOWN:
            page = watched.page
            assert page.locator(".bd-sidebar-primary a.reference").count() >= len(LESSONS), "table of contents"
            assert page.locator("nav.page-toc a.nav-link").count() >= 5, "in-page outline"
            assert page.locator("mjx-container").count() >= 1, "math typeset"
            width = page.evaluate("() => { const p = document.querySelector('article p'); const s = getComputedStyle(p);"
                                  " return p.getBoundingClientRect().width / parseFloat(s.fontSize); }")
            assert width <= 45, f"a paragraph is {width:.0f} em wide (more than about 90 characters a line)"
            page.screenshot(path=str(SCREENSHOTS / "book_lesson.png"))
            assert page.locator(f".dropdown-download-buttons a[href='_sources/{SHOWN}.ipynb']").count() == 1, \
                "the notebook download"
            assert (site / "_sources" / f"{SHOWN}.ipynb").read_bytes() == (ROOT / "notebooks" / f"{SHOWN}.ipynb")\
                .read_bytes(), "the download is the lesson as committed"
            launch = page.locator("a[href*='mybinder.org'], a[href*='hub.example.edu']")
            hrefs = [launch.nth(i).get_attribute("href") for i in range(launch.count())]
            assert any("mybinder.org/v2/gh/" in h for h in hrefs), hrefs
            assert any("/hub/user-redirect/git-pull?" in h for h in hrefs), f"JupyterHub (nbgitpuller): {hrefs}"
            page.locator(".dropdown-launch-buttons button").first.click()
            page.wait_for_timeout(300)
            page.screenshot(path=str(SCREENSHOTS / "book_launch.png"))
            page.keyboard.press("Escape")
            details = page.locator("details.course-reveal")
            assert details.count() >= 2, "hints and solutions under the exercises"
            solution = page.locator("details.course-reveal", has_text="Solution").first
            assert not solution.locator("pre").first.is_visible(), "a solution is hidden until opened"
            solution.locator("summary").click()
            assert solution.locator("pre").first.is_visible()
            assert solution.locator("p.course-why").first.is_visible(), "the solution's explanation shows with it"
            solution.scroll_into_view_if_needed()
            page.wait_for_timeout(200)
            page.screenshot(path=str(SCREENSHOTS / "book_solution.png"))
            wrapped = page.locator("article div.cell_input div.highlight pre").filter(
                has_text=re.compile(r"[^\n]{81,}")).first
            if wrapped.count():
                wrapped.scroll_into_view_if_needed()
                page.wait_for_timeout(100)
                page.screenshot(path=str(SCREENSHOTS / "book_code_wrap.png"))
    assert not watched.problems and not problems, "\n".join(watched.problems + problems)
    watched.close()


def test_book_from_disk(built, browser):
    """Opened from disk (file://), as readers may: the index, a lesson and search work with no failed request
    and no console error; search lists pages, without excerpts, and says how to serve the book for them."""
    site = built / "site"
    watched = Watched(browser)
    for page_path in (site / "index.html", site / f"{SHOWN}.html"):
        watched.open(page_path.as_uri())
        _wait_for_math(watched.page)
    watched.open((site / "search.html").as_uri() + "?q=dropout", settle_ms=300)
    watched.page.wait_for_selector("#search-results li a", timeout=20000)
    watched.page.wait_for_timeout(500)
    assert "python -m http.server -d build/site" in watched.page.inner_text(".course-search-note")
    watched.page.screenshot(path=str(SCREENSHOTS / "book_search_file.png"))
    assert not watched.problems, watched.problems
    watched.close()


def test_book_search_and_dark_mode(built, served, browser):
    site = built / "site"
    dark = Watched(browser, color_scheme="dark")
    dark.open((site / f"{SHOWN}.html").as_uri())
    assert dark.page.evaluate("document.documentElement.dataset.theme") == "dark", "dark mode follows the system"
    background = dark.page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert background != "rgb(255, 255, 255)", background
    dark.page.screenshot(path=str(SCREENSHOTS / "book_lesson_dark.png"))
    assert not dark.problems, dark.problems
    dark.close()
    search = Watched(browser, local=served)
    search.open(f"{served}/site/search.html?q=dropout", settle_ms=300)
    search.page.wait_for_selector("#search-results li a", timeout=20000)
    found = search.page.locator("#search-results li a").all_inner_texts()
    assert any("ropout" in text for text in found), found
    search.page.wait_for_selector("#search-results li p.context", timeout=20000)
    excerpts = search.page.locator("#search-results li p.context").all_inner_texts()
    assert any("dropout" in text.lower() for text in excerpts), f"served search shows excerpts: {excerpts[:3]}"
    assert not any("System Settings" in text for text in excerpts), f"the header's buttons in excerpts: {excerpts[:2]}"
    assert search.page.locator(".course-search-note").count() == 0, "the file:// note only from disk"
    search.page.screenshot(path=str(SCREENSHOTS / "book_search.png"))
    assert not search.problems, search.problems
    search.close()


SLIDE_CHECK_JS = """() => {
  const slide = Reveal.getCurrentSlide();
  const style = getComputedStyle(slide);
  const overflow = slide.scrollHeight > slide.clientHeight + 2 && !['auto', 'scroll'].includes(style.overflowY);
  const taller = slide.getBoundingClientRect().height > window.innerHeight + 2;
  const small = [...slide.querySelectorAll('pre')].filter(p => p.offsetParent !== null)
    .map(p => parseFloat(getComputedStyle(p).fontSize)).filter(px => px < MIN_PX);
  const text = slide.innerText.trim();
  const tall = [...slide.querySelectorAll('p')].filter(p => p.offsetParent !== null)
    .map(p => p.getBoundingClientRect().height / parseFloat(getComputedStyle(p).lineHeight))
    .filter(lines => lines > MAX_LINES);
  let claimResult = null;
  if (/^The claim, checked/i.test(text)) {
    const outputs = [...slide.querySelectorAll('.jp-OutputArea-output')].filter(o => o.offsetParent !== null);
    const bottom = outputs.length ? Math.max(...outputs.map(o => o.getBoundingClientRect().bottom)) : Infinity;
    claimResult = {shown: outputs.length > 0, bottom, height: window.innerHeight, scrolled: slide.scrollTop};
  }
  return {overflow, taller, small, tall, claimResult, empty: text.length === 0 && !slide.querySelector('img'),
          text: text.slice(0, 60)};
}""".replace("MIN_PX", str(MIN_CODE_PX)).replace("MAX_LINES", "8")


@pytest.mark.parametrize("viewport", [PROJECTOR, VIEWPORT], ids=["1280x720", "1280x900"])
def test_slides(built, browser, viewport):
    """Every slide of every deck, on a 1280x720 projector and at 1280x900: fits or scrolls (the first too), 20 px
    code, no paragraph over 8 lines, each claim with its result on one screen, no dead slide, notes present."""
    slides_dir = built / "slides"
    watched = Watched(browser, viewport=viewport)
    problems = []
    claim_shot = False
    for lesson in LESSONS:
        deck = slides_dir / f"{lesson.stem}.slides.html"
        watched.open(deck.as_uri(), settle_ms=800)
        watched.page.wait_for_function("() => window.Reveal && Reveal.isReady()", timeout=20000)
        problems += watched.check_content(deck.name)
        notes = watched.page.locator("aside.notes").count()
        if notes == 0:
            problems.append(f"{deck.name}: no speaker notes")
        indices = watched.page.evaluate("() => Reveal.getSlides().map(s => Reveal.getIndices(s))")
        for number, where in enumerate(indices):
            watched.page.evaluate(f"() => Reveal.slide({where['h']}, {where.get('v') or 0})")
            watched.page.wait_for_timeout(60)
            state = watched.page.evaluate(SLIDE_CHECK_JS)
            label = f"{deck.name} slide {number + 1} ({state['text']!r})"
            if state["overflow"] or state["taller"]:
                problems.append(f"{label}: taller than the screen and does not scroll")
            if state["small"]:
                problems.append(f"{label}: code or output in {min(state['small']):.0f} px type")
            if state["empty"]:
                problems.append(f"{label}: an empty slide")
            if state["tall"]:
                problems.append(f"{label}: a paragraph of {max(state['tall']):.0f} lines")
            claim = state["claimResult"]
            if claim is not None and (not claim["shown"] or claim["bottom"] > claim["height"] + 1):
                where = f"it ends at {claim['bottom']:.0f} px" if claim["shown"] else "no output"
                problems.append(f"{label}: the claim's result is not on its first screen ({where})")
            if claim is not None and viewport is PROJECTOR and lesson.stem == SHOWN and not claim_shot:
                watched.page.screenshot(path=str(SCREENSHOTS / "slide_claim_720.png"))
                claim_shot = True
            for dead in ("Not attempted yet", "Run this cell in JupyterLab"):
                if dead in state["text"]:
                    problems.append(f"{label}: a dead slide ({dead})")
        if lesson.stem == SHOWN and viewport is VIEWPORT:
            watched.open(deck.as_uri() + "#/0", settle_ms=800)
            watched.page.screenshot(path=str(SCREENSHOTS / "slide_title.png"))
            title = watched.page.evaluate("() => Reveal.getCurrentSlide().innerText")
            assert "Objectives" in title and "Time" in title, title[:200]
            assert len(title.split()) < 150, f"the title slide holds {len(title.split())} words"
            shown_code = watched.page.evaluate(
                "() => [...document.querySelectorAll('.jp-Cell')].filter(c => c.querySelector('img'))"
                ".filter(c => c.querySelector('.jp-InputArea .highlight')).length")
            assert shown_code == 0, f"{shown_code} figures show their plotting code on the slide"
            figure = watched.page.evaluate("() => Reveal.getSlides().findIndex(s => s.querySelector('img'))")
            assert figure >= 0, "no figure on the slides"
            where = watched.page.evaluate(f"() => Reveal.getIndices(Reveal.getSlides()[{figure}])")
            watched.page.evaluate(f"() => Reveal.slide({where['h']}, {where.get('v') or 0})")
            watched.page.wait_for_timeout(300)
            watched.page.screenshot(path=str(SCREENSHOTS / "slide_figure.png"))
            used = watched.page.evaluate("() => { const s = Reveal.getCurrentSlide(); const i = s.querySelector('img');"
                                         " const r = i.getBoundingClientRect(); return [r.width / s.clientWidth,"
                                         " r.height / window.innerHeight]; }")
            assert used[0] >= 0.8 or used[1] >= 0.5, f"a figure uses {used[0]:.0%} of the slide's width and " \
                f"{used[1]:.0%} of its height: enlarge it for the projector"
    assert not watched.problems and not problems, "\n".join(watched.problems + problems)
    watched.close()


def _pages_of(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page(?!s)", pdf))


def test_plans_print_on_one_page(built, browser):
    plans = built / "instructor"
    watched = Watched(browser)
    problems = []
    for page_path in [plans / "index.html", *[plans / f"{p.stem}.plan.html" for p in LESSONS]]:
        watched.open(page_path.as_uri(), settle_ms=100)
        problems += watched.check_content(page_path.name)
        if page_path.name.endswith(".plan.html"):
            for paper in ("A4", "Letter"):
                pages = _pages_of(watched.page.pdf(format=paper, print_background=True))
                if pages != 1:
                    problems.append(f"{page_path.name}: prints on {pages} pages of {paper}")
        if page_path.name == f"{SHOWN}.plan.html":
            watched.page.screenshot(path=str(SCREENSHOTS / "plan.png"), full_page=True)
    assert not watched.problems and not problems, "\n".join(watched.problems + problems)
    watched.close()
