"""The lecture's four activations: sigmoid, tanh, ReLU and leaky ReLU, as rules of the table."""

import jax
import jax.numpy as jnp
from jax.typing import ArrayLike

from jacts._rules._rule import (
  Kink,
  Parameter,
  Rule,
  constant,
  linear_pieces,
  same_float,
  same_rank,
)

# The lecture's choices: leaky ReLU's slope, and g'(0) = 1 for ReLU and leaky ReLU ("either
# value works").
LECTURE_SLOPE = 0.01
LECTURE_DERIVATIVE_AT_ZERO = 1.0


def in_float32_if_half(function):
  """Evaluates ``function`` in float32 for float16/bfloat16 input, then rounds back.

  XLA's half-precision logistic overflows e^-z early (float16 sigmoid(-12) is 0, not 6.1e-6).
  """

  def evaluate(z):
    if jnp.finfo(z.dtype).bits < 32:
      return function(z.astype(jnp.float32)).astype(z.dtype)
    return function(z)

  evaluate.__name__ = function.__name__
  return evaluate


logistic = in_float32_if_half(jax.nn.sigmoid)
hyperbolic_tangent = in_float32_if_half(jnp.tanh)


def complementary(z):
  """(sigmoid(z), sigmoid(-z)) = (s, 1 - s), each within a few ulp: 1 - s of a rounded s would
  lose the small side's digits (for z = 17 in float32, s rounds to 1 and 1 - s to 0, not e^-17).
  One exponential for both; half precision is computed in float32 and rounded back."""
  if jnp.finfo(z.dtype).bits < 32:
    s, rest = complementary(z.astype(jnp.float32))
    return s.astype(z.dtype), rest.astype(z.dtype)
  e = jnp.exp(-jnp.abs(z))
  near_one = 1 / (1 + e)
  small = e * near_one
  above = z >= 0
  return jnp.where(above, near_one, small), jnp.where(above, small, near_one)


def _sigmoid_derivative(z):
  return _sigmoid_from_output(logistic(z))


def _sigmoid_from_output(a):
  return a * (1 - a)


def _tanh_derivative(z):
  return _tanh_from_output(hyperbolic_tangent(z))


def _tanh_from_output(a):
  return 1 - a * a


def _relu(z):
  return jnp.maximum(z, jnp.zeros((), z.dtype))


def _relu_derivative(z, derivative_at_zero):
  return linear_pieces(z, (0.0,), (0, 1), (derivative_at_zero,), ((0.0, 1.0),))


# From the output: a > 0 exactly where z > 0, so a alone determines g' where the convention at 0
# is the side z < 0 takes (0); z's place against 0 (2 bits) determines it for every convention.
def _relu_from_output(a, derivative_at_zero):
  del derivative_at_zero  # +0 (output_determines), as below 0.
  return linear_pieces(a, (0.0,), (0, 1), (0.0,), ((0.0, 1.0),))


def _relu_slopes_by_place(derivative_at_zero):
  return 0, derivative_at_zero, 1


def _or_nan(a, slope):
  return jnp.where(jnp.isnan(a), a, slope)


def _leaky_relu(z, negative_slope):
  # Piecewise, as PReLU and jax.nn: equals the lecture's max(slope*z, z) for 0 <= slope <= 1.
  # As jax.nn's, bit for bit: -0.0 for a slope of 0 below 0, and NaN at -inf (0 * -inf).
  return jnp.where(z >= 0, z, same_rank(negative_slope, z) * z)


def _leaky_relu_derivative(z, negative_slope, derivative_at_zero):
  # The slope is an array here (traced or not), so a convention equal to it gets its own test.
  slope = jnp.broadcast_to(negative_slope, z.shape)
  return linear_pieces(z, (0.0,), (slope, 1), (derivative_at_zero,), ((None, 1.0),))


