"""Argument checks shared by the public functions.

Each check runs on shapes and dtypes only (or on Python numbers), so it works on tracers too and
raises before anything is compiled.
"""

import functools
import inspect
import math
from collections.abc import Callable
from numbers import Real
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np

FLOATING_DTYPES = "float16, bfloat16, float32 or float64"
# The seeds NumPy's legacy RandomState takes (the course's draws): 0 to 2**32 - 1.
RANDOMSTATE_SEEDS = range(2**32)
# What XLA computes in; NumPy's longdouble, say, is floating but has no JAX dtype.
FLOATING = frozenset(np.dtype(d) for d in (jnp.float16, jnp.bfloat16, jnp.float32, jnp.float64))


def floating_array(function: str, argument: str, x: Any) -> jax.Array:
  """Returns ``x`` as a JAX array, refusing anything that is not real floating point."""
  dtype = _dtype_of(x)
  if dtype not in FLOATING:
    given = type(x).__name__ if dtype is None else str(dtype)
    raise TypeError(
      f"`{function}`: `{argument}` must be a real floating-point array or Python float "
      f"({FLOATING_DTYPES}); got {given}."
    )
  return jnp.asarray(x)


def floating_dtype(function: str, argument: str, dtype: Any) -> np.dtype:
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


def parameter(
  function: str,
  name: str,
  value: Any,
  z: jax.Array,
  lowest: float,
  highest: float,
  above_lowest: bool = False,
) -> jax.Array:
  """Returns a differentiable parameter in ``z``'s dtype, with a shape that broadcasts to ``z``'s
  exactly; a Python number must also be finite and in [lowest, highest] (above ``lowest`` when
  ``above_lowest``)."""
  if isinstance(value, bool) or not (isinstance(value, Real) or _dtype_of(value) is not None):
    raise TypeError(
      f"`{function}`: `{name}` must be a Python float or a floating-point array; "
      f"got {type(value).__name__}."
    )
  if isinstance(value, Real):
    if not math.isfinite(value):
      raise ValueError(f"`{function}`: `{name}` must be finite; got {value}.")
    if above_lowest and value <= lowest:
      raise ValueError(f"`{function}`: `{name}` must be greater than {lowest}; got {value}.")
    if value < lowest or not value <= highest:  # Not `lowest <= value`: numbers.Real has no __ge__.
      raise ValueError(f"`{function}`: `{name}` must lie in [{lowest}, {highest}]; got {value}.")
  else:
    floating_array(function, name, value)
  value = jnp.asarray(value)
  if not broadcasts_to(value.shape, z.shape):
    raise ValueError(
      f"`{function}`: `{name}` must have a shape that broadcasts to the shape of `z` "
      f"{z.shape} without changing it; got shape {value.shape}."
    )
  return value.astype(z.dtype)


def derivative_at_kink(
  function: str,
  argument: str,
  value: Any,
  at: float,
  lowest: float,
  highest: float,
  *,
  may_be_none: bool = False,
) -> float | None:
  """Returns the chosen g' at a kink as a Python float, refusing one outside the
  sub-differential; None where ``may_be_none`` (the rule's own default)."""
  if value is None and may_be_none:
    return None
  if isinstance(value, bool) or not isinstance(value, Real) or not math.isfinite(value):
    raise TypeError(
      f"`{function}`: `{argument}` must be a finite Python number (it is a static "
      f"convention, not a traced value); got {value!r}."
    )
  if value < lowest or not value <= highest:  # Not `lowest <= value`: numbers.Real has no __ge__.
    raise ValueError(
      f"`{function}`: `{argument}` must lie in the sub-differential at z = {at:g}, "
      f"[{lowest}, {highest}]; got {value}."
    )
  return float(value)


def bound_arrays(activation: Callable) -> dict[str, Any]:
  """The array arguments (not z) a ``functools.partial`` binds to an activation, by name."""
  if not isinstance(activation, functools.partial):
    return {}
  bound = inspect.signature(activation.func).bind_partial(*activation.args, **activation.keywords)
  return {
    name: value
    for name, value in bound.arguments.items()
    if name != "z" and np.ndim(value) > 0 and hasattr(value, "shape")
  }


def _dtype_of(x: Any) -> np.dtype | None:
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
