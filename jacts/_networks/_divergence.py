"""Telling a diverged training run, from one check of its results after the compiled run."""

import sys
import warnings
from types import FrameType

import jax
import jax.numpy as jnp
import numpy as np

from jacts._networks._types import Params


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


def divergence_report(params: Params, costs: jax.Array) -> jax.Array:
  """[index of the first logged cost that is not finite, or -1; 1 if all params are finite, else 0].

  Computed inside the compiled run, so that checking a whole run costs the host one small read.
  """
  bad = ~jnp.isfinite(costs)
  first = jnp.where(jnp.any(bad), jnp.argmax(bad), -1) if costs.size else jnp.array(-1)
  finite = jnp.all(jnp.stack([jnp.all(jnp.isfinite(p)) for p in jax.tree.leaves(params)]))
  return jnp.stack([first.astype(jnp.int32), finite.astype(jnp.int32)])


def warn_if_diverged(function: str, reports, log_every: int) -> None:
  """Warns with :class:`TrainingDivergedWarning` if any network's run diverged.

  ``reports`` holds one :func:`divergence_report` row per network (one row for a single network).
  Inside a traced function (``fit`` under ``jax.jit`` or ``jax.vmap``) there is nothing concrete
  to check without a host callback in compiled code, so nothing is checked.
  """
  leaves = jax.tree.leaves(reports)
  if any(isinstance(leaf, jax.core.Tracer) for leaf in leaves):
    return
  # A multi-process run's result is replicated: every process reads its own copy.
  local = [x.addressable_data(0) if not x.is_fully_addressable else x for x in leaves]
  rows = np.asarray(jax.device_get(local)).reshape(-1, 2)
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
  warnings.warn(warning, stacklevel=_caller_level())


def _caller_level() -> int:
  """The ``stacklevel`` of the first frame outside jacts: the user's call, however deep."""
  frame: FrameType | None = sys._getframe(1)
  level = 1
  while frame is not None and frame.f_globals.get("__name__", "").partition(".")[0] == "jacts":
    frame, level = frame.f_back, level + 1
  return level
