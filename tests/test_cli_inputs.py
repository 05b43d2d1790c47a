"""The jacts command on hostile inputs: one line on stderr, and nothing the user had is lost."""

import functools
import io
import os
import pathlib
import subprocess
import sys
import warnings
import zipfile

import jax
import numpy as np
import pytest
from test_cli import PNG_SIGNATURE, assert_one_line_error, jacts_command

import jacts
import jacts.shallow as shallow
from jacts import cli, models

DIVERGING = ("train", "--activation", "relu", "--lr", "1e6", "--steps", "200", "--log-every", "100")


@pytest.fixture
def keep_x64():
  """Restores JAX's 64-bit flag after a test that runs `jacts train` in-process."""
  before = jax.config.jax_enable_x64
  yield
  jax.config.update("jax_enable_x64", before)


def run(capsys, *args):
  """`jacts ARGS` in-process: (exit status, stdout, stderr); argparse's exits give their status."""
  try:
    code = cli.main([str(arg) for arg in args])
  except SystemExit as exit:
    code = exit.code
  captured = capsys.readouterr()
  return code, captured.out, captured.err


def assert_error(result, code, message):
  """Exactly one stderr line, `jacts: error: MESSAGE`, and nothing on stdout."""
  assert result == (code, "", f"jacts: error: {message}\n")


def save_model(path, W1, b1, W2, b2, dtype=np.float64, activation="tanh"):
  params = shallow.Params(*(np.asarray(p, dtype) for p in (W1, b1, W2, b2)))
  models.save(path, models.Model(params, activation))
  return path


def boundary_model(path, dtype=np.float64):
  """One tanh unit: label 1 exactly where x1 > 1 (p = sigmoid(tanh(x1 - 1)))."""
  return save_model(path, [[1.0, 0.0]], [-1.0], [[1.0]], [0.0], dtype)


def predict(capsys, model, csv_path, text, encoding="utf-8"):
  csv_path.write_bytes(text.encode(encoding))
  return run(capsys, "predict", "--model", model, "--input", csv_path)


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
  with cli._progress(10, disable=False) as bar:
    bar.write("Cost after iteration 0: 0.5")
    bar.update(10)
  assert capsys.readouterr() == ("Cost after iteration 0: 0.5\n", "")


# 2. Predict.


def test_predict_reads_a_csv_that_starts_with_a_byte_order_mark(tmp_path, capsys):
  model = boundary_model(tmp_path / "m.npz")
  csv = tmp_path / "points.csv"
  assert predict(capsys, model, csv, "2.0,0.0\n0.0,0.0\n", "utf-8-sig") == (0, "1\n0\n", "")
  assert predict(capsys, model, csv, "x1,x2\n2.0,0.0\n", "utf-8-sig") == (0, "1\n", "")


@pytest.mark.parametrize(
  ("text", "message"),
  [
    ("1.0,2.o\n3,4\n", "line 1: not a row of numbers: field 2 is '2.o'"),
    ("x1,2\n3,4\n", "line 1: not a row of numbers: field 1 is 'x1'"),
    ("x1,x2\n3,4\n5,\n", "line 3: not a row of numbers: field 2 is ''"),
    ("\n\n1,2\n3,4,5\n", "line 4: 3 columns; the model takes 2"),
  ],
  ids=["typo in the first row", "half a header", "empty field", "columns"],
)
def test_a_first_row_with_a_number_is_data_and_its_errors_name_line_and_field(
  tmp_path, capsys, text, message
):
  model = boundary_model(tmp_path / "m.npz")
  csv = tmp_path / "points.csv"
  assert_error(predict(capsys, model, csv, text), 1, f"{csv}, {message}")


def test_predict_evaluates_a_float64_model_in_float64(tmp_path, capsys, x64):
  model = boundary_model(tmp_path / "m.npz")
  x1 = 1.0 + np.arange(-50, 51) * 1e-12  # All 1.0 in float32: the labels would all be the same.
  points = np.c_[x1, np.zeros_like(x1)]
  csv = tmp_path / "points.csv"
  text = "".join(f"{a!r},{b!r}\n" for a, b in points.tolist())  # Exactly these float64 values.
  with jax.enable_x64(False):
    code, out, err = predict(capsys, model, csv, text)
  assert (code, err) == (0, "")
  loaded = models.load(model)
  expected = shallow.predict(loaded.params, points, activation=loaded.activation_function())
  assert out.split() == [str(int(v)) for v in np.asarray(expected)[:, 0]]
  assert out.split() == [str(int(v)) for v in x1 > 1.0]


