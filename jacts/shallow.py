r"""A network with one hidden layer: the lecture's forward pass, cost, backprop and training.

Examples are rows (the JAX convention); weights are (out, in) as in the lecture:

.. math::
  Z_1 = X W_1^\top + b_1, \quad A_1 = g(Z_1), \quad Z_2 = A_1 W_2^\top + b_2, \quad
  A_2 = \sigma(Z_2), \quad J = -\frac{1}{m} \sum \left[ Y \log A_2 + (1 - Y) \log(1 - A_2) \right].

:func:`backward` is the lecture's backprop written by hand; :func:`fit` runs the whole training
loop as one compiled program.
"""

import functools
import inspect
import warnings
from collections.abc import Callable, Sequence
from typing import Literal, NamedTuple

import jax
import jax.numpy as jnp
import numpy as np
import optax
from jax.typing import ArrayLike

from jacts import _validation
from jacts._activations import sigmoid, tanh
from jacts._derivative import derivative, known_activation
from jacts._forward_mode import forward_mode, is_forward_mode

Gradients = Literal["manual", "autodiff"]


class Params(NamedTuple):
  """The network's parameters, weights as (out, in) like the lecture's."""

  W1: jax.Array  # shape=(n_h, n_x)
  b1: jax.Array  # shape=(n_h,)
  W2: jax.Array  # shape=(n_y, n_h)
  b2: jax.Array  # shape=(n_y,)


class Cache(NamedTuple):
  """What the forward pass computed, kept for the backward pass."""

  Z1: jax.Array  # shape=(m, n_h)
  A1: jax.Array  # shape=(m, n_h)
  Z2: jax.Array  # shape=(m, n_y)
  A2: jax.Array  # shape=(m, n_y)


class TrainingDivergedWarning(RuntimeWarning):
  """Training produced a cost or parameters that are NaN or infinite (a learning rate too large?).

  Raised as a warning by :func:`fit`, :func:`train_steps`, :func:`fit_many` and
  :func:`jacts.parallel.fit` after the compiled run, from one check of its results (never a host
  sync per step). Turn it into an error with ``warnings.simplefilter("error",
  TrainingDivergedWarning)``.

  Attributes:
    iteration: the first iteration, counted from the start of the call, whose logged cost is not
      finite; None when every logged cost is finite but the trained parameters are not.
    network: for :func:`fit_many`, the index of the first network that diverged; else None.
  """

  def __init__(self, message: str, iteration: int | None = None, network: int | None = None):
    super().__init__(message)
    self.iteration = iteration
    self.network = network


def init_params(
  key: jax.Array, n_x: int, n_h: int, n_y: int, *, scale: float = 0.01, dtype=None
) -> Params:
  """Small random weights and zero biases.

  The weights must be random: with equal (say zero) weights every hidden unit computes the same
  function and receives the same gradient, so the units stay identical forever and the layer
  acts as one unit. Zero biases are fine once the weights differ. They are small so that tanh
  and sigmoid start in their linear region, where g'(z) is near its largest.

  Args:
    key: a ``jax.random`` key.
    n_x: number of input features.
    n_h: number of hidden units.
    n_y: number of outputs (1 for binary classification).
    scale: the standard deviation of the weights.
    dtype: the parameters' dtype; default float32 (float64 under ``jax_enable_x64``).

  Returns:
    ``Params`` with W1 (n_h, n_x), b1 (n_h,), W2 (n_y, n_h), b2 (n_y,).

  Example:
    >>> import jax, jacts.shallow as shallow
    >>> params = shallow.init_params(jax.random.key(0), n_x=2, n_h=4, n_y=1)
    >>> [p.shape for p in params]
    [(4, 2), (4,), (1, 4), (1,)]
  """
  for name, size in (("n_x", n_x), ("n_h", n_h), ("n_y", n_y)):
    _check_positive_int("jacts.shallow.init_params", name, size)
  dtype = _validation.floating_dtype("jacts.shallow.init_params", "dtype", dtype)
  key_1, key_2 = jax.random.split(key)
  return Params(
    W1=scale * jax.random.normal(key_1, (n_h, n_x), dtype),
    b1=jnp.zeros((n_h,), dtype),
    W2=scale * jax.random.normal(key_2, (n_y, n_h), dtype),
    b2=jnp.zeros((n_y,), dtype),
  )


def lecture_params(n_x: int, n_h: int, n_y: int, *, seed: int = 2, dtype=None) -> Params:
  """The course's initialization, draw for draw.

  A legacy ``np.random.RandomState(seed)``: ``W1 = randn(n_h, n_x) * 0.01`` then
  ``W2 = randn(n_y, n_h) * 0.01``, biases zero, as the course's ``initialize_parameters``.

  Example:
    >>> import jacts.shallow as shallow
    >>> print(shallow.lecture_params(2, 4, 1).W1[0])
    [-0.00416758 -0.00056267]
  """
  for name, size in (("n_x", n_x), ("n_h", n_h), ("n_y", n_y)):
    _check_positive_int("jacts.shallow.lecture_params", name, size)
  _check_seed("jacts.shallow.lecture_params", seed)
  dtype = _validation.floating_dtype("jacts.shallow.lecture_params", "dtype", dtype)
  rng = np.random.RandomState(seed)
  W1 = rng.randn(n_h, n_x) * 0.01
  W2 = rng.randn(n_y, n_h) * 0.01
  return Params(
    W1=jnp.asarray(W1, dtype),
    b1=jnp.zeros((n_h,), dtype),
    W2=jnp.asarray(W2, dtype),
    b2=jnp.zeros((n_y,), dtype),
  )


