"""The ReLU'(0) study's measurements (:mod:`jacts.study`): bifurcation, training, and both on one
data set (relu0). Each returns Python numbers; its compiled programs are in ``_kernels.py``.
"""

import functools
import itertools
from collections.abc import Callable, Sequence
from types import TracebackType
from typing import Literal, NamedTuple

import jax
import jax.numpy as jnp
import numpy as np
import optax
from jax.typing import ArrayLike

from jacts._networks import check_key, layers
from jacts.study import _data, _kernels, _network
from jacts.study._checks import (
  DTYPES,
  check_batch_size,
  check_choice,
  check_conventions,
  check_data,
  check_dtypes,
  check_positive,
  check_widths,
)
from jacts.study._report import Bifurcation, Training, Zeros
from jacts.study._statistics import wilson_interval

WIDTHS = (16, 64, 256, 512, 1024)  # The paper's.
CONVENTIONS = (0.0, 0.5, 1.0)  # ReLU'(0) values trained; the first is the trajectories' reference.
# Draws computed at once under vmap: about this many weights in memory per chunk.
_WEIGHTS_PER_CHUNK = 2**22


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
  return _data.load(name)


class Protocol(NamedTuple):
  """What a protocol draws per initialization unless told otherwise."""

  init: str
  architecture: str
  batch_size: int


_DEFAULTS = {
  "draw": Protocol("he", "multilayer", 128),  # One random mini-batch per initialization.
  "paper": Protocol("torch", "paper", 100),  # Bertoin et al.'s: one pass over the data, in order.
}
PROTOCOLS = tuple(_DEFAULTS)  # "draw", "paper"


def bifurcation(
  X: ArrayLike,
  labels: ArrayLike,
  *,
  key: jax.Array,
  draws: int = 100,
  dtypes: Sequence[str] = DTYPES,
  widths: Sequence[int] = WIDTHS,
  depth: int = 3,
  protocol: str = "draw",
  batch_size: int | None = None,
  init: str | None = None,
  architecture: str | None = None,
  matmul: str = "float32",
  progress: Callable[[str], None] | None = None,
) -> list[Bifurcation]:
  r"""How often backprop differs between ReLU'(0) = 0 and ReLU'(0) = 1.

  For each configuration (dtype, width), ``draws`` times: draw an initialization, then
  backprop (the lecture's, by hand, on one forward pass) with each convention on its
  mini-batches, and compare the two gradients bit for bit (``!=`` in the dtype itself, inside
  the compiled program). The mini-batches:

  * ``protocol="draw"``: one, drawn at random without replacement.
  * ``protocol="paper"``: Bertoin et al.'s protocol, every whole mini-batch of one pass over
    X's rows in order (the last partial batch left out), stopping at the first whose first-layer
    weight gradient differs; the same batches for every initialization.

  An initialization counts in ``differing`` if any gradient entry differed, and in
  ``differing_first_layer`` if the first layer's weight gradient did (the paper's count). If each
  batch bifurcates independently with probability p, the maximum-likelihood estimate of p is
  ``differing_first_layer / batches_examined`` (the batches up to and including each first
  difference), given with Wilson's 95 % interval; ``record.per_epoch(600)`` is the share p implies
  for a pass of 600 batches (MNIST's). The same keys serve every configuration. In exact
  arithmetic the two never differ: a pre-activation is 0 with probability 0.

  Args:
    X: inputs, shape (m, n_x): finite, and within the range of each of ``dtypes``.
    labels: class indices, int (m,).
    key: one ``jax.random`` key.
    draws: initializations per configuration.
    dtypes: names among :data:`DTYPES`.
    widths: hidden widths.
    depth: the number L of hidden layers.
    protocol: ``"draw"`` or ``"paper"`` (:data:`PROTOCOLS`).
    batch_size: rows per mini-batch, at most m; by default the protocol's (128 or 100).
    init: ``"he"`` (W ~ N(0, 2 / fan_in), b = 0) or ``"torch"`` (PyTorch's ``nn.Linear``: W and b
      ~ U(±1 / sqrt(fan_in))); by default the protocol's.
    architecture: ``"multilayer"`` (ReLU after each hidden layer, :mod:`jacts.multilayer`) or
      ``"paper"`` (none after the first); by default the protocol's.
    matmul: ``"float32"`` (exact products), ``"tf32"`` (float32 products with TensorFloat-32
      inputs, emulated) or ``"default"`` (the backend's default precision).
    progress: called with a description after each configuration.

  Returns:
    One :class:`Bifurcation` per (dtype, width), in that order.

  Example:
    >>> import jax
    >>> from jacts import study
    >>> X, labels = study.load_dataset("moons")
    >>> records = study.bifurcation(X[:150], labels[:150], key=jax.random.key(0), draws=4,
    ...                             dtypes=("float64",), widths=(8,), depth=2, batch_size=16,
    ...                             protocol="paper")
    >>> [(r.protocol, r.init, r.batches, r.differing, r.batches_examined) for r in records]
    [('paper', 'torch', 9, 0, 36)]
  """
  function = "jacts.study.bifurcation"
  dtypes = check_dtypes(function, dtypes)
  X, labels, n_classes = check_data(function, X, labels, dtypes)
  check_key(function, key)
  widths = check_widths(function, widths)
  check_positive(function, "draws", draws)
  check_positive(function, "depth", depth)
  check_choice(function, "protocol", protocol, PROTOCOLS)
  defaults = _DEFAULTS[protocol]
  batch_size = defaults.batch_size if batch_size is None else batch_size
  init = defaults.init if init is None else init
  architecture = defaults.architecture if architecture is None else architecture
  check_batch_size(function, batch_size, X.shape[0])
  check_choice(function, "init", init, _network.INITS)
  check_choice(function, "architecture", architecture, _network.ARCHITECTURES)
  check_choice(function, "matmul", matmul, _network.MATMUL)
  batches = X.shape[0] // batch_size if protocol == "paper" else 1
  computer = (jax.default_backend(), jax.devices()[0].device_kind, jax.__version__)
  keys = jax.random.split(key, draws)
  records = []
  for dtype in dtypes:
    for width in widths:
      sizes = (X.shape[1], *(width,) * depth, n_classes)
      with jax.enable_x64(True) if dtype == "float64" else _nothing():
        first_layer, any_entry = jax.device_get(
          _kernels.first_bifurcations(
            keys, X, labels, sizes=sizes, dtype=jnp.dtype(dtype), protocol=protocol,
            batch_size=batch_size, init=init, architecture=architecture, matmul=matmul,
            chunk=_chunk(sizes, draws),
          )
        )  # fmt: skip
      differing = int(np.sum(any_entry < batches))
      differing_first = int(np.sum(first_layer < batches))
      examined = int(np.sum(np.minimum(first_layer + 1, batches)))
      per_batch = differing_first / examined
      records.append(
        Bifurcation(
          protocol, dtype, width, depth, architecture, init, matmul, batch_size, draws, batches,
          differing, differing / draws, differing_first, differing_first / draws, examined,
          per_batch, *wilson_interval(differing_first, examined), *computer,
        )
      )  # fmt: skip
      if progress is not None:
        progress(f"bifurcation {protocol} {matmul} {dtype} width {width}")
  return records


