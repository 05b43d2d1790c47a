"""From counts of bifurcating initializations to a per-batch probability that data sets of any
size can be compared by (:mod:`jacts.study`)."""

import math

Z_95 = 1.959963984540054  # The standard normal's 97.5 % quantile.


def wilson_interval(successes: int, trials: int, z: float = Z_95) -> tuple[float, float]:
  r"""Wilson's score interval for a binomial proportion, 95 % by default.

  .. math:: \frac{\hat p + \frac{z^2}{2n} \pm z \sqrt{\frac{\hat p (1 - \hat p)}{n}
            + \frac{z^2}{4n^2}}}{1 + \frac{z^2}{n}}, \quad \hat p = k / n

  Unlike the normal approximation it stays inside [0, 1] and is not empty at k = 0 or k = n.

  Example:
    >>> [round(x, 4) for x in wilson_interval(0, 100)]
    [0.0, 0.037]
  """
  if trials == 0:
    return 0.0, 1.0
  p = successes / trials
  center = p + z * z / (2 * trials)
  spread = z * math.sqrt(p * (1 - p) / trials + z * z / (4 * trials * trials))
  scale = 1 + z * z / trials
  # At k = 0 (or k = n) the bound is 0 (or 1) exactly; the formula leaves a rounding error.
  low = 0.0 if successes == 0 else (center - spread) / scale
  high = 1.0 if successes == trials else (center + spread) / scale
  return low, high


def per_epoch(per_batch: float, batches: int) -> float:
  """The share of initializations a pass of ``batches`` batches makes bifurcate, if each batch
  does independently with probability ``per_batch``: 1 - (1 - p)^n.

  Example:
    >>> round(per_epoch(0.001, 600), 3)
    0.451
  """
  return -math.expm1(batches * math.log1p(-per_batch)) if per_batch < 1 else 1.0
