"""The lecture's four activations, each differentiated by a custom VJP built from its rule.

Each public activation checks its arguments (before tracing), then calls a ``jax.custom_vjp``
function whose backward pass is exactly the derivative in :data:`jacts._rules.RULES`.
"""

import functools
import inspect
import math
from collections.abc import Callable
from numbers import Real
from typing import NamedTuple

import jax
from jax.typing import ArrayLike

from jacts import _validation
from jacts._rules import RULES, Rule


def custom_vjp_from_rule(rule: Rule) -> Callable:
  """Builds ``f(derivative_at_zero, z, *params)`` whose VJP is ``rule``'s derivative.

  The residuals are the output ``a`` alone where the rule has a from-output form (sigmoid, tanh:
  the lecture's point that a(1-a) and 1-a^2 are cheap once a is known), else ``z`` and the params.
  ``_fwd`` computes the primal itself rather than calling ``f``, so that forward-over-reverse
  (``jax.hessian``) can differentiate it.
  """

  @functools.partial(jax.custom_vjp, nondiff_argnums=(0,))
  def f(derivative_at_zero, z, *params):
    del derivative_at_zero  # Only the backward pass uses it.
    return rule.value(z, *params)

  def _fwd(derivative_at_zero, z, *params):
    del derivative_at_zero  # Only the backward pass uses it.
    a = rule.value(z, *params)
    if rule.derivative_from_output is not None:
      return a, a
    return a, (z, params)

  def _bwd(derivative_at_zero, residuals, g):
    if rule.derivative_from_output is not None:
      return (g * rule.derivative_from_output(residuals),)
    z, params = residuals
    dz = g * rule.derivative(z, *params, derivative_at_zero=derivative_at_zero)
    dparams = tuple(
      _sum_to_shape(g * d(z, *params), p.shape)
      for d, p in zip(rule.parameter_derivatives, params, strict=True)
    )
    return (dz, *dparams)

  f.defvjp(_fwd, _bwd)
  return f


def _sum_to_shape(x: jax.Array, shape: tuple) -> jax.Array:
  """Sums ``x`` over the axes along which a parameter of ``shape`` was broadcast."""
  leading = x.ndim - len(shape)
  x = x.sum(axis=tuple(range(leading)))
  stretched = tuple(i for i, n in enumerate(shape) if n == 1 and x.shape[i] != 1)
  return x.sum(axis=stretched, keepdims=True) if stretched else x


class Prepared(NamedTuple):
  """An activation's arguments after validation, in the order its rule takes them."""

  z: jax.Array
  params: tuple  # Differentiable parameters, each in z's dtype.
  derivative_at_zero: float | None  # Static; None for smooth activations.


def _prepare_smooth(function: str, z: ArrayLike) -> Prepared:
  return Prepared(_validation.floating_array(function, "z", z), (), None)


def _prepare_relu(function: str, z: ArrayLike, *, derivative_at_zero: float = 1.0) -> Prepared:
  z = _validation.floating_array(function, "z", z)
  at_zero = _validation.derivative_at_zero(function, derivative_at_zero, 0.0, 1.0)
  return Prepared(z, (), at_zero)


def _prepare_leaky_relu(
  function: str, z: ArrayLike, negative_slope: ArrayLike = 0.01, *, derivative_at_zero: float = 1.0
) -> Prepared:
  z = _validation.floating_array(function, "z", z)
  slope = _validation.negative_slope(function, negative_slope, z)
  if isinstance(negative_slope, Real):
    lowest, highest = sorted((float(negative_slope), 1.0))
  else:  # An array slope (traced, or on a device) is not read on the host to check it.
    lowest, highest = -math.inf, math.inf
  at_zero = _validation.derivative_at_zero(function, derivative_at_zero, lowest, highest)
  return Prepared(z, (slope,), at_zero)


_sigmoid = custom_vjp_from_rule(RULES["sigmoid"])
_tanh = custom_vjp_from_rule(RULES["tanh"])
_relu = custom_vjp_from_rule(RULES["relu"])
_leaky_relu = custom_vjp_from_rule(RULES["leaky_relu"])


