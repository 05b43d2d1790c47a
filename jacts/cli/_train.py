"""``jacts train``: the lecture's network trained from the command line, with the activation's
defaults (_defaults.py), the cost log as the course prints it, a note on a cost that does not
fall (_trend.py), and the model and figures written only after a run that did not diverge."""

import warnings

from jacts.cli._arguments import UserError, figure, pyplot_or_error, writable
from jacts.cli._defaults import training_settings
from jacts.cli._trend import trend_note


def outputs(args) -> tuple:
  """Train's (--save, --plot, --plot-costs) targets, each checked before training, or None."""
  save = writable(args.save) if args.save else None
  plot, costs = (figure(text) if text else None for text in (args.plot, args.plot_costs))
  paths = [path.resolve() for path in (save, plot, costs) if path]
  if len(set(paths)) < len(paths):  # The second write would replace the first.
    raise UserError("--save, --plot and --plot-costs must name different files")
  return save, plot, costs


def run(args, progress, dataset_functions: dict[str, str]) -> int:
  """Trains, prints the costs and accuracy, then writes what was asked for (not if it diverged).

  ``progress(total, disable=...)`` makes the progress bar; ``dataset_functions`` maps each
  --dataset to the function of jacts.datasets that makes it.
  """
  targets = outputs(args)  # Before training, so that a typo does not waste the run.
  import jax

  jax.config.update("jax_enable_x64", args.dtype == "float64")
  import jax.numpy as jnp
  import optax

  from jacts import datasets, models, shallow

  dtype = jnp.dtype(args.dtype)
  X, Y = (
    jnp.asarray(a, dtype) for a in getattr(datasets, dataset_functions[args.dataset])()
  )  # Once.
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
  params, costs = _fit(args, model, optimizer, X, Y, settings.lr, progress, written=any(targets))
  accuracy = 100 * float(shallow.accuracy(params, X, Y, activation=activation))
  print(f"Training accuracy: {accuracy:.2f} %")
  final = float(shallow.cost(params, X, Y, activation=activation))
  logged = initial or costs
  note = trend_note(
    [*logged, final], [i * args.log_every for i in range(len(logged))] + [args.steps]
  )
  if note:
    print(note)
  _write(args, targets, model._replace(params=params), costs, accuracy, X, Y)
  return 0


def _fit(args, model, optimizer, X, Y, lr: float, progress, *, written: bool):
  """Trains in chunks of --log-every steps, printing each cost; raises UserError on divergence."""
  import numpy as np

  from jacts import shallow

  params, activation = model.params, model.activation_function()
  opt_state = optimizer.init(params)
  costs = []
  chunk = min(args.log_every, args.steps)
  with progress(args.steps, disable=args.no_progress) as bar:
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


def _write(args, targets, model, costs, accuracy, X, Y) -> None:
  """Saves the model and draws the figures asked for, reporting each file written."""
  import numpy as np

  from jacts import models, shallow

  save, plot, plot_costs = targets
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
