"""The ``jacts`` command: train, check, plot, predict and study.

  jacts train    train the lecture's network (defaults: its planar run), with a progress bar
  jacts check    compare every activation's custom VJP with naive autodiff and finite differences
  jacts plot     draw g(z) and g'(z) of every activation
  jacts predict  predict 0/1 labels for the rows of a CSV file with a saved model
  jacts study    measure when ReLU'(0) matters (``jacts study relu0``), in every precision

A user's mistake prints one line on stderr, never a traceback, and exits with status 1, or 2 for
a malformed command line (argparse's own errors, such as ``--activation softmax`` or ``--seed -1``).
Output paths are checked before any work; nothing is written when training diverges.

Compiled programs are kept in JAX's persistent compilation cache, in ``$JACTS_CACHE_DIR`` or
else ``~/.cache/jacts/xla`` (``$XDG_CACHE_HOME/jacts/xla``), so that a second run skips the
compilation that is most of a one-shot run; ``--no-cache`` or ``JACTS_NO_CACHE=1`` turns it off.
"""

import argparse
import functools
import os
import pathlib
import sys
import warnings

# Only what the parser needs is imported here: JAX, NumPy and the commands' modules load when a
# command runs, so that --version and every --help answer at once.
from jacts.cli import _study
from jacts.cli._arguments import (
  FIG,
  TRAINABLE,
  Parser,
  UserError,
  figure,
  hidden_activation,
  positive_float,
  positive_int,
  pyplot_or_error,
  seed,
  writable,
)
from jacts.cli._defaults import OPTIMIZER_LEARNING_RATES, training_settings
from jacts.cli._trend import trend_note

DATASETS = {
  "flower": "planar_flower",
  "circles": "noisy_circles",
  "moons": "noisy_moons",
  "blobs": "blobs",
  "quantiles": "gaussian_quantiles",
}


def main(argv=None) -> int:
  parser = _build_parser()
  args = parser.parse_args(argv)
  if args.command is None:
    parser.print_help()
    return 2
  if not args.no_cache and not os.environ.get("JACTS_NO_CACHE"):
    _use_compilation_cache()
  try:
    return args.run(args)
  except KeyboardInterrupt:
    print("jacts: interrupted", file=sys.stderr)
    return 130
  except (UserError, OSError, ValueError, TypeError) as error:
    message = str(error).splitlines()[0] if str(error) else type(error).__name__
    print(f"jacts: error: {message}", file=sys.stderr)
    return 1


def cache_folder() -> pathlib.Path:
  """Where the command keeps compiled programs: $JACTS_CACHE_DIR, else the user cache folder."""
  if os.environ.get("JACTS_CACHE_DIR"):
    return pathlib.Path(os.environ["JACTS_CACHE_DIR"])
  user_cache = os.environ.get("XDG_CACHE_HOME") or pathlib.Path.home() / ".cache"
  return pathlib.Path(user_cache) / "jacts" / "xla"


def _use_compilation_cache() -> None:
  """JAX's persistent compilation cache, so that a second run skips compiling what the first
  compiled (the one-shot `jacts train` is mostly compilation)."""
  import jax

  folder = cache_folder()
  try:
    folder.mkdir(parents=True, exist_ok=True)
  except OSError:
    return  # An unwritable cache is no reason to fail, nor to warn on every compilation.
  if not os.access(folder, os.W_OK | os.X_OK):
    return
  jax.config.update("jax_compilation_cache_dir", str(folder))
  # Every program: the small ones too add up to most of a run's compile time.
  jax.config.update("jax_persistent_cache_min_compile_time_secs", 0.0)


# What a terminal shows: the docstring's first line without its reStructuredText markup.
_DESCRIPTION = __doc__.splitlines()[0].replace("``", "")


