"""The figures and outputs the site shows, made at build time with jacts' own code.

Called by ``jacts_docs.py`` with the output folder; each function writes the files it names in
:data:`OUTPUTS`. The getting-started page shows :func:`planar_run` as its example code.
"""

import pathlib

OUTPUTS = (
  "activations.png",
  "planar_log.txt",
  "planar_boundary.png",
  "planar_costs.png",
  "check.txt",
)


def activations(folder: pathlib.Path) -> None:
  """g(z) above g'(z) for every activation of the rule table, as ``jacts plot`` draws them."""
  import jacts.plotting

  figure = jacts.plotting.activations()
  figure.savefig(folder / "activations.png", dpi=72)
  jacts.plotting.pyplot().close(figure)


def planar_run(folder: pathlib.Path) -> None:
  """The lecture's planar run as ``jacts train`` does it: float64, the course's initialization,
  4 tanh units, plain gradient descent at learning rate 1.2, 10000 steps."""
  import jax
  import numpy as np
  import optax

  import jacts
  import jacts.shallow as shallow
  from jacts.datasets import planar_flower
  from jacts.plotting import decision_boundary, pyplot

  with jax.enable_x64(True):
    X, Y = planar_flower()  # (400, 2) and (400, 1), float64
    params = shallow.lecture_params(2, 4, 1, dtype="float64")  # the course's RandomState(2)
    params, costs = shallow.fit(
      params, X, Y, optimizer=optax.sgd(1.2), steps=10_000, activation=jacts.tanh
    )  # one compiled program; the cost every 1000 steps
    accuracy = 100 * float(shallow.accuracy(params, X, Y))

    log = [f"Cost after iteration {1000 * i}: {cost:.6f}" for i, cost in enumerate(costs)]
    log.append(f"Training accuracy: {accuracy:.2f} %")
    (folder / "planar_log.txt").write_text("\n".join(log) + "\n")

    plt = pyplot()
    figure, ax = plt.subplots(figsize=(6, 5), layout="constrained")
    predict = lambda points: shallow.predict(params, points)  # noqa: E731
    decision_boundary(ax, predict, X, Y, title=f"4 tanh units on the flower: {accuracy:.2f} %")
    figure.savefig(folder / "planar_boundary.png", dpi=90)
    plt.close(figure)

  figure, ax = plt.subplots(figsize=(6, 4), layout="constrained")
  ax.plot(1000 * np.arange(len(costs)), np.asarray(costs), marker="o")
  ax.set_xlabel("iteration")
  ax.set_ylabel("cost J")
  ax.set_title("Cost during training")
  figure.savefig(folder / "planar_costs.png", dpi=90)
  plt.close(figure)


def check(folder: pathlib.Path) -> None:
  """What ``jacts check`` prints: every activation's derivative verified live. A row that does
  not hold fails the build rather than be published."""
  import os
  import subprocess
  import sys

  environment = dict(os.environ, COLUMNS="100", JACTS_NO_CACHE="1")
  command = [sys.executable, "-m", "jacts", "check"]
  result = subprocess.run(command, capture_output=True, text=True, env=environment, check=False)
  if result.returncode != 0:
    raise RuntimeError(f"jacts check exited {result.returncode}:\n{result.stdout}{result.stderr}")
  (folder / "check.txt").write_text("$ jacts check\n" + result.stdout)


def make_all(folder: pathlib.Path) -> None:
  activations(folder)
  planar_run(folder)
  check(folder)
