"""The temporary files of a model's atomic save (:mod:`jacts.models`): the mode the written file
gets, and the removal of files left by saves whose process is dead."""

import contextlib
import os
import pathlib
import re
import stat


def mode_for(path: pathlib.Path) -> int:
  """The permission bits for ``path``: its own if it exists, else what the umask gives."""
  with contextlib.suppress(FileNotFoundError):
    return stat.S_IMODE(os.stat(path).st_mode)
  umask = os.umask(0)  # The only way to read the umask is to set it: put it back at once.
  os.umask(umask)
  return 0o666 & ~umask


def remove_leftovers(path: pathlib.Path) -> None:
  """Removes the temporary files of saves to ``path`` whose writing process no longer exists."""
  if os.name != "posix":  # os.kill(pid, 0) probes a PID only on POSIX (on Windows it kills).
    return
  pattern = re.compile(re.escape(f".{path.name}.") + r"(\d+)\.[a-z0-9_]+\.tmp")
  try:
    entries = list(os.scandir(path.parent))
  except OSError:  # mkstemp reports a missing or unreadable folder in its own words.
    return
  for entry in entries:
    match = pattern.fullmatch(entry.name)
    if match and entry.is_file(follow_symlinks=False) and not _alive(int(match[1])):
      with contextlib.suppress(OSError):  # Another save may have removed it first.
        os.unlink(entry.path)


def _alive(pid: int) -> bool:
  """Whether process ``pid`` exists; one we may not signal (another user's) counts as alive."""
  try:
    os.kill(pid, 0)
  except ProcessLookupError:
    return False
  except (OSError, OverflowError):  # Unknown: keep the file.
    pass
  return True
