"""Saved models: a shallow network's parameters and configuration in one ``.npz`` file.

Format version 2: a zip archive of exactly these ``<field>.npy`` members, stored or deflated as
:func:`numpy.savez` writes them (no pickles), each checked on saving and on loading:

=========================  =====================================================================
``format``                 0-d unicode string "jacts.shallow"
``format_version``         0-d integer 2 (1: the same fields but ``arguments``; still read)
``W1``, ``b1``             shapes (n_h, n_x), (n_h,)
``W2``, ``b2``             shapes (n_y, n_h), (n_y,); the four share one dtype (float16, float32
                           or float64; bfloat16 has no ``.npy`` form) and hold finite values only
``activation``             0-d unicode string, a name in :data:`ACTIVATIONS` (every elementwise
                           rule's: softmax, log_softmax and glu cannot be a hidden activation)
``negative_slope``         0-d float, finite: leaky_relu's slope. Stored, unused, for relu,
                           sigmoid and tanh; for the other activations it must keep its default
                           0.01 (give theirs in ``arguments``)
``derivative_at_zero``     0-d float, finite: g'(0) of relu, in [0, 1], and of leaky_relu,
                           between the slope and 1 (the sub-differential at 0). Stored, unused,
                           for sigmoid and tanh; for the other activations it must keep its
                           default 1.0 (selu's and elu's go in ``arguments``)
``arguments``              0-d unicode string: a JSON object of the activation's other keyword
                           arguments, name -> finite number, true/false or null, e.g.
                           ``{"alpha": 0.5}`` or ``{"approximate": false}``; each one the
                           activation takes (never ``z``), checked as the activation checks it.
                           ``{}`` for the lecture's four, whose arguments are the two fields above
``n_x``, ``n_h``, ``n_y``  0-d integers, at least 1, equal to the weights' shapes
=========================  =====================================================================

Both :func:`save` and :func:`load` run ``_checked``, so ``save`` refuses (``ValueError`` or
``TypeError`` naming the field, before writing anything) every model ``load`` refuses. ``load``
reads each member's header before its data, refusing one that declares other than the bytes held;
every problem is a one-line :class:`ModelFileError` naming the file and the field. A float64
model needs JAX's 64-bit mode (``load`` refuses it rather than round it to float32). ``save``
writes version 2; ``load`` reads versions 1 and 2.

Files are written atomically: to ``.<name>.<pid>.<random>.tmp`` in the same folder, flushed, then
renamed over the target; a new file gets the mode the umask gives, an overwritten one keeps its
own. The next save to a target removes temporary files left by killed saves whose PID is dead.
"""

import contextlib
import functools
import json
import math
import os
import pathlib
import re
import stat
import tempfile
import types
from collections.abc import Callable, Mapping
from numbers import Real
from typing import Any, NamedTuple

import jax
import jax.numpy as jnp
import numpy as np

from jacts import _npz
from jacts._differentiable import prepare
from jacts._formulas_lecture import LECTURE
from jacts._public import PUBLIC
from jacts._rules import ELEMENTWISE, LECTURE_DERIVATIVE_AT_ZERO, LECTURE_SLOPE, RULES
from jacts.shallow import Params

FORMAT = "jacts.shallow"
FORMAT_VERSION = 2  # What save writes.
READ_VERSIONS = (1, 2)  # What load reads: version 1 has no `arguments`.
# Every activation a model file may name: each elementwise rule's public function, in table
# order (softmax, log_softmax and glu mix a row's entries: no hidden activation).
ACTIVATIONS: Mapping[str, Callable] = types.MappingProxyType(
  {name: PUBLIC[name] for name in ELEMENTWISE}
)
# The activation arguments format version 1 stores, each a field of the file and of Model, with
# Model's defaults. They are arguments of the lecture's activations only (relu, leaky_relu);
# sigmoid and tanh store them unused, as version 1 does; every other activation takes its
# arguments from `arguments` and refuses these changed from their defaults.
_STORED_ARGUMENTS = {
  "negative_slope": LECTURE_SLOPE,
  "derivative_at_zero": LECTURE_DERIVATIVE_AT_ZERO,
}
_LECTURE = tuple(rule.name for rule in LECTURE)

