"""g' written in the output a = g(z): derivative_from_output equals the derivative wherever the
output determines g', and is refused where it does not (some arguments, some activations, the
ones that are not elementwise). The backward pass keeps that output alone where it determines g',
else the input, whatever the arguments; a traced parameter is kept with z for its gradient."""

import functools

import jax
import jax.numpy as jnp
import numpy as np
import pytest
from cases import every_bit_pattern, gradient_tolerance, in_domain, uses_output_by_default
from jax_nn_cases import ELEMENTWISE, PARAMETERS

import jacts
from jacts._activations import known_activation
from jacts._rules import Place

# ---------------------------------------------------------------------------------------------
# 1. g' written in the output a = g(z).

FROM_OUTPUT = [
  pytest.param(jacts.softplus, {}, id="softplus"),
  pytest.param(jacts.log_sigmoid, {}, id="log_sigmoid"),
  pytest.param(jacts.soft_sign, {}, id="soft_sign"),
  pytest.param(jacts.squareplus, {}, id="squareplus"),
  pytest.param(jacts.squareplus, {"b": 0.5}, id="squareplus-b=0.5"),
  pytest.param(jacts.sparse_plus, {}, id="sparse_plus"),
  pytest.param(jacts.elu, {}, id="elu"),
  pytest.param(jacts.elu, {"alpha": 0.5}, id="elu-alpha=0.5"),
  pytest.param(jacts.elu, {"alpha": 2.0, "derivative_at_zero": 1.5}, id="elu-alpha=2-at_zero=1.5"),
  pytest.param(jacts.celu, {}, id="celu"),
  pytest.param(jacts.celu, {"alpha": 2.0}, id="celu-alpha=2"),
  pytest.param(jacts.selu, {}, id="selu"),
  pytest.param(jacts.selu, {"derivative_at_zero": 1.2}, id="selu-at_zero=1.2"),
  pytest.param(jacts.log1mexp, {}, id="log1mexp"),
  pytest.param(jacts.relu6, {}, id="relu6"),
  pytest.param(
    jacts.hard_tanh, {"derivative_at_minus_one": 0.0, "derivative_at_one": 0.0}, id="hard_tanh-0"
  ),
  pytest.param(jacts.identity, {}, id="identity"),
]


def _grid_with_kinks(activation, dtype):
  """z in [-8, 8] with every kink and 0 on it; |z| + 1/2 for log1mexp."""
  kinks = [k.at for k in known_activation(activation).rule.kinks]
  z = np.concatenate([np.linspace(-8.0, 8.0, 161), [0.0, -1.0, 1.0, -3.0, 3.0, 6.0], kinks])
  return in_domain(activation, jnp.asarray(z, dtype))


@pytest.mark.parametrize(("activation", "kwargs"), FROM_OUTPUT)
def test_derivative_from_output_equals_the_derivative(activation, kwargs, x64):
  dtype = jnp.float64
  z = _grid_with_kinks(activation, dtype)
  a = activation(z, **kwargs)
  from_output = jacts.derivative_from_output(activation)(a, **kwargs)
  assert from_output.dtype == dtype
  assert from_output.shape == z.shape
  np.testing.assert_allclose(
    from_output, jacts.derivative(activation)(z, **kwargs), **gradient_tolerance(dtype)
  )


@pytest.mark.parametrize(
  ("activation", "kwargs"),
  [
    pytest.param(jacts.relu6, {"derivative_at_zero": 1.0}, id="relu6-at_zero=1"),
    pytest.param(jacts.relu6, {"derivative_at_six": 0.5}, id="relu6-at_six=0.5"),
    pytest.param(jacts.hard_tanh, {}, id="hard_tanh-default"),
    pytest.param(jacts.hard_tanh, {"derivative_at_one": 0.5}, id="hard_tanh-at_one=0.5"),
    pytest.param(jacts.elu, {"alpha": 0.0}, id="elu-alpha=0"),
    pytest.param(jacts.elu, {"alpha": -1.0}, id="elu-alpha=-1"),
    pytest.param(jacts.elu, {"alpha": jnp.float32(0.5)}, id="elu-array-alpha"),
  ],
)
def test_derivative_from_output_is_refused_where_the_output_does_not_determine_it(
  activation, kwargs
):
  name = known_activation(activation).rule.name
  with pytest.raises(ValueError, match=rf"jacts.{name}\)`: the output does not determine g'"):
    jacts.derivative_from_output(activation)(jnp.ones(3), **kwargs)


