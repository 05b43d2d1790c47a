"""Loading a model file: load turns every damaged or crafted file into one ModelFileError, one
line that names the path and the field. Encrypted members and zip methods other than stored and
deflated, bad CRCs and corrupt deflate data, members missing, extra, duplicated or not .npy,
headers that claim more bytes than the member or the archive holds, fields of the wrong type,
shape or value, and files that are no archive at all. What it reads, it reads as stored: deflated,
big-endian, Fortran order, .npy version 2.0."""

import io
import pathlib
import re
import struct
import warnings
import zipfile

import jax.numpy as jnp
import numpy as np
import pytest
from model_files import members_of, params, saved
from numpy.lib import format as npy

from jacts import models


def npy_bytes(array: np.ndarray, version=None) -> bytes:
  buffer = io.BytesIO()
  npy.write_array(buffer, array, version=version, allow_pickle=False)
  return buffer.getvalue()


def npy_header(descr: str, shape: tuple) -> bytes:
  buffer = io.BytesIO()
  npy.write_array_header_1_0(buffer, {"descr": descr, "fortran_order": False, "shape": shape})
  return buffer.getvalue()


def write_zip(path: pathlib.Path, members, compression=None) -> None:
  """Writes ``members`` ({name: bytes} or [(name, bytes)]); ``compression`` {name: method}."""
  items = members.items() if isinstance(members, dict) else members
  with warnings.catch_warnings():
    warnings.simplefilter("ignore", UserWarning)  # zipfile warns of a duplicate name; wanted.
    with zipfile.ZipFile(path, "w") as archive:
      for name, data in items:
        archive.writestr(name, data, compress_type=(compression or {}).get(name, 0))


def replace_members(path: pathlib.Path, changes: dict, compression=None) -> None:
  """Rewrites the archive at ``path`` with ``changes`` ({name: bytes, or None to drop})."""
  members = members_of(path) | changes
  write_zip(path, {name: data for name, data in members.items() if data is not None}, compression)


def patch_member(path: pathlib.Path, member: str, *, flag_bits=0, method=None, data=None) -> None:
  """Edits a member's local and central headers (flags, method) and compressed bytes in place."""
  raw = bytearray(path.read_bytes())
  with zipfile.ZipFile(path) as archive:
    info = archive.getinfo(member)
  local, name = info.header_offset, member.encode()
  central = raw.index(b"PK\x01\x02")  # The central directory entry with this name.
  while struct.unpack_from("<H", raw, central + 28)[0] != len(name) or (
    raw[central + 46 : central + 46 + len(name)] != name
  ):
    central = raw.index(b"PK\x01\x02", central + 4)
  name_length, extra_length = struct.unpack_from("<HH", raw, local + 26)
  for header, flags_at in ((local, 6), (central, 8)):
    struct.pack_into("<H", raw, header + flags_at, info.flag_bits | flag_bits)
    if method is not None:
      struct.pack_into("<H", raw, header + flags_at + 2, method)
  if data is not None:
    start = local + 30 + name_length + extra_length
    raw[start : start + len(data)] = data
  path.write_bytes(bytes(raw))


def bad_crc(path):
  """Flips the last data byte of the stored member W1.npy, leaving its CRC as it was."""
  data = members_of(path)["W1.npy"]
  patch_member(path, "W1.npy", data=data[:-1] + bytes([data[-1] ^ 0xFF]))


def corrupt_deflate(path):
  """Deflates W1.npy, then overwrites its compressed bytes with ones zlib cannot inflate."""
  replace_members(path, {}, {"W1.npy": zipfile.ZIP_DEFLATED})
  with zipfile.ZipFile(path) as archive:
    size = archive.getinfo("W1.npy").compress_size
  patch_member(path, "W1.npy", data=b"\xff" * size)  # Block type 3: reserved, invalid.


def changed(**members):
  """A crafter that stores each of ``members`` ({field: array}) as `<field>.npy`."""
  return lambda path: replace_members(path, {f"{k}.npy": npy_bytes(v) for k, v in members.items()})


