"""What the tests of GLU, softmax and log-softmax share (tests/activations/test_not_elementwise.py,
test_not_elementwise_masks.py, test_not_elementwise_arguments.py): their names, normal samples,
GLU's halved output shape, and a VJP's value and gradient for one cotangent."""

import jax
import jax.numpy as jnp

NAMES = ("glu", "softmax", "log_softmax")
NORMALIZING = ("softmax", "log_softmax")


def _normal(shape, dtype=jnp.float64, seed=0):
  return jax.random.normal(jax.random.key(seed), shape, dtype)


def _output_shape(name, shape, axis):
  if name != "glu":
    return shape
  halved = list(shape)
  halved[axis] //= 2
  return tuple(halved)


def _vjp(f, z, cotangent):
  value, vjp = jax.vjp(f, z)
  (gradient,) = vjp(cotangent)
  return value, gradient