def test_predict_leaves_jaxs_64_bit_flag_as_it_was(tmp_path, capsys):
  before = jax.config.jax_enable_x64
  model = boundary_model(tmp_path / "m.npz")
  assert predict(capsys, model, tmp_path / "p.csv", "2,0\n")[0] == 0
  assert jax.config.jax_enable_x64 == before


def test_predict_prints_every_output_of_a_model_with_several(tmp_path, capsys):
  model = save_model(tmp_path / "m.npz", [[1.0, 0.0]], [-1.0], [[1.0], [-1.0]], [0.0, 0.0])
  assert predict(capsys, model, tmp_path / "p.csv", "2,0\n0,0\n") == (0, "1,0\n0,1\n", "")


@pytest.mark.parametrize(
  ("dtype", "value", "message"),
  [
    (np.float32, "1e39", "1e39 is beyond the range of the model's float32"),
    (np.float32, "-3.5e38", "-3.5e38 is beyond the range of the model's float32"),
    (np.float64, "1e400", "1e400 is beyond the range of the model's float64"),
    (np.float16, "70000", "70000 is beyond the range of the model's float16"),
    (np.float32, "nan", "NaN or infinite value 'nan' (field 1)"),
    (np.float64, "-Infinity", "NaN or infinite value '-Infinity' (field 1)"),
  ],
  ids=["float32", "negative", "float64", "float16", "nan", "inf"],
)
def test_values_beyond_the_models_range_are_not_called_infinite(
  tmp_path, capsys, dtype, value, message
):
  model = boundary_model(tmp_path / "m.npz", dtype)
  csv = tmp_path / "points.csv"
  result = predict(capsys, model, csv, f"1,2\n3,4\n{value},0\n")
  assert_error(result, 1, f"{csv}, line 3: {message}")


def test_the_largest_float32_is_in_range(tmp_path, capsys):
  model = boundary_model(tmp_path / "m.npz", np.float32)
  assert predict(capsys, model, tmp_path / "p.csv", "3.4028234e38,0\n") == (0, "1\n", "")


def damaged(path: pathlib.Path) -> pathlib.Path:
  """A compressed model whose deflated W1 is garbled (zlib.error, not a ValueError, on reading)."""
  with np.load(boundary_model(path)) as archive:
    contents = {name: archive[name] for name in archive.files}
  np.savez_compressed(path, **contents)
  with zipfile.ZipFile(path) as archive:
    start = archive.getinfo("W1.npy").header_offset + 60
  data = bytearray(path.read_bytes())
  data[start : start + 20] = bytes(b ^ 0x55 for b in data[start : start + 20])
  path.write_bytes(bytes(data))
  return path


def folder(path: pathlib.Path) -> pathlib.Path:
  path.mkdir()
  return path


def file(contents: bytes):
  def make(path: pathlib.Path) -> pathlib.Path:
    path.write_bytes(contents)
    return path

  return make


@pytest.mark.parametrize(
  "make",
  [damaged, folder, file(b""), file(b"W1,b1\n"), file(b"PK\x03\x04 half an archive")],
  ids=["garbled archive", "folder", "empty", "text", "truncated"],
)
def test_any_failure_loading_the_model_is_one_line(tmp_path, capsys, make):
  model = make(tmp_path / "m.npz")
  code, out, err = predict(capsys, model, tmp_path / "p.csv", "1,2\n")
  assert (code, out) == (1, "")
  assert err.count("\n") == 1 and err.startswith(f"jacts: error: {model}: ")


