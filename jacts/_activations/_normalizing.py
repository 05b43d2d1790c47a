"""jax.nn's activations that are not elementwise, each differentiated by a custom VJP in closed
form from its rule: GLU, and softmax and log-softmax for output layers. Their derivative is a
Jacobian, so :func:`jacts.derivative` does not apply and a hidden layer of ``jacts.shallow``
cannot use them; ``jax.grad``, ``jax.vjp`` and (through :func:`jacts.forward_mode`) ``jax.jvp``
do.
"""

import jax
from jax.typing import ArrayLike

from jacts._activations._differentiable import differentiable

_glu = differentiable("glu")
_softmax = differentiable("softmax")
_log_softmax = differentiable("log_softmax")


def glu(x: ArrayLike, axis: int = -1) -> jax.Array:
  r"""The gated linear unit: the first half of ``z`` along ``axis``, gated by the second's sigmoid.

  .. math::
    g(z) = z_1 \sigma(z_2), \qquad
    \bar z_1 = \bar a \, \sigma(z_2), \quad \bar z_2 = \bar a \, z_1 \sigma(z_2) (1 - \sigma(z_2))

  for the cotangent :math:`\bar a`. The backward pass keeps z.

  Args:
    x: the input z, a floating-point array whose size along ``axis`` is even.
    axis: the axis to split in halves.

  Returns:
    ``g(z)``, with z's dtype and shape except half the size along ``axis``.

  Example:
    >>> import jax.numpy as jnp, jacts
    >>> print(jacts.glu(jnp.array([2.0, 0.0])))
    [1.]
  """
  return _glu(x, axis)


def softmax(
  x: ArrayLike, axis: int | tuple[int, ...] | None = -1, where: ArrayLike | None = None
) -> jax.Array:
  r"""The softmax, differentiated from its output.

  .. math::
    a_i = \frac{e^{z_i}}{\sum_j e^{z_j}}, \qquad \bar z = a \odot (\bar a - \textstyle\sum_j
    \bar a_j a_j)

  for the cotangent :math:`\bar a`: the backward pass keeps only a.

  Args:
    x: the input z, a floating-point array.
    axis: the axis or axes to normalize over (an int, a tuple of ints, or None for all).
    where: None, or a boolean array that broadcasts to z's shape: the entries to include; a is 0
      elsewhere.

  Returns:
    ``a``, with the shape and dtype of ``z``.

  Example:
    >>> import jax.numpy as jnp, jacts
    >>> print(jacts.softmax(jnp.array([0.0, 0.0, 0.0, 0.0])))
    [0.25 0.25 0.25 0.25]
  """
  return _softmax(x, axis, where)


def log_softmax(
  x: ArrayLike, axis: int | tuple[int, ...] | None = -1, where: ArrayLike | None = None
) -> jax.Array:
  r"""The log-softmax, differentiated from its output.

  .. math::
    a_i = z_i - \log \textstyle\sum_j e^{z_j}, \qquad
    \bar z = \bar a - e^{a} \textstyle\sum_j \bar a_j

  for the cotangent :math:`\bar a`: the backward pass keeps only a.

  Args:
    x: the input z, a floating-point array.
    axis: the axis or axes to normalize over (an int, a tuple of ints, or None for all).
    where: None, or a boolean array that broadcasts to z's shape: the entries to include; a is
      -inf elsewhere, and their gradient 0.

  Returns:
    ``a``, with the shape and dtype of ``z``.

  Example:
    >>> import jax.numpy as jnp, jacts
    >>> print(jacts.log_softmax(jnp.array([0.0, 0.0])))
    [-0.6931472 -0.6931472]
  """
  return _log_softmax(x, axis, where)