def sigmoid(z: ArrayLike) -> jax.Array:
  r"""The logistic sigmoid, differentiated by the lecture's :math:`a(1 - a)`.

  .. math::
    g(z) = \frac{1}{1 + e^{-z}}, \qquad g'(z) = a (1 - a) \text{ with } a = g(z).

  The backward pass keeps only the output ``a``. It is finite for every finite ``z`` (autodiff of
  the naive formula gives NaN for z < -88 in float32). Where ``a`` rounds to 1, ``a(1 - a)``
  rounds to 0 although the true slope is about e^-z: from z = 16.64 in float32, 8.32 in float16
  and 6.25 in bfloat16 (``tests/test_numerics.py`` pins these). Half-precision inputs are
  evaluated in float32 and rounded back, so float16 sigmoid(-12) is 6.1e-6, not 0.

  Forward mode (``jax.jvp``, ``jax.jacfwd``) does not apply to a ``jax.custom_vjp`` function;
  ``jacts.forward_mode(f)`` is the same function with a custom JVP.

  Args:
    z: a floating-point array of any shape (float16, bfloat16, float32, float64) or Python float.

  Returns:
    ``g(z)``, with the shape and dtype of ``z``.

  Example:
    >>> import jax, jax.numpy as jnp, jacts
    >>> print(jacts.sigmoid(jnp.array([-10.0, 0.0, 10.0])))
    [4.5397872e-05 5.0000000e-01 9.9995458e-01]
    >>> print(jax.grad(jacts.sigmoid)(0.0))
    0.25
  """
  z, _, _ = _prepare_smooth("jacts.sigmoid", z)
  return _sigmoid(None, z)


def tanh(z: ArrayLike) -> jax.Array:
  r"""The hyperbolic tangent, differentiated by the lecture's :math:`1 - a^2`.

  .. math::
    g(z) = \frac{e^z - e^{-z}}{e^z + e^{-z}}, \qquad g'(z) = 1 - a^2 \text{ with } a = g(z).

  The backward pass keeps only the output ``a``. It is finite for every finite ``z`` (the naive
  formula is inf/inf = NaN for |z| > 89 in float32). Where ``a`` rounds to +-1, ``1 - a^2``
  rounds to 0: from |z| = 8.0 in float32 (where XLA's tanh returns exactly 1), 4.51 in float16
  and 3.47 in bfloat16.

  Forward mode (``jax.jvp``, ``jax.jacfwd``) does not apply to a ``jax.custom_vjp`` function;
  ``jacts.forward_mode(f)`` is the same function with a custom JVP.

  Args:
    z: a floating-point array of any shape (float16, bfloat16, float32, float64) or Python float.

  Returns:
    ``g(z)``, with the shape and dtype of ``z``.

  Example:
    >>> import jax, jax.numpy as jnp, jacts
    >>> print(jacts.tanh(jnp.array([-1.0, 0.0, 1.0])))
    [-0.7615942  0.         0.7615942]
    >>> print(jax.grad(jacts.tanh)(0.0))
    1.0
  """
  z, _, _ = _prepare_smooth("jacts.tanh", z)
  return _tanh(None, z)


def relu(z: ArrayLike, *, derivative_at_zero: float = 1.0) -> jax.Array:
  r"""The rectified linear unit, with the lecture's derivative.

  .. math::
    g(z) = \max(0, z), \qquad
    g'(z) = \begin{cases} 0 & z < 0 \\ d_0 & z = 0 \\ 1 & z > 0 \end{cases}

  g'(0) is undefined; any value in the sub-differential [0, 1] is a valid choice. The lecture
  sets 1, the default here; ``derivative_at_zero=0.0`` gives the ``jax.nn.relu`` and PyTorch
  convention.

  Forward mode (``jax.jvp``, ``jax.jacfwd``) does not apply to a ``jax.custom_vjp`` function;
  ``jacts.forward_mode(f)`` is the same function with a custom JVP.

  Args:
    z: a floating-point array of any shape (float16, bfloat16, float32, float64) or Python float.
    derivative_at_zero: d_0, the derivative used at exactly ``z == 0``; a Python number in [0, 1].

  Returns:
    ``g(z)``, with the shape and dtype of ``z``.

  Example:
    >>> import jax, jacts
    >>> print(jax.grad(jacts.relu)(0.0), jax.grad(jacts.relu)(-2.0))
    1.0 0.0
    >>> print(jax.grad(lambda z: jacts.relu(z, derivative_at_zero=0.0))(0.0))
    0.0
  """
  z, _, at_zero = _prepare_relu("jacts.relu", z, derivative_at_zero=derivative_at_zero)
  return _relu(at_zero, z)


