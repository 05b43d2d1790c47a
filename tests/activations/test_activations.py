"""Each activation's value is its textbook g(z), as jax.nn computes it; its custom VJP is exactly
the textbook g'(z)."""

import jax
import jax.numpy as jnp
import numpy as np
import pytest
from cases import (
  ACTIVATION_FUNCTIONS,
  ACTIVATIONS,
  JAX_NN,
  gradient_tolerance,
  in_domain,
  off_kinks,
)
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from jax.test_util import check_grads

import jacts


def elementwise_grad(f):
  return jax.jit(jax.vmap(jax.grad(f)))


def dense_grid_without_zero(dtype=jnp.float64):
  z = np.linspace(-30.0, 30.0, 20_001)
  return jnp.asarray(z[z != 0], dtype)


def dense_grid(activation, dtype=jnp.float64):
  """z in [-30, 30], inside the activation's domain and off its kinks."""
  return jnp.asarray(off_kinks(activation, np.linspace(-30.0, 30.0, 20_001)), dtype)


@pytest.mark.parametrize(("activation", "naive"), ACTIVATIONS)
def test_value_is_the_textbook_formula(activation, naive, x64):
  # The naive forms' own rounding where they cancel (log(1 + e^z) for z << 0, then times z).
  z = dense_grid(activation)
  gap = jnp.abs(activation(z) - naive(z))
  assert bool(jnp.all(gap <= 1e-13 * jnp.abs(naive(z)) + 4e-16 * (1 + jnp.abs(z))))


@pytest.mark.parametrize(("activation", "reference"), JAX_NN)
def test_value_equals_jax_nn_in_float32(activation, reference):
  z = in_domain(activation, jnp.linspace(-50.0, 50.0, 10_001, dtype=jnp.float32))
  if activation is jacts.squareplus:
    pytest.skip("jacts' squareplus avoids jax.nn's overflow and cancellation: tested below")
  np.testing.assert_array_equal(activation(z), reference(z))


def test_squareplus_is_jax_nns_within_4_ulp_or_closer_to_the_float64_truth(x64):
  z = jnp.linspace(-1e4, 1e4, 100_001, dtype=jnp.float32)
  ours, theirs = (f(z).astype(jnp.float64) for f in (jacts.squareplus, jax.nn.squareplus))
  truth = jacts.naive.squareplus(z.astype(jnp.float64))  # No cancellation at this precision.
  ulp = jnp.spacing(jnp.abs(theirs).astype(jnp.float32)).astype(jnp.float64)
  close = jnp.abs(ours - theirs) <= 4 * ulp
  closer = jnp.abs(ours - truth) <= jnp.abs(theirs - truth)
  assert bool(jnp.all(close | closer))
  assert bool(jnp.mean(close)) > 0.5


@pytest.mark.parametrize(("activation", "naive"), ACTIVATIONS)
def test_custom_vjp_equals_autodiff_of_naive_form_on_dense_grid(activation, naive, x64):
  z = dense_grid(activation)
  np.testing.assert_allclose(
    elementwise_grad(activation)(z),
    elementwise_grad(naive)(z),
    **gradient_tolerance(jnp.float64, activation),
  )


@pytest.mark.parametrize(("activation", "naive"), ACTIVATIONS)
def test_custom_vjp_equals_autodiff_of_naive_form_in_float32(activation, naive):
  # |z| <= 30 keeps the naive forms' intermediate exponentials finite in float32.
  z = dense_grid(activation, jnp.float32)
  np.testing.assert_allclose(
    elementwise_grad(activation)(z),
    elementwise_grad(naive)(z),
    **gradient_tolerance(jnp.float32, activation),
  )


@pytest.mark.parametrize(("activation", "naive"), ACTIVATIONS)
@settings(max_examples=60, deadline=None)
@given(
  z=hnp.arrays(
    np.float64,
    hnp.array_shapes(min_dims=0, max_dims=3, max_side=5),
    # XLA flushes subnormals to zero, so they would be z == 0, tested on its own below.
    elements=st.floats(-60.0, 60.0, allow_subnormal=False).filter(lambda v: v != 0.0),
  )
)
def test_vjp_equals_autodiff_of_naive_form_on_any_shape(activation, naive, z):
  with jax.enable_x64(True):
    z = np.asarray(in_domain(activation, z))
    assume(off_kinks(activation, z.ravel()).size == z.size)
    cotangent = jnp.asarray(np.cos(np.arange(z.size)).reshape(z.shape))
    _, custom_vjp = jax.vjp(activation, jnp.asarray(z))
    _, naive_vjp = jax.vjp(naive, jnp.asarray(z))
    (custom,), (expected,) = custom_vjp(cotangent), naive_vjp(cotangent)
    assert custom.shape == z.shape
    np.testing.assert_allclose(custom, expected, **gradient_tolerance(jnp.float64, activation))


@pytest.mark.parametrize("activation", ACTIVATION_FUNCTIONS)
@pytest.mark.parametrize("z", [-3.7, -0.4, 0.3, 2.9])
def test_gradients_match_finite_differences_in_float64(activation, z, x64):
  # Points away from the kinks, so that the step (1e-3 at most) never crosses one.
  check_grads(
    activation, (in_domain(activation, jnp.float64(z)),), order=2, modes=["rev"], eps=1e-4
  )


def test_leaky_slope_gradient_matches_finite_differences_in_float64(x64):
  z = jnp.array([-2.0, -0.5, 0.7, 3.0])
  check_grads(lambda s: jacts.leaky_relu(z, s), (jnp.float64(0.2),), order=2, modes=["rev"])