# From the output, for a constant slope > 0 (_sign_kept): slope * z < 0 where z < 0, so a has z's
# sign, but where slope * z rounds to 0 (|z| up to half the smallest subnormal / slope: 50
# subnormals in float32 for 0.01) a is -0, as at z = -0. There g' is the slope, and at z = -0
# the convention: a alone determines g' only where the two are equal, and z's place against 0
# always does (for any slope).
def _leaky_relu_from_output(a, negative_slope, derivative_at_zero):
  del derivative_at_zero  # The slope (output_determines).
  return _or_nan(a, jnp.where(a > 0, constant(1, a), same_rank(negative_slope, a)))


def _leaky_relu_slopes_by_place(negative_slope, derivative_at_zero):
  return negative_slope, derivative_at_zero, 1


def _sign_kept(negative_slope: float | None, derivative_at_zero: float) -> bool:
  """Whether slope * z has z's sign or is 0 in every float dtype: a constant slope that rounds to
  a positive normal number (float16's smallest is 2^-14)."""
  del derivative_at_zero
  return negative_slope is not None and negative_slope >= 2**-14


def _slope_at_zero(negative_slope: float | None, derivative_at_zero: float) -> bool:
  return _sign_kept(negative_slope, derivative_at_zero) and same_float(
    derivative_at_zero, negative_slope
  )


def _leaky_relu_slope_derivative(z, negative_slope):
  del negative_slope  # d(slope*z)/dslope = z on the negative side, whatever the slope.
  return jnp.where(z >= 0, jnp.zeros((), z.dtype), z)  # z < 0, and NaN for NaN.


def _naive_sigmoid(z: ArrayLike) -> jax.Array:
  """1 / (1 + e^-z), as written."""
  z = jnp.asarray(z)
  return 1 / (1 + jnp.exp(-z))


def _naive_tanh(z: ArrayLike) -> jax.Array:
  """(e^z - e^-z) / (e^z + e^-z), as written."""
  z = jnp.asarray(z)
  return (jnp.exp(z) - jnp.exp(-z)) / (jnp.exp(z) + jnp.exp(-z))


def _naive_relu(z: ArrayLike) -> jax.Array:
  """max(0, z), as written."""
  return jnp.maximum(0, z)


def _naive_leaky_relu(z: ArrayLike, negative_slope: ArrayLike = LECTURE_SLOPE) -> jax.Array:
  """max(negative_slope * z, z), as written."""
  return jnp.maximum(negative_slope * z, z)


LECTURE: tuple[Rule, ...] = (
  Rule(
    name="sigmoid",
    value=logistic,
    derivative=_sigmoid_derivative,
    derivative_from_output=_sigmoid_from_output,
    naive=_naive_sigmoid,
  ),
  Rule(
    name="tanh",
    value=hyperbolic_tangent,
    derivative=_tanh_derivative,
    derivative_from_output=_tanh_from_output,
    naive=_naive_tanh,
    positional_only=True,  # jax.nn.tanh is jnp.tanh, a ufunc.
  ),
  Rule(
    name="relu",
    value=_relu,
    derivative=_relu_derivative,
    derivative_from_output=_relu_from_output,
    naive=_naive_relu,
    kinks=(Kink("derivative_at_zero", 0.0, LECTURE_DERIVATIVE_AT_ZERO, lambda: (0.0, 1.0), "0"),),
    output_determines=lambda derivative_at_zero: same_float(derivative_at_zero, 0.0),
    slopes_by_place=_relu_slopes_by_place,
    pin_output=True,
  ),
  Rule(
    name="leaky_relu",
    value=_leaky_relu,
    derivative=_leaky_relu_derivative,
    derivative_from_output=_leaky_relu_from_output,
    naive=_naive_leaky_relu,
    parameters=(Parameter("negative_slope", LECTURE_SLOPE, _leaky_relu_slope_derivative),),
    kinks=(
      Kink(
        "derivative_at_zero",
        0.0,
        LECTURE_DERIVATIVE_AT_ZERO,
        lambda slope: (min(slope, 1.0), max(slope, 1.0)),
        "the slope",
      ),
    ),
    output_determines=_slope_at_zero,
    slopes_by_place=_leaky_relu_slopes_by_place,
    pin_output=True,
  ),
)
