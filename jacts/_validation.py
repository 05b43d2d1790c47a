"""Argument checks shared by the public functions.

Each check runs on shapes and dtypes only (or on Python numbers), so it works on tracers too and
raises before anything is compiled.
"""

import functools
import inspect
import math
import warnings
from collections.abc import Callable
from numbers import Real
from typing import Any, NamedTuple, NoReturn

import jax
import jax.numpy as jnp
import numpy as np
from jax._src.lax.lax import _convert_element_type  # The one way to mark an array weakly typed.

from jacts._catalogue import RANDOMSTATE_SEEDS as RANDOMSTATE_SEEDS

FLOATING_DTYPES = "float16, bfloat16, float32 or float64"
# What XLA computes in; NumPy's longdouble, say, is floating but has no JAX dtype.
FLOATING = frozenset(np.dtype(d) for d in (jnp.float16, jnp.bfloat16, jnp.float32, jnp.float64))


class Input(NamedTuple):
  """An activation's input as jacts computes it, and the output type jax.nn would give."""

  x: jax.Array  # In the dtype to compute in, never weakly typed (the rules make constants of it).
  weak: bool  # Whether jax.nn's result is weakly typed (a Python float, or a weak array, given).
  integer: bool  # Whether jax.nn's result is an integer array (relu of an int): nothing to derive.


def activation_input(function: str, argument: str, x: Any, name: str) -> Input:
  """``x`` as the activation ``name`` computes it, accepting what jax.nn's namesake accepts.

  Floating arrays keep their dtype. A Python number, an integer or a bool array is computed in
  the dtype jax.nn.<name> gives for it (the default float type, or the integers themselves for
  relu, hard_tanh and identity), and the result is weakly typed exactly where jax.nn's is. What
  jax.nn refuses (integers for sigmoid or silu, say) and complex numbers are refused here, naming
  ``argument``.
  """
  dtype = _dtype_of(x)
  if dtype is None or not (dtype in FLOATING or dtype.kind in "biu"):
    _refuse(function, argument, type(x).__name__ if dtype is None else str(dtype))
  try:
    x = jnp.asarray(x)
  except OverflowError:  # A Python int beyond int32 (int64 under x64), as jax.nn's refusal.
    _refuse(function, argument, f"{str(x)[:24]}, an integer too large for {jnp.result_type(int)}")
  weak = bool(x.aval.weak_type)
  if dtype in FLOATING and not weak:
    return Input(x, False, False)
  result = _jax_nn_result(name, x.dtype, weak, jnp.result_type(float), _promotion())
  if result is None:
    if dtype in FLOATING:  # jax.nn refuses the shape (softmax of a scalar): jacts' checks say so.
      return Input(_strong(x, x.dtype), weak, False)
    _refuse(function, argument, f"{x.dtype}, which jax.nn.{name} refuses too")
  result_dtype, result_weak = result
  integer = result_dtype not in FLOATING
  return Input(x if integer else _strong(x, result_dtype), result_weak, integer)


def _refuse(function: str, argument: str, given: str) -> NoReturn:
  raise TypeError(
    f"`{function}`: `{argument}` must be a real floating-point array or Python float "
    f"({FLOATING_DTYPES}), or an integer array or Python number that jax.nn accepts; "
    f"got {given}."
  )


@functools.cache
def _jax_nn_result(
  name: str, dtype: np.dtype, weak: bool, default_float: np.dtype, promotion: str
) -> tuple[np.dtype, bool] | None:
  """The dtype and weak type of jax.nn.<name>'s result for such an input; None if it refuses
  one. (The default float type and the promotion mode, which decide it, key the cache.)"""
  del default_float, promotion
  given = jax.ShapeDtypeStruct((2,), dtype, weak_type=weak)
  try:
    with warnings.catch_warnings():  # jax.nn's own (its softmax casts -inf to integers).
      warnings.simplefilter("ignore")
      result = jax.eval_shape(getattr(jax.nn, name), given)
  except (TypeError, ValueError):
    return None
  return np.dtype(result.dtype), bool(result.weak_type)


def _promotion() -> str:
  # The thread's mode, jax.numpy_dtype_promotion(...) included (mypy does not see the attribute).
  return str(getattr(jax.config, "jax_numpy_dtype_promotion"))  # noqa: B009


def _strong(x: jax.Array, dtype: np.dtype) -> jax.Array:
  """``x`` in ``dtype``, not weakly typed."""
  return jax.lax.convert_element_type(x, dtype)


def weakly_typed(x: jax.Array) -> jax.Array:
  """``x`` marked weakly typed, as jax.nn's result for a Python float is: the same values, and
  a conversion that XLA compiles to nothing (differentiable, as any conversion)."""
  return _convert_element_type(x, x.dtype, weak_type=True)


def real_number(function: str, argument: str, value: Real) -> float:
  """``value`` as a float, refusing an int too large for one (10**400) with an error naming
  ``argument``, where float() would raise a bare OverflowError."""
  try:
    return float(value)
  except OverflowError:
    raise ValueError(
      f"`{function}`: `{argument}` must be a finite number; got an integer too large for a "
      f"float ({str(value)[:12]}..., {len(str(abs(value)))} digits)."
    ) from None


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
    if not math.isfinite(real_number(function, name, value)):
      raise ValueError(f"`{function}`: `{name}` must be finite; got {value}.")
    if above_lowest and value <= lowest:
      raise ValueError(f"`{function}`: `{name}` must be greater than {lowest}; got {value}.")
    if value < lowest or not value <= highest:  # Not `lowest <= value`: numbers.Real has no __ge__.
      raise ValueError(f"`{function}`: `{name}` must lie in [{lowest}, {highest}]; got {value}.")
  elif _dtype_of(value) not in FLOATING:
    raise TypeError(
      f"`{function}`: `{name}` must be a Python float or a floating-point array "
      f"({FLOATING_DTYPES}); got {_dtype_of(value)}."
    )
  value = jnp.asarray(value)
  if not broadcasts_to(value.shape, z.shape):
    raise ValueError(
      f"`{function}`: `{name}` must have a shape that broadcasts to the shape of `x` "
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
  if isinstance(value, bool) or not isinstance(value, Real):
    raise TypeError(
      f"`{function}`: `{argument}` must be a finite Python number (it is a static "
      f"convention, not a traced value); got {value!r}."
    )
  if not math.isfinite(real_number(function, argument, value)):
    raise TypeError(f"`{function}`: `{argument}` must be a finite Python number; got {value!r}.")
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
    if name != "x" and np.ndim(value) > 0 and hasattr(value, "shape")
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
