"""The sweep behind ``jacts train``'s per-activation defaults: accuracy on every planar data set.

Run: python benchmarks/training_defaults.py [--out benchmarks/results] [--runs FILE] (30 minutes
on 2 CPU cores, 2026-12-05: 26 for the sweep, 4 for the table)

Trains the command's network (4 hidden units, the course's RandomState(2) draws, float64, 10000
full-batch steps, the cost logged every 1000) for every elementwise activation on every data set
of ``jacts train --dataset``, over a grid of optimizers, learning rates and initialization scales
(the standard deviation of the weights: the lecture's 0.01, or larger for activations that are
linear near 0, where 0.01 leaves the network a linear model). Each (activation, data set,
optimizer) is one compiled program with the grid vectorized in it. Gradients are ``jax.grad``
through the custom VJPs, which the tests prove equal to the lecture's backprop that the command
uses; the chosen defaults are then checked through the command itself by
tests/cli/test_cli_training_defaults.py.

Writes training_defaults.md: the table of docs/cli.md, accuracy per activation and data set with
the lecture's settings and with the defaults this chooses (``choose``), and prints those defaults
as the literal of jacts/cli/_defaults.py. ``--runs FILE`` keeps every run (the cost logs and
accuracies), which ``--from-runs FILE`` reads back instead of training again.
"""

import argparse
import json
import pathlib
import statistics
import sys
import time
from datetime import date

import jax

jax.config.update("jax_enable_x64", True)
import jax.numpy as jnp  # noqa: E402
import numpy as np  # noqa: E402
import optax  # noqa: E402
from harness import machine  # noqa: E402

import jacts  # noqa: E402
from jacts import datasets, shallow  # noqa: E402
from jacts.cli._arguments import TRAINABLE  # noqa: E402
from jacts.cli._defaults import GOAL, LECTURE  # noqa: E402
from jacts.cli._main import DATASETS  # noqa: E402
from jacts.cli._trend import cost_falls  # noqa: E402

LEARNING_RATES = {
  "sgd": (0.1, 0.3, 1.2, 3.0, 10.0),
  "adam": (0.001, 0.003, 0.01, 0.03, 0.1),
}
SCALES = (0.01, 0.1, 0.3, 1.0)
STEPS, LOG_EVERY, HIDDEN, SEED = 10_000, 1000, 4, 2
GOOD = 0.85  # The flower accuracy at which an activation keeps the lecture's settings.