# What .npy encodes and JAX computes in: bfloat16 has no .npy descr, longdouble no JAX dtype.
_DTYPES = frozenset(np.dtype(name) for name in ("float16", "float32", "float64"))
_DTYPE_NAMES = "float16, float32 or float64"
# Each field's kind: (what it must be, test of the native dtype and shape its .npy header declares).
_STRING = ("a 0-d unicode string array", lambda dtype, shape: dtype.kind == "U" and shape == ())
_INTEGER = ("a 0-d integer array", lambda dtype, shape: dtype.kind in "iu" and shape == ())
_REAL = (f"a 0-d {_DTYPE_NAMES} array", lambda dtype, shape: dtype in _DTYPES and shape == ())
_WEIGHTS = (f"a {_DTYPE_NAMES} array", lambda dtype, shape: dtype in _DTYPES)
_FIELDS = {
  "format": _STRING,
  "format_version": _INTEGER,
  **dict.fromkeys(Params._fields, _WEIGHTS),
  "activation": _STRING,
  **dict.fromkeys(("negative_slope", "derivative_at_zero"), _REAL),
  "arguments": _STRING,
  **dict.fromkeys(("n_x", "n_h", "n_y"), _INTEGER),
}
_ADDED_IN_VERSION_2 = frozenset({"arguments"})
# A stored argument's value: a number for a parameter or a convention, a bool for an option such
# as GELU's approximate, None for a convention whose default is None (ELU's derivative_at_zero).
Argument = float | bool | None


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
    stored = {**_stored_arguments(self.activation, self), **dict(self.arguments)}
    return functools.partial(function, **stored) if stored else function


def _stored_arguments(activation: str, model: "Model") -> dict[str, float]:
  """The version-1 fields that ``activation`` takes as arguments, by name: relu's and
  leaky_relu's (the other activations' come from ``arguments``)."""
  if activation not in _LECTURE:
    return {}
  takes = RULES[activation].signature.parameters
  return {name: getattr(model, name) for name in _STORED_ARGUMENTS if name in takes}


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
    "arguments": np.array(_encode_arguments(model.arguments)),
    **{name: np.array(size) for name, size in (("n_x", n_x), ("n_h", n_h), ("n_y", n_y))},
  }
  path = pathlib.Path(path)
  _remove_leftovers(path)
  # The PID in the name tells a later save whether the writer may still be at work.
  handle, temporary = tempfile.mkstemp(
    prefix=f".{path.name}.{os.getpid()}.", suffix=".tmp", dir=path.parent
  )
  try:
    os.chmod(temporary, _mode_for(path))  # mkstemp creates it 0600.
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
    model = _checked(_decode(_npz.read(path, _FIELDS, _ADDED_IN_VERSION_2)), stored=True)
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
  params = _checked_params(model.params, name)
  slope = _finite_real(model.negative_slope, name("negative_slope"))
  at_zero = _finite_real(model.derivative_at_zero, name("derivative_at_zero"))
  arguments = _checked_pairs(model.arguments, name("arguments"))
  checked = Model(params, activation, slope, at_zero, arguments)
  _check_legacy_fields(checked, name)
  _check_arguments(activation, _stored_arguments(activation, checked), name)
  _check_given_arguments(activation, arguments, name)
  return checked


