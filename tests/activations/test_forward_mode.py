"""jacts.forward_mode(f) has f's values and derivative rule, and every transformation applies."""

import functools

import jax
import jax.numpy as jnp
import numpy as np
import optax
import pytest
from cases import ACTIVATION_FUNCTIONS, gradient_tolerance, in_domain

import jacts
import jacts.shallow as shallow
from jacts.datasets import planar_flower

# Points on both sides of the kink, and the kink itself.
Z = Z_ALL = jnp.array([-2.5, -0.3, 0.0, 0.4, 1.7])


@pytest.mark.parametrize("activation", ACTIVATION_FUNCTIONS)
def test_same_values_as_the_custom_vjp_version(activation):
  z = in_domain(activation, Z_ALL)
  np.testing.assert_array_equal(jacts.forward_mode(activation)(z), activation(z))


@pytest.mark.parametrize("activation", ACTIVATION_FUNCTIONS)
def test_jvp_is_the_rule_times_the_tangent(activation):
  z = in_domain(activation, Z_ALL)
  tangent = jnp.array([1.0, -2.0, 3.0, 0.5, 4.0])
  value, jvp = jax.jvp(jacts.forward_mode(activation), (z,), (tangent,))
  np.testing.assert_array_equal(value, activation(z))
  np.testing.assert_allclose(jvp, jacts.derivative(activation)(z) * tangent, rtol=1e-6)


@pytest.mark.parametrize("activation", ACTIVATION_FUNCTIONS)
def test_jacfwd_and_jacrev_equal_the_custom_vjps_jacobian(activation):
  z = in_domain(activation, Z_ALL)
  expected = jax.jacrev(activation)(z)
  forward = jacts.forward_mode(activation)
  np.testing.assert_allclose(jax.jacfwd(forward)(z), expected, **gradient_tolerance(jnp.float32))
  np.testing.assert_allclose(jax.jacrev(forward)(z), expected, **gradient_tolerance(jnp.float32))


@pytest.mark.parametrize("activation", ACTIVATION_FUNCTIONS)
def test_hessian_equals_the_custom_vjps(activation, x64):
  z = in_domain(activation, Z_ALL.astype(jnp.float64))
  expected = jax.hessian(lambda z: activation(z).sum())(z)
  forward = jax.hessian(lambda z: jacts.forward_mode(activation)(z).sum())(z)
  np.testing.assert_allclose(forward, expected, rtol=1e-12, atol=1e-15)


@pytest.mark.parametrize("activation", ACTIVATION_FUNCTIONS)
def test_linearize_gives_the_same_linear_map(activation):
  z = in_domain(activation, Z_ALL)
  value, linear = jax.linearize(jacts.forward_mode(activation), z)
  np.testing.assert_array_equal(value, activation(z))
  np.testing.assert_allclose(linear(jnp.ones_like(z)), jacts.derivative(activation)(z), rtol=1e-6)


@pytest.mark.parametrize(
  ("activation", "expected_at_zero"),
  [
    (jacts.relu, 1.0),
    (functools.partial(jacts.relu, derivative_at_zero=0.0), 0.0),
    (jacts.leaky_relu, 1.0),
    (functools.partial(jacts.leaky_relu, derivative_at_zero=0.01), 0.01),
  ],
  ids=["relu", "relu g'(0)=0", "leaky_relu", "leaky_relu g'(0)=slope"],
)
def test_same_convention_at_zero(activation, expected_at_zero):
  forward = jacts.forward_mode(activation)
  assert jax.jvp(forward, (0.0,), (1.0,))[1] == pytest.approx(expected_at_zero)
  assert jax.grad(forward)(0.0) == pytest.approx(expected_at_zero)


def test_traced_slope_is_differentiable_in_forward_mode():
  forward = jacts.forward_mode(jacts.leaky_relu)
  z = jnp.array([-2.0, -1.0, 3.0])

  @jax.jit
  def slope_jvp(slope):
    return jax.jvp(lambda s: forward(z, s), (slope,), (jnp.float32(1.0),))[1]

  np.testing.assert_allclose(slope_jvp(jnp.float32(0.2)), [-2.0, -1.0, 0.0])
  reverse = jax.grad(lambda s: jacts.leaky_relu(z, s).sum())(0.2)
  assert jax.jacfwd(lambda s: forward(z, s).sum())(0.2) == pytest.approx(float(reverse))


def test_per_channel_slopes_in_forward_mode():
  z = jnp.array([[-1.0, 2.0, -3.0], [-4.0, -5.0, 6.0]])
  slopes = jnp.array([0.1, 0.2, 0.3])
  forward = jacts.forward_mode(jacts.leaky_relu)
  by_jacfwd = jax.jacfwd(lambda s: forward(z, s).sum())(slopes)
  by_grad = jax.grad(lambda s: jacts.leaky_relu(z, s).sum())(slopes)
  np.testing.assert_allclose(by_jacfwd, by_grad)


