"""The lecture's activations and their derivatives: the single source of truth.

Everything in jacts that needs g(z) or g'(z) reads it from :data:`RULES`: the custom VJPs, the
forward-mode versions, :func:`jacts.derivative`, the shallow network's hand-written backprop and
the command line's check. Every function here is elementwise, keeps the dtype of ``z`` and takes
its parameters already validated (see ``_activations.py``).
"""

from collections.abc import Callable
from typing import NamedTuple

import jax
import jax.numpy as jnp


class Rule(NamedTuple):
  """How one activation and its derivatives are computed.

  ``params`` below are the activation's differentiable parameters (the leaky slope), in order.
  """

  name: str
  # g(z, *params).
  value: Callable[..., jax.Array]
  # g'(z, *params, derivative_at_zero): the derivative with respect to z.
  derivative: Callable[..., jax.Array]
  # g'(z) written in a = g(z), as the lecture does; None where a does not determine g'(z).
  derivative_from_output: Callable[[jax.Array], jax.Array] | None
  # One per parameter: (z, *params) -> dg/dparam, elementwise.
  parameter_derivatives: tuple[Callable[..., jax.Array], ...]
  # Whether g has a kink at 0, where `derivative_at_zero` chooses the sub-gradient.
  has_kink: bool


def _in_float32_if_half(function):
  """Evaluates ``function`` in float32 for float16/bfloat16 input, then rounds back.

  XLA's half-precision logistic overflows e^-z early (float16 sigmoid(-12) is 0, not 6.1e-6).
  """

  def evaluate(z):
    if jnp.finfo(z.dtype).bits < 32:
      return function(z.astype(jnp.float32)).astype(z.dtype)
    return function(z)

  evaluate.__name__ = function.__name__
  return evaluate


_sigmoid = _in_float32_if_half(jax.nn.sigmoid)
_tanh = _in_float32_if_half(jnp.tanh)


def _sigmoid_from_output(a):
  return a * (1 - a)


def _tanh_from_output(a):
  return 1 - a * a


def _sigmoid_derivative(z, *, derivative_at_zero=None):
  del derivative_at_zero  # Smooth: no convention needed.
  return _sigmoid_from_output(_sigmoid(z))


def _tanh_derivative(z, *, derivative_at_zero=None):
  del derivative_at_zero  # Smooth: no convention needed.
  return _tanh_from_output(_tanh(z))


def _relu(z):
  return jnp.maximum(z, jnp.zeros((), z.dtype))


def _relu_derivative(z, *, derivative_at_zero):
  return _piecewise_derivative(z, jnp.zeros((), z.dtype), derivative_at_zero)


def _leaky_relu(z, negative_slope):
  # Piecewise, as PReLU: equals the lecture's max(slope*z, z) for 0 <= slope <= 1.
  slope = jnp.broadcast_to(negative_slope, z.shape)
  # A zero slope gives 0 at z = -inf, as ReLU does, where 0 * -inf would be NaN.
  below = jnp.where(jnp.isneginf(z) & (slope == 0), jnp.zeros((), z.dtype), slope * z)
  return jnp.where(z >= 0, z, below)


def _leaky_relu_derivative(z, negative_slope, *, derivative_at_zero):
  return _piecewise_derivative(z, jnp.broadcast_to(negative_slope, z.shape), derivative_at_zero)


def _leaky_relu_slope_derivative(z, negative_slope):
  del negative_slope  # d(slope*z)/dslope = z on the negative side, whatever the slope.
  return jnp.where(z >= 0, jnp.zeros((), z.dtype), z)  # z < 0, and NaN for NaN.


def _piecewise_derivative(z, below_zero, derivative_at_zero):
  at_zero = jnp.asarray(derivative_at_zero, z.dtype)
  # NaN compares false everywhere: it falls through to z itself, so NaN in gives NaN out.
  at_zero_or_nan = jnp.where(z == 0, at_zero, z)
  return jnp.where(z > 0, jnp.ones((), z.dtype), jnp.where(z < 0, below_zero, at_zero_or_nan))


RULES: dict[str, Rule] = {
  "sigmoid": Rule(
    name="sigmoid",
    value=_sigmoid,
    derivative=_sigmoid_derivative,
    derivative_from_output=_sigmoid_from_output,
    parameter_derivatives=(),
    has_kink=False,
  ),
  "tanh": Rule(
    name="tanh",
    value=_tanh,
    derivative=_tanh_derivative,
    derivative_from_output=_tanh_from_output,
    parameter_derivatives=(),
    has_kink=False,
  ),
  "relu": Rule(
    name="relu",
    value=_relu,
    derivative=_relu_derivative,
    derivative_from_output=None,
    parameter_derivatives=(),
    has_kink=True,
  ),
  "leaky_relu": Rule(
    name="leaky_relu",
    value=_leaky_relu,
    derivative=_leaky_relu_derivative,
    derivative_from_output=None,
    parameter_derivatives=(_leaky_relu_slope_derivative,),
    has_kink=True,
  ),
}
