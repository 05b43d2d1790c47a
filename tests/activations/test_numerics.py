"""Gradients stay finite for every finite z, where autodiff of the naive formulas gives NaN."""

import jax
import jax.numpy as jnp
import numpy as np
import pytest
from cases import ACTIVATION_FUNCTIONS, FLOAT_DTYPES, identical, in_domain

import jacts
from jacts._rules import linear_pieces

EXTREMES = [100.0, -100.0, 1e4, -1e4, 3e38, -3e38]


@pytest.mark.parametrize("dtype", [jnp.float32, jnp.float64], ids=["float32", "float64"])
@pytest.mark.parametrize("activation", ACTIVATION_FUNCTIONS)
def test_gradient_is_finite_at_extreme_inputs(activation, dtype, x64):
  z = in_domain(activation, jnp.array(EXTREMES, dtype))
  grads = jax.vmap(jax.grad(activation))(z)
  assert jnp.all(jnp.isfinite(grads))
  assert jnp.all(jnp.isfinite(activation(z)))


@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
@pytest.mark.parametrize("activation", ACTIVATION_FUNCTIONS)
def test_gradient_is_finite_at_the_dtypes_largest_values(activation, dtype, x64):
  big = float(jnp.finfo(dtype).max)
  z = in_domain(activation, jnp.array([-big, -1.0, 0.0, 1.0, big], dtype))
  assert jnp.all(jnp.isfinite(jax.vmap(jax.grad(activation))(z)))


@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
@pytest.mark.parametrize(
  "activation",
  [jacts.softplus, jacts.log_sigmoid, jacts.squareplus, jacts.gelu, jacts.silu, jacts.mish],
)
def test_second_derivative_is_0_at_the_largest_values_and_infinities(activation, dtype, x64):
  # softplus' and log_sigmoid's g' from a have a derivative rule of their own (1 - e^-a's is
  # e^-a), as squareplus' ratio (2q / (1 + q^2)^2, with no q^2 to overflow to inf * 0) and
  # gelu's g' from z (the analytic g''). silu, mish and gelu are NaN at -inf.
  big = float(jnp.finfo(dtype).max)
  nan_at_minus_inf = activation in (jacts.gelu, jacts.silu, jacts.mish)
  z = jnp.array([-big, big, jnp.inf] + ([] if nan_at_minus_inf else [-jnp.inf]), dtype)
  middle = jnp.array([-1.0, 0.0, 1.0], dtype)
  second = jax.vmap(jax.grad(jax.grad(activation)))
  assert second(z).dtype == dtype
  np.testing.assert_array_equal(np.asarray(second(z), np.float64), 0.0)
  assert jnp.all(jnp.isfinite(second(middle)))


@pytest.mark.parametrize("dtype", [jnp.float16, jnp.bfloat16], ids=["float16", "bfloat16"])
def test_half_precision_squareplus_with_a_large_b_is_correctly_rounded(dtype):
  # From |z| = sqrt(largest) / 2 (128 in float16) the root is |z|, which drops b unless b is far
  # below z^2; half precision is therefore computed in float32.
  z = jnp.array([-200.0, -128.0, 128.0, 200.0, 1000.0], dtype)
  b = 1000.0
  x = np.asarray(z, np.float64)
  root = np.sqrt(x * x + b)
  exact = np.where(x >= 0, (x + root) / 2, b / (2 * (root - x)))
  np.testing.assert_array_equal(jacts.squareplus(z, b), exact.astype(dtype))


@pytest.mark.parametrize(
  ("activation", "naive"),
  [(jacts.sigmoid, jacts.naive.sigmoid), (jacts.tanh, jacts.naive.tanh)],
  ids=["sigmoid", "tanh"],
)
def test_naive_autodiff_is_nan_at_extremes_where_jacts_is_finite(activation, naive):
  z = jnp.array([-100.0, -1e4, -3e38], jnp.float32)
  assert jnp.all(jnp.isnan(jax.vmap(jax.grad(naive))(z)))
  np.testing.assert_array_equal(jax.vmap(jax.grad(activation))(z), 0.0)


