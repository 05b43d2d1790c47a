"""jax.nn's smooth activations, each differentiated by a custom VJP built from its rule.

Same names, arguments and defaults as ``jax.nn`` (the input ``x`` is z in the math, as in the
lecture). Where the output a determines g', the backward pass keeps a alone; parameters given
as arrays (``alpha``, ``b``) are differentiable. Every function takes ``x``, an array of any
shape or a Python number, computed as jax.nn computes it (integers in the default float type),
and returns g(z) with the shape, dtype and weak type that jax.nn's namesake gives. For forward
mode, see :func:`jacts.forward_mode`.
"""

import jax
from jax.typing import ArrayLike

from jacts._activations._differentiable import differentiable
from jacts._rules import RULES

_softplus = differentiable("softplus")
_log_sigmoid = differentiable("log_sigmoid")
_silu = differentiable("silu")
_mish = differentiable("mish")
_gelu = differentiable("gelu")
_soft_sign = differentiable("soft_sign")
_squareplus = differentiable("squareplus")
_sparse_plus = differentiable("sparse_plus")
_elu = differentiable("elu")
_celu = differentiable("celu")
_selu = differentiable("selu")
_log1mexp = differentiable("log1mexp")
_identity = differentiable("identity")
# The public functions' defaults, read from the table (_public.py checks the signatures).
_SQUAREPLUS_B = RULES["squareplus"].default("b")
_ELU_ALPHA = RULES["elu"].default("alpha")
_CELU_ALPHA = RULES["celu"].default("alpha")
_SELU_AT_ZERO = RULES["selu"].default("derivative_at_zero")


def softplus(x: ArrayLike) -> jax.Array:
  r"""The softplus, differentiated from its output.

  .. math::
    g(z) = \log(1 + e^z), \qquad g'(z) = \sigma(z) = 1 - e^{-a} \text{ with } a = g(z).

  Example:
    >>> import jax, jacts
    >>> print(jacts.softplus(0.0), jax.grad(jacts.softplus)(0.0))
    0.6931472 0.5
  """
  return _softplus(x)


def log_sigmoid(x: ArrayLike) -> jax.Array:
  r"""The log-sigmoid, differentiated from its output.

  .. math::
    g(z) = \log \sigma(z) = -\log(1 + e^{-z}), \qquad
    g'(z) = \sigma(-z) = 1 - e^{a} \text{ with } a = g(z).

  Example:
    >>> import jax, jacts
    >>> print(jacts.log_sigmoid(0.0), jax.grad(jacts.log_sigmoid)(0.0))
    -0.6931472 0.5
  """
  return _log_sigmoid(x)


def silu(x: ArrayLike) -> jax.Array:
  r"""The sigmoid-weighted linear unit (SiLU, swish).

  .. math::
    g(z) = z \sigma(z), \qquad g'(z) = s (1 + z (1 - s)) \text{ with } s = \sigma(z).

  ``a`` does not determine g' (g has a minimum near z = -1.28), so the backward pass keeps z.

  Example:
    >>> import jax, jacts
    >>> print(jacts.silu(1.0), jax.grad(jacts.silu)(1.0))
    0.7310586 0.92767054
  """
  return _silu(x)


swish = silu


def mish(x: ArrayLike) -> jax.Array:
  r"""The Mish activation.

  .. math::
    g(z) = z \tanh(\operatorname{softplus}(z)), \qquad
    g'(z) = t + z (1 - t^2) \sigma(z) \text{ with } t = \tanh(\operatorname{softplus}(z)).

  Example:
    >>> import jax, jacts
    >>> print(jacts.mish(1.0), jax.grad(jacts.mish)(1.0))
    0.8650985 1.0490363
  """
  return _mish(x)


