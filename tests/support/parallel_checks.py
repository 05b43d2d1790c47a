"""Checks of jacts.parallel on 4 virtual CPU devices; run in a subprocess by
tests/networks/test_parallel.py.

Exits non-zero, with the reason, on the first check that fails; prints one line per check.
"""

import functools
import os

os.environ["XLA_FLAGS"] = "--xla_force_host_platform_device_count=4"

import jax

jax.config.update("jax_enable_x64", True)
jax.config.update("jax_numpy_rank_promotion", "raise")

import jax.numpy as jnp  # noqa: E402
import numpy as np  # noqa: E402
import optax  # noqa: E402
from jax.sharding import Mesh, NamedSharding  # noqa: E402
from jax.sharding import PartitionSpec as P  # noqa: E402

import jacts  # noqa: E402
import jacts.parallel as parallel  # noqa: E402
import jacts.shallow as shallow  # noqa: E402
from jacts._networks import _training  # noqa: E402  (the compiled program, to inspect it)
from jacts.datasets import planar_flower  # noqa: E402

X, Y = planar_flower()
PARAMS = shallow.lecture_params(2, 4, 1)
ADAM = optax.adam(0.01)


def same_as_single_device(
  m, *, gradients="manual", mesh=None, activation=jacts.tanh, Y=Y, tol=1e-10
):
  kwargs = {"optimizer": ADAM, "steps": 300, "log_every": 100, "gradients": gradients}
  kwargs["activation"] = activation
  trained, costs = parallel.fit(PARAMS, X[:m], Y[:m], mesh=mesh, **kwargs)
  alone, alone_costs = shallow.fit(PARAMS, X[:m], Y[:m], **kwargs)
  assert costs.shape == alone_costs.shape == (3,)
  np.testing.assert_allclose(costs, alone_costs, rtol=tol)
  for got, want in zip(trained, alone, strict=True):
    assert got.shape == want.shape and got.dtype == want.dtype
    np.testing.assert_allclose(got, want, rtol=tol, atol=1e-13)


def check(name, function):
  function()
  print(f"ok {name}", flush=True)


assert len(jax.devices()) == 4
check("even split, 400 = 4 x 100", lambda: same_as_single_device(400))
check("uneven split, 398", lambda: same_as_single_device(398))
check("uneven split, 397, autodiff", lambda: same_as_single_device(397, gradients="autodiff"))
check("relu and leaky relu", lambda: [same_as_single_device(398, activation=a)
                                      for a in (jacts.relu, jacts.leaky_relu)])  # fmt: skip
check("one-dimensional labels", lambda: same_as_single_device(398, Y=Y.ravel()))
TWO_DEVICES = Mesh(np.array(jax.devices()[:2]), ("batch",))
TWO_BY_TWO = Mesh(np.array(jax.devices()).reshape(2, 2), ("a", "b"))
check("a mesh of 2 of the 4 devices", lambda: same_as_single_device(399, mesh=TWO_DEVICES))
check("a 2 x 2 mesh, batch over both axes", lambda: same_as_single_device(398, mesh=TWO_BY_TWO))


def examples_are_sharded_and_gradients_all_reduced():
  mesh = Mesh(np.array(jax.devices()), ("batch",))
  rows = NamedSharding(mesh, P("batch", None))
  Xs = jax.device_put(jnp.asarray(X), rows)
  Ys = jax.device_put(jnp.asarray(Y), rows)
  compiled = _training._train_steps.lower(
      PARAMS, ADAM.init(PARAMS), Xs, Ys, optimizer=ADAM, steps=10, activation=jacts.tanh,
      log_every=10, gradients="manual",
  ).compile()  # fmt: skip
  text = compiled.as_text()
  assert "all-reduce" in text, "no all-reduce: the batch was not split"
  assert "f64[2,100]" in text, "no per-device shard of 100 examples"


check(
  "examples split over devices, gradients all-reduced",
  examples_are_sharded_and_gradients_all_reduced,
)


def global_arrays_built_from_process_local_rows():
  mesh = Mesh(np.array(jax.devices()), ("batch",))
  rows = NamedSharding(mesh, P("batch", None))
  X_global = jax.make_array_from_process_local_data(rows, X)
  Y_global = jax.make_array_from_process_local_data(rows, Y)
  trained, _ = parallel.fit(PARAMS, X_global, Y_global, optimizer=ADAM, steps=50)
  alone, _ = shallow.fit(PARAMS, X, Y, optimizer=ADAM, steps=50)
  np.testing.assert_allclose(trained.W1, alone.W1, rtol=1e-10)


check("global arrays", global_arrays_built_from_process_local_rows)


def float32_by_default():
  with jax.enable_x64(False):
    params = shallow.lecture_params(2, 4, 1)
    trained, costs = parallel.fit(params, X, Y, optimizer=optax.sgd(1.2), steps=100)
    alone, _ = shallow.fit(params, X, Y, optimizer=optax.sgd(1.2), steps=100)
    assert trained.W1.dtype == costs.dtype == jnp.float32
    np.testing.assert_allclose(trained.W1, alone.W1, rtol=1e-4)


check("float32 by default", float32_by_default)


def refusals():
  try:
    parallel.fit(PARAMS, X, Y, mesh="all", optimizer=ADAM, steps=1)
  except TypeError as error:
    assert "`mesh` must be a jax.sharding.Mesh" in str(error)
  else:
    raise AssertionError("a bad mesh was accepted")
  try:
    parallel.fit(PARAMS, X[:, :1], Y, optimizer=ADAM, steps=1)
  except ValueError as error:
    assert "`X` must have shape (m, n_x) = (m, 2)" in str(error)
  else:
    raise AssertionError("X with the wrong width was accepted")
  per_example = functools.partial(jacts.leaky_relu, negative_slope=jnp.full((398, 4), 0.1))
  try:  # 398 rows over 4 devices need padding rows, which have no slope.
    parallel.fit(PARAMS, X[:398], Y[:398], optimizer=ADAM, steps=1, activation=per_example)
  except ValueError as error:
    assert "`negative_slope` bound to `activation` has one row per example" in str(error)
    assert "(398, 4)" in str(error)
  else:
    raise AssertionError("a per-example slope was padded")


check("bad input is refused", refusals)


def relus_residual_is_packed_on_each_device():
  # relu and leaky_relu keep z's place in 2 bits, packed in blocks of 4 * 4096 entries: an array
  # sharded along its first axis, whole blocks to a device, packs without the other devices.
  mesh = Mesh(np.array(jax.devices()), ("batch",))
  for shape in ((64, 1024), (8, 32, 256)):
    z = jax.device_put(jnp.ones(shape, jnp.float32), NamedSharding(mesh, P("batch")))
    for activation in (jacts.relu, jacts.leaky_relu):
      step = jax.jit(lambda z, f=activation: jax.vjp(f, z)[1](z))
      text = step.lower(z).compile().as_text()
      for collective in ("all-reduce", "all-gather", "all-to-all", "collective-permute"):
        assert collective not in text, f"{activation.__name__} {shape}: {collective}"


check("relu's packed residual stays on each device", relus_residual_is_packed_on_each_device)
print("all parallel checks passed")