def forward(
  params: Params, X: ArrayLike, *, activation: Callable = tanh
) -> tuple[jax.Array, Cache]:
  """The forward pass: hidden layer with ``activation``, output layer with sigmoid.

  Args:
    params: the network's parameters.
    X: inputs, shape (m, n_x), one example per row.
    activation: the hidden activation: a jacts activation or a ``functools.partial`` of one.

  Returns:
    ``(A2, cache)``: A2 (m, n_y), the probabilities of class 1; cache (Z1, A1, Z2, A2).

  Example:
    >>> import jacts.shallow as shallow
    >>> from jacts.datasets import planar_flower
    >>> X, Y = planar_flower()
    >>> A2, cache = shallow.forward(shallow.lecture_params(2, 4, 1), X)
    >>> A2.shape, cache.Z1.shape
    ((400, 1), (400, 4))
  """
  X, _ = _checked("jacts.shallow.forward", params, X, None, activation, allow_empty=True)
  cache = Cache(*(c.T for c in _forward_columns(params, X.T, activation)))
  return cache.A2, cache


def cost(params: Params, X: ArrayLike, Y: ArrayLike, *, activation: Callable = tanh) -> jax.Array:
  r"""The cross-entropy cost, computed stably from the logits Z2.

  .. math::
    J = -\frac{1}{m} \sum \left[ y \log a + (1 - y) \log(1 - a) \right]
      = \frac{1}{m} \sum \left[ \operatorname{softplus}(z_2) - y z_2 \right]

  The second form has no log(0) where the sigmoid saturates. Its gradient with respect to Z2 is
  (A2 - Y)/m, the lecture's dZ2; the gradient reaches the hidden layer through the activation's
  custom VJP.

  Args:
    params: the network's parameters.
    X: inputs, shape (m, n_x).
    Y: labels in {0, 1}, shape (m, n_y), or (m,) when n_y = 1.
    activation: the hidden activation.

  Returns:
    J, a scalar in the parameters' dtype.

  Example:
    >>> import jacts.shallow as shallow
    >>> from jacts.datasets import planar_flower
    >>> X, Y = planar_flower()
    >>> print(round(float(shallow.cost(shallow.lecture_params(2, 4, 1), X, Y)), 6))
    0.693048
  """
  X, Y = _checked("jacts.shallow.cost", params, X, Y, activation)
  return _cost_columns(params, _batch(X, Y), activation)


def backward(
  params: Params, cache: Cache, X: ArrayLike, Y: ArrayLike, *, activation: Callable = tanh
) -> Params:
  r"""The lecture's backprop, by hand.

  In the lecture's notation, with the examples as the columns of X, Y, Z and A:

  .. math::
    dZ_2 = A_2 - Y, \quad dW_2 = \tfrac{1}{m} dZ_2 A_1^\top, \quad
    db_2 = \tfrac{1}{m} \textstyle\sum_i dZ_2, \\
    dZ_1 = W_2^\top dZ_2 \odot g'(Z_1), \quad dW_1 = \tfrac{1}{m} dZ_1 X^\top, \quad
    db_1 = \tfrac{1}{m} \textstyle\sum_i dZ_1.

  That is how it is computed (examples along the vector lanes); the arguments are batch-first as
  everywhere in jacts, and transposed at the boundary. g'(Z1) comes from
  :func:`jacts.derivative_from_output` (1 - A1^2 for tanh, as the lecture writes it) where the
  activation has that form, else :func:`jacts.derivative` on Z1: the same rules as the custom
  VJPs, so this equals ``jax.grad(cost)``.

  Args:
    params: the network's parameters.
    cache: the forward pass's cache for the same ``params`` and ``X``.
    X: inputs, shape (m, n_x).
    Y: labels in {0, 1}, shape (m, n_y), or (m,) when n_y = 1.
    activation: the hidden activation used in the forward pass.

  Returns:
    The gradient of :func:`cost`, as ``Params``.

  Example:
    >>> import jax, jacts.shallow as shallow
    >>> from jacts.datasets import planar_flower
    >>> X, Y = planar_flower()
    >>> params = shallow.lecture_params(2, 4, 1)
    >>> _, cache = shallow.forward(params, X)
    >>> grads = shallow.backward(params, cache, X, Y)
    >>> [g.shape for g in grads]
    [(4, 2), (4,), (1, 4), (1,)]
  """
  X, Y = _checked("jacts.shallow.backward", params, X, Y, activation)
  _check_cache(params, cache, X)
  columns = Cache(*(c.T for c in cache))
  return _gradients_columns(params, columns, _batch(X, Y), activation)