def test_predict_binds_the_stored_arguments_of_any_elementwise_activation(tmp_path, capsys):
  weights = shallow.lecture_params(2, 4, 1)
  weights = weights._replace(W1=100 * weights.W1, W2=100 * weights.W2)  # So that z reaches < 0.
  points = np.array([[x, y] for x in (-3.0, -1.0, 0.5, 2.0) for y in (-2.0, 0.0, 1.5, 3.0)])
  half, plain = functools.partial(jacts.elu, alpha=0.5), jacts.elu
  z_half, z_plain = (
    shallow.forward(weights, points, activation=g)[1].Z2[:, 0] for g in (half, plain)
  )
  # The output bias that puts the threshold between the two activations' outputs at one point:
  # alpha = 0.5 and the default alpha = 1 label it differently.
  i = int(np.argmax(np.abs(z_half - z_plain)))
  weights = weights._replace(b2=weights.b2 - (z_half[i] + z_plain[i]) / 2)
  model = tmp_path / "elu.npz"
  models.save(model, models.Model(weights, "elu", arguments=(("alpha", 0.5),)))
  code, out, err = predict(
    capsys, model, tmp_path / "p.csv", "".join(f"{a},{b}\n" for a, b in points)
  )
  assert (code, err) == (0, "")
  expected = np.asarray(shallow.predict(weights, points, activation=half))[:, 0]
  assert out.split() == [str(int(v)) for v in expected]
  plain_labels = np.asarray(shallow.predict(weights, points, activation=plain))[:, 0]
  assert expected[i] != plain_labels[i]


def test_train_offers_the_elementwise_activations_only(capsys):
  code, out, _ = run(capsys, "train", "--help")
  assert code == 0
  shown = "".join(out.split())
  assert "{" + ",".join(models.ACTIVATIONS) + "}" in shown
  for name in ("glu", "softmax", "log_softmax"):
    code, out, err = run(capsys, "train", "--activation", name)
    assert (code, out) == (2, "") and len(err.splitlines()) == 1
    assert err.startswith(
      f"jacts: error: argument --activation: {name} is not elementwise (each of its outputs "
      f"depends on other entries along its axis), so it cannot be a hidden activation; choose "
      f"from {', '.join(models.ACTIVATIONS)}"
    )
  code, _, err = run(capsys, "train", "--activation", "swish")
  assert code == 2 and "argument --activation: invalid choice: 'swish'" in err


@pytest.mark.parametrize("name", ["glu", "softmax", "log_softmax"])
def test_predict_refuses_a_model_file_naming_a_non_elementwise_activation(tmp_path, capsys, name):
  model = boundary_model(tmp_path / "model.npz")
  with zipfile.ZipFile(model) as archive:
    members = {info.filename: archive.read(info) for info in archive.infolist()}
  buffer = io.BytesIO()
  np.save(buffer, np.array(name))
  members["activation.npy"] = buffer.getvalue()
  with zipfile.ZipFile(model, "w") as archive:
    for member, data in members.items():
      archive.writestr(member, data)
  result = predict(capsys, model, tmp_path / "points.csv", "x1,x2\n0.5,0.5\n")
  assert_error(
    result,
    1,
    f"{model}: `activation`: {name} is not elementwise, so it cannot be a hidden activation; one "
    f"of {sorted(models.ACTIVATIONS)}.",
  )


def test_train_saves_a_model_of_a_new_activation_with_its_own_defaults(tmp_path, keep_x64):
  path = tmp_path / "selu.npz"
  argv = ("train", "--activation", "selu", "--steps", "2", "--log-every", "1", "--no-progress")
  assert cli.main([*argv, "--dtype", "float32", "--save", str(path)]) == 0
  loaded = models.load(path)
  assert (loaded.activation, loaded.arguments) == ("selu", ())
  assert loaded.activation_function() is jacts.selu


# 3. Seeds.


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


# 4. Figure paths.


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


def test_a_first_row_with_the_wrong_number_of_fields_is_no_header(tmp_path):
  model = tmp_path / "model.npz"
  models.save(model, models.Model(shallow.lecture_params(2, 4, 1), "tanh"))
  points = tmp_path / "points.csv"
  points.write_text("1.0;2.0\n3.0,4.0\n")
  result = jacts_command("predict", "--model", str(model), "--input", str(points))
  assert_one_line_error(result, 1, "line 1")


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
  assert "The jacts command: train, check, plot and predict." in shown
  assert "``" not in shown
