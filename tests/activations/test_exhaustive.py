"""Every elementwise activation's value, VJP and forward-mode JVP is the float64 textbook's
(tests/support/reference.py) within a measured bound: at every float16 and bfloat16 input, and in
float32 and float64 at the thousand floats on each side of every kink, along the body and the
tails. The smooth ones' second derivatives (grad of grad, Hessian, JVP of JVP) are the analytic g''.

The bound on |computed - reference| is ``r * ulp(reference) + t * eps``: r units in the last
place of the reference rounded to the dtype, plus t machine epsilons absolute. Values and the
derivatives that read z need only r; the VJPs that read the output a = g(z) (sigmoid's a (1 - a),
tanh's 1 - a^2, ELU's a + alpha, ...) lose relative precision where a rounds to its limit, and t
is that absolute error, a fraction of eps. The variants and their bounds are in
tests/support/exhaustive_bounds.py.
"""

import functools
import math
import pathlib

import jax
import jax.numpy as jnp
import numpy as np
import pytest
from cases import every_bit_pattern
from exhaustive_bounds import (
  BOUNDS,
  FULL,
  HALF,
  JAX_NN_NAN,
  SMOOTH,
  VARIANT,
  VARIANTS,
  Variant,
  bound,
  bounds_table,
)
from reference import REFERENCES
from ulp_bounds import assert_within, widen

import jacts
from jacts._rules import ELEMENTWISE


def expected(variant: Variant, z: np.ndarray) -> dict[str, np.ndarray]:
  """The reference's g and g' at z (float64), with jax.nn's NaN values."""
  value, derivative = variant.reference.value(z), variant.reference.derivative(z)
  inputs, derivative_there = JAX_NN_NAN.get(variant.name, ((), math.nan))
  at = np.isin(z, inputs)
  derivative = np.where(at, derivative_there, derivative)
  return {"value": np.where(at, np.nan, value), "vjp": derivative, "jvp": derivative}


# Inputs.


def _neighbours(point: float, dtype: str, count: int) -> np.ndarray:
  """``point`` and the ``count`` floats of ``dtype`` on each side of it, in order."""
  signed = {4: np.int32, 8: np.int64}[jnp.dtype(dtype).itemsize]
  bits = int(np.array(point, dtype).view(signed))
  ordinal = bits if bits >= 0 else -(bits & np.iinfo(signed).max)  # -0 and +0 are both 0.
  ordinals = ordinal + np.arange(-count, count + 1, dtype=np.int64)
  patterns = np.where(ordinals >= 0, ordinals, (-ordinals) | np.iinfo(signed).min)
  return patterns.astype(signed).view(dtype)


def kinks_and_tails(variant: Variant, dtype: str) -> np.ndarray:
  """The thousand floats each side of 0 and of every kink, and the kinks; the body, every
  multiple of 1/512 in [-64, 64]; the tails, 4,000 magnitudes logarithmically spaced from the
  smallest normal to the largest float, both signs; and +-max, +-inf, +-tiny, +-the smallest
  subnormal, NaN."""
  info = jnp.finfo(dtype)
  near = [_neighbours(p, dtype, 1000) for p in sorted({0.0, *variant.reference.breaks})]
  body = np.linspace(-64.0, 64.0, 2**16 + 1)
  big, tiny, smallest = float(info.max), float(info.tiny), float(info.smallest_subnormal)
  with np.errstate(over="ignore"):  # float64's largest overflows on the way, by a rounding.
    sweep = np.minimum(np.geomspace(tiny, big, 4000), big)
  special = [big, math.inf, tiny, smallest, math.nan]
  tails = np.concatenate([sweep, -sweep, special, [-s for s in special]])
  return np.concatenate([*near, body.astype(dtype), tails.astype(dtype)])


def smooth_grid(variant: Variant, dtype: str) -> np.ndarray:
  """z in [-40, 40] by 1/200, and +-1e-6 to +-1e4 logarithmically, in the dtype, inside the
  domain and off the points where g'' does not exist."""
  magnitudes = np.geomspace(1e-6, 1e4, 400)
  z = np.concatenate([np.linspace(-40.0, 40.0, 16_001), magnitudes, -magnitudes]).astype(dtype)
  return z[(z > variant.reference.lowest) & ~np.isin(z, variant.reference.breaks)]


# One compiled program per activation and dtype, each quantity computed on the whole array.


@functools.cache
def _first_order_program(variant: Variant):
  forward = jacts.forward_mode(variant.activation)

  def quantities(z):
    ones = jnp.ones_like(z)
    value, pullback = jax.vjp(variant.activation, z)
    (vjp,) = pullback(ones)
    forward_value, jvp = jax.jvp(forward, (z,), (ones,))
    return {"value": value, "vjp": vjp, "jvp": jvp, "forward_value": forward_value}

  return jax.jit(quantities)