# hard_sigmoid and sparse_sigmoid: z + 3 and z + 1 round onto the kink for z just below it, so
# their a reaches the flat side where g' is not 0 yet.
@pytest.mark.parametrize(
  "activation",
  [jacts.silu, jacts.mish, jacts.gelu, jacts.hard_silu, jacts.hard_sigmoid, jacts.sparse_sigmoid],
)
def test_derivative_from_output_is_refused_for_activations_without_one(activation):
  name = known_activation(activation).rule.name
  with pytest.raises(ValueError, match=rf"jacts.{name} has no derivative written in its output"):
    jacts.derivative_from_output(activation)


@pytest.mark.parametrize("activation", [jacts.softmax, jacts.log_softmax, jacts.glu])
def test_derivative_from_output_is_refused_for_activations_not_elementwise(activation):
  with pytest.raises(ValueError, match=r"is not elementwise"):
    jacts.derivative_from_output(activation)


# ---------------------------------------------------------------------------------------------
# 2. The backward pass keeps the output alone where it determines g', else the input.
#
# A custom VJP's residuals are the leaves of the function jax.vjp returns (a pytree): they are
# compared by value with a = g(z) and with z. JAX's saved_residuals (not public API) also says
# where each comes from; it is used, where this JAX has it, to count them.


def _residuals(f, z):
  _, vjp = jax.vjp(f, z)
  return jax.tree.leaves(vjp)


def _saved_residuals(f, z):
  try:
    from jax._src.ad_checkpoint import saved_residuals
  except ImportError:  # Not public API: only the leaves of jax.vjp's function then.
    return None
  return saved_residuals(f, z)


def test_the_activations_that_keep_their_output_by_default():
  keep_output = {name for name in ELEMENTWISE if uses_output_by_default(name)}
  assert keep_output == {
    "relu6",
    "softplus",
    "log_sigmoid",
    "squareplus",
    "sparse_plus",
    "elu",
    "celu",
    "selu",
    "identity",
  }


def _assert_keeps_only(f, z, expected):
  leaves = _residuals(f, z)
  assert len(leaves) == 1
  (residual,) = leaves
  assert residual.shape == z.shape
  assert residual.dtype == z.dtype
  np.testing.assert_array_equal(residual, expected)
  saved = _saved_residuals(f, z)
  if saved is not None:
    assert [aval.shape for aval, _ in saved] == [z.shape]


Z = jnp.array([[-4.5, -2.5, -0.5], [0.5, 2.5, 7.5]], jnp.float32)


@pytest.mark.parametrize("name", ELEMENTWISE)
def test_backward_pass_keeps_the_output_alone_or_else_the_input(name):
  f = getattr(jacts, name)
  z = in_domain(f, Z)
  a = f(z)
  if uses_output_by_default(name):
    _assert_keeps_only(f, z, a)
  else:
    _assert_keeps_only(f, z, z)
    assert not bool(jnp.array_equal(a, z))  # So that the test tells the two apart.


@pytest.mark.parametrize(
  ("activation", "keeps_output"),
  [
    pytest.param(
      functools.partial(jacts.hard_tanh, derivative_at_minus_one=0.0, derivative_at_one=0.0),
      True,
      id="hard_tanh-0-at-both",
    ),
    pytest.param(
      functools.partial(jacts.sparse_sigmoid, derivative_at_minus_one=0.0, derivative_at_one=0.0),
      False,  # a = 1 for z just below 1, where g' is 1/2: a does not determine g' here.
      id="sparse_sigmoid-0-at-both",
    ),
    pytest.param(functools.partial(jacts.relu6, derivative_at_zero=1.0), False, id="relu6-1-at-0"),
    pytest.param(functools.partial(jacts.elu, alpha=0.5), True, id="elu-alpha=0.5"),
    pytest.param(functools.partial(jacts.elu, alpha=-1.0), False, id="elu-alpha=-1"),
    pytest.param(functools.partial(jacts.celu, alpha=2.0), True, id="celu-alpha=2"),
    pytest.param(functools.partial(jacts.squareplus, b=0.5), True, id="squareplus-b=0.5"),
  ],
)
def test_what_is_kept_follows_the_arguments(activation, keeps_output):
  a = activation(Z)
  _assert_keeps_only(activation, Z, a if keeps_output else Z)


# Below, at and above 0, NaN and the infinities, in 9 entries: not a multiple of 4, so the last
# byte is padded.
Z_AROUND_ZERO = jnp.array(
  [[-4.5, -0.0, 0.0], [jnp.nan, 0.5, jnp.inf], [-jnp.inf, 7.5, -1e-3]], jnp.float32
)
PLACE = "z's place"


