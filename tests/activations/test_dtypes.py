"""Outputs and gradients keep the input's dtype and shape, whatever the dtype and shape."""

import jax
import jax.numpy as jnp
import pytest
from cases import ACTIVATION_FUNCTIONS, FLOAT_DTYPES

import jacts


@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
@pytest.mark.parametrize("activation", ACTIVATION_FUNCTIONS)
def test_output_and_gradient_keep_the_input_dtype(activation, dtype, x64):
  z = jnp.linspace(-3, 3, 7).astype(dtype)
  assert activation(z).dtype == dtype
  grad = jax.grad(lambda z: activation(z).sum())(z)
  assert grad.dtype == dtype
  assert jacts.derivative(activation)(z).dtype == dtype


@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
def test_leaky_slope_gradient_keeps_the_slopes_dtype(dtype, x64):
  z = -jnp.ones(4, dtype)
  dslope = jax.grad(lambda s: jacts.leaky_relu(z, s).sum())(jnp.float32(0.2))
  assert dslope.dtype == jnp.float32
  assert dslope == -4.0


@pytest.mark.parametrize("shape", [(), (1,), (5,), (2, 3), (2, 1, 4, 3)])
@pytest.mark.parametrize("activation", ACTIVATION_FUNCTIONS)
def test_any_shape_is_kept(activation, shape):
  z = jnp.full(shape, -0.5)
  assert activation(z).shape == shape
  assert jax.grad(lambda z: activation(z).sum())(z).shape == shape


@pytest.mark.parametrize("activation", ACTIVATION_FUNCTIONS)
def test_python_float_gives_a_default_float_scalar(activation):
  out = activation(0.5)
  assert out.shape == ()
  assert out.dtype == jnp.float32
  assert jax.grad(activation)(0.5).dtype == jnp.float32


@pytest.mark.parametrize("activation", ACTIVATION_FUNCTIONS)
def test_python_float_is_float64_under_x64(activation, x64):
  assert activation(0.5).dtype == jnp.float64
  assert jax.grad(activation)(0.5).dtype == jnp.float64
