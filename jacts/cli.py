"""The ``jacts`` command: train, check, plot and predict.

  jacts train    train the lecture's network (defaults: its planar run), with a progress bar
  jacts check    compare every activation's custom VJP with naive autodiff and finite differences
  jacts plot     draw g(z) and g'(z) of every activation
  jacts predict  predict 0/1 labels for the rows of a CSV file with a saved model

A user's mistake prints one line on stderr and exits with status 1 (2 for a malformed command
line), never a traceback.
"""

import argparse
import math
import pathlib
import sys

import numpy as np

from jacts.models import ACTIVATIONS

DATASETS = {
  "flower": "planar_flower",
  "circles": "noisy_circles",
  "moons": "noisy_moons",
  "blobs": "blobs",
  "quantiles": "gaussian_quantiles",
}


class UserError(Exception):
  """A mistake in what the user asked for; reported as one line."""


class _Parser(argparse.ArgumentParser):
  def error(self, message):  # One line, not argparse's usage block.
    self.exit(2, f"jacts: error: {message} (see `{self.prog} --help`)\n")


def main(argv=None) -> int:
  parser = _build_parser()
  args = parser.parse_args(argv)
  if args.command is None:
    parser.print_help()
    return 2
  try:
    return args.run(args)
  except KeyboardInterrupt:
    print("jacts: interrupted", file=sys.stderr)
    return 130
  except (UserError, OSError, ValueError, TypeError) as error:
    message = str(error).splitlines()[0] if str(error) else type(error).__name__
    print(f"jacts: error: {message}", file=sys.stderr)
    return 1


def _build_parser() -> argparse.ArgumentParser:
  parser = _Parser(prog="jacts", description=__doc__.splitlines()[0])
  commands = parser.add_subparsers(dest="command", parser_class=_Parser)

  train = commands.add_parser("train", help="train the lecture's shallow network")
  train.add_argument("--dataset", choices=list(DATASETS), default="flower")
  train.add_argument("--hidden", type=_positive_int, default=4, help="hidden units (default 4)")
  train.add_argument("--activation", choices=list(ACTIVATIONS), default="tanh")
  train.add_argument("--optimizer", choices=("sgd", "adam"), default="sgd")
  train.add_argument("--lr", type=_positive_float, default=1.2, help="learning rate (1.2)")
  train.add_argument("--steps", type=_positive_int, default=10_000)
  train.add_argument("--log-every", type=_positive_int, default=1000)
  train.add_argument(
    "--init",
    choices=("lecture", "random"),
    default="lecture",
    help="lecture: the course's RandomState draws; random: jax.random",
  )
  train.add_argument(
    "--seed", type=int, help="initialization seed (lecture: RandomState, default 2; random: 0)"
  )
  train.add_argument("--dtype", choices=("float64", "float32"), default="float64")
  train.add_argument("--save", metavar="MODEL.npz", help="save the trained model")
  train.add_argument("--plot", metavar="BOUNDARY.png", help="save the decision boundary")
  train.add_argument("--plot-costs", metavar="COSTS.png", help="save the cost curve")
  train.add_argument("--no-progress", action="store_true", help="no progress bar")
  train.set_defaults(run=_train)

  check = commands.add_parser("check", help="verify every activation's derivative, live")
  check.set_defaults(run=_check)

  plot = commands.add_parser("plot", help="draw g(z) and g'(z) of every activation")
  plot.add_argument("out", metavar="OUT.png")
  plot.set_defaults(run=_plot)

  predict = commands.add_parser("predict", help="predict labels with a saved model")
  predict.add_argument("--model", required=True, metavar="MODEL.npz")
  predict.add_argument("--input", required=True, metavar="POINTS.csv", help="one point per row")
  predict.set_defaults(run=_predict)
  return parser


def _positive(convert, expected: str):
  """An argparse type: ``convert(text)``, refused unless finite and > 0."""

  def parse(text: str):
    try:
      value = convert(text)
    except ValueError:
      value = None
    if value is None or not (value > 0 and math.isfinite(value)):
      raise argparse.ArgumentTypeError(f"expected {expected}, got {text!r}")
    return value

  return parse


_positive_int = _positive(int, "a positive integer")
_positive_float = _positive(float, "a positive number")


def _writable(path: str) -> pathlib.Path:
  """Checks before training that ``path``'s folder exists, so a typo does not waste a run."""
  path = pathlib.Path(path)
  if not path.parent.is_dir():
    raise UserError(f"cannot write {path}: folder {path.parent} does not exist")
  return path


