"""What test_exhaustive.py checks, and within what: each variant (an elementwise activation with
fixed arguments, beside its float64 reference) and the bounds measured for its value, g' and g''.
docs/conventions.md shows them as :func:`bounds_table` writes them."""

import functools
import math
from typing import NamedTuple

import reference
from reference import REFERENCES, Reference

import jacts
from jacts._rules import ELEMENTWISE, LECTURE_SLOPE


class Variant(NamedTuple):
  """A jacts activation with fixed arguments, and its reference with the same conventions."""

  name: str  # Its key in BOUNDS.
  activation: object
  reference: Reference


def _with_conventions(name, activation, reference_name, derivative):
  return Variant(name, activation, REFERENCES[reference_name]._replace(derivative=derivative))


# Every elementwise rule with its default arguments, the exact GELU, the conventions 0 at the
# kinks where jacts' default is not 0, and for ReLU and leaky ReLU each form of what their
# backward pass keeps: a alone (relu_0, leaky_relu_slope), z's place against 0 (the defaults,
# and 1/2 at 0, which neither side of the kink takes). Negative and tiny slopes are checked
# against g' from z at every 16-bit input in test_from_output.py.
VARIANTS = [Variant(name, getattr(jacts, name), REFERENCES[name]) for name in ELEMENTWISE] + [
  Variant("gelu_exact", functools.partial(jacts.gelu, approximate=False), REFERENCES["gelu_exact"]),
  _with_conventions(
    "relu_0",
    functools.partial(jacts.relu, derivative_at_zero=0.0),
    "relu",
    functools.partial(reference.relu_derivative, at_zero=0.0),
  ),
  _with_conventions(
    "relu_half",
    functools.partial(jacts.relu, derivative_at_zero=0.5),
    "relu",
    functools.partial(reference.relu_derivative, at_zero=0.5),
  ),
  _with_conventions(
    "leaky_relu_slope",
    functools.partial(jacts.leaky_relu, derivative_at_zero=LECTURE_SLOPE),
    "leaky_relu",
    functools.partial(reference.leaky_relu_derivative, at_zero=LECTURE_SLOPE),
  ),
  _with_conventions(
    "leaky_relu_half",
    functools.partial(jacts.leaky_relu, derivative_at_zero=0.5),
    "leaky_relu",
    functools.partial(reference.leaky_relu_derivative, at_zero=0.5),
  ),
  _with_conventions(
    "hard_tanh_0",
    functools.partial(jacts.hard_tanh, derivative_at_minus_one=0.0, derivative_at_one=0.0),
    "hard_tanh",
    functools.partial(reference.hard_tanh_derivative, at_minus_one=0.0, at_one=0.0),
  ),
  _with_conventions(
    "sparse_sigmoid_0",
    functools.partial(jacts.sparse_sigmoid, derivative_at_minus_one=0.0, derivative_at_one=0.0),
    "sparse_sigmoid",
    functools.partial(reference.sparse_sigmoid_derivative, at_minus_one=0.0, at_one=0.0),
  ),
]
VARIANT = {v.name: v for v in VARIANTS}
SMOOTH = [v.name for v in VARIANTS if v.reference.second is not None]  # identity too: g'' = 0.
HALF = ("float16", "bfloat16")
FULL = ("float32", "float64")


def _by_dtype(float16, bfloat16, float32, float64):
  return {"float16": float16, "bfloat16": bfloat16, "float32": float32, "float64": float64}


