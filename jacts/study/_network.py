"""The networks the bifurcation measurements backprop through: two architectures, two
initializations, and the precision of their matrix products.

* ``"multilayer"``: :mod:`jacts.multilayer`'s network, ``depth`` hidden layers of ``width`` ReLU
  units and a softmax output.
* ``"paper"``: the MLP of Bertoin et al.'s code, ``Linear(n_x, width)``, then ``depth - 1`` times
  ``Linear(width, width), ReLU``, then ``Linear(width, n_classes)``: no ReLU after the first
  linear layer.

Initializations, drawn in float32 then rounded to the dtype studied:

* ``"he"``: W ~ N(0, 2 / fan_in), b = 0 (:func:`jacts.multilayer.init_params`).
* ``"torch"``: PyTorch's default for ``nn.Linear``, Kaiming-uniform with ``a = sqrt(5)``:
  W and b ~ U(-1 / sqrt(fan_in), 1 / sqrt(fan_in)).

Matrix products (``MATMUL``): ``"float32"`` computes every product exactly as its dtype allows
(``Precision.HIGHEST``); ``"tf32"`` rounds both inputs of each float32 product to TensorFloat-32
(8 exponent bits, 10 mantissa bits, round to nearest even) and accumulates in float32, as Ampere
GPUs did by default in PyTorch of 2021, on any backend; ``"default"`` is the backend's own
``Precision.DEFAULT`` (float32 on the CPU; on a GPU, what ``jax.default_matmul_precision`` says).
Half-precision inputs are exact in TensorFloat-32 and float64 products never used it, so
``"tf32"`` changes float32 configurations only.
"""

import functools
from collections.abc import Callable

import jax
import jax.numpy as jnp

from jacts._activations import relu
from jacts._networks import layers

ARCHITECTURES = ("multilayer", "paper")
INITS = ("he", "torch")
MATMUL = ("float32", "tf32", "default")
TF32 = {"exponent_bits": 8, "mantissa_bits": 10}


def with_derivative_at_zero(value: float) -> Callable:
  """ReLU with ReLU'(0) = ``value`` (a static convention: one compiled branch per value)."""
  return functools.partial(relu, derivative_at_zero=value)


def activated(architecture: str, depth: int) -> tuple[bool, ...]:
  """Whether ReLU follows each hidden linear layer."""
  return (True,) * depth if architecture == "multilayer" else (False,) + (True,) * (depth - 1)


def product(matmul: str) -> Callable[[jax.Array, jax.Array], jax.Array]:
  """``a @ b`` computed as the ``matmul`` mode says (see the module's docstring)."""
  if matmul == "default":
    return functools.partial(jnp.matmul, precision=jax.lax.Precision.DEFAULT)
  exact = functools.partial(jnp.matmul, precision=jax.lax.Precision.HIGHEST)
  if matmul == "float32":
    return exact

  def tf32(a: jax.Array, b: jax.Array) -> jax.Array:
    if a.dtype != jnp.float32:
      return exact(a, b)
    return exact(jax.lax.reduce_precision(a, **TF32), jax.lax.reduce_precision(b, **TF32))

  return tf32


def init(key: jax.Array, sizes: tuple[int, ...], dtype, how: str) -> tuple[layers.Layer, ...]:
  """The parameters of a network of ``sizes`` (n_x, hidden..., n_classes) by ``how``."""
  if how == "he":
    return layers.he_normal(key, sizes, dtype)
  params = []
  for k, n_in, n_out in zip(jax.random.split(key, len(sizes) - 1), sizes, sizes[1:], strict=False):
    k_W, k_b = jax.random.split(k)
    bound = 1 / jnp.sqrt(jnp.float32(n_in))
    W = jax.random.uniform(k_W, (n_out, n_in), jnp.float32, -bound, bound)
    b = jax.random.uniform(k_b, (n_out,), jnp.float32, -bound, bound)
    params.append(layers.Layer(W.astype(dtype), b.astype(dtype)))
  return tuple(params)


def forward(params, X: jax.Array, relus: tuple[bool, ...], matmul: str):
  """The hidden pre-activations Z_l and the inputs A_{l-1} of every layer (A_0 = X, columns as
  examples), and the softmax output; the hidden layers use ReLU'(0) = 0's ReLU, whose values
  are every convention's."""
  times = product(matmul)
  Z, A = [], [X]
  for layer, relu_follows in zip(params[:-1], relus, strict=True):
    Z.append(times(layer.W, A[-1]) + layer.b[:, None])
    A.append(with_derivative_at_zero(0.0)(Z[-1]) if relu_follows else Z[-1])
  logits = times(params[-1].W, A[-1]) + params[-1].b[:, None]
  return tuple(Z), tuple(A), jax.nn.softmax(logits, axis=0)


def backward(params, Z, A, output, Y, relus: tuple[bool, ...], matmul: str, convention: float):
  """The lecture's backprop of the softmax cross-entropy from :func:`forward`'s results, with
  ReLU'(0) = ``convention``: the parameters' gradients."""
  times, g, m = product(matmul), with_derivative_at_zero(convention), Y.shape[1]
  dZ, grads = output - Y, []
  for l in reversed(range(len(params))):  # noqa: E741 (the lecture's layer index)
    grads.append(layers.Layer(times(dZ, A[l].T) / m, jnp.sum(dZ, axis=1) / m))
    if l > 0:
      dZ = times(params[l].W.T, dZ)
      if relus[l - 1]:
        dZ = dZ * layers.hidden_derivative(g, Z[l - 1], A[l])
  return tuple(reversed(grads))


def gradients(params, batch: layers.Data, relus: tuple[bool, ...], matmul: str, conventions):
  """:func:`backward` once per ReLU'(0) in ``conventions``, all on one forward pass."""
  Z, A, output = forward(params, batch.X, relus, matmul)
  return tuple(backward(params, Z, A, output, batch.Y, relus, matmul, d) for d in conventions)