def _build_parser() -> argparse.ArgumentParser:
  from jacts import __version__

  parser = Parser(prog="jacts", description=_DESCRIPTION)
  parser.add_argument("--version", action="version", version=f"jacts {__version__}")
  commands = parser.add_subparsers(dest="command", parser_class=Parser)
  caching = Parser(add_help=False)
  caching.add_argument(
    "--no-cache",
    action="store_true",
    help="do not read or write compiled programs in the cache folder ($JACTS_CACHE_DIR, else "
    "~/.cache/jacts/xla; JACTS_NO_CACHE=1 turns it off too)",
  )
  add_command = functools.partial(commands.add_parser, parents=[caching])

  train = add_command(
    "train",
    help="train the lecture's shallow network",
    epilog="example: jacts train --activation relu --plot boundary.png",
  )
  train.add_argument(
    "--dataset",
    choices=list(DATASETS),
    default="flower",
    help="a planar data set of jacts.datasets (default flower, the lecture's)",
  )
  train.add_argument("--hidden", type=positive_int, default=4, help="hidden units (default 4)")
  train.add_argument(
    "--activation",
    type=hidden_activation,
    choices=TRAINABLE,
    default="tanh",
    help="the hidden layer's, with its default arguments (default tanh); each has its own "
    "default --optimizer, --lr and --init-scale, measured to train it well (docs/cli.md)",
  )
  train.add_argument(
    "--optimizer",
    choices=tuple(OPTIMIZER_LEARNING_RATES),
    help="the optax optimizer (default: the activation's; sgd for tanh, the lecture's)",
  )
  train.add_argument(
    "--lr",
    type=positive_float,
    help="learning rate (default: the activation's with its optimizer, else 1.2 for sgd and "
    "0.01 for adam; 1.2 for tanh, the lecture's)",
  )
  train.add_argument(
    "--steps", type=positive_int, default=10_000, help="optimizer steps (default 10000)"
  )
  train.add_argument(
    "--log-every",
    type=positive_int,
    default=1000,
    help="print the cost every this many steps, the lecture's log (default 1000)",
  )
  train.add_argument(
    "--init",
    choices=("lecture", "random"),
    default="lecture",
    help="lecture: the course's RandomState draws; random: jax.random (default lecture)",
  )
  train.add_argument(
    "--init-scale",
    type=positive_float,
    help="the initial weights' standard deviation (default: the activation's; 0.01 for tanh, "
    "the lecture's)",
  )
  train.add_argument(
    "--seed",
    type=seed,
    help="initialization seed, an integer in [0, 2**32 - 1] as NumPy's RandomState takes "
    "(lecture: default 2; random: jax.random.key, default 0)",
  )
  train.add_argument(
    "--dtype",
    choices=("float64", "float32"),
    default="float64",
    help="the parameters' and data's dtype (default float64, the lecture's NumPy precision)",
  )
  train.add_argument("--save", metavar="MODEL.npz", help="save the trained model")
  train.add_argument("--plot", metavar="BOUNDARY.png", help="save the decision boundary" + FIG)
  train.add_argument("--plot-costs", metavar="COSTS.png", help="save the cost curve" + FIG)
  train.add_argument("--no-progress", action="store_true", help="no progress bar (none on a pipe)")
  train.set_defaults(run=_train)

  check = add_command(
    "check",
    help="verify every activation's derivative, live",
    epilog="example: jacts check  (exit status 0 if every row holds)",
  )
  check.set_defaults(run=_check)

  plot = add_command(
    "plot",
    help="draw g(z) and g'(z) of every activation",
    epilog="example: jacts plot activations.png",
  )
  plot.add_argument("out", metavar="OUT.png", help="the figure" + FIG)
  plot.set_defaults(run=_plot)

  predict = add_command(
    "predict",
    help="predict labels with a saved model",
    epilog="example: jacts predict --model model.npz --input points.csv",
  )
  predict.add_argument(
    "--model", required=True, metavar="MODEL.npz", help="a model saved by jacts train --save"
  )
  predict.add_argument(
    "--input", required=True, metavar="POINTS.csv", help="one point per row, comma-separated"
  )
  predict.set_defaults(run=_predict)

  # The study's run reads _progress at call time, so that tests may replace it.
  run_relu0 = lambda args: _study.run_relu0(args, _progress, DATASETS)  # noqa: E731
  _study.add_study_command(commands, caching, DATASETS, run_relu0)

  return parser


