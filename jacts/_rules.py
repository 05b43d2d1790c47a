"""The rule table: the one place that knows each activation.

A :class:`Rule` holds every fact about one activation: its name, g, g' (and g' written in the
output a = g(z) where a determines it), its differentiable parameters with their defaults and
valid ranges, its kinks with the convention at each, and its literal naive formula. Everything
else in jacts is derived from :data:`RULES` once, at import, without mutating it: the public
functions' registry and their custom VJPs, the forward-mode versions, :func:`jacts.derivative`,
the shallow network's backprop, the names a model file may hold, the command line's choices,
``jacts check`` and ``jacts plot``, the tests' parametrization and the benchmarks' lists.

Every function here is elementwise, keeps the dtype of ``z`` and takes its arguments already
validated (see ``_activations.py``): ``value(z, *params)``, ``derivative(z, *params,
*conventions)`` and ``derivative_from_output(a, *params)``.
"""

import functools
import inspect
import math
import types
from collections.abc import Callable, Mapping
from typing import NamedTuple

import jax
import jax.numpy as jnp
from jax.typing import ArrayLike

# The lecture's choices: leaky ReLU's slope, and g'(0) = 1 for ReLU and leaky ReLU ("either
# value works").
LECTURE_SLOPE = 0.01
LECTURE_DERIVATIVE_AT_ZERO = 1.0


class Parameter(NamedTuple):
  """A differentiable parameter of an activation, e.g. the leaky slope."""

  name: str
  default: float
  # (z, *params) -> dg/dparam, elementwise.
  derivative: Callable[..., jax.Array]
  # The values a Python number may take; an array is not read on the host to check it.
  lowest: float = -math.inf
  highest: float = math.inf


class Kink(NamedTuple):
  """A point where g' jumps, and the convention chosen for g' there."""

  argument: str  # The keyword-only argument that chooses g' there.
  at: float
  default: float
  # (*params as Python numbers) -> (lowest, highest): the sub-differential at the kink, where
  # every value is a valid choice of g'.
  subdifferential: Callable[..., tuple[float, float]]


class Rule(NamedTuple):
  """How one activation and its derivatives are computed."""

  name: str
  value: Callable[..., jax.Array]
  derivative: Callable[..., jax.Array]
  # None where a = g(z) does not determine g'(z) (ReLU: a = 0 for z = 0 and for z < 0).
  derivative_from_output: Callable[..., jax.Array] | None
  naive: Callable[..., jax.Array]
  parameters: tuple[Parameter, ...] = ()
  kinks: tuple[Kink, ...] = ()

  @property
  def signature(self) -> inspect.Signature:
    """The public function's signature: z, the parameters, then the conventions by keyword."""
    return _signature(self)

  def default(self, argument: str) -> float:
    """The default of a parameter or convention, for the public function's signature."""
    return self.signature.parameters[argument].default

  def residual(self, z: jax.Array, a: jax.Array) -> jax.Array:
    """What a backward pass keeps for g': the output where it determines g', else the input."""
    return a if self.derivative_from_output is not None else z

  def slope(self, residual: jax.Array, params: tuple, conventions: tuple) -> jax.Array:
    """g'(z) from :meth:`residual`: the lecture's a(1 - a) from a, or the rule on z."""
    if self.derivative_from_output is not None:
      return self.derivative_from_output(residual, *params)
    return self.derivative(residual, *params, *conventions)


@functools.cache
def _signature(rule: Rule) -> inspect.Signature:
  z = [inspect.Parameter("z", inspect.Parameter.POSITIONAL_OR_KEYWORD)]
  params = [
    inspect.Parameter(p.name, inspect.Parameter.POSITIONAL_OR_KEYWORD, default=p.default)
    for p in rule.parameters
  ]
  conventions = [
    inspect.Parameter(k.argument, inspect.Parameter.KEYWORD_ONLY, default=k.default)
    for k in rule.kinks
  ]
  return inspect.Signature([*z, *params, *conventions])


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


def _sigmoid_derivative(z):
  return _sigmoid_from_output(_sigmoid(z))


def _sigmoid_from_output(a):
  return a * (1 - a)


def _tanh_derivative(z):
  return _tanh_from_output(_tanh(z))