def predict(params: Params, X: ArrayLike, *, activation: Callable = tanh) -> jax.Array:
  """Class predictions: 1 where the network's probability exceeds 0.5, else 0.

  Returns:
    int32 array of shape (m, n_y) with values 0 and 1.

  Example:
    >>> import jax.numpy as jnp, jacts.shallow as shallow
    >>> print(shallow.predict(shallow.lecture_params(2, 4, 1), jnp.zeros((3, 2))).ravel())
    [0 0 0]
  """
  X, _ = _checked("jacts.shallow.predict", params, X, None, activation, allow_empty=True)
  return _predict_columns(params, X.T, activation).T


def accuracy(
  params: Params, X: ArrayLike, Y: ArrayLike, *, activation: Callable = tanh
) -> jax.Array:
  """The fraction of labels the network predicts correctly, in [0, 1].

  Example:
    >>> import jacts.shallow as shallow
    >>> from jacts.datasets import planar_flower
    >>> X, Y = planar_flower()
    >>> print(round(float(shallow.accuracy(shallow.lecture_params(2, 4, 1), X, Y)), 4))
    0.5975
  """
  X, Y = _checked("jacts.shallow.accuracy", params, X, Y, activation)
  return jnp.mean(_predict_columns(params, X.T, activation) == Y.T)


def fit(
  params: Params,
  X: ArrayLike,
  Y: ArrayLike,
  *,
  optimizer: optax.GradientTransformation,
  steps: int,
  activation: Callable = tanh,
  log_every: int = 1000,
  gradients: Gradients = "manual",
) -> tuple[Params, jax.Array]:
  """Trains the network: the whole loop is one compiled program (``lax.scan``, no Python loop).

  Full-batch training: every step computes the gradient of :func:`cost` on all of ``X`` and
  applies one ``optimizer`` update. With ``optax.sgd(alpha)`` this is the lecture's gradient
  descent, W := W - alpha dW. ``costs[k]`` is the cost of the parameters after ``k * log_every``
  updates (the lecture's "cost after iteration k * log_every"), for k = 0 .. steps // log_every - 1.

  The program is compiled once per (shapes, dtype, optimizer, steps, activation, log_every,
  gradients); a second call with the same ones reuses it. Computation is in the parameters'
  dtype: X and Y are converted to it. (In bfloat16, plain gradient descent stalls once the
  updates fall below the parameters' 8-bit precision: keep float32 parameters for training.)

  Args:
    params: the initial parameters.
    X: inputs, shape (m, n_x), finite.
    Y: labels in {0, 1}, shape (m, n_y), or (m,) when n_y = 1.
    optimizer: any optax ``GradientTransformation`` (sgd, adam, schedules, chains).
    steps: number of updates.
    activation: the hidden activation: a jacts activation or a ``functools.partial`` of one.
    log_every: record the cost every this many updates.
    gradients: ``"manual"`` uses :func:`backward` (the lecture's equations), ``"autodiff"`` uses
      ``jax.grad`` of :func:`cost` through the custom VJPs; both give the same parameters.

  Returns:
    ``(params, costs)``: the trained parameters and the cost log, shape (steps // log_every,).

  Example:
    >>> import optax, jacts.shallow as shallow
    >>> from jacts.datasets import planar_flower
    >>> X, Y = planar_flower()
    >>> params, costs = shallow.fit(shallow.lecture_params(2, 4, 1), X, Y,
    ...                             optimizer=optax.sgd(1.2), steps=2000)
    >>> print([f"{c:.4f}" for c in costs])
    ['0.6930', '0.2881']
  """
  function = "jacts.shallow.fit"
  X, Y = _checked(function, params, X, Y, activation)
  _check_training(function, optimizer, gradients)
  _check_schedule(function, steps, log_every)
  params, _, costs, divergence = _train_steps(
    params,
    optimizer.init(params),
    X,
    Y,
    optimizer=optimizer,
    steps=steps,
    activation=activation,
    log_every=log_every,
    gradients=gradients,
  )
  _warn_if_diverged(function, [divergence], log_every)
  return params, costs


def train_steps(
  params: Params,
  opt_state: optax.OptState,
  X: ArrayLike,
  Y: ArrayLike,
  *,
  optimizer: optax.GradientTransformation,
  steps: int,
  activation: Callable = tanh,
  log_every: int = 1000,
  gradients: Gradients = "manual",
) -> tuple[Params, optax.OptState, jax.Array]:
  """:func:`fit` that starts from, and returns, the optimizer's state: training in chunks.

  Calling it n times with ``steps=k`` gives the same parameters as one call with ``steps=n*k``
  (and, when k is a multiple of ``log_every``, the same cost log, in pieces): for progress
  reports or checkpoints between chunks, with one compilation for all of them.

  Returns:
    ``(params, opt_state, costs)``, with costs as for :func:`fit`.

  Example:
    >>> import optax, jacts.shallow as shallow
    >>> from jacts.datasets import planar_flower
    >>> X, Y = planar_flower()
    >>> params, optimizer = shallow.lecture_params(2, 4, 1), optax.adam(0.01)
    >>> opt_state = optimizer.init(params)
    >>> for _ in range(2):
    ...   params, opt_state, costs = shallow.train_steps(
    ...       params, opt_state, X, Y, optimizer=optimizer, steps=1000)
    >>> print([f"{c:.4f}" for c in costs])
    ['0.2856']
  """
  function = "jacts.shallow.train_steps"
  X, Y = _checked(function, params, X, Y, activation)
  _check_training(function, optimizer, gradients)
  _check_schedule(function, steps, log_every)
  params, opt_state, costs, divergence = _train_steps(
    params,
    opt_state,
    X,
    Y,
    optimizer=optimizer,
    steps=steps,
    activation=activation,
    log_every=log_every,
    gradients=gradients,
  )
  _warn_if_diverged(function, [divergence], log_every)
  return params, opt_state, costs


