"""What the tests run over, derived from the rule table: every activation beside its naive form
and its jax.nn namesake, and every floating dtype."""

import jax
import jax.numpy as jnp
import pytest

import jacts
from jacts._rules import RULES

# (jacts activation, the lecture's formula written naively), one per rule.
ACTIVATIONS = [
  pytest.param(getattr(jacts, name), rule.naive, id=name) for name, rule in RULES.items()
]

ACTIVATION_FUNCTIONS = [pytest.param(p.values[0], id=p.id) for p in ACTIVATIONS]

# (jacts activation, jax.nn's function of the same name), one per rule.
JAX_NN = [pytest.param(getattr(jacts, name), getattr(jax.nn, name), id=name) for name in RULES]

FLOAT_DTYPES = [
  pytest.param(jnp.float16, id="float16"),
  pytest.param(jnp.bfloat16, id="bfloat16"),
  pytest.param(jnp.float32, id="float32"),
  pytest.param(jnp.float64, id="float64"),
]


def gradient_tolerance(dtype) -> dict:
  """Tolerances for comparing two evaluations of a derivative that lies in [0, 1].

  Both the lecture's from-output forms and autodiff of the naive formulas carry an absolute
  rounding error of a few ulps of 1. Where g' itself is below that (a -> 1 makes 1 - a cancel),
  only the absolute error is meaningful, so the comparison is rtol OR atol, atol = 16 eps.
  """
  eps = float(jnp.finfo(dtype).eps)
  return {"rtol": 1e3 * eps, "atol": 16 * eps}
