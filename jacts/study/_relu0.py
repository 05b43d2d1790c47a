"""The whole ReLU'(0) study on one data set (:func:`relu0`, what ``jacts study relu0`` runs), and
the count of its compiled programs."""

from collections.abc import Callable, Sequence

import jax
import numpy as np

from jacts.study import _data, _network
from jacts.study._checks import DTYPES, check_choice, check_dtypes
from jacts.study._measurements import (
  _DEFAULTS,
  PROTOCOLS,
  WIDTHS,
  bifurcation,
  load_dataset,
  training,
)
from jacts.study._report import Report


def relu0(
  dataset: str = "digits",
  *,
  draws: int = 100,
  widths: Sequence[int] = WIDTHS,
  depth: int = 3,
  protocols: Sequence[str] = PROTOCOLS,
  batch_size: int | None = None,
  init: str | None = None,
  architecture: str | None = None,
  matmul: Sequence[str] | None = None,
  dtypes: Sequence[str] = DTYPES,
  seed: int = 0,
  steps: int = 1000,
  learning_rate: float = 0.1,
  train_width: int = 64,
  log_every: int = 50,
  progress: Callable[[str], None] | None = None,
) -> Report:
  """The whole study on one data set: :func:`bifurcation` per protocol and matmul mode, then
  :func:`training`.

  The data set is split by ``seed`` into 75 % training rows (the mini-batches of both parts) and
  25 % held out for the test accuracy; ``seed`` also gives the keys of the draws and of training.
  Every ``matmul`` mode runs for every dtype, except that ``"float32"`` and ``"tf32"`` compute
  the same products for every dtype but float32: when both are asked for, the second runs for
  float32 alone (:func:`programs` counts what runs).

  Args:
    dataset: one of :data:`DATASETS`.
    draws, widths, depth, dtypes: as for :func:`bifurcation`.
    protocols: names among :data:`PROTOCOLS`, each measured.
    batch_size, init, architecture: as for :func:`bifurcation`, for every protocol; by default
      each protocol's own. Training uses ``batch_size``, or 128, and :mod:`jacts.multilayer`'s
      He-normal network.
    matmul: modes among ``"float32"``, ``"tf32"`` and ``"default"``; by default float32 and
      tf32, and default too on a GPU.
    seed: a non-negative integer.
    steps, learning_rate, log_every: as for :func:`training`.
    train_width: the hidden width of the training runs.
    progress: called with a description after each compiled program (for a progress bar).

  Returns:
    A :class:`Report`; ``report.to_json()`` is what ``jacts study relu0 --json`` writes.

  Example:
    >>> from jacts import study
    >>> report = study.relu0("moons", draws=4, widths=(8,), depth=2, batch_size=16,
    ...                      dtypes=("float64",), steps=100, train_width=8)
    >>> sorted(report.to_dict()), [(r.protocol, r.share) for r in report.bifurcation]
    (['bifurcation', 'dataset', 'seed', 'training', 'zeros'], [('draw', 0.0), ('paper', 0.0)])
  """
  function = "jacts.study.relu0"
  if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
    raise ValueError(f"`{function}`: `seed` must be an integer >= 0; got {seed!r}.")
  protocols = _names(function, "protocols", protocols)
  matmul = _names(function, "matmul", default_matmul() if matmul is None else matmul)
  for name in protocols:
    check_choice(function, "protocols", name, PROTOCOLS)
  for mode in matmul:
    check_choice(function, "matmul", mode, _network.MATMUL)
  dtypes = check_dtypes(function, dtypes)
  X, labels = load_dataset(dataset)
  X_train, labels_train, X_test, labels_test = _data.split(X, labels, seed)
  key_draws, key_training = jax.random.split(jax.random.key(seed))
  bifurcations = []
  for name in protocols:
    for i, mode in enumerate(matmul):
      if not (mode_dtypes := _matmul_dtypes(matmul[:i], mode, dtypes)):
        continue
      bifurcations += bifurcation(
        X_train, labels_train, key=key_draws, draws=draws, dtypes=mode_dtypes,
        widths=widths, depth=depth, protocol=name, batch_size=batch_size, init=init,
        architecture=architecture, matmul=mode, progress=progress,
      )  # fmt: skip
  runs, zeros = training(
    X_train, labels_train, X_test, labels_test, key=key_training, dtypes=dtypes,
    width=train_width, depth=depth, batch_size=batch_size or _DEFAULTS["draw"].batch_size,
    steps=steps, learning_rate=learning_rate, log_every=log_every, progress=progress,
  )  # fmt: skip
  return Report(dataset, int(seed), bifurcations, zeros, runs)


def programs(
  protocols: Sequence[str],
  matmul: Sequence[str] | None,
  dtypes: Sequence[str],
  widths: Sequence[int],
) -> int:
  """How many compiled programs :func:`relu0` runs (and calls ``progress`` after).

  Example:
    >>> programs(("draw", "paper"), ("float32", "tf32"), DTYPES, WIDTHS)  # (4 + 1) * 5 * 2 + 4
    54
  """
  dtypes, modes = tuple(dtypes), tuple(default_matmul() if matmul is None else matmul)
  configurations = sum(len(_matmul_dtypes(modes[:i], m, dtypes)) for i, m in enumerate(modes))
  return len(protocols) * configurations * len(widths) + len(dtypes)


def default_matmul() -> tuple[str, ...]:
  """The matmul modes :func:`relu0` runs by default: float32 and tf32, and on a GPU also the
  backend's default precision, which may differ from both."""
  return ("float32", "tf32") + (("default",) if jax.default_backend() == "gpu" else ())


def _matmul_dtypes(before: tuple[str, ...], mode: str, dtypes: tuple[str, ...]) -> tuple[str, ...]:
  """The dtypes ``mode`` runs for after the modes ``before``: float32 alone where its twin
  (float32 or tf32, the same products outside float32) already ran, else every one."""
  twins = {"float32", "tf32"}
  if mode in twins and twins & set(before):
    return tuple(d for d in dtypes if d == "float32")
  return dtypes


def _names(function: str, name: str, value: str | Sequence[str]) -> tuple[str, ...]:
  names = (value,) if isinstance(value, str) else tuple(value)
  if not names:
    raise ValueError(f"`{function}`: `{name}` must name at least one; got {list(names)}.")
  return names
