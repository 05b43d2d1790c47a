"""What a rule of the table is made of: :class:`Rule`, its :class:`Parameter`, :class:`Kink` and
:class:`Option` entries. The table itself is :data:`jacts._rules.RULES`.

Every function of a rule takes its arguments already validated (``jacts._activations.prepare``),
keeps the dtype of ``z`` and takes them in one order: ``value(z, *params, *options)``,
``derivative(z, *params, *options, *conventions)`` and
``derivative_from_output(a, *params, *options, *conventions)``; the parameters arrive as arrays
in z's dtype, the options and the conventions as they were given (checked).
"""

import enum
import functools
import inspect
import math
from collections.abc import Callable
from numbers import Real
from typing import Any, NamedTuple, cast

import jax
import jax.numpy as jnp
from jax.typing import ArrayLike


class Parameter(NamedTuple):
  """A differentiable parameter of an activation, e.g. the leaky slope or ELU's alpha."""

  name: str
  default: float
  # (z, *params, *options) -> dg/dparam, elementwise.
  derivative: Callable[..., jax.Array]
  # The values a Python number may take; an array is not read on the host to check it.
  lowest: float = -math.inf
  highest: float = math.inf
  # Whether ``lowest`` itself is refused (squareplus' b > 0, CELU's alpha > 0).
  above_lowest: bool = False


class Kink(NamedTuple):
  """A point where g' jumps, and the convention chosen for g' there."""

  argument: str  # The keyword-only argument that chooses g' there.
  at: float
  # What jax.nn's autodiff gives there; None where that depends on a parameter and is spelt
  # in the rule's derivative (ELU: the left-hand derivative alpha).
  default: float | None
  # (*params as Python numbers) -> (lowest, highest): the sub-differential at the kink, where
  # every value is a valid choice of g'.
  subdifferential: Callable[..., tuple[float, float]]
  pytorch: str = ""  # PyTorch's choice there, for the documentation and `jacts check`.


class Option(NamedTuple):
  """A non-differentiable argument: a static choice (GELU's ``approximate``, an ``axis``), or a
  mask (softmax's ``where``) that is passed as an array and has no cotangent."""

  name: str
  default: Any
  # (function, value, z) -> the value to use; raises an error naming the argument.
  check: Callable[[str, Any, jax.Array], Any]
  static: bool = True


class Kept(enum.Enum):
  """What an elementwise rule's backward pass keeps to compute g'."""

  INPUT = "z"
  OUTPUT = "a"  # Where a determines g' (sigmoid's a(1 - a)).
  # z's Place against the rule's one kink, 2 bits per entry packed 4 to a byte: where a does not
  # tell z = 0 from z < 0 (ReLU: a = 0 for both). The backward pass reads them alone.
  PLACE = "z's place, 2 bits"


class Place(enum.IntEnum):
  """Where z lies against an elementwise rule's one kink: what :attr:`Kept.PLACE` keeps."""

  BELOW = 0
  AT = 1
  ABOVE = 2
  NAN = 3


def place(z: jax.Array, kink: float) -> jax.Array:
  """Each entry's :class:`Place` against ``kink``, as uint8.

  From z >= kink and z > kink, not z == kink: on the CPU, XLA compares bfloat16 subnormals with
  <, <= and > as zeros (as the values computed from them, which it flushes to 0) but with == as
  numbers, and the rule's g' on z compares as the former.
  """
  at_or_above = (z >= kink).astype(jnp.uint8)
  above = (z > kink).astype(jnp.uint8)
  return at_or_above + above + jnp.uint8(Place.NAN) * jnp.isnan(z).astype(jnp.uint8)


