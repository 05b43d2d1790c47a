"""Activation parameters given as arrays (ELU's and CELU's alpha, squareplus' b) are
differentiable, exactly: their gradients equal autodiff of the naive forms and finite differences,
one per channel for a parameter per channel, in the parameter's dtype, and NaN only in the channel
of a NaN input. A parameter out of its range, or of the wrong shape or dtype, is refused naming
it."""

import math

import jax
import jax.numpy as jnp
import numpy as np
import pytest
from cases import off_kinks
from jax.test_util import check_grads
from jax_nn_cases import PARAMETERS

import jacts
from jacts._activations import known_activation

# ---------------------------------------------------------------------------------------------
# 1. Parameters given as arrays are differentiable, exactly.


def _naive(activation):
  return getattr(jacts.naive, known_activation(activation).rule.name)


def _as_naive_parameter(p, z):
  """p with leading axes of size 1 up to z's rank, as the naive forms need under rank checks."""
  return jnp.reshape(p, (1,) * (z.ndim - p.ndim) + p.shape)


def _grid(activation):
  return jnp.asarray(off_kinks(activation, np.linspace(-30.0, 30.0, 20_001)))


@pytest.mark.parametrize(("activation", "parameter", "values"), PARAMETERS)
def test_parameter_gradient_equals_autodiff_of_the_naive_form(activation, parameter, values, x64):
  z = _grid(activation)
  weights = 1.5 + jnp.sin(z)  # Not odd: squareplus' dg/db is even.
  naive = _naive(activation)

  def total(f, p):
    return jnp.sum(weights * f(z, p))

  for value in values:
    p = jnp.float64(value)
    ours = jax.grad(total, argnums=1)(activation, p)
    expected = jax.grad(total, argnums=1)(naive, p)
    np.testing.assert_allclose(ours, expected, rtol=1e-12)


@pytest.mark.parametrize(("activation", "parameter", "values"), PARAMETERS)
def test_parameter_derivative_at_each_z_equals_autodiff_of_the_naive_form(
  activation, parameter, values, x64
):
  z = _grid(activation)
  naive = _naive(activation)

  def elementwise(f):
    return jax.jit(jax.vmap(jax.grad(f, argnums=1), in_axes=(0, None)))

  for value in values:
    p = jnp.float64(value)
    # atol: the naive CELU's e^x - 1 - x e^x cancels to x^2 / 2 near 0 (x = z / alpha).
    np.testing.assert_allclose(
      elementwise(activation)(z, p), elementwise(naive)(z, p), rtol=1e-12, atol=1e-15
    )


@pytest.mark.parametrize(("activation", "parameter", "values"), PARAMETERS)
def test_parameter_gradients_match_finite_differences_to_second_order(
  activation, parameter, values, x64
):
  z = jnp.array([-3.7, -0.4, 0.3, 2.9])
  for value in (values[0], values[-1]):
    # Order 2 checks the first derivatives, then the derivatives of the VJP.
    check_grads(lambda p: activation(z, p), (jnp.float64(value),), order=2, modes=["rev"])
  # Jointly in z and the parameter: the mixed second derivatives too.
  check_grads(activation, (z, jnp.float64(values[-1])), order=2, modes=["rev"], eps=1e-4)


@pytest.mark.parametrize(
  ("activation", "parameter", "values", "shape"),
  [
    *((*p.values, (3,)) for p in PARAMETERS),
    (*PARAMETERS[0].values, (2, 1)),
  ],
  ids=[*(f"{p.id}-per-column" for p in PARAMETERS), f"{PARAMETERS[0].id}-per-row"],
)
def test_per_channel_parameter_gets_one_gradient_per_channel(
  activation, parameter, values, shape, x64
):
  z = jnp.array([[-1.0, 2.0, -3.0], [-4.0, -0.5, 6.0]])
  p = jnp.asarray(values[-math.prod(shape) :], jnp.float64).reshape(shape)
  naive = _naive(activation)
  cotangent = jnp.array([[1.0, -2.0, 0.5], [3.0, 0.25, -1.0]])

  def weighted(f, p):
    return jnp.sum(cotangent * f(z, p))

  np.testing.assert_allclose(activation(z, p), naive(z, _as_naive_parameter(p, z)), rtol=1e-13)
  ours = jax.grad(weighted, argnums=1)(activation, p)
  expected = jax.grad(lambda p: weighted(naive, _as_naive_parameter(p, z)))(p)
  assert ours.shape == shape
  assert ours.dtype == jnp.float64
  np.testing.assert_allclose(ours, expected, rtol=1e-12)


@pytest.mark.parametrize(("activation", "parameter", "values"), PARAMETERS)
def test_parameter_gradient_keeps_the_parameters_dtype(activation, parameter, values, x64):
  z = -jnp.ones(4, jnp.float64)
  dp = jax.grad(lambda p: activation(z, p).sum())(jnp.float32(values[-1]))
  assert dp.dtype == jnp.float32


@pytest.mark.parametrize(
  ("activation", "parameter", "value"),
  [
    (jacts.celu, "alpha", 0.0),
    (jacts.celu, "alpha", -1.0),
    (jacts.squareplus, "b", 0.0),
    (jacts.squareplus, "b", -1.0),
    (jacts.elu, "alpha", math.inf),
    (jacts.elu, "alpha", math.nan),
    (jacts.squareplus, "b", math.inf),
  ],
)
def test_a_parameter_out_of_its_range_is_refused_naming_it(activation, parameter, value):
  name = known_activation(activation).rule.name
  with pytest.raises(ValueError, match=rf"`jacts.{name}`: `{parameter}` must"):
    activation(jnp.zeros(3), value)


@pytest.mark.parametrize(("activation", "parameter", "values"), PARAMETERS)
def test_a_parameter_array_of_the_wrong_shape_or_dtype_is_refused_naming_it(
  activation, parameter, values
):
  name = known_activation(activation).rule.name
  z = jnp.zeros((2, 3))
  with pytest.raises(ValueError, match=rf"`jacts.{name}`: `{parameter}` must have a shape"):
    activation(z, jnp.ones(4))
  with pytest.raises(ValueError, match=rf"`jacts.{name}`: `{parameter}` must have a shape"):
    activation(z, jnp.ones((2, 2, 3)))  # Broadcasts, but would change z's shape.
  with pytest.raises(TypeError, match=rf"`jacts.{name}`: `{parameter}` must be"):
    activation(z, jnp.ones(3, jnp.int32))


# ---------------------------------------------------------------------------------------------
# 2. NaN in, NaN out: in the parameters' gradients too.


@pytest.mark.parametrize(("activation", "parameter", "values"), PARAMETERS)
def test_nan_in_z_gives_nan_gradients_for_z_and_the_parameters_channel_alone(
  activation, parameter, values
):
  z = jnp.array([[jnp.nan, -1.0, 1.0], [-2.0, -0.5, 3.0]], jnp.float32)
  per_channel = jnp.full(3, values[-1], jnp.float32)
  for p in (per_channel, per_channel[0]):
    dz, dp = jax.grad(lambda z, p: activation(z, p).sum(), argnums=(0, 1))(z, p)
    assert bool(jnp.isnan(dz[0, 0]))
    assert bool(jnp.all(jnp.isfinite(dz.ravel()[1:])))
    assert bool(jnp.isnan(dp.ravel()[0]))
    assert bool(jnp.all(jnp.isfinite(dp.ravel()[1:])))
