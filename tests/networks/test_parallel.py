"""Data-parallel training equals single-device training: on 4 virtual devices, and over 2
processes on 127.0.0.1 (each in subprocesses with time limits)."""

import pathlib
import subprocess
import sys

TESTS = pathlib.Path(__file__).parent.parent
CHECKS = TESTS / "support" / "parallel_checks.py"
EXAMPLE = TESTS.parent / "examples" / "data_parallel.py"


def test_four_virtual_devices_even_and_uneven_splits_equal_single_device_training():
  result = subprocess.run(
    [sys.executable, str(CHECKS)],
    capture_output=True,
    text=True,
    timeout=600,
    check=False,
  )
  assert result.returncode == 0, result.stdout + result.stderr
  assert "all parallel checks passed" in result.stdout
  checks = [line for line in result.stdout.splitlines() if line.startswith("ok ")]
  assert len(checks) == 12, result.stdout


def test_two_processes_on_localhost_agree_with_single_device_training():
  # The example starts both workers, bounds their time and ends them all, whatever happens.
  result = subprocess.run(
    [sys.executable, str(EXAMPLE), "--processes", "2", "--steps", "300", "--timeout", "150"],
    capture_output=True,
    text=True,
    timeout=200,
    check=False,
  )
  assert result.returncode == 0, result.stdout + result.stderr
  for process in (0, 1):
    assert f"process {process} of 2: trained on 4 devices (2 here)" in result.stdout
  assert result.stdout.count(": agrees") == 2
