r"""When does ReLU'(0) matter? The lecture's convention measured in every precision.

The lecture: ReLU'(0) is undefined, and setting it to 1 or 0 makes no difference since z is
practically never exactly 0. Bertoin, Bolte, Gerchinovitz and Pauwels, "Numerical influence of
ReLU'(0) on backpropagation" (NeurIPS 2021), showed that in finite precision z == 0 does happen,
and then the two conventions give different gradients. jacts makes the convention a parameter
(``jacts.relu(z, derivative_at_zero=d)``); this module measures its effect on a
:mod:`jacts.multilayer` network, in bfloat16, float16, float32 and float64:

* :func:`bifurcation`: over random He-normal initializations, the share of draws whose gradient
  on one mini-batch differs, in at least one entry and bit for bit, between ReLU'(0) = 0 and 1.
* :func:`training`: the same initialization trained by plain SGD with ReLU'(0) = 0, 1 and values
  between, on the same mini-batches: test accuracy, distance between the parameter trajectories,
  and how many hidden pre-activations were exactly 0.
* :func:`relu0`: both, on one data set, as ``jacts study relu0`` runs them.

Every measurement is one compiled program per configuration (draws vectorized with
``jax.vmap``, training steps in ``lax.scan``), computed in the configuration's dtype: parameters
and data are rounded to it. float64 configurations run with ``jax_enable_x64`` turned on for
their duration only. The drivers here return Python numbers; the compiled programs inside them
are in ``_study_kernels.py``.
"""

import functools
import itertools
import json
from collections.abc import Callable, Iterable, Sequence
from types import TracebackType
from typing import TYPE_CHECKING, Any, Literal, NamedTuple

import jax
import jax.numpy as jnp
import numpy as np
import optax
from jax.typing import ArrayLike

from jacts import _multilayer_lecture as lecture
from jacts import _study_data, _study_kernels
from jacts._study_data import DATASETS as DATASETS

if TYPE_CHECKING:
  from matplotlib.figure import Figure

__all__ = (
  "CONVENTIONS",
  "DATASETS",
  "DTYPES",
  "Bifurcation",
  "Report",
  "Training",
  "Zeros",
  "bifurcation",
  "figure",
  "load_dataset",
  "relu0",
  "table",
  "training",
)

DTYPES = ("bfloat16", "float16", "float32", "float64")
WIDTHS = (16, 64, 256, 1024)
CONVENTIONS = (0.0, 0.5, 1.0)  # ReLU'(0) values trained; the first is the trajectories' reference.
# Draws computed at once under vmap: about this many weights in memory per chunk.
_WEIGHTS_PER_CHUNK = 2**22


class Bifurcation(NamedTuple):
  """One configuration of :func:`bifurcation`."""

  dtype: str
  width: int
  depth: int
  batch_size: int
  draws: int
  differing: int  # Draws whose two gradients differ in at least one entry.
  share: float  # differing / draws.


class Zeros(NamedTuple):
  """Exactly-zero hidden pre-activations during one training run of :func:`training`."""

  dtype: str
  derivative_at_zero: float
  width: int
  depth: int
  batch_size: int
  steps: int
  preactivations: int  # Hidden pre-activations computed: steps * batch_size * width * depth.
  zeros: int  # How many of them were exactly 0.
  share: float  # zeros / preactivations.
  steps_with_zeros: int  # Steps with at least one.


class Training(NamedTuple):
  """One training run of :func:`training`: one dtype, one ReLU'(0)."""

  dtype: str
  derivative_at_zero: float
  width: int
  depth: int
  batch_size: int
  steps: int
  learning_rate: float
  log_every: int
  test_accuracy: float  # After the last step.
  distance: float  # ||theta - theta_ref|| / ||theta_ref|| after the last step.
  accuracy_curve: tuple[float, ...]  # Before steps 0, log_every, ..., and after the last.
  distance_curve: tuple[float, ...]  # The same points, to the reference run (ReLU'(0) = 0).


