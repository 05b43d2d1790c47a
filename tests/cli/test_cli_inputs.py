"""The jacts command on hostile inputs, training and figures: a diverging run keeps the old model
and draws nothing; seeds outside RandomState's range are refused as they are parsed; figure paths
get a format matplotlib can write and never name a folder or each other; the compilation cache is
read back, or left alone, without a word. One line on stderr, and nothing the user had is lost."""

import os
import subprocess
import sys
import warnings

import jax
import pytest
from cli_helpers import (
  PNG_SIGNATURE,
  assert_error,
  assert_one_line_error,
  jacts_command,
  run,
  save_model,
)

import jacts.shallow as shallow
from jacts import cli, models
from jacts.cli._main import _progress

DIVERGING = ("train", "--activation", "relu", "--optimizer", "sgd", "--lr", "1e6", "--steps", "200",
             "--log-every", "100")  # fmt: skip


# 1. Diverging training.


@pytest.mark.parametrize("progress", [(), ("--no-progress",)], ids=["bar", "no-bar"])
def test_diverging_training_keeps_the_old_model_and_draws_nothing(tmp_path, progress):
  good = save_model(tmp_path / "m.npz", [[1.0, 2.0]], [0.5], [[3.0]], [0.25])
  before = good.read_bytes()
  result = jacts_command(
    *DIVERGING, "--save", "m.npz", "--plot", "b.png", "--plot-costs", "c.png", *progress,
    cwd=tmp_path,
  )  # fmt: skip
  assert result.stderr == (
    "jacts: error: training diverged: the weights became NaN or infinite between iterations 0 "
    "and 100 (learning rate 1000000.0); nothing was saved\n"
  )
  assert_one_line_error(result, 1, "training diverged")
  assert "Training accuracy" not in result.stdout and "saved" not in result.stdout
  assert good.read_bytes() == before
  assert sorted(p.name for p in tmp_path.iterdir()) == ["m.npz"]


def test_divergence_is_reported_at_its_iteration_from_the_start_of_training(
  capsys, monkeypatch, keep_x64
):
  real, calls = shallow.train_steps, []

  def diverges_in_the_third_chunk(*args, **kwargs):
    calls.append(kwargs["steps"])
    result = real(*args, **kwargs)
    if len(calls) == 3:
      warnings.warn(shallow.TrainingDivergedWarning("diverged", 0), stacklevel=2)
    return result

  monkeypatch.setattr(shallow, "train_steps", diverges_in_the_third_chunk)
  args = ("train", "--steps", "50", "--log-every", "10", "--lr", "0.5", "--dtype", "float32")
  code, out, err = run(capsys, *args, "--no-progress")
  assert code == 1 and calls == [10, 10, 10]
  assert err == (
    "jacts: error: training diverged: the cost is NaN or infinite from iteration 20 on "
    "(learning rate 0.5); try a smaller learning rate\n"
  )
  assert "Cost after iteration 10:" in out and "Cost after iteration 20" not in out


def test_without_tqdm_the_progress_lines_are_printed(capsys, monkeypatch):
  monkeypatch.setitem(sys.modules, "tqdm", None)  # `import tqdm` fails.
  with _progress(10, disable=False) as bar:
    bar.write("Cost after iteration 0: 0.5")
    bar.update(10)
  assert capsys.readouterr() == ("Cost after iteration 0: 0.5\n", "")


# 2. Seeds.


@pytest.mark.parametrize("init", ["lecture", "random"])
@pytest.mark.parametrize("seed", ["99999999999999999999999", "-1", "4294967296", "1.5", "two"])
def test_seeds_outside_randomstates_range_are_refused_when_parsing(capsys, init, seed):
  result = run(capsys, "train", "--init", init, "--seed", seed)
  message = f"argument --seed: expected an integer in [0, 2**32 - 1], got {seed!r}"
  assert_error(result, 2, f"{message} (see `jacts train --help`)")


def test_the_seed_range_is_in_the_help(capsys):
  code, out, _ = run(capsys, "train", "--help")
  assert code == 0 and "[0, 2**32 - 1]" in " ".join(out.split())


@pytest.mark.parametrize("init", ["lecture", "random"])
def test_the_largest_seed_trains(tmp_path, init):
  result = jacts_command(
    "train", "--init", init, "--seed", str(2**32 - 1), "--steps", "2", "--log-every", "1",
    "--dtype", "float32", "--no-progress", cwd=tmp_path,
  )  # fmt: skip
  assert result.returncode == 0, result.stderr
  assert "Training accuracy" in result.stdout


# 3. Figure paths.


def test_plot_adds_png_to_a_name_without_a_suffix_and_reports_that_name(tmp_path, capsys):
  code, out, err = run(capsys, "plot", tmp_path / "noext")
  assert (code, err) == (0, "")
  assert out == f"Activations and their derivatives saved to {tmp_path / 'noext.png'}\n"
  assert [p.name for p in tmp_path.iterdir()] == ["noext.png"]
  assert (tmp_path / "noext.png").read_bytes().startswith(PNG_SIGNATURE)


def test_plot_writes_the_format_its_suffix_names(tmp_path, capsys):
  assert run(capsys, "plot", tmp_path / "figure.PDF")[0] == 0
  assert (tmp_path / "figure.PDF").read_bytes().startswith(b"%PDF")


