"""The jacts command: what it prints and writes, its exit codes, and its one-line errors."""

import pathlib
import subprocess
import sys

import numpy as np
import pytest
from cli_helpers import PNG_SIGNATURE, assert_one_line_error, jacts_command

import jacts.shallow as shallow
from jacts import cli, models


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
  """One default training run (the lecture's), with every output asked for."""
  folder = tmp_path_factory.mktemp("train")
  result = jacts_command(
      "train", "--no-progress", "--save", "model.npz", "--plot", "boundary.png",
      "--plot-costs", "costs.png", cwd=folder,
  )  # fmt: skip
  return result, folder


def test_train_defaults_reproduce_the_lectures_run(trained):
  result, _ = trained
  assert result.returncode == 0, result.stderr
  assert "Cost after iteration 0: 0.693048" in result.stdout
  assert "Cost after iteration 7000: 0.217504" in result.stdout
  assert "Training accuracy: 90." in result.stdout


def test_train_writes_the_model_and_both_pictures(trained, x64):  # The model is float64.
  _, folder = trained
  for name in ("boundary.png", "costs.png"):
    assert (folder / name).read_bytes().startswith(PNG_SIGNATURE)
  model = models.load(folder / "model.npz")
  assert model.activation == "tanh"
  assert model.params.W1.shape == (4, 2)


def test_train_other_options():
  result = jacts_command(
      "train", "--dataset", "moons", "--hidden", "6", "--activation", "leaky_relu",
      "--optimizer", "adam", "--lr", "0.05", "--steps", "600", "--log-every", "200",
      "--init", "random", "--seed", "3", "--dtype", "float32", "--no-progress",
  )  # fmt: skip
  assert result.returncode == 0, result.stderr
  assert result.stdout.count("Cost after iteration") == 3
  assert "Training accuracy:" in result.stdout


def test_check_holds_for_every_activation():
  result = jacts_command("check")
  assert result.returncode == 0, result.stderr
  for name in ("sigmoid", "tanh", "relu", "leaky_relu"):
    assert f"\n{name} " in result.stdout
  assert "z <= -88.7" in result.stdout
  assert "All rows hold." in result.stdout
  lines = result.stdout.splitlines()
  start = next(i for i, line in enumerate(lines) if line.startswith("activation"))
  header, table = lines[start], lines[start + 2 : lines.index("", start)]
  assert len(table) >= 20 and all(line.endswith("  yes") for line in table)
  assert {len(line) for line in table} == {len(header) + 1}, "a column overflows"  # ok -> yes


def test_console_script_is_installed():
  script = pathlib.Path(sys.executable).parent / "jacts"
  if not script.exists():
    pytest.skip("jacts is not installed as a console script in this environment")
  result = subprocess.run([str(script), "--help"], capture_output=True, text=True, check=False)
  assert result.returncode == 0 and "train" in result.stdout


def test_plot_writes_the_activation_figure(tmp_path):
  out = tmp_path / "activations.png"
  assert cli.main(["plot", str(out)]) == 0
  assert out.read_bytes().startswith(PNG_SIGNATURE)


def saved_model(folder: pathlib.Path) -> pathlib.Path:
  params = shallow.lecture_params(2, 4, 1)
  path = folder / "model.npz"
  models.save(path, models.Model(params, "relu", derivative_at_zero=0.0))
  return path


def test_predict_prints_one_label_per_row_as_the_library_does(tmp_path, capsys):
  path = saved_model(tmp_path)
  points = np.array([[0.5, 3.0], [-3.0, 0.2], [1.5, -2.0], [0.0, 0.0]])
  csv = tmp_path / "points.csv"
  csv.write_text("x1,x2\n" + "".join(f"{a},{b}\n" for a, b in points))
  assert cli.main(["predict", "--model", str(path), "--input", str(csv)]) == 0
  printed = capsys.readouterr().out.split()
  model = models.load(path)
  expected = shallow.predict(model.params, points, activation=model.activation_function())
  assert printed == [str(int(v)) for v in np.asarray(expected)[:, 0]]


def test_save_and_load_round_trip_keeps_everything(tmp_path):
  params = shallow.init_params(__import__("jax").random.key(0), 3, 5, 2)
  path = tmp_path / "m.npz"
  original = models.Model(params, "leaky_relu", negative_slope=0.2, derivative_at_zero=0.2)
  models.save(path, original)
  loaded = models.load(path)
  for got, want in zip(loaded.params, params, strict=True):
    np.testing.assert_array_equal(got, want)
  assert loaded[1:] == original[1:]


