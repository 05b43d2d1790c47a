"""One first call, in this fresh process: what a command-line or notebook user waits for.

Run by run.py once per repeat, each in a new process (no compiled program or cache survives):
``python first_run.py jacts|optax-loop [--steps N]`` prints the seconds from the call to its
results, compilation included. Both train the lecture's planar network (n_h = 4, float32, SGD
1.2) and log the cost every 1000 steps. ``optax-loop`` is the idiomatic alternative: a jitted
optax step in a Python loop.
"""

import argparse
import time

import jax
import jax.numpy as jnp
import optax
from planar import jitted_optax_step

import jacts.shallow as shallow
from jacts.datasets import planar_flower


def jacts_fit(params, X, Y, steps):
  return shallow.fit(params, X, Y, optimizer=optax.sgd(1.2), steps=steps)


def optax_loop(params, X, Y, steps):
  optimizer = optax.sgd(1.2)
  step = jitted_optax_step(optimizer)
  opt_state, costs = optimizer.init(params), []
  for i in range(steps):
    params, opt_state, J = step(params, opt_state, X, Y)
    if i % 1000 == 0:
      costs.append(J)
  return params, jnp.stack(costs)


def main() -> None:
  parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
  parser.add_argument("which", choices=("jacts", "optax-loop"))
  parser.add_argument("--steps", type=int, default=10_000)
  args = parser.parse_args()
  X, Y = (jnp.asarray(a, jnp.float32) for a in planar_flower())  # On the device, for both.
  params = shallow.lecture_params(2, 4, 1, dtype=jnp.float32)
  train = {"jacts": jacts_fit, "optax-loop": optax_loop}[args.which]
  start = time.perf_counter()
  jax.block_until_ready(train(params, X, Y, args.steps))
  print(f"{time.perf_counter() - start:.4f}")


if __name__ == "__main__":
  main()
