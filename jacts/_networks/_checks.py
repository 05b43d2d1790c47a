"""Argument checks of the shallow network's functions, run on shapes before tracing.

Values (finite inputs, 0/1 labels) are checked where they are concrete: with NumPy for data on
the host or the CPU, else in one small compiled program on the data's device, with one boolean
per check back to the host, never the data.
"""

import functools
from collections.abc import Callable, Iterable
from types import ModuleType
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np
import optax

from jacts import _validation
from jacts._activations import hidden_activation
from jacts._networks._types import Cache, Params


def check_inputs(function: str, params: Params, X: Any, activation: Callable) -> jax.Array:
  """Returns X in the parameters' dtype, for forward and predict (no labels; m = 0 examples is
  fine), or raises naming the argument. X must be finite in that dtype, where it is concrete."""
  check_params(function, params)
  shaped = _shaped_inputs(function, params, X, activation, allow_empty=True)
  dtype = np.dtype(params.W1.dtype)
  _check_values(function, X, None, dtype)
  return shaped.astype(dtype)


def check_data(
  function: str,
  params: Params,
  X: Any,
  Y: Any,
  activation: Callable,
  *,
  check_values: bool = True,
) -> tuple[jax.Array, jax.Array]:
  """Returns X and Y (as (m, n_y)) in the parameters' dtype, or raises naming the argument.

  X needs at least one example (a mean over none would be NaN), and Y is required.
  ``check_values``: whether to check that X is finite in the parameters' dtype and Y holds 0 and
  1 only (where they are concrete).
  """
  check_params(function, params)
  n_y = params.W2.shape[0]
  if Y is None:  # Before X is converted: nothing is compiled for a call that cannot run.
    raise TypeError(
      f"`{function}`: `Y` must be an array of labels in {{0, 1}} of shape (m, n_y) = "
      f"(m, {n_y}){', or (m,)' if n_y == 1 else ''}; got None."
    )
  shaped_X = _shaped_inputs(function, params, X, activation, allow_empty=False)
  shaped_Y = _shaped_labels(function, n_y, Y, shaped_X.shape[0])
  dtype = np.dtype(params.W1.dtype)
  if check_values:
    _check_values(function, X, Y, dtype)
  return shaped_X.astype(dtype), shaped_Y.astype(dtype)


def _shaped_inputs(
  function: str, params: Params, X: Any, activation: Callable, *, allow_empty: bool
) -> jax.Array:
  """Checks ``activation`` (an elementwise jacts activation) and the shape of X; ``params`` are
  checked already."""
  hidden_activation(function, activation)
  n_x, n_h = params.W1.shape[1], params.W1.shape[0]
  X = numeric_array(function, "X", X)
  if X.ndim != 2 or X.shape[1] != n_x:
    raise ValueError(
      f"`{function}`: `X` must have shape (m, n_x) = (m, {n_x}), one example per row "
      f"(n_x from `params.W1`); got shape {X.shape}."
    )
  if X.shape[0] == 0 and not allow_empty:
    raise ValueError(f"`{function}`: `X` must hold at least one example; got shape {X.shape}.")
  check_activation_parameters(function, activation, X.shape[0], n_h)
  return X


def _shaped_labels(function: str, n_y: int, Y: Any, m: int) -> jax.Array:
  """Y as (m, n_y): refuses another shape, or another number of rows than X's m."""
  Y = numeric_array(function, "Y", Y)
  if Y.ndim == 1 and n_y == 1:
    Y = Y[:, None]
  if Y.ndim != 2 or Y.shape[1] != n_y:
    raise ValueError(
      f"`{function}`: `Y` must have shape (m, n_y) = (m, {n_y}), or (m,) when n_y = 1 "
      f"(n_y from `params.W2`); got shape {Y.shape}."
    )
  if Y.shape[0] != m:
    raise ValueError(
      f"`{function}`: `X` and `Y` must have the same number of rows (examples); got "
      f"{m} and {Y.shape[0]}."
    )
  return Y


