"""Planar flower and time to a first result: jacts.shallow.fit on the course's n_h = 4 network.

planar: fit's steady speed against the loops users write instead: the course's NumPy loop
(tests/support/numpy_lecture.py, float64 and float32), a jitted optax step in a Python loop and,
with the `bench` extra, PyTorch eager. first_run: a one-shot fit against that optax loop's first
run, each in fresh processes (first_run.py), and the `jacts train` command with an empty compilation
cache against a second run that reads it.
"""

import os
import pathlib
import statistics
import sys
import tempfile
import time

import jax
import jax.numpy as jnp
import numpy as np
import optax
from harness import Report, blocking, median_seconds

import jacts.shallow as shallow
from jacts.datasets import planar_flower

# The course's NumPy loop lives with the tests, which hold jacts to it; here it is a baseline.
sys.path.insert(0, str(pathlib.Path(__file__).parent.parent / "tests" / "support"))
import numpy_lecture

try:
  import torch
except ImportError:  # The `bench` extra; PyTorch rows are skipped without it.
  torch = None


def planar(report: Report, quick: bool) -> None:
  """n_h = 4 on the planar flower: jacts.shallow.fit against the loops users write instead."""
  section = "Planar flower, n_h = 4, full-batch gradient descent"
  steps = 500 if quick else 10_000
  repeats = 2 if quick else 5
  X, Y = planar_flower()
  X32, Y32 = jnp.asarray(X, jnp.float32), jnp.asarray(Y, jnp.float32)
  params = shallow.lecture_params(2, 4, 1)
  optimizer = optax.sgd(1.2)

  start = time.perf_counter()
  jax.block_until_ready(shallow.fit(params, X32, Y32, optimizer=optimizer, steps=steps))
  first = time.perf_counter() - start
  report.add(section, f"jacts fit, first call (compile + {steps} steps)", first, "s",
             target="<= 1 s", met=first <= 1.0)  # fmt: skip

  fit_time = median_seconds(
    blocking(shallow.fit, params, X32, Y32, optimizer=optimizer, steps=steps), repeats
  )
  report.add(section, f"jacts fit, {steps} steps", fit_time, "s")

  W1, W2 = np.asarray(params.W1, np.float64), np.asarray(params.W2, np.float64)
  for dtype, name in ((np.float64, "float64"), (np.float32, "float32")):
    numpy_time = median_seconds(
      lambda d=dtype: numpy_lecture.train(X, Y, W1, W2, steps=steps, dtype=d),
      max(1, repeats // 2),
    )
    ratio = numpy_time / fit_time
    report.add(section, f"NumPy lecture loop, {name}", numpy_time, "s", ratio, ">= 12x",
               ratio >= 12)  # fmt: skip

  step = jitted_optax_step(optimizer)

  def per_step_loop():
    state = (params, optimizer.init(params))
    for _ in range(steps):
      state = step(*state, X32, Y32)[:2]
    jax.block_until_ready(state)

  loop_time = median_seconds(per_step_loop, max(1, repeats // 2))
  ratio = loop_time / fit_time
  report.add(section, "jitted optax step in a Python loop", loop_time, "s", ratio, ">= 8x",
             ratio >= 8)  # fmt: skip

  if torch is None:
    report.add(section, "PyTorch eager: not installed (pip install torch)", float("nan"), "s")
    return
  torch_time = median_seconds(lambda: torch_loop(X, Y, params, steps), max(1, repeats // 2))
  ratio = torch_time / fit_time
  report.add(section, f"PyTorch {torch.__version__} eager, torch.optim.SGD", torch_time, "s",
             ratio, ">= 50x", ratio >= 50)  # fmt: skip


def first_run(report: Report, quick: bool) -> None:
  """One-shot fit against the idiomatic loop's first run, each in fresh processes (medians)."""
  import subprocess

  steps, repeats = (500, 1) if quick else (10_000, 7)
  section = f"Time to first result: one call, compile + {steps} planar steps, fresh processes"
  script = pathlib.Path(__file__).parent / "first_run.py"
  samples = {"jacts": [], "optax-loop": []}
  for _ in range(repeats):  # Interleaved, so that both see the same machine load.
    for which, times in samples.items():
      command = [sys.executable, str(script), which, "--steps", str(steps)]
      output = subprocess.run(command, capture_output=True, text=True, check=True, timeout=600)
      times.append(float(output.stdout.strip().splitlines()[-1]))
  jacts_time = statistics.median(samples["jacts"])
  loop_time = statistics.median(samples["optax-loop"])
  report.add(section, "jacts fit, one-shot", jacts_time, "s")
  report.add(section, "jitted optax step in a Python loop, first run", loop_time, "s",
             loop_time / jacts_time, ">= 1x", loop_time >= jacts_time)  # fmt: skip

  # The whole command, imports included: a first run compiles, a second reads the cache.
  command = [sys.executable, "-m", "jacts", "train", "--no-progress", "--steps", str(steps)]
  runs = {"first": [], "second": []}
  for _ in range(max(1, repeats // 2)):
    with tempfile.TemporaryDirectory() as cache:
      environment = {k: v for k, v in os.environ.items() if k != "JACTS_NO_CACHE"}
      environment["JACTS_CACHE_DIR"] = cache
      for times in runs.values():
        start = time.perf_counter()
        subprocess.run(command, env=environment, capture_output=True, check=True, timeout=600)
        times.append(time.perf_counter() - start)
  first, second = (statistics.median(runs[k]) for k in ("first", "second"))
  report.add(section, "jacts train (whole command, float64), empty compilation cache", first, "s")
  report.add(section, "jacts train, second run: compiled programs from the cache", second, "s",
             first / second)  # fmt: skip


def jitted_optax_step(optimizer):
  """The idiomatic JAX training step: jnp.tanh, optax's loss, jax.value_and_grad, jax.jit;
  returns (params, opt_state, cost before the update)."""

  def loss(params, X, Y):
    Z1 = X @ params.W1.T + params.b1[None, :]
    Z2 = jnp.tanh(Z1) @ params.W2.T + params.b2[None, :]
    return jnp.mean(optax.sigmoid_binary_cross_entropy(Z2, Y))

  @jax.jit
  def step(params, opt_state, X, Y):
    J, grads = jax.value_and_grad(loss)(params, X, Y)
    updates, opt_state = optimizer.update(grads, opt_state, params)
    return optax.apply_updates(params, updates), opt_state, J

  return step


def torch_loop(X, Y, params, steps):
  model = torch.nn.Sequential(torch.nn.Linear(2, 4), torch.nn.Tanh(), torch.nn.Linear(4, 1))
  with torch.no_grad():
    for layer, W, b in ((model[0], params.W1, params.b1), (model[2], params.W2, params.b2)):
      layer.weight.copy_(torch.from_numpy(np.array(W)))
      layer.bias.copy_(torch.from_numpy(np.array(b)))
  inputs = torch.from_numpy(np.asarray(X, np.float32))
  labels = torch.from_numpy(np.asarray(Y, np.float32))
  optimizer = torch.optim.SGD(model.parameters(), lr=1.2)
  loss_function = torch.nn.BCEWithLogitsLoss()
  for _ in range(steps):
    optimizer.zero_grad()
    loss_function(model(inputs), labels).backward()
    optimizer.step()
