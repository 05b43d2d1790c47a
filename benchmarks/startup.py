"""Startup: what a command-line user waits for before anything is computed.

Whole processes, the commands taking turns: `jacts --version` and the --help of `jacts` and of
each command (none imports JAX), against `python -c pass` (the interpreter alone) and
`python -c "import jax"` (the floor of anything that computes). Target: at most 0.2 s each.
"""

import subprocess
import sys

from harness import Report, interleaved_medians

TARGET_SECONDS = 0.2
_COMMANDS = {
  "jacts --version": ["--version"],
  "jacts --help": ["--help"],
  "jacts train --help": ["train", "--help"],
  "jacts check --help": ["check", "--help"],
  "jacts plot --help": ["plot", "--help"],
  "jacts predict --help": ["predict", "--help"],
  "jacts study relu0 --help": ["study", "relu0", "--help"],
}


def _process(*arguments: str):
  return lambda: subprocess.run([sys.executable, *arguments], capture_output=True, check=True)


def startup(report: Report, quick: bool) -> None:
  """Each command's median wall time as a process, beside the interpreter's and `import jax`."""
  runs = {
    "python -c pass": _process("-c", "pass"),
    "python -c 'import jax'": _process("-c", "import jax"),
    **{label: _process("-m", "jacts", *arguments) for label, arguments in _COMMANDS.items()},
  }
  seconds = interleaved_medians(runs, rounds=2 if quick else 5, per_round=1 if quick else 2)
  section = "Startup: whole processes, median wall time (ratio: import jax / the command)"
  for label in ("python -c pass", "python -c 'import jax'"):
    report.add(section, label, seconds[label] * 1e3, "ms")
  jax_seconds = seconds["python -c 'import jax'"]
  for label in _COMMANDS:
    report.add(section, label, seconds[label] * 1e3, "ms", jax_seconds / seconds[label],
               f"<= {TARGET_SECONDS * 1e3:.0f} ms", seconds[label] <= TARGET_SECONDS)  # fmt: skip
