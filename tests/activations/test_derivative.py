"""jacts.derivative gives the custom VJPs' g'(z); the from-output forms are the lecture's."""

import functools

import jax
import jax.numpy as jnp
import numpy as np
import pytest
from cases import (
  ACTIVATION_FUNCTIONS,
  FLOAT_DTYPES,
  gradient_tolerance,
  identical,
  in_domain,
  special_values,
)

import jacts

Z = jnp.array([-4.0, -0.5, 0.0, 0.5, 4.0])


@pytest.mark.parametrize("activation", ACTIVATION_FUNCTIONS)
def test_derivative_equals_the_custom_vjp_everywhere_including_zero(activation):
  z = in_domain(activation, Z)
  derivative, vjp = jacts.derivative(activation)(z), jax.vmap(jax.grad(activation))(z)
  np.testing.assert_array_equal(derivative, vjp)


@pytest.mark.parametrize("jit", [False, True], ids=["eager", "jit"])
@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
@pytest.mark.parametrize("activation", ACTIVATION_FUNCTIONS)
def test_derivative_times_the_cotangent_is_the_vjp_bit_for_bit(activation, dtype, jit, x64):
  # The README's claim, at signed zeros, NaN, the infinities, both tails and beside each kink:
  # the same form (from a where the VJP keeps a), the same operations, eagerly or compiled.
  x = special_values(dtype)
  g = jnp.asarray(np.random.default_rng(1).standard_normal(x.shape), dtype)

  def by_derivative(x, g):
    return jacts.derivative(activation)(x) * g

  def by_vjp(x, g):
    return jax.vjp(activation, x)[1](g)[0]

  if jit:
    by_derivative, by_vjp = jax.jit(by_derivative), jax.jit(by_vjp)
  assert identical(by_derivative(x, g), by_vjp(x, g)).all()


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


@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
@pytest.mark.parametrize(
  ("activation", "kink", "slope"),
  [
    (jacts.hard_sigmoid, 3.0, 1 / 6),
    (jacts.sparse_sigmoid, 1.0, 1 / 2),
    (
      functools.partial(jacts.sparse_sigmoid, derivative_at_minus_one=0, derivative_at_one=0),
      1,
      0.5,
    ),
  ],
  ids=["hard_sigmoid", "sparse_sigmoid", "sparse_sigmoid-0-at-both"],
)
def test_just_below_a_kink_the_slope_is_the_inner_one_where_the_output_rounds_past_it(
  activation, kink, slope, dtype, x64
):
  # z + 3 (z + 1) rounds to the kink for z one ulp below it in every dtype: a is on the flat
  # side, g' is not.
  below = jnp.nextafter(jnp.asarray(kink, dtype), jnp.asarray(0, dtype))
  assert float(activation(below)) == float(activation(jnp.asarray(kink, dtype)))
  expected = np.asarray(slope, dtype)
  for gradient in (
    jax.grad(activation)(below),
    jax.grad(jacts.forward_mode(activation))(below),
    jacts.derivative(activation)(below),
  ):
    assert gradient.dtype == dtype
    assert float(gradient) == float(expected)


@pytest.mark.parametrize("activation", [jacts.log_sigmoid, jacts.forward_mode(jacts.log_sigmoid)])
def test_second_derivative_of_log_sigmoid_at_0_is_minus_a_quarter(activation):
  # -s(1 - s) at s = 1/2. Autodiff of the value's min(z, 0) at 0 would give -1/2.
  assert float(jax.grad(jax.grad(activation))(0.0)) == -0.25
  assert float(jax.hessian(activation)(0.0)) == -0.25