# Where the from-output derivative first rounds to exactly 0 (documented in the docstrings).
FIRST_ZERO_GRADIENT = {
  ("sigmoid", "float32"): 16.64,
  ("sigmoid", "float16"): 8.32,
  ("sigmoid", "bfloat16"): 6.25,
  ("tanh", "float32"): 8.0,
  ("tanh", "float16"): 4.51,
  ("tanh", "bfloat16"): 3.47,
}


@pytest.mark.parametrize(("name", "dtype_name"), list(FIRST_ZERO_GRADIENT))
def test_from_output_derivative_rounds_to_zero_where_documented(name, dtype_name):
  activation = getattr(jacts, name)
  z = jnp.arange(0.0, 40.0, 0.01, dtype=jnp.float32).astype(dtype_name)
  grads = jax.vmap(jax.grad(activation))(z)
  first_zero = float(z[jnp.argmax(grads == 0)])
  assert first_zero == pytest.approx(FIRST_ZERO_GRADIENT[name, dtype_name], abs=0.02)
  assert jnp.all(grads[z < first_zero] > 0)
  assert jnp.all(grads[z >= first_zero] == 0)
  doc_number = f"{FIRST_ZERO_GRADIENT[name, dtype_name]:.2f}".rstrip("0").rstrip(".")
  assert doc_number[:3] in activation.__doc__


def test_half_precision_sigmoid_keeps_small_representable_values():
  # jax.nn.sigmoid rounds float16 sigmoid(-12) to 0; the true 6.1e-6 fits in float16.
  assert float(jacts.sigmoid(jnp.float16(-12.0))) == pytest.approx(6.144e-6, rel=1e-3)
  assert jax.grad(jacts.sigmoid)(jnp.float16(-12.0)) > 0


NAN_AND_KINKS = jnp.array([jnp.nan, -1.0, 0.0, 1.0])


@pytest.mark.parametrize("activation", ACTIVATION_FUNCTIONS)
def test_nan_in_gives_nan_out_in_values_and_derivatives(activation):
  if activation is jacts.identity:
    pytest.skip("g'(z) = 1 everywhere, NaN included, as jax.nn's: nothing is kept to test z")
  z = in_domain(activation, NAN_AND_KINKS)
  for f in (activation, jacts.forward_mode(activation)):
    assert jnp.isnan(f(z)[0])
    assert jnp.isnan(jax.vmap(jax.grad(f))(z)[0])
    assert jnp.isnan(jacts.derivative(f)(z)[0])
    assert jnp.all(~jnp.isnan(jax.vmap(jax.grad(f))(z)[1:]))


def test_the_slope_gradient_of_leaky_relu_at_nan_is_nan():
  grad_slope = jax.vmap(jax.grad(jacts.leaky_relu, argnums=1), in_axes=(0, None))
  np.testing.assert_array_equal(grad_slope(NAN_AND_KINKS, 0.2), [np.nan, -1.0, 0.0, 0.0])


SIDES_KINK_AND_NAN = jnp.array([jnp.nan, -jnp.inf, -2.0, -0.0, 0.0, 3.0, jnp.inf])


@pytest.mark.parametrize("at_zero", [0.0, -0.0, 0.5, 1.0])
def test_relus_derivative_holds_its_convention_at_both_zeros_infinities_and_nan(at_zero):
  grad = jax.vmap(jax.grad(lambda z: jacts.relu(z, derivative_at_zero=at_zero)))
  expected = np.array([np.nan, 0.0, 0.0, at_zero, at_zero, 1.0, 1.0])
  got = grad(SIDES_KINK_AND_NAN)
  np.testing.assert_array_equal(got, expected)
  np.testing.assert_array_equal(np.signbit(got[3:5]), np.signbit(expected[3:5]))


