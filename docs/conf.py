"""Sphinx configuration of the jacts documentation site.

Build (strict, as CI does):  sphinx-build -W --keep-going -n -b html docs docs/_build/html
Build and serve:             sphinx-autobuild docs docs/_build/html --watch jacts

Sphinx reads the docstrings as they are written, Google style with reStructuredText inside
(``.. math::`` blocks, :math: roles, :func: cross-references, tables), through napoleon, and
MathJax renders the math. The pages are Markdown (MyST). Figures, the planar run's output,
`jacts check`'s output, the command line's help and the API reference's pages are made at build
time by ``docs/_ext/jacts_docs.py`` into ``docs/_generated/`` and ``docs/api/``, which git ignores.
"""

import pathlib
import sys

sys.path.insert(0, str(pathlib.Path(__file__).parent / "_ext"))

import jacts

project = "jacts"
author = "the jacts authors"
copyright = "the jacts authors; Apache-2.0"
version = release = jacts.__version__

extensions = [
  "sphinx.ext.autodoc",
  "sphinx.ext.autosummary",
  "sphinx.ext.napoleon",
  "sphinx.ext.mathjax",
  "sphinx.ext.viewcode",
  "myst_nb",  # MyST Markdown, and the notebooks among the pages, executed at every build
  "jacts_docs",
  "jacts_links",
]

root_doc = "index"
source_suffix = {".md": "myst-nb", ".rst": "restructuredtext"}
exclude_patterns = ["_build", "_generated"]

# Strict builds (-W -n) fail on any warning and any unresolved cross-reference. References into
# other projects' APIs (jax, numpy, optax, matplotlib, the standard library) are not linked:
# no intersphinx, so the build needs no network.
nitpicky = True
nitpick_ignore_regex = [
  (r"py:.*", r"(jax|jaxlib|numpy|np|optax|matplotlib|collections|typing|types|os|pathlib)(\..*)?"),
  (r"py:.*", r"(ArrayLike|Array|Mesh|NamedSharding|Callable|Mapping|Real|GradientTransformation)"),
  (r"py:.*", r"(Literal|NamedTuple|PathLike|Figure|Axes)"),
]

# The docstrings: Google sections, reST body.
napoleon_google_docstring = True
napoleon_numpy_docstring = False
napoleon_use_rtype = False
autodoc_member_order = "bysource"
autodoc_typehints = "signature"
autodoc_typehints_format = "short"
autodoc_preserve_defaults = False  # Show the values (1.0), not the names
autodoc_default_options = {"members": True, "show-inheritance": False}
autosummary_generate = False  # The API pages are written by jacts_docs, from jacts.__all__.
add_module_names = False

# Markdown pages.
myst_enable_extensions = ["dollarmath", "amsmath", "colon_fence", "deflist"]
myst_heading_anchors = 3
# A notebook page (getting-started.md) runs at every build; an error in a cell fails the build.
nb_execution_mode = "force"
nb_execution_raise_on_error = True
nb_execution_show_tb = True
nb_execution_timeout = 600

html_theme = "furo"
html_title = f"jacts {release}"
html_theme_options = {"navigation_with_keys": True}
pygments_style = "friendly"
