"""Saving and loading a model file: the format that :mod:`jacts.models` documents, checked field by
field on both sides, written atomically."""

import functools
import os
import pathlib
import tempfile
import types
from collections.abc import Callable, Mapping
from typing import Any, NamedTuple

import jax
import jax.numpy as jnp
import numpy as np

from jacts._activations import PUBLIC
from jacts._rules import ELEMENTWISE, LECTURE_DERIVATIVE_AT_ZERO, LECTURE_SLOPE, RULES
from jacts.models import _arguments, _fields, _npz, _tempfiles
from jacts.models._arguments import Argument as Argument
from jacts.shallow import Params

FORMAT = "jacts.shallow"
FORMAT_VERSION = 2  # What save writes.
READ_VERSIONS = (1, 2)  # What load reads: version 1 has no `arguments`.
# Every activation a model file may name: each elementwise rule's public function, in table
# order (softmax, log_softmax and glu mix a row's entries: no hidden activation).
ACTIVATIONS: Mapping[str, Callable] = types.MappingProxyType(
  {name: PUBLIC[name] for name in ELEMENTWISE}
)


class ModelFileError(ValueError):
  """A model file that cannot be read as a jacts model; the message says why, in one line."""


class Model(NamedTuple):
  """A trained network and how to evaluate it.

  ``negative_slope`` and ``derivative_at_zero`` are relu's and leaky_relu's arguments (format
  version 1's fields); every other activation's arguments are ``arguments``, sorted
  ``(name, value)`` pairs, e.g. ``Model(params, "elu", arguments=(("alpha", 0.5),))``.
  """

  params: Params
  activation: str  # One of ACTIVATIONS.
  negative_slope: float = LECTURE_SLOPE
  derivative_at_zero: float = LECTURE_DERIVATIVE_AT_ZERO
  arguments: tuple[tuple[str, Argument], ...] = ()

  def activation_function(self) -> Callable:
    """The hidden activation with every stored argument it takes bound (``functools.partial``),
    ready for :mod:`jacts.shallow`."""
    function = ACTIVATIONS[self.activation]
    stored = {**_arguments.stored_arguments(self.activation, self), **dict(self.arguments)}
    return functools.partial(function, **stored) if stored else function


def save(path: str | os.PathLike, model: Model) -> None:
  """Writes ``model`` to ``path`` atomically (temporary file in the same folder, then rename).

  Args:
    path: the file to write, in an existing folder.
    model: the model, checked as :func:`load` checks a file before anything is written.

  Raises:
    TypeError, ValueError: naming the field of ``model`` that the format cannot hold.

  Example:
    >>> import tempfile, pathlib, jacts.shallow as shallow
    >>> from jacts import models
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "model.npz"
    >>> models.save(path, models.Model(shallow.lecture_params(2, 4, 1), "tanh"))
    >>> models.load(path).params.W1.shape
    (4, 2)
  """
  model = _checked(model)
  (n_h, n_x), n_y = model.params.W1.shape, model.params.W2.shape[0]
  # Any: with NumPy arrays, mypy matches np.savez's **kwds against its `allow_pickle: bool`.
  contents: dict[str, Any] = {
    "format": np.array(FORMAT),
    "format_version": np.array(FORMAT_VERSION),
    **model.params._asdict(),
    "activation": np.array(model.activation),
    "negative_slope": np.array(model.negative_slope),
    "derivative_at_zero": np.array(model.derivative_at_zero),
    "arguments": np.array(_arguments.encode_arguments(model.arguments)),
    **{name: np.array(size) for name, size in (("n_x", n_x), ("n_h", n_h), ("n_y", n_y))},
  }
  path = pathlib.Path(path)
  _tempfiles.remove_leftovers(path)
  # The PID in the name tells a later save whether the writer may still be at work.
  handle, temporary = tempfile.mkstemp(
    prefix=f".{path.name}.{os.getpid()}.", suffix=".tmp", dir=path.parent
  )
  try:
    os.chmod(temporary, _tempfiles.mode_for(path))  # mkstemp creates it 0600.
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

  Args:
    path: the ``.npz`` file.

  Returns:
    The model, its parameters as JAX arrays of the stored dtype.

  Raises:
    ModelFileError: "<path>: <reason>" in one line, naming the field, for a missing, damaged,
      forged or mismatched file, or a float64 model while JAX's 64-bit mode is off.

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
  try:
    model = _checked(
      _decode(_npz.read(path, _fields.FIELDS, _fields.ADDED_IN_VERSION_2)), stored=True
    )
  except FileNotFoundError:
    raise ModelFileError(f"{path}: no such file") from None
  except (ValueError, TypeError) as error:
    raise ModelFileError(f"{path}: {_one_line(error)}") from None
  except _npz.UNREADABLE as error:
    reason = f"not a jacts model file (unreadable: {_one_line(error)})"
    raise ModelFileError(f"{path}: {reason}") from None
  x64 = jax.dtypes.canonicalize_dtype(np.float64) == np.float64
  if model.params.W1.dtype == np.float64 and not x64:  # jnp.asarray would round it silently.
    raise ModelFileError(
      f"{path}: the model is float64 but JAX's 64-bit mode is off, which would round it to "
      'float32; enable it first with jax.config.update("jax_enable_x64", True) or load inside '
      "`with jax.enable_x64(True):`"
    )
  return model._replace(params=Params(*(jnp.asarray(p) for p in model.params)))


