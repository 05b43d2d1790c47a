"""Every rule's public function, found by name in the modules that define them, with its
signature checked against the rule's at import: the table stays the one source of what an
activation takes."""

import inspect
import types
from collections.abc import Callable, Mapping

from jacts._activations import _lecture, _normalizing, _piecewise, _smooth
from jacts._rules import RULES

_MODULES = (_lecture, _piecewise, _smooth, _normalizing)


def _public_function(name: str) -> Callable:
  (function,) = (getattr(m, name) for m in _MODULES if hasattr(m, name))
  declared = inspect.signature(function)
  plain = declared.replace(
    parameters=[p.replace(annotation=p.empty) for p in declared.parameters.values()],
    return_annotation=declared.empty,
  )
  if plain != RULES[name].signature:
    raise AssertionError(f"jacts.{name}{plain} differs from its rule's {RULES[name].signature}")
  return function


PUBLIC: Mapping[str, Callable] = types.MappingProxyType(
  {name: _public_function(name) for name in RULES}
)
"""Every activation's public function, by rule name."""
