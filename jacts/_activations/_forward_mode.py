"""Forward-mode versions of the activations: custom JVPs built from the same rules as the VJPs.

A ``jax.custom_vjp`` function refuses ``jax.jvp``; a ``jax.custom_jvp`` function supports both
modes (JAX transposes the linear JVP for reverse mode). The default activations stay custom VJPs,
as their residual is just the output for sigmoid and tanh; these are for forward mode.
"""

import functools
import types
from collections.abc import Callable, Mapping

from jacts._activations._differentiable import (
  custom_jvp_from_rule,
  differentiable,
  unknown_activation,
)
from jacts._activations._public import PUBLIC
from jacts._rules import RULES


def _forward_version(name: str) -> Callable:
  activation = PUBLIC[name]
  call = differentiable(name, custom_jvp_from_rule, f"jacts.forward_mode(jacts.{name})")

  @functools.wraps(activation)
  def forward_version(x, *args, **kwargs):
    return call(x, *args, **kwargs)

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