def train_step(
  params: Params,
  opt_state: optax.OptState,
  X: ArrayLike,
  Y: ArrayLike,
  *,
  optimizer: optax.GradientTransformation,
  activation: Callable = tanh,
  gradients: Gradients = "manual",
) -> tuple[Params, optax.OptState, jax.Array]:
  """One compiled training step, for users who write their own loop.

  Checks shapes on every call but not values (that would sync with the host each step): check
  the data once with :func:`cost` or :func:`fit` first. For many steps, :func:`fit` is faster.

  Returns:
    ``(params, opt_state, J)``, with J the cost of the parameters *before* this update.

  Example:
    >>> import optax, jacts.shallow as shallow
    >>> from jacts.datasets import planar_flower
    >>> X, Y = planar_flower()
    >>> params, optimizer = shallow.lecture_params(2, 4, 1), optax.sgd(1.2)
    >>> opt_state = optimizer.init(params)
    >>> for _ in range(3):
    ...   params, opt_state, J = shallow.train_step(params, opt_state, X, Y, optimizer=optimizer)
    >>> print(round(float(J), 4))
    0.6929
  """
  function = "jacts.shallow.train_step"
  X, Y = _checked(function, params, X, Y, activation, check_values=False)
  _check_training(function, optimizer, gradients)
  return _train_step(
    params, opt_state, X, Y, optimizer=optimizer, activation=activation, gradients=gradients
  )


def fit_many(
  networks: Sequence[Params],
  X: ArrayLike,
  Y: ArrayLike,
  *,
  optimizer: optax.GradientTransformation,
  steps: int,
  activation: Callable = tanh,
  log_every: int = 1000,
  gradients: Gradients = "manual",
) -> tuple[list[Params], jax.Array]:
  """Trains many networks on the same data at once, in one compiled program.

  Each network gets the training :func:`fit` would give it alone (its own optimizer state, its
  own cost log): the networks are grouped by hidden size, each group is vectorized with
  ``jax.vmap``, and one ``lax.scan`` advances every group. One compilation and one dispatch for
  the lot, and no padding. Typical uses: many seeds, many hidden sizes.

  Args:
    networks: the initial parameters of each network, all with the same n_x, n_y and dtype.
    X: inputs, shape (m, n_x), as for :func:`fit`.
    Y: labels, as for :func:`fit`.
    optimizer: as for :func:`fit`; each network has its own optimizer state.
    steps: as for :func:`fit`.
    activation: as for :func:`fit`.
    log_every: as for :func:`fit`.
    gradients: as for :func:`fit`.

  Returns:
    ``(trained, costs)``: the trained parameters in the order given, and the cost logs,
    shape (len(networks), steps // log_every).

  Example:
    >>> import optax, jacts.shallow as shallow
    >>> from jacts.datasets import planar_flower
    >>> X, Y = planar_flower()
    >>> networks = [shallow.lecture_params(2, n_h, 1) for n_h in (1, 4, 4)]
    >>> trained, costs = shallow.fit_many(networks, X, Y, optimizer=optax.sgd(1.2), steps=3000)
    >>> [p.W1.shape for p in trained], costs.shape
    ([(1, 2), (4, 2), (4, 2)], (3, 3))
  """
  function = "jacts.shallow.fit_many"
  if isinstance(networks, Params) or not isinstance(networks, Sequence) or not networks:
    raise ValueError(
      f"`{function}`: `networks` must be a non-empty sequence of Params; got {networks!r:.80}."
    )
  for params in networks:
    _check_params(function, params)
  _check_same_layout(function, networks)
  X, Y = _checked(function, networks[0], X, Y, activation)
  _check_training(function, optimizer, gradients)
  _check_schedule(function, steps, log_every)
  sizes = sorted({params.W1.shape[0] for params in networks})
  for n_h in sizes:
    _check_activation_parameters(function, activation, X.shape[0], n_h)
  members = [[i for i, p in enumerate(networks) if p.W1.shape[0] == n_h] for n_h in sizes]
  groups = tuple(
    jax.tree.map(lambda *leaves: jnp.stack(leaves), *(networks[i] for i in group))
    for group in members
  )
  trained_groups, group_costs, group_divergence = _fit_groups(
    groups,
    X,
    Y,
    optimizer=optimizer,
    steps=steps,
    activation=activation,
    log_every=log_every,
    gradients=gradients,
  )
  order = [i for group in members for i in group]
  divergence = jnp.concatenate(group_divergence)[np.argsort(order)]
  _warn_if_diverged(function, divergence, log_every)
  trained, costs = [None] * len(networks), [None] * len(networks)
  for group, stacked, logged in zip(members, trained_groups, group_costs, strict=True):
    for position, i in enumerate(group):
      trained[i] = jax.tree.map(lambda leaf, k=position: leaf[k], stacked)
      costs[i] = logged[:, position]
  return trained, jnp.stack(costs)


