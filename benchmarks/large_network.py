"""Large network: a training step's FLOP rate against the machine's own GEMM (jnp.dot).

n_x = 784, n_h = 1024, m = 8192, float32: jacts.shallow.fit with tanh and relu, interleaved
with a square matrix product that says what this machine can do.
"""

import statistics

import jax
import jax.numpy as jnp
import optax
from harness import Report, blocking, median_seconds

import jacts
import jacts.shallow as shallow


def large_network(report: Report, quick: bool) -> None:
  """n_x = 784, n_h = 1024, m = 8192: a training step's FLOP rate against the machine's GEMM."""
  m, n_x, n_h, gemm_n = (512, 64, 128, 256) if quick else (8192, 784, 1024, 2048)
  section = f"Large network: n_x = {n_x}, n_h = {n_h}, n_y = 1, m = {m}, float32"
  key_x, key_y, key_p, key_a = jax.random.split(jax.random.key(0), 4)
  X = jax.random.normal(key_x, (m, n_x), jnp.float32)
  Y = (jax.random.uniform(key_y, (m, 1)) > 0.5).astype(jnp.float32)
  params = shallow.init_params(key_p, n_x, n_h, 1)
  a = jax.random.normal(key_a, (gemm_n, gemm_n), jnp.float32)
  gemm = jax.jit(jnp.dot)
  steps, repeats = (2, 2) if quick else (5, 5)
  # Model FLOPs of one step: the two big products (Z1 and dW1 with db1) and the output layer.
  flops = 2 * 2 * m * (n_x + 1) * n_h + 3 * 2 * m * n_h

  gemm_rates, step_rates = [], {}
  for _ in range(repeats):  # Interleaved, so that both see the same machine load.
    gemm_rates.append(2 * gemm_n**3 / median_seconds(blocking(gemm, a, a), 3))
    for activation in (jacts.tanh, jacts.relu):
      run = blocking(shallow.fit, params, X, Y, optimizer=optax.sgd(0.01), steps=steps,
                     activation=activation, log_every=steps)  # fmt: skip
      step_rates.setdefault(activation.__name__, []).append(
        flops / (median_seconds(run, 1) / steps)
      )
  gemm_rate = statistics.median(gemm_rates)
  report.add(section, f"jnp.dot {gemm_n}x{gemm_n}", gemm_rate / 1e9, "GFLOP/s")
  for name, rates in step_rates.items():
    rate = statistics.median(rates)
    report.add(section, f"training step, {name}", rate / 1e9, "GFLOP/s", rate / gemm_rate,
               ">= 0.85 of GEMM", rate / gemm_rate >= 0.85)  # fmt: skip