@pytest.mark.parametrize("slope", [0.2, np.float32(0.2)], ids=["number", "array"])
@pytest.mark.parametrize("at_zero", [0.2, 0.5, 1.0])
def test_leaky_relus_derivative_holds_its_convention_at_both_zeros_infinities_and_nan(
  slope, at_zero
):
  slope = jnp.asarray(slope) if isinstance(slope, np.floating) else slope  # An array: traced.
  grad = jax.vmap(jax.grad(lambda z: jacts.leaky_relu(z, slope, derivative_at_zero=at_zero)))
  expected = np.array([np.nan, 0.2, 0.2, at_zero, at_zero, 1.0, 1.0], np.float32)
  np.testing.assert_array_equal(grad(SIDES_KINK_AND_NAN), expected)


@pytest.mark.parametrize(
  ("kinks", "pieces", "conventions", "z", "expected"),
  [
    # Below zero: the top piece carries NaN by min(z - k, 0), not min(z, 0).
    ((-5, -2), (0, 2, 5), (1, 5), [-6, -5, -3, -2, -1], [0, 1, 2, 5, 5]),
    # Even: one test on |z|, with the convention at both kinks.
    ((-1, 1), (0, 3, 0), (2, 2), [-2, -1, -0.0, 1, 2], [0, 2, 3, 2, 0]),
    ((-1, 1), (0, 3, 0), (3, 3), [-2, -1, -0.0, 1, 2], [0, 3, 3, 3, 0]),
  ],
  ids=["negative-kinks", "even", "even-joined"],
)
def test_linear_pieces_take_each_piece_and_convention_and_carry_nan(
  kinks, pieces, conventions, z, expected
):
  sides = tuple((pieces[i], pieces[i + 1]) for i in range(len(kinks)))
  z = jnp.array([jnp.nan, -jnp.inf, *z, jnp.inf], jnp.float32)
  got = linear_pieces(z, kinks, pieces, conventions, sides)
  np.testing.assert_array_equal(got, [np.nan, pieces[0], *expected, pieces[-1]])
  assert got.dtype == jnp.float32


@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
def test_leaky_relu_at_minus_infinity(dtype, x64):
  z = jnp.array([-jnp.inf, -2.0], dtype)
  # As jax.nn's, bit for bit: 0 * -inf is NaN, 0 * -2 is -0.
  zero_slope = jacts.leaky_relu(z, 0.0)
  assert identical(zero_slope, jax.nn.leaky_relu(z, 0.0)).all()
  assert np.isnan(zero_slope[0]) and bool(jnp.signbit(zero_slope[1]))
  np.testing.assert_array_equal(jacts.leaky_relu(z, 0.5).astype(jnp.float32), [-np.inf, -1.0])
  forward = jacts.forward_mode(jacts.leaky_relu)
  for slope in (0.0, 0.01):
    _, tangent = jax.jvp(lambda z, s=slope: forward(z, s), (z,), (jnp.ones_like(z),))
    assert tangent.dtype == dtype
    np.testing.assert_array_equal(tangent, jnp.full(2, slope, dtype))


@pytest.mark.skipif(
  jax.default_backend() != "cpu", reason="how subnormals are treated is XLA:CPU's"
)
@pytest.mark.parametrize(
  ("dtype", "flushed"),
  [(jnp.float16, False), (jnp.bfloat16, True), (jnp.float32, True)],
  ids=["float16", "bfloat16", "float32"],
)
def test_subnormal_inputs_on_the_cpu_take_the_convention_at_zero_unless_float16(dtype, flushed):
  tiny = jnp.finfo(dtype).smallest_subnormal
  z = jnp.array([tiny, -tiny], dtype)
  grads = jax.vmap(jax.grad(lambda z: jacts.leaky_relu(z, 0.25, derivative_at_zero=0.5)))(z)
  expected = [0.5, 0.5] if flushed else [1.0, 0.25]
  np.testing.assert_array_equal(grads.astype(jnp.float32), expected)