# The compiled cores: no checks (the public functions above made them). They are written in the
# lecture's own layout, examples along the last axis: X (n_x, m), Z1 and A1 (n_h, m), Z2, A2 and
# Y (n_y, m). That puts the m examples along the CPU's vector lanes; with examples as rows the
# n_h = 4 hidden units of the lecture's network fill 4 of 16 lanes and training is 2.2x slower
# (measured). The public functions transpose at the boundary.


def _matmul(W: jax.Array, A: jax.Array) -> jax.Array:
  """``W @ A``; written as k multiply-adds when the contracted size k is at most 8.

  XLA fuses those into the kernel that consumes the product (here the activation), where a dot
  would be a kernel of its own: about 15 % of a training step at the lecture's n_x = 2 (measured).
  """
  if W.shape[1] > 8:
    return W @ A
  terms = (W[:, k : k + 1] * A[k : k + 1] for k in range(W.shape[1]))
  return functools.reduce(jnp.add, terms)


def _with_ones_row(Xt: jax.Array) -> jax.Array:
  """[X; 1]: one product with it gives a layer's weight gradient and its bias gradient."""
  return jnp.concatenate([Xt, jnp.ones((1, Xt.shape[1]), Xt.dtype)])


def _output_layer_as_reductions(params: Params, activation: Callable) -> bool:
  """Whether to write the output layer's products (n_y = 1) as sums XLA fuses with g(Z1).

  Where g' is read from Z1 (ReLU, leaky ReLU), A1 itself need not be stored: as sums, XLA
  recomputes the cheap g(Z1) inside them instead of writing and re-reading an (n_h, m) array
  (ReLU step at n_h = 1024, m = 8192: 101 -> 84 ms, measured). tanh and sigmoid keep A1 for
  g'(Z1) = f(A1) anyway and would only recompute an expensive function, so they use products.
  """
  n_y = params.W2.shape[0]
  return n_y == 1 and known_activation(activation).rule.derivative_from_output is None


def _in_column_layout(activation: Callable) -> Callable:
  """``activation`` with its bound array arguments laid out as Z1 is here, (n_h, m).

  A user gives per-unit parameters in their layout, (n_h,) or (m, n_h) against Z1 (m, n_h);
  broadcast against the transposed Z1 as they are, an (n_h,) slope would apply per example.
  """
  arrays = _bound_arrays(activation)
  if not arrays:
    return activation
  as_columns = {name: jnp.reshape(v, (1,) * (2 - v.ndim) + v.shape).T for name, v in arrays.items()}
  return functools.partial(activation, **as_columns)


def _forward_columns(params: Params, Xt: jax.Array, activation: Callable) -> Cache:
  Z1 = _matmul(params.W1, Xt) + params.b1[:, None]
  A1 = _in_column_layout(activation)(Z1)
  if _output_layer_as_reductions(params, activation):
    Z2 = jnp.sum(params.W2.T * A1, axis=0, keepdims=True) + params.b2[:, None]
  else:
    Z2 = _matmul(params.W2, A1) + params.b2[:, None]
  # The output layer follows the hidden layer's mode, so forward mode reaches the whole network.
  output = forward_mode(sigmoid) if is_forward_mode(activation) else sigmoid
  return Cache(Z1, A1, Z2, output(Z2))


class _Batch(NamedTuple):
  """The training data in column layout, built once per training run."""

  Xt_and_ones: jax.Array  # shape=(n_x + 1, m): [X; 1].
  Yt: jax.Array  # shape=(n_y, m).
  # Data-parallel training pads m to a multiple of the device count: then mask is 1 for the
  # count real examples and 0 for the padding, which must not count in sums or means.
  mask: jax.Array | None = None  # shape=(1, m).
  count: int | None = None

  @property
  def Xt(self) -> jax.Array:
    return self.Xt_and_ones[:-1]

  @property
  def m(self) -> int:
    return self.Yt.shape[1] if self.count is None else self.count

  def masked(self, per_example: jax.Array) -> jax.Array:
    return per_example if self.mask is None else per_example * self.mask


def _batch(X: jax.Array, Y: jax.Array, mask=None, count=None) -> _Batch:
  return _Batch(_with_ones_row(X.T), Y.T, mask, count)


def _cost_from_logits(Z2: jax.Array, batch: _Batch) -> jax.Array:
  # -[y log(sigmoid(z)) + (1 - y) log(1 - sigmoid(z))] = softplus(z) - y z, finite for all z.
  return jnp.sum(batch.masked(jax.nn.softplus(Z2) - batch.Yt * Z2)) / batch.m


def _cost_columns(params: Params, batch: _Batch, activation: Callable):
  # A2 is not used here; XLA drops it.
  return _cost_from_logits(_forward_columns(params, batch.Xt, activation).Z2, batch)


def _hidden_derivative(activation: Callable, cache: Cache) -> jax.Array:
  from_output = known_activation(activation).rule.derivative_from_output
  if from_output is not None:
    return from_output(cache.A1)
  return derivative(_in_column_layout(activation))(cache.Z1)


