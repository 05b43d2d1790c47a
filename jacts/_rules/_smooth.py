"""jax.nn's smooth activations as rules of the table: their textbook derivatives, written in the
output a = g(z) wherever a determines g', so that a backward pass keeps a alone.

Values are jax.nn's own functions (so float32 values match them) except squareplus, whose
textbook form overflows for |z| > 1.8e19 in float32. Derivatives are finite for every finite z:
where a factor z meets a factor that underflows to 0, z is clipped first (1e4 is beyond where
every such factor is exactly 0 in every dtype), since 0 * inf is NaN.
"""

import math

import jax
import jax.numpy as jnp
from jax.typing import ArrayLike

from jacts._rules._exponential import EXPONENTIAL_LINEAR
from jacts._rules._lecture import complementary, in_float32_if_half, logistic
from jacts._rules._rule import Option, Parameter, Rule, below_far, constant, same_rank


# softplus: g = log(1 + e^z), g' = sigmoid(z) = 1 - e^-a.
def _softplus_derivative(z):
  return logistic(z)


def _softplus_from_output(a):
  return one_minus_exp_minus(a)


@jax.custom_jvp
def one_minus_exp_minus(x):
  """1 - e^-x for x >= 0, as 2t / (1 + t) with t = tanh(x/2): it does not cancel where x is
  small, as -expm1(-x) does not, and XLA's CPU tanh costs two thirds of its expm1. Below eps/2,
  where x/2 may be subnormal (and flushed to 0), it is x, as 1 - e^-x rounds. Its derivative is
  e^-x itself (g'' of softplus), not autodiff of the form, whose 1 - t^2 cancels for large x."""
  t = jnp.tanh(x / 2)
  return jnp.where(x < constant(jnp.finfo(x.dtype).eps / 2, x), x, 2 * t / (1 + t))


one_minus_exp_minus.defjvps(lambda x_dot, _, x: x_dot * jnp.exp(-x))


# log-sigmoid: g = log sigmoid(z) = -softplus(-z), g' = sigmoid(-z) = 1 - e^a.
def _log_sigmoid(z):
  # jax.nn's -logaddexp(-z, 0) as min(z, -0) - log(1 + e^-|z|): the same values (negation is
  # exact), -0.0 where the logarithm underflows included. In jax.nn's form XLA recomputes a from
  # z in the backward pass, keeping z beside a.
  return jnp.minimum(z, -0.0) - jnp.log1p(jnp.exp(-jnp.abs(z)))


def _log_sigmoid_derivative(z):
  return logistic(-z)


def _log_sigmoid_from_output(a):
  return one_minus_exp_minus(-a)


# SiLU (swish): g = z sigmoid(z), g' = s (1 + z (1 - s)) with s = sigmoid(z).
def _silu_derivative(z):
  s, rest = complementary(z)  # rest = 1 - s, with its own digits where s rounds to 1.
  return s * (1 + below_far(z) * rest)


# Mish: g = z tanh(softplus(z)), g' = t + z (1 - t^2) sigmoid(z) with t = tanh(softplus(z)).
# With e = e^z and n = e (e + 2) = (1 + e)^2 - 1: t = n / (n + 2), 1 - t^2 = 4 (n + 1) / (n + 2)^2
# and sigmoid(z) = e / (1 + e), each a ratio of positive terms, so within a few ulp where t rounds
# to 1 (from z = 9 in float32) while z (1 - t^2) is still a few ulp of 1, and where z << 0 makes
# every term tiny. One exponential, and none of g's operations, which XLA would otherwise share
# between the passes and keep from the forward pass to the backward (two tensors more). Above
# z = 20 (40 in float64) g' is 1 to the last bit and e^z is clipped there, before (n + 2)^2
# overflows.
@in_float32_if_half
def _mish_derivative(z):
  far = 40.0 if z.dtype == jnp.float64 else 20.0
  z = jnp.minimum(z, constant(far, z))
  e = jnp.exp(z)
  n = e * (e + 2)
  # Divided by n + 2 twice, not by its square: autodiff (g'') would square (n + 2)^2.
  t = n / (n + 2)
  one_minus_square = 4 * (n + 1) / (n + 2) / (n + 2)
  return t + z * one_minus_square * (e / (1 + e))


# GELU: g = z Phi(z), g' = Phi(z) + z phi(z); or its tanh approximation
# g = z (1 + t) / 2 with t = tanh(u), u = c (z + k z^3), c = sqrt(2 / pi), k = 0.044715:
# g' = (1 + t) / 2 + z (1 - t^2) c (1 + 3 k z^2) / 2.
_GELU_C, _GELU_K = math.sqrt(2 / math.pi), 0.044715


