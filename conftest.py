"""Test-wide JAX settings, as the project's standard asks: silent rank broadcasting and implicit
dtype promotion (float32 with float64, say) are errors, in the library as in the tests."""

import jax

jax.config.update("jax_numpy_rank_promotion", "raise")
jax.config.update("jax_numpy_dtype_promotion", "strict")
