"""Models saved and loaded back: every field and the dtype are kept (float64 only in 64-bit
mode), every elementwise activation round-trips with its defaults, and stored arguments come back
bound to the activation, giving the same probabilities and labels. Files of format version 1
still load; save writes version 2."""

import functools
import json
import re

import jax
import jax.numpy as jnp
import numpy as np
import pytest
from model_files import (
  ELEMENTWISE,
  SELU_SCALE,
  members_of,
  params,
  saved,
  stored_contents,
  valid_model,
)

import jacts
import jacts.shallow as shallow
from jacts import models
from jacts._rules import RULES
from jacts.shallow import Params


@pytest.mark.parametrize("dtype", [np.float16, np.float32])
@pytest.mark.parametrize(
  "model",
  [
    valid_model(activation="sigmoid", negative_slope=-3.5, derivative_at_zero=-7),
    valid_model(activation="tanh"),
    valid_model(activation="relu", derivative_at_zero=1),
    valid_model(activation="leaky_relu", negative_slope=2.0, derivative_at_zero=1.5),
    valid_model(activation="leaky_relu", negative_slope=np.float32(0.5), derivative_at_zero=0.5),
  ],
  ids=["sigmoid", "tanh", "relu", "leaky_relu slope 2", "leaky_relu numpy slope"],
)
def test_save_then_load_keeps_every_field_and_the_dtype(tmp_path, model, dtype):
  model = model._replace(params=params(dtype))
  loaded = models.load(saved(tmp_path, model))
  for got, want in zip(loaded.params, model.params, strict=True):
    assert isinstance(got, jax.Array) and got.dtype == dtype
    np.testing.assert_array_equal(got, want)
  assert loaded[1:] == (model.activation, model.negative_slope, model.derivative_at_zero, ())
  assert all(type(number) is float for number in loaded[2:4])


def test_a_float64_model_is_refused_while_64_bit_mode_is_off(tmp_path):
  path = saved(tmp_path, valid_model(params=params(np.float64)))
  with pytest.raises(
    models.ModelFileError,
    match=re.escape(
      f"{path}: the model is float64 but JAX's 64-bit mode is off, which would round it to "
      'float32; enable it first with jax.config.update("jax_enable_x64", True) or load inside '
      "`with jax.enable_x64(True):`"
    ),
  ):
    models.load(path)


def test_a_float64_model_loads_exactly_in_64_bit_mode(tmp_path, x64):
  model = valid_model(params=params(np.float64)._replace(b1=np.full(4, 0.1)))
  loaded = models.load(saved(tmp_path, model))
  for got, want in zip(loaded.params, model.params, strict=True):
    assert got.dtype == jnp.float64
    np.testing.assert_array_equal(got, want)


def test_save_takes_zero_dimensional_arrays_for_the_numbers(tmp_path):
  path = tmp_path / "model.npz"
  model = models.Model(params(), "leaky_relu", jnp.float32(0.25), np.array(0.5))
  models.save(path, model)
  loaded = models.load(path)
  assert (loaded.negative_slope, loaded.derivative_at_zero) == (0.25, 0.5)


def test_the_activations_are_the_elementwise_rules_in_table_order():
  assert tuple(models.ACTIVATIONS) == ELEMENTWISE
  assert tuple(models.ACTIVATIONS) == tuple(n for n, rule in RULES.items() if rule.elementwise)
  assert {"glu", "softmax", "log_softmax"} <= set(RULES) - set(models.ACTIVATIONS)
  for name, function in models.ACTIVATIONS.items():
    assert function is getattr(jacts, name)


def evaluated(model: models.Model, X: np.ndarray):
  """The model's probabilities and labels for ``X``, with its activation and stored arguments."""
  activation = model.activation_function()
  A2, _ = shallow.forward(model.params, X, activation=activation)
  return A2, shallow.predict(model.params, X, activation=activation)


def bound(model: models.Model) -> tuple:
  """(function, bound keyword arguments) of the model's activation."""
  function = model.activation_function()
  if isinstance(function, functools.partial):
    assert function.args == ()
    return function.func, function.keywords
  return function, {}


def assert_round_trip(tmp_path, model: models.Model, X: np.ndarray):
  """Saved and loaded, ``model`` gives the same probabilities and labels: values, dtypes, shapes."""
  loaded = models.load(saved(tmp_path, model))
  assert loaded.activation == model.activation
  assert bound(loaded) == bound(model)
  for got, want in zip(evaluated(loaded, X), evaluated(model, X), strict=True):
    assert (got.dtype, got.shape) == (want.dtype, want.shape)
    np.testing.assert_array_equal(got, want)
  return loaded


def round_trip_inputs(activation: str, dtype) -> tuple[Params, np.ndarray]:
  """Weights and points that give z of both signs, or z > 0 only where g is real only there."""
  X = np.array([[-2.0, 1.0], [0.5, -1.5], [3.0, 2.0], [-1.0, -3.0], [0.0, 0.0]], dtype)
  weights = params(dtype)
  if RULES[activation].domain[0] >= 0:  # log1mexp: z > 0.
    weights, X = Params(*(np.abs(p) for p in weights)), np.abs(X)
  return weights, X


@pytest.mark.parametrize("activation", ELEMENTWISE)
def test_every_elementwise_activation_round_trips_with_its_defaults(tmp_path, activation):
  weights, X = round_trip_inputs(activation, np.float32)
  loaded = assert_round_trip(tmp_path, models.Model(weights, activation), X)
  assert loaded.arguments == ()
  assert np.load(tmp_path / "model.npz")["arguments"][()] == "{}"
  if activation not in ("relu", "leaky_relu"):  # The others take no version-1 field.
    assert loaded.activation_function() is models.ACTIVATIONS[activation]


