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

# Only what the parser needs is imported here: JAX, NumPy and the commands' modules load when a
# command runs, so that --version and every --help answer at once.
from jacts.cli import _study, _train
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
)
from jacts.cli._defaults import OPTIMIZER_LEARNING_RATES

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
  train.set_defaults(run=lambda args: _train.run(args, _progress, DATASETS))

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
