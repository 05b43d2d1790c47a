"""Every activation function jacts knows, derived once from the rule table.

Two functions per rule: the public one (a custom VJP) and its forward-mode version (a custom
JVP). Everything that accepts "a jacts activation" (``jacts.derivative``, ``jacts.forward_mode``,
``jacts.shallow``, model files) looks it up here.
"""

import functools
import types
from collections.abc import Callable, Mapping
from typing import NamedTuple

from jacts._differentiable import unknown_activation
from jacts._forward_mode import FORWARD
from jacts._public import PUBLIC
from jacts._rules import RULES, Rule


class Known(NamedTuple):
  """What jacts knows of one activation function."""

  rule: Rule
  public: Callable  # The custom-VJP version: jacts.<name>.
  forward: Callable  # The custom-JVP version: jacts.forward_mode(jacts.<name>).
  is_forward_mode: bool  # Whether the function looked up is the forward version.


KNOWN: Mapping[Callable, Known] = types.MappingProxyType(
  {
    function: Known(rule, PUBLIC[name], FORWARD[name], is_forward)
    for name, rule in RULES.items()
    for function, is_forward in ((PUBLIC[name], False), (FORWARD[name], True))
  }
)


def known_activation(activation: Callable, argument: str = "activation") -> Known:
  """Returns what jacts knows of ``activation`` (or of the function a ``functools.partial``
  wraps), or raises a ValueError naming ``argument`` and listing what jacts knows."""
  while isinstance(activation, functools.partial):
    activation = activation.func
  try:
    return KNOWN[activation]
  except (KeyError, TypeError):  # TypeError: an unhashable argument.
    raise unknown_activation(activation, argument) from None
