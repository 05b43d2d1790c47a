"""The lecture's equations for the shallow network, one per line, in the lecture's own layout.

Examples are the columns of X, Y, Z and A, as in the lecture (``_kernels.py`` says why that is
also the fast layout). Nothing here checks its arguments: ``jacts.shallow`` and the training
loop did.
"""

import functools
from collections.abc import Callable

import jax
import jax.numpy as jnp

from jacts._activations import forward_mode, known_activation, prepare, sigmoid
from jacts._networks import _kernels
from jacts._networks._kernels import Batch, matmul, output_layer_as_sums, weight_and_bias_gradients
from jacts._networks._types import Cache, Params


def forward_pass(params: Params, X: jax.Array, activation: Callable) -> Cache:
  """Z1 = W1 X + b1, A1 = g(Z1), Z2 = W2 A1 + b2, A2 = sigma(Z2)."""
  as_sums = output_layer_as_sums(params.W2.shape[0], activation)
  Z1 = matmul(params.W1, X) + params.b1[:, None]
  A1 = _kernels.in_column_layout(activation)(Z1)
  Z2 = _kernels.output_logits(params.W2, A1, params.b2, as_sums)
  A2 = output_activation(activation)(Z2)
  return Cache(Z1, A1, Z2, A2)


def output_activation(hidden: Callable) -> Callable:
  """The output layer's sigmoid, in the hidden layer's mode, so forward mode reaches both."""
  return forward_mode(sigmoid) if known_activation(hidden).is_forward_mode else sigmoid


def cost_from_logits(Z2: jax.Array, batch: Batch) -> jax.Array:
  """J = -(1/m) sum[y log a + (1 - y) log(1 - a)] = (1/m) sum[softplus(z) - y z], finite."""
  return jnp.sum(batch.masked(jax.nn.softplus(Z2) - batch.Y * Z2)) / batch.m


def cost(params: Params, batch: Batch, activation: Callable) -> jax.Array:
  """J of the forward pass on ``batch`` (A2 is not used; XLA drops it)."""
  return cost_from_logits(forward_pass(params, batch.X, activation).Z2, batch)


def hidden_derivative(activation: Callable, Z1: jax.Array, A1: jax.Array) -> jax.Array:
  """g'(Z1): from A1 where the output determines it (1 - A1^2 for tanh), else from Z1, with the
  arguments bound to ``activation`` (the rule's one choice, as in its custom VJP)."""
  rule = known_activation(activation).rule
  bound = _kernels.in_column_layout(activation)
  args, kwargs = (bound.args, bound.keywords) if isinstance(bound, functools.partial) else ((), {})
  p = prepare(rule, "activation", Z1, *args, **kwargs)
  residual = A1 if p.uses_output else Z1
  return rule.slope(residual, p.uses_output, p.params, p.options, p.conventions)


def backward_pass(params: Params, cache: Cache, batch: Batch, activation: Callable) -> Params:
  """The lecture's backprop: the gradient of :func:`cost`, by hand."""
  m = batch.m
  as_sums = output_layer_as_sums(params.W2.shape[0], activation)
  dZ2 = batch.masked(cache.A2 - batch.Y)
  dW2 = _kernels.output_weight_gradient(dZ2, cache.A1, m, as_sums)
  db2 = jnp.sum(dZ2, axis=1) / m
  dZ1 = matmul(params.W2.T, dZ2) * hidden_derivative(activation, cache.Z1, cache.A1)
  dW1, db1 = weight_and_bias_gradients(dZ1, batch.X_and_ones, m)
  return Params(dW1, db1, dW2, db2)


def cost_and_gradients(
  params: Params, batch: Batch, activation: Callable, gradients: str
) -> tuple[jax.Array, Params]:
  """J and its gradient: by the lecture's backprop, or by ``jax.grad`` through the custom VJPs."""
  if gradients == "autodiff":
    return jax.value_and_grad(cost)(params, batch, activation)
  cache = forward_pass(params, batch.X, activation)
  return cost_from_logits(cache.Z2, batch), backward_pass(params, cache, batch, activation)


def predictions(params: Params, X: jax.Array, activation: Callable) -> jax.Array:
  """1 where A2 > 0.5, else 0 (int32)."""
  return (forward_pass(params, X, activation).A2 > 0.5).astype(jnp.int32)
