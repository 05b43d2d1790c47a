"""Every activation works under jit, vmap, grad, grad of grad, hessian, checkpoint and scan."""

import jax
import jax.numpy as jnp
import numpy as np
import pytest
from cases import ACTIVATION_FUNCTIONS, gradient_tolerance, in_domain

import jacts
from jacts._activations import known_activation


def second_derivative(activation, z):
  """g''(z): by hand from the lecture's g'(z), else autodiff of the naive formula, twice."""
  if activation is jacts.sigmoid:
    a = jax.nn.sigmoid(z)
    return a * (1 - a) * (1 - 2 * a)
  if activation is jacts.tanh:
    a = jnp.tanh(z)
    return -2 * a * (1 - a**2)
  return jax.vmap(jax.grad(jax.grad(known_activation(activation).rule.naive)))(z)


Z = jnp.array([-2.5, -0.3, 0.4, 1.7])


@pytest.mark.parametrize("activation", ACTIVATION_FUNCTIONS)
def test_jit_gives_the_same_values_and_gradients(activation):
  # Not bit-equal: under jit XLA may fuse 1 - a*a into one fused multiply-add.
  np.testing.assert_allclose(jax.jit(activation)(Z), activation(Z), rtol=1e-6)
  grad = jax.vmap(jax.grad(activation))
  np.testing.assert_allclose(jax.jit(grad)(Z), grad(Z), **gradient_tolerance(jnp.float32))


@pytest.mark.parametrize("activation", ACTIVATION_FUNCTIONS)
def test_vmap_over_a_batch_axis(activation):
  z = jnp.stack([Z, 2 * Z, -Z])
  np.testing.assert_array_equal(jax.vmap(activation)(z), activation(z))
  grads = jax.vmap(jax.grad(lambda row: activation(row).sum()))(z)
  np.testing.assert_array_equal(grads, jax.grad(lambda m: activation(m).sum())(z))


@pytest.mark.parametrize("activation", ACTIVATION_FUNCTIONS)
def test_grad_of_grad_is_the_second_derivative(activation):
  z = in_domain(activation, Z)
  second = jax.vmap(jax.grad(jax.grad(activation)))(z)
  np.testing.assert_allclose(second, second_derivative(activation, z), rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("activation", ACTIVATION_FUNCTIONS)
def test_hessian_forward_over_reverse_is_the_diagonal_second_derivative(activation):
  z = in_domain(activation, Z)
  hessian = jax.hessian(lambda z: activation(z).sum())(z)
  np.testing.assert_allclose(
    hessian, jnp.diag(second_derivative(activation, z)), rtol=1e-5, atol=1e-6
  )


def test_hessian_reaches_the_leaky_slope():
  # d2/ds dz of leaky_relu(z, s) is 1 where z < 0.
  mixed = jax.hessian(lambda z, s: jacts.leaky_relu(z, s).sum(), argnums=(0, 1))(Z, 0.2)
  np.testing.assert_allclose(mixed[0][1], [1.0, 1.0, 0.0, 0.0])


@pytest.mark.parametrize("activation", ACTIVATION_FUNCTIONS)
def test_checkpoint_gives_the_same_gradient(activation):
  loss = lambda z: jnp.sum(activation(z) ** 2)  # noqa: E731
  np.testing.assert_array_equal(jax.grad(jax.checkpoint(loss))(Z), jax.grad(loss)(Z))


@pytest.mark.parametrize("activation", ACTIVATION_FUNCTIONS)
def test_scan_over_layers_differentiates_through_every_step(activation):
  def layers(z):
    out, _ = jax.lax.scan(lambda h, _: (activation(h) + 0.1, None), z, None, length=3)
    return out.sum()

  def unrolled(z):
    for _ in range(3):
      z = activation(z) + 0.1
    return z.sum()

  np.testing.assert_allclose(jax.grad(layers)(Z), jax.grad(unrolled)(Z), rtol=1e-6)


@pytest.mark.parametrize("activation", ACTIVATION_FUNCTIONS)
def test_forward_mode_is_refused_by_custom_vjp_as_documented(activation):
  with pytest.raises(TypeError, match="custom_vjp"):
    jax.jvp(activation, (Z,), (jnp.ones_like(Z),))
