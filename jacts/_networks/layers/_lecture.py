"""The lecture's equations for L hidden layers and a softmax output, one per line.

Examples are the columns of X, Y, Z and A, as in the lecture (and as ``jacts/_networks/_lecture.py``
computes the shallow network). Layer l = 1 .. L + 1 has W_l (n_l, n_{l-1}) and b_l (n_l,), with
A_0 = X and layer L + 1 the softmax output. Nothing here checks its arguments:
``jacts.multilayer`` did.
"""

import functools
from collections.abc import Callable
from typing import NamedTuple

import jax
import jax.numpy as jnp
import optax

from jacts._networks import _kernels, _lecture
from jacts._networks._divergence import divergence_report


class Layer(NamedTuple):
  """One layer's parameters, the weights (out, in) like the lecture's."""

  W: jax.Array  # shape=(n_l, n_{l-1})
  b: jax.Array  # shape=(n_l,)


class Cache(NamedTuple):
  """What the forward pass computed, kept for the backward pass: one entry per layer."""

  Z: tuple[jax.Array, ...]  # Z_l, l = 1 .. L + 1: shape=(m, n_l); Z_{L+1} are the logits.
  A: tuple[jax.Array, ...]  # A_l = g(Z_l), and A_{L+1} = softmax(Z_{L+1}): shape=(m, n_l).


class Data(NamedTuple):
  """A batch in column layout, built once per call."""

  X: jax.Array  # shape=(n_x, m)
  Y: jax.Array  # shape=(n_y, m), one-hot labels in the parameters' dtype.

  @property
  def m(self) -> int:
    return self.X.shape[1]


def data(X: jax.Array, labels: jax.Array, n_y: int) -> Data:
  """X (m, n_x) and integer labels (m,), examples as rows, as column-layout :class:`Data`."""
  return Data(X.T, jax.nn.one_hot(labels, n_y, dtype=X.dtype, axis=0))


def forward_pass(params: tuple[Layer, ...], X: jax.Array, activation: Callable) -> Cache:
  """Z_l = W_l A_{l-1} + b_l, A_l = g(Z_l) for l <= L; A_{L+1} = softmax(Z_{L+1})."""
  g = _kernels.in_column_layout(activation)
  Z, A = [], [X]
  for layer in params[:-1]:
    Z.append(layer.W @ A[-1] + layer.b[:, None])
    A.append(g(Z[-1]))
  output = params[-1]
  Z.append(output.W @ A[-1] + output.b[:, None])
  A.append(jax.nn.softmax(Z[-1], axis=0))
  return Cache(tuple(Z), tuple(A[1:]))


def cost_from_logits(logits: jax.Array, batch: Data) -> jax.Array:
  r"""J = -(1/m) sum y log softmax(z) = (1/m) sum [logsumexp(z) - y . z], without log(0)."""
  per_example = jax.nn.logsumexp(logits, axis=0) - jnp.sum(batch.Y * logits, axis=0)
  return jnp.sum(per_example) / batch.m


def cost(params: tuple[Layer, ...], batch: Data, activation: Callable) -> jax.Array:
  """J of the forward pass on ``batch``."""
  return cost_from_logits(forward_pass(params, batch.X, activation).Z[-1], batch)


def hidden_derivative(activation: Callable, Z: jax.Array, A: jax.Array) -> jax.Array:
  """g'(Z_l), by the rule the activation's custom VJP uses (the shallow network's, per layer)."""
  return _lecture.hidden_derivative(activation, Z, A)


def backward_pass(
  params: tuple[Layer, ...], cache: Cache, batch: Data, activation: Callable
) -> tuple[Layer, ...]:
  """The lecture's backprop for L layers: the gradient of :func:`cost`, by hand."""
  m = batch.m
  inputs = (batch.X, *cache.A[:-1])  # A_{l-1} for each layer l.
  dZ = cache.A[-1] - batch.Y  # dZ_{L+1}: softmax with cross-entropy.
  grads = []
  for l in reversed(range(len(params))):  # noqa: E741 (the lecture's layer index)
    dW = dZ @ inputs[l].T / m
    db = jnp.sum(dZ, axis=1) / m
    grads.append(Layer(dW, db))
    if l > 0:
      dZ = params[l].W.T @ dZ * hidden_derivative(activation, cache.Z[l - 1], cache.A[l - 1])
  return tuple(reversed(grads))


def cost_and_gradients(params, batch: Data, activation: Callable, gradients: str):
  """J and its gradient: by the lecture's backprop, or by ``jax.grad`` through the custom VJPs."""
  if gradients == "autodiff":
    return jax.value_and_grad(cost)(params, batch, activation)
  cache = forward_pass(params, batch.X, activation)
  return cost_from_logits(cache.Z[-1], batch), backward_pass(params, cache, batch, activation)


def predictions(params: tuple[Layer, ...], X: jax.Array, activation: Callable) -> jax.Array:
  """The class of the largest logit, per column of X (int32)."""
  return jnp.argmax(forward_pass(params, X, activation).Z[-1], axis=0).astype(jnp.int32)


def minibatch(key: jax.Array, X: jax.Array, labels: jax.Array, batch_size: int, n_y: int) -> Data:
  """``batch_size`` examples drawn without replacement by ``key``, as :class:`Data`."""
  rows = jax.random.choice(key, X.shape[0], (batch_size,), replace=False)
  return data(X[rows], labels[rows], n_y)


def update(params, opt_state, batch: Data, *, optimizer, activation, gradients):
  """One optimizer step on ``batch``; returns the cost before it."""
  J, grads = cost_and_gradients(params, batch, activation, gradients)
  updates, opt_state = optimizer.update(grads, opt_state, params)
  return optax.apply_updates(params, updates), opt_state, J


_STATIC = ("optimizer", "steps", "batch_size", "activation", "log_every", "gradients")


@functools.partial(jax.jit, static_argnames=_STATIC)
def train(
  params, opt_state, key, X, labels, *, optimizer, steps, batch_size, activation, log_every,
  gradients,
):  # fmt: skip
  """``steps`` mini-batch updates as one program (``_kernels.training_loop``, a ``lax.scan``)."""
  n_y = params[-1].W.shape[0]

  def step(state):
    params, opt_state, key = state
    key, drawn = jax.random.split(key)
    batch = minibatch(drawn, X, labels, batch_size, n_y)
    params, opt_state, J = update(
      params, opt_state, batch, optimizer=optimizer, activation=activation, gradients=gradients
    )
    return (params, opt_state, key), J

  state, costs = _kernels.training_loop(step, (params, opt_state, key), steps, log_every, unroll=1)
  params, opt_state, _ = state
  return params, opt_state, costs, divergence_report(params, costs)


def he_normal(key: jax.Array, sizes: tuple[int, ...], dtype) -> tuple[Layer, ...]:
  """W_l ~ N(0, 2 / n_{l-1}) drawn in float32 then rounded to ``dtype``; b_l = 0."""
  keys = jax.random.split(key, len(sizes) - 1)
  layers = []
  for k, n_in, n_out in zip(keys, sizes[:-1], sizes[1:], strict=True):
    std = jnp.sqrt(jnp.float32(2.0 / n_in))
    W = std * jax.random.normal(k, (n_out, n_in), jnp.float32)
    layers.append(Layer(W.astype(dtype), jnp.zeros((n_out,), dtype)))
  return tuple(layers)