def test_an_interrupted_save_leaves_neither_a_partial_model_nor_a_temporary_file(
  tmp_path, monkeypatch
):
  def crash(file, **arrays):
    file.write(b"PK\x03\x04 half an archive")
    raise KeyboardInterrupt

  monkeypatch.setattr(np, "savez", crash)
  with pytest.raises(KeyboardInterrupt):
    models.save(tmp_path / "model.npz", models.Model(shallow.lecture_params(2, 4, 1), "tanh"))
  assert list(tmp_path.iterdir()) == []


def test_an_interrupted_save_keeps_the_previous_model(tmp_path, monkeypatch):
  path = saved_model(tmp_path)
  before = path.read_bytes()
  monkeypatch.setattr(np, "savez", lambda file, **arrays: (_ for _ in ()).throw(OSError))
  with pytest.raises(OSError):
    models.save(path, models.Model(shallow.lecture_params(2, 7, 1), "tanh"))
  assert path.read_bytes() == before
  assert [p.name for p in tmp_path.iterdir()] == ["model.npz"]


def corrupt(path: pathlib.Path, **changes) -> pathlib.Path:
  with np.load(path) as archive:
    contents = {name: archive[name] for name in archive.files}
  contents.update(changes)
  np.savez(path, **contents)
  return path


@pytest.mark.parametrize(
  ("changes", "message"),
  [
    ({"format_version": np.array(99)}, "format version 99"),
    ({"activation": np.array("swish")}, "unknown activation 'swish'"),
    ({"n_h": np.array(5)}, "`W1` has shape (4, 2)"),
    ({"W2": np.array([[np.nan, 0.0, 0.0, 0.0]])}, "`W2` holds NaN"),
    ({"format": np.array("something else")}, "not a jacts model file"),
  ],
  ids=["version", "activation", "sizes", "non-finite", "format"],
)
def test_load_refuses_corrupt_or_mismatched_files_in_one_line(tmp_path, changes, message):
  path = corrupt(saved_model(tmp_path), **changes)
  with pytest.raises(models.ModelFileError, match=message.replace("(", r"\(").replace(")", r"\)")):
    models.load(path)


def test_load_refuses_a_file_that_is_not_an_archive(tmp_path):
  path = tmp_path / "model.npz"
  path.write_text("not a model")
  with pytest.raises(models.ModelFileError, match=r"not an \.npz archive"):
    models.load(path)


@pytest.mark.parametrize(
  ("args", "code", "message"),
  [
    (["train", "--activation", "swish"], 2, "invalid choice: 'swish'"),
    (["train", "--steps", "-3"], 2, "expected a positive integer, got '-3'"),
    (["train", "--lr", "fast"], 2, "expected a positive number, got 'fast'"),
    (["train", "--save", "/no/such/folder/m.npz"], 1, "folder /no/such/folder does not exist"),
    (["predict", "--model", "missing.npz", "--input", "p.csv"], 1, "missing.npz: no such file"),
    (["frobnicate"], 2, "invalid choice: 'frobnicate'"),
  ],
  ids=["activation", "steps", "lr", "save folder", "missing model", "command"],
)
def test_user_mistakes_print_one_line_and_exit_non_zero(tmp_path, args, code, message):
  assert_one_line_error(jacts_command(*args, cwd=tmp_path), code, message)


def test_wrong_column_count_and_bad_rows_in_the_input(tmp_path, capsys):
  path = saved_model(tmp_path)
  cases = {"1,2,3\n": "line 1: 3 columns; the model takes 2", "1,2\n1,oops\n": "line 2: not a row"}
  for text, message in cases.items():
    csv = tmp_path / "points.csv"
    csv.write_text(text)
    assert cli.main(["predict", "--model", str(path), "--input", str(csv)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and message in err


def test_predict_with_a_corrupt_model_is_one_line(tmp_path, capsys):
  path = corrupt(saved_model(tmp_path), activation=np.array("swish"))
  csv = tmp_path / "points.csv"
  csv.write_text("1,2\n")
  assert cli.main(["predict", "--model", str(path), "--input", str(csv)]) == 1
  assert "unknown activation 'swish'" in capsys.readouterr().err


def test_no_command_prints_help_and_exits_2():
  result = jacts_command()
  assert result.returncode == 2
  for command in ("train", "check", "plot", "predict"):
    assert command in result.stdout
