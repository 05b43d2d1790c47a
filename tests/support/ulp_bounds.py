"""How far a computed float lies from a float64 reference: within r units in the last place of
the reference rounded to the dtype, plus t machine epsilons absolute, with XLA's flushing of
subnormals taken into account. Used by test_exhaustive.py."""

import jax
import jax.numpy as jnp
import numpy as np

# XLA on the CPU flushes float32 and float64 subnormals to zero, as inputs and as results
# (float16 and bfloat16 are computed in float32, where float16's subnormals are normal numbers
# and bfloat16's are not): in those dtypes a subnormal z is compared with the reference at z or
# at +-0, whichever is nearer (the convention at 0 for the piecewise ones), and subnormal
# results, computed or reference, count as 0. See docs/conventions.md, "Numerics", and
# tests/activations/test_numerics.py.
FLUSHES_SUBNORMALS = (
  set(("bfloat16", "float32", "float64")) if jax.default_backend() == "cpu" else set()
)


def ulp(x: np.ndarray, dtype: str) -> np.ndarray:
  """The spacing of the dtype's floats at x rounded to the dtype (clipped to its largest), in
  float64."""
  info = jnp.finfo(dtype)
  largest = float(info.max)
  rounded = np.abs(np.clip(x, -largest, largest).astype(dtype).astype(np.float64))
  _, exponent = np.frexp(rounded)
  exponent = np.where(rounded == 0, info.minexp, np.maximum(exponent - 1, info.minexp))
  return np.ldexp(1.0, exponent - info.nmant)


def bound_holds(computed, reference_value, dtype: str, r: float, t: float) -> np.ndarray:
  """Where |computed - reference| <= r ulp(reference) + t eps: NaN where the reference is NaN,
  the same infinity where the reference rounds to one, finite and within the bound elsewhere."""
  info = jnp.finfo(dtype)
  with np.errstate(all="ignore"):
    computed = np.asarray(computed).astype(np.float64)
    rounded = reference_value.astype(dtype).astype(np.float64)
    if dtype in FLUSHES_SUBNORMALS:
      computed = np.where(np.abs(computed) < float(info.tiny), 0.0, computed)
      reference_value = np.where(np.abs(reference_value) < float(info.tiny), 0.0, reference_value)
    both_nan = np.isnan(computed) & np.isnan(reference_value)
    same_infinity = np.isinf(rounded) & (computed == rounded)
    finite = np.isfinite(computed) & np.isfinite(reference_value)
    reference_value = np.where(finite, reference_value, 0.0)
    error = np.abs(np.where(finite, computed, 0.0) - reference_value)
    within = error <= r * ulp(reference_value, dtype) + t * float(info.eps)
  return both_nan | same_infinity | (finite & within)


def widen(z: np.ndarray) -> np.ndarray:
  with np.errstate(invalid="ignore"):  # ml_dtypes warns when it casts NaN.
    return z.astype(np.float64)


def flushed(z: np.ndarray, dtype: str) -> tuple[np.ndarray, np.ndarray]:
  """z with its subnormals set to +-0 where XLA flushes them, and the mask of those."""
  subnormal = (np.abs(z) < float(jnp.finfo(dtype).tiny)) & (z != 0) & (dtype in FLUSHES_SUBNORMALS)
  return np.where(subnormal, np.copysign(0.0, z), z), subnormal


def out_of_bound(z, computed, expected_at, dtype: str, r: float, t: float) -> np.ndarray:
  """The mask of the inputs z (float64) where ``computed`` is out of the bound of the reference
  ``expected_at(z)``, or of ``expected_at(+-0)`` where XLA flushes z."""
  ok = bound_holds(computed, expected_at(z), dtype, r, t)
  zeroed, subnormal = flushed(z, dtype)
  if subnormal.any():
    ok |= subnormal & bound_holds(computed, expected_at(zeroed), dtype, r, t)
  return ~ok


def assert_within(name, quantity, z, computed, expected_at, dtype: str, r: float, t: float):
  bad = out_of_bound(z, computed, expected_at, dtype, r, t)
  if bad.any():
    where = z[bad][:6]
    raise AssertionError(
      f"{name} {quantity} in {dtype} out of (r, t) = {(r, t)} at {bad.sum()} inputs, e.g. "
      f"z = {where.tolist()}: computed {widen(np.asarray(computed)[bad][:6]).tolist()}, "
      f"reference {expected_at(where).tolist()}"
    )
