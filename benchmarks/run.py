"""jacts benchmarks: ratios against what users would write instead, all measured in one process.

Run: python benchmarks/run.py [--quick] [--out benchmarks/results]

Each case is timed as the median of several repeats after a warm-up call (these machines are
shared and noisy), and reported as a ratio to jacts in the same run. Writes latest.md (the
table the README shows) and latest.json to --out. --quick shrinks every size for a smoke run.
"""

import argparse
import itertools
import json
import os
import pathlib
import platform
import statistics
import sys
import tempfile
import time

import jax
import jax.numpy as jnp
import numpy as np
import optax

import jacts
import jacts.shallow as shallow
from jacts._rules import RULES
from jacts.datasets import planar_flower

# The course's NumPy loop lives with the tests, which hold jacts to it; here it is a baseline.
sys.path.insert(0, str(pathlib.Path(__file__).parent.parent / "tests"))
import numpy_lecture

try:
  import torch
except ImportError:  # The `bench` extra; PyTorch rows are skipped without it.
  torch = None


# Each activation of the rule table: (jacts, jax.nn's namesake, the naive formula).
REFERENCES = {
  name: (getattr(jacts, name), getattr(jax.nn, name), rule.naive) for name, rule in RULES.items()
}
LECTURE = ("sigmoid", "tanh", "relu", "leaky_relu")


def median_seconds(run, repeats: int) -> float:
  """Median wall time of ``run()`` (which must block until done) after one warm-up call."""
  run()
  times = []
  for _ in range(repeats):
    start = time.perf_counter()
    run()
    times.append(time.perf_counter() - start)
  return statistics.median(times)


def interleaved_medians(runs: dict, rounds: int, per_round: int = 3) -> dict:
  """Median seconds of each ``runs[label]()``, the labels taking turns round after round.

  Taking turns spreads drift in the machine's load over all of them; within a round each gets
  one untimed call first, because the first call after another program pays for that program's
  memory (measured: up to 14 ms on a 21 ms kernel).
  """
  samples = {label: [] for label in runs}
  for _ in range(rounds):
    for label, run in runs.items():
      run()
      for _ in range(per_round):
        start = time.perf_counter()
        run()
        samples[label].append(time.perf_counter() - start)
  return {label: statistics.median(times) for label, times in samples.items()}


def blocking(function, *args, **kwargs):
  return lambda: jax.block_until_ready(function(*args, **kwargs))


def machine() -> str:
  cpu = platform.processor() or platform.machine()
  try:
    with open("/proc/cpuinfo") as info:
      cpu = next(line.split(":", 1)[1].strip() for line in info if line.startswith("model name"))
  except (OSError, StopIteration):
    pass
  device = jax.devices()[0]
  return (
    f"{cpu}, {os.cpu_count()} cores; JAX {jax.__version__} on {device.platform} "
    f"({device.device_kind}); Python {platform.python_version()}"
  )


class Report:
  """Collects rows: (section, case, seconds or value, ratio, target, met)."""

  def __init__(self):
    self.rows = []

  def add(self, section, case, measured, unit, ratio=None, target=None, met=None):
    row = {"section": section, "case": case, "measured": measured, "unit": unit}
    row |= {"ratio": ratio, "target": target, "met": met}
    self.rows.append(row)
    shown = f"{measured:.4g} {unit}" + (f", ratio {ratio:.2f}" if ratio is not None else "")
    print(f"[{section}] {case}: {shown}" + (f" (target {target})" if target else ""), flush=True)

  def markdown(self, header: str) -> str:
    lines = [header, ""]
    section = None
    for row in self.rows:
      if row["section"] != section:
        section = row["section"]
        lines += ["", f"**{section}**", "", "| case | measured | ratio | target | met |"]
        lines += ["|---|---|---|---|---|"]
      ratio = "" if row["ratio"] is None else f"{row['ratio']:.2f}"
      met = {None: "", True: "yes", False: "**no**"}[row["met"]]
      measured = f"{row['measured']:.4g} {row['unit']}"
      lines.append(f"| {row['case']} | {measured} | {ratio} | {row['target'] or ''} | {met} |")
    return "\n".join(lines) + "\n"

  def activation_table(self, header: str) -> str:
    """One row per activation: the speed and the deep network's memory against jax.nn's."""
    found = {}
    for row in self.rows:
      name, _, case = row["case"].partition(": ")
      if name in RULES and row["section"].startswith(
        ("Activations", "Memory: temporary bytes of value_and_grad of an MLP")
      ):
        found[name, case, row["unit"]] = row
    lines = [
      header,
      "",
      "| activation | g' read from | fwd + bwd, jacts | jax.nn / jacts | MLP memory, jacts "
      "| jax.nn / jacts |",
    ]
    lines.append("|---|---|---:|---:|---:|---:|")
    for name, rule in RULES.items():
      speed, speed_ratio = (
        found.get((name, "jacts", "ms")),
        found.get((name, "jax.nn / jacts", "ms")),
      )
      memory, memory_ratio = (
        found.get((name, "jacts", "MiB")),
        found.get((name, "jax.nn / jacts", "MiB")),
      )
      if speed is None:
        continue
      defaults = [None if p.default is None else float(p.default) for p in rule.parameters]
      source = "a" if rule.uses_output(defaults, [k.default for k in rule.kinks]) else "z"
      cells = [f"`{name}`", source, f"{speed['measured']:.1f} ms", f"{speed_ratio['ratio']:.2f}"]
      cells += (
        [f"{memory['measured']:.0f} MiB", f"{memory_ratio['ratio']:.2f}"] if memory else ["-", "-"]
      )
      lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


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


