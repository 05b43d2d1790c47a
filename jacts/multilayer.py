r"""A multi-class network with L hidden layers: forward pass, cost, backprop by hand, training.

Examples are rows (the JAX convention); weights are (out, in) as in the lecture. For hidden
layers l = 1 .. L with activation g and a softmax output layer L + 1:

.. math::
  A_0 = X, \quad Z_l = A_{l-1} W_l^\top + b_l, \quad A_l = g(Z_l), \quad
  A_{L+1} = \operatorname{softmax}(Z_{L+1}), \quad
  J = -\frac{1}{m} \sum_{i} \log A_{L+1}[i, y_i].

:func:`backward` is the lecture's backprop written by hand for any L; :func:`fit` trains with any
optax optimizer on mini-batches drawn by key, the whole loop one compiled program. The equations
are in ``jacts/_networks/layers/_lecture.py`` (the lecture's layout, examples as columns, one
per line); the shallow network of the lecture stays in :mod:`jacts.shallow`.
"""

from collections.abc import Callable, Sequence

import jax
import jax.numpy as jnp
import optax
from jax.typing import ArrayLike, DTypeLike

from jacts import _networks, _validation
from jacts._activations import relu
from jacts._networks import Gradients as Gradients
from jacts._networks import TrainingDivergedWarning as TrainingDivergedWarning
from jacts._networks import layers, warn_if_diverged
from jacts._networks.layers import Cache as Cache
from jacts._networks.layers import Layer as Layer

__all__ = (
  "Cache",
  "Gradients",
  "Layer",
  "TrainingDivergedWarning",
  "accuracy",
  "backward",
  "cost",
  "fit",
  "forward",
  "init_params",
  "predict",
)

Params = tuple[Layer, ...]


def init_params(key: jax.Array, sizes: Sequence[int], *, dtype: DTypeLike | None = None) -> Params:
  r"""He-normal weights and zero biases, for ReLU networks.

  .. math::
    W_l \sim \mathcal{N}\!\left(0, \tfrac{2}{n_{l-1}}\right), \qquad b_l = 0,

  so that the pre-activations keep their variance from layer to layer through ReLU (He et al.,
  2015). The weights are drawn in float32 and rounded to ``dtype``: every precision starts from
  the same network, up to that rounding (float64 holds the float32 draws exactly).

  Args:
    key: a ``jax.random`` key.
    sizes: (n_x, n_1, ..., n_L, n_y): the input size, each hidden layer's width, the classes.
    dtype: the parameters' dtype; default float32 (float64 under ``jax_enable_x64``).

  Returns:
    One :class:`Layer` per layer, W (n_l, n_{l-1}) and b (n_l,).

  Example:
    >>> import jax, jacts.multilayer as multilayer
    >>> params = multilayer.init_params(jax.random.key(0), (64, 32, 32, 10))
    >>> [(layer.W.shape, layer.b.shape) for layer in params]
    [((32, 64), (32,)), ((32, 32), (32,)), ((10, 32), (10,))]
  """
  function = "jacts.multilayer.init_params"
  _networks.check_key(function, key)
  sizes = layers.check_sizes(function, sizes)
  dtype = _validation.floating_dtype(function, "dtype", dtype)
  return layers.he_normal(key, sizes, dtype)


def forward(
  params: Params, X: ArrayLike, *, activation: Callable = relu
) -> tuple[jax.Array, Cache]:
  """The forward pass: L hidden layers with ``activation``, then a softmax over the classes.

  Args:
    params: the network's layers, as :func:`init_params` returns them.
    X: inputs, shape (m, n_x), one example per row; computed in the parameters' dtype.
    activation: the hidden activation: an elementwise jacts activation, its forward-mode version,
      or a ``functools.partial`` of one (``functools.partial(jacts.relu, derivative_at_zero=0.0)``
      picks ReLU'(0)); softmax, log_softmax and glu mix a row's entries and are refused with a
      ValueError naming ``activation``.

  Returns:
    ``(probabilities, cache)``: the softmax output (m, n_y), and the cache of every Z_l and A_l,
    each (m, n_l); the last Z holds the logits.

  Example:
    >>> import jax, jax.numpy as jnp, jacts.multilayer as multilayer
    >>> params = multilayer.init_params(jax.random.key(0), (4, 8, 3))
    >>> probabilities, cache = multilayer.forward(params, jnp.ones((5, 4)))
    >>> probabilities.shape, [z.shape for z in cache.Z]
    ((5, 3), [(5, 8), (5, 3)])
    >>> print(jnp.sum(probabilities, axis=1))
    [1. 1. 1. 1. 1.]
  """
  function = "jacts.multilayer.forward"
  X = layers.check_inputs(function, params, X, activation)
  in_columns = layers.forward_pass(tuple(params), X.T, activation)
  cache = Cache(tuple(z.T for z in in_columns.Z), tuple(a.T for a in in_columns.A))
  return cache.A[-1], cache


