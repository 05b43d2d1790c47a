"""GLU, softmax and log-softmax: arguments checked and named (GLU's odd sizes, axes out of range,
repeated or not integers, integer inputs; derivative refused, as they are not elementwise), every
floating dtype kept, arrays of any rank, and the same values and gradients under jit, vmap and
scan."""

import jax
import jax.numpy as jnp
import numpy as np
import pytest
from cases import FLOAT_DTYPES
from not_elementwise_cases import NAMES, NORMALIZING, _normal, _output_shape, _vjp

import jacts

# ---------------------------------------------------------------------------------------------
# 1. Errors.


@pytest.mark.parametrize("axis", [0, -1, 1])
def test_glu_refuses_an_odd_size_along_axis_naming_x_and_axis(axis):
  z = jnp.ones((3, 5))
  with pytest.raises(ValueError, match=r"`jacts.glu`: `x` must have an even size along `axis`"):
    jacts.glu(z, axis)


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("axis", [2, -3, 10])
def test_an_axis_out_of_range_is_refused_naming_it(name, axis):
  with pytest.raises(ValueError, match=rf"`jacts.{name}`: `axis` must lie in \[-2, 1\]"):
    getattr(jacts, name)(jnp.ones((4, 6)), axis)


@pytest.mark.parametrize("name", NORMALIZING)
def test_an_axis_out_of_range_in_a_tuple_is_refused_naming_it(name):
  with pytest.raises(ValueError, match=rf"`jacts.{name}`: `axis` must lie in"):
    getattr(jacts, name)(jnp.ones((4, 6)), (0, 2))


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize(
  "axis", [1.0, True, "1", jnp.array(1)], ids=["float", "bool", "str", "array"]
)
def test_an_axis_that_is_not_an_int_is_refused_naming_it(name, axis):
  with pytest.raises(TypeError, match=rf"`jacts.{name}`: `axis` must be an int"):
    getattr(jacts, name)(jnp.ones((4, 6)), axis)


def test_glu_refuses_a_tuple_or_none_as_axis():
  for axis in ((0, 1), None):
    with pytest.raises(TypeError, match=r"`jacts.glu`: `axis` must be an int"):
      jacts.glu(jnp.ones((4, 6)), axis)


def test_an_axis_may_be_a_numpy_integer():
  z = _normal((4, 6), jnp.float32)
  np.testing.assert_array_equal(jacts.glu(z, np.int64(0)), jax.nn.glu(z, 0))
  np.testing.assert_array_equal(jacts.softmax(z, np.int32(0)), jax.nn.softmax(z, 0))


@pytest.mark.parametrize("axis", [(0, 0), (0, -2), (1, -1, 0)])
@pytest.mark.parametrize("name", NORMALIZING)
def test_a_repeated_axis_is_refused_naming_it(name, axis):
  with pytest.raises(ValueError, match=rf"`jacts.{name}`: `axis` must not repeat an axis"):
    getattr(jacts, name)(jnp.ones((4, 6)), axis)


@pytest.mark.parametrize("name", NAMES)
def test_derivative_is_refused_as_the_function_is_not_elementwise(name):
  for activation in (getattr(jacts, name), jacts.forward_mode(getattr(jacts, name))):
    with pytest.raises(ValueError, match=rf"jacts.{name} is not elementwise"):
      jacts.derivative(activation)


@pytest.mark.parametrize("name", NAMES)
def test_forward_mode_versions_name_themselves_in_errors(name):
  with pytest.raises(ValueError, match=rf"`jacts.forward_mode\(jacts.{name}\)`: `axis` must lie"):
    jacts.forward_mode(getattr(jacts, name))(jnp.ones((4, 6)), 5)


def test_an_integer_input_is_refused_naming_x_where_jax_nn_refuses_it():
  with pytest.raises(TypeError, match=r"`jacts.glu`: `x` must be a real floating-point"):
    jacts.glu(jnp.ones((4, 6), jnp.int32))


