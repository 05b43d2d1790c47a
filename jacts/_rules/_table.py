"""The table assembled from the formula families, and the names of its elementwise rules."""

import types
from collections.abc import Mapping

from jacts import _catalogue
from jacts._rules._lecture import LECTURE
from jacts._rules._piecewise import PIECEWISE
from jacts._rules._rule import Rule
from jacts._rules._smooth import SMOOTH
from jacts._rules._vector import VECTOR

RULES: Mapping[str, Rule] = types.MappingProxyType(
  {rule.name: rule for rule in (*LECTURE, *PIECEWISE, *SMOOTH, *VECTOR)}
)
"""Every activation, by name: the lecture's four first, then jax.nn's others."""

ELEMENTWISE: tuple[str, ...] = tuple(name for name, rule in RULES.items() if rule.elementwise)
"""The activations that apply to each entry alone: those a hidden layer may use."""

# `import jacts` and the command line read the names from the catalogue, without JAX.
if (tuple(RULES), ELEMENTWISE) != (_catalogue.RULE_NAMES, _catalogue.ELEMENTWISE):
  raise AssertionError(
    f"jacts/_catalogue.py lists {_catalogue.RULE_NAMES} (elementwise {_catalogue.ELEMENTWISE}); "
    f"the table holds {tuple(RULES)} (elementwise {ELEMENTWISE})"
  )
