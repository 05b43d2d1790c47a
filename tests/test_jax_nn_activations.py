"""jacts is a drop-in for jax.nn's activations: the same names, arguments and defaults; by default
jax.nn's derivative at every kink, and any other value of the sub-differential on request;
parameters that are differentiable when given as arrays; finite gradients where jax.nn's
overflow; g' written in the output wherever the output determines it, and then the output alone
kept for the backward pass."""

import functools
import inspect
import math
from fractions import Fraction

import jax
import jax.numpy as jnp
import numpy as np
import pytest
from cases import FLOAT_DTYPES, gradient_tolerance, in_domain, off_kinks, uses_output_by_default
from jax.test_util import check_grads

import jacts
from jacts._registry import known_activation
from jacts._rules import RULES

# jax.nn's activations that jacts replaces, aliases included (jax.nn.swish is jax.nn.silu).
JAX_NN_NAMES = (
  "relu6",
  "hard_sigmoid",
  "hard_silu",
  "hard_swish",
  "hard_tanh",
  "sparse_sigmoid",
  "softplus",
  "log_sigmoid",
  "silu",
  "swish",
  "mish",
  "gelu",
  "soft_sign",
  "squareplus",
  "sparse_plus",
  "elu",
  "celu",
  "selu",
  "log1mexp",
  "identity",
  "glu",
  "softmax",
  "log_softmax",
)

# The rules behind them, aliases once.
NEW_RULES = tuple(
  dict.fromkeys(known_activation(getattr(jacts, n)).rule.name for n in JAX_NN_NAMES)
)
ELEMENTWISE = tuple(name for name in NEW_RULES if RULES[name].elementwise)


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
# 3. Parameters given as arrays are differentiable, exactly.

# (activation, parameter, values tried): ELU's alpha may be any number, CELU's and squareplus'
# must be positive.
PARAMETERS = [
  pytest.param(jacts.elu, "alpha", (-0.5, 0.5, 1.0, 2.0), id="elu-alpha"),
  pytest.param(jacts.celu, "alpha", (0.5, 1.0, 2.0), id="celu-alpha"),
  pytest.param(jacts.squareplus, "b", (0.5, 4.0, 10.0), id="squareplus-b"),
]


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
# 4. Finite gradients where jax.nn's overflow.

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


# ---------------------------------------------------------------------------------------------
# 5. g' written in the output a = g(z).

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
# 6. The backward pass keeps the output alone where it determines g', else the input.
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


@pytest.mark.parametrize(("activation", "parameter", "values"), PARAMETERS)
def test_a_traced_parameter_is_kept_with_z_for_its_gradient(activation, parameter, values):
  p = jnp.float32(values[-1])
  _, vjp = jax.vjp(activation, Z, p)
  leaves = jax.tree.leaves(vjp)
  assert any(leaf.shape == Z.shape and bool(jnp.array_equal(leaf, Z)) for leaf in leaves)
  assert any(leaf.shape == () and leaf == p for leaf in leaves)


# ---------------------------------------------------------------------------------------------
# 7. NaN in, NaN out: in the parameters' gradients too.


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
