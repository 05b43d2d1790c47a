"""Saved models: a shallow network's parameters and configuration in one ``.npz`` file.

Format version 1, a NumPy ``.npz`` archive (no pickles) holding:

========================  ==================================================================
``format``                "jacts.shallow" (a string array)
``format_version``        1
``W1``, ``b1``            (n_h, n_x), (n_h,)
``W2``, ``b2``            (n_y, n_h), (n_y,)
``activation``            "sigmoid", "tanh", "relu" or "leaky_relu"
``negative_slope``        the leaky slope (also stored, unused, for the others)
``derivative_at_zero``    the convention at 0 of ReLU and leaky ReLU
``n_x``, ``n_h``, ``n_y`` the sizes, checked against the arrays' shapes on loading
========================  ==================================================================

Files are written atomically: to a temporary file in the same folder, then renamed over the
target, so a crash or interruption never leaves a half-written model behind.
"""

import functools
import os
import pathlib
import tempfile
import zipfile
from collections.abc import Callable
from typing import NamedTuple

import jax.numpy as jnp
import numpy as np

from jacts import _activations
from jacts.shallow import Params

FORMAT = "jacts.shallow"
FORMAT_VERSION = 1
ACTIVATIONS = {
  "sigmoid": _activations.sigmoid,
  "tanh": _activations.tanh,
  "relu": _activations.relu,
  "leaky_relu": _activations.leaky_relu,
}


class ModelFileError(ValueError):
  """A model file that cannot be read as a jacts model; the message says why, in one line."""


class Model(NamedTuple):
  """A trained network and how to evaluate it."""

  params: Params
  activation: str  # One of ACTIVATIONS.
  negative_slope: float = 0.01
  derivative_at_zero: float = 1.0

  def activation_function(self) -> Callable:
    """The hidden activation with the stored parameters bound."""
    function = ACTIVATIONS[self.activation]
    if self.activation == "leaky_relu":
      return functools.partial(
        function, negative_slope=self.negative_slope, derivative_at_zero=self.derivative_at_zero
      )
    if self.activation == "relu":
      return functools.partial(function, derivative_at_zero=self.derivative_at_zero)
    return function


def save(path: str | os.PathLike, model: Model) -> None:
  """Writes ``model`` to ``path`` atomically (temporary file in the same folder, then rename).

  Example:
    >>> import tempfile, pathlib, jacts.shallow as shallow
    >>> from jacts import models
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "model.npz"
    >>> models.save(path, models.Model(shallow.lecture_params(2, 4, 1), "tanh"))
    >>> models.load(path).params.W1.shape
    (4, 2)
  """
  if model.activation not in ACTIVATIONS:
    raise ValueError(
      f"`model.activation` must be one of {sorted(ACTIVATIONS)}; got {model.activation!r}."
    )
  W1, b1, W2, b2 = (np.asarray(p) for p in model.params)
  path = pathlib.Path(path)
  contents = {
    "format": np.array(FORMAT),
    "format_version": np.array(FORMAT_VERSION),
    "W1": W1,
    "b1": b1,
    "W2": W2,
    "b2": b2,
    "activation": np.array(model.activation),
    "negative_slope": np.array(float(model.negative_slope)),
    "derivative_at_zero": np.array(float(model.derivative_at_zero)),
    "n_x": np.array(W1.shape[1]),
    "n_h": np.array(W1.shape[0]),
    "n_y": np.array(W2.shape[0]),
  }
  handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
  try:
    with os.fdopen(handle, "wb") as file:
      np.savez(file, **contents)
      file.flush()
      os.fsync(file.fileno())
    os.replace(temporary, path)
  except BaseException:
    pathlib.Path(temporary).unlink(missing_ok=True)
    raise


def load(path: str | os.PathLike) -> Model:
  """Reads a model written by :func:`save`, checking every field, shape and value.

  Raises:
    ModelFileError: with a one-line reason, for a missing, corrupt or mismatched file.

  Example:
    >>> import tempfile, pathlib, jacts.shallow as shallow
    >>> from jacts import models
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "model.npz"
    >>> models.save(path, models.Model(shallow.lecture_params(2, 4, 1), "relu"))
    >>> model = models.load(path)
    >>> model.activation, model.derivative_at_zero
    ('relu', 1.0)
  """
  path = pathlib.Path(path)
  if path.is_file() and not zipfile.is_zipfile(path):
    raise ModelFileError(f"{path}: not a jacts model file (not an .npz archive)")
  try:
    with np.load(path, allow_pickle=False) as archive:
      contents = {name: archive[name] for name in archive.files}
  except FileNotFoundError:
    raise ModelFileError(f"{path}: no such file") from None
  except (OSError, ValueError, zipfile.BadZipFile, EOFError) as error:
    raise ModelFileError(f"{path}: not a jacts model file (unreadable: {error})") from None

  def field(name, kind):
    if name not in contents:
      raise ModelFileError(f"{path}: not a jacts model file (no `{name}`)")
    value = contents[name]
    try:
      return kind(value) if kind is not None else value
    except (TypeError, ValueError):
      raise ModelFileError(f"{path}: `{name}` is malformed") from None

  if field("format", str) != FORMAT:
    raise ModelFileError(f"{path}: not a jacts model file (format {contents['format']!s})")
  version = field("format_version", int)
  if version != FORMAT_VERSION:
    raise ModelFileError(
      f"{path}: format version {version}; this jacts reads version {FORMAT_VERSION}"
    )
  activation = field("activation", str)
  if activation not in ACTIVATIONS:
    raise ModelFileError(f"{path}: unknown activation {activation!r}")
  sizes = {name: field(name, int) for name in ("n_x", "n_h", "n_y")}
  n_x, n_h, n_y = sizes["n_x"], sizes["n_h"], sizes["n_y"]
  expected = {"W1": (n_h, n_x), "b1": (n_h,), "W2": (n_y, n_h), "b2": (n_y,)}
  arrays = {}
  for name, shape in expected.items():
    array = field(name, None)
    if array.shape != shape or not np.issubdtype(array.dtype, np.floating):
      raise ModelFileError(
        f"{path}: `{name}` has shape {array.shape} and dtype {array.dtype}; the stored sizes "
        f"need a floating array of shape {shape}"
      )
    if not np.all(np.isfinite(array)):
      raise ModelFileError(f"{path}: `{name}` holds NaN or infinite values")
    arrays[name] = jnp.asarray(array)
  return Model(
    Params(**arrays),
    activation,
    negative_slope=field("negative_slope", float),
    derivative_at_zero=field("derivative_at_zero", float),
  )
