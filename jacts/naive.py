"""The lecture's formulas written literally, differentiated by plain autodiff.

These are the references jacts' custom VJPs are tested and benchmarked against, and a way for
users to see what the custom rules fix: autodiff of these forms overflows to NaN where the
activations themselves are perfectly finite (sigmoid for z < -88, tanh for |z| > 44 in float32).
Autodiff of ``jnp.maximum`` splits ties, so ``jax.grad`` of the naive ReLU at 0 is 0.5: neither
convention of the lecture. Each is the ``naive`` entry of its activation's rule.

Example:
  >>> import jax, jacts.naive
  >>> print(jax.grad(jacts.naive.sigmoid)(-100.0))
  nan
  >>> print(jax.grad(jacts.naive.relu)(0.0))
  0.5
"""

from typing import TYPE_CHECKING

from jacts._rules import RULES

# The names below are made at run time from the table; type checkers read them here (one per
# rule: keep it in step with RULES).
if TYPE_CHECKING:
  from jacts import (
    _formulas_exponential,
    _formulas_lecture,
    _formulas_piecewise,
    _formulas_smooth,
    _formulas_vector,
  )

  sigmoid = _formulas_lecture._naive_sigmoid
  tanh = _formulas_lecture._naive_tanh
  relu = _formulas_lecture._naive_relu
  leaky_relu = _formulas_lecture._naive_leaky_relu
  relu6 = _formulas_piecewise._naive_relu6
  hard_sigmoid = _formulas_piecewise._naive_hard_sigmoid
  hard_silu = _formulas_piecewise._naive_hard_silu
  hard_tanh = _formulas_piecewise._naive_hard_tanh
  sparse_sigmoid = _formulas_piecewise._naive_sparse_sigmoid
  softplus = _formulas_smooth._naive_softplus
  log_sigmoid = _formulas_smooth._naive_log_sigmoid
  silu = _formulas_smooth._naive_silu
  mish = _formulas_smooth._naive_mish
  gelu = _formulas_smooth._naive_gelu
  soft_sign = _formulas_smooth._naive_soft_sign
  squareplus = _formulas_smooth._naive_squareplus
  sparse_plus = _formulas_smooth._naive_sparse_plus
  elu = _formulas_exponential._naive_elu
  celu = _formulas_exponential._naive_celu
  selu = _formulas_exponential._naive_selu
  log1mexp = _formulas_smooth._naive_log1mexp
  identity = _formulas_smooth._naive_identity
  glu = _formulas_vector._naive_glu
  softmax = _formulas_vector._naive_softmax
  log_softmax = _formulas_vector._naive_log_softmax

# One name per rule, derived from the table: jacts.naive.tanh is RULES["tanh"].naive.
for _name, _rule in RULES.items():
  _rule.naive.__name__ = _rule.naive.__qualname__ = _name
  _rule.naive.__module__ = __name__
  globals()[_name] = _rule.naive
del _name, _rule
__all__ = tuple(RULES)
