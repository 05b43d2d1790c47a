"""The command line answers at once: --version and every command's --help import neither JAX nor
NumPy (the activation names they show come from jacts/_catalogue.py, which the rule table checks
at import), and ``import jacts`` imports JAX only when one of its names is first used."""

import subprocess
import sys

import pytest

HEAVY = ("jax", "jaxlib", "numpy", "optax")
COMMANDS = ([], ["train"], ["check"], ["plot"], ["predict"], ["study"], ["study", "relu0"])


def _run(code: str, *arguments: str) -> list[str]:
  """Runs ``code`` in a fresh interpreter; returns its output lines (raising on failure)."""
  result = subprocess.run(
    [sys.executable, "-c", code, *arguments],
    capture_output=True,
    text=True,
    check=False,
    timeout=120,
  )
  assert result.returncode == 0, result.stderr
  return result.stdout.splitlines()


_MAIN = f"""
import sys
from jacts.cli import main
try:
  main(sys.argv[1:])
except SystemExit as exit:
  assert exit.code in (0, None), exit.code
print(sorted(m for m in {HEAVY!r} if m in sys.modules))
"""


@pytest.mark.parametrize(
  "arguments", [["--version"], *([*c, "--help"] for c in COMMANDS)], ids=" ".join
)
def test_version_and_every_help_import_neither_jax_nor_numpy(arguments):
  *printed, imported = _run(_MAIN, *arguments)
  assert imported == "[]"
  assert printed[0].startswith("jacts 0." if arguments == ["--version"] else "usage: jacts")


def test_train_help_offers_every_elementwise_activation_of_the_table_but_log1mexp():
  from jacts._rules import ELEMENTWISE
  from jacts.cli._arguments import TRAINABLE

  printed = "".join(_run(_MAIN, "train", "--help")).replace(" ", "")
  assert [name for name in ELEMENTWISE if name not in TRAINABLE] == ["log1mexp"]  # NaN for z < 0.
  assert "{" + ",".join(TRAINABLE) + "}" in printed


def test_import_jacts_imports_jax_when_a_name_is_first_used():
  code = f"""
import sys
import jacts
print(sorted(m for m in {HEAVY!r} if m in sys.modules))
from jacts import relu
print(relu is jacts.relu, jacts.shallow.__name__, 'jax' in sys.modules, 'relu' in dir(jacts))
"""
  assert _run(code) == ["[]", "True jacts.shallow True True"]


def test_a_name_jacts_does_not_have_is_an_attribute_error_naming_it():
  import jacts

  with pytest.raises(AttributeError, match="module 'jacts' has no attribute 'relu7'"):
    jacts.relu7  # noqa: B018
