"""g'(z) of the jacts activations as functions a user can call, e.g. for backprop by hand."""

import functools
from collections.abc import Callable

import jax
from jax.typing import ArrayLike

from jacts import _validation
from jacts._activations._differentiable import Prepared, prepare
from jacts._activations._registry import known_activation


def derivative(activation: Callable) -> Callable[..., jax.Array]:
  """Returns g', the derivative of a jacts activation with respect to its input, as a function.

  The returned function takes the same arguments as the activation and computes g' exactly as
  its custom VJP does: the same rule, the same conventions at kinks, and the same form (from the
  output a = g(z) where the backward pass keeps a, else from z). So ``derivative(f)(x) * g`` is
  bit for bit what ``jax.vjp(f, x)`` returns for the cotangent ``g``, eagerly and under
  ``jax.jit``; where the form read from a loses precision (sigmoid once a rounds to 1), both
  do, within the bounds the conventions page states.

  Args:
    activation: a jacts activation, or its forward-mode version (or a ``functools.partial`` of
      either, whose bound arguments are kept).

  Returns:
    A function ``(x, *args, **kwargs) -> g'(x)`` with the shape and dtype of the activation's
    result (an integer ``x`` that relu keeps as integers gives g' in the default float type).

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
  rule = _elementwise(known_activation(activation).rule)
  function = f"jacts.derivative(jacts.{rule.name})"

  def activation_derivative(x: ArrayLike, *args, **kwargs) -> jax.Array:
    return _typed_as_result(prepare(rule, function, x, *args, **kwargs), Prepared.derivative)

  activation_derivative.__name__ = f"{rule.name}_derivative"
  activation_derivative.__qualname__ = activation_derivative.__name__
  activation_derivative.__doc__ = f"g'(z) of jacts.{rule.name}; takes the same arguments."
  return activation_derivative


def derivative_from_output(activation: Callable) -> Callable[..., jax.Array]:
  """Returns g' written in the activation's output a = g(z), as the lecture writes it.

  sigmoid: :math:`g'(z) = a (1 - a)`; tanh: :math:`g'(z) = 1 - a^2`; softplus: :math:`1 -
  e^{-a}`; ELU: :math:`a + \\alpha` below 0. These are what a hand-written backward pass uses,
  since ``a`` is already known from the forward pass, and what the custom VJPs keep. ReLU has
  such a form only with ``derivative_at_zero=0.0`` (``a == 0`` does not tell ``z == 0`` from
  ``z < 0``), leaky ReLU only with a slope > 0 and ``derivative_at_zero`` equal to it, relu6
  only with g' 0 at both kinks: use :func:`derivative` on ``z`` otherwise.

  Args:
    activation: a jacts activation whose output determines its derivative (or a
      ``functools.partial`` of one, whose bound arguments are kept).

  Returns:
    A function ``(a, *args, **kwargs) -> g'(z)`` with the shape and dtype of ``a``, taking the
    activation's other arguments.

  Example:
    >>> import jax.numpy as jnp, jacts
    >>> print(jacts.derivative_from_output(jacts.sigmoid)(jnp.array(0.5)))
    0.25
    >>> print(jacts.derivative_from_output(jacts.tanh)(jnp.array(0.5)))
    0.75
    >>> relu_0 = jacts.derivative_from_output(jacts.relu)
    >>> print(relu_0(jnp.array([0.0, 2.0]), derivative_at_zero=0.0))
    [0. 1.]
  """
  if isinstance(activation, functools.partial):
    bound = derivative_from_output(activation.func)
    return functools.partial(bound, *activation.args, **activation.keywords)
  rule = _elementwise(known_activation(activation).rule)
  if rule.derivative_from_output is None:
    raise ValueError(
      f"`activation` jacts.{rule.name} has no derivative written in its output (its output "
      f"does not tell where z is on a kink or a flat side); use jacts.derivative(jacts."
      f"{rule.name}) on z."
    )
  function = f"jacts.derivative_from_output(jacts.{rule.name})"

  def activation_derivative_from_output(a: ArrayLike, *args, **kwargs) -> jax.Array:
    prepared = prepare(rule, function, a, *args, input_name="a", **kwargs)
    if not rule.output_determines_slope(prepared.numbers, prepared.conventions):
      raise ValueError(
        f"`{function}`: the output does not determine g' for these arguments "
        f"({_arguments(rule, prepared)}); use jacts.derivative(jacts.{rule.name}) on z."
      )
    return _typed_as_result(
      prepared,
      lambda p: rule.derivative_from_output(p.z, *p.params, *p.options, *p.conventions),
    )

  activation_derivative_from_output.__name__ = f"{rule.name}_derivative_from_output"
  activation_derivative_from_output.__qualname__ = activation_derivative_from_output.__name__
  return activation_derivative_from_output


def _typed_as_result(prepared: Prepared, slope: Callable[[Prepared], jax.Array]) -> jax.Array:
  """``slope(prepared)`` in the type of the activation's result: weakly typed where it is, and
  in the default float type where the activation keeps integers (relu of an int array)."""
  if prepared.integer:
    z = jax.numpy.asarray(prepared.z, jax.numpy.result_type(float))
    prepared = prepared._replace(z=z, params=tuple(p.astype(z.dtype) for p in prepared.params))
  result = slope(prepared)
  return _validation.weakly_typed(result) if prepared.weak else result


def _arguments(rule, prepared) -> str:
  named = zip(
    [*(p.name for p in rule.parameters), *(k.argument for k in rule.kinks)],
    [*prepared.numbers, *prepared.conventions],
    strict=True,
  )
  return ", ".join(f"{name}={'an array' if value is None else value}" for name, value in named)


def _elementwise(rule):
  if not rule.elementwise:
    raise ValueError(
      f"`activation` jacts.{rule.name} is not elementwise: its derivative is a Jacobian, not a "
      f"function g'(z); use jax.vjp, jax.grad or jax.jacrev."
    )
  return rule
