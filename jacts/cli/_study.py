"""``jacts study relu0``: its arguments, and the run that prints the tables and writes the files."""

import time

from jacts.cli._arguments import (
  FIG,
  STUDY_ARCHITECTURES,
  STUDY_DTYPES,
  STUDY_INITS,
  STUDY_MATMUL,
  Parser,
  UserError,
  dtypes,
  figure,
  matmul,
  positive_float,
  positive_int,
  protocols,
  seed,
  widths,
  writable,
)


def add_study_command(commands, caching, datasets, run) -> None:
  """Adds ``study relu0`` to the parser's ``commands``; ``run(args)`` carries it out."""
  study = commands.add_parser(
    "study",
    help="measure when a convention of jacts matters",
    epilog="example: jacts study relu0 --json relu0.json --plot relu0.png",
  )
  studies = study.add_subparsers(dest="study", required=True, parser_class=Parser)
  relu0 = studies.add_parser(
    "relu0",
    parents=[caching],
    help="when ReLU'(0) = 0 or 1 changes backprop and training, per precision",
    epilog="example: jacts study relu0 --protocol paper --widths 64,256 --dtypes float16,float32",
  )
  relu0.add_argument(
    "--dataset",
    choices=("digits", *datasets),
    default="digits",
    help="digits (default): scikit-learn's 8x8 digits, the study extra",
  )
  relu0.add_argument(
    "--draws",
    type=positive_int,
    default=100,
    help="random initializations per configuration (default 100)",
  )
  relu0.add_argument(
    "--widths",
    type=widths,
    default=(16, 64, 256, 512, 1024),
    help="hidden widths, comma-separated (default 16,64,256,512,1024, the paper's)",
  )
  relu0.add_argument("--depth", type=positive_int, default=3, help="hidden layers (default 3)")
  relu0.add_argument(
    "--protocol",
    type=protocols,
    default=("draw", "paper"),
    help="draw: one random mini-batch per initialization; paper: every batch of one pass, in "
    "order, up to the first difference, with PyTorch's init and the paper's MLP (default both)",
  )
  relu0.add_argument(
    "--batch-size",
    type=positive_int,
    help="rows per mini-batch (default: 128 draw and training, 100 paper)",
  )
  relu0.add_argument(
    "--init",
    choices=STUDY_INITS,
    help="he: N(0, 2/fan_in), zero biases; torch: nn.Linear's U(+-1/sqrt(fan_in)) "
    "(default: he draw, torch paper)",
  )
  relu0.add_argument(
    "--architecture",
    choices=STUDY_ARCHITECTURES,
    help="multilayer: ReLU after every hidden layer; paper: none after the first "
    "(default: multilayer draw, paper paper)",
  )
  relu0.add_argument(
    "--matmul",
    type=matmul,
    help=f"matrix products, comma-separated among {','.join(STUDY_MATMUL)}: exact, TensorFloat-32 "
    "inputs (emulated), the backend's own default (default float32,tf32, and default on a GPU)",
  )
  relu0.add_argument(
    "--dtypes",
    type=dtypes,
    default=STUDY_DTYPES,
    help=f"comma-separated among {','.join(STUDY_DTYPES)} (default all)",
  )
  relu0.add_argument(
    "--seed", type=seed, default=0, help="data split, draws and batches (default 0)"
  )
  relu0.add_argument(
    "--steps",
    type=positive_int,
    default=1000,
    help="SGD steps of the training runs (default 1000)",
  )
  relu0.add_argument(
    "--lr", type=positive_float, default=0.1, help="SGD step size of training (default 0.1)"
  )
  relu0.add_argument(
    "--train-width",
    type=positive_int,
    default=64,
    help="hidden width of the training runs (default 64)",
  )
  relu0.add_argument("--json", metavar="OUT.json", help="write every measurement as JSON")
  relu0.add_argument("--plot", metavar="OUT.png", help="save the figure" + FIG)
  relu0.add_argument("--no-progress", action="store_true", help="no progress bar (none on a pipe)")
  relu0.set_defaults(run=run)


def run_relu0(args, progress, datasets) -> int:
  """Runs the ReLU'(0) study, prints its tables, then writes the JSON and the figure asked for."""
  json_path = writable(args.json) if args.json else None
  plot = figure(args.plot) if args.plot else None  # Before any work, as train's outputs.
  if json_path and plot and json_path.resolve() == plot.resolve():
    raise UserError("--json and --plot must name different files")
  if args.dataset == "digits":
    try:
      import sklearn  # noqa: F401
    except ImportError:
      raise UserError(
        'the digits data set needs scikit-learn: pip install "jacts[study]" (or scikit-learn), '
        "or choose a --dataset among " + ", ".join(datasets)
      ) from None
  from jacts import study

  modes = args.matmul or study.default_matmul()
  programs = study.programs(args.protocol, modes, args.dtypes, args.widths)
  print(
    f"ReLU'(0) on {args.dataset}: {args.draws} initializations per configuration, protocols "
    f"{','.join(args.protocol)}, depth {args.depth}, widths {','.join(map(str, args.widths))}, "
    f"{','.join(args.dtypes)}, matmul {','.join(modes)}; training {args.steps} SGD "
    f"steps at width {args.train_width}"
  )
  start = time.perf_counter()
  with progress(programs, disable=args.no_progress) as bar:
    report = study.relu0(
      args.dataset, draws=args.draws, widths=args.widths, depth=args.depth,
      protocols=args.protocol, batch_size=args.batch_size, init=args.init,
      architecture=args.architecture, matmul=modes, dtypes=args.dtypes, seed=args.seed,
      steps=args.steps, learning_rate=args.lr, train_width=args.train_width,
      progress=lambda description: bar.update(1),
    )  # fmt: skip
  print(study.table(report))
  print(f"Measured in {time.perf_counter() - start:.1f} s")
  if json_path:
    json_path.write_text(report.to_json() + "\n")
    print(f"Measurements saved to {json_path}")
  if plot:
    study.figure(report).savefig(plot, dpi=110)
    print(f"Figure saved to {plot}")
  return 0