def test_forward_mode_is_one_function_per_activation():
  assert jacts.forward_mode(jacts.tanh) is jacts.forward_mode(jacts.tanh)
  assert jacts.forward_mode(jacts.forward_mode(jacts.tanh)) is jacts.forward_mode(jacts.tanh)


def test_derivative_accepts_forward_mode_versions():
  forward = jacts.forward_mode(jacts.leaky_relu)
  np.testing.assert_array_equal(
    jacts.derivative(forward)(Z, negative_slope=0.2),
    jacts.derivative(jacts.leaky_relu)(Z, negative_slope=0.2),
  )


def test_forward_mode_keeps_dtype_and_refuses_integers_as_jax_nn_does():
  forward = jacts.forward_mode(jacts.sigmoid)
  assert jax.jvp(forward, (jnp.ones(2, jnp.bfloat16),), (jnp.ones(2, jnp.bfloat16),))[1].dtype == (
    jnp.bfloat16
  )
  with pytest.raises(TypeError, match=r"`jacts.forward_mode\(jacts.sigmoid\)`: `x`.*int32"):
    forward(jnp.arange(2))


def test_forward_mode_of_an_unknown_function_is_refused():
  with pytest.raises(ValueError, match=r"`activation` must be an activation jacts knows"):
    jacts.forward_mode(jnp.tanh)


X, Y = planar_flower()


def test_jacfwd_of_the_network_cost_equals_jax_grad(x64):
  params = shallow.init_params(jax.random.key(0), 2, 5, 1, scale=0.5, dtype=jnp.float64)
  forward_tanh = jacts.forward_mode(jacts.tanh)
  by_jacfwd = jax.jacfwd(shallow.cost)(params, X, Y, activation=forward_tanh)
  by_grad = jax.grad(shallow.cost)(params, X, Y, activation=jacts.tanh)
  for got, want in zip(by_jacfwd, by_grad, strict=True):
    np.testing.assert_allclose(got, want, rtol=1e-11, atol=1e-15)


def test_jacfwd_of_the_forward_pass_reaches_the_output_layer(x64):
  params = shallow.init_params(jax.random.key(0), 2, 3, 1, scale=0.5, dtype=jnp.float64)
  forward_tanh = jacts.forward_mode(jacts.tanh)
  jacobian = jax.jacfwd(lambda p: shallow.forward(p, X[:5], activation=forward_tanh)[0])(params)
  expected = jax.jacrev(lambda p: shallow.forward(p, X[:5])[0])(params)
  for got, want in zip(jacobian, expected, strict=True):
    np.testing.assert_allclose(got, want, rtol=1e-11, atol=1e-15)


@pytest.mark.parametrize("activation", ACTIVATION_FUNCTIONS)
def test_hessian_vector_products_forward_over_reverse_equal_reverse_over_reverse(activation, x64):
  params = shallow.init_params(jax.random.key(1), 2, 4, 1, scale=0.5, dtype=jnp.float64)
  direction = shallow.init_params(jax.random.key(2), 2, 4, 1, scale=1.0, dtype=jnp.float64)
  forward = jacts.forward_mode(activation)

  def grad_of_cost(p, act):
    return jax.grad(shallow.cost)(p, X, Y, activation=act)

  forward_over_reverse = jax.jvp(lambda p: grad_of_cost(p, forward), (params,), (direction,))[1]

  def directional(p):
    pairs = zip(grad_of_cost(p, activation), direction, strict=True)
    return sum(jnp.vdot(g, d) for g, d in pairs)

  reverse_over_reverse = jax.grad(directional)(params)
  for got, want in zip(forward_over_reverse, reverse_over_reverse, strict=True):
    np.testing.assert_allclose(got, want, rtol=1e-10, atol=1e-13)


def test_fit_and_backward_accept_forward_mode_versions():
  forward_tanh = jacts.forward_mode(jacts.tanh)
  params = shallow.lecture_params(2, 4, 1)
  _, cache = shallow.forward(params, X, activation=forward_tanh)
  by_forward_version = shallow.backward(params, cache, X, Y, activation=forward_tanh)
  for got, want in zip(by_forward_version, shallow.backward(params, cache, X, Y), strict=True):
    np.testing.assert_array_equal(got, want)
  _, costs = shallow.fit(
    params, X, Y, optimizer=optax.sgd(1.2), steps=2000, activation=forward_tanh
  )
  _, expected = shallow.fit(params, X, Y, optimizer=optax.sgd(1.2), steps=2000)
  np.testing.assert_allclose(costs, expected, rtol=1e-6)