class Report(NamedTuple):
  """What :func:`relu0` measured."""

  dataset: str
  seed: int
  bifurcation: list[Bifurcation]
  zeros: list[Zeros]
  training: list[Training]

  def to_dict(self) -> dict:
    """The JSON layout: ``{"bifurcation": [...], "zeros": [...], "training": [...]}``, plus
    ``dataset`` and ``seed``."""
    lists = {name: [record._asdict() for record in getattr(self, name)] for name in _SECTIONS}
    for run in lists["training"]:
      run["accuracy_curve"], run["distance_curve"] = (
        list(run["accuracy_curve"]), list(run["distance_curve"])
      )  # fmt: skip
    return {"dataset": self.dataset, "seed": self.seed, **lists}

  def to_json(self) -> str:
    return json.dumps(self.to_dict(), indent=1)


_SECTIONS = ("bifurcation", "zeros", "training")


def load_dataset(name: str = "digits") -> tuple[np.ndarray, np.ndarray]:
  """A data set for the study, generated locally or shipped with an installed package.

  ``"digits"`` is scikit-learn's bundled 8x8 digits (1797 images, 10 classes; ``pip install
  "jacts[study]"``), with the pixels scaled from 0..16 to [0, 1]; the others are the planar sets
  of :mod:`jacts.datasets` with their two classes.

  Args:
    name: one of :data:`DATASETS`.

  Returns:
    ``(X, labels)``: X float32 (m, n_x), labels int32 (m,).

  Example:
    >>> from jacts import study
    >>> X, labels = study.load_dataset("moons")
    >>> X.shape, X.dtype, labels.shape, sorted(set(labels.tolist()))
    ((200, 2), dtype('float32'), (200,), [0, 1])
  """
  if not isinstance(name, str):
    raise TypeError(f"`jacts.study`: `dataset` must be a string; got {type(name).__name__}.")
  return _study_data.load(name)


