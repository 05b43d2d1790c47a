"""A strict reader of ``.npz`` archives whose members are known in advance (a model file's).

Unlike ``numpy.load``, it refuses what it was not asked for, and reads each member's ``.npy``
header before its data: a header that declares more bytes than the member holds (a forged
shape such as (2**41, 2)) is refused before anything is allocated.
"""

import math
import pathlib
import zipfile
import zlib
from collections.abc import Collection, Mapping

import numpy as np
from numpy.lib import format as npy

# Raised by zipfile, zlib and numpy.lib.format on damaged data (NotImplementedError included).
UNREADABLE = (zipfile.BadZipFile, zlib.error, EOFError, OSError, RuntimeError, ValueError)


class ArchiveError(ValueError):
  """An archive that is not what was asked for; the message names the member, in one line."""


def read(
  path: pathlib.Path, fields: Mapping[str, tuple], optional: Collection[str] = ()
) -> dict[str, np.ndarray]:
  """Reads the archive at ``path`` into {field: array}, refusing any member but `<field>.npy`.

  ``fields`` maps each field to (what it must be, a test of the dtype and shape its header
  declares); every field must be present but those in ``optional`` (a field that a file of an
  older format lacks: the caller says whether its absence is right), which are left out of the
  result when absent.
  """
  try:
    archive = zipfile.ZipFile(path)
  except zipfile.BadZipFile:
    raise ArchiveError("not a jacts model file (not an .npz archive)") from None
  with archive:
    members = {}
    for info in archive.infolist():
      field = info.filename.removesuffix(".npy")
      if not info.filename.endswith(".npy") or field not in fields or field in members:
        raise ArchiveError(f"not a jacts model file (unexpected member {info.filename!r})")
      members[field] = info
    missing = ", ".join(
      f"`{field}`" for field in fields if field not in members and field not in optional
    )
    if missing:
      raise ArchiveError(f"not a jacts model file (no {missing})")
    archive_size = path.stat().st_size
    return {
      f: _read_member(archive, info, f, fields[f], archive_size) for f, info in members.items()
    }


# Deflate expands at most about 1032-fold: a member claiming more than that is forged.
_MOST_DEFLATE_EXPANDS = 1032


def _read_member(
  archive: zipfile.ZipFile, info: zipfile.ZipInfo, field: str, kind, archive_size: int
) -> np.ndarray:
  """Reads one member, naming ``field`` in whatever goes wrong.

  The sizes the zip directory claims are checked against the archive's real size first, so a
  forged one cannot make the reader allocate more than the file could hold.
  """
  if info.flag_bits & 0x1:
    raise ArchiveError(f"`{field}` is encrypted")
  if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
    method = info.compress_type  # numpy's savez and savez_compressed write 0 and 8.
    raise ArchiveError(f"`{field}` uses zip method {method}; only stored and deflated are read")
  most = info.compress_size
  if info.compress_type == zipfile.ZIP_DEFLATED:
    most = _MOST_DEFLATE_EXPANDS * info.compress_size + 64
  if info.compress_size > archive_size or info.file_size > most:
    raise ArchiveError(
      f"`{field}`: the archive claims {info.file_size} bytes from {info.compress_size}, in a "
      f"file of {archive_size}"
    )
  try:
    with archive.open(info) as stream:
      return _read_npy(stream, info.file_size, field, kind)
  except ArchiveError:
    raise
  except (*UNREADABLE, MemoryError) as error:
    raise ArchiveError(
      f"`{field}` is unreadable ({' '.join(str(error).split()) or type(error).__name__})"
    ) from None


def _read_npy(stream, size: int, field: str, kind) -> np.ndarray:
  """Reads a ``.npy`` stream of ``size`` bytes, checking its header before reading any data."""
  version = npy.read_magic(stream)
  if version not in ((1, 0), (2, 0)):
    raise ArchiveError(f"`{field}` is .npy version {version}; only 1.0 and 2.0 are read")
  read_header = npy.read_array_header_1_0 if version == (1, 0) else npy.read_array_header_2_0
  shape, fortran_order, dtype = read_header(stream)
  description, accepts = kind
  native = dtype.newbyteorder("=")
  if dtype.hasobject or not accepts(native, shape):
    raise ArchiveError(f"`{field}` must be {description}; got {native} of shape {shape}")
  # Python ints, so a forged shape such as (2**41, 2) cannot overflow; refused before reading.
  declared, held = math.prod(shape) * dtype.itemsize, size - stream.tell()
  if declared != held:
    raise ArchiveError(
      f"`{field}`: its header declares shape {shape} of {native} ({declared} bytes); the member "
      f"holds {held}"
    )
  data = stream.read(held)  # Reading to the end also checks the CRC.
  if len(data) != held:
    raise ArchiveError(f"`{field}` is truncated: {len(data)} of {held} bytes")
  array = np.frombuffer(data, dtype).reshape(shape, order="F" if fortran_order else "C")
  return array.astype(native)  # A writable copy in native byte order.