def _check_values(function: str, X: Any, Y: Any, dtype: np.dtype) -> None:
  """X finite in ``dtype``, Y in {0, 1}: both checked at once, where concrete."""
  if isinstance(X, jax.core.Tracer):
    X = None
  if isinstance(Y, jax.core.Tracer):
    Y = None
  if X is None and Y is None:
    return
  if _on_the_host(X) and _on_the_host(Y):  # NumPy, or the CPU: no program to compile.
    with np.errstate(over="ignore"):  # Overflow in the cast is what is checked for.
      x_ok, y_ok = _values_hold(np, X, Y, dtype)
  else:
    with jax.ensure_compile_time_eval():  # Also while tracing, for captured concrete data.
      x_ok, y_ok = (bool(ok) for ok in _values_hold_on_device(X, Y, dtype))
  if not x_ok:
    given = np.asarray(X)
    if np.all(np.isfinite(given)):
      raise ValueError(
        f"`{function}`: `X` must fit in the parameters' dtype {dtype}; got values beyond its "
        f"range (largest magnitude {np.max(np.abs(given)):g})."
      )
    raise ValueError(f"`{function}`: `X` must be finite; got NaN or infinite values.")
  if not y_ok:
    labels = np.unique(np.asarray(Y))
    raise ValueError(f"`{function}`: `Y` must hold labels 0 and 1 only; got {_preview(labels)}.")


def _values_hold(xnp: ModuleType, X: Any, Y: Any, dtype: np.dtype) -> tuple[Any, Any]:
  """(X finite once in ``dtype``, Y in {0, 1}), with ``xnp`` NumPy or jax.numpy."""
  x_ok = True if X is None else xnp.all(xnp.isfinite(xnp.asarray(X).astype(dtype)))
  y_ok = True if Y is None else xnp.all((xnp.asarray(Y) == 0) | (xnp.asarray(Y) == 1))
  return x_ok, y_ok


def _on_the_host(x: Any) -> bool:
  """Whether NumPy can read ``x`` where it is: not an array on an accelerator."""
  if not isinstance(x, jax.Array):
    return True
  return x.is_fully_addressable and all(d.platform == "cpu" for d in x.devices())


# On an accelerator: one small program on the data's device, one boolean each to the host, never
# the data. (It costs a compilation, about 70 ms on the CPU, where NumPy reads the data in place.)
_values_hold_on_device = jax.jit(functools.partial(_values_hold, jnp), static_argnums=2)


def check_params(function: str, params: Any) -> None:
  if not isinstance(params, Params):
    raise TypeError(
      f"`{function}`: `params` must be a jacts.shallow.Params; got {type(params).__name__}."
    )
  for name, p in zip(Params._fields, params, strict=True):
    if not hasattr(p, "shape") or not hasattr(p, "dtype"):
      raise TypeError(
        f"`{function}`: `params.{name}` must be an array (jax.Array or numpy.ndarray); got "
        f"{type(p).__name__}."
      )
  shapes = tuple(np.shape(p) for p in params)
  W1, b1, W2, b2 = shapes
  if len(W1) != 2 or len(W2) != 2 or b1 != W1[:1] or b2 != W2[:1] or W2[1:] != W1[:1]:
    raise ValueError(
      f"`{function}`: `params` must have shapes W1 (n_h, n_x), b1 (n_h,), W2 (n_y, n_h), "
      f"b2 (n_y,); got {dict(zip(Params._fields, shapes, strict=True))}."
    )
  dtypes = {np.dtype(p.dtype) for p in params}
  if len(dtypes) != 1 or next(iter(dtypes)) not in _validation.FLOATING:
    raise TypeError(
      f"`{function}`: `params` must all have one floating dtype ({_validation.FLOATING_DTYPES}); "
      f"got {sorted(str(d) for d in dtypes)}."
    )


def check_activation_parameters(function: str, activation: Callable, m: int, n_h: int) -> None:
  """Refuses array arguments of ``activation`` that do not broadcast to Z1's shape (m, n_h)."""
  for name, value in _validation.bound_arrays(activation).items():
    shape = np.shape(value)
    if len(shape) > 2 or not _validation.broadcasts_to(shape, (m, n_h)):
      raise ValueError(
        f"`{function}`: the `{name}` bound to `activation` must have a shape that broadcasts to "
        f"the hidden layer's (m, n_h) = {(m, n_h)} (a scalar, one value per hidden unit (n_h,), "
        f"or (m, n_h)); got shape {shape}."
      )


def check_same_layout(function: str, networks: Iterable[Params]) -> None:
  layouts = {(p.W1.shape[1], p.W2.shape[0], str(jnp.result_type(p.W1))) for p in networks}
  if len(layouts) != 1:
    raise ValueError(
      f"`{function}`: every network in `networks` must have the same n_x, n_y and dtype "
      f"(they train on the same data); got (n_x, n_y, dtype) in {sorted(layouts)}."
    )


