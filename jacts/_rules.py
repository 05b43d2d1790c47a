"""The rule table: the one place that knows each activation.

A :class:`~jacts._rule.Rule` holds every fact about one activation: its name, g, g' (and g'
written in the output a = g(z) where a determines it), its differentiable parameters with their
defaults and valid ranges, its options, its kinks with the convention at each, and its literal
naive formula. Everything else in jacts is derived from :data:`RULES` once, at import, without
mutating it: the public functions' registry and their custom VJPs, the forward-mode versions,
:func:`jacts.derivative`, the shallow network's backprop, the names a model file may hold, the
command line's choices, ``jacts check`` and ``jacts plot``, the tests' parametrization and the
benchmarks' lists.
"""

import types
from collections.abc import Mapping

from jacts._formulas_lecture import LECTURE, LECTURE_DERIVATIVE_AT_ZERO, LECTURE_SLOPE
from jacts._formulas_piecewise import PIECEWISE
from jacts._formulas_smooth import SMOOTH
from jacts._formulas_vector import VECTOR
from jacts._rule import Kink, Option, Parameter, Rule

__all__ = (
  "LECTURE_DERIVATIVE_AT_ZERO",
  "LECTURE_SLOPE",
  "RULES",
  "Kink",
  "Option",
  "Parameter",
  "Rule",
)

RULES: Mapping[str, Rule] = types.MappingProxyType(
  {rule.name: rule for rule in (*LECTURE, *PIECEWISE, *SMOOTH, *VECTOR)}
)
"""Every activation, by name: the lecture's four first, then jax.nn's others."""

ELEMENTWISE: tuple[str, ...] = tuple(name for name, rule in RULES.items() if rule.elementwise)
"""The activations that apply to each entry alone: those a hidden layer may use."""