def _gradients_columns(params: Params, cache: Cache, batch: _Batch, activation: Callable) -> Params:
  """The lecture's backprop, in its own notation."""
  m = batch.m
  dZ2 = batch.masked(cache.A2 - batch.Yt)
  if _output_layer_as_reductions(params, activation):
    dW2 = jnp.sum(dZ2 * cache.A1, axis=1)[None, :] / m
  else:
    dW2 = dZ2 @ cache.A1.T / m
  db2 = jnp.sum(dZ2, axis=1) / m
  dZ1 = _matmul(params.W2.T, dZ2) * _hidden_derivative(activation, cache)
  dW1_db1 = dZ1 @ batch.Xt_and_ones.T / m
  return Params(dW1_db1[:, :-1], dW1_db1[:, -1], dW2, db2)


def _cost_and_gradients(params, batch: _Batch, activation, gradients):
  if gradients == "autodiff":
    return jax.value_and_grad(_cost_columns)(params, batch, activation)
  cache = _forward_columns(params, batch.Xt, activation)
  J = _cost_from_logits(cache.Z2, batch)
  return J, _gradients_columns(params, cache, batch, activation)


def _predict_columns(params: Params, Xt: jax.Array, activation: Callable) -> jax.Array:
  return (_forward_columns(params, Xt, activation).A2 > 0.5).astype(jnp.int32)


def _update(params, opt_state, batch: _Batch, *, optimizer, activation, gradients):
  J, grads = _cost_and_gradients(params, batch, activation, gradients)
  updates, opt_state = optimizer.update(grads, opt_state, params)
  return optax.apply_updates(params, updates), opt_state, J


_FIT_STATIC = ("optimizer", "steps", "activation", "log_every", "gradients")
_TRAIN_STATIC = (*_FIT_STATIC, "count")


@functools.partial(jax.jit, static_argnames=("optimizer", "activation", "gradients"))
def _train_step(params, opt_state, X, Y, *, optimizer, activation, gradients):
  batch = _batch(X, Y)
  return _update(
    params, opt_state, batch, optimizer=optimizer, activation=activation, gradients=gradients
  )


