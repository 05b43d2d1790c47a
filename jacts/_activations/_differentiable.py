"""From a rule of the table to a differentiable function: the arguments checked before tracing,
then a ``jax.custom_vjp`` whose backward pass is exactly the rule's derivative.

A parameter given as a Python number is a constant of the compiled program, like the options
and the conventions at kinks: it has no gradient to compute, so the backward pass keeps neither
it nor z for it. One given as an array (traced or not) is differentiable.
"""

import functools
import math
from collections.abc import Callable
from numbers import Real
from typing import NamedTuple, cast

import jax
import jax.numpy as jnp
from jax.typing import ArrayLike

from jacts import _validation
from jacts._activations._packed import packed, unpacked
from jacts._rules import RULES, Kept, Rule, place


class Prepared(NamedTuple):
  """An activation's arguments after validation, in the order its rule takes them."""

  rule: Rule
  z: jax.Array  # The input, in the dtype computed in (never weakly typed).
  params: tuple  # Each parameter as an array in z's dtype.
  numbers: tuple  # Each parameter as the Python float it was given as, else None (an array).
  options: tuple  # Checked; the static ones hashable.
  conventions: tuple  # g' at each kink: static Python floats (None: the rule's own default).
  weak: bool = False  # Whether the result is weakly typed, as jax.nn's is for this input.
  integer: bool = False  # Whether jax.nn's result is integers (relu of an int array).

  @property
  def uses_output(self) -> bool:
    """Whether g' is computed from the output a = g(z) for these arguments."""
    return self.rule.uses_output(self.numbers, self.conventions)

  def derivative(self) -> jax.Array:
    """g'(z) exactly as the custom VJP computes it: from what the backward pass keeps (a, z's
    place against the kink, or z; z where a parameter is given as an array, whose gradient needs
    z)."""
    rule, z = self.rule, self.z
    kept = rule.kept(self.numbers, self.conventions) if None not in self.numbers else Kept.INPUT
    if kept is Kept.INPUT:
      return rule.slope(z, False, self.params, self.options, self.conventions)
    if kept is Kept.PLACE:
      places = place(z, rule.kinks[0].at)
      return rule.slope_from_place(places, z, self.params, self.options, self.conventions)
    a = rule.value(z, *self.params, *self.options)
    return rule.slope(a, True, self.params, self.options, self.conventions)


def prepare(
  rule: Rule, function: str, x: ArrayLike, *args, input_name: str = "x", **kwargs
) -> Prepared:
  """Checks a call's arguments against ``rule`` (before tracing), naming ``function``, and
  ``input_name`` for the input.

  The arguments are bound to the rule's signature, so defaults come from the table and wrong
  arguments are named as the public function's.
  """
  try:
    bound = rule.signature.bind(x, *args, **kwargs)
  except TypeError as error:
    raise TypeError(
      f"`{function}` takes the arguments of jacts.{rule.name}{rule.signature}; {error}."
    ) from None
  bound.apply_defaults()
  given = bound.arguments
  given_input = _validation.activation_input(function, input_name, x, rule.name)
  z = given_input.x
  params = tuple(
    _validation.parameter(function, p.name, given[p.name], z, p.lowest, p.highest, p.above_lowest)
    for p in rule.parameters
  )
  numbers = tuple(
    float(given[p.name]) if isinstance(given[p.name], Real) else None for p in rule.parameters
  )
  options = tuple(o.check(function, given[o.name], z) for o in rule.options)
  known = None not in numbers
  conventions = tuple(
    # An array parameter (traced, or on a device) is not read on the host to check it.
    _validation.derivative_at_kink(
      function,
      k.argument,
      given[k.argument],
      k.at,
      *(k.subdifferential(*numbers) if known else _ANY),
      may_be_none=k.default is None,
    )
    for k in rule.kinks
  )
  return Prepared(
    rule, z, params, numbers, options, conventions, given_input.weak, given_input.integer
  )


_ANY = (-math.inf, math.inf)


class _Static(NamedTuple):
  """The arguments compiled into the program (hashable), in a custom VJP's static slot."""

  numbers: tuple  # Parameters given as Python numbers; None for the traced ones.
  options: tuple  # Static options; None in the place of an array option.
  conventions: tuple


