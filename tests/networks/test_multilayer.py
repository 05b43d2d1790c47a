"""jacts.multilayer: backprop by hand equals jax.grad, dtypes are kept, ReLU'(0) acts only where
the chain rule says, training works, and mistakes are named."""

import functools
import re

import jax
import jax.numpy as jnp
import numpy as np
import optax
import pytest

import jacts.multilayer as multilayer
from jacts._activations import leaky_relu, relu, sigmoid, tanh
from jacts.datasets import noisy_moons


def relu_at_zero(d):
  return functools.partial(relu, derivative_at_zero=d)


def leaves(tree):
  return jax.tree.leaves(tree)


@pytest.mark.parametrize(
  ("activation", "depth"),
  [(relu, 3), (relu_at_zero(0.0), 2), (tanh, 1), (leaky_relu, 2), (sigmoid, 1)],
  ids=["relu-3", "relu0-2", "tanh-1", "leaky-2", "sigmoid-1"],
)
def test_backward_equals_jax_grad_of_the_cost(x64, activation, depth):
  key_params, key_X = jax.random.split(jax.random.key(0))
  params = multilayer.init_params(key_params, (5, *(7,) * depth, 4), dtype=jnp.float64)
  X = jax.random.normal(key_X, (9, 5), jnp.float64)
  labels = jnp.arange(9) % 4

  @jax.jit
  def both(params, X, labels):
    _, cache = multilayer.forward(params, X, activation=activation)
    manual = multilayer.backward(params, cache, X, labels, activation=activation)
    return manual, jax.grad(multilayer.cost)(params, X, labels, activation=activation)

  manual, autodiff = both(params, X, labels)
  for m, a in zip(leaves(manual), leaves(autodiff), strict=True):
    np.testing.assert_allclose(m, a, rtol=1e-12, atol=1e-14)


def test_cost_matches_a_numpy_reference(x64):
  params = multilayer.init_params(jax.random.key(3), (3, 6, 6, 5), dtype=jnp.float64)
  X = np.random.default_rng(0).normal(size=(8, 3))
  labels = np.arange(8) % 5
  A = X
  for layer in params[:-1]:
    A = np.maximum(A @ np.asarray(layer.W).T + np.asarray(layer.b), 0.0)
  logits = A @ np.asarray(params[-1].W).T + np.asarray(params[-1].b)
  log_softmax = logits - np.log(np.sum(np.exp(logits), axis=1, keepdims=True))
  expected = -np.mean(log_softmax[np.arange(8), labels])
  np.testing.assert_allclose(jax.jit(multilayer.cost)(params, X, labels), expected, rtol=1e-12)


@pytest.mark.parametrize("dtype", ["bfloat16", "float16", "float32"])
def test_every_result_keeps_the_parameters_dtype(dtype):
  params = multilayer.init_params(jax.random.key(1), (4, 8, 8, 3), dtype=dtype)
  X, labels = jnp.linspace(0.0, 1.0, 24, dtype=dtype).reshape(6, 4), jnp.arange(6) % 3

  @jax.jit
  def everything(params, X, labels):
    probabilities, cache = multilayer.forward(params, X)
    grads = multilayer.backward(params, cache, X, labels)
    return probabilities, cache, grads, multilayer.cost(params, X, labels)

  probabilities, cache, grads, J = everything(params, X, labels)
  assert {str(x.dtype) for x in (probabilities, *cache.Z, *cache.A, *leaves(grads), J)} == {dtype}


def test_works_under_vmap_over_networks():
  keys = jax.random.split(jax.random.key(0), 3)
  networks = jax.vmap(lambda k: multilayer.init_params(k, (2, 4, 4, 2)))(keys)
  X, labels = jnp.ones((5, 2)), jnp.arange(5) % 2
  costs = jax.jit(jax.vmap(multilayer.cost, in_axes=(0, None, None)))(networks, X, labels)
  assert costs.shape == (3,)
  one = jax.tree.map(lambda leaf: leaf[1], networks)
  np.testing.assert_allclose(costs[1], jax.jit(multilayer.cost)(one, X, labels), rtol=1e-6)