def _chunk(sizes: tuple[int, ...], draws: int) -> int:
  """Initializations per vmapped chunk: about ``_WEIGHTS_PER_CHUNK`` weights in memory."""
  weights = sum(a * b for a, b in itertools.pairwise(sizes))
  most = max(1, min(draws, _WEIGHTS_PER_CHUNK // weights))
  # A divisor of draws where one is near: a remainder is a second vmapped body to compile.
  divisor = max(c for c in range(1, most + 1) if draws % c == 0)
  return divisor if 2 * divisor > most else most


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
    X: training inputs (m, n_x), finite and within the range of each of ``dtypes``; labels:
      their classes, int (m,).
    X_test: held-out inputs, the same; labels_test: their classes.
    key: one ``jax.random`` key: the initialization and the mini-batches.
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
  dtypes = check_dtypes(function, dtypes)
  X, labels, n_classes = check_data(function, X, labels, dtypes)
  X_test, labels_test, _ = check_data(
    function, X_test, labels_test, dtypes, "X_test", "labels_test"
  )
  check_key(function, key)
  if X_test.shape[1] != X.shape[1] or int(np.max(labels_test)) >= n_classes:
    raise ValueError(
      f"`{function}`: `X_test` and `labels_test` must have the training data's {X.shape[1]} "
      f"features and classes below {n_classes}; got {X_test.shape[1]} features and classes up "
      f"to {int(np.max(labels_test))}."
    )
  conventions = check_conventions(function, conventions)
  for name, value in (("width", width), ("depth", depth), ("steps", steps)):
    check_positive(function, name, value)
  check_positive(function, "log_every", log_every)
  check_batch_size(function, batch_size, X.shape[0])
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
  params = layers.he_normal(k_init, sizes, jnp.float32)
  optimizer = _sgd(float(learning_rate))
  runs, zeros = [], []
  for dtype in dtypes:
    with jax.enable_x64(True) if dtype == "float64" else _nothing():
      accuracies, distances, counts, steps_with = jax.device_get(
        _kernels.train_conventions(
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
