"""The lecture's planar experiment: a 4-unit tanh network learns the flower, logistic regression
cannot.

Trains n_h = 4, tanh, plain gradient descent (optax.sgd(1.2)), 10000 steps, from the course's
initialization, in float64 as the course does; prints the cost every 1000 steps beside the
course's published numbers, the accuracy of the network and of a logistic-regression baseline
(also trained with jacts), and saves both decision boundaries to a PNG.

Run: python examples/planar_flower.py [--out planar_flower.png]
"""

import argparse

import jax

jax.config.update("jax_enable_x64", True)  # The course computes in float64.

import jax.numpy as jnp  # noqa: E402
import optax  # noqa: E402

import jacts  # noqa: E402
import jacts.shallow as shallow  # noqa: E402
from jacts.datasets import planar_flower  # noqa: E402
from jacts.plotting import decision_boundary, pyplot  # noqa: E402

PUBLISHED_COSTS = [
    0.693048, 0.288083, 0.254385, 0.233864, 0.226792,
    0.222644, 0.219731, 0.217504, 0.219454, 0.218607,
]  # fmt: skip


def train_logistic_regression(X, Y, *, steps=10_000, learning_rate=1.2):
  """Logistic regression a = sigmoid(X w + b), by gradient descent through jacts.sigmoid."""

  def cost(params):
    a = jacts.sigmoid(X @ params[0] + params[1])
    # The plain log form; the clip only guards log(0).
    a = jnp.clip(a, jnp.finfo(a.dtype).tiny, 1 - jnp.finfo(a.dtype).epsneg)
    return -jnp.mean(Y * jnp.log(a) + (1 - Y) * jnp.log(1 - a))

  optimizer = optax.sgd(learning_rate)

  @jax.jit
  def train(params):
    def step(state, _):
      params, opt_state = state
      updates, opt_state = optimizer.update(jax.grad(cost)(params), opt_state)
      return (optax.apply_updates(params, updates), opt_state), None

    (params, _), _ = jax.lax.scan(step, (params, optimizer.init(params)), None, length=steps)
    return params

  params = train((jnp.zeros((X.shape[1], 1)), jnp.zeros(1)))
  return lambda points: (jacts.sigmoid(points @ params[0] + params[1]) > 0.5).astype(jnp.int32)


def main() -> None:
  parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
  parser.add_argument("--out", default="planar_flower.png", help="where to save the PNG")
  args = parser.parse_args()

  X, Y = planar_flower()
  params, costs = shallow.fit(
    shallow.lecture_params(2, 4, 1), X, Y, optimizer=optax.sgd(1.2), steps=10_000
  )
  print("n_h = 4, tanh, gradient descent with learning rate 1.2, float64")
  print(f"{'iteration':>9} {'cost':>9} {'published':>10}")
  for k, (cost, published) in enumerate(zip(costs.tolist(), PUBLISHED_COSTS, strict=True)):
    print(f"{1000 * k:>9} {cost:>9.6f} {published:>10.6f}")
  network = 100 * float(shallow.accuracy(params, X, Y))
  baseline_predict = train_logistic_regression(jnp.asarray(X), jnp.asarray(Y))
  baseline = 100 * float(jnp.mean(baseline_predict(jnp.asarray(X)) == Y))
  print(f"\nAccuracy of the network:             {network:.2f} %  (course: 90 %)")
  print(f"Accuracy of logistic regression:     {baseline:.2f} %  (course: 47 %)")

  plt = pyplot()
  fig, (left, right) = plt.subplots(1, 2, figsize=(11, 5), layout="constrained")
  decision_boundary(left, baseline_predict, X, Y, title=f"Logistic regression: {baseline:.1f} %")
  decision_boundary(
    right,
    lambda points: shallow.predict(params, points),
    X,
    Y,
    title=f"Hidden layer of 4 tanh units: {network:.1f} %",
  )
  fig.savefig(args.out, dpi=110)
  print(f"Decision boundaries saved to {args.out}")


if __name__ == "__main__":
  main()
