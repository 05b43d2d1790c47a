"""The shallow network's initial parameters: random, or the course's own draws."""

import jax
import jax.numpy as jnp
import numpy as np
from jax.typing import DTypeLike

from jacts import _network_validation, _validation
from jacts._types import Params


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
    scale: the standard deviation of the weights.
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
  _network_validation.check_layer_sizes(function, n_x, n_h, n_y)
  dtype = _validation.floating_dtype(function, "dtype", dtype)
  key_1, key_2 = jax.random.split(key)
  return Params(
    W1=scale * jax.random.normal(key_1, (n_h, n_x), dtype),
    b1=jnp.zeros((n_h,), dtype),
    W2=scale * jax.random.normal(key_2, (n_y, n_h), dtype),
    b2=jnp.zeros((n_y,), dtype),
  )


def lecture_params(
  n_x: int, n_h: int, n_y: int, *, seed: int = 2, dtype: DTypeLike | None = None
) -> Params:
  """The course's initialization, draw for draw.

  A legacy ``np.random.RandomState(seed)``: ``W1 = randn(n_h, n_x) * 0.01`` then
  ``W2 = randn(n_y, n_h) * 0.01``, biases zero, as the course's ``initialize_parameters``.

  Example:
    >>> import jacts.shallow as shallow
    >>> print(shallow.lecture_params(2, 4, 1).W1[0])
    [-0.00416758 -0.00056267]
  """
  function = "jacts.shallow.lecture_params"
  _network_validation.check_layer_sizes(function, n_x, n_h, n_y)
  _network_validation.check_seed(function, seed)
  dtype = _validation.floating_dtype(function, "dtype", dtype)
  rng = np.random.RandomState(seed)
  W1 = rng.randn(n_h, n_x) * 0.01
  W2 = rng.randn(n_y, n_h) * 0.01
  return Params(
    W1=jnp.asarray(W1, dtype),
    b1=jnp.zeros((n_h,), dtype),
    W2=jnp.asarray(W2, dtype),
    b2=jnp.zeros((n_y,), dtype),
  )