def _gelu_tanh_parts(z):
  """(x, e, n, du) with x = min(|z|, 30): e = e^(-2|u|) <= 1, n = 1 / (1 + e) = sigmoid(2|u|)
  and du = 2u', at x. From 30 on, e and s (1 - s) = e n^2 are 0 in every dtype, and x^2 and du
  stay finite."""
  x = jnp.minimum(jnp.abs(z), constant(30.0, z))
  x2 = x * x
  e = jnp.exp(x * (constant(-2 * _GELU_C, z) + constant(-2 * _GELU_C * _GELU_K, z) * x2))
  du = constant(2 * _GELU_C, z) + constant(6 * _GELU_C * _GELU_K, z) * x2
  return x, e, 1 / (1 + e), du


def _gelu_tanh_slope_of(z, e, n, du):
  # With s = sigmoid(2u) = (1 + t) / 2 and s (1 - s) = (1 - t^2) / 4: g' = s + z s (1 - s) 2u',
  # from e, so that neither s nor 1 - s cancels where t is near -1 or 1. The factor z stops at
  # 30 from above (+inf: g' is 1; -inf: -inf * 0 is NaN, as g; -3e38 * 0: -0).
  small = e * n
  s = jnp.where(z >= 0, n, small)
  return s + jnp.minimum(z, constant(30.0, z)) * (du * (small * n))


@jax.custom_jvp
def _gelu_tanh_slope(z):
  _, e, n, du = _gelu_tanh_parts(z)
  return _gelu_tanh_slope_of(z, e, n, du)


@_gelu_tanh_slope.defjvp
def _gelu_tanh_slope_jvp(primals, tangents):
  # g'' = s (1 - s) (2 du + z du' + z (1 - 2s) du^2), with z du' = 12 c k z^2 and
  # z (1 - 2s) = -|z| tanh|u| = -|z| (1 - e) n: a rule of its own, so that no tangent or
  # cotangent of g' meets inf at the largest floats (z du overflows there, where s (1 - s) is 0).
  (z,), (z_dot,) = primals, tangents
  x, e, n, du = _gelu_tanh_parts(z)
  curvature = constant(12 * _GELU_C * _GELU_K, z) * (x * x)
  second = e * n * n * (2 * du + curvature - x * ((1 - e) * n) * (du * du))
  second = jnp.where(z == -jnp.inf, constant(jnp.nan, z), second)  # NaN, as g' and g there.
  return _gelu_tanh_slope_of(z, e, n, du), second * z_dot


_gelu_tanh_derivative = in_float32_if_half(_gelu_tanh_slope)


def _gelu(z, approximate):
  return jax.nn.gelu(z, approximate=approximate)


def _gelu_derivative(z, approximate):
  if approximate:
    return _gelu_tanh_derivative(z)
  x = below_far(z)
  cdf = in_float32_if_half(jax.scipy.special.ndtr)(z)
  density = jnp.exp(-x * x / 2) * constant(1 / math.sqrt(2 * math.pi), z)
  return cdf + x * density


# soft-sign: g = z / (1 + |z|), g' = 1 / (1 + |z|)^2 = (1 - |a|)^2. The backward pass reads z:
# at z = +-inf, a is inf / inf = NaN (as jax.nn's) while g' is 0, and a rounds to +-1 from
# |z| = 2^24 in float32, where (1 - |a|)^2 is 0 and 1 / (1 + |z|)^2 is not.
def _soft_sign_derivative(z):
  return jnp.square(1 / (1 + jnp.abs(z)))


def _soft_sign_from_output(a):
  return jnp.square(1 - jnp.abs(a))


# squareplus: g = (z + sqrt(z^2 + b)) / 2, g' = (1 + z / sqrt(z^2 + b)) / 2 = 4a^2 / (4a^2 + b),
# dg/db = 1 / (4 sqrt(z^2 + b)). For z < 0 the sum z + sqrt(z^2 + b) is b / (sqrt(z^2 + b) - z),
# which does not cancel.
def _squareplus(z, b):
  if jnp.finfo(z.dtype).bits < 32:  # See _root.
    return _squareplus(z.astype(jnp.float32), jnp.asarray(b).astype(jnp.float32)).astype(z.dtype)
  b = same_rank(b, z)
  root = _root(z, b)
  # b / (2 (root - z)), halved inside, where it cannot overflow (float16 from z = -16384).
  return jnp.where(z >= 0, z / 2 + root / 2, (b / 4) / (root / 2 - z / 2))