def _training_loop(step, state, steps: int, log_every: int, *, unroll: int):
  """Runs ``step: state -> (state, cost)`` ``steps`` times as scans; logs every ``log_every``.

  ``unroll`` steps share one loop iteration: 4 saves about 8 % at the lecture's size, where the
  loop's own overhead shows (measured). Each unrolled step is compiled again: 8 would save 4 %
  more but add 0.27 s to every first call (0.56 -> 0.83 s), so fit uses 4 and fit_many, whose
  steps are all arithmetic, 1.
  """

  def steps_without_cost(state, count):
    # The cost is not an output here, so XLA drops its computation from these steps.
    per_iteration = max(1, min(unroll, count))
    state, _ = jax.lax.scan(
      lambda s, _: (step(s)[0], None), state, None, count, unroll=per_iteration
    )
    return state

  def logged_chunk(state, _):
    state, J = step(state)
    return steps_without_cost(state, log_every - 1), J

  state, costs = jax.lax.scan(logged_chunk, state, None, length=steps // log_every)
  return steps_without_cost(state, steps % log_every), costs


@functools.partial(jax.jit, static_argnames=_TRAIN_STATIC)
def _train_steps(
  params, opt_state, X, Y, mask=None, *, optimizer, steps, activation, log_every, gradients,
  count=None,
):  # fmt: skip
  update = functools.partial(
    _update, optimizer=optimizer, activation=activation, gradients=gradients
  )
  batch = _batch(X, Y, mask, count)  # Once, outside the loop.

  def step(state):
    params, opt_state, J = update(*state, batch)
    return (params, opt_state), J

  (params, opt_state), costs = _training_loop(step, (params, opt_state), steps, log_every, unroll=4)
  return params, opt_state, costs, _divergence(params, costs)


@functools.partial(jax.jit, static_argnames=_FIT_STATIC)
def _fit_groups(groups, X, Y, *, optimizer, steps, activation, log_every, gradients):
  """Trains groups of stacked networks (one group per hidden size) in one loop."""
  update = functools.partial(
    _update, optimizer=optimizer, activation=activation, gradients=gradients
  )
  batched_update = jax.vmap(update, in_axes=(0, 0, None))
  batch = _batch(X, Y)

  def step(state):
    updated = [batched_update(params, opt_state, batch) for params, opt_state in state]
    return tuple((p, s) for p, s, _ in updated), tuple(J for _, _, J in updated)

  state = tuple((params, jax.vmap(optimizer.init)(params)) for params in groups)
  state, costs = _training_loop(step, state, steps, log_every, unroll=1)
  trained = tuple(params for params, _ in state)
  divergence = tuple(
    jax.vmap(_divergence, in_axes=(0, 1))(params, logged)
    for params, logged in zip(trained, costs, strict=True)
  )
  return trained, costs, divergence


def _divergence(params: Params, costs: jax.Array) -> jax.Array:
  """[index of the first logged cost that is not finite, or -1; 1 if all params are finite, else 0].

  Computed inside the compiled run, so that checking a whole run costs the host one small read.
  """
  bad = ~jnp.isfinite(costs)
  first = jnp.where(jnp.any(bad), jnp.argmax(bad), -1) if costs.size else jnp.array(-1)
  finite = jnp.all(jnp.stack([jnp.all(jnp.isfinite(p)) for p in jax.tree.leaves(params)]))
  return jnp.stack([first, finite]).astype(jnp.int32)


def _warn_if_diverged(function: str, divergence, log_every: int) -> None:
  """Warns with :class:`TrainingDivergedWarning` if any network's run in ``divergence`` diverged.

  ``divergence`` holds one :func:`_divergence` row per network (one row for a single network).
  Inside a traced function (``fit`` under ``jax.jit`` or ``jax.vmap``) there is nothing concrete
  to check without a host callback in compiled code, so nothing is checked.
  """
  if any(isinstance(leaf, jax.core.Tracer) for leaf in jax.tree.leaves(divergence)):
    return
  rows = np.asarray(jax.device_get(divergence)).reshape(-1, 2)
  diverged = np.flatnonzero((rows[:, 0] >= 0) | (rows[:, 1] == 0))
  if not diverged.size:
    return
  network = int(diverged[0])
  first_bad_log, _ = (int(v) for v in rows[network])
  who = f"network {network}: " if len(rows) > 1 else ""
  if first_bad_log >= 0:
    iteration = first_bad_log * log_every
    detail = f"the cost is NaN or infinite from iteration {iteration} on"
  else:
    iteration = None
    detail = "the trained parameters hold NaN or infinite values (every logged cost was finite)"
  message = f"`{function}`: training diverged: {who}{detail}; try a smaller learning rate."
  warning = TrainingDivergedWarning(message, iteration, network if len(rows) > 1 else None)
  warnings.warn(warning, stacklevel=3)


# Checks, run on shapes before tracing, and on values where those are concrete.


def _checked(function, params, X, Y, activation, *, check_values=True, allow_empty=False):
  """Returns X (and Y, as (m, n_y)) in the parameters' dtype, or raises naming the argument.

  ``allow_empty``: whether m = 0 examples is fine (forward, predict); elsewhere a mean over no
  examples would be NaN.
  """
  _check_params(function, params)
  known_activation(activation)
  n_x = params.W1.shape[1]
  n_y = params.W2.shape[0]
  dtype = params.W1.dtype
  given = X
  X = _numeric(function, "X", X)
  if X.ndim != 2 or X.shape[1] != n_x:
    raise ValueError(
      f"`{function}`: `X` must have shape (m, n_x) = (m, {n_x}), one example per row "
      f"(n_x from `params.W1`); got shape {X.shape}."
    )
  if X.shape[0] == 0 and not allow_empty:
    raise ValueError(f"`{function}`: `X` must hold at least one example; got shape {X.shape}.")
  _check_activation_parameters(function, activation, X.shape[0], params.W1.shape[0])
  X = X.astype(dtype)
  if check_values and _is_concrete(X) and not _all(jnp.isfinite, X):
    if np.all(np.isfinite(np.asarray(given))):
      raise ValueError(
        f"`{function}`: `X` must fit in the parameters' dtype {dtype}; got values beyond its "
        f"range (largest magnitude {np.max(np.abs(np.asarray(given))):g})."
      )
    raise ValueError(f"`{function}`: `X` must be finite; got NaN or infinite values.")
  if Y is None:
    return X, None
  Y = _numeric(function, "Y", Y)
  if Y.ndim == 1 and n_y == 1:
    Y = Y[:, None]
  if Y.ndim != 2 or Y.shape[1] != n_y:
    raise ValueError(
      f"`{function}`: `Y` must have shape (m, n_y) = (m, {n_y}), or (m,) when n_y = 1 "
      f"(n_y from `params.W2`); got shape {Y.shape}."
    )
  if Y.shape[0] != X.shape[0]:
    raise ValueError(
      f"`{function}`: `X` and `Y` must have the same number of rows (examples); got "
      f"{X.shape[0]} and {Y.shape[0]}."
    )
  if check_values and _is_concrete(Y) and not _all(lambda y: (y == 0) | (y == 1), Y):
    labels = np.unique(np.asarray(Y))
    raise ValueError(f"`{function}`: `Y` must hold labels 0 and 1 only; got {_preview(labels)}.")
  return X, Y.astype(dtype)


def _check_params(function, params):
  if not isinstance(params, Params):
    raise TypeError(
      f"`{function}`: `params` must be a jacts.shallow.Params; got {type(params).__name__}."
    )
  for name, p in zip(Params._fields, params, strict=True):
    if not hasattr(p, "shape") or not hasattr(p, "dtype"):
      raise TypeError(
        f"`{function}`: `params.{name}` must be an array (jax.Array or numpy.ndarray); got "
        f"{type(p).__name__}."
      )
  shapes = tuple(np.shape(p) for p in params)
  W1, b1, W2, b2 = shapes
  if len(W1) != 2 or len(W2) != 2 or b1 != W1[:1] or b2 != W2[:1] or W2[1:] != W1[:1]:
    raise ValueError(
      f"`{function}`: `params` must have shapes W1 (n_h, n_x), b1 (n_h,), W2 (n_y, n_h), "
      f"b2 (n_y,); got {dict(zip(Params._fields, shapes, strict=True))}."
    )
  dtypes = {np.dtype(p.dtype) for p in params}
  if len(dtypes) != 1 or next(iter(dtypes)) not in _validation.FLOATING:
    raise TypeError(
      f"`{function}`: `params` must all have one floating dtype ({_validation.FLOATING_DTYPES}); "
      f"got {sorted(str(d) for d in dtypes)}."
    )


def _check_activation_parameters(function, activation, m, n_h):
  """Refuses array arguments of ``activation`` that do not broadcast to Z1's shape (m, n_h)."""
  for name, value in _bound_arrays(activation).items():
    shape = np.shape(value)
    if len(shape) > 2 or not _validation.broadcasts_to(shape, (m, n_h)):
      raise ValueError(
        f"`{function}`: the `{name}` bound to `activation` must have a shape that broadcasts to "
        f"the hidden layer's (m, n_h) = {(m, n_h)} (a scalar, one value per hidden unit (n_h,), "
        f"or (m, n_h)); got shape {shape}."
      )


def _bound_arrays(activation) -> dict:
  """The array arguments (not z) a ``functools.partial`` binds to an activation, by name."""
  if not isinstance(activation, functools.partial):
    return {}
  bound = inspect.signature(activation.func).bind_partial(*activation.args, **activation.keywords)
  return {
    name: value
    for name, value in bound.arguments.items()
    if name != "z" and np.ndim(value) > 0 and hasattr(value, "shape")
  }


def _check_same_layout(function, networks):
  layouts = {(p.W1.shape[1], p.W2.shape[0], str(jnp.result_type(p.W1))) for p in networks}
  if len(layouts) != 1:
    raise ValueError(
      f"`{function}`: every network in `networks` must have the same n_x, n_y and dtype "
      f"(they train on the same data); got (n_x, n_y, dtype) in {sorted(layouts)}."
    )


def _check_cache(params, cache, X):
  if not isinstance(cache, Cache):
    raise TypeError(
      "`jacts.shallow.backward`: `cache` must be the Cache that jacts.shallow.forward "
      f"returned; got {type(cache).__name__}."
    )
  m, n_h, n_y = X.shape[0], params.W1.shape[0], params.W2.shape[0]
  expected = ((m, n_h), (m, n_h), (m, n_y), (m, n_y))
  given = tuple(np.shape(c) for c in cache)
  if given != expected:
    raise ValueError(
      f"`jacts.shallow.backward`: `cache` must have shapes Z1, A1 {(m, n_h)} and Z2, A2 "
      f"{(m, n_y)} for these `params` and `X`; got {given}."
    )


def _check_training(function, optimizer, gradients):
  """Checks the optimizer and the choice of gradients."""
  if not isinstance(optimizer, optax.GradientTransformation):
    raise TypeError(
      f"`{function}`: `optimizer` must be an optax.GradientTransformation (e.g. "
      f"optax.sgd(1.2)); got {type(optimizer).__name__}."
    )
  if gradients not in ("manual", "autodiff"):
    raise ValueError(
      f"`{function}`: `gradients` must be 'manual' or 'autodiff'; got {gradients!r}."
    )


def _check_schedule(function, steps, log_every):
  _check_positive_int(function, "steps", steps, allow_zero=True)
  _check_positive_int(function, "log_every", log_every)


def _check_seed(function, seed):
  if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or not 0 <= seed < 2**32:
    raise ValueError(
      f"`{function}`: `seed` must be an integer in [0, 2**32 - 1] (NumPy's RandomState); "
      f"got {seed!r}."
    )


def _check_positive_int(function, name, value, *, allow_zero=False):
  lowest = 0 if allow_zero else 1
  if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < lowest:
    raise ValueError(f"`{function}`: `{name}` must be an integer >= {lowest}; got {value!r}.")


def _numeric(function, argument, x):
  if not hasattr(x, "shape"):
    try:
      x = np.asarray(x)
    except (TypeError, ValueError) as error:
      raise TypeError(
        f"`{function}`: `{argument}` must be an array; got {type(x).__name__}."
      ) from error
  dtype = np.dtype(x.dtype)
  if not (dtype in _validation.FLOATING or jnp.issubdtype(dtype, jnp.integer) or dtype == np.bool_):
    raise TypeError(
      f"`{function}`: `{argument}` must be a real numeric array; got dtype {dtype} (XLA computes "
      f"in integers, bool, {_validation.FLOATING_DTYPES})."
    )
  return jnp.asarray(x)


def _all(predicate, x) -> bool:
  """Whether ``predicate`` holds everywhere on concrete ``x``, evaluated on its device.

  One reduction and one boolean to the host, not the data; evaluated now even when called
  while tracing (a concrete array captured by a jitted function, say).
  """
  with jax.ensure_compile_time_eval():
    return bool(jnp.all(predicate(x)))


def _is_concrete(x) -> bool:
  return not isinstance(x, jax.core.Tracer)


def _preview(values: np.ndarray) -> str:
  shown = ", ".join(f"{v:g}" for v in values[:5])
  return f"{shown}{', ...' if len(values) > 5 else ''}"
