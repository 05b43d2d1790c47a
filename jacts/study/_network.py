"""The networks the bifurcation measurements backprop through: two architectures, two
initializations, and the precision of their matrix products.

* ``"multilayer"``: :mod:`jacts.multilayer`'s network, ``depth`` hidden layers of ``width`` ReLU
  units and a softmax output, computed as jacts.multilayer does: each product rounded to the
  dtype, then the bias added.
* ``"paper"``: the MLP of Bertoin et al.'s code, ``Linear(n_x, width)``, then ``depth - 1`` times
  ``Linear(width, width), ReLU``, then ``Linear(width, n_classes)``: no ReLU after the first
  linear layer. Computed as PyTorch's ``nn.Linear`` (``addmm``) does in half precision: the bias
  added to the float32-accumulated product, then one rounding to the dtype.

Initializations, drawn in float32 then rounded to the dtype studied:

* ``"he"``: W ~ N(0, 2 / fan_in), b = 0 (:func:`jacts.multilayer.init_params`).
* ``"torch"``: PyTorch's default for ``nn.Linear``, Kaiming-uniform with ``a = sqrt(5)``:
  W and b ~ U(-1 / sqrt(fan_in), 1 / sqrt(fan_in)).

Matrix products (``MATMUL``), forward and backward: ``"float32"`` computes every product exactly
as its dtype allows (``Precision.HIGHEST``); ``"tf32"`` rounds both inputs of each float32 product
to TensorFloat-32 (8 exponent bits, 10 mantissa bits) and accumulates in float32, on any backend,
as Ampere GPUs computed float32 products by default in PyTorch of 2021. The rounding is
``lax.reduce_precision``'s, to nearest with ties to even; a GPU converts with its own (ties away
from zero, or truncation), so the emulation matches TF32 in precision, not bit for bit.
``"default"`` is the backend's own ``Precision.DEFAULT`` (float32 on the CPU; on a GPU, what
``jax.default_matmul_precision`` says). Half-precision values are exact in TensorFloat-32 and
float64 products never used it, so ``"tf32"`` changes float32 products only.
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
  keys = jax.random.split(key, len(sizes) - 1)
  for k, n_in, n_out in zip(keys, sizes[:-1], sizes[1:], strict=True):
    k_W, k_b = jax.random.split(k)
    bound = 1 / jnp.sqrt(jnp.float32(n_in))
    W = jax.random.uniform(k_W, (n_out, n_in), jnp.float32, -bound, bound)
    b = jax.random.uniform(k_b, (n_out,), jnp.float32, -bound, bound)
    params.append(layers.Layer(W.astype(dtype), b.astype(dtype)))
  return tuple(params)


def forward(params, X: jax.Array, architecture: str, matmul: str):
  """The hidden pre-activations Z_l and the inputs A_{l-1} of every layer (A_0 = X, columns as
  examples), and the softmax output; the hidden layers use ReLU'(0) = 0's ReLU, whose values
  are every convention's."""
  times, relus = product(matmul), activated(architecture, len(params) - 1)
  # nn.Linear's single rounding: half-precision values widen exactly to float32, where the
  # products accumulate and the bias is added, as addmm does; then one rounding to the dtype.
  wide = jnp.float32 if architecture == "paper" and X.dtype.itemsize == 2 else X.dtype

  def linear(layer, A):
    Z = times(layer.W.astype(wide), A.astype(wide)) + layer.b.astype(wide)[:, None]
    return Z.astype(X.dtype)

  Z, A = [], [X]
  for layer, relu_follows in zip(params[:-1], relus, strict=True):
    Z.append(linear(layer, A[-1]))
    A.append(with_derivative_at_zero(0.0)(Z[-1]) if relu_follows else Z[-1])
  return tuple(Z), tuple(A), jax.nn.softmax(linear(params[-1], A[-1]), axis=0)


def backward(params, Z, A, output, Y, architecture: str, matmul: str, convention: float):
  """The lecture's backprop of the softmax cross-entropy from :func:`forward`'s results, with
  ReLU'(0) = ``convention``: the parameters' gradients."""
  times, g, m = product(matmul), with_derivative_at_zero(convention), Y.shape[1]
  relus = activated(architecture, len(params) - 1)
  dZ, grads = output - Y, []
  for l in reversed(range(len(params))):  # noqa: E741 (the lecture's layer index)
    grads.append(layers.Layer(times(dZ, A[l].T) / m, jnp.sum(dZ, axis=1) / m))
    if l > 0:
      dZ = times(params[l].W.T, dZ)
      if relus[l - 1]:
        dZ = dZ * layers.hidden_derivative(g, Z[l - 1], A[l])
  return tuple(reversed(grads))
