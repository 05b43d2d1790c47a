"""The activation arguments of a saved model (:mod:`jacts.models`): the version-1 fields
``negative_slope`` and ``derivative_at_zero``, and the ``arguments`` field, checked as the
activation checks them and encoded as JSON."""

import json
import math
from collections.abc import Callable, Mapping
from numbers import Real
from typing import Any, Protocol

import numpy as np

from jacts._activations import prepare
from jacts._rules import LECTURE, LECTURE_DERIVATIVE_AT_ZERO, LECTURE_SLOPE, RULES

# The activation arguments format version 1 stores, each a field of the file and of Model, with
# Model's defaults. They are arguments of the lecture's activations only (relu, leaky_relu);
# sigmoid and tanh store them unused, as version 1 does; every other activation takes its
# arguments from `arguments` and refuses these changed from their defaults.
_STORED_ARGUMENTS = {
  "negative_slope": LECTURE_SLOPE,
  "derivative_at_zero": LECTURE_DERIVATIVE_AT_ZERO,
}
_LECTURE = tuple(rule.name for rule in LECTURE)
# A stored argument's value: a number for a parameter or a convention, a bool for an option such
# as GELU's approximate, None for a convention whose default is None (ELU's derivative_at_zero).
Argument = float | bool | None


class VersionOneFields(Protocol):
  """What the version-1 fields are read from: a :class:`jacts.models.Model` (named by its
  fields, so that this module need not import the one that imports it)."""

  @property
  def activation(self) -> str: ...
  @property
  def negative_slope(self) -> float: ...
  @property
  def derivative_at_zero(self) -> float: ...


def stored_arguments(activation: str, model: VersionOneFields) -> dict[str, float]:
  """The version-1 fields that ``activation`` takes as arguments, by name: relu's and
  leaky_relu's (the other activations' come from ``arguments``)."""
  if activation not in _LECTURE:
    return {}
  takes = RULES[activation].signature.parameters
  return {name: getattr(model, name) for name in _STORED_ARGUMENTS if name in takes}


def check_legacy_fields(model: VersionOneFields, name: Callable[[str], str]) -> None:
  """Refuses a version-1 field changed from its default for an activation outside the
  lecture's four: it would be ignored, or taken for an argument of another meaning (selu's g'(0)
  is not ReLU's)."""
  if model.activation in _LECTURE:
    return
  for field, default in _STORED_ARGUMENTS.items():
    value = getattr(model, field)
    if value == default:
      continue
    users = " and ".join(n for n in _LECTURE if field in RULES[n].signature.parameters)
    if field in RULES[model.activation].signature.parameters:
      instead = f"give {model.activation}'s `{field}` in {name('arguments')}"
    else:
      instead = f"{model.activation} takes no `{field}`"
    raise ValueError(
      f"{name(field)} applies to {users} only (leave it at {default}); {instead}; got {value}."
    )


def check_given_arguments(
  activation: str, arguments: tuple[tuple[str, Argument], ...], name: Callable[[str], str]
) -> None:
  """Refuses ``arguments`` the activation does not take, or refuses as it would refuse them: the
  activation's own checks run on a dummy z (``jacts._activations.prepare``)."""
  if not arguments:
    return
  rule = RULES[activation]
  takes = list(rule.signature.parameters)[1:]  # Every argument but the input itself.
  if activation in _LECTURE:  # Their arguments are the version-1 fields.
    takes = [n for n in takes if n not in _STORED_ARGUMENTS]
  for argument, _ in arguments:
    if argument not in takes:
      if argument in _STORED_ARGUMENTS and activation in _LECTURE:
        where = f"{activation}'s `{argument}` is the field {name(argument)}"
      else:
        where = f"{activation} takes {', '.join(f'`{n}`' for n in takes) or 'none'}"
      raise ValueError(f"{name('arguments')}: `{argument}` is not an argument to store; {where}.")
  given: dict[str, Any] = dict(arguments)  # Names checked above: none is prepare's own.
  try:
    prepare(rule, f"jacts.{activation}", _DUMMY_Z, **given)
  except (TypeError, ValueError) as error:
    raise type(error)(f"{name('arguments')}: {error}") from None


# The z the activation's checks run on: the stored arguments are Python numbers, whose checks do
# not depend on z's dtype.
_DUMMY_Z = np.zeros((), np.float32)


