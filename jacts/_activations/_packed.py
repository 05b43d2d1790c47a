"""Codes of 2 bits packed 4 to a byte, for a backward pass that keeps 2 bits per entry.

A uint8 array costs a byte per entry. Worse, XLA's CPU fusion copies a cheap comparison such as
``z >= 0`` into the backward pass that reads it, which then keeps z itself. Packing is a
reduction, which the fusion does not copy: the compiled step keeps the packed bytes alone.

The flat array is packed in blocks of 4 * 4096 entries (or one block, if smaller), each plane by
plane: a block, padded to full size, is cut into 4 planes, and byte k of the block holds entry k
of each plane (plane j in bits 2j and 2j + 1). The reduction over the planes is vectorized
across bytes by XLA's CPU compiler; packing neighbouring entries into a byte took twice as long,
and shorter planes (rows of the last axis: 16 bytes in a 64-wide layer) made the backward pass
twice as slow as jax.nn's. Blocks keep an array sharded along its first axis (the batch, in
data-parallel training of a batch-first model) packed on each device alone wherever a device's
share is a whole number of blocks; planes across the whole array made XLA's SPMD partitioner
add an all-reduce.
"""

import math

import jax
import jax.numpy as jnp

BITS = 2
PER_BYTE = 8 // BITS
BLOCK_BYTES = 4096


def _shifts() -> jax.Array:
  """Each plane's shift, as (1, planes, 1): blocks are (blocks, planes, bytes)."""
  return (BITS * jnp.arange(PER_BYTE, dtype=jnp.uint8))[None, :, None]


def packed(codes: jax.Array) -> jax.Array:
  """``codes`` (uint8 below 4), 4 to a byte, as (blocks, bytes per block): entry k of plane j of
  a block (entry j * width + k of the block) in bits 2j and 2j + 1 of its byte k."""
  flat = codes.reshape(-1)
  width = max(1, min(BLOCK_BYTES, -(-flat.size // PER_BYTE)))
  flat = jnp.pad(flat, (0, -flat.size % (PER_BYTE * width)))
  blocks = flat.reshape(flat.size // (PER_BYTE * width), PER_BYTE, width)
  return jnp.sum(blocks << _shifts(), axis=1, dtype=jnp.uint8)


def unpacked(packed_codes: jax.Array, shape: tuple[int, ...]) -> jax.Array:
  """The uint8 codes of ``shape`` that :func:`packed` made ``packed_codes`` of."""
  planes = (packed_codes[:, None, :] >> _shifts()) & jnp.uint8(2**BITS - 1)
  return planes.reshape(-1)[: math.prod(shape)].reshape(shape)
