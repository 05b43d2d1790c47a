"""The checks of the ReLU'(0) study's arguments (:mod:`jacts.study`): each error names the public
function and the argument as the user wrote them."""

from collections.abc import Iterable
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np
from jax.typing import ArrayLike

DTYPES = ("bfloat16", "float16", "float32", "float64")


def check_data(
  function: str,
  X: ArrayLike,
  labels: ArrayLike,
  dtypes: tuple[str, ...],
  x_name: str = "X",
  labels_name: str = "labels",
) -> tuple[jax.Array, jax.Array, int]:
  """X as float32 and the labels as int32, with the number of classes; X must be finite and fit
  in float32 (where the study keeps it) and in each of ``dtypes`` (where it is rounded to)."""
  X, labels = np.asarray(X), np.asarray(labels)
  if X.ndim != 2 or X.shape[0] == 0 or not np.issubdtype(X.dtype, np.floating):
    raise ValueError(
      f"`{function}`: `{x_name}` must be a floating array of shape (m, n_x) with m >= 1; got "
      f"{X.dtype} of shape {X.shape}."
    )
  check_finite(function, x_name, X, dtypes)
  if labels.shape != (X.shape[0],) or not np.issubdtype(labels.dtype, np.integer):
    raise ValueError(
      f"`{function}`: `{labels_name}` must be integer class indices of shape ({X.shape[0]},); "
      f"got {labels.dtype} of shape {labels.shape}."
    )
  if labels.min() < 0:
    raise ValueError(f"`{function}`: `{labels_name}` must be >= 0; got {labels.min()}.")
  return jnp.asarray(X, jnp.float32), jnp.asarray(labels, jnp.int32), int(labels.max()) + 1


def check_finite(function: str, name: str, X: np.ndarray, dtypes: tuple[str, ...]) -> None:
  """Refuses NaN and infinities in X, and values that would round to infinity in float32 or in
  one of ``dtypes`` (float16 beyond 65504): each would turn the gradients NaN, which no
  measurement can read (a NaN against a NaN counts as no differing draw)."""
  if not np.all(np.isfinite(X)):
    raise ValueError(f"`{function}`: `{name}` must be finite; got NaN or infinite values.")
  largest = float(np.max(np.abs(X)))
  for dtype in ("float32", *dtypes):  # Kept in float32, then rounded to each dtype studied.
    highest = float(jnp.finfo(dtype).max)
    if largest > highest:
      raise ValueError(
        f"`{function}`: `{name}` must fit in {dtype}, a dtype the study computes in (largest "
        f"magnitude {highest:g}); got values up to {largest:g}."
      )


def check_dtypes(function: str, dtypes: str | Iterable[str]) -> tuple[str, ...]:
  names = (dtypes,) if isinstance(dtypes, str) else tuple(dtypes)
  unknown = [d for d in names if d not in DTYPES]
  if unknown or not names:
    raise ValueError(
      f"`{function}`: `dtypes` must name some of {', '.join(DTYPES)}; got {list(names)}."
    )
  return names


def check_widths(function: str, widths: Iterable[int]) -> tuple[int, ...]:
  widths = tuple(widths)
  if not widths or any(isinstance(w, bool) or not isinstance(w, (int, np.integer)) or w < 1
                       for w in widths):  # fmt: skip
    raise ValueError(f"`{function}`: `widths` must be integers >= 1; got {list(widths)}.")
  return widths


def check_conventions(function: str, conventions: Iterable[float]) -> tuple[float, ...]:
  values = tuple(conventions)
  if not values or any(isinstance(d, bool) or not isinstance(d, (int, float)) or not 0 <= d <= 1
                       for d in values):  # fmt: skip
    raise ValueError(
      f"`{function}`: `conventions` must be ReLU'(0) values in [0, 1]; got {list(values)}."
    )
  return tuple(float(d) for d in values)


def check_choice(function: str, name: str, value: Any, choices: tuple[str, ...]) -> None:
  if not isinstance(value, str) or value not in choices:
    raise ValueError(f"`{function}`: `{name}` must be one of {', '.join(choices)}; got {value!r}.")


def check_positive(function: str, name: str, value: Any) -> None:
  if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
    raise ValueError(f"`{function}`: `{name}` must be an integer >= 1; got {value!r}.")


def check_batch_size(function: str, batch_size: Any, m: int) -> None:
  check_positive(function, "batch_size", batch_size)
  if batch_size > m:
    raise ValueError(
      f"`{function}`: `batch_size` must be at most the {m} training rows (drawn without "
      f"replacement); got {batch_size}."
    )
