"""Small two-dimensional binary classification data sets, generated locally and by seed.

Every function returns NumPy arrays ``X`` of shape (m, 2), float64, and ``Y`` of shape (m, 1),
float64 with values 0.0 and 1.0, examples as rows. Nothing is downloaded and scikit-learn is not
needed: each set is drawn from NumPy's generators, so the same seed gives the same data anywhere.
"""

import math
from numbers import Integral, Real
from typing import Any

import numpy as np

from jacts._validation import RANDOMSTATE_SEEDS

__all__ = ("blobs", "gaussian_quantiles", "noisy_circles", "noisy_moons", "planar_flower")


def planar_flower(seed: int = 1) -> tuple[np.ndarray, np.ndarray]:
  r"""The course's planar "flower" data set, identical to its ``load_planar_dataset()``.

  400 points, 200 per class, on the petals of a rose curve. For class :math:`j \in \{0, 1\}`,
  drawn in this order from a legacy ``np.random.RandomState(seed)``:

  .. math::
    t = \mathrm{linspace}(3.12 j, 3.12 (j + 1), 200) + 0.2 \epsilon_1, \qquad
    r = 4 \sin(4 t) + 0.2 \epsilon_2, \qquad x = (r \sin t, r \cos t).

  Args:
    seed: the seed of the legacy generator; the course uses 1.

  Returns:
    ``(X, Y)``: X (400, 2) float64, Y (400, 1) float64 labels in {0, 1}.

  Example:
    >>> from jacts.datasets import planar_flower
    >>> X, Y = planar_flower()
    >>> X.shape, Y.shape, int(Y.sum())
    ((400, 2), (400, 1), 200)
    >>> print(X[0].round(6))
    [1.204442 3.576114]
  """
  seeds = RANDOMSTATE_SEEDS
  _check_integer("planar_flower", "seed", seed, seeds.start, seeds.stop - 1)
  rng = np.random.RandomState(seed)
  per_class, petals, radius = 200, 4, 4
  X = np.zeros((2 * per_class, 2))
  Y = np.zeros((2 * per_class, 1))
  for j in range(2):
    rows = slice(per_class * j, per_class * (j + 1))
    t = np.linspace(3.12 * j, 3.12 * (j + 1), per_class) + rng.randn(per_class) * 0.2
    r = radius * np.sin(petals * t) + rng.randn(per_class) * 0.2
    X[rows] = np.c_[r * np.sin(t), r * np.cos(t)]
    Y[rows] = j
  return X, Y


def noisy_circles(
  seed: int = 0, m: int = 200, *, factor: float = 0.5, noise: float = 0.3
) -> tuple[np.ndarray, np.ndarray]:
  """Two concentric circles (radii 1 and ``factor``), class 1 inside, with Gaussian noise.

  The course's ``make_circles(factor=.5, noise=.3)``, drawn with NumPy.

  Example:
    >>> from jacts.datasets import noisy_circles
    >>> X, Y = noisy_circles(seed=3)
    >>> X.shape, Y.shape, int(Y.sum())
    ((200, 2), (200, 1), 100)
  """
  _check_common("noisy_circles", seed, m)
  _check_real("noisy_circles", "factor", factor)
  _check_real("noisy_circles", "noise", noise, lowest=0.0)
  rng = np.random.default_rng(seed)
  outer, inner = m // 2, m - m // 2
  angles = np.r_[
    np.linspace(0, 2 * np.pi, outer, endpoint=False),
    np.linspace(0, 2 * np.pi, inner, endpoint=False),
  ]
  radii = np.r_[np.ones(outer), np.full(inner, factor)]
  X = np.c_[radii * np.cos(angles), radii * np.sin(angles)] + noise * rng.standard_normal((m, 2))
  Y = np.r_[np.zeros(outer), np.ones(inner)][:, None]
  return _shuffled(rng, X, Y)


