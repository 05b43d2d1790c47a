"""`jacts train --activation X` with no other flag trains every activation well: its own
optimizer, learning rate and initial weights' scale (jacts/cli/_defaults.py, measured by
benchmarks/training_defaults.py), printed in the header; tanh keeps the lecture's exact run."""

import pathlib
import re

import pytest
from cli_helpers import run

from jacts.cli._arguments import TRAINABLE
from jacts.cli._defaults import GOAL, LECTURE, TRAINING_DEFAULTS
from jacts.cli._trend import cost_falls, trend_note


def train(capsys, *args):
  code, out, err = run(capsys, "train", "--no-progress", "--no-cache", *args)
  assert code == 0 and err == "", err
  costs = [float(c) for c in re.findall(r"^Cost after iteration \d+: (\S+)$", out, re.M)]
  accuracy = float(re.search(r"^Training accuracy: (\S+) %$", out, re.M)[1])
  return out, costs, accuracy


@pytest.mark.parametrize("activation", [a for a in TRAINABLE if a != "identity"])
def test_every_activation_reaches_the_goal_with_its_defaults(
  capsys, keep_x64, optax_promotion, activation
):
  out, costs, accuracy = train(capsys, "--activation", activation)
  optimizer, lr, scale = TRAINING_DEFAULTS.get(activation, LECTURE)
  header, chosen = out.splitlines()[:2]
  assert f": {optimizer}, learning rate {lr}, initial weights' scale {scale}," in header
  assert chosen.startswith(f"Defaults for {activation} (")
  assert chosen.endswith(
    f"optimizer {optimizer}, learning rate {lr}, initial weights' scale {scale}"
  )
  assert accuracy >= 100 * GOAL, out
  assert len(costs) == 10 and costs[-1] < costs[0], out
  assert "Note:" not in out, out


def test_tanh_keeps_the_lectures_run_exactly(capsys, keep_x64):
  out, costs, accuracy = train(capsys)  # tanh is the default activation
  assert "tanh" not in TRAINING_DEFAULTS
  assert "Defaults for tanh (the lecture's): optimizer sgd, learning rate 1.2," in out
  assert [f"{c:.6f}" for c in costs[:8]] == [
    "0.693048", "0.288083", "0.254385", "0.233864", "0.226792", "0.222644", "0.219731", "0.217504"
  ]  # fmt: skip
  assert accuracy == 90.50


def test_flags_replace_the_defaults_one_by_one(capsys, keep_x64, optax_promotion):
  out, _, _ = train(capsys, "--activation", "tanh", "--optimizer", "adam", "--steps", "10",
                    "--log-every", "10")  # fmt: skip
  assert "adam, learning rate 0.01, initial weights' scale 0.01," in out  # adam's own rate
  assert (
    "Defaults for tanh (the lecture's): initial weights' scale 0.01; learning rate 0.01, adam's "
    "own (tanh's is for sgd)\n"
  ) in out
  out, _, _ = train(capsys, "--lr", "0.5", "--init-scale", "0.1", "--optimizer", "sgd",
                    "--steps", "10", "--log-every", "10")  # fmt: skip
  assert "sgd, learning rate 0.5, initial weights' scale 0.1," in out
  assert "Defaults for" not in out  # Nothing was left to a default.


def test_identity_trains_a_linear_model_and_says_so(capsys, keep_x64):
  out, costs, accuracy = train(capsys, "--activation", "identity", "--steps", "2000")
  assert "Note: with identity as its hidden activation the network is a linear model" in out
  assert accuracy < 100 * GOAL and costs[-1] < costs[0]


def test_log1mexp_is_refused_with_the_reason(capsys):
  code, out, err = run(capsys, "train", "--activation", "log1mexp")
  assert code == 2 and out == ""
  assert err.startswith("jacts: error: argument --activation: log1mexp(z) = log(1 - e^-z) is NaN "
                        "for z < 0")  # fmt: skip


def test_a_diverging_run_names_the_default_learning_rate(capsys, keep_x64):
  code, out, err = run(capsys, "train", "--activation", "identity", "--dataset", "blobs",
                       "--no-progress", "--no-cache")  # fmt: skip
  assert code == 1 and "Training accuracy" not in out
  assert err == (
    "jacts: error: training diverged: the weights became NaN or infinite between iterations 0 "
    "and 1000 (learning rate 1.2); try a smaller learning rate\n"
  )


def test_with_fewer_steps_than_log_every_the_trend_starts_at_the_initial_cost(capsys, keep_x64):
  out, costs, _ = train(capsys, "--lr", "40", "--steps", "300", "--log-every", "1000")
  assert costs == []
  assert "Note: the cost ended at " in out and "above where it started (0.693048)" in out


def test_a_rising_cost_is_reported_in_one_line(capsys, keep_x64):
  out, _, _ = train(capsys, "--lr", "40", "--steps", "3000", "--log-every", "1000")
  notes = [line for line in out.splitlines() if line.startswith("Note:")]
  assert len(notes) == 1, out
  assert re.fullmatch(r"Note: the cost (ended at|rose from) .+", notes[0]), notes


@pytest.mark.parametrize(
  ("costs", "falls"),
  [
    ([0.69, 0.5, 0.3, 0.29], True),
    ([0.69, 0.5, 0.504, 0.3], True),  # A rise within 1 %.
    ([0.69, 0.5, 0.52, 0.3], False),  # A rise of 4 %.
    ([0.69, 0.5, 0.7], False),  # Ends above the start.
    ([0.69, float("nan")], False),
  ],
)
def test_cost_falls_is_the_sweeps_and_the_commands_criterion(costs, falls):
  assert cost_falls(costs) is falls


def test_trend_note_names_where_the_cost_rose_or_that_it_ended_above_its_start():
  at = [0, 1000, 2000, 3000, 5000]
  assert trend_note([0.69, 0.5, 0.4, 0.3, 0.2], at) is None
  assert trend_note([0.69, 0.5, 0.6, 0.3, 0.2], at) == (
    "Note: the cost rose from 0.500000 at iteration 1000 to 0.600000 at iteration 2000: the "
    "learning rate may be too large (--lr)"
  )
  assert trend_note([0.69, 0.5, 0.4, 0.3, 0.35], at).startswith(
    "Note: the cost rose from 0.300000 at iteration 3000 to 0.350000 at iteration 5000:"
  )
  for ended_above in ([0.69, 3.0, 2.0, 1.0, 0.7], [0.69, 0.5, 0.4, 0.3, float("nan")]):
    assert trend_note(ended_above, at) == (
      f"Note: the cost ended at {ended_above[-1]:.6f}, above where it started (0.690000): "
      "training did not converge; try a smaller --lr or another --optimizer"
    )


def test_the_published_table_shows_the_defaults_the_command_uses():
  table = pathlib.Path(__file__).parents[2] / "benchmarks" / "results" / "training_defaults.md"
  lines = table.read_text().splitlines()
  rows = [line.strip("| ").split(" | ") for line in lines[lines.index("") + 3 :] if line]
  assert [row[0] for row in rows] == list(TRAINABLE)
  for name, _, shown, flower, *_ in rows:
    optimizer, lr, scale = TRAINING_DEFAULTS.get(name, LECTURE)
    lecture = "" if name in TRAINING_DEFAULTS else " (lecture)"
    assert shown == f"{optimizer} {lr:g}, scale {scale:g}{lecture}"
    assert name == "identity" or float(flower.rstrip(" *")) >= 100 * GOAL
