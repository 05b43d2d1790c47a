"""jacts predict on hostile inputs: CSV files (a byte order mark, a header or not, typos, empty
fields, the wrong number of columns), values beyond the range of the model's dtype, model files
that fail to load, and hidden activations a model cannot name (train offers the elementwise ones
only). A float64 model is evaluated in float64 and a model's stored arguments are bound. One line
on stderr, and nothing the user had is lost."""

import functools
import io
import pathlib
import zipfile

import jax
import numpy as np
import pytest
from cli_helpers import assert_error, assert_one_line_error, jacts_command, run, save_model

import jacts
import jacts.shallow as shallow
from jacts import cli, models
from jacts.cli._arguments import TRAINABLE


def boundary_model(path, dtype=np.float64):
  """One tanh unit: label 1 exactly where x1 > 1 (p = sigmoid(tanh(x1 - 1)))."""
  return save_model(path, [[1.0, 0.0]], [-1.0], [[1.0]], [0.0], dtype)


def predict(capsys, model, csv_path, text, encoding="utf-8"):
  csv_path.write_bytes(text.encode(encoding))
  return run(capsys, "predict", "--model", model, "--input", csv_path)


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
  trainable = [name for name in models.ACTIVATIONS if name in TRAINABLE]
  assert set(models.ACTIVATIONS) - set(trainable) == {"log1mexp"}  # NaN for z < 0.
  assert "{" + ",".join(trainable) + "}" in shown
  for name in ("glu", "softmax", "log_softmax"):
    code, out, err = run(capsys, "train", "--activation", name)
    assert (code, out) == (2, "") and len(err.splitlines()) == 1
    assert err.startswith(
      f"jacts: error: argument --activation: {name} is not elementwise (each of its outputs "
      f"depends on other entries along its axis), so it cannot be a hidden activation; choose "
      f"from {', '.join(trainable)}"
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


def test_train_saves_a_model_of_a_new_activation_with_its_own_defaults(
  tmp_path, keep_x64, optax_promotion
):
  path = tmp_path / "selu.npz"
  argv = ("train", "--activation", "selu", "--steps", "2", "--log-every", "1", "--no-progress")
  assert cli.main([*argv, "--dtype", "float32", "--save", str(path)]) == 0
  loaded = models.load(path)
  assert (loaded.activation, loaded.arguments) == ("selu", ())
  assert loaded.activation_function() is jacts.selu


def test_a_first_row_with_the_wrong_number_of_fields_is_no_header(tmp_path):
  model = tmp_path / "model.npz"
  models.save(model, models.Model(shallow.lecture_params(2, 4, 1), "tanh"))
  points = tmp_path / "points.csv"
  points.write_text("1.0;2.0\n3.0,4.0\n")
  result = jacts_command("predict", "--model", str(model), "--input", str(points))
  assert_one_line_error(result, 1, "line 1")
