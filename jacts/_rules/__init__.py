"""The rule table: the one place that knows each activation.

A :class:`~jacts._rules.Rule` holds every fact about one activation: its name, g, g' (and g'
written in the output a = g(z) where a determines it), its differentiable parameters with their
defaults and valid ranges, its options, its kinks with the convention at each, and its literal
naive formula. Everything else in jacts is derived from :data:`RULES` once, at import, without
mutating it: the public functions' registry and their custom VJPs, the forward-mode versions,
:func:`jacts.derivative`, the shallow network's backprop, the names a model file may hold, the
command line's choices, ``jacts check`` and ``jacts plot``, the tests' parametrization and the
benchmarks' lists.

The core that every other layer of jacts may read. Its private modules: ``_rule.py`` (what a
rule holds, and the helpers its formulas are written with), the formula families
``_lecture.py``, ``_piecewise.py``, ``_smooth.py``, ``_exponential.py`` and ``_vector.py``, and
``_table.py``, which assembles them.
"""

from jacts._rules._lecture import LECTURE, LECTURE_DERIVATIVE_AT_ZERO, LECTURE_SLOPE
from jacts._rules._rule import Kept, Place, Rule, linear_pieces, place
from jacts._rules._table import ELEMENTWISE, RULES

__all__ = (
  "ELEMENTWISE",
  "LECTURE",
  "LECTURE_DERIVATIVE_AT_ZERO",
  "LECTURE_SLOPE",
  "RULES",
  "Kept",
  "Place",
  "Rule",
  "linear_pieces",
  "place",
)