def _root(z, b):
  """sqrt(z^2 + b) without overflow: |z| where z^2 could overflow, from sqrt(largest) / 2, where
  b / z^2 is below half an ulp for every b < largest * eps / 8 (5e30 in float32, but 8 in
  float16, which squareplus therefore computes in float32). hypot costs 4 ms more per 2^24
  values on the CPU."""
  large = constant(math.sqrt(jnp.finfo(z.dtype).max) / 2, z)
  magnitude = jnp.abs(z)
  return jnp.where(magnitude < large, jnp.sqrt(z * z + b), magnitude)


def _squareplus_derivative(z, b):
  # z / root is +-1 at z = +-inf, not inf / inf: z is clamped to the finite floats first.
  largest = constant(jnp.finfo(z.dtype).max, z)
  finite = jnp.clip(z, -largest, largest)
  return (1 + finite / jnp.hypot(finite, jnp.sqrt(same_rank(b, z)))) / 2


def _squareplus_from_output(a, b):
  # 4a^2 / (4a^2 + b) = q^2 / (1 + q^2) with q = 2a / sqrt(b): b / (4a^2) would overflow for
  # small a (float16 a < 1/128).
  return _square_ratio(a * (2 / jnp.sqrt(same_rank(b, a))))


@jax.custom_jvp
def _square_ratio(q):
  """q^2 / (1 + q^2) for q >= 0: 1 from q^2 = 4 / eps on, before q^2 overflows (inf / inf). Its
  derivative 2q / (1 + q^2)^2 is its own rule: autodiff of the ratio cancels for q > 1 (g'')."""
  square = q * q
  one = constant(1, q)
  return jnp.where(square > constant(4 / jnp.finfo(q.dtype).eps, q), one, square / (one + square))


@_square_ratio.defjvp
def _square_ratio_jvp(primals, tangents):
  (q,), (q_dot,) = primals, tangents
  reciprocal = 1 / (1 + q * q)
  # q / (1 + q^2) before the factor 2, which would overflow for q near the largest float.
  derivative = jnp.where(jnp.isinf(q), constant(0, q), 2 * (q * reciprocal) * reciprocal)
  return _square_ratio(q), derivative * q_dot


def _squareplus_b_derivative(z, b):
  return 1 / (4 * jnp.hypot(z, jnp.sqrt(same_rank(b, z))))


# sparse-plus: 0 for z <= -1, (z + 1)^2 / 4 between, z for z >= 1; g' = 0, (z + 1) / 2, 1: its
# one-sided derivatives agree at -1 and at 1, so there is no convention to choose. From the
# output: g' = sqrt(a) below a = 1.
def _sparse_plus_derivative(z):
  one = constant(1, z)
  return jnp.where(z <= -1, jnp.zeros_like(z), jnp.where(z >= 1, one, (z + one) / 2))


def _sparse_plus_from_output(a):
  # sqrt only of a > 0 (NaN passes), so that its derivative 1 / (2 sqrt a) is not 0 * inf at 0.
  root = jnp.sqrt(jnp.where(a <= 0, constant(1, a), a))
  return jnp.where(a >= 1, constant(1, a), jnp.where(a <= 0, jnp.zeros_like(a), root))


# log1mexp: g = log(1 - e^-z) for z > 0, g' = 1 / (e^z - 1) = e^-a - 1, written
# e^-z / (1 - e^-z): e^z - 1 would overflow from z = 89 in float32 (and its square, in g'', from
# z = 44), where g' is a normal number. |z|: +inf at -0 as at 0; no g below 0, no g'.
@in_float32_if_half  # XLA's float16 expm1 is 33 % off at tiny z.
def _log1mexp_derivative(z):
  e = jnp.exp(-jnp.abs(z))
  return jnp.where(z < 0, constant(math.nan, z), e / -jnp.expm1(-jnp.abs(z)))


def _log1mexp_from_output(a):
  return jnp.expm1(-a)


# identity: g = z, g' = 1.
def _identity(z):
  return z


def _one(x):
  return jnp.ones_like(x)


def _approximate(function: str, value, z):
  del z  # Any z.
  if not isinstance(value, bool):
    raise TypeError(f"`{function}`: `approximate` must be True or False; got {value!r}.")
  return value


def _naive_softplus(z: ArrayLike) -> jax.Array:
  """log(1 + e^z), as written."""
  return jnp.log(1 + jnp.exp(z))


def _naive_log_sigmoid(z: ArrayLike) -> jax.Array:
  """log(1 / (1 + e^-z)), as written."""
  z = jnp.asarray(z)
  return jnp.log(1 / (1 + jnp.exp(-z)))


def _naive_silu(z: ArrayLike) -> jax.Array:
  """z / (1 + e^-z), as written."""
  z = jnp.asarray(z)
  return z / (1 + jnp.exp(-z))