def _train(args) -> int:
  for path in (args.save, args.plot, args.plot_costs):
    if path:
      _writable(path)  # Before training, so that a typo does not waste the run.
  if args.plot or args.plot_costs:
    _pyplot()  # Fail before training if matplotlib is missing.
  import jax

  jax.config.update("jax_enable_x64", args.dtype == "float64")
  import jax.numpy as jnp
  import optax

  from jacts import datasets, models, shallow

  dtype = jnp.dtype(args.dtype)
  X, Y = (jnp.asarray(a, dtype) for a in getattr(datasets, DATASETS[args.dataset])())  # Once.
  n_x = X.shape[1]
  if args.init == "lecture":
    seed = 2 if args.seed is None else args.seed
    params = shallow.lecture_params(n_x, args.hidden, 1, seed=seed, dtype=dtype)
  else:
    key = jax.random.key(0 if args.seed is None else args.seed)
    params = shallow.init_params(key, n_x, args.hidden, 1, dtype=dtype)
  model = models.Model(params, args.activation)
  activation = model.activation_function()
  optimizer = {"sgd": optax.sgd, "adam": optax.adam}[args.optimizer](args.lr)

  print(
    f"Training {args.hidden} {args.activation} units on {args.dataset} ({X.shape[0]} points): "
    f"{args.optimizer}, learning rate {args.lr}, {args.steps} steps, {args.dtype}"
  )
  opt_state = optimizer.init(params)
  costs = []
  chunk = min(args.log_every, args.steps)
  with _progress(args.steps, disable=args.no_progress) as bar:
    done = 0
    while done < args.steps:
      steps = min(chunk, args.steps - done)
      params, opt_state, logged = shallow.train_steps(
          params, opt_state, X, Y, optimizer=optimizer, steps=steps, activation=activation,
          log_every=args.log_every,
      )  # fmt: skip
      for k, cost in enumerate(np.asarray(logged).tolist()):
        costs.append(cost)
        bar.write(f"Cost after iteration {done + k * args.log_every}: {cost:.6f}")
      done += steps
      bar.update(steps)
  accuracy = 100 * float(shallow.accuracy(params, X, Y, activation=activation))
  print(f"Training accuracy: {accuracy:.2f} %")

  model = model._replace(params=params)
  if args.save:
    models.save(args.save, model)
    print(f"Model saved to {args.save}")
  if args.plot:
    from jacts.plotting import decision_boundary

    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(6, 5), layout="constrained")
    title = f"{args.hidden} {args.activation} units on {args.dataset}: {accuracy:.2f} %"
    predict = lambda points: shallow.predict(params, points, activation=activation)  # noqa: E731
    decision_boundary(ax, predict, X, Y, title=title)
    fig.savefig(args.plot, dpi=110)
    print(f"Decision boundary saved to {args.plot}")
  if args.plot_costs:
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(6, 4), layout="constrained")
    ax.plot(np.arange(len(costs)) * args.log_every, costs, marker="o")
    ax.set_xlabel("iteration")
    ax.set_ylabel("cost J")
    ax.set_title("Cost during training")
    fig.savefig(args.plot_costs, dpi=110)
    print(f"Cost curve saved to {args.plot_costs}")
  return 0


def _progress(total: int, *, disable: bool):
  """A tqdm bar, or a stand-in with the same two methods when tqdm is not installed."""
  try:
    from tqdm import tqdm
  except ImportError:
    disable = True
  if not disable:
    return tqdm(total=total, unit="step", leave=False, dynamic_ncols=True)

  class Silent:
    def __enter__(self):
      return self

    def __exit__(self, *exc):
      return False

    def write(self, line):
      print(line)

    def update(self, count):
      del count

  return Silent()


def _pyplot():
  try:
    from jacts.plotting import pyplot

    return pyplot()
  except ImportError as error:
    raise UserError(str(error)) from None


