"""The records of the ReLU'(0) study (:mod:`jacts.study`) and its JSON report."""

import json
from typing import NamedTuple

from jacts.study._statistics import per_epoch


class Bifurcation(NamedTuple):
  """One configuration of :func:`bifurcation`: how many initializations' gradients differ
  between ReLU'(0) = 0 and 1, and on which computer."""

  protocol: str  # "draw": one random mini-batch per initialization; "paper": a pass, in order.
  dtype: str
  width: int
  depth: int
  architecture: str  # "multilayer" or "paper" (no ReLU after the first linear layer).
  init: str  # "he" or "torch".
  matmul: str  # "float32", "tf32" or "default": how the matrix products were computed.
  batch_size: int
  draws: int  # Initializations.
  batches: int  # Mini-batches per initialization at most: 1 (draw) or the pass's (paper).
  differing: int  # Initializations with a differing gradient entry, in any layer.
  share: float  # differing / draws.
  differing_first_layer: int  # ... whose first-layer weight gradient differs (the paper's count).
  share_first_layer: float  # differing_first_layer / draws.
  batches_examined: int  # Summed over initializations, up to each first-layer difference.
  per_batch: float  # differing_first_layer / batches_examined.
  per_batch_low: float  # Its 95 % interval (Wilson's, on those counts).
  per_batch_high: float
  backend: str  # jax.default_backend().
  device_kind: str  # jax.devices()[0].device_kind.
  jax_version: str

  def per_epoch(self, batches: int) -> tuple[float, float, float]:
    """The share of initializations a pass of ``batches`` batches would make bifurcate (first
    layer), with its interval, if each batch does independently with ``per_batch``."""
    return tuple(  # type: ignore[return-value]
      per_epoch(p, batches) for p in (self.per_batch, self.per_batch_low, self.per_batch_high)
    )


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
