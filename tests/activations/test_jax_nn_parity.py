"""jacts beside jax.nn, wherever a user can observe both: the signatures, the inputs each
accepts, the result's dtype and weak type, and the values at signed zeros, NaN and the
infinities, eagerly and under jit, with 32 and 64-bit types, under standard and strict dtype
promotion. The exceptions are few, named here, and stated in docs/conventions.md."""

import functools
import inspect

import jax
import jax.numpy as jnp
import numpy as np
import pytest
from cases import FLOAT_DTYPES, identical, special_values

import jacts
from jacts._rules import RULES

# Every function that jacts and jax.nn both export, aliases (swish, hard_swish) included.
SHARED = sorted(
  name
  for name in jacts.__all__
  if callable(getattr(jacts, name)) and callable(getattr(jax.nn, name, None))
)
ELEMENTWISE = [name for name in SHARED if name in RULES and RULES[name].elementwise]
KEYWORD_ONLY = inspect.Parameter.KEYWORD_ONLY


def _jacts(name: str):
  """jacts' function with jax.nn's conventions at kinks (ReLU'(0) = 0; the lecture's 1 is the
  default here), so that every value and gradient can be set beside jax.nn's."""
  function = getattr(jacts, name)
  return functools.partial(function, derivative_at_zero=0.0) if name == "relu" else function


@pytest.mark.parametrize("name", SHARED)
def test_signature_is_jax_nns_then_keyword_only_conventions(name):
  ours = list(inspect.signature(getattr(jacts, name)).parameters.values())
  theirs = list(inspect.signature(getattr(jax.nn, name)).parameters.values())
  shared = [(p.name, p.kind, p.default) for p in ours[: len(theirs)]]
  assert shared == [(p.name, p.kind, p.default) for p in theirs]
  assert all(p.kind is KEYWORD_ONLY for p in ours[len(theirs) :])


@pytest.mark.parametrize("name", SHARED)
def test_forward_mode_versions_show_the_same_signature(name):
  function = getattr(jacts, name)
  assert inspect.signature(jacts.forward_mode(function)) == inspect.signature(function)


@pytest.mark.parametrize("name", SHARED)
def test_the_input_is_passed_by_keyword_where_jax_nn_allows_it(name):
  x = jnp.array([[-1.5, 0.5], [2.0, -0.0]])
  if name == "tanh":  # jnp.tanh takes its input positionally only.
    for function in (jax.nn.tanh, jacts.tanh):
      with pytest.raises(TypeError):
        function(x=x)
    return
  assert identical(_jacts(name)(x=x), getattr(jax.nn, name)(x=x)).all()


# What a user may pass, beside floating arrays (whose values test_values_... compares): Python
# numbers, integer and bool arrays, weakly typed arrays. Arrays have an even last axis, for glu.
INPUTS = {
  "python int": lambda: -2,
  "python float": lambda: 0.75,
  "python bool": lambda: True,
  "int32 array": lambda: jnp.array([-3, 0, 2, 7], jnp.int32),
  "uint8 array": lambda: jnp.array([0, 1, 2, 250], jnp.uint8),
  "bool array": lambda: jnp.array([True, False, True, True]),
  "weak float array": lambda: jnp.asarray(0.5) * jnp.arange(-2.0, 2.0),
  "float16 array": lambda: jnp.array([-1.5, -0.0, 0.5, 3.0], jnp.float16),
}


def _outcome(function, x, refusals=(TypeError, ValueError)):
  """What a call gives: "refused", or the result's dtype, weak type, shape and values."""
  try:
    result = function(x)
  except refusals:  # jax's TypePromotionError is a ValueError.
    return "refused"
  return result.dtype, result.weak_type, result.shape, result


# jax.nn negates an unsigned integer input, or subtracts its maximum, in its own dtype before
# converting it, wrapping around (log_sigmoid of uint8 1 is -255, softmax of uint8 [0, 250] puts
# its weight on the 0); jacts converts it first, so its values are the function's.
_WRAPS_UNSIGNED = ("log_sigmoid", "log1mexp", "softmax", "log_softmax")


