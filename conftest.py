"""Test-wide JAX settings, as the project's standard asks: silent rank broadcasting and implicit
dtype promotion (float32 with float64, say) are errors, in the library as in the tests.

The documentation is executed here too: every ```python block of README.md and docs/*.md runs,
in one namespace per page, and a block written as a doctest (>>> lines) has its shown output
checked. A block that needs what its reader has already (data, parameters) gets it from an
invisible block before it (``<!-- invisible-code-block: python -->``). Shell blocks are not run
here: docs/development.md says which CI runs, and why the others are not.
"""

import doctest
import os
import sys

import jax
from sybil import Sybil
from sybil.parsers.markdown import PythonCodeBlockParser, SkipParser

jax.config.update("jax_numpy_rank_promotion", "raise")
jax.config.update("jax_numpy_dtype_promotion", "strict")

# CI's second run (.ci/run) tests the installed wheel, from a copy of the tests beside no source
# tree: there, a jacts imported from anywhere but the environment's site-packages is an error.
if os.environ.get("JACTS_EXPECT_INSTALLED"):
  import jacts

  if not jacts.__file__.startswith(sys.prefix):
    raise RuntimeError(f"testing {jacts.__file__}, not the jacts installed in {sys.prefix}")


def _as_a_user(namespace):
  """A page runs in the configuration a user has: JAX's standard dtype promotion."""
  namespace["__promotion__"] = jax.numpy_dtype_promotion("standard")
  namespace["__promotion__"].__enter__()


pytest_collect_file = Sybil(
  parsers=[
    PythonCodeBlockParser(doctest_optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE),
    SkipParser(),
  ],
  patterns=["README.md", "docs/*.md"],
  setup=_as_a_user,
  teardown=lambda namespace: namespace["__promotion__"].__exit__(None, None, None),
).pytest()

# --doctest-modules would import the documentation's Sphinx configuration and extensions.
collect_ignore_glob = ["docs/*.py", "docs/_ext/*", "docs/_build/*", "docs/_generated/*"]
