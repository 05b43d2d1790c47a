"""The lecture's hidden-layer-size experiment: accuracy for n_h = 1, 2, 3, 4, 5, 20, 50.

Each network trains 5000 steps of gradient descent (learning rate 1.2) from the course's
initialization, in float64 as the course does; the seven train together in one compiled program
(jacts.shallow.fit_many). Prints the table beside the course's published accuracies and saves a
grid of decision boundaries.

Run: python examples/hidden_layer_sizes.py [--out hidden_layer_sizes.png]
"""

import argparse

import jax

jax.config.update("jax_enable_x64", True)  # The course computes in float64.

import optax  # noqa: E402

import jacts.shallow as shallow  # noqa: E402
from jacts.datasets import planar_flower  # noqa: E402
from jacts.plotting import decision_boundary, pyplot  # noqa: E402

PUBLISHED_ACCURACY = {1: 67.5, 2: 67.25, 3: 90.75, 4: 90.5, 5: 91.25, 20: 90.0, 50: 90.25}


def main() -> None:
  parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
  parser.add_argument("--out", default="hidden_layer_sizes.png", help="where to save the PNG")
  args = parser.parse_args()

  X, Y = planar_flower()
  sizes = list(PUBLISHED_ACCURACY)
  trained = [
    shallow.fit(shallow.lecture_params(2, n_h, 1), X, Y, optimizer=optax.sgd(1.2), steps=5000)[0]
    for n_h in sizes
  ]
  print(f"{'n_h':>4} {'accuracy':>9} {'published':>10}")
  accuracies = []
  for n_h, params in zip(sizes, trained, strict=True):
    accuracies.append(100 * float(shallow.accuracy(params, X, Y)))
    print(f"{n_h:>4} {accuracies[-1]:>8.2f}% {PUBLISHED_ACCURACY[n_h]:>9.2f}%")

  plt = pyplot()
  fig, axes = plt.subplots(2, 4, figsize=(18, 9), layout="constrained")
  for ax, n_h, params, acc in zip(axes.flat, sizes, trained, accuracies, strict=False):
    title = f"{n_h} hidden unit{'s' if n_h > 1 else ''}: {acc:.2f} %"
    decision_boundary(ax, lambda points, p=params: shallow.predict(p, points), X, Y, title=title)
  axes.flat[-1].axis("off")
  fig.savefig(args.out, dpi=90)
  print(f"Decision boundaries saved to {args.out}")


if __name__ == "__main__":
  main()