def split(prepared: Prepared) -> tuple[_Static, tuple, tuple]:
  """(static arguments, traced parameters, array options) of a prepared call."""
  rule = prepared.rule
  static = _Static(
    prepared.numbers,
    tuple(v if o.static else None for o, v in zip(rule.options, prepared.options, strict=True)),
    prepared.conventions,
  )
  traced = tuple(p for p, n in zip(prepared.params, prepared.numbers, strict=True) if n is None)
  arrays = tuple(v for o, v in zip(rule.options, prepared.options, strict=True) if not o.static)
  return static, traced, arrays


def merge(rule: Rule, static: _Static, like: jax.Array, traced, arrays) -> tuple[tuple, tuple]:
  """The rule's (params, options) again, the Python numbers as constants of ``like``'s dtype."""
  traced, arrays = iter(traced), iter(arrays)
  params = tuple(next(traced) if n is None else jnp.asarray(n, like.dtype) for n in static.numbers)
  options = tuple(
    v if o.static else next(arrays) for o, v in zip(rule.options, static.options, strict=True)
  )
  return params, options


def custom_jvp_from_rule(rule: Rule) -> Callable:
  """Builds ``f(static, z, traced, arrays)`` (see :func:`split`) whose JVP is ``rule``'s
  derivative.

  .. math::
    \\dot a = g'(z) \\dot z + \\sum_k \\frac{\\partial g}{\\partial s_k} \\dot s_k

  The JVP computes a by calling ``f`` itself, so that differentiating the JVP again (second
  derivatives) differentiates a by the rule too, not by autodiff of how g is computed (which at
  a kink of the formula, log-sigmoid's min(z, 0) at 0, is not g').
  """

  @functools.partial(jax.custom_jvp, nondiff_argnums=(0,))
  def f(static, z, traced, arrays):
    params, options = merge(rule, static, z, traced, arrays)
    return rule.value(z, *params, *options)

  def _jvp(static, primals, tangents):
    z, traced, arrays = primals
    z_dot, traced_dot, _ = tangents
    params, options = merge(rule, static, z, traced, arrays)
    a = f(static, z, traced, arrays)
    if _is_zero(z_dot):
      a_dot = jnp.zeros_like(a)
    elif not rule.elementwise:
      # Every rule without a derivative has a jacobian_vector (Rule's typing cannot say so).
      jacobian_vector = cast(Callable[..., jax.Array], rule.jacobian_vector)
      a_dot = jacobian_vector(z, a, z_dot, *options)
    else:
      from_output = rule.uses_output(static.numbers, static.conventions)
      residual = a if from_output else z
      a_dot = rule.slope(residual, from_output, params, options, static.conventions) * z_dot
    dynamic = (p for p, n in zip(rule.parameters, static.numbers, strict=True) if n is None)
    for p, p_dot in zip(dynamic, traced_dot, strict=True):
      # A parameter that is not perturbed adds nothing: not d * 0, which is NaN where d is
      # infinite (d(slope * z)/d slope = z = -inf).
      if not _is_zero(p_dot):
        a_dot = a_dot + p.derivative(z, *params, *options) * jnp.broadcast_to(p_dot, z.shape)
    return a, a_dot

  f.defjvp(_jvp, symbolic_zeros=True)
  return f


def _is_zero(tangent) -> bool:
  return isinstance(tangent, jax.custom_derivatives.SymbolicZero)


def custom_vjp_from_rule(rule: Rule) -> Callable:
  """Builds ``f(static, z, traced, arrays)`` (see :func:`split`) whose VJP is ``rule``'s.

  The residual is the output ``a`` alone where it determines g' (sigmoid, tanh, softplus, ELU,
  softmax...: the lecture's point that a(1-a) and 1-a^2 are cheap once a is known), else ``z``,
  which is also what a traced parameter's gradient needs. ``_fwd`` computes a with the rule's
  custom JVP, so that forward-over-reverse (``jax.hessian``, grad of grad) can differentiate
  it, by the rule.
  """
  primal = custom_jvp_from_rule(rule)

  @functools.partial(jax.custom_vjp, nondiff_argnums=(0,))
  def f(static, z, traced, arrays):
    params, options = merge(rule, static, z, traced, arrays)
    return rule.value(z, *params, *options)

  def kept(static, traced) -> Kept:
    # A traced parameter's gradient needs z, so z is kept then, and g' is read from it too.
    if traced or not rule.elementwise:
      return Kept.INPUT
    return rule.kept(static.numbers, static.conventions)

  def _fwd(static, z, traced, arrays):
    a = primal(static, z, traced, arrays)
    if not rule.elementwise:
      return a, (a if rule.keeps_output else z, traced, arrays)
    keeps = kept(static, traced)
    if keeps is Kept.INPUT:
      return a, (z, traced, arrays)
    # The output too, not only the residual: the next layer must read the buffer that is kept.
    a = pinned(a) if rule.pin_output else a
    if keeps is Kept.OUTPUT:
      return a, (a, traced, arrays)
    return a, (packed(place(z, rule.kinks[0].at)), traced, arrays)

  def _bwd(static, residuals, g):
    residual, traced, arrays = residuals
    if not rule.elementwise:
      _, options = merge(rule, static, residual, traced, arrays)
      vector_jacobian = cast(Callable[..., jax.Array], rule.vector_jacobian)  # Not elementwise.
      return vector_jacobian(residual, g, *options), (), None
    keeps = kept(static, traced)
    if keeps is Kept.PLACE:
      params, options = merge(rule, static, g, traced, arrays)
      places = unpacked(residual, g.shape)
      return g * rule.slope_from_place(places, g, params, options, static.conventions), (), None
    params, options = merge(rule, static, residual, traced, arrays)
    dz = g * rule.slope(residual, keeps is Kept.OUTPUT, params, options, static.conventions)
    dtraced = tuple(
      _sum_to_shape(g * p.derivative(residual, *params, *options), value.shape)
      for p, value, number in zip(rule.parameters, params, static.numbers, strict=True)
      if number is None
    )
    return dz, dtraced, None

  f.defvjp(_fwd, _bwd)
  return f


