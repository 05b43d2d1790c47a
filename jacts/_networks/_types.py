"""The shallow network's types: its parameters, what its forward pass keeps, its options."""

from typing import Literal, NamedTuple

import jax


class Params(NamedTuple):
  """The network's parameters, weights as (out, in) like the lecture's."""

  W1: jax.Array  # shape=(n_h, n_x)
  b1: jax.Array  # shape=(n_h,)
  W2: jax.Array  # shape=(n_y, n_h)
  b2: jax.Array  # shape=(n_y,)


class Cache(NamedTuple):
  """What the forward pass computed, kept for the backward pass."""

  Z1: jax.Array  # shape=(m, n_h)
  A1: jax.Array  # shape=(m, n_h)
  Z2: jax.Array  # shape=(m, n_y)
  A2: jax.Array  # shape=(m, n_y)


# How a training step computes the gradient: the lecture's backprop by hand, or jax.grad.
Gradients = Literal["manual", "autodiff"]