def noisy_moons(
  seed: int = 0, m: int = 200, *, noise: float = 0.2
) -> tuple[np.ndarray, np.ndarray]:
  """Two interleaving half circles with Gaussian noise: the course's ``make_moons(noise=.2)``.

  Example:
    >>> from jacts.datasets import noisy_moons
    >>> X, Y = noisy_moons()
    >>> X.shape, Y.shape, int(Y.sum())
    ((200, 2), (200, 1), 100)
  """
  _check_common("noisy_moons", seed, m)
  _check_real("noisy_moons", "noise", noise, lowest=0.0)
  rng = np.random.default_rng(seed)
  upper, lower = m // 2, m - m // 2
  t_upper, t_lower = np.linspace(0, np.pi, upper), np.linspace(0, np.pi, lower)
  X = np.r_[
    np.c_[np.cos(t_upper), np.sin(t_upper)], np.c_[1 - np.cos(t_lower), 0.5 - np.sin(t_lower)]
  ]
  X += noise * rng.standard_normal((m, 2))
  Y = np.r_[np.zeros(upper), np.ones(lower)][:, None]
  return _shuffled(rng, X, Y)


def blobs(
  seed: int = 0, m: int = 200, *, centers: int = 6, spread: float = 1.0
) -> tuple[np.ndarray, np.ndarray]:
  """Gaussian blobs around ``centers`` random centres, labelled by centre index mod 2.

  The course's ``make_blobs(centers=6)`` followed by ``Y % 2``, drawn with NumPy.

  Example:
    >>> from jacts.datasets import blobs
    >>> X, Y = blobs()
    >>> X.shape, sorted(set(Y.ravel().tolist()))
    ((200, 2), [0.0, 1.0])
  """
  _check_common("blobs", seed, m)
  _check_integer("blobs", "centers", centers, 1)
  _check_real("blobs", "spread", spread, lowest=0.0)
  rng = np.random.default_rng(seed)
  middles = rng.uniform(-10.0, 10.0, (centers, 2))
  which = np.arange(m) % centers
  X = middles[which] + spread * rng.standard_normal((m, 2))
  Y = (which % 2).astype(np.float64)[:, None]
  return _shuffled(rng, X, Y)


def gaussian_quantiles(
  seed: int = 0, m: int = 200, *, variance: float = 0.5
) -> tuple[np.ndarray, np.ndarray]:
  """An isotropic Gaussian split at its median radius: class 1 outside, half the points each.

  The course's ``make_gaussian_quantiles(cov=0.5, n_classes=2)``, drawn with NumPy.

  Example:
    >>> from jacts.datasets import gaussian_quantiles
    >>> X, Y = gaussian_quantiles()
    >>> X.shape, int(Y.sum())
    ((200, 2), 100)
  """
  _check_common("gaussian_quantiles", seed, m)
  _check_real("gaussian_quantiles", "variance", variance, lowest=0.0, strictly=True)
  rng = np.random.default_rng(seed)
  X = np.sqrt(variance) * rng.standard_normal((m, 2))
  order = np.argsort(np.sum(X**2, axis=1), kind="stable")
  Y = np.zeros((m, 1))
  Y[order[m // 2 :]] = 1.0
  return _shuffled(rng, X, Y)


def _shuffled(
  rng: np.random.Generator, X: np.ndarray, Y: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
  order = rng.permutation(len(X))
  return X[order], Y[order]


def _check_common(function: str, seed: Any, m: Any) -> None:
  _check_integer(function, "seed", seed, 0)
  _check_integer(function, "m", m, 1)


def _check_integer(
  function: str, name: str, value: Any, lowest: int, highest: float = math.inf
) -> None:
  # `value < lowest`, not `lowest <= value`: typeshed's Integral has no reflected comparisons.
  if (
    isinstance(value, bool)
    or not isinstance(value, Integral)
    or value < lowest
    or not value <= highest
  ):
    bounds = f">= {lowest}" if highest == math.inf else f"in [{lowest}, {highest}]"
    raise ValueError(
      f"`jacts.datasets.{function}`: `{name}` must be an integer {bounds}; got {value!r}."
    )


def _check_real(
  function: str, name: str, value: Any, *, lowest: float = -math.inf, strictly: bool = False
) -> None:
  is_number = isinstance(value, Real) and not isinstance(value, bool) and math.isfinite(value)
  if not is_number or value < lowest or (strictly and value == lowest):
    bound = "" if lowest == -math.inf else f" {'>' if strictly else '>='} {lowest:g}"
    raise ValueError(
      f"`jacts.datasets.{function}`: `{name}` must be a finite number{bound}; got {value!r}."
    )
