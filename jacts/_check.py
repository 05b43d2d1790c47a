"""``jacts check``: every activation's custom VJP against naive autodiff and finite differences,
one row per rule of the table."""

import numpy as np

from jacts._activations import PUBLIC
from jacts._rules import RULES


def check() -> int:
  """Prints the table of `jacts check` (one row per rule); 0 if every row holds, else 1."""
  import jax

  jax.config.update("jax_enable_x64", True)
  import jax.numpy as jnp

  grid = np.linspace(-30.0, 30.0, 60_001)
  grid = jnp.asarray(grid[grid != 0])
  away_from_zero = jnp.asarray(np.r_[np.linspace(-8, -0.01, 400), np.linspace(0.01, 8, 400)])
  magnitudes = np.logspace(0, np.log10(3e38), 100_000)
  extremes = jnp.asarray(np.r_[-magnitudes[::-1], magnitudes], jnp.float32)
  eps = 1e-6

  columns = ("activation", "max|VJP-autodiff|", "max|VJP-FD|", "naive autodiff NaN/inf (float32)",
             "jacts finite", "g_prime(0)", "ok")  # fmt: skip
  header = _row(*columns)
  print("Each activation's custom VJP against autodiff of the naive formula (float64, z in")
  print("[-30, 30] without 0) and central finite differences (float64, step 1e-6):\n")
  print(header)
  print("-" * len(header))
  all_hold = True
  for name, rule in RULES.items():
    f, g = PUBLIC[name], rule.naive  # g: the literal formula, differentiated by autodiff.
    f_prime, g_prime = (jax.jit(jax.vmap(jax.grad(h))) for h in (f, g))
    autodiff_gap = float(jnp.max(jnp.abs(f_prime(grid) - g_prime(grid))))
    finite_differences = (f(away_from_zero + eps) - f(away_from_zero - eps)) / (2 * eps)
    fd_gap = float(jnp.max(jnp.abs(f_prime(away_from_zero) - finite_differences)))
    naive_extreme = np.asarray(g_prime(extremes))
    jacts_finite = bool(jnp.all(jnp.isfinite(f_prime(extremes))))
    broken = np.asarray(extremes)[~np.isfinite(naive_extreme)]
    at_zero = float(jax.grad(f)(0.0))
    holds = autodiff_gap <= 1e-12 and fd_gap <= 1e-6 and jacts_finite
    all_hold &= holds
    finite, ok = ("yes" if jacts_finite else "NO"), ("yes" if holds else "NO")
    gaps = f"{autodiff_gap:.2e}", f"{fd_gap:.2e}"
    print(_row(name, *gaps, _nan_range(broken), finite, f"{at_zero:g}", ok))
  print("\ng_prime(0): the lecture's convention (ReLU: 1; derivative_at_zero=0.0 gives 0);")
  print("autodiff of max(0, z) gives 0.5 there.")
  print("All rows hold." if all_hold else "Some rows do NOT hold.")
  return 0 if all_hold else 1


def _row(name, autodiff, fd, nan_range, finite, at_zero, ok) -> str:
  return f"{name:<11} {autodiff:>18} {fd:>12}  {nan_range:<36} {finite:>12} {at_zero:>10}  {ok}"


def _nan_range(broken: np.ndarray) -> str:
  if broken.size == 0:
    return "none"
  parts = []
  if (broken < 0).any():
    parts.append(f"z <= {broken[broken < 0].max():.4g}")
  if (broken > 0).any():
    parts.append(f"z >= {broken[broken > 0].min():.4g}")
  return " and ".join(parts)
