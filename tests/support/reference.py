"""Every elementwise activation's g, g' and g'' in float64 NumPy: the textbook reference that
tests/activations/test_exhaustive.py holds jacts to.

Written from the textbook formulas, independently of jacts and jax.nn (neither is imported), in
their numerically stable forms: e^-|z| branches instead of e^z, expm1 and log1p where 1 is
added or subtracted, the cancelling sums rewritten (squareplus for z < 0, 1 - 2 sigmoid). Each
function takes and returns float64 arrays, keeps NaN (NaN in, NaN out, but for the constant g'
of identity) and gives the limit at +-inf (silu(-inf) is 0 here, where jax.nn's -inf * 0 is
NaN: the test states those points). At a kink g' is the convention given as an argument, by
default jax.nn's (and jacts'); g'' is None for the piecewise-linear activations, and ``breaks``
lists the points where the smooth ones' g'' does not exist.

The smooth activations are here, with REFERENCES, the table of all; the piecewise ones (linear
between kinks, and sparse_plus) and the float64 machinery are in reference_piecewise.py.
"""

import math
from collections.abc import Callable
from typing import NamedTuple

import numpy as np
from reference_piecewise import (
  _float64,
  _keep_nan,
  hard_sigmoid,
  hard_sigmoid_derivative,
  hard_silu,
  hard_silu_derivative,
  hard_tanh,
  hard_tanh_derivative,
  identity,
  leaky_relu,
  leaky_relu_derivative,
  one,
  relu,
  relu6,
  relu6_derivative,
  relu_derivative,
  sparse_plus,
  sparse_plus_derivative,
  sparse_plus_second,
  sparse_sigmoid,
  sparse_sigmoid_derivative,
  zero,
)
from scipy.special import ndtr

SELU_ALPHA = 1.6732632423543772848170429916717
SELU_SCALE = 1.0507009873554804934193349852946
GELU_C = math.sqrt(2 / math.pi)  # The tanh approximation: u = c (z + k z^3).
GELU_K = 0.044715
SQUAREPLUS_B = 4.0
FAR = 1e300  # A finite z beyond every tail: a factor z clipped here meets an exact 0, not inf * 0.


def _at_infinities(z, result, at_minus_inf, at_plus_inf):
  """``result`` with g's limits at -inf and +inf, where the formula gives inf * 0 or inf / inf."""
  return np.where(z == -np.inf, at_minus_inf, np.where(z == np.inf, at_plus_inf, result))


def _finite(z, far=FAR):
  return np.clip(z, -far, far)


# sigmoid: s = 1 / (1 + e^-z), s' = s (1 - s) = e / (1 + e)^2 with e = e^-|z|,
# s'' = s' (1 - 2 s) = sign(z) e (e - 1) / (1 + e)^3.
@_float64
def sigmoid(z):
  e = np.exp(-np.abs(z))
  return np.where(z >= 0, 1 / (1 + e), e / (1 + e))


@_float64
def sigmoid_derivative(z):
  e = np.exp(-np.abs(z))
  return e / (1 + e) ** 2


@_float64
def sigmoid_second(z):
  e = np.exp(-np.abs(z))
  return np.sign(z) * e * np.expm1(-np.abs(z)) / (1 + e) ** 3


# tanh: t = sign(z) (1 - e) / (1 + e) with e = e^-2|z|, t' = 1 / cosh^2 = 4 e / (1 + e)^2,
# t'' = -2 t t'.
@_float64
def tanh(z):
  e = np.exp(-2 * np.abs(z))
  return np.sign(z) * -np.expm1(-2 * np.abs(z)) / (1 + e)


@_float64
def tanh_derivative(z):
  e = np.exp(-2 * np.abs(z))
  return 4 * e / (1 + e) ** 2


@_float64
def tanh_second(z):
  return -2 * tanh(z) * tanh_derivative(z)


# softplus: log(1 + e^z) = max(z, 0) + log1p(e^-|z|); g' = sigmoid(z), g'' = sigmoid'(z).
@_float64
def softplus(z):
  return np.maximum(z, 0) + np.log1p(np.exp(-np.abs(z)))


# log_sigmoid: log sigmoid(z) = min(z, 0) - log1p(e^-|z|); g' = sigmoid(-z), g'' = -sigmoid'(z).
@_float64
def log_sigmoid(z):
  return np.minimum(z, 0) - np.log1p(np.exp(-np.abs(z)))


@_float64
def log_sigmoid_derivative(z):
  return sigmoid(-z)


@_float64
def log_sigmoid_second(z):
  return -sigmoid_derivative(z)


# silu: z s; g' = s (1 + z (1 - s)) = s + z s', g'' = s' (2 + z (1 - 2 s)) = 2 s' + z s''.
@_float64
def silu(z):
  return _at_infinities(z, z * sigmoid(z), 0.0, np.inf)


@_float64
def silu_derivative(z):
  return sigmoid(z) + _finite(z) * sigmoid_derivative(z)


