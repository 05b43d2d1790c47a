"""GLU, softmax and log-softmax: jax.nn's values; VJPs and forward-mode JVPs in closed form that
equal autodiff of jax.nn's functions and of the naive formulas, along any axis (under a mask too,
in forward mode) and to second order; finite for entries of +-1e38, and NaN only in the slice of
a NaN input."""

import functools

import jax
import jax.numpy as jnp
import numpy as np
import pytest
from jax.test_util import check_grads
from not_elementwise_cases import NAMES, NORMALIZING, _normal, _output_shape, _vjp

import jacts

SHAPES = ((4, 6), (2, 3, 4))


def _axes(name, shape):
  """Every axis of ``shape`` (GLU: those of even size); softmax's tuples of axes and None too."""
  ints = [a for a in range(-len(shape), len(shape)) if name != "glu" or shape[a] % 2 == 0]
  if name == "glu":
    return ints
  return [*ints, (0, -1), (-1, 0), tuple(range(len(shape))), None]


def _cases(shapes):
  return [
    pytest.param(name, shape, axis, id=f"{name}-{'x'.join(map(str, shape))}-axis={axis}")
    for name in NAMES
    for shape in shapes
    for axis in _axes(name, shape)
  ]


CASES = _cases(SHAPES)
# Fewer for the costlier checks: each axis of GLU, and one of each kind for softmax.
SOME_CASES = [
  pytest.param(name, (2, 3, 4), axis, id=f"{name}-axis={axis}")
  for name in NAMES
  for axis in ((0, -1) if name == "glu" else (0, 1, -1, (0, -1), None))
]


# ---------------------------------------------------------------------------------------------
# 1. Values.


@pytest.mark.parametrize(("name", "shape", "axis"), CASES)
def test_value_equals_jax_nns_exactly_in_float32(name, shape, axis):
  z = _normal(shape, jnp.float32)
  a = getattr(jacts, name)(z, axis)
  assert a.dtype == jnp.float32
  assert a.shape == _output_shape(name, shape, axis)
  np.testing.assert_array_equal(a, getattr(jax.nn, name)(z, axis))


@pytest.mark.parametrize(("name", "shape", "axis"), _cases([(2, 3, 4)]))
def test_value_is_the_naive_formula_in_float64(name, shape, axis, x64):
  z = 3 * _normal(shape)
  np.testing.assert_allclose(
    getattr(jacts, name)(z, axis), getattr(jacts.naive, name)(z, axis), rtol=1e-13, atol=1e-15
  )


def test_default_axis_is_the_last_as_in_jax_nn():
  z = _normal((2, 3, 4), jnp.float32)
  for name in NAMES:
    np.testing.assert_array_equal(getattr(jacts, name)(z), getattr(jacts, name)(z, -1))
    np.testing.assert_array_equal(getattr(jacts, name)(z), getattr(jax.nn, name)(z))


def test_keyword_arguments_are_jax_nns():
  z = _normal((4, 6), jnp.float32)
  where = z > -1
  np.testing.assert_array_equal(jacts.glu(z, axis=0), jax.nn.glu(z, axis=0))
  for name in NORMALIZING:
    np.testing.assert_array_equal(
      getattr(jacts, name)(z, axis=0, where=where), getattr(jax.nn, name)(z, axis=0, where=where)
    )


# ---------------------------------------------------------------------------------------------
# 2. Vector-Jacobian products.


@pytest.mark.parametrize(("name", "shape", "axis"), SOME_CASES)
def test_vjp_equals_autodiff_of_the_naive_formula_and_of_jax_nn(name, shape, axis, x64):
  z = 2 * _normal(shape)
  cotangent = _normal(_output_shape(name, shape, axis), seed=1)
  _, ours = _vjp(lambda z: getattr(jacts, name)(z, axis), z, cotangent)
  _, naive = _vjp(lambda z: getattr(jacts.naive, name)(z, axis), z, cotangent)
  _, theirs = _vjp(lambda z: getattr(jax.nn, name)(z, axis), z, cotangent)
  assert ours.shape == shape
  assert ours.dtype == jnp.float64
  np.testing.assert_allclose(ours, naive, rtol=1e-12, atol=1e-14)
  np.testing.assert_allclose(ours, theirs, rtol=1e-12, atol=1e-14)


