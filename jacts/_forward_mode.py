"""Forward-mode versions of the activations: custom JVPs built from the same rules as the VJPs.

A ``jax.custom_vjp`` function refuses ``jax.jvp``; a ``jax.custom_jvp`` function supports both
modes (JAX transposes the linear JVP for reverse mode). The default activations stay custom VJPs,
as their residual is just the output for sigmoid and tanh; these are for forward mode.
"""

import functools
import types
from collections.abc import Callable, Mapping
from typing import cast

import jax
import jax.numpy as jnp

from jacts._differentiable import differentiable, merge, unknown_activation
from jacts._public import PUBLIC
from jacts._rules import RULES, Rule


def custom_jvp_from_rule(rule: Rule) -> Callable:
  """Builds ``f(static, z, traced, arrays)`` (as ``custom_vjp_from_rule``) whose JVP is
  ``rule``'s derivative.

  .. math::
    \\dot a = g'(z) \\dot z + \\sum_k \\frac{\\partial g}{\\partial s_k} \\dot s_k
  """

  @functools.partial(jax.custom_jvp, nondiff_argnums=(0,))
  def f(static, z, traced, arrays):
    params, options = merge(rule, static, z, traced, arrays)
    return rule.value(z, *params, *options)

  def _jvp(static, primals, tangents):
    z, traced, arrays = primals
    z_dot, traced_dot, _ = tangents
    params, options = merge(rule, static, z, traced, arrays)
    a = rule.value(z, *params, *options)
    if _is_zero(z_dot):
      a_dot = jnp.zeros_like(a)
    elif not rule.elementwise:
      # Every rule without a derivative has a jacobian_vector (Rule's typing cannot say so).
      jacobian_vector = cast(Callable[..., jax.Array], rule.jacobian_vector)
      a_dot = jacobian_vector(z, a, z_dot, *options)
    else:
      from_output = rule.uses_output(static.numbers, static.conventions)
      residual = a if from_output else z
      a_dot = rule.slope(residual, from_output, params, options, static.conventions) * z_dot
    dynamic = (p for p, n in zip(rule.parameters, static.numbers, strict=True) if n is None)
    for p, p_dot in zip(dynamic, traced_dot, strict=True):
      # A parameter that is not perturbed adds nothing: not d * 0, which is NaN where d is
      # infinite (d(slope * z)/d slope = z = -inf).
      if not _is_zero(p_dot):
        a_dot = a_dot + p.derivative(z, *params, *options) * jnp.broadcast_to(p_dot, z.shape)
    return a, a_dot

  f.defjvp(_jvp, symbolic_zeros=True)
  return f


def _is_zero(tangent) -> bool:
  return isinstance(tangent, jax.custom_derivatives.SymbolicZero)


def _forward_version(name: str) -> Callable:
  activation = PUBLIC[name]
  call = differentiable(name, custom_jvp_from_rule, f"jacts.forward_mode(jacts.{name})")

  @functools.wraps(activation)
  def forward_version(z, *args, **kwargs):
    return call(z, *args, **kwargs)

  forward_version.__qualname__ = f"forward_mode({name})"
  forward_version.__doc__ = (
    f"jacts.{name} differentiated by a custom JVP from the same rule (forward and reverse "
    f"mode); takes the same arguments. See jacts.forward_mode."
  )
  return forward_version


# Built once, so that forward_mode(f) is always the same function (jit caches by identity).
FORWARD: Mapping[str, Callable] = types.MappingProxyType(
  {name: _forward_version(name) for name in RULES}
)
"""Every activation's forward-mode version, by rule name."""

_FORWARD_OF = {PUBLIC[name]: FORWARD[name] for name in RULES} | {f: f for f in FORWARD.values()}


def forward_mode(activation: Callable) -> Callable:
  """Returns ``activation`` with a custom JVP, for ``jax.jvp``, ``jax.jacfwd`` and friends.

  Same arguments, same values and same derivative as ``activation`` (the same rule, the same
  conventions at kinks, the same traced and differentiable parameters), defined with
  ``jax.custom_jvp`` instead of ``jax.custom_vjp``, so that every JAX transformation applies:
  ``jax.jvp``, ``jax.jacfwd``, ``jax.linearize``, forward-over-reverse Hessian-vector products,
  and reverse mode too. ``jacts.derivative``, ``jacts.shallow`` and ``jacts.forward_mode`` itself
  accept the result.

  When to use which: the default activations store only their output where it determines g'
  (sigmoid, tanh) and are what reverse-mode training wants; use these where forward mode is
  needed.

  Args:
    activation: a jacts activation (or a ``functools.partial`` of one, whose bound arguments
      are kept).

  Returns:
    The forward-mode version; calling ``forward_mode`` again returns the same function.

  Example:
    >>> import jax, jacts
    >>> tanh = jacts.forward_mode(jacts.tanh)
    >>> print(jax.jvp(tanh, (0.0,), (2.0,))[1])
    2.0
    >>> print(jax.jacfwd(jacts.forward_mode(jacts.relu))(0.0))
    1.0
  """
  if isinstance(activation, functools.partial):
    return functools.partial(forward_mode(activation.func), *activation.args, **activation.keywords)
  try:
    return _FORWARD_OF[activation]
  except (KeyError, TypeError):  # TypeError: an unhashable argument.
    raise unknown_activation(activation) from None
