"""Sphinx extension of the jacts site: what is made at build time, from the code itself.

* ``docs/api/``: the API reference's pages, one per public module, written from ``jacts.__all__``
  and the package's public modules (every ``jacts/<name>.py`` not starting with ``_``, except
  the command line), so a new public function or module appears without editing the docs.
  Activations (the names in ``jacts.naive.__all__``, one per rule of the table) are listed first,
  in the table's order.
* ``docs/_generated/``: ``jacts check``'s output, made by ``jacts_figures.py`` with the command
  line; remade only when the package's sources or ``jacts_figures.py`` change. (The
  getting-started page is a notebook that myst-nb executes at every build.)
* ``{jacts-help}``: a directive that shows what ``jacts --help`` and ``jacts <command> --help``
  print for every command (run in this process: the help is the command line's own).

Both folders are ignored by git (``docs/.gitignore``).
"""

import contextlib
import functools
import hashlib
import importlib
import io
import os
import pathlib
import pkgutil
import re
import sys
import types

from docutils import nodes
from docutils.parsers.rst import Directive

DOCS = pathlib.Path(__file__).resolve().parent.parent
GENERATED = DOCS / "_generated"
API = DOCS / "api"
# Modules shown in this order when present; any other public module follows, by name.
_MODULE_ORDER = ("shallow", "multilayer", "parallel", "models", "datasets", "naive", "plotting")
_NOT_API = {"cli", "__main__"}  # The command line has its own page.


def _write_if_changed(path: pathlib.Path, text: str) -> None:
  """Writes ``text`` unless the file already holds it (so Sphinx does not reread the page)."""
  if not path.exists() or path.read_text(encoding="utf-8") != text:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def public_modules() -> list[str]:
  """The public submodules of jacts: those in ``jacts.__all__`` and every public file."""
  import jacts

  named = {n for n in jacts.__all__ if isinstance(getattr(jacts, n), types.ModuleType)}
  found = {m.name for m in pkgutil.iter_modules(jacts.__path__) if not m.name.startswith("_")}
  names = (named | found) - _NOT_API
  rank = {name: i for i, name in enumerate(_MODULE_ORDER)}
  return sorted(names, key=lambda n: (rank.get(n, len(rank)), n))


def _heading(title: str, mark: str = "=") -> str:
  return f"{title}\n{mark * len(title)}\n"


def write_api_pages(app) -> None:
  """docs/api/index.rst (the package's functions) and docs/api/<module>.rst, from the code."""
  import jacts
  import jacts.naive

  names = [n for n in jacts.__all__ if not isinstance(getattr(jacts, n), types.ModuleType)]
  activations = [n for n in jacts.naive.__all__ if n in names]
  others = [n for n in names if n not in activations]
  modules = public_modules()

  def functions(title: str, members: list[str]) -> str:
    if not members:
      return ""
    table = "".join(f"   {n}\n" for n in members)
    entries = "".join(f".. autofunction:: {n}\n\n" for n in members)
    return f"{_heading(title, '-')}\n.. autosummary::\n   :nosignatures:\n\n{table}\n{entries}"

  index = (
    ".. This page is written by docs/_ext/jacts_docs.py at every build; do not edit.\n\n"
    + _heading("API reference")
    + "\nGenerated from the docstrings: everything in ``jacts.__all__`` and every public module."
    "\nThe activations below are the rule table's, in its order; each one's forward-mode twin is"
    " :func:`jacts.forward_mode` of it, and its naive formula is in :mod:`jacts.naive`.\n\n"
    ".. module:: jacts\n\n"
    + functions("Activations", activations)
    + functions("Derivatives and forward mode", others)
    + _heading("Modules", "-")
    + "\n.. toctree::\n   :maxdepth: 1\n\n"
    + "".join(f"   jacts.{m} <{m}>\n" for m in modules)
  )
  _write_if_changed(API / "index.rst", index)
  # Where each function and class is documented: an object a later module re-exports (such as
  # jacts.multilayer's TrainingDivergedWarning) is listed there as that entry, not documented
  # twice (its docstring's short references name its first module's functions).
  home = {id(getattr(jacts, n)): f"jacts.{n}" for n in names}
  for name in modules:
    module = importlib.import_module(f"jacts.{name}")
    options, aliases = "   :members:\n", []
    exported = getattr(module, "__all__", None)
    if exported is not None:  # Exactly what the module exports, documented or not.
      options += "   :undoc-members:\n"
      for member in exported:
        obj = getattr(module, member)
        if not isinstance(obj, (type, types.FunctionType)):
          continue
        if id(obj) in home:
          aliases.append((member, home[id(obj)], obj))
          _RE_EXPORTS.add((f"jacts.{name}", member))
        else:
          home[id(obj)] = f"jacts.{name}.{member}"
    data = "".join(
      f"\n.. autodata:: jacts.{name}.{constant}\n" + ("" if short else "   :no-value:\n")
      for constant, short in _undocumented_data(module)
    )
    if aliases:
      options += f"   :exclude-members: {', '.join(a for a, _, _ in aliases)}\n"
    also = "".join(
      f"\n.. py:{'class' if isinstance(obj, type) else 'function'}:: {member}\n\n"
      f"   The same object as :{'class' if isinstance(obj, type) else 'func'}:`{target}`.\n"
      for member, target, obj in aliases
    )
    page = (
      ".. This page is written by docs/_ext/jacts_docs.py at every build; do not edit.\n\n"
      + _heading(f"jacts.{name}")
      + f"\n.. automodule:: jacts.{name}\n{options}{data}"
      + (f"\n{_heading('Also exported here', '-')}{also}" if also else "")
    )
    _write_if_changed(API / f"{name}.rst", page)
  for stale in API.glob("*.rst"):  # A module that was removed or renamed.
    if stale.stem != "index" and stale.stem not in modules:
      stale.unlink()


