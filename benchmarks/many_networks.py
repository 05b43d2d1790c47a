"""Many networks: jacts.shallow.fit_many against fit on each network, one after the other.

7 hidden sizes x 16 seeds on the planar flower, first calls (compilation included) and compiled.
"""

import time

import jax
import jax.numpy as jnp
import optax
from harness import Report, blocking, median_seconds

import jacts.shallow as shallow
from jacts.datasets import planar_flower


def many_networks(report: Report, quick: bool) -> None:
  """7 hidden sizes x 16 seeds: jacts.shallow.fit_many against fit on each network."""
  sizes, seeds, steps = ((1, 4), 2, 200) if quick else ((1, 2, 3, 4, 5, 20, 50), 16, 5000)
  section = f"Many networks: {len(sizes)} hidden sizes x {seeds} seeds, {steps} steps each"
  X, Y = planar_flower()
  X32, Y32 = jnp.asarray(X, jnp.float32), jnp.asarray(Y, jnp.float32)
  networks = [
    shallow.init_params(jax.random.key(seed), 2, n_h, 1) for n_h in sizes for seed in range(seeds)
  ]
  optimizer = optax.sgd(1.2)
  repeats = 1 if quick else 3

  start = time.perf_counter()
  jax.block_until_ready(shallow.fit_many(networks, X32, Y32, optimizer=optimizer, steps=steps))
  report.add(section, "fit_many, first call (compile + run)", time.perf_counter() - start, "s")

  def one_by_one():
    for params in networks:
      jax.block_until_ready(shallow.fit(params, X32, Y32, optimizer=optimizer, steps=steps))

  start = time.perf_counter()
  one_by_one()
  report.add(
    section, "fit on each, first calls (compiles + runs)", time.perf_counter() - start, "s"
  )
  many = median_seconds(
    blocking(shallow.fit_many, networks, X32, Y32, optimizer=optimizer, steps=steps), repeats
  )
  each = median_seconds(one_by_one, repeats)
  report.add(section, "fit_many, compiled", many, "s")
  report.add(section, "fit on each network, compiled", each, "s", each / many, ">= 5x",
             each / many >= 5)  # fmt: skip
  tanh_per_step = sum(sizes) * seeds * X.shape[0]
  report.add(section, "tanh evaluations per step (all networks)", tanh_per_step, "")
