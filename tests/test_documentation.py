"""The documentation runs as written: every Python block of README.md and docs/*.md, in order, in
one namespace per page, and a block written as a doctest (>>> lines) shows what it prints.

Sybil reads the pages (Markdown and MyST alike); each page is one test, so that its blocks run in
order on one worker of ``pytest -n``. A block that needs what the page's reader already has
(data, parameters) gets it from an invisible block before it
(``<!-- invisible-code-block: python ... -->``, which the site does not show). The pages run
in the configuration a user has: JAX's standard dtype promotion, not the tests' strict one.
Shell blocks are not run here (docs/development.md says which CI runs); the getting-started
notebook is executed by the docs build. CI's run against the installed wheel has no pages.
"""

import doctest
import pathlib

import jax
import pytest
from sybil import Sybil
from sybil.parsers.markdown import PythonCodeBlockParser, SkipParser

ROOT = pathlib.Path(__file__).parent.parent
PAGES = [
  page for page in [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))] if page.exists()
]
SYBIL = Sybil(
  parsers=[
    PythonCodeBlockParser(doctest_optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE),
    SkipParser(),
  ]
)


# Ids as strings: pytest 7.4 calls an ids function even for an empty parameter set (no pages).
@pytest.mark.parametrize("page", PAGES, ids=[page.relative_to(ROOT).as_posix() for page in PAGES])
def test_every_python_block_runs_and_shows_what_it_prints(page):
  document = SYBIL.parse(page)
  x64 = jax.config.jax_enable_x64
  try:
    with jax.numpy_dtype_promotion("standard"):
      for example in document:
        example.evaluate()
  finally:
    jax.config.update("jax_enable_x64", x64)  # A page may turn 64-bit mode on.
