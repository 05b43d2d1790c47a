"""What the tests run over, derived from the rule table: every activation beside its naive form
and its jax.nn namesake, and every floating dtype."""

import math

import jax
import jax.numpy as jnp
import numpy as np
import pytest

import jacts
from jacts._activations import known_activation
from jacts._rules import RULES

# (jacts activation, its formula written naively), one per elementwise rule.
ACTIVATIONS = [
  pytest.param(getattr(jacts, name), rule.naive, id=name)
  for name, rule in RULES.items()
  if rule.elementwise
]

ACTIVATION_FUNCTIONS = [pytest.param(p.values[0], id=p.id) for p in ACTIVATIONS]


def uses_output_by_default(name: str) -> bool:
  """Whether ``name``'s backward pass keeps a = g(z) rather than z, with its default arguments."""
  rule = RULES[name]
  numbers = tuple(p.default for p in rule.parameters)
  return rule.uses_output(numbers, tuple(k.default for k in rule.kinks))


# (jacts activation, jax.nn's function of the same name), one per elementwise rule.
JAX_NN = [pytest.param(p.values[0], getattr(jax.nn, p.id), id=p.id) for p in ACTIVATIONS]

# The rules that are not elementwise (GLU, softmax, log-softmax), with their naive forms.
NOT_ELEMENTWISE = [
  pytest.param(getattr(jacts, name), rule.naive, id=name)
  for name, rule in RULES.items()
  if not rule.elementwise
]

FLOAT_DTYPES = [
  pytest.param(jnp.float16, id="float16"),
  pytest.param(jnp.bfloat16, id="bfloat16"),
  pytest.param(jnp.float32, id="float32"),
  pytest.param(jnp.float64, id="float64"),
]


def in_domain(activation, z):
  """``z`` moved where ``activation`` is real: |z| + 1/2 for log1mexp (defined for z > 0)."""
  lowest = known_activation(activation).rule.domain[0]
  return z if lowest == -math.inf else jnp.abs(z) + jnp.asarray(lowest + 0.5, jnp.asarray(z).dtype)


def off_kinks(activation, z: np.ndarray) -> np.ndarray:
  """The entries of ``z`` inside the domain and 1e-9 or more away from every kink (and 0)."""
  rule = known_activation(activation).rule
  kinks = [0.0, *(k.at for k in rule.kinks)]
  keep = np.all([np.abs(z - k) > 1e-9 for k in kinks], axis=0)
  return z[keep & (z > rule.domain[0]) & (z < rule.domain[1])]


def gradient_tolerance(dtype, activation=None) -> dict:
  """Tolerances for comparing two evaluations of a derivative of size about 1.

  Both the from-output forms and autodiff of the naive formulas carry an absolute rounding error
  of a few ulps of 1. Where g' itself is below that (a -> 1 makes 1 - a cancel), only the
  absolute error is meaningful, so the comparison is rtol OR atol, atol = 16 eps. Autodiff of
  the naive tanh-approximate GELU computes 1 - tanh(u)^2 to within eps of 1 and multiplies it
  by z c (1 + 3k z^2) / 2, up to 13 where 1 - tanh^2 does not round to 0: 16 times the atol.
  """
  eps = float(jnp.finfo(dtype).eps)
  scale = 16 if activation is jacts.gelu else 1
  return {"rtol": 1e3 * eps, "atol": 16 * eps * scale}


def identical(ours, theirs) -> np.ndarray:
  """Entrywise: the same bits, or both NaN (whatever their payloads)."""
  ours, theirs = np.asarray(ours), np.asarray(theirs)
  assert ours.dtype == theirs.dtype and ours.shape == theirs.shape
  both_nan = np.isnan(ours.astype(np.float64)) & np.isnan(theirs.astype(np.float64))
  unsigned = np.dtype(f"uint{8 * ours.dtype.itemsize}")
  return both_nan | (ours.view(unsigned) == theirs.view(unsigned))


def special_values(dtype) -> jax.Array:
  """Signed zeros, the infinities, NaN, the smallest and largest floats, each kink of jax.nn's
  activations and the floats next to it, and values from each side of every tail."""
  info = jnp.finfo(dtype)
  points = [0.0, np.inf, np.nan, float(info.tiny), float(info.smallest_subnormal), float(info.max)]
  points += [0.5, 1.0, 3.0, 6.0, 2.9999999999999996, 20.0, 88.0, 100.0, 1e4, 1e7, 1e30]
  points = [p for p in points if not abs(p) < np.inf or abs(p) <= float(info.max)]
  x = jnp.asarray(np.array(points + [-p for p in points]), dtype)
  up, down = jnp.asarray(np.inf, dtype), jnp.asarray(-np.inf, dtype)
  kinks = jnp.asarray([-3.0, -1.0, 0.0, 1.0, 3.0, 6.0], dtype)
  neighbours = [jnp.nextafter(kinks, up), jnp.nextafter(kinks, down)]
  spread = jnp.asarray(np.random.default_rng(0).standard_normal(64) * 8, dtype)
  return jnp.concatenate([x, kinks, *neighbours, spread])


def every_bit_pattern(dtype) -> np.ndarray:
  """Every value of a 16-bit float dtype, NaNs, infinities and both zeros included."""
  return np.arange(65536, dtype=np.uint16).view(jnp.dtype(dtype))
