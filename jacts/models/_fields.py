"""The fields of a saved model (:mod:`jacts.models`): each one's kind, the weights' dtypes and
shapes, and the checks of the weights and the numbers."""

import math
from collections.abc import Callable
from numbers import Real
from typing import Any

import jax.numpy as jnp
import numpy as np

from jacts.shallow import Params

# What .npy encodes and JAX computes in: bfloat16 has no .npy descr, longdouble no JAX dtype.
_DTYPES = frozenset(np.dtype(name) for name in ("float16", "float32", "float64"))
_DTYPE_NAMES = "float16, float32 or float64"
# Each field's kind: (what it must be, test of the native dtype and shape its .npy header declares).
_STRING = ("a 0-d unicode string array", lambda dtype, shape: dtype.kind == "U" and shape == ())
_INTEGER = ("a 0-d integer array", lambda dtype, shape: dtype.kind in "iu" and shape == ())
_REAL = (f"a 0-d {_DTYPE_NAMES} array", lambda dtype, shape: dtype in _DTYPES and shape == ())
_WEIGHTS = (f"a {_DTYPE_NAMES} array", lambda dtype, shape: dtype in _DTYPES)
FIELDS = {
  "format": _STRING,
  "format_version": _INTEGER,
  **dict.fromkeys(Params._fields, _WEIGHTS),
  "activation": _STRING,
  **dict.fromkeys(("negative_slope", "derivative_at_zero"), _REAL),
  "arguments": _STRING,
  **dict.fromkeys(("n_x", "n_h", "n_y"), _INTEGER),
}
ADDED_IN_VERSION_2 = frozenset({"arguments"})


def checked_params(params: Params, name: Callable[[str], str]) -> Params:
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
  for field, shape in weight_shapes(n_x, n_h, n_y).items():
    if arrays[field].shape != shape:
      raise ValueError(f"{name(field)} has shape {arrays[field].shape}; W1 and W2 imply {shape}.")
  return Params(**arrays)  # type: ignore[arg-type]  # NumPy weights: see models._files._checked.


def finite_real(value: Any, name: str) -> float:
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


def weight_shapes(n_x: int, n_h: int, n_y: int) -> dict[str, tuple[int, ...]]:
  """The shape of each weight, as :class:`jacts.shallow.Params` lays them out."""
  return {"W1": (n_h, n_x), "b1": (n_h,), "W2": (n_y, n_h), "b2": (n_y,)}
