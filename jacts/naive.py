"""The lecture's formulas written literally, differentiated by plain autodiff.

These are the references jacts' custom VJPs are tested and benchmarked against, and a way for
users to see what the custom rules fix: autodiff of these forms overflows to NaN where the
activations themselves are perfectly finite (sigmoid for z < -88, tanh for |z| > 44 in float32).
Autodiff of ``jnp.maximum`` splits ties, so ``jax.grad`` of the naive ReLU at 0 is 0.5: neither
convention of the lecture.

Example:
  >>> import jax, jacts.naive
  >>> print(jax.grad(jacts.naive.sigmoid)(-100.0))
  nan
  >>> print(jax.grad(jacts.naive.relu)(0.0))
  0.5
"""

import jax
import jax.numpy as jnp
from jax.typing import ArrayLike


def sigmoid(z: ArrayLike) -> jax.Array:
  """1 / (1 + e^-z), as written."""
  return 1 / (1 + jnp.exp(-z))


def tanh(z: ArrayLike) -> jax.Array:
  """(e^z - e^-z) / (e^z + e^-z), as written."""
  return (jnp.exp(z) - jnp.exp(-z)) / (jnp.exp(z) + jnp.exp(-z))


def relu(z: ArrayLike) -> jax.Array:
  """max(0, z), as written."""
  return jnp.maximum(0, z)


def leaky_relu(z: ArrayLike, negative_slope: ArrayLike = 0.01) -> jax.Array:
  """max(negative_slope * z, z), as written (the lecture's slope is 0.01)."""
  return jnp.maximum(negative_slope * z, z)