def leaky_relu(
  z: ArrayLike, negative_slope: ArrayLike = 0.01, *, derivative_at_zero: float = 1.0
) -> jax.Array:
  r"""The leaky rectified linear unit, with the lecture's derivative.

  .. math::
    g(z) = \begin{cases} s z & z < 0 \\ z & z \ge 0 \end{cases}, \qquad
    g'(z) = \begin{cases} s & z < 0 \\ d_0 & z = 0 \\ 1 & z > 0 \end{cases}, \qquad
    \frac{\partial g}{\partial s} = \begin{cases} z & z < 0 \\ 0 & z \ge 0 \end{cases}

  For 0 <= s <= 1 this is the lecture's max(s z, z) (s = 0.01). The slope ``s`` may be a traced
  JAX array and is differentiable, so a learnable slope (PReLU) works; its gradient is the sum
  of ``g * z`` over the entries where ``z < 0`` (summed over the axes ``s`` was broadcast along).

  Forward mode (``jax.jvp``, ``jax.jacfwd``) does not apply to a ``jax.custom_vjp`` function;
  ``jacts.forward_mode(f)`` is the same function with a custom JVP.

  Args:
    z: a floating-point array of any shape (float16, bfloat16, float32, float64) or Python float.
    negative_slope: s, a Python float or a floating-point array whose shape broadcasts to ``z``'s
      (a scalar, or one slope per channel).
    derivative_at_zero: d_0, the derivative used at exactly ``z == 0``: 1 (the default) or s
      both work; a Python number between s and 1 when s is a Python float.

  Returns:
    ``g(z)``, with the shape and dtype of ``z``.

  Example:
    >>> import jax, jax.numpy as jnp, jacts
    >>> print(jacts.leaky_relu(jnp.array([-2.0, 0.0, 3.0])))
    [-0.02  0.    3.  ]
    >>> print(jax.grad(jacts.leaky_relu)(-2.0), jax.grad(jacts.leaky_relu)(0.0))
    0.01 1.0
    >>> print(jax.grad(jacts.leaky_relu, argnums=1)(-2.0, 0.2))  # d/ds = z where z < 0
    -2.0
  """
  z, (slope,), at_zero = _prepare_leaky_relu(
    "jacts.leaky_relu", z, negative_slope, derivative_at_zero=derivative_at_zero
  )
  return _leaky_relu(at_zero, z, slope)


def arguments_checker(function: str, activation: Callable) -> Callable[..., None]:
  """Returns ``check(*args, **kwargs)``: a TypeError naming ``function`` unless ``activation``
  takes those arguments (for wrappers such as ``jacts.derivative(f)``, whose checks would
  otherwise fail in a private helper's name)."""
  signature = inspect.signature(activation)
  plain = signature.replace(
    parameters=[p.replace(annotation=p.empty) for p in signature.parameters.values()],
    return_annotation=signature.empty,
  )

  def check(*args, **kwargs) -> None:
    try:
      signature.bind(*args, **kwargs)
    except TypeError as error:
      raise TypeError(
        f"`{function}` takes the arguments of jacts.{activation.__name__}{plain}; {error}."
      ) from None

  return check


class Activation(NamedTuple):
  """What jacts knows about one of its activations."""

  rule: Rule
  # (function_name, *args, **kwargs) -> Prepared: the activation's own argument checks.
  prepare: Callable[..., Prepared]


ACTIVATIONS: dict[Callable, Activation] = {
  sigmoid: Activation(RULES["sigmoid"], _prepare_smooth),
  tanh: Activation(RULES["tanh"], _prepare_smooth),
  relu: Activation(RULES["relu"], _prepare_relu),
  leaky_relu: Activation(RULES["leaky_relu"], _prepare_leaky_relu),
}
