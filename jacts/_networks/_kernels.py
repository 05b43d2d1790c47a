"""The speed tricks behind the lecture's equations, each measured (``benchmarks/run.py``).

The equations (``_lecture.py``) are written in the lecture's own layout, examples along the last
axis: X (n_x, m), Z1 and A1 (n_h, m), Z2, A2 and Y (n_y, m). That puts the m examples along the
CPU's vector lanes; with examples as rows the n_h = 4 hidden units of the lecture's network
fill 4 of 16 lanes and training is 2.2x slower (the planar rows; measured when the layout was
chosen). The public functions transpose at the boundary.
"""

import functools
from collections.abc import Callable
from typing import NamedTuple

import jax
import jax.numpy as jnp

from jacts._activations import known_activation
from jacts._validation import bound_arrays

# Training steps per loop iteration: 4 saves about 8 % of a planar step, where the loop's own
# overhead shows ("jacts fit, 10000 steps"). Each unrolled step is compiled again, and compiling
# is most of a one-shot call ("Time to first result"): 8 saved 4 % more but added 0.27 s to it
# (measured when each chunk of log_every steps compiled a logged step of its own; see
# training_loop).
UNROLL = 4


class Batch(NamedTuple):
  """The training data in column layout, built once per training run (outside the loop)."""

  X_and_ones: jax.Array  # shape=(n_x + 1, m): [X; 1], see weight_and_bias_gradients.
  Y: jax.Array  # shape=(n_y, m).
  # Data-parallel training pads m to a multiple of the device count: then mask is 1 for the
  # real_examples given examples and 0 for the padding, which must not count in sums or means.
  # (Not named `count`: a NamedTuple field may not shadow tuple.count.)
  mask: jax.Array | None = None  # shape=(1, m).
  real_examples: int | None = None

  @property
  def X(self) -> jax.Array:
    return self.X_and_ones[:-1]

  @property
  def m(self) -> int:
    return self.Y.shape[1] if self.real_examples is None else self.real_examples

  def masked(self, per_example: jax.Array) -> jax.Array:
    return per_example if self.mask is None else per_example * self.mask


def batch(
  X: jax.Array, Y: jax.Array, mask: jax.Array | None = None, count: int | None = None
) -> Batch:
  """X (m, n_x) and Y (m, n_y), examples as rows, as a column-layout :class:`Batch`."""
  Xt = X.T
  return Batch(jnp.concatenate([Xt, jnp.ones((1, Xt.shape[1]), Xt.dtype)]), Y.T, mask, count)


def matmul(W: jax.Array, A: jax.Array) -> jax.Array:
  """``W @ A``; written as k multiply-adds when the contracted size k is at most 8.

  XLA fuses those into the kernel that consumes the product (here the activation), where a dot
  would be a kernel of its own: about 15 % of a planar step, at the lecture's n_x = 2.
  """
  if W.shape[1] > 8:
    return W @ A
  terms = (W[:, k : k + 1] * A[k : k + 1] for k in range(W.shape[1]))
  return functools.reduce(jnp.add, terms)


def weight_and_bias_gradients(
  dZ: jax.Array, inputs_and_ones: jax.Array, m: int
) -> tuple[jax.Array, jax.Array]:
  """dW = dZ Aᵀ / m and db = Σ dZ / m, for a layer whose inputs are A.

  One product with [A; 1] gives both: one kernel, not a product and a reduction (planar rows).
  """
  dW_and_db = dZ @ inputs_and_ones.T / m
  return dW_and_db[:, :-1], dW_and_db[:, -1]


def output_layer_as_sums(n_y: int, activation: Callable) -> bool:
  """Whether to write the output layer's products (n_y = 1) as sums XLA fuses with g(Z1).

  Where g' is read from Z1 (ReLU, leaky ReLU), A1 itself need not be stored: as sums, XLA
  recomputes the cheap g(Z1) inside them instead of writing and re-reading an (n_h, m) array
  (ReLU step at n_h = 1024, m = 8192: 101 -> 84 ms, "training step, relu"). tanh and sigmoid
  keep A1 for g'(Z1) = f(A1) anyway and would only recompute an expensive function.
  """
  return n_y == 1 and known_activation(activation).rule.derivative_from_output is None


def output_logits(W2: jax.Array, A1: jax.Array, b2: jax.Array, as_sums: bool) -> jax.Array:
  """Z2 = W2 A1 + b2, as a product or as sums (see :func:`output_layer_as_sums`)."""
  if as_sums:
    return jnp.sum(W2.T * A1, axis=0, keepdims=True) + b2[:, None]
  return matmul(W2, A1) + b2[:, None]


def output_weight_gradient(dZ2: jax.Array, A1: jax.Array, m: int, as_sums: bool) -> jax.Array:
  """dW2 = dZ2 A1ᵀ / m, as a product or as sums (see :func:`output_layer_as_sums`)."""
  if as_sums:
    return jnp.sum(dZ2 * A1, axis=1)[None, :] / m
  return dZ2 @ A1.T / m


def in_column_layout(activation: Callable) -> Callable:
  """``activation`` with its bound array arguments laid out as Z1 is here, (n_h, m).

  A user gives per-unit parameters in their layout, (n_h,) or (m, n_h) against Z1 (m, n_h);
  broadcast against the transposed Z1 as they are, an (n_h,) slope would apply per example.
  """
  arrays = bound_arrays(activation)
  if not arrays:
    return activation
  as_columns = {name: jnp.reshape(v, (1,) * (2 - v.ndim) + v.shape).T for name, v in arrays.items()}
  return functools.partial(activation, **as_columns)


def training_loop(
  step: Callable, state, steps: int, log_every: int, *, unroll: int, measure: Callable | None = None
):
  """Runs ``step: state -> (state, cost)`` ``steps`` times as scans; logs every ``log_every``.

  Each logged cost is that of the state a chunk of ``log_every`` steps starts from. It comes from
  ``measure(state)`` where one is given and a chunk is longer than one loop iteration: the chunk
  is then one loop of ``log_every`` steps, ``unroll`` compiled copies of the step when ``unroll``
  divides ``log_every``; for full-batch training, where the cost is a forward pass, a fraction
  of a step. Otherwise the chunk's first step returns it: one more compiled copy of the step,
  and the ``log_every - 1`` steps after it compile their remainder modulo ``unroll`` apart
  (8 copies in all for 1000 and 4). In the steps that log nothing, XLA drops the cost.
  """
  if log_every <= unroll:  # A chunk of one loop iteration: its logged step costs nothing more.
    measure = None

  def steps_without_cost(state, count):
    if count == 0:  # No loop at all: a loop of no steps would still be compiled.
      return state
    per_iteration = max(1, min(unroll, count))
    state, _ = jax.lax.scan(
      lambda s, _: (step(s)[0], None), state, None, count, unroll=per_iteration
    )
    return state

  def logged_chunk(state, _):
    if measure is not None:
      return steps_without_cost(state, log_every), measure(state)
    state, J = step(state)
    return steps_without_cost(state, log_every - 1), J

  state, costs = jax.lax.scan(logged_chunk, state, None, length=steps // log_every)
  return steps_without_cost(state, steps % log_every), costs
