"""Test-wide JAX settings, as the project's standard asks: silent rank broadcasting and implicit
dtype promotion (float32 with float64, say) are errors, in the library as in the tests."""

import os
import sys

import jax

jax.config.update("jax_numpy_rank_promotion", "raise")
jax.config.update("jax_numpy_dtype_promotion", "strict")

# CI's second run (.ci/run) tests the installed wheel, from a copy of the tests beside no source
# tree: there, a jacts imported from anywhere but the environment's site-packages is an error.
if os.environ.get("JACTS_EXPECT_INSTALLED"):
  import jacts

  if not jacts.__file__.startswith(sys.prefix):
    raise RuntimeError(f"testing {jacts.__file__}, not the jacts installed in {sys.prefix}")
