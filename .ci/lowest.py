"""Prints pip constraints that pin every requirement of pyproject.toml to its lower bound.

    python .ci/lowest.py test cli > lowest.txt
    pip install -c lowest.txt "dist/jacts-*.whl[test,cli]"

The dependencies and the extras named on the command line are read from pyproject.toml, so the
versions CI installs in its oldest environment are the ones pyproject declares, and cannot drift
from them. Every requirement must have a lower bound (`>=`); one without is an error, because
"the oldest version we support" would then be whatever pip happens to pick.
"""

import pathlib
import re
import sys
import tomllib

PYPROJECT = pathlib.Path(__file__).resolve().parent.parent / "pyproject.toml"
# name, optional [extras], then the version specifiers (no environment markers: none are used).
REQUIREMENT = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*(?:\[[^\]]*\])?\s*([^;]*)$")


def lower_bound(requirement: str) -> tuple[str, str]:
  """("jax", "0.8.0") for "jax>=0.8.0" (other specifiers, such as "<2", may follow)."""
  match = REQUIREMENT.match(requirement)
  if match is None:
    raise SystemExit(f"pyproject.toml: cannot read the requirement {requirement!r}")
  name, specifiers = match.groups()
  bounds = [s.strip()[2:].strip() for s in specifiers.split(",") if s.strip().startswith(">=")]
  if len(bounds) != 1:
    raise SystemExit(f"pyproject.toml: {requirement!r} needs exactly one lower bound (>=)")
  return re.sub(r"[-_.]+", "-", name).lower(), bounds[0]


def main(extras: list[str]) -> None:
  project = tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))["project"]
  optional = project.get("optional-dependencies", {})
  requirements = list(project["dependencies"])
  for extra in extras:
    if extra not in optional:
      raise SystemExit(f"pyproject.toml has no extra {extra!r} (it has {sorted(optional)})")
    requirements += optional[extra]
  pins: dict[str, str] = {}
  for requirement in requirements:
    name, version = lower_bound(requirement)
    if pins.setdefault(name, version) != version:
      raise SystemExit(f"pyproject.toml: two lower bounds for {name}: {pins[name]} and {version}")
  for name, version in pins.items():
    print(f"{name}=={version}")


if __name__ == "__main__":
  main(sys.argv[1:])