CRAFTED = {
  "encrypted member": (
    lambda path: patch_member(path, "W1.npy", flag_bits=0x1),
    "W1",
    "`W1` is encrypted",
  ),
  "lzma member": (
    lambda path: replace_members(path, {}, {"W1.npy": zipfile.ZIP_LZMA}),
    "W1",
    "`W1` uses zip method 14; only stored and deflated are read",
  ),
  "bzip2 member": (
    lambda path: replace_members(path, {}, {"b2.npy": zipfile.ZIP_BZIP2}),
    "b2",
    "`b2` uses zip method 12; only stored and deflated are read",
  ),
  "unknown compression method": (
    lambda path: patch_member(path, "n_x.npy", method=99),
    "n_x",
    "`n_x` uses zip method 99; only stored and deflated are read",
  ),
  "corrupt deflate data": (corrupt_deflate, "W1", "`W1` is unreadable (Error -3 "),
  "bad crc": (bad_crc, "W1", "`W1` is unreadable (Bad CRC-32 for file 'W1.npy')"),
  "member without .npy": (
    lambda path: replace_members(path, {"W1.npy": None, "W1": npy_bytes(params().W1)}),
    "W1",
    "not a jacts model file (unexpected member 'W1')",
  ),
  "unknown extra member": (
    lambda path: replace_members(path, {"notes.npy": npy_bytes(np.array("hi"))}),
    "notes",
    "not a jacts model file (unexpected member 'notes.npy')",
  ),
  "duplicate member": (
    lambda path: write_zip(path, [*members_of(path).items(), ("b1.npy", b"")]),
    "b1",
    "not a jacts model file (unexpected member 'b1.npy')",
  ),
  "missing member": (
    lambda path: replace_members(path, {"W2.npy": None}),
    "W2",
    "not a jacts model file (no `W2`)",
  ),
  "header declaring 32 TiB": (
    lambda path: replace_members(path, {"W1.npy": npy_header("<f8", (2**41, 2)) + bytes(64)}),
    "W1",
    "`W1`: its header declares shape (2199023255552, 2) of float64 (35184372088832 bytes); "
    "the member holds 64",
  ),
  "truncated member": (
    lambda path: replace_members(path, {"W1.npy": npy_bytes(params().W1)[:-4]}),
    "W1",
    "`W1`: its header declares shape (4, 2) of float32 (32 bytes); the member holds 28",
  ),
  "not a .npy member": (
    lambda path: replace_members(path, {"b1.npy": b"garbage, not numpy"}),
    "b1",
    "`b1` is unreadable (the magic string is not correct",
  ),
  "npy version 3.0": (
    lambda path: replace_members(path, {"b1.npy": npy_bytes(params().b1, version=(3, 0))}),
    "b1",
    "`b1` is .npy version (3, 0); only 1.0 and 2.0 are read",
  ),
  "object array": (
    lambda path: replace_members(path, {"b1.npy": npy_header("|O", (4,)) + bytes(32)}),
    "b1",
    "`b1` must be a float16, float32 or float64 array; got object of shape (4,)",
  ),
  "float format_version 1.9": (
    changed(format_version=np.array(1.9)),
    "format_version",
    "`format_version` must be a 0-d integer array; got float64 of shape ()",
  ),
  "infinite format_version": (
    changed(format_version=np.array(np.inf)),
    "format_version",
    "`format_version` must be a 0-d integer array; got float64 of shape ()",
  ),
  "infinite n_x": (
    changed(n_x=np.array(np.inf)),
    "n_x",
    "`n_x` must be a 0-d integer array; got float64 of shape ()",
  ),
  "float n_h 1.9": (
    changed(n_h=np.array(1.9)),
    "n_h",
    "`n_h` must be a 0-d integer array; got float64 of shape ()",
  ),
  "boolean n_y": (
    changed(n_y=np.array(True)),
    "n_y",
    "`n_y` must be a 0-d integer array; got bool of shape ()",
  ),
  "longdouble W1": (
    changed(W1=params(np.longdouble).W1),
    "W1",
    f"`W1` must be a float16, float32 or float64 array; got {np.dtype(np.longdouble)} of shape "
    "(4, 2)",
  ),
  "integer weights": (
    changed(b2=np.array([1])),
    "b2",
    "`b2` must be a float16, float32 or float64 array; got int64 of shape (1,)",
  ),
  "integer activation": (
    changed(activation=np.array(3)),
    "activation",
    "`activation` must be a 0-d unicode string array; got int64 of shape ()",
  ),
  "format as a list": (
    changed(format=np.array(["jacts.shallow"])),
    "format",
    "`format` must be a 0-d unicode string array; got <U13 of shape (1,)",
  ),
  "integer negative_slope": (
    changed(negative_slope=np.array(1)),
    "negative_slope",
    "`negative_slope` must be a 0-d float16, float32 or float64 array; got int64 of shape ()",
  ),
  "string derivative_at_zero": (
    changed(derivative_at_zero=np.array("1")),
    "derivative_at_zero",
    "`derivative_at_zero` must be a 0-d float16, float32 or float64 array; got <U1 of shape ()",
  ),
  "integer arguments": (
    changed(arguments=np.array(3)),
    "arguments",
    "`arguments` must be a 0-d unicode string array; got int64 of shape ()",
  ),
  "missing arguments": (
    lambda path: replace_members(path, {"arguments.npy": None}),
    "arguments",
    "not a jacts model file (no `arguments`)",
  ),
  "arguments in format version 1": (
    changed(format_version=np.array(1)),
    "arguments",
    "not a jacts model file (`arguments` in format version 1)",
  ),
  "arguments not JSON": (
    changed(arguments=np.array("{alpha: 1}")),
    "arguments",
    "`arguments` is not valid JSON (Expecting property name enclosed in double quotes at "
    "character 1); got '{alpha: 1}'.",
  ),
  "arguments a JSON list": (
    changed(arguments=np.array("[0.5]")),
    "arguments",
    "`arguments` must be a JSON object of name: value, e.g. {\"alpha\": 0.5}; got '[0.5]'.",
  ),
  "arguments naming one twice": (
    changed(activation=np.array("elu"), arguments=np.array('{"alpha": 0.5, "alpha": 1}')),
    "arguments",
    '`arguments` gives `alpha` twice; got \'{"alpha": 0.5, "alpha": 1}\'.',
  ),
  "arguments nested deeply": (
    changed(arguments=np.array("[" * 100_000 + "]" * 100_000)),
    "arguments",
    "`arguments` is nested too deep; got '" + "[" * 57 + "...'.",
  ),
  "arguments holding NaN": (
    changed(activation=np.array("elu"), arguments=np.array('{"alpha": NaN}')),
    "arguments",
    "`arguments`: `alpha` must be a finite number, a bool or None; got nan.",
  ),
  "arguments holding 1e400": (
    changed(activation=np.array("elu"), arguments=np.array('{"alpha": 1e400}')),
    "arguments",
    "`arguments`: `alpha` must be a finite number, a bool or None; got inf.",
  ),
  "arguments holding a list": (
    changed(activation=np.array("squareplus"), arguments=np.array('{"b": [4]}')),
    "arguments",
    "`arguments`: `b` must be a finite number, a bool or None; got [4].",
  ),
  "arguments holding a string": (
    changed(activation=np.array("gelu"), arguments=np.array('{"approximate": "tanh"}')),
    "arguments",
    "`arguments`: `approximate` must be a finite number, a bool or None; got 'tanh'.",
  ),
  "stored sizes against shapes": (
    changed(n_x=np.array(3)),
    "W1",
    "`W1` has shape (4, 2); stored sizes need (4, 3)",
  ),
  "zero sizes": (
    changed(
      W1=np.zeros((0, 2), np.float32),
      b1=np.zeros(0, np.float32),
      W2=np.zeros((1, 0), np.float32),
      n_h=np.array(0),
    ),
    "W1",
    "`W1` and `W2` must be 2-d, sizes >= 1; got (0, 2) and (1, 0).",
  ),
}


