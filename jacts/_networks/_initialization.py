"""The shallow network's initial parameters: random, or the course's own draws."""

import math
from numbers import Real
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np
from jax.typing import DTypeLike

from jacts import _validation
from jacts._networks import _checks
from jacts._networks._types import Params


def init_params(
  key: jax.Array,
  n_x: int,
  n_h: int,
  n_y: int,
  *,
  scale: float = 0.01,
  dtype: DTypeLike | None = None,
) -> Params:
  """Small random weights and zero biases.

  The weights must be random: with equal (say zero) weights every hidden unit computes the same
  function and receives the same gradient, so the units stay identical forever and the layer
  acts as one unit. Zero biases are fine once the weights differ. They are small so that tanh
  and sigmoid start in their linear region, where g'(z) is near its largest.

  Args:
    key: a ``jax.random`` key.
    n_x: number of input features.
    n_h: number of hidden units.
    n_y: number of outputs (1 for binary classification).
    scale: the standard deviation of the weights: a finite real number > 0 that stays finite
      in ``dtype`` (a Python or NumPy number, or a 0-d array outside a trace).
    dtype: the parameters' dtype; default float32 (float64 under ``jax_enable_x64``).

  Returns:
    ``Params`` with W1 (n_h, n_x), b1 (n_h,), W2 (n_y, n_h), b2 (n_y,).

  Example:
    >>> import jax, jacts.shallow as shallow
    >>> params = shallow.init_params(jax.random.key(0), n_x=2, n_h=4, n_y=1)
    >>> [p.shape for p in params]
    [(4, 2), (4,), (1, 4), (1,)]
  """
  function = "jacts.shallow.init_params"
  _checks.check_key(function, key)
  _checks.check_layer_sizes(function, n_x, n_h, n_y)
  dtype = _validation.floating_dtype(function, "dtype", dtype)
  scale = _checked_scale(function, scale, dtype)
  key_1, key_2 = jax.random.split(key)
  return Params(
    W1=scale * jax.random.normal(key_1, (n_h, n_x), dtype),
    b1=jnp.zeros((n_h,), dtype),
    W2=scale * jax.random.normal(key_2, (n_y, n_h), dtype),
    b2=jnp.zeros((n_y,), dtype),
  )


def _checked_scale(function: str, scale: Any, dtype: np.dtype) -> float:
  """``scale`` as a Python float (so that it keeps the weights' dtype), refusing bools,
  non-numbers, NaN, infinities, values <= 0 (equal weights) and values beyond ``dtype``."""
  concrete = not isinstance(scale, jax.core.Tracer)
  if concrete and np.ndim(scale) == 0 and np.dtype(getattr(scale, "dtype", object)).kind in "iuf":
    scale = scale.item()  # A 0-d NumPy or JAX array of a real dtype.
  if isinstance(scale, bool) or not isinstance(scale, Real):
    raise TypeError(
      f"`{function}`: `scale` must be a finite real number > 0, the weights' standard "
      f"deviation; got {scale!r:.80}."
    )
  try:
    number = float(scale)
  except OverflowError:  # An int beyond float's range.
    number = math.inf
  if not 0 < number <= float(jnp.finfo(dtype).max):
    raise ValueError(
      f"`{function}`: `scale` must be a finite real number > 0 (the weights' standard deviation) "
      f"within the range of {dtype}; got {scale!r:.80}."
    )
  return number


def lecture_params(
  n_x: int,
  n_h: int,
  n_y: int,
  *,
  seed: int = 2,
  scale: float = 0.01,
  dtype: DTypeLike | None = None,
) -> Params:
  """The course's initialization, draw for draw.

  A legacy ``np.random.RandomState(seed)``: ``W1 = randn(n_h, n_x) * 0.01`` then
  ``W2 = randn(n_y, n_h) * 0.01``, biases zero, as the course's ``initialize_parameters``.
  ``scale`` replaces the 0.01: activations that are linear near 0 (ReLU, hard-tanh) leave a
  network of 0.01-weights a linear model for a long time, and train better from larger ones.

  Example:
    >>> import jacts.shallow as shallow
    >>> print(shallow.lecture_params(2, 4, 1).W1[0])
    [-0.00416758 -0.00056267]
  """
  function = "jacts.shallow.lecture_params"
  _checks.check_layer_sizes(function, n_x, n_h, n_y)
  _checks.check_seed(function, seed)
  dtype = _validation.floating_dtype(function, "dtype", dtype)
  scale = _checked_scale(function, scale, dtype)
  rng = np.random.RandomState(seed)
  W1 = rng.randn(n_h, n_x) * scale
  W2 = rng.randn(n_y, n_h) * scale
  return Params(
    W1=jnp.asarray(W1, dtype),
    b1=jnp.zeros((n_h,), dtype),
    W2=jnp.asarray(W2, dtype),
    b2=jnp.zeros((n_y,), dtype),
  )