# Measured: the smallest round (r, t) that holds with a little margin on the inputs below (jacts
# and jax 0.10.2, XLA on the CPU), per activation and quantity, or per dtype where they differ
# by a factor 4 or more. "derivative" bounds the VJP and the forward-mode JVP alike; "second"
# grad of grad, the Hessian and the forward-mode JVP of JVP.
BOUNDS = {
  # float16 and bfloat16 sigmoid and tanh are evaluated in float32 and rounded: correctly rounded
  # but for ties. XLA's float32 and float64 tanh are up to 4 and 6 ulp off near |a| = 1, and
  # 1 - a^2 doubles that absolute error.
  ("sigmoid", "value"): _by_dtype((1, 0), (1, 0), (4, 0), (4, 0)),
  ("sigmoid", "derivative"): (1, 1),
  ("sigmoid", "second"): (1, 1),
  ("tanh", "value"): _by_dtype((1, 0), (1, 0), (8, 0), (8, 0)),
  ("tanh", "derivative"): _by_dtype((1, 1), (1, 1), (1, 8), (1, 8)),
  ("tanh", "second"): (1, 16),
  ("relu", "value"): (1, 0),
  ("relu", "derivative"): (1, 0),
  ("relu_0", "value"): (1, 0),
  ("relu_0", "derivative"): (1, 0),
  ("leaky_relu", "value"): (2, 0),  # 0.01 rounded to the dtype, times z.
  ("leaky_relu", "derivative"): (1, 0),
  ("relu_half", "value"): (1, 0),
  ("relu_half", "derivative"): (1, 0),
  ("leaky_relu_slope", "value"): (2, 0),
  ("leaky_relu_slope", "derivative"): (1, 0),
  ("leaky_relu_half", "value"): (2, 0),
  ("leaky_relu_half", "derivative"): (1, 0),
  ("relu6", "value"): (1, 0),
  ("relu6", "derivative"): (1, 0),
  ("hard_sigmoid", "value"): (2, 0),
  ("hard_sigmoid", "derivative"): (1, 0),
  ("hard_silu", "value"): (4, 0),
  ("hard_silu", "derivative"): (2, 0),
  ("hard_tanh", "value"): (1, 0),
  ("hard_tanh", "derivative"): (1, 0),
  ("hard_tanh_0", "value"): (1, 0),
  ("hard_tanh_0", "derivative"): (1, 0),
  ("sparse_sigmoid", "value"): (1, 0),
  ("sparse_sigmoid", "derivative"): (1, 0),
  ("sparse_sigmoid_0", "value"): (1, 0),
  ("sparse_sigmoid_0", "derivative"): (1, 0),
  ("softplus", "value"): (4, 0),
  ("softplus", "derivative"): (8, 0),
  ("softplus", "second"): (2, 0.5),
  ("log_sigmoid", "value"): (4, 0),
  ("log_sigmoid", "derivative"): (8, 0),
  ("log_sigmoid", "second"): (2, 0.5),
  # jax.nn's half-precision silu and mish lose e^z below z = -8 or so (silu(-11.09) is -0 in
  # float16, not -1.7e-4): a fraction of eps, absolute.
  ("silu", "value"): (8, 0.25),
  ("silu", "derivative"): (4, 0.5),
  ("silu", "second"): (4, 1),
  ("mish", "value"): (8, 0.25),
  ("mish", "derivative"): (4, 1),
  ("mish", "second"): (4, 4),  # Autodiff of g''s ratios, with one exponential: 1 eps before.
  # jax.nn's z (1 + tanh(u)) / 2 cancels for z < 0, where XLA's tanh is a few ulp off -1.
  ("gelu", "value"): _by_dtype((2, 0.5), (1, 0.5), (1, 8), (1, 16)),
  ("gelu", "derivative"): (4, 1),
  ("gelu", "second"): (4, 1),
  # jax.nn's z (1 + erf(z / sqrt 2)) / 2 cancels for z < 0 too, less.
  ("gelu_exact", "value"): _by_dtype((1, 0.25), (1, 0.25), (1, 1), (1, 2)),
  ("gelu_exact", "derivative"): (1, 1),
  ("gelu_exact", "second"): (1, 1),
  ("soft_sign", "value"): (2, 0),
  ("soft_sign", "derivative"): (8, 0),
  ("soft_sign", "second"): (8, 0),
  ("squareplus", "value"): (4, 0),
  ("squareplus", "derivative"): (8, 0),
  ("squareplus", "second"): (16, 0),
  ("sparse_plus", "value"): (4, 0),
  ("sparse_plus", "derivative"): (1, 0),
  ("sparse_plus", "second"): (2, 0),
  ("elu", "value"): (8, 0),
  ("elu", "derivative"): (2, 0.5),
  ("elu", "second"): (2, 0.5),
  ("celu", "value"): (8, 0),
  ("celu", "derivative"): (2, 0.5),
  ("celu", "second"): (2, 0.5),
  # The VJP adds scale alpha, each rounded to the dtype as in a, to a: 0 at -inf, as the limit.
  ("selu", "value"): (8, 0),
  ("selu", "derivative"): (1, 2),
  ("selu", "second"): (1, 2),
  # jax.nn's value: XLA's float16 expm1 is 33 % off at tiny z (expm1(-1.8e-7) = -2.4e-7), and
  # its float64 log1p up to 128 ulp off near -0.414 (github.com/jax-ml/jax/issues/39707).
  ("log1mexp", "value"): _by_dtype((64, 0), (2, 0), (8, 0), (256, 0)),
  ("log1mexp", "derivative"): (4, 0),
  ("log1mexp", "second"): (8, 0),
  ("identity", "value"): (1, 0),
  ("identity", "derivative"): (1, 0),
  ("identity", "second"): (1, 0),
}

# Where jax.nn's value is NaN though the textbook's limit is not (-inf * 0 in z sigmoid(z), z
# relu6(z + 3) / 6, z Phi(z); inf / inf in z / (1 + |z|)), jacts' is NaN too, as jax.nn's: the
# inputs, and g' there. g' is NaN with the value but for hard-SiLU and soft-sign, whose g' reads
# neither the product nor the quotient and keeps the limit 0. Elsewhere g' is NaN exactly where
# the reference's is: at NaN (but identity's, 1 everywhere as jax.nn's) and log1mexp's z < 0.
JAX_NN_NAN = {
  "silu": ((-math.inf,), math.nan),
  "mish": ((-math.inf,), math.nan),
  "gelu": ((-math.inf,), math.nan),
  "gelu_exact": ((-math.inf,), math.nan),
  "hard_silu": ((-math.inf,), 0.0),
  "soft_sign": ((-math.inf, math.inf), 0.0),
}


def bound(name: str, quantity: str, dtype: str) -> tuple[float, float]:
  entry = BOUNDS[name, quantity]
  return entry[dtype] if isinstance(entry, dict) else entry


def _bound_text(entry) -> str:
  if entry is None:
    return "-"
  if isinstance(entry, dict):
    if len(set(entry.values())) > 1:
      return ", ".join(f"{dtype}: {_bound_text(e)}" for dtype, e in entry.items())
    entry = next(iter(entry.values()))
  r, t = entry
  return f"{r:g} ulp" if t == 0 else f"{r:g} ulp + {t:g} eps"


def bounds_table() -> str:
  """BOUNDS as the Markdown table docs/conventions.md shows."""
  rows = ["| activation | value | g' (VJP, JVP) | g'' |", "|---|---|---|---|"]
  for name in (v.name for v in VARIANTS):
    cells = [_bound_text(BOUNDS.get((name, q))) for q in ("value", "derivative", "second")]
    rows.append(f"| `{name}` | " + " | ".join(cells) + " |")
  return "\n".join(rows)
