"""Every activation function jacts knows, derived once from the rule table.

Two functions per rule: the public one (a custom VJP) and its forward-mode version (a custom
JVP). Everything that accepts "a jacts activation" (``jacts.derivative``, ``jacts.forward_mode``,
``jacts.shallow``, model files) looks it up here; what takes a hidden layer's activation
(``jacts.shallow``, ``jacts.multilayer``, ``jacts.parallel``) checks it with
:func:`hidden_activation`.
"""

import functools
import types
from collections.abc import Callable, Mapping
from typing import NamedTuple

from jacts._activations._differentiable import unknown_activation
from jacts._activations._forward_mode import FORWARD
from jacts._activations._public import PUBLIC
from jacts._rules import ELEMENTWISE, RULES, Rule


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


def hidden_activation(function: str, activation: Callable, argument: str = "activation") -> Known:
  """Returns what jacts knows of ``activation`` if a hidden layer may apply it: an elementwise
  jacts activation, its forward-mode version, or a ``functools.partial`` of either.

  Anything else raises one ValueError naming ``function`` and ``argument``: a function jacts does
  not know, and softmax, log_softmax and glu, whose outputs each depend on other entries along
  their ``axis`` (a hidden layer applies g to each unit of each example alone).
  """
  try:
    known = known_activation(activation, argument)
  except ValueError:
    raise ValueError(_not_hidden(function, argument, f"{activation!r:.100}")) from None
  if not known.rule.elementwise:
    given = _described(activation, known)
    reason = (
      f"{given}, which is not elementwise: each of its outputs depends on other entries along "
      f"its `axis`, so it would mix the hidden units (or the examples) instead of applying g to "
      f"each one"
    )
    raise ValueError(_not_hidden(function, argument, reason))
  return known


def _not_hidden(function: str, argument: str, given: str) -> str:
  allowed = ", ".join(f"jacts.{name}" for name in ELEMENTWISE)
  return (
    f"`{function}`: `{argument}` must be an elementwise jacts activation ({allowed}), its "
    f"jacts.forward_mode version, or a functools.partial of one; got {given}."
  )


def _described(activation: Callable, known: Known) -> str:
  """``activation`` in the user's words: jacts.softmax, jacts.forward_mode(jacts.softmax), or a
  functools.partial of one."""
  name = f"jacts.{known.rule.name}"
  if known.is_forward_mode:
    name = f"jacts.forward_mode({name})"
  return f"a functools.partial of {name}" if isinstance(activation, functools.partial) else name
