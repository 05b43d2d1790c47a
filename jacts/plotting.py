"""Pictures of the lecture: activation curves and decision boundaries (needs matplotlib).

matplotlib is an optional extra (``pip install "jacts[cli]"``); it is imported only when a
function here is called, on the backend $MPLBACKEND names (a Jupyter kernel names its inline
one), else on the non-interactive Agg, so that nothing needs a screen.
"""

import os
from collections.abc import Callable
from types import ModuleType
from typing import TYPE_CHECKING, Any

import numpy as np
from jax.typing import ArrayLike

__all__ = ("activations", "decision_boundary", "pyplot")

if TYPE_CHECKING:
  from matplotlib.axes import Axes
  from matplotlib.figure import Figure


def pyplot() -> ModuleType:
  """Returns matplotlib.pyplot, or raises an ImportError saying how to get it.

  On the backend ``$MPLBACKEND`` names, as a Jupyter kernel sets it (figures then show in the
  notebook), else on Agg, which writes files and opens no window, with or without a display.
  """
  try:
    import matplotlib
  except ImportError as error:
    raise ImportError(
      'jacts.plotting needs matplotlib: pip install "jacts[cli]" (or matplotlib).'
    ) from error
  if not os.environ.get("MPLBACKEND"):
    matplotlib.use("Agg")
  import matplotlib.pyplot as plt

  return plt


# Values shown instead of a parameter's default, where the default draws like another panel.
_SHOWN = {"negative_slope": 0.1}  # A 0.01 slope looks the same as ReLU at this scale.


def activations(z: ArrayLike | None = None) -> "Figure":
  """A figure of g(z) above g'(z) for every elementwise activation of the rule table, four to a
  row (log1mexp on z > 0, where it is defined).

  Args:
    z: where to draw them; default 1001 points from -5 to 5.

  Returns:
    The matplotlib Figure.
  """
  import jax.numpy as jnp

  from jacts._activations import PUBLIC, derivative
  from jacts._rules import ELEMENTWISE, RULES

  z = jnp.linspace(-5.0, 5.0, 1001) if z is None else jnp.asarray(z)
  columns = min(4, len(ELEMENTWISE))
  rows = -(-len(ELEMENTWISE) // columns)  # Two panels each: g above g'.
  fig, axes = pyplot().subplots(2 * rows, columns, figsize=(4 * columns, 3.5 * 2 * rows),
                                layout="constrained", sharex=True, squeeze=False)  # fmt: skip
  for position, name in enumerate(ELEMENTWISE):
    rule = RULES[name]
    top, column = 2 * (position // columns), position % columns
    x = z[(z > rule.domain[0]) & (z < rule.domain[1])]
    shown = {p.name: _SHOWN[p.name] for p in rule.parameters if p.name in _SHOWN}
    f = PUBLIC[name]
    label = name + "".join(f" ({key} {value:g})" for key, value in shown.items())
    axes[top, column].plot(x, f(x, **shown))
    axes[top, column].set_title(f"g(z): {label}", fontsize=10)
    axes[top + 1, column].plot(x, derivative(f)(x, **shown), color="tab:red")
    axes[top + 1, column].set_title(f"g'(z) = jacts.derivative({name})", fontsize=10)
    axes[top + 1, column].set_xlabel("z")
    for ax in axes[top : top + 2, column]:
      ax.axhline(0, color="grey", linewidth=0.5)
      ax.axvline(0, color="grey", linewidth=0.5)
  return fig


def decision_boundary(
  ax: "Axes",
  predict: Callable[[np.ndarray], ArrayLike],
  X: ArrayLike,
  Y: ArrayLike,
  *,
  title: str = "",
) -> None:
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
  colours: dict[str, Any] = {"cmap": "Spectral", "vmin": 0.0, "vmax": 1.0}
  ax.contourf(xx, yy, regions, levels=[-0.5, 0.5, 1.5], alpha=0.6, **colours)
  ax.scatter(X[:, 0], X[:, 1], c=Y, s=12, edgecolors="k", linewidths=0.3, **colours)
  ax.set_title(title)
  ax.set_xlabel("$x_1$")
  ax.set_ylabel("$x_2$")
