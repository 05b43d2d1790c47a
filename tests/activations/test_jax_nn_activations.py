"""jacts is a drop-in for jax.nn's activations: the same names, arguments and defaults; by default
jax.nn's derivative at every kink, and any other value of the sub-differential on request; finite
gradients where jax.nn's overflow."""

import functools
import inspect
import math
from fractions import Fraction

import jax
import jax.numpy as jnp
import numpy as np
import pytest
from cases import FLOAT_DTYPES, in_domain
from jax_nn_cases import ELEMENTWISE, JAX_NN_NAMES

import jacts
from jacts._activations import known_activation
from jacts._rules import RULES


def rule_of(name):
  return known_activation(getattr(jacts, name)).rule


def keyword_only_kinks(name):
  return {k.argument for k in rule_of(name).kinks}


# ---------------------------------------------------------------------------------------------
# 1. Drop-in: names, signatures, aliases.


@pytest.mark.parametrize("name", JAX_NN_NAMES)
def test_every_jax_nn_activation_has_a_jacts_namesake_in_all(name):
  assert callable(getattr(jacts, name))
  assert name in jacts.__all__


def test_aliases_are_the_same_functions_as_in_jax_nn():
  assert jacts.swish is jacts.silu
  assert jacts.hard_swish is jacts.hard_silu


@pytest.mark.parametrize("name", JAX_NN_NAMES)
def test_arguments_after_the_first_are_jax_nns_names_order_and_defaults(name):
  ours = list(inspect.signature(getattr(jacts, name)).parameters.values())
  theirs = list(inspect.signature(getattr(jax.nn, name)).parameters.values())
  assert (ours[0].kind, theirs[0].kind) == (inspect.Parameter.POSITIONAL_OR_KEYWORD,) * 2
  conventions = [p for p in ours[1:] if p.kind is inspect.Parameter.KEYWORD_ONLY]
  shared = [p for p in ours[1:] if p.kind is not inspect.Parameter.KEYWORD_ONLY]
  assert [(p.name, p.kind, p.default) for p in shared] == [
    (p.name, p.kind, p.default) for p in theirs[1:]
  ]
  # The only extras: one keyword-only convention per kink of the rule, none of them jax.nn's.
  assert {p.name for p in conventions} == keyword_only_kinks(name)
  assert not {p.name for p in conventions} & {p.name for p in theirs}


@pytest.mark.parametrize("name", JAX_NN_NAMES)
def test_a_call_with_jax_nns_keywords_gives_jax_nns_value(name):
  theirs = inspect.signature(getattr(jax.nn, name)).parameters.values()
  keywords = {p.name: p.default for p in list(theirs)[1:]}
  z = in_domain(getattr(jacts, name), jnp.linspace(-4.0, 4.0, 8, dtype=jnp.float32).reshape(2, 4))
  np.testing.assert_allclose(
    getattr(jacts, name)(z, **keywords), getattr(jax.nn, name)(z, **keywords), rtol=1e-6
  )


# ---------------------------------------------------------------------------------------------
# 2. Kink conventions, from the table.

ALPHAS = (1.0, 2.0, 0.5)  # ELU's kink depends on alpha: no jump for 1, a jump up or down else.


def _kink_cases():
  for name in ELEMENTWISE:
    for kink in RULES[name].kinks:
      if RULES[name].parameters:  # ELU: the sub-differential [min(alpha, 1), max(alpha, 1)].
        for alpha in ALPHAS:
          yield pytest.param(name, kink, (alpha,), id=f"{name}-{kink.argument}-alpha={alpha}")
      else:
        yield pytest.param(name, kink, (), id=f"{name}-{kink.argument}")


KINKS = list(_kink_cases())
DTYPES = [pytest.param(jnp.float32, id="float32"), pytest.param(jnp.float64, id="float64")]


def test_the_kinks_are_those_of_jax_nns_piecewise_activations():
  kinks = {name: [k.at for k in RULES[name].kinks] for name in ELEMENTWISE if RULES[name].kinks}
  assert kinks == {
    "relu6": [0.0, 6.0],
    "hard_sigmoid": [-3.0, 3.0],
    "hard_silu": [-3.0, 3.0],
    "hard_tanh": [-1.0, 1.0],
    "sparse_sigmoid": [-1.0, 1.0],
    "elu": [0.0],
    "selu": [0.0],
  }


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize(("name", "kink", "params"), KINKS)
def test_default_derivative_at_each_kink_is_jax_nns(name, kink, params, dtype, x64):
  at = jnp.asarray(kink.at, dtype)
  ours = jax.grad(getattr(jacts, name))(at, *params)
  theirs = jax.grad(getattr(jax.nn, name))(at, *params)
  assert ours.dtype == theirs.dtype == dtype
  assert ours == theirs
  expected = params[0] if kink.default is None else kink.default  # ELU: alpha, the left side.
  assert ours == jnp.asarray(expected, dtype)


