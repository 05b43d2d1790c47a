"""Training the shallow network: every loop one compiled program, checked once when done."""

import functools
from collections.abc import Callable, Sequence
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np
import optax
from jax.typing import ArrayLike

from jacts._activations import tanh
from jacts._networks import _checks, _lecture
from jacts._networks._divergence import TrainingDivergedWarning as TrainingDivergedWarning
from jacts._networks._divergence import divergence_report, warn_if_diverged
from jacts._networks._kernels import UNROLL, Batch, batch, training_loop
from jacts._networks._types import Gradients, Params


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

  ``fit`` is :func:`train_steps` from ``optimizer.init(params)``. The program is compiled once
  per (shapes, dtype, optimizer, steps, activation, log_every, gradients) and reused by later
  calls with the same ones. ``optimizer`` and ``activation`` count as the same when they are the
  same object (``jax.jit`` hashes them by identity): reuse one ``optax.sgd(1.2)`` or one
  ``functools.partial`` across calls, since a fresh one compiles again. Computation is in the
  parameters' dtype: X and Y are converted to it. (In bfloat16, plain gradient descent stalls
  once the updates fall below the parameters' 8-bit precision: keep float32 parameters for
  training.) A run whose cost or parameters turn NaN or infinite warns with
  :class:`TrainingDivergedWarning`, from one check after the compiled run.

  Args:
    params: the initial parameters.
    X: inputs, shape (m, n_x), finite.
    Y: labels in {0, 1}, shape (m, n_y), or (m,) when n_y = 1.
    optimizer: any optax ``GradientTransformation`` (sgd, adam, schedules, chains).
    steps: number of updates.
    activation: the hidden activation: an elementwise jacts activation, its forward-mode version,
      or a ``functools.partial`` of one (softmax, log_softmax and glu mix a row's entries and are
      refused with a ValueError naming ``activation``).
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
  params, _, costs = _train(
    "jacts.shallow.fit",
    params,
    _FRESH,
    X,
    Y,
    optimizer=optimizer,
    steps=steps,
    activation=activation,
    log_every=log_every,
    gradients=gradients,
  )
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
    >>> params, optimizer = shallow.lecture_params(2, 4, 1), optax.sgd(1.2, momentum=0.5)
    >>> opt_state = optimizer.init(params)
    >>> for _ in range(2):
    ...   params, opt_state, costs = shallow.train_steps(
    ...       params, opt_state, X, Y, optimizer=optimizer, steps=1000)
    >>> print([f"{c:.4f}" for c in costs])
    ['0.2452']
  """
  return _train(
    "jacts.shallow.train_steps",
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


_FRESH = object()  # fit's optimizer state: optimizer.init(params), once the checks have passed.


def _train(function, params, opt_state, X, Y, **options):
  """Checks, then :func:`run` with the same ``options``; ``opt_state`` _FRESH is
  ``optimizer.init(params)``, for fit."""
  X, Y = _checks.check_data(function, params, X, Y, options["activation"])
  _checks.check_training(function, options["optimizer"], options["gradients"])
  _checks.check_schedule(function, options["steps"], options["log_every"])
  if opt_state is _FRESH:
    opt_state = options["optimizer"].init(params)
  return run(function, params, opt_state, X, Y, **options)


def run(
  function: str,
  params: Params,
  opt_state: optax.OptState,
  X: jax.Array,
  Y: jax.Array,
  mask: jax.Array | None = None,
  *,
  optimizer: optax.GradientTransformation,
  steps: int,
  activation: Callable,
  log_every: int,
  gradients: Gradients,
  count: int | None = None,
) -> tuple[Params, optax.OptState, jax.Array]:
  """The compiled training run, then its one divergence check: what every trainer shares.

  Arguments are checked already (``function`` names the caller in the warning). ``mask`` and
  ``count`` are for data-parallel training's padded batches (see ``_kernels.Batch``).
  """
  params, opt_state, costs, report = _train_steps(
    params,
    opt_state,
    X,
    Y,
    mask,
    optimizer=optimizer,
    steps=steps,
    activation=activation,
    log_every=log_every,
    gradients=gradients,
    count=count,
  )
  warn_if_diverged(function, [report], log_every)
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
  X, Y = _checks.check_data(function, params, X, Y, activation, check_values=False)
  _checks.check_training(function, optimizer, gradients)
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
    _checks.check_params(function, params)
  _checks.check_same_layout(function, networks)
  X, Y = _checks.check_data(function, networks[0], X, Y, activation)
  _checks.check_training(function, optimizer, gradients)
  _checks.check_schedule(function, steps, log_every)
  sizes = sorted({params.W1.shape[0] for params in networks})
  for n_h in sizes:
    _checks.check_activation_parameters(function, activation, X.shape[0], n_h)
  members = [[i for i, p in enumerate(networks) if p.W1.shape[0] == n_h] for n_h in sizes]
  groups = tuple(
    jax.tree.map(lambda *leaves: jnp.stack(leaves), *(networks[i] for i in group))
    for group in members
  )
  trained_groups, group_costs, group_reports = _fit_groups(
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
  reports = jnp.concatenate(group_reports)[np.argsort(order)]
  warn_if_diverged(function, reports, log_every)
  trained: list[Any] = [None] * len(networks)  # Params, filled in below.
  costs: list[Any] = [None] * len(networks)
  for group, stacked, logged in zip(members, trained_groups, group_costs, strict=True):
    for position, i in enumerate(group):
      trained[i] = jax.tree.map(lambda leaf, k=position: leaf[k], stacked)
      costs[i] = logged[:, position]
  return trained, jnp.stack(costs)


def _update(params, opt_state, batch: Batch, *, optimizer, activation, gradients):
  J, grads = _lecture.cost_and_gradients(params, batch, activation, gradients)
  updates, opt_state = optimizer.update(grads, opt_state, params)
  return optax.apply_updates(params, updates), opt_state, J


_FIT_STATIC = ("optimizer", "steps", "activation", "log_every", "gradients")


@functools.partial(jax.jit, static_argnames=("optimizer", "activation", "gradients"))
def _train_step(params, opt_state, X, Y, *, optimizer, activation, gradients):
  return _update(
    params, opt_state, batch(X, Y), optimizer=optimizer, activation=activation, gradients=gradients
  )


@functools.partial(jax.jit, static_argnames=(*_FIT_STATIC, "count"))
def _train_steps(
  params, opt_state, X, Y, mask=None, *, optimizer, steps, activation, log_every, gradients,
  count=None,
):  # fmt: skip
  update = functools.partial(
    _update, optimizer=optimizer, activation=activation, gradients=gradients
  )
  data = batch(X, Y, mask, count)  # Once, outside the loop.

  def step(state):
    params, opt_state = state
    params, opt_state, J = update(params, opt_state, data)
    return (params, opt_state), J

  def cost(state):
    params, _ = state
    return _lecture.cost(params, data, activation)

  (params, opt_state), costs = training_loop(step, (params, opt_state), steps, log_every,
                                             unroll=UNROLL, measure=cost)  # fmt: skip
  return params, opt_state, costs, divergence_report(params, costs)


@functools.partial(jax.jit, static_argnames=_FIT_STATIC)
def _fit_groups(groups, X, Y, *, optimizer, steps, activation, log_every, gradients):
  """Trains groups of stacked networks (one group per hidden size) in one loop.

  Not unrolled: its steps are all arithmetic, where the loop's overhead does not show.
  """
  update = functools.partial(
    _update, optimizer=optimizer, activation=activation, gradients=gradients
  )
  batched_update = jax.vmap(update, in_axes=(0, 0, None))
  data = batch(X, Y)

  def step(state):
    updated = [batched_update(params, opt_state, data) for params, opt_state in state]
    return tuple((p, s) for p, s, _ in updated), tuple(J for _, _, J in updated)

  batched_cost = jax.vmap(_lecture.cost, in_axes=(0, None, None))

  def cost(state):
    return tuple(batched_cost(params, data, activation) for params, _ in state)

  state = tuple((params, jax.vmap(optimizer.init)(params)) for params in groups)
  state, costs = training_loop(step, state, steps, log_every, unroll=1, measure=cost)
  trained = tuple(params for params, _ in state)
  reports = tuple(
    jax.vmap(divergence_report, in_axes=(0, 1))(params, logged)
    for params, logged in zip(trained, costs, strict=True)
  )
  return trained, costs, reports