def test_sigmoid_matches_the_lectures_sanity_checks():
  sigmoid_prime = jax.grad(jacts.sigmoid)
  assert jacts.sigmoid(10.0) == pytest.approx(1.0, abs=1e-4)
  assert sigmoid_prime(10.0) == pytest.approx(0.0, abs=1e-4)
  assert jacts.sigmoid(-10.0) == pytest.approx(0.0, abs=1e-4)
  assert sigmoid_prime(-10.0) == pytest.approx(0.0, abs=1e-4)
  assert jacts.sigmoid(0.0) == 0.5
  assert sigmoid_prime(0.0) == 0.25


def test_tanh_matches_the_lectures_sanity_checks():
  tanh_prime = jax.grad(jacts.tanh)
  assert jacts.tanh(0.0) == 0.0
  assert tanh_prime(0.0) == 1.0
  assert tanh_prime(10.0) == pytest.approx(0.0, abs=1e-6)
  assert tanh_prime(-10.0) == pytest.approx(0.0, abs=1e-6)


def test_relu_derivative_is_zero_below_and_one_above_zero():
  z = jnp.array([-5.0, -1e-30, 1e-30, 5.0])
  np.testing.assert_array_equal(elementwise_grad(jacts.relu)(z), [0.0, 0.0, 1.0, 1.0])


def test_relu_derivative_at_zero_is_the_lectures_one_by_default():
  assert jax.grad(jacts.relu)(0.0) == 1.0


def test_relu_derivative_at_zero_can_be_jax_nn_and_pytorchs_zero():
  relu_zero_at_zero = jax.grad(lambda z: jacts.relu(z, derivative_at_zero=0.0))
  assert relu_zero_at_zero(0.0) == 0.0 == jax.grad(jax.nn.relu)(0.0)


def test_leaky_relu_derivative_is_the_slope_below_and_one_above_zero():
  z = jnp.array([-5.0, -1e-30, 1e-30, 5.0])
  np.testing.assert_allclose(elementwise_grad(jacts.leaky_relu)(z), [0.01, 0.01, 1.0, 1.0])


@pytest.mark.parametrize(("derivative_at_zero", "expected"), [(1.0, 1.0), (0.01, 0.01)])
def test_leaky_relu_derivative_at_zero_is_one_by_default_or_the_slope(derivative_at_zero, expected):
  grad = jax.grad(lambda z: jacts.leaky_relu(z, derivative_at_zero=derivative_at_zero))
  assert grad(0.0) == pytest.approx(expected)


def test_leaky_relu_value_is_the_lectures_max_for_slopes_up_to_one(x64):
  z = dense_grid_without_zero()
  for slope in [0.0, 0.01, 0.3, 1.0]:
    np.testing.assert_array_equal(jacts.leaky_relu(z, slope), jnp.maximum(slope * z, z))


def test_leaky_slope_gradient_is_the_sum_of_cotangent_times_z_below_zero(x64):
  z = jnp.array([-2.0, -1.0, 0.0, 3.0])
  cotangent = jnp.array([0.5, 2.0, 7.0, 11.0])
  _, vjp = jax.vjp(jacts.leaky_relu, z, jnp.float64(0.2))
  dz, dslope = vjp(cotangent)
  np.testing.assert_allclose(dz, [0.1, 0.4, 7.0, 11.0])
  assert dslope == 0.5 * -2.0 + 2.0 * -1.0


def test_leaky_slope_gradient_equals_autodiff_of_naive_form(x64):
  z = dense_grid_without_zero()

  def total(activation, slope):
    return jnp.sum(jnp.sin(z) * activation(z, slope))

  for slope in [0.01, 0.2, 0.9]:
    custom = jax.grad(total, argnums=1)(jacts.leaky_relu, slope)
    expected = jax.grad(total, argnums=1)(jacts.naive.leaky_relu, slope)
    np.testing.assert_allclose(custom, expected, rtol=1e-12)


def test_leaky_slope_is_traced_under_jit_without_recompiling():
  z = jnp.array([-2.0, 1.0])
  traces = []

  @jax.jit
  def slope_gradient(slope):
    traces.append(None)
    return jax.grad(lambda s: jacts.leaky_relu(z, s).sum())(slope)

  assert slope_gradient(jnp.float32(0.1)) == -2.0
  assert slope_gradient(jnp.float32(0.3)) == -2.0
  assert len(traces) == 1


def test_leaky_slope_per_channel_gets_one_gradient_per_channel():
  z = jnp.array([[-1.0, 2.0, -3.0], [-4.0, -5.0, 6.0]])
  slopes = jnp.array([0.1, 0.2, 0.3])
  dslopes = jax.grad(lambda s: jacts.leaky_relu(z, s).sum())(slopes)
  assert dslopes.shape == (3,)
  np.testing.assert_allclose(dslopes, [-5.0, -5.0, -3.0])
  np.testing.assert_allclose(jacts.leaky_relu(z, slopes), [[-0.1, 2.0, -0.9], [-0.4, -1.0, 6.0]])


def test_learnable_slope_moves_under_gradient_descent():
  z = jnp.array([-1.0, -2.0, 3.0])
  target = jacts.leaky_relu(z, 0.25)

  def loss(slope):
    return jnp.sum((jacts.leaky_relu(z, slope) - target) ** 2)

  slope = jnp.float32(0.01)
  for _ in range(50):
    slope = slope - 0.05 * jax.grad(loss)(slope)
  assert slope == pytest.approx(0.25, abs=1e-4)
