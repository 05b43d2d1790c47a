"""The compiled programs of the ReLU'(0) study: one per configuration, nothing read back midway.

Both conventions share one forward pass inside one program, so the two backward passes see the
very same Z_l, and the comparison ``g0 != g1`` is made there, in the computation's own dtype.
"""

import functools

import jax
import jax.numpy as jnp
import optax

from jacts import _networks
from jacts._networks import layers
from jacts.study import _network


def _differ(a: jax.Array, b: jax.Array) -> jax.Array:
  """Whether any entry differs as a number in the dtype (``!=``: +0 equals -0, and NaN against
  NaN does not count as a difference)."""
  return jnp.any((a != b) & ~(jnp.isnan(a) & jnp.isnan(b)))


_BIFURCATION_STATIC = (
  "sizes",
  "dtype",
  "protocol",
  "batch_size",
  "init",
  "architecture",
  "matmul",
  "chunk",
)


@functools.partial(jax.jit, static_argnames=_BIFURCATION_STATIC)
def first_bifurcations(
  keys, X, labels, *, sizes, dtype, protocol, batch_size, init, architecture, matmul, chunk
):  # fmt: skip
  """Per key, one initialization backpropagated with ReLU'(0) = 0 and 1 on each of its batches.

  Its batches: one drawn by the key (``protocol="draw"``), or every whole ``batch_size`` rows of
  X in order, one pass (``"paper"``), stopping at the first batch whose first-layer weight
  gradient differs. ``chunk`` initializations at a time under vmap, all on the same batch
  index. A batch where no ReLU's pre-activation is exactly 0 (nor NaN) in any initialization
  of the chunk still undecided cannot change a count (the conventions' g' are then equal entry
  for entry), so its two backward passes are skipped.

  Returns:
    ``(first_layer, any_entry)``, int32 (keys,) each: the index of the first batch whose
    first-layer weight gradient differs, and of the first where any gradient entry does; the
    number of batches where none did.
  """
  X = X.astype(dtype)
  n_y, relus = sizes[-1], _network.activated(architecture, len(sizes) - 2)
  if protocol == "paper":
    count = X.shape[0] // batch_size
    rows = count * batch_size
    epoch = layers.data(X[:rows], labels[:rows], n_y)
    epoch_X = epoch.X.reshape(X.shape[1], count, batch_size).transpose(1, 0, 2)
    epoch_Y = epoch.Y.reshape(n_y, count, batch_size).transpose(1, 0, 2)
    batch_axis = None  # Every initialization sees the same batch.

    def batch(i, keys):
      return layers.Data(epoch_X[i], epoch_Y[i])
  else:
    count, batch_axis = 1, 0

    def batch(i, keys):
      return jax.vmap(lambda key: layers.minibatch(key, X, labels, batch_size, n_y))(keys)

  def forward(params, X):
    return _network.forward(params, X, architecture, matmul)

  def differences(params, passed, Y):
    Z, A, output = passed
    g0, g1 = (
      _network.backward(params, Z, A, output, Y, architecture, matmul, d) for d in (0.0, 1.0)
    )
    pairs = zip(jax.tree.leaves(g0), jax.tree.leaves(g1), strict=True)
    any_entry = functools.reduce(jnp.logical_or, [_differ(a, b) for a, b in pairs])
    return _differ(g0[0].W, g1[0].W), any_entry

  def ties(passed):
    """Whether a ReLU's pre-activation is exactly 0 (or NaN), where the conventions may differ."""
    at_relus = [
      jnp.any((z == 0) | jnp.isnan(z)) for z, r in zip(passed[0], relus, strict=True) if r
    ]
    return functools.reduce(jnp.logical_or, at_relus, jnp.bool_(False))

  def first_differences(keys):
    n = keys.shape[0]  # A raw uint32 key array has a trailing axis of 2.
    k_init, k_batch = jnp.moveaxis(jax.vmap(jax.random.split)(keys), 1, 0)
    params = jax.vmap(lambda k: _network.init(k, sizes, dtype, init))(k_init)
    none = jnp.full((n,), count, jnp.int32)

    def examine(state):
      i, first_layer, any_entry = state
      data = batch(i, k_batch)
      passed = jax.vmap(forward, in_axes=(0, batch_axis))(params, data.X)
      undecided = jax.vmap(ties)(passed) & (first_layer == count)
      layer, entry = jax.lax.cond(
        jnp.any(undecided),
        lambda: jax.vmap(differences, in_axes=(0, 0, batch_axis))(params, passed, data.Y),
        lambda: (jnp.zeros((n,), bool), jnp.zeros((n,), bool)),
      )
      first_layer = jnp.where(layer & (first_layer == count), i, first_layer)
      any_entry = jnp.where(entry & (any_entry == count), i, any_entry)
      return i + 1, first_layer, any_entry

    def not_yet(state):
      return (state[0] < count) & jnp.any(state[1] == count)

    _, first_layer, any_entry = jax.lax.while_loop(not_yet, examine, (jnp.int32(0), none, none))
    return first_layer, any_entry

  whole_chunks = keys.shape[0] // chunk * chunk
  chunks = keys[:whole_chunks].reshape(-1, chunk, *keys.shape[1:])
  firsts = tuple(f.reshape(-1) for f in jax.lax.map(first_differences, chunks))
  if whole_chunks < keys.shape[0]:  # A second body, compiled for the remainder.
    rest = first_differences(keys[whole_chunks:])
    firsts = tuple(jnp.concatenate(pair) for pair in zip(firsts, rest, strict=True))
  return firsts


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
  activations = [_network.with_derivative_at_zero(d) for d in conventions]

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