def _check_legacy_fields(model: Model, name: Callable[[str], str]) -> None:
  """Refuses a version-1 field changed from its default for an activation outside the
  lecture's four: it would be ignored, or taken for an argument of another meaning (selu's g'(0)
  is not ReLU's)."""
  if model.activation in _LECTURE:
    return
  for field, default in _STORED_ARGUMENTS.items():
    value = getattr(model, field)
    if value == default:
      continue
    users = " and ".join(n for n in _LECTURE if field in RULES[n].signature.parameters)
    if field in RULES[model.activation].signature.parameters:
      instead = f"give {model.activation}'s `{field}` in {name('arguments')}"
    else:
      instead = f"{model.activation} takes no `{field}`"
    raise ValueError(
      f"{name(field)} applies to {users} only (leave it at {default}); {instead}; got {value}."
    )


def _check_given_arguments(
  activation: str, arguments: tuple[tuple[str, Argument], ...], name: Callable[[str], str]
) -> None:
  """Refuses ``arguments`` the activation does not take, or refuses as it would refuse them: the
  activation's own checks run on a dummy z (``jacts._differentiable.prepare``)."""
  if not arguments:
    return
  rule = RULES[activation]
  takes = [n for n in rule.signature.parameters if n != "z"]
  if activation in _LECTURE:  # Their arguments are the version-1 fields.
    takes = [n for n in takes if n not in _STORED_ARGUMENTS]
  for argument, _ in arguments:
    if argument not in takes:
      if argument in _STORED_ARGUMENTS and activation in _LECTURE:
        where = f"{activation}'s `{argument}` is the field {name(argument)}"
      else:
        where = f"{activation} takes {', '.join(f'`{n}`' for n in takes) or 'none'}"
      raise ValueError(f"{name('arguments')}: `{argument}` is not an argument to store; {where}.")
  try:
    prepare(rule, f"jacts.{activation}", _DUMMY_Z, **dict(arguments))
  except (TypeError, ValueError) as error:
    raise type(error)(f"{name('arguments')}: {error}") from None


# The z the activation's checks run on: the stored arguments are Python numbers, whose checks do
# not depend on z's dtype.
_DUMMY_Z = np.zeros((), np.float32)


def _checked_pairs(arguments: Any, name: str) -> tuple[tuple[str, Argument], ...]:
  """``arguments`` (pairs, or a mapping) as sorted (name, float, bool or None) pairs."""
  if isinstance(arguments, Mapping):
    arguments = tuple(arguments.items())
  example = '(("alpha", 0.5),)'
  if not isinstance(arguments, (tuple, list)):
    raise TypeError(f"{name} must be (name, value) pairs, e.g. {example}; got {arguments!r}.")
  pairs = {}
  for pair in arguments:
    if not (isinstance(pair, (tuple, list)) and len(pair) == 2 and isinstance(pair[0], str)):
      raise TypeError(f"{name} must be (name, value) pairs, e.g. {example}; got {pair!r}.")
    argument, value = pair
    if argument in pairs:
      raise ValueError(f"{name} gives `{argument}` twice.")
    pairs[argument] = _argument_value(value, f"{name}: `{argument}`")
  return tuple(sorted(pairs.items()))


def _argument_value(value: Any, name: str) -> Argument:
  """``value`` as a Python float, bool or None, refusing NaN, infinities and anything else."""
  if np.ndim(value) == 0 and hasattr(value, "dtype") and np.dtype(value.dtype).kind in "biuf":
    value = value.item()  # A 0-d NumPy or JAX array, e.g. an alpha that was trained.
  if value is None or isinstance(value, bool):
    return value
  if not isinstance(value, Real):
    given = f"an array of shape {np.shape(value)}" if hasattr(value, "shape") else repr(value)
    raise TypeError(f"{name} must be a finite number, a bool or None; got {given}.")
  try:
    number = float(value)
  except OverflowError:  # An int beyond float's range.
    number = math.inf
  if not math.isfinite(number):
    raise ValueError(f"{name} must be a finite number, a bool or None; got {value}.")
  return number


def _encode_arguments(arguments: tuple[tuple[str, Argument], ...]) -> str:
  """The ``arguments`` field: a JSON object, its names sorted; floats written to round-trip."""
  return json.dumps(dict(arguments), sort_keys=True, allow_nan=False)