def _checked(model: Model, *, stored: bool = False) -> Model:
  """Returns ``model`` with NumPy weights and float numbers, refusing what the format cannot hold.

  The one check behind both :func:`save` and :func:`load`, so that the two never disagree.

  Args:
    model: the model to check.
    stored: name the fields as the file does (`W1`), not as attributes (`model.params.W1`).

  Returns:
    The same model, its weights as native-order NumPy arrays, its numbers as Python floats, its
    ``arguments`` as sorted (name, float, bool or None) pairs.

  Raises:
    TypeError: a field of the wrong type or dtype.
    ValueError: a wrong activation, shape or value.
  """

  def name(field: str) -> str:
    owner = "" if stored else "model.params." if field in Params._fields else "model."
    return f"`{owner}{field}`"

  if not isinstance(model, Model):
    raise TypeError(f"`model` must be a jacts.models.Model; got {type(model).__name__}.")
  activation, known = model.activation, sorted(ACTIVATIONS)
  if isinstance(activation, str) and activation in RULES and activation not in ACTIVATIONS:
    raise ValueError(
      f"{name('activation')}: {activation} is not elementwise, so it cannot be a hidden "
      f"activation; one of {known}."
    )
  if not isinstance(activation, str) or activation not in ACTIVATIONS:
    raise ValueError(f"{name('activation')}: unknown activation {activation!r}; one of {known}.")
  params = _fields.checked_params(model.params, name)
  slope = _fields.finite_real(model.negative_slope, name("negative_slope"))
  at_zero = _fields.finite_real(model.derivative_at_zero, name("derivative_at_zero"))
  arguments = _arguments.checked_pairs(model.arguments, name("arguments"))
  checked = Model(params, activation, slope, at_zero, arguments)
  _arguments.check_legacy_fields(checked, name)
  _arguments.check_arguments(activation, _arguments.stored_arguments(activation, checked), name)
  _arguments.check_given_arguments(activation, arguments, name)
  return checked


def _decode(arrays: dict[str, np.ndarray]) -> Model:
  """Builds the model from the fields, after checking what only a file holds (format, sizes)."""
  if str(arrays["format"]) != FORMAT:
    raise ModelFileError(f"not a jacts model file (format {str(arrays['format'])!r})")
  version = int(arrays["format_version"])
  if version not in READ_VERSIONS:
    raise ModelFileError(f"format version {version}; this jacts reads versions 1 and 2")
  if version == 1 and "arguments" in arrays:
    raise ModelFileError("not a jacts model file (`arguments` in format version 1)")
  if version >= 2 and "arguments" not in arrays:
    raise ModelFileError("not a jacts model file (no `arguments`)")
  n_x, n_h, n_y = (int(arrays[name]) for name in ("n_x", "n_h", "n_y"))
  for field, shape in _fields.weight_shapes(n_x, n_h, n_y).items():
    if arrays[field].shape != shape:
      raise ModelFileError(f"`{field}` has shape {arrays[field].shape}; stored sizes need {shape}")
  # NumPy weights in Params (typed jax.Array for users): load converts them with jnp.asarray.
  weights = Params(*(arrays[field] for field in Params._fields))  # type: ignore[arg-type]
  slope, at_zero = float(arrays["negative_slope"]), float(arrays["derivative_at_zero"])
  arguments = _arguments.decode_arguments(str(arrays["arguments"])) if "arguments" in arrays else ()
  return Model(weights, str(arrays["activation"]), slope, at_zero, arguments)


def _one_line(error: BaseException) -> str:
  """The error's message on one line (or its type's name, for an empty message)."""
  return " ".join(str(error).split()) or type(error).__name__
