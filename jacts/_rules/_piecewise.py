"""jax.nn's piecewise-linear activations as rules of the table, with a convention at each kink.

At every kink the derivative is undefined and any value of the sub-differential is a valid
choice. The default is what jax.nn's autodiff gives there; PyTorch's choice is recorded beside
it. Where g' is 0 at both kinks and a = z on the slope (relu6 by default, hard-tanh with both
conventions 0), the output a determines g' (a is 0, 6 or +-1 exactly where g' is 0), and the
backward pass keeps a alone. Where g computes z + 3 or z + 1 (hard-sigmoid, sparse-sigmoid), that
sum rounds onto the kink for z just below it (2.9999999999999996 + 3 is 6 in float64), so a
reaches its flat side where g' is not 0: their backward pass reads z.
"""

import jax
import jax.numpy as jnp
from jax.typing import ArrayLike

from jacts._rules._rule import Kink, Rule, constant, inside, linear_pieces


def _zero_at_both(at_lowest: float, at_highest: float) -> bool:
  return at_lowest == 0 and at_highest == 0


# Each rule's two kinks and the one-sided derivatives (left, right) at each: its g' reads them,
# and so do its Kink declarations (the sub-differential lies between the two).
_RELU6 = ((0, 6), ((0, 1), (1, 0)))
_HARD_SIGMOID = ((-3, 3), ((0, 1 / 6), (1 / 6, 0)))
_HARD_SILU = ((-3, 3), ((0, -0.5), (1.5, 1)))
_HARD_TANH = ((-1, 1), ((0, 1), (1, 0)))
_SPARSE_SIGMOID = ((-1, 1), ((0, 0.5), (0.5, 0)))


# relu6: g = min(max(0, z), 6), g' = 1 on (0, 6), 0 outside.
def _relu6_derivative(z, at_zero, at_six):
  (kinks, sides) = _RELU6
  return linear_pieces(z, kinks, (0, 1, 0), (at_zero, at_six), sides)


def _relu6_from_output(a, at_zero, at_six):
  del at_zero, at_six  # Both 0 (output_determines).
  return inside(a, 0, 6, 1)


# hard-sigmoid: g = relu6(z + 3) / 6, g' = 1/6 on (-3, 3), 0 outside.
def _hard_sigmoid_derivative(z, at_minus_three, at_three):
  (kinks, sides) = _HARD_SIGMOID
  return linear_pieces(z, kinks, (0, 1 / 6, 0), (at_minus_three, at_three), sides)


# hard-SiLU (hard-swish): g = z relu6(z + 3) / 6, g' = 0 below -3, (2z + 3) / 6 on (-3, 3), 1
# above 3.
def _hard_silu_derivative(z, at_minus_three, at_three):
  (kinks, sides) = _HARD_SILU
  return linear_pieces(z, kinks, (0, (2 * z + 3) / 6, 1), (at_minus_three, at_three), sides)


# hard-tanh: g = max(-1, min(1, z)), g' = 1 on (-1, 1), 0 outside. One select on |z| instead of
# jax.nn's two: the same values (NaN and -0 too), and the same autodiff, 1 at +-1 (jax.nn's
# convention; forward-over-reverse differentiates the value), where a clamp would give 1/2.
# Value and VJP on 2^24 float32 values: 0.99 of jax.nn's speed with its selects, 1.06 with this.
def _hard_tanh(z):
  return jnp.where(jnp.abs(z) > 1, jnp.copysign(constant(1, z), z), z)


def _hard_tanh_derivative(z, at_minus_one, at_one):
  (kinks, sides) = _HARD_TANH
  return linear_pieces(z, kinks, (0, 1, 0), (at_minus_one, at_one), sides)


def _hard_tanh_from_output(a, at_minus_one, at_one):
  del at_minus_one, at_one  # Both 0 (output_determines).
  return inside(a, -1, 1, 1)


# sparse-sigmoid: g = clip(z + 1, 0, 2) / 2, g' = 1/2 on (-1, 1), 0 outside.
def _sparse_sigmoid_derivative(z, at_minus_one, at_one):
  (kinks, sides) = _SPARSE_SIGMOID
  return linear_pieces(z, kinks, (0, 0.5, 0), (at_minus_one, at_one), sides)