@pytest.mark.parametrize(
  ("function", "at", "expected"),
  [
    (jacts.relu6, 0.0, 0.0),
    (jacts.relu6, 6.0, 0.0),
    (jacts.hard_tanh, -1.0, 1.0),
    (jacts.hard_tanh, 1.0, 1.0),
    (jacts.sparse_sigmoid, -1.0, 0.25),
    (jacts.sparse_sigmoid, 1.0, 0.25),
    (jacts.hard_silu, -3.0, 0.0),
    (jacts.hard_silu, 3.0, 1.0),
    (jacts.hard_sigmoid, -3.0, 0.0),
    (jacts.hard_sigmoid, 3.0, 0.0),
    (jacts.elu, 0.0, 1.0),
    (functools.partial(jacts.elu, alpha=2.0), 0.0, 2.0),
    (jacts.selu, 0.0, 1.0507009873554805 * 1.6732632423543772),
  ],
  ids=lambda v: getattr(v, "__name__", None) or getattr(getattr(v, "func", None), "__name__", v),
)
def test_default_derivative_at_kinks_by_value(function, at, expected, x64):
  assert jax.grad(function)(at) == pytest.approx(expected, rel=1e-15)


def _ends(kink, params):
  return kink.subdifferential(*params)


@pytest.mark.parametrize("end", [0, 1], ids=["lowest", "highest"])
@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize(("name", "kink", "params"), KINKS)
def test_each_end_of_the_subdifferential_is_exactly_the_gradient_at_the_kink(
  name, kink, params, dtype, end, x64
):
  value = _ends(kink, params)[end]
  f = functools.partial(getattr(jacts, name), **{kink.argument: value})
  at = jnp.asarray(kink.at, dtype)
  expected = jnp.asarray(value, dtype)
  assert jax.grad(f)(at, *params) == expected
  assert jax.grad(jacts.forward_mode(f))(at, *params) == expected
  assert jacts.derivative(f)(at, *params) == expected
  # Elsewhere g' is untouched: the convention holds at the kink alone.
  near = at + jnp.asarray([-0.25, 0.25], dtype)
  np.testing.assert_array_equal(
    jacts.derivative(f)(near, *params), jacts.derivative(getattr(jacts, name))(near, *params)
  )


@pytest.mark.parametrize("end", [0.0, 0.5, 1.0], ids=["lowest", "midpoint", "highest"])
@pytest.mark.parametrize(("name", "kink", "params"), KINKS)
def test_any_convention_leaves_nan_nan_and_the_infinities_their_sides_slopes(
  name, kink, params, end
):
  # A convention joins its kink to a side (or not) by the tests it picks: NaN must still fall
  # through them all, and the infinities land on their sides.
  lowest, highest = _ends(kink, params)
  f = functools.partial(getattr(jacts, name), **{kink.argument: lowest + end * (highest - lowest)})
  nan, below, above, far_below, far_above = (
    jax.grad(f)(jnp.float32(z), *params) for z in (np.nan, -np.inf, np.inf, -1e30, 1e30)
  )
  assert jnp.isnan(nan)
  assert below == far_below
  assert above == far_above


@pytest.mark.parametrize("side", [-1, 1], ids=["below", "above"])
@pytest.mark.parametrize(("name", "kink", "params"), KINKS)
def test_a_convention_outside_the_subdifferential_is_refused_naming_it(name, kink, params, side):
  lowest, highest = _ends(kink, params)
  value = lowest - 0.125 if side < 0 else highest + 0.125
  with pytest.raises(ValueError, match=rf"`jacts.{name}`: `{kink.argument}`.*sub-differential"):
    getattr(jacts, name)(jnp.zeros(3), *params, **{kink.argument: value})


@pytest.mark.parametrize(
  "value",
  [jnp.array(0.0), "0", True, math.nan, math.inf],
  ids=["array", "str", "bool", "nan", "inf"],
)
@pytest.mark.parametrize(("name", "kink", "params"), KINKS)
def test_a_convention_that_is_not_a_finite_python_number_is_refused_naming_it(
  name, kink, params, value
):
  with pytest.raises(TypeError, match=rf"`jacts.{name}`: `{kink.argument}` must be a finite"):
    getattr(jacts, name)(jnp.zeros(3), *params, **{kink.argument: value})