def _decode_arguments(text: str) -> tuple[tuple[str, Argument], ...]:
  """The pairs of an ``arguments`` field, refusing what :func:`_encode_arguments` cannot write:
  malformed JSON, another JSON value than an object, a name given twice, NaN or infinities."""
  shown = text if len(text) <= 60 else text[:57] + "..."

  def unique(pairs: list) -> dict:
    names = [n for n, _ in pairs]
    twice = sorted({n for n in names if names.count(n) > 1})
    if twice:
      raise ValueError(f"`arguments` gives `{twice[0]}` twice; got {shown!r}.")
    return dict(pairs)

  try:
    # NaN and Infinity parse as floats, refused below in save's words.
    arguments = json.loads(text, object_pairs_hook=unique)
  except json.JSONDecodeError as error:
    reason = f"{error.msg} at character {error.pos}"
    raise ValueError(f"`arguments` is not valid JSON ({reason}); got {shown!r}.") from None
  except RecursionError:
    raise ValueError(f"`arguments` is nested too deep; got {shown!r}.") from None
  if not isinstance(arguments, dict):
    raise ValueError(
      f'`arguments` must be a JSON object of name: value, e.g. {{"alpha": 0.5}}; got {shown!r}.'
    )
  return _checked_pairs(arguments, "`arguments`")


def _check_arguments(activation: str, given: dict[str, float], name: Callable[[str], str]) -> None:
  """Refuses stored arguments the activation's rule refuses: a parameter out of its range, a
  convention outside the sub-differential at its kink."""
  rule = RULES[activation]
  numbers = [given.get(p.name, p.default) for p in rule.parameters]
  for parameter, value in zip(rule.parameters, numbers, strict=True):
    if not parameter.lowest <= value <= parameter.highest:
      bounds = f"[{parameter.lowest}, {parameter.highest}]"
      raise ValueError(f"{name(parameter.name)} must lie in {bounds}; got {value}.")
  for kink in rule.kinks:
    if kink.argument in given:
      lowest, highest = kink.subdifferential(*numbers)
      if not lowest <= given[kink.argument] <= highest:
        raise ValueError(
          f"{name(kink.argument)} must lie in the sub-differential of {activation} at "
          f"{kink.at:g}, [{lowest}, {highest}]; got {given[kink.argument]}."
        )


def _checked_params(params: Params, name: Callable[[str], str]) -> Params:
  """Returns ``params`` as NumPy arrays, checking each on its own, then how the four fit."""
  if not isinstance(params, Params):
    raise TypeError(f"`model.params` must be a jacts.shallow.Params; got {type(params).__name__}.")
  arrays = {}
  for field, value in zip(Params._fields, params, strict=True):
    if not (hasattr(value, "dtype") and hasattr(value, "shape")):
      raise TypeError(f"{name(field)} must be an array; got {type(value).__name__}.")
    dtype = np.dtype(value.dtype)
    if dtype == jnp.bfloat16:
      raise TypeError(f"{name(field)} is bfloat16, which .npz cannot store: convert to float32.")
    if dtype.newbyteorder("=") not in _DTYPES:
      raise TypeError(f"{name(field)} must be a {_DTYPE_NAMES} array; got {dtype}.")
    arrays[field] = np.asarray(value, dtype.newbyteorder("="))
    if not np.all(np.isfinite(arrays[field])):
      raise ValueError(f"{name(field)} holds NaN or infinite values.")
  dtypes = [str(array.dtype) for array in arrays.values()]
  if len(set(dtypes)) > 1:
    fields = ", ".join(name(field) for field in Params._fields)
    raise TypeError(f"{fields} must share one dtype; got {', '.join(dtypes)}.")
  W1, W2 = arrays["W1"], arrays["W2"]
  if W1.ndim != 2 or W2.ndim != 2 or 0 in W1.shape + W2.shape:
    shapes = f"{W1.shape} and {W2.shape}"
    raise ValueError(f"{name('W1')} and {name('W2')} must be 2-d, sizes >= 1; got {shapes}.")
  (n_h, n_x), n_y = W1.shape, W2.shape[0]
  for field, shape in _shapes(n_x, n_h, n_y).items():
    if arrays[field].shape != shape:
      raise ValueError(f"{name(field)} has shape {arrays[field].shape}; W1 and W2 imply {shape}.")
  return Params(**arrays)  # type: ignore[arg-type]  # NumPy weights: see _checked.


