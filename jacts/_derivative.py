"""g'(z) of the jacts activations as functions a user can call, e.g. for backprop by hand."""

import functools
from collections.abc import Callable

import jax
from jax.typing import ArrayLike

from jacts import _validation
from jacts._activations import ACTIVATIONS, Activation, arguments_checker


def known_activation(activation: Callable, argument: str = "activation") -> Activation:
  """Returns what jacts knows of ``activation``, or raises a ValueError that lists what it knows."""
  if isinstance(activation, functools.partial):
    return known_activation(activation.func, argument)
  try:
    return ACTIVATIONS[activation]
  except (KeyError, TypeError):  # TypeError: an unhashable argument.
    pass
  known = ", ".join(f"jacts.{a.rule.name}" for a in ACTIVATIONS.values())
  raise ValueError(
    f"`{argument}` must be an activation jacts knows how to differentiate ({known}, or a "
    f"functools.partial of one); got {activation!r}."
  )


def derivative(activation: Callable) -> Callable[..., jax.Array]:
  """Returns g', the derivative of a jacts activation with respect to z, as a function.

  The returned function takes the same arguments as the activation and uses the same rule as its
  custom VJP (including the convention at z = 0), so ``derivative(f)(z) * g`` is exactly what
  ``jax.vjp(f, z)`` returns for the cotangent ``g``.

  Args:
    activation: ``jacts.sigmoid``, ``jacts.tanh``, ``jacts.relu`` or ``jacts.leaky_relu`` (or a
      ``functools.partial`` of one, whose bound arguments are kept).

  Returns:
    A function ``(z, *args, **kwargs) -> g'(z)`` with the shape and dtype of ``z``.

  Example:
    >>> import jax.numpy as jnp, jacts
    >>> z = jnp.array([-2.0, 0.0, 3.0])
    >>> print(jacts.derivative(jacts.sigmoid)(jnp.array(0.0)))
    0.25
    >>> print(jacts.derivative(jacts.leaky_relu)(z, negative_slope=0.2))
    [0.2 1.  1. ]
    >>> print(jacts.derivative(jacts.relu)(z, derivative_at_zero=0.0))
    [0. 0. 1.]
  """
  if isinstance(activation, functools.partial):
    return functools.partial(derivative(activation.func), *activation.args, **activation.keywords)
  rule, prepare = known_activation(activation)
  function = f"jacts.derivative(jacts.{rule.name})"
  check_arguments = arguments_checker(function, activation)

  def activation_derivative(z: ArrayLike, *args, **kwargs) -> jax.Array:
    check_arguments(z, *args, **kwargs)
    z, params, at_zero = prepare(function, z, *args, **kwargs)
    return rule.derivative(z, *params, derivative_at_zero=at_zero)

  activation_derivative.__name__ = f"{rule.name}_derivative"
  activation_derivative.__qualname__ = activation_derivative.__name__
  activation_derivative.__doc__ = f"g'(z) of jacts.{rule.name}; takes the same arguments."
  return activation_derivative


def derivative_from_output(activation: Callable) -> Callable[[ArrayLike], jax.Array]:
  """Returns g' written in the activation's output a = g(z), as the lecture writes it.

  sigmoid: :math:`g'(z) = a (1 - a)`; tanh: :math:`g'(z) = 1 - a^2`. These are what a
  hand-written backward pass uses, since ``a`` is already known from the forward pass. ReLU and
  leaky ReLU have no such form (``a == 0`` does not tell ``z == 0`` from ``z < 0``): use
  :func:`derivative` on ``z`` instead.

  Args:
    activation: ``jacts.sigmoid`` or ``jacts.tanh``.

  Returns:
    A function ``a -> g'(z)`` with the shape and dtype of ``a``.

  Example:
    >>> import jax.numpy as jnp, jacts
    >>> print(jacts.derivative_from_output(jacts.sigmoid)(jnp.array(0.5)))
    0.25
    >>> print(jacts.derivative_from_output(jacts.tanh)(jnp.array(0.5)))
    0.75
  """
  rule = known_activation(activation).rule
  if rule.derivative_from_output is None:
    raise ValueError(
      f"`activation` jacts.{rule.name} has no derivative written in its output (its output 0 "
      f"does not tell z == 0 from z < 0); use jacts.derivative(jacts.{rule.name}) on z."
    )
  function = f"jacts.derivative_from_output(jacts.{rule.name})"

  def activation_derivative_from_output(a: ArrayLike) -> jax.Array:
    return rule.derivative_from_output(_validation.floating_array(function, "a", a))

  activation_derivative_from_output.__name__ = f"{rule.name}_derivative_from_output"
  activation_derivative_from_output.__qualname__ = activation_derivative_from_output.__name__
  return activation_derivative_from_output