def gelu(x: ArrayLike, approximate: bool = True) -> jax.Array:
  r"""The Gaussian error linear unit, exact or in its tanh approximation.

  .. math::
    g(z) = z \Phi(z), \qquad g'(z) = \Phi(z) + z \varphi(z);

    g(z) = \tfrac{z}{2} (1 + t), \; t = \tanh(c (z + k z^3)), \qquad
    g'(z) = \tfrac{1 + t}{2} + \tfrac{z}{2} (1 - t^2) c (1 + 3 k z^2),

  with :math:`c = \sqrt{2 / \pi}`, :math:`k = 0.044715`. Finite for every finite z (autodiff
  of jax.nn's approximation is NaN from |z| = 4.9e12 in float32, where z^3 overflows).

  Args:
    x: the input z.
    approximate: True (the default, as jax.nn) for the tanh approximation, False for the
      exact form with the Gaussian cdf :math:`\Phi`.

  Example:
    >>> import jax, jacts
    >>> print(jax.grad(jacts.gelu)(1.0), jax.grad(lambda z: jacts.gelu(z, False))(1.0))
    1.0829641 1.0833155
  """
  return _gelu(x, approximate)


def soft_sign(x: ArrayLike) -> jax.Array:
  r"""The soft-sign.

  .. math::
    g(z) = \frac{z}{1 + |z|}, \qquad g'(z) = \frac{1}{(1 + |z|)^2} = (1 - |a|)^2.

  The backward pass reads z, not a: g(+-inf) is inf / inf, NaN (as jax.nn's), where g' is 0,
  and a rounds to +-1 from |z| = 2^24 in float32, where (1 - |a|)^2 is 0 and g' is not.

  Example:
    >>> import jax, jacts
    >>> print(jacts.soft_sign(1.0), jax.grad(jacts.soft_sign)(1.0))
    0.5 0.25
  """
  return _soft_sign(x)


def squareplus(x: ArrayLike, b: ArrayLike = _SQUAREPLUS_B) -> jax.Array:
  r"""The squareplus, differentiated from its output.

  .. math::
    g(z) = \frac{z + \sqrt{z^2 + b}}{2}, \qquad
    g'(z) = \frac{1}{2}\left(1 + \frac{z}{\sqrt{z^2 + b}}\right) = \frac{4 a^2}{4 a^2 + b},
    \qquad \frac{\partial g}{\partial b} = \frac{1}{4 \sqrt{z^2 + b}}.

  Finite for every finite z, in value and gradient: jax.nn's squareplus is inf from |z| = 1.8e19
  in float32 (z^2 overflows), and its gradient NaN.

  Args:
    x: the input z.
    b: the smoothness, > 0: a Python float, or a floating-point array (differentiable) whose
      shape broadcasts to z's.

  Example:
    >>> import jax, jacts
    >>> print(jacts.squareplus(0.0), jax.grad(jacts.squareplus)(0.0))
    1.0 0.5
  """
  return _squareplus(x, b)


def sparse_plus(x: ArrayLike) -> jax.Array:
  r"""The sparse-plus, differentiated from its output.

  .. math::
    g(z) = \begin{cases} 0 & z \le -1 \\ (z + 1)^2 / 4 & -1 < z < 1 \\ z & z \ge 1 \end{cases},
    \qquad g'(z) = \begin{cases} 0 & z \le -1 \\ (z + 1) / 2 = \sqrt{a} & -1 < z < 1 \\
    1 & z \ge 1 \end{cases}

  The one-sided derivatives agree at -1 and 1, so there is no convention to choose.

  Example:
    >>> import jax, jacts
    >>> print(jacts.sparse_plus(0.0), jax.grad(jacts.sparse_plus)(0.0))
    0.25 0.5
  """
  return _sparse_plus(x)