@_float64
def silu_second(z):
  return 2 * sigmoid_derivative(z) + _finite(z) * sigmoid_second(z)


# mish: z t with t = tanh(softplus(z)) = n / (n + 2), n = e^z (e^z + 2); h = 1 - t^2 =
# 4 (1 + e^z)^2 / (n + 2)^2 = sech^2(softplus(z)); for z > 0 both are rewritten in w = e^-z.
# g' = t + z s h, g'' = h (2 s + z (s' - 2 s^2 t)), with s = sigmoid(z).
def _mish_t_and_h(z):
  e = np.exp(np.minimum(z, 0))
  n = e * (e + 2)
  w = np.exp(-np.maximum(z, 0))
  d = 1 + 2 * w + 2 * w * w
  t = np.where(z <= 0, n / (n + 2), (1 + 2 * w) / d)
  h = np.where(z <= 0, 4 * (1 + e) ** 2 / (n + 2) ** 2, 4 * ((1 + w) * w / d) ** 2)
  return t, h


@_float64
def mish(z):
  t, _ = _mish_t_and_h(z)
  return _at_infinities(z, z * t, 0.0, np.inf)


@_float64
def mish_derivative(z):
  t, h = _mish_t_and_h(z)
  return t + _finite(z) * sigmoid(z) * h


@_float64
def mish_second(z):
  t, h = _mish_t_and_h(z)
  s = sigmoid(z)
  return h * (2 * s + _finite(z) * (sigmoid_derivative(z) - 2 * s * s * t))


# gelu, exact: z Phi(z); g' = Phi(z) + z phi(z), g'' = phi(z) (2 - z^2). phi(100) is 0 exactly.
def _normal_density(z):
  return np.exp(-z * z / 2) / math.sqrt(2 * math.pi)


@_float64
def gelu_exact(z):
  return _at_infinities(z, z * ndtr(z), 0.0, np.inf)


@_float64
def gelu_exact_derivative(z):
  x = _finite(z, 100.0)
  return ndtr(z) + x * _normal_density(x)


@_float64
def gelu_exact_second(z):
  x = _finite(z, 100.0)
  return _normal_density(x) * (2 - x * x)


# gelu, tanh approximation: z (1 + tanh(u)) / 2 = z sigmoid(2u), u = c (z + k z^3);
# g' = sigmoid(2u) + 2 z sigmoid'(2u) u', g'' = 4 sigmoid'(2u) u' + z (4 sigmoid''(2u) u'^2 +
# 2 sigmoid'(2u) u''), u' = c (1 + 3k z^2), u'' = 6 c k z. sigmoid'(2u) is 0 exactly from |z| = 50.
def _gelu_u(z):
  return GELU_C * (z + GELU_K * z**3), GELU_C * (1 + 3 * GELU_K * z * z), 6 * GELU_C * GELU_K * z


@_float64
def gelu_tanh(z):
  u, _, _ = _gelu_u(z)
  return _at_infinities(z, z * sigmoid(2 * u), 0.0, np.inf)


@_float64
def gelu_tanh_derivative(z):
  x = _finite(z, 50.0)
  u, du, _ = _gelu_u(x)
  return sigmoid(2 * u) + 2 * x * sigmoid_derivative(2 * u) * du


@_float64
def gelu_tanh_second(z):
  x = _finite(z, 50.0)
  u, du, ddu = _gelu_u(x)
  first, second = sigmoid_derivative(2 * u), sigmoid_second(2 * u)
  return 4 * first * du + x * (4 * second * du * du + 2 * first * ddu)


# soft_sign: z / (1 + |z|); g' = 1 / (1 + |z|)^2; g'' = -2 sign(z) / (1 + |z|)^3, none at 0.
@_float64
def soft_sign(z):
  return _at_infinities(z, z / (1 + np.abs(z)), -1.0, 1.0)


@_float64
def soft_sign_derivative(z):
  return 1 / (1 + np.abs(z)) ** 2


@_float64
def soft_sign_second(z):
  return -2 * np.sign(z) / (1 + np.abs(z)) ** 3


# squareplus (b = 4): (z + r) / 2 with r = sqrt(z^2 + b) = hypot(z, sqrt(b)); for z < 0 that is
# b / (2 (r - z)), without cancellation (halved: no overflow). g' = (1 + z / r) / 2, which is
# b / (2 r (r - z)) for z < 0; g'' = b / (2 r^3).
def _squareplus_root(z):
  return np.hypot(z, math.sqrt(SQUAREPLUS_B))


@_float64
def squareplus(z):
  r = _squareplus_root(z)
  return np.where(z >= 0, z / 2 + r / 2, SQUAREPLUS_B / 4 / (r / 2 - z / 2))


@_float64
def squareplus_derivative(z):
  x = _finite(z, np.finfo(np.float64).max)
  r = _squareplus_root(x)
  return np.where(x >= 0, (1 + x / r) / 2, SQUAREPLUS_B / 2 / r / (r - x))


@_float64
def squareplus_second(z):
  return SQUAREPLUS_B / 2 / _squareplus_root(z) ** 3


