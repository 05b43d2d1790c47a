"""Activations: each activation's forward + backward against jax.nn's and the naive formula's.

activations: the value and the VJP of every activation of the rule table on 2^24 float32
elements, jacts against jax.nn's namesake and naive autodiff of the formula.
hessian_vector_products: an HVP of the large network's cost, forward-over-reverse through
jacts.forward_mode against reverse-over-reverse through jacts' custom VJP.
"""

import jax
import jax.numpy as jnp
from harness import REFERENCES, Report, blocking, interleaved_medians, median_seconds

import jacts
import jacts.shallow as shallow
from jacts._rules import RULES


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