class Rule(NamedTuple):
  """How one activation and its derivatives are computed.

  An elementwise rule has ``derivative``; the others (softmax, log-softmax, GLU) have
  ``vector_jacobian`` and ``jacobian_vector`` instead, written in what ``keeps_output`` says.
  """

  name: str
  value: Callable[..., jax.Array]
  derivative: Callable[..., jax.Array] | None
  # g' written in a = g(z); None where a does not determine g' (ReLU: a = 0 for z = 0 and z < 0).
  derivative_from_output: Callable[..., jax.Array] | None
  naive: Callable[..., jax.Array]
  parameters: tuple[Parameter, ...] = ()
  kinks: tuple[Kink, ...] = ()
  options: tuple[Option, ...] = ()
  # (*params as Python numbers or None for arrays, *conventions) -> whether a determines g' for
  # these arguments (relu6 from a only when g' is 0 at both kinks). None: always.
  output_determines: Callable[..., bool] | None = None
  # g' at each Place of z against the rule's one kink, but NaN, for constant arguments:
  # (*params, *options, *conventions) -> (below, at, above), as Python numbers.
  slopes_by_place: Callable[..., tuple] | None = None
  # Non-elementwise rules: (residual, cotangent, *options) -> cotangent of z, and
  # (z, a, tangent, *options) -> tangent of a.
  vector_jacobian: Callable[..., jax.Array] | None = None
  jacobian_vector: Callable[..., jax.Array] | None = None
  keeps_output: bool = False  # What vector_jacobian reads: a (True) or z.
  # Whether the kept a is pinned (see _differentiable.pinned): where g is comparisons and linear
  # pieces (relu6's clamp), which XLA would otherwise recompute from z inside the backward pass.
  pin_output: bool = False
  # Where g is real (log1mexp: z > 0); tests, checks and plots sample inside it.
  domain: tuple[float, float] = (-math.inf, math.inf)
  # Whether the input is positional-only, as in jax.nn's namesake (tanh, which is jnp.tanh).
  positional_only: bool = False
  # Whether the backward pass reads a where a determines g'. False where the form in z is exact
  # at inputs where the one in a is not (soft-sign: a = inf / inf is NaN at z = +-inf, where
  # g' = 1 / (1 + |z|)^2 is 0).
  backward_reads_output: bool = True

  @property
  def elementwise(self) -> bool:
    return self.derivative is not None

  @property
  def signature(self) -> inspect.Signature:
    """The public function's signature, jax.nn's namesake's (x, the parameters and options, with
    jax.nn's names and defaults), then the conventions at kinks, keyword-only."""
    return _signature(self)

  def default(self, argument: str) -> Any:
    """The default of a parameter, option or convention, for the public function's signature."""
    return self.signature.parameters[argument].default

  def uses_output(self, numbers: tuple, conventions: tuple) -> bool:
    """Whether the backward pass keeps a = g(z) alone, not z, for these arguments."""
    if not self.elementwise:
      return self.keeps_output
    return self.kept(numbers, conventions) is Kept.OUTPUT

  def kept(self, numbers: tuple, conventions: tuple) -> Kept:
    """What the backward pass of an elementwise rule keeps, for these arguments."""
    if self.backward_reads_output and self.output_determines_slope(numbers, conventions):
      return Kept.OUTPUT
    if self.slopes_by_place is not None:
      return Kept.PLACE
    return Kept.INPUT

  def output_determines_slope(self, numbers: tuple, conventions: tuple) -> bool:
    """Whether g' is written in a = g(z) for these arguments (``derivative_from_output``)."""
    if self.derivative_from_output is None:
      return False
    return self.output_determines is None or self.output_determines(*numbers, *conventions)

  def slope(
    self, residual: jax.Array, from_output: bool, params: tuple, options: tuple, conventions: tuple
  ) -> jax.Array:
    """g'(z) from the residual: the lecture's a(1 - a) from a, or the rule on z."""
    function = self.derivative_from_output if from_output else self.derivative
    # Only elementwise rules (derivative set) have a slope; from_output comes from uses_output,
    # True only where derivative_from_output is set.
    return cast(Callable[..., jax.Array], function)(residual, *params, *options, *conventions)

  def slope_from_place(
    self, places: jax.Array, like: jax.Array, params: tuple, options: tuple, conventions: tuple
  ) -> jax.Array:
    """g'(z) in ``like``'s dtype from z's :class:`Place` (:attr:`Kept.PLACE`), NaN at NaN."""
    slopes_by_place = cast(Callable[..., tuple], self.slopes_by_place)
    below, at, above = (constant(s, like) for s in slopes_by_place(*params, *options, *conventions))
    nan = constant(math.nan, like)
    slope = jnp.where(places == Place.BELOW, below, nan)
    slope = jnp.where(places == Place.AT, at, slope)
    return jnp.where(places == Place.ABOVE, above, slope)


@functools.cache
def _signature(rule: Rule) -> inspect.Signature:
  positional = inspect.Parameter.POSITIONAL_OR_KEYWORD
  first = inspect.Parameter.POSITIONAL_ONLY if rule.positional_only else positional
  return inspect.Signature(
    [
      inspect.Parameter("x", first),
      *(inspect.Parameter(p.name, positional, default=p.default) for p in rule.parameters),
      *(inspect.Parameter(o.name, positional, default=o.default) for o in rule.options),
      *(
        inspect.Parameter(k.argument, inspect.Parameter.KEYWORD_ONLY, default=k.default)
        for k in rule.kinks
      ),
    ]
  )


def constant(value, z: jax.Array) -> jax.Array:
  """A constant in z's dtype, so that no branch of a ``jnp.where`` promotes z."""
  return jnp.asarray(value, z.dtype)


def clipped(z: jax.Array, far: float = 1e4) -> jax.Array:
  """z within [-far, far]: beyond 1e4, e^-|z|, sigmoid's tails and 1 - tanh^2 are exactly 0 in
  every dtype, so a factor z there can be clipped where it meets one of them (0 * inf is NaN)."""
  return jnp.clip(z, constant(-far, z), constant(far, z))


