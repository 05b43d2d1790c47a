"""The compiled programs of the ReLU'(0) study: one per configuration, nothing read back midway.

Both conventions share one forward pass inside one program, so the two backward passes see the
very same Z_l, and the comparison ``g0 != g1`` is made there, in the computation's own dtype.
"""

import functools

import jax
import jax.numpy as jnp
import optax

from jacts import _networks
from jacts._activations import relu
from jacts._networks import layers


def with_derivative_at_zero(value: float):
  """ReLU with ReLU'(0) = ``value`` (a static convention: one compiled branch per value)."""
  return functools.partial(relu, derivative_at_zero=value)


def _differ(a: jax.Array, b: jax.Array) -> jax.Array:
  """Whether any entry differs bit for bit (NaN against NaN does not count as a difference)."""
  return jnp.any((a != b) & ~(jnp.isnan(a) & jnp.isnan(b)))


def _one_draw(key, X, labels, *, sizes, dtype, batch_size):
  """Draws a network and a mini-batch; whether the two conventions' gradients differ."""
  k_init, k_batch = jax.random.split(key)
  params = layers.he_normal(k_init, sizes, dtype)
  batch = layers.minibatch(k_batch, X, labels, batch_size, sizes[-1])
  cache = layers.forward_pass(params, batch.X, with_derivative_at_zero(0.0))
  g0, g1 = (
    layers.backward_pass(params, cache, batch, with_derivative_at_zero(d)) for d in (0.0, 1.0)
  )
  pairs = zip(jax.tree.leaves(g0), jax.tree.leaves(g1), strict=True)
  return functools.reduce(jnp.logical_or, [_differ(a, b) for a, b in pairs])


@functools.partial(jax.jit, static_argnames=("sizes", "dtype", "batch_size", "chunk"))
def differing_draws(keys, X, labels, *, sizes, dtype, batch_size, chunk):
  """For each key, one draw (see :func:`_one_draw`): ``chunk`` draws at a time under vmap.

  Returns the number of draws whose gradients differ (int32).
  """
  X = X.astype(dtype)
  draw = functools.partial(_one_draw, sizes=sizes, dtype=dtype, batch_size=batch_size)
  differs = jax.lax.map(lambda k: draw(k, X, labels), keys, batch_size=chunk)
  return jnp.sum(differs, dtype=jnp.int32)


def _distance(params, reference) -> jax.Array:
  """||theta - theta_ref|| / ||theta_ref||, the differences taken in the parameters' dtype."""
  leaves, ref = jax.tree.leaves(params), jax.tree.leaves(reference)
  squared = sum(
    jnp.sum(jnp.square((a - b).astype(jnp.float32))) for a, b in zip(leaves, ref, strict=True)
  )
  norm = sum(jnp.sum(jnp.square(b.astype(jnp.float32))) for b in ref)
  return jnp.sqrt(squared / norm)


_TRAIN_STATIC = ("conventions", "dtype", "optimizer", "steps", "batch_size", "log_every")


@functools.partial(jax.jit, static_argnames=_TRAIN_STATIC)
def train_conventions(
  params, key, X, labels, X_test, labels_test, *, conventions, dtype, optimizer, steps,
  batch_size, log_every,
):  # fmt: skip
  """Trains the same ``params`` once per ReLU'(0) in ``conventions``, on the same mini-batches.

  Returns, per convention: the test accuracy and the distance to the first convention's
  parameters before every ``log_every``-th update and after the last ((logs + 1,) each), the
  number of exactly-zero hidden pre-activations over all steps, and the steps with at least one.
  """
  params = jax.tree.map(lambda p: p.astype(dtype), params)
  X, X_test = X.astype(dtype).T, X_test.astype(dtype)
  n_y = params[-1].W.shape[0]
  activations = [with_derivative_at_zero(d) for d in conventions]

  def accuracy(p, g):
    predicted = layers.predictions(p, X_test.T, g)
    return jnp.mean((predicted == labels_test).astype(jnp.float32))

  def metrics(networks):
    accuracies = jnp.stack([accuracy(p, g) for p, g in zip(networks, activations, strict=True)])
    distances = jnp.stack([_distance(p, networks[0]) for p in networks])
    return accuracies, distances

  def step(state):
    networks, opt_states, key, zeros, steps_with_zeros = state
    key, drawn = jax.random.split(key)
    rows = jax.random.choice(drawn, X.shape[1], (batch_size,), replace=False)
    batch = layers.Data(X[:, rows], jax.nn.one_hot(labels[rows], n_y, dtype=dtype, axis=0))
    logged = metrics(networks)  # Before this update, as the shallow network's costs are.
    updated = []
    for p, s, g in zip(networks, opt_states, activations, strict=True):
      cache = layers.forward_pass(p, batch.X, g)
      count = sum(jnp.sum(z == 0, dtype=jnp.int32) for z in cache.Z[:-1])
      grads = layers.backward_pass(p, cache, batch, g)
      updates, s = optimizer.update(grads, s, p)
      updated.append((optax.apply_updates(p, updates), s, count))
    counts = jnp.stack([c for _, _, c in updated])
    state = (
      tuple(p for p, _, _ in updated),
      tuple(s for _, s, _ in updated),
      key,
      zeros + counts,
      steps_with_zeros + (counts > 0).astype(jnp.int32),
    )
    return state, logged

  count = len(conventions)
  networks = (params,) * count
  opt_states = tuple(optimizer.init(params) for _ in conventions)
  no_zeros = jnp.zeros((count,), jnp.int32)
  state = (networks, opt_states, key, no_zeros, no_zeros)
  state, (accuracies, distances) = _networks.training_loop(step, state, steps, log_every, unroll=1)
  networks, _, _, zeros, steps_with_zeros = state
  last_accuracy, last_distance = metrics(networks)
  accuracies = jnp.concatenate([accuracies, last_accuracy[None]]).T
  distances = jnp.concatenate([distances, last_distance[None]]).T
  return accuracies, distances, zeros, steps_with_zeros