def cost(
  params: Params, X: ArrayLike, labels: ArrayLike, *, activation: Callable = relu
) -> jax.Array:
  r"""The softmax cross-entropy, computed stably from the logits :math:`z = Z_{L+1}`.

  .. math::
    J = -\frac{1}{m} \sum_i \log \operatorname{softmax}(z_i)_{y_i}
      = \frac{1}{m} \sum_i \left[ \log \textstyle\sum_k e^{z_{ik}} - z_{i y_i} \right]

  The second form has no log(0) where the softmax underflows; its gradient with respect to z is
  (A_{L+1} - Y) / m with Y the one-hot labels, the lecture's dZ of the output layer.

  Args:
    params: the network's layers.
    X: inputs, shape (m, n_x).
    labels: class indices in [0, n_y), integer array of shape (m,).
    activation: the hidden activation.

  Returns:
    J, a scalar in the parameters' dtype.

  Example:
    >>> import jax, jax.numpy as jnp, jacts.multilayer as multilayer
    >>> params = multilayer.init_params(jax.random.key(0), (4, 8, 3))
    >>> params = params[:-1] + (params[-1]._replace(W=jnp.zeros((3, 8))),)
    >>> print(multilayer.cost(params, jnp.ones((2, 4)), jnp.array([0, 2])))  # log 3
    1.0986123
  """
  function = "jacts.multilayer.cost"
  X, labels = layers.check_data(function, params, X, labels, activation)
  n_y = params[-1].W.shape[0]
  return layers.cost(tuple(params), layers.data(X, labels, n_y), activation)


def backward(
  params: Params, cache: Cache, X: ArrayLike, labels: ArrayLike, *, activation: Callable = relu
) -> Params:
  r"""The lecture's backprop for L hidden layers, by hand.

  In the lecture's notation, with the examples as the columns of X, Y, Z and A, A_0 = X, and Y
  the one-hot labels:

  .. math::
    dZ_{L+1} = A_{L+1} - Y, \qquad
    dW_l = \tfrac{1}{m} dZ_l A_{l-1}^\top, \quad db_l = \tfrac{1}{m} \textstyle\sum_i dZ_l, \\
    dZ_{l-1} = W_l^\top dZ_l \odot g'(Z_{l-1}), \qquad l = L + 1, \dots, 1.

  That is how it is computed, one equation per line (``jacts/_networks/layers/_lecture.py``). g' is
  the rule of the activation's custom VJP, with the convention bound to ``activation`` at kinks
  (ReLU'(0)), so this equals ``jax.grad`` of :func:`cost`.

  Args:
    params: the network's layers.
    cache: :func:`forward`'s cache for the same ``params`` and ``X``.
    X: inputs, shape (m, n_x).
    labels: class indices, shape (m,).
    activation: the hidden activation used in the forward pass.

  Returns:
    The gradient of :func:`cost`, one :class:`Layer` (dW, db) per layer.

  Example:
    >>> import jax, jax.numpy as jnp, jacts.multilayer as multilayer
    >>> params = multilayer.init_params(jax.random.key(0), (4, 8, 8, 3))
    >>> X, labels = jnp.ones((5, 4)), jnp.array([0, 1, 2, 0, 1])
    >>> _, cache = multilayer.forward(params, X)
    >>> grads = multilayer.backward(params, cache, X, labels)
    >>> autodiff = jax.grad(multilayer.cost)(params, X, labels)
    >>> all(jnp.allclose(g, a, atol=1e-6) for g, a in zip(jax.tree.leaves(grads),
    ...                                                   jax.tree.leaves(autodiff)))
    True
  """
  function = "jacts.multilayer.backward"
  X, labels = layers.check_data(function, params, X, labels, activation)
  layers.check_cache(function, params, cache, X)
  in_columns = Cache(tuple(z.T for z in cache.Z), tuple(a.T for a in cache.A))
  n_y = params[-1].W.shape[0]
  batch = layers.data(X, labels, n_y)
  return layers.backward_pass(tuple(params), in_columns, batch, activation)