def checked_pairs(arguments: Any, name: str) -> tuple[tuple[str, Argument], ...]:
  """``arguments`` (pairs, or a mapping) as sorted (name, float, bool or None) pairs."""
  if isinstance(arguments, Mapping):
    arguments = tuple(arguments.items())
  example = '(("alpha", 0.5),)'
  if not isinstance(arguments, (tuple, list)):
    raise TypeError(f"{name} must be (name, value) pairs, e.g. {example}; got {arguments!r}.")
  pairs = {}
  for pair in arguments:
    if not (isinstance(pair, (tuple, list)) and len(pair) == 2 and isinstance(pair[0], str)):
      raise TypeError(f"{name} must be (name, value) pairs, e.g. {example}; got {pair!r}.")
    argument, value = pair
    if argument in pairs:
      raise ValueError(f"{name} gives `{argument}` twice.")
    pairs[argument] = _argument_value(value, f"{name}: `{argument}`")
  return tuple(sorted(pairs.items()))


def _argument_value(value: Any, name: str) -> Argument:
  """``value`` as a Python float, bool or None, refusing NaN, infinities and anything else."""
  if np.ndim(value) == 0 and hasattr(value, "dtype") and np.dtype(value.dtype).kind in "biuf":
    value = value.item()  # A 0-d NumPy or JAX array, e.g. an alpha that was trained.
  if value is None or isinstance(value, bool):
    return value
  if not isinstance(value, Real):
    given = f"an array of shape {np.shape(value)}" if hasattr(value, "shape") else repr(value)
    raise TypeError(f"{name} must be a finite number, a bool or None; got {given}.")
  try:
    number = float(value)
  except OverflowError:  # An int beyond float's range.
    number = math.inf
  if not math.isfinite(number):
    raise ValueError(f"{name} must be a finite number, a bool or None; got {value}.")
  return number


def encode_arguments(arguments: tuple[tuple[str, Argument], ...]) -> str:
  """The ``arguments`` field: a JSON object, its names sorted; floats written to round-trip."""
  return json.dumps(dict(arguments), sort_keys=True, allow_nan=False)


def decode_arguments(text: str) -> tuple[tuple[str, Argument], ...]:
  """The pairs of an ``arguments`` field, refusing what :func:`encode_arguments` cannot write:
  malformed JSON, another JSON value than an object, a name given twice, NaN or infinities."""
  shown = text if len(text) <= 60 else text[:57] + "..."

  def unique(pairs: list) -> dict:
    names = [n for n, _ in pairs]
    twice = sorted({n for n in names if names.count(n) > 1})
    if twice:
      raise ValueError(f"`arguments` gives `{twice[0]}` twice; got {shown!r}.")
    return dict(pairs)

  try:
    # NaN and Infinity parse as floats, refused below in save's words.
    arguments = json.loads(text, object_pairs_hook=unique)
  except json.JSONDecodeError as error:
    reason = f"{error.msg} at character {error.pos}"
    raise ValueError(f"`arguments` is not valid JSON ({reason}); got {shown!r}.") from None
  except RecursionError:
    raise ValueError(f"`arguments` is nested too deep; got {shown!r}.") from None
  if not isinstance(arguments, dict):
    raise ValueError(
      f'`arguments` must be a JSON object of name: value, e.g. {{"alpha": 0.5}}; got {shown!r}.'
    )
  return checked_pairs(arguments, "`arguments`")


def check_arguments(activation: str, given: dict[str, float], name: Callable[[str], str]) -> None:
  """Refuses stored arguments the activation's rule refuses: a parameter out of its range, a
  convention outside the sub-differential at its kink."""
  rule = RULES[activation]
  numbers = [given.get(p.name, p.default) for p in rule.parameters]
  for parameter, value in zip(rule.parameters, numbers, strict=True):
    if not parameter.lowest <= value <= parameter.highest:
      bounds = f"[{parameter.lowest}, {parameter.highest}]"
      raise ValueError(f"{name(parameter.name)} must lie in {bounds}; got {value}.")
  for kink in rule.kinks:
    if kink.argument in given:
      lowest, highest = kink.subdifferential(*numbers)
      if not lowest <= given[kink.argument] <= highest:
        raise ValueError(
          f"{name(kink.argument)} must lie in the sub-differential of {activation} at "
          f"{kink.at:g}, [{lowest}, {highest}]; got {given[kink.argument]}."
        )
