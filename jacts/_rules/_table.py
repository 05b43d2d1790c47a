"""The table assembled from the formula families, and the names of its elementwise rules."""

import types
from collections.abc import Mapping

from jacts._rules._lecture import LECTURE, LECTURE_DERIVATIVE_AT_ZERO, LECTURE_SLOPE
from jacts._rules._piecewise import PIECEWISE
from jacts._rules._rule import Kink, Option, Parameter, Rule
from jacts._rules._smooth import SMOOTH
from jacts._rules._vector import VECTOR

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