ARGUMENTS = {
  "elu alpha 0.5": ("elu", {}, (("alpha", 0.5),), {"alpha": 0.5}),
  "squareplus b 2": ("squareplus", {}, (("b", 2.0),), {"b": 2.0}),
  "gelu exact": ("gelu", {}, (("approximate", False),), {"approximate": False}),
  "relu6 derivative_at_six 1": (
    "relu6",
    {},
    (("derivative_at_six", 1.0),),
    {"derivative_at_six": 1.0},
  ),
  "selu derivative_at_zero at its lowest": (
    "selu",
    {},
    (("derivative_at_zero", SELU_SCALE),),
    {"derivative_at_zero": SELU_SCALE},
  ),
  "leaky_relu negative_slope 0.2": (
    "leaky_relu",
    {"negative_slope": 0.2},
    (),
    {"negative_slope": 0.2, "derivative_at_zero": 1.0},
  ),
  "elu two arguments": (
    "elu",
    {},
    (("derivative_at_zero", 0.75), ("alpha", 0.5)),  # Stored sorted.
    {"alpha": 0.5, "derivative_at_zero": 0.75},
  ),
}


@pytest.mark.parametrize("dtype", [np.float16, np.float32])
@pytest.mark.parametrize(
  ("activation", "fields", "arguments", "keywords"), ARGUMENTS.values(), ids=ARGUMENTS.keys()
)
def test_stored_arguments_round_trip_and_are_bound_to_the_activation(
  tmp_path, activation, fields, arguments, keywords, dtype
):
  weights, X = round_trip_inputs(activation, dtype)
  model = models.Model(weights, activation, arguments=arguments, **fields)
  loaded = assert_round_trip(tmp_path, model, X)
  assert loaded.arguments == tuple(sorted(arguments))
  assert all(type(value) in (float, bool) for _, value in loaded.arguments)
  assert bound(loaded) == (getattr(jacts, activation), keywords)
  stored = json.loads(np.load(tmp_path / "model.npz")["arguments"][()])
  assert stored == dict(arguments)


def test_an_argument_changes_the_values_it_should(tmp_path):
  weights, X = round_trip_inputs("elu", np.float32)
  half = models.load(saved(tmp_path, models.Model(weights, "elu", arguments=(("alpha", 0.5),))))
  A_half, _ = evaluated(half, X)
  A_one, _ = evaluated(models.Model(weights, "elu"), X)
  expected, _ = shallow.forward(weights, X, activation=functools.partial(jacts.elu, alpha=0.5))
  np.testing.assert_array_equal(A_half, expected)
  assert not np.array_equal(A_half, A_one)


def test_arguments_may_be_a_mapping_and_numbers_of_any_kind(tmp_path):
  model = models.Model(
    params(), "elu", arguments={"alpha": np.float32(0.5), "derivative_at_zero": 1}
  )
  loaded = models.load(saved(tmp_path, model))
  assert loaded.arguments == (("alpha", 0.5), ("derivative_at_zero", 1.0))
  assert [type(value) for _, value in loaded.arguments] == [float, float]


def test_elus_derivative_at_zero_may_be_stored_as_null(tmp_path):
  model = models.Model(params(), "elu", arguments=(("derivative_at_zero", None),))
  path = saved(tmp_path, model)
  assert np.load(path)["arguments"][()] == '{"derivative_at_zero": null}'
  assert models.load(path).arguments == (("derivative_at_zero", None),)


def version_1_contents(model: models.Model) -> dict[str, np.ndarray]:
  """What version 1 of save wrote for ``model``: no `arguments`."""
  contents = stored_contents(model)
  del contents["arguments"]
  return {**contents, "format_version": np.array(1)}


@pytest.mark.parametrize(
  "model",
  [
    valid_model(),
    valid_model(activation="leaky_relu", negative_slope=0.25, derivative_at_zero=0.5),
    valid_model(activation="tanh", negative_slope=-3.5, derivative_at_zero=-7.0),
    models.Model(params(), "sigmoid"),
    models.Model(params(), "elu"),
  ],
  ids=["relu", "leaky_relu", "tanh", "sigmoid", "elu"],
)
def test_a_version_1_file_still_loads(tmp_path, model):
  path = tmp_path / "model.npz"
  np.savez(path, **version_1_contents(model))
  assert "arguments.npy" not in members_of(path)
  loaded = models.load(path)
  assert loaded[1:] == model[1:]
  for got, want in zip(loaded.params, model.params, strict=True):
    assert got.dtype == want.dtype
    np.testing.assert_array_equal(got, want)
  X = round_trip_inputs(model.activation, np.float32)[1]
  for got, want in zip(evaluated(loaded, X), evaluated(model, X), strict=True):
    assert (got.dtype, got.shape) == (want.dtype, want.shape)
    np.testing.assert_array_equal(got, want)


def test_a_version_1_file_with_a_changed_field_the_activation_does_not_take_is_refused(tmp_path):
  path = tmp_path / "model.npz"
  np.savez(path, **version_1_contents(valid_model(activation="selu")))
  with pytest.raises(
    models.ModelFileError,
    match=re.escape(
      f"{path}: `derivative_at_zero` applies to relu and leaky_relu only (leave it at 1.0); give "
      "selu's `derivative_at_zero` in `arguments`; got 0.0."
    ),
  ):
    models.load(path)


def test_save_writes_format_version_2(tmp_path):
  with np.load(saved(tmp_path)) as archive:
    assert int(archive["format_version"]) == models.FORMAT_VERSION == 2
    assert archive["arguments"].dtype.kind == "U" and archive["arguments"].shape == ()
