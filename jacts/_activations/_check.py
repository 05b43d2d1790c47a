"""``jacts check``: every activation's custom VJP against naive autodiff and finite differences,
one row per rule of the table."""

import math
from collections.abc import Callable
from typing import TYPE_CHECKING

import numpy as np

from jacts._activations._public import PUBLIC
from jacts._rules import RULES, Rule

if TYPE_CHECKING:
  import jax

# A row's measurements: max gaps to autodiff and to finite differences, where naive autodiff
# breaks, whether jacts' derivative stays finite there, g' at the kinks.
_Row = tuple[float, float, str, bool, str]


def check() -> int:
  """Prints the table of `jacts check` (one row per rule); 0 if every row holds, else 1."""
  import jax

  jax.config.update("jax_enable_x64", True)

  columns = ("activation", "max|VJP-autodiff|", "max|VJP-FD|", "naive autodiff NaN/inf (float32)",
             "jacts finite", "g' at kinks", "ok")  # fmt: skip
  header = _row(*columns)
  print("Each activation's custom VJP against autodiff of the naive formula (float64, z in")
  print("[-30, 30] off the kinks) and central finite differences (float64, step 1e-6), relative")
  print("where |g'| > 1; GLU and the softmaxes on 2000 random rows of 8, through a random")
  print("cotangent:\n")
  print(header)
  print("-" * len(header))
  all_hold = True
  for name, rule in RULES.items():
    row = _elementwise_row(name, rule) if rule.elementwise else _vector_row(name, rule)
    autodiff_gap, fd_gap, broken, jacts_finite, kinks = row
    holds = autodiff_gap <= 1e-12 and fd_gap <= 1e-6 and jacts_finite
    all_hold &= holds
    finite, ok = ("yes" if jacts_finite else "NO"), ("yes" if holds else "NO")
    gaps = f"{autodiff_gap:.2e}", f"{fd_gap:.2e}"
    print(_row(name, *gaps, broken, finite, kinks, ok))
  print("\ng' at kinks: the convention at each kink (ReLU: the lecture's 1; derivative_at_zero=0.0")
  print("gives 0); autodiff of max(0, z) gives 0.5 there.")
  print("All rows hold." if all_hold else "Some rows do NOT hold.")
  return 0 if all_hold else 1


def _elementwise_row(name: str, rule: Rule) -> _Row:
  import jax
  import jax.numpy as jnp

  lowest, highest = max(rule.domain[0], -30.0), min(rule.domain[1], 30.0)
  candidates = np.linspace(lowest, highest, 60_001)
  kinks = [0.0, *(k.at for k in rule.kinks), *rule.domain]
  off_kinks = np.all([np.abs(candidates - k) > 1e-9 for k in kinks if math.isfinite(k)], axis=0)
  grid = jnp.asarray(candidates[off_kinks])
  away = np.r_[np.linspace(-8, 8, 1601)]
  away = away[np.all([np.abs(away - k) > 0.005 for k in kinks if math.isfinite(k)], axis=0)]
  away = jnp.asarray(away[(away > rule.domain[0]) & (away < rule.domain[1])])
  magnitudes = np.logspace(0, np.log10(3e38), 100_000)
  extremes = np.r_[-magnitudes[::-1], magnitudes]
  extremes = extremes[(extremes > rule.domain[0]) & (extremes < rule.domain[1])]
  extremes = jnp.asarray(extremes, jnp.float32)
  eps = 1e-6

  f, g = PUBLIC[name], rule.naive  # g: the literal formula, differentiated by autodiff.
  f_prime, g_prime = (jax.jit(jax.vmap(jax.grad(h))) for h in (f, g))
  autodiff_gap = _relative_gap(f_prime(grid), g_prime(grid))
  finite_differences = (f(away + eps) - f(away - eps)) / (2 * eps)
  fd_gap = _relative_gap(f_prime(away), finite_differences)
  naive_extreme = np.asarray(g_prime(extremes))
  jacts_finite = bool(jnp.all(jnp.isfinite(f_prime(extremes))))
  broken = np.asarray(extremes)[~np.isfinite(naive_extreme)]
  at_kinks = ", ".join(f"{k.at:g}: {float(jax.grad(f)(k.at)):.4g}" for k in rule.kinks)
  return autodiff_gap, fd_gap, _nan_range(broken), jacts_finite, at_kinks or "-"


def _vector_row(name: str, rule: Rule) -> _Row:
  import jax
  import jax.numpy as jnp

  z = jax.random.normal(jax.random.key(0), (2000, 8), jnp.float64)
  cotangent = jax.random.normal(jax.random.key(1), z.shape, jnp.float64)
  direction = jax.random.normal(jax.random.key(2), z.shape, jnp.float64)
  f, g = PUBLIC[name], rule.naive

  def pulled_back(h: Callable) -> jax.Array:
    a, vjp = jax.vjp(h, z)
    return vjp(cotangent[..., : a.shape[-1]])[0]

  custom = pulled_back(f)
  autodiff_gap = float(jnp.max(jnp.abs(custom - pulled_back(g))))
  eps = 1e-6
  weights = cotangent[..., : f(z).shape[-1]]
  difference = jnp.sum(weights * (f(z + eps * direction) - f(z - eps * direction)), axis=-1)
  fd_gap = float(jnp.max(jnp.abs(jnp.sum(custom * direction, axis=-1) - difference / (2 * eps))))
  large = 1e38 * jnp.sign(z).astype(jnp.float32)
  finite = bool(jnp.all(jnp.isfinite(jax.grad(lambda x: jnp.sum(f(x)[..., 0]))(large))))
  naive = jax.grad(lambda x: jnp.sum(g(x)[..., 0]))(large)
  broken = "|z| = 1e38" if not bool(jnp.all(jnp.isfinite(naive))) else "none"
  return autodiff_gap, fd_gap, broken, finite, "-"


def _relative_gap(custom: "jax.Array", reference: "jax.Array") -> float:
  """max |custom - reference| / max(1, |reference|): absolute where |g'| <= 1, else relative."""
  import jax.numpy as jnp

  return float(jnp.max(jnp.abs(custom - reference) / jnp.maximum(1, jnp.abs(reference))))


def _row(
  name: str, autodiff: str, fd: str, nan_range: str, finite: str, at_kinks: str, ok: str
) -> str:
  return f"{name:<14} {autodiff:>18} {fd:>12}  {nan_range:<36} {finite:>12} {at_kinks:>18}  {ok}"


def _nan_range(broken: np.ndarray) -> str:
  if broken.size == 0:
    return "none"
  parts = []
  if (broken < 0).any():
    parts.append(f"z <= {broken[broken < 0].max():.4g}")
  if (broken > 0).any():
    parts.append(f"z >= {broken[broken > 0].min():.4g}")
  return " and ".join(parts)
