"""What the networks, model files and the study refuse: one error that names the argument, says
what was expected and what was given, before anything is traced or compiled.

A hidden activation must be elementwise (softmax, log_softmax and glu are refused in every form,
by every function that takes one); labels are required where a cost or an accuracy needs them;
``scale`` and ``key`` of the initializers and the study are checked; the study refuses
non-finite data.
"""

import functools
import io
import re
import zipfile

import jax
import jax.numpy as jnp
import numpy as np
import optax
import pytest

import jacts
import jacts.multilayer as multilayer
import jacts.parallel as parallel
import jacts.shallow as shallow
from jacts import models, study
from jacts._activations import hidden_activation
from jacts._rules import RULES

NOT_ELEMENTWISE = tuple(name for name, rule in RULES.items() if not rule.elementwise)
ELEMENTWISE = tuple(name for name, rule in RULES.items() if rule.elementwise)

# Six examples of two features, both classes present; the networks' parameters in float32.
X = np.array([[0.0, 1.0], [1.0, 0.0], [0.5, 0.5], [-1.0, 2.0], [2.0, -1.0], [0.25, 0.75]])
Y = np.array([[0.0], [1.0], [1.0], [0.0], [1.0], [0.0]])
LABELS = np.array([0, 1, 1, 0, 1, 0])
PARAMS = shallow.lecture_params(2, 4, 1)
SHALLOW_CACHE = shallow.Cache(*(np.zeros((6, n), np.float32) for n in (4, 4, 1, 1)))
LAYERS = (
  multilayer.Layer(np.zeros((3, 2), np.float32), np.zeros(3, np.float32)),
  multilayer.Layer(np.zeros((2, 3), np.float32), np.zeros(2, np.float32)),
)
LAYERS_CACHE = multilayer.Cache(
  tuple(np.zeros((6, n), np.float32) for n in (3, 2)),
  tuple(np.zeros((6, n), np.float32) for n in (3, 2)),
)
SGD = optax.sgd(0.1)
KEY = jax.random.key(0)


def shallow_call(function: str, X=X, Y=Y, activation=jacts.tanh):
  """``jacts.shallow.<function>`` (or ``jacts.parallel.fit``), good arguments but these."""
  labelled = {"activation": activation}
  training = {**labelled, "optimizer": SGD, "steps": 1, "log_every": 1}
  calls = {
    "jacts.shallow.forward": lambda: shallow.forward(PARAMS, X, **labelled),
    "jacts.shallow.predict": lambda: shallow.predict(PARAMS, X, **labelled),
    "jacts.shallow.cost": lambda: shallow.cost(PARAMS, X, Y, **labelled),
    "jacts.shallow.backward": lambda: shallow.backward(PARAMS, SHALLOW_CACHE, X, Y, **labelled),
    "jacts.shallow.accuracy": lambda: shallow.accuracy(PARAMS, X, Y, **labelled),
    "jacts.shallow.fit": lambda: shallow.fit(PARAMS, X, Y, **training),
    "jacts.shallow.train_steps": lambda: shallow.train_steps(
      PARAMS, SGD.init(PARAMS), X, Y, **training
    ),
    "jacts.shallow.train_step": lambda: shallow.train_step(
      PARAMS, SGD.init(PARAMS), X, Y, optimizer=SGD, **labelled
    ),
    "jacts.shallow.fit_many": lambda: shallow.fit_many([PARAMS, PARAMS], X, Y, **training),
    "jacts.parallel.fit": lambda: parallel.fit(PARAMS, X, Y, **training),
  }
  return calls[function]()


def multilayer_call(function: str, X=X, labels=LABELS, activation=jacts.relu):
  """Calls ``jacts.multilayer.<function>`` with good arguments but these."""
  given = {"activation": activation}
  calls = {
    "jacts.multilayer.forward": lambda: multilayer.forward(LAYERS, X, **given),
    "jacts.multilayer.predict": lambda: multilayer.predict(LAYERS, X, **given),
    "jacts.multilayer.cost": lambda: multilayer.cost(LAYERS, X, labels, **given),
    "jacts.multilayer.backward": lambda: multilayer.backward(
      LAYERS, LAYERS_CACHE, X, labels, **given
    ),
    "jacts.multilayer.accuracy": lambda: multilayer.accuracy(LAYERS, X, labels, **given),
    "jacts.multilayer.fit": lambda: multilayer.fit(
      LAYERS, X, labels, key=KEY, optimizer=SGD, steps=1, batch_size=2, log_every=1, **given
    ),
  }
  return calls[function]()