@pytest.mark.parametrize(
  ("activation", "kept"),
  [
    pytest.param(jacts.relu, PLACE, id="relu"),
    pytest.param(functools.partial(jacts.relu, derivative_at_zero=0.0), "a", id="relu-0-at-0"),
    pytest.param(functools.partial(jacts.relu, derivative_at_zero=-0.0), PLACE, id="relu--0-at-0"),
    pytest.param(jacts.leaky_relu, PLACE, id="leaky_relu"),
    pytest.param(
      functools.partial(jacts.leaky_relu, negative_slope=0.2, derivative_at_zero=0.2),
      "a",
      id="leaky_relu-slope-at-0",
    ),
    pytest.param(
      functools.partial(jacts.leaky_relu, negative_slope=-0.5, derivative_at_zero=-0.5),
      PLACE,
      id="leaky_relu-negative-slope",
    ),
    pytest.param(
      functools.partial(jacts.leaky_relu, negative_slope=1e-6, derivative_at_zero=1e-6),
      PLACE,
      id="leaky_relu-slope-below-float16s-normals",
    ),
  ],
)
def test_relu_and_leaky_relu_keep_a_alone_or_z_s_place_in_two_bits_per_entry(activation, kept):
  if kept == "a":
    _assert_keeps_only(activation, Z, activation(Z))
    return
  (packed,) = _residuals(activation, Z_AROUND_ZERO)
  assert packed.dtype == jnp.uint8
  assert packed.shape == (1, 3)  # One block of 9 entries, padded to 12, 4 to a byte.
  # Byte k holds entry k of each of the 4 planes of the padded flat array, 2 bits each.
  planes = [(np.asarray(packed[0]) >> (2 * j)) & 3 for j in range(4)]
  places = np.concatenate(planes)[: Z_AROUND_ZERO.size].reshape(Z_AROUND_ZERO.shape)
  below, at, above, nan = Place.BELOW, Place.AT, Place.ABOVE, Place.NAN
  np.testing.assert_array_equal(
    places, [[below, at, at], [nan, above, above], [below, above, below]]
  )


@pytest.mark.parametrize(("activation", "parameter", "values"), PARAMETERS)
def test_a_traced_parameter_is_kept_with_z_for_its_gradient(activation, parameter, values):
  p = jnp.float32(values[-1])
  _, vjp = jax.vjp(activation, Z, p)
  leaves = jax.tree.leaves(vjp)
  assert any(leaf.shape == Z.shape and bool(jnp.array_equal(leaf, Z)) for leaf in leaves)
  assert any(leaf.shape == () and leaf == p for leaf in leaves)


@pytest.mark.parametrize("dtype", [jnp.float16, jnp.bfloat16])
@pytest.mark.parametrize(
  ("slope", "at_zero"),
  [(0.0, 1.0), (0.0, 0.5), (0.01, 1.0), (-0.5, 1.0), (-0.5, -0.5), (1e-6, 1.0), (0.0, 0.0)],
)
def test_g_prime_from_z_s_place_is_g_prime_from_z_at_every_16_bit_input(dtype, slope, at_zero):
  # A slope given as an array keeps z and computes g' on it: the form the exhaustive tests check
  # against the float64 reference. A slope of 0 is ReLU's g'.
  z = jnp.asarray(every_bit_pattern(dtype))
  from_place = functools.partial(jacts.leaky_relu, negative_slope=slope, derivative_at_zero=at_zero)
  from_z = functools.partial(
    jacts.leaky_relu, negative_slope=jnp.asarray(slope, dtype), derivative_at_zero=at_zero
  )
  (packed,) = _residuals(from_place, z)
  assert packed.shape == (z.size // 4 // 4096, 4096)  # 4 blocks of 4 * 4096 entries.
  cotangent = jnp.ones_like(z)

  def g_prime(activation):
    (slopes,) = jax.vjp(activation, z)[1](cotangent)
    assert slopes.dtype == dtype
    # In float32 (exactly): older NumPy testing does not see bfloat16's NaNs as equal.
    return np.asarray(slopes, np.float32)

  expected = g_prime(from_z)
  np.testing.assert_array_equal(g_prime(from_place), expected)
  if slope == 0.0:
    np.testing.assert_array_equal(
      g_prime(functools.partial(jacts.relu, derivative_at_zero=at_zero)), expected
    )