def check_cache(params: Params, cache: Any, X: jax.Array) -> None:
  if not isinstance(cache, Cache):
    raise TypeError(
      "`jacts.shallow.backward`: `cache` must be the Cache that jacts.shallow.forward "
      f"returned; got {type(cache).__name__}."
    )
  m, n_h, n_y = X.shape[0], params.W1.shape[0], params.W2.shape[0]
  expected = ((m, n_h), (m, n_h), (m, n_y), (m, n_y))
  given = tuple(np.shape(c) for c in cache)
  if given != expected:
    raise ValueError(
      f"`jacts.shallow.backward`: `cache` must have shapes Z1, A1 {(m, n_h)} and Z2, A2 "
      f"{(m, n_y)} for these `params` and `X`; got {given}."
    )


def check_training(function: str, optimizer: Any, gradients: Any) -> None:
  """Checks the optimizer and the choice of gradients."""
  if not isinstance(optimizer, optax.GradientTransformation):
    raise TypeError(
      f"`{function}`: `optimizer` must be an optax.GradientTransformation (e.g. "
      f"optax.sgd(1.2)); got {type(optimizer).__name__}."
    )
  if gradients not in ("manual", "autodiff"):
    raise ValueError(
      f"`{function}`: `gradients` must be 'manual' or 'autodiff'; got {gradients!r}."
    )


def check_layer_sizes(function: str, n_x: Any, n_h: Any, n_y: Any) -> None:
  for name, size in (("n_x", n_x), ("n_h", n_h), ("n_y", n_y)):
    check_positive_int(function, name, size)


def check_schedule(function: str, steps: Any, log_every: Any) -> None:
  check_positive_int(function, "steps", steps, allow_zero=True)
  check_positive_int(function, "log_every", log_every)


def check_seed(function: str, seed: Any) -> None:
  integer = isinstance(seed, (int, np.integer)) and not isinstance(seed, bool)
  if not integer or seed not in _validation.RANDOMSTATE_SEEDS:
    raise ValueError(
      f"`{function}`: `seed` must be an integer in [0, 2**32 - 1] (NumPy's RandomState); "
      f"got {seed!r}."
    )


def check_key(function: str, key: Any) -> None:
  """Refuses anything but one ``jax.random`` key, as ``jax.random.split`` takes it: a typed key
  of shape (), or a raw uint32 key of the default implementation's shape ((2,) for threefry)."""
  dtype = getattr(key, "dtype", None)
  typed = dtype is not None and jnp.issubdtype(dtype, jax.dtypes.prng_key)
  if not typed and dtype != np.uint32:
    given = f"{key!r:.60}" if dtype is None else f"an array of dtype {dtype}, shape {np.shape(key)}"
    raise TypeError(
      f"`{function}`: `key` must be a jax.random key (jax.random.key(seed)); got {given}."
    )
  raw = jax.eval_shape(jax.random.PRNGKey, 0).shape  # No computation: the shape alone.
  if np.shape(key) != (() if typed else raw):
    kind = "a key array" if typed else "a uint32 array"
    raise ValueError(
      f"`{function}`: `key` must be one jax.random key, of shape () (a raw uint32 key: {raw}); "
      f"got {kind} of shape {np.shape(key)} (pass one key, or jax.vmap over several)."
    )


def check_positive_int(function: str, name: str, value: Any, *, allow_zero: bool = False) -> None:
  lowest = 0 if allow_zero else 1
  if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < lowest:
    raise ValueError(f"`{function}`: `{name}` must be an integer >= {lowest}; got {value!r}.")


def numeric_array(function: str, argument: str, x: Any) -> jax.Array:
  if x is None:
    raise TypeError(f"`{function}`: `{argument}` must be an array; got None.")
  if not hasattr(x, "shape"):
    try:
      x = np.asarray(x)
    except (TypeError, ValueError) as error:
      raise TypeError(
        f"`{function}`: `{argument}` must be an array; got {type(x).__name__}."
      ) from error
  dtype = np.dtype(x.dtype)
  if not (dtype in _validation.FLOATING or jnp.issubdtype(dtype, jnp.integer) or dtype == np.bool_):
    raise TypeError(
      f"`{function}`: `{argument}` must be a real numeric array; got dtype {dtype} (XLA computes "
      f"in integers, bool, {_validation.FLOATING_DTYPES})."
    )
  with np.errstate(over="ignore"):  # Out-of-range values are reported by the value check.
    return jnp.asarray(x)


def _preview(values: np.ndarray) -> str:
  shown = ", ".join(f"{v:g}" for v in values[:5])
  return f"{shown}{', ...' if len(values) > 5 else ''}"