_RE_EXPORTS: set[tuple[str, str]] = set()
"""(module, name) of each "Also exported here" entry, filled in by write_api_pages."""


def source_of_re_export(app, modname, fullname):
  """viewcode's 'Documentation' link back from an object's source goes to its one documented
  entry: viewcode keeps one page per object, and one module prefix for every object of a source
  module, so a second entry (a re-export) would join the prefix of one page to the other's page.
  Returning the re-exporting module, whose source does not define the object, gives it no link."""
  del app
  return modname if (modname, fullname) in _RE_EXPORTS else None


def _undocumented_data(module) -> list[tuple[str, bool]]:
  """Constants automodule leaves out, having no ``#:`` comment or docstring of their own: those in
  the module's ``__all__`` and those its docstrings name (``:data:`NAME```). Each comes with
  whether its value is short enough to show."""
  from sphinx.pycode import ModuleAnalyzer

  documented = {name for _, name in ModuleAnalyzer.for_module(module.__name__).find_attr_docs()}
  texts = [module.__doc__ or ""] + [getattr(v, "__doc__", None) or "" for v in vars(module).values()
                                    if isinstance(v, (type, types.FunctionType))]  # fmt: skip
  named = [*getattr(module, "__all__", ())]
  named += [n for text in texts for n in re.findall(r":data:`~?([A-Za-z_][A-Za-z0-9_]*)`", text)]
  constants = []
  for name in dict.fromkeys(named):
    value = getattr(module, name, None)
    if name in documented or value is None or (callable(value) and not _is_alias(value)):
      continue
    if isinstance(value, types.ModuleType):
      continue
    constants.append((name, len(repr(value)) <= 80))
  return constants


def _is_alias(value) -> bool:
  """A typing alias such as ``Literal["manual", "autodiff"]`` (callable, yet a constant)."""
  return type(value).__module__ == "typing"


# Text that reStructuredText reads literally, where a bar is not markup: inline literals, roles.
_LITERAL = re.compile(r"(``.+?``|:[A-Za-z:+-]+:`[^`]*`|`[^`]*`_{0,2})")


def escape_bars(app, what, name, obj, options, lines):
  """Shows a plain-text ``|z|`` in a docstring as written.

  reStructuredText reads ``|z|`` as a substitution reference and fails; plain-text absolute
  values are common in these docstrings (they are read by ``help()`` too). Bars in running text
  are escaped; math (``.. math::`` blocks, ``:math:`` roles), literals, literal blocks, doctests
  and table rows are left alone.
  """
  block = None  # The indent of the line that opened a literal or math block being skipped.
  doctest = False
  for i, line in enumerate(lines):
    stripped = line.lstrip()
    indent = len(line) - len(stripped)
    if block is not None:
      if not stripped or indent > block:
        continue
      block = None
    if doctest:
      if stripped:
        continue
      doctest = False
    if stripped.startswith(">>>"):
      doctest = True
      continue
    if stripped.startswith(("|", "+")) and stripped.rstrip().endswith(("|", "+")):
      continue  # A grid table's row or border.
    if stripped.startswith(".. ") or line.rstrip().endswith("::"):
      block = indent  # A directive's body (math, code) or a literal block follows.
      if stripped.startswith(".. "):
        continue
    if "|" in line:
      parts = _LITERAL.split(line)
      lines[i] = "".join(
        part if k % 2 else re.sub(r"(?<!\\)\|", r"\\|", part) for k, part in enumerate(parts)
      )