# elu (alpha = 1): z for z > 0, e^z - 1 otherwise; g' = 1, e^z; at 0 the convention alpha = 1.
# celu (alpha = 1) is the same function. selu: scale z, scale alpha (e^z - 1); g' = scale,
# scale alpha e^z, scale alpha at 0. g'' = 0 above 0, the exponential below, none at 0.
@_float64
def elu(z):
  return np.where(z > 0, z, np.expm1(z))


@_float64
def elu_derivative(z):
  return _keep_nan(z, np.where(z > 0, 1.0, np.exp(z)))


@_float64
def elu_second(z):
  return _keep_nan(z, np.where(z > 0, 0.0, np.exp(z)))


@_float64
def selu(z):
  return SELU_SCALE * np.where(z > 0, z, SELU_ALPHA * np.expm1(z))


@_float64
def selu_derivative(z):
  return _keep_nan(z, np.where(z > 0, SELU_SCALE, SELU_SCALE * SELU_ALPHA * np.exp(z)))


@_float64
def selu_second(z):
  return _keep_nan(z, np.where(z > 0, 0.0, SELU_SCALE * SELU_ALPHA * np.exp(z)))


# log1mexp: log(1 - e^-z) for z > 0 (NaN below, -inf at 0): log(-expm1(-z)) up to log 2,
# log1p(-e^-z) above (Maechler's rule). g' = 1 / (e^z - 1), +inf at 0 (the right-hand limit, at
# both zeros); g'' = -e^-z / (1 - e^-z)^2.
@_float64
def log1mexp(z):
  result = np.where(z <= math.log(2), np.log(-np.expm1(-z)), np.log1p(-np.exp(-z)))
  return np.where(z < 0, np.nan, np.where(z == 0, -np.inf, result))


@_float64
def log1mexp_derivative(z):
  return np.where(z < 0, np.nan, np.where(z == 0, np.inf, 1 / np.expm1(np.abs(z))))


@_float64
def log1mexp_second(z):
  y = np.abs(z)
  result = -np.exp(-y) / np.expm1(-y) ** 2
  return np.where(z < 0, np.nan, np.where(z == 0, -np.inf, result))


class Reference(NamedTuple):
  """One activation's reference, with its default arguments (and jacts' conventions)."""

  value: Callable
  derivative: Callable
  second: Callable | None  # None: piecewise linear, g'' is 0 or undefined.
  breaks: tuple[float, ...] = ()  # Where g' or g'' does not exist (kinks, and C1 joins).
  lowest: float = -math.inf  # The domain's lower end (log1mexp: 0).


REFERENCES: dict[str, Reference] = {
  "sigmoid": Reference(sigmoid, sigmoid_derivative, sigmoid_second),
  "tanh": Reference(tanh, tanh_derivative, tanh_second),
  "relu": Reference(relu, relu_derivative, None, (0.0,)),
  "leaky_relu": Reference(leaky_relu, leaky_relu_derivative, None, (0.0,)),
  "relu6": Reference(relu6, relu6_derivative, None, (0.0, 6.0)),
  "hard_sigmoid": Reference(hard_sigmoid, hard_sigmoid_derivative, None, (-3.0, 3.0)),
  "hard_silu": Reference(hard_silu, hard_silu_derivative, None, (-3.0, 3.0)),
  "hard_tanh": Reference(hard_tanh, hard_tanh_derivative, None, (-1.0, 1.0)),
  "sparse_sigmoid": Reference(sparse_sigmoid, sparse_sigmoid_derivative, None, (-1.0, 1.0)),
  "softplus": Reference(softplus, sigmoid, sigmoid_derivative),
  "log_sigmoid": Reference(log_sigmoid, log_sigmoid_derivative, log_sigmoid_second),
  "silu": Reference(silu, silu_derivative, silu_second),
  "mish": Reference(mish, mish_derivative, mish_second),
  "gelu": Reference(gelu_tanh, gelu_tanh_derivative, gelu_tanh_second),
  "gelu_exact": Reference(gelu_exact, gelu_exact_derivative, gelu_exact_second),
  "soft_sign": Reference(soft_sign, soft_sign_derivative, soft_sign_second, (0.0,)),
  "squareplus": Reference(squareplus, squareplus_derivative, squareplus_second),
  "sparse_plus": Reference(sparse_plus, sparse_plus_derivative, sparse_plus_second, (-1.0, 1.0)),
  "elu": Reference(elu, elu_derivative, elu_second, (0.0,)),
  "celu": Reference(elu, elu_derivative, elu_second, (0.0,)),  # alpha = 1: ELU.
  "selu": Reference(selu, selu_derivative, selu_second, (0.0,)),
  "log1mexp": Reference(log1mexp, log1mexp_derivative, log1mexp_second, (0.0,), lowest=0.0),
  "identity": Reference(identity, one, zero),
}
"""Each reference by name; ``gelu`` is the tanh approximation (jacts' default), ``gelu_exact``
the erf form."""