def bifurcation(
  X: ArrayLike,
  labels: ArrayLike,
  *,
  key: jax.Array,
  draws: int = 100,
  dtypes: Sequence[str] = DTYPES,
  widths: Sequence[int] = WIDTHS,
  depth: int = 3,
  batch_size: int = 128,
  progress: Callable[[str], None] | None = None,
) -> list[Bifurcation]:
  r"""How often one backprop differs between ReLU'(0) = 0 and ReLU'(0) = 1.

  For each configuration (dtype, width), ``draws`` times: draw He-normal weights (std
  :math:`\sqrt{2 / n_{l-1}}`, zero biases; :func:`jacts.multilayer.init_params`) for ``depth``
  hidden layers of ``width`` ReLU units, draw a mini-batch of ``batch_size`` rows, compute the
  lecture's backprop (:func:`jacts.multilayer.backward`) with each convention on the same forward
  pass, and count the draw if any gradient entry differs bit for bit (``!=`` in the dtype itself,
  inside the compiled program). The same keys are used for every configuration. In exact
  arithmetic the two never differ: a pre-activation is 0 with probability 0.

  Args:
    X: inputs, shape (m, n_x).
    labels: class indices, int (m,).
    key: a ``jax.random`` key.
    draws: initializations (and mini-batches) per configuration.
    dtypes: names among :data:`DTYPES`.
    widths: hidden widths.
    depth: the number L of hidden layers.
    batch_size: rows per mini-batch, at most m.
    progress: called with a description after each configuration.

  Returns:
    One :class:`Bifurcation` per (dtype, width), in that order.

  Example:
    >>> import jax
    >>> from jacts import study
    >>> X, labels = study.load_dataset("moons")
    >>> records = study.bifurcation(X[:150], labels[:150], key=jax.random.key(0), draws=4,
    ...                             dtypes=("float64",), widths=(8,), depth=2, batch_size=16)
    >>> [(r.dtype, r.width, r.draws, r.differing) for r in records]
    [('float64', 8, 4, 0)]
  """
  function = "jacts.study.bifurcation"
  X, labels, n_classes = _data(function, X, labels)
  dtypes, widths = _dtypes(function, dtypes), _widths(function, widths)
  _positive(function, "draws", draws)
  _positive(function, "depth", depth)
  _batch_size(function, batch_size, X.shape[0])
  keys = jax.random.split(key, draws)
  records = []
  for dtype in dtypes:
    for width in widths:
      sizes = (X.shape[1], *(width,) * depth, n_classes)
      weights = sum(a * b for a, b in itertools.pairwise(sizes))
      most = max(1, min(draws, _WEIGHTS_PER_CHUNK // weights))
      # A divisor of draws where one is near: a remainder is a second vmapped body to compile.
      divisor = max(c for c in range(1, most + 1) if draws % c == 0)
      chunk = divisor if 2 * divisor > most else most
      with jax.enable_x64(True) if dtype == "float64" else _nothing():
        differing = int(
          _study_kernels.differing_draws(
            keys, X, labels, sizes=sizes, dtype=jnp.dtype(dtype), batch_size=batch_size,
            chunk=chunk,
          )
        )  # fmt: skip
      records.append(
        Bifurcation(dtype, width, depth, batch_size, draws, differing, differing / draws)
      )
      if progress is not None:
        progress(f"bifurcation {dtype} width {width}")
  return records


def training(
  X: ArrayLike,
  labels: ArrayLike,
  X_test: ArrayLike,
  labels_test: ArrayLike,
  *,
  key: jax.Array,
  dtypes: Sequence[str] = DTYPES,
  conventions: Sequence[float] = CONVENTIONS,
  width: int = 64,
  depth: int = 3,
  batch_size: int = 128,
  steps: int = 1000,
  learning_rate: float = 0.1,
  log_every: int = 50,
  progress: Callable[[str], None] | None = None,
) -> tuple[list[Training], list[Zeros]]:
  r"""The same initialization trained with each ReLU'(0) in ``conventions``, per dtype.

  One He-normal draw (in float32, rounded to each dtype) is trained by plain SGD,
  :math:`\theta := \theta - \alpha \nabla J`, on the same sequence of mini-batches with every
  convention; all conventions of a dtype are one compiled program, steps in ``lax.scan``. Every
  ``log_every`` steps it records the test accuracy and the relative distance
  :math:`\lVert \theta_d - \theta_{d_0} \rVert / \lVert \theta_{d_0} \rVert` to the run with the
  first convention :math:`d_0`, and at every step it counts the hidden pre-activations that are
  exactly 0: where none is, the conventions cannot differ and the distance stays 0.

  Args:
    X: training inputs (m, n_x); labels: their classes, int (m,).
    X_test: held-out inputs; labels_test: their classes.
    key: a ``jax.random`` key: the initialization and the mini-batches.
    dtypes: names among :data:`DTYPES`.
    conventions: ReLU'(0) values in [0, 1]; the first is the reference of the distances.
    width: hidden width.
    depth: number of hidden layers.
    batch_size: rows per mini-batch.
    steps: SGD steps.
    learning_rate: the SGD step size.
    log_every: record every this many steps.
    progress: called with a description after each dtype.

  Returns:
    ``(runs, zeros)``: one :class:`Training` and one :class:`Zeros` per (dtype, convention).

  Example:
    >>> import jax
    >>> from jacts import study
    >>> X, labels = study.load_dataset("moons")
    >>> runs, zeros = study.training(X[:150], labels[:150], X[150:], labels[150:],
    ...   key=jax.random.key(0), dtypes=("float64",), width=8, depth=2, batch_size=16, steps=100)
    >>> [(r.derivative_at_zero, len(r.accuracy_curve)) for r in runs]
    [(0.0, 3), (0.5, 3), (1.0, 3)]
    >>> [z.preactivations for z in zeros]  # 100 steps * 16 rows * 8 units * 2 layers
    [25600, 25600, 25600]
  """
  function = "jacts.study.training"
  X, labels, n_classes = _data(function, X, labels)
  X_test, labels_test, _ = _data(function, X_test, labels_test, "X_test", "labels_test")
  if X_test.shape[1] != X.shape[1] or int(np.max(labels_test)) >= n_classes:
    raise ValueError(
      f"`{function}`: `X_test` and `labels_test` must have the training data's {X.shape[1]} "
      f"features and classes below {n_classes}; got {X_test.shape[1]} features and classes up "
      f"to {int(np.max(labels_test))}."
    )
  dtypes = _dtypes(function, dtypes)
  conventions = _conventions(function, conventions)
  for name, value in (("width", width), ("depth", depth), ("steps", steps)):
    _positive(function, name, value)
  _positive(function, "log_every", log_every)
  _batch_size(function, batch_size, X.shape[0])
  if not (isinstance(learning_rate, (int, float)) and 0 < learning_rate < float("inf")):
    raise ValueError(
      f"`{function}`: `learning_rate` must be a positive finite number; got {learning_rate!r}."
    )
  preactivations = steps * batch_size * width * depth
  if preactivations >= 2**31:  # Counted in int32.
    raise ValueError(
      f"`{function}`: `steps` * `batch_size` * `width` * `depth` must stay below 2**31 (the "
      f"zero counts are int32); got {preactivations}."
    )
  k_init, k_batches = jax.random.split(key)
  sizes = (X.shape[1], *(width,) * depth, n_classes)
  params = lecture.he_normal(k_init, sizes, jnp.float32)
  optimizer = _sgd(float(learning_rate))
  runs, zeros = [], []
  for dtype in dtypes:
    with jax.enable_x64(True) if dtype == "float64" else _nothing():
      accuracies, distances, counts, steps_with = jax.device_get(
        _study_kernels.train_conventions(
          params, k_batches, X, labels, X_test, labels_test, conventions=conventions,
          dtype=jnp.dtype(dtype), optimizer=optimizer, steps=steps, batch_size=batch_size,
          log_every=log_every,
        )
      )  # fmt: skip
    for i, d in enumerate(conventions):
      accuracy, distance = accuracies[i].tolist(), distances[i].tolist()
      runs.append(
        Training(dtype, d, width, depth, batch_size, steps, float(learning_rate), log_every,
                 accuracy[-1], distance[-1], tuple(accuracy), tuple(distance))
      )  # fmt: skip
      count = int(counts[i])
      zeros.append(
        Zeros(dtype, d, width, depth, batch_size, steps, preactivations, count,
              count / preactivations, int(steps_with[i]))
      )  # fmt: skip
    if progress is not None:
      progress(f"training {dtype}")
  return runs, zeros


def relu0(
  dataset: str = "digits",
  *,
  draws: int = 100,
  widths: Sequence[int] = WIDTHS,
  depth: int = 3,
  batch_size: int = 128,
  dtypes: Sequence[str] = DTYPES,
  seed: int = 0,
  steps: int = 1000,
  learning_rate: float = 0.1,
  train_width: int = 64,
  log_every: int = 50,
  progress: Callable[[str], None] | None = None,
) -> Report:
  """The whole study on one data set: :func:`bifurcation`, then :func:`training`.

  The data set is split by ``seed`` into 75 % training rows (the mini-batches of both parts) and
  25 % held out for the test accuracy; ``seed`` also gives the keys of the draws and of training.

  Args:
    dataset: one of :data:`DATASETS`.
    draws, widths, depth, batch_size, dtypes: as for :func:`bifurcation`.
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
    >>> sorted(report.to_dict()), report.bifurcation[0].share
    (['bifurcation', 'dataset', 'seed', 'training', 'zeros'], 0.0)
  """
  function = "jacts.study.relu0"
  if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
    raise ValueError(f"`{function}`: `seed` must be an integer >= 0; got {seed!r}.")
  X, labels = load_dataset(dataset)
  X_train, labels_train, X_test, labels_test = _study_data.split(X, labels, seed)
  key_draws, key_training = jax.random.split(jax.random.key(seed))
  bifurcations = bifurcation(
    X_train, labels_train, key=key_draws, draws=draws, dtypes=dtypes, widths=widths,
    depth=depth, batch_size=batch_size, progress=progress,
  )  # fmt: skip
  runs, zeros = training(
    X_train, labels_train, X_test, labels_test, key=key_training, dtypes=dtypes,
    width=train_width, depth=depth, batch_size=batch_size, steps=steps,
    learning_rate=learning_rate, log_every=log_every, progress=progress,
  )  # fmt: skip
  return Report(dataset, int(seed), bifurcations, zeros, runs)


def table(report: Report) -> str:
  """The report as plain-text tables, one per part, as ``jacts study relu0`` prints them.

  Example:
    >>> from jacts import study
    >>> report = study.Report("digits", 0, [study.Bifurcation("float32", 16, 3, 128, 10, 1, 0.1)],
    ...                       [], [])
    >>> print(table(report).splitlines()[2])
    float32      16      3    128     10         1   10.0 %
  """
  lines = [
    "Bifurcation: draws whose gradient differs between ReLU'(0) = 0 and 1",
    "dtype     width  depth  batch  draws  differing    share",
  ]
  lines += [
    f"{r.dtype:<9}{r.width:>6}{r.depth:>7}{r.batch_size:>7}{r.draws:>7}{r.differing:>10}"
    f"{100 * r.share:>7.1f} %"
    for r in report.bifurcation
  ]
  if report.zeros:
    lines += [
      "",
      "Exact zeros: hidden pre-activations equal to 0 during training",
      "dtype     ReLU'(0)  steps  pre-activations    zeros       share  steps with a zero",
    ]
    lines += [
      f"{z.dtype:<9}{z.derivative_at_zero:>9g}{z.steps:>7}{z.preactivations:>17}{z.zeros:>9}"
      f"{z.share:>12.2e}{z.steps_with_zeros:>19}"
      for z in report.zeros
    ]
  if report.training:
    lines += [
      "",
      "Training: plain SGD from the same initialization, same mini-batches",
      "dtype     ReLU'(0)  steps  test accuracy  distance to ReLU'(0) = "
      f"{report.training[0].derivative_at_zero:g}",
    ]
    lines += [
      f"{r.dtype:<9}{r.derivative_at_zero:>9g}{r.steps:>7}{100 * r.test_accuracy:>13.2f} %"
      f"{r.distance:>14.3e}"
      for r in report.training
    ]
  return "\n".join(lines)


def figure(report: Report) -> "Figure":
  """A figure like the paper's: the share of differing draws against width, one line per dtype;
  test accuracy, and distance to the reference run, against training step, per convention
  (needs matplotlib).

  Returns:
    The matplotlib Figure.
  """
  from jacts.plotting import pyplot

  fig, axes = pyplot().subplots(1, 3, figsize=(15, 4.2), layout="constrained")
  dtypes = list(
    dict.fromkeys([b.dtype for b in report.bifurcation] + [t.dtype for t in report.training])
  )
  colors = {d: f"C{i}" for i, d in enumerate(dtypes)}
  for dtype in dtypes:
    rows = [r for r in report.bifurcation if r.dtype == dtype]
    if rows:
      axes[0].plot([r.width for r in rows], [100 * r.share for r in rows], marker="o",
                   color=colors[dtype], label=dtype)  # fmt: skip
  axes[0].set_xscale("log", base=2)
  axes[0].set_xlabel("hidden width")
  axes[0].set_ylabel("draws with differing gradients (%)")
  if report.bifurcation:
    b = report.bifurcation[0]
    axes[0].set_title(f"ReLU'(0) = 0 vs 1: {b.draws} draws, depth {b.depth}, batch {b.batch_size}")
  conventions = list(dict.fromkeys(r.derivative_at_zero for r in report.training))
  styles = {d: ("-", "--", ":", "-.")[i % 4] for i, d in enumerate(conventions)}
  for r in report.training:
    points = np.minimum(np.arange(len(r.accuracy_curve)) * r.log_every, r.steps)
    label = f"{r.dtype}, ReLU'(0) = {r.derivative_at_zero:g}"
    style = {"color": colors[r.dtype], "linestyle": styles[r.derivative_at_zero]}
    axes[1].plot(points, 100 * np.asarray(r.accuracy_curve), label=label, **style)
    if r.derivative_at_zero != conventions[0]:
      axes[2].plot(points, r.distance_curve, label=label, **style)
  axes[1].set_xlabel("SGD step")
  axes[1].set_ylabel("test accuracy (%)")
  axes[1].set_title(f"{report.dataset}: test accuracy per convention")
  axes[2].set_xlabel("SGD step")
  axes[2].set_ylabel("relative distance")
  axes[2].set_yscale("symlog", linthresh=1e-6)
  axes[2].set_title(f"distance to the ReLU'(0) = {conventions[0]:g} run" if conventions else "")
  for ax in axes:
    if ax.get_lines():
      ax.legend(fontsize=7)
    ax.grid(alpha=0.3)
  return fig


# One optimizer object per step size: the compiled training program is keyed on it (by identity),
# so that a second study with the same configuration does not compile again.
_sgd = functools.cache(optax.sgd)


class _nothing:
  """A context manager that does nothing (float32 and narrower run in the current mode)."""

  def __enter__(self) -> "_nothing":
    return self

  def __exit__(
    self,
    exc_type: type[BaseException] | None,
    exc: BaseException | None,
    traceback: TracebackType | None,
  ) -> Literal[False]:
    return False


def _data(
  function: str, X: ArrayLike, labels: ArrayLike, x_name: str = "X", labels_name: str = "labels"
) -> tuple[jax.Array, jax.Array, int]:
  X, labels = np.asarray(X), np.asarray(labels)
  if X.ndim != 2 or X.shape[0] == 0 or not np.issubdtype(X.dtype, np.floating):
    raise ValueError(
      f"`{function}`: `{x_name}` must be a floating array of shape (m, n_x) with m >= 1; got "
      f"{X.dtype} of shape {X.shape}."
    )
  if labels.shape != (X.shape[0],) or not np.issubdtype(labels.dtype, np.integer):
    raise ValueError(
      f"`{function}`: `{labels_name}` must be integer class indices of shape ({X.shape[0]},); "
      f"got {labels.dtype} of shape {labels.shape}."
    )
  if labels.min() < 0:
    raise ValueError(f"`{function}`: `{labels_name}` must be >= 0; got {labels.min()}.")
  return jnp.asarray(X, jnp.float32), jnp.asarray(labels, jnp.int32), int(labels.max()) + 1


def _dtypes(function: str, dtypes: str | Iterable[str]) -> tuple[str, ...]:
  names = (dtypes,) if isinstance(dtypes, str) else tuple(dtypes)
  unknown = [d for d in names if d not in DTYPES]
  if unknown or not names:
    raise ValueError(
      f"`{function}`: `dtypes` must name some of {', '.join(DTYPES)}; got {list(names)}."
    )
  return names


def _widths(function: str, widths: Iterable[int]) -> tuple[int, ...]:
  widths = tuple(widths)
  if not widths or any(isinstance(w, bool) or not isinstance(w, (int, np.integer)) or w < 1
                       for w in widths):  # fmt: skip
    raise ValueError(f"`{function}`: `widths` must be integers >= 1; got {list(widths)}.")
  return widths


def _conventions(function: str, conventions: Iterable[float]) -> tuple[float, ...]:
  values = tuple(conventions)
  if not values or any(isinstance(d, bool) or not isinstance(d, (int, float)) or not 0 <= d <= 1
                       for d in values):  # fmt: skip
    raise ValueError(
      f"`{function}`: `conventions` must be ReLU'(0) values in [0, 1]; got {list(values)}."
    )
  return tuple(float(d) for d in values)


def _positive(function: str, name: str, value: Any) -> None:
  if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
    raise ValueError(f"`{function}`: `{name}` must be an integer >= 1; got {value!r}.")


def _batch_size(function: str, batch_size: Any, m: int) -> None:
  _positive(function, "batch_size", batch_size)
  if batch_size > m:
    raise ValueError(
      f"`{function}`: `batch_size` must be at most the {m} training rows (drawn without "
      f"replacement); got {batch_size}."
    )
