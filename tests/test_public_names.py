"""Every public module's names, pinned: moving code between private modules changes none of them.

A module's public names are its ``__all__``, each of which must resolve."""

import importlib
import subprocess
import sys
import types

import pytest

import jacts

_ACTIVATIONS = (
  "celu", "elu", "gelu", "glu", "hard_sigmoid", "hard_silu", "hard_tanh", "identity",
  "leaky_relu", "log1mexp", "log_sigmoid", "log_softmax", "mish", "relu", "relu6", "selu",
  "sigmoid", "silu", "soft_sign", "softmax", "softplus", "sparse_plus", "sparse_sigmoid",
  "squareplus", "tanh",
)  # fmt: skip

PUBLIC_NAMES = {
  "jacts": (
    *_ACTIVATIONS, "hard_swish", "swish", "derivative", "derivative_from_output", "forward_mode",
    "datasets", "models", "multilayer", "naive", "parallel", "plotting", "shallow", "study",
  ),
  "jacts.shallow": (
    "Cache", "Gradients", "Params", "TrainingDivergedWarning", "accuracy", "backward", "cost",
    "fit", "fit_many", "forward", "init_params", "lecture_params", "predict", "train_step",
    "train_steps",
  ),
  "jacts.multilayer": (
    "Cache", "Gradients", "Layer", "TrainingDivergedWarning", "accuracy", "backward", "cost", "fit",
    "forward", "init_params", "predict",
  ),
  "jacts.parallel": ("fit",),
  "jacts.models": (
    "ACTIVATIONS", "Argument", "FORMAT", "FORMAT_VERSION", "Model", "ModelFileError",
    "READ_VERSIONS", "load", "save",
  ),
  "jacts.study": (
    "Bifurcation", "CONVENTIONS", "DATASETS", "DTYPES", "PROTOCOLS", "Report", "Training",
    "Zeros", "bifurcation", "default_matmul", "figure", "load_dataset", "programs", "relu0",
    "table", "training",
  ),
  "jacts.datasets": (
    "blobs", "gaussian_quantiles", "noisy_circles", "noisy_moons", "planar_flower",
  ),
  "jacts.plotting": ("activations", "decision_boundary", "pyplot"),
  "jacts.naive": _ACTIVATIONS,
  "jacts.cli": ("main",),
}  # fmt: skip

# The private subpackages' faces: what the other layers may import from each.
FACES = ("jacts._rules", "jacts._activations", "jacts._networks", "jacts._networks.layers")


@pytest.mark.parametrize("module", sorted(PUBLIC_NAMES))
def test_each_public_module_exports_exactly_its_names(module):
  imported = importlib.import_module(module)
  assert sorted(imported.__all__) == sorted(PUBLIC_NAMES[module])
  assert len(set(imported.__all__)) == len(imported.__all__)
  for name in imported.__all__:
    assert hasattr(imported, name), f"{module}.{name}"


@pytest.mark.parametrize("module", FACES)
def test_each_face_exports_names_that_resolve_and_none_private(module):
  face = importlib.import_module(module)
  assert face.__all__ and len(set(face.__all__)) == len(face.__all__)
  for name in face.__all__:
    assert not name.startswith("_") and hasattr(face, name), f"{module}.{name}"


def test_the_package_holds_its_public_modules_and_the_networks_share_their_types():
  for name in PUBLIC_NAMES["jacts"]:
    if f"jacts.{name}" in PUBLIC_NAMES:
      assert isinstance(getattr(jacts, name), types.ModuleType)
      assert getattr(jacts, name) is importlib.import_module(f"jacts.{name}")
  assert jacts.shallow.TrainingDivergedWarning is jacts.multilayer.TrainingDivergedWarning
  assert jacts.shallow.Gradients is jacts.multilayer.Gradients
  assert jacts.models.Model(jacts.shallow.lecture_params(2, 4, 1), "tanh").params.W1.shape == (4, 2)


def test_python_m_jacts_is_the_command_line():
  result = subprocess.run(
    [sys.executable, "-m", "jacts", "--version"], capture_output=True, text=True, check=False
  )
  assert (result.returncode, result.stdout.strip()) == (0, f"jacts {jacts.__version__}")