SHALLOW = (
  *("forward", "predict", "cost", "backward", "accuracy", "fit", "train_steps", "train_step"),
  "fit_many",
)
SHALLOW_FUNCTIONS = (*(f"jacts.shallow.{name}" for name in SHALLOW), "jacts.parallel.fit")
MULTILAYER = ("forward", "predict", "cost", "backward", "accuracy", "fit")
MULTILAYER_FUNCTIONS = tuple(f"jacts.multilayer.{name}" for name in MULTILAYER)
EVERY_FUNCTION = (*SHALLOW_FUNCTIONS, *MULTILAYER_FUNCTIONS)


def call(function: str, **given):
  """``function`` (a name in EVERY_FUNCTION) with good arguments but ``given``."""
  if function.startswith("jacts.multilayer."):
    return multilayer_call(function, **given)
  return shallow_call(function, **given)


# Every form a user may pass an activation in, and how the error names it.
FORMS = {
  "public": (lambda name: getattr(jacts, name), "jacts.{}"),
  "forward_mode": (
    lambda name: jacts.forward_mode(getattr(jacts, name)),
    "jacts.forward_mode(jacts.{})",
  ),
  "partial": (
    lambda name: functools.partial(getattr(jacts, name)),
    "a functools.partial of jacts.{}",
  ),
  "partial of forward_mode": (
    lambda name: functools.partial(jacts.forward_mode(getattr(jacts, name))),
    "a functools.partial of jacts.forward_mode(jacts.{})",
  ),
}


# 1. Non-elementwise hidden activations.


def test_the_rules_that_are_not_elementwise_are_the_vector_ones():
  assert NOT_ELEMENTWISE == ("glu", "softmax", "log_softmax")


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize("name", NOT_ELEMENTWISE)
@pytest.mark.parametrize("function", EVERY_FUNCTION)
def test_a_non_elementwise_hidden_activation_is_refused_before_anything_compiles(
  function, name, form, compilations
):
  make, shown = FORMS[form]
  activation = make(name)
  before = len(compilations)
  with pytest.raises(ValueError) as caught:
    call(function, activation=activation)
  message = str(caught.value)
  assert message.startswith(
    f"`{function}`: `activation` must be an elementwise jacts activation (jacts.sigmoid, "
  )
  assert f"; got {shown.format(name)}, which is not elementwise" in message
  assert len(message.splitlines()) == 1
  assert len(compilations) == before


@pytest.mark.parametrize("function", EVERY_FUNCTION)
def test_a_function_jacts_does_not_know_is_refused_listing_the_elementwise_ones_only(function):
  with pytest.raises(ValueError) as caught:
    call(function, activation=jnp.sin)
  message = str(caught.value)
  assert message.startswith(f"`{function}`: `activation` must be an elementwise jacts activation")
  assert all(f"jacts.{name}," in message or f"jacts.{name})" in message for name in ELEMENTWISE)
  assert not any(f"jacts.{name}" in message for name in NOT_ELEMENTWISE)
  assert message.endswith(f"; got {jnp.sin!r}.")


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize("name", ELEMENTWISE)
def test_every_elementwise_activation_in_every_form_is_a_hidden_activation(name, form):
  make, _ = FORMS[form]
  assert hidden_activation("f", make(name)).rule is RULES[name]


def test_softmax_across_the_examples_is_refused_under_jit_too():
  cost = jax.jit(
    functools.partial(shallow.cost, activation=functools.partial(jacts.softmax, axis=0))
  )
  with pytest.raises(
    ValueError, match=r"^`jacts\.shallow\.cost`: `activation` must be an elementw"
  ):
    cost(PARAMS, X, Y)


@pytest.mark.parametrize("name", NOT_ELEMENTWISE)
def test_save_refuses_a_model_of_a_non_elementwise_activation(tmp_path, name):
  path = tmp_path / "model.npz"
  with pytest.raises(ValueError, match=re.escape(f"`model.activation`: {name} is not elementwise")):
    models.save(path, models.Model(PARAMS, name))
  assert not path.exists()


def model_file_naming(path, name: str):
  """A model file that save would write, but for its ``activation`` field, ``name``."""
  models.save(path, models.Model(PARAMS, "tanh"))
  with zipfile.ZipFile(path) as archive:
    members = {info.filename: archive.read(info) for info in archive.infolist()}
  buffer = io.BytesIO()
  np.save(buffer, np.array(name))
  members["activation.npy"] = buffer.getvalue()
  with zipfile.ZipFile(path, "w") as archive:
    for member, data in members.items():
      archive.writestr(member, data)
  return path