# jax.nn's softmax of integers casts its -inf initial maximum to them, with NumPy's warning.
@pytest.mark.filterwarnings("ignore:invalid value encountered in cast:RuntimeWarning")
@pytest.mark.parametrize("name", ["softmax", "log_softmax"])
def test_an_integer_input_is_computed_in_the_default_float_as_jax_nns(name):
  x = jnp.arange(24).reshape(4, 6)
  with jax.numpy_dtype_promotion("standard"):  # Strict: jax.nn's log_softmax refuses, as jacts'.
    np.testing.assert_array_equal(getattr(jacts, name)(x), getattr(jax.nn, name)(x))


# ---------------------------------------------------------------------------------------------
# 2. dtypes and transformations.


@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
@pytest.mark.parametrize("name", NAMES)
def test_values_and_gradients_keep_the_dtype(name, dtype, x64):
  z = _normal((4, 6), jnp.float32).astype(dtype)
  a = getattr(jacts, name)(z)
  assert a.dtype == dtype
  np.testing.assert_array_equal(a, getattr(jax.nn, name)(z))
  cotangent = jnp.ones_like(a)
  _, gradient = _vjp(getattr(jacts, name), z, cotangent)
  assert gradient.dtype == dtype
  _, expected = _vjp(getattr(jax.nn, name), z, cotangent)
  eps = float(jnp.finfo(dtype).eps)
  np.testing.assert_allclose(
    gradient.astype(jnp.float64), expected.astype(jnp.float64), rtol=8 * eps, atol=8 * eps
  )
  forward = jacts.forward_mode(getattr(jacts, name))
  assert jax.jvp(forward, (z,), (jnp.ones_like(z),))[1].dtype == dtype


@pytest.mark.parametrize("name", NAMES)
def test_python_floats_in_a_list_are_refused_but_arrays_of_any_rank_work(name):
  for shape in ((2,), (1, 2, 2, 4)):
    z = jnp.ones(shape)
    assert getattr(jacts, name)(z).shape == _output_shape(name, shape, -1)
  with pytest.raises(TypeError, match=rf"`jacts.{name}`: `x`"):
    getattr(jacts, name)([1.0, 2.0])


def _value_and_gradient(name, axis, where=None):
  extra = () if name == "glu" else (where,)

  def f(z):
    a = getattr(jacts, name)(z, axis, *extra)
    weights = jnp.cos(jnp.arange(a.size, dtype=z.dtype)).reshape(a.shape)
    return a, jax.grad(lambda z: jnp.sum(weights * getattr(jacts, name)(z, axis, *extra)))(z)

  return f


@pytest.mark.parametrize("axis", [0])
@pytest.mark.parametrize("name", NAMES)
def test_jit_vmap_and_scan_give_the_same_values_and_gradients(name, axis):
  batch = _normal((3, 4, 6), jnp.float32)
  f = _value_and_gradient(name, axis)
  values, gradients = zip(*(f(z) for z in batch), strict=True)
  expected = jnp.stack(values), jnp.stack(gradients)
  tolerance = {"rtol": 1e-6, "atol": 1e-7}  # XLA may fuse differently under jit.
  for got in (
    jax.jit(jax.vmap(f))(batch),
    jax.vmap(f)(batch),
    jax.lax.scan(lambda carry, z: (carry, f(z)), None, batch)[1],
  ):
    for g, e in zip(got, expected, strict=True):
      assert g.shape == e.shape
      np.testing.assert_allclose(g, e, **tolerance)


@pytest.mark.parametrize("name", NORMALIZING)
def test_vmap_over_z_and_the_mask_together(name):
  batch = _normal((3, 4, 6), jnp.float32)
  masks = batch > -0.5
  f = lambda z, where: _value_and_gradient(name, -1, where)(z)  # noqa: E731
  values, gradients = jax.vmap(f)(batch, masks)
  for z, where, value, gradient in zip(batch, masks, values, gradients, strict=True):
    expected_value, expected_gradient = f(z, where)
    np.testing.assert_allclose(value, expected_value, rtol=1e-6)
    np.testing.assert_allclose(gradient, expected_gradient, rtol=1e-6, atol=1e-7)