# (64-bit types, dtype promotion, compiled): the type jacts computes in is decided before
# tracing, so one mode compiled stands for the others.
MODES = [(False, "standard", False), (True, "standard", False), (False, "strict", False)]
MODES += [(False, "standard", True)]


def _mode_id(mode) -> str:
  bits, promotion, jit = mode
  return f"{'x64' if bits else 'x32'}-{promotion}-{'jit' if jit else 'eager'}"


# jax.nn's softmax of integers casts its -inf initial maximum to them, with NumPy's warning.
@pytest.mark.filterwarnings("ignore:invalid value encountered in cast:RuntimeWarning")
@pytest.mark.parametrize("mode", MODES, ids=_mode_id)
@pytest.mark.parametrize("given", INPUTS)
@pytest.mark.parametrize("name", SHARED)
def test_accepts_what_jax_nn_accepts_and_gives_its_dtype_and_weak_type(name, given, mode):
  bits, promotion, jit = mode
  ours, theirs = _jacts(name), getattr(jax.nn, name)
  if jit:
    ours, theirs = jax.jit(ours), jax.jit(theirs)
  with jax.enable_x64(bits), jax.numpy_dtype_promotion(promotion):
    x = INPUTS[given]()
    expected = _outcome(theirs, x, Exception)  # glu of a scalar: an IndexError in jax.nn.
    got = _outcome(ours, x)
  if expected == "refused":
    assert got == "refused"
    return
  assert got != "refused", f"jax.nn.{name} accepts {given}"
  assert got[:3] == expected[:3]
  negated = name in _WRAPS_UNSIGNED and jnp.dtype(jnp.result_type(x)).kind == "u"
  if not (negated or _differs_by_design(name, got[0], got[3]).all()):
    assert identical(got[3], expected[3]).all()


def test_integer_arrays_are_computed_as_jax_nn_computes_them():
  assert float(jacts.gelu(jnp.array(-1))) == float(jax.nn.gelu(jnp.array(-1)))
  assert jacts.softplus(0).dtype == jax.nn.softplus(0).dtype
  assert jacts.relu(jnp.array([-2, 3])).dtype == jnp.int32  # Integers kept, as jax.nn keeps them.
  assert jacts.relu(jnp.array([-2, 3])).tolist() == [0, 3]


@pytest.mark.parametrize("name", ELEMENTWISE)
def test_a_python_float_result_stays_weakly_typed_as_jax_nns(name, x64):
  ours, theirs = _jacts(name)(0.5), getattr(jax.nn, name)(0.5)
  assert ours.weak_type == theirs.weak_type
  halves = jnp.ones(2, jnp.float16)
  with jax.numpy_dtype_promotion("standard"):  # gelu's is not weak: float64 with float16.
    assert (ours * halves).dtype == (theirs * halves).dtype


@pytest.mark.parametrize("name", ELEMENTWISE)
def test_the_gradient_of_a_python_float_has_jax_nns_type(name):
  ours, theirs = jax.grad(_jacts(name))(0.5), jax.grad(getattr(jax.nn, name))(0.5)
  assert (ours.dtype, ours.weak_type) == (theirs.dtype, theirs.weak_type)


# Where jacts' values are not jax.nn's bit for bit, by design (docs/conventions.md):
# - sigmoid of a half-precision input is computed in float32 and rounded once (jax.nn's float16
#   sigmoid(-12) is 0, jacts' 6.1e-6);
# - squareplus is written so that it neither cancels (z < 0) nor overflows (|z| > 1.8e19 in
#   float32), so it is within 4 ulp of jax.nn's or closer to the exact value (tested in
#   test_activations.py), and at -inf it is the limit 0 where jax.nn's is NaN;
# - hard_tanh of a subnormal is the subnormal, which jax.nn's CPU kernel flushes to +-0.
def _differs_by_design(name: str, dtype, x: jax.Array) -> np.ndarray:
  if not jnp.issubdtype(dtype, jnp.floating):  # Integers kept (relu, hard_tanh): jax.nn's own.
    return np.zeros(np.shape(x), bool)
  x = np.asarray(x, np.float64)
  if name == "squareplus" or (name == "sigmoid" and jnp.dtype(dtype).itemsize == 2):
    return np.ones(x.shape, bool)
  if name == "hard_tanh":
    return (x != 0) & (np.abs(x) < float(jnp.finfo(dtype).tiny))
  return np.zeros(x.shape, bool)


