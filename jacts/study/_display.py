"""The ReLU'(0) study's report as plain-text tables and as a figure (:mod:`jacts.study`)."""

from typing import TYPE_CHECKING

import numpy as np

from jacts.study._report import Report

if TYPE_CHECKING:
  from matplotlib.figure import Figure


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