@pytest.mark.parametrize(("craft", "field", "message"), CRAFTED.values(), ids=CRAFTED.keys())
def test_load_refuses_a_crafted_file_naming_the_path_and_the_field(tmp_path, craft, field, message):
  path = saved(tmp_path)
  craft(path)
  with pytest.raises(models.ModelFileError, match=re.escape(f"{path}: {message}")) as caught:
    models.load(path)
  assert type(caught.value) is models.ModelFileError
  assert field in str(caught.value) and "\n" not in str(caught.value)


@pytest.mark.parametrize(
  ("spoil", "message"),
  [
    (
      lambda path: path.write_bytes(path.read_bytes()[:200]),
      "not a jacts model file (not an .npz archive)",
    ),
    (lambda path: path.write_bytes(b""), "not a jacts model file (not an .npz archive)"),
    (lambda path: (path.unlink(), path.mkdir()), "not a jacts model file (unreadable: "),
    (lambda path: path.unlink(), "no such file"),
  ],
  ids=["truncated archive", "empty file", "a folder", "missing"],
)
def test_load_refuses_a_file_that_is_no_archive_in_one_line(tmp_path, spoil, message):
  path = saved(tmp_path)
  spoil(path)
  with pytest.raises(models.ModelFileError, match=re.escape(f"{path}: {message}")):
    models.load(path)


def test_load_reads_deflated_big_endian_and_fortran_order_members(tmp_path):
  path = saved(tmp_path)
  W1 = np.asfortranarray(params().W1.astype(">f4"))
  compression = dict.fromkeys(members_of(path), zipfile.ZIP_DEFLATED)
  replace_members(path, {"W1.npy": npy_bytes(W1), "n_x.npy": npy_bytes(np.array(2, ">i2"))})
  replace_members(path, {"b1.npy": npy_bytes(params().b1, version=(2, 0))}, compression)
  loaded = models.load(path)
  for got, want in zip(loaded.params, params(), strict=True):
    assert got.dtype == jnp.float32
    np.testing.assert_array_equal(got, want)


@pytest.mark.parametrize("compression", [zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED])
def test_forged_directory_sizes_are_refused_before_anything_is_allocated(tmp_path, compression):
  path = saved(tmp_path)
  replace_members(path, {"W1.npy": npy_header("<f4", (2**29,))}, {"W1.npy": compression})
  data = bytearray(path.read_bytes())
  entry = data.find(b"PK\x01\x02")  # The central directory's first record.
  while entry != -1:  # Find W1.npy's record and claim 2 GiB uncompressed.
    name_length = struct.unpack_from("<H", data, entry + 28)[0]
    if data[entry + 46 : entry + 46 + name_length] == b"W1.npy":
      struct.pack_into("<I", data, entry + 24, 2**31 + 128)
      break
    entry = data.find(b"PK\x01\x02", entry + 4)
  path.write_bytes(bytes(data))
  with pytest.raises(models.ModelFileError, match=r"`W1`: the archive claims 2147483776 bytes"):
    models.load(path)
