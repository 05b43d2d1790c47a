"""jacts.derivative gives the custom VJPs' g'(z); the from-output forms are the lecture's."""

import functools

import jax
import jax.numpy as jnp
import numpy as np
import pytest
from cases import ACTIVATION_FUNCTIONS, gradient_tolerance, in_domain

import jacts
from jacts._registry import known_activation

Z = jnp.array([-4.0, -0.5, 0.0, 0.5, 4.0])


@pytest.mark.parametrize("activation", ACTIVATION_FUNCTIONS)
def test_derivative_equals_the_custom_vjp_everywhere_including_zero(activation):
  z = in_domain(activation, Z)
  derivative, vjp = jacts.derivative(activation)(z), jax.vmap(jax.grad(activation))(z)
  if known_activation(activation).rule.derivative_from_output is None:
    np.testing.assert_array_equal(derivative, vjp)
  else:  # The VJP reads g' from a, the same derivative written otherwise: equal to rounding.
    np.testing.assert_allclose(derivative, vjp, **gradient_tolerance(jnp.float32))


@pytest.mark.parametrize(
  "kwargs",
  [{"negative_slope": 0.2}, {"negative_slope": 0.2, "derivative_at_zero": 0.2}],
  ids=["slope", "slope and convention"],
)
def test_leaky_derivative_takes_the_activations_arguments(kwargs):
  activation = functools.partial(jacts.leaky_relu, **kwargs)
  expected = jax.vmap(jax.grad(activation))(Z)
  np.testing.assert_array_equal(jacts.derivative(jacts.leaky_relu)(Z, **kwargs), expected)
  np.testing.assert_array_equal(jacts.derivative(activation)(Z), expected)


def test_relu_derivative_takes_the_convention_at_zero():
  np.testing.assert_array_equal(
    jacts.derivative(jacts.relu)(Z, derivative_at_zero=0.0), [0.0, 0.0, 0.0, 1.0, 1.0]
  )
  np.testing.assert_array_equal(jacts.derivative(jacts.relu)(Z), [0.0, 0.0, 1.0, 1.0, 1.0])


@pytest.mark.parametrize(
  ("activation", "lecture_form"),
  [(jacts.sigmoid, lambda a: a * (1 - a)), (jacts.tanh, lambda a: 1 - a**2)],
  ids=["sigmoid: a(1-a)", "tanh: 1-a^2"],
)
def test_derivative_from_output_is_the_lectures_form(activation, lecture_form):
  a = activation(Z)
  from_output = jacts.derivative_from_output(activation)(a)
  np.testing.assert_allclose(from_output, lecture_form(a), rtol=1e-7)
  np.testing.assert_allclose(from_output, jacts.derivative(activation)(Z), rtol=1e-7)


@pytest.mark.parametrize("activation", ACTIVATION_FUNCTIONS)
def test_derivative_works_under_jit_and_vmap(activation):
  derivative = jacts.derivative(activation)
  batch = jnp.stack([Z, -Z])
  # Not bit-equal: under jit XLA may fuse 1 - a*a into one fused multiply-add.
  np.testing.assert_allclose(
    jax.jit(derivative)(batch), derivative(batch), **gradient_tolerance(jnp.float32)
  )
  np.testing.assert_array_equal(jax.vmap(derivative)(batch), derivative(batch))


def test_derivative_has_a_readable_name():
  assert jacts.derivative(jacts.tanh).__name__ == "tanh_derivative"