def _tanh_from_output(a):
  return 1 - a * a


def _relu(z):
  return jnp.maximum(z, jnp.zeros((), z.dtype))


def _relu_derivative(z, derivative_at_zero):
  return _piecewise_derivative(z, jnp.zeros((), z.dtype), derivative_at_zero)


def _leaky_relu(z, negative_slope):
  # Piecewise, as PReLU: equals the lecture's max(slope*z, z) for 0 <= slope <= 1. NaN is not
  # below 0, so it comes out as itself; a zero slope gives 0 at z = -inf, as ReLU does, where
  # 0 * -inf would be NaN (a select on the slope alone: one scalar test for a scalar slope).
  slope = _same_rank(negative_slope, z)
  below = jnp.where(slope == 0, jnp.zeros((), z.dtype), slope * z)
  return jnp.where(z < 0, below, z)


def _same_rank(parameter, z):
  """``parameter`` with leading axes of size 1 up to z's rank: broadcast by XLA, not stored."""
  return jnp.reshape(parameter, (1,) * (z.ndim - parameter.ndim) + parameter.shape)


def _leaky_relu_derivative(z, negative_slope, derivative_at_zero):
  return _piecewise_derivative(z, jnp.broadcast_to(negative_slope, z.shape), derivative_at_zero)


def _leaky_relu_slope_derivative(z, negative_slope):
  del negative_slope  # d(slope*z)/dslope = z on the negative side, whatever the slope.
  return jnp.where(z >= 0, jnp.zeros((), z.dtype), z)  # z < 0, and NaN for NaN.


def _piecewise_derivative(z, below_zero, derivative_at_zero):
  at_zero = jnp.asarray(derivative_at_zero, z.dtype)
  # NaN compares false everywhere: it falls through to z itself, so NaN in gives NaN out.
  at_zero_or_nan = jnp.where(z == 0, at_zero, z)
  return jnp.where(z > 0, jnp.ones((), z.dtype), jnp.where(z < 0, below_zero, at_zero_or_nan))


def _naive_sigmoid(z: ArrayLike) -> jax.Array:
  """1 / (1 + e^-z), as written."""
  return 1 / (1 + jnp.exp(-z))


def _naive_tanh(z: ArrayLike) -> jax.Array:
  """(e^z - e^-z) / (e^z + e^-z), as written."""
  return (jnp.exp(z) - jnp.exp(-z)) / (jnp.exp(z) + jnp.exp(-z))


def _naive_relu(z: ArrayLike) -> jax.Array:
  """max(0, z), as written."""
  return jnp.maximum(0, z)


def _naive_leaky_relu(z: ArrayLike, negative_slope: ArrayLike = LECTURE_SLOPE) -> jax.Array:
  """max(negative_slope * z, z), as written."""
  return jnp.maximum(negative_slope * z, z)


RULES: Mapping[str, Rule] = types.MappingProxyType(
  {
    "sigmoid": Rule(
      name="sigmoid",
      value=_sigmoid,
      derivative=_sigmoid_derivative,
      derivative_from_output=_sigmoid_from_output,
      naive=_naive_sigmoid,
    ),
    "tanh": Rule(
      name="tanh",
      value=_tanh,
      derivative=_tanh_derivative,
      derivative_from_output=_tanh_from_output,
      naive=_naive_tanh,
    ),
    "relu": Rule(
      name="relu",
      value=_relu,
      derivative=_relu_derivative,
      derivative_from_output=None,
      naive=_naive_relu,
      kinks=(Kink("derivative_at_zero", 0.0, LECTURE_DERIVATIVE_AT_ZERO, lambda: (0.0, 1.0)),),
    ),
    "leaky_relu": Rule(
      name="leaky_relu",
      value=_leaky_relu,
      derivative=_leaky_relu_derivative,
      derivative_from_output=None,
      naive=_naive_leaky_relu,
      parameters=(Parameter("negative_slope", LECTURE_SLOPE, _leaky_relu_slope_derivative),),
      kinks=(
        Kink(
          "derivative_at_zero",
          0.0,
          LECTURE_DERIVATIVE_AT_ZERO,
          lambda slope: (min(slope, 1.0), max(slope, 1.0)),
        ),
      ),
    ),
  }
)
