"""Saved models for the tests of jacts.models (tests/models/): small valid models, their files,
and what save writes for a model, written without save's checks."""

import json
import pathlib
import zipfile

import numpy as np

from jacts import models
from jacts.shallow import Params

# The activations a hidden layer may use, in the table's order: every rule but glu, softmax and
# log_softmax, which mix a row's entries.
ELEMENTWISE = (
  *("sigmoid", "tanh", "relu", "leaky_relu", "relu6", "hard_sigmoid", "hard_silu", "hard_tanh"),
  *("sparse_sigmoid", "softplus", "log_sigmoid", "silu", "mish", "gelu", "soft_sign"),
  *("squareplus", "sparse_plus", "elu", "celu", "selu", "log1mexp", "identity"),
)
SELU_SCALE = 1.0507009873554805  # The lowest g'(0) of selu: its sub-differential's left end.


def params(dtype=np.float32, n_x=2, n_h=4, n_y=1) -> Params:
  """Small, exactly representable weights (float16 included) of the given sizes."""
  W1 = np.arange(n_h * n_x).reshape(n_h, n_x) / 8 - 0.5
  W2 = np.arange(n_y * n_h).reshape(n_y, n_h) / 4 - 0.25
  arrays = (W1, np.full(n_h, 0.125), W2, np.full(n_y, -0.5))
  return Params(*(np.asarray(a, dtype) for a in arrays))


def valid_model(**changes) -> models.Model:
  """A relu model that save and load accept, with ``changes`` to its fields."""
  return models.Model(params(), "relu", derivative_at_zero=0.0)._replace(**changes)


def saved(tmp_path: pathlib.Path, model: models.Model | None = None) -> pathlib.Path:
  path = tmp_path / "model.npz"
  models.save(path, valid_model() if model is None else model)
  return path


def members_of(path: pathlib.Path) -> dict[str, bytes]:
  with zipfile.ZipFile(path) as archive:
    return {info.filename: archive.read(info) for info in archive.infolist()}


def stored_contents(model: models.Model) -> dict[str, np.ndarray]:
  """What save would write for ``model``, written here without any check."""
  W1, b1, W2, b2 = (np.asarray(p) for p in model.params)
  return {
    "format": np.array(models.FORMAT),
    "format_version": np.array(models.FORMAT_VERSION),
    **{"W1": W1, "b1": b1, "W2": W2, "b2": b2},
    "activation": np.array(model.activation),
    "negative_slope": np.array(float(model.negative_slope)),
    "derivative_at_zero": np.array(float(model.derivative_at_zero)),
    "arguments": np.array(json.dumps(dict(model.arguments))),
    **{"n_x": np.array(W1.shape[1]), "n_h": np.array(W1.shape[0]), "n_y": np.array(W2.shape[0])},
  }
