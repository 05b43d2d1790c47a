"""What the cost log says about a run: it falls, or where it rose. ``jacts train``'s one-line
note and the sweep behind its defaults (benchmarks/training_defaults.py) read the same test."""

import itertools
import math

RISE = 1.01
"""A cost that grows by more than this factor from one log to the next is rising (1 %)."""


def first_rise(costs: list[float]) -> int | None:
  """The first k where ``costs[k + 1]`` exceeds ``costs[k]`` by more than 1 % (NaN counts), or
  None."""
  pairs = enumerate(itertools.pairwise(costs))
  return next((k for k, (a, b) in pairs if not b <= RISE * a), None)


def cost_falls(costs: list[float]) -> bool:
  """The cost, as logged and then at the end, is finite, ends below where it started and never
  rises by more than 1 % from one log to the next: what a run that trains well shows."""
  finite = all(math.isfinite(c) for c in costs)
  return finite and costs[-1] < costs[0] and first_rise(costs) is None


def trend_note(costs: list[float], iterations: list[int]) -> str | None:
  """The one line ``jacts train`` prints after a run whose cost does not fall, or None.

  Args:
    costs: the cost at each of ``iterations``, the last at the end of training.
    iterations: where each cost was measured.
  """
  if cost_falls(costs):
    return None
  k = first_rise(costs)
  if k is None or not costs[-1] < costs[0]:
    return (
      f"Note: the cost ended at {costs[-1]:.6f}, above where it started ({costs[0]:.6f}): "
      "training did not converge; try a smaller --lr or another --optimizer"
    )
  return (
    f"Note: the cost rose from {costs[k]:.6f} at iteration {iterations[k]} to "
    f"{costs[k + 1]:.6f} at iteration {iterations[k + 1]}: the learning rate may be too large "
    "(--lr)"
  )
