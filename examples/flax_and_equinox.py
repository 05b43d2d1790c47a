"""jacts' activations in an equinox and a flax.nnx model: handwritten digits, beside jax.nn's.

Loads scikit-learn's bundled 8x8 digits (no download), scales the pixels to [0, 1] and keeps a
fixed, seeded fifth of the images for testing. Trains an equinox.nn.MLP (64-128-10, gelu) and a
flax.nnx module (64-128-10, silu), each twice from the same initialization: once with jacts'
activation and log-softmax, once with jax.nn's. Full-batch adam, every step compiled in one
lax.scan. Prints the test accuracies side by side and how far apart the trained weights are.

Needs the interop extra: pip install -e '.[interop]'

Run: python examples/flax_and_equinox.py [--steps 300]
"""

import argparse
import sys
import time

try:
  import equinox as eqx
  from flax import nnx
  from sklearn.datasets import load_digits
except ImportError as error:
  sys.exit(
    f"{error.name} is missing; this example needs the interop extra: pip install -e '.[interop]'"
  )

import jax
import jax.numpy as jnp
import numpy as np
import optax

import jacts

HIDDEN = 128
LEARNING_RATE = 1e-2
SEED = 0


def digits():
  """(train images, train labels, test images, test labels): pixels in [0, 1] as float32, 20 % of
  the 1797 images for testing, chosen by a seeded permutation."""
  images, labels = load_digits(return_X_y=True)
  order = np.random.default_rng(SEED).permutation(len(labels))
  images, labels = (images[order] / 16.0).astype(np.float32), labels[order].astype(np.int32)
  n_test = len(labels) // 5
  return (
    jnp.asarray(images[n_test:]),
    jnp.asarray(labels[n_test:]),
    jnp.asarray(images[:n_test]),
    jnp.asarray(labels[:n_test]),
  )


def cross_entropy(log_softmax, logits, labels):
  return -jnp.mean(jnp.take_along_axis(log_softmax(logits), labels[:, None], axis=1))


def accuracy(logits, labels) -> float:
  return float(jnp.mean(jnp.argmax(logits, axis=1) == labels))


def adam_scan(loss, params, steps):
  """Minimizes loss(params) by `steps` steps of adam, in one lax.scan (call it under a jit)."""
  optimizer = optax.adam(LEARNING_RATE)

  def step(state, _):
    params, opt_state = state
    updates, opt_state = optimizer.update(jax.grad(loss)(params), opt_state, params)
    return (optax.apply_updates(params, updates), opt_state), None

  (params, _), _ = jax.lax.scan(step, (params, optimizer.init(params)), None, length=steps)
  return params


def train_equinox(activation, log_softmax, data, steps):
  """An equinox MLP with one hidden layer of `activation`; returns its test logits and weights."""
  x, y, x_test, _ = data
  model = eqx.nn.MLP(
    x.shape[1], 10, HIDDEN, depth=1, activation=activation, key=jax.random.key(SEED)
  )

  @eqx.filter_jit
  def train(model):
    params, static = eqx.partition(model, eqx.is_inexact_array)

    def loss(params):
      return cross_entropy(log_softmax, jax.vmap(eqx.combine(params, static))(x), y)

    return eqx.combine(adam_scan(loss, params, steps), static)

  model = train(model)
  logits = eqx.filter_jit(lambda model, x: jax.vmap(model)(x))(model, x_test)
  return logits, jax.tree.leaves(eqx.filter(model, eqx.is_inexact_array))


class FlaxMLP(nnx.Module):
  """Linear, activation, linear."""

  def __init__(self, activation, n_in, *, rngs):
    self.hidden = nnx.Linear(n_in, HIDDEN, rngs=rngs)
    self.output = nnx.Linear(HIDDEN, 10, rngs=rngs)
    self.activation = activation

  def __call__(self, x):
    return self.output(self.activation(self.hidden(x)))


def train_flax(activation, log_softmax, data, steps):
  """A flax.nnx MLP with one hidden layer of `activation`; returns its test logits and weights."""
  x, y, x_test, _ = data
  model = FlaxMLP(activation, x.shape[1], rngs=nnx.Rngs(SEED))

  @nnx.jit
  def train(model):
    graphdef, params = nnx.split(model, nnx.Param)

    def loss(params):
      return cross_entropy(log_softmax, nnx.merge(graphdef, params)(x), y)

    nnx.update(model, adam_scan(loss, params, steps))  # Trains the model in place.

  train(model)
  logits = nnx.jit(lambda model, x: model(x))(model, x_test)
  return logits, jax.tree.leaves(nnx.state(model, nnx.Param))


def main() -> None:
  parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
  parser.add_argument("--steps", type=int, default=300, help="full-batch adam steps")
  args = parser.parse_args()

  start = time.perf_counter()
  data = digits()
  y_test = data[3]
  print(
    f"8x8 digits: {len(data[1])} training and {len(y_test)} test images; "
    f"{args.steps} steps of adam({LEARNING_RATE}), float32"
  )
  print(
    f"{'library':<9} {'activation':<11} {'jacts':>7} {'jax.nn':>7} {'max |weight difference|':>24}"
  )
  for library, train, name in (
    ("equinox", train_equinox, "gelu"),
    ("flax.nnx", train_flax, "silu"),
  ):
    ours, our_weights = train(getattr(jacts, name), jacts.log_softmax, data, args.steps)
    theirs, their_weights = train(getattr(jax.nn, name), jax.nn.log_softmax, data, args.steps)
    difference = max(
      float(jnp.max(jnp.abs(a - b))) for a, b in zip(our_weights, their_weights, strict=True)
    )
    print(
      f"{library:<9} {name:<11} {100 * accuracy(ours, y_test):>6.2f}% "
      f"{100 * accuracy(theirs, y_test):>6.2f}% {difference:>24.2e}"
    )
  print(f"({time.perf_counter() - start:.1f} s)")


if __name__ == "__main__":
  main()