@pytest.mark.parametrize(("name", "suffix"), [("out.txt", ".txt"), ("out.", ".")])
def test_plot_refuses_a_suffix_matplotlib_cannot_write(tmp_path, capsys, name, suffix):
  code, out, err = run(capsys, "plot", tmp_path / name)
  assert (code, out) == (1, "")
  start = f"jacts: error: cannot write {tmp_path / name}: matplotlib cannot write {suffix!r} files"
  assert err.startswith(f"{start}; use .") and err.count("\n") == 1
  assert ".png, " in err and ".pdf, " in err and ".svg, " in err
  assert list(tmp_path.iterdir()) == []


def test_figure_paths_that_name_a_folder_are_refused(tmp_path, capsys):
  message = f"cannot write {str(tmp_path)!r}: it names a folder, not a file"
  assert_error(run(capsys, "plot", tmp_path), 1, message)
  result = jacts_command("train", "--save", ".", "--steps", "1", cwd=tmp_path)
  assert_one_line_error(result, 1, "cannot write '.': it names a folder, not a file")
  assert result.stdout == ""


def test_train_refuses_a_figure_suffix_before_training(tmp_path):
  result = jacts_command("train", "--save", "m.npz", "--plot-costs", "costs.txt", cwd=tmp_path)
  assert_one_line_error(result, 1, "cannot write costs.txt: matplotlib cannot write '.txt' files")
  assert result.stdout == ""
  assert list(tmp_path.iterdir()) == []


def test_train_refuses_two_outputs_with_the_same_name(tmp_path):
  result = jacts_command("train", "--plot", "fig.png", "--plot-costs", "fig", cwd=tmp_path)
  assert_one_line_error(result, 1, "--save, --plot and --plot-costs must name different files")
  assert result.stdout == ""


def test_train_adds_png_to_figure_names_and_reports_the_files_written(tmp_path):
  result = jacts_command(
    "train", "--steps", "10", "--log-every", "10", "--no-progress", "--save", "model",
    "--plot", "boundary", "--plot-costs", "costs", cwd=tmp_path,
  )  # fmt: skip
  assert result.returncode == 0, result.stderr
  for line in ("Model saved to model", "Decision boundary saved to boundary.png",
               "Cost curve saved to costs.png"):  # fmt: skip
    assert f"\n{line}\n" in result.stdout
  assert sorted(p.name for p in tmp_path.iterdir()) == ["boundary.png", "costs.png", "model"]
  for name in ("boundary.png", "costs.png"):
    assert (tmp_path / name).read_bytes().startswith(PNG_SIGNATURE)
  with jax.enable_x64(True):  # A float64 model.
    assert models.load(tmp_path / "model").params.W1.shape == (4, 2)


def test_a_second_train_reads_the_compilation_cache_the_first_wrote(tmp_path):
  cache = tmp_path / "cache"
  environment = os.environ | {"JACTS_CACHE_DIR": str(cache)}
  environment.pop("JACTS_NO_CACHE")
  command = [sys.executable, "-m", "jacts", "train", "--steps", "100", "--no-progress"]
  first = subprocess.run(command, env=environment, capture_output=True, text=True, timeout=300)
  assert first.returncode == 0, first.stderr
  entries = sorted(path.name for path in cache.iterdir())
  assert entries  # The compiled programs, keyed by JAX.
  second = subprocess.run(command, env=environment, capture_output=True, text=True, timeout=300)
  assert second.returncode == 0, second.stderr
  assert second.stdout == first.stdout
  assert sorted(path.name for path in cache.iterdir()) == entries  # Read, not compiled again.


def test_no_cache_leaves_the_cache_folder_alone(tmp_path):
  cache = tmp_path / "cache"
  environment = os.environ | {"JACTS_CACHE_DIR": str(cache)}
  environment.pop("JACTS_NO_CACHE")
  command = [
    sys.executable,
    "-m",
    "jacts",
    "train",
    "--steps",
    "100",
    "--no-progress",
    "--no-cache",
  ]
  result = subprocess.run(command, env=environment, capture_output=True, text=True, timeout=300)
  assert result.returncode == 0, result.stderr
  assert not cache.exists()


def test_an_unusable_cache_folder_means_no_cache_and_no_noise(tmp_path):
  blocker = tmp_path / "a-file"
  blocker.write_text("")
  environment = os.environ | {"JACTS_CACHE_DIR": str(blocker / "cache")}
  environment.pop("JACTS_NO_CACHE")
  command = [sys.executable, "-m", "jacts", "train", "--steps", "100", "--no-progress"]
  result = subprocess.run(command, env=environment, capture_output=True, text=True, timeout=300)
  assert result.returncode == 0
  assert result.stderr == ""


def test_help_and_version_are_plain_text(capsys):
  import jacts

  with pytest.raises(SystemExit) as exit_status:
    cli.main(["--version"])
  assert exit_status.value.code == 0
  assert capsys.readouterr().out == f"jacts {jacts.__version__}\n"
  with pytest.raises(SystemExit):
    cli.main(["--help"])
  shown = capsys.readouterr().out
  assert "The jacts command: train, check, plot, predict and study." in shown
  assert "``" not in shown
