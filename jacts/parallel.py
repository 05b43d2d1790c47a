"""Data-parallel training over every device and every process, on JAX's own sharding machinery.

The examples are split along the batch axis over a ``jax.sharding.Mesh``; the parameters are
replicated; XLA inserts the all-reduces that the full-batch sums need (GSPMD), so the result is
single-device training's: the mean over the whole batch, not a mean of per-shard means. The same
call runs on the CPU, on all GPUs or TPU cores of a host, and on many hosts after
``jax.distributed.initialize()``.
"""

from collections.abc import Callable
from typing import Any, cast

import jax
import jax.numpy as jnp
import numpy as np
import optax
from jax.sharding import Mesh, NamedSharding
from jax.sharding import PartitionSpec as P
from jax.typing import ArrayLike

from jacts import _networks, _validation
from jacts._activations import hidden_activation, tanh
from jacts._networks import Gradients, Params

__all__ = ("fit",)


def fit(
  params: Params,
  X: ArrayLike,
  Y: ArrayLike,
  *,
  mesh: Mesh | None = None,
  optimizer: optax.GradientTransformation,
  steps: int,
  activation: Callable = tanh,
  log_every: int = 1000,
  gradients: Gradients = "manual",
) -> tuple[Params, jax.Array]:
  """:func:`jacts.shallow.fit`, data-parallel over the devices of ``mesh``.

  ``X`` and ``Y`` may be

  * the whole data set as host or single-device arrays (in a multi-process run, the same on every
    process, e.g. generated locally from one seed): each process places its devices' rows. When
    the number of examples does not divide by the device count, it is padded with masked examples
    that count in no sum or mean, so the result still equals single-device training; or
  * global ``jax.Array`` s already split along the batch axis, e.g. built on each process from
    its own rows with ``jax.make_array_from_process_local_data``; then the number of examples
    must divide by the device count.

  Args:
    params: the initial parameters, the same on every process.
    X: inputs, shape (m, n_x).
    Y: labels in {0, 1}, shape (m, n_y) (or (m,) when n_y = 1, for host data).
    mesh: the devices to use; the batch is split over all of its axes. Default: a
      one-axis mesh of every device of every process, ``jax.devices()``.
    optimizer: as for :func:`jacts.shallow.fit`.
    steps: as for :func:`jacts.shallow.fit`.
    activation: as for :func:`jacts.shallow.fit`.
    log_every: as for :func:`jacts.shallow.fit`.
    gradients: as for :func:`jacts.shallow.fit`.

  Returns:
    ``(params, costs)`` as :func:`jacts.shallow.fit` returns them, on every process.

  Example:
    >>> import optax, jacts.shallow as shallow, jacts.parallel as parallel
    >>> from jacts.datasets import planar_flower
    >>> X, Y = planar_flower()
    >>> params = shallow.lecture_params(2, 4, 1)
    >>> trained, costs = parallel.fit(params, X, Y, optimizer=optax.sgd(1.2), steps=2000)
    >>> print([f"{c:.4f}" for c in costs])
    ['0.6930', '0.2881']
  """
  function = "jacts.parallel.fit"
  if mesh is None:
    mesh = Mesh(np.array(jax.devices()), ("batch",))
  if not isinstance(mesh, Mesh):
    raise TypeError(f"`{function}`: `mesh` must be a jax.sharding.Mesh; got {type(mesh).__name__}.")
  _networks.check_params(function, params)
  _networks.check_training(function, optimizer, gradients)
  _networks.check_schedule(function, steps, log_every)
  rows = NamedSharding(mesh, P(mesh.axis_names, None))
  columns = NamedSharding(mesh, P(None, mesh.axis_names))
  replicated = NamedSharding(mesh, P())

  if _is_distributed(X) or _is_distributed(Y):
    X, Y = _check_global(function, params, X, Y, mesh.size, activation)
    # jax.device_put is untyped (pytree in, pytree out): an array in, an array out here.
    X, Y = cast(jax.Array, jax.device_put(X, rows)), cast(jax.Array, jax.device_put(Y, rows))
    mask, count = None, None
  else:
    X, Y = _networks.check_data(function, params, X, Y, activation)
    m = X.shape[0]
    padding = (-m) % mesh.size
    mask, count = None, None
    if padding:
      _refuse_per_example_arguments(function, activation, m, mesh.size)
      X = jnp.concatenate([X, jnp.zeros((padding, X.shape[1]), X.dtype)])
      Y = jnp.concatenate([Y, jnp.zeros((padding, Y.shape[1]), Y.dtype)])
      real = (jnp.arange(m + padding) < m).astype(X.dtype)[None, :]
      mask, count = _place(real, columns), m
    X, Y = _place(X, rows), _place(Y, rows)

  params = jax.tree.map(lambda p: _place(jnp.asarray(p), replicated), params)
  trained, _, costs = _networks.run(
    function,
    params,
    optimizer.init(params),
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
  return jax.tree.map(_local, trained), _local(costs)


def _refuse_per_example_arguments(
  function: str, activation: Callable, m: int, device_count: int
) -> None:
  """A bound (m, n_h) argument has no values for the padding rows: refused in the user's terms."""
  for name, value in _validation.bound_arrays(activation).items():
    if np.ndim(value) == 2 and np.shape(value)[0] != 1:
      raise ValueError(
        f"`{function}`: the `{name}` bound to `activation` has one row per example (shape "
        f"{np.shape(value)}), but {m} examples do not split evenly over {device_count} devices "
        f"and padding rows have no values; pass a number of examples divisible by "
        f"{device_count}, or one value per hidden unit."
      )


def _place(whole: jax.Array, sharding: NamedSharding) -> jax.Array:
  """Puts this process's part of an array it holds whole onto its devices (and no other part)."""
  return jax.make_array_from_callback(whole.shape, sharding, lambda index: whole[index])


def _local(array: jax.Array) -> jax.Array:
  """A replicated result as an ordinary array on this process."""
  return array if array.is_fully_addressable else array.addressable_data(0)


def _is_distributed(x: Any) -> bool:
  return isinstance(x, jax.Array) and not x.is_fully_addressable


def _check_global(
  function: str, params: Params, X: Any, Y: Any, device_count: int, activation: Callable
) -> tuple[jax.Array, jax.Array]:
  """Shape and dtype checks for global arrays, whose values this process cannot all see."""
  hidden_activation(function, activation)
  n_x, n_y, dtype = params.W1.shape[1], params.W2.shape[0], jnp.result_type(params.W1)
  for name, array, width in (("X", X, n_x), ("Y", Y, n_y)):
    if not isinstance(array, jax.Array) or array.ndim != 2 or array.shape[1] != width:
      raise ValueError(
        f"`{function}`: `{name}` must be a global array of shape (m, {width}) like its partner; "
        f"got {getattr(array, 'shape', type(array).__name__)}."
      )
    if array.dtype != dtype:
      raise TypeError(
        f"`{function}`: `{name}` must have the parameters' dtype {dtype}; got {array.dtype}."
      )
  if X.shape[0] != Y.shape[0]:
    raise ValueError(
      f"`{function}`: `X` and `Y` must have the same number of rows (examples); got "
      f"{X.shape[0]} and {Y.shape[0]}."
    )
  if X.shape[0] == 0:
    raise ValueError(f"`{function}`: `X` must hold at least one example; got shape {X.shape}.")
  _networks.check_activation_parameters(function, activation, X.shape[0], params.W1.shape[0])
  if X.shape[0] % device_count:
    raise ValueError(
      f"`{function}`: a global `X` of {X.shape[0]} rows cannot be split evenly over "
      f"{device_count} devices, and jacts cannot pad an array that other processes hold; pad "
      f"it (or pass the whole data set as host arrays, which jacts pads with masked examples)."
    )
  return X, Y