@pytest.mark.parametrize("name", NOT_ELEMENTWISE)
def test_load_refuses_a_file_naming_a_non_elementwise_activation(tmp_path, name):
  path = model_file_naming(tmp_path / "model.npz", name)
  with pytest.raises(models.ModelFileError) as caught:
    models.load(path)
  assert str(caught.value) == (
    f"{path}: `activation`: {name} is not elementwise, so it cannot be a hidden activation; one "
    f"of {sorted(ELEMENTWISE)}."
  )


# 2. Labels are required where a cost or an accuracy needs them.

WITH_LABELS = (
  *(f"jacts.shallow.{name}" for name in SHALLOW if name not in ("forward", "predict")),
  "jacts.parallel.fit",
  *(f"jacts.multilayer.{name}" for name in MULTILAYER if name not in ("forward", "predict")),
)


@pytest.mark.parametrize("function", WITH_LABELS)
def test_missing_labels_are_named_not_an_attribute_error(function, compilations):
  argument, given = ("labels", {"labels": None}) if "multilayer" in function else ("Y", {"Y": None})
  before = len(compilations)
  with pytest.raises(TypeError) as caught:
    call(function, **given)
  message = str(caught.value)
  assert message.startswith(f"`{function}`: `{argument}` must be an")
  assert "(m,)" in message or "(m, n_y)" in message
  assert message.endswith("; got None.")
  assert len(compilations) == before


def test_the_message_for_missing_y_gives_the_shape_expected():
  with pytest.raises(TypeError) as caught:
    shallow.cost(PARAMS, X, None)
  assert str(caught.value) == (
    "`jacts.shallow.cost`: `Y` must be an array of labels in {0, 1} of shape (m, n_y) = (m, 1), "
    "or (m,); got None."
  )


@pytest.mark.parametrize("function", EVERY_FUNCTION)
def test_missing_inputs_are_named(function):
  with pytest.raises(TypeError, match=re.escape(f"`{function}`: `X` must be an array; got None.")):
    call(function, X=None)


# 3. The initializers' scale and key.


@pytest.mark.parametrize(
  ("scale", "error"),
  [
    (np.nan, ValueError),
    (np.inf, ValueError),
    (-np.inf, ValueError),
    (0.0, ValueError),
    (-0.01, ValueError),
    (1e39, ValueError),  # Beyond float32: every weight would be infinite.
    (10**400, ValueError),
    ("0.01", TypeError),
    (None, TypeError),
    (True, TypeError),
    (np.array([0.01, 0.02]), TypeError),
    (np.array(np.nan), ValueError),
    (np.array(True), TypeError),
  ],
  ids=["nan", "inf", "-inf", "zero", "negative", "beyond float32", "huge int", "string", "None",
       "bool", "array", "0-d nan", "0-d bool"],
)  # fmt: skip
def test_init_params_refuses_a_scale_that_is_no_positive_finite_number(scale, error):
  with pytest.raises(error) as caught:
    shallow.init_params(KEY, 2, 4, 1, scale=scale, dtype=jnp.float32)
  assert str(caught.value).startswith(
    "`jacts.shallow.init_params`: `scale` must be a finite real number > 0"
  )
  assert "; got " in str(caught.value)
  with pytest.raises(error) as caught:
    shallow.lecture_params(2, 4, 1, scale=scale, dtype=jnp.float32)
  assert str(caught.value).startswith(
    "`jacts.shallow.lecture_params`: `scale` must be a finite real number > 0"
  )


@pytest.mark.parametrize(
  "scale", [np.float64(0.5), np.float32(0.5), 0.5, 1, np.array(0.5), jnp.array(0.5)]
)
def test_a_numpy_or_integer_scale_keeps_the_weights_dtype(x64, scale):
  params = shallow.init_params(KEY, 2, 4, 1, scale=scale, dtype=jnp.float32)
  assert all(p.dtype == jnp.float32 for p in params)
  expected = shallow.init_params(KEY, 2, 4, 1, scale=1.0, dtype=jnp.float32).W1 * float(scale)
  np.testing.assert_array_equal(params.W1, expected)


BAD_KEYS = {
  "a string": ("0", TypeError, "got '0'"),
  "a float": (1.5, TypeError, "got 1.5"),
  "an int": (0, TypeError, "got 0"),
  "None": (None, TypeError, "got None"),
  "int32 data": (np.zeros(2, np.int32), TypeError, "got an array of dtype int32, shape (2,)"),
  "float data": (jnp.zeros(2), TypeError, "got an array of dtype float32, shape (2,)"),
  "uint32 of the wrong shape": (np.zeros(3, np.uint32), ValueError, "shape (3,)"),
  "two raw keys": (np.zeros((2, 2), np.uint32), ValueError, "shape (2, 2)"),
  "two keys": (jax.random.split(KEY), ValueError, "got a key array of shape (2,)"),
}


