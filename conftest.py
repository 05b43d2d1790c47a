"""Test-wide JAX settings: silent rank broadcasting is an error, as the project's standard asks."""

import jax

jax.config.update("jax_numpy_rank_promotion", "raise")
