"""Boolean arrays packed 8 entries to a byte, for a backward pass that keeps one bit per entry.

A boolean array costs a byte per entry. Worse, XLA's CPU fusion copies a cheap comparison such as
``z >= 0`` into the backward pass that reads it, which then keeps z itself. Packing is a
reduction, which the fusion does not copy: the compiled step keeps the packed bytes alone.
"""

import math

import jax
import jax.numpy as jnp


def _bit() -> jax.Array:
  return jnp.arange(8, dtype=jnp.uint8)[None, :]


def packed(mask: jax.Array) -> jax.Array:
  """``mask``'s entries in row-major order, 8 to a uint8 (bit i of byte k is entry 8k + i), the
  last byte padded with False."""
  flat = mask.reshape(-1)
  flat = jnp.pad(flat, (0, -flat.size % 8))
  weights = jnp.left_shift(jnp.uint8(1), _bit())
  return jnp.sum(flat.reshape(-1, 8).astype(jnp.uint8) * weights, axis=1, dtype=jnp.uint8)


def unpacked(bits: jax.Array, shape: tuple[int, ...]) -> jax.Array:
  """The boolean array of ``shape`` that :func:`packed` made ``bits`` of."""
  flat = jnp.right_shift(bits[:, None], _bit()) & jnp.uint8(1)
  return flat.reshape(-1)[: math.prod(shape)].reshape(shape).astype(bool)
