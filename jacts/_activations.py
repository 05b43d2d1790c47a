"""The lecture's four activations, each differentiated by a custom VJP built from its rule.

Each public activation checks its arguments (before tracing), then calls a ``jax.custom_vjp``
function whose backward pass is exactly the derivative in :data:`jacts._rules.RULES`. Each
public function's defaults are read from its rule, and :data:`PUBLIC` pairs every rule with its
public function, so the table stays the one source of what an activation is.

Forward mode (``jax.jvp``, ``jax.jacfwd``) does not apply to a ``jax.custom_vjp`` function;
``jacts.forward_mode(f)`` is the same function with a custom JVP.
"""

import functools
import inspect
import math
import types
from collections.abc import Callable, Mapping
from numbers import Real
from typing import NamedTuple

import jax
from jax.typing import ArrayLike

from jacts import _validation
from jacts._rules import RULES, Rule


class Prepared(NamedTuple):
  """An activation's arguments after validation, in the order its rule takes them."""

  z: jax.Array
  params: tuple  # Differentiable parameters, each in z's dtype.
  conventions: tuple[float, ...]  # g' at each kink: static Python floats.


def prepare(rule: Rule, function: str, z: ArrayLike, *args, **kwargs) -> Prepared:
  """Checks a call's arguments against ``rule`` (before tracing), naming ``function``.

  The arguments are bound to the rule's signature, so defaults come from the table and wrong
  arguments are named as the public function's.
  """
  try:
    bound = rule.signature.bind(z, *args, **kwargs)
  except TypeError as error:
    raise TypeError(
      f"`{function}` takes the arguments of jacts.{rule.name}{rule.signature}; {error}."
    ) from None
  bound.apply_defaults()
  given = bound.arguments
  z = _validation.floating_array(function, "z", z)
  params = tuple(
    _validation.parameter(function, p.name, given[p.name], z, p.lowest, p.highest)
    for p in rule.parameters
  )
  numbers = [given[p.name] for p in rule.parameters]
  known = all(isinstance(n, Real) for n in numbers)
  conventions = tuple(
    # An array parameter (traced, or on a device) is not read on the host to check it.
    _validation.derivative_at_kink(
      function,
      k.argument,
      given[k.argument],
      k.at,
      *(k.subdifferential(*numbers) if known else _ANY),
    )
    for k in rule.kinks
  )
  return Prepared(z, params, conventions)


_ANY = (-math.inf, math.inf)