def _finite_real(value: Any, name: str) -> float:
  """Returns ``value`` (a number, or a 0-d real array) as a float, refusing bools, non-numbers,
  NaN and infinities."""
  if np.ndim(value) == 0 and hasattr(value, "dtype") and np.dtype(value.dtype).kind in "iuf":
    value = value.item()  # A 0-d NumPy or JAX array, e.g. a slope that was trained.
  if isinstance(value, bool) or not isinstance(value, Real):
    raise TypeError(f"{name} must be a finite real number; got {value!r}.")
  try:
    number = float(value)
  except OverflowError:  # An int beyond float's range.
    number = math.inf
  if not math.isfinite(number):
    raise ValueError(f"{name} must be a finite real number; got {value}.")
  return number


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
  for field, shape in _shapes(n_x, n_h, n_y).items():
    if arrays[field].shape != shape:
      raise ModelFileError(f"`{field}` has shape {arrays[field].shape}; stored sizes need {shape}")
  # NumPy weights in Params (typed jax.Array for users): load converts them with jnp.asarray.
  weights = Params(*(arrays[field] for field in Params._fields))  # type: ignore[arg-type]
  slope, at_zero = float(arrays["negative_slope"]), float(arrays["derivative_at_zero"])
  arguments = _decode_arguments(str(arrays["arguments"])) if "arguments" in arrays else ()
  return Model(weights, str(arrays["activation"]), slope, at_zero, arguments)


def _shapes(n_x: int, n_h: int, n_y: int) -> dict[str, tuple[int, ...]]:
  """The shape of each weight, as :class:`jacts.shallow.Params` lays them out."""
  return {"W1": (n_h, n_x), "b1": (n_h,), "W2": (n_y, n_h), "b2": (n_y,)}


def _mode_for(path: pathlib.Path) -> int:
  """The permission bits for ``path``: its own if it exists, else what the umask gives."""
  with contextlib.suppress(FileNotFoundError):
    return stat.S_IMODE(os.stat(path).st_mode)
  umask = os.umask(0)  # The only way to read the umask is to set it: put it back at once.
  os.umask(umask)
  return 0o666 & ~umask


def _remove_leftovers(path: pathlib.Path) -> None:
  """Removes the temporary files of saves to ``path`` whose writing process no longer exists."""
  if os.name != "posix":  # os.kill(pid, 0) probes a PID only on POSIX (on Windows it kills).
    return
  pattern = re.compile(re.escape(f".{path.name}.") + r"(\d+)\.[a-z0-9_]+\.tmp")
  try:
    entries = list(os.scandir(path.parent))
  except OSError:  # mkstemp reports a missing or unreadable folder in its own words.
    return
  for entry in entries:
    match = pattern.fullmatch(entry.name)
    if match and entry.is_file(follow_symlinks=False) and not _alive(int(match[1])):
      with contextlib.suppress(OSError):  # Another save may have removed it first.
        os.unlink(entry.path)


def _alive(pid: int) -> bool:
  """Whether process ``pid`` exists; one we may not signal (another user's) counts as alive."""
  try:
    os.kill(pid, 0)
  except ProcessLookupError:
    return False
  except (OSError, OverflowError):  # Unknown: keep the file.
    pass
  return True


def _one_line(error: BaseException) -> str:
  """The error's message on one line (or its type's name, for an empty message)."""
  return " ".join(str(error).split()) or type(error).__name__