def _outputs(args) -> tuple:
  """Train's (--save, --plot, --plot-costs) targets, each checked before training, or None."""
  save = writable(args.save) if args.save else None
  plot, costs = (figure(text) if text else None for text in (args.plot, args.plot_costs))
  paths = [path.resolve() for path in (save, plot, costs) if path]
  if len(set(paths)) < len(paths):  # The second write would replace the first.
    raise UserError("--save, --plot and --plot-costs must name different files")
  return save, plot, costs


def _train(args) -> int:
  """Trains, prints the costs and accuracy, then writes what was asked for (not if it diverged)."""
  outputs = _outputs(args)  # Before training, so that a typo does not waste the run.
  import jax

  jax.config.update("jax_enable_x64", args.dtype == "float64")
  import jax.numpy as jnp
  import optax

  from jacts import datasets, models, shallow

  dtype = jnp.dtype(args.dtype)
  X, Y = (jnp.asarray(a, dtype) for a in getattr(datasets, DATASETS[args.dataset])())  # Once.
  n_x = X.shape[1]
  settings = training_settings(args.activation, args.optimizer, args.lr, args.init_scale)
  if args.init == "lecture":
    seed = 2 if args.seed is None else args.seed
    params = shallow.lecture_params(
      n_x, args.hidden, 1, seed=seed, scale=settings.init_scale, dtype=dtype
    )
  else:
    key = jax.random.key(0 if args.seed is None else args.seed)
    params = shallow.init_params(key, n_x, args.hidden, 1, scale=settings.init_scale, dtype=dtype)
  model = models.Model(params, args.activation)
  optimizer = getattr(optax, settings.optimizer)(settings.lr)

  print(
    f"Training {args.hidden} {args.activation} units on {args.dataset} ({X.shape[0]} points): "
    f"{settings.optimizer}, learning rate {settings.lr}, initial weights' scale "
    f"{settings.init_scale}, {args.steps} steps, {args.dtype}"
  )
  if settings.chosen:
    print(settings.chosen)
  if args.activation == "identity":
    print("Note: with identity as its hidden activation the network is a linear model, whose "
          "boundary is a line (logistic regression: 47 % on flower)")  # fmt: skip
  activation = model.activation_function()
  # No cost is logged when --steps < --log-every: the trend then runs from the initial cost.
  initial = (
    []
    if args.steps >= args.log_every
    else [float(shallow.cost(params, X, Y, activation=activation))]
  )
  params, costs = _fit(args, model, optimizer, X, Y, settings.lr, written=any(outputs))
  accuracy = 100 * float(shallow.accuracy(params, X, Y, activation=activation))
  print(f"Training accuracy: {accuracy:.2f} %")
  final = float(shallow.cost(params, X, Y, activation=activation))
  logged = initial or costs
  note = trend_note(
    [*logged, final], [i * args.log_every for i in range(len(logged))] + [args.steps]
  )
  if note:
    print(note)
  _write(args, outputs, model._replace(params=params), costs, accuracy, X, Y)
  return 0


def _fit(args, model, optimizer, X, Y, lr: float, *, written: bool):
  """Trains in chunks of --log-every steps, printing each cost; raises UserError on divergence."""
  import numpy as np

  from jacts import shallow

  params, activation = model.params, model.activation_function()
  opt_state = optimizer.init(params)
  costs = []
  chunk = min(args.log_every, args.steps)
  with _progress(args.steps, disable=args.no_progress) as bar:
    done = 0
    while done < args.steps:
      steps = min(chunk, args.steps - done)
      try:
        with warnings.catch_warnings():
          warnings.simplefilter("error", shallow.TrainingDivergedWarning)
          params, opt_state, logged = shallow.train_steps(
              params, opt_state, X, Y, optimizer=optimizer, steps=steps, activation=activation,
              log_every=args.log_every,
          )  # fmt: skip
      except shallow.TrainingDivergedWarning as diverged:
        raise UserError(_diverged(diverged.iteration, done, steps, lr, written)) from None
      for k, cost in enumerate(np.asarray(logged).tolist()):
        costs.append(cost)
        bar.write(f"Cost after iteration {done + k * args.log_every}: {cost:.6f}")
      done += steps
      bar.update(steps)
  return params, costs


