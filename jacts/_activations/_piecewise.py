"""jax.nn's piecewise-linear activations, each differentiated by a custom VJP built from its rule,
with an explicit convention at every kink.

At a kink the derivative is undefined: any value between the one-sided derivatives is a valid
choice. Each kink has a keyword argument; its default is what jax.nn's autodiff gives there, and
each docstring records PyTorch's choice beside it. Where the derivative is 0 at both kinks and
g is z itself between them (relu6 and, with those conventions, hard-tanh), the backward pass
keeps only the output a. Every function takes jax.nn's arguments: ``x`` (z in the math), an
array of any shape or a Python number, computed as jax.nn computes it (integers in the default
float type), and returns g(z) with the shape, dtype and weak type that jax.nn's namesake gives.
For forward mode, see :func:`jacts.forward_mode`.
"""

import jax
from jax.typing import ArrayLike

from jacts._activations._differentiable import differentiable
from jacts._rules import RULES

_relu6 = differentiable("relu6")
_hard_sigmoid = differentiable("hard_sigmoid")
_hard_silu = differentiable("hard_silu")
_hard_tanh = differentiable("hard_tanh")
_sparse_sigmoid = differentiable("sparse_sigmoid")


def relu6(
  x: ArrayLike,
  *,
  derivative_at_zero: float = RULES["relu6"].default("derivative_at_zero"),
  derivative_at_six: float = RULES["relu6"].default("derivative_at_six"),
) -> jax.Array:
  r"""The rectified linear unit capped at 6.

  .. math::
    g(z) = \min(\max(0, z), 6), \qquad
    g'(z) = \begin{cases} 1 & 0 < z < 6 \\ d_0, d_6 & z = 0, 6 \\ 0 & \text{otherwise}
    \end{cases}

  Args:
    x: the input z.
    derivative_at_zero: d_0 in [0, 1]; 0 as jax.nn and PyTorch.
    derivative_at_six: d_6 in [0, 1]; 0 as jax.nn and PyTorch.

  Example:
    >>> import jax, jacts
    >>> print(jax.grad(jacts.relu6)(3.0), jax.grad(jacts.relu6)(6.0))
    1.0 0.0
  """
  return _relu6(x, derivative_at_zero=derivative_at_zero, derivative_at_six=derivative_at_six)


def hard_sigmoid(
  x: ArrayLike,
  *,
  derivative_at_minus_three: float = RULES["hard_sigmoid"].default("derivative_at_minus_three"),
  derivative_at_three: float = RULES["hard_sigmoid"].default("derivative_at_three"),
) -> jax.Array:
  r"""The hard sigmoid, relu6(z + 3) / 6.

  .. math::
    g(z) = \frac{\min(\max(0, z + 3), 6)}{6}, \qquad
    g'(z) = \begin{cases} 1/6 & -3 < z < 3 \\ 0 & |z| > 3 \end{cases}

  The backward pass keeps z: a cannot tell z just below 3 from 3 itself, where z + 3 rounds to 6
  (2.9999999999999996 in float64, where g' is 1/6 and a is 1).

  Args:
    x: the input z.
    derivative_at_minus_three: g'(-3) in [0, 1/6]; 0 as jax.nn and PyTorch.
    derivative_at_three: g'(3) in [0, 1/6]; 0 as jax.nn and PyTorch.

  Example:
    >>> import jax, jacts
    >>> print(jacts.hard_sigmoid(0.0), jax.grad(jacts.hard_sigmoid)(0.0))
    0.5 0.16666667
  """
  return _hard_sigmoid(
    x, derivative_at_minus_three=derivative_at_minus_three, derivative_at_three=derivative_at_three
  )


def hard_silu(
  x: ArrayLike,
  *,
  derivative_at_minus_three: float = RULES["hard_silu"].default("derivative_at_minus_three"),
  derivative_at_three: float = RULES["hard_silu"].default("derivative_at_three"),
) -> jax.Array:
  r"""The hard SiLU (hard swish), z relu6(z + 3) / 6.

  .. math::
    g(z) = z \frac{\min(\max(0, z + 3), 6)}{6}, \qquad
    g'(z) = \begin{cases} 0 & z < -3 \\ (2z + 3) / 6 & -3 < z < 3 \\ 1 & z > 3 \end{cases}

  The one-sided derivatives are 0 and -1/2 at -3, 3/2 and 1 at 3. ``a`` does not determine g'
  (a = 0 at z = 0 and for z <= -3), so the backward pass keeps z.

  Args:
    x: the input z.
    derivative_at_minus_three: g'(-3) in [-1/2, 0]; 0 as jax.nn (PyTorch: -1/2).
    derivative_at_three: g'(3) in [1, 3/2]; 1 as jax.nn (PyTorch: 3/2).

  Example:
    >>> import jax, jacts
    >>> print(jax.grad(jacts.hard_silu)(0.0), jax.grad(jacts.hard_silu)(3.0))
    0.5 1.0
  """
  return _hard_silu(
    x, derivative_at_minus_three=derivative_at_minus_three, derivative_at_three=derivative_at_three
  )


hard_swish = hard_silu


def hard_tanh(
  x: ArrayLike,
  *,
  derivative_at_minus_one: float = RULES["hard_tanh"].default("derivative_at_minus_one"),
  derivative_at_one: float = RULES["hard_tanh"].default("derivative_at_one"),
) -> jax.Array:
  r"""The hard tanh, z clipped to [-1, 1].

  .. math::
    g(z) = \max(-1, \min(1, z)), \qquad
    g'(z) = \begin{cases} 1 & |z| < 1 \\ 0 & |z| > 1 \end{cases}

  Args:
    x: the input z.
    derivative_at_minus_one: g'(-1) in [0, 1]; 1 as jax.nn (PyTorch: 0).
    derivative_at_one: g'(1) in [0, 1]; 1 as jax.nn (PyTorch: 0). With both 0 the backward pass
      keeps only the output a.

  Example:
    >>> import jax, jacts
    >>> print(jax.grad(jacts.hard_tanh)(1.0), jax.grad(jacts.hard_tanh)(2.0))
    1.0 0.0
  """
  return _hard_tanh(
    x, derivative_at_minus_one=derivative_at_minus_one, derivative_at_one=derivative_at_one
  )


def sparse_sigmoid(
  x: ArrayLike,
  *,
  derivative_at_minus_one: float = RULES["sparse_sigmoid"].default("derivative_at_minus_one"),
  derivative_at_one: float = RULES["sparse_sigmoid"].default("derivative_at_one"),
) -> jax.Array:
  r"""The sparse sigmoid, clip(z + 1, 0, 2) / 2.

  .. math::
    g(z) = \tfrac{1}{2} \min(\max(z + 1, 0), 2), \qquad
    g'(z) = \begin{cases} 1/2 & |z| < 1 \\ 0 & |z| > 1 \end{cases}

  Args:
    x: the input z.
    derivative_at_minus_one: g'(-1) in [0, 1/2]; 1/4 as jax.nn, whose clip splits the tie (not
      in PyTorch). The backward pass keeps z: a is 1 for z just below 1 too, where z + 1 rounds
      to 2 (1 - 2^-24 in float32, where g' is 1/2).
    derivative_at_one: g'(1) in [0, 1/2]; 1/4 as jax.nn.

  Example:
    >>> import jax, jacts
    >>> print(jax.grad(jacts.sparse_sigmoid)(0.0), jax.grad(jacts.sparse_sigmoid)(1.0))
    0.5 0.25
  """
  return _sparse_sigmoid(
    x, derivative_at_minus_one=derivative_at_minus_one, derivative_at_one=derivative_at_one
  )
