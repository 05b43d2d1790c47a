"""The ReLU'(0) study's report as plain-text tables and as a figure (:mod:`jacts.study`)."""

from typing import TYPE_CHECKING

import numpy as np

from jacts.study._report import Report

if TYPE_CHECKING:
  from matplotlib.figure import Figure


def table(report: Report) -> str:
  """The report as plain-text tables, one per part, as ``jacts study relu0`` prints them.

  Bifurcation: per configuration, the initializations (of ``draws``) whose gradient differs in
  any entry and in the first-layer weights, the per-batch probability of the latter with its
  95 % interval, and the share of initializations it implies for a pass of 600 batches (MNIST's
  training set in batches of 100, the paper's protocol).

  Example:
    >>> from jacts import study
    >>> row = study.Bifurcation("paper", "float32", 16, 3, "paper", "torch", "tf32", 100, 100, 13,
    ...                         3, 0.03, 2, 0.02, 1290, 2 / 1290, 4e-4, 5.6e-3, "cpu", "cpu", "0")
    >>> print(table(study.Report("digits", 0, [row], [], [])).splitlines()[3])
    ... # doctest: +NORMALIZE_WHITESPACE
    tf32     float32      16    100       13      3      2   1.6e-03 [4.0e-04, 5.6e-03]
    60.6 % [21.3, 96.6]
  """
  lines = [
    "Bifurcation: initializations whose gradient differs between ReLU'(0) = 0 and 1",
  ]
  setting = None
  for r in report.bifurcation:
    if (r.protocol, r.architecture, r.init, r.depth, r.batch_size) != setting:
      setting = (r.protocol, r.architecture, r.init, r.depth, r.batch_size)
      lines += [
        f"{_TITLES[r.protocol]}; {r.architecture} MLP, depth {r.depth}, {r.init} "
        f"initialization, batch {r.batch_size}",
        "matmul   dtype     width  draws  batches    any  first  per batch [95 % interval]"
        "      at 600 batches",
      ]
    at_600 = [100 * p for p in r.per_epoch(MNIST_BATCHES)]
    lines.append(
      f"{r.matmul:<9}{r.dtype:<9}{r.width:>6}{r.draws:>7}{r.batches:>9}{r.differing:>7}"
      f"{r.differing_first_layer:>7}{r.per_batch:>10.1e} [{r.per_batch_low:.1e}, "
      f"{r.per_batch_high:.1e}]{at_600[0]:>7.1f} % [{at_600[1]:.1f}, {at_600[2]:.1f}]"
    )
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


MNIST_BATCHES = 600  # The paper's pass: MNIST's 60,000 training images in batches of 100.
_TITLES = {
  "draw": "Draw protocol: one random mini-batch per initialization",
  "paper": "Paper protocol: one pass over the training split in order, up to the first difference",
}


def figure(report: Report) -> "Figure":
  """A figure like the paper's: the share of initializations whose first-layer gradient differs
  against width, one line per dtype, protocol (solid: paper, dashed: draw) and matmul mode; test
  accuracy, and distance to the reference run, against training step, per convention
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
  curves: dict[tuple[str, str, str], list] = {}
  for record in report.bifurcation:
    curves.setdefault((record.dtype, record.protocol, record.matmul), []).append(record)
  for (dtype, protocol, matmul), rows in curves.items():
    axes[0].plot(
      [row.width for row in rows],
      [100 * row.share_first_layer for row in rows],
      color=colors[dtype],
      linestyle="-" if protocol == "paper" else "--",
      marker="o" if matmul == "float32" else "s",
      label=f"{dtype}, {protocol}, {matmul}",
      clip_on=False,  # The axis starts at 0: whole markers there.
    )
  axes[0].set_xscale("log", base=2)
  # A share is in [0, 100]: an axis of its own, not matplotlib's margins around all-zero data.
  highest = max((100 * r.share_first_layer for r in report.bifurcation), default=0.0)
  axes[0].set_ylim(0.0, min(105.0, max(highest, 1.0) * 1.05))
  axes[0].set_xlabel("hidden width")
  axes[0].set_ylabel("initializations with differing gradients (%)")
  if report.bifurcation:
    b = report.bifurcation[0]
    axes[0].set_title(f"ReLU'(0) = 0 vs 1: first-layer gradient, {b.draws} initializations")
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
