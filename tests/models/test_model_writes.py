"""How save writes a model file: a new file gets the mode the umask gives, an overwritten one
keeps its mode; the archive is written to a temporary file beside the target, named with the
writer's PID, and a later save removes such leftovers of writers that are dead (killed mid-save
by SIGKILL, say) and nothing else."""

import os
import re
import signal
import stat
import subprocess
import sys
import textwrap

import numpy as np
import pytest
from model_files import saved, valid_model

from jacts import models

posix_only = pytest.mark.skipif(os.name != "posix", reason="POSIX file modes and PIDs")


@posix_only
@pytest.mark.parametrize("umask", [0o022, 0o077, 0o002, 0o000])
def test_a_new_file_gets_the_mode_the_umask_gives(tmp_path, umask):
  old = os.umask(umask)
  try:
    path = saved(tmp_path)
  finally:
    os.umask(old)
  assert stat.S_IMODE(path.stat().st_mode) == 0o666 & ~umask


@posix_only
@pytest.mark.parametrize("mode", [0o640, 0o604, 0o444])
def test_overwriting_a_file_keeps_its_mode(tmp_path, mode):
  path = saved(tmp_path)
  path.chmod(mode)
  models.save(path, valid_model(activation="tanh"))
  assert stat.S_IMODE(path.stat().st_mode) == mode
  assert models.load(path).activation == "tanh"


def test_the_temporary_file_carries_the_writers_pid(tmp_path, monkeypatch):
  seen = []
  savez = np.savez

  def spy(file, **arrays):
    seen.extend(p.name for p in tmp_path.iterdir())
    savez(file, **arrays)

  monkeypatch.setattr(np, "savez", spy)
  saved(tmp_path)
  assert len(seen) == 1
  assert re.fullmatch(rf"\.model\.npz\.{os.getpid()}\.[a-z0-9_]+\.tmp", seen[0])
  assert [p.name for p in tmp_path.iterdir()] == ["model.npz"]


def exited_pid() -> int:
  """The PID of a process that has exited and been reaped."""
  child = subprocess.Popen([sys.executable, "-c", "pass"])
  child.wait()
  return child.pid


@posix_only
def test_a_save_removes_leftovers_of_dead_writers_and_keeps_everything_else(tmp_path):
  dead = exited_pid()
  kept = [
    f".model.npz.{os.getpid()}.abc123_x.tmp",  # This live process: maybe another thread's.
    f".other.npz.{dead}.abc123_x.tmp",  # Another target's.
    f".model.npz.5.{dead}.abc123_x.tmp",  # Target "model.npz.5"'s, not "model.npz"'s.
    f".model.npz.{dead}.tmp",  # Not a name mkstemp gives.
    "model.npz.bak",
  ]
  removed = [f".model.npz.{dead}.abc123_x.tmp", f".model.npz.{dead}.zz9.tmp"]
  for name in kept + removed:
    (tmp_path / name).write_bytes(b"PK\x03\x04 half an archive")
  saved(tmp_path)
  assert sorted(p.name for p in tmp_path.iterdir()) == sorted([*kept, "model.npz"])


KILLED_MID_SAVE = textwrap.dedent(
  """
  import sys, time
  import numpy as np
  from jacts import models
  from jacts.shallow import Params

  def stuck(file, **arrays):
    file.write(b"PK\\x03\\x04 part of an archive")
    file.flush()
    print("writing", flush=True)
    time.sleep(600)

  np.savez = stuck
  shapes = [(4, 2), (4,), (1, 4), (1,)]
  params = Params(*(np.ones(shape, np.float32) for shape in shapes))
  models.save(sys.argv[1], models.Model(params, "tanh"))
  """
)


@posix_only
def test_a_save_killed_by_sigkill_leaves_a_file_the_next_save_removes(tmp_path):
  path = saved(tmp_path)
  before = path.read_bytes()
  child = subprocess.Popen(
    [sys.executable, "-c", KILLED_MID_SAVE, str(path)], stdout=subprocess.PIPE, text=True
  )
  try:
    assert child.stdout.readline() == "writing\n"
  finally:
    os.kill(child.pid, signal.SIGKILL)
    child.wait()
    child.stdout.close()
  leftovers = [p.name for p in tmp_path.glob(f".model.npz.{child.pid}.*.tmp")]
  assert len(leftovers) == 1 and path.read_bytes() == before
  models.save(path, valid_model(activation="sigmoid"))
  assert [p.name for p in tmp_path.iterdir()] == ["model.npz"]
  assert models.load(path).activation == "sigmoid"