def predict(params: Params, X: ArrayLike, *, activation: Callable = relu) -> jax.Array:
  """The predicted class of each row of X: the index of its largest logit.

  Returns:
    int32 array of shape (m,).

  Example:
    >>> import jax, jax.numpy as jnp, jacts.multilayer as multilayer
    >>> params = multilayer.init_params(jax.random.key(0), (4, 8, 3))
    >>> multilayer.predict(params, jnp.ones((2, 4))).shape
    (2,)
  """
  function = "jacts.multilayer.predict"
  X = layers.check_inputs(function, params, X, activation)
  return layers.predictions(tuple(params), X.T, activation)


def accuracy(
  params: Params, X: ArrayLike, labels: ArrayLike, *, activation: Callable = relu
) -> jax.Array:
  """The fraction of rows whose class the network predicts correctly, in [0, 1] (float32).

  Example:
    >>> import jax, jax.numpy as jnp, jacts.multilayer as multilayer
    >>> params = multilayer.init_params(jax.random.key(0), (4, 8, 3))
    >>> X = jnp.ones((2, 4))
    >>> print(multilayer.accuracy(params, X, multilayer.predict(params, X)))
    1.0
  """
  function = "jacts.multilayer.accuracy"
  X, labels = layers.check_data(function, params, X, labels, activation)
  correct = layers.predictions(tuple(params), X.T, activation) == labels
  return jnp.mean(correct.astype(jnp.float32))


def fit(
  params: Params,
  X: ArrayLike,
  labels: ArrayLike,
  *,
  key: jax.Array,
  optimizer: optax.GradientTransformation,
  steps: int,
  batch_size: int,
  activation: Callable = relu,
  log_every: int = 100,
  gradients: Gradients = "manual",
) -> tuple[Params, jax.Array]:
  """Mini-batch training: the whole loop is one compiled program (``lax.scan``, no Python loop).

  Each step draws ``batch_size`` rows without replacement (a fresh draw from ``key`` every step),
  computes the gradient of :func:`cost` on them and applies one ``optimizer`` update; with
  ``optax.sgd(alpha)`` that is plain SGD, W := W - alpha dW. ``costs[k]`` is the mini-batch cost
  before update ``k * log_every``. The program is the project's training loop
  (``_kernels.training_loop``), compiled once per (shapes, dtype, optimizer, steps, batch_size,
  activation, log_every, gradients). Computation is in the parameters' dtype. A run whose cost or
  parameters turn NaN or infinite warns with :class:`TrainingDivergedWarning`.

  Args:
    params: the initial layers.
    X: inputs, shape (m, n_x).
    labels: class indices, shape (m,).
    key: a ``jax.random`` key; it alone decides the mini-batches.
    optimizer: any optax ``GradientTransformation``.
    steps: number of updates.
    batch_size: rows per mini-batch, at most m.
    activation: the hidden activation.
    log_every: record the cost every this many updates.
    gradients: ``"manual"`` uses :func:`backward` (the lecture's equations), ``"autodiff"``
      ``jax.grad`` of :func:`cost` through the custom VJPs.

  Returns:
    ``(params, costs)``: the trained layers and the cost log, shape (steps // log_every,).

  Example:
    >>> import jax, jax.numpy as jnp, optax, jacts.multilayer as multilayer
    >>> from jacts.datasets import noisy_moons
    >>> X, Y = noisy_moons()
    >>> labels = Y[:, 0].astype(jnp.int32)
    >>> params = multilayer.init_params(jax.random.key(0), (2, 16, 16, 2))
    >>> params, costs = multilayer.fit(params, X, labels, key=jax.random.key(1),
    ...                                optimizer=optax.sgd(0.1), steps=2000, batch_size=32,
    ...                                log_every=1000)
    >>> costs.shape, bool(multilayer.accuracy(params, X, labels) > 0.9)
    ((2,), True)
  """
  function = "jacts.multilayer.fit"
  _networks.check_key(function, key)
  X, labels = layers.check_data(function, params, X, labels, activation)
  _networks.check_training(function, optimizer, gradients)
  _networks.check_schedule(function, steps, log_every)
  layers.check_batch_size(function, batch_size, X.shape[0])
  params = tuple(params)
  params, _, costs, report = layers.train(
      params, optimizer.init(params), key, X, labels, optimizer=optimizer, steps=steps,
      batch_size=batch_size, activation=activation, log_every=log_every, gradients=gradients,
  )  # fmt: skip
  warn_if_diverged(function, [report], log_every)
  return params, costs
