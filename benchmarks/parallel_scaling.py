"""The large network's training step on meshes of 1, 2 and 4 virtual CPU devices.

Run by run.py in a subprocess (the device count is fixed when JAX starts); prints JSON. Virtual
devices share this machine's cores, so on a 2-core machine this measures the overhead of
splitting the batch and all-reducing, not a speed-up.
"""

import json
import os
import sys

os.environ["XLA_FLAGS"] = "--xla_force_host_platform_device_count=4"

import jax
import numpy as np
import optax
from harness import median_seconds
from jax.sharding import Mesh

import jacts.parallel as parallel
import jacts.shallow as shallow


def main() -> None:
  quick = "--quick" in sys.argv
  m, n_x, n_h = (512, 64, 128) if quick else (8192, 784, 1024)
  steps, repeats = (2, 1) if quick else (3, 3)
  key_x, key_y, key_p = jax.random.split(jax.random.key(0), 3)
  X = np.asarray(jax.random.normal(key_x, (m, n_x)))
  Y = np.asarray(jax.random.uniform(key_y, (m, 1)) > 0.5, np.float32)
  params = shallow.init_params(key_p, n_x, n_h, 1)
  optimizer = optax.sgd(0.01)
  schedule = {"optimizer": optimizer, "steps": steps, "log_every": steps}
  results = {"size": [m, n_x, n_h]}
  results["fit"] = (
    median_seconds(lambda: jax.block_until_ready(shallow.fit(params, X, Y, **schedule)), repeats)
    / steps
  )
  for count in (1, 2, 4):
    mesh = Mesh(np.array(jax.devices()[:count]), ("batch",))
    results[f"parallel_{count}"] = (
      median_seconds(
        lambda mesh=mesh: jax.block_until_ready(parallel.fit(params, X, Y, mesh=mesh, **schedule)),
        repeats,
      )
      / steps
    )
  print(json.dumps(results))


if __name__ == "__main__":
  main()
