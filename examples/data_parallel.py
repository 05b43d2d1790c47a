"""Data-parallel training with jacts.parallel.fit, checked against single-device training.

  python examples/data_parallel.py                  # 4 devices in this process (virtual on CPU)
  python examples/data_parallel.py --processes 2    # 2 processes on 127.0.0.1, 2 devices each

With --processes, this script starts the worker processes itself (jax.distributed on
127.0.0.1, CPU collectives through gloo), waits for them with a time limit, and ends them all
whatever happens. Each worker builds the global arrays from its own rows only
(jax.make_array_from_process_local_data), trains, and checks the result against single-device
training on the whole data set.
"""

import argparse
import os
import socket
import subprocess
import sys

TOLERANCE = 1e-10  # float64; only the order of the sums differs between devices.


def main() -> int:
  parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
  parser.add_argument("--devices", type=int, default=None, help="devices per process (CPU)")
  parser.add_argument("--processes", type=int, default=1)
  parser.add_argument("--steps", type=int, default=2000)
  parser.add_argument("--timeout", type=float, default=240.0, help="seconds, for --processes")
  parser.add_argument("--worker", type=int, default=None, help=argparse.SUPPRESS)
  parser.add_argument("--port", type=int, default=None, help=argparse.SUPPRESS)
  args = parser.parse_args()
  devices = args.devices or (4 if args.processes == 1 else 2)
  if args.processes > 1 and args.worker is None:
    return launch(args, devices)
  os.environ.setdefault("XLA_FLAGS", f"--xla_force_host_platform_device_count={devices}")
  return train(args)


def launch(args, devices: int) -> int:
  """Starts one worker per process on 127.0.0.1 and waits for all, ending them on any failure."""
  with socket.socket() as probe:  # A free port for the coordinator.
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
  command = [sys.executable, __file__, "--processes", str(args.processes), "--port", str(port),
             "--devices", str(devices), "--steps", str(args.steps)]  # fmt: skip
  workers = [subprocess.Popen([*command, "--worker", str(i)]) for i in range(args.processes)]
  try:
    codes = [worker.wait(timeout=args.timeout) for worker in workers]
  except subprocess.TimeoutExpired:
    print(f"workers did not finish within {args.timeout} s", file=sys.stderr)
    codes = [1]
  finally:
    for worker in workers:
      if worker.poll() is None:
        worker.kill()
        worker.wait()
  return 0 if all(code == 0 for code in codes) else 1


def train(args) -> int:
  import jax

  jax.config.update("jax_enable_x64", True)
  if args.worker is not None:
    jax.config.update("jax_cpu_collectives_implementation", "gloo")
    jax.distributed.initialize(
      coordinator_address=f"127.0.0.1:{args.port}",
      num_processes=args.processes,
      process_id=args.worker,
      initialization_timeout=60,
    )
  import jax.numpy as jnp
  import numpy as np
  import optax
  from jax.sharding import Mesh, NamedSharding
  from jax.sharding import PartitionSpec as P

  import jacts.parallel as parallel
  import jacts.shallow as shallow
  from jacts.datasets import planar_flower

  X, Y = planar_flower()  # Every process generates the same data locally.
  params = shallow.lecture_params(2, 4, 1)
  optimizer = optax.sgd(1.2)
  mesh = Mesh(np.array(jax.devices()), ("batch",))
  me = f"process {jax.process_index()} of {jax.process_count()}"

  if jax.process_count() > 1:
    # Each process contributes only its own rows to the global arrays.
    rows = NamedSharding(mesh, P("batch", None))
    share = X.shape[0] // jax.process_count()
    mine = slice(jax.process_index() * share, (jax.process_index() + 1) * share)
    X_global = jax.make_array_from_process_local_data(rows, X[mine], X.shape)
    Y_global = jax.make_array_from_process_local_data(rows, Y[mine], Y.shape)
  else:
    X_global, Y_global = X, Y

  schedule = {"optimizer": optimizer, "steps": args.steps, "log_every": max(1, args.steps // 10)}
  trained, costs = parallel.fit(params, X_global, Y_global, mesh=mesh, **schedule)
  alone, alone_costs = shallow.fit(params, X, Y, **schedule)
  gap = max(float(jnp.max(jnp.abs(a - b))) for a, b in zip(trained, alone, strict=True))
  cost_gap = float(jnp.max(jnp.abs(costs - alone_costs)))
  agrees = gap <= TOLERANCE and cost_gap <= TOLERANCE
  print(
    f"{me}: trained on {mesh.size} devices ({len(jax.local_devices())} here); final cost "
    f"{float(costs[-1]):.6f}; max |difference| from single-device training: parameters "
    f"{gap:.1e}, costs {cost_gap:.1e}: {'agrees' if agrees else 'DOES NOT AGREE'}",
    flush=True,
  )
  if args.worker is not None:
    jax.distributed.shutdown()
  return 0 if agrees else 1


if __name__ == "__main__":
  sys.exit(main())
