"""The study's data sets: scikit-learn's bundled 8x8 digits or jacts' planar sets, split by seed."""

from collections.abc import Callable

import numpy as np

from jacts import datasets

PLANAR: dict[str, Callable[[], tuple[np.ndarray, np.ndarray]]] = {
  "flower": datasets.planar_flower,
  "moons": datasets.noisy_moons,
  "circles": datasets.noisy_circles,
  "blobs": datasets.blobs,
  "quantiles": datasets.gaussian_quantiles,
}
DATASETS = ("digits", *PLANAR)
TEST_SHARE = 0.25  # Held out for the test accuracy.


def load(name: str) -> tuple[np.ndarray, np.ndarray]:
  """``(X, labels)``: X float32 (m, n_x), labels int32 (m,). Digits: 1797 images, pixels / 16."""
  if name not in DATASETS:
    raise ValueError(
      f"`jacts.study`: `dataset` must be one of {', '.join(DATASETS)}; got {name!r}."
    )
  if name == "digits":
    try:
      from sklearn.datasets import load_digits
    except ImportError as error:
      raise ImportError(
        'the digits data set needs scikit-learn: pip install "jacts[study]" (or scikit-learn).'
      ) from error
    digits = load_digits()  # Ships with scikit-learn: nothing is downloaded.
    return (digits.data / 16.0).astype(np.float32), digits.target.astype(np.int32)
  X, Y = PLANAR[name]()
  return X.astype(np.float32), Y[:, 0].astype(np.int32)


def split(
  X: np.ndarray, labels: np.ndarray, seed: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
  """A shuffled (train, test) split, ``TEST_SHARE`` of the rows held out."""
  order = np.random.default_rng(seed).permutation(len(X))
  held_out = round(TEST_SHARE * len(X))
  test, train = order[:held_out], order[held_out:]
  return X[train], labels[train], X[test], labels[test]