_SAME_WIDTH_INTEGER = {2: jnp.int16, 4: jnp.int32, 8: jnp.int64}


def pinned(a: jax.Array) -> jax.Array:
  """``a`` itself, written so that XLA keeps it for the backward pass.

  XLA's CPU fusion copies cheap elementwise producers (a clamp, a max) into each consumer, so the
  backward pass would recompute a from z, and z would stay alive beside a: twice the memory of
  ``jacts.tanh``, whose tanh it will not recompute. Nor will it copy a floating division, and
  a / 1 = a exactly, for every a (NaN, infinities, -0 and subnormals too). The 1 is
  ``(bits | 1) & 1`` of a's own bits: XLA's simplifier does not fold it, so the division stays
  and keeps the fusion from copying the clamp, while LLVM does fold it, so the compiled CPU
  kernel divides nothing and costs what the clamp alone costs. (If XLA learns to fold it, the
  memory tests fail.) Measured on the CPU only; a backend that compiles without LLVM may run
  the integer operations and the division.
  """
  bits = jax.lax.bitcast_convert_type(a, _SAME_WIDTH_INTEGER[a.dtype.itemsize])
  return a / ((bits | 1) & 1).astype(a.dtype)


def _sum_to_shape(x: jax.Array, shape: tuple) -> jax.Array:
  """Sums ``x`` over the axes along which a parameter of ``shape`` was broadcast."""
  leading = x.ndim - len(shape)
  x = x.sum(axis=tuple(range(leading)))
  stretched = tuple(i for i, n in enumerate(shape) if n == 1 and x.shape[i] != 1)
  return x.sum(axis=stretched, keepdims=True) if stretched else x


def differentiable(
  name: str, build: Callable[[Rule], Callable] = custom_vjp_from_rule, function: str = ""
) -> Callable[..., jax.Array]:
  """``call(x, *args, **kwargs)`` for the rule ``name``: checks the arguments (errors name
  ``function``, by default ``jacts.<name>``), then applies what ``build`` makes of the rule: its
  custom VJP, or its custom JVP for forward mode.

  The input is computed in the dtype jax.nn's namesake gives for it, and the result is weakly
  typed where jax.nn's is (a Python float in, say). Integer results (jax.nn's relu, hard_tanh
  and identity keep integers) have nothing to differentiate: they are jax.nn's own.
  """
  rule = RULES[name]
  implementation = build(rule)
  function = function or f"jacts.{name}"

  def call(x, *args, **kwargs):
    prepared = prepare(rule, function, x, *args, **kwargs)
    if prepared.integer:
      return getattr(jax.nn, name)(prepared.z)
    static, traced, arrays = split(prepared)
    a = implementation(static, prepared.z, traced, arrays)
    return _validation.weakly_typed(a) if prepared.weak else a

  return call


def unknown_activation(activation, argument: str = "activation") -> ValueError:
  """The error for an ``argument`` that is not a jacts activation: it lists those there are."""
  known = ", ".join(f"jacts.{name}" for name in RULES)
  return ValueError(
    f"`{argument}` must be an activation jacts knows how to differentiate ({known}, or a "
    f"functools.partial of one); got {activation!r}."
  )
