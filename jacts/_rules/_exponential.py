"""jax.nn's exponential linear units (ELU, CELU, SELU) as rules of the table: below 0 their
output determines g' (a + alpha for ELU), so a backward pass keeps a alone."""

import jax
import jax.numpy as jnp
from jax.typing import ArrayLike

from jacts._rules._rule import (
  Kink,
  Parameter,
  Rule,
  clipped,
  constant,
  same_rank,
  with_conventions,
)


# ELU: g = z for z > 0, alpha (e^z - 1) for z <= 0; g' = 1, alpha e^z = a + alpha;
# dg/dalpha = e^z - 1 for z < 0. At 0 the one-sided derivatives are 1 and alpha.
def _elu(z, alpha):
  return jax.nn.elu(z, same_rank(alpha, z))


def _elu_derivative(z, alpha, at_zero):
  alpha = same_rank(alpha, z)
  below = alpha * jnp.exp(jnp.minimum(z, jnp.zeros((), z.dtype)))
  slope = jnp.where(z > 0, constant(1, z), below)
  return slope if at_zero is None else with_conventions(z, slope, (0.0, at_zero))


def _elu_from_output(a, alpha, at_zero):
  slope = jnp.where(a > 0, constant(1, a), a + same_rank(alpha, a))
  return slope if at_zero is None else with_conventions(a, slope, (0.0, at_zero))


def _elu_alpha_derivative(z, alpha):
  del alpha  # alpha (e^z - 1) is linear in alpha.
  return jnp.where(z > 0, jnp.zeros_like(z), jnp.expm1(z))


# CELU: g = max(0, z) + alpha (e^(z / alpha) - 1) for z < 0; g' = 1, e^(z / alpha) = 1 + a / alpha;
# dg/dalpha = e^(z/alpha) - 1 - (z/alpha) e^(z/alpha) for z < 0. Continuously differentiable.
def _celu(z, alpha):
  return jax.nn.celu(z, same_rank(alpha, z))


def _celu_derivative(z, alpha):
  return jnp.where(z > 0, constant(1, z), jnp.exp(jnp.minimum(z, 0) / same_rank(alpha, z)))


def _celu_from_output(a, alpha):
  return jnp.where(a > 0, constant(1, a), 1 + a / same_rank(alpha, a))


def _celu_alpha_derivative(z, alpha):
  x = jnp.minimum(clipped(z), 0) / same_rank(alpha, z)
  return jnp.where(z > 0, jnp.zeros_like(z), jnp.expm1(x) - x * jnp.exp(x))


# SELU: scale * ELU(z, alpha) with jax.nn's fixed alpha and scale; g' = scale, a + scale alpha.
_SELU_ALPHA = 1.6732632423543772848170429916717
_SELU_SCALE = 1.0507009873554804934193349852946


def _selu(z):
  # jax.nn's scale * elu(z, alpha). With the scale inside each branch instead, XLA's simplifier
  # folds scale * (alpha * e) into (scale alpha) * e under jit, one ulp from jax.nn's; in this
  # form XLA would recompute a from z in the backward pass, so the rule pins a (pin_output).
  below = _SELU_ALPHA * jnp.expm1(jnp.minimum(z, 0))
  return _SELU_SCALE * jnp.where(z > 0, z, below)


def _selu_derivative(z, at_zero):
  below = _SELU_SCALE * _SELU_ALPHA * jnp.exp(jnp.minimum(z, 0))
  return with_conventions(z, jnp.where(z > 0, constant(_SELU_SCALE, z), below), (0.0, at_zero))


def _selu_from_output(a, at_zero):
  # scale alpha as a's dtype rounds it, as g does: a + that is exactly 0 where e^z - 1 is -1.
  below = a + constant(_SELU_SCALE, a) * constant(_SELU_ALPHA, a)
  return with_conventions(a, jnp.where(a > 0, constant(_SELU_SCALE, a), below), (0.0, at_zero))


def _naive_elu(z: ArrayLike, alpha: ArrayLike = 1.0) -> jax.Array:
  """z for z > 0, alpha (e^z - 1) otherwise, as written."""
  z = jnp.asarray(z)
  return jnp.where(z > 0, z, alpha * (jnp.exp(z) - 1))


def _naive_celu(z: ArrayLike, alpha: ArrayLike = 1.0) -> jax.Array:
  """max(0, z) + min(0, alpha (e^(z / alpha) - 1)), as written."""
  return jnp.maximum(0, z) + jnp.minimum(0, alpha * (jnp.exp(z / alpha) - 1))


def _naive_selu(z: ArrayLike) -> jax.Array:
  """scale (z for z > 0, alpha (e^z - 1) otherwise), as written."""
  z = jnp.asarray(z)
  return _SELU_SCALE * jnp.where(z > 0, z, _SELU_ALPHA * (jnp.exp(z) - 1))


EXPONENTIAL_LINEAR: tuple[Rule, ...] = (
  Rule(
    name="elu",
    value=_elu,
    derivative=_elu_derivative,
    derivative_from_output=_elu_from_output,
    naive=_naive_elu,
    parameters=(Parameter("alpha", 1.0, _elu_alpha_derivative),),
    # None: the left-hand derivative alpha, as jax.nn's and PyTorch's autodiff give.
    kinks=(
      Kink(
        "derivative_at_zero", 0.0, None, lambda alpha: (min(alpha, 1.0), max(alpha, 1.0)), "alpha"
      ),
    ),
    # a = 0 only at z = 0, and a < 0 exactly where z < 0, when alpha > 0.
    output_determines=lambda alpha, at_zero: alpha is not None and alpha > 0,
  ),
  Rule(
    name="celu",
    value=_celu,
    derivative=_celu_derivative,
    derivative_from_output=_celu_from_output,
    naive=_naive_celu,
    parameters=(Parameter("alpha", 1.0, _celu_alpha_derivative, lowest=0.0, above_lowest=True),),
  ),
  Rule(
    name="selu",
    value=_selu,
    derivative=_selu_derivative,
    derivative_from_output=_selu_from_output,
    naive=_naive_selu,
    pin_output=True,
    kinks=(
      Kink(
        "derivative_at_zero",
        0.0,
        _SELU_SCALE * _SELU_ALPHA,
        lambda: (_SELU_SCALE, _SELU_SCALE * _SELU_ALPHA),
        "scale * alpha",
      ),
    ),
  ),
)