def below_far(z: jax.Array, far: float = 1e4) -> jax.Array:
  """z clipped from above only, for a factor z that meets a factor that is 0 for large z (1 - s
  of SiLU), where inf * 0 would be NaN. Below it is kept: where g is NaN at -inf (SiLU, mish and
  GELU, z times a factor that is 0 there, as jax.nn's), -inf * 0 makes g' NaN too."""
  return jnp.minimum(z, constant(far, z))


def same_rank(parameter: jax.Array, z: jax.Array) -> jax.Array:
  """``parameter`` with leading axes of size 1 up to z's rank: broadcast by XLA, not stored."""
  return jnp.reshape(parameter, (1,) * (z.ndim - parameter.ndim) + parameter.shape)


def with_conventions(z: jax.Array, derivative: jax.Array, *at_kinks: tuple[float, jax.Array]):
  """``derivative`` with the chosen value at each kink ``(at, value)``, and NaN where z is NaN
  (NaN is equal to no kink, so the tests at the kinks keep it)."""
  result = jnp.where(jnp.isnan(z), z, derivative)
  for at, value in at_kinks:
    result = jnp.where(z == at, constant(value, z), result)
  return result


def linear_pieces(
  z: jax.Array,
  kinks: tuple[float, ...],
  pieces: tuple[ArrayLike, ...],
  conventions: tuple[float, ...],
  sides: tuple[tuple[float | None, float], ...],
) -> jax.Array:
  """g' of a function linear between its kinks: ``pieces[0]`` below the first kink,
  ``pieces[i]`` above kink i - 1 and below kink i, ``conventions[i]`` at ``kinks[i]``, NaN at NaN.

  ``sides[i]``: the one-sided derivatives at ``kinks[i]``, (left, right); None for one not known
  before tracing (a traced slope). A kink whose convention is one of them belongs to that piece
  (the test below the kink is <= for the left one, < for the right one) and costs no test of
  its own; jax.nn's conventions are such values but sparse-sigmoid's. NaN compares false
  everywhere, so it falls through every test to the top piece, which carries it: the top piece
  is ``pieces[-1] + min(z - k, 0)`` for the last kink k, where the added term is 0 (infinity
  too) and NaN at NaN. (Measured on the CPU, that costs less than a select that keeps z for
  NaN: leaky_relu's value and VJP took 0.92 of jax.nn's speed with the select, 1.00 with the
  minimum.)
  """
  if _mirrored(kinks, pieces, conventions):  # hard_tanh, sparse_sigmoid: one test on |z|.
    return linear_pieces(jnp.abs(z), kinks[1:], pieces[1:], conventions[1:], sides[1:])
  joins_left = [same_float(c, left) for c, (left, _) in zip(conventions, sides, strict=True)]
  joins_right = [
    not joined and same_float(c, right)
    for c, joined, (_, right) in zip(conventions, joins_left, sides, strict=True)
  ]
  values = [constant(p, z) if isinstance(p, Real) else jnp.asarray(p) for p in pieces]
  # Above a last kink k >= 0 (every rule's), min(z, 0) is already 0: no subtraction needed.
  above_last = z if kinks[-1] >= 0 else z - constant(kinks[-1], z)
  # Not differentiated: its derivative, 1/2 at 0 for a tie of the minimum, is not g''s.
  result = values[-1] + jax.lax.stop_gradient(jnp.minimum(above_last, constant(0, z)))
  for i in reversed(range(len(kinks))):  # Each lower piece below its kink, overriding the above.
    below = z <= kinks[i] if joins_left[i] else z < kinks[i]
    result = jnp.where(below, values[i], result)
  for at, convention, left, right in zip(kinks, conventions, joins_left, joins_right, strict=True):
    if not (left or right):
      result = jnp.where(z == at, constant(convention, z), result)
  return result


def _mirrored(kinks: tuple, pieces: tuple, conventions: tuple) -> bool:
  """Whether g' is even: kinks at -k and k, constant pieces, the same outside both, the same
  convention at both. Then g' of z is g' of |z| above 0, with the one kink k."""
  return (
    len(kinks) == 2
    and kinks[0] == -kinks[1]
    and all(isinstance(p, Real) for p in pieces)
    and same_float(pieces[0], pieces[2])
    and same_float(conventions[0], conventions[1])
  )


def same_float(x: float, y: float | None) -> bool:
  """x == y with the same sign, so that -0.0 is not 0.0 (a convention of -0.0 gives -0.0)."""
  return y is not None and x == y and math.copysign(1.0, x) == math.copysign(1.0, y)


def inside(x: jax.Array, lowest: float, highest: float, slope, outside=0.0) -> jax.Array:
  """``slope`` where lowest < x < highest, ``outside`` elsewhere, NaN where x is NaN."""
  within = jnp.where((x > lowest) & (x < highest), constant(slope, x), constant(outside, x))
  return jnp.where(jnp.isnan(x), x, within)