def elu(
  x: ArrayLike,
  alpha: ArrayLike = _ELU_ALPHA,
  *,
  derivative_at_zero: float | None = None,
) -> jax.Array:
  r"""The exponential linear unit.

  .. math::
    g(z) = \begin{cases} z & z > 0 \\ \alpha (e^z - 1) & z \le 0 \end{cases}, \qquad
    g'(z) = \begin{cases} 1 & z > 0 \\ \alpha e^z = a + \alpha & z < 0 \end{cases}, \qquad
    \frac{\partial g}{\partial \alpha} = \begin{cases} 0 & z > 0 \\ e^z - 1 & z \le 0
    \end{cases}

  For alpha != 1, g' jumps at 0 from alpha to 1; by default g'(0) = alpha, as jax.nn and PyTorch
  take. With a Python ``alpha`` > 0 the backward pass keeps only the output a; a + alpha then
  carries an absolute error of about one ulp of alpha, large against g' itself far below 0
  (z < -16 in float32).

  Args:
    x: the input z.
    alpha: a Python float, or a floating-point array (differentiable) whose shape broadcasts to
      z's.
    derivative_at_zero: g'(0): None (alpha), or a Python number, between alpha and 1 when alpha
      is a Python float (an array alpha is not read on the host to check it).

  Example:
    >>> import jax, jacts
    >>> print(jacts.elu(-1.0), jax.grad(jacts.elu)(-1.0))
    -0.63212055 0.36787945
  """
  return _elu(x, alpha, derivative_at_zero=derivative_at_zero)


def celu(x: ArrayLike, alpha: ArrayLike = _CELU_ALPHA) -> jax.Array:
  r"""The continuously differentiable exponential linear unit, differentiated from its output.

  .. math::
    g(z) = \max(0, z) + \min(0, \alpha (e^{z/\alpha} - 1)), \qquad
    g'(z) = \begin{cases} 1 & z > 0 \\ e^{z/\alpha} = 1 + a / \alpha & z \le 0 \end{cases}

  Args:
    x: the input z.
    alpha: > 0: a Python float, or a floating-point array (differentiable) whose shape
      broadcasts to z's.

  Example:
    >>> import jax, jacts
    >>> print(jacts.celu(-1.0, 2.0), jax.grad(jacts.celu)(-1.0, 2.0))
    -0.78693867 0.60653067
  """
  return _celu(x, alpha)


def selu(x: ArrayLike, *, derivative_at_zero: float = _SELU_AT_ZERO) -> jax.Array:
  r"""The scaled exponential linear unit, differentiated from its output.

  .. math::
    g(z) = \lambda \begin{cases} z & z > 0 \\ \alpha (e^z - 1) & z \le 0 \end{cases}, \qquad
    g'(z) = \begin{cases} \lambda & z > 0 \\ \lambda \alpha e^z = a + \lambda \alpha & z < 0
    \end{cases}

  with jax.nn's :math:`\alpha = 1.6733` and :math:`\lambda = 1.0507`. g' jumps at 0; by default
  g'(0) = lambda alpha = 1.7581, the left-hand side, as jax.nn and PyTorch take. From the output,
  g' carries an absolute error of about one ulp of lambda alpha (large against g' for z < -16 in
  float32).

  Args:
    x: the input z.
    derivative_at_zero: g'(0), a Python number between lambda and lambda alpha.

  Example:
    >>> import jax, jacts
    >>> print(jax.grad(jacts.selu)(1.0), jax.grad(jacts.selu)(0.0))
    1.050701 1.7580993
  """
  return _selu(x, derivative_at_zero=derivative_at_zero)


def log1mexp(x: ArrayLike) -> jax.Array:
  r"""log(1 - e^-z), for z > 0.

  .. math::
    g(z) = \log(1 - e^{-z}), \qquad g'(z) = \frac{1}{e^z - 1} = e^{-a} - 1.

  g is -inf at 0 (and g' inf) and NaN below 0, as jax.nn's. The backward pass reads z, as
  e^-z / (1 - e^-z): e^-a - 1 would turn the rounding of a ~ log z into |a| ulp of g' as z -> 0.

  Example:
    >>> import jax, jacts
    >>> print(jacts.log1mexp(1.0), jax.grad(jacts.log1mexp)(1.0))
    -0.45867515 0.5819767
  """
  return _log1mexp(x)


def identity(x: ArrayLike) -> jax.Array:
  r"""The identity, g(z) = z, g'(z) = 1: its backward pass reads nothing of z or a.

  Example:
    >>> import jax, jacts
    >>> print(jacts.identity(2.0), jax.grad(jacts.identity)(2.0))
    2.0 1.0
  """
  return _identity(x)