def study_call(function: str, key):
  X, labels = study.load_dataset("moons")
  small = {"key": key, "dtypes": ("float32",), "depth": 1, "batch_size": 4}
  if function == "jacts.study.bifurcation":
    return study.bifurcation(X, labels, draws=2, widths=(4,), **small)
  return study.training(X, labels, X, labels, width=4, steps=2, log_every=1, **small)


KEYED = {
  "jacts.shallow.init_params": lambda key: shallow.init_params(key, 2, 4, 1),
  "jacts.multilayer.init_params": lambda key: multilayer.init_params(key, (2, 3, 2)),
  "jacts.multilayer.fit": lambda key: multilayer.fit(
    LAYERS, X, LABELS, key=key, optimizer=SGD, steps=1, batch_size=2, log_every=1
  ),
  "jacts.study.bifurcation": functools.partial(study_call, "jacts.study.bifurcation"),
  "jacts.study.training": functools.partial(study_call, "jacts.study.training"),
}


@pytest.mark.parametrize(("key", "error", "given"), BAD_KEYS.values(), ids=BAD_KEYS.keys())
@pytest.mark.parametrize("function", KEYED)
def test_a_bad_key_is_named(function, key, error, given, compilations):
  before = len(compilations)
  with pytest.raises(error) as caught:
    KEYED[function](key)
  message = str(caught.value)
  assert message.startswith(f"`{function}`: `key` must be ")
  assert "jax.random" in message and given in message
  assert len(compilations) == before


@pytest.mark.parametrize("function", ["jacts.shallow.init_params", "jacts.multilayer.init_params"])
def test_initializers_take_a_raw_key_and_a_batch_of_keys_under_vmap(function):
  assert jax.tree.leaves(KEYED[function](jax.random.PRNGKey(0)))
  batched = jax.vmap(KEYED[function])(jax.random.split(KEY, 3))
  assert all(leaf.shape[0] == 3 for leaf in jax.tree.leaves(batched))


# 4. The study's data.

X_MOONS, LABELS_MOONS = study.load_dataset("moons")


def with_value(value, at=(3, 1)):
  X = X_MOONS.astype(np.float64)
  X[at] = value
  return X


STUDIED = {
  "bifurcation X": ("jacts.study.bifurcation", "X"),
  "training X": ("jacts.study.training", "X"),
  "training X_test": ("jacts.study.training", "X_test"),
}


def studied(function: str, argument: str, data, dtypes=("float32",)):
  """``function`` of the study with ``data`` as ``argument`` and good arguments else."""
  small = {"key": KEY, "dtypes": dtypes, "depth": 1, "batch_size": 4}
  if function == "jacts.study.bifurcation":
    return study.bifurcation(data, LABELS_MOONS, draws=2, widths=(4,), **small)
  X, X_test = (data, X_MOONS) if argument == "X" else (X_MOONS, data)
  return study.training(
    X, LABELS_MOONS, X_test, LABELS_MOONS, width=4, steps=2, log_every=1, **small
  )


@pytest.mark.parametrize("value", [np.nan, np.inf, -np.inf])
@pytest.mark.parametrize(("function", "argument"), STUDIED.values(), ids=STUDIED.keys())
def test_the_study_refuses_non_finite_data(function, argument, value, compilations):
  before = len(compilations)
  with pytest.raises(ValueError) as caught:
    studied(function, argument, with_value(value))
  assert str(caught.value) == (
    f"`{function}`: `{argument}` must be finite; got NaN or infinite values."
  )
  assert len(compilations) == before


@pytest.mark.parametrize(("function", "argument"), STUDIED.values(), ids=STUDIED.keys())
def test_the_study_refuses_data_beyond_a_dtype_it_computes_in(function, argument):
  with pytest.raises(ValueError) as caught:
    studied(function, argument, with_value(1e5), dtypes=("float32", "float16"))
  assert str(caught.value) == (
    f"`{function}`: `{argument}` must fit in float16, a dtype the study computes in (largest "
    f"magnitude 65504); got values up to 100000."
  )
  with pytest.raises(ValueError, match=re.escape(f"`{argument}` must fit in float32")):
    studied(function, argument, with_value(1e39), dtypes=("float64",))