def activations(report: Report, quick: bool) -> None:
  """Forward + backward of each activation on 2^24 elements: jacts, jax.nn, naive autodiff.

  Each program returns the value and the VJP, as a layer does: returning the VJP alone would let
  XLA drop the value where the derivative does not read it (jax.nn's softplus: sigmoid(z)).
  """
  size = 2**16 if quick else 2**24
  section = f"Activations: forward + backward (VJP) on {size} float32 elements"
  key_z, key_g = jax.random.split(jax.random.key(1))
  # Rows of 64 for GLU and the softmaxes, which act along the last axis.
  z = 4 * jax.random.normal(key_z, (size // 64, 64), jnp.float32)
  # 7 rounds left 10 % between untouched activations from one run to the next on this shared
  # machine; 15 bring it to about 5 %.
  repeats = 1 if quick else 15
  for name, functions in REFERENCES.items():
    labels = ("jacts", "jax.nn", "naive")
    cotangent = jax.random.normal(key_g, jax.eval_shape(functions[0], z).shape, jnp.float32)
    x = jnp.abs(z) + 0.5 if RULES[name].domain[0] == 0 else z  # log1mexp: z > 0.
    runs = {}
    for label, f in zip(labels, functions, strict=True):
      vjp = jax.jit(lambda z, g, f=f: (lambda a, pull: (a, pull(g)[0]))(*jax.vjp(f, z)))
      runs[label] = blocking(vjp, x, cotangent)
    times = interleaved_medians(runs, rounds=repeats)
    ratio = times["jacts"] / times["jax.nn"]
    report.add(section, f"{name}: jacts", times["jacts"] * 1e3, "ms")
    report.add(section, f"{name}: jax.nn / jacts", times["jax.nn"] * 1e3, "ms",
               1 / ratio, ">= 0.95 (jacts within 5 %)", ratio <= 1.05)  # fmt: skip
    report.add(section, f"{name}: naive autodiff / jacts", times["naive"] * 1e3, "ms",
               times["naive"] / times["jacts"])  # fmt: skip


def memory(report: Report, quick: bool) -> None:
  """Compiled temporary memory of value_and_grad of the large network's cost."""
  m, n_x, n_h = (512, 64, 128) if quick else (8192, 784, 1024)
  section = f"Memory: temporary bytes of value_and_grad(cost), n_h = {n_h}, m = {m}"
  X = jnp.zeros((m, n_x), jnp.float32)
  Y = jnp.zeros((m, 1), jnp.float32)
  params = shallow.init_params(jax.random.key(0), n_x, n_h, 1)

  def network_cost(params, X, Y, activation):
    Z1 = X @ params.W1.T + params.b1[None, :]
    Z2 = activation(Z1) @ params.W2.T + params.b2[None, :]
    return jnp.mean(jax.nn.softplus(Z2) - Y * Z2)

  def temp_bytes(cost, activation):
    compiled = (
      jax.jit(jax.value_and_grad(cost), static_argnums=3).lower(params, X, Y, activation).compile()
    )
    return compiled.memory_analysis().temp_size_in_bytes

  mib = 2**20
  for name in LECTURE:
    ours, jax_nn, naive = REFERENCES[name]
    jacts_bytes = temp_bytes(network_cost, ours)
    shallow_bytes = temp_bytes(lambda p, X, Y, a: shallow.cost(p, X, Y, activation=a), ours)
    nn_bytes = temp_bytes(network_cost, jax_nn)
    naive_bytes = temp_bytes(network_cost, naive)
    report.add(section, f"{name}: jacts", jacts_bytes / mib, "MiB")
    report.add(section, f"{name}: jacts.shallow.cost", shallow_bytes / mib, "MiB",
               shallow_bytes / jacts_bytes)  # fmt: skip
    report.add(section, f"{name}: jax.nn / jacts", nn_bytes / mib, "MiB", nn_bytes / jacts_bytes,
               ">= 1", nn_bytes >= jacts_bytes)  # fmt: skip
    report.add(section, f"{name}: naive / jacts", naive_bytes / mib, "MiB",
               naive_bytes / jacts_bytes, "> 1", naive_bytes > jacts_bytes)  # fmt: skip


def deep_memory(report: Report, quick: bool) -> None:
  """Compiled temporary memory of value_and_grad of an MLP: 8 hidden layers, every activation."""
  batch, width, depth, n_x = (256, 64, 8, 32) if quick else (4096, 1024, 8, 784)
  section = (
    f"Memory: temporary bytes of value_and_grad of an MLP, {depth} hidden layers of {width}, "
    f"batch {batch}, float32"
  )
  sizes = [n_x] + [width] * depth + [10]
  params = [(jnp.zeros((a, b)), jnp.zeros(b)) for a, b in itertools.pairwise(sizes)]
  X = jnp.zeros((batch, n_x))

  def mlp_loss(params, X, activation):
    h = X
    for W, b in params[:-1]:
      h = activation(h @ W + b)
    W, b = params[-1]
    return jnp.mean((h @ W + b) ** 2)

  def temp_bytes(activation):
    step = jax.jit(jax.value_and_grad(mlp_loss), static_argnums=2)
    return step.lower(params, X, activation).compile().memory_analysis().temp_size_in_bytes

  mib = 2**20
  tanh_bytes = temp_bytes(jacts.tanh)
  pinned_output = []
  for name, rule in RULES.items():
    if not rule.elementwise:
      continue
    ours, jax_nn, _ = REFERENCES[name]
    jacts_bytes, nn_bytes = temp_bytes(ours), temp_bytes(jax_nn)
    defaults = [None if p.default is None else float(p.default) for p in rule.parameters]
    from_output = rule.uses_output(defaults, [k.default for k in rule.kinks])
    report.add(section, f"{name}: jacts", jacts_bytes / mib, "MiB")
    report.add(section, f"{name}: jax.nn / jacts", nn_bytes / mib, "MiB", nn_bytes / jacts_bytes,
               ">= 1", nn_bytes >= jacts_bytes)  # fmt: skip
    if from_output:  # a determines g': no more than tanh, which keeps a alone.
      report.add(section, f"{name}: jacts.tanh / jacts", tanh_bytes / mib, "MiB",
                 tanh_bytes / jacts_bytes, ">= 1 (a alone)", tanh_bytes >= jacts_bytes)  # fmt: skip
      if rule.pin_output:
        pinned_output.append(name)

  # Where the kept a is pinned (Rule.pin_output), the backward pass reads a instead of
  # recomputing the clamp from z: what that does to the step, which the standalone rows cannot
  # tell.
  section = "Step time of value_and_grad of that MLP, where the kept a is pinned"
  runs = {}
  for name in pinned_output:
    ours, jax_nn, _ = REFERENCES[name]
    for label, f in ((f"{name}: jacts", ours), (f"{name}: jax.nn", jax_nn)):
      step = jax.jit(jax.value_and_grad(mlp_loss), static_argnums=2)
      runs[label] = blocking(step, params, X, f)
  times = interleaved_medians(runs, rounds=1 if quick else 5, per_round=2)
  for name in pinned_output:
    ours, theirs = times[f"{name}: jacts"], times[f"{name}: jax.nn"]
    report.add(section, f"{name}: step time, jacts", ours * 1e3, "ms")
    report.add(section, f"{name}: step time, jax.nn / jacts", theirs * 1e3, "ms", theirs / ours)


def hessian_vector_products(report: Report, quick: bool) -> None:
  """HVP of the large network's cost: forward-over-reverse vs reverse-over-reverse."""
  m, n_x, n_h = (512, 64, 128) if quick else (8192, 784, 1024)
  section = f"Hessian-vector product of the cost, n_h = {n_h}, m = {m}, tanh"
  key_x, key_y, key_p, key_v = jax.random.split(jax.random.key(2), 4)
  X = jax.random.normal(key_x, (m, n_x), jnp.float32)
  Y = (jax.random.uniform(key_y, (m, 1)) > 0.5).astype(jnp.float32)
  params = shallow.init_params(key_p, n_x, n_h, 1)
  direction = shallow.init_params(key_v, n_x, n_h, 1, scale=1.0)
  forward_tanh = jacts.forward_mode(jacts.tanh)

  @jax.jit
  def forward_over_reverse(params, direction):
    grad = jax.grad(lambda p: shallow.cost(p, X, Y, activation=forward_tanh))
    return jax.jvp(grad, (params,), (direction,))[1]

  @jax.jit
  def reverse_over_reverse(params, direction):
    grad = jax.grad(lambda p: shallow.cost(p, X, Y, activation=jacts.tanh))
    along = lambda p: sum(jnp.vdot(g, v) for g, v in zip(grad(p), direction, strict=True))  # noqa: E731
    return jax.grad(along)(params)

  repeats = 2 if quick else 5
  fwd = median_seconds(blocking(forward_over_reverse, params, direction), repeats)
  rev = median_seconds(blocking(reverse_over_reverse, params, direction), repeats)
  report.add(section, "forward-over-reverse, jacts.forward_mode(jacts.tanh)", fwd * 1e3, "ms")
  report.add(section, "reverse-over-reverse, jacts.tanh (custom VJP)", rev * 1e3, "ms", rev / fwd)


def parallel_scaling(report: Report, quick: bool) -> None:
  """The large network's step on 1, 2 and 4 virtual CPU devices, in a subprocess."""
  import subprocess

  script = pathlib.Path(__file__).parent / "parallel_scaling.py"
  command = [sys.executable, str(script), *(["--quick"] if quick else [])]
  output = subprocess.run(command, capture_output=True, text=True, check=True, timeout=1200)
  results = json.loads(output.stdout.strip().splitlines()[-1])
  m, n_x, n_h = results["size"]
  section = (
    f"Data parallel: the large network's step (n_x = {n_x}, n_h = {n_h}, m = {m}) on virtual "
    f"CPU devices sharing {os.cpu_count()} cores"
  )
  report.add(section, "jacts.shallow.fit, one device", results["fit"] * 1e3, "ms")
  for count in (1, 2, 4):
    seconds = results[f"parallel_{count}"]
    report.add(section, f"jacts.parallel.fit, {count} device(s)", seconds * 1e3, "ms",
               seconds / results["fit"])  # fmt: skip


SECTIONS = {
  "first": first_run,
  "planar": planar,
  "many": many_networks,
  "large": large_network,
  "activations": activations,
  "memory": memory,
  "deep": deep_memory,
  "hvp": hessian_vector_products,
  "parallel": parallel_scaling,
}


def main() -> None:
  parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
  parser.add_argument("--quick", action="store_true", help="small sizes: a smoke run")
  parser.add_argument("--out", default=str(pathlib.Path(__file__).parent / "results"))
  parser.add_argument("--only", nargs="*", choices=list(SECTIONS), help="run these sections")
  args = parser.parse_args()

  report = Report()
  for name, section in SECTIONS.items():
    if not args.only or name in args.only:
      section(report, args.quick)
  out = pathlib.Path(args.out)
  out.mkdir(parents=True, exist_ok=True)
  header = f"Measured on {machine()}{' (--quick)' if args.quick else ''}. Ratios: other / jacts."
  (out / "latest.md").write_text(report.markdown(header))
  if any(row["section"].startswith("Activations") for row in report.rows):
    (out / "activations.md").write_text(report.activation_table(header))
  (out / "latest.json").write_text(
    json.dumps({"machine": machine(), "rows": report.rows}, indent=1)
  )
  print(f"\nWrote {out / 'latest.md'} and {out / 'latest.json'}")


if __name__ == "__main__":
  main()
