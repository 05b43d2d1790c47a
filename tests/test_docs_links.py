"""The documentation build's link check (docs/_ext/jacts_links.py) finds every broken internal
link and #anchor of a built site, and nothing else."""

import importlib.util
import pathlib

import pytest

EXTENSION = pathlib.Path(__file__).parent.parent / "docs" / "_ext" / "jacts_links.py"


@pytest.fixture(scope="module")
def links():
  if not EXTENSION.exists():
    pytest.skip("no docs/ beside the tests (CI's run against the installed wheel)")
  spec = importlib.util.spec_from_file_location("jacts_links", EXTENSION)
  module = importlib.util.module_from_spec(spec)
  spec.loader.exec_module(module)
  return module


def test_a_broken_anchor_page_or_escape_is_reported_and_nothing_else(links, tmp_path):
  (tmp_path / "api").mkdir()
  (tmp_path / "_static").mkdir()
  (tmp_path / "_static" / "style.css").write_text("")
  (tmp_path / "api" / "index.html").write_text(
    '<h1 id="top">API</h1><a name="old-style"></a>'
    '<a href="#top">self</a><a href="#old-style">old</a><a href="../index.html#intro">up</a>'
    '<a href="../index.html#missing">bad anchor</a><a href="../../outside.html">escape</a>'
  )
  (tmp_path / "index.html").write_text(
    '<section id="intro"></section><a href="api/">folder</a><a href="api/index.html#top">ok</a>'
    '<a href="api/gone.html">no page</a><a href="_static/style.css">file</a>'
    '<a href="https://example.org/x">external</a><a href="mailto:someone@example.org">mail</a>'
  )
  broken, external = links.broken_links(tmp_path)
  assert broken == [
    "api/index.html: link to ../index.html#missing: index.html has no anchor #missing",
    "api/index.html: link to ../../outside.html: outside the site",
    "index.html: link to api/gone.html: no page api/gone.html",
  ]
  assert external == {"https://example.org/x": {"index.html"}}
