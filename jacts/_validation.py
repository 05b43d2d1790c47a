"""Argument checks shared by the public functions.

Each check runs on shapes and dtypes only (or on Python numbers), so it works on tracers too and
raises before anything is compiled.
"""

import math
from numbers import Real

import jax
import jax.numpy as jnp
import numpy as np

FLOATING_DTYPES = "float16, bfloat16, float32 or float64"
# What XLA computes in; NumPy's longdouble, say, is floating but has no JAX dtype.
FLOATING = frozenset(np.dtype(d) for d in (jnp.float16, jnp.bfloat16, jnp.float32, jnp.float64))


def floating_array(function: str, argument: str, x) -> jax.Array:
  """Returns ``x`` as a JAX array, refusing anything that is not real floating point."""
  dtype = _dtype_of(x)
  if dtype not in FLOATING:
    given = type(x).__name__ if dtype is None else str(dtype)
    raise TypeError(
      f"`{function}`: `{argument}` must be a real floating-point array or Python float "
      f"({FLOATING_DTYPES}); got {given}."
    )
  return jnp.asarray(x)


def floating_dtype(function: str, argument: str, dtype) -> np.dtype:
  """Returns ``dtype`` (None: JAX's default float) as a NumPy dtype, refusing all but FLOATING."""
  if dtype is None:
    return np.dtype(jnp.result_type(float))
  try:
    converted = np.dtype(dtype)
  except TypeError:
    converted = None
  if converted not in FLOATING:
    given = dtype if converted is None else converted
    raise TypeError(
      f"`{function}`: `{argument}` must be a floating dtype ({FLOATING_DTYPES}); got {given}."
    )
  return converted


def negative_slope(function: str, slope, z: jax.Array) -> jax.Array:
  """Returns the leaky slope in ``z``'s dtype, with a shape that broadcasts to ``z``'s exactly."""
  if isinstance(slope, bool) or not (isinstance(slope, Real) or _dtype_of(slope) is not None):
    raise TypeError(
      f"`{function}`: `negative_slope` must be a Python float or a floating-point array; "
      f"got {type(slope).__name__}."
    )
  if isinstance(slope, Real) and not math.isfinite(slope):
    raise ValueError(f"`{function}`: `negative_slope` must be finite; got {slope}.")
  if not isinstance(slope, Real):
    floating_array(function, "negative_slope", slope)
  slope = jnp.asarray(slope)
  if not broadcasts_to(slope.shape, z.shape):
    raise ValueError(
      f"`{function}`: `negative_slope` must have a shape that broadcasts to the shape of `z` "
      f"{z.shape} without changing it; got shape {slope.shape}."
    )
  return slope.astype(z.dtype)


def derivative_at_zero(function: str, value, lowest: float, highest: float) -> float:
  """Returns the chosen g'(0) as a Python float, refusing one outside the sub-differential."""
  if isinstance(value, bool) or not isinstance(value, Real) or not math.isfinite(value):
    raise TypeError(
      f"`{function}`: `derivative_at_zero` must be a finite Python number (it is a static "
      f"convention, not a traced value); got {value!r}."
    )
  if not lowest <= value <= highest:
    raise ValueError(
      f"`{function}`: `derivative_at_zero` must lie in the sub-differential at 0, "
      f"[{lowest}, {highest}]; got {value}."
    )
  return float(value)


def _dtype_of(x):
  if isinstance(x, (bool, complex)):
    return np.dtype(type(x))
  if isinstance(x, float):
    return jnp.result_type(float)
  if isinstance(x, int):
    return np.dtype(int)
  dtype = getattr(x, "dtype", None)
  return None if dtype is None else np.dtype(dtype)


def broadcasts_to(shape: tuple, target: tuple) -> bool:
  try:
    return np.broadcast_shapes(shape, target) == target
  except ValueError:
    return False