def test_a_zero_preactivation_changes_exactly_what_the_chain_rule_says(x64):
  # Hidden unit 0 has z = x1 - x2: exactly 0 on the first example, 1 on the second. Unit 1 is
  # never 0. With ReLU'(0) = d, only dW1[0, :] and db1[0] can depend on d, by the first
  # example's dA1[0] * d * (x, 1) / m; every other entry must be equal bit for bit.
  params = (
    multilayer.Layer(jnp.array([[1.0, -1.0], [1.0, 1.0]]), jnp.zeros(2)),
    multilayer.Layer(jnp.array([[0.5, -2.0], [-1.5, 1.0]]), jnp.array([0.1, -0.1])),
  )
  X, labels = jnp.array([[1.0, 1.0], [2.0, 1.0]]), jnp.array([1, 0])
  _, cache = multilayer.forward(params, X)
  assert cache.Z[0][0, 0] == 0.0 and np.all(np.asarray(cache.Z[0]).ravel()[1:] != 0.0)
  g0, g1 = (
    multilayer.backward(params, cache, X, labels, activation=relu_at_zero(d)) for d in (0.0, 1.0)
  )
  differs = [np.asarray(a != b) for a, b in zip(leaves(g0), leaves(g1), strict=True)]
  assert differs[0].tolist() == [[True, True], [False, False]]  # dW1: row 0 only.
  assert differs[1].tolist() == [True, False]  # db1: unit 0 only.
  assert not differs[2].any() and not differs[3].any()  # The output layer never sees g'.
  # The size of the difference: dA1[0] of the first example is (W2^T dZ2)[0], dZ2 = A2 - Y.
  dZ2 = np.asarray(cache.A[1][0]) - np.eye(2)[1]
  dA = np.asarray(params[1].W).T @ dZ2
  m = 2
  np.testing.assert_allclose(g1[0].W[0] - g0[0].W[0], dA[0] * np.asarray(X[0]) / m, rtol=1e-12)
  np.testing.assert_allclose(g1[0].b[0] - g0[0].b[0], dA[0] / m, rtol=1e-12)


def test_fit_manual_and_autodiff_give_the_same_training():
  X, Y = noisy_moons()
  labels = Y[:, 0].astype(np.int32)
  params = multilayer.init_params(jax.random.key(0), (2, 16, 16, 2))
  optimizer = optax.sgd(0.1)
  run = functools.partial(multilayer.fit, params, X, labels, key=jax.random.key(1),
                          optimizer=optimizer, steps=300, batch_size=32, log_every=100)  # fmt: skip
  (manual, costs), (autodiff, _) = run(gradients="manual"), run(gradients="autodiff")
  assert costs.shape == (3,) and costs[-1] < costs[0]
  for a, b in zip(leaves(manual), leaves(autodiff), strict=True):
    np.testing.assert_allclose(a, b, rtol=1e-4, atol=1e-6)


def test_fit_warns_when_training_diverges():
  X, labels = np.ones((8, 2), np.float32), np.arange(8) % 2
  params = multilayer.init_params(jax.random.key(0), (2, 4, 2))
  with pytest.warns(multilayer.TrainingDivergedWarning, match="diverged"):
    multilayer.fit(params, X * 1e30, labels, key=jax.random.key(0), optimizer=optax.sgd(1e30),
                   steps=20, batch_size=4, log_every=10)  # fmt: skip


GOOD = multilayer.init_params(jax.random.key(0), (2, 3, 2))


@pytest.mark.parametrize(
  ("call", "error", "pattern"),
  [
    (lambda: multilayer.init_params(jax.random.key(0), (2, 0, 2)), ValueError, "`sizes`"),
    (lambda: multilayer.init_params(0, (2, 3)), TypeError, "`key`"),
    (lambda: multilayer.init_params(jax.random.key(0), (2, 3), dtype="int32"), TypeError,
     "`dtype`"),
    (lambda: multilayer.cost(GOOD, np.ones((4, 3)), np.zeros(4, int)), ValueError, "`X` must"),
    (lambda: multilayer.cost(GOOD, np.ones((4, 2)), np.full(4, 2)), ValueError, "[0, 1]"),
    (lambda: multilayer.cost(GOOD, np.ones((4, 2)), np.zeros(4)), TypeError, "`labels`"),
    (lambda: multilayer.cost(GOOD, np.ones((4, 2)), np.zeros(3, int)), ValueError, "(m,) = (4,)"),
    (lambda: multilayer.cost(GOOD[:1] * 2, np.ones((4, 2)), np.zeros(4, int)), ValueError,
     "`params`"),
    (lambda: multilayer.cost("W", np.ones((4, 2)), np.zeros(4, int)), TypeError, "`params`"),
    (lambda: multilayer.fit(GOOD, np.ones((4, 2)), np.zeros(4, int), key=jax.random.key(0),
                            optimizer=optax.sgd(0.1), steps=1, batch_size=5), ValueError,
     "`batch_size`"),
    (lambda: multilayer.forward(GOOD, np.ones((4, 2)), activation=np.tanh), ValueError,
     "`activation`"),
  ],
  ids=["sizes", "key", "dtype", "X", "label-range", "label-dtype", "label-shape", "layers",
       "params", "batch_size", "activation"],
)  # fmt: skip
def test_mistakes_name_the_argument(call, error, pattern):
  with pytest.raises(error, match=re.escape(pattern)):
    call()