@pytest.mark.parametrize(
  ("name", "axis"),
  [("glu", -1), ("softmax", -1), ("softmax", (0, 2)), ("log_softmax", -1), ("log_softmax", (0, 2))],
)
def test_gradients_match_finite_differences_to_second_order(name, axis, x64):
  z = _normal((2, 3, 4))
  # Order 2 checks the VJP, then the VJP of the VJP (Hessian-vector products).
  check_grads(lambda z: getattr(jacts, name)(z, axis), (z,), order=2, modes=["rev"])


def test_softmax_gradient_of_its_sum_is_zero_and_log_softmax_is_cotangent_minus_softmax(x64):
  z = _normal((4, 6))
  np.testing.assert_allclose(jax.grad(lambda z: jacts.softmax(z).sum())(z), 0.0, atol=1e-15)
  cotangent = _normal((4, 6), seed=1)
  _, gradient = _vjp(jacts.log_softmax, z, cotangent)
  expected = cotangent - jacts.softmax(z) * cotangent.sum(-1, keepdims=True)
  np.testing.assert_allclose(gradient, expected, rtol=1e-13, atol=1e-15)


@pytest.mark.parametrize(
  ("name", "keeps"), [("glu", "input"), ("softmax", "output"), ("log_softmax", "output")]
)
def test_backward_pass_keeps_the_output_alone_for_softmax_and_the_input_for_glu(name, keeps):
  z = _normal((4, 6), jnp.float32)
  a, vjp = jax.vjp(getattr(jacts, name), z)
  (residual,) = jax.tree.leaves(vjp)
  np.testing.assert_array_equal(residual, a if keeps == "output" else z)


# ---------------------------------------------------------------------------------------------
# 3. Forward mode.


@pytest.mark.parametrize(("name", "shape", "axis"), SOME_CASES)
def test_forward_mode_jvp_equals_jax_nns(name, shape, axis, x64):
  z = _normal(shape)
  tangent = _normal(shape, seed=1)
  forward = functools.partial(jacts.forward_mode(getattr(jacts, name)), axis=axis)
  theirs = functools.partial(getattr(jax.nn, name), axis=axis)
  value, jvp = jax.jvp(forward, (z,), (tangent,))
  expected_value, expected = jax.jvp(theirs, (z,), (tangent,))
  np.testing.assert_allclose(value, expected_value, rtol=1e-15)
  np.testing.assert_allclose(jvp, expected, rtol=1e-12, atol=1e-15)


@pytest.mark.parametrize(("name", "axis"), [("glu", 0), ("softmax", (0, -1)), ("log_softmax", -1)])
def test_forward_mode_jacfwd_equals_jax_nns_and_the_custom_vjps_jacrev(name, axis, x64):
  z = _normal((2, 3, 4))
  forward = functools.partial(jacts.forward_mode(getattr(jacts, name)), axis=axis)
  theirs = functools.partial(getattr(jax.nn, name), axis=axis)
  jacobian = jax.jacfwd(forward)(z)
  np.testing.assert_allclose(jacobian, jax.jacfwd(theirs)(z), rtol=1e-12, atol=1e-15)
  # The custom VJP's Jacobian, row by row, is the custom JVP's, column by column.
  reverse = jax.jacrev(lambda z: getattr(jacts, name)(z, axis))(z)
  np.testing.assert_allclose(reverse, jacobian, rtol=1e-12, atol=1e-15)


@pytest.mark.parametrize("name", NORMALIZING)
def test_forward_mode_with_a_mask_equals_jax_nns(name, x64):
  z = _normal((4, 6))
  tangent = _normal((4, 6), seed=1)
  where = z > -0.5
  forward = jacts.forward_mode(getattr(jacts, name))
  _, jvp = jax.jvp(lambda z: forward(z, -1, where), (z,), (tangent,))
  _, expected = jax.jvp(lambda z: getattr(jax.nn, name)(z, -1, where), (z,), (tangent,))
  np.testing.assert_allclose(jvp, expected, rtol=1e-12, atol=1e-15)
  np.testing.assert_array_equal(jvp[~where], 0.0)