@functools.cache
def first_order(name: str, dtype: str) -> tuple[np.ndarray, dict[str, np.ndarray]]:
  """The inputs (float64) and the activation's value, VJP of ones, and its forward-mode
  version's value and JVP of ones there: every bit pattern in half precision, kinks and tails
  in float32 and float64."""
  variant = VARIANT[name]
  z = every_bit_pattern(dtype) if dtype in HALF else kinks_and_tails(variant, dtype)
  with jax.enable_x64(dtype == "float64"):
    computed = jax.device_get(_first_order_program(variant)(jnp.asarray(z)))
  assert all(v.dtype == jnp.dtype(dtype) for v in computed.values())
  return widen(z), computed


@functools.cache
def _second_order_program(variant: Variant):
  forward = jacts.forward_mode(variant.activation)

  def slope(z):
    return jax.jvp(forward, (z,), (jnp.ones_like(z),))[1]

  def quantities(z):
    return {
      "grad_grad": jax.vmap(jax.grad(jax.grad(variant.activation)))(z),
      "hessian": jax.vmap(jax.hessian(variant.activation))(z),
      "jvp_jvp": jax.jvp(slope, (z,), (jnp.ones_like(z),))[1],
    }

  return jax.jit(quantities)


@functools.cache
def second_order(name: str, dtype: str) -> tuple[np.ndarray, dict[str, np.ndarray]]:
  variant = VARIANT[name]
  z = smooth_grid(variant, dtype)
  with jax.enable_x64(dtype == "float64"):
    computed = jax.device_get(_second_order_program(variant)(jnp.asarray(z)))
  return widen(z), computed


def check(name: str, quantity: str, dtype: str):
  """Asserts ``quantity`` ("value", "derivative" or "second") of ``name`` in ``dtype`` within
  its bound."""
  r, t = bound(name, quantity, dtype)
  variant = VARIANT[name]
  if quantity == "second":
    z, computed = second_order(name, dtype)
    for kind in ("grad_grad", "hessian", "jvp_jvp"):
      assert_within(name, kind, z, computed[kind], variant.reference.second, dtype, r, t)
    return
  z, computed = first_order(name, dtype)
  for kind in ("value",) if quantity == "value" else ("vjp", "jvp"):

    def expected_at(z, kind=kind):
      return expected(variant, z)[kind]

    assert_within(name, kind, z, computed[kind], expected_at, dtype, r, t)


def check_first_order(name: str, dtype: str):
  """Value, VJP and JVP of ``name`` in ``dtype`` within their bounds, the forward-mode version's
  values equal to the activation's, and jax.nn's NaN values as JAX_NN_NAN states them."""
  for quantity in ("value", "derivative"):
    check(name, quantity, dtype)
  z, computed = first_order(name, dtype)
  # Widened first: numpy 2.0 with the oldest ml_dtypes counts bfloat16 NaN == NaN as a mismatch.
  np.testing.assert_array_equal(widen(computed["forward_value"]), widen(computed["value"]))
  if name in JAX_NN_NAN:
    inputs, derivative = JAX_NN_NAN[name]
    at = np.isin(z, inputs)
    assert at.sum() == len(inputs)
    assert np.isnan(widen(computed["value"][at])).all()
    for kind in ("vjp", "jvp"):
      np.testing.assert_array_equal(widen(computed[kind][at]), derivative)


NAMES = [v.name for v in VARIANTS]


def test_every_elementwise_rule_has_a_reference_and_a_bound_for_each_quantity():
  assert set(ELEMENTWISE) <= set(REFERENCES)
  quantities = {(n, q) for n in NAMES for q in ("value", "derivative")}
  quantities |= {(n, "second") for n in SMOOTH}
  assert set(BOUNDS) == quantities


@pytest.mark.parametrize("dtype", HALF)
@pytest.mark.parametrize("name", NAMES)
def test_every_half_precision_input_is_within_the_bound(name, dtype):
  check_first_order(name, dtype)


@pytest.mark.parametrize("dtype", FULL)
@pytest.mark.parametrize("name", NAMES)
def test_kinks_body_and_tails_are_within_the_bound(name, dtype):
  check_first_order(name, dtype)


@pytest.mark.parametrize(
  ("name", "dtype"),
  [(n, d) for n in SMOOTH for d in FULL],
)
def test_second_derivatives_are_the_analytic_ones_within_the_bound(name, dtype):
  check(name, "second", dtype)


CONVENTIONS_PAGE = pathlib.Path(__file__).parents[2] / "docs" / "conventions.md"


@pytest.mark.skipif(not CONVENTIONS_PAGE.exists(), reason="the documentation is not beside it")
def test_the_conventions_page_states_these_bounds():
  assert bounds_table() in CONVENTIONS_PAGE.read_text()
