"""A training step where users are: an MLP's value_and_grad and an adam update in one jit, with
jax.nn's activation or jacts' swapped in: in plain JAX, and in equinox and flax.nnx MLPs.

The MLP has 8 hidden layers of 1024 on a batch of 4096 (float32; 784 inputs, 10 outputs), as
the deep memory rows. Memory is the compiled step's temporary bytes (``memory_analysis()``),
which does not depend on the machine's load; time is the median of paired, interleaved runs.
The floor of this step is one tensor per hidden layer: the activation a, which the next layer's
weight gradient reads anyway (``jacts.tanh``'s row).
"""

import functools
import itertools

import jax
import jax.numpy as jnp
import optax
from harness import Report, blocking, interleaved_medians

import jacts
from jacts._rules import RULES

# Each elementwise activation with its defaults, and the conventions whose backward pass keeps
# something else: ReLU's g'(0) = 0 and leaky ReLU's g'(0) = its slope keep a alone.
ELEMENTWISE = [name for name, rule in RULES.items() if rule.elementwise]
VARIANTS = {
  **{name: (getattr(jacts, name), getattr(jax.nn, name)) for name in ELEMENTWISE},
  "relu, derivative_at_zero=0": (
    functools.partial(jacts.relu, derivative_at_zero=0.0),
    jax.nn.relu,
  ),
  "leaky_relu, derivative_at_zero=0.01": (
    functools.partial(jacts.leaky_relu, derivative_at_zero=0.01),
    jax.nn.leaky_relu,
  ),
}  # fmt: skip


_OPTIMIZER = optax.adam(1e-3)


def _compiled_step(predict, params, X: jax.Array, Y: jax.Array):
  """(the compiled step, its arguments): value_and_grad of the mean squared error of
  ``predict(params, X)`` against Y, and an adam update."""

  def step(params, state, X, Y):
    loss = lambda params: jnp.mean((predict(params, X) - Y) ** 2)  # noqa: E731
    value, grads = jax.value_and_grad(loss)(params)
    updates, state = _OPTIMIZER.update(grads, state, params)
    return optax.apply_updates(params, updates), state, value

  arguments = (params, _OPTIMIZER.init(params), X, Y)
  return jax.jit(step).lower(*arguments).compile(), arguments


def _data(sizes: list[int], batch: int) -> tuple[jax.Array, jax.Array]:
  return jax.random.normal(jax.random.key(1), (batch, sizes[0])), jnp.zeros((batch, sizes[-1]))


def _plain_step(sizes: list[int], batch: int):
  """``compiled(activation)``: the step of a plain-JAX MLP, and its arguments."""
  keys = jax.random.split(jax.random.key(0), len(sizes) - 1)
  params = [
    (jax.random.normal(k, (a, b)) / jnp.sqrt(a), jnp.zeros(b))
    for k, (a, b) in zip(keys, itertools.pairwise(sizes), strict=True)
  ]

  def compiled(activation):
    def predict(params, X):
      h = X
      for W, b in params[:-1]:
        h = activation(h @ W + b)
      W, b = params[-1]
      return h @ W + b

    return _compiled_step(predict, params, *_data(sizes, batch))

  return compiled


def _equinox_step(sizes: list[int], batch: int):
  """``compiled(activation)`` with ``equinox.nn.MLP`` (vmapped over the batch); None without
  equinox."""
  try:
    import equinox as eqx
  except ImportError:
    return None

  def compiled(activation):
    model = eqx.nn.MLP(
      sizes[0], sizes[-1], sizes[1], len(sizes) - 2, activation, key=jax.random.key(0)
    )
    params, static = eqx.partition(model, eqx.is_array)
    predict = lambda params, X: jax.vmap(eqx.combine(params, static))(X)  # noqa: E731
    return _compiled_step(predict, params, *_data(sizes, batch))

  return compiled


def _flax_step(sizes: list[int], batch: int):
  """``compiled(activation)`` with a ``flax.nnx.Sequential`` of ``nnx.Linear`` layers; None
  without flax."""
  try:
    from flax import nnx
  except ImportError:
    return None

  def compiled(activation):
    rngs = nnx.Rngs(0)
    layers = []
    for a, b in itertools.pairwise(sizes[:-1]):
      layers += [nnx.Linear(a, b, rngs=rngs), activation]
    model = nnx.Sequential(*layers, nnx.Linear(sizes[-2], sizes[-1], rngs=rngs))
    graphdef, params = nnx.split(model, nnx.Param)
    predict = lambda params, X: nnx.merge(graphdef, params)(X)  # noqa: E731
    return _compiled_step(predict, params, *_data(sizes, batch))

  return compiled


def _memory_rows(report: Report, section: str, name: str, ours, theirs) -> None:
  """The compiled temporary memory of two steps, jacts' (``ours``) and jax.nn's."""
  ours_bytes, nn_bytes = (c.memory_analysis().temp_size_in_bytes for c in (ours, theirs))
  report.add(section, f"{name}: memory, jacts", ours_bytes / 2**20, "MiB")
  report.add(section, f"{name}: memory, jax.nn / jacts", nn_bytes / 2**20, "MiB",
             nn_bytes / ours_bytes, ">= 1", nn_bytes >= ours_bytes)  # fmt: skip


def training_step(report: Report, quick: bool) -> None:
  """Memory and time of the step, jax.nn beside jacts, for every elementwise activation."""
  batch, width, depth, n_x = (256, 64, 8, 32) if quick else (4096, 1024, 8, 784)
  sizes = [n_x] + [width] * depth + [10]
  section = (
    f"Training step: value_and_grad and adam of an MLP, {depth} hidden layers of {width}, "
    f"batch {batch}, float32"
  )
  _rows(report, section, _plain_step(sizes, batch), VARIANTS, quick)
  for library, build in (("equinox.nn.MLP", _equinox_step), ("a flax.nnx.Sequential", _flax_step)):
    compiled = build(sizes, batch)
    if compiled is None:  # The library is not installed (the interop extra has both).
      continue
    section = f"Training step in {library}: {depth} hidden layers of {width}, batch {batch}"
    variants = {name: VARIANTS[name] for name in ("relu", "leaky_relu", "silu", "gelu", "tanh")}
    _rows(report, section, compiled, variants, quick)


def _rows(report: Report, section: str, compiled, variants: dict, quick: bool) -> None:
  """Memory, then time, of ``compiled(activation)``'s step with jacts' and jax.nn's variants."""
  steps = {}
  for name, functions in variants.items():
    steps[name] = [compiled(f) for f in functions]  # [(compiled, arguments)] for jacts, jax.nn
    _memory_rows(report, section, name, steps[name][0][0], steps[name][1][0])
  # Paired: each activation's two steps take turns. A full step takes about 3 s here, where the
  # products dominate: 3 rounds of one timed call keep this section near 25 minutes (2026-12-05).
  for name, ((ours, ours_args), (theirs, their_args)) in steps.items():
    runs = {"jacts": blocking(ours, *ours_args), "jax.nn": blocking(theirs, *their_args)}
    times = interleaved_medians(runs, rounds=1 if quick else 3, per_round=1)
    ours, theirs = times["jacts"], times["jax.nn"]
    report.add(section, f"{name}: step time, jacts", ours * 1e3, "ms")
    report.add(section, f"{name}: step time, jax.nn / jacts", theirs * 1e3, "ms", theirs / ours,
               ">= 0.95 (jacts within 5 %)", theirs / ours >= 0.95)  # fmt: skip