@pytest.mark.parametrize(
  ("name", "version"),
  [
    ("log_softmax", "custom VJP"),
    ("log_softmax", "forward mode"),
    ("softmax", "custom VJP"),
    ("glu", "custom VJP"),
  ],
)
def test_hessian_vector_product_equals_the_naive_formulas(name, version, x64):
  z = _normal((2, 3, 4))
  direction = _normal((2, 3, 4), seed=1)
  weights = _normal(_output_shape(name, (2, 3, 4), -1), seed=2)
  f = getattr(jacts, name) if version == "custom VJP" else jacts.forward_mode(getattr(jacts, name))

  def hvp(f):
    gradient = jax.grad(lambda z: jnp.sum(weights * f(z)))
    return jax.jvp(gradient, (z,), (direction,))[1]

  np.testing.assert_allclose(hvp(f), hvp(getattr(jacts.naive, name)), rtol=1e-11, atol=1e-14)


# ---------------------------------------------------------------------------------------------
# 4. Extreme inputs.


@pytest.mark.parametrize("name", NORMALIZING)
def test_vjp_is_finite_for_entries_of_plus_or_minus_1e38_as_jax_nns(name):
  z = jnp.array([[1e38, -1e38, 0.0, 3.0], [-1e38, -1e38, 1e38, 1e38], [-1e38, 0.0, 1.0, 2.0]])
  cotangent = jnp.array([[1.0, 2.0, -1.0, 0.5], [0.5, -1.0, 2.0, 3.0], [1.0, 1.0, 1.0, 1.0]])
  value, gradient = _vjp(getattr(jacts, name), z, cotangent)
  expected_value, expected = _vjp(getattr(jax.nn, name), z, cotangent)
  np.testing.assert_array_equal(value, expected_value)
  assert bool(jnp.all(jnp.isfinite(gradient)))
  assert bool(jnp.all(jnp.isfinite(expected)))
  np.testing.assert_allclose(gradient, expected, rtol=1e-6, atol=1e-7)


@pytest.mark.parametrize("name", NORMALIZING)
def test_forward_mode_jvp_is_finite_for_entries_of_plus_or_minus_1e38(name):
  z = jnp.array([[1e38, -1e38, 0.0, 3.0], [-1e38, -1e38, 1e38, 1e38]])
  tangent = jnp.array([[1.0, 2.0, -1.0, 0.5], [0.5, -1.0, 2.0, 3.0]])
  _, jvp = jax.jvp(jacts.forward_mode(getattr(jacts, name)), (z,), (tangent,))
  _, expected = jax.jvp(getattr(jax.nn, name), (z,), (tangent,))
  assert bool(jnp.all(jnp.isfinite(jvp)))
  np.testing.assert_allclose(jvp, expected, rtol=1e-6, atol=1e-7)


@pytest.mark.parametrize("name", NAMES)
def test_nan_in_gives_nan_out_in_its_own_slice_alone(name):
  z = _normal((4, 6), jnp.float32).at[1, 2].set(jnp.nan)
  cotangent = jnp.ones(_output_shape(name, (4, 6), -1))
  value, gradient = _vjp(getattr(jacts, name), z, cotangent)
  _, jvp = jax.jvp(jacts.forward_mode(getattr(jacts, name)), (z,), (jnp.ones_like(z),))
  for result in (value, gradient, jvp):
    assert bool(jnp.any(jnp.isnan(result[1])))
    assert bool(jnp.all(jnp.isfinite(result[jnp.arange(4) != 1])))
  if name != "glu":  # GLU's NaN in the first half reaches one entry of a and one of the VJP.
    for result in (value, gradient, jvp):
      assert bool(jnp.all(jnp.isnan(result[1])))
