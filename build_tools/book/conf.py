"""Sphinx configuration of the course book (build_tools/book.py writes the sources and runs Sphinx with it).

Sphinx + sphinx-book-theme + myst-nb: the toolchain Jupyter Book 1 is built on. The notebooks are rendered as
committed (nb_execution_mode = "off"), MathJax is a local copy (no CDN), and the settings that depend on the
repository (its address, Binder, a JupyterHub) come from build_tools/book.py through COURSE_BOOK_* variables.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

project = "Regularization for deep learning"
author = "The course's contributors"
copyright = "the course's contributors, MIT licence"  # Sphinx's setting name
extensions = ["myst_nb", "course_book"]
root_doc = "index"
exclude_patterns = ["_build", "_static", "**.ipynb_checkpoints"]
language = "en"

nb_execution_mode = "off"  # the committed outputs are what readers see; nothing runs here
nb_merge_streams = True
nb_output_stderr = "remove"
myst_enable_extensions = ["dollarmath", "amsmath", "colon_fence", "deflist", "html_image"]
myst_heading_anchors = 3
suppress_warnings = ["mystnb.unknown_mime_type"]

# MathJax 3.2.2 from the npm package pinned in build_tools/web/ (copied into _static/mathjax/): no CDN.
mathjax_path = "mathjax/es5/tex-chtml.js"
mathjax3_config = {"options": {"enableMenu": False}}

html_theme = "sphinx_book_theme"
html_title = "Regularization for deep learning"
html_static_path = [os.environ.get("COURSE_BOOK_STATIC", "_static")]  # absolute: the sources' _static/
html_css_files = ["course.css"]
html_last_updated_fmt = None
html_copy_source = True
# Search results show an excerpt of each page, fetched from the page itself: that works when the book is served
# (python -m http.server -d build/site), never from file://, where browsers refuse fetch(). course.js turns the
# excerpts off there (no failed request) and says on the search page how to serve the book.
html_show_search_summary = True
html_js_files = ["course.js"]
html_show_sourcelink = False
html_baseurl = ""

# The repository and Binder come from one setting, [project.urls] in pyproject.toml (build_tools/book.py passes
# them as COURSE_BOOK_*; run by hand, Sphinx reads them from there too): no address is written here.
if "COURSE_BOOK_REPOSITORY" not in os.environ:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    import book as _book
    import links as _links

    os.environ.update(_book.binder_settings(_links.project_urls()))
_repository = os.environ["COURSE_BOOK_REPOSITORY"]
_branch = os.environ["COURSE_BOOK_BRANCH"]
_launch = {"notebook_interface": "jupyterlab", "binderhub_url": os.environ["COURSE_BOOK_BINDERHUB"]}
if os.environ.get("COURSE_BOOK_JUPYTERHUB"):
    _launch["jupyterhub_url"] = os.environ["COURSE_BOOK_JUPYTERHUB"]

html_theme_options = {
    "repository_url": _repository,
    "repository_branch": _branch,
    "path_to_docs": "notebooks",
    "use_download_button": True,
    "use_fullscreen_button": False,
    "use_repository_button": True,
    "use_source_button": False,
    "use_issues_button": False,
    "launch_buttons": _launch,
    "show_toc_level": 2,
    "home_page_in_toc": True,
    "navigation_with_keys": False,
    "article_header_end": ["article-header-buttons"],
    # no icon links: pydata's would fetch nothing, but keep the header to what a reader uses
    "icon_links": [],
}
html_context = {"default_mode": "auto"}  # follows the reader's system setting; the header's button switches it
