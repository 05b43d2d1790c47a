"""Pictures of the lecture: decision boundaries and activation curves (needs matplotlib).

matplotlib is an optional extra (``pip install "jacts[examples]"``); it is imported only when a
function here is called, with the non-interactive Agg backend so that nothing needs a screen.
"""

from collections.abc import Callable

import numpy as np


def pyplot():
  """Returns matplotlib.pyplot on the Agg backend, or raises an ImportError saying how to get it."""
  try:
    import matplotlib
  except ImportError as error:
    raise ImportError(
      'jacts.plotting needs matplotlib: pip install "jacts[examples]" (or matplotlib).'
    ) from error
  matplotlib.use("Agg")
  import matplotlib.pyplot as plt

  return plt


def decision_boundary(
  ax, predict: Callable[[np.ndarray], np.ndarray], X: np.ndarray, Y: np.ndarray, *, title=""
):
  """Draws the regions ``predict`` assigns to each class, with the points of (X, Y) on top.

  Args:
    ax: a matplotlib Axes.
    predict: maps an (n, 2) array of points to n predictions in {0, 1} (any shape with n entries).
    X: the points, shape (m, 2).
    Y: their labels, m entries in {0, 1}.
    title: the Axes' title.
  """
  X, Y = np.asarray(X), np.asarray(Y).ravel()
  margin = 1.0
  x_min, x_max = X[:, 0].min() - margin, X[:, 0].max() + margin
  y_min, y_max = X[:, 1].min() - margin, X[:, 1].max() + margin
  xx, yy = np.meshgrid(np.linspace(x_min, x_max, 300), np.linspace(y_min, y_max, 300))
  regions = np.asarray(predict(np.c_[xx.ravel(), yy.ravel()])).reshape(xx.shape)
  # One colour scale for regions and points, so class 0 is red and class 1 blue in both.
  colours = {"cmap": "Spectral", "vmin": 0.0, "vmax": 1.0}
  ax.contourf(xx, yy, regions, levels=[-0.5, 0.5, 1.5], alpha=0.6, **colours)
  ax.scatter(X[:, 0], X[:, 1], c=Y, s=12, edgecolors="k", linewidths=0.3, **colours)
  ax.set_title(title)
  ax.set_xlabel("$x_1$")
  ax.set_ylabel("$x_2$")