def _diverged(iteration, done: int, steps: int, lr: float, written: bool) -> str:
  """The report on a chunk of ``steps`` from ``done`` whose warning gave ``iteration``."""
  if iteration is None:
    what = f"the weights became NaN or infinite between iterations {done} and {done + steps}"
  else:
    what = f"the cost is NaN or infinite from iteration {done + iteration} on"
  outcome = "nothing was saved" if written else "try a smaller learning rate"
  return f"training diverged: {what} (learning rate {lr}); {outcome}"


def _write(args, outputs, model, costs, accuracy, X, Y) -> None:
  """Saves the model and draws the figures asked for, reporting each file written."""
  import numpy as np

  from jacts import models, shallow

  save, plot, plot_costs = outputs
  if save:
    models.save(save, model)
    print(f"Model saved to {save}")
  if plot:
    from jacts.plotting import decision_boundary

    fig, ax = pyplot_or_error().subplots(figsize=(6, 5), layout="constrained")
    title = f"{args.hidden} {args.activation} units on {args.dataset}: {accuracy:.2f} %"
    activation = model.activation_function()
    predict = lambda points: shallow.predict(model.params, points, activation=activation)  # noqa: E731
    decision_boundary(ax, predict, X, Y, title=title)
    fig.savefig(plot, dpi=110)
    print(f"Decision boundary saved to {plot}")
  if plot_costs:
    fig, ax = pyplot_or_error().subplots(figsize=(6, 4), layout="constrained")
    ax.plot(np.arange(len(costs)) * args.log_every, costs, marker="o")
    ax.set_xlabel("iteration")
    ax.set_ylabel("cost J")
    ax.set_title("Cost during training")
    fig.savefig(plot_costs, dpi=110)
    print(f"Cost curve saved to {plot_costs}")


def _progress(total: int, *, disable: bool):
  """A tqdm bar on a terminal; none with ``disable``, on a pipe (stderr keeps only errors) or
  without tqdm. Its ``write`` prints a line to stdout either way."""
  try:
    from tqdm import tqdm
  except ImportError:
    return _Silent()
  options = {"unit": "step", "leave": False, "dynamic_ncols": True}
  return tqdm(total=total, disable=True if disable else None, **options)  # None: off on a pipe.


class _Silent:
  """Stands in for a tqdm bar when tqdm is not installed: prints the lines, draws nothing."""

  write = staticmethod(print)

  def __enter__(self):
    return self

  def __exit__(self, *exc):
    return False

  def update(self, count):
    del count


def _check(args) -> int:
  from jacts._activations import check

  return check()


def _plot(args) -> int:
  out = figure(args.out)
  pyplot_or_error()  # A one-line error, not an ImportError, when matplotlib is missing.
  from jacts.plotting import activations

  activations().savefig(out, dpi=100)
  print(f"Activations and their derivatives saved to {out}")
  return 0


def _predict(args) -> int:
  """Prints the model's 0/1 labels for each point of the CSV file, one row per point."""
  import jax
  import numpy as np

  from jacts import models, shallow
  from jacts.cli._csv import read_points

  # In the model's own dtype: without 64-bit mode a float64 model would be evaluated in float32.
  # Scoped, so that calling main() in-process leaves JAX's settings as they were.
  with jax.enable_x64(True):
    model = models.load(args.model)  # Any failure: a one-line ModelFileError (a ValueError).
    W1 = model.params.W1
    points = read_points(pathlib.Path(args.input), W1.shape[1], np.dtype(W1.dtype))
    activation = model.activation_function()
    labels = np.asarray(shallow.predict(model.params, points, activation=activation))
  sys.stdout.write("".join(",".join(str(int(v)) for v in row) + "\n" for row in labels))
  return 0