def custom_vjp_from_rule(rule: Rule) -> Callable:
  """Builds ``f(conventions, z, *params)`` whose VJP is ``rule``'s derivative.

  The residuals are the output ``a`` alone where the rule has a from-output form (sigmoid, tanh:
  the lecture's point that a(1-a) and 1-a^2 are cheap once a is known), else ``z`` and the params.
  ``_fwd`` computes the primal itself rather than calling ``f``, so that forward-over-reverse
  (``jax.hessian``) can differentiate it.
  """

  @functools.partial(jax.custom_vjp, nondiff_argnums=(0,))
  def f(conventions, z, *params):
    del conventions  # Only the backward pass uses them.
    return rule.value(z, *params)

  def _fwd(conventions, z, *params):
    del conventions  # Only the backward pass uses them.
    a = rule.value(z, *params)
    return a, (rule.residual(z, a), z if rule.parameters else None, params)

  def _bwd(conventions, residuals, g):
    residual, z, params = residuals
    dz = g * rule.slope(residual, params, conventions)
    dparams = tuple(
      _sum_to_shape(g * p.derivative(z, *params), value.shape)
      for p, value in zip(rule.parameters, params, strict=True)
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


def _differentiable(name: str) -> Callable[..., jax.Array]:
  """``call(z, *args, **kwargs)``: checks the arguments, then applies the custom VJP."""
  rule = RULES[name]
  implementation = custom_vjp_from_rule(rule)
  function = f"jacts.{name}"

  def call(z, *args, **kwargs):
    z, params, conventions = prepare(rule, function, z, *args, **kwargs)
    return implementation(conventions, z, *params)

  return call


_sigmoid = _differentiable("sigmoid")
_tanh = _differentiable("tanh")
_relu = _differentiable("relu")
_leaky_relu = _differentiable("leaky_relu")
# The public functions' defaults, read from the table (their signatures are checked against it).
_RELU_AT_ZERO = RULES["relu"].default("derivative_at_zero")
_LEAKY_SLOPE = RULES["leaky_relu"].default("negative_slope")
_LEAKY_AT_ZERO = RULES["leaky_relu"].default("derivative_at_zero")


def sigmoid(z: ArrayLike) -> jax.Array:
  r"""The logistic sigmoid, differentiated by the lecture's :math:`a(1 - a)`.

  .. math::
    g(z) = \frac{1}{1 + e^{-z}}, \qquad g'(z) = a (1 - a) \text{ with } a = g(z).

  The backward pass keeps only the output ``a``. It is finite for every finite ``z`` (autodiff of
  the naive formula gives NaN for z < -88 in float32). Where ``a`` rounds to 1, ``a(1 - a)``
  rounds to 0 although the true slope is about e^-z: from z = 16.64 in float32, 8.32 in float16
  and 6.25 in bfloat16 (``tests/test_numerics.py`` pins these). Half-precision inputs are
  evaluated in float32 and rounded back, so float16 sigmoid(-12) is 6.1e-6, not 0. For forward
  mode, see :func:`jacts.forward_mode`.

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
  return _sigmoid(z)


def tanh(z: ArrayLike) -> jax.Array:
  r"""The hyperbolic tangent, differentiated by the lecture's :math:`1 - a^2`.

  .. math::
    g(z) = \frac{e^z - e^{-z}}{e^z + e^{-z}}, \qquad g'(z) = 1 - a^2 \text{ with } a = g(z).

  The backward pass keeps only the output ``a``. It is finite for every finite ``z`` (the naive
  formula is inf/inf = NaN for |z| > 89 in float32). Where ``a`` rounds to +-1, ``1 - a^2``
  rounds to 0: from |z| = 8.0 in float32 (where XLA's tanh returns exactly 1), 4.51 in float16
  and 3.47 in bfloat16. For forward mode, see :func:`jacts.forward_mode`.

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
  return _tanh(z)


def relu(z: ArrayLike, *, derivative_at_zero: float = _RELU_AT_ZERO) -> jax.Array:
  r"""The rectified linear unit, with the lecture's derivative.

  .. math::
    g(z) = \max(0, z), \qquad
    g'(z) = \begin{cases} 0 & z < 0 \\ d_0 & z = 0 \\ 1 & z > 0 \end{cases}

  g'(0) is undefined; any value in the sub-differential [0, 1] is a valid choice. The lecture
  sets 1, the default here; ``derivative_at_zero=0.0`` gives the ``jax.nn.relu`` and PyTorch
  convention. For forward mode, see :func:`jacts.forward_mode`.

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
  return _relu(z, derivative_at_zero=derivative_at_zero)


def leaky_relu(
  z: ArrayLike,
  negative_slope: ArrayLike = _LEAKY_SLOPE,
  *,
  derivative_at_zero: float = _LEAKY_AT_ZERO,
) -> jax.Array:
  r"""The leaky rectified linear unit, with the lecture's derivative.

  .. math::
    g(z) = \begin{cases} s z & z < 0 \\ z & z \ge 0 \end{cases}, \qquad
    g'(z) = \begin{cases} s & z < 0 \\ d_0 & z = 0 \\ 1 & z > 0 \end{cases}, \qquad
    \frac{\partial g}{\partial s} = \begin{cases} z & z < 0 \\ 0 & z \ge 0 \end{cases}

  For 0 <= s <= 1 this is the lecture's max(s z, z) (s = 0.01). The slope ``s`` may be a traced
  JAX array and is differentiable, so a learnable slope (PReLU) works; its gradient is the sum
  of ``g * z`` over the entries where ``z < 0`` (summed over the axes ``s`` was broadcast along).
  For forward mode, see :func:`jacts.forward_mode`.

  Args:
    z: a floating-point array of any shape (float16, bfloat16, float32, float64) or Python float.
    negative_slope: s, a finite Python float or a floating-point array whose shape broadcasts to
      ``z``'s (a scalar, or one slope per channel).
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
  return _leaky_relu(z, negative_slope, derivative_at_zero=derivative_at_zero)


def _public_functions() -> Mapping[str, Callable]:
  """Each rule's public function, checked against the rule's signature at import."""
  for name, rule in RULES.items():
    declared = inspect.signature(globals()[name])
    plain = declared.replace(
      parameters=[p.replace(annotation=p.empty) for p in declared.parameters.values()],
      return_annotation=declared.empty,
    )
    if plain != rule.signature:
      raise AssertionError(f"jacts.{name}{plain} differs from its rule's {rule.signature}")
  return types.MappingProxyType({name: globals()[name] for name in RULES})


PUBLIC: Mapping[str, Callable] = _public_functions()
"""Every activation's public function, by rule name."""


def unknown_activation(activation, argument: str = "activation") -> ValueError:
  """The error for an ``argument`` that is not a jacts activation: it lists those there are."""
  known = ", ".join(f"jacts.{name}" for name in RULES)
  return ValueError(
    f"`{argument}` must be an activation jacts knows how to differentiate ({known}, or a "
    f"functools.partial of one); got {activation!r}."
  )
