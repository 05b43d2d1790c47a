"""Sphinx extension: every internal link of the built site resolves, anchors included.

Sphinx checks its own cross-references (``-n``), not the ``href`` of a raw link, a Markdown
``[text](page.md#anchor)`` or a page that an extension writes (viewcode's source pages). After an
HTML build this reads every page, and warns (an error under ``-W``) for each link to a page of
the site that does not exist or to an ``#anchor`` that page does not define. External links are
not fetched (the build has no network): they are listed in ``external-links.txt`` in the output
folder, with the pages that use them.
"""

import collections
import html.parser
import pathlib
import posixpath
import urllib.parse


class _Page(html.parser.HTMLParser):
  """A page's ids (and old-style ``<a name>``s) and the hrefs of its links."""

  def __init__(self):
    super().__init__()
    self.anchors: set[str] = set()
    self.links: list[str] = []

  def handle_starttag(self, tag, attrs):
    values = dict(attrs)
    for key in ("id", "name") if tag == "a" else ("id",):
      if values.get(key):
        self.anchors.add(values[key])
    if tag == "a" and values.get("href"):
      self.links.append(values["href"])


def _read(path: pathlib.Path) -> _Page:
  page = _Page()
  page.feed(path.read_text(encoding="utf-8"))
  return page


def broken_links(outdir: pathlib.Path) -> tuple[list[str], dict[str, set[str]]]:
  """(one message per broken internal link, {external URL: pages that link to it})."""
  pages = {path.relative_to(outdir).as_posix(): _read(path) for path in outdir.rglob("*.html")}
  broken, external = [], collections.defaultdict(set)
  for name, page in sorted(pages.items()):
    for href in page.links:
      url = urllib.parse.urlsplit(href)
      if url.scheme or url.netloc:
        if url.scheme in ("http", "https"):
          external[href].add(name)
        continue
      path = urllib.parse.unquote(url.path)
      if path.endswith("/"):
        path += "index.html"
      target = posixpath.normpath(posixpath.join(posixpath.dirname(name), path)) if path else name
      if target.startswith("../"):
        broken.append(f"{name}: link to {href}: outside the site")
      elif target not in pages:
        if not target.endswith(".html") and (outdir / target).is_file():
          continue  # A downloadable file, an image, a stylesheet.
        broken.append(f"{name}: link to {href}: no page {target}")
      elif url.fragment and urllib.parse.unquote(url.fragment) not in pages[target].anchors:
        broken.append(f"{name}: link to {href}: {target} has no anchor #{url.fragment}")
  return broken, external


def check_links(app, exception) -> None:
  """After an HTML build: a warning per broken internal link, and external-links.txt."""
  from sphinx.util import logging  # Here, so that the tests read broken_links without Sphinx.

  logger = logging.getLogger(__name__)
  if exception is not None or app.builder.format != "html":
    return
  outdir = pathlib.Path(app.outdir)
  broken, external = broken_links(outdir)
  for message in broken:
    logger.warning(message, type="jacts", subtype="link")
  listing = "".join(f"{url}  ({', '.join(sorted(on))})\n" for url, on in sorted(external.items()))
  (outdir / "external-links.txt").write_text(listing, encoding="utf-8")
  logger.info(f"links: {len(broken)} broken internal; {len(external)} external, not fetched, "
              f"listed in {outdir / 'external-links.txt'}")  # fmt: skip


def setup(app):
  app.connect("build-finished", check_links)
  return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