def skip_field_aliases(app, what, name, obj, skip, options):
  """Leaves out a NamedTuple's "Alias for field number N" entries: the class's signature already
  lists its fields (a field documented by a ``#:`` comment of its own is kept)."""
  if re.fullmatch(r"Alias for field number \d+", getattr(obj, "__doc__", None) or ""):
    return True
  return None


def shorten_aliases(app, what, name, obj, options, signature, return_annotation):
  """Writes long type aliases (jax's ArrayLike, optax's OptState) by name in signatures."""
  if signature is None:
    return None
  for expanded, short in _aliases():
    signature = signature.replace(expanded, short)
    if return_annotation:
      return_annotation = return_annotation.replace(expanded, short)
  return signature, return_annotation


@functools.cache
def _aliases() -> list[tuple[str, str]]:
  import jax.typing
  import optax
  from sphinx.util.typing import stringify_annotation

  known = [(optax.OptState, "~optax.OptState"), (jax.typing.ArrayLike, "~jax.typing.ArrayLike")]
  return [
    (stringify_annotation(alias, mode), short)
    for alias, short in known  # OptState first: it extends ArrayLike.
    for mode in ("smart", "fully-qualified-except-typing")
  ]


def _sources_digest() -> str:
  """A digest of everything the generated figures depend on."""
  import jax

  import jacts

  digest = hashlib.sha256(f"{jax.__version__} {sys.version}".encode())
  package = pathlib.Path(jacts.__file__).parent
  figures = pathlib.Path(__file__).parent / "jacts_figures.py"
  named = [(p.relative_to(package).as_posix(), p) for p in sorted(package.rglob("*.py"))]
  for name, path in [*named, ("jacts_figures.py", figures)]:
    digest.update(name.encode() + path.read_bytes())
  return digest.hexdigest()


def make_figures(app) -> None:
  """Runs jacts_figures.py into docs/_generated/ unless its outputs are there for these sources."""
  import jacts_figures as figures

  stamp = GENERATED / "stamp"
  digest = _sources_digest()
  expected = [GENERATED / name for name in figures.OUTPUTS]
  if stamp.exists() and stamp.read_text() == digest and all(p.exists() for p in expected):
    return
  GENERATED.mkdir(exist_ok=True)
  stamp.unlink(missing_ok=True)
  figures.make_all(GENERATED)
  missing = [p.name for p in expected if not p.exists()]
  if missing:
    raise RuntimeError(f"docs/_ext/jacts_figures.py did not write {missing}")
  stamp.write_text(digest)


def prepare(app) -> None:
  write_api_pages(app)
  make_figures(app)


def api_always_outdated(app, env, added, changed, removed):
  """The API pages' text rarely changes, but the docstrings they pull in do: reread them."""
  return [doc for doc in env.found_docs if doc.startswith("api/")]


class JactsHelp(Directive):
  """``jacts-help``: what ``jacts --help`` prints, then ``jacts <command> --help`` for every
  command it lists, each as a literal block; new commands appear by themselves."""

  has_content = False

  def run(self):
    overview = _help(["--help"])
    found = re.search(r"\{([a-z0-9_,-]+)\}", overview)  # usage: jacts ... {train,check,...} ...
    if not found:
      raise self.error("jacts --help lists no commands in braces")
    blocks = []
    for arguments in [[], *([command] for command in found.group(1).split(","))]:
      text = overview if not arguments else _help([*arguments, "--help"])
      block = nodes.literal_block(text="", classes=["jacts-help"])
      block += nodes.Text(" ".join(["$ jacts", *arguments, "--help"]) + "\n" + text.rstrip())
      block["language"] = "text"
      blocks.append(block)
    return blocks


def _help(arguments: list[str]) -> str:
  """``jacts <arguments>`` with --help, run in this process at a fixed width."""
  from jacts import cli

  out = io.StringIO()
  previous = os.environ.get("COLUMNS")
  os.environ["COLUMNS"] = "100"
  try:
    with contextlib.redirect_stdout(out), contextlib.suppress(SystemExit):
      cli.main(arguments)
  finally:
    if previous is None:
      del os.environ["COLUMNS"]
    else:
      os.environ["COLUMNS"] = previous
  return out.getvalue()


def setup(app):
  app.connect("builder-inited", prepare)
  app.connect("env-get-outdated", api_always_outdated)
  app.connect("autodoc-process-signature", shorten_aliases)
  app.connect("autodoc-process-docstring", escape_bars)
  app.connect("autodoc-skip-member", skip_field_aliases)
  app.connect("viewcode-follow-imported", source_of_re_export)
  app.add_directive("jacts-help", JactsHelp)
  return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