def _naive_relu6(z: ArrayLike) -> jax.Array:
  """min(max(0, z), 6), as written."""
  return jnp.minimum(jnp.maximum(0, z), 6)


def _naive_hard_sigmoid(z: ArrayLike) -> jax.Array:
  """min(max(0, z + 3), 6) / 6, as written."""
  return jnp.minimum(jnp.maximum(0, z + 3), 6) / 6


def _naive_hard_silu(z: ArrayLike) -> jax.Array:
  """z min(max(0, z + 3), 6) / 6, as written."""
  z = jnp.asarray(z)
  return z * jnp.minimum(jnp.maximum(0, z + 3), 6) / 6


def _naive_hard_tanh(z: ArrayLike) -> jax.Array:
  """max(-1, min(1, z)), as written."""
  return jnp.maximum(-1, jnp.minimum(1, z))


def _naive_sparse_sigmoid(z: ArrayLike) -> jax.Array:
  """clip(z + 1, 0, 2) / 2, as written."""
  return jnp.clip(z + 1, 0, 2) / 2


def _kinks(
  names: tuple[str, str],
  kinks_and_sides: tuple[tuple[float, float], tuple[tuple[float, float], ...]],
  jax_nn: tuple[float, float],
  pytorch: tuple[str, str],
) -> tuple[Kink, ...]:
  """Two kinks, as ``_RELU6`` and the others give them, with jax.nn's and PyTorch's choices."""
  at, slopes = kinks_and_sides
  return tuple(
    Kink(name, float(point), float(default), lambda pair=pair: (min(pair), max(pair)), torch)
    for name, point, default, pair, torch in zip(names, at, jax_nn, slopes, pytorch, strict=True)
  )


PIECEWISE: tuple[Rule, ...] = (
  Rule(
    name="relu6",
    value=jax.nn.relu6,
    derivative=_relu6_derivative,
    derivative_from_output=_relu6_from_output,
    naive=_naive_relu6,
    kinks=_kinks(("derivative_at_zero", "derivative_at_six"), _RELU6, (0, 0), ("0", "0")),
    output_determines=_zero_at_both,
    pin_output=True,
  ),
  Rule(
    name="hard_sigmoid",
    value=jax.nn.hard_sigmoid,
    derivative=_hard_sigmoid_derivative,
    derivative_from_output=None,  # a = 1 at z = 3 - ulp too: z + 3 rounds to 6.
    naive=_naive_hard_sigmoid,
    kinks=_kinks(
      ("derivative_at_minus_three", "derivative_at_three"),
      _HARD_SIGMOID,
      (0, 0),
      ("0", "0"),
    ),
    output_determines=_zero_at_both,
    pin_output=True,
  ),
  Rule(
    name="hard_silu",
    value=jax.nn.hard_silu,
    derivative=_hard_silu_derivative,
    derivative_from_output=None,  # a = 0 at z = 0 and for z <= -3.
    naive=_naive_hard_silu,
    kinks=_kinks(
      ("derivative_at_minus_three", "derivative_at_three"),
      _HARD_SILU,
      (0, 1),
      ("-1/2", "3/2"),
    ),
  ),
  Rule(
    name="hard_tanh",
    value=_hard_tanh,
    derivative=_hard_tanh_derivative,
    derivative_from_output=_hard_tanh_from_output,
    naive=_naive_hard_tanh,
    kinks=_kinks(
      ("derivative_at_minus_one", "derivative_at_one"),
      _HARD_TANH,
      (1, 1),
      ("0", "0"),
    ),
    output_determines=_zero_at_both,
    pin_output=True,
  ),
  Rule(
    name="sparse_sigmoid",
    value=jax.nn.sparse_sigmoid,
    derivative=_sparse_sigmoid_derivative,
    derivative_from_output=None,  # a = 1 at z = 1 - ulp / 2 too: z + 1 rounds to 2.
    naive=_naive_sparse_sigmoid,
    # jax.nn's clip splits the tie between its two sides: 1/4.
    kinks=_kinks(
      ("derivative_at_minus_one", "derivative_at_one"),
      _SPARSE_SIGMOID,
      (0.25, 0.25),
      ("none", "none"),  # Not in PyTorch.
    ),
    output_determines=_zero_at_both,
    pin_output=True,
  ),
)