def test_a_convention_is_a_python_number_of_any_kind():
  for value in (0, Fraction(1, 2), np.float32(0.5), np.float64(1.0)):
    f = functools.partial(jacts.hard_tanh, derivative_at_one=value)
    assert jax.grad(f)(1.0) == float(value)


# PyTorch's choices, as the table records them (those that are numbers).
PYTORCH = [
  pytest.param(name, kink, Fraction(kink.pytorch), id=f"{name}-{kink.argument}={kink.pytorch}")
  for name in ELEMENTWISE
  for kink in RULES[name].kinks
  if kink.pytorch.lstrip("-").replace("/", "").isdigit()
]


@pytest.mark.parametrize(("name", "kink", "choice"), PYTORCH)
def test_pytorchs_choice_at_each_kink_is_reachable_by_its_keyword(name, kink, choice):
  f = functools.partial(getattr(jacts, name), **{kink.argument: float(choice)})
  assert jax.grad(f)(kink.at) == np.float32(choice)


def test_pytorchs_choices_named_in_the_docstrings():
  pytorch_hard_tanh = functools.partial(
    jacts.hard_tanh, derivative_at_minus_one=0.0, derivative_at_one=0.0
  )
  pytorch_hard_silu = functools.partial(
    jacts.hard_silu, derivative_at_minus_three=-0.5, derivative_at_three=1.5
  )
  np.testing.assert_array_equal(jacts.derivative(pytorch_hard_tanh)(jnp.array([-1.0, 1.0])), [0, 0])
  np.testing.assert_array_equal(
    jacts.derivative(pytorch_hard_silu)(jnp.array([-3.0, 3.0])), [-0.5, 1.5]
  )
  assert "PyTorch: 0" in jacts.hard_tanh.__doc__
  assert "PyTorch: -1/2" in jacts.hard_silu.__doc__
  assert "PyTorch: 3/2" in jacts.hard_silu.__doc__


# ---------------------------------------------------------------------------------------------
# 3. Finite gradients where jax.nn's overflow.

EXTREMES = jnp.array([-3e38, 3e38], jnp.float32)


@pytest.mark.parametrize(
  ("activation", "reference", "jax_nn_is_finite"),
  [
    pytest.param(jacts.squareplus, jax.nn.squareplus, False, id="squareplus"),
    pytest.param(jacts.sparse_plus, jax.nn.sparse_plus, False, id="sparse_plus"),
    pytest.param(jacts.gelu, jax.nn.gelu, False, id="gelu-tanh"),
    # jax.nn's exact GELU is finite there too: both are 0 and 1.
    pytest.param(
      functools.partial(jacts.gelu, approximate=False),
      functools.partial(jax.nn.gelu, approximate=False),
      True,
      id="gelu-exact",
    ),
  ],
)
def test_gradient_is_finite_at_the_float32_extremes(activation, reference, jax_nn_is_finite):
  grad = jax.vmap(jax.grad(activation))(EXTREMES)
  assert grad.dtype == jnp.float32
  np.testing.assert_array_equal(grad, [0.0, 1.0])
  theirs = jax.vmap(jax.grad(reference))(EXTREMES)
  assert bool(jnp.all(jnp.isfinite(theirs))) is jax_nn_is_finite


def test_squareplus_value_is_finite_at_the_float32_extremes_where_jax_nns_is_inf():
  a = jacts.squareplus(EXTREMES)
  assert a[1] == EXTREMES[1]
  assert 0.0 <= a[0] <= jnp.finfo(jnp.float32).tiny  # b / (4 |z|) = 3.3e-39, flushed or not.
  assert bool(jnp.all(jnp.isinf(jax.nn.squareplus(EXTREMES))))


@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
def test_hard_tanh_is_z_itself_within_its_kinks_subnormals_too(dtype, x64):
  # One select on |z|, no arithmetic on z: exact even where XLA's CPU kernels flush
  # subnormals (jax.nn's hard_tanh gives +-0 there).
  finfo = jnp.finfo(dtype)
  z = jnp.array([finfo.smallest_subnormal, -finfo.smallest_subnormal, -0.0, -1.0, 1.0], dtype)
  a = jacts.hard_tanh(z)
  assert a.dtype == dtype
  np.testing.assert_array_equal(a.astype(jnp.float64), z.astype(jnp.float64))
  np.testing.assert_array_equal(jnp.signbit(a), jnp.signbit(z))


@pytest.mark.parametrize("b", [0.5, 4.0])
def test_squareplus_parameter_gradient_is_finite_at_the_float32_extremes(b):
  grad = jax.grad(lambda b: jacts.squareplus(EXTREMES, b).sum())(jnp.float32(b))
  assert grad == 0.0  # 1 / (4 sqrt(z^2 + b)) underflows.
