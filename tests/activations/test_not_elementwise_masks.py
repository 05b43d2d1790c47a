"""softmax and log-softmax under a mask (``where``): jax.nn's values; VJPs that equal jax.nn's and
autodiff of the naive formulas, and are zero where masked out, even at huge or NaN entries; a
mask that is not boolean, or does not broadcast to z's shape, is refused naming ``where``; a mask
is traced under jit without recompiling."""

import jax
import jax.numpy as jnp
import numpy as np
import pytest
from not_elementwise_cases import NORMALIZING, _normal, _vjp

import jacts

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