def _naive_mish(z: ArrayLike) -> jax.Array:
  """z tanh(log(1 + e^z)), as written."""
  z = jnp.asarray(z)
  return z * jnp.tanh(jnp.log(1 + jnp.exp(z)))


def _naive_gelu(z: ArrayLike, approximate: bool = True) -> jax.Array:
  """z (1 + tanh(sqrt(2 / pi) (z + 0.044715 z^3))) / 2, or z (1 + erf(z / sqrt 2)) / 2."""
  z = jnp.asarray(z)
  if approximate:
    return z * (1 + jnp.tanh(math.sqrt(2 / math.pi) * (z + 0.044715 * z**3))) / 2
  return z * (1 + jax.scipy.special.erf(z / math.sqrt(2))) / 2


def _naive_soft_sign(z: ArrayLike) -> jax.Array:
  """z / (1 + |z|), as written."""
  z = jnp.asarray(z)
  return z / (1 + jnp.abs(z))


def _naive_squareplus(z: ArrayLike, b: ArrayLike = 4.0) -> jax.Array:
  """(z + sqrt(z^2 + b)) / 2, as written."""
  z = jnp.asarray(z)
  return (z + jnp.sqrt(z * z + b)) / 2


def _naive_sparse_plus(z: ArrayLike) -> jax.Array:
  """0 for z <= -1, (z + 1)^2 / 4 for -1 < z < 1, z for z >= 1, as written."""
  z = jnp.asarray(z)
  return jnp.where(z <= -1, 0.0, jnp.where(z >= 1, z, (z + 1) ** 2 / 4))


def _naive_log1mexp(z: ArrayLike) -> jax.Array:
  """log(1 - e^-z), as written."""
  z = jnp.asarray(z)
  return jnp.log(1 - jnp.exp(-z))


def _naive_identity(z: ArrayLike) -> jax.Array:
  """z, as written."""
  z = jnp.asarray(z)
  return z * 1


SMOOTH: tuple[Rule, ...] = (
  Rule(
    name="softplus",
    value=jax.nn.softplus,
    derivative=_softplus_derivative,
    derivative_from_output=_softplus_from_output,
    naive=_naive_softplus,
  ),
  Rule(
    name="log_sigmoid",
    value=_log_sigmoid,
    derivative=_log_sigmoid_derivative,
    derivative_from_output=_log_sigmoid_from_output,
    naive=_naive_log_sigmoid,
  ),
  Rule(
    name="silu",
    value=jax.nn.silu,
    derivative=_silu_derivative,
    derivative_from_output=None,
    naive=_naive_silu,
  ),
  Rule(
    name="mish",
    value=jax.nn.mish,
    derivative=_mish_derivative,
    derivative_from_output=None,
    naive=_naive_mish,
  ),
  Rule(
    name="gelu",
    value=_gelu,
    derivative=_gelu_derivative,
    derivative_from_output=None,
    naive=_naive_gelu,
    options=(Option("approximate", True, _approximate),),
  ),
  Rule(
    name="soft_sign",
    value=jax.nn.soft_sign,
    derivative=_soft_sign_derivative,
    derivative_from_output=_soft_sign_from_output,
    naive=_naive_soft_sign,
    backward_reads_output=False,
  ),
  Rule(
    name="squareplus",
    value=_squareplus,
    derivative=_squareplus_derivative,
    derivative_from_output=_squareplus_from_output,
    naive=_naive_squareplus,
    parameters=(Parameter("b", 4.0, _squareplus_b_derivative, lowest=0.0, above_lowest=True),),
  ),
  Rule(
    name="sparse_plus",
    value=jax.nn.sparse_plus,
    derivative=_sparse_plus_derivative,
    derivative_from_output=_sparse_plus_from_output,
    naive=_naive_sparse_plus,
  ),
  *EXPONENTIAL_LINEAR,  # ELU, CELU, SELU: a module of their own.
  Rule(
    name="log1mexp",
    value=jax.nn.log1mexp,
    derivative=_log1mexp_derivative,
    derivative_from_output=_log1mexp_from_output,
    naive=_naive_log1mexp,
    domain=(0.0, math.inf),
    # e^-a - 1 turns a's rounding (|a| ulp, a ~ log z) into |a| ulp of g' as z -> 0, and is inf
    # in float16 at z = 1.5e-5 where g' is 65280; 1 / (e^z - 1) is within a few ulp.
    backward_reads_output=False,
  ),
  Rule(
    name="identity",
    value=_identity,
    derivative=_one,
    derivative_from_output=_one,
    naive=_naive_identity,
  ),
)