@pytest.mark.parametrize("jit", [False, True], ids=["eager", "jit"])
@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
@pytest.mark.parametrize("name", ELEMENTWISE)
def test_values_are_jax_nns_bit_for_bit_signed_zeros_nan_and_infinities_too(name, dtype, jit, x64):
  x = special_values(dtype)
  ours, theirs = _jacts(name), getattr(jax.nn, name)
  if jit:
    ours, theirs = jax.jit(ours), jax.jit(theirs)
  same = identical(ours(x), theirs(x)) | _differs_by_design(name, dtype, x)
  assert same.all(), f"differs at {np.asarray(x)[~same]}"


@pytest.mark.parametrize("jit", [False, True], ids=["eager", "jit"])
@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
@pytest.mark.parametrize("name", ["softmax", "log_softmax", "glu"])
def test_vector_activations_are_jax_nns_bit_for_bit_at_the_special_values(name, dtype, jit, x64):
  x = special_values(dtype)
  x = jnp.stack([x, jnp.zeros_like(x), jnp.flip(x)], axis=-1)[:, :2]  # Pairs, for glu too.
  ours, theirs = getattr(jacts, name), getattr(jax.nn, name)
  if jit:
    ours, theirs = jax.jit(ours), jax.jit(theirs)
  assert identical(ours(x), theirs(x)).all()


# Where g is NaN (jax.nn's inf * 0 or inf / inf, and NaN in), g' is NaN too, but where the
# textbook g' is a plain number there: soft_sign' = 1 / (1 + |z|)^2 is 0 at +-inf, hard_silu' is
# 0 below -3, identity' is 1 everywhere (as jax.nn's, for these three).
_SLOPE_WHERE_G_IS_NAN = {
  "soft_sign": ([-np.inf, np.inf], 0.0),
  "hard_silu": ([-np.inf], 0.0),
  "identity": ([np.nan], 1.0),
}


@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
@pytest.mark.parametrize("name", ELEMENTWISE)
def test_where_the_value_is_nan_so_is_the_gradient_but_where_the_textbook_slope_is_a_number(
  name, dtype, x64
):
  x = special_values(dtype)
  value = np.asarray(_jacts(name)(x), np.float64)
  gradient = np.asarray(jax.vmap(jax.grad(_jacts(name)))(x), np.float64)
  points, slope = _SLOPE_WHERE_G_IS_NAN.get(name, ([], 0.0))
  z = np.asarray(x, np.float64)
  exempt = np.any([(z == p) | (np.isnan(z) & np.isnan(p)) for p in points], axis=0)
  assert np.isnan(gradient[np.isnan(value) & ~exempt]).all()
  assert (gradient[exempt] == slope).all()


@pytest.mark.parametrize("name", ["silu", "swish", "mish", "gelu"])
def test_at_minus_infinity_value_and_gradient_are_nan_as_jax_nns(name):
  for function in (getattr(jax.nn, name), getattr(jacts, name)):
    assert np.isnan(function(-np.inf))
    assert np.isnan(jax.grad(function)(-np.inf))


def test_soft_sign_slope_at_the_infinities_is_its_limit_0_in_every_form():
  for z in (np.inf, -np.inf):
    assert float(jax.grad(jacts.soft_sign)(z)) == 0.0
    assert float(jax.grad(jacts.forward_mode(jacts.soft_sign))(z)) == 0.0
    assert float(jacts.derivative(jacts.soft_sign)(z)) == 0.0
