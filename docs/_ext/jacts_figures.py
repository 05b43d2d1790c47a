"""The outputs the site includes, made at build time with jacts' own code.

Called by ``jacts_docs.py`` with the output folder; each function writes the files it names in
:data:`OUTPUTS`. (The getting-started page makes its figures itself: it is a notebook, executed
at every build.)
"""

import pathlib

OUTPUTS = ("check.txt",)


def check(folder: pathlib.Path) -> None:
  """What ``jacts check`` prints: every activation's derivative verified live. A row that does
  not hold fails the build rather than be published."""
  import os
  import subprocess
  import sys

  environment = dict(os.environ, COLUMNS="100", JACTS_NO_CACHE="1")
  command = [sys.executable, "-m", "jacts", "check"]
  result = subprocess.run(command, capture_output=True, text=True, env=environment, check=False)
  if result.returncode != 0:
    raise RuntimeError(f"jacts check exited {result.returncode}:\n{result.stdout}{result.stderr}")
  (folder / "check.txt").write_text("$ jacts check\n" + result.stdout)


def make_all(folder: pathlib.Path) -> None:
  check(folder)
