"""Memory: compiled temporary bytes of value_and_grad, jacts against jax.nn and naive autodiff.

memory: the large shallow network's cost with the lecture's activations (and
jacts.shallow.cost). deep_memory: an MLP of 8 hidden layers with every elementwise activation,
against jax.nn and against jacts.tanh (which keeps a alone) where a determines g'; then the step
time where the kept a is pinned (Rule.pin_output), against jax.nn.
"""

import itertools

import jax
import jax.numpy as jnp
from harness import LECTURE, REFERENCES, Report, blocking, interleaved_medians

import jacts
import jacts.shallow as shallow
from jacts._rules import RULES


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
