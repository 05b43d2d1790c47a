"""GLU, softmax and log-softmax: jax.nn's values; VJPs and JVPs in closed form that equal autodiff
of jax.nn's functions and of the naive formulas, along any axis, under any mask, in every dtype
and transformation; arguments checked and named."""

import functools

import jax
import jax.numpy as jnp
import numpy as np
import pytest
from cases import FLOAT_DTYPES
from jax.test_util import check_grads

import jacts

NAMES = ("glu", "softmax", "log_softmax")
NORMALIZING = ("softmax", "log_softmax")
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


def _normal(shape, dtype=jnp.float64, seed=0):
  return jax.random.normal(jax.random.key(seed), shape, dtype)


def _output_shape(name, shape, axis):
  if name != "glu":
    return shape
  halved = list(shape)
  halved[axis] //= 2
  return tuple(halved)


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


def _vjp(f, z, cotangent):
  value, vjp = jax.vjp(f, z)
  (gradient,) = vjp(cotangent)
  return value, gradient


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
# 3. Masks.

Z = jnp.array(
  [
    [0.5, -1.0, 2.0, 0.0, 3.0, -2.0],
    [1.0, 1.0, 1.0, 1.0, 1.0, 1.0],
    [-3.0, 4.0, 0.25, -0.5, 2.5, 1.5],
    [2.0, -2.0, 0.0, 5.0, -1.0, 0.5],
  ]
)
MASKS = [
  pytest.param(
    np.array(
      [
        [True, False, True, True, False, True],
        [False, True, True, True, True, False],
        [True, True, True, True, True, True],
        [True, False, False, False, False, True],
      ]
    ),
    id="full",
  ),
  pytest.param(np.array([True, False, True, True, False, True]), id="row"),
  pytest.param(np.array([[True], [False], [True], [True]]), id="column"),
  pytest.param(np.array(True), id="scalar"),
]


MASKED_CASES = [
  *(pytest.param(MASKS[0].values[0], axis, id=f"full-axis={axis}") for axis in (-1, 0, None)),
  *(pytest.param(*m.values, -1, id=f"{m.id}-axis=-1") for m in MASKS[1:]),
]


@pytest.mark.parametrize(("where", "axis"), MASKED_CASES)
@pytest.mark.parametrize("name", NORMALIZING)
def test_masked_value_equals_jax_nns_exactly_in_float32(name, where, axis):
  z, where = Z.astype(jnp.float32), jnp.asarray(where)
  value = getattr(jacts, name)(z, axis, where)
  assert value.dtype == jnp.float32
  np.testing.assert_array_equal(value, getattr(jax.nn, name)(z, axis, where))


@pytest.mark.parametrize(("where", "axis"), [MASKED_CASES[i] for i in (0, 2, 3, 4)])
@pytest.mark.parametrize("name", NORMALIZING)
def test_masked_vjp_equals_jax_nns_and_is_zero_where_masked_out(name, where, axis, x64):
  z, where = Z.astype(jnp.float64), jnp.asarray(where)
  cotangent = _normal(z.shape, seed=1)
  _, gradient = _vjp(lambda z: getattr(jacts, name)(z, axis, where), z, cotangent)
  _, expected = _vjp(lambda z: getattr(jax.nn, name)(z, axis, where), z, cotangent)
  np.testing.assert_allclose(gradient, expected, rtol=1e-12, atol=1e-15)
  masked_out = ~jnp.broadcast_to(where, z.shape)
  np.testing.assert_array_equal(gradient[masked_out], 0.0)


@pytest.mark.parametrize("where", MASKS[:2])
@pytest.mark.parametrize("name", NORMALIZING)
def test_masked_vjp_equals_autodiff_of_the_naive_formula(name, where, x64):
  z, where = Z.astype(jnp.float64), jnp.asarray(where)
  included = jnp.broadcast_to(where, z.shape).any(-1, keepdims=True)
  # A row masked out entirely is NaN in the naive form (0 / 0): the cotangent there is 0.
  cotangent = jnp.where(included, _normal(z.shape, seed=1), 0.0)
  _, ours = _vjp(lambda z: getattr(jacts, name)(z, -1, where), z, cotangent)
  _, naive = _vjp(lambda z: getattr(jacts.naive, name)(z, -1, where), z, cotangent)
  np.testing.assert_allclose(
    jnp.where(included, ours, 0.0), jnp.where(included, naive, 0.0), rtol=1e-12, atol=1e-15
  )


@pytest.mark.parametrize("name", NORMALIZING)
def test_masked_out_entries_neither_receive_nor_pass_gradient_even_if_huge_or_nan(name):
  z = jnp.array([[1.0, jnp.nan, 2.0, 1e38], [jnp.inf, 0.5, -jnp.inf, 3.0]])
  where = jnp.array([[True, False, True, False], [False, True, False, True]])
  cotangent = jnp.array([[1.0, 2.0, -1.0, 0.5], [4.0, -3.0, 2.0, 1.0]])
  value, gradient = _vjp(lambda z: getattr(jacts, name)(z, where=where), z, cotangent)
  expected_value, expected = _vjp(lambda z: getattr(jax.nn, name)(z, where=where), z, cotangent)
  np.testing.assert_array_equal(value, expected_value)
  np.testing.assert_allclose(gradient, expected, rtol=1e-6)
  np.testing.assert_array_equal(gradient[~where], 0.0)
  assert bool(jnp.all(jnp.isfinite(gradient)))


@pytest.mark.parametrize("name", NORMALIZING)
def test_a_mask_that_is_not_boolean_is_refused_naming_where(name):
  for where in (jnp.ones((4, 6)), jnp.ones((4, 6), jnp.int32), [True] * 6, 1.0):
    with pytest.raises(TypeError, match=rf"`jacts.{name}`: `where` must be None or a boolean"):
      getattr(jacts, name)(Z, where=where)


@pytest.mark.parametrize("shape", [(1, 4, 6), (4, 1, 6)], ids=["more-axes", "more-axes-2"])
@pytest.mark.parametrize("name", NORMALIZING)
def test_a_mask_that_broadcasts_beyond_z_is_refused_naming_where(name, shape):
  with pytest.raises(ValueError, match=rf"`jacts.{name}`: `where` must have a shape"):
    getattr(jacts, name)(Z, where=jnp.ones(shape, bool))


@pytest.mark.parametrize("shape", [(3, 6), (4,), (6, 4)])
@pytest.mark.parametrize("name", NORMALIZING)
def test_a_mask_that_does_not_broadcast_is_refused_naming_where(name, shape):
  with pytest.raises(ValueError, match=rf"`jacts.{name}`: `where` must have a shape"):
    getattr(jacts, name)(Z, where=jnp.ones(shape, bool))


@pytest.mark.parametrize("name", NORMALIZING)
def test_a_mask_is_traced_under_jit_without_recompiling(name):
  traces = []

  @jax.jit
  def gradient(z, where):
    traces.append(None)
    return jax.grad(lambda z: getattr(jacts, name)(z, where=where)[:, 0].sum())(z)

  z = Z.astype(jnp.float32)
  first = gradient(z, z > 0)
  second = gradient(z, z < 1)
  assert len(traces) == 1
  np.testing.assert_array_equal(first[~(z > 0)], 0.0)
  np.testing.assert_array_equal(second[~(z < 1)], 0.0)


# ---------------------------------------------------------------------------------------------
# 4. Forward mode.


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
# 5. Errors.


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
# 6. dtypes and transformations.


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


# ---------------------------------------------------------------------------------------------
# 7. Extreme inputs.


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
