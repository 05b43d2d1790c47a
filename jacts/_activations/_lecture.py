"""The lecture's four activations, each differentiated by a custom VJP built from its rule.

Each public activation checks its arguments (before tracing), then calls a ``jax.custom_vjp``
function whose backward pass is exactly the derivative in :data:`jacts._rules.RULES`. Each
public function's defaults are read from its rule (``_public.py`` checks the signatures).

Forward mode (``jax.jvp``, ``jax.jacfwd``) does not apply to a ``jax.custom_vjp`` function;
``jacts.forward_mode(f)`` is the same function with a custom JVP.
"""

import jax
from jax.typing import ArrayLike

from jacts._activations._differentiable import differentiable
from jacts._rules import RULES

_sigmoid = differentiable("sigmoid")
_tanh = differentiable("tanh")
_relu = differentiable("relu")
_leaky_relu = differentiable("leaky_relu")
# The public functions' defaults, read from the table (their signatures are checked against it).
_RELU_AT_ZERO = RULES["relu"].default("derivative_at_zero")
_LEAKY_SLOPE = RULES["leaky_relu"].default("negative_slope")
_LEAKY_AT_ZERO = RULES["leaky_relu"].default("derivative_at_zero")


def sigmoid(x: ArrayLike) -> jax.Array:
  r"""The logistic sigmoid, differentiated by the lecture's :math:`a(1 - a)`.

  .. math::
    g(z) = \frac{1}{1 + e^{-z}}, \qquad g'(z) = a (1 - a) \text{ with } a = g(z).

  The backward pass keeps only the output ``a``. It is finite for every finite ``z`` (autodiff of
  the naive formula gives NaN for z < -88 in float32). Where ``a`` rounds to 1, ``a(1 - a)`` rounds
  to 0 although the true slope is about e^-z: from z = 16.64 in float32, 8.32 in float16 and 6.25 in
  bfloat16 (``tests/activations/test_numerics.py`` pins these). Half-precision inputs are evaluated
  in float32 and rounded back, so float16 sigmoid(-12) is 6.1e-6, not 0. For forward mode, see
  :func:`jacts.forward_mode`.

  Args:
    x: the input z: an array of any shape, floating (float16, bfloat16, float32, float64), or
      integer, bool or a Python number where jax.nn accepts one (computed as jax.nn does).

  Returns:
    ``g(z)``, with the shape, dtype and weak type that jax.nn's namesake gives.

  Example:
    >>> import jax, jax.numpy as jnp, jacts
    >>> print(jacts.sigmoid(jnp.array([-10.0, 0.0, 10.0])))
    [4.5397872e-05 5.0000000e-01 9.9995458e-01]
    >>> print(jax.grad(jacts.sigmoid)(0.0))
    0.25
  """
  return _sigmoid(x)


def tanh(x: ArrayLike, /) -> jax.Array:
  r"""The hyperbolic tangent, differentiated by the lecture's :math:`1 - a^2`.

  .. math::
    g(z) = \frac{e^z - e^{-z}}{e^z + e^{-z}}, \qquad g'(z) = 1 - a^2 \text{ with } a = g(z).

  The backward pass keeps only the output ``a``. It is finite for every finite ``z`` (the naive
  formula is inf/inf = NaN for |z| > 89 in float32). Where ``a`` rounds to +-1, ``1 - a^2``
  rounds to 0: from |z| = 8.0 in float32 (where XLA's tanh returns exactly 1), 4.51 in float16
  and 3.47 in bfloat16. For forward mode, see :func:`jacts.forward_mode`.

  Args:
    x: the input z: an array of any shape, floating (float16, bfloat16, float32, float64), or
      integer, bool or a Python number where jax.nn accepts one (computed as jax.nn does).

  Returns:
    ``g(z)``, with the shape, dtype and weak type that jax.nn's namesake gives.

  Example:
    >>> import jax, jax.numpy as jnp, jacts
    >>> print(jacts.tanh(jnp.array([-1.0, 0.0, 1.0])))
    [-0.7615942  0.         0.7615942]
    >>> print(jax.grad(jacts.tanh)(0.0))
    1.0
  """
  return _tanh(x)


def relu(x: ArrayLike, *, derivative_at_zero: float = _RELU_AT_ZERO) -> jax.Array:
  r"""The rectified linear unit, with the lecture's derivative.

  .. math::
    g(z) = \max(0, z), \qquad
    g'(z) = \begin{cases} 0 & z < 0 \\ d_0 & z = 0 \\ 1 & z > 0 \end{cases}

  g'(0) is undefined; any value in the sub-differential [0, 1] is a valid choice. The lecture
  sets 1, the default here; ``derivative_at_zero=0.0`` gives the ``jax.nn.relu`` and PyTorch
  convention. For forward mode, see :func:`jacts.forward_mode`.

  Args:
    x: the input z: an array of any shape, floating (float16, bfloat16, float32, float64), or
      integer, bool or a Python number where jax.nn accepts one (computed as jax.nn does).
    derivative_at_zero: d_0, the derivative used at exactly ``z == 0``; a Python number in [0, 1].

  Returns:
    ``g(z)``, with the shape, dtype and weak type that jax.nn's namesake gives.

  Example:
    >>> import jax, jacts
    >>> print(jax.grad(jacts.relu)(0.0), jax.grad(jacts.relu)(-2.0))
    1.0 0.0
    >>> print(jax.grad(lambda z: jacts.relu(z, derivative_at_zero=0.0))(0.0))
    0.0
  """
  return _relu(x, derivative_at_zero=derivative_at_zero)


def leaky_relu(
  x: ArrayLike,
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
    x: the input z: an array of any shape, floating (float16, bfloat16, float32, float64), or
      integer, bool or a Python number where jax.nn accepts one (computed as jax.nn does).
    negative_slope: s, a finite Python float or a floating-point array whose shape broadcasts to
      ``z``'s (a scalar, or one slope per channel).
    derivative_at_zero: d_0, the derivative used at exactly ``z == 0``: 1 (the default) or s
      both work; a Python number between s and 1 when s is a Python float.

  Returns:
    ``g(z)``, with the shape, dtype and weak type that jax.nn's namesake gives.

  Example:
    >>> import jax, jax.numpy as jnp, jacts
    >>> print(jacts.leaky_relu(jnp.array([-2.0, 0.0, 3.0])))
    [-0.02  0.    3.  ]
    >>> print(jax.grad(jacts.leaky_relu)(-2.0), jax.grad(jacts.leaky_relu)(0.0))
    0.01 1.0
    >>> print(jax.grad(jacts.leaky_relu, argnums=1)(-2.0, 0.2))  # d/ds = z where z < 0
    -2.0
  """
  return _leaky_relu(x, negative_slope, derivative_at_zero=derivative_at_zero)
