"""The ReLU'(0) study: float64 never bifurcates, the JSON's layout, the command's output and its
one-line errors. Small configurations: every configuration is a compiled program."""

import io
import json
import re
import sys

import jax
import jax.numpy as jnp
import numpy as np
import pytest

from jacts import cli, study
from jacts.study import _kernels as _study_kernels

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
SMALL = ["--draws", "4", "--widths", "8", "--depth", "2", "--batch-size", "16",
         "--steps", "100", "--train-width", "8", "--dtypes", "float64"]  # fmt: skip


@pytest.fixture(scope="module")
def command(tmp_path_factory):
  """One small `jacts study relu0` run on moons (no scikit-learn needed), in this process."""
  folder = tmp_path_factory.mktemp("study")
  argv = ["study", "relu0", "--dataset", "moons", *SMALL, "--no-progress",
          "--json", str(folder / "out.json"), "--plot", str(folder / "out.png")]  # fmt: skip
  capture = pytest.MonkeyPatch()
  stdout = io.StringIO()
  capture.setattr(sys, "stdout", stdout)
  try:
    code = cli.main(argv)
  finally:
    capture.undo()
  return code, stdout.getvalue(), folder


def test_float64_shows_no_bifurcation():
  pytest.importorskip("sklearn")
  X, labels = study.load_dataset("digits")
  assert X.shape == (1797, 64) and X.min() == 0.0 and X.max() == 1.0
  assert sorted(set(labels.tolist())) == list(range(10))
  setups = {"draw": (1, "multilayer", "he"), "paper": (1797 // 64, "paper", "torch")}
  for protocol, (batches, architecture, init) in setups.items():
    [record] = study.bifurcation(
      X, labels, key=jax.random.key(0), draws=16, widths=(32,), dtypes=("float64",), depth=2,
      batch_size=64, protocol=protocol,
    )  # fmt: skip
    examined = 16 * batches  # No difference: every batch of every initialization was examined.
    assert record._replace(per_batch_high=0.0) == study.Bifurcation(
      protocol, "float64", 32, 2, architecture, init, "float32", 64, 16, batches, 0, 0.0, 0,
      0.0, examined, 0.0, 0.0, 0.0, jax.default_backend(), jax.devices()[0].device_kind,
      jax.__version__,
    )  # fmt: skip
    z = 1.959963984540054  # Wilson's upper bound at 0 of n is z^2 / (n + z^2).
    assert record.per_batch_high == pytest.approx(z * z / (examined + z * z))


@pytest.mark.parametrize("dtype", ["bfloat16", "float16", "float32"])
def test_differ_compares_bit_for_bit_in_the_dtype(dtype):
  a = jnp.array([1.0, 0.0, jnp.nan], dtype)
  tiny = jnp.finfo(dtype).smallest_normal
  assert not _study_kernels._differ(a, a)  # NaN against NaN is no difference.
  assert not _study_kernels._differ(a, jnp.array([1.0, -0.0, jnp.nan], dtype))  # 0 == -0.
  assert _study_kernels._differ(a, a.at[1].set(tiny))
  assert _study_kernels._differ(a, a.at[0].set(jnp.nextafter(a[0], jnp.array(2, dtype))))


def test_command_prints_the_three_tables(command):
  code, out, _ = command
  assert code == 0
  for title in ("Bifurcation:", "Exact zeros:", "Training:"):
    assert title in out
  assert "Draw protocol: one random mini-batch" in out and "Paper protocol: one pass" in out
  # matmul, dtype, width, draws, batches, any, first layer: 150 training rows in 9 batches of 16.
  assert re.search(r"^float32\s+float64\s+8\s+4\s+1\s+0\s+0\s+0\.0e\+00 ", out, re.MULTILINE)
  assert re.search(r"^float32\s+float64\s+8\s+4\s+9\s+0\s+0\s+0\.0e\+00 ", out, re.MULTILINE)


def test_the_json_holds_every_measurement(command):
  _, _, folder = command
  data = json.loads((folder / "out.json").read_text())
  assert set(data) == {"dataset", "seed", "bifurcation", "zeros", "training"}
  assert [(r["protocol"], r["dtype"], r["width"]) for r in data["bifurcation"]] == [
    ("draw", "float64", 8),
    ("paper", "float64", 8),
  ]  # tf32 changes float32 products only: float64 runs once, in the first matmul mode.
  for r in data["bifurcation"]:
    assert set(r) == set(study.Bifurcation._fields)
    assert (r["depth"], r["batch_size"], r["draws"], r["matmul"]) == (2, 16, 4, "float32")
    assert (r["backend"], r["jax_version"]) == (jax.default_backend(), jax.__version__)
    assert 0 <= r["differing_first_layer"] <= r["differing"] <= r["draws"]
    assert r["share"] == r["differing"] / r["draws"]
    assert r["per_batch"] == r["differing_first_layer"] / r["batches_examined"]
  assert {(z["dtype"], z["derivative_at_zero"]) for z in data["zeros"]} == {
    ("float64", c) for c in study.CONVENTIONS
  }
  for z in data["zeros"]:
    assert z["preactivations"] == 100 * 16 * 8 * 2
    assert z["share"] == z["zeros"] / z["preactivations"]
  for r in data["training"]:
    assert len(r["accuracy_curve"]) == len(r["distance_curve"]) == 100 // 50 + 1
    assert 0.0 <= r["test_accuracy"] <= 1.0 and r["test_accuracy"] == r["accuracy_curve"][-1]
    zeros = [z["zeros"] for z in data["zeros"] if z["dtype"] == r["dtype"]]
    if not any(zeros):  # No exact zero, no way for the conventions to differ.
      assert r["distance"] == 0.0
    if r["derivative_at_zero"] == 0.0:
      assert r["distance_curve"] == [0.0] * len(r["distance_curve"])


def test_the_figure_is_written(command):
  _, out, folder = command
  assert (folder / "out.png").read_bytes().startswith(PNG_SIGNATURE)
  assert f"Figure saved to {folder / 'out.png'}" in out


def test_the_figures_share_axis_starts_at_zero_when_no_initialization_bifurcates():
  X, labels = study.load_dataset("moons")
  records = study.bifurcation(X, labels, key=jax.random.key(0), dtypes=("float64",), widths=(8,),
                              draws=2, depth=2, batch_size=16)  # fmt: skip
  assert all(r.share_first_layer == 0.0 for r in records)
  report = study.Report(dataset="moons", seed=0, bifurcation=records, zeros=[], training=[])
  axis = study.figure(report).axes[0]
  assert axis.get_ylim() == (0.0, 1.05)


def test_training_starts_every_convention_from_the_same_network():
  X, labels = study.load_dataset("moons")
  options = {"dtypes": ("float64",), "width": 8, "depth": 2, "batch_size": 16, "steps": 100}
  runs, _ = study.training(
    X[:150], labels[:150], X[150:], labels[150:], key=jax.random.key(0), **options
  )
  assert len({r.accuracy_curve[0] for r in runs}) == 1
  assert all(r.distance_curve[0] == 0.0 for r in runs)


def assert_one_line_error(capsys, code, expected_code, pattern):
  err = capsys.readouterr().err
  assert code == expected_code
  lines = err.strip().splitlines()
  assert len(lines) == 1, err
  assert lines[0].startswith("jacts: error: ") and pattern in lines[0]
  assert "Traceback" not in err


@pytest.mark.parametrize(
  ("argument", "pattern"),
  [
    (["--dataset", "mnist"], "argument --dataset: invalid choice: 'mnist'"),
    (["--dtypes", "float32,float8"], "expected dtypes among bfloat16, float16, float32, float64"),
    (["--widths", "16,0"], "expected widths that are positive integers, got '0'"),
    (["--widths", "16,x"], "got 'x'"),
    (["--draws", "0"], "argument --draws: expected a positive integer, got '0'"),
  ],
  ids=["dataset", "dtype", "width-0", "width-text", "draws"],
)
def test_a_malformed_command_is_one_line(capsys, argument, pattern):
  with pytest.raises(SystemExit) as exited:
    cli.main(["study", "relu0", *argument])
  assert_one_line_error(capsys, exited.value.code, 2, pattern)


def test_a_missing_extra_is_one_line(capsys, monkeypatch):
  monkeypatch.setitem(sys.modules, "sklearn", None)  # `import sklearn` fails.
  code = cli.main(["study", "relu0", "--dataset", "digits", "--no-progress"])
  assert_one_line_error(capsys, code, 1, 'needs scikit-learn: pip install "jacts[study]"')


def test_a_missing_extra_in_the_api_names_it(monkeypatch):
  monkeypatch.setitem(sys.modules, "sklearn", None)
  monkeypatch.setitem(sys.modules, "sklearn.datasets", None)
  with pytest.raises(ImportError, match=re.escape('pip install "jacts[study]"')):
    study.load_dataset("digits")


def test_an_unwritable_output_fails_before_any_work(capsys, tmp_path):
  code = cli.main(["study", "relu0", "--dataset", "moons", "--json", str(tmp_path / "no" / "x")])
  assert_one_line_error(capsys, code, 1, "does not exist")


X_MOONS, LABELS_MOONS = study.load_dataset("moons")


@pytest.mark.parametrize(
  ("keywords", "pattern"),
  [
    ({"dtypes": ("float8",)}, "`dtypes` must name some of"),
    ({"widths": (16, 0)}, "`widths` must be integers >= 1; got [16, 0]"),
    ({"draws": 0}, "`draws` must be an integer >= 1; got 0"),
    ({"batch_size": 500}, "`batch_size` must be at most the 200 training rows"),
  ],
  ids=["dtype", "width", "draws", "batch_size"],
)
def test_api_mistakes_name_the_argument(keywords, pattern):
  with pytest.raises(ValueError, match=re.escape(pattern)):
    study.bifurcation(X_MOONS, LABELS_MOONS, key=jax.random.key(0), **keywords)


def test_api_refuses_an_unknown_dataset_and_convention():
  with pytest.raises(ValueError, match=re.escape("`dataset` must be one of digits, flower")):
    study.load_dataset("mnist")
  with pytest.raises(ValueError, match=re.escape("`conventions` must be ReLU'(0) values")):
    study.training(X_MOONS, LABELS_MOONS, X_MOONS, LABELS_MOONS, key=jax.random.key(0),
                   conventions=(0.0, 2.0))  # fmt: skip
  assert np.all(np.isin(LABELS_MOONS, [0, 1]))