def sweep(name: str, optimizer: str, X: jax.Array, Y: jax.Array):
  """(cost logs, final costs, accuracies), each indexed [learning rate, scale]."""
  activation = getattr(jacts, name)
  draws = shallow.lecture_params(X.shape[1], HIDDEN, 1, seed=SEED, scale=1.0)  # Unscaled.

  def run(lr, scale):
    params = draws._replace(W1=draws.W1 * scale, W2=draws.W2 * scale)  # lecture_params(scale=)
    transform = getattr(optax, optimizer)(lr)
    cost = lambda p: shallow.cost(p, X, Y, activation=activation)  # noqa: E731
    value_and_grad = jax.value_and_grad(cost)

    def step(state, _):
      params, opt_state = state
      J, grads = value_and_grad(params)
      updates, opt_state = transform.update(grads, opt_state, params)
      return (optax.apply_updates(params, updates), opt_state), J

    def chunk(state, _):
      state, costs = jax.lax.scan(step, state, None, length=LOG_EVERY)
      return state, costs[0]

    state = (params, transform.init(params))
    (params, _), logged = jax.lax.scan(chunk, state, None, length=STEPS // LOG_EVERY)
    predictions = shallow.predict(params, X, activation=activation)
    return logged, cost(params), jnp.mean(predictions == Y, dtype=jnp.float64)

  grid = jax.jit(jax.vmap(jax.vmap(run, (None, 0)), (0, None)))
  lrs = jnp.asarray(LEARNING_RATES[optimizer], jnp.float64)
  return jax.tree.map(np.asarray, grid(lrs, jnp.asarray(SCALES, jnp.float64)))


def main() -> None:
  parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
  parser.add_argument("--out", default=str(pathlib.Path(__file__).parent / "results"))
  parser.add_argument("--runs", help="also write every run (about 1 MB of JSON) to this file")
  parser.add_argument("--from-runs", help="read the runs from this file instead of training")
  args = parser.parse_args()
  if args.from_runs:
    runs = json.loads(pathlib.Path(args.from_runs).read_text())
  else:
    runs = sweep_all()
  if args.runs:
    pathlib.Path(args.runs).write_text(json.dumps(runs) + "\n")
  chosen = choose(runs)
  out = pathlib.Path(args.out)
  out.mkdir(parents=True, exist_ok=True)
  report = markdown(chosen)
  (out / "training_defaults.md").write_text(report)
  print(report)
  print("TRAINING_DEFAULTS = {" + ", ".join(f"{n!r}: {c!r}" for n, c in chosen.items()) + "}")


def sweep_all() -> list[dict]:
  """Every (activation, data set, optimizer, learning rate, scale): its costs and accuracy."""
  started = time.perf_counter()
  data = {
    dataset: tuple(jnp.asarray(a, jnp.float64) for a in getattr(datasets, function)())
    for dataset, function in DATASETS.items()
  }
  runs = []
  for name in TRAINABLE:
    for dataset, (X, Y) in data.items():
      for optimizer, lrs in LEARNING_RATES.items():
        logged, final, accuracy = sweep(name, optimizer, X, Y)
        for i, lr in enumerate(lrs):
          for j, scale in enumerate(SCALES):
            costs = [*logged[i, j].tolist(), float(final[i, j])]
            runs.append({
              "activation": name, "dataset": dataset, "optimizer": optimizer, "lr": lr,
              "scale": scale, "costs": costs, "accuracy": float(accuracy[i, j]),
              "falls": cost_falls(costs),
            })  # fmt: skip
    print(f"{name}: done at {time.perf_counter() - started:.0f} s", file=sys.stderr, flush=True)
  return runs


def settings(run: dict) -> tuple[str, float, float]:
  return run["optimizer"], run["lr"], run["scale"]


def choose(runs: list[dict]) -> dict[str, tuple[str, float, float]]:
  """Each activation's defaults, where the lecture's do not train it well.

  The lecture's settings stay where they reach GOOD on flower and the cost falls on every data
  set. Elsewhere: among the settings whose cost falls on every data set and that reach GOAL on
  flower, the highest flower accuracy plus mean accuracy over the data sets (flower, the
  lecture's, counts twice; ties: the earlier setting of the grid).
  """
  chosen = {}
  for name in TRAINABLE:
    by_settings: dict[tuple, dict[str, dict]] = {}
    for r in runs:
      if r["activation"] == name:
        by_settings.setdefault(settings(r), {})[r["dataset"]] = r
    steady = {s: d for s, d in by_settings.items() if all(r["falls"] for r in d.values())}
    lecture = steady.get(LECTURE)
    if name == "identity" or (lecture and lecture["flower"]["accuracy"] >= GOOD):
      continue
    scores = [
      (d["flower"]["accuracy"] + statistics.mean(r["accuracy"] for r in d.values()), -k, s)
      for k, (s, d) in enumerate(steady.items()) if d["flower"]["accuracy"] >= GOAL
    ]  # fmt: skip
    if scores:
      chosen[name] = max(scores)[2]
  return chosen


def measure(name: str, setting: tuple[str, float, float], dataset: str) -> dict:
  """What ``jacts train`` prints for this setting: one :func:`jacts.shallow.fit`, the command's
  gradients (the lecture's backprop) and program, not the sweep's vectorized ``jax.grad``."""
  X, Y = (jnp.asarray(a, jnp.float64) for a in getattr(datasets, DATASETS[dataset])())
  optimizer, lr, scale = setting
  activation = getattr(jacts, name)
  params = shallow.lecture_params(X.shape[1], HIDDEN, 1, seed=SEED, scale=scale)
  params, logged = shallow.fit(
    params, X, Y, optimizer=getattr(optax, optimizer)(lr), steps=STEPS, activation=activation,
    log_every=LOG_EVERY,
  )  # fmt: skip
  costs = [*np.asarray(logged).tolist(), float(shallow.cost(params, X, Y, activation=activation))]
  accuracy = float(shallow.accuracy(params, X, Y, activation=activation))
  return {"accuracy": accuracy, "falls": cost_falls(costs)}


def markdown(chosen: dict) -> str:
  """The table of docs/cli.md, measured as the command trains: per activation, flower accuracy
  with the lecture's settings, then its defaults and their accuracy on each data set (* where
  the cost does not fall)."""
  lines = [
    f"Measured by benchmarks/training_defaults.py on {machine()}, {date.today()}: "
    f"{HIDDEN} hidden units from the course's RandomState({SEED}) draws times the scale, "
    f"float64, {STEPS} full-batch steps, as `jacts train` runs them; training accuracy (%), * "
    "where the cost does not fall.",
    "",
    "| activation | lecture's settings, flower | defaults | " + " | ".join(DATASETS) + " |",
    "|" + "---|" * (3 + len(DATASETS)),
  ]

  def cell(run):
    return f"{100 * run['accuracy']:.2f}" + ("" if run["falls"] else " *")

  for name in TRAINABLE:
    mine = chosen.get(name, LECTURE)
    cells = [cell(measure(name, mine, dataset)) for dataset in DATASETS]
    shown = f"{mine[0]} {mine[1]:g}, scale {mine[2]:g}" + ("" if name in chosen else " (lecture)")
    before = cell(measure(name, LECTURE, "flower"))
    lines.append(f"| {name} | {before} | {shown} | " + " | ".join(cells) + " |")
    print(lines[-1], file=sys.stderr, flush=True)
  return "\n".join(lines) + "\n"


if __name__ == "__main__":
  main()
