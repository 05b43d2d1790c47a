"""Argument checks of ``jacts.multilayer``, run on shapes before tracing.

Label values are checked where they are concrete (NumPy, or a JAX array outside a trace).
"""

import itertools
from collections.abc import Callable, Sequence
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np

from jacts import _validation
from jacts._activations import hidden_activation
from jacts._networks import _checks
from jacts._networks.layers._lecture import Cache, Layer


def check_params(function: str, params: Any) -> np.dtype:
  """Refuses anything but a non-empty tuple of chained :class:`Layer` in one floating dtype."""
  if not isinstance(params, (tuple, list)) or not params:
    raise TypeError(
      f"`{function}`: `params` must be a non-empty tuple of jacts.multilayer.Layer (as "
      f"jacts.multilayer.init_params returns); got {type(params).__name__}."
    )
  for l, layer in enumerate(params):  # noqa: E741 (the layer index)
    if not isinstance(layer, Layer) or not all(hasattr(p, "shape") for p in layer):
      raise TypeError(
        f"`{function}`: `params[{l}]` must be a jacts.multilayer.Layer of two arrays; got "
        f"{type(layer).__name__}."
      )
  shapes = [(tuple(np.shape(layer.W)), tuple(np.shape(layer.b))) for layer in params]
  chained = all(len(W) == 2 and b == W[:1] for W, b in shapes) and all(
    later[0][1] == earlier[0][0] for earlier, later in itertools.pairwise(shapes)
  )
  if not chained:
    raise ValueError(
      f"`{function}`: `params` must have shapes W (n_l, n_(l-1)) and b (n_l,) with each layer's "
      f"input the previous layer's output; got {[{'W': W, 'b': b} for W, b in shapes]}."
    )
  dtypes = {np.dtype(p.dtype) for layer in params for p in layer}
  if len(dtypes) != 1 or next(iter(dtypes)) not in _validation.FLOATING:
    raise TypeError(
      f"`{function}`: `params` must all have one floating dtype ({_validation.FLOATING_DTYPES}); "
      f"got {sorted(str(d) for d in dtypes)}."
    )
  return next(iter(dtypes))


def check_inputs(function: str, params: Sequence[Layer], X: Any, activation: Callable) -> jax.Array:
  """Returns X in the parameters' dtype, for forward and predict (no labels; m = 0 examples is
  fine), or raises naming the argument."""
  dtype = check_params(function, params)
  return _shaped_inputs(function, params, X, activation, allow_empty=True).astype(dtype)


def check_data(
  function: str, params: Sequence[Layer], X: Any, labels: Any, activation: Callable
) -> tuple[jax.Array, jax.Array]:
  """Returns X in the parameters' dtype and the labels (required) as int32, or raises naming the
  argument. X needs at least one example (a mean over none would be NaN)."""
  dtype = check_params(function, params)
  n_y = params[-1].W.shape[0]
  if labels is None:  # Before X is converted: nothing is compiled for a call that cannot run.
    raise TypeError(
      f"`{function}`: `labels` must be an integer array of class indices in [0, {n_y - 1}], "
      f"shape (m,); got None."
    )
  X = _shaped_inputs(function, params, X, activation, allow_empty=False)
  return X.astype(dtype), _checked_labels(function, n_y, labels, X.shape[0])


def _shaped_inputs(
  function: str, params: Sequence[Layer], X: Any, activation: Callable, *, allow_empty: bool
) -> jax.Array:
  """Checks ``activation`` (an elementwise jacts activation) and the shape of X; ``params`` are
  checked already."""
  hidden_activation(function, activation)
  n_x = params[0].W.shape[1]
  X = _checks.numeric_array(function, "X", X)
  if X.ndim != 2 or X.shape[1] != n_x:
    raise ValueError(
      f"`{function}`: `X` must have shape (m, n_x) = (m, {n_x}), one example per row "
      f"(n_x from `params[0].W`); got shape {X.shape}."
    )
  if X.shape[0] == 0 and not allow_empty:
    raise ValueError(f"`{function}`: `X` must hold at least one example; got shape {X.shape}.")
  for layer in params[:-1]:
    _checks.check_activation_parameters(function, activation, X.shape[0], layer.W.shape[0])
  return X


def _checked_labels(function: str, n_y: int, labels: Any, m: int) -> jax.Array:
  """The labels as int32: class indices in [0, n_y), shape (m,); their values where concrete."""
  given = labels
  labels = _checks.numeric_array(function, "labels", labels)
  if not jnp.issubdtype(labels.dtype, jnp.integer):
    raise TypeError(
      f"`{function}`: `labels` must be an integer array of class indices; got dtype {labels.dtype}."
    )
  if labels.shape != (m,):
    raise ValueError(
      f"`{function}`: `labels` must have shape (m,) = ({m},), one class index per row "
      f"of `X`; got shape {labels.shape}."
    )
  if not isinstance(given, jax.core.Tracer):
    values = np.asarray(given)
    if values.size and (values.min() < 0 or values.max() >= n_y):
      raise ValueError(
        f"`{function}`: `labels` must lie in [0, {n_y - 1}] (n_y = {n_y} from "
        f"`params[-1].W`); got values from {values.min()} to {values.max()}."
      )
  return labels.astype(jnp.int32)


def check_cache(function: str, params: Sequence[Layer], cache: Any, X: jax.Array) -> None:
  if not isinstance(cache, Cache):
    raise TypeError(
      f"`{function}`: `cache` must be the Cache that jacts.multilayer.forward returned; got "
      f"{type(cache).__name__}."
    )
  expected = tuple((X.shape[0], layer.W.shape[0]) for layer in params)
  given = tuple(tuple(np.shape(z)) for z in cache.Z), tuple(tuple(np.shape(a)) for a in cache.A)
  if given != (expected, expected):
    raise ValueError(
      f"`{function}`: `cache` must have Z and A of shapes {list(expected)} for these `params` "
      f"and `X`; got Z {list(given[0])} and A {list(given[1])}."
    )


def check_sizes(function: str, sizes: Any) -> tuple[int, ...]:
  """``sizes`` (n_x, n_1, ..., n_L, n_y): at least two positive integers."""
  ok = isinstance(sizes, (tuple, list)) and len(sizes) >= 2
  if ok:
    ok = all(isinstance(n, (int, np.integer)) and not isinstance(n, bool) for n in sizes)
  if not ok or min(sizes) < 1:
    raise ValueError(
      f"`{function}`: `sizes` must be a sequence (n_x, n_1, ..., n_L, n_y) of at least two "
      f"integers >= 1; got {sizes!r}."
    )
  return tuple(int(n) for n in sizes)


def check_batch_size(function: str, batch_size: Any, m: int) -> None:
  _checks.check_positive_int(function, "batch_size", batch_size)
  if batch_size > m:
    raise ValueError(
      f"`{function}`: `batch_size` must be at most the number of examples m = {m} (drawn "
      f"without replacement); got {batch_size}."
    )
