"""The records of the ReLU'(0) study (:mod:`jacts.study`) and its JSON report."""

import json
from typing import NamedTuple


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