def _check(args) -> int:
  del args
  import jax

  jax.config.update("jax_enable_x64", True)
  import jax.numpy as jnp

  import jacts

  grid = np.linspace(-30.0, 30.0, 60_001)
  grid = jnp.asarray(grid[grid != 0])
  away_from_zero = jnp.asarray(np.r_[np.linspace(-8, -0.01, 400), np.linspace(0.01, 8, 400)])
  magnitudes = np.logspace(0, np.log10(3e38), 100_000)
  extremes = jnp.asarray(np.r_[-magnitudes[::-1], magnitudes], jnp.float32)
  eps = 1e-6

  columns = ("activation", "max|VJP-autodiff|", "max|VJP-FD|", "naive autodiff NaN/inf (float32)",
             "jacts finite", "g_prime(0)", "ok")  # fmt: skip
  header = _row(*columns)
  print("Each activation's custom VJP against autodiff of the naive formula (float64, z in")
  print("[-30, 30] without 0) and central finite differences (float64, step 1e-6):\n")
  print(header)
  print("-" * len(header))
  all_hold = True
  for name, f in ACTIVATIONS.items():
    g = getattr(jacts.naive, name)  # The lecture's formula, differentiated by autodiff.
    f_prime, g_prime = (jax.jit(jax.vmap(jax.grad(h))) for h in (f, g))
    autodiff_gap = float(jnp.max(jnp.abs(f_prime(grid) - g_prime(grid))))
    finite_differences = (f(away_from_zero + eps) - f(away_from_zero - eps)) / (2 * eps)
    fd_gap = float(jnp.max(jnp.abs(f_prime(away_from_zero) - finite_differences)))
    naive_extreme = np.asarray(g_prime(extremes))
    jacts_finite = bool(jnp.all(jnp.isfinite(f_prime(extremes))))
    broken = np.asarray(extremes)[~np.isfinite(naive_extreme)]
    at_zero = float(jax.grad(f)(0.0))
    holds = autodiff_gap <= 1e-12 and fd_gap <= 1e-6 and jacts_finite
    all_hold &= holds
    finite, ok = ("yes" if jacts_finite else "NO"), ("yes" if holds else "NO")
    gaps = f"{autodiff_gap:.2e}", f"{fd_gap:.2e}"
    print(_row(name, *gaps, _nan_range(broken), finite, f"{at_zero:g}", ok))
  print("\ng_prime(0): the lecture's convention (ReLU: 1; derivative_at_zero=0.0 gives 0);")
  print("autodiff of max(0, z) gives 0.5 there.")
  print("All rows hold." if all_hold else "Some rows do NOT hold.")
  return 0 if all_hold else 1


def _row(name, autodiff, fd, nan_range, finite, at_zero, ok) -> str:
  return f"{name:<11} {autodiff:>18} {fd:>12}  {nan_range:<36} {finite:>12} {at_zero:>10}  {ok}"


def _nan_range(broken: np.ndarray) -> str:
  if broken.size == 0:
    return "none"
  parts = []
  if (broken < 0).any():
    parts.append(f"z <= {broken[broken < 0].max():.4g}")
  if (broken > 0).any():
    parts.append(f"z >= {broken[broken > 0].min():.4g}")
  return " and ".join(parts)


def _plot(args) -> int:
  out = _writable(args.out)
  plt = _pyplot()
  import jax.numpy as jnp

  import jacts

  z = jnp.linspace(-5.0, 5.0, 1001)
  fig, axes = plt.subplots(2, 4, figsize=(16, 7), layout="constrained", sharex=True)
  for column, (name, f) in enumerate(ACTIVATIONS.items()):
    # Leaky ReLU drawn with slope 0.1: 0.01 would look the same as ReLU at this scale.
    extra = (0.1,) if name == "leaky_relu" else ()
    g_prime = jacts.derivative(f)(z, *extra)
    label = f"{name} (slope 0.1)" if extra else name
    axes[0, column].plot(z, f(z, *extra))
    axes[0, column].set_title(f"g(z): {label}", fontsize=10)
    axes[1, column].plot(z, g_prime, color="tab:red")
    axes[1, column].set_title(f"g'(z) = jacts.derivative({name})", fontsize=10)
    axes[1, column].set_xlabel("z")
    for ax in axes[:, column]:
      ax.axhline(0, color="grey", linewidth=0.5)
      ax.axvline(0, color="grey", linewidth=0.5)
  fig.savefig(out, dpi=100)
  print(f"Activations and their derivatives saved to {out}")
  return 0


def _predict(args) -> int:
  from jacts import models, shallow

  model = models.load(args.model)
  n_x = model.params.W1.shape[1]
  points = _read_points(pathlib.Path(args.input), n_x)
  predictions = shallow.predict(model.params, points, activation=model.activation_function())
  sys.stdout.write("".join(f"{int(p)}\n" for p in np.asarray(predictions)[:, 0]))
  return 0


def _read_points(path: pathlib.Path, n_x: int) -> np.ndarray:
  try:
    lines = path.read_text().splitlines()
  except FileNotFoundError:
    raise UserError(f"{path}: no such file") from None
  except (OSError, UnicodeDecodeError) as error:
    raise UserError(f"{path}: cannot read ({error})") from None
  rows = []
  for number, line in enumerate(lines, start=1):
    if not line.strip():
      continue
    fields = [field.strip() for field in line.split(",")]
    try:
      values = [float(field) for field in fields]
    except ValueError:
      if not rows and number == 1:  # A header line.
        continue
      raise UserError(f"{path}, line {number}: not a row of numbers: {line.strip()!r}") from None
    if len(values) != n_x:
      raise UserError(f"{path}, line {number}: {len(values)} columns; the model takes {n_x}")
    if not all(math.isfinite(v) for v in values):
      raise UserError(f"{path}, line {number}: NaN or infinite value")
    rows.append(values)
  if not rows:
    raise UserError(f"{path}: no points")
  return np.asarray(rows)
