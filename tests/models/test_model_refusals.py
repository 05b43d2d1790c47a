"""Saving a model: save refuses a model that load could not give back (non-finite weights,
conventions outside the sub-differential, unknown or non-elementwise activations, arguments the
activation does not take, mixed or unstorable dtypes, inconsistent shapes) before it writes
anything, leaving the old file byte for byte; load refuses the same fields in a file with the same
message."""

import re

import jax.numpy as jnp
import numpy as np
import pytest
from model_files import ELEMENTWISE, SELU_SCALE, params, saved, stored_contents, valid_model

from jacts import models
from jacts.shallow import Params


def with_param(field: str, value, model=None) -> models.Model:
  """``model`` (a valid one by default) with one weight replaced."""
  model = valid_model() if model is None else model
  return model._replace(params=model.params._replace(**{field: value}))


SAVE_REFUSALS = {
  "NaN weight": (
    with_param("W1", params().W1 * np.nan),
    ValueError,
    "`model.params.W1` holds NaN or infinite values.",
  ),
  "infinite bias": (
    with_param("b2", np.array([np.inf], np.float32)),
    ValueError,
    "`model.params.b2` holds NaN or infinite values.",
  ),
  "relu derivative_at_zero 5": (
    valid_model(derivative_at_zero=5),
    ValueError,
    "`model.derivative_at_zero` must lie in the sub-differential of relu at 0, [0.0, 1.0]; "
    "got 5.0.",
  ),
  "leaky_relu derivative_at_zero below the slope": (
    valid_model(activation="leaky_relu", negative_slope=0.25, derivative_at_zero=0.125),
    ValueError,
    "`model.derivative_at_zero` must lie in the sub-differential of leaky_relu at 0, "
    "[0.25, 1.0]; got 0.125.",
  ),
  "leaky_relu derivative_at_zero above a slope over 1": (
    valid_model(activation="leaky_relu", negative_slope=2.0, derivative_at_zero=3.0),
    ValueError,
    "`model.derivative_at_zero` must lie in the sub-differential of leaky_relu at 0, "
    "[1.0, 2.0]; got 3.0.",
  ),
  "NaN negative_slope": (
    valid_model(negative_slope=np.nan),
    ValueError,
    "`model.negative_slope` must be a finite real number; got nan.",
  ),
  "infinite negative_slope": (
    valid_model(activation="tanh", negative_slope=-np.inf),
    ValueError,
    "`model.negative_slope` must be a finite real number; got -inf.",
  ),
  "infinite derivative_at_zero for sigmoid": (
    valid_model(activation="sigmoid", derivative_at_zero=np.inf),
    ValueError,
    "`model.derivative_at_zero` must be a finite real number; got inf.",
  ),
  "unknown activation": (
    valid_model(activation="swish"),
    ValueError,
    f"`model.activation`: unknown activation 'swish'; one of {sorted(ELEMENTWISE)}.",
  ),
  "softmax, not elementwise": (
    valid_model(activation="softmax"),
    ValueError,
    "`model.activation`: softmax is not elementwise, so it cannot be a hidden activation; one "
    f"of {sorted(ELEMENTWISE)}.",
  ),
  "an argument elu does not take": (
    models.Model(params(), "elu", arguments=(("beta", 1.0),)),
    ValueError,
    "`model.arguments`: `beta` is not an argument to store; elu takes `alpha`, "
    "`derivative_at_zero`.",
  ),
  "z as an argument": (
    models.Model(params(), "celu", arguments=(("z", 1.0),)),
    ValueError,
    "`model.arguments`: `z` is not an argument to store; celu takes `alpha`.",
  ),
  "an argument for tanh": (
    valid_model(activation="tanh", arguments=(("alpha", 1.0),)),
    ValueError,
    "`model.arguments`: `alpha` is not an argument to store; tanh takes none.",
  ),
  "relu's derivative_at_zero in arguments": (
    valid_model(arguments=(("derivative_at_zero", 0.0),)),
    ValueError,
    "`model.arguments`: `derivative_at_zero` is not an argument to store; relu's "
    "`derivative_at_zero` is the field `model.derivative_at_zero`.",
  ),
  "selu derivative_at_zero outside the sub-differential": (
    models.Model(params(), "selu", arguments=(("derivative_at_zero", 1.0),)),
    ValueError,
    "`model.arguments`: `jacts.selu`: `derivative_at_zero` must lie in the sub-differential at "
    f"z = 0, [{SELU_SCALE}, 1.7580993408473766]; got 1.0.",
  ),
  "elu derivative_at_zero outside the sub-differential for its alpha": (
    models.Model(params(), "elu", arguments={"alpha": 0.5, "derivative_at_zero": 0.25}),
    ValueError,
    "`model.arguments`: `jacts.elu`: `derivative_at_zero` must lie in the sub-differential at "
    "z = 0, [0.5, 1.0]; got 0.25.",
  ),
  "selu derivative_at_zero None": (
    models.Model(params(), "selu", arguments=(("derivative_at_zero", None),)),
    TypeError,
    "`model.arguments`: `jacts.selu`: `derivative_at_zero` must be a finite Python number",
  ),
  "elu alpha inf": (
    models.Model(params(), "elu", arguments=(("alpha", np.inf),)),
    ValueError,
    "`model.arguments`: `alpha` must be a finite number, a bool or None; got inf.",
  ),
  "squareplus b NaN": (
    models.Model(params(), "squareplus", arguments=(("b", np.nan),)),
    ValueError,
    "`model.arguments`: `b` must be a finite number, a bool or None; got nan.",
  ),
  "celu alpha 0": (
    models.Model(params(), "celu", arguments=(("alpha", 0.0),)),
    ValueError,
    "`model.arguments`: `jacts.celu`: `alpha` must be greater than 0.0; got 0.0.",
  ),
  "gelu approximate a number": (
    models.Model(params(), "gelu", arguments=(("approximate", 1.0),)),
    TypeError,
    "`model.arguments`: `jacts.gelu`: `approximate` must be True or False; got 1.0.",
  ),
  "selu derivative_at_zero changed by the legacy field": (
    valid_model(activation="selu", derivative_at_zero=SELU_SCALE),
    ValueError,
    "`model.derivative_at_zero` applies to relu and leaky_relu only (leave it at 1.0); give "
    f"selu's `derivative_at_zero` in `model.arguments`; got {SELU_SCALE}.",
  ),
  "negative_slope for elu": (
    models.Model(params(), "elu", negative_slope=0.5),
    ValueError,
    "`model.negative_slope` applies to leaky_relu only (leave it at 0.01); elu takes no "
    "`negative_slope`; got 0.5.",
  ),
  "derivative_at_zero for softplus": (
    models.Model(params(), "softplus", derivative_at_zero=0.5),
    ValueError,
    "`model.derivative_at_zero` applies to relu and leaky_relu only (leave it at 1.0); softplus "
    "takes no `derivative_at_zero`; got 0.5.",
  ),
  "mixed dtypes": (
    with_param("W2", params(np.float64).W2),
    TypeError,
    "`model.params.W1`, `model.params.b1`, `model.params.W2`, `model.params.b2` must share one "
    "dtype; got float32, float32, float64, float32.",
  ),
  "zero sizes": (
    valid_model(params=params(n_h=0)),
    ValueError,
    "`model.params.W1` and `model.params.W2` must be 2-d, sizes >= 1; got (0, 2) and (1, 0).",
  ),
}
# Load checks a file's stored sizes first, in its own words (see CRAFTED).
SAVE_ONLY_REFUSALS = {
  "inconsistent shapes": (
    with_param("b1", np.zeros(3, np.float32)),
    ValueError,
    "`model.params.b1` has shape (3,); W1 and W2 imply (4,).",
  ),
  "bfloat16 params": (
    valid_model(params=Params(*(jnp.asarray(p, jnp.bfloat16) for p in params()))),
    TypeError,
    "`model.params.W1` is bfloat16, which .npz cannot store: convert to float32.",
  ),
  "longdouble params": (
    valid_model(params=params(np.longdouble)),
    TypeError,
    f"`model.params.W1` must be a float16, float32 or float64 array; got "
    f"{np.dtype(np.longdouble)}.",
  ),
  "integer params": (
    valid_model(params=params(np.int32)),
    TypeError,
    "`model.params.W1` must be a float16, float32 or float64 array; got int32.",
  ),
  "a list for a weight": (
    with_param("b2", [0.5]),
    TypeError,
    "`model.params.b2` must be an array; got list.",
  ),
  "a plain tuple for params": (
    valid_model(params=tuple(params())),
    TypeError,
    "`model.params` must be a jacts.shallow.Params; got tuple.",
  ),
  "boolean negative_slope": (
    valid_model(negative_slope=True),
    TypeError,
    "`model.negative_slope` must be a finite real number; got True.",
  ),
  "string derivative_at_zero": (
    valid_model(derivative_at_zero="1"),
    TypeError,
    "`model.derivative_at_zero` must be a finite real number; got '1'.",
  ),
  "an int beyond float's range": (
    valid_model(derivative_at_zero=10**400),
    ValueError,
    "`model.derivative_at_zero` must be a finite real number; got 1000",
  ),
  "arguments not pairs": (
    models.Model(params(), "elu", arguments=0.5),
    TypeError,
    '`model.arguments` must be (name, value) pairs, e.g. (("alpha", 0.5),); got 0.5.',
  ),
  "an argument given twice": (
    models.Model(params(), "elu", arguments=(("alpha", 0.5), ("alpha", 1.0))),
    ValueError,
    "`model.arguments` gives `alpha` twice.",
  ),
  "an array argument": (
    models.Model(params(), "elu", arguments=(("alpha", np.ones(4)),)),
    TypeError,
    "`model.arguments`: `alpha` must be a finite number, a bool or None; got an array of shape "
    "(4,).",
  ),
  "a string argument": (
    models.Model(params(), "gelu", arguments=(("approximate", "tanh"),)),
    TypeError,
    "`model.arguments`: `approximate` must be a finite number, a bool or None; got 'tanh'.",
  ),
  "not a Model": (
    tuple(valid_model()),
    TypeError,
    "`model` must be a jacts.models.Model; got tuple.",
  ),
}


@pytest.mark.parametrize(
  ("model", "error", "message"),
  [*SAVE_REFUSALS.values(), *SAVE_ONLY_REFUSALS.values()],
  ids=[*SAVE_REFUSALS, *SAVE_ONLY_REFUSALS],
)
def test_save_refuses_before_writing_and_leaves_the_old_file_byte_for_byte(
  tmp_path, model, error, message
):
  path = saved(tmp_path)
  before = path.read_bytes()
  with pytest.raises(error, match=re.escape(message)):
    models.save(path, model)
  assert path.read_bytes() == before
  assert [p.name for p in tmp_path.iterdir()] == ["model.npz"]


@pytest.mark.parametrize(
  ("model", "message"),
  [(model, message) for model, _, message in SAVE_REFUSALS.values()],
  ids=list(SAVE_REFUSALS),
)
def test_load_refuses_what_save_refuses_with_the_same_message(tmp_path, model, message):
  path = tmp_path / "model.npz"
  np.savez(path, **stored_contents(model))
  in_file = message.replace("`model.params.", "`").replace("`model.", "`")
  with pytest.raises(models.ModelFileError, match=re.escape(f"{path}: {in_file}")):
    models.load(path)
